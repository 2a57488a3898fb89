//! Self-contained SVG files: the fonts a page uses, cut down to its glyphs and embedded as
//! `@font-face` data, so that browsers and vector editors lay the poster out as Stagecraft
//! does on machines without Noto Sans; or, for renderers that ignore embedded fonts
//! (librsvg) and for print shops, the text turned into outlines.
//!
//! Implementation notes: the subset keeps every glyph id and every table (cmap, metrics,
//! kerning) and only empties the outlines of glyphs the page does not use, so nothing that
//! maps characters to glyphs has to be rewritten, and the font stays valid for any
//! OpenType reader (browsers sanitise web fonts strictly). For Noto Sans that is about a
//! fifth of the font. Ligatures are switched off in the style, since a ligature glyph is
//! not reachable from the characters alone.

use super::ExportError;
use super::page::Page;
use crate::scene::text::{FONT_BOLD, FONT_FAMILY, FONT_REGULAR};
use crate::scene::{Item, Weight};
use base64::Engine as _;
use std::collections::BTreeSet;

/// The characters each weight of the page's text uses.
fn used_chars(pages: &[&Page]) -> (BTreeSet<char>, BTreeSet<char>) {
    let (mut regular, mut bold) = (BTreeSet::new(), BTreeSet::new());
    for page in pages {
        for layer in &page.layers {
            for item in &layer.scene.items {
                if let Item::Text { text, weight, .. } = item {
                    let set = if *weight == Weight::Bold {
                        &mut bold
                    } else {
                        &mut regular
                    };
                    set.extend(text.chars());
                }
            }
        }
    }
    (regular, bold)
}

fn read_u16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn read_u32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(at)?,
        *d.get(at + 1)?,
        *d.get(at + 2)?,
        *d.get(at + 3)?,
    ]))
}

/// One table of the font: its tag and bytes.
struct Table {
    tag: [u8; 4],
    data: Vec<u8>,
}

fn tables(font: &[u8]) -> Option<Vec<Table>> {
    let n = usize::from(read_u16(font, 4)?);
    (0..n)
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
            let offset = read_u32(font, rec + 8)? as usize;
            let len = read_u32(font, rec + 12)? as usize;
            Some(Table {
                tag,
                data: font.get(offset..offset.checked_add(len)?)?.to_vec(),
            })
        })
        .collect()
}

