//! The in-place title editor over a card (double-click a card, or a cell to add one).

use super::state::{CanvasCtx, CanvasState};
use crate::edit::Command;
use crate::scene;
use crate::ui::action::{Action, Actions};
use crate::ui::tokens;
use egui::{Rect, Ui, vec2};

/// The in-place title editor over a card: Enter or clicking away keeps the text, Escape
/// drops it. One command, so one undo step.
pub(super) fn title_edit_ui(
    ui: &mut Ui,
    st: &mut CanvasState,
    cx: &CanvasCtx,
    actions: &mut Actions,
) {
    // However the editing ends, a gesture it was closing is closed.
    let end_gesture = |st: &mut CanvasState, actions: &mut Actions| {
        if std::mem::take(&mut st.title_ends_gesture) {
            actions.push(Action::Commit);
        }
    };
    let Some((id, mut text)) = st.title_edit.take() else {
        end_gesture(st, actions);
        return;
    };
    let (Some(card), Some(r)) = (cx.doc.touchpoint(&id), st.card_screen_rect(&id)) else {
        end_gesture(st, actions);
        return;
    };
    let font = tokens::regular((scene::style::CARD_TITLE_SIZE * st.view.zoom).max(11.0));
    let edit_rect = Rect::from_min_size(
        r.min + vec2(4.0, 10.0 * st.view.zoom),
        vec2(r.width() - 8.0, font.size * 2.6),
    );
    let out = ui
        .scope_builder(egui::UiBuilder::new().max_rect(edit_rect), |ui| {
            egui::TextEdit::multiline(&mut text)
                .char_limit(crate::model::MAX_TITLE_CHARS)
                .font(font)
                .desired_width(edit_rect.width())
                .desired_rows(2)
                .id_salt(("title-edit", id.as_str()))
                .show(ui)
        })
        .inner;
    let resp = out.response.response.clone().accessible_name("Card title");
    if !resp.has_focus() && !resp.lost_focus() {
        // Opening: the text is selected, so typing replaces a placeholder title.
        crate::ui::widgets::focus_select_all(ui.ctx(), &resp, &text);
    }
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
    if escape {
        // Escape right after a double-click made the card takes the card back too.
        if std::mem::take(&mut st.title_ends_gesture) {
            actions.push(Action::Abort);
        }
        return;
    }
    if enter || resp.lost_focus() {
        let title = text.trim().to_owned();
        if !title.is_empty() && title != card.title {
            let mut edited = card.clone();
            edited.title = title;
            actions.edit(Command::UpdateTouchpoint(Box::new(edited)));
        }
        end_gesture(st, actions);
        return;
    }
    st.title_edit = Some((id, text));
}
