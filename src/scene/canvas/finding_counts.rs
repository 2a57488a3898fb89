//! How many findings name each card, as the cards' markers show them, kept rule by rule so
//! that a rescore counts again only the rules it ran again.

use crate::model::TouchpointId;
use crate::scoring::{Report, RuleResult, Run, Target};
// Keys are ids of this document (see `IdMap`).
use crate::IdMap as HashMap;

/// Findings naming each card, by id: over all rules, and per rule with the run counted.
#[derive(Clone, Debug, Default)]
pub(super) struct FindingCounts {
    total: HashMap<TouchpointId, u32>,
    rules: Vec<(Run, HashMap<TouchpointId, u32>)>,
}

impl FindingCounts {
    /// The counts of `report`'s findings (none without a report).
    pub fn of(report: Option<&Report>) -> Self {
        let mut counts = Self::default();
        counts.follow(report);
        counts
    }

    /// The findings naming card `id`.
    pub fn get(&self, id: &TouchpointId) -> u32 {
        self.total.get(id).copied().unwrap_or(0)
    }

    /// Counts again the rules of `report` run since the last count (all of them when the
    /// rules are not the same list); gives the cards whose count changed.
    pub fn follow(&mut self, report: Option<&Report>) -> Vec<TouchpointId> {
        let rules = report.map_or(&[][..], |r| &r.rules[..]);
        if rules.len() != self.rules.len() {
            let old = std::mem::take(&mut self.total);
            self.rules = rules.iter().map(|r| (r.run, count(r))).collect();
            for (_, counts) in &self.rules {
                for (id, n) in counts {
                    add(&mut self.total, id, *n);
                }
            }
            return differ(&old, &self.total);
        }
        // Each card's count after the rules run again, less its count before.
        let mut deltas: HashMap<TouchpointId, i64> = HashMap::default();
        for (rule, (run, counts)) in rules.iter().zip(&mut self.rules) {
            if rule.run.same(*run) {
                continue;
            }
            let now = count(rule);
            for id in differ(counts, &now) {
                let before = counts.get(&id).copied().unwrap_or(0);
                let after = now.get(&id).copied().unwrap_or(0);
                *deltas.entry(id).or_default() += i64::from(after) - i64::from(before);
            }
            *run = rule.run;
            *counts = now;
        }
        let mut changed: Vec<TouchpointId> = Vec::new();
        for (id, delta) in deltas.into_iter().filter(|(_, d)| *d != 0) {
            let total = self.total.entry(id.clone()).or_default();
            *total = u32::try_from(i64::from(*total) + delta).unwrap_or(0);
            if *total == 0 {
                self.total.remove(&id);
            }
            changed.push(id);
        }
        changed
    }
}

/// How many of the rule's findings name each card.
fn count(rule: &RuleResult) -> HashMap<TouchpointId, u32> {
    let mut counts = HashMap::default();
    for f in &rule.findings {
        for t in &f.targets {
            if let Target::Touchpoint(id) = t {
                add(&mut counts, id, 1);
            }
        }
    }
    counts
}

fn add(counts: &mut HashMap<TouchpointId, u32>, id: &TouchpointId, n: u32) {
    // The id is copied once per card, not once per finding naming it.
    match counts.get_mut(id) {
        Some(c) => *c += n,
        None => {
            counts.insert(id.clone(), n);
        }
    }
}

/// The ids whose counts differ between `old` and `new`.
fn differ(old: &HashMap<TouchpointId, u32>, new: &HashMap<TouchpointId, u32>) -> Vec<TouchpointId> {
    let changed = old.iter().filter(|(id, n)| new.get(*id) != Some(n));
    let added = new.iter().filter(|(id, _)| !old.contains_key(*id));
    changed.chain(added).map(|(id, _)| id.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Changed, Fields};
    use crate::scoring::Scorer;
    use crate::synth::{SynthSpec, canvas};

    /// Following a rescore counts what a fresh count does, and names exactly the cards
    /// whose count changed; a rule not run again is not counted again.
    #[test]
    fn following_a_rescore_counts_what_a_fresh_count_does() {
        let mut doc = canvas(&SynthSpec::new(300, 5));
        let mut scorer = Scorer::default();
        let mut counts = FindingCounts::of(Some(scorer.score(&doc, &Changed::everything())));
        for i in (0..doc.touchpoints.len()).step_by(11) {
            doc.touchpoints[i].emotion = if doc.touchpoints[i].emotion < 0 {
                2
            } else {
                -2
            };
            let report = scorer.score(&doc, &Changed::cards(vec![i], Fields::EMOTION));
            let fresh = FindingCounts::of(Some(report));
            let before: Vec<u32> = doc.touchpoints.iter().map(|t| counts.get(&t.id)).collect();
            let mut changed = counts.follow(Some(report));
            changed.sort_unstable();
            let mut expected: Vec<TouchpointId> = doc
                .touchpoints
                .iter()
                .zip(before)
                .filter(|(t, n)| fresh.get(&t.id) != *n)
                .map(|(t, _)| t.id.clone())
                .collect();
            expected.sort_unstable();
            assert_eq!(changed, expected, "card {i}");
            for t in &doc.touchpoints {
                assert_eq!(counts.get(&t.id), fresh.get(&t.id), "card {i}");
            }
        }
        // Nothing run again: nothing counted again, nothing changed.
        let report = scorer.report().clone();
        assert!(counts.follow(Some(&report)).is_empty());
    }
}
