//! Why a file or a record was refused, and what was accepted with a remark: every variant
//! displays as a Vietnamese message for the user.

use std::fmt;

use super::format::FORMAT_VERSION;
use super::limits::MAX_IMPORT_BYTES;
use crate::domain::criteria_registry::Unresolved;
use crate::domain::messages::JsonErrorAt;
// Re-exported: readers of import errors find the field names here.
pub use crate::domain::validation::{Invalid, NumberField, NumberProblem};

/// Accepted, but worth telling the user.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportWarning {
    CommuneNameDiffers {
        code: String,
        in_file: String,
        official: String,
    },
    ProvinceNameDiffers {
        code: String,
        in_file: String,
        official: String,
    },
    /// The sender's total differs from the recomputed one (another version of the app or of
    /// the criteria set, or an edited file); the recomputed one is used.
    ScoreDiffers { in_file: u32, computed: u32 },
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportWarning::CommuneNameDiffers {
                code,
                in_file,
                official,
            } => write!(
                f,
                "Tên đơn vị trong tệp \"{}\" khác tên trong danh mục chính thức của mã {code}: \
                 \"{official}\".",
                shorten(in_file)
            ),
            ImportWarning::ProvinceNameDiffers {
                code,
                in_file,
                official,
            } => write!(
                f,
                "Tên tỉnh trong tệp \"{}\" khác tên trong danh mục chính thức của mã {code}: \
                 \"{official}\".",
                shorten(in_file)
            ),
            ImportWarning::ScoreDiffers { in_file, computed } => write!(
                f,
                "Tổng điểm ghi trong tệp ({in_file}) khác tổng điểm tính lại ({computed}); ứng \
                 dụng dùng tổng điểm tính lại."
            ),
        }
    }
}

/// What a refused file resembles, to point the user to the right place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignFile {
    CriteriaSet,
    /// A localStorage copy (or a bare assessment) rather than an export.
    StoredCopy,
}

/// Why a file was refused. Display gives the Vietnamese message.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// Over [`MAX_IMPORT_BYTES`]; `u64` because the browser may report a file's size before
    /// reading it, and a file chosen by mistake can exceed 4 GB (`usize` on wasm32).
    TooLarge {
        bytes: u64,
    },
    Empty,
    /// Not text: `valid_up_to` bytes were UTF-8.
    NotUtf8 {
        valid_up_to: usize,
    },
    Syntax(JsonErrorAt),
    NotOurFormat {
        looks_like: Option<ForeignFile>,
    },
    /// `format_version` missing or not a positive integer.
    BadFormatVersion {
        found: String,
    },
    NewerFormat {
        found: u64,
    },
    /// Valid JSON of our format, but a member is missing, unknown or of the wrong type.
    Structure(JsonErrorAt),
    BadExportedAt {
        found: String,
    },
    NoAssessments,
    /// Two records for the same commune and year (1-based positions).
    Duplicate {
        commune_code: String,
        year: u16,
        first: usize,
        second: usize,
    },
    /// One record is wrong; `index` is 1-based, `label` names the unit and year for the user.
    Entry {
        index: usize,
        label: String,
        error: EntryError,
    },
}

