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
    /// document changed. The other fields are then empty, unless `tail` says the lists
    /// changed only at their ends.
    pub everything: bool,
    /// The journey's title (drawn on no card; read by no rule on cards).
    pub meta: bool,
    /// Cards replaced in place (same id, same place in the list), by index, ascending.
    pub cards: Vec<usize>,
    /// Which of their fields changed, over all of them.
    pub fields: Fields,
    /// Flows replaced in place, by index, ascending.
    pub flows: Vec<usize>,
    /// When the lists were reshaped only at their ends (cards or flows added at the end,
    /// or removed from it: adding a card, drawing an arrow, pasting, and their undos):
    /// where. `everything` is then set too, for a cache that starts over; one that follows
    /// the tail keeps what it has below it, and `cards`, `fields` and `flows` name what
    /// changed in place there.
    pub tail: Option<Tail>,
    /// When cards or flows were removed or inserted inside their lists (a card deleted
    /// with its flows, and its undo; one step): how. `everything` is then set too, and
    /// `cards`, `fields` and `flows` name what changed in place, by index now.
    pub splice: Option<super::Splice>,
}

/// Where the lists changed at their ends: the elements below these indices are the same
/// elements as before (edited in place at most), those from there on are new or gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tail {
    pub cards_from: usize,
    pub flows_from: usize,
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
        let tail = match Reshape::of(doc, applied) {
            Reshape::Everything => return Self::spliced(doc, applied),
            Reshape::InPlace => None,
            Reshape::Tail(tail) => Some(tail),
        };
        let (cards_below, flows_below) =
            tail.map_or((usize::MAX, usize::MAX), |t| (t.cards_from, t.flows_from));
        let mut changed = Self::default();
        for op in applied {
            match op {
                Op::Title(_) => changed.meta = true,
                Op::Touchpoint(ListOp::Replace(i, before)) if *i < cards_below => {
                    let same_id = doc.touchpoints.get(*i).is_some_and(|t| t.id == before.id);
                    if !same_id {
                        return Self::everything();
                    }
                    changed.cards.push(*i);
                    changed.fields |= Fields::between(before, &doc.touchpoints[*i]);
                }
                Op::Flow(ListOp::Replace(i, _)) if *i < flows_below => changed.flows.push(*i),
                // Reshapes are in the tail; anything else was answered by `Reshape::of`.
                _ => {}
            }
        }
        changed.everything = tail.is_some();
        changed.tail = tail;
        changed.normalise();
        changed
    }

    /// What a step that reshaped the lists inside changed: a splice, or everything.
    fn spliced(doc: &Document, applied: &[Op]) -> Self {
        let Some((splice, (cards, fields), flows)) = super::splice::of(doc, applied) else {
            return Self::everything();
        };
        let mut changed = Self {
            everything: true,
            meta: applied.iter().any(|op| matches!(op, Op::Title(_))),
            cards,
            fields,
            flows,
            splice: Some(splice),
            ..Self::default()
        };
        changed.normalise();
        changed
    }

    /// Adds what a later revision changed.
    pub fn merge(&mut self, later: &Changed) {
        // A splice is followed only on its own: with anything else, everything changed.
        if self.splice.is_some() || later.splice.is_some() {
            if self.is_empty() {
                *self = later.clone();
            } else if !later.is_empty() {
                *self = Self::everything();
            }
            return;
        }
        let whole = |c: &Changed| c.everything && c.tail.is_none();
        if whole(self) || whole(later) {
            *self = Self::everything();
            return;
        }
        // Two tails make one, from the lower ends; what was edited in place at or above
        // it is in the tail now.
        if let Some(tail) = Tail::lower(self.tail, later.tail) {
            self.everything = true;
            self.tail = Some(tail);
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
        if let Some(t) = self.tail {
            self.cards.retain(|&i| i < t.cards_from);
            self.flows.retain(|&i| i < t.flows_from);
        }
    }
}

impl Tail {
    /// The tail covering both (either may be absent).
    fn lower(a: Option<Tail>, b: Option<Tail>) -> Option<Tail> {
        match (a, b) {
            (Some(a), Some(b)) => Some(Tail {
                cards_from: a.cards_from.min(b.cards_from),
                flows_from: a.flows_from.min(b.flows_from),
            }),
            (a, b) => a.or(b),
        }
    }
}

/// How a step's ops reshaped the card and flow lists.
enum Reshape {
    /// Not at all: elements were replaced in place, if anything.
    InPlace,
    /// Only at their ends.
    Tail(Tail),
    /// Otherwise: a move, an insert or a removal inside a list, or stages, lanes, themes,
    /// personas or the whole document changed.
    Everything,
}

impl Reshape {
    /// Follows the lists back from `doc` through the ops that undo a step (`applied`, in
    /// application order): an insert or a removal counts as at the end when it was at the
    /// end of the list as it was then.
    fn of(doc: &Document, applied: &[Op]) -> Self {
        let mut cards = End::new(doc.touchpoints.len());
        let mut flows = End::new(doc.flows.len());
        for op in applied.iter().rev() {
            let at_end = match op {
                Op::Title(_) => true,
                // Personas draw the curve's lines and the arc rule scores each one.
                Op::Personas(_) | Op::Stage(_) | Op::Lane(_) | Op::Theme(_) | Op::Document(_) => {
                    false
                }
                Op::Touchpoint(list) => cards.step_back(list),
                Op::Flow(list) => flows.step_back(list),
            };
            if !at_end {
                return Self::Everything;
            }
        }
        if cards.reshaped || flows.reshaped {
            Self::Tail(Tail {
                cards_from: cards.from,
                flows_from: flows.from,
            })
        } else {
            Self::InPlace
        }
    }
}

