//! What changed between two versions of a criteria set, in Vietnamese, for a province to read,
//! print and publish as the change log of a new version: names, points, bands, thresholds and
//! provenance, criterion by criterion and item by item (matched by id).

use crate::domain::criteria::{
    BelowBands, CriteriaSet, Criterion, Item, Provenance, Rule, UnitCategory, ZeroDenominator,
};
use crate::domain::numbers::format_number;

/// One difference: what it is about, and the value before and after ("—" when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub subject: String,
    pub before: String,
    pub after: String,
}

/// The changes of one part of the set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub changes: Vec<Change>,
}

/// Every difference, by part: the set, the unit categories and thresholds, then each criterion
/// (added, removed or changed) with its items. Parts without change are left out.
pub fn compare_sets(old: &CriteriaSet, new: &CriteriaSet) -> Vec<Section> {
    let mut sections = vec![
        Section {
            title: "Thông tin chung".into(),
            changes: general_changes(old, new),
        },
        Section {
            title: "Loại đơn vị và ngưỡng đạt".into(),
            changes: unit_changes(&old.unit_categories, &new.unit_categories),
        },
    ];
    for criterion in &new.criteria {
        let title = format!("Tiêu chí {}. {}", criterion.id, criterion.name);
        let changes = match old.criteria.iter().find(|c| c.id == criterion.id) {
            Some(before) => criterion_changes(before, criterion),
            None => vec![Change {
                subject: "Tiêu chí".into(),
                before: ABSENT.into(),
                after: format!("thêm mới: {}", describe_criterion(criterion)),
            }],
        };
        sections.push(Section { title, changes });
    }
    for criterion in &old.criteria {
        if !new.criteria.iter().any(|c| c.id == criterion.id) {
            sections.push(Section {
                title: format!("Tiêu chí {}. {}", criterion.id, criterion.name),
                changes: vec![Change {
                    subject: "Tiêu chí".into(),
                    before: describe_criterion(criterion),
                    after: "bỏ".into(),
                }],
            });
        }
    }
    sections.retain(|s| !s.changes.is_empty());
    sections
}

/// Shown for a value that is not there.
const ABSENT: &str = "—";

fn push_if_changed(out: &mut Vec<Change>, subject: &str, before: String, after: String) {
    if before != after {
        out.push(Change {
            subject: subject.into(),
            before,
            after,
        });
    }
}

fn optional(value: Option<&str>) -> String {
    value
        .filter(|v| !v.trim().is_empty())
        .map_or_else(|| ABSENT.to_string(), str::to_string)
}

fn points_or_unknown(points: Option<u32>) -> String {
    points.map_or_else(|| "chưa rõ".to_string(), |p| format!("{p} điểm"))
}

fn general_changes(old: &CriteriaSet, new: &CriteriaSet) -> Vec<Change> {
    let mut out = Vec::new();
    let mut text = |subject: &str, before: &str, after: &str| {
        push_if_changed(&mut out, subject, before.to_string(), after.to_string())
    };
    text("Mã bộ tiêu chí", &old.id, &new.id);
    text("Phiên bản", &old.version, &new.version);
    text("Tiêu đề", &old.title, &new.title);
    let (a, b) = (&old.legal_basis, &new.legal_basis);
    text("Số văn bản", &a.number, &b.number);
    text("Ngày ký", &a.date, &b.date);
    text("Cơ quan ban hành", &a.issuer, &b.issuer);
    text("Trích yếu", &a.title, &b.title);
    let yes_no = |on: bool| if on { "có" } else { "không" };
    let rule = (
        yes_no(old.pass_rule.all_criteria_required),
        yes_no(new.pass_rule.all_criteria_required),
    );
    text("Phải đánh giá đủ mọi tiêu chí", rule.0, rule.1);
    let rule = (
        yes_no(old.pass_rule.no_zero_criterion),
        yes_no(new.pass_rule.no_zero_criterion),
    );
    text("Không tiêu chí nào được 0 điểm", rule.0, rule.1);
    push_if_changed(
        &mut out,
        "Ngày bắt đầu áp dụng",
        optional(old.valid_from.as_deref()),
        optional(new.valid_from.as_deref()),
    );
    push_if_changed(
        &mut out,
        "Ngày hết hiệu lực",
        optional(old.valid_to.as_deref()),
        optional(new.valid_to.as_deref()),
    );
    push_if_changed(
        &mut out,
        "Tổng điểm tối đa",
        points_or_unknown(old.total_max),
        points_or_unknown(new.total_max),
    );
    push_if_changed(&mut out, "Ghi chú", lines(&old.notes), lines(&new.notes));
    push_if_changed(
        &mut out,
        "Số ví dụ kiểm tra",
        old.examples.len().to_string(),
        new.examples.len().to_string(),
    );
    out
}

