//! Saved versions kept on this machine, so that a colleague's copy that came back by
//! e-mail or a shared drive can be merged three-way against the version both copies
//! started from (see [`crate::model::Lineage`]).
//!
//! Every save by the app also writes the file's text to
//! `data_dir/stagecraft/history/<canvas id>/<version id>.json` (or under
//! `STAGECRAFT_HISTORY_DIR`); the newest [`KEEP_PER_CANVAS`] versions of each canvas are
//! kept. Canvases over [`MAX_STORED_BYTES`] are not kept: a merge of those falls back to
//! the two-way compare. No egui here.

use crate::model::{Document, Lineage, id_problem};
use std::path::{Path, PathBuf};

/// Versions kept per canvas; older ones are deleted when a new one is stored.
pub const KEEP_PER_CANVAS: usize = 30;
/// Larger saves are not copied into the history (a 100,000-card canvas is about 85 MB).
pub const MAX_STORED_BYTES: usize = 16 * 1024 * 1024;

/// The history folder.
#[derive(Clone, Debug)]
pub struct VersionStore {
    dir: PathBuf,
}

impl VersionStore {
    /// A store in `dir` (created on first write).
    pub fn open(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The platform's data folder, or `STAGECRAFT_HISTORY_DIR`; `None` without either.
    pub fn open_default() -> Option<Self> {
        std::env::var_os("STAGECRAFT_HISTORY_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs::data_dir().map(|d| d.join("stagecraft").join("history")))
            .map(Self::open)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of one version, if both ids are safe to use as file names.
    fn path(&self, canvas: &str, version: &str) -> Option<PathBuf> {
        let safe = |id: &str| {
            id_problem(id).is_none()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        (safe(canvas) && safe(version))
            .then(|| self.dir.join(canvas).join(format!("{version}.json")))
    }

    /// Keeps `text` (the file as just saved) as the newest version of its canvas. The
    /// document's lineage names both. Failures are returned for the caller to mention;
    /// they never stop a save.
    pub fn record(&self, doc: &Document, text: &str) -> std::io::Result<()> {
        let (canvas, Some(version)) = (&doc.lineage.id, doc.lineage.latest()) else {
            return Ok(());
        };
        if text.len() > MAX_STORED_BYTES {
            return Ok(());
        }
        let Some(path) = self.path(canvas, version) else {
            return Ok(());
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        crate::io::write_atomic(&path, text.as_bytes()).map_err(|e| e.source)?;
        self.prune(canvas);
        Ok(())
    }

    /// Deletes all but the newest versions of one canvas.
    fn prune(&self, canvas: &str) {
        let Ok(read) = std::fs::read_dir(self.dir.join(canvas)) else {
            return;
        };
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = read
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        files.sort_by_key(|f| std::cmp::Reverse(f.0));
        for (_, old) in files.into_iter().skip(KEEP_PER_CANVAS) {
            let _ = std::fs::remove_file(old);
        }
    }

    /// One stored version, if it is here and still opens.
    pub fn load(&self, canvas: &str, version: &str) -> Option<Document> {
        let path = self.path(canvas, version)?;
        crate::io::load_path(&path).ok().map(|l| l.document)
    }

    /// The newest version that both copies descend from and that this machine kept: the
    /// base for a three-way merge of `theirs` into `ours`.
    pub fn find_base(&self, ours: &Lineage, theirs: &Lineage) -> Option<Document> {
        theirs
            .common_versions(ours)
            .find_map(|v| self.load(&ours.id, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(store: &VersionStore, doc: &mut Document) -> String {
        let v = doc.lineage.stamp();
        store
            .record(doc, &crate::io::to_json(doc))
            .expect("recorded");
        v
    }

    #[test]
    fn a_copy_that_descends_from_a_saved_version_finds_it_as_base() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = VersionStore::open(dir.path());
        let mut mine = Document::new_canvas();
        saved(&store, &mut mine);
        mine.title = "Shared".into();
        saved(&store, &mut mine);
        let base = mine.clone();
        // A colleague edits and saves on their machine (another store).
        let other = tempfile::tempdir().expect("tempdir");
        let mut theirs = mine.clone();
        theirs.title = "Theirs".into();
        saved(&VersionStore::open(other.path()), &mut theirs);
        // Meanwhile this machine saves again.
        mine.title = "Mine".into();
        saved(&store, &mut mine);

        let found = store
            .find_base(&mine.lineage, &theirs.lineage)
            .expect("a base");
        assert_eq!(found, base, "the version both started from");

        let stranger = {
            let mut d = Document::new_canvas();
            d.lineage.stamp();
            d
        };
        assert!(store.find_base(&mine.lineage, &stranger.lineage).is_none());
    }

    #[test]
    fn only_the_newest_versions_are_kept_and_odd_ids_are_never_paths() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = VersionStore::open(dir.path());
        let mut doc = Document::new_canvas();
        for _ in 0..KEEP_PER_CANVAS + 5 {
            saved(&store, &mut doc);
        }
        let kept = std::fs::read_dir(dir.path().join(&doc.lineage.id))
            .expect("folder")
            .count();
        assert_eq!(kept, KEEP_PER_CANVAS);
        assert!(store.path("../../etc", "passwd").is_none());
        assert!(store.path("ok", "a/b").is_none());
    }
}
