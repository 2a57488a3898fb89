//! The Export window behaves like a desktop dialog: Close and Escape close it (and Escape
//! does nothing else), it opens below the menu bar so the menus stay in reach, and it does
//! not show the previous export's message when opened again.

use egui::Vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::StagecraftApp;
use stagecraft::model::{Document, LaneId, StageId, Touchpoint, TouchpointId};
use stagecraft::ui::action::Selection;

fn app_with_a_selected_card() -> Harness<'static, StagecraftApp> {
    let mut doc = Document::new_canvas();
    doc.touchpoints.push(Touchpoint::new(
        TouchpointId::from("a"),
        "Reads reviews",
        StageId::from("discover"),
        LaneId::from("web"),
    ));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1600.0, 1000.0))
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_with(doc),
        );
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    h
}

fn open_export(h: &mut Harness<'static, StagecraftApp>) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Export…").click();
    h.run();
    assert!(h.state().export.open, "File → Export… opens the window");
    assert!(h.query_by_label("Export canvas").is_some());
}

#[test]
fn close_button_closes_the_export_window() {
    let mut h = app_with_a_selected_card();
    open_export(&mut h);
    h.get_by_label("Close").click();
    h.run();
    assert!(!h.state().export.open, "Close closes it");
    assert!(h.query_by_label("Export canvas").is_none());
}

#[test]
fn escape_closes_the_export_window_and_keeps_the_selection() {
    let mut h = app_with_a_selected_card();
    open_export(&mut h);
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().export.open, "Escape closes it");
    assert_eq!(
        h.state().selection,
        Selection::Cards(vec![TouchpointId::from("a")]),
        "Escape went to the window, not to the canvas selection"
    );
    // With the window closed, Escape clears the selection as before.
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().selection, Selection::None);
}

#[test]
fn export_window_leaves_the_menu_bar_in_reach() {
    let mut h = app_with_a_selected_card();
    open_export(&mut h);
    let menu_bottom = h.get_by_label("View").rect().max.y;
    let window_top = h.get_by_label("Export canvas").rect().min.y;
    assert!(
        window_top > menu_bottom,
        "the window's title ({window_top}) is below the menu bar ({menu_bottom})"
    );
    // The menus still open while it is shown.
    h.get_by_label("Edit").click();
    h.run();
    assert!(h.query_by_label_contains("Select all cards").is_some());
}

#[test]
fn escape_with_a_menu_open_closes_the_menu_not_the_selection() {
    let mut h = app_with_a_selected_card();
    h.get_by_label("View").click();
    h.run();
    assert!(
        h.query_by_label_contains("Zoom to fit").is_some(),
        "menu open"
    );
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_label_contains("Zoom to fit").is_none(),
        "menu closed"
    );
    assert_eq!(
        h.state().selection,
        Selection::Cards(vec![TouchpointId::from("a")])
    );
}
