//! A flow's arrow from one card to another: which way it runs, and its curve.

use crate::scene::geom::{Point, Rect};
use crate::scene::style::{FLOW_WIDTH, Palette};
use crate::scene::{Detail, Item};

/// Least horizontal reach of a forward flow's control points.
const FORWARD_REACH: f32 = 30.0;
/// How deep a backward flow dips below the lower of its cards, plus a share of the height
/// between them.
const LOOP_DIP: f32 = 40.0;
const LOOP_DIP_PER_RISE: f32 = 0.2;
/// Room a loop keeps from the bottom of the grid.
const LOOP_FLOOR: f32 = 3.0;
/// Least vertical reach of a flow within a stage column.
const VERTICAL_REACH: f32 = 20.0;

/// The curve of a flow from card `a` to card `b` (at full colour): forward flows run
/// from the right edge to the left edge; flows within a column run vertically; backward
/// flows (the loop from sharing back to discovery) run below the cards, dashed, staying
/// above `bottom`.
pub(super) fn flow_item(a: Rect, b: Rect, bottom: f32, p: &Palette) -> Item {
    let (from, c1, c2, to, dashed) = if b.min.x >= a.max.x {
        let from = Point::new(a.max.x, a.center().y);
        let to = Point::new(b.min.x, b.center().y);
        let dx = ((to.x - from.x) / 2.0).max(FORWARD_REACH);
        (from, from.offset(dx, 0.0), to.offset(-dx, 0.0), to, false)
    } else if b.max.x <= a.min.x {
        let from = Point::new(a.center().x, a.max.y);
        let to = Point::new(b.center().x, b.max.y);
        let dip = LOOP_DIP + (from.y - to.y).abs() * LOOP_DIP_PER_RISE;
        // A cubic whose two control points sit at `low` reaches 3/4 of the way down to
        // them: keep that inside the grid so loops never spill onto the legend.
        let deepest = from.y.max(to.y);
        let room = ((bottom - LOOP_FLOOR - deepest) / 0.75).max(0.0);
        let low = deepest + dip.min(room);
        (
            from,
            Point::new(from.x, low),
            Point::new(to.x, low),
            to,
            true,
        )
    } else if b.min.y >= a.max.y {
        let from = Point::new(a.center().x, a.max.y);
        let to = Point::new(b.center().x, b.min.y);
        let dy = ((to.y - from.y) / 2.0).max(VERTICAL_REACH);
        (from, from.offset(0.0, dy), to.offset(0.0, -dy), to, false)
    } else {
        let from = Point::new(a.center().x, a.min.y);
        let to = Point::new(b.center().x, b.max.y);
        let dy = ((from.y - to.y) / 2.0).max(VERTICAL_REACH);
        (from, from.offset(0.0, -dy), to.offset(0.0, dy), to, false)
    };
    Item::Curve {
        from,
        ctrl1: c1,
        ctrl2: c2,
        to,
        width: FLOW_WIDTH,
        color: p.flow,
        arrow_head: true,
        dashed,
        detail: Detail::Always,
    }
}

/// The four control points of a flow's curve.
pub(super) fn curve_points(item: &Item) -> Option<[Point; 4]> {
    match item {
        Item::Curve {
            from,
            ctrl1,
            ctrl2,
            to,
            ..
        } => Some([*from, *ctrl1, *ctrl2, *to]),
        _ => None,
    }
}
