//! Copy, paste and duplicate: a [`Clip`] of cards (with the flows between them and the
//! themes they use) that becomes an [`Insertion`] with fresh ids when pasted.

use super::command::Insertion;
use crate::model::{
    CellPos, Document, Flow, FlowId, LaneId, StageId, Theme, ThemeId, Touchpoint, TouchpointId,
};
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

/// Where to paste: a cell and a place in it (where the pointer is).
#[derive(Clone, Debug, PartialEq)]
pub struct PasteAt {
    pub stage: StageId,
    pub lane: LaneId,
    pub pos: CellPos,
}

/// The place after every other card of a cell (cells order their cards by position, then
/// id), so a pasted card never lands between the originals.
const END_OF_CELL: CellPos = CellPos { x: 1.0, y: 1.0 };

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

    /// What pasting into `doc` inserts: cards and flows under fresh ids, each after the
    /// other cards of the cell it was copied from (or of the first stage/lane when that
    /// cell does not exist in `doc`), themes the document lacks, and theme references it
    /// cannot satisfy dropped. Also returns the new card ids, to select them.
    pub fn to_insertion(&self, doc: &Document) -> (Insertion, Vec<TouchpointId>) {
        self.to_insertion_at(doc, None)
    }

    /// As [`Clip::to_insertion`], but with `at`: the first card goes to that cell and
    /// place, the others keep their stage and lane distance from it (clamped to the
    /// grid), in the order they were copied.
    pub fn to_insertion_at(
        &self,
        doc: &Document,
        at: Option<&PasteAt>,
    ) -> (Insertion, Vec<TouchpointId>) {
        let mut ids = FreshIds::new(doc);
        let new_themes: Vec<Theme> = self
            .themes
            .iter()
            .filter(|t| doc.theme(&t.id).is_none())
            .cloned()
            .collect();
        let known_theme =
            |id: &ThemeId| doc.theme(id).is_some() || new_themes.iter().any(|t| &t.id == id);
        if doc.stages.is_empty() || doc.lanes.is_empty() {
            return (Insertion::default(), Vec::new());
        }
        let cell_of = |tp: &Touchpoint| {
            (
                doc.stage_index(&tp.stage).unwrap_or(0) as isize,
                doc.lane_index(&tp.lane).unwrap_or(0) as isize,
            )
        };
        let shift = at.and_then(|a| {
            let (fs, fl) = cell_of(self.touchpoints.first()?);
            let ts = doc.stage_index(&a.stage)? as isize;
            let tl = doc.lane_index(&a.lane)? as isize;
            Some((ts - fs, tl - fl))
        });
        let (last_stage, last_lane) = (doc.stages.len() as isize - 1, doc.lanes.len() as isize - 1);
        let mut renamed: HashMap<&TouchpointId, TouchpointId> = HashMap::new();
        let mut touchpoints = Vec::with_capacity(self.touchpoints.len());
        for (i, tp) in self.touchpoints.iter().enumerate() {
            let mut new = tp.clone();
            new.id = TouchpointId::new(ids.next(TouchpointId::PREFIX));
            let (mut s, mut l) = cell_of(tp);
            if let Some((ds, dl)) = shift {
                s = (s + ds).clamp(0, last_stage);
                l = (l + dl).clamp(0, last_lane);
            }
            new.stage = doc.stages[s as usize].id.clone();
            new.lane = doc.lanes[l as usize].id.clone();
            new.position = match (at, shift) {
                (Some(a), Some(_)) if a.stage == new.stage && a.lane == new.lane => CellPos {
                    // The same row, one after the other in the copied order.
                    x: (a.pos.x + i as f32 * 1e-4).min(1.0),
                    y: a.pos.y,
                },
                (Some(_), Some(_)) => tp.position,
                _ => END_OF_CELL,
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
            let candidate = crate::model::fresh_id_candidate(prefix, self.next);
            self.next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}
