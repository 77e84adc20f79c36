// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{counted, full_marks, manual, ratio, test_set, yes};
use serde_json::{json, Value};
use xa_phu_hop_tre_em::domain::assessment::{Assessment, CommuneRef};
use xa_phu_hop_tre_em::domain::criteria::{CriteriaSet, Rule};
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::exchange::v1::{export_schema_v1, record_checksum_v1};
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
            backup: false,
            history: &[],
        })
        .collect();
    export_file(&entries, NOW)
}

fn import(text: &str) -> Result<ImportedFile, ImportError> {
    import_file(text.as_bytes(), &CriteriaRegistry::from_sets([test_set()]))
}

/// Imports `text` and expects every record to be accepted.
fn accepted(text: &str) -> Vec<ImportedAssessment> {
    let file = import(text).expect("the file should be read");
    file.records
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("refused: {e}")))
        .collect()
}

/// Imports `text`, expects the whole file to be refused, checks its message is Vietnamese.
fn refused(text: &str) -> (ImportError, String) {
    let e = import(text).expect_err("the file should be refused");
    let m = e.to_string();
    assert!(m.chars().count() > 10, "{m}");
    (e, m)
}

/// Imports `text` (one record) and expects the record to be refused.
fn rejected(text: &str) -> (EntryError, String) {
    let mut file = import(text).expect("the file itself should be read");
    assert_eq!(file.records.len(), 1);
    let r = file
        .records
        .remove(0)
        .expect_err("the record should be refused");
    let m = r.to_string();
    assert!(m.starts_with("Bản đánh giá thứ 1"), "{m}");
    (r.error, m)
}

/// Edits the parsed file and writes it back.
fn edit(text: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    f(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

/// Edits one record and signs it again as the specification says (RFC 8785, SHA-256), as
/// another tool would write it.
fn edit_signed(text: &str, record: usize, f: impl FnOnce(&mut Value)) -> String {
    edit(text, |v| {
        let r = &mut v["assessments"][record];
        f(r);
        sign(r);
    })
}

fn sign(record: &mut Value) {
    let mut unsigned = record.clone();
    unsigned.as_object_mut().unwrap().remove("sha256");
    record["sha256"] = jcs::digest(&jcs::canonical(&unsigned)).into();
}

fn path_of(e: &EntryError) -> &str {
    match e {
        EntryError::Structure(f) => &f.path,
        other => panic!("expected a structure error, got {other:?}"),
    }
}

// --- Round trip ------------------------------------------------------------------------------

#[test]
fn round_trip_one() {
    let set = test_set();
    let a = hoan_kiem(&set);
    let text = export(&[&a]);
    let file = import(&text).unwrap();
    assert_eq!(file.header.format_version, 2);
    assert_eq!(file.header.exported_at_ms, NOW);
    assert_eq!(
        file.header.app_version.as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(file.header.consolidated, None);
    let got = accepted(&text).remove(0);
    assert_eq!(got.assessment, a);
    assert_eq!(got.revision, 3);
    assert_eq!(got.score, score(&set, &a));
    assert_eq!(got.file_total, Some(got.score.total));
    assert!(!got.backup);
    assert_eq!(got.index, 1);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    // What the file holds, to pass on: the record's own checksum and canonical form.
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(got.original.sha256, v["assessments"][0]["sha256"]);
    let mut unsigned = v["assessments"][0].clone();
    unsigned.as_object_mut().unwrap().remove("sha256");
    assert_eq!(
        got.original.canonical.as_bytes(),
        jcs::canonical(&unsigned).as_slice()
    );
    let again: Value = serde_json::from_str(&got.original.to_json()).unwrap();
    assert_eq!(again, v["assessments"][0]);
    let stored = got.into_stored();
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
    assert_eq!(v["format_version"], 2);
    assert_eq!(v["exported_at"], "2025-11-23T01:19:00.000Z");
    assert_eq!(v["assessments"][1]["score"]["verdict_label"], "Đạt");
    let sha = v["assessments"][0]["sha256"].as_str().unwrap();
    assert!(sha.len() == 64 && sha.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
    let imported = accepted(&text);
    let got: Vec<&Assessment> = imported.iter().map(|i| &i.assessment).collect();
    assert_eq!(got, vec![&a, &b]);
    assert_eq!(imported[1].revision, 4);
    assert_eq!(imported[1].index, 2);
}

#[test]
fn round_trip_with_the_builtin_set() {
    let sets = CriteriaRegistry::builtin();
    let set = &*sets.iter().next().unwrap().set;
    let mut a = hoan_kiem(&test_set());
    a.criteria_set.id = set.id.clone();
    a.criteria_set.version = set.version.clone();
    a.criteria_set.hash = Some(sets.iter().next().unwrap().hash.clone());
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
            backup: false,
            history: &[],
        }],
        NOW,
    );
    let imported = import_file(text.as_bytes(), &sets).unwrap();
    let got = imported.accepted().next().unwrap();
    assert_eq!(got.assessment, a);
    assert_eq!(got.score, s);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
}

#[test]
fn export_from_stored_without_score() {
    let set = test_set();
    let stored = StoredAssessment::new(hoan_kiem(&set), NOW);
    let entries = [ExportEntry::from_stored(&stored, None)];
    let text = export_file(&entries, NOW);
    assert!(!text.contains("\"score\""), "{text}");
    let got = accepted(&text).remove(0);
    assert_eq!(got.file_total, None);
    assert_eq!(got.revision, 1);
    assert_eq!(got.score, score(&set, &stored.assessment));
}

#[test]
fn the_export_writes_numbers_and_times_as_people_write_them() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.answers.insert("a.2".into(), ratio(57.0, 60.5));
    let text = export(&[&a]);
    let v: Value = serde_json::from_str(&text).unwrap();
    let r = &v["assessments"][0];
    // Whole numbers without a fraction; others as they are.
    assert!(text.contains("\"numerator\": 57,"), "{text}");
    assert!(text.contains("\"denominator\": 60.5"), "{text}");
    assert_eq!(r["revision"], 3);
    assert_eq!(r["assessment"]["year"], 2025);
    // Times in RFC 3339; members with nothing in them left out.
    assert_eq!(r["assessment"]["updated_at"], "2025-06-15T15:08:43.456Z");
    assert_eq!(r["assessment"]["created_at"], "2025-06-15T15:06:40.000Z");
    assert!(!text.contains("null"), "{text}");
    assert!(!text.contains("\"\""), "{text}");
    assert!(!text.contains("\"backup\""), "{text}");
    assert!(!text.contains("\"checked\": false"), "{text}");
    assert_eq!(accepted(&text)[0].assessment, a);
}

