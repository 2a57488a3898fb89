//! The coherence engine: a [`Document`] in, a [`Report`] out. No egui.
//!
//! The score answers the Orchestrator's question, *do all the touchpoints play one
//! piece?*, as a total out of 100 built from named rules (one per file in `rules/`). Each
//! rule scores 0..=100 or says it does not apply; the total is the weighted mean of the
//! rules that apply. Every finding names the elements it concerns and says what to change.
//! `docs/SCORING.md` documents each rule's formula, thresholds and weight.
//!
//! Implementation notes: `score` resolves the document once into [`context::Cards`] (each
//! card's stage, lane, themes, department, flags as indices) and [`context::Flows`] (flow
//! ends as card indices, degrees, successors), and every rule reads those, so scoring is
//! linear in the size of the canvas; no rule calls the model's linear `*_index` lookups.
//! From 2,000 cards the two are built on two threads, and the rules are shared between
//! them (see `score_parallel`). Findings come in document order within each rule, rules in
//! a fixed order whichever thread ran them, so the same document always gives the same
//! report.

mod context;
mod fixes;
mod id_index;
mod lexicon;
mod names;
mod notes;
/// Names in messages: in typographic quotes, once (the UI quotes names the same way).
pub use names::quote;
mod rules;
#[cfg(test)]
mod tests;
mod text;

pub use fixes::{Edit, Fix, MAX_CANDIDATES, fixes};
pub use rules::MAX_FINDINGS_PER_RULE;
pub use text::render_text;

use crate::edit::{Changed, Fields};
use crate::model::{Document, FlowId, LaneId, StageId, ThemeId, TouchpointId};
use context::CardFacts;
use serde::Serialize;

/// The coherence of one document: a total and one entry per rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Weighted mean of the applicable rules' scores, 0..=100 (0 for an empty canvas).
    #[serde(rename = "score")]
    pub total: u8,
    pub rules: Vec<RuleResult>,
}

/// One rule's verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleResult {
    /// Stable identifier (`theme_alignment`), for files, tests and the UI.
    pub id: &'static str,
    /// Short human title ("Theme alignment").
    pub title: &'static str,
    /// One line saying why the rule matters.
    pub rationale: &'static str,
    /// The most this rule can take off the total on its own, in points out of 100 (its
    /// cap): a rule at 0 multiplies the total by `1 − weight / 100`.
    pub weight: u32,
    /// 0..=100, or `None` when the rule does not apply to this canvas:
    /// `100 × (1 − penalty / weight)`, rounded.
    pub score: Option<u8>,
    /// The rule's penalty in points out of 100, `0..=weight`, before compounding: the
    /// total is `100 × Π(1 − penaltyᵢ / 100)`. 0 when the rule does not apply.
    pub penalty: f64,
    /// Points of the total this rule costs, after compounding: the total's shortfall from
    /// 100 shared among the rules in proportion to `−ln(1 − penaltyᵢ / 100)`, rounded so
    /// that the rules' `lost` add up to exactly `100 − total`.
    pub lost: u8,
    pub findings: Vec<Finding>,
    /// Which run of the rule wrote these findings: a follower (the canvas's count of
    /// findings per card) counts again only the rules whose run changed.
    #[serde(skip)]
    pub run: Run,
}

/// A number no other rule run has had in this process. Two results are equal whatever
/// their runs: a rule run twice on the same canvas gives the same verdict.
#[derive(Clone, Copy, Debug)]
pub struct Run(u64);

impl Run {
    fn next() -> Self {
        static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Run(RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }

    /// Whether the two are the same run (their findings are the same).
    pub fn same(self, other: Run) -> bool {
        self.0 == other.0
    }
}

impl PartialEq for Run {
    fn eq(&self, _: &Run) -> bool {
        true
    }
}

/// Something a rule noticed, with the elements it concerns and what to do about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub message: String,
    pub severity: Severity,
    pub targets: Vec<Target>,
    pub fix: String,
    /// How many bytes at the end of `message` are the note on assumed cards, so that
    /// noting the finding again (a card's evidence changed) replaces it.
    #[serde(skip)]
    pub(crate) note: usize,
    /// What the finding says apart from the titles it quotes, when its rule gave it one,
    /// so that the rule's next run can give it again rather than write it.
    #[serde(skip)]
    pub(crate) key: rules::Key,
}

