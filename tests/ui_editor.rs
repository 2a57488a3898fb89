//! The editor driven as a user would, headless (`egui_kittest`, no GPU): drag palette items,
//! themes, cards and flows on the painted canvas, undo and redo them, edit in the
//! inspector, click findings. Canvas positions come from the app's layout and view.

use egui::{Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::StagecraftApp;
use stagecraft::model::{
    Color, Document, Extra, Intent, LaneId, StageId, Theme, ThemeId, Touchpoint, TouchpointId,
};
use stagecraft::scene::Point;
use stagecraft::ui::action::Selection;

fn theme(id: &str, name: &str) -> Theme {
    Theme {
        id: ThemeId::from(id),
        name: name.into(),
        color: Color::rgb(0xd9, 0x48, 0x3b),
        intent: Intent::default(),
        tone: vec!["warm".into()],
        extra: Extra::new(),
    }
}

fn card(id: &str, title: &str, stage: &str, lane: &str) -> Touchpoint {
    Touchpoint::new(
        TouchpointId::from(id),
        title,
        StageId::from(stage),
        LaneId::from(lane),
    )
}

/// The default canvas with one theme and two cards.
fn two_cards() -> Document {
    let mut doc = Document::new_canvas();
    doc.themes.push(theme("warm", "Warm welcome"));
    doc.touchpoints
        .push(card("a", "Reads reviews", "discover", "web"));
    doc.touchpoints
        .push(card("b", "Queue at the counter", "choose", "store"));
    doc
}

fn harness(doc: Document) -> Harness<'static, StagecraftApp> {
    harness_with_step(doc, 0.25)
}

/// `step_dt` is the simulated time per event (a double-click needs less than 0.3 s).
fn harness_with_step(doc: Document, step_dt: f32) -> Harness<'static, StagecraftApp> {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1600.0, 1000.0))
        .with_step_dt(step_dt)
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_with(doc),
        );
    h.run();
    h
}

/// Screen position of a canvas point.
fn screen(h: &Harness<StagecraftApp>, p: Point) -> Pos2 {
    h.state().canvas.screen_pos(p)
}

fn cell_center(h: &Harness<StagecraftApp>, stage: &str, lane: &str) -> Pos2 {
    let r = h
        .state()
        .canvas
        .layout()
        .cell_rect(&StageId::from(stage), &LaneId::from(lane))
        .expect("cell laid out");
    // Lower right quarter: away from the cards that start in the top-left slot.
    screen(
        h,
        Point::new(r.min.x + r.width() * 0.75, r.min.y + r.height() * 0.8),
    )
}

fn card_center(h: &Harness<StagecraftApp>, id: &str) -> Pos2 {
    let r = h
        .state()
        .canvas
        .layout()
        .card_rect(&TouchpointId::from(id))
        .expect("card laid out");
    screen(h, r.center())
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

fn undo(h: &mut Harness<StagecraftApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
}

fn redo(h: &mut Harness<StagecraftApp>) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
}

fn redo_with_y(h: &mut Harness<StagecraftApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
}

#[test]
fn palette_item_dropped_on_a_cell_creates_a_touchpoint_there() {
    let mut h = harness(Document::new_canvas());
    let from = h.get_by_label("Human").rect().center();
    let to = cell_center(&h, "experience", "store");
    drag(&mut h, from, to);
    let doc = h.state().doc();
    assert_eq!(doc.touchpoints.len(), 1, "one card created");
    let c = &doc.touchpoints[0];
    assert_eq!(c.stage.as_str(), "experience");
    assert_eq!(c.lane.as_str(), "store");
    assert_eq!(c.kind, stagecraft::model::ChannelKind::Human);
    assert_eq!(h.state().selection, Selection::Cards(vec![c.id.clone()]));

    undo(&mut h);
    assert!(h.state().doc().touchpoints.is_empty(), "undo removes it");
    redo(&mut h);
    assert_eq!(h.state().doc().touchpoints.len(), 1, "redo brings it back");
    assert_eq!(h.state().doc().touchpoints[0].stage.as_str(), "experience");
}

