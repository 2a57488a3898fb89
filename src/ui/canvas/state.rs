//! What the canvas keeps between frames ([`CanvasState`]: the view, the gesture in
//! progress, the cached layout, scene and index) and reads each frame ([`CanvasCtx`]), with
//! the questions the rest of the app asks it (where is this card on screen, frame this
//! finding, zoom to fit).

use super::flow_tiles::FlowTiles;
use super::legible::{PinnedHeaders, Pins};
use super::view::{
    AutoView, FIT_MAX_ZOOM, FRAME_MAX_ZOOM, FRAME_ROOM, MIN_ZOOM, View, legible_zoom,
    visible_canvas_rect,
};
use crate::edit::{ChangeLog, Changed, Splice, Tail};
use crate::model::{Document, LaneId, StageId, ThemeId, TouchpointId};
use crate::scene::canvas::Redrawn;
use crate::scene::index::Element;
use crate::scene::style::{LANE_HEADER_W, STAGE_HEADER_H};
use crate::scene::{self, Dimming, Layout, LiveScene, Palette, Point};
use crate::scoring::Report;
use crate::ui::action::Selection;
use egui::{Pos2, Rect, Vec2, vec2};

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
    /// Dragging a point of the emotion curve up or down: the card's emotion becomes the
    /// one nearest the pointer when the button is released.
    Emotion {
        card: TouchpointId,
        /// Whose line the point is on: that persona's emotion changes; `None` (a canvas
        /// without personas): the card's own.
        persona: Option<crate::model::PersonaId>,
        /// The point's x on the canvas (it moves only up and down).
        x: f32,
    },
}

/// The palette of the light or dark look.
fn palette(dark: bool) -> Palette {
    if dark {
        Palette::dark()
    } else {
        Palette::light()
    }
}

/// What the canvas remembers between frames (none of it is saved in the file).
pub struct CanvasState {
    pub view: View,
    /// The canvas widget's area on screen in the last frame.
    pub area: Rect,
    pub(super) layout: Layout,
    /// The scene, kept element by element and updated with each edit; the revision and
    /// look it shows, and whether the report changed since (its finding markers).
    pub(super) scene: LiveScene,
    pub(super) scene_rev: Option<u64>,
    pub(super) look: Option<bool>,
    /// Whether the layout and scene were made with the emotion curve's band.
    pub(super) curve: Option<bool>,
    pub(super) report_stale: bool,
    /// The cards and flows faded while a theme is highlighted, for the revision and
    /// theme it was worked out for.
    pub(super) dimming: Option<Dimming>,
    pub(super) dim_key: Option<(u64, ThemeId)>,
    /// The elements the last frame found in view, and the overview mesh: reused buffers,
    /// so painting allocates nothing per frame (see `overview`).
    pub(super) visible: Vec<Element>,
    pub(super) overview: std::sync::Arc<egui::epaint::Mesh>,
    /// Flows tessellated once per scene, zoom and screen tile (see `ui::flow_tiles`).
    pub(super) flows: FlowTiles,
    /// The view of the last painted frame: the tiles are built only for a zoom that holds.
    pub(super) last_view: Option<View>,
    /// Paint the straightforward way instead: test every item's bounds and draw each as
    /// an egui shape at every zoom. Kept as the baseline `cargo bench --bench frame`
    /// compares against, and as the reference for culling tests.
    pub(super) naive_paint: bool,
    pub gesture: Gesture,
    /// A view to take at the next frame, once the canvas's area is known (a document was
    /// just opened, or Fit was asked for before the first frame).
    pub pending_view: Option<AutoView>,
    /// Copies of the headers, pinned to the edges while the grid scrolls under them.
    pub(super) pinned: PinnedHeaders,
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
            scene: LiveScene::default(),
            scene_rev: None,
            look: None,
            curve: None,
            report_stale: false,
            dimming: None,
            dim_key: None,
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
    /// What each revision changed (`Editor::change_log`): the layout and scene are
    /// updated for what changed since the revision they show.
    pub changes: &'a ChangeLog,
    pub selection: &'a Selection,
    pub report: &'a Report,
    pub dark: bool,
    /// Whether the emotion curve's band is shown (View → Emotion curve).
    pub emotion_curve: bool,
}

