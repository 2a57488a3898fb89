//! The grid the cards sit in: the background, lane bands, grid lines, the header row of
//! stages (names, moments of truth), the lane column (names, kinds, the line of
//! visibility) and the frame around it all. With the emotion curve shown, its band's fill
//! lies with the lane bands; the curve itself is a layer of its own (`scene::curve`).

use super::shapes::{centered_text, hline, rect_item, text_item, vline};
use crate::model::{ChannelKind, Document, Moment};
use crate::scene::geom::{Point, Rect, Rgba};
use crate::scene::layout::Layout;
use crate::scene::style::{
    CAPTION_SIZE, GRID_WIDTH, LANE_HEADER_W, LANE_TITLE_SIZE, Palette, STAGE_HEADER_H,
    STAGE_TITLE_SIZE,
};
use crate::scene::text::{self, Weight};
use crate::scene::{Detail, Group, GroupId, Item, Scene, begin};

/// Inset of header texts from the left edge of their header.
const HEADER_INSET: f32 = 16.0;
/// Top of a stage's name, and the inset of the dividers between stage headers.
const STAGE_NAME_TOP: f32 = 10.0;
/// Top of the "STAGES" caption in the corner above the lane column.
const STAGES_CAPTION_TOP: f32 = 14.0;
/// How strongly the dividers between stage headers show (a share of the caption colour).
const STAGE_DIVIDER_ALPHA: f32 = 0.35;
/// Height of the strip in a moment's colour along the bottom of its stage's header.
const MOMENT_STRIP_H: f32 = 4.0;
/// Top of a moment-of-truth pill in its stage's header.
const MOMENT_PILL_TOP: f32 = 40.0;
/// Room around a pill's label: across (both sides together) and down.
const PILL_PAD_X: f32 = 12.0;
const PILL_PAD_Y: f32 = 2.0;
/// Space between a pill and the caption after it.
const PILL_CAPTION_GAP: f32 = 8.0;
/// Narrower than this, a moment's caption is left out.
const MIN_CAPTION_W: f32 = 20.0;
/// Top of a lane's name in its header, and the space above the lane's kind below it.
const LANE_NAME_TOP: f32 = 16.0;
const LANE_KIND_GAP: f32 = 2.0;
/// Lines of a lane's name before the ellipsis.
const LANE_NAME_LINES: usize = 2;
/// Width of the dashed line of visibility, and where its caption sits: in from the lane
/// column's right edge, and above the line.
const VISIBILITY_WIDTH: f32 = 1.5;
const VISIBILITY_CAPTION_INSET: f32 = 10.0;
const VISIBILITY_CAPTION_RISE: f32 = 3.0;

/// The background and the grid, as a scene of its own with its layer groups.
pub(super) fn grid_scene(doc: &Document, layout: &Layout, p: &Palette) -> Scene {
    let bounds = layout.bounds();
    let mut items = Vec::new();
    let mut groups = Vec::new();
    begin(&mut groups, 0, GroupId::Layer("background"));
    items.push(rect_item(bounds, 0.0, p.background, None));
    grid(doc, layout, p, &mut items, &mut groups);
    Scene {
        bounds,
        items,
        groups,
    }
}

