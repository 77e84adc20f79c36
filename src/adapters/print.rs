//! The browser's print dialog ("Lưu dưới dạng PDF" gives the PDF).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintError(pub String);

impl PrintError {
    pub fn message_vi(&self) -> String {
        format!(
            "Không mở được hộp thoại in ({}). Hãy dùng Ctrl+P hoặc menu In của trình duyệt.",
            self.0
        )
    }
}

pub fn print() -> Result<(), PrintError> {
    web_sys::window()
        .ok_or_else(|| PrintError("không có cửa sổ".into()))?
        .print()
        .map_err(|e| PrintError(format!("{e:?}")))
}
