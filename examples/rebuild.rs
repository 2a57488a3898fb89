//! What the canvas costs the editor on a big canvas: the full build (layout, then the
//! scene with its spatial index), as after opening a file or an edit that reshapes the
//! document, and the update after a title edit and after a card moved to another stage,
//! with the process's resident memory after each.
//!
//! Run: `cargo run --release --example rebuild -- [touchpoints] [rounds]` (default
//! 100,000 and 5).

use stagecraft::edit::{Changed, Fields};
use stagecraft::scene::{Layout, LiveScene, Palette};
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
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let mut doc = canvas(&SynthSpec::new(n, 1));
    let report = stagecraft::scoring::score(&doc);
    let palette = Palette::light();
    println!("{n} touchpoints");
    let mut layout = Layout::default();
    let mut scene = LiveScene::default();
    for _ in 0..rounds {
        let start = Instant::now();
        layout = Layout::compute(&doc);
        let laid = start.elapsed();
        scene = LiveScene::build(&doc, &layout, &palette, Some(&report));
        let total = start.elapsed();
        println!(
            "full: layout {:6.1} ms  scene and index {:6.1} ms  {}",
            ms(laid),
            ms(total.saturating_sub(laid)),
            memory()
        );
    }
    for round in 0..rounds {
        for (what, i) in [("title", n / 2 + round), ("move", n / 3 + round)] {
            if what == "title" {
                doc.touchpoints[i].title = format!("Retitled {round}");
            } else {
                let stage = doc.stages[(round + 1) % doc.stages.len()].id.clone();
                doc.touchpoints[i].stage = stage;
            }
            let fields = if what == "title" {
                Fields::TITLE
            } else {
                Fields::STAGE
            };
            let changed = Changed::cards(vec![i], fields);
            let start = Instant::now();
            let moved = layout.update(&doc, &changed.cards).expect("cells exist");
            let laid = start.elapsed();
            let redrawn = scene.update(&doc, &layout, &changed, &moved, Some(&report));
            let total = start.elapsed();
            println!(
                "{what}: layout {:6.2} ms  scene {:6.2} ms  ({} cards moved, {} flows redrawn{})",
                ms(laid),
                ms(total.saturating_sub(laid)),
                moved.moved.len(),
                redrawn.flows.len(),
                if moved.grid { ", grid changed" } else { "" },
            );
        }
    }
    std::hint::black_box((&scene, &layout));
}