#[test]
fn layout_and_spelling_of_numbers_do_not_matter_values_do() {
    let set = test_set();
    let text = export(&[&hoan_kiem(&set)]);
    // Compact, and with the keys in another order (serde_json's map sorts them: "assessment"
    // before "sha256", unlike the export): the same content.
    let v: Value = serde_json::from_str(&text).unwrap();
    let compact = serde_json::to_string(&v).unwrap();
    assert!(compact.find("\"assessment\"") < compact.find("\"sha256\""));
    assert!(text.find("\"assessment\"") > text.find("\"sha256\""));
    assert_eq!(accepted(&compact).len(), 1);
    // A BOM in front (Notepad) is fine.
    assert_eq!(accepted(&format!("\u{feff}{text}")).len(), 1);
    // 2025 written as 2025.0 or 2.025e3 is the same number: same checksum, same year.
    for spelling in ["2025.0", "2.025e3", "202500e-2"] {
        let t = text.replacen("\"year\": 2025", &format!("\"year\": {spelling}"), 1);
        assert_ne!(t, text);
        assert_eq!(accepted(&t)[0].assessment.year, 2025, "{spelling}");
    }
    // Upper-case hex is accepted, and kept as written.
    let sha = v["assessments"][0]["sha256"].as_str().unwrap();
    let upper = text.replace(sha, &sha.to_uppercase());
    assert_eq!(accepted(&upper)[0].original.sha256, sha.to_uppercase());
    // Another value is another record.
    let t = text.replacen("\"year\": 2025", "\"year\": 2024", 1);
    assert_eq!(
        rejected(&t).0,
        EntryError::ChecksumMismatch { format_version: 2 }
    );
}

#[test]
fn a_record_with_only_the_required_members_is_read_with_the_defaults() {
    let mut record = json!({
        "assessment": {
            "criteria_set": {"id": "thu-nghiem", "version": "1.0.0"},
            "commune": {"code": "00070"},
            "unit_category": "t850",
            "year": 2025,
            "updated_at": "2025-11-20T10:00:00+07:00"
        }
    });
    sign(&mut record);
    let text = json!({
        "format": FORMAT_MARKER,
        "format_version": 2,
        "exported_at": "2025-11-23T08:19:00+07:00",
        "assessments": [record]
    })
    .to_string();
    let file = import(&text).unwrap();
    assert_eq!(file.header.exported_at_ms, NOW);
    assert_eq!(file.header.app_version, None);
    let got = accepted(&text).remove(0);
    let a = &got.assessment;
    // Names come from the official list; times with an offset are read as the instant they are.
    assert_eq!(a.commune.name, "Phường Hoàn Kiếm");
    assert_eq!(a.commune.province_code, "01");
    assert_eq!(a.commune.province_name, "Thành phố Hà Nội");
    assert_eq!(a.updated_at, 1_763_607_600_000.0);
    assert_eq!(a.created_at, a.updated_at);
    assert_eq!((a.id.as_str(), got.revision), ("", 1));
    assert!(a.answers.is_empty() && a.recorded_max.is_empty());
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
}

#[test]
fn inconsistent_numbers_are_not_a_rejection() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.answers.insert("a.2".into(), ratio(30.0, 20.0));
    assert_eq!(accepted(&export(&[&a]))[0].assessment, a);
}

#[test]
fn hostile_strings_survive_verbatim() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(1)></svg>\u{0}\u{202e}😀";
    a.assessor.name = hostile.into();
    a.answers.get_mut("a.1").unwrap().explanation = hostile.repeat(3);
    assert_eq!(accepted(&export(&[&a]))[0].assessment, a);
}

#[test]
fn backups_travel_as_backups() {
    let set = test_set();
    let (a, b) = (hoan_kiem(&set), hoan_kiem(&set));
    let entries = [
        ExportEntry {
            assessment: &a,
            revision: 5,
            score: None,
            backup: false,
            history: &[],
        },
        ExportEntry {
            assessment: &b,
            revision: 4,
            score: None,
            backup: true,
            history: &[],
        },
    ];
    let text = export_file(&entries, NOW);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["assessments"][1]["backup"], true);
    let got = accepted(&text);
    assert_eq!((got[0].backup, got[1].backup), (false, true));
    // A backup beside its copy in use is no remark.
    assert!(got[1].warnings.is_empty(), "{:?}", got[1].warnings);
    assert_eq!(
        export_file_name(&entries[1..], NOW),
        "tu-danh-gia_00070_2025_ban-sao-luu.json"
    );
}

// --- Warnings ----------------------------------------------------------------------------------

