//! Senses: where guests are bodily present (physical places and people), the more senses
//! a touchpoint engages, the more memorable it is.
//!
//! For each customer-facing card on a physical or human channel: min(senses, 3) / 3.
//! Score = 80 × the mean of that + 20 × (senses engaged anywhere on those cards) / 5.
//! Cards engaging fewer than 2 senses get a finding; so does the journey when some senses
//! are engaged nowhere. Not applicable without customer-facing physical or human cards.

use super::{Findings, Meta, finding};
use crate::model::Sense;
use crate::scoring::context::Cards;
use crate::scoring::{RuleResult, Severity, percent};

pub(super) const META: Meta = Meta {
    id: "senses",
    title: "Senses",
    rationale: "Engage all five senses where guests are present in body: the more senses, the more memorable.",
    weight: 5,
};

/// Senses a physical card needs for a full card score.
pub(crate) const ENOUGH_SENSES: usize = 3;
/// Below this many senses, a physical card gets a finding.
pub(crate) const FEW_SENSES: usize = 2;

pub(super) fn check(cx: &Cards) -> RuleResult {
    let mut findings = Findings::default();
    let mut cards = 0usize;
    let mut sum = 0.0;
    // Bit i set when Sense::ALL[i] is engaged somewhere.
    let mut engaged = 0u8;
    let all_senses = Sense::ALL.iter().fold(0u8, |m, s| m | 1 << *s as u8);
    for (tp, card) in cx.doc.touchpoints.iter().enumerate() {
        if !(cx.facing[tp] && cx.physical[tp]) {
            continue;
        }
        cards += 1;
        let n = card.senses.len();
        sum += n.min(ENOUGH_SENSES) as f64 / ENOUGH_SENSES as f64;
        // Once every sense is seen, reading more sets (a pointer chase each) changes nothing.
        if engaged != all_senses {
            for sense in &card.senses {
                engaged |= 1 << *sense as u8;
            }
        }
        if n < FEW_SENSES {
            findings.push(|| finding(
                Severity::Warning,
                format!(
                    "{} is a physical touchpoint engaging {}",
                    cx.card(tp),
                    match card.senses.iter().next() {
                        Some(s) => format!("only {}", s.label().to_lowercase()),
                        None => "no sense".to_owned(),
                    }
                ),
                vec![cx.card_target(tp)],
                "Add what guests hear, touch, smell or taste here (music, a material, a scent, a taste).",
            ));
        }
    }
    if cards == 0 {
        return META.result(None, vec![]);
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
    let score = 0.8 * (sum / cards as f64) + 0.2 * (f64::from(engaged.count_ones()) / 5.0);
    META.result(Some(percent(score)), findings.finish())
}
