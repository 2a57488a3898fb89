//! The view transform: where canvas units land on screen (`View`), the zoom limits, and
//! the views the canvas computes itself (fit, the opening view, a framed finding).

use crate::scene::style::CARD_TITLE_SIZE;
use crate::scene::{self, Point};
use egui::{Pos2, Rect, Vec2, vec2};

/// Zoom limits.
pub const MIN_ZOOM: f32 = 0.03;
pub const MAX_ZOOM: f32 = 4.0;
/// Margin around the journey when zooming to fit, in screen points.
const FIT_MARGIN: f32 = 28.0;
/// The opening view and framing a finding never zoom in past cards' real size.
pub(super) const FRAME_MAX_ZOOM: f32 = 1.0;
/// Fit (Ctrl+0) may enlarge a small journey this much.
pub(super) const FIT_MAX_ZOOM: f32 = 1.25;
/// Room left around a finding's targets when they are framed, in canvas units.
pub(super) const FRAME_ROOM: f32 = 40.0;

/// Card titles at least this high (points) can be read: the opening view's zoom is chosen
/// so that they are.
pub const LEGIBLE_TITLE: f32 = 11.0;

/// The zoom at which card titles are [`LEGIBLE_TITLE`] high.
pub fn legible_zoom() -> f32 {
    LEGIBLE_TITLE / CARD_TITLE_SIZE
}

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

/// The part of the canvas (in canvas units) that `area` shows.
pub fn visible_canvas_rect(view: &View, area: Rect) -> scene::Rect {
    scene::Rect::from_min_max(
        view.to_canvas(area, area.min),
        view.to_canvas(area, area.max),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

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
}
