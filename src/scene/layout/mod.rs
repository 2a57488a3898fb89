//! Where everything sits on the canvas, in canvas units, computed once per document change.
//!
//! The grid has a header row (stages) and a label column (lanes). Inside a cell, cards are
//! ordered by `(position.y, position.x, id)` and placed in a grid of slots, so two cards
//! never overlap. A stage is as wide as the busiest cell in its column needs, a lane as tall
//! as the busiest cell in its row. [`Layout::compute`] is O(n log n) in the number of cards
//! (one sort per cell, hash maps built once), and hit-testing is a binary search over the
//! column and row edges followed by a scan of one cell.
//!
//! With the emotion curve shown ([`Layout::compute_with`]), a band of
//! [`CURVE_BAND_H`] lies between the header row and the first lane: the lanes start
//! below it, and [`Layout::curve_band`] says where it is.

use super::geom::{Point, Rect};
use super::style::{
    CARD_GAP, CARD_H, CARD_W, CELL_PAD, CURVE_BAND_H, HANDLE_R, LANE_HEADER_W, STAGE_HEADER_H,
};
use crate::model::{CellPos, Document, LaneId, StageId, Touchpoint, TouchpointId};
// Ids are short strings looked up hundreds of thousands of times per rebuild; FxHash
// (no DoS resistance needed) hashes them several times faster than SipHash.
use crate::IdMap as HashMap;

/// What lies under a point of the canvas, topmost first.
#[derive(Clone, Debug, PartialEq)]
pub enum Hit {
    Card(TouchpointId),
    /// The round handle on a card's right edge, from which a flow is dragged.
    CardHandle(TouchpointId),
    StageHeader(StageId),
    LaneHeader(LaneId),
    Cell {
        stage: StageId,
        lane: LaneId,
        pos: CellPos,
    },
    Empty,
}

/// The computed positions of a document's stages, lanes, cells and cards.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    stages: Vec<StageId>,
    lanes: Vec<LaneId>,
    stage_index: HashMap<StageId, usize>,
    lane_index: HashMap<LaneId, usize>,
    /// Left edges of the stage columns, plus the right edge of the last one.
    col_x: Vec<f32>,
    /// Top edges of the lane rows, plus the bottom edge of the last one.
    row_y: Vec<f32>,
    /// Card slots per row in each stage column.
    stage_cols: Vec<usize>,
    /// Cards in document order with their rectangles.
    cards: Vec<(TouchpointId, Rect)>,
    card_index: HashMap<TouchpointId, usize>,
    /// Index into `cards` of each touchpoint of the document, `u32::MAX` if not laid out:
    /// lets a caller walking the document find rectangles without hashing ids.
    doc_to_card: Vec<u32>,
    /// The other way: the document index of each laid-out card, its cell, and its place
    /// in the cell as it was laid out.
    card_doc: Vec<u32>,
    card_cell: Vec<u32>,
    card_pos: Vec<CellPos>,
    /// Indices into `cards`, per cell (`stage * lanes + lane`), in slot order.
    cell_cards: Vec<Vec<usize>>,
    /// Whether the emotion curve's band lies under the header row.
    curve: bool,
}

/// What [`Layout::update`] changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayoutChange {
    /// The columns or rows changed size: the grid is drawn anew, and cards may have moved
    /// in every cell.
    pub grid: bool,
    /// Document indices of the cards whose rectangle changed, ascending.
    pub moved: Vec<usize>,
}

fn grid_extent(slots: usize, card: f32) -> f32 {
    let slots = slots.max(1) as f32;
    2.0 * CELL_PAD + slots * card + (slots - 1.0) * CARD_GAP
}

/// Columns of card slots for a cell holding `n` cards: a roughly square block.
fn cols_for(n: usize) -> usize {
    let mut c = (n as f64).sqrt().ceil() as usize;
    while c * c < n {
        c += 1;
    }
    c.max(1)
}

