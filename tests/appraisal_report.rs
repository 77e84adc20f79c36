//! The "Biên bản thẩm định", the province's list by unit category, and the dashboard's marks.

mod common;

use common::*;
use xa_phu_hop_tre_em::domain::aggregate::DashboardRow;
use xa_phu_hop_tre_em::domain::appraisal::{
    Appraisal, Figures, Outcome, ReviewStatus, ReviewedRecord, Reviewer,
};
use xa_phu_hop_tre_em::domain::appraisal_report::{
    describe_figures, minutes, newer_record, province_list, AppraisalFilter, AppraisalMark,
    AppraisalState, StatusCounts,
};
use xa_phu_hop_tre_em::domain::assessment::Assessment;
use xa_phu_hop_tre_em::domain::criteria::{BelowBands, Rule, ZeroDenominator};
use xa_phu_hop_tre_em::domain::exchange::VerdictCode;
use xa_phu_hop_tre_em::domain::scoring::{score, Verdict};

fn appraisal(a: Assessment, sha: &str) -> Appraisal {
    Appraisal::new(
        "t".into(),
        ReviewedRecord {
            sha256: sha.into(),
            revision: 3,
            assessment: a,
        },
        Reviewer {
            name: "Trần Văn Bình".into(),
            position: "Phó Giám đốc".into(),
            organization: "Sở Y tế tỉnh Thử".into(),
        },
        0.0,
    )
}

/// Every item agreed but a.2 (not agreed, 17/20) and c.1 (needs evidence); closed.
fn returned(a: Assessment, sha: &str) -> Appraisal {
    let set = test_set();
    let mut ap = appraisal(a, sha);
    for item in set.criteria.iter().flat_map(|c| &c.items) {
        ap.set_status(&item.id, Some(ReviewStatus::Agreed));
    }
    ap.set_status("a.2", Some(ReviewStatus::NotAgreed));
    ap.set_figures(
        "a.2",
        Some(Figures {
            numerator: Some(17.0),
            denominator: Some(20.0),
            ..Figures::default()
        }),
    );
    ap.set_comment("a.2", "Sổ theo dõi chỉ có 17 trẻ".into());
    ap.set_status("c.1", Some(ReviewStatus::NeedsEvidence));
    ap.set_comment("c.1", "Bổ sung phiếu khảo sát".into());
    ap.conclusion = "Đề nghị xã bổ sung hồ sơ mục c.1.".into();
    ap.date = Some("2025-12-01".into());
    ap
}

#[test]
fn the_minutes_hold_both_scores_statuses_comments_and_signatures() {
    let set = test_set();
    let mut a = full_marks(&set, "t800", 450.0);
    a.assessor.name = "Nguyễn Thị Lan".into();
    let m = minutes(&set, &returned(a, &"c".repeat(64)));
    assert_eq!((m.self_total, m.appraised_total), (800, 760));
    assert_eq!(m.self_verdict, Verdict::Pass);
    assert_eq!(m.appraised_verdict, Verdict::Fail);
    assert!(
        m.appraised_reasons
            .iter()
            .any(|r| r.contains("Còn thiếu 40 điểm")),
        "{:?}",
        m.appraised_reasons
    );
    assert_eq!(m.outcome, Outcome::Returned);
    assert_eq!(
        m.counts,
        StatusCounts {
            agreed: 6,
            needs_evidence: 1,
            not_agreed: 1,
            undecided: 0
        }
    );
    let a2 = &m.criteria[0].items[1];
    assert_eq!(
        (a2.self_figures.as_str(), a2.appraised_figures.as_str()),
        ("19/20", "17/20")
    );
    assert_eq!(
        (a2.self_points, a2.appraised_points, a2.max),
        (60, 20, Some(60))
    );
    assert_eq!(a2.status, "Không đồng ý");
    assert_eq!(a2.comment, "Sổ theo dõi chỉ có 17 trẻ");
    assert_eq!(
        (m.criteria[0].self_points, m.criteria[0].appraised_points),
        (100, 60)
    );
    assert_eq!(
        m.criteria[0].items[0].appraised_figures, "",
        "agreed: figures kept"
    );
    assert_eq!(
        m.to_supplement,
        [(
            "Mục c.1 Mục thử c.1".to_string(),
            "Bổ sung phiếu khảo sát".to_string()
        )]
    );
    assert_eq!(m.date, "01/12/2025");
    assert_eq!(m.reviewer_name, "Trần Văn Bình");
    assert_eq!(m.assessor_name, "Nguyễn Thị Lan");
    assert_eq!(m.record_ref, "cccccccccccc");
    assert_eq!(m.unit_category, "Loại t800");
    assert_eq!(m.threshold, Some(800));
}

