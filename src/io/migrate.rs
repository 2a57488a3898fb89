//! Brings files of older format versions up to the current one, one step at a time.
//!
//! Each step takes the JSON of version N and returns the JSON of version N+1. A future
//! version 2 adds `fn v1_to_v2` here and bumps `FORMAT_VERSION`; files keep opening.

use serde_json::Value;

/// The format version this build writes.
pub const FORMAT_VERSION: u64 = 1;

/// Upgrades `value` from `from` to [`FORMAT_VERSION`]. `from` must be older.
pub fn migrate(mut value: Value, from: u64) -> Result<Value, String> {
    let mut version = from;
    while version < FORMAT_VERSION {
        value = match version {
            0 => v0_to_v1(value)?,
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
    if from == 0
        && let Some(rest) = pointer.strip_prefix("/touchpoints")
    {
        return format!("/cards{rest}");
    }
    pointer.to_owned()
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
        assert_eq!(v1["version"], 1);
        assert!(v1.get("cards").is_none());
        assert_eq!(v1["touchpoints"][0]["emotion"], -1);
        assert_eq!(v1["touchpoints"][1]["emotion"], 2);
    }

    #[test]
    fn current_version_is_left_alone() {
        let v1 = json!({"version": 1, "title": "t"});
        assert_eq!(migrate(v1.clone(), 1).expect("no-op"), v1);
    }
}
