//! Writing into the CRDT: this user's changes field by field, order numbers that change as
//! few elements as they can, and a whole canvas into an empty room.

use super::values::{out_number, to_any};
use super::{Fields, List, LocalChange, Roots, order_key};
use crate::model::Document;
use std::collections::{HashMap, HashSet};
use yrs::{Map, MapPrelim, Out, ReadTxn, TransactionMut};

// ---- Writing this user's changes --------------------------------------------------------

/// Writes `change` into the CRDT, field by field: only what this user changed, so that
/// what colleagues changed meanwhile in other fields stays.
pub fn write(txn: &mut TransactionMut, roots: &Roots, change: &LocalChange) {
    for (key, before, after) in &change.meta {
        if before == after {
            continue;
        }
        match after {
            Some(v) => {
                roots.meta.insert(txn, key.as_str(), to_any(v));
            }
            None => {
                roots.meta.remove(txn, key);
            }
        }
    }
    let mut next_order: HashMap<List, f64> = HashMap::new();
    let ordered: HashSet<List> = change.orders.iter().map(|(l, _)| *l).collect();
    for edit in &change.elements {
        let map = roots.list(edit.list);
        let current = match map.get(txn, &edit.id) {
            Some(Out::YMap(m)) => Some(m),
            Some(_) => {
                // Not an element: a colleague's client wrote something else here. Ours
                // replaces it if we have one.
                map.remove(txn, &edit.id);
                None
            }
            None => None,
        };
        match (&edit.after, current) {
            (None, Some(_)) => {
                map.remove(txn, &edit.id);
                roots.order.remove(txn, &order_key(edit.list, &edit.id));
            }
            (None, None) => {}
            (Some(after), None) => {
                if edit.before.is_some() {
                    // A colleague deleted it while this user edited it: their delete
                    // stands (the edit goes with the element).
                    continue;
                }
                let prelim: MapPrelim = after
                    .iter()
                    .map(|(k, v)| (k.as_str(), yrs::In::Any(to_any(v))))
                    .collect();
                map.insert(txn, edit.id.as_str(), prelim);
                if !ordered.contains(&edit.list) {
                    let next = *next_order
                        .entry(edit.list)
                        .or_insert_with(|| max_order(txn, roots, edit.list) + 1.0);
                    roots
                        .order
                        .insert(txn, order_key(edit.list, &edit.id), next);
                    next_order.insert(edit.list, next + 1.0);
                }
            }
            (Some(after), Some(element)) => {
                let empty = Fields::new();
                let before = edit.before.as_ref().unwrap_or(&empty);
                for key in after
                    .keys()
                    .chain(before.keys().filter(|k| !after.contains_key(*k)))
                {
                    let (b, a) = (before.get(key), after.get(key));
                    // A new element (no before) is written whole: a colleague's element
                    // with the same id becomes this one.
                    if edit.before.is_some() && b == a {
                        continue;
                    }
                    match a {
                        Some(v) => {
                            let any = to_any(v);
                            let same =
                                matches!(element.get(txn, key), Some(Out::Any(now)) if now == any);
                            if !same {
                                element.insert(txn, key.as_str(), any);
                            }
                        }
                        None => {
                            element.remove(txn, key);
                        }
                    }
                }
                if edit.before.is_none() {
                    let stale: Vec<String> = element
                        .keys(txn)
                        .filter(|k| !after.contains_key(*k))
                        .map(str::to_owned)
                        .collect();
                    for k in stale {
                        element.remove(txn, &k);
                    }
                }
            }
        }
    }
    for (list, ids) in &change.orders {
        write_order(txn, roots, *list, ids);
    }
}

/// The highest order number in a list (0 when it has none).
fn max_order<T: ReadTxn>(txn: &T, roots: &Roots, list: List) -> f64 {
    let prefix = format!("{}/", list.key());
    roots
        .order
        .iter(txn)
        .filter(|(k, _)| k.starts_with(&prefix))
        .filter_map(|(_, v)| out_number(Some(&v)))
        .fold(0.0, f64::max)
}

/// Gives the elements of `ids` order numbers that list them in that order, changing as
/// few as it can: the longest run already in order keeps its numbers, the others get
/// numbers between their neighbours.
fn write_order(txn: &mut TransactionMut, roots: &Roots, list: List, ids: &[String]) {
    let current: Vec<Option<f64>> = ids
        .iter()
        .map(|id| out_number(roots.order.get(txn, &order_key(list, id)).as_ref()))
        .collect();
    for (i, value) in assign_orders(&current).into_iter().enumerate() {
        if let Some(v) = value {
            roots.order.insert(txn, order_key(list, &ids[i]), v);
        }
    }
}

/// New order numbers (`Some`) for the positions whose current number (`None`: none yet)
/// does not fit the order asked for; `None` where the current one is kept.
pub fn assign_orders(current: &[Option<f64>]) -> Vec<Option<f64>> {
    let keep = increasing_run(current);
    let mut out = vec![None; current.len()];
    let mut i = 0;
    while i < current.len() {
        if keep[i] {
            i += 1;
            continue;
        }
        // A gap of positions to number, between two kept neighbours (or the ends).
        let start = i;
        while i < current.len() && !keep[i] {
            i += 1;
        }
        let lo = start.checked_sub(1).and_then(|j| current[j]);
        let hi = current.get(i).copied().flatten();
        let n = i - start;
        for (k, slot) in out[start..i].iter_mut().enumerate() {
            let k = k as f64 + 1.0;
            *slot = Some(match (lo, hi) {
                (Some(lo), Some(hi)) => lo + (hi - lo) * k / (n as f64 + 1.0),
                (Some(lo), None) => lo + k,
                (None, Some(hi)) => hi - (n as f64 + 1.0) + k,
                (None, None) => k,
            });
        }
    }
    // Numbers too close to split any more: renumber the whole list.
    let mut last = f64::NEG_INFINITY;
    for (c, o) in current.iter().zip(&out) {
        let v = o.or(*c).unwrap_or(f64::NAN);
        if v.is_nan() || v <= last {
            return (0..current.len()).map(|k| Some(k as f64)).collect();
        }
        last = v;
    }
    out
}

/// Marks the longest strictly increasing run of known numbers (patience sorting).
fn increasing_run(values: &[Option<f64>]) -> Vec<bool> {
    // tails[k]: index of the smallest tail of an increasing run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; values.len()];
    for (i, v) in values.iter().enumerate() {
        let Some(v) = v else { continue };
        let at = tails.partition_point(|&t| values[t].is_some_and(|tv| tv < *v));
        prev[i] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut keep = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = prev[i];
    }
    keep
}

/// Writes a whole canvas into an empty CRDT (or over what it holds), in the canvas's order.
pub fn write_document(txn: &mut TransactionMut, roots: &Roots, from: &Document, doc: &Document) {
    let mut change = LocalChange::between(from, doc);
    // Give every list its order explicitly: an empty room has no numbers to append to.
    change.orders.clear();
    change.orders.push((
        List::Stages,
        doc.stages.iter().map(|s| s.id.0.clone()).collect(),
    ));
    change.orders.push((
        List::Lanes,
        doc.lanes.iter().map(|l| l.id.0.clone()).collect(),
    ));
    change.orders.push((
        List::Themes,
        doc.themes.iter().map(|t| t.id.0.clone()).collect(),
    ));
    change.orders.push((
        List::Touchpoints,
        doc.touchpoints.iter().map(|t| t.id.0.clone()).collect(),
    ));
    change.orders.push((
        List::Flows,
        doc.flows.iter().map(|f| f.id.0.clone()).collect(),
    ));
    write(txn, roots, &change);
}
