//! What every rule needs to know about a document, computed once per `score` call.
//!
//! The model's lookups (`Document::stage_index` and friends) are linear scans; calling them
//! per touchpoint would make scoring quadratic. Here ids are resolved once into plain
//! indices: stages, lanes and themes through hash maps ([`IdMap`]: seeded, so a file cannot
//! be crafted for its ids to collide), flow ends through `id_index::IdIndex`, a table built for the
//! 400,000 lookups of a 100,000-card canvas. [`Cards`] needs no flow and [`Flows`] no
//! card data but ids, so the two can be built on two threads; [`Context`] joins them for
//! the rules that follow flows.

use super::Target;
use super::id_index::IdIndex;
use super::lexicon::{Hit, Lang};
use crate::IdMap;
use crate::edit::Fields;
use crate::model::{Actor, ChannelKind, Document, Flags, Touchpoint};
use std::cell::RefCell;
use std::sync::OnceLock;

mod flows;
mod splice;
mod tail;
mod tally;

pub(crate) use tally::Tally;

/// A flow whose two ends exist: indices into `doc.flows` and `doc.touchpoints`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Link {
    pub flow: usize,
    pub from: usize,
    pub to: usize,
}

/// What is known of each card on its own: everything but the flows, kept between scores
/// and updated card by card as cards are edited (see [`CardFacts::update`]). Most rules
/// need only this, so they can run while the flows are still being resolved on another
/// thread.
pub(crate) struct CardFacts {
    /// Stage index of each touchpoint; `None` when its stage does not exist.
    pub stage_of: Vec<Option<usize>>,
    /// Lane index of each touchpoint; `None` when its lane does not exist.
    pub lane_of: Vec<Option<usize>>,
    /// Whether the guest lives this card: the guest on a channel that is not backstage. The
    /// guest is the customer; in a journey with no customer card in front of the stage (an
    /// employee's onboarding, say), it is the employee.
    pub facing: Vec<bool>,
    /// Whether the guest is present in body: a card on a physical channel, or on a human
    /// one that is not remote (a counter, not a phone call or a chat: see
    /// [`super::lexicon::Lexicon::is_remote`], read in the card's title and notes; a lane
    /// such as "Staff & phone" holds both, so its name does not decide).
    pub physical: Vec<bool>,
    /// Each card's department and themes in 8 bytes, for the hand-off rule, which looks
    /// both up for the two ends of every flow, at random.
    pub desk: Vec<Desk>,
    /// Each card's emotion and flags, copied out of the (large) touchpoints so that rules
    /// passing over every card several times read a few bytes per card, not a cache line.
    pub emotion: Vec<i8>,
    pub flags: Vec<Flags>,
    /// The senses each card engages, bit i for `Sense::ALL[i]`.
    pub senses: Vec<u8>,
    /// With personas, the emotion each card leaves each persona with, [`OUTSIDE`] where
    /// the card is not part of that persona's journey: persona after persona, `n` cards
    /// each, so that the arc rule reads one persona's journey as a slice of bytes rather
    /// than the cards' lists and maps (see [`CardFacts::journey_of`]). Empty without
    /// personas.
    persona_emotion: Vec<i8>,
    /// The words of each card's title, notes and cues that clash with some tone, in order
    /// (see `rules::tone`), worked out the first time the tone rule needs them and kept
    /// until the card changes.
    pub clashes: Vec<OnceLock<Clashes>>,
    /// The language of each card's texts, worked out when the tone rule first needs it.
    pub language: Vec<OnceLock<Option<Lang>>>,
    theme_start: Vec<u32>,
    theme_list: Vec<u32>,
    /// Whether each card faces the guest if the guest is the customer, or if it is the
    /// employee; and how many face a customer (none: the guest is the employee).
    customer: Vec<bool>,
    employee: Vec<bool>,
    customers: usize,
    /// Ids resolved to indices, and departments to numbers.
    stage_ix: IdMap<String, usize>,
    lane_ix: IdMap<String, usize>,
    theme_ix: IdMap<String, u32>,
    departments: Departments,
    /// Cards counted per stage, lane and theme.
    pub tally: Tally,
}

