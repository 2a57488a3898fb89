//! Page composition: the canvas scaled onto paper, with a title block, a legend and the
//! coherence summary, optionally cut into tiles with overlap and crop marks.
//!
//! Page units are CSS pixels (1/96 inch), so a 12 px legend text is 9 pt on paper whatever
//! the DPI. A page is a stack of [`Layer`]s: each layer is a scene placed with a scale and an
//! offset, optionally clipped (tiles show only their part of the poster).

use super::options::{ExportError, ExportOptions, Orientation, Tiles};
use crate::model::Document;
use crate::scene::style::Palette;
use crate::scene::text::{self, Weight};
use crate::scene::{
    CanvasOptions, Detail, Group, GroupId, Item, Layout, Point, Rect, Rgba, Scene, build_canvas,
};
use crate::scoring::Report;

mod legend;
use legend::*;

/// CSS pixels per millimetre.
pub const PX_PER_MM: f32 = 96.0 / 25.4;

/// A scene placed on a page: `page = offset + scale * scene`, clipped to `clip` (page units).
#[derive(Clone, Debug)]
pub struct Layer {
    pub scene: Scene,
    pub scale: f32,
    pub offset: Point,
    pub clip: Option<Rect>,
}

impl Layer {
    /// A layer drawn at its own coordinates.
    pub fn plain(scene: Scene) -> Self {
        Self {
            scene,
            scale: 1.0,
            offset: Point::default(),
            clip: None,
        }
    }

    /// Where an item of this layer lands on the page (for culling bands).
    pub fn page_rect(&self, r: Rect) -> Rect {
        let s = self.scale;
        Rect::from_min_max(
            Point::new(self.offset.x + s * r.min.x, self.offset.y + s * r.min.y),
            Point::new(self.offset.x + s * r.max.x, self.offset.y + s * r.max.y),
        )
    }
}

/// One sheet of paper (or one image), in page units.
#[derive(Clone, Debug)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub background: Rgba,
    pub layers: Vec<Layer>,
    /// "sheet 2 of 6 (row 1, column 2)" for tiles; `None` for a single page.
    pub tile: Option<(usize, usize)>,
}

const GAP: f32 = 18.0;
const TITLE_SIZE: f32 = 26.0;
const SUBTITLE_SIZE: f32 = 13.0;
const HEADING_SIZE: f32 = 10.5;
const BODY_SIZE: f32 = 12.0;
const SMALL_SIZE: f32 = 11.0;
const MAX_LEGEND_THEMES: usize = 12;
const MAX_FINDINGS: usize = 5;
/// Fixes listed under the findings ("Fix first"), and the largest canvas they are tried on
/// (each one rescores the canvas).
const MAX_FIXES: usize = 3;
const FIXES_UP_TO: usize = 2_000;

fn text(pos: Point, s: impl Into<String>, size: f32, weight: Weight, color: Rgba) -> Item {
    Item::Text {
        pos,
        text: s.into(),
        size,
        weight,
        color,
        detail: Detail::Readable,
    }
}

fn heading(x: f32, y: f32, label: &str, p: &Palette) -> Item {
    text(
        Point::new(x, y),
        label,
        HEADING_SIZE,
        Weight::Bold,
        p.muted_text,
    )
}