/// Header row, lane column, lane bands, grid lines and the line of visibility.
fn grid(
    doc: &Document,
    layout: &Layout,
    p: &Palette,
    items: &mut Vec<Item>,
    groups: &mut Vec<Group>,
) {
    let bounds = layout.bounds();
    // Lane bands first, so grid lines lie on top of them.
    begin(groups, items.len(), GroupId::Layer("lane-bands"));
    crate::scene::curve::band_fill(layout, p, items);
    for (i, lane) in doc.lanes.iter().enumerate() {
        let Some(h) = layout.lane_header(&lane.id) else {
            continue;
        };
        let fill = if lane.kind == ChannelKind::Backstage {
            p.backstage_band
        } else {
            p.band[i % 2]
        };
        let band = Rect::from_min_max(
            Point::new(LANE_HEADER_W, h.min.y),
            Point::new(bounds.max.x, h.max.y),
        );
        items.push(rect_item(band, 0.0, fill, None));
    }
    begin(groups, items.len(), GroupId::Layer("grid-lines"));
    for h in doc.stages.iter().filter_map(|s| layout.stage_header(&s.id)) {
        let (top, bottom) = (STAGE_HEADER_H, bounds.max.y);
        items.push(vline(h.max.x, top, bottom, GRID_WIDTH, p.grid_line));
    }
    for h in doc.lanes.iter().filter_map(|l| layout.lane_header(&l.id)) {
        let (left, right) = (LANE_HEADER_W, bounds.max.x);
        items.push(hline(left, right, h.max.y, GRID_WIDTH, p.grid_line));
    }
    begin(groups, items.len(), GroupId::Layer("stages"));
    header_row_items(doc, layout, p, items);
    begin(groups, items.len(), GroupId::Layer("lanes"));
    lane_column_items(doc, layout, p, items);
    begin(groups, items.len(), GroupId::Layer("frame"));
    let (top, bottom) = (STAGE_HEADER_H, bounds.max.y);
    items.push(vline(LANE_HEADER_W, top, bottom, GRID_WIDTH, p.grid_line));
    let frame = Some((GRID_WIDTH, p.grid_line));
    items.push(rect_item(bounds, 0.0, Rgba::TRANSPARENT, frame));
}

/// The short name of a moment's meaning ("discovery").
fn moment_caption(m: Moment) -> &'static str {
    let d = m.description();
    d.rsplit(": ").next().unwrap_or(d)
}

/// The header row: one dark band across the grid (the corner above the lane column
/// included), the stages' names and their moments of truth. Public so that the editor can
/// pin a copy of it at the top of the canvas while the grid is scrolled down.
pub fn header_row_items(doc: &Document, layout: &Layout, p: &Palette, items: &mut Vec<Item>) {
    let bounds = layout.bounds();
    let band = Rect::from_min_max(
        Point::new(0.0, 0.0),
        Point::new(bounds.max.x, STAGE_HEADER_H),
    );
    items.push(rect_item(band, 0.0, p.stage_header_fill, None));
    let caption = |pos, text: &str| {
        let (size, weight) = (CAPTION_SIZE, Weight::Bold);
        text_item(pos, text.to_owned(), size, weight, p.stage_header_caption)
    };
    let channels_top = STAGE_HEADER_H - HEADER_INSET - text::line_height(CAPTION_SIZE);
    items.push(caption(Point::new(HEADER_INSET, channels_top), "CHANNELS"));
    let stages_w = text::measure("STAGES", CAPTION_SIZE, Weight::Bold);
    let stages_x = LANE_HEADER_W - HEADER_INSET - stages_w;
    items.push(caption(Point::new(stages_x, STAGES_CAPTION_TOP), "STAGES"));
    for s in &doc.stages {
        let Some(h) = layout.stage_header(&s.id) else {
            continue;
        };
        let inner = h.width() - 2.0 * HEADER_INSET;
        items.push(vline(
            h.min.x,
            STAGE_NAME_TOP,
            STAGE_HEADER_H - STAGE_NAME_TOP,
            GRID_WIDTH,
            p.stage_header_caption.faded(STAGE_DIVIDER_ALPHA),
        ));
        items.push(text_item(
            Point::new(h.min.x + HEADER_INSET, STAGE_NAME_TOP),
            text::ellipsize(&s.name, STAGE_TITLE_SIZE, Weight::Bold, inner),
            STAGE_TITLE_SIZE,
            Weight::Bold,
            p.stage_header_text,
        ));
        if let Some(m) = s.moment {
            moment_items(m, h, inner, p, items);
        }
    }
}

