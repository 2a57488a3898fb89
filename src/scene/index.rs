//! A spatial index over a scene's elements (a card, a flow, a label, one grid item), so
//! the editor paints only what is on screen, and so an edit moves only the elements it
//! touched.
//!
//! A uniform grid of buckets over the canvas holds element keys (an element is put in
//! every bucket its bounds touch; elements touching more than [`MAX_BUCKETS_PER_ITEM`]
//! buckets, like the background and long flows, go to a short `large` list tested one by
//! one). An element is added, moved or removed in the buckets of its old and new bounds
//! only. [`SceneIndex::query`] returns the keys of the elements whose bounds meet a
//! viewport, sorted, which is painting order (see [`Element`]). When a viewport covers
//! most of the grid (zoomed out), a straight scan of the bounds in order is cheaper than
//! gathering buckets, and the query does that instead.
//!
//! Bounds outside the grid (the canvas grew after the index was sized) are clamped into
//! its edge buckets, both when stored and when asked for, so nothing is ever lost; the
//! index is sized again with each full rebuild.

use super::geom::{Point, Rect};

/// Items touching more buckets than this are kept in the `large` list instead.
pub const MAX_BUCKETS_PER_ITEM: usize = 16;

/// Elements per bucket the grid is sized for, on average.
const PER_BUCKET: f64 = 8.0;

/// The smallest bucket side, in canvas units.
const MIN_BUCKET: f32 = 64.0;

/// The most buckets across or down.
const MAX_BUCKETS_ACROSS: usize = 4096;

/// An element of a scene: its layer and its index in that layer, packed so that keys sort
/// in painting order (layer first, then index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Element(u32);

impl Element {
    /// Layers an index holds.
    pub const LAYERS: usize = 5;
    const SHIFT: u32 = 29;

    /// The element `index` of layer `layer` (below [`Element::LAYERS`]).
    pub fn new(layer: usize, index: usize) -> Self {
        let layer = u32::try_from(layer.min(Self::LAYERS - 1)).unwrap_or(0);
        let index = u32::try_from(index).unwrap_or(u32::MAX) & ((1 << Self::SHIFT) - 1);
        Element(layer << Self::SHIFT | index)
    }

    pub fn layer(self) -> usize {
        (self.0 >> Self::SHIFT) as usize
    }

    pub fn index(self) -> usize {
        (self.0 & ((1 << Self::SHIFT) - 1)) as usize
    }
}

/// Grid-bucketed element bounds for fast viewport queries, updated element by element.
///
/// Moving or removing an element does not search the buckets it was in (a coarse bucket
/// may hold thousands of long flows): each placement carries the element's generation,
/// which the move bumps, and queries skip entries of an older generation. When such stale
/// entries outnumber the live ones, the buckets are filled again from the bounds.
#[derive(Clone, Debug, Default)]
pub struct SceneIndex {
    /// Buckets sized for the elements of a card's size, and eight times coarser ones for
    /// the long flows that would touch too many small buckets.
    fine: Grid,
    coarse: Grid,
    /// Elements spanning many coarse buckets too (the background, lane bands, loops
    /// running across the canvas), unordered.
    large: Vec<Entry>,
    /// Each element's bounds as indexed, per layer; `Rect::NOTHING` for none.
    bounds: [Vec<Rect>; Element::LAYERS],
    /// Each element's generation (never shortened, so that an entry left behind by a
    /// removed element can never pass for a later one), and the entries and stale entries
    /// in the buckets.
    generation: [Vec<u32>; Element::LAYERS],
    entries: usize,
    stale: usize,
}

/// An element as placed in a bucket, with the generation it was placed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    element: Element,
    generation: u32,
}

/// How much coarser the second grid's buckets are, on each side.
const COARSE: f32 = 8.0;

/// A uniform grid of buckets of element keys.
#[derive(Clone, Debug, Default)]
struct Grid {
    origin: Point,
    cell: f32,
    cols: usize,
    rows: usize,
    /// Per bucket (`row * cols + col`), the elements whose bounds touch it, unordered.
    buckets: Vec<Vec<Entry>>,
}

/// A range of buckets: first col, first row, last col, last row.
type Span = (usize, usize, usize, usize);

impl Grid {
    fn new(area: Rect, cell: f32) -> Self {
        let across = |len: f32| ((len / cell).ceil() as usize).clamp(1, MAX_BUCKETS_ACROSS);
        let (cols, rows) = (across(area.width()), across(area.height()));
        Grid {
            origin: area.min,
            cell,
            cols,
            rows,
            buckets: vec![Vec::new(); cols * rows],
        }
    }