#[test]
fn theme_dropped_on_a_card_is_assigned() {
    let mut h = harness(two_cards());
    let from = h.get_by_label("Warm welcome").rect().center();
    let to = card_center(&h, "b");
    drag(&mut h, from, to);
    let themes = |h: &Harness<StagecraftApp>, id: &str| {
        h.state()
            .doc()
            .touchpoint(&TouchpointId::from(id))
            .expect("card")
            .themes
            .clone()
    };
    assert_eq!(themes(&h, "b"), vec![ThemeId::from("warm")]);
    assert!(themes(&h, "a").is_empty(), "only the card under the drop");
    undo(&mut h);
    assert!(themes(&h, "b").is_empty());
    redo_with_y(&mut h);
    assert_eq!(themes(&h, "b"), vec![ThemeId::from("warm")]);
}

#[test]
fn theme_dropped_on_a_stage_header_goes_to_every_card_of_the_stage() {
    let mut doc = two_cards();
    doc.touchpoints
        .push(card("c", "Compares prices", "discover", "store"));
    let mut h = harness(doc);
    let header = h
        .state()
        .canvas
        .layout()
        .stage_header(&StageId::from("discover"))
        .expect("header");
    let to = screen(&h, header.center());
    let from = h.get_by_label("Warm welcome").rect().center();
    drag(&mut h, from, to);
    let doc = h.state().doc();
    let carriers: Vec<_> = doc
        .touchpoints
        .iter()
        .filter(|t| t.themes.contains(&ThemeId::from("warm")))
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(carriers, ["a", "c"]);
    undo(&mut h);
    assert!(
        h.state()
            .doc()
            .touchpoints
            .iter()
            .all(|t| t.themes.is_empty())
    );
}

#[test]
fn dragging_a_card_moves_it_to_the_cell_it_is_dropped_in() {
    let mut h = harness(two_cards());
    let from = card_center(&h, "a");
    let to = cell_center(&h, "share", "people");
    drag(&mut h, from, to);
    let place = |h: &Harness<StagecraftApp>| {
        let c = h
            .state()
            .doc()
            .touchpoint(&TouchpointId::from("a"))
            .expect("card")
            .clone();
        (c.stage.0, c.lane.0)
    };
    assert_eq!(place(&h), ("share".to_owned(), "people".to_owned()));
    assert_eq!(h.state().editor().undo_label(), Some("move cards"));
    undo(&mut h);
    assert_eq!(place(&h), ("discover".to_owned(), "web".to_owned()));
    redo(&mut h);
    assert_eq!(place(&h), ("share".to_owned(), "people".to_owned()));
}

#[test]
fn selected_cards_move_together_by_the_same_stages_and_lanes() {
    let mut h = harness(two_cards());
    // Shift-click both cards.
    for id in ["a", "b"] {
        let p = card_center(&h, id);
        h.hover_at(p);
        h.run();
        h.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
        h.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::SHIFT,
        });
        h.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::SHIFT,
        });
        h.run();
        h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
        h.run();
    }
    assert_eq!(h.state().selection.cards().len(), 2);
    // a goes from (discover, web) to (choose, web): one stage to the right.
    let from = card_center(&h, "a");
    let to = cell_center(&h, "choose", "web");
    drag(&mut h, from, to);
    let doc = h.state().doc();
    let b = doc.touchpoint(&TouchpointId::from("b")).expect("b");
    assert_eq!(
        b.stage.as_str(),
        "experience",
        "b moved one stage right too"
    );
    assert_eq!(b.lane.as_str(), "store");
    undo(&mut h);
    let doc = h.state().doc();
    assert_eq!(
        doc.touchpoint(&TouchpointId::from("b"))
            .expect("b")
            .stage
            .as_str(),
        "choose",
        "one undo step for the whole drag"
    );
    assert_eq!(
        doc.touchpoint(&TouchpointId::from("a"))
            .expect("a")
            .stage
            .as_str(),
        "discover"
    );
}

