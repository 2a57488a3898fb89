//! The canvas's content: the cached scene culled to the viewport (flows from the tiles,
//! the overview mesh when zoomed far out), then what keeps it readable (see `legible`).

use super::items::{curve_shapes_clipped, empty_label_box, paint_item};
use super::legible;
use super::overview::{OVERVIEW_ZOOM, paint_overview};
use super::state::{CanvasCtx, CanvasState};
use super::view::{View, visible_canvas_rect};
use crate::model::Touchpoint;
use crate::scene::index::Element;
use crate::scene::{Detail, Item, layer};
use crate::ui::action::Selection;
use egui::{Pos2, Rect, Shape};

/// Below this zoom, small marks (`Detail::Readable` shapes) are skipped too.
const MIN_READABLE_ZOOM: f32 = 0.25;

/// Draws the cached scene, culled to the viewport through the spatial index; below
/// [`OVERVIEW_ZOOM`] as a flat overview (see `overview`).
pub(super) fn paint_scene(painter: &egui::Painter, st: &mut CanvasState, area: Rect) {
    let view = st.view;
    let visible = visible_canvas_rect(&view, area);
    let mut found = std::mem::take(&mut st.visible);
    if st.naive_paint {
        st.scene.index().scan(visible, &mut found);
    } else {
        st.scene.index().query(visible, &mut found);
    }
    st.visible = found;
    if view.zoom < OVERVIEW_ZOOM && !st.naive_paint {
        let (scene, dimming, visible) = (&st.scene, st.dimming.as_ref(), &st.visible);
        let alpha = |e| dimming.map_or(1.0, |d| scene.alpha(d, e));
        paint_overview(
            painter,
            &view,
            area,
            scene,
            visible,
            &alpha,
            &mut st.overview,
        );
        return;
    }
    // Tiles pay off when the zoom holds (still, or panning); while it changes every frame
    // (a pinch or wheel zoom), building tiles for each zoom costs more than drawing the
    // visible flows directly.
    let still = st.last_view == Some(view);
    st.last_view = Some(view);
    let tiled = !st.naive_paint && (st.flows.ready_for(view.zoom) || still);
    let mut flows_painted = false;
    for k in 0..st.visible.len() {
        let e = st.visible[k];
        if tiled && e.layer() == layer::FLOWS {
            // All flows at once, where the first one would be drawn: flows then lie under
            // every flow label, which is how they should read anyway.
            if !flows_painted {
                flows_painted = true;
                paint_tiled_flows(painter, st, area);
            }
            continue;
        }
        paint_element(painter, st, area, e);
    }
}

/// The flows from the tiles, shifted to the view.
fn paint_tiled_flows(painter: &egui::Painter, st: &mut CanvasState, area: Rect) {
    let origin = Rect::from_min_size(Pos2::ZERO, area.size());
    let pieces = |v: &View, keep, item: &Item, alpha, out: &mut Vec<Shape>| {
        curve_shapes_clipped(v, origin, keep, item, alpha, out);
    };
    let view = st.view;
    let (scene, dimming) = (&st.scene, st.dimming.as_ref());
    let alpha = |f: usize| dimming.map_or(1.0, |d| scene.alpha(d, Element::new(layer::FLOWS, f)));
    let faded = dimming.is_some();
    st.flows
        .paint(painter, &view, area, scene, faded, &alpha, &pieces);
}

/// One element's items, but small marks when zoomed out and label boxes whose text is too
/// small to draw.
fn paint_element(painter: &egui::Painter, st: &CanvasState, area: Rect, e: Element) {
    let view = st.view;
    let readable_marks = view.zoom >= MIN_READABLE_ZOOM;
    let alpha = st.alpha(e);
    let (items, range) = st.scene.items(e);
    for i in range {
        let item = &items[i];
        if item.detail() == Detail::Readable
            && !readable_marks
            && !matches!(item, Item::Text { .. })
        {
            continue;
        }
        if empty_label_box(items, i, view.zoom) {
            continue;
        }
        paint_item(painter, &view, area, item, alpha);
    }
}

/// Over the scene: a title line on cards and header names where the scene's text is too
/// small, then the headers pinned to the edges (see `legible`).
pub(super) fn paint_legible(painter: &egui::Painter, st: &CanvasState, cx: &CanvasCtx, area: Rect) {
    let view = st.view;
    let pins = st.pins();
    let highlight = match cx.selection {
        Selection::Theme(id) => Some(id),
        _ => None,
    };
    let dimmed = |tp: &Touchpoint| highlight.is_some_and(|h| !tp.themes.contains(h));
    legible::paint_compact_titles(
        painter, cx.doc, &st.layout, &st.pinned, &dimmed, &view, area,
    );
    legible::paint_pinned(painter, &st.pinned, pins, &view, area);
    legible::paint_header_labels(painter, cx.doc, &st.layout, &st.pinned, pins, &view, area);
}
