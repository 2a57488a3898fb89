//! Issue 13, "Two colleagues, one canvas": the three-way merge on small hand-made canvases
//! (one test per rule of docs/MERGE.md), property tests over random editor commands, the
//! diff, the `diff` and `merge` commands with their exit codes, and `git merge` through
//! the merge driver.

use proptest::prelude::*;
use serde_json::{Value, json};
use stagecraft::edit::{Command, Editor, FreshIds, Placement};
use stagecraft::io::{load_str, to_json};
use stagecraft::merge::{Change, ElementKind, Side, diff, merge};
use stagecraft::model::{
    CellPos, Color, Document, Extra, Flow, FlowId, LaneId, Stage, StageId, Theme, ThemeId,
    Touchpoint, TouchpointId, validate,
};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

// ---- Fixtures ---------------------------------------------------------------------------

fn card(id: &str, title: &str, stage: &str, lane: &str) -> Touchpoint {
    Touchpoint::new(
        TouchpointId::from(id),
        title,
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

/// A café journey: the four default stages and lanes, one theme, three cards, two flows.
fn cafe() -> Document {
    let mut doc = Document::new_canvas();
    doc.title = "Coffee on the way to work".into();
    doc.themes = vec![Theme {
        id: ThemeId::from("warm"),
        name: "Warm welcome".into(),
        color: Color::rgb(0xe4, 0x57, 0x2e),
        intent: Default::default(),
        tone: vec!["warm".into()],
        extra: Extra::new(),
    }];
    let mut greet = card("tp-1", "Greeted by name", "experience", "store");
    greet.notes = "Eye contact\nSay the name\nSmile\nAsk about the day\nOffer the usual\n".into();
    doc.touchpoints = vec![
        card("tp-1", "Find the café", "discover", "web"),
        card("tp-2", "Order", "choose", "store"),
        card("tp-3", "Pay", "choose", "store"),
    ];
    doc.touchpoints.push(Touchpoint {
        id: TouchpointId::from("tp-4"),
        ..greet
    });
    doc.flows = vec![flow("f-1", "tp-1", "tp-2"), flow("f-2", "tp-2", "tp-3")];
    doc
}

fn ids<T>(list: &[T], id: impl Fn(&T) -> &str) -> Vec<&str> {
    list.iter().map(id).collect()
}

fn card_of<'a>(doc: &'a Document, id: &str) -> &'a Touchpoint {
    doc.touchpoint(&TouchpointId::from(id))
        .unwrap_or_else(|| panic!("card {id} is in the merge"))
}

/// Merges with each preference, checks both results are valid and mirror each other, and
/// returns the one preferring ours.
fn merged(base: &Document, ours: &Document, theirs: &Document) -> stagecraft::merge::MergeOutcome {
    let out = merge(base, ours, theirs, Side::Ours);
    assert_eq!(validate(&out.doc), vec![], "the merge is valid");
    let mirrored = merge(base, theirs, ours, Side::Theirs);
    assert_eq!(
        mirrored.doc, out.doc,
        "preferring the same copy gives the same canvas"
    );
    out
}

// ---- The rules, one scenario each --------------------------------------------------------

#[test]
fn both_sides_add_cards_to_the_same_cell() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.touchpoints
        .insert(2, card("tp-o", "Loyalty stamp", "choose", "store"));
    theirs
        .touchpoints
        .insert(2, card("tp-t", "Tip jar", "choose", "store"));
    let out = merged(&base, &ours, &theirs);
    assert!(out.is_clean());
    assert_eq!(
        ids(&out.doc.touchpoints, |c| c.id.as_str()),
        ["tp-1", "tp-2", "tp-o", "tp-t", "tp-3", "tp-4"],
        "ours' addition first, both after the card they followed"
    );
    let theirs_first = merge(&base, &ours, &theirs, Side::Theirs);
    assert_eq!(
        ids(&theirs_first.doc.touchpoints, |c| c.id.as_str()),
        ["tp-1", "tp-2", "tp-t", "tp-o", "tp-3", "tp-4"]
    );
}

#[test]
fn one_side_retitles_a_card_while_the_other_changes_its_emotion() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.touchpoints[1].title = "Order at the counter".into();
    theirs.touchpoints[1].emotion = 2;
    let out = merged(&base, &ours, &theirs);
    assert!(out.is_clean(), "{:?}", out.conflicts);
    assert!(out.notes.is_empty());
    let c = card_of(&out.doc, "tp-2");
    assert_eq!((c.title.as_str(), c.emotion), ("Order at the counter", 2));
}