#[test]
fn name_differences_are_warnings() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.commune.name = "hoan kiem".into(); // same name without diacritics and type: no warning
    a.commune.province_name = "Hà Nội".into(); // without "Thành phố": no warning
    assert!(accepted(&export(&[&a]))[0].warnings.is_empty());
    a.commune.name = "Phường Hàng Trống".into();
    a.commune.province_name = "Hà Tây".into();
    let w = &accepted(&export(&[&a]))[0].warnings;
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
            backup: false,
            history: &[],
        }],
        NOW,
    );
    let got = accepted(&text).remove(0);
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

#[test]
fn unknown_members_are_ignored_and_named_reserved_ones_silently() {
    let set = test_set();
    let a = hoan_kiem(&set);
    let text = edit_signed(&export(&[&a]), 0, |r| {
        r["assessment"]["anwsers"] = json!({"a.1": {"yes": false}});
        r["assessment"]["answers"]["a.2"]["ghi_chu"] = "thêm".into();
        r["x-so-y-te"] = 1.into();
        // `history` is part of the format: never named as unknown.
        let year = r["assessment"]["year"].clone();
        r["history"] = json!([{"at": "2025-01-01T00:00:00Z", "who": "A", "path": "/year", "old": 2024, "new": year}]);
    });
    let got = accepted(&text).remove(0);
    assert_eq!(got.assessment, a, "nothing unknown reaches the assessment");
    assert_eq!(
        got.warnings,
        vec![ImportWarning::UnknownMembers {
            paths: vec![
                "assessment.answers[\"a.2\"].ghi_chu".into(),
                "assessment.anwsers".into(),
                "x-so-y-te".into(),
            ]
        }]
    );
    let m = got.warnings[0].to_string();
    assert!(m.contains("`assessment.anwsers`"), "{m}");
    assert!(m.contains("viết sai"), "{m}");
    // They are covered by the checksum like everything else in the record.
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(got.original.canonical.contains("\"x-so-y-te\":1"));
    let t = edit(&text, |v| v["assessments"][0]["x-so-y-te"] = 2.into());
    assert!(matches!(
        rejected(&t).0,
        EntryError::ChecksumMismatch { .. }
    ));
    // At the top level too.
    let t = edit(&text, |v| v["ghi_chu"] = "Sở Y tế".into());
    let file = import(&t).unwrap();
    assert_eq!(
        file.header.warnings,
        vec![ImportWarning::UnknownMembers {
            paths: vec!["ghi_chu".into()]
        }]
    );
    assert_eq!(
        v["assessments"][0]["history"][0]["at"],
        "2025-01-01T00:00:00Z"
    );
}

#[test]
fn the_same_unit_and_year_twice_in_one_file_is_read_with_a_remark() {
    let set = test_set();
    let a = hoan_kiem(&set);
    let mut later = a.clone();
    later.updated_at += 60_000.0;
    let got = accepted(&export(&[&a, &dat_mui(&set), &later]));
    assert_eq!(got.len(), 3);
    assert!(got[0].warnings.is_empty());
    assert_eq!(
        got[2].warnings,
        vec![ImportWarning::SameUnitAndYear { first: 1 }]
    );
    assert!(got[2].warnings[0].to_string().contains("bản thứ 1"));
}

// --- The province's consolidated file ---------------------------------------------------------

#[test]
fn a_consolidated_file_carries_every_record_with_its_own_checksum() {
    let set = test_set();
    let from_communes: Vec<ImportedAssessment> = [hoan_kiem(&set), {
        let mut b = hoan_kiem(&set);
        b.commune.code = "00004".into();
        b.commune.name = "Phường Ba Đình".into();
        b
    }]
    .iter()
    .flat_map(|a| accepted(&export(&[a])))
    .collect();
    let header = Consolidated {
        province_code: "01".into(),
        province_name: "Thành phố Hà Nội".into(),
        made_by: Person {
            name: "Lê Văn Tâm".into(),
            position: "Chuyên viên".into(),
            organization: "Sở Y tế Hà Nội".into(),
        },
    };
    let originals: Vec<&OriginalRecord> = from_communes.iter().map(|i| &i.original).collect();
    let text = consolidated_file(header.clone(), &originals, NOW);
    assert_eq!(
        consolidated_file_name("01", 2, NOW),
        "tong-hop_01_2-ban_2025-11-23.json"
    );
    let file = import(&text).unwrap();
    assert_eq!(file.header.consolidated, Some(header));
    assert_eq!(file.header.exported_at_ms, NOW);
    let got = accepted(&text);
    for (loaded, passed_on) in from_communes.iter().zip(&got) {
        assert_eq!(passed_on.original, loaded.original, "checksum untouched");
        assert_eq!(passed_on.assessment, loaded.assessment);
        assert!(passed_on.warnings.is_empty(), "{:?}", passed_on.warnings);
    }
    // A commune of another province is read, with a remark.
    let outsider = accepted(&export(&[&dat_mui(&set)])).remove(0);
    let mut header = file.header.consolidated.clone().unwrap();
    header.made_by.position.clear();
    let text = consolidated_file(header, &[&outsider.original], NOW);
    let got = accepted(&text).remove(0);
    assert_eq!(
        got.warnings,
        vec![ImportWarning::OutsideProvince {
            province_code: "96".into(),
            header_province: "01".into()
        }]
    );
}

