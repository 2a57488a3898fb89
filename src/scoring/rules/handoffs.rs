//! Hand-offs: journeys break where one department passes the guest to another. A flow
//! between two departments should keep something shared (a theme both cards carry), and
//! no card should stand alone with no flow in or out.
//!
//! A *broken* hand-off is a cross-department flow whose ends both carry themes but none in
//! common: where journeys break. Penalty = 20 × (1 − 0.8^broken) + 3 per isolated card (a
//! dead end), at most 20: the first broken hand-off costs 4, the second 3.2, and so on,
//! each a little less than the one before, so one broken hand-off is felt on a canvas that
//! has none, and the tenth adds little to a canvas whose departments share nothing. A
//! hand-off with an end that carries no theme at all is broken too: nothing is shared. A hand-off with an end that carries no theme at all is theme alignment's finding,
//! not counted twice here. Departments are compared trimmed and case-insensitively; a card
//! with no department is no hand-off. Not applicable with fewer than two cards.

use super::{Meta, finding};
use crate::scoring::context::{Context, NO_DEPARTMENT};
use crate::scoring::id_index::{AHEAD, prefetch};
use crate::scoring::{RuleResult, Severity};

pub(super) const META: Meta = Meta {
    id: "hand_offs",
    title: "Hand-offs",
    rationale: "Break the silos: where one department hands the guest to another, something must carry over.",
    weight: 20,
};

/// What broken hand-offs can cost at most, and how much of the rest each one leaves.
pub(crate) const BROKEN_SCALE: f64 = 20.0;
pub(crate) const BROKEN_KEEPS: f64 = 0.8;
/// Points an isolated card costs.
pub(crate) const PER_ISOLATED_CARD: f64 = 3.0;

pub(super) fn check(cx: &Context) -> RuleResult {
    let doc = cx.doc;
    let n = cx.len();
    if n < 2 {
        return META.result(None, vec![]);
    }
    let mut findings = cx.findings();
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
    let broken = (crossing - shared) as f64;
    let penalty = BROKEN_SCALE * (1.0 - BROKEN_KEEPS.powf(broken))
        + PER_ISOLATED_CARD * (n - connected) as f64;
    META.result(Some(penalty), findings.finish())
}
