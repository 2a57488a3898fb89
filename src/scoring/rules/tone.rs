//! Consistent tone: a theme's message, tone, look and style should fit everywhere.
//!
//! Two checks, both from the model:
//! 1. **Words that clash with the tone.** A theme's tone keywords ("warm", "calm",
//!    "premium"...) are looked up in a small lexicon of words that contradict them
//!    ("cold", "rushed", "discount"...). A card carrying the theme whose title, notes or
//!    cues use such a word speaks against the theme.
//! 2. **The theme feels different per channel.** For each theme, the mean emotion of its
//!    customer-facing cards is taken per channel (lane); a spread of 2 points or more
//!    (say +1.5 on the web, -0.5 on the phone) means the theme does not sound the same
//!    everywhere.
//!
//! Score = 100 − 200 × clashing cards / themed cards − 10 × uneven themes, floored at 0.
//! Not applicable when no card carries a theme.

use super::{Findings, Meta, finding};
use crate::scoring::context::{Cards, quote};
use crate::scoring::{RuleResult, Severity, minus};
use rustc_hash::FxHashMap;

pub(super) const META: Meta = Meta {
    id: "consistent_tone",
    title: "Consistent tone",
    rationale: "Message, tone, look and style must fit everywhere a theme plays, in every channel.",
    weight: 10,
};

/// Tone keywords and words that contradict them. Lower case, single words.
pub(crate) const LEXICON: &[(&[&str], &[&str])] = &[
    (
        &[
            "warm",
            "welcoming",
            "caring",
            "friendly",
            "personal",
            "human",
        ],
        &[
            "cold",
            "impersonal",
            "curt",
            "robotic",
            "automated",
            "generic",
            "rude",
            "hostile",
            "anonymous",
            "bot",
        ],
    ),
    (
        &["playful", "fun", "joyful", "cheerful"],
        &[
            "serious",
            "strict",
            "bureaucratic",
            "boring",
            "dull",
            "tedious",
            "legalese",
        ],
    ),
    (
        &["calm", "relaxed", "serene", "unhurried"],
        &[
            "urgent",
            "hurry",
            "rushed",
            "pushy",
            "stressful",
            "hectic",
            "countdown",
            "noisy",
        ],
    ),
    (
        &["premium", "luxury", "exclusive", "refined", "elegant"],
        &[
            "cheap",
            "discount",
            "bargain",
            "clearance",
            "generic",
            "tacky",
            "shabby",
        ],
    ),
    (
        &["simple", "effortless", "easy", "clear", "seamless"],
        &[
            "complex",
            "complicated",
            "confusing",
            "lengthy",
            "tedious",
            "cumbersome",
            "unclear",
        ],
    ),
    (
        &["transparent", "honest", "open"],
        &["hidden", "surprise", "vague", "misleading", "opaque"],
    ),
    (
        &["reassuring", "trustworthy", "safe", "reliable"],
        &["risky", "uncertain", "unreliable", "worrying", "broken"],
    ),
    (
        &["fast", "quick", "instant", "efficient"],
        &[
            "slow", "wait", "waiting", "queue", "delay", "delayed", "lengthy",
        ],
    ),
    (
        &["sustainable", "green", "eco"],
        &["plastic", "waste", "disposable", "wasteful"],
    ),
    (
        &["authentic", "local", "crafted", "artisanal"],
        &["generic", "mass", "industrial", "fake"],
    ),
];

/// Spread of mean emotion between a theme's channels from which it counts as uneven.
pub(crate) const CHANNEL_SPREAD: f64 = 2.0;

/// Longest word looked up, in bytes; longer words are in no lexicon entry.
const MAX_WORD: usize = 24;

