//! Commands on the document as a whole: its title and personas, a replacement (a merge or
//! a reload), and pasted elements.

use super::{EditError, Insertion, Tx, cards, flows, themes};
use crate::edit::op::ListOp;
use crate::edit::op::Op;
use crate::model::{Document, Persona, PersonaId};

pub(super) fn set_title(tx: &mut Tx, title: String) -> Result<(), EditError> {
    if title != tx.doc.title {
        tx.push(Op::Title(title))?;
    }
    Ok(())
}

/// Adds a persona at the end of the list; its id must be new.
pub(super) fn add_persona(tx: &mut Tx, persona: Persona) -> Result<(), EditError> {
    super::check_id(persona.id.as_str())?;
    if tx.doc.persona(&persona.id).is_some() {
        return super::refuse(format!("there is already a persona {:?}", persona.id.0));
    }
    let mut personas = tx.doc.personas.clone();
    personas.push(persona);
    tx.push(Op::Personas(personas))
}

/// Replaces a persona by an edited copy with the same id (name, goal, picture...).
pub(super) fn update_persona(tx: &mut Tx, persona: Persona) -> Result<(), EditError> {
    let Some(i) = tx.doc.personas.iter().position(|p| p.id == persona.id) else {
        return super::refuse(format!("there is no persona {:?}", persona.id.0));
    };
    if tx.doc.personas[i] != persona {
        let mut personas = tx.doc.personas.clone();
        personas[i] = persona;
        tx.push(Op::Personas(personas))?;
    }
    Ok(())
}

/// Removes a persona, and takes it off every card that named it (in its list of personas
/// or its emotions). A card that concerned only this persona then concerns none.
pub(super) fn remove_persona(tx: &mut Tx, id: &PersonaId) -> Result<(), EditError> {
    if tx.doc.persona(id).is_none() {
        return super::refuse(format!("there is no persona {:?}", id.0));
    }
    let named: Vec<usize> = tx
        .doc
        .touchpoints
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.emotions.contains_key(id) || t.personas.as_ref().is_some_and(|l| l.contains(id))
        })
        .map(|(i, _)| i)
        .collect();
    for i in named {
        let mut card = Box::new(tx.doc.touchpoints[i].clone());
        card.emotions.remove(id);
        if let Some(list) = &mut card.personas {
            list.retain(|p| p != id);
        }
        tx.push(Op::Touchpoint(ListOp::Replace(i, card)))?;
    }
    let personas = tx
        .doc
        .personas
        .iter()
        .filter(|p| &p.id != id)
        .cloned()
        .collect();
    tx.push(Op::Personas(personas))
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
