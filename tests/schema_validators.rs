//! The published JSON Schema works in the validators other teams reach for: Python's
//! `jsonschema` and JavaScript's `ajv` (scripts in `scripts/schema-check/`), on every
//! sample, on each sample as Stagecraft saves it (with a lineage), and refusing a broken
//! file. CI installs both (`.ci/run` sets `STAGECRAFT_REQUIRE_VALIDATORS=1`, so a missing
//! validator fails there); elsewhere a missing one is reported and skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var_os("STAGECRAFT_REQUIRE_VALIDATORS").is_some()
}

/// The files to check: samples, their saved form, and one broken file (last).
fn files(dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let mut out = Vec::new();
    let mut samples: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .expect("samples")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    samples.sort();
    for (i, path) in samples.iter().enumerate() {
        out.push(path.clone());
        let mut doc = stagecraft::io::load_path(path)
            .expect("sample loads")
            .document;
        doc.lineage.stamp();
        let saved = dir.join(format!("saved-{i}.json"));
        stagecraft::io::save_json(&doc, &saved).expect("save");
        out.push(saved);
    }
    let mut broken: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&samples[0]).expect("read")).expect("json");
    broken["touchpoints"][0]["id"] = serde_json::json!(" starts with a space");
    broken["touchpoints"][1]["emotion"] = serde_json::json!(7);
    let bad = dir.join("broken.json");
    std::fs::write(&bad, broken.to_string()).expect("write");
    (out, bad)
}

/// Runs a validator; `None` when it is not installed here.
fn run(program: &str, script: &str, files: &[PathBuf]) -> Option<(i32, String)> {
    let out = Command::new(program)
        .arg(root().join("scripts/schema-check").join(script))
        .arg(root().join("assets/stagecraft.schema.json"))
        .args(files)
        .output()
        .ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Some((out.status.code().unwrap_or(-1), text))
}

fn check(program: &str, script: &str, missing: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (good, bad) = files(dir.path());
    let Some((code, text)) = run(program, script, &good) else {
        assert!(!required(), "{program} is not installed");
        eprintln!("skipped: {program} is not installed");
        return;
    };
    if text.contains(missing) {
        assert!(!required(), "{program}: {text}");
        eprintln!("skipped: {missing} is not installed for {program}");
        return;
    }
    assert_eq!(code, 0, "{program} refuses valid files:\n{text}");
    let (code, text) = run(program, script, std::slice::from_ref(&bad)).expect("ran before");
    assert_eq!(code, 1, "{program} accepts a broken file:\n{text}");
    assert!(text.contains("/touchpoints/0/id"), "{text}");
    assert!(text.contains("/touchpoints/1/emotion"), "{text}");
}

#[test]
fn python_jsonschema_accepts_the_schema_and_the_files() {
    check("python3", "validate.py", "No module named 'jsonschema'");
}

#[test]
fn ajv_accepts_the_schema_and_the_files() {
    check("node", "validate.mjs", "Cannot find package 'ajv'");
}
