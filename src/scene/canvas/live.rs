//! The canvas scene kept between edits, element by element: the grid, the emotion curve's
//! layer, each flow's arrow, each card's items, the flow labels, and a spatial index over
//! them. An edit rebuilds only what it touched ([`LiveScene::update`]): a card whose text
//! changed, the cards the layout moved and the flows that end at them, the cards whose
//! finding count changed, the grid when a column or row changed size, the labels when a
//! card or flow moved, and the curve's stages whose points moved or were retitled, with
//! the stages that read their points ([`CurveLayer`]; the whole curve when the grid
//! changed size).
//!
//! Items are kept at full colour. Highlighting a theme fades the other cards and their
//! flows when they are drawn or flattened ([`Dimming`]), so it rebuilds nothing.
//! [`LiveScene::flatten`] gives the one item list (with its groups) that
//! [`super::build_canvas`] returns, which exports draw: the same code builds both, and a
//! test checks that an updated scene flattens to a freshly built one.

mod splice;

use super::card::{ThemeColors, card_items};
use super::finding_counts::FindingCounts;
use super::flow::{curve_points, flow_item};
use super::grid::grid_scene;
use super::labels::flow_labels;
use crate::edit::{Changed, Fields};
use crate::model::{Document, ThemeId};
use crate::scene::curve::{CurveLayer, POINT_READS};
use crate::scene::index::{Element, SceneIndex};
use crate::scene::layout::{Layout, LayoutChange};
use crate::scene::style::{DIM_FACTOR, Palette};
use crate::scene::{GroupId, Item, Rect, Scene, begin};
use crate::scoring::Report;
// Keys are ids of this document (see `IdMap`).
use crate::IdMap as HashMap;
use std::ops::Range;

/// The layers of a scene, in painting order: the index keys of their elements.
pub mod layer {
    /// Background and grid items, one element each.
    pub const GRID: usize = 0;
    /// The emotion curve's items (none when it is hidden), one element each.
    pub const CURVE: usize = 1;
    /// Flow arrows, by index in the document's flows.
    pub const FLOWS: usize = 2;
    /// Cards, by index in the document's touchpoints.
    pub const CARDS: usize = 3;
    /// Flow labels, in the order they were placed.
    pub const LABELS: usize = 4;
}

/// The scene of a document's canvas, kept up to date edit by edit.
#[derive(Clone, Debug, Default)]
pub struct LiveScene {
    palette: Palette,
    /// The background and the grid, with their layer groups.
    grid: Scene,
    /// The emotion curve's layer, kept stage by stage; empty when the layout has no band.
    curve: CurveLayer,
    /// Whether cards whose evidence is assumed are hatched (a poster option).
    hatch_assumed: bool,
    /// Each flow's arrow; `None` when an end is not laid out.
    flows: Vec<Option<Item>>,
    /// Each flow's end cards, as document indices (`u32::MAX`: not laid out).
    flow_ends: Vec<[u32; 2]>,
    /// The flows ending at each card (document indices), as runs of `card_flows`.
    card_flow_start: Vec<u32>,
    card_flows: Vec<u32>,
    /// Each card's items; empty when it is not laid out.
    cards: Vec<Vec<Item>>,
    /// Findings naming each card, as its marker shows them; by id as last counted.
    findings: Vec<u32>,
    finding_ids: FindingCounts,
    /// The flow labels, each with its flow's index.
    labels: Vec<(u32, Vec<Item>)>,
    /// The flows with a label (ascending): what placing the labels again goes through,
    /// rather than every flow of the document.
    labelled: Vec<u32>,
    /// The cards carrying each theme (document indices, ascending): what a highlighted
    /// theme leaves unfaded, without a pass over every card's themes.
    theme_cards: HashMap<ThemeId, Vec<u32>>,
    theme_colors: ThemeColors,
    index: SceneIndex,
}

/// What [`LiveScene::update`] redrew, for what the editor keeps from the scene.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Redrawn {
    /// The grid (headers included).
    pub grid: bool,
    /// The emotion curve's layer.
    pub curve: bool,
    /// Flows whose arrow changed, ascending.
    pub flows: Vec<usize>,
}