/// In [`CardFacts::journey_of`], a card that is not part of the journey (no emotion is
/// this low: files and edits keep emotions from −2 to +2).
pub(crate) const OUTSIDE: i8 = i8::MIN;

/// The words of a card's texts that clash with some tone (lower-cased), in order.
pub(crate) type Clashes = Box<[(String, Hit)]>;

/// The words of `texts` that clash with some tone, lower-cased, in order.
pub(crate) fn clashes_of<'t>(texts: impl Iterator<Item = &'t str>) -> Clashes {
    let mut all = Vec::new();
    for text in texts {
        super::lexicon::LEXICON.clashes(text, |word, hit| all.push((word.to_lowercase(), hit)));
    }
    all.into_boxed_slice()
}

/// The facts of a document's cards, read through the document they were worked out from.
/// Dereferences to [`CardFacts`].
pub(crate) struct Cards<'a> {
    pub doc: &'a Document,
    facts: &'a CardFacts,
    /// Whether rules write their findings, or only count them (see [`Cards::findings`]).
    listed: bool,
    /// The findings of the rule about to run, from its last run, to give again.
    kept: Option<&'a super::rules::Kept>,
    /// What rules keep between runs, when the caller keeps it.
    memos: Option<&'a RefCell<super::rules::Memos>>,
}

impl<'a> Cards<'a> {
    /// A rule's findings, to fill: listed, or only counted when the caller wants the
    /// penalties alone.
    pub(crate) fn findings(&self) -> super::rules::Findings<'a> {
        super::rules::Findings::new(self.listed, self.kept)
    }

    /// What rules keep between runs: `None` when nothing is kept (a first or full score,
    /// or a candidate fix's totals).
    pub(crate) fn memos(&self) -> Option<&'a RefCell<super::rules::Memos>> {
        self.memos
    }
}

impl std::ops::Deref for Cards<'_> {
    type Target = CardFacts;

    fn deref(&self) -> &CardFacts {
        self.facts
    }
}

/// Department names as small numbers, equal when the names are equal (trimmed, ignoring
/// ASCII case). Exact name -> number, then lower-cased name -> number for names not seen
/// before: cards mostly repeat a handful of departments, so the second map is rarely hit.
#[derive(Default)]
struct Departments {
    exact: IdMap<String, u32>,
    folded: IdMap<String, u32>,
}

impl Departments {
    fn number(&mut self, department: &str) -> u32 {
        let name = trim(department);
        if name.is_empty() {
            return NO_DEPARTMENT;
        }
        if let Some(&d) = self.exact.get(name) {
            return d;
        }
        let next = idx(self.folded.len());
        let d = *self.folded.entry(name.to_ascii_lowercase()).or_insert(next);
        self.exact.insert(name.to_owned(), d);
        d
    }
}

/// One card's facts, as [`CardFacts`] stores them (its themes go to a list of their own).
struct Fact {
    stage: Option<usize>,
    lane: Option<usize>,
    customer: bool,
    employee: bool,
    physical: bool,
    desk: Desk,
}

/// A card's department and themes, packed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Desk {
    /// The department as a small number (equal when the names are equal, trimmed and
    /// ignoring ASCII case); `NO_DEPARTMENT` when blank.
    pub department: u32,
    /// Bit `t % 32` for each theme `t` the card carries: two cards with no bit in common
    /// share no theme, and with 32 themes or fewer, a bit in common is a theme in common.
    themes: u32,
}

/// The flows between cards, resolved to indices.
pub(crate) struct Flows {
    /// Flows with both ends resolved, in document order; self-loops are dropped.
    links: Vec<Link>,
    /// Number of resolved flows touching each card (in or out).
    degree: Vec<u32>,
    succ_start: Vec<u32>,
    succ_list: Vec<u32>,
    /// The cards' ids, for finding a card named by a finding without a pass over them all.
    ids: IdIndex,
}

