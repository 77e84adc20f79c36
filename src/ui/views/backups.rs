//! "Bản sao lưu": copies set aside when two tabs or an imported file disagreed, listed after
//! any reload so the user can bring one back, export it, or let it go.

use leptos::prelude::*;

use crate::adapters::clock;
use crate::ui::state::{use_app, Tone};
use crate::ui::views::export;

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
                                                match state.restore_backup(&key).await {
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
                                            on:click=move |_| {
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
