//! The top bar: menus (File, Edit, View) and, on the right, undo/redo and zoom buttons.

use super::action::{Action, Actions};
use super::commands::UiCommand;
use super::files::RecentFiles;
use super::tokens;
use egui::{RichText, Ui};

/// What the top bar shows about the app.
pub struct ToolbarState<'a> {
    pub on_canvas: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub undo_label: Option<&'a str>,
    pub redo_label: Option<&'a str>,
    pub has_selection: bool,
    pub dark: bool,
    pub zoom: f32,
    pub recent: &'a RecentFiles,
    pub title: &'a str,
    pub dirty: bool,
    pub export_available: bool,
    pub show_palette: bool,
    pub show_inspector: bool,
}

/// A View menu checkbox for a command that toggles something; the shortcut, if any, is
/// named in the label (checkboxes have no shortcut column).
fn toggle_item_ui(ui: &mut Ui, cmd: UiCommand, on: bool, enabled: bool, actions: &mut Actions) {
    let mut checked = on;
    let label = match cmd.shortcut() {
        // egui names the key "Backslash"; the symbol reads better.
        Some(sc) => format!(
            "{}  ({})",
            cmd.label(),
            ui.ctx().format_shortcut(&sc).replace("Backslash", "\\")
        ),
        None => cmd.label().to_owned(),
    };
    if ui
        .add_enabled(enabled, egui::Checkbox::new(&mut checked, label))
        .on_hover_text(cmd.tooltip())
        .clicked()
    {
        actions.push(Action::Ui(cmd));
    }
}

/// A menu entry for a command, with its shortcut shown.
fn item_ui(ui: &mut Ui, cmd: UiCommand, enabled: bool, actions: &mut Actions) {
    let mut button = egui::Button::new(cmd.label());
    if let Some(sc) = cmd.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&sc));
    }
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(cmd.tooltip())
        .clicked()
    {
        actions.push(Action::Ui(cmd));
    }
}

pub fn toolbar_ui(ui: &mut Ui, st: &ToolbarState, actions: &mut Actions) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            item_ui(ui, UiCommand::New, true, actions);
            item_ui(ui, UiCommand::Open, true, actions);
            ui.menu_button("Open recent", |ui| {
                if st.recent.paths.is_empty() {
                    ui.label(RichText::new("No recent files").color(tokens::muted(ui)));
                }
                for p in &st.recent.paths {
                    if ui.button(p.display().to_string()).clicked() {
                        actions.push(Action::OpenPath(p.clone()));
                    }
                }
            });
            ui.separator();
            item_ui(ui, UiCommand::Save, st.on_canvas, actions);
            item_ui(ui, UiCommand::SaveAs, st.on_canvas, actions);
            ui.separator();
            item_ui(ui, UiCommand::CompareWith, st.on_canvas, actions);
            item_ui(ui, UiCommand::MergeCopy, st.on_canvas, actions);
            ui.separator();
            item_ui(
                ui,
                UiCommand::Export,
                st.on_canvas && st.export_available,
                actions,
            );
            ui.separator();
            item_ui(ui, UiCommand::StartScreen, st.on_canvas, actions);
            ui.separator();
            item_ui(ui, UiCommand::Quit, true, actions);
        });
        ui.menu_button("Edit", |ui| {
            let undo = egui::Button::new(match st.undo_label {
                Some(l) => format!("Undo {l}"),
                None => "Undo".to_owned(),
            })
            .shortcut_text("Ctrl+Z");
            if ui.add_enabled(st.can_undo, undo).clicked() {
                actions.push(Action::Ui(UiCommand::Undo));
            }
            let redo = egui::Button::new(match st.redo_label {
                Some(l) => format!("Redo {l}"),
                None => "Redo".to_owned(),
            })
            .shortcut_text("Ctrl+Shift+Z");
            if ui.add_enabled(st.can_redo, redo).clicked() {
                actions.push(Action::Ui(UiCommand::Redo));
            }
            ui.separator();
            item_ui(ui, UiCommand::Duplicate, st.has_selection, actions);
            item_ui(ui, UiCommand::Delete, st.has_selection, actions);
            item_ui(ui, UiCommand::SelectAll, st.on_canvas, actions);
        });
        ui.menu_button("View", |ui| {
            item_ui(ui, UiCommand::ZoomToFit, st.on_canvas, actions);
            item_ui(ui, UiCommand::ZoomActual, st.on_canvas, actions);
            item_ui(ui, UiCommand::ZoomIn, st.on_canvas, actions);
            item_ui(ui, UiCommand::ZoomOut, st.on_canvas, actions);
            ui.separator();
            let both = st.show_palette && st.show_inspector;
            toggle_item_ui(ui, UiCommand::TogglePanels, both, st.on_canvas, actions);
            toggle_item_ui(
                ui,
                UiCommand::TogglePalette,
                st.show_palette,
                st.on_canvas,
                actions,
            );
            toggle_item_ui(
                ui,
                UiCommand::ToggleInspector,
                st.show_inspector,
                st.on_canvas,
                actions,
            );
            ui.separator();
            let mut dark = st.dark;
            if ui.checkbox(&mut dark, "Dark mode").clicked() {
                actions.push(Action::Ui(UiCommand::ToggleDarkMode));
            }
        });
        if st.on_canvas {
            ui.add_space(16.0);
            let mark = if st.dirty { " •" } else { "" };
            ui.label(RichText::new(format!("{}{mark}", st.title)).strong())
                .on_hover_text(if st.dirty { "Unsaved changes" } else { "Saved" });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Fit")
                    .on_hover_text("Zoom to fit (Ctrl+0)")
                    .clicked()
                {
                    actions.push(Action::Ui(UiCommand::ZoomToFit));
                }
                if ui.button("+").on_hover_text("Zoom in").clicked() {
                    actions.push(Action::Ui(UiCommand::ZoomIn));
                }
                let percent = egui::Button::new(format!("{:.0}%", st.zoom * 100.0)).frame(false);
                if ui
                    .add(percent)
                    .on_hover_text("Zoom 100% (Ctrl+1)")
                    .clicked()
                {
                    actions.push(Action::Ui(UiCommand::ZoomActual));
                }
                if ui.button("−").on_hover_text("Zoom out").clicked() {
                    actions.push(Action::Ui(UiCommand::ZoomOut));
                }
                ui.separator();
                let both = st.show_palette && st.show_inspector;
                if ui
                    .selectable_label(both, "Panels")
                    .on_hover_text("Hide or show the side panels (Ctrl+\\)")
                    .clicked()
                {
                    actions.push(Action::Ui(UiCommand::TogglePanels));
                }
                ui.separator();
                if ui
                    .add_enabled(st.can_redo, egui::Button::new("Redo"))
                    .on_hover_text("Redo (Ctrl+Shift+Z)")
                    .clicked()
                {
                    actions.push(Action::Ui(UiCommand::Redo));
                }
                if ui
                    .add_enabled(st.can_undo, egui::Button::new("Undo"))
                    .on_hover_text("Undo (Ctrl+Z)")
                    .clicked()
                {
                    actions.push(Action::Ui(UiCommand::Undo));
                }
            });
        }
    });
}
