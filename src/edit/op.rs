//! Primitive, self-inverting changes to a document.
//!
//! Every [`Command`](super::Command) is carried out as a short list of [`Op`]s. Applying an
//! op returns the op that undoes it, so undo history stores only what changed (one card, one
//! title), never a copy of the document: O(size of change) memory per step.

use super::local::LocalChanges;
use crate::model::{Document, Flow, Lane, Persona, Stage, Theme, Touchpoint};

/// A change to one list of the document, addressed by index at the time it is applied.
#[derive(Clone, Debug, PartialEq)]
pub enum ListOp<T> {
    /// Insert the element so that it ends up at this index.
    Insert(usize, T),
    /// Remove the element at this index.
    Remove(usize),
    /// Replace the element at this index.
    Replace(usize, T),
    /// Move the element at `from` so that it ends up at `to`.
    Move { from: usize, to: usize },
}

impl<T> ListOp<T> {
    /// Applies the op to `list` and returns its inverse, or `None` when an index is out of
    /// range (the list is then unchanged).
    pub fn apply(self, list: &mut Vec<T>) -> Option<ListOp<T>> {
        match self {
            ListOp::Insert(i, item) => {
                if i > list.len() {
                    return None;
                }
                list.insert(i, item);
                Some(ListOp::Remove(i))
            }
            ListOp::Remove(i) => {
                if i >= list.len() {
                    return None;
                }
                Some(ListOp::Insert(i, list.remove(i)))
            }
            ListOp::Replace(i, item) => {
                let slot = list.get_mut(i)?;
                Some(ListOp::Replace(i, std::mem::replace(slot, item)))
            }
            ListOp::Move { from, to } => {
                if from >= list.len() || to >= list.len() {
                    return None;
                }
                let item = list.remove(from);
                list.insert(to, item);
                Some(ListOp::Move { from: to, to: from })
            }
        }
    }
}

/// One primitive change to a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Title(String),
    /// The whole list of personas (few, small, and rarely edited).
    Personas(Vec<Persona>),
    Stage(ListOp<Stage>),
    Lane(ListOp<Lane>),
    Theme(ListOp<Theme>),
    Touchpoint(ListOp<Box<Touchpoint>>),
    Flow(ListOp<Flow>),
    /// The whole document at once (a merge, or a reload of the file as a colleague saved
    /// it): one step to undo, at the price of one copy of the document in history.
    Document(Box<Document>),
}

impl Op {
    /// Applies the op and returns its inverse, or `None` (document unchanged) when an index
    /// is out of range.
    pub fn apply(self, doc: &mut Document) -> Option<Op> {
        Some(match self {
            Op::Title(t) => Op::Title(std::mem::replace(&mut doc.title, t)),
            Op::Personas(p) => Op::Personas(std::mem::replace(&mut doc.personas, p)),
            Op::Stage(op) => Op::Stage(op.apply(&mut doc.stages)?),
            Op::Lane(op) => Op::Lane(op.apply(&mut doc.lanes)?),
            Op::Theme(op) => Op::Theme(op.apply(&mut doc.themes)?),
            Op::Touchpoint(op) => Op::Touchpoint(apply_boxed(op, &mut doc.touchpoints)?),
            Op::Flow(op) => Op::Flow(op.apply(&mut doc.flows)?),
            Op::Document(d) => Op::Document(Box::new(std::mem::replace(doc, *d))),
        })
    }
}

/// Touchpoints are stored unboxed in the document but boxed in ops (they are the largest
/// element, and boxing keeps every `Op` small).
fn apply_boxed(
    op: ListOp<Box<Touchpoint>>,
    list: &mut Vec<Touchpoint>,
) -> Option<ListOp<Box<Touchpoint>>> {
    let unboxed = match op {
        ListOp::Insert(i, t) => ListOp::Insert(i, *t),
        ListOp::Remove(i) => ListOp::Remove(i),
        ListOp::Replace(i, t) => ListOp::Replace(i, *t),
        ListOp::Move { from, to } => ListOp::Move { from, to },
    };
    Some(match unboxed.apply(list)? {
        ListOp::Insert(i, t) => ListOp::Insert(i, Box::new(t)),
        ListOp::Remove(i) => ListOp::Remove(i),
        ListOp::Replace(i, t) => ListOp::Replace(i, Box::new(t)),
        ListOp::Move { from, to } => ListOp::Move { from, to },
    })
}

