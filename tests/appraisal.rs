//! Appraisal: scoring from the appraised figures by the same engine, where a round stands, the
//! binding to the reviewed record, and what the commune changed in answer.

mod common;

use common::*;
use xa_phu_hop_tre_em::domain::appraisal::{
    binding, reply, AnswerField, Appraisal, Binding, Figures, InfoField, Missing, Outcome,
    ReviewStatus, ReviewedRecord, Reviewer,
};
use xa_phu_hop_tre_em::domain::assessment::Assessment;
use xa_phu_hop_tre_em::domain::scoring::{score, Verdict};

const SHA: &str = "5f1c0d7e9b3a2f4c6d8e0a1b3c5d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f801";

fn record(a: Assessment) -> ReviewedRecord {
    ReviewedRecord {
        sha256: SHA.to_string(),
        revision: 7,
        assessment: a,
    }
}

fn reviewer() -> Reviewer {
    Reviewer {
        name: "Trần Văn Bình".into(),
        position: "Chuyên viên".into(),
        organization: "Sở Y tế".into(),
    }
}

/// Full marks on the test set (total 400, threshold 850 not reached: verdict Fail).
fn appraisal_of(a: Assessment) -> Appraisal {
    Appraisal::new("t-1".into(), record(a), reviewer(), 1000.0)
}

fn agree_all(ap: &mut Appraisal) {
    let set = test_set();
    for item in set.criteria.iter().flat_map(|c| &c.items) {
        ap.set_status(&item.id, Some(ReviewStatus::Agreed));
    }
}

fn close(ap: &mut Appraisal) {
    ap.conclusion = "Hồ sơ đầy đủ.".into();
    ap.date = Some("2025-12-01".into());
}

#[test]
fn without_a_difference_the_appraised_score_is_the_self_score() {
    let set = test_set();
    let a = full_marks(&set, "t800", 50.0);
    let ap = appraisal_of(a.clone());
    let r = ap.evaluate(&set);
    assert_eq!(r.self_score, score(&set, &a));
    assert_eq!(r.appraised_score, r.self_score);
    assert_eq!(r.items.len(), 8, "every item of the set, in set order");
    assert_eq!(r.items[0].item_id, "a.1");
    assert_eq!(r.items[7].item_id, "e.1");
    assert!(r
        .items
        .iter()
        .all(|i| i.status.is_none() && !i.figures_differ));
}

#[test]
fn settled_figures_are_scored_by_the_engine() {
    let set = test_set();
    // 350 + 450 = 800: passes the 800 threshold.
    let a = full_marks(&set, "t800", 450.0);
    assert_eq!(score(&set, &a).verdict, Verdict::Pass);
    let mut ap = appraisal_of(a);
    ap.set_status("a.2", Some(ReviewStatus::NotAgreed));
    // 17/20 = 85%: the 80% band, 20 points instead of 60.
    ap.set_figures(
        "a.2",
        Some(Figures {
            numerator: Some(17.0),
            denominator: Some(20.0),
            ..Figures::default()
        }),
    );
    ap.set_status("e.1", Some(ReviewStatus::NeedsEvidence));
    ap.set_figures(
        "e.1",
        Some(Figures {
            manual_points: Some(30.0),
            ..Figures::default()
        }),
    );
    let r = ap.evaluate(&set);
    assert_eq!(r.self_score.total, 800);
    assert_eq!(r.appraised_score.total, 800 - 40 - 20);
    assert_eq!(
        r.appraised_verdict(),
        Verdict::Fail,
        "below 800 once appraised"
    );
    let a2 = r.items.iter().find(|i| i.item_id == "a.2").unwrap();
    assert_eq!((a2.self_points, a2.appraised_points), (60, 20));
    assert!(a2.figures_differ);
    assert_eq!(
        r.to_supplement()
            .map(|i| i.item_id.as_str())
            .collect::<Vec<_>>(),
        ["e.1"]
    );
    // The commune's record is untouched: the appraised figures live in the appraisal.
    assert_eq!(ap.reviewed.assessment.answers["a.2"].numerator, Some(19.0));
    assert_eq!(
        ap.appraised_assessment().answers["a.2"].numerator,
        Some(17.0)
    );
}

