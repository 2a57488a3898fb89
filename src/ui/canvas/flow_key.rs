//! What tells whether a flow changed since the tiles were built, and which tiles it
//! crosses: a key per flow arrow (its shape hashed, its colour, its control points), and
//! the flows that moved or took a new colour between two rebuilds.

use super::clip::split_cubic;
use super::tile_mesh::to_u32;
use crate::scene::{self, Item, LiveScene};
use egui::{Pos2, Rect, pos2};

/// What tells whether a flow changed, and where it is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct FlowKey {
    /// A hash of the flow's geometry, width and dashes (not its colour).
    pub(super) shape: u64,
    /// The flow's index in the document.
    pub(super) flow: u32,
    /// Its colour in the scene, before any fading (a highlighted theme fades the flows of
    /// other cards when they are drawn).
    pub(super) base: scene::Rgba,
    /// The curve's control points, in canvas points.
    pub(super) points: [scene::Point; 4],
    /// How far its stroke and arrow head reach from the curve, in canvas points.
    pub(super) reach: f32,
}

impl FlowKey {
    /// The key of a flow's arrow (`None` for any other item). The shape hashes what the
    /// tiles hold of it: its geometry, width and dashes. Each step of `FxHash`'s mixing is
    /// a bijection of the running value, so flows that differ in any one of these numbers
    /// never share a shape.
    pub(super) fn of(flow: usize, item: &Item) -> Option<Self> {
        use std::hash::Hasher;
        let Item::Curve {
            from,
            ctrl1,
            ctrl2,
            to,
            width,
            color,
            arrow_head: true,
            dashed,
            ..
        } = item
        else {
            return None;
        };
        let points = [*from, *ctrl1, *ctrl2, *to];
        let mut h = rustc_hash::FxHasher::default();
        for p in points {
            h.write_u64(u64::from(p.x.to_bits()) << 32 | u64::from(p.y.to_bits()));
        }
        h.write_u32(width.to_bits());
        h.write_u8(u8::from(*dashed));
        Some(Self {
            flow: to_u32(flow),
            shape: h.finish(),
            base: *color,
            points,
            reach: width / 2.0 + scene::arrow_size(*width) + 1.0,
        })
    }

    /// Where the flow, drawn at `zoom`, may put pieces: its control hull, out to the reach
    /// of its stroke (no tile outside it [`FlowKey::meets`] the flow).
    pub(super) fn hull(&self, zoom: f32) -> Rect {
        let p = self.points.map(|q| pos2(q.x * zoom, q.y * zoom));
        Rect::from_points(&p).expand(self.reach * zoom)
    }

    /// Whether the flow, drawn at `zoom`, may put a piece into `tile` (a rectangle of the
    /// plane the tiles cut): the curve's control hull is split until its halves clear the
    /// tile or a piece of 1/256 of the curve meets it. A long flow's bounds meet most tiles
    /// on screen; the curve itself crosses only a few.
    pub(super) fn meets(&self, tile: Rect, zoom: f32) -> bool {
        fn walk(p: [Pos2; 4], r: Rect, depth: u32) -> bool {
            let hull = Rect::from_points(&p);
            if !hull.intersects(r) {
                return false;
            }
            if depth == 0 || r.contains_rect(hull) {
                return true;
            }
            let (a, b) = split_cubic(p);
            walk(a, r, depth - 1) || walk(b, r, depth - 1)
        }
        let p = self.points.map(|q| pos2(q.x * zoom, q.y * zoom));
        walk(p, tile.expand(self.reach * zoom), 8)
    }
}

/// How flows differ between two rebuilds.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Changes {
    /// Flows whose shape changed, both as they were and as they are: a tile may hold a
    /// piece of either.
    pub(super) moved: Vec<FlowKey>,
    /// Flows whose colour alone changed, as they are now.
    pub(super) recolored: Vec<FlowKey>,
}

