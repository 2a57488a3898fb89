//! [`Action`]: what a widget asks the app to do. Widgets push actions into a queue during
//! the UI pass; the app applies them after it, so no widget ever mutates the document.

use super::commands::UiCommand;
use crate::edit::Command;
use crate::model::{LaneId, StageId, ThemeId, TouchpointId};
use crate::scoring::Target;
use std::path::PathBuf;

/// What is selected. Cards can be selected together; a stage, lane or theme alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Selection {
    #[default]
    None,
    /// Cards in the order they were selected.
    Cards(Vec<TouchpointId>),
    Stage(StageId),
    Lane(LaneId),
    Theme(ThemeId),
}

impl Selection {
    pub fn cards(&self) -> &[TouchpointId] {
        match self {
            Selection::Cards(ids) => ids,
            _ => &[],
        }
    }

    pub fn contains_card(&self, id: &TouchpointId) -> bool {
        self.cards().contains(id)
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Selection::None => true,
            Selection::Cards(ids) => ids.is_empty(),
            _ => false,
        }
    }
}

/// A request from the UI, applied after the UI pass.
#[derive(Clone, Debug)]
pub enum Action {
    /// Change the document (one undo step, or part of the open gesture).
    Edit(Command),
    /// A gesture starts: following edits become one undo step.
    Begin(&'static str),
    /// The gesture ends.
    Commit,
    /// The gesture is cancelled: revert its edits.
    Abort,
    Ui(UiCommand),
    Select(Selection),
    /// Add a card to the selection, or take it out if it is in (shift-click).
    ToggleCard(TouchpointId),
    /// Select what a finding names and frame it on the canvas.
    Reveal(Vec<Target>),
    OpenPath(PathBuf),
    /// Open one of the bundled samples (by index in the sample list).
    OpenSample(usize),
    /// Show a message in the banner.
    Notify(String),
    /// Open the in-place title editor on a card (after the edit that creates it).
    EditTitle(TouchpointId),
    /// Paste clipboard text: cards if it holds a clip (one undo step), at `at` (a canvas
    /// point, where the pointer was) when that is inside a cell.
    Paste {
        text: String,
        at: Option<crate::scene::Point>,
    },
    /// Move the selected cards by whole stages and lanes (arrow keys; one undo step).
    Nudge {
        stages: isize,
        lanes: isize,
    },
}

/// The queue widgets push into.
#[derive(Default)]
pub struct Actions(pub Vec<Action>);

impl Actions {
    pub fn push(&mut self, a: Action) {
        self.0.push(a);
    }

    pub fn edit(&mut self, c: Command) {
        self.0.push(Action::Edit(c));
    }
}
