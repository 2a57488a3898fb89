//! The emotion curve lane: a band under the header row where a smooth line joins the
//! emotions of the cards the guest lives, in journey order ([`crate::model::journey`]),
//! on a −2…+2 scale, with pain points and magic moments marked and the peaks and valleys
//! labelled with the card's short title.
//!
//! Points are spread evenly across their stage's column (several cards of one stage would
//! otherwise stack on one vertical), and their height comes from the document at every
//! rebuild, not from the layout: an emotion change moves a point without a new layout.
//! The editor hit-tests the same points ([`curve_points`], [`point_at`]) to select a card
//! or drag its emotion ([`emotion_at`]).
//!
//! With personas, each has its own line in its colour, through the cards that concern it
//! at the emotion they leave it with, and a legend under the band's title names them. A
//! card's points sit at one x, each persona's a few units apart so that equal emotions
//! stay visible side by side. In SVG, each line is a group `emotion-curve-PERSONA_ID`
//! inside `emotion-curve`, its points `emotion-point-PERSONA_ID-CARD_ID`.

use super::canvas::{FlagMark, centered_text, flag_mark};
use super::geom::{Point, Rect, Rgba};
use super::layout::Layout;
use super::style::{
    CAPTION_SIZE, CURVE_POINT_R, GRID_WIDTH, LANE_HEADER_W, LANE_TITLE_SIZE, Palette,
};
use super::text::{self, Weight};
use super::{Detail, Item};
use crate::model::{Document, EMOTION_MAX, EMOTION_MIN, journey};

mod layer;
pub use layer::{CurveLayer, POINT_READS};

/// Horizontal distance between two personas' points of one card: they touch, so that
/// equal emotions show side by side and no point hides another's centre.
const PERSONA_DX: f32 = CURVE_POINT_R * 2.0 + 2.0;

/// Room above the +2 line for the peaks' labels, and below the −2 line for the valleys'.
const LABEL_ROOM: f32 = 26.0;
/// Widest label of a peak or a valley.
const LABEL_MAX_W: f32 = 150.0;
/// Stroke width of the curve.
const CURVE_WIDTH: f32 = 2.5;

/// One point of the curve: a card the guest lives, where its emotion is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    /// Index of the card in `doc.touchpoints`.
    pub card: usize,
    /// Index of the persona in `doc.personas` whose line this is; `None` on a canvas
    /// without personas (one line, of the cards' own emotions).
    pub persona: Option<usize>,
    pub center: Point,
    pub emotion: i8,
}

/// The y of the +2 and the −2 lines in `band`.
fn scale(band: Rect) -> (f32, f32) {
    (band.min.y + LABEL_ROOM + 8.0, band.max.y - LABEL_ROOM - 6.0)
}

/// The y of emotion `e` in `band`.
pub fn emotion_y(band: Rect, e: f32) -> f32 {
    let (top, bottom) = scale(band);
    let span = f32::from(EMOTION_MAX - EMOTION_MIN);
    bottom - (e - f32::from(EMOTION_MIN)) / span * (bottom - top)
}

/// The whole emotion nearest to the height `y` in `band` (clamped to the scale): where a
/// dragged point lands.
pub fn emotion_at(band: Rect, y: f32) -> i8 {
    let (top, bottom) = scale(band);
    let span = f32::from(EMOTION_MAX - EMOTION_MIN);
    let e = f32::from(EMOTION_MIN) + (bottom - y) / (bottom - top).max(1.0) * span;
    let e = e
        .round()
        .clamp(f32::from(EMOTION_MIN), f32::from(EMOTION_MAX));
    // In range by the clamp above.
    e as i8
}

