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

use super::context::{Cards, Context};
use super::{Finding, RuleResult, Severity, Target};
use crate::edit::Fields;

/// A rule's check, by what it reads: the cards alone, or the cards and the flows.
#[derive(Clone, Copy)]
pub(super) enum Check {
    Cards(fn(&Cards) -> RuleResult),
    Flows(fn(&Context) -> RuleResult),
}

/// A rule: what it is, what it checks, how costly it is on a big canvas (relative; the
/// card rules are run costliest first, so that two threads taking them in turn end close
/// together), and which fields of the cards its verdict depends on: an edit to other
/// fields leaves it as it was (unless a finding it lists names an edited card, whose
/// title the finding quotes). Stages, lanes, themes and flows are read by every rule that
/// needs them; an edit to those rescores everything.
pub(super) struct Rule {
    pub meta: &'static Meta,
    pub check: Check,
    pub cost: u8,
    pub reads: Fields,
}

/// Whether cards face the guest, and whether the guest is there in body: marked by
/// `CardFacts::update` when an edit changed them for some card.
const FACING: Fields = Fields::FACING_FACT;
const PHYSICAL: Fields = Fields::PHYSICAL_FACT;

/// Every rule, in report order.
pub(super) const RULES: [Rule; 10] = [
    Rule {
        meta: &alignment::META,
        check: Check::Cards(alignment::check),
        cost: 2,
        reads: FACING.or(Fields::THEMES),
    },
    Rule {
        meta: &continuity::META,
        check: Check::Cards(continuity::check),
        cost: 4,
        reads: Fields::STAGE.or(Fields::LANE).or(Fields::THEMES),
    },
    Rule {
        meta: &tone::META,
        check: Check::Cards(tone::check),
        cost: 9,
        reads: FACING
            .or(Fields::LANE)
            .or(Fields::THEMES)
            .or(Fields::EMOTION)
            .or(Fields::FLAGS)
            .or(Fields::CLASHES_FACT),
    },
    Rule {
        meta: &moments::META,
        check: Check::Flows(moments::check),
        cost: 2,
        reads: Fields::STAGE,
    },
    Rule {
        meta: &cues::META,
        check: Check::Cards(cues::check),
        cost: 5,
        reads: FACING.or(Fields::CUES).or(Fields::EMOTION),
    },
    Rule {
        meta: &arc::META,
        check: Check::Flows(arc::check),
        cost: 6,
        reads: arc::KEPT_READS.or(Fields::STAGE),
    },
    Rule {
        meta: &senses::META,
        check: Check::Cards(senses::check),
        cost: 6,
        reads: FACING
            .or(PHYSICAL)
            .or(Fields::SENSES)
            .or(Fields::STAGE)
            .or(Fields::LANE),
    },
    Rule {
        meta: &memorabilia::META,
        check: Check::Cards(memorabilia::check),
        cost: 1,
        reads: FACING.or(Fields::STAGE).or(Fields::FLAGS),
    },
    Rule {
        meta: &handoffs::META,
        check: Check::Flows(handoffs::check),
        cost: 4,
        reads: Fields::DEPARTMENT.or(Fields::THEMES),
    },
    Rule {
        meta: &top_tasks::META,
        check: Check::Cards(top_tasks::check),
        cost: 3,
        reads: Fields::TOP_TASK,
    },
];

/// What rules keep of their own between runs (the arc's journeys, see `arc::Journey`),
/// held by the scorer and lent to a rule run again (`CardFacts::reusing`). Each part goes
/// when an edit changes a field it was worked out from; the scorer starts afresh when
/// flows, stages, lanes or the lists change.
#[derive(Clone, Debug, Default)]
pub(crate) struct Memos {
    pub(super) arc: arc::Journeys,
}

impl Memos {
    /// Drops what an edit to `fields` of some cards leaves stale (a card's id too: the
    /// flows it ends are found again).
    pub(crate) fn forget(&mut self, fields: Fields) {
        if fields.meets(arc::KEPT_READS.or(Fields::ID)) {
            self.arc = arc::Journeys::default();
        }
    }
}

/// Positions in [`RULES`] of the rules that read only the cards, the costliest first.
pub(super) fn card_rules_by_cost() -> Vec<usize> {
    let mut order: Vec<usize> = (0..RULES.len())
        .filter(|&i| matches!(RULES[i].check, Check::Cards(_)))
        .collect();
    order.sort_by_key(|&i| std::cmp::Reverse(RULES[i].cost));
    order
}

/// What a rule is, apart from its verdict.
pub(super) struct Meta {
    pub id: &'static str,
    pub title: &'static str,
    pub rationale: &'static str,
    /// The rule's cap: the most points it can take off the total on its own.
    pub weight: u32,
}