    /// The buckets `r` touches, clamped to the grid; `None` for empty or non-finite
    /// bounds.
    fn span(&self, r: Rect) -> Option<Span> {
        if self.cols == 0 || !placeable(r) {
            return None;
        }
        // Saturating casts: below the origin is bucket 0, beyond the grid the last one.
        let to_cell = |v: f32, o: f32, n: usize| (((v - o) / self.cell) as usize).min(n - 1);
        Some((
            to_cell(r.min.x, self.origin.x, self.cols),
            to_cell(r.min.y, self.origin.y, self.rows),
            to_cell(r.max.x, self.origin.x, self.cols),
            to_cell(r.max.y, self.origin.y, self.rows),
        ))
    }

    /// The buckets of `span`.
    fn buckets(&self, (c0, r0, c1, r1): Span) -> impl Iterator<Item = usize> + '_ {
        (r0..=r1).flat_map(move |row| (c0..=c1).map(move |col| row * self.cols + col))
    }
}

/// Buckets a span covers.
fn size((c0, r0, c1, r1): Span) -> usize {
    (c1 - c0 + 1) * (r1 - r0 + 1)
}

/// Bounds the index can place: finite and not inverted.
fn placeable(r: Rect) -> bool {
    [r.min.x, r.min.y, r.max.x, r.max.y]
        .iter()
        .all(|v| v.is_finite())
        && r.max.x >= r.min.x
        && r.max.y >= r.min.y
}

/// Where an element with some bounds is kept.
enum Place {
    Nowhere,
    Fine(Span),
    Coarse(Span),
    Large,
}

impl SceneIndex {
    /// An empty index sized for about `elements` elements over `area`.
    pub fn new(area: Rect, elements: usize) -> Self {
        let area = if placeable(area) {
            area
        } else {
            Rect::from_min_size(Point::new(0.0, 0.0), 1.0, 1.0)
        };
        let size = f64::from(area.width().max(1.0)) * f64::from(area.height().max(1.0));
        let cell = ((size * PER_BUCKET / elements.max(1) as f64).sqrt() as f32).max(MIN_BUCKET);
        Self {
            fine: Grid::new(area, cell),
            coarse: Grid::new(area, cell * COARSE),
            ..Self::default()
        }
    }

    fn place_of(&self, r: Rect) -> Place {
        let Some(span) = self.fine.span(r) else {
            return Place::Nowhere;
        };
        if size(span) <= MAX_BUCKETS_PER_ITEM {
            return Place::Fine(span);
        }
        match self.coarse.span(r) {
            Some(span) if size(span) <= MAX_BUCKETS_PER_ITEM => Place::Coarse(span),
            _ => Place::Large,
        }
    }

    /// Entries an element with bounds `r` takes.
    fn entries_of(&self, r: Rect) -> usize {
        match self.place_of(r) {
            Place::Nowhere => 0,
            Place::Fine(span) | Place::Coarse(span) => size(span),
            Place::Large => 1,
        }
    }

    /// The bounds of element `e`, as indexed (`Rect::NOTHING` when it has none).
    pub fn bounds(&self, e: Element) -> Rect {
        self.bounds[e.layer()]
            .get(e.index())
            .copied()
            .unwrap_or(Rect::NOTHING)
    }

    /// Number of elements of `layer` the index knows (with bounds or not).
    pub fn layer_len(&self, layer: usize) -> usize {
        self.bounds[layer].len()
    }

    /// Gives element `e` the bounds `r` (`Rect::NOTHING`, or bounds that are not finite or
    /// are inverted: none), moving it in the buckets.
    pub fn set(&mut self, e: Element, r: Rect) {
        // Bounds it cannot place (never made from a valid document) are none at all.
        let r = if placeable(r) { r } else { Rect::NOTHING };
        let (layer, i) = (e.layer(), e.index());
        if self.bounds[layer].get(i) == Some(&r) {
            // Already there: an element's entries are live from the moment it is placed
            // (most elements a redraw sets again did not move; their entries stay fresh).
            return;
        }
        self.forget(e);
        if self.bounds[layer].len() <= i {
            self.bounds[layer].resize(i + 1, Rect::NOTHING);
        }
        if self.generation[layer].len() <= i {
            self.generation[layer].resize(i + 1, 0);
        }
        self.bounds[layer][i] = r;
        self.place(e, r);
        if self.stale > self.entries.max(4_096) {
            self.compact();
        }
    }

