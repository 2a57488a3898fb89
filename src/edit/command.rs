//! [`Command`]: every change a user can make to a document, and how it is carried out.
//!
//! A command is checked against the document and turned into primitive [`Op`]s, each applied
//! at once so that later ops see the indices earlier ones left. If a check fails halfway,
//! the ops already applied are rolled back: a command either happens whole or not at all.

use super::changes::ChangeLog;
use super::op::{ListOp, Op, apply_inverse_logged};
use crate::model::{
    CellPos, Document, Element, Flow, FlowId, Lane, LaneId, Persona, Problem, Stage, StageId,
    Theme, ThemeId, Touchpoint, TouchpointId, validate_elements,
};
use std::collections::{HashMap, HashSet};
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
    SetPersona(Persona),
    AddTouchpoint(Box<Touchpoint>),
    /// Deletes the cards and every flow that starts or ends at one of them.
    DeleteTouchpoints(Vec<TouchpointId>),
    /// Moves cards to cells (a drag of several cards is one command).
    MoveTouchpoints(Vec<Placement>),
    /// Replaces a card by an edited copy with the same id: sets any of its fields.
    UpdateTouchpoint(Box<Touchpoint>),
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
            Command::SetPersona(_) => "edit persona",
            Command::AddTouchpoint(_) => "add card",
            Command::DeleteTouchpoints(_) => "delete cards",
            Command::MoveTouchpoints(_) => "move cards",
            Command::UpdateTouchpoint(_) => "edit card",
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
    Persona,
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
    /// Where live co-editing learns what changed (see [`ChangeLog`]), when it listens.
    log: Option<&'a mut ChangeLog>,
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
            Op::Persona(_) => Some(Written::Persona),
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
                Written::Persona => Some(Element::Persona),
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
    log: Option<&mut ChangeLog>,
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

fn tp_index(doc: &Document, id: &TouchpointId) -> Result<usize, EditError> {
    doc.touchpoint_index(id)
        .ok_or_else(|| EditError(format!("there is no card {id:?}")))
}

fn stage_index(doc: &Document, id: &StageId) -> Result<usize, EditError> {
    doc.stage_index(id)
        .ok_or_else(|| EditError(format!("there is no stage {id:?}")))
}

fn lane_index(doc: &Document, id: &LaneId) -> Result<usize, EditError> {
    doc.lane_index(id)
        .ok_or_else(|| EditError(format!("there is no lane {id:?}")))
}

fn theme_index(doc: &Document, id: &ThemeId) -> Result<usize, EditError> {
    doc.themes
        .iter()
        .position(|t| &t.id == id)
        .ok_or_else(|| EditError(format!("there is no theme {id:?}")))
}

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

