//! Counts of cards per stage, lane and theme, kept with the card facts and followed card
//! by card: the rules that ask which stages and channels a theme reaches, which stages the
//! guest lives and where the souvenirs are read a table of the grid's size rather than
//! every card (on a big canvas, a card moved otherwise had those rules go over every card
//! again). Tables are dense: files hold at most 1,000 stages, lanes and themes.

use super::CardFacts;
use crate::model::Document;

/// The counts, over the cards whose stage (and, for the cells and themes, lane) exist.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Tally {
    stages: usize,
    lanes: usize,
    /// Cards in each cell (`l * stages + s`).
    cell: Vec<u32>,
    /// Of those, the cards carrying each theme, per stage (`t * stages + s`) and per lane
    /// (`t * lanes + l`).
    theme_stage: Vec<u32>,
    theme_lane: Vec<u32>,
    /// Cards facing the guest in each stage, and those of them marked memorabilia; and
    /// facing memorabilia whose stage does not exist.
    facing: Vec<u32>,
    souvenirs: Vec<u32>,
    souvenirs_elsewhere: u32,
}

impl Tally {
    /// The counts of every card of `facts` (worked out for `doc`).
    pub(super) fn of(facts: &CardFacts, doc: &Document) -> Self {
        let (stages, lanes, themes) = (doc.stages.len(), doc.lanes.len(), doc.themes.len());
        let mut tally = Tally {
            stages,
            lanes,
            cell: vec![0; stages * lanes],
            theme_stage: vec![0; themes * stages],
            theme_lane: vec![0; themes * lanes],
            facing: vec![0; stages],
            souvenirs: vec![0; stages],
            souvenirs_elsewhere: 0,
        };
        for i in 0..facts.len() {
            tally.count(facts, i, true);
        }
        tally
    }

    /// Counts card `i` of `facts` in (`add`) or out: a card edited is counted out with
    /// its facts before the edit, and in with those after.
    pub(super) fn count(&mut self, facts: &CardFacts, i: usize, add: bool) {
        let step = |c: &mut u32| *c = if add { *c + 1 } else { c.saturating_sub(1) };
        let (stage, lane) = (facts.stage_of[i], facts.lane_of[i]);
        if let (Some(s), Some(l)) = (stage, lane) {
            step(&mut self.cell[l * self.stages + s]);
            for &t in facts.themes_of(i) {
                step(&mut self.theme_stage[t as usize * self.stages + s]);
                step(&mut self.theme_lane[t as usize * self.lanes + l]);
            }
        }
        if facts.facing[i] {
            let souvenir = facts.flags[i].memorabilia;
            match stage {
                Some(s) => {
                    step(&mut self.facing[s]);
                    if souvenir {
                        step(&mut self.souvenirs[s]);
                    }
                }
                None if souvenir => step(&mut self.souvenirs_elsewhere),
                None => {}
            }
        }
    }

    /// Whether stage `s` holds a card in some lane.
    pub fn stage_has_cards(&self, s: usize) -> bool {
        (0..self.lanes).any(|l| self.cell[l * self.stages + s] > 0)
    }

    /// Whether lane `l` holds a card in some stage of `stages`.
    pub fn lane_has_cards(&self, l: usize, stages: std::ops::RangeInclusive<usize>) -> bool {
        let row = l * self.stages;
        self.cell[row + stages.start()..=row + stages.end()]
            .iter()
            .any(|&c| c > 0)
    }

    /// Whether a card in stage `s` (in some lane) carries theme `t`.
    pub fn theme_in_stage(&self, t: usize, s: usize) -> bool {
        self.theme_stage[t * self.stages + s] > 0
    }

    /// Whether a card in lane `l` (in some stage) carries theme `t`.
    pub fn theme_in_lane(&self, t: usize, l: usize) -> bool {
        self.theme_lane[t * self.lanes + l] > 0
    }

    /// Whether a card in stage `s` faces the guest.
    pub fn faced(&self, s: usize) -> bool {
        self.facing[s] > 0
    }

    /// Whether a card facing the guest in stage `s` is marked memorabilia.
    pub fn souvenir_in(&self, s: usize) -> bool {
        self.souvenirs[s] > 0
    }

    /// Whether any card facing the guest is marked memorabilia.
    pub fn any_souvenir(&self) -> bool {
        self.souvenirs_elsewhere > 0 || self.souvenirs.iter().any(|&c| c > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::CardFacts;
    use crate::model::{Actor, ChannelKind};
    use crate::synth::{SynthSpec, canvas};

    /// Cards moved, re-themed, flagged and turned around one by one, the counts followed
    /// edit by edit equal those of facts worked out afresh; and so when the last customer
    /// card leaves the front and the guest becomes the employee.
    #[test]
    fn counts_followed_card_by_card_equal_fresh_counts() {
        let mut doc = canvas(&SynthSpec::new(300, 4));
        let mut facts = CardFacts::new(&doc);
        let mut seed = 11_u64;
        let mut next = |m: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            usize::try_from(seed >> 33).unwrap_or(0) % m
        };
        for step in 0..600 {
            let i = next(doc.touchpoints.len());
            let (stages, lanes, themes) = (doc.stages.len(), doc.lanes.len(), doc.themes.len());
            let tp = &mut doc.touchpoints[i];
            match next(6) {
                0 => tp.stage = doc.stages[next(stages)].id.clone(),
                1 => tp.lane = doc.lanes[next(lanes)].id.clone(),
                2 => tp.themes = vec![doc.themes[next(themes)].id.clone()],
                3 => tp.flags.memorabilia = !tp.flags.memorabilia,
                4 => tp.kind = [ChannelKind::Physical, ChannelKind::Backstage][next(2)],
                _ => tp.stage = crate::model::StageId::from("gone"),
            }
            facts.update(&doc, &[i, i]);
            assert_eq!(facts.tally, CardFacts::new(&doc).tally, "step {step}");
        }
        for i in 0..doc.touchpoints.len() {
            doc.touchpoints[i].actor = Actor::Employee;
            facts.update(&doc, &[i]);
        }
        assert_eq!(
            facts.tally,
            CardFacts::new(&doc).tally,
            "the guest is the employee"
        );
    }

    /// Cards removed from the end of the list and put back (as undoing and redoing cards
    /// added does) are counted out and in again.
    #[test]
    fn counts_follow_cards_removed_and_added_at_the_end() {
        let doc = canvas(&SynthSpec::new(120, 5));
        let mut facts = CardFacts::new(&doc);
        let mut fewer = doc.clone();
        for cut in [119, 100, 60] {
            fewer.touchpoints.truncate(cut);
            facts.follow_tail(&fewer, cut);
            assert_eq!(facts.tally, CardFacts::new(&fewer).tally, "{cut} cards");
        }
        facts.follow_tail(&doc, 60);
        assert_eq!(facts.tally, CardFacts::new(&doc).tally, "all back");
    }
}
