//! How long the editor takes to show an edit on a big canvas: the real app UI headless
//! at 1920×1080, zoom 100% on the middle of a synthetic canvas; each edit is applied as
//! the inspector or a drag applies it, then one frame is run and timed (the caches
//! following the edit: layout, scene and its index, curve, score, the flow tiles if flows
//! moved; then the UI and its tessellation). Two kinds of edit: a card's title (no flow
//! moves), and a card moved to another cell (the layout, and flows, change). Then a theme
//! selected (the other cards and flows faded) and the selection cleared. Last, the edits
//! that change the lists' shape: a card added, an arrow drawn, a card deleted.
//!
//! Run: `cargo run --release --example edit_latency -- [touchpoints] [edits]` (default
//! 100,000 and 8). Prints each edit's frame time, then the median per kind: wall time,
//! and the process's CPU time over the frame (all threads), which a busy machine inflates
//! less than the wall time.

use egui::vec2;
use stagecraft::app::StagecraftApp;
use stagecraft::edit::{Command, Placement};
use stagecraft::model::{CellPos, Extra, Flow, FlowId, TouchpointId};
use stagecraft::synth::{SynthSpec, canvas};
use stagecraft::ui::action::{Action, Selection};
use std::time::{Duration, Instant};

#[path = "../benches/support/headless.rs"]
mod headless;
use headless::frame;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// CPU time the process has used so far, all threads (user and system).
fn cpu_time() -> Duration {
    // SAFETY: getrusage fills the struct it is given; a zeroed rusage is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer to a rusage.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &raw mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The frame that shows an edit, one function per kind of edit, so that a profile
/// (`perf record --call-graph dwarf`, callgrind's `--toggle-collect`) can pick out what each
/// kind costs from the frames that build the canvas first.
#[inline(never)]
fn title_frame(next: &mut dyn FnMut() -> (Duration, Duration)) -> (Duration, Duration) {
    // Work after the call keeps this frame on the stack (no tail call), and a body of its
    // own keeps the three functions from being folded into one.
    let frame = next();
    std::hint::black_box("title");
    frame
}

#[inline(never)]
fn move_frame(next: &mut dyn FnMut() -> (Duration, Duration)) -> (Duration, Duration) {
    // Work after the call keeps this frame on the stack (no tail call), and a body of its
    // own keeps the three functions from being folded into one.
    let frame = next();
    std::hint::black_box("move");
    frame
}

#[inline(never)]
fn theme_frame(next: &mut dyn FnMut() -> (Duration, Duration)) -> (Duration, Duration) {
    // Work after the call keeps this frame on the stack (no tail call), and a body of its
    // own keeps the three functions from being folded into one.
    let frame = next();
    std::hint::black_box("theme");
    frame
}

#[inline(never)]
fn reshape_frame(next: &mut dyn FnMut() -> (Duration, Duration)) -> (Duration, Duration) {
    // Work after the call keeps this frame on the stack (no tail call), and a body of its
    // own keeps the functions from being folded into one.
    let frame = next();
    std::hint::black_box("reshape");
    frame
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let edits: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let ctx = headless::context();
    let mut app = StagecraftApp::new_with(canvas(&SynthSpec::new(n, 1)));
    let mut time = 0.0;
    // A frame's wall time, and the CPU time the process spent in it.
    let mut next_frame = |app: &mut StagecraftApp| {
        time += 1.0 / 60.0;
        let (start, used) = (Instant::now(), cpu_time());
        frame(&ctx, app, time);
        (start.elapsed(), cpu_time().saturating_sub(used))
    };
    for _ in 0..3 {
        next_frame(&mut app);
    }
    let b = app.canvas.layout().bounds();
    app.canvas.view.zoom = 1.0;
    app.canvas.view.offset = app.canvas.area.size() / 2.0 - vec2(b.center().x, b.center().y);
    for _ in 0..3 {
        next_frame(&mut app);
    }
    app.canvas.flow_tiles_copied();
    let (still, _) = next_frame(&mut app);
    let tiles = app.canvas.flow_tiles_built();
    let copied = app.canvas.flow_tiles_copied();
    println!(
        "{n} touchpoints, zoom 100%: a frame without edit {still:.1?}; {tiles} flow tiles \
         built, {copied} copied to the screen"
    );
    let (mut titles, mut moves) = (Vec::new(), Vec::new());
    for e in 0..edits {
        let mut card = app.doc().touchpoints[n / 2 + e].clone();
        card.title = format!("Retitled {e}");
        let edit = Action::Edit(Command::UpdateTouchpoint(Box::new(card)));
        app.apply_action(&ctx, edit);
        app.canvas.flow_tiles_copied();
        let (t, c) = title_frame(&mut || next_frame(&mut app));
        let tiles = app.canvas.flow_tiles_built();
        let copied = app.canvas.flow_tiles_copied();
        println!(
            "title edit {e}: {t:.1?} (CPU {c:.1?}), {tiles} flow tiles rebuilt, {copied} copied"
        );
        titles.push((t, c));
        next_frame(&mut app);

        let doc = app.doc();
        let card = &doc.touchpoints[n / 3 + e];
        let stage = doc.stages[(e + 1) % doc.stages.len()].id.clone();
        let place = Placement {
            id: card.id.clone(),
            stage,
            lane: card.lane.clone(),
            position: CellPos::default(),
        };
        app.apply_action(&ctx, Action::Edit(Command::MoveTouchpoints(vec![place])));
        app.canvas.flow_tiles_copied();
        let (t, c) = move_frame(&mut || next_frame(&mut app));
        let tiles = app.canvas.flow_tiles_built();
        let copied = app.canvas.flow_tiles_copied();
        println!(
            "card move {e}: {t:.1?} (CPU {c:.1?}), {tiles} flow tiles rebuilt, {copied} copied"
        );
        moves.push((t, c));
        next_frame(&mut app);
    }
    // Not an edit, but the same rebuild: a theme selected to see its thread (the other
    // cards and their flows fade), then the selection cleared.
    let mut themes = Vec::new();
    for e in 0..edits {
        let theme = app.doc().themes[e % app.doc().themes.len()].id.clone();
        app.apply_action(&ctx, Action::Select(Selection::Theme(theme)));
        let (on, on_cpu) = theme_frame(&mut || next_frame(&mut app));
        let tiles_on = app.canvas.flow_tiles_built();
        next_frame(&mut app);
        app.apply_action(&ctx, Action::Select(Selection::None));
        let (off, off_cpu) = theme_frame(&mut || next_frame(&mut app));
        let tiles_off = app.canvas.flow_tiles_built();
        next_frame(&mut app);
        println!(
            "theme highlighted {e}: {on:.1?}, cleared {off:.1?}; \
             {tiles_on} and {tiles_off} flow tiles rebuilt"
        );
        themes.extend([(on, on_cpu), (off, off_cpu)]);
    }
    // Not among #16's targets: the edits that change the lists' shape, a card added as a
    // double-click adds one and an arrow drawn from it (a tail), and a card deleted with its
    // flows from inside the list (a splice).
    let mut reshapes = Vec::new();
    for e in 0..edits {
        let mut card = app.doc().touchpoints[n / 2 + e].clone();
        card.id = TouchpointId::new(format!("added-{e}"));
        card.title = format!("Added {e}");
        let to = card.id.clone();
        app.apply_action(&ctx, Action::Edit(Command::AddTouchpoint(Box::new(card))));
        let (added, _) = reshape_frame(&mut || next_frame(&mut app));
        let flow = Flow {
            id: FlowId::new(format!("added-flow-{e}")),
            from: app.doc().touchpoints[n / 2 + e].id.clone(),
            to,
            label: String::new(),
            extra: Extra::new(),
        };
        app.apply_action(&ctx, Action::Edit(Command::AddFlow(flow)));
        let (drawn, _) = reshape_frame(&mut || next_frame(&mut app));
        let gone = app.doc().touchpoints[n / 3 + e].id.clone();
        app.apply_action(&ctx, Action::Edit(Command::DeleteTouchpoints(vec![gone])));
        let (deleted, _) = next_frame(&mut app);
        println!(
            "card added {e}: {added:.1?}; arrow drawn: {drawn:.1?}; card deleted: {deleted:.1?}"
        );
        reshapes.push([added, drawn, deleted]);
    }
    let medians = |v: Vec<(Duration, Duration)>| {
        let (wall, cpu): (Vec<_>, Vec<_>) = v.into_iter().unzip();
        (median(wall), median(cpu))
    };
    let ((tw, tc), (mw, mc), (hw, hc)) = (medians(titles), medians(moves), medians(themes));
    println!(
        "median frame after an edit: title {tw:.1?}, card move {mw:.1?}; theme highlight \
         {hw:.1?} (CPU: {tc:.1?}, {mc:.1?}; {hc:.1?})"
    );
    let kind = |k: usize| median(reshapes.iter().map(|r| r[k]).collect());
    println!(
        "median frame after a card added {:.1?}, an arrow drawn {:.1?}, a card deleted {:.1?}",
        kind(0),
        kind(1),
        kind(2)
    );
}
