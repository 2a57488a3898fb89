//! [`Lineage`]: which canvas a file is a copy of, and which saved versions it descends
//! from, so that a colleague's copy sent by e-mail (no git, no merge base) can still be
//! merged three-way against the last version both copies share.
//!
//! A canvas gets an id the first time it is saved; every save adds a fresh version id at
//! the front of `versions` (newest first, at most [`MAX_VERSIONS`]). Copies of one canvas
//! share the id; the common ancestor of two copies is the newest version in both lists
//! (see [`Lineage::common_versions`]). The versions' contents live in the saving
//! machine's own history folder (`crate::history`), never in the file.

use serde::{Deserialize, Serialize};
use std::hash::{BuildHasher, Hash, Hasher};

/// Most version ids a file carries; older ones are forgotten (a base that old would merge
/// so much that a person should look anyway).
pub const MAX_VERSIONS: usize = 64;

/// The canvas's identity and its saved versions, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    /// The canvas's id, the same in every copy of it; empty until first saved.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Ids of the versions this copy descends from, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

/// A fresh, practically unique id: 16 hex digits from the clock, the process and a
/// counter, mixed by std's randomly seeded hasher (no random-number crate needed).
pub fn fresh_version_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        .hash(&mut h);
    std::process::id().hash(&mut h);
    COUNTER.fetch_add(1, Ordering::Relaxed).hash(&mut h);
    format!("{:016x}", h.finish())
}

impl Lineage {
    pub fn is_empty(&self) -> bool {
        self.id.is_empty() && self.versions.is_empty()
    }

    /// Records a new save: gives the canvas an id if it has none, and puts a fresh version
    /// id first. Returns that version id.
    pub fn stamp(&mut self) -> String {
        if self.id.is_empty() {
            self.id = fresh_version_id();
        }
        let version = fresh_version_id();
        self.versions.insert(0, version.clone());
        self.versions.truncate(MAX_VERSIONS);
        version
    }

    /// The newest saved version, if any.
    pub fn latest(&self) -> Option<&str> {
        self.versions.first().map(String::as_str)
    }

    /// Whether both copies come from the same canvas.
    pub fn same_canvas(&self, other: &Lineage) -> bool {
        !self.id.is_empty() && self.id == other.id
    }

    /// Versions both copies descend from, newest (of `other`'s list) first: the best merge
    /// base is the first of these whose content is still at hand.
    pub fn common_versions<'a>(&'a self, other: &'a Lineage) -> impl Iterator<Item = &'a str> {
        let same = self.same_canvas(other);
        other
            .versions
            .iter()
            .filter(move |v| same && self.versions.contains(v))
            .map(String::as_str)
    }

    /// The lineage of a merge of two copies: this copy's id (or the other's, if this one
    /// has none) and both histories, this one's first, without repeats.
    pub fn merged(&self, other: &Lineage) -> Lineage {
        // A copy that already descends from every version of the other is the merge's
        // history as it stands (merging a copy with its own ancestor changes nothing).
        let covers = |a: &Lineage, b: &Lineage| b.versions.iter().all(|v| a.versions.contains(v));
        let related = self.id == other.id || self.id.is_empty() || other.id.is_empty();
        if related && covers(self, other) && !self.id.is_empty() {
            return self.clone();
        }
        if related && covers(other, self) {
            return other.clone();
        }
        let id = if self.id.is_empty() {
            other.id.clone()
        } else {
            self.id.clone()
        };
        let mut versions = self.versions.clone();
        if self.id == other.id || self.id.is_empty() {
            for v in &other.versions {
                if !versions.contains(v) {
                    versions.push(v.clone());
                }
            }
        }
        versions.truncate(MAX_VERSIONS);
        Lineage { id, versions }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamping_gives_an_id_once_and_a_new_version_each_time() {
        let mut l = Lineage::default();
        let first = l.stamp();
        let id = l.id.clone();
        let second = l.stamp();
        assert_eq!(l.id, id, "the canvas keeps its id");
        assert_ne!(first, second);
        assert_eq!(l.versions, vec![second.clone(), first]);
        assert_eq!(l.latest(), Some(second.as_str()));
        for _ in 0..100 {
            l.stamp();
        }
        assert_eq!(l.versions.len(), MAX_VERSIONS);
    }

    #[test]
    fn the_common_version_is_the_newest_both_descend_from() {
        let mut mine = Lineage::default();
        mine.stamp();
        let shared = mine.stamp();
        let mut theirs = mine.clone();
        theirs.stamp();
        theirs.stamp();
        mine.stamp();
        assert_eq!(
            theirs.common_versions(&mine).next(),
            Some(shared.as_str()),
            "the last version saved before the copies parted"
        );
        let stranger = Lineage {
            id: "other-canvas".into(),
            versions: mine.versions.clone(),
        };
        assert_eq!(stranger.common_versions(&mine).next(), None);
    }

    #[test]
    fn merged_lineage_keeps_both_histories() {
        let mut a = Lineage::default();
        a.stamp();
        let mut b = a.clone();
        let vb = b.stamp();
        let va = a.stamp();
        let m = a.merged(&b);
        assert_eq!(m.id, a.id);
        assert_eq!(m.versions[0], va);
        assert!(m.versions.contains(&vb));
        assert_eq!(m.versions.len(), 3);
        assert_eq!(
            a.merged(&Lineage::default()),
            a,
            "a copy never saved adds nothing"
        );
        let mut newer = a.clone();
        newer.stamp();
        assert_eq!(
            a.merged(&newer),
            newer,
            "merging with a descendant gives the descendant"
        );
    }
}
