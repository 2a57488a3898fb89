//! The inspector (right panel): edits whatever is selected (a card, a stage, a lane, a
//! theme), or, with nothing selected, shows the journey's coherence report.
//!
//! Each editor works on a copy of the element and queues one command when the copy differs
//! from the document; text fields and sliders wrap their edits in a gesture so a typed
//! title or a slider drag is one undo step.

use super::action::{Action, Actions, Selection};
use super::palette::ThemeCounts;
use super::report::{EvidenceSummary, report_ui};
use super::tokens;
use super::widgets::UiExt;
use crate::edit::Command;
use crate::model::{
    ChannelKind, Document, Lane, MAX_TEXT_CHARS, MAX_TITLE_CHARS, Moment, Stage, Theme, Touchpoint,
};
use crate::scoring::{Report, Target};
use egui::{Response, RichText, Ui};

mod card;
mod card_personas;
pub use card::new_theme_key;
use card::*;

/// Everything the inspector reads.
pub struct InspectorCtx<'a> {
    pub doc: &'a Document,
    pub selection: &'a Selection,
    pub report: &'a Report,
    /// Cards per theme, kept by the app between edits (a count per frame would pass over
    /// every card while a theme is selected).
    pub theme_counts: &'a ThemeCounts,
    /// The canvas's assumed cards, kept by the app between edits.
    pub evidence: &'a EvidenceSummary,
}

pub fn inspector_ui(ui: &mut Ui, cx: &InspectorCtx, actions: &mut Actions) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // egui's scroll bar floats over the content's right edge: keep the fields'
            // borders clear of it.
            let bar = ui.spacing().scroll.bar_width + ui.spacing().scroll.bar_outer_margin;
            ui.set_max_width((ui.available_width() - bar).max(0.0));
            ui.add_space(4.0);
            // The selected element's editor, or the report when nothing (that still
            // exists) is selected.
            let edited = match cx.selection {
                Selection::Cards(ids) if ids.len() == 1 => cx
                    .doc
                    .touchpoint(&ids[0])
                    .map(|card| card_ui(ui, cx, card, actions))
                    .is_some(),
                Selection::Cards(ids) if ids.len() > 1 => {
                    several_cards_ui(ui, cx, ids, actions);
                    true
                }
                Selection::Stage(id) => cx
                    .doc
                    .stage(id)
                    .map(|stage| stage_ui(ui, cx.doc, stage, actions))
                    .is_some(),
                Selection::Lane(id) => cx
                    .doc
                    .lane(id)
                    .map(|lane| lane_ui(ui, cx.doc, lane, actions))
                    .is_some(),
                Selection::Theme(id) => cx
                    .doc
                    .theme(id)
                    .map(|theme| theme_ui(ui, cx, theme, actions))
                    .is_some(),
                _ => false,
            };
            if !edited {
                report_ui(ui, cx.doc, cx.report, cx.evidence, actions);
            }
            ui.add_space(16.0);
        });
}

/// A labelled single-line text field inside a gesture.
/// Names, titles and keywords stop at the file format's limit for them.
fn text_row(ui: &mut Ui, label: &str, value: &mut String, actions: &mut Actions) {
    limited_row(ui, label, value, MAX_TITLE_CHARS, actions);
}

fn limited_row(ui: &mut Ui, label: &str, value: &mut String, max: usize, actions: &mut Actions) {
    // The field's response is for callers that focus it (a new theme's name).
    let _field = limited_field(ui, label, value, max, actions);
}

/// A labelled single-line text field inside a gesture, returning the field.
fn limited_field(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    max: usize,
    actions: &mut Actions,
) -> Response {
    ui.label(label);
    let resp = ui
        .add(
            egui::TextEdit::singleline(value)
                .char_limit(max)
                .desired_width(f32::INFINITY),
        )
        .accessible_name(label);
    ui.gesture(&resp, actions, "edit text");
    ui.limit_note(value, max);
    resp
}

fn multiline_row(ui: &mut Ui, label: &str, value: &mut String, actions: &mut Actions) {
    ui.label(label);
    let resp = ui
        .add(
            egui::TextEdit::multiline(value)
                .char_limit(MAX_TEXT_CHARS)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .accessible_name(label);
    ui.gesture(&resp, actions, "edit text");
    ui.limit_note(value, MAX_TEXT_CHARS);
}

fn emotion_label(e: i8) -> &'static str {
    match e {
        i8::MIN..=-2 => "very negative",
        -1 => "negative",
        0 => "neutral",
        1 => "positive",
        _ => "delighted",
    }
}

