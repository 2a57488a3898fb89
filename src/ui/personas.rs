//! The Personas section of the inspector (shown with the journey, when nothing is
//! selected): each persona's picture, name, goal and description, a picture picked from a
//! PNG or JPEG file (through the system's dialog, or a typed path when there is none), and
//! adding and removing personas. Every change is a command (`AddPersona`, `UpdatePersona`,
//! `RemovePersona`); a typed text is one undo step.

use super::action::Actions;
use super::tokens;
use super::widgets::UiExt;
use crate::edit::Command;
use crate::model::{
    Document, MAX_PERSONAS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, Persona, PersonaId, next_persona_color,
};
use egui::{RichText, Ui};
use std::path::PathBuf;

/// Side of a persona's picture in the inspector, in points.
const PICTURE_SIDE: f32 = 48.0;

/// What the section keeps between frames for one persona (in egui's temporary memory,
/// never in the document): the typed picture path and the last problem with it.
#[derive(Clone, Default)]
struct PickState {
    path: String,
    problem: Option<String>,
}

pub fn personas_ui(ui: &mut Ui, doc: &Document, actions: &mut Actions) {
    ui.add_space(10.0);
    // Closed by default once there are personas: the report under it stays in view.
    egui::CollapsingHeader::new(
        RichText::new(format!("Personas ({})", doc.personas.len())).font(tokens::bold(16.0)),
    )
    .id_salt("personas-section")
    .default_open(doc.personas.is_empty())
    .show(ui, |ui| personas_list_ui(ui, doc, actions));
}

fn personas_list_ui(ui: &mut Ui, doc: &Document, actions: &mut Actions) {
    if doc.personas.is_empty() {
        ui.caption("Who lives this journey? Add the people whose journey it is; each gets a line on the emotion curve.");
    }
    for (k, persona) in doc.personas.iter().enumerate() {
        ui.push_id(("persona", persona.id.as_str()), |ui| {
            persona_ui(ui, k, persona, actions);
        });
        ui.separator();
    }
    let full = doc.personas.len() >= MAX_PERSONAS;
    if ui
        .add_enabled(!full, egui::Button::new("Add persona"))
        .on_hover_text("A new persona, with its own line on the emotion curve")
        .clicked()
    {
        let id = PersonaId::new(doc.fresh_id(PersonaId::PREFIX));
        let n = doc.personas.len() + 1;
        actions.edit(Command::AddPersona(Persona::new(
            id,
            format!("Persona {n}"),
            next_persona_color(&doc.personas),
        )));
    }
}

