//! Commands on touchpoints (cards): add, delete, move to cells, edit, assign themes.

use super::{EditError, Placement, Tx, refuse, theme_index, tp_index};
use crate::edit::op::{ListOp, Op};
use crate::model::{CellPos, PersonaId, ThemeId, Touchpoint, TouchpointId};
use std::collections::HashSet;

/// A place inside a cell, each coordinate within 0..=1 (the middle for one that is not a
/// number).
fn clamp_pos(p: CellPos) -> CellPos {
    let c = |v: f32| {
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    CellPos {
        x: c(p.x),
        y: c(p.y),
    }
}

pub(super) fn add(tx: &mut Tx, mut tp: Box<Touchpoint>) -> Result<(), EditError> {
    if tx.doc.touchpoint(&tp.id).is_some() {
        return refuse(format!("a card {:?} already exists", tp.id));
    }
    tp.position = clamp_pos(tp.position);
    let end = tx.doc.touchpoints.len();
    tx.push(Op::Touchpoint(ListOp::Insert(end, tp)))
}

pub(super) fn delete(tx: &mut Tx, ids: Vec<TouchpointId>) -> Result<(), EditError> {
    for id in &ids {
        tp_index(tx.doc, id)?;
    }
    delete_cards(tx, &ids.into_iter().collect())
}

/// Removes the cards with these ids and every flow touching them.
pub(super) fn delete_cards(tx: &mut Tx, ids: &HashSet<TouchpointId>) -> Result<(), EditError> {
    let flow_idx: Vec<usize> = (0..tx.doc.flows.len())
        .filter(|&i| {
            let f = &tx.doc.flows[i];
            ids.contains(&f.from) || ids.contains(&f.to)
        })
        .collect();
    for i in flow_idx.into_iter().rev() {
        tx.push(Op::Flow(ListOp::Remove(i)))?;
    }
    let card_idx: Vec<usize> = (0..tx.doc.touchpoints.len())
        .filter(|&i| ids.contains(&tx.doc.touchpoints[i].id))
        .collect();
    for i in card_idx.into_iter().rev() {
        tx.push(Op::Touchpoint(ListOp::Remove(i)))?;
    }
    Ok(())
}

pub(super) fn move_to(tx: &mut Tx, placements: Vec<Placement>) -> Result<(), EditError> {
    for p in placements {
        let i = tp_index(tx.doc, &p.id)?;
        super::grid::stage_index(tx.doc, &p.stage)?;
        super::grid::lane_index(tx.doc, &p.lane)?;
        let old = &tx.doc.touchpoints[i];
        let position = clamp_pos(p.position);
        if old.stage == p.stage && old.lane == p.lane && old.position == position {
            continue;
        }
        let mut moved = Box::new(old.clone());
        moved.stage = p.stage;
        moved.lane = p.lane;
        moved.position = position;
        tx.push(Op::Touchpoint(ListOp::Replace(i, moved)))?;
    }
    Ok(())
}

pub(super) fn update(tx: &mut Tx, mut tp: Box<Touchpoint>) -> Result<(), EditError> {
    let i = tp_index(tx.doc, &tp.id)?;
    tp.position = clamp_pos(tp.position);
    if *tp != tx.doc.touchpoints[i] {
        tx.push(Op::Touchpoint(ListOp::Replace(i, tp)))?;
    }
    Ok(())
}

/// Sets a card's emotion; the check after the command refuses one off the scale.
/// Sets a card's emotion, or (with a persona) the emotion it leaves that persona with: an
/// override, dropped when it comes back to the card's own emotion.
pub(super) fn set_emotion(
    tx: &mut Tx,
    card: &TouchpointId,
    persona: Option<&PersonaId>,
    emotion: i8,
) -> Result<(), EditError> {
    let i = tp_index(tx.doc, card)?;
    let old = &tx.doc.touchpoints[i];
    let mut changed = Box::new(old.clone());
    match persona {
        None => changed.emotion = emotion,
        Some(p) => {
            if tx.doc.persona(p).is_none() {
                return refuse(format!("there is no persona {:?}", p.0));
            }
            if emotion == changed.emotion {
                changed.emotions.remove(p);
            } else {
                changed.emotions.insert(p.clone(), emotion);
            }
        }
    }
    if *changed != *old {
        tx.push(Op::Touchpoint(ListOp::Replace(i, changed)))?;
    }
    Ok(())
}

pub(super) fn assign_theme(
    tx: &mut Tx,
    theme: &ThemeId,
    touchpoints: Vec<TouchpointId>,
) -> Result<(), EditError> {
    theme_index(tx.doc, theme)?;
    for id in touchpoints {
        let i = tp_index(tx.doc, &id)?;
        let card = &tx.doc.touchpoints[i];
        if !card.themes.contains(theme) {
            let mut changed = Box::new(card.clone());
            changed.themes.push(theme.clone());
            tx.push(Op::Touchpoint(ListOp::Replace(i, changed)))?;
        }
    }
    Ok(())
}

pub(super) fn unassign_theme(
    tx: &mut Tx,
    theme: &ThemeId,
    touchpoints: Vec<TouchpointId>,
) -> Result<(), EditError> {
    for id in touchpoints {
        let i = tp_index(tx.doc, &id)?;
        let card = &tx.doc.touchpoints[i];
        if card.themes.contains(theme) {
            let mut changed = Box::new(card.clone());
            changed.themes.retain(|t| t != theme);
            tx.push(Op::Touchpoint(ListOp::Replace(i, changed)))?;
        }
    }
    Ok(())
}
