//! Stages drawn when they are shown. An edit places again the points of the stages it
//! touched (clicks and the stages around read them), but draws their segments, points and
//! labels only when the screen shows them or a file needs them: on a big canvas a stage
//! holds thousands of points and most stages an edit touches lie off screen, where drawing
//! them was most of a card move's frame.
//!
//! Until then a stage's part is *stale*: no items, and bounds that hold whatever it will
//! draw, so that the scene's index finds it wherever it will show.

use super::CurveLayer;
use crate::model::Document;
use crate::scene::curve::CURVE_POINT_R;
use crate::scene::geom::{Point, Rect};
use crate::scene::layout::Layout;

/// How far a stage's items reach past its points and column: a flagged point's ring, a
/// label's box, and a segment's width.
const REACH: f32 = CURVE_POINT_R + 8.0;

impl CurveLayer {
    /// Leaves stage `s` to be drawn when shown: its items go, its bounds become those of
    /// whatever it will draw. A stage without points draws nothing, so it is drawn (to
    /// nothing) at once.
    pub(super) fn defer(&mut self, doc: &Document, layout: &Layout, s: usize) {
        let Some(bounds) = self.stale_bounds(layout, s) else {
            self.draw_stage(doc, layout, s);
            return;
        };
        let part = &mut self.stages[s];
        part.clear_drawing();
        part.bounds = bounds;
        part.stale = true;
    }

    /// Bounds that hold all stage `s` will draw (`None` when it draws nothing): the
    /// points of its lines' windows (a segment's controls stray from its ends by at most a
    /// sixth of the window's width, see `smooth`), its column (labels stay in it), and the
    /// band's height (points, controls and labels stay in it).
    fn stale_bounds(&self, layout: &Layout, s: usize) -> Option<Rect> {
        let band = self.band?;
        if self.stages[s].points.iter().all(Vec::is_empty) {
            return None;
        }
        let (x0, x1) = layout.stage_span_at(s).unwrap_or((0.0, 0.0));
        let (mut lo, mut hi) = (x0, x1);
        for k in 0..self.lines.len() {
            let (window, _) = self.window(k, s);
            for p in &window {
                lo = lo.min(p.center.x);
                hi = hi.max(p.center.x);
            }
        }
        let stray = (hi - lo) / 6.0;
        let reach = Rect::from_min_max(
            Point::new(lo - stray, band.min.y),
            Point::new(hi + stray, band.max.y),
        );
        Some(reach.expand(REACH))
    }

    /// Draws the stale stages whose bounds meet `within` (the part of the canvas shown).
    /// Gives the stages drawn, whose bounds are now their items'.
    pub fn draw_stale(&mut self, doc: &Document, layout: &Layout, within: Rect) -> Vec<usize> {
        let shown: Vec<usize> = (0..self.stages.len())
            .filter(|&s| self.stages[s].stale && self.stages[s].bounds.intersects(within))
            .collect();
        for &s in &shown {
            self.draw_stage(doc, layout, s);
        }
        shown
    }

    /// Draws every stale stage (before the layer is flattened for a file). Gives the
    /// stages drawn.
    pub fn draw_all_stale(&mut self, doc: &Document, layout: &Layout) -> Vec<usize> {
        let stale: Vec<usize> = (0..self.stages.len())
            .filter(|&s| self.stages[s].stale)
            .collect();
        for &s in &stale {
            self.draw_stage(doc, layout, s);
        }
        stale
    }

    /// Whether some stage waits to be drawn.
    pub fn has_stale(&self) -> bool {
        self.stages.iter().any(|p| p.stale)
    }
}
