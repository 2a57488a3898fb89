//! The one description of what is drawn: Document (+ view options) → shapes and text.
//!
//! The editor's canvas converts [`Item`]s to egui shapes; every export renders the same items
//! to SVG, PNG and PDF, so screen and paper cannot drift apart. Nothing here needs a window,
//! a GPU or egui. Coordinates are canvas units (logical points at zoom 1) with the grid's
//! top-left corner at the origin (see [`layout`]).
//!
//! Items are in painting order: later items cover earlier ones. Selection, hover and drag
//! overlays are not part of the scene; the editor draws them on top.

pub mod canvas;
pub mod curve;
pub mod geom;
pub mod index;
pub mod layout;
pub mod style;
pub mod text;

pub use canvas::{
    CanvasOptions, Dimming, FlagMark, LiveScene, Redrawn, build_canvas, flag_mark,
    header_row_items, lane_column_items, layer,
};
pub use geom::{Point, Rect, Rgba};
pub use layout::{Hit, Layout, LayoutChange};
pub use style::Palette;
pub use text::{Weight, measure, wrap};

/// Whether an item must be drawn at every zoom, or only when it can be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Detail {
    /// Shapes that give the picture its structure (cells, cards, stripes).
    Always,
    /// Text and small marks, which the editor may skip when zoomed far out.
    Readable,
}

/// One drawing primitive.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A rectangle with rounded corners (`radius` 0 for square ones).
    Rect {
        rect: Rect,
        radius: f32,
        fill: Rgba,
        /// Stroke width and colour, centred on the outline.
        stroke: Option<(f32, Rgba)>,
        detail: Detail,
    },
    /// One line of text, left-aligned, in the embedded Noto Sans.
    Text {
        /// Top-left of the line box; the baseline is at `pos.y + text::baseline(size)`.
        pos: Point,
        text: String,
        size: f32,
        weight: Weight,
        color: Rgba,
        detail: Detail,
    },
    Circle {
        center: Point,
        radius: f32,
        fill: Rgba,
        stroke: Option<(f32, Rgba)>,
        detail: Detail,
    },
    /// An open polyline with round joins and caps.
    Line {
        points: Vec<Point>,
        width: f32,
        color: Rgba,
        detail: Detail,
    },
    /// A cubic Bézier curve, optionally dashed ([`style::DASH`]) and ending in a filled
    /// arrow head ([`arrow_head`]) whose tip is at `to`.
    Curve {
        from: Point,
        ctrl1: Point,
        ctrl2: Point,
        to: Point,
        width: f32,
        color: Rgba,
        arrow_head: bool,
        dashed: bool,
        detail: Detail,
    },
}

/// Length of the arrow head along the curve, per unit of stroke width (plus a base).
pub fn arrow_size(width: f32) -> f32 {
    6.0 + 2.5 * width
}