#[test]
fn dragging_from_a_card_handle_to_another_card_draws_a_flow() {
    let mut h = harness(two_cards());
    let handle = h
        .state()
        .canvas
        .layout()
        .handle_center(&TouchpointId::from("a"))
        .expect("handle");
    let from = screen(&h, handle);
    let to = card_center(&h, "b");
    drag(&mut h, from, to);
    let flows = h.state().doc().flows.clone();
    assert_eq!(flows.len(), 1);
    assert_eq!((flows[0].from.as_str(), flows[0].to.as_str()), ("a", "b"));
    undo(&mut h);
    assert!(h.state().doc().flows.is_empty());
    redo(&mut h);
    assert_eq!(h.state().doc().flows.len(), 1);
}

#[test]
fn rubber_band_selects_the_cards_it_touches() {
    let mut h = harness(two_cards());
    let grid = h.state().canvas.layout().bounds();
    let a = h
        .state()
        .canvas
        .layout()
        .cell_rect(&StageId::from("discover"), &LaneId::from("web"))
        .expect("cell");
    let from = screen(&h, Point::new(a.min.x + 2.0, a.min.y + 2.0));
    let to = screen(&h, Point::new(a.max.x - 2.0, a.max.y - 2.0));
    drag(&mut h, from, to);
    assert_eq!(
        h.state().selection,
        Selection::Cards(vec![TouchpointId::from("a")])
    );
    let _ = grid;
}

#[test]
fn editing_a_field_in_the_inspector_changes_the_score() {
    let mut h = harness(two_cards());
    let before = h.state().report().total;
    // Select card b and give it the theme through the inspector.
    let p = card_center(&h, "b");
    h.hover_at(p);
    h.run();
    h.drag_at(p);
    h.drop_at(p);
    h.run();
    assert_eq!(
        h.state().selection,
        Selection::Cards(vec![TouchpointId::from("b")])
    );
    h.get_by_label("+ Negative cue").click();
    h.run();
    let cues = h
        .state()
        .doc()
        .touchpoint(&TouchpointId::from("b"))
        .expect("b")
        .cues
        .clone();
    assert_eq!(cues.len(), 1);
    assert_eq!(cues[0].polarity, stagecraft::model::Polarity::Negative);
    let after = h.state().report().total;
    assert_eq!(
        h.state().report(),
        &stagecraft::scoring::score(h.state().doc()),
        "the report follows the document"
    );
    assert_ne!(before, after, "a negative cue changes the coherence score");
}

#[test]
fn typing_a_title_in_the_inspector_is_one_undo_step() {
    let mut h = harness(two_cards());
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    // Click into the field, go to the end, type, and leave with Escape (ends the gesture).
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title")
        .click();
    h.run();
    h.key_press(Key::End);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title")
        .type_text(" online");
    h.run();
    h.key_press(Key::Escape);
    h.run();
    let title = |h: &Harness<StagecraftApp>| {
        h.state()
            .doc()
            .touchpoint(&TouchpointId::from("a"))
            .expect("a")
            .title
            .clone()
    };
    assert_eq!(title(&h), "Reads reviews online");
    undo(&mut h);
    assert_eq!(
        title(&h),
        "Reads reviews",
        "the whole typed text is one step"
    );
}

#[test]
fn clicking_a_finding_selects_its_cards() {
    let mut h = harness(two_cards());
    let report = h.state().report().clone();
    let (message, target) = report
        .rules
        .iter()
        .flat_map(|r| &r.findings)
        .find_map(|f| {
            let card = f.targets.iter().find_map(|t| match t {
                stagecraft::scoring::Target::Touchpoint(id) => Some(id.clone()),
                _ => None,
            })?;
            Some((f.message.clone(), card))
        })
        .expect("a finding about a card (two cards without themes)");
    h.get_by_label(&message).click();
    h.run();
    assert!(
        h.state().selection.contains_card(&target),
        "{:?} should select {target}",
        h.state().selection
    );
}

#[test]
fn delete_key_removes_the_selection_and_undo_restores_it() {
    let mut h = harness(two_cards());
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(h.state().doc().touchpoints.len(), 1);
    undo(&mut h);
    assert_eq!(h.state().doc().touchpoints.len(), 2);
}

