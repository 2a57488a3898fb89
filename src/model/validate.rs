//! Rules a document must keep beyond its JSON shape: ids unique and well formed,
//! references that point at something, values within their ranges.
//!
//! Each problem carries a JSON pointer (`/touchpoints/3/stage`) so the loader can turn it
//! into a `FILE:LINE:COL` message.

use super::{
    Document, EMOTION_MAX, EMOTION_MIN, Flow, Lane, LaneId, MAX_PERSONAS, PersonaId, Stage,
    StageId, Theme, ThemeId, Touchpoint, TouchpointId, id_problem, picture_problem,
};
use std::collections::{HashMap, HashSet};
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

/// What the checks of one element need to know about the rest of the document: whether an
/// id names an element. The whole-document check answers from sets of the ids it has seen;
/// the check of a few edited elements looks them up in the document.
struct Known<'a> {
    stage: &'a dyn Fn(&StageId) -> bool,
    lane: &'a dyn Fn(&LaneId) -> bool,
    theme: &'a dyn Fn(&ThemeId) -> bool,
    touchpoint: &'a dyn Fn(&TouchpointId) -> bool,
    persona: &'a dyn Fn(&PersonaId) -> bool,
}

/// The document's own fields: its title.
fn check_title(p: &mut Vec<Problem>, doc: &Document) {
    check_text(p, || "/title".into(), &doc.title, MAX_TITLE_CHARS);
}

/// The personas: ids, texts, pictures, and how many.
fn check_personas(p: &mut Vec<Problem>, doc: &Document) {
    check_count(
        p,
        || "/personas".into(),
        "personas",
        doc.personas.len(),
        MAX_PERSONAS,
    );
    check_ids(
        p,
        "personas",
        doc.personas.iter().map(|x| (&x.id, x.id.as_str())),
    );
    for (i, persona) in doc.personas.iter().enumerate().take(MAX_PERSONAS) {
        let at = |field: &str| format!("/personas/{i}/{field}");
        check_text(p, || at("name"), &persona.name, MAX_TITLE_CHARS);
        check_text(p, || at("goal"), &persona.goal, MAX_TEXT_CHARS);
        check_text(
            p,
            || at("description"),
            &persona.description,
            MAX_TEXT_CHARS,
        );
        if let Some(why) = persona.picture.as_deref().and_then(picture_problem) {
            p.push(Problem::new(at("picture"), why));
        }
    }
}

/// The canvas id and version ids: ids like any other, and a bounded list.
fn check_lineage(p: &mut Vec<Problem>, doc: &Document) {
    let l = &doc.lineage;
    if !l.id.is_empty()
        && let Some(why) = id_problem(&l.id)
    {
        p.push(Problem::new("/lineage/id".into(), why));
    }
    check_count(
        p,
        || "/lineage/versions".into(),
        "versions",
        l.versions.len(),
        MAX_LIST_ITEMS,
    );
    for (i, v) in l.versions.iter().enumerate().take(MAX_LIST_ITEMS) {
        if let Some(why) = id_problem(v) {
            p.push(Problem::new(format!("/lineage/versions/{i}"), why));
        }
    }
}

/// How many elements each list holds.
fn check_counts(p: &mut Vec<Problem>, doc: &Document) {
    let lists = [
        ("stages", doc.stages.len(), MAX_STAGES),
        ("lanes", doc.lanes.len(), MAX_LANES),
        ("themes", doc.themes.len(), MAX_THEMES),
        ("touchpoints", doc.touchpoints.len(), MAX_TOUCHPOINTS),
        ("flows", doc.flows.len(), MAX_FLOWS),
    ];
    for (what, len, max) in lists {
        check_count(p, || format!("/{what}"), what, len, max);
    }
}

fn check_stage(p: &mut Vec<Problem>, i: usize, s: &Stage) {
    check_text(p, || format!("/stages/{i}/name"), &s.name, MAX_TITLE_CHARS);
}

fn check_lane(p: &mut Vec<Problem>, i: usize, l: &Lane) {
    check_text(p, || format!("/lanes/{i}/name"), &l.name, MAX_TITLE_CHARS);
}

