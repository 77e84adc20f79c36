// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{full_marks, test_set};
use xa_phu_hop_tre_em::domain::aggregate::*;
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::exchange::{
    export_file, find_conflict, import_file, ExportEntry, Newer, VerdictCode,
};
use xa_phu_hop_tre_em::domain::scoring::score;

fn row(code: &str, name: &str, total: u32, verdict: VerdictCode, points: &[u32]) -> DashboardRow {
    DashboardRow {
        commune_code: code.into(),
        commune_name: name.into(),
        province_code: "01".into(),
        province_name: "Thành phố Hà Nội".into(),
        unit_category: "t850".into(),
        unit_category_label: "Xã, phường còn lại".into(),
        year: 2025,
        criteria_set: "thu-nghiem 1.0.0".into(),
        total,
        threshold: Some(850),
        verdict,
        criteria: points
            .iter()
            .enumerate()
            .map(|(i, &p)| CriterionPoints {
                id: (i + 1).to_string(),
                points: p,
                // Criterion 3's maximum is unknown.
                max: (i != 2).then_some(100),
            })
            .collect(),
        answered: 10,
        item_count: 10,
        revision: 1,
        updated_at: 1_000.0,
        source_file: format!("tu-danh-gia_{code}_2025.json"),
        imported_at: 2_000.0,
        sha256: String::new(),
    }
}

fn sample() -> Vec<DashboardRow> {
    use VerdictCode::*;
    let mut rows = vec![
        row("00070", "Phường Hoàn Kiếm", 920, Pass, &[100, 50, 30]),
        row("00004", "Phường Ba Đình", 860, Fail, &[0, 100, 40]),
        row("32248", "Xã Đất Mũi", 410, Incomplete, &[50, 0, 0]),
        row("00008", "Phường Ngọc Hà", 49, Fail, &[80, 60, 20]),
    ];
    rows[2].province_code = "96".into();
    rows[2].province_name = "Cà Mau".into();
    rows[2].threshold = None;
    rows[2].answered = 3;
    rows[3].year = 2024;
    rows
}

fn codes(rows: &[&DashboardRow]) -> Vec<String> {
    rows.iter().map(|r| r.commune_code.clone()).collect()
}

#[test]
fn row_from_an_import() {
    let set = test_set();
    let mut a = full_marks(&set, "t850", 600.0);
    a.commune.code = "00070".into();
    a.commune.name = "Phường Hoàn Kiếm".into();
    let s = score(&set, &a);
    let text = export_file(
        &[ExportEntry {
            assessment: &a,
            revision: 7,
            score: Some(&s),
            backup: false,
            history: &[],
        }],
        5_000.0,
    );
    let registry = CriteriaRegistry::from_sets([set]);
    let file = import_file(text.as_bytes(), &registry).unwrap();
    let imported: Vec<_> = file.accepted().cloned().collect();
    let r = DashboardRow::from_import(&imported[0], &registry, "gui-tinh.json", 9_000.0);
    assert_eq!(r.commune_code, "00070");
    assert_eq!(r.unit_category_label, "Loại t850");
    assert_eq!(r.total, s.total);
    assert_eq!(r.threshold, Some(850));
    assert_eq!(r.verdict, VerdictCode::Pass);
    assert_eq!(r.revision, 7);
    assert_eq!(r.criteria.len(), 5);
    assert_eq!(r.points("A"), Some(100));
    assert_eq!(r.percent("A"), Some(100.0));
    assert_eq!(r.percent("D"), None, "criterion D has no maximum");
    assert_eq!(r.source_file, "gui-tinh.json");
    assert_eq!(r.imported_at, 9_000.0);
    // Without the set, the id stands in for the label.
    let bare = DashboardRow::from_import(&imported[0], &CriteriaRegistry::default(), "x.json", 0.0);
    assert_eq!(bare.unit_category_label, "t850");
    // The same commune and year loaded again is a conflict.
    let c = find_conflict(std::slice::from_ref(&r), &imported[0]).unwrap();
    assert_eq!(c.newer, Newer::Same);
}

