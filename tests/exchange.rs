// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{counted, full_marks, manual, ratio, test_set, yes};
use serde_json::Value;
use xa_phu_hop_tre_em::domain::assessment::{Assessment, CommuneRef};
use xa_phu_hop_tre_em::domain::criteria::{CriteriaSet, Rule};
use xa_phu_hop_tre_em::domain::criteria_registry::{CriteriaRegistry, Unresolved};
use xa_phu_hop_tre_em::domain::exchange::*;
use xa_phu_hop_tre_em::domain::scoring::score;
use xa_phu_hop_tre_em::domain::storage_format::{JsonErrorAt, StoredAssessment};
use xa_phu_hop_tre_em::domain::validation::{Invalid, TimeField};

const NOW: f64 = 1_763_860_740_000.0; // 2025-11-23T01:19:00.000Z

fn hoan_kiem(set: &CriteriaSet) -> Assessment {
    let mut a = full_marks(set, "t900", 600.0);
    a.id = "a-hk".into();
    a.commune = CommuneRef {
        code: "00070".into(),
        name: "Phường Hoàn Kiếm".into(),
        province_code: "01".into(),
        province_name: "Thành phố Hà Nội".into(),
    };
    a.assessor.name = "Nguyễn Thị Bình".into();
    a.created_at = 1_750_000_000_000.0;
    a.updated_at = 1_750_000_123_456.0;
    a.answers.get_mut("a.1").unwrap().source = "Quyết định 12/QĐ-UBND".into();
    a.answers.get_mut("a.2").unwrap().explanation = "Số liệu \"tháng 10\"\ncó ghi chú".into();
    a
}

fn dat_mui(set: &CriteriaSet) -> Assessment {
    let mut a = hoan_kiem(set);
    a.id = "a-dm".into();
    a.commune = CommuneRef {
        code: "32248".into(),
        name: "Xã Đất Mũi".into(),
        province_code: "96".into(),
        province_name: "Cà Mau".into(),
    };
    a.unit_category = "t800".into();
    a
}

fn export(assessments: &[&Assessment]) -> String {
    let set = test_set();
    let scores: Vec<_> = assessments.iter().map(|a| score(&set, a)).collect();
    let entries: Vec<ExportEntry> = assessments
        .iter()
        .zip(&scores)
        .enumerate()
        .map(|(i, (a, s))| ExportEntry {
            assessment: a,
            revision: 3 + i as u64,
            score: Some(s),
        })
        .collect();
    export_file(&entries, NOW)
}

fn import(text: &str) -> Result<Vec<ImportedAssessment>, ImportError> {
    import_file(text.as_bytes(), &CriteriaRegistry::from_sets([test_set()]))
}

/// Imports `text`, expects a refusal, checks its message is Vietnamese and non-empty.
fn refused(text: &str) -> (ImportError, String) {
    let e = import(text).expect_err("the file should be refused");
    let m = e.to_string();
    assert!(m.chars().count() > 10, "{m}");
    (e, m)
}

fn entry_error(text: &str) -> (EntryError, String) {
    match refused(text) {
        (ImportError::Entry { error, .. }, m) => (error, m),
        (other, _) => panic!("expected an entry error, got {other:?}"),
    }
}

