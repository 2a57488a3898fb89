//! Crash recovery: a recovery copy survives a crash (simulated in-process, and a real
//! SIGKILL of a child process) and restores the identical document; save and discard
//! remove it.

use stagecraft::model::Document;
use stagecraft::recovery::RecoveryStore;
use stagecraft::synth::{SynthSpec, canvas};
use std::path::Path;
use std::process::{Command, Stdio};

fn sample(seed: u64) -> Document {
    let mut doc = canvas(&SynthSpec::new(200, seed));
    doc.title = format!("Workshop journey {seed}");
    doc
}

#[test]
fn a_dropped_store_leaves_a_copy_that_the_next_start_restores() {
    let dir = tempfile::tempdir().unwrap();
    let doc = sample(7);
    let crashed_session = {
        let store = RecoveryStore::open(dir.path()).unwrap();
        store.snapshot(doc.clone(), Some(Path::new("/home/ana/journey.json")));
        store.session().to_owned()
        // Dropped without close_clean(): what a crash leaves behind.
    };

    let mut next = RecoveryStore::open(dir.path()).unwrap();
    let entries = next.list();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.session(), crashed_session);
    assert_eq!(entry.meta.title, "Workshop journey 7");
    assert_eq!(entry.meta.touchpoints, 200);
    assert_eq!(
        entry.meta.original_path.as_deref(),
        Some(Path::new("/home/ana/journey.json"))
    );
    let restored = next.restore(&crashed_session).unwrap();
    assert_eq!(restored.document, doc);
    // The restored session is adopted: its copy stays until the document is saved.
    assert_eq!(next.session(), crashed_session);
    next.flush();
    assert!(dir.path().join(format!("{crashed_session}.json")).is_file());

    // A normal save clears it.
    next.clear();
    next.flush();
    drop(next);
    let after = RecoveryStore::open(dir.path()).unwrap();
    assert!(after.list().is_empty());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_newest_snapshot_wins() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::open(dir.path()).unwrap();
    let mut doc = sample(3);
    for i in 0..50 {
        doc.title = format!("revision {i}");
        store.snapshot(doc.clone(), None);
    }
    store.flush();
    let session = store.session().to_owned();
    drop(store);
    let mut next = RecoveryStore::open(dir.path()).unwrap();
    let entries = next.list();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].meta.title, "revision 49");
    assert_eq!(next.restore(&session).unwrap().document, doc);
}

#[test]
fn discard_and_clean_close_remove_the_copies() {
    let dir = tempfile::tempdir().unwrap();
    let first = RecoveryStore::open(dir.path()).unwrap();
    first.snapshot(sample(1), None);
    drop(first);
    let second = RecoveryStore::open(dir.path()).unwrap();
    second.snapshot(sample(2), None);
    second.close_clean();

    let third = RecoveryStore::open(dir.path()).unwrap();
    let entries = third.list();
    assert_eq!(entries.len(), 1, "only the crashed session is left");
    assert_eq!(entries[0].meta.title, "Workshop journey 1");
    third.discard(entries[0].session()).unwrap();
    assert!(third.list().is_empty());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn damaged_copies_are_skipped_or_reported_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::open(dir.path()).unwrap();
    store.snapshot(sample(4), None);
    store.flush();
    let session = store.session().to_owned();
    drop(store);
    // A truncated document: listed (its meta is fine) but restore reports the error.
    let doc_path = dir.path().join(format!("{session}.json"));
    let text = std::fs::read_to_string(&doc_path).unwrap();
    std::fs::write(&doc_path, &text[..text.len() / 2]).unwrap();
    // Junk meta files and a meta pointing outside the folder are ignored.
    std::fs::write(dir.path().join("junk.meta.json"), "{ not json").unwrap();
    std::fs::write(
        dir.path().join("evil.meta.json"),
        r#"{"format":"stagecraft-recovery","session":"../../x","title":"t","original_path":null,"saved_at_ms":0,"pid":1,"touchpoints":0}"#,
    )
    .unwrap();
    let mut next = RecoveryStore::open(dir.path()).unwrap();
    let entries = next.list();
    assert_eq!(entries.len(), 1);
    let err = next.restore(&session).unwrap_err().to_string();
    assert!(err.contains("ends too early"), "{err}");
    assert!(next.restore("../../x").is_err());
}

