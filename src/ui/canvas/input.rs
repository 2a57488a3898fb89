//! The canvas's control side: pointer and keyboard input turned into view changes,
//! gestures and actions (select, rubber band, move cards, draw flows, drop palette items
//! and themes, select and drag points of the emotion curve). Nothing here changes the
//! document: commands go on the action queue.

use super::state::{CanvasCtx, CanvasState, Gesture};
use crate::edit::{Command, FreshIds, Placement};
use crate::model::{
    Actor, CellPos, ChannelKind, Document, Flow, FlowId, LaneId, PersonaId, StageId, Touchpoint,
    TouchpointId,
};
use crate::scene::{self, Hit, Layout, Point};
use crate::ui::action::{Action, Actions, Selection};
use crate::ui::palette::DragPayload;
use egui::{Response, Ui, Vec2, vec2};

/// Pan (scroll, middle drag, space+drag) and zoom (Ctrl+wheel, pinch) around the pointer.
pub(super) fn view_input(ui: &Ui, st: &mut CanvasState, resp: &Response) {
    let area = st.area;
    if resp.hovered() || resp.dragged() || resp.contains_pointer() {
        let (scroll, zoom, pointer) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if let Some(p) = pointer
            && area.contains(p)
        {
            if zoom != 1.0 {
                st.view.zoom_around(area, p, zoom);
            } else if scroll != Vec2::ZERO {
                st.view.offset += scroll;
            }
        }
    }
    let space = ui.input(|i| i.key_down(egui::Key::Space)) && !ui.ctx().egui_wants_keyboard_input();
    if resp.dragged_by(egui::PointerButton::Middle)
        || (resp.dragged_by(egui::PointerButton::Primary) && (space || st.gesture == Gesture::Pan))
    {
        if resp.drag_started_by(egui::PointerButton::Primary) && space {
            st.gesture = Gesture::Pan;
        }
        if matches!(st.gesture, Gesture::None | Gesture::Pan) {
            st.view.offset += resp.drag_delta();
        }
    }
    if st.gesture == Gesture::Pan && resp.drag_stopped() {
        st.gesture = Gesture::None;
    }
}

/// Where a side-panel drag would land, for highlighting and dropping.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum DropTarget {
    /// A new card in a cell.
    Cell(scene::Rect),
    /// A theme onto cards (one card, or every card of a stage or lane).
    Cards(Vec<TouchpointId>, scene::Rect),
}

/// Palette items and themes dragged from the side panels onto the canvas: where they
/// would land while dragged, the command when let go.
pub(super) fn payload_input(
    ui: &Ui,
    st: &CanvasState,
    cx: &CanvasCtx,
    actions: &mut Actions,
) -> Option<(DropTarget, DragPayload)> {
    let payload = egui::DragAndDrop::payload::<DragPayload>(ui.ctx())?;
    let pointer = ui.input(|i| i.pointer.interact_pos()).or(st.last_pointer)?;
    if !st.area.contains(pointer) {
        return None;
    }
    let p = st.canvas_point(pointer);
    let target = drop_target(st, cx, &payload, p)?;
    if ui.input(|i| i.pointer.any_released()) {
        egui::DragAndDrop::clear_payload(ui.ctx());
        drop_payload(st, cx, &payload, &target, p, actions);
        return None;
    }
    Some((target, (*payload).clone()))
}

/// What `payload` would land on at `p`: a cell for a new card; a card, or every card of a
/// stage or lane, for a theme.
fn drop_target(
    st: &CanvasState,
    cx: &CanvasCtx,
    payload: &DragPayload,
    p: Point,
) -> Option<DropTarget> {
    let layout = &st.layout;
    let cards_where = |keep: &dyn Fn(&Touchpoint) -> bool| -> Vec<TouchpointId> {
        let cards = cx.doc.touchpoints.iter().filter(|t| keep(t));
        cards.map(|t| t.id.clone()).collect()
    };
    Some(match payload {
        DragPayload::NewCard(_) => {
            let (stage, lane, _) = layout.cell_at(p)?;
            DropTarget::Cell(layout.cell_rect(&stage, &lane)?)
        }
        DragPayload::Theme(_) => match layout.hit(p) {
            Hit::Card(id) | Hit::CardHandle(id) => {
                let r = layout.card_rect(&id)?;
                DropTarget::Cards(vec![id], r)
            }
            Hit::StageHeader(s) => {
                DropTarget::Cards(cards_where(&|t| t.stage == s), layout.stage_header(&s)?)
            }
            Hit::LaneHeader(l) => {
                DropTarget::Cards(cards_where(&|t| t.lane == l), layout.lane_header(&l)?)
            }
            _ => return None,
        },
    })
}

