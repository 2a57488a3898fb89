//! The session's thread: the room's CRDT replica, this user's changes written into it, the
//! commands from the app, and the canvas read back for it (the network side is in
//! `worker/network.rs`).

mod network;

use super::{Cmd, Contribution, Event, FIRST_RETRY, Options, Start, Status, Waker};
use crate::live::address::RoomAddress;
use crate::live::mapping::{
    Changed, LocalChange, Roots, read, read_changed, write, write_document,
};
use crate::live::presence::{Peer, local_state, read_peer};
use crate::model::{Color, Document};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tungstenite::WebSocket;
use yrs::sync::Awareness;
use yrs::undo::Options as UndoOptions;
use yrs::{Doc, Origin, Transact, UndoManager};

// ---- The thread -------------------------------------------------------------------------

/// Origins of transactions: this user's edits (undoable), canvases brought in (not
/// undoable), and the network's (never sent back).
const LOCAL: &str = "stagecraft:local";
const INIT: &str = "stagecraft:init";
const REMOTE: &str = "stagecraft:remote";

pub(super) struct Worker {
    address: RoomAddress,
    name: String,
    color: Color,
    doc: Doc,
    roots: Roots,
    awareness: Awareness,
    undo: UndoManager,
    /// Updates made here, to send (filled by the document's observer).
    outbox: Arc<Mutex<Vec<Vec<u8>>>>,
    socket: Option<WebSocket<TcpStream>>,
    online: bool,
    retry_at: Instant,
    backoff: Duration,
    /// Changes made here that the server has not been sent.
    waiting: usize,
    /// The server's state was received at least once in this session.
    synced: bool,
    /// In this connection: whether we answered the server's sync step 1, how many sync
    /// step 1 we sent and how many answers came.
    answered: bool,
    asked: u32,
    answers: u32,
    /// The answer that means "the server has all we sent", when a flush is waited for.
    flush_at: Option<u32>,
    flush_wanted: bool,
    start: Option<Start>,
    /// Changes that came before the first sync of a contribution, applied after it.
    early: Vec<(LocalChange, bool)>,
    gesture_open: bool,
    view: Arc<Document>,
    /// What changed in the CRDT since the last read (filled by its observers).
    changed: Arc<Mutex<Changed>>,
    view_dirty: bool,
    /// A canvas was read before: its values are the last good ones to fall back on.
    has_view: bool,
    force_view: bool,
    view_since_local: bool,
    last_seq: u64,
    peers_dirty: bool,
    undo_dirty: bool,
    status: Status,
    awareness_sent: Instant,
    /// Refusals already told (each canvas read would repeat them until someone fixes the
    /// element).
    told: std::collections::HashSet<String>,
    events: Sender<Event>,
    wake: Option<Waker>,
}

impl Worker {
    pub(super) fn new(
        address: RoomAddress,
        client: u64,
        options: Options,
        color: Color,
        events: Sender<Event>,
    ) -> Worker {
        let doc = Doc::with_client_id(client);
        let roots = Roots::new(&doc);
        // Watched only once the canvas was read whole (see `emit`): noting the 60,000 items
        // of a big room as they arrive would cost the join for nothing.
        let changed: Arc<Mutex<Changed>> = Arc::default();
        let outbox: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let sink = Arc::clone(&outbox);
        let remote = Origin::from(REMOTE);
        let _ = doc.observe_update_v1("stagecraft:outbox", move |txn, e| {
            if txn.origin() != Some(&remote)
                && let Ok(mut out) = sink.lock()
            {
                out.push(e.update.clone());
            }
        });
        let mut undo = UndoManager::with_options(UndoOptions {
            // Steps end where the app says a gesture ends, never by time.
            capture_timeout_millis: 24 * 3600 * 1000,
            ..UndoOptions::default()
        });
        for root in roots.all() {
            undo.expand_scope(&doc, root);
        }
        undo.include_origin(LOCAL);
        let mut awareness = Awareness::new(doc.clone());
        // No name (the command line): nobody sees this client as a participant.
        if !options.name.is_empty() {
            awareness.set_local_state_raw(local_state(&options.name, color, &[]));
        }
        Worker {
            address,
            name: options.name,
            color,
            doc,
            roots,
            awareness,
            undo,
            outbox,
            socket: None,
            online: true,
            retry_at: Instant::now(),
            backoff: FIRST_RETRY,
            waiting: 0,
            synced: false,
            answered: false,
            asked: 0,
            answers: 0,
            flush_at: None,
            flush_wanted: false,
            start: Some(options.start),
            early: Vec::new(),
            gesture_open: false,
            view: Arc::new(Document::default()),
            changed,
            view_dirty: false,
            has_view: false,
            force_view: false,
            view_since_local: false,
            last_seq: 0,
            peers_dirty: false,
            undo_dirty: false,
            status: Status::Connecting,
            awareness_sent: Instant::now(),
            told: std::collections::HashSet::new(),
            events,
            wake: options.wake,
        }
    }

