//! Unit tests for every command with undo and redo, transactions, the saved mark, and a
//! property test: any command sequence undone gives back the original document.

use super::*;
use crate::model::{
    CellPos, Color, Extra, Flow, FlowId, Lane, LaneId, Moment, Stage, StageId, Theme, ThemeId,
    Touchpoint, TouchpointId,
};
use proptest::prelude::*;
use std::collections::HashSet;

fn theme(id: &str) -> Theme {
    Theme {
        id: ThemeId::from(id),
        name: id.to_uppercase(),
        color: Color::rgb(200, 80, 40),
        intent: Default::default(),
        tone: vec!["warm".into()],
        extra: Extra::new(),
    }
}

fn card(id: &str, stage: &str, lane: &str) -> Touchpoint {
    Touchpoint::new(
        TouchpointId::from(id),
        id.to_uppercase(),
        StageId::from(stage),
        LaneId::from(lane),
    )
}

fn flow(id: &str, from: &str, to: &str) -> Flow {
    Flow {
        id: FlowId::from(id),
        from: TouchpointId::from(from),
        to: TouchpointId::from(to),
        label: String::new(),
        extra: Extra::new(),
    }
}

/// New canvas with two themes, three cards (a, b in discover/web, c in choose/store) and
/// flows a→b, b→c.
fn fixture() -> Document {
    let mut doc = Document::new_canvas();
    doc.themes = vec![theme("warm"), theme("fast")];
    let mut a = card("a", "discover", "web");
    a.themes.push(ThemeId::from("warm"));
    doc.touchpoints = vec![
        a,
        card("b", "discover", "web"),
        card("c", "choose", "store"),
    ];
    doc.flows = vec![flow("f1", "a", "b"), flow("f2", "b", "c")];
    doc
}

fn tp(id: &str) -> TouchpointId {
    TouchpointId::from(id)
}

/// Applies `cmd`, checks `after` on the result, then undo gives back the original and redo
/// the edited document.
fn roundtrip(cmd: Command, after: impl Fn(&Document)) {
    let mut ed = Editor::new(fixture());
    let cmd_text = format!("{cmd:?}");
    assert!(
        ed.apply(cmd).expect("command accepted"),
        "{cmd_text} changed nothing"
    );
    after(ed.doc());
    let edited = ed.doc().clone();
    assert!(ed.is_dirty());
    assert!(ed.undo());
    assert_eq!(ed.doc(), &fixture(), "undo of {cmd_text}");
    assert!(!ed.is_dirty(), "back at the saved state");
    assert!(ed.redo());
    assert_eq!(ed.doc(), &edited, "redo of {cmd_text}");
}

#[test]
fn a_shared_copy_keeps_the_document_as_it_was_and_edits_copy_only_while_it_is_held() {
    let mut ed = Editor::new(fixture());
    // Held (the autosave writer is writing it): the edit goes to a copy.
    let held = Arc::clone(ed.shared_doc());
    assert!(
        ed.apply(Command::SetTitle("Edited".into()))
            .expect("accepted")
    );
    assert_eq!(held.title, fixture().title);
    assert_eq!(ed.doc().title, "Edited");
    assert!(!Arc::ptr_eq(&held, ed.shared_doc()));
    drop(held);
    // Not held: edits, undo and redo change the document in place.
    let before = Arc::as_ptr(ed.shared_doc());
    assert!(
        ed.apply(Command::SetTitle("Again".into()))
            .expect("accepted")
    );
    assert!(ed.undo());
    assert!(ed.redo());
    assert_eq!(Arc::as_ptr(ed.shared_doc()), before);
    assert_eq!(ed.doc().title, "Again");
}

