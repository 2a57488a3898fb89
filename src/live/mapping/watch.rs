//! What changed in the CRDT since the canvas was last read (its observers' notes), and
//! [`read_changed`]: reading again only that.

use super::read::{Findings, accept, orders_of, parse_raw, raw_fields, read_meta, sort_and_cap};
use super::repair::repair;
use super::{List, Roots, read};
use crate::model::{Document, Flow, Lane, Stage, Theme, Touchpoint};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use yrs::{Map, ReadTxn};

/// `items` (the list as last read) with the elements named in `ids` read again; the list
/// is sorted again when an element came or `resort` says the order changed.
#[allow(clippy::too_many_arguments)]
fn patch_list<E, T>(
    txn: &T,
    roots: &Roots,
    list: List,
    items: Vec<E>,
    ids: &HashSet<String>,
    resort: bool,
    id_of: impl Fn(&E) -> &str,
    found: &mut Findings,
) -> Vec<E>
where
    E: DeserializeOwned + Serialize + Clone + Send,
    T: ReadTxn,
{
    let map = roots.list(list);
    let index: HashMap<String, usize> = if ids.len() > 8 {
        items
            .iter()
            .enumerate()
            .map(|(i, e)| (id_of(e).to_owned(), i))
            .collect()
    } else {
        HashMap::new()
    };
    let mut items = items;
    let find = |items: &Vec<E>, id: &str| -> Option<usize> {
        if index.is_empty() {
            items.iter().position(|e| id_of(e) == id)
        } else {
            index.get(id).copied()
        }
    };
    let mut gone: HashSet<&str> = HashSet::new();
    let mut came: Vec<E> = Vec::new();
    for id in ids {
        let at = find(&items, id);
        let Some(value) = map.get(txn, id) else {
            if at.is_some() {
                gone.insert(id);
            }
            continue;
        };
        let raw = raw_fields(txn, value);
        let parsed = parse_raw::<E>(id, raw.as_ref());
        match (accept(list, id, parsed, at.map(|i| &items[i]), found), at) {
            (Some(e), Some(i)) => items[i] = e,
            (Some(e), None) => came.push(e),
            (None, Some(_)) => {
                gone.insert(id);
            }
            (None, None) => {}
        }
    }
    drop(index);
    if !gone.is_empty() {
        items.retain(|e| !gone.contains(id_of(e)));
    }
    let resort = resort || !came.is_empty();
    items.extend(came);
    if !resort {
        return items;
    }
    let orders = orders_of(txn, roots, list);
    let keyed: Vec<(f64, String, E)> = items
        .into_iter()
        .map(|e| {
            let id = id_of(&e).to_owned();
            (
                orders.get(id.as_str()).copied().unwrap_or(f64::INFINITY),
                id,
                e,
            )
        })
        .collect();
    sort_and_cap(list, keyed, found)
}

/// What changed in the CRDT since the canvas was last read, as its observers saw it (see
/// [`Roots::watch`]): only that is read again.
#[derive(Clone, Debug, Default)]
pub struct Changed {
    /// Read everything (nothing was read yet, or too much changed to patch).
    pub all: bool,
    pub meta: bool,
    pub elements: [HashSet<String>; 5],
    /// Lists whose order numbers changed.
    pub order: [bool; 5],
}

impl Roots {
    /// Notes in `changed` every element any transaction touches from now on.
    pub fn watch(&self, changed: &Arc<Mutex<Changed>>) {
        use yrs::types::{Event, PathSegment};
        use yrs::{DeepObservable, Observable};
        for list in List::ALL {
            let sink = Arc::clone(changed);
            self.list(list)
                .observe_deep("stagecraft:changed", move |txn, events| {
                    let Ok(mut c) = sink.lock() else { return };
                    for event in events.iter() {
                        let Event::Map(e) = event else {
                            c.all = true;
                            continue;
                        };
                        let path = e.path();
                        match path.front() {
                            None => {
                                for id in e.keys(txn).keys() {
                                    c.elements[list.index()].insert(id.to_string());
                                }
                            }
                            Some(PathSegment::Key(id)) => {
                                c.elements[list.index()].insert(id.to_string());
                            }
                            Some(PathSegment::Index(_)) => c.all = true,
                        }
                    }
                });
        }
        let sink = Arc::clone(changed);
        self.order.observe("stagecraft:changed", move |txn, e| {
            let Ok(mut c) = sink.lock() else { return };
            for key in e.keys(txn).keys() {
                if let Some(list) = List::ALL.into_iter().find(|l| {
                    key.strip_prefix(l.key())
                        .is_some_and(|r| r.starts_with('/'))
                }) {
                    c.order[list.index()] = true;
                }
            }
        });
        let sink = Arc::clone(changed);
        self.meta.observe("stagecraft:changed", move |_, _| {
            if let Ok(mut c) = sink.lock() {
                c.meta = true;
            }
        });
    }
}

/// [`read`], reading again only what `changed` names: the rest is taken from `previous`
/// (the canvas as last read). The whole canvas is checked as ever.
pub fn read_changed<T: ReadTxn>(
    txn: &T,
    roots: &Roots,
    previous: &Document,
    changed: &Changed,
) -> (Document, Findings) {
    let big = |list: List, len: usize| changed.elements[list.index()].len() * 4 > len.max(64);
    if changed.all
        || big(List::Stages, previous.stages.len())
        || big(List::Lanes, previous.lanes.len())
        || big(List::Themes, previous.themes.len())
        || big(List::Touchpoints, previous.touchpoints.len())
        || big(List::Flows, previous.flows.len())
    {
        return read(txn, roots, previous);
    }
    let mut found = Findings::default();
    crate::model::reset_unknown_budget();
    let mut doc = if changed.meta {
        read_meta(txn, roots, previous, &mut found)
    } else {
        Document {
            title: previous.title.clone(),
            personas: previous.personas.clone(),
            lineage: previous.lineage.clone(),
            extra: previous.extra.clone(),
            ..Document::default()
        }
    };
    let touched =
        |list: List| !changed.elements[list.index()].is_empty() || changed.order[list.index()];
    macro_rules! list {
        ($field:ident, $list:expr, $ty:ty) => {
            doc.$field = if touched($list) {
                patch_list::<$ty, _>(
                    txn,
                    roots,
                    $list,
                    previous.$field.clone(),
                    &changed.elements[$list.index()],
                    changed.order[$list.index()],
                    |e| e.id.as_str(),
                    &mut found,
                )
            } else {
                previous.$field.clone()
            };
        };
    }
    list!(stages, List::Stages, Stage);
    list!(lanes, List::Lanes, Lane);
    list!(themes, List::Themes, Theme);
    list!(touchpoints, List::Touchpoints, Touchpoint);
    list!(flows, List::Flows, Flow);
    repair(&mut doc, previous, &mut found);
    (doc, found)
}
