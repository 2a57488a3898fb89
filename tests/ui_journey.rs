//! The journey map's own language (issue #17), driven as a user would, headless
//! (`egui_kittest`): evidence on cards and the inspector's share of assumed steps; the
//! emotion curve's points, clicked to select a card and dragged to change its emotion.

use egui::{Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::StagecraftApp;
use stagecraft::model::{Document, Evidence, LaneId, StageId, Touchpoint, TouchpointId};
use stagecraft::scene::Point;
use stagecraft::scene::curve::{curve_points, emotion_y};
use stagecraft::ui::action::Selection;

fn card(id: &str, title: &str, stage: &str, lane: &str, evidence: Evidence) -> Touchpoint {
    let mut tp = Touchpoint::new(
        TouchpointId::from(id),
        title,
        StageId::from(stage),
        LaneId::from(lane),
    );
    tp.evidence = evidence;
    tp
}

/// The default canvas with four cards, two of them assumed.
fn four_cards() -> Document {
    let mut doc = Document::new_canvas();
    doc.touchpoints.extend([
        card("a", "Reads reviews", "discover", "web", Evidence::Reported),
        card(
            "b",
            "Queue at the counter",
            "choose",
            "store",
            Evidence::Assumed,
        ),
        card(
            "c",
            "Pays by card",
            "experience",
            "store",
            Evidence::Observed,
        ),
        card("d", "Posts a photo", "share", "web", Evidence::Assumed),
    ]);
    doc
}

fn harness(doc: Document) -> Harness<'static, StagecraftApp> {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1600.0, 1000.0))
        .with_step_dt(0.25)
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_with(doc),
        );
    h.run();
    h
}

fn evidence_of(h: &Harness<StagecraftApp>, id: &str) -> Evidence {
    h.state()
        .doc()
        .touchpoint(&TouchpointId::from(id))
        .expect("card")
        .evidence
}

#[test]
fn switching_a_cards_evidence_changes_the_inspectors_share_of_assumed_steps() {
    let mut h = harness(four_cards());
    // Nothing selected: the inspector shows the journey, its share and the assumed steps.
    h.get_by_label("50% of steps assumed (2 of 4)");
    h.get_by_label("Queue at the counter");
    h.get_by_label("Posts a photo");

    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("b")]);
    h.run();
    h.get_by_label("On this canvas: 50% of steps assumed (2 of 4)");
    h.get_by_label("Observed").click();
    h.run();
    h.run();
    assert_eq!(evidence_of(&h, "b"), Evidence::Observed);
    h.get_by_label("On this canvas: 25% of steps assumed (1 of 4)");
    assert_eq!(h.state().editor().undo_label(), Some("edit card"));

    h.state_mut().selection = Selection::None;
    h.run();
    h.get_by_label("25% of steps assumed (1 of 4)");
    assert!(
        h.query_by_label("Queue at the counter").is_none(),
        "an observed step is no longer listed as assumed"
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(evidence_of(&h, "b"), Evidence::Assumed);
    h.get_by_label("50% of steps assumed (2 of 4)");
}

#[test]
fn clicking_an_assumed_step_in_the_inspector_selects_its_card() {
    let mut h = harness(four_cards());
    h.get_by_label("Posts a photo").click();
    h.run();
    assert_eq!(
        h.state().selection,
        Selection::Cards(vec![TouchpointId::from("d")])
    );
}

/// Where the emotion curve draws the card `id`'s point, on screen.
fn curve_point(h: &Harness<StagecraftApp>, id: &str) -> Pos2 {
    let app = h.state();
    let layout = app.canvas.layout();
    let point = curve_points(app.doc(), layout)
        .into_iter()
        .find(|c| app.doc().touchpoints[c.card].id.as_str() == id)
        .expect("the card has a point on the curve");
    app.canvas.screen_pos(point.center)
}

/// The screen height of emotion `e` on the curve's scale.
fn emotion_height(h: &Harness<StagecraftApp>, e: i8) -> f32 {
    let app = h.state();
    let band = app
        .canvas
        .layout()
        .curve_band()
        .expect("the curve is shown");
    app.canvas
        .screen_pos(Point::new(band.center().x, emotion_y(band, f32::from(e))))
        .y
}

/// Press at `from`, move in steps to `to`, release.
fn drag(h: &mut Harness<StagecraftApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for t in [0.2, 0.5, 0.8, 1.0] {
        h.hover_at(from + (to - from) * t);
        h.run();
    }
    h.drop_at(to);
    h.run();
}

fn emotion_of(h: &Harness<StagecraftApp>, id: &str) -> i8 {
    h.state()
        .doc()
        .touchpoint(&TouchpointId::from(id))
        .expect("card")
        .emotion
}

#[test]
fn dragging_a_curve_point_down_changes_the_cards_emotion_in_one_undo_step() {
    let mut h = harness(four_cards());
    assert_eq!(emotion_of(&h, "b"), 0);
    let from = curve_point(&h, "b");
    let to = Pos2::new(from.x + 3.0, emotion_height(&h, -2) + 2.0);
    drag(&mut h, from, to);
    assert_eq!(emotion_of(&h, "b"), -2);
    assert_eq!(h.state().editor().undo_label(), Some("change emotion"));
    assert_eq!(
        h.state().selection,
        Selection::Cards(vec![TouchpointId::from("b")]),
        "the dragged point's card is selected"
    );
    // The point now sits at its new emotion.
    let moved = curve_point(&h, "b");
    assert!((moved.y - emotion_height(&h, -2)).abs() < 1.0);
    // Only that card changed, and one undo brings it back.
    assert_eq!(emotion_of(&h, "a"), 0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(emotion_of(&h, "b"), 0);
    assert!(!h.state().editor().can_undo(), "the drag was one step");

    // Up, past the top of the scale: clamped at +2.
    let from = curve_point(&h, "d");
    let top = emotion_height(&h, 2);
    drag(&mut h, from, Pos2::new(from.x, top - 60.0));
    assert_eq!(emotion_of(&h, "d"), 2);
}

#[test]
fn clicking_a_curve_point_selects_its_card_and_the_curve_can_be_hidden() {
    let mut h = harness(four_cards());
    let at = curve_point(&h, "c");
    h.hover_at(at);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
    assert_eq!(
        h.state().selection,
        Selection::Cards(vec![TouchpointId::from("c")])
    );
    assert!(!h.state().editor().can_undo(), "a click changes nothing");

    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Emotion curve").click();
    h.run();
    assert!(!h.state().show_emotion_curve);
    assert!(h.state().canvas.layout().curve_band().is_none());
}
