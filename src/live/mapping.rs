//! The canvas inside the CRDT (a Yjs document), and back.
//!
//! The mapping is the simplest one that converges, field by field:
//!
//! | Yjs root map | key | value |
//! |---|---|---|
//! | `meta` | a top-level field of the file (`title`, `personas`, `lineage`, unknown ones) | its JSON value, as one register (the personas: the whole list, pictures included) |
//! | `stages`, `lanes`, `themes`, `touchpoints`, `flows` | the element's id | a map of its fields (as in the file, without `id`), each field one register |
//! | `order` | `LIST/ID` | a number: elements are listed by it, then by id |
//!
//! Two people changing different fields of one card both win; the same field, the last
//! writer wins (Yjs decides, the same way on every machine). Lists inside a card (themes,
//! cues, senses) are one value. A deleted element takes its fields with it, so an edit made
//! at the same moment as a colleague's delete is lost with the element.
//!
//! What comes out is checked as if it were a file ([`read`]): each element is read with the
//! file's own deserialiser, then the whole canvas with [`validate`]. An element that does
//! not pass is refused: the last version of it that did is kept, or it is left out; a card
//! whose stage or lane was deleted, or a flow whose card was, is left out; a card keeps
//! only the themes that exist. So the canvas shown is always one the loader would open.

use crate::edit::LocalChanges;
use crate::model::{
    Document, Flow, Lane, MAX_FLOWS, MAX_LANES, MAX_STAGES, MAX_THEMES, MAX_TOUCHPOINTS, Stage,
    Theme, Touchpoint, validate,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map as JsonMap, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use yrs::{Any, Doc, Map, MapPrelim, MapRef, Out, ReadTxn, TransactionMut};

mod personas;

/// An element's fields as the file holds them (without its `id`).
pub type Fields = JsonMap<String, Value>;

/// One of the canvas's lists of elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    Stages,
    Lanes,
    Themes,
    Touchpoints,
    Flows,
}

impl List {
    pub const ALL: [List; 5] = [
        List::Stages,
        List::Lanes,
        List::Themes,
        List::Touchpoints,
        List::Flows,
    ];

    /// The list's key in the file (and the root map's name).
    pub fn key(self) -> &'static str {
        match self {
            List::Stages => "stages",
            List::Lanes => "lanes",
            List::Themes => "themes",
            List::Touchpoints => "touchpoints",
            List::Flows => "flows",
        }
    }

    /// One element, in messages.
    pub fn noun(self) -> &'static str {
        match self {
            List::Stages => "stage",
            List::Lanes => "lane",
            List::Themes => "theme",
            List::Touchpoints => "card",
            List::Flows => "flow",
        }
    }

    fn max(self) -> usize {
        match self {
            List::Stages => MAX_STAGES,
            List::Lanes => MAX_LANES,
            List::Themes => MAX_THEMES,
            List::Touchpoints => MAX_TOUCHPOINTS,
            List::Flows => MAX_FLOWS,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The root maps of a canvas's Yjs document.
pub struct Roots {
    pub meta: MapRef,
    lists: [MapRef; 5],
    pub order: MapRef,
}

impl Roots {
    pub fn new(doc: &Doc) -> Self {
        Self {
            meta: doc.get_or_insert_map("meta"),
            lists: List::ALL.map(|l| doc.get_or_insert_map(l.key())),
            order: doc.get_or_insert_map("order"),
        }
    }

    pub fn list(&self, list: List) -> &MapRef {
        &self.lists[list.index()]
    }

    /// Every root map (what undo watches).
    pub fn all(&self) -> impl Iterator<Item = &MapRef> {
        std::iter::once(&self.meta)
            .chain(self.lists.iter())
            .chain(std::iter::once(&self.order))
    }

    /// Whether the room holds no canvas yet.
    pub fn is_empty<T: ReadTxn>(&self, txn: &T) -> bool {
        self.all().all(|m| m.len(txn) == 0)
    }
}

fn order_key(list: List, id: &str) -> String {
    format!("{}/{id}", list.key())
}

/// One element changed by this user: its fields before and after (`None`: absent).
#[derive(Clone, Debug, PartialEq)]
pub struct ElementEdit {
    pub list: List,
    pub id: String,
    pub before: Option<Fields>,
    pub after: Option<Fields>,
}

/// What this user changed, as the CRDT needs it: top-level fields, elements field by
/// field, and the order of the lists whose order changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocalChange {
    /// Top-level fields: key, value before, value after.
    pub meta: Vec<(String, Option<Value>, Option<Value>)>,
    pub elements: Vec<ElementEdit>,
    /// Every id of a list, in its new order.
    pub orders: Vec<(List, Vec<String>)>,
}

impl LocalChange {
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty() && self.elements.is_empty() && self.orders.is_empty()
    }

    /// The changes that make `before` into `after`, matched by id.
    pub fn between(before: &Document, after: &Document) -> LocalChange {
        let mut change = LocalChange::default();
        let (mb, ma) = (meta_of(before), meta_of(after));
        for key in mb.keys().chain(ma.keys().filter(|k| !mb.contains_key(*k))) {
            let (b, a) = (mb.get(key), ma.get(key));
            if b != a {
                change.meta.push((key.clone(), b.cloned(), a.cloned()));
            }
        }
        diff_list(
            &mut change,
            List::Stages,
            &before.stages,
            &after.stages,
            |s| s.id.as_str(),
        );
        diff_list(&mut change, List::Lanes, &before.lanes, &after.lanes, |l| {
            l.id.as_str()
        });
        diff_list(
            &mut change,
            List::Themes,
            &before.themes,
            &after.themes,
            |t| t.id.as_str(),
        );
        diff_list(
            &mut change,
            List::Touchpoints,
            &before.touchpoints,
            &after.touchpoints,
            |t| t.id.as_str(),
        );
        diff_list(&mut change, List::Flows, &before.flows, &after.flows, |f| {
            f.id.as_str()
        });
        change
    }

    /// The changes an editor noted (see [`LocalChanges`]), with `doc` as it is now.
    pub fn from_log(log: LocalChanges, doc: &Document) -> LocalChange {
        if let Some(before) = &log.document {
            return LocalChange::between(before, doc);
        }
        let mut change = LocalChange::default();
        if let Some(title) = log.title
            && title != doc.title
        {
            change.meta.push((
                "title".into(),
                Some(Value::String(title)),
                Some(Value::String(doc.title.clone())),
            ));
        }
        if let Some(personas) = log.personas
            && personas != doc.personas
        {
            change.meta.push((
                "personas".into(),
                Some(to_json(&personas)),
                Some(to_json(&doc.personas)),
            ));
        }
        log_list(
            &mut change,
            List::Stages,
            log.stages.entries,
            &doc.stages,
            |s| s.id.as_str(),
            log.stage_order,
        );
        log_list(
            &mut change,
            List::Lanes,
            log.lanes.entries,
            &doc.lanes,
            |l| l.id.as_str(),
            log.lane_order,
        );
        log_list(
            &mut change,
            List::Themes,
            log.themes.entries,
            &doc.themes,
            |t| t.id.as_str(),
            log.theme_order,
        );
        log_list(
            &mut change,
            List::Touchpoints,
            log.touchpoints.entries,
            &doc.touchpoints,
            |t| t.id.as_str(),
            log.touchpoint_order,
        );
        log_list(
            &mut change,
            List::Flows,
            log.flows.entries,
            &doc.flows,
            |f| f.id.as_str(),
            log.flow_order,
        );
        change
    }
}

