//! The official administrative divisions since 01/07/2025: 34 provinces and 3,321 commune-level
//! units (xã, phường, đặc khu) with their codes.
//!
//! The data file `public/data/divisions.json` is derived from the PyPI package
//! `vietnam-provinces` by `scripts/update-divisions.py`. It is data, not code: the first screen
//! does not need it, so the app fetches it (`data/divisions.json` next to the page) when a
//! screen asks for it or in the background once started, and [`install`]s it here; the service
//! worker keeps it for offline use. Codes are the official zero-padded strings: province 2
//! digits, commune 5.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::messages::JsonErrorAt;
use super::text::search_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProvinceKind {
    /// Tỉnh.
    Province,
    /// Thành phố trực thuộc trung ương.
    CentralCity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommuneKind {
    /// Xã.
    Xa,
    /// Phường.
    Phuong,
    /// Đặc khu.
    DacKhu,
}

impl CommuneKind {
    /// The Vietnamese word, lowercase: "xã", "phường", "đặc khu".
    pub fn label(self) -> &'static str {
        match self {
            CommuneKind::Xa => "xã",
            CommuneKind::Phuong => "phường",
            CommuneKind::DacKhu => "đặc khu",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            CommuneKind::Xa => "Xã",
            CommuneKind::Phuong => "Phường",
            CommuneKind::DacKhu => "Đặc khu",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Two digits, e.g. `"01"`.
    pub code: String,
    /// As the official list writes it: "Thành phố Hà Nội", "Cao Bằng".
    pub name: String,
    pub kind: ProvinceKind,
    communes: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    /// Five digits, e.g. `"00070"`.
    pub code: String,
    /// Full name with the type: "Phường Hoàn Kiếm".
    pub name: String,
    /// Without the type: "Hoàn Kiếm".
    pub short_name: String,
    pub kind: CommuneKind,
    pub province_code: String,
}

#[derive(Debug)]
pub struct Divisions {
    /// Where the data comes from (package and version).
    pub source: String,
    provinces: Vec<Province>,
    /// Grouped by province, in province order, each group sorted by code.
    communes: Vec<Commune>,
    /// [`search_key`] of each commune's full name ("xa phu my") and short name ("phu my"), same
    /// order as `communes`.
    keys: Vec<(String, String)>,
    commune_index: HashMap<String, usize>,
    province_index: HashMap<String, usize>,
}

static DIVISIONS: OnceLock<Divisions> = OnceLock::new();

/// The list once [`install`]ed, `None` before. In the browser the app installs it after fetching
/// it; native builds (tests, benches) read the repository's copy on first use, so there it is
/// always available.
pub fn divisions() -> Option<&'static Divisions> {
    #[cfg(not(target_arch = "wasm32"))]
    read_repository_copy();
    DIVISIONS.get()
}

#[cfg(not(target_arch = "wasm32"))]
fn read_repository_copy() {
    const DATA: &str = include_str!("../../public/data/divisions.json");
    DIVISIONS.get_or_init(|| {
        // The file is generated and checked by tests: a failure here is a build defect.
        Divisions::parse(DATA).expect("public/data/divisions.json is invalid")
    });
}

/// Parses the fetched file and makes it the list [`divisions`] returns. Installing again (two
/// screens asked at once) keeps the first copy: the file of one build never changes.
pub fn install(data: &str) -> Result<&'static Divisions, String> {
    if let Some(installed) = DIVISIONS.get() {
        return Ok(installed);
    }
    let parsed = Divisions::parse(data)?;
    Ok(DIVISIONS.get_or_init(|| parsed))
}

#[derive(Deserialize)]
struct RawFile {
    source: String,
    provinces: Vec<RawProvince>,
}

#[derive(Deserialize)]
struct RawProvince {
    code: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    communes: Vec<(String, String, String)>,
}

