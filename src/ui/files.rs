//! Files around the editor: native open/save dialogs (with a fallback when the system has
//! none), the recent-files list kept in the user's config folder, and the bundled samples.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a file dialog answered.
#[derive(Debug, PartialEq, Eq)]
pub enum Picked {
    Path(PathBuf),
    Cancelled,
    /// No dialog could be shown (no desktop portal and no zenity).
    Unavailable,
}

/// rfd answers `None` both when the user cancels and when no dialog backend exists; in the
/// second case it does so within milliseconds, faster than any person could cancel.
const NO_DIALOG_BELOW: Duration = Duration::from_millis(250);

fn classify(started: Instant, path: Option<PathBuf>) -> Picked {
    match path {
        Some(p) => Picked::Path(p),
        None if started.elapsed() < NO_DIALOG_BELOW => Picked::Unavailable,
        None => Picked::Cancelled,
    }
}

pub fn pick_open(start_dir: Option<&Path>) -> Picked {
    let started = Instant::now();
    let mut dialog = rfd::FileDialog::new()
        .set_title("Open a canvas")
        .add_filter("Stagecraft canvas", &["json", "png", "svg"])
        .add_filter("All files", &["*"]);
    if let Some(dir) = start_dir {
        dialog = dialog.set_directory(dir);
    }
    classify(started, dialog.pick_file())
}

/// Asks for a persona's picture: a PNG or JPEG file.
pub fn pick_picture() -> Picked {
    let started = Instant::now();
    let dialog = rfd::FileDialog::new()
        .set_title("Pick a persona's picture")
        .add_filter("Pictures", &["png", "jpg", "jpeg"]);
    classify(started, dialog.pick_file())
}

pub fn pick_save(suggested: &Path) -> Picked {
    let started = Instant::now();
    let mut dialog = rfd::FileDialog::new()
        .set_title("Save the canvas")
        .add_filter("Stagecraft canvas", &["json"]);
    if let Some(dir) = suggested.parent().filter(|d| !d.as_os_str().is_empty()) {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = suggested.file_name().and_then(|n| n.to_str()) {
        dialog = dialog.set_file_name(name);
    }
    classify(started, dialog.save_file()).with_json_extension()
}

impl Picked {
    /// Adds `.json` when the user typed a name without an extension.
    fn with_json_extension(self) -> Self {
        match self {
            Picked::Path(p) if p.extension().is_none() => Picked::Path(p.with_extension("json")),
            other => other,
        }
    }
}

/// Most recent files remembered.
pub const MAX_RECENT: usize = 8;

/// The recent-files list, newest first, persisted as JSON in
/// `dirs::config_dir()/stagecraft/recent.json` (or nowhere, in tests).
#[derive(Debug, Default)]
pub struct RecentFiles {
    store: Option<PathBuf>,
    pub paths: Vec<PathBuf>,
}

impl RecentFiles {
    /// Reads the user's list; a missing or damaged file gives an empty list.
    pub fn load_user() -> Self {
        let store = dirs::config_dir().map(|d| d.join("stagecraft").join("recent.json"));
        let paths = store
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice::<Vec<PathBuf>>(&bytes).ok())
            .unwrap_or_default();
        Self { store, paths }
    }

    /// A list kept in memory only.
    pub fn in_memory() -> Self {
        Self::default()
    }

    /// Puts `path` first and saves the list (failures to save are not worth bothering the
    /// user about: the list is a convenience).
    pub fn touch(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.paths.retain(|p| p != &path);
        self.paths.insert(0, path);
        self.paths.truncate(MAX_RECENT);
        self.save();
    }

    pub fn remove(&mut self, path: &Path) {
        self.paths.retain(|p| p != path);
        self.save();
    }

    fn save(&self) {
        let Some(store) = &self.store else { return };
        if let Some(dir) = store.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(json) = serde_json::to_vec_pretty(&self.paths) {
            let _ = crate::io::write_atomic(store, &json);
        }
    }
}

/// The samples shipped inside the program (file stem, JSON text).
pub const BUNDLED_SAMPLES: [(&str, &str); 4] = [
    (
        "coffee-shop",
        include_str!("../../samples/coffee-shop.json"),
    ),
    ("hotel-stay", include_str!("../../samples/hotel-stay.json")),
    (
        "omnichannel-retail",
        include_str!("../../samples/omnichannel-retail.json"),
    ),
    (
        "employee-onboarding",
        include_str!("../../samples/employee-onboarding.json"),
    ),
];

/// A sample canvas offered on the start screen.
#[derive(Clone, Debug)]
pub struct Sample {
    /// File stem ("coffee-shop").
    pub name: String,
    /// The journey's title, read from the sample.
    pub title: String,
    /// Who the journey is about (the personas' names), empty when the sample has none.
    pub persona: String,
    pub cards: usize,
    /// The canvas JSON.
    pub text: &'static str,
}

impl Sample {
    /// Opens the sample as a document.
    pub fn load(&self) -> Result<crate::io::Loaded, crate::io::LoadError> {
        crate::io::load_str(&format!("{}.json", self.name), self.text)
    }
}

/// The bundled samples that open (all of them, unless a sample file is broken).
pub fn find_samples() -> Vec<Sample> {
    BUNDLED_SAMPLES
        .iter()
        .filter_map(|(name, text)| {
            let loaded = crate::io::load_str(name, text).ok()?;
            Some(Sample {
                name: (*name).to_owned(),
                title: loaded.document.title.clone(),
                persona: loaded
                    .document
                    .personas
                    .iter()
                    .map(|p| p.name.trim())
                    .filter(|n| !n.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
                cards: loaded.document.touchpoints.len(),
                text,
            })
        })
        .collect()
}

impl Sample {
    /// The start screen's caption: the journey, whose it is, how big.
    pub fn caption(&self) -> String {
        let mut text = self.title.clone();
        if !self.persona.trim().is_empty() {
            text.push_str(&format!("\nPersona: {}", self.persona.trim()));
        }
        text.push_str(&format!("\n{} touchpoints", self.cards));
        text
    }
}

/// "coffee-shop" → "Coffee shop".
pub fn pretty_name(stem: &str) -> String {
    let spaced = stem.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_sample_opens() {
        let samples = find_samples();
        assert_eq!(samples.len(), BUNDLED_SAMPLES.len());
        for s in &samples {
            assert!(s.cards > 0, "{} has cards", s.name);
            assert!(!s.title.is_empty());
        }
    }

    #[test]
    fn pretty_names() {
        assert_eq!(pretty_name("coffee-shop"), "Coffee shop");
        assert_eq!(pretty_name("hotel_stay"), "Hotel stay");
        assert_eq!(pretty_name(""), "");
    }

    #[test]
    fn recent_files_keep_newest_first_without_duplicates() {
        let mut r = RecentFiles::in_memory();
        for name in ["a", "b", "a", "c"] {
            r.touch(Path::new(name));
        }
        let names: Vec<_> = r
            .paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["c", "a", "b"]);
        for i in 0..20 {
            r.touch(Path::new(&format!("f{i}")));
        }
        assert_eq!(r.paths.len(), MAX_RECENT);
    }

    #[test]
    fn quick_none_means_no_dialog() {
        assert_eq!(classify(Instant::now(), None), Picked::Unavailable);
        let long_ago = Instant::now().checked_sub(Duration::from_secs(2)).unwrap();
        assert_eq!(classify(long_ago, None), Picked::Cancelled);
        assert_eq!(
            Picked::Path("x".into()).with_json_extension(),
            Picked::Path("x.json".into())
        );
    }
}
