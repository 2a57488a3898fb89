//! Live co-editing against the real sync server (`scripts/sync-server`, the stock Yjs
//! websocket server with `LevelDB`), on 127.0.0.1 at a free port: two headless clients join
//! one room, edit different cards and then the same field of one card, go offline and
//! come back, undo their own change, survive a server restart; `pull` always returns
//! what they hold, and a peer's ill-formed change is refused.
//!
//! Skipped (with a message) when the server cannot be started, unless
//! `STAGECRAFT_REQUIRE_SYNC_SERVER` is set (CI sets it): then it fails.

use stagecraft::edit::Command;
use stagecraft::live::mapping::{ElementEdit, Fields, List};
use stagecraft::live::{Client, LocalChange, RoomAddress, Status, pull};
use stagecraft::model::{Document, TouchpointId, validate};

use crate::support::{DEADLINE, Server, server};
use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

fn sample() -> Document {
    stagecraft::io::load_path(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/coffee-shop.json"
    )))
    .expect("sample")
    .document
}

fn card_id(doc: &Document, i: usize) -> TouchpointId {
    doc.touchpoints[i].id.clone()
}

fn edit_card(
    client: &mut Client,
    id: &TouchpointId,
    f: impl FnOnce(&mut stagecraft::model::Touchpoint),
) {
    let mut card = client.doc().touchpoint(id).expect("card").clone();
    f(&mut card);
    client
        .apply(Command::UpdateTouchpoint(Box::new(card)))
        .expect("edit");
}

fn converge(a: &mut Client, b: &mut Client, what: &str) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        a.pump();
        b.pump();
        if a.doc() == b.doc() && a.session.status.is_connected() && b.session.status.is_connected()
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: the clients did not converge within {DEADLINE:?} (statuses {:?}, {:?})",
            a.session.status,
            b.session.status
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        validate(a.doc()).is_empty(),
        "{what}: the shared canvas is valid"
    );
}