/// A record as the app writes it in a consolidated file (its checksum, then its canonical
/// text) is read straight from that text; written any other way, it is read through a value.
/// Both give the same outcome, record by record, whatever the record holds.
#[test]
fn a_record_in_canonical_form_reads_as_the_same_record_written_otherwise() {
    let set = test_set();
    let good = accepted(&export(&[&hoan_kiem(&set)])).remove(0);
    let value: Value = serde_json::from_str(&good.original.canonical).unwrap();
    let signed = |value: &Value| {
        let canonical = jcs::canonical_text(value);
        OriginalRecord {
            sha256: jcs::digest(canonical.as_bytes()),
            canonical,
        }
    };
    let edited = |f: &dyn Fn(&mut Value)| {
        let mut v = value.clone();
        f(&mut v);
        signed(&v)
    };
    let unknown = edited(&|v| {
        v["ghi_chu"] = json!("x");
        v["assessment"]["answers"]["a.1"]["nhan_xet"] = json!([1, {"a": null}]);
        v["score"]["criteria"][0]["muc"] = json!(1.5);
    });
    let mut upper_case = good.original.clone();
    upper_case.sha256 = upper_case.sha256.to_uppercase();
    let mut wrong_checksum = good.original.clone();
    wrong_checksum.sha256 = jcs::digest(b"{}");
    let spaced = OriginalRecord {
        canonical: good.original.canonical.replacen(":", ": ", 3),
        sha256: good.original.sha256.clone(),
    };
    let escaped = OriginalRecord {
        canonical: good.original.canonical.replacen("ễ", "\\u1ec5", 1),
        sha256: good.original.sha256.clone(),
    };
    let checksum_twice = OriginalRecord {
        canonical: format!(
            "{},\"sha256\":\"0\"}}",
            &good.original.canonical[..good.original.canonical.len() - 1]
        ),
        sha256: good.original.sha256.clone(),
    };
    let records = [
        good.original.clone(),
        unknown,
        upper_case,
        wrong_checksum,
        spaced,
        escaped,
        checksum_twice,
        edited(&|v| v["assessment"]["year"] = json!(1990)),
        edited(&|v| v["assessment"]["year"] = json!("2025")),
        edited(&|v| v["revision"] = json!(0)),
        edited(&|v| v["revision"] = json!(7.0)),
        edited(&|v| {
            v.as_object_mut().unwrap().remove("assessment");
        }),
    ];
    let as_written = consolidated_file(header_01(), &records.iter().collect::<Vec<_>>(), NOW);
    let otherwise = as_written.replace("\n    {\"sha256\"", "\n    { \"sha256\"");
    assert_eq!(otherwise.matches("{ \"sha256\"").count(), records.len());
    // Positions differ by the space written: what is compared is everything else.
    let outcome = |text: &str| -> Vec<String> {
        import(text)
            .unwrap()
            .records
            .into_iter()
            .map(|r| match r {
                Ok(one) => format!("{one:?}"),
                Err(mut refused) => {
                    if let EntryError::Structure(e) = &mut refused.error {
                        (e.line, e.column) = (0, 0);
                    }
                    format!("{refused:?}")
                }
            })
            .collect()
    };
    let (read, read_otherwise) = (outcome(&as_written), outcome(&otherwise));
    assert_eq!(read.len(), records.len());
    for (i, (a, b)) in read.iter().zip(&read_otherwise).enumerate() {
        assert_eq!(a, b, "record {}", i + 1);
    }
    let accepted = read
        .iter()
        .filter(|r| r.starts_with("ImportedAssessment"))
        .count();
    assert_eq!(accepted, 6, "{read:#?}");
    assert!(read[1].contains("ghi_chu"), "{}", read[1]);
}

#[test]
fn a_consolidated_header_names_a_real_province_and_who_made_it() {
    let text = export(&[&hoan_kiem(&test_set())]);
    let made_by = json!({"name": "Lê Văn Tâm"});
    let cases = [
        (
            json!({"province_code": "99", "made_by": made_by}),
            "consolidated.province_code",
        ),
        (
            json!({"province_code": "01", "made_by": {"name": "  "}}),
            "consolidated.made_by.name",
        ),
        (json!({"province_code": "01"}), "consolidated"),
        (
            json!({"province_code": 1, "made_by": made_by}),
            "consolidated.province_code",
        ),
    ];
    for (consolidated, path) in cases {
        let t = edit(&text, |v| v["consolidated"] = consolidated.clone());
        let (e, m) = refused(&t);
        let ImportError::Header(field) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(field.path, path, "{m}");
        assert!(m.starts_with("Phần đầu tệp không đúng định dạng: "), "{m}");
        assert!(
            m.contains("«phần đầu của tệp tổng hợp» (`consolidated`)")
                || m.contains("(`province_code`)")
                || m.contains("(`name`)"),
            "{m}"
        );
    }
}

