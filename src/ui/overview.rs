//! The canvas's far level of detail: below [`OVERVIEW_ZOOM`] no text can be read and cards
//! are a few points wide, so the visible scene items are drawn as flat quads written
//! straight into one reused [`Mesh`] instead of thousands of egui shapes (each of which
//! egui would tessellate with anti-aliasing feathers, rounded corners and curve
//! flattening, several milliseconds per 10,000 items).
//!
//! What changes at this zoom (all of it smaller than about two screen points):
//! - [`Detail::Readable`] items (text, shadows, badges, flag marks, finding markers) and
//!   all text are skipped;
//! - rectangles and circles are drawn as square-cornered quads; strokes thinner than a
//!   point are drawn one point wide with their alpha scaled by the width (what
//!   anti-aliasing would show), and dropped when that alpha is below 10%;
//! - flows are drawn as a four-segment polyline through their Bézier curve, arrow heads as
//!   plain triangles when at least two points long.

use super::canvas::View;
use crate::scene::{self, Detail, Item, Point, Rgba};
use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke, Vec2, vec2};
use std::sync::Arc;

/// Below this zoom the canvas is drawn as an overview (see the module doc). At 0.25 the
/// largest text in the scene (stage titles, 17 pt) would be 4.25 points high: unreadable.
pub const OVERVIEW_ZOOM: f32 = 0.25;

/// Strokes whose on-screen alpha (width × alpha) would be below this are not drawn.
const MIN_LINE_ALPHA: f32 = 0.1;

fn c32(c: Rgba, alpha: f32) -> Color32 {
    let a = (f32::from(c.a) * alpha.clamp(0.0, 1.0)).round() as u8;
    Color32::from_rgba_unmultiplied(c.r, c.g, c.b, a)
}

/// Makes `mesh` empty and uniquely owned, reusing last frame's buffers when egui has
/// dropped its copy (it does once the frame is tessellated).
pub fn reuse(mesh: &mut Arc<Mesh>) -> &mut Mesh {
    if Arc::get_mut(mesh).is_none() {
        *mesh = Arc::new(Mesh::default());
    }
    let m = Arc::get_mut(mesh).expect("just made unique");
    m.clear();
    m
}

fn quad(m: &mut Mesh, corners: [Pos2; 4], color: Color32) {
    let base = m.vertices.len() as u32;
    for pos in corners {
        m.vertices.push(Vertex {
            pos,
            uv: WHITE_UV,
            color,
        });
    }
    m.indices
        .extend_from_slice(&[base, base + 1, base + 2, base, base + 2, base + 3]);
}

fn triangle(m: &mut Mesh, corners: [Pos2; 3], color: Color32) {
    let base = m.vertices.len() as u32;
    for pos in corners {
        m.vertices.push(Vertex {
            pos,
            uv: WHITE_UV,
            color,
        });
    }
    m.indices.extend_from_slice(&[base, base + 1, base + 2]);
}

fn rect_quad(m: &mut Mesh, r: Rect, color: Color32) {
    quad(
        m,
        [
            r.left_top(),
            r.right_top(),
            r.right_bottom(),
            r.left_bottom(),
        ],
        color,
    );
}

/// A line segment `width` points wide; thinner than one point becomes one point wide and
/// fainter.
/// `v.length()` without `hypotf`: egui's `length` calls it, and libm's careful overflow
/// handling is not inlined; it was 3% of a frame that rebuilds flow tiles. Canvas
/// coordinates are far from where squaring them would overflow.
fn length(v: Vec2) -> f32 {
    (v.x * v.x + v.y * v.y).sqrt()
}

fn segment(m: &mut Mesh, a: Pos2, b: Pos2, width: f32, color: Rgba) {
    let (w, alpha) = if width < 1.0 {
        (1.0, width)
    } else {
        (width, 1.0)
    };
    if alpha * f32::from(color.a) / 255.0 < MIN_LINE_ALPHA {
        return;
    }
    let d = b - a;
    let len = length(d);
    if len < 1e-3 {
        return;
    }
    let n = vec2(-d.y, d.x) / len * (w / 2.0);
    quad(m, [a + n, b + n, b - n, a - n], c32(color, alpha));
}