/// Edits the parsed file and writes it back.
fn edit(text: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    f(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

// --- Round trip ------------------------------------------------------------------------------

#[test]
fn round_trip_one() {
    let set = test_set();
    let a = hoan_kiem(&set);
    let text = export(&[&a]);
    let imported = import(&text).unwrap();
    assert_eq!(imported.len(), 1);
    let got = &imported[0];
    assert_eq!(got.assessment, a);
    assert_eq!(got.revision, 3);
    assert_eq!(got.score, score(&set, &a));
    assert_eq!(got.file_score.as_ref().unwrap().total, got.score.total);
    assert_eq!(got.exported_at_ms, NOW);
    assert_eq!(got.app_version, env!("CARGO_PKG_VERSION"));
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    let stored = got.clone().into_stored();
    assert_eq!((stored.revision, stored.updated_at), (3, a.updated_at));
    assert_eq!(stored.assessment, a);
}

#[test]
fn round_trip_many_and_header() {
    let set = test_set();
    let (a, b) = (hoan_kiem(&set), dat_mui(&set));
    let text = export(&[&a, &b]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], FORMAT_MARKER);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["exported_at"], "2025-11-23T01:19:00.000Z");
    assert_eq!(v["assessments"][1]["score"]["verdict_label"], "Đạt");
    let sha = v["assessments"][0]["sha256"].as_str().unwrap();
    assert!(sha.len() == 64 && sha.bytes().all(|c| c.is_ascii_hexdigit()));
    let imported = import(&text).unwrap();
    let got: Vec<&Assessment> = imported.iter().map(|i| &i.assessment).collect();
    assert_eq!(got, vec![&a, &b]);
    assert_eq!(imported[1].revision, 4);
}

#[test]
fn round_trip_with_the_builtin_set() {
    let sets = CriteriaRegistry::builtin();
    let set = &*sets.iter().next().unwrap().set;
    let mut a = hoan_kiem(&test_set());
    a.criteria_set.id = set.id.clone();
    a.criteria_set.version = set.version.clone();
    a.unit_category = set.unit_categories[0].id.clone();
    a.answers = set
        .criteria
        .iter()
        .flat_map(|c| &c.items)
        .map(|i| {
            let answer = match &i.rule {
                Rule::YesNo { .. } => yes(true),
                Rule::Manual { .. } => manual(10.0),
                Rule::Count { .. } => counted(3.0),
                _ => ratio(99.0, 100.0),
            };
            (i.id.clone(), answer)
        })
        .collect();
    let s = score(set, &a);
    let text = export_file(
        &[ExportEntry {
            assessment: &a,
            revision: 1,
            score: Some(&s),
        }],
        NOW,
    );
    let imported = import_file(text.as_bytes(), &sets).unwrap();
    assert_eq!(imported[0].assessment, a);
    assert_eq!(imported[0].score, s);
    assert!(
        imported[0].warnings.is_empty(),
        "{:?}",
        imported[0].warnings
    );
}

#[test]
fn export_from_stored_without_score() {
    let set = test_set();
    let stored = StoredAssessment::new(hoan_kiem(&set), NOW);
    let entries = [ExportEntry::from_stored(&stored, None)];
    let text = export_file(&entries, NOW);
    let registry = CriteriaRegistry::from_sets([set.clone()]);
    let imported = import_file(text.as_bytes(), &registry).unwrap();
    assert_eq!(imported[0].file_score, None);
    assert_eq!(imported[0].revision, 1);
    assert_eq!(imported[0].score, score(&set, &stored.assessment));
}

#[test]
fn layout_does_not_matter_values_do() {
    let set = test_set();
    let text = export(&[&hoan_kiem(&set)]);
    // Compact, and with the keys in another order (serde_json's map sorts them: "assessment"
    // before "sha256", unlike the export): the same content.
    let v: Value = serde_json::from_str(&text).unwrap();
    let compact = serde_json::to_string(&v).unwrap();
    assert!(compact.find("\"assessment\"") < compact.find("\"sha256\""));
    assert!(text.find("\"assessment\"") > text.find("\"sha256\""));
    assert!(import(&compact).is_ok());
    // A BOM in front (Notepad) is fine.
    assert!(import(&format!("\u{feff}{text}")).is_ok());
}

#[test]
fn inconsistent_numbers_are_not_a_rejection() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.answers.insert("a.2".into(), ratio(30.0, 20.0));
    let imported = import(&export(&[&a])).unwrap();
    assert_eq!(imported[0].assessment, a);
}

