// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

use xa_phu_hop_tre_em::domain::aggregate::{CriterionPoints, DashboardRow};
use xa_phu_hop_tre_em::domain::csv::{results_csv, Delimiter, ResultsCsv};
use xa_phu_hop_tre_em::domain::exchange::VerdictCode;

fn row(code: &str, name: &str, verdict: VerdictCode) -> DashboardRow {
    DashboardRow {
        commune_code: code.into(),
        commune_name: name.into(),
        province_code: "01".into(),
        province_name: "Thành phố Hà Nội".into(),
        unit_category: "phuong".into(),
        unit_category_label: "Phường".into(),
        year: 2025,
        criteria_set: "qd-06-2019 1.0.0".into(),
        total: 905,
        threshold: Some(900),
        verdict,
        criteria: (1..=13)
            .map(|i| CriterionPoints {
                id: i.to_string(),
                points: 60 + i,
                max: Some(100),
            })
            .collect(),
        answered: 40,
        item_count: 40,
        revision: 2,
        updated_at: 0.0,
        source_file: "a.json".into(),
        imported_at: 0.0,
        sha256: String::new(),
    }
}

fn lines(csv: &str) -> Vec<&str> {
    csv.strip_prefix('\u{feff}')
        .expect("a BOM for Excel")
        .strip_suffix("\r\n")
        .expect("CRLF after the last line")
        .split("\r\n")
        .collect()
}

#[test]
fn header_and_rows() {
    let rows = [
        row("00070", "Phường Hoàn Kiếm", VerdictCode::Pass),
        row("00004", "Phường Ba Đình", VerdictCode::Fail),
        row("00008", "Phường Ngọc Hà", VerdictCode::Incomplete),
    ];
    let csv = results_csv(&rows, Delimiter::Comma);
    let l = lines(&csv);
    assert_eq!(l.len(), 4);
    let header: Vec<&str> = l[0].split(',').collect();
    assert_eq!(
        header[..7],
        [
            "Mã tỉnh",
            "Tỉnh",
            "Mã xã",
            "Xã/phường",
            "Loại đơn vị",
            "Năm",
            "Tiêu chí 1"
        ]
    );
    assert_eq!(header[18], "Tiêu chí 13");
    assert_eq!(header[19..], ["Tổng điểm", "Ngưỡng", "Kết quả"]);
    assert_eq!(
        l[1],
        "\"=\"\"01\"\"\",Thành phố Hà Nội,\"=\"\"00070\"\"\",Phường Hoàn Kiếm,Phường,2025,\
         61,62,63,64,65,66,67,68,69,70,71,72,73,905,900,Đạt"
    );
    assert!(l[2].ends_with(",905,900,Chưa đạt"), "{}", l[2]);
    assert!(l[3].ends_with(",905,900,Chưa đủ dữ liệu"), "{}", l[3]);
    assert!(!csv.contains("\n\n") && csv.matches('\n').count() == csv.matches("\r\n").count());
}

#[test]
fn missing_numbers_are_empty_cells() {
    let mut r = row("00070", "Phường Hoàn Kiếm", VerdictCode::Incomplete);
    r.threshold = None;
    r.criteria.remove(12);
    let mut other = row("00004", "Phường Ba Đình", VerdictCode::Pass);
    other.criteria.truncate(12);
    let csv = results_csv([&other, &r], Delimiter::Comma);
    let l = lines(&csv);
    assert!(l[0].contains("Tiêu chí 12,Tổng điểm"), "{}", l[0]);
    let mut r2 = r.clone();
    r2.criteria.push(CriterionPoints {
        id: "13".into(),
        points: 5,
        max: None,
    });
    let csv = results_csv([&r, &r2], Delimiter::Comma);
    let l = lines(&csv);
    assert!(l[1].ends_with(",72,,905,,Chưa đủ dữ liệu"), "{}", l[1]);
    assert!(l[2].ends_with(",72,5,905,,Chưa đủ dữ liệu"), "{}", l[2]);
}

/// Written a row at a time (the dashboard writes thousands in slices): the header already
/// has the criteria of rows not yet written, and the file is the one written at once.
#[test]
fn written_row_by_row_as_at_once() {
    let mut first = row("00070", "Phường Hoàn Kiếm", VerdictCode::Pass);
    first.criteria.truncate(12);
    let last = row("00004", "Phường Ba Đình", VerdictCode::Fail);
    let rows = [&first, &last];
    let mut csv = ResultsCsv::new(rows, Delimiter::Semicolon, &());
    csv.push(&first, &());
    csv.push(&last, &());
    let text = csv.finish();
    let l = lines(&text);
    assert_eq!(l.len(), 3);
    assert!(l[0].contains(";Tiêu chí 13;Tổng điểm;"), "{}", l[0]);
    assert!(l[1].ends_with(";72;;905;900;Đạt"), "{}", l[1]);
    assert!(l[2].ends_with(";72;73;905;900;Chưa đạt"), "{}", l[2]);
    assert_eq!(text, results_csv(rows, Delimiter::Semicolon));
}

