//! Stagecraft: an experience-design canvas.
//!
//! Layers, from the bottom: [`model`] (the document, no egui), [`io`] (files),
//! and the application on top. See `ARCHITECTURE.md`.

pub mod cli;
pub mod export;
pub mod io;
pub mod model;
pub mod scene;
pub mod scoring;
pub mod synth;
/// TEMPORARY (export branch): until the editor's `src/ui/mod.rs` lands, declare the export
/// dialog here. When merging, delete this block and add `pub mod export_dialog;` to
/// `src/ui/mod.rs`.
pub mod ui {
    pub mod export_dialog;
}
