//! Stagecraft: an experience-design canvas.
//!
//! Layers, from the bottom: [`model`] (the document, no egui), [`io`] (files),
//! and the application on top. See `ARCHITECTURE.md`.

// Library code never unwraps: files and users control the data (tests may).
#![warn(clippy::unwrap_used, clippy::dbg_macro, clippy::todo)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod app;
pub mod calibration;
pub mod cli;
pub mod edit;
pub mod export;
pub mod history;
pub mod io;
pub mod live;
pub mod merge;
pub mod model;
pub mod recovery;
pub mod scene;
pub mod scoring;
pub mod synth;
pub mod ui;

/// A hash map keyed by what a file holds (ids, names). Seeded at random per process: with
/// a hash of fixed keys (`FxHash`), a file can be crafted whose ids all fall in one bucket
/// chain, and a lookup table of 100,000 such ids takes minutes to fill and search.
/// foldhash is about as fast on short strings.
pub type IdMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Whether a second core is there to use; asked once (the answer reads cgroup files).
/// Scoring and the scene build split big canvases over two threads when it is.
pub(crate) fn two_cores() -> bool {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
        >= 2
}

/// A canvas is hundreds of thousands of small strings and lists (ids, titles, cues):
/// loading, cloning for autosave, scoring and dropping one is allocator-bound, and
/// mimalloc does it markedly faster than glibc's malloc (see BENCHMARKS.md, "File load and
/// save"). Declared in the library so the app, the CLI, tests and benches all run on it;
/// not under `cargo fuzz`, whose sanitizers need the system allocator.
#[cfg(not(fuzzing))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
