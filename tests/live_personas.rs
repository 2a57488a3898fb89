//! Personas in live co-editing: the list of personas travels as one register of the
//! canvas's `meta` map, a card's `personas` and `emotions` as two of its field registers.
//! A colleague's persona edit and another's card edit both stay; a persona removed by one
//! while another gave a card an emotion for it leaves the card, without that emotion.

use stagecraft::live::mapping::{LocalChange, Roots, read, write, write_document};
use stagecraft::model::{Document, PersonaId, validate};
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, Transact};

fn two_personas() -> Document {
    let mut doc = stagecraft::io::load_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/coffee-shop.json"
    )))
    .expect("sample")
    .document;
    // The sample's two personas: Camille, a regular, and Tomasz ("tomasz"), a first-timer.
    assert_eq!(doc.personas[1].id.as_str(), "tomasz");
    doc.touchpoints[0].personas = Some(vec![PersonaId::from("tomasz")]);
    doc.touchpoints[1]
        .emotions
        .insert(PersonaId::from("tomasz"), -1);
    assert!(validate(&doc).is_empty());
    doc
}

/// Two replicas of `doc`, each edited, then synced both ways; what each reads.
fn sync(doc: &Document, edit_a: &Document, edit_b: &Document) -> (Document, Document) {
    let (a, b) = (Doc::with_client_id(1), Doc::with_client_id(2));
    let (ra, rb) = (Roots::new(&a), Roots::new(&b));
    write_document(&mut a.transact_mut(), &ra, &Document::default(), doc);
    let state = a.transact().encode_state_as_update_v1(&Default::default());
    b.transact_mut()
        .apply_update(yrs::Update::decode_v1(&state).expect("update"))
        .expect("applies");
    let (sv_a, sv_b) = (a.transact().state_vector(), b.transact().state_vector());
    write(
        &mut a.transact_mut(),
        &ra,
        &LocalChange::between(doc, edit_a),
    );
    write(
        &mut b.transact_mut(),
        &rb,
        &LocalChange::between(doc, edit_b),
    );
    let ua = a.transact().encode_state_as_update_v1(&sv_b);
    let ub = b.transact().encode_state_as_update_v1(&sv_a);
    a.transact_mut()
        .apply_update(yrs::Update::decode_v1(&ub).expect("update"))
        .expect("applies");
    b.transact_mut()
        .apply_update(yrs::Update::decode_v1(&ua).expect("update"))
        .expect("applies");
    let (da, _) = read(&a.transact(), &ra, doc);
    let (db, _) = read(&b.transact(), &rb, doc);
    (da, db)
}

#[test]
fn personas_and_card_persona_fields_go_in_and_come_back_the_same() {
    let doc = two_personas();
    let ydoc = Doc::new();
    let roots = Roots::new(&ydoc);
    write_document(&mut ydoc.transact_mut(), &roots, &Document::default(), &doc);
    let (back, found) = read(&ydoc.transact(), &roots, &Document::default());
    assert_eq!(found.refused, Vec::<String>::new());
    assert_eq!(back, doc);
}

#[test]
fn a_persona_renamed_and_a_card_emotion_set_at_once_both_stay() {
    let doc = two_personas();
    let mut renamed = doc.clone();
    renamed.personas[1].name = "Tomasz, first visit".into();
    let mut emotion = doc.clone();
    emotion.touchpoints[2]
        .emotions
        .insert(PersonaId::from("tomasz"), 2);
    let (da, db) = sync(&doc, &renamed, &emotion);
    assert_eq!(da, db, "both replicas converge");
    assert_eq!(da.personas[1].name, "Tomasz, first visit");
    assert_eq!(da.touchpoints[2].emotion_for(&PersonaId::from("tomasz")), 2);
}

#[test]
fn a_persona_removed_while_a_card_got_an_emotion_for_it_leaves_the_card() {
    let doc = two_personas();
    let mut removed = doc.clone();
    removed.personas.truncate(1);
    let tomasz = PersonaId::from("tomasz");
    for card in &mut removed.touchpoints {
        card.emotions.remove(&tomasz);
        if let Some(list) = &mut card.personas {
            list.retain(|p| p != &tomasz);
        }
    }
    let mut emotion = doc.clone();
    emotion.touchpoints[2]
        .emotions
        .insert(PersonaId::from("tomasz"), 2);
    let (da, db) = sync(&doc, &removed, &emotion);
    assert_eq!(da, db);
    assert!(validate(&da).is_empty(), "what comes out always opens");
    assert_eq!(da.personas.len(), 1);
    assert_eq!(da.touchpoints.len(), doc.touchpoints.len(), "no card lost");
    assert!(
        da.touchpoints
            .iter()
            .all(|t| !t.emotions.contains_key(&tomasz))
    );
}
