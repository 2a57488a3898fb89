//! Curve clipping: the pieces (straight runs, dashes) of a flow's Bézier curve that a
//! caller wants, in screen points, so that a long flow crossing the screen is not flattened
//! and tessellated whole. Used when flows are drawn directly ([`Keep::Meeting`] the view)
//! and by the flow tiles ([`Keep::StartingIn`] a tile, each piece owned by one tile).

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke, Vec2, vec2};

/// `v.length()` without `hypotf`: egui's `length` calls it, and libm's careful overflow
/// handling is not inlined, while this runs for every segment of every flow drawn. Canvas
/// coordinates are far from where squaring them would overflow.
pub(super) fn length(v: Vec2) -> f32 {
    (v.x * v.x + v.y * v.y).sqrt()
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
            tile @ Keep::StartingIn(_) => tile,
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

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    /// The side of a flow tile (see `flow_tiles::TILE`).
    const TILE: f32 = 256.0;

    /// The tile holding a point of the plane.
    fn tile_of(p: Pos2) -> (i32, i32) {
        ((p.x / TILE).floor() as i32, (p.y / TILE).floor() as i32)
    }

    fn vertices(shapes: &[Shape]) -> usize {
        shapes
            .iter()
            .map(|s| match s {
                Shape::Mesh(m) => m.vertices.len(),
                Shape::Path(p) => p.points.len(),
                Shape::CubicBezier(_) => 1_000_000,
                _ => 0,
            })
            .sum()
    }

    /// The tiles over a region, row by row.
    fn tiles_over(r: Rect) -> Vec<Rect> {
        let (c0, r0) = tile_of(r.min);
        let (c1, r1) = tile_of(r.max);
        (r0..=r1)
            .flat_map(|row| {
                (c0..=c1).map(move |col| {
                    Rect::from_min_size(
                        pos2(col as f32 * TILE, row as f32 * TILE),
                        Vec2::splat(TILE),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn every_dash_belongs_to_exactly_one_tile() {
        // A long dashed zigzag crossing many tiles, with points on tile edges.
        let points = [
            pos2(-300.0, 10.0),
            pos2(0.0, 256.0),
            pos2(900.0, 512.0),
            pos2(1500.0, -40.0),
        ];
        let stroke = Stroke::new(1.6, Color32::GRAY);
        let everything = Rect::from_min_max(pos2(-2000.0, -2000.0), pos2(4000.0, 4000.0));
        let mut whole = Vec::new();
        dashed_line_clipped(
            &mut whole,
            &points,
            stroke,
            6.0,
            4.0,
            Keep::Meeting(everything),
        );
        let mut tiled = Vec::new();
        for tile in tiles_over(Rect::from_points(&points).expand(20.0)) {
            dashed_line_clipped(
                &mut tiled,
                &points,
                stroke,
                6.0,
                4.0,
                Keep::StartingIn(tile),
            );
        }
        assert!(vertices(&whole) > 1000);
        assert_eq!(vertices(&tiled), vertices(&whole));
    }

    #[test]
    fn long_curves_are_cut_into_pieces_owned_once() {
        let p = [
            pos2(-500.0, 100.0),
            pos2(1500.0, 100.0),
            pos2(1500.0, 900.0),
            pos2(3500.0, 900.0),
        ];
        let stroke = Stroke::new(1.6, Color32::GRAY);
        let mut tiled = Vec::new();
        for tile in tiles_over(Rect::from_points(&p).expand(20.0)) {
            curve_clipped(&mut tiled, p, stroke, Keep::StartingIn(tile));
        }
        // Runs split where the curve crosses into another tile: the pieces (segments) add
        // up to the flattening of the whole curve, each drawn once.
        let segments: usize = tiled
            .iter()
            .map(|s| match s {
                Shape::Path(path) => path.points.len() - 1,
                _ => panic!("a long curve is drawn as runs of segments"),
            })
            .sum();
        let length = (p[1] - p[0]).length() + (p[2] - p[1]).length() + (p[3] - p[2]).length();
        let expected = cubic_segments(p).max((length / 64.0).ceil() as usize);
        assert_eq!(segments, expected);
        // A short curve goes whole to the tile it starts in, and to no other.
        let short = [
            pos2(250.0, 10.0),
            pos2(290.0, 10.0),
            pos2(260.0, 60.0),
            pos2(300.0, 60.0),
        ];
        let owners: Vec<usize> = tiles_over(Rect::from_points(&short).expand(300.0))
            .into_iter()
            .map(|tile| {
                let mut out = Vec::new();
                curve_clipped(&mut out, short, stroke, Keep::StartingIn(tile));
                out.len()
            })
            .filter(|&n| n > 0)
            .collect();
        assert_eq!(owners, vec![1]);
    }

    #[test]
    fn gentle_curves_need_few_segments_and_sharp_ones_more() {
        let straight = [
            pos2(0.0, 0.0),
            pos2(1000.0, 0.0),
            pos2(2000.0, 0.0),
            pos2(3000.0, 0.0),
        ];
        assert_eq!(cubic_segments_of(straight), 2);
        let s_curve = [
            pos2(0.0, 0.0),
            pos2(100.0, 0.0),
            pos2(100.0, 200.0),
            pos2(200.0, 200.0),
        ];
        let n = cubic_segments_of(s_curve);
        assert!((15..=40).contains(&n), "{n}");
        // Ten times the size needs about sqrt(10) times the segments for the same error.
        let big = s_curve.map(|p| pos2(p.x * 10.0, p.y * 10.0));
        let m = cubic_segments_of(big);
        assert!(m > 3 * n && m < 4 * n, "{n} -> {m}");
    }

    fn cubic_segments_of(p: [Pos2; 4]) -> usize {
        cubic_segments(p)
    }
}
