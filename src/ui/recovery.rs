//! Autosave and recovery in the editor (the storage is [`crate::recovery`]):
//! [`RecoveryState`] snapshots the document every few seconds while it is dirty and clears
//! the copy once it is clean again (saved, undone to the saved state, or replaced after
//! "Don't save"); at start it lists what crashed sessions left behind and shows the restore
//! prompt: one row per copy with its title, size, time and original file, and "Restore" /
//! "Discard" buttons; "Decide later" keeps the copies for the next start.

use crate::model::Document;
use crate::recovery::{Autosave, RecoveryEntry, RecoveryStore, Restored};
use egui::{RichText, Ui};
use std::path::Path;
use std::time::{Instant, SystemTime};

/// The editor's side of autosave: the store (if the data folder is usable), the timer,
/// and the copies waiting for the user's answer.
pub struct RecoveryState {
    store: Option<RecoveryStore>,
    autosave: Autosave,
    /// Recovery copies from earlier sessions still to be answered in the prompt.
    pub entries: Vec<RecoveryEntry>,
    /// Whether this session has a copy on disk that a clean state should remove.
    written: bool,
    /// The last problem (restore failed), for the app's banner.
    pub error: Option<String>,
}

impl RecoveryState {
    /// No autosave at all (tests, and when the data folder cannot be used).
    pub fn disabled() -> Self {
        Self {
            store: None,
            autosave: Autosave::default(),
            entries: Vec::new(),
            written: false,
            error: None,
        }
    }

    /// Autosave in `store`, offering what earlier sessions left there.
    pub fn with_store(store: RecoveryStore) -> Self {
        let entries = store.list();
        Self {
            store: Some(store),
            ..Self::disabled()
        }
        .with_entries(entries)
    }

    fn with_entries(mut self, entries: Vec<RecoveryEntry>) -> Self {
        self.entries = entries;
        self
    }

    /// Autosave in the platform's data folder (or `STAGECRAFT_RECOVERY_DIR`); disabled if
    /// that folder cannot be created.
    pub fn open_default() -> Self {
        RecoveryStore::open_default().map_or_else(|_| Self::disabled(), Self::with_store)
    }

    pub fn store(&self) -> Option<&RecoveryStore> {
        self.store.as_ref()
    }

    /// Once per frame, after edits: snapshot when due, clear when clean. Returns how long
    /// until the next snapshot is due while one is pending, so the caller can ask for a
    /// repaint then (egui does not run frames while the user is idle).
    pub fn tick(
        &mut self,
        now: Instant,
        doc: &std::sync::Arc<Document>,
        dirty: bool,
        revision: u64,
        file: Option<&Path>,
    ) -> Option<std::time::Duration> {
        let store = self.store.as_ref()?;
        if !dirty {
            if self.written {
                store.clear();
                self.written = false;
                self.autosave.reset();
            }
            return None;
        }
        if self.autosave.due(now, dirty, revision) {
            // No copy here: the writer shares the document, and serialises and writes it
            // on its own thread.
            store.snapshot(std::sync::Arc::clone(doc), file);
            self.written = true;
            return None;
        }
        (!self.autosave.is_current(revision)).then(|| self.autosave.wait_hint(now))
    }

    /// The document is being dropped on purpose (closing after "Don't save").
    pub fn discard_current(&mut self) {
        if let Some(store) = &self.store {
            store.clear();
            store.flush();
        }
        self.written = false;
        self.autosave.reset();
    }

    /// Shows the prompt while copies are waiting; returns a document to open when the user
    /// chose "Restore". "Discard" deletes a copy, "Decide later" hides the prompt.
    pub fn prompt_ui(&mut self, ctx: &egui::Context) -> Option<Restored> {
        if self.entries.is_empty() {
            return None;
        }
        let choice = recovery_prompt_ui(ctx, &self.entries, SystemTime::now())?;
        let store = self.store.as_mut()?;
        match choice {
            RecoveryChoice::Restore(session) => {
                self.entries.retain(|e| e.session() != session);
                match store.restore(&session) {
                    Ok(restored) => {
                        // The adopted copy is this session's now; keep it until clean.
                        self.written = true;
                        return Some(restored);
                    }
                    Err(e) => self.error = Some(format!("Could not restore the canvas.\n{e}")),
                }
            }
            RecoveryChoice::Discard(session) => {
                self.entries.retain(|e| e.session() != session);
                if let Err(e) = store.discard(&session) {
                    self.error = Some(format!("Could not delete the recovery copy.\n{e}"));
                }
            }
            RecoveryChoice::Later => self.entries.clear(),
        }
        None
    }
}

/// What the user chose in the prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecoveryChoice {
    /// Open this session's copy as an unsaved document.
    Restore(String),
    /// Delete this session's copy.
    Discard(String),
    /// Close the prompt and keep every copy for the next start.
    Later,
}

/// The modal prompt; returns the user's choice in the frame it is made.
pub fn recovery_prompt_ui(
    ctx: &egui::Context,
    entries: &[RecoveryEntry],
    now: SystemTime,
) -> Option<RecoveryChoice> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("recovery-prompt")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Recover unsaved work?");
        ui.label(if entries.len() == 1 {
            "Stagecraft closed before this canvas was saved. A recovery copy was kept:"
        } else {
            "Stagecraft closed before these canvases were saved. Recovery copies were kept:"
        });
        ui.add_space(8.0);
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                for entry in entries {
                    if let Some(c) = entry_ui(ui, entry, now) {
                        choice = Some(c);
                    }
                    ui.separator();
                }
            });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui
                .button("Decide later")
                .on_hover_text("Keep the recovery copies; this question comes back next time")
                .clicked()
            {
                choice = Some(RecoveryChoice::Later);
            }
        });
    });
    choice
}

fn entry_ui(ui: &mut Ui, entry: &RecoveryEntry, now: SystemTime) -> Option<RecoveryChoice> {
    let mut choice = None;
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            // Room for the two buttons on the right: long titles and dates wrap rather
            // than run under them.
            ui.set_max_width((ui.available_width() - 170.0).max(120.0));
            let title = if entry.meta.title.trim().is_empty() {
                "(untitled journey)"
            } else {
                entry.meta.title.as_str()
            };
            ui.label(RichText::new(title).strong().size(15.0));
            let cards = entry.meta.touchpoints;
            ui.label(format!(
                "{} · {cards} touchpoint{}",
                entry.when_label(now),
                if cards == 1 { "" } else { "s" }
            ));
            if let Some(path) = &entry.meta.original_path {
                ui.label(RichText::new(format!("from {}", path.display())).weak());
            } else {
                ui.label(RichText::new("never saved to a file").weak());
            }
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Discard")
                .on_hover_text("Delete this recovery copy")
                .clicked()
            {
                choice = Some(RecoveryChoice::Discard(entry.session().to_owned()));
            }
            if ui
                .button(RichText::new("Restore").strong())
                .on_hover_text("Open it as an unsaved canvas")
                .clicked()
            {
                choice = Some(RecoveryChoice::Restore(entry.session().to_owned()));
            }
        });
    });
    choice
}
