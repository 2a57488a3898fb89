//! What keeps the canvas readable away from 100%: the stage header row and the lane column
//! pinned to the canvas's edges while the grid is scrolled under them (like a spreadsheet's
//! frozen rows and columns), and, when zoomed out so far that the scene's own text would be
//! too small to read, labels drawn at a floor size in its place: stage names with their
//! moment-of-truth pills, lane names, and one title line on each card.
//!
//! The pinned headers are copies of the scene's own header items
//! ([`scene::canvas::header_row_items`], [`scene::canvas::lane_column_items`]), built with
//! the scene and drawn through a view shifted so that they stay at the edge. Labels at the
//! floor size are laid out by egui (elided with "…" to the room they have), for the few
//! headers and the cards on screen only.

use super::items::{MIN_READABLE_TEXT, empty_label_box, paint_item};
use super::view::{View, visible_canvas_rect};
use crate::model::{Document, LaneId, Stage, StageId};
use crate::scene::style::{
    CAPTION_SIZE, CARD_PAD, CARD_TITLE_SIZE, LANE_HEADER_W, LANE_TITLE_SIZE, STAGE_HEADER_H,
    STAGE_TITLE_SIZE,
};
use crate::scene::{self, Item, Layout, Palette, Point};
use crate::ui::tokens::{bold, scene_color};
use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Painter, Pos2, Rect, Stroke, pos2, vec2};

/// Header labels whose scene text is too small are drawn this high (points) instead.
const LABEL_FLOOR: f32 = 7.0;

/// Size (canvas units) of the one title line a card shows when its full text is too small;
/// drawn only while that is at least [`MIN_READABLE_TEXT`] on screen.
const COMPACT_TITLE_SIZE: f32 = 22.0;

/// Narrower than this (points), a header gets no floor label: it would be "…" alone.
const MIN_LABEL_ROOM: f32 = 18.0;

/// Copies of the header row and of the lane column, rebuilt with the scene.
#[derive(Default)]
pub struct PinnedHeaders {
    row: Vec<Item>,
    column: Vec<Item>,
    palette: Palette,
    /// The grid's extent, where the pinned headers' shadows stop.
    bounds: scene::Rect,
}

impl PinnedHeaders {
    pub fn rebuild(&mut self, doc: &Document, layout: &Layout, palette: &Palette) {
        self.row.clear();
        self.column.clear();
        scene::canvas::header_row_items(doc, layout, palette, &mut self.row);
        scene::canvas::lane_column_items(doc, layout, palette, &mut self.column);
        // The line of visibility runs across the grid: only its caption is pinned.
        self.column
            .retain(|i| i.bounds().max.x <= LANE_HEADER_W + 1.0);
        self.palette = palette.clone();
        self.bounds = layout.bounds();
    }
}

/// How far the header row and the lane column are shifted this frame to stay on screen
/// (screen points, `None` when they are where the grid puts them).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pins {
    pub row: Option<f32>,
    pub column: Option<f32>,
}

impl Pins {
    /// Pinned when the header would leave the top (left) edge while some of the grid is
    /// still below it (to the right of it).
    pub fn of(view: &View, area: Rect, bounds: scene::Rect) -> Pins {
        let z = view.zoom;
        let origin = view.to_screen(area, Point::new(0.0, 0.0));
        let end = view.to_screen(area, bounds.max);
        let row = (origin.y < area.min.y && end.y > area.min.y + STAGE_HEADER_H * z)
            .then_some(area.min.y - origin.y);
        let column = (origin.x < area.min.x && end.x > area.min.x + LANE_HEADER_W * z)
            .then_some(area.min.x - origin.x);
        Pins { row, column }
    }

    /// The view the header row is drawn through.
    pub fn row_view(&self, view: &View) -> View {
        View {
            offset: view.offset + vec2(0.0, self.row.unwrap_or(0.0)),
            zoom: view.zoom,
        }
    }

    /// The view the lane column is drawn through.
    pub fn column_view(&self, view: &View) -> View {
        View {
            offset: view.offset + vec2(self.column.unwrap_or(0.0), 0.0),
            zoom: view.zoom,
        }
    }

    /// The view the corner above the lane column is drawn through.
    pub fn corner_view(&self, view: &View) -> View {
        self.row_view(&self.column_view(view))
    }

    /// The view through which the thing under `pointer` is drawn: a pinned header's where
    /// the pointer is over one, the plain view elsewhere.
    pub fn view_at(&self, view: &View, area: Rect, pointer: Pos2) -> View {
        let z = view.zoom;
        let in_row = self.row.is_some() && pointer.y < area.min.y + STAGE_HEADER_H * z;
        let in_column = self.column.is_some() && pointer.x < area.min.x + LANE_HEADER_W * z;
        match (in_row, in_column) {
            (true, true) => self.corner_view(view),
            (true, false) => self.row_view(view),
            (false, true) => self.column_view(view),
            (false, false) => *view,
        }
    }