#[test]
fn hostile_strings_survive_verbatim() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(1)></svg>\u{0}\u{202e}";
    a.assessor.name = hostile.into();
    a.answers.get_mut("a.1").unwrap().explanation = hostile.repeat(3);
    let imported = import(&export(&[&a])).unwrap();
    assert_eq!(imported[0].assessment, a);
}

// --- Warnings ----------------------------------------------------------------------------------

#[test]
fn name_differences_are_warnings() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.commune.name = "hoan kiem".into(); // same name without diacritics and type: no warning
    a.commune.province_name = "Hà Nội".into(); // without "Thành phố": no warning
    assert!(import(&export(&[&a])).unwrap()[0].warnings.is_empty());
    a.commune.name = "Phường Hàng Trống".into();
    a.commune.province_name = "Hà Tây".into();
    let w = &import(&export(&[&a])).unwrap()[0].warnings;
    assert!(
        matches!(w[0], ImportWarning::CommuneNameDiffers { .. }),
        "{w:?}"
    );
    assert!(
        matches!(w[1], ImportWarning::ProvinceNameDiffers { .. }),
        "{w:?}"
    );
    assert!(w[0].to_string().contains("Phường Hoàn Kiếm"));
    assert!(w[1].to_string().contains("Thành phố Hà Nội"));
}

#[test]
fn a_different_score_in_the_file_is_a_warning() {
    let set = test_set();
    let a = hoan_kiem(&set);
    let mut fake = score(&set, &a);
    fake.total += 100;
    let text = export_file(
        &[ExportEntry {
            assessment: &a,
            revision: 1,
            score: Some(&fake),
        }],
        NOW,
    );
    let got = &import(&text).unwrap()[0];
    assert_eq!(got.score, score(&set, &a), "the score is recomputed");
    assert_eq!(
        got.warnings,
        vec![ImportWarning::ScoreDiffers {
            in_file: fake.total,
            computed: fake.total - 100
        }]
    );
    assert!(got.warnings[0].to_string().contains("tính lại"));
}

// --- One test per rejection class ----------------------------------------------------------

#[test]
fn rejects_too_large() {
    let big = vec![b' '; MAX_IMPORT_BYTES + 1];
    let e = import_file(&big, &CriteriaRegistry::default()).unwrap_err();
    assert!(matches!(e, ImportError::TooLarge { .. }));
    assert!(e.to_string().contains("quá lớn"), "{e}");
    assert!(e.to_string().contains("20 MB"), "{e}");
}

#[test]
fn rejects_empty() {
    for text in ["", "   \n\t", "\u{feff}"] {
        let (e, m) = refused(text);
        assert_eq!(e, ImportError::Empty);
        assert!(m.contains("trống"));
    }
}

#[test]
fn rejects_not_utf8() {
    let e = import_file(&[b'{', 0xff, 0xfe, b'}'], &CriteriaRegistry::default()).unwrap_err();
    assert_eq!(e, ImportError::NotUtf8 { valid_up_to: 1 });
    assert!(e.to_string().contains("không phải văn bản UTF-8"), "{e}");
}

#[test]
fn rejects_json_syntax_with_line_and_column() {
    let (e, m) =
        refused("{\n  \"format\": \"xa-phu-hop-tre-em/tu-danh-gia\",\n  \"ghi chú\": Đúng\n}");
    let ImportError::Syntax(at) = &e else {
        panic!("{e:?}")
    };
    assert_eq!((at.line, at.column), (3, 14));
    assert!(
        m.starts_with("Tệp không phải JSON hợp lệ (dòng 3, cột 14): "),
        "{m}"
    );
    let (_, m) = refused("{\"format\": ");
    assert!(m.contains("cắt ngang"), "{m}");
    let (_, m) = refused("{\"a\": 1e999}");
    assert!(m.contains("số quá lớn"), "{m}");
    // Also where the typed parse would skip the value (members it does not know inside an
    // assessment): the whole text is checked first.
    let text = export(&[&hoan_kiem(&test_set())]);
    for junk in ["1e999", "\"\\ud800\"", &"[".repeat(200)] {
        let t = text.replacen(
            "\"id\": \"a-hk\"",
            &format!("\"note\": {junk}, \"id\": \"a-hk\""),
            1,
        );
        assert_ne!(t, text);
        let (e, _) = refused(&t);
        let expected = serde_json::from_str::<Value>(&t).unwrap_err();
        assert_eq!(
            e,
            ImportError::Syntax(JsonErrorAt::new(&expected, &t)),
            "{junk}"
        );
    }
    // A harmless unknown member there is ignored, as before.
    let t = text.replacen(
        "\"id\": \"a-hk\"",
        "\"note\": [1e300, \"\\u00e9\"], \"id\": \"a-hk\"",
        1,
    );
    assert!(import(&t).is_ok());
}