impl Meta {
    /// The verdict from the rule's penalty in points (clamped to `0..=weight`), or `None`
    /// when the rule does not apply. The rule's score is the share of its cap it keeps.
    pub fn result(&self, penalty: Option<f64>, findings: Vec<Finding>) -> RuleResult {
        let cap = f64::from(self.weight);
        let penalty = penalty.map(|p| if p.is_nan() { cap } else { p.clamp(0.0, cap) });
        RuleResult {
            id: self.id,
            title: self.title,
            rationale: self.rationale,
            weight: self.weight,
            score: penalty.map(|p| super::percent(1.0 - p / cap)),
            penalty: penalty.unwrap_or(0.0),
            lost: 0,
            findings,
            run: super::Run::next(),
        }
    }
}

/// Findings listed per rule at most; the rest are counted in one summary finding. Scores
/// always count every element; the cap keeps reports of huge canvases small and fast.
pub const MAX_FINDINGS_PER_RULE: usize = 1_000;

/// A rule's findings as they are found: built only while under the cap, counted after.
/// With a cap of 0 none is built: a total worked out for a candidate fix needs only the
/// penalties, which rules count apart from their findings.
pub(crate) struct Findings<'k> {
    list: Vec<Finding>,
    unlisted: usize,
    cap: usize,
    /// The findings of the rule's last run that may be given again as they are, by key
    /// (see [`Findings::push_keyed`]).
    kept: Option<&'k Kept>,
    /// Put before each message made (the persona a journey's findings are about).
    prefix: Option<String>,
}

/// A rule's findings from its last run, by key, for [`Findings::push_keyed`] to reuse.
pub(crate) type Kept = std::cell::RefCell<crate::IdMap<Key, Finding>>;

impl<'k> Findings<'k> {
    /// Findings listed up to [`MAX_FINDINGS_PER_RULE`], or (`listed` false) only counted;
    /// those under a key in `kept` are taken from there rather than made again.
    pub(crate) fn new(listed: bool, kept: Option<&'k Kept>) -> Self {
        Findings {
            list: Vec::new(),
            unlisted: 0,
            cap: if listed { MAX_FINDINGS_PER_RULE } else { 0 },
            kept,
            prefix: None,
        }
    }

    /// Starts every message made from now on with `prefix`.
    pub fn prefix(&mut self, prefix: String) {
        self.prefix = Some(prefix);
    }

    /// Adds the finding `make` builds, or only counts it once the cap is reached.
    pub fn push(&mut self, make: impl FnOnce() -> Finding) {
        self.push_keyed(NO_KEY, make);
    }

    /// As [`Findings::push`], for a finding that `key` says all of apart from the titles
    /// of the cards it names: the one under the same key in the rule's last run is given
    /// again rather than made (its message written, its names quoted). The caller keeps
    /// out of `kept` the findings naming a card whose title changed.
    pub fn push_keyed(&mut self, key: Key, make: impl FnOnce() -> Finding) {
        if self.list.len() >= self.cap {
            self.unlisted += 1;
            return;
        }
        let kept = (key != NO_KEY)
            .then(|| self.kept.and_then(|k| k.borrow_mut().remove(&key)))
            .flatten();
        let finding = kept.unwrap_or_else(|| {
            let mut made = make();
            if let Some(prefix) = &self.prefix {
                made.message.insert_str(0, prefix);
            }
            made.key = key;
            made
        });
        self.list.push(finding);
    }

    /// The listed findings, with a summary of the unlisted ones at the end.
    pub fn finish(mut self) -> Vec<Finding> {
        if self.unlisted > 0 && self.cap > 0 {
            let mut more = finding(
                Severity::Info,
                format!(
                    "… and {} more findings of this rule, not listed (the score counts them all)",
                    self.unlisted
                ),
                vec![],
                "Fix the ones listed first; they come in document order.",
            );
            if let Some(prefix) = &self.prefix {
                more.message.insert_str(0, prefix);
            }
            self.list.push(more);
        }
        self.list
    }
}

/// What a finding says apart from the titles it quotes: which of the rule's findings it
/// is (a number of the rule's own, never 0), then the cards, personas and values it is
/// about. Findings without one are made on every run.
pub(crate) type Key = [u32; 4];
pub(crate) const NO_KEY: Key = [0; 4];

/// A key part from a card, flow or persona index, or from an emotion.
pub(crate) fn part(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
pub(crate) fn emotion_part(e: i8) -> u32 {
    u32::from(e.cast_unsigned())
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
        note: 0,
        key: NO_KEY,
    }
}