/// The points of the curve: each persona's line in turn (in the order of the personas),
/// each in journey order; one line when the canvas has no personas. None when the layout
/// has no curve band.
pub fn curve_points(doc: &Document, layout: &Layout) -> Vec<CurvePoint> {
    let Some(band) = layout.curve_band() else {
        return Vec::new();
    };
    let order = journey::guest_cards(doc);
    // Each card's x, spread evenly over its stage's column.
    let mut xs = Vec::with_capacity(order.len());
    let mut i = 0;
    while i < order.len() {
        let stage = &doc.touchpoints[order[i]].stage;
        let run = order[i..]
            .iter()
            .take_while(|&&c| doc.touchpoints[c].stage == *stage)
            .count();
        if let Some((x0, x1)) = layout.stage_span(stage) {
            let step = (x1 - x0) / run as f32;
            for (k, &card) in order[i..i + run].iter().enumerate() {
                xs.push((card, x0 + (k as f32 + 0.5) * step));
            }
        }
        i += run;
    }
    let point = |card: usize, persona: Option<usize>, x: f32, emotion: i8| CurvePoint {
        card,
        persona,
        center: Point::new(x, emotion_y(band, f32::from(emotion))),
        emotion,
    };
    if doc.personas.is_empty() {
        return xs
            .into_iter()
            .map(|(card, x)| point(card, None, x, doc.touchpoints[card].emotion))
            .collect();
    }
    let n = doc.personas.len();
    let mut points = Vec::with_capacity(xs.len() * n);
    for (k, persona) in doc.personas.iter().enumerate() {
        let dx = (k as f32 - (n - 1) as f32 / 2.0) * PERSONA_DX;
        for &(card, x) in &xs {
            let tp = &doc.touchpoints[card];
            if tp.concerns(&persona.id) {
                points.push(point(card, Some(k), x + dx, tp.emotion_for(&persona.id)));
            }
        }
    }
    points
}

/// The point under `p` (the nearest within reach), as an index into `points`.
pub fn point_at(points: &[CurvePoint], p: Point) -> Option<usize> {
    let reach = CURVE_POINT_R + 4.0;
    points
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (dx, dy) = (c.center.x - p.x, c.center.y - p.y);
            (i, dx * dx + dy * dy)
        })
        .filter(|&(_, d2)| d2 <= reach * reach)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Whether each point is a peak (`Some(true)`), a valley (`Some(false)`) or neither: the
/// first point of a run of equal emotions higher (lower) than the points on both sides of
/// the run (one side at the ends of the curve).
pub fn extremes(emotions: &[i8]) -> Vec<Option<bool>> {
    let mut out = vec![None; emotions.len()];
    let mut i = 0;
    while i < emotions.len() {
        let e = emotions[i];
        let run = emotions[i..].iter().take_while(|&&x| x == e).count();
        let before = i.checked_sub(1).map(|j| emotions[j]);
        let after = emotions.get(i + run).copied();
        if before.is_some() || after.is_some() {
            let above = before.is_none_or(|b| e > b) && after.is_none_or(|a| e > a);
            let below = before.is_none_or(|b| e < b) && after.is_none_or(|a| e < a);
            if above {
                out[i] = Some(true);
            } else if below {
                out[i] = Some(false);
            }
        }
        i += run;
    }
    out
}

/// Control points of a smooth curve through `points` (Catmull-Rom as cubic Béziers),
/// kept between `top` and `bottom` so the line never overshoots the scale.
fn smooth(points: &[Point], top: f32, bottom: f32) -> Vec<[Point; 4]> {
    let n = points.len();
    let clamp = |p: Point| Point::new(p.x, p.y.clamp(top, bottom));
    (0..n.saturating_sub(1))
        .map(|i| {
            let p0 = points[i.saturating_sub(1)];
            let (p1, p2) = (points[i], points[i + 1]);
            let p3 = points[(i + 2).min(n - 1)];
            let c1 = Point::new(p1.x + (p2.x - p0.x) / 6.0, p1.y + (p2.y - p0.y) / 6.0);
            let c2 = Point::new(p2.x - (p3.x - p1.x) / 6.0, p2.y - (p3.y - p1.y) / 6.0);
            [p1, clamp(c1), clamp(c2), p2]
        })
        .collect()
}