/// Title, persona and a short count line across the top.
fn header_block(doc: &Document, width: f32, p: &Palette) -> Scene {
    let mut items = Vec::new();
    let title = if doc.title.trim().is_empty() {
        "Untitled journey"
    } else {
        doc.title.trim()
    };
    let counts = format!(
        "{} touchpoints · {} stages · {} channels · {} themes",
        doc.touchpoints.len(),
        doc.stages.len(),
        doc.lanes.len(),
        doc.themes.len()
    );
    let counts_w = text::measure(&counts, SMALL_SIZE, Weight::Regular);
    let title_w = (width - counts_w - GAP).max(width * 0.5);
    items.push(text(
        Point::new(0.0, 0.0),
        text::ellipsize(title, TITLE_SIZE, Weight::Bold, title_w),
        TITLE_SIZE,
        Weight::Bold,
        p.text,
    ));
    if width - title_w - GAP >= counts_w {
        items.push(text(
            Point::new(
                width - counts_w,
                text::baseline(TITLE_SIZE) - text::baseline(SMALL_SIZE),
            ),
            counts,
            SMALL_SIZE,
            Weight::Regular,
            p.muted_text,
        ));
    }
    let mut height = text::line_height(TITLE_SIZE);
    let line = personas_line(doc);
    if !line.is_empty() {
        items.push(text(
            Point::new(0.0, height + 2.0),
            text::ellipsize(&line, SUBTITLE_SIZE, Weight::Regular, width),
            SUBTITLE_SIZE,
            Weight::Regular,
            p.muted_text,
        ));
        height += 2.0 + text::line_height(SUBTITLE_SIZE);
    }
    Scene {
        bounds: Rect::from_min_size(Point::default(), width, height),
        items,
        groups: vec![group("title")],
    }
}

/// The personas in one line: "Persona: Camille — a good coffee", or with several,
/// "Personas: Sam — a quiet night; the Moreaus — a holiday the children love".
fn personas_line(doc: &Document) -> String {
    let one = |persona: &crate::model::Persona| match (persona.name.trim(), persona.goal.trim()) {
        ("", "") => String::new(),
        (n, "") => n.to_owned(),
        ("", g) => format!("goal: {g}"),
        (n, g) => format!("{n} — {g}"),
    };
    let parts: Vec<String> = doc
        .personas
        .iter()
        .map(one)
        .filter(|s| !s.is_empty())
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        [only] if only.starts_with("goal: ") => format!("Goal: {}", &only[6..]),
        [only] => format!("Persona: {only}"),
        many => format!("Personas: {}", many.join("; ")),
    }
}

/// A layer group covering a whole scene.
fn group(id: &'static str) -> Group {
    Group {
        start: 0,
        id: GroupId::Layer(id),
    }
}

/// The poster: everything that is printed, before it is cut into sheets.
struct Poster {
    width: f32,
    height: f32,
    /// How far down the poster's content reaches (title, canvas, legend); below it the
    /// poster is blank paper.
    used_height: f32,
    layers: Vec<Layer>,
}

