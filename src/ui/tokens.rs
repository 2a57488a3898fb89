//! Design tokens of the editor chrome (panels, buttons, type sizes) and the egui style
//! built from them. The canvas itself takes its colours from `scene::style::Palette`, so
//! screen and print agree; the chrome is tuned to sit quietly around it.

use egui::{
    Color32, CornerRadius, FontData, FontDefinitions, FontFamily, FontId, Stroke, TextStyle,
};
use std::sync::Arc;

/// The accent: selection, focus, primary buttons.
pub const ACCENT: Color32 = Color32::from_rgb(0x2f, 0x7f, 0xc1);
/// Drop targets a drag would hit.
pub const DROP_TARGET: Color32 = Color32::from_rgb(0x2e, 0x9e, 0x5b);
/// The flow handle on the hovered card (ringed in the accent).
pub const HANDLE_FILL: Color32 = Color32::WHITE;
/// A card being dropped from the palette, before it exists.
pub const GHOST_FILL: Color32 = Color32::WHITE;
/// The text on that ghost card (on its light fill in either look).
pub const GHOST_TEXT: Color32 = Color32::from_rgb(0x1f, 0x29, 0x33);
/// The hint on an empty canvas.
pub const HINT_TEXT: Color32 = Color32::from_rgb(0x5f, 0x6b, 0x77);
/// What marks each kind of touchpoint in the palette (and its ghost on the canvas).
pub const KIND_DIGITAL: Color32 = Color32::from_rgb(0x3d, 0x85, 0xc6);
pub const KIND_PHYSICAL: Color32 = Color32::from_rgb(0x3d, 0x99, 0x70);
pub const KIND_HUMAN: Color32 = Color32::from_rgb(0xe6, 0x91, 0x38);
pub const KIND_BACKSTAGE: Color32 = Color32::from_rgb(0x6f, 0x7c, 0x89);
/// Scores between passing and failing.
pub const FAIR: Color32 = Color32::from_rgb(0xd9, 0x9a, 0x00);
/// Compared with another version: what it adds, changes, removes.
pub const DIFF_ADDED: Color32 = Color32::from_rgb(0x1a, 0x9e, 0x5f);
pub const DIFF_CHANGED: Color32 = Color32::from_rgb(0xe8, 0x9b, 0x0c);
pub const DIFF_REMOVED: Color32 = Color32::from_rgb(0xc0, 0x39, 0x2b);
/// Text on the accent (the primary start-screen choice), and its caption.
pub const ON_ACCENT: Color32 = Color32::WHITE;
pub const ON_ACCENT_MUTED: Color32 = Color32::from_rgba_premultiplied(220, 220, 220, 220);
/// The veil over the window while a file is dragged over it, and its text.
pub const SCRIM: Color32 = Color32::from_black_alpha(140);
pub const ON_SCRIM: Color32 = Color32::WHITE;
/// The frame-time readout's box and text.
pub const READOUT_FILL: Color32 = Color32::from_black_alpha(180);
pub const READOUT_TEXT: Color32 = Color32::WHITE;
/// Text on a colour someone chose: a persona's initial on its disc (where it has no
/// picture), a colleague's name on their tag in a live session.
pub const ON_SWATCH: Color32 = Color32::WHITE;
/// Size of a persona's initial on its disc.
pub const INITIAL_SIZE: f32 = 20.0;
/// The shadow under the pinned header row and lane column.
pub const PIN_SHADOW: Color32 = Color32::from_black_alpha(40);
/// Message toasts: (fill, text) for errors and notes, light and dark.
pub const TOAST_ERROR_LIGHT: (Color32, Color32) = (
    Color32::from_rgb(0xfd, 0xec, 0xea),
    Color32::from_rgb(0x8a, 0x1c, 0x1c),
);
pub const TOAST_ERROR_DARK: (Color32, Color32) = (
    Color32::from_rgb(0x4a, 0x1e, 0x1e),
    Color32::from_rgb(0xff, 0xc9, 0xc4),
);
pub const TOAST_NOTE_LIGHT: (Color32, Color32) = (
    Color32::from_rgb(0xea, 0xf2, 0xfb),
    Color32::from_rgb(0x1d, 0x4f, 0x7c),
);
pub const TOAST_NOTE_DARK: (Color32, Color32) = (
    Color32::from_rgb(0x1c, 0x33, 0x4a),
    Color32::from_rgb(0xcf, 0xe4, 0xfa),
);
/// Errors and destructive actions.
pub const DANGER: Color32 = Color32::from_rgb(0xc6, 0x28, 0x28);
/// Warnings (findings).
pub const WARNING: Color32 = Color32::from_rgb(0xe8, 0x59, 0x0c);
/// Scores that pass.
pub const GOOD: Color32 = Color32::from_rgb(0x2e, 0x9e, 0x5b);

/// Width of the left panel (palette and themes).
pub const LEFT_PANEL_W: f32 = 232.0;
/// Width of the right panel (inspector).
pub const RIGHT_PANEL_W: f32 = 360.0;
/// Windows narrower than this open the editor with the side panels hidden.
pub const NARROW_WINDOW: f32 = 1200.0;
/// Body text.
pub const BODY_SIZE: f32 = 14.5;
/// Section headings in panels.
pub const HEADING_SIZE: f32 = 19.0;
/// The big score in the inspector.
pub const SCORE_SIZE: f32 = 56.0;
/// Small captions.
pub const SMALL_SIZE: f32 = 12.0;

