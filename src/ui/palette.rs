//! The left panel: the palette of touchpoint kinds to drag onto the canvas, the themes
//! list (drag a theme onto cards; click to see its thread), and the canvas structure
//! (add stages and lanes).

use super::action::{Action, Actions, Selection};
use super::tokens;
use super::widgets::UiExt;
use crate::edit::Command;
use crate::model::{
    ChannelKind, Color, Document, Extra, Intent, Lane, LaneId, Stage, StageId, Theme, ThemeId,
};
use egui::{Color32, RichText, Sense, Ui, Vec2};

/// What is being dragged from the side panels onto the canvas.
#[derive(Clone, Debug, PartialEq)]
pub enum DragPayload {
    /// A new card of this kind.
    NewCard(ChannelKind),
    /// A theme to assign.
    Theme(ThemeId),
}

/// The colour that marks a kind of touchpoint in the palette.
pub fn kind_color(kind: ChannelKind) -> Color32 {
    match kind {
        ChannelKind::Digital => tokens::KIND_DIGITAL,
        ChannelKind::Physical => tokens::KIND_PHYSICAL,
        ChannelKind::Human => tokens::KIND_HUMAN,
        ChannelKind::Backstage => tokens::KIND_BACKSTAGE,
    }
}

fn kind_hint(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Digital => "web, app, e-mail, social",
        ChannelKind::Physical => "a place or a thing",
        ChannelKind::Human => "staff, phone, counter",
        ChannelKind::Backstage => "employees and systems",
    }
}

/// Theme colours offered to new themes, in turn.
const THEME_COLORS: [Color; 8] = [
    Color::rgb(0xd9, 0x48, 0x3b),
    Color::rgb(0x2f, 0x7f, 0xc1),
    Color::rgb(0x2e, 0x9e, 0x5b),
    Color::rgb(0x8a, 0x56, 0xc2),
    Color::rgb(0xe6, 0x91, 0x38),
    Color::rgb(0x14, 0x9c, 0xa8),
    Color::rgb(0xc2, 0x4f, 0x8e),
    Color::rgb(0x7a, 0x6a, 0x3a),
];

/// A tile that can be clicked or dragged onto the canvas (the canvas draws the preview
/// of the drop). Returns its response.
fn tile_ui(
    ui: &mut Ui,
    id: egui::Id,
    payload: DragPayload,
    color: Color32,
    title: &str,
    hint: &str,
) -> egui::Response {
    let frame = egui::Frame::new()
        .fill(ui.visuals().extreme_bg_color)
        .stroke(egui::Stroke::new(
            1.0,
            ui.visuals().widgets.noninteractive.bg_stroke.color,
        ))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(8, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(Vec2::new(5.0, 30.0), Sense::hover());
                ui.painter().rect_filled(r, 2.0, color);
                ui.vertical(|ui| {
                    ui.add(egui::Label::new(RichText::new(title).strong()).selectable(false));
                    ui.add(
                        egui::Label::new(
                            RichText::new(hint)
                                .size(tokens::SMALL_SIZE)
                                .color(tokens::muted(ui)),
                        )
                        .selectable(false),
                    );
                });
            });
        });
    let resp = ui
        .interact(frame.response.rect, id, Sense::click_and_drag())
        .on_hover_cursor(egui::CursorIcon::Grab);
    resp.dnd_set_drag_payload(payload);
    if resp.hovered() || resp.dragged() {
        ui.painter().rect_stroke(
            resp.rect,
            6.0,
            egui::Stroke::new(1.0, tokens::ACCENT),
            egui::StrokeKind::Inside,
        );
    }
    resp
}

/// Cards carrying each theme; the app computes it once per document revision.
pub type ThemeCounts = crate::IdMap<ThemeId, usize>;

/// Counts the cards carrying each theme.
pub fn theme_counts(doc: &Document) -> ThemeCounts {
    let mut counts = ThemeCounts::default();
    for t in &doc.touchpoints {
        for id in &t.themes {
            // The id is copied once per theme, not once per card that carries it (200,000
            // copies at 100,000 cards, redone after every edit).
            match counts.get_mut(id) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(id.clone(), 1);
                }
            }
        }
    }
    counts
}

pub fn palette_ui(
    ui: &mut Ui,
    doc: &Document,
    theme_counts: &ThemeCounts,
    selection: &Selection,
    actions: &mut Actions,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(4.0);
            ui.heading("Touchpoints");
            ui.caption("Drag onto a cell of the canvas, or double-click a cell");
            for kind in ChannelKind::ALL {
                tile_ui(
                    ui,
                    egui::Id::unique(("palette", kind)),
                    DragPayload::NewCard(kind),
                    kind_color(kind),
                    kind.label(),
                    kind_hint(kind),
                )
                .on_hover_text(format!(
                    "Drag onto the canvas to add a {} touchpoint",
                    kind.label().to_lowercase()
                ));
            }
            ui.add_space(8.0);
            themes_ui(ui, doc, theme_counts, selection, actions);
            ui.add_space(8.0);
            structure_ui(ui, doc, actions);
        });
}