/// A count as stored (documents hold far fewer than 2³² cards).
fn narrow(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The order of cards inside a cell: by place (top to bottom, left to right), then id.
fn slot_order(a: &Touchpoint, b: &Touchpoint) -> std::cmp::Ordering {
    a.position
        .y
        .total_cmp(&b.position.y)
        .then(a.position.x.total_cmp(&b.position.x))
        .then_with(|| a.id.cmp(&b.id))
}

impl Layout {
    /// Lays out a document without the emotion curve's band. Cards naming a stage or lane
    /// that does not exist are left out (validation reports them); they get no rectangle.
    pub fn compute(doc: &Document) -> Layout {
        Self::compute_with(doc, false)
    }

    /// Lays out a document, with the emotion curve's band under the header row when
    /// `emotion_curve` is set.
    pub fn compute_with(doc: &Document, emotion_curve: bool) -> Layout {
        let stages: Vec<StageId> = doc.stages.iter().map(|s| s.id.clone()).collect();
        let lanes: Vec<LaneId> = doc.lanes.iter().map(|l| l.id.clone()).collect();
        let mut stage_index = HashMap::with_capacity_and_hasher(stages.len(), Default::default());
        for (i, s) in stages.iter().enumerate() {
            stage_index.entry(s.clone()).or_insert(i);
        }
        let mut lane_index = HashMap::with_capacity_and_hasher(lanes.len(), Default::default());
        for (i, l) in lanes.iter().enumerate() {
            lane_index.entry(l.clone()).or_insert(i);
        }
        let nl = lanes.len();
        let mut layout = Layout {
            cell_cards: vec![Vec::new(); stages.len() * nl],
            stages,
            lanes,
            stage_index,
            lane_index,
            curve: emotion_curve,
            ..Layout::default()
        };
        // The laid-out cards, in document order, each in its cell.
        layout.doc_to_card = vec![u32::MAX; doc.touchpoints.len()];
        for (i, tp) in doc.touchpoints.iter().enumerate() {
            let Some(cell) = layout.cell_of(tp) else {
                continue;
            };
            let slot = layout.cards.len();
            layout.doc_to_card[i] = narrow(slot);
            layout.card_doc.push(narrow(i));
            layout.card_cell.push(narrow(cell));
            layout.card_pos.push(tp.position);
            layout.cards.push((tp.id.clone(), Rect::default()));
            layout.cell_cards[cell].push(slot);
        }
        for cell in &mut layout.cell_cards {
            let order = |&a: &usize, &b: &usize| {
                let doc_of = |slot: usize| &doc.touchpoints[layout.card_doc[slot] as usize];
                slot_order(doc_of(a), doc_of(b))
            };
            cell.sort_by(order);
        }
        let mut card_index =
            HashMap::with_capacity_and_hasher(layout.cards.len(), Default::default());
        for (i, (id, _)) in layout.cards.iter().enumerate() {
            card_index.entry(id.clone()).or_insert(i);
        }
        layout.card_index = card_index;
        layout.size_grid();
        for cell in 0..layout.cell_cards.len() {
            layout.place_cell(cell, &mut Vec::new());
        }
        layout
    }

    /// The cell a card is in (`stage * lanes + lane`), if its stage and lane exist.
    fn cell_of(&self, tp: &Touchpoint) -> Option<usize> {
        let s = *self.stage_index.get(&tp.stage)?;
        let l = *self.lane_index.get(&tp.lane)?;
        Some(s * self.lanes.len() + l)
    }

    /// Column widths from the busiest cell of each stage, then row heights.
    fn size_grid(&mut self) {
        let (ns, nl) = (self.stages.len(), self.lanes.len());
        let count = |s: usize, l: usize| self.cell_cards[s * nl + l].len();
        let stage_cols: Vec<usize> = (0..ns)
            .map(|s| (0..nl).map(|l| cols_for(count(s, l))).max().unwrap_or(1))
            .collect();
        let lane_rows: Vec<usize> = (0..nl)
            .map(|l| {
                (0..ns)
                    .map(|s| count(s, l).div_ceil(stage_cols[s]))
                    .max()
                    .unwrap_or(1)
                    .max(1)
            })
            .collect();
        let mut col_x = Vec::with_capacity(ns + 1);
        let mut x = LANE_HEADER_W;
        col_x.push(x);
        for &c in &stage_cols {
            x += grid_extent(c, CARD_W);
            col_x.push(x);
        }
        let mut row_y = Vec::with_capacity(nl + 1);
        let mut y = STAGE_HEADER_H + if self.curve { CURVE_BAND_H } else { 0.0 };
        row_y.push(y);
        for &r in &lane_rows {
            y += grid_extent(r, CARD_H);
            row_y.push(y);
        }
        self.stage_cols = stage_cols;
        self.col_x = col_x;
        self.row_y = row_y;
    }

    /// Places the cards of one cell in its slots; adds the document index of each card
    /// whose rectangle changed to `moved`.
    fn place_cell(&mut self, cell: usize, moved: &mut Vec<usize>) {
        let nl = self.lanes.len();
        let (s, l) = (cell / nl, cell % nl);
        let cols = self.stage_cols[s];
        for (k, &slot) in self.cell_cards[cell].iter().enumerate() {
            let (c, r) = (k % cols, k / cols);
            let min = Point::new(
                self.col_x[s] + CELL_PAD + c as f32 * (CARD_W + CARD_GAP),
                self.row_y[l] + CELL_PAD + r as f32 * (CARD_H + CARD_GAP),
            );
            let rect = Rect::from_min_size(min, CARD_W, CARD_H);
            if self.cards[slot].1 != rect {
                self.cards[slot].1 = rect;
                moved.push(self.card_doc[slot] as usize);
            }
        }
    }

    /// Follows edits to the cards at `touched` (document indices; each replaced in place:
    /// same id, same place in the list), as [`Layout::compute`] would lay out `doc` now.
    /// Only their old and new cells are placed again, unless a column or row changes size.
    /// `None` when a card went into or out of a cell that does not exist: compute anew.
    pub fn update(&mut self, doc: &Document, touched: &[usize]) -> Option<LayoutChange> {
        let mut cells = Vec::new();
        self.follow_cards(doc, touched, &mut cells)?;
        Some(self.place_cells(cells))
    }

    /// As [`Layout::update`], after cards were added at the end of the document's list or
    /// removed from its end (from index `from` on): the tail's cards are the last laid-out
    /// ones, so no other card changes place in the list, and only the cells they leave or
    /// join (with those `touched` in place) are laid out again.
    pub fn follow_tail(
        &mut self,
        doc: &Document,
        from: usize,
        touched: &[usize],
    ) -> Option<LayoutChange> {
        let from = from.min(self.doc_to_card.len());
        let mut cells = Vec::new();
        while let Some(&d) = self.card_doc.last()
            && d as usize >= from
        {
            let slot = self.cards.len() - 1;
            let cell = self.card_cell[slot] as usize;
            let at = self.cell_cards[cell].iter().position(|&x| x == slot)?;
            self.cell_cards[cell].remove(at);
            let (id, _) = self.cards.pop()?;
            // The first card with this id was this one, or one still here.
            if self.card_index.get(&id) == Some(&slot) {
                self.card_index.remove(&id);
            }
            self.card_doc.pop();
            self.card_cell.pop();
            self.card_pos.pop();
            cells.push(cell);
        }
        self.doc_to_card.truncate(from);
        for (i, tp) in doc.touchpoints.iter().enumerate().skip(from) {
            let Some(cell) = self.cell_of(tp) else {
                self.doc_to_card.push(u32::MAX);
                continue;
            };
            let slot = self.cards.len();
            self.doc_to_card.push(narrow(slot));
            self.card_doc.push(narrow(i));
            self.card_cell.push(narrow(cell));
            self.card_pos.push(tp.position);
            self.cards.push((tp.id.clone(), Rect::default()));
            self.card_index.entry(tp.id.clone()).or_insert(slot);
            let at = self.cell_cards[cell].partition_point(|&x| {
                slot_order(&doc.touchpoints[self.card_doc[x] as usize], tp).is_le()
            });
            self.cell_cards[cell].insert(at, slot);
            cells.push(cell);
        }
        self.follow_cards(doc, touched, &mut cells)?;
        Some(self.place_cells(cells))
    }

    /// Moves the cards at `touched` (edited in place) to their cells, adding the cells
    /// they left and joined to `cells`; `None` when one went into or out of a cell that
    /// does not exist.
    fn follow_cards(
        &mut self,
        doc: &Document,
        touched: &[usize],
        cells: &mut Vec<usize>,
    ) -> Option<()> {
        let mut arriving = Vec::new();
        for &i in touched {
            let tp = doc.touchpoints.get(i)?;
            let slot = *self.doc_to_card.get(i)?;
            let cell = self.cell_of(tp);
            if slot == u32::MAX {
                // Still not laid out, or now laid out: the slots would shift.
                cell.is_none().then_some(())?;
                continue;
            }
            let slot = slot as usize;
            let cell = cell?;
            let old = self.card_cell[slot] as usize;
            if cell == old && self.card_pos[slot] == tp.position {
                continue;
            }
            let at = self.cell_cards[old].iter().position(|&x| x == slot)?;
            self.cell_cards[old].remove(at);
            self.card_cell[slot] = narrow(cell);
            self.card_pos[slot] = tp.position;
            cells.extend([old, cell]);
            arriving.push(slot);
        }
        // The cards left in each cell are in order (their places did not change): each
        // arriving card goes where the order puts it.
        for slot in arriving {
            let cell = self.card_cell[slot] as usize;
            let tp = &doc.touchpoints[self.card_doc[slot] as usize];
            let list = &self.cell_cards[cell];
            let at = list.partition_point(|&x| {
                slot_order(&doc.touchpoints[self.card_doc[x] as usize], tp).is_lt()
            });
            self.cell_cards[cell].insert(at, slot);
        }
        Some(())
    }

    /// Sizes the grid again and lays out `cells` again (every cell when the grid changed).
    fn place_cells(&mut self, mut cells: Vec<usize>) -> LayoutChange {
        let mut change = LayoutChange::default();
        if cells.is_empty() {
            return change;
        }
        let before = (
            self.col_x.clone(),
            self.row_y.clone(),
            self.stage_cols.clone(),
        );
        self.size_grid();
        change.grid = before
            != (
                self.col_x.clone(),
                self.row_y.clone(),
                self.stage_cols.clone(),
            );
        if change.grid {
            cells = (0..self.cell_cards.len()).collect();
        }
        cells.sort_unstable();
        cells.dedup();
        for cell in cells {
            self.place_cell(cell, &mut change.moved);
        }
        change.moved.sort_unstable();
        change
    }

    /// The emotion curve's band, from the canvas's left edge (its scale sits in the lane
    /// column) to the right edge of the last stage; `None` when the curve is hidden.
    pub fn curve_band(&self) -> Option<Rect> {
        self.curve.then(|| {
            let right = self.col_x.last().copied().unwrap_or(LANE_HEADER_W);
            Rect::from_min_max(
                Point::new(0.0, STAGE_HEADER_H),
                Point::new(right, STAGE_HEADER_H + CURVE_BAND_H),
            )
        })
    }

    /// The left and right edges of a stage's column.
    pub fn stage_span(&self, id: &StageId) -> Option<(f32, f32)> {
        self.stage_index.get(id).map(|&s| self.column(s))
    }

    /// The left and right edges of the stage column at index `s`.
    pub fn stage_span_at(&self, s: usize) -> Option<(f32, f32)> {
        (s + 1 < self.col_x.len()).then(|| self.column(s))
    }

    /// The cell (stage index, lane index) of the document's touchpoint number `doc_index`,
    /// if it was laid out.
    pub fn card_cell_at(&self, doc_index: usize) -> Option<(usize, usize)> {
        let slot = self.card_slot_at(doc_index)?;
        let cell = self.card_cell[slot] as usize;
        let nl = self.lanes.len().max(1);
        Some((cell / nl, cell % nl))
    }

    /// The document indices of the cards laid out in the stage column at index `s`, lane
    /// by lane, each cell in slot order.
    pub fn stage_cards_at(&self, s: usize) -> impl Iterator<Item = usize> + '_ {
        let nl = self.lanes.len();
        self.cell_cards
            .get(s * nl..(s + 1) * nl)
            .unwrap_or_default()
            .iter()
            .flatten()
            .map(|&slot| self.card_doc[slot] as usize)
    }

    /// The whole grid, headers included; the origin is its top-left corner.
    pub fn bounds(&self) -> Rect {
        let right = self.col_x.last().copied().unwrap_or(LANE_HEADER_W);
        let bottom = self.row_y.last().copied().unwrap_or(STAGE_HEADER_H);
        Rect::from_min_max(Point::new(0.0, 0.0), Point::new(right, bottom))
    }

    /// The stages, in column order.
    pub fn stages(&self) -> &[StageId] {
        &self.stages
    }

    /// The lanes, in row order.
    pub fn lanes(&self) -> &[LaneId] {
        &self.lanes
    }

    /// Every laid-out card with its rectangle, in document order.
    pub fn cards(&self) -> impl Iterator<Item = (&TouchpointId, Rect)> + '_ {
        self.cards.iter().map(|(id, r)| (id, *r))
    }

    /// Number of laid-out cards.
    pub fn card_count(&self) -> usize {
        self.cards.len()
    }

    pub fn card_rect(&self, id: &TouchpointId) -> Option<Rect> {
        self.card_index.get(id).map(|&i| self.cards[i].1)
    }

    /// The place among the laid-out cards of the card with this id (the first, if two
    /// share it), for [`Self::slot_rect`]: a flow's two ends are looked up once.
    pub fn card_slot(&self, id: &TouchpointId) -> Option<usize> {
        self.card_index.get(id).copied()
    }

    /// The place among the laid-out cards of the document's touchpoint number `doc_index`.
    pub fn card_slot_at(&self, doc_index: usize) -> Option<usize> {
        let &c = self.doc_to_card.get(doc_index)?;
        (c != u32::MAX).then_some(c as usize)
    }

    /// The document index of the laid-out card in place `slot`.
    pub fn slot_doc(&self, slot: usize) -> Option<usize> {
        self.card_doc.get(slot).map(|&i| i as usize)
    }

    /// The rectangle of the laid-out card in place `slot`.
    pub fn slot_rect(&self, slot: usize) -> Option<Rect> {
        self.cards.get(slot).map(|&(_, r)| r)
    }

    /// What changed from layout `old` to this one, for cards and flows added or removed
    /// at the ends of their lists: whether the grid changed, and which of the cards below
    /// `below` (document indices, the same cards in both) have another rectangle.
    pub fn changes_from(&self, old: &Layout, below: usize) -> LayoutChange {
        let grid = self.col_x != old.col_x
            || self.row_y != old.row_y
            || self.stage_cols != old.stage_cols
            || self.curve != old.curve;
        let moved = (0..below)
            .filter(|&i| self.card_rect_at(i) != old.card_rect_at(i))
            .collect();
        LayoutChange { grid, moved }
    }

    /// As [`Layout::changes_from`], for cards removed or inserted inside the list: `map`
    /// takes each card's index in `old` to its index now (`None`: removed). The cards
    /// inserted are not named (they are drawn anyway).
    pub fn changes_across(&self, old: &Layout, map: &[Option<usize>]) -> LayoutChange {
        let mut change = self.changes_from(old, 0);
        change.moved = map
            .iter()
            .enumerate()
            .filter_map(|(was, now)| {
                let now = (*now)?;
                (self.card_rect_at(now) != old.card_rect_at(was)).then_some(now)
            })
            .collect();
        change
    }

    /// The rectangle of the document's touchpoint number `doc_index` (its place in
    /// `doc.touchpoints` when this layout was computed), if it was laid out.
    pub fn card_rect_at(&self, doc_index: usize) -> Option<Rect> {
        let &c = self.doc_to_card.get(doc_index)?;
        self.cards.get(c as usize).map(|&(_, r)| r)
    }

    /// The centre of the flow handle on a card's right edge.
    pub fn handle_center(&self, id: &TouchpointId) -> Option<Point> {
        self.card_rect(id)
            .map(|r| Point::new(r.max.x, r.center().y))
    }

    fn column(&self, s: usize) -> (f32, f32) {
        (self.col_x[s], self.col_x[s + 1])
    }

    fn row(&self, l: usize) -> (f32, f32) {
        (self.row_y[l], self.row_y[l + 1])
    }

    pub fn stage_header(&self, id: &StageId) -> Option<Rect> {
        let &s = self.stage_index.get(id)?;
        let (x0, x1) = self.column(s);
        Some(Rect::from_min_max(
            Point::new(x0, 0.0),
            Point::new(x1, STAGE_HEADER_H),
        ))
    }

    pub fn lane_header(&self, id: &LaneId) -> Option<Rect> {
        let &l = self.lane_index.get(id)?;
        let (y0, y1) = self.row(l);
        Some(Rect::from_min_max(
            Point::new(0.0, y0),
            Point::new(LANE_HEADER_W, y1),
        ))
    }

    pub fn cell_rect(&self, stage: &StageId, lane: &LaneId) -> Option<Rect> {
        let &s = self.stage_index.get(stage)?;
        let &l = self.lane_index.get(lane)?;
        Some(self.cell_rect_at(s, l))
    }

    fn cell_rect_at(&self, s: usize, l: usize) -> Rect {
        let (x0, x1) = self.column(s);
        let (y0, y1) = self.row(l);
        Rect::from_min_max(Point::new(x0, y0), Point::new(x1, y1))
    }

    /// Card slots per row in a stage's cells.
    pub fn stage_columns(&self, id: &StageId) -> Option<usize> {
        self.stage_index.get(id).map(|&s| self.stage_cols[s])
    }

    /// Index of the interval of `edges` that holds `v` (edges ascending).
    fn interval(edges: &[f32], v: f32) -> Option<usize> {
        if edges.len() < 2 || v < edges[0] || v > edges[edges.len() - 1] {
            return None;
        }
        let i = edges.partition_point(|&e| e <= v);
        Some(i.saturating_sub(1).min(edges.len() - 2))
    }

    /// The stage and lane indices of the cell under `p`.
    fn cell_index_at(&self, p: Point) -> Option<(usize, usize)> {
        Some((
            Self::interval(&self.col_x, p.x)?,
            Self::interval(&self.row_y, p.y)?,
        ))
    }

    /// What is under `p`: a card's flow handle, a card, a header, a cell, or nothing.
    pub fn hit(&self, p: Point) -> Hit {
        if let Some((s, l)) = self.cell_index_at(p) {
            let cell = &self.cell_cards[s * self.lanes.len() + l];
            // Handles first: they sit on the card edge and would otherwise hit the card.
            for &i in cell {
                let (id, r) = &self.cards[i];
                let h = Point::new(r.max.x, r.center().y);
                let (dx, dy) = (p.x - h.x, p.y - h.y);
                if dx * dx + dy * dy <= HANDLE_R * HANDLE_R {
                    return Hit::CardHandle(id.clone());
                }
            }
            for &i in cell {
                let (id, r) = &self.cards[i];
                if r.contains(p) {
                    return Hit::Card(id.clone());
                }
            }
            return Hit::Cell {
                stage: self.stages[s].clone(),
                lane: self.lanes[l].clone(),
                pos: self.cell_pos(self.cell_rect_at(s, l), p),
            };
        }
        if (0.0..=STAGE_HEADER_H).contains(&p.y)
            && let Some(s) = Self::interval(&self.col_x, p.x)
        {
            return Hit::StageHeader(self.stages[s].clone());
        }
        if (0.0..=LANE_HEADER_W).contains(&p.x)
            && let Some(l) = Self::interval(&self.row_y, p.y)
        {
            return Hit::LaneHeader(self.lanes[l].clone());
        }
        Hit::Empty
    }

    fn cell_pos(&self, cell: Rect, p: Point) -> CellPos {
        let fx = ((p.x - cell.min.x) / cell.width().max(1.0)).clamp(0.0, 1.0);
        let fy = ((p.y - cell.min.y) / cell.height().max(1.0)).clamp(0.0, 1.0);
        CellPos { x: fx, y: fy }
    }

    /// The cell under `p` as a drop target, with where in the cell `p` is (fractions 0..1).
    pub fn cell_at(&self, p: Point) -> Option<(StageId, LaneId, CellPos)> {
        let (s, l) = self.cell_index_at(p)?;
        Some((
            self.stages[s].clone(),
            self.lanes[l].clone(),
            self.cell_pos(self.cell_rect_at(s, l), p),
        ))
    }

    /// Whether `r` touches some card, looking only in the cells it covers.
    pub fn overlaps_card(&self, r: Rect) -> bool {
        let span = |edges: &[f32], lo: f32, hi: f32| {
            // Cells whose extent [edges[i], edges[i+1]] meets [lo, hi].
            let first = edges.partition_point(|&e| e < lo).saturating_sub(1);
            let last = edges
                .partition_point(|&e| e <= hi)
                .min(edges.len().saturating_sub(1));
            first..last
        };
        let lanes = self.lanes.len();
        for s in span(&self.col_x, r.min.x, r.max.x) {
            for l in span(&self.row_y, r.min.y, r.max.y) {
                if self.cell_cards[s * lanes + l]
                    .iter()
                    .any(|&i| self.cards[i].1.intersects(r))
                {
                    return true;
                }
            }
        }
        false
    }

    /// Cards whose rectangle intersects `r` (a rubber band), in document order.
    pub fn cards_in(&self, r: Rect) -> Vec<TouchpointId> {
        self.cards
            .iter()
            .filter(|(_, c)| c.intersects(r))
            .map(|(id, _)| id.clone())
            .collect()
    }
}

mod splice;
#[cfg(test)]
mod tests;
