//! The editor's user interface (egui): small `*_ui` functions over the model that read
//! state and push [`action::Action`]s; the app applies them after the UI pass.
//!
//! | file | holds |
//! |---|---|
//! | `action` | the action queue and the selection |
//! | `commands` | menu/shortcut commands with their labels and shortcuts |
//! | `canvas` | the pan/zoom canvas painting the shared scene, and its gestures (a folder: see its table) |
//! | `marks` | card marks explained: tooltips over marks and cut titles, the canvas legend |
//! | `palette` | touchpoint kinds, the themes list, structure buttons (left panel) |
//! | `inspector`, `report` | the right panel: element editors and the coherence report |
//! | `start` | the start screen |
//! | `recovery` | autosave ticks and the prompt to restore unsaved work after a crash |
//! | `frame_time` | the F12 frame-time readout |
//! | `toolbar` | menus and the top bar |
//! | `settings` | look and panel choices kept between runs |
//! | `toast` | messages floating over the canvas (never moving the layout) |
//! | `files` | file dialogs, recent files, samples |
//! | `live` | Share live… / Join live…, the live status and participants, colleagues' selections |
//! | `tokens`, `widgets` | design tokens, fonts, the `UiExt` house widgets |

pub mod action;
pub mod canvas;
pub mod commands;
pub mod export_dialog;
pub mod files;
pub mod fixes;
pub mod frame_time;
pub mod inspector;
pub mod live;
pub mod marks;
pub mod palette;
pub mod personas;
pub mod recovery;
pub mod report;
pub mod settings;
pub mod sharing;
pub mod start;
pub mod toast;
pub mod tokens;
pub mod toolbar;
pub mod widgets;
