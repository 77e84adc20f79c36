//! "Các bản tự đánh giá": every assessment stored in this browser, a page at a time with a
//! search, so that thousands of them open as fast as a few.

use leptos::prelude::*;

use crate::adapters::{clock, files, focus};
use crate::domain::doc_store::Typed;
use crate::domain::listing::{matching, search_text, Listed, Page, PAGE_SIZE};
use crate::domain::numbers::format_number;
use crate::domain::storage_format::StoredAssessment;
use crate::domain::validation::next_year;
use crate::routes::Route;
use crate::ui::state::{use_app, AppState, Doc, SetsStatus, Tone};
use crate::ui::state_sets::SetsPart;
use crate::ui::views::set_version::NewerVersion;
use crate::ui::views::{
    appraisal_import, appraisal_received, backups, export,
    import::{self, ImportPanel},
    set_import::SetImport,
    verdict_class, QuestionFocus,
};

#[component]
pub fn Home() -> impl IntoView {
    let state = use_app();
    // Which card asks «Xóa bản này khỏi máy?»: kept outside the cards, which are drawn again when
    // another tab saves a change to them.
    provide_context(Confirming(RwSignal::new(None)));
    let ready = state.ready;
    // Before everything is read, the summaries say how many there are.
    let count = move || match ready.get() {
        true => state.docs().len(),
        false => state
            .listing
            .with(|l| l.as_ref().map_or(0, |l| l.rows.len())),
    };
    let pending_export = move || {
        state
            .docs()
            .iter()
            .filter(|d| {
                d.meta()
                    .with(|m| m.last_exported_at.is_none_or(|e| e < m.updated_at))
            })
            .count()
    };
    view! {
        <h1>"Các bản tự đánh giá"</h1>
        <p class="lead">
            "Mỗi bản là kết quả tự đánh giá của một xã, phường hoặc đặc khu trong một năm, theo "
            "Quyết định 06/QĐ-TTg. Dữ liệu chỉ nằm trên máy này cho đến khi bạn xuất tệp."
        </p>
        <div class="actions">
            <a class="button primary" href=Route::NewAssessment.href()>"Tạo bản tự đánh giá mới"</a>
            <Show when=move || { ready.get() && count() > 0 }>
                <button type="button" on:click=move |_| export::request_export_all(state)>
                    "Xuất tất cả (JSON)"
                </button>
            </Show>
        </div>
        <UndoDelete/>
        <Show when=move || { pending_export() > 0 }>
            <p class="banner banner-warning" role="note">
                {move || format!(
                    "{} bản có thay đổi chưa được xuất tệp. Trình duyệt (nhất là Safari trên iPhone, \
                     iPad) có thể tự xóa dữ liệu của trang sau 7 ngày không mở: hãy xuất tệp JSON \
                     để sao lưu và gửi đi.",
                    pending_export()
                )}
            </p>
        </Show>
        <UnreadableEntries/>
        <Show when=move || { count() > 0 || !ready.get() } fallback=|| view! {
            <p class="empty">
                "Chưa có bản tự đánh giá nào trên máy này. Bấm «Tạo bản tự đánh giá mới» để bắt "
                "đầu, hoặc nhập tệp JSON đã xuất từ máy khác ở bên dưới."
            </p>
        }>
            <AssessmentList/>
        </Show>
        <Show when=move || ready.get() fallback=|| view! {
            <p class="loading" role="status">
                "Đang đọc toàn bộ các bản đã lưu; phần sao lưu và nhập tệp sẽ hiện ngay sau đó…"
            </p>
        }>
        <backups::Backups/>
        <Show when=move || { count() > 0 }>
            <section class="panel" aria-labelledby="xuat-bang-tieu-de">
                <h2 id="xuat-bang-tieu-de">"Bảng kết quả cho Excel"</h2>
                <p>"Một dòng cho mỗi bản tự đánh giá: đơn vị, năm, điểm từng tiêu chí, tổng điểm, kết quả."</p>
                <export::CsvExport
                    label="Xuất bảng kết quả (CSV cho Excel)"
                    on_export=move |delimiter| export::request_results_csv(state, delimiter)
                />
            </section>
        </Show>
        <section class="panel" aria-labelledby="nhap-tieu-de">
            <h2 id="nhap-tieu-de">"Nhập tệp tự đánh giá"</h2>
            <p>"Mở lại tệp JSON đã xuất (từ máy khác, hoặc bản sao lưu) để tiếp tục làm việc."</p>
            <ImportPanel for_dashboard=false load=import::fetched/>
        </section>
        <appraisal_import::ReceivePanel/>
        <SetImport/>
        </Show>
    }
}

