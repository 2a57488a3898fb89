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
    /// Whether cards are selected (Copy, Cut).
    pub has_cards: bool,
    pub show_legend: bool,
    /// The live session, when co-editing (its status bar is `ui::live::bar_ui`).
    pub live: Option<&'a crate::live::Session>,
    pub show_emotion_curve: bool,
}

/// A View menu checkbox for a command that toggles something; the shortcut, if any, is
/// named in the label (checkboxes have no shortcut column).
fn toggle_item_ui(ui: &mut Ui, cmd: UiCommand, on: bool, enabled: bool, actions: &mut Actions) {
    let mut checked = on;
    let label = match cmd.shortcut_text(ui.ctx()) {
        Some(sc) => format!("{}  ({sc})", cmd.label()),
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
    labelled_item_ui(ui, cmd, cmd.label().to_owned(), enabled, actions);
}

/// A menu entry for a command under another label ("Undo move cards").
fn labelled_item_ui(
    ui: &mut Ui,
    cmd: UiCommand,
    label: String,
    enabled: bool,
    actions: &mut Actions,
) {
    let mut button = egui::Button::new(label);
    if let Some(sc) = cmd.shortcut_text(ui.ctx()) {
        button = button.shortcut_text(sc);
    }
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(cmd.tooltip())
        .clicked()
    {
        actions.push(Action::Ui(cmd));
    }
}

/// A toolbar button for a command; its tooltip names the shortcut.
fn tool_button_ui(ui: &mut Ui, cmd: UiCommand, button: egui::Button, enabled: bool) -> bool {
    ui.add_enabled(enabled, button)
        .on_hover_text(cmd.hover_text(ui.ctx()))
        .clicked()
}

/// Edit: undo and redo (named after the step), the clipboard, the selection.
fn edit_menu_ui(ui: &mut Ui, st: &ToolbarState, actions: &mut Actions) {
    let named = |cmd: UiCommand, step: Option<&str>| match step {
        Some(l) => format!("{} {l}", cmd.label()),
        None => cmd.label().to_owned(),
    };
    let undo = named(UiCommand::Undo, st.undo_label);
    labelled_item_ui(ui, UiCommand::Undo, undo, st.can_undo, actions);
    let redo = named(UiCommand::Redo, st.redo_label);
    labelled_item_ui(ui, UiCommand::Redo, redo, st.can_redo, actions);
    ui.separator();
    item_ui(ui, UiCommand::Cut, st.has_cards, actions);
    item_ui(ui, UiCommand::Copy, st.has_cards, actions);
    item_ui(ui, UiCommand::Paste, st.on_canvas, actions);
    item_ui(ui, UiCommand::Duplicate, st.has_cards, actions);
    item_ui(ui, UiCommand::Delete, st.has_selection, actions);
    ui.separator();
    item_ui(ui, UiCommand::SelectAll, st.on_canvas, actions);
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
                UiCommand::ShareLive,
                st.on_canvas && st.live.is_none(),
                actions,
            );
            item_ui(ui, UiCommand::JoinLive, true, actions);
            item_ui(ui, UiCommand::LeaveLive, st.live.is_some(), actions);
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
        ui.menu_button("Edit", |ui| edit_menu_ui(ui, st, actions));
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
            toggle_item_ui(
                ui,
                UiCommand::ToggleLegend,
                st.show_legend,
                st.on_canvas,
                actions,
            );
            toggle_item_ui(
                ui,
                UiCommand::ToggleEmotionCurve,
                st.show_emotion_curve,
                st.on_canvas,
                actions,
            );
            ui.separator();
            toggle_item_ui(ui, UiCommand::ToggleDarkMode, st.dark, true, actions);
        });
        if st.on_canvas {
            ui.add_space(16.0);
            let mark = if st.dirty { " •" } else { "" };
            ui.label(RichText::new(format!("{}{mark}", st.title)).strong())
                .on_hover_text(if st.dirty { "Unsaved changes" } else { "Saved" });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let mut button = |cmd: UiCommand, b: egui::Button, enabled: bool| {
                    if tool_button_ui(ui, cmd, b, enabled) {
                        actions.push(Action::Ui(cmd));
                    }
                };
                button(UiCommand::ZoomToFit, egui::Button::new("Fit"), true);
                button(UiCommand::ZoomIn, egui::Button::new("+"), true);
                let percent = egui::Button::new(format!("{:.0}%", st.zoom * 100.0)).frame(false);
                button(UiCommand::ZoomActual, percent, true);
                button(UiCommand::ZoomOut, egui::Button::new("−"), true);
                ui.separator();
                let both = st.show_palette && st.show_inspector;
                let panels = egui::Button::selectable(both, "Panels");
                if tool_button_ui(ui, UiCommand::TogglePanels, panels, true) {
                    actions.push(Action::Ui(UiCommand::TogglePanels));
                }
                ui.separator();
                if tool_button_ui(ui, UiCommand::Redo, egui::Button::new("Redo"), st.can_redo) {
                    actions.push(Action::Ui(UiCommand::Redo));
                }
                if tool_button_ui(ui, UiCommand::Undo, egui::Button::new("Undo"), st.can_undo) {
                    actions.push(Action::Ui(UiCommand::Undo));
                }
            });
        }
    });
}
