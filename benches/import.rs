//! How long reading exchange files takes: one commune's file, and a province's dashboard
//! loading one file from each of the 3,321 communes; then the dashboard table's index over
//! 10,000 rows (made once per change of the rows, sorted once per click on a heading, filtered
//! once per keystroke).

// criterion does not build for wasm32; `clippy --all-targets --target wasm32…` still compiles
// this file, so there it is an empty program.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use xa_phu_hop_tre_em::domain::aggregate::{DashboardRow, Filter, RowIndex, SortKey, SortOrder};
use xa_phu_hop_tre_em::domain::assessment::{Assessment, Assessor, CommuneRef};
use xa_phu_hop_tre_em::domain::criteria::CriteriaSet;
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::divisions::{divisions, Commune};
use xa_phu_hop_tre_em::domain::exchange::{
    export_file, import_file, ExportEntry, ImportedFile, Opening,
};
use xa_phu_hop_tre_em::domain::scoring::score;

#[path = "../tests/common/mod.rs"]
mod common;

const EXPORTED_AT_MS: f64 = 1_763_860_740_000.0;

/// What a commune sends: the built-in set fully answered, with sources, explanations and the
/// maxima read from the official table, as scripts/gen-files.mjs writes them for the browser.
fn commune_file(set: &CriteriaSet, commune: &Commune, i: usize) -> String {
    let province = divisions()
        .unwrap()
        .province(&commune.province_code)
        .expect("every commune has a province");
    let mut a: Assessment = common::builtin_full("con-lai", (i % 60) as f64);
    a.id = format!("{i:08x}");
    a.commune = CommuneRef {
        code: commune.code.clone(),
        name: commune.name.clone(),
        province_code: commune.province_code.clone(),
        province_name: province.name.clone(),
    };
    a.assessor = Assessor {
        name: "Nguyễn Thị Hoa".to_string(),
        position: "Công chức văn hóa - xã hội".to_string(),
    };
    let sources = [
        "Báo cáo của UBND xã",
        "Sổ theo dõi trẻ em",
        "Số liệu trạm y tế",
    ];
    for (n, answer) in a.answers.values_mut().enumerate() {
        answer.source = sources[n % 3].to_string();
        answer.explanation = "Đã đối chiếu với sổ sách năm 2025".to_string();
        answer.checked = n % 5 != 0;
    }
    a.recorded_max = ["2", "3", "4", "5", "8", "9", "10", "11", "12"]
        .iter()
        .map(|id| (id.to_string(), 75))
        .chain([("13".to_string(), 50)])
        .collect();
    a.updated_at = 1_760_000_000_000.0 + (i * 86_400_017 % 5_000_000_000) as f64;
    a.created_at = a.updated_at - 20.0 * 86_400_000.0;
    let computed = score(set, &a);
    export_file(
        &[ExportEntry {
            assessment: &a,
            revision: 1 + (i % 7) as u64,
            score: Some(&computed),
            backup: false,
            history: &[],
        }],
        EXPORTED_AT_MS,
    )
}

fn in_steps(bytes: &[u8], sets: &CriteriaRegistry) -> Option<ImportedFile> {
    let mut opening = Opening::new(bytes);
    let mut opened = loop {
        if let Some(opened) = opening.step(128 * 1024) {
            break opened.ok()?;
        }
    };
    let mut records = Vec::new();
    while let Some(record) = opened.check_next(sets).ok()? {
        records.push(record);
    }
    Some(ImportedFile {
        header: opened.into_header(),
        records,
    })
}

fn bench_import(c: &mut Criterion) {
    let sets = CriteriaRegistry::builtin();
    let set = &*sets.iter().next().expect("the built-in set").set;
    let files: Vec<String> = divisions()
        .unwrap()
        .communes()
        .iter()
        .enumerate()
        .map(|(i, commune)| commune_file(set, commune, i))
        .collect();
    for file in &files {
        assert!(import_file(file.as_bytes(), &sets).is_ok(), "{file}");
    }

    let one = files[0].as_bytes();
    c.bench_function("import/one_commune_file", |b| {
        b.iter(|| import_file(black_box(one), black_box(&sets)))
    });

    // The way the app reads a file (src/ui/views/import.rs): opened in steps of 128 KB,
    // its records cut out of the bytes, then checked one by one.
    c.bench_function("import/one_commune_file_in_steps", |b| {
        b.iter(|| in_steps(black_box(one), black_box(&sets)))
    });

    let mut group = c.benchmark_group("import");
    // One iteration reads every file; a handful of samples is enough for a steady figure.
    group.sample_size(10);
    group.bench_function(format!("{}_commune_files", files.len()), |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| {
                    import_file(black_box(f.as_bytes()), &sets).map_or(0, |f| f.accepted().count())
                })
                .sum::<usize>()
        })
    });
    group.finish();

    // Three years of every commune: 9,963 rows, as in a province-level collection.
    let mut rows: Vec<DashboardRow> = Vec::new();
    for (year, file) in [2023, 2024, 2025]
        .into_iter()
        .flat_map(|y| files.iter().map(move |f| (y, f)))
    {
        let imported = import_file(file.as_bytes(), &sets).expect("checked above");
        for a in imported.accepted() {
            let mut row = DashboardRow::from_import(a, &sets, "tong-hop.json", EXPORTED_AT_MS);
            row.year = year;
            rows.push(row);
        }
    }
    let mut group = c.benchmark_group(format!("dashboard_{}_rows", rows.len()));
    group.bench_function("index", |b| b.iter(|| RowIndex::new(black_box(&rows))));
    // One commune's file added to the table: the index before it, with the row added.
    let mut one_more = rows.clone();
    one_more[rows.len() - 1].source_file = "tu-danh-gia_moi.json".to_string();
    let before = RowIndex::new(&one_more[..rows.len() - 1]);
    group.bench_function("index_with_one_added", |b| {
        b.iter(|| before.with_added(black_box(&one_more)))
    });
    let index = RowIndex::new(&rows);
    group.bench_function("sort_by_commune", |b| {
        b.iter(|| index.sorted(black_box(&rows), &SortKey::Commune, SortOrder::Ascending))
    });
    group.bench_function("sort_by_total", |b| {
        b.iter(|| index.sorted(black_box(&rows), &SortKey::Total, SortOrder::Descending))
    });
    // Not one number per row (a criterion may be missing): the comparison sort.
    let criterion = SortKey::Criterion("1".to_string());
    group.bench_function("sort_by_criterion", |b| {
        b.iter(|| index.sorted(black_box(&rows), &criterion, SortOrder::Descending))
    });
    let order = index.sorted(&rows, &SortKey::Commune, SortOrder::Ascending);
    let filter = Filter {
        text: "hoa".to_string(),
        ..Filter::default()
    };
    group.bench_function("filter_text", |b| {
        b.iter(|| index.filter(black_box(&rows), &order, &filter))
    });
    group.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
