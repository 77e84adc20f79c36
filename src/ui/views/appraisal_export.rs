//! Writing appraisal files: the province's appraisal of one commune, for the commune.

use leptos::prelude::*;

use crate::adapters::{clock, files};
use crate::domain::appraisal_file::{export_file, export_file_name, ExportAppraisal};
use crate::ui::appraisal_state::Appraisals;
use crate::ui::state::{use_app, Tone};
use crate::ui::views::appraisal_minutes::set_of;

/// Downloads the appraisal `id` as a file.
pub fn export_own(appraisals: Appraisals, id: &str) {
    let state = use_app();
    let Some(appraisal) = appraisals
        .own
        .with_untracked(|all| all.iter().find(|a| a.id == id).cloned())
    else {
        return;
    };
    let Some(set) = set_of(&state.sets.get_untracked(), &appraisal) else {
        state.notify(
            "Không xuất được: bộ tiêu chí của bản được thẩm định chưa có trên máy này.".into(),
            Tone::Error,
        );
        return;
    };
    let id = id.to_string();
    leptos::task::spawn_local(async move {
        // The file's history is what is committed: wait for the edits still being written.
        let _ = appraisals.until_saved().await;
        let history = match appraisals.history_of(&id).await {
            Ok(history) => history,
            Err(why) => {
                state.notify(
                    format!(
                        "Lịch sử thay đổi chưa đọc được ({why}); tệp được xuất không kèm lịch sử."
                    ),
                    Tone::Warning,
                );
                Vec::new()
            }
        };
        let entry = ExportAppraisal {
            appraisal: &appraisal,
            set: &set,
            history: &history,
        };
        let now = clock::now_ms();
        let text = export_file(&[entry], now);
        let name = export_file_name(&[entry], now);
        match files::download(&name, "application/json;charset=utf-8", &text) {
            Ok(()) => state.notify(
                format!(
                    "Đã xuất kết quả thẩm định của {} năm {} vào tệp «{name}». Hãy gửi tệp này cho \
                     xã.",
                    appraisal.reviewed.assessment.commune.name,
                    appraisal.year()
                ),
                Tone::Info,
            ),
            Err(e) => state.notify(
                format!("Chưa xuất được tệp. {}", e.message_vi()),
                Tone::Error,
            ),
        }
    });
}
