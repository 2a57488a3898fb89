//! A live session: the CRDT replica of one room, kept by a background thread that talks
//! to the sync server, and the [`Session`] handle the app (or a test, or the command line)
//! talks to through channels. Nothing here blocks the caller.
//!
//! The thread speaks the Yjs sync protocol over a websocket (`y-protocols`: sync step 1
//! and 2, updates, awareness), as every Yjs client does; the server is the stock Yjs
//! websocket server (`scripts/sync-server`). While the server cannot be reached the
//! replica keeps taking this user's changes; on reconnecting, sync step 2 sends them and
//! fetches the colleagues', and the CRDT merges both.
//!
//! Implementation notes: the app numbers the changes it sends; every canvas the thread
//! sends back ([`Event::View`]) says up to which change it includes, and the app takes only
//! one that includes all it sent (an older one would briefly undo what the user just
//! typed). Undo goes through the CRDT's own undo manager, which tracks only this user's
//! transactions, so it never takes back a colleague's change.

use super::address::RoomAddress;
use super::mapping::LocalChange;
use super::presence::{Peer, color_for};
use crate::edit::Editor;
use crate::model::{Color, Document, Lineage, TouchpointId};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

mod worker;

use worker::Worker;

/// Largest message taken from the server, in bytes: a room's whole state arrives as one
/// message on joining. The same bound as a canvas file (about 150,000 cards).
pub const MAX_MESSAGE_BYTES: usize = 128 * 1024 * 1024;

/// How long the thread waits on the socket before looking at the app's requests again.
const POLL: Duration = Duration::from_millis(5);
/// Reconnection delays: from the first to the longest.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LONGEST_RETRY: Duration = Duration::from_secs(5);
/// Other Yjs clients drop a participant not heard of for 30 s; say we are here every 15.
const AWARENESS_RENEW: Duration = Duration::from_secs(15);

/// Finds the version a canvas and the room both descend from (the merge base of a
/// contribution), given the room's lineage and the canvas's.
pub type BaseFinder = Box<dyn Fn(&Lineage, &Lineage) -> Option<Document> + Send>;

/// How a session starts.
pub enum Start {
    /// Take the room's canvas as it is.
    Join,
    /// Bring a canvas into the room: an empty room takes it as it is; a room that holds a
    /// canvas gets it merged by the rules of `crate::merge` (three-way when `base` finds a
    /// common version, else two-way), the room's values winning conflicts.
    Contribute {
        doc: Box<Document>,
        base: Option<BaseFinder>,
    },
}

/// Called by the session's thread whenever it has news (the app asks for a repaint).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// Who this participant is, and how the session starts.
pub struct Options {
    pub name: String,
    /// Their colour (by default one from their client id).
    pub color: Option<Color>,
    pub start: Start,
    /// Told when events are waiting (a window repaints then, rather than polling).
    pub wake: Option<Waker>,
}

/// The connection, as the toolbar shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Connecting for the first time.
    Connecting,
    Connected,
    /// Not connected (the reason said once); `waiting` changes will go when it is.
    Offline {
        waiting: usize,
        reason: String,
    },
    /// Trying to connect again.
    Reconnecting {
        waiting: usize,
    },
    /// Stopped for good (closed, or something it cannot go on from).
    Stopped(String),
}

impl Status {
    pub fn is_connected(&self) -> bool {
        matches!(self, Status::Connected)
    }

    /// One line for the toolbar and the command line.
    pub fn describe(&self) -> String {
        let waiting = |n: usize| match n {
            0 => String::new(),
            1 => ", 1 change waiting".to_owned(),
            n => format!(", {n} changes waiting"),
        };
        match self {
            Status::Connecting => "connecting…".into(),
            Status::Connected => "connected".into(),
            Status::Offline { waiting: n, .. } => format!("offline{}", waiting(*n)),
            Status::Reconnecting { waiting: n } => format!("reconnecting{}", waiting(*n)),
            Status::Stopped(why) => format!("stopped: {why}"),
        }
    }
}