/// How much a finding matters; ordered from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Problem,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Problem => "problem",
        }
    }
}

/// An element of the canvas a finding points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Target {
    Touchpoint(TouchpointId),
    Stage(StageId),
    Lane(LaneId),
    Theme(ThemeId),
    Flow(FlowId),
}

impl Report {
    /// Findings, across all rules, that point at the given touchpoint.
    pub fn findings_for_touchpoint<'a>(
        &'a self,
        id: &TouchpointId,
    ) -> impl Iterator<Item = &'a Finding> + use<'a> {
        // Owned, so callers may pass a temporary id.
        let id = id.clone();
        self.rules
            .iter()
            .flat_map(|r| r.findings.iter())
            .filter(move |f| {
                f.targets
                    .iter()
                    .any(|t| matches!(t, Target::Touchpoint(tp) if *tp == id))
            })
    }

    /// The `n` findings that matter most: by severity, then by the weight of their rule,
    /// then in report order (stable, so the list does not jump around between edits).
    pub fn top_findings(&self, n: usize) -> Vec<(&RuleResult, &Finding)> {
        let mut all: Vec<(usize, usize, &RuleResult, &Finding)> = self
            .rules
            .iter()
            .enumerate()
            .flat_map(|(ri, r)| {
                r.findings
                    .iter()
                    .enumerate()
                    .map(move |(fi, f)| (ri, fi, r, f))
            })
            .collect();
        all.sort_by(|a, b| {
            b.3.severity
                .cmp(&a.3.severity)
                .then(b.2.weight.cmp(&a.2.weight))
                .then(a.0.cmp(&b.0))
                .then(a.1.cmp(&b.1))
        });
        all.into_iter().take(n).map(|(_, _, r, f)| (r, f)).collect()
    }

    /// The result of the rule with this id, if there is one.
    pub fn rule(&self, id: &str) -> Option<&RuleResult> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Scores a document. Never panics, even on a document that fails `model::validate`
/// (dangling references are skipped), so the editor can score while the user types.
///
/// Canvases of [`PARALLEL_FROM`] cards or more are scored on two threads when the machine
/// has two cores; the report is the same either way (each rule's result depends only on
/// the document, and results are placed in the fixed rule order).
pub fn score(doc: &Document) -> Report {
    let (rules, (_, flows)) = run_rules(doc, None, None);
    report(doc, rules, flows.as_ref())
}

/// The report of the rules' verdicts: notes on assumed cards (`flows`, when at hand, finds
/// the cards findings name by id), the total, and the points each rule took off.
fn report(doc: &Document, mut rules: Vec<RuleResult>, flows: Option<&context::Flows>) -> Report {
    let all: Vec<usize> = (0..rules.len()).collect();
    notes::note_assumed(doc, &mut rules, &all, flows);
    let total = total(&rules);
    apportion(&mut rules, total);
    Report { total, rules }
}

/// What a score resolved afresh: the card facts and the flows, when they were not given.
type Fresh = (Option<CardFacts>, Option<context::Flows>);

/// All rules, with the card facts and the flows resolved already (`Some`) or resolved
/// here (and returned).
fn run_rules(
    doc: &Document,
    facts: Option<&CardFacts>,
    flows: Option<&context::Flows>,
) -> (Vec<RuleResult>, Fresh) {
    if doc.touchpoints.len() >= PARALLEL_FROM && crate::two_cores() {
        // Without a thread to be had (the system refuses one), one thread does it all.
        if let Some(done) = score_parallel(doc, facts, flows) {
            return done;
        }
    }
    score_sequential(doc, facts, flows)
}

