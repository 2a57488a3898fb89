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

    /// The language's tag (BCP 47), as documents and PDF readers name it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Pl => "pl",
        }
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

/// Words and stems of one kind (tones, clashes or remote media), folded, as a trie over
/// the letters a to z. A text is read once, byte by byte, each letter taking one step down
/// the trie; most words leave it within two or three letters, so matching costs no
/// folding, hashing or copying for the many words that are in no list. Only a word with
/// an accented letter is folded first.
struct Table {
    /// Node 0 is the root; a child index of 0 means "no such child".
    nodes: Vec<Node>,
    /// Per node, the hits of the entry ending there as a whole word, and as a stem.
    exact: Vec<Vec<Hit>>,
    stem: Vec<Vec<Hit>>,
}

#[derive(Clone, Copy, Default)]
struct Node {
    next: [u32; 26],
    /// Whether `exact`/`stem` hold hits for this node (read on the way down, so that the
    /// lists themselves are only touched for a match).
    exact: bool,
    stem: bool,
}

impl Default for Table {
    fn default() -> Self {
        Self {
            nodes: vec![Node::default()],
            exact: vec![Vec::new()],
            stem: vec![Vec::new()],
        }
    }
}

/// The trie's letter for an ASCII byte, either case; `None` for anything else.
#[inline]
fn letter(b: u8) -> Option<usize> {
    let c = b | 0x20;
    c.is_ascii_lowercase().then(|| usize::from(c - b'a'))
}

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
        let mut node = 0usize;
        for b in folded.bytes() {
            // Only letters reach the trie: an entry with anything else could never match
            // a word (words are runs of letters).
            let Some(l) = letter(b) else { return };
            node = match self.nodes[node].next[l] {
                0 => {
                    let child = self.nodes.len();
                    self.nodes[node].next[l] = u32::try_from(child).unwrap_or(0);
                    self.nodes.push(Node::default());
                    self.exact.push(Vec::new());
                    self.stem.push(Vec::new());
                    child
                }
                child => child as usize,
            };
        }
        let list = if stem {
            self.nodes[node].stem = true;
            &mut self.stem[node]
        } else {
            self.nodes[node].exact = true;
            &mut self.exact[node]
        };
        match list.iter_mut().find(|h| h.group == hit.group) {
            Some(h) => h.langs |= hit.langs,
            None => list.push(hit),
        }
    }

    /// Calls `f` with every word of `text` (see [`words`]) that is in the table, and each
    /// of its hits: the entry equal to it, then the stems it starts with.
    fn scan<'t>(&self, text: &'t str, mut f: impl FnMut(&'t str, Hit)) {
        for_each_word(text, |word| {
            // Down the trie while the word's ASCII letters lead somewhere: most words
            // leave it at their first or second letter, and only a word that reaches an
            // entry, or has an accented letter, is looked up in full.
            let mut node = 0usize;
            for &b in word.as_bytes() {
                let Some(l) = letter(b) else {
                    return self.hits_any(word, |h| f(word, h));
                };
                node = self.nodes[node].next[l] as usize;
                if node == 0 {
                    return;
                }
                if self.nodes[node].stem {
                    return self.hits_any(word, |h| f(word, h));
                }
            }
            if self.nodes[node].exact {
                self.hits_any(word, |h| f(word, h));
            }
        });
    }

    /// The hits of a word as written: folded first if it has accented letters.
    fn hits_any(&self, word: &str, f: impl FnMut(Hit)) {
        if word.is_ascii() {
            self.hits_folded(word.as_bytes(), f);
        } else {
            let mut folded = String::with_capacity(word.len());
            fold(word, &mut folded);
            self.hits_folded(folded.as_bytes(), f);
        }
    }

    /// The hits of one folded word: the entry equal to it, then the stems it starts with.
    fn hits_folded(&self, word: &[u8], mut f: impl FnMut(Hit)) {
        let mut node = 0usize;
        let mut stems = Vec::new();
        for &b in word {
            match letter(b).map(|l| self.nodes[node].next[l] as usize) {
                Some(child) if child != 0 => node = child,
                _ => {
                    node = 0;
                    break;
                }
            }
            if self.nodes[node].stem {
                stems.push(node);
            }
        }
        if node != 0 {
            self.exact[node].iter().copied().for_each(&mut f);
        }
        for n in stems {
            self.stem[n].iter().copied().for_each(&mut f);
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
        me
    }

    /// The groups (as bits) a theme's tone keyword names; 0 for a keyword in no group.
    pub fn tone_groups(&self, keyword: &str) -> u32 {
        let mut mask = 0;
        let keyword = keyword.trim();
        // A keyword is one word; "very warm" names no group.
        if words(keyword).nth(1).is_none() {
            self.tones.scan(keyword, |_, h| mask |= 1 << h.group);
        }
        mask
    }

    /// Calls `f` with each word of `text` that clashes with some tone, and the hit.
    pub fn clashes<'t>(&self, text: &'t str, f: impl FnMut(&'t str, Hit)) {
        self.clashes.scan(text, f);
    }

    /// Whether a text names a remote medium (a phone call, a chat) in any language.
    pub fn is_remote(&self, text: &str) -> bool {
        let mut found = false;
        self.remote.scan(text, |_, _| found = true);
        found
    }
}

