//! The results table as CSV for Excel: one row per assessment.
//!
//! UTF-8 with a byte-order mark (without it Excel reads Vietnamese as mojibake), CRLF line
//! ends, RFC 4180 quoting. Points, totals, thresholds and years are plain integers so Excel can
//! sum them. Codes are written as `="00070"` so Excel keeps their leading zeros (it would show
//! 70); they are official codes of digits only, anything else is written as text. Text cells
//! that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a
//! leading apostrophe: names come from files written by other people.
//!
//! Windows set to Vietnamese uses `;` as list separator and Excel then splits a double-clicked
//! CSV on `;`: the caller picks the [`Delimiter`].

use super::aggregate::{criterion_ids, DashboardRow, NationalStats, ProvinceStats};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    #[default]
    Comma,
    Semicolon,
}

impl Delimiter {
    fn char(self) -> char {
        match self {
            Delimiter::Comma => ',',
            Delimiter::Semicolon => ';',
        }
    }
}

/// Columns a caller adds after the standard ones (the appraisal's, on the dashboard).
pub trait ExtraColumns {
    fn headers(&self) -> Vec<String>;
    /// One cell per header.
    fn cells(&self, row: &DashboardRow) -> Vec<Cell>;
}

/// No extra column.
impl ExtraColumns for () {
    fn headers(&self) -> Vec<String> {
        Vec::new()
    }

    fn cells(&self, _: &DashboardRow) -> Vec<Cell> {
        Vec::new()
    }
}

/// Columns: Mã tỉnh, Tỉnh, Mã xã, Xã/phường, Loại đơn vị, Năm, Tiêu chí <id> (one per criterion
/// found in the rows, in the set's order), Tổng điểm, Ngưỡng, Kết quả.
pub fn results_csv<'a>(
    rows: impl IntoIterator<Item = &'a DashboardRow>,
    delimiter: Delimiter,
) -> String {
    results_csv_with(rows, delimiter, &())
}

/// [`results_csv`], then the `extra` columns.
pub fn results_csv_with<'a>(
    rows: impl IntoIterator<Item = &'a DashboardRow>,
    delimiter: Delimiter,
    extra: &dyn ExtraColumns,
) -> String {
    let rows: Vec<&DashboardRow> = rows.into_iter().collect();
    let mut csv = ResultsCsv::new(rows.iter().copied(), delimiter, extra);
    for r in rows {
        csv.push(r, extra);
    }
    csv.finish()
}

/// The results table written a row at a time: a table of thousands of rows is written in
/// slices, the page answering between them (at once, 15,000 rows held a phone's page for a
/// third of a second).
pub struct ResultsCsv {
    out: String,
    criteria: Vec<String>,
    delimiter: Delimiter,
}