/// Scores a document again and again while it is edited, keeping between calls what is
/// known of each card ([`CardFacts`]: its stage, lane, themes, department, the words of
/// its texts that clash with a tone), the flows resolved to card indices, and each rule's
/// verdict: an edit works out again only the cards it touched, resolves the flows again
/// only when the cards' ids or order or the flows changed, and runs again only the rules
/// that read a field it changed (or that list a finding naming an edited card). Reports
/// are the same as [`score`]'s.
///
/// The caller passes what changed since the last call (`Editor::change_log`); the first
/// call, or one after a change to everything, resolves it all.
pub struct Scorer {
    facts: Option<CardFacts>,
    flows: Option<context::Flows>,
    /// The last report; each rule's verdict in it is kept for the next call (its notes on
    /// assumed cards are replaced when noted again).
    report: Report,
    /// Whether the report is a first full score's or follows one.
    scored: bool,
    /// What rules keep between runs.
    memos: rules::Memos,
}

impl Default for Scorer {
    fn default() -> Self {
        Self {
            facts: None,
            flows: None,
            report: Report {
                total: 0,
                rules: Vec::new(),
            },
            scored: false,
            memos: rules::Memos::default(),
        }
    }
}

impl Scorer {
    /// Scores `doc` after `changed` (what changed since the last call).
    pub fn score(&mut self, doc: &Document, changed: &Changed) -> &Report {
        let n = doc.touchpoints.len();
        let mut all = changed.everything || !changed.flows.is_empty();
        let mut fields = changed.fields;
        if let (Some(tail), Some(facts), true) = (changed.tail, &mut self.facts, self.scored) {
            // Cards or flows added or removed at the ends: the facts of the other cards are
            // kept (the words of their texts above all); the flows are resolved again and
            // every rule runs again, below.
            facts.follow_tail(doc, tail.cards_from);
            facts.update(doc, &changed.cards);
            self.flows = None;
        } else if let (Some(splice), Some(facts), true) =
            (&changed.splice, &mut self.facts, self.scored)
            && splice.cards.fits(facts.len(), n)
        {
            // Cards removed or inserted inside the list: likewise, the kept cards' facts
            // move to their new places.
            facts.follow_splice(doc, &splice.cards.map(facts.len()));
            facts.update(doc, &changed.cards);
            self.flows = None;
        } else if changed.everything || self.facts.as_ref().is_none_or(|f| f.len() != n) {
            self.facts = None;
            self.flows = None;
            all = true;
        } else if let Some(facts) = &mut self.facts {
            fields |= facts.update(doc, &changed.cards);
        }
        if !changed.flows.is_empty() {
            self.flows = None;
        }
        if let (Some(facts), Some(flows), false, true) =
            (&self.facts, &self.flows, all, self.scored)
            && self.report.rules.len() == rules::RULES.len()
        {
            let rules = &mut self.report.rules;
            self.memos.forget(fields);
            let rerun = rescore(
                doc,
                (facts, flows),
                (&changed.cards, fields),
                rules,
                &mut self.memos,
            );
            // Only the rules run again get their notes on assumed cards anew (unless a
            // card's evidence changed, which may change any rule's notes).
            let renote: Vec<usize> = if fields.meets(Fields::EVIDENCE) {
                (0..rules.len()).collect()
            } else {
                rerun
            };
            if !renote.is_empty() {
                notes::note_assumed(doc, rules, &renote, Some(flows));
                self.report.total = total(&self.report.rules);
                apportion(&mut self.report.rules, self.report.total);
            }
            return &self.report;
        }
        self.memos = rules::Memos::default();
        let (rules, (facts, flows)) = run_rules(doc, self.facts.as_ref(), self.flows.as_ref());
        if facts.is_some() {
            self.facts = facts;
        }
        if flows.is_some() {
            self.flows = flows;
        }
        self.report = report(doc, rules, self.flows.as_ref());
        self.scored = true;
        &self.report
    }

