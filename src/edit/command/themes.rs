//! Commands on the list of themes: add, edit, reorder, delete (taking it off its cards).

use super::{EditError, Tx, check_id, refuse, theme_index};
use crate::edit::op::{ListOp, Op};
use crate::model::{Theme, ThemeId, TouchpointId};

pub(super) fn add(tx: &mut Tx, index: usize, theme: Theme) -> Result<(), EditError> {
    check_id(theme.id.as_str())?;
    if tx.doc.theme(&theme.id).is_some() {
        return refuse(format!("a theme {:?} already exists", theme.id));
    }
    let i = index.min(tx.doc.themes.len());
    tx.push(Op::Theme(ListOp::Insert(i, theme)))
}

pub(super) fn update(tx: &mut Tx, theme: Theme) -> Result<(), EditError> {
    let i = theme_index(tx.doc, &theme.id)?;
    if tx.doc.themes[i] != theme {
        tx.push(Op::Theme(ListOp::Replace(i, theme)))?;
    }
    Ok(())
}

pub(super) fn move_to(tx: &mut Tx, id: &ThemeId, to: usize) -> Result<(), EditError> {
    let from = theme_index(tx.doc, id)?;
    let to = to.min(tx.doc.themes.len() - 1);
    if from != to {
        tx.push(Op::Theme(ListOp::Move { from, to }))?;
    }
    Ok(())
}

/// Deletes a theme and takes it off every card that carried it.
pub(super) fn delete(tx: &mut Tx, id: &ThemeId) -> Result<(), EditError> {
    let i = theme_index(tx.doc, id)?;
    let carriers: Vec<TouchpointId> = tx
        .doc
        .touchpoints
        .iter()
        .filter(|t| t.themes.contains(id))
        .map(|t| t.id.clone())
        .collect();
    super::cards::unassign_theme(tx, id, carriers)?;
    tx.push(Op::Theme(ListOp::Remove(i)))
}
