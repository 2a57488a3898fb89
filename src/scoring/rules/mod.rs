//! The coherence rules, one per file, each a function from the shared context to a
//! [`RuleResult`]. `ALL` fixes their order in every report.

mod alignment;
mod arc;
mod continuity;
mod cues;
mod handoffs;
mod memorabilia;
mod moments;
mod senses;
mod tone;
mod top_tasks;

use super::context::Context;
use super::{Finding, RuleResult, Severity, Target};

/// Every rule, in report order.
pub(super) const ALL: [fn(&Context) -> RuleResult; 10] = [
    alignment::check,
    continuity::check,
    tone::check,
    moments::check,
    cues::check,
    arc::check,
    senses::check,
    memorabilia::check,
    handoffs::check,
    top_tasks::check,
];

/// What a rule is, apart from its verdict.
pub(super) struct Meta {
    pub id: &'static str,
    pub title: &'static str,
    pub rationale: &'static str,
    pub weight: u32,
}

impl Meta {
    pub fn result(&self, score: Option<u8>, findings: Vec<Finding>) -> RuleResult {
        RuleResult {
            id: self.id,
            title: self.title,
            rationale: self.rationale,
            weight: self.weight,
            score,
            findings,
        }
    }
}

pub(super) fn finding(
    severity: Severity,
    message: String,
    targets: Vec<Target>,
    fix: impl Into<String>,
) -> Finding {
    Finding {
        message,
        severity,
        targets,
        fix: fix.into(),
    }
}
