//! Commands on the document as a whole: its title and persona, a replacement (a merge or
//! a reload), and pasted elements.

use super::{EditError, Insertion, Tx, cards, flows, themes};
use crate::edit::op::Op;
use crate::model::{Document, Persona};

pub(super) fn set_title(tx: &mut Tx, title: String) -> Result<(), EditError> {
    if title != tx.doc.title {
        tx.push(Op::Title(title))?;
    }
    Ok(())
}

pub(super) fn set_persona(tx: &mut Tx, persona: Persona) -> Result<(), EditError> {
    if persona != tx.doc.persona {
        tx.push(Op::Persona(persona))?;
    }
    Ok(())
}

/// Replaces the whole canvas (a merge of a colleague's copy, or the file as it is on disk).
pub(super) fn replace(tx: &mut Tx, doc: Box<Document>) -> Result<(), EditError> {
    if *doc != *tx.doc {
        tx.push(Op::Document(doc))?;
    }
    Ok(())
}

/// Inserts pasted or duplicated elements: the themes the document lacks, then the cards,
/// then the flows.
pub(super) fn insert(tx: &mut Tx, ins: Insertion) -> Result<(), EditError> {
    let Insertion {
        themes,
        touchpoints,
        flows,
    } = ins;
    for theme in themes {
        if tx.doc.theme(&theme.id).is_none() {
            let end = tx.doc.themes.len();
            themes::add(tx, end, theme)?;
        }
    }
    for tp in touchpoints {
        cards::add(tx, Box::new(tp))?;
    }
    for flow in flows {
        flows::add(tx, flow)?;
    }
    Ok(())
}
