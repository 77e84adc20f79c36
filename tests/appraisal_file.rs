//! The appraisal file: what it writes reads back, bound to the record it reviewed; damaged,
//! edited or foreign records are refused one by one with a Vietnamese reason.

mod common;

use common::*;
use serde_json::{json, Value};
use xa_phu_hop_tre_em::domain::appraisal::{
    Appraisal, Figures, ReviewStatus, ReviewedRecord, Reviewer,
};
use xa_phu_hop_tre_em::domain::appraisal_file::{
    export_file, export_file_name, import_file, is_appraisal_file, record_checksum,
    AppraisalFileError, ExportAppraisal,
};
use xa_phu_hop_tre_em::domain::criteria::CriteriaSet;
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::history::{Edit, HistoryEntry};

/// A named change to a file's JSON.
type Tamper = (&'static str, Box<dyn Fn(&mut Value)>);

const NOW: f64 = 1_764_550_800_000.0; // 2025-12-01T01:00:00Z

fn sample(set: &CriteriaSet) -> Appraisal {
    let mut a = full_marks(set, "t800", 450.0);
    a.commune.code = "00070".into();
    a.commune.name = "Phường Hoàn Kiếm".into();
    a.updated_at = NOW - 86_400_000.0;
    a.created_at = NOW - 30.0 * 86_400_000.0;
    let mut ap = Appraisal::new(
        "ap-1".into(),
        ReviewedRecord {
            sha256: "ab".repeat(32),
            revision: 12,
            assessment: a,
        },
        Reviewer {
            name: "Trần Văn Bình".into(),
            position: "Chuyên viên".into(),
            organization: "Sở Y tế Thành phố Hà Nội".into(),
        },
        NOW - 3_600_000.0,
    );
    ap.set_status("a.2", Some(ReviewStatus::NotAgreed));
    ap.set_figures(
        "a.2",
        Some(Figures {
            numerator: Some(17.0),
            denominator: Some(20.0),
            ..Figures::default()
        }),
    );
    ap.set_comment("a.2", "Sổ theo dõi chỉ có 17 trẻ, \"không phải\" 19".into());
    ap.set_status("c.1", Some(ReviewStatus::NeedsEvidence));
    ap.conclusion = "Đề nghị bổ sung.".into();
    ap.date = Some("2025-12-01".into());
    ap.updated_at = NOW;
    ap
}

fn registry(set: &CriteriaSet) -> CriteriaRegistry {
    CriteriaRegistry::from_sets(vec![set.clone()])
}

fn history() -> Vec<HistoryEntry> {
    vec![HistoryEntry {
        at: NOW - 60_000.0,
        who: "Trần Văn Bình".into(),
        path: vec!["conclusion".into()],
        edit: Edit::Set {
            old: Some(json!("")),
            new: Some(json!("Đề nghị bổ sung.")),
        },
    }]
}

fn file_of(ap: &Appraisal, set: &CriteriaSet, history: &[HistoryEntry]) -> String {
    export_file(
        &[ExportAppraisal {
            appraisal: ap,
            set,
            history,
        }],
        NOW,
    )
}

#[test]
fn an_appraisal_file_reads_back_what_it_wrote() {
    let set = test_set();
    let ap = sample(&set);
    let h = history();
    let text = file_of(&ap, &set, &h);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert!(is_appraisal_file(&value));
    assert_eq!(value["format_version"], 2);
    assert_eq!(value["kind"], "tham-dinh");
    let record = &value["appraisals"][0];
    assert_eq!(
        record["appraisal"]["items"]["a.2"]["figures"]["numerator"],
        json!(17)
    );
    assert_eq!(
        record["score"]["total"], 760,
        "the appraised score, for people reading"
    );
    assert_eq!(record["self_score"]["total"], 800);
    assert_eq!(record["appraisal"]["reviewed"]["sha256"], "ab".repeat(32));
    let outcomes = import_file(text.as_bytes(), &registry(&set)).unwrap();
    let back = outcomes.into_iter().next().unwrap().unwrap();
    assert_eq!(back.appraisal, ap);
    assert_eq!(back.history, h);
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(back.sha256, record["sha256"].as_str().unwrap());
    let name = export_file_name(
        &[ExportAppraisal {
            appraisal: &ap,
            set: &set,
            history: &h,
        }],
        NOW,
    );
    assert_eq!(name, "tham-dinh_00070_2025.json");
}

#[test]
fn the_checksum_covers_the_history_and_every_member() {
    let set = test_set();
    let text = file_of(&sample(&set), &set, &history());
    let value: Value = serde_json::from_str(&text).unwrap();
    let edits: Vec<Tamper> = vec![
        (
            "history",
            Box::new(|v| v["appraisals"][0]["history"][0]["who"] = json!("Ai đó")),
        ),
        (
            "comment",
            Box::new(|v| v["appraisals"][0]["appraisal"]["items"]["a.2"]["comment"] = json!("sửa")),
        ),
        (
            "reviewed",
            Box::new(|v| {
                v["appraisals"][0]["appraisal"]["reviewed"]["sha256"] = json!("cd".repeat(32))
            }),
        ),
        (
            "added",
            Box::new(|v| v["appraisals"][0]["x-ghi-chu"] = json!(1)),
        ),
    ];
    for (what, edit) in edits {
        let mut tampered = value.clone();
        edit(&mut tampered);
        let bytes = serde_json::to_vec(&tampered).unwrap();
        let outcome = import_file(&bytes, &registry(&set)).unwrap().remove(0);
        let refused = outcome.expect_err(what);
        assert!(
            refused.reason.contains("mã kiểm tra không khớp"),
            "{what}: {refused}"
        );
        assert!(
            refused
                .to_string()
                .starts_with("Kết quả thẩm định thứ 1 (Phường Hoàn Kiếm, năm 2025)"),
            "{refused}"
        );
    }
    // Layout does not matter: the same record re-indented still checks.
    let compact = serde_json::to_vec(&value).unwrap();
    assert!(import_file(&compact, &registry(&set)).unwrap()[0].is_ok());
}

/// A record edited and signed again (as another tool may write it) goes through the checks.
fn resigned(mut value: Value, edit: impl Fn(&mut Value)) -> Vec<u8> {
    let record = &mut value["appraisals"][0];
    edit(record);
    let sha = record_checksum(record);
    record["sha256"] = json!(sha);
    serde_json::to_vec(&value).unwrap()
}

#[test]
fn records_that_break_a_rule_are_refused_alone() {
    let set = test_set();
    let text = file_of(&sample(&set), &set, &[]);
    let value: Value = serde_json::from_str(&text).unwrap();
    let cases: Vec<Tamper> = vec![
        (
            "z.9",
            Box::new(|r| r["appraisal"]["items"]["z.9"] = json!({"status": "agreed"})),
        ),
        (
            "không có trong danh mục",
            Box::new(|r| {
                r["appraisal"]["reviewed"]["assessment"]["commune"]["code"] = json!("99999")
            }),
        ),
        (
            "chưa có trên máy này",
            Box::new(|r| {
                r["appraisal"]["reviewed"]["assessment"]["criteria_set"]["version"] = json!("9.0.0")
            }),
        ),
        (
            "tử số thẩm định của mục «a.2»: Không được là số âm",
            Box::new(|r| r["appraisal"]["items"]["a.2"]["figures"]["numerator"] = json!(-1)),
        ),
        (
            "Quá lớn: điểm tối đa là 10.000",
            Box::new(|r| r["appraisal"]["items"]["a.2"]["figures"]["manual_points"] = json!(1e6)),
        ),
        (
            "bản được thẩm định",
            Box::new(|r| r["appraisal"]["reviewed"]["assessment"]["year"] = json!(2200)),
        ),
        (
            "sai cấu trúc",
            Box::new(|r| r["appraisal"]["items"]["a.2"]["status"] = json!("dong-y")),
        ),
        (
            "YYYY-MM-DD",
            Box::new(|r| r["appraisal"]["date"] = json!("01/12/2025")),
        ),
        (
            "64 chữ số hex",
            Box::new(|r| r["appraisal"]["reviewed"]["sha256"] = json!("abc")),
        ),
        (
            "thời điểm",
            Box::new(|r| r["appraisal"]["updated_at"] = json!("hôm nay")),
        ),
        (
            "lần thẩm định",
            Box::new(|r| r["appraisal"]["round"] = json!(0)),
        ),
    ];
    for (expected, edit) in cases {
        let bytes = resigned(value.clone(), edit);
        let outcome = import_file(&bytes, &registry(&set)).unwrap().remove(0);
        let refused = outcome.expect_err(expected);
        assert!(refused.reason.contains(expected), "{expected}: {refused}");
    }
    // Two records: the bad one does not take the good one down.
    let mut two = value.clone();
    let good = two["appraisals"][0].clone();
    two["appraisals"][0]["sha256"] = json!("00".repeat(32));
    two["appraisals"].as_array_mut().unwrap().push(good);
    let outcomes = import_file(&serde_json::to_vec(&two).unwrap(), &registry(&set)).unwrap();
    assert!(outcomes[0].is_err() && outcomes[1].is_ok());
    assert_eq!(outcomes[0].as_ref().unwrap_err().number, 1);
}

#[test]
fn a_history_that_does_not_fit_is_kept_with_a_warning() {
    let set = test_set();
    let mut h = history();
    h[0].edit = Edit::Set {
        old: Some(json!("")),
        new: Some(json!("khác")),
    };
    let text = file_of(&sample(&set), &set, &h);
    let back = import_file(text.as_bytes(), &registry(&set))
        .unwrap()
        .remove(0)
        .unwrap();
    assert_eq!(back.history, h);
    assert_eq!(back.warnings.len(), 1);
    assert!(
        back.warnings[0].contains("không khớp"),
        "{:?}",
        back.warnings
    );
}

#[test]
fn whole_files_that_are_not_appraisals_are_refused() {
    let set = test_set();
    let sets = registry(&set);
    let bad: Vec<(&[u8], AppraisalFileError)> = vec![
        (b"\xff\xfe", AppraisalFileError::NotUtf8),
        (br#"{"format":"xa-phu-hop-tre-em/tu-danh-gia","format_version":2,"assessments":[]}"#,
            AppraisalFileError::NotAnAppraisalFile),
        (br#"{"format":"xa-phu-hop-tre-em/tu-danh-gia","format_version":3,"kind":"tham-dinh","appraisals":[{}]}"#,
            AppraisalFileError::NewerVersion(3)),
        (br#"{"format":"xa-phu-hop-tre-em/tu-danh-gia","format_version":2,"kind":"tham-dinh","appraisals":[]}"#,
            AppraisalFileError::NoAppraisals),
    ];
    for (bytes, expected) in bad {
        assert_eq!(import_file(bytes, &sets), Err(expected));
    }
    match import_file(b"{\n  \"format\": ,\n}", &sets) {
        Err(AppraisalFileError::Json(detail)) => assert!(detail.contains("dòng 2"), "{detail}"),
        other => panic!("{other:?}"),
    }
    let text = file_of(&sample(&set), &set, &[]);
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert!(
        import_file(&with_bom, &sets).unwrap()[0].is_ok(),
        "a BOM is tolerated"
    );
    for e in [
        AppraisalFileError::TooLarge,
        AppraisalFileError::NotAnAppraisalFile,
        AppraisalFileError::NewerVersion(3),
    ] {
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn an_appraisal_file_given_to_the_assessment_import_points_to_the_right_place() {
    let set = test_set();
    let text = file_of(&sample(&set), &set, &history());
    let e = xa_phu_hop_tre_em::domain::exchange::import_file(text.as_bytes(), &registry(&set))
        .expect_err("not a file of self-assessments");
    assert!(e.to_string().contains("«Nhận kết quả thẩm định»"), "{e}");
}
