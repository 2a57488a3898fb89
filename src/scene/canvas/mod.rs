//! Builds the canvas scene from a document and its layout: the grid with its headers,
//! the emotion curve's layer when the layout has its band (`scene::curve`), flows, cards
//! with their themes, emotion, evidence and flags, and flow labels.
//!
//! The same code draws the editor's canvas and the exported pages: the editor keeps a
//! [`LiveScene`] and updates it edit by edit; [`build_canvas`] builds one and flattens it
//! into the item list the exports draw. Costs are linear in the document.
//!
//! | file | draws |
//! |---|---|
//! | `grid` | background, lane bands (and the curve band's fill), grid lines, header row, lane column, frame |
//! | `card` | a card's items, the flag and evidence marks (also used by the legend), hatching |
//! | `flow` | a flow's arrow |
//! | `labels` | flow labels, placed clear of cards and of each other |
//! | `live` | the scene kept element by element, its index, dimming, flattening |
//! | `shapes` | small item constructors |

mod card;
mod finding_counts;
mod flow;
mod grid;
mod labels;
mod live;
mod shapes;
#[cfg(test)]
mod tests;

pub use card::{EVIDENCE_R, EVIDENCE_X, FlagMark, evidence_mark, flag_mark, hatch_lines};
pub use grid::{header_row_items, lane_column_items};
pub use live::{Dimming, LiveScene, Redrawn, layer};
pub(crate) use shapes::centered_text;

use super::Scene;
use super::layout::Layout;
use super::style::Palette;
use crate::model::{Document, ThemeId};
use crate::scoring::Report;

/// What to draw besides the document itself.
#[derive(Clone, Copy, Debug)]
pub struct CanvasOptions<'a> {
    pub palette: &'a Palette,
    /// The coherence report, for finding markers on the cards it names.
    pub report: Option<&'a Report>,
    /// When set, cards that do not express this theme (and their flows) are dimmed.
    pub highlight_theme: Option<&'a ThemeId>,
    /// Whether to draw a marker with the number of findings on cards a finding names.
    pub finding_markers: bool,
    /// Whether to hatch the cards whose evidence is assumed (a poster option).
    pub hatch_assumed: bool,
}

impl<'a> CanvasOptions<'a> {
    /// The canvas alone: no report, no highlighted theme, no finding markers.
    pub fn plain(palette: &'a Palette) -> Self {
        Self {
            palette,
            report: None,
            highlight_theme: None,
            finding_markers: false,
            hatch_assumed: false,
        }
    }
}

/// Draws the whole canvas: the grid with its headers, the emotion curve (when the layout
/// has its band), flows, cards and flow labels.
pub fn build_canvas(doc: &Document, layout: &Layout, opts: &CanvasOptions) -> Scene {
    let report = opts.report.filter(|_| opts.finding_markers);
    let scene = LiveScene::build_with(doc, layout, opts.palette, report, opts.hatch_assumed);
    let dimming = opts.highlight_theme.map(|t| scene.dimming(t));
    scene.flatten(dimming.as_ref())
}
