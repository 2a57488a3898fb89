//! The canvas document: stages, lanes, themes, touchpoints and flows.
//!
//! This module knows nothing of egui, files or scoring. The structs here are exactly what
//! the JSON file holds (see `docs/FORMAT.md`); field order here is the order in the file.
//! Unknown fields read from a newer minor version land in each element's `extra` map and
//! are written back on save, so a colleague's data is never dropped silently.

mod color;
mod ids;
pub mod journey;
mod lineage;
mod persona;
mod serde_impl;
mod validate;

pub use color::Color;
pub use ids::{
    FlowId, LaneId, MAX_ID_LEN, PersonaId, StageId, ThemeId, TouchpointId, fresh_id_candidate,
    id_problem, set_fresh_id_tag,
};
pub use lineage::{Lineage, MAX_VERSIONS, fresh_version_id};
pub use persona::{
    MAX_PERSONAS, MAX_PICTURE_CHARS, PERSONA_COLORS, PICTURE_PREFIXES, Persona, next_persona_color,
    picture_problem,
};
pub use serde_impl::MAX_UNKNOWN_VALUES;
pub(crate) use serde_impl::{NESTED_FIELDS, reset_unknown_budget, take_dropped_nested};
pub use validate::{
    Element, MAX_FLOWS, MAX_LANES, MAX_LIST_ITEMS, MAX_STAGES, MAX_TEXT_CHARS, MAX_THEMES,
    MAX_TITLE_CHARS, MAX_TOUCHPOINTS, Problem, validate, validate_elements,
};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Fields the current code does not know, kept verbatim (sorted by key) for round trips.
pub type Extra = BTreeMap<String, Value>;

/// A whole canvas: one journey.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub title: String,
    /// Who lives the journey (format version 2; version 1 had one `persona`).
    #[serde(default)]
    pub personas: Vec<Persona>,
    #[serde(default)]
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub lanes: Vec<Lane>,
    #[serde(default)]
    pub themes: Vec<Theme>,
    #[serde(default)]
    pub touchpoints: Vec<Touchpoint>,
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// Which canvas this is a copy of and which saved versions it descends from (see
    /// [`Lineage`]); written by the app on save, empty in a canvas never saved.
    #[serde(default, skip_serializing_if = "Lineage::is_empty")]
    pub lineage: Lineage,
    #[serde(flatten, deserialize_with = "serde_impl::extra")]
    pub extra: Extra,
}

/// The four moments of truth (Google's ZMOT, P&G's FMOT and SMOT, Solis's UMOT).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Moment {
    /// Zero moment of truth: discovery (search, videos, reviews).
    #[serde(rename = "ZMOT")]
    Zmot,
    /// First moment of truth: about to buy.
    #[serde(rename = "FMOT")]
    Fmot,
    /// Second moment of truth: the lived experience.
    #[serde(rename = "SMOT")]
    Smot,
    /// Ultimate moment of truth: sharing, which feeds the next person's ZMOT.
    #[serde(rename = "UMOT")]
    Umot,
}

impl Moment {
    pub const ALL: [Moment; 4] = [Moment::Zmot, Moment::Fmot, Moment::Smot, Moment::Umot];

    pub fn label(self) -> &'static str {
        match self {
            Moment::Zmot => "ZMOT",
            Moment::Fmot => "FMOT",
            Moment::Smot => "SMOT",
            Moment::Umot => "UMOT",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Moment::Zmot => "Zero moment of truth: discovery",
            Moment::Fmot => "First moment of truth: about to buy",
            Moment::Smot => "Second moment of truth: the lived experience",
            Moment::Umot => "Ultimate moment of truth: sharing",
        }
    }
}

/// A column of the canvas, in journey order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub id: StageId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moment: Option<Moment>,
    #[serde(flatten, deserialize_with = "serde_impl::extra")]
    pub extra: Extra,
}

