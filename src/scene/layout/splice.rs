//! The layout following cards removed or inserted inside the document's list (a card
//! deleted, its undo): the kept cards keep their order, so their slots are renumbered
//! rather than every card laid out again.

use super::{Layout, LayoutChange, narrow, slot_order};
use crate::edit::Edits;
use crate::model::{Document, TouchpointId};
use crate::scene::geom::Rect;

impl Layout {
    /// As [`Layout::update`], after cards were removed or inserted inside the document's
    /// list (`edits`, the change log's splice of the cards; `touched`, document indices now
    /// of cards also edited in place): the kept cards move to their new slots with their
    /// rectangles, and only the cells that lost or gained a card (or that `touched` cards
    /// left or joined) are laid out again. The change names the kept cards whose rectangle
    /// changed, by index now (the inserted ones are new anyway). `None`, having changed
    /// nothing, when the splice does not fit this layout, the stages or lanes are not the
    /// document's, a card went into or out of a cell that does not exist, or two cards
    /// would share an id (the first one wins, which only a fresh layout finds).
    pub fn follow_splice(
        &mut self,
        doc: &Document,
        edits: &Edits,
        touched: &[usize],
    ) -> Option<LayoutChange> {
        let (was, n) = (self.doc_to_card.len(), doc.touchpoints.len());
        let same_grid = self.stages.len() == doc.stages.len()
            && self.lanes.len() == doc.lanes.len()
            && self.stages.iter().zip(&doc.stages).all(|(a, s)| *a == s.id)
            && self.lanes.iter().zip(&doc.lanes).all(|(a, l)| *a == l.id);
        if !edits.fits(was, n) || !same_grid || self.card_index.len() != self.cards.len() {
            return None;
        }
        let map = edits.map(was);
        let mut from_old = vec![None; n];
        for (old, now) in map.iter().enumerate() {
            if let Some(now) = now.filter(|&i| i < n) {
                from_old[now] = Some(old);
            }
        }
        if !self.can_follow(doc, edits, &from_old, touched) {
            return None;
        }
        let cells = self.renumber(doc, &from_old);
        match self.place_after_splice(doc, touched, cells) {
            Some(mut change) => {
                change
                    .moved
                    .retain(|i| edits.inserted.binary_search(i).is_err());
                Some(change)
            }
            // Ruled out above; were it not, an empty layout makes the caller redraw all.
            None => {
                *self = Layout::default();
                None
            }
        }
    }

    /// Whether the splice can be followed: no inserted card shares an id with another, and
    /// no card edited in place went into or out of a cell that does not exist.
    fn can_follow(
        &self,
        doc: &Document,
        edits: &Edits,
        from_old: &[Option<usize>],
        touched: &[usize],
    ) -> bool {
        let removed_slot = |old: usize| edits.removed.binary_search(&old).is_ok();
        let ids_free = edits.inserted.iter().enumerate().all(|(k, &i)| {
            let id = &doc.touchpoints[i].id;
            let taken = self
                .card_index
                .get(id)
                .is_some_and(|&slot| !removed_slot(self.card_doc[slot] as usize));
            !taken
                && edits.inserted[..k]
                    .iter()
                    .all(|&j| doc.touchpoints[j].id != *id)
        });
        ids_free
            && touched.iter().all(|&i| {
                let Some(tp) = doc.touchpoints.get(i) else {
                    return false;
                };
                let laid_out = match from_old[i] {
                    Some(old) => self.doc_to_card[old] != u32::MAX,
                    None => return true,
                };
                laid_out == self.cell_of(tp).is_some()
            })
    }

    /// Moves the kept cards to their slots now (`from_old`: each card's index before, or
    /// `None` if inserted), drops the removed ones and adds the inserted ones at their
    /// places in their cells. Gives the cells that lost or gained a card.
    fn renumber(&mut self, doc: &Document, from_old: &[Option<usize>]) -> Vec<usize> {
        let n = doc.touchpoints.len();
        let old_doc_to_card = std::mem::replace(&mut self.doc_to_card, vec![u32::MAX; n]);
        let old_cards = std::mem::take(&mut self.cards);
        let old_cell = std::mem::take(&mut self.card_cell);
        let old_pos = std::mem::take(&mut self.card_pos);
        self.card_doc.clear();
        let room = old_cards.len() + old_cards.len() / 8;
        self.cards.reserve(room);
        self.card_doc.reserve(room);
        self.card_cell.reserve(room);
        self.card_pos.reserve(room);
        let mut slot_now = vec![u32::MAX; old_cards.len()];
        let mut cells = Vec::new();
        let mut inserted = Vec::new();
        let mut old = old_cards.into_iter().enumerate();
        let mut drop_removed = |layout: &mut Layout, slot: usize, id: TouchpointId| {
            layout.card_index.remove(&id);
            cells.push(old_cell[slot] as usize);
        };
        for (i, tp) in doc.touchpoints.iter().enumerate() {
            let slot = self.cards.len();
            let (card, cell, pos) = match from_old[i] {
                Some(o) if old_doc_to_card[o] == u32::MAX => continue,
                Some(o) => {
                    let target = old_doc_to_card[o] as usize;
                    // The slots between the last kept one and this one were removed.
                    let card = loop {
                        let (s, card) = old.next().expect("kept slots come in order");
                        if s == target {
                            break card;
                        }
                        drop_removed(self, s, card.0);
                    };
                    slot_now[target] = narrow(slot);
                    (card, old_cell[target], old_pos[target])
                }
                None => {
                    let Some(cell) = self.cell_of(tp) else {
                        continue;
                    };
                    inserted.push(slot);
                    ((tp.id.clone(), Rect::default()), narrow(cell), tp.position)
                }
            };
            self.doc_to_card[i] = narrow(slot);
            self.cards.push(card);
            self.card_doc.push(narrow(i));
            self.card_cell.push(cell);
            self.card_pos.push(pos);
        }
        for (s, card) in old {
            drop_removed(self, s, card.0);
        }
        for slot in self.card_index.values_mut() {
            *slot = slot_now[*slot] as usize;
        }
        for list in &mut self.cell_cards {
            list.retain_mut(|slot| {
                *slot = slot_now[*slot] as usize;
                *slot != u32::MAX as usize
            });
        }
        for slot in inserted {
            let (id, _) = &self.cards[slot];
            self.card_index.insert(id.clone(), slot);
            let cell = self.card_cell[slot] as usize;
            let tp = &doc.touchpoints[self.card_doc[slot] as usize];
            let at = self.cell_cards[cell].partition_point(|&x| {
                slot_order(&doc.touchpoints[self.card_doc[x] as usize], tp).is_lt()
            });
            self.cell_cards[cell].insert(at, slot);
            cells.push(cell);
        }
        cells
    }

    /// Moves the cards `touched` in place, then lays out again the cells in `cells`.
    fn place_after_splice(
        &mut self,
        doc: &Document,
        touched: &[usize],
        mut cells: Vec<usize>,
    ) -> Option<LayoutChange> {
        self.follow_cards(doc, touched, &mut cells)?;
        Some(self.place_cells(cells))
    }
}
