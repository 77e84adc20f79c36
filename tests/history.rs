//! History inside the file: its wire form, rebuilding old and new values from the current
//! document, and refusing a history that does not fit its record.

use serde_json::{json, Value};
use xa_phu_hop_tre_em::domain::history::{
    field_label_vi, parse_pointer, pointer, replay, value_label_vi, Edit, HistoryEntry, Mismatch,
};

fn path(p: &str) -> Vec<String> {
    p.split('/').map(str::to_string).collect()
}

fn set(at: f64, who: &str, p: &str, old: Option<Value>, new: Option<Value>) -> HistoryEntry {
    HistoryEntry {
        at,
        who: who.into(),
        path: path(p),
        edit: Edit::Set { old, new },
    }
}

fn splice(at: f64, p: &str, pos: usize, removed: &str, inserted: &str) -> HistoryEntry {
    HistoryEntry {
        at,
        who: "Nguyễn Thị Lan".into(),
        path: path(p),
        edit: Edit::Splice {
            pos,
            removed: removed.into(),
            inserted: inserted.into(),
        },
    }
}

#[test]
fn entries_read_back_what_they_wrote() {
    let entries = vec![
        set(
            1_764_000_000_000.0,
            "A",
            "answers/6.1",
            None,
            Some(json!({"numerator": 3})),
        ),
        set(
            1_764_000_000_123.0,
            "A",
            "answers/6.1/yes",
            Some(Value::Null),
            None,
        ),
        splice(
            1_764_000_100_000.0,
            "answers/6.1/explanation",
            4,
            "cũ",
            "mới",
        ),
    ];
    let text = serde_json::to_string(&entries).unwrap();
    assert!(
        text.contains(r#""at":"2025-11-24T16:00:00.000Z""#),
        "{text}"
    );
    assert!(
        !text.contains(r#""new":null"#),
        "absent stays absent: {text}"
    );
    assert!(text.contains(r#""old":null"#), "null stays null: {text}");
    assert!(
        text.contains(r#""pos":4,"removed":"cũ","inserted":"mới""#),
        "{text}"
    );
    let back: Vec<HistoryEntry> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, entries);
}

#[test]
fn malformed_entries_are_refused() {
    let bad = [
        r#"{"at":"hôm qua","who":"A","path":"/year","old":1,"new":2}"#,
        r#"{"at":"2025-11-24T16:00:00Z","who":"A","path":"","new":2}"#,
        r#"{"at":"2025-11-24T16:00:00Z","who":"A","path":"year","new":2}"#,
        r#"{"at":"2025-11-24T16:00:00Z","who":"A","path":"/a~2b","new":2}"#,
        r#"{"at":"2025-11-24T16:00:00Z","who":"A","path":["t"],"new":2}"#,
        r#"{"at":"2025-11-24T16:00:00Z","who":"A","path":"/t","pos":1,"removed":"a"}"#,
        r#"{"at":"2025-11-24T16:00:00Z","who":"A","path":"/t","new":1,"pos":1,"removed":"","inserted":"a"}"#,
        r#"{"at":"2025-11-24T16:00:00Z","who":"A","path":"/t","new":1,"extra":true}"#,
        r#"{"at":"2025-11-24T16:00:00Z","path":"/t","new":1}"#,
    ];
    for text in bad {
        assert!(
            serde_json::from_str::<HistoryEntry>(text).is_err(),
            "accepted: {text}"
        );
    }
}

#[test]
fn replay_rebuilds_every_old_and_new_value() {
    let long = "Danh sách trẻ em có hoàn cảnh đặc biệt được lập theo từng thôn".to_string();
    let doc = json!({
        "unit_category": "con-lai",
        "answers": {
            "6.1": {"numerator": 48, "explanation": format!("{long}, đã đối chiếu sổ.")}
        }
    });
    let history = vec![
        set(
            1.0,
            "A",
            "unit_category",
            Some(json!("mien-nui")),
            Some(json!("con-lai")),
        ),
        set(
            2.0,
            "A",
            "answers/6.1",
            None,
            Some(json!({"numerator": 45, "explanation": long})),
        ),
        set(
            3.0,
            "A",
            "answers/6.1/numerator",
            Some(json!(45)),
            Some(json!(48.0)),
        ),
        splice(
            4.0,
            "answers/6.1/explanation",
            long.chars().count(),
            "",
            ", đã đối chiếu sổ.",
        ),
    ];
    let shown = replay(&doc, &history).unwrap();
    assert_eq!(shown.len(), 4);
    assert_eq!(shown[0].old, Some(json!("mien-nui")));
    assert_eq!(shown[1].old, None, "the answer did not exist");
    assert_eq!(shown[1].item(), Some("6.1"));
    assert_eq!(shown[2].new, Some(json!(48)));
    assert_eq!(shown[3].old, Some(json!(long)));
    assert_eq!(
        shown[3].new,
        Some(json!(format!("{long}, đã đối chiếu sổ.")))
    );
}

#[test]
fn a_history_that_does_not_fit_is_still_shown_entry_by_entry() {
    use xa_phu_hop_tre_em::domain::history::shown;
    let doc = json!({"answers": {"1.1": {"explanation": "abc"}}});
    let history = vec![
        set(
            1.0,
            "A",
            "answers/1.1/yes",
            Some(json!(false)),
            Some(json!(true)),
        ),
        splice(2.0, "answers/1.1/explanation", 0, "x", "y"),
    ];
    let s = shown(&doc, &history);
    assert_eq!(s.len(), 2);
    assert_eq!(
        (s[0].old.clone(), s[0].new.clone()),
        (Some(json!(false)), Some(json!(true)))
    );
    assert_eq!(
        (s[1].old.clone(), s[1].new.clone()),
        (Some(json!("x")), Some(json!("y")))
    );
    // When it fits, the values are rebuilt whole.
    let fits = vec![splice(2.0, "answers/1.1/explanation", 1, "", "b")];
    assert_eq!(shown(&doc, &fits)[0].old, Some(json!("ac")));
}

#[test]
fn a_history_that_does_not_fit_its_record_is_found_out() {
    let doc = json!({"answers": {"1.1": {"yes": true, "explanation": "abc"}}});
    let wrong_new = vec![
        set(
            1.0,
            "A",
            "answers/1.1/yes",
            Some(json!(false)),
            Some(json!(true)),
        ),
        set(
            2.0,
            "A",
            "answers/1.1/yes",
            Some(json!(true)),
            Some(json!(false)),
        ),
    ];
    assert_eq!(
        replay(&doc, &wrong_new),
        Err(Mismatch {
            index: 1,
            path: "answers/1.1/yes".into()
        })
    );
    let wrong_splice = vec![splice(1.0, "answers/1.1/explanation", 1, "", "x")];
    assert!(replay(&doc, &wrong_splice).is_err());
    let beyond = vec![splice(1.0, "answers/1.1/explanation", 9, "", "")];
    assert!(replay(&doc, &beyond).is_err());
    let through_a_number = vec![set(1.0, "A", "answers/1.1/yes/x", None, None)];
    assert!(replay(&doc, &through_a_number).is_err());
    let message = replay(&doc, &wrong_new).unwrap_err().to_string();
    assert!(
        message.contains("thay đổi thứ 2 ở «answers/1.1/yes»"),
        "{message}"
    );
}

#[test]
fn paths_and_values_read_in_vietnamese() {
    assert_eq!(field_label_vi(&path("answers/6.1/numerator")), "tử số");
    assert_eq!(field_label_vi(&path("answers/6.1")), "câu trả lời");
    assert_eq!(
        field_label_vi(&path("items/6.1/status")),
        "ý kiến thẩm định"
    );
    assert_eq!(
        field_label_vi(&path("items/6.1/figures/manual_points")),
        "số liệu thẩm định (điểm)"
    );
    assert_eq!(
        field_label_vi(&path("reviewer/name")),
        "người thẩm định (họ tên)"
    );
    assert_eq!(
        field_label_vi(&path("recorded_max/2")),
        "điểm tối đa tiêu chí 2"
    );
    assert_eq!(field_label_vi(&path("x-rieng")), "x-rieng");
    assert_eq!(value_label_vi(None), "(trống)");
    assert_eq!(value_label_vi(Some(&json!(1250))), "1.250");
    assert_eq!(value_label_vi(Some(&json!(96.5))), "96,5");
    assert_eq!(value_label_vi(Some(&json!(true))), "Có");
    assert_eq!(
        value_label_vi(Some(&json!("needs_evidence"))),
        "Cần bổ sung"
    );
    assert_eq!(value_label_vi(Some(&json!("Sổ hộ tịch"))), "«Sổ hộ tịch»");
    assert_eq!(
        value_label_vi(Some(
            &json!({"numerator": 3, "denominator": 4, "source": ""})
        )),
        "mẫu số 4, tử số 3"
    );
    // Appraised figures: the answer No is a value, shown first and bare.
    let figures = |v: Value| value_label_vi(Some(&v));
    assert_eq!(
        figures(json!({"yes": false, "numerator": null, "count": null})),
        "Không"
    );
    assert_eq!(
        figures(json!({"count": 2, "yes": true, "numerator": 3})),
        "Có, số lượng 2, tử số 3"
    );
    assert_eq!(figures(json!({"yes": null, "checked": false})), "(trống)");
}

#[test]
fn paths_are_json_pointers() {
    let odd = vec!["answers".to_string(), "a/b~c".to_string(), String::new()];
    assert_eq!(pointer(&odd), "/answers/a~1b~0c/");
    assert_eq!(parse_pointer(&pointer(&odd)), Some(odd));
    assert_eq!(parse_pointer("/answers/6.1"), Some(path("answers/6.1")));
    assert_eq!(parse_pointer(""), None);
    assert_eq!(parse_pointer("answers"), None);
    assert_eq!(parse_pointer("/x~"), None);
}

#[test]
fn a_change_from_nothing_to_nothing_is_no_change() {
    let noop = |old: Option<Value>, new: Option<Value>| set(1.0, "A", "a/b", old, new).is_noop();
    assert!(noop(None, Some(Value::Null)));
    assert!(noop(Some(json!("")), None));
    assert!(noop(Some(json!(false)), Some(json!({}))));
    assert!(noop(Some(json!(3)), Some(json!(3))));
    assert!(!noop(Some(json!(false)), Some(json!(true))));
    assert!(!noop(None, Some(json!(0))), "0 is a figure");
    let same = splice(1.0, "t", 0, "a", "a");
    assert!(same.is_noop());
}

#[test]
fn files_are_written_like_serde_json_but_one_history_entry_per_line() {
    let value = json!({
        "format": "xa-phu-hop-tre-em/tu-danh-gia",
        "empty": {}, "none": [], "n": [1, 2.5, -0.0, 1e21], "s": "\"Hòa\"\n\t\u{1}",
        "assessments": [{"sha256": "ab", "assessment": {"answers": {"1.1": {"yes": true}}}}]
    });
    assert_eq!(
        xa_phu_hop_tre_em::domain::history::write_file_json(&value),
        serde_json::to_string_pretty(&value).unwrap()
    );
    let with_history = json!({"assessments": [{"history": [
        {"at": "2025-11-24T16:00:00.000Z", "who": "A", "path": "/year", "old": 2024, "new": 2025},
        {"at": "2025-11-24T16:00:01.000Z", "who": "A", "path": "/t", "pos": 0, "removed": "", "inserted": "x"}
    ], "sha256": "ab"}]});
    let text = xa_phu_hop_tre_em::domain::history::write_file_json(&with_history);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[4],
        r#"        {"at":"2025-11-24T16:00:00.000Z","new":2025,"old":2024,"path":"/year","who":"A"},"#
    );
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        with_history,
        "{text}"
    );
}

#[test]
fn each_change_reads_as_one_line() {
    use xa_phu_hop_tre_em::domain::history::{change_text_vi, Shown};
    let shown = |p: &str, old: Option<Value>, new: Option<Value>| Shown {
        at: 0.0,
        who: "A".into(),
        path: path(p),
        old,
        new,
    };
    assert_eq!(
        change_text_vi(&shown(
            "answers/6.1/numerator",
            Some(json!(45)),
            Some(json!(48))
        )),
        "tử số: 45 → 48"
    );
    assert_eq!(
        change_text_vi(&shown(
            "answers/6.1/source",
            None,
            Some(json!("Sổ hộ tịch"))
        )),
        "nguồn số liệu: (trống) → «Sổ hộ tịch»"
    );
    let long = "Danh sách trẻ em được lập theo từng thôn, có xác nhận của trưởng thôn. ".repeat(3);
    assert_eq!(
        change_text_vi(&shown(
            "answers/6.1/explanation",
            Some(json!(long)),
            Some(json!(format!("{long}Đính kèm danh sách.")))
        )),
        "thuyết minh: thêm «Đính kèm danh sách.»"
    );
    assert_eq!(
        change_text_vi(&shown(
            "answers/6.1/explanation",
            Some(json!(format!("{long}Thừa."))),
            Some(json!(long))
        )),
        "thuyết minh: bỏ «Thừa.»"
    );
    let replaced = change_text_vi(&shown(
        "answers/6.1/explanation",
        Some(json!(format!("Cũ {long}"))),
        Some(json!(format!("Mới {long}"))),
    ));
    assert_eq!(replaced, "thuyết minh: «Cũ» → «Mới»");
    let big = "x".repeat(500);
    let line = change_text_vi(&shown("answers/6.1/explanation", None, Some(json!(big))));
    assert!(line.ends_with("…»") && line.chars().count() < 120, "{line}");
}

// --- In the records of an exchange file ------------------------------------------------------

mod common;

use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::exchange::{
    export_file, import_file, jcs, EntryError, ExportEntry, ImportWarning,
};

/// A record of the test set whose history changed a.2's numerator from 17 to 19 and typed its
/// source.
fn exported_with_history() -> (String, Vec<HistoryEntry>) {
    let criteria = common::test_set();
    let mut a = common::full_marks(&criteria, "t800", 50.0);
    a.commune.code = "00070".into();
    a.commune.name = "Phường Hoàn Kiếm".into();
    a.answers.get_mut("a.2").unwrap().source = "Sổ theo dõi".into();
    let history = vec![
        set(
            1_750_000_000_000.0,
            "Lan",
            "answers/a.2/numerator",
            Some(json!(17)),
            Some(json!(19)),
        ),
        set(
            1_750_000_060_000.0,
            "Lan",
            "answers/a.2/source",
            Some(json!("")),
            Some(json!("Sổ theo dõi")),
        ),
    ];
    let text = export_file(
        &[ExportEntry {
            assessment: &a,
            revision: 2,
            score: None,
            backup: false,
            history: &history,
        }],
        1_750_000_100_000.0,
    );
    (text, history)
}

fn registry() -> CriteriaRegistry {
    CriteriaRegistry::from_sets([common::test_set()])
}

fn resign(text: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    let r = &mut v["assessments"][0];
    f(r);
    let mut unsigned = r.clone();
    unsigned.as_object_mut().unwrap().remove("sha256");
    r["sha256"] = jcs::digest(&jcs::canonical(&unsigned)).into();
    serde_json::to_string(&v).unwrap()
}

#[test]
fn a_record_carries_its_history_one_entry_per_line_under_its_checksum() {
    let (text, history) = exported_with_history();
    assert!(
        text.lines().any(|l| l.trim_start().starts_with(r#"{"at":"2025-06-15T15:06:40.000Z","who":"Lan","path":"/answers/a.2/numerator","old":17,"new":19}"#)),
        "{text}"
    );
    let file = import_file(text.as_bytes(), &registry()).unwrap();
    let got = file.records[0].as_ref().unwrap();
    assert_eq!(got.history, history);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    assert!(got.original.canonical.contains(r#""history":[{"at":"#));
    // Edited without signing again: refused.
    let tampered = text.replace(r#""who":"Lan""#, r#""who":"Ai""#);
    let file = import_file(tampered.as_bytes(), &registry()).unwrap();
    assert!(matches!(
        file.records[0].as_ref().unwrap_err().error,
        EntryError::ChecksumMismatch { .. }
    ));
}

#[test]
fn a_history_that_does_not_lead_to_the_answers_is_kept_and_noted() {
    let (text, history) = exported_with_history();
    let wrong = resign(&text, |r| r["history"][0]["new"] = json!(18));
    let file = import_file(wrong.as_bytes(), &registry()).unwrap();
    let got = file.records[0].as_ref().unwrap();
    assert_eq!(got.history.len(), history.len());
    assert!(
        matches!(&got.warnings[..], [ImportWarning::HistoryDoesNotFit(m)] if m.index == 0),
        "{:?}",
        got.warnings
    );
    let m = got.warnings[0].to_string();
    assert!(
        m.contains("thay đổi thứ 1 ở «answers/a.2/numerator»"),
        "{m}"
    );
}

#[test]
fn a_malformed_history_entry_refuses_its_record_naming_the_member() {
    let (text, _) = exported_with_history();
    let bad = resign(&text, |r| r["history"][1]["path"] = json!("answers/a.2"));
    let file = import_file(bad.as_bytes(), &registry()).unwrap();
    let refused = file.records[0].as_ref().unwrap_err();
    let m = refused.to_string();
    assert!(matches!(refused.error, EntryError::Structure(_)), "{m}");
    assert!(m.contains("history"), "{m}");
}