/// The command for `payload` let go over `target` at `p`.
fn drop_payload(
    st: &CanvasState,
    cx: &CanvasCtx,
    payload: &DragPayload,
    target: &DropTarget,
    p: Point,
    actions: &mut Actions,
) {
    match (payload, target) {
        (DragPayload::NewCard(kind), DropTarget::Cell(_)) => {
            let Some((stage, lane, pos)) = st.layout.cell_at(p) else {
                return;
            };
            let card = new_card(cx.doc, *kind, stage, lane, pos);
            let id = card.id.clone();
            actions.edit(Command::AddTouchpoint(Box::new(card)));
            actions.push(Action::Select(Selection::Cards(vec![id])));
        }
        (DragPayload::Theme(theme), DropTarget::Cards(ids, _)) if !ids.is_empty() => {
            actions.edit(Command::AssignTheme {
                theme: theme.clone(),
                touchpoints: ids.clone(),
            });
        }
        (DragPayload::Theme(_), DropTarget::Cards(..)) => {
            actions.push(Action::Notify(
                "There are no cards there to carry the theme.".into(),
            ));
        }
        _ => {}
    }
}

/// A card of `kind` under a fresh id, as the palette and a double-click make it.
fn new_card(
    doc: &Document,
    kind: ChannelKind,
    stage: StageId,
    lane: LaneId,
    pos: CellPos,
) -> Touchpoint {
    let id = TouchpointId::new(FreshIds::new(doc).next(TouchpointId::PREFIX));
    let mut card = Touchpoint::new(
        id,
        format!("New {} touchpoint", kind.label().to_lowercase()),
        stage,
        lane,
    );
    card.kind = kind;
    card.position = pos;
    if kind == ChannelKind::Backstage {
        card.actor = Actor::Employee;
    }
    card
}

/// Press-drag-release on the canvas: move cards, draw a flow, or a rubber band. Escape
/// drops the gesture; the command goes out when the button is released.
pub(super) fn gesture_input(
    ui: &Ui,
    st: &mut CanvasState,
    cx: &CanvasCtx,
    resp: &Response,
    actions: &mut Actions,
) {
    if resp.drag_started_by(egui::PointerButton::Primary) && st.gesture == Gesture::None {
        let origin = ui.input(|i| i.pointer.press_origin());
        let p = st.canvas_point(origin.unwrap_or(st.area.center()));
        let shift = ui.input(|i| i.modifiers.shift);
        st.gesture = start_gesture(st, cx, p, shift, actions);
    }
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    if escape && !matches!(st.gesture, Gesture::None | Gesture::Pan) {
        st.gesture = Gesture::None;
        return;
    }
    if !resp.drag_stopped() {
        return;
    }
    let Some(pointer) = ui.input(|i| i.pointer.interact_pos()).or(st.last_pointer) else {
        st.gesture = Gesture::None;
        return;
    };
    let p = st.view.to_canvas(st.area, pointer);
    let gesture = std::mem::take(&mut st.gesture);
    end_gesture(st, cx, gesture, p, actions);
}

/// The gesture a drag starting at `p` begins: a flow from a handle, a move of the card
/// (and the cards selected with it), or a rubber band (adding to the selection with Shift).
fn start_gesture(
    st: &CanvasState,
    cx: &CanvasCtx,
    p: Point,
    shift: bool,
    actions: &mut Actions,
) -> Gesture {
    if let Some((card, persona, x)) = curve_point_at(st, cx, p) {
        actions.push(Action::Select(Selection::Cards(vec![card.clone()])));
        return Gesture::Emotion { card, persona, x };
    }
    match st.layout.hit(p) {
        Hit::CardHandle(from) => Gesture::Flow { from },
        Hit::Card(id) => {
            let ids = if cx.selection.contains_card(&id) {
                cx.selection.cards().to_vec()
            } else {
                actions.push(Action::Select(Selection::Cards(vec![id.clone()])));
                vec![id.clone()]
            };
            let r = st.layout.card_rect(&id).unwrap_or_default();
            Gesture::MoveCards {
                grabbed: id,
                ids,
                grab: vec2(p.x - r.min.x, p.y - r.min.y),
            }
        }
        Hit::Cell { .. } | Hit::Empty => Gesture::Band {
            start: p,
            additive: shift,
        },
        Hit::StageHeader(_) | Hit::LaneHeader(_) => Gesture::None,
    }
}

