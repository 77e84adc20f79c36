//! The browser's print dialog ("Lưu dưới dạng PDF" gives the PDF), and the page's title, which
//! the dialog proposes as the PDF's name.

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

/// Tabs and the history list show it; «Lưu dưới dạng PDF» proposes it as the file's name.
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}
