//! How long scoring takes: one assessment, and a whole country's 3,321 communes.

// criterion does not build for wasm32; `clippy --all-targets --target wasm32…` still compiles
// this file, so there it is an empty program.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::scoring::score;

#[path = "../tests/common/mod.rs"]
mod common;

/// As many assessments as there are commune-level units since 01/07/2025.
const COMMUNES: usize = 3_321;

fn bench_scoring(c: &mut Criterion) {
    let set = builtin_qd06();
    let one = common::builtin_full("con-lai", 60.0);
    c.bench_function("score/qd06_one_full_assessment", |b| {
        b.iter(|| score(black_box(&set), black_box(&one)))
    });

    // Varied answers so that bands, fallbacks and invalid inputs all occur.
    let many: Vec<_> = (0..COMMUNES)
        .map(|i| {
            let mut a = common::builtin_full("con-lai", (i % 90) as f64);
            let vaccinated = (i % 51) as f64;
            a.answers.insert(
                "7.1".to_string(),
                common::ratio_with_points(vaccinated, 50.0, 40.0),
            );
            a.answers.insert("1.1".to_string(), common::yes(i % 3 != 0));
            a
        })
        .collect();
    c.bench_function("score/qd06_3321_assessments", |b| {
        b.iter(|| {
            many.iter()
                .map(|a| score(black_box(&set), a).total)
                .sum::<u32>()
        })
    });

    let rules = common::test_set();
    let every_kind = common::full_marks(&rules, "t850", 500.0);
    c.bench_function("score/every_rule_kind_one_assessment", |b| {
        b.iter(|| score(black_box(&rules), black_box(&every_kind)))
    });
}

criterion_group!(benches, bench_scoring);
criterion_main!(benches);
