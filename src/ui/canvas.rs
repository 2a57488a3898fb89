//! The canvas: paints the shared [`Scene`] through a pan/zoom [`View`], and turns pointer
//! gestures into actions (select, rubber band, move cards, draw flows, drop palette items
//! and themes, edit a title in place).
//!
//! Split as in egui's demos: `*_input` functions read the pointer and push actions,
//! `paint_*` functions draw. Layout and scene are cached and rebuilt only when the document
//! revision (or the look, or the highlighted theme) changes, never per frame; painting culls
//! items outside the viewport and skips small text when it would be unreadable.

use super::action::{Action, Actions, Selection};
use super::flow_tiles::{FlowTiles, is_flow};
use super::legible::{PinnedHeaders, Pins, legible_zoom};
use super::overview::{Keep, OVERVIEW_ZOOM, curve_clipped, dashed_line_clipped, paint_overview};
use super::palette::{DragPayload, kind_color};
use super::tokens;
use crate::edit::{Command, FreshIds, Placement};
use crate::model::{Document, Flow, FlowId, ThemeId, Touchpoint, TouchpointId};
use crate::scene::index::SceneIndex;
use crate::scene::style::{LANE_HEADER_W, STAGE_HEADER_H};
use crate::scene::{self, CanvasOptions, Detail, Hit, Item, Layout, Palette, Point, Scene, Weight};
use crate::scoring::Report;
use egui::{
    Align2, Color32, CornerRadius, FontFamily, FontId, Pos2, Rect, Response, Sense, Shape, Stroke,
    StrokeKind, Ui, Vec2, pos2, vec2,
};

/// Zoom limits.
pub const MIN_ZOOM: f32 = 0.03;
pub const MAX_ZOOM: f32 = 4.0;
/// Text smaller than this on screen (in points) is not drawn: it could not be read (and a
/// label's background box goes with it). Where that leaves headers and cards without
/// names, `ui::legible` draws them at a floor size.
pub(crate) const MIN_READABLE_TEXT: f32 = 6.0;
/// Below this zoom, small marks (Detail::Readable shapes) are skipped too.
const MIN_READABLE_ZOOM: f32 = 0.25;
/// Margin around the journey when zooming to fit, in screen points.
const FIT_MARGIN: f32 = 28.0;
/// The opening view and framing a finding never zoom in past cards' real size.
const FRAME_MAX_ZOOM: f32 = 1.0;
/// Fit (Ctrl+0) may enlarge a small journey this much.
const FIT_MAX_ZOOM: f32 = 1.25;
/// Room left around a finding's targets when they are framed, in canvas units.
const FRAME_ROOM: f32 = 40.0;

/// Converts between canvas units and screen points: `screen = origin + offset + p * zoom`,
/// where `origin` is the top-left corner of the canvas widget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub offset: Vec2,
    pub zoom: f32,
}

impl Default for View {
    fn default() -> Self {
        Self {
            offset: vec2(FIT_MARGIN, FIT_MARGIN),
            zoom: 1.0,
        }
    }
}

impl View {
    pub fn to_screen(&self, area: Rect, p: Point) -> Pos2 {
        area.min + self.offset + vec2(p.x, p.y) * self.zoom
    }

    pub fn to_canvas(&self, area: Rect, p: Pos2) -> Point {
        let v = (p - area.min - self.offset) / self.zoom;
        Point::new(v.x, v.y)
    }

    pub fn rect_to_screen(&self, area: Rect, r: scene::Rect) -> Rect {
        Rect::from_min_max(self.to_screen(area, r.min), self.to_screen(area, r.max))
    }

    /// The view that shows `bounds` whole, centred, no larger than `max_zoom`.
    pub fn fit(area: Rect, bounds: scene::Rect, max_zoom: f32) -> View {
        let avail = (area.size() - Vec2::splat(2.0 * FIT_MARGIN)).max(Vec2::splat(10.0));
        let zoom = (avail.x / bounds.width().max(1.0))
            .min(avail.y / bounds.height().max(1.0))
            .clamp(MIN_ZOOM, max_zoom);
        let size = vec2(bounds.width(), bounds.height()) * zoom;
        let offset = (area.size() - size) / 2.0 - vec2(bounds.min.x, bounds.min.y) * zoom;
        View { offset, zoom }
    }

    /// The view a canvas opens in, never past 100%: the whole journey when its card titles
    /// can be read that way; otherwise titles readable ([`legible_zoom`]) and the area's
    /// height filled, the user scrolling to the rest. From the top-left corner of the grid,
    /// so stage headers and lane names show; centred across when the journey is narrower
    /// than the area.
    pub fn opening(area: Rect, bounds: scene::Rect) -> View {
        let avail = (area.size() - Vec2::splat(2.0 * FIT_MARGIN)).max(Vec2::splat(10.0));
        let fit = View::fit(area, bounds, FRAME_MAX_ZOOM).zoom;
        let fill_height = avail.y / bounds.height().max(1.0);
        let zoom = if fit >= legible_zoom() {
            fit
        } else {
            legible_zoom().max(fill_height).min(FRAME_MAX_ZOOM)
        }
        .clamp(MIN_ZOOM, MAX_ZOOM);
        let width = bounds.width() * zoom;
        let x = if width <= avail.x {
            (area.width() - width) / 2.0
        } else {
            FIT_MARGIN
        };
        let offset = vec2(x, FIT_MARGIN) - vec2(bounds.min.x, bounds.min.y) * zoom;
        View { offset, zoom }
    }

    /// Zooms by `factor` keeping the canvas point under `pointer` where it is.
    pub fn zoom_around(&mut self, area: Rect, pointer: Pos2, factor: f32) {
        self.set_zoom_around(area, pointer, self.zoom * factor);
    }

    /// Sets the zoom (exactly, within the limits), keeping the canvas point under
    /// `pointer` where it is.
    pub fn set_zoom_around(&mut self, area: Rect, pointer: Pos2, zoom: f32) {
        let before = self.to_canvas(area, pointer);
        self.zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        self.offset = pointer - area.min - vec2(before.x, before.y) * self.zoom;
    }
}

/// A view the canvas computes from its area and the journey's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoView {
    /// The whole journey (Ctrl+0).
    Fit,
    /// The view a canvas opens in: titles readable, from the top-left corner.
    Opening,
}