/// Lays out title, canvas and footer in a `width` × `height` box, with the canvas at
/// `scale` (or as large as fits when `None`). Fails when a fixed scale does not fit.
fn compose_poster(
    doc: &Document,
    report: &Report,
    canvas: Scene,
    opts: &ExportOptions,
    p: &Palette,
    size: Option<(f32, f32)>,
) -> Result<Poster, ExportError> {
    let cb = canvas.bounds;
    let min_width = if opts.legend || opts.summary {
        640.0
    } else {
        0.0
    };
    let width = match size {
        Some((w, _)) => w,
        None => (cb.width() * opts.scale.unwrap_or(1.0)).max(min_width),
    };
    let header = opts.summary.then(|| header_block(doc, width, p));
    let footer = footer_block(doc, report, width, opts.legend, opts.summary, p);
    let header_h = header.as_ref().map_or(0.0, |h| h.bounds.height() + GAP);
    let footer_h = footer.as_ref().map_or(0.0, |f| f.bounds.height() + GAP);
    let (scale, height) = match size {
        Some((w, h)) => {
            let avail_h = h - header_h - footer_h;
            if avail_h < h * 0.25 {
                return Err(ExportError::Options(
                    "the legend and summary leave too little room for the canvas on this paper; \
                     use a larger paper, --no-legend or --no-summary"
                        .into(),
                ));
            }
            let fit = (w / cb.width()).min(avail_h / cb.height());
            let scale = match opts.scale {
                Some(s) if s > fit * 1.0001 => {
                    return Err(ExportError::Options(format!(
                        "at scale {s} the canvas does not fit on one sheet (at most {fit:.2} fits); \
                         use --tiles auto, a larger paper, or a smaller --scale"
                    )));
                }
                Some(s) => s,
                None => fit,
            };
            (scale, h)
        }
        None => {
            let s = opts.scale.unwrap_or(1.0);
            (s, header_h + cb.height() * s + footer_h)
        }
    };
    let mut layers = Vec::new();
    layers.push(Layer {
        scene: Scene {
            bounds: Rect::from_min_size(Point::default(), width, height),
            items: vec![Item::Rect {
                rect: Rect::from_min_size(Point::default(), width, height),
                radius: 0.0,
                fill: p.background,
                stroke: None,
                detail: Detail::Always,
            }],
            groups: vec![group("paper")],
        },
        scale: 1.0,
        offset: Point::default(),
        clip: None,
    });
    if let Some(h) = header {
        layers.push(Layer::plain(h));
    }
    let canvas_w = cb.width() * scale;
    layers.push(Layer {
        scene: canvas,
        scale,
        offset: Point::new(
            (width - canvas_w) / 2.0 - cb.min.x * scale,
            header_h - cb.min.y * scale,
        ),
        clip: None,
    });
    let mut used_height = header_h + cb.height() * scale;
    if let Some(f) = footer {
        // Right under the canvas, so a wide canvas leaves its spare paper at the bottom
        // rather than between the canvas and its legend.
        let fh = f.bounds.height();
        let below_canvas = header_h + cb.height() * scale + GAP;
        let mut layer = Layer::plain(f);
        layer.offset = Point::new(0.0, below_canvas.min(height - fh));
        used_height = layer.offset.y + fh;
        layers.push(layer);
    }
    Ok(Poster {
        width,
        height,
        used_height: used_height.min(height),
        layers,
    })
}

/// How far a crop mark reaches from the printable area's corner (gap plus stroke), so that
/// text in the margin can keep clear of it.
fn crop_mark_reach(margin: f32) -> (f32, f32) {
    let len = (margin * 0.6).min(8.0 * PX_PER_MM);
    let gap = (margin * 0.2).min(2.0 * PX_PER_MM);
    (gap, len)
}

/// Short crop marks at the four corners of `area`, in the margin around it.
fn crop_marks(area: Rect, margin: f32, p: &Palette) -> Vec<Item> {
    let (gap, len) = crop_mark_reach(margin);
    let ink = if p.dark { Rgba::WHITE } else { Rgba::BLACK };
    let mut items = Vec::new();
    let mut seg = |a: Point, b: Point| {
        items.push(Item::Line {
            points: vec![a, b],
            width: 0.75,
            color: ink,
            detail: Detail::Always,
        });
    };
    for (x, sx) in [(area.min.x, -1.0), (area.max.x, 1.0)] {
        for (y, sy) in [(area.min.y, -1.0), (area.max.y, 1.0)] {
            seg(
                Point::new(x + sx * gap, y),
                Point::new(x + sx * (gap + len), y),
            );
            seg(
                Point::new(x, y + sy * gap),
                Point::new(x, y + sy * (gap + len)),
            );
        }
    }
    items
}