    /// The last report.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The exact and the shown total of `doc` after `changed` (cards edited in place
    /// since the last call), without a report: the rules that read what changed run again
    /// counting their findings rather than writing them, and only the card facts are kept
    /// ([`Scorer::forget`] takes them back). What ranking a candidate fix needs. `None`
    /// before a first score, or for a change this cannot follow (cards or flows added or
    /// removed).
    pub(crate) fn totals_after(&mut self, doc: &Document, changed: &Changed) -> Option<(f64, u8)> {
        let (Some(facts), Some(flows), true) = (&mut self.facts, &self.flows, self.scored) else {
            return None;
        };
        let results = &self.report.rules;
        if changed.everything
            || !changed.flows.is_empty()
            || facts.len() != doc.touchpoints.len()
            || results.len() != rules::RULES.len()
        {
            return None;
        }
        let fields = changed.fields | facts.update(doc, &changed.cards);
        let stale = stale_rules(doc, &changed.cards, fields, results);
        let cards = facts.counting(doc);
        let parts =
            rules::RULES
                .iter()
                .zip(results.iter())
                .zip(stale)
                .map(|((rule, kept), stale)| {
                    if stale {
                        let now = run(rule, &cards, flows);
                        (now.score.is_some(), now.penalty)
                    } else {
                        (kept.score.is_some(), kept.penalty)
                    }
                });
        let exact = compound(parts);
        Some((
            exact.unwrap_or(0.0),
            exact.map_or(0, |t| percent(t / 100.0)),
        ))
    }

    /// Follows cards taken back to what they were at the last [`Scorer::score`], after
    /// [`Scorer::totals_after`].
    pub(crate) fn forget(&mut self, doc: &Document, cards: &[usize]) {
        if let Some(facts) = &mut self.facts {
            facts.update(doc, cards);
        }
    }
}

/// The language the canvas is written in (`"en"`, `"fr"`, `"pl"`): the one most of its
/// texts (its title, and each card's title with its notes) are detected in, `None` when
/// none stands out. Each text votes once, so that a card quoting a dish's Polish name does
/// not outweigh the English of the rest. Exports name it (a PDF's `/Lang`) so that screen
/// readers read the journey in its own language.
pub fn language(doc: &Document) -> Option<&'static str> {
    let mut votes = [0usize; lexicon::Lang::ALL.len()];
    let cards = doc
        .touchpoints
        .iter()
        .map(|t| lexicon::detect([t.title.as_str(), t.notes.as_str()].into_iter()));
    for lang in std::iter::once(lexicon::detect(std::iter::once(doc.title.as_str())))
        .chain(cards)
        .flatten()
    {
        votes[lang as usize] += 1;
    }
    let best = votes.iter().copied().max().unwrap_or(0);
    if best == 0 || votes.iter().filter(|&&v| v == best).count() > 1 {
        return None;
    }
    lexicon::Lang::ALL
        .into_iter()
        .find(|l| votes[*l as usize] == best)
        .map(lexicon::Lang::tag)
}

/// Runs again the rules that read one of `fields` (what the edit of the cards at `edited`
/// changed) or that list a finding quoting the title of an edited card; the others keep
/// their verdicts. A rule run again gives again, rather than writes, those of its
/// findings that are the same as before (see `rules::Findings::push_keyed`). Gives the
/// positions of the rules run again. What rules keep between runs is in `memos`.
fn rescore(
    doc: &Document,
    (facts, flows): (&CardFacts, &context::Flows),
    (edited, fields): (&[usize], Fields),
    results: &mut [RuleResult],
    memos: &mut rules::Memos,
) -> Vec<usize> {
    let stale = stale_rules(doc, edited, fields, results);
    let retitled = retitled(doc, edited, fields);
    let lent = std::cell::RefCell::new(std::mem::take(memos));
    let mut rerun = Vec::new();
    for (i, (rule, result)) in rules::RULES.iter().zip(results.iter_mut()).enumerate() {
        if stale[i] {
            let kept: rules::Kept = std::cell::RefCell::new(
                std::mem::take(&mut result.findings)
                    .into_iter()
                    .filter(|f| f.key != rules::NO_KEY && !names_any(f, &retitled))
                    .map(|f| (f.key, f))
                    .collect(),
            );
            *result = run(rule, &facts.reusing(doc, &kept, &lent), flows);
            rerun.push(i);
        }
    }
    *memos = lent.into_inner();
    rerun
}

/// The ids of the cards at `edited` when the edit changed their titles (`fields`), which
/// findings naming them quote.
fn retitled<'d>(doc: &'d Document, edited: &[usize], fields: Fields) -> Vec<&'d TouchpointId> {
    if !fields.meets(Fields::TITLE) {
        return Vec::new();
    }
    edited
        .iter()
        .filter_map(|&i| doc.touchpoints.get(i).map(|t| &t.id))
        .collect()
}

