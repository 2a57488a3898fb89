//! Design tokens of the canvas: colours (light and dark palettes) and sizes.
//!
//! Every colour the scene draws comes from a [`Palette`]; every size from the constants here,
//! so the editor and the exports share one look. The light palette is the print palette:
//! white paper, calm greys, saturated colour kept for meaning (themes, moments, flags).

use super::geom::Rgba;
use crate::model::{Moment, Theme};

/// Width of a touchpoint card, in canvas units.
pub const CARD_W: f32 = 184.0;
/// Height of a touchpoint card.
pub const CARD_H: f32 = 104.0;
/// Corner radius of a card.
pub const CARD_RADIUS: f32 = 8.0;
/// Space between two cards in one cell.
pub const CARD_GAP: f32 = 12.0;
/// Space between a cell's border and its cards.
pub const CELL_PAD: f32 = 16.0;
/// Height of the stage header row.
pub const STAGE_HEADER_H: f32 = 72.0;
/// Height of the emotion curve's band, under the header row.
pub const CURVE_BAND_H: f32 = 168.0;
/// Radius of a point of the emotion curve (hit-testing and drawing).
pub const CURVE_POINT_R: f32 = 6.0;
/// Width of the lane label column.
pub const LANE_HEADER_W: f32 = 168.0;
/// Height of the coloured theme stripe at the top of a card.
pub const THEME_STRIPE_H: f32 = 6.0;
/// Radius of the flow handle on a card's right edge (hit-testing and drawing).
pub const HANDLE_R: f32 = 7.0;
/// Radius of a flag icon on a card.
pub const FLAG_R: f32 = 8.0;
/// Padding inside a card.
pub const CARD_PAD: f32 = 10.0;

/// Title text on cards.
pub const CARD_TITLE_SIZE: f32 = 13.0;
/// Small text on cards (department, actor).
pub const CARD_META_SIZE: f32 = 10.0;
/// Stage names in the header row.
pub const STAGE_TITLE_SIZE: f32 = 17.0;
/// Lane names in the label column.
pub const LANE_TITLE_SIZE: f32 = 14.0;
/// Small captions (moment descriptions, lane kinds).
pub const CAPTION_SIZE: f32 = 10.5;
/// Lines of title shown on a card before the ellipsis.
pub const CARD_TITLE_LINES: usize = 3;

/// Opacity factor for cards outside the highlighted theme.
pub const DIM_FACTOR: f32 = 0.28;

/// The colours of one look (light for paper and daytime, dark for the screen at night).
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    pub dark: bool,
    /// Page and canvas background.
    pub background: Rgba,
    /// Lane bands alternate between these two fills.
    pub band: [Rgba; 2],
    /// Fill of the backstage lanes, below the line of visibility.
    pub backstage_band: Rgba,
    pub grid_line: Rgba,
    /// The dashed line between the customer's lanes and backstage.
    pub visibility_line: Rgba,
    pub stage_header_fill: Rgba,
    pub stage_header_text: Rgba,
    pub stage_header_caption: Rgba,
    pub lane_header_fill: Rgba,
    pub lane_header_text: Rgba,
    pub lane_header_caption: Rgba,
    pub card_fill: Rgba,
    pub card_border: Rgba,
    pub card_shadow: Rgba,
    /// Top stripe of a card that expresses no theme.
    pub card_no_theme: Rgba,
    pub text: Rgba,
    pub muted_text: Rgba,
    pub flow: Rgba,
    pub pain_point: Rgba,
    pub magic_moment: Rgba,
    pub memorabilia: Rgba,
    pub top_task: Rgba,
    pub finding: Rgba,
    /// Text and strokes drawn on top of the saturated icon fills.
    pub on_accent: Rgba,
    /// Emotion -2, -1, 0, +1, +2.
    pub emotion: [Rgba; 5],
    /// ZMOT, FMOT, SMOT, UMOT badges.
    pub moments: [Rgba; 4],
}