/// The pages to print: one, or a grid of tiles.
pub fn compose_pages(
    doc: &Document,
    report: &Report,
    opts: &ExportOptions,
) -> Result<Vec<Page>, ExportError> {
    opts.validate()?;
    let palette = if opts.dark {
        Palette::dark()
    } else {
        Palette::light()
    };
    let layout = Layout::compute_with(doc, opts.emotion_curve);
    let mut canvas = build_canvas(
        doc,
        &layout,
        &CanvasOptions {
            palette: &palette,
            report: Some(report),
            highlight_theme: None,
            finding_markers: opts.summary,
            hatch_assumed: opts.hatch_assumed,
        },
    );
    for g in &mut canvas.groups {
        g.id = g.id.named(doc);
    }
    let cb = canvas.bounds;
    let margin = opts.margin_mm * PX_PER_MM;

    let Some((paper_w, paper_h)) = opts.paper.size_mm() else {
        // "Fit": the page is the poster plus margins; tiling does not apply.
        let poster = compose_poster(doc, report, canvas, opts, &palette, None)?;
        return Ok(vec![single_page(poster, margin, &palette)]);
    };
    let landscape = match opts.orientation {
        Orientation::Landscape => true,
        Orientation::Portrait => false,
        Orientation::Auto => cb.width() >= cb.height(),
    };
    let (pw, ph) = if landscape == (paper_w >= paper_h) {
        (paper_w, paper_h)
    } else {
        (paper_h, paper_w)
    };
    let (sheet_w, sheet_h) = (pw * PX_PER_MM, ph * PX_PER_MM);
    let (print_w, print_h) = (sheet_w - 2.0 * margin, sheet_h - 2.0 * margin);
    if print_w < 50.0 || print_h < 50.0 {
        return Err(ExportError::Options(
            "the margins leave no room on the paper".into(),
        ));
    }
    let overlap = opts.overlap_mm * PX_PER_MM;
    let (cols, rows) = match opts.tiles {
        Tiles::Off => {
            let poster = compose_poster(
                doc,
                report,
                canvas,
                opts,
                &palette,
                Some((print_w, print_h)),
            )?;
            let mut page = single_page(poster, margin, &palette);
            page.width = sheet_w;
            page.height = sheet_h;
            return Ok(vec![page]);
        }
        Tiles::Grid { cols, rows } => (cols, rows),
        Tiles::Auto => {
            // Enough sheets to print the canvas at the chosen scale (1 by default).
            let probe = compose_poster(doc, report, canvas.clone(), opts, &palette, None)?;
            let step_w = print_w - overlap;
            let step_h = print_h - overlap;
            let cols = ((probe.width - overlap) / step_w).ceil().max(1.0) as usize;
            let rows = ((probe.height - overlap) / step_h).ceil().max(1.0) as usize;
            (cols, rows)
        }
    };
    if cols * rows > super::options::MAX_TILES {
        return Err(ExportError::Options(format!(
            "{cols}×{rows} sheets is more than the {} this export allows; use a smaller --scale or a larger paper",
            super::options::MAX_TILES
        )));
    }
    let poster_w = cols as f32 * print_w - (cols as f32 - 1.0) * overlap;
    let poster_h = rows as f32 * print_h - (rows as f32 - 1.0) * overlap;
    let mut tile_opts = opts.clone();
    if matches!(opts.tiles, Tiles::Auto) {
        tile_opts.scale = None; // the grid was sized from the scale; now fill it
    }
    let poster = compose_poster(
        doc,
        report,
        canvas,
        &tile_opts,
        &palette,
        Some((poster_w, poster_h)),
    )?;
    // A wide canvas fitted to the width leaves paper blank below it: rows of sheets that
    // would print nothing of the poster are not printed.
    let step_h = print_h - overlap;
    let rows = if poster.used_height <= print_h {
        1
    } else {
        (((poster.used_height - overlap) / step_h).ceil() as usize).clamp(1, rows)
    };
    let mut pages = Vec::with_capacity(cols * rows);
    for r in 0..rows {
        for c in 0..cols {
            let x0 = c as f32 * (print_w - overlap);
            let y0 = r as f32 * (print_h - overlap);
            let area = Rect::from_min_size(Point::new(margin, margin), print_w, print_h);
            let mut layers: Vec<Layer> = poster
                .layers
                .iter()
                .map(|l| Layer {
                    scene: l.scene.clone(),
                    scale: l.scale,
                    offset: Point::new(l.offset.x + margin - x0, l.offset.y + margin - y0),
                    clip: Some(area),
                })
                .collect();
            let mut marks = Scene {
                bounds: Rect::from_min_size(Point::default(), sheet_w, sheet_h),
                items: Vec::new(),
                groups: vec![group("sheet-marks")],
            };
            if margin >= 4.0 * PX_PER_MM {
                marks.items.extend(crop_marks(area, margin, &palette));
                marks.items.extend(sheet_footer(
                    doc,
                    opts,
                    (r, c),
                    (rows, cols),
                    area,
                    margin,
                    &palette,
                ));
            }
            layers.push(Layer::plain(marks));
            pages.push(Page {
                width: sheet_w,
                height: sheet_h,
                background: palette.background,
                layers,
                tile: Some((r, c)),
            });
        }
    }
    Ok(pages)
}