/// Removes the cards at `indices` and every flow touching them.
fn delete_cards(tx: &mut Tx, ids: &HashSet<TouchpointId>) -> Result<(), EditError> {
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

fn run(tx: &mut Tx, cmd: Command) -> Result<(), EditError> {
    match cmd {
        Command::SetTitle(t) => {
            if t != tx.doc.title {
                tx.push(Op::Title(t))?;
            }
        }
        Command::SetPersona(p) => {
            if p != tx.doc.persona {
                tx.push(Op::Persona(p))?;
            }
        }
        Command::AddTouchpoint(mut tp) => {
            if tx.doc.touchpoint(&tp.id).is_some() {
                return refuse(format!("a card {:?} already exists", tp.id));
            }
            tp.position = clamp_pos(tp.position);
            let end = tx.doc.touchpoints.len();
            tx.push(Op::Touchpoint(ListOp::Insert(end, tp)))?;
        }
        Command::DeleteTouchpoints(ids) => {
            for id in &ids {
                tp_index(tx.doc, id)?;
            }
            delete_cards(tx, &ids.into_iter().collect())?;
        }
        Command::MoveTouchpoints(placements) => {
            for p in placements {
                let i = tp_index(tx.doc, &p.id)?;
                stage_index(tx.doc, &p.stage)?;
                lane_index(tx.doc, &p.lane)?;
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
        }
        Command::UpdateTouchpoint(mut tp) => {
            let i = tp_index(tx.doc, &tp.id)?;
            tp.position = clamp_pos(tp.position);
            if *tp != tx.doc.touchpoints[i] {
                tx.push(Op::Touchpoint(ListOp::Replace(i, tp)))?;
            }
        }
        Command::AssignTheme { theme, touchpoints } => {
            theme_index(tx.doc, &theme)?;
            for id in touchpoints {
                let i = tp_index(tx.doc, &id)?;
                let card = &tx.doc.touchpoints[i];
                if !card.themes.contains(&theme) {
                    let mut changed = Box::new(card.clone());
                    changed.themes.push(theme.clone());
                    tx.push(Op::Touchpoint(ListOp::Replace(i, changed)))?;
                }
            }
        }
        Command::UnassignTheme { theme, touchpoints } => {
            for id in touchpoints {
                let i = tp_index(tx.doc, &id)?;
                let card = &tx.doc.touchpoints[i];
                if card.themes.contains(&theme) {
                    let mut changed = Box::new(card.clone());
                    changed.themes.retain(|t| t != &theme);
                    tx.push(Op::Touchpoint(ListOp::Replace(i, changed)))?;
                }
            }
        }
        Command::AddFlow(flow) => {
            if let Some(why) = crate::model::id_problem(flow.id.as_str()) {
                return refuse(why);
            }
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
            tx.push(Op::Flow(ListOp::Insert(end, flow)))?;
        }
        Command::DeleteFlows(ids) => {
            for id in &ids {
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
        }
        Command::AddStage { index, stage } => {
            if let Some(why) = crate::model::id_problem(stage.id.as_str()) {
                return refuse(why);
            }
            if tx.doc.stage(&stage.id).is_some() {
                return refuse(format!("a stage {:?} already exists", stage.id));
            }
            let i = index.min(tx.doc.stages.len());
            tx.push(Op::Stage(ListOp::Insert(i, stage)))?;
        }
        Command::UpdateStage(stage) => {
            let i = stage_index(tx.doc, &stage.id)?;
            if tx.doc.stages[i] != stage {
                tx.push(Op::Stage(ListOp::Replace(i, stage)))?;
            }
        }
        Command::MoveStage { id, to } => {
            let from = stage_index(tx.doc, &id)?;
            let to = to.min(tx.doc.stages.len() - 1);
            if from != to {
                tx.push(Op::Stage(ListOp::Move { from, to }))?;
            }
        }
        Command::DeleteStage(id) => {
            let i = stage_index(tx.doc, &id)?;
            if tx.doc.stages.len() == 1 {
                return refuse("a canvas needs at least one stage");
            }
            let cards = tx
                .doc
                .touchpoints
                .iter()
                .filter(|t| t.stage == id)
                .map(|t| t.id.clone())
                .collect();
            delete_cards(tx, &cards)?;
            tx.push(Op::Stage(ListOp::Remove(i)))?;
        }
        Command::AddLane { index, lane } => {
            if let Some(why) = crate::model::id_problem(lane.id.as_str()) {
                return refuse(why);
            }
            if tx.doc.lane(&lane.id).is_some() {
                return refuse(format!("a lane {:?} already exists", lane.id));
            }
            let i = index.min(tx.doc.lanes.len());
            tx.push(Op::Lane(ListOp::Insert(i, lane)))?;
        }
        Command::UpdateLane(lane) => {
            let i = lane_index(tx.doc, &lane.id)?;
            if tx.doc.lanes[i] != lane {
                tx.push(Op::Lane(ListOp::Replace(i, lane)))?;
            }
        }
        Command::MoveLane { id, to } => {
            let from = lane_index(tx.doc, &id)?;
            let to = to.min(tx.doc.lanes.len() - 1);
            if from != to {
                tx.push(Op::Lane(ListOp::Move { from, to }))?;
            }
        }
        Command::DeleteLane(id) => {
            let i = lane_index(tx.doc, &id)?;
            if tx.doc.lanes.len() == 1 {
                return refuse("a canvas needs at least one lane");
            }
            let cards = tx
                .doc
                .touchpoints
                .iter()
                .filter(|t| t.lane == id)
                .map(|t| t.id.clone())
                .collect();
            delete_cards(tx, &cards)?;
            tx.push(Op::Lane(ListOp::Remove(i)))?;
        }
        Command::AddTheme { index, theme } => {
            if let Some(why) = crate::model::id_problem(theme.id.as_str()) {
                return refuse(why);
            }
            if tx.doc.theme(&theme.id).is_some() {
                return refuse(format!("a theme {:?} already exists", theme.id));
            }
            let i = index.min(tx.doc.themes.len());
            tx.push(Op::Theme(ListOp::Insert(i, theme)))?;
        }
        Command::UpdateTheme(theme) => {
            let i = theme_index(tx.doc, &theme.id)?;
            if tx.doc.themes[i] != theme {
                tx.push(Op::Theme(ListOp::Replace(i, theme)))?;
            }
        }
        Command::MoveTheme { id, to } => {
            let from = theme_index(tx.doc, &id)?;
            let to = to.min(tx.doc.themes.len() - 1);
            if from != to {
                tx.push(Op::Theme(ListOp::Move { from, to }))?;
            }
        }
        Command::DeleteTheme(id) => {
            let i = theme_index(tx.doc, &id)?;
            let carriers: Vec<TouchpointId> = tx
                .doc
                .touchpoints
                .iter()
                .filter(|t| t.themes.contains(&id))
                .map(|t| t.id.clone())
                .collect();
            run(
                tx,
                Command::UnassignTheme {
                    theme: id,
                    touchpoints: carriers,
                },
            )?;
            tx.push(Op::Theme(ListOp::Remove(i)))?;
        }
        Command::Merge(doc) | Command::Reload(doc) => {
            if *doc != *tx.doc {
                tx.push(Op::Document(doc))?;
            }
        }
        Command::Insert(ins) => {
            let Insertion {
                themes,
                touchpoints,
                flows,
            } = *ins;
            for theme in themes {
                if tx.doc.theme(&theme.id).is_none() {
                    let end = tx.doc.themes.len();
                    run(tx, Command::AddTheme { index: end, theme })?;
                }
            }
            for tp in touchpoints {
                run(tx, Command::AddTouchpoint(Box::new(tp)))?;
            }
            for flow in flows {
                run(tx, Command::AddFlow(flow))?;
            }
        }
    }
    Ok(())
}