fn several_cards_ui(
    ui: &mut Ui,
    cx: &InspectorCtx,
    ids: &[crate::model::TouchpointId],
    actions: &mut Actions,
) {
    ui.heading(format!("{} cards selected", ids.len()));
    ui.caption("Drag them together on the canvas, or give them all a theme.");
    ui.section_heading("Assign a theme to all");
    if cx.doc.themes.is_empty() {
        ui.empty_state("No themes yet. Add one in the Themes list on the left.");
    }
    ui.horizontal_wrapped(|ui| {
        for t in &cx.doc.themes {
            let resp = ui.button(&t.name);
            if resp.clicked() {
                actions.edit(Command::AssignTheme {
                    theme: t.id.clone(),
                    touchpoints: ids.to_vec(),
                });
            }
        }
    });
    ui.add_space(14.0);
    if ui
        .button(RichText::new(format!("Delete {} cards", ids.len())).color(tokens::DANGER))
        .clicked()
    {
        actions.edit(Command::DeleteTouchpoints(ids.to_vec()));
        actions.push(Action::Select(Selection::None));
    }
}

fn cards_where(doc: &Document, pred: impl Fn(&Touchpoint) -> bool) -> usize {
    doc.touchpoints.iter().filter(|t| pred(t)).count()
}

fn stage_ui(ui: &mut Ui, doc: &Document, stage: &Stage, actions: &mut Actions) {
    let mut edited = stage.clone();
    let index = doc.stage_index(&stage.id).unwrap_or(0);
    ui.heading("Stage");
    text_row(ui, "Name", &mut edited.name, actions);
    ui.label("Moment of truth");
    let _ = egui::ComboBox::from_id_salt("stage-moment")
        .width(260.0)
        .selected_text(edited.moment.map_or("None", Moment::label))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut edited.moment, None, "None");
            for m in Moment::ALL {
                ui.selectable_value(&mut edited.moment, Some(m), m.label())
                    .on_hover_text(m.description());
            }
        })
        .response
        .accessible_name("Moment of truth");
    if let Some(m) = edited.moment {
        ui.caption(m.description());
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(index > 0, egui::Button::new("Move left"))
            .clicked()
        {
            actions.edit(Command::MoveStage {
                id: stage.id.clone(),
                to: index - 1,
            });
        }
        if ui
            .add_enabled(
                index + 1 < doc.stages.len(),
                egui::Button::new("Move right"),
            )
            .clicked()
        {
            actions.edit(Command::MoveStage {
                id: stage.id.clone(),
                to: index + 1,
            });
        }
    });
    if ui.button("+ Add a stage after this one").clicked() {
        let id = crate::model::StageId::new(doc.fresh_id(crate::model::StageId::PREFIX));
        actions.edit(Command::AddStage {
            index: index + 1,
            stage: Stage {
                id: id.clone(),
                name: "New stage".into(),
                moment: None,
                extra: Default::default(),
            },
        });
        actions.push(Action::Select(Selection::Stage(id)));
    }
    let n = cards_where(doc, |t| t.stage == stage.id);
    delete_button_ui(
        ui,
        doc.stages.len() > 1,
        "stage",
        n,
        Command::DeleteStage(stage.id.clone()),
        actions,
    );
    if edited != *stage {
        actions.edit(Command::UpdateStage(edited));
    }
}

fn delete_button_ui(
    ui: &mut Ui,
    allowed: bool,
    what: &str,
    cards: usize,
    cmd: Command,
    actions: &mut Actions,
) {
    ui.add_space(14.0);
    let label = match cards {
        0 => format!("Delete {what}"),
        1 => format!("Delete {what} and its card"),
        n => format!("Delete {what} and its {n} cards"),
    };
    let resp = ui.add_enabled(
        allowed,
        egui::Button::new(RichText::new(label).color(tokens::DANGER)),
    );
    if !allowed {
        resp.on_disabled_hover_text(format!("A canvas needs at least one {what}"));
    } else if resp.on_hover_text("Undo brings everything back").clicked() {
        actions.edit(cmd);
        actions.push(Action::Select(Selection::None));
    }
}

