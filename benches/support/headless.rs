//! The real app UI run headless at 1920×1080, one frame at a time: shared by the frame
//! bench and the `ui_memory` example.

use egui::{Pos2, RawInput, Rect, vec2};
use stagecraft::app::StagecraftApp;

/// A context for headless frames.
pub fn context() -> egui::Context {
    let ctx = egui::Context::default();
    // egui marks widget-id clashes with a 🔥 the UI fonts lack; do not panic on it.
    ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
    ctx
}

fn input(time: f64) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1920.0, 1080.0))),
        time: Some(time),
        ..RawInput::default()
    }
}

/// One whole frame: UI pass and tessellation. Returns the triangle count (so nothing is
/// optimised away).
pub fn frame(ctx: &egui::Context, app: &mut StagecraftApp, time: f64) -> usize {
    let mut out = ctx.run_ui(input(time), |ui| app.show(ui));
    // No renderer here to take the font atlas uploads.
    out.textures_delta.clear();
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    prims
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(m) => m.indices.len() / 3,
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum()
}
