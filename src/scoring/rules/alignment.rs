//! Theme alignment: the Orchestrator aligns every element through a theme, so every card
//! should express at least one.
//!
//! Score = 100 × cards carrying an existing theme / all cards. Not applicable to an
//! empty canvas. With no theme defined at all the score is 0 and one finding says so.

use super::{Findings, Meta, finding};
use crate::scoring::context::Cards;
use crate::scoring::{RuleResult, Severity, percent};

pub(super) const META: Meta = Meta {
    id: "theme_alignment",
    title: "Theme alignment",
    rationale: "Orchestrate through a theme: every touchpoint should play one of the journey's motifs.",
    weight: 15,
};

pub(super) fn check(cx: &Cards) -> RuleResult {
    let n = cx.len();
    if n == 0 {
        return META.result(None, vec![]);
    }
    if cx.doc.themes.is_empty() {
        let f = finding(
            Severity::Problem,
            format!("The journey has {n} touchpoints but no orchestration theme"),
            vec![],
            "Define one to three themes (what guests should feel, think and share) and drag them onto the cards.",
        );
        return META.result(Some(0), vec![f]);
    }
    let mut findings = Findings::default();
    let mut themed = 0usize;
    for tp in 0..n {
        if cx.themes_of(tp).is_empty() {
            let (severity, fix) = if cx.facing[tp] {
                (
                    Severity::Warning,
                    "Drag the theme it should express onto it, or ask whether the journey needs this touchpoint.",
                )
            } else {
                (
                    Severity::Info,
                    "Backstage work carries the theme too: drag the theme this work serves onto it.",
                )
            };
            findings.push(|| {
                finding(
                    severity,
                    format!("{} expresses no theme", cx.card(tp)),
                    vec![cx.card_target(tp)],
                    fix,
                )
            });
        } else {
            themed += 1;
        }
    }
    let score = percent(themed as f64 / n as f64);
    META.result(Some(score), findings.finish())
}
