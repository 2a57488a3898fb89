//! One scene item as egui shapes, at the view's zoom: what the canvas, the pinned headers
//! and the flow tiles all paint items with.

use super::clip::{Keep, curve_clipped, dashed_line_clipped};
use super::view::View;
use crate::scene::{self, Detail, Item, Point};
use crate::ui::tokens::{self, scene_color};
use egui::{Color32, CornerRadius, Pos2, Rect, Shape, Stroke, StrokeKind};

/// Text smaller than this on screen (in points) is not drawn: it could not be read (and a
/// label's background box goes with it). Where that leaves headers and cards without
/// names, `legible` draws them at a floor size.
pub(crate) const MIN_READABLE_TEXT: f32 = 6.0;

fn p2(view: &View, area: Rect, p: Point) -> Pos2 {
    view.to_screen(area, p)
}

/// Whether item `i` is the background box of a label (a flow's label, a moment-of-truth
/// pill) whose text is too small to draw: the box goes with it rather than show empty.
pub(crate) fn empty_label_box(items: &[Item], i: usize, zoom: f32) -> bool {
    let (
        Some(Item::Rect {
            rect,
            detail: Detail::Readable,
            ..
        }),
        Some(Item::Text { size, .. }),
    ) = (items.get(i), items.get(i + 1))
    else {
        return false;
    };
    size * zoom < MIN_READABLE_TEXT
        && items
            .get(i + 1)
            .is_some_and(|t| rect.contains(t.bounds().center()))
}

fn stroke_of(stroke: Option<(f32, scene::Rgba)>, zoom: f32, alpha: f32) -> Stroke {
    stroke.map_or(Stroke::NONE, |(w, c)| {
        Stroke::new(w * zoom, scene_color(c.faded(alpha)))
    })
}

/// Paints `item` with its colours at `alpha` of themselves (1: as they are; a card or
/// flow outside a highlighted theme is drawn faded).
pub(crate) fn paint_item(
    painter: &egui::Painter,
    view: &View,
    area: Rect,
    item: &Item,
    alpha: f32,
) {
    let z = view.zoom;
    let shade = |c: scene::Rgba| scene_color(c.faded(alpha));
    match item {
        Item::Rect {
            rect,
            radius,
            fill,
            stroke,
            ..
        } => {
            painter.rect(
                view.rect_to_screen(area, *rect),
                CornerRadius::from(radius * z),
                shade(*fill),
                stroke_of(*stroke, z, alpha),
                StrokeKind::Middle,
            );
        }
        Item::Text {
            pos,
            text,
            size,
            weight,
            color,
            ..
        } => {
            let px = size * z;
            if px < MIN_READABLE_TEXT {
                return;
            }
            // Laid out without a colour, which is given when painted: a theme highlighted
            // fades most texts, and a colour in the layout would lay every visible text
            // out again each time one is highlighted or cleared.
            let galley = painter.layout_no_wrap(
                text.clone(),
                tokens::font(px, *weight),
                Color32::PLACEHOLDER,
            );
            painter.galley(p2(view, area, *pos), galley, shade(*color));
        }
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
            ..
        } => {
            painter.circle(
                p2(view, area, *center),
                radius * z,
                shade(*fill),
                stroke_of(*stroke, z, alpha),
            );
        }
        Item::Line {
            points,
            width,
            color,
            ..
        } => {
            let pts: Vec<Pos2> = points.iter().map(|p| p2(view, area, *p)).collect();
            painter.add(Shape::line(pts, Stroke::new(width * z, shade(*color))));
        }
        Item::Curve { .. } => {
            let mut shapes = Vec::new();
            curve_shapes(view, area, item, alpha, &mut shapes);
            painter.extend(shapes);
        }
    }
}

/// The shapes of a curve item (stroke, dashes, arrow head), leaving out what lies outside
/// `area`.
fn curve_shapes(view: &View, area: Rect, item: &Item, alpha: f32, out: &mut Vec<Shape>) {
    curve_shapes_clipped(view, area, Keep::Meeting(area), item, alpha, out);
}

/// The shapes of the pieces of a curve item (stroke, dashes, arrow head) that `keep` wants
/// (screen points), at `alpha` of its colour.
pub(super) fn curve_shapes_clipped(
    view: &View,
    area: Rect,
    keep: Keep,
    item: &Item,
    alpha: f32,
    out: &mut Vec<Shape>,
) {
    let Item::Curve {
        from,
        ctrl1,
        ctrl2,
        to,
        width,
        color,
        arrow_head,
        dashed,
        ..
    } = item
    else {
        return;
    };
    let z = view.zoom;
    let color = scene_color(color.faded(alpha));
    let end = if *arrow_head {
        Item::curve_end_for_head(*ctrl2, *to, *width)
    } else {
        *to
    };
    let stroke = Stroke::new(width * z, color);
    let pts = [*from, *ctrl1, *ctrl2, end].map(|p| p2(view, area, p));
    if *dashed {
        let samples: Vec<Pos2> = (0..=24)
            .map(|i| {
                let q = scene::cubic_point(*from, *ctrl1, *ctrl2, end, i as f32 / 24.0);
                p2(view, area, q)
            })
            .collect();
        let [dash, gap] = scene::style::DASH;
        // Only the dashes on screen: a long dashed flow at working zoom would
        // otherwise be thousands of off-screen segments.
        dashed_line_clipped(out, &samples, stroke, dash * z, gap * z, keep);
    } else {
        curve_clipped(out, pts, stroke, keep);
    }
    if *arrow_head && keep.mark(p2(view, area, *to)) {
        let head = scene::arrow_head(*ctrl2, *to, *width).map(|p| p2(view, area, p));
        out.push(Shape::convex_polygon(head.to_vec(), color, Stroke::NONE));
    }
}