/// What kind of channel a lane is, or a touchpoint belongs to.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Web, app, e-mail, social media.
    #[default]
    Digital,
    /// A shop, a hotel room, a parcel: a place or a thing.
    Physical,
    /// A person: phone, counter, staff.
    Human,
    /// Employees and systems the customer does not see.
    Backstage,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 4] = [
        ChannelKind::Digital,
        ChannelKind::Physical,
        ChannelKind::Human,
        ChannelKind::Backstage,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChannelKind::Digital => "Digital",
            ChannelKind::Physical => "Physical",
            ChannelKind::Human => "Human",
            ChannelKind::Backstage => "Backstage",
        }
    }

    /// Channels where a person is bodily present, so that all five senses can be engaged.
    pub fn is_physical(self) -> bool {
        matches!(self, ChannelKind::Physical | ChannelKind::Human)
    }
}

/// A row of the canvas: a channel (web, app, store, phone...) or backstage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub id: LaneId,
    pub name: String,
    #[serde(default)]
    pub kind: ChannelKind,
    #[serde(flatten, deserialize_with = "serde_impl::extra")]
    pub extra: Extra,
}

/// What people should feel, think and share where a theme plays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "serde_impl::IntentIn")]
pub struct Intent {
    #[serde(default)]
    pub feel: String,
    #[serde(default)]
    pub think: String,
    #[serde(default)]
    pub share: String,
}

/// An orchestration theme: a named, coloured motif carried through the journey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub id: ThemeId,
    pub name: String,
    pub color: Color,
    #[serde(default)]
    pub intent: Intent,
    /// A few keywords describing the voice of the theme ("warm", "playful").
    #[serde(default)]
    pub tone: Vec<String>,
    #[serde(flatten, deserialize_with = "serde_impl::extra")]
    pub extra: Extra,
}

/// Whether a cue harmonises (positive) or spoils (negative) the impression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Positive,
    Negative,
}

/// A cue: something the guest notices.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "serde_impl::CueIn")]
pub struct Cue {
    pub text: String,
    pub polarity: Polarity,
}

/// The five senses a touchpoint can engage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sense {
    Sight,
    Hearing,
    Touch,
    Smell,
    Taste,
}

impl Sense {
    pub const ALL: [Sense; 5] = [
        Sense::Sight,
        Sense::Hearing,
        Sense::Touch,
        Sense::Smell,
        Sense::Taste,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Sense::Sight => "Sight",
            Sense::Hearing => "Hearing",
            Sense::Touch => "Touch",
            Sense::Smell => "Smell",
            Sense::Taste => "Taste",
        }
    }
}

/// Who lives a touchpoint.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    #[default]
    Customer,
    Employee,
}

/// Marks a designer puts on a touchpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "serde_impl::FlagsIn")]
pub struct Flags {
    #[serde(default)]
    pub pain_point: bool,
    #[serde(default)]
    pub magic_moment: bool,
    /// Something to take away or share: a souvenir, a photo, a gift.
    #[serde(default)]
    pub memorabilia: bool,
}

/// A top task (what the person came to do) and the effort it takes here.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "serde_impl::TopTaskIn")]
pub struct TopTask {
    /// The task, in the customer's words ("order my usual").
    #[serde(default)]
    pub task: String,
    /// Measured steps (clicks, screens, questions) to complete it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
    /// Measured time to complete it, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
    /// The budget the team set for steps; over it, the task irritates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_steps: Option<u32>,
    /// The budget the team set for seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_seconds: Option<f64>,
}

/// Where a card sits inside its cell, as fractions (0 to 1) of the cell's width and height.
/// The layout uses it to order cards within a cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "serde_impl::CellPosIn")]
pub struct CellPos {
    pub x: f32,
    pub y: f32,
}

