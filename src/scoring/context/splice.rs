//! The card facts following cards removed or inserted inside the list (a card deleted,
//! and its undo): the facts of the kept cards move to their new places, those of the
//! inserted cards are worked out. Such a step changes no stage, lane, theme or persona
//! (those change everything), so the ids resolved to indices stay as they were.

use super::{CardFacts, OUTSIDE, idx};
use crate::model::Document;

impl CardFacts {
    /// Follows a step that spliced the card list: `map` takes each card's index before
    /// to its index now (`None`: removed). The facts become those [`CardFacts::new`] gives
    /// for `doc` (department numbers may differ; only their equality counts), working out
    /// only the cards inserted.
    pub fn follow_splice(&mut self, doc: &Document, map: &[Option<usize>]) {
        let (was, n) = (self.len(), doc.touchpoints.len());
        let mut from: Vec<Option<usize>> = vec![None; n];
        for (old, now) in map.iter().enumerate().take(was) {
            if let Some(now) = now.filter(|&i| i < n) {
                from[now] = Some(old);
            }
        }
        let old_rows = std::mem::take(&mut self.persona_emotion);
        let emptied = self.emptied(n);
        let mut old = std::mem::replace(self, emptied);
        for (now, tp) in doc.touchpoints.iter().enumerate() {
            let Some(o) = from[now] else {
                self.push(doc, tp);
                continue;
            };
            self.theme_start.push(idx(self.theme_list.len()));
            let (a, b) = (old.theme_start[o] as usize, old.theme_start[o + 1] as usize);
            self.theme_list.extend_from_slice(&old.theme_list[a..b]);
            self.stage_of.push(old.stage_of[o]);
            self.lane_of.push(old.lane_of[o]);
            self.customer.push(old.customer[o]);
            self.employee.push(old.employee[o]);
            self.customers += usize::from(old.customer[o]);
            self.physical.push(old.physical[o]);
            self.desk.push(old.desk[o]);
            self.emotion.push(old.emotion[o]);
            self.flags.push(old.flags[o]);
            self.senses.push(old.senses[o]);
            self.clashes.push(std::mem::take(&mut old.clashes[o]));
            self.language.push(std::mem::take(&mut old.language[o]));
        }
        self.theme_start.push(idx(self.theme_list.len()));
        // Persona after persona: each kept card's emotion moves to its new place.
        let personas = doc.personas.len();
        self.persona_emotion = vec![OUTSIDE; n * personas];
        for k in 0..personas {
            for (now, o) in from.iter().enumerate() {
                match o {
                    Some(o) => {
                        let kept = old_rows.get(k * was + o).copied().unwrap_or(OUTSIDE);
                        self.persona_emotion[k * n + now] = kept;
                    }
                    None if k == 0 => self.persona_emotions(doc, now),
                    None => {}
                }
            }
        }
        self.face(doc);
    }

    /// These facts with no card, keeping the ids resolved (room for `n` cards).
    fn emptied(&mut self, n: usize) -> Self {
        CardFacts {
            stage_ix: std::mem::take(&mut self.stage_ix),
            lane_ix: std::mem::take(&mut self.lane_ix),
            theme_ix: std::mem::take(&mut self.theme_ix),
            departments: std::mem::take(&mut self.departments),
            ..Self::with_room(n, self.theme_list.len())
        }
    }
}
