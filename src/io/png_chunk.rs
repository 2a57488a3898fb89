//! Canvases inside exported PNGs: the JSON rides in a compressed `iTXt` chunk.
//!
//! `iTXt` holds UTF-8 (unlike `tEXt`, which is Latin-1), so French and Polish titles survive.
//! Reading walks the chunks itself rather than decoding the image: it checks every CRC, so a
//! damaged file is reported as damaged (not as "no canvas"), and it inflates the text with a
//! hard output limit, so a small "zip bomb" chunk cannot exhaust memory.

/// The keyword of the `iTXt` chunk that holds the canvas JSON.
pub const CHUNK_KEYWORD: &str = "stagecraft";

/// Largest canvas JSON accepted from a PNG once inflated (the same as for JSON files).
pub const MAX_JSON_BYTES: usize = super::MAX_FILE_BYTES as usize;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Whether the bytes start like a PNG file.
pub fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(PNG_MAGIC)
}

/// One chunk of a PNG file, as stored.
struct Chunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
    /// Byte offset of the chunk's length field in the file.
    offset: usize,
}

fn kind_name(kind: [u8; 4]) -> String {
    String::from_utf8_lossy(&kind).into_owned()
}

/// Walks the chunks, checking lengths and CRCs, up to and including `IEND`.
fn chunks(bytes: &[u8]) -> Result<Vec<Chunk<'_>>, String> {
    if !is_png(bytes) {
        return Err("expected a PNG file (the PNG signature is missing)".into());
    }
    let mut out = Vec::new();
    let mut at = PNG_MAGIC.len();
    loop {
        let Some(head) = bytes.get(at..at + 8) else {
            return Err(format!(
                "the PNG is truncated: it ends at byte {} before its IEND chunk",
                bytes.len()
            ));
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = [head[4], head[5], head[6], head[7]];
        let end = at
            .checked_add(12)
            .and_then(|v| v.checked_add(len))
            .filter(|&e| e <= bytes.len());
        let Some(end) = end else {
            return Err(format!(
                "the PNG is truncated: its {} chunk at byte {at} declares {len} bytes but the file ends first",
                kind_name(kind)
            ));
        };
        let data = &bytes[at + 8..at + 8 + len];
        let stored = u32::from_be_bytes([
            bytes[end - 4],
            bytes[end - 3],
            bytes[end - 2],
            bytes[end - 1],
        ]);
        let mut crc = crc32fast::Hasher::new();
        crc.update(&kind);
        crc.update(data);
        if crc.finalize() != stored {
            return Err(format!(
                "the PNG is damaged: the checksum of its {} chunk at byte {at} does not match",
                kind_name(kind)
            ));
        }
        out.push(Chunk {
            kind,
            data,
            offset: at,
        });
        at = end;
        if &kind == b"IEND" {
            return Ok(out);
        }
    }
}

/// The canvas JSON stored in a PNG, or a message saying why there is none.
pub fn read_canvas_json(bytes: &[u8]) -> Result<String, String> {
    read_canvas_json_with_limit(bytes, MAX_JSON_BYTES)
}

/// [`read_canvas_json`] with an explicit limit on the inflated size, in bytes.
pub fn read_canvas_json_with_limit(bytes: &[u8], limit: usize) -> Result<String, String> {
    for chunk in chunks(bytes)? {
        if &chunk.kind != b"iTXt" {
            continue;
        }
        let Some((keyword, rest)) = split_nul(chunk.data) else {
            continue;
        };
        if keyword != CHUNK_KEYWORD.as_bytes() {
            continue;
        }
        let bad = |what: &str| {
            format!(
                "the PNG's Stagecraft canvas chunk (at byte {}) is corrupt: {what}",
                chunk.offset
            )
        };
        let [flag, method, rest @ ..] = rest else {
            return Err(bad("it stops before its compression flags"));
        };
        let (_language, rest) =
            split_nul(rest).ok_or_else(|| bad("its language tag is not terminated"))?;
        let (_translated, text) =
            split_nul(rest).ok_or_else(|| bad("its translated keyword is not terminated"))?;
        let raw = match (flag, method) {
            (0, _) => text.to_vec(),
            (1, 0) => match fdeflate::decompress_to_vec_bounded(text, limit) {
                Ok(v) => v,
                Err(fdeflate::BoundedDecompressionError::OutputTooLarge { .. }) => {
                    return Err(format!(
                        "the PNG's Stagecraft canvas chunk inflates to more than {limit} bytes and is refused"
                    ));
                }
                Err(_) => return Err(bad("its compressed text does not inflate")),
            },
            _ => return Err(bad("unknown compression")),
        };
        if raw.len() > limit {
            return Err(format!(
                "the PNG's Stagecraft canvas chunk holds more than {limit} bytes and is refused"
            ));
        }
        return String::from_utf8(raw).map_err(|_| bad("its text is not UTF-8"));
    }
    Err(
        "this PNG holds no Stagecraft canvas (no \"stagecraft\" iTXt chunk); \
         only PNGs exported by Stagecraft can be opened"
            .into(),
    )
}

