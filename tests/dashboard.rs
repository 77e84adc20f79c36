//! The dashboard's collection: one entry per commune and year whatever the order files are
//! loaded in, documents that give their rows back, and the charts safe as markup.
// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashSet;

use common::{builtin_full, full_marks, test_set};
use xa_phu_hop_tre_em::domain::aggregate::{by_province, stats, DashboardRow};
use xa_phu_hop_tre_em::domain::assessment::{Assessment, CommuneRef};
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::criteria::CriteriaSet;
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::dashboard::*;
use xa_phu_hop_tre_em::domain::dashboard_charts::{
    criteria_chart, provinces_chart, totals_chart, BUCKET_WIDTH,
};
use xa_phu_hop_tre_em::domain::exchange::{
    export_file, import_file, ExportEntry, ImportedAssessment,
};
use xa_phu_hop_tre_em::domain::scoring::score;

const NOW: f64 = 1_763_860_740_000.0;

const HOSTILE: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "</svg><script>alert(2)</script>",
    "' onload='alert(3)",
];

fn commune(mut a: Assessment, code: &str, name: &str, updated_at: f64) -> Assessment {
    a.commune = CommuneRef {
        code: code.into(),
        name: name.into(),
        province_code: "01".into(),
        province_name: "Thành phố Hà Nội".into(),
    };
    a.updated_at = updated_at;
    a
}

/// Through a real exchange file, as the dashboard gets them.
fn imported(a: &Assessment, revision: u64) -> ImportedAssessment {
    let set = test_set();
    let s = score(&set, a);
    let text = export_file(
        &[ExportEntry {
            assessment: a,
            revision,
            score: Some(&s),
            backup: false,
            history: &[],
        }],
        NOW,
    );
    let mut file = import_file(text.as_bytes(), &CriteriaRegistry::from_sets([set])).unwrap();
    file.records.remove(0).unwrap()
}

fn merge_row(rows: &mut Vec<DashboardRow>, row: DashboardRow) -> Merge {
    merge_rows(rows, [row]).remove(0)
}

fn row_of(i: &ImportedAssessment, file: &str) -> DashboardRow {
    DashboardRow::from_import(i, &CriteriaRegistry::from_sets([test_set()]), file, NOW)
}

#[test]
fn the_newer_copy_stays_whatever_the_order() {
    let set = test_set();
    let old = imported(
        &commune(
            full_marks(&set, "t850", 100.0),
            "00070",
            "Phường Hoàn Kiếm",
            1_000.0,
        ),
        5,
    );
    let new = imported(
        &commune(
            full_marks(&set, "t850", 600.0),
            "00070",
            "Phường Hoàn Kiếm",
            2_000.0,
        ),
        2,
    );
    let other = imported(
        &commune(
            full_marks(&set, "t850", 300.0),
            "00004",
            "Phường Ba Đình",
            1_500.0,
        ),
        1,
    );

    let mut rows = Vec::new();
    assert_eq!(merge_row(&mut rows, row_of(&old, "cu.json")), Merge::Added);
    assert_eq!(
        merge_row(&mut rows, row_of(&other, "bd.json")),
        Merge::Added
    );
    let replaced = merge_row(&mut rows, row_of(&new, "moi.json"));
    assert!(matches!(replaced, Merge::Replaced(_)) && replaced.kept());
    assert!(
        replaced.to_string().contains("Bản trong tệp mới hơn"),
        "{replaced}"
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].source_file, "moi.json", "replaced in place");
    assert_eq!(rows[0].total, 950);

    let mut reversed = Vec::new();
    merge_row(&mut reversed, row_of(&new, "moi.json"));
    let skipped = merge_row(&mut reversed, row_of(&old, "cu.json"));
    assert!(matches!(skipped, Merge::Skipped(_)) && !skipped.kept());
    assert!(skipped.to_string().contains("Giữ bản đã nạp"), "{skipped}");
    assert_eq!(reversed[0].source_file, "moi.json");

    let again = merge_row(&mut reversed, row_of(&new, "moi (1).json"));
    assert!(matches!(again, Merge::Skipped(_)));
    assert!(again.to_string().contains("có thể là một"), "{again}");
    assert_eq!(Merge::Added.to_string(), "");
}

#[test]
fn one_batch_settles_duplicates_within_it_too() {
    let set = test_set();
    let copies: Vec<DashboardRow> = [(1_000.0, 1), (3_000.0, 2), (2_000.0, 9)]
        .iter()
        .map(|&(at, revision)| {
            let a = commune(
                full_marks(&set, "t850", at / 10.0),
                "00070",
                "Phường Hoàn Kiếm",
                at,
            );
            row_of(&imported(&a, revision), &format!("{at}.json"))
        })
        .collect();
    let mut rows = Vec::new();
    let merges = merge_rows(&mut rows, copies);
    assert_eq!(merges.len(), 3);
    assert_eq!(merges[0], Merge::Added);
    assert!(matches!(merges[1], Merge::Replaced(_)));
    assert!(matches!(merges[2], Merge::Skipped(_)));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].source_file, "3000.json");
}