/// Whether a finding names one of the cards `ids`.
fn names_any(f: &Finding, ids: &[&TouchpointId]) -> bool {
    !ids.is_empty()
        && f.targets.iter().any(|t| match t {
            Target::Touchpoint(id) => ids.contains(&id),
            _ => false,
        })
}

/// Which rules' verdicts an edit to the cards at `edited` (changing `fields`) leaves
/// stale, in rule order: a rule reading one of those fields, or listing a finding that
/// quotes the title of an edited card whose title changed.
fn stale_rules(
    doc: &Document,
    edited: &[usize],
    fields: Fields,
    results: &[RuleResult],
) -> Vec<bool> {
    let retitled = retitled(doc, edited, fields);
    rules::RULES
        .iter()
        .zip(results)
        .map(|(rule, result)| {
            rule.reads.meets(fields) || result.findings.iter().any(|f| names_any(f, &retitled))
        })
        .collect()
}

/// Cards from which scoring uses a second thread: below, a thread costs more than it saves
/// (a 1,000-card canvas scores in well under a millisecond).
pub const PARALLEL_FROM: usize = 2_000;

fn run(rule: &rules::Rule, cards: &context::Cards, flows: &context::Flows) -> RuleResult {
    let result = match rule.check {
        rules::Check::Cards(f) => f(cards),
        rules::Check::Flows(f) => f(&context::Context::new(cards, flows)),
    };
    debug_assert_eq!(result.id, rule.meta.id, "a rule reports under its own id");
    result
}

fn score_sequential(
    doc: &Document,
    facts: Option<&CardFacts>,
    flows: Option<&context::Flows>,
) -> (Vec<RuleResult>, Fresh) {
    let fresh_facts = facts.is_none().then(|| CardFacts::new(doc));
    let fresh_flows = flows.is_none().then(|| context::Flows::new(doc));
    let (Some(facts), Some(flows)) = (
        facts.or(fresh_facts.as_ref()),
        flows.or(fresh_flows.as_ref()),
    ) else {
        return (Vec::new(), (None, None));
    };
    let cards = facts.of(doc);
    let results = rules::RULES
        .iter()
        .map(|rule| run(rule, &cards, flows))
        .collect();
    (results, (fresh_facts, fresh_flows))
}

/// Two threads: this one resolves the cards (unless `facts` has them) and starts on the
/// card-only rules (tone, the costliest, first); the other resolves the flows (unless
/// `flows` has them), runs the flow rules, then takes card-only rules from the same queue
/// until none is left. Returns what it resolved. `None` when the helper thread cannot be
/// started.
fn score_parallel(
    doc: &Document,
    facts: Option<&CardFacts>,
    flows: Option<&context::Flows>,
) -> Option<(Vec<RuleResult>, Fresh)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let facts_cell: std::sync::OnceLock<CardFacts> = std::sync::OnceLock::new();
    let order = rules::card_rules_by_cost();
    let next = AtomicUsize::new(0);
    let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<()>(1);
    // Takes the next card-only rule from the queue and runs it.
    let take = |cards: &context::Cards| -> Option<(usize, RuleResult)> {
        let i = *order.get(next.fetch_add(1, Ordering::Relaxed))?;
        match rules::RULES[i].check {
            rules::Check::Cards(f) => Some((i, f(cards))),
            // The queue lists only card rules; a flow rule would need the flows.
            rules::Check::Flows(_) => None,
        }
    };
    let (mine, theirs) = std::thread::scope(|s| {
        // Owned here, so that if this thread panics before sending, unwinding drops the
        // sender and the helper stops waiting (the scope would otherwise wait forever).
        let ready_tx = ready_tx;
        let (facts_cell, take) = (&facts_cell, &take);
        let helper = std::thread::Builder::new().name("scoring".to_owned());
        let helper = helper.spawn_scoped(s, move || {
            let fresh = flows.is_none().then(|| context::Flows::new(doc));
            let mut done = Vec::new();
            // The cards are resolved on the other thread; an error means it panicked, and
            // the scope passes that panic on.
            if ready_rx.recv().is_err() {
                return (done, fresh);
            }
            let (Some(facts), Some(flows)) = (facts.or(facts_cell.get()), flows.or(fresh.as_ref()))
            else {
                return (done, fresh);
            };
            let cards = facts.of(doc);
            for (i, rule) in rules::RULES.iter().enumerate() {
                if let rules::Check::Flows(f) = rule.check {
                    done.push((i, f(&context::Context::new(&cards, flows))));
                }
            }
            while let Some(r) = take(&cards) {
                done.push(r);
            }
            (done, fresh)
        });
        let helper = helper.ok()?;
        let facts = facts.unwrap_or_else(|| facts_cell.get_or_init(|| CardFacts::new(doc)));
        // The helper waits for this; the send fails only if the helper has panicked.
        let _ = ready_tx.send(());
        let cards = facts.of(doc);
        let mut done = Vec::new();
        while let Some(r) = take(&cards) {
            done.push(r);
        }
        let theirs = helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Some((done, theirs))
    })?;
    let (theirs, fresh_flows) = theirs;
    let mut slots: Vec<Option<RuleResult>> = vec![None; rules::RULES.len()];
    for (i, r) in mine.into_iter().chain(theirs) {
        slots[i] = Some(r);
    }
    let results = slots.into_iter().flatten().collect();
    Some((results, (facts_cell.into_inner(), fresh_flows)))
}

