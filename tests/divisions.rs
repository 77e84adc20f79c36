// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use xa_phu_hop_tre_em::domain::divisions::{
    divisions, install, CommuneKind, Divisions, ProvinceKind,
};
use xa_phu_hop_tre_em::domain::text::{contains_folded, fold, search_key};

#[test]
fn counts_match_the_2025_reform() {
    let d = divisions().unwrap();
    assert_eq!(d.provinces().len(), 34);
    assert_eq!(d.communes().len(), 3321);
    let count = |k| d.communes().iter().filter(|c| c.kind == k).count();
    assert_eq!(count(CommuneKind::Xa), 2621);
    assert_eq!(count(CommuneKind::Phuong), 687);
    assert_eq!(count(CommuneKind::DacKhu), 13);
    let cities = d
        .provinces()
        .iter()
        .filter(|p| p.kind == ProvinceKind::CentralCity)
        .count();
    assert_eq!(cities, 6);
    let per_province: usize = d
        .provinces()
        .iter()
        .map(|p| d.communes_of(&p.code).len())
        .sum();
    assert_eq!(per_province, 3321);
}

#[test]
fn codes_are_official_zero_padded_and_unique() {
    let d = divisions().unwrap();
    let mut seen = HashSet::new();
    for p in d.provinces() {
        assert_eq!(p.code.len(), 2, "{}", p.code);
        assert!(p.code.bytes().all(|b| b.is_ascii_digit()));
        assert!(seen.insert(p.code.clone()), "duplicate {}", p.code);
    }
    let mut seen = HashSet::new();
    for c in d.communes() {
        assert_eq!(c.code.len(), 5, "{}", c.code);
        assert!(c.code.bytes().all(|b| b.is_ascii_digit()));
        assert!(seen.insert(c.code.clone()), "duplicate {}", c.code);
        assert!(d.province(&c.province_code).is_some());
    }
    for p in d.provinces() {
        let codes: Vec<&str> = d
            .communes_of(&p.code)
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "{} not by code",
            p.code
        );
    }
    assert!(d.source.contains("vietnam-provinces==2025.10.1"));
}

#[test]
fn lookup_by_code() {
    let d = divisions().unwrap();
    let hn = d.province("01").unwrap();
    assert_eq!(hn.name, "Thành phố Hà Nội");
    assert_eq!(hn.kind, ProvinceKind::CentralCity);
    let hk = d.commune("00070").unwrap();
    assert_eq!(hk.name, "Phường Hoàn Kiếm");
    assert_eq!(hk.short_name, "Hoàn Kiếm");
    assert_eq!(hk.kind, CommuneKind::Phuong);
    assert_eq!(hk.province_code, "01");
    assert!(d.communes_of("01").iter().any(|c| c.code == "00070"));
    assert_eq!(d.province("96").unwrap().name, "Cà Mau");
    assert_eq!(d.commune("32248").unwrap().name, "Xã Đất Mũi");
    assert_eq!(
        d.commune("70").map(|c| &c.name),
        None,
        "codes are zero-padded"
    );
    assert!(d.commune("99999").is_none());
    assert!(d.province("00").is_none());
    assert!(d.communes_of("00").is_empty());
    let vd = d.commune("06994").unwrap();
    assert_eq!(
        (vd.name.as_str(), vd.kind),
        ("Đặc khu Vân Đồn", CommuneKind::DacKhu)
    );
}

