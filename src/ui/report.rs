//! The coherence report in the inspector: the journey's title and persona, a big total,
//! the fixes that gain most ("Fix first", `ui::fixes`), a bar per rule with the points of
//! the total it costs (n/a shown as such), and findings as rows that select and frame what
//! they name. Above the score, how much of the journey rests on evidence: the share of
//! assumed steps and a list of them (`evidence_ui`).

use super::action::{Action, Actions};
use super::tokens;
use super::widgets::UiExt;
use crate::edit::Command;
use crate::model::{AssumedShare, Document, Evidence, MAX_TITLE_CHARS};
use crate::scoring::{Finding, Report, RuleResult, Severity};
use egui::{Color32, RichText, Sense, Ui, Vec2};

/// Colour of a score out of 100.
pub fn score_color(score: u8) -> Color32 {
    match score {
        80..=100 => tokens::GOOD,
        50..=79 => tokens::FAIR,
        _ => tokens::DANGER,
    }
}

fn severity_color(s: Severity) -> Color32 {
    match s {
        Severity::Info => tokens::ACCENT,
        Severity::Warning => tokens::WARNING,
        Severity::Problem => tokens::DANGER,
    }
}

pub fn report_ui(
    ui: &mut Ui,
    doc: &Document,
    report: &Report,
    evidence: &EvidenceSummary,
    actions: &mut Actions,
) {
    journey_ui(ui, doc, actions);
    evidence_ui(ui, doc, evidence, actions);
    ui.add_space(6.0);
    ui.separator();
    ui.heading("Coherence");
    if doc.touchpoints.is_empty() {
        ui.empty_state(
            "Drag touchpoints from the palette onto the canvas. The coherence score appears \
             here and tells you where the journey breaks.",
        );
        return;
    }
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(report.total.to_string())
                .font(tokens::bold(tokens::SCORE_SIZE))
                .color(score_color(report.total)),
        );
        ui.vertical(|ui| {
            ui.add_space(14.0);
            ui.label(RichText::new("/ 100").size(20.0).color(tokens::muted(ui)));
        });
    });
    if report.rules.is_empty() {
        ui.caption("No coherence rules are available in this build.");
        return;
    }
    ui.caption("Do all the touchpoints play one piece? Click a finding to see it on the canvas.");
    super::fixes::fixes_ui(ui, doc, report, actions);
    ui.add_space(6.0);
    for rule in &report.rules {
        rule_ui(ui, rule, actions);
    }
}

fn journey_ui(ui: &mut Ui, doc: &Document, actions: &mut Actions) {
    ui.heading("Journey");
    let mut title = doc.title.clone();
    ui.label("Title");
    let resp = ui
        .add(
            egui::TextEdit::singleline(&mut title)
                .char_limit(MAX_TITLE_CHARS)
                .desired_width(f32::INFINITY),
        )
        .accessible_name("Journey title");
    ui.gesture(&resp, actions, "rename journey");
    ui.limit_note(&title, MAX_TITLE_CHARS);
    if title != doc.title {
        actions.edit(Command::SetTitle(title));
    }
    super::personas::personas_ui(ui, doc, actions);
}

/// Assumed steps listed before "and N more".
const ASSUMED_LISTED: usize = 12;

/// What the report says about the canvas's evidence, kept by the app between edits (it
/// changes only with a card's evidence or the card list): worked out in each frame, it
/// passed over every card of a big canvas twice per frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvidenceSummary {
    pub share: AssumedShare,
    /// The first assumed cards, by index in the document, as many as are listed.
    pub first: Vec<usize>,
}

impl EvidenceSummary {
    pub fn of(doc: &Document) -> Self {
        let assumed = doc
            .touchpoints
            .iter()
            .enumerate()
            .filter(|(_, t)| t.evidence == Evidence::Assumed);
        EvidenceSummary {
            share: doc.assumed_share(),
            first: assumed.take(ASSUMED_LISTED).map(|(i, _)| i).collect(),
        }
    }
}

/// The share of assumed steps and the list of them, each a link that selects and frames
/// the card.
fn evidence_ui(ui: &mut Ui, doc: &Document, evidence: &EvidenceSummary, actions: &mut Actions) {
    if doc.touchpoints.is_empty() {
        return;
    }
    ui.section_heading("Evidence");
    let share = evidence.share.share();
    let color = match share {
        s if s <= 0.25 => tokens::GOOD,
        s if s <= 0.5 => tokens::FAIR,
        _ => tokens::DANGER,
    };
    ui.label(RichText::new(evidence.share.to_string()).color(color))
        .on_hover_text(
            "Steps no one has observed or heard from customers yet: check them before \
             deciding on them",
        );
    bar_ui(ui, Some(share), color);
    if evidence.share.assumed == 0 {
        ui.caption("Every step rests on what was observed or reported.");
        return;
    }
    for tp in evidence
        .first
        .iter()
        .filter_map(|&i| doc.touchpoints.get(i))
    {
        let title = if tp.title.trim().is_empty() {
            "(untitled)"
        } else {
            tp.title.as_str()
        };
        if ui
            .link(title)
            .on_hover_text("Assumed: select it on the canvas")
            .clicked()
        {
            actions.push(Action::Reveal(vec![crate::scoring::Target::Touchpoint(
                tp.id.clone(),
            )]));
        }
    }
    let listed = evidence.first.len();
    if evidence.share.assumed > listed {
        ui.caption(&format!(
            "and {} more assumed steps",
            evidence.share.assumed - listed
        ));
    }
}

