//! Working with colleagues' copies in the editor: the file changed on disk (a shared drive,
//! a synced folder), merging a colleague's copy with a conflicts panel, and comparing with
//! another version drawn over the canvas. The merging itself is [`crate::merge`]; this
//! file holds the state the app keeps while the user decides, and the windows.

use super::action::{Action, Actions};
use super::canvas::CanvasState;
use super::tokens;
use super::widgets::UiExt;
use crate::io::DiskStamp;
use crate::merge::{Change, ConflictKey, Diff, ElementKind, MergeOutcome, Resolutions, Side};
use crate::model::{Document, FlowId, LaneId, StageId, ThemeId, TouchpointId};
use crate::scene::{Layout, Point};
use crate::scoring::Target;
use egui::{Color32, RichText, Stroke};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The open file as this editor last read or wrote it: what a colleague's save is
/// compared with, and the base for merging their version into ours.
#[derive(Clone, Debug)]
pub struct DiskState {
    pub path: PathBuf,
    stamp: Option<DiskStamp>,
    crc: u32,
    /// The document as in the file then (the merge base when someone saves over it).
    pub base: Arc<Document>,
}

/// What the file holds now, when it is not what this editor last saw.
#[derive(Clone, Debug)]
pub struct DiskChange {
    /// Their version, as it is on disk.
    pub theirs: Box<Document>,
    stamp: Option<DiskStamp>,
    crc: u32,
    /// Whether a save is waiting for the answer (it does not happen before).
    pub on_save: bool,
}

impl DiskState {
    /// After opening or saving `path`, whose bytes are `bytes` and document `doc`.
    pub fn new(path: &Path, bytes: &[u8], doc: Arc<Document>) -> Self {
        Self {
            path: path.to_owned(),
            stamp: DiskStamp::read(path),
            crc: crc32fast::hash(bytes),
            base: doc,
        }
    }

    /// Reads the file again if its stamp moved: `Ok(None)` when nobody changed its content,
    /// `Ok(Some(change))` when someone did, `Err` when it no longer opens (deleted, or
    /// broken: then saving over it loses nothing that opens).
    pub fn check(&mut self, on_save: bool) -> Result<Option<DiskChange>, String> {
        let now = DiskStamp::read(&self.path);
        if now.is_some() && now == self.stamp {
            return Ok(None);
        }
        let bytes = std::fs::read(&self.path)
            .map_err(|e| format!("{} cannot be read: {e}", self.path.display()))?;
        let crc = crc32fast::hash(&bytes);
        if crc == self.crc {
            // Touched, not changed (a sync client, a backup tool).
            self.stamp = now;
            return Ok(None);
        }
        let name = self.path.display().to_string();
        let loaded = crate::io::load_bytes(&name, &bytes).map_err(|e| e.to_string())?;
        Ok(Some(DiskChange {
            theirs: Box::new(loaded.document),
            stamp: now,
            crc,
            on_save,
        }))
    }

    /// Takes their version as what the file holds (after merging it or reloading it).
    pub fn adopt(&mut self, change: &DiskChange) {
        self.stamp = change.stamp;
        self.crc = change.crc;
        self.base = Arc::new((*change.theirs).clone());
    }
}

/// What the user answered about a file changed on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskChoice {
    /// Merge their version into ours, three-way against the version we opened.
    Merge,
    /// Take their version (undoable).
    Reload,
    /// Save ours under another name beside theirs.
    KeepBoth,
    /// Decide later: nothing is saved over their version meanwhile.
    Later,
}

/// The question, as a modal.
pub fn disk_change_ui(ctx: &egui::Context, file: &str, change: &DiskChange) -> Option<DiskChoice> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("disk-changed")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("The file changed on disk");
        ui.label(format!(
            "Someone saved “{file}” after you opened it: “{}”.",
            change.theirs.title
        ));
        ui.label(if change.on_save {
            "Your save did not happen, so nothing of theirs was overwritten. What do you want to do?"
        } else {
            "Your changes are still here. What do you want to do?"
        });
        ui.add_space(8.0);
        let button = |ui: &mut egui::Ui, text: &str, tip: &str| {
            ui.add_sized([480.0, 30.0], egui::Button::new(text))
                .on_hover_text(tip)
                .clicked()
        };
        if button(
            ui,
            "Merge their changes into mine",
            "Both sides' edits are kept; where you both changed the same thing, you choose",
        ) {
            choice = Some(DiskChoice::Merge);
        }
        if button(
            ui,
            "Reload their version",
            "Replace your canvas with theirs (Undo brings yours back)",
        ) {
            choice = Some(DiskChoice::Reload);
        }
        if button(
            ui,
            "Keep both: save mine as a copy",
            "Their file stays as it is; yours is saved beside it under a new name",
        ) {
            choice = Some(DiskChoice::KeepBoth);
        }
        if button(ui, "Decide later", "Nothing is saved over their version")
            || ui.input(|i| i.key_pressed(egui::Key::Escape))
        {
            choice = Some(DiskChoice::Later);
        }
    });
    choice
}