#[test]
fn duplicate_and_select_all() {
    let mut h = harness(two_cards());
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    assert_eq!(h.state().selection.cards().len(), 2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    let doc = h.state().doc();
    assert_eq!(doc.touchpoints.len(), 4);
    assert!(stagecraft::model::validate(doc).is_empty(), "fresh ids");
    assert_eq!(
        h.state().selection.cards().len(),
        2,
        "the copies are selected"
    );
    assert!(
        !h.state().selection.contains_card(&TouchpointId::from("a")),
        "originals are not"
    );
}

#[test]
fn arrow_keys_move_the_selected_card_to_the_next_stage() {
    let mut h = harness(two_cards());
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    h.key_press(Key::ArrowRight);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    let a = h
        .state()
        .doc()
        .touchpoint(&TouchpointId::from("a"))
        .expect("a")
        .clone();
    assert_eq!((a.stage.as_str(), a.lane.as_str()), ("choose", "store"));
}

#[test]
fn failed_open_shows_the_position_and_keeps_the_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("broken.json");
    std::fs::write(
        &bad,
        "{\n  \"format\": \"stagecraft\",\n  \"version\": 1,\n  \"title\": 3\n}\n",
    )
    .expect("write");
    let mut h = harness(two_cards());
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply_action(&ctx, stagecraft::ui::action::Action::OpenPath(bad.clone()));
    h.run();
    let banner = h.state().banner.clone().expect("an error is shown");
    assert!(banner.error);
    assert!(
        banner.text.contains("broken.json:4:"),
        "FILE:LINE:COL in {:?}",
        banner.text
    );
    assert_eq!(h.state().doc(), &two_cards(), "the open document stays");
}

#[test]
fn opening_over_unsaved_changes_asks_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let other = dir.path().join("other.json");
    std::fs::write(&other, stagecraft::io::to_json(&Document::new_canvas())).expect("write");
    let mut h = harness(two_cards());
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    h.key_press(Key::Delete);
    h.run();
    assert!(h.state().editor().is_dirty());
    assert!(
        h.state().title().starts_with('●'),
        "unsaved mark in the title"
    );
    let ctx = h.ctx.clone();
    h.state_mut().apply_action(
        &ctx,
        stagecraft::ui::action::Action::OpenPath(other.clone()),
    );
    h.run();
    assert!(h.state().pending.is_some(), "the question is asked");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().pending.is_none());
    assert_eq!(h.state().doc().touchpoints.len(), 1, "nothing was opened");

    h.state_mut().apply_action(
        &ctx,
        stagecraft::ui::action::Action::OpenPath(other.clone()),
    );
    h.run();
    h.get_by_label("Don't save").click();
    h.run();
    assert!(
        h.state().doc().touchpoints.is_empty(),
        "the other file is open"
    );
    assert_eq!(h.state().file(), Some(other.as_path()));
    assert!(!h.state().title().starts_with('●'));
}

#[test]
fn start_screen_new_canvas_opens_the_default_stages() {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_start(Vec::new()),
        );
    h.run();
    h.get_by_label("New canvas").click();
    h.run();
    assert_eq!(h.state().screen, stagecraft::app::Screen::Canvas);
    let names: Vec<_> = h
        .state()
        .doc()
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Discover", "Choose", "Experience", "Share"]);
}

