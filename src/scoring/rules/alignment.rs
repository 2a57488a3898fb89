//! Theme alignment: the Orchestrator aligns every element through a theme, so every card
//! should express at least one.
//!
//! Penalty = 40 × the share of cards with no theme, a customer-facing card counting once
//! and an employee or backstage card half (the guest does not meet it). With no theme
//! defined at all the penalty is the full 40 and one finding says so. Not applicable to an
//! empty canvas.

use super::{Meta, finding};
use crate::scoring::context::Cards;
use crate::scoring::{RuleResult, Severity};

pub(super) const META: Meta = Meta {
    id: "theme_alignment",
    title: "Theme alignment",
    rationale: "Orchestrate through a theme: every touchpoint should play one of the journey's motifs.",
    weight: 40,
};

/// How much an employee or backstage card counts against a customer-facing one.
pub(crate) const BACKSTAGE_SHARE: f64 = 0.5;

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
        return META.result(Some(f64::from(META.weight)), vec![f]);
    }
    let mut findings = cx.findings();
    let (mut all, mut off) = (0.0, 0.0);
    for tp in 0..n {
        let share = if cx.facing[tp] { 1.0 } else { BACKSTAGE_SHARE };
        all += share;
        if cx.themes_of(tp).is_empty() {
            off += share;
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
        }
    }
    let penalty = f64::from(META.weight) * off / all;
    META.result(Some(penalty), findings.finish())
}