/// The three corners of the arrow head at the end of a curve: tip, left, right.
/// The direction comes from the last control point; the editor and the exports use this
/// so arrows look the same everywhere. The curve itself should stop at the head's base,
/// see [`Item::curve_end_for_head`].
pub fn arrow_head(ctrl2: Point, to: Point, width: f32) -> [Point; 3] {
    let (mut dx, mut dy) = (to.x - ctrl2.x, to.y - ctrl2.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-3 {
        (dx, dy) = (1.0, 0.0);
    } else {
        (dx, dy) = (dx / len, dy / len);
    }
    let size = arrow_size(width);
    let half = size * 0.5;
    let base = Point::new(to.x - dx * size, to.y - dy * size);
    [
        to,
        Point::new(base.x - dy * half, base.y + dx * half),
        Point::new(base.x + dy * half, base.y - dx * half),
    ]
}

/// The point of a cubic Bézier at `t` (0 to 1).
pub fn cubic_point(from: Point, c1: Point, c2: Point, to: Point, t: f32) -> Point {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    Point::new(
        a * from.x + b * c1.x + c * c2.x + d * to.x,
        a * from.y + b * c1.y + c * c2.y + d * to.y,
    )
}

impl Item {
    /// The area the item paints (a little generous for strokes and arrow heads); the editor
    /// culls items whose bounds are off screen.
    pub fn bounds(&self) -> Rect {
        match self {
            Item::Rect { rect, stroke, .. } => rect.expand(stroke.map_or(0.0, |(w, _)| w / 2.0)),
            Item::Text {
                pos,
                text,
                size,
                weight,
                ..
            } => Rect::from_min_size(
                *pos,
                text::measure(text, *size, *weight),
                text::line_height(*size),
            ),
            Item::Circle {
                center,
                radius,
                stroke,
                ..
            } => {
                let r = radius + stroke.map_or(0.0, |(w, _)| w / 2.0);
                Rect::from_center_size(*center, 2.0 * r, 2.0 * r)
            }
            Item::Line { points, width, .. } => points
                .iter()
                .fold(Rect::NOTHING, |acc, p| {
                    acc.union(Rect::from_min_max(*p, *p))
                })
                .expand(width / 2.0),
            Item::Curve {
                from,
                ctrl1,
                ctrl2,
                to,
                width,
                arrow_head,
                ..
            } => {
                // A Bézier curve lies inside the hull of its control points.
                let hull = [*from, *ctrl1, *ctrl2, *to]
                    .iter()
                    .fold(Rect::NOTHING, |acc, p| {
                        acc.union(Rect::from_min_max(*p, *p))
                    });
                let extra = if *arrow_head { arrow_size(*width) } else { 0.0 };
                hull.expand(width / 2.0 + extra)
            }
        }
    }

    pub fn detail(&self) -> Detail {
        match self {
            Item::Rect { detail, .. }
            | Item::Text { detail, .. }
            | Item::Circle { detail, .. }
            | Item::Line { detail, .. }
            | Item::Curve { detail, .. } => *detail,
        }
    }

    /// The same item with every colour's alpha multiplied by `alpha` (0 to 1): a card or
    /// flow faded while another theme is highlighted. `faded(1.0)` changes nothing.
    pub fn faded(&self, alpha: f32) -> Item {
        let mut item = self.clone();
        if alpha < 1.0 {
            let stroke = |s: &mut Option<(f32, Rgba)>| {
                if let Some((_, c)) = s {
                    *c = c.faded(alpha);
                }
            };
            match &mut item {
                Item::Rect {
                    fill, stroke: s, ..
                }
                | Item::Circle {
                    fill, stroke: s, ..
                } => {
                    *fill = fill.faded(alpha);
                    stroke(s);
                }
                Item::Text { color, .. } | Item::Line { color, .. } | Item::Curve { color, .. } => {
                    *color = color.faded(alpha);
                }
            }
        }
        item
    }

    /// Where a curve with an arrow head should stop being stroked so its line does not poke
    /// through the head's tip: the base of the head.
    pub fn curve_end_for_head(ctrl2: Point, to: Point, width: f32) -> Point {
        let [_, l, r] = arrow_head(ctrl2, to, width);
        Point::new((l.x + r.x) / 2.0, (l.y + r.y) / 2.0)
    }
}

/// A list of items to paint, and the area they cover.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    pub bounds: Rect,
    pub items: Vec<Item>,
    /// What the items are, in runs: a designer restyling the poster in a vector editor
    /// finds them as named SVG groups. Sorted by `start`.
    pub groups: Vec<Group>,
}

/// A named run of a scene's items: from `start` to the next group's start (or the end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub start: usize,
    pub id: GroupId,
}

/// What a group is. A layer closes the group before it; an element (a card, a flow) sits
/// inside the layer before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupId {
    /// A layer: "cards", "flows", "stages", "legend-themes"...
    Layer(&'static str),
    /// The card at this index of the document's touchpoints: cheap to record on every
    /// rebuild, named (`card-ID`) only when a file is written ([`GroupId::named`]).
    Card(u32),
    /// The flow at this index of the document's flows.
    Flow(u32),
    /// That flow's label (drawn apart from the flow, above the cards).
    FlowLabel(u32),
    /// A point of the emotion curve: the card at this index, on the line of the persona at
    /// that index (`None`: the cards' own emotions). A big stage has thousands, drawn
    /// again when one of its cards moves; named (`emotion-point-PERSONA_ID-CARD_ID`) only
    /// when a file is written.
    EmotionPoint { persona: Option<u32>, card: u32 },
    /// An element with its SVG id.
    Named(String),
    /// A group inside the current layer that holds elements of its own (one persona's line
    /// of the emotion curve, `emotion-curve-ID`): closes the element and the sub-group
    /// before it, and is closed by the next sub-group or layer.
    Sub(String),
}

