//! Commands on flows: add one between two cards, delete some.

use super::{EditError, Tx, check_id, refuse, tp_index};
use crate::edit::op::{ListOp, Op};
use crate::model::{Flow, FlowId};

pub(super) fn add(tx: &mut Tx, flow: Flow) -> Result<(), EditError> {
    check_id(flow.id.as_str())?;
    if tx.doc.flows.iter().any(|f| f.id == flow.id) {
        return refuse(format!("a flow {:?} already exists", flow.id));
    }
    tp_index(tx.doc, &flow.from)?;
    tp_index(tx.doc, &flow.to)?;
    if flow.from == flow.to {
        return refuse("a flow must lead to another card");
    }
    if tx
        .doc
        .flows
        .iter()
        .any(|f| f.from == flow.from && f.to == flow.to)
    {
        return refuse("these cards are already connected");
    }
    let end = tx.doc.flows.len();
    tx.push(Op::Flow(ListOp::Insert(end, flow)))
}

pub(super) fn delete(tx: &mut Tx, ids: &[FlowId]) -> Result<(), EditError> {
    for id in ids {
        if !tx.doc.flows.iter().any(|f| &f.id == id) {
            return refuse(format!("there is no flow {id:?}"));
        }
    }
    let idx: Vec<usize> = (0..tx.doc.flows.len())
        .filter(|&i| ids.contains(&tx.doc.flows[i].id))
        .collect();
    for i in idx.into_iter().rev() {
        tx.push(Op::Flow(ListOp::Remove(i)))?;
    }
    Ok(())
}
