//! Navigation lives in the URL hash (`#/danh-gia/<id>/tieu-chi/3`), so reload, back and forward
//! work on any static host without server rewrites. Plain Rust, tested natively.

/// Every screen of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// "Các bản tự đánh giá".
    Home,
    NewAssessment,
    /// Commune, category, year and assessor of an existing assessment.
    AssessmentInfo {
        id: String,
    },
    /// One criterion screen, numbered from 1.
    Criterion {
        id: String,
        number: usize,
    },
    Results {
        id: String,
    },
    Report {
        id: String,
    },
    /// The version of its criteria set an assessment uses, and the move to a newer one.
    SetVersion {
        id: String,
    },
    /// "Tổng hợp": the province's loaded files.
    Dashboard,
    /// Results of one loaded file on the dashboard.
    DashboardResults {
        key: String,
    },
    DashboardReport {
        key: String,
    },
    /// "Bộ tiêu chí": the sets of this browser, the draft, where to start one.
    CriteriaSets,
    /// The criteria-set editor.
    CriteriaEditor,
    /// Two versions side by side: each is `<id>@<version>`, or `ban-nhap` (the editor's draft)
    /// or `goc` (the set the draft started from).
    CriteriaCompare {
        old: String,
        new: String,
    },
    /// The province's appraisal of a loaded commune ("Thẩm định").
    Appraisal {
        key: String,
    },
    /// Its printable minutes ("Biên bản thẩm định").
    AppraisalMinutes {
        key: String,
    },
    /// The province's list of communes with self and appraised scores, by unit category.
    AppraisalList,
    /// On the commune's side: the appraisal received for one of its assessments.
    ReceivedAppraisal {
        id: String,
    },
    /// Its minutes, to print.
    ReceivedMinutes {
        id: String,
    },
    NotFound,
}

/// The app's name, as the header and the page's title give it.
pub const APP_NAME: &str = "Tự đánh giá xã, phường phù hợp với trẻ em";

/// What a screen is about in its title: «Phường Hoàn Kiếm năm 2026».
pub fn subject_vi(commune_name: &str, year: u16) -> String {
    format!("{commune_name} năm {year}")
}

/// The part of the app a screen belongs to: the header's navigation marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// "Các bản tự đánh giá": the commune's own assessments and what it received about them.
    Assessments,
    /// "Tổng hợp": the province's loaded files, their appraisals and lists.
    Dashboard,
    /// "Bộ tiêu chí".
    CriteriaSets,
}

impl Route {
    /// Where the screen belongs; every route is named, so a new one must be placed.
    pub fn section(&self) -> Section {
        match self {
            Route::Home
            | Route::NotFound
            | Route::NewAssessment
            | Route::AssessmentInfo { .. }
            | Route::Criterion { .. }
            | Route::Results { .. }
            | Route::Report { .. }
            | Route::SetVersion { .. }
            | Route::ReceivedAppraisal { .. }
            | Route::ReceivedMinutes { .. } => Section::Assessments,
            Route::Dashboard
            | Route::DashboardResults { .. }
            | Route::DashboardReport { .. }
            | Route::Appraisal { .. }
            | Route::AppraisalMinutes { .. }
            | Route::AppraisalList => Section::Dashboard,
            Route::CriteriaSets | Route::CriteriaEditor | Route::CriteriaCompare { .. } => {
                Section::CriteriaSets
            }
        }
    }

    /// The page's title on this screen: the screen, what it is about (a commune and year, when
    /// known), the app. Tabs and the history list show it, and «Lưu dưới dạng PDF» proposes it
    /// as the file's name, so two communes' reports do not save under one name.
    pub fn title_vi(&self, subject: Option<&str>) -> String {
        let screen = match self {
            Route::Home => return APP_NAME.to_string(),
            Route::NewAssessment => "Tạo bản tự đánh giá mới".to_string(),
            Route::AssessmentInfo { .. } => "Thông tin chung".to_string(),
            Route::Criterion { number, .. } => format!("Tiêu chí {number}"),
            Route::Results { .. } | Route::DashboardResults { .. } => {
                "Kết quả tự đánh giá".to_string()
            }
            Route::Report { .. } | Route::DashboardReport { .. } => {
                "Báo cáo tự đánh giá".to_string()
            }
            Route::SetVersion { .. } => "Phiên bản bộ tiêu chí".to_string(),
            Route::Dashboard => "Tổng hợp kết quả các xã, phường".to_string(),
            Route::CriteriaSets => "Bộ tiêu chí".to_string(),
            Route::CriteriaEditor => "Soạn bộ tiêu chí".to_string(),
            Route::CriteriaCompare { .. } => "So sánh hai phiên bản bộ tiêu chí".to_string(),
            Route::Appraisal { .. } => "Thẩm định".to_string(),
            Route::AppraisalMinutes { .. } | Route::ReceivedMinutes { .. } => {
                "Biên bản thẩm định".to_string()
            }
            Route::AppraisalList => "Danh sách kết quả thẩm định".to_string(),
            Route::ReceivedAppraisal { .. } => "Kết quả thẩm định".to_string(),
            Route::NotFound => "Không tìm thấy trang".to_string(),
        };
        match subject {
            Some(subject) => format!("{screen} — {subject} — {APP_NAME}"),
            None => format!("{screen} — {APP_NAME}"),
        }
    }

