//! The next best fix: concrete edits a designer could make (remove this negative cue, give
//! this card a theme, lift this ending...), each applied to a copy of the canvas and
//! rescored, ranked by the points it gains. The inspector's "Fix first", the `fixes` of
//! `stagecraft score --json` and the poster's summary all show these.
//!
//! Candidates come from the canvas, one or a few per kind of flaw, at most
//! [`MAX_CANDIDATES`] (each is scored incrementally: only the rules that read what it
//! changes run again).
//! A fix is listed only when it gains at least one point of the total.

use super::{Report, Scorer, Target, score};
use crate::IdMap;
use crate::edit::{Changed, Fields};
use crate::model::{
    Actor, ChannelKind, Document, Extra, Flow, FlowId, Moment, Polarity, Sense, ThemeId,
    TouchpointId,
};
use serde::Serialize;

/// Candidates rescored at most per call: enough for every flaw of a workshop canvas.
pub const MAX_CANDIDATES: usize = 80;

/// One fix and what it gains.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    /// What to do, in the designer's words ("Remove the negative cue “Long queue” at …").
    pub message: String,
    /// The elements it changes, to select them on the canvas.
    pub targets: Vec<Target>,
    /// Points the total gains once the fix is made (the totals as shown, rounded).
    pub gain: u8,
    /// The edit itself, to apply it to a copy (tests) or to the document.
    #[serde(skip)]
    pub edit: Edit,
}

/// An edit a fix makes, by card id so that it stays valid on a copy.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    RemoveCue {
        card: TouchpointId,
        cue: usize,
    },
    AddTheme {
        card: TouchpointId,
        theme: ThemeId,
    },
    SetEmotion {
        card: TouchpointId,
        emotion: i8,
    },
    WithinBudget {
        card: TouchpointId,
    },
    AddFlow {
        from: TouchpointId,
        to: TouchpointId,
    },
    AddSenses {
        card: TouchpointId,
        senses: Vec<Sense>,
    },
    MarkMemorabilia {
        card: TouchpointId,
    },
}

impl Edit {
    /// The card the edit changes in place; `None` for one that adds a flow.
    fn card(&self) -> Option<&TouchpointId> {
        match self {
            Edit::RemoveCue { card, .. }
            | Edit::AddTheme { card, .. }
            | Edit::SetEmotion { card, .. }
            | Edit::WithinBudget { card }
            | Edit::AddSenses { card, .. }
            | Edit::MarkMemorabilia { card } => Some(card),
            Edit::AddFlow { .. } => None,
        }
    }

    /// Makes the edit on `doc`; nothing happens when its card is gone.
    pub fn apply(&self, doc: &mut Document) {
        let find = |doc: &mut Document, id: &TouchpointId| {
            doc.touchpoints.iter().position(|t| t.id == *id)
        };
        match self {
            Edit::RemoveCue { card, cue } => {
                if let Some(i) = find(doc, card)
                    && *cue < doc.touchpoints[i].cues.len()
                {
                    doc.touchpoints[i].cues.remove(*cue);
                }
            }
            Edit::AddTheme { card, theme } => {
                if let Some(i) = find(doc, card)
                    && !doc.touchpoints[i].themes.contains(theme)
                {
                    doc.touchpoints[i].themes.push(theme.clone());
                }
            }
            Edit::SetEmotion { card, emotion } => {
                if let Some(i) = find(doc, card) {
                    doc.touchpoints[i].emotion = *emotion;
                }
            }
            Edit::WithinBudget { card } => {
                if let Some(i) = find(doc, card)
                    && let Some(task) = &mut doc.touchpoints[i].top_task
                {
                    if let (Some(s), Some(max)) = (task.steps, task.max_steps) {
                        task.steps = Some(s.min(max));
                    }
                    if let (Some(s), Some(max)) = (task.seconds, task.max_seconds) {
                        task.seconds = Some(s.min(max));
                    }
                }
            }
            Edit::AddFlow { from, to } => {
                let mut n = doc.flows.len();
                let id = loop {
                    let id = FlowId::from(format!("fix-flow-{n}").as_str());
                    if !doc.flows.iter().any(|f| f.id == id) {
                        break id;
                    }
                    n += 1;
                };
                doc.flows.push(Flow {
                    id,
                    from: from.clone(),
                    to: to.clone(),
                    label: String::new(),
                    extra: Extra::new(),
                });
            }
            Edit::AddSenses { card, senses } => {
                if let Some(i) = find(doc, card) {
                    doc.touchpoints[i].senses.extend(senses.iter().copied());
                }
            }
            Edit::MarkMemorabilia { card } => {
                if let Some(i) = find(doc, card) {
                    doc.touchpoints[i].flags.memorabilia = true;
                }
            }
        }
    }
}