/// Paints the items `visible` (indices into `items`, in painting order) as an overview.
pub fn paint_overview(
    painter: &egui::Painter,
    view: &View,
    area: Rect,
    items: &[Item],
    visible: &[u32],
    mesh: &mut Arc<Mesh>,
) {
    let m = reuse(mesh);
    let z = view.zoom;
    let to = |p: Point| view.to_screen(area, p);
    for &i in visible {
        let Some(item) = items.get(i as usize) else {
            continue;
        };
        if item.detail() == Detail::Readable {
            continue;
        }
        match item {
            Item::Rect {
                rect, fill, stroke, ..
            } => {
                let r = view.rect_to_screen(area, *rect);
                if fill.a > 0 {
                    rect_quad(m, r, c32(*fill, 1.0));
                }
                if let Some((w, c)) = stroke {
                    let w = w * z;
                    let [a, b, cc, d] = [
                        r.left_top(),
                        r.right_top(),
                        r.right_bottom(),
                        r.left_bottom(),
                    ];
                    for (p, q) in [(a, b), (b, cc), (cc, d), (d, a)] {
                        segment(m, p, q, w, *c);
                    }
                }
            }
            Item::Circle {
                center,
                radius,
                fill,
                ..
            } => {
                let r = radius * z;
                if r >= 0.5 && fill.a > 0 {
                    let c = to(*center);
                    rect_quad(
                        m,
                        Rect::from_center_size(c, vec2(2.0 * r, 2.0 * r)),
                        c32(*fill, 1.0),
                    );
                }
            }
            Item::Line {
                points,
                width,
                color,
                ..
            } => {
                for pair in points.windows(2) {
                    segment(m, to(pair[0]), to(pair[1]), width * z, *color);
                }
            }
            Item::Curve {
                from,
                ctrl1,
                ctrl2,
                to: end,
                width,
                color,
                arrow_head,
                ..
            } => {
                let tip_len = scene::arrow_size(*width) * z;
                let stop = if *arrow_head && tip_len >= 2.0 {
                    Item::curve_end_for_head(*ctrl2, *end, *width)
                } else {
                    *end
                };
                let mut prev = to(*from);
                for k in 1..=4 {
                    let t = k as f32 / 4.0;
                    let p = to(scene::cubic_point(*from, *ctrl1, *ctrl2, stop, t));
                    segment(m, prev, p, width * z, *color);
                    prev = p;
                }
                if *arrow_head && tip_len >= 2.0 {
                    let [a, b, c] = scene::arrow_head(*ctrl2, *end, *width);
                    triangle(m, [to(a), to(b), to(c)], c32(*color, 1.0));
                }
            }
            Item::Text { .. } => {}
        }
    }
    if !m.is_empty() {
        painter.add(Shape::Mesh(mesh.clone()));
    }
}

/// Which pieces (segments, dashes, arrow heads) of a flow a caller wants, in screen points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Keep {
    /// Every piece that meets this rectangle: drawing the view directly.
    Meeting(Rect),
    /// Every piece that starts inside this rectangle (left and top edges included, right
    /// and bottom excluded): the flow tiles, so that each piece belongs to exactly one tile
    /// and none is drawn twice where tiles meet (a doubled semi-transparent stroke shows).
    StartingIn(Rect),
}

impl Keep {
    /// The same, with a `Meeting` rectangle grown by `by` (the stroke's reach).
    fn expanded(self, by: f32) -> Self {
        match self {
            Keep::Meeting(r) => Keep::Meeting(r.expand(by)),
            tile => tile,
        }
    }

    /// Whether a straight piece from `a` to `b` is wanted.
    fn piece(self, a: Pos2, b: Pos2) -> bool {
        match self {
            Keep::Meeting(r) => Rect::from_two_pos(a, b).intersects(r),
            Keep::StartingIn(r) => starts_in(r, a),
        }
    }

    /// The rectangle pieces are tested against.
    fn rect(self) -> Rect {
        match self {
            Keep::Meeting(r) | Keep::StartingIn(r) => r,
        }
    }

    /// Whether anything inside `hull` may be wanted (a cheap early test).
    fn may_want(self, hull: Rect) -> bool {
        match self {
            Keep::Meeting(r) | Keep::StartingIn(r) => hull.intersects(r),
        }
    }

    /// Whether a mark at `p` (an arrow head's tip) is wanted. Marks are small, so a view
    /// draws them all and lets the painter clip them.
    pub fn mark(self, p: Pos2) -> bool {
        match self {
            Keep::Meeting(_) => true,
            Keep::StartingIn(r) => starts_in(r, p),
        }
    }
}

/// `p` inside `r`, right and bottom edges excluded, so that tiles sharing an edge never
/// both own a point.
fn starts_in(r: Rect, p: Pos2) -> bool {
    p.x >= r.min.x && p.x < r.max.x && p.y >= r.min.y && p.y < r.max.y
}