impl GroupId {
    pub fn is_element(&self) -> bool {
        !matches!(self, GroupId::Layer(_) | GroupId::Sub(_))
    }

    /// The id a file shows: the card's or flow's own id from the document.
    pub fn named(&self, doc: &crate::model::Document) -> GroupId {
        let at = |i: &u32| usize::try_from(*i).unwrap_or(usize::MAX);
        match self {
            GroupId::Card(i) => match doc.touchpoints.get(at(i)) {
                Some(tp) => GroupId::Named(format!("card-{}", tp.id)),
                None => self.clone(),
            },
            GroupId::Flow(i) => match doc.flows.get(at(i)) {
                Some(f) => GroupId::Named(format!("flow-{}", f.id)),
                None => self.clone(),
            },
            GroupId::FlowLabel(i) => match doc.flows.get(at(i)) {
                Some(f) => GroupId::Named(format!("flow-label-{}", f.id)),
                None => self.clone(),
            },
            GroupId::EmotionPoint { persona, card } => {
                match (doc.touchpoints.get(at(card)), persona) {
                    (Some(tp), None) => GroupId::Named(format!("emotion-point-{}", tp.id)),
                    (Some(tp), Some(k)) => match doc.personas.get(at(k)) {
                        Some(who) => GroupId::Named(format!("emotion-point-{}-{}", who.id, tp.id)),
                        None => self.clone(),
                    },
                    (None, _) => self.clone(),
                }
            }
            other => other.clone(),
        }
    }
}

impl std::fmt::Display for GroupId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GroupId::Layer(s) => f.write_str(s),
            GroupId::Card(i) => write!(f, "card-{i}"),
            GroupId::Flow(i) => write!(f, "flow-{i}"),
            GroupId::FlowLabel(i) => write!(f, "flow-label-{i}"),
            GroupId::EmotionPoint {
                persona: Some(k),
                card,
            } => write!(f, "emotion-point-{k}-{card}"),
            GroupId::EmotionPoint {
                persona: None,
                card,
            } => write!(f, "emotion-point-{card}"),
            GroupId::Named(s) | GroupId::Sub(s) => f.write_str(s),
        }
    }
}

impl Scene {
    /// Starts a layer group at the next item.
    pub fn begin_layer(&mut self, id: &'static str) {
        begin(&mut self.groups, self.items.len(), GroupId::Layer(id));
    }

    /// Appends another scene's items moved by `(dx, dy)`, growing the bounds.
    pub fn append_translated(&mut self, other: Scene, dx: f32, dy: f32) {
        self.bounds = self.bounds.union(other.bounds.translate(dx, dy));
        let base = self.items.len();
        self.groups.extend(other.groups.into_iter().map(|g| Group {
            start: base + g.start,
            ..g
        }));
        self.items
            .extend(other.items.into_iter().map(|i| translate_item(i, dx, dy)));
    }
}

/// Starts a group at item `start` of a list being built.
pub fn begin(groups: &mut Vec<Group>, start: usize, id: GroupId) {
    groups.push(Group { start, id });
}

/// The item moved by `(dx, dy)`.
pub fn translate_item(item: Item, dx: f32, dy: f32) -> Item {
    let mv = |p: Point| p.offset(dx, dy);
    match item {
        Item::Rect {
            rect,
            radius,
            fill,
            stroke,
            detail,
        } => Item::Rect {
            rect: rect.translate(dx, dy),
            radius,
            fill,
            stroke,
            detail,
        },
        Item::Text {
            pos,
            text,
            size,
            weight,
            color,
            detail,
        } => Item::Text {
            pos: mv(pos),
            text,
            size,
            weight,
            color,
            detail,
        },
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
            detail,
        } => Item::Circle {
            center: mv(center),
            radius,
            fill,
            stroke,
            detail,
        },
        Item::Line {
            points,
            width,
            color,
            detail,
        } => Item::Line {
            points: points.into_iter().map(mv).collect(),
            width,
            color,
            detail,
        },
        Item::Curve {
            from,
            ctrl1,
            ctrl2,
            to,
            width,
            color,
            arrow_head,
            dashed,
            detail,
        } => Item::Curve {
            from: mv(from),
            ctrl1: mv(ctrl1),
            ctrl2: mv(ctrl2),
            to: mv(to),
            width,
            color,
            arrow_head,
            dashed,
            detail,
        },
    }
}
