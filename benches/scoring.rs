//! How long scoring takes: one assessment, and a whole country's 3,321 communes.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use xa_phu_hop_tre_em::domain::scoring::score;

#[path = "../tests/common/mod.rs"]
mod common;

/// As many assessments as there are commune-level units since 01/07/2025.
const COMMUNES: usize = 3_321;

fn bench_scoring(c: &mut Criterion) {
    let set = common::test_set();
    let one = common::full_marks(&set, "t850", 500.0);
    c.bench_function("score/one_full_assessment", |b| {
        b.iter(|| score(black_box(&set), black_box(&one)))
    });

    // Varied answers so that every band and fallback path is taken somewhere.
    let many: Vec<_> = (0..COMMUNES)
        .map(|i| {
            let mut a = common::full_marks(&set, "t850", (i % 600) as f64);
            a.answers
                .insert("a.2".to_string(), common::ratio((i % 21) as f64, 20.0));
            a.answers
                .insert("b.2".to_string(), common::counted((i % 6) as f64));
            a
        })
        .collect();
    c.bench_function("score/3321_assessments", |b| {
        b.iter(|| {
            many.iter()
                .map(|a| score(black_box(&set), a).total)
                .sum::<u32>()
        })
    });
}

criterion_group!(benches, bench_scoring);
criterion_main!(benches);