/// A dashed polyline, painting only the dashes `keep` wants (the pattern stays where it
/// would be if the whole line were drawn). `egui::Shape::dashed_line` makes a shape for
/// every dash of the line, on screen or not.
pub fn dashed_line_clipped(
    out: &mut Vec<Shape>,
    points: &[Pos2],
    stroke: Stroke,
    dash: f32,
    gap: f32,
    keep: Keep,
) {
    let period = dash + gap;
    if !(dash > 0.0 && period.is_finite()) {
        return;
    }
    let keep = keep.expanded(stroke.width);
    // All the dashes of one line go into one mesh: a dashed flow crossing the screen has
    // a hundred dashes, and one egui shape each cost more than the dashes themselves.
    let mut mesh = Mesh::default();
    let mut along = 0.0_f32;
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let len = length(b - a);
        if !(len > 0.0 && len.is_finite()) {
            continue;
        }
        if keep.may_want(Rect::from_two_pos(a, b)) {
            let dir = (b - a) / len;
            // First dash period starting at or before this segment.
            let mut start = along - along.rem_euclid(period);
            while start < along + len {
                let d0 = start.max(along);
                let d1 = (start + dash).min(along + len);
                if d1 > d0 {
                    let p0 = a + dir * (d0 - along);
                    let p1 = a + dir * (d1 - along);
                    if keep.piece(p0, p1) {
                        feathered_segment(&mut mesh, p0, p1, stroke);
                    }
                }
                start += period;
            }
        }
        along += len;
    }
    if !mesh.is_empty() {
        out.push(Shape::mesh(mesh));
    }
}

/// A straight stroke with anti-aliased edges. From 2.5 points wide: a solid core and a
/// one-point fringe fading to transparent on each side, as egui's tessellator feathers it
/// (six triangles). Thinner (every flow dash at working zoom): full colour on the centre
/// line fading to transparent one width out on each side (four triangles); the same ink
/// spread a touch softer, for a third fewer triangles on the busiest frames.
fn feathered_segment(m: &mut Mesh, a: Pos2, b: Pos2, stroke: Stroke) {
    let d = b - a;
    let len = length(d);
    if len < 1e-3 {
        return;
    }
    let n = vec2(-d.y, d.x) / len;
    let base = m.vertices.len() as u32;
    let mut push = |offset: f32, color: Color32| {
        for p in [a, b] {
            m.vertices.push(Vertex {
                pos: p + n * offset,
                uv: WHITE_UV,
                color,
            });
        }
    };
    let strips = if stroke.width < 2.5 {
        let (reach, color) = if stroke.width >= 1.0 {
            (stroke.width, stroke.color)
        } else {
            (1.0, stroke.color.gamma_multiply(stroke.width.max(0.0)))
        };
        push(-reach, Color32::TRANSPARENT);
        push(0.0, color);
        push(reach, Color32::TRANSPARENT);
        2
    } else {
        let core = (stroke.width - 1.0) / 2.0;
        let outer = core + 1.0;
        push(-outer, Color32::TRANSPARENT);
        push(-core, stroke.color);
        push(core, stroke.color);
        push(outer, Color32::TRANSPARENT);
        3
    };
    // Vertices come in (a, b) pairs, one pair per offset; a strip joins two pairs.
    for strip in 0..strips {
        let i = base + strip * 2;
        m.indices
            .extend_from_slice(&[i, i + 1, i + 3, i, i + 3, i + 2]);
    }
}

/// How many straight segments draw a cubic Bézier within a quarter point of the true curve:
/// the chord error of `n` equal steps is at most `M / (8 n²)`, `M` bounding the second
/// derivative (6 × the larger second difference of the control points). A long, gentle
/// flow needs far fewer segments than a fixed step length would give it.
pub fn cubic_segments(p: [Pos2; 4]) -> usize {
    const TOLERANCE: f32 = 0.25;
    let dd1 = length((p[0] - 2.0 * p[1].to_vec2() + p[2].to_vec2()).to_vec2());
    let dd2 = length((p[1] - 2.0 * p[2].to_vec2() + p[3].to_vec2()).to_vec2());
    let m = 6.0 * dd1.max(dd2);
    let n = (m / (8.0 * TOLERANCE)).sqrt().ceil();
    if n.is_finite() {
        (n as usize).clamp(2, 512)
    } else {
        2
    }
}

