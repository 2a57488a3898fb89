//! Emotional arc: the peak-end rule says people remember a journey by its most intense
//! moment and by its end. A coherent journey has a peak (a magic moment), ends on a
//! positive note, and recovers from its deep valleys.
//!
//! Only customer-facing cards count (employees and backstage have their own journeys).
//! Journey order is the stage order, then flows: the *end* is the cards of the last stage
//! that holds a customer card, keeping those with no flow onward within that stage
//! (a flow back to an earlier stage, such as a UMOT to ZMOT loop, does not count as
//! onward). A *deep valley* is a card at -2, or a pain point at -1 or below; it *recovers*
//! when a flow leads from it to a card at +1 or more, or a later stage holds such a card.
//!
//! Score = 100 − 30 without a peak (no card at +2 and no magic moment) − 40 when the end's
//! mean emotion is below 0 (− 15 when it is below +0.5) − 20 per valley without recovery
//! (at most 40), floored at 0. Not applicable without customer-facing cards in a stage.

use super::{Findings, Meta, finding};
use crate::scoring::context::Context;
use crate::scoring::{RuleResult, Severity, minus};

pub(super) const META: Meta = Meta {
    id: "emotional_arc",
    title: "Emotional arc",
    rationale: "Peak-end rule: people remember the best moment and the end, so build a peak, end high, and recover from every low.",
    weight: 15,
};

/// Mean emotion of the end below which the ending counts as neutral rather than positive.
pub(crate) const POSITIVE_END: f64 = 0.5;

pub(super) fn check(cx: &Context) -> RuleResult {
    let doc = cx.doc;
    let cards = || (0..cx.len()).filter(|&tp| cx.facing[tp] && cx.stage_of[tp].is_some());
    let Some(last_stage) = cards().filter_map(|tp| cx.stage_of[tp]).max() else {
        return META.result(None, vec![]);
    };
    let emotion = |tp: usize| cx.emotion[tp];
    let mut findings = Findings::default();
    let mut penalty = 0u32;

    // The peak.
    let has_peak = cards().any(|tp| emotion(tp) >= 2 || cx.flags[tp].magic_moment);
    if !has_peak {
        penalty += 30;
        // Point at the best candidate: the highest card, first in document order.
        let best = cards().fold(None::<usize>, |best, tp| match best {
            Some(b) if emotion(b) >= emotion(tp) => Some(b),
            _ => Some(tp),
        });
        findings.push(|| finding(
            Severity::Warning,
            match best {
                Some(b) => format!(
                    "No peak: no touchpoint delights (+2) or is marked a magic moment; the best is {} at {:+}",
                    cx.card(b),
                    emotion(b)
                ),
                None => "No peak: no touchpoint delights (+2) or is marked a magic moment".to_owned(),
            },
            best.map(|b| cx.card_target(b)).into_iter().collect(),
            "Design a magic moment people will remember and share, and mark it on the card.",
        ));
    }

    // The end.
    let in_last = |tp: usize| cx.facing[tp] && cx.stage_of[tp] == Some(last_stage);
    let mut ends: Vec<usize> = cards()
        .filter(|&tp| in_last(tp) && !cx.successors(tp).any(in_last))
        .collect();
    if ends.is_empty() {
        ends = cards().filter(|&tp| in_last(tp)).collect();
    }
    let end_mean =
        ends.iter().map(|&tp| f64::from(emotion(tp))).sum::<f64>() / ends.len().max(1) as f64;
    let stage_name = crate::scoring::context::quote(&doc.stages[last_stage].name);
    let ending = |mean: f64| match ends.as_slice() {
        [one] => format!("{} at {:+}", cx.card(*one), emotion(*one)),
        _ => format!(
            "{} final touchpoints of {stage_name} average {mean:+.1}",
            ends.len()
        ),
    };
    if end_mean < 0.0 {
        penalty += 40;
        findings.push(|| finding(
            Severity::Problem,
            format!("The journey ends on a negative note: {}", ending(end_mean)),
            ends.iter()
                .filter(|&&tp| emotion(tp) < 0)
                .map(|&tp| cx.card_target(tp))
                .collect(),
            "People remember the end: fix what hurts here, or add a last touchpoint that leaves them glad (a thank-you, a follow-up, a gift).",
        ));
    } else if end_mean < POSITIVE_END {
        penalty += 15;
        findings.push(|| {
            finding(
                Severity::Warning,
                format!("The journey ends flat: {}", ending(end_mean)),
                ends.iter()
                    .filter(|&&tp| emotion(tp) <= 0)
                    .map(|&tp| cx.card_target(tp))
                    .collect(),
                "End on a high: make the last touchpoint one people are glad of.",
            )
        });
    }

    // Valleys and their recovery: best emotion in any later stage, computed once.
    let stages = doc.stages.len();
    let mut best_in_stage = vec![i8::MIN; stages];
    for tp in cards() {
        if let Some(s) = cx.stage_of[tp] {
            best_in_stage[s] = best_in_stage[s].max(emotion(tp));
        }
    }
    let mut best_after = vec![i8::MIN; stages];
    for s in (0..stages.saturating_sub(1)).rev() {
        best_after[s] = best_after[s + 1].max(best_in_stage[s + 1]);
    }
    let mut unrecovered = 0u32;
    for tp in cards() {
        let (e, pain) = (emotion(tp), cx.flags[tp].pain_point);
        let deep = e <= -2 || (pain && e <= -1);
        if !deep {
            continue;
        }
        let later = cx.stage_of[tp].is_some_and(|s| best_after[s] >= 1);
        let lifted = cx.successors(tp).any(|n| cx.facing[n] && emotion(n) >= 1);
        if !(later || lifted) {
            unrecovered += 1;
            findings.push(|| finding(
                Severity::Problem,
                format!(
                    "{} is a deep valley ({:+}) and nothing after it lifts the guest back up",
                    cx.card(tp),
                    e
                ),
                vec![cx.card_target(tp)],
                "Add a recovery right after it (an apology, a gesture, a fix) that leaves people at +1 or better.",
            ));
        }
    }
    penalty += 20 * unrecovered.min(2);
    META.result(Some(minus(penalty)), findings.finish())
}
