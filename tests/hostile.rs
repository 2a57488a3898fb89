//! Hostile and broken files (issue 7): each is refused with a clear, positioned message or
//! loaded within the documented limits, never a panic; and a failed save never corrupts.

use stagecraft::io::{MAX_FILE_BYTES, SaveError, load_bytes, load_path, load_str, save_json};
use stagecraft::model::{Document, MAX_TOUCHPOINTS};

fn refused(text: &str) -> String {
    match load_str("bad.json", text) {
        Ok(_) => panic!("expected the text to be refused"),
        Err(e) => e.to_string(),
    }
}

const HEAD: &str = "{\"format\": \"stagecraft\", \"version\": 1, \"title\": \"t\", \
                    \"stages\": [{\"id\": \"s\", \"name\": \"S\"}], \
                    \"lanes\": [{\"id\": \"l\", \"name\": \"L\"}]";

/// One line of JSON: the head above plus `rest` (which starts with a comma, or is empty).
fn doc(rest: &str) -> String {
    format!("{HEAD}{rest}}}")
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        refused(&deep),
        "bad.json:1:128: the JSON nests more than 128 levels deep; a canvas never needs that"
    );
    let deep_field = doc(&format!(
        ", \"x\": {}1{}",
        "{\"a\":".repeat(5_000),
        "}".repeat(5_000)
    ));
    assert!(refused(&deep_field).contains("nests more than 128 levels deep"));
    // Deep but within the limit, in an unknown field: kept like any other.
    let ok = doc(&format!(", \"x\": {}1{}", "[".repeat(100), "]".repeat(100)));
    let loaded = load_str("ok.json", &ok).expect("100 levels are fine");
    assert_eq!(loaded.document.extra.len(), 1);
}

#[test]
fn huge_strings_are_refused_with_the_field_position() {
    let notes = "x".repeat(5_000_000);
    let text = doc(&format!(
        ", \"touchpoints\": [{{\"id\": \"a\", \"title\": \"A\", \"notes\": \"{notes}\", \"stage\": \"s\", \"lane\": \"l\"}}]"
    ));
    assert_eq!(
        refused(&text),
        "bad.json:1:180: text is 5000000 characters long; at most 100000 are allowed"
    );
    let title = "é".repeat(1_001);
    let text = doc(&format!(", \"persona\": {{\"name\": \"{title}\"}}"));
    assert_eq!(
        refused(&text),
        "bad.json:1:149: text is 1001 characters long; at most 1000 are allowed"
    );
}

#[test]
fn files_over_the_size_limit_are_refused_before_parsing() {
    // Two million small touchpoints do not fit in 128 MiB.
    let card =
        "{\"id\": \"tp-0000000\", \"title\": \"Touchpoint\", \"stage\": \"s\", \"lane\": \"l\"},";
    let mut text = String::from(HEAD);
    text.push_str(", \"touchpoints\": [");
    for _ in 0..2_000_000 {
        text.push_str(card);
    }
    assert!(text.len() as u64 > MAX_FILE_BYTES);
    let err = load_bytes("big.json", text.as_bytes()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        format!(
            "big.json:1:1: the file is {} bytes; canvases larger than 134217728 bytes (128 MiB) are refused",
            text.len()
        )
    );
    // The same through a file on disk, which is never read whole.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.json");
    std::fs::write(&path, &text).expect("written");
    let err = load_path(&path).expect_err("refused");
    assert!(err.to_string().contains("(128 MiB) are refused"), "{err}");
}

#[test]
fn too_many_touchpoints_are_refused_with_one_message() {
    let mut text = String::from(HEAD);
    text.push_str(", \"touchpoints\": [");
    for i in 0..=MAX_TOUCHPOINTS {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"id\":\"{i}\",\"title\":\"\",\"stage\":\"s\",\"lane\":\"l\"}}"
        ));
    }
    text.push_str("]}");
    assert!((text.len() as u64) < MAX_FILE_BYTES);
    assert_eq!(
        refused(&text),
        "bad.json:1:144: 250001 touchpoints; at most 250000 are allowed"
    );
}

#[test]
fn many_problems_are_capped() {
    let cards: Vec<String> = (0..1_000)
        .map(|i| format!("{{\"id\":\"{i}\",\"title\":\"\",\"stage\":\"gone\",\"lane\":\"l\"}}"))
        .collect();
    let err = load_str(
        "bad.json",
        &doc(&format!(", \"touchpoints\": [{}]", cards.join(","))),
    )
    .expect_err("refused");
    assert_eq!(err.diagnostics.len(), 21);
    assert_eq!(err.diagnostics[20].message, "and 980 more problems");
}

