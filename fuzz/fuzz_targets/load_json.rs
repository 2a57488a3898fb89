//! Fuzz target: any bytes given to the canvas loader either load or give a positioned
//! error; never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(loaded) = stagecraft::io::load_bytes("fuzz.json", data) {
        // What loads must save and load again to the same document.
        let text = stagecraft::io::to_json(&loaded.document);
        let again = stagecraft::io::load_str("fuzz.json", &text).expect("saved canvas reloads");
        assert_eq!(again.document, loaded.document);
    }
});
