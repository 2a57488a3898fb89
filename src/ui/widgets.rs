//! [`UiExt`]: the house widgets (section headings, captions, colour swatches, empty
//! states) and the gesture bookkeeping that turns a focused text field or a slider drag
//! into one undo step.

use super::action::{Action, Actions};
use super::tokens;
use egui::{Color32, Response, RichText, Sense, Ui, Vec2};

pub trait UiExt {
    fn ui(&mut self) -> &mut Ui;

    /// A panel section heading with some air above it.
    fn section_heading(&mut self, text: &str) {
        let ui = self.ui();
        ui.add_space(10.0);
        ui.label(RichText::new(text).font(tokens::bold(16.0)));
        ui.add_space(2.0);
    }

    /// A muted caption line.
    fn caption(&mut self, text: &str) -> Response {
        let ui = self.ui();
        let color = tokens::muted(ui);
        ui.label(RichText::new(text).size(tokens::SMALL_SIZE).color(color))
    }

    /// A friendly message for an empty list: what is missing and what to do.
    fn empty_state(&mut self, text: &str) {
        let ui = self.ui();
        let color = tokens::muted(ui);
        egui::Frame::new()
            .inner_margin(10.0)
            .corner_radius(6.0)
            .stroke(egui::Stroke::new(
                1.0,
                ui.visuals().widgets.noninteractive.bg_stroke.color,
            ))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(text).color(color));
            });
    }

    /// A small rounded colour swatch.
    fn swatch(&mut self, color: Color32, size: f32) -> Response {
        let ui = self.ui();
        let (rect, resp) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
        ui.painter().rect_filled(rect, 3.0, color);
        resp
    }

    /// Under a text field that has reached its limit (the file format's, so that what is
    /// typed always saves and opens again): says that the field is full, rather than
    /// silently ignoring keystrokes.
    fn limit_note(&mut self, text: &str, max: usize) {
        // Bytes bound characters from above: short texts cost nothing.
        if text.len() >= max && text.chars().count() >= max {
            let ui = self.ui();
            ui.label(
                RichText::new(format!(
                    "This field is full: {} characters at most.",
                    tokens::thousands(max)
                ))
                .size(tokens::SMALL_SIZE)
                .color(tokens::WARNING),
            );
        }
    }

    /// Opens a gesture when a text field gains focus or a drag starts, and closes it when
    /// focus is lost or the drag stops, so a typed title or a slider drag is one undo step.
    fn gesture(&mut self, resp: &Response, actions: &mut Actions, label: &'static str) {
        if resp.gained_focus() || resp.drag_started() {
            actions.push(Action::Begin(label));
        }
        if resp.lost_focus() || resp.drag_stopped() {
            actions.push(Action::Commit);
        }
    }
}

/// Asks that the text field shown under `key` take the keyboard focus the next time it
/// is drawn, with its text selected, so what the user types replaces a placeholder
/// ("New cue", "Theme 3"). Kept in egui's temporary memory, not in the document.
pub fn ask_focus(ctx: &egui::Context, key: egui::Id) {
    ctx.data_mut(|d| d.insert_temp(key, true));
}

/// Gives `field` (a text edit showing `text`) the focus and selects all of its text if
/// [`ask_focus`] asked for it under `key`.
pub fn focus_if_asked(ctx: &egui::Context, key: egui::Id, field: &Response, text: &str) {
    if ctx.data_mut(|d| d.remove_temp::<bool>(key)).is_some() {
        focus_select_all(ctx, field, text);
    }
}

/// Focuses a text edit and selects all its text (typing replaces it).
pub fn focus_select_all(ctx: &egui::Context, field: &Response, text: &str) {
    use egui::text::{CCursor, CCursorRange};
    field.request_focus();
    let mut state = egui::text_edit::TextEditState::load(ctx, field.id).unwrap_or_default();
    state.cursor.set_char_range(Some(CCursorRange::two(
        CCursor::new(0),
        CCursor::new(text.chars().count()),
    )));
    state.store(ctx, field.id);
}

impl UiExt for Ui {
    fn ui(&mut self) -> &mut Ui {
        self
    }
}
