//! The inspector's card editor: title, notes, channel, emotion, evidence, themes, cues,
//! senses, department, flags and top task of one card.

use super::*;
use crate::edit::Command;
use crate::model::{
    Actor, ChannelKind, Cue, Document, EMOTION_MAX, EMOTION_MIN, Evidence, MAX_TITLE_CHARS,
    Polarity, Sense, Theme, TopTask, Touchpoint,
};
use crate::ui::action::{Action, Actions, Selection};
use crate::ui::tokens;
use crate::ui::widgets::UiExt;
use egui::{RichText, Ui};

pub(super) fn card_ui(ui: &mut Ui, cx: &InspectorCtx, card: &Touchpoint, actions: &mut Actions) {
    let doc = cx.doc;
    let mut edited = card.clone();
    ui.heading("Touchpoint");
    ui.add_space(4.0);
    text_row(ui, "Title", &mut edited.title, actions);
    multiline_row(ui, "Notes", &mut edited.notes, actions);

    egui::Grid::new("card-place")
        .num_columns(2)
        .spacing([10.0, 8.0])
        .show(ui, |ui| {
            ui.label("Stage");
            let _ = egui::ComboBox::from_id_salt("card-stage")
                .width(200.0)
                .selected_text(doc.stage(&edited.stage).map_or("?", |s| s.name.as_str()))
                .show_ui(ui, |ui| {
                    for s in &doc.stages {
                        ui.selectable_value(&mut edited.stage, s.id.clone(), &s.name);
                    }
                })
                .response
                .accessible_name("Stage");
            ui.end_row();
            ui.label("Lane");
            let _ = egui::ComboBox::from_id_salt("card-lane")
                .width(200.0)
                .selected_text(doc.lane(&edited.lane).map_or("?", |l| l.name.as_str()))
                .show_ui(ui, |ui| {
                    for l in &doc.lanes {
                        ui.selectable_value(&mut edited.lane, l.id.clone(), &l.name);
                    }
                })
                .response
                .accessible_name("Lane");
            ui.end_row();
            ui.label("Kind");
            let _ = egui::ComboBox::from_id_salt("card-kind")
                .width(200.0)
                .selected_text(edited.kind.label())
                .show_ui(ui, |ui| {
                    for k in ChannelKind::ALL {
                        ui.selectable_value(&mut edited.kind, k, k.label());
                    }
                })
                .response
                .accessible_name("Kind");
            ui.end_row();
            ui.label("Actor");
            ui.horizontal(|ui| {
                ui.radio_value(&mut edited.actor, Actor::Customer, "Customer");
                ui.radio_value(&mut edited.actor, Actor::Employee, "Employee");
            });
            ui.end_row();
            ui.label("Department");
            let resp = ui
                .add(
                    egui::TextEdit::singleline(&mut edited.department)
                        .char_limit(MAX_TITLE_CHARS)
                        .desired_width(200.0),
                )
                .accessible_name("Department");
            ui.gesture(&resp, actions, "edit text");
            ui.limit_note(&edited.department, MAX_TITLE_CHARS);
            ui.end_row();
        });

    ui.section_heading("Themes");
    card_themes_ui(ui, doc, &mut edited);

    ui.section_heading("Emotion");
    ui.horizontal(|ui| {
        ui.spacing_mut().slider_width = 180.0;
        let resp = ui
            .add(
                egui::Slider::new(&mut edited.emotion, EMOTION_MIN..=EMOTION_MAX)
                    .step_by(1.0)
                    .show_value(false),
            )
            .accessible_name("Emotion");
        ui.gesture(&resp, actions, "edit emotion");
        ui.label(format!(
            "{:+} {}",
            edited.emotion,
            emotion_label(edited.emotion)
        ));
    });

    super::card_personas::card_personas_ui(ui, doc, &mut edited, actions);

    ui.section_heading("Evidence");
    ui.horizontal(|ui| {
        for e in Evidence::ALL {
            ui.radio_value(&mut edited.evidence, e, e.label())
                .on_hover_text(e.description());
        }
    });
    // The canvas's share as it is (the edit lands after this frame).
    ui.caption(&format!("On this canvas: {}", cx.evidence.share));

    ui.section_heading("Flags");
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut edited.flags.pain_point, "Pain point");
        ui.checkbox(&mut edited.flags.magic_moment, "Magic moment");
        ui.checkbox(&mut edited.flags.memorabilia, "Memorabilia");
    });

    ui.section_heading("Senses");
    ui.horizontal_wrapped(|ui| {
        for s in Sense::ALL {
            let mut on = edited.senses.contains(&s);
            if ui.checkbox(&mut on, s.label()).changed() {
                if on {
                    edited.senses.insert(s);
                } else {
                    edited.senses.remove(&s);
                }
            }
        }
    });

    ui.section_heading("Cues");
    cues_ui(ui, &mut edited.cues, actions);

    ui.section_heading("Top task");
    top_task_ui(ui, &mut edited.top_task, actions);

    let findings: Vec<_> = cx.report.findings_for_touchpoint(&card.id).collect();
    if !findings.is_empty() {
        ui.section_heading("Findings");
        for f in findings {
            crate::ui::report::finding_row_ui(ui, f, actions);
        }
    }

    ui.add_space(14.0);
    if ui
        .button(RichText::new("Delete card").color(tokens::DANGER))
        .clicked()
    {
        actions.edit(Command::DeleteTouchpoints(vec![card.id.clone()]));
        actions.push(Action::Select(Selection::None));
    }

    if &edited != card {
        actions.edit(Command::UpdateTouchpoint(Box::new(edited)));
    }
}

