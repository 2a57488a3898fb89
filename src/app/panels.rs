//! The app's panels and windows around the canvas: sharing and recovery windows, the side
//! panels and the canvas, the legend, messages, and the prompts.

use super::{PathPurpose, Pending, Screen, StagecraftApp};
use crate::scoring::{self};
use crate::ui::action::{Action, Actions, Selection};
use crate::ui::canvas::{CanvasCtx, canvas_ui};
use crate::ui::commands::UiCommand;
use crate::ui::inspector::{InspectorCtx, inspector_ui};
use crate::ui::sharing::{CompareAction, ConflictAction};
use crate::ui::{palette, tokens};
use egui::{Key, RichText, Ui};
use std::path::PathBuf;

impl StagecraftApp {
    /// The windows of `ui::sharing`: a colleague's save of the open file, the conflicts of a
    /// merge, the comparison with another version.
    pub(super) fn sharing_ui(&mut self, ctx: &egui::Context, actions: &mut Actions) {
        if let Some(change) = &self.disk_change
            && let Some(choice) = crate::ui::sharing::disk_change_ui(ctx, &self.file_name(), change)
        {
            self.answer_disk_change(choice);
        }
        if let Some(session) = &self.merge {
            match crate::ui::sharing::conflicts_ui(ctx, session, actions) {
                Some(ConflictAction::Choose(key, side)) => self.rechoose(key, side),
                Some(ConflictAction::Done) => self.merge = None,
                None => {}
            }
        }
        if self.compare.is_some() && self.compare_rev != self.editor.revision() {
            // The comparison follows this canvas as it is edited.
            if let Some(c) = &mut self.compare {
                c.refresh(self.editor.doc());
            }
            self.compare_rev = self.editor.revision();
        }
        if let Some(c) = &self.compare
            && let Some(CompareAction::Close) =
                c.window_ui(ctx, self.scorer.report().total, actions)
        {
            self.compare = None;
        }
    }

    /// The restore prompt, then the autosave tick (see `ui::recovery`).
    pub(super) fn recovery_ui(&mut self, ctx: &egui::Context) {
        if let Some(restored) = self.recovery.prompt_ui(ctx) {
            self.load_document(restored.document, restored.meta.original_path);
            // Not on disk anywhere but in the recovery copy: unsaved until the user saves.
            self.editor.mark_unsaved();
            self.set_info(format!(
                "Restored {} from its recovery copy. Save it to keep it.",
                scoring::quote(&restored.meta.title)
            ));
        }
        if let Some(e) = self.recovery.error.take() {
            self.set_error(e);
        }
        let wait = self.recovery.tick(
            std::time::Instant::now(),
            self.editor.shared_doc(),
            self.editor.is_dirty(),
            self.editor.revision(),
            self.file.as_deref(),
        );
        if let Some(wait) = wait {
            ctx.request_repaint_after(wait);
        }
    }

