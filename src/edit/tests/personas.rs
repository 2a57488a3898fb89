//! Persona commands: add, edit, remove (taking the persona off every card), and emotions
//! per persona, each one undo step.

use super::{fixture, roundtrip, tp};
use crate::edit::{Command, Editor};
use crate::model::{Document, PERSONA_COLORS, Persona, PersonaId};

fn pid(id: &str) -> PersonaId {
    PersonaId::from(id)
}

fn with_two_personas() -> Document {
    let mut doc = fixture();
    doc.personas = vec![
        Persona::new(pid("sam"), "Sam", PERSONA_COLORS[0]),
        Persona::new(pid("kim"), "Kim", PERSONA_COLORS[1]),
    ];
    doc
}

#[test]
fn adding_a_persona_is_one_undoable_step_and_ids_stay_unique() {
    let sam = Persona::new(pid("sam"), "Sam", PERSONA_COLORS[0]);
    roundtrip(Command::AddPersona(sam.clone()), |d| {
        assert_eq!(d.personas, vec![sam.clone()]);
    });
    let mut ed = Editor::new(with_two_personas());
    let again = ed
        .apply(Command::AddPersona(sam))
        .expect_err("same id twice");
    assert!(again.0.contains("already"), "{again}");
    let mut bad = Persona::new(pid("x"), "X", PERSONA_COLORS[2]);
    bad.picture = Some("data:image/gif;base64,R0lG".into());
    assert!(
        ed.apply(Command::AddPersona(bad)).is_err(),
        "not a PNG or JPEG"
    );
    assert_eq!(
        ed.doc(),
        &with_two_personas(),
        "refused commands change nothing"
    );
}

#[test]
fn removing_a_persona_takes_it_off_every_card_and_undo_puts_it_back() {
    let mut doc = with_two_personas();
    doc.touchpoints[1].personas = Some(vec![pid("kim")]);
    doc.touchpoints[1].emotions.insert(pid("kim"), -2);
    doc.touchpoints[2].emotions.insert(pid("kim"), 2);
    let before = doc.clone();
    let mut ed = Editor::new(doc);
    assert!(
        ed.apply(Command::RemovePersona(pid("kim")))
            .expect("removed")
    );
    let d = ed.doc();
    assert_eq!(d.personas.len(), 1);
    assert_eq!(
        d.touchpoints[1].personas,
        Some(vec![]),
        "it concerned only Kim"
    );
    assert!(d.touchpoints.iter().all(|t| t.emotions.is_empty()));
    assert!(crate::model::validate(d).is_empty());
    assert!(ed.undo());
    assert_eq!(ed.doc(), &before, "one step");
}

#[test]
fn a_persona_emotion_is_an_override_that_goes_when_it_matches_the_card() {
    let mut ed = Editor::new(with_two_personas());
    let base = ed.doc().touchpoints[1].emotion;
    let other = if base == 2 { 1 } else { 2 };
    let set = |persona: &str, emotion| Command::SetEmotion {
        card: tp("b"),
        persona: Some(pid(persona)),
        emotion,
    };
    assert!(ed.apply(set("sam", other)).expect("set"));
    let card = &ed.doc().touchpoints[1];
    assert_eq!(card.emotion, base, "the card's own emotion stays");
    assert_eq!(
        (card.emotion_for(&pid("sam")), card.emotion_for(&pid("kim"))),
        (other, base)
    );
    assert!(ed.apply(set("sam", base)).expect("back"));
    assert!(
        ed.doc().touchpoints[1].emotions.is_empty(),
        "no override left"
    );
    assert!(ed.apply(set("nobody", 1)).is_err(), "no such persona");
    assert!(ed.undo() && ed.undo());
    assert_eq!(ed.doc(), &with_two_personas());
}