fn text_item(pos: Point, text: String, size: f32, weight: Weight, color: Rgba) -> Item {
    Item::Text {
        pos,
        text,
        size,
        weight,
        color,
        detail: Detail::Readable,
    }
}

/// The band's fill, drawn with the lane bands so the grid lines lie on top of it.
pub fn band_fill(layout: &Layout, p: &Palette, items: &mut Vec<Item>) {
    if let Some(band) = layout.curve_band() {
        items.push(Item::Rect {
            rect: Rect::from_min_max(Point::new(LANE_HEADER_W, band.min.y), band.max),
            radius: 0.0,
            fill: p.background,
            stroke: None,
            detail: Detail::Always,
        });
    }
}

/// Rectangles already taken on the band (points and labels), bucketed by square cells so
/// that a label is tested against its neighbours only: testing it against every point
/// made a curve of 100,000 cards take seconds.
#[derive(Default)]
struct Placed {
    rects: Vec<Rect>,
    /// The rectangles overlapping each cell, by index into `rects`.
    cells: crate::IdMap<(i32, i32), Vec<u32>>,
}

impl Placed {
    /// Side of a cell: about a label's height, so a label covers a few cells.
    const CELL: f32 = 24.0;

    /// The cells `r` overlaps, as ranges of column and row.
    fn span(r: Rect) -> (std::ops::RangeInclusive<i32>, std::ops::RangeInclusive<i32>) {
        // Canvas coordinates are far inside i32's range once divided by the cell.
        let cell = |v: f32| (v / Self::CELL).floor() as i32;
        (cell(r.min.x)..=cell(r.max.x), cell(r.min.y)..=cell(r.max.y))
    }

    fn insert(&mut self, r: Rect) {
        let i = u32::try_from(self.rects.len()).unwrap_or(u32::MAX);
        self.rects.push(r);
        let (cols, rows) = Self::span(r);
        for x in cols {
            for y in rows.clone() {
                self.cells.entry((x, y)).or_default().push(i);
            }
        }
    }

    /// Whether `r` overlaps a rectangle already placed.
    fn hits(&self, r: Rect) -> bool {
        let (cols, rows) = Self::span(r);
        cols.flat_map(|x| rows.clone().map(move |y| (x, y)))
            .filter_map(|cell| self.cells.get(&cell))
            .flatten()
            .any(|&i| self.rects[i as usize].intersects(r))
    }
}

/// A stage's points as dots, for labels to keep clear of: row by row of the band (a
/// point's height is its emotion's), in order along x, so that a label's box is checked
/// with a search per row rather than against every point of a big stage.
struct Dots {
    rows: Vec<(f32, Vec<f32>)>,
}

impl Dots {
    fn of(points: &[Vec<CurvePoint>]) -> Self {
        let mut rows: Vec<(f32, Vec<f32>)> = Vec::new();
        for c in points.iter().flatten() {
            let Point { x, y } = c.center;
            match rows.iter_mut().find(|(at, _)| *at == y) {
                Some((_, xs)) => xs.push(x),
                None => rows.push((y, vec![x])),
            }
        }
        for (_, xs) in &mut rows {
            xs.sort_unstable_by(f32::total_cmp);
        }
        Dots { rows }
    }

    /// Whether `r` overlaps a dot (a square of the point's diameter, as placed labels are
    /// boxes).
    fn hit(&self, r: Rect) -> bool {
        let half = CURVE_POINT_R;
        self.rows.iter().any(|(y, xs)| {
            if !(y - half < r.max.y && r.min.y < y + half) {
                return false;
            }
            let first = xs.partition_point(|&x| x + half <= r.min.x);
            xs.get(first).is_some_and(|&x| x - half < r.max.x)
        })
    }
}

