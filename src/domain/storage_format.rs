//! How one assessment is kept in the browser (localStorage), with versioned migrations.
//!
//! | format | layout |
//! |---|---|
//! | 1 | a bare [`Assessment`] object (the first layout, without envelope) |
//! | 2 (current) | [`StoredAssessment`]: `{format, revision, updated_at, last_exported_at, assessment}` |
//!
//! Migrations are pure functions from one layout to the next, so data written by any earlier
//! build still opens; data written by a later build is refused rather than half-read.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::assessment::Assessment;
// Parse errors are told by the shared translator; re-exported for the readers of this format.
pub use super::messages::JsonErrorAt;

/// The layout this build writes.
pub const STORAGE_FORMAT: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAssessment {
    /// Always [`STORAGE_FORMAT`] once decoded.
    pub format: u32,
    /// Counts saves of this copy: 1 for the first, +1 for each edit saved.
    pub revision: u64,
    /// When this copy was last saved (ms since the Unix epoch).
    pub updated_at: f64,
    /// When it was last exported to a file, so the UI can warn about unexported changes.
    pub last_exported_at: Option<f64>,
    /// The criteria set id and version are in `assessment.criteria_set`.
    pub assessment: Assessment,
}

impl StoredAssessment {
    /// A first save.
    pub fn new(assessment: Assessment, now_ms: f64) -> StoredAssessment {
        StoredAssessment {
            format: STORAGE_FORMAT,
            revision: 1,
            updated_at: now_ms,
            last_exported_at: None,
            assessment,
        }
    }

    /// Records a saved edit: next revision, new time (also in the assessment).
    pub fn record_edit(&mut self, now_ms: f64) {
        self.revision += 1;
        self.updated_at = now_ms;
        self.assessment.updated_at = now_ms;
    }

    /// Changes made since the last export (or never exported): browsers may evict the storage
    /// of a rarely visited site, so the UI should urge an export.
    pub fn has_unexported_changes(&self) -> bool {
        self.last_exported_at
            .is_none_or(|exported| exported < self.updated_at)
    }
}

/// Why stored data could not be read. Display gives the Vietnamese message for the user.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredError {
    Empty,
    Json(JsonErrorAt),
    /// Valid JSON that is neither an envelope nor a bare assessment.
    Unrecognized,
    /// `format` is not a known positive integer (e.g. a string, 0, or the bare layout's 1
    /// written inside an envelope).
    BadFormat {
        found: String,
    },
    /// Written by a later build.
    NewerFormat {
        found: u64,
    },
    /// The layout is known but a field is missing or of the wrong type.
    Invalid(JsonErrorAt),
}

impl fmt::Display for StoredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoredError::Empty => write!(f, "Dữ liệu lưu trong trình duyệt bị trống."),
            StoredError::Json(at) => write!(
                f,
                "Dữ liệu lưu trong trình duyệt không phải JSON hợp lệ {at}"
            ),
            StoredError::Unrecognized => write!(
                f,
                "Dữ liệu lưu trong trình duyệt không phải một bản tự đánh giá."
            ),
            StoredError::BadFormat { found } => write!(
                f,
                "Dữ liệu lưu trong trình duyệt có số hiệu định dạng không hợp lệ ({found})."
            ),
            StoredError::NewerFormat { found } => write!(
                f,
                "Dữ liệu này được tạo bởi phiên bản mới hơn của ứng dụng (định dạng {found}, \
                 phiên bản đang chạy chỉ đọc tới định dạng {STORAGE_FORMAT}). Hãy tải lại trang \
                 để cập nhật ứng dụng; dữ liệu được giữ nguyên."
            ),
            StoredError::Invalid(at) => {
                write!(f, "Dữ liệu lưu trong trình duyệt bị hỏng hoặc thiếu {at}")
            }
        }
    }
}

impl std::error::Error for StoredError {}

/// Reads stored data of any known format and migrates it to the current one.
pub fn decode_stored(raw: &str) -> Result<StoredAssessment, StoredError> {
    decode_with(raw, JsonErrorAt::new)
}

/// [`decode_stored`] with the reasons said briefly (`JsonErrorAt::brief`: where, and the kind of
/// fault, not the field): for the readers of the first download (old localStorage entries, the
/// list of backups), so that the wording of every field stays in the parts that need it.
pub fn decode_stored_briefly(raw: &str) -> Result<StoredAssessment, StoredError> {
    decode_with(raw, JsonErrorAt::brief)
}

