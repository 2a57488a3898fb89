//! Unit tests of the merge and the diff on small canvases; the designer-level scenarios,
//! the command line, git and the property tests are in `tests/merge.rs`.

use super::*;
use crate::model::{Cue, Polarity, StageId, ThemeId, Touchpoint, TouchpointId, validate};

fn base() -> Document {
    let mut doc = Document::new_canvas();
    doc.touchpoints = vec![
        Touchpoint::new(
            TouchpointId::from("a"),
            "Search",
            StageId::from("discover"),
            "web".into(),
        ),
        Touchpoint::new(
            TouchpointId::from("b"),
            "Order",
            StageId::from("choose"),
            "store".into(),
        ),
    ];
    doc
}

#[test]
fn resolutions_override_the_preference_one_conflict_at_a_time() {
    let (b, mut ours, mut theirs) = (base(), base(), base());
    ours.touchpoints[0].title = "Search online".into();
    theirs.touchpoints[0].title = "Search in the app".into();
    ours.touchpoints[1].emotion = 1;
    theirs.touchpoints[1].emotion = -1;
    let first = merge(&b, &ours, &theirs, Side::Ours);
    assert_eq!(first.conflicts.len(), 2);
    assert_eq!(first.doc.touchpoints[0].title, "Search online");
    let mut choices = Resolutions::default();
    choices.choose(first.conflicts[0].key.clone(), Side::Theirs);
    let again = merge_with(&b, &ours, &theirs, Side::Ours, &choices);
    assert_eq!(again.doc.touchpoints[0].title, "Search in the app");
    assert_eq!(again.doc.touchpoints[1].emotion, 1, "the other stays ours");
    assert_eq!(again.conflicts[0].resolved_to, Side::Theirs);
    assert_eq!(again.conflicts[1].resolved_to, Side::Ours);
    assert_eq!(
        again.conflicts[0].to_string(),
        "card \"a\" title: ours \"Search online\", theirs \"Search in the app\"; kept theirs"
    );
}

#[test]
fn card_lists_merge_as_sets() {
    let mut b = base();
    b.themes = vec![
        crate::model::Theme {
            id: ThemeId::from("warm"),
            name: "Warm".into(),
            color: crate::model::Color::rgb(1, 2, 3),
            intent: Default::default(),
            tone: vec![],
            extra: Default::default(),
        };
        1
    ];
    b.themes.push(b.themes[0].clone());
    b.themes[1].id = ThemeId::from("fast");
    let cue = |t: &str| Cue {
        text: t.into(),
        polarity: Polarity::Positive,
    };
    b.touchpoints[0].cues = vec![cue("smell of coffee"), cue("music")];
    b.touchpoints[0].themes = vec![ThemeId::from("warm")];
    let (mut ours, mut theirs) = (b.clone(), b.clone());
    ours.touchpoints[0].cues = vec![cue("music"), cue("greeting")];
    ours.touchpoints[0].themes.push(ThemeId::from("fast"));
    theirs.touchpoints[0].cues.push(cue("queue"));
    theirs.touchpoints[0].themes.clear();
    theirs.touchpoints[0]
        .senses
        .insert(crate::model::Sense::Smell);
    let out = merge(&b, &ours, &theirs, Side::Ours);
    assert!(out.is_clean(), "{:?}", out.conflicts);
    let card = &out.doc.touchpoints[0];
    assert_eq!(card.cues, vec![cue("music"), cue("greeting"), cue("queue")]);
    assert_eq!(card.themes, vec![ThemeId::from("fast")]);
    assert_eq!(card.senses.len(), 1);
    assert!(validate(&out.doc).is_empty());
}

#[test]
fn both_adding_the_same_card_differently_conflicts_field_by_field() {
    let b = base();
    let (mut ours, mut theirs) = (b.clone(), b.clone());
    let mut c = Touchpoint::new(
        TouchpointId::from("new"),
        "Pay",
        StageId::from("choose"),
        "store".into(),
    );
    ours.touchpoints.push(c.clone());
    c.title = "Pay at the till".into();
    theirs.touchpoints.push(c);
    let out = merge(&b, &ours, &theirs, Side::Theirs);
    assert_eq!(out.conflicts.len(), 1);
    assert_eq!(out.conflicts[0].key.field, "title");
    assert_eq!(out.doc.touchpoints.len(), 3);
    assert_eq!(out.doc.touchpoints[2].title, "Pay at the till");
}

#[test]
fn a_stage_deleted_on_one_side_stays_when_the_other_puts_a_card_in_it() {
    let b = base();
    let (mut ours, mut theirs) = (b.clone(), b.clone());
    // Theirs deletes "share" (it held no card); ours adds a card there.
    theirs.stages.retain(|s| s.id.as_str() != "share");
    ours.touchpoints.push(Touchpoint::new(
        TouchpointId::from("review"),
        "Write a review",
        StageId::from("share"),
        "web".into(),
    ));
    let out = merge(&b, &ours, &theirs, Side::Ours);
    assert!(out.is_clean());
    assert_eq!(out.doc.stages.len(), 4);
    assert_eq!(out.doc.stages[3].id.as_str(), "share");
    assert_eq!(
        out.notes,
        vec!["stage \"share\" was deleted by theirs but card \"review\" uses it; it is kept"]
    );
    assert!(validate(&out.doc).is_empty());
}

#[test]
fn lists_past_their_limit_are_cut_with_a_note() {
    let b = base();
    let (mut ours, mut theirs) = (b.clone(), b.clone());
    let cue = |i: usize| Cue {
        text: format!("cue {i}"),
        polarity: Polarity::Negative,
    };
    let max = crate::model::MAX_LIST_ITEMS;
    ours.touchpoints[0].cues = (0..max).map(cue).collect();
    theirs.touchpoints[0].cues = (max..max + 5).map(cue).collect();
    let out = merge(&b, &ours, &theirs, Side::Ours);
    assert_eq!(out.doc.touchpoints[0].cues.len(), max);
    assert_eq!(out.notes.len(), 1, "{:?}", out.notes);
    assert!(out.notes[0].contains("cues on card \"a\""));
    assert!(validate(&out.doc).is_empty());
}

#[test]
fn diff_names_each_changed_field_and_the_moves() {
    let a = base();
    let mut b = base();
    b.touchpoints[0].title = "Search reviews".into();
    b.touchpoints[1].stage = StageId::from("experience");
    b.stages.swap(0, 1);
    let d = diff(&a, &b);
    assert_eq!(d.cards.len(), 2);
    assert_eq!(d.cards[0].change, Change::Changed);
    assert_eq!(d.cards[0].fields[0].field, "title");
    assert_eq!(d.cards[1].change, Change::Moved);
    assert_eq!(d.cards[1].fields[0].field, PLACE);
    assert_eq!(d.stages.len(), 1);
    assert_eq!(d.stages[0].change, Change::Moved);
    assert!(d.card("b").is_some());
    assert!(diff(&a, &a).is_empty());
}
