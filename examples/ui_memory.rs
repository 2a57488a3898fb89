//! Resident memory of the editor itself on a big canvas, headless (no GPU driver, whose
//! buffers a software renderer would add): the real app UI in an `egui::Context` at
//! 1920×1080, zoomed to fit, then at 100% (flows drawn directly, then from tiles), then
//! after 100 pan steps, then after 10 edits. Prints `VmRSS`/`VmHWM` from /proc/self/status (Linux).
//!
//! Run: `cargo run --release --example ui_memory -- [touchpoints]` (default 100,000).

use stagecraft::app::StagecraftApp;
use stagecraft::edit::Command;
use stagecraft::synth::{SynthSpec, canvas};
use stagecraft::ui::action::Action;

#[path = "../benches/support/headless.rs"]
mod headless;
use headless::frame;

/// `VmRSS` and `VmHWM` from /proc/self/status.
fn rss() -> String {
    let t = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    t.lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let ctx = headless::context();
    let mut app = StagecraftApp::new_with(canvas(&SynthSpec::new(n, 1)));
    let mut t = 0.0;
    for _ in 0..3 {
        t += 0.016;
        frame(&ctx, &mut app, t);
    }
    println!("fit: {}", rss());
    app.canvas.set_zoom(1.0);
    t += 0.016;
    let a = frame(&ctx, &mut app, t);
    println!("100% direct ({a} tris): {}", rss());
    for _ in 0..3 {
        t += 0.016;
        frame(&ctx, &mut app, t);
    }
    println!("100% tiles: {}", rss());
    for _ in 0..100 {
        app.canvas.view.offset.x -= 37.0;
        t += 0.016;
        frame(&ctx, &mut app, t);
    }
    println!("after 100 pan steps: {}", rss());
    // Edits rebuild the scene and the index (into their old buffers) and rescore.
    for e in 0..10 {
        let mut card = app.doc().touchpoints[n / 2 + e].clone();
        card.title = format!("Retitled {e}");
        let edit = Action::Edit(Command::UpdateTouchpoint(Box::new(card)));
        app.apply_action(&ctx, edit);
        for _ in 0..2 {
            t += 0.016;
            frame(&ctx, &mut app, t);
        }
    }
    println!("after 10 edits: {}", rss());
}
