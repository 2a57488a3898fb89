//! Comparing and merging canvases: what changed between two copies ([`diff`]), and a
//! three-way merge of two colleagues' copies of one canvas by id, field by field
//! ([`merge`]). Pure functions over [`Document`]; no egui, no files.
//!
//! The rules a designer sees are in `docs/MERGE.md`; in short:
//!
//! - elements (stages, lanes, themes, cards, flows) are matched by id, never by position;
//! - a field changed on one side takes that change; the same change on both sides is taken
//!   once; different changes to one field are a [`Conflict`], resolved to the preferred
//!   side (ours unless told otherwise) so that the result is always a valid canvas;
//! - long texts (notes, the persona's goal, a theme's intents) changed on both sides merge
//!   line by line when the changes touch different lines ([`lines`]);
//! - lists inside an element (a card's themes, cues and senses, a theme's tone) merge as
//!   sets; lists of elements merge as ordered sets ([`order`]).
//!
//! Implementation notes: the merge is written in terms of the *preferred* side and the
//! *other* side, never "ours" and "theirs", so that preferring theirs gives exactly the
//! merge with the two sides swapped (a property test holds it to that). Everything is
//! hash maps by id and linear passes (plus an `n log n` longest increasing subsequence
//! for moves): see BENCHMARKS.md, "Merge and diff", for what two 20,000-card copies cost.

mod diff;
pub mod lines;
pub mod order;
mod three_way;

#[cfg(test)]
mod tests;

pub use diff::{
    Change, Diff, ElementChange, FieldChange, RuleChange, ScoreChange, diff, field_text,
};
pub use three_way::{merge, merge_with};

use crate::model::Document;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// One of the two copies being merged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The copy being merged into (git's `%A`, the current branch).
    #[default]
    Ours,
    /// The colleague's copy (git's `%B`, the branch being merged).
    Theirs,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Ours => Side::Theirs,
            Side::Theirs => Side::Ours,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        }
    }
}

impl std::str::FromStr for Side {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "ours" => Ok(Side::Ours),
            "theirs" => Ok(Side::Theirs),
            _ => Err(format!("expected ours or theirs, found {s:?}")),
        }
    }
}

/// What kind of element a change or a conflict is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// The canvas itself: its title and unknown top-level fields.
    Document,
    Persona,
    Stage,
    Lane,
    Theme,
    /// A touchpoint.
    Card,
    Flow,
}

impl ElementKind {
    /// The word a designer reads ("card", not "touchpoint").
    pub fn label(self) -> &'static str {
        match self {
            ElementKind::Document => "canvas",
            ElementKind::Persona => "persona",
            ElementKind::Stage => "stage",
            ElementKind::Lane => "lane",
            ElementKind::Theme => "theme",
            ElementKind::Card => "card",
            ElementKind::Flow => "flow",
        }
    }
}

/// The field name a conflict carries when one side edited an element the other deleted.
pub const EDITED_DELETED: &str = "deleted";
/// The field name of a conflict between two different moves of a stage, lane or theme in
/// its list.
pub const ORDER: &str = "order";
/// The field name of a card's cell and place in it (stage, lane, position), which merge
/// as one: a card moved on both sides to different places is one conflict.
pub const PLACE: &str = "place";

/// Which field of which element a conflict is about; the key to resolve it by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ConflictKey {
    pub element: ElementKind,
    /// The element's id (empty for the canvas).
    pub id: String,
    /// The field (`title`, `place`, `notes`, an unknown field's key...), or
    /// [`EDITED_DELETED`] or [`ORDER`].
    pub field: String,
}

/// Two different changes to one field, or an edit to an element the other side deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    #[serde(flatten)]
    pub key: ConflictKey,
    /// Our value, for display (texts quoted, as in JSON).
    pub ours: String,
    /// Their value, for display.
    pub theirs: String,
    /// The side whose value the merged document holds.
    pub resolved_to: Side,
}

/// Longest value shown in a conflict line; longer ones end in `…` (the full values are in
/// [`Conflict::ours`] and [`Conflict::theirs`]).
const SHOWN_CHARS: usize = 80;

fn shorten(s: &str) -> String {
    if s.chars().count() <= SHOWN_CHARS {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(SHOWN_CHARS - 1).collect();
        out.push('…');
        out
    }
}

impl fmt::Display for Conflict {
    /// `card "tp-3" title: ours "Pay", theirs "Pay at the till"`: one line, values
    /// shortened, then which side the merged canvas holds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = &self.key;
        f.write_str(k.element.label())?;
        if !k.id.is_empty() {
            write!(f, " {}", quote(&k.id))?;
        }
        write!(
            f,
            " {}: ours {}, theirs {}; kept {}",
            k.field,
            shorten(&self.ours),
            shorten(&self.theirs),
            self.resolved_to.label()
        )
    }
}

/// Choices made conflict by conflict (from a conflicts panel), over the default preference.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolutions {
    chosen: HashMap<ConflictKey, Side>,
}

impl Resolutions {
    /// Resolves the conflict with this key to `side` on the next [`merge_with`].
    pub fn choose(&mut self, key: ConflictKey, side: Side) {
        self.chosen.insert(key, side);
    }

    /// The side chosen for this key, if one was.
    pub fn get(&self, key: &ConflictKey) -> Option<Side> {
        self.chosen.get(key).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }
}

/// The result of a merge: a valid document, and what the user must be told.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeOutcome {
    /// The merged canvas; always passes `model::validate`.
    pub doc: Document,
    /// Conflicts, in document order (canvas, persona, stages, lanes, themes, cards,
    /// flows), each already resolved in `doc` to [`Conflict::resolved_to`].
    pub conflicts: Vec<Conflict>,
    /// Repairs made after merging, one sentence each: a flow dropped because the other
    /// side deleted its card, a stage kept because the other side's cards still use it, a
    /// list cut to its limit.
    pub notes: Vec<String>,
}

impl MergeOutcome {
    /// Whether the merge needed no decision (repairs in `notes` may still have been made).
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// A text as JSON writes it: quoted, with quotes, backslashes and control characters
/// escaped, so a value shows on one line whatever it holds.
pub(crate) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}