/// The runs of letters of a text: ASCII letters, and non-ASCII characters, which count as
/// letters so that "café" and "ciepły" stay whole. Split on bytes: every byte of a
/// non-ASCII character is above 0x7f, so the pieces always fall on character boundaries.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && is_separator(bytes[at]) {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !is_separator(bytes[at]) {
            at += 1;
        }
        (at > start).then(|| text.get(start..at)).flatten()
    })
}

#[inline]
fn is_separator(b: u8) -> bool {
    b.is_ascii() && !b.is_ascii_alphabetic()
}

/// Calls `f` with each word of `text` (see [`words`]), as written.
///
/// Letters are found 8 bytes at a time into a 64-bit mask per 64-byte block, and words
/// are read off the mask's runs of ones, so the cost is per word rather than per byte
/// (this scan is most of the tone rule's time on big canvases).
fn for_each_word<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    // Inlined by hand (a closure here was not inlined): called once per word.
    macro_rules! word {
        ($start:expr, $end:expr) => {{
            if let Some(w) = text.get($start..$end) {
                f(w);
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
                    votes[Lang::Pl as usize] += 2;
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
        LEXICON.clashes(word, |w, h| {
            assert_eq!(w, word);
            out.push((LEXICON.groups[usize::from(h.group)].clone(), h.langs));
        });
        out
    }

    #[test]
    fn words_are_runs_of_letters_accents_included() {
        let split: Vec<&str> = words("Cold-call, then WAIT!  Café ciepły 6:30am").collect();
        assert_eq!(
            split,
            vec!["Cold", "call", "then", "WAIT", "Café", "ciepły", "am"]
        );
        assert_eq!(words(" -- ").count(), 0);
    }

    /// The fast scan finds exactly the words the plain split finds, across the 8- and
    /// 64-byte boundaries of its masks.
    #[test]
    fn the_word_scan_matches_the_plain_split_at_every_length() {
        let pieces = [
            "a", "Bc", " ", "--", "déf", "Ghij", "z", "@[`{", "  x", "Long", "ł", "7",
        ];
        let mut text = String::new();
        let mut seed = 7u32;
        for _ in 0..400 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            let mut scanned = Vec::new();
            for_each_word(&text, |w| scanned.push(w));
            assert_eq!(scanned, words(&text).collect::<Vec<_>>(), "text {text:?}");
        }
    }

    /// The trie finds what a plain comparison of folded words finds: exact entries only
    /// whole, stems as prefixes, any case, accents or not.
    #[test]
    fn the_trie_matches_whole_words_and_stems_only() {
        assert!(!clashes("COLD").is_empty());
        assert!(clashes("colder").is_empty(), "cold is a word, not a stem");
        assert!(
            !clashes("Zimną").is_empty(),
            "zimn* is a stem, accents folded"
        );
        assert!(clashes("zim").is_empty(), "a word shorter than the stem");
        assert!(clashes("c0ld").is_empty(), "a digit is not a letter");
        assert!(clashes("холодный").is_empty());
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
