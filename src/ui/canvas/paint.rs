//! The canvas's content: the cached scene culled to the viewport (flows from the tiles,
//! the overview mesh when zoomed far out), then what keeps it readable (see `legible`).

use super::flow_tiles::is_flow;
use super::items::{curve_shapes_clipped, empty_label_box, paint_item};
use super::legible;
use super::overview::{OVERVIEW_ZOOM, paint_overview};
use super::state::{CanvasCtx, CanvasState};
use super::view::visible_canvas_rect;
use crate::model::Touchpoint;
use crate::scene::{Detail, Item};
use crate::ui::action::Selection;
use egui::{Pos2, Rect};

/// Below this zoom, small marks (`Detail::Readable` shapes) are skipped too.
const MIN_READABLE_ZOOM: f32 = 0.25;

/// Draws the cached scene, culled to the viewport through the spatial index; below
/// [`OVERVIEW_ZOOM`] as a flat overview (see `overview`).
pub(super) fn paint_scene(painter: &egui::Painter, st: &mut CanvasState, area: Rect) {
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