    /// Drops the elements of `layer` from index `len` on.
    pub fn truncate(&mut self, layer: usize, len: usize) {
        for i in len..self.bounds[layer].len() {
            self.forget(Element::new(layer, i));
        }
        self.bounds[layer].truncate(len);
    }

    /// Renumbers the elements of `layer` after their list was spliced: `map` takes each
    /// element's index before to its index now (`None`: removed), and the layer has `len`
    /// elements now; those new to it have no bounds until set. Entries are rewritten in
    /// place, not placed again.
    pub fn splice(&mut self, layer: usize, map: &[Option<usize>], len: usize) {
        let old_gen = std::mem::take(&mut self.generation[layer]);
        let old_bounds = std::mem::take(&mut self.bounds[layer]);
        let (mut bounds, mut generation) = (vec![Rect::NOTHING; len], vec![0u32; len]);
        for (old, now) in map.iter().enumerate() {
            if let (Some(now), Some(&b)) = (now.filter(|&n| n < len), old_bounds.get(old)) {
                bounds[now] = b;
                generation[now] = old_gen[old];
            }
        }
        // Entries of removed elements, live or not, go; stale ones of kept elements too
        // (the generations they were placed at are not kept).
        let (mut live_gone, mut stale_gone) = (0, 0);
        let mut renumber = |e: &mut Entry| {
            if e.element.layer() != layer {
                return true;
            }
            let i = e.element.index();
            let live = old_gen.get(i) == Some(&e.generation) && i < old_bounds.len();
            match map.get(i).copied().flatten().filter(|&n| n < len) {
                Some(now) if live => {
                    e.element = Element::new(layer, now);
                    true
                }
                _ => {
                    if live {
                        live_gone += 1;
                    } else {
                        stale_gone += 1;
                    }
                    false
                }
            }
        };
        for grid in [&mut self.fine, &mut self.coarse] {
            for bucket in &mut grid.buckets {
                bucket.retain_mut(&mut renumber);
            }
        }
        self.large.retain_mut(&mut renumber);
        self.entries -= live_gone;
        self.stale -= stale_gone;
        self.bounds[layer] = bounds;
        self.generation[layer] = generation;
    }

    /// Makes the entries of `e` stale (its generation moves on).
    fn forget(&mut self, e: Element) {
        let n = self.entries_of(self.bounds(e));
        self.stale += n;
        self.entries -= n;
        if let Some(g) = self.generation[e.layer()].get_mut(e.index()) {
            *g = g.wrapping_add(1);
        }
    }

    fn place(&mut self, e: Element, r: Rect) {
        let entry = Entry {
            element: e,
            generation: self.generation[e.layer()][e.index()],
        };
        let (grid, span) = match self.place_of(r) {
            Place::Nowhere => return,
            Place::Fine(span) => (&mut self.fine, span),
            Place::Coarse(span) => (&mut self.coarse, span),
            Place::Large => {
                self.large.push(entry);
                self.entries += 1;
                return;
            }
        };
        let (c0, r0, c1, r1) = span;
        for row in r0..=r1 {
            for col in c0..=c1 {
                grid.buckets[row * grid.cols + col].push(entry);
            }
        }
        self.entries += size(span);
    }

    /// Fills the buckets again from the bounds, without stale entries.
    fn compact(&mut self) {
        for grid in [&mut self.fine, &mut self.coarse] {
            for bucket in &mut grid.buckets {
                bucket.clear();
            }
        }
        self.large.clear();
        (self.entries, self.stale) = (0, 0);
        for layer in 0..Element::LAYERS {
            for i in 0..self.bounds[layer].len() {
                let e = Element::new(layer, i);
                self.place(e, self.bounds[layer][i]);
            }
        }
    }

    /// Whether a bucket entry is the element as it is now.
    fn live(&self, entry: &Entry) -> bool {
        let (layer, i) = (entry.element.layer(), entry.element.index());
        i < self.bounds[layer].len() && self.generation[layer][i] == entry.generation
    }

    /// What [`SceneIndex::query`] finds, by testing the bounds of every element in turn.
    pub fn scan(&self, viewport: Rect, out: &mut Vec<Element>) {
        out.clear();
        for (layer, list) in self.bounds.iter().enumerate() {
            let meets = list
                .iter()
                .enumerate()
                .filter(|(_, b)| b.intersects(viewport));
            out.extend(meets.map(|(i, _)| Element::new(layer, i)));
        }
    }

