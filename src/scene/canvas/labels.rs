//! Flow labels: whole (wrapped, never cut short), each centred on its flow at the first
//! spot along it that covers no card and no label placed before it, inside the grid. A
//! label with no free spot sits at the middle of its flow. Drawn after the cards, so that
//! no card ever hides one. Built at full colour, like the cards.

use super::shapes::centered_text;
use crate::model::Document;
use crate::scene::geom::{Point, Rect};
use crate::scene::layout::Layout;
use crate::scene::style::{CAPTION_SIZE, LANE_HEADER_W, Palette, STAGE_HEADER_H};
use crate::scene::text::{self, Weight};
use crate::scene::{Detail, Item};
// Keys are squares of the canvas, looked up for every label placed.
use crate::IdMap as HashMap;

/// Widest line of a flow label before it wraps.
const LABEL_W: f32 = 180.0;

/// Where along a flow its label may sit, best first: the middle, then farther out.
const LABEL_T: [f32; 17] = [
    0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9,
];

/// Room around a label's lines: across (both sides together), and down.
const LABEL_PAD_X: f32 = 8.0;
const LABEL_PAD_Y: f32 = 2.0;
/// How far a label lifted off its flow clears it.
const LABEL_LIFT: f32 = 4.0;
/// How much of the background a label's box takes.
const LABEL_BACK_ALPHA: f32 = 0.9;
const LABEL_RADIUS: f32 = 3.0;

/// The labels of the flows given as (flow index, curve), in that order: for each, its
/// flow index and its items.
pub(super) fn flow_labels(
    doc: &Document,
    layout: &Layout,
    jobs: &[(u32, [Point; 4])],
    p: &Palette,
) -> Vec<(u32, Vec<Item>)> {
    let grid = layout.bounds();
    let inside = Rect::from_min_max(
        Point::new(grid.min.x + LANE_HEADER_W, grid.min.y + STAGE_HEADER_H),
        grid.max,
    );
    let lh = text::line_height(CAPTION_SIZE);
    let mut placed = Placed::default();
    let mut out = Vec::with_capacity(jobs.len());
    for &(flow, curve) in jobs {
        let label = doc.flows[flow as usize].label.trim();
        let lines = label_lines(label);
        let w = lines
            .iter()
            .map(|l| text::measure(l, CAPTION_SIZE, Weight::Regular))
            .fold(0.0, f32::max);
        let size = (w + LABEL_PAD_X, lines.len() as f32 * lh + LABEL_PAD_Y);
        let [from, c1, c2, to] = curve;
        // On the curve, or just above or below it (the label then reads as its caption).
        let lift = size.1 / 2.0 + LABEL_LIFT;
        let at = |t: f32, dy: f32| {
            let center = crate::scene::cubic_point(from, c1, c2, to, t).offset(0.0, dy);
            Rect::from_center_size(center, size.0, size.1)
        };
        let free = |r: &Rect| {
            inside.contains(r.min)
                && inside.contains(r.max)
                && !layout.overlaps_card(*r)
                && !placed.overlaps(r)
        };
        let back = [0.0, -lift, lift]
            .into_iter()
            .flat_map(|dy| LABEL_T.iter().map(move |&t| (t, dy)))
            .map(|(t, dy)| at(t, dy))
            .find(free)
            .unwrap_or_else(|| at(0.5, 0.0));
        placed.add(back);
        let mut items = vec![Item::Rect {
            rect: back,
            radius: LABEL_RADIUS,
            fill: p.background.faded(LABEL_BACK_ALPHA),
            stroke: None,
            detail: Detail::Readable,
        }];
        for (k, line) in lines.iter().enumerate() {
            let center = Point::new(back.center().x, back.min.y + 1.0 + (k as f32 + 0.5) * lh);
            let (size, weight) = (CAPTION_SIZE, Weight::Regular);
            items.push(centered_text(center, line, size, weight, p.muted_text));
        }
        out.push((flow, items));
    }
    out
}

/// A label's lines: wrapped at [`LABEL_W`], into lines of even length rather than a full
/// line and a last word alone.
fn label_lines(label: &str) -> Vec<String> {
    let mut lines = text::wrap(label, CAPTION_SIZE, Weight::Regular, LABEL_W, 0);
    if lines.len() > 1 {
        let total = text::measure(label, CAPTION_SIZE, Weight::Regular);
        let even = total / lines.len() as f32 + 0.1 * LABEL_W;
        let balanced = text::wrap(label, CAPTION_SIZE, Weight::Regular, even, 0);
        if balanced.len() == lines.len() {
            lines = balanced;
        }
    }
    lines
}

/// Label rectangles placed so far, filed by the 256-unit squares they touch, so that a
/// new label is checked against its neighbours only.
#[derive(Default)]
struct Placed {
    squares: HashMap<(i32, i32), Vec<Rect>>,
}

impl Placed {
    const SQUARE: f32 = 256.0;

    fn squares(r: &Rect) -> impl Iterator<Item = (i32, i32)> {
        let cell = |v: f32| (v / Self::SQUARE).floor() as i32;
        let (x0, x1, y0, y1) = (cell(r.min.x), cell(r.max.x), cell(r.min.y), cell(r.max.y));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn overlaps(&self, r: &Rect) -> bool {
        Self::squares(r).any(|k| {
            self.squares
                .get(&k)
                .is_some_and(|list| list.iter().any(|o| o.intersects(*r)))
        })
    }

    fn add(&mut self, r: Rect) {
        for k in Self::squares(&r) {
            self.squares.entry(k).or_default().push(r);
        }
    }
}