    pub(super) fn run(mut self, commands: &Receiver<Cmd>) {
        loop {
            let wait = if self.socket.is_some() {
                Duration::ZERO
            } else if self.online {
                self.retry_at
                    .saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(100))
            } else {
                Duration::from_millis(100)
            };
            let first = match commands.recv_timeout(wait) {
                Ok(cmd) => Some(cmd),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Cmd::Stop),
            };
            let mut stop = false;
            for cmd in first
                .into_iter()
                .chain(std::iter::from_fn(|| commands.try_recv().ok()))
            {
                if matches!(cmd, Cmd::Stop) {
                    stop = true;
                    break;
                }
                self.command(cmd);
            }
            if stop {
                self.close("the live session was closed");
                return;
            }
            if self.socket.is_none() && self.online && Instant::now() >= self.retry_at {
                self.connect();
            }
            self.read_socket();
            self.send_outbox();
            self.renew_awareness();
            self.emit();
            if matches!(self.status, Status::Stopped(_)) {
                return;
            }
        }
    }

    fn tell(&self, event: Event) {
        let _ = self.events.send(event);
        if let Some(wake) = &self.wake {
            wake();
        }
    }

    fn set_status(&mut self, status: Status) {
        if self.status != status {
            self.status = status.clone();
            self.tell(Event::Status(status));
        }
    }

    fn command(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Local {
                seq,
                change,
                gesture_open,
            } => {
                self.last_seq = seq;
                if self.view_since_local {
                    // The app drops a canvas that misses a change it sent: send one again.
                    self.force_view = true;
                }
                self.view_since_local = false;
                if self.start.is_some() {
                    self.early.push((change, gesture_open));
                } else {
                    self.write_local(&change, gesture_open);
                }
            }
            Cmd::Undo { seq, redo } => {
                self.last_seq = seq;
                self.view_since_local = false;
                self.undo.reset();
                let changed = if redo {
                    self.undo.redo_blocking()
                } else {
                    self.undo.undo_blocking()
                };
                self.undo.reset();
                self.gesture_open = false;
                self.view_dirty = true;
                self.force_view = true;
                self.undo_dirty = true;
                let _ = changed;
            }
            Cmd::Selection(ids) => {
                if self.name.is_empty() {
                    return;
                }
                self.awareness
                    .set_local_state_raw(local_state(&self.name, self.color, &ids));
                self.send_awareness();
            }
            Cmd::Online(online) => {
                self.online = online;
                if online {
                    self.retry_at = Instant::now();
                    self.backoff = FIRST_RETRY;
                } else {
                    self.close("working offline");
                }
            }
            Cmd::Flush => {
                self.flush_wanted = true;
                self.flush_at = None;
            }
            Cmd::Stop => {}
        }
    }

    fn write_local(&mut self, change: &LocalChange, gesture_open: bool) {
        if !self.gesture_open {
            // A new undo step: this change does not continue an open gesture.
            self.undo.reset();
        }
        if !change.is_empty() {
            let mut txn = self.doc.transact_mut_with(LOCAL);
            write(&mut txn, &self.roots, change);
        }
        self.gesture_open = gesture_open;
        if !gesture_open {
            self.undo.reset();
        }
        // No canvas to send back: the app has this change already (reading 20,000 cards
        // after every keystroke would only delay colleagues' changes). A canvas goes out
        // when colleagues' changes come in, or when the app must be corrected.
        self.undo_dirty = true;
    }

    /// The room's state is here: a contributed canvas goes in now.
    fn first_sync(&mut self) {
        let start = self.start.take();
        if let Some(Start::Contribute { doc, base }) = start {
            let empty = self.roots.is_empty(&self.doc.transact());
            let mut contribution = Contribution {
                new_room: empty,
                ..Contribution::default()
            };
            if empty {
                let mut txn = self.doc.transact_mut_with(INIT);
                write_document(&mut txn, &self.roots, &Document::default(), &doc);
            } else {
                let (room, found) = read(&self.doc.transact(), &self.roots, &Document::default());
                self.refuse(found.refused);
                let found = base.and_then(|find| find(&room.lineage, &doc.lineage));
                contribution.three_way = found.is_some();
                let base = found.unwrap_or_default();
                let outcome = crate::merge::merge(&base, &room, &doc, crate::merge::Side::Ours);
                contribution.conflicts =
                    outcome.conflicts.iter().map(ToString::to_string).collect();
                contribution.notes = outcome.notes.iter().map(ToString::to_string).collect();
                let mut txn = self.doc.transact_mut_with(INIT);
                write(
                    &mut txn,
                    &self.roots,
                    &LocalChange::between(&room, &outcome.doc),
                );
            }
            self.tell(Event::Contributed(contribution));
        }
        for (change, open) in std::mem::take(&mut self.early) {
            self.write_local(&change, open);
        }
        self.view_dirty = true;
        self.force_view = true;
    }

    /// Tells the app what was refused, once per message.
    fn refuse(&mut self, messages: Vec<String>) {
        if self.told.len() > 10_000 {
            self.told.clear();
        }
        let new: Vec<String> = messages
            .into_iter()
            .filter(|m| self.told.insert(m.clone()))
            .collect();
        if !new.is_empty() {
            self.tell(Event::Refused(new));
        }
    }

    fn emit(&mut self) {
        if (self.view_dirty || self.force_view) && self.synced && self.start.is_none() {
            let changed = self.changed.lock().map_or(
                Changed {
                    all: true,
                    ..Changed::default()
                },
                |mut c| std::mem::take(&mut *c),
            );
            let txn = self.doc.transact();
            // Only what changed is read again, once there is a canvas to patch.
            let (doc, found) = if self.has_view {
                read_changed(&txn, &self.roots, &self.view, &changed)
            } else {
                read(&txn, &self.roots, &self.view)
            };
            let room_empty = self.roots.is_empty(&txn);
            drop(txn);
            self.refuse(found.refused);
            if self.has_view && !found.repairs.is_empty() {
                // Put the last good values back in the room, for everyone (not undoable:
                // not this user's edit).
                let mut txn = self.doc.transact_mut_with(INIT);
                write(&mut txn, &self.roots, &found.repairs);
            }
            if !self.has_view {
                self.roots.watch(&self.changed);
            }
            self.has_view = true;
            if self.force_view || doc != *self.view {
                self.view = Arc::new(doc);
                self.tell(Event::View {
                    doc: Arc::clone(&self.view),
                    seq: self.last_seq,
                    room_empty,
                });
                self.view_since_local = true;
            }
            self.view_dirty = false;
            self.force_view = false;
        }
        if self.peers_dirty {
            self.peers_dirty = false;
            let me = self.doc.client_id();
            let mut peers: Vec<Peer> = self
                .awareness
                .iter()
                .filter(|(id, _)| *id != me)
                .filter_map(|(id, state)| read_peer(id.get(), state.data.as_deref()?))
                .collect();
            peers.sort_by(|a, b| a.name.cmp(&b.name).then(a.client.cmp(&b.client)));
            self.tell(Event::Peers(peers));
        }
        if self.undo_dirty {
            self.undo_dirty = false;
            self.tell(Event::Undo {
                can_undo: self.undo.can_undo(),
                can_redo: self.undo.can_redo(),
            });
        }
    }
}