#[test]
fn non_finite_and_out_of_range_numbers_are_refused() {
    let card = |position: &str| {
        doc(&format!(
            ", \"touchpoints\": [{{\"id\": \"a\", \"title\": \"A\", \"stage\": \"s\", \"lane\": \"l\", \"position\": {position}}}]"
        ))
    };
    assert_eq!(
        refused(&card("{\"x\": 1e999, \"y\": 0}")),
        "bad.json:1:220: this number is too large for the field it is in"
    );
    // Fits an f64 but not the f32 a position is stored in.
    assert_eq!(
        refused(&card("{\"x\": 1e300, \"y\": 0}")),
        "bad.json:1:220: this number is too large for the field it is in"
    );
    assert_eq!(
        refused(&card("{\"x\": NaN, \"y\": 0}")),
        "bad.json:1:216: expected valid JSON: expected value"
    );
    assert_eq!(
        refused(&card("{\"x\": -0.5, \"y\": 2}")),
        "bad.json:1:210: position x and y must be fractions of the cell, between 0 and 1"
    );
    let task = |seconds: &str| {
        doc(&format!(
            ", \"touchpoints\": [{{\"id\": \"a\", \"title\": \"A\", \"stage\": \"s\", \"lane\": \"l\", \"top_task\": {{\"seconds\": {seconds}}}}}]"
        ))
    };
    assert_eq!(
        refused(&task("-1")),
        "bad.json:1:222: seconds must be a finite number, zero or more"
    );
    assert!(refused(&task("1e999")).contains("too large"));
    let steps = doc(
        ", \"touchpoints\": [{\"id\": \"a\", \"title\": \"A\", \"stage\": \"s\", \"lane\": \"l\", \"top_task\": {\"steps\": 5000000000}}]",
    );
    assert!(refused(&steps).contains("invalid value: integer `5000000000`, expected u32"));
}

#[test]
fn ids_with_control_characters_or_bad_shapes_are_refused() {
    let stage = |id: &str| {
        format!(
            "{{\"format\": \"stagecraft\", \"version\": 1, \"title\": \"t\", \"stages\": [{{\"id\": {id}, \"name\": \"S\"}}]}}"
        )
    };
    for (id, why) in [
        ("\"a\\u0007b\"", "an id must not contain control characters"),
        (
            "\"tab\\there\"",
            "an id must not contain control characters",
        ),
        (
            "\"line\\nbreak\"",
            "an id must not contain control characters",
        ),
        (
            "\"nul\\u0000\"",
            "an id must not contain control characters",
        ),
        ("\"\"", "an id must not be empty"),
        ("\" padded\"", "an id must not start or end with spaces"),
    ] {
        assert_eq!(refused(&stage(id)), format!("bad.json:1:72: {why}"), "{id}");
    }
    let long = format!("\"{}\"", "x".repeat(129));
    assert_eq!(
        refused(&stage(&long)),
        "bad.json:1:72: an id must be at most 128 bytes long"
    );
    assert!(refused(&stage("42")).contains("invalid type: integer `42`, expected a string"));
}

#[test]
fn invalid_utf8_is_refused_with_its_position() {
    let mut bytes = doc("").into_bytes();
    bytes.splice(50..50, [0xff, 0xfe]);
    let err = load_bytes("bad.json", &bytes).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "bad.json:1:51: expected UTF-8 text (a JSON file)"
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let text = format!("\u{feff}{}", doc(""));
    let loaded = load_bytes("bom.json", text.as_bytes()).expect("loads");
    assert_eq!(loaded.document.title, "t");
}

#[test]
fn trailing_garbage_is_refused() {
    assert_eq!(
        refused(&format!("{} {{}}", doc(""))),
        "bad.json:1:129: expected valid JSON: trailing characters"
    );
}

// ---- failed saves -------------------------------------------------------------------------

fn sample_doc() -> Document {
    let mut doc = Document::new_canvas();
    doc.title = "Saved".into();
    doc
}

