//! What a record must satisfy besides its shape: checksum, a known criteria set, an official
//! commune code, plausible values.

use super::canonical::record_checksum;
use super::errors::{EntryError, ImportWarning, NumberField, NumberProblem};
use super::format::ExchangeRecord;
use super::limits::{MAX_VALUE, YEAR_MAX, YEAR_MIN};
use crate::domain::assessment::Assessment;
use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::divisions::divisions;
use crate::domain::text::search_key;

/// Checks one record; returns its criteria set and the warnings.
pub(super) fn check_record<'s>(
    record: &ExchangeRecord,
    known_sets: &'s CriteriaRegistry,
) -> Result<(&'s CriteriaSet, Vec<ImportWarning>), EntryError> {
    if record_checksum(record) != record.sha256 {
        return Err(EntryError::ChecksumMismatch);
    }
    let a = &record.assessment;
    let set = &known_sets
        .resolve(&a.criteria_set)
        .map_err(EntryError::CriteriaSet)?
        .set;
    let warnings = check_commune(a)?;
    if !set.unit_categories.iter().any(|u| u.id == a.unit_category) {
        return Err(EntryError::UnknownUnitCategory {
            id: a.unit_category.clone(),
        });
    }
    if !(YEAR_MIN..=YEAR_MAX).contains(&a.year) {
        return Err(EntryError::YearOutOfRange { year: a.year });
    }
    for (field, value) in [("created_at", a.created_at), ("updated_at", a.updated_at)] {
        if !value.is_finite() || value < 0.0 {
            return Err(EntryError::BadTimestamp { field, value });
        }
    }
    check_values(set, a)?;
    Ok((set, warnings))
}

fn check_commune(a: &Assessment) -> Result<Vec<ImportWarning>, EntryError> {
    let c = &a.commune;
    let d = divisions().ok_or(EntryError::DivisionsUnavailable)?;
    let official = d
        .commune(&c.code)
        .ok_or_else(|| EntryError::UnknownCommune {
            code: c.code.clone(),
        })?;
    if c.province_code != official.province_code {
        return Err(EntryError::ProvinceMismatch {
            commune_code: c.code.clone(),
            in_file: c.province_code.clone(),
            official: official.province_code.clone(),
        });
    }
    let mut warnings = Vec::new();
    let name = search_key(&c.name);
    if name != search_key(&official.name) && name != search_key(&official.short_name) {
        warnings.push(ImportWarning::CommuneNameDiffers {
            code: c.code.clone(),
            in_file: c.name.clone(),
            official: official.name.clone(),
        });
    }
    if let Some(province) = d.province(&official.province_code) {
        let in_file = search_key(&c.province_name);
        let in_file = in_file.strip_prefix("tinh ").unwrap_or(&in_file);
        let official_key = search_key(&province.name);
        if in_file != official_key && Some(in_file) != official_key.strip_prefix("thanh pho ") {
            warnings.push(ImportWarning::ProvinceNameDiffers {
                code: province.code.clone(),
                in_file: c.province_name.clone(),
                official: province.name.clone(),
            });
        }
    }
    Ok(warnings)
}

/// Item ids must exist and numbers must be plausible; consistency between numbers
/// (numerator > denominator …) is left to the scoring engine, which reports it per item.
fn check_values(set: &CriteriaSet, a: &Assessment) -> Result<(), EntryError> {
    for (item_id, answer) in &a.answers {
        if !set
            .criteria
            .iter()
            .flat_map(|c| &c.items)
            .any(|i| &i.id == item_id)
        {
            return Err(EntryError::UnknownItem {
                item_id: item_id.clone(),
            });
        }
        let numbers = [
            (NumberField::Numerator, answer.numerator),
            (NumberField::Denominator, answer.denominator),
            (NumberField::Count, answer.count),
            (NumberField::ManualPoints, answer.manual_points),
        ];
        for (field, value) in numbers {
            let Some(value) = value else { continue };
            let problem = if !value.is_finite() {
                NumberProblem::NotFinite
            } else if value < 0.0 {
                NumberProblem::Negative
            } else if value > MAX_VALUE {
                NumberProblem::TooLarge
            } else {
                continue;
            };
            return Err(EntryError::BadNumber {
                item_id: item_id.clone(),
                field,
                value,
                problem,
            });
        }
    }
    if let Some(criterion_id) = a
        .recorded_max
        .keys()
        .find(|id| !set.criteria.iter().any(|c| &c.id == *id))
    {
        return Err(EntryError::UnknownCriterion {
            criterion_id: criterion_id.clone(),
        });
    }
    Ok(())
}
