//! File and rebuild speed at scale: a 100,000-touchpoint synthetic canvas
//! (`stagecraft::synth`, seed 1, two flows per card).
//!
//! Run: `cargo bench --bench scale`. Numbers go to BENCHMARKS.md, section "Big canvases".
//! (`cargo bench --bench io` measures the file format alone on a fixed hand-built canvas;
//! `cargo bench --bench scoring` the coherence score, on the same synthetic canvases.)
//!
//! - `load_str + to_json`: parse, validate and serialise again, in memory.
//! - `load_path + save_json`: the same through the disk, with the atomic save's fsync.
//! - `clone`: what an edit costs when it comes while the autosave writer still holds the
//!   document (copy on write; an autosave itself copies nothing).
//! - `layout + scene + index`: what the editor rebuilds after an edit.

use criterion::{Criterion, criterion_group, criterion_main};
use stagecraft::scene::{Layout, LiveScene, Palette};
use stagecraft::synth::{SynthSpec, canvas};
use std::hint::black_box;

const N: usize = 100_000;

fn scale(c: &mut Criterion) {
    let doc = canvas(&SynthSpec::new(N, 1));
    let text = stagecraft::io::to_json(&doc);
    eprintln!(
        "{N} touchpoints, {} flows: {} bytes of JSON",
        doc.flows.len(),
        text.len()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.json");
    stagecraft::io::save_json(&doc, &path).expect("saves");

    let mut group = c.benchmark_group("scale_100k");
    group.sample_size(10);
    group.bench_function("load_str + to_json", |b| {
        b.iter(|| {
            let loaded = stagecraft::io::load_str("big.json", black_box(&text)).expect("loads");
            stagecraft::io::to_json(&loaded.document)
        });
    });
    // Reading the file is timed too (`load_path` is `read` + `load_str`).
    group.bench_function("load_path + save_json", |b| {
        b.iter(|| {
            let loaded = stagecraft::io::load_path(&path).expect("loads");
            stagecraft::io::save_json(&loaded.document, &path).expect("saves");
        });
    });
    // What an edit pays when it comes while the autosave writer still holds the document
    // (the autosave itself no longer copies it).
    group.bench_function("clone (an edit during an autosave write)", |b| {
        b.iter(|| black_box(&doc).clone());
    });
    let report = stagecraft::scoring::score(&doc);
    let palette = Palette::light();
    // What the editor builds on opening a file (an edit updates only what it touched:
    // `cargo run --release --example rebuild`).
    group.bench_function("layout + scene + index", |b| {
        b.iter(|| {
            let layout = Layout::compute(black_box(&doc));
            black_box(LiveScene::build(&doc, &layout, &palette, Some(&report)));
        });
    });
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