/// The actions of `gesture` released at `p`.
fn end_gesture(
    st: &CanvasState,
    cx: &CanvasCtx,
    gesture: Gesture,
    p: Point,
    actions: &mut Actions,
) {
    match gesture {
        Gesture::MoveCards { grabbed, ids, .. } => {
            if let Some(cmd) = move_command(cx.doc, &st.layout, &grabbed, &ids, p) {
                actions.edit(cmd);
            }
        }
        Gesture::Flow { from } => {
            if let Hit::Card(to) | Hit::CardHandle(to) = st.layout.hit(p)
                && to != from
            {
                let id = FlowId::new(FreshIds::new(cx.doc).next(FlowId::PREFIX));
                actions.edit(Command::AddFlow(Flow {
                    id,
                    from,
                    to,
                    label: String::new(),
                    extra: Default::default(),
                }));
            }
        }
        Gesture::Band { start, additive } => band_select(st, cx, start, p, additive, actions),
        Gesture::Emotion { card, persona, .. } => {
            if let Some(band) = st.layout.curve_band() {
                actions.edit(Command::SetEmotion {
                    card,
                    persona,
                    emotion: scene::curve::emotion_at(band, p.y),
                });
            }
        }
        Gesture::Pan | Gesture::None => {}
    }
}

/// The card whose point of the emotion curve is under `p`, the persona whose line the
/// point is on (none without personas), and the point's x.
pub(super) fn curve_point_at(
    st: &CanvasState,
    cx: &CanvasCtx,
    p: Point,
) -> Option<(TouchpointId, Option<PersonaId>, f32)> {
    let band = st.layout.curve_band()?;
    if !band.expand(scene::style::CURVE_POINT_R).contains(p) {
        return None;
    }
    // From the curve as drawn: only the stages near the pointer are searched.
    let point = st.scene.curve().point_at(p)?;
    let tp = cx.doc.touchpoints.get(point.card)?;
    let persona = point
        .persona
        .and_then(|k| cx.doc.personas.get(k))
        .map(|who| who.id.clone());
    Some((tp.id.clone(), persona, point.center.x))
}

/// Selects the cards a rubber band from `start` to `p` meets (with those selected already,
/// if `additive`).
fn band_select(
    st: &CanvasState,
    cx: &CanvasCtx,
    start: Point,
    p: Point,
    additive: bool,
    actions: &mut Actions,
) {
    let band = scene::Rect::from_min_max(
        Point::new(start.x.min(p.x), start.y.min(p.y)),
        Point::new(start.x.max(p.x), start.y.max(p.y)),
    );
    let mut ids = if additive {
        cx.selection.cards().to_vec()
    } else {
        Vec::new()
    };
    for id in st.layout.cards_in(band) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    actions.push(Action::Select(if ids.is_empty() {
        Selection::None
    } else {
        Selection::Cards(ids)
    }));
}

/// The command for dropping the grabbed card at `p`: it goes to the cell under the pointer,
/// and the others selected with it move by the same number of stages and lanes.
pub fn move_command(
    doc: &Document,
    layout: &Layout,
    grabbed: &TouchpointId,
    ids: &[TouchpointId],
    p: Point,
) -> Option<Command> {
    let (stage, lane, pos) = layout.cell_at(p)?;
    let g = doc.touchpoint(grabbed)?;
    let ds = doc.stage_index(&stage)? as isize - doc.stage_index(&g.stage)? as isize;
    let dl = doc.lane_index(&lane)? as isize - doc.lane_index(&g.lane)? as isize;
    let clamp = |i: usize, d: isize, n: usize| (i as isize + d).clamp(0, n as isize - 1) as usize;
    let placements = ids
        .iter()
        .filter_map(|id| {
            let t = doc.touchpoint(id)?;
            if id == grabbed {
                return Some(Placement {
                    id: id.clone(),
                    stage: stage.clone(),
                    lane: lane.clone(),
                    position: pos,
                });
            }
            let s = clamp(doc.stage_index(&t.stage)?, ds, doc.stages.len());
            let l = clamp(doc.lane_index(&t.lane)?, dl, doc.lanes.len());
            Some(Placement {
                id: id.clone(),
                stage: doc.stages[s].id.clone(),
                lane: doc.lanes[l].id.clone(),
                position: t.position,
            })
        })
        .collect();
    Some(Command::MoveTouchpoints(placements))
}

