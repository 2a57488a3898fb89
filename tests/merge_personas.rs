//! Personas in the three-way merge: by id, and a card's emotions persona by persona.

use stagecraft::merge::{Side, merge};
use stagecraft::model::{Document, PersonaId, validate};

fn base() -> Document {
    let doc = stagecraft::io::load_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/coffee-shop.json"
    )))
    .expect("sample")
    .document;
    // The sample's two personas: Camille, a regular, and Tomasz ("tomasz"), a first-timer.
    assert_eq!(doc.personas[1].id.as_str(), "tomasz");
    doc
}

#[test]
fn emotions_for_different_personas_on_one_card_both_merge() {
    let base = base();
    let (first, second) = (base.personas[0].id.clone(), PersonaId::from("tomasz"));
    let mut ours = base.clone();
    ours.touchpoints[0].emotions.insert(first.clone(), -2);
    let mut theirs = base.clone();
    theirs.touchpoints[0].emotions.insert(second.clone(), 2);
    theirs.personas[1].goal = "A first coffee in a new town".into();
    let out = merge(&base, &ours, &theirs, Side::Ours);
    assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
    let card = &out.doc.touchpoints[0];
    assert_eq!(
        (card.emotion_for(&first), card.emotion_for(&second)),
        (-2, 2)
    );
    assert_eq!(out.doc.personas[1].goal, "A first coffee in a new town");
    assert!(validate(&out.doc).is_empty());
}

#[test]
fn a_persona_removed_by_one_side_but_used_by_the_other_is_kept_with_a_note() {
    let base = base();
    let second = PersonaId::from("tomasz");
    let mut ours = base.clone();
    ours.personas.truncate(1);
    for card in &mut ours.touchpoints {
        card.emotions.remove(&second);
        if let Some(list) = &mut card.personas {
            list.retain(|p| p != &second);
        }
    }
    assert!(validate(&ours).is_empty());
    let mut theirs = base.clone();
    theirs.touchpoints[3].personas = Some(vec![second.clone()]);
    let out = merge(&base, &ours, &theirs, Side::Ours);
    assert!(out.doc.persona(&second).is_some());
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("persona") && n.contains("kept")),
        "{:?}",
        out.notes
    );
    assert!(validate(&out.doc).is_empty());
    // The same emotion override on both sides, differently: one conflict, named by persona.
    let mut ours = base.clone();
    ours.touchpoints[1].emotions.insert(second.clone(), 1);
    let mut theirs = base.clone();
    theirs.touchpoints[1].emotions.insert(second, -1);
    let out = merge(&base, &ours, &theirs, Side::Theirs);
    assert_eq!(out.conflicts.len(), 1);
    assert_eq!(out.conflicts[0].key.field, "emotions.tomasz");
    assert_eq!(
        out.doc.touchpoints[1].emotion_for(&PersonaId::from("tomasz")),
        -1
    );
}