/// A table filled in runs, its index kept between them, is the table filled at once: the same
/// rows in the same places, the same outcome for each offered row — duplicates across runs and
/// within one included.
#[test]
fn merging_in_runs_is_merging_at_once() {
    let set = test_set();
    let offered: Vec<DashboardRow> = [
        ("00070", "Phường Hoàn Kiếm", 1_000.0, 1),
        ("00073", "Phường Cửa Nam", 1_500.0, 1),
        ("00070", "Phường Hoàn Kiếm", 3_000.0, 2),
        ("00004", "Phường Ba Đình", 500.0, 1),
        ("00073", "Phường Cửa Nam", 1_200.0, 4),
        ("00070", "Phường Hoàn Kiếm", 2_000.0, 9),
        ("00008", "Phường Ngọc Hà", 700.0, 1),
        ("00004", "Phường Ba Đình", 800.0, 2),
    ]
    .iter()
    .map(|&(code, name, at, revision)| {
        let a = commune(full_marks(&set, "t850", at / 10.0), code, name, at);
        row_of(&imported(&a, revision), &format!("{code}-{at}.json"))
    })
    .collect();
    let mut at_once = Vec::new();
    let merges_at_once = merge_rows(&mut at_once, offered.clone());
    for run in 1..=offered.len() {
        let mut in_runs = Vec::new();
        let mut merge = RowsMerge::new(&in_runs);
        let merges: Vec<Merge> = offered
            .chunks(run)
            .flat_map(|chunk| merge.merge(&mut in_runs, chunk.to_vec()))
            .collect();
        assert_eq!(in_runs, at_once, "runs of {run}");
        assert_eq!(merges, merges_at_once, "runs of {run}");
    }
    assert_eq!(at_once.len(), 4);
    assert!(merges_at_once
        .iter()
        .any(|m| matches!(m, Merge::Replaced(_))));
    assert!(merges_at_once
        .iter()
        .any(|m| matches!(m, Merge::Skipped(_))));
}

/// Each row kept by a merge is found at its place in the table (its row stored beside its
/// document is encoded from there): the last one kept of a commune and year is the row there.
#[test]
fn each_kept_row_is_found_at_its_place() {
    let set = test_set();
    let row = |code: &str, name: &str, at: f64, revision: u64| {
        let a = commune(full_marks(&set, "t850", at / 10.0), code, name, at);
        row_of(&imported(&a, revision), &format!("{code}-{at}.json"))
    };
    let mut rows = vec![
        row("00008", "Phường Ngọc Hà", 100.0, 1),
        row("00073", "Phường Cửa Nam", 9_000.0, 7),
    ];
    let offered = vec![
        row("00070", "Phường Hoàn Kiếm", 1_000.0, 1),
        row("00073", "Phường Cửa Nam", 1_500.0, 1),
        row("00008", "Phường Ngọc Hà", 700.0, 2),
        row("00070", "Phường Hoàn Kiếm", 3_000.0, 2),
        row("00004", "Phường Ba Đình", 500.0, 1),
        row("00070", "Phường Hoàn Kiếm", 2_000.0, 9),
    ];
    let before = rows.len();
    let merges = merge_rows(&mut rows, offered.clone());
    let places = kept_places(before, &merges);
    assert_eq!(places.len(), offered.len());
    for ((merge, place), offered_row) in merges.iter().zip(&places).zip(&offered) {
        assert_eq!(place.is_some(), merge.kept(), "{merge:?}");
        if let Some(at) = place {
            assert_eq!(rows[*at].key(), offered_row.key());
        }
    }
    // Kept, then replaced by the later copy of the same batch: that later copy is there.
    assert_eq!(places[0], places[3]);
    assert_eq!(rows[places[3].unwrap()], offered[3]);
    assert_eq!(rows[places[2].unwrap()], offered[2]);
    assert_eq!(rows[places[4].unwrap()], offered[4]);
    assert_eq!(places[1], None, "the stored copy of 00073 is newer");
    assert_eq!(places[5], None, "older than the copy kept just before");
}

/// Phường Hoàn Kiếm's assessment (600 marks on every item, revision 4), as a file brings it.
fn hoan_kiem(set: &CriteriaSet) -> ImportedAssessment {
    let a = commune(
        full_marks(set, "t900", 600.0),
        "00070",
        "Phường Hoàn Kiếm",
        1_000.0,
    );
    imported(&a, 4)
}