#[test]
fn double_click_edits_a_title_in_place_as_one_step() {
    let mut h = harness_with_step(two_cards(), 0.05);
    let p = card_center(&h, "a");
    h.hover_at(p);
    h.run();
    for pressed in [true, false, true, false] {
        h.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.step();
    h.run();
    assert!(h.state().canvas.title_edit.is_some(), "editor open");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label("Card title")
        .type_text("Reads Google reviews");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let title = |h: &Harness<StagecraftApp>| {
        h.state()
            .doc()
            .touchpoint(&TouchpointId::from("a"))
            .expect("a")
            .title
            .clone()
    };
    assert_eq!(title(&h), "Reads Google reviews");
    assert!(h.state().canvas.title_edit.is_none(), "editor closed");
    undo(&mut h);
    assert_eq!(title(&h), "Reads reviews");
}

#[test]
fn copy_and_paste_make_new_cards_with_fresh_ids() {
    let mut h = harness(two_cards());
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    h.event(egui::Event::Copy);
    h.step();
    // What the app put on the system clipboard comes back with the next Ctrl+V.
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .expect("the cards went to the clipboard");
    h.run();
    h.event(egui::Event::Paste(copied));
    h.run();
    let doc = h.state().doc();
    assert_eq!(doc.touchpoints.len(), 3);
    let new = doc.touchpoints.last().expect("pasted");
    assert_eq!(new.title, "Reads reviews");
    assert_ne!(new.id.as_str(), "a");
    assert_eq!(h.state().selection, Selection::Cards(vec![new.id.clone()]));
}

#[test]
fn pasting_plain_text_on_the_canvas_adds_no_cards_and_says_why() {
    let mut h = harness(two_cards());
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    // Cards copied earlier, then some text copied in another program.
    h.event(egui::Event::Copy);
    h.run();
    h.event(egui::Event::Paste("meeting notes".into()));
    h.run();
    assert_eq!(h.state().doc(), &two_cards(), "no stale cards pasted");
    let banner = h.state().banner.clone().expect("a note");
    assert!(!banner.error);
    assert!(banner.text.contains("not cards"), "{}", banner.text);
}

#[test]
fn ctrl_wheel_zooms_and_ctrl_0_fits() {
    let mut h = harness(two_cards());
    let z0 = h.state().canvas.view.zoom;
    let center = h.state().canvas.area.center();
    h.hover_at(center);
    h.run();
    h.event(egui::Event::Zoom(1.5));
    h.run();
    let z1 = h.state().canvas.view.zoom;
    assert!(z1 > z0 * 1.2, "zoomed in: {z0} -> {z1}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert!(
        (h.state().canvas.view.zoom - z0).abs() < 1e-3,
        "back to fit"
    );
    // Ctrl+1: 100%, keeping the middle of the view where it is.
    let area = h.state().canvas.area;
    let middle = h.state().canvas.view.to_canvas(area, area.center());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run();
    assert_eq!(h.state().canvas.view.zoom, 1.0);
    let after = h.state().canvas.view.to_canvas(area, area.center());
    assert!((after.x - middle.x).abs() < 0.01 && (after.y - middle.y).abs() < 0.01);
    // The zoom readout is a button back to 100% too.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert!(h.state().canvas.view.zoom != 1.0);
    let readout = format!("{:.0}%", h.state().canvas.view.zoom * 100.0);
    h.get_by_label(&readout).click();
    h.run();
    assert_eq!(h.state().canvas.view.zoom, 1.0);
}

#[test]
fn a_sample_on_the_start_screen_opens_as_an_untitled_copy() {
    let samples = stagecraft::ui::files::find_samples();
    let first = samples.first().expect("bundled samples").clone();
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_start(samples),
        );
    h.run();
    h.get_by_label(&stagecraft::ui::files::pretty_name(&first.name))
        .click();
    h.run();
    assert_eq!(h.state().screen, stagecraft::app::Screen::Canvas);
    assert_eq!(h.state().doc().title, first.title);
    assert_eq!(h.state().doc().touchpoints.len(), first.cards);
    assert_eq!(
        h.state().file(),
        None,
        "Save asks where; the sample stays intact"
    );
}

#[test]
fn ctrl_e_opens_the_export_window() {
    let mut h = harness(two_cards());
    assert!(!h.state().export.open);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    assert!(h.state().export.open);
    assert!(
        h.query_by_label("Export canvas").is_some(),
        "the window shows"
    );
}

#[test]
fn clicking_a_theme_shows_its_thread_and_a_stage_header_selects_the_stage() {
    let mut h = harness(two_cards());
    h.get_by_label("Warm welcome").click();
    h.run();
    assert_eq!(
        h.state().selection,
        Selection::Theme(ThemeId::from("warm")),
        "the theme's thread is highlighted"
    );
    let header = h
        .state()
        .canvas
        .layout()
        .stage_header(&StageId::from("discover"))
        .expect("header");
    let p = screen(&h, header.center());
    h.hover_at(p);
    h.run();
    h.drag_at(p);
    h.drop_at(p);
    h.run();
    assert_eq!(
        h.state().selection,
        Selection::Stage(StageId::from("discover"))
    );
    assert!(
        h.query_by_label("Delete stage and its card").is_some(),
        "the stage inspector says what deleting takes with it"
    );
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(h.state().doc().stages.len(), 3);
    assert_eq!(h.state().doc().touchpoints.len(), 1, "its card went too");
    undo(&mut h);
    assert_eq!(h.state().doc(), &two_cards(), "one undo brings both back");
}

