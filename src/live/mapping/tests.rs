//! The mapping's tests: round trips, concurrent edits, refused and repaired elements.

use super::*;
use crate::model::{Document, StageId, TouchpointId, validate};
use std::sync::{Arc, Mutex};
use yrs::Transact;
use yrs::updates::decoder::Decode;
use yrs::{Any, MapPrelim, Out};

fn sample() -> Document {
    crate::io::load_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/coffee-shop.json"
    )))
    .expect("sample")
    .document
}

fn roundtrip(doc: &Document) -> Document {
    let ydoc = Doc::new();
    let roots = Roots::new(&ydoc);
    write_document(&mut ydoc.transact_mut(), &roots, &Document::default(), doc);
    let (back, found) = read(&ydoc.transact(), &roots, &Document::default());
    assert_eq!(found.refused, Vec::<String>::new());
    back
}

#[test]
fn a_canvas_goes_in_and_comes_back_the_same() {
    let doc = sample();
    assert_eq!(roundtrip(&doc), doc);
    let big = crate::synth::canvas(&crate::synth::SynthSpec::new(300, 7));
    assert_eq!(roundtrip(&big), big);
}

#[test]
fn reading_only_what_changed_gives_the_canvas_a_whole_read_gives() {
    let doc = crate::synth::canvas(&crate::synth::SynthSpec::new(200, 3));
    let ydoc = Doc::new();
    let roots = Roots::new(&ydoc);
    let changed: Arc<Mutex<Changed>> = Arc::default();
    roots.watch(&changed);
    write_document(&mut ydoc.transact_mut(), &roots, &Document::default(), &doc);
    let (mut view, _) = read(&ydoc.transact(), &roots, &Document::default());
    std::mem::take(&mut *changed.lock().unwrap());
    let steps: [fn(&mut Document); 6] = [
        |d| d.touchpoints[3].title = "Retitled".into(),
        |d| {
            d.touchpoints.remove(10);
            d.flows
                .retain(|f| f.from.as_str() != "tp-10" && f.to.as_str() != "tp-10");
        },
        |d| {
            let mut t = d.touchpoints[0].clone();
            t.id = TouchpointId::from("new-card");
            d.touchpoints.push(t);
        },
        |d| d.stages.swap(0, 1),
        |d| d.title = "New title".into(),
        |d| d.touchpoints[5].emotion = 0,
    ];
    for step in steps {
        let before = view.clone();
        let mut after = view.clone();
        step(&mut after);
        write(
            &mut ydoc.transact_mut(),
            &roots,
            &LocalChange::between(&before, &after),
        );
        let c = std::mem::take(&mut *changed.lock().unwrap());
        let (patched, _) = read_changed(&ydoc.transact(), &roots, &view, &c);
        let (whole, _) = read(&ydoc.transact(), &roots, &view);
        assert_eq!(patched, whole);
        assert_eq!(whole, after, "the CRDT holds the edit");
        view = patched;
    }
}

#[test]
fn orders_keep_the_longest_run_and_number_the_rest_between() {
    let current = [Some(1.0), None, Some(2.0), Some(0.5), Some(3.0)];
    let got = assign_orders(&current);
    assert_eq!(got, vec![None, Some(1.5), None, Some(2.5), None]);
    assert_eq!(assign_orders(&[None, None]), vec![Some(1.0), Some(2.0)]);
    // No room left between neighbours: everything is renumbered.
    let tight = assign_orders(&[Some(1.0), None, Some(1.0 + f64::EPSILON)]);
    assert_eq!(tight, vec![Some(0.0), Some(1.0), Some(2.0)]);
}