/// A pointer gesture in progress on the canvas.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Gesture {
    #[default]
    None,
    Pan,
    /// Dragging cards: the grabbed one and the others moving with it.
    MoveCards {
        grabbed: TouchpointId,
        ids: Vec<TouchpointId>,
        /// Pointer offset from the grabbed card's top-left corner, in canvas units.
        grab: Vec2,
    },
    /// Dragging a new flow out of a card's handle.
    Flow {
        from: TouchpointId,
    },
    /// A rubber band from `start` (canvas units).
    Band {
        start: Point,
        additive: bool,
    },
}

/// What the canvas remembers between frames (none of it is saved in the file).
pub struct CanvasState {
    pub view: View,
    /// The canvas widget's area on screen in the last frame.
    pub area: Rect,
    layout: Layout,
    layout_rev: Option<u64>,
    scene: Scene,
    scene_key: Option<(u64, bool, Option<ThemeId>)>,
    /// Spatial index of `scene`, rebuilt with it; `visible` and `overview` are reused
    /// buffers so painting allocates nothing per frame (see `ui::overview`).
    index: SceneIndex,
    visible: Vec<u32>,
    overview: std::sync::Arc<egui::epaint::Mesh>,
    /// Flows tessellated once per scene, zoom and screen tile (see `ui::flow_tiles`).
    flows: FlowTiles,
    /// The view of the last painted frame: the tiles are built only for a zoom that holds.
    last_view: Option<View>,
    /// Paint the straightforward way instead: test every item's bounds and draw each as
    /// an egui shape at every zoom. Kept as the baseline `cargo bench --bench frame`
    /// compares against, and as the reference for culling tests.
    pub naive_paint: bool,
    pub gesture: Gesture,
    /// A view to take at the next frame, once the canvas's area is known (a document was
    /// just opened, or Fit was asked for before the first frame).
    pub pending_view: Option<AutoView>,
    /// Copies of the headers, pinned to the edges while the grid scrolls under them.
    pinned: PinnedHeaders,
    /// The card whose title is being edited in place, and the text so far.
    pub title_edit: Option<(TouchpointId, String)>,
    /// The title edit ends a gesture that created its card (double-click a cell, type the
    /// title): adding and naming the card are one undo step.
    pub title_ends_gesture: bool,
    /// Where the pointer last was over the canvas: a release can arrive in the same frame as
    /// the pointer leaving, and the drop must still land where the user let go.
    pub last_pointer: Option<Pos2>,
}

impl Default for CanvasState {
    fn default() -> Self {
        Self {
            view: View::default(),
            area: Rect::NOTHING,
            layout: Layout::default(),
            layout_rev: None,
            scene: Scene::default(),
            scene_key: None,
            index: SceneIndex::default(),
            visible: Vec::new(),
            overview: Default::default(),
            flows: FlowTiles::default(),
            last_view: None,
            naive_paint: false,
            gesture: Gesture::None,
            pending_view: None,
            pinned: PinnedHeaders::default(),
            title_edit: None,
            title_ends_gesture: false,
            last_pointer: None,
        }
    }
}

/// What the canvas reads each frame.
pub struct CanvasCtx<'a> {
    pub doc: &'a Document,
    pub revision: u64,
    /// Changes when cards may have moved (`Editor::layout_revision`); the layout is
    /// computed again only then.
    pub layout_revision: u64,
    pub selection: &'a Selection,
    pub report: &'a Report,
    pub dark: bool,
}

impl CanvasState {
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Rebuilds layout and scene if their inputs changed since the last call.
    pub fn refresh(&mut self, cx: &CanvasCtx) {
        if self.layout_rev != Some(cx.layout_revision) {
            self.layout = Layout::compute(cx.doc);
            self.layout_rev = Some(cx.layout_revision);
        }
        let highlight = match cx.selection {
            Selection::Theme(id) => Some(id.clone()),
            _ => None,
        };
        let key = (cx.revision, cx.dark, highlight);
        if self.scene_key.as_ref() != Some(&key) {
            let palette = if cx.dark {
                Palette::dark()
            } else {
                Palette::light()
            };
            let opts = CanvasOptions {
                palette: &palette,
                report: Some(cx.report),
                highlight_theme: key.2.as_ref(),
                finding_markers: true,
            };
            let items = std::mem::take(&mut self.scene.items);
            self.scene = scene::rebuild_canvas(cx.doc, &self.layout, &opts, items);
            self.index = std::mem::take(&mut self.index).rebuild(&self.scene);
            self.flows.scene_changed(&self.scene);
            self.pinned.rebuild(cx.doc, &self.layout, &palette);
            self.scene_key = Some(key);
        }
    }

    /// Forces the scene to be rebuilt next frame (the report changed without an edit).
    pub fn invalidate_scene(&mut self) {
        self.scene_key = None;
    }

    /// Fit: the whole journey in view (Ctrl+0).
    pub fn zoom_to_fit(&mut self) {
        self.take_view(AutoView::Fit);
    }

    /// The view a canvas opens in (see [`View::opening`]), now or at the first frame.
    pub fn show_opening_view(&mut self) {
        self.take_view(AutoView::Opening);
    }

    fn auto_view(&self, kind: AutoView) -> View {
        let bounds = self.layout.bounds();
        match kind {
            AutoView::Fit => View::fit(self.area, bounds, FIT_MAX_ZOOM),
            AutoView::Opening => View::opening(self.area, bounds),
        }
    }

    /// Takes the view `kind` names for the current area, or at the next frame when the
    /// area is not known yet.
    pub fn take_view(&mut self, kind: AutoView) {
        if self.area.width() > 1.0 {
            self.view = self.auto_view(kind);
            self.pending_view = None;
        } else {
            self.pending_view = Some(kind);
        }
    }

    /// Which automatic view the canvas shows, if the user has not zoomed or panned since:
    /// such a view is taken again when the canvas's area changes size.
    pub fn showing_auto_view(&self) -> Option<AutoView> {
        if self.area.width() <= 1.0 {
            return None;
        }
        [AutoView::Opening, AutoView::Fit]
            .into_iter()
            .find(|&k| self.auto_view(k) == self.view)
    }