/// A flow's or card's index as stored.
fn narrow(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Whether flow `f` has a label to place.
fn has_label(doc: &Document, f: usize) -> bool {
    doc.flows
        .get(f)
        .is_some_and(|flow| !flow.label.trim().is_empty())
}

/// The cards carrying each theme, by theme id (document indices, ascending).
fn theme_cards(doc: &Document) -> HashMap<ThemeId, Vec<u32>> {
    let mut cards: HashMap<ThemeId, Vec<u32>> = HashMap::default();
    for (i, tp) in doc.touchpoints.iter().enumerate() {
        for theme in &tp.themes {
            // The id is copied once per theme, not once per card that carries it.
            match cards.get_mut(theme) {
                Some(list) => list.push(narrow(i)),
                None => {
                    cards.insert(theme.clone(), vec![narrow(i)]);
                }
            }
        }
    }
    cards
}

/// `n` copies of `value`, with room for an eighth more: the cards and flows of a big
/// canvas would otherwise be copied whole to take one more (a card added, an arrow drawn).
fn with_room<T: Clone>(n: usize, value: T) -> Vec<T> {
    let mut list = Vec::with_capacity(n + n / 8);
    list.resize(n, value);
    list
}

/// The bounds of a run of items.
fn bounds_of(items: &[Item]) -> Rect {
    items
        .iter()
        .fold(Rect::NOTHING, |acc, item| acc.union(item.bounds()))
}

impl LiveScene {
    /// The scene of `doc` laid out as `layout`, in `palette`, with a marker on each card
    /// that findings of `report` name (none without a report), and the emotion curve
    /// when the layout has its band.
    pub fn build(
        doc: &Document,
        layout: &Layout,
        palette: &Palette,
        report: Option<&Report>,
    ) -> Self {
        Self::build_with(doc, layout, palette, report, false)
    }

    /// As [`LiveScene::build`], hatching the cards whose evidence is assumed when
    /// `hatch_assumed` is set (as a poster may ask).
    pub fn build_with(
        doc: &Document,
        layout: &Layout,
        palette: &Palette,
        report: Option<&Report>,
        hatch_assumed: bool,
    ) -> Self {
        let theme_colors = doc
            .themes
            .iter()
            .map(|t| (t.id.clone(), palette.theme(t)))
            .collect();
        let finding_ids = FindingCounts::of(report);
        let curve = CurveLayer::build(doc, layout, palette);
        let findings = doc
            .touchpoints
            .iter()
            .map(|tp| finding_ids.get(&tp.id))
            .collect();
        let mut scene = Self {
            palette: palette.clone(),
            grid: grid_scene(doc, layout, palette),
            curve,
            hatch_assumed,
            cards: with_room(doc.touchpoints.len(), Vec::new()),
            findings,
            finding_ids,
            theme_cards: theme_cards(doc),
            labelled: (0..doc.flows.len())
                .filter(|&f| has_label(doc, f))
                .map(narrow)
                .collect(),
            theme_colors,
            ..Self::default()
        };
        scene.resolve_flows(doc, layout);
        let elements = scene.grid.items.len()
            + scene.curve.elements()
            + 2 * doc.touchpoints.len()
            + doc.flows.len();
        scene.index = SceneIndex::new(layout.bounds(), elements);
        scene.index_grid();
        scene.index_curve();
        for f in 0..doc.flows.len() {
            scene.redraw_flow(f, layout);
        }
        for i in 0..doc.touchpoints.len() {
            scene.redraw_card(doc, layout, i);
        }
        scene.redraw_labels(doc, layout);
        scene
    }

    /// Follows an edit: `changed` is what the document's revisions changed since this
    /// scene was built or last updated (never `everything` unless with a tail: build anew
    /// then; see [`LiveScene::follow_tail`]), `moved` what
    /// the layout's update said, `report` the report now.
    pub fn update(
        &mut self,
        doc: &Document,
        layout: &Layout,
        changed: &Changed,
        moved: &LayoutChange,
        report: Option<&Report>,
    ) -> Redrawn {
        let tail = changed.tail;
        let splice = changed.splice.as_ref();
        // Cards and flows added or removed: at the ends of the lists, or inside them.
        let reshaped = tail.is_some() || splice.is_some();
        let mut reshaped_flows = tail.map(|_| self.drop_tail(doc, layout, changed));
        if let Some(s) = splice {
            reshaped_flows = Some(self.drop_splice(doc, layout, changed, s));
        }
        let mut cards: Vec<usize> = changed.cards.iter().chain(&moved.moved).copied().collect();
        if let Some(t) = tail {
            cards.extend(t.cards_from.min(doc.touchpoints.len())..doc.touchpoints.len());
        }
        if let Some(s) = splice {
            cards.extend_from_slice(&s.cards.inserted);
        }
        cards.extend(self.recount_findings(layout, report));
        cards.sort_unstable();
        cards.dedup();
        for &i in &cards {
            self.findings[i] = self.finding_ids.get(&doc.touchpoints[i].id);
            self.redraw_card(doc, layout, i);
        }
        if changed.fields.meets(Fields::THEMES) && !reshaped {
            self.theme_cards = theme_cards(doc);
        }
        for &f in &changed.flows {
            // A flow edited in place may have gained or lost its label.
            let at = self.labelled.partition_point(|&l| (l as usize) < f);
            let listed = self.labelled.get(at) == Some(&narrow(f));
            match (listed, has_label(doc, f)) {
                (false, true) => self.labelled.insert(at, narrow(f)),
                (true, false) => {
                    self.labelled.remove(at);
                }
                _ => {}
            }
        }
        if !changed.flows.is_empty() && !reshaped {
            // A flow edited in place may end elsewhere now (a reshape's were looked up above).
            self.resolve_flows(doc, layout);
        }
        let bottom_moved = self.grid.bounds.max.y != layout.bounds().max.y;
        let mut flows: Vec<usize> = if bottom_moved {
            // Loops run along the bottom of the grid.
            (0..self.flows.len()).collect()
        } else {
            let ends = moved.moved.iter().flat_map(|&i| self.flows_at(i));
            let reshaped = reshaped_flows.into_iter().flatten();
            changed
                .flows
                .iter()
                .copied()
                .chain(ends)
                .chain(reshaped)
                .collect()
        };
        flows.sort_unstable();
        flows.dedup();
        for &f in &flows {
            self.redraw_flow(f, layout);
        }
        if moved.grid {
            self.grid = grid_scene(doc, layout, &self.palette);
            self.index_grid();
        }
        // Only the stages whose points moved, and those that read them, are drawn again;
        // the whole layer when the columns changed size or the guest changed side.
        let mut curve = false;
        if layout.curve_band().is_some()
            && (changed.fields.meets(POINT_READS.or(Fields::TITLE)) || moved.grid || reshaped)
        {
            let kept = match (tail, splice) {
                _ if moved.grid => None,
                (_, Some(s)) => self.curve.follow_splice(
                    doc,
                    layout,
                    &s.cards.map(self.curve.cards()),
                    &s.cards.inserted,
                    (&changed.cards, changed.fields),
                ),
                (Some(t), None) => self.curve.follow_tail(
                    doc,
                    layout,
                    t.cards_from,
                    &changed.cards,
                    changed.fields,
                ),
                (None, None) => self
                    .curve
                    .update(doc, layout, &changed.cards, changed.fields),
            };
            match kept {
                Some(stages) => {
                    curve = !stages.is_empty();
                    self.index_stages(stages);
                    // The band's message shows while no card draws a point.
                    let e = self.curve.stage_element(0) - 1;
                    let bounds = self.curve.element_bounds(e);
                    self.index.set(Element::new(layer::CURVE, e), bounds);
                }
                None => {
                    self.curve = CurveLayer::build(doc, layout, &self.palette);
                    self.index_curve();
                    curve = true;
                }
            }
        }
        if !moved.moved.is_empty() || !changed.flows.is_empty() || reshaped {
            // Where a label fits depends on every card and every label before it.
            self.redraw_labels(doc, layout);
        }
        Redrawn {
            grid: moved.grid,
            curve,
            flows,
        }
    }

    /// Follows a change whose lists were reshaped only at their ends (`changed.tail`:
    /// cards or flows added or removed there), following it in `layout` (a card added may
    /// widen its stage) and drawing again only what that moved, the tail's cards and
    /// flows, and what `changed` names in place. `None` without a tail.
    pub fn follow_tail(
        &mut self,
        doc: &Document,
        layout: &mut Layout,
        changed: &Changed,
        report: Option<&Report>,
    ) -> Option<Redrawn> {
        let tail = changed.tail?;
        let moved = match layout.follow_tail(doc, tail.cards_from, &changed.cards) {
            Some(moved) => moved,
            // A card edited in place went into or out of a cell that does not exist.
            None => {
                let now = Layout::compute_with(doc, layout.curve_band().is_some());
                let moved = now.changes_from(layout, tail.cards_from);
                *layout = now;
                moved
            }
        };
        Some(self.update(doc, layout, changed, &moved, report))
    }

    /// Follows cards and flows added at the ends of their lists or removed from them: drops
    /// what the scene holds from the tail on, makes room for the tail's, and resolves the
    /// flows' ends again. Gives the flows to draw again: the tail's, and those whose end
    /// cards changed (a flow whose end was missing may find it among the new cards).
    fn drop_tail(&mut self, doc: &Document, layout: &Layout, changed: &Changed) -> Vec<usize> {
        let Some(tail) = changed.tail else {
            return Vec::new();
        };
        let (n, m) = (doc.touchpoints.len(), doc.flows.len());
        let cards = tail.cards_from.min(self.cards.len()).min(n);
        let flows = tail.flows_from.min(self.flows.len()).min(m);
        self.cards.truncate(cards);
        self.findings.truncate(cards);
        self.index.truncate(layer::CARDS, cards);
        self.cards.resize(n, Vec::new());
        self.findings.resize(n, 0);
        self.flows.truncate(flows);
        self.index.truncate(layer::FLOWS, flows);
        // A flow kept below the tail, not edited, between two cards kept below the tail
        // and not edited, still ends where it did; the others (a missing end may be one of
        // the new cards) are looked up again.
        let old_ends = std::mem::take(&mut self.flow_ends);
        let below = narrow(cards);
        let edited = |c: u32| changed.cards.binary_search(&(c as usize)).is_ok();
        self.resolve_ends(doc, layout, &old_ends, |f, [a, b]| {
            f < flows
                && changed.flows.binary_search(&f).is_err()
                && a < below
                && b < below
                && !edited(a)
                && !edited(b)
        });
        let mut redraw: Vec<usize> = (flows..m).collect();
        redraw.extend((0..flows).filter(|&f| old_ends.get(f) != Some(&self.flow_ends[f])));
        self.labelled = (0..m).filter(|&f| has_label(doc, f)).map(narrow).collect();
        self.theme_cards = theme_cards(doc);
        redraw
    }

    /// Counts the findings of `report` per card again (the rules run again since the
    /// last count); gives the document indices of the cards whose count changed.
    fn recount_findings(&mut self, layout: &Layout, report: Option<&Report>) -> Vec<usize> {
        let changed = self.finding_ids.follow(report);
        changed
            .iter()
            .filter_map(|id| layout.card_slot(id).and_then(|s| layout.slot_doc(s)))
            .collect()
    }

    /// The flows' end cards, and the flows at each card.
    fn resolve_flows(&mut self, doc: &Document, layout: &Layout) {
        self.resolve_ends(doc, layout, &[], |_, _| false);
    }

    /// As [`LiveScene::resolve_flows`], taking from `old` the ends of the flows `kept`
    /// says are still right (looking a card up by id is most of the work).
    fn resolve_ends(
        &mut self,
        doc: &Document,
        layout: &Layout,
        old: &[[u32; 2]],
        kept: impl Fn(usize, [u32; 2]) -> bool,
    ) {
        let end = |id| {
            let slot = layout.card_slot(id);
            slot.and_then(|s| layout.slot_doc(s))
                .map_or(u32::MAX, narrow)
        };
        self.flow_ends = doc
            .flows
            .iter()
            .enumerate()
            .map(|(f, flow)| match old.get(f) {
                Some(&ends) if kept(f, ends) => ends,
                _ => [end(&flow.from), end(&flow.to)],
            })
            .collect();
        if self.flows.capacity() < doc.flows.len() {
            self.flows
                .reserve_exact(doc.flows.len() / 8 + doc.flows.len() - self.flows.len());
        }
        self.flows.resize(doc.flows.len(), None);
        let n = doc.touchpoints.len();
        let mut count = vec![0_u32; n + 1];
        for &[a, b] in &self.flow_ends {
            for c in [a, b].into_iter().filter(|&c| (c as usize) < n) {
                count[c as usize + 1] += 1;
            }
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        self.card_flows = vec![0; count[n] as usize];
        for (f, &[a, b]) in self.flow_ends.iter().enumerate() {
            for c in [a, b].into_iter().filter(|&c| (c as usize) < n) {
                self.card_flows[fill[c as usize] as usize] = narrow(f);
                fill[c as usize] += 1;
            }
        }
        self.card_flow_start = count;
    }

    /// The flows that start or end at card `i`.
    fn flows_at(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let (a, b) = (self.card_flow_start[i], self.card_flow_start[i + 1]);
        self.card_flows[a as usize..b as usize]
            .iter()
            .map(|&f| f as usize)
    }

    fn index_grid(&mut self) {
        for (i, item) in self.grid.items.iter().enumerate() {
            self.index.set(Element::new(layer::GRID, i), item.bounds());
        }
        self.index.truncate(layer::GRID, self.grid.items.len());
    }

    /// The curve's stages `stages` at their bounds now.
    fn index_stages(&mut self, stages: Vec<usize>) {
        for s in stages {
            let e = self.curve.stage_element(s);
            let bounds = self.curve.element_bounds(e);
            self.index.set(Element::new(layer::CURVE, e), bounds);
        }
    }

    /// Draws the curve's stages that edits left to draw when shown (see
    /// `scene::curve::layer::deferred`) and that meet `within`, the part of the canvas
    /// the screen shows: what the screen paints, before it looks up what it shows.
    pub fn show(&mut self, doc: &Document, layout: &Layout, within: Rect) {
        let drawn = self.curve.draw_stale(doc, layout, within);
        self.index_stages(drawn);
    }

    /// Draws every stage left to draw: what [`LiveScene::flatten`] needs first.
    pub fn draw_all(&mut self, doc: &Document, layout: &Layout) {
        let drawn = self.curve.draw_all_stale(doc, layout);
        self.index_stages(drawn);
    }

    fn index_curve(&mut self) {
        let elements = self.curve.elements();
        for e in 0..elements {
            let bounds = self.curve.element_bounds(e);
            self.index.set(Element::new(layer::CURVE, e), bounds);
        }
        self.index.truncate(layer::CURVE, elements);
    }

    fn redraw_card(&mut self, doc: &Document, layout: &Layout, i: usize) {
        let mut items = std::mem::take(&mut self.cards[i]);
        items.clear();
        if let Some(rect) = layout.card_rect_at(i) {
            let (tp, findings) = (&doc.touchpoints[i], self.findings[i]);
            card_items(
                tp,
                rect,
                findings,
                self.hatch_assumed,
                &self.theme_colors,
                &self.palette,
                &mut items,
            );
        }
        self.index
            .set(Element::new(layer::CARDS, i), bounds_of(&items));
        self.cards[i] = items;
    }

    fn redraw_flow(&mut self, f: usize, layout: &Layout) {
        let [a, b] = self.flow_ends[f].map(|c| layout.card_rect_at(c as usize));
        let item = match (a, b) {
            (Some(a), Some(b)) => Some(flow_item(a, b, layout.bounds().max.y, &self.palette)),
            _ => None,
        };
        let bounds = item.as_ref().map_or(Rect::NOTHING, Item::bounds);
        self.index.set(Element::new(layer::FLOWS, f), bounds);
        self.flows[f] = item;
    }

    fn redraw_labels(&mut self, doc: &Document, layout: &Layout) {
        let jobs: Vec<(u32, [crate::scene::Point; 4])> = self
            .labelled
            .iter()
            .filter_map(|&f| {
                let item = self.flows.get(f as usize)?.as_ref()?;
                Some((f, curve_points(item)?))
            })
            .collect();
        self.labels = if jobs.is_empty() {
            Vec::new()
        } else {
            flow_labels(doc, layout, &jobs, &self.palette)
        };
        for (k, (_, items)) in self.labels.iter().enumerate() {
            self.index
                .set(Element::new(layer::LABELS, k), bounds_of(items));
        }
        self.index.truncate(layer::LABELS, self.labels.len());
    }

    /// The emotion curve's layer.
    pub fn curve(&self) -> &CurveLayer {
        &self.curve
    }

    /// The spatial index over the elements.
    pub fn index(&self) -> &SceneIndex {
        &self.index
    }

    /// The grid's extent.
    pub fn bounds(&self) -> Rect {
        self.grid.bounds
    }

    /// The items of element `e`, as a list and the part of it that is `e`'s (grid items
    /// share one list, so that a label's box can be told apart by the text after it).
    pub fn items(&self, e: Element) -> (&[Item], Range<usize>) {
        let i = e.index();
        let whole = |items: &'_ [Item]| 0..items.len();
        match e.layer() {
            layer::GRID if i < self.grid.items.len() => (&self.grid.items, i..i + 1),
            layer::CURVE => {
                let items = self.curve.element(i);
                (items, 0..items.len())
            }
            layer::FLOWS => match self.flows.get(i).and_then(Option::as_ref) {
                Some(item) => (std::slice::from_ref(item), 0..1),
                None => (&[], 0..0),
            },
            layer::CARDS => self.cards.get(i).map_or((&[], 0..0), |c| (c, whole(c))),
            layer::LABELS => self
                .labels
                .get(i)
                .map_or((&[], 0..0), |l| (&l.1, whole(&l.1))),
            _ => (&[], 0..0),
        }
    }

    /// The arrow of flow `f`, if both its ends are laid out.
    pub fn flow(&self, f: usize) -> Option<&Item> {
        self.flows.get(f).and_then(Option::as_ref)
    }

    /// Number of cards (laid out or not).
    pub fn card_count(&self) -> usize {
        self.cards.len()
    }

    /// Number of flows (with an arrow or not).
    pub fn flow_count(&self) -> usize {
        self.flows.len()
    }

    /// How much of its colour element `e` shows under `dimming`: cards and flows as it
    /// says, labels with their flow, the grid and the curve always whole.
    pub fn alpha(&self, dimming: &Dimming, e: Element) -> f32 {
        let dim = match e.layer() {
            layer::CARDS => dimming.cards.get(e.index()) == Some(&true),
            layer::FLOWS => dimming.flows.get(e.index()) == Some(&true),
            layer::LABELS => self
                .labels
                .get(e.index())
                .is_some_and(|(f, _)| dimming.flows.get(*f as usize) == Some(&true)),
            _ => false,
        };
        if dim { DIM_FACTOR } else { 1.0 }
    }

    /// Which cards and flows fade while `theme` is highlighted: the cards that do not
    /// express it, and every flow that starts or ends at one of them.
    pub fn dimming(&self, theme: &ThemeId) -> Dimming {
        let mut cards = vec![true; self.cards.len()];
        for &c in self.theme_cards.get(theme).into_iter().flatten() {
            cards[c as usize] = false;
        }
        let dim = |c: u32| cards.get(c as usize) == Some(&true);
        let flows = self
            .flow_ends
            .iter()
            .map(|&[a, b]| dim(a) || dim(b))
            .collect();
        Dimming { cards, flows }
    }

    /// The whole scene as one list of items in painting order, with its groups, faded as
    /// `dimming` says: what [`super::build_canvas`] gives. After an edit, the curve's
    /// stages left to draw are drawn first ([`LiveScene::draw_all`]).
    pub fn flatten(&self, dimming: Option<&Dimming>) -> Scene {
        let mut scene = self.grid.clone();
        self.curve.flatten_into(&mut scene.items, &mut scene.groups);
        let alpha = |e: Element| dimming.map_or(1.0, |d| self.alpha(d, e));
        let push = |scene: &mut Scene, id: GroupId, items: &[Item], alpha: f32| {
            begin(&mut scene.groups, scene.items.len(), id);
            scene.items.extend(items.iter().map(|i| i.faded(alpha)));
        };
        scene.begin_layer("flows");
        for (f, item) in self.flows.iter().enumerate() {
            if let Some(item) = item {
                let e = Element::new(layer::FLOWS, f);
                push(
                    &mut scene,
                    GroupId::Flow(narrow(f)),
                    std::slice::from_ref(item),
                    alpha(e),
                );
            }
        }
        scene.begin_layer("cards");
        for (i, items) in self.cards.iter().enumerate() {
            if !items.is_empty() {
                let e = Element::new(layer::CARDS, i);
                push(&mut scene, GroupId::Card(narrow(i)), items, alpha(e));
            }
        }
        if !self.labels.is_empty() {
            scene.begin_layer("flow-labels");
            for (k, (f, items)) in self.labels.iter().enumerate() {
                let e = Element::new(layer::LABELS, k);
                push(&mut scene, GroupId::FlowLabel(*f), items, alpha(e));
            }
        }
        scene
    }
}

/// Which cards and flows are faded while a theme is highlighted (see
/// [`LiveScene::dimming`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dimming {
    cards: Vec<bool>,
    flows: Vec<bool>,
}