/// The total before rounding: `100 × Π(1 − penaltyᵢ / 100)` over the rules that apply;
/// `None` when no rule applies (an empty canvas).
pub fn exact_total(rules: &[RuleResult]) -> Option<f64> {
    compound(rules.iter().map(|r| (r.score.is_some(), r.penalty)))
}

/// The compounded total of rules given as (applies, penalty); `None` when none applies.
fn compound(rules: impl Iterator<Item = (bool, f64)>) -> Option<f64> {
    let mut any = false;
    let mut kept = 1.0;
    for (_, penalty) in rules.filter(|r| r.0) {
        any = true;
        kept *= 1.0 - (penalty / 100.0).clamp(0.0, 1.0);
    }
    any.then_some(100.0 * kept)
}

/// The compounded total, rounded; 0 when no rule applies.
fn total(rules: &[RuleResult]) -> u8 {
    exact_total(rules).map_or(0, |t| percent(t / 100.0))
}

/// Shares the shortfall `100 − total` among the rules in proportion to each one's
/// `−ln(1 − penalty / 100)` (the only split under which the order of the factors does not
/// matter), rounded by largest remainder so the shares add up exactly.
fn apportion(rules: &mut [RuleResult], total: u8) {
    for r in rules.iter_mut() {
        r.lost = 0;
    }
    if rules.iter().all(|r| r.score.is_none()) {
        return;
    }
    let shortfall = u32::from(100 - total.min(100));
    let logs: Vec<f64> = rules
        .iter()
        .map(|r| {
            if r.score.is_none() {
                0.0
            } else {
                -(1.0 - (r.penalty / 100.0).clamp(0.0, 0.999_999)).ln()
            }
        })
        .collect();
    let sum: f64 = logs.iter().sum();
    if shortfall == 0 || sum <= 0.0 {
        return;
    }
    let shares: Vec<f64> = logs
        .iter()
        .map(|l| f64::from(shortfall) * l / sum)
        .collect();
    // Whole points first, then one more to the largest remainders.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut whole: Vec<u32> = shares.iter().map(|s| s.floor() as u32).collect();
    let mut left = shortfall.saturating_sub(whole.iter().sum());
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = shares[a] - shares[a].floor();
        let rb = shares[b] - shares[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        if logs[i] > 0.0 {
            whole[i] += 1;
            left -= 1;
        }
    }
    for (r, w) in rules.iter_mut().zip(whole) {
        r.lost = u8::try_from(w).unwrap_or(100);
    }
}

/// A score from a fraction in 0..=1, rounded; out-of-range input is clamped.
pub(crate) fn percent(fraction: f64) -> u8 {
    if fraction.is_nan() {
        return 0;
    }
    // Clamped to 0..=100 first, so the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let p = (fraction.clamp(0.0, 1.0) * 100.0).round() as u8;
    p
}
