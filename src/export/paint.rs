//! Pages → pixels, straight from the scene's items with tiny-skia: the PNG export's
//! renderer. The SVG written for the same page draws the same shapes (see `svg.rs`), and
//! resvg renders that SVG to within anti-aliasing of these pixels (tests/export.rs); going
//! through SVG text and back (usvg parsing, text shaping into new paths per text) cost more
//! than the drawing itself.
//!
//! Text is shaped with rustybuzz (the shaper resvg uses, so kerning agrees) and each glyph's
//! outline is turned into a path once per process and reused for every text and page.

use super::page::{Layer, Page};
use crate::scene::style::DASH;
use crate::scene::text::{FONT_BOLD, FONT_REGULAR, baseline};
use crate::scene::{Item, Point, Rect, Rgba, Weight, arrow_head};
use resvg::tiny_skia::{
    self, FillRule, LineCap, LineJoin, Mask, Paint, Path, PathBuilder, Pixmap, PixmapMut, Stroke,
    StrokeDash, Transform,
};
use std::sync::OnceLock;

/// Draws the part of `page` that falls in `pixmap`, whose top row is page pixel row `y0`,
/// at `kx`, `ky` pixels per page unit. The pixmap is expected to hold the background.
pub fn draw_band(page: &Page, kx: f32, ky: f32, y0: f32, pixmap: &mut PixmapMut<'_>) {
    let band = Rect::from_min_max(
        Point::new(0.0, y0 / ky),
        Point::new(page.width, (y0 + pixmap.height() as f32) / ky),
    );
    let base = Transform::from_row(kx, 0.0, 0.0, ky, 0.0, -y0);
    for layer in &page.layers {
        draw_layer(layer, band, base, pixmap);
    }
}

fn draw_layer(layer: &Layer, band: Rect, base: Transform, pixmap: &mut PixmapMut<'_>) {
    // What of the band this layer may paint, in page units.
    let area = match layer.clip {
        Some(c) if !c.intersects(band) => return,
        Some(c) => Rect::from_min_max(
            Point::new(c.min.x.max(band.min.x), c.min.y.max(band.min.y)),
            Point::new(c.max.x.min(band.max.x), c.max.y.min(band.max.y)),
        ),
        None => band,
    };
    if layer.scene.bounds.is_positive() && !layer.page_rect(layer.scene.bounds).intersects(area) {
        return;
    }
    let mask = layer.clip.and_then(|c| clip_mask(c, base, pixmap));
    let t = base
        .pre_translate(layer.offset.x, layer.offset.y)
        .pre_scale(layer.scale, layer.scale);
    let painter = Painter {
        t,
        mask: mask.as_ref(),
    };
    for item in &layer.scene.items {
        // Skip work the band does not need: items that miss it are not drawn at all.
        if layer.page_rect(item.bounds()).expand(2.0).intersects(area) {
            painter.item(item, pixmap);
        }
    }
}

/// A mask letting paint through only inside `clip` (page units).
fn clip_mask(clip: Rect, base: Transform, pixmap: &PixmapMut<'_>) -> Option<Mask> {
    let mut mask = Mask::new(pixmap.width(), pixmap.height())?;
    let rect = tiny_skia::Rect::from_ltrb(clip.min.x, clip.min.y, clip.max.x, clip.max.y)?;
    mask.fill_path(
        &PathBuilder::from_rect(rect),
        FillRule::Winding,
        false,
        base,
    );
    Some(mask)
}

struct Painter<'m> {
    t: Transform,
    mask: Option<&'m Mask>,
}

fn paint_of(c: Rgba) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(c.r, c.g, c.b, c.a);
    paint.anti_alias = true;
    paint
}