    /// Where a stage's header is on screen, pinned or not.
    pub fn stage_header(
        &self,
        view: &View,
        area: Rect,
        layout: &Layout,
        id: &StageId,
    ) -> Option<Rect> {
        let r = layout.stage_header(id)?;
        Some(self.row_view(view).rect_to_screen(area, r))
    }

    /// Where a lane's header is on screen, pinned or not.
    pub fn lane_header(
        &self,
        view: &View,
        area: Rect,
        layout: &Layout,
        id: &LaneId,
    ) -> Option<Rect> {
        let r = layout.lane_header(id)?;
        Some(self.column_view(view).rect_to_screen(area, r))
    }
}

/// Draws the pinned header row, lane column and the corner between them over the scene.
pub fn paint_pinned(
    painter: &Painter,
    headers: &PinnedHeaders,
    pins: Pins,
    view: &View,
    area: Rect,
) {
    let z = view.zoom;
    let shadow = crate::ui::tokens::PIN_SHADOW;
    let row_bottom = area.min.y + STAGE_HEADER_H * z;
    let column_right = area.min.x + LANE_HEADER_W * z;
    let end = view.to_screen(area, headers.bounds.max).min(area.max);
    if pins.row.is_some() {
        paint_items(painter, &pins.row_view(view), area, &headers.row);
        painter.hline(
            area.min.x..=end.x,
            row_bottom + 1.0,
            Stroke::new(2.0, shadow),
        );
    }
    if pins.column.is_some() {
        let v = pins.column_view(view);
        let top = if pins.row.is_some() {
            row_bottom
        } else {
            area.min.y
        };
        let clipped = painter.with_clip_rect(Rect::from_min_max(pos2(area.min.x, top), area.max));
        paint_items(&clipped, &v, area, &headers.column);
        clipped.vline(column_right + 1.0, top..=end.y, Stroke::new(2.0, shadow));
        // The corner above the lane column: the part of the header row the grid puts there.
        let v = pins.corner_view(view);
        let corner = Rect::from_min_max(
            area.min,
            pos2(
                column_right,
                v.to_screen(area, Point::new(0.0, STAGE_HEADER_H)).y,
            ),
        );
        let clipped = painter.with_clip_rect(corner.intersect(area));
        paint_items(&clipped, &v, area, &headers.row);
    }
}

/// The items that meet the painter's clip rectangle.
fn paint_items(painter: &Painter, view: &View, area: Rect, items: &[Item]) {
    let clip = painter.clip_rect();
    for (i, item) in items.iter().enumerate() {
        if view.rect_to_screen(area, item.bounds()).intersects(clip)
            && !empty_label_box(items, i, view.zoom)
        {
            paint_item(painter, view, area, item, 1.0);
        }
    }
}

/// One line of text elided to `width`, or `None` when there is no room for it.
fn label(
    painter: &Painter,
    text: &str,
    font: FontId,
    color: Color32,
    width: f32,
    rows: usize,
) -> Option<std::sync::Arc<egui::Galley>> {
    if width < MIN_LABEL_ROOM || text.trim().is_empty() {
        return None;
    }
    let mut job =
        LayoutJob::single_section(text.trim().to_owned(), TextFormat::simple(font, color));
    job.wrap = TextWrapping {
        max_width: width,
        max_rows: rows,
        break_anywhere: rows == 1,
        ..Default::default()
    };
    Some(painter.layout_job(job))
}

/// Stage names, moment-of-truth pills and lane names at a floor size, where the scene's own
/// text for them is too small to be drawn.
pub fn paint_header_labels(
    painter: &Painter,
    doc: &Document,
    layout: &Layout,
    headers: &PinnedHeaders,
    pins: Pins,
    view: &View,
    area: Rect,
) {
    let z = view.zoom;
    let p = &headers.palette;
    if STAGE_TITLE_SIZE * z < MIN_READABLE_TEXT || CAPTION_SIZE * z < MIN_READABLE_TEXT {
        // Left of the pinned lane column the stage headers are under it.
        let left = if pins.column.is_some() {
            area.min.x + LANE_HEADER_W * z
        } else {
            area.min.x
        };
        let clipped = painter.with_clip_rect(Rect::from_min_max(pos2(left, area.min.y), area.max));
        for s in &doc.stages {
            if let Some(h) = pins.stage_header(view, area, layout, &s.id)
                && h.intersects(area)
            {
                stage_label(&clipped, s, h, z, p);
            }
        }
    }
    if LANE_TITLE_SIZE * z < MIN_READABLE_TEXT {
        let top = if pins.row.is_some() {
            area.min.y + STAGE_HEADER_H * z
        } else {
            area.min.y
        };
        let clipped = painter.with_clip_rect(Rect::from_min_max(pos2(area.min.x, top), area.max));
        for l in &doc.lanes {
            if let Some(h) = pins.lane_header(view, area, layout, &l.id)
                && h.intersects(area)
            {
                lane_label(&clipped, &l.name, h, z, p);
            }
        }
    }
}