    /// The assessment the screen shows, by its id in this browser.
    pub fn assessment_id(&self) -> Option<&str> {
        match self {
            Route::AssessmentInfo { id }
            | Route::Criterion { id, .. }
            | Route::Results { id }
            | Route::Report { id }
            | Route::SetVersion { id }
            | Route::ReceivedAppraisal { id }
            | Route::ReceivedMinutes { id } => Some(id),
            _ => None,
        }
    }

    /// The loaded commune the screen shows, by its key on the dashboard.
    pub fn dashboard_key(&self) -> Option<&str> {
        match self {
            Route::DashboardResults { key }
            | Route::DashboardReport { key }
            | Route::Appraisal { key }
            | Route::AppraisalMinutes { key } => Some(key),
            _ => None,
        }
    }

    /// Reads a `location.hash` value (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => Route::Home,
            ["moi"] => Route::NewAssessment,
            ["danh-gia", id] => Route::Criterion {
                id: decode(id),
                number: 1,
            },
            ["danh-gia", id, "thong-tin"] => Route::AssessmentInfo { id: decode(id) },
            ["danh-gia", id, "tieu-chi", n] => match n.parse::<usize>() {
                Ok(number) if number >= 1 => Route::Criterion {
                    id: decode(id),
                    number,
                },
                _ => Route::NotFound,
            },
            ["danh-gia", id, "ket-qua"] => Route::Results { id: decode(id) },
            ["danh-gia", id, "bao-cao"] => Route::Report { id: decode(id) },
            ["danh-gia", id, "bo-tieu-chi"] => Route::SetVersion { id: decode(id) },
            ["danh-gia", id, "tham-dinh"] => Route::ReceivedAppraisal { id: decode(id) },
            ["danh-gia", id, "bien-ban-tham-dinh"] => Route::ReceivedMinutes { id: decode(id) },
            ["tong-hop"] => Route::Dashboard,
            ["tong-hop", "danh-sach-tham-dinh"] => Route::AppraisalList,
            ["tong-hop", key, "ket-qua"] => Route::DashboardResults { key: decode(key) },
            ["tong-hop", key, "bao-cao"] => Route::DashboardReport { key: decode(key) },
            ["bo-tieu-chi"] => Route::CriteriaSets,
            ["bo-tieu-chi", "soan"] => Route::CriteriaEditor,
            ["bo-tieu-chi", "so-sanh", old, new] => Route::CriteriaCompare {
                old: decode(old),
                new: decode(new),
            },
            ["tong-hop", key, "tham-dinh"] => Route::Appraisal { key: decode(key) },
            ["tong-hop", key, "bien-ban"] => Route::AppraisalMinutes { key: decode(key) },
            _ => Route::NotFound,
        }
    }

    /// The hash for this route, with the leading `#`.
    pub fn href(&self) -> String {
        match self {
            Route::Home | Route::NotFound => "#/".into(),
            Route::NewAssessment => "#/moi".into(),
            Route::AssessmentInfo { id } => format!("#/danh-gia/{}/thong-tin", encode(id)),
            Route::Criterion { id, number } => {
                format!("#/danh-gia/{}/tieu-chi/{number}", encode(id))
            }
            Route::Results { id } => format!("#/danh-gia/{}/ket-qua", encode(id)),
            Route::Report { id } => format!("#/danh-gia/{}/bao-cao", encode(id)),
            Route::SetVersion { id } => format!("#/danh-gia/{}/bo-tieu-chi", encode(id)),
            Route::Dashboard => "#/tong-hop".into(),
            Route::DashboardResults { key } => format!("#/tong-hop/{}/ket-qua", encode(key)),
            Route::DashboardReport { key } => format!("#/tong-hop/{}/bao-cao", encode(key)),
            Route::CriteriaSets => "#/bo-tieu-chi".into(),
            Route::CriteriaEditor => "#/bo-tieu-chi/soan".into(),
            Route::CriteriaCompare { old, new } => {
                format!("#/bo-tieu-chi/so-sanh/{}/{}", encode(old), encode(new))
            }
            Route::Appraisal { key } => format!("#/tong-hop/{}/tham-dinh", encode(key)),
            Route::AppraisalMinutes { key } => format!("#/tong-hop/{}/bien-ban", encode(key)),
            Route::AppraisalList => "#/tong-hop/danh-sach-tham-dinh".into(),
            Route::ReceivedAppraisal { id } => format!("#/danh-gia/{}/tham-dinh", encode(id)),
            Route::ReceivedMinutes { id } => {
                format!("#/danh-gia/{}/bien-ban-tham-dinh", encode(id))
            }
        }
    }
}