fn coffee_shop() -> Document {
    stagecraft::io::load_path(std::path::Path::new("samples/coffee-shop.json"))
        .expect("the sample opens")
        .document
}

#[test]
fn ctrl_backslash_hides_both_side_panels_and_the_fit_grows() {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1440.0, 900.0))
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_with(coffee_shop()),
        );
    h.run();
    // Fit (the canvas opens at a zoom where titles can be read, not the whole journey).
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    let (z0, w0) = (h.state().canvas.view.zoom, h.state().canvas.area.width());
    assert!(h.query_by_label("Touchpoints").is_some(), "palette shown");
    assert!(h.query_by_label("Coherence").is_some(), "inspector shown");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Backslash);
    h.run();
    assert!(!h.state().show_palette && !h.state().show_inspector);
    assert!(h.query_by_label("Touchpoints").is_none());
    assert!(h.query_by_label("Coherence").is_none());
    let (z1, w1) = (h.state().canvas.view.zoom, h.state().canvas.area.width());
    assert!(w1 > 1400.0, "the canvas takes the window: {w0} -> {w1}");
    assert!(z1 > z0 * 1.5, "the fitted journey is larger: {z0} -> {z1}");
    // The whole journey is still in view.
    let b = h.state().canvas.layout().bounds();
    let area = h.state().canvas.area;
    assert!(area.contains(screen(&h, b.min)) && area.contains(screen(&h, b.max)));
    // Once more brings both back, and the fit with them.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Backslash);
    h.run();
    assert!(h.state().show_palette && h.state().show_inspector);
    assert!((h.state().canvas.view.zoom - z0).abs() < 1e-3);
    assert_eq!(h.state().doc(), &coffee_shop(), "the document is untouched");
    assert!(!h.state().editor().is_dirty());
}

#[test]
fn the_view_menu_hides_one_panel_and_a_zoomed_view_is_kept() {
    let mut h = harness(two_cards());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run();
    let zoomed = h.state().canvas.view;
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Inspector").click();
    h.run();
    assert!(h.state().show_palette);
    assert!(!h.state().show_inspector);
    assert!(h.query_by_label("Coherence").is_none());
    assert_eq!(h.state().canvas.view, zoomed, "a view the user chose stays");
}

#[test]
fn cards_pasted_from_another_window_arrive_with_their_theme() {
    // What another Stagecraft window put on the system clipboard: a card of a canvas that
    // has a theme this one lacks, in a stage this one has.
    let mut other = Document::new_canvas();
    other.themes.push(theme("craft", "Craft in every cup"));
    let mut tp = card("x1", "Latte art", "choose", "store");
    tp.themes.push(ThemeId::from("craft"));
    other.touchpoints.push(tp);
    let ids = std::iter::once(TouchpointId::from("x1")).collect();
    let text = stagecraft::edit::Clip::copy(&other, &ids).to_text();

    let mut h = harness(two_cards());
    h.event(egui::Event::Paste(text));
    h.run();
    let doc = h.state().doc();
    assert_eq!(doc.touchpoints.len(), 3);
    let new = doc.touchpoints.last().expect("pasted");
    assert_eq!(new.title, "Latte art");
    assert_eq!(new.stage, StageId::from("choose"));
    assert_eq!(new.themes, vec![ThemeId::from("craft")]);
    assert!(
        doc.theme(&ThemeId::from("craft")).is_some(),
        "theme came along"
    );
    assert_eq!(h.state().selection, Selection::Cards(vec![new.id.clone()]));
    undo(&mut h);
    assert_eq!(
        h.state().doc(),
        &two_cards(),
        "one undo removes card and theme"
    );
}

fn close_window(h: &mut Harness<StagecraftApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run();
}

fn sent_close(h: &Harness<StagecraftApp>) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::Close))
}

