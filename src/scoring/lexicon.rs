//! The words scoring reads in card texts, in English, French and Polish: tone keywords and
//! the words that clash with them (the consistent-tone rule), and words that make a human
//! channel remote (the senses rule). The lists are data files in `assets/lexicon/`, one
//! per language, compiled in and parsed once.
//!
//! Matching ignores case and accents ([`fold`]: "Froid" and "froid", "ciepły" and
//! "cieply"), and an entry ending in `*` is a stem that matches every word beginning with
//! it, which covers inflected forms ("czeka*": czekać, czekanie, czekaniu). Groups are
//! shared across languages, so a theme whose tone is `rapide` meets "slow", "lent" and
//! "powolny" alike; a card's language is detected from its own words ([`detect`]) so that
//! a stem of one language does not catch a word of another.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// The languages with a lexicon, as bits of a mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    En = 0,
    Fr = 1,
    Pl = 2,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Pl];

    pub fn bit(self) -> u8 {
        1 << self as u8
    }
}

const FILES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../../assets/lexicon/en.txt")),
    (Lang::Fr, include_str!("../../assets/lexicon/fr.txt")),
    (Lang::Pl, include_str!("../../assets/lexicon/pl.txt")),
];

/// Short, frequent words that tell the languages apart (folded).
const STOPWORDS: [(Lang, &[&str]); 3] = [
    (
        Lang::En,
        &[
            "the", "a", "an", "and", "of", "to", "at", "in", "on", "with", "for", "is", "her",
            "his", "their", "by", "from", "no", "not", "was", "are",
        ],
    ),
    (
        Lang::Fr,
        &[
            "le", "la", "les", "un", "une", "des", "et", "de", "du", "au", "aux", "avec", "pour",
            "est", "dans", "sur", "pas", "sa", "son", "ses", "ne", "il", "elle", "qui",
        ],
    ),
    (
        Lang::Pl,
        &[
            "i", "w", "z", "na", "do", "sie", "nie", "jest", "po", "przy", "dla", "od", "ze",
            "ale", "jak", "to", "o", "u", "jej", "jego",
        ],
    ),
];

/// A match of a word in the lexicon: the group and the languages it belongs to there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub group: u8,
    pub langs: u8,
}

/// Words and stems of one kind (tones, clashes or remote media), folded.
#[derive(Default)]
struct Table {
    exact: FxHashMap<String, Vec<Hit>>,
    stems: FxHashMap<String, Vec<Hit>>,
    /// The stems by their first three bytes (shorter stems under their whole text), so
    /// that a word is checked against the few stems it may start with, in one lookup.
    by_head: FxHashMap<Vec<u8>, Vec<(String, Vec<Hit>)>>,
    /// Whether some stem is shorter than [`HEAD`] bytes (none in the shipped files).
    short_stems: bool,
}

/// Bytes of a stem's head in [`Table::by_head`].
const HEAD: usize = 3;

impl Table {
    fn add(&mut self, entry: &str, hit: Hit) {
        let (word, stem) = match entry.strip_suffix('*') {
            Some(w) => (w, true),
            None => (entry, false),
        };
        let mut folded = String::new();
        fold(word.trim(), &mut folded);
        if folded.is_empty() {
            return;
        }
        let map = if stem {
            &mut self.stems
        } else {
            &mut self.exact
        };
        let list = map.entry(folded.clone()).or_default();
        match list.iter_mut().find(|h| h.group == hit.group) {
            Some(h) => h.langs |= hit.langs,
            None => list.push(hit),
        }
        if stem {
            self.short_stems |= folded.len() < HEAD;
            let head = folded.as_bytes()[..folded.len().min(HEAD)].to_vec();
            let list = self.by_head.entry(head).or_default();
            match list.iter_mut().find(|(s, _)| *s == folded) {
                Some((_, hits)) => {
                    if let Some(h) = hits.iter_mut().find(|h| h.group == hit.group) {
                        h.langs |= hit.langs;
                    } else {
                        hits.push(hit);
                    }
                }
                None => list.push((folded, vec![hit])),
            }
        }
    }

    /// Calls `f` with every hit of a folded word: exact entries, then stems it starts with.
    fn hits(&self, word: &str, mut f: impl FnMut(Hit)) {
        if let Some(list) = self.exact.get(word) {
            list.iter().copied().for_each(&mut f);
        }
        let bytes = word.as_bytes();
        // Stems of HEAD bytes or more are filed under their first HEAD bytes, shorter ones
        // under their whole text: one lookup per word, a few more with short stems.
        let first = if self.short_stems { 1 } else { HEAD };
        for len in first..=HEAD.min(bytes.len()) {
            let Some(list) = self.by_head.get(&bytes[..len]) else {
                continue;
            };
            for (stem, hits) in list {
                if bytes.starts_with(stem.as_bytes()) {
                    hits.iter().copied().for_each(&mut f);
                }
            }
        }
    }