/// Ids are made by the app from `[A-Za-z0-9_-]`; anything else is percent-encoded so that a
/// hand-edited or imported id can never break out of its path segment.
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_round_trips_through_its_hash() {
        for route in every_route() {
            assert_eq!(Route::parse(&route.href()), route, "{}", route.href());
        }
    }

    /// The header marks the section the address is under: a screen of the dashboard (an
    /// appraisal, the list of appraisals) is not one of the commune's own.
    #[test]
    fn a_screen_belongs_to_the_section_its_address_is_under() {
        for route in every_route() {
            let href = route.href();
            let expected = if href.starts_with("#/tong-hop") {
                Section::Dashboard
            } else if href.starts_with("#/bo-tieu-chi") {
                Section::CriteriaSets
            } else {
                Section::Assessments
            };
            assert_eq!(route.section(), expected, "{href}");
        }
    }

    #[test]
    fn a_title_names_the_screen_then_what_it_is_about() {
        let report = Route::Report { id: "a1".into() };
        assert_eq!(
            report.title_vi(Some(&subject_vi("Phường Hoàn Kiếm", 2026))),
            "Báo cáo tự đánh giá — Phường Hoàn Kiếm năm 2026 — Tự đánh giá xã, phường phù hợp \
             với trẻ em"
        );
        assert_eq!(
            report.title_vi(None),
            "Báo cáo tự đánh giá — Tự đánh giá xã, phường phù hợp với trẻ em"
        );
        assert_eq!(Route::Home.title_vi(Some("x")), APP_NAME);
    }

    /// Every screen of one assessment (`#/danh-gia/<id>/…`) or of one loaded commune
    /// (`#/tong-hop/<key>/…`) gives its id or key, so that its title can say which.
    #[test]
    fn screens_of_one_commune_give_its_id_or_key() {
        for route in every_route() {
            let href = route.href();
            let id = href
                .strip_prefix("#/danh-gia/")
                .and_then(|rest| rest.split('/').next());
            let key = href
                .strip_prefix("#/tong-hop/")
                .filter(|_| route != Route::AppraisalList)
                .and_then(|rest| rest.split('/').next());
            assert_eq!(
                route.assessment_id().map(encode),
                id.map(String::from),
                "{href}"
            );
            assert_eq!(
                route.dashboard_key().map(encode),
                key.map(String::from),
                "{href}"
            );
        }
    }

    fn every_route() -> Vec<Route> {
        vec![
            Route::Home,
            Route::NewAssessment,
            Route::AssessmentInfo { id: "a1".into() },
            Route::Criterion {
                id: "a-1_b".into(),
                number: 13,
            },
            Route::Results { id: "x".into() },
            Route::Report { id: "x".into() },
            Route::SetVersion { id: "x".into() },
            Route::Dashboard,
            Route::DashboardResults {
                key: "26734_2026".into(),
            },
            Route::DashboardReport { key: "k".into() },
            Route::CriteriaSets,
            Route::CriteriaEditor,
            Route::CriteriaCompare {
                old: "qd-06-2019@1.0.0".into(),
                new: "ban-nhap".into(),
            },
            Route::Appraisal {
                key: "26734_2026".into(),
            },
            Route::AppraisalMinutes { key: "k".into() },
            Route::AppraisalList,
            Route::ReceivedAppraisal { id: "a1".into() },
            Route::ReceivedMinutes { id: "a1".into() },
        ]
    }

    #[test]
    fn hostile_ids_stay_inside_their_segment() {
        let route = Route::Results {
            id: "../\"><script>".into(),
        };
        let href = route.href();
        assert!(!href.contains('<') && !href.contains('"'), "{href}");
        assert_eq!(Route::parse(&href), route);
    }

    #[test]
    fn unknown_or_malformed_paths_are_not_found() {
        assert_eq!(Route::parse("#/khong-co"), Route::NotFound);
        assert_eq!(Route::parse("#/danh-gia/a/tieu-chi/0"), Route::NotFound);
        assert_eq!(Route::parse("#/danh-gia/a/tieu-chi/x"), Route::NotFound);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#"), Route::Home);
    }

    #[test]
    fn an_assessment_without_a_screen_opens_its_first_criterion() {
        assert_eq!(
            Route::parse("#/danh-gia/abc"),
            Route::Criterion {
                id: "abc".into(),
                number: 1
            }
        );
    }
}
