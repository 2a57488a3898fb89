//! Hand-written pieces of deserialisation where serde's derive is too lenient.
//!
//! - Unknown fields (kept in each element's `extra` map) must refuse duplicate keys:
//!   a plain `BTreeMap` would keep the last one silently, and the user would never know
//!   which of two values the file meant. The derive already refuses duplicate *known*
//!   fields; this covers the unknown ones, at any depth inside them.
//! - Emotion is a small whole number; serde's `i8` error ("expected i8") says nothing to
//!   a designer, so the range is checked here with a message in the domain's words.

use super::{EMOTION_MAX, EMOTION_MIN, Extra};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;

/// Deserialises an element's unknown fields, refusing a key that appears twice.
pub(crate) fn extra<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Extra, D::Error> {
    struct ExtraVisitor;
    impl<'de> Visitor<'de> for ExtraVisitor {
        type Value = Extra;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of fields")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
            let mut out = Extra::new();
            while let Some(key) = map.next_key::<String>()? {
                let StrictValue(value) = map.next_value()?;
                if out.contains_key(&key) {
                    return Err(de::Error::custom(format!("duplicate key {key:?}")));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(ExtraVisitor)
}

/// Most JSON values (numbers, strings, lists and objects, counted at every depth) that the
/// unknown fields of one file may hold. Kept fields live in memory as `serde_json::Value`
/// trees, 32 bytes and more per value: without a budget, 60 MB of `[],[],…` in one
/// unknown field took 1.3 GB. A million values is far beyond what a newer version's extra
/// fields would carry.
pub const MAX_UNKNOWN_VALUES: usize = 1_000_000;

thread_local! {
    static UNKNOWN_VALUES: Cell<usize> = const { Cell::new(0) };
}

/// Starts a new file's budget of unknown values.
pub(crate) fn reset_unknown_budget() {
    UNKNOWN_VALUES.with(|c| c.set(0));
}

/// Counts one more unknown value, refusing the file past the budget.
fn spend_unknown<E: de::Error>() -> Result<(), E> {
    UNKNOWN_VALUES.with(|c| {
        let n = c.get().saturating_add(1);
        c.set(n);
        if n > MAX_UNKNOWN_VALUES {
            Err(E::custom(format!(
                "unknown fields hold more than {MAX_UNKNOWN_VALUES} values; a canvas file cannot carry that much unknown data"
            )))
        } else {
            Ok(())
        }
    })
}

/// A JSON value whose objects have no duplicate keys.
struct StrictValue(Value);

impl<'de> de::Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        spend_unknown::<D::Error>()?;
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("expected a finite number"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let StrictValue(v) = map.next_value()?;
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Deserialises an emotion: a whole number from -2 to +2.
pub(crate) fn emotion<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i8, D::Error> {
    struct EmotionVisitor;
    fn out_of_range<E: de::Error>(found: impl fmt::Display) -> E {
        E::custom(format!(
            "emotion must be a whole number from {EMOTION_MIN} to {EMOTION_MAX}, found {found}"
        ))
    }
    impl Visitor<'_> for EmotionVisitor {
        type Value = i8;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a whole number from {EMOTION_MIN} to {EMOTION_MAX}")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i8, E> {
            i8::try_from(v)
                .ok()
                .filter(|e| (EMOTION_MIN..=EMOTION_MAX).contains(e))
                .ok_or_else(|| out_of_range(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i8, E> {
            i64::try_from(v).map_or_else(|_| Err(out_of_range(v)), |v| self.visit_i64(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i8, E> {
            Err(out_of_range(v))
        }
    }
    deserializer.deserialize_i64(EmotionVisitor)
}

/// Deserialises a card's emotions per persona: a map from persona id to an emotion, each
/// checked as [`emotion`] is, refusing a persona named twice.
pub(crate) fn emotions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<std::collections::BTreeMap<super::PersonaId, i8>, D::Error> {
    struct One(i8);
    impl<'de> serde::Deserialize<'de> for One {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            emotion(d).map(One)
        }
    }
    struct EmotionsVisitor;
    impl<'de> Visitor<'de> for EmotionsVisitor {
        type Value = std::collections::BTreeMap<super::PersonaId, i8>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map from persona id to emotion")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                let One(e) = map.next_value()?;
                if out.insert(super::PersonaId(key.clone()), e).is_some() {
                    return Err(de::Error::custom(format!("duplicate key {key:?}")));
                }
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(EmotionsVisitor)
}

// ---- Unknown fields inside the small nested objects ------------------------------------
//
// Intent, cue, flags, top task and position have no `extra` map (they are built
// by hand all over the code, and a new field would break every literal). Their unknown
// fields are dropped, but never silently: each is read through a twin struct that
// notices them and raises a per-thread flag; the loader then finds them (slowly, only
// when the flag is up) and warns. A flag costs nothing on the fast path, unlike wrapping
// the whole deserializer to watch for ignored fields.

use super::{CellPos, Cue, Flags, Intent, Polarity, TopTask};
use serde::Deserialize;

thread_local! {
    static DROPPED_NESTED: Cell<bool> = const { Cell::new(false) };
}

/// Whether unknown fields were dropped from nested objects since the last call; clears
/// the flag.
pub(crate) fn take_dropped_nested() -> bool {
    DROPPED_NESTED.with(|f| f.replace(false))
}

/// The unknown fields of a nested object: ignored, but noticed (and refused when repeated).
struct Unknown;

impl<'de> Deserialize<'de> for Unknown {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UnknownVisitor;
        impl<'de> Visitor<'de> for UnknownVisitor {
            type Value = Unknown;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unknown, A::Error> {
                let mut seen: Vec<String> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let StrictValue(_) = map.next_value()?;
                    if seen.contains(&key) {
                        return Err(de::Error::custom(format!("duplicate key {key:?}")));
                    }
                    seen.push(key);
                }
                if !seen.is_empty() {
                    DROPPED_NESTED.with(|f| f.set(true));
                }
                Ok(Unknown)
            }
        }
        deserializer.deserialize_map(UnknownVisitor)
    }
}

/// The known field names of each nested object, for finding the unknown ones.
pub(crate) const NESTED_FIELDS: [(&str, &[&str]); 5] = [
    ("intent", &["feel", "think", "share"]),
    ("cue", &["text", "polarity"]),
    ("flags", &["pain_point", "magic_moment", "memorabilia"]),
    (
        "top_task",
        &["task", "steps", "seconds", "max_steps", "max_seconds"],
    ),
    ("position", &["x", "y"]),
];

#[derive(Deserialize)]
pub(crate) struct IntentIn {
    #[serde(default)]
    feel: String,
    #[serde(default)]
    think: String,
    #[serde(default)]
    share: String,
    #[serde(flatten)]
    _unknown: Unknown,
}

impl From<IntentIn> for Intent {
    fn from(i: IntentIn) -> Self {
        Self {
            feel: i.feel,
            think: i.think,
            share: i.share,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct CueIn {
    text: String,
    polarity: Polarity,
    #[serde(flatten)]
    _unknown: Unknown,
}

impl From<CueIn> for Cue {
    fn from(c: CueIn) -> Self {
        Self {
            text: c.text,
            polarity: c.polarity,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct FlagsIn {
    #[serde(default)]
    pain_point: bool,
    #[serde(default)]
    magic_moment: bool,
    #[serde(default)]
    memorabilia: bool,
    #[serde(flatten)]
    _unknown: Unknown,
}

impl From<FlagsIn> for Flags {
    fn from(f: FlagsIn) -> Self {
        Self {
            pain_point: f.pain_point,
            magic_moment: f.magic_moment,
            memorabilia: f.memorabilia,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct TopTaskIn {
    #[serde(default)]
    task: String,
    #[serde(default)]
    steps: Option<u32>,
    #[serde(default)]
    seconds: Option<f64>,
    #[serde(default)]
    max_steps: Option<u32>,
    #[serde(default)]
    max_seconds: Option<f64>,
    #[serde(flatten)]
    _unknown: Unknown,
}

impl From<TopTaskIn> for TopTask {
    fn from(t: TopTaskIn) -> Self {
        Self {
            task: t.task,
            steps: t.steps,
            seconds: t.seconds,
            max_steps: t.max_steps,
            max_seconds: t.max_seconds,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct CellPosIn {
    x: f32,
    y: f32,
    #[serde(flatten)]
    _unknown: Unknown,
}

impl From<CellPosIn> for CellPos {
    fn from(p: CellPosIn) -> Self {
        Self { x: p.x, y: p.y }
    }
}