#[test]
fn the_same_change_on_both_sides_is_taken_once() {
    let base = cafe();
    let mut ours = base.clone();
    ours.touchpoints[1].title = "Order at the counter".into();
    ours.touchpoints
        .push(card("tp-9", "Receipt", "choose", "web"));
    let out = merged(&base, &ours, &ours.clone());
    assert!(out.is_clean());
    assert_eq!(out.doc, ours);
}

#[test]
fn one_side_deletes_a_card_the_other_edited() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    // Theirs deletes tp-3 (the editor takes its flow f-2 with it); ours retitles it.
    theirs.touchpoints.retain(|c| c.id.as_str() != "tp-3");
    theirs.flows.retain(|f| f.id.as_str() != "f-2");
    ours.touchpoints[2].title = "Pay by phone".into();
    let out = merged(&base, &ours, &theirs);
    assert_eq!(out.conflicts.len(), 1);
    let c = &out.conflicts[0];
    assert_eq!(
        (c.key.element, c.key.id.as_str(), c.key.field.as_str()),
        (ElementKind::Card, "tp-3", "deleted")
    );
    assert_eq!((c.ours.as_str(), c.theirs.as_str()), ("edited", "deleted"));
    assert_eq!(card_of(&out.doc, "tp-3").title, "Pay by phone");
    // Kept ours, so the flow theirs deleted with the card goes (unedited by ours).
    assert_eq!(ids(&out.doc.flows, |f| f.id.as_str()), ["f-1"]);
    // Preferring theirs deletes the card.
    let theirs_way = merge(&base, &ours, &theirs, Side::Theirs);
    assert!(
        theirs_way
            .doc
            .touchpoint(&TouchpointId::from("tp-3"))
            .is_none()
    );
    assert_eq!(theirs_way.conflicts[0].resolved_to, Side::Theirs);
}

#[test]
fn both_move_the_same_card_to_different_cells() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.touchpoints[2].stage = StageId::from("experience");
    theirs.touchpoints[2].lane = LaneId::from("web");
    theirs.touchpoints[2].position = CellPos { x: 0.2, y: 0.8 };
    let out = merged(&base, &ours, &theirs);
    assert_eq!(
        out.conflicts.len(),
        1,
        "stage, lane and place are one field"
    );
    assert_eq!(out.conflicts[0].key.field, "place");
    let c = card_of(&out.doc, "tp-3");
    assert_eq!(
        (c.stage.as_str(), c.lane.as_str()),
        ("experience", "store"),
        "ours, whole: never half of each"
    );
    assert_eq!(
        out.conflicts[0].to_string(),
        "card \"tp-3\" place: ours stage \"experience\", lane \"store\", at 0.5, 0.5, \
         theirs stage \"choose\", lane \"web\", at 0.2, 0.8; kept ours"
    );
    // The same move on both sides is no conflict.
    let out = merged(&base, &ours, &ours.clone());
    assert!(out.is_clean());
}

#[test]
fn one_side_reorders_stages_while_the_other_adds_one() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    // Ours drags "share" to the front.
    let share = ours.stages.remove(3);
    ours.stages.insert(0, share);
    // Theirs adds "pay" after "choose".
    theirs.stages.insert(
        2,
        Stage {
            id: StageId::from("pay"),
            name: "Pay".into(),
            moment: None,
            extra: Extra::new(),
        },
    );
    theirs.touchpoints[2].stage = StageId::from("pay");
    let out = merged(&base, &ours, &theirs);
    assert!(out.is_clean(), "{:?}", out.conflicts);
    assert_eq!(
        ids(&out.doc.stages, |s| s.id.as_str()),
        ["share", "discover", "choose", "pay", "experience"]
    );
    assert_eq!(card_of(&out.doc, "tp-3").stage.as_str(), "pay");
}

#[test]
fn two_different_moves_of_one_stage_conflict() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let s = ours.stages.remove(3);
    ours.stages.insert(0, s);
    let s = theirs.stages.remove(3);
    theirs.stages.insert(1, s);
    let out = merged(&base, &ours, &theirs);
    assert_eq!(out.conflicts.len(), 1);
    assert_eq!(
        out.conflicts[0].to_string(),
        "stage \"share\" order: ours first, theirs after \"discover\"; kept ours"
    );
    assert_eq!(out.doc.stages[0].id.as_str(), "share");
}

