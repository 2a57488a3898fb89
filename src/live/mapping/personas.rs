//! Personas read back from the CRDT: the list travels as one `meta` register, so a card
//! may name a persona a colleague removed at the same moment; the card stays, without it.

use super::Findings;
use crate::model::Document;
use std::collections::HashSet;

/// Takes personas that no longer exist off the cards (a colleague removed a persona while
/// another gave a card an emotion for it): the card stays, without what named it.
pub(super) fn strip_missing(doc: &mut Document, found: &mut Findings) {
    let personas: HashSet<&str> = doc.personas.iter().map(|p| p.id.as_str()).collect();
    let mut dropped = 0;
    for card in &mut doc.touchpoints {
        let before = card.emotions.len() + card.personas.as_ref().map_or(0, Vec::len);
        card.emotions.retain(|p, _| personas.contains(p.as_str()));
        if let Some(list) = &mut card.personas {
            list.retain(|p| personas.contains(p.as_str()));
        }
        dropped += before - card.emotions.len() - card.personas.as_ref().map_or(0, Vec::len);
    }
    if dropped > 0 {
        found.refused.push(format!(
            "{dropped} mention(s) of personas that no longer exist were taken off cards"
        ));
    }
}