fn lane_ui(ui: &mut Ui, doc: &Document, lane: &Lane, actions: &mut Actions) {
    let mut edited = lane.clone();
    let index = doc.lane_index(&lane.id).unwrap_or(0);
    ui.heading("Lane");
    text_row(ui, "Name", &mut edited.name, actions);
    ui.label("Kind of channel");
    let _ = egui::ComboBox::from_id_salt("lane-kind")
        .width(260.0)
        .selected_text(edited.kind.label())
        .show_ui(ui, |ui| {
            for k in ChannelKind::ALL {
                ui.selectable_value(&mut edited.kind, k, k.label());
            }
        })
        .response
        .accessible_name("Kind of channel");
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(index > 0, egui::Button::new("Move up"))
            .clicked()
        {
            actions.edit(Command::MoveLane {
                id: lane.id.clone(),
                to: index - 1,
            });
        }
        if ui
            .add_enabled(index + 1 < doc.lanes.len(), egui::Button::new("Move down"))
            .clicked()
        {
            actions.edit(Command::MoveLane {
                id: lane.id.clone(),
                to: index + 1,
            });
        }
    });
    if ui.button("+ Add a lane below this one").clicked() {
        let id = crate::model::LaneId::new(doc.fresh_id(crate::model::LaneId::PREFIX));
        actions.edit(Command::AddLane {
            index: index + 1,
            lane: Lane {
                id: id.clone(),
                name: "New lane".into(),
                kind: lane.kind,
                extra: Default::default(),
            },
        });
        actions.push(Action::Select(Selection::Lane(id)));
    }
    let n = cards_where(doc, |t| t.lane == lane.id);
    delete_button_ui(
        ui,
        doc.lanes.len() > 1,
        "lane",
        n,
        Command::DeleteLane(lane.id.clone()),
        actions,
    );
    if edited != *lane {
        actions.edit(Command::UpdateLane(edited));
    }
}

fn theme_ui(ui: &mut Ui, cx: &InspectorCtx, theme: &Theme, actions: &mut Actions) {
    let mut edited = theme.clone();
    ui.heading("Theme");
    let carriers = cx.theme_counts.get(&theme.id).copied().unwrap_or(0);
    ui.caption(&match carriers {
        0 => "No card carries it yet: drag it from the list onto cards.".to_owned(),
        1 => "1 card carries it; its thread is highlighted on the canvas.".to_owned(),
        n => format!("{n} cards carry it; its thread is highlighted on the canvas."),
    });
    let name = limited_field(ui, "Name", &mut edited.name, MAX_TITLE_CHARS, actions);
    super::widgets::focus_if_asked(ui.ctx(), new_theme_key(&theme.id), &name, &edited.name);
    ui.horizontal(|ui| {
        ui.label("Colour");
        let mut rgb = [edited.color.r, edited.color.g, edited.color.b];
        let resp = ui.color_edit_button_srgb(&mut rgb);
        ui.gesture(&resp, actions, "edit theme colour");
        edited.color = crate::model::Color::rgb(rgb[0], rgb[1], rgb[2]);
    });
    ui.section_heading("Intent");
    limited_row(
        ui,
        "What people should feel",
        &mut edited.intent.feel,
        MAX_TEXT_CHARS,
        actions,
    );
    limited_row(
        ui,
        "…think",
        &mut edited.intent.think,
        MAX_TEXT_CHARS,
        actions,
    );
    limited_row(
        ui,
        "…share",
        &mut edited.intent.share,
        MAX_TEXT_CHARS,
        actions,
    );
    ui.section_heading("Tone");
    // While the field has focus its raw text lives in egui's memory, so that a trailing
    // ", " survives until the next keyword is typed.
    let buffer_id = egui::Id::unique(("tone-buffer", theme.id.as_str()));
    let mut tone = ui
        .data(|d| d.get_temp::<String>(buffer_id))
        .unwrap_or_else(|| edited.tone.join(", "));
    let resp = ui
        .add(
            egui::TextEdit::singleline(&mut tone)
                .hint_text("warm, playful, precise")
                .desired_width(f32::INFINITY),
        )
        .accessible_name("Tone");
    ui.gesture(&resp, actions, "edit tone");
    if resp.has_focus() {
        ui.data_mut(|d| d.insert_temp(buffer_id, tone.clone()));
    } else {
        ui.data_mut(|d| d.remove::<String>(buffer_id));
    }
    if resp.changed() {
        edited.tone = tone
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
    }
    ui.caption("A few keywords, separated by commas.");
    ui.add_space(14.0);
    if ui
        .button(RichText::new("Delete theme").color(tokens::DANGER))
        .on_hover_text("Takes it off every card; undo brings it back")
        .clicked()
    {
        actions.edit(Command::DeleteTheme(theme.id.clone()));
        actions.push(Action::Select(Selection::None));
        return;
    }
    if edited != *theme {
        actions.edit(Command::UpdateTheme(edited));
    }
}

/// Targets of a finding that are cards (the ones a click selects).
pub fn card_targets(targets: &[Target]) -> Vec<crate::model::TouchpointId> {
    targets
        .iter()
        .filter_map(|t| match t {
            Target::Touchpoint(id) => Some(id.clone()),
            _ => None,
        })
        .collect()
}