/// A file beside `path` that does not exist yet: `journey (mine).json`, `journey (mine
/// 2).json`...
pub fn copy_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "journey".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or_else(|| "json".into(), |e| e.to_string_lossy().into_owned());
    let dir = path.parent().unwrap_or(Path::new("."));
    (1..)
        .map(|n| {
            let suffix = if n == 1 {
                "mine".to_owned()
            } else {
                format!("mine {n}")
            };
            dir.join(format!("{stem} ({suffix}).{ext}"))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem} (mine).{ext}")))
}

/// A merge being reviewed: the three copies, the user's choices, and the outcome now in
/// the editor.
pub struct MergeSession {
    /// Where their copy came from, for the window's title.
    pub source: String,
    pub base: Document,
    pub ours: Document,
    pub theirs: Document,
    /// False when no common version was found: everything from both copies is kept and
    /// every field that differs is listed as a choice.
    pub three_way: bool,
    pub choices: Resolutions,
    pub outcome: MergeOutcome,
    /// The editor's revision right after the merge was applied: a new choice replaces that
    /// step while nothing else was edited since.
    pub applied_revision: u64,
}

impl MergeSession {
    /// Merges `theirs` into `ours`; with no `base`, a two-way merge (an empty base: both
    /// sides' elements are kept, different values of one field become choices).
    pub fn new(source: String, base: Option<Document>, ours: Document, theirs: Document) -> Self {
        let three_way = base.is_some();
        let base = base.unwrap_or_default();
        let choices = Resolutions::default();
        let outcome = crate::merge::merge_with(&base, &ours, &theirs, Side::Ours, &choices);
        Self {
            source,
            base,
            ours,
            theirs,
            three_way,
            choices,
            outcome,
            applied_revision: 0,
        }
    }

    /// Resolves one conflict to `side` and merges again.
    pub fn choose(&mut self, key: ConflictKey, side: Side) {
        self.choices.choose(key, side);
        self.outcome = crate::merge::merge_with(
            &self.base,
            &self.ours,
            &self.theirs,
            Side::Ours,
            &self.choices,
        );
    }
}

/// What the conflicts panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum ConflictAction {
    Choose(ConflictKey, Side),
    Done,
}

/// Where a conflict or a change is on the canvas, for "Show".
pub fn target(kind: ElementKind, id: &str) -> Option<Target> {
    Some(match kind {
        ElementKind::Card => Target::Touchpoint(TouchpointId::from(id)),
        ElementKind::Stage => Target::Stage(StageId::from(id)),
        ElementKind::Lane => Target::Lane(LaneId::from(id)),
        ElementKind::Theme => Target::Theme(ThemeId::from(id)),
        ElementKind::Flow => Target::Flow(FlowId::from(id)),
        ElementKind::Document | ElementKind::Persona => return None,
    })
}

/// A readable name for an element of the merged canvas ("card “Orders ahead”").
fn element_name(doc: &Document, kind: ElementKind, id: &str) -> String {
    let name = match kind {
        ElementKind::Card => doc
            .touchpoint(&TouchpointId::from(id))
            .map(|t| t.title.clone()),
        ElementKind::Stage => doc.stage(&StageId::from(id)).map(|s| s.name.clone()),
        ElementKind::Lane => doc.lane(&LaneId::from(id)).map(|l| l.name.clone()),
        ElementKind::Theme => doc.theme(&ThemeId::from(id)).map(|t| t.name.clone()),
        ElementKind::Persona => doc
            .persona(&crate::model::PersonaId::from(id))
            .map(|p| p.name.clone()),
        ElementKind::Flow | ElementKind::Document => None,
    };
    match name {
        Some(n) if !n.trim().is_empty() => format!("{} “{}”", kind.label(), n.trim()),
        _ if id.is_empty() => kind.label().to_owned(),
        _ => format!("{} {id}", kind.label()),
    }
}

