//! The canvas inside the CRDT (a Yjs document), and back.
//!
//! The mapping is the simplest one that converges, field by field:
//!
//! | Yjs root map | key | value |
//! |---|---|---|
//! | `meta` | a top-level field of the file (`title`, `personas`, `lineage`, unknown ones) | its JSON value, as one register (the personas: the whole list, pictures included) |
//! | `stages`, `lanes`, `themes`, `touchpoints`, `flows` | the element's id | a map of its fields (as in the file, without `id`), each field one register |
//! | `order` | `LIST/ID` | a number: elements are listed by it, then by id |
//!
//! Two people changing different fields of one card both win; the same field, the last
//! writer wins (Yjs decides, the same way on every machine). Lists inside a card (themes,
//! cues, senses) are one value. A deleted element takes its fields with it, so an edit made
//! at the same moment as a colleague's delete is lost with the element.
//!
//! What comes out is checked as if it were a file ([`read`]): each element is read with the
//! file's own deserialiser, then the whole canvas with [`validate`]. An element that does
//! not pass is refused: the last version of it that did is kept, or it is left out; a card
//! whose stage or lane was deleted, or a flow whose card was, is left out; a card keeps
//! only the themes that exist. So the canvas shown is always one the loader would open.

use crate::model::{MAX_FLOWS, MAX_LANES, MAX_STAGES, MAX_THEMES, MAX_TOUCHPOINTS};
use serde_json::{Map as JsonMap, Value};
use yrs::{Doc, Map, MapRef, ReadTxn};

mod local;
mod personas;
mod read;
mod repair;
#[cfg(test)]
mod tests;
mod values;
mod watch;
mod write;

pub use local::{ElementEdit, LocalChange, fields_of, meta_of};
pub use read::{Findings, read};
pub use values::{to_any, to_value};
pub use watch::{Changed, read_changed};
pub use write::{assign_orders, write, write_document};

/// An element's fields as the file holds them (without its `id`).
pub type Fields = JsonMap<String, Value>;

/// One of the canvas's lists of elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    Stages,
    Lanes,
    Themes,
    Touchpoints,
    Flows,
}

impl List {
    pub const ALL: [List; 5] = [
        List::Stages,
        List::Lanes,
        List::Themes,
        List::Touchpoints,
        List::Flows,
    ];

    /// The list's key in the file (and the root map's name).
    pub fn key(self) -> &'static str {
        match self {
            List::Stages => "stages",
            List::Lanes => "lanes",
            List::Themes => "themes",
            List::Touchpoints => "touchpoints",
            List::Flows => "flows",
        }
    }

    /// One element, in messages.
    pub fn noun(self) -> &'static str {
        match self {
            List::Stages => "stage",
            List::Lanes => "lane",
            List::Themes => "theme",
            List::Touchpoints => "card",
            List::Flows => "flow",
        }
    }

    fn max(self) -> usize {
        match self {
            List::Stages => MAX_STAGES,
            List::Lanes => MAX_LANES,
            List::Themes => MAX_THEMES,
            List::Touchpoints => MAX_TOUCHPOINTS,
            List::Flows => MAX_FLOWS,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The root maps of a canvas's Yjs document.
pub struct Roots {
    pub meta: MapRef,
    lists: [MapRef; 5],
    pub order: MapRef,
}

impl Roots {
    pub fn new(doc: &Doc) -> Self {
        Self {
            meta: doc.get_or_insert_map("meta"),
            lists: List::ALL.map(|l| doc.get_or_insert_map(l.key())),
            order: doc.get_or_insert_map("order"),
        }
    }

    pub fn list(&self, list: List) -> &MapRef {
        &self.lists[list.index()]
    }

    /// Every root map (what undo watches).
    pub fn all(&self) -> impl Iterator<Item = &MapRef> {
        std::iter::once(&self.meta)
            .chain(self.lists.iter())
            .chain(std::iter::once(&self.order))
    }

    /// Whether the room holds no canvas yet.
    pub fn is_empty<T: ReadTxn>(&self, txn: &T) -> bool {
        self.all().all(|m| m.len(txn) == 0)
    }
}

fn order_key(list: List, id: &str) -> String {
    format!("{}/{id}", list.key())
}
