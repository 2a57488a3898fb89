//! A spatial index over a [`Scene`]'s items, so the editor paints only what is on screen.
//!
//! A uniform grid of buckets over the scene's bounds holds item indices (an item is put in
//! every bucket its bounds touch; items touching more than [`MAX_BUCKETS_PER_ITEM`] buckets,
//! like the background and lane bands, go to a short `large` list tested one by one).
//! [`SceneIndex::query`] returns the indices of the items whose bounds meet a viewport, in
//! painting order. Bounds are computed once when the index is built (text bounds measure
//! the text, which is too slow to repeat for every item every frame).
//!
//! Built once per scene rebuild (once per document change), next to the scene; O(items).
//! When a viewport covers most of the grid (zoomed out), a straight scan of the
//! precomputed bounds is cheaper than gathering buckets, and the query does that instead.

use super::geom::{Point, Rect};
use super::{Item, Scene};

/// A bucket span that is none: no item spans `u16::MAX` columns (at most 4096).
const NO_SPAN: [u16; 4] = [u16::MAX; 4];

/// A bucket coordinate, which is below 4096 (the grid's size is clamped to that).
fn narrow(v: usize) -> u16 {
    u16::try_from(v).unwrap_or(u16::MAX - 1)
}

/// Items touching more buckets than this are kept in the `large` list instead.
pub const MAX_BUCKETS_PER_ITEM: usize = 16;

/// Grid-bucketed item bounds for fast viewport queries.
#[derive(Clone, Debug, Default)]
pub struct SceneIndex {
    bounds: Vec<Rect>,
    origin: Point,
    cell: f32,
    cols: usize,
    rows: usize,
    /// Group `g` is items `groups[g]..groups[g + 1]` (see `SceneIndex::index`), and all
    /// of them lie within `group_bounds[g]`.
    groups: Vec<u32>,
    group_bounds: Vec<Rect>,
    /// CSR layout: bucket `b` holds the groups `entries[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    entries: Vec<u32>,
    /// Groups spanning many buckets, in painting order, with their bounds: every query
    /// tests them all, and on a big canvas they are thousands (long flows), so their
    /// bounds are kept here in order rather than read at random from `bounds`.
    large: Vec<(u32, Rect)>,
}

/// Buffers of an index, reused by the next one.
#[derive(Default)]
struct Buffers {
    groups: Vec<u32>,
    group_bounds: Vec<Rect>,
    starts: Vec<u32>,
    entries: Vec<u32>,
    large: Vec<(u32, Rect)>,
}

/// Most items in one group: a card has about ten; a bound keeps a query near a group
/// from testing many items that lie elsewhere.
const MAX_GROUP: usize = 32;

/// How far beyond a group's first item a later item may reach and still join it, in
/// canvas points: a card's body sits 2 points above its shadow, its finding badge over a
/// corner.
const GROUP_SLACK: f32 = 16.0;

/// Items from which their bounds are worked out on two threads: a text's bounds measure
/// it, and a big canvas has hundreds of thousands of texts (14 ms at 100,000 cards).
const PARALLEL_ITEMS: usize = 40_000;

/// Fills `out` with the bounds of `items`, in order; on two threads if `two` and there are
/// enough of them.
fn item_bounds(items: &[Item], out: &mut Vec<Rect>, two: bool) {
    out.clear();
    let n = items.len();
    if n < PARALLEL_ITEMS || !two {
        out.extend(items.iter().map(Item::bounds));
        return;
    }
    out.resize(n, Rect::NOTHING);
    let fill = |out: &mut [Rect], items: &[Item]| {
        for (o, item) in out.iter_mut().zip(items) {
            *o = item.bounds();
        }
    };
    let half = n / 2;
    let (mine, theirs) = out.split_at_mut(half);
    let helped = std::thread::scope(|s| {
        let helper = std::thread::Builder::new()
            .name("index".to_owned())
            .spawn_scoped(s, || fill(theirs, &items[half..]));
        fill(mine, &items[..half]);
        helper.map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        })
    });
    // No thread to be had: this one does the other half too.
    if helped.is_err() {
        fill(&mut out[half..], &items[half..]);
    }
}

