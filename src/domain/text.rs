//! Folding Vietnamese text for search: users type on keyboards without Telex/VNI, so "phu my"
//! must find "Phú Mỹ" and "da nang" must find "Đà Nẵng".

/// Lowercase, without diacritics, `đ` → `d`. Accepts precomposed (NFC) and decomposed (NFD)
/// input alike: combining marks are dropped.
///
/// ```
/// use xa_phu_hop_tre_em::domain::text::fold;
/// assert_eq!(fold("Phường Đà Nẵng"), "phuong da nang");
/// assert_eq!(fold("Xã Ê\u{0301}a"), "xa ea");
/// // Every Vietnamese letter with a diacritic, in both cases.
/// let letters = "àáảãạăằắẳẵặâầấẩẫậ èéẻẽẹêềếểễệ ìíỉĩị òóỏõọôồốổỗộơờớởỡợ ùúủũụưừứửữự ỳýỷỹỵ đ";
/// let bases = "aaaaaaaaaaaaaaaaa eeeeeeeeeee iiiii ooooooooooooooooo uuuuuuuuuuu yyyyy d";
/// assert_eq!(fold(letters), bases);
/// assert_eq!(fold(&letters.to_uppercase()), bases);
/// ```
pub fn fold(s: &str) -> String {
    folded_chars(s).collect()
}

/// The characters of [`fold`]`(s)`, one by one, for those who read them without keeping them.
fn folded_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter_map(base_letter)
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
    for c in folded_chars(s) {
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

/// `c` without its diacritics; `None` for a combining mark (decomposed input). A `match`, not
/// a search through lists of letters: every name of thousands of imported records and rows
/// goes through it.
fn base_letter(c: char) -> Option<char> {
    Some(match c {
        '\u{0300}'..='\u{036F}' => return None,
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'ä' | 'å' | 'ā' => 'a',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' | 'ë' | 'ē' => {
            'e'
        }
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' | 'ï' | 'ī' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở'
        | 'ỡ' | 'ợ' | 'ö' | 'ō' => 'o',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' | 'ü' | 'ū' => {
            'u'
        }
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' | 'ÿ' => 'y',
        'đ' => 'd',
        _ => c,
    })
}
