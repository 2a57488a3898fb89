//! Colleagues' copies in the app, driven headlessly: File → Compare with…, File → Merge a
//! colleague's copy… (three-way against a version this machine saved, two-way when there
//! is none) with its conflicts panel and one undo step, and a colleague saving the open
//! file behind the app's back (never overwritten: merged, and both sides' edits saved).

use egui::Vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::StagecraftApp;
use stagecraft::edit::Command;
use stagecraft::history::VersionStore;
use stagecraft::model::{Document, Touchpoint, TouchpointId};
use stagecraft::ui::action::Action;
use stagecraft::ui::commands::UiCommand;
use std::path::{Path, PathBuf};

struct Setup {
    h: Harness<'static, StagecraftApp>,
    dir: tempfile::TempDir,
    /// The canvas as first saved by the app (lineage stamped, version kept).
    saved: Document,
}

fn coffee() -> Document {
    stagecraft::ui::files::find_samples()
        .into_iter()
        .find(|s| s.name == "coffee-shop")
        .expect("bundled")
        .load()
        .expect("loads")
        .document
}

impl Setup {
    /// The app with `mine.json` open and saved once by it, history in a temp folder.
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mine = dir.path().join("mine.json");
        std::fs::write(&mine, stagecraft::io::to_json(&coffee())).expect("write");
        let mut app = StagecraftApp::new_start(Vec::new());
        app.versions = Some(VersionStore::open(dir.path().join("history")));
        let h = Harness::builder()
            .with_size(Vec2::new(1600.0, 1000.0))
            .build_ui_state(|ui, app: &mut StagecraftApp| app.show(ui), app);
        let mut s = Self {
            h,
            dir,
            saved: Document::default(),
        };
        s.act(Action::OpenPath(mine.clone()));
        // A first save by the app gives the canvas its id and a version to merge against.
        s.act(Action::Edit(Command::SetTitle("Le Petit Matin".into())));
        s.act(Action::Ui(UiCommand::Save));
        assert!(!s.h.state().editor().is_dirty());
        s.saved = stagecraft::io::load_path(&mine).expect("saved").document;
        assert!(
            s.saved.lineage.latest().is_some(),
            "the save stamped a version"
        );
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

    fn card(&self, i: usize) -> Touchpoint {
        self.h.state().doc().touchpoints[i].clone()
    }

    fn edit_card(&mut self, card: Touchpoint) {
        self.act(Action::Edit(Command::UpdateTouchpoint(Box::new(card))));
    }

    fn doc(&self) -> &Document {
        self.h.state().doc()
    }
}

/// A colleague's save, made from `from` on another machine: their own version stamped.
fn colleague_saves(from: &Document, path: &Path, edit: impl FnOnce(&mut Document)) -> Document {
    let mut theirs = from.clone();
    edit(&mut theirs);
    theirs.lineage.stamp();
    stagecraft::io::save_json(&theirs, path).expect("their save");
    theirs
}

fn find<'a>(doc: &'a Document, id: &TouchpointId) -> &'a Touchpoint {
    doc.touchpoint(id).expect("the card is there")
}

#[test]
fn merge_a_colleagues_copy_three_way_with_a_conflict_to_choose_and_one_undo_step() {
    let mut s = Setup::new();
    let (a, b) = (s.card(0).id, s.card(1).id);
    let their_path = s.path("from-ana.json");
    let added = TouchpointId::from("tp-from-ana");
    colleague_saves(&s.saved, &their_path, |d| {
        d.touchpoints[0].title = "Ana's title".into();
        d.touchpoints[1].emotion = -2;
        let mut card = d.touchpoints[1].clone();
        card.id = added.clone();
        card.title = "Ana's new card".into();
        d.touchpoints.push(card);
    });
    // Meanwhile, here: another title for the same card.
    let mut mine = s.card(0);
    mine.title = "My title".into();
    s.edit_card(mine);
    let before_merge = s.doc().clone();

    s.h.state_mut().merge_from_path(&their_path);
    s.h.run();
    let session =
        s.h.state()
            .merge
            .as_ref()
            .expect("the conflicts panel is open");
    assert!(
        session.three_way,
        "the version saved here was found as the base"
    );
    assert_eq!(
        session.outcome.conflicts.len(),
        1,
        "{:?}",
        session.outcome.conflicts
    );
    let doc = s.doc();
    assert_eq!(
        find(doc, &a).title,
        "My title",
        "the conflict keeps mine by default"
    );
    assert_eq!(
        find(doc, &b).emotion,
        -2,
        "their change to another field is taken"
    );
    assert_eq!(
        find(doc, &added).title,
        "Ana's new card",
        "their new card is in"
    );
    assert_eq!(s.h.state().editor().undo_label(), Some("merge"));
    assert!(
        s.h.query_by_label_contains("1 conflict: yours is kept")
            .is_some(),
        "the panel says so"
    );

    // Pick theirs in the panel: the merge is redone with that choice, still one step.
    s.h.get_by_label_contains("Theirs: \"Ana's title\"").click();
    s.h.run();
    assert_eq!(find(s.doc(), &a).title, "Ana's title");
    assert_eq!(find(s.doc(), &b).emotion, -2);
    s.act(Action::Ui(UiCommand::Undo));
    assert_eq!(
        s.doc(),
        &before_merge,
        "one undo takes the whole merge back"
    );
}

