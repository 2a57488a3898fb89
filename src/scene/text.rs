//! Text metrics from the embedded Noto Sans: measuring and wrapping lines.
//!
//! Screen and every export use the same two font files, so a title that wraps into two
//! lines here wraps the same way on screen, in the PNG, the SVG and the PDF. Measuring sums
//! glyph advances without kerning, which slightly over-estimates widths: wrapping stays on
//! the safe side (a line never runs past its box when a renderer applies kerning).

use std::sync::OnceLock;

/// Noto Sans Regular (SIL OFL 1.1), embedded.
pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold (SIL OFL 1.1), embedded.
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
/// The family name both files declare; SVG and PDF text refers to it.
pub const FONT_FAMILY: &str = "Noto Sans";

/// The two weights the product uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Weight {
    #[default]
    Regular,
    Bold,
}

/// What a renderer needs to know about one weight, read once from the font file.
struct Metrics {
    face: Option<ttf_parser::Face<'static>>,
    units_per_em: f32,
    ascender: f32,
    descender: f32,
    /// Advances of the printable ASCII range, cached because titles are mostly ASCII.
    ascii: [f32; 128],
}

impl Metrics {
    fn load(data: &'static [u8]) -> Metrics {
        // The font is embedded and known good; a failure would only degrade measurements
        // to a fixed-width estimate, never crash.
        let face = ttf_parser::Face::parse(data, 0).ok();
        let (upm, asc, desc) = face.as_ref().map_or((1000.0, 1069.0, -293.0), |f| {
            (
                f32::from(f.units_per_em()),
                f32::from(f.ascender()),
                f32::from(f.descender()),
            )
        });
        let mut m = Metrics {
            face,
            units_per_em: upm,
            ascender: asc,
            descender: desc,
            ascii: [0.0; 128],
        };
        for c in 0u8..128 {
            m.ascii[usize::from(c)] = m.advance_uncached(char::from(c));
        }
        m
    }

    fn advance_uncached(&self, c: char) -> f32 {
        let Some(face) = &self.face else {
            return 0.55 * self.units_per_em;
        };
        let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        f32::from(face.glyph_hor_advance(glyph).unwrap_or(0))
    }

    /// Advance of `c` in font units.
    fn advance(&self, c: char) -> f32 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.advance_uncached(c)
        }
    }
}

fn metrics(weight: Weight) -> &'static Metrics {
    static REGULAR: OnceLock<Metrics> = OnceLock::new();
    static BOLD: OnceLock<Metrics> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR.get_or_init(|| Metrics::load(FONT_REGULAR)),
        Weight::Bold => BOLD.get_or_init(|| Metrics::load(FONT_BOLD)),
    }
}

/// The advance width of `text` set at `size` (canvas units), on one line.
pub fn measure(text: &str, size: f32, weight: Weight) -> f32 {
    let m = metrics(weight);
    let units: f32 = text.chars().map(|c| m.advance(c)).sum();
    units * size / m.units_per_em
}

/// Height of one line box at `size`: from the font's ascender to its descender.
/// Scene text positions are the top-left of this box.
pub fn line_height(size: f32) -> f32 {
    let m = metrics(Weight::Regular);
    (m.ascender - m.descender) * size / m.units_per_em
}

/// Distance from the top of the line box to the baseline at `size`
/// (SVG and PDF place text by its baseline).
pub fn baseline(size: f32) -> f32 {
    let m = metrics(Weight::Regular);
    m.ascender * size / m.units_per_em
}

const ELLIPSIS: char = '…';

/// Characters of `text` (other than whitespace) the embedded font has no glyph for; a
/// renderer would show them as empty boxes.
pub fn missing_glyphs(text: &str, weight: Weight) -> Vec<char> {
    let Some(face) = &metrics(weight).face else {
        return Vec::new();
    };
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && face.glyph_index(*c).is_none())
        .collect();
    out.dedup();
    out
}