#[test]
fn invalid_appraised_figures_are_reported_not_scored() {
    let set = test_set();
    let mut ap = appraisal_of(full_marks(&set, "t800", 450.0));
    ap.set_status("a.2", Some(ReviewStatus::NotAgreed));
    ap.set_figures(
        "a.2",
        Some(Figures {
            numerator: Some(30.0),
            denominator: Some(20.0),
            ..Figures::default()
        }),
    );
    let r = ap.evaluate(&set);
    assert_eq!(r.appraised_verdict(), Verdict::Incomplete);
    assert_eq!(r.items[1].appraised_points, 0);
}

#[test]
fn agreeing_drops_settled_figures_and_equal_figures_are_no_difference() {
    let set = test_set();
    let mut ap = appraisal_of(full_marks(&set, "t800", 50.0));
    let other = Figures {
        yes: Some(false),
        ..Figures::default()
    };
    ap.set_status("a.1", Some(ReviewStatus::NotAgreed));
    ap.set_figures("a.1", Some(other.clone()));
    assert_eq!(ap.evaluate(&set).appraised_score.total, 400 - 40);
    ap.set_status("a.1", Some(ReviewStatus::Agreed));
    assert_eq!(ap.items["a.1"].figures, None);
    assert_eq!(ap.evaluate(&set).appraised_score.total, 400);
    // The commune's own figures typed again are not a difference.
    ap.set_status("a.1", Some(ReviewStatus::NotAgreed));
    ap.set_figures("a.1", Some(ap.self_figures("a.1")));
    assert_eq!(ap.items["a.1"].figures, None);
    // Clearing everything leaves no trace of the item.
    ap.set_status("a.1", None);
    assert!(!ap.items.contains_key("a.1"));
    ap.set_comment("a.1", "Xem lại".into());
    ap.set_comment("a.1", String::new());
    assert!(ap.items.is_empty());
}

#[test]
fn a_round_is_in_progress_until_every_item_is_decided_and_signed() {
    let set = test_set();
    let mut ap = appraisal_of(full_marks(&set, "t800", 50.0));
    ap.reviewer.name = "  ".into();
    let r = ap.evaluate(&set);
    assert_eq!(r.outcome, Outcome::InProgress);
    assert_eq!(
        r.missing,
        vec![
            Missing::Undecided(
                ["a.1", "a.2", "b.1", "b.2", "c.1", "c.2", "d.1", "e.1"]
                    .map(String::from)
                    .to_vec()
            ),
            Missing::Conclusion,
            Missing::ReviewerName,
            Missing::Date,
        ]
    );
    assert!(r.missing[0]
        .message_vi()
        .starts_with("Còn 8 mục chưa có ý kiến"));
    ap.reviewer = reviewer();
    agree_all(&mut ap);
    close(&mut ap);
    assert_eq!(ap.evaluate(&set).outcome, Outcome::Appraised);
    ap.set_status("b.2", Some(ReviewStatus::NotAgreed));
    let r = ap.evaluate(&set);
    assert_eq!(r.outcome, Outcome::InProgress);
    assert_eq!(
        r.missing,
        vec![Missing::NotAgreedWithoutFigures(vec!["b.2".into()])]
    );
    ap.set_figures(
        "b.2",
        Some(Figures {
            count: Some(2.0),
            ..Figures::default()
        }),
    );
    assert_eq!(ap.evaluate(&set).outcome, Outcome::Appraised);
    ap.set_status("c.1", Some(ReviewStatus::NeedsEvidence));
    assert_eq!(ap.evaluate(&set).outcome, Outcome::Returned);
}

