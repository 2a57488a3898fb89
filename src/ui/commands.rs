//! [`UiCommand`]: the app-level commands of menus, toolbar and keyboard, each with its
//! label, tooltip and shortcut in one place (so the menu, the toolbar and the shortcut
//! handler can never disagree).

use egui::{Key, KeyboardShortcut, Modifiers};

/// A command the user can invoke from a menu, a button or a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UiCommand {
    New,
    Open,
    Save,
    SaveAs,
    Export,
    Undo,
    Redo,
    /// Copy the selected cards to the system clipboard (with their flows and themes).
    Copy,
    /// Copy the selected cards, then delete them.
    Cut,
    /// Paste cards from the system clipboard: at the pointer when it is over a cell, else
    /// after the other cards of the cell they were copied from.
    Paste,
    Duplicate,
    Delete,
    SelectAll,
    ZoomToFit,
    /// Zoom 100%: cards at their real size, where they are easiest to read and edit.
    ZoomActual,
    ZoomIn,
    ZoomOut,
    ToggleDarkMode,
    /// Show or hide the legend of card marks and theme colours on the canvas.
    ToggleLegend,
    /// Show or hide the emotion curve's band under the stage headers.
    ToggleEmotionCurve,
    StartScreen,
    /// From the start screen back to the canvas that is still open behind it.
    BackToCanvas,
    /// Close the window (asks first when there are unsaved changes).
    Quit,
    /// Show another version's differences on the canvas.
    CompareWith,
    /// Merge a colleague's copy into this canvas (one undo step, conflicts to review).
    MergeCopy,
    /// Put this canvas in a live room on a sync server, for colleagues to edit with you.
    ShareLive,
    /// Open a live room a colleague shared (asks to save unsaved changes first).
    JoinLive,
    /// Stop co-editing; the canvas stays open here.
    LeaveLive,
    /// Hide or show both side panels at once (more room for the canvas).
    TogglePanels,
    TogglePalette,
    ToggleInspector,
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

