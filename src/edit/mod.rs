//! Changing a document: [`Command`]s (every change a user can make) and the [`Editor`] that
//! applies them with undo and redo, one step per gesture.
//!
//! No egui here. The UI queues commands during its pass and the app applies them after it;
//! a gesture (a drag, typing a title) opens a transaction with [`Editor::begin`] so that all
//! the commands it produces become one undo step at [`Editor::commit`], or vanish at
//! [`Editor::abort`] (Escape mid-drag).
//!
//! Implementation notes: history stores inverse [`op::Op`]s, not document snapshots, so a
//! step costs memory in proportion to what it changed (one card for a keystroke in a
//! 100,000-card canvas). Undoing a step applies its ops in reverse and yields the ops that
//! redo it.

mod changes;
pub mod clipboard;
mod command;
pub mod local;
pub mod op;
mod splice;

pub use changes::{ChangeLog, Changed, Fields, Tail};
pub use clipboard::{Clip, FreshIds, PasteAt};
pub use command::{Command, EditError, Insertion, Placement, apply, apply_logged};
pub use local::LocalChanges;
pub use splice::{Edits, Splice};

use crate::model::Document;
use op::{Op, apply_inverse_logged};
use std::sync::Arc;

/// Most undo steps kept; older ones are forgotten.
pub const MAX_UNDO_STEPS: usize = 1_000;

/// One undo (or redo) step: ops in application order, undone in reverse.
#[derive(Clone, Debug)]
struct Step {
    /// Unique per step, to tell whether the document is at its saved state.
    id: u64,
    label: String,
    ops: Vec<Op>,
}

/// A document with its undo history and a revision counter that changes with every edit
/// (caches of layout, scene and score key on it).
#[derive(Debug)]
pub struct Editor {
    /// Shared with the autosave writer while it writes a copy (see [`Editor::shared_doc`]);
    /// an edit copies it first only if the writer still holds it.
    doc: Arc<Document>,
    undo: Vec<Step>,
    redo: Vec<Step>,
    open: Option<Step>,
    next_id: u64,
    /// Id of the step on top of the undo stack when last saved (0: the empty stack).
    saved_at: Option<u64>,
    revision: u64,
    /// Changes when the cards' ids or order, or the flows, do (see `links_revision`).
    links_revision: u64,
    /// Changes when a card may have moved on the canvas (see `layout_revision`).
    layout_revision: u64,
    /// What the last revisions changed (see `change_log`).
    log: ChangeLog,
    /// What changed since [`Editor::take_changes`] was last called, while someone listens
    /// (live co-editing: see [`Editor::record_changes`]).
    changes: Option<LocalChanges>,
}

impl Editor {
    /// Starts editing `doc`; it counts as saved.
    pub fn new(doc: Document) -> Self {
        Self {
            doc: Arc::new(doc),
            undo: Vec::new(),
            redo: Vec::new(),
            open: None,
            next_id: 1,
            saved_at: Some(0),
            revision: 0,
            links_revision: 0,
            layout_revision: 0,
            log: ChangeLog::default(),
            changes: None,
        }
    }

    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// The document as it is now, for a reader on another thread (the autosave writer),
    /// without copying it: a copy of a big canvas is a noticeable pause on every autosave
    /// (BENCHMARKS.md, "Figures from comments"); now an edit pays for a copy only while
    /// the writer still holds this.
    pub fn shared_doc(&self) -> &Arc<Document> {
        &self.doc
    }

    /// Changes whenever the document does (edits, undo, redo, replacement).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Changes whenever a card is added, removed, moved within the list or given another
    /// id, or a flow changes, but not with other edits (a title, a card moved to another
    /// cell): what `scoring::Scorer` keeps its resolved flows for.
    pub fn links_revision(&self) -> u64 {
        self.links_revision
    }

    /// Changes whenever the stages, the lanes or the list of cards change, or a card gets
    /// another id, stage, lane or place in its cell, but not with other edits (a title, an
    /// emotion, a theme, a flow): what the canvas keeps its layout for.
    pub fn layout_revision(&self) -> u64 {
        self.layout_revision
    }

    /// What the last revisions changed, for caches that redo only what an edit touched:
    /// `change_log().since(built_at, revision())`.
    pub fn change_log(&self) -> &ChangeLog {
        &self.log
    }

    /// Bumps the revisions after `applied` (the ops that undo what was just done).
    fn changed(&mut self, applied: &[Op]) {
        self.revision += 1;
        self.log
            .record(self.revision, Changed::of(&self.doc, applied));
        if op::changes_links(&self.doc, applied) {
            self.links_revision += 1;
        }
        if op::changes_layout(&self.doc, applied) {
            self.layout_revision += 1;
        }
    }

    /// Replaces the document (File → New or Open); history is cleared and it counts as saved.
    pub fn replace(&mut self, doc: Document) {
        let (revision, links, layout) = (
            self.revision + 1,
            self.links_revision + 1,
            self.layout_revision + 1,
        );
        let listening = self.changes.is_some();
        *self = Self::new(doc);
        self.revision = revision;
        self.links_revision = links;
        self.layout_revision = layout;
        self.record_changes(listening);
    }

    /// Starts (or stops) noting what each edit, undo, redo or abort changes, for
    /// [`Editor::take_changes`]. Replacements ([`Editor::replace`], [`Editor::apply_external`])
    /// are not noted: they are not this user's edits.
    pub fn record_changes(&mut self, on: bool) {
        self.changes = on.then(LocalChanges::default);
    }

    /// What changed since the last call (or since recording started), if anything.
    pub fn take_changes(&mut self) -> Option<LocalChanges> {
        let log = self.changes.as_mut()?;
        if log.is_empty() {
            return None;
        }
        Some(std::mem::take(log))
    }

