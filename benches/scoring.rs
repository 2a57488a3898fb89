//! Scoring time on synthetic canvases of 1,000, 10,000 and 100,000 touchpoints (two flows
//! per card). Target: 100,000 under 20 ms in release. Numbers go to BENCHMARKS.md.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use stagecraft::scoring::score;
use stagecraft::synth::{SynthSpec, canvas};
use std::hint::black_box;

fn scoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("score");
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

criterion_group!(benches, scoring);
criterion_main!(benches);
