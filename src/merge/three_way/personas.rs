//! How personas merge: by id like themes (name and colour as whole values, goal and
//! description line by line, the picture as one value), and a card's emotions per persona
//! key by key, so that two colleagues setting different personas' emotions both win.

use super::{At, Element, ElementKind, Merger, quote};
use crate::model::{Persona, PersonaId};
use std::collections::{BTreeMap, BTreeSet};

impl Element for Persona {
    const KIND: ElementKind = ElementKind::Persona;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn merge(m: &mut Merger, b: Option<&Self>, p: &Self, o: &Self) -> Self {
        let at = At {
            kind: Self::KIND,
            id: p.id.as_str(),
        };
        Persona {
            id: p.id.clone(),
            name: m.value(at, "name", b.map(|b| &b.name), &p.name, &o.name, |t| {
                quote(t)
            }),
            goal: m.text(at, "goal", b.map(|b| b.goal.as_str()), &p.goal, &o.goal),
            description: m.text(
                at,
                "description",
                b.map(|b| b.description.as_str()),
                &p.description,
                &o.description,
            ),
            color: m.value(at, "color", b.map(|b| &b.color), &p.color, &o.color, |c| {
                c.to_hex()
            }),
            picture: m.value(
                at,
                "picture",
                b.map(|b| &b.picture),
                &p.picture,
                &o.picture,
                |pic| match pic {
                    Some(uri) => format!("a picture ({} characters)", uri.len()),
                    None => "no picture".to_owned(),
                },
            ),
            extra: m.extra(at, b.map(|b| &b.extra), &p.extra, &o.extra),
        }
    }
}

/// A card's emotions per persona, persona by persona (`emotions.ID` in conflicts).
pub(super) fn emotions(
    m: &mut Merger,
    at: At,
    base: Option<&BTreeMap<PersonaId, i8>>,
    p: &BTreeMap<PersonaId, i8>,
    o: &BTreeMap<PersonaId, i8>,
) -> BTreeMap<PersonaId, i8> {
    if p == o || base == Some(o) {
        return p.clone();
    }
    if base == Some(p) {
        return o.clone();
    }
    let keys: BTreeSet<&PersonaId> = p.keys().chain(o.keys()).collect();
    let mut out = BTreeMap::new();
    for key in keys {
        let b = base.map(|b| b.get(key).copied());
        let merged = m.value(
            at,
            &format!("emotions.{key}"),
            b.as_ref(),
            &p.get(key).copied(),
            &o.get(key).copied(),
            |v| v.map_or_else(|| "the card's".to_owned(), |e| format!("{e:+}")),
        );
        if let Some(e) = merged {
            out.insert(key.clone(), e);
        }
    }
    out
}