/// What `pull` returns once it equals `expected` (the server may still be taking the last
/// update in when a client already shows it).
fn pull_equals(address: &RoomAddress, expected: &Document, what: &str) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let pulled = pull(address, DEADLINE).expect("pull");
        if &pulled == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: pull never returned the clients' canvas"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn two_clients_converge_through_the_real_server_offline_and_across_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(mut server) = server(&dir.path().join("rooms")) else {
        return;
    };
    let address: RoomAddress = format!("ws://127.0.0.1:{}/cafe-workshop", server.port)
        .parse()
        .expect("address");

    // A brings the sample into a new room; B joins it.
    let original = sample();
    let mut a = Client::contribute(address.clone(), "Ana", original.clone());
    assert!(
        a.wait_until(DEADLINE, |c| c.contribution.is_some()),
        "A's canvas went into the room: {:?}",
        a.session.status
    );
    assert!(a.contribution.as_ref().is_some_and(|c| c.new_room));
    let mut b = Client::join(address.clone(), "Ben");
    assert!(
        b.wait_until(DEADLINE, stagecraft::live::Client::joined),
        "B joined"
    );
    converge(&mut a, &mut b, "joining");
    assert_eq!(b.doc().touchpoints, original.touchpoints);
    pull_equals(&address, a.doc(), "after joining");

    // Presence: each sees the other.
    assert!(
        a.wait_until(DEADLINE, |c| c
            .session
            .peers
            .iter()
            .any(|p| p.name == "Ben")),
        "A sees Ben"
    );
    b.session.set_selection(&[card_id(&original, 0)]);
    assert!(
        a.wait_until(DEADLINE, |c| c
            .session
            .peers
            .iter()
            .any(|p| p.selection == [card_id(&original, 0)])),
        "A sees Ben's selection"
    );

    // Different cards at the same time.
    let (c0, c1, c2, c3, c4) = (
        card_id(&original, 0),
        card_id(&original, 1),
        card_id(&original, 2),
        card_id(&original, 3),
        card_id(&original, 4),
    );
    edit_card(&mut a, &c0, |t| t.title = "Ana's title".into());
    edit_card(&mut b, &c1, |t| t.emotion = -2);
    converge(&mut a, &mut b, "different cards");
    assert_eq!(a.doc().touchpoint(&c0).unwrap().title, "Ana's title");
    assert_eq!(a.doc().touchpoint(&c1).unwrap().emotion, -2);

    // Different fields of one card both stay; the same field: one value, on both.
    edit_card(&mut a, &c2, |t| t.title = "Title from Ana".into());
    edit_card(&mut b, &c2, |t| t.title = "Title from Ben".into());
    edit_card(&mut b, &c2, |t| t.department = "Kitchen".into());
    converge(&mut a, &mut b, "the same field");
    let title = &a.doc().touchpoint(&c2).unwrap().title;
    assert!(
        title == "Title from Ana" || title == "Title from Ben",
        "{title}"
    );
    assert_eq!(a.doc().touchpoint(&c2).unwrap().department, "Kitchen");
    pull_equals(&address, a.doc(), "after concurrent edits");

    // B goes offline and keeps working; A edits meanwhile.
    b.set_online(false);
    assert!(b.wait_until(DEADLINE, |c| matches!(
        c.session.status,
        Status::Offline { .. }
    )));
    assert!(
        a.wait_until(DEADLINE, |c| !c
            .session
            .peers
            .iter()
            .any(|p| p.name == "Ben")),
        "A no longer lists Ben once he left"
    );
    edit_card(&mut b, &c3, |t| t.notes = "Written offline".into());
    let mut offline_card = b.doc().touchpoints[0].clone();
    offline_card.id = TouchpointId::from("tp-offline-ben");
    offline_card.title = "Added offline".into();
    b.apply(Command::AddTouchpoint(Box::new(offline_card)))
        .expect("add");
    assert!(
        b.wait_until(DEADLINE, |c| matches!(
            c.session.status,
            Status::Offline { waiting, .. } if waiting >= 2
        )),
        "B's changes wait: {:?}",
        b.session.status
    );
    edit_card(&mut a, &c4, |t| {
        t.title = "Edited while Ben was away".into();
    });
    b.set_online(true);
    converge(&mut a, &mut b, "coming back online");
    assert_eq!(a.doc().touchpoint(&c3).unwrap().notes, "Written offline");
    assert!(
        a.doc()
            .touchpoint(&TouchpointId::from("tp-offline-ben"))
            .is_some()
    );
    assert_eq!(
        a.doc().touchpoint(&c4).unwrap().title,
        "Edited while Ben was away"
    );
    pull_equals(&address, a.doc(), "after the offline edits");

    // Undo takes back A's own last change only.
    a.undo();
    let before_edit = original.touchpoint(&c4).unwrap().title.clone();
    assert!(
        a.wait_until(DEADLINE, |c| c.doc().touchpoint(&c4).unwrap().title
            == before_edit),
        "A's last edit is undone"
    );
    converge(&mut a, &mut b, "undo");
    assert_eq!(
        a.doc().touchpoint(&c4).unwrap().title,
        original.touchpoint(&c4).unwrap().title,
        "A's last edit undone"
    );
    assert_eq!(
        a.doc().touchpoint(&c3).unwrap().notes,
        "Written offline",
        "B's edits stay"
    );
    assert_eq!(a.doc().touchpoint(&c0).unwrap().title, "Ana's title");

    // A peer that sends an ill-formed card: refused, the canvas stays valid.
    let mut junk = Fields::new();
    junk.insert("title".into(), serde_json::Value::String("x".repeat(5000)));
    b.session.send(
        LocalChange {
            elements: vec![ElementEdit {
                list: List::Touchpoints,
                id: c0.as_str().to_owned(),
                before: Some(Fields::new()),
                after: Some(junk),
            }],
            ..LocalChange::default()
        },
        false,
    );
    // A refuses it when it arrives, keeps its canvas valid and puts the last good title
    // back in the room.
    let deadline = Instant::now() + DEADLINE;
    while a.refused.is_empty() && b.refused.is_empty() {
        a.pump();
        b.pump();
        assert!(Instant::now() < deadline, "the oversized title is refused");
        std::thread::sleep(Duration::from_millis(2));
    }
    converge(&mut a, &mut b, "after a refused change");
    for c in [&a, &b] {
        assert!(validate(c.doc()).is_empty());
        assert_eq!(c.doc().touchpoint(&c0).unwrap().title, "Ana's title");
    }
    pull_equals(&address, a.doc(), "after a refused change");

    // The server goes away: A keeps editing; it comes back with the room.
    let before_restart = a.doc().clone();
    let data = server.data.clone();
    let port = server.port;
    server.stop();
    assert!(a.wait_until(DEADLINE, |c| !c.session.status.is_connected()));
    edit_card(&mut a, &c1, |t| {
        t.title = "While the server was down".into();
    });
    assert_ne!(a.doc(), &before_restart);
    server = Server::start(port, &data, DEADLINE).expect("the server starts again");
    converge(&mut a, &mut b, "after the server restart");
    assert_eq!(
        b.doc().touchpoint(&c1).unwrap().title,
        "While the server was down"
    );
    let expected = a.doc().clone();
    pull_equals(&address, &expected, "after the restart");

    // Everyone leaves; the room is on disk: a restart with no client keeps it.
    drop(a);
    drop(b);
    let server = server.restart();
    let pulled = pull(&address, DEADLINE).expect("pull from the restarted server");
    assert_eq!(pulled, expected, "the room survived the restart");
    server.stop();
}

