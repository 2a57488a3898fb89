//! The curve's layer following cards added at the end of the list or removed from its
//! end (a card added, pasted, or either undone).

use super::{CurveLayer, front_actor, narrow};
use crate::edit::Fields;
use crate::model::{Actor, Document};
use crate::scene::layout::Layout;

impl CurveLayer {
    /// As [`CurveLayer::update`], after cards were added at the end of the list or removed
    /// from its end (from index `from` on): their stages are drawn again too.
    pub fn follow_tail(
        &mut self,
        doc: &Document,
        layout: &Layout,
        from: usize,
        cards: &[usize],
        fields: Fields,
    ) -> Option<Vec<usize>> {
        if self.band.is_none() || self.band != layout.curve_band() {
            return (self.band == layout.curve_band()).then(Vec::new);
        }
        let from = from.min(self.front.len());
        let mut moved: Vec<usize> = self.stage_of[from..].iter().map(|&s| s as usize).collect();
        let gone = self.front[from..]
            .iter()
            .filter(|&&f| f == Some(Actor::Customer))
            .count();
        self.customers -= gone;
        self.front.truncate(from);
        self.stage_of.truncate(from);
        for i in from..doc.touchpoints.len() {
            let front = front_actor(doc, layout, i);
            self.customers += usize::from(front == Some(Actor::Customer));
            self.front.push(front);
            let stage = layout.card_cell_at(i).map_or(u32::MAX, |(s, _)| narrow(s));
            self.stage_of.push(stage);
            moved.push(stage as usize);
        }
        let (also, retitled) = self.follow_cards(doc, layout, cards, fields)?;
        moved.extend(also);
        if Some(self.guest_now()) != self.guest {
            return None;
        }
        Some(self.redraw(doc, layout, moved, retitled))
    }
}