    /// Brings a canvas rectangle (a finding's targets) into view. A view that shows it
    /// already is kept; otherwise it is centred at the current zoom, brought between
    /// [`legible_zoom`] and 100%, and zoomed out further only as far as it needs to fit.
    pub fn frame(&mut self, r: scene::Rect) {
        if self.area.width() <= 1.0 || !r.is_positive() {
            return;
        }
        let content = self.content_area();
        let shows = |view: &View| {
            content.contains(view.to_screen(self.area, r.min))
                && content.contains(view.to_screen(self.area, r.max))
        };
        if shows(&self.view) {
            return;
        }
        // Centred in the part of the canvas the pinned headers leave free (they pin
        // whenever the target is away from the grid's top-left corner).
        let want = r.expand(FRAME_ROOM);
        // At zoom z the target and the headers take (size + header) * z of the area.
        let fits = (self.area.width() / (want.width() + LANE_HEADER_W))
            .min(self.area.height() / (want.height() + STAGE_HEADER_H));
        let zoom = self
            .view
            .zoom
            .clamp(legible_zoom(), FRAME_MAX_ZOOM)
            .min(fits)
            .max(MIN_ZOOM);
        let free = Rect::from_min_max(
            self.area.min + vec2(LANE_HEADER_W, STAGE_HEADER_H) * zoom,
            self.area.max,
        );
        let c = r.center();
        self.view = View {
            offset: free.center() - self.area.min - vec2(c.x, c.y) * zoom,
            zoom,
        };
    }

    /// Where the pinned headers are this frame.
    pub fn pins(&self) -> Pins {
        Pins::of(&self.view, self.area, self.layout.bounds())
    }

    /// The part of the canvas's area not covered by pinned headers.
    pub fn content_area(&self) -> Rect {
        let pins = self.pins();
        let z = self.view.zoom;
        let mut r = self.area;
        if pins.row.is_some() {
            r.min.y += STAGE_HEADER_H * z;
        }
        if pins.column.is_some() {
            r.min.x += LANE_HEADER_W * z;
        }
        r
    }

    /// Where a stage's header is on screen, pinned to the top edge or not.
    pub fn stage_header_on_screen(&self, id: &crate::model::StageId) -> Option<Rect> {
        self.pins()
            .stage_header(&self.view, self.area, &self.layout, id)
    }

    /// Where a lane's header is on screen, pinned to the left edge or not.
    pub fn lane_header_on_screen(&self, id: &crate::model::LaneId) -> Option<Rect> {
        self.pins()
            .lane_header(&self.view, self.area, &self.layout, id)
    }

    /// The canvas point under a screen position, seen through a pinned header where the
    /// position is over one (clicking a pinned stage name selects that stage).
    pub fn canvas_point(&self, pointer: Pos2) -> Point {
        self.pins()
            .view_at(&self.view, self.area, pointer)
            .to_canvas(self.area, pointer)
    }

    /// Sets the zoom around the centre of the canvas (1.0: cards at their real size).
    pub fn set_zoom(&mut self, zoom: f32) {
        let c = self.area.center();
        self.view.set_zoom_around(self.area, c, zoom);
    }

    /// Zooms by `factor` around the centre of the canvas.
    pub fn zoom_by(&mut self, factor: f32) {
        let c = self.area.center();
        self.view.zoom_around(self.area, c, factor);
    }

    /// Where a canvas point is on screen now.
    pub fn screen_pos(&self, p: Point) -> Pos2 {
        self.view.to_screen(self.area, p)
    }

    /// The screen rectangle of a card, if it is laid out.
    pub fn card_screen_rect(&self, id: &TouchpointId) -> Option<Rect> {
        self.layout
            .card_rect(id)
            .map(|r| self.view.rect_to_screen(self.area, r))
    }
}

pub(crate) fn c32(c: scene::Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.r, c.g, c.b, c.a)
}

fn p2(view: &View, area: Rect, p: Point) -> Pos2 {
    view.to_screen(area, p)
}

/// The canvas widget: input first, then painting (the scene, then overlays).
pub fn canvas_ui(ui: &mut Ui, st: &mut CanvasState, cx: &CanvasCtx, actions: &mut Actions) {
    let (area, resp) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    st.area = area;
    if let Some(p) = ui.input(|i| i.pointer.latest_pos()) {
        st.last_pointer = Some(p);
    }
    st.refresh(cx);
    if let Some(kind) = st.pending_view {
        st.take_view(kind);
    }
    view_input(ui, st, &resp);
    let drop = payload_input(ui, st, cx, actions);
    gesture_input(ui, st, cx, &resp, actions);
    click_input(ui, st, cx, &resp, actions);

    let painter = ui.painter_at(area);
    painter.rect_filled(area, 0.0, tokens::canvas_surround(cx.dark));
    paint_scene(&painter, st, area);
    paint_legible(&painter, st, cx, area);
    paint_overlays(ui, &painter, st, cx, &resp, drop.as_ref());
    title_edit_ui(ui, st, cx, actions);
    if cx.doc.touchpoints.is_empty() && drop.is_none() {
        paint_empty_hint(&painter, st, area);
    }
}

/// Pan (scroll, middle drag, space+drag) and zoom (Ctrl+wheel, pinch) around the pointer.
fn view_input(ui: &Ui, st: &mut CanvasState, resp: &Response) {
    let area = st.area;
    if resp.hovered() || resp.dragged() || resp.contains_pointer() {
        let (scroll, zoom, pointer) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if let Some(p) = pointer
            && area.contains(p)
        {
            if zoom != 1.0 {
                st.view.zoom_around(area, p, zoom);
            } else if scroll != Vec2::ZERO {
                st.view.offset += scroll;
            }
        }
    }
    let space = ui.input(|i| i.key_down(egui::Key::Space)) && !ui.ctx().egui_wants_keyboard_input();
    if resp.dragged_by(egui::PointerButton::Middle)
        || (resp.dragged_by(egui::PointerButton::Primary) && (space || st.gesture == Gesture::Pan))
    {
        if resp.drag_started_by(egui::PointerButton::Primary) && space {
            st.gesture = Gesture::Pan;
        }
        if matches!(st.gesture, Gesture::None | Gesture::Pan) {
            st.view.offset += resp.drag_delta();
        }
    }
    if st.gesture == Gesture::Pan && resp.drag_stopped() {
        st.gesture = Gesture::None;
    }
}

