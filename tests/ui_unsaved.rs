//! Unsaved work is never lost: every action that replaces or closes the canvas (a sample
//! or a recent file on the start screen, Open, a file dropped on the window, an exported
//! PNG, New, Quit, closing the window) asks first, and Save, Don't save and Cancel each do
//! what they say, on the document and on its recovery copy. Driven headlessly with
//! `egui_kittest`, as a user would: start screen, menus, buttons.

use egui::Vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::{Pending, Screen, StagecraftApp};
use stagecraft::edit::Command;
use stagecraft::model::Document;
use stagecraft::recovery::RecoveryStore;
use stagecraft::ui::action::Action;
use stagecraft::ui::commands::UiCommand;
use stagecraft::ui::recovery::RecoveryState;
use std::path::{Path, PathBuf};

const EDITED: &str = "The usual, remembered (edited)";

/// A designer's session: a canvas opened from `mine.json` with its title changed and not
/// saved, `other.json` beside it (in the recent files too), and autosave into `recovery/`.
struct Session {
    h: Harness<'static, StagecraftApp>,
    dir: tempfile::TempDir,
}

impl Session {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mine = dir.path().join("mine.json");
        let other = dir.path().join("other.json");
        let coffee = stagecraft::ui::files::find_samples()
            .into_iter()
            .find(|s| s.name == "coffee-shop")
            .expect("bundled")
            .load()
            .expect("loads")
            .document;
        std::fs::write(&mine, stagecraft::io::to_json(&coffee)).expect("write");
        let mut other_doc = Document::new_canvas();
        other_doc.title = "Someone else's journey".into();
        std::fs::write(&other, stagecraft::io::to_json(&other_doc)).expect("write");
        std::fs::create_dir(dir.path().join("recovery")).expect("mkdir");

        let mut app = StagecraftApp::new_start(stagecraft::ui::files::find_samples());
        app.recovery = RecoveryState::with_store(
            RecoveryStore::open(dir.path().join("recovery")).expect("store"),
        );
        let mut h = Harness::builder()
            .with_size(Vec2::new(1600.0, 1000.0))
            .build_ui_state(|ui, app: &mut StagecraftApp| app.show(ui), app);
        h.run();
        let mut s = Self { h, dir };
        // Other first, so that both are in the recent list.
        s.act(Action::OpenPath(other));
        s.act(Action::OpenPath(mine.clone()));
        assert_eq!(s.h.state().file(), Some(mine.as_path()));
        s.act(Action::Edit(Command::SetTitle(EDITED.into())));
        assert!(s.h.state().editor().is_dirty());
        s.flush_recovery();
        assert_eq!(s.recovery_copies(), 1, "autosave wrote a recovery copy");
        s
    }

    fn act(&mut self, a: Action) {
        let ctx = self.h.ctx.clone();
        self.h.state_mut().apply_action(&ctx, a);
        self.h.run();
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn flush_recovery(&mut self) {
        self.h.run();
        if let Some(store) = self.h.state().recovery.store() {
            store.flush();
        }
    }

    fn recovery_copies(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("recovery"))
            .expect("recovery dir")
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".json") && !name.ends_with(".meta.json")
            })
            .count()
    }

    fn asked(&self) -> bool {
        self.h.state().pending.is_some() && self.h.query_by_label("Save your changes?").is_some()
    }

    fn answer(&mut self, button: &str) {
        self.h.get_by_label(button).click();
        self.h.run();
        self.h.run();
    }

    fn title(&self) -> &str {
        &self.h.state().doc().title
    }

    fn saved_title(&self) -> String {
        stagecraft::io::load_path(&self.path("mine.json"))
            .expect("mine.json loads")
            .document
            .title
    }

    /// File → Start screen, the way the blocker was found.
    fn go_to_start_screen(&mut self) {
        self.h.get_by_label("File").click();
        self.h.run();
        self.h.get_by_label("Start screen").click();
        self.h.run();
        assert_eq!(self.h.state().screen, Screen::Start);
        assert!(!self.asked(), "the start screen itself drops nothing");
        assert!(self.h.state().editor().is_dirty(), "the edit is kept");
    }

    /// Cancel leaves everything as it was: the edit, its undo step, its recovery copy.
    fn cancel_keeps_everything(&mut self) {
        assert!(self.asked(), "the question is asked");
        self.answer("Cancel");
        assert!(self.h.state().pending.is_none());
        assert_eq!(self.title(), EDITED);
        assert!(self.h.state().editor().is_dirty());
        assert!(
            self.h.state().editor().can_undo(),
            "undo still has the edit"
        );
        self.flush_recovery();
        assert_eq!(self.recovery_copies(), 1, "the recovery copy stays");
    }
}

fn sample_button(s: &Session) -> egui_kittest::Node<'_> {
    s.h.get_by_label("Hotel stay")
}

#[test]
fn start_screen_sample_over_unsaved_work_asks_and_cancel_keeps_it() {
    let mut s = Session::new();
    s.go_to_start_screen();
    sample_button(&s).click();
    s.h.run();
    s.cancel_keeps_everything();
    // And the way back to the canvas is offered, edit intact.
    s.h.get_by_label_contains("Back to “").click();
    s.h.run();
    assert_eq!(s.h.state().screen, Screen::Canvas);
    assert_eq!(s.title(), EDITED);
}