impl Palette {
    /// The print palette: white paper, dark text, calm greys.
    pub fn light() -> Self {
        Self {
            dark: false,
            background: Rgba::hex(0xffffff),
            band: [Rgba::hex(0xf5f7f9), Rgba::hex(0xfbfcfd)],
            backstage_band: Rgba::hex(0xeceff3),
            grid_line: Rgba::hex(0xd5dbe1),
            visibility_line: Rgba::hex(0x8a96a3),
            stage_header_fill: Rgba::hex(0x2b3640),
            stage_header_text: Rgba::hex(0xffffff),
            stage_header_caption: Rgba::hex(0xc3ccd5),
            lane_header_fill: Rgba::hex(0xe9edf1),
            lane_header_text: Rgba::hex(0x1f2933),
            lane_header_caption: Rgba::hex(0x66727e),
            card_fill: Rgba::hex(0xffffff),
            card_border: Rgba::hex(0xc3cbd3),
            card_shadow: Rgba::new(30, 41, 51, 22),
            card_no_theme: Rgba::hex(0xd5dbe1),
            text: Rgba::hex(0x1f2933),
            muted_text: Rgba::hex(0x5f6b77),
            flow: Rgba::hex(0x6f7c89),
            pain_point: Rgba::hex(0xd43f3a),
            magic_moment: Rgba::hex(0xd99a00),
            memorabilia: Rgba::hex(0x8a56c2),
            top_task: Rgba::hex(0x2f7fc1),
            finding: Rgba::hex(0xe8590c),
            on_accent: Rgba::hex(0xffffff),
            emotion: [
                Rgba::hex(0xc62828),
                Rgba::hex(0xef8a3a),
                Rgba::hex(0xa7b1bb),
                Rgba::hex(0x7cb342),
                Rgba::hex(0x2e9e5b),
            ],
            moments: [
                Rgba::hex(0x3d85c6),
                Rgba::hex(0xe69138),
                Rgba::hex(0x3d9970),
                Rgba::hex(0x9b59b6),
            ],
        }
    }

    /// The screen palette for dark mode; same meanings, lower glare.
    pub fn dark() -> Self {
        Self {
            dark: true,
            background: Rgba::hex(0x15191d),
            band: [Rgba::hex(0x1b2025), Rgba::hex(0x181c21)],
            backstage_band: Rgba::hex(0x111417),
            grid_line: Rgba::hex(0x2c333a),
            visibility_line: Rgba::hex(0x6b7681),
            stage_header_fill: Rgba::hex(0x2a323a),
            stage_header_text: Rgba::hex(0xf1f4f7),
            stage_header_caption: Rgba::hex(0x9aa6b2),
            lane_header_fill: Rgba::hex(0x20262c),
            lane_header_text: Rgba::hex(0xe3e8ed),
            lane_header_caption: Rgba::hex(0x8d99a5),
            card_fill: Rgba::hex(0x262d34),
            card_border: Rgba::hex(0x3b454f),
            card_shadow: Rgba::new(0, 0, 0, 60),
            card_no_theme: Rgba::hex(0x46515c),
            text: Rgba::hex(0xe8ecf0),
            muted_text: Rgba::hex(0x9ba7b3),
            flow: Rgba::hex(0x8995a1),
            pain_point: Rgba::hex(0xe5534b),
            magic_moment: Rgba::hex(0xe3b341),
            memorabilia: Rgba::hex(0xa77bd6),
            top_task: Rgba::hex(0x4a9be0),
            finding: Rgba::hex(0xf0883e),
            on_accent: Rgba::hex(0x101316),
            emotion: [
                Rgba::hex(0xe5534b),
                Rgba::hex(0xf0a35e),
                Rgba::hex(0x7d8894),
                Rgba::hex(0x98c966),
                Rgba::hex(0x4cc47f),
            ],
            moments: [
                Rgba::hex(0x5b9ad6),
                Rgba::hex(0xeca35a),
                Rgba::hex(0x52b788),
                Rgba::hex(0xb07cc9),
            ],
        }
    }

    /// The badge colour of a moment of truth.
    pub fn moment(&self, m: Moment) -> Rgba {
        match m {
            Moment::Zmot => self.moments[0],
            Moment::Fmot => self.moments[1],
            Moment::Smot => self.moments[2],
            Moment::Umot => self.moments[3],
        }
    }

    /// The colour of an emotion value (clamped to -2..=2).
    pub fn emotion(&self, emotion: i8) -> Rgba {
        let i = (i32::from(emotion).clamp(-2, 2) + 2) as usize;
        self.emotion[i]
    }

    /// A theme's colour as the document sets it; the same in both palettes so a theme is
    /// recognised on screen and on paper.
    pub fn theme(&self, theme: &Theme) -> Rgba {
        Rgba::from(theme.color)
    }

    /// Black or white, whichever reads better on `fill`.
    pub fn text_on(&self, fill: Rgba) -> Rgba {
        if fill.luminance() > 0.45 {
            Rgba::hex(0x1f2933)
        } else {
            Rgba::WHITE
        }
    }
}

impl Default for Palette {
    fn default() -> Self {
        Self::light()
    }
}

/// Dash pattern of dashed curves: drawn length, then gap.
pub const DASH: [f32; 2] = [6.0, 4.0];
/// Stroke width of flow arrows.
pub const FLOW_WIDTH: f32 = 1.6;
/// Stroke width of grid lines.
pub const GRID_WIDTH: f32 = 1.0;