fn to_json<T: Serialize>(x: &T) -> Value {
    // Plain data with string keys: serialising cannot fail.
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// An element's fields, as in the file, without its id, and without the fields that hold
/// the value a missing field reads as (`emotion: 0`, `cues: []`…): every field is one item
/// of the CRDT, and items are what joining a big room costs.
pub fn fields_of<T: Serialize>(list: List, x: &T) -> Fields {
    match to_json(x) {
        Value::Object(mut m) => {
            m.remove("id");
            let defaults = defaults(list);
            m.retain(|k, v| defaults.get(k) != Some(v));
            m
        }
        _ => Fields::new(),
    }
}

/// The fields a list's element reads as when they are missing (its serde defaults),
/// learned from the smallest element the file accepts.
fn defaults(list: List) -> &'static Fields {
    static DEFAULTS: std::sync::OnceLock<[Fields; 5]> = std::sync::OnceLock::new();
    fn learn<T: Serialize + DeserializeOwned>(minimal: Value) -> Fields {
        let given: Vec<String> = minimal
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let mut all = match serde_json::from_value::<T>(minimal).map(|x| to_json(&x)) {
            Ok(Value::Object(m)) => m,
            _ => Fields::new(),
        };
        all.retain(|k, _| !given.contains(k));
        all
    }
    let all = DEFAULTS.get_or_init(|| {
        [
            learn::<Stage>(serde_json::json!({"id": "x", "name": ""})),
            learn::<Lane>(serde_json::json!({"id": "x", "name": ""})),
            learn::<Theme>(serde_json::json!({"id": "x", "name": "", "color": "#000000"})),
            learn::<Touchpoint>(
                serde_json::json!({"id": "x", "title": "", "stage": "s", "lane": "l"}),
            ),
            learn::<Flow>(serde_json::json!({"id": "x", "from": "a", "to": "b"})),
        ]
    });
    &all[list.index()]
}

/// The top-level fields of a canvas (everything but its five lists).
pub fn meta_of(doc: &Document) -> Fields {
    let top = Document {
        title: doc.title.clone(),
        personas: doc.personas.clone(),
        lineage: doc.lineage.clone(),
        extra: doc.extra.clone(),
        ..Document::default()
    };
    let mut m = match to_json(&top) {
        Value::Object(m) => m,
        _ => Fields::new(),
    };
    for list in List::ALL {
        m.remove(list.key());
    }
    // The envelope belongs to the file, not to the canvas.
    m.remove("format");
    m.remove("version");
    m
}

