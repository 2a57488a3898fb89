//! The integration tests, as one test binary: each file under `tests/` is a module here.
//! One binary links the library once instead of once per file, which keeps a cold CI
//! build within its disk and time (27 binaries of ~160 MB each did not fit).
//! `cargo test --test suite ui_live::` runs one file's tests.

mod support;

mod calibration;
mod culling;
mod export;
mod fix_first;
mod format;
mod format_v1;
mod fuzz_regressions;
mod hostile;
mod incremental;
mod layering;
mod live_personas;
mod live_report;
mod live_sync;
mod merge;
mod merge_personas;
mod recovery;
mod save_load_props;
mod schema_validators;
mod scoring;
mod scoring_personas;
mod svg_renderers;
mod ui_editor;
mod ui_export_window;
mod ui_first_hour;
mod ui_journey;
mod ui_live;
mod ui_personas;
mod ui_sharing;
mod ui_unsaved;
mod ui_view;

/// A file added under `tests/` but not declared above would never run.
#[test]
fn every_test_file_is_a_module_of_the_suite() {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let suite = std::fs::read_to_string(here.join("suite.rs")).expect("tests/suite.rs");
    for entry in std::fs::read_dir(&here).expect("tests/") {
        let name = entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "suite") {
            assert!(
                suite.contains(&format!("\nmod {module};\n")),
                "tests/{name} is not declared in tests/suite.rs, so it never runs"
            );
        }
    }
}
