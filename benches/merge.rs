//! Merge and diff speed (issue 13): two copies of a 20,000-card synthetic canvas, each with
//! 2,000 changes of its own (retitles, emotions, moves, notes, cards added and deleted,
//! flows added, a stage moved or added), some of them on the same cards, so the merge
//! meets conflicts, line merges, dropped flows and both sides' additions.
//! Targets: merge under 200 ms, diff under 100 ms (release).
//!
//! Run: `cargo bench --bench merge`. Numbers go to BENCHMARKS.md, section "Merge and diff".
//!
//! Two groups: `merge` in wall time, and `merge_cpu` in the whole process's CPU time (the
//! build machine is shared, so wall time mostly measures the neighbours; the diff scores
//! both copies, on two threads from 2,000 cards, so the process's time counts both).

use criterion::measurement::Measurement;
use criterion::{Criterion, criterion_group, criterion_main};
use stagecraft::merge::{Side, diff, merge};
use stagecraft::model::{CellPos, Document, Extra, Flow, FlowId, Touchpoint, TouchpointId};
use stagecraft::synth::{SynthSpec, canvas};
use std::collections::HashSet;
use std::hint::black_box;

const CARDS: usize = 20_000;
const CHANGES: usize = 2_000;

/// `base` with `CHANGES` edits, on cards picked by `stride` and `offset` (two copies with
/// different strides touch mostly different cards, and some the same).
fn edited(base: &Document, stride: usize, offset: usize, tag: &str) -> Document {
    let mut doc = base.clone();
    let n = doc.touchpoints.len();
    let mut deleted = HashSet::new();
    for k in 0..CHANGES {
        let i = (k * stride + offset) % n;
        let stages = doc.stages.len();
        let lanes = doc.lanes.len();
        match k % 8 {
            0 => doc.touchpoints[i].title = format!("{tag} retitled {k}"),
            1 => doc.touchpoints[i].emotion = if tag == "ours" { 2 } else { -2 },
            2 => {
                let c = &mut doc.touchpoints[i];
                c.stage = doc.stages[(k / 8) % stages].id.clone();
                c.lane = doc.lanes[(k / 8) % lanes].id.clone();
                c.position = CellPos { x: 0.25, y: 0.75 };
            }
            3 => {
                let c = &mut doc.touchpoints[i];
                c.notes = format!("{tag} first line\n{}\nlast line {k}\n", c.notes);
            }
            4 => {
                let c = &doc.touchpoints[i];
                let mut new = Touchpoint::new(
                    TouchpointId::new(format!("{tag}-new-{k}")),
                    format!("Added by {tag}"),
                    c.stage.clone(),
                    c.lane.clone(),
                );
                new.emotion = 1;
                doc.touchpoints.insert(i + 1, new);
            }
            5 => {
                deleted.insert(doc.touchpoints[i].id.clone());
            }
            6 => {
                let (from, to) = (
                    doc.touchpoints[i].id.clone(),
                    doc.touchpoints[(i + 9) % n].id.clone(),
                );
                doc.flows.push(Flow {
                    id: FlowId::new(format!("{tag}-flow-{k}")),
                    from,
                    to,
                    label: "then".into(),
                    extra: Extra::new(),
                });
            }
            _ => doc.touchpoints[i].flags.pain_point ^= true,
        }
    }
    doc.touchpoints.retain(|c| !deleted.contains(&c.id));
    doc.flows
        .retain(|f| !deleted.contains(&f.from) && !deleted.contains(&f.to));
    if tag == "ours" {
        let last = doc.stages.remove(doc.stages.len() - 1);
        doc.stages.insert(0, last);
    } else {
        let mut stage = doc.stages[0].clone();
        stage.id = stagecraft::model::StageId::from("theirs-stage");
        doc.stages.insert(2, stage);
    }
    doc
}

fn copies() -> (Document, Document, Document) {
    let base = canvas(&SynthSpec::new(CARDS, 1));
    let ours = edited(&base, 7, 0, "ours");
    let theirs = edited(&base, 11, 3, "theirs");
    (base, ours, theirs)
}

fn bench<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let (base, ours, theirs) = copies();
    let out = merge(&base, &ours, &theirs, Side::Ours);
    assert!(stagecraft::model::validate(&out.doc).is_empty());
    eprintln!(
        "merge of {CARDS} cards: {} conflicts, {} notes, {} cards merged",
        out.conflicts.len(),
        out.notes.len(),
        out.doc.touchpoints.len()
    );
    let mut group = c.benchmark_group(group);
    group.sample_size(30);
    group.bench_function("merge_20k_2k_changes_each", |b| {
        b.iter(|| {
            merge(
                black_box(&base),
                black_box(&ours),
                black_box(&theirs),
                Side::Ours,
            )
        });
    });
    group.bench_function("diff_20k_2k_changes", |b| {
        b.iter(|| diff(black_box(&base), black_box(&ours)));
    });
    group.finish();
}

fn wall(c: &mut Criterion) {
    bench(c, "merge");
}

fn cpu(c: &mut Criterion<ProcessCpuTime>) {
    bench(c, "merge_cpu");
}

#[path = "support/thread_cpu.rs"]
mod thread_cpu;
use thread_cpu::ProcessCpuTime;

criterion_group!(wall_benches, wall);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ProcessCpuTime);
    targets = cpu
}
criterion_main!(cpu_benches, wall_benches);
