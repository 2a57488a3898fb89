//! Top tasks: people come to get something done; every extra step or second over the
//! budget the team set irritates them and sends them elsewhere.
//!
//! A task is *measured* when it has steps with a step budget, or seconds with a time
//! budget. Per task: 1 when within every budget it has, otherwise 0.5 × the smallest
//! budget / measure ratio (any overrun costs at least half). Score = 100 × the mean over
//! measured tasks. Tasks without a budget or a measure get an informative finding and do
//! not count. Not applicable when no task is measured.

use super::{Findings, Meta, finding};
use crate::scoring::context::{Cards, quote};
use crate::scoring::{RuleResult, Severity, percent};

pub(super) const META: Meta = Meta {
    id: "top_tasks",
    title: "Top tasks",
    rationale: "Top-task management: the tasks people come for must stay within the effort budget the team set.",
    weight: 10,
};

pub(super) fn check(cx: &Cards) -> RuleResult {
    let mut findings = Findings::default();
    let (mut measured, mut sum) = (0usize, 0.0);
    for (tp, card) in cx.doc.touchpoints.iter().enumerate() {
        let Some(task) = &card.top_task else {
            continue;
        };
        let name = if task.task.trim().is_empty() {
            cx.card(tp)
        } else {
            quote(&task.task)
        };
        let mut checks: Vec<(f64, f64, String)> = Vec::new();
        if let (Some(steps), Some(max)) = (task.steps, task.max_steps) {
            checks.push((
                f64::from(steps),
                f64::from(max),
                format!("{steps} steps (budget {max})"),
            ));
        }
        if let (Some(secs), Some(max)) = (task.seconds, task.max_seconds)
            && secs.is_finite()
            && max.is_finite()
        {
            checks.push((secs, max, format!("{secs} s (budget {max} s)")));
        }
        if checks.is_empty() {
            findings.push(|| {
                finding(
                    Severity::Info,
                    format!(
                        "Top task {name} at {} has no measured effort with a budget",
                        cx.card(tp)
                    ),
                    vec![cx.card_target(tp)],
                    "Measure the steps or seconds it takes (observe real people) and set a budget.",
                )
            });
            continue;
        }
        measured += 1;
        let over: Vec<&(f64, f64, String)> = checks.iter().filter(|(v, max, _)| v > max).collect();
        if over.is_empty() {
            sum += 1.0;
            continue;
        }
        let ratio = over
            .iter()
            .map(|(v, max, _)| if *v > 0.0 { max / v } else { 1.0 })
            .fold(1.0, f64::min);
        sum += 0.5 * ratio;
        findings.push(|| finding(
            Severity::Problem,
            format!(
                "Top task {name} at {} is over budget: {}",
                cx.card(tp),
                over.iter()
                    .map(|(_, _, text)| text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            vec![cx.card_target(tp)],
            "Remove steps and waiting from this task until it fits the budget; test it with real people.",
        ));
    }
    if measured == 0 {
        return META.result(None, findings.finish());
    }
    META.result(Some(percent(sum / measured as f64)), findings.finish())
}
