//! Lists of elements with ids (stages, lanes, themes, cards, flows) as ordered sets: which
//! elements a copy moved, and the order of a merged list.
//!
//! The merged order, given the base, the preferred side P and the other side O, and the
//! set of elements that survive the merge:
//!
//! 1. start from P's order (its own additions and moves included);
//! 2. an element O moved and P did not is taken out and put back right after the element
//!    before it in O's order (or first, when none is);
//! 3. an element only O has (its additions, or one P deleted that the merge keeps) goes
//!    right after the element before it in O's order, past any of P's additions that
//!    directly follow that element: at the same place, P's additions come first.
//!
//! An element "moved" in a copy when it is not on a longest run of elements that kept
//! their base order (a longest increasing subsequence): deleting or adding elements moves
//! nothing else, and dragging one stage moves that stage only.

use crate::IdMap;
use std::collections::HashSet;

/// The ids of `side` that moved relative to `base`. Elements only one of them holds are
/// never "moved".
pub fn moved<'a>(base: &[&str], side: &[&'a str]) -> HashSet<&'a str, foldhash::fast::RandomState> {
    let mut index: IdMap<&str, usize> = IdMap::default();
    let base_idx = dense(&mut index, base);
    let side_idx = dense(&mut index, side);
    let flags = moved_flags(index.len(), &base_idx, &side_idx);
    side.iter()
        .zip(&side_idx)
        .filter(|&(_, &e)| flags[e])
        .map(|(id, _)| *id)
        .collect()
}

/// Numbers the ids of `list` in `index` (new ids get the next number); returns the
/// numbers in the list's order.
fn dense<'a>(index: &mut IdMap<&'a str, usize>, list: &[&'a str]) -> Vec<usize> {
    list.iter()
        .map(|id| {
            let next = index.len();
            *index.entry(id).or_insert(next)
        })
        .collect()
}

/// For each of `n` elements (numbered `0..n`), whether `side` moved it relative to `base`
/// (both lists of element numbers).
pub(crate) fn moved_flags(n: usize, base: &[usize], side: &[usize]) -> Vec<bool> {
    let mut at = vec![NONE; n];
    for (i, &e) in base.iter().enumerate() {
        at[e] = i;
    }
    // The base positions of the elements both hold, in the side's order.
    let common: Vec<(usize, usize)> = side
        .iter()
        .filter(|&&e| at[e] != NONE)
        .map(|&e| (at[e], e))
        .collect();
    let keep = longest_increasing(&common.iter().map(|(i, _)| *i).collect::<Vec<_>>());
    let mut flags = vec![false; n];
    for ((_, e), kept) in common.iter().zip(keep) {
        flags[*e] = !kept;
    }
    flags
}

/// Marks one longest strictly increasing subsequence of `seq` (patience sorting with
/// back links, `n log n`).
fn longest_increasing(seq: &[usize]) -> Vec<bool> {
    // tails[k]: index in `seq` of the smallest tail of an increasing run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let k = tails.partition_point(|&t| seq[t] < v);
        back[i] = k.checked_sub(1).map(|j| tails[j]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut keep = vec![false; seq.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = back[i];
    }
    keep
}

/// A list being rearranged: a doubly linked list over element numbers, with a head node,
/// so that taking an element out and putting it back anywhere costs nothing.
struct Chain {
    next: Vec<usize>,
    prev: Vec<usize>,
    linked: Vec<bool>,
}

const NONE: usize = usize::MAX;

impl Chain {
    /// `n` elements, none linked; node `n` is the head.
    fn new(n: usize) -> Self {
        let mut c = Self {
            next: vec![NONE; n + 1],
            prev: vec![NONE; n + 1],
            linked: vec![false; n + 1],
        };
        c.next[n] = n;
        c.prev[n] = n;
        c.linked[n] = true;
        c
    }

    fn head(&self) -> usize {
        self.next.len() - 1
    }

    fn insert_after(&mut self, anchor: usize, e: usize) {
        let after = self.next[anchor];
        self.next[anchor] = e;
        self.prev[e] = anchor;
        self.next[e] = after;
        self.prev[after] = e;
        self.linked[e] = true;
    }

    fn remove(&mut self, e: usize) {
        let (p, n) = (self.prev[e], self.next[e]);
        self.next[p] = n;
        self.prev[n] = p;
        self.linked[e] = false;
    }
}

/// The three lists, as element numbers `0..n` (each element has one number in all three).
pub struct OrderInput<'k> {
    pub n: usize,
    pub base: &'k [usize],
    pub preferred: &'k [usize],
    pub other: &'k [usize],
}

/// An element both sides moved, to different places (after different elements).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BothMoved {
    pub element: usize,
    /// The element before it in the preferred side's order (`None`: first).
    pub after_in_preferred: Option<usize>,
    pub after_in_other: Option<usize>,
}