/// The child half of the kill test: writes a recovery copy, says so, then waits to be
/// killed. Run only by `a_killed_process_leaves_a_copy_that_restores`.
#[test]
#[ignore = "helper process for the kill test"]
fn child_writes_then_waits_to_be_killed() {
    let Some(dir) = std::env::var_os("STAGECRAFT_TEST_RECOVERY_CHILD") else {
        return;
    };
    let store = RecoveryStore::open(dir).unwrap();
    store.snapshot(sample(11), Some(Path::new("/tmp/killed.json")));
    store.flush();
    println!("READY {}", store.session());
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

#[test]
fn a_killed_process_leaves_a_copy_that_restores() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "recovery::child_writes_then_waits_to_be_killed",
            "--ignored",
            "--nocapture",
        ])
        .env("STAGECRAFT_TEST_RECOVERY_CHILD", dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let session = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.split_once("READY ").map(|(_, s)| s.trim().to_owned()))
        .expect("the child reports its session");
    child.kill().unwrap(); // SIGKILL: no destructor, no clean shutdown
    child.wait().unwrap();

    let mut next = RecoveryStore::open(dir.path()).unwrap();
    let entries = next.list();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].session(), session);
    assert_eq!(entries[0].meta.title, "Workshop journey 11");
    assert_eq!(next.restore(&session).unwrap().document, sample(11));
}

/// The editor side: the prompt lists a crashed session, "Restore" opens it unsaved, the
/// autosave tick then keeps the adopted copy and a save removes it.
#[test]
fn the_app_offers_restores_and_clears_after_save() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use stagecraft::app::StagecraftApp;
    use stagecraft::ui::action::Action;
    use stagecraft::ui::commands::UiCommand;
    use stagecraft::ui::recovery::RecoveryState;

    let dir = tempfile::tempdir().unwrap();
    let doc = sample(21);
    let saved = dir.path().join("saved.json");
    let crashed = {
        let store = RecoveryStore::open(dir.path()).unwrap();
        store.snapshot(doc.clone(), Some(&saved));
        store.session().to_owned()
    };

    let mut app = StagecraftApp::new_with(stagecraft::model::Document::new_canvas());
    app.recovery = RecoveryState::with_store(RecoveryStore::open(dir.path()).unwrap());
    assert_eq!(app.recovery.entries.len(), 1);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        // The inspector's title field has no accessible name yet (the editor's to fix);
        // this test is about the recovery prompt.
        .with_accessibility_check(false)
        .build_ui_state(
            |ui, app: &mut StagecraftApp| {
                // egui marks widget-id clashes with a 🔥 the UI fonts lack; the synthetic
                // canvas triggers some in the editor's panels (reported to the editor).
                ui.ctx()
                    .set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
                app.show(ui);
            },
            app,
        );
    harness.run();
    harness.get_by_label("Recover unsaved work?");
    harness.get_by_label("Workshop journey 21");
    harness.get_by_label("Restore").click();
    harness.run();

    let app = harness.state();
    assert_eq!(app.doc(), &doc);
    assert!(app.editor().is_dirty(), "a restored canvas is unsaved");
    assert!(app.recovery.entries.is_empty());
    let store = app.recovery.store().unwrap();
    assert_eq!(store.session(), crashed, "the restored copy is adopted");
    store.flush();
    assert!(dir.path().join(format!("{crashed}.json")).is_file());

    // Save (to the original path, kept from the copy) makes the document clean; the tick
    // at the end of that frame removes the copy.
    assert_eq!(harness.state().file(), Some(saved.as_path()));
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply_action(&ctx, Action::Ui(UiCommand::Save));
    assert!(!harness.state().editor().is_dirty());
    harness.run();
    harness.state().recovery.store().unwrap().flush();
    assert!(!dir.path().join(format!("{crashed}.json")).exists());
    assert!(!dir.path().join(format!("{crashed}.meta.json")).exists());
    let mut on_disk = stagecraft::io::load_path(&saved).unwrap().document;
    assert!(
        on_disk.lineage.latest().is_some(),
        "the save stamped a version"
    );
    assert_eq!(&on_disk, harness.state().doc());
    on_disk.lineage = Default::default();
    assert_eq!(on_disk, doc, "the saved file is the restored document");
}