    pub(super) fn editor_panels_ui(&mut self, ui: &mut Ui, actions: &mut Actions) {
        if self.panels_follow_window {
            // A narrow window leaves the canvas the room; the toolbar's Panels button and
            // the View menu bring the panels back.
            let wide = ui.ctx().content_rect().width() >= tokens::NARROW_WINDOW;
            self.show_palette = wide;
            self.show_inspector = wide;
        }
        let doc = self.editor.doc();
        if self.show_palette {
            egui::Panel::left("palette")
                .default_size(tokens::LEFT_PANEL_W)
                .size_range(180.0..=360.0)
                .show(ui, |ui| {
                    palette::palette_ui(ui, doc, &self.theme_counts, &self.selection, actions);
                });
        }
        if self.show_inspector {
            egui::Panel::right("inspector")
                .default_size(tokens::RIGHT_PANEL_W)
                .size_range(280.0..=560.0)
                .show(ui, |ui| {
                    let cx = InspectorCtx {
                        doc,
                        selection: &self.selection,
                        report: self.scorer.report(),
                        theme_counts: &self.theme_counts,
                        evidence: &self.evidence,
                    };
                    inspector_ui(ui, &cx, actions);
                });
        }
        // The opening view, or one that shows the whole journey, is taken again when the
        // canvas area changes size (a panel hidden or resized, the window resized); a view
        // the user zoomed or panned is left alone.
        let before = self.canvas.area;
        let auto_view = self.canvas.showing_auto_view();
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let cx = CanvasCtx {
                doc,
                revision: self.editor.revision(),
                changes: self.editor.change_log(),
                selection: &self.selection,
                report: self.scorer.report(),
                dark: self.dark,
                emotion_curve: self.show_emotion_curve,
            };
            canvas_ui(ui, &mut self.canvas, &cx, actions);
            if let Some(c) = &self.compare {
                c.overlay_ui(ui, &self.canvas);
            }
            if let Some(live) = &self.live.session {
                crate::ui::live::peers_overlay_ui(ui, &self.canvas, &live.peers);
            }
            crate::ui::marks::card_hover_ui(ui, &self.canvas, doc, self.scorer.report());
        });
        self.legend_ui(ui.ctx(), actions);
        if let Some(kind) = auto_view
            && self.canvas.area.size() != before.size()
        {
            self.canvas.take_view(kind);
            ui.ctx().request_repaint();
        }
    }

    /// View → Legend: the card marks and theme colours, in a corner of the canvas.
    pub(super) fn legend_ui(&self, ctx: &egui::Context, actions: &mut Actions) {
        if self.show_legend
            && crate::ui::marks::legend_ui(ctx, self.canvas.area, self.editor.doc(), self.dark)
        {
            actions.push(Action::Ui(UiCommand::ToggleLegend));
        }
    }

    /// The message toast, over the canvas (or the whole window on the start screen).
    pub(super) fn banner_ui(&mut self, ctx: &egui::Context) {
        let over = match self.screen {
            Screen::Canvas if self.canvas.area.width() > 1.0 => self.canvas.area,
            _ => ctx.content_rect(),
        };
        crate::ui::toast::toast_ui(ctx, &mut self.banner, over);
    }

    pub(super) fn file_hover_ui(&self, ctx: &egui::Context) {
        if ctx.input(|i| i.raw.hovered_files.is_empty()) {
            return;
        }
        let screen = ctx.content_rect();
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("file-hover"),
        ));
        painter.rect_filled(screen, 0.0, tokens::SCRIM);
        painter.text(
            screen.center(),
            egui::Align2::CENTER_CENTER,
            "Drop a canvas (.json or exported .png) to open it",
            tokens::regular(26.0),
            tokens::ON_SCRIM,
        );
    }

    /// The "unsaved changes" question.
    pub(super) fn pending_ui(&mut self, ctx: &egui::Context) {
        let Some(p) = self.pending.clone() else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Save your changes?");
            let name = self.file.as_ref().and_then(|f| f.file_name()).map_or_else(
                || self.doc().title.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
            ui.label(format!(
                "{} has changes that are not saved. They will be lost if you don't save them.",
                scoring::quote(&name)
            ));
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Save").strong()).clicked() {
                    choice = Some(0);
                }
                if ui.button("Don't save").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                self.pending = None;
                if self.save() {
                    self.run_pending(ctx, p);
                } else if let Some(prompt) = &mut self.path_prompt {
                    // No file dialog: the path is typed, and the action waits for that save.
                    prompt.then = Some(p);
                }
            }
            Some(1) => {
                self.pending = None;
                self.run_pending(ctx, p);
            }
            Some(_) => self.pending = None,
            None => {}
        }
    }

    /// Typing a path when the system offers no file dialog.
    pub(super) fn path_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.path_prompt else {
            return;
        };
        let mut done = None;
        egui::Modal::new(egui::Id::unique("path-prompt")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(match prompt.purpose {
                PathPurpose::Save => "Save as",
                PathPurpose::Open => "Open",
                PathPurpose::Compare => "Compare with",
                PathPurpose::Merge => "Merge a colleague's copy",
            });
            ui.label("No file dialog is available on this system (install xdg-desktop-portal or zenity). Type the file's path:");
            let resp = ui
                .add(egui::TextEdit::singleline(&mut prompt.text).desired_width(f32::INFINITY))
                .accessible_name("File path");
            resp.request_focus();
            ui.horizontal(|ui| {
                let label = match prompt.purpose {
                    PathPurpose::Save => "Save",
                    PathPurpose::Open => "Open",
                    PathPurpose::Compare => "Compare",
                    PathPurpose::Merge => "Merge",
                };
                let ok = ui.button(label).clicked()
                    || ui.input(|i| i.key_pressed(Key::Enter));
                if ok && !prompt.text.trim().is_empty() {
                    done = Some(true);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    done = Some(false);
                }
            });
        });
        if let Some(ok) = done {
            let prompt = self.path_prompt.take();
            if ok && let Some(prompt) = prompt {
                let path = PathBuf::from(prompt.text.trim());
                match prompt.purpose {
                    PathPurpose::Save => {
                        if self.save_to(&path)
                            && let Some(then) = prompt.then
                        {
                            self.run_pending(ctx, then);
                        }
                    }
                    PathPurpose::Open => self.request(ctx, Pending::OpenPath(path)),
                    PathPurpose::Compare => self.compare_with_path(&path),
                    PathPurpose::Merge => self.merge_from_path(&path),
                }
            }
        }
    }

    /// After the actions: keep the selection pointing at things that exist, update the
    /// window title, recompute the score if the document changed.
    pub(super) fn after_pass(&mut self, ctx: &egui::Context) {
        self.live_tick();
        self.refresh_report();
        self.save_settings();
        let doc = self.editor.doc();
        let stale = match &self.selection {
            Selection::Cards(ids) => ids.iter().any(|id| doc.touchpoint(id).is_none()),
            Selection::Stage(id) => doc.stage(id).is_none(),
            Selection::Lane(id) => doc.lane(id).is_none(),
            Selection::Theme(id) => doc.theme(id).is_none(),
            Selection::None => false,
        };
        if stale {
            self.selection = match &self.selection {
                Selection::Cards(ids) => {
                    let alive: Vec<_> = ids
                        .iter()
                        .filter(|id| doc.touchpoint(id).is_some())
                        .cloned()
                        .collect();
                    if alive.is_empty() {
                        Selection::None
                    } else {
                        Selection::Cards(alive)
                    }
                }
                _ => Selection::None,
            };
        }
        let title = self.title();
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}