/// Where a side-panel drag would land, for highlighting and dropping.
#[derive(Clone, Debug, PartialEq)]
enum DropTarget {
    /// A new card in a cell.
    Cell(scene::Rect),
    /// A theme onto cards (one card, or every card of a stage or lane).
    Cards(Vec<TouchpointId>, scene::Rect),
}

/// Palette items and themes dragged from the side panels onto the canvas.
fn payload_input(
    ui: &Ui,
    st: &CanvasState,
    cx: &CanvasCtx,
    actions: &mut Actions,
) -> Option<(DropTarget, DragPayload)> {
    let payload = egui::DragAndDrop::payload::<DragPayload>(ui.ctx())?;
    let pointer = ui.input(|i| i.pointer.interact_pos()).or(st.last_pointer)?;
    if !st.area.contains(pointer) {
        return None;
    }
    let released = ui.input(|i| i.pointer.any_released());
    let p = st.canvas_point(pointer);
    let layout = &st.layout;
    let target = match &*payload {
        DragPayload::NewCard(_) => {
            let (stage, lane, _) = layout.cell_at(p)?;
            DropTarget::Cell(layout.cell_rect(&stage, &lane)?)
        }
        DragPayload::Theme(_) => match layout.hit(p) {
            Hit::Card(id) | Hit::CardHandle(id) => {
                let r = layout.card_rect(&id)?;
                DropTarget::Cards(vec![id], r)
            }
            Hit::StageHeader(s) => DropTarget::Cards(
                cx.doc
                    .touchpoints
                    .iter()
                    .filter(|t| t.stage == s)
                    .map(|t| t.id.clone())
                    .collect(),
                layout.stage_header(&s)?,
            ),
            Hit::LaneHeader(l) => DropTarget::Cards(
                cx.doc
                    .touchpoints
                    .iter()
                    .filter(|t| t.lane == l)
                    .map(|t| t.id.clone())
                    .collect(),
                layout.lane_header(&l)?,
            ),
            _ => return None,
        },
    };
    if released {
        egui::DragAndDrop::clear_payload(ui.ctx());
        match (&*payload, &target) {
            (DragPayload::NewCard(kind), DropTarget::Cell(_)) => {
                let (stage, lane, pos) = layout.cell_at(p)?;
                let card = new_card(cx.doc, *kind, stage, lane, pos);
                let id = card.id.clone();
                actions.edit(Command::AddTouchpoint(Box::new(card)));
                actions.push(Action::Select(Selection::Cards(vec![id])));
            }
            (DragPayload::Theme(theme), DropTarget::Cards(ids, _)) if !ids.is_empty() => {
                actions.edit(Command::AssignTheme {
                    theme: theme.clone(),
                    touchpoints: ids.clone(),
                });
            }
            (DragPayload::Theme(_), DropTarget::Cards(..)) => {
                actions.push(Action::Notify(
                    "There are no cards there to carry the theme.".into(),
                ));
            }
            _ => {}
        }
        return None;
    }
    Some((target, (*payload).clone()))
}

/// A card of `kind` under a fresh id, as the palette and a double-click make it.
fn new_card(
    doc: &Document,
    kind: crate::model::ChannelKind,
    stage: crate::model::StageId,
    lane: crate::model::LaneId,
    pos: crate::model::CellPos,
) -> Touchpoint {
    let id = TouchpointId::new(FreshIds::new(doc).next(TouchpointId::PREFIX));
    let mut card = Touchpoint::new(
        id,
        format!("New {} touchpoint", kind.label().to_lowercase()),
        stage,
        lane,
    );
    card.kind = kind;
    card.position = pos;
    if kind == crate::model::ChannelKind::Backstage {
        card.actor = crate::model::Actor::Employee;
    }
    card
}

/// Press-drag-release on the canvas: move cards, draw a flow, or a rubber band.
fn gesture_input(
    ui: &Ui,
    st: &mut CanvasState,
    cx: &CanvasCtx,
    resp: &Response,
    actions: &mut Actions,
) {
    let area = st.area;
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    if resp.drag_started_by(egui::PointerButton::Primary) && st.gesture == Gesture::None {
        let origin = ui
            .input(|i| i.pointer.press_origin())
            .unwrap_or(area.center());
        let p = st.canvas_point(origin);
        let shift = ui.input(|i| i.modifiers.shift);
        st.gesture = match st.layout.hit(p) {
            Hit::CardHandle(from) => Gesture::Flow { from },
            Hit::Card(id) => {
                let ids = if cx.selection.contains_card(&id) {
                    cx.selection.cards().to_vec()
                } else {
                    actions.push(Action::Select(Selection::Cards(vec![id.clone()])));
                    vec![id.clone()]
                };
                let r = st.layout.card_rect(&id).unwrap_or_default();
                Gesture::MoveCards {
                    grabbed: id,
                    ids,
                    grab: vec2(p.x - r.min.x, p.y - r.min.y),
                }
            }
            Hit::Cell { .. } | Hit::Empty => Gesture::Band {
                start: p,
                additive: shift,
            },
            Hit::StageHeader(_) | Hit::LaneHeader(_) => Gesture::None,
        };
    }
    if escape && !matches!(st.gesture, Gesture::None | Gesture::Pan) {
        st.gesture = Gesture::None;
        return;
    }
    if !resp.drag_stopped() {
        return;
    }
    let Some(pointer) = ui.input(|i| i.pointer.interact_pos()).or(st.last_pointer) else {
        st.gesture = Gesture::None;
        return;
    };
    let p = st.view.to_canvas(area, pointer);
    match std::mem::take(&mut st.gesture) {
        Gesture::MoveCards { grabbed, ids, .. } => {
            if let Some(cmd) = move_command(cx.doc, &st.layout, &grabbed, &ids, p) {
                actions.edit(cmd);
            }
        }
        Gesture::Flow { from } => {
            if let Hit::Card(to) | Hit::CardHandle(to) = st.layout.hit(p)
                && to != from
            {
                let id = FlowId::new(FreshIds::new(cx.doc).next(FlowId::PREFIX));
                actions.edit(Command::AddFlow(Flow {
                    id,
                    from,
                    to,
                    label: String::new(),
                    extra: Default::default(),
                }));
            }
        }
        Gesture::Band { start, additive } => {
            let band = scene::Rect::from_min_max(
                Point::new(start.x.min(p.x), start.y.min(p.y)),
                Point::new(start.x.max(p.x), start.y.max(p.y)),
            );
            let mut ids = if additive {
                cx.selection.cards().to_vec()
            } else {
                Vec::new()
            };
            for id in st.layout.cards_in(band) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            actions.push(Action::Select(if ids.is_empty() {
                Selection::None
            } else {
                Selection::Cards(ids)
            }));
        }
        Gesture::Pan | Gesture::None => {}
    }
}