/// A horizontal bar filled to `fraction`.
fn bar_ui(ui: &mut Ui, fraction: Option<f32>, color: Color32) {
    let width = ui.available_width().min(300.0);
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 8.0), Sense::hover());
    let track = ui.visuals().widgets.noninteractive.bg_fill;
    ui.painter().rect_filled(rect, 4.0, track);
    if let Some(f) = fraction {
        let mut filled = rect;
        filled.set_width(rect.width() * f.clamp(0.0, 1.0));
        ui.painter().rect_filled(filled, 4.0, color);
    }
}

fn rule_ui(ui: &mut Ui, rule: &RuleResult, actions: &mut Actions) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(rule.title).font(tokens::bold(tokens::BODY_SIZE)))
            .on_hover_text(rule.rationale);
        ui.with_layout(
            egui::Layout::right_to_left(egui::Align::Center),
            |ui| match rule.score {
                Some(s) => {
                    ui.label(RichText::new(s.to_string()).strong().color(score_color(s)));
                    // Where the points went: what this rule takes off the total.
                    if rule.lost > 0 {
                        ui.label(
                            RichText::new(format!("-{} pts", rule.lost))
                                .size(tokens::SMALL_SIZE)
                                .color(tokens::muted(ui)),
                        )
                        .on_hover_text(format!(
                            "This rule costs the total {} points (at most {} on its own)",
                            rule.lost, rule.weight
                        ));
                    }
                }
                None => {
                    ui.label(RichText::new("n/a").color(tokens::muted(ui)))
                        .on_hover_text("Does not apply to this journey; not counted");
                }
            },
        );
    });
    match rule.score {
        Some(s) => bar_ui(ui, Some(f32::from(s) / 100.0), score_color(s)),
        None => bar_ui(ui, None, tokens::ACCENT),
    }
    // A big canvas can have thousands of findings; laying them all out every frame would
    // freeze the app, and nobody reads past the first few. More appear on request.
    let shown_id = ui.scope_id().with(("findings-shown", rule.id));
    let shown = ui
        .data(|d| d.get_temp::<usize>(shown_id))
        .unwrap_or(FINDINGS_SHOWN);
    for f in rule.findings.iter().take(shown) {
        finding_row_ui(ui, f, actions);
    }
    let hidden = rule.findings.len().saturating_sub(shown);
    if hidden > 0 {
        let more = hidden.min(FINDINGS_MORE);
        if ui
            .link(format!("Show {more} more of {hidden} remaining findings"))
            .clicked()
        {
            ui.data_mut(|d| d.insert_temp(shown_id, shown + more));
        }
    }
}

/// Findings listed per rule before "show more".
pub const FINDINGS_SHOWN: usize = 4;
/// Findings added by each "show more".
pub const FINDINGS_MORE: usize = 25;

/// A finding as a clickable row: selects and frames its targets.
pub fn finding_row_ui(ui: &mut Ui, f: &Finding, actions: &mut Actions) {
    let resp = egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(6, 4))
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_top(|ui| {
                let (dot, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                ui.painter().circle_filled(
                    dot.center() + Vec2::new(0.0, 4.0),
                    4.0,
                    severity_color(f.severity),
                );
                ui.vertical(|ui| {
                    ui.add(egui::Label::new(&f.message).wrap().selectable(false));
                    if !f.fix.is_empty() {
                        ui.add(
                            egui::Label::new(
                                RichText::new(&f.fix)
                                    .size(tokens::SMALL_SIZE)
                                    .color(tokens::muted(ui)),
                            )
                            .wrap()
                            .selectable(false),
                        );
                    }
                });
            });
        })
        .response;
    let resp = ui
        .interact(
            resp.rect,
            // Two findings can share a message; the targets tell them apart.
            ui.scope_id().with(("finding", &f.message, &f.targets)),
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
    if resp.clicked() && !f.targets.is_empty() {
        actions.push(Action::Reveal(f.targets.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LaneId, StageId, Touchpoint, TouchpointId};

    #[test]
    fn the_evidence_summary_counts_every_assumed_card_and_lists_the_first() {
        let mut doc = Document::default();
        for i in 0..20 {
            let id = TouchpointId::new(format!("c{i}"));
            let mut tp =
                Touchpoint::new(id, format!("Card {i}"), StageId::new("s"), LaneId::new("l"));
            // Cards 0, 2, 4, 6, 8 observed; the other 15 assumed.
            tp.evidence = if i % 2 == 0 && i < 10 {
                Evidence::Observed
            } else {
                Evidence::Assumed
            };
            doc.touchpoints.push(tp);
        }
        let summary = EvidenceSummary::of(&doc);
        assert_eq!(summary.share.to_string(), "75% of steps assumed (15 of 20)");
        assert_eq!(summary.first.len(), ASSUMED_LISTED);
        assert_eq!(&summary.first[..6], &[1, 3, 5, 7, 9, 10]);
        assert_eq!(EvidenceSummary::of(&Document::default()).share.share(), 0.0);
    }
}
