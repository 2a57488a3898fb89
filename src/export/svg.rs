//! Pages → SVG text. Text stays text (`font-family="Noto Sans"`), so the SVG and the PDF
//! made from it are sharp at any size and searchable; the PNG renderer reads the same SVG.

use super::page::Page;
use crate::scene::style::DASH;
use crate::scene::text::{FONT_FAMILY, baseline};
use crate::scene::{Group, Item, Rect, Rgba, Weight, arrow_head};
use std::fmt::Write;

/// Shortest decimal form with two digits after the point at most.
fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Escapes text for XML content and attributes, dropping characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn paint(kind: &str, c: Rgba) -> String {
    if c.a == 0 {
        return format!(r#" {kind}="none""#);
    }
    let mut s = format!(r#" {kind}="{}""#, c.to_hex());
    if c.a < 255 {
        let _ = write!(s, r#" {kind}-opacity="{}""#, num(f32::from(c.a) / 255.0));
    }
    s
}

fn stroke_attrs(stroke: Option<(f32, Rgba)>) -> String {
    match stroke {
        Some((w, c)) if w > 0.0 && c.a > 0 => {
            format!(r#"{} stroke-width="{}""#, paint("stroke", c), num(w))
        }
        _ => String::new(),
    }
}

/// Appends one item as SVG elements.
fn write_item(out: &mut String, item: &Item) {
    match item {
        Item::Rect {
            rect,
            radius,
            fill,
            stroke,
            ..
        } => {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}""#,
                num(rect.min.x),
                num(rect.min.y),
                num(rect.width().max(0.0)),
                num(rect.height().max(0.0))
            );
            if *radius > 0.0 {
                let _ = write!(out, r#" rx="{}""#, num(*radius));
            }
            out.push_str(&paint("fill", *fill));
            out.push_str(&stroke_attrs(*stroke));
            out.push_str("/>\n");
        }
        Item::Text {
            pos,
            text,
            size,
            weight,
            color,
            ..
        } => {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" font-size="{}"{}{}>{}</text>"#,
                num(pos.x),
                num(pos.y + baseline(*size)),
                num(*size),
                if *weight == Weight::Bold {
                    r#" font-weight="bold""#
                } else {
                    ""
                },
                paint("fill", *color),
                escape(text)
            );
            out.push('\n');
        }
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
            ..
        } => {
            let _ = write!(
                out,
                r#"<circle cx="{}" cy="{}" r="{}"{}{}/>"#,
                num(center.x),
                num(center.y),
                num(*radius),
                paint("fill", *fill),
                stroke_attrs(*stroke)
            );
            out.push('\n');
        }
        Item::Line {
            points,
            width,
            color,
            ..
        } => {
            if points.len() < 2 {
                return;
            }
            out.push_str(r#"<polyline points=""#);
            for (i, p) in points.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{},{}", num(p.x), num(p.y));
            }
            let _ = write!(
                out,
                r#"" fill="none"{} stroke-width="{}" stroke-linecap="round" stroke-linejoin="round"/>"#,
                paint("stroke", *color),
                num(*width)
            );
            out.push('\n');
        }
        Item::Curve {
            from,
            ctrl1,
            ctrl2,
            to,
            width,
            color,
            arrow_head: head,
            dashed,
            ..
        } => {
            let end = if *head {
                Item::curve_end_for_head(*ctrl2, *to, *width)
            } else {
                *to
            };
            let _ = write!(
                out,
                r#"<path d="M{},{} C{},{} {},{} {},{}" fill="none"{} stroke-width="{}" stroke-linecap="round""#,
                num(from.x),
                num(from.y),
                num(ctrl1.x),
                num(ctrl1.y),
                num(ctrl2.x),
                num(ctrl2.y),
                num(end.x),
                num(end.y),
                paint("stroke", *color),
                num(*width)
            );
            if *dashed {
                let _ = write!(
                    out,
                    r#" stroke-dasharray="{} {}""#,
                    num(DASH[0]),
                    num(DASH[1])
                );
            }
            out.push_str("/>\n");
            if *head {
                let [t, l, r] = arrow_head(*ctrl2, *to, *width);
                let _ = write!(
                    out,
                    r#"<path d="M{},{} L{},{} L{},{} Z"{}/>"#,
                    num(t.x),
                    num(t.y),
                    num(l.x),
                    num(l.y),
                    num(r.x),
                    num(r.y),
                    paint("fill", *color)
                );
                out.push('\n');
            }
        }
    }
}

/// The page as a standalone SVG document, sized in CSS pixels with the physical size in
/// millimetres. When `only` is set, items whose page rectangle misses it are left out (the
/// PNG renderer draws large pages band by band). `canvas_json`, when given, rides along in
/// a `<metadata>` element so the SVG carries the canvas too.
pub fn page_to_svg(page: &Page, only: Option<Rect>, canvas_json: Option<&str>) -> String {
    let mut out = String::with_capacity(
        4096 + page
            .layers
            .iter()
            .map(|l| l.scene.items.len() * 120)
            .sum::<usize>(),
    );
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}mm" height="{h}mm" viewBox="0 0 {vw} {vh}" font-family="{FONT_FAMILY}" xml:space="preserve">
"#,
        w = num(page.width * 25.4 / 96.0),
        h = num(page.height * 25.4 / 96.0),
        vw = num(page.width),
        vh = num(page.height),
    );
    if let Some(json) = canvas_json {
        let _ = writeln!(
            out,
            r#"<metadata id="stagecraft-canvas">{}</metadata>"#,
            escape_keep_newlines(json)
        );
    }
    let _ = writeln!(
        out,
        r#"<rect x="0" y="0" width="{}" height="{}"{}/>"#,
        num(page.width),
        num(page.height),
        paint("fill", page.background)
    );
    let mut clip_id = 0;
    for layer in &page.layers {
        let visible = |r: Rect| {
            let pr = layer.page_rect(r);
            let clip_ok = layer.clip.is_none_or(|c| c.intersects(pr.expand(1.0)));
            let band_ok = only.is_none_or(|b| b.intersects(pr.expand(2.0)));
            clip_ok && band_ok
        };
        if !visible(layer.scene.bounds.expand(1.0)) && layer.scene.bounds.is_positive() {
            continue;
        }
        if let Some(c) = layer.clip {
            clip_id += 1;
            let _ = writeln!(
                out,
                r#"<clipPath id="clip{clip_id}"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath><g clip-path="url(#clip{clip_id})">"#,
                num(c.min.x),
                num(c.min.y),
                num(c.width()),
                num(c.height())
            );
        }
        let identity = layer.scale == 1.0 && layer.offset.x == 0.0 && layer.offset.y == 0.0;
        if !identity {
            let _ = writeln!(
                out,
                r#"<g transform="matrix({s} 0 0 {s} {} {})">"#,
                num(layer.offset.x),
                num(layer.offset.y),
                s = layer.scale
            );
        }
        let mut groups = GroupWriter::new(&layer.scene.groups);
        for (i, item) in layer.scene.items.iter().enumerate() {
            groups.enter(&mut out, i);
            if visible(item.bounds()) {
                write_item(&mut out, item);
            }
        }
        groups.close(&mut out);
        if !identity {
            out.push_str("</g>\n");
        }
        if layer.clip.is_some() {
            out.push_str("</g>\n");
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Opens and closes a scene's named groups as its items are written: `<g id="cards">`
/// around the cards, `<g id="card-ID">` around each card's items.
struct GroupWriter<'g> {
    groups: &'g [Group],
    next: usize,
    layer_open: bool,
    sub_open: bool,
    element_open: bool,
}

impl<'g> GroupWriter<'g> {
    fn new(groups: &'g [Group]) -> Self {
        Self {
            groups,
            next: 0,
            layer_open: false,
            sub_open: false,
            element_open: false,
        }
    }

    /// Before item `i`: closes and opens the groups that change there.
    fn enter(&mut self, out: &mut String, i: usize) {
        while let Some(g) = self.groups.get(self.next).filter(|g| g.start <= i) {
            self.next += 1;
            if self.element_open {
                out.push_str("</g>\n");
                self.element_open = false;
            }
            if g.id.is_element() {
                self.element_open = true;
            } else if matches!(g.id, crate::scene::GroupId::Sub(_)) {
                if self.sub_open {
                    out.push_str("</g>\n");
                }
                self.sub_open = true;
            } else {
                if self.sub_open {
                    out.push_str("</g>\n");
                    self.sub_open = false;
                }
                if self.layer_open {
                    out.push_str("</g>\n");
                }
                self.layer_open = true;
            }
            let _ = writeln!(out, r#"<g id="{}">"#, escape(&g.id.to_string()));
        }
    }

    fn close(&mut self, out: &mut String) {
        for open in [
            &mut self.element_open,
            &mut self.sub_open,
            &mut self.layer_open,
        ] {
            if *open {
                out.push_str("</g>\n");
                *open = false;
            }
        }
    }
}

/// Like [`escape`] but keeps line breaks, for the JSON in `<metadata>`.
fn escape_keep_newlines(s: &str) -> String {
    s.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f32::NAN), "0");
    }

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("a<b & \"c\">\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&gt;"
        );
    }
}