fn persona_ui(ui: &mut Ui, k: usize, persona: &Persona, actions: &mut Actions) {
    let n = k + 1;
    let mut edited = persona.clone();
    let state_id = ui.scope_id().with("pick");
    let mut pick: PickState = ui.data(|d| d.get_temp(state_id)).unwrap_or_default();
    ui.horizontal(|ui| {
        picture_ui(ui, persona);
        ui.vertical(|ui| {
            ui.label(RichText::new(format!("Persona {n}")).strong());
            let resp = ui
                .add(
                    egui::TextEdit::singleline(&mut edited.name)
                        .char_limit(MAX_TITLE_CHARS)
                        .hint_text("Name")
                        .desired_width(f32::INFINITY),
                )
                .accessible_name(format!("Persona {n} name"));
            ui.gesture(&resp, actions, "rename persona");
        });
    });
    ui.label("Goal");
    let resp = ui
        .add(
            egui::TextEdit::singleline(&mut edited.goal)
                .char_limit(MAX_TEXT_CHARS)
                .hint_text("What do they come to do?")
                .desired_width(f32::INFINITY),
        )
        .accessible_name(format!("Persona {n} goal"));
    ui.gesture(&resp, actions, "edit persona");
    ui.label("Description");
    let resp = ui
        .add(
            egui::TextEdit::multiline(&mut edited.description)
                .char_limit(MAX_TEXT_CHARS)
                .desired_rows(2)
                .hint_text("A few words about them")
                .desired_width(f32::INFINITY),
        )
        .accessible_name(format!("Persona {n} description"));
    ui.gesture(&resp, actions, "edit persona");
    ui.horizontal(|ui| {
        ui.label("Colour");
        let c = edited.color;
        let mut rgb = [c.r, c.g, c.b];
        if ui
            .color_edit_button_srgb(&mut rgb)
            .accessible_name(format!("Persona {n} colour"))
            .changed()
        {
            edited.color = crate::model::Color::rgb(rgb[0], rgb[1], rgb[2]);
        }
    });
    ui.label("Picture (PNG or JPEG)");
    ui.horizontal_wrapped(|ui| {
        let resp = ui
            .add(
                egui::TextEdit::singleline(&mut pick.path)
                    .hint_text("path/to/picture.png")
                    .desired_width(150.0),
            )
            .accessible_name(format!("Persona {n} picture file"));
        let typed_enter = resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let mut chosen: Option<PathBuf> = None;
        if ui
            .button("Choose…")
            .accessible_name(format!("Choose picture for persona {n}"))
            .on_hover_text("Pick a PNG or JPEG file")
            .clicked()
        {
            match crate::ui::files::pick_picture() {
                crate::ui::files::Picked::Path(p) => chosen = Some(p),
                crate::ui::files::Picked::Cancelled => {}
                crate::ui::files::Picked::Unavailable => {
                    pick.problem = Some(
                        "No file dialog is available here: type the picture's path and press Set."
                            .to_owned(),
                    );
                }
            }
        }
        if (ui
            .button("Set")
            .accessible_name(format!("Set picture of persona {n}"))
            .clicked()
            || typed_enter)
            && !pick.path.trim().is_empty()
        {
            chosen = Some(PathBuf::from(pick.path.trim()));
        }
        if let Some(path) = chosen {
            // A failed pick changes nothing in the document and keeps the typed path.
            match crate::io::picture::picture_from_file(&path) {
                Ok(uri) => {
                    edited.picture = Some(uri);
                    pick = PickState::default();
                }
                Err(why) => pick.problem = Some(why),
            }
        }
        if persona.picture.is_some()
            && ui
                .button("Remove picture")
                .accessible_name(format!("Remove picture of persona {n}"))
                .clicked()
        {
            edited.picture = None;
        }
    });
    if let Some(problem) = &pick.problem {
        ui.label(
            RichText::new(problem)
                .size(tokens::SMALL_SIZE)
                .color(tokens::WARNING),
        );
    }
    ui.data_mut(|d| d.insert_temp(state_id, pick));
    if ui
        .button("Remove persona")
        .accessible_name(format!("Remove persona {n}"))
        .on_hover_text("Remove this persona and take it off every card")
        .clicked()
    {
        actions.edit(Command::RemovePersona(persona.id.clone()));
        return;
    }
    if edited != *persona {
        actions.edit(Command::UpdatePersona(edited));
    }
}

/// The persona's picture, or a disc of its colour with its initial.
fn picture_ui(ui: &mut Ui, persona: &Persona) {
    let size = egui::vec2(PICTURE_SIDE, PICTURE_SIDE);
    if let Some(texture) = persona
        .picture
        .as_deref()
        .and_then(|uri| picture_texture(ui.ctx(), uri))
    {
        ui.add(
            egui::Image::new((texture.id(), size))
                .corner_radius(PICTURE_SIDE / 2.0)
                .alt_text(format!("Picture of {}", persona.display_name())),
        );
        return;
    }
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let c = persona.color;
    let fill = tokens::theme_color(c);
    ui.painter()
        .circle_filled(rect.center(), PICTURE_SIDE / 2.0, fill);
    let initial: String = persona
        .display_name()
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    ui.painter().text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        initial,
        tokens::regular(tokens::INITIAL_SIZE),
        tokens::ON_SWATCH,
    );
}

/// The picture as a texture, decoded once per picture and kept in egui's memory; `None`
/// when its data does not decode.
pub fn picture_texture(ctx: &egui::Context, uri: &str) -> Option<egui::TextureHandle> {
    let key = egui::Id::unique(("persona-picture", uri));
    if let Some(t) = ctx.data(|d| d.get_temp::<Option<egui::TextureHandle>>(key)) {
        return t;
    }
    let texture = crate::io::picture::picture_pixels(uri).map(|(w, h, px)| {
        let image = egui::ColorImage::from_rgba_unmultiplied([w as usize, h as usize], &px);
        ctx.load_texture("persona-picture", image, egui::TextureOptions::LINEAR)
    });
    ctx.data_mut(|d| d.insert_temp(key, texture.clone()));
    texture
}
