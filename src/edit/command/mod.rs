//! [`Command`]: every change a user can make to a document, and how it is carried out.
//!
//! A command is checked against the document and turned into primitive [`Op`]s, each applied
//! at once so that later ops see the indices earlier ones left. If a check fails halfway,
//! the ops already applied are rolled back: a command either happens whole or not at all.
//!
//! [`run`] is the one table from command to handler; the handlers live by the element
//! they change: `cards` (touchpoints), `flows`, `grid` (stages and lanes), `themes`, and
//! `document` (title, personas, the whole canvas, pastes).

mod cards;
mod document;
mod flows;
mod grid;
mod themes;

use super::local::LocalChanges;
use super::op::{ListOp, Op, apply_inverse_logged};
use crate::model::{
    CellPos, Document, Element, Flow, FlowId, Lane, LaneId, Persona, PersonaId, Problem, Stage,
    StageId, Theme, ThemeId, Touchpoint, TouchpointId, validate_elements,
};
use std::collections::HashMap;
use std::fmt;

/// Where a card goes: a cell and a place inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub id: TouchpointId,
    pub stage: StageId,
    pub lane: LaneId,
    pub position: CellPos,
}

/// Elements to insert together (a paste or a duplicate), their ids already fresh.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Insertion {
    /// Themes the cards use that the document does not have yet (pasting across files).
    pub themes: Vec<Theme>,
    pub touchpoints: Vec<Touchpoint>,
    pub flows: Vec<Flow>,
}

/// One change to a document, as the user means it. Applied through
/// [`Editor::apply`](super::Editor::apply), it is undoable.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    SetTitle(String),
    /// Adds a persona at the end of the list.
    AddPersona(Persona),
    /// Replaces a persona by an edited copy with the same id.
    UpdatePersona(Persona),
    /// Removes a persona and takes it off every card.
    RemovePersona(PersonaId),
    AddTouchpoint(Box<Touchpoint>),
    /// Deletes the cards and every flow that starts or ends at one of them.
    DeleteTouchpoints(Vec<TouchpointId>),
    /// Moves cards to cells (a drag of several cards is one command).
    MoveTouchpoints(Vec<Placement>),
    /// Replaces a card by an edited copy with the same id: sets any of its fields.
    UpdateTouchpoint(Box<Touchpoint>),
    /// Sets a card's emotion (a point of the emotion curve dragged up or down), or with a
    /// persona the emotion it leaves that persona with.
    SetEmotion {
        card: TouchpointId,
        persona: Option<PersonaId>,
        emotion: i8,
    },
    AssignTheme {
        theme: ThemeId,
        touchpoints: Vec<TouchpointId>,
    },
    UnassignTheme {
        theme: ThemeId,
        touchpoints: Vec<TouchpointId>,
    },
    AddFlow(Flow),
    DeleteFlows(Vec<FlowId>),
    /// Inserts a stage at `index` (clamped to the end).
    AddStage {
        index: usize,
        stage: Stage,
    },
    /// Replaces a stage by an edited copy (rename, moment of truth).
    UpdateStage(Stage),
    MoveStage {
        id: StageId,
        to: usize,
    },
    /// Deletes a stage with its cards and their flows; refused for the last stage.
    DeleteStage(StageId),
    AddLane {
        index: usize,
        lane: Lane,
    },
    UpdateLane(Lane),
    MoveLane {
        id: LaneId,
        to: usize,
    },
    /// Deletes a lane with its cards and their flows; refused for the last lane.
    DeleteLane(LaneId),
    AddTheme {
        index: usize,
        theme: Theme,
    },
    UpdateTheme(Theme),
    MoveTheme {
        id: ThemeId,
        to: usize,
    },
    /// Deletes a theme and takes it off every card that carried it.
    DeleteTheme(ThemeId),
    /// Inserts pasted or duplicated elements (see [`super::clipboard`]).
    Insert(Box<Insertion>),
    /// Replaces the whole canvas by a merge of a colleague's copy into it.
    Merge(Box<Document>),
    /// Replaces the whole canvas by the file as it is on disk now (a colleague's save).
    Reload(Box<Document>),
}

impl Command {
    /// A short name for menus ("Undo move cards").
    pub fn label(&self) -> &'static str {
        match self {
            Command::SetTitle(_) => "rename journey",
            Command::AddPersona(_) => "add persona",
            Command::UpdatePersona(_) => "edit persona",
            Command::RemovePersona(_) => "remove persona",
            Command::AddTouchpoint(_) => "add card",
            Command::DeleteTouchpoints(_) => "delete cards",
            Command::MoveTouchpoints(_) => "move cards",
            Command::UpdateTouchpoint(_) => "edit card",
            Command::SetEmotion { .. } => "change emotion",
            Command::AssignTheme { .. } => "assign theme",
            Command::UnassignTheme { .. } => "remove theme",
            Command::AddFlow(_) => "add flow",
            Command::DeleteFlows(_) => "delete flows",
            Command::AddStage { .. } => "add stage",
            Command::UpdateStage(_) => "edit stage",
            Command::MoveStage { .. } => "reorder stages",
            Command::DeleteStage(_) => "delete stage",
            Command::AddLane { .. } => "add lane",
            Command::UpdateLane(_) => "edit lane",
            Command::MoveLane { .. } => "reorder lanes",
            Command::DeleteLane(_) => "delete lane",
            Command::Merge(_) => "merge",
            Command::Reload(_) => "reload from disk",
            Command::AddTheme { .. } => "add theme",
            Command::UpdateTheme(_) => "edit theme",
            Command::MoveTheme { .. } => "reorder themes",
            Command::DeleteTheme(_) => "delete theme",
            Command::Insert(_) => "paste",
        }
    }
}

