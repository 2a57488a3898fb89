//! Moments of truth: a journey should meet people at discovery (ZMOT), when about to buy
//! (FMOT), in the lived experience (SMOT) and when they share it (UMOT); and one person's
//! UMOT is the next person's ZMOT, so a flow should lead from sharing back to discovery.
//!
//! Penalty = 15 per moment with no stage holding a touchpoint, + 6 when no flow goes from
//! a card in a UMOT stage to a card in a ZMOT stage (at most 30). A missing moment is a
//! serious flaw on its own: a whole part of the relationship is not designed. Not
//! applicable to an empty canvas.

use super::{Meta, finding};
use crate::model::Moment;
use crate::scoring::context::Context;
use crate::scoring::names::quote;
use crate::scoring::{RuleResult, Severity};

pub(super) const META: Meta = Meta {
    id: "moments_of_truth",
    title: "Moments of truth",
    rationale: "Discovery, purchase, experience and sharing each need a touchpoint, and sharing should loop back to discovery.",
    weight: 30,
};

/// Points a moment of truth with no touchpoint costs.
pub(crate) const PER_MISSING_MOMENT: f64 = 15.0;
/// Points a missing loop from sharing back to discovery costs.
pub(crate) const NO_LOOP: f64 = 6.0;

pub(super) fn check(cx: &Context) -> RuleResult {
    let doc = cx.doc;
    if cx.len() == 0 {
        return META.result(None, vec![]);
    }
    let mut cards_in_stage = vec![0u32; doc.stages.len()];
    for s in cx.stage_of.iter().flatten() {
        cards_in_stage[*s] += 1;
    }
    let mut findings = cx.findings();
    let mut penalty = 0.0;
    for moment in Moment::ALL {
        let stages: Vec<usize> = (0..doc.stages.len())
            .filter(|&s| doc.stages[s].moment == Some(moment))
            .collect();
        if stages.is_empty() {
            penalty += PER_MISSING_MOMENT;
            findings.push(|| finding(
                Severity::Problem,
                format!(
                    "No stage is marked {} ({})",
                    moment.label(),
                    moment.description()
                ),
                vec![],
                format!(
                    "Mark the stage where this happens as {}, or add one, and put the touchpoints people meet there.",
                    moment.label()
                ),
            ));
        } else if stages.iter().all(|&s| cards_in_stage[s] == 0) {
            penalty += PER_MISSING_MOMENT;
            findings.push(|| {
                finding(
                    Severity::Problem,
                    format!(
                        "Stage {} ({}) has no touchpoint",
                        quote(&doc.stages[stages[0]].name),
                        moment.label()
                    ),
                    stages.iter().map(|&s| cx.stage_target(s)).collect(),
                    format!(
                        "Add what people meet at this moment ({}).",
                        moment.description()
                    ),
                )
            });
        }
    }
    let is =
        |tp: usize, m: Moment| cx.stage_of[tp].is_some_and(|s| doc.stages[s].moment == Some(m));
    let loops = cx
        .links
        .iter()
        .any(|l| is(l.from, Moment::Umot) && is(l.to, Moment::Zmot));
    if !loops {
        penalty += NO_LOOP;
        let umot: Vec<_> = (0..doc.stages.len())
            .filter(|&s| doc.stages[s].moment == Some(Moment::Umot))
            .map(|s| cx.stage_target(s))
            .collect();
        findings.push(|| finding(
            Severity::Warning,
            "No flow leads from sharing (UMOT) back to discovery (ZMOT)".to_owned(),
            umot,
            "Draw a flow from a sharing touchpoint (a review, a post) to the discovery touchpoint where the next guest finds it.",
        ));
    }
    META.result(Some(penalty), findings.finish())
}