#[test]
fn a_document_gives_its_row_back() {
    let set = test_set();
    let i = hoan_kiem(&set);
    let row = row_of(&i, "tu-danh-gia_00070_2025.json");
    let doc = DashboardDoc::new(i, "tu-danh-gia_00070_2025.json", NOW);
    assert_eq!(doc.key(), "00070_2025");
    assert_eq!(row.key(), doc.key());
    let decoded = DashboardDoc::decode(&doc.encode()).expect("decodes");
    assert_eq!(decoded, doc);
    let registry = CriteriaRegistry::from_sets([set]);
    assert_eq!(decoded.row(&registry), Some(row.clone()));
    assert_eq!(
        decoded.row(&CriteriaRegistry::default()),
        None,
        "unknown set"
    );

    let (rows, unknown) = rows_from_docs([decoded.clone(), decoded], &registry);
    assert_eq!((rows, unknown), (vec![row], 0));
}

#[test]
fn a_row_is_found_by_its_key() {
    let row = row_of(&hoan_kiem(&test_set()), "tu-danh-gia_00070_2025.json");
    assert!(is_row("00070_2025")(&row));
    for other in [
        "00070_2024",
        "00071_2025",
        "0070_2025",
        "00070_02025",
        "00070",
        "",
        "x_y",
    ] {
        assert!(!is_row(other)(&row), "{other}");
    }
}

#[test]
fn a_row_stored_beside_its_document_reads_back_or_not_at_all() {
    let row = row_of(&hoan_kiem(&test_set()), "tu-danh-gia_00070_2025.json");
    assert_eq!(decode_row(&encode_row(&row)), Some(row.clone()));
    let text = encode_row(&row);
    assert_eq!(decode_row(&text[..text.len() - 1]), None, "cut short");
    assert_eq!(decode_row(""), None);
    assert_eq!(decode_row("{\"v\":2}"), None, "a document is not a row");
}

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|k| k.to_string()).collect()
}

#[test]
fn stored_keys_read_each_row_else_its_document_and_drop_rows_without_one() {
    let stored = StoredKeys::new(
        keys(&["1_2025", "2_2025", "3_2025", "4_2025", "5_2025"]),
        keys(&["1_2025", "3_2025", "4_2025", "9_2025"]),
    );
    assert_eq!(stored.count(), 5);
    // 2 has no row: 1 and 3 are consecutive among the rows, one range.
    assert_eq!(
        stored.row_runs(2, 0),
        [&keys(&["1_2025", "3_2025"])[..], &keys(&["4_2025"])[..]]
    );
    assert_eq!(
        stored.doc_runs(&HashSet::new(), 10, 0),
        [&keys(&["2_2025"])[..], &keys(&["5_2025"])[..]]
    );
    let unreadable: HashSet<String> = keys(&["4_2025"]).into_iter().collect();
    assert_eq!(
        stored.doc_runs(&unreadable, 10, 0),
        [&keys(&["2_2025"])[..], &keys(&["4_2025", "5_2025"])[..]]
    );
    assert_eq!(stored.orphans(), keys(&["9_2025"]));

    let nothing = StoredKeys::new(Vec::new(), keys(&["1_2025"]));
    assert_eq!(nothing.count(), 0);
    assert!(nothing.row_runs(10, 3).is_empty());
    assert!(nothing.doc_runs(&HashSet::new(), 10, 3).is_empty());
    assert_eq!(nothing.orphans(), keys(&["1_2025"]));
}

