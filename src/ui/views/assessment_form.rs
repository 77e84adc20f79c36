//! New assessment, and editing who and what an existing one is about: province, commune,
//! unit category (which threshold applies), year, criteria set, assessor. What is typed and not
//! yet saved is kept as a draft, so a reload or an accepted update does not clear it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::adapters::clock;
use crate::domain::assessment::{Assessment, Assessor, CommuneRef};
use crate::domain::divisions::Divisions;
use crate::domain::validation::{parse_year, TextField, YEAR_MAX, YEAR_MIN};
use crate::routes::Route;
use crate::ui::state::use_app;

/// How many matches the commune list shows at once.
const MATCHES: usize = 60;

#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
struct Form {
    province: String,
    commune: String,
    category: String,
    year: String,
    set_key: String,
    assessor_name: String,
    assessor_position: String,
}

/// A field of the form that can be wrong; its problem is shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FormField {
    Province,
    Commune,
    Category,
    Year,
    Set,
    AssessorName,
}

impl FormField {
    /// The element that takes the focus when the field is wrong.
    fn focus_id(self) -> &'static str {
        match self {
            FormField::Province => "tinh",
            FormField::Commune => "xa",
            FormField::Category => "loai-don-vi-dau",
            FormField::Year => "nam",
            FormField::Set => "bo-tieu-chi",
            FormField::AssessorName => "ho-ten",
        }
    }

    fn error_id(self) -> &'static str {
        match self {
            FormField::Province => "tinh-loi",
            FormField::Commune => "xa-loi",
            FormField::Category => "loai-don-vi-loi",
            FormField::Year => "nam-loi",
            FormField::Set => "bo-tieu-chi-loi",
            FormField::AssessorName => "ho-ten-loi",
        }
    }
}

/// Every problem of the form, in Vietnamese, in the order of the fields.
fn problems(form: &Form) -> Vec<(FormField, String)> {
    let mut out = Vec::new();
    let mut add = |field, text: &str| out.push((field, text.to_string()));
    if form.province.is_empty() {
        add(FormField::Province, "Chưa chọn tỉnh, thành phố.");
    }
    if form.commune.is_empty() {
        add(FormField::Commune, "Chưa chọn xã, phường hoặc đặc khu.");
    }
    if form.category.is_empty() {
        add(
            FormField::Category,
            "Chưa chọn loại đơn vị (quyết định ngưỡng điểm).",
        );
    }
    if let Err(problem) = parse_year(&form.year) {
        add(FormField::Year, &problem.to_string());
    }
    if form.set_key.is_empty() {
        add(FormField::Set, "Chưa chọn bộ tiêu chí.");
    }
    if form.assessor_name.trim().is_empty() {
        add(FormField::AssessorName, "Chưa nhập họ tên người đánh giá.");
    }
    out
}

/// Moves the focus (and the phone's screen) to the first wrong field.
fn focus(field: FormField) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(field.focus_id()));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

fn set_key(id: &str, version: &str) -> String {
    format!("{id}@{version}")
}

/// The draft of a form: the new assessment's, or one assessment's general information.
fn draft_name(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("thong-tin/{id}"),
        None => "danh-gia-moi".into(),
    }
}

