//! "Thẩm định" (`Route::Appraisal`): the province reviews one loaded commune item by item —
//! agreed, needs evidence, not agreed with the figures it settles — concludes, signs and dates,
//! and exports the appraisal for the commune. Every edit is saved at once. When the commune has
//! sent a newer record, the screen says which flagged items it changed and offers the next round.

use std::sync::Arc;

use leptos::prelude::*;

use crate::adapters::clock;
use crate::domain::appraisal::{
    reply, Appraisal, AppraisalResult, Figures, ItemAppraisal, ReviewStatus, ReviewedRecord,
    Reviewer,
};
use crate::domain::appraisal_report::{parse_vi_date, vi_date};
use crate::domain::assessment::{Answer, Assessment};
use crate::domain::criteria::{CriteriaSet, Item, Rule};
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::dashboard::DashboardDoc;
use crate::domain::history::{of_record_text, shown, Shown};
use crate::domain::journal::to_json;
use crate::domain::scoring::ItemStatus;
use crate::domain::validation::{NumberField as Checked, TextField};
use crate::routes::Route;
use crate::ui::appraisal_state::{use_appraisals, SaveLine};
use crate::ui::dashboard_state::use_dashboard;
use crate::ui::state::use_app;
use crate::ui::views::history_view::{of_item, ItemHistory};
use crate::ui::views::item_input::NumberField;
use crate::ui::views::verdict_class;

/// The record a dashboard document holds, as an appraisal binds to it.
pub(crate) fn reviewed_record(doc: &DashboardDoc) -> ReviewedRecord {
    ReviewedRecord {
        sha256: record_sha256(doc),
        revision: doc.stored.revision,
        assessment: doc.stored.assessment.clone(),
    }
}

/// The checksum of the record a dashboard document holds, as it stood in its file.
pub(crate) fn record_sha256(doc: &DashboardDoc) -> String {
    doc.record().sha256.to_ascii_lowercase()
}

/// The commune's history of the record a dashboard document holds, rebuilt for people.
fn record_history(doc: &DashboardDoc) -> Vec<Shown> {
    let entries = of_record_text(&doc.record().canonical);
    shown(&to_json(&doc.stored.assessment), &entries)
}

fn find_set(sets: &CriteriaRegistry, a: &Assessment) -> Option<Arc<CriteriaSet>> {
    sets.find(&a.criteria_set).map(|r| r.set.clone())
}

/// What the screen found for a row key.
#[derive(Clone)]
enum Found {
    Loading,
    Missing(String),
    Doc(Box<DashboardDoc>, Arc<CriteriaSet>),
}

#[component]
pub fn AppraisalScreen(key: String) -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    let appraisals = use_appraisals();
    dashboard.ensure_loaded(state.sets);
    appraisals.ensure_loaded(crate::ui::appraisal_state::at_hand);
    let found = RwSignal::new(Found::Loading);
    Effect::new({
        let key = key.clone();
        move |done: Option<bool>| {
            if done == Some(true) || !dashboard.ready.get() {
                return done.unwrap_or(false);
            }
            let key = key.clone();
            leptos::task::spawn_local(async move {
                let outcome = match dashboard.doc(&key).await {
                    Ok(Some(doc)) => match find_set(&state.sets.get_untracked(), &doc.stored.assessment) {
                        Some(set) => Found::Doc(Box::new(doc), set),
                        None => Found::Missing(format!(
                            "Bản đánh giá này dùng bộ tiêu chí {} phiên bản {}, chưa có trên máy này.",
                            doc.stored.assessment.criteria_set.id,
                            doc.stored.assessment.criteria_set.version
                        )),
                    },
                    Ok(None) => Found::Missing(
                        "Không có đơn vị này trong dữ liệu tổng hợp, hoặc bản đầy đủ của nó không còn \
                         trong trình duyệt: hãy nạp lại tệp của đơn vị ở màn hình Tổng hợp."
                            .into(),
                    ),
                    Err(e) => Found::Missing(format!(
                        "Không đọc được bản đầy đủ từ bộ nhớ trình duyệt. {}",
                        e.message_vi()
                    )),
                };
                found.set(outcome);
            });
            true
        }
    });
    // Only whether an appraisal exists (and which round) redraws the screen; edits redraw the
    // parts that read them.
    let which = Memo::new({
        let key = key.clone();
        move |_| {
            appraisals
                .ready
                .get()
                .then(|| appraisals.own_for(&key).map(|a| (a.id, a.round)))
        }
    });
    move || match found.get() {
        Found::Loading => view! {
            <h1>"Thẩm định"</h1>
            <p role="status">"Đang mở bản tự đánh giá…"</p>
        }
        .into_any(),
        Found::Missing(why) => view! {
            <h1>"Thẩm định"</h1>
            <p class="banner banner-warning" role="alert">{why}</p>
            <a class="button" href=Route::Dashboard.href()>"Về bảng tổng hợp"</a>
        }
        .into_any(),
        Found::Doc(doc, set) => match which.get() {
            None => view! { <p role="status">"Đang mở dữ liệu thẩm định…"</p> }.into_any(),
            Some(None) => view! { <Start doc=*doc set=set/> }.into_any(),
            Some(Some((id, _round))) => view! { <Editor id=id doc=*doc set=set/> }.into_any(),
        },
    }
}