#[test]
fn rows_persist_compactly() {
    let rows = sample();
    let json = serde_json::to_string(&rows).unwrap();
    let back: Vec<DashboardRow> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rows);
    assert!(json.contains("[\"3\",30,null]"), "{json}");
    assert!(
        json.len() / rows.len() < 400,
        "{} bytes per row",
        json.len() / rows.len()
    );
    // Rows without a threshold leave the field out.
    let one = serde_json::to_string(&rows[2]).unwrap();
    assert!(!one.contains("\"th\""), "{one}");
}

#[test]
fn zero_criteria() {
    let rows = sample();
    assert_eq!(rows[0].zero_criteria().count(), 0);
    assert_eq!(rows[2].zero_criteria().collect::<Vec<_>>(), vec!["2", "3"]);
}

#[test]
fn statistics() {
    let rows = sample();
    let s = stats(&rows, 50);
    assert_eq!(s.count, 4);
    assert_eq!((s.passing, s.failing, s.incomplete), (1, 2, 1));
    assert_eq!(s.pass_percent, Some(25.0));
    // 0..50, 50..100, … up to the bucket holding 920.
    assert_eq!(s.histogram.len(), 19);
    assert_eq!(
        s.histogram[0],
        Bucket {
            from: 0,
            to: Some(50),
            count: 1
        }
    );
    assert_eq!(s.histogram[8].count, 1); // 410
    assert_eq!(s.histogram[17].count, 1); // 860
    assert_eq!(
        s.histogram[18],
        Bucket {
            from: 900,
            to: Some(950),
            count: 1
        }
    );
    assert_eq!(s.histogram.iter().map(|b| b.count).sum::<usize>(), 4);
    let c1 = &s.criteria[0];
    assert_eq!(c1.criterion_id, "1");
    assert_eq!(c1.average_percent, Some(57.5));
    assert_eq!((c1.with_max, c1.at_zero), (4, 1));
    let c3 = &s.criteria[2];
    assert_eq!((c3.average_percent, c3.with_max, c3.at_zero), (None, 0, 1));
}

/// A row for each list of criterion points, the rest alike.
fn rows_with(criteria: impl Iterator<Item = Vec<CriterionPoints>>) -> Vec<DashboardRow> {
    criteria
        .enumerate()
        .map(|(n, criteria)| DashboardRow {
            criteria,
            ..row(&format!("{n:05}"), "Xã", 0, VerdictCode::Fail, &[])
        })
        .collect()
}

