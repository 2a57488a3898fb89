//! Brings files of older format versions up to the current one, one step at a time.
//!
//! Each step takes the JSON of version N and returns the JSON of version N+1: `v0_to_v1`
//! (cards become touchpoints), `v1_to_v2` (the one persona becomes a list of personas).

use serde_json::Value;

/// The format version this build writes.
pub const FORMAT_VERSION: u64 = 2;

/// Upgrades `value` from `from` to [`FORMAT_VERSION`]. `from` must be older.
pub fn migrate(mut value: Value, from: u64) -> Result<Value, String> {
    let mut version = from;
    while version < FORMAT_VERSION {
        value = match version {
            0 => v0_to_v1(value)?,
            1 => v1_to_v2(value)?,
            other => return Err(format!("no migration known from format version {other}")),
        };
        version += 1;
    }
    if let Some(obj) = value.as_object_mut() {
        obj.insert("version".into(), Value::from(FORMAT_VERSION));
    }
    Ok(value)
}

/// Where a JSON pointer into the current version's document points in a file of version
/// `from`, so that problems found after an upgrade are shown where the user wrote them.
pub fn pointer_in_version(pointer: &str, from: u64) -> String {
    if from <= 1
        && let Some(rest) = pointer.strip_prefix("/personas/0")
    {
        return format!("/persona{rest}");
    }
    if from == 0
        && let Some(rest) = pointer.strip_prefix("/touchpoints")
    {
        return format!("/cards{rest}");
    }
    pointer.to_owned()
}

/// The id version 2 gives the persona of a version-1 file.
pub const V1_PERSONA_ID: &str = "persona-1";

/// Version 1 had one `persona` (`name`, `goal`) living every card, each card with one
/// `emotion`. Version 2 has a list of `personas`, cards that concern all of them unless
/// they list some, and emotions per persona where they differ from the card's. The one
/// persona becomes the list's only persona (none when both its texts were empty), with
/// the first persona colour; cards are left as they are, so they concern it and leave it
/// with their `emotion`: the same journey, the same curve, the same score.
fn v1_to_v2(mut value: Value) -> Result<Value, String> {
    let obj = value
        .as_object_mut()
        .ok_or("expected the canvas to be a JSON object")?;
    if obj.contains_key("personas") {
        return Err(
            "this version 1 canvas already has a \"personas\" field, which version 2 uses for \
             its list of personas; rename or remove that field, then open it again"
                .to_owned(),
        );
    }
    let mut personas = Vec::new();
    match obj.remove("persona") {
        None | Some(Value::Null) => {}
        Some(Value::Object(mut persona)) => {
            let has_text = ["name", "goal"].iter().any(|k| {
                persona
                    .get(*k)
                    .is_some_and(|v| v.as_str().is_none_or(|s| !s.trim().is_empty()))
            });
            let kept_unknown = persona.keys().any(|k| k != "name" && k != "goal");
            if has_text || kept_unknown {
                persona.insert("id".into(), Value::from(V1_PERSONA_ID));
                persona.entry("name").or_insert_with(|| Value::from(""));
                persona.entry("goal").or_insert_with(|| Value::from(""));
                persona.insert("description".into(), Value::from(""));
                persona.insert(
                    "color".into(),
                    Value::from(crate::model::PERSONA_COLORS[0].to_hex()),
                );
                personas.push(Value::Object(persona));
            }
        }
        Some(other) => {
            return Err(format!(
                "expected \"persona\" to be an object with a name and a goal, found {other}"
            ));
        }
    }
    obj.insert("personas".into(), Value::Array(personas));
    Ok(value)
}

/// Version 0 was the pre-release draft: cards were called `cards`, and a card's emotion was
/// a number from -1.0 to 1.0. Version 1 names them `touchpoints`, with whole emotions -2..2.
fn v0_to_v1(mut value: Value) -> Result<Value, String> {
    let obj = value
        .as_object_mut()
        .ok_or("expected the canvas to be a JSON object")?;
    if let Some(mut cards) = obj.remove("cards") {
        if let Some(list) = cards.as_array_mut() {
            for (i, card) in list.iter_mut().enumerate() {
                let Some(card) = card.as_object_mut() else {
                    continue;
                };
                if let Some(e) = card.get("emotion").and_then(Value::as_f64) {
                    if !(-1.0..=1.0).contains(&e) {
                        let id = card.get("id").and_then(Value::as_str).unwrap_or("?");
                        return Err(format!(
                            "card {i} ({id:?}): a version 0 emotion goes from -1.0 to 1.0, found {e:?}"
                        ));
                    }
                    card.insert("emotion".into(), Value::from((e * 2.0).round() as i64));
                }
            }
        }
        obj.insert("touchpoints".into(), cards);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v0_cards_become_touchpoints_with_whole_emotions() {
        let v0 = json!({"format": "stagecraft", "version": 0, "title": "t",
            "cards": [{"id": "a", "emotion": -0.5}, {"id": "b", "emotion": 1.0}]});
        let v1 = migrate(v0, 0).expect("migrates");
        assert_eq!(v1["version"], FORMAT_VERSION);
        assert!(v1.get("cards").is_none());
        assert_eq!(v1["touchpoints"][0]["emotion"], -1);
        assert_eq!(v1["touchpoints"][1]["emotion"], 2);
    }

    #[test]
    fn current_version_is_left_alone() {
        let v2 = json!({"version": 2, "title": "t"});
        assert_eq!(migrate(v2.clone(), 2).expect("no-op"), v2);
    }

    #[test]
    fn the_v1_persona_becomes_the_only_persona_and_cards_stay_as_they_were() {
        let card = json!({"id": "a", "stage": "s", "lane": "l", "title": "A", "emotion": -1});
        let v1 = json!({"format": "stagecraft", "version": 1, "title": "t",
            "persona": {"name": "Ann", "goal": "coffee"}, "touchpoints": [card.clone()]});
        let v2 = migrate(v1, 1).expect("migrates");
        assert_eq!(v2["version"], 2);
        assert!(v2.get("persona").is_none());
        assert_eq!(
            v2["personas"],
            json!([{"id": "persona-1", "name": "Ann", "goal": "coffee", "description": "",
                "color": "#2f6fde"}])
        );
        assert_eq!(
            v2["touchpoints"][0], card,
            "no personas list, no overrides: all, as before"
        );
    }

    #[test]
    fn an_empty_v1_persona_is_no_persona_and_bad_ones_are_refused() {
        for v1 in [
            json!({"version": 1, "title": "t"}),
            json!({"version": 1, "title": "t", "persona": {"name": " ", "goal": ""}}),
        ] {
            assert_eq!(migrate(v1, 1).expect("migrates")["personas"], json!([]));
        }
        let e = migrate(json!({"version": 1, "title": "t", "persona": "Ann"}), 1)
            .expect_err("a string is no persona");
        assert!(e.contains("\"persona\""), "{e}");
        let e = migrate(json!({"version": 1, "title": "t", "personas": []}), 1)
            .expect_err("a v1 file with personas");
        assert!(e.contains("rename or remove"), "{e}");
        // v0 goes through both steps.
        let v0 = json!({"version": 0, "title": "t", "persona": {"name": "Ann"}, "cards": []});
        let v2 = migrate(v0, 0).expect("migrates");
        assert_eq!(v2["personas"][0]["name"], "Ann");
        assert_eq!(v2["personas"][0]["goal"], "");
    }
}