fn diff_list<T: Serialize + PartialEq>(
    change: &mut LocalChange,
    list: List,
    before: &[T],
    after: &[T],
    id_of: impl Fn(&T) -> &str,
) {
    let old: HashMap<&str, &T> = before.iter().map(|x| (id_of(x), x)).collect();
    let new: HashSet<&str> = after.iter().map(&id_of).collect();
    for x in after {
        let id = id_of(x);
        match old.get(id) {
            Some(b) if *b == x => {}
            b => change.elements.push(ElementEdit {
                list,
                id: id.to_owned(),
                before: b.map(|b| fields_of(list, *b)),
                after: Some(fields_of(list, x)),
            }),
        }
    }
    for x in before {
        let id = id_of(x);
        if !new.contains(id) {
            change.elements.push(ElementEdit {
                list,
                id: id.to_owned(),
                before: Some(fields_of(list, x)),
                after: None,
            });
        }
    }
    // The order is sent when the elements both lists hold are not in the same order, or
    // when new ones are not all at the end (the CRDT appends them otherwise).
    let kept_before: Vec<&str> = before
        .iter()
        .map(&id_of)
        .filter(|id| new.contains(id))
        .collect();
    let after_ids: Vec<&str> = after.iter().map(&id_of).collect();
    let appended = after_ids.starts_with(&kept_before);
    if !appended {
        change
            .orders
            .push((list, after_ids.into_iter().map(str::to_owned).collect()));
    }
}

fn log_list<Id: AsRef<str>, T: Serialize>(
    change: &mut LocalChange,
    list: List,
    entries: Vec<(Id, Option<T>)>,
    now: &[T],
    id_of: impl Fn(&T) -> &str,
    order_changed: bool,
) {
    if entries.is_empty() && !order_changed {
        return;
    }
    // Looked up by scanning for a few, through an index for many.
    let index: Option<HashMap<&str, usize>> =
        (entries.len() > 8).then(|| now.iter().enumerate().map(|(i, x)| (id_of(x), i)).collect());
    let find = |id: &str| match &index {
        Some(ix) => ix.get(id).map(|&i| &now[i]),
        None => now.iter().find(|x| id_of(x) == id),
    };
    for (id, before) in entries {
        let id = id.as_ref();
        let before = before.map(|b| fields_of(list, &b));
        let after = find(id).map(|x| fields_of(list, x));
        if before != after {
            change.elements.push(ElementEdit {
                list,
                id: id.to_owned(),
                before,
                after,
            });
        }
    }
    if order_changed {
        change
            .orders
            .push((list, now.iter().map(|x| id_of(x).to_owned()).collect()));
    }
}

// ---- JSON values and Yjs values --------------------------------------------------------

/// Deepest nesting of a value read from the network (the file format's deepest is 3).
const MAX_DEPTH: usize = 32;

/// A JSON value as a Yjs value (a register's content).
pub fn to_any(v: &Value) -> Any {
    match v {
        Value::Null => Any::Null,
        Value::Bool(b) => Any::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i)
                if (yrs::Number::I64_MIN_SAFE_INTEGER..=yrs::Number::I64_MAX_SAFE_INTEGER)
                    .contains(&i) =>
            {
                Any::Number(yrs::Number::Int(i))
            }
            _ => Any::Number(yrs::Number::Float(n.as_f64().unwrap_or(0.0))),
        },
        Value::String(s) => Any::String(s.as_str().into()),
        Value::Array(items) => Any::Array(items.iter().map(to_any).collect()),
        Value::Object(m) => Any::Map(Arc::new(
            m.iter().map(|(k, v)| (k.clone(), to_any(v))).collect(),
        )),
    }
}

/// A Yjs value as JSON, or why it cannot be one (bytes, non-finite numbers, too deep).
pub fn to_value(a: &Any) -> Result<Value, String> {
    any_value(a, 0)
}