#[test]
fn start_screen_sample_dont_save_discards_and_removes_the_recovery_copy() {
    let mut s = Session::new();
    s.go_to_start_screen();
    sample_button(&s).click();
    s.h.run();
    assert!(s.asked());
    s.answer("Don't save");
    assert!(s.title().starts_with("Hotel Wawel Garden"), "{}", s.title());
    assert_eq!(s.h.state().screen, Screen::Canvas);
    assert!(!s.h.state().editor().is_dirty());
    assert_ne!(s.saved_title(), EDITED, "nothing was written to the file");
    s.flush_recovery();
    assert_eq!(s.recovery_copies(), 0, "discarded on purpose");
}

#[test]
fn start_screen_sample_save_writes_the_file_then_opens_the_sample() {
    let mut s = Session::new();
    s.go_to_start_screen();
    sample_button(&s).click();
    s.h.run();
    s.answer("Save");
    assert_eq!(s.saved_title(), EDITED, "the edit is in mine.json");
    assert!(s.title().starts_with("Hotel Wawel Garden"), "{}", s.title());
    s.flush_recovery();
    assert_eq!(s.recovery_copies(), 0, "saved, so no copy is needed");
}

#[test]
fn start_screen_recent_file_asks() {
    let mut s = Session::new();
    s.go_to_start_screen();
    s.h.get_by_label("other.json").click();
    s.h.run();
    s.cancel_keeps_everything();
    s.h.get_by_label("other.json").click();
    s.h.run();
    s.answer("Don't save");
    assert_eq!(s.title(), "Someone else's journey");
}

#[test]
fn file_menu_recent_open_new_and_quit_ask() {
    let mut s = Session::new();
    // Open recent, from the File menu on the canvas.
    s.h.get_by_label("File").click();
    s.h.run();
    s.h.get_by_label("Open recent").hover();
    s.h.run();
    let other = s.path("other.json").display().to_string();
    s.h.get_by_label(&other).click();
    s.h.run();
    s.cancel_keeps_everything();

    // Open… (the dialog is not shown before the question is answered).
    s.act(Action::Ui(UiCommand::Open));
    assert_eq!(s.h.state().pending, Some(Pending::OpenDialog));
    s.cancel_keeps_everything();

    // New canvas, from the menu.
    s.h.get_by_label("File").click();
    s.h.run();
    s.h.get_by_label_contains("New canvas").click();
    s.h.run();
    assert_eq!(s.h.state().pending, Some(Pending::New));
    s.cancel_keeps_everything();
    s.act(Action::Ui(UiCommand::New));
    s.answer("Don't save");
    assert_eq!(s.h.state().doc(), &Document::new_canvas());

    // Quit, from the menu, on a clean canvas: no question.
    s.h.get_by_label("File").click();
    s.h.run();
    s.h.get_by_label_contains("Quit").click();
    s.h.step();
    assert!(s.h.state().pending.is_none());
}

#[test]
fn quit_over_unsaved_work_asks_and_save_writes_before_closing() {
    let mut s = Session::new();
    s.h.get_by_label("File").click();
    s.h.run();
    s.h.get_by_label_contains("Quit").click();
    s.h.run();
    assert_eq!(s.h.state().pending, Some(Pending::Close));
    s.cancel_keeps_everything();
    s.act(Action::Ui(UiCommand::Quit));
    s.h.get_by_label("Save").click();
    s.h.step();
    assert_eq!(s.saved_title(), EDITED);
    let closed =
        s.h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::Close));
    assert!(closed, "the window closes once saved");
}

#[test]
fn closing_the_window_from_the_start_screen_still_asks() {
    let mut s = Session::new();
    s.go_to_start_screen();
    s.h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    s.h.run();
    assert_eq!(s.h.state().pending, Some(Pending::Close));
    s.cancel_keeps_everything();
}

fn drop_file(h: &mut Harness<StagecraftApp>, path: &Path) {
    #[derive(Debug)]
    struct Dropped(PathBuf);
    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &Path {
            &self.0
        }
        fn bytes(&self) -> Result<Vec<u8>, String> {
            std::fs::read(&self.0).map_err(|e| e.to_string())
        }
    }
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_owned())));
    h.run();
}

#[test]
fn a_dropped_json_or_exported_png_asks_before_replacing() {
    let mut s = Session::new();
    let other = s.path("other.json");
    drop_file(&mut s.h, &other);
    s.cancel_keeps_everything();

    let mut in_png = Document::new_canvas();
    in_png.title = "From a poster".into();
    let opts = stagecraft::export::ExportOptions {
        dpi: 96.0,
        paper: stagecraft::export::Paper::A4,
        ..Default::default()
    };
    let png = stagecraft::export::render_png(&in_png, &opts)
        .expect("exports")
        .remove(0);
    let poster = s.path("poster.png");
    std::fs::write(&poster, png).expect("write");
    drop_file(&mut s.h, &poster);
    assert!(s.asked());
    s.answer("Don't save");
    assert_eq!(s.title(), "From a poster");
    assert_eq!(
        s.h.state().file(),
        None,
        "an image opens as an untitled canvas"
    );
}

#[test]
fn a_failed_open_after_dont_save_keeps_the_work_and_its_recovery_copy() {
    let mut s = Session::new();
    let broken = s.path("broken.json");
    std::fs::write(&broken, "{\"format\": \"stagecraft\", \"version\": 1,").expect("write");
    s.act(Action::OpenPath(broken));
    s.answer("Don't save");
    let banner = s.h.state().banner.clone().expect("an error is shown");
    assert!(
        banner.error && banner.text.contains("broken.json:"),
        "{banner:?}"
    );
    assert_eq!(s.title(), EDITED, "the current work is still open");
    assert!(s.h.state().editor().is_dirty());
    s.flush_recovery();
    assert_eq!(s.recovery_copies(), 1, "and still has its recovery copy");
}