impl Fix {
    /// The canvas with this fix made.
    pub fn applied_to(&self, doc: &Document) -> Document {
        let mut out = doc.clone();
        self.edit.apply(&mut out);
        out
    }
}

/// The fixes that gain at least one point, best first (ties in the order they were found),
/// at most `limit`. `report` is `score(doc)`.
///
/// Each candidate is made on one working copy and scored incrementally (the [`Scorer`]
/// reruns only the rules that read what it changed), then taken back: no copy of the
/// canvas and no full rescoring per candidate, except for an added flow.
pub fn fixes(doc: &Document, report: &Report, limit: usize) -> Vec<Fix> {
    let base = super::exact_total(&report.rules).unwrap_or(0.0);
    let mut copy = doc.clone();
    let mut scorer = Scorer::default();
    scorer.score(&copy, &Changed::everything());
    let mut ranked: Vec<(f64, usize, Fix)> = Vec::new();
    for (k, (message, targets, edit)) in
        candidates(doc).into_iter().take(MAX_CANDIDATES).enumerate()
    {
        let (exact, total) = scored_with(&edit, &mut copy, &mut scorer);
        let gain = total.saturating_sub(report.total);
        if gain >= 1 {
            ranked.push((
                exact - base,
                k,
                Fix {
                    message,
                    targets,
                    gain,
                    edit,
                },
            ));
        }
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(limit).map(|(_, _, f)| f).collect()
}

/// The exact and the shown total of `copy` with `edit` made; `copy` and `scorer` are left
/// as they were.
fn scored_with(edit: &Edit, copy: &mut Document, scorer: &mut Scorer) -> (f64, u8) {
    let totals = |r: &Report| (super::exact_total(&r.rules).unwrap_or(0.0), r.total);
    let Some(card) = edit.card() else {
        // A new flow reshapes the lists: the copy is scored whole, then the flow removed.
        let flows = copy.flows.len();
        edit.apply(copy);
        let after = totals(&score(copy));
        copy.flows.truncate(flows);
        return after;
    };
    let Some(i) = copy.touchpoints.iter().position(|t| t.id == *card) else {
        return totals(scorer.report());
    };
    let before = copy.touchpoints[i].clone();
    edit.apply(copy);
    let changed = Changed::cards(vec![i], Fields::between(&before, &copy.touchpoints[i]));
    // Only the totals: no finding of a candidate is ever shown.
    let after = match scorer.totals_after(copy, &changed) {
        Some(after) => after,
        None => totals(&score(copy)),
    };
    copy.touchpoints[i] = before;
    scorer.forget(copy, &[i]);
    after
}

type Candidate = (String, Vec<Target>, Edit);

/// Concrete edits for the flaws the canvas shows, in the order of the rules.
fn candidates(doc: &Document) -> Vec<Candidate> {
    let q = super::names::quote;
    let tps = &doc.touchpoints;
    // Ids resolved once (the first of equal ids, as a search from the start finds): the
    // candidates look cards up by flow ends, cards, stages and themes by id.
    fn first_of<'d>(
        ids: impl DoubleEndedIterator<Item = &'d str> + ExactSizeIterator,
    ) -> IdMap<&'d str, usize> {
        ids.enumerate().rev().map(|(i, id)| (id, i)).collect()
    }
    let card_ix = first_of(tps.iter().map(|t| t.id.as_str()));
    let lane_ix = first_of(doc.lanes.iter().map(|l| l.id.as_str()));
    let stage_ix = first_of(doc.stages.iter().map(|s| s.id.as_str()));
    let theme_ix = first_of(doc.themes.iter().map(|t| t.id.as_str()));
    let card_at = |id: &TouchpointId| card_ix.get(id.as_str()).copied();
    let theme_at = |id: &ThemeId| theme_ix.get(id.as_str()).copied();
    let lane_kind = |i: usize| {
        lane_ix
            .get(tps[i].lane.as_str())
            .map(|&l| doc.lanes[l].kind)
    };
    // Each flow's two ends, where both exist.
    let ends: Vec<Option<(usize, usize)>> = doc
        .flows
        .iter()
        .map(|f| Some((card_at(&f.from)?, card_at(&f.to)?)))
        .collect();
    let backstage = |i: usize| {
        tps[i].kind == ChannelKind::Backstage || lane_kind(i) == Some(ChannelKind::Backstage)
    };
    let any_customer = (0..tps.len()).any(|i| !backstage(i) && tps[i].actor == Actor::Customer);
    let guest = if any_customer {
        Actor::Customer
    } else {
        Actor::Employee
    };
    let facing = |i: usize| !backstage(i) && tps[i].actor == guest;
    let stage_of = |i: usize| stage_ix.get(tps[i].stage.as_str()).copied();
    let card_t = |i: usize| Target::Touchpoint(tps[i].id.clone());
    let mut out: Vec<Candidate> = Vec::new();

    // Theme alignment: a card with no theme takes the theme its neighbours carry most.
    if !doc.themes.is_empty() {
        let mut uses = vec![0usize; doc.themes.len()];
        for t in tps {
            for k in t.themes.iter().filter_map(theme_at) {
                uses[k] += 1;
            }
        }
        // The themes of each card without one's neighbours, along flows either way.
        let mut nearby: IdMap<usize, Vec<usize>> = IdMap::default();
        for &(a, b) in ends.iter().flatten() {
            for (card, other) in [(a, b), (b, a)] {
                if tps[card].themes.is_empty() && card != other {
                    let near = nearby
                        .entry(card)
                        .or_insert_with(|| vec![0; doc.themes.len()]);
                    for k in tps[other].themes.iter().filter_map(theme_at) {
                        near[k] += 1;
                    }
                }
            }
        }
        let none = vec![0usize; doc.themes.len()];
        for i in (0..tps.len()).filter(|&i| tps[i].themes.is_empty()) {
            let near = nearby.get(&i).unwrap_or(&none);
            let best = (0..doc.themes.len()).max_by_key(|&k| (near[k], uses[k], usize::MAX - k));
            if let Some(k) = best {
                out.push((
                    format!(
                        "Give {} the theme {}",
                        q(&tps[i].title),
                        q(&doc.themes[k].name)
                    ),
                    vec![card_t(i)],
                    Edit::AddTheme {
                        card: tps[i].id.clone(),
                        theme: doc.themes[k].id.clone(),
                    },
                ));
            }
        }
    }

    // Moments of truth: the loop from sharing back to discovery.
    let in_moment =
        |i: usize, m: Moment| stage_of(i).is_some_and(|s| doc.stages[s].moment == Some(m));
    let looped = ends
        .iter()
        .flatten()
        .any(|&(a, b)| in_moment(a, Moment::Umot) && in_moment(b, Moment::Zmot));
    if !looped {
        let share = (0..tps.len()).find(|&i| facing(i) && in_moment(i, Moment::Umot));
        let discover = (0..tps.len()).find(|&i| facing(i) && in_moment(i, Moment::Zmot));
        if let (Some(a), Some(b)) = (share, discover) {
            out.push((
                format!(
                    "Loop sharing back to discovery: a flow from {} to {}",
                    q(&tps[a].title),
                    q(&tps[b].title)
                ),
                vec![card_t(a), card_t(b)],
                Edit::AddFlow {
                    from: tps[a].id.clone(),
                    to: tps[b].id.clone(),
                },
            ));
        }
    }

    // Negative cues: remove each.
    for (i, t) in tps.iter().enumerate() {
        for (c, cue) in t.cues.iter().enumerate() {
            if cue.polarity == Polarity::Negative {
                out.push((
                    format!(
                        "Remove the negative cue {} at {}",
                        q(&cue.text),
                        q(&t.title)
                    ),
                    vec![card_t(i)],
                    Edit::RemoveCue {
                        card: t.id.clone(),
                        cue: c,
                    },
                ));
            }
        }
    }

    // Emotional arc: lift the last stage's low cards, recover each deep valley after it,
    // and make the best card a peak when there is none.
    let last = (0..tps.len())
        .filter(|&i| facing(i))
        .filter_map(stage_of)
        .max();
    if let Some(last) = last {
        for i in (0..tps.len()).filter(|&i| facing(i) && stage_of(i) == Some(last)) {
            if tps[i].emotion < 1 {
                out.push((
                    format!("Make {} leave guests glad (+1)", q(&tps[i].title)),
                    vec![card_t(i)],
                    Edit::SetEmotion {
                        card: tps[i].id.clone(),
                        emotion: 1,
                    },
                ));
            }
        }
    }
    for i in (0..tps.len()).filter(|&i| facing(i)) {
        let e = tps[i].emotion;
        if !(e <= -2 || (tps[i].flags.pain_point && e <= -1)) {
            continue;
        }
        let next = doc.flows.iter().zip(&ends).find_map(|(f, ends)| {
            (f.from == tps[i].id)
                .then_some(ends.map(|(_, to)| to))
                .flatten()
                .filter(|&n| facing(n) && tps[n].emotion < 1 && stage_of(n) >= stage_of(i))
        });
        if let Some(n) = next {
            out.push((
                format!(
                    "Recover after {}: make {} leave guests at +1",
                    q(&tps[i].title),
                    q(&tps[n].title)
                ),
                vec![card_t(i), card_t(n)],
                Edit::SetEmotion {
                    card: tps[n].id.clone(),
                    emotion: 1,
                },
            ));
        }
    }
    let peak = (0..tps.len()).any(|i| {
        facing(i) && (tps[i].emotion >= 2 || (tps[i].flags.magic_moment && tps[i].emotion >= 1))
    });
    if !peak
        && let Some(best) = (0..tps.len())
            .filter(|&i| facing(i))
            .max_by_key(|&i| (tps[i].emotion, usize::MAX - i))
    {
        out.push((
            format!("Design a magic moment at {} (+2)", q(&tps[best].title)),
            vec![card_t(best)],
            Edit::SetEmotion {
                card: tps[best].id.clone(),
                emotion: 2,
            },
        ));
    }

    // Memorabilia: a souvenir on the last stage's best card.
    if let Some(last) = last
        && !(0..tps.len())
            .any(|i| facing(i) && tps[i].flags.memorabilia && stage_of(i) == Some(last))
        && let Some(best) = (0..tps.len())
            .filter(|&i| facing(i) && stage_of(i) == Some(last))
            .max_by_key(|&i| (tps[i].emotion, usize::MAX - i))
    {
        out.push((
            format!(
                "Give guests something to take home at {}",
                q(&tps[best].title)
            ),
            vec![card_t(best)],
            Edit::MarkMemorabilia {
                card: tps[best].id.clone(),
            },
        ));
    }

    // Senses: cards in body engaging fewer than two senses get two more.
    for i in (0..tps.len()).filter(|&i| facing(i)) {
        let in_body = tps[i].kind == ChannelKind::Physical
            || lane_kind(i) == Some(ChannelKind::Physical)
            || tps[i].kind == ChannelKind::Human
            || lane_kind(i) == Some(ChannelKind::Human);
        if in_body && tps[i].senses.len() < 2 {
            let add: Vec<Sense> = [Sense::Hearing, Sense::Touch, Sense::Smell, Sense::Sight]
                .into_iter()
                .filter(|s| !tps[i].senses.contains(s))
                .take(2)
                .collect();
            out.push((
                format!(
                    "Engage more senses at {} (what guests hear and touch)",
                    q(&tps[i].title)
                ),
                vec![card_t(i)],
                Edit::AddSenses {
                    card: tps[i].id.clone(),
                    senses: add,
                },
            ));
        }
    }

    // Hand-offs: the sending card's theme carried to the receiving one.
    for (f, &(a, b)) in doc
        .flows
        .iter()
        .zip(&ends)
        .filter_map(|(f, e)| Some((f, e.as_ref()?)))
    {
        let (da, db) = (tps[a].department.trim(), tps[b].department.trim());
        if da.is_empty() || db.is_empty() || da.eq_ignore_ascii_case(db) {
            continue;
        }
        if tps[a].themes.iter().any(|t| tps[b].themes.contains(t)) {
            continue;
        }
        let Some(theme) = tps[a].themes.first() else {
            continue;
        };
        let name = doc
            .themes
            .iter()
            .find(|t| t.id == *theme)
            .map_or_else(|| theme.to_string(), |t| t.name.clone());
        out.push((
            format!(
                "Carry {} from {da} to {db}: put it on {}",
                q(&name),
                q(&tps[b].title)
            ),
            vec![Target::Flow(f.id.clone()), card_t(a), card_t(b)],
            Edit::AddTheme {
                card: tps[b].id.clone(),
                theme: theme.clone(),
            },
        ));
    }

    // Top tasks: within budget.
    for (i, t) in tps.iter().enumerate() {
        let Some(task) = &t.top_task else { continue };
        let over = matches!((task.steps, task.max_steps), (Some(s), Some(m)) if s > m)
            || matches!((task.seconds, task.max_seconds), (Some(s), Some(m)) if s > m);
        if over {
            let name = if task.task.trim().is_empty() {
                q(&t.title)
            } else {
                q(&task.task)
            };
            out.push((
                format!("Bring the top task {name} within its budget"),
                vec![card_t(i)],
                Edit::WithinBudget { card: t.id.clone() },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibration::{FLAWS, randomised};

    /// What `fixes` did before it scored incrementally: each candidate applied to its own
    /// copy of the canvas and scored from nothing.
    fn ranked_by_full_rescoring(doc: &Document, report: &Report) -> Vec<(String, u8)> {
        let base = super::super::exact_total(&report.rules).unwrap_or(0.0);
        let mut ranked: Vec<(f64, usize, String, u8)> = Vec::new();
        for (k, (message, _, edit)) in candidates(doc).into_iter().take(MAX_CANDIDATES).enumerate()
        {
            let mut copy = doc.clone();
            edit.apply(&mut copy);
            let after = score(&copy);
            let gain = after.total.saturating_sub(report.total);
            if gain >= 1 {
                let exact = super::super::exact_total(&after.rules).unwrap_or(0.0) - base;
                ranked.push((exact, k, message, gain));
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.into_iter().map(|(_, _, m, g)| (m, g)).collect()
    }

    fn samples() -> Vec<Document> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("samples/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| crate::io::load_path(p).expect("a sample loads").document)
            .collect()
    }

    /// The working copy and the incremental scorer give the very ranking (and gains) that
    /// a copy and a full rescoring per candidate gave, on every sample, every sample with
    /// each calibration flaw, and shuffled copies: the copy is restored after each try.
    #[test]
    fn incremental_ranking_is_the_full_rescoring_ranking() {
        let mut docs = Vec::new();
        for doc in samples() {
            for flaw in &FLAWS {
                let mut flawed = doc.clone();
                if (flaw.inject)(&mut flawed) {
                    docs.push(flawed);
                }
            }
            docs.push(randomised(&doc, 7));
            docs.push(doc);
        }
        let mut compared = 0;
        for doc in &docs {
            let report = score(doc);
            let fast: Vec<(String, u8)> = fixes(doc, &report, usize::MAX)
                .into_iter()
                .map(|f| (f.message, f.gain))
                .collect();
            assert_eq!(
                fast,
                ranked_by_full_rescoring(doc, &report),
                "{}",
                doc.title
            );
            compared += fast.len();
        }
        assert!(compared > 50, "only {compared} fixes compared");
    }
}
