//! Copy, paste and duplicate: a [`Clip`] of cards (with the flows between them and the
//! themes they use) that becomes an [`Insertion`] with fresh ids when pasted.

use super::command::Insertion;
use crate::model::{CellPos, Document, Flow, FlowId, Theme, ThemeId, Touchpoint, TouchpointId};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Copied elements. Serializable so it can travel through the system clipboard as JSON
/// between two windows or two files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Clip {
    #[serde(default)]
    pub themes: Vec<Theme>,
    #[serde(default)]
    pub touchpoints: Vec<Touchpoint>,
    #[serde(default)]
    pub flows: Vec<Flow>,
}

/// Tag put in front of clip JSON on the system clipboard, so plain text is not mistaken
/// for cards.
pub const CLIP_TAG: &str = "stagecraft-clip:";

impl Clip {
    /// The cards with these ids (in document order), the flows between two of them, and
    /// the themes they carry.
    pub fn copy(doc: &Document, ids: &HashSet<TouchpointId>) -> Clip {
        let touchpoints: Vec<Touchpoint> = doc
            .touchpoints
            .iter()
            .filter(|t| ids.contains(&t.id))
            .cloned()
            .collect();
        let flows = doc
            .flows
            .iter()
            .filter(|f| ids.contains(&f.from) && ids.contains(&f.to))
            .cloned()
            .collect();
        let used: HashSet<_> = touchpoints.iter().flat_map(|t| &t.themes).collect();
        let themes = doc
            .themes
            .iter()
            .filter(|t| used.contains(&t.id))
            .cloned()
            .collect();
        Clip {
            themes,
            touchpoints,
            flows,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.touchpoints.is_empty()
    }

    /// The clip as text for the system clipboard.
    pub fn to_text(&self) -> String {
        format!(
            "{CLIP_TAG}{}",
            serde_json::to_string(self).unwrap_or_default()
        )
    }

    /// A clip from system clipboard text, or `None` when the text is not one.
    pub fn from_text(text: &str) -> Option<Clip> {
        serde_json::from_str(text.strip_prefix(CLIP_TAG)?).ok()
    }

    /// What pasting into `doc` inserts: cards and flows under fresh ids, placed a little
    /// below the originals in the same cells (or the first stage/lane when the cell does
    /// not exist in `doc`), themes the document lacks, and theme references it cannot
    /// satisfy dropped. Also returns the new card ids, to select them.
    pub fn to_insertion(&self, doc: &Document) -> (Insertion, Vec<TouchpointId>) {
        let mut ids = FreshIds::new(doc);
        let new_themes: Vec<Theme> = self
            .themes
            .iter()
            .filter(|t| doc.theme(&t.id).is_none())
            .cloned()
            .collect();
        let known_theme =
            |id: &ThemeId| doc.theme(id).is_some() || new_themes.iter().any(|t| &t.id == id);
        let (Some(first_stage), Some(first_lane)) = (doc.stages.first(), doc.lanes.first()) else {
            return (Insertion::default(), Vec::new());
        };
        let mut renamed: HashMap<&TouchpointId, TouchpointId> = HashMap::new();
        let mut touchpoints = Vec::with_capacity(self.touchpoints.len());
        for tp in &self.touchpoints {
            let mut new = tp.clone();
            new.id = TouchpointId::new(ids.next(TouchpointId::PREFIX));
            if doc.stage(&new.stage).is_none() {
                new.stage = first_stage.id.clone();
            }
            if doc.lane(&new.lane).is_none() {
                new.lane = first_lane.id.clone();
            }
            new.position = CellPos {
                x: new.position.x,
                y: (new.position.y + 0.01).min(1.0),
            };
            new.themes.retain(known_theme);
            renamed.insert(&tp.id, new.id.clone());
            touchpoints.push(new);
        }
        let flows = self
            .flows
            .iter()
            .filter_map(|f| {
                Some(Flow {
                    id: FlowId::new(ids.next(FlowId::PREFIX)),
                    from: renamed.get(&f.from)?.clone(),
                    to: renamed.get(&f.to)?.clone(),
                    label: f.label.clone(),
                    extra: f.extra.clone(),
                })
            })
            .collect();
        let new_ids = touchpoints.iter().map(|t| t.id.clone()).collect();
        (
            Insertion {
                themes: new_themes,
                touchpoints,
                flows,
            },
            new_ids,
        )
    }
}

/// Hands out ids no element of a document uses, many at a time, in O(1) each.
pub struct FreshIds {
    taken: HashSet<String>,
    next: usize,
}

impl FreshIds {
    pub fn new(doc: &Document) -> Self {
        let taken: HashSet<String> = doc
            .stages
            .iter()
            .map(|s| s.id.0.clone())
            .chain(doc.lanes.iter().map(|l| l.id.0.clone()))
            .chain(doc.themes.iter().map(|t| t.id.0.clone()))
            .chain(doc.touchpoints.iter().map(|t| t.id.0.clone()))
            .chain(doc.flows.iter().map(|f| f.id.0.clone()))
            .collect();
        let next = taken.len() + 1;
        Self { taken, next }
    }

    /// `prefix-N` for the smallest N not taken from where the last search stopped.
    pub fn next(&mut self, prefix: &str) -> String {
        loop {
            let candidate = format!("{prefix}-{}", self.next);
            self.next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}
