//! Scoring time on synthetic canvases of 1,000, 10,000 and 100,000 touchpoints (two flows
//! per card). Target: 100,000 under 20 ms in release. Numbers go to BENCHMARKS.md.
//!
//! `rescore`: the editor's rescoring after an edit that leaves the links (see `rescoring`).
//! `fixes`: ranking the next best fixes of a 40-card canvas (each candidate applied to a
//! copy and rescored), target under 50 ms.
//!
//! Three groups: `score` in wall time; `score_cpu` in the benchmarking thread's CPU time,
//! because the build machine is shared with other builds and wall time mostly measures
//! the neighbours; and `score_cpu_all` in the whole process's CPU time, because canvases
//! of 2,000 cards or more are scored on two threads (`score_cpu` then counts only the
//! calling thread's half, and `score_cpu_all` the work of both).

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use stagecraft::edit::{Changed, Fields};
use stagecraft::scoring::{Scorer, fixes, score};
use stagecraft::synth::{SynthSpec, canvas};
use std::hint::black_box;

fn scoring<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let mut group = c.benchmark_group(group);
    for n in [1_000usize, 10_000, 100_000] {
        let doc = canvas(&SynthSpec::new(n, 1));
        if n >= 100_000 {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::from_parameter(n), &doc, |b, doc| {
            b.iter(|| score(black_box(doc)));
        });
    }
    group.finish();
}

fn wall(c: &mut Criterion) {
    ranking_fixes(c);
    scoring(c, "score");
    rescoring(c);
}

/// The inspector's "Fix first" on a workshop-sized canvas: every candidate fix applied to a
/// copy of the canvas and rescored, then ranked.
fn ranking_fixes(c: &mut Criterion) {
    let mut group = c.benchmark_group("fixes");
    for seed in [1u64, 2] {
        let doc = canvas(&SynthSpec::new(40, seed));
        let report = score(&doc);
        group.bench_with_input(BenchmarkId::new("40", seed), &doc, |b, doc| {
            b.iter(|| fixes(black_box(doc), &report, 10));
        });
    }
    group.finish();
}

/// What the editor does after an edit that keeps every card's id and place in the list and
/// every flow (a title, an emotion, a theme, a card moved to another cell):
/// `scoring::Scorer` rescoring with the card facts and flows it resolved before, working
/// out again only the card the edit touched. Each iteration gives one card a new title, so
/// the tone rule reads a changed text; every rule then runs over the kept facts.
fn rescoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("rescore");
    for n in [10_000usize, 100_000] {
        let mut doc = canvas(&SynthSpec::new(n, 1));
        let mut scorer = Scorer::default();
        scorer.score(&doc, &Changed::everything());
        if n >= 100_000 {
            group.sample_size(20);
        }
        let mut k = 0usize;
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                k += 1;
                let card = &mut doc.touchpoints[k % n];
                card.title.clear();
                card.title.push_str(if k.is_multiple_of(2) {
                    "A calm welcome"
                } else {
                    "A rushed welcome"
                });
                let changed = Changed::cards(vec![k % n], Fields::TITLE);
                scorer.score(black_box(&doc), &changed).total
            });
        });
    }
    group.finish();
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    scoring(c, "score_cpu");
}

fn cpu_all(c: &mut Criterion<ProcessCpuTime>) {
    scoring(c, "score_cpu_all");
}

#[path = "support/thread_cpu.rs"]
mod thread_cpu;
use thread_cpu::{ProcessCpuTime, ThreadCpuTime};

criterion_group!(wall_benches, wall);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_group! {
    name = cpu_all_benches;
    config = Criterion::default().with_measurement(ProcessCpuTime);
    targets = cpu_all
}
criterion_main!(cpu_benches, cpu_all_benches, wall_benches);
