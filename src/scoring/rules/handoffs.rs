//! Hand-offs: journeys break where one department passes the guest to another. A flow
//! between two departments should keep something shared (a theme both cards carry), and
//! no card should stand alone with no flow in or out.
//!
//! h = cross-department flows whose ends share a theme / all cross-department flows (1 if
//! none); c = 1 − 3 × isolated cards / all cards, floored at 0 (an isolated card is a dead
//! end in the journey, so it weighs three times). Score = 100 × (0.6 h + 0.4 c).
//! Departments are compared trimmed and case-insensitively; a card with no department is
//! no hand-off. Not applicable with fewer than two cards.

use super::{Findings, Meta, finding};
use crate::scoring::context::{AHEAD, Context, NO_DEPARTMENT, prefetch};
use crate::scoring::{RuleResult, Severity, percent};

pub(super) const META: Meta = Meta {
    id: "hand_offs",
    title: "Hand-offs",
    rationale: "Break the silos: where one department hands the guest to another, something must carry over.",
    weight: 10,
};

/// How many times an isolated card counts in the connection part.
pub(crate) const ISOLATION_WEIGHT: f64 = 3.0;

pub(super) fn check(cx: &Context) -> RuleResult {
    let doc = cx.doc;
    let n = cx.len();
    if n < 2 {
        return META.result(None, vec![]);
    }
    let mut findings = Findings::default();
    let (mut crossing, mut shared) = (0usize, 0usize);
    for (k, link) in cx.links.iter().enumerate() {
        // The ends are random cards: ask for those of a later link while this one is read.
        if let Some(ahead) = cx.links.get(k + AHEAD) {
            prefetch(&cx.desk[ahead.from]);
            prefetch(&cx.desk[ahead.to]);
        }
        let (da, db) = (cx.desk[link.from].department, cx.desk[link.to].department);
        if da == NO_DEPARTMENT || db == NO_DEPARTMENT || da == db {
            continue;
        }
        crossing += 1;
        if cx.share_theme(link.from, link.to) {
            shared += 1;
        } else {
            findings.push(|| {
                let da = doc.touchpoints[link.from].department.trim();
                let db = doc.touchpoints[link.to].department.trim();
                finding(
                Severity::Warning,
                format!(
                    "Hand-off from {da} ({}) to {db} ({}) shares no theme",
                    cx.card(link.from),
                    cx.card(link.to)
                ),
                vec![
                    cx.flow_target(link.flow),
                    cx.card_target(link.from),
                    cx.card_target(link.to),
                ],
                format!(
                    "Get {da} and {db} to agree on the theme this hand-off carries, and put it on both cards."
                ),
            )
            });
        }
    }
    let mut connected = 0usize;
    for tp in 0..n {
        if cx.degree[tp] > 0 {
            connected += 1;
        } else {
            findings.push(|| {
                finding(
                    Severity::Warning,
                    format!("{} is isolated: no flow leads to or from it", cx.card(tp)),
                    vec![cx.card_target(tp)],
                    "Draw the flows that bring people here and take them on, or remove the card.",
                )
            });
        }
    }
    let h = if crossing == 0 {
        1.0
    } else {
        shared as f64 / crossing as f64
    };
    let c = (1.0 - ISOLATION_WEIGHT * (n - connected) as f64 / n as f64).max(0.0);
    META.result(Some(percent(0.6 * h + 0.4 * c)), findings.finish())
}