proptest::proptest! {
    /// Whatever rows are stored, lost or unreadable, every stored document the table lacks is
    /// read once, as its row or as itself, and no row without its document is read.
    #[test]
    fn every_document_is_read_once_as_its_row_or_itself(
        kinds in proptest::collection::vec(0u8..4, 0..60),
        longest in 1usize..7,
        known_every in 0usize..4,
        gap in 0usize..4,
    ) {
        // Per key: 0 document only, 1 both, 2 both with a row that does not read, 3 row only.
        let mut docs = Vec::new();
        let mut rows = Vec::new();
        let mut unreadable = HashSet::new();
        for (i, kind) in kinds.iter().enumerate() {
            let key = format!("{i:03}_2025");
            if *kind != 3 {
                docs.push(key.clone());
            }
            if *kind != 0 {
                rows.push(key.clone());
            }
            if *kind == 2 {
                unreadable.insert(key);
            }
        }
        // Every `known_every`th key is in the table already (none when 0).
        let known: HashSet<String> = (0..kinds.len())
            .filter(|i| known_every > 0 && i % known_every == 0)
            .map(|i| format!("{i:03}_2025"))
            .collect();
        let stored = StoredKeys::new(docs.clone(), rows.clone()).lacking(known.clone());
        let lacking: Vec<String> = docs.iter().filter(|k| !known.contains(*k)).cloned().collect();
        proptest::prop_assert_eq!(stored.count(), lacking.len());
        let row_runs = stored.row_runs(longest, gap);
        let doc_runs = stored.doc_runs(&unreadable, longest, gap);
        let mut read: Vec<String> = row_runs
            .iter()
            .flat_map(|run| run.iter())
            .filter(|k| stored.reads_row(k) && !unreadable.contains(*k))
            .chain(
                doc_runs
                    .iter()
                    .flat_map(|run| run.iter())
                    .filter(|k| stored.reads_doc(k, &unreadable)),
            )
            .cloned()
            .collect();
        read.sort();
        proptest::prop_assert_eq!(&read, &lacking);
        let runs = row_runs
            .iter()
            .map(|run| (run, run.iter().map(|k| stored.reads_row(k)).collect::<Vec<_>>()))
            .chain(doc_runs.iter().map(|run| {
                (run, run.iter().map(|k| stored.reads_doc(k, &unreadable)).collect())
            }));
        for (run, wanted) in runs {
            proptest::prop_assert!(!run.is_empty() && run.len() <= longest);
            // From a key read to a key read, with no more than `gap` others in a row.
            proptest::prop_assert!(wanted[0] && wanted[wanted.len() - 1]);
            let mut others = 0;
            for w in wanted {
                others = if w { 0 } else { others + 1 };
                proptest::prop_assert!(others <= gap);
            }
        }
        // A run is read as the range from its first key to its last: nothing else lies there.
        for run in &row_runs {
            let at = rows.iter().position(|k| *k == run[0]).unwrap();
            proptest::prop_assert_eq!(&rows[at..at + run.len()], *run);
        }
        for run in &doc_runs {
            let at = docs.iter().position(|k| *k == run[0]).unwrap();
            proptest::prop_assert_eq!(&docs[at..at + run.len()], *run);
        }
        let orphans: Vec<String> = rows.iter().filter(|k| !docs.contains(k)).cloned().collect();
        proptest::prop_assert_eq!(stored.orphans(), orphans);
    }
}

#[test]
fn damaged_or_later_documents_are_missing_not_misread() {
    assert_eq!(DashboardDoc::decode(""), None);
    assert_eq!(DashboardDoc::decode("{\"v\":1}"), None);
    let set = test_set();
    let a = commune(
        full_marks(&set, "t900", 1.0),
        "00070",
        "Phường Hoàn Kiếm",
        1.0,
    );
    let i = imported(&a, 1);
    let later = DashboardDoc::new(i, "x.json", NOW)
        .encode()
        .replacen("\"v\":2", "\"v\":3", 1);
    assert_eq!(DashboardDoc::decode(&later), None);
}

#[test]
fn a_document_keeps_its_record_as_the_file_had_it_and_older_ones_are_rewritten() {
    let set = test_set();
    let a = commune(
        full_marks(&set, "t900", 1.0),
        "00070",
        "Phường Hoàn Kiếm",
        1.0,
    );
    let i = imported(&a, 4);
    let doc = DashboardDoc::new(i.clone(), "x.json", NOW);
    assert_eq!(doc.record(), i.original);
    let decoded = DashboardDoc::decode(&doc.encode()).unwrap();
    assert_eq!(decoded, doc);
    let registry = CriteriaRegistry::from_sets([set]);
    assert_eq!(decoded.row(&registry).unwrap().sha256, i.original.sha256);
    // A document stored before (format 1, no record): read, and its record rewritten as
    // version 2 with `converted_from` and a checksum of its own, which verifies.
    let mut old: serde_json::Value = serde_json::from_str(&doc.encode()).unwrap();
    old["v"] = 1.into();
    old.as_object_mut().unwrap().remove("o");
    let old = DashboardDoc::decode(&old.to_string()).unwrap();
    assert_eq!(old.original, None);
    assert_eq!(old.row(&registry).unwrap().sha256, "");
    let record = old.record();
    assert!(record
        .canonical
        .contains("\"converted_from\":{\"format_version\":1}"));
    assert_eq!(
        xa_phu_hop_tre_em::domain::exchange::jcs::digest(record.canonical.as_bytes()),
        record.sha256
    );
}

#[test]
fn the_previous_year_is_the_latest_earlier_one() {
    let set = test_set();
    let mut rows = Vec::new();
    for year in [2022, 2024, 2026] {
        let mut a = commune(
            full_marks(&set, "t900", 1.0),
            "00070",
            "Phường Hoàn Kiếm",
            1.0,
        );
        a.year = year;
        merge_row(&mut rows, row_of(&imported(&a, 1), "f.json"));
    }
    assert_eq!(
        previous_key(&rows, "00070", 2026).as_deref(),
        Some("00070_2024")
    );
    assert_eq!(previous_key(&rows, "00070", 2022), None);
    assert_eq!(previous_key(&rows, "99999", 2026), None);
}

