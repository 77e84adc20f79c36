//! Numbers as Vietnamese users type and read them: a comma for decimals ("96,5"), dots for
//! thousands ("1.234"); a dot followed by anything but groups of three digits is a decimal point,
//! so "1.5" typed on an English keyboard still means one and a half.

/// Why a typed value is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotANumber;

impl std::fmt::Display for NotANumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Không phải là số. Ví dụ hợp lệ: 120, 96,5 hoặc 1.250.")
    }
}

/// `Ok(None)` for an empty field, `Ok(Some(n))` for a number, `Err` for anything else.
pub fn parse_number(text: &str) -> Result<Option<f64>, NotANumber> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(None);
    }
    let normalized = if t.contains(',') {
        t.replace('.', "").replacen(',', ".", 1)
    } else if is_thousands_grouped(&t) {
        t.replace('.', "")
    } else {
        t
    };
    let valid = normalized
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'));
    match normalized.parse::<f64>() {
        Ok(n) if valid && n.is_finite() => Ok(Some(n)),
        _ => Err(NotANumber),
    }
}

/// "1.234" or "12.345.678": dots that only separate groups of three digits.
fn is_thousands_grouped(t: &str) -> bool {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let mut groups = digits.split('.');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let rest: Vec<&str> = groups.collect();
    first_ok
        && !rest.is_empty()
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Vietnamese display: "96,5", "1.250", at most `decimals` (≤ 20) decimals, no trailing zeros.
pub fn format_number(n: f64, decimals: usize) -> String {
    let fixed = fixed_point(n.abs(), decimals);
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let frac = frac.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if n < 0.0 && (int != "0" || !frac.is_empty()) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// `x` (not negative) with `decimals` decimals (at most 20; more are written as 20), as
/// `format!("{x:.decimals$}")` writes it — rounded on its exact binary value, a tie to the even
/// digit — but worked out with integers: the standard library's float formatting would be in
/// the first download for it.
pub fn fixed_point(x: f64, decimals: usize) -> String {
    let decimals = decimals.min(20);
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return "inf".into();
    }
    // x = mantissa × 2^power, exactly.
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, power) = match biased {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, biased - 1075),
    };
    let mut digits = if power >= 0 {
        let mut whole = whole_digits(mantissa, power.unsigned_abs());
        whole.extend(std::iter::repeat_n('0', decimals));
        whole
    } else {
        // Below 2^75 for 20 decimals: no overflow.
        let scaled = u128::from(mantissa) * 10u128.pow(decimals as u32);
        let shift = power.unsigned_abs();
        let rounded = if shift >= 128 {
            0 // scaled < 2^127, under half of 2^shift
        } else {
            let kept = scaled >> shift;
            let rest = scaled - (kept << shift);
            let half = 1u128 << (shift - 1);
            kept + u128::from(rest > half || (rest == half && kept & 1 == 1))
        };
        rounded.to_string()
    };
    if decimals == 0 {
        return digits;
    }
    if digits.len() <= decimals {
        digits.insert_str(0, &"0".repeat(decimals + 1 - digits.len()));
    }
    digits.insert(digits.len() - decimals, '.');
    digits
}

/// The decimal digits of `mantissa` × 2^`power`.
fn whole_digits(mantissa: u64, power: u32) -> String {
    if power < 64 {
        return (u128::from(mantissa) << power).to_string();
    }
    // Little-endian limbs of 32 bits, then divided by 10^9 again and again.
    let shifted = u128::from(mantissa) << (power % 32);
    let mut limbs = vec![0u32; (power / 32) as usize];
    limbs.extend([
        shifted as u32,
        (shifted >> 32) as u32,
        (shifted >> 64) as u32,
    ]);
    let mut groups = Vec::new();
    while limbs.iter().any(|&l| l != 0) {
        let mut rest = 0u64;
        for limb in limbs.iter_mut().rev() {
            let value = (rest << 32) | u64::from(*limb);
            *limb = (value / 1_000_000_000) as u32;
            rest = value % 1_000_000_000;
        }
        groups.push(rest as u32);
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
    }
    let mut out = groups.pop().unwrap_or(0).to_string();
    for group in groups.iter().rev() {
        out.push_str(&format!("{group:09}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ways_people_type_numbers() {
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("  "), Ok(None));
        assert_eq!(parse_number("120"), Ok(Some(120.0)));
        assert_eq!(parse_number("96,5"), Ok(Some(96.5)));
        assert_eq!(parse_number("1.5"), Ok(Some(1.5)));
        assert_eq!(parse_number("1.250"), Ok(Some(1250.0)));
        assert_eq!(parse_number("12.345.678"), Ok(Some(12_345_678.0)));
        assert_eq!(parse_number("1.234,5"), Ok(Some(1234.5)));
        assert_eq!(parse_number("1 250"), Ok(Some(1250.0)));
        assert_eq!(parse_number("-3"), Ok(Some(-3.0)));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for bad in [
            "abc", "12a", "1,2,3", "--1", "1e5", "inf", "NaN", "1-2", ",",
        ] {
            assert_eq!(parse_number(bad), Err(NotANumber), "{bad}");
        }
    }

    #[test]
    fn formats_the_vietnamese_way() {
        assert_eq!(format_number(96.5, 1), "96,5");
        assert_eq!(format_number(100.0, 1), "100");
        assert_eq!(format_number(1250.0, 0), "1.250");
        assert_eq!(format_number(1234567.891, 2), "1.234.567,89");
        assert_eq!(format_number(-0.001, 1), "0");
        assert_eq!(format_number(-12.5, 1), "-12,5");
        assert_eq!(format_number(0.0, 2), "0");
    }

    /// As `format!` writes them, for the values where rounding is delicate.
    #[test]
    fn fixed_point_is_the_standard_formatting() {
        let delicate = [
            0.0,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            1.005,
            0.05,
            0.15,
            0.25,
            0.35,
            96.25,
            99.95,
            999.9999999,
            1e-7,
            4.9e-324,
            2.2250738585072014e-308,
            9007199254740993.0,
            1e21,
            1.8446744073709552e19,
            f64::from(f32::MAX),
            1e300,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
        ];
        for x in delicate {
            for d in 0..=20 {
                assert_eq!(fixed_point(x, d), format!("{x:.d$}"), "{x:e} at {d}");
            }
        }
        // More than 20 decimals are written as 20, never an overflow.
        assert_eq!(fixed_point(0.1, 40), format!("{:.20}", 0.1));
    }

    /// Native only: proptest does not build for wasm32.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::super::fixed_point;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(20_000))]
            #[test]
            fn fixed_point_matches_format_for_any_value(bits: u64, d in 0usize..=20) {
                let x = f64::from_bits(bits).abs();
                prop_assert_eq!(fixed_point(x, d), format!("{x:.d$}"));
            }

            #[test]
            fn fixed_point_matches_format_for_scores(hundredths in 0u64..10_000_000, d in 0usize..=6) {
                let x = hundredths as f64 / 100.0;
                prop_assert_eq!(fixed_point(x, d), format!("{x:.d$}"));
            }
        }
    }
}