/// What a card's content rests on: seen in research, told by people, or the team's guess.
/// Top-task management asks for decisions from observed behaviour, not from opinions in a
/// meeting room; the inspector and the poster show how much of a journey is assumed.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Seen: field observation, analytics, a recorded session.
    Observed,
    /// Told: interviews, surveys, reviews, support tickets.
    Reported,
    /// Nobody checked yet: the team's belief. The default, since a card no one has backed
    /// with research is an assumption (every card of a file written before the field).
    #[default]
    Assumed,
}

impl Evidence {
    pub const ALL: [Evidence; 3] = [Evidence::Observed, Evidence::Reported, Evidence::Assumed];

    pub fn label(self) -> &'static str {
        match self {
            Evidence::Observed => "Observed",
            Evidence::Reported => "Reported",
            Evidence::Assumed => "Assumed",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Evidence::Observed => "Observed: seen in research (field visits, analytics, sessions)",
            Evidence::Reported => "Reported: told by people (interviews, surveys, reviews)",
            Evidence::Assumed => "Assumed: the team's belief, not yet checked with customers",
        }
    }
}

/// Emotion scale: -2 (very negative) to +2 (very positive).
pub const EMOTION_MIN: i8 = -2;
pub const EMOTION_MAX: i8 = 2;

/// A card on the canvas: one moment where the person meets the company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    pub id: TouchpointId,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    pub stage: StageId,
    pub lane: LaneId,
    #[serde(default)]
    pub position: CellPos,
    #[serde(default)]
    pub kind: ChannelKind,
    #[serde(default)]
    pub themes: Vec<ThemeId>,
    /// The emotion it should leave, from -2 to +2.
    #[serde(default, deserialize_with = "serde_impl::emotion")]
    pub emotion: i8,
    /// The personas whose journey the card is part of; `None` (absent in the file): all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personas: Option<Vec<PersonaId>>,
    /// The emotion it leaves a persona with, where that differs from `emotion`.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "serde_impl::emotions"
    )]
    pub emotions: BTreeMap<PersonaId, i8>,
    #[serde(default)]
    pub cues: Vec<Cue>,
    #[serde(default)]
    pub senses: BTreeSet<Sense>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub department: String,
    #[serde(default)]
    pub actor: Actor,
    #[serde(default)]
    pub flags: Flags,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_task: Option<TopTask>,
    /// What the card rests on (observed, reported, assumed).
    #[serde(default)]
    pub evidence: Evidence,
    #[serde(flatten, deserialize_with = "serde_impl::extra")]
    pub extra: Extra,
}

impl Touchpoint {
    /// A blank card in the given cell.
    pub fn new(id: TouchpointId, title: impl Into<String>, stage: StageId, lane: LaneId) -> Self {
        Self {
            id,
            title: title.into(),
            notes: String::new(),
            stage,
            lane,
            position: CellPos { x: 0.5, y: 0.5 },
            kind: ChannelKind::default(),
            themes: Vec::new(),
            emotion: 0,
            personas: None,
            emotions: BTreeMap::new(),
            cues: Vec::new(),
            senses: BTreeSet::new(),
            department: String::new(),
            actor: Actor::default(),
            flags: Flags::default(),
            top_task: None,
            evidence: Evidence::default(),
            extra: Extra::new(),
        }
    }
}

/// An arrow: the order a person lives two touchpoints in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    pub id: FlowId,
    pub from: TouchpointId,
    pub to: TouchpointId,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(flatten, deserialize_with = "serde_impl::extra")]
    pub extra: Extra,
}

