//! Stagecraft: an experience-design canvas.
//!
//! Layers, from the bottom: [`model`] (the document, no egui), [`io`] (files),
//! and the application on top. See `ARCHITECTURE.md`.

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