pub(super) fn check(cx: &Cards) -> RuleResult {
    let doc = cx.doc;
    // clash word -> (theme index, the tone keyword it contradicts), for the doc's themes.
    let mut clashes: FxHashMap<&'static str, Vec<(u32, String)>> = FxHashMap::default();
    for (t, theme) in doc.themes.iter().enumerate() {
        for keyword in &theme.tone {
            let keyword = keyword.trim().to_lowercase();
            for (tones, words) in LEXICON {
                if tones.contains(&keyword.as_str()) {
                    for w in *words {
                        let list = clashes.entry(w).or_default();
                        if !list.iter().any(|(x, _)| *x as usize == t) {
                            list.push((u32::try_from(t).unwrap_or(u32::MAX), keyword.clone()));
                        }
                    }
                }
            }
        }
    }

    let filter = WordFilter::new(clashes.keys().copied());
    let mut findings = Findings::default();
    let (mut themed, mut clashing) = (0usize, 0usize);
    let themes = doc.themes.len();
    let lanes = doc.lanes.len();
    // Per (theme, lane): sum of emotions and count of customer-facing cards.
    let mut emotion = vec![(0i64, 0u32); themes * lanes];
    let mut seen = Vec::new();
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
            for &t in carried {
                let cell = &mut emotion[t as usize * lanes + l];
                cell.0 += i64::from(card.emotion);
                cell.1 += 1;
            }
        }
        if clashes.is_empty() {
            continue;
        }
        seen.clear();
        let texts = std::iter::once(card.title.as_str())
            .chain(std::iter::once(card.notes.as_str()))
            .chain(card.cues.iter().map(|c| c.text.as_str()));
        for text in texts {
            for_each_word(text, &filter, |word| {
                let Some(list) = clashes.get(word) else {
                    return;
                };
                for (t, keyword) in list {
                    if carried.contains(t) && !seen.contains(t) {
                        seen.push(*t);
                        let theme = &doc.themes[*t as usize];
                        findings.push(|| finding(
                            Severity::Warning,
                            format!(
                                "{} says “{word}”, which clashes with the “{keyword}” tone of theme {}",
                                cx.card(tp),
                                quote(&theme.name)
                            ),
                            vec![cx.card_target(tp), cx.theme_target(*t as usize)],
                            format!(
                                "Rewrite it in the theme's voice ({}), or take the theme off this card if it does not belong.",
                                theme.tone.join(", ")
                            ),
                        ));
                    }
                }
            });
        }
        if !seen.is_empty() {
            clashing += 1;
        }
    }
    if themed == 0 {
        return META.result(None, vec![]);
    }

    let mut uneven = 0u32;
    for t in 0..themes {
        let cells = &emotion[t * lanes..(t + 1) * lanes];
        let mean = |(sum, count): (i64, u32)| sum as f64 / f64::from(count);
        let mut lo: Option<(usize, f64)> = None;
        let mut hi: Option<(usize, f64)> = None;
        for (l, &cell) in cells.iter().enumerate() {
            if cell.1 == 0 {
                continue;
            }
            let m = mean(cell);
            if lo.is_none_or(|(_, v)| m < v) {
                lo = Some((l, m));
            }
            if hi.is_none_or(|(_, v)| m > v) {
                hi = Some((l, m));
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
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let clash_penalty = (200.0 * clashing as f64 / themed as f64).round() as u32;
    META.result(
        Some(minus(clash_penalty.saturating_add(10 * uneven))),
        findings.finish(),
    )
}

/// The (length, first letter, last letter) triples of the clash words, letters folded to
/// their low five bits (so case does not matter): a word whose triple is absent cannot be
/// one, and is skipped without a hash lookup. This keeps the scan over 100,000 cards cheap.
struct WordFilter([[u32; 32]; MAX_WORD + 1]);

impl WordFilter {
    fn new<'w>(words: impl Iterator<Item = &'w str>) -> Self {
        let mut table = [[0u32; 32]; MAX_WORD + 1];
        for w in words.map(str::as_bytes) {
            if let (Some(&first), Some(&last)) = (w.first(), w.last())
                && w.len() <= MAX_WORD
            {
                table[w.len()][usize::from(first & 31)] |= 1 << (last & 31);
            }
        }
        Self(table)
    }

    /// Whether `word` (1 to `MAX_WORD` bytes) may be a clash word.
    #[inline]
    fn may_contain(&self, word: &[u8]) -> bool {
        match (word.first(), word.last(), self.0.get(word.len())) {
            (Some(&first), Some(&last), Some(row)) => {
                row[usize::from(first & 31)] & (1 << (last & 31)) != 0
            }
            _ => false,
        }
    }
}

/// Calls `f` with each word of `text` that may be in `filter`, in ASCII lower case. Words
/// are runs of letters; a word with a non-ASCII letter ("café") is in no lexicon entry and
/// is skipped whole.
///
/// Letters are found 8 bytes at a time into a 64-bit mask per 64-byte block, and words
/// are read off the mask's runs of ones, so the cost is per word rather than per byte
/// (this scan is most of the tone rule's time on big canvases).
fn for_each_word(text: &str, filter: &WordFilter, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut buf = [0u8; MAX_WORD];
    // Inlined by hand (a closure here was not inlined): called once per word.
    macro_rules! word {
        ($start:expr, $end:expr) => {{
            let word = &bytes[$start..$end];
            if filter.may_contain(word) && word.is_ascii() {
                let lower = &mut buf[..word.len()];
                lower.copy_from_slice(word);
                lower.make_ascii_lowercase();
                // ASCII letters only: always valid UTF-8.
                if let Ok(w) = std::str::from_utf8(lower) {
                    f(w);
                }
            }
        }};
    }
    // Start of the word running into the current block, if any.
    let mut open: Option<usize> = None;
    for (b, block) in bytes.chunks(64).enumerate() {
        let base = b * 64;
        let len = block.len();
        let mut mask = 0u64;
        for c in (0..len).step_by(8) {
            mask |= letter_bits(load8(bytes, base + c, (len - c).min(8))) << c;
        }
        let valid = if len == 64 { u64::MAX } else { (1 << len) - 1 };
        // Bit i: byte i - 1 is a letter (for i = 0, the last byte of the previous block).
        let prev = (mask << 1) | u64::from(open.is_some());
        // Words start where a letter follows a non-letter and end at the first non-letter
        // after; starts and ends pair up in order, which keeps the loop free of
        // unpredictable branches (one iteration per word, not one per transition).
        let mut starts = mask & !prev;
        let mut ends = !mask & prev & valid;
        if let Some(start) = open {
            if ends == 0 {
                // The whole block is letters: the word runs on.
                continue;
            }
            word!(start, base + ends.trailing_zeros() as usize);
            ends &= ends - 1;
            open = None;
        }
        while starts != 0 {
            let start = base + starts.trailing_zeros() as usize;
            starts &= starts - 1;
            if ends == 0 {
                open = Some(start);
                break;
            }
            word!(start, base + ends.trailing_zeros() as usize);
            ends &= ends - 1;
        }
    }
    if let Some(start) = open {
        word!(start, bytes.len());
    }
}

/// The `k` (1 to 8) bytes of `bytes` from `at` in the low bytes of a little-endian word,
/// the rest zero. A short tail is read as the last 8 bytes of the text, shifted, rather than
/// copied byte by byte into a buffer (which stalls the load that follows).
fn load8(bytes: &[u8], at: usize, k: usize) -> u64 {
    let end = at + k;
    if let Some(eight) = end.checked_sub(8).and_then(|s| bytes.get(s..end)) {
        let v = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        v >> (8 * (8 - k))
    } else {
        bytes[at..end]
            .iter()
            .rev()
            .fold(0u64, |v, &b| (v << 8) | u64::from(b))
    }
}

/// Bit i set when byte i of `v` (little-endian) is a letter: ASCII alphabetic, or part of
/// a non-ASCII character (so that "café" stays one word). Zero bytes are not letters.
fn letter_bits(v: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Per byte, ASCII folded to lower case with the top bit cleared: adding to it cannot
    // carry into the next byte, and the top bit then says whether it reached a bound.
    let t = (v | 0x2020_2020_2020_2020) & !HIGH;
    let at_least_a = t + 0x1f1f_1f1f_1f1f_1f1f; // t >= b'a' (0x61)
    let past_z = t + 0x0505_0505_0505_0505; // t >= b'{' (0x7b)
    let letters = ((at_least_a & !past_z) | v) & HIGH;
    // Gathers the eight top bits into the low byte, byte 0 to bit 0.
    letters.wrapping_mul(0x0002_0408_1020_4081) >> 56
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_split_on_punctuation_and_filtered() {
        let all = WordFilter::new(["cold", "call", "then", "wait", "cafe"].into_iter());
        let mut words = Vec::new();
        for_each_word("Cold-call, then WAIT!  Café", &all, |w| {
            words.push(w.to_owned())
        });
        assert_eq!(words, vec!["cold", "call", "then", "wait"]);
        let some = WordFilter::new(["cold", "wait"].into_iter());
        words.clear();
        for_each_word("Cold-call, then WAIT!", &some, |w| words.push(w.to_owned()));
        // The filter may let a few other words through; the lexicon lookup drops them.
        assert!(words.contains(&"cold".to_owned()) && words.contains(&"wait".to_owned()));
        assert!(!words.contains(&"then".to_owned()));
    }

    /// The scan finds exactly the words a byte-by-byte split finds, across the 8- and
    /// 64-byte boundaries of its masks.
    #[test]
    fn words_match_a_plain_split_at_every_length() {
        let nothing = WordFilter::new(std::iter::empty());
        let everything = WordFilter([[u32::MAX; 32]; MAX_WORD + 1]);
        let plain = |text: &str| -> Vec<String> {
            // Non-ASCII characters count as letters.
            text.split(|c: char| c.is_ascii() && !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty() && w.len() <= MAX_WORD && w.is_ascii())
                .map(str::to_ascii_lowercase)
                .collect()
        };
        let pieces = [
            "a", "Bc", " ", "--", "déf", "Ghij", "z", "@[`{", "  x", "Long",
        ];
        let mut text = String::new();
        let mut seed = 7u32;
        for _ in 0..400 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            let mut words = Vec::new();
            for_each_word(&text, &everything, |w| words.push(w.to_owned()));
            assert_eq!(words, plain(&text), "text {text:?}");
            let mut none = Vec::new();
            for_each_word(&text, &nothing, |w| none.push(w.to_owned()));
            assert!(none.is_empty());
        }
    }
}