/// A stage's moment of truth in its header `h`: a strip in the moment's colour, a pill
/// with its name, and what it means when there is room (`inner` across).
fn moment_items(m: Moment, h: Rect, inner: f32, p: &Palette, items: &mut Vec<Item>) {
    let color = p.moment(m);
    // A strip in the moment's colour ties the column to its moment of truth.
    let strip = Rect::from_min_max(
        Point::new(h.min.x, STAGE_HEADER_H - MOMENT_STRIP_H),
        Point::new(h.max.x, STAGE_HEADER_H),
    );
    items.push(rect_item(strip, 0.0, color, None));
    let label = m.label();
    let bw = text::measure(label, CAPTION_SIZE, Weight::Bold) + PILL_PAD_X;
    let bh = text::line_height(CAPTION_SIZE) + PILL_PAD_Y;
    let badge = Rect::from_min_size(Point::new(h.min.x + HEADER_INSET, MOMENT_PILL_TOP), bw, bh);
    items.push(Item::Rect {
        rect: badge,
        radius: bh / 2.0,
        fill: color,
        stroke: None,
        detail: Detail::Readable,
    });
    let on = p.text_on(color);
    items.push(centered_text(
        badge.center(),
        label,
        CAPTION_SIZE,
        Weight::Bold,
        on,
    ));
    let caption_w = inner - bw - PILL_CAPTION_GAP;
    if caption_w > MIN_CAPTION_W {
        let text = text::ellipsize(moment_caption(m), CAPTION_SIZE, Weight::Regular, caption_w);
        items.push(text_item(
            Point::new(badge.max.x + PILL_CAPTION_GAP, badge.min.y + 1.0),
            text,
            CAPTION_SIZE,
            Weight::Regular,
            p.stage_header_caption,
        ));
    }
}

/// The lane column: each lane's name and kind, and the line of visibility above the first
/// backstage lane that follows a visible one (it runs across the whole grid). Public so
/// that the editor can pin a copy at the left of the canvas while the grid is scrolled.
pub fn lane_column_items(doc: &Document, layout: &Layout, p: &Palette, items: &mut Vec<Item>) {
    let bounds = layout.bounds();
    let mut previous_visible = false;
    for lane in &doc.lanes {
        let Some(h) = layout.lane_header(&lane.id) else {
            continue;
        };
        items.push(rect_item(h, 0.0, p.lane_header_fill, None));
        items.push(hline(0.0, LANE_HEADER_W, h.max.y, GRID_WIDTH, p.grid_line));
        let width = LANE_HEADER_W - 2.0 * HEADER_INSET;
        let lines = text::wrap(
            &lane.name,
            LANE_TITLE_SIZE,
            Weight::Bold,
            width,
            LANE_NAME_LINES,
        );
        let lh = text::line_height(LANE_TITLE_SIZE);
        let mut y = h.min.y + LANE_NAME_TOP;
        for line in lines {
            let pos = Point::new(HEADER_INSET, y);
            let (size, weight) = (LANE_TITLE_SIZE, Weight::Bold);
            items.push(text_item(pos, line, size, weight, p.lane_header_text));
            y += lh;
        }
        items.push(text_item(
            Point::new(HEADER_INSET, y + LANE_KIND_GAP),
            lane.kind.label().to_owned(),
            CAPTION_SIZE,
            Weight::Regular,
            p.lane_header_caption,
        ));
        let backstage = lane.kind == ChannelKind::Backstage;
        if backstage && previous_visible {
            visibility_line(h.min.y, bounds.max.x, p, items);
        }
        previous_visible = !backstage;
    }
}

/// The line of visibility at height `y`, across the grid (`right` is its right edge):
/// what the customer sees is above, backstage below.
fn visibility_line(y: f32, right: f32, p: &Palette, items: &mut Vec<Item>) {
    items.push(Item::Curve {
        from: Point::new(0.0, y),
        ctrl1: Point::new(right / 3.0, y),
        ctrl2: Point::new(right * 2.0 / 3.0, y),
        to: Point::new(right, y),
        width: VISIBILITY_WIDTH,
        color: p.visibility_line,
        arrow_head: false,
        dashed: true,
        detail: Detail::Always,
    });
    let caption = "line of visibility";
    let cw = text::measure(caption, CAPTION_SIZE, Weight::Regular);
    items.push(text_item(
        Point::new(
            LANE_HEADER_W - VISIBILITY_CAPTION_INSET - cw,
            y - text::line_height(CAPTION_SIZE) - VISIBILITY_CAPTION_RISE,
        ),
        caption.to_owned(),
        CAPTION_SIZE,
        Weight::Regular,
        p.lane_header_caption,
    ));
}
