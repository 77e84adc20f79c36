//! What a record's assessment must satisfy besides its shape and checksum: a known criteria
//! set, an official commune code, and values within the app's one rule
//! ([`crate::domain::validation`]).

use super::errors::{EntryError, ImportWarning};
use crate::domain::assessment::Assessment;
use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::divisions::divisions;
use crate::domain::text::search_key;
use crate::domain::validation;

/// Checks one record's assessment; returns its criteria set and the warnings.
pub(super) fn check_assessment<'s>(
    a: &Assessment,
    known_sets: &'s CriteriaRegistry,
) -> Result<(&'s CriteriaSet, Vec<ImportWarning>), EntryError> {
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
    validation::check_assessment(a).map_err(EntryError::Invalid)?;
    check_ids(set, a)?;
    Ok((set, warnings))
}

fn check_commune(a: &Assessment) -> Result<Vec<ImportWarning>, EntryError> {
    let d = divisions().ok_or(EntryError::DivisionsUnavailable)?;
    let official = d
        .commune(&a.commune.code)
        .ok_or_else(|| EntryError::UnknownCommune {
            code: a.commune.code.clone(),
        })?;
    let c = &a.commune;
    if c.province_code != official.province_code {
        return Err(EntryError::ProvinceMismatch {
            commune_code: c.code.clone(),
            in_file: c.province_code.clone(),
            official: official.province_code.clone(),
        });
    }
    let mut warnings = Vec::new();
    let name = search_key(&c.name);
    let (key, short) = d
        .name_keys(&official.code)
        .expect("a unit of the list has its keys");
    if name != key && name != short {
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

/// Answers and recorded maxima must be for items and criteria of the set.
fn check_ids(set: &CriteriaSet, a: &Assessment) -> Result<(), EntryError> {
    for item_id in a.answers.keys() {
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