#[test]
fn one_side_renames_a_theme_while_the_other_assigns_it_to_cards() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.themes[0].name = "Known by name".into();
    for c in &mut theirs.touchpoints[1..3] {
        c.themes.push(ThemeId::from("warm"));
    }
    let out = merged(&base, &ours, &theirs);
    assert!(out.is_clean());
    assert_eq!(out.doc.themes[0].name, "Known by name");
    let carrying: Vec<&str> = out
        .doc
        .touchpoints
        .iter()
        .filter(|c| c.themes.contains(&ThemeId::from("warm")))
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(carrying, ["tp-2", "tp-3"]);
}

#[test]
fn flows_to_cards_deleted_on_the_other_side_are_dropped_and_reported() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    // Ours links the greeting to paying and to ordering; theirs deletes the greeting.
    ours.flows.push(flow("f-3", "tp-3", "tp-4"));
    ours.flows.push(flow("f-4", "tp-4", "tp-2"));
    theirs.touchpoints.retain(|c| c.id.as_str() != "tp-4");
    let out = merged(&base, &ours, &theirs);
    assert!(out.is_clean());
    assert_eq!(ids(&out.doc.flows, |f| f.id.as_str()), ["f-1", "f-2"]);
    assert_eq!(
        out.notes,
        [
            "flow \"f-3\" from \"tp-3\" to \"tp-4\" dropped: card \"tp-4\" was deleted by theirs",
            "flow \"f-4\" from \"tp-4\" to \"tp-2\" dropped: card \"tp-4\" was deleted by theirs",
        ]
    );
}

#[test]
fn unknown_fields_on_both_sides_are_kept() {
    let mut base = cafe();
    base.extra.insert("x_workshop".into(), json!("2026-11"));
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.extra.insert("x_owner".into(), json!("Ana"));
    theirs.extra.insert("x_reviewed".into(), json!(true));
    ours.touchpoints[0]
        .extra
        .insert("x_photo".into(), json!({"url": "a.jpg"}));
    theirs.touchpoints[0]
        .extra
        .insert("x_votes".into(), json!(3));
    theirs.stages[0]
        .extra
        .insert("x_colour".into(), json!("#fff"));
    theirs.extra.insert("x_workshop".into(), json!("2026-12"));
    let out = merged(&base, &ours, &theirs);
    assert!(out.is_clean());
    let keys = |e: &Extra| e.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&out.doc.extra),
        ["x_owner", "x_reviewed", "x_workshop"]
    );
    assert_eq!(out.doc.extra["x_workshop"], json!("2026-12"));
    assert_eq!(keys(&out.doc.touchpoints[0].extra), ["x_photo", "x_votes"]);
    assert_eq!(out.doc.stages[0].extra["x_colour"], json!("#fff"));
    // Two different values for one unknown field conflict like any field.
    ours.extra.insert("x_workshop".into(), json!("2027-01"));
    let out = merged(&base, &ours, &theirs);
    assert_eq!(out.conflicts.len(), 1);
    assert_eq!(
        out.conflicts[0].to_string(),
        "canvas x_workshop: ours \"2027-01\", theirs \"2026-12\"; kept ours"
    );
}

#[test]
fn notes_changed_on_both_sides_in_different_lines_merge_line_by_line() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.touchpoints[3].notes =
        "Eye contact\nSay the name, first name only\nSmile\nAsk about the day\nOffer the usual\n"
            .into();
    theirs.touchpoints[3].notes =
        "Eye contact\nSay the name\nSmile\nAsk about the day\nOffer the usual, or today's special\nThank them\n"
            .into();
    let out = merged(&base, &ours, &theirs);
    assert!(out.is_clean(), "{:?}", out.conflicts);
    assert_eq!(
        card_of(&out.doc, "tp-4").notes,
        "Eye contact\nSay the name, first name only\nSmile\nAsk about the day\nOffer the usual, or today's special\nThank them\n"
    );
}

#[test]
fn notes_changed_on_both_sides_in_the_same_lines_conflict() {
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.touchpoints[3].notes = "Eye contact\nSay the name\nGrin\nAsk about the day\n".into();
    theirs.touchpoints[3].notes = "Eye contact\nSay the name\nWave\nAsk about the day\n".into();
    let out = merged(&base, &ours, &theirs);
    assert_eq!(out.conflicts.len(), 1);
    assert_eq!(out.conflicts[0].key.field, "notes");
    assert_eq!(card_of(&out.doc, "tp-4").notes, ours.touchpoints[3].notes);
    // A persona's goal merges the same way.
    let mut base = base;
    base.personas.push(stagecraft::model::Persona::new(
        "sam".into(),
        "Sam",
        Color::rgb(0, 0, 0),
    ));
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.personas[0].goal = "Coffee fast".into();
    theirs.personas[0].goal = "Coffee warm".into();
    let out = merged(&base, &ours, &theirs);
    assert_eq!(out.conflicts[0].key.element, ElementKind::Persona);
    assert_eq!(out.conflicts[0].key.id, "sam");
}