/// How a contributed canvas went into the room.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contribution {
    /// The room held no canvas: it took this one as it was.
    pub new_room: bool,
    /// Merged three-way (a common version was found), else two-way.
    pub three_way: bool,
    /// Conflicts, decided for the room (`crate::merge` lines).
    pub conflicts: Vec<String>,
    pub notes: Vec<String>,
}

/// What the thread tells the app.
#[derive(Clone, Debug)]
pub enum Event {
    Status(Status),
    /// The shared canvas, including this user's changes up to `seq`; `room_empty` when the
    /// room holds no canvas at all.
    View {
        doc: Arc<Document>,
        seq: u64,
        room_empty: bool,
    },
    Peers(Vec<Peer>),
    /// Changes from the network refused, one message each (the canvas stays valid).
    Refused(Vec<String>),
    /// The contributed canvas is in the room.
    Contributed(Contribution),
    Undo {
        can_undo: bool,
        can_redo: bool,
    },
    /// The server has received everything sent before [`Session::flush`].
    Flushed,
}

enum Cmd {
    Local {
        seq: u64,
        change: LocalChange,
        gesture_open: bool,
    },
    Undo {
        seq: u64,
        redo: bool,
    },
    Selection(Vec<TouchpointId>),
    Online(bool),
    Flush,
    Stop,
}

/// What [`Session::pump`] brought in.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// The first canvas of a joined room: replace the document with it (the caller
    /// decides how: the app through its unsaved-work guard, already passed).
    Joined(Arc<Document>),
    /// The editor's document now holds colleagues' changes.
    Changed,
    Refused(Vec<String>),
    Contributed(Contribution),
}

/// The app's handle on a live session.
pub struct Session {
    address: RoomAddress,
    client: u64,
    name: String,
    color: Color,
    tx: Sender<Cmd>,
    rx: Receiver<Event>,
    /// Number of the last change (or undo) sent.
    seq: u64,
    /// Whether the document is the room's: false while joining, until its first canvas.
    joined: bool,
    gesture_open: bool,
    pub status: Status,
    pub peers: Vec<Peer>,
    pub can_undo: bool,
    pub can_redo: bool,
    /// Whether the room held no canvas, as of the last canvas received.
    pub room_empty: Option<bool>,
    /// [`Event::Flushed`] arrived since the last [`Session::flush`].
    pub flushed: bool,
    selection: Vec<TouchpointId>,
    /// The latest canvas received, whether or not the editor took it.
    pub latest: Option<Arc<Document>>,
}

/// A client id as Yjs makes them: a random 32-bit number.
fn fresh_client_id() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    (h.finish() & 0xffff_ffff).max(1)
}

