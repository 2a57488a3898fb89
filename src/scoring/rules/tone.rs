//! Consistent tone: a theme's message, tone, look and style should fit everywhere.
//!
//! Three checks, all from the model:
//! 1. **Words that clash with the tone.** A theme's tone keywords ("warm", "rapide",
//!    "szybki"...) are looked up in the lexicon (`scoring::lexicon`: English, French and
//!    Polish, case and accents ignored, stems for inflected forms) for words that
//!    contradict them ("cold", "froid", "zimne"...). A card carrying the theme whose title,
//!    notes or cues use such a word, in the card's own language, speaks against the theme.
//! 2. **The theme feels different per channel.** For each theme, the mean emotion of its
//!    customer-facing cards is taken per channel (lane); a spread of 2 points or more
//!    (say +1.5 on the web, -0.5 on the phone) means the theme does not sound the same
//!    everywhere.
//! 3. **The theme swings inside a channel.** Its cards in one lane going from +2 to -1 (a
//!    spread of 3 or more) average out to "consistent" in check 2 but are not. A card
//!    marked a pain point is not counted as the low end: the team knows, and the arc
//!    weighs it.
//!
//! Penalty = 60 × clashing cards / themed cards + 6 per uneven theme + 4 per swing, at most
//! 30. Not applicable when no card carries a theme.

use super::{Meta, finding};
use crate::scoring::context::{Cards, clashes_of};
use crate::scoring::lexicon::{Hit, LEXICON, detect};
use crate::scoring::names::quote;
use crate::scoring::{RuleResult, Severity};
use rustc_hash::FxHashMap;

pub(super) const META: Meta = Meta {
    id: "consistent_tone",
    title: "Consistent tone",
    rationale: "Message, tone, look and style must fit everywhere a theme plays, in every channel.",
    weight: 30,
};

/// Spread of mean emotion between a theme's channels from which it counts as uneven.
pub(crate) const CHANNEL_SPREAD: f64 = 2.0;
/// Spread of emotion between a theme's cards inside one channel from which it swings.
pub(crate) const SWING_SPREAD: i8 = 3;
/// Penalty for clashing cards as their share of themed cards tends to one.
pub(crate) const CLASH_SCALE: f64 = 60.0;
/// Points per uneven theme, and per channel a theme swings in.
pub(crate) const PER_UNEVEN: f64 = 6.0;
pub(crate) const PER_SWING: f64 = 4.0;

/// Per theme and lane: the emotions of the theme's customer-facing cards there.
#[derive(Clone, Copy)]
struct Cell {
    sum: i64,
    count: u32,
    low: (i8, u32),
    high: (i8, u32),
}

impl Default for Cell {
    fn default() -> Self {
        Self {
            sum: 0,
            count: 0,
            low: (i8::MAX, 0),
            high: (i8::MIN, 0),
        }
    }
}