/// Cards and flows together, for the rules that follow flows. Dereferences to [`Cards`].
pub(crate) struct Context<'a, 'c> {
    cards: &'c Cards<'a>,
    /// Flows with both ends resolved, in document order; self-loops are dropped.
    pub links: &'c [Link],
    /// Number of resolved flows touching each card (in or out).
    pub degree: &'c [u32],
    flows: &'c Flows,
}

/// The senses card `tp` engages, bit i for `Sense::ALL[i]`.
fn sense_bits(tp: &crate::model::Touchpoint) -> u8 {
    tp.senses.iter().fold(0u8, |m, s| m | 1 << *s as u8)
}

/// The department number of a card with no department.
pub(crate) const NO_DEPARTMENT: u32 = u32::MAX;

/// Converts a count that is known to fit (canvas sizes are far below 4 billion).
pub(crate) fn idx(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl CardFacts {
    pub fn new(doc: &Document) -> Self {
        let n = doc.touchpoints.len();
        let mut facts = CardFacts {
            persona_emotion: vec![OUTSIDE; n * doc.personas.len()],
            stage_ix: doc
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.0.clone(), i))
                .collect(),
            lane_ix: doc
                .lanes
                .iter()
                .enumerate()
                .map(|(i, l)| (l.id.0.clone(), i))
                .collect(),
            theme_ix: doc
                .themes
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id.0.clone(), idx(i)))
                .collect(),
            ..Self::with_room(n, n * 2)
        };
        for tp in &doc.touchpoints {
            facts.push(doc, tp);
        }
        for i in 0..n {
            facts.persona_emotions(doc, i);
        }
        facts.theme_start.push(idx(facts.theme_list.len()));
        facts.face(doc);
        facts
    }

    /// Facts of no card and no id, with room for `n` cards and `themes` theme entries.
    fn with_room(n: usize, themes: usize) -> Self {
        CardFacts {
            stage_of: Vec::with_capacity(n),
            lane_of: Vec::with_capacity(n),
            facing: Vec::new(),
            physical: Vec::with_capacity(n),
            desk: Vec::with_capacity(n),
            emotion: Vec::with_capacity(n),
            flags: Vec::with_capacity(n),
            senses: Vec::with_capacity(n),
            persona_emotion: Vec::new(),
            clashes: Vec::with_capacity(n),
            language: Vec::with_capacity(n),
            theme_start: Vec::with_capacity(n + 1),
            theme_list: Vec::with_capacity(themes),
            customer: Vec::with_capacity(n),
            employee: Vec::with_capacity(n),
            customers: 0,
            stage_ix: IdMap::default(),
            lane_ix: IdMap::default(),
            theme_ix: IdMap::default(),
            departments: Departments::default(),
            tally: Tally::default(),
        }
    }

    /// Adds card `tp`'s facts after the others' (its persona emotions excepted; the
    /// theme list's end is pushed when all are in).
    fn push(&mut self, doc: &Document, tp: &Touchpoint) {
        self.theme_start.push(idx(self.theme_list.len()));
        let mut themes = std::mem::take(&mut self.theme_list);
        let fact = self.fact(doc, tp, &mut themes);
        self.theme_list = themes;
        self.stage_of.push(fact.stage);
        self.lane_of.push(fact.lane);
        self.customer.push(fact.customer);
        self.employee.push(fact.employee);
        self.customers += usize::from(fact.customer);
        self.physical.push(fact.physical);
        self.desk.push(fact.desk);
        self.emotion.push(tp.emotion);
        self.flags.push(tp.flags);
        self.senses.push(sense_bits(tp));
        self.clashes.push(OnceLock::new());
        self.language.push(OnceLock::new());
    }

    /// Works out card `tp`'s facts, appending its themes (indices, without repeats) to
    /// `themes`.
    fn fact(&mut self, doc: &Document, tp: &Touchpoint, themes: &mut Vec<u32>) -> Fact {
        let stage = self.stage_ix.get(tp.stage.as_str()).copied();
        let lane = self.lane_ix.get(tp.lane.as_str()).copied();
        // The lane is the channel; the card's own kind can only add to it, so a card
        // marked backstage or physical is treated as such even in another lane.
        let lane_kind = lane.map(|l| doc.lanes[l].kind);
        let backstage =
            tp.kind == ChannelKind::Backstage || lane_kind == Some(ChannelKind::Backstage);
        let place = tp.kind == ChannelKind::Physical || lane_kind == Some(ChannelKind::Physical);
        let person = tp.kind == ChannelKind::Human || lane_kind == Some(ChannelKind::Human);
        let physical = !backstage
            && (place
                || (person
                    && !super::lexicon::LEXICON.is_remote(&tp.title)
                    && !super::lexicon::LEXICON.is_remote(&tp.notes)));
        let from = themes.len();
        let mut bits = 0u32;
        for th in &tp.themes {
            if let Some(&t) = self.theme_ix.get(th.as_str()) {
                // A theme listed twice on a card counts once.
                if !themes[from..].contains(&t) {
                    themes.push(t);
                    bits |= 1 << (t % 32);
                }
            }
        }
        Fact {
            stage,
            lane,
            customer: !backstage && tp.actor == Actor::Customer,
            employee: !backstage && tp.actor == Actor::Employee,
            physical,
            desk: Desk {
                department: self.departments.number(&tp.department),
                themes: bits,
            },
        }
    }

    /// Who faces the guest, card by card: the customer's cards, or with no customer in
    /// front of the stage, the employee's (the journey is theirs: their emotions, senses
    /// and souvenirs are what the rules read).
    fn facing_all(&self) -> Vec<bool> {
        if self.customers > 0 {
            self.customer.clone()
        } else {
            self.employee.clone()
        }
    }

    /// Works out who faces the guest for every card, and counts every card again.
    fn face(&mut self, doc: &Document) {
        self.facing = self.facing_all();
        self.tally = Tally::of(self, doc);
    }

    /// Follows edits to the cards at `touched` (indices; each replaced in place, same id,
    /// same place in the list): the facts become those [`CardFacts::new`] gives for `doc`
    /// (department numbers may differ; only their equality counts).
    /// Gives the facts that changed as [`Fields`] bits (`FACING_FACT`, `PHYSICAL_FACT`,
    /// `CLASHES_FACT`).
    pub fn update(&mut self, doc: &Document, touched: &[usize]) -> Fields {
        let had_customers = self.customers > 0;
        let mut changed = Fields::default();
        // Counted out with their facts before the edit, in with those after.
        let mut counted: Vec<usize> = touched
            .iter()
            .copied()
            .filter(|&i| i < self.len())
            .collect();
        counted.sort_unstable();
        counted.dedup();
        let mut tally = std::mem::take(&mut self.tally);
        for &i in &counted {
            tally.count(self, i, false);
        }
        let mut relisted: Vec<(usize, Vec<u32>)> = Vec::new();
        let mut themes = Vec::new();
        for &i in touched {
            let Some(tp) = doc.touchpoints.get(i) else {
                continue;
            };
            themes.clear();
            let fact = self.fact(doc, tp, &mut themes);
            if fact.physical != self.physical[i] {
                changed |= Fields::PHYSICAL_FACT;
            }
            if fact.customer != self.customer[i] || fact.employee != self.employee[i] {
                changed |= Fields::FACING_FACT;
            }
            if self.refresh_texts(doc, i) {
                changed |= Fields::CLASHES_FACT;
            }
            self.stage_of[i] = fact.stage;
            self.lane_of[i] = fact.lane;
            self.customers =
                self.customers + usize::from(fact.customer) - usize::from(self.customer[i]);
            self.customer[i] = fact.customer;
            self.employee[i] = fact.employee;
            self.physical[i] = fact.physical;
            self.desk[i] = fact.desk;
            self.emotion[i] = tp.emotion;
            self.flags[i] = tp.flags;
            self.senses[i] = sense_bits(tp);
            self.persona_emotions(doc, i);
            let (a, b) = (
                self.theme_start[i] as usize,
                self.theme_start[i + 1] as usize,
            );
            if b - a == themes.len() {
                self.theme_list[a..b].copy_from_slice(&themes);
            } else {
                relisted.push((i, themes.clone()));
            }
        }
        if !relisted.is_empty() {
            self.relist(relisted);
        }
        if had_customers == (self.customers > 0) {
            let n = self.facing.len();
            for &i in touched.iter().filter(|&&i| i < n) {
                self.facing[i] = if had_customers {
                    self.customer[i]
                } else {
                    self.employee[i]
                };
            }
            for &i in &counted {
                tally.count(self, i, true);
            }
            self.tally = tally;
        } else {
            self.face(doc);
        }
        changed
    }

    /// Works out card `i`'s emotion for each persona.
    fn persona_emotions(&mut self, doc: &Document, i: usize) {
        let (n, tp) = (self.emotion.len(), &doc.touchpoints[i]);
        for (k, persona) in doc.personas.iter().enumerate() {
            if let Some(slot) = self.persona_emotion.get_mut(k * n + i) {
                *slot = if tp.concerns(&persona.id) {
                    tp.emotion_for(&persona.id)
                } else {
                    OUTSIDE
                };
            }
        }
    }

    /// The guest's journey as the arc rule reads it: each card's emotion, or [`OUTSIDE`]
    /// for a card not in it; the cards' own emotions (`persona` none), or those they
    /// leave persona `persona` (an index into the document's personas) with.
    pub fn journey_of(&self, persona: Option<usize>) -> &[i8] {
        let n = self.emotion.len();
        match persona {
            None => &self.emotion,
            Some(k) => self
                .persona_emotion
                .get(k * n..(k + 1) * n)
                .unwrap_or_default(),
        }
    }

    /// Works out again the words of card `i`'s texts that clash with a tone, and their
    /// language, where the tone rule had worked them out (for a card it never read, no
    /// tone on its themes, they wait until it does); whether they changed.
    fn refresh_texts(&mut self, doc: &Document, i: usize) -> bool {
        let tp = &doc.touchpoints[i];
        let texts = || {
            std::iter::once(tp.title.as_str())
                .chain(std::iter::once(tp.notes.as_str()))
                .chain(tp.cues.iter().map(|c| c.text.as_str()))
        };
        let mut changed = false;
        if let Some(before) = self.clashes[i].take() {
            let now = clashes_of(texts());
            changed |= now != before;
            let _ = self.clashes[i].set(now);
        }
        if let Some(before) = self.language[i].take() {
            let now = super::lexicon::detect(texts());
            changed |= now != before;
            let _ = self.language[i].set(now);
        }
        changed
    }

    /// Rebuilds the theme lists with new lists for some cards (ascending by card).
    fn relist(&mut self, mut new: Vec<(usize, Vec<u32>)>) {
        new.sort_by_key(|(i, _)| *i);
        let n = self.theme_start.len() - 1;
        let mut start = Vec::with_capacity(n + 1);
        let mut list = Vec::with_capacity(self.theme_list.len() + 8);
        let mut next = new.into_iter().peekable();
        for i in 0..n {
            start.push(idx(list.len()));
            match next.next_if(|(j, _)| *j == i) {
                Some((_, themes)) => list.extend(themes),
                None => list.extend_from_slice(self.themes_of(i)),
            }
        }
        start.push(idx(list.len()));
        self.theme_start = start;
        self.theme_list = list;
    }

    /// Number of touchpoints.
    pub fn len(&self) -> usize {
        self.stage_of.len()
    }

    /// The facts read through `doc`.
    pub fn of<'a>(&'a self, doc: &'a Document) -> Cards<'a> {
        Cards {
            doc,
            facts: self,
            listed: true,
            kept: None,
            memos: None,
        }
    }

    /// As [`CardFacts::of`], for rules that count their findings without writing them.
    pub fn counting<'a>(&'a self, doc: &'a Document) -> Cards<'a> {
        Cards {
            doc,
            facts: self,
            listed: false,
            kept: None,
            memos: None,
        }
    }

    /// As [`CardFacts::of`], for a rule run again: its findings under a key in `kept` are
    /// given again rather than made, and what it keeps between runs is in `memos`.
    pub fn reusing<'a>(
        &'a self,
        doc: &'a Document,
        kept: &'a super::rules::Kept,
        memos: &'a RefCell<super::rules::Memos>,
    ) -> Cards<'a> {
        Cards {
            doc,
            facts: self,
            listed: true,
            kept: Some(kept),
            memos: Some(memos),
        }
    }

    /// Indices (into `doc.themes`) of the existing themes a card carries, without repeats.
    pub fn themes_of(&self, tp: usize) -> &[u32] {
        &self.theme_list[self.theme_start[tp] as usize..self.theme_start[tp + 1] as usize]
    }
}

