//! The journey map's own language (issue #17), driven as a user would, headless
//! (`egui_kittest`): evidence on cards and the inspector's share of assumed steps.

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::StagecraftApp;
use stagecraft::model::{Document, Evidence, LaneId, StageId, Touchpoint, TouchpointId};
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