/// One list followed back through a step: its length after the op being looked at, and
/// the lowest index the step inserted or removed at.
struct End {
    len: usize,
    from: usize,
    reshaped: bool,
}

impl End {
    fn new(len: usize) -> Self {
        Self {
            len,
            from: len,
            reshaped: false,
        }
    }

    /// Steps back over one op that undoes a change; false when the change inserted,
    /// removed or moved an element other than at the list's end.
    fn step_back<T>(&mut self, undo: &ListOp<T>) -> bool {
        let at = match undo {
            ListOp::Replace(..) => return true,
            ListOp::Move { .. } => return false,
            // An insert at `i` (undone by removing it): at the end if it is last now.
            ListOp::Remove(i) => {
                let Some(before) = self.len.checked_sub(1) else {
                    return false;
                };
                if *i != before {
                    return false;
                }
                self.len = before;
                *i
            }
            // A removal at `i` (undone by inserting it back): at the end if it was last.
            ListOp::Insert(i, _) => {
                if *i != self.len {
                    return false;
                }
                self.len += 1;
                *i
            }
        };
        self.from = self.from.min(at);
        self.reshaped = true;
        true
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

    #[test]
    fn edits_at_the_ends_of_the_lists_say_where_the_tail_starts() {
        let mut ed = Editor::new(doc());
        let (n, m) = (ed.doc().touchpoints.len(), ed.doc().flows.len());
        let r0 = ed.revision();
        let mut card = ed.doc().touchpoints[2].clone();
        card.id = TouchpointId::from("added");
        ed.apply(Command::AddTouchpoint(Box::new(card)))
            .expect("ok");
        let added = ed.change_log().since(r0, ed.revision());
        let tail = |cards_from, flows_from| {
            Some(Tail {
                cards_from,
                flows_from,
            })
        };
        assert!(
            added.everything,
            "a cache that does not follow tails starts over"
        );
        assert_eq!(added.tail, tail(n, m));
        // An arrow from the new card, then a title edited in place below the tail.
        let from = ed.doc().touchpoints[0].id.clone();
        ed.apply(Command::AddFlow(Flow {
            id: FlowId::from("added-flow"),
            from,
            to: TouchpointId::from("added"),
            label: String::new(),
            extra: Default::default(),
        }))
        .expect("ok");
        let mut retitled = ed.doc().touchpoints[5].clone();
        retitled.title = "Renamed".into();
        ed.apply(Command::UpdateTouchpoint(Box::new(retitled)))
            .expect("ok");
        let all = ed.change_log().since(r0, ed.revision());
        assert_eq!(all.tail, tail(n, m));
        assert_eq!((all.cards, all.fields), (vec![5], Fields::TITLE));
        // Undone, the three remove from the ends again.
        let r1 = ed.revision();
        assert!(ed.undo() && ed.undo() && ed.undo());
        let undone = ed.change_log().since(r1, ed.revision());
        assert_eq!(undone.tail, tail(n, m));
        assert_eq!(undone.cards, vec![5]);
        // Deleting a card inside the list (its flows with it) is no tail.
        let r2 = ed.revision();
        let inside = ed.doc().touchpoints[3].id.clone();
        ed.apply(Command::DeleteTouchpoints(vec![inside]))
            .expect("ok");
        let deleted = ed.change_log().since(r2, ed.revision());
        assert!(deleted.everything && deleted.tail.is_none());
        // Nor is anything merged with it.
        let since_start = ed.change_log().since(r0, ed.revision());
        assert!(since_start.everything && since_start.tail.is_none());
        assert!(since_start.splice.is_none());
    }

    /// A card deleted inside the list with its flows, and the undo that puts them back,
    /// are splices that say which cards and flows went or came back, and where.
    #[test]
    fn a_card_deleted_inside_the_list_and_its_undo_are_splices() {
        let mut ed = Editor::new(doc());
        let before = ed.doc().clone();
        let gone = before.touchpoints[3].id.clone();
        let flows: Vec<usize> = (0..before.flows.len())
            .filter(|&f| before.flows[f].from == gone || before.flows[f].to == gone)
            .collect();
        assert!(!flows.is_empty(), "the card has flows");
        let r0 = ed.revision();
        ed.apply(Command::DeleteTouchpoints(vec![gone]))
            .expect("ok");
        let deleted = ed.change_log().since(r0, ed.revision());
        assert!(deleted.everything && deleted.tail.is_none());
        let splice = deleted.splice.expect("a splice");
        assert_eq!(splice.cards.removed, vec![3]);
        assert!(splice.cards.inserted.is_empty());
        assert_eq!(splice.flows.removed, flows);
        // Every kept card and flow is where the map says.
        let map = splice.cards.map(before.touchpoints.len());
        for (old, now) in map.iter().enumerate() {
            if let Some(now) = now {
                assert_eq!(before.touchpoints[old].id, ed.doc().touchpoints[*now].id);
            }
        }
        let map = splice.flows.map(before.flows.len());
        for (old, now) in map.iter().enumerate() {
            if let Some(now) = now {
                assert_eq!(before.flows[old].id, ed.doc().flows[*now].id);
            }
        }
        // Undone: the same card and flows come back where they were.
        let r1 = ed.revision();
        assert!(ed.undo());
        let undone = ed.change_log().since(r1, ed.revision());
        let splice = undone.splice.expect("a splice");
        assert_eq!(splice.cards.inserted, vec![3]);
        assert_eq!(splice.flows.inserted, flows);
        assert!(splice.cards.removed.is_empty() && splice.flows.removed.is_empty());
        // Two splices together are everything, without a splice.
        let both = ed.change_log().since(r0, ed.revision());
        assert!(both.everything && both.splice.is_none());
    }
}
