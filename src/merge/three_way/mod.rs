//! The three-way merge of two copies of a canvas that share a base: elements matched by
//! id, fields merged one by one, lists merged as sets or ordered sets, references checked
//! afterwards, limits kept. See the module doc of [`super`] and `docs/MERGE.md`.
//!
//! Everything here speaks of the *preferred* copy `p` and the *other* copy `o`; "ours" and
//! "theirs" appear only where conflicts and notes are worded for the user. The merged
//! document is therefore a function of (base, preferred, other) alone.

use super::lines::merge_lines;
use super::order::{BothMoved, OrderInput, merge_order};
use super::{
    Conflict, ConflictKey, EDITED_DELETED, ElementKind, MergeOutcome, ORDER, Resolutions, Side,
    quote,
};
use crate::IdMap;
use crate::model::{
    Document, Extra, MAX_FLOWS, MAX_LANES, MAX_LIST_ITEMS, MAX_STAGES, MAX_TEXT_CHARS, MAX_THEMES,
    MAX_TOUCHPOINTS,
};
use std::collections::HashSet;

mod elements;
mod personas;

pub(super) use elements::show_place;

/// Merges `ours` and `theirs`, both edited from `base`; conflicts go to `prefer`.
pub fn merge(base: &Document, ours: &Document, theirs: &Document, prefer: Side) -> MergeOutcome {
    merge_with(base, ours, theirs, prefer, &Resolutions::default())
}

/// [`merge`], with some conflicts resolved one by one: a conflict whose key is in
/// `choices` goes to the side chosen there, every other to `prefer`. A conflicts panel
/// calls this again with the user's choices; the conflicts come back the same (with
/// their new `resolved_to`), unless a choice changed what else conflicts (keeping a card
/// the other side deleted brings back the conflicts on its fields).
pub fn merge_with(
    base: &Document,
    ours: &Document,
    theirs: &Document,
    prefer: Side,
    choices: &Resolutions,
) -> MergeOutcome {
    let (p, o) = match prefer {
        Side::Ours => (ours, theirs),
        Side::Theirs => (theirs, ours),
    };
    let mut m = Merger {
        preferred: prefer,
        choices,
        conflicts: Vec::new(),
        notes: Vec::new(),
    };
    let doc = m.document(base, p, o);
    // Stable: within a kind, conflicts stay in the order they were met.
    m.conflicts.sort_by_key(|c| c.key.element);
    MergeOutcome {
        doc,
        conflicts: m.conflicts,
        notes: m.notes,
    }
}

/// The element a field belongs to.
#[derive(Clone, Copy)]
struct At<'a> {
    kind: ElementKind,
    id: &'a str,
}

struct Merger<'r> {
    preferred: Side,
    choices: &'r Resolutions,
    conflicts: Vec<Conflict>,
    notes: Vec<String>,
}