#[test]
fn two_field_edits_of_one_card_both_stay() {
    let doc = sample();
    let a = Doc::with_client_id(1);
    let b = Doc::with_client_id(2);
    let (ra, rb) = (Roots::new(&a), Roots::new(&b));
    write_document(&mut a.transact_mut(), &ra, &Document::default(), &doc);
    let state = a.transact().encode_state_as_update_v1(&Default::default());
    b.transact_mut()
        .apply_update(yrs::Update::decode_v1(&state).unwrap())
        .unwrap();
    let mut title = doc.clone();
    title.touchpoints[0].title = "New title".into();
    let mut emotion = doc.clone();
    emotion.touchpoints[0].emotion = -2;
    let sv_a = a.transact().state_vector();
    let sv_b = b.transact().state_vector();
    write(
        &mut a.transact_mut(),
        &ra,
        &LocalChange::between(&doc, &title),
    );
    write(
        &mut b.transact_mut(),
        &rb,
        &LocalChange::between(&doc, &emotion),
    );
    let ua = a.transact().encode_state_as_update_v1(&sv_b);
    let ub = b.transact().encode_state_as_update_v1(&sv_a);
    a.transact_mut()
        .apply_update(yrs::Update::decode_v1(&ub).unwrap())
        .unwrap();
    b.transact_mut()
        .apply_update(yrs::Update::decode_v1(&ua).unwrap())
        .unwrap();
    let (da, _) = read(&a.transact(), &ra, &doc);
    let (db, _) = read(&b.transact(), &rb, &doc);
    assert_eq!(da, db);
    assert_eq!(da.touchpoints[0].title, "New title");
    assert_eq!(da.touchpoints[0].emotion, -2);
}

#[test]
fn ill_formed_or_oversized_elements_are_refused_and_the_canvas_stays_valid() {
    let doc = sample();
    let ydoc = Doc::new();
    let roots = Roots::new(&ydoc);
    write_document(&mut ydoc.transact_mut(), &roots, &Document::default(), &doc);
    let id = doc.touchpoints[0].id.as_str().to_owned();
    let other = doc.touchpoints[1].id.as_str().to_owned();
    {
        let mut txn = ydoc.transact_mut();
        let Some(Out::YMap(card)) = roots.list(List::Touchpoints).get(&txn, &id) else {
            panic!("card")
        };
        card.insert(&mut txn, "title", "x".repeat(5000));
        let Some(Out::YMap(card)) = roots.list(List::Touchpoints).get(&txn, &other) else {
            panic!("card")
        };
        card.insert(&mut txn, "emotion", 40);
        roots.list(List::Touchpoints).insert(
            &mut txn,
            "ghost",
            MapPrelim::from_iter([("title", yrs::In::Any(Any::from("no stage")))]),
        );
    }
    let (read_back, found) = read(&ydoc.transact(), &roots, &doc);
    assert!(validate(&read_back).is_empty());
    assert_eq!(
        read_back.touchpoints[0], doc.touchpoints[0],
        "last good version"
    );
    assert_eq!(read_back.touchpoints[1], doc.touchpoints[1]);
    assert!(read_back.touchpoint(&TouchpointId::from("ghost")).is_none());
    assert_eq!(found.refused.len(), 3, "{:#?}", found.refused);
    // The repairs put the last good values back: a reader that never saw them (a
    // `pull`) then reads the same canvas.
    assert_eq!(found.repairs.elements.len(), 2);
    write(&mut ydoc.transact_mut(), &roots, &found.repairs);
    let (fresh, found) = read(&ydoc.transact(), &roots, &Document::default());
    assert_eq!(fresh, read_back);
    assert_eq!(found.refused.len(), 1, "only the ghost, which no one knew");
}

#[test]
fn a_card_in_a_deleted_stage_is_left_out_and_its_flows_with_it() {
    let doc = sample();
    let stage = doc.touchpoints[0].stage.clone();
    let mut deleted = doc.clone();
    deleted.stages.retain(|s| s.id != stage);
    let ydoc = Doc::new();
    let roots = Roots::new(&ydoc);
    write_document(
        &mut ydoc.transact_mut(),
        &roots,
        &Document::default(),
        &deleted,
    );
    let (back, found) = read(&ydoc.transact(), &roots, &doc);
    assert!(validate(&back).is_empty());
    assert!(back.touchpoints.iter().all(|t| t.stage != stage));
    assert!(!found.refused.is_empty());
    let _ = StageId::from("x");
}