// ---- Property tests ----------------------------------------------------------------------

/// A random edit, by numbers that pick elements of whatever the document holds then.
#[derive(Clone, Debug)]
enum Edit {
    Add(u8, u8),
    Delete(u8),
    Move(u8, u8, u8),
    Retitle(u8, u8),
    Emotion(u8, i8),
    Notes(u8, u8, u8),
    Unknown(u8, u8),
    Assign(u8, u8),
    Unassign(u8, u8),
    Link(u8, u8),
    Unlink(u8),
    AddStage(u8),
    MoveStage(u8, u8),
    DeleteStage(u8),
    DeleteLane(u8),
    AddTheme,
    DeleteTheme(u8),
    Title(u8),
}

fn pick<T>(list: &[T], n: u8) -> Option<&T> {
    (!list.is_empty()).then(|| &list[usize::from(n) % list.len()])
}

/// The command for an edit on `doc`; `tag` keeps the two sides' new ids apart half the
/// time (the other half, both sides may add different elements with one id).
fn command(doc: &Document, e: &Edit, tag: &str) -> Option<Command> {
    let mut ids = FreshIds::new(doc);
    let card_id = |n| pick(&doc.touchpoints, n).map(|c| c.id.clone());
    let update = |n, f: &dyn Fn(&mut Touchpoint)| {
        let mut c = pick(&doc.touchpoints, n)?.clone();
        f(&mut c);
        Some(Command::UpdateTouchpoint(Box::new(c)))
    };
    Some(match *e {
        Edit::Add(s, l) => Command::AddTouchpoint(Box::new(Touchpoint::new(
            TouchpointId::new(ids.next(&format!("{tag}tp"))),
            "new",
            pick(&doc.stages, s)?.id.clone(),
            pick(&doc.lanes, l)?.id.clone(),
        ))),
        Edit::Delete(n) => Command::DeleteTouchpoints(vec![card_id(n)?]),
        Edit::Move(n, s, l) => Command::MoveTouchpoints(vec![Placement {
            id: card_id(n)?,
            stage: pick(&doc.stages, s)?.id.clone(),
            lane: pick(&doc.lanes, l)?.id.clone(),
            position: CellPos {
                x: f32::from(s % 5) / 4.0,
                y: f32::from(l % 5) / 4.0,
            },
        }]),
        Edit::Retitle(n, t) => return update(n, &|c| c.title = format!("title {}", t % 4)),
        Edit::Emotion(n, v) => return update(n, &|c| c.emotion = v.clamp(-2, 2)),
        Edit::Notes(n, line, t) => {
            return update(n, &|c| {
                let mut lines: Vec<String> = (0..6).map(|i| format!("line {i}")).collect();
                if !c.notes.is_empty() {
                    lines = c.notes.lines().map(str::to_owned).collect();
                }
                let i = usize::from(line) % lines.len();
                lines[i] = format!("edit {t}");
                c.notes = lines.join("\n");
            });
        }
        Edit::Unknown(n, v) => {
            return update(n, &|c| {
                c.extra.insert(format!("x_{}", v % 3), Value::from(v));
            });
        }
        Edit::Assign(t, n) => Command::AssignTheme {
            theme: pick(&doc.themes, t)?.id.clone(),
            touchpoints: vec![card_id(n)?],
        },
        Edit::Unassign(t, n) => Command::UnassignTheme {
            theme: pick(&doc.themes, t)?.id.clone(),
            touchpoints: vec![card_id(n)?],
        },
        Edit::Link(a, b) => Command::AddFlow(Flow {
            id: FlowId::new(ids.next(&format!("{tag}flow"))),
            from: card_id(a)?,
            to: card_id(b)?,
            label: String::new(),
            extra: Extra::new(),
        }),
        Edit::Unlink(n) => Command::DeleteFlows(vec![pick(&doc.flows, n)?.id.clone()]),
        Edit::AddStage(i) => Command::AddStage {
            index: usize::from(i) % (doc.stages.len() + 1),
            stage: Stage {
                id: StageId::new(ids.next(&format!("{tag}stage"))),
                name: "S".into(),
                moment: None,
                extra: Extra::new(),
            },
        },
        Edit::MoveStage(n, to) => Command::MoveStage {
            id: pick(&doc.stages, n)?.id.clone(),
            to: usize::from(to) % doc.stages.len().max(1),
        },
        Edit::DeleteStage(n) => Command::DeleteStage(pick(&doc.stages, n)?.id.clone()),
        Edit::DeleteLane(n) => Command::DeleteLane(pick(&doc.lanes, n)?.id.clone()),
        Edit::AddTheme => Command::AddTheme {
            index: 0,
            theme: Theme {
                id: ThemeId::new(ids.next(&format!("{tag}theme"))),
                name: "T".into(),
                color: Color::rgb(1, 2, 3),
                intent: Default::default(),
                tone: vec![],
                extra: Extra::new(),
            },
        },
        Edit::DeleteTheme(n) => Command::DeleteTheme(pick(&doc.themes, n)?.id.clone()),
        Edit::Title(n) => Command::SetTitle(format!("title {}", n % 3)),
    })
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = any::<u8>;
    prop_oneof![
        (n(), n()).prop_map(|(a, b)| Edit::Add(a, b)),
        n().prop_map(Edit::Delete),
        (n(), n(), n()).prop_map(|(a, b, c)| Edit::Move(a, b, c)),
        (n(), n()).prop_map(|(a, b)| Edit::Retitle(a, b)),
        (n(), -2i8..=2).prop_map(|(a, b)| Edit::Emotion(a, b)),
        (n(), n(), n()).prop_map(|(a, b, c)| Edit::Notes(a, b, c)),
        (n(), n()).prop_map(|(a, b)| Edit::Unknown(a, b)),
        (n(), n()).prop_map(|(a, b)| Edit::Assign(a, b)),
        (n(), n()).prop_map(|(a, b)| Edit::Unassign(a, b)),
        (n(), n()).prop_map(|(a, b)| Edit::Link(a, b)),
        n().prop_map(Edit::Unlink),
        n().prop_map(Edit::AddStage),
        (n(), n()).prop_map(|(a, b)| Edit::MoveStage(a, b)),
        n().prop_map(Edit::DeleteStage),
        n().prop_map(Edit::DeleteLane),
        Just(Edit::AddTheme),
        n().prop_map(Edit::DeleteTheme),
        n().prop_map(Edit::Title),
    ]
}

