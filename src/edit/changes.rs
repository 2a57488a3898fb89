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
use crate::model::{Document, Touchpoint};
use std::collections::VecDeque;

/// What one or more revisions changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    /// Everything may have changed: the lists were reshaped (cards or flows added, removed
    /// or reordered, a card given another id), or stages, lanes, themes or the whole
    /// document changed. The other fields are then empty.
    pub everything: bool,
    /// The journey's title (drawn on no card; read by no rule on cards).
    pub meta: bool,
    /// Cards replaced in place (same id, same place in the list), by index, ascending.
    pub cards: Vec<usize>,
    /// Which of their fields changed, over all of them.
    pub fields: Fields,
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

    /// Cards replaced in place, whose `fields` may have changed.
    pub fn cards(cards: Vec<usize>, fields: Fields) -> Self {
        let mut changed = Self {
            cards,
            fields,
            ..Self::default()
        };
        changed.normalise();
        changed
    }

    /// What ops just applied to `doc` changed, given as the ops that undo them (what
    /// [`Op::apply`] returned), in application order.
    pub fn of(doc: &Document, applied: &[Op]) -> Self {
        let mut changed = Self::default();
        for op in applied {
            match op {
                Op::Title(_) => changed.meta = true,
                // Personas draw the curve's lines and the arc rule scores each one.
                Op::Personas(_) | Op::Stage(_) | Op::Lane(_) | Op::Theme(_) | Op::Document(_) => {
                    return Self::everything();
                }
                Op::Touchpoint(list) => match list {
                    ListOp::Replace(i, before) => {
                        let same_id = doc.touchpoints.get(*i).is_some_and(|t| t.id == before.id);
                        if !same_id {
                            return Self::everything();
                        }
                        changed.cards.push(*i);
                        changed.fields |= Fields::between(before, &doc.touchpoints[*i]);
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
        self.fields |= later.fields;
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

/// Fields of a card, as a set: what an edit in place changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fields(u32);

impl Fields {
    pub const TITLE: Fields = Fields(1);
    pub const NOTES: Fields = Fields(1 << 1);
    pub const STAGE: Fields = Fields(1 << 2);
    pub const LANE: Fields = Fields(1 << 3);
    pub const POSITION: Fields = Fields(1 << 4);
    pub const KIND: Fields = Fields(1 << 5);
    pub const THEMES: Fields = Fields(1 << 6);
    pub const EMOTION: Fields = Fields(1 << 7);
    pub const CUES: Fields = Fields(1 << 8);
    pub const SENSES: Fields = Fields(1 << 9);
    pub const DEPARTMENT: Fields = Fields(1 << 10);
    pub const ACTOR: Fields = Fields(1 << 11);
    pub const FLAGS: Fields = Fields(1 << 12);
    pub const TOP_TASK: Fields = Fields(1 << 13);
    pub const EXTRA: Fields = Fields(1 << 14);
    pub const ID: Fields = Fields(1 << 15);
    /// Read by no rule: findings on assumed cards are noted when the report is made.
    pub const EVIDENCE: Fields = Fields(1 << 16);
    pub const ALL: Fields = Fields((1 << 17) - 1);
    /// Not fields of a card but facts the scorer works out from them, marked when an
    /// edit changed them: whether a card faces the guest (any card's: with no customer in
    /// front, the guest is the employee), whether the guest is there in body, and the
    /// words of its texts that clash with a tone (or their language).
    pub const FACING_FACT: Fields = Fields(1 << 17);
    pub const PHYSICAL_FACT: Fields = Fields(1 << 18);
    pub const CLASHES_FACT: Fields = Fields(1 << 19);

    /// The fields in which two versions of a card differ. Every field is named, so a new
    /// field of `Touchpoint` does not compile until it is given a bit here.
    pub fn between(a: &Touchpoint, b: &Touchpoint) -> Fields {
        let Touchpoint {
            id,
            title,
            notes,
            stage,
            lane,
            position,
            kind,
            themes,
            emotion,
            personas,
            emotions,
            cues,
            senses,
            department,
            actor,
            flags,
            top_task,
            evidence,
            extra,
        } = a;
        let pairs = [
            (id == &b.id, Fields::ID),
            (title == &b.title, Fields::TITLE),
            (notes == &b.notes, Fields::NOTES),
            (stage == &b.stage, Fields::STAGE),
            (lane == &b.lane, Fields::LANE),
            (position == &b.position, Fields::POSITION),
            (kind == &b.kind, Fields::KIND),
            (themes == &b.themes, Fields::THEMES),
            (emotion == &b.emotion, Fields::EMOTION),
            // Whose journey the card is part of, and what it leaves each one with: read
            // where the emotion is (the curve, the arc rule).
            (personas == &b.personas, Fields::EMOTION),
            (emotions == &b.emotions, Fields::EMOTION),
            (cues == &b.cues, Fields::CUES),
            (senses == &b.senses, Fields::SENSES),
            (department == &b.department, Fields::DEPARTMENT),
            (evidence == &b.evidence, Fields::EVIDENCE),
            (actor == &b.actor, Fields::ACTOR),
            (flags == &b.flags, Fields::FLAGS),
            (top_task == &b.top_task, Fields::TOP_TASK),
            (extra == &b.extra, Fields::EXTRA),
        ];
        pairs
            .into_iter()
            .filter(|(same, _)| !same)
            .fold(Fields::default(), |acc, (_, f)| acc | f)
    }

    /// Whether the two sets share a field.
    pub fn meets(self, other: Fields) -> bool {
        self.0 & other.0 != 0
    }

    /// Both sets together (as `|`, in constants).
    pub const fn or(self, other: Fields) -> Fields {
        Fields(self.0 | other.0)
    }
}

impl std::ops::BitOr for Fields {
    type Output = Fields;

    fn bitor(self, other: Fields) -> Fields {
        Fields(self.0 | other.0)
    }
}

impl std::ops::BitOrAssign for Fields {
    fn bitor_assign(&mut self, other: Fields) {
        self.0 |= other.0;
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
