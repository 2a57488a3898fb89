//! Messages ("Saved …", "Could not open …") as a toast floating over the bottom of the
//! canvas: it never takes room from the layout, so nothing moves when a message appears
//! or goes (a click aimed at a field lands in that field). Errors stay until dismissed;
//! notes fade after [`NOTE_SECONDS`] of egui's input time (not the wall clock, so a
//! headless test sees the same thing every run).

use egui::{Align2, Color32, Rect, RichText, vec2};

/// How long a note (not an error) stays, in seconds of input time.
pub const NOTE_SECONDS: f64 = 6.0;

/// Room between the toast and the bottom of the area it floats over.
const BOTTOM_GAP: f32 = 18.0;
/// How much of the canvas's bottom a toast may cover: windows anchored at the bottom keep
/// above it, so a message never hides their buttons.
pub const TOAST_BAND: f32 = BOTTOM_GAP + 56.0;

/// A message and when it was first shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Banner {
    pub text: String,
    pub error: bool,
    /// Input time of the first frame that showed it (set by [`toast_ui`]).
    pub shown_at: Option<f64>,
}

impl Banner {
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            error: true,
            shown_at: None,
        }
    }

    pub fn note(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            error: false,
            shown_at: None,
        }
    }
}

fn colors(error: bool, dark: bool) -> (Color32, Color32) {
    match (error, dark) {
        (true, false) => super::tokens::TOAST_ERROR_LIGHT,
        (true, true) => super::tokens::TOAST_ERROR_DARK,
        (false, false) => super::tokens::TOAST_NOTE_LIGHT,
        (false, true) => super::tokens::TOAST_NOTE_DARK,
    }
}

/// Shows `banner` floating at the bottom centre of `over`; clears it when dismissed or
/// when a note has been shown long enough.
pub fn toast_ui(ctx: &egui::Context, banner: &mut Option<Banner>, over: Rect) {
    let Some(b) = banner else { return };
    let now = ctx.input(|i| i.time);
    let shown_at = *b.shown_at.get_or_insert(now);
    if !b.error {
        let left = NOTE_SECONDS - (now - shown_at);
        if left <= 0.0 {
            *banner = None;
            return;
        }
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(left));
    }
    let (fill, text) = colors(b.error, ctx.global_style().visuals.dark_mode);
    let width = (over.width() - 48.0).clamp(200.0, 640.0);
    let mut close = false;
    egui::Area::new(egui::Id::unique("message-toast"))
        .order(egui::Order::Middle)
        .pivot(Align2::CENTER_BOTTOM)
        .fixed_pos(over.center_bottom() - vec2(0.0, BOTTOM_GAP))
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(fill)
                .stroke(egui::Stroke::new(1.0, text.gamma_multiply(0.35)))
                .corner_radius(6)
                .inner_margin(egui::Margin::symmetric(12, 8))
                .shadow(ui.visuals().popup_shadow)
                .show(ui, |ui| {
                    ui.set_max_width(width);
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::Label::new(RichText::new(&b.text).color(text).size(14.5)).wrap(),
                        );
                        if ui.button("Dismiss").clicked() {
                            close = true;
                        }
                    });
                });
        });
    if close {
        *banner = None;
    }
}
