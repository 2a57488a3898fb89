//! What changed between two copies of a canvas, in a designer's words: elements added,
//! removed, moved and changed (which fields, old → new), and how the coherence score and
//! each of its rules moved. The structure serialises to the JSON of `stagecraft diff
//! --json`, documented in `docs/MERGE.md`; it is kept stable.

use super::order::moved;
use super::three_way::show_place;
use super::{ElementKind, PLACE, quote};
use crate::IdMap;
use crate::model::{Document, Extra, Flow, Lane, Persona, Stage, Theme, Touchpoint};
use crate::scoring::{Report, score};
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;

/// Everything that differs between an old copy (`a`) and a new one (`b`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    /// The canvas's own fields: `title` and unknown top-level fields.
    pub document: Vec<FieldChange>,
    /// The personas, by id.
    pub personas: Vec<ElementChange>,
    pub stages: Vec<ElementChange>,
    pub lanes: Vec<ElementChange>,
    pub themes: Vec<ElementChange>,
    pub cards: Vec<ElementChange>,
    pub flows: Vec<ElementChange>,
    pub score: ScoreChange,
}

/// One element that was added, removed, moved or changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElementChange {
    pub id: String,
    /// Its name (a card's title; a flow's ends), from the new copy unless removed.
    pub name: String,
    pub change: Change,
    /// The fields that differ (empty for added and removed elements).
    pub fields: Vec<FieldChange>,
}

/// What happened to an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    /// Only its place changed: a card's cell or place in the cell, a stage's, lane's or
    /// theme's place in its list.
    Moved,
    /// Other fields changed (its place may have changed too: see `fields`).
    Changed,
}

/// One field's old and new values, as JSON values (absent: `null`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    /// `title`, `notes`, `place`, `flags.pain_point`, `intent.feel`, `order`, an unknown
    /// field's key...
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// Both coherence scores and each rule's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreChange {
    pub old: u8,
    pub new: u8,
    pub rules: Vec<RuleChange>,
}

/// One rule's score in each copy (`None`: the rule does not apply).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleChange {
    pub id: &'static str,
    pub title: &'static str,
    pub old: Option<u8>,
    pub new: Option<u8>,
}

impl Diff {
    /// Whether the two canvases hold the same content (then the scores are equal too).
    pub fn is_empty(&self) -> bool {
        self.document.is_empty()
            && self.personas.is_empty()
            && self.stages.is_empty()
            && self.lanes.is_empty()
            && self.themes.is_empty()
            && self.cards.is_empty()
            && self.flows.is_empty()
    }

    /// The change to one card, if it changed: what the canvas outlines.
    pub fn card(&self, id: &str) -> Option<&ElementChange> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// Every element change with its kind, in the order of the lists.
    pub fn element_changes(&self) -> impl Iterator<Item = (ElementKind, &ElementChange)> {
        [
            (ElementKind::Persona, &self.personas),
            (ElementKind::Stage, &self.stages),
            (ElementKind::Lane, &self.lanes),
            (ElementKind::Theme, &self.themes),
            (ElementKind::Card, &self.cards),
            (ElementKind::Flow, &self.flows),
        ]
        .into_iter()
        .flat_map(|(kind, list)| list.iter().map(move |c| (kind, c)))
    }

    /// The diff as text, one line per change, then the scores.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for f in &self.document {
            let _ = writeln!(out, "canvas {}", field_text(f));
        }
        for (kind, c) in self.element_changes() {
            let (mark, what) = match c.change {
                Change::Added => ('+', "added"),
                Change::Removed => ('-', "removed"),
                Change::Moved => ('~', "moved"),
                Change::Changed => ('~', "changed"),
            };
            let _ = write!(
                out,
                "{mark} {} {} {}: {what}",
                kind.label(),
                quote(&c.id),
                shown(&c.name)
            );
            let fields: Vec<String> = c.fields.iter().map(field_text).collect();
            if !fields.is_empty() {
                let _ = write!(out, ": {}", fields.join("; "));
            }
            out.push('\n');
        }
        if self.is_empty() {
            out.push_str("no changes\n");
        }
        let s = &self.score;
        let _ = writeln!(
            out,
            "score {} → {} ({})",
            s.old,
            s.new,
            delta(Some(s.old), Some(s.new))
        );
        for r in &s.rules {
            let show = |v: Option<u8>| v.map_or_else(|| "n/a".to_owned(), |v| v.to_string());
            let _ = writeln!(
                out,
                "  {}: {} → {} ({})",
                r.title,
                show(r.old),
                show(r.new),
                delta(r.old, r.new)
            );
        }
        out
    }
}

fn delta(old: Option<u8>, new: Option<u8>) -> String {
    match (old, new) {
        (Some(a), Some(b)) if a == b => "unchanged".to_owned(),
        (Some(a), Some(b)) => format!("{:+}", i32::from(b) - i32::from(a)),
        (None, None) => "does not apply".to_owned(),
        (None, Some(_)) => "now applies".to_owned(),
        (Some(_), None) => "no longer applies".to_owned(),
    }
}

