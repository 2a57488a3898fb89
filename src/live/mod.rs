//! Live co-editing: several people edit one canvas at once through a sync server.
//!
//! The engine is Yjs (the `yrs` crate here, the stock Yjs websocket server with `LevelDB`
//! persistence started by `scripts/sync-server`); see `docs/LIVE.md` for why, and for
//! how a workshop uses it. The CRDT is only how edits travel: the
//! document stays a [`Document`], what is saved is its canonical JSON.
//!
//! | file | holds |
//! |---|---|
//! | `address` | `ws://HOST:PORT/ROOM` |
//! | `mapping` | the canvas in the CRDT (a map of elements by id, fields as registers) and back, checked as a file is |
//! | `session` | the background thread (websocket, sync protocol, undo of one's own changes) and the app's handle on it |
//! | `presence` | participants' names, colours and selections (Yjs awareness) |
//!
//! No egui here, and the model knows nothing of this module: the app hands the session
//! what its [`Editor`] noted (`Editor::take_changes`) and gets colleagues' changes back as
//! whole documents that do not enter its undo history (`Editor::apply_external`).
//! [`Client`] does the same without a window, for tests, benchmarks and the command line.

pub mod address;
pub mod mapping;
pub mod presence;
pub mod session;

pub use address::{RoomAddress, room_problem};
pub use mapping::LocalChange;
pub use presence::Peer;
pub use session::{
    BaseFinder, Contribution, Event, Notice, Options, Session, Start, Status, Waker,
};

use crate::edit::{Command, EditError, Editor};
use crate::model::Document;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A participant without a window: an editor joined to a room. Edits go through
/// [`Command`]s as in the app; [`Client::pump`] exchanges changes with the room.
pub struct Client {
    pub editor: Editor,
    pub session: Session,
    /// Changes from the network that were refused, one message each.
    pub refused: Vec<String>,
    /// How a contributed canvas went into the room, once it did.
    pub contribution: Option<Contribution>,
}

impl Client {
    /// Joins a room; the canvas arrives with the room's state (see [`Client::joined`]).
    pub fn join(address: RoomAddress, name: &str) -> Client {
        Self::start(address, name, Start::Join, Document::default())
    }

    /// Brings `doc` into a room (see [`Start::Contribute`]).
    pub fn contribute(address: RoomAddress, name: &str, doc: Document) -> Client {
        let start = Start::Contribute {
            doc: Box::new(doc.clone()),
            base: None,
        };
        Self::start(address, name, start, doc)
    }

    fn start(address: RoomAddress, name: &str, start: Start, doc: Document) -> Client {
        let mut editor = Editor::new(doc);
        editor.record_changes(true);
        let session = Session::start(
            address,
            Options {
                name: name.to_owned(),
                color: None,
                start,
                wake: None,
            },
        );
        Client {
            editor,
            session,
            refused: Vec::new(),
            contribution: None,
        }
    }

    pub fn doc(&self) -> &Document {
        self.editor.doc()
    }

    /// Whether the document is the room's.
    pub fn joined(&self) -> bool {
        self.session.joined()
    }

    /// Applies an edit, as the app does, and sends it.
    pub fn apply(&mut self, cmd: Command) -> Result<bool, EditError> {
        let changed = self.editor.apply(cmd)?;
        self.pump();
        Ok(changed)
    }

    /// Undoes this participant's last change (never a colleague's).
    pub fn undo(&mut self) {
        self.pump();
        self.session.undo(false);
    }

    pub fn redo(&mut self) {
        self.pump();
        self.session.undo(true);
    }

    /// Goes offline (edits keep working and wait) or back online.
    pub fn set_online(&mut self, online: bool) {
        self.session.set_online(online);
    }