#[test]
fn rfc_4180_quoting() {
    let mut r = row("00070", "Xã \"Mới\", thôn 1\nthôn 2", VerdictCode::Pass);
    r.province_name = "Tỉnh; Thử".into();
    let csv = results_csv([&r], Delimiter::Comma);
    assert!(
        csv.contains(",\"Xã \"\"Mới\"\", thôn 1\nthôn 2\","),
        "{csv}"
    );
    assert!(csv.contains(",Tỉnh; Thử,"), "{csv}");
    let csv = results_csv([&r], Delimiter::Semicolon);
    assert!(csv.contains(";\"Tỉnh; Thử\";"), "{csv}");
    assert!(
        csv.contains(";\"Xã \"\"Mới\"\", thôn 1\nthôn 2\";"),
        "{csv}"
    );
    assert!(lines(&csv)[0].starts_with("Mã tỉnh;Tỉnh;Mã xã;"));
    assert!(csv.contains(";905;900;Đạt\r\n"));
}

#[test]
fn formula_injection_is_defused() {
    for (name, cell) in [
        (
            "=HYPERLINK(\"http://x\")",
            "\"'=HYPERLINK(\"\"http://x\"\")\"",
        ),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "\"'\rCR\""),
        ("Xã = bình thường", "Xã = bình thường"),
    ] {
        let r = row("00070", name, VerdictCode::Pass);
        let csv = results_csv([&r], Delimiter::Comma);
        let expected = format!(",{cell},Phường,2025,");
        assert!(csv.contains(&expected), "{name:?}: {csv}");
    }
    // A code that is not digits is plain (defused) text, never a formula of ours.
    let r = row("=1+2", "Xã Thử", VerdictCode::Pass);
    let csv = results_csv([&r], Delimiter::Comma);
    assert!(csv.contains(",'=1+2,Xã Thử,"), "{csv}");
    let r = row("", "Xã Thử", VerdictCode::Pass);
    assert!(results_csv([&r], Delimiter::Comma).contains("Nội,,Xã Thử"));
}

#[test]
fn no_rows_is_just_the_header() {
    let csv = results_csv(&[], Delimiter::Comma);
    assert_eq!(
        csv,
        "\u{feff}Mã tỉnh,Tỉnh,Mã xã,Xã/phường,Loại đơn vị,Năm,Tổng điểm,Ngưỡng,Kết quả\r\n"
    );
}

#[test]
fn the_count_by_province_with_the_country_s_line() {
    use xa_phu_hop_tre_em::domain::aggregate::by_province;
    use xa_phu_hop_tre_em::domain::csv::provinces_csv;
    let d = xa_phu_hop_tre_em::domain::divisions::divisions().unwrap();
    let mut rows = vec![
        row("00070", "Phường Hoàn Kiếm", VerdictCode::Pass),
        row("00004", "Phường Ba Đình", VerdictCode::Fail),
        row("00008", "Phường Ngọc Hà", VerdictCode::Pass),
    ];
    let mut other = row("32248", "Xã Đất Mũi", VerdictCode::Incomplete);
    other.province_code = "96".into();
    rows.push(other);
    let (provinces, national) = by_province(&rows, Some(d));
    let hanoi = d.communes_of("01").len();
    let camau = d.communes_of("96").len();
    let csv = provinces_csv(&provinces, &national, Delimiter::Comma);
    assert_eq!(
        lines(&csv),
        [
            "Mã tỉnh,Tỉnh,Số đơn vị (danh mục),Đã nạp,Đạt,Chưa đạt,Chưa đủ dữ liệu,Tỷ lệ đạt (%)"
                .to_string(),
            format!("\"=\"\"01\"\"\",Thành phố Hà Nội,{hanoi},3,2,1,0,66.7"),
            format!("\"=\"\"96\"\"\",Cà Mau,{camau},1,0,0,1,0.0"),
            ",Cả nước,3321,4,2,1,1,50.0".to_string(),
        ]
    );
    // With `;` (Excel in Vietnamese), the decimal mark is a comma.
    let csv = provinces_csv(&provinces, &national, Delimiter::Semicolon);
    assert!(lines(&csv)[1].ends_with(";3;2;1;0;66,7"), "{csv}");
}
