//! What the canvas draws over the scene: selection outlines, the hovered card's handle,
//! gesture previews (card ghosts, a flow being drawn, the rubber band, a curve point
//! being dragged to another emotion), drop targets, and
//! the hint on an empty canvas. Screen-only: none of it is part of the scene or exports.

use super::input::DropTarget;
use super::state::{CanvasCtx, CanvasState, Gesture};
use crate::model::TouchpointId;
use crate::scene::style::{CARD_H, CARD_RADIUS, CARD_W, HANDLE_R};
use crate::scene::{self, Hit, Point};
use crate::ui::action::Selection;
use crate::ui::palette::{DragPayload, kind_color};
use crate::ui::tokens::{self, ACCENT, DROP_TARGET};
use egui::{Align2, CornerRadius, Painter, Pos2, Rect, Response, Stroke};
use egui::{StrokeKind, Ui, Vec2, pos2, vec2};

/// How far outside a card its selection or drop outline is drawn, in points.
const OUTLINE_GAP: f32 = 3.0;

/// What every overlay reads: where to paint, the canvas, and the pointer.
struct Overlay<'a> {
    painter: &'a Painter,
    st: &'a CanvasState,
    /// A card's corner radius at this zoom.
    radius: CornerRadius,
    /// The pointer over the canvas, in screen points.
    pointer: Option<Pos2>,
}

impl Overlay<'_> {
    fn to_screen(&self, p: Point) -> Pos2 {
        self.st.view.to_screen(self.st.area, p)
    }

    fn rect_to_screen(&self, r: scene::Rect) -> Rect {
        self.st.view.rect_to_screen(self.st.area, r)
    }

    /// The canvas point under the pointer.
    fn pointer_canvas(&self) -> Option<Point> {
        let st = self.st;
        self.pointer.map(|p| st.view.to_canvas(st.area, p))
    }

    /// An outline around a card, `width` points wide, if the card is laid out.
    fn card_outline(&self, id: &TouchpointId, gap: f32, stroke: Stroke) {
        if let Some(r) = self.st.card_screen_rect(id) {
            let outside = StrokeKind::Outside;
            self.painter
                .rect_stroke(r.expand(gap), self.radius, stroke, outside);
        }
    }
}

/// Selection outlines, handles, gesture previews and drop targets, drawn over the scene.
pub(super) fn paint_overlays(
    ui: &Ui,
    painter: &Painter,
    st: &CanvasState,
    cx: &CanvasCtx,
    resp: &Response,
    drop: Option<&(DropTarget, DragPayload)>,
) {
    let o = Overlay {
        painter,
        st,
        radius: CornerRadius::from(CARD_RADIUS * st.view.zoom),
        pointer: ui.input(|i| i.pointer.hover_pos()),
    };
    selection_overlay(&o, cx.selection);
    if st.gesture == Gesture::None && drop.is_none() && resp.hovered() {
        hover_overlay(&o);
    }
    match &st.gesture {
        Gesture::MoveCards { ids, grab, grabbed } => move_overlay(&o, grabbed, ids, *grab),
        Gesture::Flow { from } => flow_overlay(&o, from),
        Gesture::Band { start, .. } => band_overlay(&o, *start),
        Gesture::Emotion { x, .. } => emotion_overlay(&o, *x),
        Gesture::Pan | Gesture::None => {}
    }
    match drop {
        Some((DropTarget::Cell(cell), payload)) => new_card_overlay(&o, *cell, payload),
        Some((DropTarget::Cards(ids, r), payload)) => theme_drop_overlay(&o, cx, ids, *r, payload),
        None => {}
    }
}

/// The selected cards, or the selected stage's or lane's header.
fn selection_overlay(o: &Overlay, selection: &Selection) {
    for id in selection.cards() {
        o.card_outline(id, OUTLINE_GAP, Stroke::new(2.5, ACCENT));
    }
    let header = match selection {
        Selection::Stage(s) => o.st.stage_header_on_screen(s),
        Selection::Lane(l) => o.st.lane_header_on_screen(l),
        _ => None,
    };
    if let Some(r) = header {
        o.painter
            .rect_stroke(r, 0.0, Stroke::new(3.0, ACCENT), StrokeKind::Inside);
    }
}

/// An outline and the flow handle of the card under the pointer.
fn hover_overlay(o: &Overlay) {
    // Seen as a press there sees it: over a pinned header, the header, not a card under it.
    let Some(p) = o.pointer.map(|p| o.st.canvas_point(p)) else {
        return;
    };
    let (Hit::Card(id) | Hit::CardHandle(id)) = o.st.layout.hit(p) else {
        return;
    };
    if o.st.card_screen_rect(&id).is_none() {
        return;
    }
    o.card_outline(&id, 1.0, Stroke::new(1.5, ACCENT.gamma_multiply(0.6)));
    if let Some(h) = o.st.layout.handle_center(&id) {
        let radius = (HANDLE_R * o.st.view.zoom).max(5.0);
        let stroke = Stroke::new(2.0, ACCENT);
        o.painter
            .circle(o.to_screen(h), radius, tokens::HANDLE_FILL, stroke);
    }
}

