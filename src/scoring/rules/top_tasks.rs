//! Top tasks: people come to get something done; every extra step or second over the
//! budget the team set irritates them and sends them elsewhere.
//!
//! A task is *measured* when it has steps with a step budget, or seconds with a time
//! budget. Each task over budget costs 25 × (1 − budget / measure) for its worst overrun,
//! at least 3 (12 steps against 5: 14.6; 6 against 5: 4.2); penalty = the sum, at most 45.
//! A task counts whole however many tasks there are: each is one the team chose as what
//! people come for. Tasks without a budget or a measure get an informative finding and do
//! not count. Not applicable when no task is measured.

use super::{Meta, finding};
use crate::scoring::context::Cards;
use crate::scoring::names::quote;
use crate::scoring::{RuleResult, Severity};

pub(super) const META: Meta = Meta {
    id: "top_tasks",
    title: "Top tasks",
    rationale: "Top-task management: the tasks people come for must stay within the effort budget the team set.",
    weight: 45,
};

/// Points a task costs as its overrun tends to infinity.
pub(crate) const OVERRUN_SCALE: f64 = 25.0;
/// Points any overrun costs at least.
pub(crate) const MIN_OVERRUN: f64 = 3.0;

pub(super) fn check(cx: &Cards) -> RuleResult {
    let mut findings = cx.findings();
    let (mut measured, mut penalty) = (0usize, 0.0);
    for (tp, card) in cx.doc.touchpoints.iter().enumerate() {
        let Some(task) = &card.top_task else {
            continue;
        };
        // Names and texts are made only for findings that are kept (see `Findings`):
        // thousands of tasks on a big canvas, a few dozen findings shown.
        let name = || {
            if task.task.trim().is_empty() {
                cx.card(tp)
            } else {
                quote(&task.task)
            }
        };
        let steps = match (task.steps, task.max_steps) {
            (Some(steps), Some(max)) => Some((steps, max)),
            _ => None,
        };
        let seconds = match (task.seconds, task.max_seconds) {
            (Some(secs), Some(max)) if secs.is_finite() && max.is_finite() => Some((secs, max)),
            _ => None,
        };
        if steps.is_none() && seconds.is_none() {
            findings.push(|| {
                finding(
                    Severity::Info,
                    format!(
                        "Top task {} at {} has no measured effort with a budget",
                        name(),
                        cx.card(tp)
                    ),
                    vec![cx.card_target(tp)],
                    "Measure the steps or seconds it takes (observe real people) and set a budget.",
                )
            });
            continue;
        }
        measured += 1;
        let steps_over = steps.filter(|&(v, max)| v > max);
        let seconds_over = seconds.filter(|&(v, max)| v > max);
        if steps_over.is_none() && seconds_over.is_none() {
            continue;
        }
        let ratio = steps_over
            .map(|(v, max)| (f64::from(v), f64::from(max)))
            .into_iter()
            .chain(seconds_over)
            .map(|(v, max)| if v > 0.0 { max / v } else { 1.0 })
            .fold(1.0, f64::min);
        penalty += (OVERRUN_SCALE * (1.0 - ratio)).max(MIN_OVERRUN);
        findings.push(|| {
            let over: Vec<String> = steps_over
                .map(|(steps, max)| format!("{steps} steps (budget {max})"))
                .into_iter()
                .chain(seconds_over.map(|(secs, max)| format!("{secs} s (budget {max} s)")))
                .collect();
            finding(
                Severity::Problem,
                format!(
                    "Top task {} at {} is over budget: {}",
                    name(),
                    cx.card(tp),
                    over.join(", ")
                ),
                vec![cx.card_target(tp)],
                "Remove steps and waiting from this task until it fits the budget; test it with real people.",
            )
        });
    }
    if measured == 0 {
        return META.result(None, findings.finish());
    }
    META.result(Some(penalty), findings.finish())
}