/// The command for dropping the grabbed card at `p`: it goes to the cell under the pointer,
/// and the others selected with it move by the same number of stages and lanes.
pub fn move_command(
    doc: &Document,
    layout: &Layout,
    grabbed: &TouchpointId,
    ids: &[TouchpointId],
    p: Point,
) -> Option<Command> {
    let (stage, lane, pos) = layout.cell_at(p)?;
    let g = doc.touchpoint(grabbed)?;
    let ds = doc.stage_index(&stage)? as isize - doc.stage_index(&g.stage)? as isize;
    let dl = doc.lane_index(&lane)? as isize - doc.lane_index(&g.lane)? as isize;
    let clamp = |i: usize, d: isize, n: usize| (i as isize + d).clamp(0, n as isize - 1) as usize;
    let placements = ids
        .iter()
        .filter_map(|id| {
            let t = doc.touchpoint(id)?;
            if id == grabbed {
                return Some(Placement {
                    id: id.clone(),
                    stage: stage.clone(),
                    lane: lane.clone(),
                    position: pos,
                });
            }
            let s = clamp(doc.stage_index(&t.stage)?, ds, doc.stages.len());
            let l = clamp(doc.lane_index(&t.lane)?, dl, doc.lanes.len());
            Some(Placement {
                id: id.clone(),
                stage: doc.stages[s].id.clone(),
                lane: doc.lanes[l].id.clone(),
                position: t.position,
            })
        })
        .collect();
    Some(Command::MoveTouchpoints(placements))
}

/// Clicks: select cards, headers; double-click edits a title in place.
fn click_input(
    ui: &Ui,
    st: &mut CanvasState,
    cx: &CanvasCtx,
    resp: &Response,
    actions: &mut Actions,
) {
    if !(resp.clicked() || resp.double_clicked()) {
        return;
    }
    let Some(pointer) = resp.interact_pointer_pos() else {
        return;
    };
    let p = st.canvas_point(pointer);
    let shift = ui.input(|i| i.modifiers.shift || i.modifiers.command);
    match st.layout.hit(p) {
        Hit::Card(id) | Hit::CardHandle(id) => {
            if resp.double_clicked() {
                if let Some(t) = cx.doc.touchpoint(&id) {
                    st.title_edit = Some((id.clone(), t.title.clone()));
                }
                actions.push(Action::Select(Selection::Cards(vec![id])));
            } else if shift {
                actions.push(Action::ToggleCard(id));
            } else {
                actions.push(Action::Select(Selection::Cards(vec![id])));
            }
        }
        Hit::StageHeader(id) => actions.push(Action::Select(Selection::Stage(id))),
        Hit::LaneHeader(id) => actions.push(Action::Select(Selection::Lane(id))),
        // Double-clicking an empty spot of a cell adds a card of the lane's kind there,
        // its title open for typing (the palette's drag, without the trip to the panel).
        Hit::Cell { stage, lane, pos } if resp.double_clicked() => {
            let Some(kind) = cx.doc.lane(&lane).map(|l| l.kind) else {
                return;
            };
            let card = new_card(cx.doc, kind, stage, lane, pos);
            let id = card.id.clone();
            // Closed by the title editor when typing ends (see `title_edit_ui`).
            actions.push(Action::Begin("add card"));
            actions.edit(Command::AddTouchpoint(Box::new(card)));
            actions.push(Action::Select(Selection::Cards(vec![id.clone()])));
            actions.push(Action::EditTitle(id));
        }
        Hit::Cell { .. } | Hit::Empty => {
            if !shift {
                actions.push(Action::Select(Selection::None));
            }
        }
    }
}

/// The in-place title editor over a card: Enter or clicking away keeps the text, Escape
/// drops it. One command, so one undo step.
fn title_edit_ui(ui: &mut Ui, st: &mut CanvasState, cx: &CanvasCtx, actions: &mut Actions) {
    // However the editing ends, a gesture it was closing is closed.
    let end_gesture = |st: &mut CanvasState, actions: &mut Actions| {
        if std::mem::take(&mut st.title_ends_gesture) {
            actions.push(Action::Commit);
        }
    };
    let Some((id, mut text)) = st.title_edit.take() else {
        end_gesture(st, actions);
        return;
    };
    let (Some(card), Some(r)) = (cx.doc.touchpoint(&id), st.card_screen_rect(&id)) else {
        end_gesture(st, actions);
        return;
    };
    let font = FontId::proportional((scene::style::CARD_TITLE_SIZE * st.view.zoom).max(11.0));
    let edit_rect = Rect::from_min_size(
        r.min + vec2(4.0, 10.0 * st.view.zoom),
        vec2(r.width() - 8.0, font.size * 2.6),
    );
    let out = ui
        .scope_builder(egui::UiBuilder::new().max_rect(edit_rect), |ui| {
            egui::TextEdit::multiline(&mut text)
                .char_limit(crate::model::MAX_TITLE_CHARS)
                .font(font)
                .desired_width(edit_rect.width())
                .desired_rows(2)
                .id_salt(("title-edit", id.as_str()))
                .show(ui)
        })
        .inner;
    let resp = out.response.response.clone().accessible_name("Card title");
    if !resp.has_focus() && !resp.lost_focus() {
        // Opening: the text is selected, so typing replaces a placeholder title.
        super::widgets::focus_select_all(ui.ctx(), &resp, &text);
    }
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
    if escape {
        // Escape right after a double-click made the card takes the card back too.
        if std::mem::take(&mut st.title_ends_gesture) {
            actions.push(Action::Abort);
        }
        return;
    }
    if enter || resp.lost_focus() {
        let title = text.trim().to_owned();
        if !title.is_empty() && title != card.title {
            let mut edited = card.clone();
            edited.title = title;
            actions.edit(Command::UpdateTouchpoint(Box::new(edited)));
        }
        end_gesture(st, actions);
        return;
    }
    st.title_edit = Some((id, text));
}

