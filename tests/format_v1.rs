//! Version-1 files (the samples as they were before format version 2, in
//! `tests/fixtures/v1/`) open unchanged in meaning and save as version 2: their one
//! persona becomes the only persona of the list, every card concerns it at the card's own
//! emotion, the score is the same, and the saved file round-trips byte for byte.

use serde_json::Value;
use stagecraft::io::{FORMAT_VERSION, load_path, load_str, to_json};
use stagecraft::scoring::score;
use std::path::PathBuf;

fn v1_fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/v1")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_v1_fixture_migrates_with_its_meaning_and_round_trips_as_v2() {
    let paths = v1_fixtures();
    assert_eq!(paths.len(), 4, "the four samples as version 1 wrote them");
    assert_eq!(FORMAT_VERSION, 2);
    for path in paths {
        let name = path.display().to_string();
        let raw: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("json");
        assert_eq!(raw["version"], 1, "{name} is a version 1 file");
        let loaded = load_path(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            loaded.warnings,
            vec![format!(
                "{name}:1:1: upgraded from format version 1 to 2; saving writes version 2"
            )]
        );
        let doc = &loaded.document;
        // The one persona, as it was.
        assert_eq!(doc.personas.len(), 1, "{name}");
        let persona = &doc.personas[0];
        assert_eq!(persona.id.as_str(), "persona-1");
        assert_eq!(Some(persona.name.as_str()), raw["persona"]["name"].as_str());
        assert_eq!(Some(persona.goal.as_str()), raw["persona"]["goal"].as_str());
        assert_eq!(persona.picture, None);
        // Every card concerns it, at the emotion the file gave the card.
        let cards = raw["touchpoints"].as_array().expect("cards");
        assert_eq!(doc.touchpoints.len(), cards.len());
        for (card, raw_card) in doc.touchpoints.iter().zip(cards) {
            assert_eq!(card.id.as_str(), raw_card["id"].as_str().expect("id"));
            assert!(card.personas.is_none() && card.emotions.is_empty());
            assert!(card.concerns(&persona.id));
            let emotion = raw_card["emotion"].as_i64().unwrap_or(0);
            assert_eq!(i64::from(card.emotion_for(&persona.id)), emotion, "{name}");
        }
        // The same score as the journey read without personas (the cards' own emotions).
        let mut plain = doc.clone();
        plain.personas.clear();
        let (with, without) = (score(doc), score(&plain));
        assert_eq!(with.total, without.total, "{name}");
        assert_eq!(with.rules, without.rules, "{name}");
        // Saved as version 2, it opens with no warning, equal, and saves the same bytes.
        let saved = to_json(doc);
        assert!(saved.starts_with("{\n  \"format\": \"stagecraft\",\n  \"version\": 2,\n"));
        assert!(
            !saved.contains("\"persona\":"),
            "{name}: the v1 field is gone"
        );
        let again = load_str("v2.json", &saved).expect("saved v2 loads");
        assert_eq!(again.warnings, Vec::<String>::new());
        assert_eq!(&again.document, doc);
        assert_eq!(to_json(&again.document), saved);
    }
}

#[test]
fn the_samples_left_with_one_persona_are_their_v1_files_migrated() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for name in ["employee-onboarding.json", "omnichannel-retail.json"] {
        let v1 = load_path(&root.join("tests/fixtures/v1").join(name)).expect("v1");
        let sample = std::fs::read_to_string(root.join("samples").join(name)).expect("sample");
        assert_eq!(to_json(&v1.document), sample, "{name}");
    }
}

#[test]
fn an_empty_v1_persona_becomes_no_persona() {
    let text = "{\"format\": \"stagecraft\", \"version\": 1, \"title\": \"t\", \
                \"persona\": {\"name\": \"\", \"goal\": \"\"}}";
    let loaded = load_str("empty.json", text).expect("loads");
    assert!(loaded.document.personas.is_empty());
    let bad = "{\"format\": \"stagecraft\", \"version\": 1, \"title\": \"t\", \"persona\": 3}";
    let e = load_str("bad.json", bad).expect_err("a number is no persona");
    assert!(e.to_string().contains("\"persona\""), "{e}");
}