// --- The whole file refused --------------------------------------------------------------------

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
    // Also inside a record, where the records are cut out without being read, and after a
    // broken record: the first error of the text, where a full parse finds it.
    let set = test_set();
    let text = export(&[&hoan_kiem(&set), &dat_mui(&set)]);
    for junk in ["1e999", "\"\\ud800\"", &"[".repeat(200), "tru"] {
        for at in [0, 1] {
            let t = edit(&text, |_| {}).replacen(
                if at == 0 {
                    "\"id\": \"a-hk\""
                } else {
                    "\"id\": \"a-dm\""
                },
                &format!("\"note\": {junk}, \"id\": \"x\""),
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
    }
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
        Value::from("2"),
        Value::from(1.5),
        Value::from(-2),
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
    // 2.0 is 2.
    let t = edit(&text, |v| v["format_version"] = 2.0.into());
    assert_eq!(accepted(&t).len(), 1);
}

#[test]
fn rejects_newer_format_and_unknown_kinds() {
    let text = export(&[&hoan_kiem(&test_set())]);
    let t = edit(&text, |v| {
        v["format_version"] = 3.into();
        v["new_field"] = true.into();
    });
    let (e, m) = refused(&t);
    assert_eq!(e, ImportError::NewerFormat { found: 3 });
    assert!(m.contains("phiên bản mới hơn của ứng dụng"), "{m}");
    let t = edit(&text, |v| v["kind"] = "bien-ban".into());
    let (e, m) = refused(&t);
    assert_eq!(
        e,
        ImportError::UnknownKind {
            found: "bien-ban".into()
        }
    );
    assert!(m.contains("\"bien-ban\""), "{m}");
    // The appraisal file has a home of its own: the message says where.
    let t = edit(&text, |v| v["kind"] = "tham-dinh".into());
    let (e, m) = refused(&t);
    assert_eq!(
        e,
        ImportError::UnknownKind {
            found: "tham-dinh".into()
        }
    );
    assert!(m.contains("«Nhận kết quả thẩm định»"), "{m}");
    let t = edit(&text, |v| v["kind"] = "tu-danh-gia".into());
    assert_eq!(accepted(&t).len(), 1);
}

#[test]
fn rejects_a_broken_header_naming_the_member_and_the_rule() {
    let text = export(&[&hoan_kiem(&test_set())]);
    let header_path = |t: &str| match refused(t) {
        (ImportError::Header(f), m) => (f.path, m),
        (other, _) => panic!("{other:?}"),
    };
    let t = edit(&text, |v| {
        v.as_object_mut().unwrap().remove("exported_at");
    });
    let (path, m) = header_path(&t);
    assert_eq!(path, "", "{m}");
    assert!(m.contains("thiếu trường `exported_at`"), "{m}");
    let t = edit(&text, |v| v["app_version"] = 7.into());
    let (path, m) = header_path(&t);
    assert_eq!(path, "app_version", "{m}");
    assert!(m.contains("sai kiểu dữ liệu"), "{m}");
    let t = edit(&text, |v| v["assessments"] = Value::Null);
    let (path, m) = header_path(&t);
    assert_eq!(path, "assessments");
    assert!(
        m.contains("phải là một danh sách [ … ], nhưng có null"),
        "{m}"
    );
    let t = edit(&text, |v| {
        v.as_object_mut().unwrap().remove("assessments");
    });
    assert_eq!(header_path(&t).0, "assessments");
    // I-JSON: one name once.
    let t = text.replacen("{", "{\"exported_at\": \"2025-01-01T00:00:00Z\",", 1);
    let (path, m) = header_path(&t);
    assert_eq!(path, "exported_at");
    assert!(m.contains("hai lần"), "{m}");
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
    let (e, m) = refused(&export(&[]));
    assert_eq!(e, ImportError::NoAssessments);
    assert!(m.contains("không chứa bản đánh giá nào"));
}

// --- One record refused, the others read -------------------------------------------------------

#[test]
fn a_refused_record_leaves_the_others_in_the_file() {
    let set = test_set();
    let text = export(&[&hoan_kiem(&set), &dat_mui(&set)]);
    let t = edit(&text, |v| {
        v["assessments"][0]["assessment"]["answers"]["e.1"]["manual_points"] = 49.into()
    });
    let file = import(&t).unwrap();
    let refused = file.records[0].as_ref().unwrap_err();
    assert_eq!(refused.index, 1);
    assert_eq!(
        refused.error,
        EntryError::ChecksumMismatch { format_version: 2 }
    );
    let m = refused.to_string();
    assert!(
        m.starts_with("Bản đánh giá thứ 1 (Phường Hoàn Kiếm - mã 00070, năm 2025): "),
        "{m}"
    );
    assert!(
        m.contains("nội dung bản ghi khác với nội dung đã được tính mã"),
        "{m}"
    );
    assert!(m.contains("sửa (hay hỏng) sau khi xuất"), "{m}");
    assert!(m.contains("docs/exchange-format.md"), "{m}");
    assert_eq!(file.accepted().count(), 1);
    assert_eq!(
        file.accepted().next().unwrap().assessment.commune.code,
        "32248"
    );
}

#[test]
fn rejects_a_checksum_mismatch_anywhere_in_the_record() {
    let text = export(&[&hoan_kiem(&test_set())]);
    let mismatch = EntryError::ChecksumMismatch { format_version: 2 };
    for change in [
        json!({"/score/total": 1000}),
        json!({"/revision": 99}),
        json!({"/assessment/assessor/name": "Người khác"}),
        json!({"/assessment/answers/a.2/explanation": "khác"}),
    ] {
        let (pointer, value) = change.as_object().unwrap().iter().next().unwrap();
        let t = edit(&text, |v| {
            *v["assessments"][0].pointer_mut(pointer).unwrap() = value.clone()
        });
        assert_eq!(rejected(&t).0, mismatch, "{pointer}");
    }
    // A member left out is a change too, even one whose default it had.
    let t = edit(&text, |v| {
        v["assessments"][0]["assessment"]
            .as_object_mut()
            .unwrap()
            .remove("created_at");
    });
    assert_eq!(rejected(&t).0, mismatch);
}

#[test]
fn rejects_a_broken_record_naming_the_member_and_the_rule() {
    let text = export(&[&hoan_kiem(&test_set())]);
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: [(&str, Change, &str); 9] = [
        (
            "assessment",
            Box::new(|r| {
                r["assessment"].as_object_mut().unwrap().remove("year");
            }),
            "thiếu trường `year`",
        ),
        (
            "assessment.answers[\"a.2\"].numerator",
            Box::new(|r| r["assessment"]["answers"]["a.2"]["numerator"] = "mười".into()),
            "sai kiểu dữ liệu",
        ),
        (
            "assessment.year",
            Box::new(|r| r["assessment"]["year"] = 2025.5.into()),
            "phải là một năm từ 2019 đến 2100, nhưng có số 2025.5",
        ),
        (
            "assessment.year",
            Box::new(|r| r["assessment"]["year"] = 70000.into()),
            "phải là một năm từ 2019 đến 2100, nhưng có số 70000",
        ),
        (
            "revision",
            Box::new(|r| r["revision"] = json!(9_007_199_254_740_993u64)),
            "số nguyên",
        ),
        (
            "revision",
            Box::new(|r| r["revision"] = 0.into()),
            "từ 1 trở lên",
        ),
        (
            "assessment.updated_at",
            Box::new(|r| r["assessment"]["updated_at"] = "23/11/2025".into()),
            "RFC 3339",
        ),
        (
            "assessment.created_at",
            Box::new(|r| r["assessment"]["created_at"] = 1_750_000_000_000u64.into()),
            "sai kiểu dữ liệu",
        ),
        (
            "score.verdict",
            Box::new(|r| r["score"]["verdict"] = "đạt".into()),
            "giá trị không được phép",
        ),
    ];
    for (path, change, rule) in cases {
        let t = edit_signed(&text, 0, change);
        let (e, m) = rejected(&t);
        assert_eq!(path_of(&e), path, "{m}");
        assert!(m.contains(rule), "{m}");
        assert!(m.contains("Sai cấu trúc"), "{m}");
    }
    // The checksum itself.
    let t = edit(&text, |v| v["assessments"][0]["sha256"] = "abc".into());
    assert_eq!(path_of(&rejected(&t).0), "sha256");
    let t = edit(&text, |v| {
        v["assessments"][0]
            .as_object_mut()
            .unwrap()
            .remove("sha256");
    });
    let (e, m) = rejected(&t);
    assert_eq!(path_of(&e), "sha256");
    assert!(m.contains("Phường Hoàn Kiếm - mã 00070, năm 2025"), "{m}");
    // Not an object; a name twice in one object.
    let t = edit(&text, |v| v["assessments"][0] = json!([1, 2]));
    let (e, m) = rejected(&t);
    assert_eq!(path_of(&e), "");
    assert!(
        m.contains("phải là một đối tượng { … }, nhưng có một danh sách"),
        "{m}"
    );
    let t = text.replacen("\"year\": 2025", "\"year\": 2025, \"year\": 2024", 1);
    let (_, m) = rejected(&t);
    assert!(m.contains("trường bị lặp: `year` («năm đánh giá»)"), "{m}");
    assert!(m.contains("Sai cấu trúc (dòng "), "{m}");
}

#[test]
fn rejects_an_unknown_criteria_set() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.criteria_set.version = "9.9.9".into();
    let (e, m) = rejected(&export(&[&a]));
    assert!(matches!(e, EntryError::CriteriaSet(_)), "{e:?}");
    assert!(m.contains("«thu-nghiem» phiên bản 9.9.9"), "{m}");
    assert!(m.contains("đang có: thu-nghiem phiên bản 1.0.0"), "{m}");
    let file = import_file(
        export(&[&hoan_kiem(&set)]).as_bytes(),
        &CriteriaRegistry::default(),
    )
    .unwrap();
    assert!(matches!(
        file.records[0],
        Err(RejectedRecord {
            error: EntryError::CriteriaSet(_),
            ..
        })
    ));
}