/// Each step's edit and whether it must move the links revision (what the scorer keeps
/// its resolved flows for) and the layout revision (what the canvas keeps its layout for).
#[test]
fn links_and_layout_revisions_change_with_what_they_track() {
    let mut ed = Editor::new(fixture());
    let (mut links, mut layout) = (ed.links_revision(), ed.layout_revision());
    let mut check = |ed: &Editor, [links_moves, layout_moves]: [bool; 2], what: &str| {
        let now = (ed.links_revision(), ed.layout_revision());
        assert_eq!(now.0 != links, links_moves, "links revision: {what}");
        assert_eq!(now.1 != layout, layout_moves, "layout revision: {what}");
        (links, layout) = now;
    };
    assert!(ed.apply(Command::SetTitle("Coffee".into())).expect("ok"));
    check(&ed, [false, false], "journey title");
    let mut b = ed.doc().touchpoints[1].clone();
    b.title = "Renamed".into();
    b.emotion = 2;
    b.notes = "Longer notes".into();
    assert!(
        ed.apply(Command::UpdateTouchpoint(Box::new(b)))
            .expect("ok")
    );
    check(&ed, [false, false], "card edited in place");
    assert!(ed.undo());
    check(&ed, [false, false], "card edited in place, undone");
    let place = Placement {
        id: tp("a"),
        stage: StageId::from("choose"),
        lane: LaneId::from("store"),
        position: CellPos::default(),
    };
    assert!(ed.apply(Command::MoveTouchpoints(vec![place])).expect("ok"));
    check(&ed, [false, true], "card moved to another cell");
    assert!(ed.undo());
    check(&ed, [false, true], "card moved, undone");
    assert!(ed.redo());
    check(&ed, [false, true], "card moved, redone");
    assert!(
        ed.apply(Command::AddFlow(flow("f3", "a", "c")))
            .expect("ok")
    );
    check(&ed, [true, false], "flow added");
    assert!(ed.undo());
    check(&ed, [true, false], "flow added, undone");
    assert!(ed.redo());
    check(&ed, [true, false], "flow added, redone");
    assert!(
        ed.apply(Command::AddTouchpoint(Box::new(card("d", "choose", "web"))))
            .expect("ok")
    );
    check(&ed, [true, true], "card added");
    assert!(
        ed.apply(Command::DeleteTouchpoints(vec![tp("b")]))
            .expect("ok")
    );
    check(&ed, [true, true], "card deleted");
    assert!(ed.undo());
    check(&ed, [true, true], "card deleted, undone");
    ed.replace(fixture());
    check(&ed, [true, true], "another document");
}

#[test]
fn set_title() {
    roundtrip(Command::SetTitle("Coffee".into()), |d| {
        assert_eq!(d.title, "Coffee");
    });
}

#[test]
fn add_touchpoint_checks_references() {
    roundtrip(
        Command::AddTouchpoint(Box::new(card("d", "share", "backstage"))),
        |d| {
            let d_card = d.touchpoint(&tp("d")).expect("added");
            assert_eq!(d_card.stage.as_str(), "share");
            assert_eq!(d_card.lane.as_str(), "backstage");
        },
    );
    let mut ed = Editor::new(fixture());
    for bad in [
        card("a", "discover", "web"),
        card("d", "nowhere", "web"),
        card("d", "discover", "nowhere"),
    ] {
        assert!(ed.apply(Command::AddTouchpoint(Box::new(bad))).is_err());
    }
    let mut unknown_theme = card("d", "discover", "web");
    unknown_theme.themes.push(ThemeId::from("nope"));
    assert!(
        ed.apply(Command::AddTouchpoint(Box::new(unknown_theme)))
            .is_err()
    );
    assert_eq!(ed.doc(), &fixture());
    assert!(!ed.can_undo());
}

#[test]
fn delete_touchpoints_removes_their_flows() {
    roundtrip(Command::DeleteTouchpoints(vec![tp("b")]), |d| {
        assert_eq!(d.touchpoints.len(), 2);
        assert!(d.flows.is_empty(), "both flows touched b");
    });
    roundtrip(Command::DeleteTouchpoints(vec![tp("a"), tp("c")]), |d| {
        assert_eq!(d.touchpoints.len(), 1);
        assert!(d.flows.is_empty());
    });
}

#[test]
fn move_several_touchpoints_in_one_step() {
    let to_share = |id: &str| Placement {
        id: tp(id),
        stage: StageId::from("share"),
        lane: LaneId::from("people"),
        position: CellPos { x: 0.2, y: 3.0 },
    };
    roundtrip(
        Command::MoveTouchpoints(vec![to_share("a"), to_share("b")]),
        |d| {
            for id in ["a", "b"] {
                let c = d.touchpoint(&tp(id)).expect("card");
                assert_eq!(c.stage.as_str(), "share");
                assert_eq!(c.lane.as_str(), "people");
                assert_eq!(c.position.y, 1.0, "clamped into the cell");
            }
        },
    );
}