/// Cards being dragged: the cell they would land in, and a ghost of each card keeping its
/// offset from the grabbed one.
fn move_overlay(o: &Overlay, grabbed: &TouchpointId, ids: &[TouchpointId], grab: Vec2) {
    let (Some(pos), Some(p)) = (o.pointer, o.pointer_canvas()) else {
        return;
    };
    let layout = &o.st.layout;
    if let Some((stage, lane, _)) = layout.cell_at(p)
        && let Some(cell) = layout.cell_rect(&stage, &lane)
    {
        paint_drop_cell(o.painter, o.rect_to_screen(cell));
    }
    let z = o.st.view.zoom;
    let base = layout.card_rect(grabbed).unwrap_or_default();
    for r in ids.iter().filter_map(|id| layout.card_rect(id)) {
        let offset = vec2(r.min.x - base.min.x, r.min.y - base.min.y);
        let min = pos - grab * z + offset * z;
        let ghost = Rect::from_min_size(min, vec2(r.width(), r.height()) * z);
        let fill = ACCENT.gamma_multiply(0.12);
        let stroke = Stroke::new(2.0, ACCENT);
        o.painter
            .rect(ghost, o.radius, fill, stroke, StrokeKind::Middle);
    }
}

/// A flow being drawn from a card's handle to the pointer, and the card it would reach.
fn flow_overlay(o: &Overlay, from: &TouchpointId) {
    let (Some(h), Some(pos)) = (o.st.layout.handle_center(from), o.pointer) else {
        return;
    };
    if let Some(p) = o.pointer_canvas()
        && let Hit::Card(to) | Hit::CardHandle(to) = o.st.layout.hit(p)
        && &to != from
    {
        o.card_outline(&to, OUTLINE_GAP, Stroke::new(3.0, DROP_TARGET));
    }
    o.painter
        .line_segment([o.to_screen(h), pos], Stroke::new(2.5, ACCENT));
    o.painter.circle_filled(pos, 5.0, ACCENT);
}

/// The rubber band from where the drag started to the pointer.
fn band_overlay(o: &Overlay, start: Point) {
    let Some(pos) = o.pointer else {
        return;
    };
    let r = Rect::from_two_pos(o.to_screen(start), pos);
    let fill = ACCENT.gamma_multiply(0.08);
    let stroke = Stroke::new(1.0, ACCENT);
    o.painter.rect(r, 0.0, fill, stroke, StrokeKind::Inside);
}

/// A palette item over a cell: the cell, and a ghost of the new card under the pointer.
fn new_card_overlay(o: &Overlay, cell: scene::Rect, payload: &DragPayload) {
    paint_drop_cell(o.painter, o.rect_to_screen(cell));
    let (DragPayload::NewCard(kind), Some(pos)) = (payload, o.pointer) else {
        return;
    };
    let z = o.st.view.zoom;
    let ghost = Rect::from_center_size(pos, vec2(CARD_W, CARD_H) * z);
    let fill = tokens::GHOST_FILL.gamma_multiply(0.85);
    let stroke = Stroke::new(2.0, kind_color(*kind));
    o.painter
        .rect(ghost, o.radius, fill, stroke, StrokeKind::Middle);
    o.painter.text(
        ghost.center(),
        Align2::CENTER_CENTER,
        format!("New {}", kind.label().to_lowercase()),
        tokens::regular((13.0 * z).max(9.0)),
        tokens::GHOST_TEXT,
    );
}

/// A theme over a card or a header: the area, and every card that would take the theme,
/// outlined in the theme's colour.
fn theme_drop_overlay(
    o: &Overlay,
    cx: &CanvasCtx,
    ids: &[TouchpointId],
    r: scene::Rect,
    payload: &DragPayload,
) {
    let color = match payload {
        DragPayload::Theme(t) => cx
            .doc
            .theme(t)
            .map_or(DROP_TARGET, |t| tokens::theme_color(t.color)),
        DragPayload::NewCard(_) => DROP_TARGET,
    };
    let stroke = Stroke::new(3.0, color);
    o.painter
        .rect_stroke(o.rect_to_screen(r), 0.0, stroke, StrokeKind::Inside);
    for id in ids {
        o.card_outline(id, OUTLINE_GAP, stroke);
    }
}

fn paint_drop_cell(painter: &Painter, r: Rect) {
    painter.rect(
        r.shrink(2.0),
        6.0,
        DROP_TARGET.gamma_multiply(0.10),
        Stroke::new(2.5, DROP_TARGET),
        StrokeKind::Inside,
    );
}

/// The empty canvas tells the user what to do.
pub(super) fn paint_empty_hint(painter: &Painter, st: &CanvasState, area: Rect) {
    let b = st.layout.bounds();
    let below = st.view.to_screen(area, Point::new(b.center().x, b.max.y)) + vec2(0.0, 28.0);
    let pos = if area.contains(below) {
        below
    } else {
        pos2(area.center().x, area.max.y - 60.0)
    };
    painter.text(
        pos,
        Align2::CENTER_TOP,
        "Drag a touchpoint from the palette onto a cell, or double-click a cell, to start the journey",
        tokens::regular(17.0),
        tokens::HINT_TEXT,
    );
}

/// The emotion a dragged curve point would get, where it would sit, and its value.
fn emotion_overlay(o: &Overlay, x: f32) {
    let (Some(band), Some(p)) = (o.st.layout.curve_band(), o.pointer_canvas()) else {
        return;
    };
    let e = scene::curve::emotion_at(band, p.y);
    let at = o.to_screen(Point::new(x, scene::curve::emotion_y(band, f32::from(e))));
    let r = (scene::style::CURVE_POINT_R + 4.0) * o.st.view.zoom.max(0.5);
    o.painter
        .circle_stroke(at, r, Stroke::new(2.0, tokens::ACCENT));
    let label = match e {
        0 => "0 neutral".to_owned(),
        e => format!("{e:+}"),
    };
    o.painter.text(
        at + vec2(r + 6.0, 0.0),
        Align2::LEFT_CENTER,
        label,
        tokens::bold(13.0),
        tokens::ACCENT,
    );
}
