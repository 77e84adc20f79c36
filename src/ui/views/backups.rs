//! "Bản sao lưu": copies set aside when two tabs or an imported file disagreed, listed after
//! any reload so the user can bring one back, export it, or let it go.

use leptos::prelude::*;

use crate::adapters::{clock, storage};
use crate::ui::state::{use_app, Tone};
use crate::ui::views::export;

#[component]
pub fn Backups() -> impl IntoView {
    let state = use_app();
    // Backups change only through this section, imports and conflicts: re-read on each of those.
    let version = RwSignal::new(0u32);
    // Read once per change, not once per use: the store is scanned for them.
    let list = Memo::new(move |_| {
        version.get();
        state.assessments.track();
        state.backups()
    });
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
                                            match state.restore_backup(&k_use) {
                                                Ok(_) => state.notify("Đã dùng lại bản sao lưu.".into(), Tone::Info),
                                                Err(e) => state.notify(e, Tone::Error),
                                            }
                                            version.update(|v| *v += 1);
                                        }>"Dùng bản này"</button>
                                        <button type="button"
                                            on:click=move |_| export::export_stored(state, &to_export)>
                                            "Xuất JSON"
                                        </button>
                                        <button type="button" class="danger"
                                            aria-label=format!("Xóa bản sao lưu {label}")
                                            on:click=move |_| {
                                                storage::remove(&k_del);
                                                version.update(|v| *v += 1);
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
