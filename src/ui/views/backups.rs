//! "Bản sao lưu": copies set aside when two tabs or an imported file disagreed, listed after
//! any reload so the user can bring one back, export it, or let it go.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::adapters::{clock, focus};
use crate::domain::storage_format::StoredAssessment;
use crate::ui::on_demand::{part_entry, NotLoaded};
use crate::ui::state::{use_app, AppState, Tone};
use crate::ui::views::export;

/// Brings a copy back ([`AppState::restore_backup`]): code of the screens' part, which is there
/// whenever a backup is (the start reads what is stored through it).
type Restore =
    fn(AppState, String) -> Pin<Box<dyn Future<Output = Result<Option<StoredAssessment>, String>>>>;

thread_local! {
    static RESTORE: Cell<Option<Restore>> = const { Cell::new(None) };
}

#[leptos::wasm_split::wasm_split(man_hinh, fallible, wasm_split_path = ::leptos::wasm_split)]
fn restoring_part() -> Result<Restore, NotLoaded> {
    Ok(|state, key| Box::pin(async move { state.restore_backup(&key).await }))
}

async fn restore(state: AppState, key: String) -> Result<(), String> {
    let restore = part_entry(&RESTORE, restoring_part).await.map_err(|NotLoaded| {
        "Không tải được phần ứng dụng dùng để dùng lại bản sao lưu (có thể do mạng). Bản sao lưu \
         và bản đang dùng vẫn giữ nguyên; hãy thử lại khi có mạng."
            .to_string()
    })?;
    restore(state, key).await.map(|_| ())
}

#[component]
pub fn Backups() -> impl IntoView {
    let state = use_app();
    let list = state.backups;
    view! {
        <Show when=move || list.with(|l| !l.is_empty())>
            <section class="panel" aria-labelledby="sao-luu-tieu-de">
                <h2 id="sao-luu-tieu-de">"Bản sao lưu"</h2>
                <p>
                    "Khi hai thẻ cùng sửa một bản, hoặc khi nhập tệp trùng xã và năm, bản không được "
                    "chọn được giữ ở đây. Bạn có thể dùng lại bản đó (bản đang dùng sẽ thành bản sao "
                    "lưu), xuất ra tệp, hoặc xóa."
                </p>
                <ul class="backups">
                    <For each=move || list.get() key=|(key, _)| key.clone() let:entry>
                        {
                            let (key, stored) = entry;
                            let a = &stored.assessment;
                            let label = format!(
                                "{} — năm {} (lần lưu {}, lúc {})",
                                a.commune.name,
                                a.year,
                                stored.revision,
                                clock::local_date_time(stored.updated_at)
                            );
                            let (k_use, k_del) = (key.clone(), key.clone());
                            let to_export = stored.clone();
                            view! {
                                <li>
                                    <span>{label.clone()}</span>
                                    <div class="actions">
                                        <button type="button" on:click=move |_| {
                                            let key = k_use.clone();
                                            leptos::task::spawn_local(async move {
                                                match restore(state, key).await {
                                                    Ok(_) => state.notify("Đã dùng lại bản sao lưu.".into(), Tone::Info),
                                                    Err(e) => state.notify(e, Tone::Error),
                                                }
                                            });
                                        }>"Dùng bản này"</button>
                                        <button type="button"
                                            on:click=move |_| export::request_export_stored(state, &to_export)>
                                            "Xuất JSON"
                                        </button>
                                        <button type="button" class="danger"
                                            aria-label=format!("Xóa bản sao lưu {label}")
                                            on:click=move |ev| {
                                                focus::leaving_row(&event_target(&ev), "li", "button.danger");
                                                let key = k_del.clone();
                                                leptos::task::spawn_local(async move {
                                                    if let Err(e) = state.remove_backup(&key).await {
                                                        state.notify(format!("Chưa xóa được bản sao lưu. {}", e.message_vi()), Tone::Error);
                                                    }
                                                });
                                            }>"Xóa"</button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