fn lines(list: &[String]) -> String {
    if list.is_empty() {
        ABSENT.into()
    } else {
        list.join("\n")
    }
}

fn describe_unit(u: &UnitCategory) -> String {
    format!(
        "{} («{}»): ngưỡng {} điểm",
        u.label, u.official_wording, u.min_total
    )
}

fn unit_changes(old: &[UnitCategory], new: &[UnitCategory]) -> Vec<Change> {
    let mut out = Vec::new();
    for unit in new {
        let subject = format!("Loại đơn vị «{}»", unit.id);
        let before = old
            .iter()
            .find(|u| u.id == unit.id)
            .map_or_else(|| ABSENT.to_string(), describe_unit);
        push_if_changed(&mut out, &subject, before, describe_unit(unit));
    }
    for unit in old {
        if !new.iter().any(|u| u.id == unit.id) {
            out.push(Change {
                subject: format!("Loại đơn vị «{}»", unit.id),
                before: describe_unit(unit),
                after: "bỏ".into(),
            });
        }
    }
    out
}

fn describe_criterion(c: &Criterion) -> String {
    format!(
        "{}; điểm tối đa: {}; {} mục",
        c.name,
        points_or_unknown(c.max_points),
        c.items.len()
    )
}

fn criterion_changes(old: &Criterion, new: &Criterion) -> Vec<Change> {
    let mut out = Vec::new();
    push_if_changed(&mut out, "Tên tiêu chí", old.name.clone(), new.name.clone());
    push_if_changed(
        &mut out,
        "Điểm tối đa",
        points_or_unknown(old.max_points),
        points_or_unknown(new.max_points),
    );
    push_if_changed(
        &mut out,
        "Nguồn gốc",
        describe_provenance(&old.provenance),
        describe_provenance(&new.provenance),
    );
    for item in &new.items {
        match old.items.iter().find(|i| i.id == item.id) {
            Some(before) => out.extend(item_changes(before, item)),
            None => out.push(Change {
                subject: format!("Mục {}", item.id),
                before: ABSENT.into(),
                after: format!("thêm mới: {}", describe_item(item)),
            }),
        }
    }
    for item in &old.items {
        if !new.items.iter().any(|i| i.id == item.id) {
            out.push(Change {
                subject: format!("Mục {}", item.id),
                before: describe_item(item),
                after: "bỏ".into(),
            });
        }
    }
    out
}

fn describe_item(item: &Item) -> String {
    format!(
        "{} — {}; {}",
        item.text,
        describe_rule(&item.rule),
        describe_provenance(&item.provenance)
    )
}