/// Over the scene: a title line on cards and header names where the scene's text is too
/// small, then the headers pinned to the edges (see `ui::legible`).
fn paint_legible(painter: &egui::Painter, st: &CanvasState, cx: &CanvasCtx, area: Rect) {
    let view = st.view;
    let pins = st.pins();
    let highlight = match cx.selection {
        Selection::Theme(id) => Some(id),
        _ => None,
    };
    let dimmed = |tp: &Touchpoint| highlight.is_some_and(|h| !tp.themes.contains(h));
    super::legible::paint_compact_titles(
        painter, cx.doc, &st.layout, &st.pinned, &dimmed, &view, area,
    );
    super::legible::paint_pinned(painter, &st.pinned, pins, &view, area);
    super::legible::paint_header_labels(painter, cx.doc, &st.layout, &st.pinned, pins, &view, area);
}

/// Whether item `i` is the background box of a label (a flow's label, a moment-of-truth
/// pill) whose text is too small to draw: the box goes with it rather than show empty.
pub(crate) fn empty_label_box(items: &[Item], i: usize, zoom: f32) -> bool {
    let (
        Some(Item::Rect {
            rect,
            detail: Detail::Readable,
            ..
        }),
        Some(Item::Text { size, .. }),
    ) = (items.get(i), items.get(i + 1))
    else {
        return false;
    };
    size * zoom < MIN_READABLE_TEXT
        && items
            .get(i + 1)
            .is_some_and(|t| rect.contains(t.bounds().center()))
}

/// Draws the cached scene, culled to the viewport through the spatial index; below
/// [`OVERVIEW_ZOOM`] as a flat overview (see `ui::overview`).
fn paint_scene(painter: &egui::Painter, st: &mut CanvasState, area: Rect) {
    let view = st.view;
    let visible = visible_canvas_rect(&view, area);
    if st.naive_paint {
        st.visible.clear();
        st.visible.extend(
            (0..st.scene.items.len() as u32)
                .filter(|&i| st.scene.items[i as usize].bounds().intersects(visible)),
        );
    } else {
        st.index.query(visible, &mut st.visible);
    }
    if view.zoom < OVERVIEW_ZOOM && !st.naive_paint {
        paint_overview(
            painter,
            &view,
            area,
            &st.scene.items,
            &st.visible,
            &mut st.overview,
        );
        return;
    }
    let readable_marks = view.zoom >= MIN_READABLE_ZOOM;
    // Tiles pay off when the zoom holds (still, or panning); while it changes every frame
    // (a pinch or wheel zoom), building tiles for each zoom costs more than drawing the
    // visible flows directly.
    let still = st.last_view == Some(view);
    st.last_view = Some(view);
    let tiled = !st.naive_paint && (st.flows.ready_for(view.zoom) || still);
    let mut flows_painted = false;
    for &i in &st.visible {
        let Some(item) = st.scene.items.get(i as usize) else {
            continue;
        };
        if item.detail() == Detail::Readable
            && !readable_marks
            && !matches!(item, Item::Text { .. })
        {
            continue;
        }
        if empty_label_box(&st.scene.items, i as usize, view.zoom) {
            continue;
        }
        if tiled && is_flow(item) {
            // All flows at once, where the first one would be drawn: flows then lie under
            // every flow label, which is how they should read anyway.
            if !flows_painted {
                flows_painted = true;
                let origin = Rect::from_min_size(Pos2::ZERO, area.size());
                st.flows.paint(
                    painter,
                    &view,
                    area,
                    &st.index,
                    &st.scene,
                    &|v, keep, item, out| curve_shapes_clipped(v, origin, keep, item, out),
                );
            }
            continue;
        }
        paint_item(painter, &view, area, item);
    }
}

/// The part of the canvas (in canvas units) that `area` shows.
pub fn visible_canvas_rect(view: &View, area: Rect) -> scene::Rect {
    scene::Rect::from_min_max(
        view.to_canvas(area, area.min),
        view.to_canvas(area, area.max),
    )
}

impl CanvasState {
    /// Flow tiles tessellated since the last call (for tests: a pan step builds only the
    /// tiles coming into view).
    pub fn flow_tiles_built(&mut self) -> usize {
        self.flows.take_built()
    }

    /// The scene items the last painted frame found in the viewport (for tests).
    pub fn visible_items(&self) -> impl Iterator<Item = &Item> + '_ {
        self.visible
            .iter()
            .filter_map(|&i| self.scene.items.get(i as usize))
    }
}

fn stroke_of(stroke: Option<(f32, scene::Rgba)>, zoom: f32) -> Stroke {
    stroke.map_or(Stroke::NONE, |(w, c)| Stroke::new(w * zoom, c32(c)))
}

pub(crate) fn paint_item(painter: &egui::Painter, view: &View, area: Rect, item: &Item) {
    let z = view.zoom;
    match item {
        Item::Rect {
            rect,
            radius,
            fill,
            stroke,
            ..
        } => {
            painter.rect(
                view.rect_to_screen(area, *rect),
                CornerRadius::from(radius * z),
                c32(*fill),
                stroke_of(*stroke, z),
                StrokeKind::Middle,
            );
        }
        Item::Text {
            pos,
            text,
            size,
            weight,
            color,
            ..
        } => {
            let px = size * z;
            if px < MIN_READABLE_TEXT {
                return;
            }
            let family = match weight {
                Weight::Regular => FontFamily::Proportional,
                Weight::Bold => FontFamily::Name(tokens::BOLD.into()),
            };
            painter.text(
                p2(view, area, *pos),
                Align2::LEFT_TOP,
                text,
                FontId::new(px, family),
                c32(*color),
            );
        }
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
            ..
        } => {
            painter.circle(
                p2(view, area, *center),
                radius * z,
                c32(*fill),
                stroke_of(*stroke, z),
            );
        }
        Item::Line {
            points,
            width,
            color,
            ..
        } => {
            let pts: Vec<Pos2> = points.iter().map(|p| p2(view, area, *p)).collect();
            painter.add(Shape::line(pts, Stroke::new(width * z, c32(*color))));
        }
        Item::Curve { .. } => {
            let mut shapes = Vec::new();
            curve_shapes(view, area, item, &mut shapes);
            painter.extend(shapes);
        }
    }
}