fn any_value(a: &Any, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("a value is nested too deeply".into());
    }
    Ok(match a {
        Any::Null | Any::Undefined => Value::Null,
        Any::Bool(b) => Value::Bool(*b),
        Any::Number(n) => number_value(*n)?,
        Any::String(s) => Value::String(s.to_string()),
        Any::Buffer(_) => return Err("binary data where a canvas holds text or numbers".into()),
        Any::Array(items) => Value::Array(
            items
                .iter()
                .map(|x| any_value(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Any::Map(m) => Value::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), any_value(v, depth + 1)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// Whole numbers come back as integers, whichever client wrote them (JavaScript has only
/// floats): an emotion written as 1.0 reads as 1.
fn number_value(n: yrs::Number) -> Result<Value, String> {
    match n {
        yrs::Number::Int(i) => Ok(Value::from(i)),
        yrs::Number::Float(f) => {
            if !f.is_finite() {
                return Err("a number that is not finite".into());
            }
            match yrs::Number::try_i64(f) {
                yrs::Number::Int(i) => Ok(Value::from(i)),
                yrs::Number::Float(f) => serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| "a number that is not finite".into()),
            }
        }
    }
}

fn out_value(out: &Out) -> Result<Value, String> {
    match out {
        Out::Any(a) => to_value(a),
        _ => Err("a shared structure where a canvas holds a value".into()),
    }
}

fn out_number(out: Option<&Out>) -> Option<f64> {
    match out {
        Some(Out::Any(Any::Number(n))) => n.as_f64().filter(|f| f.is_finite()),
        _ => None,
    }
}

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

// ---- Reading the shared canvas ----------------------------------------------------------

/// What reading the CRDT found wrong: a message per refusal, and the writes that put the
/// last good values back (so that the room heals, and a client that never saw them, such
/// as `stagecraft pull`, reads the same canvas).
#[derive(Clone, Debug, Default)]
pub struct Findings {
    pub refused: Vec<String>,
    pub repairs: LocalChange,
}

/// Reads the canvas the CRDT holds, checked as a file would be. `previous` is the last
/// canvas read (the fallback for elements that do not pass now). Returns the canvas and
/// what was refused.
pub fn read<T: ReadTxn>(txn: &T, roots: &Roots, previous: &Document) -> (Document, Findings) {
    let mut found = Findings::default();
    crate::model::reset_unknown_budget();
    let mut doc = read_meta(txn, roots, previous, &mut found);
    doc.stages = read_list::<Stage, _>(
        txn,
        roots,
        List::Stages,
        &previous.stages,
        |s| s.id.as_str(),
        &mut found,
    );
    doc.lanes = read_list::<Lane, _>(
        txn,
        roots,
        List::Lanes,
        &previous.lanes,
        |l| l.id.as_str(),
        &mut found,
    );
    doc.themes = read_list::<Theme, _>(
        txn,
        roots,
        List::Themes,
        &previous.themes,
        |t| t.id.as_str(),
        &mut found,
    );
    doc.touchpoints = read_list::<Touchpoint, _>(
        txn,
        roots,
        List::Touchpoints,
        &previous.touchpoints,
        |t| t.id.as_str(),
        &mut found,
    );
    doc.flows = read_list::<Flow, _>(
        txn,
        roots,
        List::Flows,
        &previous.flows,
        |f| f.id.as_str(),
        &mut found,
    );
    repair(&mut doc, previous, &mut found);
    (doc, found)
}

fn read_meta<T: ReadTxn>(
    txn: &T,
    roots: &Roots,
    previous: &Document,
    found: &mut Findings,
) -> Document {
    let mut fields = Fields::new();
    for (key, out) in roots.meta.iter(txn) {
        match out_value(&out) {
            Ok(v) => {
                fields.insert(key.to_owned(), v);
            }
            Err(why) => found
                .refused
                .push(format!("the canvas's {key} was refused: {why}")),
        }
    }
    if fields.is_empty() {
        // A room with no canvas yet, or one whose canvas has no title yet.
        return Document {
            title: previous.title.clone(),
            personas: previous.personas.clone(),
            lineage: previous.lineage.clone(),
            extra: previous.extra.clone(),
            ..Document::default()
        };
    }
    for list in List::ALL {
        fields.remove(list.key());
    }
    match serde_json::from_value::<Document>(Value::Object(fields)) {
        Ok(doc) => doc,
        Err(e) => {
            found.refused.push(format!(
                "the canvas's title, personas or other top-level fields were refused: {e}"
            ));
            Document {
                title: previous.title.clone(),
                personas: previous.personas.clone(),
                lineage: previous.lineage.clone(),
                extra: previous.extra.clone(),
                ..Document::default()
            }
        }
    }
}

/// The order numbers of one list, in one pass over the order map (a lookup per element
/// would format a key each).
fn orders_of<'a, T: ReadTxn>(txn: &'a T, roots: &'a Roots, list: List) -> HashMap<&'a str, f64> {
    let prefix = format!("{}/", list.key());
    roots
        .order
        .iter(txn)
        .filter_map(|(k, v)| Some((k.strip_prefix(prefix.as_str())?, out_number(Some(&v))?)))
        .collect()
}

/// Most fields one element may hold (a card has 14; the rest would be unknown fields).
const MAX_FIELDS: usize = 256;

/// An element's fields as the CRDT holds them (`None`: not a map, or too many fields).
fn raw_fields<T: ReadTxn>(txn: &T, value: Out) -> Option<Vec<(Key, Any)>> {
    match value {
        Out::YMap(fields) if fields.len(txn) as usize <= MAX_FIELDS => Some(
            fields
                .iter(txn)
                .map(|(k, out)| match out {
                    Out::Any(a) => (key(k), a),
                    // Not a value: marked as such for `element_from`.
                    _ => (key(k), Any::Undefined),
                })
                .collect(),
        ),
        _ => None,
    }
}

fn parse_raw<E: DeserializeOwned>(id: &str, fields: Option<&Vec<(Key, Any)>>) -> Parsed<E> {
    match fields {
        Some(fields) => element_from::<E>(id, fields),
        None => Err((
            format!("it is not a set of at most {MAX_FIELDS} fields"),
            None,
        )),
    }
}

/// The element to show for what was read: it, or its last good version with what can be
/// taken of the new one (the refusal and the repair noted), or nothing.
fn accept<E: Serialize + DeserializeOwned>(
    list: List,
    id: &str,
    parsed: Parsed<E>,
    previous: Option<&E>,
    found: &mut Findings,
) -> Option<E> {
    let (why, fields) = match parsed {
        Ok(e) => return Some(e),
        Err(err) => err,
    };
    let incoming = fields.unwrap_or_default();
    match previous.and_then(|p| salvage(p, &incoming)) {
        Some(e) => {
            found.refused.push(format!(
                "a change to {} {id:?} was refused ({why}); the rest of it is taken",
                list.noun()
            ));
            let mut before = incoming;
            before.remove("id");
            found.repairs.elements.push(ElementEdit {
                list,
                id: id.to_owned(),
                before: Some(before),
                after: Some(fields_of(list, &e)),
            });
            Some(e)
        }
        None => {
            found.refused.push(format!(
                "{} {id:?} from the room was refused: {why}",
                list.noun()
            ));
            None
        }
    }
}

fn read_list<E, T>(
    txn: &T,
    roots: &Roots,
    list: List,
    previous: &[E],
    id_of: impl Fn(&E) -> &str,
    found: &mut Findings,
) -> Vec<E>
where
    E: DeserializeOwned + Serialize + Clone + Send,
    T: ReadTxn,
{
    let map = roots.list(list);
    // First what only this thread may touch (the CRDT), then the parsing, which for a big
    // canvas is most of the time, on two threads.
    let orders = orders_of(txn, roots, list);
    let raw: Vec<Raw> = map
        .iter(txn)
        .map(|(id, value)| {
            let order = orders.get(id).copied().unwrap_or(f64::INFINITY);
            (id, order, raw_fields(txn, value))
        })
        .collect();
    let parse = |part: &[Raw]| -> Vec<Parsed<E>> {
        part.iter()
            .map(|(id, _, fields)| parse_raw::<E>(id, fields.as_ref()))
            .collect()
    };
    let parsed: Vec<Parsed<E>> = if raw.len() >= 2_000 && crate::two_cores() {
        let (first, second) = raw.split_at(raw.len() / 2);
        std::thread::scope(|s| {
            let helper = s.spawn(|| parse(second));
            let mut out = parse(first);
            match helper.join() {
                Ok(rest) => out.extend(rest),
                Err(_) => out.extend(parse(second)),
            }
            out
        })
    } else {
        parse(&raw)
    };
    // Looked up only on a refusal: reading a big canvas needs no index of the last one.
    let mut before: Option<HashMap<&str, &E>> = None;
    let mut out: Vec<(f64, String, E)> = Vec::with_capacity(raw.len().min(list.max()));
    for ((id, order, _), parsed) in raw.iter().zip(parsed) {
        let last = match &parsed {
            Ok(_) => None,
            Err(_) => before
                .get_or_insert_with(|| previous.iter().map(|e| (id_of(e), e)).collect())
                .get(id)
                .copied(),
        };
        if let Some(e) = accept(list, id, parsed, last, found) {
            out.push((*order, (*id).to_owned(), e));
        }
    }
    sort_and_cap(list, out, found)
}

fn sort_and_cap<E>(list: List, mut out: Vec<(f64, String, E)>, found: &mut Findings) -> Vec<E> {
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    if out.len() > list.max() {
        found.refused.push(format!(
            "the room holds {} {}s; only the first {} are shown",
            out.len(),
            list.noun(),
            list.max()
        ));
        out.truncate(list.max());
    }
    out.into_iter().map(|(_, _, e)| e).collect()
}

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

/// A field's name, read out of the CRDT: the file's own names need no copy.
type Key = std::borrow::Cow<'static, str>;

fn key(k: &str) -> Key {
    const NAMES: [&str; 22] = [
        "title",
        "notes",
        "stage",
        "lane",
        "position",
        "kind",
        "themes",
        "emotion",
        "cues",
        "senses",
        "department",
        "actor",
        "flags",
        "top_task",
        "name",
        "moment",
        "color",
        "intent",
        "tone",
        "from",
        "to",
        "label",
    ];
    match NAMES.iter().find(|n| **n == k) {
        Some(n) => Key::Borrowed(n),
        None => Key::Owned(k.to_owned()),
    }
}

/// An element as it comes out of the CRDT: its id, its order number and its fields
/// (`None`: not a map of fields, or too many of them).
type Raw<'a> = (&'a str, f64, Option<Vec<(Key, Any)>>);

/// An element, or why not with the fields that could be read (for [`salvage`]).
type Parsed<E> = Result<E, (String, Option<Fields>)>;

/// An element from its fields (as the CRDT holds them; `Undefined` marks a shared
/// structure where a value should be).
fn element_from<E: DeserializeOwned>(id: &str, fields: &[(Key, Any)]) -> Parsed<E> {
    let mut object = Fields::new();
    let mut unreadable = None;
    for (key, any) in fields {
        let key: &str = key;
        if key == "id" {
            continue;
        }
        let value = match any {
            Any::Undefined => Err("a shared structure where a canvas holds a value".to_owned()),
            a => to_value(a),
        };
        match value {
            Ok(v) => {
                object.insert(key.to_owned(), v);
            }
            Err(w) => {
                unreadable = Some(format!("{key}: {w}"));
                // A placeholder, so that a repair knows to overwrite it.
                object.insert(key.to_owned(), Value::Null);
            }
        }
    }
    object.insert("id".into(), Value::String(id.to_owned()));
    let object = Value::Object(object);
    let error = match (unreadable, E::deserialize(&object)) {
        (None, Ok(e)) => return Ok(e),
        (Some(w), _) => w,
        (None, Err(e)) => e.to_string(),
    };
    match object {
        Value::Object(fields) => Err((error, Some(fields))),
        _ => Err((error, None)),
    }
}

/// `previous` with each of `incoming`'s fields that keeps it an element of its kind.
fn salvage<E: DeserializeOwned + Serialize>(previous: &E, incoming: &Fields) -> Option<E> {
    let Value::Object(mut good) = to_json(previous) else {
        return None;
    };
    for (key, value) in incoming {
        let mut candidate = good.clone();
        candidate.insert(key.clone(), value.clone());
        if serde_json::from_value::<E>(Value::Object(candidate.clone())).is_ok() {
            good = candidate;
        }
    }
    serde_json::from_value(Value::Object(good)).ok()
}

/// Makes the canvas one the loader would open: references to elements that are gone are
/// dropped (a card's theme) or take their element out (a card in a deleted stage, a flow
/// to a deleted card); an element that breaks a rule falls back to its last good version,
/// or is left out.
fn repair(doc: &mut Document, previous: &Document, found: &mut Findings) {
    let themes: HashSet<&str> = doc.themes.iter().map(|t| t.id.as_str()).collect();
    let mut dropped_themes = 0;
    for card in &mut doc.touchpoints {
        let before = card.themes.len();
        card.themes.retain(|t| themes.contains(t.as_str()));
        dropped_themes += before - card.themes.len();
    }
    if dropped_themes > 0 {
        found.refused.push(format!(
            "{dropped_themes} theme(s) given to cards no longer exist; the cards show without them"
        ));
    }
    personas::strip_missing(doc, found);
    let mut tried: HashSet<(List, String, String)> = HashSet::new();
    for _ in 0..8 {
        let problems = validate(doc);
        if problems.is_empty() {
            return;
        }
        let mut bad: HashMap<List, HashMap<usize, Vec<(String, String)>>> = HashMap::new();
        for p in &problems {
            let mut parts = p.path.trim_start_matches('/').split('/');
            let head = parts.next().unwrap_or("");
            let index = parts.next().and_then(|i| i.parse::<usize>().ok());
            let field = parts.next().unwrap_or("").to_owned();
            match (head, index) {
                ("title", _) => {
                    found
                        .refused
                        .push(format!("the canvas's title was refused: {}", p.message));
                    found.repairs.meta.push((
                        "title".into(),
                        Some(Value::String(std::mem::take(&mut doc.title))),
                        Some(Value::String(previous.title.clone())),
                    ));
                    doc.title = previous.title.clone();
                }
                ("personas", _) => {
                    found
                        .refused
                        .push(format!("the personas were refused: {}", p.message));
                    found.repairs.meta.push((
                        "personas".into(),
                        Some(to_json(&doc.personas)),
                        Some(to_json(&previous.personas)),
                    ));
                    doc.personas = previous.personas.clone();
                    personas::strip_missing(doc, found);
                }
                ("lineage", _) => {
                    doc.lineage = previous.lineage.clone();
                }
                (list, Some(i)) => {
                    if let Some(l) = List::ALL.into_iter().find(|l| l.key() == list) {
                        bad.entry(l)
                            .or_default()
                            .entry(i)
                            .or_default()
                            .push((field, p.message.clone()));
                    }
                }
                (list, None) => {
                    // A list past its limit (read_list keeps to the limits; a defence).
                    if let Some(l) = List::ALL.into_iter().find(|l| l.key() == list) {
                        found.refused.push(format!("{}: {}", list, p.message));
                        truncate(doc, l);
                    }
                }
            }
        }
        for (list, elements) in bad {
            fix_list(doc, previous, list, &elements, &mut tried, found);
        }
    }
    // Still not valid after repairs (it should not happen): the last good canvas stands.
    if !validate(doc).is_empty() {
        found
            .refused
            .push("the room's canvas could not be made valid; the last good one is kept".into());
        *doc = previous.clone();
    }
}

fn truncate(doc: &mut Document, list: List) {
    match list {
        List::Stages => doc.stages.truncate(MAX_STAGES),
        List::Lanes => doc.lanes.truncate(MAX_LANES),
        List::Themes => doc.themes.truncate(MAX_THEMES),
        List::Touchpoints => doc.touchpoints.truncate(MAX_TOUCHPOINTS),
        List::Flows => doc.flows.truncate(MAX_FLOWS),
    }
}

/// Each element of `bad` (by index, with the fields its problems name) gets those fields
/// back from its last good version; with none (or when that was tried), it is left out.
fn fix_list(
    doc: &mut Document,
    previous: &Document,
    list: List,
    bad: &HashMap<usize, Vec<(String, String)>>,
    tried: &mut HashSet<(List, String, String)>,
    found: &mut Findings,
) {
    match list {
        List::Stages => fix_items(
            &mut doc.stages,
            &previous.stages,
            list,
            bad,
            tried,
            found,
            |s| s.id.as_str(),
        ),
        List::Lanes => fix_items(
            &mut doc.lanes,
            &previous.lanes,
            list,
            bad,
            tried,
            found,
            |l| l.id.as_str(),
        ),
        List::Themes => fix_items(
            &mut doc.themes,
            &previous.themes,
            list,
            bad,
            tried,
            found,
            |t| t.id.as_str(),
        ),
        List::Touchpoints => fix_items(
            &mut doc.touchpoints,
            &previous.touchpoints,
            list,
            bad,
            tried,
            found,
            |t| t.id.as_str(),
        ),
        List::Flows => fix_items(
            &mut doc.flows,
            &previous.flows,
            list,
            bad,
            tried,
            found,
            |f| f.id.as_str(),
        ),
    }
}

fn fix_items<E: Serialize + DeserializeOwned + Clone>(
    items: &mut Vec<E>,
    previous: &[E],
    list: List,
    bad: &HashMap<usize, Vec<(String, String)>>,
    tried: &mut HashSet<(List, String, String)>,
    found: &mut Findings,
    id_of: impl Fn(&E) -> &str,
) {
    let mut keep = Vec::with_capacity(items.len());
    for (i, item) in std::mem::take(items).into_iter().enumerate() {
        let Some(problems) = bad.get(&i) else {
            keep.push(item);
            continue;
        };
        let id = id_of(&item).to_owned();
        let why = problems
            .iter()
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let fixed = previous.iter().find(|p| id_of(p) == id).and_then(|prev| {
            let (mut now, before) = (fields_of(list, &item), fields_of(list, prev));
            let mut changed = false;
            for (field, _) in problems {
                if !tried.insert((list, id.clone(), field.clone())) {
                    continue;
                }
                let old = before.get(field);
                if now.get(field) != old {
                    changed = true;
                    match old {
                        Some(v) => now.insert(field.clone(), v.clone()),
                        None => now.remove(field),
                    };
                }
            }
            now.insert("id".into(), Value::String(id.clone()));
            changed
                .then(|| serde_json::from_value::<E>(Value::Object(now)).ok())
                .flatten()
        });
        match fixed {
            Some(e) => {
                found.refused.push(format!(
                    "a change to {} {id:?} was refused ({why}); its last good value is kept",
                    list.noun()
                ));
                found.repairs.elements.push(ElementEdit {
                    list,
                    id: id.clone(),
                    before: Some(fields_of(list, &item)),
                    after: Some(fields_of(list, &e)),
                });
                keep.push(e);
            }
            None => found
                .refused
                .push(format!("{} {id:?} is left out: {why}", list.noun())),
        }
    }
    *items = keep;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{StageId, TouchpointId};
    use yrs::Transact;
    use yrs::updates::decoder::Decode;

    fn sample() -> Document {
        crate::io::load_path(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/coffee-shop.json"
        )))
        .expect("sample")
        .document
    }

    fn roundtrip(doc: &Document) -> Document {
        let ydoc = Doc::new();
        let roots = Roots::new(&ydoc);
        write_document(&mut ydoc.transact_mut(), &roots, &Document::default(), doc);
        let (back, found) = read(&ydoc.transact(), &roots, &Document::default());
        assert_eq!(found.refused, Vec::<String>::new());
        back
    }

    #[test]
    fn a_canvas_goes_in_and_comes_back_the_same() {
        let doc = sample();
        assert_eq!(roundtrip(&doc), doc);
        let big = crate::synth::canvas(&crate::synth::SynthSpec::new(300, 7));
        assert_eq!(roundtrip(&big), big);
    }

    #[test]
    fn reading_only_what_changed_gives_the_canvas_a_whole_read_gives() {
        let doc = crate::synth::canvas(&crate::synth::SynthSpec::new(200, 3));
        let ydoc = Doc::new();
        let roots = Roots::new(&ydoc);
        let changed: Arc<Mutex<Changed>> = Arc::default();
        roots.watch(&changed);
        write_document(&mut ydoc.transact_mut(), &roots, &Document::default(), &doc);
        let (mut view, _) = read(&ydoc.transact(), &roots, &Document::default());
        std::mem::take(&mut *changed.lock().unwrap());
        let steps: [fn(&mut Document); 6] = [
            |d| d.touchpoints[3].title = "Retitled".into(),
            |d| {
                d.touchpoints.remove(10);
                d.flows
                    .retain(|f| f.from.as_str() != "tp-10" && f.to.as_str() != "tp-10");
            },
            |d| {
                let mut t = d.touchpoints[0].clone();
                t.id = TouchpointId::from("new-card");
                d.touchpoints.push(t);
            },
            |d| d.stages.swap(0, 1),
            |d| d.title = "New title".into(),
            |d| d.touchpoints[5].emotion = 0,
        ];
        for step in steps {
            let before = view.clone();
            let mut after = view.clone();
            step(&mut after);
            write(
                &mut ydoc.transact_mut(),
                &roots,
                &LocalChange::between(&before, &after),
            );
            let c = std::mem::take(&mut *changed.lock().unwrap());
            let (patched, _) = read_changed(&ydoc.transact(), &roots, &view, &c);
            let (whole, _) = read(&ydoc.transact(), &roots, &view);
            assert_eq!(patched, whole);
            assert_eq!(whole, after, "the CRDT holds the edit");
            view = patched;
        }
    }

    #[test]
    fn orders_keep_the_longest_run_and_number_the_rest_between() {
        let current = [Some(1.0), None, Some(2.0), Some(0.5), Some(3.0)];
        let got = assign_orders(&current);
        assert_eq!(got, vec![None, Some(1.5), None, Some(2.5), None]);
        assert_eq!(assign_orders(&[None, None]), vec![Some(1.0), Some(2.0)]);
        // No room left between neighbours: everything is renumbered.
        let tight = assign_orders(&[Some(1.0), None, Some(1.0 + f64::EPSILON)]);
        assert_eq!(tight, vec![Some(0.0), Some(1.0), Some(2.0)]);
    }

    #[test]
    fn two_field_edits_of_one_card_both_stay() {
        let doc = sample();
        let a = Doc::with_client_id(1);
        let b = Doc::with_client_id(2);
        let (ra, rb) = (Roots::new(&a), Roots::new(&b));
        write_document(&mut a.transact_mut(), &ra, &Document::default(), &doc);
        let state = a.transact().encode_state_as_update_v1(&Default::default());
        b.transact_mut()
            .apply_update(yrs::Update::decode_v1(&state).unwrap())
            .unwrap();
        let mut title = doc.clone();
        title.touchpoints[0].title = "New title".into();
        let mut emotion = doc.clone();
        emotion.touchpoints[0].emotion = -2;
        let sv_a = a.transact().state_vector();
        let sv_b = b.transact().state_vector();
        write(
            &mut a.transact_mut(),
            &ra,
            &LocalChange::between(&doc, &title),
        );
        write(
            &mut b.transact_mut(),
            &rb,
            &LocalChange::between(&doc, &emotion),
        );
        let ua = a.transact().encode_state_as_update_v1(&sv_b);
        let ub = b.transact().encode_state_as_update_v1(&sv_a);
        a.transact_mut()
            .apply_update(yrs::Update::decode_v1(&ub).unwrap())
            .unwrap();
        b.transact_mut()
            .apply_update(yrs::Update::decode_v1(&ua).unwrap())
            .unwrap();
        let (da, _) = read(&a.transact(), &ra, &doc);
        let (db, _) = read(&b.transact(), &rb, &doc);
        assert_eq!(da, db);
        assert_eq!(da.touchpoints[0].title, "New title");
        assert_eq!(da.touchpoints[0].emotion, -2);
    }

    #[test]
    fn ill_formed_or_oversized_elements_are_refused_and_the_canvas_stays_valid() {
        let doc = sample();
        let ydoc = Doc::new();
        let roots = Roots::new(&ydoc);
        write_document(&mut ydoc.transact_mut(), &roots, &Document::default(), &doc);
        let id = doc.touchpoints[0].id.as_str().to_owned();
        let other = doc.touchpoints[1].id.as_str().to_owned();
        {
            let mut txn = ydoc.transact_mut();
            let Some(Out::YMap(card)) = roots.list(List::Touchpoints).get(&txn, &id) else {
                panic!("card")
            };
            card.insert(&mut txn, "title", "x".repeat(5000));
            let Some(Out::YMap(card)) = roots.list(List::Touchpoints).get(&txn, &other) else {
                panic!("card")
            };
            card.insert(&mut txn, "emotion", 40);
            roots.list(List::Touchpoints).insert(
                &mut txn,
                "ghost",
                MapPrelim::from_iter([("title", yrs::In::Any(Any::from("no stage")))]),
            );
        }
        let (read_back, found) = read(&ydoc.transact(), &roots, &doc);
        assert!(validate(&read_back).is_empty());
        assert_eq!(
            read_back.touchpoints[0], doc.touchpoints[0],
            "last good version"
        );
        assert_eq!(read_back.touchpoints[1], doc.touchpoints[1]);
        assert!(read_back.touchpoint(&TouchpointId::from("ghost")).is_none());
        assert_eq!(found.refused.len(), 3, "{:#?}", found.refused);
        // The repairs put the last good values back: a reader that never saw them (a
        // `pull`) then reads the same canvas.
        assert_eq!(found.repairs.elements.len(), 2);
        write(&mut ydoc.transact_mut(), &roots, &found.repairs);
        let (fresh, found) = read(&ydoc.transact(), &roots, &Document::default());
        assert_eq!(fresh, read_back);
        assert_eq!(found.refused.len(), 1, "only the ghost, which no one knew");
    }

    #[test]
    fn a_card_in_a_deleted_stage_is_left_out_and_its_flows_with_it() {
        let doc = sample();
        let stage = doc.touchpoints[0].stage.clone();
        let mut deleted = doc.clone();
        deleted.stages.retain(|s| s.id != stage);
        let ydoc = Doc::new();
        let roots = Roots::new(&ydoc);
        write_document(
            &mut ydoc.transact_mut(),
            &roots,
            &Document::default(),
            &deleted,
        );
        let (back, found) = read(&ydoc.transact(), &roots, &doc);
        assert!(validate(&back).is_empty());
        assert!(back.touchpoints.iter().all(|t| t.stage != stage));
        assert!(!found.refused.is_empty());
        let _ = StageId::from("x");
    }
}
