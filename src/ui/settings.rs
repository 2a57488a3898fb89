//! [`Settings`]: the choices a user expects to find again after a restart (dark look,
//! side panels, legend, the folder last saved in), kept as a small JSON file in
//! `dirs::config_dir()/stagecraft/settings.json`, beside the recent files. Tests point the
//! store at a temporary file, or keep it in memory, never at the user's real folder.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What is remembered between runs. Unknown or missing fields take their defaults, so an
/// older or newer settings file still loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub dark: bool,
    /// Whether the user chose the side panels (View menu, Panels, Ctrl+\\); until then
    /// they follow the window's width and `show_palette`/`show_inspector` are not applied.
    pub panels_chosen: bool,
    pub show_palette: bool,
    pub show_inspector: bool,
    pub show_legend: bool,
    /// The emotion curve's band under the stage headers.
    pub show_emotion_curve: bool,
    /// The folder of the last file opened or saved: where Save As starts.
    pub last_folder: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            dark: false,
            panels_chosen: false,
            show_palette: true,
            show_inspector: true,
            show_legend: false,
            show_emotion_curve: true,
            last_folder: None,
        }
    }
}

/// Where settings are read from and written to, remembering what was last written so
/// that an unchanged frame writes nothing.
#[derive(Debug, Default)]
pub struct SettingsStore {
    path: Option<PathBuf>,
    written: Option<Settings>,
}

impl SettingsStore {
    /// The user's settings file.
    pub fn user() -> Self {
        Self::at_opt(dirs::config_dir().map(|d| d.join("stagecraft").join("settings.json")))
    }

    /// A settings file at `path` (tests: a temporary folder).
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self::at_opt(Some(path.into()))
    }

    /// Settings kept in memory only.
    pub fn in_memory() -> Self {
        Self::default()
    }

    fn at_opt(path: Option<PathBuf>) -> Self {
        Self {
            path,
            written: None,
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The stored settings; defaults when there are none or the file is damaged.
    pub fn load(&mut self) -> Settings {
        let loaded: Settings = self
            .path
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        self.written = Some(loaded.clone());
        loaded
    }

    /// Writes `settings` if they differ from what was last read or written. Failures are
    /// not worth bothering the user about: these are conveniences.
    pub fn save(&mut self, settings: &Settings) {
        if self.written.as_ref() == Some(settings) {
            return;
        }
        self.written = Some(settings.clone());
        let Some(path) = &self.path else { return };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(json) = serde_json::to_vec_pretty(settings) {
            let _ = crate::io::write_atomic(path, &json);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_their_file_and_damage_gives_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("settings.json");
        let mut store = SettingsStore::at(&path);
        assert_eq!(store.load(), Settings::default(), "no file yet");
        let chosen = Settings {
            dark: true,
            panels_chosen: true,
            show_palette: false,
            show_inspector: true,
            show_legend: true,
            show_emotion_curve: false,
            last_folder: Some(dir.path().to_owned()),
        };
        store.save(&chosen);
        assert_eq!(SettingsStore::at(&path).load(), chosen);
        std::fs::write(&path, "{ not json").expect("write");
        assert_eq!(SettingsStore::at(&path).load(), Settings::default());
        std::fs::write(&path, r#"{"dark": true, "future": 1}"#).expect("write");
        let partial = SettingsStore::at(&path).load();
        assert!(partial.dark && partial.show_palette, "{partial:?}");
    }
}