proptest::proptest! {
    /// Each criterion id once, in order of first appearance, whatever the rows list: ids
    /// repeated, missing, in another order than in the rows before.
    #[test]
    fn criterion_ids_are_each_id_once_in_order_of_first_appearance(
        lists in proptest::collection::vec(proptest::collection::vec(0u8..8, 0..10), 0..30)
    ) {
        let rows = rows_with(lists.iter().map(|ids| {
            ids.iter().map(|id| CriterionPoints { id: id.to_string(), points: 0, max: None }).collect()
        }));
        let mut expected: Vec<String> = Vec::new();
        for id in lists.iter().flatten().map(u8::to_string) {
            if !expected.contains(&id) {
                expected.push(id);
            }
        }
        proptest::prop_assert_eq!(criterion_ids(&rows), expected);
    }

    /// The filters' provinces and years: each once, in order, whatever repeats from row to
    /// row; a code found under two names shows the first name in text order.
    #[test]
    fn filter_choices_are_each_province_and_year_once_in_order(
        list in proptest::collection::vec((0usize..3, 0usize..3, 2020u16..2026), 0..40)
    ) {
        let rows: Vec<DashboardRow> = list.iter().map(|&(code, name, year)| DashboardRow {
            province_code: ["01", "79", "1"][code].into(),
            province_name: ["Thành phố Hà Nội", "Hà Nội", "Thành phố Hồ Chí Minh"][name].into(),
            year,
            ..row("00070", "Xã", 0, VerdictCode::Fail, &[])
        }).collect();
        let mut provinces: Vec<(String, String)> = rows.iter().map(|r| (r.province_code.clone(), r.province_name.clone())).collect();
        provinces.sort();
        provinces.dedup_by(|a, b| a.0 == b.0);
        let mut years: Vec<u16> = rows.iter().map(|r| r.year).collect();
        years.sort();
        years.dedup();
        proptest::prop_assert_eq!(province_choices(&rows), provinces);
        proptest::prop_assert_eq!(year_choices(&rows), years);
    }

    /// The consolidated file's provinces: each once with its count of rows, the most rows
    /// first then by code, named as its first row names it — however the rows alternate.
    #[test]
    fn provinces_are_counted_once_each_most_rows_first(
        list in proptest::collection::vec((0usize..4, 0usize..2), 0..60)
    ) {
        let rows: Vec<DashboardRow> = list.iter().map(|&(code, name)| DashboardRow {
            province_code: ["01", "79", "1", "96"][code].into(),
            province_name: ["Thành phố Hà Nội", "Hà Nội"][name].into(),
            ..row("00070", "Xã", 0, VerdictCode::Fail, &[])
        }).collect();
        let mut expected: Vec<(String, String, usize)> = Vec::new();
        for r in &rows {
            match expected.iter_mut().find(|(code, ..)| *code == r.province_code) {
                Some(entry) => entry.2 += 1,
                None => expected.push((r.province_code.clone(), r.province_name.clone(), 1)),
            }
        }
        expected.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        proptest::prop_assert_eq!(province_counts(&rows), expected);
    }

    /// The per-criterion figures, made in one pass, are those a row's own lookups give
    /// (`percent`, `points`: its first entry of an id), averaged in the rows' order — with
    /// criteria missing, repeated, without a maximum or with a maximum of 0.
    #[test]
    fn criterion_statistics_are_what_each_row_says(
        entries in proptest::collection::vec(
            proptest::collection::vec((0u8..6, 0u32..120, proptest::option::of(0u32..110)), 0..9),
            0..40,
        )
    ) {
        let rows = rows_with(entries.iter().map(|criteria| {
            criteria
                .iter()
                .map(|&(id, points, max)| CriterionPoints { id: id.to_string(), points, max })
                .collect()
        }));
        let s = stats(&rows, 50);
        let ids = criterion_ids(&rows);
        proptest::prop_assert_eq!(s.criteria.len(), ids.len());
        for (c, id) in s.criteria.iter().zip(&ids) {
            let percents: Vec<f64> = rows.iter().filter_map(|r| r.percent(id)).collect();
            let average = (!percents.is_empty())
                .then(|| percents.iter().sum::<f64>() / percents.len() as f64);
            proptest::prop_assert_eq!(&c.criterion_id, id);
            proptest::prop_assert_eq!(c.average_percent, average);
            proptest::prop_assert_eq!(c.with_max, percents.len());
            proptest::prop_assert_eq!(
                c.at_zero,
                rows.iter().filter(|r| r.points(id) == Some(0)).count()
            );
        }
    }
}

#[test]
fn statistics_of_nothing_and_of_absurd_totals() {
    let s = stats(&[], 50);
    assert_eq!((s.count, s.pass_percent), (0, None));
    assert!(s.histogram.is_empty() && s.criteria.is_empty());
    let mut rows = sample();
    rows[0].total = u32::MAX;
    assert_eq!(
        stats(&rows, 0).histogram.len(),
        MAX_BUCKETS,
        "width 0 counts as 1"
    );
    let s = stats(&rows, 50);
    assert_eq!(s.histogram.len(), MAX_BUCKETS);
    let last = s.histogram.last().unwrap();
    assert_eq!((last.to, last.count), (None, 1));
    assert_eq!(s.histogram.iter().map(|b| b.count).sum::<usize>(), 4);
}