impl CanvasState {
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Brings layout and scene up to the document, the report, the look and the
    /// highlighted theme, redoing only what changed since the last call.
    pub fn refresh(&mut self, cx: &CanvasCtx) {
        let changed = match self.scene_rev {
            Some(rev) if self.look == Some(cx.dark) && self.curve == Some(cx.emotion_curve) => {
                cx.changes.since(rev, cx.revision)
            }
            _ => Changed::everything(),
        };
        if let Some(tail) = changed.tail {
            self.follow_tail(cx, &changed, tail);
        } else if let Some(splice) = &changed.splice {
            self.follow_splice(cx, &changed, splice);
        } else if changed.everything {
            self.rebuild(cx);
        } else if !changed.is_empty() || self.report_stale {
            self.update(cx, &changed);
        }
        self.report_stale = false;
        self.scene_rev = Some(cx.revision);
        self.look = Some(cx.dark);
        self.curve = Some(cx.emotion_curve);
        self.refresh_dimming(cx);
    }

    /// Draws what edits left to draw where `area` shows the canvas (the curve's stages,
    /// see `LiveScene::show`), before it is painted.
    pub(super) fn show(&mut self, cx: &CanvasCtx, area: egui::Rect) {
        let visible = visible_canvas_rect(&self.view, area);
        self.scene.show(cx.doc, &self.layout, visible);
    }

    /// Lays out and draws the whole document anew.
    fn rebuild(&mut self, cx: &CanvasCtx) {
        let palette = palette(cx.dark);
        self.layout = Layout::compute_with(cx.doc, cx.emotion_curve);
        self.scene = LiveScene::build(cx.doc, &self.layout, &palette, Some(cx.report));
        self.flows.invalidate();
        self.pinned.rebuild(cx.doc, &self.layout, &palette);
        self.dim_key = None;
    }

    /// Follows cards and flows added at the ends of their lists or removed from them
    /// ([`LiveScene::follow_tail`]); the flow tiles keep their pieces of the other flows.
    fn follow_tail(&mut self, cx: &CanvasCtx, changed: &Changed, tail: Tail) {
        let redrawn = self
            .scene
            .follow_tail(cx.doc, &mut self.layout, changed, Some(cx.report));
        self.after_reshape(cx, redrawn, |tiles, scene, flows| {
            tiles.follow_tail(scene, tail.flows_from, flows);
        });
    }

    /// Follows cards and flows removed or inserted inside their lists (a card deleted
    /// with its flows, its undo): lays the canvas out again, and the scene and the flow
    /// tiles keep what they hold of the other cards and flows (`LiveScene::follow_splice`).
    fn follow_splice(&mut self, cx: &CanvasCtx, changed: &Changed, splice: &Splice) {
        let redrawn = self
            .scene
            .follow_splice(cx.doc, &mut self.layout, changed, Some(cx.report));
        self.after_reshape(cx, redrawn, |tiles, scene, flows| {
            tiles.follow_splice(scene, &splice.flows, flows);
        });
    }

    /// After the scene followed lists reshaped (`None`: it could not, and all is built
    /// anew): the pinned headers follow a grid that changed, and `tiles` the flows drawn.
    fn after_reshape(
        &mut self,
        cx: &CanvasCtx,
        redrawn: Option<Redrawn>,
        tiles: impl FnOnce(&mut FlowTiles, &LiveScene, &[usize]),
    ) {
        let Some(redrawn) = redrawn else {
            self.rebuild(cx);
            return;
        };
        if redrawn.grid {
            self.pinned.rebuild(cx.doc, &self.layout, &palette(cx.dark));
        }
        tiles(&mut self.flows, &self.scene, &redrawn.flows);
    }