#[test]
fn rejects_an_unknown_commune_code() {
    let set = test_set();
    for code in ["00001", "70", "ABCDE", ""] {
        let mut a = hoan_kiem(&set);
        a.commune.code = code.into();
        let (e, m) = rejected(&export(&[&a]));
        assert_eq!(e, EntryError::UnknownCommune { code: code.into() });
        assert!(m.contains("không có trong danh mục"), "{m}");
    }
}

#[test]
fn rejects_a_province_that_does_not_hold_the_commune() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.commune.province_code = "79".into();
    let (e, m) = rejected(&export(&[&a]));
    assert!(matches!(e, EntryError::ProvinceMismatch { .. }), "{e:?}");
    assert!(m.contains("thuộc tỉnh mã 01"), "{m}");
}

#[test]
fn rejects_an_unknown_unit_category() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.unit_category = "quan".into();
    let (e, m) = rejected(&export(&[&a]));
    assert_eq!(e, EntryError::UnknownUnitCategory { id: "quan".into() });
    assert!(m.contains("Loại đơn vị \"quan\""), "{m}");
}

#[test]
fn rejects_a_year_out_of_range() {
    let set = test_set();
    for year in [0, 2018, 2101, u16::MAX] {
        let mut a = hoan_kiem(&set);
        a.year = year;
        let (e, m) = rejected(&export(&[&a]));
        assert_eq!(e, EntryError::Invalid(Invalid::Year { year }));
        assert!(m.contains("từ 2019 đến 2100"), "{m}");
    }
    let mut a = hoan_kiem(&set);
    for year in [2019, 2100] {
        a.year = year;
        assert_eq!(accepted(&export(&[&a])).len(), 1);
    }
}