impl ResultsCsv {
    /// The header line; `rows` are all the rows to be written, for their criteria.
    pub fn new<'a>(
        rows: impl IntoIterator<Item = &'a DashboardRow>,
        delimiter: Delimiter,
        extra: &dyn ExtraColumns,
    ) -> ResultsCsv {
        let criteria = criterion_ids(rows);
        let mut out = String::from("\u{feff}");
        let mut header: Vec<Cell> = [
            "Mã tỉnh",
            "Tỉnh",
            "Mã xã",
            "Xã/phường",
            "Loại đơn vị",
            "Năm",
        ]
        .into_iter()
        .map(|h| Cell::Text(h.to_string()))
        .collect();
        header.extend(
            criteria
                .iter()
                .map(|id| Cell::Text(format!("Tiêu chí {id}"))),
        );
        header.extend(["Tổng điểm", "Ngưỡng", "Kết quả"].map(|h| Cell::Text(h.to_string())));
        header.extend(extra.headers().into_iter().map(Cell::Text));
        write_line(&mut out, &header, delimiter);
        ResultsCsv {
            out,
            criteria,
            delimiter,
        }
    }

    /// One row; `extra` as given to [`ResultsCsv::new`].
    pub fn push(&mut self, r: &DashboardRow, extra: &dyn ExtraColumns) {
        let mut cells = vec![
            Cell::Code(r.province_code.clone()),
            Cell::Text(r.province_name.clone()),
            Cell::Code(r.commune_code.clone()),
            Cell::Text(r.commune_name.clone()),
            Cell::Text(r.unit_category_label.clone()),
            Cell::Number(Some(r.year.into())),
        ];
        cells.extend(self.criteria.iter().map(|id| Cell::Number(r.points(id))));
        cells.push(Cell::Number(Some(r.total)));
        cells.push(Cell::Number(r.threshold));
        cells.push(Cell::Text(r.verdict.label().to_string()));
        cells.extend(extra.cells(r));
        write_line(&mut self.out, &cells, self.delimiter);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// The count by province, and the country's line: Mã tỉnh, Tỉnh, Số đơn vị (danh mục), Đã
/// nạp, Đạt, Chưa đạt, Chưa đủ dữ liệu, Tỷ lệ đạt (%). The share has one decimal, with the
/// decimal mark Excel expects alongside the chosen separator (`,` with `;`, `.` with `,`).
pub fn provinces_csv(
    provinces: &[ProvinceStats],
    national: &NationalStats,
    delimiter: Delimiter,
) -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "Mã tỉnh",
        "Tỉnh",
        "Số đơn vị (danh mục)",
        "Đã nạp",
        "Đạt",
        "Chưa đạt",
        "Chưa đủ dữ liệu",
        "Tỷ lệ đạt (%)",
    ]
    .map(|h| Cell::Text(h.to_string()));
    write_line(&mut out, &header, delimiter);
    let count = |n: usize| Cell::Number(u32::try_from(n).ok());
    for p in provinces {
        let cells = [
            Cell::Code(p.province_code.clone()),
            Cell::Text(p.province_name.clone()),
            Cell::Number(p.units.and_then(|n| u32::try_from(n).ok())),
            count(p.loaded),
            count(p.passing),
            count(p.failing),
            count(p.incomplete),
            Cell::Decimal(p.pass_percent),
        ];
        write_line(&mut out, &cells, delimiter);
    }
    let failing: usize = provinces.iter().map(|p| p.failing).sum();
    let incomplete: usize = provinces.iter().map(|p| p.incomplete).sum();
    let total = [
        Cell::Text(String::new()),
        Cell::Text("Cả nước".to_string()),
        Cell::Number(national.units.and_then(|n| u32::try_from(n).ok())),
        count(national.loaded),
        count(national.passing),
        count(failing),
        count(incomplete),
        Cell::Decimal(national.pass_percent),
    ];
    write_line(&mut out, &total, delimiter);
    out
}

pub enum Cell {
    /// One decimal; empty when unknown.
    Decimal(Option<f64>),
    Text(String),
    /// An official code of digits, kept as text in Excel.
    Code(String),
    /// Empty when unknown.
    Number(Option<u32>),
}

fn write_line(out: &mut String, cells: &[Cell], delimiter: Delimiter) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(delimiter.char());
        }
        match cell {
            Cell::Number(Some(n)) => out.push_str(&n.to_string()),
            Cell::Number(None) | Cell::Decimal(None) => {}
            Cell::Decimal(Some(x)) => {
                let text = format!("{x:.1}");
                match delimiter {
                    Delimiter::Comma => out.push_str(&text),
                    Delimiter::Semicolon => out.push_str(&text.replace('.', ",")),
                }
            }
            Cell::Code(code) if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str(&quote(&format!("=\"{code}\""), delimiter));
            }
            Cell::Code(text) | Cell::Text(text) => out.push_str(&quote(&defuse(text), delimiter)),
        }
    }
    out.push_str("\r\n");
}

/// A leading apostrophe keeps a spreadsheet from evaluating text as a formula.
fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// RFC 4180: quote a field holding the delimiter, a quote or a line break; double the quotes.
fn quote(field: &str, delimiter: Delimiter) -> String {
    if field.contains([delimiter.char(), '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
