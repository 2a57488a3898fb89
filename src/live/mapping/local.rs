//! This user's changes as the CRDT needs them ([`LocalChange`]: top-level fields, elements
//! field by field, list orders), and an element's fields as the file holds them.

use super::{Fields, List};
use crate::edit::LocalChanges;
use crate::model::{Document, Flow, Lane, Stage, Theme, Touchpoint};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

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

pub(super) fn to_json<T: Serialize>(x: &T) -> Value {
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
