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

/// Vietnamese display: "96,5", "1.250", at most `decimals` decimals, no trailing zeros.
pub fn format_number(n: f64, decimals: usize) -> String {
    let fixed = format!("{:.*}", decimals, n.abs());
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
}
