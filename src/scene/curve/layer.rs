//! The emotion curve's layer kept stage by stage, so that an edit draws again only the
//! stages it touched. A stage's part of the curve (each line's points in its column, the
//! line's segments from them, the labels of its peaks and valleys) depends on its own
//! cards and on a few points of the stages around it: the point before (where a segment
//! comes from, whether a run of equal emotions starts here), the two after (where the
//! last segment bends) and, for a run of equal emotions that reaches the stage's end, the
//! first point after the run (whether the run is a peak). Labels stay over their own
//! stage's column, clear of every other stage's points, so that which labels fit is
//! decided stage by stage.
//!
//! [`CurveLayer::flatten_into`] gives the layer as one run of items with its groups, in
//! the order files show it (every line, then each line's points, then the labels); the
//! screen paints it stage by stage ([`CurveLayer::element`]), each stage's segments under
//! its points under its labels.

use super::{
    CAPTION_SIZE, CURVE_POINT_R, CurvePoint, PERSONA_DX, emotion_y, legend_items, point_items,
    scale_items, smooth, text_item,
};
use crate::edit::Fields;
use crate::model::{Actor, Document, journey};
use crate::scene::geom::{Point, Rect, Rgba};
use crate::scene::layout::Layout;
use crate::scene::style::{LANE_HEADER_W, Palette};
use crate::scene::text::Weight;
use crate::scene::{Detail, Group, GroupId, Item, begin};
use std::ops::Range;

/// The fields of a card that decide where its points are and how they look.
pub const POINT_READS: Fields = Fields::STAGE
    .or(Fields::LANE)
    .or(Fields::POSITION)
    .or(Fields::KIND)
    .or(Fields::ACTOR)
    .or(Fields::EMOTION)
    .or(Fields::FLAGS);

/// One line of the curve: a persona's (its id and colour), or the cards' own emotions.
#[derive(Clone, Debug)]
struct Line {
    persona: Option<crate::model::PersonaId>,
    colour: Option<Rgba>,
}

/// One stage's part of the curve.
#[derive(Clone, Debug, Default)]
struct StagePart {
    /// Each line's points in this stage, in journey order.
    points: Vec<Vec<CurvePoint>>,
    /// In painting order: every line's segments, then every line's points, then labels.
    items: Vec<Item>,
    /// Each line's runs of `items`.
    segments: Vec<Range<usize>>,
    dots: Vec<Range<usize>>,
    labels: Vec<Range<usize>>,
    /// Each point's group (`emotion-point-…`), starting in `items`.
    groups: Vec<Group>,
    /// The cards at a peak or a valley of some line (ascending): a new title there may
    /// change which labels fit.
    titled: Vec<usize>,
    bounds: Rect,
    /// Whether the part waits to be drawn (its points are placed, its items empty, its
    /// bounds hold whatever it will draw): see `deferred.rs`.
    stale: bool,
}

impl StagePart {
    /// Empties what was drawn (items, their runs and groups, the labelled cards), keeping
    /// the points and the lists' room.
    fn clear_drawing(&mut self) {
        self.items.clear();
        self.segments.clear();
        self.dots.clear();
        self.labels.clear();
        self.groups.clear();
        self.titled.clear();
    }
}

mod deferred;
mod labels;
mod splice;
mod tail;

/// The emotion curve's layer of a document, kept between edits.
#[derive(Clone, Debug, Default)]
pub struct CurveLayer {
    band: Option<Rect>,
    palette: Palette,
    /// The scale and the legend.
    head: Vec<Item>,
    /// What the band says while no card draws a point.
    empty: Option<Item>,
    lines: Vec<Line>,
    /// Whose journey the curve draws, and how many cards a customer lives: the guest is
    /// the customer while there is one, the employee otherwise.
    guest: Option<Actor>,
    customers: usize,
    /// Each card's actor when it faces the guest's side of the canvas (laid out, not
    /// backstage), and its stage when laid out (`u32::MAX`: not laid out).
    front: Vec<Option<Actor>>,
    stage_of: Vec<u32>,
    stages: Vec<StagePart>,
    /// Points over every stage and line.
    points: usize,
}

