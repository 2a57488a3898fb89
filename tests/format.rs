//! The file format end to end: samples round-trip byte for byte, each kind of bad input is
//! refused with its message and position, old versions migrate, unknown fields survive,
//! the schema agrees with the samples, and the CLI reports all of it.

use stagecraft::io::{load_path, load_str, to_json};
use stagecraft::model::{Moment, Polarity};
use std::path::{Path, PathBuf};
use std::process::Command;

const SAMPLES: [&str; 4] = [
    "coffee-shop.json",
    "hotel-stay.json",
    "omnichannel-retail.json",
    "employee-onboarding.json",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .expect("samples folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The error text of a file that must be refused.
fn refused(text: &str) -> String {
    match load_str("bad.json", text) {
        Ok(_) => panic!("expected {text:?} to be refused"),
        Err(e) => e.to_string(),
    }
}

/// A valid file with one stage `s`, one lane `l` and the given touchpoints JSON.
fn with_touchpoints(touchpoints: &str) -> String {
    format!(
        "{{\n  \"format\": \"stagecraft\",\n  \"version\": 2,\n  \"title\": \"t\",\n  \
         \"stages\": [{{\"id\": \"s\", \"name\": \"S\"}}],\n  \
         \"lanes\": [{{\"id\": \"l\", \"name\": \"L\"}}],\n  \
         \"touchpoints\": [\n{touchpoints}\n  ]\n}}\n"
    )
}

#[test]
fn every_named_sample_exists() {
    let names: Vec<String> = sample_paths()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for s in SAMPLES {
        assert!(names.iter().any(|n| n == s), "samples/{s} is missing");
    }
}

#[test]
fn samples_round_trip_byte_for_byte() {
    for path in sample_paths() {
        let bytes = std::fs::read_to_string(&path).expect("readable sample");
        let loaded = load_path(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.warnings, Vec::<String>::new(), "{}", path.display());
        let saved = to_json(&loaded.document);
        assert!(
            saved == bytes,
            "{} is not in canonical form; run `stagecraft export {0} -o {0}`",
            path.display()
        );
        let again = load_str("again.json", &saved).expect("saved text reloads");
        assert_eq!(again.document, loaded.document, "{}", path.display());
        assert_eq!(to_json(&again.document), saved, "{}", path.display());
    }
}

#[test]
fn samples_are_real_journeys() {
    let mut all_text = String::new();
    for path in sample_paths() {
        let doc = load_path(&path).expect("sample loads").document;
        let name = path.display();
        assert!(
            (12..=40).contains(&doc.touchpoints.len()),
            "{name}: {} touchpoints",
            doc.touchpoints.len()
        );
        assert!((2..=4).contains(&doc.themes.len()), "{name}: themes");
        for m in Moment::ALL {
            assert!(
                doc.stages.iter().any(|s| s.moment == Some(m)),
                "{name}: no stage carries {}",
                m.label()
            );
        }
        for t in &doc.themes {
            assert!(
                !t.tone.is_empty() && !t.intent.feel.is_empty(),
                "{name}: {}",
                t.name
            );
        }
        assert!(
            doc.touchpoints.iter().any(|t| t
                .top_task
                .as_ref()
                .is_some_and(|task| task.max_steps.is_some() && task.steps.is_some())),
            "{name}: no top task with a budget"
        );
        assert!(
            doc.touchpoints.iter().any(|t| t.flags.magic_moment),
            "{name}"
        );
        assert!(doc.touchpoints.iter().any(|t| t.flags.pain_point), "{name}");
        assert!(
            doc.touchpoints.iter().any(|t| t.flags.memorabilia),
            "{name}"
        );
        assert!(!doc.flows.is_empty(), "{name}");
        all_text.push_str(&std::fs::read_to_string(&path).expect("readable"));
    }
    // French and Polish text exercise Unicode on screen, in exports and in positions.
    assert!(all_text.contains("Café crème et croissant"));
    assert!(all_text.contains("wyspać"));
}

#[test]
fn the_flawed_sample_carries_its_flaws() {
    let doc = load_path(&root().join("samples/omnichannel-retail.json"))
        .expect("loads")
        .document;
    // An off-theme touchpoint.
    assert!(doc.touchpoints.iter().any(|t| t.themes.is_empty()));
    // A negative ending: every card of the last stage leaves a negative emotion.
    let last = &doc.stages.last().expect("stages").id;
    let ending: Vec<i8> = doc
        .touchpoints
        .iter()
        .filter(|t| &t.stage == last)
        .map(|t| t.emotion)
        .collect();
    assert!(
        !ending.is_empty() && ending.iter().all(|e| *e < 0),
        "{ending:?}"
    );
    // A negative cue left in place.
    assert!(
        doc.touchpoints
            .iter()
            .any(|t| t.cues.iter().any(|c| c.polarity == Polarity::Negative))
    );
    // A hand-off between departments with no shared theme.
    assert!(doc.flows.iter().any(|f| {
        let (a, b) = (doc.touchpoint(&f.from), doc.touchpoint(&f.to));
        a.zip(b).is_some_and(|(a, b)| {
            a.department != b.department && !a.themes.iter().any(|t| b.themes.contains(t))
        })
    }));
    // A top task over its budget.
    assert!(doc.touchpoints.iter().any(|t| {
        t.top_task
            .as_ref()
            .is_some_and(|task| task.steps.zip(task.max_steps).is_some_and(|(s, m)| s > m))
    }));
}

#[test]
fn samples_match_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("assets/stagecraft.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    for path in sample_paths() {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("sample")).expect("json");
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert_eq!(errors, Vec::<String>::new(), "{}", path.display());
    }
}

/// Validators other teams use compile `pattern` with their own regex engines: Python's `re`
/// (jsonschema) has no `\p{…}` classes, JavaScript's needs the `u` flag for them. The
/// schema keeps to what every engine reads the same way.
#[test]
fn schema_patterns_keep_to_the_portable_regex_subset() {
    let text =
        std::fs::read_to_string(root().join("assets/stagecraft.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let mut patterns = Vec::new();
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    if k == "pattern"
                        && let Some(p) = v.as_str()
                    {
                        out.push(p.to_owned());
                    }
                    walk(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(&schema, &mut patterns);
    assert!(!patterns.is_empty());
    for p in &patterns {
        for unportable in ["\\p{", "\\P{", "(?<", "(?P<", "\\z", "\\Z", "(?i"] {
            assert!(!p.contains(unportable), "{p:?} uses {unportable}");
        }
    }
}

#[test]
fn a_saved_lineage_matches_the_schema_and_round_trips() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("assets/stagecraft.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let mut doc = load_str(
        "coffee.json",
        &std::fs::read_to_string(root().join("samples/coffee-shop.json")).expect("sample"),
    )
    .expect("loads")
    .document;
    doc.lineage.stamp();
    doc.lineage.stamp();
    let text = stagecraft::io::to_json(&doc);
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        json["lineage"]["versions"].as_array().map(Vec::len),
        Some(2)
    );
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let loaded = load_str("saved.json", &text).expect("reloads");
    assert!(
        loaded.warnings.is_empty(),
        "a known field: {:?}",
        loaded.warnings
    );
    assert_eq!(loaded.document, doc);
    let mut bad = json.clone();
    bad["lineage"]["versions"][0] = serde_json::json!("a\u{7}b");
    assert!(
        !validator.is_valid(&bad),
        "a version id with a control character"
    );
    assert!(load_str("bad.json", &bad.to_string()).is_err());
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("assets/stagecraft.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let base = std::fs::read_to_string(root().join("samples/coffee-shop.json")).expect("sample");
    let mut good: serde_json::Value = serde_json::from_str(&base).expect("json");
    assert!(validator.is_valid(&good));
    good["personas"][0]["picture"] = serde_json::json!("data:image/png;base64,iVBORw0KGgo=");
    assert!(validator.is_valid(&good), "a picture");
    let breakages: [(&str, serde_json::Value); 10] = [
        ("/touchpoints/0/emotion", serde_json::json!(3)),
        ("/themes/0/color", serde_json::json!("orange")),
        ("/version", serde_json::json!(3)),
        ("/personas/0/color", serde_json::json!("blue")),
        (
            "/personas/0/picture",
            serde_json::json!("data:image/gif;base64,R0lGOD"),
        ),
        ("/personas/0/id", serde_json::json!("")),
        ("/format", serde_json::json!("excalidraw")),
        ("/touchpoints/0/id", serde_json::json!("a\u{7}b")),
        (
            "/touchpoints/0/position",
            serde_json::json!({"x": 1.5, "y": 0}),
        ),
        ("/stages/0/moment", serde_json::json!("LMOT")),
    ];
    for (pointer, value) in breakages {
        let mut bad = good.clone();
        *bad.pointer_mut(pointer).expect("pointer exists") = value.clone();
        assert!(
            !validator.is_valid(&bad),
            "schema accepts {pointer} = {value}"
        );
        let text = serde_json::to_string_pretty(&bad).expect("json");
        assert!(
            load_str("bad.json", &text).is_err(),
            "loader accepts {pointer} = {value}"
        );
    }
    let mut untitled = good.clone();
    untitled.as_object_mut().expect("object").remove("title");
    assert!(!validator.is_valid(&untitled));
}

#[test]
fn a_truncated_file_says_where_it_ends() {
    let text = std::fs::read_to_string(fixture("truncated.json")).expect("fixture");
    assert_eq!(
        refused(&text),
        "bad.json:6:19: the file ends too early: EOF while parsing a string"
    );
}

#[test]
fn text_that_is_not_json_is_refused() {
    assert_eq!(
        refused("title: my journey\n"),
        "bad.json:1:2: expected valid JSON: expected ident"
    );
    assert_eq!(
        refused("{\"format\": \"stagecraft\", \"version\": 1, \"title\": \"x\",}"),
        "bad.json:1:53: expected valid JSON: trailing comma"
    );
    assert_eq!(
        refused(""),
        "bad.json:1:1: the file ends too early: EOF while parsing a value"
    );
}

#[test]
fn json_that_is_not_a_canvas_is_refused() {
    let not = "expected a Stagecraft canvas: a JSON object with \"format\": \"stagecraft\"";
    assert_eq!(refused("[1, 2, 3]"), format!("bad.json:1:1: {not}"));
    assert_eq!(
        refused("{\"type\": \"excalidraw\", \"version\": 2, \"elements\": []}"),
        "bad.json:1:1: expected a \"format\": \"stagecraft\" field; this is not a Stagecraft canvas"
    );
    assert_eq!(
        refused("{\n  \"format\": \"miro\",\n  \"version\": 1,\n  \"title\": \"x\"\n}"),
        "bad.json:2:13: expected \"format\": \"stagecraft\"; this is not a Stagecraft canvas"
    );
    assert_eq!(
        refused("{\"format\": \"stagecraft\", \"version\": \"one\", \"title\": \"x\"}"),
        "bad.json:1:37: expected \"version\" to be a whole number"
    );
}

#[test]
fn a_newer_version_is_refused_with_a_reason() {
    let text = std::fs::read_to_string(fixture("version-99.json")).expect("fixture");
    assert_eq!(
        refused(&text),
        "bad.json:3:14: this canvas uses format version 99, written by a newer Stagecraft; \
         this build reads versions up to 2. Update Stagecraft to open it"
    );
}

#[test]
fn model_problems_are_listed_together_with_positions() {
    let text = with_touchpoints(
        "    {\"id\": \"a\", \"title\": \"A\", \"stage\": \"nowhere\", \"lane\": \"l\"},\n    \
         {\"id\": \"a\", \"title\": \"B\", \"stage\": \"s\", \"lane\": \"l\", \"themes\": [\"ghost\"]}",
    );
    assert_eq!(
        refused(&text),
        "bad.json:9:12: duplicate id \"a\": each element of touchpoints needs its own id\n\
         bad.json:8:40: touchpoint \"a\" is in stage \"nowhere\", which does not exist\n\
         bad.json:9:69: theme \"ghost\" does not exist"
    );
}

#[test]
fn a_flow_to_a_missing_touchpoint_is_refused() {
    let text = std::fs::read_to_string(fixture("flow-to-missing.json")).expect("fixture");
    assert_eq!(
        refused(&text),
        "bad.json:11:37: flow \"f1\" points to touchpoint \"ghost\", which does not exist"
    );
}

#[test]
fn a_missing_stage_field_is_refused() {
    let text = with_touchpoints("    {\"id\": \"a\", \"title\": \"A\", \"lane\": \"l\"}");
    assert_eq!(refused(&text), "bad.json:8:42: missing field `stage`");
}

#[test]
fn emotion_out_of_range_is_refused() {
    for (value, col) in [("300", 71), ("3", 69), ("-3", 70), ("1.5", 71)] {
        let text = with_touchpoints(&format!(
            "    {{\"id\": \"a\", \"title\": \"A\", \"stage\": \"s\", \"lane\": \"l\", \"emotion\": {value}}}"
        ));
        assert_eq!(
            refused(&text),
            format!("bad.json:8:{col}: emotion must be a whole number from -2 to 2, found {value}")
        );
    }
}

#[test]
fn a_colour_that_is_not_a_colour_is_refused() {
    let text = "{\n  \"format\": \"stagecraft\",\n  \"version\": 2,\n  \"title\": \"t\",\n  \
                \"themes\": [{\"id\": \"warm\", \"name\": \"Warm\", \"color\": \"orange\"}]\n}";
    assert_eq!(
        refused(text),
        "bad.json:5:62: expected a colour like \"#1f77b4\", found \"orange\""
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    // "żółw" is 4 characters and 7 bytes; the stray `x` is the 53rd character.
    assert_eq!(
        refused("{\"format\":\"stagecraft\",\"version\":1,\"title\":\"żółw\" x}"),
        "bad.json:1:51: expected valid JSON: expected `,` or `}`"
    );
}

#[test]
fn a_version_0_file_is_migrated() {
    let loaded = load_path(&fixture("v0-cafe.json")).expect("v0 loads");
    let name = fixture("v0-cafe.json").display().to_string();
    assert_eq!(
        loaded.warnings,
        vec![format!(
            "{name}:1:1: upgraded from format version 0 to 2; saving writes version 2"
        )]
    );
    let doc = &loaded.document;
    let emotions: Vec<i8> = doc.touchpoints.iter().map(|t| t.emotion).collect();
    assert_eq!(emotions, vec![1, 2, -1]);
    assert_eq!(doc.touchpoints[1].title, "Croissant au comptoir");
    assert!(doc.extra.is_empty(), "{:?}", doc.extra);
    let saved = to_json(doc);
    assert!(saved.starts_with("{\n  \"format\": \"stagecraft\",\n  \"version\": 2,\n"));
    let again = load_str("v2.json", &saved).expect("saved v2 loads");
    assert_eq!(again.warnings, Vec::<String>::new());
    assert_eq!(&again.document, doc);
}

#[test]
fn a_version_0_emotion_off_its_scale_is_refused() {
    let text = "{\"format\": \"stagecraft\", \"version\": 0, \"title\": \"t\", \
                \"cards\": [{\"id\": \"a\", \"emotion\": 1e300}]}";
    assert_eq!(
        refused(text),
        "bad.json:1:1: card 0 (\"a\"): a version 0 emotion goes from -1.0 to 1.0, found 1e300"
    );
}

#[test]
fn problems_in_a_migrated_file_point_into_the_file_as_written() {
    let err = load_path(&fixture("v0-dangling.json")).expect_err("dangling stage");
    assert_eq!(err.diagnostics.len(), 1);
    let d = &err.diagnostics[0];
    assert_eq!((d.line, d.column), (9, 44), "{}", d.message);
    assert_eq!(
        d.message,
        "touchpoint \"c2\" is in stage \"gone\", which does not exist"
    );
}

#[test]
fn unknown_fields_are_kept_with_a_warning() {
    let path = fixture("unknown-fields.json");
    let loaded = load_path(&path).expect("loads");
    let name = path.display().to_string();
    assert_eq!(
        loaded.warnings,
        vec![
            format!(
                "{name}:12:15: unknown field \"workshop\" (from a newer Stagecraft?) is kept as it is"
            ),
            format!(
                "{name}:5:75: unknown field \"avatar\" (from a newer Stagecraft?) is kept as it is"
            ),
            format!(
                "{name}:6:60: unknown field \"duration_days\" (from a newer Stagecraft?) is kept as it is"
            ),
            format!(
                "{name}:9:91: unknown field \"sticker\" (from a newer Stagecraft?) is kept as it is"
            ),
            format!(
                "{name}:9:76: unknown field \"glow\" (from a newer Stagecraft?) is not understood by this build and is dropped on save"
            ),
        ]
    );
    let saved = to_json(&loaded.document);
    assert!(
        saved.contains("\"workshop\": {\n    \"date\": \"2026-11-25\"\n  }\n}"),
        "{saved}"
    );
    assert!(saved.contains("\"duration_days\": 3"));
    assert!(saved.contains("\"sticker\": {"));
    assert!(
        saved.contains("\"avatar\": \"ana.png\""),
        "kept on a persona"
    );
    assert!(!saved.contains("glow"));
    let again = load_str("again.json", &saved).expect("reloads");
    assert_eq!(again.document, loaded.document);
    assert_eq!(to_json(&again.document), saved);
}

#[test]
fn duplicate_keys_are_refused_at_the_second_key() {
    let cases = [
        (
            "{\"format\": \"stagecraft\", \"version\": 1, \"title\": \"a\", \"title\": \"b\"}",
            "bad.json:1:54: duplicate key \"title\": each key may appear once in an object",
        ),
        (
            "{\"format\": \"stagecraft\", \"version\": 1, \"version\": 1, \"title\": \"a\"}",
            "bad.json:1:40: duplicate key \"version\": each key may appear once in an object",
        ),
        (
            "{\"format\": \"stagecraft\", \"version\": 1, \"title\": \"a\", \"x\": {\"k\": 1, \"k\": 2}}",
            "bad.json:1:68: duplicate key \"k\": each key may appear once in an object",
        ),
        (
            "{\"format\": \"stagecraft\", \"version\": 1, \"title\": \"a\", \"zz\": 1, \"zz\": 2}",
            "bad.json:1:63: duplicate key \"zz\": each key may appear once in an object",
        ),
        (
            "{\"format\": \"stagecraft\", \"version\": 0, \"title\": \"a\", \"title\": \"b\"}",
            "bad.json:1:54: duplicate key \"title\": each key may appear once in an object",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(refused(text), expected, "{text}");
    }
}

#[test]
fn canonical_output_is_stable_and_diff_friendly() {
    let doc = load_path(&root().join("samples/coffee-shop.json"))
        .expect("loads")
        .document;
    let a = to_json(&doc);
    let b = to_json(&doc.clone());
    assert_eq!(a, b);
    assert!(a.ends_with("}\n") && !a.ends_with("\n\n"));
    assert!(
        a.contains("Café crème et croissant"),
        "non-ASCII written as is"
    );
    assert!(!a.contains('\r') && !a.contains('\t'));
}

#[test]
fn save_then_export_is_a_no_op_on_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("copy.json");
    let src = root().join("samples/hotel-stay.json");
    let status = Command::new(env!("CARGO_BIN_EXE_stagecraft"))
        .arg("export")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .status()
        .expect("runs");
    assert!(status.success());
    assert_eq!(
        std::fs::read(&out).expect("written"),
        std::fs::read(&src).expect("sample")
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("copy.json")]);
}

fn check(files: &[&Path]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stagecraft"))
        .arg("check")
        .args(files)
        .output()
        .expect("stagecraft runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_check_accepts_every_sample() {
    let paths = sample_paths();
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let (code, stdout, stderr) = check(&refs);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(stdout.lines().count(), paths.len());
    assert!(stdout.lines().all(|l| l.ends_with(": ok")), "{stdout}");
}

#[test]
fn cli_check_refuses_bad_files_with_positions() {
    for (name, position, words) in [
        ("truncated.json", ":6:19: ", "ends too early"),
        (
            "flow-to-missing.json",
            ":11:37: ",
            "\"ghost\", which does not exist",
        ),
        ("version-99.json", ":3:14: ", "format version 99"),
    ] {
        let path = fixture(name);
        let (code, stdout, stderr) = check(&[&path]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert_eq!(stdout, "", "{name}");
        let expected_start = format!("{}{position}", path.display());
        assert!(stderr.starts_with(&expected_start), "{name}: {stderr}");
        assert!(stderr.contains(words), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn cli_check_reports_every_file_and_fails_if_any_is_bad() {
    let good = root().join("samples/coffee-shop.json");
    let bad = fixture("version-99.json");
    let (code, stdout, stderr) = check(&[&good, &bad]);
    assert_eq!(code, 1);
    assert!(stdout.contains("coffee-shop.json: ok"), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn cli_check_prints_warnings_but_passes() {
    let path = fixture("unknown-fields.json");
    let (code, _stdout, stderr) = check(&[&path]);
    assert_eq!(code, 0);
    assert_eq!(stderr.lines().count(), 5, "{stderr}");
}

#[test]
fn saving_streams_exactly_the_canonical_text() {
    // `save_json` writes through a buffer instead of building the text first; the bytes
    // on disk must be those of `to_json`, for every sample and a big synthetic canvas.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut docs: Vec<_> = sample_paths()
        .iter()
        .map(|p| load_path(p).expect("sample loads").document)
        .collect();
    docs.push(stagecraft::synth::canvas(
        &stagecraft::synth::SynthSpec::new(3_000, 5),
    ));
    for (i, doc) in docs.iter().enumerate() {
        let path = dir.path().join(format!("{i}.json"));
        stagecraft::io::save_json(doc, &path).expect("saves");
        let written = std::fs::read_to_string(&path).expect("reads");
        assert!(written.len() > 1000);
        assert_eq!(written, to_json(doc), "document {i}");
    }
}
