//! The labels of a stage's peaks and valleys: each inside the stage's column, clear of
//! its points and of the labels placed before it, so that which labels fit is decided
//! stage by stage.

use super::{CurveLayer, StagePart};
use crate::model::Document;
use crate::scene::curve::{
    CAPTION_SIZE, CURVE_POINT_R, CurvePoint, Dots, LABEL_MAX_W, PERSONA_DX, Placed, centered_text,
    extremes,
};
use crate::scene::geom::{Point, Rect};
use crate::scene::layout::Layout;
use crate::scene::text::{self, Weight};
use crate::scene::{Detail, Item};

impl CurveLayer {
    /// Labels the peaks and valleys of stage `s`, line by line, each inside the stage's
    /// column and clear of the stage's points and of the labels placed before it; a card
    /// is labelled once.
    pub(super) fn label_stage(
        &self,
        doc: &Document,
        layout: &Layout,
        s: usize,
        windows: &[(Vec<CurvePoint>, usize)],
        part: &mut StagePart,
    ) {
        let Some(band) = self.band else {
            return;
        };
        let p = &self.palette;
        let (x0, x1) = layout.stage_span_at(s).unwrap_or((0.0, 0.0));
        // Other stages' points reach this far into the column (a persona's line is drawn
        // a little apart from the others), so labels keep this far from its edges.
        let spread = (self.lines.len().saturating_sub(1)) as f32 / 2.0 * PERSONA_DX;
        let margin = spread + CURVE_POINT_R + 1.0;
        let (left, right) = (x0 + margin, x1 - margin);
        // The labels placed so far; the points are looked up row by row (see `Dots`).
        let mut placed = Placed::default();
        let dots = Dots::of(&part.points);
        let taken = |placed: &Placed, r: Rect| placed.hits(r) || dots.hit(r);
        let mut labelled: Vec<usize> = Vec::new();
        let h = text::line_height(CAPTION_SIZE);
        for (line, (window, own)) in windows.iter().enumerate() {
            let start = part.items.len();
            let emotions: Vec<i8> = window.iter().map(|c| c.emotion).collect();
            let kinds = extremes(&emotions);
            for k in *own..*own + part.points[line].len() {
                let point = window[k];
                let Some(peak) = kinds[k] else { continue };
                part.titled.push(point.card);
                if labelled.contains(&point.card) {
                    continue;
                }
                let centers = |j: usize| window.get(j).map(|c| c.center);
                let spacing = match (k.checked_sub(1).and_then(centers), centers(k + 1)) {
                    (Some(a), Some(b)) => (b.x - a.x) / 2.0,
                    (Some(a), None) => point.center.x - a.x,
                    (None, Some(b)) => b.x - point.center.x,
                    (None, None) => LABEL_MAX_W,
                };
                let room = right - left - 6.0;
                let width = (spacing * 1.6).clamp(60.0, LABEL_MAX_W).min(room);
                if width < 24.0 {
                    continue;
                }
                let y = if peak {
                    (point.center.y - CURVE_POINT_R - 6.0 - h / 2.0).max(band.min.y + h / 2.0 + 2.0)
                } else {
                    (point.center.y + CURVE_POINT_R + 6.0 + h / 2.0).min(band.max.y - h / 2.0 - 2.0)
                };
                // Whatever its text, the label's box covers this sliver (the box is
                // centred on the point, kept inside the column, and at least as wide): when
                // the sliver is taken, so is the box, and the title need not be measured.
                // On a dense stage most peaks and valleys end here.
                let x = point.center.x.min(right - 3.0).max(left + 3.0);
                if taken(&placed, Rect::from_center_size(Point::new(x, y), 6.0, h)) {
                    continue;
                }
                let tp = &doc.touchpoints[point.card];
                let title = if tp.title.trim().is_empty() {
                    "(untitled)"
                } else {
                    tp.title.trim()
                };
                let label = text::ellipsize(title, CAPTION_SIZE, Weight::Bold, width);
                let half = text::measure(&label, CAPTION_SIZE, Weight::Bold) / 2.0;
                let x = point
                    .center
                    .x
                    .min(right - half - 3.0)
                    .max(left + half + 3.0);
                let rect = Rect::from_center_size(Point::new(x, y), half * 2.0 + 6.0, h);
                if taken(&placed, rect) {
                    continue;
                }
                labelled.push(point.card);
                placed.insert(rect);
                part.items.push(Item::Rect {
                    rect: rect.expand(1.0),
                    radius: 3.0,
                    fill: p.background.faded(0.85),
                    stroke: None,
                    detail: Detail::Always,
                });
                part.items.push(centered_text(
                    Point::new(x, y),
                    &label,
                    CAPTION_SIZE,
                    Weight::Bold,
                    p.text,
                ));
            }
            part.labels.push(start..part.items.len());
        }
    }
}