fn item_changes(old: &Item, new: &Item) -> Vec<Change> {
    let mut out = Vec::new();
    let subject = |what: &str| format!("Mục {}: {what}", new.id);
    push_if_changed(
        &mut out,
        &subject("nội dung"),
        old.text.clone(),
        new.text.clone(),
    );
    push_if_changed(
        &mut out,
        &subject("hướng dẫn"),
        optional(old.hint.as_deref()),
        optional(new.hint.as_deref()),
    );
    push_if_changed(
        &mut out,
        &subject("cách chấm điểm"),
        describe_rule(&old.rule),
        describe_rule(&new.rule),
    );
    push_if_changed(
        &mut out,
        &subject("nguồn gốc"),
        describe_provenance(&old.provenance),
        describe_provenance(&new.provenance),
    );
    out
}

pub fn describe_provenance(p: &Provenance) -> String {
    match p {
        Provenance::Verified { source } => format!("đã đối chiếu văn bản ký ({source})"),
        Provenance::Secondary { source } => format!("nguồn thứ cấp ({source})"),
        Provenance::NotEncoded { note } => format!("chưa đối chiếu văn bản gốc ({note})"),
    }
}

/// A rule in one sentence: its kind, its bands with points, and its fallbacks.
pub fn describe_rule(rule: &Rule) -> String {
    let percent = |v: f64| format!("{}%", format_number(v, 2));
    let plain = |v: f64| format_number(v, 2);
    match rule {
        Rule::YesNo { points } => format!("có / không: có được {points} điểm"),
        Rule::Manual { max } => format!(
            "người đánh giá nhập điểm, tối đa {}",
            points_or_unknown(*max)
        ),
        Rule::Rate {
            numerator_label,
            denominator_label,
            bands,
            below,
            zero_denominator,
        } => format!(
            "tỷ lệ % ({numerator_label} / {denominator_label}): {}; {}; {}",
            min_bands(bands.iter().map(|b| (b.min, b.points)), percent),
            describe_below(*below),
            describe_zero(*zero_denominator)
        ),
        Rule::Survey {
            bands,
            below,
            zero_denominator,
        } => format!(
            "mức hài lòng %: {}; {}; {}",
            min_bands(bands.iter().map(|b| (b.min, b.points)), percent),
            describe_below(*below),
            describe_zero(*zero_denominator)
        ),
        Rule::Count {
            label,
            bands,
            below,
        } => format!(
            "số lượng ({label}): {}; {}",
            min_bands(bands.iter().map(|b| (b.min, b.points)), plain),
            describe_below(*below)
        ),
        Rule::PerPopulation {
            numerator_label,
            denominator_label,
            per,
            bands,
            zero_denominator,
        } => {
            let bands: Vec<String> = bands
                .iter()
                .map(|b| format!("đến {} → {} điểm", plain(b.max), b.points))
                .collect();
            format!(
                "tỷ suất trên {} ({numerator_label} / {denominator_label}): {}; cao hơn → 0 \
                 điểm; {}",
                format_number(f64::from(*per), 0),
                bands.join(", "),
                describe_zero(*zero_denominator)
            )
        }
    }
}

fn min_bands(bands: impl Iterator<Item = (f64, u32)>, show: impl Fn(f64) -> String) -> String {
    let list: Vec<String> = bands
        .map(|(min, points)| format!("từ {} → {points} điểm", show(min)))
        .collect();
    if list.is_empty() {
        "chưa có ngưỡng".into()
    } else {
        list.join(", ")
    }
}

pub fn describe_below(below: BelowBands) -> &'static str {
    match below {
        BelowBands::ZeroPoints => "dưới mức thấp nhất → 0 điểm",
        BelowBands::Manual => "dưới mức thấp nhất → người đánh giá nhập điểm",
    }
}

pub fn describe_zero(zero: ZeroDenominator) -> &'static str {
    match zero {
        ZeroDenominator::NotApplicable => "mẫu số bằng 0 → không áp dụng",
        ZeroDenominator::FullPoints => "mẫu số bằng 0 → đủ điểm",
        ZeroDenominator::ZeroPoints => "mẫu số bằng 0 → 0 điểm",
        ZeroDenominator::Manual => "mẫu số bằng 0 → người đánh giá nhập điểm",
    }
}
