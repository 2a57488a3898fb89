//! The card facts following cards added at the end of the list or removed from its end
//! (a card added, pasted, or either undone): the facts below the tail are kept, those of
//! the tail are worked out. Such a step changes no stage, lane, theme or persona (those
//! change everything), so the ids resolved to indices stay as they were.

use super::{CardFacts, OUTSIDE, idx};
use crate::model::Document;

impl CardFacts {
    /// Follows a step that reshaped the card list only from index `from` on: the facts
    /// become those [`CardFacts::new`] gives for `doc` (department numbers may differ;
    /// only their equality counts), working out only the cards from `from` on.
    pub fn follow_tail(&mut self, doc: &Document, from: usize) {
        let (was, n) = (self.len(), doc.touchpoints.len());
        let from = from.min(was).min(n);
        // Persona after persona: the kept part of each row moves to the row's new place.
        let personas = doc.personas.len();
        let mut rows = vec![OUTSIDE; n * personas];
        for k in 0..personas {
            if let Some(kept) = self.persona_emotion.get(k * was..k * was + from) {
                rows[k * n..k * n + from].copy_from_slice(kept);
            }
        }
        self.persona_emotion = rows;
        // The tail's cards are counted out with their facts before, in with those after
        // (all counted again if the guest changes side).
        let had_customers = self.customers > 0;
        let mut tally = std::mem::take(&mut self.tally);
        for i in from..was {
            tally.count(self, i, false);
        }
        self.customers -= self.customer[from..].iter().filter(|&&c| c).count();
        self.stage_of.truncate(from);
        self.lane_of.truncate(from);
        self.physical.truncate(from);
        self.desk.truncate(from);
        self.emotion.truncate(from);
        self.flags.truncate(from);
        self.senses.truncate(from);
        self.clashes.truncate(from);
        self.language.truncate(from);
        self.customer.truncate(from);
        self.employee.truncate(from);
        self.theme_list.truncate(self.theme_start[from] as usize);
        self.theme_start.truncate(from);
        for tp in &doc.touchpoints[from..] {
            self.push(doc, tp);
        }
        self.theme_start.push(idx(self.theme_list.len()));
        for i in from..n {
            self.persona_emotions(doc, i);
        }
        if had_customers == (self.customers > 0) {
            self.facing = self.facing_all();
            for i in from..n {
                tally.count(self, i, true);
            }
            self.tally = tally;
        } else {
            self.face(doc);
        }
    }
}