fn stagecraft(args: &[&str], home: &Path) -> (i32, String, String) {
    let out = Process::new(env!("CARGO_BIN_EXE_stagecraft"))
        .args(args)
        // A private history folder (the versions pull keeps and push looks for).
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .expect("stagecraft runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn push_and_pull_from_the_command_line_merge_and_never_overwrite_colleagues() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(server) = server(&dir.path().join("rooms")) else {
        return;
    };
    let url = format!("ws://127.0.0.1:{}/cli-room", server.port);
    let address: RoomAddress = url.parse().expect("address");
    let sample_file = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/coffee-shop.json");
    let home = dir.path();

    // A new room takes the file as it is; the address comes last.
    let (code, out, err) = stagecraft(&["push", sample_file, &url], home);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().last(), Some(url.as_str()));
    assert_eq!(
        pull(&address, DEADLINE).expect("pull").touchpoints,
        sample().touchpoints
    );

    // pull writes the room's canvas.
    let pulled = dir.path().join("pulled.json");
    let (code, _, err) = stagecraft(&["pull", &url, "-o", pulled.to_str().unwrap()], home);
    assert_eq!(code, 0, "{err}");
    let mut mine = stagecraft::io::load_path(&pulled)
        .expect("pulled file")
        .document;
    assert_eq!(mine.touchpoints, sample().touchpoints);

    // A colleague edits live while the file is edited: pushing the file merges its change
    // (three-way, against the version pull kept) and keeps the colleague's.
    let mut colleague = Client::join(address.clone(), "Colleague");
    assert!(colleague.wait_until(DEADLINE, stagecraft::live::Client::joined));
    let (c0, c1) = (card_id(&mine, 0), card_id(&mine, 1));
    edit_card(&mut colleague, &c1, |t| {
        t.title = "Colleague's title".into();
    });
    assert!(colleague.wait_until(DEADLINE, |c| {
        pull(&address, DEADLINE).is_ok_and(|d| {
            d.touchpoint(&c1)
                .is_some_and(|t| t.title == "Colleague's title")
        }) && c.session.status.is_connected()
    }));
    mine.touchpoint_mut(&c0).unwrap().title = "Edited in the file".into();
    // The file also changed the colleague's card: a conflict, kept as the room has it.
    mine.touchpoint_mut(&c1).unwrap().title = "The file's title".into();
    stagecraft::io::save_json(&mine, &pulled).expect("save");
    let (code, out, err) = stagecraft(&["push", pulled.to_str().unwrap(), &url], home);
    assert_eq!(code, 1, "a conflict: {err}");
    assert!(err.contains("three-way"), "{err}");
    assert!(err.contains("conflict: card"), "{err}");
    assert_eq!(out.lines().last(), Some(url.as_str()));
    let room = pull(&address, DEADLINE).expect("pull");
    assert_eq!(room.touchpoint(&c0).unwrap().title, "Edited in the file");
    assert_eq!(room.touchpoint(&c1).unwrap().title, "Colleague's title");
    assert!(
        colleague.wait_until(DEADLINE, |c| c.doc().touchpoint(&c0).unwrap().title
            == "Edited in the file")
    );

    // Errors as the other commands give them.
    let (code, _, err) = stagecraft(&["pull", "http://nowhere/x", "-o", "x.json"], home);
    assert_eq!(code, 2);
    assert!(err.contains("ws://HOST:PORT/ROOM"), "{err}");
    let empty = format!("ws://127.0.0.1:{}/empty-room", server.port);
    let (code, _, err) = stagecraft(&["pull", &empty, "-o", "x.json"], home);
    assert_eq!(code, 2);
    assert!(err.contains("holds no canvas"), "{err}");
    drop(colleague);
    server.stop();
}
