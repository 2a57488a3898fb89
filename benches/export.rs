//! Export benchmarks: A3 landscape at 300 dpi PNG of synthetic canvases (100 and 1,000
//! touchpoints), the phases of that export, and the layout of 50,000 cards.
//!
//! Run: `cargo bench --bench export`. Numbers go to BENCHMARKS.md ("Export").

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use stagecraft::export::{self, ExportOptions, Orientation, Paper, raster, svg};
use stagecraft::scene::{CanvasOptions, Layout, Palette, build_canvas};
use stagecraft::synth::{SynthSpec, canvas};
use std::hint::black_box;

#[path = "support/thread_cpu.rs"]
mod thread_cpu;
use thread_cpu::ThreadCpuTime;

fn a3_300() -> ExportOptions {
    ExportOptions {
        paper: Paper::A3,
        orientation: Orientation::Landscape,
        dpi: 300.0,
        ..ExportOptions::default()
    }
}

fn png_a3<M: Measurement + 'static>(c: &mut Criterion<M>, label: &str) {
    let mut group = c.benchmark_group(format!("export_png_a3_300dpi_{label}"));
    group.sample_size(10);
    for n in [100usize, 1_000] {
        let doc = canvas(&SynthSpec::new(n, 7));
        let opts = a3_300();
        group.bench_with_input(BenchmarkId::new("touchpoints", n), &doc, |b, doc| {
            b.iter(|| {
                let pngs = export::render_png(black_box(doc), &opts).expect("exports");
                black_box(pngs[0].len())
            });
        });
    }
    group.finish();
}

fn phases<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let mut group = c.benchmark_group("export_phases_1000");
    group.sample_size(10);
    let doc = canvas(&SynthSpec::new(1_000, 7));
    let opts = a3_300();
    group.bench_function("score+layout+compose", |b| {
        b.iter(|| black_box(export::pages_for(&doc, &opts).expect("composes").len()));
    });
    let pages = export::pages_for(&doc, &opts).expect("composes");
    group.bench_function("svg", |b| {
        b.iter(|| black_box(svg::page_to_svg(&pages[0], None, None).len()));
    });
    let text = svg::page_to_svg(&pages[0], None, None);
    group.bench_function("usvg_parse", |b| {
        b.iter(|| black_box(raster::parse_svg(&text).is_ok()));
    });
    group.bench_function("render+encode", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            raster::write_png(&pages[0], 300.0, None, &mut out, &mut |_, _| true).expect("renders");
            black_box(out.len())
        });
    });
    group.bench_function("pdf", |b| {
        b.iter(|| {
            black_box(
                export::pdf::write_pdf(&pages, &export::pdf::PdfInfo::default(), &mut |_, _| true)
                    .map(|p| p.len()),
            )
        });
    });
    group.finish();
}

fn layout_50k<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let doc = canvas(&SynthSpec::new(50_000, 7));
    let palette = Palette::light();
    c.bench_function("layout_compute_50000", |b| {
        b.iter(|| black_box(Layout::compute(black_box(&doc)).card_count()));
    });
    let layout = Layout::compute(&doc);
    c.bench_function("build_canvas_50000", |b| {
        b.iter(|| {
            let scene = build_canvas(&doc, &layout, &CanvasOptions::plain(&palette));
            black_box(scene.items.len())
        });
    });
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    png_a3(c, "cpu");
    phases(c);
    layout_50k(c);
}

fn wall(c: &mut Criterion) {
    png_a3(c, "wall");
}

criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_group!(wall_benches, wall);
criterion_main!(cpu_benches, wall_benches);