pub(super) fn card_themes_ui(ui: &mut Ui, doc: &Document, edited: &mut Touchpoint) {
    if edited.themes.is_empty() {
        ui.caption("No theme yet: drag one from the Themes list onto the card, or add it here.");
    }
    let mut remove = None;
    for (i, id) in edited.themes.iter().enumerate() {
        let Some(theme) = doc.theme(id) else { continue };
        ui.horizontal(|ui| {
            ui.swatch(tokens::theme_color(theme.color), 14.0);
            ui.label(&theme.name);
            if ui
                .small_button("×")
                .on_hover_text(format!("Remove {} from this card", theme.name))
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        edited.themes.remove(i);
    }
    let missing: Vec<&Theme> = doc
        .themes
        .iter()
        .filter(|t| !edited.themes.contains(&t.id))
        .collect();
    if !missing.is_empty() {
        let _ = egui::ComboBox::from_id_salt("card-add-theme")
            .selected_text("Add theme…")
            .width(200.0)
            .show_ui(ui, |ui| {
                for t in missing {
                    if ui.selectable_label(false, &t.name).clicked() {
                        edited.themes.push(t.id.clone());
                    }
                }
            })
            .response
            .accessible_name("Add theme");
    }
}

pub(super) fn cues_ui(ui: &mut Ui, cues: &mut Vec<Cue>, actions: &mut Actions) {
    if cues.is_empty() {
        ui.caption("What does the guest notice here? Add positive cues, remove negative ones.");
    }
    let mut remove = None;
    for (i, cue) in cues.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let positive = cue.polarity == Polarity::Positive;
            let (sign, color) = if positive {
                ("+", tokens::GOOD)
            } else {
                ("−", tokens::DANGER)
            };
            if ui
                .button(RichText::new(sign).strong().color(color))
                .on_hover_text("Positive or negative cue (click to switch)")
                .clicked()
            {
                cue.polarity = if positive {
                    Polarity::Negative
                } else {
                    Polarity::Positive
                };
            }
            let resp = ui
                .add(
                    egui::TextEdit::singleline(&mut cue.text)
                        .char_limit(MAX_TITLE_CHARS)
                        .desired_width(220.0),
                )
                .accessible_name(if positive {
                    "Positive cue"
                } else {
                    "Negative cue"
                });
            crate::ui::widgets::focus_if_asked(ui.ctx(), new_cue_key(i), &resp, &cue.text);
            ui.gesture(&resp, actions, "edit cue");
            if ui
                .small_button("×")
                .on_hover_text("Remove this cue")
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        cues.remove(i);
    }
    ui.horizontal(|ui| {
        for (button, polarity) in [
            ("+ Positive cue", Polarity::Positive),
            ("+ Negative cue", Polarity::Negative),
        ] {
            if ui.button(button).clicked() {
                cues.push(Cue {
                    text: "New cue".into(),
                    polarity,
                });
                // Typing goes into the new cue, replacing the placeholder.
                crate::ui::widgets::ask_focus(ui.ctx(), new_cue_key(cues.len() - 1));
            }
        }
    });
}

/// Where [`cues_ui`] remembers that the cue at `index` was just added.
pub(super) fn new_cue_key(index: usize) -> egui::Id {
    egui::Id::unique(("new-cue", index))
}

/// Where the themes list asks the inspector to focus a new theme's name.
pub fn new_theme_key(theme: &crate::model::ThemeId) -> egui::Id {
    egui::Id::unique(("new-theme-name", theme.as_str()))
}

pub(super) fn opt_u32_ui(ui: &mut Ui, label: &str, value: &mut Option<u32>, actions: &mut Actions) {
    ui.label(label);
    ui.horizontal(|ui| {
        let mut on = value.is_some();
        let toggle = ui
            .checkbox(&mut on, "")
            .accessible_name(format!("{label} is measured"));
        if toggle.changed() {
            *value = on.then_some(value.unwrap_or(1));
        }
        if let Some(v) = value {
            let resp = ui
                .add(egui::DragValue::new(v).range(0..=10_000))
                .accessible_name(label);
            ui.gesture(&resp, actions, "edit top task");
        } else {
            ui.caption("not set");
        }
    });
    ui.end_row();
}

pub(super) fn opt_f64_ui(ui: &mut Ui, label: &str, value: &mut Option<f64>, actions: &mut Actions) {
    ui.label(label);
    ui.horizontal(|ui| {
        let mut on = value.is_some();
        let toggle = ui
            .checkbox(&mut on, "")
            .accessible_name(format!("{label} is measured"));
        if toggle.changed() {
            *value = on.then_some(value.unwrap_or(30.0));
        }
        if let Some(v) = value {
            let resp = ui
                .add(egui::DragValue::new(v).range(0.0..=86_400.0).suffix(" s"))
                .accessible_name(label);
            ui.gesture(&resp, actions, "edit top task");
        } else {
            ui.caption("not set");
        }
    });
    ui.end_row();
}

pub(super) fn top_task_ui(ui: &mut Ui, top: &mut Option<TopTask>, actions: &mut Actions) {
    let mut is_top = top.is_some();
    if ui
        .checkbox(&mut is_top, "A top task is done here")
        .changed()
    {
        *top = is_top.then(TopTask::default);
    }
    let Some(task) = top else { return };
    text_row(ui, "Task, in the customer's words", &mut task.task, actions);
    egui::Grid::new("top-task")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            opt_u32_ui(ui, "Steps", &mut task.steps, actions);
            opt_u32_ui(ui, "Step budget", &mut task.max_steps, actions);
            opt_f64_ui(ui, "Time", &mut task.seconds, actions);
            opt_f64_ui(ui, "Time budget", &mut task.max_seconds, actions);
        });
}