#[test]
fn a_repeated_header_member_counts_once_the_last_time() {
    let text = export(&[&hoan_kiem(&test_set())]);
    let t = text.replacen("{", "{\"format_version\": 2, \"format\": \"x\",", 1);
    assert!(matches!(refused(&t).0, ImportError::Structure(_)));
    let t = text.replacen(
        ",\n  \"app_version\"",
        ", \"format_version\": 7,\n  \"app_version\"",
        1,
    );
    assert_eq!(refused(&t).0, ImportError::NewerFormat { found: 7 });
}

#[test]
fn rejects_other_formats() {
    let (e, m) = refused("[1, 2, 3]");
    assert_eq!(e, ImportError::NotOurFormat { looks_like: None });
    assert!(m.contains("không phải tệp kết quả tự đánh giá"), "{m}");
    let criteria = serde_json::to_string(&test_set()).unwrap();
    let (e, m) = refused(&criteria);
    assert_eq!(
        e,
        ImportError::NotOurFormat {
            looks_like: Some(ForeignFile::CriteriaSet)
        }
    );
    assert!(m.contains("bộ tiêu chí"), "{m}");
    let stored = StoredAssessment::new(hoan_kiem(&test_set()), NOW);
    let (e, m) = refused(&serde_json::to_string(&stored).unwrap());
    assert_eq!(
        e,
        ImportError::NotOurFormat {
            looks_like: Some(ForeignFile::StoredCopy)
        }
    );
    assert!(m.contains("Xuất tệp"), "{m}");
    let (e, _) = refused(&serde_json::to_string(&stored.assessment).unwrap());
    assert_eq!(
        e,
        ImportError::NotOurFormat {
            looks_like: Some(ForeignFile::StoredCopy)
        }
    );
}

#[test]
fn rejects_bad_format_version() {
    let text = export(&[&hoan_kiem(&test_set())]);
    for bad in [
        Value::from(0),
        Value::from("1"),
        Value::from(1.5),
        Value::Null,
    ] {
        let t = edit(&text, |v| v["format_version"] = bad.clone());
        let (e, m) = refused(&t);
        assert!(matches!(e, ImportError::BadFormatVersion { .. }), "{e:?}");
        assert!(m.contains("phiên bản định dạng không hợp lệ"), "{m}");
    }
    let t = edit(&text, |v| {
        v.as_object_mut().unwrap().remove("format_version");
    });
    let (_, m) = refused(&t);
    assert!(m.contains("không có"), "{m}");
}

#[test]
fn rejects_newer_format() {
    let text = export(&[&hoan_kiem(&test_set())]);
    let t = edit(&text, |v| {
        v["format_version"] = 2.into();
        v["new_field"] = true.into();
    });
    let (e, m) = refused(&t);
    assert_eq!(e, ImportError::NewerFormat { found: 2 });
    assert!(m.contains("phiên bản mới hơn của ứng dụng"), "{m}");
}

