//! Files and documents: opening, saving, samples, a colleague's changes on disk, merging
//! and comparing, and the questions asked before the document is replaced or closed.

use super::{PathPrompt, PathPurpose, Pending, Screen, StagecraftApp, save_error_text};
use crate::edit::Command;
use crate::model::Document;
use crate::ui::action::Selection;
use crate::ui::files::{Picked, pick_open, pick_save};
use crate::ui::sharing::{CompareState, DiskChoice, DiskState, MergeSession};
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl StagecraftApp {
    /// Replaces the document (new or opened); a live session ends (the room keeps its
    /// canvas).
    pub(super) fn load_document(&mut self, doc: Document, file: Option<PathBuf>) {
        self.end_live(None);
        self.show_document(doc, file);
    }

    /// Shows `doc` in place of the document, as opened from `file`.
    pub(super) fn show_document(&mut self, doc: Document, file: Option<PathBuf>) {
        self.editor.replace(doc);
        self.file = file;
        self.disk = None;
        self.disk_change = None;
        self.merge = None;
        self.compare = None;
        self.selection = Selection::None;
        self.canvas.title_edit = None;
        self.canvas.gesture = Default::default();
        self.canvas.show_opening_view();
        self.screen = Screen::Canvas;
        self.canvas_open = true;
        self.refresh_report();
    }

    /// Opens a file; on failure shows the error (<FILE:LINE:COL>) and keeps the document.
    pub fn open_path(&mut self, path: &Path) {
        match crate::io::load_path(path) {
            Ok(loaded) => {
                let is_image = path.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("png") || e.eq_ignore_ascii_case("svg")
                });
                // A canvas taken out of an exported image is saved as JSON next to it, never
                // over the image.
                let file = if is_image {
                    None
                } else {
                    Some(path.to_owned())
                };
                self.load_document(loaded.document, file);
                if !is_image && let Ok(bytes) = std::fs::read(path) {
                    self.disk = Some(DiskState::new(
                        path,
                        &bytes,
                        Arc::clone(self.editor.shared_doc()),
                    ));
                }
                self.recent.touch(path);
                self.remember_folder(path);
                self.banner = None;
                if !loaded.warnings.is_empty() {
                    self.set_info(format!(
                        "Opened with {} note(s): {}",
                        loaded.warnings.len(),
                        loaded.warnings.join("; ")
                    ));
                }
            }
            Err(e) => {
                self.set_error(format!("Could not open the file.\n{e}"));
            }
        }
    }

    pub(super) fn open_sample(&mut self, i: usize) {
        let Some(sample) = self.samples.get(i).cloned() else {
            return;
        };
        match sample.load() {
            // Samples open as untitled copies so that Save asks where to put them.
            Ok(loaded) => {
                self.load_document(loaded.document, None);
                self.banner = None;
            }
            Err(e) => self.set_error(format!("Could not open the sample.\n{e}")),
        }
    }

    /// Saves to `path`; returns whether it worked.
    /// Saves to `path`; returns whether it worked. Never over a colleague's newer save of
    /// the open file: that asks first (see [`DiskChange`]).
    pub(super) fn save_to(&mut self, path: &Path) -> bool {
        self.editor.commit();
        if let Some(disk) = &mut self.disk
            && disk.path == path
            && let Ok(Some(change)) = disk.check(true)
        {
            self.disk_change = Some(change);
            return false;
        }
        let before = self.editor.doc().lineage.clone();
        let mut lineage = before.clone();
        lineage.stamp();
        self.editor.set_lineage(lineage);
        match crate::io::save_json(self.editor.doc(), path) {
            Ok(()) => {
                self.editor.mark_saved();
                self.file = Some(path.to_owned());
                self.recent.touch(path);
                self.remember_folder(path);
                self.set_info(format!("Saved {}", path.display()));
                self.after_save(path);
                true
            }
            Err(e) => {
                self.editor.set_lineage(before);
                self.set_error(save_error_text(&e));
                false
            }
        }
    }

    /// Remembers the file as written (for noticing a colleague's save) and keeps the
    /// version in this machine's history (for merging their copies later).
    pub(super) fn after_save(&mut self, path: &Path) {
        let Ok(bytes) = std::fs::read(path) else {
            self.disk = None;
            return;
        };
        let doc = Arc::clone(self.editor.shared_doc());
        if let Some(store) = &self.versions
            && let Ok(text) = std::str::from_utf8(&bytes)
            && let Err(e) = store.record(&doc, text)
        {
            self.set_info(format!(
                "Saved {}, but its version could not be kept for later merges ({e}).",
                path.display()
            ));
        }
        self.disk = Some(DiskState::new(path, &bytes, doc));
    }

    /// Whether someone else saved the open file since; if so, asks what to do.
    pub(super) fn check_disk(&mut self, on_save: bool) {
        if self.disk_change.is_some() {
            return;
        }
        if let Some(disk) = &mut self.disk
            && let Ok(Some(change)) = disk.check(on_save)
        {
            self.disk_change = Some(change);
        }
    }

    /// The user's answer about a file changed on disk.
    pub(super) fn answer_disk_change(&mut self, choice: DiskChoice) {
        let Some(change) = self.disk_change.take() else {
            return;
        };
        let name = self.file_name();
        match choice {
            DiskChoice::Merge => {
                let base = self.disk.as_ref().map(|d| (*d.base).clone());
                let session = MergeSession::new(
                    format!("their save of {name}"),
                    base,
                    self.editor.doc().clone(),
                    (*change.theirs).clone(),
                );
                if let Some(disk) = &mut self.disk {
                    disk.adopt(&change);
                }
                self.start_merge(session);
            }
            DiskChoice::Reload => match self.editor.apply(Command::Reload(change.theirs.clone())) {
                Ok(_) => {
                    if let Some(disk) = &mut self.disk {
                        disk.adopt(&change);
                    }
                    self.editor.mark_saved();
                    self.set_info(format!(
                        "Reloaded {name} as it was saved on disk. Undo brings your version back."
                    ));
                }
                Err(e) => self.set_error(format!("Could not reload {name}: {e}")),
            },
            DiskChoice::KeepBoth => {
                if let Some(file) = self.file.clone() {
                    let copy = crate::ui::sharing::copy_path(&file);
                    // The copy is a new file; if its save fails, the canvas still belongs to
                    // `file`, whose colleague's save must keep being noticed.
                    let watched = self.disk.take();
                    if !self.save_to(&copy) {
                        self.disk = watched;
                    } else {
                        self.set_info(format!(
                            "Their version stays in {name}; yours is saved as {}.",
                            copy.display()
                        ));
                    }
                }
            }
            DiskChoice::Later => self.set_info(format!(
                "{name} was changed by someone else; it will not be saved over until you decide."
            )),
        }
    }

    pub(super) fn file_name(&self) -> String {
        self.file.as_ref().and_then(|f| f.file_name()).map_or_else(
            || self.doc().title.clone(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Applies a merge as one undo step and shows its conflicts, if any.
    pub(super) fn start_merge(&mut self, mut session: MergeSession) {
        self.editor.commit();
        if let Err(e) = self
            .editor
            .apply(Command::Merge(Box::new(session.outcome.doc.clone())))
        {
            self.set_error(format!("Could not merge {}: {e}", session.source));
            return;
        }
        session.applied_revision = self.editor.revision();
        let n = session.outcome.conflicts.len();
        self.set_info(match n {
            0 => format!(
                "Merged {}: no conflicts. Undo takes the merge back.",
                session.source
            ),
            1 => format!("Merged {}: 1 conflict to review.", session.source),
            n => format!("Merged {}: {n} conflicts to review.", session.source),
        });
        self.merge = Some(session);
    }

    /// A new choice in the conflicts panel replaces the merge step (or, if the canvas was
    /// edited since, becomes a step of its own).
    pub(super) fn rechoose(&mut self, key: crate::merge::ConflictKey, side: crate::merge::Side) {
        let Some(mut session) = self.merge.take() else {
            return;
        };
        session.choose(key, side);
        if self.editor.revision() == session.applied_revision {
            self.editor.undo();
        }
        match self
            .editor
            .apply(Command::Merge(Box::new(session.outcome.doc.clone())))
        {
            Ok(_) => session.applied_revision = self.editor.revision(),
            Err(e) => self.set_error(format!("Could not apply that choice: {e}")),
        }
        self.merge = Some(session);
    }

    /// File → Merge a colleague's copy…, once the file is chosen: three-way against the
    /// newest version both copies descend from, if this machine kept it; two-way otherwise.
    pub fn merge_from_path(&mut self, path: &Path) {
        let theirs = match crate::io::load_path(path) {
            Ok(l) => l.document,
            Err(e) => return self.set_error(format!("Could not open the copy to merge.\n{e}")),
        };
        let ours = self.editor.doc().clone();
        let opened = self.disk.as_ref().map(|d| Arc::clone(&d.base)).filter(|b| {
            b.lineage
                .latest()
                .is_some_and(|v| theirs.lineage.versions.iter().any(|t| t == v))
        });
        let base = opened.map(|b| (*b).clone()).or_else(|| {
            self.versions
                .as_ref()
                .and_then(|store| store.find_base(&ours.lineage, &theirs.lineage))
        });
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        self.start_merge(MergeSession::new(name, base, ours, theirs));
    }

    /// File → Compare with…, once the file is chosen.
    pub fn compare_with_path(&mut self, path: &Path) {
        match crate::io::load_path(path) {
            Ok(l) => {
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                self.compare = Some(CompareState::new(name, l.document, self.editor.doc()));
                self.compare_rev = self.editor.revision();
            }
            Err(e) => self.set_error(format!("Could not open the version to compare with.\n{e}")),
        }
    }

    /// Asks for a file to compare or merge with (or for its path, without a dialog).
    pub(super) fn pick_other(&mut self, purpose: PathPurpose) {
        let dir = self
            .file
            .as_ref()
            .and_then(|f| f.parent().map(Path::to_owned));
        match pick_open(dir.as_deref()) {
            Picked::Path(p) if purpose == PathPurpose::Merge => self.merge_from_path(&p),
            Picked::Path(p) => self.compare_with_path(&p),
            Picked::Cancelled => {}
            Picked::Unavailable => {
                self.path_prompt = Some(PathPrompt {
                    purpose,
                    text: String::new(),
                    then: None,
                });
            }
        }
    }

    /// What Save As offers: the file's own path, else a name from the title in
    /// [`Self::save_folder`].
    pub fn suggested_path(&self) -> PathBuf {
        if let Some(f) = &self.file {
            return f.clone();
        }
        let stem: String = self
            .doc()
            .title
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let stem = stem.trim_matches('-');
        let name = format!("{}.json", if stem.is_empty() { "journey" } else { stem });
        match self.save_folder() {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        }
    }

    /// Save; asks for a name when the canvas has none. Returns whether it was saved.
    pub(super) fn save(&mut self) -> bool {
        match self.file.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    pub(super) fn save_as(&mut self) -> bool {
        match pick_save(&self.suggested_path()) {
            Picked::Path(p) => self.save_to(&p),
            Picked::Cancelled => false,
            Picked::Unavailable => {
                self.path_prompt = Some(PathPrompt {
                    purpose: PathPurpose::Save,
                    text: self.suggested_path().display().to_string(),
                    then: None,
                });
                false
            }
        }
    }

    pub(super) fn open_dialog(&mut self) {
        let dir = self
            .file
            .as_ref()
            .and_then(|f| f.parent().map(Path::to_owned))
            .or_else(|| self.last_folder.clone());
        match pick_open(dir.as_deref()) {
            Picked::Path(p) => self.open_path(&p),
            Picked::Cancelled => {}
            Picked::Unavailable => {
                self.path_prompt = Some(PathPrompt {
                    purpose: PathPurpose::Open,
                    text: String::new(),
                    then: None,
                });
            }
        }
    }

    /// The one guard: runs `p`, or asks first when it would drop unsaved changes, whatever
    /// screen is showing (the start screen keeps the canvas open behind it).
    pub fn request(&mut self, ctx: &egui::Context, p: Pending) {
        if p.replaces_document() && self.editor.is_dirty() {
            self.pending = Some(p);
        } else {
            self.run_pending(ctx, p);
        }
    }

    pub(super) fn run_pending(&mut self, ctx: &egui::Context, p: Pending) {
        match p {
            Pending::New => {
                self.load_document(Document::new_canvas(), None);
                self.banner = None;
            }
            Pending::OpenDialog => self.open_dialog(),
            Pending::OpenPath(path) => self.open_path(&path),
            Pending::OpenSample(i) => self.open_sample(i),
            Pending::StartScreen => {
                self.editor.commit();
                self.screen = Screen::Start;
            }
            Pending::JoinLive(address, name) => self.start_live(ctx, &address, name, false),
            Pending::Close => {
                self.recovery.discard_current();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}
