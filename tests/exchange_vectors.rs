//! The test vectors of docs/exchange-format.md (tests/vectors/exchange/): files written by hand
//! the way another tool would write them, and `expected.json` with each record's canonical form
//! and checksum as the independent implementation (scripts/exchange_file.py) computes them. This
//! build must compute the same, and read every file.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::exchange::{
    import_file, jcs, ImportWarning, ImportedAssessment, ImportedFile,
};
use xa_phu_hop_tre_em::domain::scoring::Verdict;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/exchange");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()
}

fn expected() -> serde_json::Map<String, Value> {
    serde_json::from_str(&read("expected.json")).unwrap()
}

fn import(name: &str) -> ImportedFile {
    import_file(read(name).as_bytes(), &CriteriaRegistry::builtin()).unwrap()
}

fn accepted(name: &str) -> Vec<ImportedAssessment> {
    import(name)
        .records
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

#[test]
fn every_vector_has_the_canonical_form_and_digest_listed() {
    let expected = expected();
    assert_eq!(expected.len(), 5);
    for (name, records) in &expected {
        let file: Value = serde_json::from_str(&read(name)).unwrap();
        let records = records.as_array().unwrap();
        let in_file = file["assessments"].as_array().unwrap();
        assert_eq!(in_file.len(), records.len(), "{name}");
        for (record, listed) in in_file.iter().zip(records) {
            let mut unsigned = record.clone();
            unsigned.as_object_mut().unwrap().remove("sha256");
            let canonical = String::from_utf8(jcs::canonical(&unsigned)).unwrap();
            assert_eq!(canonical, listed["canonical"], "{name}");
            assert_eq!(
                jcs::digest(canonical.as_bytes()),
                listed["sha256"],
                "{name}"
            );
            let written = record["sha256"].as_str().unwrap();
            assert!(written.eq_ignore_ascii_case(listed["sha256"].as_str().unwrap()));
        }
        // And the importer keeps exactly that form and the checksum as written.
        for (got, record) in accepted(name).iter().zip(in_file) {
            assert_eq!(got.original.sha256, record["sha256"], "{name}");
            assert_eq!(
                got.original.canonical,
                records[got.index - 1]["canonical"],
                "{name}"
            );
        }
    }
}

#[test]
fn the_minimal_file() {
    let got = accepted("v2-toi-thieu.json").remove(0);
    let a = &got.assessment;
    assert_eq!(
        (a.commune.name.as_str(), a.commune.province_name.as_str()),
        ("Phường Hoàn Kiếm", "Thành phố Hà Nội")
    );
    assert_eq!(got.revision, 1);
    assert_eq!(got.score.verdict, Verdict::Incomplete);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
}

#[test]
fn the_complete_file() {
    let got = accepted("v2-day-du.json").remove(0);
    assert_eq!(got.assessment.answers.len(), 17);
    assert_eq!(got.score.total, 905);
    assert_eq!(got.score.verdict, Verdict::Pass);
    assert_eq!(got.file_total, Some(905));
    assert_eq!(got.revision, 12);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
}

#[test]
fn vietnamese_text_escapes_and_other_spellings() {
    let file = import("v2-tieng-viet.json");
    assert_eq!(
        file.header.app_version.as_deref(),
        Some("Macro Excel Sở Y tế")
    );
    assert_eq!(file.header.exported_at_ms, 1_763_860_740_500.0);
    let got = file.records[0].as_ref().unwrap();
    let a = &got.assessment;
    assert_eq!(a.year, 2025);
    assert_eq!(a.assessor.name, "Nguyễn Thị Lân");
    assert_eq!(a.answers["6.1"].numerator, Some(57.0));
    assert_eq!(a.answers["6.1"].denominator, Some(100.0));
    assert_eq!(a.answers["1.4"].manual_points, Some(96.5));
    assert_eq!(
        a.answers["6.1"].explanation,
        "Số liệu \"tháng 10\"\nđã đối chiếu\tvới sổ; đường dẫn C:\\bao-cao\\2025; ký tự lạ \u{1} \
         và é và 😀 😀"
    );
    assert_eq!(a.updated_at, 1_763_778_600_123.0);
    assert_eq!(a.created_at, 1_761_955_200_000.0);
    // In the canonical order (UTF-16 code units: U+1F600 before U+FF01), whether the record
    // is read from its canonical text or, as here, from its value.
    assert_eq!(
        got.warnings,
        vec![ImportWarning::UnknownMembers {
            paths: vec![
                "assessment.x-ghi-chú-a".into(),
                "assessment.x-ghi-chú-😀".into(),
                "assessment.x-ghi-chú-！".into(),
            ]
        }]
    );
}

#[test]
fn several_records_with_a_backup_and_upper_case_hex() {
    let got = accepted("v2-nhieu-ban.json");
    assert_eq!(got.len(), 3);
    assert_eq!(
        got.iter().map(|g| g.backup).collect::<Vec<_>>(),
        [false, true, false]
    );
    assert!(got.iter().all(|g| g.warnings.is_empty()));
    let upper = &got[2].original.sha256;
    assert_eq!(upper, &upper.to_uppercase());
}

#[test]
fn a_province_s_consolidated_file() {
    let file = import("v2-tong-hop.json");
    let header = file.header.consolidated.as_ref().unwrap();
    assert_eq!(header.province_code, "01");
    assert_eq!(header.made_by.name, "Lê Văn Tâm");
    assert_eq!(header.made_by.organization, "Sở Y tế Hà Nội");
    let codes: Vec<&str> = file
        .accepted()
        .map(|g| g.assessment.commune.code.as_str())
        .collect();
    assert_eq!(codes, ["00004", "00070"]);
    assert!(file.accepted().all(|g| g.warnings.is_empty()));
}

#[test]
fn the_version_1_file() {
    let got = accepted("v1-cu.json");
    assert_eq!(got.len(), 2);
    // Rewritten as version 2 to travel on, its new checksum verifies.
    for g in &got {
        assert_eq!(
            jcs::digest(g.original.canonical.as_bytes()),
            g.original.sha256
        );
    }
}