impl SceneIndex {
    /// Indexes `scene`'s items by their [`Item::bounds`].
    pub fn build(scene: &Scene) -> Self {
        Self::default().rebuild(scene)
    }

    /// Indexes `scene`, reusing this (outdated) index's buffers: see
    /// `scene::rebuild_canvas` for why the editor keeps its big buffers across edits.
    pub fn rebuild(self, scene: &Scene) -> Self {
        let mut bounds = self.bounds;
        item_bounds(&scene.items, &mut bounds, crate::two_cores());
        let buffers = Buffers {
            groups: self.groups,
            group_bounds: self.group_bounds,
            starts: self.starts,
            entries: self.entries,
            large: self.large,
        };
        Self::index(bounds, buffers)
    }

    /// Indexes precomputed item bounds (index `i` is item `i`).
    /// Non-finite bounds (never produced from a valid document) are treated as empty.
    pub fn from_bounds(bounds: Vec<Rect>) -> Self {
        Self::index(bounds, Buffers::default())
    }

    /// Indexes `bounds`, filling the given buffers (whatever they hold is dropped).
    fn index(mut bounds: Vec<Rect>, buffers: Buffers) -> Self {
        let Buffers {
            mut groups,
            mut group_bounds,
            mut starts,
            mut entries,
            mut large,
        } = buffers;
        groups.clear();
        group_bounds.clear();
        starts.clear();
        entries.clear();
        large.clear();
        let n = bounds.len();
        for b in &mut bounds {
            let finite = [b.min.x, b.min.y, b.max.x, b.max.y]
                .iter()
                .all(|v| v.is_finite());
            if !finite || b.max.x < b.min.x || b.max.y < b.min.y {
                *b = Rect::NOTHING;
            }
        }
        let total = bounds
            .iter()
            .filter(|r| *r != &Rect::NOTHING)
            .fold(Rect::NOTHING, |acc, r| acc.union(*r));
        if total == Rect::NOTHING {
            return Self {
                bounds,
                ..Self::default()
            };
        }
        // About eight items per bucket on average, never tiny buckets.
        let area = (total.width().max(1.0) * total.height().max(1.0)) as f64;
        let cell = ((area * 8.0 / n as f64).sqrt() as f32).max(64.0);
        let cols = ((total.width() / cell).ceil() as usize).clamp(1, 4096);
        let rows = ((total.height() / cell).ceil() as usize).clamp(1, 4096);
        let mut index = Self {
            bounds,
            origin: total.min,
            cell,
            cols,
            rows,
            groups: Vec::new(),
            group_bounds: Vec::new(),
            starts: Vec::new(),
            entries: Vec::new(),
            large,
        };

        // Items are indexed by group: a run of items near the run's first item (a card's
        // shadow, then its body, stripe, texts, dot and badges) is put in the buckets once,
        // under the union of their bounds. A card is about ten items, so the buckets hold
        // a tenth of the entries they would item by item. Items far apart (flows, bands)
        // each make a group of their own.
        // Two passes (count, then fill) so the buckets live in two flat vectors. Spans are
        // kept as four u16 (cols and rows are at most 4096), `NO_SPAN` for none.
        let mut counts = vec![0u32; cols * rows + 1];
        let mut spans: Vec<[u16; 4]> = Vec::new();
        let mut close = |index: &mut Self, union: Rect| {
            let g = spans.len() as u32;
            group_bounds.push(union);
            match index.span(union) {
                Some((c0, r0, c1, r1)) if (c1 - c0 + 1) * (r1 - r0 + 1) <= MAX_BUCKETS_PER_ITEM => {
                    for row in r0..=r1 {
                        for col in c0..=c1 {
                            counts[row * cols + col] += 1;
                        }
                    }
                    spans.push([c0, r0, c1, r1].map(narrow));
                }
                Some(_) => {
                    index.large.push((g, union));
                    spans.push(NO_SPAN);
                }
                None => spans.push(NO_SPAN), // empty or non-finite bounds: never visible
            }
        };
        // The group being extended: its first item, that item's bounds grown by
        // `GROUP_SLACK` (what a later item must lie in to join), and the union so far.
        let mut open: Option<(usize, Rect, Rect)> = None;
        for i in 0..n {
            let r = index.bounds[i];
            if let Some((first, reach, union)) = &mut open
                && i - *first < MAX_GROUP
                && (r == Rect::NOTHING || reach.contains_rect(r))
            {
                *union = union.union(r);
                continue;
            }
            if let Some((_, _, union)) = open.take() {
                close(&mut index, union);
            }
            groups.push(i as u32);
            open = Some((i, r.expand(GROUP_SLACK), r));
        }
        if let Some((_, _, union)) = open {
            close(&mut index, union);
        }
        groups.push(n as u32);
        starts.reserve(counts.len());
        let mut sum = 0u32;
        for c in &counts {
            starts.push(sum);
            sum += c;
        }
        let mut fill = starts.clone();
        entries.resize(sum as usize, 0);
        for (g, span) in spans.into_iter().enumerate() {
            if span != NO_SPAN {
                let [c0, r0, c1, r1] = span.map(usize::from);
                for row in r0..=r1 {
                    for col in c0..=c1 {
                        let b = row * cols + col;
                        entries[fill[b] as usize] = g as u32;
                        fill[b] += 1;
                    }
                }
            }
        }
        index.groups = groups;
        index.group_bounds = group_bounds;
        index.starts = starts;
        index.entries = entries;
        index
    }