/// The merged order of the surviving elements (see the module doc), as element numbers.
/// `both_moved` is called for each element both sides moved to different places, and
/// says whether the other side's move is taken (a conflict resolved its way).
pub fn merge_order(
    input: &OrderInput<'_>,
    survives: &[bool],
    mut both_moved: impl FnMut(BothMoved) -> bool,
) -> Vec<usize> {
    let OrderInput {
        n,
        base,
        preferred,
        other,
    } = *input;
    let mut in_base = vec![false; n];
    for &e in base {
        in_base[e] = true;
    }
    // Each element's place in P's list (NONE: P does not hold it).
    let mut in_preferred = vec![NONE; n];
    for (i, &e) in preferred.iter().enumerate() {
        in_preferred[e] = i;
    }
    let moved_p = moved_flags(n, base, preferred);
    let moved_o = moved_flags(n, base, other);
    let mut chain = Chain::new(n);
    let head = chain.head();
    let mut last = head;
    for &e in preferred {
        if survives[e] {
            chain.insert_after(last, e);
            last = e;
        }
    }
    // Where the other side's next element goes: after the last of its elements placed.
    let mut anchor = head;
    let mut previous_in_other: Option<usize> = None;
    for &e in other {
        let after_in_other = previous_in_other;
        previous_in_other = Some(e);
        if !survives[e] {
            continue;
        }
        if chain.linked[e] {
            if moved_o[e] {
                let take = if moved_p[e] {
                    // Both moved it: the same move (same element before it) is no conflict.
                    let after_in_preferred = in_preferred[e].checked_sub(1).map(|j| preferred[j]);
                    after_in_preferred != after_in_other
                        && both_moved(BothMoved {
                            element: e,
                            after_in_preferred,
                            after_in_other,
                        })
                } else {
                    true
                };
                if take && anchor != e {
                    chain.remove(e);
                    chain.insert_after(anchor, e);
                }
            }
        } else {
            // Past P's own additions right after the anchor: they come first.
            let mut at = anchor;
            loop {
                let next = chain.next[at];
                if next == head || in_base[next] || in_preferred[next] == NONE {
                    break;
                }
                at = next;
            }
            chain.insert_after(at, e);
        }
        anchor = e;
    }
    let mut out = Vec::with_capacity(n);
    let mut at = chain.next[head];
    while at != head {
        out.push(at);
        at = chain.next[at];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(base: &[&'static str], p: &[&'static str], o: &[&'static str]) -> Vec<&'static str> {
        let mut index = IdMap::default();
        let (pi, oi, bi) = (
            dense(&mut index, p),
            dense(&mut index, o),
            dense(&mut index, base),
        );
        let mut ids = vec![""; index.len()];
        for (id, &e) in &index {
            ids[e] = *id;
        }
        // Survives unless one side deleted it (both deleting is covered too).
        let survives: Vec<bool> = ids
            .iter()
            .map(|id| !(base.contains(id) && (!p.contains(id) || !o.contains(id))))
            .collect();
        let input = OrderInput {
            n: ids.len(),
            base: &bi,
            preferred: &pi,
            other: &oi,
        };
        merge_order(&input, &survives, |_| false)
            .into_iter()
            .map(|e| ids[e])
            .collect()
    }

    #[test]
    fn moved_are_the_elements_off_the_longest_kept_run() {
        let m = moved(&["a", "b", "c", "d"], &["b", "c", "d", "a"]);
        assert_eq!(m.into_iter().collect::<Vec<_>>(), vec!["a"]);
        assert!(moved(&["a", "b", "c"], &["a", "x", "c"]).is_empty());
    }

    #[test]
    fn one_side_reorders_while_the_other_adds() {
        assert_eq!(
            order(&["a", "b", "c"], &["c", "a", "b"], &["a", "b", "x", "c"]),
            vec!["c", "a", "b", "x"]
        );
        // Mirrored: the preferred side adds, the other reorders.
        assert_eq!(
            order(&["a", "b", "c"], &["a", "b", "x", "c"], &["c", "a", "b"]),
            vec!["c", "a", "b", "x"]
        );
    }

    #[test]
    fn additions_at_the_same_place_put_the_preferred_side_first() {
        assert_eq!(
            order(
                &["a", "b"],
                &["a", "p1", "p2", "b"],
                &["a", "o1", "o2", "b"]
            ),
            vec!["a", "p1", "p2", "o1", "o2", "b"]
        );
        assert_eq!(
            order(&["a"], &["p1", "a"], &["o1", "a"]),
            vec!["p1", "o1", "a"]
        );
    }

    #[test]
    fn deletions_apply_and_taking_one_side_is_exact() {
        assert_eq!(
            order(&["a", "b", "c"], &["a", "c"], &["a", "b", "c"]),
            vec!["a", "c"]
        );
        let base = ["a", "b", "c", "d"];
        let y = ["d", "x", "b", "a"];
        assert_eq!(order(&base, &base, &y), y.to_vec());
        assert_eq!(order(&base, &y, &base), y.to_vec());
        assert_eq!(order(&base, &y, &y), y.to_vec());
    }
}
