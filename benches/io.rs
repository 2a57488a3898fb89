//! File load and save speed on a large canvas (100,000 touchpoints).
//!
//! Run: `cargo bench --bench io`. Numbers go to BENCHMARKS.md, section "File load and save".
//! The canvas is built here rather than by `stagecraft::synth` so that this bench measures
//! the file format alone and does not move when the synthetic generator changes.

use criterion::measurement::Measurement;
use criterion::{Criterion, criterion_group, criterion_main};
use stagecraft::model::{
    Cue, Document, Flow, FlowId, Polarity, Sense, Theme, ThemeId, TopTask, Touchpoint, TouchpointId,
};
use std::hint::black_box;

/// A canvas with `n` touchpoints spread over the default stages and lanes, each with a
/// realistic amount of text, cues, senses and themes, chained by flows.
fn big_canvas(n: usize) -> Document {
    let mut doc = Document::new_canvas();
    doc.title = "Synthetic journey".into();
    for (i, name) in ["Warm welcome", "Effortless", "Craft"].iter().enumerate() {
        doc.themes.push(Theme {
            id: ThemeId::new(format!("theme-{i}")),
            name: (*name).into(),
            color: stagecraft::model::Color::rgb(40 * i as u8, 120, 200),
            intent: Default::default(),
            tone: vec!["warm".into(), "personal".into()],
            extra: Default::default(),
        });
    }
    for i in 0..n {
        let stage = doc.stages[i % doc.stages.len()].id.clone();
        let lane = doc.lanes[(i / 4) % doc.lanes.len()].id.clone();
        let mut tp = Touchpoint::new(
            TouchpointId::new(format!("tp-{i}")),
            format!("Touchpoint number {i}: order the usual"),
            stage,
            lane,
        );
        tp.notes = "The barista greets the guest by name and starts the usual order.".into();
        tp.position.x = (i % 10) as f32 / 10.0;
        tp.position.y = (i % 7) as f32 / 7.0;
        tp.themes = vec![ThemeId::new(format!("theme-{}", i % 3))];
        tp.emotion = (i % 5) as i8 - 2;
        tp.cues = vec![Cue {
            text: "Smell of fresh coffee".into(),
            polarity: if i % 9 == 0 {
                Polarity::Negative
            } else {
                Polarity::Positive
            },
        }];
        tp.senses = [Sense::Sight, Sense::Smell].into_iter().collect();
        tp.department = "Operations".into();
        if i % 10 == 0 {
            tp.top_task = Some(TopTask {
                task: "Order my usual".into(),
                steps: Some(3),
                seconds: Some(40.0),
                max_steps: Some(4),
                max_seconds: Some(60.0),
            });
        }
        doc.touchpoints.push(tp);
    }
    for i in 1..n {
        doc.flows.push(Flow {
            id: FlowId::new(format!("flow-{i}")),
            from: TouchpointId::new(format!("tp-{}", i - 1)),
            to: TouchpointId::new(format!("tp-{i}")),
            label: String::new(),
            extra: Default::default(),
        });
    }
    doc
}

#[path = "support/thread_cpu.rs"]
mod thread_cpu;
use thread_cpu::ThreadCpuTime;

fn file_load_and_save<M: Measurement>(c: &mut Criterion<M>, label: &str) {
    let doc = big_canvas(100_000);
    let text = stagecraft::io::to_json(&doc);
    eprintln!("100k touchpoints: {} bytes of JSON", text.len());
    let mut group = c.benchmark_group(format!("io_100k_{label}"));
    group.sample_size(10);
    group.bench_function("load_str", |b| {
        b.iter(|| stagecraft::io::load_str("big.json", black_box(&text)).expect("loads"));
    });
    group.bench_function("to_json", |b| {
        b.iter(|| stagecraft::io::to_json(black_box(&doc)));
    });
    group.bench_function("parse only (serde_json::from_str::<Document>)", |b| {
        b.iter(|| serde_json::from_str::<Document>(black_box(&text)).expect("parses"));
    });
    group.bench_function("syntax only (IgnoredAny)", |b| {
        b.iter(|| serde_json::from_str::<serde::de::IgnoredAny>(black_box(&text)).expect("ok"));
    });
    group.bench_function("validate", |b| {
        b.iter(|| stagecraft::model::validate(black_box(&doc)));
    });
    group.finish();
}

/// The realistic case: a 40-card sample, as a user opens and saves it.
fn sample_load_and_save(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/hotel-stay.json");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("hotel.json");
    c.bench_function("sample hotel-stay: load_path + save_json", |b| {
        b.iter(|| {
            let loaded = stagecraft::io::load_path(&path).expect("loads");
            stagecraft::io::save_json(&loaded.document, &out).expect("saves");
        });
    });
}

fn wall(c: &mut Criterion) {
    file_load_and_save(c, "wall");
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    file_load_and_save(c, "cpu");
}

criterion_group!(wall_benches, wall, sample_load_and_save);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(cpu_benches, wall_benches);