#[test]
fn update_touchpoint_sets_any_field() {
    let mut edited = fixture().touchpoints[1].clone();
    edited.title = "Order at the counter".into();
    edited.emotion = 2;
    edited.flags.magic_moment = true;
    edited.department = "Operations".into();
    roundtrip(Command::UpdateTouchpoint(Box::new(edited.clone())), |d| {
        assert_eq!(d.touchpoint(&tp("b")), Some(&edited));
    });
    let mut ed = Editor::new(fixture());
    edited.emotion = 3;
    assert!(
        ed.apply(Command::UpdateTouchpoint(Box::new(edited)))
            .is_err()
    );
    let unchanged = fixture().touchpoints[0].clone();
    assert_eq!(
        ed.apply(Command::UpdateTouchpoint(Box::new(unchanged))),
        Ok(false)
    );
    assert!(!ed.can_undo(), "no-op commands leave no undo step");
}

#[test]
fn assign_and_unassign_theme() {
    roundtrip(
        Command::AssignTheme {
            theme: ThemeId::from("warm"),
            touchpoints: vec![tp("a"), tp("b"), tp("c")],
        },
        |d| {
            for c in &d.touchpoints {
                let n = c.themes.iter().filter(|t| t.as_str() == "warm").count();
                assert_eq!(n, 1, "{} carries warm once", c.id);
            }
        },
    );
    roundtrip(
        Command::UnassignTheme {
            theme: ThemeId::from("warm"),
            touchpoints: vec![tp("a")],
        },
        |d| assert!(d.touchpoints[0].themes.is_empty()),
    );
    let mut ed = Editor::new(fixture());
    assert!(
        ed.apply(Command::AssignTheme {
            theme: ThemeId::from("nope"),
            touchpoints: vec![tp("a")]
        })
        .is_err()
    );
}

#[test]
fn add_and_delete_flows() {
    roundtrip(Command::AddFlow(flow("f3", "a", "c")), |d| {
        assert_eq!(d.flows.len(), 3);
    });
    roundtrip(Command::DeleteFlows(vec![FlowId::from("f1")]), |d| {
        assert_eq!(d.flows.len(), 1);
        assert_eq!(d.flows[0].id.as_str(), "f2");
    });
    let mut ed = Editor::new(fixture());
    for bad in [
        flow("f1", "a", "c"),
        flow("f3", "a", "a"),
        flow("f3", "a", "b"),
        flow("f3", "a", "zz"),
    ] {
        assert!(ed.apply(Command::AddFlow(bad.clone())).is_err(), "{bad:?}");
    }
}

#[test]
fn stages_add_rename_reorder_delete() {
    let stage = Stage {
        id: StageId::from("return"),
        name: "Return".into(),
        moment: Some(Moment::Umot),
        extra: Extra::new(),
    };
    roundtrip(
        Command::AddStage {
            index: 99,
            stage: stage.clone(),
        },
        |d| assert_eq!(d.stages.last(), Some(&stage)),
    );
    let mut renamed = fixture().stages[0].clone();
    renamed.name = "Search".into();
    roundtrip(Command::UpdateStage(renamed), |d| {
        assert_eq!(d.stages[0].name, "Search");
    });
    roundtrip(
        Command::MoveStage {
            id: StageId::from("discover"),
            to: 2,
        },
        |d| assert_eq!(d.stages[2].id.as_str(), "discover"),
    );
    roundtrip(Command::DeleteStage(StageId::from("discover")), |d| {
        assert_eq!(d.stages.len(), 3);
        let ids: Vec<_> = d.touchpoints.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["c"], "cards of the stage went with it");
        assert!(d.flows.is_empty());
    });
}

#[test]
fn the_last_stage_and_lane_cannot_be_deleted() {
    let mut doc = fixture();
    doc.stages.truncate(1);
    doc.lanes.truncate(1);
    doc.touchpoints.clear();
    doc.flows.clear();
    let mut ed = Editor::new(doc.clone());
    assert!(
        ed.apply(Command::DeleteStage(StageId::from("discover")))
            .is_err()
    );
    assert!(ed.apply(Command::DeleteLane(LaneId::from("web"))).is_err());
    assert_eq!(ed.doc(), &doc);
}

