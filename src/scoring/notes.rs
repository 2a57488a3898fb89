//! Notes on findings about assumed cards.

use super::context::Flows;
use super::{RuleResult, Target};
use crate::model::{Document, TouchpointId};

/// Says so in a finding about cards whose evidence is assumed: what it points at may not
/// be how customers live it, so it is checked before it is acted on. The score is not
/// changed (a rule judges the journey as drawn).
pub(super) fn note_assumed(
    doc: &Document,
    rules: &mut [RuleResult],
    which: &[usize],
    flows: Option<&Flows>,
) {
    // The cards findings name (usually few), then whether each is assumed (the first card
    // with its id, should two share one): looked up by id where the flows' table of ids
    // is at hand (the editor's rescoring), else found in one pass over the document.
    let mut named: crate::IdMap<&TouchpointId, bool> = crate::IdMap::default();
    for f in which.iter().flat_map(|&r| &rules[r].findings) {
        for t in &f.targets {
            if let Target::Touchpoint(id) = t {
                named.insert(id, false);
            }
        }
    }
    if named.is_empty() {
        return;
    }
    let assumed = |tp: &crate::model::Touchpoint| tp.evidence == crate::model::Evidence::Assumed;
    match flows {
        Some(flows) => {
            for (id, is) in &mut named {
                let card = flows.card(id.as_str()).and_then(|i| doc.touchpoints.get(i));
                *is = card.is_some_and(assumed);
            }
        }
        None => {
            let mut seen: crate::IdMap<&TouchpointId, ()> = crate::IdMap::default();
            for tp in &doc.touchpoints {
                if let Some(is) = named.get_mut(&tp.id)
                    && seen.insert(&tp.id, ()).is_none()
                {
                    *is = assumed(tp);
                }
            }
        }
    }
    let notes: Vec<Vec<Option<String>>> = which
        .iter()
        .map(|&r| {
            let r = &rules[r];
            r.findings
                .iter()
                .map(|f| {
                    let cards = f
                        .targets
                        .iter()
                        .filter(|t| matches!(t, Target::Touchpoint(_)))
                        .count();
                    let assumed = f
                        .targets
                        .iter()
                        .filter(
                            |t| matches!(t, Target::Touchpoint(id) if named.get(id) == Some(&true)),
                        )
                        .count();
                    match (assumed, cards) {
                        (0, _) => None,
                        (1, 1) => {
                            Some(" (an assumed step: not yet observed or reported)".to_owned())
                        }
                        (a, c) if a == c => Some(" (all these steps are assumed)".to_owned()),
                        (a, c) => Some(format!(" ({a} of these {c} steps are assumed)")),
                    }
                })
                .collect()
        })
        .collect();
    for (&r, notes) in which.iter().zip(notes) {
        for (f, note) in rules[r].findings.iter_mut().zip(notes) {
            // The note it had, if noted before, gives way to the one it has now.
            f.message.truncate(f.message.len().saturating_sub(f.note));
            let note = note.unwrap_or_default();
            f.message.push_str(&note);
            f.note = note.len();
        }
    }
}