fn themes_ui(
    ui: &mut Ui,
    doc: &Document,
    theme_counts: &ThemeCounts,
    selection: &Selection,
    actions: &mut Actions,
) {
    ui.horizontal(|ui| {
        ui.heading("Themes");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("+ Theme")
                .on_hover_text("Add an orchestration theme")
                .clicked()
            {
                let id = ThemeId::new(doc.fresh_id(ThemeId::PREFIX));
                let color = THEME_COLORS[doc.themes.len() % THEME_COLORS.len()];
                actions.edit(Command::AddTheme {
                    index: doc.themes.len(),
                    theme: Theme {
                        id: id.clone(),
                        name: format!("Theme {}", doc.themes.len() + 1),
                        color,
                        intent: Intent::default(),
                        tone: Vec::new(),
                        extra: Extra::new(),
                    },
                });
                // The inspector then shows the theme with its name ready to be typed over.
                super::widgets::ask_focus(ui.ctx(), super::inspector::new_theme_key(&id));
                actions.push(Action::Select(Selection::Theme(id)));
            }
        });
    });
    if doc.themes.is_empty() {
        ui.empty_state(
            "No themes yet. Add one, then drag it onto cards to orchestrate the journey.",
        );
        return;
    }
    ui.caption("Drag onto a card, a stage or a lane; click to see its thread");
    for theme in &doc.themes {
        let count = theme_counts.get(&theme.id).copied().unwrap_or(0);
        let selected = matches!(selection, Selection::Theme(id) if *id == theme.id);
        let resp = tile_ui(
            ui,
            egui::Id::unique(("theme-tile", theme.id.as_str())),
            DragPayload::Theme(theme.id.clone()),
            tokens::theme_color(theme.color),
            &theme.name,
            &match count {
                0 => "on no card yet".to_owned(),
                1 => "on 1 card".to_owned(),
                n => format!("on {n} cards"),
            },
        );
        if selected {
            ui.painter().rect_stroke(
                resp.rect,
                6.0,
                egui::Stroke::new(2.0, tokens::ACCENT),
                egui::StrokeKind::Inside,
            );
        }
        if resp.clicked() {
            actions.push(Action::Select(if selected {
                Selection::None
            } else {
                Selection::Theme(theme.id.clone())
            }));
        }
    }
}

fn structure_ui(ui: &mut Ui, doc: &Document, actions: &mut Actions) {
    ui.heading("Structure");
    ui.caption("Click a stage or lane header on the canvas to rename, move or delete it");
    ui.horizontal(|ui| {
        if ui
            .button("+ Stage")
            .on_hover_text("Add a stage at the end of the journey")
            .clicked()
        {
            let id = StageId::new(doc.fresh_id(StageId::PREFIX));
            actions.edit(Command::AddStage {
                index: doc.stages.len(),
                stage: Stage {
                    id: id.clone(),
                    name: "New stage".into(),
                    moment: None,
                    extra: Extra::new(),
                },
            });
            actions.push(Action::Select(Selection::Stage(id)));
        }
        if ui
            .button("+ Lane")
            .on_hover_text("Add a channel lane at the bottom")
            .clicked()
        {
            let id = LaneId::new(doc.fresh_id(LaneId::PREFIX));
            actions.edit(Command::AddLane {
                index: doc.lanes.len(),
                lane: Lane {
                    id: id.clone(),
                    name: "New lane".into(),
                    kind: ChannelKind::Digital,
                    extra: Extra::new(),
                },
            });
            actions.push(Action::Select(Selection::Lane(id)));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Touchpoint, TouchpointId};

    #[test]
    fn theme_counts_count_the_cards_carrying_each_theme() {
        let mut doc = Document::new_canvas();
        let card = |id: &str, themes: &[&str]| {
            let mut tp = Touchpoint::new(
                TouchpointId::from(id),
                id,
                doc.stages[0].id.clone(),
                doc.lanes[0].id.clone(),
            );
            tp.themes = themes.iter().map(|t| ThemeId::from(*t)).collect();
            tp
        };
        let cards = vec![
            card("a", &["warm", "calm"]),
            card("b", &["warm"]),
            card("c", &[]),
            card("d", &["warm", "fast"]),
        ];
        doc.touchpoints = cards;
        let counts = theme_counts(&doc);
        assert_eq!(counts.get(&ThemeId::from("warm")), Some(&3));
        assert_eq!(counts.get(&ThemeId::from("calm")), Some(&1));
        assert_eq!(counts.get(&ThemeId::from("fast")), Some(&1));
        assert_eq!(counts.len(), 3);
    }
}