#[test]
fn a_copy_with_no_common_version_merges_two_way_keeping_both_sides() {
    let mut s = Setup::new();
    let their_path = s.path("stranger.json");
    // Not a copy of this canvas: no lineage in common.
    let mut theirs = coffee();
    theirs.touchpoints[0].title = "Their wording".into();
    let mut extra = theirs.touchpoints[1].clone();
    extra.id = TouchpointId::from("tp-theirs-only");
    theirs.touchpoints.push(extra);
    stagecraft::io::save_json(&theirs, &their_path).expect("write");
    let first = s.card(0).id;

    s.h.state_mut().merge_from_path(&their_path);
    s.h.run();
    let session = s.h.state().merge.as_ref().expect("panel");
    assert!(!session.three_way);
    assert!(
        session
            .outcome
            .conflicts
            .iter()
            .any(|c| c.key.id == first.as_str() && c.key.field == "title"),
        "the differing title is a choice: {:?}",
        session.outcome.conflicts
    );
    assert!(
        s.doc()
            .touchpoint(&TouchpointId::from("tp-theirs-only"))
            .is_some(),
        "their card is kept"
    );
    assert_eq!(find(s.doc(), &first).title, s.saved.touchpoints[0].title);
    assert!(s.h.query_by_label_contains("No common version").is_some());
}

#[test]
fn a_colleagues_save_of_the_open_file_is_merged_not_overwritten() {
    let mut s = Setup::new();
    let mine_path = s.path("mine.json");
    let (a, b) = (s.card(0).id, s.card(1).id);
    // The colleague saves the same file on the shared drive...
    std::thread::sleep(std::time::Duration::from_millis(20));
    colleague_saves(&s.saved, &mine_path, |d| {
        d.touchpoints[1].notes = "Seen on Tuesday: the queue reaches the door.".into();
    });
    let theirs_on_disk = std::fs::read_to_string(&mine_path).expect("read");
    // ...while here a card is retitled, then saved.
    let mut mine = s.card(0);
    mine.title = "Greets her by name".into();
    s.edit_card(mine);
    s.act(Action::Ui(UiCommand::Save));

    assert!(s.h.state().disk_change.is_some(), "the save stopped to ask");
    assert_eq!(
        std::fs::read_to_string(&mine_path).expect("read"),
        theirs_on_disk,
        "their save is untouched"
    );
    assert!(s.h.query_by_label("The file changed on disk").is_some());
    s.h.get_by_label("Merge their changes into mine").click();
    s.h.run();
    assert!(s.h.state().disk_change.is_none());
    assert_eq!(find(s.doc(), &a).title, "Greets her by name");
    assert_eq!(
        find(s.doc(), &b).notes,
        "Seen on Tuesday: the queue reaches the door."
    );

    s.act(Action::Ui(UiCommand::Save));
    assert!(
        s.h.state().disk_change.is_none(),
        "no question the second time"
    );
    let on_disk = stagecraft::io::load_path(&mine_path)
        .expect("loads")
        .document;
    assert_eq!(
        find(&on_disk, &a).title,
        "Greets her by name",
        "my edit saved"
    );
    assert_eq!(
        find(&on_disk, &b).notes,
        "Seen on Tuesday: the queue reaches the door.",
        "their edit saved"
    );
}

#[test]
fn regaining_focus_notices_a_colleagues_save_and_reload_is_undoable() {
    let mut s = Setup::new();
    let mine_path = s.path("mine.json");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let theirs = colleague_saves(&s.saved, &mine_path, |d| d.title = "Renamed by Ana".into());
    s.h.input_mut().focused = false;
    s.h.run();
    assert!(s.h.state().disk_change.is_none());
    s.h.input_mut().focused = true;
    s.h.run();
    assert!(s.h.state().disk_change.is_some(), "noticed on coming back");
    s.h.get_by_label("Reload their version").click();
    s.h.run();
    assert_eq!(s.doc().title, theirs.title);
    assert!(
        !s.h.state().editor().is_dirty(),
        "the canvas is the file now"
    );
    s.act(Action::Ui(UiCommand::Undo));
    assert_eq!(s.doc().title, "Le Petit Matin", "Undo brings mine back");
}

#[test]
fn compare_with_another_version_lists_the_changes_and_both_scores() {
    let mut s = Setup::new();
    let other_path = s.path("older.json");
    let (a, removed) = (s.card(0).id, s.card(2).id);
    colleague_saves(&s.saved, &other_path, |d| {
        d.touchpoints[0].title = "Old wording".into();
    });
    // Here, a card is removed after the other version was made.
    s.act(Action::Edit(Command::DeleteTouchpoints(vec![
        removed.clone(),
    ])));

    s.h.state_mut().compare_with_path(&other_path);
    s.h.run();
    let cmp = s.h.state().compare.as_ref().expect("comparing");
    let changed = cmp.diff.card(a.as_str()).expect("the retitled card");
    assert_eq!(changed.change, stagecraft::merge::Change::Changed);
    assert_eq!(
        cmp.diff.card(removed.as_str()).map(|c| c.change),
        Some(stagecraft::merge::Change::Removed),
        "the card deleted here is a ghost from the other version"
    );
    assert!(s.h.query_by_label("Compared with older.json").is_some());
    let total = s.h.state().report().total;
    assert!(
        s.h.query_by_label(&format!("{total} here")).is_some(),
        "both scores"
    );
    s.h.get_by_label("Close the comparison").click();
    s.h.run();
    assert!(s.h.state().compare.is_none());
}