/// The components a composite glyph is built from.
fn components(glyph: &[u8]) -> Vec<u16> {
    const ARG_WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    let mut out = Vec::new();
    let contours = read_u16(glyph, 0).map_or(0, |c| c as i16);
    if contours >= 0 {
        return out;
    }
    let mut at = 10;
    while let (Some(flags), Some(gid)) = (read_u16(glyph, at), read_u16(glyph, at + 2)) {
        out.push(gid);
        at += 4 + if flags & ARG_WORDS != 0 { 4 } else { 2 };
        at += if flags & SCALE != 0 {
            2
        } else if flags & XY_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE == 0 {
            break;
        }
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// `font` with the outlines of every glyph not needed for `chars` emptied (glyph ids,
/// character maps and metrics unchanged). `None` if the font is not a TrueType font this
/// understands; callers then embed it whole.
pub fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = ttf_parser::Face::parse(font, 0).ok()?;
    let mut tables = tables(font)?;
    let find = |tables: &[Table], tag: &[u8; 4]| tables.iter().position(|t| &t.tag == tag);
    let (head_i, loca_i, glyf_i) = (
        find(&tables, b"head")?,
        find(&tables, b"loca")?,
        find(&tables, b"glyf")?,
    );
    let long = read_u16(&tables[head_i].data, 50)? == 1;
    let n = usize::from(face.number_of_glyphs());
    let loca = &tables[loca_i].data;
    let offset = |g: usize| -> Option<usize> {
        if long {
            read_u32(loca, 4 * g).map(|o| o as usize)
        } else {
            read_u16(loca, 2 * g).map(|o| 2 * usize::from(o))
        }
    };
    let glyf = &tables[glyf_i].data;
    let glyph = |g: usize| -> Option<&[u8]> { glyf.get(offset(g)?..offset(g + 1)?) };
    // The glyphs to keep: .notdef, those of the characters, and their components.
    let mut keep = vec![false; n];
    let mut todo: Vec<u16> = vec![0];
    todo.extend(
        chars
            .iter()
            .filter_map(|&c| face.glyph_index(c))
            .map(|g| g.0),
    );
    while let Some(g) = todo.pop() {
        let gi = usize::from(g);
        if gi >= n || keep[gi] {
            continue;
        }
        keep[gi] = true;
        todo.extend(components(glyph(gi)?));
    }
    let mut new_glyf = Vec::new();
    let mut starts = Vec::with_capacity(n + 1);
    for (g, &kept) in keep.iter().enumerate() {
        starts.push(new_glyf.len());
        if kept {
            new_glyf.extend_from_slice(glyph(g)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    starts.push(new_glyf.len());
    // Short offsets (halved, 16 bits) while the outlines left are small enough.
    let short = new_glyf.len() <= 2 * usize::from(u16::MAX);
    let new_loca: Vec<u8> = if short {
        starts
            .iter()
            .flat_map(|&o| ((o / 2) as u16).to_be_bytes())
            .collect()
    } else {
        starts
            .iter()
            .flat_map(|&o| (o as u32).to_be_bytes())
            .collect()
    };
    tables[glyf_i].data = new_glyf;
    tables[loca_i].data = new_loca;
    let head = &mut tables[head_i].data;
    head.get_mut(50..52)?
        .copy_from_slice(&u16::from(!short).to_be_bytes());
    head.get_mut(8..12)?.copy_from_slice(&[0; 4]); // checkSumAdjustment, set below
    // Glyph names are for font editors: a version 3 `post` table keeps the rest.
    if let Some(post) = tables.iter_mut().find(|t| &t.tag == b"post")
        && post.data.len() >= 32
    {
        post.data.truncate(32);
        post.data[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    }
    // A digital signature would no longer match.
    tables.retain(|t| &t.tag != b"DSIG");
    tables.sort_by_key(|t| t.tag);
    Some(assemble(font, &tables))
}

/// Writes the tables back into one font file, with offsets, padding and checksums.
fn assemble(original: &[u8], tables: &[Table]) -> Vec<u8> {
    let n = tables.len() as u16;
    let mut power = 1u16;
    let mut log = 0u16;
    while power * 2 <= n {
        power *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(original.get(0..4).unwrap_or(&[0, 1, 0, 0]));
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&(power * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(n * 16 - power * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for t in tables {
        out.extend_from_slice(&t.tag);
        out.extend_from_slice(&checksum(&t.data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(t.data.len() as u32).to_be_bytes());
        if &t.tag == b"head" {
            head_at = Some(offset);
        }
        offset += t.data.len().div_ceil(4) * 4;
    }
    for t in tables {
        out.extend_from_slice(&t.data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        if let Some(slot) = out.get_mut(at + 8..at + 12) {
            slot.copy_from_slice(&adjust.to_be_bytes());
        }
    }
    out
}

/// The `<style>` that embeds the page's fonts, cut down to its characters.
pub fn font_face_style(pages: &[&Page]) -> String {
    let (regular, bold) = used_chars(pages);
    let face = |font: &[u8], chars: &BTreeSet<char>, weight: &str| {
        if chars.is_empty() {
            return String::new();
        }
        let data = subset(font, chars).unwrap_or_else(|| font.to_vec());
        format!(
            "@font-face{{font-family:\"{FONT_FAMILY}\";font-weight:{weight};src:url(data:font/ttf;base64,{})format(\"truetype\");}}",
            base64::engine::general_purpose::STANDARD.encode(data)
        )
    };
    format!(
        "<style>{}{}text{{font-variant-ligatures:none;font-kerning:normal;}}</style>\n",
        face(FONT_REGULAR, &regular, "normal"),
        face(FONT_BOLD, &bold, "bold"),
    )
}

/// A page's SVG as a file for people: the fonts embedded (default), or the text as
/// outlines. `svg` is [`super::svg::page_to_svg`]'s output for `page`.
pub fn self_contained(
    svg: String,
    page: &Page,
    text_as_paths: bool,
) -> Result<String, ExportError> {
    if text_as_paths {
        return outlines(&svg);
    }
    let style = font_face_style(&[page]);
    // Right after the root element's start tag, before anything that uses the fonts.
    Ok(match svg.find("xml:space=\"preserve\">\n") {
        Some(at) => {
            let cut = at + "xml:space=\"preserve\">\n".len();
            format!("{}{style}{}", &svg[..cut], &svg[cut..])
        }
        None => svg,
    })
}

/// The SVG with every text turned into paths (usvg lays the text out with the embedded
/// fonts and writes the glyphs' outlines), the canvas JSON kept in its `<metadata>`.
fn outlines(svg: &str) -> Result<String, ExportError> {
    let tree = super::raster::parse_svg(svg)?;
    let mut out = tree.to_string(&resvg::usvg::WriteOptions::default());
    // usvg writes the size in pixels; keep the page's size in millimetres for printing.
    if let (Some(orig), Some(root_end)) = (root_tag(svg), out.find('>')) {
        let attr = |name: &str| {
            let at = orig.find(&format!(" {name}=\""))? + name.len() + 3;
            let len = orig[at..].find('"')?;
            Some(format!(" {name}=\"{}\"", &orig[at..at + len]))
        };
        if let (Some(w), Some(h), Some(vb)) = (attr("width"), attr("height"), attr("viewBox")) {
            out.replace_range(
                ..root_end,
                &format!("<svg xmlns=\"http://www.w3.org/2000/svg\"{w}{h}{vb}"),
            );
        }
    }
    if let (Some(start), Some(end)) = (svg.find("<metadata"), svg.find("</metadata>")) {
        let metadata = &svg[start..end + "</metadata>".len()];
        if let Some(root_end) = out
            .find("<svg")
            .and_then(|s| out[s..].find('>').map(|e| s + e + 1))
        {
            out.insert_str(root_end, &format!("\n{metadata}"));
        }
    }
    Ok(out)
}

/// The root element's start tag.
fn root_tag(svg: &str) -> Option<&str> {
    let start = svg.find("<svg")?;
    let end = svg[start..].find('>')? + start;
    Some(&svg[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subset_keeps_the_used_glyphs_and_empties_the_rest() {
        let chars: BTreeSet<char> = "Café Kraków".chars().collect();
        let sub = subset(FONT_REGULAR, &chars).expect("Noto Sans subsets");
        assert!(
            sub.len() < FONT_REGULAR.len() / 2,
            "{} of {} bytes",
            sub.len(),
            FONT_REGULAR.len()
        );
        let face = ttf_parser::Face::parse(&sub, 0).expect("the subset is a font");
        let full = ttf_parser::Face::parse(FONT_REGULAR, 0).expect("font");
        assert_eq!(
            face.number_of_glyphs(),
            full.number_of_glyphs(),
            "ids unchanged"
        );
        struct Count(usize);
        impl ttf_parser::OutlineBuilder for Count {
            fn move_to(&mut self, _: f32, _: f32) {
                self.0 += 1;
            }
            fn line_to(&mut self, _: f32, _: f32) {
                self.0 += 1;
            }
            fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
                self.0 += 1;
            }
            fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
                self.0 += 1;
            }
            fn close(&mut self) {}
        }
        let outline = |face: &ttf_parser::Face, c: char| {
            let mut n = Count(0);
            let g = face.glyph_index(c).expect("mapped");
            face.outline_glyph(g, &mut n);
            n.0
        };
        for c in ['C', 'é', 'ó', 'K'] {
            assert_eq!(outline(&face, c), outline(&full, c), "{c} kept whole");
            assert!(outline(&face, c) > 0);
        }
        assert_eq!(outline(&face, 'Z'), 0, "an unused glyph is empty");
        assert!(outline(&full, 'Z') > 0);
        assert_eq!(
            face.glyph_hor_advance(face.glyph_index('Z').expect("mapped")),
            full.glyph_hor_advance(full.glyph_index('Z').expect("mapped")),
            "metrics unchanged"
        );
    }
}