#[test]
fn rejects_bad_structure() {
    let text = export(&[&hoan_kiem(&test_set())]);
    let t = edit(&text, |v| {
        v["assessments"][0]["assessment"]
            .as_object_mut()
            .unwrap()
            .remove("year");
    });
    let (e, m) = refused(&t);
    assert!(matches!(e, ImportError::Structure(_)), "{e:?}");
    assert!(m.starts_with("Cấu trúc tệp không đúng (dòng "), "{m}");
    assert!(m.contains("thiếu trường `year`"), "{m}");
    let t = edit(&text, |v| v["assessments"][0]["extra"] = 1.into());
    let (_, m) = refused(&t);
    assert!(
        m.contains("trường không có trong định dạng: `extra`"),
        "{m}"
    );
    let t = edit(&text, |v| {
        v["assessments"][0]["assessment"]["answers"]["a.2"]["numerator"] = "mười".into()
    });
    let (_, m) = refused(&t);
    assert!(m.contains("sai kiểu dữ liệu"), "{m}");
    let t = edit(&text, |v| v["assessments"] = Value::Null);
    assert!(matches!(refused(&t).0, ImportError::Structure(_)));
}

#[test]
fn rejects_bad_exported_at() {
    let text = export(&[&hoan_kiem(&test_set())]);
    for bad in [
        "hôm qua",
        "2025-02-29T00:00:00Z",
        "2025-11-23 01:19:00Z",
        "",
    ] {
        let t = edit(&text, |v| v["exported_at"] = bad.into());
        let (e, m) = refused(&t);
        assert!(
            matches!(e, ImportError::BadExportedAt { .. }),
            "{bad}: {e:?}"
        );
        assert!(m.contains("Thời điểm xuất tệp không hợp lệ"), "{m}");
    }
}

#[test]
fn rejects_a_file_without_assessments() {
    let text = export(&[]);
    let (e, m) = refused(&text);
    assert_eq!(e, ImportError::NoAssessments);
    assert!(m.contains("không chứa bản đánh giá nào"));
}

#[test]
fn rejects_duplicates_in_one_file() {
    let set = test_set();
    let a = hoan_kiem(&set);
    let mut b = a.clone();
    b.id = "other".into();
    let (e, m) = refused(&export(&[&a, &dat_mui(&set), &b]));
    assert_eq!(
        e,
        ImportError::Duplicate {
            commune_code: "00070".into(),
            year: 2025,
            first: 1,
            second: 3
        }
    );
    assert!(m.contains("thứ 1 và thứ 3"), "{m}");
}

#[test]
fn rejects_a_checksum_mismatch() {
    let set = test_set();
    let text = export(&[&hoan_kiem(&set), &dat_mui(&set)]);
    let t = edit(&text, |v| {
        v["assessments"][1]["assessment"]["answers"]["e.1"]["manual_points"] = 49.0.into()
    });
    let (e, m) = refused(&t);
    let ImportError::Entry { index, error, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!((*index, error), (2, &EntryError::ChecksumMismatch));
    assert!(
        m.contains("Tệp đã bị sửa hoặc hỏng: mã kiểm tra SHA-256 không khớp"),
        "{m}"
    );
    assert!(
        m.starts_with("Bản đánh giá thứ 2 (Xã Đất Mũi - mã 32248, năm 2025)"),
        "{m}"
    );
    // The score is covered too, and so is the checksum's own shape.
    let t = edit(&text, |v| {
        v["assessments"][0]["score"]["total"] = 1000.into()
    });
    assert_eq!(entry_error(&t).0, EntryError::ChecksumMismatch);
    let t = edit(&text, |v| v["assessments"][0]["sha256"] = "abc".into());
    assert_eq!(entry_error(&t).0, EntryError::ChecksumMismatch);
    let t = edit(&text, |v| v["assessments"][0]["revision"] = 99.into());
    assert_eq!(entry_error(&t).0, EntryError::ChecksumMismatch);
}

#[test]
fn rejects_an_unknown_criteria_set() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.criteria_set.version = "9.9.9".into();
    let (e, m) = entry_error(&export(&[&a]));
    assert!(
        matches!(e, EntryError::CriteriaSet(Unresolved::Missing { .. })),
        "{e:?}"
    );
    assert!(
        m.contains("«thu-nghiem» phiên bản 9.9.9 chưa có trên máy này"),
        "{m}"
    );
    assert!(m.contains("đang có: thu-nghiem phiên bản 1.0.0"), "{m}");
    assert!(
        m.contains("Nhập tệp bộ tiêu chí"),
        "says how to get it: {m}"
    );
    assert!(m.contains("Sở Y tế tỉnh"), "says who has it: {m}");
    let e = import_file(
        export(&[&hoan_kiem(&set)]).as_bytes(),
        &CriteriaRegistry::default(),
    )
    .unwrap_err();
    assert!(matches!(
        e,
        ImportError::Entry {
            error: EntryError::CriteriaSet(Unresolved::Missing { .. }),
            ..
        }
    ));
}

