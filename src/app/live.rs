//! Live co-editing from the app's side: the live window, starting and ending a session,
//! the tick that exchanges changes, and undo while live.

use super::{Pending, StagecraftApp};
use std::sync::Arc;

impl StagecraftApp {
    /// File → Share live… / Join live…: the dialog, then the session (joining replaces the
    /// document, so it goes through [`Self::request`]).
    pub(super) fn live_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.live.dialog else {
            return;
        };
        match crate::ui::live::dialog_ui(ctx, dialog) {
            Some(Ok(crate::ui::live::LiveRequest::Share { address, name })) => {
                self.live.dialog = None;
                self.start_live(ctx, &address, name, true);
            }
            Some(Ok(crate::ui::live::LiveRequest::Join { address, name })) => {
                self.live.dialog = None;
                self.request(ctx, Pending::JoinLive(address, name));
            }
            Some(Err(())) => self.live.dialog = None,
            None => {}
        }
    }

    /// Starts co-editing: sharing brings this canvas into the room (merged if the room
    /// holds one); joining takes the room's canvas when it arrives.
    pub(super) fn start_live(
        &mut self,
        ctx: &egui::Context,
        address: &crate::live::RoomAddress,
        name: String,
        share: bool,
    ) {
        use crate::live::{BaseFinder, Options, Session, Start};
        self.end_live(None);
        self.editor.commit();
        let start = if share {
            let base = self.versions.as_ref().map(|v| {
                let store = crate::history::VersionStore::open(v.dir());
                Box::new(
                    move |room: &crate::model::Lineage, mine: &crate::model::Lineage| {
                        store.find_base(room, mine)
                    },
                ) as BaseFinder
            });
            Start::Contribute {
                doc: Box::new(self.editor.doc().clone()),
                base,
            }
        } else {
            Start::Join
        };
        let repaint = ctx.clone();
        let session = Session::start(
            address.clone(),
            Options {
                name: name.clone(),
                color: None,
                start,
                wake: Some(Arc::new(move || repaint.request_repaint())),
            },
        );
        // Cards and flows added here get ids no colleague's can collide with.
        crate::model::set_fresh_id_tag(Some(session.id_tag()));
        self.editor.record_changes(true);
        self.live.name = name;
        self.live.server = address.server();
        self.live.session = Some(session);
        self.set_info(if share {
            format!(
                "Sharing live at {address}: give colleagues this address (Copy address, in the live bar)."
            )
        } else {
            format!("Joining {address}…")
        });
    }

    /// Ends co-editing (the canvas stays open here, as it was).
    pub(super) fn end_live(&mut self, message: Option<String>) {
        if self.live.session.take().is_some() {
            self.editor.record_changes(false);
            crate::model::set_fresh_id_tag(None);
            if let Some(m) = message {
                self.set_info(m);
            }
        }
    }

    /// Once per frame while live: this user's changes and selection out, colleagues'
    /// changes in (never as undo steps).
    pub(super) fn live_tick(&mut self) {
        let Some(session) = &mut self.live.session else {
            return;
        };
        if session.joined() {
            session.set_selection(self.selection.cards());
        }
        let room = session.address().room.clone();
        let notices = session.pump(&mut self.editor);
        for notice in notices {
            match notice {
                crate::live::Notice::Joined(doc) => {
                    self.show_document(Arc::unwrap_or_clone(doc), None);
                    self.select_from_env();
                    self.set_info(format!(
                        "Joined the live room {room}. Save to keep a copy of your own."
                    ));
                }
                crate::live::Notice::Changed => {}
                crate::live::Notice::Refused(messages) => {
                    let more = match messages.len() {
                        0 | 1 => String::new(),
                        n => format!(" (and {} more)", n - 1),
                    };
                    self.set_error(format!(
                        "A change from the room was refused; your canvas stays valid: {}{more}",
                        messages.first().map_or("", String::as_str)
                    ));
                }
                crate::live::Notice::Contributed(c) if !c.new_room => {
                    self.set_info(format!(
                        "The room {room} already held a canvas: yours was merged into it{}.",
                        match c.conflicts.len() {
                            0 => String::new(),
                            1 => " (1 conflict kept the room's value)".to_owned(),
                            n => format!(" ({n} conflicts kept the room's values)"),
                        }
                    ));
                }
                crate::live::Notice::Contributed(_) => {}
            }
        }
    }

    /// Undo and redo while live: only this user's changes, through the room. Returns
    /// whether the live session took the command.
    pub(super) fn live_undo(&mut self, _ctx: &egui::Context, redo: bool) -> bool {
        if !self
            .live
            .session
            .as_ref()
            .is_some_and(crate::live::Session::joined)
        {
            return false;
        }
        // The step under way, and any change not sent yet, go first.
        self.editor.commit();
        self.live_tick();
        if let Some(session) = &mut self.live.session {
            session.undo(redo);
        }
        true
    }
}