#[test]
fn rejects_an_unknown_item() {
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.answers.insert("z.9".into(), ratio(1.0, 2.0));
    let (e, m) = rejected(&export(&[&a]));
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
    assert_eq!(accepted(&export(&[&a])).len(), 1);
    a.recorded_max.insert("Z".into(), 100);
    let (e, m) = rejected(&export(&[&a]));
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
        let (e, m) = rejected(&export(&[&a]));
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
fn non_finite_numbers_built_in_memory_are_left_out() {
    // JSON has no NaN/∞: they are not written, so they read back as "not entered".
    let set = test_set();
    let mut a = hoan_kiem(&set);
    a.answers.insert("a.2".into(), ratio(f64::NAN, 20.0));
    let imported = accepted(&export(&[&a]));
    assert_eq!(imported[0].assessment.answers["a.2"].numerator, None);
    let (_, m) = refused("{\"x\": NaN}");
    assert!(m.starts_with("Tệp không phải JSON hợp lệ"), "{m}");
}

#[test]
fn rejects_a_time_before_1970() {
    let set = test_set();
    let text = export(&[&hoan_kiem(&set)]);
    let t = edit_signed(&text, 0, |r| {
        r["assessment"]["updated_at"] = "1969-12-31T23:59:59.999Z".into()
    });
    let (e, m) = rejected(&t);
    assert_eq!(
        e,
        EntryError::Invalid(Invalid::Time {
            field: TimeField::UpdatedAt,
            value: -1.0
        })
    );
    assert!(m.contains("updated_at"), "{m}");
}

// --- Version 1 ------------------------------------------------------------------------------

const V1: &str = include_str!("vectors/exchange/v1-cu.json");

#[test]
fn a_version_1_file_written_by_the_version_1_writer_still_imports() {
    let file = import_file(V1.as_bytes(), &CriteriaRegistry::builtin()).unwrap();
    assert_eq!(file.header.format_version, 1);
    assert_eq!(file.header.exported_at_ms, NOW);
    assert_eq!(file.header.app_version.as_deref(), Some("0.1.0"));
    let imported: Vec<&ImportedAssessment> = file.accepted().collect();
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
    let hk = imported[0];
    assert_eq!(hk.assessment.commune.name, "Phường Hoàn Kiếm");
    assert_eq!(
        hk.assessment.answers["1.4"].explanation,
        "Bố trí kinh phí \"đủ\"\nnhưng giải ngân chậm"
    );
    assert_eq!(hk.assessment.updated_at, 1_763_520_300_000.0);
    assert_eq!(hk.file_total, Some(hk.score.total));
    assert!(imported.iter().all(|i| i.warnings.is_empty()));
}

#[test]
fn a_version_1_record_travels_on_rewritten_as_version_2() {
    let v: Value = serde_json::from_str(V1).unwrap();
    let file = import_file(V1.as_bytes(), &CriteriaRegistry::builtin()).unwrap();
    let hk = file.accepted().next().unwrap();
    let converted: Value = serde_json::from_str(&hk.original.to_json()).unwrap();
    assert_eq!(converted["converted_from"]["format_version"], 1);
    assert_eq!(
        converted["converted_from"]["sha256"],
        v["assessments"][0]["sha256"]
    );
    assert_eq!(
        converted["assessment"]["updated_at"],
        "2025-11-19T02:45:00.000Z"
    );
    assert_eq!(
        converted["score"]["total"],
        v["assessments"][0]["score"]["total"]
    );
    // Its new checksum verifies, and the rewritten record imports as the same assessment.
    assert_eq!(
        jcs::digest(hk.original.canonical.as_bytes()),
        hk.original.sha256
    );
    let text = consolidated_file(header_01(), &[&hk.original], NOW);
    let again = import_file(text.as_bytes(), &CriteriaRegistry::builtin()).unwrap();
    let again = again.accepted().next().unwrap();
    assert_eq!(again.assessment, hk.assessment);
    assert_eq!(again.original, hk.original);
}

#[test]
fn version_1_keeps_its_own_rules() {
    let sets = CriteriaRegistry::builtin();
    // Its checksum: an edited value is a mismatch, told as version 1's.
    let t = V1.replacen("\"yes\": true", "\"yes\": false", 1);
    let file = import_file(t.as_bytes(), &sets).unwrap();
    let refused = file.records[0].as_ref().unwrap_err();
    assert_eq!(
        refused.error,
        EntryError::ChecksumMismatch { format_version: 1 }
    );
    assert!(refused.to_string().contains("sau khi xuất"), "{refused}");
    assert!(file.records[1].is_ok(), "the other record is read");
    // Unknown members of a record are refused, of an assessment ignored (and not hashed).
    let t = edit(V1, |v| v["assessments"][0]["extra"] = 1.into());
    let file = import_file(t.as_bytes(), &sets).unwrap();
    let refused = file.records[0].as_ref().unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("trường không có trong định dạng: `extra`"),
        "{refused}"
    );
    let t = edit(V1, |v| {
        v["assessments"][0]["assessment"]["extra"] = 1.into()
    });
    assert_eq!(
        import_file(t.as_bytes(), &sets).unwrap().accepted().count(),
        2
    );
    // The top level: every member required, no other; a repeated name, as version 1 read it.
    let t = edit(V1, |v| {
        v.as_object_mut().unwrap().remove("app_version");
    });
    let e = import_file(t.as_bytes(), &sets).unwrap_err();
    assert!(matches!(e, ImportError::Structure(_)), "{e:?}");
    assert!(e.to_string().contains("thiếu trường `app_version`"), "{e}");
    let t = V1.replacen("{", "{\"format_version\": 2, \"format\": \"x\",", 1);
    assert!(matches!(
        import_file(t.as_bytes(), &sets).unwrap_err(),
        ImportError::Structure(_)
    ));
    // The checksum as version 1 defined it, over the typed record.
    let v: Value = serde_json::from_str(V1).unwrap();
    let record: v1::ExchangeRecord = serde_json::from_value(v["assessments"][0].clone()).unwrap();
    assert_eq!(record_checksum_v1(&record), record.sha256);
}

