//! Times in files: ISO 8601 UTC text to and from milliseconds since the Unix epoch.

/// `YYYY-MM-DDTHH:MM:SS.sssZ` for milliseconds since the Unix epoch (UTC). Values outside years
/// 0–9999 are clamped to that range, non-finite ones are the epoch. A time before 1970 is
/// written as it is, so an importer refuses it for what it is rather than read another time.
pub fn iso_utc(ms: f64) -> String {
    const MIN_MS: f64 = -62_167_219_200_000.0; // 0000-01-01T00:00:00.000Z
    const MAX_MS: f64 = 253_402_300_799_999.0; // 9999-12-31T23:59:59.999Z
    let ms = if ms.is_finite() {
        ms.clamp(MIN_MS, MAX_MS).floor() as i64
    } else {
        0
    };
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// Milliseconds for `YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z` (version 1's `exported_at`); `None` for
/// anything else or an impossible date.
pub fn parse_iso_utc(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.get(10) != Some(&b'T') || b.last() != Some(&b'Z') {
        return None;
    }
    let seconds = civil_seconds(b.get(..19)?)?;
    // Between the seconds and the final `Z`: nothing, or `.` and 1–3 digits.
    let millis = match b.len().checked_sub(20)? {
        0 => 0,
        n @ 2..=4 if b[19] == b'.' => digits(&b[20..19 + n])? * 10i64.pow(4 - n as u32),
        _ => return None,
    };
    Some((seconds * 1000 + millis) as f64)
}

/// Milliseconds for an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of a
/// second (any number of digits, kept to the millisecond), then `Z` or an offset `±HH:MM`
/// (`T` and `Z` in either case). `None` for anything else or an impossible date.
pub fn parse_rfc3339(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if !matches!(b.get(10), Some(b'T' | b't')) {
        return None;
    }
    let seconds = civil_seconds(b.get(..19)?)?;
    let mut rest = &b[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        let kept = &fraction[..len.min(3)];
        millis = digits(kept)? * 10i64.pow(3 - kept.len() as u32);
        rest = &fraction[len..];
    }
    let offset_minutes = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            if *sign == b'+' {
                h * 60 + m
            } else {
                -(h * 60 + m)
            }
        }
        _ => return None,
    };
    Some(((seconds - offset_minutes * 60) * 1000 + millis) as f64)
}

/// `YYYY-MM-DD?HH:MM:SS` (any separator between date and time) → seconds since the Unix
/// epoch; `None` for other text or an impossible date.
fn civil_seconds(b: &[u8]) -> Option<i64> {
    let punctuation = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if b.len() != 19 || punctuation.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, sec) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let month_days = [
        31,
        28 + i64::from(is_leap(y)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo)
        || !(1..=month_days[(mo - 1) as usize]).contains(&d)
        || h > 23
        || mi > 59
        || sec > 59
    {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some(((days * 24 + h) * 60 + mi) * 60 + sec)
}

/// The number written by ASCII digits only; `None` when any byte is not a digit.
fn digits(part: &[u8]) -> Option<i64> {
    part.iter()
        .all(u8::is_ascii_digit)
        .then(|| part.iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0')))
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The inverse of [`civil_from_days`].
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