#[test]
fn search_without_diacritics() {
    let d = divisions().unwrap();
    let names = |q: &str| -> Vec<String> {
        d.search(q, None, 50)
            .iter()
            .map(|c| c.name.clone())
            .collect()
    };
    let phu_my = names("phu my");
    assert!(phu_my.contains(&"Xã Phú Mỹ".to_string()), "{phu_my:?}");
    assert!(phu_my.contains(&"Phường Phú Mỹ".to_string()), "{phu_my:?}");
    // Exact names rank before longer ones ("Phù Mỹ Bắc" …); without diacritics in the query,
    // "Phù Mỹ" is as good as "Phú Mỹ".
    assert!(phu_my[..4].iter().all(|n| n.ends_with(" Mỹ")), "{phu_my:?}");
    assert!(phu_my[4].starts_with("Xã Phù Mỹ "), "{phu_my:?}");
    // With diacritics typed, the exact spelling comes first.
    let accented = names("Phú Mỹ");
    assert!(
        accented[..3].iter().all(|n| n.ends_with("Phú Mỹ")),
        "{accented:?}"
    );
    assert!(accented.contains(&"Xã Phù Mỹ".to_string()), "{accented:?}");
    assert_eq!(names("PHƯỜNG phú mỹ"), vec!["Phường Phú Mỹ"]);
    assert_eq!(names("phuong phu my"), vec!["Phường Phú Mỹ"]);
    assert!(names("dat mui").contains(&"Xã Đất Mũi".to_string()));
    assert!(names("Đất Mũi").contains(&"Xã Đất Mũi".to_string()));
    assert!(names("hoan kiem").contains(&"Phường Hoàn Kiếm".to_string()));
    assert!(names("van don").contains(&"Đặc khu Vân Đồn".to_string()));
    assert!(names("dac khu van don").contains(&"Đặc khu Vân Đồn".to_string()));
    assert!(names("zzzz").is_empty());
    assert!(names("   ").is_empty());
    // By code prefix.
    assert_eq!(names("00070"), vec!["Phường Hoàn Kiếm"]);
    // Within one province, and limited.
    let in_hn = d.search("phuong", Some("01"), 1000);
    assert!(!in_hn.is_empty() && in_hn.iter().all(|c| c.province_code == "01"));
    assert_eq!(d.search("xa", None, 5).len(), 5);
    assert!(d.search("xa", Some("00"), 5).is_empty());
}

#[test]
fn folding() {
    assert_eq!(fold("Đặc khu Vân Đồn"), "dac khu van don");
    assert_eq!(fold("ĐÀ NẴNG"), "da nang");
    assert_eq!(fold("Ưu Ơi Ỹ"), "uu oi y");
    // Decomposed input (NFD), as some keyboards and macOS file names produce.
    assert_eq!(fold("Phu\u{0301} My\u{0303}"), "phu my");
    assert_eq!(fold("o\u{031B}\u{0300}"), "o");
    assert_eq!(search_key("  Ea  H'Leo, Đắk  Lắk "), "ea hleo dak lak");
    assert!(contains_folded("Xã Phú Mỹ", "phu my"));
    assert!(contains_folded("Xã Phú Mỹ", ""));
    assert!(!contains_folded("Xã Phú Mỹ", "phu mi"));
}

#[test]
fn every_name_folds_to_ascii() {
    for c in divisions().unwrap().communes() {
        let key = search_key(&c.name);
        assert!(key.is_ascii(), "{} → {key}", c.name);
    }
    for p in divisions().unwrap().provinces() {
        assert!(search_key(&p.name).is_ascii(), "{}", p.name);
    }
}

/// The app fetches the list at run time: a damaged download is an error to show, not a crash,
/// and installing again (two screens asked at once) keeps the copy already in use.
#[test]
fn a_damaged_download_is_refused_and_a_second_install_keeps_the_first() {
    assert!(Divisions::parse("").is_err());
    assert!(Divisions::parse("{\"source\": \"x\"}").is_err());
    assert!(Divisions::parse(
        r#"{"source":"x","provinces":[{"code":"01","name":"A","type":"?","communes":[]}]}"#
    )
    .is_err());
    let first = divisions().unwrap();
    let again = install(include_str!("../public/data/divisions.json")).unwrap();
    assert!(std::ptr::eq(first, again));
    assert!(std::ptr::eq(install("not json").unwrap(), first));
}
