//! Cues: harmonise impressions with positive cues, eliminate negative ones. A negative cue
//! recorded on a card is one the team has noticed and not yet removed.
//!
//! Penalty = 4 points per negative cue: each one is an impression the team knows about and
//! left in place, however many good ones surround it (positive cues do not buy it back),
//! plus 3 per cue at odds with its card's emotion (a negative cue on a card that leaves
//! guests delighted at +2, a positive one on a card that leaves them at -1 or below: the
//! cue harmonises nothing, or the emotion ignores it); at most 30. Not applicable when the
//! canvas records no cue at all.

use super::{Meta, finding};
use crate::model::Polarity;
use crate::scoring::context::Cards;
use crate::scoring::{RuleResult, Severity};

pub(super) const META: Meta = Meta {
    id: "negative_cues",
    title: "Negative cues",
    rationale: "Harmonise impressions with positive cues and eliminate the negative ones.",
    weight: 30,
};

/// Points each negative cue left in place costs.
pub(crate) const PER_NEGATIVE_CUE: f64 = 4.0;
/// Points each cue at odds with its card's emotion costs.
pub(crate) const PER_ODD_CUE: f64 = 3.0;

pub(super) fn check(cx: &Cards) -> RuleResult {
    let (mut positive, mut negative, mut odd) = (0u64, 0u64, 0u64);
    let mut findings = cx.findings();
    for (tp, card) in cx.doc.touchpoints.iter().enumerate() {
        for cue in &card.cues {
            let e = card.emotion;
            let at_odds = match cue.polarity {
                Polarity::Positive => e <= -1,
                Polarity::Negative => e >= 2,
            };
            if at_odds && cx.facing[tp] {
                odd += 1;
                findings.push(|| {
                    finding(
                        Severity::Warning,
                        format!(
                            "{} cue {} at {} does not fit its emotion ({e:+})",
                            match cue.polarity {
                                Polarity::Positive => "Positive",
                                Polarity::Negative => "Negative",
                            },
                            crate::scoring::names::quote(&cue.text),
                            cx.card(tp)
                        ),
                        vec![cx.card_target(tp)],
                        "Check the card: either the cue or the emotion is not what guests meet.",
                    )
                });
            }
            match cue.polarity {
                Polarity::Positive => positive += 1,
                Polarity::Negative => {
                    negative += 1;
                    findings.push(|| finding(
                        Severity::Problem,
                        format!(
                            "Negative cue left in place at {}: {}",
                            cx.card(tp),
                            crate::scoring::names::quote(&cue.text)
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
    META.result(
        Some(PER_NEGATIVE_CUE * negative as f64 + PER_ODD_CUE * odd as f64),
        findings.finish(),
    )
}