/// Clicks: select cards, headers; double-click edits a title in place.
pub(super) fn click_input(
    ui: &Ui,
    st: &mut CanvasState,
    cx: &CanvasCtx,
    resp: &Response,
    actions: &mut Actions,
) {
    if !(resp.clicked() || resp.double_clicked()) {
        return;
    }
    let Some(pointer) = resp.interact_pointer_pos() else {
        return;
    };
    let p = st.canvas_point(pointer);
    let shift = ui.input(|i| i.modifiers.shift || i.modifiers.command);
    if let Some((id, _, _)) = curve_point_at(st, cx, p) {
        actions.push(if shift {
            Action::ToggleCard(id)
        } else {
            Action::Select(Selection::Cards(vec![id]))
        });
        return;
    }
    match st.layout.hit(p) {
        Hit::Card(id) | Hit::CardHandle(id) => {
            if resp.double_clicked() {
                if let Some(t) = cx.doc.touchpoint(&id) {
                    st.title_edit = Some((id.clone(), t.title.clone()));
                }
                actions.push(Action::Select(Selection::Cards(vec![id])));
            } else if shift {
                actions.push(Action::ToggleCard(id));
            } else {
                actions.push(Action::Select(Selection::Cards(vec![id])));
            }
        }
        Hit::StageHeader(id) => actions.push(Action::Select(Selection::Stage(id))),
        Hit::LaneHeader(id) => actions.push(Action::Select(Selection::Lane(id))),
        // Double-clicking an empty spot of a cell adds a card of the lane's kind there,
        // its title open for typing (the palette's drag, without the trip to the panel).
        Hit::Cell { stage, lane, pos } if resp.double_clicked() => {
            let Some(kind) = cx.doc.lane(&lane).map(|l| l.kind) else {
                return;
            };
            let card = new_card(cx.doc, kind, stage, lane, pos);
            let id = card.id.clone();
            // Closed by the title editor when typing ends (see `title_edit_ui`).
            actions.push(Action::Begin("add card"));
            actions.edit(Command::AddTouchpoint(Box::new(card)));
            actions.push(Action::Select(Selection::Cards(vec![id.clone()])));
            actions.push(Action::EditTitle(id));
        }
        Hit::Cell { .. } | Hit::Empty => {
            if !shift {
                actions.push(Action::Select(Selection::None));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn moving_several_cards_shifts_them_by_the_same_cells() {
        let mut doc = Document::new_canvas();
        for (id, s, l) in [
            ("a", "discover", "web"),
            ("b", "choose", "store"),
            ("c", "share", "web"),
        ] {
            doc.touchpoints.push(Touchpoint::new(
                TouchpointId::from(id),
                id,
                StageId::from(s),
                LaneId::from(l),
            ));
        }
        let layout = Layout::compute(&doc);
        let target = layout
            .cell_rect(&StageId::from("choose"), &LaneId::from("store"))
            .expect("cell")
            .center();
        let ids: Vec<_> = ["a", "b", "c"].map(TouchpointId::from).to_vec();
        let Some(Command::MoveTouchpoints(places)) =
            move_command(&doc, &layout, &TouchpointId::from("a"), &ids, target)
        else {
            panic!("a move command");
        };
        let got: Vec<_> = places
            .iter()
            .map(|p| (p.id.as_str(), p.stage.as_str(), p.lane.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "choose", "store"),
                ("b", "experience", "people"),
                ("c", "share", "store"),
            ],
            "one stage right, one lane down; c stops at the last stage"
        );
    }
}