fn page_links(key: &str) -> impl IntoView {
    view! {
        <nav class="page-links no-print" aria-label="Đơn vị đã nạp">
            <a href=Route::Dashboard.href()>"← Về bảng tổng hợp"</a>
            <a href=Route::DashboardResults { key: key.to_string() }.href()>"Kết quả tự đánh giá"</a>
            <a href=Route::AppraisalMinutes { key: key.to_string() }.href()>"Biên bản thẩm định"</a>
        </nav>
    }
}

fn heading(a: &Assessment) -> String {
    format!("Thẩm định: {} — năm {}", a.commune.name, a.year)
}

/// No appraisal yet: who reviews, then begin.
#[component]
fn Start(doc: DashboardDoc, set: Arc<CriteriaSet>) -> impl IntoView {
    let appraisals = use_appraisals();
    // The reviewer of the latest appraisal is most likely the one at the keyboard.
    let last = appraisals.own.with_untracked(|all| {
        all.iter()
            .max_by(|a, b| a.updated_at.total_cmp(&b.updated_at))
            .map(|a| a.reviewer.clone())
            .unwrap_or_default()
    });
    let name = RwSignal::new(last.name);
    let position = RwSignal::new(last.position);
    let organization = RwSignal::new(last.organization);
    let a = doc.stored.assessment.clone();
    let key = doc.key();
    let result = crate::domain::scoring::score(&set, &a);
    let begin = move |_| {
        let reviewer = Reviewer {
            name: name.get_untracked().trim().to_string(),
            position: position.get_untracked().trim().to_string(),
            organization: organization.get_untracked().trim().to_string(),
        };
        appraisals.put(Appraisal::new(
            clock::new_id(),
            reviewed_record(&doc),
            reviewer,
            clock::now_ms(),
        ));
    };
    view! {
        {page_links(&key)}
        <h1>{heading(&a)}</h1>
        <p class="lead">
            {format!(
                "{} · mã {} · tự đánh giá {} điểm, ",
                a.commune.province_name, a.commune.code, result.total
            )}
            <span class=verdict_class(result.verdict)>{result.verdict.label_vi()}</span>
        </p>
        <section class="panel" aria-labelledby="bat-dau-tham-dinh">
            <h2 id="bat-dau-tham-dinh">"Bắt đầu thẩm định"</h2>
            <p>
                "Với từng mục, ghi ý kiến: đồng ý, cần bổ sung (xã phải bổ sung tài liệu, thuyết "
                "minh) hoặc không đồng ý (ghi số liệu hoặc điểm thẩm định). Điểm thẩm định được tính "
                "lại theo đúng cách chấm của bộ tiêu chí. Mọi thay đổi được lưu ngay trên máy này."
            </p>
            <ReviewerFields name=name position=position organization=organization prefix="bat-dau"/>
            <div class="actions">
                <button type="button" class="primary" on:click=begin>"Bắt đầu thẩm định"</button>
            </div>
        </section>
    }
}