/// Same check as tests/charts.rs: the SVG is one well-formed root of charts-rs's vocabulary,
/// with no script, no event handler, no stray markup.
fn assert_safe_svg(svg: &str) {
    const ALLOWED: [&str; 12] = [
        "svg", "g", "rect", "line", "path", "polyline", "polygon", "circle", "text", "title",
        "desc", "style",
    ];
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
    assert_eq!(svg.matches("<svg").count(), 1);
    assert_eq!(svg.matches("</svg>").count(), 1);
    let lower = svg.to_lowercase();
    for bad in ["<script", "<img", "javascript:"] {
        assert!(!lower.contains(bad), "{bad}");
    }
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').expect("every tag is closed");
        let tag = &after[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(ALLOWED.contains(&name.as_str()), "unexpected <{tag}>");
        let mut in_value = false;
        let mut names = String::new();
        for c in tag.chars() {
            if c == '"' {
                in_value = !in_value;
            } else if !in_value {
                names.push(c);
            }
        }
        assert!(!in_value, "unbalanced quotes in <{tag}>");
        assert!(!names.to_lowercase().contains(" on"), "handler in <{tag}>");
        rest = &after[end + 1..];
    }
}

fn hostile_rows() -> Vec<DashboardRow> {
    let set = builtin_qd06();
    (0..12)
        .map(|i| {
            let mut a = builtin_full("con-lai", 10.0 * i as f64);
            a.commune.name = HOSTILE[i % 4].into();
            a.commune.province_name = HOSTILE[(i + 1) % 4].into();
            a.unit_category = HOSTILE[(i + 2) % 4].into();
            let mut row = DashboardRow::new(&a, &score(&set, &a), None, 1, HOSTILE[i % 4], NOW);
            // Rows are persisted in the browser and criterion ids come from published sets.
            for (c, hostile) in row.criteria.iter_mut().zip(HOSTILE.iter().cycle()) {
                c.id = format!("{}{hostile}", c.id);
            }
            row
        })
        .collect()
}

#[test]
fn hostile_names_and_ids_never_break_out_of_the_charts() {
    let rows = hostile_rows();
    let s = stats(&rows, BUCKET_WIDTH);
    // Without the official list, the provinces are named as the files name them.
    let (provinces, _) = by_province(&rows, None);
    for chart in [
        totals_chart(&s),
        criteria_chart(&s),
        provinces_chart(&provinces),
    ] {
        let svg = chart
            .svg
            .as_deref()
            .unwrap_or_else(|| panic!("{}: {}", chart.title, chart.caption));
        assert_safe_svg(svg);
        for hostile in HOSTILE {
            assert!(!svg.contains(hostile), "{} carries {hostile}", chart.title);
        }
        assert!(!svg.contains("alert(1)</script>"));
        assert!(!chart.caption.contains('<'), "{}", chart.caption);
        assert!(svg.contains("<title>") && svg.contains("viewBox=\"0 0 "));
    }
}

#[test]
fn the_charts_say_what_they_show() {
    let set = builtin_qd06();
    let rows: Vec<DashboardRow> = [20.0, 40.0, 60.0, 60.0]
        .iter()
        .map(|&others| {
            let a = builtin_full("con-lai", others);
            DashboardRow::new(&a, &score(&set, &a), Some(&set), 1, "f.json", NOW)
        })
        .collect();
    let s = stats(&rows, BUCKET_WIDTH);
    let totals = totals_chart(&s);
    let svg = totals.svg.expect("drawn");
    // 275 + 10 × others: 475, 675, 875, 875.
    for label in ["400–499", "600–699", "800–899", "Tổng điểm"] {
        assert!(svg.contains(label), "{label}");
    }
    assert!(svg.contains("800–899 điểm: 2 đơn vị"), "description");
    assert!(totals.caption.contains("Tổng số: 4 đơn vị"));

    let criteria = criteria_chart(&s);
    assert!(criteria.svg.is_some());
    // Only criteria 1, 6 and 7 have a maximum in the built-in set, all at full marks.
    assert!(criteria.caption.contains("Không có cột cho tiêu chí 2, 3"));
    assert!(criteria.svg.unwrap().contains("Tiêu chí 1: 100%"));
}