/// The shapes of a curve item (stroke, dashes, arrow head), leaving out what lies outside
/// `area`.
fn curve_shapes(view: &View, area: Rect, item: &Item, out: &mut Vec<Shape>) {
    curve_shapes_clipped(view, area, Keep::Meeting(area), item, out);
}

/// The shapes of the pieces of a curve item (stroke, dashes, arrow head) that `keep` wants
/// (screen points).
fn curve_shapes_clipped(view: &View, area: Rect, keep: Keep, item: &Item, out: &mut Vec<Shape>) {
    let Item::Curve {
        from,
        ctrl1,
        ctrl2,
        to,
        width,
        color,
        arrow_head,
        dashed,
        ..
    } = item
    else {
        return;
    };
    let z = view.zoom;
    let end = if *arrow_head {
        Item::curve_end_for_head(*ctrl2, *to, *width)
    } else {
        *to
    };
    let stroke = Stroke::new(width * z, c32(*color));
    let pts = [*from, *ctrl1, *ctrl2, end].map(|p| p2(view, area, p));
    if *dashed {
        let samples: Vec<Pos2> = (0..=24)
            .map(|i| {
                let q = scene::cubic_point(*from, *ctrl1, *ctrl2, end, i as f32 / 24.0);
                p2(view, area, q)
            })
            .collect();
        let [dash, gap] = scene::style::DASH;
        // Only the dashes on screen: a long dashed flow at working zoom would
        // otherwise be thousands of off-screen segments.
        dashed_line_clipped(out, &samples, stroke, dash * z, gap * z, keep);
    } else {
        curve_clipped(out, pts, stroke, keep);
    }
    if *arrow_head && keep.mark(p2(view, area, *to)) {
        let head = scene::arrow_head(*ctrl2, *to, *width).map(|p| p2(view, area, p));
        out.push(Shape::convex_polygon(
            head.to_vec(),
            c32(*color),
            Stroke::NONE,
        ));
    }
}

/// Selection outlines, handles, gesture previews and drop targets, drawn over the scene.
fn paint_overlays(
    ui: &Ui,
    painter: &egui::Painter,
    st: &CanvasState,
    cx: &CanvasCtx,
    resp: &Response,
    drop: Option<&(DropTarget, DragPayload)>,
) {
    let area = st.area;
    let view = st.view;
    let z = view.zoom;
    let accent = tokens::ACCENT;
    let radius = CornerRadius::from(scene::style::CARD_RADIUS * z);
    // Selection.
    for id in cx.selection.cards() {
        if let Some(r) = st.card_screen_rect(id) {
            painter.rect_stroke(
                r.expand(3.0),
                radius,
                Stroke::new(2.5, accent),
                StrokeKind::Outside,
            );
        }
    }
    match cx.selection {
        Selection::Stage(s) => {
            if let Some(r) = st.layout.stage_header(s) {
                painter.rect_stroke(
                    view.rect_to_screen(area, r),
                    0.0,
                    Stroke::new(3.0, accent),
                    StrokeKind::Inside,
                );
            }
        }
        Selection::Lane(l) => {
            if let Some(r) = st.layout.lane_header(l) {
                painter.rect_stroke(
                    view.rect_to_screen(area, r),
                    0.0,
                    Stroke::new(3.0, accent),
                    StrokeKind::Inside,
                );
            }
        }
        _ => {}
    }
    let pointer = ui.input(|i| i.pointer.hover_pos());
    let pointer_canvas = pointer.map(|p| view.to_canvas(area, p));
    // Hover: outline and the flow handle of the card under the pointer.
    if st.gesture == Gesture::None
        && drop.is_none()
        && resp.hovered()
        && let Some(p) = pointer_canvas
    {
        let hovered = match st.layout.hit(p) {
            Hit::Card(id) | Hit::CardHandle(id) => Some(id),
            _ => None,
        };
        if let Some(id) = hovered
            && let Some(r) = st.card_screen_rect(&id)
        {
            painter.rect_stroke(
                r.expand(1.0),
                radius,
                Stroke::new(1.5, accent.gamma_multiply(0.6)),
                StrokeKind::Outside,
            );
            if let Some(h) = st.layout.handle_center(&id) {
                let hp = view.to_screen(area, h);
                painter.circle(
                    hp,
                    (scene::style::HANDLE_R * z).max(5.0),
                    Color32::WHITE,
                    Stroke::new(2.0, accent),
                );
            }
        }
    }
    match &st.gesture {
        Gesture::MoveCards { ids, grab, grabbed } => {
            if let Some(pos) = pointer {
                let p = view.to_canvas(area, pos);
                if let Some((stage, lane, _)) = st.layout.cell_at(p)
                    && let Some(cell) = st.layout.cell_rect(&stage, &lane)
                {
                    paint_drop_cell(painter, view.rect_to_screen(area, cell));
                }
                // Ghosts of the moving cards, keeping their offsets from the grabbed one.
                let base = st.layout.card_rect(grabbed).unwrap_or_default();
                for id in ids {
                    if let Some(r) = st.layout.card_rect(id) {
                        let dx = r.min.x - base.min.x;
                        let dy = r.min.y - base.min.y;
                        let min = pos - *grab * z + vec2(dx, dy) * z;
                        let ghost = Rect::from_min_size(min, vec2(r.width(), r.height()) * z);
                        painter.rect(
                            ghost,
                            radius,
                            accent.gamma_multiply(0.12),
                            Stroke::new(2.0, accent),
                            StrokeKind::Middle,
                        );
                    }
                }
            }
        }
        Gesture::Flow { from } => {
            if let (Some(h), Some(pos)) = (st.layout.handle_center(from), pointer) {
                let start = view.to_screen(area, h);
                if let Some(p) = pointer_canvas
                    && let Hit::Card(to) | Hit::CardHandle(to) = st.layout.hit(p)
                    && &to != from
                    && let Some(r) = st.card_screen_rect(&to)
                {
                    painter.rect_stroke(
                        r.expand(3.0),
                        radius,
                        Stroke::new(3.0, tokens::DROP_TARGET),
                        StrokeKind::Outside,
                    );
                }
                painter.line_segment([start, pos], Stroke::new(2.5, accent));
                painter.circle_filled(pos, 5.0, accent);
            }
        }
        Gesture::Band { start, .. } => {
            if let Some(pos) = pointer {
                let a = view.to_screen(area, *start);
                let r = Rect::from_two_pos(a, pos);
                painter.rect(
                    r,
                    0.0,
                    accent.gamma_multiply(0.08),
                    Stroke::new(1.0, accent),
                    StrokeKind::Inside,
                );
            }
        }
        Gesture::Pan | Gesture::None => {}
    }
    if let Some((target, payload)) = drop {
        match target {
            DropTarget::Cell(cell) => {
                paint_drop_cell(painter, view.rect_to_screen(area, *cell));
                if let (DragPayload::NewCard(kind), Some(pos)) = (payload, pointer) {
                    let size = vec2(scene::style::CARD_W, scene::style::CARD_H) * z;
                    let ghost = Rect::from_center_size(pos, size);
                    painter.rect(
                        ghost,
                        radius,
                        Color32::WHITE.gamma_multiply(0.85),
                        Stroke::new(2.0, kind_color(*kind)),
                        StrokeKind::Middle,
                    );
                    painter.text(
                        ghost.center(),
                        Align2::CENTER_CENTER,
                        format!("New {}", kind.label().to_lowercase()),
                        FontId::proportional((13.0 * z).max(9.0)),
                        Color32::from_rgb(0x1f, 0x29, 0x33),
                    );
                }
            }
            DropTarget::Cards(ids, r) => {
                let color = match payload {
                    DragPayload::Theme(t) => cx
                        .doc
                        .theme(t)
                        .map_or(tokens::DROP_TARGET, |t| tokens::theme_color(t.color)),
                    DragPayload::NewCard(_) => tokens::DROP_TARGET,
                };
                painter.rect_stroke(
                    view.rect_to_screen(area, *r),
                    0.0,
                    Stroke::new(3.0, color),
                    StrokeKind::Inside,
                );
                for id in ids {
                    if let Some(cr) = st.card_screen_rect(id) {
                        painter.rect_stroke(
                            cr.expand(3.0),
                            radius,
                            Stroke::new(3.0, color),
                            StrokeKind::Outside,
                        );
                    }
                }
            }
        }
    }
}

