//! Rules a document must keep beyond its JSON shape: ids unique and well formed,
//! references that point at something, values within their ranges.
//!
//! Each problem carries a JSON pointer (`/touchpoints/3/stage`) so the loader can turn it
//! into a `FILE:LINE:COL` message.

use super::{Document, EMOTION_MAX, EMOTION_MIN, id_problem};
use std::collections::HashSet;
use std::hash::Hash;

/// Longest title, name, label, cue, keyword or department, in characters; longer text
/// cannot be shown on a card anyway.
pub const MAX_TITLE_CHARS: usize = 1_000;
/// Longest free text (notes, persona goal, theme intents), in characters.
pub const MAX_TEXT_CHARS: usize = 100_000;
/// Most stages, lanes or themes a canvas may hold.
pub const MAX_STAGES: usize = 1_000;
pub const MAX_LANES: usize = 1_000;
pub const MAX_THEMES: usize = 1_000;
/// Most touchpoints and flows a canvas may hold. Real journeys have tens; the limit leaves
/// room for generated canvases while bounding the work a hostile file can ask for.
pub const MAX_TOUCHPOINTS: usize = 250_000;
pub const MAX_FLOWS: usize = 500_000;
/// Most entries in a list inside one element (a theme's tone keywords, a card's cues or
/// themes).
pub const MAX_LIST_ITEMS: usize = 1_000;

/// One thing wrong with a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer to the offending value, e.g. `/touchpoints/3/stage`.
    pub path: String,
    pub message: String,
}

impl Problem {
    fn new(path: String, message: impl Into<String>) -> Self {
        Self {
            path,
            message: message.into(),
        }
    }
}

fn check_ids<'a, T: Eq + Hash + 'a>(
    problems: &mut Vec<Problem>,
    collection: &str,
    ids: impl ExactSizeIterator<Item = (&'a T, &'a str)>,
) -> HashSet<&'a T> {
    // Sized up front: growing a set of 100,000 ids rehashes it many times over.
    let mut seen = HashSet::with_capacity(ids.len());
    for (i, (id, text)) in ids.enumerate() {
        let path = || format!("/{collection}/{i}/id");
        if let Some(why) = id_problem(text) {
            problems.push(Problem::new(path(), why));
        } else if !seen.insert(id) {
            problems.push(Problem::new(
                path(),
                format!("duplicate id {text:?}: each element of {collection} needs its own id"),
            ));
        }
    }
    seen
}

/// Paths are built only when there is a problem: validation runs on every load and save,
/// and formatting a pointer for every field of 100,000 cards would cost more than the rest.
fn check_text(problems: &mut Vec<Problem>, path: impl FnOnce() -> String, text: &str, max: usize) {
    // Byte length bounds the character count from above: the common case costs nothing.
    if text.len() <= max {
        return;
    }
    let chars = text.chars().count();
    if chars > max {
        problems.push(Problem::new(
            path(),
            format!("text is {chars} characters long; at most {max} are allowed"),
        ));
    }
}

fn check_count(
    problems: &mut Vec<Problem>,
    path: impl FnOnce() -> String,
    what: &str,
    len: usize,
    max: usize,
) {
    if len > max {
        problems.push(Problem::new(
            path(),
            format!("{len} {what}; at most {max} are allowed"),
        ));
    }
}

