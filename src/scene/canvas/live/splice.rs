//! Following cards and flows removed or inserted inside their lists (a card deleted with
//! its flows, and its undo): what the scene keeps per card and per flow moves to the
//! elements' new places, rather than the whole scene being drawn again.

use super::{LiveScene, Redrawn, has_label, narrow, theme_cards, with_room};
use crate::edit::{Changed, Splice};
use crate::model::Document;
use crate::scene::canvas::layer;
use crate::scene::layout::Layout;
use crate::scoring::Report;

impl LiveScene {
    /// Follows a change whose lists were spliced (`changed.splice`): follows it in
    /// `layout` (computed anew only when it cannot follow), and draws again the cards and
    /// flows inserted, those that moved, and what `changed` names in place. `None` without
    /// a splice, or when it does not fit the lists this scene holds (the caller builds
    /// anew; `layout` is as it was).
    pub fn follow_splice(
        &mut self,
        doc: &Document,
        layout: &mut Layout,
        changed: &Changed,
        report: Option<&Report>,
    ) -> Option<Redrawn> {
        let splice = changed.splice.as_ref()?;
        if !splice.cards.fits(self.cards.len(), doc.touchpoints.len())
            || !splice.flows.fits(self.flows.len(), doc.flows.len())
        {
            return None;
        }
        let moved = match layout.follow_splice(doc, &splice.cards, &changed.cards) {
            Some(moved) => moved,
            None => {
                let now = Layout::compute_with(doc, layout.curve_band().is_some());
                let moved = now.changes_across(layout, &splice.cards.map(self.cards.len()));
                *layout = now;
                moved
            }
        };
        Some(self.update(doc, layout, changed, &moved, report))
    }

    /// Moves what the scene holds per card and per flow to their places after `splice`,
    /// and resolves the flows' ends again (a kept flow between kept cards, not edited, ends
    /// where it did, renumbered). Gives the flows to draw again: those inserted, and those
    /// whose end cards changed.
    pub(super) fn drop_splice(
        &mut self,
        doc: &Document,
        layout: &Layout,
        changed: &Changed,
        splice: &Splice,
    ) -> Vec<usize> {
        let (n, m) = (doc.touchpoints.len(), doc.flows.len());
        let cards = splice.cards.map(self.cards.len());
        let flows = splice.flows.map(self.flows.len());
        let mut items = with_room(n, Vec::new());
        let mut findings = with_room(n, 0);
        for (old, now) in cards.iter().enumerate() {
            if let Some(now) = now.filter(|&i| i < n) {
                items[now] = std::mem::take(&mut self.cards[old]);
                findings[now] = self.findings[old];
            }
        }
        (self.cards, self.findings) = (items, findings);
        self.index.splice(layer::CARDS, &cards, n);
        let mut arrows = with_room(m, None);
        let mut ends = vec![[u32::MAX; 2]; m];
        let card_now = |c: u32| {
            let now = cards.get(c as usize).copied().flatten();
            now.map_or(u32::MAX, narrow)
        };
        for (old, now) in flows.iter().enumerate() {
            if let Some(now) = now.filter(|&f| f < m) {
                arrows[now] = self.flows[old].take();
                if let Some(&[a, b]) = self.flow_ends.get(old) {
                    ends[now] = [card_now(a), card_now(b)];
                }
            }
        }
        self.flows = arrows;
        self.index.splice(layer::FLOWS, &flows, m);
        let inserted = |f: usize| splice.flows.inserted.binary_search(&f).is_ok();
        let edited = |c: u32| changed.cards.binary_search(&(c as usize)).is_ok();
        self.resolve_ends(doc, layout, &ends, |f, [a, b]| {
            !inserted(f)
                && changed.flows.binary_search(&f).is_err()
                && a != u32::MAX
                && b != u32::MAX
                && !edited(a)
                && !edited(b)
        });
        let mut redraw: Vec<usize> = splice.flows.inserted.clone();
        redraw.extend((0..m).filter(|&f| ends[f] != self.flow_ends[f]));
        self.labelled = (0..m).filter(|&f| has_label(doc, f)).map(narrow).collect();
        self.theme_cards = theme_cards(doc);
        redraw
    }
}