#[test]
fn closing_over_unsaved_changes_asks_and_cancel_keeps_the_window() {
    let mut h = harness(two_cards());
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    h.key_press(Key::Delete);
    h.run();
    close_window(&mut h);
    assert_eq!(h.state().pending, Some(stagecraft::app::Pending::Close));
    assert!(h.query_by_label("Save your changes?").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().pending.is_none());
    assert_eq!(
        h.state().doc().touchpoints.len(),
        1,
        "the edit is still there"
    );

    close_window(&mut h);
    h.get_by_label("Don't save").click();
    h.step();
    assert!(sent_close(&h), "the window closes without saving");
}

#[test]
fn closing_a_saved_canvas_does_not_ask() {
    let mut h = harness(two_cards());
    close_window(&mut h);
    assert!(h.state().pending.is_none());
}

#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<StagecraftApp>, path: &std::path::Path) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_owned())));
    h.run();
}

#[test]
fn a_json_dropped_on_the_window_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dropped.json");
    std::fs::write(&path, stagecraft::io::to_json(&coffee_shop())).expect("write");
    let mut h = harness(two_cards());
    drop_file(&mut h, &path);
    assert_eq!(h.state().doc(), &coffee_shop());
    assert_eq!(h.state().file(), Some(path.as_path()));
}

#[test]
fn a_png_exported_by_stagecraft_opens_as_an_untitled_canvas() {
    let doc = two_cards();
    let opts = stagecraft::export::ExportOptions {
        dpi: 96.0,
        paper: stagecraft::export::Paper::A4,
        ..Default::default()
    };
    let png = stagecraft::export::render_png(&doc, &opts)
        .expect("exports")
        .remove(0);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("journey.png");
    std::fs::write(&path, png).expect("write");

    let mut h = harness(Document::new_canvas());
    drop_file(&mut h, &path);
    assert_eq!(h.state().banner, None, "no error");
    assert_eq!(h.state().doc(), &doc, "the canvas inside the PNG");
    assert_eq!(h.state().file(), None, "Save will not write over the image");
}

#[test]
fn start_screen_sample_cards_name_the_persona_and_the_size() {
    let samples = stagecraft::ui::files::find_samples();
    let coffee = samples
        .iter()
        .find(|s| s.name == "coffee-shop")
        .expect("the coffee-shop sample is bundled")
        .clone();
    assert!(coffee.persona.starts_with("Camille"), "{}", coffee.persona);
    let caption = coffee.caption();
    assert!(caption.contains(&format!("Persona: {}", coffee.persona)));
    assert!(caption.ends_with(&format!(
        "\n{} touchpoints",
        coffee_shop().touchpoints.len()
    )));
    let h = Harness::builder()
        .with_size(Vec2::new(1440.0, 900.0))
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_start(samples),
        );
    assert!(h.query_by_label(&caption).is_some(), "shown on its card");
}

#[test]
fn double_click_on_an_empty_cell_adds_a_card_of_the_lane_kind_and_names_it() {
    let mut h = harness_with_step(two_cards(), 0.05);
    let p = cell_center(&h, "share", "web");
    h.hover_at(p);
    h.run();
    for pressed in [true, false, true, false] {
        h.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.step();
    h.run();
    let doc = h.state().doc();
    assert_eq!(doc.touchpoints.len(), 3, "one card added");
    let new = doc.touchpoints.last().expect("added").clone();
    assert_eq!(new.stage, StageId::from("share"));
    assert_eq!(new.lane, LaneId::from("web"));
    let lane_kind = doc.lane(&LaneId::from("web")).expect("lane").kind;
    assert_eq!(new.kind, lane_kind);
    assert_eq!(h.state().selection, Selection::Cards(vec![new.id.clone()]));
    assert!(
        h.state().canvas.title_edit.is_some(),
        "title open for typing"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label("Card title").type_text("Shares a story");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let titled = h
        .state()
        .doc()
        .touchpoint(&new.id)
        .expect("kept")
        .title
        .clone();
    assert_eq!(titled, "Shares a story");
    // Adding and naming the card are one step: one undo takes the card away.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().doc().touchpoints.len(),
        2,
        "one undo removes the new card"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    let redone = h.state().doc().touchpoint(&new.id).expect("back");
    assert_eq!(redone.title, "Shares a story", "redo brings it back named");
}
