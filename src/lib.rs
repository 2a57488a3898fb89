//! Stagecraft: an experience-design canvas.
//!
//! Layers, from the bottom: [`model`] (the document, no egui), [`io`] (files),
//! and the application on top. See `ARCHITECTURE.md`.

// Library code never unwraps: files and users control the data (tests may).
#![warn(clippy::unwrap_used, clippy::dbg_macro, clippy::todo)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod app;
pub mod cli;
pub mod edit;
pub mod export;
pub mod io;
pub mod model;
pub mod recovery;
pub mod scene;
pub mod scoring;
pub mod synth;
pub mod ui;