/// Why a command was refused; the document is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

fn refuse<T>(msg: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(msg.into()))
}

/// An element a command wrote, by id: indices shift as later ops insert and remove.
enum Written {
    Title,
    Personas,
    Stage(StageId),
    Lane(LaneId),
    Theme(ThemeId),
    Touchpoint(TouchpointId),
    Flow(FlowId),
    /// The whole document was replaced.
    Everything,
}

/// Applies ops one by one, keeping their inverses for undo or rollback, and what they wrote
/// for the check at the end.
struct Tx<'a> {
    doc: &'a mut Document,
    undo: Vec<Op>,
    written: Vec<Written>,
    /// Where live co-editing learns what changed (see [`LocalChanges`]), when it listens.
    log: Option<&'a mut LocalChanges>,
}

impl Tx<'_> {
    fn push(&mut self, op: Op) -> Result<(), EditError> {
        let Some(inv) = op.apply(self.doc) else {
            return refuse("internal error: an edit pointed outside the document");
        };
        let doc = &*self.doc;
        if let Some(log) = self.log.as_deref_mut() {
            log.note(doc, &inv);
        }
        // The inverse of an insert or a replace names the index of what was written.
        let written = match &inv {
            Op::Title(_) => Some(Written::Title),
            Op::Document(_) => Some(Written::Everything),
            Op::Personas(_) => Some(Written::Personas),
            Op::Stage(ListOp::Remove(i) | ListOp::Replace(i, _)) => {
                doc.stages.get(*i).map(|x| Written::Stage(x.id.clone()))
            }
            Op::Lane(ListOp::Remove(i) | ListOp::Replace(i, _)) => {
                doc.lanes.get(*i).map(|x| Written::Lane(x.id.clone()))
            }
            Op::Theme(ListOp::Remove(i) | ListOp::Replace(i, _)) => {
                doc.themes.get(*i).map(|x| Written::Theme(x.id.clone()))
            }
            Op::Touchpoint(ListOp::Remove(i) | ListOp::Replace(i, _)) => doc
                .touchpoints
                .get(*i)
                .map(|x| Written::Touchpoint(x.id.clone())),
            Op::Flow(ListOp::Remove(i) | ListOp::Replace(i, _)) => {
                doc.flows.get(*i).map(|x| Written::Flow(x.id.clone()))
            }
            // Removals and moves write nothing new; list sizes are checked anyway.
            _ => None,
        };
        self.written.extend(written);
        self.undo.push(inv);
        Ok(())
    }

    /// The loader's own checks ([`validate_elements`]) on everything the command wrote:
    /// the editor never makes a document that would not open again.
    fn check(&self) -> Result<(), EditError> {
        let doc = &*self.doc;
        if self
            .written
            .iter()
            .any(|w| matches!(w, Written::Everything))
        {
            return match crate::model::validate(doc).first() {
                None => Ok(()),
                Some(problem) => refuse(describe(problem)),
            };
        }
        let many_cards = self
            .written
            .iter()
            .filter(|w| matches!(w, Written::Touchpoint(_)))
            .count()
            > 8;
        let card_index: Option<HashMap<&TouchpointId, usize>> = many_cards.then(|| {
            doc.touchpoints
                .iter()
                .enumerate()
                .map(|(i, t)| (&t.id, i))
                .collect()
        });
        let elements: Vec<Element> = self
            .written
            .iter()
            .filter_map(|w| match w {
                Written::Title => Some(Element::Title),
                Written::Personas => Some(Element::Personas),
                Written::Stage(id) => doc.stage_index(id).map(Element::Stage),
                Written::Lane(id) => doc.lane_index(id).map(Element::Lane),
                Written::Theme(id) => doc
                    .themes
                    .iter()
                    .position(|t| &t.id == id)
                    .map(Element::Theme),
                Written::Touchpoint(id) => match &card_index {
                    Some(index) => index.get(id).copied(),
                    None => doc.touchpoint_index(id),
                }
                .map(Element::Touchpoint),
                Written::Flow(id) => doc
                    .flows
                    .iter()
                    .position(|f| &f.id == id)
                    .map(Element::Flow),
                Written::Everything => None,
            })
            .collect();
        match validate_elements(doc, &elements).first() {
            None => Ok(()),
            Some(problem) => refuse(describe(problem)),
        }
    }
}

