//! Applying what widgets queued: edits through the editor, selection, menu commands,
//! clipboard and keyboard input.

use super::{PathPurpose, Pending, Screen, StagecraftApp};
use crate::edit::{Clip, Command, PasteAt};
use crate::model::TouchpointId;
use crate::scoring::Target;
use crate::ui::action::{Action, Actions, Selection};
use crate::ui::commands::UiCommand;
use egui::Key;
use std::collections::HashSet;

impl StagecraftApp {
    /// For tests: applies one action as if a widget had queued it.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn apply_action(&mut self, ctx: &egui::Context, a: Action) {
        self.apply_one(ctx, a);
    }

    /// Applies one queued action.
    pub(super) fn apply_one(&mut self, ctx: &egui::Context, a: Action) {
        match a {
            Action::Edit(cmd) => {
                if let Err(e) = self.editor.apply(cmd) {
                    self.set_error(e.to_string());
                }
            }
            Action::Begin(label) => self.editor.begin(label),
            Action::Commit => self.editor.commit(),
            Action::Abort => self.editor.abort(),
            Action::Ui(cmd) => self.run_command(ctx, cmd),
            Action::Select(s) => self.selection = s,
            Action::ToggleCard(id) => {
                let mut ids = self.selection.cards().to_vec();
                if let Some(i) = ids.iter().position(|x| x == &id) {
                    ids.remove(i);
                } else {
                    ids.push(id);
                }
                self.selection = if ids.is_empty() {
                    Selection::None
                } else {
                    Selection::Cards(ids)
                };
            }
            Action::Reveal(targets) => self.reveal(&targets),
            Action::OpenPath(p) => self.request(ctx, Pending::OpenPath(p)),
            Action::OpenSample(i) => self.request(ctx, Pending::OpenSample(i)),
            Action::Notify(text) => self.set_info(text),
            Action::Paste { text, at } => self.paste_text(&text, at),
            Action::Nudge { stages, lanes } => self.nudge(stages, lanes),
            Action::EditTitle(id) => {
                if let Some(t) = self.editor.doc().touchpoint(&id) {
                    self.canvas.title_edit = Some((id, t.title.clone()));
                    // Set here, once the card exists, not where the gesture begins: the
                    // title editor runs later in that same frame and would close it at once.
                    self.canvas.title_ends_gesture = self.editor.in_transaction();
                }
            }
        }
    }

    /// Selects what a finding names and frames it on the canvas.
    pub(super) fn reveal(&mut self, targets: &[Target]) {
        let layout = self.canvas.layout();
        let mut cards: Vec<TouchpointId> = Vec::new();
        let mut area: Option<crate::scene::Rect> = None;
        let mut grow = |r: crate::scene::Rect| {
            area = Some(area.map_or(r, |a| a.union(r)));
        };
        let doc = self.editor.doc();
        for t in targets {
            match t {
                Target::Touchpoint(id) => {
                    if let Some(r) = layout.card_rect(id) {
                        grow(r);
                        cards.push(id.clone());
                    }
                }
                Target::Stage(id) => {
                    if let Some(r) = layout.stage_header(id) {
                        grow(r);
                    }
                }
                Target::Lane(id) => {
                    if let Some(r) = layout.lane_header(id) {
                        grow(r);
                    }
                }
                Target::Theme(id) => {
                    for tp in doc.touchpoints.iter().filter(|t| t.themes.contains(id)) {
                        if let Some(r) = layout.card_rect(&tp.id) {
                            grow(r);
                        }
                    }
                }
                Target::Flow(id) => {
                    if let Some(f) = doc.flows.iter().find(|f| &f.id == id) {
                        for end in [&f.from, &f.to] {
                            if let Some(r) = layout.card_rect(end) {
                                grow(r);
                                cards.push(end.clone());
                            }
                        }
                    }
                }
            }
        }
        self.selection = if !cards.is_empty() {
            Selection::Cards(cards)
        } else {
            match targets.first() {
                Some(Target::Stage(id)) => Selection::Stage(id.clone()),
                Some(Target::Lane(id)) => Selection::Lane(id.clone()),
                Some(Target::Theme(id)) => Selection::Theme(id.clone()),
                _ => Selection::None,
            }
        };
        if let Some(r) = area {
            self.canvas.frame(r);
        }
    }

    pub(super) fn run_command(&mut self, ctx: &egui::Context, cmd: UiCommand) {
        match cmd {
            UiCommand::New => self.request(ctx, Pending::New),
            UiCommand::Open => self.request(ctx, Pending::OpenDialog),
            UiCommand::Save => {
                if self.screen == Screen::Canvas {
                    self.save();
                }
            }
            UiCommand::SaveAs => {
                if self.screen == Screen::Canvas {
                    self.save_as();
                }
            }
            UiCommand::Export => {
                if self.screen == Screen::Canvas {
                    if let Some(file) = &self.file {
                        self.export.set_path(file.with_extension("png"));
                    }
                    self.export.open();
                }
            }
            UiCommand::Undo | UiCommand::Redo if self.live_undo(ctx, cmd == UiCommand::Redo) => {}
            UiCommand::Undo => {
                if !self.editor.undo() {
                    self.set_info("Nothing to undo.");
                }
            }
            UiCommand::Redo => {
                if !self.editor.redo() {
                    self.set_info("Nothing to redo.");
                }
            }
            UiCommand::Copy | UiCommand::Cut => {
                if let Some(clip) = self.selected_clip() {
                    ctx.copy_text(clip.to_text());
                    if cmd == UiCommand::Cut {
                        self.delete_selection();
                    }
                }
            }
            // The platform answers with a paste event (see `keyboard_input`), which pastes
            // what the system clipboard holds.
            UiCommand::Paste => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            UiCommand::ToggleLegend => self.show_legend = !self.show_legend,
            UiCommand::ToggleEmotionCurve => self.show_emotion_curve = !self.show_emotion_curve,
            UiCommand::Duplicate => self.duplicate(),
            UiCommand::Delete => self.delete_selection(),
            UiCommand::SelectAll => {
                let ids: Vec<_> = self
                    .doc()
                    .touchpoints
                    .iter()
                    .map(|t| t.id.clone())
                    .collect();
                self.selection = if ids.is_empty() {
                    Selection::None
                } else {
                    Selection::Cards(ids)
                };
            }
            UiCommand::ZoomToFit => self.canvas.zoom_to_fit(),
            UiCommand::ZoomActual => self.canvas.set_zoom(1.0),
            UiCommand::ZoomIn => self.canvas.zoom_by(1.25),
            UiCommand::ZoomOut => self.canvas.zoom_by(0.8),
            UiCommand::ToggleDarkMode => {
                self.dark = !self.dark;
            }
            UiCommand::StartScreen => self.request(ctx, Pending::StartScreen),
            UiCommand::Quit => self.request(ctx, Pending::Close),
            UiCommand::CompareWith => self.pick_other(PathPurpose::Compare),
            UiCommand::MergeCopy => self.pick_other(PathPurpose::Merge),
            UiCommand::ShareLive => self.live.open_dialog(true, &self.editor.doc().title),
            UiCommand::JoinLive => self.live.open_dialog(false, ""),
            UiCommand::LeaveLive => self.end_live(Some(
                "Left the live session. The canvas stays open here: save it to keep a copy.".into(),
            )),
            UiCommand::BackToCanvas => self.screen = Screen::Canvas,
            UiCommand::TogglePanels => {
                self.panels_follow_window = false;
                // One hidden: show both first, the second press hides both.
                let show = !(self.show_palette && self.show_inspector);
                self.show_palette = show;
                self.show_inspector = show;
            }
            UiCommand::TogglePalette => {
                self.panels_follow_window = false;
                self.show_palette = !self.show_palette;
            }
            UiCommand::ToggleInspector => {
                self.panels_follow_window = false;
                self.show_inspector = !self.show_inspector;
            }
        }
    }

    pub(super) fn delete_selection(&mut self) {
        let cmd = match &self.selection {
            Selection::Cards(ids) if !ids.is_empty() => Command::DeleteTouchpoints(ids.clone()),
            Selection::Stage(id) => Command::DeleteStage(id.clone()),
            Selection::Lane(id) => Command::DeleteLane(id.clone()),
            Selection::Theme(id) => Command::DeleteTheme(id.clone()),
            _ => return,
        };
        match self.editor.apply(cmd) {
            Ok(_) => self.selection = Selection::None,
            Err(e) => self.set_error(e.to_string()),
        }
    }

    pub(super) fn selected_clip(&self) -> Option<Clip> {
        let ids: HashSet<TouchpointId> = self.selection.cards().iter().cloned().collect();
        let clip = Clip::copy(self.doc(), &ids);
        (!clip.is_empty()).then_some(clip)
    }

    /// Pastes clipboard text: cards if it holds some, at the canvas point `at` when that
    /// is inside a cell.
    pub(super) fn paste_text(&mut self, text: &str, at: Option<crate::scene::Point>) {
        // The system clipboard is the truth: text that is not cards means the user copied
        // something else since, and pasting the older cards would surprise.
        match Clip::from_text(text) {
            Some(clip) => {
                let at = at
                    .and_then(|p| self.canvas.layout().cell_at(p))
                    .map(|(stage, lane, pos)| PasteAt { stage, lane, pos });
                self.paste_clip(&clip, at.as_ref());
            }
            None if !text.trim().is_empty() => self
                .set_info("The clipboard holds text, not cards: select a field to paste it there."),
            None => {}
        }
    }

    pub(super) fn paste_clip(&mut self, clip: &Clip, at: Option<&PasteAt>) {
        let (ins, new_ids) = clip.to_insertion_at(self.doc(), at);
        if new_ids.is_empty() {
            return;
        }
        match self.editor.apply(Command::Insert(Box::new(ins))) {
            Ok(_) => self.selection = Selection::Cards(new_ids),
            Err(e) => self.set_error(e.to_string()),
        }
    }

    pub(super) fn duplicate(&mut self) {
        if let Some(clip) = self.selected_clip() {
            self.paste_clip(&clip, None);
        }
    }

    /// Arrow keys move the selected cards to the neighbouring stage or lane.
    pub(super) fn nudge(&mut self, dstage: isize, dlane: isize) {
        let doc = self.doc();
        let (ns, nl) = (doc.stages.len() as isize, doc.lanes.len() as isize);
        let placements: Vec<_> = self
            .selection
            .cards()
            .iter()
            .filter_map(|id| {
                let t = doc.touchpoint(id)?;
                let s = (doc.stage_index(&t.stage)? as isize + dstage).clamp(0, ns - 1) as usize;
                let l = (doc.lane_index(&t.lane)? as isize + dlane).clamp(0, nl - 1) as usize;
                Some(crate::edit::Placement {
                    id: id.clone(),
                    stage: doc.stages[s].id.clone(),
                    lane: doc.lanes[l].id.clone(),
                    position: t.position,
                })
            })
            .collect();
        if !placements.is_empty()
            && let Err(e) = self.editor.apply(Command::MoveTouchpoints(placements))
        {
            self.set_error(e.to_string());
        }
    }

    /// Keyboard shortcuts and clipboard events, turned into actions.
    pub(super) fn keyboard_input(&mut self, ctx: &egui::Context, actions: &mut Actions) {
        let typing = ctx.egui_wants_keyboard_input();
        for cmd in UiCommand::WITH_SHORTCUTS {
            if typing && cmd.yields_to_text_fields() {
                continue;
            }
            if self.screen == Screen::Start
                && !matches!(cmd, UiCommand::New | UiCommand::Open | UiCommand::Quit)
            {
                continue;
            }
            let hit = ctx.input_mut(|i| {
                cmd.shortcut().is_some_and(|s| i.consume_shortcut(&s))
                    || cmd.alt_shortcut().is_some_and(|s| i.consume_shortcut(&s))
            });
            if hit {
                actions.push(Action::Ui(cmd));
            }
        }
        if typing || self.screen != Screen::Canvas {
            return;
        }
        let zoom_in = ctx.input_mut(|i| {
            i.consume_key(egui::Modifiers::COMMAND, Key::Plus)
                || i.consume_key(egui::Modifiers::COMMAND, Key::Equals)
        });
        if zoom_in {
            actions.push(Action::Ui(UiCommand::ZoomIn));
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::Minus)) {
            actions.push(Action::Ui(UiCommand::ZoomOut));
        }
        self.clipboard_input(ctx, actions);
        if !self.selection.cards().is_empty() {
            let arrows = [
                (Key::ArrowLeft, -1, 0),
                (Key::ArrowRight, 1, 0),
                (Key::ArrowUp, 0, -1),
                (Key::ArrowDown, 0, 1),
            ];
            for (key, stages, lanes) in arrows {
                if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                    actions.push(Action::Nudge { stages, lanes });
                }
            }
        }
        // Escape closes what is on top first: a menu, the export window, a gesture (the
        // canvas cancels those), and only then clears the selection.
        if self.canvas.gesture == Default::default()
            && self.canvas.title_edit.is_none()
            && !self.export.open
            && !egui::Popup::is_any_open(ctx)
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Escape))
        {
            self.selection = Selection::None;
        }
    }

    /// Clipboard events (the platform's Ctrl+C, Ctrl+X, Ctrl+V), as commands and a paste
    /// at the pointer when it is over the canvas.
    pub(super) fn clipboard_input(&self, ctx: &egui::Context, actions: &mut Actions) {
        let events = ctx.input(|i| i.events.clone());
        for e in events {
            match e {
                egui::Event::Copy => actions.push(Action::Ui(UiCommand::Copy)),
                egui::Event::Cut => actions.push(Action::Ui(UiCommand::Cut)),
                egui::Event::Paste(text) => {
                    let at = ctx
                        .pointer_hover_pos()
                        // Not over a pinned header: the cell under it is hidden.
                        .filter(|p| self.canvas.content_area().contains(*p))
                        .map(|p| self.canvas.view.to_canvas(self.canvas.area, p));
                    actions.push(Action::Paste { text, at });
                }
                _ => {}
            }
        }
    }

    /// Files dropped on the window open (the first one).
    pub(super) fn dropped_files_input(&mut self, ctx: &egui::Context, actions: &mut Actions) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(path) = dropped.into_iter().next().map(|f| f.path().to_owned()) {
            actions.push(Action::OpenPath(path));
        }
    }
}
