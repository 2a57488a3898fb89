//! The curve's layer following cards removed or inserted inside the list (a card deleted,
//! and its undo): what it keeps per card moves to the cards' new places, and the stages
//! that lost or gained a card are drawn again.

use super::{CurveLayer, front_actor, narrow};
use crate::edit::Fields;
use crate::model::{Actor, Document};
use crate::scene::GroupId;
use crate::scene::layout::Layout;

impl CurveLayer {
    /// As [`CurveLayer::update`], after the cards were spliced: `map` takes each card's
    /// index before to its index now (`None`: removed), `inserted` are the cards new to
    /// the list (indices now), `cards` those edited in place. The stages of the cards
    /// removed and inserted are drawn again, with those the edits touched. `None` when the
    /// whole layer is to be drawn again.
    pub fn follow_splice(
        &mut self,
        doc: &Document,
        layout: &Layout,
        map: &[Option<usize>],
        inserted: &[usize],
        (cards, fields): (&[usize], Fields),
    ) -> Option<Vec<usize>> {
        if self.band.is_none() || self.band != layout.curve_band() {
            return (self.band == layout.curve_band()).then(Vec::new);
        }
        if map.len() != self.front.len() {
            return None;
        }
        let n = doc.touchpoints.len();
        let (mut front, mut stage_of) = (vec![None; n], vec![u32::MAX; n]);
        let mut moved = Vec::new();
        for (old, now) in map.iter().enumerate() {
            match now.filter(|&i| i < n) {
                Some(i) => (front[i], stage_of[i]) = (self.front[old], self.stage_of[old]),
                None => {
                    self.customers -= usize::from(self.front[old] == Some(Actor::Customer));
                    moved.push(self.stage_of[old] as usize);
                }
            }
        }
        for &i in inserted.iter().filter(|&&i| i < n) {
            front[i] = front_actor(doc, layout, i);
            self.customers += usize::from(front[i] == Some(Actor::Customer));
            stage_of[i] = layout.card_cell_at(i).map_or(u32::MAX, |(s, _)| narrow(s));
            moved.push(stage_of[i] as usize);
        }
        (self.front, self.stage_of) = (front, stage_of);
        // The points of removed cards are in stages drawn again, which place theirs anew.
        let now_of = |c: usize| map.get(c).copied().flatten().unwrap_or(usize::MAX);
        for part in &mut self.stages {
            for p in part.points.iter_mut().flatten() {
                p.card = now_of(p.card);
            }
            for g in &mut part.groups {
                if let GroupId::EmotionPoint { card, .. } = &mut g.id {
                    *card = narrow(now_of(*card as usize));
                }
            }
            for c in &mut part.titled {
                *c = now_of(*c);
            }
            part.titled.retain(|&c| c != usize::MAX);
        }
        let (also, retitled) = self.follow_cards(doc, layout, cards, fields)?;
        moved.extend(also);
        if Some(self.guest_now()) != self.guest {
            return None;
        }
        Some(self.redraw(doc, layout, moved, retitled))
    }
}