impl UiCommand {
    /// Commands whose shortcuts are checked every frame, in this order. Copy, Cut and
    /// Paste are not among them: the platform turns their keys into clipboard events
    /// (`egui::Event::Copy` …), which the app handles as these commands.
    pub const WITH_SHORTCUTS: [UiCommand; 14] = [
        UiCommand::New,
        UiCommand::Open,
        // Save As before Save: Ctrl+Shift+S must not be taken as Ctrl+S.
        UiCommand::SaveAs,
        UiCommand::Save,
        UiCommand::Export,
        UiCommand::Redo,
        UiCommand::Undo,
        UiCommand::Duplicate,
        UiCommand::SelectAll,
        UiCommand::ZoomToFit,
        UiCommand::ZoomActual,
        UiCommand::TogglePanels,
        UiCommand::Delete,
        UiCommand::Quit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UiCommand::New => "New canvas",
            UiCommand::Open => "Open…",
            UiCommand::Save => "Save",
            UiCommand::SaveAs => "Save as…",
            UiCommand::Export => "Export…",
            UiCommand::Undo => "Undo",
            UiCommand::Redo => "Redo",
            UiCommand::Copy => "Copy",
            UiCommand::Cut => "Cut",
            UiCommand::Paste => "Paste",
            UiCommand::Duplicate => "Duplicate",
            UiCommand::Delete => "Delete",
            UiCommand::SelectAll => "Select all cards",
            UiCommand::ZoomToFit => "Zoom to fit",
            UiCommand::ZoomActual => "Zoom 100%",
            UiCommand::ZoomIn => "Zoom in",
            UiCommand::ZoomOut => "Zoom out",
            UiCommand::ToggleDarkMode => "Dark mode",
            UiCommand::ToggleLegend => "Legend",
            UiCommand::ToggleEmotionCurve => "Emotion curve",
            UiCommand::StartScreen => "Start screen",
            UiCommand::BackToCanvas => "Back to the canvas",
            UiCommand::Quit => "Quit",
            UiCommand::CompareWith => "Compare with…",
            UiCommand::MergeCopy => "Merge a colleague's copy…",
            UiCommand::ShareLive => "Share live…",
            UiCommand::JoinLive => "Join live…",
            UiCommand::LeaveLive => "Leave the live session",
            UiCommand::TogglePanels => "Side panels",
            UiCommand::TogglePalette => "Touchpoints and themes",
            UiCommand::ToggleInspector => "Inspector",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::New => "Start a new canvas with the four default stages",
            UiCommand::Open => "Open a canvas (.json, or a .png exported by Stagecraft)",
            UiCommand::Save => "Save the canvas",
            UiCommand::SaveAs => "Save the canvas under a new name",
            UiCommand::Export => "Export the canvas as PNG, SVG or PDF for printing",
            UiCommand::Undo => "Undo the last change",
            UiCommand::Redo => "Redo the last undone change",
            UiCommand::Copy => "Copy the selected cards, with the flows between them",
            UiCommand::Cut => "Copy the selected cards, then delete them",
            UiCommand::Paste => {
                "Paste copied cards: at the pointer when it is over a cell, else after the \
                 other cards of their cell"
            }
            UiCommand::Duplicate => "Duplicate the selected cards",
            UiCommand::Delete => "Delete the selection",
            UiCommand::SelectAll => "Select every card",
            UiCommand::ZoomToFit => "Show the whole journey",
            UiCommand::ZoomActual => {
                "Show the cards at their real size, around the middle of the view"
            }
            UiCommand::ZoomIn => "Zoom in",
            UiCommand::ZoomOut => "Zoom out",
            UiCommand::ToggleDarkMode => "Switch between the light and dark look",
            UiCommand::ToggleLegend => {
                "Show what the card marks and the theme colours mean, in a corner of the canvas"
            }
            UiCommand::ToggleEmotionCurve => {
                "Show the guest's emotion card by card, as a curve under the stage headers"
            }
            UiCommand::StartScreen => "Back to the samples and recent files",
            UiCommand::BackToCanvas => "Return to the canvas you were working on",
            UiCommand::Quit => "Close Stagecraft (asks to save unsaved changes)",
            UiCommand::CompareWith => {
                "Show what differs from another version of this canvas, on the canvas"
            }
            UiCommand::MergeCopy => {
                "Bring a colleague's changes into this canvas; you choose where you both changed the same thing"
            }
            UiCommand::ShareLive => {
                "Edit this canvas together with colleagues, live, through a sync server: you get an address to give them"
            }
            UiCommand::JoinLive => "Open a canvas a colleague is sharing live, from its address",
            UiCommand::LeaveLive => {
                "Stop editing together; the canvas stays open here (save it to keep a copy)"
            }
            UiCommand::TogglePanels => {
                "Hide or show both side panels to give the canvas the whole window"
            }
            UiCommand::TogglePalette => {
                "Show the left panel (touchpoint palette, themes, structure)"
            }
            UiCommand::ToggleInspector => "Show the right panel (journey, card details, coherence)",
        }
    }

    /// The main shortcut (menus show it).
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let k = |m, key| Some(KeyboardShortcut::new(m, key));
        match self {
            UiCommand::New => k(CMD, Key::N),
            UiCommand::Open => k(CMD, Key::O),
            UiCommand::Save => k(CMD, Key::S),
            UiCommand::SaveAs => k(CMD_SHIFT, Key::S),
            UiCommand::Export => k(CMD, Key::E),
            UiCommand::Undo => k(CMD, Key::Z),
            UiCommand::Redo => k(CMD_SHIFT, Key::Z),
            UiCommand::Copy => k(CMD, Key::C),
            UiCommand::Cut => k(CMD, Key::X),
            UiCommand::Paste => k(CMD, Key::V),
            UiCommand::Duplicate => k(CMD, Key::D),
            UiCommand::Delete => k(Modifiers::NONE, Key::Delete),
            UiCommand::SelectAll => k(CMD, Key::A),
            UiCommand::ZoomToFit => k(CMD, Key::Num0),
            UiCommand::ZoomActual => k(CMD, Key::Num1),
            UiCommand::ZoomIn => k(CMD, Key::Plus),
            UiCommand::ZoomOut => k(CMD, Key::Minus),
            UiCommand::TogglePanels => k(CMD, Key::Backslash),
            UiCommand::Quit => k(CMD, Key::Q),
            UiCommand::ToggleDarkMode
            | UiCommand::ToggleLegend
            | UiCommand::ToggleEmotionCurve
            | UiCommand::StartScreen
            | UiCommand::BackToCanvas
            | UiCommand::CompareWith
            | UiCommand::MergeCopy
            | UiCommand::ShareLive
            | UiCommand::JoinLive
            | UiCommand::LeaveLive
            | UiCommand::TogglePalette
            | UiCommand::ToggleInspector => None,
        }
    }

    /// The main shortcut as this platform writes it ("Ctrl+Z", "⌘Z").
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcut()
            // egui names the key "Backslash"; the symbol reads better.
            .map(|sc| ctx.format_shortcut(&sc).replace("Backslash", "\\"))
    }

    /// The tooltip of a button for this command: what it does and its shortcut.
    pub fn hover_text(self, ctx: &egui::Context) -> String {
        match self.shortcut_text(ctx) {
            Some(sc) => format!("{} ({sc})", self.tooltip()),
            None => self.tooltip().to_owned(),
        }
    }

    /// Other shortcuts that do the same (Ctrl+Y for redo, Backspace for delete).
    pub fn alt_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            UiCommand::Redo => Some(KeyboardShortcut::new(CMD, Key::Y)),
            UiCommand::Delete => Some(KeyboardShortcut::new(Modifiers::NONE, Key::Backspace)),
            UiCommand::ZoomIn => Some(KeyboardShortcut::new(CMD, Key::Equals)),
            _ => None,
        }
    }

    /// Whether the command acts on the canvas selection, so a focused text field (where
    /// Ctrl+A or Delete mean something else) takes precedence.
    pub fn yields_to_text_fields(self) -> bool {
        matches!(
            self,
            UiCommand::Undo
                | UiCommand::Redo
                | UiCommand::Copy
                | UiCommand::Cut
                | UiCommand::Paste
                | UiCommand::Duplicate
                | UiCommand::Delete
                | UiCommand::SelectAll
        )
    }
}
