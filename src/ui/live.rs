//! Live co-editing in the window: File → Share live… and Join live… (one dialog), the
//! session's status and the participants in the toolbar, and colleagues' selections
//! outlined on the canvas in their colours. The session itself (thread, CRDT, network) is
//! `crate::live`; the app keeps a [`LiveState`] and calls in here.

use super::action::{Action, Actions};
use super::canvas::CanvasState;
use super::commands::UiCommand;
use super::tokens;
use crate::live::{Peer, RoomAddress, Session, Status};
use egui::{Color32, Key, RichText, Stroke};

/// Where a sync server usually runs in a workshop started with `scripts/sync-server`.
pub const DEFAULT_SERVER: &str = "ws://127.0.0.1:1234";

/// Live co-editing as the app holds it.
pub struct LiveState {
    pub session: Option<Session>,
    pub dialog: Option<LiveDialog>,
    /// The name this user goes by in rooms, and the last server used (for the next dialog).
    pub name: String,
    pub server: String,
    /// A room to join at the first frame (`STAGECRAFT_JOIN`, for scripts and screenshots).
    pub autojoin: Option<RoomAddress>,
}

impl Default for LiveState {
    fn default() -> Self {
        let name = std::env::var("STAGECRAFT_NAME")
            .or_else(|_| std::env::var("USER"))
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_default();
        Self {
            session: None,
            dialog: None,
            name,
            server: DEFAULT_SERVER.to_owned(),
            autojoin: None,
        }
    }
}

impl LiveState {
    /// Opens the dialog: sharing suggests a room named after the canvas's title.
    pub fn open_dialog(&mut self, share: bool, title: &str) {
        let room: String = title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|w| !w.is_empty())
            .take(6)
            .collect::<Vec<_>>()
            .join("-");
        self.dialog = Some(LiveDialog {
            share,
            server: self.server.clone(),
            room: if share { room } else { String::new() },
            address: String::new(),
            name: self.name.clone(),
            error: None,
        });
    }
}

/// The Share live… / Join live… dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveDialog {
    /// Share (server and room name) or join (an address pasted).
    pub share: bool,
    pub server: String,
    pub room: String,
    pub address: String,
    pub name: String,
    pub error: Option<String>,
}

impl LiveDialog {
    /// The room the fields name, or why they name none.
    pub fn room_address(&self) -> Result<RoomAddress, String> {
        if self.share {
            RoomAddress::new(&self.server, &self.room)
        } else {
            self.address.parse()
        }
    }
}

/// What the dialog asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveRequest {
    Share { address: RoomAddress, name: String },
    Join { address: RoomAddress, name: String },
}

/// The dialog; `Some(Ok(request))` when the user confirmed, `Some(Err(()))` when they
/// cancelled.
pub fn dialog_ui(ctx: &egui::Context, dialog: &mut LiveDialog) -> Option<Result<LiveRequest, ()>> {
    let mut done = None;
    egui::Modal::new(egui::Id::unique("live-dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(if dialog.share {
            "Share this canvas live"
        } else {
            "Join a live canvas"
        });
        ui.label(if dialog.share {
            "Colleagues who join edit this canvas with you, each on their own machine. The \
             sync server keeps the room; start one with scripts/sync-server (see the README)."
        } else {
            "Paste the address a colleague gave you. The room's canvas replaces the one open \
             here."
        });
        ui.add_space(8.0);
        egui::Grid::new("live-fields")
            .num_columns(2)
            .spacing([10.0, 8.0])
            .show(ui, |ui| {
                if dialog.share {
                    ui.label("Sync server");
                    ui.add(
                        egui::TextEdit::singleline(&mut dialog.server)
                            .desired_width(360.0)
                            .hint_text(DEFAULT_SERVER),
                    )
                    .accessible_name("Sync server")
                    .on_hover_text("ws://HOST:PORT of the server scripts/sync-server started");
                    ui.end_row();
                    ui.label("Room name");
                    ui.add(
                        egui::TextEdit::singleline(&mut dialog.room)
                            .desired_width(360.0)
                            .hint_text("cafe-workshop"),
                    )
                    .accessible_name("Room name")
                    .on_hover_text("Letters, digits, - _ . ~");
                    ui.end_row();
                } else {
                    ui.label("Room address");
                    ui.add(
                        egui::TextEdit::singleline(&mut dialog.address)
                            .desired_width(360.0)
                            .hint_text("ws://HOST:PORT/ROOM"),
                    )
                    .accessible_name("Room address");
                    ui.end_row();
                }
                ui.label("Your name");
                ui.add(
                    egui::TextEdit::singleline(&mut dialog.name)
                        .desired_width(360.0)
                        .char_limit(crate::live::presence::MAX_NAME_CHARS),
                )
                .accessible_name("Your name")
                .on_hover_text("What colleagues see next to your selection");
                ui.end_row();
            });
        let address = dialog.room_address();
        ui.add_space(6.0);
        match &address {
            Ok(a) if dialog.share => {
                ui.horizontal(|ui| {
                    ui.label("Give colleagues this address:");
                    ui.monospace(a.to_string());
                    if ui.small_button("Copy").clicked() {
                        ui.ctx().copy_text(a.to_string());
                    }
                });
            }
            Ok(_) => {}
            Err(e) if !(dialog.room.is_empty() && dialog.address.is_empty()) => {
                ui.label(RichText::new(e).color(tokens::DANGER));
            }
            Err(_) => {}
        }
        if let Some(e) = &dialog.error {
            ui.label(RichText::new(e).color(tokens::DANGER));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let label = if dialog.share { "Share" } else { "Join" };
            let ok = ui
                .add_enabled(
                    address.is_ok(),
                    egui::Button::new(RichText::new(label).strong()),
                )
                .clicked()
                || (address.is_ok() && ui.input(|i| i.key_pressed(Key::Enter)));
            if ok && let Ok(address) = address {
                let name = dialog.name.trim().to_owned();
                done = Some(Ok(if dialog.share {
                    LiveRequest::Share { address, name }
                } else {
                    LiveRequest::Join { address, name }
                }));
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                done = Some(Err(()));
            }
        });
    });
    done
}

