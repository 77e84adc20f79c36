//! The criteria sets of this browser: kept across visits, added from the site or a file,
//! removed only when no stored assessment uses them, and newer versions announced.

use leptos::prelude::*;

use crate::adapters::{clock, criteria_store};
use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_registry::{
    store_key, Added, Refused, RegisteredSet, RemoveRefused, SetOrigin,
};
use crate::ui::state::{AppState, Tone};

impl AppState {
    /// Takes back the sets kept in this browser; a damaged one is reported and left as it is.
    pub async fn load_kept_sets(&self) {
        for raw in criteria_store::load_sets().await {
            let mut outcome = Ok(Added::AlreadyKnown);
            self.sets.update(|sets| outcome = sets.restore(&raw));
            if let Err(e) = outcome {
                self.notify(e.to_string(), Tone::Warning);
            }
        }
    }

    /// Adds a set and keeps it in this browser; a set already known is not written again.
    pub async fn add_set(&self, set: CriteriaSet, origin: SetOrigin) -> Result<Added, Refused> {
        let (id, version) = (set.id.clone(), set.version.clone());
        let mut outcome = Ok(Added::AlreadyKnown);
        self.sets
            .update(|sets| outcome = sets.add(set, origin, clock::now_ms()));
        if outcome == Ok(Added::New) {
            let kept = self
                .sets
                .with_untracked(|sets| sets.get(&id, &version).and_then(RegisteredSet::to_stored));
            if let Some(kept) = kept {
                let text = serde_json::to_string(&kept).expect("a set is plain data");
                if let Err(e) = criteria_store::save_set(&store_key(&id, &version), &text).await {
                    self.notify(
                        format!(
                            "Bộ tiêu chí «{id}» phiên bản {version} dùng được trong thẻ này nhưng \
                             chưa lưu được trên máy: {}",
                            e.message_vi()
                        ),
                        Tone::Warning,
                    );
                }
            }
        }
        outcome
    }

    /// Fills in the content hash of an assessment's set when the assessment was made before
    /// sets had one and this browser has the set.
    pub fn record_set_hash(&self, assessment: &mut crate::domain::assessment::Assessment) {
        if assessment.criteria_set.hash.is_none() {
            let hash = self
                .sets
                .with_untracked(|sets| sets.find(&assessment.criteria_set).map(|r| r.hash.clone()));
            assessment.criteria_set.hash = hash;
        }
    }

    /// How many stored assessments use this set version.
    pub fn assessments_using(&self, id: &str, version: &str) -> usize {
        self.docs()
            .iter()
            .filter(|d| {
                d.info()
                    .with(|a| a.criteria_set.id == id && a.criteria_set.version == version)
            })
            .count()
    }

    /// Forgets a set, unless built in or used by a stored assessment.
    pub async fn remove_set(&self, id: &str, version: &str) -> Result<(), RemoveRefused> {
        let in_use = self.assessments_using(id, version);
        let mut outcome = Err(RemoveRefused::NotFound);
        self.sets
            .update(|sets| outcome = sets.remove(id, version, in_use).map(|_| ()));
        if outcome.is_ok() {
            criteria_store::remove_set(&store_key(id, version)).await;
        }
        outcome
    }

    /// Tells the user, once per newer set version, how many assessments still use an older
    /// one: they keep their version and score until the user moves them.
    pub fn announce_newer_versions(&self) {
        let mut counts: Vec<((String, String), usize)> = Vec::new();
        let all = untrack(|| self.docs());
        self.sets.with_untracked(|sets| {
            for doc in &all {
                let wanted = doc.info().with_untracked(|a| a.criteria_set.clone());
                let Some(newer) = sets.newer_than(&wanted) else {
                    continue;
                };
                let key = (newer.set.id.clone(), newer.set.version.clone());
                match counts.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, count)) => *count += 1,
                    None => counts.push((key, 1)),
                }
            }
        });
        for ((id, version), count) in counts {
            self.notify(
                format!(
                    "Đã có bộ tiêu chí «{id}» phiên bản {version} mới hơn. {count} bản tự đánh giá \
                     trên máy này vẫn chấm theo phiên bản cũ và giữ nguyên điểm; mở từng bản để \
                     xem điểm thay đổi thế nào rồi quyết định có chuyển sang phiên bản mới hay \
                     không."
                ),
                Tone::Info,
            );
        }
    }
}