/// `base` with the edits applied through the editor (so every copy is one a designer
/// could make).
fn edited(base: &Document, edits: &[Edit], tag: &str) -> Document {
    let mut ed = Editor::new(base.clone());
    for e in edits {
        if let Some(cmd) = command(ed.doc(), e, tag) {
            let _ = ed.apply(cmd);
        }
    }
    ed.doc().clone()
}

fn small_base(seed: u64) -> Document {
    let mut doc = stagecraft::synth::canvas(&stagecraft::synth::SynthSpec {
        touchpoints: 12,
        flows_per_touchpoint: 1.5,
        seed,
    });
    doc.touchpoints[0].notes = "line 0\nline 1\nline 2\nline 3\nline 4\nline 5".into();
    doc
}

/// Saves, loads and validates a merge result.
fn round_trips(doc: &Document) -> Result<(), TestCaseError> {
    prop_assert_eq!(validate(doc), vec![]);
    let loaded =
        load_str("merged.json", &to_json(doc)).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&loaded.document, doc);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merging_with_an_unchanged_side_gives_the_changed_side(
        seed in 0u64..1000,
        xs in proptest::collection::vec(edit(), 0..20),
    ) {
        let base = small_base(seed);
        let x = edited(&base, &xs, "x");
        for prefer in [Side::Ours, Side::Theirs] {
            let out = merge(&base, &x, &base, prefer);
            prop_assert!(out.is_clean());
            prop_assert_eq!(&out.doc, &x, "merge(base, x, base) = x, prefer {:?}", prefer);
            let out = merge(&base, &base, &x, prefer);
            prop_assert!(out.is_clean());
            prop_assert_eq!(&out.doc, &x, "merge(base, base, x) = x, prefer {:?}", prefer);
            let out = merge(&base, &x, &x, prefer);
            prop_assert!(out.is_clean());
            prop_assert_eq!(&out.doc, &x, "merge(base, x, x) = x, prefer {:?}", prefer);
        }
    }

    #[test]
    fn preferring_theirs_is_the_mirrored_merge_and_every_result_is_valid(
        seed in 0u64..1000,
        xs in proptest::collection::vec(edit(), 0..20),
        ys in proptest::collection::vec(edit(), 0..20),
        same_tags in any::<bool>(),
    ) {
        let base = small_base(seed);
        let x = edited(&base, &xs, "x");
        let y = edited(&base, &ys, if same_tags { "x" } else { "y" });
        let theirs_way = merge(&base, &x, &y, Side::Theirs);
        let mirrored = merge(&base, &y, &x, Side::Ours);
        prop_assert_eq!(&theirs_way.doc, &mirrored.doc);
        prop_assert_eq!(theirs_way.conflicts.len(), mirrored.conflicts.len());
        round_trips(&theirs_way.doc)?;
        round_trips(&merge(&base, &x, &y, Side::Ours).doc)?;
    }
}