    /// Replaces the document by what colleagues made of it (live co-editing): not an undo
    /// step and not noted as a change of this user's. The undo and redo steps are dropped
    /// (their ops name elements by index, and the colleagues' changes moved them; live
    /// co-editing undoes through the shared history instead), and a gesture under way stays
    /// open with nothing to abort. Returns whether the document changed.
    pub fn apply_external(&mut self, doc: Arc<Document>) -> bool {
        if *self.doc == *doc {
            return false;
        }
        let links = self.doc.touchpoints.len() != doc.touchpoints.len()
            || self.doc.flows != doc.flows
            || self
                .doc
                .touchpoints
                .iter()
                .zip(&doc.touchpoints)
                .any(|(a, b)| a.id != b.id);
        let layout = self.doc.stages != doc.stages
            || self.doc.lanes != doc.lanes
            || self.doc.touchpoints.len() != doc.touchpoints.len()
            || self
                .doc
                .touchpoints
                .iter()
                .zip(&doc.touchpoints)
                .any(|(a, b)| {
                    a.id != b.id
                        || a.stage != b.stage
                        || a.lane != b.lane
                        || a.position != b.position
                });
        self.doc = doc;
        self.undo.clear();
        self.redo.clear();
        if let Some(step) = &mut self.open {
            step.ops.clear();
        }
        self.saved_at = None;
        self.revision += 1;
        // Caches keyed by the change log start over (a colleague's change can touch anything).
        self.log.record(self.revision, Changed::everything());
        self.links_revision += u64::from(links);
        self.layout_revision += u64::from(layout);
        true
    }

    fn top_id(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.id)
    }

    /// Whether there are changes since the last save (or since opening).
    pub fn is_dirty(&self) -> bool {
        self.open.as_ref().is_some_and(|s| !s.ops.is_empty())
            || self.saved_at != Some(self.top_id())
    }

    /// Sets the canvas's lineage (stamped by a save). Not an edit: no undo step, no new
    /// revision, the saved mark unchanged.
    pub fn set_lineage(&mut self, lineage: crate::model::Lineage) {
        if self.doc.lineage != lineage {
            Arc::make_mut(&mut self.doc).lineage = lineage;
        }
    }

    /// Records that the document as it is now was saved.
    pub fn mark_saved(&mut self) {
        self.commit();
        self.saved_at = Some(self.top_id());
    }

    /// Records that the document as it is now is not saved anywhere (a restored recovery
    /// copy), so it counts as dirty until the next save.
    pub fn mark_unsaved(&mut self) {
        self.saved_at = None;
    }

    /// Applies a command. Outside a transaction it becomes its own undo step; inside one it
    /// joins the open step. Returns whether the document changed.
    pub fn apply(&mut self, cmd: Command) -> Result<bool, EditError> {
        let label = cmd.label();
        let ops = command::apply_logged(Arc::make_mut(&mut self.doc), cmd, self.changes.as_mut())?;
        if ops.is_empty() {
            return Ok(false);
        }
        self.changed(&ops);
        self.redo.clear();
        match &mut self.open {
            Some(step) => step.ops.extend(ops),
            None => {
                let step = self.new_step(label.to_owned(), ops);
                self.push_undo(step);
            }
        }
        Ok(true)
    }

    fn new_step(&mut self, label: String, ops: Vec<Op>) -> Step {
        let id = self.next_id;
        self.next_id += 1;
        Step { id, label, ops }
    }

    fn push_undo(&mut self, step: Step) {
        self.undo.push(step);
        if self.undo.len() > MAX_UNDO_STEPS {
            self.undo.remove(0);
        }
    }

    /// Opens a transaction for a gesture; a transaction already open is kept (nested
    /// begins join the outer gesture).
    pub fn begin(&mut self, label: &str) {
        if self.open.is_none() {
            let step = self.new_step(label.to_owned(), Vec::new());
            self.open = Some(step);
        }
    }

    pub fn in_transaction(&self) -> bool {
        self.open.is_some()
    }

    /// Closes the open transaction; if it changed anything it becomes one undo step.
    pub fn commit(&mut self) {
        if let Some(step) = self.open.take()
            && !step.ops.is_empty()
        {
            self.push_undo(step);
        }
    }

    /// Cancels the open transaction, reverting what it changed.
    pub fn abort(&mut self) {
        if let Some(step) = self.open.take()
            && !step.ops.is_empty()
        {
            let redo = apply_inverse_logged(
                Arc::make_mut(&mut self.doc),
                step.ops,
                self.changes.as_mut(),
            );
            self.changed(&redo);
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty() || self.open.as_ref().is_some_and(|s| !s.ops.is_empty())
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// What Undo would undo ("move cards").
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Undoes the last step (closing an open transaction first). Returns whether anything
    /// was undone.
    pub fn undo(&mut self) -> bool {
        self.commit();
        let Some(step) = self.undo.pop() else {
            return false;
        };
        let ops = apply_inverse_logged(
            Arc::make_mut(&mut self.doc),
            step.ops,
            self.changes.as_mut(),
        );
        self.changed(&ops);
        self.redo.push(Step { ops, ..step });
        true
    }

    /// Redoes the last undone step. Returns whether anything was redone.
    pub fn redo(&mut self) -> bool {
        self.commit();
        let Some(step) = self.redo.pop() else {
            return false;
        };
        let ops = apply_inverse_logged(
            Arc::make_mut(&mut self.doc),
            step.ops,
            self.changes.as_mut(),
        );
        self.changed(&ops);
        self.undo.push(Step { ops, ..step });
        true
    }
}

#[cfg(test)]
mod tests;
