//! Who else is in the room, and what they have selected: the Yjs *awareness* state each
//! client publishes (`{"user": {"name", "color"}, "selection": [card ids]}`, the shape
//! other Yjs editors use for `user`), read back with limits, since any client can write
//! anything there.

use crate::model::{Color, MAX_ID_LEN, TouchpointId};
use serde_json::{Value, json};

/// Longest participant name shown, in characters (longer ones are cut).
pub const MAX_NAME_CHARS: usize = 60;
/// Most selected cards shown per participant.
pub const MAX_SELECTION: usize = 1_000;
/// Largest awareness state read, in bytes.
pub const MAX_STATE_BYTES: usize = 256 * 1024;

/// Another participant of the room.
#[derive(Clone, Debug, PartialEq)]
pub struct Peer {
    /// Their Yjs client id (a number per open window).
    pub client: u64,
    pub name: String,
    pub color: Color,
    pub selection: Vec<TouchpointId>,
}

/// Distinct colours, readable on the light and the dark canvas, handed out by client id.
/// No blue: the canvas outlines this user's own selection in blue.
const COLORS: [Color; 8] = [
    Color::rgb(0xd9, 0x48, 0x1c),
    Color::rgb(0x2c, 0xa0, 0x2c),
    Color::rgb(0x94, 0x67, 0xbd),
    Color::rgb(0xc2, 0x18, 0x5b),
    Color::rgb(0xbc, 0x8c, 0x00),
    Color::rgb(0x17, 0xa2, 0x98),
    Color::rgb(0x8c, 0x56, 0x4b),
    Color::rgb(0xe3, 0x77, 0xc2),
];

/// The colour a client id gets when its state names none (or one that is not a colour).
pub fn color_for(client: u64) -> Color {
    COLORS[(client % COLORS.len() as u64) as usize]
}

/// This user's awareness state, as JSON text.
pub fn local_state(name: &str, color: Color, selection: &[TouchpointId]) -> String {
    json!({
        "user": { "name": name, "color": color.to_hex() },
        "selection": selection.iter().take(MAX_SELECTION).map(crate::model::TouchpointId::as_str).collect::<Vec<_>>(),
    })
    .to_string()
}

/// A participant from their awareness state; `None` when the state is empty (they left)
/// or not something Stagecraft can read.
pub fn read_peer(client: u64, state: &str) -> Option<Peer> {
    if state.len() > MAX_STATE_BYTES {
        return None;
    }
    let value: Value = serde_json::from_str(state).ok()?;
    let user = value.get("user");
    let name: String = user
        .and_then(|u| u.get("name"))
        .and_then(Value::as_str)
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(MAX_NAME_CHARS)
                .collect()
        })
        .filter(|n: &String| !n.trim().is_empty())
        .unwrap_or_else(|| format!("Guest {}", client % 1000));
    let color = user
        .and_then(|u| u.get("color"))
        .and_then(Value::as_str)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| color_for(client));
    let selection = value
        .get("selection")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .filter(|id| id.len() <= MAX_ID_LEN)
                .take(MAX_SELECTION)
                .map(TouchpointId::from)
                .collect()
        })
        .unwrap_or_default();
    Some(Peer {
        client,
        name,
        color,
        selection,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_reads_back_as_written() {
        let sel = vec![TouchpointId::from("tp-1")];
        let text = local_state("Ana", Color::rgb(1, 2, 3), &sel);
        let peer = read_peer(7, &text).expect("peer");
        assert_eq!(peer.name, "Ana");
        assert_eq!(peer.color, Color::rgb(1, 2, 3));
        assert_eq!(peer.selection, sel);
    }

    #[test]
    fn strange_states_are_tamed() {
        assert!(read_peer(1, "null").is_some_and(|p| p.name == "Guest 1"));
        assert!(read_peer(1, "not json").is_none());
        let long = format!(
            r#"{{"user":{{"name":"{}","color":"red"}},"selection":[1,"a"]}}"#,
            "n".repeat(500)
        );
        let p = read_peer(9, &long).expect("peer");
        assert_eq!(p.name.chars().count(), MAX_NAME_CHARS);
        assert_eq!(p.color, color_for(9));
        assert_eq!(p.selection, vec![TouchpointId::from("a")]);
    }
}
