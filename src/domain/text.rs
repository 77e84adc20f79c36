//! Folding Vietnamese text for search: users type on keyboards without Telex/VNI, so "phu my"
//! must find "Phú Mỹ" and "da nang" must find "Đà Nẵng".

/// Lowercase, without diacritics, `đ` → `d`. Accepts precomposed (NFC) and decomposed (NFD)
/// input alike: combining marks are dropped.
///
/// ```
/// use xa_phu_hop_tre_em::domain::text::fold;
/// assert_eq!(fold("Phường Đà Nẵng"), "phuong da nang");
/// assert_eq!(fold("Xã Ê\u{0301}a"), "xa ea");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if let Some(base) = base_letter(c) {
            out.push(base);
        }
    }
    out
}

/// The key names are compared by: [`fold`]ed, apostrophes removed ("H'Leo" = "hleo"), other
/// punctuation as spaces, runs of whitespace collapsed, trimmed.
///
/// ```
/// use xa_phu_hop_tre_em::domain::text::search_key;
/// assert_eq!(search_key("  Ea  H’Leo – Đắk "), "ea hleo dak");
/// ```
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in fold(s).chars() {
        if matches!(c, '\'' | '’' | '‘' | '`') {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Whether `query` (typed by a user) occurs in `text`, ignoring case, diacritics and punctuation.
/// An empty query matches everything.
pub fn contains_folded(text: &str, query: &str) -> bool {
    search_key(text).contains(&search_key(query))
}

/// A string from someone else's file, cut to 60 characters (with «…») for a message.
///
/// ```
/// use xa_phu_hop_tre_em::domain::text::shorten;
/// assert_eq!(shorten("Phú Mỹ"), "Phú Mỹ");
/// assert_eq!(shorten(&"ữ".repeat(61)).chars().count(), 61);
/// ```
pub fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        s.chars().take(MAX).collect::<String>() + "…"
    }
}

/// `c` without its diacritics; `None` for a combining mark (decomposed input).
fn base_letter(c: char) -> Option<char> {
    if ('\u{0300}'..='\u{036F}').contains(&c) {
        return None;
    }
    if c.is_ascii() {
        return Some(c);
    }
    const GROUPS: [(char, &str); 7] = [
        ('a', "àáảãạăằắẳẵặâầấẩẫậäåā"),
        ('e', "èéẻẽẹêềếểễệëē"),
        ('i', "ìíỉĩịïī"),
        ('o', "òóỏõọôồốổỗộơờớởỡợöō"),
        ('u', "ùúủũụưừứửữựüū"),
        ('y', "ỳýỷỹỵÿ"),
        ('d', "đ"),
    ];
    Some(
        GROUPS
            .iter()
            .find(|(_, variants)| variants.contains(c))
            .map_or(c, |(base, _)| *base),
    )
}
