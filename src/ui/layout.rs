//! What stays on every screen: the header with navigation, the save line with storage
//! warnings and notices; and the banner of an assessment another tab is editing.

use leptos::prelude::*;

use crate::adapters::{clock, focus, print};
use crate::domain::dashboard::parse_row_key;
use crate::routes::{subject_vi, Route, Section, APP_NAME};
use crate::ui::dashboard_state::Dashboard;
use crate::ui::state::{use_app, Access, AppState, Doc, SaveStatus, StorageMode, Tone};

#[component]
pub fn Header() -> impl IntoView {
    let state = use_app();
    page_title(state);
    let current = move |section: Section| {
        state
            .route
            .with(|r| r.section() == section)
            .then_some("page")
    };
    view! {
        // The hash holds the screen's address: following `#noi-dung` would open «Không tìm
        // thấy trang». The link moves the focus itself.
        <a class="skip-link" href="#noi-dung" on:click=|ev| {
            ev.prevent_default();
            focus::to_content();
        }>"Bỏ qua, đến nội dung chính"</a>
        <header class="app-header no-print">
            <a class="app-name" href=Route::Home.href()>{APP_NAME}</a>
            <nav aria-label="Điều hướng chính">
                <a href=Route::Home.href()
                    aria-current=move || current(Section::Assessments)>
                    "Các bản tự đánh giá"
                </a>
                <a href=Route::Dashboard.href()
                    aria-current=move || current(Section::Dashboard)>
                    "Tổng hợp"
                </a>
                <a href=Route::CriteriaSets.href()
                    aria-current=move || current(Section::CriteriaSets)>
                    "Bộ tiêu chí"
                </a>
            </nav>
        </header>
    }
}

/// Keeps the page's title on the screen shown, with the commune and year it is about once they
/// are known (an answer typed does not touch them).
fn page_title(state: AppState) {
    let dashboard = use_context::<Dashboard>();
    let subject = Memo::new(move |_| {
        let route = state.route.get();
        if let Some(id) = route.assessment_id() {
            let doc = state.doc(id)?;
            return Some(doc.info().with(|a| subject_vi(&a.commune.name, a.year)));
        }
        let (code, year) = parse_row_key(route.dashboard_key()?)?;
        dashboard?.rows.with(|rows| {
            rows.iter()
                .find(|r| r.year == year && r.commune_code == code)
                .map(|r| subject_vi(&r.commune_name, r.year))
        })
    });
    Effect::new(move |_| {
        let title = state.route.with(|r| r.title_vi(subject.get().as_deref()));
        print::set_title(&title);
    });
}

fn save_text(status: &SaveStatus) -> String {
    match status {
        SaveStatus::Idle => "Dữ liệu được lưu trên máy này, trong trình duyệt.".into(),
        SaveStatus::Saving => "Đang lưu…".into(),
        SaveStatus::Saved { at_ms } => format!("Đã lưu lúc {}", clock::local_time(*at_ms)),
        SaveStatus::Failed(e) => format!("Chưa lưu được. {}", e.message_vi()),
    }
}

/// The permanent banner about where data is kept, when it is not the durable store.
fn storage_banner(mode: &StorageMode) -> Option<String> {
    match mode {
        StorageMode::Loading | StorageMode::Durable => None,
        StorageMode::Fallback(e) => Some(format!(
            "Trình duyệt không cho dùng bộ nhớ IndexedDB ({}). Dữ liệu đang được lưu tạm trong              localStorage: ít chỗ hơn (khoảng 5 MB) và vài giây thay đổi gần nhất có thể mất nếu              máy tắt đột ngột. Hãy xuất tệp JSON thường xuyên.",
            e.message_vi()
        )),
        StorageMode::MemoryOnly(e) => Some(format!(
            "{} Mọi thay đổi chỉ nằm trong thẻ này: hãy xuất tệp JSON trước khi đóng thẻ.",
            e.message_vi()
        )),
    }
}