/// Breaks `text` into lines no wider than `max_width`, at spaces where possible and inside
/// words too long for a line. At most `max_lines` lines (0 means no limit); when the text
/// does not fit, the last line ends with an ellipsis. Blank text gives no lines.
pub fn wrap(
    text: &str,
    size: f32,
    weight: Weight,
    max_width: f32,
    max_lines: usize,
) -> Vec<String> {
    let limit = if max_lines == 0 {
        usize::MAX
    } else {
        max_lines
    };
    let m = metrics(weight);
    let scale = size / m.units_per_em;
    let width_of = |s: &str| s.chars().map(|c| m.advance(c)).sum::<f32>() * scale;
    let space = m.advance(' ') * scale;

    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_w = 0.0f32;
    let mut truncated = false;

    'words: for word in text.split_whitespace() {
        let word_w = width_of(word);
        let needed = if current.is_empty() {
            word_w
        } else {
            current_w + space + word_w
        };
        if needed <= max_width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            current_w = needed;
            continue;
        }
        // The word does not fit on the current line: start a new one.
        if !current.is_empty() {
            if lines.len() + 1 >= limit {
                truncated = true;
                break 'words;
            }
            lines.push(std::mem::take(&mut current));
            current_w = 0.0;
        }
        if word_w <= max_width {
            current.push_str(word);
            current_w = word_w;
            continue;
        }
        // A word longer than a whole line: break it between characters.
        for c in word.chars() {
            let w = m.advance(c) * scale;
            if current_w + w > max_width && !current.is_empty() {
                if lines.len() + 1 >= limit {
                    truncated = true;
                    break 'words;
                }
                lines.push(std::mem::take(&mut current));
                current_w = 0.0;
            }
            current.push(c);
            current_w += w;
        }
    }
    if truncated {
        let ellipsis_w = m.advance(ELLIPSIS) * scale;
        while !current.is_empty() && width_of(&current) + ellipsis_w > max_width {
            current.pop();
        }
        let trimmed = current.trim_end().len();
        current.truncate(trimmed);
        current.push(ELLIPSIS);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// `text` cut to one line of at most `max_width`, with an ellipsis when it was cut.
pub fn ellipsize(text: &str, size: f32, weight: Weight, max_width: f32) -> String {
    if measure(text, size, weight) <= max_width {
        return text.to_owned();
    }
    let m = metrics(weight);
    let scale = size / m.units_per_em;
    let budget = max_width - m.advance(ELLIPSIS) * scale;
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = m.advance(c) * scale;
        if w + cw > budget {
            break;
        }
        out.push(c);
        w += cw;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push(ELLIPSIS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_proportionally() {
        let w = measure("Hello", 10.0, Weight::Regular);
        assert!(
            w > 20.0 && w < 35.0,
            "Hello at 10pt is about 27 units, got {w}"
        );
        assert!((measure("Hello", 20.0, Weight::Regular) - 2.0 * w).abs() < 1e-3);
        assert!(measure("Hello", 10.0, Weight::Bold) > w, "bold is wider");
        assert!(measure("iiii", 10.0, Weight::Regular) < measure("MMMM", 10.0, Weight::Regular));
        assert_eq!(measure("", 10.0, Weight::Regular), 0.0);
    }

    #[test]
    fn polish_and_french_letters_have_glyphs() {
        for w in [Weight::Regular, Weight::Bold] {
            assert_eq!(
                missing_glyphs("Zażółć gęślą jaźń — café crème ÇŁŚŻŹŃ… ·", w),
                Vec::<char>::new()
            );
        }
        // Noto Sans has no arrows: labels must not use them.
        assert_eq!(missing_glyphs("a → b", Weight::Regular), ['→']);
    }

    #[test]
    fn wrap_respects_max_width() {
        let text = "Barista remembers your name and your usual order at the counter";
        for max_w in [60.0, 100.0, 150.0, 400.0] {
            let lines = wrap(text, 13.0, Weight::Bold, max_w, 0);
            assert!(!lines.is_empty());
            for l in &lines {
                assert!(
                    measure(l, 13.0, Weight::Bold) <= max_w + 1e-3,
                    "{l:?} wider than {max_w}"
                );
            }
            let squash = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(
                squash(&lines.join(" ")),
                squash(text),
                "no letter lost without a line limit"
            );
        }
    }

    #[test]
    fn wrap_truncates_with_ellipsis() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lines = wrap(text, 12.0, Weight::Regular, 70.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(measure(&lines[1], 12.0, Weight::Regular) <= 70.0);
    }

    #[test]
    fn wrap_breaks_long_words() {
        let lines = wrap(
            "Zażółćgęśląjaźńzażółćgęśląjaźń",
            12.0,
            Weight::Regular,
            50.0,
            0,
        );
        assert!(lines.len() > 2);
        assert!(
            lines
                .iter()
                .all(|l| measure(l, 12.0, Weight::Regular) <= 50.0)
        );
        assert_eq!(lines.concat(), "Zażółćgęśląjaźńzażółćgęśląjaźń");
        assert!(wrap("   ", 12.0, Weight::Regular, 50.0, 3).is_empty());
    }

    #[test]
    fn ellipsize_cuts_to_width() {
        assert_eq!(ellipsize("short", 12.0, Weight::Regular, 200.0), "short");
        let cut = ellipsize("a rather long lane name here", 12.0, Weight::Regular, 60.0);
        assert!(cut.ends_with('…') && measure(&cut, 12.0, Weight::Regular) <= 60.0);
    }
}