impl Divisions {
    /// Reads `divisions.json`. The file is the app's own, but a damaged download reaches the
    /// user: the error is in Vietnamese.
    pub fn parse(data: &str) -> Result<Divisions, String> {
        let raw: RawFile =
            serde_json::from_str(data).map_err(|e| JsonErrorAt::new(&e, data).to_string())?;
        let mut provinces = Vec::with_capacity(raw.provinces.len());
        let mut communes = Vec::new();
        for p in raw.provinces {
            let kind = match p.kind.as_str() {
                "tỉnh" => ProvinceKind::Province,
                "thành phố trung ương" => ProvinceKind::CentralCity,
                other => return Err(format!("loại tỉnh không rõ «{other}»")),
            };
            let start = communes.len();
            for (code, kind, short_name) in p.communes {
                let kind = match kind.as_str() {
                    "x" => CommuneKind::Xa,
                    "p" => CommuneKind::Phuong,
                    "d" => CommuneKind::DacKhu,
                    other => return Err(format!("loại đơn vị cấp xã không rõ «{other}»")),
                };
                communes.push(Commune {
                    name: format!("{} {short_name}", kind.prefix()),
                    code,
                    short_name,
                    kind,
                    province_code: p.code.clone(),
                });
            }
            provinces.push(Province {
                code: p.code,
                name: p.name,
                kind,
                communes: start..communes.len(),
            });
        }
        let keys = communes
            .iter()
            .map(|c| (search_key(&c.name), search_key(&c.short_name)))
            .collect();
        let commune_index = communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        let province_index = provinces
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.clone(), i))
            .collect();
        Ok(Divisions {
            source: raw.source,
            provinces,
            communes,
            keys,
            commune_index,
            province_index,
        })
    }

    /// All provinces, by code.
    pub fn provinces(&self) -> &[Province] {
        &self.provinces
    }

    /// All commune-level units, grouped by province.
    pub fn communes(&self) -> &[Commune] {
        &self.communes
    }

    pub fn province(&self, code: &str) -> Option<&Province> {
        self.province_index.get(code).map(|&i| &self.provinces[i])
    }

    pub fn commune(&self, code: &str) -> Option<&Commune> {
        self.commune_index.get(code).map(|&i| &self.communes[i])
    }

    /// [`search_key`] of a unit's full and short name, made once with the list: every record
    /// of an imported file has its name compared with them.
    pub fn name_keys(&self, code: &str) -> Option<(&str, &str)> {
        let (key, short) = &self.keys[*self.commune_index.get(code)?];
        Some((key, short))
    }

    /// The units of a province, by code; empty for an unknown province.
    pub fn communes_of(&self, province_code: &str) -> &[Commune] {
        self.province(province_code)
            .map_or(&[], |p| &self.communes[p.communes.clone()])
    }

    /// Units whose name contains `query`, ignoring case, diacritics and punctuation; the type
    /// word may be typed or left out ("phu my", "phuong phu my"). A query of digits matches
    /// codes by prefix. Best matches first: name equal to the query, then starting with it,
    /// then containing it; within each, names that also match the query's diacritics (when it
    /// has any: "Phú Mỹ" before "Phù Mỹ"), then by code. Optionally within one province; at
    /// most `limit`.
    pub fn search(&self, query: &str, province_code: Option<&str>, limit: usize) -> Vec<&Commune> {
        let q = search_key(query);
        if q.is_empty() {
            return Vec::new();
        }
        let range = match province_code {
            Some(code) => match self.province(code) {
                Some(p) => p.communes.clone(),
                None => return Vec::new(),
            },
            None => 0..self.communes.len(),
        };
        let by_code = q.bytes().all(|b| b.is_ascii_digit());
        let accented = {
            let lower = query.trim().to_lowercase();
            (!lower.is_ascii()).then_some(lower)
        };
        let mut hits: Vec<(u8, bool, &str, usize)> = range
            .filter_map(|i| {
                let c = &self.communes[i];
                if by_code {
                    return c
                        .code
                        .starts_with(&q)
                        .then_some((0, false, c.code.as_str(), i));
                }
                let (key, short) = &self.keys[i];
                let rank = if *short == q || *key == q {
                    0
                } else if short.starts_with(&q) || key.starts_with(&q) {
                    1
                } else if key.contains(&q) {
                    2
                } else {
                    return None;
                };
                let differs = accented
                    .as_ref()
                    .is_some_and(|a| !c.name.to_lowercase().contains(a.as_str()));
                Some((rank, differs, c.code.as_str(), i))
            })
            .collect();
        hits.sort_unstable();
        hits.into_iter()
            .take(limit)
            .map(|(.., i)| &self.communes[i])
            .collect()
    }
}
