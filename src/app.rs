//! The eframe App: lays out the panels, collects the actions widgets queue during the UI
//! pass, and applies them after it (edits through the [`Editor`], files, selection, view).
//!
//! The score is computed once per document revision, not per frame; layout and scene are
//! cached by the canvas on the same revision.

use crate::edit::{Clip, Command, Editor, PasteAt};
use crate::model::{Document, TouchpointId};
use crate::scoring::{self, Report, Target};
use crate::ui::action::{Action, Actions, Selection};
use crate::ui::canvas::{CanvasCtx, CanvasState, canvas_ui};
use crate::ui::commands::UiCommand;
use crate::ui::files::{Picked, RecentFiles, Sample, find_samples, pick_open, pick_save};
use crate::ui::inspector::{InspectorCtx, inspector_ui};
use crate::ui::sharing::{
    CompareAction, CompareState, ConflictAction, DiskChange, DiskChoice, DiskState, MergeSession,
};
use crate::ui::toolbar::{ToolbarState, toolbar_ui};
use crate::ui::{palette, start, tokens};
use egui::{Key, RichText, Ui};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which screen is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Start,
    Canvas,
}

/// Something to do that may replace or close the document. Every such action goes
/// through [`StagecraftApp::request`], the one guard that asks first when there are
/// unsaved changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    New,
    OpenDialog,
    OpenPath(PathBuf),
    OpenSample(usize),
    StartScreen,
    Close,
}

impl Pending {
    /// Whether doing this drops the open document. The start screen does not: the canvas
    /// stays open behind it (with its unsaved changes) until something replaces it.
    pub fn replaces_document(&self) -> bool {
        !matches!(self, Pending::StartScreen)
    }
}

/// A message shown over the canvas (see `ui::toast`).
pub use crate::ui::toast::Banner;

/// What a typed path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    Save,
    /// File → Compare with…
    Compare,
    /// File → Merge a colleague's copy…
    Merge,
}

/// The fallback when the system has no file dialog: type a path.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    pub purpose: PathPurpose,
    pub text: String,
    /// What to do once the typed path is saved (the action that asked to save first).
    pub then: Option<Pending>,
}

pub struct StagecraftApp {
    editor: Editor,
    file: Option<PathBuf>,
    pub screen: Screen,
    pub selection: Selection,
    pub canvas: CanvasState,
    /// The revision the report was scored at, and the scorer that keeps it, with what it
    /// knows of each card, between edits (see `scoring::Scorer`).
    report_rev: Option<u64>,
    scorer: scoring::Scorer,
    /// Cards per theme for the themes list, recomputed when themes change.
    theme_counts: palette::ThemeCounts,
    pub banner: Option<Banner>,
    pub pending: Option<Pending>,
    pub path_prompt: Option<PathPrompt>,
    recent: RecentFiles,
    samples: Vec<Sample>,
    dark: bool,
    style_applied: Option<bool>,
    fonts_installed: bool,
    window_title: String,
    allow_close: bool,
    /// Autosave and the restore prompt (disabled in tests unless set).
    pub recovery: crate::ui::recovery::RecoveryState,
    /// The F12 frame-time readout.
    pub frame_times: crate::ui::frame_time::FrameTimes,
    /// File → Export… (paper, format, tiles; renders on a background thread).
    pub export: crate::ui::export_dialog::ExportDialog,
    /// Side panels shown (View menu, Ctrl+\); a matter of screen room, not of the document.
    pub show_palette: bool,
    pub show_inspector: bool,
    /// Whether a canvas has been opened in this window (the start screen then offers the
    /// way back to it).
    canvas_open: bool,
    /// Saved versions kept on this machine, to find a merge base for colleagues' copies.
    pub versions: Option<crate::history::VersionStore>,
    /// The open file as last read or written here (to notice a colleague's save).
    pub disk: Option<DiskState>,
    /// A colleague saved the open file: the question waiting for an answer.
    pub disk_change: Option<DiskChange>,
    /// A merge being reviewed in the conflicts panel.
    pub merge: Option<MergeSession>,
    /// Another version shown over the canvas (File → Compare with…), and the revision of
    /// this canvas it was compared at.
    pub compare: Option<CompareState>,
    compare_rev: u64,
    /// Whether the window had the focus last frame (regaining it checks the file).
    focused: bool,
    /// Until the user shows or hides a panel, the panels follow the window's width: hidden
    /// when it is narrower than [`tokens::NARROW_WINDOW`], shown otherwise.
    pub panels_follow_window: bool,
    /// The legend of card marks and theme colours over the canvas (View → Legend).
    pub show_legend: bool,
    /// Where the look and panel choices are kept between runs (in memory in tests).
    settings: crate::ui::settings::SettingsStore,
    /// The folder of the last file opened or saved (Save As starts there).
    last_folder: Option<PathBuf>,
}