impl<'a> Cards<'a> {
    /// Whether two cards carry at least one theme in common.
    pub fn share_theme(&self, a: usize, b: usize) -> bool {
        if self.desk[a].themes & self.desk[b].themes == 0 {
            return false;
        }
        if self.doc.themes.len() <= 32 {
            return true;
        }
        let tb = self.themes_of(b);
        self.themes_of(a).iter().any(|t| tb.contains(t))
    }

    /// The card's title, quoted and shortened for a message.
    pub fn card(&self, tp: usize) -> String {
        super::names::quote(&self.doc.touchpoints[tp].title)
    }

    pub fn card_target(&self, tp: usize) -> Target {
        Target::Touchpoint(self.doc.touchpoints[tp].id.clone())
    }

    pub fn stage_target(&self, stage: usize) -> Target {
        Target::Stage(self.doc.stages[stage].id.clone())
    }

    pub fn lane_target(&self, lane: usize) -> Target {
        Target::Lane(self.doc.lanes[lane].id.clone())
    }

    pub fn theme_target(&self, theme: usize) -> Target {
        Target::Theme(self.doc.themes[theme].id.clone())
    }

    pub fn flow_target(&self, flow: usize) -> Target {
        Target::Flow(self.doc.flows[flow].id.clone())
    }
}

impl<'a, 'c> Context<'a, 'c> {
    pub fn new(cards: &'c Cards<'a>, flows: &'c Flows) -> Self {
        Self {
            cards,
            links: &flows.links,
            degree: &flows.degree,
            flows,
        }
    }

    /// Cards a flow leads to from this card.
    pub fn successors(&self, tp: usize) -> impl Iterator<Item = usize> + '_ {
        let f = self.flows;
        f.succ_list[f.succ_start[tp] as usize..f.succ_start[tp + 1] as usize]
            .iter()
            .map(|&s| s as usize)
    }
}

impl<'a> std::ops::Deref for Context<'a, '_> {
    type Target = Cards<'a>;

    fn deref(&self) -> &Cards<'a> {
        self.cards
    }
}

/// `s.trim()`, skipping the search when the first and last bytes are visible ASCII (the
/// usual case, and `trim` showed in profiles of 100,000 cards).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_fast_path_agrees_with_trim() {
        for s in [
            "",
            " ",
            "Sales",
            " Sales",
            "Sales\t",
            "a",
            "\u{a0}Ops\u{a0}",
            "x y",
            "é",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }
}
