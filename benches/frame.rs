//! CPU time of one editor frame on big canvases, headless: the real app UI
//! (`StagecraftApp::show`) in an `egui::Context` at 1920×1080, plus tessellation of the
//! frame's shapes into meshes (what the GPU would then draw).
//!
//! Run: `cargo bench --bench frame` (all sizes) or e.g. `cargo bench --bench frame -- 20000`.
//! Numbers go to BENCHMARKS.md, section "Big canvases".
//!
//! Canvases: `stagecraft::synth` with 1,000, 5,000, 20,000 and 50,000 touchpoints and two
//! flows per touchpoint (seed 1). Views:
//! - `fit`: the whole canvas zoomed to fit (what opening a file shows);
//! - `work`: zoom 1.0 (cards readable) on the middle of the canvas;
//! - `pan`: zoom 1.0, the view moving on by 37 points each frame (a drag or scroll step)
//!   across the whole canvas and starting over at its left edge, so every frame paints new
//!   positions and every few frames new flow tiles come into view;
//! - `zoom`: around zoom 1.0, a new zoom every frame (a pinch or a wheel zoom), where no
//!   tile can be reused: flows are drawn directly, culled to the view.
//!
//! The targets (issue 6) are for the first three.
//!
//! Each is run twice: `indexed` (the editor as shipped: spatial index, overview level of
//! detail) and `naive` (`CanvasState::set_naive_paint`: every item's bounds tested and every
//! visible item drawn as an egui shape, the baseline before the optimisation).
//!
//! The document is unchanged between frames, as while looking around; layout, scene and
//! score are cached by the app per revision and are measured by `cargo bench --bench scale`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::vec2;
use stagecraft::app::StagecraftApp;
use stagecraft::synth::{SynthSpec, canvas};
use std::hint::black_box;

#[path = "support/headless.rs"]
mod headless;
use headless::frame;

const SIZES: [usize; 4] = [1_000, 5_000, 20_000, 50_000];

#[derive(Clone, Copy)]
enum ViewKind {
    Fit,
    Work,
    Pan,
    Zoom,
}

fn set_view(app: &mut StagecraftApp, kind: ViewKind) {
    match kind {
        ViewKind::Fit => app.canvas.zoom_to_fit(),
        ViewKind::Work | ViewKind::Pan | ViewKind::Zoom => {
            // Zoom 1 centred on the middle of the canvas.
            let b = app.canvas.layout().bounds();
            let area = app.canvas.area;
            app.canvas.view.zoom = 1.0;
            app.canvas.view.offset = area.size() / 2.0 - vec2(b.center().x, b.center().y);
        }
    }
}

fn frames(c: &mut Criterion) {
    let only: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.measurement_time(std::time::Duration::from_secs(3));
    for n in SIZES {
        if only.is_some_and(|o| o != n) {
            continue;
        }
        let doc = canvas(&SynthSpec::new(n, 1));
        for (paint, naive) in [("indexed", false), ("naive", true)] {
            if naive && n > 5_000 {
                // Seconds per frame (33 million triangles at 20,000 zoomed to fit): the
                // baseline is measured on the two smaller canvases only.
                continue;
            }
            let ctx = headless::context();
            let mut app = StagecraftApp::new_with(doc.clone());
            app.canvas.set_naive_paint(naive);
            let mut time = 0.0;
            // Warm up: fonts, style, panel sizes, layout/scene/report caches, zoom to fit.
            for _ in 0..3 {
                time += 1.0 / 60.0;
                frame(&ctx, &mut app, time);
            }
            for (name, kind) in [
                ("fit", ViewKind::Fit),
                ("work", ViewKind::Work),
                ("pan", ViewKind::Pan),
                ("zoom", ViewKind::Zoom),
            ] {
                set_view(&mut app, kind);
                time += 1.0 / 60.0;
                let tris = frame(&ctx, &mut app, time);
                eprintln!(
                    "{n} touchpoints, {paint} {name}: zoom {:.3}, {tris} triangles",
                    app.canvas.view.zoom
                );
                group.bench_with_input(
                    BenchmarkId::new(format!("{paint}/{name}"), n),
                    &n,
                    |b, _| {
                        b.iter(|| {
                            if let ViewKind::Pan = kind {
                                // Always onwards, so every few steps new flow tiles come
                                // into view: across the canvas, then back to its left edge.
                                app.canvas.view.offset.x -= 37.0;
                                let b = app.canvas.layout().bounds();
                                let right =
                                    b.max.x * app.canvas.view.zoom + app.canvas.view.offset.x;
                                if right < app.canvas.area.width() {
                                    app.canvas.view.offset.x = -b.min.x * app.canvas.view.zoom;
                                }
                            }
                            if let ViewKind::Zoom = kind {
                                // A pinch or wheel zoom: a new zoom every frame, between
                                // 0.9 and 1.1 around the middle of the view.
                                let z = app.canvas.view.zoom;
                                app.canvas.set_zoom(if z >= 1.1 { 0.9 } else { z * 1.02 });
                            }
                            time += 1.0 / 60.0;
                            black_box(frame(&ctx, &mut app, time))
                        });
                    },
                );
            }
        }
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