#[test]
fn figures_are_described_in_the_words_of_their_rule() {
    let f = |yes, n, d, c, p| Figures {
        yes,
        numerator: n,
        denominator: d,
        count: c,
        manual_points: p,
    };
    let yes_no = Rule::YesNo { points: 10 };
    let manual = Rule::Manual { max: None };
    let counted = count(&[(2.0, 20)], BelowBands::ZeroPoints);
    let ratio = rate(&[(95.0, 50)], BelowBands::Manual, ZeroDenominator::Manual);
    assert_eq!(
        describe_figures(&yes_no, &f(Some(true), None, None, None, None)),
        "Có"
    );
    assert_eq!(describe_figures(&yes_no, &Figures::default()), "chưa nhập");
    assert_eq!(
        describe_figures(&manual, &f(None, None, None, None, Some(15.0))),
        "15 điểm"
    );
    assert_eq!(
        describe_figures(&counted, &f(None, None, None, Some(1250.0), None)),
        "1.250"
    );
    assert_eq!(
        describe_figures(&ratio, &f(None, Some(9.0), None, None, Some(20.0))),
        "9/?; 20 điểm"
    );
}

fn row(code: &str, name: &str, category: &str, threshold: Option<u32>, total: u32) -> DashboardRow {
    let set = test_set();
    let mut a = full_marks(&set, "t800", 50.0);
    a.commune.code = code.into();
    a.commune.name = name.into();
    let s = score(&set, &a);
    let mut r = DashboardRow::new(&a, &s, Some(&set), 1, "tep.json", 0.0);
    r.unit_category_label = category.into();
    r.threshold = threshold;
    r.total = total;
    r
}

#[test]
fn marks_say_where_each_commune_stands() {
    let set = test_set();
    let a = full_marks(&set, "t800", 450.0);
    let closed = AppraisalMark::of(&returned(a.clone(), "aa"), &set);
    assert_eq!(closed.outcome, Outcome::Returned);
    assert_eq!((closed.appraised_total, closed.to_supplement), (760, 1));
    assert_eq!(closed.appraised_verdict, VerdictCode::Fail);
    let open = AppraisalMark::of(&appraisal(a, "bb"), &set);
    assert_eq!(AppraisalState::of(None), AppraisalState::NotAppraised);
    assert_eq!(AppraisalState::of(Some(&open)), AppraisalState::InProgress);
    assert_eq!(AppraisalState::of(Some(&closed)), AppraisalState::Returned);
    for s in AppraisalState::ALL {
        assert_eq!(AppraisalState::from_code(s.code()), Some(s));
    }
    // The commune answered: its new record has another checksum.
    assert!(newer_record(Some("AB"), Some(&open)));
    assert!(!newer_record(Some("BB"), Some(&open)));
    assert!(!newer_record(None, Some(&open)));
    assert!(!newer_record(Some("ab"), None));
    let f = AppraisalFilter::State(AppraisalState::Returned);
    assert!(f.matches(Some("aa"), Some(&closed)));
    assert!(!f.matches(Some("aa"), None));
    assert!(AppraisalFilter::NewerRecord.matches(Some("cc"), Some(&closed)));
    assert!(AppraisalFilter::Any.matches(None, None));
    let text = serde_json::to_string(&closed).unwrap();
    assert_eq!(
        serde_json::from_str::<AppraisalMark>(&text).unwrap(),
        closed
    );
}

