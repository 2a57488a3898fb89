//! Senses: where guests are present in body (a place, or a person face to face; not a
//! phone call or a chat), the more senses the moment engages, the more memorable it is.
//!
//! A *presence* is a stage and a lane where the guest is in body: the customer-facing
//! cards there on a physical channel, or on a human one that is not remote. The senses of
//! a presence are those of all its cards together: a poster that is only seen, in a café
//! that smells of coffee and plays music, is part of a visit that engages three senses.
//! Per presence: min(senses, 3) / 3; q = 0.8 × the mean of that + 0.2 × (senses engaged
//! anywhere in body) / 5. Penalty = 10 × (1 − q). Presences engaging fewer than 2 senses
//! get a finding naming their cards; so does the journey when some senses are engaged
//! nowhere. Not applicable without a presence.

use super::{Meta, finding};
use crate::model::Sense;
use crate::scoring::context::Cards;
use crate::scoring::names::quote;
use crate::scoring::{RuleResult, Severity};
use rustc_hash::FxHashMap;

pub(super) const META: Meta = Meta {
    id: "senses",
    title: "Senses",
    rationale: "Engage all five senses where guests are present in body: the more senses, the more memorable.",
    weight: 10,
};

/// Senses a presence needs for a full score.
pub(crate) const ENOUGH_SENSES: u32 = 3;
/// Below this many senses, a presence gets a finding.
pub(crate) const FEW_SENSES: u32 = 2;

/// Largest stage × lane grid indexed through a flat table.
const DENSE_CELLS: usize = 1 << 20;

/// One stage and lane where the guest is present in body.
struct Presence {
    cards: Vec<usize>,
    /// Bit i set when `Sense::ALL[i]` is engaged by one of the cards.
    senses: u8,
}

pub(super) fn check(cx: &Cards) -> RuleResult {
    let mut findings = cx.findings();
    // Presence of each (stage, lane): a flat table when the grid is of a sensible size,
    // a map otherwise (a file may declare any number of stages and lanes).
    let (stages, lanes) = (cx.doc.stages.len(), cx.doc.lanes.len());
    let dense = stages.saturating_mul(lanes) <= DENSE_CELLS;
    let mut table: Vec<u32> = if dense {
        vec![u32::MAX; stages * lanes]
    } else {
        Vec::new()
    };
    let mut at: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    let mut presences: Vec<Presence> = Vec::new();
    for tp in 0..cx.len() {
        if !(cx.facing[tp] && cx.physical[tp]) {
            continue;
        }
        let senses = cx.senses[tp];
        // A card with no stage or lane is a presence of its own.
        let key = match (cx.stage_of[tp], cx.lane_of[tp]) {
            (Some(s), Some(l)) => Some((s, l)),
            _ => None,
        };
        let slot = key.and_then(|(s, l)| {
            if dense {
                let i = table[s * lanes + l];
                (i != u32::MAX).then_some(i as usize)
            } else {
                at.get(&(s, l)).copied()
            }
        });
        match slot {
            Some(i) => {
                presences[i].cards.push(tp);
                presences[i].senses |= senses;
            }
            None => {
                if let Some((s, l)) = key {
                    if dense {
                        table[s * lanes + l] = u32::try_from(presences.len()).unwrap_or(u32::MAX);
                    } else {
                        at.insert((s, l), presences.len());
                    }
                }
                presences.push(Presence {
                    cards: vec![tp],
                    senses,
                });
            }
        }
    }
    if presences.is_empty() {
        return META.result(None, vec![]);
    }
    let mut sum = 0.0;
    let mut engaged = 0u8;
    for p in &presences {
        let n = p.senses.count_ones();
        sum += f64::from(n.min(ENOUGH_SENSES)) / f64::from(ENOUGH_SENSES);
        engaged |= p.senses;
        if n < FEW_SENSES {
            let only = Sense::ALL
                .iter()
                .find(|s| p.senses & (1 << **s as u8) != 0)
                .map_or_else(
                    || "no sense".to_owned(),
                    |s| format!("only {}", s.label().to_lowercase()),
                );
            findings.push(|| {
                let message = match p.cards.as_slice() {
                    [one] => format!("{} is a physical touchpoint engaging {only}", cx.card(*one)),
                    [first, ..] => {
                        let (stage, lane) = (cx.stage_of[*first], cx.lane_of[*first]);
                        format!(
                            "Guests present in body at {} in {} meet {} touchpoints engaging {only}",
                            stage.map_or_else(String::new, |s| quote(&cx.doc.stages[s].name)),
                            lane.map_or_else(String::new, |l| quote(&cx.doc.lanes[l].name)),
                            p.cards.len()
                        )
                    }
                    [] => String::new(),
                };
                finding(
                    Severity::Warning,
                    message,
                    p.cards.iter().map(|&tp| cx.card_target(tp)).collect(),
                    "Add what guests hear, touch, smell or taste here (music, a material, a scent, a taste).",
                )
            });
        }
    }
    let missing: Vec<&str> = Sense::ALL
        .iter()
        .filter(|s| engaged & (1 << **s as u8) == 0)
        .map(|s| s.label())
        .collect();
    if !missing.is_empty() {
        findings.push(|| finding(
            Severity::Info,
            format!(
                "No physical touchpoint engages {}",
                missing.join(", ").to_lowercase()
            ),
            vec![],
            "Look for one place in the journey where each missing sense could add to the theme.",
        ));
    }
    let q = 0.8 * (sum / presences.len() as f64) + 0.2 * (f64::from(engaged.count_ones()) / 5.0);
    META.result(Some(f64::from(META.weight) * (1.0 - q)), findings.finish())
}