/// "A1", "B2": a sheet's row as a letter, its column as a number, as on an assembly map.
pub fn sheet_code(row: usize, col: usize) -> String {
    let mut letters = String::new();
    let mut n = row;
    loop {
        letters.insert(0, char::from(b'A' + (n % 26) as u8));
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    format!("{letters}{}", col + 1)
}

/// The bottom margin of a tiled sheet: which sheet this is, in words, and an assembly map
/// (every sheet of the poster as a small box, this one filled), both kept clear of the crop
/// marks at the corners.
fn sheet_footer(
    doc: &Document,
    opts: &ExportOptions,
    (r, c): (usize, usize),
    (rows, cols): (usize, usize),
    area: Rect,
    margin: f32,
    p: &Palette,
) -> Vec<Item> {
    let (gap, len) = crop_mark_reach(margin);
    let clear = gap + len + 2.0 * PX_PER_MM;
    let band_top = area.max.y + gap;
    let band_h = margin - 2.0 * gap;
    let mut items = Vec::new();
    // The map: cells as tall as the band allows, at most 4 mm.
    let cell = (band_h / rows as f32).min(4.0 * PX_PER_MM).min(band_h);
    let map_w = cell * 1.4 * cols as f32;
    let map_x = area.max.x - clear - map_w;
    let map_y = band_top + (band_h - cell * rows as f32) / 2.0;
    for rr in 0..rows {
        for cc in 0..cols {
            let here = (rr, cc) == (r, c);
            items.push(Item::Rect {
                rect: Rect::from_min_size(
                    Point::new(map_x + cc as f32 * cell * 1.4, map_y + rr as f32 * cell),
                    cell * 1.4,
                    cell,
                ),
                radius: 0.0,
                fill: if here {
                    p.muted_text
                } else {
                    Rgba::TRANSPARENT
                },
                stroke: Some((0.5, p.muted_text)),
                detail: Detail::Always,
            });
        }
    }
    let label = format!(
        "{} · sheet {} ({} of {}: row {}, column {}) · overlap {} mm",
        if doc.title.trim().is_empty() {
            "Untitled journey"
        } else {
            doc.title.trim()
        },
        sheet_code(r, c),
        r * cols + c + 1,
        cols * rows,
        r + 1,
        c + 1,
        opts.overlap_mm
    );
    let size = (margin * 0.3).clamp(6.0, 9.0);
    let x = area.min.x + clear;
    let room = (map_x - 2.0 * PX_PER_MM - x).max(0.0);
    items.push(text(
        Point::new(x, band_top + (band_h - text::line_height(size)) / 2.0),
        text::ellipsize(&label, size, Weight::Regular, room),
        size,
        Weight::Regular,
        p.muted_text,
    ));
    items
}

fn single_page(poster: Poster, margin: f32, p: &Palette) -> Page {
    let layers = poster
        .layers
        .into_iter()
        .map(|l| Layer {
            offset: Point::new(l.offset.x + margin, l.offset.y + margin),
            ..l
        })
        .collect();
    Page {
        width: poster.width + 2.0 * margin,
        height: poster.height + 2.0 * margin,
        background: p.background,
        layers,
        tile: None,
    }
}
