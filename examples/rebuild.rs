//! What an edit costs the editor on a big canvas: the canvas rebuild that follows every
//! change (layout, scene, spatial index), timed step by step, with the process's resident
//! memory after each rebuild. The scene and index are rebuilt into the previous ones'
//! buffers, as the editor does; `FRESH=1` builds new ones each time (the old way, for
//! comparison: the previous scene stays alive while the next is built).
//!
//! Run: `cargo run --release --example rebuild -- [touchpoints] [rebuilds]` (default
//! 100,000 and 10).

use stagecraft::scene::index::SceneIndex;
use stagecraft::scene::{CanvasOptions, Layout, Palette, Scene, rebuild_canvas};
use stagecraft::synth::{SynthSpec, canvas};
use std::time::Instant;

/// `VmRSS` and `VmHWM` from /proc/self/status (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rebuilds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let fresh = std::env::var_os("FRESH").is_some();
    let doc = canvas(&SynthSpec::new(n, 1));
    let report = stagecraft::scoring::score(&doc);
    let palette = Palette::light();
    let opts = CanvasOptions {
        palette: &palette,
        report: Some(&report),
        highlight_theme: None,
        finding_markers: true,
        hatch_assumed: false,
    };
    let mut scene = Scene::default();
    let mut index = SceneIndex::default();
    println!(
        "{n} touchpoints, {} buffers",
        if fresh { "fresh" } else { "reused" }
    );
    for _ in 0..rebuilds {
        let start = Instant::now();
        let layout = Layout::compute(&doc);
        let laid = start.elapsed();
        if fresh {
            let next = stagecraft::scene::build_canvas(&doc, &layout, &opts);
            scene = next;
        } else {
            scene = rebuild_canvas(&doc, &layout, &opts, std::mem::take(&mut scene.items));
        }
        let drawn = start.elapsed();
        index = if fresh {
            SceneIndex::build(&scene)
        } else {
            std::mem::take(&mut index).rebuild(&scene)
        };
        let total = start.elapsed();
        println!(
            "layout {:6.1} ms  scene {:6.1} ms  index {:6.1} ms  total {:6.1} ms  \
             ({} items in {} groups)  {}",
            ms(laid),
            ms(drawn.checked_sub(laid).unwrap()),
            ms(total.checked_sub(drawn).unwrap()),
            ms(total),
            index.len(),
            index.groups(),
            memory()
        );
    }
    std::hint::black_box((&scene, &index));
}