/// A row of the list: an assessment read whole, or, while the start reads them, its summary.
#[derive(Clone, PartialEq)]
enum Row {
    Doc(Doc),
    Listed(Typed<Listed>),
}

/// The stored assessments a page at a time, with a search once there are more than a page.
#[component]
fn AssessmentList() -> impl IntoView {
    let state = use_app();
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    // Newest first; the order follows the edit times, not the answers.
    let docs = Memo::new(move |_| {
        if !state.ready.get() {
            return state.listing.with(|l| {
                l.iter()
                    .flat_map(|l| &l.rows)
                    .map(|t| Row::Listed(t.clone()))
                    .collect()
            });
        }
        let mut all = state.docs();
        crate::domain::sorting::sort_by(&mut all, |a, b| {
            let at = |d: &Doc| d.meta().with(|m| m.updated_at);
            at(b).total_cmp(&at(a))
        });
        all.into_iter().map(Row::Doc).collect::<Vec<_>>()
    });
    // Search keys follow the list, not the query: typing re-filters without re-folding names.
    let keys = Memo::new(move |_| {
        docs.with(|all| {
            all.iter()
                .map(|row| match row {
                    Row::Doc(d) => d.info().with(search_text),
                    Row::Listed(t) => t.doc.search_text(),
                })
                .collect::<Vec<_>>()
        })
    });
    // Without a query every assessment is found: the keys are only folded once a search is typed,
    // so opening Home costs nothing per stored assessment.
    let found = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            (0..docs.with(Vec::len)).collect()
        } else {
            keys.with(|k| matching(k, &q))
        }
    });
    let current = Memo::new(move |_| Page::of(found.with(Vec::len), page.get(), PAGE_SIZE));
    let rows = Memo::new(move |_| {
        let p = current.get();
        found.with(|found| {
            docs.with(|all| {
                found[p.start..p.end]
                    .iter()
                    .filter_map(|&i| all.get(i).cloned())
                    .collect::<Vec<_>>()
            })
        })
    });
    // Before everything is read, the page's assessments are read from the store on their own
    // (the first page by the start).
    let first = state
        .listing
        .with_untracked(|l| l.as_ref().map(|l| l.first_page.clone()));
    let fetched = RwSignal::new(first.unwrap_or_default());
    Effect::new(move |_| {
        let ids: Vec<String> = rows.with(|rows| {
            rows.iter()
                .filter_map(|r| match r {
                    Row::Listed(t) => Some(t.id.clone()),
                    Row::Doc(_) => None,
                })
                .collect()
        });
        let known = fetched.with_untracked(|f| {
            ids.iter()
                .all(|id| f.iter().any(|s| s.assessment.id == *id))
        });
        if !known {
            leptos::task::spawn_local(async move {
                let read = state.read_stored(&ids).await;
                // Only if the page is still the one asked for (and still on screen).
                let still = rows.try_with_untracked(|rows| {
                    rows.iter()
                        .filter_map(|r| match r {
                            Row::Listed(t) => Some(&t.id),
                            Row::Doc(_) => None,
                        })
                        .eq(ids.iter())
                });
                if still == Some(true) {
                    fetched.try_set(read);
                }
            });
        }
    });
    // Only the page's cards are copied out of the list and drawn.
    let shown = move || {
        rows.with(|rows| {
            rows.iter()
                .filter_map(|r| match r {
                    Row::Doc(d) => Some(d.stored()),
                    Row::Listed(t) => {
                        fetched.with(|f| f.iter().find(|s| s.assessment.id == t.id).cloned())
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let many = move || docs.with(|a| a.len() > PAGE_SIZE);
    // The list's top comes into view with the focus: the next Tab reaches the page's first
    // card, and the pressed button, disabled on the last page, does not take the focus with it.
    let go = move |to: usize| {
        page.set(to);
        focus::to_heading("danh-sach-tieu-de");
    };
    let n = |v: usize| format_number(v as f64, 0);
    view! {
        <h2 id="danh-sach-tieu-de" class="visually-hidden">"Danh sách bản tự đánh giá"</h2>
        <Show when=many>
            <div class="list-search">
                <label for="tim-ban">"Tìm bản tự đánh giá (tên xã, tỉnh, mã hoặc năm; gõ không dấu cũng được)"</label>
                <input id="tim-ban" type="search" autocomplete="off" placeholder="Ví dụ: hoan kiem 2025"
                    prop:value=move || query.get()
                    on:input=move |ev| {
                        query.set(event_target_value(&ev));
                        page.set(0);
                    }/>
            </div>
        </Show>
        <p class="list-count" role="status">
            {move || {
                let p = current.get();
                let all = docs.with(Vec::len);
                match (p.total, all > PAGE_SIZE) {
                    (0, _) => "Không có bản nào khớp với nội dung tìm.".to_string(),
                    (total, true) if total < all => format!(
                        "Tìm thấy {} trong {} bản; đang hiện {}–{}.",
                        n(total), n(all), n(p.start + 1), n(p.end)
                    ),
                    (total, true) => format!("{} bản; đang hiện {}–{}.", n(total), n(p.start + 1), n(p.end)),
                    (total, false) => format!("{} bản.", n(total)),
                }
            }}
        </p>
        <ul class="cards" aria-labelledby="danh-sach-tieu-de">
            <For each=shown key=|s| (s.assessment.id.clone(), s.revision) let:stored>
                <AssessmentCard stored=stored/>
            </For>
        </ul>
        <Show when=move || { current.get().count > 1 }>
            <nav class="pager" aria-label="Trang của danh sách">
                <button type="button" prop:disabled=move || !current.get().has_previous()
                    on:click=move |_| go(current.get_untracked().index.saturating_sub(1))>
                    "← Trang trước"
                </button>
                <span>{move || {
                    let p = current.get();
                    format!("Trang {}/{}", n(p.index + 1), n(p.count))
                }}</span>
                <button type="button" prop:disabled=move || !current.get().has_next()
                    on:click=move |_| go(current.get_untracked().index + 1)>
                    "Trang sau →"
                </button>
            </nav>
        </Show>
    }
}

/// The card whose deletion is being confirmed, by assessment id.
#[derive(Clone, Copy)]
struct Confirming(RwSignal<Option<String>>);

#[component]
fn AssessmentCard(stored: StoredAssessment) -> impl IntoView {
    let state = use_app();
    let a = &stored.assessment;
    let id = a.id.clone();
    // The sets may still be read (their part, which scores too, is fetched once a card needs
    // them).
    let summary = {
        let assessment = a.clone();
        move || {
            let part = state
                .sets_status
                .get()
                .is_read()
                .then(SetsPart::loaded)
                .flatten()?;
            Some(
                state
                    .sets
                    .with(|sets| sets.find(&assessment.criteria_set).map(|r| r.set.clone()))
                    .map(|set| {
                        let s = (part.score)(&set, &assessment);
                        (s.total, s.threshold, s.verdict, s.answered, s.item_count)
                    }),
            )
        }
    };
    let set_ref = a.criteria_set.clone();
    let Confirming(asking) = expect_context::<Confirming>();
    let confirming = {
        let id = id.clone();
        Signal::derive(move || asking.with(|a| a.as_deref() == Some(id.as_str())))
    };
    let title = format!("{} — năm {}", a.commune.name, a.year);
    // An export changes no revision, so the card is not drawn again: the line follows the mark.
    let exported = {
        let (id, at) = (id.clone(), stored.last_exported_at);
        move || match state
            .doc(&id)
            .map_or(at, |d| d.meta().with(|m| m.last_exported_at))
        {
            Some(at) => format!("Xuất tệp lần cuối: {}", clock::local_date_time(at)),
            None => "Chưa xuất tệp".into(),
        }
    };
    let (id_open, id_dup, id_exp, id_del) = (id.clone(), id.clone(), id.clone(), id.clone());
    let question = QuestionFocus::new();
    view! {
        <li class="card">
            <h2 class="card-title">
                <a href=Route::Criterion { id: id.clone(), number: 1 }.href()>{title.clone()}</a>
            </h2>
            <p class="muted">
                {a.commune.province_name.clone()} " · Mã " {a.commune.code.clone()}
                " · Bộ tiêu chí " {a.criteria_set.id.clone()} " phiên bản " {a.criteria_set.version.clone()}
            </p>
            <NewerVersion id=id.clone()/>
            {move || match summary() {
                None if state.sets_status.get() == SetsStatus::Failed => view! {
                    <p class="muted">
                        "Chưa tính được điểm: không tải được phần ứng dụng đọc bộ tiêu chí (có thể do "
                        "mạng). Dữ liệu vẫn được giữ."
                    </p>
                }.into_any(),
                None => view! { <p class="muted">"Đang tính điểm…"</p> }.into_any(),
                Some(Some((total, threshold, verdict, answered, items))) => view! {
                    <p>
                        <span class=verdict_class(verdict)>{verdict.label_vi()}</span>
                        " · " {total} " điểm"
                        {threshold.map(|t| format!(" / ngưỡng {t}"))}
                        " · Đã nhập " {answered} "/" {items} " mục"
                    </p>
                }.into_any(),
                Some(None) => view! {
                    <p class="banner banner-warning">
                        "Không tìm thấy bộ tiêu chí " {set_ref.id.clone()} " phiên bản "
                        {set_ref.version.clone()} " trên máy này: dữ liệu vẫn được giữ, "
                        "nhưng chưa tính được điểm."
                    </p>
                }.into_any(),
            }}
            <p class="muted">
                "Lưu lần cuối: " {clock::local_date_time(stored.updated_at)} " · " {exported}
            </p>
            <appraisal_received::CardLine id=id.clone()/>
            <div class="actions">
                <a class="button" href=Route::Criterion { id: id_open.clone(), number: 1 }.href()>"Mở"</a>
                <a class="button" href=Route::Results { id: id_open.clone() }.href()>"Kết quả"</a>
                // Before everything is read, what these change is not in this tab yet.
                <button type="button" prop:disabled=move || !state.ready.get()
                    on:click=move |_| duplicate(state, &id_dup)>
                    "Nhân bản cho năm sau"
                </button>
                <button type="button" prop:disabled=move || !state.ready.get()
                    on:click=move |_| export::request_export_one(state, &id_exp)>
                    "Xuất JSON"
                </button>
                <button type="button" class="danger" aria-label=format!("Xóa bản {title}")
                    node_ref=question.opener() prop:disabled=move || !state.ready.get()
                    on:click={
                        let id = id.clone();
                        move |_| {
                            asking.set(Some(id.clone()));
                            question.ask();
                        }
                    }>"Xóa"</button>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-label="Xác nhận xóa">
                    <p>"Xóa bản này khỏi máy? Bạn có thể hoàn tác ngay sau khi xóa."</p>
                    <button type="button" class="danger" on:click={
                        let id = id_del.clone();
                        move |_| {
                            asking.set(None);
                            state.delete(&id);
                            // Until «Hoàn tác» is there (once the deletion is stored).
                            focus::to_heading_if_lost();
                        }
                    }>"Xóa hẳn"</button>
                    <button type="button" node_ref=question.keep() on:click=move |_| {
                        asking.set(None);
                        question.back();
                    }>"Không xóa"</button>
                </div>
            </Show>
        </li>
    }
}

/// Starts the next round from an existing assessment: same unit and answers, next year, every
/// "đã kiểm tra" mark cleared so each figure is checked again.
fn duplicate(state: AppState, id: &str) {
    let Some(stored) = state.get(id) else { return };
    // The same rule as the form and the import: no year the app could not read back.
    let year = match next_year(stored.assessment.year) {
        Ok(year) => year,
        Err(problem) => {
            state.notify(
                format!("Không nhân bản được cho năm sau. {problem}"),
                Tone::Warning,
            );
            return;
        }
    };
    let now = clock::now_ms();
    let mut next = stored.assessment;
    next.id = clock::new_id();
    next.year = year;
    next.created_at = now;
    next.updated_at = now;
    for answer in next.answers.values_mut() {
        answer.checked = false;
    }
    let route = Route::AssessmentInfo {
        id: next.id.clone(),
    };
    state.create(next);
    state.notify(
        "Đã tạo bản cho năm sau từ bản cũ. Hãy kiểm tra năm và cập nhật số liệu.".into(),
        Tone::Info,
    );
    crate::ui::navigate(&route);
}

#[component]
fn UndoDelete() -> impl IntoView {
    let state = use_app();
    on_cleanup(move || state.deleted.set(None));
    // The card and its question went with the deletion: «Hoàn tác» takes the focus, from the
    // heading that held it meanwhile.
    let undo_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(undo) = undo_button.get() {
            focus::later(undo.into(), focus::on_heading());
        }
    });
    move || {
        let doc = state.deleted.get().and_then(|id| state.doc(&id))?;
        let a = doc.info().get_untracked();
        Some({
            view! {
                <p class="banner" role="status">
                    "Đã xóa bản của " {a.commune.name} " năm " {a.year} ". "
                    <button type="button" class="link-button" node_ref=undo_button
                        on:click=move |_| {
                            state.undo_delete();
                            focus::to_heading_if_lost();
                        }>
                        "Hoàn tác"
                    </button>
                </p>
            }
        })
    }
}

#[component]
fn UnreadableEntries() -> impl IntoView {
    let state = use_app();
    view! {
        <Show when=move || state.unreadable.with(|u| !u.is_empty())>
            <section class="banner banner-error" role="alert">
                <h2>"Có bản lưu không đọc được"</h2>
                <p>
                    "Các bản dưới đây không đọc được nên đã được để riêng, không bị xóa. Hãy tải "
                    "nội dung gốc xuống và gửi cho cán bộ kỹ thuật nếu cần khôi phục."
                </p>
                <ul>
                    <For each=move || state.unreadable.get() key=|u| u.key.clone() let:entry>
                        <li>
                            {entry.reason.clone()} " "
                            {(!entry.newer).then(|| {
                                let (k1, k2) = (entry.key.clone(), entry.key.clone());
                                view! {
                                    <button type="button"
                                        on:click=move |_| download_raw(state, k1.clone())>
                                        "Tải nội dung gốc"
                                    </button>
                                    " "
                                    <button type="button" class="danger"
                                        on:click=move |_| state.discard_unreadable(&k2)>
                                        "Bỏ bản hỏng này"
                                    </button>
                                }
                            })}
                        </li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

fn download_raw(state: AppState, key: String) {
    leptos::task::spawn_local(async move {
        let Some(raw) = state.unreadable_raw(&key).await else {
            state.notify(
                "Không còn nội dung gốc của bản lưu này.".into(),
                Tone::Error,
            );
            return;
        };
        let name = format!("ban-luu-hong_{}.txt", key.replace('/', "_"));
        if let Err(e) = files::download(&name, "text/plain;charset=utf-8", &raw) {
            state.notify(e.message_vi(), Tone::Error);
        }
    });
}