/// Longest side (screen points) of a curve that a tile takes whole, as one egui shape,
/// when it starts there; longer curves are cut into pieces. Keeps every piece within one
/// tile of the tile that owns it (see `ui::flow_tiles`).
pub const WHOLE_CURVE_MAX: f32 = 200.0;

/// A solid cubic Bézier in screen points, keeping what `keep` wants. One that fits the
/// clip area goes to egui whole; a long one crossing the screen (a long-range flow at
/// working zoom) is flattened here and only its wanted runs are drawn, instead of egui
/// flattening thousands of off-screen points at its 0.1-point tolerance.
pub fn curve_clipped(out: &mut Vec<Shape>, p: [Pos2; 4], stroke: Stroke, keep: Keep) {
    let keep = keep.expanded(stroke.width + 2.0);
    let hull = Rect::from_points(&p);
    let whole = match keep {
        Keep::Meeting(clip) => clip.contains_rect(hull),
        Keep::StartingIn(_) => hull.width().max(hull.height()) <= WHOLE_CURVE_MAX,
    };
    if whole {
        if keep.mark(p[0]) {
            out.push(
                egui::epaint::CubicBezierShape::from_points_stroke(
                    p,
                    false,
                    Color32::TRANSPARENT,
                    stroke,
                )
                .into(),
            );
        }
        return;
    }
    if !keep.may_want(hull) {
        return;
    }
    let at = |t: f32| {
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        Pos2::new(
            a * p[0].x + b * p[1].x + c * p[2].x + d * p[3].x,
            a * p[0].y + b * p[1].y + c * p[2].y + d * p[3].y,
        )
    };
    // Pieces stay short enough to lie within one tile of their start (see `flow_tiles`).
    let length = length(p[1] - p[0]) + length(p[2] - p[1]) + length(p[3] - p[2]);
    let steps = cubic_segments(p)
        .max((length / 64.0).ceil() as usize)
        .min(2048);
    // Only the steps near the wanted rectangle: a tile meets a long flow's bounds far more
    // often than the flow itself, and flattening it all for each tile dominated a pan.
    let Some((t0, t1)) = param_range_in(p, keep.rect()) else {
        return;
    };
    let first = ((t0 * steps as f32).floor() as usize).clamp(1, steps);
    let last = ((t1 * steps as f32).ceil() as usize + 1).min(steps);
    let mut run: Vec<Pos2> = Vec::new();
    let mut prev = at((first - 1) as f32 / steps as f32);
    for k in first..=last {
        let q = at(k as f32 / steps as f32);
        if keep.piece(prev, q) {
            if run.is_empty() {
                run.push(prev);
            }
            run.push(q);
        } else if !run.is_empty() {
            out.push(Shape::line(std::mem::take(&mut run), stroke));
        }
        prev = q;
    }
    if run.len() >= 2 {
        out.push(Shape::line(run, stroke));
    }
}

/// The two halves of a cubic Bézier curve (de Casteljau at t = 1/2).
pub(crate) fn split_cubic(p: [Pos2; 4]) -> ([Pos2; 4], [Pos2; 4]) {
    let ab = p[0].lerp(p[1], 0.5);
    let bc = p[1].lerp(p[2], 0.5);
    let cd = p[2].lerp(p[3], 0.5);
    let abc = ab.lerp(bc, 0.5);
    let bcd = bc.lerp(cd, 0.5);
    let m = abc.lerp(bcd, 0.5);
    ([p[0], ab, abc, m], [m, bcd, cd, p[3]])
}

/// The parameter interval (within 1/4096) outside which the cubic `p` stays clear of `r`,
/// or `None` when it never meets it: subdivides the curve and drops the halves whose
/// control hull misses `r`.
fn param_range_in(p: [Pos2; 4], r: Rect) -> Option<(f32, f32)> {
    fn walk(p: [Pos2; 4], r: Rect, t: (f32, f32), depth: u32, acc: &mut Option<(f32, f32)>) {
        let hull = Rect::from_points(&p);
        if !hull.intersects(r) {
            return;
        }
        if depth == 0 || r.contains_rect(hull) {
            *acc = Some(acc.map_or(t, |(a, b)| (a.min(t.0), b.max(t.1))));
            return;
        }
        let (left, right) = split_cubic(p);
        let mid = (t.0 + t.1) / 2.0;
        walk(left, r, (t.0, mid), depth - 1, acc);
        walk(right, r, (mid, t.1), depth - 1, acc);
    }
    let mut acc = None;
    walk(p, r, (0.0, 1.0), 12, &mut acc);
    acc
}