    /// Number of groups the items were indexed in (see `SceneIndex::index`).
    pub fn groups(&self) -> usize {
        self.groups.len().saturating_sub(1)
    }

    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The bounds of item `i`, as indexed.
    pub fn item_bounds(&self, i: usize) -> Option<Rect> {
        self.bounds.get(i).copied()
    }

    /// The buckets `r` touches: (first col, first row, last col, last row), clamped to the
    /// grid; `None` for empty, non-finite or outside rectangles.
    fn span(&self, r: Rect) -> Option<(usize, usize, usize, usize)> {
        if self.cols == 0
            || !(r.min.x.is_finite()
                && r.min.y.is_finite()
                && r.max.x.is_finite()
                && r.max.y.is_finite())
            || r.max.x < r.min.x
            || r.max.y < r.min.y
        {
            return None;
        }
        let to_cell = |v: f32, o: f32, n: usize| -> Option<usize> {
            let c = (v - o) / self.cell;
            if c < 0.0 {
                Some(0).filter(|_| v >= o - f32::EPSILON)
            } else {
                // Truncation is the floor of a non-negative value, without a call to
                // `floorf` (not inlined on baseline x86-64; 1M items per rebuild).
                Some((c as usize).min(n - 1))
            }
        };
        let max_x = self.origin.x + self.cols as f32 * self.cell;
        let max_y = self.origin.y + self.rows as f32 * self.cell;
        if r.max.x < self.origin.x || r.max.y < self.origin.y || r.min.x > max_x || r.min.y > max_y
        {
            return None;
        }
        let c0 = to_cell(r.min.x.max(self.origin.x), self.origin.x, self.cols)?;
        let r0 = to_cell(r.min.y.max(self.origin.y), self.origin.y, self.rows)?;
        let c1 = to_cell(r.max.x, self.origin.x, self.cols)?;
        let r1 = to_cell(r.max.y, self.origin.y, self.rows)?;
        Some((c0, r0, c1, r1))
    }

    /// Indices of the items whose bounds meet `viewport`, in painting order, written to
    /// `out` (cleared first; pass the same vector every frame to avoid allocating).
    pub fn query(&self, viewport: Rect, out: &mut Vec<u32>) {
        out.clear();
        let Some((c0, r0, c1, r1)) = self.span(viewport) else {
            return;
        };
        let covered = (c1 - c0 + 1) * (r1 - r0 + 1);
        if covered * 3 >= self.cols * self.rows {
            // Most of the grid: scanning the bounds in order is cheaper and needs no sort.
            out.extend(
                self.bounds
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.intersects(viewport))
                    .map(|(i, _)| i as u32),
            );
            return;
        }
        // First the groups (whose first item meets the viewport), then their items.
        for &(g, b) in &self.large {
            if b.intersects(viewport) {
                out.push(g);
            }
        }
        for row in r0..=r1 {
            let first = self.starts[row * self.cols + c0] as usize;
            let last = self.starts[row * self.cols + c1 + 1] as usize;
            out.extend(
                self.entries[first..last]
                    .iter()
                    .copied()
                    .filter(|&g| self.group_bounds[g as usize].intersects(viewport)),
            );
        }
        // Buckets are visited row by row; painting order is index order. Groups in several
        // buckets appear once per bucket.
        out.sort_unstable();
        out.dedup();
        // Each group's items that meet the viewport, after the group list, which then
        // goes: items come out in order, as groups are ranges in order.
        let k = out.len();
        for at in 0..k {
            let g = out[at] as usize;
            let (from, to) = (self.groups[g], self.groups[g + 1]);
            for i in from..to {
                if self.bounds[i as usize].intersects(viewport) {
                    out.push(i);
                }
            }
        }
        out.drain(..k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        Rect::from_min_max(Point::new(x0, y0), Point::new(x1, y1))
    }