/// Longest text shown whole in the text diff.
const SHOWN_CHARS: usize = 60;

/// A text for the text diff: quoted, shortened.
fn shown(s: &str) -> String {
    if s.chars().count() <= SHOWN_CHARS {
        quote(s)
    } else {
        let cut: String = s.chars().take(SHOWN_CHARS - 1).collect();
        format!("{}…", quote(&cut))
    }
}

fn value_text(field: &str, v: &Value) -> String {
    match v {
        Value::String(s) => shown(s),
        Value::Null => "none".to_owned(),
        Value::Object(o) if field == PLACE => {
            let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default();
            let n = |k: &str| o.get(k).and_then(Value::as_f64).unwrap_or_default() as f32;
            show_place(
                s("stage"),
                s("lane"),
                crate::model::CellPos {
                    x: n("x"),
                    y: n("y"),
                },
            )
        }
        other => other.to_string(),
    }
}

/// One field's change as a line: `title "Pay" → "Pay at the till"`.
pub fn field_text(f: &FieldChange) -> String {
    format!(
        "{} {} → {}",
        f.field,
        value_text(&f.field, &f.old),
        value_text(&f.field, &f.new)
    )
}

/// Compares two copies: every change, and both scores.
pub fn diff(a: &Document, b: &Document) -> Diff {
    let mut document = Vec::new();
    push(&mut document, "title", &a.title, &b.title);
    extra(&mut document, &a.extra, &b.extra);
    Diff {
        document,
        personas: elements(&a.personas, &b.personas, true),
        stages: elements(&a.stages, &b.stages, true),
        lanes: elements(&a.lanes, &b.lanes, true),
        themes: elements(&a.themes, &b.themes, true),
        cards: elements(&a.touchpoints, &b.touchpoints, false),
        flows: elements(&a.flows, &b.flows, false),
        score: scores(&score(a), &score(b)),
    }
}

fn scores(a: &Report, b: &Report) -> ScoreChange {
    let mut rules: Vec<RuleChange> = b
        .rules
        .iter()
        .map(|r| RuleChange {
            id: r.id,
            title: r.title,
            old: a.rule(r.id).and_then(|x| x.score),
            new: r.score,
        })
        .collect();
    // A rule only the old build had cannot happen within one build; kept for safety.
    for r in &a.rules {
        if b.rule(r.id).is_none() {
            rules.push(RuleChange {
                id: r.id,
                title: r.title,
                old: r.score,
                new: None,
            });
        }
    }
    ScoreChange {
        old: a.total,
        new: b.total,
        rules,
    }
}

fn push<T: Serialize + PartialEq + ?Sized>(out: &mut Vec<FieldChange>, field: &str, a: &T, b: &T) {
    if a != b {
        out.push(FieldChange {
            field: field.to_owned(),
            old: serde_json::to_value(a).unwrap_or(Value::Null),
            new: serde_json::to_value(b).unwrap_or(Value::Null),
        });
    }
}

fn extra(out: &mut Vec<FieldChange>, a: &Extra, b: &Extra) {
    if a == b {
        return;
    }
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        let (x, y) = (a.get(key), b.get(key));
        if x != y {
            out.push(FieldChange {
                field: key.clone(),
                old: x.cloned().unwrap_or(Value::Null),
                new: y.cloned().unwrap_or(Value::Null),
            });
        }
    }
}

/// An element of a list with ids, as the diff describes it.
trait Described: PartialEq {
    fn id(&self) -> &str;
    fn name(&self) -> String;
    /// The fields that differ from `old`, in the order of the file.
    fn fields(old: &Self, new: &Self, out: &mut Vec<FieldChange>);
}

/// Changes in one list: in the new copy's order, then removals in the old copy's order.
/// `ordered`: the list's order is visible (stages, lanes, themes), so a move in it is a
/// change (`order`, the 1-based place before and after).
fn elements<T: Described>(a: &[T], b: &[T], ordered: bool) -> Vec<ElementChange> {
    if a == b {
        return Vec::new();
    }
    // One map, of the old copy; the new copy is walked in order, and whatever of the old
    // it never met was removed.
    let mut old: IdMap<&str, usize> = IdMap::default();
    old.reserve(a.len());
    old.extend(a.iter().enumerate().map(|(i, e)| (e.id(), i)));
    let mut met = vec![false; a.len()];
    let moved_ids = if ordered {
        let (ai, bi): (Vec<&str>, Vec<&str>) =
            (a.iter().map(T::id).collect(), b.iter().map(T::id).collect());
        moved(&ai, &bi)
    } else {
        Default::default()
    };
    let mut out = Vec::new();
    for (j, e) in b.iter().enumerate() {
        let Some(&i) = old.get(e.id()) else {
            out.push(ElementChange {
                id: e.id().to_owned(),
                name: e.name(),
                change: Change::Added,
                fields: Vec::new(),
            });
            continue;
        };
        let was = &a[i];
        met[i] = true;
        let mut fields = Vec::new();
        if moved_ids.contains(e.id()) {
            fields.push(FieldChange {
                field: "order".to_owned(),
                old: Value::from(i + 1),
                new: Value::from(j + 1),
            });
        }
        if was != e {
            T::fields(was, e, &mut fields);
        }
        if fields.is_empty() {
            continue;
        }
        let change = if fields
            .iter()
            .all(|f| f.field == PLACE || f.field == "order")
        {
            Change::Moved
        } else {
            Change::Changed
        };
        out.push(ElementChange {
            id: e.id().to_owned(),
            name: e.name(),
            change,
            fields,
        });
    }
    for (e, _) in a.iter().zip(&met).filter(|(_, met)| !**met) {
        out.push(ElementChange {
            id: e.id().to_owned(),
            name: e.name(),
            change: Change::Removed,
            fields: Vec::new(),
        });
    }
    out
}

