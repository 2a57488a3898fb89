//! Small constructors for the scene's items: text, rectangles, straight lines.

use crate::scene::geom::{Point, Rect, Rgba};
use crate::scene::text::{self, Weight};
use crate::scene::{Detail, Item};

/// Text left-aligned at `pos` (top-left of the line box).
pub(super) fn text_item(pos: Point, text: String, size: f32, weight: Weight, color: Rgba) -> Item {
    Item::Text {
        pos,
        text,
        size,
        weight,
        color,
        detail: Detail::Readable,
    }
}

/// Text centred on `center` (both axes).
pub(crate) fn centered_text(
    center: Point,
    text: &str,
    size: f32,
    weight: Weight,
    color: Rgba,
) -> Item {
    let w = text::measure(text, size, weight);
    let h = text::line_height(size);
    text_item(
        Point::new(center.x - w / 2.0, center.y - h / 2.0),
        text.to_owned(),
        size,
        weight,
        color,
    )
}

pub(super) fn rect_item(rect: Rect, radius: f32, fill: Rgba, stroke: Option<(f32, Rgba)>) -> Item {
    Item::Rect {
        rect,
        radius,
        fill,
        stroke,
        detail: Detail::Always,
    }
}

pub(super) fn hline(x0: f32, x1: f32, y: f32, width: f32, color: Rgba) -> Item {
    Item::Line {
        points: vec![Point::new(x0, y), Point::new(x1, y)],
        width,
        color,
        detail: Detail::Always,
    }
}

pub(super) fn vline(x: f32, y0: f32, y1: f32, width: f32, color: Rgba) -> Item {
    Item::Line {
        points: vec![Point::new(x, y0), Point::new(x, y1)],
        width,
        color,
        detail: Detail::Always,
    }
}
