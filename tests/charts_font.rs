//! The charts measure their text with charts-rs's embedded Roboto; the app ships only its Latin
//! and Vietnamese part, each outline replaced by the box around it (scripts/charts-font.sh makes
//! it, scripts/wasm-split.mjs puts it in place of the full font, 151 KB less to download). This proves that part is faithful: made from the
//! font this charts-rs embeds, every character it keeps measures as in the full font (advance
//! and box, at every size the charts use and at one pixel per font unit), and every chart comes
//! out byte for byte the same.
// Native only: charts-rs's font registry is per process, and this test swaps its font.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use charts_rs::{add_fonts, measure_text_width_family, DEFAULT_FONT_DATA, DEFAULT_FONT_FAMILY};
use sha2::{Digest, Sha256};
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::charts::{
    comparison_spec, draw, percent_spec, points_spec, BarSeries, Bars, Chart, ChartSpec, Drawing,
    Radar, YearScore,
};
use xa_phu_hop_tre_em::domain::scoring::score;

const SUBSET: &[u8] = include_bytes!("../scripts/charts-font/Roboto-latin-vi.ttf");
const ABOUT: &str = include_str!("../scripts/charts-font/Roboto-latin-vi.json");

/// Every letter of Vietnamese, each with every tone, and Đ.
const VIETNAMESE: &str = "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ \
                          uùúủũụ ưừứửữự yỳýỷỹỵ đ AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ EÈÉẺẼẸ ÊỀẾỂỄỆ IÌÍỈĨỊ \
                          OÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ UÙÚỦŨỤ ƯỪỨỬỮỰ YỲÝỶỸỴ Đ";

/// Sizes of the charts' text (domain::charts: 13 px, less for figures and crowded axes), and
/// one pixel per font unit (Roboto has 2,048 to the em), where no rounding hides a difference.
const SIZES: [f32; 6] = [9.0, 10.0, 11.0, 12.0, 13.0, 2048.0];

/// The characters the part keeps: the ranges it was made with («U+0000-024F,U+FEFF,…»).
fn kept(unicodes: &str) -> Vec<char> {
    unicodes
        .split(',')
        .flat_map(|range| {
            let range = range.trim_start_matches("U+");
            let (from, to) = range.split_once('-').unwrap_or((range, range));
            let number = |hex: &str| u32::from_str_radix(hex.trim_start_matches("U+"), 16).unwrap();
            (number(from)..=number(to)).filter_map(char::from_u32)
        })
        .collect()
}

/// Two of a character (so its advance counts, not only its box) and every text of `texts`,
/// measured at every size as (right, bottom) in pixels.
fn measures(texts: &[String]) -> Vec<(String, f32, (f32, f32))> {
    let mut all = Vec::new();
    for text in texts {
        for size in SIZES {
            let b = measure_text_width_family(DEFAULT_FONT_FAMILY, size, text).unwrap();
            all.push((text.clone(), size, (b.right, b.bottom)));
        }
    }
    all
}

/// Every chart the app draws, and bars and a radar labelled with the whole Vietnamese alphabet
/// at the sizes the dashboard uses for a crowded axis.
fn charts() -> Vec<Chart> {
    let set = builtin_qd06();
    let now = score(&set, &common::builtin_full("t900", 40.0));
    let before = score(&set, &common::builtin_full("t900", 25.0));
    let words: Vec<String> = VIETNAMESE.split(' ').map(String::from).collect();
    let vietnamese_bars = ChartSpec {
        title: "Tiếng Việt".into(),
        caption: String::new(),
        desc: VIETNAMESE.into(),
        drawing: Some(Drawing::Bars(Bars {
            width: 400.0,
            height: 300.0,
            labels: words.clone(),
            series: vec![
                BarSeries {
                    name: "Điểm đạt được của xã Đồng Hỷ".into(),
                    color: "#0b5394".into(),
                    values: (0..words.len()).map(|i| Some(i as f32 * 3.5)).collect(),
                    figures: true,
                },
                BarSeries {
                    name: "Điểm tối đa".into(),
                    color: "#c9ced6".into(),
                    values: vec![Some(100.0); words.len()],
                    figures: false,
                },
            ],
            x_title: "Tiêu chí".into(),
            legend: true,
            y_max: None,
            axis_font_size: 10.0,
            value_font_size: 9.0,
        })),
    };
    let vietnamese_radar = ChartSpec {
        title: "Tỷ lệ đạt (%)".into(),
        caption: String::new(),
        desc: String::new(),
        drawing: Some(Drawing::Radar(Radar {
            spokes: words
                .iter()
                .take(8)
                .map(|w| format!("Tiêu chí {w}"))
                .collect(),
            name: "Tỷ lệ đạt (%)".into(),
            values: (0..8).map(|i| Some(10.0 + i as f32 * 11.0)).collect(),
        })),
    };
    [
        points_spec(&set, &now),
        percent_spec(&set, &now),
        comparison_spec(
            &set,
            YearScore {
                year: 2024,
                score: &before,
            },
            YearScore {
                year: 2025,
                score: &now,
            },
        ),
        vietnamese_bars,
        vietnamese_radar,
    ]
    .iter()
    .map(draw)
    .collect()
}

#[test]
fn the_shipped_part_of_the_font_measures_and_draws_as_the_full_font() {
    let about: serde_json::Value = serde_json::from_str(ABOUT).unwrap();
    let source_sha256 = format!("{:x}", Sha256::digest(DEFAULT_FONT_DATA));
    assert_eq!(
        about["source_sha256"], source_sha256,
        "charts-rs embeds another font than the part was made from: run scripts/charts-font.sh"
    );
    assert_eq!(about["subset_bytes"], SUBSET.len());

    let kept = kept(about["unicodes"].as_str().unwrap());
    assert!(VIETNAMESE.chars().all(|c| kept.contains(&c)));
    let mut texts: Vec<String> = kept.iter().map(|c| format!("{c}{c}")).collect();
    texts.extend(VIETNAMESE.split(' ').map(String::from));
    texts.push("Điểm đạt được và điểm tối đa theo tiêu chí: 1.234,5 — «Đạt» ≥ 900".into());
    // Not kept (Cyrillic): the full font has it, the part measures it as a missing character.
    let left_out = "ЖЖ".to_string();
    texts.push(left_out.clone());

    let full = measures(&texts);
    let full_charts = charts();
    add_fonts(&[SUBSET]).unwrap();
    let part = measures(&texts);
    let part_charts = charts();

    let mut differ = Vec::new();
    for (f, p) in full.iter().zip(&part) {
        if f.0 != left_out && f.2 != p.2 {
            differ.push(format!("{:?} at {} px: {:?} → {:?}", f.0, f.1, f.2, p.2));
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
    // The part is really the font in use now.
    let changed = |text: &str| {
        full.iter()
            .zip(&part)
            .any(|(f, p)| f.0 == text && f.2 != p.2)
    };
    assert!(changed(&left_out), "the part did not replace the full font");

    assert_eq!(full_charts.len(), part_charts.len());
    for (f, p) in full_charts.iter().zip(&part_charts) {
        assert!(f.svg.is_some(), "{} drawn", f.title);
        assert_eq!(f, p, "{} drawn the same", f.title);
    }
}
