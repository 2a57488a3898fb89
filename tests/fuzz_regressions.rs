//! Inputs found by fuzzing (`fuzz/`, see the README) or written to look like them: each file
//! in `tests/fixtures/fuzz/` must either load and round-trip, or be refused with a
//! `NAME:LINE:COL: message` error; never a panic.

use stagecraft::io::{load_bytes, load_str, to_json};

#[test]
fn fuzz_inputs_load_or_fail_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).expect("readable");
        match load_bytes("input", &bytes) {
            Ok(loaded) => {
                let again = load_str("input", &to_json(&loaded.document)).unwrap_or_else(|e| {
                    panic!("{}: saved form does not reload: {e}", file.display())
                });
                assert_eq!(again.document, loaded.document, "{}", file.display());
            }
            Err(e) => {
                let text = e.to_string();
                for line in text.lines() {
                    let mut parts = line.splitn(4, ':');
                    assert_eq!(parts.next(), Some("input"), "{}: {line}", file.display());
                    let line_no: usize = parts.next().and_then(|p| p.parse().ok()).expect("line");
                    let col: usize = parts.next().and_then(|p| p.parse().ok()).expect("column");
                    assert!(line_no >= 1 && col >= 1, "{line}");
                    assert!(parts.next().is_some_and(|m| m.len() > 1), "{line}");
                }
            }
        }
    }
}