pub(super) fn check(cx: &Cards) -> RuleResult {
    let doc = cx.doc;
    let lexicon = &*LEXICON;
    // Per theme, the lexicon groups its tone names, and the keyword that named each.
    let mut theme_groups = vec![0u32; doc.themes.len()];
    let mut keyword_of: FxHashMap<(u32, u8), String> = FxHashMap::default();
    for (t, theme) in doc.themes.iter().enumerate() {
        for keyword in &theme.tone {
            let groups = lexicon.tone_groups(keyword);
            theme_groups[t] |= groups;
            for g in 0..32u8 {
                if groups & (1 << g) != 0 {
                    keyword_of
                        .entry((idx(t), g))
                        .or_insert_with(|| keyword.trim().to_owned());
                }
            }
        }
    }

    let mut findings = cx.findings();
    let (mut themed, mut clashing) = (0usize, 0usize);
    let themes = doc.themes.len();
    let lanes = doc.lanes.len();
    let mut cells = vec![Cell::default(); themes * lanes];
    let mut seen: Vec<u32> = Vec::new();
    // Words of this card that clash with a group one of its themes speaks in.
    let mut candidates: Vec<&(String, Hit)> = Vec::new();
    for tp in 0..cx.len() {
        let carried = cx.themes_of(tp);
        if carried.is_empty() {
            continue;
        }
        themed += 1;
        let card = &doc.touchpoints[tp];
        if cx.facing[tp]
            && let Some(l) = cx.lane_of[tp]
        {
            let e = card.emotion;
            // A marked pain point is the arc's business, not an off-key card.
            let low = if cx.flags[tp].pain_point { i8::MAX } else { e };
            for &t in carried {
                let cell = &mut cells[t as usize * lanes + l];
                cell.sum += i64::from(e);
                cell.count += 1;
                if low < cell.low.0 {
                    cell.low = (low, idx(tp));
                }
                if e > cell.high.0 {
                    cell.high = (e, idx(tp));
                }
            }
        }
        let groups = carried
            .iter()
            .fold(0u32, |m, &t| m | theme_groups[t as usize]);
        if groups == 0 {
            continue;
        }
        let texts = || {
            std::iter::once(card.title.as_str())
                .chain(std::iter::once(card.notes.as_str()))
                .chain(card.cues.iter().map(|c| c.text.as_str()))
        };
        // Every clashing word of the card's texts, kept with the card's facts until the
        // card changes: reading the texts is most of this rule's cost.
        let clashes = cx.clashes[tp].get_or_init(|| clashes_of(texts()));
        candidates.clear();
        candidates.extend(
            clashes
                .iter()
                .filter(|(_, hit)| groups & (1 << hit.group) != 0),
        );
        if candidates.is_empty() {
            continue;
        }
        // Only now, for the few cards with a candidate: the card's own language, so that a
        // stem of one language does not catch a word of another.
        let lang = *cx.language[tp].get_or_init(|| detect(texts()));
        seen.clear();
        for &(word, hit) in &candidates {
            if lang.is_some_and(|l| hit.langs & l.bit() == 0) {
                continue;
            }
            for &t in carried {
                if theme_groups[t as usize] & (1 << hit.group) == 0 || seen.contains(&t) {
                    continue;
                }
                seen.push(t);
                let theme = &doc.themes[t as usize];
                let keyword = keyword_of.get(&(t, hit.group)).map_or("", String::as_str);
                findings.push(|| finding(
                    Severity::Warning,
                    format!(
                        "{} says “{word}”, which clashes with the “{keyword}” tone of theme {}",
                        cx.card(tp),
                        quote(&theme.name)
                    ),
                    vec![cx.card_target(tp), cx.theme_target(t as usize)],
                    format!(
                        "Rewrite it in the theme's voice ({}), or take the theme off this card if it does not belong.",
                        theme.tone.join(", ")
                    ),
                ));
            }
        }
        if !seen.is_empty() {
            clashing += 1;
        }
    }
    if themed == 0 {
        return META.result(None, vec![]);
    }

    let (mut uneven, mut swings) = (0u32, 0u32);
    for t in 0..themes {
        let row = &cells[t * lanes..(t + 1) * lanes];
        let mean = |c: &Cell| c.sum as f64 / f64::from(c.count);
        let mut lo: Option<(usize, f64)> = None;
        let mut hi: Option<(usize, f64)> = None;
        for (l, cell) in row.iter().enumerate() {
            if cell.count == 0 {
                continue;
            }
            let m = mean(cell);
            if lo.is_none_or(|(_, v)| m < v) {
                lo = Some((l, m));
            }
            if hi.is_none_or(|(_, v)| m > v) {
                hi = Some((l, m));
            }
            // Inside the channel: a theme that goes from delight to distress there.
            if cell.low.0 != i8::MAX && cell.high.0.saturating_sub(cell.low.0) >= SWING_SPREAD {
                swings += 1;
                findings.push(|| finding(
                    Severity::Warning,
                    format!(
                        "Theme {} swings from {:+} ({}) to {:+} ({}) within channel {}",
                        quote(&doc.themes[t].name),
                        cell.high.0,
                        cx.card(cell.high.1 as usize),
                        cell.low.0,
                        cx.card(cell.low.1 as usize),
                        quote(&doc.lanes[l].name)
                    ),
                    vec![
                        cx.theme_target(t),
                        cx.lane_target(l),
                        cx.card_target(cell.low.1 as usize),
                        cx.card_target(cell.high.1 as usize),
                    ],
                    "Bring the low card up to the theme's intent: one channel should not feel like two brands.",
                ));
            }
        }
        if let (Some((ll, lv)), Some((hl, hv))) = (lo, hi)
            && hv - lv >= CHANNEL_SPREAD
        {
            uneven += 1;
            findings.push(|| finding(
                Severity::Warning,
                format!(
                    "Theme {} feels {hv:+.1} in {} but {lv:+.1} in {}",
                    quote(&doc.themes[t].name),
                    quote(&doc.lanes[hl].name),
                    quote(&doc.lanes[ll].name)
                ),
                vec![cx.theme_target(t), cx.lane_target(ll), cx.lane_target(hl)],
                "Bring the weaker channel up to the theme's intent, so guests feel the same piece whichever channel they use.",
            ));
        }
    }
    let penalty = CLASH_SCALE * clashing as f64 / themed as f64
        + PER_UNEVEN * f64::from(uneven)
        + PER_SWING * f64::from(swings);
    META.result(Some(penalty), findings.finish())
}

fn idx(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
