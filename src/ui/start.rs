//! The start screen: a new canvas, the bundled samples, recent files.

use super::action::{Action, Actions};
use super::commands::UiCommand;
use super::files::{RecentFiles, Sample, pretty_name};
use super::tokens;
use super::widgets::UiExt;
use egui::{RichText, Sense, Ui};

/// A large clickable card with a title and a caption.
fn choice_ui(ui: &mut Ui, title: &str, caption: &str, width: f32, primary: bool) -> egui::Response {
    let fill = if primary {
        tokens::ACCENT
    } else {
        ui.visuals().extreme_bg_color
    };
    let text = if primary {
        tokens::ON_ACCENT
    } else {
        ui.visuals().strong_text_color()
    };
    let caption_color = if primary {
        tokens::ON_ACCENT_MUTED
    } else {
        tokens::muted(ui)
    };
    let frame = egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(
            1.0,
            ui.visuals().widgets.noninteractive.bg_stroke.color,
        ))
        .corner_radius(10.0)
        .inner_margin(16.0)
        .show(ui, |ui| {
            ui.set_width(width - 32.0);
            ui.set_min_height(58.0);
            ui.vertical(|ui| {
                ui.add(
                    egui::Label::new(RichText::new(title).font(tokens::bold(18.0)).color(text))
                        .selectable(false),
                );
                ui.add(
                    egui::Label::new(RichText::new(caption).size(13.0).color(caption_color))
                        .wrap()
                        .selectable(false),
                );
            });
        });
    let resp = ui
        .interact(
            frame.response.rect,
            ui.scope_id().with(("choice", title)),
            Sense::click(),
        )
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    if resp.hovered() {
        ui.painter().rect_stroke(
            resp.rect,
            10.0,
            egui::Stroke::new(2.0, tokens::ACCENT),
            egui::StrokeKind::Inside,
        );
    }
    resp
}

/// The canvas still open behind the start screen, offered as the way back.
pub struct OpenCanvas<'a> {
    pub title: &'a str,
    pub dirty: bool,
}

pub fn start_ui(
    ui: &mut Ui,
    samples: &[Sample],
    recent: &RecentFiles,
    open: Option<OpenCanvas>,
    actions: &mut Actions,
) {
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        let width = ui.available_width().min(760.0);
        let margin = ((ui.available_width() - width) / 2.0).max(0.0);
        ui.horizontal(|ui| {
            ui.add_space(margin);
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.add_space(48.0);
                ui.label(RichText::new("Stagecraft").font(tokens::bold(44.0)));
                ui.label(
                    RichText::new(
                        "Sketch a customer journey, orchestrate it under themes, and see how coherent it is.",
                    )
                    .size(17.0)
                    .color(tokens::muted(ui)),
                );
                ui.add_space(28.0);
                if let Some(open) = open {
                    let caption = if open.dirty {
                        "Still open, with unsaved changes"
                    } else {
                        "Still open"
                    };
                    if choice_ui(ui, &format!("Back to {}", crate::scoring::quote(open.title)), caption, width, true)
                        .on_hover_text(UiCommand::BackToCanvas.tooltip())
                        .clicked()
                    {
                        actions.push(Action::Ui(UiCommand::BackToCanvas));
                    }
                    ui.add_space(12.0);
                }
                let half = (width - 12.0) / 2.0;
                ui.horizontal(|ui| {
                    if choice_ui(
                        ui,
                        "New canvas",
                        "Four stages (Discover, Choose, Experience, Share) and four lanes, ready for cards",
                        half,
                        true,
                    )
                    .clicked()
                    {
                        actions.push(Action::Ui(UiCommand::New));
                    }
                    if choice_ui(ui, "Open a file…", "A canvas (.json) or a PNG exported by Stagecraft; you can also drop it here", half, false)
                        .clicked()
                    {
                        actions.push(Action::Ui(UiCommand::Open));
                    }
                });
                ui.add_space(28.0);
                ui.label(RichText::new("Samples").font(tokens::bold(20.0)));
                ui.add_space(4.0);
                if samples.is_empty() {
                    ui.empty_state("No samples in this build.");
                } else {
                    let col = (width - 12.0) / 2.0;
                    for row in samples.chunks(2).enumerate() {
                        let (r, chunk) = row;
                        ui.horizontal(|ui| {
                            for (c, sample) in chunk.iter().enumerate() {
                                let caption = sample.caption();
                                if choice_ui(ui, &pretty_name(&sample.name), &caption, col, false).clicked() {
                                    actions.push(Action::OpenSample(r * 2 + c));
                                }
                            }
                        });
                        ui.add_space(4.0);
                    }
                }
                ui.add_space(24.0);
                ui.label(RichText::new("Recent").font(tokens::bold(20.0)));
                ui.add_space(4.0);
                if recent.paths.is_empty() {
                    ui.empty_state("Canvases you open or save will be listed here.");
                }
                for path in &recent.paths {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    ui.horizontal(|ui| {
                        if ui.link(RichText::new(&name).size(15.0)).clicked() {
                            actions.push(Action::OpenPath(path.clone()));
                        }
                        ui.caption(&path.parent().map(|p| p.display().to_string()).unwrap_or_default());
                    });
                }
                ui.add_space(40.0);
            });
        });
    });
}
