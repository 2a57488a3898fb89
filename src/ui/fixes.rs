//! "Fix first" in the inspector: the fixes that would gain the most points, each tried on
//! a copy of the canvas and rescored (`scoring::fixes`), as rows that select what they
//! change. Computed again only when the report changes, and only on canvases small enough
//! to rescore dozens of times between two frames.

use super::action::{Action, Actions};
use super::tokens;
use crate::model::Document;
use crate::scoring::{Fix, Report};
use egui::{RichText, Sense, Ui};

/// Fixes shown.
pub const FIXES_SHOWN: usize = 3;
/// Cards above which the inspector does not try fixes live (each one rescores the canvas).
pub const LIVE_FIXES_UP_TO: usize = 500;

/// The fixes found for a report, kept in egui's memory until the report changes.
#[derive(Clone)]
struct Cached {
    report: Report,
    fixes: Vec<Fix>,
}

pub fn fixes_ui(ui: &mut Ui, doc: &Document, report: &Report, actions: &mut Actions) {
    if doc.touchpoints.len() > LIVE_FIXES_UP_TO {
        return;
    }
    let id = ui.make_persistent_id("fix-first");
    let cached: Option<Cached> = ui.data(|d| d.get_temp(id));
    let fixes = match cached {
        Some(c) if c.report == *report => c.fixes,
        _ => {
            let fixes = crate::scoring::fixes(doc, report, FIXES_SHOWN);
            ui.data_mut(|d| {
                d.insert_temp(
                    id,
                    Cached {
                        report: report.clone(),
                        fixes: fixes.clone(),
                    },
                );
            });
            fixes
        }
    };
    if fixes.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Fix first").font(tokens::bold(tokens::BODY_SIZE)))
        .on_hover_text("Each fix was tried on a copy of the canvas: the points it gains");
    for fix in &fixes {
        fix_row_ui(ui, fix, actions);
    }
    ui.add_space(4.0);
}

/// One fix: its gain and what to do; a click selects and frames what it changes.
fn fix_row_ui(ui: &mut Ui, fix: &Fix, actions: &mut Actions) {
    let resp = egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(6, 3))
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_top(|ui| {
                ui.label(
                    RichText::new(format!("+{}", fix.gain))
                        .strong()
                        .color(tokens::GOOD),
                );
                ui.add(egui::Label::new(&fix.message).wrap().selectable(false));
            });
        })
        .response;
    let resp = ui
        .interact(
            resp.rect,
            ui.scope_id().with(("fix", &fix.message)),
            Sense::click(),
        )
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    if resp.hovered() {
        ui.painter().rect_stroke(
            resp.rect,
            4.0,
            egui::Stroke::new(1.0, tokens::ACCENT),
            egui::StrokeKind::Inside,
        );
    }
    if resp.clicked() && !fix.targets.is_empty() {
        actions.push(Action::Reveal(fix.targets.clone()));
    }
}
