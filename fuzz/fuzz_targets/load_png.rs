//! Fuzz target: bytes that start like a PNG go through the PNG scene reader (a canvas in an
//! `iTXt` chunk); any input loads or gives an error, never a panic or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(PNG_MAGIC.len() + data.len());
    bytes.extend_from_slice(PNG_MAGIC);
    // Let the fuzzer also write the magic itself, so it can find a PNG's own structure.
    bytes.extend_from_slice(data.strip_prefix(PNG_MAGIC).unwrap_or(data));
    let _ = stagecraft::io::load_bytes("fuzz.png", &bytes);
});
