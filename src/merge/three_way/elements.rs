//! How each kind of element merges field by field ([`Element`] for stages, lanes, themes,
//! cards and flows): whole values, line-merged texts, and lists as sets.

use super::{At, Element, Merger};
use crate::merge::{ElementKind, PLACE, quote};
use crate::model::{CellPos, Flow, Lane, Stage, Theme, Touchpoint};
use serde::Serialize;
use std::collections::HashSet;
use std::hash::Hash;

/// A JSON rendering of a value, for conflict lines.
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Lists inside an element (a card's themes and cues, a theme's tone) merge as sets: both
/// copies' additions are kept (the preferred copy's first, then the other's), removals by
/// either are applied.
fn set<T: Eq + Hash + Clone>(base: Option<&[T]>, p: &[T], o: &[T]) -> Vec<T> {
    if p == o || base == Some(o) {
        return p.to_vec();
    }
    if base == Some(p) {
        return o.to_vec();
    }
    let b: HashSet<&T> = base.unwrap_or_default().iter().collect();
    let in_p: HashSet<&T> = p.iter().collect();
    let in_o: HashSet<&T> = o.iter().collect();
    let mut seen = HashSet::new();
    p.iter()
        .filter(|x| !b.contains(x) || in_o.contains(x))
        .chain(o.iter().filter(|x| !in_p.contains(x) && !b.contains(x)))
        .filter(|x| seen.insert(*x))
        .cloned()
        .collect()
}

impl Element for Stage {
    const KIND: ElementKind = ElementKind::Stage;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn merge(m: &mut Merger, b: Option<&Self>, p: &Self, o: &Self) -> Self {
        let at = At {
            kind: Self::KIND,
            id: p.id.as_str(),
        };
        Stage {
            id: p.id.clone(),
            name: m.value(at, "name", b.map(|b| &b.name), &p.name, &o.name, |t| {
                quote(t)
            }),
            moment: m.value(
                at,
                "moment",
                b.map(|b| &b.moment),
                &p.moment,
                &o.moment,
                |v| v.map_or_else(|| "none".to_owned(), |v| v.label().to_owned()),
            ),
            extra: m.extra(at, b.map(|b| &b.extra), &p.extra, &o.extra),
        }
    }
}

impl Element for Lane {
    const KIND: ElementKind = ElementKind::Lane;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn merge(m: &mut Merger, b: Option<&Self>, p: &Self, o: &Self) -> Self {
        let at = At {
            kind: Self::KIND,
            id: p.id.as_str(),
        };
        Lane {
            id: p.id.clone(),
            name: m.value(at, "name", b.map(|b| &b.name), &p.name, &o.name, |t| {
                quote(t)
            }),
            kind: m.value(at, "kind", b.map(|b| &b.kind), &p.kind, &o.kind, json),
            extra: m.extra(at, b.map(|b| &b.extra), &p.extra, &o.extra),
        }
    }
}

impl Element for Theme {
    const KIND: ElementKind = ElementKind::Theme;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn merge(m: &mut Merger, b: Option<&Self>, p: &Self, o: &Self) -> Self {
        let at = At {
            kind: Self::KIND,
            id: p.id.as_str(),
        };
        let intent = |field: &str, t: &Theme| -> String {
            match field {
                "feel" => t.intent.feel.clone(),
                "think" => t.intent.think.clone(),
                _ => t.intent.share.clone(),
            }
        };
        let mut text = |field: &str| {
            let bt = b.map(|b| intent(field, b));
            m.text(
                at,
                &format!("intent.{field}"),
                bt.as_deref(),
                &intent(field, p),
                &intent(field, o),
            )
        };
        let feel = text("feel");
        let think = text("think");
        let share = text("share");
        Theme {
            id: p.id.clone(),
            name: m.value(at, "name", b.map(|b| &b.name), &p.name, &o.name, |t| {
                quote(t)
            }),
            color: m.value(at, "color", b.map(|b| &b.color), &p.color, &o.color, |c| {
                c.to_hex()
            }),
            intent: crate::model::Intent { feel, think, share },
            tone: set(b.map(|b| b.tone.as_slice()), &p.tone, &o.tone),
            extra: m.extra(at, b.map(|b| &b.extra), &p.extra, &o.extra),
        }
    }
}

