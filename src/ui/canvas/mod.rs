//! The canvas: paints the shared [`Scene`](crate::scene::Scene) through a pan/zoom
//! [`View`], and turns pointer gestures into actions (select, rubber band, move cards, draw
//! flows, drop palette items and themes, edit a title in place).
//!
//! Split as egui's painting demo splits a painter: [`canvas_ui`] runs the *control* side
//! first (`input`: the pointer and keys become view changes and queued actions, never a
//! document change), then the *content* side, layer by layer, bottom to top. Layout and
//! scene are cached in [`CanvasState`] and rebuilt only when the document (or the look, or
//! the highlighted theme) changes, never per frame; painting culls items outside the
//! viewport and skips text too small to read.
//!
//! | file | holds | uses |
//! |---|---|---|
//! | `view` | [`View`] (canvas units ↔ screen points), zoom limits, fit and opening views | — |
//! | `state` | [`CanvasState`] kept between frames, [`CanvasCtx`] read each frame | `view`, `legible`, `flow_tiles` |
//! | `input` | view, payload, gesture and click input; [`move_command`] | `state` |
//! | `title_edit` | the in-place title editor | `state` |
//! | `paint` | the scene layer: culled items, overview, flow tiles, legible labels | `state`, `items`, `overview`, `flow_tiles`, `legible` |
//! | `overlays` | selection, hover, gesture previews, drop targets, empty hint | `state`, `input` |
//! | `items` | one scene item as egui shapes | `view`, `clip` |
//! | `clip` | the pieces of a Bézier curve a rectangle wants (dashes, runs) | — |
//! | `overview` | the far level of detail: flat quads in one mesh | `view`, `clip` |
//! | `flow_tiles`, `tile_mesh` | flows tessellated once per screen tile, and kept compactly | `view`, `clip` |
//! | `legible` | headers pinned to the edges; labels at a floor size when zoomed out | `view`, `items` |
//!
//! Imports only run up this table's "uses" column; no two files import each other.
//!
//! A new layer (an emotion-curve lane, say) is a file here with a
//! `paint_…(painter, st, cx, area)` function, called from [`canvas_ui`] at its place in
//! the layer list; what it draws for export belongs in `scene` instead, so that it also
//! shows on paper.

mod clip;
mod flow_key;
mod flow_tiles;
mod input;
mod items;
mod legible;
mod overlays;
mod overview;
mod paint;
mod state;
mod tile_mesh;
mod title_edit;
mod view;

pub use flow_tiles::TILE;
pub use input::move_command;
pub use legible::{PinnedHeaders, Pins};
pub use overview::OVERVIEW_ZOOM;
pub use state::{CanvasCtx, CanvasState, Gesture};
pub use view::{
    AutoView, LEGIBLE_TITLE, MAX_ZOOM, MIN_ZOOM, View, legible_zoom, visible_canvas_rect,
};

use crate::ui::action::Actions;
use crate::ui::tokens;
use egui::{Sense, Ui};

/// The canvas widget: the control side first (input), then the content, bottom to top.
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
    // Control.
    input::view_input(ui, st, &resp);
    let drop = input::payload_input(ui, st, cx, actions);
    input::gesture_input(ui, st, cx, &resp, actions);
    input::click_input(ui, st, cx, &resp, actions);

    // Content, layer by layer: the desk, the scene, labels kept readable, overlays.
    let painter = ui.painter_at(area);
    painter.rect_filled(area, 0.0, tokens::canvas_surround(cx.dark));
    st.show(cx, area);
    paint::paint_scene(&painter, st, area);
    paint::paint_legible(&painter, st, cx, area);
    // A new lane or overlay drawn over the scene goes here.
    overlays::paint_overlays(ui, &painter, st, cx, &resp, drop.as_ref());
    title_edit::title_edit_ui(ui, st, cx, actions);
    if cx.doc.touchpoints.is_empty() && drop.is_none() {
        overlays::paint_empty_hint(&painter, st, area);
    }
}