    fn brute(bounds: &[Rect], v: Rect) -> Vec<u32> {
        (0..bounds.len() as u32)
            .filter(|&i| bounds[i as usize].intersects(v))
            .collect()
    }

    /// Bounds worked out on two threads are those of one thread, in order.
    #[test]
    fn item_bounds_on_two_threads_match_one() {
        let items: Vec<Item> = (0..PARALLEL_ITEMS + 7)
            .map(|i| {
                let x = i as f32;
                if i % 3 == 0 {
                    Item::Text {
                        pos: Point::new(x, 2.0 * x),
                        text: "w".repeat(i % 17),
                        size: 12.0,
                        weight: super::super::Weight::Regular,
                        color: super::super::Rgba::BLACK,
                        detail: super::super::Detail::Always,
                    }
                } else {
                    Item::Circle {
                        center: Point::new(x, -x),
                        radius: (i % 5) as f32,
                        fill: super::super::Rgba::BLACK,
                        stroke: None,
                        detail: super::super::Detail::Always,
                    }
                }
            })
            .collect();
        let (mut one, mut two) = (Vec::new(), vec![r(0.0, 0.0, 1.0, 1.0); 3]);
        item_bounds(&items, &mut one, false);
        item_bounds(&items, &mut two, true);
        assert_eq!(one.len(), items.len());
        assert_eq!(one, two);
        assert_eq!(one[3], items[3].bounds());
    }

