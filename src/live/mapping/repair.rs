//! Making a canvas read from the CRDT one the loader would open: dangling references
//! dropped, elements that break a rule back to their last good version or left out.

use super::local::to_json;
use super::read::Findings;
use super::{ElementEdit, List, fields_of};
use crate::model::{
    Document, MAX_FLOWS, MAX_LANES, MAX_STAGES, MAX_THEMES, MAX_TOUCHPOINTS, validate,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Makes the canvas one the loader would open: references to elements that are gone are
/// dropped (a card's theme) or take their element out (a card in a deleted stage, a flow
/// to a deleted card); an element that breaks a rule falls back to its last good version,
/// or is left out.
pub(super) fn repair(doc: &mut Document, previous: &Document, found: &mut Findings) {
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
    super::personas::strip_missing(doc, found);
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
                    super::personas::strip_missing(doc, found);
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
