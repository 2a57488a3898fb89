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
    let at: IdMap<&str, usize> = base.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // The base positions of the elements both hold, in the side's order.
    let common: Vec<(usize, &'a str)> = side
        .iter()
        .filter_map(|id| at.get(id).map(|&i| (i, *id)))
        .collect();
    let keep = longest_increasing(&common.iter().map(|(i, _)| *i).collect::<Vec<_>>());
    let mut out = HashSet::default();
    for (k, (_, id)) in common.iter().enumerate() {
        if !keep[k] {
            out.insert(*id);
        }
    }
    out
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

/// A list being rearranged: a doubly linked list over indices into `ids`, with a head
/// node, so that taking an element out and putting it back anywhere costs nothing.
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

/// What the merged order needs to know beyond the three lists.
pub struct OrderInput<'a, 'k> {
    pub base: &'k [&'a str],
    pub preferred: &'k [&'a str],
    pub other: &'k [&'a str],
}

/// An element both sides moved, to different places (after different elements).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BothMoved<'a> {
    pub id: &'a str,
    /// The element before it in the preferred side's order (`None`: first).
    pub after_in_preferred: Option<&'a str>,
    pub after_in_other: Option<&'a str>,
}

/// The merged order of the surviving elements (see the module doc). `other_move_wins`
/// says, for an element both sides moved to different places, whether the other side's
/// move is taken (a conflict resolved its way); each such element is also passed to
/// `both_moved`.
pub fn merge_order<'a>(
    input: &OrderInput<'a, '_>,
    survives: impl Fn(&str) -> bool,
    mut both_moved: impl FnMut(BothMoved<'a>) -> bool,
) -> Vec<&'a str> {
    let OrderInput {
        base,
        preferred,
        other,
    } = *input;
    let mut ids: Vec<&'a str> = Vec::with_capacity(preferred.len() + other.len());
    let mut index: IdMap<&'a str, usize> = IdMap::default();
    index.reserve(preferred.len() + other.len());
    for id in preferred.iter().chain(other).chain(base) {
        index.entry(id).or_insert_with(|| {
            ids.push(id);
            ids.len() - 1
        });
    }
    let n = ids.len();
    let mut in_base = vec![false; n];
    for id in base {
        in_base[index[id]] = true;
    }
    // Each element's place in P's list (NONE: P does not hold it).
    let mut in_preferred = vec![NONE; n];
    for (i, id) in preferred.iter().enumerate() {
        in_preferred[index[id]] = i;
    }
    let moved_p = moved(base, preferred);
    let moved_o = moved(base, other);
    let mut chain = Chain::new(n);
    let head = chain.head();
    let mut last = head;
    for id in preferred {
        if survives(id) {
            let e = index[id];
            chain.insert_after(last, e);
            last = e;
        }
    }
    // Where the other side's next element goes: after the last of its elements placed.
    let mut anchor = head;
    let mut previous_in_other: Option<&'a str> = None;
    let predecessor_in_preferred =
        |e: usize| -> Option<&'a str> { in_preferred[e].checked_sub(1).map(|j| preferred[j]) };
    for id in other {
        let e = index[id];
        let after_in_other = previous_in_other;
        previous_in_other = Some(id);
        if !survives(id) {
            continue;
        }
        if chain.linked[e] {
            if moved_o.contains(id) {
                let take = if moved_p.contains(id) {
                    // Both moved it: the same move (same element before it) is no conflict.
                    let after_in_preferred = predecessor_in_preferred(e);
                    after_in_preferred != after_in_other
                        && both_moved(BothMoved {
                            id,
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
        out.push(ids[at]);
        at = chain.next[at];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(base: &[&'static str], p: &[&'static str], o: &[&'static str]) -> Vec<&'static str> {
        merge_order(
            &OrderInput {
                base,
                preferred: p,
                other: o,
            },
            |id| {
                // Survives unless one side deleted it (both deleting is covered too).
                !(base.contains(&id) && (!p.contains(&id) || !o.contains(&id)))
            },
            |_| false,
        )
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