/// The status as a colour: green connected, amber on the way, red offline or stopped.
fn status_color(status: &Status) -> Color32 {
    match status {
        Status::Connected => tokens::GOOD,
        Status::Connecting | Status::Reconnecting { .. } => tokens::WARNING,
        Status::Offline { .. } | Status::Stopped(_) => tokens::DANGER,
    }
}

fn peer_color(peer: &Peer) -> Color32 {
    tokens::theme_color(peer.color)
}

/// The live bar under the menus: "• Live: ROOM — connected" (green; amber while
/// connecting, red offline), who is in the room in their colours, and buttons to copy the
/// room's address and to leave.
pub fn bar_ui(ui: &mut egui::Ui, session: &Session, actions: &mut Actions) {
    ui.horizontal(|ui| {
        let status = &session.status;
        let mut tip = format!("Live room {}", session.address());
        if let Status::Offline { reason, .. } = status {
            tip.push_str(&format!("\n{reason}"));
        }
        tip.push_str("\nYour changes are kept while offline and sent when the connection is back.");
        ui.label(
            RichText::new(format!(
                "• Live: {} — {}",
                session.address().room,
                status.describe()
            ))
            .color(status_color(status))
            .strong(),
        )
        .on_hover_text(tip);
        ui.separator();
        ui.label(
            RichText::new(format!("{} (you)", session.name()))
                .color(tokens::theme_color(session.color())),
        );
        for peer in &session.peers {
            ui.label(RichText::new(&peer.name).color(peer_color(peer)))
                .on_hover_text(match peer.selection.len() {
                    0 => format!("{} has nothing selected", peer.name),
                    1 => format!("{} has 1 card selected", peer.name),
                    n => format!("{} has {n} cards selected", peer.name),
                });
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Leave")
                .on_hover_text(UiCommand::LeaveLive.tooltip())
                .clicked()
            {
                actions.push(Action::Ui(UiCommand::LeaveLive));
            }
            if ui
                .button("Copy address")
                .on_hover_text("Copy the room's address, for colleagues to join")
                .clicked()
            {
                ui.ctx().copy_text(session.address().to_string());
                actions.push(Action::Notify(format!(
                    "Copied the room's address: {}",
                    session.address()
                )));
            }
        });
    });
}

/// Colleagues' selections on the canvas: each selected card outlined in their colour, with
/// their name on the first one.
pub fn peers_overlay_ui(ui: &egui::Ui, canvas: &CanvasState, peers: &[Peer]) {
    let painter = ui.painter().with_clip_rect(canvas.content_area());
    for (k, peer) in peers.iter().enumerate() {
        let color = peer_color(peer);
        let mut named = false;
        for id in &peer.selection {
            let Some(rect) = canvas.card_screen_rect(id) else {
                continue;
            };
            // Two colleagues on one card: the second outline sits outside the first.
            let rect = rect.expand(4.0 + 3.0 * (k % 3) as f32);
            painter.rect_stroke(
                rect,
                7.0,
                Stroke::new(2.5, color),
                egui::StrokeKind::Outside,
            );
            if !named {
                named = true;
                let font = tokens::regular(tokens::SMALL_SIZE);
                let galley = painter.layout_no_wrap(peer.name.clone(), font, tokens::ON_SWATCH);
                let tag = egui::Rect::from_min_size(
                    rect.left_top() - egui::vec2(0.0, galley.size().y + 4.0),
                    galley.size() + egui::vec2(8.0, 4.0),
                );
                painter.rect_filled(tag, 3.0, color);
                painter.galley(tag.min + egui::vec2(4.0, 2.0), galley, tokens::ON_SWATCH);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_dialog_suggests_a_room_from_the_title() {
        let mut live = LiveState::default();
        live.open_dialog(true, "Le Petit Matin: a café");
        let d = live.dialog.as_ref().expect("dialog");
        assert_eq!(d.room, "le-petit-matin-a-caf");
        assert_eq!(
            d.room_address().map(|a| a.to_string()),
            Ok("ws://127.0.0.1:1234/le-petit-matin-a-caf".to_owned())
        );
    }
}
