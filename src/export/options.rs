//! What an export is asked to produce: paper, orientation, resolution, extras, format.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// Paper sizes; `Fit` makes the page exactly as large as the canvas and its extras.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Paper {
    A4,
    #[default]
    A3,
    A2,
    Letter,
    Tabloid,
    Fit,
}

impl Paper {
    pub const ALL: [Paper; 6] = [
        Paper::A4,
        Paper::A3,
        Paper::A2,
        Paper::Letter,
        Paper::Tabloid,
        Paper::Fit,
    ];

    /// Portrait width and height in millimetres, or `None` for `Fit`.
    pub fn size_mm(self) -> Option<(f32, f32)> {
        match self {
            Paper::A4 => Some((210.0, 297.0)),
            Paper::A3 => Some((297.0, 420.0)),
            Paper::A2 => Some((420.0, 594.0)),
            Paper::Letter => Some((215.9, 279.4)),
            Paper::Tabloid => Some((279.4, 431.8)),
            Paper::Fit => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::A3 => "A3",
            Paper::A2 => "A2",
            Paper::Letter => "Letter",
            Paper::Tabloid => "Tabloid",
            Paper::Fit => "Fit the canvas",
        }
    }
}

impl FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "a3" => Ok(Paper::A3),
            "a2" => Ok(Paper::A2),
            "letter" => Ok(Paper::Letter),
            "tabloid" | "ledger" | "11x17" => Ok(Paper::Tabloid),
            "fit" => Ok(Paper::Fit),
            _ => Err(format!(
                "unknown paper {s:?}; expected A4, A3, A2, Letter, Tabloid or fit"
            )),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Orientation {
    /// Landscape when the canvas is wider than tall.
    #[default]
    Auto,
    Landscape,
    Portrait,
}

/// Whether and how to cut the poster into sheets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Tiles {
    #[default]
    Off,
    /// A fixed grid of sheets; the canvas grows to fill it.
    Grid { cols: usize, rows: usize },
    /// As many sheets as the canvas needs at the chosen scale (1 canvas unit = 1 px).
    Auto,
}

impl FromStr for Tiles {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        if s == "auto" {
            return Ok(Tiles::Auto);
        }
        let bad = || format!("expected tiles as COLSxROWS (like 2x2) or \"auto\", found {s:?}");
        let (c, r) = s.split_once(['x', '×']).ok_or_else(bad)?;
        let cols: usize = c.trim().parse().map_err(|_| bad())?;
        let rows: usize = r.trim().parse().map_err(|_| bad())?;
        if cols == 0 || rows == 0 {
            return Err(bad());
        }
        Ok(Tiles::Grid { cols, rows })
    }
}

/// Output formats; the CLI picks one from the file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    #[default]
    Png,
    Svg,
    Pdf,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
        }
    }
}

pub const MIN_DPI: f32 = 96.0;
pub const MAX_DPI: f32 = 600.0;
pub const MIN_SCALE: f32 = 0.05;
pub const MAX_SCALE: f32 = 20.0;
/// Most sheets one tiled export may produce.
pub const MAX_TILES: usize = 400;

/// Everything that shapes an export besides the document.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    pub paper: Paper,
    pub orientation: Orientation,
    /// Raster resolution for PNG (96 to 600). SVG and PDF are vectors and ignore it.
    pub dpi: f32,
    /// Canvas units per page pixel (1/96 in); `None` fits the canvas to the paper.
    pub scale: Option<f32>,
    pub margin_mm: f32,
    pub legend: bool,
    pub summary: bool,
    pub tiles: Tiles,
    /// How much neighbouring tiles repeat, to glue them.
    pub overlap_mm: f32,
    /// Use the dark palette (for slides); print uses the light one.
    pub dark: bool,
    /// SVG only: text as outlines (for renderers that ignore embedded fonts, and print
    /// shops) instead of text with the fonts embedded.
    pub text_as_paths: bool,
    /// Hatch the cards whose evidence is assumed, so a meeting sees what is still a guess.
    pub hatch_assumed: bool,
    /// Draw the emotion curve's band under the stage headers.
    pub emotion_curve: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            paper: Paper::A3,
            orientation: Orientation::Auto,
            dpi: 300.0,
            scale: None,
            margin_mm: 10.0,
            legend: true,
            summary: true,
            tiles: Tiles::Off,
            overlap_mm: 10.0,
            dark: false,
            text_as_paths: false,
            hatch_assumed: false,
            emotion_curve: true,
        }
    }
}

impl ExportOptions {
    /// Refuses values outside the supported ranges, with a message for the user.
    pub fn validate(&self) -> Result<(), ExportError> {
        let err = |m: String| Err(ExportError::Options(m));
        if !(MIN_DPI..=MAX_DPI).contains(&self.dpi) {
            return err(format!(
                "the DPI must be between 96 and 600, not {}",
                self.dpi
            ));
        }
        if let Some(s) = self.scale
            && !(MIN_SCALE..=MAX_SCALE).contains(&s)
        {
            return err(format!(
                "the scale must be between {MIN_SCALE} and {MAX_SCALE}, not {s}"
            ));
        }
        if !(0.0..=50.0).contains(&self.margin_mm) {
            return err(format!(
                "margins must be between 0 and 50 mm, not {}",
                self.margin_mm
            ));
        }
        if !(0.0..=50.0).contains(&self.overlap_mm) {
            return err(format!(
                "the overlap must be between 0 and 50 mm, not {}",
                self.overlap_mm
            ));
        }
        if self.paper == Paper::Fit && self.tiles != Tiles::Off {
            return err("tiles need a paper size (A4, A3, …), not \"fit\"".into());
        }
        if let Tiles::Grid { cols, rows } = self.tiles
            && cols.saturating_mul(rows) > MAX_TILES
        {
            return err(format!("at most {MAX_TILES} tiles, not {cols}×{rows}"));
        }
        Ok(())
    }
}

/// Why an export failed.
#[derive(Debug)]
pub enum ExportError {
    /// The options cannot produce a page (message for the user).
    Options(String),
    /// A renderer refused the scene (a bug, reported with context).
    Render(String),
    /// The user cancelled.
    Cancelled,
    Io(std::io::Error),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Options(m) => f.write_str(m),
            ExportError::Render(m) => write!(f, "rendering failed: {m}"),
            ExportError::Cancelled => f.write_str("export cancelled"),
            ExportError::Io(e) => write!(f, "could not write the export: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Io(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_papers_and_tiles() {
        assert_eq!("a3".parse::<Paper>(), Ok(Paper::A3));
        assert_eq!("Tabloid".parse::<Paper>(), Ok(Paper::Tabloid));
        assert!("B5".parse::<Paper>().is_err());
        assert_eq!("2x3".parse::<Tiles>(), Ok(Tiles::Grid { cols: 2, rows: 3 }));
        assert_eq!("auto".parse::<Tiles>(), Ok(Tiles::Auto));
        for bad in ["0x2", "2", "x", "2x-1"] {
            assert!(bad.parse::<Tiles>().is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_out_of_range_options() {
        let ok = ExportOptions::default();
        assert!(ok.validate().is_ok());
        for bad in [
            ExportOptions {
                dpi: 95.0,
                ..ok.clone()
            },
            ExportOptions {
                dpi: 601.0,
                ..ok.clone()
            },
            ExportOptions {
                scale: Some(0.0),
                ..ok.clone()
            },
            ExportOptions {
                paper: Paper::Fit,
                tiles: Tiles::Auto,
                ..ok.clone()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }
}