    /// The elements whose bounds meet `viewport`, in painting order, written to `out`
    /// (cleared first; pass the same vector every frame to avoid allocating).
    pub fn query(&self, viewport: Rect, out: &mut Vec<Element>) {
        out.clear();
        let Some(span) = self.fine.span(viewport) else {
            return;
        };
        if size(span) * 3 >= self.fine.cols * self.fine.rows {
            // Most of the grid: scanning the bounds in order is cheaper and needs no sort.
            self.scan(viewport, out);
            return;
        }
        let wanted =
            |entry: &&Entry| self.live(entry) && self.bounds(entry.element).intersects(viewport);
        out.extend(self.large.iter().filter(wanted).map(|x| x.element));
        for grid in [&self.fine, &self.coarse] {
            let Some(span) = grid.span(viewport) else {
                continue;
            };
            for b in grid.buckets(span) {
                out.extend(grid.buckets[b].iter().filter(wanted).map(|x| x.element));
            }
        }
        // An element in several buckets comes once per bucket.
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        Rect::from_min_max(Point::new(x0, y0), Point::new(x1, y1))
    }

    fn brute(index: &SceneIndex, v: Rect) -> Vec<Element> {
        let mut out = Vec::new();
        for layer in 0..Element::LAYERS {
            for i in 0..index.layer_len(layer) {
                let e = Element::new(layer, i);
                if index.bounds(e).intersects(v) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// A pseudo-random number in 0..n (xorshift).
    fn next(state: &mut u64, n: u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state % n
    }

    #[test]
    fn keys_sort_in_painting_order() {
        let a = Element::new(1, 5);
        let b = Element::new(2, 0);
        assert!(a < b && Element::new(1, 4) < a);
        assert_eq!((b.layer(), b.index()), (2, 0));
        assert_eq!(Element::new(3, 123_456).index(), 123_456);
    }

    /// Elements placed, moved (also out of the grid it was sized for), removed and
    /// truncated: every query answers what a scan of all bounds answers, in order.
    #[test]
    fn queries_match_a_brute_force_scan_through_edits() {
        let mut index = SceneIndex::new(r(0.0, 0.0, 4_000.0, 3_000.0), 2_000);
        let mut s = 7_u64;
        let place = |index: &mut SceneIndex, s: &mut u64| {
            let layer = next(s, 5) as usize;
            let i = next(s, 500) as usize;
            let (x, y) = (next(s, 5_000) as f32 - 500.0, next(s, 4_000) as f32 - 500.0);
            let (w, h) = (next(s, 300) as f32, next(s, 200) as f32);
            let bounds = match next(s, 20) {
                0 => Rect::NOTHING,
                1 => r(x, y, x + 3_000.0, y + 40.0),
                _ => r(x, y, x + w, y + h),
            };
            index.set(Element::new(layer, i), bounds);
        };
        for _ in 0..3_000 {
            place(&mut index, &mut s);
        }
        for step in 0..400 {
            place(&mut index, &mut s);
            if step % 50 == 0 {
                index.truncate(step % 5, 300);
            }
            let (x, y) = (
                next(&mut s, 5_000) as f32 - 800.0,
                next(&mut s, 4_000) as f32 - 800.0,
            );
            let size = if step % 10 == 0 { 6_000.0 } else { 700.0 };
            let v = r(x, y, x + size, y + size * 0.6);
            let mut got = Vec::new();
            index.query(v, &mut got);
            assert_eq!(got, brute(&index, v), "step {step}");
        }
    }

    #[test]
    fn bad_bounds_are_never_returned_and_never_panic() {
        let mut index = SceneIndex::new(r(0.0, 0.0, 100.0, 100.0), 4);
        index.set(Element::new(0, 0), r(f32::NAN, 0.0, 10.0, 10.0));
        index.set(Element::new(0, 1), r(5.0, 5.0, 1.0, 1.0));
        index.set(Element::new(0, 2), r(10.0, 10.0, 20.0, 20.0));
        let mut out = Vec::new();
        index.query(r(-1e30, -1e30, 1e30, 1e30), &mut out);
        assert_eq!(out, vec![Element::new(0, 2)]);
        index.query(r(f32::NAN, 0.0, 1.0, 1.0), &mut out);
        assert!(out.is_empty());
        SceneIndex::default().query(r(0.0, 0.0, 1.0, 1.0), &mut out);
        assert!(out.is_empty());
    }
}
