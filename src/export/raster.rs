//! Pages → PNG, band by band, with the DPI in `pHYs` and the canvas JSON in an `iTXt`
//! chunk; the pixels come from [`paint`] (the scene's items drawn with tiny-skia).
//!
//! A page is rendered in horizontal bands, handed in turn to a thread per core, each with
//! a reused pixmap; each band thread also filters and compresses its own rows, and the bands'
//! compressed streams are joined into the PNG's one zlib stream, so memory stays bounded
//! (about [`BAND_BYTES`]) whatever the paper and DPI, and encoding is shared by both cores.
//! Each band draws only the items that touch it. Also here: usvg set up with the embedded fonts, for reading our own SVGs (text as
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
/// Bands per core when a page is drawn on two (see `write_png_with_bands`).
const BANDS_PER_CORE: usize = 4;
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
    // A band thread per core, each with its own pixmap. With two, the page is cut into
    // several bands per core handed out in turn: a page's top (the canvas) takes far longer
    // to draw than its bottom (the legend), and halves would leave one core idle.
    let threads = if crate::two_cores() && h >= 64 { 2 } else { 1 };
    let share = if threads > 1 {
        (h as usize).div_ceil(threads * BANDS_PER_CORE)
    } else {
        h as usize
    };
    let band_rows = (band_bytes / threads / (w as usize * 4))
        .min(share)
        .max(16)
        .min(h as usize)
        .max(1) as u32;
    let bands = h.div_ceil(band_rows) as usize;
    let (kx, ky) = (w as f32 / page.width, h as f32 / page.height);

    let mut encoder = png::Encoder::new(out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
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
    let pad = if bands == 1 { 0 } else { BAND_PAD };
    let mut pixmaps = (0..threads.min(bands))
        .map(|_| tiny_skia::Pixmap::new(w, band_rows + 2 * pad))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ExportError::Render(format!("cannot allocate a {w}×{band_rows} band")))?;
    let bg = page.background;
    let width = w as usize;
    // Each band thread draws its band, filters its rows and compresses them, so that both
    // cores share the encoding too; this thread only joins the pieces, in band order.
    let draw = |band: usize,
                pixmap: &mut tiny_skia::Pixmap,
                filtered: &mut Vec<u8>|
     -> std::io::Result<Segment> {
        let y0 = band as u32 * band_rows;
        let rows = band_rows.min(h - y0) as usize;
        pixmap.fill(tiny_skia::Color::from_rgba8(bg.r, bg.g, bg.b, 255));
        paint::draw_band(page, kx, ky, y0 as f32 - pad as f32, &mut pixmap.as_mut());
        let kept = &pixmap.pixels()[pad as usize * width..(pad as usize + rows) * width];
        // A few rows at a time, so the scanlines are compressed while still in cache
        // rather than written out whole and read back.
        let mut compressor = fdeflate::Compressor::new(Vec::with_capacity(rows * width / 2))?;
        for start in (0..rows).step_by(FILTER_ROWS) {
            let end = (start + FILTER_ROWS).min(rows);
            let above = start
                .checked_sub(1)
                .map(|y| &kept[y * width..start * width]);
            filter_rows(&kept[start * width..end * width], above, width, filtered);
            compressor.write_data(filtered)?;
        }
        Ok(Segment {
            zlib: compressor.finish()?,
            len: rows * (3 * width + 1),
        })
    };
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); pixmaps.len()];
    let mut zlib = ZlibJoiner::default();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::scope(|s| -> Result<(), ExportError> {
        for (pixmap, filtered) in pixmaps.iter_mut().zip(buffers.iter_mut()) {
            let (next, draw, done) = (&next, &draw, done.clone());
            s.spawn(move || {
                loop {
                    let band = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    // Stops when every band is taken, or when the writer gave up.
                    if band >= bands || done.send((band, draw(band, pixmap, filtered))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        // Bands arrive as they are finished; they are written in order.
        let mut waiting = std::collections::BTreeMap::new();
        let mut written = 0;
        for (band, segment) in finished {
            waiting.insert(band, segment);
            while let Some(segment) = waiting.remove(&written) {
                written += 1;
                let data = zlib.append(segment.map_err(ExportError::Io)?, written == bands)?;
                writer.write_chunk(png::chunk::IDAT, &data).map_err(io)?;
                if !progress(written, bands) {
                    return Err(ExportError::Cancelled);
                }
            }
        }
        Ok(())
    })?;
    writer.finish().map_err(io)?;
    Ok((w, h))
}

/// The PNG filter of one image row, per byte: `cur` is the row, `prev` the row above.
#[derive(Clone, Copy)]
enum RowFilter {
    /// Against the pixel on the left only: for the first row of a band, whose row above
    /// belongs to another thread's band.
    Sub = 1,
    /// Against the pixels left, above and above-left.
    Paeth = 4,
}

/// Rows filtered and compressed at a time by a band thread.
const FILTER_ROWS: usize = 16;

/// Turns `pixels` (rows of `width` opaque premultiplied pixels) into PNG scanlines: a filter
/// byte, then the row filtered, as RGB (the page is opaque, so no alpha channel). `above`
/// is the row above the first, if that row is in the same band.
fn filter_rows(
    pixels: &[tiny_skia::PremultipliedColorU8],
    above: Option<&[tiny_skia::PremultipliedColorU8]>,
    width: usize,
    out: &mut Vec<u8>,
) {
    const BPP: usize = 3;
    let stride = width * BPP;
    let to_rgb = |row: &[tiny_skia::PremultipliedColorU8], rgb: &mut [u8]| {
        for (rgb, px) in rgb.chunks_exact_mut(BPP).zip(row) {
            // The background is opaque, so premultiplied equals straight colour.
            let c = px.demultiply();
            rgb.copy_from_slice(&[c.red(), c.green(), c.blue()]);
        }
    };
    out.clear();
    out.reserve(pixels.len() / width.max(1) * (stride + 1));
    let (mut prev, mut cur) = (vec![0u8; stride], vec![0u8; stride]);
    if let Some(row) = above {
        to_rgb(row, &mut prev);
    }
    for (y, row) in pixels.chunks_exact(width).enumerate() {
        to_rgb(row, &mut cur);
        let filter = if y == 0 && above.is_none() {
            RowFilter::Sub
        } else {
            RowFilter::Paeth
        };
        out.push(filter as u8);
        out.extend_from_slice(&cur[..BPP.min(stride)]);
        match filter {
            RowFilter::Sub => {
                out.extend(cur[BPP..].iter().zip(&cur).map(|(x, a)| x.wrapping_sub(*a)));
            }
            RowFilter::Paeth => {
                // The first pixel has nothing on its left: Paeth predicts the pixel above.
                let head = out.len() - BPP.min(stride);
                for (o, (x, b)) in out[head..].iter_mut().zip(cur.iter().zip(&prev)) {
                    *o = x.wrapping_sub(*b);
                }
                out.extend(
                    cur[BPP..]
                        .iter()
                        .zip(&cur)
                        .zip(prev[BPP..].iter().zip(&prev))
                        .map(|((x, a), (b, c))| x.wrapping_sub(paeth(*a, *b, *c))),
                );
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// One band's scanlines compressed on their own: a complete zlib stream from fdeflate (the
/// PNG encoder's fast compressor), and how many bytes went in.
struct Segment {
    zlib: Vec<u8>,
    len: usize,
}

#[cfg(test)]
fn deflate_segment(data: &[u8]) -> std::io::Result<Segment> {
    let mut compressor = fdeflate::Compressor::new(Vec::with_capacity(data.len() / 8))?;
    compressor.write_data(data)?;
    Ok(Segment {
        zlib: compressor.finish()?,
        len: data.len(),
    })
}

/// Joins bands' zlib streams into the one stream a PNG's IDAT chunks must hold, so that
/// bands can be compressed on separate threads. Each stream from fdeflate is one deflate
/// block marked final, ended by the end-of-block code and zero bits up to a byte boundary.
/// For every band but the last, the block is marked not final and followed by an empty
/// stored block (what zlib's sync flush writes), which brings the bit stream to a byte
/// boundary so the next band's block can follow; the next band's zlib header goes, and
/// the checksums are combined.
#[derive(Default)]
struct ZlibJoiner {
    adler: Option<u32>,
}

impl ZlibJoiner {
    /// The bytes of `segment` to put in the PNG next.
    fn append(&mut self, segment: Segment, last: bool) -> Result<Vec<u8>, ExportError> {
        let Segment { mut zlib, len } = segment;
        let broken = || ExportError::Render("unexpected compressed stream".to_owned());
        let n = zlib.len();
        if n < 7 || zlib[2] & 1 == 0 || zlib[n - 5] == 0 {
            return Err(broken());
        }
        let adler = u32::from_be_bytes(zlib[n - 4..].try_into().map_err(|_| broken())?);
        zlib.truncate(n - 4);
        let first = self.adler.is_none();
        let adler = self.adler.map_or(adler, |a| adler32_combine(a, adler, len));
        self.adler = Some(adler);
        if last {
            zlib.extend_from_slice(&adler.to_be_bytes());
        } else {
            zlib[2] &= !1;
            // fdeflate's end-of-block code ends with a 1 bit and only zeros follow it, so the
            // leading zeros of the last byte are the free bits. The stored block's header is
            // three zero bits (not final, type 0); then LEN 0 and NLEN 0xFFFF on byte bounds.
            let free = zlib[n - 5].leading_zeros();
            if free < 3 {
                zlib.push(0);
            }
            zlib.extend_from_slice(&[0, 0, 0xFF, 0xFF]);
        }
        if !first {
            zlib.drain(..2);
        }
        Ok(zlib)
    }
}

/// The Adler-32 of two pieces of data joined, from each piece's checksum and the length of
/// the second (as zlib's `adler32_combine`).
fn adler32_combine(a1: u32, a2: u32, len2: usize) -> u32 {
    const BASE: u64 = 65_521;
    let rem = len2 as u64 % BASE;
    let (a1, a2) = (u64::from(a1), u64::from(a2));
    let sum1 = (a1 & 0xFFFF) + (a2 & 0xFFFF) + BASE - 1;
    let sum2 = (rem * (a1 & 0xFFFF)) % BASE + (a1 >> 16) + (a2 >> 16) + BASE - rem;
    ((sum1 % BASE) | ((sum2 % BASE) << 16)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adler32(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + u32::from(x)) % 65_521;
            b = (b + a) % 65_521;
        }
        (b << 16) | a
    }

    #[test]
    fn joined_streams_inflate_to_the_joined_data() {
        // Pieces of many lengths, so the last byte of each stream has every count of free
        // bits; some with long zero runs (fdeflate's matches), some without.
        let pieces: Vec<Vec<u8>> = (0..40u32)
            .map(|i| {
                (0..(i * 37 % 301 + 1))
                    .map(|j| {
                        if (i + j) % 5 < 2 {
                            0
                        } else {
                            (i * 7 + j * 13) as u8
                        }
                    })
                    .collect()
            })
            .collect();
        for take in [1, 2, 3, 7, 40] {
            let mut joiner = ZlibJoiner::default();
            let mut stream = Vec::new();
            for (k, piece) in pieces.iter().take(take).enumerate() {
                let segment = deflate_segment(piece).expect("compresses");
                stream.extend(joiner.append(segment, k + 1 == take).expect("joins"));
            }
            let whole: Vec<u8> = pieces.iter().take(take).flatten().copied().collect();
            let inflated = fdeflate::decompress_to_vec(&stream).expect("one valid zlib stream");
            assert_eq!(inflated, whole, "{take} pieces");
            let adler = u32::from_be_bytes(stream[stream.len() - 4..].try_into().expect("4"));
            assert_eq!(adler, adler32(&whole));
        }
    }

    #[test]
    fn adler_combines() {
        let (a, b) = (b"Stagecraft draws".as_slice(), [0xFFu8; 70_000].as_slice());
        let whole: Vec<u8> = a.iter().chain(b).copied().collect();
        assert_eq!(
            adler32_combine(adler32(a), adler32(b), b.len()),
            adler32(&whole)
        );
    }
}