/// The personas' legend, under the band's title in the lane column: a stroke of each
/// line's colour and the persona's name (as many as fit the band).
fn legend_items(doc: &Document, band: Rect, items: &mut Vec<Item>) {
    let h = text::line_height(CAPTION_SIZE);
    let mut y = band.min.y + 12.0 + text::line_height(LANE_TITLE_SIZE) + 4.0;
    // The values of the scale take the column's right edge.
    let width = LANE_HEADER_W - 16.0 - 24.0 - 40.0;
    for who in &doc.personas {
        if y + h > band.max.y - 4.0 {
            break;
        }
        let colour = Rgba::rgb(who.color.r, who.color.g, who.color.b);
        items.push(Item::Line {
            points: vec![Point::new(16.0, y + h / 2.0), Point::new(34.0, y + h / 2.0)],
            width: CURVE_WIDTH + 0.5,
            color: colour,
            detail: Detail::Always,
        });
        // The name up to its first comma or dash ("Marek", "The Nowak family"): the
        // column is narrow, and the inspector has the rest.
        let name = who.display_name();
        let short = name
            .split([',', '—', '(', ':'])
            .next()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(name);
        items.push(text_item(
            Point::new(40.0, y),
            text::ellipsize(short, CAPTION_SIZE, Weight::Regular, width),
            CAPTION_SIZE,
            Weight::Regular,
            colour,
        ));
        y += h + 2.0;
    }
}

/// A point: a dot in its emotion's colour (ringed in the persona's), or the pain point or
/// magic moment icon.
fn point_items(
    tp: &crate::model::Touchpoint,
    c: Point,
    emotion: i8,
    persona: Option<Rgba>,
    p: &Palette,
    items: &mut Vec<Item>,
) {
    let mark = if tp.flags.pain_point {
        Some(FlagMark::PainPoint)
    } else if tp.flags.magic_moment {
        Some(FlagMark::MagicMoment)
    } else {
        None
    };
    match mark {
        Some(mark) => {
            items.push(Item::Circle {
                center: c,
                radius: CURVE_POINT_R + 3.5,
                fill: p.background,
                stroke: None,
                detail: Detail::Always,
            });
            items.extend(flag_mark(mark, c, CURVE_POINT_R + 2.0, p, 1.0));
        }
        None => items.push(Item::Circle {
            center: c,
            radius: CURVE_POINT_R,
            fill: p.emotion(emotion),
            stroke: Some((2.0, persona.unwrap_or(p.background))),
            detail: Detail::Always,
        }),
    }
}