impl StagecraftApp {
    fn blank(doc: Document, screen: Screen, recent: RecentFiles, samples: Vec<Sample>) -> Self {
        let mut app = Self {
            editor: Editor::new(doc),
            file: None,
            screen,
            selection: Selection::None,
            canvas: CanvasState::default(),
            report_rev: None,
            scorer: scoring::Scorer::default(),
            theme_counts: Default::default(),
            banner: None,
            pending: None,
            path_prompt: None,
            recent,
            samples,
            dark: false,
            style_applied: None,
            fonts_installed: false,
            window_title: String::new(),
            allow_close: false,
            recovery: crate::ui::recovery::RecoveryState::disabled(),
            frame_times: Default::default(),
            export: Default::default(),
            show_palette: true,
            show_inspector: true,
            canvas_open: screen == Screen::Canvas,
            versions: None,
            disk: None,
            disk_change: None,
            merge: None,
            compare: None,
            compare_rev: 0,
            focused: true,
            panels_follow_window: true,
            show_legend: false,
            settings: crate::ui::settings::SettingsStore::in_memory(),
            last_folder: None,
        };
        app.canvas.show_opening_view();
        app.refresh_report();
        app
    }

    /// The app as a user starts it: the start screen, or `file` opened.
    pub fn new(file: Option<PathBuf>) -> Self {
        let mut app = Self::blank(
            Document::new_canvas(),
            Screen::Start,
            RecentFiles::load_user(),
            find_samples(),
        );
        app.recovery = crate::ui::recovery::RecoveryState::open_default();
        app.versions = crate::history::VersionStore::open_default();
        app.use_settings(crate::ui::settings::SettingsStore::user());
        if let Some(path) = file {
            app.open_path(&path);
        }
        // For scripts/screenshot.sh: the dark look, the side panels hidden, and a card selected ("first" or an id).
        if std::env::var_os("STAGECRAFT_DARK").is_some() {
            app.dark = true;
        }
        if std::env::var_os("STAGECRAFT_HIDE_PANELS").is_some() {
            app.show_palette = false;
            app.show_inspector = false;
            app.panels_follow_window = false;
        }
        if let Ok(want) = std::env::var("STAGECRAFT_SELECT") {
            let doc = app.editor.doc();
            let found = doc
                .touchpoints
                .iter()
                .find(|t| want == "first" || t.id.as_str() == want)
                .map(|t| t.id.clone());
            if let Some(id) = found {
                app.selection = Selection::Cards(vec![id]);
            }
        }
        app
    }

    /// An app showing `doc` on the canvas, with no recent-files storage (for tests).
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn new_with(doc: Document) -> Self {
        Self::blank(doc, Screen::Canvas, RecentFiles::in_memory(), Vec::new())
    }

    /// The start screen with the given samples, no storage (for tests and screenshots).
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn new_start(samples: Vec<Sample>) -> Self {
        Self::blank(
            Document::new_canvas(),
            Screen::Start,
            RecentFiles::in_memory(),
            samples,
        )
    }

    pub fn doc(&self) -> &Document {
        self.editor.doc()
    }

    /// Reads the settings from `store` (look, panels, last folder) and keeps them there
    /// from now on.
    pub fn use_settings(&mut self, mut store: crate::ui::settings::SettingsStore) {
        let s = store.load();
        self.dark = s.dark;
        if s.panels_chosen {
            // The user's choice wins over the narrow-window rule, as in the last run.
            self.panels_follow_window = false;
            self.show_palette = s.show_palette;
            self.show_inspector = s.show_inspector;
        }
        self.show_legend = s.show_legend;
        self.last_folder = s.last_folder;
        self.settings = store;
    }

    /// Writes the settings if a choice changed since the last write.
    fn save_settings(&mut self) {
        let now = crate::ui::settings::Settings {
            dark: self.dark,
            // Panels hidden by a narrow window are no choice to remember.
            panels_chosen: !self.panels_follow_window,
            show_palette: self.show_palette,
            show_inspector: self.show_inspector,
            show_legend: self.show_legend,
            last_folder: self.last_folder.clone(),
        };
        self.settings.save(&now);
    }

