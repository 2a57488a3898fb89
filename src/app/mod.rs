//! The eframe App: lays out the panels, collects the actions widgets queue during the UI
//! pass, and applies them after it (edits through the [`Editor`], files, selection, view).
//!
//! The score is computed once per document revision, not per frame; layout and scene are
//! cached by the canvas on the same revision.

use crate::edit::Editor;
use crate::model::Document;
use crate::scoring::{self, Report};
use crate::ui::action::{Actions, Selection};
use crate::ui::canvas::CanvasState;
use crate::ui::files::{RecentFiles, Sample, find_samples};
use crate::ui::sharing::{CompareState, DiskChange, DiskState, MergeSession};
use crate::ui::toolbar::{ToolbarState, toolbar_ui};
use crate::ui::{palette, start, tokens};
use egui::Ui;
use std::path::{Path, PathBuf};

mod actions;
mod files;
mod live;
mod panels;

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
    /// File → Join live…: the room's canvas replaces this one.
    JoinLive(crate::live::RoomAddress, String),
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
    evidence: crate::ui::report::EvidenceSummary,
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
    /// The emotion curve's band under the stage headers (View → Emotion curve).
    pub show_emotion_curve: bool,
    /// Where the look and panel choices are kept between runs (in memory in tests).
    settings: crate::ui::settings::SettingsStore,
    /// The folder of the last file opened or saved (Save As starts there).
    last_folder: Option<PathBuf>,
    /// Live co-editing: the session, if any, and its dialog (see `ui::live`).
    pub live: crate::ui::live::LiveState,
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
            evidence: Default::default(),
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
            show_emotion_curve: true,
            settings: crate::ui::settings::SettingsStore::in_memory(),
            last_folder: None,
            live: Default::default(),
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
        app.select_from_env();
        // For scripts (scripts/live-screenshot.sh): join a live room at the first frame.
        if let Ok(address) = std::env::var("STAGECRAFT_JOIN") {
            match address.parse() {
                Ok(a) => app.live.autojoin = Some(a),
                Err(e) => app.set_error(format!("STAGECRAFT_JOIN: {e}")),
            }
        }
        app
    }

    /// For scripts/screenshot.sh: a card selected at start ("first" or an id, in
    /// `STAGECRAFT_SELECT`).
    fn select_from_env(&mut self) {
        if let Ok(want) = std::env::var("STAGECRAFT_SELECT") {
            let doc = self.editor.doc();
            let found = doc
                .touchpoints
                .iter()
                .find(|t| want == "first" || t.id.as_str() == want)
                .map(|t| t.id.clone());
            if let Some(id) = found {
                self.selection = Selection::Cards(vec![id]);
            }
        }
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
        self.show_emotion_curve = s.show_emotion_curve;
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
            show_emotion_curve: self.show_emotion_curve,
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
            // Likewise the assumed cards, with a card's evidence.
            if changed.everything || changed.fields.meets(crate::edit::Fields::EVIDENCE) {
                self.evidence = crate::ui::report::EvidenceSummary::of(self.editor.doc());
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
        if let Some(address) = self.live.autojoin.take() {
            let name = self.live.name.clone();
            self.start_live(&ctx, &address, name, false);
        }
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
        if self.pending.is_none()
            && self.path_prompt.is_none()
            && self.disk_change.is_none()
            && self.live.dialog.is_none()
        {
            self.keyboard_input(&ctx, &mut actions);
        }

        egui::Panel::top("menu").show(ui, |ui| {
            let live = self.live.session.as_ref();
            let joined = live.filter(|s| s.joined());
            let st = ToolbarState {
                on_canvas: self.screen == Screen::Canvas,
                can_undo: joined.map_or(self.editor.can_undo(), |s| s.can_undo),
                can_redo: joined.map_or(self.editor.can_redo(), |s| s.can_redo),
                undo_label: joined.map_or(self.editor.undo_label(), |_| None),
                redo_label: joined.map_or(self.editor.redo_label(), |_| None),
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
                live,
                show_emotion_curve: self.show_emotion_curve,
            };
            toolbar_ui(ui, &st, &mut actions);
        });
        if self.screen == Screen::Canvas
            && let Some(session) = &self.live.session
        {
            egui::Panel::top("live").show(ui, |ui| {
                crate::ui::live::bar_ui(ui, session, &mut actions);
            });
        }
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
        self.live_ui(&ctx);
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