/// The actor of card `i` when it is in front of the stage (laid out, neither it nor its
/// lane backstage), as [`crate::model::journey`] reads it.
fn front_actor(doc: &Document, layout: &Layout, i: usize) -> Option<Actor> {
    let tp = doc.touchpoints.get(i)?;
    let (_, lane) = layout.card_cell_at(i)?;
    journey::front_actor(tp, doc.lanes.get(lane)?.kind)
}

fn narrow(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl CurveLayer {
    /// The layer of `doc` laid out as `layout` (empty when the layout has no band).
    pub fn build(doc: &Document, layout: &Layout, palette: &Palette) -> Self {
        let n = doc.touchpoints.len();
        let mut layer = CurveLayer {
            band: layout.curve_band(),
            palette: palette.clone(),
            front: (0..n).map(|i| front_actor(doc, layout, i)).collect(),
            stage_of: (0..n)
                .map(|i| layout.card_cell_at(i).map_or(u32::MAX, |(s, _)| narrow(s)))
                .collect(),
            ..Self::default()
        };
        let Some(band) = layer.band else {
            return layer;
        };
        layer.customers = layer
            .front
            .iter()
            .filter(|a| **a == Some(Actor::Customer))
            .count();
        layer.guest = Some(layer.guest_now());
        scale_items(band, palette, &mut layer.head);
        legend_items(doc, band, &mut layer.head);
        layer.empty = Some(text_item(
            Point::new(LANE_HEADER_W + 16.0, emotion_y(band, 0.0) - 8.0),
            "No customer-facing cards yet: their emotions draw the curve here.".to_owned(),
            CAPTION_SIZE,
            Weight::Regular,
            palette.muted_text,
        ));
        layer.lines = if doc.personas.is_empty() {
            vec![Line {
                persona: None,
                colour: None,
            }]
        } else {
            doc.personas
                .iter()
                .map(|w| Line {
                    persona: Some(w.id.clone()),
                    colour: Some(Rgba::rgb(w.color.r, w.color.g, w.color.b)),
                })
                .collect()
        };
        let count = layout.stages().len();
        layer.stages = vec![StagePart::default(); count];
        for s in 0..count {
            layer.place_points(doc, layout, s);
        }
        for s in 0..count {
            layer.draw_stage(doc, layout, s);
        }
        layer.points = layer.count_points();
        layer
    }

    /// Number of cards it knows (laid out or not).
    pub fn cards(&self) -> usize {
        self.front.len()
    }

    fn guest_now(&self) -> Actor {
        if self.customers > 0 {
            Actor::Customer
        } else {
            Actor::Employee
        }
    }

    fn count_points(&self) -> usize {
        self.stages
            .iter()
            .flat_map(|s| &s.points)
            .map(Vec::len)
            .sum()
    }

    /// Follows edits to the cards at `cards` (replaced in place; `fields` what changed in
    /// them) on a layout whose columns kept their sizes. Gives the stages drawn again
    /// (ascending), or `None` when the layer must be built anew (the guest changed side).
    pub fn update(
        &mut self,
        doc: &Document,
        layout: &Layout,
        cards: &[usize],
        fields: Fields,
    ) -> Option<Vec<usize>> {
        if self.band.is_none() || self.band != layout.curve_band() {
            return (self.band == layout.curve_band()).then(Vec::new);
        }
        let (moved, retitled) = self.follow_cards(doc, layout, cards, fields)?;
        if Some(self.guest_now()) != self.guest {
            return None;
        }
        Some(self.redraw(doc, layout, moved, retitled))
    }

    /// Follows the edits in place of `cards`: gives the stages their points left or
    /// joined, and those where a labelled card was retitled.
    fn follow_cards(
        &mut self,
        doc: &Document,
        layout: &Layout,
        cards: &[usize],
        fields: Fields,
    ) -> Option<(Vec<usize>, Vec<usize>)> {
        let mut moved = Vec::new();
        let mut retitled = Vec::new();
        for &i in cards {
            let old_stage = *self.stage_of.get(i)?;
            if fields.meets(POINT_READS) {
                let front = front_actor(doc, layout, i);
                let old = std::mem::replace(&mut self.front[i], front);
                self.customers = self.customers + usize::from(front == Some(Actor::Customer))
                    - usize::from(old == Some(Actor::Customer));
                let stage = layout.card_cell_at(i).map_or(u32::MAX, |(s, _)| narrow(s));
                self.stage_of[i] = stage;
                moved.extend([old_stage, stage].map(|s| s as usize));
            } else if fields.meets(Fields::TITLE)
                && let Some(part) = self.stages.get(old_stage as usize)
                && part.titled.binary_search(&i).is_ok()
            {
                retitled.push(old_stage as usize);
            }
        }
        Some((moved, retitled))
    }

    /// Places again the points of the stages in `moved`, and leaves those stages, those
    /// that read their points, and the `retitled` ones to be drawn again when shown
    /// ([`CurveLayer::draw_stale`]). Gives those stages.
    fn redraw(
        &mut self,
        doc: &Document,
        layout: &Layout,
        mut moved: Vec<usize>,
        retitled: Vec<usize>,
    ) -> Vec<usize> {
        moved.retain(|&s| s < self.stages.len());
        moved.sort_unstable();
        moved.dedup();
        for &s in &moved {
            self.place_points(doc, layout, s);
        }
        let mut redraw = retitled;
        for &s in &moved {
            self.around(s, &mut redraw);
        }
        redraw.sort_unstable();
        redraw.dedup();
        for &s in &redraw {
            self.defer(doc, layout, s);
        }
        self.points = self.count_points();
        redraw
    }

    /// Adds to `out` stage `s` and the stages whose part reads one of its points: on each
    /// line, the first stage after it with points, and the stages before it back to the
    /// first with two points of different emotions (a run of equal emotions, or fewer than
    /// two points, lets a stage further back see past it).
    fn around(&self, s: usize, out: &mut Vec<usize>) {
        out.push(s);
        for k in 0..self.lines.len() {
            let on = |t: usize| &self.stages[t].points[k];
            if let Some(t) = (s + 1..self.stages.len()).find(|&t| !on(t).is_empty()) {
                out.push(t);
            }
            for t in (0..s).rev() {
                let pts = on(t);
                if pts.is_empty() {
                    continue;
                }
                out.push(t);
                let uniform = pts.iter().all(|p| p.emotion == pts[0].emotion);
                if pts.len() >= 2 && !uniform {
                    break;
                }
            }
        }
    }

    /// Works out the points of stage `s`: its cards the guest lives, in journey order,
    /// spread evenly over its column, one point per line that the card is part of.
    fn place_points(&mut self, doc: &Document, layout: &Layout, s: usize) {
        let (Some(band), Some(guest)) = (self.band, self.guest) else {
            return;
        };
        let mut order: Vec<journey::Place> = layout
            .stage_cards_at(s)
            .filter(|&i| self.front[i] == Some(guest))
            .filter_map(|i| {
                let (_, lane) = layout.card_cell_at(i)?;
                Some(journey::Place::of(s, lane, &doc.touchpoints[i], i))
            })
            .collect();
        order.sort_by(journey::Place::order);
        let (x0, x1) = layout.stage_span_at(s).unwrap_or((0.0, 0.0));
        let step = (x1 - x0) / order.len().max(1) as f32;
        let n = self.lines.len();
        let points = self
            .lines
            .iter()
            .enumerate()
            .map(|(k, line)| {
                let dx = if line.persona.is_some() {
                    (k as f32 - (n - 1) as f32 / 2.0) * PERSONA_DX
                } else {
                    0.0
                };
                order
                    .iter()
                    .enumerate()
                    .filter_map(|(j, place)| {
                        let card = place.index;
                        let tp = &doc.touchpoints[card];
                        let emotion = match &line.persona {
                            None => tp.emotion,
                            Some(p) if tp.concerns(p) => tp.emotion_for(p),
                            Some(_) => return None,
                        };
                        let x = x0 + (j as f32 + 0.5) * step + dx;
                        Some(CurvePoint {
                            card,
                            persona: line.persona.as_ref().map(|_| k),
                            center: Point::new(x, emotion_y(band, f32::from(emotion))),
                            emotion,
                        })
                    })
                    .collect()
            })
            .collect();
        self.stages[s].points = points;
    }

    /// Line `k`'s points around stage `s`: the last point before it (if any), then its
    /// own, then the points after it up to the second and up to the first whose emotion
    /// differs from its last point's. Gives the window and where the stage's own start.
    fn window(&self, k: usize, s: usize) -> (Vec<CurvePoint>, usize) {
        let on = |t: usize| &self.stages[t].points[k];
        let mut window = Vec::new();
        if let Some(prev) = (0..s).rev().find_map(|t| on(t).last()) {
            window.push(*prev);
        }
        let own = window.len();
        window.extend_from_slice(on(s));
        let Some(last) = window.last().map(|p| p.emotion) else {
            return (window, own);
        };
        let (mut after, mut differs) = (0, false);
        'stages: for t in s + 1..self.stages.len() {
            for p in on(t) {
                if after >= 2 && differs {
                    break 'stages;
                }
                window.push(*p);
                after += 1;
                differs |= p.emotion != last;
            }
        }
        (window, own)
    }

    /// Draws stage `s`'s part from its points and those around it.
    fn draw_stage(&mut self, doc: &Document, layout: &Layout, s: usize) {
        let Some(band) = self.band else {
            return;
        };
        let (top, bottom) = super::scale(band);
        let p = &self.palette;
        let windows: Vec<(Vec<CurvePoint>, usize)> =
            (0..self.lines.len()).map(|k| self.window(k, s)).collect();
        // The part drawn last time, emptied: its lists are about as long as the new
        // ones, and a big stage's items grown one by one from nothing were most of a
        // stage's redraw.
        let mut part = std::mem::take(&mut self.stages[s]);
        part.clear_drawing();
        for (k, (window, own)) in windows.iter().enumerate() {
            let start = part.items.len();
            let centers: Vec<Point> = window.iter().map(|c| c.center).collect();
            let colour = self.lines[k].colour.unwrap_or_else(|| p.text.faded(0.75));
            let mine = *own..*own + part.points[k].len();
            for (i, [from, ctrl1, ctrl2, to]) in
                smooth(&centers, top, bottom).into_iter().enumerate()
            {
                if mine.contains(&i) {
                    part.items.push(Item::Curve {
                        from,
                        ctrl1,
                        ctrl2,
                        to,
                        width: super::CURVE_WIDTH,
                        color: colour,
                        arrow_head: false,
                        dashed: false,
                        detail: Detail::Always,
                    });
                }
            }
            part.segments.push(start..part.items.len());
        }
        for (k, line) in self.lines.iter().enumerate() {
            let start = part.items.len();
            for point in &part.points[k] {
                let tp = &doc.touchpoints[point.card];
                let id = GroupId::EmotionPoint {
                    persona: line.persona.as_ref().map(|_| narrow(k)),
                    card: narrow(point.card),
                };
                begin(&mut part.groups, part.items.len(), id);
                point_items(
                    tp,
                    point.center,
                    point.emotion,
                    line.colour,
                    p,
                    &mut part.items,
                );
            }
            part.dots.push(start..part.items.len());
        }
        self.label_stage(doc, layout, s, &windows, &mut part);
        part.titled.sort_unstable();
        part.titled.dedup();
        part.bounds = part
            .items
            .iter()
            .fold(Rect::NOTHING, |acc, item| acc.union(item.bounds()));
        part.stale = false;
        self.stages[s] = part;
    }

    /// How many elements [`CurveLayer::element`] tells apart: each item of the scale and
    /// the legend, the empty band's message, and each stage's part.
    pub fn elements(&self) -> usize {
        self.head.len() + 1 + self.stages.len()
    }

    /// Element `e`'s items (none for the message while points are drawn, or for an
    /// element past the end).
    pub fn element(&self, e: usize) -> &[Item] {
        let h = self.head.len();
        if e < h {
            std::slice::from_ref(&self.head[e])
        } else if e == h {
            match &self.empty {
                Some(message) if self.points == 0 => std::slice::from_ref(message),
                _ => &[],
            }
        } else {
            self.stages
                .get(e - h - 1)
                .map_or(&[], |s| s.items.as_slice())
        }
    }

    /// Element `e`'s bounds.
    pub fn element_bounds(&self, e: usize) -> Rect {
        match self.stages.get(e.wrapping_sub(self.head.len() + 1)) {
            Some(part) => part.bounds,
            None => self
                .element(e)
                .iter()
                .fold(Rect::NOTHING, |acc, item| acc.union(item.bounds())),
        }
    }

    /// The point under `p` (the nearest within reach; the first line's on a tie), from the
    /// stages near it: what a click or a drag on the curve picks, as
    /// [`super::point_at`] picks it among all the curve's points.
    pub fn point_at(&self, p: Point) -> Option<CurvePoint> {
        let reach = CURVE_POINT_R + 4.0;
        let near: Vec<&StagePart> = self
            .stages
            .iter()
            .filter(|s| s.bounds.expand(reach).contains(p))
            .collect();
        (0..self.lines.len())
            .flat_map(|k| near.iter().flat_map(move |s| &s.points[k]))
            .map(|c| {
                let (dx, dy) = (c.center.x - p.x, c.center.y - p.y);
                (c, dx * dx + dy * dy)
            })
            .filter(|&(_, d2)| d2 <= reach * reach)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(c, _)| *c)
    }

    /// The element of stage `s`'s part.
    pub fn stage_element(&self, s: usize) -> usize {
        self.head.len() + 1 + s
    }

    /// The cards at a peak or a valley of some line, over every stage.
    pub fn titled(&self) -> impl Iterator<Item = usize> + '_ {
        self.stages.iter().flat_map(|s| s.titled.iter().copied())
    }

    /// Appends the layer to `items` with its groups, as files show it: the scale and the
    /// legend, then (with personas, in a group of their own) every line, then each line's
    /// points (each persona's in its `emotion-curve-ID`), then the labels.
    /// Stale stages must be drawn first ([`CurveLayer::draw_all_stale`]).
    pub fn flatten_into(&self, items: &mut Vec<Item>, groups: &mut Vec<Group>) {
        debug_assert!(!self.has_stale(), "a stale stage flattened");
        if self.band.is_none() {
            return;
        }
        begin(groups, items.len(), GroupId::Layer("emotion-curve"));
        items.extend(self.head.iter().cloned());
        if self.points == 0 {
            items.extend(self.empty.iter().cloned());
            return;
        }
        let personas = self.lines.iter().any(|l| l.persona.is_some());
        if personas {
            begin(
                groups,
                items.len(),
                GroupId::Sub("emotion-curve-lines".to_owned()),
            );
        }
        for (k, line) in self.lines.iter().enumerate() {
            if let Some(who) = &line.persona {
                begin(
                    groups,
                    items.len(),
                    GroupId::Named(format!("emotion-line-{who}")),
                );
            }
            for part in &self.stages {
                items.extend(part.items[part.segments[k].clone()].iter().cloned());
            }
        }
        for (k, line) in self.lines.iter().enumerate() {
            if let Some(who) = &line.persona {
                begin(
                    groups,
                    items.len(),
                    GroupId::Sub(format!("emotion-curve-{who}")),
                );
            }
            for part in &self.stages {
                let dots = part.dots[k].clone();
                let base = items.len();
                groups.extend(
                    part.groups
                        .iter()
                        .filter(|g| dots.contains(&g.start))
                        .map(|g| Group {
                            start: base + g.start - dots.start,
                            id: g.id.clone(),
                        }),
                );
                items.extend(part.items[dots].iter().cloned());
            }
        }
        let labelled = self
            .stages
            .iter()
            .any(|part| part.labels.iter().any(|r| !r.is_empty()));
        if labelled {
            begin(
                groups,
                items.len(),
                GroupId::Sub("emotion-curve-labels".to_owned()),
            );
            for k in 0..self.lines.len() {
                for part in &self.stages {
                    items.extend(part.items[part.labels[k].clone()].iter().cloned());
                }
            }
        }
    }
}

#[cfg(test)]
impl CurveLayer {
    /// Every point, line after line, each in journey order: what [`super::curve_points`]
    /// gives.
    fn all_points(&self) -> Vec<CurvePoint> {
        (0..self.lines.len())
            .flat_map(|k| {
                self.stages
                    .iter()
                    .flat_map(move |s| s.points[k].iter().copied())
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "layer_tests.rs"]
mod tests;
