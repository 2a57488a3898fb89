//! What each revision of the document changed, for caches that keep results per element
//! (the canvas's scene, the score): they ask for the changes since the revision they were
//! built at, and redo only what those touched.
//!
//! The ops of a step already say what they touch: a card replaced in place by index, a
//! flow replaced in place, or something that reshapes the lists (an insert, a removal, a
//! move, a stage, a lane, a theme, the whole document), after which indices no longer line
//! up and a cache starts over. [`Changed::of`] reads them; the match there is exhaustive
//! over [`Op`] and [`ListOp`], so a new kind of op does not compile until it says what it
//! touches.

use super::op::{ListOp, Op};
use crate::model::Document;
use std::collections::VecDeque;

/// What one or more revisions changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    /// Everything may have changed: the lists were reshaped (cards or flows added, removed
    /// or reordered, a card given another id), or stages, lanes, themes or the whole
    /// document changed. The other fields are then empty.
    pub everything: bool,
    /// The journey's title or persona (drawn on no card; read by no rule on cards).
    pub meta: bool,
    /// Cards replaced in place (same id, same place in the list), by index, ascending.
    pub cards: Vec<usize>,
    /// Flows replaced in place, by index, ascending.
    pub flows: Vec<usize>,
}

impl Changed {
    /// A change that touches everything.
    pub fn everything() -> Self {
        Self {
            everything: true,
            ..Self::default()
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        !self.everything && !self.meta && self.cards.is_empty() && self.flows.is_empty()
    }

    /// What ops just applied to `doc` changed, given as the ops that undo them (what
    /// [`Op::apply`] returned), in application order.
    pub fn of(doc: &Document, applied: &[Op]) -> Self {
        let mut changed = Self::default();
        for op in applied {
            match op {
                Op::Title(_) | Op::Persona(_) => changed.meta = true,
                Op::Stage(_) | Op::Lane(_) | Op::Theme(_) | Op::Document(_) => {
                    return Self::everything();
                }
                Op::Touchpoint(list) => match list {
                    ListOp::Replace(i, before) => {
                        let same_id = doc.touchpoints.get(*i).is_some_and(|t| t.id == before.id);
                        if !same_id {
                            return Self::everything();
                        }
                        changed.cards.push(*i);
                    }
                    ListOp::Insert(..) | ListOp::Remove(_) | ListOp::Move { .. } => {
                        return Self::everything();
                    }
                },
                Op::Flow(list) => match list {
                    ListOp::Replace(i, _) => changed.flows.push(*i),
                    ListOp::Insert(..) | ListOp::Remove(_) | ListOp::Move { .. } => {
                        return Self::everything();
                    }
                },
            }
        }
        changed.normalise();
        changed
    }

    /// Adds what a later revision changed.
    pub fn merge(&mut self, later: &Changed) {
        if self.everything || later.everything {
            *self = Self::everything();
            return;
        }
        self.meta |= later.meta;
        self.cards.extend_from_slice(&later.cards);
        self.flows.extend_from_slice(&later.flows);
        self.normalise();
    }

    fn normalise(&mut self) {
        for list in [&mut self.cards, &mut self.flows] {
            list.sort_unstable();
            list.dedup();
        }
    }
}

/// Revisions remembered; a cache further behind starts over.
const KEEP: usize = 64;

/// What the last revisions changed, each under the revision it made.
#[derive(Clone, Debug, Default)]
pub struct ChangeLog {
    entries: VecDeque<(u64, Changed)>,
}

impl ChangeLog {
    /// Records what revision `revision` changed.
    pub(super) fn record(&mut self, revision: u64, changed: Changed) {
        if self.entries.len() == KEEP {
            self.entries.pop_front();
        }
        self.entries.push_back((revision, changed));
    }

    /// What changed after revision `since` up to revision `now`: nothing when they are
    /// equal; everything when the log does not reach back to `since` (or forward to `now`).
    pub fn since(&self, since: u64, now: u64) -> Changed {
        if since == now {
            return Changed::default();
        }
        // Entries are consecutive revisions: those from `since + 1` to `now`.
        let Some(first) = self.entries.iter().position(|(rev, _)| *rev == since + 1) else {
            return Changed::everything();
        };
        let mut all = Changed::default();
        let mut reached = since;
        for (rev, c) in self.entries.iter().skip(first) {
            if *rev > now {
                break;
            }
            all.merge(c);
            reached = *rev;
        }
        if reached == now {
            all
        } else {
            Changed::everything()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Command, Editor};
    use crate::model::{Flow, FlowId, TouchpointId};

    fn doc() -> Document {
        crate::synth::canvas(&crate::synth::SynthSpec::new(30, 2))
    }

    #[test]
    fn card_and_flow_edits_name_what_they_touched() {
        let mut ed = Editor::new(doc());
        let r0 = ed.revision();
        let mut card = ed.doc().touchpoints[4].clone();
        card.title = "Renamed".into();
        ed.apply(Command::UpdateTouchpoint(Box::new(card)))
            .expect("ok");
        let mut flow = ed.doc().flows[2].clone();
        flow.label = "then".into();
        let f = flow.clone();
        ed.apply(Command::Merge(Box::new({
            let mut d = ed.doc().clone();
            d.flows[2] = f;
            d
        })))
        .expect("ok");
        let log = ed.change_log();
        let first = log.since(r0, r0 + 1);
        assert_eq!(first.cards, vec![4]);
        assert!(!first.everything);
        assert!(
            log.since(r0, ed.revision()).everything,
            "a merge replaces all"
        );
        assert!(log.since(ed.revision(), ed.revision()).is_empty());
        // Undo of the title edit names the same card.
        assert!(ed.undo());
        assert!(ed.undo());
        let back = ed.change_log().since(ed.revision() - 1, ed.revision());
        assert_eq!(back.cards, vec![4]);
    }

    #[test]
    fn reshaping_edits_and_old_revisions_touch_everything() {
        let mut ed = Editor::new(doc());
        let r0 = ed.revision();
        let from = ed.doc().touchpoints[0].id.clone();
        let to = ed.doc().touchpoints[9].id.clone();
        ed.apply(Command::AddFlow(Flow {
            id: FlowId::from("new-flow"),
            from,
            to,
            label: String::new(),
            extra: Default::default(),
        }))
        .expect("ok");
        assert!(ed.change_log().since(r0, ed.revision()).everything);
        let r1 = ed.revision();
        ed.apply(Command::DeleteTouchpoints(vec![TouchpointId::from(
            ed.doc().touchpoints[3].id.as_str(),
        )]))
        .expect("ok");
        assert!(ed.change_log().since(r1, ed.revision()).everything);
        // Further back than the log remembers.
        let r2 = ed.revision();
        for k in 0..(KEEP + 3) {
            let mut card = ed.doc().touchpoints[1].clone();
            card.title = format!("Title {k}");
            ed.apply(Command::UpdateTouchpoint(Box::new(card)))
                .expect("ok");
        }
        assert!(ed.change_log().since(r2, ed.revision()).everything);
        let recent = ed.change_log().since(ed.revision() - 3, ed.revision());
        assert_eq!(recent.cards, vec![1]);
    }
}
