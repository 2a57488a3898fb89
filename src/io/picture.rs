//! Persona pictures: a PNG or JPEG file the user picks, reduced to a small square
//! thumbnail and kept inside the canvas as a `data:image/png;base64,…` URI, so that it
//! travels with the JSON. And back: a picture's pixels, for the screen and the PNG export.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::io::Cursor;
use std::path::Path;

/// Side of the stored thumbnail, in pixels.
pub const THUMBNAIL_PX: u32 = 96;
/// Largest picture file read, in bytes: photos from a phone fit, a mistaken video does not.
pub const MAX_PICTURE_FILE: u64 = 32 * 1024 * 1024;
/// Largest width or height of a picture decoded (guards against a tiny file that claims
/// to be a gigantic image).
const MAX_SIDE: u32 = 12_000;

/// Reads a PNG or JPEG file and returns its thumbnail as a `data:` URI, or a message that
/// says what is wrong with it in the user's words.
pub fn picture_from_file(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("Could not read {shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown} is not a file."));
    }
    if meta.len() > MAX_PICTURE_FILE {
        return Err(format!(
            "{shown} is too large for a picture ({} MB; at most {} MB).",
            meta.len() / (1024 * 1024),
            MAX_PICTURE_FILE / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("Could not read {shown}: {e}"))?;
    thumbnail(&bytes).map_err(|why| format!("{shown}: {why}"))
}

/// The thumbnail of an encoded PNG or JPEG image, as a `data:image/png;base64,` URI: the
/// middle square of the image, scaled to [`THUMBNAIL_PX`].
pub fn thumbnail(bytes: &[u8]) -> Result<String, String> {
    let format =
        image::guess_format(bytes).map_err(|_| "this is not a PNG or JPEG picture".to_owned())?;
    if !matches!(format, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err(format!(
            "this is a {format:?} picture; pick a PNG or JPEG file"
        ));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| format!("the picture could not be read ({e})"))?;
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err("the picture is empty".to_owned());
    }
    let side = w.min(h);
    let square = img.crop_imm((w - side) / 2, (h - side) / 2, side, side);
    let small = square.resize_exact(
        THUMBNAIL_PX,
        THUMBNAIL_PX,
        image::imageops::FilterType::Triangle,
    );
    let mut png = Vec::new();
    small
        .to_rgba8()
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| format!("the thumbnail could not be written ({e})"))?;
    Ok(format!("data:image/png;base64,{}", STANDARD.encode(png)))
}

/// A picture's pixels (RGBA, row by row) and size, or `None` when its data does not
/// decode (a file edited by hand): the persona is then drawn without it.
pub fn picture_pixels(uri: &str) -> Option<(u32, u32, Vec<u8>)> {
    let data = crate::model::PICTURE_PREFIXES
        .iter()
        .find_map(|p| uri.strip_prefix(p))?;
    let bytes = STANDARD.decode(data).ok()?;
    let format = image::guess_format(&bytes).ok()?;
    let mut reader = image::ImageReader::with_format(Cursor::new(&bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(1024);
    limits.max_image_height = Some(1024);
    reader.limits(limits);
    let img = reader.decode().ok()?.to_rgba8();
    Some((img.width(), img.height(), img.into_raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img =
            image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([(x % 256) as u8, 80, 160, 255]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("encodes");
        out
    }

    #[test]
    fn a_picture_becomes_a_small_square_png_that_decodes() {
        let uri = thumbnail(&png(300, 200)).expect("a thumbnail");
        assert!(uri.starts_with("data:image/png;base64,"));
        assert_eq!(crate::model::picture_problem(&uri), None);
        let (w, h, px) = picture_pixels(&uri).expect("decodes");
        assert_eq!((w, h), (THUMBNAIL_PX, THUMBNAIL_PX));
        assert_eq!(px.len(), (w * h * 4) as usize);
    }

    #[test]
    fn what_is_not_a_picture_is_refused_in_words() {
        assert!(
            thumbnail(b"hello")
                .unwrap_err()
                .contains("not a PNG or JPEG")
        );
        let mut broken = png(20, 20);
        broken.truncate(40);
        assert!(
            thumbnail(&broken)
                .unwrap_err()
                .contains("could not be read")
        );
        assert_eq!(picture_pixels("data:image/png;base64,AAAA"), None);
        let dir = tempfile::tempdir().expect("dir");
        let e = picture_from_file(&dir.path().join("missing.png")).unwrap_err();
        assert!(e.contains("Could not read"), "{e}");
    }
}