/// The conflicts panel: one row per conflict, ours or theirs, and Show.
pub fn conflicts_ui(
    ctx: &egui::Context,
    session: &MergeSession,
    actions: &mut Actions,
) -> Option<ConflictAction> {
    let mut out = None;
    let n = session.outcome.conflicts.len();
    egui::Window::new("Merge")
        .id(egui::Id::unique("merge-conflicts"))
        .default_width(460.0)
        .anchor(
            egui::Align2::RIGHT_BOTTOM,
            [-16.0, -super::toast::TOAST_BAND],
        )
        .collapsible(true)
        .show(ctx, |ui| {
            ui.label(RichText::new(format!("Merged {}", session.source)).strong());
            ui.caption(if session.three_way {
                "Compared with the version you both started from: each side's changes are kept."
            } else {
                "No common version was found: everything from both copies is kept, and every field that differs is yours to pick."
            });
            if n == 0 {
                ui.label("No conflicts: nothing needed a decision.");
            } else {
                ui.label(format!(
                    "{n} conflict{}: yours is kept unless you pick theirs.",
                    if n == 1 { "" } else { "s" }
                ));
            }
            egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                for (i, c) in session.outcome.conflicts.iter().enumerate() {
                    ui.push_id(i, |ui| {
                        ui.separator();
                        let what = element_name(&session.outcome.doc, c.key.element, &c.key.id);
                        let field = if c.key.field == crate::merge::EDITED_DELETED {
                            "edited on one side, deleted on the other".to_owned()
                        } else {
                            c.key.field.replace('_', " ")
                        };
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(format!("{what}: {field}")).strong());
                            if let Some(t) = target(c.key.element, &c.key.id)
                                && ui.small_button("Show").clicked()
                            {
                                actions.push(Action::Reveal(vec![t]));
                            }
                        });
                        for side in [Side::Ours, Side::Theirs] {
                            let value = match side {
                                Side::Ours => &c.ours,
                                Side::Theirs => &c.theirs,
                            };
                            let label = format!(
                                "{}: {}",
                                if side == Side::Ours { "Mine" } else { "Theirs" },
                                value
                            );
                            if ui.radio(c.resolved_to == side, label).clicked()
                                && c.resolved_to != side
                            {
                                out = Some(ConflictAction::Choose(c.key.clone(), side));
                            }
                        }
                    });
                }
                for note in &session.outcome.notes {
                    ui.caption(note);
                }
            });
            ui.separator();
            if ui.button("Done").clicked() {
                out = Some(ConflictAction::Done);
            }
        });
    out
}

/// Another version shown over the canvas.
pub struct CompareState {
    /// The other file's name.
    pub source: String,
    pub other: Document,
    /// From the other version to this canvas: "added" is only on this canvas.
    pub diff: Diff,
    other_layout: Layout,
}

/// What the compare window asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareAction {
    Close,
}

const ADDED: Color32 = super::tokens::DIFF_ADDED;
const CHANGED: Color32 = super::tokens::DIFF_CHANGED;
const REMOVED: Color32 = super::tokens::DIFF_REMOVED;

impl CompareState {
    pub fn new(source: String, other: Document, ours: &Document) -> Self {
        let diff = crate::merge::diff(&other, ours);
        let other_layout = Layout::compute(&other);
        Self {
            source,
            other,
            diff,
            other_layout,
        }
    }

    /// After an edit here: the differences again (the other version and its layout stay).
    pub fn refresh(&mut self, ours: &Document) {
        self.diff = crate::merge::diff(&self.other, ours);
    }

    /// Where a card of the other version would sit on this canvas: the same place in the
    /// same cell, if that cell is here.
    fn ghost_rect(&self, canvas: &CanvasState, id: &TouchpointId) -> Option<egui::Rect> {
        let card = self.other.touchpoint(id)?;
        let theirs = self.other_layout.card_rect(id)?;
        let their_cell = self.other_layout.cell_rect(&card.stage, &card.lane)?;
        let our_cell = canvas.layout().cell_rect(&card.stage, &card.lane)?;
        let min = Point::new(
            our_cell.min.x + (theirs.min.x - their_cell.min.x),
            our_cell.min.y + (theirs.min.y - their_cell.min.y),
        );
        let max = Point::new(min.x + theirs.width(), min.y + theirs.height());
        Some(egui::Rect::from_min_max(
            canvas.screen_pos(min),
            canvas.screen_pos(max),
        ))
    }

    /// Outlines on the canvas: cards only here in green, changed cards in amber (their old
    /// values in a tooltip), cards only in the other version as dashed red ghosts.
    pub fn overlay_ui(&self, ui: &egui::Ui, canvas: &CanvasState) {
        let painter = ui.painter().with_clip_rect(canvas.area);
        let pointer = ui.input(|i| i.pointer.hover_pos());
        let mut tip: Option<String> = None;
        for c in &self.diff.cards {
            let id = TouchpointId::from(c.id.as_str());
            let (rect, color, dashed) = match c.change {
                Change::Added => (canvas.card_screen_rect(&id), ADDED, false),
                Change::Changed | Change::Moved => (canvas.card_screen_rect(&id), CHANGED, false),
                Change::Removed => (self.ghost_rect(canvas, &id), REMOVED, true),
            };
            let Some(rect) = rect else { continue };
            let rect = rect.expand(3.0);
            if dashed {
                painter.rect_filled(rect, 6.0, REMOVED.gamma_multiply(0.12));
                let corners = [
                    rect.left_top(),
                    rect.right_top(),
                    rect.right_bottom(),
                    rect.left_bottom(),
                    rect.left_top(),
                ];
                painter.add(egui::Shape::dashed_line(
                    &corners,
                    Stroke::new(2.0, color),
                    8.0,
                    5.0,
                ));
                painter.text(
                    rect.left_top() + egui::vec2(6.0, 4.0),
                    egui::Align2::LEFT_TOP,
                    &c.name,
                    super::tokens::regular(12.0),
                    color,
                );
            } else {
                painter.rect_stroke(
                    rect,
                    6.0,
                    Stroke::new(3.0, color),
                    egui::StrokeKind::Outside,
                );
            }
            if pointer.is_some_and(|p| rect.contains(p)) {
                tip = Some(change_text(c, &self.source));
            }
        }
        if let Some(text) = tip {
            egui::Tooltip::always_open(
                ui.ctx().clone(),
                ui.layer_id(),
                egui::Id::unique("compare-tip"),
                egui::PopupAnchor::Pointer,
            )
            .show(|ui| ui.label(text));
        }
    }

