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
use super::mapping::{Changed, LocalChange, Roots, read, read_changed, write, write_document};
use super::presence::{Peer, color_for, local_state, read_peer};
use crate::edit::Editor;
use crate::model::{Color, Document, Lineage, TouchpointId};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message as WsMessage, WebSocket};
use yrs::sync::{Awareness, Message, MessageReader, SyncMessage};
use yrs::undo::Options as UndoOptions;
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{Doc, Origin, ReadTxn, Transact, UndoManager, Update};

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

// ---- The thread -------------------------------------------------------------------------

/// Origins of transactions: this user's edits (undoable), canvases brought in (not
/// undoable), and the network's (never sent back).
const LOCAL: &str = "stagecraft:local";
const INIT: &str = "stagecraft:init";
const REMOTE: &str = "stagecraft:remote";

struct Worker {
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
    fn new(
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

    fn run(mut self, commands: &Receiver<Cmd>) {
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

    fn connect(&mut self) {
        if self.synced || !matches!(self.status, Status::Connecting) {
            self.set_status(Status::Reconnecting {
                waiting: self.waiting,
            });
        }
        match open_socket(&self.address) {
            Ok(socket) => {
                self.socket = Some(socket);
                self.backoff = FIRST_RETRY;
                self.answered = false;
                self.asked = 0;
                self.answers = 0;
                self.flush_at = None;
                // Changes made while offline go with the answer to the server's step 1.
                self.drain_outbox_offline();
                let sv = self.doc.transact().state_vector();
                self.send(&Message::Sync(SyncMessage::SyncStep1(sv)));
                self.asked += 1;
                self.send_awareness();
                if self.socket.is_some() {
                    self.set_status(Status::Connected);
                }
            }
            Err(reason) => {
                self.retry_at = Instant::now() + self.backoff;
                self.backoff = (self.backoff * 2).min(LONGEST_RETRY);
                self.set_status(Status::Offline {
                    waiting: self.waiting,
                    reason,
                });
            }
        }
    }

    /// Closes the connection (saying why in the status, unless stopping).
    fn close(&mut self, reason: &str) {
        if let Some(mut socket) = self.socket.take() {
            let _ = socket.close(None);
            let _ = socket.flush();
        }
        self.forget_peers();
        self.set_status(Status::Offline {
            waiting: self.waiting,
            reason: reason.to_owned(),
        });
    }

    /// Forgets who else was in the room: while not connected nobody says when they leave;
    /// the server tells again on reconnecting.
    fn forget_peers(&mut self) {
        let me = self.doc.client_id();
        let others: Vec<_> = self
            .awareness
            .iter()
            .map(|(id, _)| id)
            .filter(|id| *id != me)
            .collect();
        for id in others {
            self.awareness.remove_state(id);
            self.peers_dirty = true;
        }
    }

    fn lost(&mut self, reason: String) {
        self.socket = None;
        self.forget_peers();
        self.retry_at = Instant::now() + self.backoff;
        self.backoff = (self.backoff * 2).min(LONGEST_RETRY);
        self.set_status(Status::Offline {
            waiting: self.waiting,
            reason,
        });
    }

    fn send(&mut self, message: &Message) {
        let Some(socket) = &mut self.socket else {
            return;
        };
        if let Err(e) = socket.send(WsMessage::binary(message.encode_v1())) {
            self.lost(format!(
                "the connection to {} broke: {e}",
                self.address.server()
            ));
        }
    }

    fn send_awareness(&mut self) {
        if self.awareness.local_state_raw().is_none() {
            return;
        }
        let me = self.doc.client_id();
        if let Ok(update) = self.awareness.update_with_clients([me]) {
            self.send(&Message::Awareness(update));
        }
        self.awareness_sent = Instant::now();
    }

    fn renew_awareness(&mut self) {
        if self.socket.is_some() && self.awareness_sent.elapsed() >= AWARENESS_RENEW {
            if let Some(state) = self.awareness.local_state_raw() {
                self.awareness.set_local_state_raw(state);
            }
            self.send_awareness();
        }
    }

    fn drain_outbox_offline(&mut self) {
        let n = self.outbox.lock().map_or(0, |mut o| o.drain(..).count());
        self.waiting += n;
    }

    fn send_outbox(&mut self) {
        if self.socket.is_none() || !self.answered {
            // Offline (or before answering the server's step 1, which carries them).
            let before = self.waiting;
            self.drain_outbox_offline();
            if self.waiting != before && self.socket.is_none() {
                self.set_status(Status::Offline {
                    waiting: self.waiting,
                    reason: match &self.status {
                        Status::Offline { reason, .. } => reason.clone(),
                        _ => "not connected".into(),
                    },
                });
            }
        } else {
            let updates: Vec<Vec<u8>> = self
                .outbox
                .lock()
                .map(|mut o| o.drain(..).collect())
                .unwrap_or_default();
            for u in updates {
                self.send(&Message::Sync(SyncMessage::Update(u)));
            }
        }
        if self.flush_wanted && self.flush_at.is_none() && self.answered && self.socket.is_some() {
            // Answers come in order: the answer to this step 1 comes after the server
            // took everything sent before it.
            let sv = self.doc.transact().state_vector();
            self.send(&Message::Sync(SyncMessage::SyncStep1(sv)));
            self.asked += 1;
            self.flush_at = Some(self.asked);
        }
    }

    fn read_socket(&mut self) {
        let Some(socket) = &mut self.socket else {
            return;
        };
        if let Err(e) = socket.get_mut().set_read_timeout(Some(POLL)) {
            self.lost(format!("the connection broke: {e}"));
            return;
        }
        // A bounded number per round, so that the app's requests are not kept waiting.
        for _ in 0..64 {
            let Some(socket) = &mut self.socket else {
                return;
            };
            match socket.read() {
                Ok(WsMessage::Binary(bytes)) => {
                    self.message(&bytes);
                    if let Some(s) = &mut self.socket {
                        let _ = s.get_mut().set_read_timeout(Some(Duration::from_millis(1)));
                    }
                }
                Ok(WsMessage::Close(_)) => {
                    self.lost(format!("{} closed the connection", self.address.server()));
                    return;
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return;
                }
                Err(tungstenite::Error::Capacity(e)) => {
                    let why = format!(
                        "the room sent more than Stagecraft accepts at once ({e}); it was refused"
                    );
                    self.tell(Event::Refused(vec![why.clone()]));
                    self.socket = None;
                    self.online = false;
                    self.set_status(Status::Offline {
                        waiting: self.waiting,
                        reason: why,
                    });
                    return;
                }
                Err(e) => {
                    self.lost(format!(
                        "lost the connection to {}: {e}",
                        self.address.server()
                    ));
                    return;
                }
            }
        }
    }

    /// One websocket message: one or more y-protocols messages.
    fn message(&mut self, bytes: &[u8]) {
        let mut decoder = DecoderV1::from(bytes);
        let messages: Vec<Result<Message, _>> = MessageReader::new(&mut decoder).collect();
        for m in messages {
            match m {
                Ok(m) => self.handle(m),
                Err(e) => {
                    self.tell(Event::Refused(vec![format!(
                        "a message from the room could not be read ({e}); it was ignored"
                    )]));
                    return;
                }
            }
        }
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Sync(SyncMessage::SyncStep1(sv)) => {
                let update = self.doc.transact().encode_state_as_update_v1(&sv);
                self.send(&Message::Sync(SyncMessage::SyncStep2(update)));
                self.answered = true;
                self.waiting = 0;
                if self.socket.is_some() {
                    self.set_status(Status::Connected);
                }
            }
            Message::Sync(SyncMessage::SyncStep2(update)) => {
                self.apply_remote(&update);
                self.answers += 1;
                if self.flush_at.is_some_and(|at| self.answers >= at) {
                    self.flush_at = None;
                    self.flush_wanted = false;
                    self.tell(Event::Flushed);
                }
                if !self.synced {
                    self.synced = true;
                    self.first_sync();
                }
            }
            Message::Sync(SyncMessage::Update(update)) => self.apply_remote(&update),
            Message::Awareness(update) => {
                if self.awareness.apply_update(update).is_ok() {
                    self.peers_dirty = true;
                }
            }
            Message::AwarenessQuery => self.send_awareness(),
            Message::Auth(Some(reason)) => {
                self.close(&format!("the server refused: {reason}"));
                self.online = false;
            }
            Message::Auth(None) | Message::Custom(..) => {}
        }
    }

    fn apply_remote(&mut self, bytes: &[u8]) {
        let update = match Update::decode_v1(bytes) {
            Ok(u) => u,
            Err(e) => {
                self.tell(Event::Refused(vec![format!(
                    "a change from the room could not be read ({e}); it was refused"
                )]));
                return;
            }
        };
        let mut txn = self.doc.transact_mut_with(REMOTE);
        if let Err(e) = txn.apply_update(update) {
            self.tell(Event::Refused(vec![format!(
                "a change from the room does not fit ({e}); it was refused"
            )]));
        }
        self.view_dirty = true;
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

/// Opens the websocket to a room (a TCP connection, then the websocket handshake).
fn open_socket(address: &RoomAddress) -> Result<WebSocket<TcpStream>, String> {
    let server = address.server();
    let addrs: Vec<_> = address
        .socket()
        .to_socket_addrs()
        .map_err(|e| format!("cannot find {server}: {e}"))?
        .collect();
    let mut last = format!("cannot find {server}");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(3)) {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
                let config = WebSocketConfig::default()
                    .max_message_size(Some(MAX_MESSAGE_BYTES))
                    .max_frame_size(Some(MAX_MESSAGE_BYTES));
                return match tungstenite::client::client_with_config(
                    address.to_string(),
                    stream,
                    Some(config),
                ) {
                    Ok((socket, _)) => Ok(socket),
                    Err(e) => Err(format!("{server} is not a live sync server: {e}")),
                };
            }
            Err(e) => last = format!("cannot reach {server}: {e}"),
        }
    }
    Err(last)
}