    /// Lays out and draws again what `changed` touched (and the cards whose finding count
    /// changed).
    fn update(&mut self, cx: &CanvasCtx, changed: &Changed) {
        let Some(moved) = self.layout.update(cx.doc, &changed.cards) else {
            self.rebuild(cx);
            return;
        };
        let redrawn = self
            .scene
            .update(cx.doc, &self.layout, changed, &moved, Some(cx.report));
        if redrawn.grid {
            self.pinned.rebuild(cx.doc, &self.layout, &palette(cx.dark));
        }
        self.flows.flows_changed(&self.scene, &redrawn.flows);
    }

    /// Works out which cards and flows fade for the highlighted theme, when the theme or
    /// the document changed, and gives the flow tiles their new colours.
    fn refresh_dimming(&mut self, cx: &CanvasCtx) {
        let key = match cx.selection {
            Selection::Theme(id) => Some((cx.revision, id.clone())),
            _ => None,
        };
        if key == self.dim_key {
            return;
        }
        let was = self.dimming.take();
        self.dimming = key.as_ref().map(|(_, t)| self.scene.dimming(t));
        self.dim_key = key;
        if was.is_some() || self.dimming.is_some() {
            self.flows.faded();
        }
    }

    /// How much of its colour element `e` shows (less than 1 when faded for a highlighted
    /// theme).
    pub(super) fn alpha(&self, e: Element) -> f32 {
        self.dimming
            .as_ref()
            .map_or(1.0, |d| self.scene.alpha(d, e))
    }

    /// Redraws the finding markers at the next frame (the report changed without an edit).
    pub fn invalidate_scene(&mut self) {
        self.report_stale = true;
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
    pub fn stage_header_on_screen(&self, id: &StageId) -> Option<Rect> {
        self.pins()
            .stage_header(&self.view, self.area, &self.layout, id)
    }

    /// Where a lane's header is on screen, pinned to the left edge or not.
    pub fn lane_header_on_screen(&self, id: &LaneId) -> Option<Rect> {
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

/// What tests, benches and examples look at (the `test-hooks` feature).
#[cfg(any(test, feature = "test-hooks"))]
impl CanvasState {
    /// Paints the straightforward way (every item's bounds tested, each drawn as an egui
    /// shape): the baseline of `cargo bench --bench frame` and of the culling tests.
    pub fn set_naive_paint(&mut self, naive: bool) {
        self.naive_paint = naive;
    }

    /// Flow tiles tessellated since the last call (for tests: a pan step builds only the
    /// tiles coming into view).
    pub fn flow_tiles_built(&mut self) -> usize {
        self.flows.take_built()
    }

    /// Flow tiles copied to the screen since the last call (for tests: an edit copies only
    /// the tiles whose flows changed).
    pub fn flow_tiles_copied(&mut self) -> usize {
        self.flows.take_copied()
    }

    /// The scene the canvas keeps, as one item list with the highlighted theme's fading
    /// (for tests: it must equal `scene::build_canvas` of `doc`, the document as it is).
    pub fn scene_flattened(&mut self, doc: &Document) -> scene::Scene {
        self.scene.draw_all(doc, &self.layout);
        self.scene.flatten(self.dimming.as_ref())
    }

    /// The bounds of the scene's elements (cards, flows, labels, grid items) the last
    /// painted frame found in the viewport (for tests).
    pub fn visible_bounds(&self) -> impl Iterator<Item = scene::Rect> + '_ {
        self.visible.iter().map(|&e| self.scene.index().bounds(e))
    }

    /// The items of the scene's elements the last painted frame found in the viewport
    /// (for tests).
    pub fn visible_items(&self) -> impl Iterator<Item = &scene::Item> + '_ {
        self.visible.iter().flat_map(|&e| {
            let (items, range) = self.scene.items(e);
            &items[range]
        })
    }
}
