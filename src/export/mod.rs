//! Print-ready export: the canvas scene composed on paper (with legend and coherence
//! summary), rendered to PNG, SVG and PDF (svg2pdf). Headless: no window, no GPU.
//!
//! The flow is Document → [`page::compose_pages`] (one page, or tiles) → either the page's
//! items drawn straight to pixels ([`paint`], in bands on two cores: [`raster`]), or
//! [`svg::page_to_svg`] → SVG file ([`fonts`] embeds the glyphs used) or PDF via svg2pdf
//! ([`pdf`]). Both read the same items, and a test checks that resvg draws the SVG as
//! [`paint`] draws the page. PNGs carry the canvas JSON (see [`crate::io::png_chunk`]) and
//! the DPI; SVGs carry the JSON in `<metadata>`, and named groups per layer and element.

pub mod fonts;
pub mod options;
pub mod page;
pub mod paint;
pub mod pdf;
pub mod raster;
pub mod svg;

pub use options::{ExportError, ExportOptions, Format, Orientation, Paper, Tiles};
pub use page::{Page, compose_pages, sheet_code};

use crate::model::Document;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// How far an export has come, for a progress bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// 0 to 1.
    pub fraction: f32,
    pub message: String,
}

/// Progress callback: return `false` to cancel.
pub type ProgressFn<'a> = &'a mut dyn FnMut(Progress) -> bool;

/// The pages of `doc` for `opts`, scored with the coherence engine.
pub fn pages_for(doc: &Document, opts: &ExportOptions) -> Result<Vec<Page>, ExportError> {
    let report = crate::scoring::score(doc);
    compose_pages(doc, &report, opts)
}

/// Each page as a self-contained SVG file (fonts embedded, or text as outlines; the first
/// carries the canvas JSON).
pub fn render_svg(doc: &Document, opts: &ExportOptions) -> Result<Vec<String>, ExportError> {
    let json = crate::io::to_json(doc);
    pages_for(doc, opts)?
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let svg = svg::page_to_svg(p, None, (i == 0).then_some(json.as_str()));
            fonts::self_contained(svg, p, opts.text_as_paths)
        })
        .collect()
}

/// Each page as PNG bytes, each carrying the canvas JSON and the DPI.
pub fn render_png(doc: &Document, opts: &ExportOptions) -> Result<Vec<Vec<u8>>, ExportError> {
    let json = crate::io::to_json(doc);
    pages_for(doc, opts)?
        .iter()
        .map(|p| {
            let mut out = Vec::new();
            raster::write_png(p, opts.dpi, Some(&json), &mut out, &mut |_, _| true)?;
            Ok(out)
        })
        .collect()
}

/// All pages in one PDF.
pub fn render_pdf(doc: &Document, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    pdf::write_pdf(
        &pages_for(doc, opts)?,
        &pdf::PdfInfo::of(doc),
        &mut |_, _| true,
    )
}

/// The file for tile `(row, col)` of a tiled PNG or SVG export: `poster-r1c2.png`.
pub fn tile_path(path: &Path, tile: Option<(usize, usize)>) -> PathBuf {
    let Some((r, c)) = tile else {
        return path.to_owned();
    };
    let stem = path
        .file_stem()
        .map_or_else(|| "canvas".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!("{stem}-r{}c{}{ext}", r + 1, c + 1))
}

/// Writes through a temporary file renamed into place, so a failed or cancelled export
/// never leaves half a file under the target name.
fn write_file_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut w = BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut w)?;
        w.flush()?;
        w.get_ref().sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Exports `doc` to `path` in `format`. Tiled PNG and SVG exports write one file per sheet
/// (see [`tile_path`]); PDF puts every sheet in one file. Returns the files written.
pub fn export_to_path(
    doc: &Document,
    path: &Path,
    format: Format,
    opts: &ExportOptions,
    progress: ProgressFn,
) -> Result<Vec<PathBuf>, ExportError> {
    if !progress(Progress {
        fraction: 0.0,
        message: "Laying out the page".into(),
    }) {
        return Err(ExportError::Cancelled);
    }
    let pages = pages_for(doc, opts)?;
    let n = pages.len();
    let json = crate::io::to_json(doc);
    let mut written = Vec::new();
    match format {
        Format::Pdf => {
            let bytes = pdf::write_pdf(&pages, &pdf::PdfInfo::of(doc), &mut |done, total| {
                progress(Progress {
                    fraction: done as f32 / total as f32,
                    message: format!("Page {done} of {total}"),
                })
            })?;
            write_file_atomic(path, |w| Ok(w.write_all(&bytes)?))?;
            written.push(path.to_owned());
        }
        Format::Svg => {
            for (i, page) in pages.iter().enumerate() {
                let target = tile_path(path, page.tile);
                let svg = svg::page_to_svg(page, None, (i == 0).then_some(json.as_str()));
                let svg = fonts::self_contained(svg, page, opts.text_as_paths)?;
                write_file_atomic(&target, |w| Ok(w.write_all(svg.as_bytes())?))?;
                written.push(target);
                if !progress(Progress {
                    fraction: (i + 1) as f32 / n as f32,
                    message: format!("Sheet {} of {n}", i + 1),
                }) {
                    return Err(ExportError::Cancelled);
                }
            }
        }
        Format::Png => {
            for (i, page) in pages.iter().enumerate() {
                let target = tile_path(path, page.tile);
                write_file_atomic(&target, |w| {
                    raster::write_png(page, opts.dpi, Some(&json), w, &mut |done, total| {
                        progress(Progress {
                            fraction: (i as f32 + done as f32 / total as f32) / n as f32,
                            message: if n > 1 {
                                format!("Sheet {} of {n}: band {done} of {total}", i + 1)
                            } else {
                                format!("Rendering band {done} of {total}")
                            },
                        })
                    })?;
                    Ok(())
                })?;
                written.push(target);
            }
        }
    }
    Ok(written)
}