/// Padding inside a header around a floor label, at zoom `z` (points).
fn label_pad(z: f32) -> f32 {
    (16.0 * z).max(3.0)
}

/// A stage's name and moment-of-truth pill at the floor size, in its header `h` (screen),
/// each where the scene's own text for it is too small.
fn stage_label(painter: &Painter, s: &Stage, h: Rect, z: f32, p: &Palette) {
    let pad = label_pad(z);
    let room = h.width() - 2.0 * pad;
    let mut x = h.min.x + pad;
    let y = h.min.y + (10.0 * z).max(2.0);
    // The scene draws the name while it is large enough; the pill goes below it.
    let name_here = STAGE_TITLE_SIZE * z < MIN_READABLE_TEXT;
    let name_h = if name_here {
        LABEL_FLOOR * 1.4
    } else {
        scene::text::line_height(STAGE_TITLE_SIZE) * z
    };
    let two_rows = !name_here || h.height() >= 2.0 * (LABEL_FLOOR * 1.4 + 3.0) + 4.0;
    let mut name_room = room;
    if let Some(m) = s.moment
        && CAPTION_SIZE * z < MIN_READABLE_TEXT
    {
        let fill = p.moment(m);
        let text = scene_color(p.text_on(fill));
        if let Some(g) = label(painter, m.label(), bold(LABEL_FLOOR), text, room - 8.0, 1) {
            let size = g.size() + vec2(8.0, 2.0);
            let pill_y = if two_rows {
                (h.min.y + 40.0 * z)
                    .max(y + name_h + 1.0)
                    .min(h.max.y - size.y - 1.0)
            } else {
                y
            };
            let pill = Rect::from_min_size(pos2(x, pill_y), size);
            painter.rect_filled(pill, size.y / 2.0, scene_color(fill));
            painter.galley(pill.min + vec2(4.0, 1.0), g, text);
            if !two_rows {
                x = pill.max.x + 4.0;
                name_room = h.max.x - pad - x;
            }
        }
    }
    let color = scene_color(p.stage_header_text);
    if name_here && let Some(g) = label(painter, &s.name, bold(LABEL_FLOOR), color, name_room, 1) {
        painter.galley(pos2(x, y), g, color);
    }
}

/// A lane's name at the floor size in its header `h` (screen): on two lines where there
/// is room, unless a word would be cut across them.
fn lane_label(painter: &Painter, name: &str, h: Rect, z: f32, p: &Palette) {
    let pad = label_pad(z);
    let width = h.width() - 2.0 * pad;
    let word_fits = |w: &str| {
        painter
            .layout_no_wrap(w.to_owned(), bold(LABEL_FLOOR), Color32::PLACEHOLDER)
            .size()
            .x
            <= width
    };
    let rows = if h.height() >= 3.0 * LABEL_FLOOR * 1.4 && name.split_whitespace().all(word_fits) {
        2
    } else {
        1
    };
    let color = scene_color(p.lane_header_text);
    if let Some(g) = label(painter, name, bold(LABEL_FLOOR), color, width, rows) {
        let at = pos2(h.min.x + pad, h.min.y + (16.0 * z).max(2.0));
        painter.galley(at, g, color);
    }
}

/// One title line on each card on screen, where the cards' full text is too small to draw.
pub fn paint_compact_titles(
    painter: &Painter,
    doc: &Document,
    layout: &Layout,
    headers: &PinnedHeaders,
    dimmed: &dyn Fn(&crate::model::Touchpoint) -> bool,
    view: &View,
    area: Rect,
) {
    let z = view.zoom;
    let size = COMPACT_TITLE_SIZE * z;
    if CARD_TITLE_SIZE * z >= MIN_READABLE_TEXT || size < MIN_READABLE_TEXT {
        return;
    }
    let visible = visible_canvas_rect(view, area);
    let p = &headers.palette;
    for (i, tp) in doc.touchpoints.iter().enumerate() {
        let Some(r) = layout.card_rect_at(i) else {
            continue;
        };
        if !r.intersects(visible) {
            continue;
        }
        let screen = view.rect_to_screen(area, r);
        let color = if dimmed(tp) {
            p.text.faded(scene::style::DIM_FACTOR)
        } else {
            p.text
        };
        let title = if tp.title.trim().is_empty() {
            "(untitled)"
        } else {
            &tp.title
        };
        let pad = CARD_PAD * z;
        if let Some(g) = label(
            painter,
            title,
            bold(size),
            scene_color(color),
            screen.width() - 2.0 * pad,
            1,
        ) {
            // Below the theme stripe, where the full title starts.
            let y = screen.min.y + 19.0 * z;
            painter.galley(pos2(screen.min.x + pad, y), g, scene_color(color));
        }
    }
}
