//! [`RoomAddress`]: where a live canvas is, `ws://HOST:PORT/ROOM`.
//!
//! The Yjs server serves every path as a room of its own (the path is the room's name), so
//! the address is the server's and the room's at once, and can be pasted as it is.

use std::fmt;
use std::str::FromStr;

/// The port the Yjs websocket server listens on when none is given.
pub const DEFAULT_PORT: u16 = 1234;

/// Longest room name, in characters.
pub const MAX_ROOM_CHARS: usize = 100;

/// A room on a sync server.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoomAddress {
    pub host: String,
    pub port: u16,
    pub room: String,
}

impl RoomAddress {
    /// A room on a server given as `ws://HOST:PORT`, `HOST:PORT` or `HOST`.
    pub fn new(server: &str, room: &str) -> Result<RoomAddress, String> {
        let server = server.trim();
        let server = server.strip_suffix('/').unwrap_or(server);
        format!("{server}/{}", room.trim()).parse()
    }

    /// `ws://HOST:PORT`, without the room.
    pub fn server(&self) -> String {
        if self.host.contains(':') {
            format!("ws://[{}]:{}", self.host, self.port)
        } else {
            format!("ws://{}:{}", self.host, self.port)
        }
    }

    /// `HOST:PORT`, for a TCP connection.
    pub fn socket(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for RoomAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.server(), self.room)
    }
}

/// Why a room name cannot be used, or `None` when it can: letters, digits, `-`, `_`, `.`
/// and `~` (what a URL path carries as it is), at most [`MAX_ROOM_CHARS`].
pub fn room_problem(room: &str) -> Option<String> {
    if room.is_empty() {
        return Some("the room needs a name".into());
    }
    if room.chars().count() > MAX_ROOM_CHARS {
        return Some(format!(
            "a room name is at most {MAX_ROOM_CHARS} characters long"
        ));
    }
    if let Some(c) = room
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
    {
        return Some(format!(
            "a room name holds letters, digits, '-', '_', '.' and '~' only, not {c:?}"
        ));
    }
    None
}

impl FromStr for RoomAddress {
    type Err = String;

    /// `ws://HOST:PORT/ROOM`; the scheme may be left out, and the port (then 1234).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let rest = match text.split_once("://") {
            Some(("ws", rest)) => rest,
            Some((scheme, _)) => {
                return Err(format!(
                    "{text:?} is not a live room address: expected ws://HOST:PORT/ROOM, not {scheme}://"
                ));
            }
            None => text,
        };
        let Some((authority, room)) = rest.split_once('/') else {
            return Err(format!(
                "{text:?} names no room: expected ws://HOST:PORT/ROOM"
            ));
        };
        if let Some(why) = room_problem(room) {
            return Err(format!("{text:?}: {why}"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let Some((host, after)) = v6.split_once(']') else {
                return Err(format!("{text:?}: an IPv6 address needs its closing ']'"));
            };
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty()
            || host
                .chars()
                .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':')))
        {
            return Err(format!("{text:?}: {host:?} is not a host name or address"));
        }
        let port = match port {
            None => DEFAULT_PORT,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("{text:?}: {p:?} is not a port number"))?,
        };
        Ok(RoomAddress {
            host: host.to_owned(),
            port,
            room: room.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_and_print_the_same() {
        let a: RoomAddress = "ws://127.0.0.1:4321/cafe-workshop".parse().unwrap();
        assert_eq!(a.host, "127.0.0.1");
        assert_eq!(a.port, 4321);
        assert_eq!(a.room, "cafe-workshop");
        assert_eq!(a.to_string(), "ws://127.0.0.1:4321/cafe-workshop");
        let b: RoomAddress = "studio.local/r1".parse().unwrap();
        assert_eq!(b.to_string(), "ws://studio.local:1234/r1");
        let c: RoomAddress = "ws://[::1]:99/x".parse().unwrap();
        assert_eq!(c.socket(), "[::1]:99");
        assert_eq!(
            RoomAddress::new("ws://h:5/", "room").unwrap().to_string(),
            "ws://h:5/room"
        );
    }

    #[test]
    fn bad_addresses_say_why() {
        for bad in [
            "http://h:1/r",
            "ws://h:1",
            "ws://h:1/",
            "ws://h:1/a/b",
            "ws://h:x/r",
            "ws://:1/r",
            "ws://h:1/a b",
        ] {
            assert!(bad.parse::<RoomAddress>().is_err(), "{bad} accepted");
        }
    }
}