/// A card's cell and its place in it: one field for conflicts, since a card moved to two
/// different places cannot be half in each.
#[derive(Clone, PartialEq)]
struct Place<'a> {
    stage: &'a str,
    lane: &'a str,
    position: CellPos,
}

impl<'a> Place<'a> {
    fn of(c: &'a Touchpoint) -> Self {
        Place {
            stage: c.stage.as_str(),
            lane: c.lane.as_str(),
            position: c.position,
        }
    }
}

/// `stage "choose", lane "store", at 0.5, 0.25`.
pub(in crate::merge) fn show_place(stage: &str, lane: &str, position: CellPos) -> String {
    format!(
        "stage {}, lane {}, at {}, {}",
        quote(stage),
        quote(lane),
        position.x,
        position.y
    )
}

impl Element for Touchpoint {
    const KIND: ElementKind = ElementKind::Card;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn merge(m: &mut Merger, b: Option<&Self>, p: &Self, o: &Self) -> Self {
        let at = At {
            kind: Self::KIND,
            id: p.id.as_str(),
        };
        macro_rules! field {
            ($name:ident, $show:expr) => {
                m.value(
                    at,
                    stringify!($name),
                    b.map(|b| &b.$name),
                    &p.$name,
                    &o.$name,
                    $show,
                )
            };
        }
        macro_rules! flag {
            ($name:ident) => {
                m.value(
                    at,
                    concat!("flags.", stringify!($name)),
                    b.map(|b| &b.flags.$name),
                    &p.flags.$name,
                    &o.flags.$name,
                    |v| v.to_string(),
                )
            };
        }
        let place = m.value(
            at,
            PLACE,
            b.map(Place::of).as_ref(),
            &Place::of(p),
            &Place::of(o),
            |pl| show_place(pl.stage, pl.lane, pl.position),
        );
        let (stage, lane, position) = (
            crate::model::StageId::from(place.stage),
            crate::model::LaneId::from(place.lane),
            place.position,
        );
        let senses = {
            let bs: Option<Vec<_>> = b.map(|b| b.senses.iter().copied().collect());
            let ps: Vec<_> = p.senses.iter().copied().collect();
            let os: Vec<_> = o.senses.iter().copied().collect();
            set(bs.as_deref(), &ps, &os).into_iter().collect()
        };
        Touchpoint {
            id: p.id.clone(),
            title: field!(title, |t| quote(t)),
            notes: m.text(at, "notes", b.map(|b| b.notes.as_str()), &p.notes, &o.notes),
            stage,
            lane,
            position,
            kind: field!(kind, json),
            themes: set(b.map(|b| b.themes.as_slice()), &p.themes, &o.themes),
            emotion: field!(emotion, std::string::ToString::to_string),
            personas: field!(personas, |l| l
                .as_ref()
                .map_or_else(|| "all".to_owned(), json)),
            emotions: super::personas::emotions(
                m,
                at,
                b.map(|b| &b.emotions),
                &p.emotions,
                &o.emotions,
            ),
            cues: set(b.map(|b| b.cues.as_slice()), &p.cues, &o.cues),
            senses,
            department: field!(department, |t| quote(t)),
            actor: field!(actor, json),
            flags: crate::model::Flags {
                pain_point: flag!(pain_point),
                magic_moment: flag!(magic_moment),
                memorabilia: flag!(memorabilia),
            },
            top_task: field!(top_task, |t| t
                .as_ref()
                .map_or_else(|| "none".to_owned(), json)),
            evidence: field!(evidence, json),
            extra: m.extra(at, b.map(|b| &b.extra), &p.extra, &o.extra),
        }
    }
}

impl Element for Flow {
    const KIND: ElementKind = ElementKind::Flow;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn merge(m: &mut Merger, b: Option<&Self>, p: &Self, o: &Self) -> Self {
        let at = At {
            kind: Self::KIND,
            id: p.id.as_str(),
        };
        let ends = |f: &Flow| (f.from.clone(), f.to.clone());
        let (from, to) = m.value(at, "ends", b.map(ends).as_ref(), &ends(p), &ends(o), |e| {
            format!("from {} to {}", quote(e.0.as_str()), quote(e.1.as_str()))
        });
        Flow {
            id: p.id.clone(),
            from,
            to,
            label: m.value(at, "label", b.map(|b| &b.label), &p.label, &o.label, |t| {
                quote(t)
            }),
            extra: m.extra(at, b.map(|b| &b.extra), &p.extra, &o.extra),
        }
    }
}