impl Painter<'_> {
    fn fill(&self, path: &Path, c: Rgba, pixmap: &mut PixmapMut<'_>) {
        if c.a > 0 {
            pixmap.fill_path(path, &paint_of(c), FillRule::Winding, self.t, self.mask);
        }
    }

    fn stroke(&self, path: &Path, stroke: &Stroke, c: Rgba, pixmap: &mut PixmapMut<'_>) {
        if c.a > 0 && stroke.width > 0.0 {
            pixmap.stroke_path(path, &paint_of(c), stroke, self.t, self.mask);
        }
    }

    fn outline(&self, path: &Path, outline: Option<(f32, Rgba)>, pixmap: &mut PixmapMut<'_>) {
        if let Some((width, c)) = outline {
            let stroke = Stroke {
                width,
                ..Stroke::default()
            };
            self.stroke(path, &stroke, c, pixmap);
        }
    }

    fn item(&self, item: &Item, pixmap: &mut PixmapMut<'_>) {
        match item {
            Item::Rect {
                rect,
                radius,
                fill,
                stroke,
                ..
            } => {
                if let Some(path) = rounded_rect(*rect, *radius) {
                    self.fill(&path, *fill, pixmap);
                    self.outline(&path, *stroke, pixmap);
                }
            }
            Item::Circle {
                center,
                radius,
                fill,
                stroke,
                ..
            } => {
                if let Some(path) = PathBuilder::from_circle(center.x, center.y, *radius) {
                    self.fill(&path, *fill, pixmap);
                    self.outline(&path, *stroke, pixmap);
                }
            }
            Item::Line {
                points,
                width,
                color,
                ..
            } => {
                let mut pb = PathBuilder::new();
                for (i, p) in points.iter().enumerate() {
                    if i == 0 {
                        pb.move_to(p.x, p.y);
                    } else {
                        pb.line_to(p.x, p.y);
                    }
                }
                if let Some(path) = pb.finish() {
                    let stroke = Stroke {
                        width: *width,
                        line_cap: LineCap::Round,
                        line_join: LineJoin::Round,
                        ..Stroke::default()
                    };
                    self.stroke(&path, &stroke, *color, pixmap);
                }
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
                let mut pb = PathBuilder::new();
                pb.move_to(from.x, from.y);
                pb.cubic_to(ctrl1.x, ctrl1.y, ctrl2.x, ctrl2.y, end.x, end.y);
                if let Some(path) = pb.finish() {
                    let stroke = Stroke {
                        width: *width,
                        line_cap: LineCap::Round,
                        dash: if *dashed {
                            StrokeDash::new(DASH.to_vec(), 0.0)
                        } else {
                            None
                        },
                        ..Stroke::default()
                    };
                    self.stroke(&path, &stroke, *color, pixmap);
                }
                if *head {
                    let [t, l, r] = arrow_head(*ctrl2, *to, *width);
                    let mut pb = PathBuilder::new();
                    pb.move_to(t.x, t.y);
                    pb.line_to(l.x, l.y);
                    pb.line_to(r.x, r.y);
                    pb.close();
                    if let Some(path) = pb.finish() {
                        self.fill(&path, *color, pixmap);
                    }
                }
            }
            Item::Text {
                pos,
                text,
                size,
                weight,
                color,
                ..
            } => self.text(*pos, text, *size, *weight, *color, pixmap),
        }
    }

    fn text(
        &self,
        pos: Point,
        text: &str,
        size: f32,
        weight: Weight,
        c: Rgba,
        pixmap: &mut PixmapMut<'_>,
    ) {
        if c.a == 0 || text.trim().is_empty() {
            return;
        }
        let font = font(weight);
        let scale = size / font.units_per_em;
        let paint = paint_of(c);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&font.face, &[], buffer);
        let (mut x, y) = (pos.x, pos.y + baseline(size));
        for (info, at) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            let id = u16::try_from(info.glyph_id).unwrap_or(0);
            if let Some(path) = font.glyph(id) {
                let gx = x + at.x_offset as f32 * scale;
                let gy = y - at.y_offset as f32 * scale;
                // Font units have y up; the page has y down.
                let t = self.t.pre_translate(gx, gy).pre_scale(scale, -scale);
                pixmap.fill_path(path, &paint, FillRule::Winding, t, self.mask);
            }
            x += at.x_advance as f32 * scale;
        }
    }
}

/// A rectangle with rounded corners (radius clamped to half the shorter side).
fn rounded_rect(r: Rect, radius: f32) -> Option<Path> {
    let rect = tiny_skia::Rect::from_ltrb(r.min.x, r.min.y, r.max.x, r.max.y)?;
    let k = radius.min(r.width() / 2.0).min(r.height() / 2.0);
    if k <= 0.0 {
        return Some(PathBuilder::from_rect(rect));
    }
    // Quarter circles as cubics (the usual 0.5523 handle length).
    let h = k * (1.0 - 0.552_284_8);
    let (l, t, rr, b) = (r.min.x, r.min.y, r.max.x, r.max.y);
    let mut pb = PathBuilder::new();
    pb.move_to(l + k, t);
    pb.line_to(rr - k, t);
    pb.cubic_to(rr - h, t, rr, t + h, rr, t + k);
    pb.line_to(rr, b - k);
    pb.cubic_to(rr, b - h, rr - h, b, rr - k, b);
    pb.line_to(l + k, b);
    pb.cubic_to(l + h, b, l, b - h, l, b - k);
    pb.line_to(l, t + k);
    pb.cubic_to(l, t + h, l + h, t, l + k, t);
    pb.close();
    pb.finish()
}

/// One embedded font: its shaper face, and glyph outlines made into paths on first use.
struct Font {
    face: rustybuzz::Face<'static>,
    units_per_em: f32,
    /// Per glyph id, filled once: both band threads read it without locking.
    glyphs: Vec<OnceLock<Option<Path>>>,
}

impl Font {
    fn load(data: &'static [u8]) -> Font {
        let face = rustybuzz::Face::from_slice(data, 0).expect("the embedded font parses");
        Font {
            units_per_em: f32::from(ttf_parser::Face::units_per_em(&face)),
            glyphs: (0..face.number_of_glyphs())
                .map(|_| OnceLock::new())
                .collect(),
            face,
        }
    }

    /// The glyph's outline in font units (`None` for a blank glyph such as a space).
    fn glyph(&self, id: u16) -> Option<&Path> {
        self.glyphs
            .get(usize::from(id))?
            .get_or_init(|| {
                let mut outline = Outline(PathBuilder::new());
                self.face
                    .outline_glyph(ttf_parser::GlyphId(id), &mut outline)?;
                outline.0.finish()
            })
            .as_ref()
    }
}

fn font(weight: Weight) -> &'static Font {
    static REGULAR: OnceLock<Font> = OnceLock::new();
    static BOLD: OnceLock<Font> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR.get_or_init(|| Font::load(FONT_REGULAR)),
        Weight::Bold => BOLD.get_or_init(|| Font::load(FONT_BOLD)),
    }
}

struct Outline(PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

/// Draws a whole page into a new pixmap (tests and the single-band case).
pub fn draw_page(page: &Page, kx: f32, ky: f32, w: u32, h: u32) -> Option<Pixmap> {
    let mut pixmap = Pixmap::new(w, h)?;
    let bg = page.background;
    pixmap.fill(tiny_skia::Color::from_rgba8(bg.r, bg.g, bg.b, 255));
    draw_band(page, kx, ky, 0.0, &mut pixmap.as_mut());
    Some(pixmap)
}