// ---- The diff ------------------------------------------------------------------------------

#[test]
fn diff_of_equal_canvases_is_empty() {
    let d = diff(&cafe(), &cafe());
    assert!(d.is_empty());
    assert_eq!(d.score.old, d.score.new);
    assert!(d.render_text().starts_with("no changes\n"));
}

#[test]
fn diff_describes_each_kind_of_change() {
    let a = cafe();
    let mut b = cafe();
    b.title = "Coffee, better".into();
    b.personas.push(stagecraft::model::Persona::new(
        "sam".into(),
        "Sam",
        Color::rgb(0, 0, 0),
    ));
    b.stages[0].name = "Find".into();
    b.lanes.remove(2);
    b.themes[0].color = Color::rgb(0, 0, 0);
    b.touchpoints.retain(|c| c.id.as_str() != "tp-3");
    b.flows.retain(|f| f.id.as_str() != "f-2");
    b.touchpoints
        .push(card("tp-5", "Loyalty app", "share", "web"));
    b.touchpoints[0].emotion = 1;
    b.touchpoints[1].stage = StageId::from("experience");
    b.flows[0].label = "then".into();
    let d = diff(&a, &b);
    assert_eq!(d.document[0].field, "title");

    let summary: Vec<(ElementKind, &str, Change, Vec<&str>)> = d
        .element_changes()
        .map(|(k, c)| {
            (
                k,
                c.id.as_str(),
                c.change,
                c.fields.iter().map(|f| f.field.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (ElementKind::Persona, "sam", Change::Added, vec![]),
            (
                ElementKind::Stage,
                "discover",
                Change::Changed,
                vec!["name"]
            ),
            (ElementKind::Lane, "people", Change::Removed, vec![]),
            (ElementKind::Theme, "warm", Change::Changed, vec!["color"]),
            (ElementKind::Card, "tp-1", Change::Changed, vec!["emotion"]),
            (ElementKind::Card, "tp-2", Change::Moved, vec!["place"]),
            (ElementKind::Card, "tp-5", Change::Added, vec![]),
            (ElementKind::Card, "tp-3", Change::Removed, vec![]),
            (ElementKind::Flow, "f-1", Change::Changed, vec!["label"]),
            (ElementKind::Flow, "f-2", Change::Removed, vec![]),
        ]
    );
    let text = d.render_text();
    assert!(
        text.contains("~ card \"tp-1\" \"Find the café\": changed: emotion 0 → 1\n"),
        "{text}"
    );
    assert!(text.contains(
        "~ card \"tp-2\" \"Order\": moved: place stage \"choose\", lane \"store\", at 0.5, 0.5 → stage \"experience\", lane \"store\", at 0.5, 0.5\n"
    ), "{text}");
    assert!(
        text.contains("+ card \"tp-5\" \"Loyalty app\": added\n"),
        "{text}"
    );
    assert!(text.contains("score "), "{text}");
}

// ---- The commands ----------------------------------------------------------------------------

fn write(dir: &Path, name: &str, doc: &Document) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, to_json(doc)).expect("write canvas");
    path
}

fn run(args: &[&Path]) -> (i32, String, String) {
    let out = Process::new(env!("CARGO_BIN_EXE_stagecraft"))
        .args(args)
        .output()
        .expect("run stagecraft");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn diff_command_exits_0_when_equal_1_when_different_2_on_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = write(dir.path(), "a.json", &cafe());
    let same = write(dir.path(), "same.json", &cafe());
    let mut changed = cafe();
    changed.touchpoints[1].title = "Order ahead".into();
    let b = write(dir.path(), "b.json", &changed);
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"format\": \"stagecraft\", \"version\": 1,\n  \"title\": 3}",
    )
    .expect("write");
    let diff_cmd = Path::new("diff");
    let (code, out, _) = run(&[diff_cmd, &a, &same]);
    assert_eq!(code, 0);
    assert!(out.starts_with("no changes\n"), "{out}");
    let (code, out, _) = run(&[diff_cmd, &a, &b]);
    assert_eq!(code, 1);
    assert!(
        out.contains("~ card \"tp-2\" \"Order ahead\": changed: title \"Order\" → \"Order ahead\""),
        "{out}"
    );
    let (code, _, err) = run(&[diff_cmd, &a, &broken]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json:2:12: "), "{err}");
    let (code, _, _) = run(&[diff_cmd, &a, &dir.path().join("missing.json")]);
    assert_eq!(code, 2);
}

