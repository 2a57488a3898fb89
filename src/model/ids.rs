//! Stable string identifiers for the elements of a canvas.
//!
//! Ids are strings (not indices) so that they survive save/load, copy and paste between
//! files, and merges of two colleagues' edits in git.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The prefix that freshly generated ids of this kind start with.
            pub const PREFIX: &'static str = $prefix;

            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

string_id!(
    /// Identifies a stage (a column of the canvas).
    StageId,
    "stage"
);
string_id!(
    /// Identifies a lane (a row of the canvas: a channel or backstage).
    LaneId,
    "lane"
);
string_id!(
    /// Identifies an orchestration theme.
    ThemeId,
    "theme"
);
string_id!(
    /// Identifies a touchpoint card.
    TouchpointId,
    "tp"
);
string_id!(
    /// Identifies a persona (someone who lives the journey).
    PersonaId,
    "persona"
);
string_id!(
    /// Identifies a flow arrow.
    FlowId,
    "flow"
);

/// Longest id the loader accepts, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// Why an id string is not acceptable, or `None` when it is.
///
/// Ids must be short, non-empty and printable so that they can appear in error messages,
/// file diffs and command lines without surprises.
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("an id must not be empty")
    } else if id.len() > MAX_ID_LEN {
        Some("an id must be at most 128 bytes long")
    } else if id.chars().any(char::is_control) {
        Some("an id must not contain control characters")
    } else if id.trim() != id {
        Some("an id must not start or end with spaces")
    } else {
        None
    }
}

thread_local! {
    static FRESH_ID_TAG: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Makes fresh ids made on this thread carry `tag` (`tp-k3f9-12` rather than `tp-12`), or
/// stops it (`None`). While co-editing live, two people adding a card at the same moment
/// would otherwise both pick the next free number and one card would replace the other.
pub fn set_fresh_id_tag(tag: Option<String>) {
    FRESH_ID_TAG.with(|t| *t.borrow_mut() = tag);
}

/// The `n`th candidate for a fresh id with this prefix (with the tag set on this thread).
pub fn fresh_id_candidate(prefix: &str, n: usize) -> String {
    FRESH_ID_TAG.with(|t| match t.borrow().as_deref() {
        Some(tag) => format!("{prefix}-{tag}-{n}"),
        None => format!("{prefix}-{n}"),
    })
}