    /// The list of differences and both scores side by side.
    pub fn window_ui(
        &self,
        ctx: &egui::Context,
        our_total: u8,
        actions: &mut Actions,
    ) -> Option<CompareAction> {
        let mut out = None;
        egui::Window::new(format!("Compared with {}", self.source))
            .id(egui::Id::unique("compare-window"))
            .default_width(420.0)
            .anchor(
                egui::Align2::RIGHT_BOTTOM,
                [-16.0, -super::toast::TOAST_BAND],
            )
            .collapsible(true)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label(format!("Coherence: {} there,", self.diff.score.old));
                    ui.label(RichText::new(format!("{our_total} here")).strong());
                });
                ui.horizontal_wrapped(|ui| {
                    legend_chip(ui, ADDED, "only here");
                    legend_chip(ui, CHANGED, "changed");
                    legend_chip(ui, REMOVED, "only there");
                });
                if self.diff.is_empty() {
                    ui.label("The two canvases hold the same journey.");
                }
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for f in &self.diff.document {
                            ui.label(format!("Canvas {}", field_line(f)));
                        }
                        for (kind, c) in self.diff.element_changes() {
                            let text = format!(
                                "{} {}: {}",
                                kind.label(),
                                if c.name.is_empty() {
                                    c.id.clone()
                                } else {
                                    // A flow is named by its ends, "a → b"; the UI font has no arrow.
                                    c.name.replace(" → ", " to ")
                                },
                                change_word(c.change)
                            );
                            let resp = ui.add(egui::Label::new(text).sense(egui::Sense::click()));
                            let resp = if c.fields.is_empty() {
                                resp
                            } else {
                                resp.on_hover_text(change_text(c, &self.source))
                            };
                            if resp.clicked()
                                && c.change != Change::Removed
                                && let Some(t) = target(kind, &c.id)
                            {
                                actions.push(Action::Reveal(vec![t]));
                            }
                        }
                        for r in &self.diff.score.rules {
                            if r.old != r.new {
                                let show =
                                    |v: Option<u8>| v.map_or("–".to_owned(), |v| v.to_string());
                                ui.caption(&format!(
                                    "{}: {} there, {} here",
                                    r.title,
                                    show(r.old),
                                    show(r.new)
                                ));
                            }
                        }
                    });
                if ui.button("Close the comparison").clicked() {
                    out = Some(CompareAction::Close);
                }
            });
        out
    }
}

fn legend_chip(ui: &mut egui::Ui, color: Color32, text: &str) {
    ui.swatch(color, 12.0);
    ui.label(RichText::new(text).size(tokens::SMALL_SIZE));
}

fn change_word(c: Change) -> &'static str {
    match c {
        Change::Added => "only here",
        Change::Removed => "only there",
        Change::Moved => "moved",
        Change::Changed => "changed",
    }
}

/// What changed in an element, a field a line, the other version's value first.
fn change_text(c: &crate::merge::ElementChange, source: &str) -> String {
    let mut text = format!("{} (compared with {source})", change_word(c.change));
    for f in &c.fields {
        text.push('\n');
        text.push_str(&field_line(f));
    }
    text
}

/// `title: was "Pay", now "Pay at the till"` (the UI font has no arrow glyph).
fn field_line(f: &crate::merge::FieldChange) -> String {
    let show = |v: &serde_json::Value| {
        let text = match v {
            serde_json::Value::Null => "nothing".to_owned(),
            v => v.to_string(),
        };
        if text.chars().count() > 60 {
            let cut: String = text.chars().take(59).collect();
            format!("{cut}…")
        } else {
            text
        }
    };
    format!(
        "{}: was {}, now {}",
        f.field.replace('_', " "),
        show(&f.old),
        show(&f.new)
    )
}