impl Session {
    /// Starts the session's thread; it connects at once and keeps trying.
    pub fn start(address: RoomAddress, options: Options) -> Session {
        let client = fresh_client_id();
        let color = options.color.unwrap_or_else(|| color_for(client));
        let name = options.name.clone();
        let joined = matches!(options.start, Start::Contribute { .. });
        let (tx, cmd_rx) = channel();
        let (ev_tx, rx) = channel();
        let worker_address = address.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("live {}", address.room))
            .spawn(move || {
                let worker = Worker::new(worker_address, client, options, color, ev_tx.clone());
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                    worker.run(&cmd_rx);
                }));
                if result.is_err() {
                    let _ = ev_tx.send(Event::Status(Status::Stopped(
                        "the live session failed; your canvas is as it was, save it to keep it"
                            .into(),
                    )));
                }
            });
        let status = match spawned {
            Ok(_) => Status::Connecting,
            Err(e) => Status::Stopped(format!("could not start the live session: {e}")),
        };
        Session {
            address,
            client,
            name,
            color,
            tx,
            rx,
            seq: 0,
            joined,
            gesture_open: false,
            status,
            peers: Vec::new(),
            can_undo: false,
            can_redo: false,
            room_empty: None,
            flushed: false,
            selection: Vec::new(),
            latest: None,
        }
    }

    pub fn address(&self) -> &RoomAddress {
        &self.address
    }

    /// This participant's Yjs client id.
    pub fn client(&self) -> u64 {
        self.client
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn color(&self) -> Color {
        self.color
    }

    /// Whether the editor's document is the room's (a joined room's first canvas came).
    pub fn joined(&self) -> bool {
        self.joined
    }

    /// A short tag for fresh ids made while in this session (see
    /// `model::set_fresh_id_tag`): the client id in base 36.
    pub fn id_tag(&self) -> String {
        let mut n = self.client;
        let mut out = Vec::new();
        while n > 0 {
            let d = (n % 36) as u8;
            out.push(if d < 10 { b'0' + d } else { b'a' + d - 10 });
            n /= 36;
        }
        out.reverse();
        String::from_utf8(out).unwrap_or_default()
    }

    /// Sends this user's changes; returns their number.
    pub fn send(&mut self, change: LocalChange, gesture_open: bool) -> u64 {
        self.seq += 1;
        let _ = self.tx.send(Cmd::Local {
            seq: self.seq,
            change,
            gesture_open,
        });
        self.seq
    }

    /// Undoes (or redoes) this user's last change in the room; colleagues' changes stay.
    pub fn undo(&mut self, redo: bool) {
        self.seq += 1;
        let _ = self.tx.send(Cmd::Undo {
            seq: self.seq,
            redo,
        });
    }

    /// Shows colleagues which cards this user has selected.
    pub fn set_selection(&mut self, cards: &[TouchpointId]) {
        if self.selection != cards {
            self.selection = cards.to_vec();
            let _ = self.tx.send(Cmd::Selection(self.selection.clone()));
        }
    }

    /// Works offline (`false`: the connection is closed and not tried again) or online.
    pub fn set_online(&mut self, online: bool) {
        let _ = self.tx.send(Cmd::Online(online));
    }

    /// Asks to be told ([`Session::flushed`]) once the server has everything sent so far.
    pub fn flush(&mut self) {
        self.flushed = false;
        let _ = self.tx.send(Cmd::Flush);
    }

    /// Takes in what the thread said, without an editor (the command line).
    pub fn poll(&mut self) -> Vec<Event> {
        let events: Vec<Event> = self.rx.try_iter().collect();
        for e in &events {
            self.note(e);
        }
        events
    }

    fn note(&mut self, event: &Event) {
        match event {
            Event::Status(s) => self.status = s.clone(),
            Event::Peers(p) => self.peers = p.clone(),
            Event::Undo { can_undo, can_redo } => {
                self.can_undo = *can_undo;
                self.can_redo = *can_redo;
            }
            Event::View {
                doc, room_empty, ..
            } => {
                self.room_empty = Some(*room_empty);
                self.latest = Some(Arc::clone(doc));
            }
            Event::Flushed => self.flushed = true,
            Event::Refused(_) | Event::Contributed(_) => {}
        }
    }

    /// Sends what the editor changed since the last call, and brings colleagues' changes
    /// into it (not as undo steps). Call it once per frame.
    pub fn pump(&mut self, editor: &mut Editor) -> Vec<Notice> {
        let open = editor.in_transaction();
        let log = editor.take_changes();
        if self.joined {
            let change = log
                .map(|log| LocalChange::from_log(log, editor.doc()))
                .unwrap_or_default();
            // A gesture that ended is sent too, empty: it closes the undo step.
            if !change.is_empty() || (self.gesture_open && !open) {
                self.send(change, open);
            }
            self.gesture_open = open;
        }
        let mut notices = Vec::new();
        for event in self.rx.try_iter().collect::<Vec<_>>() {
            self.note(&event);
            match event {
                Event::View {
                    doc,
                    seq,
                    room_empty,
                } if seq == self.seq => {
                    if !self.joined {
                        // A room with no canvas yet: wait for whoever shares one into it.
                        if !room_empty {
                            self.joined = true;
                            notices.push(Notice::Joined(doc));
                        }
                    } else if editor.apply_external(doc) {
                        notices.push(Notice::Changed);
                    }
                }
                Event::Refused(messages) => notices.push(Notice::Refused(messages)),
                Event::Contributed(c) => notices.push(Notice::Contributed(c)),
                _ => {}
            }
        }
        notices
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.tx.send(Cmd::Stop);
    }
}
