//! Why a file or a record was refused, and what was accepted with a remark: every variant
//! displays as a Vietnamese message for the user.

use std::fmt;

use super::format::{FieldError, FORMAT_VERSION};
use super::limits::MAX_IMPORT_BYTES;
use crate::domain::criteria_registry::Unresolved;
use crate::domain::history::Mismatch;
use crate::domain::messages::JsonErrorAt;
use crate::domain::numbers::fixed_point;
// Strings from other people's files are cut for messages.
pub(super) use crate::domain::text::shorten;
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
    /// Members the format does not define, ignored (dotted paths): often a misspelt name.
    UnknownMembers { paths: Vec<String> },
    /// An earlier record of the same file is for the same commune and year (1-based).
    SameUnitAndYear { first: usize },
    /// A consolidated file's record of a commune outside the province its header names.
    OutsideProvince {
        province_code: String,
        header_province: String,
    },
    /// The record's `history` does not lead to its answers (see `history::replay`): kept, shown
    /// as far as it goes.
    HistoryDoesNotFit(Mismatch),
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
            ImportWarning::UnknownMembers { paths } => {
                let listed: Vec<String> = paths
                    .iter()
                    .take(5)
                    .map(|p| format!("`{}`", shorten(p)))
                    .collect();
                write!(
                    f,
                    "Bỏ qua trường không có trong định dạng (docs/exchange-format.md): {}{}; nếu \
                     đó là tên viết sai thì dữ liệu của trường ấy chưa được nhập.",
                    listed.join(", "),
                    if paths.len() > 5 { ", …" } else { "" }
                )
            }
            ImportWarning::SameUnitAndYear { first } => write!(
                f,
                "Tệp có một bản khác của cùng đơn vị và năm (bản thứ {first}); bản sửa sau cùng \
                 được dùng, không bản nào bị ghi đè lặng lẽ."
            ),
            ImportWarning::OutsideProvince {
                province_code,
                header_province,
            } => write!(
                f,
                "Đơn vị thuộc tỉnh mã {province_code}, không thuộc tỉnh mã {} ghi ở đầu tệp tổng \
                 hợp.",
                shorten(header_province)
            ),
            ImportWarning::HistoryDoesNotFit(mismatch) => write!(f, "{mismatch}"),
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
    /// A `kind` of file this build does not read.
    UnknownKind {
        found: String,
    },
    /// A version 1 file's top level: a member missing, unknown or of the wrong type.
    Structure(JsonErrorAt),
    /// A version 2 file's top level breaks a rule: which member, and which rule.
    Header(FieldError),
    BadExportedAt {
        found: String,
    },
    NoAssessments,
}

/// A record refused on its own (the file's other records are not affected).
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedRecord {
    /// 1-based position in the file.
    pub index: usize,
    /// The commune and year as the record names them, when it can be read that far.
    pub label: Option<String>,
    pub error: EntryError,
}

impl fmt::Display for RejectedRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bản đánh giá thứ {}", self.index)?;
        if let Some(label) = &self.label {
            write!(f, " ({label})")?;
        }
        write!(f, ": {}", self.error)
    }
}

/// Why one record of a file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryError {
    /// A member is missing, of the wrong type, or breaks a rule of the format.
    Structure(FieldError),
    /// The record's content is not what its `sha256` was computed from.
    ChecksumMismatch {
        format_version: u32,
    },
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
                fixed_point(*bytes as f64 / 1_048_576.0, 1).replace('.', ","),
                MAX_IMPORT_BYTES / 1_048_576
            ),
            ImportError::Empty => write!(f, "Tệp trống, không có dữ liệu."),
            ImportError::NotUtf8 { valid_up_to } => write!(
                f,
                "Tệp không phải văn bản UTF-8 (lỗi ở byte {valid_up_to}): có thể đã chọn nhầm \
                 tệp (ảnh, Word, Excel…), hoặc tệp đã được lưu lại bằng mã khác (trong Notepad, \
                 «Lưu thành…» với mã hóa «UTF-8» rồi nạp lại)."
            ),
            ImportError::Syntax(at) => write!(f, "Tệp không phải JSON hợp lệ {at}"),
            ImportError::NotOurFormat { looks_like } => {
                write!(
                    f,
                    "Tệp không phải tệp kết quả tự đánh giá xuất từ ứng dụng này"
                )?;
                match looks_like {
                    Some(ForeignFile::CriteriaSet) => {
                        write!(
                            f,
                            " (đây là tệp bộ tiêu chí, không phải tệp kết quả: nhập nó ở mục \
                             «Nhập tệp bộ tiêu chí» của màn hình «Các bản tự đánh giá»)."
                        )
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
            ImportError::UnknownKind { found } if found == crate::domain::appraisal_file::KIND => f
                .write_str(
                    "Đây là tệp kết quả thẩm định do tỉnh gửi, không phải tệp tự đánh giá: hãy \
                     chọn tệp này ở mục «Nhận kết quả thẩm định» của màn hình «Các bản tự đánh \
                     giá».",
                ),
            ImportError::UnknownKind { found } => write!(
                f,
                "Tệp thuộc loại \"{}\" mà phiên bản này của ứng dụng chưa đọc được (chỉ đọc tệp \
                 kết quả tự đánh giá). Hãy tải lại trang để cập nhật ứng dụng rồi nhập lại.",
                shorten(found)
            ),
            ImportError::Structure(at) => write!(f, "Cấu trúc tệp không đúng {at}"),
            ImportError::Header(e) => write!(f, "Phần đầu tệp không đúng định dạng: {e}"),
            ImportError::BadExportedAt { found } => write!(
                f,
                "Thời điểm xuất tệp không hợp lệ (\"{}\").",
                shorten(found)
            ),
            ImportError::NoAssessments => write!(f, "Tệp không chứa bản đánh giá nào."),
        }
    }
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryError::Structure(e) if e.line > 0 => write!(f, "Sai cấu trúc {e}"),
            EntryError::Structure(e) => write!(f, "Sai cấu trúc: {e}"),
            EntryError::ChecksumMismatch { format_version: 1 } => write!(
                f,
                "Mã kiểm tra SHA-256 không khớp: nội dung bản ghi khác với nội dung đã được tính \
                 mã, tức là tệp đã bị sửa (hoặc hỏng) sau khi xuất. Hãy xin đơn vị gửi lại tệp \
                 xuất từ ứng dụng."
            ),
            EntryError::ChecksumMismatch { .. } => write!(
                f,
                "Mã kiểm tra SHA-256 không khớp: nội dung bản ghi khác với nội dung đã được tính \
                 mã. Hoặc tệp đã bị sửa (hay hỏng) sau khi xuất, hoặc tệp do một chương trình \
                 không tính mã đúng như docs/exchange-format.md (mục 6) ghi ra. Hãy xin đơn vị \
                 gửi lại tệp xuất từ ứng dụng, hoặc báo người viết chương trình đó."
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

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "(dòng {}, cột {}): ", self.line, self.column)?;
        }
        write!(f, "{}", self.detail)?;
        if !self.detail.ends_with('.') {
            write!(f, ".")?;
        }
        Ok(())
    }
}