impl Described for Stage {
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn name(&self) -> String {
        self.name.clone()
    }
    fn fields(a: &Self, b: &Self, out: &mut Vec<FieldChange>) {
        push(out, "name", &a.name, &b.name);
        push(out, "moment", &a.moment, &b.moment);
        extra(out, &a.extra, &b.extra);
    }
}

impl Described for Lane {
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn name(&self) -> String {
        self.name.clone()
    }
    fn fields(a: &Self, b: &Self, out: &mut Vec<FieldChange>) {
        push(out, "name", &a.name, &b.name);
        push(out, "kind", &a.kind, &b.kind);
        extra(out, &a.extra, &b.extra);
    }
}

impl Described for Theme {
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn name(&self) -> String {
        self.name.clone()
    }
    fn fields(a: &Self, b: &Self, out: &mut Vec<FieldChange>) {
        push(out, "name", &a.name, &b.name);
        push(out, "color", &a.color, &b.color);
        push(out, "intent.feel", &a.intent.feel, &b.intent.feel);
        push(out, "intent.think", &a.intent.think, &b.intent.think);
        push(out, "intent.share", &a.intent.share, &b.intent.share);
        push(out, "tone", &a.tone, &b.tone);
        extra(out, &a.extra, &b.extra);
    }
}

impl Described for Persona {
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn name(&self) -> String {
        self.name.clone()
    }
    fn fields(a: &Self, b: &Self, out: &mut Vec<FieldChange>) {
        push(out, "name", &a.name, &b.name);
        push(out, "goal", &a.goal, &b.goal);
        push(out, "description", &a.description, &b.description);
        push(out, "color", &a.color, &b.color);
        // A picture is a long data URI: the diff says which picture, not its bytes.
        let picture = |p: &Option<String>| {
            p.as_ref()
                .map(|uri| format!("a picture ({} characters)", uri.len()))
        };
        if a.picture != b.picture {
            push(out, "picture", &picture(&a.picture), &picture(&b.picture));
        }
        extra(out, &a.extra, &b.extra);
    }
}

/// A card's place as a JSON object: `{"stage", "lane", "x", "y"}`.
fn place(c: &Touchpoint) -> Value {
    serde_json::json!({
        "stage": c.stage.as_str(),
        "lane": c.lane.as_str(),
        "x": c.position.x,
        "y": c.position.y,
    })
}

impl Described for Touchpoint {
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn name(&self) -> String {
        self.title.clone()
    }
    fn fields(a: &Self, b: &Self, out: &mut Vec<FieldChange>) {
        if (&a.stage, &a.lane, a.position) != (&b.stage, &b.lane, b.position) {
            out.push(FieldChange {
                field: PLACE.to_owned(),
                old: place(a),
                new: place(b),
            });
        }
        push(out, "title", &a.title, &b.title);
        push(out, "notes", &a.notes, &b.notes);
        push(out, "kind", &a.kind, &b.kind);
        push(out, "themes", &a.themes, &b.themes);
        push(out, "emotion", &a.emotion, &b.emotion);
        push(out, "personas", &a.personas, &b.personas);
        push(out, "emotions", &a.emotions, &b.emotions);
        push(out, "cues", &a.cues, &b.cues);
        push(out, "senses", &a.senses, &b.senses);
        push(out, "department", &a.department, &b.department);
        push(out, "actor", &a.actor, &b.actor);
        push(
            out,
            "flags.pain_point",
            &a.flags.pain_point,
            &b.flags.pain_point,
        );
        push(
            out,
            "flags.magic_moment",
            &a.flags.magic_moment,
            &b.flags.magic_moment,
        );
        push(
            out,
            "flags.memorabilia",
            &a.flags.memorabilia,
            &b.flags.memorabilia,
        );
        push(out, "top_task", &a.top_task, &b.top_task);
        push(out, "evidence", &a.evidence, &b.evidence);
        extra(out, &a.extra, &b.extra);
    }
}

impl Described for Flow {
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn name(&self) -> String {
        format!("{} → {}", self.from, self.to)
    }
    fn fields(a: &Self, b: &Self, out: &mut Vec<FieldChange>) {
        push(out, "from", &a.from, &b.from);
        push(out, "to", &a.to, &b.to);
        push(out, "label", &a.label, &b.label);
        extra(out, &a.extra, &b.extra);
    }
}
