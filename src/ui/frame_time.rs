//! The frame-time readout: a debug overlay (toggled with F12) in the canvas's top-right
//! corner showing how much CPU the last frames took, so a user can see whether a big
//! canvas is smooth on their machine.
//!
//! Two numbers: the UI pass measured here (from the start to the end of the app's `show`),
//! and, when eframe reports it, the whole previous frame's CPU time (UI, tessellation and
//! the paint calls). The median and the worst of the last [`WINDOW`] frames are shown, so
//! one slow frame does not hide among fast ones.

use egui::{Key, Pos2, Rect, vec2};
use std::collections::VecDeque;
use std::time::Instant;

/// How many recent frames the readout summarises.
pub const WINDOW: usize = 120;

/// The shortcut that shows and hides the readout.
pub const TOGGLE_KEY: Key = Key::F12;

/// Recent frame times and whether the readout is shown.
#[derive(Debug, Default)]
pub struct FrameTimes {
    pub shown: bool,
    started: Option<Instant>,
    /// UI pass durations in milliseconds, newest last.
    ui_ms: VecDeque<f32>,
    /// Whole-frame CPU durations reported by eframe, in milliseconds.
    frame_ms: VecDeque<f32>,
}

fn push(q: &mut VecDeque<f32>, v: f32) {
    if q.len() == WINDOW {
        q.pop_front();
    }
    q.push_back(v);
}

/// Median and maximum of the samples (0 when empty).
pub fn median_max(q: &VecDeque<f32>) -> (f32, f32) {
    if q.is_empty() {
        return (0.0, 0.0);
    }
    let mut v: Vec<f32> = q.iter().copied().collect();
    v.sort_by(f32::total_cmp);
    (v[v.len() / 2], v[v.len() - 1])
}

impl FrameTimes {
    /// At the start of the UI pass: handles the toggle key and starts the clock.
    pub fn begin(&mut self, ctx: &egui::Context) {
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, TOGGLE_KEY)) {
            self.shown = !self.shown;
        }
        self.started = Some(Instant::now());
    }

    /// At the end of the UI pass.
    pub fn end(&mut self) {
        if let Some(t) = self.started.take() {
            push(&mut self.ui_ms, t.elapsed().as_secs_f32() * 1000.0);
        }
    }

    /// The previous frame's whole CPU time as eframe measured it (`Frame::info().cpu_usage`).
    pub fn record_frame(&mut self, seconds: Option<f32>) {
        if let Some(s) = seconds {
            push(&mut self.frame_ms, s * 1000.0);
        }
    }

    /// The text of the readout.
    pub fn label(&self) -> String {
        let (ui_med, ui_max) = median_max(&self.ui_ms);
        let mut text = format!("UI {ui_med:.1} ms (worst {ui_max:.1})");
        if !self.frame_ms.is_empty() {
            let (f_med, f_max) = median_max(&self.frame_ms);
            text = format!("frame {f_med:.1} ms (worst {f_max:.1}) · {text}");
        }
        format!("{text} · last {} frames · F12 hides", self.ui_ms.len())
    }

    /// Paints the readout in the top-right corner of `area` (the canvas) when shown, and
    /// keeps frames coming so the numbers stay live.
    pub fn paint(&self, ctx: &egui::Context, area: Rect) {
        if !self.shown || !area.is_positive() {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("frame-time"),
        ));
        let font = super::tokens::mono(super::tokens::SMALL_SIZE);
        let galley = painter.layout_no_wrap(self.label(), font, super::tokens::READOUT_TEXT);
        let pad = vec2(8.0, 5.0);
        let size = galley.size() + 2.0 * pad;
        let min = Pos2::new(area.max.x - size.x - 10.0, area.min.y + 10.0);
        let bg = Rect::from_min_size(min, size);
        painter.rect_filled(bg, 4.0, super::tokens::READOUT_FILL);
        painter.galley(bg.min + pad, galley, super::tokens::READOUT_TEXT);
        ctx.request_repaint();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_median_and_worst_of_the_window() {
        let mut q = VecDeque::new();
        for v in 0..(WINDOW + 10) {
            push(&mut q, v as f32);
        }
        assert_eq!(q.len(), WINDOW);
        let (med, max) = median_max(&q);
        assert_eq!(max, (WINDOW + 9) as f32);
        assert_eq!(med, (10 + WINDOW / 2) as f32);
    }
}