/// A validation problem as an edit's refusal: "the title is 1001 characters long; at most
/// 1000 are allowed".
fn describe(problem: &Problem) -> String {
    let field = problem
        .path
        .rsplit('/')
        .find(|seg| !seg.is_empty() && !seg.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("text")
        .replace('_', " ");
    match problem.message.strip_prefix("text is ") {
        Some(rest) => {
            let verb = if field == "notes" { "are" } else { "is" };
            format!("The {field} {verb} {rest}.")
        }
        None => {
            let mut m = problem.message.clone();
            if let Some(first) = m.get(..1) {
                let upper = first.to_uppercase();
                m.replace_range(..1, &upper);
            }
            format!("{m}.")
        }
    }
}

/// Carries out `cmd` on `doc`. Returns the ops that undo it (empty when the command changed
/// nothing), or an error with the document unchanged.
pub fn apply(doc: &mut Document, cmd: Command) -> Result<Vec<Op>, EditError> {
    apply_logged(doc, cmd, None)
}

/// [`apply`], noting what changed in `log` (a refused command notes its rollback too, so
/// that the log shows no change for it).
pub fn apply_logged(
    doc: &mut Document,
    cmd: Command,
    log: Option<&mut LocalChanges>,
) -> Result<Vec<Op>, EditError> {
    let mut tx = Tx {
        doc,
        undo: Vec::new(),
        written: Vec::new(),
        log,
    };
    match run(&mut tx, cmd).and_then(|()| tx.check()) {
        Ok(()) => Ok(tx.undo),
        Err(e) => {
            apply_inverse_logged(tx.doc, tx.undo, tx.log);
            Err(e)
        }
    }
}

/// Carries out one command inside `tx`: the table from command to handler.
fn run(tx: &mut Tx, cmd: Command) -> Result<(), EditError> {
    match cmd {
        Command::SetTitle(t) => document::set_title(tx, t),
        Command::AddPersona(p) => document::add_persona(tx, p),
        Command::UpdatePersona(p) => document::update_persona(tx, p),
        Command::RemovePersona(id) => document::remove_persona(tx, &id),
        Command::Merge(doc) | Command::Reload(doc) => document::replace(tx, doc),
        Command::Insert(ins) => document::insert(tx, *ins),
        Command::AddTouchpoint(tp) => cards::add(tx, tp),
        Command::DeleteTouchpoints(ids) => cards::delete(tx, ids),
        Command::MoveTouchpoints(placements) => cards::move_to(tx, placements),
        Command::UpdateTouchpoint(tp) => cards::update(tx, tp),
        Command::SetEmotion {
            card,
            persona,
            emotion,
        } => cards::set_emotion(tx, &card, persona.as_ref(), emotion),
        Command::AssignTheme { theme, touchpoints } => cards::assign_theme(tx, &theme, touchpoints),
        Command::UnassignTheme { theme, touchpoints } => {
            cards::unassign_theme(tx, &theme, touchpoints)
        }
        Command::AddFlow(flow) => flows::add(tx, flow),
        Command::DeleteFlows(ids) => flows::delete(tx, &ids),
        Command::AddStage { index, stage } => grid::add_stage(tx, index, stage),
        Command::UpdateStage(stage) => grid::update_stage(tx, stage),
        Command::MoveStage { id, to } => grid::move_stage(tx, &id, to),
        Command::DeleteStage(id) => grid::delete_stage(tx, &id),
        Command::AddLane { index, lane } => grid::add_lane(tx, index, lane),
        Command::UpdateLane(lane) => grid::update_lane(tx, lane),
        Command::MoveLane { id, to } => grid::move_lane(tx, &id, to),
        Command::DeleteLane(id) => grid::delete_lane(tx, &id),
        Command::AddTheme { index, theme } => themes::add(tx, index, theme),
        Command::UpdateTheme(theme) => themes::update(tx, theme),
        Command::MoveTheme { id, to } => themes::move_to(tx, &id, to),
        Command::DeleteTheme(id) => themes::delete(tx, &id),
    }
}

/// The index of a card, or a refusal naming it.
fn tp_index(doc: &Document, id: &TouchpointId) -> Result<usize, EditError> {
    doc.touchpoint_index(id)
        .ok_or_else(|| EditError(format!("there is no card {id:?}")))
}

/// The index of a theme, or a refusal naming it.
fn theme_index(doc: &Document, id: &ThemeId) -> Result<usize, EditError> {
    doc.themes
        .iter()
        .position(|t| &t.id == id)
        .ok_or_else(|| EditError(format!("there is no theme {id:?}")))
}

/// Refuses an id a file could not hold.
fn check_id(id: &str) -> Result<(), EditError> {
    match crate::model::id_problem(id) {
        Some(why) => refuse(why),
        None => Ok(()),
    }
}
