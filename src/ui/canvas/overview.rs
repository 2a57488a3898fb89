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

use super::clip::length;
use super::view::View;
use crate::scene::index::Element;
use crate::scene::{self, Detail, Item, LiveScene, Point, Rgba};
use crate::ui::tokens::{scene_color, scene_color_faded};
use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, vec2};
use std::sync::Arc;

/// Below this zoom the canvas is drawn as an overview (see the module doc). At 0.25 the
/// largest text in the scene (stage titles, 17 pt) would be 4.25 points high: unreadable.
pub const OVERVIEW_ZOOM: f32 = 0.25;

/// Strokes whose on-screen alpha (width × alpha) would be below this are not drawn.
const MIN_LINE_ALPHA: f32 = 0.1;

/// Makes `mesh` empty and uniquely owned, reusing last frame's buffers when egui has
/// dropped its copy (it does once the frame is tessellated).
fn reuse(mesh: &mut Arc<Mesh>) -> &mut Mesh {
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
    quad(
        m,
        [a + n, b + n, b - n, a - n],
        scene_color_faded(color, alpha),
    );
}

/// Paints the elements `visible` of `scene` (in painting order) as an overview, each at
/// the share of its colour `alpha` gives it.
pub(super) fn paint_overview(
    painter: &egui::Painter,
    view: &View,
    area: Rect,
    scene: &LiveScene,
    visible: &[Element],
    alpha: &dyn Fn(Element) -> f32,
    mesh: &mut Arc<Mesh>,
) {
    let m = reuse(mesh);
    for &e in visible {
        let (items, range) = scene.items(e);
        let dim = alpha(e);
        for item in &items[range] {
            if item.detail() != Detail::Readable {
                overview_item(m, view, area, item, dim);
            }
        }
    }
    if !m.is_empty() {
        painter.add(Shape::Mesh(mesh.clone()));
    }
}

/// One item as flat quads, its colours at `dim` of themselves.
fn overview_item(m: &mut Mesh, view: &View, area: Rect, item: &Item, dim: f32) {
    let z = view.zoom;
    let to = |p: Point| view.to_screen(area, p);
    let fade = |c: Rgba| c.faded(dim);
    match item {
        Item::Rect {
            rect, fill, stroke, ..
        } => {
            let r = view.rect_to_screen(area, *rect);
            let fill = fade(*fill);
            if fill.a > 0 {
                rect_quad(m, r, scene_color(fill));
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
                    segment(m, p, q, w, fade(*c));
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
            let fill = fade(*fill);
            if r >= 0.5 && fill.a > 0 {
                let c = to(*center);
                let square = Rect::from_center_size(c, vec2(2.0 * r, 2.0 * r));
                rect_quad(m, square, scene_color(fill));
            }
        }
        Item::Line {
            points,
            width,
            color,
            ..
        } => {
            for pair in points.windows(2) {
                segment(m, to(pair[0]), to(pair[1]), width * z, fade(*color));
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
            let color = fade(*color);
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
                segment(m, prev, p, width * z, color);
                prev = p;
            }
            if *arrow_head && tip_len >= 2.0 {
                let [a, b, c] = scene::arrow_head(*ctrl2, *end, *width);
                triangle(m, [to(a), to(b), to(c)], scene_color(color));
            }
        }
        Item::Text { .. } => {}
    }
}