impl Document {
    /// A new canvas as a designer expects it: the four default stages, each with its moment
    /// of truth, a few channel lanes and a backstage lane, and no cards yet.
    pub fn new_canvas() -> Self {
        let stage = |id: &str, name: &str, moment| Stage {
            id: StageId::from(id),
            name: name.to_owned(),
            moment: Some(moment),
            extra: Extra::new(),
        };
        let lane = |id: &str, name: &str, kind| Lane {
            id: LaneId::from(id),
            name: name.to_owned(),
            kind,
            extra: Extra::new(),
        };
        Self {
            title: "Untitled journey".to_owned(),
            personas: Vec::new(),
            stages: vec![
                stage("discover", "Discover", Moment::Zmot),
                stage("choose", "Choose", Moment::Fmot),
                stage("experience", "Experience", Moment::Smot),
                stage("share", "Share", Moment::Umot),
            ],
            lanes: vec![
                lane("web", "Web & app", ChannelKind::Digital),
                lane("store", "Store", ChannelKind::Physical),
                lane("people", "Staff & phone", ChannelKind::Human),
                lane("backstage", "Backstage", ChannelKind::Backstage),
            ],
            themes: Vec::new(),
            touchpoints: Vec::new(),
            flows: Vec::new(),
            lineage: Lineage::default(),
            extra: Extra::new(),
        }
    }

    pub fn stage(&self, id: &StageId) -> Option<&Stage> {
        self.stages.iter().find(|s| &s.id == id)
    }

    pub fn stage_index(&self, id: &StageId) -> Option<usize> {
        self.stages.iter().position(|s| &s.id == id)
    }

    pub fn lane(&self, id: &LaneId) -> Option<&Lane> {
        self.lanes.iter().find(|l| &l.id == id)
    }

    pub fn lane_index(&self, id: &LaneId) -> Option<usize> {
        self.lanes.iter().position(|l| &l.id == id)
    }

    pub fn persona(&self, id: &PersonaId) -> Option<&Persona> {
        self.personas.iter().find(|p| &p.id == id)
    }

    pub fn theme(&self, id: &ThemeId) -> Option<&Theme> {
        self.themes.iter().find(|t| &t.id == id)
    }

    pub fn touchpoint(&self, id: &TouchpointId) -> Option<&Touchpoint> {
        self.touchpoints.iter().find(|t| &t.id == id)
    }

    pub fn touchpoint_mut(&mut self, id: &TouchpointId) -> Option<&mut Touchpoint> {
        self.touchpoints.iter_mut().find(|t| &t.id == id)
    }

    pub fn touchpoint_index(&self, id: &TouchpointId) -> Option<usize> {
        self.touchpoints.iter().position(|t| &t.id == id)
    }

    /// How many cards rest on an assumption ([`Evidence::Assumed`]), of how many.
    pub fn assumed_share(&self) -> AssumedShare {
        AssumedShare {
            assumed: self
                .touchpoints
                .iter()
                .filter(|t| t.evidence == Evidence::Assumed)
                .count(),
            total: self.touchpoints.len(),
        }
    }

    /// A fresh id with the given prefix that no element of the document uses yet.
    pub fn fresh_id(&self, prefix: &str) -> String {
        let taken: std::collections::HashSet<&str> = self
            .stages
            .iter()
            .map(|s| s.id.as_str())
            .chain(self.lanes.iter().map(|l| l.id.as_str()))
            .chain(self.themes.iter().map(|t| t.id.as_str()))
            .chain(self.touchpoints.iter().map(|t| t.id.as_str()))
            .chain(self.flows.iter().map(|f| f.id.as_str()))
            .chain(self.personas.iter().map(|p| p.id.as_str()))
            .collect();
        let mut n = taken.len() + 1;
        loop {
            let candidate = fresh_id_candidate(prefix, n);
            if !taken.contains(candidate.as_str()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// The cards that rest on an assumption, of all cards: what the inspector and the poster
/// say about the canvas's evidence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AssumedShare {
    pub assumed: usize,
    pub total: usize,
}

impl AssumedShare {
    /// The share of assumed cards, 0 for a canvas with none.
    pub fn share(self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            self.assumed as f32 / self.total as f32
        }
    }
}

/// In words: "40% of steps assumed (4 of 10)".
impl std::fmt::Display for AssumedShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.0}% of steps assumed ({} of {})",
            self.share() * 100.0,
            self.assumed,
            self.total
        )
    }
}
