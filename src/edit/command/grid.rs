//! Commands on the grid: stages (columns) and lanes (rows), added, edited, reordered and
//! deleted with their cards.

use super::{EditError, Tx, check_id, refuse};
use crate::edit::op::{ListOp, Op};
use crate::model::{Document, Lane, LaneId, Stage, StageId, TouchpointId};
use std::collections::HashSet;

/// The index of a stage, or a refusal naming it.
pub(super) fn stage_index(doc: &Document, id: &StageId) -> Result<usize, EditError> {
    doc.stage_index(id)
        .ok_or_else(|| EditError(format!("there is no stage {id:?}")))
}

/// The index of a lane, or a refusal naming it.
pub(super) fn lane_index(doc: &Document, id: &LaneId) -> Result<usize, EditError> {
    doc.lane_index(id)
        .ok_or_else(|| EditError(format!("there is no lane {id:?}")))
}

pub(super) fn add_stage(tx: &mut Tx, index: usize, stage: Stage) -> Result<(), EditError> {
    check_id(stage.id.as_str())?;
    if tx.doc.stage(&stage.id).is_some() {
        return refuse(format!("a stage {:?} already exists", stage.id));
    }
    let i = index.min(tx.doc.stages.len());
    tx.push(Op::Stage(ListOp::Insert(i, stage)))
}

pub(super) fn update_stage(tx: &mut Tx, stage: Stage) -> Result<(), EditError> {
    let i = stage_index(tx.doc, &stage.id)?;
    if tx.doc.stages[i] != stage {
        tx.push(Op::Stage(ListOp::Replace(i, stage)))?;
    }
    Ok(())
}

pub(super) fn move_stage(tx: &mut Tx, id: &StageId, to: usize) -> Result<(), EditError> {
    let from = stage_index(tx.doc, id)?;
    let to = to.min(tx.doc.stages.len() - 1);
    if from != to {
        tx.push(Op::Stage(ListOp::Move { from, to }))?;
    }
    Ok(())
}

/// Deletes a stage with its cards and their flows; refused for the last stage.
pub(super) fn delete_stage(tx: &mut Tx, id: &StageId) -> Result<(), EditError> {
    let i = stage_index(tx.doc, id)?;
    if tx.doc.stages.len() == 1 {
        return refuse("a canvas needs at least one stage");
    }
    let cards = cards_where(tx.doc, |t| &t.stage == id);
    super::cards::delete_cards(tx, &cards)?;
    tx.push(Op::Stage(ListOp::Remove(i)))
}

pub(super) fn add_lane(tx: &mut Tx, index: usize, lane: Lane) -> Result<(), EditError> {
    check_id(lane.id.as_str())?;
    if tx.doc.lane(&lane.id).is_some() {
        return refuse(format!("a lane {:?} already exists", lane.id));
    }
    let i = index.min(tx.doc.lanes.len());
    tx.push(Op::Lane(ListOp::Insert(i, lane)))
}

pub(super) fn update_lane(tx: &mut Tx, lane: Lane) -> Result<(), EditError> {
    let i = lane_index(tx.doc, &lane.id)?;
    if tx.doc.lanes[i] != lane {
        tx.push(Op::Lane(ListOp::Replace(i, lane)))?;
    }
    Ok(())
}

pub(super) fn move_lane(tx: &mut Tx, id: &LaneId, to: usize) -> Result<(), EditError> {
    let from = lane_index(tx.doc, id)?;
    let to = to.min(tx.doc.lanes.len() - 1);
    if from != to {
        tx.push(Op::Lane(ListOp::Move { from, to }))?;
    }
    Ok(())
}

/// Deletes a lane with its cards and their flows; refused for the last lane.
pub(super) fn delete_lane(tx: &mut Tx, id: &LaneId) -> Result<(), EditError> {
    let i = lane_index(tx.doc, id)?;
    if tx.doc.lanes.len() == 1 {
        return refuse("a canvas needs at least one lane");
    }
    let cards = cards_where(tx.doc, |t| &t.lane == id);
    super::cards::delete_cards(tx, &cards)?;
    tx.push(Op::Lane(ListOp::Remove(i)))
}

/// The ids of the cards `keep` accepts.
fn cards_where(
    doc: &Document,
    keep: impl Fn(&crate::model::Touchpoint) -> bool,
) -> HashSet<TouchpointId> {
    doc.touchpoints
        .iter()
        .filter(|t| keep(t))
        .map(|t| t.id.clone())
        .collect()
}