// --- Schema, time, names, conflicts ----------------------------------------------------------

fn check_shipped(path: &str, generated: &str, how: &str) {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, generated).unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(shipped == generated, "{path} is out of date: {how}");
}

#[test]
fn shipped_schemas_are_up_to_date() {
    check_shipped(
        "public/schema/export-v2.schema.json",
        &export_schema(),
        "the exchange format (or a type it embeds, e.g. CriteriaSetRef) changed. Review whether \
         docs/exchange-format.md and FORMAT_VERSION must change, then regenerate with \
         UPDATE_SCHEMA=1 cargo test --test exchange",
    );
    // Version 1 is published and frozen: its schema never changes.
    let v1 = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/schema/export.schema.json"
    ))
    .unwrap();
    assert_eq!(v1, export_schema_v1());
    let schema: Value = serde_json::from_str(&export_schema()).unwrap();
    assert_eq!(schema["properties"]["format"]["const"], FORMAT_MARKER);
    assert_eq!(schema["properties"]["format_version"]["const"], 2);
    assert!(schema["properties"]["consolidated"].is_object());
}

/// The table of members the importer walks (to name the unknown ones) is the schema the types
/// generate, member for member.
#[test]
fn the_members_the_importer_knows_are_the_schema_s() {
    fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => resolve(root, root.pointer(&r[1..]).unwrap()),
            None => match node.get("anyOf").and_then(Value::as_array) {
                // An optional member: its schema or null.
                Some(alternatives) => alternatives
                    .iter()
                    .map(|a| resolve(root, a))
                    .find(|a| a.get("type") != Some(&Value::from("null")))
                    .unwrap(),
                None => node,
            },
        }
    }
    fn same(root: &Value, node: &Value, members: &Members, path: &str) {
        let node = resolve(root, node);
        match members {
            Members::Leaf => assert!(
                node.get("properties").is_none() && node.get("items").is_none(),
                "{path} has members in the schema"
            ),
            Members::Opaque => {}
            Members::Object(known) => {
                let properties = node["properties"].as_object().unwrap();
                let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
                names.sort_unstable();
                let listed: Vec<&str> = known.iter().map(|(n, _)| *n).collect();
                assert_eq!(listed, names, "{path}");
                for (name, shape) in *known {
                    same(root, &properties[*name], shape, &format!("{path}.{name}"));
                }
            }
            Members::Map(shape) => same(root, &node["additionalProperties"], shape, path),
            Members::List(shape) => same(root, &node["items"], shape, path),
        }
    }
    let schema: Value = serde_json::from_str(&export_schema()).unwrap();
    same(
        &schema,
        &schema["properties"]["assessments"]["items"],
        &RECORD,
        "record",
    );
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
        assert_eq!(parse_rfc3339(iso), Some(ms));
    }
    assert_eq!(iso_utc(-5.0), "1969-12-31T23:59:59.995Z");
    assert_eq!(parse_rfc3339(&iso_utc(-5.0)), Some(-5.0));
    assert_eq!(iso_utc(-1e300), "0000-01-01T00:00:00.000Z");
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
        "2023-01-01T00:00:00+07:00",
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
fn rfc3339_time() {
    let noon = 1_709_208_000_000.0; // 2024-02-29T12:00:00Z
    for (text, ms) in [
        ("2024-02-29T12:00:00Z", noon),
        ("2024-02-29t12:00:00z", noon),
        ("2024-02-29T19:00:00+07:00", noon),
        ("2024-02-29T08:30:00-03:30", noon),
        ("2024-02-29T12:00:00.5Z", noon + 500.0),
        ("2024-02-29T12:00:00.123456789Z", noon + 123.0),
        ("2024-03-01T06:59:59.999+07:00", noon + 43_199_999.0),
    ] {
        assert_eq!(parse_rfc3339(text), Some(ms), "{text}");
    }
    for bad in [
        "2024-02-29T12:00:00",
        "2024-02-29 12:00:00Z",
        "2024-02-29T12:00:00+7:00",
        "2024-02-29T12:00:00+24:00",
        "2024-02-29T12:00:00.Z",
        "2024-02-30T12:00:00Z",
        "2024-02-29T12:00:00ZZ",
        "2024-02-29T12:00:00Ư",
        "29/02/2024",
    ] {
        assert_eq!(parse_rfc3339(bad), None, "{bad}");
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
        backup: false,
        history: &[],
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
        backup: false,
        history: &[],
    }];
    assert_eq!(export_file_name(&odd, NOW), "tu-danh-gia____x_y_2025.json");
    assert_eq!(
        consolidated_file_name("../01", 3321, evening),
        "tong-hop____01_3321-ban_2025-11-24.json"
    );
}

#[test]
fn conflicts() {
    let set = test_set();
    let mut local = StoredAssessment::new(hoan_kiem(&set), 1_750_000_123_456.0);
    local.revision = 5;
    let other = StoredAssessment::new(dat_mui(&set), 1.0);
    let existing = vec![other, local.clone()];
    let mut incoming = accepted(&export(&[&hoan_kiem(&set)])).remove(0);
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

/// The header of a consolidated file of province 01 (Hà Nội), made by one officer.
fn header_01() -> Consolidated {
    Consolidated {
        province_code: "01".into(),
        province_name: String::new(),
        made_by: Person {
            name: "Lê Văn Tâm".into(),
            position: String::new(),
            organization: String::new(),
        },
    }
}