#[component]
fn ReviewerFields(
    name: RwSignal<String>,
    position: RwSignal<String>,
    organization: RwSignal<String>,
    prefix: &'static str,
) -> impl IntoView {
    let field = move |slug: &str, label: &'static str, value: RwSignal<String>| {
        let id = format!("{prefix}-{slug}");
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id type="text" autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <div class="pair">
            <div>{field("ho-ten", "Họ tên người thẩm định", name)}</div>
            <div>{field("chuc-vu", "Chức vụ", position)}</div>
        </div>
        {field("co-quan", "Cơ quan thẩm định (ví dụ: Sở Y tế tỉnh …)", organization)}
    }
}

/// The appraisal of `id`, on the commune's record `doc` (the latest loaded).
#[component]
fn Editor(id: String, doc: DashboardDoc, set: Arc<CriteriaSet>) -> impl IntoView {
    let appraisals = use_appraisals();
    let key = doc.key();
    let current = Memo::new({
        let (id, key) = (id.clone(), key.clone());
        move |_| appraisals.own_for(&key).filter(|a| a.id == id)
    });
    let result: Memo<Option<AppraisalResult>> = {
        let set = set.clone();
        Memo::new(move |_| current.with(|a| a.as_ref().map(|a| a.evaluate(&set))))
    };
    // The commune's history of its record, and the appraisal's, read again after each commit.
    let commune_history = record_history(&doc);
    let history = RwSignal::new(Vec::<Shown>::new());
    Effect::new({
        let id = id.clone();
        move |_| {
            if !matches!(
                appraisals.save.get(),
                SaveLine::Saved { .. } | SaveLine::Idle
            ) {
                return;
            }
            let id = id.clone();
            leptos::task::spawn_local(async move {
                let entries = appraisals.history_of(&id).await.unwrap_or_default();
                // Gone when the user left the screen while the history was read.
                let doc = current
                    .try_with_untracked(|a| a.as_ref().map(to_json))
                    .flatten();
                if let Some(doc) = doc {
                    history.set(shown(&doc, &entries));
                }
            });
        }
    });
    let reviewed = current.with_untracked(|a| a.as_ref().map(|a| a.reviewed.clone()));
    let Some(reviewed) = reviewed else {
        return view! { <p role="status">"Đang mở dữ liệu thẩm định…"</p> }.into_any();
    };
    let a = reviewed.assessment.clone();
    let newer = !record_sha256(&doc).eq_ignore_ascii_case(&reviewed.sha256);
    let criteria = set
        .criteria
        .iter()
        .map(|c| {
            let cid = c.id.clone();
            let points = move || {
                result.with(|r| {
                    r.as_ref().and_then(|r| {
                        let s = r.self_score.criteria.iter().find(|x| x.criterion_id == cid)?;
                        let p = r
                            .appraised_score
                            .criteria
                            .iter()
                            .find(|x| x.criterion_id == cid)?;
                        let max = s.max.map(|m| format!(" / {m}")).unwrap_or_default();
                        Some(format!(
                            "Tự đánh giá {}{max} · thẩm định {}{max}",
                            s.points, p.points
                        ))
                    })
                })
            };
            let items = c
                .items
                .iter()
                .map(|item| {
                    let answer = a.answers.get(&item.id).cloned().unwrap_or_default();
                    let item_id = item.id.clone();
                    let theirs = of_item(&commune_history, &item_id);
                    let item_history = Signal::derive(move || {
                        let mut list = theirs.clone();
                        list.extend(history.with(|h| of_item(h, &item_id)));
                        list
                    });
                    view! {
                        <ItemReview appraisal_id=id.clone() key=key.clone() item=item.clone()
                            answer=answer result=result history=item_history/>
                    }
                })
                .collect_view();
            view! {
                <section class="appraisal-criterion" aria-labelledby=format!("tieu-chi-{}", c.id)>
                    <h2 id=format!("tieu-chi-{}", c.id)>{format!("Tiêu chí {}. {}", c.id, c.name)}</h2>
                    <p class="criterion-points">{points}</p>
                    {items}
                </section>
            }
        })
        .collect_view();
    view! {
        {page_links(&key)}
        <h1>{heading(&a)}</h1>
        <p class="lead">
            {move || current.with(|ap| ap.as_ref().map(|ap| format!(
                "{} · mã {} · lần thẩm định {} · bản của xã: lần lưu {}, sửa lúc {}",
                ap.reviewed.assessment.commune.province_name,
                ap.reviewed.assessment.commune.code,
                ap.round,
                ap.reviewed.revision,
                clock::local_date_time(ap.reviewed.assessment.updated_at)
            )))}
        </p>
        <SaveStatusLine/>
        {newer.then(|| view! { <NewerRecord id=id.clone() doc=doc.clone() set=set.clone()/> })}
        <Overview result=result/>
        {criteria}
        <Closing id=id.clone()/>
        <section class="panel no-print" aria-labelledby="gui-xa">
            <h2 id="gui-xa">"Gửi kết quả cho xã"</h2>
            <p>
                "Xuất tệp kết quả thẩm định và gửi cho xã (Zalo, thư điện tử, USB). Xã nhập tệp ở "
                "màn hình «Các bản tự đánh giá», xem ý kiến từng mục, bổ sung rồi gửi lại tệp tự "
                "đánh giá mới."
            </p>
            <div class="actions">
                <button type="button" class="primary" on:click={
                    let id = id.clone();
                    move |_| crate::ui::views::appraisal_export::export_own(appraisals, &id)
                }>"Xuất tệp kết quả thẩm định (JSON)"</button>
                <a class="button" href=Route::AppraisalMinutes { key: key.clone() }.href()>
                    "In biên bản thẩm định"
                </a>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn SaveStatusLine() -> impl IntoView {
    let appraisals = use_appraisals();
    move || {
        let (text, failed) = match appraisals.save.get() {
            SaveLine::Idle => (
                "Dữ liệu thẩm định được lưu trên máy này.".to_string(),
                false,
            ),
            SaveLine::Saving => ("Đang lưu ý kiến thẩm định…".to_string(), false),
            SaveLine::Saved { at_ms } => (
                format!("Đã lưu ý kiến thẩm định lúc {}", clock::local_time(at_ms)),
                false,
            ),
            SaveLine::Failed(why) => (
                format!("Ý kiến thẩm định chưa lưu được; thẻ này giữ và sẽ thử lưu lại. {why}"),
                true,
            ),
        };
        view! {
            <p class=if failed { "save-status save-failed" } else { "save-status" } role="status">
                {text}
            </p>
        }
    }
}

/// The commune sent another record after this appraisal began: what it changed in the flagged
/// items, and the next round.
#[component]
fn NewerRecord(id: String, doc: DashboardDoc, set: Arc<CriteriaSet>) -> impl IntoView {
    let appraisals = use_appraisals();
    let ap = appraisals
        .own
        .with_untracked(|all| all.iter().find(|a| a.id == id).cloned());
    let Some(ap) = ap else {
        return ().into_any();
    };
    let r = reply(&ap, &set, &doc.stored.assessment);
    let item_text = |id: &str| {
        set.criteria
            .iter()
            .flat_map(|c| &c.items)
            .find(|i| i.id == id)
            .map_or_else(String::new, |i| i.text.clone())
    };
    let flagged = r
        .flagged
        .iter()
        .map(|(item_id, status, change)| {
            let what = match change {
                Some(c) => format!(
                    "đã sửa: {}",
                    c.fields
                        .iter()
                        .map(|f| f.label_vi())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => "chưa sửa".to_string(),
            };
            let class = if change.is_some() {
                "reply-changed"
            } else {
                "reply-unchanged"
            };
            view! {
                <li class=class>
                    <strong>{format!("Mục {item_id}")}</strong> " " {item_text(item_id)}
                    {format!(" ({}) — ", status.label_vi())} <span>{what}</span>
                </li>
            }
        })
        .collect_view();
    let unflagged = (!r.unflagged.is_empty()).then(|| {
        let ids: Vec<String> = r.unflagged.iter().map(|c| c.item_id.clone()).collect();
        view! {
            <p>{format!("Xã cũng sửa các mục không bị yêu cầu: {}.", ids.join(", "))}</p>
        }
    });
    let info = (!r.info.is_empty()).then(|| {
        let what: Vec<&str> = r.info.iter().map(|f| f.label_vi()).collect();
        view! { <p>{format!("Thông tin chung đã sửa: {}.", what.join(", "))}</p> }
    });
    let summary = format!(
        "Xã đã gửi bản mới (lần lưu {}, sửa lúc {}) sau bản đang thẩm định. Đã sửa {}/{} mục được \
         yêu cầu.",
        doc.stored.revision,
        clock::local_date_time(doc.stored.assessment.updated_at),
        r.answered(),
        r.flagged.len()
    );
    let next_round = ap.round + 1;
    let begin_next = move |_| {
        let next = ap.next_round(&set, reviewed_record(&doc), clock::now_ms());
        appraisals.put(next);
    };
    view! {
        <section class="banner banner-warning" aria-labelledby="ban-moi">
            <h2 id="ban-moi">"Xã đã gửi bản mới"</h2>
            <p>{summary}</p>
            <ul class="reply-list">{flagged}</ul>
            {unflagged}
            {info}
            <p>
                "Ý kiến dưới đây là của bản trước. Bắt đầu lần thẩm định tiếp theo trên bản mới: các "
                "mục xã không sửa giữ nguyên ý kiến, các mục đã sửa cần ghi ý kiến lại."
            </p>
            <button type="button" class="primary" on:click=begin_next>
                {format!("Thẩm định bản mới (lần {next_round})")}
            </button>
        </section>
    }
    .into_any()
}

/// Both totals and verdicts, where the round stands and what it still lacks.
#[component]
fn Overview(result: Memo<Option<AppraisalResult>>) -> impl IntoView {
    move || {
        result.with(|r| {
            let r = r.as_ref()?;
            let (s, p) = (&r.self_score, &r.appraised_score);
            let threshold = p.threshold.map(|t| format!(" (ngưỡng {t})")).unwrap_or_default();
            let missing = r
                .missing
                .iter()
                .map(|m| view! { <li>{m.message_vi()}</li> })
                .collect_view();
            Some(view! {
                <section class="panel appraisal-overview" aria-labelledby="tong-quan-tham-dinh">
                    <h2 id="tong-quan-tham-dinh">"Kết quả"</h2>
                    <dl class="appraisal-totals">
                        <div>
                            <dt>"Tự đánh giá"</dt>
                            <dd>
                                <span class="appraisal-total">{format!("{} điểm", s.total)}</span> " "
                                <span class=verdict_class(s.verdict)>{s.verdict.label_vi()}</span>
                            </dd>
                        </div>
                        <div>
                            <dt>{format!("Thẩm định{threshold}")}</dt>
                            <dd>
                                <span class="appraisal-total" id="diem-tham-dinh">
                                    {format!("{} điểm", p.total)}
                                </span> " "
                                <span class=verdict_class(p.verdict)>{p.verdict.label_vi()}</span>
                            </dd>
                        </div>
                        <div>
                            <dt>"Trạng thái"</dt>
                            <dd id="trang-thai-tham-dinh">{r.outcome.label_vi()}</dd>
                        </div>
                    </dl>
                    {(!r.missing.is_empty()).then(|| view! {
                        <p class="muted">"Để kết thúc lần thẩm định:"</p>
                        <ul class="reasons">{missing}</ul>
                    })}
                </section>
            })
        })
    }
}

/// One change to one item of an appraisal (the item id is given).
type ItemEdit = Box<dyn FnOnce(&mut Appraisal, &str)>;

/// Stable DOM id for a part of an item's review ("6.1" → "tham-dinh-6-1-y-kien").
fn dom_id(item_id: &str, part: &str) -> String {
    let safe: String = item_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("tham-dinh-{safe}-{part}")
}

/// One item: the commune's figures and evidence, then the reviewer's status, figures, comment.
#[component]
fn ItemReview(
    appraisal_id: String,
    key: String,
    item: Item,
    answer: Answer,
    result: Memo<Option<AppraisalResult>>,
    /// The item's changes (the appraisal's, and the commune's when the file had them).
    history: Signal<Vec<Shown>>,
) -> impl IntoView {
    let appraisals = use_appraisals();
    let item_id = item.id.clone();
    let mine = Memo::new({
        let (key, item_id) = (key.clone(), item_id.clone());
        move |_| {
            appraisals
                .own_for(&key)
                .and_then(|a| a.items.get(&item_id).cloned())
                .unwrap_or_default()
        }
    });
    let edit = {
        let (aid, item_id) = (appraisal_id.clone(), item_id.clone());
        move |change: ItemEdit| {
            appraisals.edit(&aid, |a| change(a, &item_id));
        }
    };
    let points = {
        let item_id = item_id.clone();
        move || {
            result.with(|r| {
                let r = r.as_ref()?;
                let i = r.items.iter().find(|i| i.item_id == item_id)?;
                let max = i.max.map(|m| format!(" / {m}")).unwrap_or_default();
                Some((i.self_points, i.appraised_points, max))
            })
        }
    };
    let self_line = {
        let points = points.clone();
        move || points().map(|(s, _, max)| format!("{s} điểm{max}"))
    };
    let appraised_line =
        move || {
            points().map(|(s, p, max)| {
            let class = if s == p { "score-line" } else { "score-line score-differs" };
            view! { <p class=class aria-live="polite">{format!("Điểm thẩm định: {p}{max}")}</p> }
        })
        };
    let status_name = dom_id(&item_id, "y-kien");
    let choices = ReviewStatus::ALL
        .into_iter()
        .map(|status| {
            let edit = edit.clone();
            view! {
                <label class="choice">
                    <input type="radio" name=status_name.clone()
                        prop:checked=move || mine.with(|m| m.status == Some(status))
                        on:change=move |_| edit(Box::new(move |a: &mut Appraisal, id: &str| a.set_status(id, Some(status))))/>
                    {status.label_vi()}
                </label>
            }
        })
        .collect_view();
    let figures = {
        let item = item.clone();
        let answer = answer.clone();
        let (aid, item_id) = (appraisal_id.clone(), item_id.clone());
        move || {
            let open = mine.with(|m| m.status.is_some_and(ReviewStatus::is_flag));
            open.then(|| {
                view! {
                    <FiguresInput item=item.clone() answer=answer.clone() mine=mine
                        result=result appraisal_id=aid.clone() item_id=item_id.clone()/>
                }
            })
        }
    };
    let comment_id = dom_id(&item_id, "nhan-xet");
    let e_comment = edit.clone();
    let evidence = [
        ("Nguồn số liệu", answer.source.trim().to_string()),
        ("Thuyết minh", answer.explanation.trim().to_string()),
    ];
    view! {
        <article class="item appraisal-item" aria-labelledby=dom_id(&item_id, "ten")>
            <h3 class="item-title" id=dom_id(&item_id, "ten")>
                <span class="item-number">{format!("Mục {}", item.id)}</span> " " {item.text.clone()}
            </h3>
            <dl class="appraisal-facts">
                <dt>"Số liệu của xã"</dt>
                <dd>
                    {crate::domain::appraisal_report::describe_figures(&item.rule, &Figures::of(&answer))}
                    " — " {self_line}
                    {answer.checked.then_some(" · đã kiểm tra")}
                </dd>
                {evidence.into_iter().map(|(label, text)| view! {
                    <dt>{label}</dt>
                    <dd class="appraisal-evidence">
                        {if text.is_empty() { "(không có)".to_string() } else { text }}
                    </dd>
                }).collect_view()}
            </dl>
            <fieldset class="appraisal-status">
                <legend>{format!("Ý kiến thẩm định mục {}", item.id)}</legend>
                {choices}
            </fieldset>
            {figures}
            {appraised_line}
            <label for=comment_id.clone()>"Nhận xét (xã sẽ thấy)"</label>
            <textarea id=comment_id rows="2" maxlength=TextField::Explanation.max_chars()
                prop:value=move || mine.with(|m| m.comment.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    e_comment(Box::new(move |a, id| a.set_comment(id, v)));
                }></textarea>
            <ItemHistory entries=history/>
        </article>
    }
}

/// The figures the reviewer settles, in the inputs the item's rule needs; they start from the
/// commune's.
#[component]
fn FiguresInput(
    item: Item,
    answer: Answer,
    mine: Memo<ItemAppraisal>,
    result: Memo<Option<AppraisalResult>>,
    appraisal_id: String,
    item_id: String,
) -> impl IntoView {
    let appraisals = use_appraisals();
    let edit = {
        let (aid, item_id) = (appraisal_id, item_id.clone());
        move |change: ItemEdit| {
            appraisals.edit(&aid, |a| change(a, &item_id));
        }
    };
    let own = Figures::of(&answer);
    let figures = {
        let own = own.clone();
        Signal::derive(move || mine.with(|m| m.figures.clone().unwrap_or_else(|| own.clone())))
    };
    let set_field = {
        let edit = edit.clone();
        move |change: Box<dyn Fn(&mut Figures)>| {
            let mut f = figures.get_untracked();
            change(&mut f);
            edit(Box::new(move |a, id| a.set_figures(id, Some(f))));
        }
    };
    let number = {
        let set_field = set_field.clone();
        let item_id = item_id.clone();
        move |field: Checked,
              label: String,
              get: fn(&Figures) -> Option<f64>,
              put: fn(&mut Figures, Option<f64>)| {
            let set_field = set_field.clone();
            let slug = match field {
                Checked::Numerator => "tu-so",
                Checked::Denominator => "mau-so",
                Checked::Count => "so-luong",
                Checked::ManualPoints => "diem",
            };
            view! {
                <NumberField id=dom_id(&item_id, slug) field=field label=label
                    value=Signal::derive(move || get(&figures.get()))
                    readonly=Memo::new(|_| false)
                    on_value=move |v| set_field(Box::new(move |f| put(f, v)))/>
            }
        }
    };
    let inputs = match &item.rule {
        Rule::YesNo { points } => {
            let name = dom_id(&item_id, "co-khong");
            let (s1, s2) = (set_field.clone(), set_field.clone());
            view! {
                <div role="radiogroup" class="yes-no"
                    aria-label=format!("Mục {}: có hay không, theo thẩm định", item.id)>
                    <label class="choice">
                        <input type="radio" name=name.clone()
                            prop:checked=move || figures.get().yes == Some(true)
                            on:change=move |_| s1(Box::new(|f| f.yes = Some(true)))/>
                        {format!("Có ({points} điểm)")}
                    </label>
                    <label class="choice">
                        <input type="radio" name=name
                            prop:checked=move || figures.get().yes == Some(false)
                            on:change=move |_| s2(Box::new(|f| f.yes = Some(false)))/>
                        "Không (0 điểm)"
                    </label>
                </div>
            }
            .into_any()
        }
        Rule::Rate { .. } | Rule::PerPopulation { .. } | Rule::Survey { .. } => {
            let (numerator, denominator) = item.rule.ratio_labels().unwrap_or_default();
            view! {
                <div class="pair">
                    {number(Checked::Numerator, numerator.to_string(), |f| f.numerator, |f, v| f.numerator = v)}
                    {number(Checked::Denominator, denominator.to_string(), |f| f.denominator, |f, v| f.denominator = v)}
                </div>
            }
            .into_any()
        }
        Rule::Count { label, .. } => number(
            Checked::Count,
            label.clone(),
            |f| f.count,
            |f, v| f.count = v,
        )
        .into_any(),
        Rule::Manual { max } => number(
            Checked::ManualPoints,
            match max {
                Some(m) => format!("Điểm thẩm định (từ 0 đến {m})"),
                None => "Điểm thẩm định theo bảng điểm chính thức".into(),
            },
            |f| f.manual_points,
            |f, v| f.manual_points = v,
        )
        .into_any(),
    };
    // As on the commune's screen: rules that fall back to points ask for them when needed.
    let is_manual = matches!(item.rule, Rule::Manual { .. });
    let fallback = {
        let item_id = item_id.clone();
        move || {
            let needs = result.with(|r| {
                r.as_ref().is_some_and(|r| {
                    r.appraised_score
                        .criteria
                        .iter()
                        .flat_map(|c| &c.items)
                        .any(|i| {
                            i.item_id == item_id
                                && matches!(i.status, ItemStatus::NeedsManualPoints { .. })
                        })
                })
            });
            (!is_manual && (needs || figures.get().manual_points.is_some())).then(|| {
                number(
                    Checked::ManualPoints,
                    "Điểm thẩm định theo bảng điểm chính thức".into(),
                    |f| f.manual_points,
                    |f, v| f.manual_points = v,
                )
            })
        }
    };
    let differs = move || mine.with(|m| m.figures.is_some());
    let reset = {
        let edit = edit.clone();
        move |_| edit(Box::new(|a, id| a.set_figures(id, None)))
    };
    let own_text = crate::domain::appraisal_report::describe_figures(&item.rule, &own);
    view! {
        <div class="appraisal-figures">
            <p class="hint">
                "Số liệu hoặc điểm theo thẩm định, nếu khác số liệu của xã (" {own_text} "). Để "
                "nguyên nếu chỉ yêu cầu xã bổ sung tài liệu."
            </p>
            {inputs}
            {fallback}
            <Show when=differs>
                <button type="button" class="link-button" on:click=reset.clone()>
                    "Dùng lại số liệu của xã"
                </button>
            </Show>
        </div>
    }
}

/// Conclusion, reviewer and date: what closes the round.
#[component]
fn Closing(id: String) -> impl IntoView {
    let appraisals = use_appraisals();
    let current = Memo::new({
        let id = id.clone();
        move |_| {
            appraisals
                .own
                .with(|all| all.iter().find(|a| a.id == id).cloned())
        }
    });
    let text = move |get: fn(&Appraisal) -> String| {
        move || current.with(|a| a.as_ref().map(get).unwrap_or_default())
    };
    let date_id = id.clone();
    let set = move |apply: fn(&mut Appraisal, String)| {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            appraisals.edit(&id, |a| apply(a, v));
        }
    };
    view! {
        <section class="panel" aria-labelledby="ket-luan-tham-dinh">
            <h2 id="ket-luan-tham-dinh">"Kết luận thẩm định"</h2>
            <label for="tham-dinh-ket-luan">"Kết luận (chung cho cả hồ sơ)"</label>
            <textarea id="tham-dinh-ket-luan" rows="4" maxlength=TextField::Explanation.max_chars()
                prop:value=text(|a| a.conclusion.clone())
                on:input=set(|a, v| a.conclusion = v)></textarea>
            <div class="pair">
                <div>
                    <label for="tham-dinh-ho-ten">"Họ tên người thẩm định"</label>
                    <input id="tham-dinh-ho-ten" type="text" autocomplete="name"
                        prop:value=text(|a| a.reviewer.name.clone())
                        on:input=set(|a, v| a.reviewer.name = v)/>
                </div>
                <div>
                    <label for="tham-dinh-chuc-vu">"Chức vụ"</label>
                    <input id="tham-dinh-chuc-vu" type="text"
                        prop:value=text(|a| a.reviewer.position.clone())
                        on:input=set(|a, v| a.reviewer.position = v)/>
                </div>
            </div>
            <label for="tham-dinh-co-quan">"Cơ quan thẩm định"</label>
            <input id="tham-dinh-co-quan" type="text"
                prop:value=text(|a| a.reviewer.organization.clone())
                on:input=set(|a, v| a.reviewer.organization = v)/>
            <DateField id=date_id/>
            <p class="hint">"Ghi ngày khi đã xem xong mọi mục: lần thẩm định được coi là kết thúc."</p>
        </section>
    }
}

/// The date of the appraisal, typed day first as on Vietnamese papers (the browser's own date
/// picker speaks the browser's language), or today's in one tap.
#[component]
fn DateField(id: String) -> impl IntoView {
    let appraisals = use_appraisals();
    let stored = appraisals
        .own
        .with_untracked(|all| all.iter().find(|a| a.id == id).and_then(|a| a.date.clone()));
    let text = RwSignal::new(stored.map(|d| vi_date(&d)).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let put = move |raw: String| {
        text.set(raw.clone());
        let date = match raw.trim() {
            "" => None,
            typed => match parse_vi_date(typed) {
                Some(iso) => Some(iso),
                None => {
                    error.set(Some(format!(
                        "«{raw}» không phải ngày dạng ngày/tháng/năm, ví dụ 01/12/2025. Ngày này \
                         chưa được lưu."
                    )));
                    return;
                }
            },
        };
        error.set(None);
        appraisals.edit(&id, |a| a.date = date);
    };
    let put = StoredValue::new(put);
    let today = move |_| {
        let (d, m, y) = clock::today();
        put.with_value(|put| put(format!("{d:02}/{m:02}/{y}")));
    };
    view! {
        <label for="tham-dinh-ngay">"Ngày thẩm định (ngày/tháng/năm)"</label>
        <div class="date-field">
            <input id="tham-dinh-ngay" type="text" inputmode="numeric" autocomplete="off"
                placeholder="01/12/2025"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby="tham-dinh-ngay-loi"
                prop:value=move || text.get()
                on:input=move |ev| put.with_value(|put| put(event_target_value(&ev)))/>
            <button type="button" on:click=today>"Hôm nay"</button>
        </div>
        <p id="tham-dinh-ngay-loi" class="field-error" aria-live="polite">{move || error.get()}</p>
    }
}