/// Why one record of a file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryError {
    ChecksumMismatch,
    /// The record's criteria set is not in this browser, or not with the content it recorded.
    CriteriaSet(Unresolved),
    UnknownCommune {
        code: String,
    },
    /// The list of communes is not loaded yet (the app fetches it on demand): nothing can be
    /// said about the commune, so the record is not taken.
    DivisionsUnavailable,
    ProvinceMismatch {
        commune_code: String,
        in_file: String,
        official: String,
    },
    UnknownUnitCategory {
        id: String,
    },
    /// Outside the limits of what the app may store (year, numbers, texts, times).
    Invalid(Invalid),
    UnknownItem {
        item_id: String,
    },
    UnknownCriterion {
        criterion_id: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Vietnamese writes a decimal comma: "21,0 MB".
            ImportError::TooLarge { bytes } => write!(
                f,
                "Tệp quá lớn ({} MB); chỉ nhận tệp đến {} MB.",
                format!("{:.1}", *bytes as f64 / 1_048_576.0).replace('.', ","),
                MAX_IMPORT_BYTES / 1_048_576
            ),
            ImportError::Empty => write!(f, "Tệp trống, không có dữ liệu."),
            ImportError::NotUtf8 { valid_up_to } => write!(
                f,
                "Tệp không phải văn bản UTF-8 (lỗi ở byte {valid_up_to}): có thể đã chọn nhầm \
                 tệp (ảnh, Word, Excel…)."
            ),
            ImportError::Syntax(at) => write!(f, "Tệp không phải JSON hợp lệ {at}"),
            ImportError::NotOurFormat { looks_like } => {
                write!(
                    f,
                    "Tệp không phải tệp kết quả tự đánh giá xuất từ ứng dụng này"
                )?;
                match looks_like {
                    Some(ForeignFile::CriteriaSet) => {
                        write!(f, " (đây là tệp bộ tiêu chí, không phải tệp kết quả).")
                    }
                    Some(ForeignFile::StoredCopy) => write!(
                        f,
                        " (đây là bản sao dữ liệu trình duyệt; hãy dùng nút \"Xuất tệp\" để tạo \
                         tệp gửi đi)."
                    ),
                    None => write!(f, "."),
                }
            }
            ImportError::BadFormatVersion { found } => write!(
                f,
                "Tệp có phiên bản định dạng không hợp lệ ({}).",
                shorten(found)
            ),
            ImportError::NewerFormat { found } => write!(
                f,
                "Tệp được tạo bởi phiên bản mới hơn của ứng dụng (định dạng {found}; phiên bản \
                 đang chạy đọc được tới định dạng {FORMAT_VERSION}). Hãy tải lại trang để cập \
                 nhật ứng dụng rồi nhập lại."
            ),
            ImportError::Structure(at) => write!(f, "Cấu trúc tệp không đúng {at}"),
            ImportError::BadExportedAt { found } => write!(
                f,
                "Thời điểm xuất tệp không hợp lệ (\"{}\").",
                shorten(found)
            ),
            ImportError::NoAssessments => write!(f, "Tệp không chứa bản đánh giá nào."),
            ImportError::Duplicate {
                commune_code,
                year,
                first,
                second,
            } => write!(
                f,
                "Tệp có hai bản đánh giá của cùng đơn vị mã {} năm {year} (bản thứ {first} và \
                 thứ {second}).",
                shorten(commune_code)
            ),
            ImportError::Entry {
                index,
                label,
                error,
            } => write!(f, "Bản đánh giá thứ {index} ({label}): {error}"),
        }
    }
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryError::ChecksumMismatch => write!(
                f,
                "Tệp đã bị sửa hoặc hỏng: mã kiểm tra SHA-256 không khớp. Hãy xin đơn vị gửi \
                 lại tệp xuất từ ứng dụng."
            ),
            EntryError::CriteriaSet(unresolved) => write!(f, "{unresolved}"),
            EntryError::UnknownCommune { code } => write!(
                f,
                "Mã đơn vị hành chính \"{}\" không có trong danh mục 3.321 xã, phường, đặc khu \
                 từ 01/07/2025.",
                shorten(code)
            ),
            EntryError::DivisionsUnavailable => write!(
                f,
                "Danh mục xã, phường, đặc khu chưa tải xong nên chưa kiểm tra được đơn vị \
                 trong tệp. Hãy thử lại khi có mạng."
            ),
            EntryError::ProvinceMismatch {
                commune_code,
                in_file,
                official,
            } => write!(
                f,
                "Đơn vị mã {commune_code} thuộc tỉnh mã {official}, nhưng tệp ghi mã tỉnh \
                 \"{}\".",
                shorten(in_file)
            ),
            EntryError::UnknownUnitCategory { id } => write!(
                f,
                "Loại đơn vị \"{}\" không có trong bộ tiêu chí.",
                shorten(id)
            ),
            EntryError::Invalid(invalid) => write!(f, "{invalid}"),
            EntryError::UnknownItem { item_id } => write!(
                f,
                "Có câu trả lời cho mục \"{}\" không có trong bộ tiêu chí.",
                shorten(item_id)
            ),
            EntryError::UnknownCriterion { criterion_id } => write!(
                f,
                "Có điểm tối đa ghi cho tiêu chí \"{}\" không có trong bộ tiêu chí.",
                shorten(criterion_id)
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Strings from other people's files, cut for messages.
pub(super) fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        s.chars().take(MAX).collect::<String>() + "…"
    }
}