    /// Whether some entry may start with these two folded bytes (a cheap pre-filter).
    fn first_pairs(&self, pairs: &mut [u32; 32], groups: u32) {
        for (w, list) in self.exact.iter().chain(&self.stems) {
            if list.iter().any(|h| groups & (1 << h.group) != 0) {
                let b = w.as_bytes();
                let (a, c) = (
                    b.first().copied().unwrap_or(0),
                    b.get(1).copied().unwrap_or(0),
                );
                pairs[usize::from(a & 31)] |= 1 << (c & 31);
            }
        }
    }
}

/// Every language's lists, merged.
pub(crate) struct Lexicon {
    /// Group names, in the order of the first file ("warm", "fast"...).
    pub groups: Vec<String>,
    tones: Table,
    clashes: Table,
    remote: Table,
    /// First-two-bytes filter of the remote words (see [`Self::clash_pairs`]).
    remote_pairs: [u32; 32],
}

/// The lexicon, parsed on first use.
pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::parse);

impl Lexicon {
    fn parse() -> Self {
        let mut me = Self {
            groups: Vec::new(),
            tones: Table::default(),
            clashes: Table::default(),
            remote: Table::default(),
            remote_pairs: [0; 32],
        };
        for (lang, text) in FILES {
            let mut group: Option<u8> = None;
            for line in text.lines().map(str::trim) {
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    let name = name.trim().to_owned();
                    let at = match me.groups.iter().position(|g| *g == name) {
                        Some(i) => i,
                        None => {
                            me.groups.push(name);
                            me.groups.len() - 1
                        }
                    };
                    group = u8::try_from(at).ok().filter(|&g| g < 32);
                    continue;
                }
                let (Some(g), Some((key, words))) = (group, line.split_once(':')) else {
                    continue;
                };
                let hit = Hit {
                    group: g,
                    langs: lang.bit(),
                };
                let table = match key.trim() {
                    "tone" => &mut me.tones,
                    "clash" => &mut me.clashes,
                    "words" => &mut me.remote,
                    _ => continue,
                };
                for w in words.split(',') {
                    table.add(w, hit);
                }
            }
        }
        let mut pairs = [0u32; 32];
        me.remote.first_pairs(&mut pairs, u32::MAX);
        me.remote_pairs = pairs;
        me
    }

    /// The groups (as bits) a theme's tone keyword names; 0 for a keyword in no group.
    pub fn tone_groups(&self, keyword: &str) -> u32 {
        let mut folded = String::new();
        fold(keyword.trim(), &mut folded);
        let mut mask = 0;
        self.tones.hits(&folded, |h| mask |= 1 << h.group);
        mask
    }

    /// The clash hits of a folded word.
    pub fn clash_hits(&self, folded: &str, f: impl FnMut(Hit)) {
        self.clashes.hits(folded, f);
    }

    /// A pre-filter for [`Self::clash_hits`]: bit `second & 31` of `[first & 31]` is set for
    /// the first two folded bytes of every clash word of the given groups.
    pub fn clash_pairs(&self, groups: u32) -> [u32; 32] {
        let mut pairs = [0u32; 32];
        self.clashes.first_pairs(&mut pairs, groups);
        pairs
    }

    /// Whether a text names a remote medium (a phone call, a chat) in any language.
    pub fn is_remote(&self, text: &str) -> bool {
        let mut folded = String::new();
        let mut found = false;
        for word in words(text) {
            let b = word.as_bytes();
            let maybe = match b {
                [a, c, ..] if a.is_ascii() && c.is_ascii() => {
                    self.remote_pairs[usize::from(a & 31)] & (1 << (c & 31)) != 0
                }
                _ => true,
            };
            if !maybe {
                continue;
            }
            folded.clear();
            fold(word, &mut folded);
            self.remote.hits(&folded, |_| found = true);
            if found {
                return true;
            }
        }
        false
    }
}

/// The runs of letters of a text (a non-ASCII character counts as a letter, so "café" and
/// "ciepły" stay whole).
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Appends `word` to `out` in lower case without accents: é → e, ł → l, ß → ss, œ → oe.
pub(crate) fn fold(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => out.push('a'),
                'ç' | 'ć' | 'č' => out.push('c'),
                'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => out.push('e'),
                'ì' | 'í' | 'î' | 'ï' => out.push('i'),
                'ł' => out.push('l'),
                'ñ' | 'ń' | 'ň' => out.push('n'),
                'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => out.push('o'),
                'ś' | 'š' => out.push('s'),
                'ù' | 'ú' | 'û' | 'ü' | 'ů' => out.push('u'),
                'ý' | 'ÿ' => out.push('y'),
                'ź' | 'ż' | 'ž' => out.push('z'),
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                'ß' => out.push_str("ss"),
                other => out.push(other),
            }
        }
    }
}