#[test]
fn rejects_an_unknown_commune_code() {
    let set = test_set();
    for code in ["00001", "70", "ABCDE", ""] {
        let mut a = hoan_kiem(&set);
        a.commune.code = code.into();
        let (e, m) = entry_error(&export(&[&a]));
        assert_eq!(e, EntryError::UnknownCommune { code: code.into() });
        assert!(m.contains("không có trong danh mục"), "{m}");
    }
}

#[test]
fn rejects_a_province_that_does_not_hold_the_commune() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.commune.province_code = "79".into();
    let (e, m) = entry_error(&export(&[&a]));
    assert!(matches!(e, EntryError::ProvinceMismatch { .. }), "{e:?}");
    assert!(m.contains("thuộc tỉnh mã 01"), "{m}");
}

#[test]
fn rejects_an_unknown_unit_category() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.unit_category = "quan".into();
    let (e, m) = entry_error(&export(&[&a]));
    assert_eq!(e, EntryError::UnknownUnitCategory { id: "quan".into() });
    assert!(m.contains("Loại đơn vị \"quan\""), "{m}");
}

#[test]
fn rejects_a_year_out_of_range() {
    let set = test_set();
    for year in [0, 2018, 2101, u16::MAX] {
        let mut a = hoan_kiem(&set);
        a.year = year;
        let (e, m) = entry_error(&export(&[&a]));
        assert_eq!(e, EntryError::Invalid(Invalid::Year { year }));
        assert!(m.contains("từ 2019 đến 2100"), "{m}");
    }
    let mut a = hoan_kiem(&set);
    for year in [2019, 2100] {
        a.year = year;
        assert!(import(&export(&[&a])).is_ok());
    }
}

#[test]
fn rejects_an_unknown_item() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.answers.insert("z.9".into(), ratio(1.0, 2.0));
    let (e, m) = entry_error(&export(&[&a]));
    assert_eq!(
        e,
        EntryError::UnknownItem {
            item_id: "z.9".into()
        }
    );
    assert!(m.contains("mục \"z.9\""), "{m}");
}

#[test]
fn rejects_a_maximum_for_an_unknown_criterion() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.recorded_max.insert("D".into(), 150);
    assert!(import(&export(&[&a])).is_ok());
    a.recorded_max.insert("Z".into(), 100);
    let (e, m) = entry_error(&export(&[&a]));
    assert_eq!(
        e,
        EntryError::UnknownCriterion {
            criterion_id: "Z".into()
        }
    );
    assert!(m.contains("tiêu chí \"Z\""), "{m}");
}