    /// Sends what changed here and takes in what changed in the room.
    pub fn pump(&mut self) {
        for notice in self.session.pump(&mut self.editor) {
            match notice {
                Notice::Joined(doc) => self.editor.replace(Arc::unwrap_or_clone(doc)),
                Notice::Refused(m) => self.refused.extend(m),
                Notice::Contributed(c) => self.contribution = Some(c),
                Notice::Changed => {}
            }
        }
    }

    /// Pumps until `done` holds or `within` has passed; returns whether it held.
    pub fn wait_until(&mut self, within: Duration, mut done: impl FnMut(&Client) -> bool) -> bool {
        let deadline = Instant::now() + within;
        loop {
            self.pump();
            if done(self) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// Waits for the first canvas of a session started with [`Start::Join`], without an
/// editor; the room's canvas, or why there is none.
fn first_view(session: &mut Session, within: Duration) -> Result<(Arc<Document>, bool), String> {
    let deadline = Instant::now() + within;
    loop {
        for event in session.poll() {
            match event {
                Event::View {
                    doc, room_empty, ..
                } => return Ok((doc, room_empty)),
                Event::Status(Status::Stopped(why)) => return Err(why),
                _ => {}
            }
        }
        if Instant::now() >= deadline {
            return Err(not_reached(session, within));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn not_reached(session: &Session, within: Duration) -> String {
    match &session.status {
        Status::Offline { reason, .. } => reason.clone(),
        _ => format!(
            "{} did not answer within {} s",
            session.address().server(),
            within.as_secs()
        ),
    }
}

/// The canvas a room holds now (`stagecraft pull`).
pub fn pull(address: &RoomAddress, within: Duration) -> Result<Document, String> {
    let mut session = Session::start(
        address.clone(),
        Options {
            name: String::new(),
            color: None,
            start: Start::Join,
            wake: None,
        },
    );
    match first_view(&mut session, within)? {
        (_, true) => Err(format!("{address} holds no canvas yet")),
        (doc, false) => Ok(Arc::unwrap_or_clone(doc)),
    }
}

/// The canvas a room holds now, with a fresh version stamped into its lineage, in the
/// room too (`stagecraft pull`): kept in this machine's history, that version is the base
/// a later `push` of the edited file merges three-way against.
pub fn pull_stamped(address: &RoomAddress, within: Duration) -> Result<Document, String> {
    let mut session = Session::start(
        address.clone(),
        Options {
            name: String::new(),
            color: None,
            start: Start::Join,
            wake: None,
        },
    );
    let (view, empty) = first_view(&mut session, within)?;
    if empty {
        return Err(format!("{address} holds no canvas yet"));
    }
    let mut doc = Arc::unwrap_or_clone(view);
    let before = doc.clone();
    doc.lineage.stamp();
    session.send(LocalChange::between(&before, &doc), false);
    session.flush();
    let deadline = Instant::now() + within;
    while !session.flushed {
        session.poll();
        if Instant::now() >= deadline {
            return Err(not_reached(&session, within));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok(doc)
}

/// Brings `doc` into a room and waits until the server has it (`stagecraft push`): an
/// empty room takes it as it is, a room holding a canvas gets it merged (`base` finds the
/// version both descend from, if this machine kept it).
pub fn push(
    address: &RoomAddress,
    doc: Document,
    base: Option<BaseFinder>,
    within: Duration,
) -> Result<Contribution, String> {
    let mut session = Session::start(
        address.clone(),
        Options {
            name: String::new(),
            color: None,
            start: Start::Contribute {
                doc: Box::new(doc),
                base,
            },
            wake: None,
        },
    );
    let deadline = Instant::now() + within;
    let mut contribution = None;
    loop {
        for event in session.poll() {
            match event {
                Event::Contributed(c) => {
                    contribution = Some(c);
                    session.flush();
                }
                Event::Status(Status::Stopped(why)) => return Err(why),
                _ => {}
            }
        }
        if session.flushed
            && let Some(c) = contribution.take()
        {
            return Ok(c);
        }
        if Instant::now() >= deadline {
            return Err(not_reached(&session, within));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}