// The fonts the scene measures text with and every export embeds: one copy in the binary.
use crate::scene::text::{FONT_BOLD, FONT_REGULAR};

/// The bold family name registered with egui.
pub const BOLD: &str = "bold";

pub fn bold(size: f32) -> FontId {
    FontId::new(size, FontFamily::Name(BOLD.into()))
}

/// The regular weight of the house font.
pub fn regular(size: f32) -> FontId {
    FontId::proportional(size)
}

/// The monospace font, for figures that update in place (the frame-time readout).
pub fn mono(size: f32) -> FontId {
    FontId::monospace(size)
}

/// The house font in a scene text's weight.
pub fn font(size: f32, weight: crate::scene::Weight) -> FontId {
    match weight {
        crate::scene::Weight::Regular => regular(size),
        crate::scene::Weight::Bold => bold(size),
    }
}

/// Installs Noto Sans (the font the canvas and the exports use) as egui's proportional font,
/// with egui's default fonts kept behind it for symbols.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("noto".into(), Arc::new(FontData::from_static(FONT_REGULAR)));
    fonts.font_data.insert(
        "noto-bold".into(),
        Arc::new(FontData::from_static(FONT_BOLD)),
    );
    let fallback = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let mut regular = vec!["noto".to_owned()];
    regular.extend(fallback.iter().cloned());
    let mut bold = vec!["noto-bold".to_owned()];
    bold.extend(fallback);
    fonts.families.insert(FontFamily::Proportional, regular);
    fonts.families.insert(FontFamily::Name(BOLD.into()), bold);
    ctx.set_fonts(fonts);
}

/// The edge of an idle text field, checkbox or button.
pub const FIELD_EDGE_LIGHT: Color32 = Color32::from_rgb(0x9a, 0xa5, 0xb1);
pub const FIELD_EDGE_DARK: Color32 = Color32::from_rgb(0x6b, 0x74, 0x7e);

/// Sets the house style on both light and dark looks, and picks one.
pub fn apply_style(ctx: &egui::Context, dark: bool) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(SMALL_SIZE)),
            (TextStyle::Body, FontId::proportional(BODY_SIZE)),
            (TextStyle::Button, FontId::proportional(BODY_SIZE)),
            (TextStyle::Heading, bold(HEADING_SIZE)),
            (TextStyle::Monospace, FontId::monospace(13.0)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 7.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.interact_size.y = 28.0;
        style.visuals.selection.bg_fill = ACCENT;
        style.visuals.selection.stroke = Stroke::new(1.5, Color32::WHITE);
        style.visuals.hyperlink_color = ACCENT;
        let radius = CornerRadius::same(6);
        style.visuals.widgets.inactive.corner_radius = radius;
        style.visuals.widgets.hovered.corner_radius = radius;
        style.visuals.widgets.active.corner_radius = radius;
        style.visuals.widgets.noninteractive.corner_radius = radius;
    });
    ctx.style_mut_of(egui::Theme::Light, |s| {
        s.visuals.panel_fill = Color32::from_rgb(0xf7, 0xf8, 0xfa);
        s.visuals.window_fill = Color32::WHITE;
        s.visuals.extreme_bg_color = Color32::WHITE;
        s.visuals.widgets.noninteractive.fg_stroke.color = Color32::from_rgb(0x1f, 0x29, 0x33);
        s.visuals.widgets.inactive.fg_stroke.color = Color32::from_rgb(0x1f, 0x29, 0x33);
        // Fields, checkboxes and buttons need an edge on white windows, or an empty text
        // field reads as a label and an unchecked box disappears.
        s.visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, FIELD_EDGE_LIGHT);
        s.visuals.widgets.inactive.bg_fill = Color32::from_rgb(0xee, 0xf1, 0xf4);
    });
    ctx.style_mut_of(egui::Theme::Dark, |s| {
        s.visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, FIELD_EDGE_DARK);
    });
    ctx.set_theme(if dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    });
}

/// Muted text colour for captions and empty states.
pub fn muted(ui: &egui::Ui) -> Color32 {
    ui.visuals().weak_text_color()
}

/// A scene colour (unmultiplied, from `scene::style::Palette`) as egui paints it.
pub fn scene_color(c: crate::scene::Rgba) -> Color32 {
    scene_color_faded(c, 1.0)
}

/// A scene colour with its alpha scaled by `alpha` (0 to 1).
pub fn scene_color_faded(c: crate::scene::Rgba, alpha: f32) -> Color32 {
    let a = (f32::from(c.a) * alpha.clamp(0.0, 1.0)).round() as u8;
    Color32::from_rgba_unmultiplied(c.r, c.g, c.b, a)
}

/// Converts a model colour (a theme's, a persona's) to an egui colour.
pub fn theme_color(c: crate::model::Color) -> Color32 {
    Color32::from_rgb(c.r, c.g, c.b)
}

/// The desk around the journey grid on the canvas.
pub fn canvas_surround(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x12, 0x16, 0x1a)
    } else {
        Color32::from_rgb(0xe4, 0xe8, 0xec)
    }
}

/// A count with thousands separators, as people read it ("100,000").
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
