//! Live co-editing in the window, driven headlessly with `egui_kittest`: File → Join live…
//! goes through the unsaved-work guard; two app windows sharing a room (the real sync
//! server, see `tests/support`) see each other's edits and selections, and Undo takes back
//! only the user's own change.

use crate::support::{DEADLINE, server};
use egui::Vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::{Pending, StagecraftApp};
use stagecraft::edit::Command;
use stagecraft::model::{Document, TouchpointId};
use stagecraft::ui::action::{Action, Selection};
use stagecraft::ui::commands::UiCommand;
use std::time::{Duration, Instant};

fn sample() -> Document {
    stagecraft::io::load_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/coffee-shop.json"
    )))
    .expect("sample")
    .document
}

fn harness(app: StagecraftApp) -> Harness<'static, StagecraftApp> {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1600.0, 1000.0))
        .build_ui_state(|ui, app: &mut StagecraftApp| app.show(ui), app);
    h.step();
    h
}

fn act(h: &mut Harness<'static, StagecraftApp>, a: Action) {
    let ctx = h.ctx.clone();
    h.state_mut().apply_action(&ctx, a);
    h.step();
}

/// Steps the windows until `done` holds (a generous deadline; nothing here is timed).
fn until(
    hs: &mut [&mut Harness<'static, StagecraftApp>],
    what: &str,
    mut done: impl FnMut(&[&mut Harness<'static, StagecraftApp>]) -> bool,
) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        for h in hs.iter_mut() {
            h.step();
        }
        if done(hs) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: not within {DEADLINE:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn open_dialog(h: &mut Harness<'static, StagecraftApp>, item: &str) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label(item).click();
    // A modal takes a few frames to lay itself out.
    h.run_steps(4);
}

fn type_into(h: &mut Harness<'static, StagecraftApp>, field: &str, text: &str) {
    let input = || egui::accesskit::Role::TextInput;
    h.get_by_role_and_label(input(), field).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(input(), field).type_text(text);
    h.run_steps(2);
}

#[test]
fn joining_a_room_asks_about_unsaved_work_first() {
    let mut h = harness(StagecraftApp::new_with(sample()));
    act(
        &mut h,
        Action::Edit(Command::SetTitle("Unsaved title".into())),
    );
    assert!(h.state().editor().is_dirty());

    open_dialog(&mut h, "Join live…");
    // Nobody listens on port 9: the session stays offline, which is all this test needs.
    h.state_mut().live.dialog.as_mut().expect("dialog").address = "ws://127.0.0.1:9/room".into();
    h.run_steps(2);
    h.get_by_label("Join").click();
    h.run_steps(2);
    assert!(
        matches!(h.state().pending, Some(Pending::JoinLive(..))),
        "the guard asks first"
    );
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(h.state().live.session.is_none(), "cancel joins nothing");
    assert_eq!(h.state().doc().title, "Unsaved title");

    let ctx = h.ctx.clone();
    let address = "ws://127.0.0.1:9/room".parse().expect("address");
    h.state_mut()
        .request(&ctx, Pending::JoinLive(address, "Ana".into()));
    h.run_steps(2);
    h.get_by_label("Don't save").click();
    h.run_steps(2);
    let app = h.state();
    assert!(app.live.session.is_some(), "joining");
    assert_eq!(
        app.doc().title,
        "Unsaved title",
        "the canvas is replaced only when the room's arrives"
    );
    act(&mut h, Action::Ui(UiCommand::LeaveLive));
    assert!(h.state().live.session.is_none());
}

#[test]
fn two_windows_share_a_room_see_each_others_selection_and_undo_their_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(server) = server(&dir.path().join("rooms")) else {
        return;
    };
    let original = sample();
    let mut a = harness(StagecraftApp::new_with(original.clone()));
    open_dialog(&mut a, "Share live…");
    assert!(
        a.state().live.dialog.is_some(),
        "File → Share live… opens the dialog"
    );
    type_into(
        &mut a,
        "Sync server",
        &format!("ws://127.0.0.1:{}", server.port),
    );
    type_into(&mut a, "Room name", "ui-room");
    type_into(&mut a, "Your name", "Ana");
    a.get_by_label("Share").click();
    a.run_steps(2);
    until(&mut [&mut a], "A shares", |hs| {
        hs[0]
            .state()
            .live
            .session
            .as_ref()
            .is_some_and(|s| s.status.is_connected() && s.latest.is_some())
    });

    let mut b = harness(StagecraftApp::new_with(Document::new_canvas()));
    let ctx = b.ctx.clone();
    let address = format!("ws://127.0.0.1:{}/ui-room", server.port)
        .parse()
        .expect("address");
    b.state_mut()
        .request(&ctx, Pending::JoinLive(address, "Ben".into()));
    until(&mut [&mut a, &mut b], "B joins", |hs| {
        hs[1].state().doc().touchpoints == original.touchpoints
    });

    // A selects a card: B sees it outlined with A's name.
    let card = original.touchpoints[0].id.clone();
    act(&mut a, Action::Select(Selection::Cards(vec![card.clone()])));
    until(&mut [&mut a, &mut b], "B sees A's selection", |hs| {
        hs[1].state().live.session.as_ref().is_some_and(|s| {
            s.peers
                .iter()
                .any(|p| p.name == "Ana" && p.selection == [card.clone()])
        })
    });
    // The frame that brought the news drew the toolbar before it came: draw again.
    b.run_steps(2);
    assert!(
        b.query_all_by_label_contains("Ana").next().is_some(),
        "B's live bar names Ana"
    );

    // Each edits a card; A's undo takes back A's edit only.
    let other: TouchpointId = original.touchpoints[1].id.clone();
    let mut mine = original.touchpoints[0].clone();
    mine.title = "Ana's edit".into();
    act(
        &mut a,
        Action::Edit(Command::UpdateTouchpoint(Box::new(mine))),
    );
    let mut theirs = original.touchpoints[1].clone();
    theirs.title = "Ben's edit".into();
    act(
        &mut b,
        Action::Edit(Command::UpdateTouchpoint(Box::new(theirs))),
    );
    until(&mut [&mut a, &mut b], "both edits on both windows", |hs| {
        hs.iter().all(|h| {
            let d = h.state().doc();
            d.touchpoint(&card).unwrap().title == "Ana's edit"
                && d.touchpoint(&other).unwrap().title == "Ben's edit"
        })
    });
    act(&mut a, Action::Ui(UiCommand::Undo));
    let before = original.touchpoints[0].title.clone();
    until(&mut [&mut a, &mut b], "A's undo everywhere", |hs| {
        hs.iter().all(|h| {
            let d = h.state().doc();
            d.touchpoint(&card).unwrap().title == before
                && d.touchpoint(&other).unwrap().title == "Ben's edit"
        })
    });
    drop(a);
    drop(b);
    server.stop();
}