#[test]
fn diff_json_has_the_documented_structure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = write(dir.path(), "a.json", &cafe());
    let mut changed = cafe();
    changed.touchpoints[1].title = "Order ahead".into();
    changed.touchpoints[1].lane = LaneId::from("web");
    changed
        .touchpoints
        .push(card("tp-5", "Loyalty app", "share", "web"));
    let b = write(dir.path(), "b.json", &changed);
    let (code, out, _) = run(&[Path::new("diff"), &a, &b, Path::new("--json")]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).expect("JSON on stdout");
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "old_file", "new_file", "equal", "document", "personas", "stages", "lanes", "themes",
        "cards", "flows", "score",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(v["equal"], json!(false));
    assert_eq!(
        v["cards"][0],
        json!({
            "id": "tp-2",
            "name": "Order ahead",
            "change": "changed",
            "fields": [
                {"field": "place",
                 "old": {"stage": "choose", "lane": "store", "x": 0.5, "y": 0.5},
                 "new": {"stage": "choose", "lane": "web", "x": 0.5, "y": 0.5}},
                {"field": "title", "old": "Order", "new": "Order ahead"},
            ]
        })
    );
    assert_eq!(
        v["cards"][1],
        json!({"id": "tp-5", "name": "Loyalty app", "change": "added", "fields": []})
    );
    assert!(v["score"]["old"].is_u64() && v["score"]["new"].is_u64());
    let rule = &v["score"]["rules"][0];
    for key in ["id", "title", "old", "new"] {
        assert!(rule.get(key).is_some(), "rule has {key}: {rule}");
    }
}

#[test]
fn merge_command_writes_a_canonical_merge_and_exits_by_outcome() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = cafe();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.touchpoints[1].title = "Order at the counter".into();
    theirs.touchpoints[1].emotion = 2;
    let b = write(dir.path(), "base.json", &base);
    let o = write(dir.path(), "ours.json", &ours);
    let t = write(dir.path(), "theirs.json", &theirs);
    let out = dir.path().join("out.json");
    let merge_cmd = Path::new("merge");
    let (code, _, err) = run(&[merge_cmd, &b, &o, &t, Path::new("-o"), &out]);
    assert_eq!((code, err.as_str()), (0, ""));
    let text = std::fs::read_to_string(&out).expect("written");
    let merged = load_str("out.json", &text).expect("loads").document;
    assert_eq!(to_json(&merged), text, "canonical");
    assert_eq!(card_of(&merged, "tp-2").emotion, 2);
    assert_eq!(card_of(&merged, "tp-2").title, "Order at the counter");

    // A conflict: exit 1, one line on stderr, OUT still written (theirs preferred here).
    theirs.touchpoints[2].title = "Pay at the till".into();
    ours.touchpoints[2].title = "Pay by phone".into();
    let o = write(dir.path(), "ours.json", &ours);
    let t = write(dir.path(), "theirs.json", &theirs);
    let (code, _, err) = run(&[
        merge_cmd,
        &b,
        &o,
        &t,
        Path::new("-o"),
        &out,
        Path::new("--prefer"),
        Path::new("theirs"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "{}: conflict: card \"tp-3\" title: ours \"Pay by phone\", theirs \"Pay at the till\"; kept theirs\n",
            out.display()
        )
    );
    let merged = stagecraft::io::load_path(&out).expect("loads").document;
    assert_eq!(card_of(&merged, "tp-3").title, "Pay at the till");

    // Bad input: exit 2 with the loader's FILE:LINE:COL, OUT untouched.
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"format\": \"stagecraft\",\n \"version\": 1, \"title\": [}",
    )
    .expect("write");
    let before = std::fs::read(&out).expect("read");
    let (code, _, err) = run(&[merge_cmd, &b, &broken, &t, Path::new("-o"), &out]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!("{}:2:", broken.display())),
        "{err}"
    );
    assert_eq!(std::fs::read(&out).expect("read"), before);
    let (code, _, _) = run(&[
        merge_cmd,
        &b,
        &o,
        &t,
        Path::new("-o"),
        &out,
        Path::new("--prefer"),
        Path::new("mine"),
    ]);
    assert_eq!(code, 2, "an unknown --prefer is a usage error");
}