impl Merger<'_> {
    /// "ours" or "theirs" for the preferred copy (`true`) or the other one.
    fn side(&self, preferred: bool) -> &'static str {
        if preferred {
            self.preferred.label()
        } else {
            self.preferred.other().label()
        }
    }

    /// Records a conflict, shown with each copy's value; returns whether the preferred
    /// copy's value is kept.
    fn conflict(&mut self, at: At, field: &str, p_shown: String, o_shown: String) -> bool {
        let key = ConflictKey {
            element: at.kind,
            id: at.id.to_owned(),
            field: field.to_owned(),
        };
        let side = self.choices.get(&key).unwrap_or(self.preferred);
        let (ours, theirs) = match self.preferred {
            Side::Ours => (p_shown, o_shown),
            Side::Theirs => (o_shown, p_shown),
        };
        self.conflicts.push(Conflict {
            key,
            ours,
            theirs,
            resolved_to: side,
        });
        side == self.preferred
    }

    /// A field that merges whole: one side's change is taken, two different changes
    /// conflict.
    fn value<T: PartialEq + Clone>(
        &mut self,
        at: At,
        field: &str,
        base: Option<&T>,
        p: &T,
        o: &T,
        show: impl Fn(&T) -> String,
    ) -> T {
        if p == o || base == Some(o) {
            return p.clone();
        }
        if base == Some(p) {
            return o.clone();
        }
        if self.conflict(at, field, show(p), show(o)) {
            p.clone()
        } else {
            o.clone()
        }
    }

    /// A long text: changed on both sides, it merges line by line when the changes touch
    /// different lines.
    fn text(&mut self, at: At, field: &str, base: Option<&str>, p: &str, o: &str) -> String {
        if p == o || base == Some(o) {
            return p.to_owned();
        }
        if base == Some(p) {
            return o.to_owned();
        }
        if let Some(merged) = base.and_then(|b| merge_lines(b, p, o))
            && (merged.len() <= MAX_TEXT_CHARS || merged.chars().count() <= MAX_TEXT_CHARS)
        {
            return merged;
        }
        if self.conflict(at, field, quote(p), quote(o)) {
            p.to_owned()
        } else {
            o.to_owned()
        }
    }

    /// Unknown fields, key by key.
    fn extra(&mut self, at: At, base: Option<&Extra>, p: &Extra, o: &Extra) -> Extra {
        if p == o || base == Some(o) {
            return p.clone();
        }
        if base == Some(p) {
            return o.clone();
        }
        let mut out = Extra::new();
        let keys: std::collections::BTreeSet<&String> = p.keys().chain(o.keys()).collect();
        for key in keys {
            let b = base.and_then(|b| b.get(key));
            let merged = self.value(at, key, Some(&b), &p.get(key), &o.get(key), |v| {
                v.map_or_else(|| "absent".to_owned(), ToString::to_string)
            });
            if let Some(v) = merged {
                out.insert(key.clone(), v.clone());
            }
        }
        out
    }

    fn document(&mut self, base: &Document, p: &Document, o: &Document) -> Document {
        let at = At {
            kind: ElementKind::Document,
            id: "",
        };
        let title = self.value(at, "title", Some(&base.title), &p.title, &o.title, |t| {
            quote(t)
        });
        let extra = self.extra(at, Some(&base.extra), &p.extra, &o.extra);
        let mut personas = self.elements(&base.personas, &p.personas, &o.personas);
        let mut stages = self.elements(&base.stages, &p.stages, &o.stages);
        let mut lanes = self.elements(&base.lanes, &p.lanes, &o.lanes);
        let mut themes = self.elements(&base.themes, &p.themes, &o.themes);
        let cards = self.elements(&base.touchpoints, &p.touchpoints, &o.touchpoints);
        // A stage, lane or theme one side deleted while the other put a card in it (or on
        // it) stays: dropping the card would lose more than keeping the column.
        for card in cards.merged.iter().flatten() {
            let by = || format!("card {}", quote(card.id.as_str()));
            self.keep_used(&mut stages, card.stage.as_str(), by);
            self.keep_used(&mut lanes, card.lane.as_str(), by);
            for theme in &card.themes {
                self.keep_used(&mut themes, theme.as_str(), by);
            }
            for persona in card.personas.iter().flatten().chain(card.emotions.keys()) {
                self.keep_used(&mut personas, persona.as_str(), by);
            }
        }
        let mut flows = self.elements(&base.flows, &p.flows, &o.flows);
        // A flow whose card is gone (the other side deleted it) goes too.
        for k in 0..flows.merged.len() {
            let Some(flow) = &flows.merged[k] else {
                continue;
            };
            let gone = |end: &&crate::model::TouchpointId| match cards.number(end.as_str()) {
                Some(c) => cards.merged[c].is_none(),
                None => true,
            };
            let Some(end) = [&flow.from, &flow.to].into_iter().find(gone) else {
                continue;
            };
            let deleted_by_p = cards
                .number(end.as_str())
                .is_some_and(|c| cards.p[c].is_none());
            let note = format!(
                "flow {} from {} to {} dropped: card {} was deleted by {}",
                quote(flow.id.as_str()),
                quote(flow.from.as_str()),
                quote(flow.to.as_str()),
                quote(end.as_str()),
                self.side(deleted_by_p)
            );
            self.notes.push(note);
            flows.merged[k] = None;
        }
        let mut doc = Document {
            title,
            personas: self.ordered(personas, true),
            stages: self.ordered(stages, true),
            lanes: self.ordered(lanes, true),
            themes: self.ordered(themes, true),
            touchpoints: self.ordered(cards, false),
            flows: self.ordered(flows, false),
            // Both copies' histories, the preferred one's first: a later merge of either
            // with this one still finds their common version.
            lineage: p.lineage.merged(&o.lineage),
            extra,
        };
        self.keep_limits(&mut doc);
        doc
    }

    /// Merges one list of elements by id; the order is settled later by [`Self::ordered`].
    fn elements<'a, T: Element>(&mut self, base: &'a [T], p: &'a [T], o: &'a [T]) -> Table<'a, T> {
        let mut index: IdMap<&'a str, usize> = IdMap::default();
        index.reserve(p.len().max(o.len()) + 16);
        let mut number = |list: &'a [T]| -> Vec<usize> {
            list.iter()
                .map(|e| {
                    let next = index.len();
                    *index.entry(e.id()).or_insert(next)
                })
                .collect()
        };
        let (mut p_order, mut o_order, mut base_order) = (number(p), number(o), number(base));
        let n = index.len();
        // Each element by its number, in each copy. A repeated id (never in a valid
        // copy) keeps its first element, so that every number is in a list once.
        let slots = |list: &'a [T], order: &mut Vec<usize>| -> Vec<Option<&'a T>> {
            let mut slots = vec![None; n];
            let mut keep = Vec::with_capacity(order.len());
            for (e, &k) in list.iter().zip(order.iter()) {
                if slots[k].is_none() {
                    slots[k] = Some(e);
                    keep.push(k);
                }
            }
            *order = keep;
            slots
        };
        let (pv, ov, bv) = (
            slots(p, &mut p_order),
            slots(o, &mut o_order),
            slots(base, &mut base_order),
        );
        let merged = (0..n)
            .map(|k| match (pv[k], ov[k]) {
                (Some(pe), Some(oe)) => {
                    let b = bv[k];
                    Some(if pe == oe || b == Some(oe) {
                        pe.clone()
                    } else if b == Some(pe) {
                        oe.clone()
                    } else {
                        T::merge(self, b, pe, oe)
                    })
                }
                (Some(pe), None) => self.one_sided(bv[k], pe, true),
                (None, Some(oe)) => self.one_sided(bv[k], oe, false),
                (None, None) => None,
            })
            .collect();
        Table {
            index,
            p: pv,
            o: ov,
            base: bv,
            base_order,
            p_order,
            o_order,
            merged,
        }
    }

    /// An element only one copy holds (`in_p`: the preferred one): an addition, kept; or
    /// one the other copy deleted: gone, unless this copy edited it, which is a conflict.
    fn one_sided<T: Element>(&mut self, base: Option<&T>, e: &T, in_p: bool) -> Option<T> {
        let Some(b) = base else {
            return Some(e.clone());
        };
        if b == e {
            return None;
        }
        let (edited, deleted) = ("edited".to_owned(), "deleted".to_owned());
        let (p_shown, o_shown) = if in_p {
            (edited, deleted)
        } else {
            (deleted, edited)
        };
        let at = At {
            kind: T::KIND,
            id: e.id(),
        };
        let p_wins = self.conflict(at, EDITED_DELETED, p_shown, o_shown);
        (p_wins == in_p).then(|| e.clone())
    }

    /// Brings back a stage, lane or theme the merge deleted but `user` (a card) still
    /// uses, from the copy that kept it, and says so.
    fn keep_used<T: Element>(
        &mut self,
        list: &mut Table<'_, T>,
        id: &str,
        user: impl Fn() -> String,
    ) {
        // Every card comes from a valid copy, whose stages, lanes and themes exist.
        let Some(k) = list.number(id) else {
            return;
        };
        if list.merged[k].is_some() {
            return;
        }
        let (element, in_p) = match (list.p[k], list.o[k]) {
            (Some(e), _) => (e, true),
            (None, Some(e)) => (e, false),
            (None, None) => return,
        };
        list.merged[k] = Some(element.clone());
        self.notes.push(format!(
            "{} {} was deleted by {} but {} uses it; it is kept",
            T::KIND.label(),
            quote(id),
            self.side(!in_p),
            user()
        ));
    }

    /// The surviving elements in their merged order (see [`super::order`]). For stages,
    /// lanes and themes (`order_conflicts`), two different moves of one element conflict;
    /// for cards and flows, whose list order nobody sees, the preferred copy's wins.
    fn ordered<T: Element>(&mut self, mut list: Table<'_, T>, order_conflicts: bool) -> Vec<T> {
        let input = OrderInput {
            n: list.merged.len(),
            base: &list.base_order,
            preferred: &list.p_order,
            other: &list.o_order,
        };
        let survives: Vec<bool> = list.merged.iter().map(Option::is_some).collect();
        let order = merge_order(&input, &survives, |moved: BothMoved| {
            if !order_conflicts {
                return false;
            }
            let show = |after: Option<usize>| {
                after.map_or_else(
                    || "first".to_owned(),
                    |k| format!("after {}", quote(list.id(k))),
                )
            };
            let at = At {
                kind: T::KIND,
                id: list.id(moved.element),
            };
            !self.conflict(
                at,
                ORDER,
                show(moved.after_in_preferred),
                show(moved.after_in_other),
            )
        });
        order
            .into_iter()
            .filter_map(|k| list.merged[k].take())
            .collect()
    }

    /// Cuts lists that two copies' additions together made longer than a canvas may hold
    /// (the other copy's additions come last, so they go first), then drops what pointed
    /// at what was cut. A valid merge of two valid copies stays valid.
    fn keep_limits(&mut self, doc: &mut Document) {
        let mut cut = false;
        macro_rules! cap {
            ($list:expr, $max:expr, $what:expr) => {
                if $list.len() > $max {
                    self.notes.push(format!(
                        "the merged canvas had {} {}; only the first {} are kept",
                        $list.len(),
                        $what,
                        $max
                    ));
                    $list.truncate($max);
                    cut = true;
                }
            };
        }
        cap!(doc.stages, MAX_STAGES, "stages");
        cap!(doc.lanes, MAX_LANES, "lanes");
        cap!(doc.themes, MAX_THEMES, "themes");
        cap!(doc.touchpoints, MAX_TOUCHPOINTS, "cards");
        cap!(doc.flows, MAX_FLOWS, "flows");
        for t in &mut doc.themes {
            let id = t.id.as_str();
            cap!(
                t.tone,
                MAX_LIST_ITEMS,
                format!("tone keywords on theme {}", quote(id))
            );
        }
        for c in &mut doc.touchpoints {
            let id = c.id.as_str();
            cap!(
                c.themes,
                MAX_LIST_ITEMS,
                format!("themes on card {}", quote(id))
            );
            cap!(
                c.cues,
                MAX_LIST_ITEMS,
                format!("cues on card {}", quote(id))
            );
        }
        if cut {
            self.drop_dangling(doc);
        }
    }

    /// Removes cards in stages or lanes that are gone, themes that are gone from cards,
    /// and flows whose cards are gone, each with a note.
    fn drop_dangling(&mut self, doc: &mut Document) {
        let stages: HashSet<&str> = doc.stages.iter().map(|s| s.id.as_str()).collect();
        let lanes: HashSet<&str> = doc.lanes.iter().map(|l| l.id.as_str()).collect();
        let themes: HashSet<&str> = doc.themes.iter().map(|t| t.id.as_str()).collect();
        let notes = &mut self.notes;
        doc.touchpoints.retain_mut(|c| {
            c.themes.retain(|t| themes.contains(t.as_str()));
            let keep = stages.contains(c.stage.as_str()) && lanes.contains(c.lane.as_str());
            if !keep {
                notes.push(format!(
                    "card {} dropped: its stage or lane was cut",
                    quote(c.id.as_str())
                ));
            }
            keep
        });
        let cards: HashSet<&str> = doc.touchpoints.iter().map(|c| c.id.as_str()).collect();
        doc.flows.retain(|f| {
            let keep = cards.contains(f.from.as_str()) && cards.contains(f.to.as_str());
            if !keep {
                notes.push(format!(
                    "flow {} dropped: one of its cards was cut",
                    quote(f.id.as_str())
                ));
            }
            keep
        });
    }
}

/// One list's elements, each numbered once across the three copies, with the merged
/// element for each number (`None`: not in the merge), before they are put in order.
struct Table<'a, T> {
    index: IdMap<&'a str, usize>,
    base: Vec<Option<&'a T>>,
    p: Vec<Option<&'a T>>,
    o: Vec<Option<&'a T>>,
    base_order: Vec<usize>,
    p_order: Vec<usize>,
    o_order: Vec<usize>,
    merged: Vec<Option<T>>,
}

impl<'a, T: Element> Table<'a, T> {
    fn number(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The id of element `k`, from whichever copy holds it.
    fn id(&self, k: usize) -> &'a str {
        self.p[k]
            .or(self.o[k])
            .or(self.base[k])
            .map_or("", |e| e.id())
    }
}

/// An element of a list with ids, and how two edited copies of it merge field by field.
trait Element: Clone + PartialEq {
    const KIND: ElementKind;
    fn id(&self) -> &str;
    /// Merges two copies that differ from each other and from the base (`None`: both
    /// added an element with this id).
    fn merge(m: &mut Merger, base: Option<&Self>, p: &Self, o: &Self) -> Self;
}