/// `id` of the assessment to edit, or `None` for a new one; `divisions` is the commune list,
/// which the route loads first (`ui::on_demand::with_divisions`).
#[component]
pub fn AssessmentForm(id: Option<String>, divisions: &'static Divisions) -> impl IntoView {
    let state = use_app();
    let existing = id.as_ref().and_then(|id| state.get(id));
    let editing = existing.is_some();
    if id.is_some() && !editing {
        return view! { <super::not_found::NotFound/> }.into_any();
    }
    let doc = id.as_ref().and_then(|id| state.doc(id));
    let initial = match &existing {
        Some(s) => {
            let a = &s.assessment;
            Form {
                province: a.commune.province_code.clone(),
                commune: a.commune.code.clone(),
                category: a.unit_category.clone(),
                year: a.year.to_string(),
                set_key: set_key(&a.criteria_set.id, &a.criteria_set.version),
                assessor_name: a.assessor.name.clone(),
                assessor_position: a.assessor.position.clone(),
            }
        }
        None => Form {
            year: clock::today().2.to_string(),
            set_key: state
                .sets
                .with_untracked(|s| {
                    s.default_for_new()
                        .map(|r| set_key(&r.set.id, &r.set.version))
                })
                .unwrap_or_default(),
            ..Form::default()
        },
    };
    let draft = draft_name(id.as_deref());
    let restored = state
        .draft(&draft)
        .and_then(|text| serde_json::from_str::<Form>(&text).ok())
        .filter(|f| *f != initial);
    let show_restored = RwSignal::new(restored.is_some());
    let form = RwSignal::new(restored.unwrap_or_else(|| initial.clone()));
    let query = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    // Every change is kept as a draft until the form is saved or given up.
    {
        let (draft, initial) = (draft.clone(), initial.clone());
        Effect::new(move |_| {
            let now = form.get();
            if now == initial {
                state.discard_draft(&draft);
            } else {
                state.save_draft(&draft, serde_json::to_string(&now).unwrap_or_default());
            }
        });
    }
    let discard = {
        let (draft, initial) = (draft.clone(), initial.clone());
        move |_| {
            form.set(initial.clone());
            state.discard_draft(&draft);
            show_restored.set(false);
        }
    };
    let readonly = Memo::new(move |_| doc.as_ref().is_some_and(|d| !d.editable()));
    let banner = id.as_ref().and_then(|id| state.doc(id)).map(|doc| {
        view! { <crate::ui::layout::EditingBanner doc=doc/> }
    });

    let chosen_set = move || {
        let key = form.with(|f| f.set_key.clone());
        state.sets.with(|sets| {
            sets.iter()
                .find(|r| set_key(&r.set.id, &r.set.version) == key)
                .cloned()
        })
    };
    let matches = move || {
        let (province, q) = (form.with(|f| f.province.clone()), query.get());
        if province.is_empty() {
            return Vec::new();
        }
        let list: Vec<_> = if q.trim().is_empty() {
            divisions.communes_of(&province).iter().collect()
        } else {
            divisions.search(&q, Some(&province), MATCHES)
        };
        list.into_iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect::<Vec<_>>()
    };
    let set_field = move |f: fn(&mut Form) -> &mut String, value: String| {
        form.update(|form| *f(form) = value);
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        let f = form.get_untracked();
        if let Some((first, _)) = problems(&f).first() {
            focus(*first);
            return;
        }
        let Some(set) = chosen_set() else { return };
        let (Some(commune), Some(province)) = (
            divisions.commune(&f.commune),
            divisions.province(&f.province),
        ) else {
            return;
        };
        let commune = CommuneRef {
            code: commune.code.clone(),
            name: commune.name.clone(),
            province_code: province.code.clone(),
            province_name: province.name.clone(),
        };
        let assessor = Assessor {
            name: f.assessor_name.trim().to_string(),
            position: f.assessor_position.trim().to_string(),
        };
        let Ok(year) = parse_year(&f.year) else {
            return;
        };
        if readonly.get_untracked() {
            return;
        }
        state.discard_draft(&draft_name(id.as_deref()));
        match &id {
            Some(id) => {
                state.update(id, |a| {
                    a.commune = commune;
                    a.unit_category = f.category.clone();
                    a.year = year;
                    a.assessor = assessor;
                });
                crate::ui::navigate(&Route::Criterion {
                    id: id.clone(),
                    number: 1,
                });
            }
            None => {
                let now = clock::now_ms();
                let assessment = Assessment {
                    id: clock::new_id(),
                    criteria_set: set.reference(),
                    commune,
                    unit_category: f.category.clone(),
                    year,
                    assessor,
                    answers: Default::default(),
                    recorded_max: Default::default(),
                    created_at: now,
                    updated_at: now,
                    set_moves: Vec::new(),
                };
                let route = Route::Criterion {
                    id: assessment.id.clone(),
                    number: 1,
                };
                state.create(assessment);
                crate::ui::navigate(&route);
            }
        }
    };

    // Shown once the user has tried to save, each beside its field.
    let shown = Memo::new(move |_| {
        if submitted.get() {
            form.with(problems)
        } else {
            Vec::new()
        }
    });
    let error_of = move |field: FormField| {
        shown.with(|list| {
            list.iter()
                .find(|(f, _)| *f == field)
                .map(|(_, m)| m.clone())
        })
    };
    let invalid = move |field: FormField| move || error_of(field).is_some().then_some("true");
    let error_line = move |field: FormField| {
        view! { <p class="field-error" id=field.error_id()>{move || error_of(field)}</p> }
    };

    view! {
        <h1>{if editing { "Thông tin bản tự đánh giá" } else { "Tạo bản tự đánh giá mới" }}</h1>
        {banner}
        <Show when=move || show_restored.get()>
            <div class="banner" role="status">
                <p>"Đã khôi phục nội dung bạn nhập dở lần trước (chưa được lưu)."</p>
                <button type="button" on:click=discard.clone()>"Bỏ nội dung nhập dở"</button>
            </div>
        </Show>
        <form class="form" on:submit=submit novalidate>
            <fieldset>
                <legend>"Đơn vị được đánh giá"</legend>
                <label for="tinh">"Tỉnh, thành phố"</label>
                <select id="tinh" required
                    aria-invalid=invalid(FormField::Province)
                    aria-describedby=FormField::Province.error_id()
                    on:change=move |ev| {
                        set_field(|f| &mut f.province, event_target_value(&ev));
                        set_field(|f| &mut f.commune, String::new());
                        query.set(String::new());
                    }>
                    <option value="" selected=move || form.with(|f| f.province.is_empty())>
                        "— Chọn tỉnh, thành phố —"
                    </option>
                    {divisions.provinces().iter().map(|p| {
                        let code = p.code.clone();
                        view! {
                            <option value=p.code.clone()
                                selected=move || form.with(|f| f.province == code)>
                                {p.name.clone()}
                            </option>
                        }
                    }).collect_view()}
                </select>
                {error_line(FormField::Province)}

                <label for="tim-xa">"Tìm xã, phường, đặc khu (gõ không dấu cũng được)"</label>
                <input id="tim-xa" type="search" autocomplete="off"
                    placeholder="Ví dụ: phu my"
                    prop:disabled=move || form.with(|f| f.province.is_empty())
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
                <label for="xa">"Xã, phường, đặc khu"</label>
                <select id="xa" size="6" required
                    aria-invalid=invalid(FormField::Commune)
                    aria-describedby=FormField::Commune.error_id()
                    prop:disabled=move || form.with(|f| f.province.is_empty())
                    on:change=move |ev| set_field(|f| &mut f.commune, event_target_value(&ev))>
                    {move || matches().into_iter().map(|(code, name)| {
                        let c = code.clone();
                        view! {
                            <option value=code.clone() selected=move || form.with(|f| f.commune == c)>
                                {name} " (" {code.clone()} ")"
                            </option>
                        }
                    }).collect_view()}
                </select>
                {error_line(FormField::Commune)}
                <p class="hint">
                    "Danh sách 3.321 đơn vị hành chính cấp xã áp dụng từ 01/07/2025, kèm mã chính thức."
                </p>
            </fieldset>

            <fieldset>
                <legend>"Bộ tiêu chí và loại đơn vị"</legend>
                <label for="bo-tieu-chi">"Bộ tiêu chí"</label>
                <select id="bo-tieu-chi" prop:disabled=editing
                    aria-invalid=invalid(FormField::Set)
                    aria-describedby=FormField::Set.error_id()
                    on:change=move |ev| set_field(|f| &mut f.set_key, event_target_value(&ev))>
                    {move || state.sets.get().iter().map(|r| {
                        let s = &r.set;
                        let key = set_key(&s.id, &s.version);
                        let k = key.clone();
                        view! {
                            <option value=key selected=move || form.with(|f| f.set_key == k)>
                                {s.title.clone()} " — " {s.legal_basis.number.clone()}
                                " (phiên bản " {s.version.clone()} ")"
                            </option>
                        }
                    }).collect_view()}
                </select>
                {error_line(FormField::Set)}
                <div role="radiogroup" aria-labelledby="loai-don-vi" class="choices"
                    aria-invalid=invalid(FormField::Category)
                    aria-describedby=FormField::Category.error_id()>
                    <p id="loai-don-vi" class="label">"Loại đơn vị (quyết định ngưỡng điểm phải đạt)"</p>
                    {error_line(FormField::Category)}
                    {move || chosen_set().map(|r| r.set.unit_categories.iter().enumerate().map(|(i, c)| {
                        let value = c.id.clone();
                        let checked_id = c.id.clone();
                        view! {
                            <label class="choice">
                                <input type="radio" name="loai-don-vi" value=c.id.clone()
                                    id=(i == 0).then_some(FormField::Category.focus_id())
                                    prop:checked=move || form.with(|f| f.category == checked_id)
                                    on:change=move |_| set_field(|f| &mut f.category, value.clone())/>
                                <span>
                                    <strong>{c.label.clone()}</strong>
                                    <br/>
                                    <span class="muted">
                                        "Văn bản gốc: «" {c.official_wording.clone()} "» — ngưỡng "
                                        {c.min_total} " điểm"
                                    </span>
                                </span>
                            </label>
                        }
                    }).collect_view())}
                    <p class="hint">
                        "Từ 01/07/2025 không còn quận, thị trấn; quy định chưa nói rõ đơn vị sau sáp "
                        "nhập thuộc loại nào. Hãy chọn theo hướng dẫn của cơ quan cấp trên."
                    </p>
                </div>
                <label for="nam">"Năm đánh giá"</label>
                <input id="nam" type="number" inputmode="numeric" min=YEAR_MIN max=YEAR_MAX
                    aria-invalid=invalid(FormField::Year)
                    aria-describedby=FormField::Year.error_id()
                    prop:value=move || form.with(|f| f.year.clone())
                    on:input=move |ev| set_field(|f| &mut f.year, event_target_value(&ev))/>
                {error_line(FormField::Year)}
            </fieldset>

            <fieldset>
                <legend>"Người đánh giá"</legend>
                <label for="ho-ten">"Họ và tên"</label>
                <input id="ho-ten" type="text" autocomplete="name"
                    maxlength=TextField::AssessorName.max_chars()
                    aria-invalid=invalid(FormField::AssessorName)
                    aria-describedby=FormField::AssessorName.error_id()
                    prop:value=move || form.with(|f| f.assessor_name.clone())
                    on:input=move |ev| set_field(|f| &mut f.assessor_name, event_target_value(&ev))/>
                {error_line(FormField::AssessorName)}
                <label for="chuc-vu">"Chức vụ"</label>
                <input id="chuc-vu" type="text" placeholder="Ví dụ: Công chức Văn hóa - Xã hội"
                    maxlength=TextField::AssessorPosition.max_chars()
                    prop:value=move || form.with(|f| f.assessor_position.clone())
                    on:input=move |ev| set_field(|f| &mut f.assessor_position, event_target_value(&ev))/>
            </fieldset>

            // The same problems once more by the button, for who looks there.
            {move || {
                let list = shown.get();
                (!list.is_empty()).then(|| view! {
                    <div class="banner banner-error" role="alert">
                        <p>"Chưa thể lưu; hãy sửa các ô được đánh dấu:"</p>
                        <ul>{list.into_iter().map(|(_, p)| view! { <li>{p}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            <div class="actions">
                <button type="submit" class="primary" prop:disabled=move || readonly.get()>
                    {if editing { "Lưu thông tin" } else { "Tạo và bắt đầu nhập số liệu" }}
                </button>
                <a class="button" href=Route::Home.href()
                    on:click=move |_| state.discard_draft(&draft)>"Hủy"</a>
            </div>
        </form>
    }
    .into_any()
}