#[component]
pub fn StatusBar() -> impl IntoView {
    let state = use_app();
    let failed = move || matches!(state.save.get(), SaveStatus::Failed(_));
    let persisted_text = move || match state.persisted.get() {
        Some(true) => Some("Trình duyệt đã cho phép lưu lâu dài: dữ liệu không bị tự xóa."),
        Some(false) => Some(
            "Trình duyệt chưa cho phép lưu lâu dài: dữ liệu có thể bị xóa khi máy thiếu bộ nhớ \
             hoặc lâu không mở trang. Hãy xuất tệp sao lưu thường xuyên.",
        ),
        None => None,
    };
    let memory_only = move || matches!(state.storage.get(), StorageMode::MemoryOnly(_));
    view! {
        <section class="status-area no-print" aria-label="Trạng thái lưu dữ liệu">
            {move || storage_banner(&state.storage.get()).map(|text| view! {
                <p class="banner banner-error" role="alert">{text}</p>
            })}
            <p id="trang-thai-luu" class="save-status" class:save-failed=failed role="status"
                aria-live="polite" tabindex="-1">
                {move || save_text(&state.save.get())}
                {move || (failed() && state.rescue.get().is_some()).then(|| format!(
                    " Bản sao tạm của thay đổi đã được giữ trong bộ nhớ phụ của trình duyệt lúc {}; \
                     nó sẽ hiện trong «Bản sao lưu» ở lần mở sau.",
                    clock::local_time(state.rescue.get().unwrap_or_default())
                ))}
                {move || (failed() && !memory_only()).then(|| view! {
                    " "
                    <button type="button" class="link-button"
                        on:click=move |_| {
                            // The button goes when the retry succeeds: the status keeps the
                            // focus and says how it went.
                            focus::to_id("trang-thai-luu");
                            state.retry_unsaved();
                        }>"Thử lưu lại"</button>
                    " · "
                    <button type="button" class="link-button"
                        on:click=move |_| crate::ui::views::export::request_export_all(state)>
                        "Xuất tệp JSON để giữ lại"
                    </button>
                })}
            </p>
            {move || persisted_text().map(|t| view! { <p class="persist-status">{t}</p> })}
            <ul class="notices" aria-live="polite">
                <For each=move || state.notices.with(|n| n.shown().to_vec()) key=|n| n.id let:notice>
                    <li class=match notice.tone {
                        Tone::Info => "notice",
                        Tone::Warning => "notice notice-warning",
                        Tone::Error => "notice notice-error",
                    }>
                        <span>{notice.text.clone()}</span>
                        <button type="button" class="link-button"
                            aria-label="Đóng thông báo"
                            on:click=move |ev| {
                                focus::leaving_row(&event_target(&ev), "li", "button");
                                state.dismiss(notice.id);
                            }>"Đóng"</button>
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// On an editing screen: says when another tab edits this assessment (this one then shows it
/// read-only and follows the other), offers to edit here instead, and says when it was deleted.
#[component]
pub fn EditingBanner(doc: Doc) -> impl IntoView {
    let state = use_app();
    let access = doc.access().clone();
    let meta = doc.meta().clone();
    let id = doc.id().to_string();
    move || {
        if meta.with(|m| m.deleted_at.is_some()) {
            let id = id.clone();
            return Some(view! {
                <div class="banner banner-warning" role="alert">
                    <p>"Bản tự đánh giá này đã bị xóa (ở thẻ này hoặc một thẻ khác). Dữ liệu vẫn còn cho đến khi bạn rời trang."</p>
                    <button type="button" on:click=move |_| state.restore_deleted(&id)>
                        "Khôi phục bản này"
                    </button>
                </div>
            }.into_any());
        }
        match access.get() {
            Access::OtherTab => {
                let id = id.clone();
                Some(view! {
                    <div class="banner banner-warning" role="status">
                        <p>
                            "Bản này đang được sửa ở một thẻ hoặc cửa sổ khác. Thẻ này chỉ để xem và "
                            "tự cập nhật theo thẻ kia, để hai nơi không ghi đè lên nhau."
                        </p>
                        <button type="button" on:click=move |_| state.take_over(&id)>
                            "Sửa ở thẻ này"
                        </button>
                    </div>
                }.into_any())
            }
            Access::Waiting => Some(
                view! {
                    <p class="banner" role="status">"Đang nhận quyền sửa bản này…"</p>
                }
                .into_any(),
            ),
            Access::Free | Access::Owner => None,
        }
    }
}
