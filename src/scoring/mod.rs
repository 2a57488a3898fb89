//! PLACEHOLDER: the coherence engine's public API, so that other modules compile while the
//! scoring helper builds the rules. Replaced wholesale by the real engine.

use crate::model::{Document, FlowId, LaneId, StageId, ThemeId, TouchpointId};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    #[serde(rename = "score")]
    pub total: u8,
    pub rules: Vec<RuleResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleResult {
    pub id: &'static str,
    pub title: &'static str,
    pub rationale: &'static str,
    pub weight: u32,
    pub score: Option<u8>,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub message: String,
    pub severity: Severity,
    pub targets: Vec<Target>,
    pub fix: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Problem,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Target {
    Touchpoint(TouchpointId),
    Stage(StageId),
    Lane(LaneId),
    Theme(ThemeId),
    Flow(FlowId),
}

impl Report {
    pub fn findings_for_touchpoint<'a>(
        &'a self,
        id: &'a TouchpointId,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.rules
            .iter()
            .flat_map(|r| &r.findings)
            .filter(move |f| {
                f.targets
                    .iter()
                    .any(|t| matches!(t, Target::Touchpoint(tp) if tp == id))
            })
    }

    pub fn top_findings(&self, n: usize) -> Vec<(&RuleResult, &Finding)> {
        self.rules
            .iter()
            .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
            .take(n)
            .collect()
    }
}

/// PLACEHOLDER until the engine lands.
pub fn score(_doc: &Document) -> Report {
    Report {
        total: 0,
        rules: Vec::new(),
    }
}