#[test]
fn the_province_list_groups_by_unit_category() {
    let set = test_set();
    let rows = vec![
        row("00003", "Xã Đông", "Xã còn lại", Some(850), 700),
        row("00001", "Phường An", "Phường", Some(900), 950),
        row("00002", "Xã Bắc", "Xã còn lại", Some(850), 900),
        row("00004", "Xã Lạ", "lạ", None, 10),
    ];
    let mut passing = appraisal(full_marks(&set, "t800", 450.0), "p");
    for item in set.criteria.iter().flat_map(|c| &c.items) {
        passing.set_status(&item.id, Some(ReviewStatus::Agreed));
    }
    passing.conclusion = "Đạt.".into();
    passing.date = Some("2025-12-02".into());
    let marks = [
        ("00002", AppraisalMark::of(&passing, &set)),
        (
            "00003",
            AppraisalMark::of(&appraisal(full_marks(&set, "t800", 0.0), "q"), &set),
        ),
    ];
    let groups = province_list(
        &rows,
        |r| {
            marks
                .iter()
                .find(|(c, _)| *c == r.commune_code)
                .map(|(_, m)| m)
        },
        |_| Some("q"),
    );
    let names: Vec<&str> = groups.iter().map(|g| g.unit_category.as_str()).collect();
    assert_eq!(
        names,
        ["Phường", "Xã còn lại", "lạ"],
        "highest threshold first"
    );
    let others = &groups[1];
    let communes: Vec<&str> = others
        .rows
        .iter()
        .map(|r| r.commune_name.as_str())
        .collect();
    assert_eq!(communes, ["Xã Bắc", "Xã Đông"], "Đ sorts with D");
    assert_eq!(others.rows[0].state, AppraisalState::Appraised);
    assert_eq!(others.rows[0].appraised_total, Some(800));
    assert_eq!(others.rows[0].appraised_verdict, Some(VerdictCode::Pass));
    assert!(others.rows[0].newer_record, "row checksum q ≠ appraised p");
    assert_eq!(others.rows[1].state, AppraisalState::InProgress);
    assert_eq!(
        others.rows[1].appraised_total, None,
        "not shown before closing"
    );
    assert_eq!(others.passing, 1);
    assert_eq!(groups[0].rows[0].state, AppraisalState::NotAppraised);
    assert_eq!(groups[0].rows[0].self_total, 950);
}

#[test]
fn the_csv_gains_the_appraisal_columns() {
    use std::collections::HashMap;
    use xa_phu_hop_tre_em::domain::appraisal_report::AppraisalColumns;
    use xa_phu_hop_tre_em::domain::csv::{results_csv, results_csv_with, Delimiter};
    let set = test_set();
    let mut rows = vec![
        row("00001", "Phường An", "Phường", Some(900), 950),
        row("00002", "Xã Bắc", "Xã còn lại", Some(850), 800),
    ];
    rows[0].sha256 = "aa".into();
    rows[1].sha256 = "bb".into();
    let marks: HashMap<String, AppraisalMark> = [(
        rows[1].key(),
        AppraisalMark::of(&returned(full_marks(&set, "t800", 450.0), "aa"), &set),
    )]
    .into_iter()
    .collect();
    let csv = results_csv_with(&rows, Delimiter::Comma, &AppraisalColumns(&marks));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        lines[0].ends_with(
            "Kết quả,Thẩm định,Điểm thẩm định,Kết quả thẩm định,Số mục cần bổ sung,Bản mới sau thẩm định"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[1].ends_with(",Chưa thẩm định,,,,"), "{}", lines[1]);
    assert!(
        lines[2].ends_with(",Trả lại để bổ sung,760,Chưa đạt,1,Có"),
        "{}",
        lines[2]
    );
    // Without extra columns, the table is as before.
    assert_eq!(
        results_csv(&rows, Delimiter::Comma),
        results_csv_with(&rows, Delimiter::Comma, &())
    );
}

#[test]
fn dates_are_typed_day_first() {
    use xa_phu_hop_tre_em::domain::appraisal_report::{parse_vi_date, vi_date};
    assert_eq!(parse_vi_date("01/12/2025").as_deref(), Some("2025-12-01"));
    assert_eq!(parse_vi_date(" 1/2/2026 ").as_deref(), Some("2026-02-01"));
    assert_eq!(parse_vi_date("29-02-2024").as_deref(), Some("2024-02-29"));
    for bad in [
        "",
        "30/02/2025",
        "2025-12-01",
        "1/13/2025",
        "01/12/25",
        "a/b/c",
        "1/1/2025/1",
    ] {
        assert_eq!(parse_vi_date(bad), None, "{bad}");
    }
    assert_eq!(vi_date(&parse_vi_date("5/6/2025").unwrap()), "05/06/2025");
}