// ---- git ---------------------------------------------------------------------------------------

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Process::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("run git");
    assert!(
        out.status.success() || args[0] == "merge",
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn git_merges_a_canvas_by_id_through_the_driver() {
    if Process::new("git").arg("--version").output().is_err() {
        eprintln!("note: git is not installed; the merge driver test is skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["config", "user.name", "Test"]);
    git(repo, &["config", "user.email", "test@example.com"]);
    let driver = format!(
        "\"{}\" merge %O %A %B -o %A --name %P",
        env!("CARGO_BIN_EXE_stagecraft")
    );
    git(
        repo,
        &["config", "merge.stagecraft.name", "Stagecraft canvas merge"],
    );
    git(repo, &["config", "merge.stagecraft.driver", &driver]);
    std::fs::write(repo.join(".gitattributes"), "*.json merge=stagecraft\n").expect("write");
    let base = cafe();
    write(repo, "journey.json", &base);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);

    git(repo, &["checkout", "-q", "-b", "ana"]);
    let mut ana = base.clone();
    ana.touchpoints[1].title = "Order at the counter".into();
    ana.touchpoints
        .push(card("tp-ana", "Loyalty stamp", "choose", "store"));
    write(repo, "journey.json", &ana);
    git(repo, &["commit", "-q", "-am", "ana"]);

    git(repo, &["checkout", "-q", "main"]);
    let mut ben = base.clone();
    ben.touchpoints[1].emotion = 2;
    ben.touchpoints
        .push(card("tp-ben", "Tip jar", "choose", "store"));
    write(repo, "journey.json", &ben);
    git(repo, &["commit", "-q", "-am", "ben"]);

    // Line-based, git would conflict: both added a card at the end of the same list.
    let out = git(repo, &["merge", "-q", "--no-edit", "ana"]);
    assert!(
        out.status.success(),
        "git merge: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = stagecraft::io::load_path(&repo.join("journey.json"))
        .expect("the merged canvas loads")
        .document;
    let c = card_of(&merged, "tp-2");
    assert_eq!((c.title.as_str(), c.emotion), ("Order at the counter", 2));
    assert_eq!(
        ids(&merged.touchpoints, |c| c.id.as_str()),
        ["tp-1", "tp-2", "tp-3", "tp-4", "tp-ben", "tp-ana"]
    );
    let status = git(repo, &["status", "--porcelain"]);
    assert!(status.stdout.is_empty(), "clean after the merge");

    // Both retitle one card differently: git reports the conflict (the driver exited 1)
    // with the driver's line naming the canvas, and the file holds a valid canvas
    // resolved to ours, ready to review and `git add`.
    git(repo, &["checkout", "-q", "-b", "cleo"]);
    let mut cleo = merged.clone();
    cleo.touchpoints[2].title = "Pay at the till".into();
    write(repo, "journey.json", &cleo);
    git(repo, &["commit", "-q", "-am", "cleo"]);
    git(repo, &["checkout", "-q", "main"]);
    let mut dan = merged.clone();
    dan.touchpoints[2].title = "Pay by phone".into();
    write(repo, "journey.json", &dan);
    git(repo, &["commit", "-q", "-am", "dan"]);
    let out = git(repo, &["merge", "-q", "--no-edit", "cleo"]);
    assert!(!out.status.success(), "a conflict stops the merge");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "journey.json: conflict: card \"tp-3\" title: ours \"Pay by phone\", theirs \"Pay at the till\"; kept ours"
        ),
        "{stderr}"
    );
    let resolved = stagecraft::io::load_path(&repo.join("journey.json"))
        .expect("the conflicted canvas still loads")
        .document;
    assert_eq!(card_of(&resolved, "tp-3").title, "Pay by phone");
}

#[test]
fn merge_command_reads_an_empty_base_as_no_common_ancestor() {
    // git passes an empty ancestor when both branches created the canvas.
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "").expect("write");
    let mut theirs = cafe();
    theirs
        .touchpoints
        .push(card("tp-9", "Receipt", "choose", "web"));
    let o = write(dir.path(), "ours.json", &cafe());
    let t = write(dir.path(), "theirs.json", &theirs);
    let out = dir.path().join("out.json");
    let (code, _, err) = run(&[Path::new("merge"), &empty, &o, &t, Path::new("-o"), &out]);
    assert_eq!(
        (code, err.as_str()),
        (0, ""),
        "what both added alike is no conflict"
    );
    let merged = stagecraft::io::load_path(&out).expect("loads").document;
    assert_eq!(merged, theirs);
}
