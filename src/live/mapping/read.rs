//! Reading the shared canvas out of the CRDT, checked as a file is: each element with the
//! file's own deserialiser, refused elements falling back to their last good version.

use super::local::to_json;
use super::repair::repair;
use super::values::{out_number, out_value, to_value};
use super::{ElementEdit, Fields, List, LocalChange, Roots, fields_of};
use crate::model::{Document, Flow, Lane, Stage, Theme, Touchpoint};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use yrs::{Any, Map, Out, ReadTxn};

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

pub(super) fn read_meta<T: ReadTxn>(
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
pub(super) fn orders_of<'a, T: ReadTxn>(
    txn: &'a T,
    roots: &'a Roots,
    list: List,
) -> HashMap<&'a str, f64> {
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
pub(super) fn raw_fields<T: ReadTxn>(txn: &T, value: Out) -> Option<Vec<(Key, Any)>> {
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

pub(super) fn parse_raw<E: DeserializeOwned>(
    id: &str,
    fields: Option<&Vec<(Key, Any)>>,
) -> Parsed<E> {
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
pub(super) fn accept<E: Serialize + DeserializeOwned>(
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

pub(super) fn sort_and_cap<E>(
    list: List,
    mut out: Vec<(f64, String, E)>,
    found: &mut Findings,
) -> Vec<E> {
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

/// A field's name, read out of the CRDT: the file's own names need no copy.
pub(super) type Key = std::borrow::Cow<'static, str>;

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
pub(super) type Raw<'a> = (&'a str, f64, Option<Vec<(Key, Any)>>);

/// An element, or why not with the fields that could be read (for [`salvage`]).
pub(super) type Parsed<E> = Result<E, (String, Option<Fields>)>;

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
pub(super) fn salvage<E: DeserializeOwned + Serialize>(
    previous: &E,
    incoming: &Fields,
) -> Option<E> {
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