#[test]
fn filtering() {
    let rows = sample();
    let index = RowIndex::new(&rows);
    let f = |filter: Filter| {
        let all: Vec<usize> = (0..rows.len()).collect();
        let kept: Vec<&DashboardRow> = index
            .filter(&rows, &all, &filter)
            .iter()
            .map(|&i| &rows[i])
            .collect();
        codes(&kept)
    };
    assert_eq!(f(Filter::default()).len(), 4);
    assert_eq!(
        f(Filter {
            verdict: Some(VerdictCode::Fail),
            ..Filter::default()
        }),
        vec!["00004", "00008"]
    );
    assert_eq!(
        f(Filter {
            zero: ZeroFilter::SomeCriterion,
            ..Filter::default()
        }),
        vec!["00004", "32248"]
    );
    assert_eq!(
        f(Filter {
            zero: ZeroFilter::Criterion("2".into()),
            ..Filter::default()
        }),
        vec!["32248"]
    );
    let text = |t: &str| {
        f(Filter {
            text: t.into(),
            ..Filter::default()
        })
    };
    assert_eq!(text("dat mui"), vec!["32248"]);
    assert_eq!(text("ĐẤT MŨI"), vec!["32248"]);
    assert_eq!(text("ca mau"), vec!["32248"]);
    assert_eq!(text("ba dinh"), vec!["00004"]);
    assert_eq!(text("000"), vec!["00070", "00004", "00008"]);
    assert_eq!(text("tu-danh-gia_00008"), vec!["00008"]);
    assert!(text("khong co").is_empty());
    assert_eq!(
        f(Filter {
            province_code: Some("01".into()),
            year: Some(2025),
            ..Filter::default()
        }),
        vec!["00070", "00004"]
    );
    // A query never matches across two fields ("kiem" ends the name, "01" is the province).
    assert!(text("kiem 01").is_empty());
}

#[test]
fn sorting() {
    let rows = sample();
    let index = RowIndex::new(&rows);
    let sorted = |key: SortKey, order: SortOrder| {
        let positions = index.sorted(&rows, &key, order);
        let refs: Vec<&DashboardRow> = positions.iter().map(|&i| &rows[i]).collect();
        codes(&refs)
    };
    use SortOrder::*;
    assert_eq!(
        sorted(SortKey::Total, Descending),
        vec!["00070", "00004", "32248", "00008"]
    );
    assert_eq!(
        sorted(SortKey::Total, Ascending),
        vec!["00008", "32248", "00004", "00070"]
    );
    // Without diacritics: Ba Đình, Đất Mũi (as "dat"), Hoàn Kiếm, Ngọc Hà… by the name after
    // "Phường"/"Xã"; the full names sort "Phường …" before "Xã …".
    assert_eq!(
        sorted(SortKey::Commune, Ascending),
        vec!["00004", "00070", "00008", "32248"]
    );
    assert_eq!(
        sorted(SortKey::CommuneCode, Ascending),
        vec!["00004", "00008", "00070", "32248"]
    );
    assert_eq!(
        sorted(SortKey::Province, Ascending),
        vec!["32248", "00004", "00008", "00070"]
    );
    assert_eq!(
        sorted(SortKey::Verdict, Ascending),
        vec!["00070", "00004", "00008", "32248"]
    );
    assert_eq!(
        sorted(SortKey::Year, Ascending),
        vec!["00008", "00004", "00070", "32248"]
    );
    assert_eq!(
        sorted(SortKey::Criterion("2".into()), Descending),
        vec!["00004", "00008", "00070", "32248"]
    );
    assert_eq!(
        sorted(SortKey::Progress, Ascending),
        vec!["32248", "00004", "00008", "00070"]
    );
    // A missing value goes last in both orders.
    for order in [Ascending, Descending] {
        assert_eq!(sorted(SortKey::Threshold, order).last().unwrap(), "32248");
        assert_eq!(
            sorted(SortKey::Criterion("9".into()), order),
            vec!["00004", "00008", "00070", "32248"],
            "no row has criterion 9: code order"
        );
    }
    for key in [
        SortKey::ProvinceCode,
        SortKey::UnitCategory,
        SortKey::SourceFile,
        SortKey::ImportedAt,
        SortKey::UpdatedAt,
    ] {
        assert_eq!(sorted(key, Ascending).len(), 4);
    }
    assert_eq!(
        sorted(SortKey::SourceFile, Descending),
        vec!["32248", "00070", "00008", "00004"]
    );
}