fn decode_with(
    raw: &str,
    at: impl Fn(&serde_json::Error, &str) -> JsonErrorAt,
) -> Result<StoredAssessment, StoredError> {
    if raw.trim().is_empty() {
        return Err(StoredError::Empty);
    }
    let value: Value = serde_json::from_str(raw).map_err(|e| StoredError::Json(at(&e, raw)))?;
    let Value::Object(map) = &value else {
        return Err(StoredError::Unrecognized);
    };
    match map.get("format") {
        Some(format) => match format.as_u64() {
            Some(n) if n == u64::from(STORAGE_FORMAT) => {
                serde_json::from_str(raw).map_err(|e| StoredError::Invalid(at(&e, raw)))
            }
            Some(n) if n > u64::from(STORAGE_FORMAT) => Err(StoredError::NewerFormat { found: n }),
            _ => Err(StoredError::BadFormat {
                found: format.to_string(),
            }),
        },
        // Format 1 had no envelope: recognise it by the assessment's own fields.
        None if map.contains_key("criteria_set") && map.contains_key("commune") => {
            let assessment: Assessment =
                serde_json::from_str(raw).map_err(|e| StoredError::Invalid(at(&e, raw)))?;
            Ok(migrate_v1(assessment))
        }
        None => Err(StoredError::Unrecognized),
    }
}

/// The current layout, as JSON.
pub fn encode_stored(stored: &StoredAssessment) -> String {
    // Serializing plain data structs to a string cannot fail.
    serde_json::to_string(stored).expect("StoredAssessment serializes")
}

