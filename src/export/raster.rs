//! Pages → PNG, band by band, with the DPI in `pHYs` and the canvas JSON in an `iTXt`
//! chunk; the pixels come from [`paint`] (the scene's items drawn with tiny-skia).
//!
//! A page is rendered in horizontal bands, two at a time on two cores, into reused
//! pixmaps, and the rows are streamed into the PNG encoder, so memory stays bounded (about
//! [`BAND_BYTES`]) whatever the paper and DPI. Each band draws only the items that touch
//! it. Also here: usvg set up with the embedded fonts, for reading our own SVGs (text as
//! outlines, the tests comparing renderers).

use super::options::ExportError;
use super::page::Page;
use super::paint;
use crate::scene::text::{FONT_BOLD, FONT_FAMILY, FONT_REGULAR};
use resvg::tiny_skia;
use resvg::usvg;
use std::io::Write;
use std::sync::{Arc, OnceLock};

/// Pixmap memory per band (RGBA).
pub const BAND_BYTES: usize = 96 * 1024 * 1024;
/// Extra rows rendered above and below each band (see `write_png_with_bands`).
const BAND_PAD: u32 = 16;
/// Largest image an export may produce, in pixels (streamed, so this bounds file size and
/// time rather than memory): about an A0 sheet at 600 dpi.
pub const MAX_PIXELS: u64 = 600_000_000;

/// A font database holding only the embedded Noto Sans, so output never depends on the
/// fonts installed on the machine.
pub fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_REGULAR.to_vec());
        db.load_font_data(FONT_BOLD.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// usvg options reading our SVGs: embedded fonts, Noto Sans by default, nothing from disk.
pub fn usvg_options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fontdb(),
        ..usvg::Options::default()
    }
}

/// Parses an SVG we produced.
pub fn parse_svg(svg: &str) -> Result<usvg::Tree, ExportError> {
    usvg::Tree::from_str(svg, &usvg_options()).map_err(|e| ExportError::Render(e.to_string()))
}

/// Pixel size of a page at `dpi`.
pub fn pixel_size(page: &Page, dpi: f32) -> (u32, u32) {
    let k = dpi / 96.0;
    (
        (page.width * k).round().max(1.0) as u32,
        (page.height * k).round().max(1.0) as u32,
    )
}

/// Renders `page` at `dpi` as a PNG into `out`. `progress(done, total)` is called after each
/// band and returns `false` to cancel. Returns the image size.
pub fn write_png<W: Write>(
    page: &Page,
    dpi: f32,
    canvas_json: Option<&str>,
    out: W,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<(u32, u32), ExportError> {
    write_png_with_bands(page, dpi, canvas_json, out, BAND_BYTES, progress)
}

/// [`write_png`] with the band memory chosen by the caller (tests force many bands).
pub fn write_png_with_bands<W: Write>(
    page: &Page,
    dpi: f32,
    canvas_json: Option<&str>,
    out: W,
    band_bytes: usize,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<(u32, u32), ExportError> {
    let (w, h) = pixel_size(page, dpi);
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ExportError::Options(format!(
            "a {w}×{h} pixel image is too large; lower the DPI or use tiles"
        )));
    }
    // Two bands at a time on two cores, each into its own pixmap.
    let threads = if crate::two_cores() && h >= 64 { 2 } else { 1 };
    let band_rows =
        (band_bytes / threads / (w as usize * 4)).clamp(16, (h as usize).div_ceil(threads)) as u32;
    let bands = h.div_ceil(band_rows) as usize;
    let (kx, ky) = (w as f32 / page.width, h as f32 / page.height);

    let mut encoder = png::Encoder::new(out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let ppm = (dpi / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: png::Unit::Meter,
    }));
    let io = |e: png::EncodingError| match e {
        png::EncodingError::IoError(e) => ExportError::Io(e),
        other => ExportError::Render(other.to_string()),
    };
    let mut writer = encoder.write_header().map_err(io)?;
    if let Some(json) = canvas_json {
        writer
            .write_chunk(png::chunk::iTXt, &crate::io::png_chunk::itxt_data(json))
            .map_err(io)?;
    }
    let mut stream = writer.stream_writer().map_err(io)?;
    // Bands overlap by PAD rows on each side and only their middle is kept: tiny-skia's
    // anti-aliasing differs slightly within a few rows of a pixmap edge, which would show as
    // faint seams between bands.
    let pad = if bands == 1 { 0 } else { BAND_PAD };
    let mut pixmaps = (0..threads.min(bands))
        .map(|_| tiny_skia::Pixmap::new(w, band_rows + 2 * pad))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ExportError::Render(format!("cannot allocate a {w}×{band_rows} band")))?;
    let bg = page.background;
    let width = w as usize;
    // Each band thread draws its band and turns its kept rows into RGB, so that the
    // encoder (on this thread, in band order) has nothing left to do but compress.
    let draw = |band: usize, pixmap: &mut tiny_skia::Pixmap, rgb: &mut Vec<u8>| {
        let y0 = band as u32 * band_rows;
        let rows = band_rows.min(h - y0) as usize;
        pixmap.fill(tiny_skia::Color::from_rgba8(bg.r, bg.g, bg.b, 255));
        paint::draw_band(page, kx, ky, y0 as f32 - pad as f32, &mut pixmap.as_mut());
        rgb.clear();
        let kept = &pixmap.pixels()[pad as usize * width..(pad as usize + rows) * width];
        // The background is opaque, so premultiplied equals straight colour.
        rgb.extend(kept.iter().flat_map(|px| {
            let c = px.demultiply();
            [c.red(), c.green(), c.blue()]
        }));
    };
    let mut rgbs: Vec<Vec<u8>> = vec![Vec::new(); pixmaps.len()];
    for first in (0..bands).step_by(pixmaps.len()) {
        let count = pixmaps.len().min(bands - first);
        std::thread::scope(|s| {
            let (mine, others) = pixmaps.split_at_mut(1);
            let (my_rgb, other_rgbs) = rgbs.split_at_mut(1);
            let helpers: Vec<_> = others
                .iter_mut()
                .zip(other_rgbs.iter_mut())
                .take(count - 1)
                .enumerate()
                .map(|(k, (pixmap, rgb))| s.spawn(move || draw(first + 1 + k, pixmap, rgb)))
                .collect();
            draw(first, &mut mine[0], &mut my_rgb[0]);
            for helper in helpers {
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
        });
        for (k, rgb) in rgbs.iter().take(count).enumerate() {
            stream.write_all(rgb).map_err(ExportError::Io)?;
            if !progress(first + k + 1, bands) {
                return Err(ExportError::Cancelled);
            }
        }
    }
    stream.finish().map_err(io)?;
    Ok((w, h))
}