/// Names compare by a number made of their first 16 folded bytes, then in full: names alike
/// that far, or one the start of another, still sort as texts do.
#[test]
fn names_alike_past_the_first_bytes_sort_as_texts() {
    use VerdictCode::Pass;
    let names = [
        ("1", "Phường Hoàng Văn Thụ"),
        ("2", "Phường Hoàng Văn"),
        ("3", "Phường Hoàng Văn Thái"),
        ("4", "Phường Hoàng"),
        ("5", "Phường Hoàng Văn Thụ A"),
        ("6", "Phường Hoang Văn Thụ"),
    ];
    let rows: Vec<DashboardRow> = names
        .iter()
        .map(|(code, name)| row(code, name, 900, Pass, &[100]))
        .collect();
    let index = RowIndex::new(&rows);
    let order = |order: SortOrder| -> Vec<&str> {
        index
            .sorted(&rows, &SortKey::Commune, order)
            .into_iter()
            .map(|i| rows[i].commune_name.as_str())
            .collect()
    };
    // "Hoang" and "Hoàng" fold alike; the names themselves then decide, "Hoang" first.
    let ascending = vec![
        "Phường Hoàng",
        "Phường Hoàng Văn",
        "Phường Hoàng Văn Thái",
        "Phường Hoang Văn Thụ",
        "Phường Hoàng Văn Thụ",
        "Phường Hoàng Văn Thụ A",
    ];
    assert_eq!(order(SortOrder::Ascending), ascending);
    let descending: Vec<&str> = ascending.into_iter().rev().collect();
    assert_eq!(order(SortOrder::Descending), descending);
}

#[test]
fn criterion_ids_follow_first_appearance() {
    let mut rows = sample();
    rows[1].criteria.insert(
        0,
        CriterionPoints {
            id: "0".into(),
            points: 1,
            max: None,
        },
    );
    assert_eq!(criterion_ids(&rows), vec!["1", "2", "3", "0"]);
}

