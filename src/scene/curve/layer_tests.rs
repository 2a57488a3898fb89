//! The curve's layer kept through edits against one built afresh.

use super::*;
use crate::model::{Persona, PersonaId};
use crate::synth::{SynthSpec, canvas};

/// Draws the stages left to draw, each within the bounds it had while it waited.
fn draw_stale(layer: &mut CurveLayer, doc: &Document, layout: &Layout) {
    let waiting: Vec<Rect> = layer.stages.iter().map(|p| p.bounds).collect();
    let stale = layer.has_stale();
    let drawn = layer.draw_all_stale(doc, layout);
    assert_eq!(stale, !drawn.is_empty());
    for s in drawn {
        let now = layer.stages[s].bounds;
        assert!(
            waiting[s].contains_rect(now),
            "stage {s}: {now:?} outside {:?}",
            waiting[s]
        );
    }
    assert!(!layer.has_stale());
}

fn flat(layer: &CurveLayer) -> (Vec<Item>, Vec<Group>) {
    let (mut items, mut groups) = (Vec::new(), Vec::new());
    layer.flatten_into(&mut items, &mut groups);
    (items, groups)
}

/// Emotions of 0 and +1 only and a few guest cards, so that runs of equal emotions
/// cross stages, and two
/// personas, one with cards of its own: the cases where a stage reads its neighbours.
fn journey() -> Document {
    let mut doc = canvas(&SynthSpec::new(240, 5));
    let second = PersonaId::from("persona-2");
    doc.personas.push(Persona::new(
        second.clone(),
        "Ola",
        crate::model::PERSONA_COLORS[1],
    ));
    for (i, tp) in doc.touchpoints.iter_mut().enumerate() {
        tp.emotion = i8::from(i % 7 == 0);
        // A few guest cards per stage: whole stages at one emotion, or with one point.
        if i % 15 != 0 {
            tp.actor = Actor::Employee;
        }
        if i % 2 == 0 {
            tp.personas = Some(vec![second.clone()]);
        }
    }
    doc
}

#[test]
fn a_layer_kept_through_edits_equals_one_built_afresh() {
    let palette = Palette::light();
    let mut doc = journey();
    let mut layout = Layout::compute_with(&doc, true);
    let mut layer = CurveLayer::build(&doc, &layout, &palette);
    let (mut seed, mut kept, mut partial) = (7_u64, 0, 0);
    let mut next = |m: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        usize::try_from(seed >> 33).unwrap_or(0) % m
    };
    for step in 0..400 {
        let i = next(doc.touchpoints.len());
        let fields = match next(5) {
            0 | 1 => {
                doc.touchpoints[i].emotion = i8::try_from(next(2)).unwrap_or(0);
                Fields::EMOTION
            }
            2 => {
                let stage = doc.stages[next(doc.stages.len())].id.clone();
                doc.touchpoints[i].stage = stage;
                Fields::STAGE
            }
            3 => {
                let e = i8::try_from(next(3)).unwrap_or(0) - 1;
                let who = PersonaId::from("persona-2");
                doc.touchpoints[i].emotions.insert(who, e);
                Fields::EMOTION
            }
            _ => {
                doc.touchpoints[i].title = format!("Step {step} of the guest's day");
                Fields::TITLE
            }
        };
        let change = layout.update(&doc, &[i]);
        let updated = match change {
            Some(change) if !change.grid => layer.update(&doc, &layout, &[i], fields),
            _ => None,
        };
        match updated {
            Some(stages) => {
                kept += 1;
                partial += usize::from(stages.len() < layout.stages().len());
            }
            None => {
                layout = Layout::compute_with(&doc, true);
                layer = CurveLayer::build(&doc, &layout, &palette);
            }
        }
        draw_stale(&mut layer, &doc, &layout);
        let fresh = CurveLayer::build(&doc, &layout, &palette);
        assert_eq!(flat(&layer), flat(&fresh), "after step {step} (card {i})");
        let points = super::super::curve_points(&doc, &layout);
        assert_eq!(layer.all_points(), points);
        if step % 40 == 0 {
            // A click picks the point the whole curve's search picks.
            for c in &points {
                for q in [
                    c.center,
                    c.center.offset(3.0, -2.0),
                    c.center.offset(9.0, 0.0),
                ] {
                    let whole = super::super::point_at(&points, q).map(|i| points[i]);
                    assert_eq!(layer.point_at(q), whole, "at {q:?}");
                }
            }
        }
    }
    // The kept path is the one tested, and it draws again fewer than every stage.
    assert!(
        kept > 300 && partial > 200,
        "{kept} kept, {partial} partial"
    );
}

/// Cards deleted inside the list, and put back where they were, are followed (their
/// points renumbered, their stages drawn again) to the layer built afresh: each time the
/// columns keep their sizes, so nothing else would draw those stages again.
#[test]
fn a_layer_follows_cards_deleted_and_put_back_inside_the_list() {
    let palette = Palette::light();
    let doc = journey();
    let layout = Layout::compute_with(&doc, true);
    let mut followed = 0;
    for k in 1..doc.touchpoints.len() - 1 {
        if doc.touchpoints[k].actor != Actor::Customer {
            continue;
        }
        let mut less = doc.clone();
        less.touchpoints.remove(k);
        let fewer = Layout::compute_with(&less, true);
        let gone: Vec<Option<usize>> = (0..doc.touchpoints.len())
            .map(|i| match i.cmp(&k) {
                std::cmp::Ordering::Less => Some(i),
                std::cmp::Ordering::Equal => None,
                std::cmp::Ordering::Greater => Some(i - 1),
            })
            .collect();
        if fewer.changes_across(&layout, &gone).grid {
            continue;
        }
        let mut layer = CurveLayer::build(&doc, &layout, &palette);
        let none = (&[][..], Fields::default());
        let drawn = layer.follow_splice(&less, &fewer, &gone, &[], none);
        assert!(drawn.is_some_and(|s| !s.is_empty()), "card {k} deleted");
        draw_stale(&mut layer, &less, &fewer);
        assert_eq!(
            flat(&layer),
            flat(&CurveLayer::build(&less, &fewer, &palette))
        );
        // Put back: every card keeps its place, and card `k` is new.
        let back: Vec<Option<usize>> = (0..less.touchpoints.len())
            .map(|i| Some(if i < k { i } else { i + 1 }))
            .collect();
        let drawn = layer.follow_splice(&doc, &layout, &back, &[k], none);
        assert!(drawn.is_some_and(|s| !s.is_empty()), "card {k} put back");
        draw_stale(&mut layer, &doc, &layout);
        assert_eq!(
            flat(&layer),
            flat(&CurveLayer::build(&doc, &layout, &palette))
        );
        followed += 1;
    }
    assert!(followed >= 3, "{followed} cards followed");
}