/// The scale: the band's title, a line per emotion (0 stronger), the values in the lane
/// column, and the band's bottom edge.
fn scale_items(band: Rect, p: &Palette, items: &mut Vec<Item>) {
    items.push(Item::Rect {
        rect: Rect::from_min_max(band.min, Point::new(LANE_HEADER_W, band.max.y)),
        radius: 0.0,
        fill: p.lane_header_fill,
        stroke: None,
        detail: Detail::Always,
    });
    items.push(text_item(
        Point::new(16.0, band.min.y + 12.0),
        "Emotion".to_owned(),
        LANE_TITLE_SIZE,
        Weight::Bold,
        p.lane_header_text,
    ));
    for e in EMOTION_MIN..=EMOTION_MAX {
        let y = emotion_y(band, f32::from(e));
        let (width, color) = if e == 0 {
            (GRID_WIDTH * 1.5, p.visibility_line.faded(0.7))
        } else {
            (GRID_WIDTH, p.grid_line)
        };
        items.push(Item::Line {
            points: vec![Point::new(LANE_HEADER_W, y), Point::new(band.max.x, y)],
            width,
            color,
            detail: Detail::Always,
        });
        let value = match e {
            0 => "0".to_owned(),
            // A hyphen for the minus: the embedded font has no U+2212.
            e => format!("{e:+}"),
        };
        let w = text::measure(&value, CAPTION_SIZE, Weight::Bold);
        items.push(text_item(
            Point::new(
                LANE_HEADER_W - 12.0 - w,
                y - text::line_height(CAPTION_SIZE) / 2.0,
            ),
            value,
            CAPTION_SIZE,
            Weight::Bold,
            p.emotion(e),
        ));
    }
    items.push(Item::Line {
        points: vec![
            Point::new(0.0, band.max.y),
            Point::new(band.max.x, band.max.y),
        ],
        width: GRID_WIDTH,
        color: p.grid_line,
        detail: Detail::Always,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{StageId, Touchpoint, TouchpointId};

    #[test]
    fn peaks_and_valleys_are_the_first_of_their_runs() {
        use std::option::Option::None as N;
        let t = Some(true);
        let f = Some(false);
        assert_eq!(extremes(&[0, 2, 2, -1, 1]), [f, t, N, f, t]);
        assert_eq!(extremes(&[1, 1, 1]), [N, N, N]);
        assert_eq!(extremes(&[1]), [N]);
        assert_eq!(extremes(&[]), Vec::<Option<bool>>::new());
    }

    #[test]
    fn a_height_in_the_band_is_the_nearest_whole_emotion() {
        let band = Rect::from_min_size(Point::new(0.0, 72.0), 800.0, 168.0);
        for e in EMOTION_MIN..=EMOTION_MAX {
            let y = emotion_y(band, f32::from(e));
            assert_eq!(emotion_at(band, y), e);
            assert_eq!(emotion_at(band, y + 3.0), e);
        }
        assert_eq!(emotion_at(band, band.min.y - 100.0), EMOTION_MAX);
        assert_eq!(emotion_at(band, band.max.y + 100.0), EMOTION_MIN);
        assert!(emotion_y(band, 2.0) < emotion_y(band, -2.0), "+2 is up");
    }

    #[test]
    fn points_follow_the_journey_inside_their_stage_columns() {
        let mut doc = Document::new_canvas();
        for (id, stage, lane, e) in [
            ("b", "discover", "store", -1),
            ("a", "discover", "web", 2),
            ("c", "share", "web", 1),
        ] {
            let mut tp = Touchpoint::new(
                TouchpointId::from(id),
                id,
                StageId::from(stage),
                lane.into(),
            );
            tp.emotion = e;
            doc.touchpoints.push(tp);
        }
        assert!(
            curve_points(&doc, &Layout::compute(&doc)).is_empty(),
            "no band, no points"
        );
        let layout = Layout::compute_with(&doc, true);
        let band = layout.curve_band().expect("band");
        let points = curve_points(&doc, &layout);
        let order: Vec<&str> = points
            .iter()
            .map(|c| doc.touchpoints[c.card].id.as_str())
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
        let (x0, x1) = layout
            .stage_span(&StageId::from("discover"))
            .expect("stage");
        assert!(points[0].center.x > x0 && points[1].center.x < x1);
        assert!(points[0].center.x < points[1].center.x);
        assert_eq!(points[0].center.y, emotion_y(band, 2.0));
        assert!(band.contains(points[1].center));
        assert_eq!(
            point_at(&points, points[2].center.offset(2.0, -3.0)),
            Some(2)
        );
        assert_eq!(point_at(&points, points[2].center.offset(0.0, 40.0)), None);
        // The lanes start under the band.
        let web = layout.lane_header(&"web".into()).expect("lane");
        assert!(web.min.y >= band.max.y);
    }

    #[test]
    fn a_layout_updated_in_place_keeps_the_band() {
        let mut doc = Document::new_canvas();
        for (id, stage) in [("a", "discover"), ("b", "choose")] {
            doc.touchpoints.push(Touchpoint::new(
                TouchpointId::from(id),
                id,
                StageId::from(stage),
                "web".into(),
            ));
        }
        let mut layout = Layout::compute_with(&doc, true);
        doc.touchpoints[1].lane = "store".into();
        layout.update(&doc, &[1]).expect("updated in place");
        assert_eq!(layout, Layout::compute_with(&doc, true));
    }
}
