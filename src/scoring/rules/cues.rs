//! Cues: harmonise impressions with positive cues, eliminate negative ones. A negative cue
//! recorded on a card is one the team has noticed and not yet removed.
//!
//! Score = 100 × positive / (positive + 2 × negative): a negative cue weighs twice a
//! positive one, because one bad impression spoils several good ones. Not applicable when
//! the canvas records no cue at all.

use super::{Findings, Meta, finding};
use crate::model::Polarity;
use crate::scoring::context::Cards;
use crate::scoring::{RuleResult, Severity, percent};

pub(super) const META: Meta = Meta {
    id: "negative_cues",
    title: "Negative cues",
    rationale: "Harmonise impressions with positive cues and eliminate the negative ones.",
    weight: 10,
};

pub(super) fn check(cx: &Cards) -> RuleResult {
    let (mut positive, mut negative) = (0u64, 0u64);
    let mut findings = Findings::default();
    for (tp, card) in cx.doc.touchpoints.iter().enumerate() {
        for cue in &card.cues {
            match cue.polarity {
                Polarity::Positive => positive += 1,
                Polarity::Negative => {
                    negative += 1;
                    findings.push(|| finding(
                        Severity::Problem,
                        format!(
                            "Negative cue left in place at {}: {}",
                            cx.card(tp),
                            crate::scoring::context::quote(&cue.text)
                        ),
                        vec![cx.card_target(tp)],
                        "Remove what causes it, or replace it with a positive cue that fits the theme.",
                    ));
                }
            }
        }
    }
    if positive + negative == 0 {
        return META.result(None, findings.finish());
    }
    let score = percent(positive as f64 / (positive + 2 * negative) as f64);
    META.result(Some(score), findings.finish())
}