#[test]
fn an_appraisal_of_an_item_the_set_does_not_know_changes_nothing() {
    let set = test_set();
    let mut ap = appraisal_of(full_marks(&set, "t800", 50.0));
    ap.set_status("z.9", Some(ReviewStatus::NotAgreed));
    ap.set_figures(
        "z.9",
        Some(Figures {
            manual_points: Some(1000.0),
            ..Figures::default()
        }),
    );
    let r = ap.evaluate(&set);
    assert_eq!(r.appraised_score.total, 400);
    assert!(r.items.iter().all(|i| i.item_id != "z.9"));
}

#[test]
fn the_binding_is_the_checksum_then_the_content() {
    let set = test_set();
    let a = full_marks(&set, "t800", 50.0);
    let ap = appraisal_of(a.clone());
    assert_eq!(binding(&ap, &set, Some(SHA), &a), Binding::Current);
    assert_eq!(
        binding(&ap, &set, Some(&SHA.to_uppercase()), &a),
        Binding::Current,
        "hex case does not matter"
    );
    // Saved again without a change: another checksum, the same content.
    let mut resaved = a.clone();
    resaved.updated_at += 5000.0;
    assert_eq!(binding(&ap, &set, Some("00"), &resaved), Binding::Current);
    // Changed since.
    let mut later = a.clone();
    later.answers.get_mut("c.1").unwrap().explanation = "Bổ sung biên bản khảo sát".into();
    later.answers.get_mut("b.2").unwrap().count = Some(5.0);
    later.unit_category = "t850".into();
    let Binding::Earlier(changes) = binding(&ap, &set, Some("00"), &later) else {
        panic!("a changed record is a later version");
    };
    let ids: Vec<&str> = changes.items.iter().map(|c| c.item_id.as_str()).collect();
    assert_eq!(ids, ["b.2", "c.1"], "set order");
    assert_eq!(changes.items[0].fields, [AnswerField::Count]);
    assert_eq!(changes.items[1].fields, [AnswerField::Explanation]);
    assert_eq!(changes.info, [InfoField::UnitCategory]);
    // Even the same checksum cannot make a record of another commune current: the UI pairs
    // them by commune and year first.
    assert!(xa_phu_hop_tre_em::domain::appraisal::concerns(&ap, &later));
    let mut elsewhere = a;
    elsewhere.year = 2026;
    assert!(!xa_phu_hop_tre_em::domain::appraisal::concerns(
        &ap, &elsewhere
    ));
}

#[test]
fn the_province_sees_which_flagged_items_the_commune_changed() {
    let set = test_set();
    let a = full_marks(&set, "t800", 50.0);
    let mut ap = appraisal_of(a.clone());
    ap.set_status("a.2", Some(ReviewStatus::NeedsEvidence));
    ap.set_status("c.1", Some(ReviewStatus::NeedsEvidence));
    ap.set_status("d.1", Some(ReviewStatus::NotAgreed));
    ap.set_figures(
        "d.1",
        Some(Figures {
            manual_points: Some(20.0),
            ..Figures::default()
        }),
    );
    ap.set_status("b.1", Some(ReviewStatus::Agreed));
    let mut later = a;
    later.answers.get_mut("a.2").unwrap().source = "Sổ theo dõi trẻ em 2025".into();
    later.answers.get_mut("a.2").unwrap().explanation = "Đính kèm danh sách".into();
    later.answers.get_mut("b.1").unwrap().numerator = Some(2.0);
    let r = reply(&ap, &set, &later);
    let flagged: Vec<(&str, ReviewStatus, bool)> = r
        .flagged
        .iter()
        .map(|(id, s, c)| (id.as_str(), *s, c.is_some()))
        .collect();
    assert_eq!(
        flagged,
        [
            ("a.2", ReviewStatus::NeedsEvidence, true),
            ("c.1", ReviewStatus::NeedsEvidence, false),
            ("d.1", ReviewStatus::NotAgreed, false),
        ]
    );
    assert_eq!(
        r.flagged[0].2.as_ref().unwrap().fields,
        [AnswerField::Source, AnswerField::Explanation]
    );
    assert_eq!(r.answered(), 1);
    assert_eq!(r.unflagged.len(), 1);
    assert_eq!(r.unflagged[0].item_id, "b.1");
}

