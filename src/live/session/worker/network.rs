//! The session thread's network side: connecting (with backoff), the Yjs sync protocol
//! and awareness over the websocket, and the room's updates applied to the replica.

use super::{REMOTE, Worker};
use crate::live::address::RoomAddress;
use crate::live::session::{
    AWARENESS_RENEW, Event, FIRST_RETRY, LONGEST_RETRY, MAX_MESSAGE_BYTES, POLL, Status,
};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message as WsMessage, WebSocket};
use yrs::sync::{Message, MessageReader, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, Transact, Update};

impl Worker {
    pub(super) fn connect(&mut self) {
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
    pub(super) fn close(&mut self, reason: &str) {
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

    pub(super) fn send_awareness(&mut self) {
        if self.awareness.local_state_raw().is_none() {
            return;
        }
        let me = self.doc.client_id();
        if let Ok(update) = self.awareness.update_with_clients([me]) {
            self.send(&Message::Awareness(update));
        }
        self.awareness_sent = Instant::now();
    }

    pub(super) fn renew_awareness(&mut self) {
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

    pub(super) fn send_outbox(&mut self) {
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

    pub(super) fn read_socket(&mut self) {
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
