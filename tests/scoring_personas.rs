//! The emotional arc, persona by persona: each persona's journey is scored on its own
//! cards at its own emotions, and each finding says whose journey it is about.

use stagecraft::model::{Document, PERSONA_COLORS, Persona, PersonaId, Touchpoint};
use stagecraft::scoring::score;

fn journey() -> Document {
    let mut doc = Document::new_canvas();
    for (id, stage, e) in [("a", "discover", 1), ("b", "choose", 2), ("c", "share", 1)] {
        let mut t = Touchpoint::new(id.into(), id, stage.into(), "web".into());
        t.emotion = e;
        doc.touchpoints.push(t);
    }
    doc
}

fn arc(doc: &Document) -> (Option<u8>, Vec<String>) {
    let report = score(doc);
    let rule = report.rule("emotional_arc").expect("the rule");
    (
        rule.score,
        rule.findings.iter().map(|f| f.message.clone()).collect(),
    )
}

#[test]
fn each_persona_is_scored_and_findings_name_the_persona() {
    let mut doc = journey();
    let (plain, findings) = arc(&doc);
    assert_eq!(plain, Some(100));
    assert!(findings.is_empty());
    doc.personas = vec![
        Persona::new(PersonaId::from("sam"), "Sam", PERSONA_COLORS[0]),
        Persona::new(PersonaId::from("kim"), "Kim", PERSONA_COLORS[1]),
    ];
    assert_eq!(arc(&doc).0, Some(100), "both live the cards as they are");
    // Kim's journey ends badly; Sam's does not.
    doc.touchpoints[2]
        .emotions
        .insert(PersonaId::from("kim"), -2);
    let (two, findings) = arc(&doc);
    assert!(two < Some(100), "{two:?}");
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|m| m.starts_with("For Kim: ")),
        "{findings:?}"
    );
    // Kim's penalty alone, halved over two personas.
    let mut kim_only = doc.clone();
    kim_only.personas.remove(0);
    let (one, _) = arc(&kim_only);
    let lost = |s: Option<u8>| 100 - i32::from(s.unwrap_or(0));
    assert!((lost(two) - lost(one) / 2).abs() <= 1, "{two:?} vs {one:?}");
    // A card Kim does not live leaves Kim's journey: without it, Kim ends on b at +2.
    doc.touchpoints[2].personas = Some(vec![PersonaId::from("sam")]);
    doc.touchpoints[2].emotions.clear();
    assert_eq!(arc(&doc), (Some(100), vec![]));
}