#[test]
fn lanes_add_rename_reorder_delete() {
    let lane = Lane {
        id: LaneId::from("social"),
        name: "Social".into(),
        kind: crate::model::ChannelKind::Digital,
        extra: Extra::new(),
    };
    roundtrip(
        Command::AddLane {
            index: 1,
            lane: lane.clone(),
        },
        |d| assert_eq!(d.lanes[1], lane),
    );
    let mut renamed = fixture().lanes[1].clone();
    renamed.name = "Shop".into();
    roundtrip(Command::UpdateLane(renamed), |d| {
        assert_eq!(d.lanes[1].name, "Shop");
    });
    roundtrip(
        Command::MoveLane {
            id: LaneId::from("backstage"),
            to: 0,
        },
        |d| assert_eq!(d.lanes[0].id.as_str(), "backstage"),
    );
    roundtrip(Command::DeleteLane(LaneId::from("store")), |d| {
        assert_eq!(d.lanes.len(), 3);
        assert_eq!(d.touchpoints.len(), 2);
        assert_eq!(d.flows.len(), 1, "b→c went with c");
    });
}

#[test]
fn themes_add_rename_reorder_delete() {
    roundtrip(
        Command::AddTheme {
            index: 0,
            theme: theme("calm"),
        },
        |d| assert_eq!(d.themes[0].id.as_str(), "calm"),
    );
    let mut renamed = theme("fast");
    renamed.name = "Swift".into();
    roundtrip(Command::UpdateTheme(renamed), |d| {
        assert_eq!(d.themes[1].name, "Swift");
    });
    roundtrip(
        Command::MoveTheme {
            id: ThemeId::from("fast"),
            to: 0,
        },
        |d| assert_eq!(d.themes[0].id.as_str(), "fast"),
    );
    roundtrip(Command::DeleteTheme(ThemeId::from("warm")), |d| {
        assert_eq!(d.themes.len(), 1);
        assert!(
            d.touchpoints.iter().all(|t| t.themes.is_empty()),
            "the theme is taken off its cards"
        );
    });
}

#[test]
fn paste_gives_fresh_ids_and_keeps_inner_flows() {
    let doc = fixture();
    let ids: HashSet<_> = [tp("a"), tp("b")].into();
    let clip = Clip::copy(&doc, &ids);
    assert_eq!(clip.flows.len(), 1, "only a→b is inside the selection");
    assert_eq!(clip.themes.len(), 1);
    let text = clip.to_text();
    assert_eq!(Clip::from_text(&text), Some(clip.clone()));
    assert_eq!(Clip::from_text("hello"), None);

    let (ins, new_ids) = clip.to_insertion(&doc);
    assert_eq!(new_ids.len(), 2);
    let mut ed = Editor::new(doc.clone());
    assert!(ed.apply(Command::Insert(Box::new(ins))).expect("paste"));
    assert_eq!(ed.doc().touchpoints.len(), 5);
    assert_eq!(ed.doc().flows.len(), 3);
    let new_flow = ed.doc().flows.last().expect("flow");
    assert_eq!((&new_flow.from, &new_flow.to), (&new_ids[0], &new_ids[1]));
    assert!(crate::model::validate(ed.doc()).is_empty());
    assert!(ed.undo());
    assert_eq!(ed.doc(), &doc);
}

#[test]
fn paste_into_another_document_brings_themes_and_finds_cells() {
    let source = fixture();
    let clip = Clip::copy(&source, &[tp("a")].into());
    let mut target = Document::new_canvas();
    target.stages.retain(|s| s.id.as_str() != "discover");
    let (ins, _) = clip.to_insertion(&target);
    let mut ed = Editor::new(target);
    ed.apply(Command::Insert(Box::new(ins))).expect("paste");
    let pasted = &ed.doc().touchpoints[0];
    assert_eq!(pasted.stage.as_str(), "choose", "first stage stands in");
    assert_eq!(ed.doc().themes.len(), 1);
    assert!(crate::model::validate(ed.doc()).is_empty());
}