    #[test]
    fn grouped_items_are_found_like_a_brute_force_scan_finds_them() {
        // Cards of a body and items inside it (grouped under the body), a badge over each
        // body's corner (within the slack), an item beyond it, a card with more items than
        // a group holds, empty items in the middle, and a long flow across everything.
        let mut bounds = vec![r(0.0, 0.0, 6_000.0, 4_000.0)];
        for i in 0..30 {
            for j in 0..20 {
                let (x, y) = (i as f32 * 200.0, j as f32 * 200.0);
                bounds.push(r(x, y, x + 150.0, y + 100.0));
                bounds.push(r(x + 5.0, y + 5.0, x + 145.0, y + 12.0));
                bounds.push(r(x + 10.0, y + 20.0, x + 120.0, y + 60.0));
                if (i + j) % 7 == 0 {
                    bounds.push(Rect::NOTHING);
                }
                bounds.push(r(x + 140.0, y - 10.0, x + 160.0, y + 10.0));
                // Beyond the slack: a group of its own, then back inside the card.
                bounds.push(r(x + 170.0, y, x + 190.0, y + 20.0));
                bounds.push(r(x + 10.0, y + 80.0, x + 20.0, y + 90.0));
            }
        }
        for k in 0..(MAX_GROUP as u32 + 10) {
            let y = k as f32;
            bounds.push(if k == 0 {
                r(100.0, 4_100.0, 300.0, 4_200.0)
            } else {
                r(100.0 + y, 4_100.0 + y, 110.0 + y, 4_101.0 + y)
            });
        }
        bounds.push(r(0.0, 1_000.0, 6_000.0, 1_300.0));
        let index = SceneIndex::from_bounds(bounds.clone());
        assert!(
            index.groups.len() < bounds.len() * 2 / 3,
            "items are grouped"
        );
        let mut out = Vec::new();
        let mut seed = 11u32;
        let mut next = |m: f32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) as f32 / (1u32 << 24) as f32 * m
        };
        for _ in 0..300 {
            let (x, y) = (next(6_500.0) - 200.0, next(4_500.0) - 200.0);
            let v = r(x, y, x + next(900.0), y + next(700.0));
            index.query(v, &mut out);
            assert_eq!(out, brute(&bounds, v), "viewport {v:?}");
        }
    }

    #[test]
    fn queries_match_a_brute_force_scan() {
        // A background, then a grid of small cards, then long lines across.
        let mut bounds = vec![r(0.0, 0.0, 10_000.0, 8_000.0)];
        for i in 0..60 {
            for j in 0..40 {
                let (x, y) = (i as f32 * 160.0, j as f32 * 190.0);
                bounds.push(r(x, y, x + 150.0, y + 100.0));
            }
        }
        bounds.push(r(0.0, 4000.0, 10_000.0, 4001.0));
        bounds.push(r(5000.0, 0.0, 5001.0, 8000.0));
        let index = SceneIndex::from_bounds(bounds.clone());
        let mut out = Vec::new();
        for v in [
            r(-50.0, -50.0, 300.0, 300.0),
            r(1234.0, 2345.0, 3456.0, 3456.0),
            r(4990.0, 3990.0, 5010.0, 4010.0),
            r(-100.0, -100.0, 20_000.0, 20_000.0),
            r(9_999.0, 7_999.0, 12_000.0, 9_000.0),
            r(20_000.0, 20_000.0, 30_000.0, 30_000.0),
        ] {
            index.query(v, &mut out);
            assert_eq!(out, brute(&bounds, v), "viewport {v:?}");
        }
    }

    #[test]
    fn an_index_rebuilt_in_old_buffers_answers_like_a_new_one() {
        let rect = |x: f32, y: f32, w: f32| Item::Rect {
            rect: r(x, y, x + w, y + w),
            radius: 0.0,
            fill: crate::scene::Rgba::BLACK,
            stroke: None,
            detail: crate::scene::Detail::Always,
        };
        // A big scene first, so the buffers hold entries the next scene does not have.
        let big = Scene {
            bounds: r(0.0, 0.0, 9_000.0, 9_000.0),
            items: (0..900)
                .map(|i| rect((i % 30) as f32 * 300.0, (i / 30) as f32 * 300.0, 250.0))
                .collect(),
            groups: Vec::new(),
        };
        let small = Scene {
            bounds: r(0.0, 0.0, 2_000.0, 2_000.0),
            items: vec![
                rect(0.0, 0.0, 2_000.0),
                rect(100.0, 100.0, 50.0),
                rect(1_500.0, 1_500.0, 400.0),
            ],
            groups: Vec::new(),
        };
        let reused = SceneIndex::build(&big).rebuild(&small);
        let new = SceneIndex::build(&small);
        assert_eq!(reused.len(), 3);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for v in [
            r(0.0, 0.0, 200.0, 200.0),
            r(1_600.0, 1_600.0, 1_700.0, 1_700.0),
            r(5_000.0, 5_000.0, 6_000.0, 6_000.0),
        ] {
            reused.query(v, &mut a);
            new.query(v, &mut b);
            assert_eq!(a, b, "viewport {v:?}");
        }
        reused.query(r(120.0, 120.0, 130.0, 130.0), &mut a);
        assert_eq!(a, vec![0, 1]);
    }

    #[test]
    fn bad_bounds_are_never_returned_and_never_panic() {
        let bounds = vec![
            r(0.0, 0.0, 100.0, 100.0),
            r(f32::NAN, 0.0, 10.0, 10.0),
            Rect::NOTHING,
            r(50.0, 50.0, f32::INFINITY, 60.0),
        ];
        let index = SceneIndex::from_bounds(bounds);
        let mut out = Vec::new();
        index.query(r(0.0, 0.0, 100.0, 100.0), &mut out);
        assert_eq!(out, vec![0]);
        index.query(r(f32::NAN, 0.0, 1.0, 1.0), &mut out);
        assert!(out.is_empty());
        let empty = SceneIndex::from_bounds(Vec::new());
        empty.query(r(0.0, 0.0, 1.0, 1.0), &mut out);
        assert!(out.is_empty());
    }
}