/// Format 1 → 2: wrap in the envelope; the edit time is the assessment's own, the history starts
/// at revision 1, and nothing is known about exports.
pub fn migrate_v1(assessment: Assessment) -> StoredAssessment {
    StoredAssessment {
        format: STORAGE_FORMAT,
        revision: 1,
        updated_at: assessment.updated_at,
        last_exported_at: None,
        assessment,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::assessment::{Answer, Assessor, CommuneRef, CriteriaSetRef};

    fn sample() -> Assessment {
        Assessment {
            id: "a-1".into(),
            criteria_set: CriteriaSetRef {
                id: "qd-06-2019".into(),
                version: "1.0.0".into(),
                hash: None,
            },
            commune: CommuneRef {
                code: "00070".into(),
                name: "Phường Hoàn Kiếm".into(),
                province_code: "01".into(),
                province_name: "Thành phố Hà Nội".into(),
            },
            unit_category: "phuong".into(),
            year: 2025,
            assessor: Assessor {
                name: "Nguyễn Văn A".into(),
                position: "Công chức văn hóa - xã hội".into(),
            },
            answers: BTreeMap::from([(
                "1.1".to_string(),
                Answer {
                    yes: Some(true),
                    source: "Quyết định phân công".into(),
                    ..Answer::default()
                },
            )]),
            recorded_max: BTreeMap::new(),
            created_at: 1_750_000_000_000.0,
            updated_at: 1_750_000_500_000.0,
            set_moves: Vec::new(),
        }
    }

    #[test]
    fn round_trip_current_format() {
        let mut stored = StoredAssessment::new(sample(), 1_750_000_600_000.0);
        stored.record_edit(1_750_000_700_000.0);
        assert_eq!(stored.revision, 2);
        assert_eq!(stored.assessment.updated_at, 1_750_000_700_000.0);
        let raw = encode_stored(&stored);
        assert!(raw.contains("\"format\":2"));
        assert_eq!(decode_stored(&raw), Ok(stored));
    }

    #[test]
    fn migrates_a_bare_assessment_from_format_1() {
        let raw = serde_json::to_string(&sample()).unwrap();
        let stored = decode_stored(&raw).unwrap();
        assert_eq!(stored.format, STORAGE_FORMAT);
        assert_eq!(stored.revision, 1);
        assert_eq!(stored.updated_at, 1_750_000_500_000.0);
        assert_eq!(stored.last_exported_at, None);
        assert_eq!(stored.assessment, sample());
        // Migrated data is written back in the current layout and reads the same.
        assert_eq!(decode_stored(&encode_stored(&stored)), Ok(stored));
    }

    #[test]
    fn decode_stored_briefly_reads_what_decode_stored_reads_and_says_where_it_fails() {
        let current = encode_stored(&StoredAssessment::new(sample(), 1_750_000_600_000.0));
        let v1 = serde_json::to_string(&sample()).unwrap();
        for raw in [current.as_str(), v1.as_str()] {
            assert_eq!(decode_stored_briefly(raw), decode_stored(raw), "{raw}");
            assert!(decode_stored_briefly(raw).is_ok());
        }
        let newer = current.replace("\"format\":2", "\"format\":99");
        for raw in ["", "[]", "{}", newer.as_str()] {
            assert_eq!(decode_stored_briefly(raw), decode_stored(raw), "{raw}");
        }
        let wrong_field = current.replace("\"revision\":1", "\"revision\":\"một\"");
        for (raw, kind) in [
            ("{\"format\": 2, \"rev", "dữ liệu dừng giữa chừng"),
            ("{\"format\": 2,, }", "sai cú pháp JSON"),
            (wrong_field.as_str(), "có trường thiếu hoặc sai kiểu"),
        ] {
            let brief = decode_stored_briefly(raw).unwrap_err().to_string();
            let full = decode_stored(raw).unwrap_err().to_string();
            let at = |m: &str| m[..m.find("):").expect("a position")].to_string();
            assert_eq!(at(&brief), at(&full), "the same line and column");
            assert!(brief.ends_with(kind), "{brief}");
        }
    }

    #[test]
    fn unexported_changes() {
        let mut stored = StoredAssessment::new(sample(), 10.0);
        assert!(stored.has_unexported_changes());
        stored.last_exported_at = Some(20.0);
        assert!(!stored.has_unexported_changes());
        stored.record_edit(30.0);
        assert!(stored.has_unexported_changes());
    }

    fn message(raw: &str) -> (StoredError, String) {
        let e = decode_stored(raw).unwrap_err();
        let m = e.to_string();
        (e, m)
    }

    #[test]
    fn empty() {
        let (e, m) = message("  \n");
        assert_eq!(e, StoredError::Empty);
        assert!(m.contains("trống"));
    }

    #[test]
    fn json_syntax_with_position_in_characters() {
        let (e, m) = message("{\"format\": 2,\n \"ghi_chú\": \"Phú Mỹ\" x}");
        let StoredError::Json(at) = e else {
            panic!("{e:?}")
        };
        assert_eq!((at.line, at.column), (2, 22));
        assert!(m.contains("(dòng 2, cột 22)"), "{m}");
        assert!(m.contains("thiếu dấu `,` hoặc `}`"), "{m}");
        let (_, m) = message("{\"format\": 2,");
        assert!(m.contains("cắt ngang"), "{m}");
    }

    #[test]
    fn unrecognized() {
        for raw in ["[1, 2]", "\"abc\"", "{\"x\": 1}", "42", "null"] {
            let (e, m) = message(raw);
            assert_eq!(e, StoredError::Unrecognized, "{raw}");
            assert!(m.contains("không phải một bản tự đánh giá"));
        }
    }

    #[test]
    fn bad_format_number() {
        for raw in [
            "{\"format\": \"2\"}",
            "{\"format\": 0}",
            "{\"format\": 1}",
            "{\"format\": 2.5}",
            "{\"format\": -3}",
        ] {
            let (e, m) = message(raw);
            assert!(matches!(e, StoredError::BadFormat { .. }), "{raw}: {e:?}");
            assert!(m.contains("định dạng không hợp lệ"), "{m}");
        }
    }

    #[test]
    fn newer_format_is_refused() {
        let (e, m) = message("{\"format\": 3, \"whatever\": true}");
        assert_eq!(e, StoredError::NewerFormat { found: 3 });
        assert!(
            m.contains("được tạo bởi phiên bản mới hơn của ứng dụng"),
            "{m}"
        );
    }

    #[test]
    fn invalid_shape() {
        let (e, m) = message("{\"format\": 2, \"revision\": 1}");
        assert!(matches!(e, StoredError::Invalid(_)), "{e:?}");
        assert!(m.contains("thiếu trường `updated_at`"), "{m}");
        let mut bare = serde_json::to_value(sample()).unwrap();
        bare["year"] = "năm nay".into();
        let (e, m) = message(&bare.to_string());
        assert!(matches!(e, StoredError::Invalid(_)), "{e:?}");
        assert!(m.contains("sai kiểu dữ liệu"), "{m}");
    }
}