impl Changes {
    /// Adds how one flow changed, from key `was` to key `is`.
    pub(super) fn add(&mut self, was: Option<FlowKey>, is: Option<FlowKey>) {
        match (was, is) {
            (Some(was), Some(is)) if was.shape == is.shape => {
                if was.base != is.base {
                    self.recolored.push(is);
                }
            }
            (was, is) => self.moved.extend(was.into_iter().chain(is)),
        }
    }
}

/// The keys of a scene's flows, by index in the document.
pub(super) fn flow_keys(scene: &LiveScene) -> Vec<Option<FlowKey>> {
    let n = scene.flow_count();
    // Room for arrows drawn next: a full list would be copied whole to take one more.
    let mut keys = Vec::with_capacity(n + n / 8);
    keys.extend((0..n).map(|f| scene.flow(f).and_then(|item| FlowKey::of(f, item))));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::canvas::flow_tiles::TILE;
    use egui::Vec2;

    fn flow(from: (f32, f32), to: (f32, f32)) -> Item {
        let p = |(x, y): (f32, f32)| scene::Point::new(x, y);
        Item::Curve {
            from: p(from),
            ctrl1: p(((from.0 + to.0) / 2.0, from.1)),
            ctrl2: p(((from.0 + to.0) / 2.0, to.1)),
            to: p(to),
            width: 1.5,
            color: scene::Rgba::BLACK,
            arrow_head: true,
            dashed: false,
            detail: scene::Detail::Always,
        }
    }

    fn key(item: &Item) -> FlowKey {
        FlowKey::of(0, item).expect("a flow")
    }

    fn tile(c: i32, r: i32) -> Rect {
        Rect::from_min_size(pos2(c as f32 * TILE, r as f32 * TILE), Vec2::splat(TILE))
    }

    #[test]
    fn a_flow_meets_the_tiles_it_crosses_not_all_those_its_bounds_cover() {
        // From the top left to the bottom right of a 4×4-tile square, as an S.
        let f = key(&flow((10.0, 10.0), (1000.0, 1000.0)));
        assert!(f.meets(tile(0, 0), 1.0) && f.meets(tile(3, 3), 1.0));
        assert!(f.meets(tile(1, 0), 1.0), "the S runs along the top first");
        assert!(
            !f.meets(tile(0, 3), 1.0),
            "its bounds cover this corner; the curve does not"
        );
        // At zoom 2 the same flow reaches twice as far on the plane.
        assert!(f.meets(tile(7, 7), 2.0) && !f.meets(tile(7, 7), 1.0));
    }

    #[test]
    fn a_changed_flow_counts_where_it_was_and_where_it_is() {
        let a = key(&flow((0.0, 0.0), (100.0, 0.0)));
        let b = key(&flow((0.0, 600.0), (100.0, 600.0)));
        let moved = key(&flow((0.0, 0.0), (100.0, 900.0)));
        let changed_flows = |old: &[FlowKey], new: &[FlowKey]| {
            let mut changes = Changes::default();
            for (was, is) in old.iter().zip(new) {
                changes.add(Some(*was), Some(*is));
            }
            changes
        };
        assert_eq!(changed_flows(&[a, b], &[a, b]), Changes::default());
        let changed = changed_flows(&[a, b], &[moved, b]);
        assert_eq!(changed.moved, vec![a, moved]);
        assert!(changed.recolored.is_empty());
        // Where it was (tile 0,0 only) is stale too, not just where it now runs.
        assert!(changed.moved.iter().any(|f| f.meets(tile(0, 0), 1.0)));
        assert!(changed.moved.iter().any(|f| f.meets(tile(0, 3), 1.0)));
        // Only a new colour, no move.
        let recolored = FlowKey {
            base: scene::Rgba::WHITE,
            ..b
        };
        let changed = changed_flows(&[a, b], &[a, recolored]);
        assert_eq!(changed.moved, vec![]);
        assert_eq!(changed.recolored, vec![recolored]);
        let mut gone = Changes::default();
        gone.add(Some(a), None);
        assert_eq!(
            gone.moved,
            vec![a],
            "a flow with no arrow now: where it was is stale"
        );
    }
}
