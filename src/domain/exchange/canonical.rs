//! The canonical form of a record and its checksum (see the module documentation of
//! [`super`], "Checksum").

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::format::{CriterionSummary, ExchangeRecord, ScoreSummary, VerdictCode};
use crate::domain::assessment::{Answer, Assessment, Assessor, CommuneRef, CriteriaSetRef};

/// The checksum of `record` as defined in the module documentation (its `sha256` is ignored).
pub fn record_checksum(record: &ExchangeRecord) -> String {
    let mut canonical = Vec::new();
    record.write_canonical(&mut canonical);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    Sha256::digest(&canonical)
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// The canonical form of the module documentation, written from the typed structure: import
/// checks every record of a province's thousands of files, and going through a
/// `serde_json::Value` and a string per value took most of the import time. The bytes are
/// hashed in one call because feeding the hasher piece by piece cost more than the copy.
///
/// The structs are destructured without `..`, so a field added to a type fails to compile
/// here until it is given its place in the checksum.
trait Canonical {
    fn write_canonical(&self, out: &mut Vec<u8>);
}

/// Writes an object whose members are given in byte order of their keys (checked in debug
/// builds, so by the tests). The keys are plain identifiers: nothing to escape.
macro_rules! write_object {
    ($out:expr, $first:literal => $value:expr $(, $key:literal => $rest:expr)* $(,)?) => {{
        debug_assert!([$first $(, $key)*].is_sorted(), "keys out of order");
        $out.extend_from_slice(concat!("{\"", $first, "\":").as_bytes());
        $value.write_canonical($out);
        $(
            $out.extend_from_slice(concat!(",\"", $key, "\":").as_bytes());
            $rest.write_canonical($out);
        )*
        $out.push(b'}');
    }};
}

/// Scalars exactly as serde_json writes them: the same string escaping, `null` for a
/// non-finite float (as `serde_json::to_value` gives), shortest round-trip floats.
macro_rules! canonical_as_json {
    ($($t:ty),*) => {$(
        impl Canonical for $t {
            fn write_canonical(&self, out: &mut Vec<u8>) {
                serde_json::to_writer(out, self).expect("writing to memory cannot fail");
            }
        }
    )*};
}

canonical_as_json!(String, bool, u16, u32, u64, usize, f64, VerdictCode);

impl<T: Canonical> Canonical for Option<T> {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        match self {
            Some(value) => value.write_canonical(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: Canonical> Canonical for Vec<T> {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item.write_canonical(out);
        }
        out.push(b']');
    }
}

/// `String`'s order is byte order, the order the canonical form asks for.
impl<T: Canonical> Canonical for BTreeMap<String, T> {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            key.write_canonical(out);
            out.push(b':');
            value.write_canonical(out);
        }
        out.push(b'}');
    }
}

impl Canonical for ExchangeRecord {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let ExchangeRecord {
            sha256: _,
            revision,
            assessment,
            score,
        } = self;
        write_object!(out, "assessment" => assessment, "revision" => revision, "score" => score);
    }
}

impl Canonical for Assessment {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let Assessment {
            id,
            criteria_set,
            commune,
            unit_category,
            year,
            assessor,
            answers,
            recorded_max,
            created_at,
            updated_at,
        } = self;
        write_object!(
            out,
            "answers" => answers,
            "assessor" => assessor,
            "commune" => commune,
            "created_at" => created_at,
            "criteria_set" => criteria_set,
            "id" => id,
            "recorded_max" => recorded_max,
            "unit_category" => unit_category,
            "updated_at" => updated_at,
            "year" => year,
        );
    }
}

impl Canonical for CriteriaSetRef {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let CriteriaSetRef { id, version, hash } = self;
        // Written only when recorded, so records made before sets had a hash keep their sum.
        match hash {
            Some(hash) => write_object!(out, "hash" => hash, "id" => id, "version" => version),
            None => write_object!(out, "id" => id, "version" => version),
        }
    }
}

impl Canonical for CommuneRef {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let CommuneRef {
            code,
            name,
            province_code,
            province_name,
        } = self;
        write_object!(
            out,
            "code" => code,
            "name" => name,
            "province_code" => province_code,
            "province_name" => province_name,
        );
    }
}

impl Canonical for Assessor {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let Assessor { name, position } = self;
        write_object!(out, "name" => name, "position" => position);
    }
}

impl Canonical for Answer {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let Answer {
            yes,
            numerator,
            denominator,
            count,
            manual_points,
            source,
            explanation,
            checked,
        } = self;
        write_object!(
            out,
            "checked" => checked,
            "count" => count,
            "denominator" => denominator,
            "explanation" => explanation,
            "manual_points" => manual_points,
            "numerator" => numerator,
            "source" => source,
            "yes" => yes,
        );
    }
}

impl Canonical for ScoreSummary {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let ScoreSummary {
            total,
            threshold,
            verdict,
            verdict_label,
            answered,
            item_count,
            criteria,
        } = self;
        write_object!(
            out,
            "answered" => answered,
            "criteria" => criteria,
            "item_count" => item_count,
            "threshold" => threshold,
            "total" => total,
            "verdict" => verdict,
            "verdict_label" => verdict_label,
        );
    }
}

impl Canonical for CriterionSummary {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let CriterionSummary { id, points, max } = self;
        write_object!(out, "id" => id, "max" => max, "points" => points);
    }
}