#[test]
fn rejects_negative_and_absurd_numbers() {
    let set = test_set();
    let cases = [
        (
            "a.2",
            ratio(-1.0, 20.0),
            NumberField::Numerator,
            NumberProblem::Negative,
            "số âm",
        ),
        (
            "a.2",
            ratio(1.0, -0.5),
            NumberField::Denominator,
            NumberProblem::Negative,
            "mẫu số",
        ),
        (
            "b.2",
            common::counted(2e9),
            NumberField::Count,
            NumberProblem::TooLarge,
            "bất thường",
        ),
        (
            "e.1",
            common::manual(-5.0),
            NumberField::ManualPoints,
            NumberProblem::Negative,
            "điểm tự chấm",
        ),
    ];
    for (item, answer, field, problem, phrase) in cases {
        let mut a = hoan_kiem(&set);
        a.answers.insert(item.into(), answer);
        let (e, m) = entry_error(&export(&[&a]));
        let EntryError::Invalid(Invalid::Number {
            item_id,
            field: f,
            problem: p,
            ..
        }) = e
        else {
            panic!("{e:?}")
        };
        assert_eq!((item_id.as_str(), f, p), (item, field, problem));
        assert!(m.contains(phrase), "{m}");
    }
}

#[test]
fn rejects_non_finite_numbers_in_an_assessment_built_in_memory() {
    // JSON has no NaN/∞ (they export as null); the check still guards the boundary.
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.answers.insert("a.2".into(), ratio(f64::NAN, 20.0));
    let imported = import(&export(&[&a])).unwrap();
    assert_eq!(imported[0].assessment.answers["a.2"].numerator, None);
    let (_, m) = refused("{\"x\": NaN}");
    assert!(m.starts_with("Tệp không phải JSON hợp lệ"), "{m}");
}

#[test]
fn rejects_a_bad_timestamp() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.updated_at = -1.0;
    let (e, m) = entry_error(&export(&[&a]));
    assert_eq!(
        e,
        EntryError::Invalid(Invalid::Time {
            field: TimeField::UpdatedAt,
            value: -1.0
        })
    );
    assert!(m.contains("updated_at"), "{m}");
}

// --- Schema, time, names, conflicts ----------------------------------------------------------

#[test]
fn shipped_schema_is_up_to_date() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/schema/export.schema.json"
    );
    let generated = export_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let shipped = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        shipped == generated,
        "public/schema/export.schema.json is out of date: the exchange format (or a type it \
         embeds, e.g. Assessment) changed. Review whether FORMAT_VERSION must change, then \
         regenerate with UPDATE_SCHEMA=1 cargo test --test exchange"
    );
    let schema: Value = serde_json::from_str(&shipped).unwrap();
    assert_eq!(schema["properties"]["format"]["const"], FORMAT_MARKER);
}