#[test]
fn the_next_round_reopens_what_the_commune_changed_and_keeps_the_rest() {
    let set = test_set();
    let a = full_marks(&set, "t800", 50.0);
    let mut ap = appraisal_of(a.clone());
    agree_all(&mut ap);
    ap.set_status("a.2", Some(ReviewStatus::NeedsEvidence));
    ap.set_comment("a.2", "Thiếu danh sách trẻ em được trợ giúp".into());
    ap.set_status("c.1", Some(ReviewStatus::NeedsEvidence));
    ap.set_status("d.1", Some(ReviewStatus::NotAgreed));
    ap.set_figures(
        "d.1",
        Some(Figures {
            manual_points: Some(20.0),
            ..Figures::default()
        }),
    );
    close(&mut ap);
    assert_eq!(ap.evaluate(&set).outcome, Outcome::Returned);

    let mut later = a;
    later.answers.get_mut("a.2").unwrap().explanation = "Đã bổ sung danh sách".into();
    later.answers.get_mut("b.2").unwrap().checked = true;
    let next = ap.next_round(
        &set,
        ReviewedRecord {
            sha256: "ab".repeat(32),
            revision: 9,
            assessment: later,
        },
        2000.0,
    );
    assert_eq!(next.round, 2);
    assert_eq!(next.date, None, "a new round is open");
    assert_eq!(next.conclusion, "Hồ sơ đầy đủ.", "kept as a draft");
    // Changed: decided again, the question still there.
    assert_eq!(next.items["a.2"].status, None);
    assert_eq!(
        next.items["a.2"].comment,
        "Thiếu danh sách trẻ em được trợ giúp"
    );
    // Not changed: as decided.
    assert_eq!(next.items["c.1"].status, Some(ReviewStatus::NeedsEvidence));
    assert_eq!(
        next.items["d.1"].figures.as_ref().unwrap().manual_points,
        Some(20.0)
    );
    // Only ticked "đã kiểm tra": not reopened.
    assert_eq!(next.items["b.2"].status, Some(ReviewStatus::Agreed));
    let earlier = &next.earlier_rounds[0];
    assert_eq!(
        (earlier.round, earlier.outcome, earlier.sha256.as_str()),
        (1, Outcome::Returned, SHA)
    );
    assert_eq!(earlier.to_supplement, ["a.2", "c.1"]);
    assert_eq!(earlier.appraised_total, 400 - 50 + 20);
    assert_eq!(earlier.date.as_deref(), Some("2025-12-01"));
}

#[test]
fn an_appraisal_reads_back_what_it_wrote() {
    let set = test_set();
    let mut ap = appraisal_of(full_marks(&set, "t800", 50.0));
    ap.set_status("a.2", Some(ReviewStatus::NotAgreed));
    ap.set_figures(
        "a.2",
        Some(Figures {
            numerator: Some(1.0),
            denominator: Some(2.0),
            ..Figures::default()
        }),
    );
    ap.set_comment("a.2", "Số liệu \"không khớp\" sổ sách\nxem lại".into());
    close(&mut ap);
    let text = serde_json::to_string(&ap).unwrap();
    assert_eq!(serde_json::from_str::<Appraisal>(&text).unwrap(), ap);
}

#[test]
fn a_later_round_or_a_later_save_supersedes() {
    let set = test_set();
    let first = appraisal_of(full_marks(&set, "t800", 50.0));
    let mut saved_later = first.clone();
    saved_later.updated_at += 1.0;
    assert!(saved_later.supersedes(&first));
    assert!(!first.supersedes(&saved_later));
    assert!(
        !first.supersedes(&first),
        "the same appraisal twice changes nothing"
    );
    let mut next = first.clone();
    next.round = 2;
    next.updated_at = 0.0;
    assert!(
        next.supersedes(&saved_later),
        "the round counts before the time"
    );
}
