//! The card editor's Personas rows: which personas the card concerns (all, or some), and
//! the emotion it leaves each of them with, which defaults to the card's own emotion.

use super::emotion_label;
use crate::model::{Document, EMOTION_MAX, EMOTION_MIN, Touchpoint};
use crate::ui::action::Actions;
use crate::ui::tokens;
use crate::ui::widgets::UiExt;
use egui::{RichText, Ui};

/// Edits `edited`'s personas and its emotions per persona (nothing on a canvas without
/// personas). The caller turns the edited copy into one command.
pub(super) fn card_personas_ui(
    ui: &mut Ui,
    doc: &Document,
    edited: &mut Touchpoint,
    actions: &mut Actions,
) {
    if doc.personas.is_empty() {
        return;
    }
    ui.section_heading("Personas");
    ui.caption("Whose journey this card is part of, and how it leaves each of them.");
    // A persona per block: its name on a line of its own (names can be long, and a row
    // of name, slider and value made the inspector wider than its panel), then the
    // slider and the value, indented under the box.
    let indent = ui.spacing().icon_width + ui.spacing().icon_spacing;
    for persona in &doc.personas {
        ui.push_id(persona.id.as_str(), |ui| {
            let name = persona.display_name().to_owned();
            let c = persona.color;
            let mut on = edited.concerns(&persona.id);
            let resp = ui
                .checkbox(&mut on, RichText::new(&name).color(tokens::theme_color(c)))
                .accessible_name(format!("Concerns {name}"));
            if resp.changed() {
                set_concerns(doc, edited, &persona.id, on);
            }
            let mut e = edited.emotion_for(&persona.id);
            ui.horizontal_wrapped(|ui| {
                ui.add_space(indent);
                ui.add_enabled_ui(on, |ui| {
                    ui.spacing_mut().slider_width = 110.0;
                    let resp = ui
                        .add(
                            egui::Slider::new(&mut e, EMOTION_MIN..=EMOTION_MAX)
                                .step_by(1.0)
                                .show_value(false),
                        )
                        .accessible_name(format!("Emotion for {name}"));
                    ui.gesture(&resp, actions, "edit emotion");
                });
                if on && e != edited.emotion_for(&persona.id) {
                    if e == edited.emotion {
                        edited.emotions.remove(&persona.id);
                    } else {
                        edited.emotions.insert(persona.id.clone(), e);
                    }
                }
                let own = if edited.emotions.contains_key(&persona.id) {
                    ""
                } else {
                    " (the card's)"
                };
                ui.label(format!("{e:+} {}{own}", emotion_label(e)));
            });
        });
        ui.add_space(2.0);
    }
}

/// Puts the card in or out of a persona's journey. A card in every persona's journey
/// says so by listing none (it then concerns personas added later too); out of one, it
/// lists the others, and its emotion for that persona goes.
fn set_concerns(
    doc: &Document,
    card: &mut Touchpoint,
    persona: &crate::model::PersonaId,
    on: bool,
) {
    let mut list: Vec<_> = match &card.personas {
        Some(list) => list.clone(),
        None => doc.personas.iter().map(|p| p.id.clone()).collect(),
    };
    if on {
        if !list.contains(persona) {
            list.push(persona.clone());
        }
    } else {
        list.retain(|p| p != persona);
        card.emotions.remove(persona);
    }
    let all = doc.personas.iter().all(|p| list.contains(&p.id));
    card.personas = if all {
        None
    } else {
        // In the canvas's order of personas, so that files diff cleanly.
        Some(
            doc.personas
                .iter()
                .map(|p| p.id.clone())
                .filter(|id| list.contains(id))
                .collect(),
        )
    };
}
