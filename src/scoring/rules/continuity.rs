//! Theme continuity: a theme should carry from the first stage it appears in to the last,
//! and through every customer channel active in that span, instead of dropping out.
//!
//! For each theme: its span is the stages from its first card to its last. Expected
//! stages are the stages of the span that hold any card; expected channels are the lanes
//! that are not backstage and hold a card within the span. Theme score = covered / expected
//! (1 when nothing is expected); a theme on no card scores 0. Penalty = 20 × (1 − the mean
//! over themes).
//! Not applicable without themes or without cards.

use super::{Meta, finding};
use crate::model::ChannelKind;
use crate::scoring::context::Cards;
use crate::scoring::{RuleResult, Severity};

pub(super) const META: Meta = Meta {
    id: "theme_continuity",
    title: "Theme continuity",
    rationale: "One piece from start to end: a theme that drops out of a stage or a channel breaks the thread.",
    weight: 20,
};

pub(super) fn check(cx: &Cards) -> RuleResult {
    let doc = cx.doc;
    let (themes, stages) = (doc.themes.len(), doc.stages.len());
    if themes == 0 || cx.len() == 0 {
        return META.result(None, vec![]);
    }
    // Where each theme shows: counted with the card facts (see `Tally`).
    let tally = &cx.tally;
    let mut findings = cx.findings();
    let mut sum = 0.0;
    for t in 0..themes {
        let name = crate::scoring::names::quote(&doc.themes[t].name);
        let present = |s: usize| tally.theme_in_stage(t, s);
        let (Some(first), Some(last)) = (
            (0..stages).position(present),
            (0..stages).rposition(present),
        ) else {
            findings.push(|| {
                finding(
                    Severity::Warning,
                    format!("Theme {name} is carried by no touchpoint"),
                    vec![cx.theme_target(t)],
                    "Drag it onto the cards that should express it, or delete the theme.",
                )
            });
            continue;
        };
        let (mut expected, mut covered) = (0u32, 0u32);
        for s in first..=last {
            if !tally.stage_has_cards(s) {
                continue;
            }
            expected += 1;
            if present(s) {
                covered += 1;
            } else {
                findings.push(|| finding(
                    Severity::Warning,
                    format!(
                        "Theme {name} drops out at stage {}, between {} and {}",
                        crate::scoring::names::quote(&doc.stages[s].name),
                        crate::scoring::names::quote(&doc.stages[first].name),
                        crate::scoring::names::quote(&doc.stages[last].name),
                    ),
                    vec![cx.theme_target(t), cx.stage_target(s)],
                    "Carry the theme through this stage: drag it onto at least one of its cards.",
                ));
            }
        }
        for (l, lane) in doc.lanes.iter().enumerate() {
            let active =
                lane.kind != ChannelKind::Backstage && tally.lane_has_cards(l, first..=last);
            if !active {
                continue;
            }
            expected += 1;
            if tally.theme_in_lane(t, l) {
                covered += 1;
            } else {
                findings.push(|| finding(
                    Severity::Warning,
                    format!(
                        "Theme {name} never shows in channel {}, which guests use during the theme's stages",
                        crate::scoring::names::quote(&lane.name)
                    ),
                    vec![cx.theme_target(t), cx.lane_target(l)],
                    "Give the theme a voice in this channel too, so guests meet the same piece wherever they are.",
                ));
            }
        }
        sum += if expected == 0 {
            1.0
        } else {
            f64::from(covered) / f64::from(expected)
        };
    }
    META.result(
        Some(f64::from(META.weight) * (1.0 - sum / themes as f64)),
        findings.finish(),
    )
}