fn split_nul(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = bytes.iter().position(|&b| b == 0)?;
    Some((&bytes[..i], &bytes[i + 1..]))
}

/// The data of a compressed `iTXt` chunk holding `json` under [`CHUNK_KEYWORD`].
pub fn itxt_data(json: &str) -> Vec<u8> {
    let mut data: Vec<u8> = Vec::with_capacity(json.len() / 4 + 32);
    data.extend_from_slice(CHUNK_KEYWORD.as_bytes());
    data.push(0); // end of keyword
    data.push(1); // compressed
    data.push(0); // zlib
    data.push(0); // empty language tag
    data.push(0); // empty translated keyword
    // zlib at the default level: canvases are text and shrink about tenfold.
    let mut z = flate2::write::ZlibEncoder::new(data, flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = std::io::Write::write_all(&mut z, json.as_bytes());
    z.finish().unwrap_or_default()
}

/// A complete chunk (length, type, data, CRC) ready to be spliced into a PNG.
fn encode_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out
}

/// A copy of `png` with the canvas JSON stored right after the header (any previous
/// Stagecraft chunk is replaced).
pub fn embed_canvas_json(png: &[u8], json: &str) -> Result<Vec<u8>, String> {
    let all = chunks(png)?;
    let mut out = Vec::with_capacity(png.len() + json.len() / 4 + 64);
    out.extend_from_slice(PNG_MAGIC);
    for chunk in all {
        let ours = &chunk.kind == b"iTXt"
            && split_nul(chunk.data).is_some_and(|(k, _)| k == CHUNK_KEYWORD.as_bytes());
        if ours {
            continue;
        }
        out.extend_from_slice(&encode_chunk(&chunk.kind, chunk.data));
        if &chunk.kind == b"IHDR" {
            out.extend_from_slice(&encode_chunk(b"iTXt", &itxt_data(json)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 grey PNG made by the png crate.
    fn tiny_png() -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, 1, 1);
            enc.set_color(png::ColorType::Grayscale);
            let mut w = enc.write_header().expect("header");
            w.write_image_data(&[128]).expect("data");
        }
        out
    }

    #[test]
    fn round_trips_unicode_json() {
        let json = r#"{"title":"Zażółć gęślą jaźń — café crème"}"#;
        let png = embed_canvas_json(&tiny_png(), json).expect("embeds");
        assert_eq!(read_canvas_json(&png).as_deref(), Ok(json));
        // Embedding again replaces rather than duplicates.
        let again = embed_canvas_json(&png, "{}").expect("embeds");
        assert_eq!(read_canvas_json(&again).as_deref(), Ok("{}"));
        // The png crate still decodes the image.
        let dec = png::Decoder::new(std::io::Cursor::new(again));
        assert!(dec.read_info().is_ok());
    }

    #[test]
    fn explains_missing_damaged_truncated_and_bombs() {
        let plain = tiny_png();
        let err = read_canvas_json(&plain).expect_err("no chunk");
        assert!(err.contains("no Stagecraft canvas"), "{err}");

        let png = embed_canvas_json(&plain, r#"{"a":1}"#).expect("embeds");
        let mut flipped = png.clone();
        let at = 33 + 8 + 12; // inside the iTXt chunk's data, after IHDR
        flipped[at] ^= 0xff;
        let err = read_canvas_json(&flipped).expect_err("damaged");
        assert!(err.contains("damaged") && err.contains("iTXt"), "{err}");

        let err = read_canvas_json(&png[..png.len() - 20]).expect_err("truncated");
        assert!(err.contains("truncated"), "{err}");

        let bomb = "x".repeat(4_000_000);
        let png = embed_canvas_json(&plain, &bomb).expect("embeds");
        assert!(png.len() < 20_000, "a bomb is small: {}", png.len());
        let err = read_canvas_json_with_limit(&png, 1_000_000).expect_err("bomb");
        assert!(err.contains("refused"), "{err}");
        assert_eq!(read_canvas_json(&png).map(|s| s.len()), Ok(4_000_000));

        let err = read_canvas_json(b"not a png").expect_err("not png");
        assert!(err.contains("signature"), "{err}");
    }
}