/// Every problem found in `doc`, in file order. Empty means the document is valid.
pub fn validate(doc: &Document) -> Vec<Problem> {
    let mut p = Vec::new();
    check_text(&mut p, || "/title".into(), &doc.title, MAX_TITLE_CHARS);
    check_text(
        &mut p,
        || "/persona/name".into(),
        &doc.persona.name,
        MAX_TITLE_CHARS,
    );
    check_text(
        &mut p,
        || "/persona/goal".into(),
        &doc.persona.goal,
        MAX_TEXT_CHARS,
    );
    check_count(
        &mut p,
        || "/stages".into(),
        "stages",
        doc.stages.len(),
        MAX_STAGES,
    );
    check_count(
        &mut p,
        || "/lanes".into(),
        "lanes",
        doc.lanes.len(),
        MAX_LANES,
    );
    check_count(
        &mut p,
        || "/themes".into(),
        "themes",
        doc.themes.len(),
        MAX_THEMES,
    );
    check_count(
        &mut p,
        || "/touchpoints".into(),
        "touchpoints",
        doc.touchpoints.len(),
        MAX_TOUCHPOINTS,
    );
    check_count(
        &mut p,
        || "/flows".into(),
        "flows",
        doc.flows.len(),
        MAX_FLOWS,
    );
    if !p.is_empty() {
        // Checking each element of an oversized canvas would only bury the one message
        // that matters under thousands more.
        return p;
    }
    let stages = check_ids(
        &mut p,
        "stages",
        doc.stages.iter().map(|s| (&s.id, s.id.as_str())),
    );
    for (i, s) in doc.stages.iter().enumerate() {
        check_text(
            &mut p,
            || format!("/stages/{i}/name"),
            &s.name,
            MAX_TITLE_CHARS,
        );
    }
    let lanes = check_ids(
        &mut p,
        "lanes",
        doc.lanes.iter().map(|l| (&l.id, l.id.as_str())),
    );
    for (i, l) in doc.lanes.iter().enumerate() {
        check_text(
            &mut p,
            || format!("/lanes/{i}/name"),
            &l.name,
            MAX_TITLE_CHARS,
        );
    }
    let themes = check_ids(
        &mut p,
        "themes",
        doc.themes.iter().map(|t| (&t.id, t.id.as_str())),
    );
    for (i, t) in doc.themes.iter().enumerate() {
        let at = |field: &str| format!("/themes/{i}/{field}");
        check_text(&mut p, || at("name"), &t.name, MAX_TITLE_CHARS);
        check_text(&mut p, || at("intent/feel"), &t.intent.feel, MAX_TEXT_CHARS);
        check_text(
            &mut p,
            || at("intent/think"),
            &t.intent.think,
            MAX_TEXT_CHARS,
        );
        check_text(
            &mut p,
            || at("intent/share"),
            &t.intent.share,
            MAX_TEXT_CHARS,
        );
        check_count(
            &mut p,
            || at("tone"),
            "tone keywords",
            t.tone.len(),
            MAX_LIST_ITEMS,
        );
        for (j, word) in t.tone.iter().enumerate() {
            check_text(
                &mut p,
                || format!("/themes/{i}/tone/{j}"),
                word,
                MAX_TITLE_CHARS,
            );
        }
    }
    let touchpoints = check_ids(
        &mut p,
        "touchpoints",
        doc.touchpoints.iter().map(|t| (&t.id, t.id.as_str())),
    );
    for (i, t) in doc.touchpoints.iter().enumerate() {
        let at = |field: &str| format!("/touchpoints/{i}/{field}");
        check_text(&mut p, || at("title"), &t.title, MAX_TITLE_CHARS);
        check_text(&mut p, || at("notes"), &t.notes, MAX_TEXT_CHARS);
        check_text(&mut p, || at("department"), &t.department, MAX_TITLE_CHARS);
        if !stages.contains(&t.stage) {
            p.push(Problem::new(
                at("stage"),
                format!(
                    "touchpoint {:?} is in stage {:?}, which does not exist",
                    t.id.0, t.stage.0
                ),
            ));
        }
        if !lanes.contains(&t.lane) {
            p.push(Problem::new(
                at("lane"),
                format!(
                    "touchpoint {:?} is in lane {:?}, which does not exist",
                    t.id.0, t.lane.0
                ),
            ));
        }
        check_count(
            &mut p,
            || at("themes"),
            "themes",
            t.themes.len(),
            MAX_LIST_ITEMS,
        );
        let mut listed = HashSet::new();
        for (j, theme) in t.themes.iter().enumerate() {
            if !themes.contains(theme) {
                p.push(Problem::new(
                    format!("/touchpoints/{i}/themes/{j}"),
                    format!("theme {:?} does not exist", theme.0),
                ));
            } else if t.themes.len() > 1 && !listed.insert(theme) {
                p.push(Problem::new(
                    format!("/touchpoints/{i}/themes/{j}"),
                    format!("theme {:?} is listed twice on this touchpoint", theme.0),
                ));
            }
        }
        if !(EMOTION_MIN..=EMOTION_MAX).contains(&t.emotion) {
            p.push(Problem::new(
                at("emotion"),
                format!(
                    "emotion must be a whole number from {EMOTION_MIN} to {EMOTION_MAX}, found {}",
                    t.emotion
                ),
            ));
        }
        check_count(&mut p, || at("cues"), "cues", t.cues.len(), MAX_LIST_ITEMS);
        for (j, cue) in t.cues.iter().enumerate() {
            check_text(
                &mut p,
                || format!("/touchpoints/{i}/cues/{j}/text"),
                &cue.text,
                MAX_TITLE_CHARS,
            );
        }
        let pos = t.position;
        // A range check also refuses NaN and infinities.
        if !(0.0..=1.0).contains(&pos.x) || !(0.0..=1.0).contains(&pos.y) {
            p.push(Problem::new(
                at("position"),
                "position x and y must be fractions of the cell, between 0 and 1",
            ));
        }
        if let Some(task) = &t.top_task {
            check_text(&mut p, || at("top_task/task"), &task.task, MAX_TITLE_CHARS);
            for (name, value) in [("seconds", task.seconds), ("max_seconds", task.max_seconds)] {
                if value.is_some_and(|v| !v.is_finite() || v < 0.0) {
                    p.push(Problem::new(
                        format!("/touchpoints/{i}/top_task/{name}"),
                        "seconds must be a finite number, zero or more",
                    ));
                }
            }
        }
    }
    check_ids(
        &mut p,
        "flows",
        doc.flows.iter().map(|f| (&f.id, f.id.as_str())),
    );
    for (i, f) in doc.flows.iter().enumerate() {
        check_text(
            &mut p,
            || format!("/flows/{i}/label"),
            &f.label,
            MAX_TITLE_CHARS,
        );
        for (end, id) in [("from", &f.from), ("to", &f.to)] {
            if !touchpoints.contains(id) {
                p.push(Problem::new(
                    format!("/flows/{i}/{end}"),
                    format!(
                        "flow {:?} points {end} touchpoint {:?}, which does not exist",
                        f.id.0, id.0
                    ),
                ));
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Flow, FlowId, StageId, Touchpoint, TouchpointId};

    fn doc_with_card() -> Document {
        let mut doc = Document::new_canvas();
        let stage = doc.stages[0].id.clone();
        let lane = doc.lanes[0].id.clone();
        doc.touchpoints.push(Touchpoint::new(
            TouchpointId::from("a"),
            "Search",
            stage,
            lane,
        ));
        doc
    }

    #[test]
    fn a_new_canvas_is_valid() {
        assert_eq!(validate(&Document::new_canvas()), vec![]);
        assert_eq!(validate(&doc_with_card()), vec![]);
    }

    #[test]
    fn names_a_missing_stage_with_its_path() {
        let mut doc = doc_with_card();
        doc.touchpoints[0].stage = StageId::from("nowhere");
        let problems = validate(&doc);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "/touchpoints/0/stage");
        assert!(problems[0].message.contains("\"nowhere\""));
    }

    #[test]
    fn finds_duplicates_dangling_flows_and_ranges_together() {
        let mut doc = doc_with_card();
        let dup = doc.touchpoints[0].clone();
        doc.touchpoints.push(dup);
        doc.touchpoints[0].emotion = 5;
        doc.touchpoints[0].position.x = f32::NAN;
        doc.flows.push(Flow {
            id: FlowId::from("f"),
            from: TouchpointId::from("a"),
            to: TouchpointId::from("ghost"),
            label: String::new(),
            extra: Default::default(),
        });
        let paths: Vec<_> = validate(&doc).into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            vec![
                "/touchpoints/1/id",
                "/touchpoints/0/emotion",
                "/touchpoints/0/position",
                "/flows/0/to"
            ]
        );
    }

    #[test]
    fn refuses_control_characters_in_ids() {
        let mut doc = doc_with_card();
        doc.touchpoints[0].id = TouchpointId::from("a\u{7}b");
        assert_eq!(validate(&doc)[0].path, "/touchpoints/0/id");
    }
}