    /// Remembers the folder of a file just opened or saved.
    fn remember_folder(&mut self, file: &Path) {
        let dir = std::fs::canonicalize(file)
            .unwrap_or_else(|_| file.to_owned())
            .parent()
            .map(Path::to_owned);
        if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) {
            self.last_folder = Some(dir);
        }
    }

    /// Where Save As starts for a canvas that has no file yet: the last folder used, else
    /// the documents folder, else the home folder (never the working directory, which for
    /// an app started from a menu is anywhere).
    pub fn save_folder(&self) -> Option<PathBuf> {
        self.last_folder
            .clone()
            .or_else(dirs::document_dir)
            .or_else(dirs::home_dir)
    }

    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    pub fn report(&self) -> &Report {
        self.scorer.report()
    }

    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    pub fn is_dark(&self) -> bool {
        self.dark
    }

    /// The window title: file name, an unsaved mark, the app name.
    pub fn title(&self) -> String {
        let name = self.file.as_ref().and_then(|p| p.file_name()).map_or_else(
            || self.doc().title.clone(),
            |n| n.to_string_lossy().into_owned(),
        );
        let mark = if self.editor.is_dirty() { "● " } else { "" };
        match self.screen {
            Screen::Start => "Stagecraft".to_owned(),
            Screen::Canvas => format!("{mark}{name} — Stagecraft"),
        }
    }

    fn refresh_report(&mut self) {
        let rev = self.editor.revision();
        if self.report_rev != Some(rev) {
            let changed = match self.report_rev {
                Some(scored) => self.editor.change_log().since(scored, rev),
                None => crate::edit::Changed::everything(),
            };
            self.scorer.score(self.editor.doc(), &changed);
            // Counts of cards per theme change only with the themes or a card's themes.
            if changed.everything || changed.fields.meets(crate::edit::Fields::THEMES) {
                self.theme_counts = palette::theme_counts(self.editor.doc());
            }
            self.report_rev = Some(rev);
        }
    }

    fn set_error(&mut self, text: impl Into<String>) {
        self.banner = Some(Banner::error(text));
    }

    fn set_info(&mut self, text: impl Into<String>) {
        self.banner = Some(Banner::note(text));
    }

    /// Replaces the document (new or opened).
    fn load_document(&mut self, doc: Document, file: Option<PathBuf>) {
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

    fn open_sample(&mut self, i: usize) {
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
    fn save_to(&mut self, path: &Path) -> bool {
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
    fn after_save(&mut self, path: &Path) {
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
    fn check_disk(&mut self, on_save: bool) {
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
    fn answer_disk_change(&mut self, choice: DiskChoice) {
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

    fn file_name(&self) -> String {
        self.file.as_ref().and_then(|f| f.file_name()).map_or_else(
            || self.doc().title.clone(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Applies a merge as one undo step and shows its conflicts, if any.
    fn start_merge(&mut self, mut session: MergeSession) {
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
    fn rechoose(&mut self, key: crate::merge::ConflictKey, side: crate::merge::Side) {
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
    fn pick_other(&mut self, purpose: PathPurpose) {
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
    fn save(&mut self) -> bool {
        match self.file.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    fn save_as(&mut self) -> bool {
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

    fn open_dialog(&mut self) {
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

    fn run_pending(&mut self, ctx: &egui::Context, p: Pending) {
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
            Pending::Close => {
                self.recovery.discard_current();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// For tests: applies one action as if a widget had queued it.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn apply_action(&mut self, ctx: &egui::Context, a: Action) {
        self.apply_one(ctx, a);
    }

    /// Applies one queued action.
    fn apply_one(&mut self, ctx: &egui::Context, a: Action) {
        match a {
            Action::Edit(cmd) => {
                if let Err(e) = self.editor.apply(cmd) {
                    self.set_error(e.to_string());
                }
            }
            Action::Begin(label) => self.editor.begin(label),
            Action::Commit => self.editor.commit(),
            Action::Abort => self.editor.abort(),
            Action::Ui(cmd) => self.run_command(ctx, cmd),
            Action::Select(s) => self.selection = s,
            Action::ToggleCard(id) => {
                let mut ids = self.selection.cards().to_vec();
                if let Some(i) = ids.iter().position(|x| x == &id) {
                    ids.remove(i);
                } else {
                    ids.push(id);
                }
                self.selection = if ids.is_empty() {
                    Selection::None
                } else {
                    Selection::Cards(ids)
                };
            }
            Action::Reveal(targets) => self.reveal(&targets),
            Action::OpenPath(p) => self.request(ctx, Pending::OpenPath(p)),
            Action::OpenSample(i) => self.request(ctx, Pending::OpenSample(i)),
            Action::Notify(text) => self.set_info(text),
            Action::Paste { text, at } => self.paste_text(&text, at),
            Action::Nudge { stages, lanes } => self.nudge(stages, lanes),
            Action::EditTitle(id) => {
                if let Some(t) = self.editor.doc().touchpoint(&id) {
                    self.canvas.title_edit = Some((id, t.title.clone()));
                    // Set here, once the card exists, not where the gesture begins: the
                    // title editor runs later in that same frame and would close it at once.
                    self.canvas.title_ends_gesture = self.editor.in_transaction();
                }
            }
        }
    }

    /// Selects what a finding names and frames it on the canvas.
    fn reveal(&mut self, targets: &[Target]) {
        let layout = self.canvas.layout();
        let mut cards: Vec<TouchpointId> = Vec::new();
        let mut area: Option<crate::scene::Rect> = None;
        let mut grow = |r: crate::scene::Rect| {
            area = Some(area.map_or(r, |a| a.union(r)));
        };
        let doc = self.editor.doc();
        for t in targets {
            match t {
                Target::Touchpoint(id) => {
                    if let Some(r) = layout.card_rect(id) {
                        grow(r);
                        cards.push(id.clone());
                    }
                }
                Target::Stage(id) => {
                    if let Some(r) = layout.stage_header(id) {
                        grow(r);
                    }
                }
                Target::Lane(id) => {
                    if let Some(r) = layout.lane_header(id) {
                        grow(r);
                    }
                }
                Target::Theme(id) => {
                    for tp in doc.touchpoints.iter().filter(|t| t.themes.contains(id)) {
                        if let Some(r) = layout.card_rect(&tp.id) {
                            grow(r);
                        }
                    }
                }
                Target::Flow(id) => {
                    if let Some(f) = doc.flows.iter().find(|f| &f.id == id) {
                        for end in [&f.from, &f.to] {
                            if let Some(r) = layout.card_rect(end) {
                                grow(r);
                                cards.push(end.clone());
                            }
                        }
                    }
                }
            }
        }
        self.selection = if !cards.is_empty() {
            Selection::Cards(cards)
        } else {
            match targets.first() {
                Some(Target::Stage(id)) => Selection::Stage(id.clone()),
                Some(Target::Lane(id)) => Selection::Lane(id.clone()),
                Some(Target::Theme(id)) => Selection::Theme(id.clone()),
                _ => Selection::None,
            }
        };
        if let Some(r) = area {
            self.canvas.frame(r);
        }
    }

    fn run_command(&mut self, ctx: &egui::Context, cmd: UiCommand) {
        match cmd {
            UiCommand::New => self.request(ctx, Pending::New),
            UiCommand::Open => self.request(ctx, Pending::OpenDialog),
            UiCommand::Save => {
                if self.screen == Screen::Canvas {
                    self.save();
                }
            }
            UiCommand::SaveAs => {
                if self.screen == Screen::Canvas {
                    self.save_as();
                }
            }
            UiCommand::Export => {
                if self.screen == Screen::Canvas {
                    if let Some(file) = &self.file {
                        self.export.set_path(file.with_extension("png"));
                    }
                    self.export.open();
                }
            }
            UiCommand::Undo => {
                if !self.editor.undo() {
                    self.set_info("Nothing to undo.");
                }
            }
            UiCommand::Redo => {
                if !self.editor.redo() {
                    self.set_info("Nothing to redo.");
                }
            }
            UiCommand::Copy | UiCommand::Cut => {
                if let Some(clip) = self.selected_clip() {
                    ctx.copy_text(clip.to_text());
                    if cmd == UiCommand::Cut {
                        self.delete_selection();
                    }
                }
            }
            // The platform answers with a paste event (see `keyboard_input`), which pastes
            // what the system clipboard holds.
            UiCommand::Paste => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            UiCommand::ToggleLegend => self.show_legend = !self.show_legend,
            UiCommand::Duplicate => self.duplicate(),
            UiCommand::Delete => self.delete_selection(),
            UiCommand::SelectAll => {
                let ids: Vec<_> = self
                    .doc()
                    .touchpoints
                    .iter()
                    .map(|t| t.id.clone())
                    .collect();
                self.selection = if ids.is_empty() {
                    Selection::None
                } else {
                    Selection::Cards(ids)
                };
            }
            UiCommand::ZoomToFit => self.canvas.zoom_to_fit(),
            UiCommand::ZoomActual => self.canvas.set_zoom(1.0),
            UiCommand::ZoomIn => self.canvas.zoom_by(1.25),
            UiCommand::ZoomOut => self.canvas.zoom_by(0.8),
            UiCommand::ToggleDarkMode => {
                self.dark = !self.dark;
            }
            UiCommand::StartScreen => self.request(ctx, Pending::StartScreen),
            UiCommand::Quit => self.request(ctx, Pending::Close),
            UiCommand::CompareWith => self.pick_other(PathPurpose::Compare),
            UiCommand::MergeCopy => self.pick_other(PathPurpose::Merge),
            UiCommand::BackToCanvas => self.screen = Screen::Canvas,
            UiCommand::TogglePanels => {
                self.panels_follow_window = false;
                // One hidden: show both first, the second press hides both.
                let show = !(self.show_palette && self.show_inspector);
                self.show_palette = show;
                self.show_inspector = show;
            }
            UiCommand::TogglePalette => {
                self.panels_follow_window = false;
                self.show_palette = !self.show_palette;
            }
            UiCommand::ToggleInspector => {
                self.panels_follow_window = false;
                self.show_inspector = !self.show_inspector;
            }
        }
    }

    fn delete_selection(&mut self) {
        let cmd = match &self.selection {
            Selection::Cards(ids) if !ids.is_empty() => Command::DeleteTouchpoints(ids.clone()),
            Selection::Stage(id) => Command::DeleteStage(id.clone()),
            Selection::Lane(id) => Command::DeleteLane(id.clone()),
            Selection::Theme(id) => Command::DeleteTheme(id.clone()),
            _ => return,
        };
        match self.editor.apply(cmd) {
            Ok(_) => self.selection = Selection::None,
            Err(e) => self.set_error(e.to_string()),
        }
    }

    fn selected_clip(&self) -> Option<Clip> {
        let ids: HashSet<TouchpointId> = self.selection.cards().iter().cloned().collect();
        let clip = Clip::copy(self.doc(), &ids);
        (!clip.is_empty()).then_some(clip)
    }

    /// Pastes clipboard text: cards if it holds some, at the canvas point `at` when that
    /// is inside a cell.
    fn paste_text(&mut self, text: &str, at: Option<crate::scene::Point>) {
        // The system clipboard is the truth: text that is not cards means the user copied
        // something else since, and pasting the older cards would surprise.
        match Clip::from_text(text) {
            Some(clip) => {
                let at = at
                    .and_then(|p| self.canvas.layout().cell_at(p))
                    .map(|(stage, lane, pos)| PasteAt { stage, lane, pos });
                self.paste_clip(&clip, at.as_ref());
            }
            None if !text.trim().is_empty() => self
                .set_info("The clipboard holds text, not cards: select a field to paste it there."),
            None => {}
        }
    }

    fn paste_clip(&mut self, clip: &Clip, at: Option<&PasteAt>) {
        let (ins, new_ids) = clip.to_insertion_at(self.doc(), at);
        if new_ids.is_empty() {
            return;
        }
        match self.editor.apply(Command::Insert(Box::new(ins))) {
            Ok(_) => self.selection = Selection::Cards(new_ids),
            Err(e) => self.set_error(e.to_string()),
        }
    }

    fn duplicate(&mut self) {
        if let Some(clip) = self.selected_clip() {
            self.paste_clip(&clip, None);
        }
    }

    /// Arrow keys move the selected cards to the neighbouring stage or lane.
    fn nudge(&mut self, dstage: isize, dlane: isize) {
        let doc = self.doc();
        let (ns, nl) = (doc.stages.len() as isize, doc.lanes.len() as isize);
        let placements: Vec<_> = self
            .selection
            .cards()
            .iter()
            .filter_map(|id| {
                let t = doc.touchpoint(id)?;
                let s = (doc.stage_index(&t.stage)? as isize + dstage).clamp(0, ns - 1) as usize;
                let l = (doc.lane_index(&t.lane)? as isize + dlane).clamp(0, nl - 1) as usize;
                Some(crate::edit::Placement {
                    id: id.clone(),
                    stage: doc.stages[s].id.clone(),
                    lane: doc.lanes[l].id.clone(),
                    position: t.position,
                })
            })
            .collect();
        if !placements.is_empty()
            && let Err(e) = self.editor.apply(Command::MoveTouchpoints(placements))
        {
            self.set_error(e.to_string());
        }
    }

    /// Keyboard shortcuts and clipboard events, turned into actions.
    fn keyboard_input(&mut self, ctx: &egui::Context, actions: &mut Actions) {
        let typing = ctx.egui_wants_keyboard_input();
        for cmd in UiCommand::WITH_SHORTCUTS {
            if typing && cmd.yields_to_text_fields() {
                continue;
            }
            if self.screen == Screen::Start
                && !matches!(cmd, UiCommand::New | UiCommand::Open | UiCommand::Quit)
            {
                continue;
            }
            let hit = ctx.input_mut(|i| {
                cmd.shortcut().is_some_and(|s| i.consume_shortcut(&s))
                    || cmd.alt_shortcut().is_some_and(|s| i.consume_shortcut(&s))
            });
            if hit {
                actions.push(Action::Ui(cmd));
            }
        }
        if typing || self.screen != Screen::Canvas {
            return;
        }
        let zoom_in = ctx.input_mut(|i| {
            i.consume_key(egui::Modifiers::COMMAND, Key::Plus)
                || i.consume_key(egui::Modifiers::COMMAND, Key::Equals)
        });
        if zoom_in {
            actions.push(Action::Ui(UiCommand::ZoomIn));
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::Minus)) {
            actions.push(Action::Ui(UiCommand::ZoomOut));
        }
        self.clipboard_input(ctx, actions);
        if !self.selection.cards().is_empty() {
            let arrows = [
                (Key::ArrowLeft, -1, 0),
                (Key::ArrowRight, 1, 0),
                (Key::ArrowUp, 0, -1),
                (Key::ArrowDown, 0, 1),
            ];
            for (key, stages, lanes) in arrows {
                if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                    actions.push(Action::Nudge { stages, lanes });
                }
            }
        }
        // Escape closes what is on top first: a menu, the export window, a gesture (the
        // canvas cancels those), and only then clears the selection.
        if self.canvas.gesture == Default::default()
            && self.canvas.title_edit.is_none()
            && !self.export.open
            && !egui::Popup::is_any_open(ctx)
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Escape))
        {
            self.selection = Selection::None;
        }
    }

    /// Clipboard events (the platform's Ctrl+C, Ctrl+X, Ctrl+V), as commands and a paste
    /// at the pointer when it is over the canvas.
    fn clipboard_input(&self, ctx: &egui::Context, actions: &mut Actions) {
        let events = ctx.input(|i| i.events.clone());
        for e in events {
            match e {
                egui::Event::Copy => actions.push(Action::Ui(UiCommand::Copy)),
                egui::Event::Cut => actions.push(Action::Ui(UiCommand::Cut)),
                egui::Event::Paste(text) => {
                    let at = ctx
                        .pointer_hover_pos()
                        // Not over a pinned header: the cell under it is hidden.
                        .filter(|p| self.canvas.content_area().contains(*p))
                        .map(|p| self.canvas.view.to_canvas(self.canvas.area, p));
                    actions.push(Action::Paste { text, at });
                }
                _ => {}
            }
        }
    }

    /// Files dropped on the window open (the first one).
    fn dropped_files_input(&mut self, ctx: &egui::Context, actions: &mut Actions) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(path) = dropped.into_iter().next().map(|f| f.path().to_owned()) {
            actions.push(Action::OpenPath(path));
        }
    }

    fn apply_look(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            tokens::install_fonts(ctx);
            self.fonts_installed = true;
        }
        if self.style_applied != Some(self.dark) {
            tokens::apply_style(ctx, self.dark);
            self.style_applied = Some(self.dark);
        }
    }

    /// The whole UI for one frame (what `eframe::App::ui` calls; tests call it directly).
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.frame_times.begin(&ctx);
        self.apply_look(&ctx);
        self.refresh_report();
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.editor.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending = Some(Pending::Close);
        }
        // Coming back to the window (from a file manager, a chat) is when a colleague's
        // save of the open file is most likely to have happened.
        let focused = ctx.input(|i| i.focused);
        if focused && !self.focused && self.screen == Screen::Canvas {
            self.check_disk(false);
        }
        self.focused = focused;
        let mut actions = Actions::default();
        self.dropped_files_input(&ctx, &mut actions);
        if self.pending.is_none() && self.path_prompt.is_none() && self.disk_change.is_none() {
            self.keyboard_input(&ctx, &mut actions);
        }

        egui::Panel::top("menu").show(ui, |ui| {
            let st = ToolbarState {
                on_canvas: self.screen == Screen::Canvas,
                can_undo: self.editor.can_undo(),
                can_redo: self.editor.can_redo(),
                undo_label: self.editor.undo_label(),
                redo_label: self.editor.redo_label(),
                has_selection: !self.selection.is_empty(),
                dark: self.dark,
                zoom: self.canvas.view.zoom,
                recent: &self.recent,
                title: &self.editor.doc().title,
                dirty: self.editor.is_dirty(),
                export_available: true,
                show_palette: self.show_palette,
                show_inspector: self.show_inspector,
                has_cards: !self.selection.cards().is_empty(),
                show_legend: self.show_legend,
            };
            toolbar_ui(ui, &st, &mut actions);
        });
        match self.screen {
            Screen::Start => {
                let open = self.canvas_open.then(|| start::OpenCanvas {
                    title: &self.editor.doc().title,
                    dirty: self.editor.is_dirty(),
                });
                egui::CentralPanel::default().show(ui, |ui| {
                    start::start_ui(ui, &self.samples, &self.recent, open, &mut actions);
                });
            }
            Screen::Canvas => self.editor_panels_ui(ui, &mut actions),
        }
        if self.screen == Screen::Canvas {
            self.export.ui(&ctx, self.editor.doc());
            self.sharing_ui(&ctx, &mut actions);
        }
        self.banner_ui(&ctx);
        self.file_hover_ui(&ctx);
        self.pending_ui(&ctx);
        self.path_prompt_ui(&ctx);

        for a in actions.0 {
            self.apply_one(&ctx, a);
        }
        self.after_pass(&ctx);
        self.recovery_ui(&ctx);
        self.frame_times.end();
        if self.screen == Screen::Canvas {
            self.frame_times.paint(&ctx, self.canvas.area);
        }
    }

    /// The windows of `ui::sharing`: a colleague's save of the open file, the conflicts of a
    /// merge, the comparison with another version.
    fn sharing_ui(&mut self, ctx: &egui::Context, actions: &mut Actions) {
        if let Some(change) = &self.disk_change
            && let Some(choice) = crate::ui::sharing::disk_change_ui(ctx, &self.file_name(), change)
        {
            self.answer_disk_change(choice);
        }
        if let Some(session) = &self.merge {
            match crate::ui::sharing::conflicts_ui(ctx, session, actions) {
                Some(ConflictAction::Choose(key, side)) => self.rechoose(key, side),
                Some(ConflictAction::Done) => self.merge = None,
                None => {}
            }
        }
        if self.compare.is_some() && self.compare_rev != self.editor.revision() {
            // The comparison follows this canvas as it is edited.
            if let Some(c) = &mut self.compare {
                c.refresh(self.editor.doc());
            }
            self.compare_rev = self.editor.revision();
        }
        if let Some(c) = &self.compare
            && let Some(CompareAction::Close) =
                c.window_ui(ctx, self.scorer.report().total, actions)
        {
            self.compare = None;
        }
    }

    /// The restore prompt, then the autosave tick (see `ui::recovery`).
    fn recovery_ui(&mut self, ctx: &egui::Context) {
        if let Some(restored) = self.recovery.prompt_ui(ctx) {
            self.load_document(restored.document, restored.meta.original_path);
            // Not on disk anywhere but in the recovery copy: unsaved until the user saves.
            self.editor.mark_unsaved();
            self.set_info(format!(
                "Restored {} from its recovery copy. Save it to keep it.",
                scoring::quote(&restored.meta.title)
            ));
        }
        if let Some(e) = self.recovery.error.take() {
            self.set_error(e);
        }
        let wait = self.recovery.tick(
            std::time::Instant::now(),
            self.editor.shared_doc(),
            self.editor.is_dirty(),
            self.editor.revision(),
            self.file.as_deref(),
        );
        if let Some(wait) = wait {
            ctx.request_repaint_after(wait);
        }
    }

    fn editor_panels_ui(&mut self, ui: &mut Ui, actions: &mut Actions) {
        if self.panels_follow_window {
            // A narrow window leaves the canvas the room; the toolbar's Panels button and
            // the View menu bring the panels back.
            let wide = ui.ctx().content_rect().width() >= tokens::NARROW_WINDOW;
            self.show_palette = wide;
            self.show_inspector = wide;
        }
        let doc = self.editor.doc();
        if self.show_palette {
            egui::Panel::left("palette")
                .default_size(tokens::LEFT_PANEL_W)
                .size_range(180.0..=360.0)
                .show(ui, |ui| {
                    palette::palette_ui(ui, doc, &self.theme_counts, &self.selection, actions);
                });
        }
        if self.show_inspector {
            egui::Panel::right("inspector")
                .default_size(tokens::RIGHT_PANEL_W)
                .size_range(280.0..=560.0)
                .show(ui, |ui| {
                    let cx = InspectorCtx {
                        doc,
                        selection: &self.selection,
                        report: self.scorer.report(),
                    };
                    inspector_ui(ui, &cx, actions);
                });
        }
        // The opening view, or one that shows the whole journey, is taken again when the
        // canvas area changes size (a panel hidden or resized, the window resized); a view
        // the user zoomed or panned is left alone.
        let before = self.canvas.area;
        let auto_view = self.canvas.showing_auto_view();
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let cx = CanvasCtx {
                doc,
                revision: self.editor.revision(),
                changes: self.editor.change_log(),
                selection: &self.selection,
                report: self.scorer.report(),
                dark: self.dark,
            };
            canvas_ui(ui, &mut self.canvas, &cx, actions);
            if let Some(c) = &self.compare {
                c.overlay_ui(ui, &self.canvas);
            }
            crate::ui::marks::card_hover_ui(ui, &self.canvas, doc, self.scorer.report());
        });
        self.legend_ui(ui.ctx(), actions);
        if let Some(kind) = auto_view
            && self.canvas.area.size() != before.size()
        {
            self.canvas.take_view(kind);
            ui.ctx().request_repaint();
        }
    }

    /// View → Legend: the card marks and theme colours, in a corner of the canvas.
    fn legend_ui(&self, ctx: &egui::Context, actions: &mut Actions) {
        if self.show_legend
            && crate::ui::marks::legend_ui(ctx, self.canvas.area, self.editor.doc(), self.dark)
        {
            actions.push(Action::Ui(UiCommand::ToggleLegend));
        }
    }

    /// The message toast, over the canvas (or the whole window on the start screen).
    fn banner_ui(&mut self, ctx: &egui::Context) {
        let over = match self.screen {
            Screen::Canvas if self.canvas.area.width() > 1.0 => self.canvas.area,
            _ => ctx.content_rect(),
        };
        crate::ui::toast::toast_ui(ctx, &mut self.banner, over);
    }

    fn file_hover_ui(&self, ctx: &egui::Context) {
        if ctx.input(|i| i.raw.hovered_files.is_empty()) {
            return;
        }
        let screen = ctx.content_rect();
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("file-hover"),
        ));
        painter.rect_filled(screen, 0.0, tokens::SCRIM);
        painter.text(
            screen.center(),
            egui::Align2::CENTER_CENTER,
            "Drop a canvas (.json or exported .png) to open it",
            tokens::regular(26.0),
            tokens::ON_SCRIM,
        );
    }

    /// The "unsaved changes" question.
    fn pending_ui(&mut self, ctx: &egui::Context) {
        let Some(p) = self.pending.clone() else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Save your changes?");
            let name = self.file.as_ref().and_then(|f| f.file_name()).map_or_else(
                || self.doc().title.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
            ui.label(format!(
                "{} has changes that are not saved. They will be lost if you don't save them.",
                scoring::quote(&name)
            ));
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Save").strong()).clicked() {
                    choice = Some(0);
                }
                if ui.button("Don't save").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                self.pending = None;
                if self.save() {
                    self.run_pending(ctx, p);
                } else if let Some(prompt) = &mut self.path_prompt {
                    // No file dialog: the path is typed, and the action waits for that save.
                    prompt.then = Some(p);
                }
            }
            Some(1) => {
                self.pending = None;
                self.run_pending(ctx, p);
            }
            Some(_) => self.pending = None,
            None => {}
        }
    }

    /// Typing a path when the system offers no file dialog.
    fn path_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.path_prompt else {
            return;
        };
        let mut done = None;
        egui::Modal::new(egui::Id::unique("path-prompt")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(match prompt.purpose {
                PathPurpose::Save => "Save as",
                PathPurpose::Open => "Open",
                PathPurpose::Compare => "Compare with",
                PathPurpose::Merge => "Merge a colleague's copy",
            });
            ui.label("No file dialog is available on this system (install xdg-desktop-portal or zenity). Type the file's path:");
            let resp = ui
                .add(egui::TextEdit::singleline(&mut prompt.text).desired_width(f32::INFINITY))
                .accessible_name("File path");
            resp.request_focus();
            ui.horizontal(|ui| {
                let label = match prompt.purpose {
                    PathPurpose::Save => "Save",
                    PathPurpose::Open => "Open",
                    PathPurpose::Compare => "Compare",
                    PathPurpose::Merge => "Merge",
                };
                let ok = ui.button(label).clicked()
                    || ui.input(|i| i.key_pressed(Key::Enter));
                if ok && !prompt.text.trim().is_empty() {
                    done = Some(true);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    done = Some(false);
                }
            });
        });
        if let Some(ok) = done {
            let prompt = self.path_prompt.take();
            if ok && let Some(prompt) = prompt {
                let path = PathBuf::from(prompt.text.trim());
                match prompt.purpose {
                    PathPurpose::Save => {
                        if self.save_to(&path)
                            && let Some(then) = prompt.then
                        {
                            self.run_pending(ctx, then);
                        }
                    }
                    PathPurpose::Open => self.request(ctx, Pending::OpenPath(path)),
                    PathPurpose::Compare => self.compare_with_path(&path),
                    PathPurpose::Merge => self.merge_from_path(&path),
                }
            }
        }
    }

    /// After the actions: keep the selection pointing at things that exist, update the
    /// window title, recompute the score if the document changed.
    fn after_pass(&mut self, ctx: &egui::Context) {
        self.refresh_report();
        self.save_settings();
        let doc = self.editor.doc();
        let stale = match &self.selection {
            Selection::Cards(ids) => ids.iter().any(|id| doc.touchpoint(id).is_none()),
            Selection::Stage(id) => doc.stage(id).is_none(),
            Selection::Lane(id) => doc.lane(id).is_none(),
            Selection::Theme(id) => doc.theme(id).is_none(),
            Selection::None => false,
        };
        if stale {
            self.selection = match &self.selection {
                Selection::Cards(ids) => {
                    let alive: Vec<_> = ids
                        .iter()
                        .filter(|id| doc.touchpoint(id).is_some())
                        .cloned()
                        .collect();
                    if alive.is_empty() {
                        Selection::None
                    } else {
                        Selection::Cards(alive)
                    }
                }
                _ => Selection::None,
            };
        }
        let title = self.title();
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}

/// A failed save, said once: what failed and where ("Could not save /a/b.json: the folder
/// does not exist").
pub fn save_error_text(e: &crate::io::SaveError) -> String {
    format!("Could not save {}: {}.", e.path.display(), e.reason())
}

impl eframe::App for StagecraftApp {
    fn ui(&mut self, ui: &mut Ui, frame: &mut eframe::Frame) {
        self.frame_times.record_frame(frame.info().cpu_usage);
        self.show(ui);
    }
}