#[test]
fn a_transaction_is_one_undo_step() {
    let mut ed = Editor::new(fixture());
    ed.begin("rename journey");
    for title in ["C", "Co", "Cof", "Coffee"] {
        ed.apply(Command::SetTitle(title.into())).expect("title");
    }
    assert!(ed.is_dirty());
    ed.commit();
    assert_eq!(ed.undo_label(), Some("rename journey"));
    assert!(ed.undo());
    assert_eq!(ed.doc(), &fixture());
    assert!(!ed.can_undo());
    assert!(ed.redo());
    assert_eq!(ed.doc().title, "Coffee");
}

#[test]
fn abort_reverts_the_gesture() {
    let mut ed = Editor::new(fixture());
    let rev = ed.revision();
    ed.begin("move cards");
    ed.apply(Command::MoveTouchpoints(vec![Placement {
        id: tp("a"),
        stage: StageId::from("share"),
        lane: LaneId::from("web"),
        position: CellPos::default(),
    }]))
    .expect("move");
    ed.abort();
    assert_eq!(ed.doc(), &fixture());
    assert!(!ed.can_undo());
    assert!(!ed.is_dirty());
    assert!(ed.revision() > rev, "caches must see the revert");
}

#[test]
fn saved_mark_follows_undo_and_redo() {
    let mut ed = Editor::new(fixture());
    ed.apply(Command::SetTitle("one".into())).expect("edit");
    ed.mark_saved();
    assert!(!ed.is_dirty());
    ed.apply(Command::SetTitle("two".into())).expect("edit");
    assert!(ed.is_dirty());
    ed.undo();
    assert!(!ed.is_dirty(), "back at the saved state");
    ed.undo();
    assert!(ed.is_dirty());
    ed.redo();
    assert!(!ed.is_dirty());
}

#[test]
fn new_edit_clears_redo() {
    let mut ed = Editor::new(fixture());
    ed.apply(Command::SetTitle("one".into())).expect("edit");
    ed.undo();
    assert!(ed.can_redo());
    ed.apply(Command::SetTitle("two".into())).expect("edit");
    assert!(!ed.can_redo());
}

#[test]
fn texts_past_the_file_limits_are_refused_whole_and_at_the_limit_they_save_and_load() {
    use crate::model::{MAX_TEXT_CHARS, MAX_TITLE_CHARS};
    let mut ed = Editor::new(fixture());
    let err = ed
        .apply(Command::SetTitle("é".repeat(2 * MAX_TITLE_CHARS)))
        .expect_err("a 2,000-character title would not load again");
    assert_eq!(
        err.to_string(),
        "The title is 2000 characters long; at most 1000 are allowed."
    );
    let mut card = fixture().touchpoints[1].clone();
    card.notes = "n".repeat(MAX_TEXT_CHARS + 1);
    let err = ed
        .apply(Command::UpdateTouchpoint(Box::new(card.clone())))
        .expect_err("notes past the limit");
    assert!(err.to_string().starts_with("The notes are 100001"), "{err}");
    card.notes.clear();
    card.cues.push(crate::model::Cue {
        text: "c".repeat(MAX_TITLE_CHARS + 1),
        polarity: crate::model::Polarity::Negative,
    });
    assert!(ed.apply(Command::UpdateTouchpoint(Box::new(card))).is_err());
    let mut stage = fixture().stages[0].clone();
    stage.name = "s".repeat(MAX_TITLE_CHARS + 1);
    assert!(ed.apply(Command::UpdateStage(stage)).is_err());
    assert_eq!(ed.doc(), &fixture(), "refused edits change nothing");
    assert!(!ed.can_undo());

    // Exactly at every limit is fine, and opens again.
    ed.apply(Command::SetTitle("東".repeat(MAX_TITLE_CHARS)))
        .expect("at the limit");
    let mut card = fixture().touchpoints[0].clone();
    card.notes = "👩‍👧".repeat(MAX_TEXT_CHARS / 3);
    card.title = "t".repeat(MAX_TITLE_CHARS);
    ed.apply(Command::UpdateTouchpoint(Box::new(card)))
        .expect("at the limit");
    let loaded = crate::io::load_str("limits.json", &crate::io::to_json(ed.doc()))
        .expect("what the editor made opens");
    assert_eq!(&loaded.document, ed.doc());
}

mod personas;
mod props;