/// The texts of a chart that are figures (axis ticks, values on bars).
fn figures_of(svg: &str) -> Vec<&str> {
    svg.split('>')
        .filter_map(|part| part.split('<').next())
        .map(str::trim)
        .filter(|text| !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect()
}

/// Units are counted whole: however few are loaded, the axis of the totals chart steps by whole
/// units (charts-rs alone put 0.2, 0.4 … 1.2 beside a single unit).
#[test]
fn the_totals_axis_counts_whole_units() {
    let set = builtin_qd06();
    let a = builtin_full("con-lai", 60.0);
    let row = DashboardRow::new(&a, &score(&set, &a), Some(&set), 1, "f.json", NOW);
    for n in 1..=40 {
        let rows = vec![row.clone(); n];
        let svg = totals_chart(&stats(&rows, BUCKET_WIDTH))
            .svg
            .expect("drawn");
        let figures = figures_of(&svg);
        assert!(
            figures.contains(&n.to_string().as_str()),
            "{n}: {figures:?}"
        );
        assert!(figures.iter().all(|f| !f.contains('.')), "{n}: {figures:?}");
    }
}

/// The axes of percents step by 20 (charts-rs alone cut 100 in six: 16.7, 33.3 …).
#[test]
fn the_percent_axes_step_by_twenty() {
    let set = builtin_qd06();
    let a = builtin_full("con-lai", 60.0);
    let rows = vec![DashboardRow::new(
        &a,
        &score(&set, &a),
        Some(&set),
        1,
        "f.json",
        NOW,
    )];
    let d = xa_phu_hop_tre_em::domain::divisions::divisions().unwrap();
    let (provinces, _) = by_province(&rows, Some(d));
    for chart in [
        criteria_chart(&stats(&rows, BUCKET_WIDTH)),
        provinces_chart(&provinces),
    ] {
        let svg = chart.svg.expect("drawn");
        let figures = figures_of(&svg);
        for tick in ["0", "20", "40", "60", "80", "100"] {
            assert!(figures.contains(&tick), "{}: {figures:?}", chart.title);
        }
        assert!(
            figures.iter().all(|f| !f.contains('.')),
            "{}: {figures:?}",
            chart.title
        );
    }
}

#[test]
fn nothing_loaded_draws_nothing() {
    let s = stats(&[], BUCKET_WIDTH);
    assert_eq!(totals_chart(&s).svg, None);
    assert_eq!(criteria_chart(&s).svg, None);
}

#[test]
fn the_share_passing_per_province_is_drawn() {
    let set = builtin_qd06();
    let rows: Vec<DashboardRow> = [("00070", 60.0), ("00004", 10.0), ("32248", 60.0)]
        .iter()
        .map(|&(code, others)| {
            let mut a = builtin_full("con-lai", others);
            let d = xa_phu_hop_tre_em::domain::divisions::divisions().unwrap();
            let c = d.commune(code).unwrap();
            a.commune.code = code.into();
            a.commune.province_code = c.province_code.clone();
            DashboardRow::new(&a, &score(&set, &a), Some(&set), 1, "f.json", NOW)
        })
        .collect();
    let d = xa_phu_hop_tre_em::domain::divisions::divisions().unwrap();
    let (provinces, _) = by_province(&rows, Some(d));
    let chart = provinces_chart(&provinces);
    let svg = chart.svg.expect("drawn");
    assert!(chart.title.contains("theo tỉnh"));
    // One bar label per province code.
    let labels: Vec<&str> = svg.lines().map(str::trim).collect();
    assert!(labels.contains(&"01") && labels.contains(&"96"), "{svg}");
    let passing: Vec<usize> = provinces.iter().map(|p| p.passing).collect();
    assert!(svg.contains(&format!(
        "Mã tỉnh 01: {} đạt trên 2 đơn vị đã nạp",
        passing[0]
    )));
    assert_eq!(provinces_chart(&[]).svg, None);
}

/// The table as the app keeps it in localStorage: one array, or parts and their list; what is
/// written reads back, and a part missing or damaged, or a list that does not add up, reads
/// as nothing (the table is then rebuilt from the stored documents), never as fewer rows.
#[test]
fn the_stored_table_reads_back_whole_or_not_at_all() {
    use std::collections::HashMap;
    let rows = hostile_rows();
    let key = "xa-tre-em/tong-hop/bang";
    let one = serde_json::to_string(&rows).unwrap();
    assert_eq!(read_rows(&one, |_| None), Some(rows.clone()));

    let mut store: HashMap<String, String> = HashMap::new();
    let mut parts = Vec::new();
    for (i, chunk) in rows.chunks(5).enumerate() {
        let part = part_key(key, 7, i);
        store.insert(part.clone(), serde_json::to_string(chunk).unwrap());
        parts.push(part);
    }
    let list = RowParts {
        parts: parts.clone(),
        count: rows.len(),
    };
    let list_text = serde_json::to_string(&list).unwrap();
    let read = |s: &HashMap<String, String>| read_rows(&list_text, |k| s.get(k).cloned());
    assert_eq!(read(&store), Some(rows.clone()));
    // Read a part at a time (as the app does, one task each), the same rows.
    assert_eq!(
        StoredTable::read(&one),
        Some(StoredTable::Rows(rows.clone()))
    );
    assert_eq!(
        StoredTable::read(&list_text),
        Some(StoredTable::Parts(list.clone()))
    );
    let one_by_one: Vec<_> = parts
        .iter()
        .flat_map(|k| RowParts::read_part(&store[k]).unwrap())
        .collect();
    assert_eq!(list.complete(one_by_one.clone()), Some(rows.clone()));
    assert_eq!(list.complete(one_by_one[1..].to_vec()), None);
    assert_eq!(RowParts::read_part("[{"), None);

    let mut missing = store.clone();
    missing.remove(&parts[1]);
    assert_eq!(read(&missing), None);
    let mut damaged = store.clone();
    damaged.insert(parts[2].clone(), "[{".into());
    assert_eq!(read(&damaged), None);
    let short = serde_json::to_string(&RowParts {
        parts: parts.clone(),
        count: rows.len() + 1,
    })
    .unwrap();
    assert_eq!(read_rows(&short, |k| store.get(k).cloned()), None);
    assert_eq!(read_rows("{\"parts\": 3}", |_| None), None);

    // Parts of an older generation, or of a list never written, are the stale ones.
    let old = part_key(key, 6, 0);
    let keys = vec![parts[0].clone(), old.clone(), parts[2].clone()];
    assert_eq!(stale_parts(keys.clone(), Some(&list_text)), vec![old]);
    assert_eq!(stale_parts(keys.clone(), Some(&one)), keys);
    assert_eq!(stale_parts(keys.clone(), None), keys);
}

/// A province's documents are read as runs of consecutive keys: a run never spans a key of
/// another province, and none is longer than asked.
#[test]
fn runs_of_keys_hold_only_what_is_wanted() {
    let stored: Vec<String> = [
        "00004_2025",
        "00007_2025",
        "00010_2025",
        "00013_2025",
        "00016_2025",
        "00019_2025",
        "00022_2025",
        "00025_2025",
    ]
    .iter()
    .map(|k| k.to_string())
    .collect();
    let hanoi = |k: &str| !matches!(k, "00013_2025" | "00025_2025");
    let runs = runs_of(&stored, hanoi, 2, 0);
    let as_text: Vec<Vec<&str>> = runs
        .iter()
        .map(|run| run.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        as_text,
        [
            vec!["00004_2025", "00007_2025"],
            vec!["00010_2025"],
            vec!["00016_2025", "00019_2025"],
            vec!["00022_2025"],
        ]
    );
    assert_eq!(runs_of(&stored, |_| true, 500, 0), [&stored[..]]);
    assert!(runs_of(&stored, |_| false, 500, 3).is_empty());
    assert!(runs_of(&[], |_| true, 500, 3).is_empty());
    // With a gap of one, the keys of another province between two of Hà Nội's are read too
    // (and passed over), rather than a transaction more.
    assert_eq!(runs_of(&stored, hanoi, 500, 1), [&stored[..7]]);
    assert_eq!(runs_of(&stored, hanoi, 3, 1), [&stored[..3], &stored[4..7]]);
}

#[test]
fn a_row_key_reads_back_as_its_commune_and_year() {
    assert_eq!(
        parse_row_key(&row_key("00070", 2026)),
        Some(("00070", 2026))
    );
    for other in [
        "",
        "00070",
        "00070_",
        "_2026",
        "00070_2026x",
        "00070_+2026",
        "00070_02026",
    ] {
        assert_eq!(parse_row_key(other), None, "{other}");
    }
}

/// A change of this tab takes the table as stored only while it is the tab's one change under
/// way and the rows have not changed since it began; once the others are over (their tables
/// written), the next may again.
#[test]
fn a_change_takes_the_stored_table_only_alone_and_with_the_rows_as_it_began() {
    let mut own = OwnChanges::default();
    let first = own.begin(1);
    assert!(own.may_take_stored(first, 1));
    assert!(
        !own.may_take_stored(first, 2),
        "the rows changed since it began"
    );
    // A second removal right after the first: neither takes the stored table.
    let second = own.begin(2);
    assert!(!own.may_take_stored(first, 2));
    assert!(!own.may_take_stored(second, 2));
    own.end();
    assert!(
        own.may_take_stored(second, 2),
        "the first one's table is written"
    );
    own.end();
    let third = own.begin(5);
    assert!(own.may_take_stored(third, 5));
    own.end();
    own.end();
    let fourth = own.begin(5);
    assert!(
        own.may_take_stored(fourth, 5),
        "an extra end is no change under way"
    );
}

/// «Xóa toàn bộ» waits for this tab's imports and removals: one still writing would store its
/// rows and documents after the clear, and they would come back. Another tab's change is read
/// once none of this tab's changes, clearing included, is under way — not when the first of
/// two overlapping ones ends.
#[test]
fn the_table_is_cleared_only_between_changes_and_followed_only_when_none_is_under_way() {
    let mut own = OwnChanges::default();
    assert!(own.may_clear() && !own.busy());
    let import = own.begin(1);
    assert!(own.busy());
    assert!(!own.may_clear(), "an import is writing");
    assert!(!own.begin_clear(), "refused while it writes");
    assert!(own.may_take_stored(import, 1), "the import is alone");
    let removal = own.begin(2);
    own.end();
    assert!(
        own.busy(),
        "the removal still writes: another tab's change waits"
    );
    assert!(!own.may_clear());
    assert!(own.may_take_stored(removal, 2));
    own.end();
    assert!(!own.busy());
    assert!(own.begin_clear());
    assert!(own.busy(), "clearing: another tab's change waits");
    // An import chosen while the stores let go starts from the emptied table.
    let after = own.begin(3);
    assert!(own.may_take_stored(after, 3));
    own.end_clear();
    assert!(own.busy());
    own.end();
    assert!(!own.busy() && own.may_clear());
}

/// Another tab's table, read while this tab cleared its own (a moment): taken, it would bring
/// the cleared rows back on screen; it is read again. Read while a change of this tab is under
/// way, it waits for that change.
#[test]
fn another_tabs_table_is_taken_only_when_this_tab_changed_nothing_while_it_was_read() {
    let mut own = OwnChanges::default();
    assert_eq!(own.after_read(4, 4), AfterRead::Take);
    assert_eq!(own.after_read(4, 5), AfterRead::Again, "cleared meanwhile");
    let removal = own.begin(5);
    assert_eq!(own.after_read(5, 6), AfterRead::AfterOwn);
    assert_eq!(own.after_read(6, 6), AfterRead::AfterOwn);
    assert!(own.may_take_stored(removal, 5));
    own.end();
    assert!(own.begin_clear());
    assert_eq!(own.after_read(6, 7), AfterRead::AfterOwn);
    own.end_clear();
    assert_eq!(own.after_read(7, 7), AfterRead::Take);
}

/// A change of this tab reads the stored table again only when it may differ from the rows of
/// this tab: another tab wrote since, or this tab's rows changed since it wrote them.
#[test]
fn the_stored_table_is_this_tabs_rows_only_as_written_at_that_change() {
    let list = r#"{"parts":["xa-tre-em/tong-hop/bang/1765000000000/0"],"count":1000}"#;
    let written = KnownStored {
        list: list.to_string(),
        change: 7,
    };
    assert!(written.is_stored(Some(list), 7));
    assert!(!written.is_stored(Some(list), 8), "the rows changed since");
    let other = r#"{"parts":["xa-tre-em/tong-hop/bang/1765000000999/0"],"count":1000}"#;
    assert!(
        !written.is_stored(Some(other), 7),
        "another tab wrote since"
    );
    assert!(
        !written.is_stored(None, 7),
        "taken away while written again"
    );
}

/// A cleared table is stored as a table of no rows, which reads as such: a tab that still holds
/// the rows from before (it has not read the clear yet) then starts its next change from no
/// rows, where no table at all would have it start from its own and write them back.
#[test]
fn a_cleared_table_reads_as_no_rows_not_as_no_table() {
    assert_eq!(
        StoredTable::read(EMPTY_TABLE),
        Some(StoredTable::Rows(Vec::new()))
    );
    assert_eq!(read_rows(EMPTY_TABLE, |_| None), Some(Vec::new()));
    let held = KnownStored {
        list: serde_json::to_string(&hostile_rows()).unwrap(),
        change: 7,
    };
    assert!(!held.is_stored(Some(EMPTY_TABLE), 7), "the clear is read");
    assert_eq!(
        stale_parts(
            vec!["xa-tre-em/tong-hop/bang/1/0".into()],
            Some(EMPTY_TABLE)
        )
        .len(),
        1,
        "no part outlives the clear"
    );
}

/// A table that did not fit in localStorage is not encoded and written again with as many rows
/// or more; one of fewer rows is tried, and one that fits makes every size worth trying again.
#[test]
fn a_table_that_did_not_fit_is_tried_again_only_smaller() {
    let mut fit = TableFit::default();
    assert!(fit.worth_writing(15_000));
    fit.refused(10_000);
    assert!(!fit.worth_writing(10_000));
    assert!(!fit.worth_writing(10_001));
    assert!(fit.worth_writing(9_999));
    fit.refused(9_999);
    assert!(!fit.worth_writing(9_999));
    assert!(fit.worth_writing(9_998));
    fit.written();
    assert!(fit.worth_writing(20_000));
}