#[test]
fn iso_time() {
    let cases = [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (951_782_400_000.0, "2000-02-29T00:00:00.000Z"),
        (1_700_000_000_123.0, "2023-11-14T22:13:20.123Z"),
        (4_107_542_399_999.0, "2100-02-28T23:59:59.999Z"),
        (NOW, "2025-11-23T01:19:00.000Z"),
    ];
    for (ms, iso) in cases {
        assert_eq!(iso_utc(ms), iso);
        assert_eq!(parse_iso_utc(iso), Some(ms));
    }
    assert_eq!(iso_utc(-5.0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_utc(f64::NAN), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_utc(1e300), "9999-12-31T23:59:59.999Z");
    assert_eq!(
        parse_iso_utc("2024-02-29T12:00:00Z"),
        Some(1_709_208_000_000.0)
    );
    assert_eq!(
        parse_iso_utc("2024-02-29T12:00:00.5Z"),
        Some(1_709_208_000_500.0)
    );
    for bad in [
        "2023-02-29T00:00:00Z",
        "2023-13-01T00:00:00Z",
        "2023-01-01T24:00:00Z",
        "2023-01-01T00:00:00",
        "2023-01-01T00:00:00.1234Z",
        "2023-01-01T00:00:00.Z",
        "2023-1-01T00:00:00Z",
        "+023-01-01T00:00:00Z",
        "",
        "Z",
    ] {
        assert_eq!(parse_iso_utc(bad), None, "{bad}");
    }
    // Every day of four years round-trips.
    for day in 0..(4 * 366) {
        let ms = 1_704_067_200_000.0 + f64::from(day) * 86_400_000.0 + 45_296_789.0;
        assert_eq!(parse_iso_utc(&iso_utc(ms)), Some(ms));
    }
}

#[test]
fn file_names() {
    let set = test_set();
    let a = hoan_kiem(&set);
    let one = [ExportEntry {
        assessment: &a,
        revision: 1,
        score: None,
    }];
    assert_eq!(export_file_name(&one, NOW), "tu-danh-gia_00070_2025.json");
    let two = [one[0], one[0]];
    // 01:19 UTC is 08:19 in Vietnam, same day; 20:00 UTC is the next day there.
    assert_eq!(
        export_file_name(&two, NOW),
        "tu-danh-gia_2-ban_2025-11-23.json"
    );
    let evening = 1_763_928_000_000.0; // 2025-11-23T20:00:00Z
    assert_eq!(
        export_file_name(&two, evening),
        "tu-danh-gia_2-ban_2025-11-24.json"
    );
    let mut b = a.clone();
    b.commune.code = "../x y".into();
    let odd = [ExportEntry {
        assessment: &b,
        revision: 1,
        score: None,
    }];
    assert_eq!(export_file_name(&odd, NOW), "tu-danh-gia____x_y_2025.json");
}

#[test]
fn conflicts() {
    let set = test_set();
    let mut local = StoredAssessment::new(hoan_kiem(&set), 1_750_000_123_456.0);
    local.revision = 5;
    let other = StoredAssessment::new(dat_mui(&set), 1.0);
    let existing = vec![other, local.clone()];
    let mut incoming = import(&export(&[&hoan_kiem(&set)])).unwrap().remove(0);
    // Same time, different revision: the higher revision wins.
    let c = find_conflict(&existing, &incoming).unwrap();
    assert_eq!(
        (c.commune_code.as_str(), c.year, c.existing_index),
        ("00070", 2025, 1)
    );
    assert_eq!(c.existing.revision, 5);
    assert_eq!(c.imported.revision, 3);
    assert_eq!(c.newer, Newer::Existing);
    assert!(c.to_string().contains("Bản đang có mới hơn"), "{c}");
    incoming.assessment.updated_at += 60_000.0;
    let c = find_conflict(&existing, &incoming).unwrap();
    assert_eq!(c.newer, Newer::Imported);
    assert!(c.to_string().contains("Bản trong tệp mới hơn"), "{c}");
    assert!(c.to_string().contains("sửa lần 3"), "{c}");
    let same = local.clone();
    let c = find_conflict(std::slice::from_ref(&local), &same).unwrap();
    assert_eq!(c.newer, Newer::Same);
    incoming.assessment.year = 2024;
    assert_eq!(find_conflict(&existing, &incoming), None);
}

// --- Version 1 files written by earlier builds -------------------------------------------------

#[test]
fn a_version_1_file_written_by_the_version_1_writer_still_imports() {
    let text = include_str!("vectors/exchange/v1-cu.json");
    let imported = import_file(text.as_bytes(), &CriteriaRegistry::builtin()).unwrap();
    let communes: Vec<(&str, u16, u64)> = imported
        .iter()
        .map(|i| {
            (
                i.assessment.commune.code.as_str(),
                i.assessment.year,
                i.revision,
            )
        })
        .collect();
    assert_eq!(communes, [("00070", 2025, 7), ("32248", 2025, 2)]);
    let hk = &imported[0];
    assert_eq!(hk.assessment.commune.name, "Phường Hoàn Kiếm");
    assert_eq!(
        hk.assessment.answers["1.4"].explanation,
        "Bố trí kinh phí \"đủ\"\nnhưng giải ngân chậm"
    );
    assert_eq!(hk.assessment.updated_at, 1_763_520_300_000.0);
    assert_eq!(
        hk.file_score.as_ref().map(|s| s.total),
        Some(hk.score.total)
    );
    assert!(imported.iter().all(|i| i.warnings.is_empty()));
}
