//! [`LocalChanges`]: which elements the editor changed since it was last asked, by id, with
//! each one's value before the first of those changes.
//!
//! Live co-editing (`crate::live`) sends a colleague only what this user changed, field by
//! field: diffing whole documents would cost a copy of the canvas per keystroke, and would
//! also take changes that arrived from colleagues meanwhile for this user's own. The log is
//! filled as each primitive op is applied (right then, an op's index still names the
//! element it touched), so it costs in proportion to the change.

use super::op::{ListOp, Op};
use crate::model::{
    Document, Flow, FlowId, Lane, LaneId, Persona, Stage, StageId, Theme, ThemeId, Touchpoint,
    TouchpointId,
};
use std::collections::HashSet;
use std::hash::Hash;

/// Elements of one list changed since the log was started, each with its value before the
/// first change (`None`: it did not exist).
#[derive(Clone, Debug)]
pub struct Befores<Id, T> {
    pub entries: Vec<(Id, Option<T>)>,
    seen: HashSet<Id>,
}

impl<Id, T> Default for Befores<Id, T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            seen: HashSet::new(),
        }
    }
}

impl<Id: Clone + Eq + Hash, T: Clone> Befores<Id, T> {
    /// Keeps `before` unless this element was noted already (its older value wins).
    fn note(&mut self, id: &Id, before: Option<&T>) {
        if self.seen.insert(id.clone()) {
            self.entries.push((id.clone(), before.cloned()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Puts every noted element back as it was in `list` (to rebuild the document as it
    /// was before a whole-document change, see [`LocalChanges::note`]).
    fn restore(&mut self, list: &mut Vec<T>, id_of: impl Fn(&T) -> &Id) {
        for (id, before) in self.entries.drain(..) {
            let at = list.iter().position(|x| id_of(x) == &id);
            match (at, before) {
                (Some(i), Some(b)) => list[i] = b,
                (None, Some(b)) => list.push(b),
                (Some(i), None) => {
                    list.remove(i);
                }
                (None, None) => {}
            }
        }
        self.seen.clear();
    }
}

/// What changed in a document since the log was started: the canvas's own fields, each
/// list's elements by id, and which lists' order changed (an element inserted elsewhere
/// than at the end, removed from the middle of an ordered list, or moved).
#[derive(Clone, Debug, Default)]
pub struct LocalChanges {
    /// The title before the first change, if it changed.
    pub title: Option<String>,
    /// The personas before the first change, if they changed.
    pub personas: Option<Vec<Persona>>,
    pub stages: Befores<StageId, Stage>,
    pub lanes: Befores<LaneId, Lane>,
    pub themes: Befores<ThemeId, Theme>,
    pub touchpoints: Befores<TouchpointId, Touchpoint>,
    pub flows: Befores<FlowId, Flow>,
    pub stage_order: bool,
    pub lane_order: bool,
    pub theme_order: bool,
    /// Cards and flows have no visible order; only an insertion elsewhere than at the end
    /// or a move counts (removals leave the others' order as it was).
    pub touchpoint_order: bool,
    pub flow_order: bool,
    /// The whole document before a whole-document change (a merge, a reload): then every
    /// difference between it and the document now is a change, and the lists above stay
    /// empty.
    pub document: Option<Box<Document>>,
}

impl LocalChanges {
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.personas.is_none()
            && self.stages.is_empty()
            && self.lanes.is_empty()
            && self.themes.is_empty()
            && self.touchpoints.is_empty()
            && self.flows.is_empty()
            && !(self.stage_order
                || self.lane_order
                || self.theme_order
                || self.touchpoint_order
                || self.flow_order)
            && self.document.is_none()
    }

    /// Notes an op just applied to `doc`, given as the op that undoes it (what applying
    /// returns): its indices are those of `doc` as it is now.
    pub(crate) fn note(&mut self, doc: &Document, inverse: &Op) {
        if self.document.is_some() {
            // Everything is compared against the document before the whole-document change.
            return;
        }
        match inverse {
            Op::Title(before) => {
                if self.title.is_none() {
                    self.title = Some(before.clone());
                }
            }
            Op::Personas(before) => {
                if self.personas.is_none() {
                    self.personas = Some(before.clone());
                }
            }
            Op::Document(before) => {
                let mut before = before.clone();
                self.restore(&mut before);
                *self = LocalChanges {
                    document: Some(before),
                    ..LocalChanges::default()
                };
            }
            Op::Stage(op) => {
                self.stage_order |= note_list(&mut self.stages, &doc.stages, op, |s| &s.id, true);
            }
            Op::Lane(op) => {
                self.lane_order |= note_list(&mut self.lanes, &doc.lanes, op, |l| &l.id, true);
            }
            Op::Theme(op) => {
                self.theme_order |= note_list(&mut self.themes, &doc.themes, op, |t| &t.id, true);
            }
            Op::Touchpoint(op) => {
                let op = match op {
                    ListOp::Insert(i, t) => ListOp::Insert(*i, t.as_ref()),
                    ListOp::Replace(i, t) => ListOp::Replace(*i, t.as_ref()),
                    ListOp::Remove(i) => ListOp::Remove(*i),
                    ListOp::Move { from, to } => ListOp::Move {
                        from: *from,
                        to: *to,
                    },
                };
                self.touchpoint_order |=
                    note_list_ref(&mut self.touchpoints, &doc.touchpoints, &op, |t| &t.id);
            }
            Op::Flow(op) => {
                self.flow_order |= note_list(&mut self.flows, &doc.flows, op, |f| &f.id, false);
            }
        }
    }

    /// Puts back into `doc` what this log noted, so that it is the document before every
    /// noted change.
    fn restore(&mut self, doc: &mut Document) {
        if let Some(t) = self.title.take() {
            doc.title = t;
        }
        if let Some(p) = self.personas.take() {
            doc.personas = p;
        }
        self.stages.restore(&mut doc.stages, |s| &s.id);
        self.lanes.restore(&mut doc.lanes, |l| &l.id);
        self.themes.restore(&mut doc.themes, |t| &t.id);
        self.touchpoints.restore(&mut doc.touchpoints, |t| &t.id);
        self.flows.restore(&mut doc.flows, |f| &f.id);
    }
}

/// Notes one list op; returns whether it changed the list's order. In an ordered list any
/// insertion, removal or move does; in an unordered one (`ordered: false`) only an
/// insertion elsewhere than at the end, or a move.
fn note_list<Id: Clone + Eq + Hash, T: Clone>(
    log: &mut Befores<Id, T>,
    now: &[T],
    inverse: &ListOp<T>,
    id_of: impl Fn(&T) -> &Id,
    ordered: bool,
) -> bool {
    let op = match inverse {
        ListOp::Insert(i, t) => ListOp::Insert(*i, t),
        ListOp::Replace(i, t) => ListOp::Replace(*i, t),
        ListOp::Remove(i) => ListOp::Remove(*i),
        ListOp::Move { from, to } => ListOp::Move {
            from: *from,
            to: *to,
        },
    };
    let order = note_list_ref(log, now, &op, id_of);
    order || (ordered && !matches!(op, ListOp::Replace(..)))
}

fn note_list_ref<Id: Clone + Eq + Hash, T: Clone>(
    log: &mut Befores<Id, T>,
    now: &[T],
    inverse: &ListOp<&T>,
    id_of: impl Fn(&T) -> &Id,
) -> bool {
    match inverse {
        // The op replaced an element: it was `before`.
        ListOp::Replace(i, before) => {
            log.note(id_of(before), Some(before));
            if let Some(new) = now.get(*i)
                && id_of(new) != id_of(before)
            {
                log.note(id_of(new), None);
            }
            false
        }
        // The op removed `before`.
        ListOp::Insert(_, before) => {
            log.note(id_of(before), Some(before));
            false
        }
        // The op inserted the element now at `i`.
        ListOp::Remove(i) => {
            if let Some(new) = now.get(*i) {
                log.note(id_of(new), None);
            }
            *i + 1 != now.len()
        }
        ListOp::Move { .. } => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Command, Editor};

    fn card(id: &str) -> Touchpoint {
        Touchpoint::new(
            TouchpointId::from(id),
            id.to_uppercase(),
            StageId::from("discover"),
            LaneId::from("web"),
        )
    }

    #[test]
    fn a_log_names_what_changed_with_the_first_value_before() {
        let mut doc = Document::new_canvas();
        doc.touchpoints = vec![card("a"), card("b")];
        let mut ed = Editor::new(doc);
        ed.record_changes(true);
        let mut a = card("a");
        a.title = "First".into();
        ed.apply(Command::UpdateTouchpoint(Box::new(a.clone())))
            .unwrap();
        a.title = "Second".into();
        ed.apply(Command::UpdateTouchpoint(Box::new(a))).unwrap();
        ed.apply(Command::AddTouchpoint(Box::new(card("c"))))
            .unwrap();
        ed.apply(Command::DeleteTouchpoints(vec![TouchpointId::from("b")]))
            .unwrap();
        let log = ed.take_changes().expect("changes");
        let seen: Vec<(&str, Option<&str>)> = log
            .touchpoints
            .entries
            .iter()
            .map(|(id, b)| (id.as_str(), b.as_ref().map(|t| t.title.as_str())))
            .collect();
        assert_eq!(
            seen,
            vec![("a", Some("A")), ("c", None), ("b", Some("B"))],
            "the value before the first change, None for a new card"
        );
        assert!(!log.touchpoint_order, "appending keeps the order");
        assert!(ed.take_changes().is_none(), "taking empties the log");
    }

    #[test]
    fn a_stage_added_in_the_middle_changes_the_order_and_undo_is_noted_too() {
        let mut ed = Editor::new(Document::new_canvas());
        ed.record_changes(true);
        let stage = Stage {
            id: StageId::from("middle"),
            name: "Middle".into(),
            moment: None,
            extra: Default::default(),
        };
        ed.apply(Command::AddStage { index: 1, stage }).unwrap();
        let log = ed.take_changes().expect("changes");
        assert!(log.stage_order);
        assert_eq!(log.stages.entries.len(), 1);
        ed.undo();
        let log = ed.take_changes().expect("the undo");
        assert_eq!(log.stages.entries[0].0.as_str(), "middle");
        assert!(
            log.stages.entries[0].1.is_some(),
            "it existed before the undo"
        );
    }

    #[test]
    fn a_whole_document_change_keeps_the_document_before_every_change() {
        let mut ed = Editor::new(Document::new_canvas());
        ed.record_changes(true);
        ed.apply(Command::SetTitle("Edited".into())).unwrap();
        let mut theirs = Document::new_canvas();
        theirs.title = "Theirs".into();
        ed.apply(Command::Merge(Box::new(theirs))).unwrap();
        let log = ed.take_changes().expect("changes");
        assert_eq!(
            log.document.as_deref().map(|d| d.title.as_str()),
            Some("Untitled journey"),
            "the title before the edit that preceded the merge"
        );
        assert!(log.title.is_none());
    }
}