#[test]
fn rows_are_counted_by_province_with_the_official_names_and_units() {
    let d = xa_phu_hop_tre_em::domain::divisions::divisions().unwrap();
    let mut rows = vec![
        row("00070", "Phường Hoàn Kiếm", 900, VerdictCode::Pass, &[100]),
        row("00004", "Phường Ba Đình", 700, VerdictCode::Fail, &[100]),
        row("00008", "Phường Ngọc Hà", 950, VerdictCode::Pass, &[100]),
    ];
    let mut dat_mui = row("32248", "Xã Đất Mũi", 0, VerdictCode::Incomplete, &[0]);
    dat_mui.province_code = "96".into();
    dat_mui.province_name = "cà mau (tên trong tệp)".into();
    rows.push(dat_mui);
    let (provinces, national) = by_province(&rows, Some(d));
    let summary: Vec<(&str, &str, usize, usize, usize, usize)> = provinces
        .iter()
        .map(|p| {
            (
                p.province_code.as_str(),
                p.province_name.as_str(),
                p.loaded,
                p.passing,
                p.failing,
                p.incomplete,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("01", "Thành phố Hà Nội", 3, 2, 1, 0),
            ("96", "Cà Mau", 1, 0, 0, 1)
        ]
    );
    let hanoi_units = d.communes_of("01").len();
    assert_eq!(provinces[0].units, Some(hanoi_units));
    assert!((provinces[0].pass_percent.unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(provinces[1].pass_percent, Some(0.0));
    assert_eq!(
        national,
        NationalStats {
            provinces_loaded: 2,
            provinces: Some(34),
            loaded: 4,
            units: Some(3321),
            passing: 2,
            pass_percent: Some(50.0),
        }
    );
    // Without the official list: the names the files give, no unit counts.
    let (provinces, national) = by_province(&rows, None);
    assert_eq!(provinces[1].province_name, "cà mau (tên trong tệp)");
    assert_eq!(provinces[0].units, None);
    assert_eq!((national.provinces, national.units), (None, None));
    // Nothing loaded.
    let (provinces, national) = by_province(&[], Some(d));
    assert!(provinces.is_empty());
    assert_eq!((national.loaded, national.pass_percent), (0, None));
}

mod index_agrees_with_the_plain_reading {
    //! The index folds texts once: it keeps and orders exactly what folding at every
    //! comparison would.
    use super::*;
    use proptest::prelude::*;
    use xa_phu_hop_tre_em::domain::text::search_key;

    fn name() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "Phường Hoàn Kiếm",
            "Xã Đất Mũi",
            "Phường Ba Đình",
            "Xã Ea H'Leo",
            "xa dat mui",
            "Đặc khu Côn Đảo",
            "Xã Ðắk",
            "Phường Hòa Bình",
            "Phường Hoà Bình",
            "",
        ])
        .prop_map(String::from)
    }

    /// Official codes (five digits, ordered as numbers by the index) or codes of other shapes
    /// (ordered as texts).
    fn code(official: bool, n: usize) -> String {
        if official {
            format!("{:05}", n)
        } else {
            ["7", "00070", "0007", "A1", "10", "", "00006"][n].to_string()
        }
    }

    fn rows() -> impl Strategy<Value = Vec<DashboardRow>> {
        (
            any::<bool>(),
            prop::collection::vec(
                (
                    name(),
                    name(),
                    0u32..1000,
                    2023u16..2026,
                    0..3usize,
                    0..7usize,
                ),
                0..30,
            ),
        )
            .prop_map(|(official, list)| {
                list.into_iter()
                    .map(|(commune, file, total, year, verdict, n)| {
                        let verdict = [
                            VerdictCode::Pass,
                            VerdictCode::Fail,
                            VerdictCode::Incomplete,
                        ][verdict];
                        let mut r = row(&code(official, n), &commune, total, verdict, &[total % 3]);
                        r.year = year;
                        r.source_file = file;
                        r
                    })
                    .collect()
            })
    }

    /// `index`, of `rows`, sorts by every key the table sorts by, either way, and filters by
    /// `query` as an index made anew of them.
    fn agrees_with_one_made_anew(
        index: &RowIndex,
        rows: &[DashboardRow],
        query: &str,
    ) -> Result<(), TestCaseError> {
        let anew = RowIndex::new(rows);
        prop_assert_eq!(index.row_count(), rows.len());
        let keys = [
            SortKey::CommuneCode,
            SortKey::Commune,
            SortKey::Province,
            SortKey::ProvinceCode,
            SortKey::UnitCategory,
            SortKey::SourceFile,
            SortKey::Year,
            SortKey::Total,
            SortKey::Threshold,
            SortKey::Verdict,
            SortKey::Progress,
            SortKey::ImportedAt,
            SortKey::UpdatedAt,
            SortKey::Criterion("1".into()),
        ];
        for key in &keys {
            for order in [SortOrder::Ascending, SortOrder::Descending] {
                prop_assert_eq!(
                    index.sorted(rows, key, order),
                    anew.sorted(rows, key, order),
                    "{:?} {:?}",
                    key,
                    order
                );
            }
        }
        let all: Vec<usize> = (0..rows.len()).collect();
        let filter = Filter {
            text: query.to_string(),
            ..Filter::default()
        };
        prop_assert_eq!(
            index.filter(rows, &all, &filter),
            anew.filter(rows, &all, &filter)
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 300, failure_persistence: None, ..Default::default() })]

        /// Rows removed one by one from an index: it sorts by every key, either way, and
        /// filters as an index made anew of the rows left.
        #[test]
        fn an_index_without_a_row_sorts_and_filters_as_one_made_anew(
            rows in rows(),
            removals in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
            query in name(),
        ) {
            let mut rest = rows;
            let mut index = RowIndex::new(&rest);
            for at in removals {
                if rest.is_empty() {
                    break;
                }
                let at = at.index(rest.len());
                rest.remove(at);
                index = index.without(at);
                agrees_with_one_made_anew(&index, &rest, &query)?;
            }
        }

        /// Rows added after those an index was made of (and after one of them was removed,
        /// which leaves ranks unused): the index with them sorts by every key, either way, and
        /// filters as an index made anew of all the rows.
        #[test]
        fn an_index_with_rows_added_sorts_and_filters_as_one_made_anew(
            rows in rows(),
            split in any::<prop::sample::Index>(),
            removal in prop::option::of(any::<prop::sample::Index>()),
            query in name(),
        ) {
            let split = split.index(rows.len() + 1);
            let mut all = rows[..split].to_vec();
            let mut index = RowIndex::new(&all);
            if let Some(at) = removal.filter(|_| !all.is_empty()) {
                let at = at.index(all.len());
                all.remove(at);
                index = index.without(at);
            }
            all.extend_from_slice(&rows[split..]);
            agrees_with_one_made_anew(&index.with_added(&all), &all, &query)?;
        }

        #[test]
        fn same_rows_same_order(rows in rows(), query in name(), key in 0..7usize, descending in any::<bool>()) {
            let index = RowIndex::new(&rows);
            let filter = Filter { text: query.clone(), ..Filter::default() };
            let q = search_key(&query);
            let plain: Vec<usize> = (0..rows.len())
                .filter(|&i| {
                    let r = &rows[i];
                    q.is_empty()
                        || [&r.commune_name, &r.commune_code, &r.province_name, &r.province_code, &r.unit_category_label, &r.source_file]
                            .iter()
                            .any(|f| search_key(f).contains(&q))
                })
                .collect();
            let all: Vec<usize> = (0..rows.len()).collect();
            prop_assert_eq!(&index.filter(&rows, &all, &filter), &plain);
            let order = if descending { SortOrder::Descending } else { SortOrder::Ascending };
            let sort_key = [
                SortKey::Commune,
                SortKey::SourceFile,
                SortKey::Criterion("1".into()),
                SortKey::Total,
                SortKey::Year,
                SortKey::Verdict,
                SortKey::CommuneCode,
            ][key]
                .clone();
            // Filtering the sorted order is sorting what the filter keeps.
            let kept = index.filter(&rows, &index.sorted(&rows, &sort_key, order), &filter);
            let mut reference = plain;
            reference.sort_by(|&a, &b| {
                let (ra, rb) = (&rows[a], &rows[b]);
                let o = match key {
                    2 => ra.points("1").cmp(&rb.points("1")),
                    3 => ra.total.cmp(&rb.total),
                    4 => ra.year.cmp(&rb.year),
                    5 => {
                        // Đạt, Chưa đạt, Chưa đủ dữ liệu.
                        let place = |v| [VerdictCode::Pass, VerdictCode::Fail, VerdictCode::Incomplete].iter().position(|&x| x == v);
                        place(ra.verdict).cmp(&place(rb.verdict))
                    }
                    6 => ra.commune_code.cmp(&rb.commune_code),
                    _ => {
                        let field = |r: &DashboardRow| if key == 0 { r.commune_name.clone() } else { r.source_file.clone() };
                        search_key(&field(ra)).cmp(&search_key(&field(rb))).then_with(|| field(ra).cmp(&field(rb)))
                    }
                };
                let o = if descending { o.reverse() } else { o };
                o.then_with(|| rows[a].commune_code.cmp(&rows[b].commune_code)).then_with(|| rows[a].year.cmp(&rows[b].year))
            });
            prop_assert_eq!(kept, reference);
        }
    }
}