fn paint_drop_cell(painter: &egui::Painter, r: Rect) {
    painter.rect(
        r.shrink(2.0),
        6.0,
        tokens::DROP_TARGET.gamma_multiply(0.10),
        Stroke::new(2.5, tokens::DROP_TARGET),
        StrokeKind::Inside,
    );
}

/// The empty canvas tells the user what to do.
fn paint_empty_hint(painter: &egui::Painter, st: &CanvasState, area: Rect) {
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
        FontId::proportional(17.0),
        Color32::from_rgb(0x5f, 0x6b, 0x77),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Rect {
        Rect::from_min_size(pos2(100.0, 50.0), vec2(800.0, 600.0))
    }

    #[test]
    fn screen_and_canvas_coordinates_round_trip() {
        let v = View {
            offset: vec2(30.0, -20.0),
            zoom: 0.5,
        };
        let p = Point::new(400.0, 250.0);
        let back = v.to_canvas(area(), v.to_screen(area(), p));
        assert!((back.x - p.x).abs() < 1e-3 && (back.y - p.y).abs() < 1e-3);
        assert_eq!(v.to_screen(area(), Point::new(0.0, 0.0)), pos2(130.0, 30.0));
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer() {
        let mut v = View::default();
        let pointer = pos2(500.0, 300.0);
        let before = v.to_canvas(area(), pointer);
        v.zoom_around(area(), pointer, 1.7);
        let after = v.to_canvas(area(), pointer);
        assert!((before.x - after.x).abs() < 1e-3 && (before.y - after.y).abs() < 1e-3);
        assert!((v.zoom - 1.7).abs() < 1e-6);
        v.zoom_around(area(), pointer, 1e-6);
        assert_eq!(v.zoom, MIN_ZOOM, "clamped");
    }

    #[test]
    fn fit_shows_the_whole_bounds_centred() {
        let bounds = scene::Rect::from_min_size(Point::new(0.0, 0.0), 2000.0, 1000.0);
        let v = View::fit(area(), bounds, 1.25);
        let tl = v.to_screen(area(), bounds.min);
        let br = v.to_screen(area(), bounds.max);
        assert!(area().contains(tl) && area().contains(br));
        let left = tl.x - area().min.x;
        let right = area().max.x - br.x;
        assert!((left - right).abs() < 1.0, "centred: {left} vs {right}");
        let small = scene::Rect::from_min_size(Point::new(0.0, 0.0), 10.0, 10.0);
        assert_eq!(
            View::fit(area(), small, 1.25).zoom,
            1.25,
            "never zooms past the cap"
        );
    }

    #[test]
    fn moving_several_cards_shifts_them_by_the_same_cells() {
        let mut doc = Document::new_canvas();
        for (id, s, l) in [
            ("a", "discover", "web"),
            ("b", "choose", "store"),
            ("c", "share", "web"),
        ] {
            doc.touchpoints.push(Touchpoint::new(
                TouchpointId::from(id),
                id,
                crate::model::StageId::from(s),
                crate::model::LaneId::from(l),
            ));
        }
        let layout = Layout::compute(&doc);
        let target = layout
            .cell_rect(
                &crate::model::StageId::from("choose"),
                &crate::model::LaneId::from("store"),
            )
            .expect("cell")
            .center();
        let ids: Vec<_> = ["a", "b", "c"].map(TouchpointId::from).to_vec();
        let Some(Command::MoveTouchpoints(places)) =
            move_command(&doc, &layout, &TouchpointId::from("a"), &ids, target)
        else {
            panic!("a move command");
        };
        let got: Vec<_> = places
            .iter()
            .map(|p| (p.id.as_str(), p.stage.as_str(), p.lane.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "choose", "store"),
                ("b", "experience", "people"),
                ("c", "share", "store"),
            ],
            "one stage right, one lane down; c stops at the last stage"
        );
    }
}