fn check_theme(p: &mut Vec<Problem>, i: usize, t: &Theme) {
    let at = |field: &str| format!("/themes/{i}/{field}");
    check_text(p, || at("name"), &t.name, MAX_TITLE_CHARS);
    check_text(p, || at("intent/feel"), &t.intent.feel, MAX_TEXT_CHARS);
    check_text(p, || at("intent/think"), &t.intent.think, MAX_TEXT_CHARS);
    check_text(p, || at("intent/share"), &t.intent.share, MAX_TEXT_CHARS);
    check_count(
        p,
        || at("tone"),
        "tone keywords",
        t.tone.len(),
        MAX_LIST_ITEMS,
    );
    for (j, word) in t.tone.iter().enumerate() {
        check_text(p, || format!("/themes/{i}/tone/{j}"), word, MAX_TITLE_CHARS);
    }
}

fn check_touchpoint(p: &mut Vec<Problem>, i: usize, t: &Touchpoint, known: &Known) {
    let at = |field: &str| format!("/touchpoints/{i}/{field}");
    check_text(p, || at("title"), &t.title, MAX_TITLE_CHARS);
    check_text(p, || at("notes"), &t.notes, MAX_TEXT_CHARS);
    check_text(p, || at("department"), &t.department, MAX_TITLE_CHARS);
    if !(known.stage)(&t.stage) {
        p.push(Problem::new(
            at("stage"),
            format!(
                "touchpoint {:?} is in stage {:?}, which does not exist",
                t.id.0, t.stage.0
            ),
        ));
    }
    if !(known.lane)(&t.lane) {
        p.push(Problem::new(
            at("lane"),
            format!(
                "touchpoint {:?} is in lane {:?}, which does not exist",
                t.id.0, t.lane.0
            ),
        ));
    }
    check_count(p, || at("themes"), "themes", t.themes.len(), MAX_LIST_ITEMS);
    let mut listed = HashSet::new();
    for (j, theme) in t.themes.iter().enumerate() {
        if !(known.theme)(theme) {
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
    check_card_personas(p, i, t, known);
    check_count(p, || at("cues"), "cues", t.cues.len(), MAX_LIST_ITEMS);
    for (j, cue) in t.cues.iter().enumerate() {
        check_text(
            p,
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
        check_text(p, || at("top_task/task"), &task.task, MAX_TITLE_CHARS);
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

/// A card's personas and its emotions per persona: each names a persona, once, and each
/// emotion is in range.
fn check_card_personas(p: &mut Vec<Problem>, i: usize, t: &Touchpoint, known: &Known) {
    if let Some(list) = &t.personas {
        let at = || format!("/touchpoints/{i}/personas");
        check_count(p, at, "personas", list.len(), MAX_LIST_ITEMS);
        let mut listed = HashSet::new();
        for (j, id) in list.iter().enumerate().take(MAX_LIST_ITEMS) {
            if !(known.persona)(id) {
                p.push(Problem::new(
                    format!("/touchpoints/{i}/personas/{j}"),
                    format!("persona {:?} does not exist", id.0),
                ));
            } else if !listed.insert(id) {
                p.push(Problem::new(
                    format!("/touchpoints/{i}/personas/{j}"),
                    format!("persona {:?} is listed twice on this touchpoint", id.0),
                ));
            }
        }
    }
    for (id, e) in &t.emotions {
        let at = || {
            format!(
                "/touchpoints/{i}/emotions/{}",
                id.0.replace('~', "~0").replace('/', "~1")
            )
        };
        if !(known.persona)(id) {
            p.push(Problem::new(
                at(),
                format!("emotion for persona {:?}, which does not exist", id.0),
            ));
        } else if !(EMOTION_MIN..=EMOTION_MAX).contains(e) {
            p.push(Problem::new(
                at(),
                format!(
                    "emotion must be a whole number from {EMOTION_MIN} to {EMOTION_MAX}, found {e}"
                ),
            ));
        }
    }
}

fn check_flow(p: &mut Vec<Problem>, i: usize, f: &Flow, known: &Known) {
    check_text(p, || format!("/flows/{i}/label"), &f.label, MAX_TITLE_CHARS);
    for (end, id) in [("from", &f.from), ("to", &f.to)] {
        if !(known.touchpoint)(id) {
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

/// Every problem found in `doc`, in file order. Empty means the document is valid.
pub fn validate(doc: &Document) -> Vec<Problem> {
    let mut p = Vec::new();
    check_title(&mut p, doc);
    check_personas(&mut p, doc);
    check_lineage(&mut p, doc);
    check_counts(&mut p, doc);
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
        check_stage(&mut p, i, s);
    }
    let lanes = check_ids(
        &mut p,
        "lanes",
        doc.lanes.iter().map(|l| (&l.id, l.id.as_str())),
    );
    for (i, l) in doc.lanes.iter().enumerate() {
        check_lane(&mut p, i, l);
    }
    let themes = check_ids(
        &mut p,
        "themes",
        doc.themes.iter().map(|t| (&t.id, t.id.as_str())),
    );
    for (i, t) in doc.themes.iter().enumerate() {
        check_theme(&mut p, i, t);
    }
    let touchpoints = check_ids(
        &mut p,
        "touchpoints",
        doc.touchpoints.iter().map(|t| (&t.id, t.id.as_str())),
    );
    let personas: HashSet<&PersonaId> = doc.personas.iter().map(|x| &x.id).collect();
    let known = Known {
        stage: &|id| stages.contains(id),
        lane: &|id| lanes.contains(id),
        theme: &|id| themes.contains(id),
        touchpoint: &|id| touchpoints.contains(id),
        persona: &|id| personas.contains(id),
    };
    for (i, t) in doc.touchpoints.iter().enumerate() {
        check_touchpoint(&mut p, i, t, &known);
    }
    check_ids(
        &mut p,
        "flows",
        doc.flows.iter().map(|f| (&f.id, f.id.as_str())),
    );
    for (i, f) in doc.flows.iter().enumerate() {
        check_flow(&mut p, i, f, &known);
    }
    p
}

/// One element of a document, by index, for checking it without the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Element {
    Title,
    /// The whole list of personas.
    Personas,
    Stage(usize),
    Lane(usize),
    Theme(usize),
    Touchpoint(usize),
    Flow(usize),
}

/// Above this many edited elements of one list, their ids are checked against a set of
/// all ids rather than by scanning the list once each.
const SCAN_LIMIT: usize = 8;

/// Whether the element at one of `touched` shares its id with another element of `ids`.
fn duplicate_ids<E, T: Eq + Hash + AsRef<str>>(
    p: &mut Vec<Problem>,
    collection: &str,
    elements: &[E],
    id_of: impl Fn(&E) -> &T,
    touched: &[usize],
) {
    if touched.is_empty() {
        return;
    }
    let text = |i: usize| id_of(&elements[i]).as_ref();
    let mut report = |i: usize| {
        let id = text(i);
        let why = id_problem(id).map_or_else(
            || format!("duplicate id {id:?}: each element of {collection} needs its own id"),
            str::to_owned,
        );
        p.push(Problem::new(format!("/{collection}/{i}/id"), why));
    };
    if touched.len() <= SCAN_LIMIT {
        for &i in touched {
            let id = id_of(&elements[i]);
            let dup = elements
                .iter()
                .enumerate()
                .any(|(j, e)| j != i && id_of(e) == id);
            if dup || id_problem(text(i)).is_some() {
                report(i);
            }
        }
    } else {
        let mut count: HashMap<&T, u32> = HashMap::with_capacity(elements.len());
        for e in elements {
            *count.entry(id_of(e)).or_default() += 1;
        }
        for &i in touched {
            let many = count.get(id_of(&elements[i])).copied().unwrap_or(0) > 1;
            if many || id_problem(text(i)).is_some() {
                report(i);
            }
        }
    }
}

/// The problems of the given elements only, with the same checks, paths and messages as
/// [`validate`], plus the size of every list. The editor runs this on what each command
/// touched, so that it never produces a document the loader would refuse, without
/// checking 100,000 cards per keystroke.
pub fn validate_elements(doc: &Document, elements: &[Element]) -> Vec<Problem> {
    let mut p = Vec::new();
    check_counts(&mut p, doc);
    let mut touched: [Vec<usize>; 5] = Default::default();
    for e in elements {
        match *e {
            Element::Title => check_title(&mut p, doc),
            Element::Personas => check_personas(&mut p, doc),
            Element::Stage(i) if i < doc.stages.len() => touched[0].push(i),
            Element::Lane(i) if i < doc.lanes.len() => touched[1].push(i),
            Element::Theme(i) if i < doc.themes.len() => touched[2].push(i),
            Element::Touchpoint(i) if i < doc.touchpoints.len() => touched[3].push(i),
            Element::Flow(i) if i < doc.flows.len() => touched[4].push(i),
            _ => {}
        }
    }
    for list in &mut touched {
        list.sort_unstable();
        list.dedup();
    }
    let [stages, lanes, themes, cards, flows] = &touched;
    duplicate_ids(&mut p, "stages", &doc.stages, |s| &s.id, stages);
    for &i in stages {
        check_stage(&mut p, i, &doc.stages[i]);
    }
    duplicate_ids(&mut p, "lanes", &doc.lanes, |l| &l.id, lanes);
    for &i in lanes {
        check_lane(&mut p, i, &doc.lanes[i]);
    }
    duplicate_ids(&mut p, "themes", &doc.themes, |t| &t.id, themes);
    for &i in themes {
        check_theme(&mut p, i, &doc.themes[i]);
    }
    if cards.is_empty() && flows.is_empty() {
        return p;
    }
    // Cards are looked up in a set only when many flows need them.
    let card_set: Option<HashSet<&TouchpointId>> =
        (flows.len() > SCAN_LIMIT).then(|| doc.touchpoints.iter().map(|t| &t.id).collect());
    let has_card = |id: &TouchpointId| match &card_set {
        Some(set) => set.contains(id),
        None => doc.touchpoint(id).is_some(),
    };
    let known = Known {
        stage: &|id| doc.stage(id).is_some(),
        lane: &|id| doc.lane(id).is_some(),
        theme: &|id| doc.theme(id).is_some(),
        touchpoint: &has_card,
        persona: &|id| doc.persona(id).is_some(),
    };
    if !cards.is_empty() {
        duplicate_ids(&mut p, "touchpoints", &doc.touchpoints, |t| &t.id, cards);
        for &i in cards {
            check_touchpoint(&mut p, i, &doc.touchpoints[i], &known);
        }
    }
    if !flows.is_empty() {
        duplicate_ids(&mut p, "flows", &doc.flows, |f| &f.id, flows);
        for &i in flows {
            check_flow(&mut p, i, &doc.flows[i], &known);
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
    fn checking_edited_elements_finds_their_duplicates_by_scan_and_by_set() {
        let mut doc = doc_with_card();
        for i in 0..20 {
            let mut t = doc.touchpoints[0].clone();
            t.id = TouchpointId::from(format!("c{i}").as_str());
            doc.touchpoints.push(t);
        }
        doc.touchpoints[20].id = TouchpointId::from("a");
        // One edited card: scanned; many: counted in a set.
        let paths = |touched: Vec<usize>| -> Vec<String> {
            let elements: Vec<Element> = touched.into_iter().map(Element::Touchpoint).collect();
            validate_elements(&doc, &elements)
                .into_iter()
                .map(|p| p.path)
                .collect()
        };
        assert_eq!(paths(vec![20]), vec!["/touchpoints/20/id"]);
        assert_eq!(paths(vec![5]), Vec::<String>::new());
        assert_eq!(
            paths((0..21).collect()),
            vec!["/touchpoints/0/id", "/touchpoints/20/id"]
        );
    }

    #[test]
    fn refuses_control_characters_in_ids() {
        let mut doc = doc_with_card();
        doc.touchpoints[0].id = TouchpointId::from("a\u{7}b");
        assert_eq!(validate(&doc)[0].path, "/touchpoints/0/id");
    }
}
