//! Cards or flows removed or inserted inside their lists (a card deleted with its flows,
//! and its undo): where each element went, so that a cache keyed by index moves what it
//! keeps rather than starting over. Worked out from the ops that undo a step, as
//! [`super::Changed::of`] works out a tail.

use super::Fields;
use super::op::{ListOp, Op};
use crate::model::Document;

/// How the card and flow lists were spliced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Splice {
    pub cards: Edits,
    pub flows: Edits,
}

/// How one list was spliced: the elements removed, by their index before, and those
/// inserted, by their index now (both ascending). The others kept their order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edits {
    pub removed: Vec<usize>,
    pub inserted: Vec<usize>,
}

impl Edits {
    /// Whether the list is as it was.
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.inserted.is_empty()
    }

    /// Whether a list of `was` elements, spliced so, has `now` elements: a splice worked out
    /// for other lists than a cache holds is not followed.
    pub fn fits(&self, was: usize, now: usize) -> bool {
        was >= self.removed.len() && was - self.removed.len() + self.inserted.len() == now
    }

    /// For each element before (of `old_len`), its index now; `None` when removed.
    pub fn map(&self, old_len: usize) -> Vec<Option<usize>> {
        let (mut removed, mut inserted) = (self.removed.iter().peekable(), self.inserted.iter());
        let mut next_inserted = inserted.next().copied();
        let mut now = 0;
        (0..old_len)
            .map(|old| {
                if removed.next_if(|&&r| r == old).is_some() {
                    return None;
                }
                while next_inserted == Some(now) {
                    now += 1;
                    next_inserted = inserted.next().copied();
                }
                now += 1;
                Some(now - 1)
            })
            .collect()
    }
}

/// Cards replaced in place by a step (by index now), and the fields that changed.
type InPlace = (Vec<usize>, Fields);

/// Undo ops in a step beyond which its splice is not worked out (the caches start over):
/// each op followed back costs a pass over its list.
const MAX_OPS: usize = 64;

/// What a step that reshaped the lists inside did, from the ops that undo it (`applied`,
/// in application order) and the document after it: the splice, the cards replaced in
/// place (by their index now) with the fields that changed, and the flows replaced in
/// place. `None` when a list was reordered, when something other than cards and flows
/// changed (stages, lanes, themes, personas, the whole document), or when a card took
/// another id.
pub(super) fn of(doc: &Document, applied: &[Op]) -> Option<(Splice, InPlace, Vec<usize>)> {
    if applied.len() > MAX_OPS {
        return None;
    }
    let mut cards = Followed::new(doc.touchpoints.len());
    let mut flows = Followed::new(doc.flows.len());
    let mut fields = Fields::default();
    for op in applied.iter().rev() {
        match op {
            Op::Title(_) => {}
            Op::Personas(_) | Op::Stage(_) | Op::Lane(_) | Op::Theme(_) | Op::Document(_) => {
                return None;
            }
            Op::Touchpoint(ListOp::Replace(i, before)) => {
                if let Some(now) = cards.replaced(*i)? {
                    let card = doc.touchpoints.get(now)?;
                    if card.id != before.id {
                        return None;
                    }
                    fields |= Fields::between(before, card);
                }
            }
            Op::Touchpoint(list) => cards.step_back(list)?,
            Op::Flow(list) => flows.step_back(list)?,
        }
    }
    let splice = Splice {
        cards: cards.edits(),
        flows: flows.edits(),
    };
    Some((splice, (cards.replaced, fields), flows.replaced))
}

/// One list followed back through a step: for each element at that point, its index in
/// the list now (`GONE` when the step removes it later on).
struct Followed {
    now: Vec<u32>,
    len: usize,
    /// Elements replaced in place, by their index now.
    replaced: Vec<usize>,
}

const GONE: u32 = u32::MAX;

impl Followed {
    fn new(len: usize) -> Self {
        Self {
            now: (0..len).map(|i| u32::try_from(i).unwrap_or(GONE)).collect(),
            len,
            replaced: Vec::new(),
        }
    }

    /// Steps back over an op that undoes an insert, a removal or a replacement; `None`
    /// for a reordering or an index out of range.
    fn step_back<T>(&mut self, undo: &ListOp<T>) -> Option<()> {
        match undo {
            ListOp::Replace(i, _) => {
                self.replaced(*i)?;
            }
            ListOp::Move { .. } => return None,
            // The step inserted the element at `i`: before it, it was not there.
            ListOp::Remove(i) => {
                (*i < self.now.len()).then_some(())?;
                self.now.remove(*i);
            }
            // The step removed the element at `i`: before it, it was there.
            ListOp::Insert(i, _) => {
                (*i <= self.now.len()).then_some(())?;
                self.now.insert(*i, GONE);
            }
        }
        Some(())
    }

    /// Notes the element at `i` replaced; gives its index now (`None`: removed later).
    fn replaced(&mut self, i: usize) -> Option<Option<usize>> {
        let now = *self.now.get(i)?;
        if now == GONE {
            return Some(None);
        }
        let now = now as usize;
        self.replaced.push(now);
        Some(Some(now))
    }

    /// The splice from the list before the step (what `now` holds once stepped back over
    /// the whole step) to the list now.
    fn edits(&self) -> Edits {
        let mut kept = vec![false; self.len];
        let mut removed = Vec::new();
        for (old, &now) in self.now.iter().enumerate() {
            match kept.get_mut(now as usize) {
                Some(k) => *k = true,
                None => removed.push(old),
            }
        }
        let inserted = (0..self.len).filter(|&i| !kept[i]).collect();
        Edits { removed, inserted }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The map of a splice takes each kept element to where it is now.
    #[test]
    fn a_splice_maps_kept_elements_to_their_places_now() {
        let old = ['a', 'b', 'c', 'd', 'e'];
        let now = ['x', 'a', 'c', 'y', 'e'];
        let edits = Edits {
            removed: vec![1, 3],
            inserted: vec![0, 3],
        };
        let map = edits.map(old.len());
        assert_eq!(map, vec![Some(1), None, Some(2), None, Some(4)]);
        for (o, n) in map.iter().enumerate() {
            if let Some(n) = n {
                assert_eq!(old[o], now[*n]);
            }
        }
    }
}