/// The language of some texts, from their short words and letters; `None` when no language
/// stands out (a title of two nouns, say).
pub(crate) fn detect<'t>(texts: impl Iterator<Item = &'t str>) -> Option<Lang> {
    let mut votes = [0u32; 3];
    let mut folded = String::new();
    for text in texts {
        for c in text.chars() {
            match c.to_lowercase().next().unwrap_or(c) {
                'ł' | 'ą' | 'ę' | 'ś' | 'ż' | 'ź' | 'ć' | 'ń' => {
                    votes[Lang::Pl as usize] += 2
                }
                'é' | 'è' | 'ê' | 'à' | 'ç' | 'œ' | 'ù' | 'û' | 'î' | 'ô' | 'â' => {
                    votes[Lang::Fr as usize] += 1;
                }
                _ => {}
            }
        }
        for word in words(text) {
            folded.clear();
            fold(word, &mut folded);
            for (lang, list) in STOPWORDS {
                if list.contains(&folded.as_str()) {
                    votes[lang as usize] += 1;
                }
            }
        }
    }
    let best = *votes.iter().max().unwrap_or(&0);
    if best == 0 || votes.iter().filter(|&&v| v == best).count() > 1 {
        return None;
    }
    Lang::ALL.into_iter().find(|l| votes[*l as usize] == best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(w: &str) -> String {
        let mut s = String::new();
        fold(w, &mut s);
        s
    }

    fn clashes(word: &str) -> Vec<(String, u8)> {
        let mut out = Vec::new();
        LEXICON.clash_hits(&folded(word), |h| {
            out.push((LEXICON.groups[usize::from(h.group)].clone(), h.langs));
        });
        out
    }

    #[test]
    fn fold_drops_case_and_accents() {
        assert_eq!(folded("Długie"), "dlugie");
        assert_eq!(folded("CHALEUREUX"), "chaleureux");
        assert_eq!(folded("Éléphant"), "elephant");
        assert_eq!(folded("żółć"), "zolc");
        assert_eq!(folded("Cœur"), "coeur");
    }

    #[test]
    fn every_language_has_the_same_groups() {
        assert_eq!(LEXICON.groups.len(), 11, "{:?}", LEXICON.groups);
        for tone in ["warm", "Chaleureux", "ciepły", "rapide", "szybki", "fast"] {
            assert_ne!(LEXICON.tone_groups(tone), 0, "{tone}");
        }
        assert_eq!(
            LEXICON.tone_groups("chaleureux"),
            LEXICON.tone_groups("warm")
        );
        assert_eq!(LEXICON.tone_groups("szybki"), LEXICON.tone_groups("fast"));
        assert_eq!(LEXICON.tone_groups("purple"), 0);
    }

    #[test]
    fn stems_match_inflected_forms_in_each_language() {
        for word in [
            "attente", "attendre", "czekać", "czekanie", "czekaniu", "waiting", "Froid",
        ] {
            assert!(!clashes(word).is_empty(), "{word}");
        }
        assert!(clashes("warm").is_empty());
        assert!(clashes("attentive").is_empty());
    }

    #[test]
    fn languages_are_detected_from_short_words_and_letters() {
        let d = |t: &str| detect(std::iter::once(t));
        assert_eq!(
            d("Long wait at the counter, a cold and robotic greeting"),
            Some(Lang::En)
        );
        assert_eq!(
            d("Longue attente au comptoir, un accueil froid et robotique"),
            Some(Lang::Fr)
        );
        assert_eq!(
            d("Długie czekanie przy ladzie, zimne i bezosobowe powitanie"),
            Some(Lang::Pl)
        );
        assert_eq!(d("Laptop delayed"), None);
    }

    #[test]
    fn remote_media_are_recognised_in_each_language() {
        for t in [
            "Calls customer service",
            "Wake-up call at 6:30",
            "Appelle le service client",
            "Dzwoni na infolinię",
            "Asks the chat",
        ] {
            assert!(LEXICON.is_remote(t), "{t}");
        }
        for t in ["Barista calligraphy", "Counter & barista", "Tells friends"] {
            assert!(!LEXICON.is_remote(t), "{t}");
        }
    }
}
