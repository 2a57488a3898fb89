//! Memorabilia: mix in something to take away or share near the end, so the experience
//! lives on and guests become ambassadors.
//!
//! The *end zone* is the last third (rounded up, at least one) of the stages that hold a
//! customer-facing card, plus any UMOT stage. Penalty = 0 when a customer-facing card
//! marked memorabilia sits in the end zone, 4 when memorabilia exist only earlier, 8 when
//! there are none. Not applicable without customer-facing cards in a stage.

use super::{Meta, finding};
use crate::model::Moment;
use crate::scoring::context::Cards;
use crate::scoring::names::quote;
use crate::scoring::{RuleResult, Severity};

pub(super) const META: Meta = Meta {
    id: "memorabilia",
    title: "Memorabilia",
    rationale: "Mix in memorabilia: something to take away or share near the end turns guests into ambassadors.",
    weight: 10,
};

/// Points lost with nothing to take away at all.
pub(crate) const NO_MEMORABILIA: f64 = 8.0;
/// Points lost when memorabilia come only before the end zone.
pub(crate) const EARLY_MEMORABILIA: f64 = 4.0;

pub(super) fn check(cx: &Cards) -> RuleResult {
    let doc = cx.doc;
    // Stages and souvenirs as counted with the card facts (see `Tally`).
    let tally = &cx.tally;
    let used_stages: Vec<usize> = (0..doc.stages.len()).filter(|&s| tally.faced(s)).collect();
    if used_stages.is_empty() {
        return META.result(None, vec![]);
    }
    let k = used_stages.len().div_ceil(3);
    let mut end_zone = vec![false; doc.stages.len()];
    for &s in &used_stages[used_stages.len() - k..] {
        end_zone[s] = true;
    }
    for (s, stage) in doc.stages.iter().enumerate() {
        if stage.moment == Some(Moment::Umot) {
            end_zone[s] = true;
        }
    }
    if (0..doc.stages.len()).any(|s| end_zone[s] && tally.souvenir_in(s)) {
        return META.result(Some(0.0), vec![]);
    }
    let first_end = used_stages[used_stages.len() - k];
    let zone_names: Vec<String> = (0..doc.stages.len())
        .filter(|&s| end_zone[s])
        .map(|s| quote(&doc.stages[s].name))
        .collect();
    let zone_targets = (0..doc.stages.len())
        .filter(|&s| end_zone[s])
        .map(|s| cx.stage_target(s));
    if !tally.any_souvenir() {
        let f = finding(
            Severity::Warning,
            format!(
                "Nothing to take away or share near the end ({})",
                zone_names.join(", ")
            ),
            zone_targets.collect(),
            "Add a souvenir, a photo moment or a gift to a late touchpoint and mark it as memorabilia.",
        );
        return META.result(Some(NO_MEMORABILIA), vec![f]);
    }
    // Only now are the souvenirs named, which takes a pass over the cards.
    let souvenirs: Vec<usize> = (0..cx.len())
        .filter(|&tp| cx.facing[tp] && cx.flags[tp].memorabilia)
        .collect();
    let mut targets: Vec<_> = souvenirs.iter().map(|&tp| cx.card_target(tp)).collect();
    targets.push(cx.stage_target(first_end));
    let f = finding(
        Severity::Warning,
        format!(
            "Memorabilia only come early ({}); nothing near the end ({})",
            souvenirs
                .iter()
                .map(|&tp| cx.card(tp))
                .collect::<Vec<_>>()
                .join(", "),
            zone_names.join(", ")
        ),
        targets,
        "Move the souvenir later, or add one people take home at the end of the journey.",
    );
    META.result(Some(EARLY_MEMORABILIA), vec![f])
}