/// Whether ops just applied to `doc` (given as the ops that undo them) changed its links:
/// added, removed or reordered cards, a card with another id, or any change to a flow.
/// A card replaced in place is compared with what it replaced; when the ops also insert,
/// remove or move, the answer is yes whatever the indices now point at.
pub fn changes_links(doc: &Document, applied: &[Op]) -> bool {
    applied.iter().any(|op| match op {
        Op::Flow(_) | Op::Document(_) => true,
        Op::Touchpoint(ListOp::Replace(i, before)) => doc
            .touchpoints
            .get(*i)
            .is_none_or(|now| now.id != before.id),
        Op::Touchpoint(_) => true,
        Op::Title(_) | Op::Personas(_) | Op::Stage(_) | Op::Lane(_) | Op::Theme(_) => false,
    })
}

/// Whether ops just applied to `doc` (given as the ops that undo them) may have moved a
/// card on the canvas: any change to the stages, lanes or the list of cards, or a card
/// replaced by one with another id, stage, lane or place in its cell. A new title, emotion,
/// theme or flow leaves the layout as it was.
pub fn changes_layout(doc: &Document, applied: &[Op]) -> bool {
    applied.iter().any(|op| match op {
        Op::Stage(_) | Op::Lane(_) | Op::Document(_) => true,
        Op::Touchpoint(ListOp::Replace(i, before)) => doc.touchpoints.get(*i).is_none_or(|now| {
            now.id != before.id
                || now.stage != before.stage
                || now.lane != before.lane
                || now.position != before.position
        }),
        Op::Touchpoint(_) => true,
        Op::Title(_) | Op::Personas(_) | Op::Theme(_) | Op::Flow(_) => false,
    })
}

/// Applies undo ops (as returned by earlier applies, in application order) in reverse
/// order, and returns the ops that redo them (again in application order).
pub fn apply_inverse(doc: &mut Document, undo: Vec<Op>) -> Vec<Op> {
    apply_inverse_logged(doc, undo, None)
}

/// [`apply_inverse`], noting what changed in `log`.
pub fn apply_inverse_logged(
    doc: &mut Document,
    undo: Vec<Op>,
    mut log: Option<&mut LocalChanges>,
) -> Vec<Op> {
    let mut redo = Vec::with_capacity(undo.len());
    for op in undo.into_iter().rev() {
        // Inverse ops were produced from this very document state, so indices are valid;
        // a `None` here would mean history and document diverged, and skipping is the
        // least harmful answer.
        if let Some(inv) = op.apply(doc) {
            if let Some(log) = log.as_deref_mut() {
                log.note(doc, &inv);
            }
            redo.push(inv);
        }
    }
    redo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_ops_invert() {
        let original = vec![1, 2, 3, 4];
        let ops = [
            ListOp::Insert(4, 9),
            ListOp::Insert(0, 9),
            ListOp::Remove(2),
            ListOp::Replace(1, 7),
            ListOp::Move { from: 0, to: 3 },
            ListOp::Move { from: 3, to: 1 },
        ];
        for op in ops {
            let mut list = original.clone();
            let inv = op.clone().apply(&mut list).expect("in range");
            assert_ne!(list, original, "{op:?} changed nothing");
            inv.apply(&mut list).expect("inverse in range");
            assert_eq!(list, original, "{op:?} not undone");
        }
    }

    #[test]
    fn out_of_range_ops_leave_the_list_alone() {
        let mut list = vec![1, 2];
        assert!(ListOp::Insert(3, 0).apply(&mut list).is_none());
        assert!(ListOp::Remove(2).apply(&mut list).is_none());
        assert!(ListOp::Replace(2, 0).apply(&mut list).is_none());
        assert!(
            ListOp::<i32>::Move { from: 0, to: 2 }
                .apply(&mut list)
                .is_none()
        );
        assert_eq!(list, vec![1, 2]);
    }
}