#[test]
fn saving_into_a_missing_folder_fails_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-such-folder").join("canvas.json");
    let err: SaveError = save_json(&sample_doc(), &path).expect_err("cannot save");
    assert_eq!(err.path, path);
    assert_eq!(err.source.kind(), std::io::ErrorKind::NotFound);
    assert!(err.to_string().starts_with("could not save "), "{err}");
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn saving_over_a_read_only_file_fails_and_keeps_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("canvas.json");
    std::fs::write(&path, "the colleague's version").expect("written");
    let mut perms = std::fs::metadata(&path).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).expect("read-only");
    let err = save_json(&sample_doc(), &path).expect_err("read-only target");
    assert_eq!(err.source.kind(), std::io::ErrorKind::PermissionDenied);
    assert_eq!(
        std::fs::read_to_string(&path).expect("still there"),
        "the colleague's version"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        1,
        "no temp file left"
    );
}

#[cfg(unix)]
#[test]
fn saving_into_a_read_only_folder_fails_and_keeps_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("canvas.json");
    std::fs::write(&path, "before").expect("written");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root ignores folder permissions; there the failure cannot be provoked this way.
    let privileged = std::fs::write(dir.path().join("probe"), "").is_ok();
    let result = save_json(&sample_doc(), &path);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    if privileged {
        eprintln!("running with privileges: the read-only folder case is not testable here");
        return;
    }
    let err = result.expect_err("read-only folder");
    assert_eq!(err.source.kind(), std::io::ErrorKind::PermissionDenied);
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "before");
}

#[test]
fn saving_over_a_folder_fails_and_keeps_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("canvas.json");
    std::fs::create_dir(&path).expect("folder");
    std::fs::write(path.join("inside.txt"), "kept").expect("written");
    let err = save_json(&sample_doc(), &path).expect_err("a folder");
    assert_eq!(err.source.kind(), std::io::ErrorKind::IsADirectory);
    assert_eq!(
        std::fs::read_to_string(path.join("inside.txt")).expect("kept"),
        "kept"
    );
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_updates_the_target_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::fs::write(&real, "old").expect("written");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o664)).expect("chmod");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    save_json(&sample_doc(), &link).expect("saves");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    let loaded = load_path(&real).expect("real file holds the canvas");
    assert_eq!(loaded.document.title, "Saved");
    let mode = std::fs::metadata(&real).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o664);
}

#[test]
fn unknown_fields_holding_millions_of_values_are_refused() {
    // 60 MB of `[],` took 1.3 GB as kept `Value`s; the budget stops it early.
    let n = stagecraft::model::MAX_UNKNOWN_VALUES + 1;
    let text = doc(&format!(", \"x\": [{}[]]", "[],".repeat(n)));
    let message = refused(&text);
    assert!(
        message.contains("unknown fields hold more than 1000000 values"),
        "{message}"
    );
    assert!(message.starts_with("bad.json:1:"), "{message}");
    // Just under the budget is kept like any unknown field.
    let text = doc(&format!(", \"x\": [{}[]]", "[],".repeat(1000)));
    let loaded = load_str("ok.json", &text).expect("a thousand values are fine");
    assert_eq!(
        loaded.document.extra["x"].as_array().map(Vec::len),
        Some(1001)
    );
}

#[test]
fn a_body_of_the_wrong_shape_is_refused_with_its_position() {
    // Millions of arrays where touchpoints belong: the typed parse says where, and the
    // body is not then read whole into a `Value` tree to explain it.
    let text = doc(&format!(", \"touchpoints\": [{}[]]", "[],".repeat(100_000)));
    let message = refused(&text);
    assert!(message.contains("expected struct Touchpoint"), "{message}");
    // At the touchpoints list (its opening bracket, 1-based).
    let at = HEAD.len() + ", \"touchpoints\": [".len();
    assert!(
        message.starts_with(&format!("bad.json:1:{at}: ")),
        "{message}"
    );
}

#[test]
fn big_files_made_of_tiny_values_are_refused_before_parsing() {
    // serde buffers unknown fields whole before any budget sees them: 120 MB of `[],`
    // took 2.5 GB. Past 16 MiB a file must look like a canvas.
    let text = doc(&format!(", \"x\": [{}[]]", "[],".repeat(6_000_000)));
    let message = refused(&text);
    assert!(
        message.starts_with("bad.json:1:1: the file holds "),
        "{message}"
    );
    assert!(message.contains("one every 1.5 bytes"), "{message}");
    // A big real canvas passes (and is not refused for its size either).
    let big = stagecraft::synth::canvas(&stagecraft::synth::SynthSpec::new(25_000, 2));
    let text = stagecraft::io::to_json(&big);
    assert!(text.len() > 16 << 20, "{} bytes", text.len());
    let loaded = load_str("big.json", &text).expect("a real canvas loads");
    assert_eq!(loaded.document.touchpoints.len(), 25_000);
}
