//! The scoring tests: totals compounding penalties, points lost, top findings, the JSON
//! report, the one- and two-thread paths, and the `Scorer` against a fresh score.

use super::*;

fn rule(weight: u32, score: Option<u8>) -> RuleResult {
    penalised(
        weight,
        score.map(|s| f64::from(weight) * (1.0 - f64::from(s) / 100.0)),
    )
}

fn penalised(weight: u32, penalty: Option<f64>) -> RuleResult {
    rules::Meta {
        id: "x",
        title: "X",
        rationale: "",
        weight,
    }
    .result(penalty, vec![])
}

#[test]
fn total_compounds_the_penalties_of_applicable_rules() {
    // 100 × (1 − 0.2) × (1 − 0.5) = 40; the rule that does not apply counts for nothing.
    let rules = vec![
        penalised(30, Some(20.0)),
        penalised(50, Some(50.0)),
        penalised(50, None),
        penalised(10, Some(0.0)),
    ];
    assert_eq!(rules[0].score, Some(33));
    assert_eq!(rules[1].score, Some(0));
    assert_eq!(rules[3].score, Some(100));
    assert_eq!(total(&rules), 40);
    assert_eq!(total(&[rule(10, None)]), 0);
    // A penalty beyond the cap is held at the cap.
    assert_eq!(penalised(10, Some(99.0)).penalty, 10.0);
}

/// The points lost per rule add up to exactly what the total lacks, and are shared in
/// proportion to −ln(1 − penalty): two equal penalties lose equal points.
#[test]
fn points_lost_add_up_to_the_shortfall() {
    let report = report(
        &Document::default(),
        vec![
            penalised(30, Some(20.0)),
            penalised(30, Some(20.0)),
            penalised(40, Some(5.0)),
            penalised(40, None),
            penalised(10, Some(0.0)),
        ],
        None,
    );
    // 100 × 0.8 × 0.8 × 0.95 = 60.8.
    assert_eq!(report.total, 61);
    let lost: Vec<u8> = report.rules.iter().map(|r| r.lost).collect();
    assert_eq!(lost.iter().map(|&l| u32::from(l)).sum::<u32>(), 39);
    assert!(lost[0].abs_diff(lost[1]) <= 1, "{lost:?}");
    assert_eq!(lost[3], 0);
    assert_eq!(lost[4], 0);
    assert!(lost[2] > 0 && lost[2] < lost[0], "{lost:?}");
    let perfect = report_of(&[penalised(30, Some(0.0))]);
    assert_eq!((perfect.total, perfect.rules[0].lost), (100, 0));
}

fn report_of(rules: &[RuleResult]) -> Report {
    report(&Document::default(), rules.to_vec(), None)
}

#[test]
fn percent_clamps() {
    assert_eq!(percent(0.333), 33);
    assert_eq!(percent(2.0), 100);
    assert_eq!(percent(-1.0), 0);
    assert_eq!(percent(f64::NAN), 0);
}

#[test]
fn top_findings_orders_by_severity_then_weight() {
    let f = |m: &str, severity| Finding {
        message: m.into(),
        severity,
        targets: vec![],
        fix: String::new(),
        note: 0,
        key: super::rules::NO_KEY,
    };
    let mut light = rule(5, Some(50));
    light.findings = vec![f("a", Severity::Warning), f("b", Severity::Problem)];
    let mut heavy = rule(20, Some(50));
    heavy.findings = vec![f("c", Severity::Warning), f("d", Severity::Info)];
    let report = Report {
        total: 50,
        rules: vec![light, heavy],
    };
    let order: Vec<&str> = report
        .top_findings(3)
        .into_iter()
        .map(|(_, f)| f.message.as_str())
        .collect();
    assert_eq!(order, vec!["b", "c", "a"]);
}

#[test]
fn json_has_score_and_tagged_targets() {
    let mut r = rule(10, None);
    r.findings.push(Finding {
        message: "m".into(),
        severity: Severity::Problem,
        targets: vec![Target::Touchpoint(TouchpointId::from("tp-1"))],
        fix: "f".into(),
        note: 0,
        key: super::rules::NO_KEY,
    });
    let json = serde_json::to_value(Report {
        total: 42,
        rules: vec![r],
    })
    .expect("serialisable");
    assert_eq!(json["score"], 42);
    assert!(json["rules"][0]["score"].is_null());
    assert_eq!(
        json["rules"][0]["findings"][0]["targets"][0],
        serde_json::json!({"kind": "touchpoint", "id": "tp-1"})
    );
    assert_eq!(json["rules"][0]["findings"][0]["severity"], "problem");
}

/// Two threads give the very report one thread gives, on canvases above the threshold
/// and on a broken one (dangling flow ends, a repeated card id, missing stages).
#[test]
fn parallel_and_sequential_scoring_agree() {
    use crate::synth::{SynthSpec, canvas};
    let rules = |r: Option<(Vec<RuleResult>, Fresh)>| r.map(|r| r.0);
    for (n, seed) in [(PARALLEL_FROM, 1), (5_000, 2)] {
        let doc = canvas(&SynthSpec::new(n, seed));
        assert_eq!(
            rules(score_parallel(&doc, None, None)),
            rules(Some(score_sequential(&doc, None, None))),
            "n={n}"
        );
    }
    let mut doc = canvas(&SynthSpec::new(3_000, 3));
    doc.touchpoints[10].id = doc.touchpoints[20].id.clone();
    doc.touchpoints[30].stage = StageId::from("no-such-stage");
    doc.flows[5].to = TouchpointId::from("no-such-card");
    let parallel = rules(score_parallel(&doc, None, None)).expect("a second thread");
    assert_eq!(parallel, score_sequential(&doc, None, None).0);
    assert_eq!(score(&doc), report(&doc, parallel, None));
}

/// A scorer that keeps the card facts and the resolved flows gives the report a fresh
/// score gives, after card edits it is told of, a flow changed, and a card removed.
#[test]
fn a_scorer_keeping_its_facts_and_flows_reports_what_a_fresh_score_reports() {
    use crate::edit::Fields;
    use crate::synth::{SynthSpec, canvas};
    let cards = |cards: Vec<usize>, fields| Changed::cards(cards, fields);
    for n in [40, PARALLEL_FROM + 500] {
        let mut doc = canvas(&SynthSpec::new(n, 4));
        let mut scorer = Scorer::default();
        assert_eq!(*scorer.score(&doc, &Changed::everything()), score(&doc));
        // Cards edited in place: a title, an emotion, a card moved to another stage,
        // one with no theme any more, one in front of the stage no more.
        doc.touchpoints[3].title = "Waits for a slow, rushed reply".into();
        doc.touchpoints[4].emotion = -3;
        doc.touchpoints[5].stage = doc.stages[0].id.clone();
        doc.touchpoints[6].themes.clear();
        doc.touchpoints[8].actor = crate::model::Actor::Employee;
        let fields =
            Fields::TITLE | Fields::EMOTION | Fields::STAGE | Fields::THEMES | Fields::ACTOR;
        let kept = scorer.score(&doc, &cards(vec![3, 4, 5, 6, 8], fields));
        assert_eq!(*kept, score(&doc), "n={n}");
        assert!(scorer.flows.is_some() && scorer.facts.is_some());
        // A flow now ends elsewhere.
        doc.flows[0].to = doc.touchpoints[n - 1].id.clone();
        let flows = Changed {
            flows: vec![0],
            ..Changed::default()
        };
        assert_eq!(*scorer.score(&doc, &flows), score(&doc), "n={n}");
        // A card removed with its flows.
        let gone = doc.touchpoints.remove(7).id;
        doc.flows.retain(|f| f.from != gone && f.to != gone);
        assert_eq!(
            *scorer.score(&doc, &Changed::everything()),
            score(&doc),
            "n={n}"
        );
    }
}

/// The findings a rule run again gives again (by key) read exactly as a fresh score
/// writes them: each card's emotion and flags swept through the values that make and
/// unmake valleys, contradictions and sudden falls, for two personas (whose findings say
/// whose journey they are about) and with a title changed on the way.
#[test]
fn findings_given_again_read_as_a_fresh_score_writes_them() {
    use crate::edit::Fields;
    use crate::model::{Persona, PersonaId};
    use crate::synth::{SynthSpec, canvas};
    let mut doc = canvas(&SynthSpec::new(120, 9));
    doc.personas.push(Persona::new(
        PersonaId::from("persona-2"),
        "Ana, new in town",
        crate::model::PERSONA_COLORS[1],
    ));
    let mut scorer = Scorer::default();
    scorer.score(&doc, &Changed::everything());
    let arc = |r: &Report| r.rule("emotional_arc").map_or(0, |r| r.findings.len());
    assert!(arc(&score(&doc)) > 3, "the canvas has arc findings to keep");
    for i in (0..doc.touchpoints.len()).step_by(3) {
        let sweep = [
            (-2, false),
            (-1, false),
            (-1, true),
            (0, false),
            (1, true),
            (2, false),
        ];
        for (e, pain) in sweep {
            doc.touchpoints[i].emotion = e;
            doc.touchpoints[i].flags.pain_point = pain;
            doc.touchpoints[i].flags.magic_moment = e == 0;
            let fields = Fields::EMOTION | Fields::FLAGS;
            let kept = scorer.score(&doc, &Changed::cards(vec![i], fields)).clone();
            assert_eq!(kept, score(&doc), "card {i} at {e:+}");
        }
        doc.touchpoints[i].title = format!("Step {i}, renamed");
        let kept = scorer
            .score(&doc, &Changed::cards(vec![i], Fields::TITLE))
            .clone();
        assert_eq!(kept, score(&doc), "card {i} renamed");
    }
    // A sudden fall along a flow, its two ends' emotions changed one at a time.
    let falls = |doc: &Document| {
        let report = score(doc);
        let arc = report.rule("emotional_arc").expect("the arc rule");
        arc.findings
            .iter()
            .filter(|f| f.message.contains("falls from"))
            .count()
    };
    let (a, b) = doc
        .flows
        .iter()
        .find_map(|f| {
            let a = doc.touchpoints.iter().position(|t| t.id == f.from)?;
            let b = doc.touchpoints.iter().position(|t| t.id == f.to)?;
            let mut trial = doc.clone();
            trial.touchpoints[a].emotion = 1;
            trial.touchpoints[b].emotion = -2;
            trial.touchpoints[b].flags.pain_point = false;
            (falls(&trial) > falls(&doc)).then_some((a, b))
        })
        .expect("a flow between two guest cards");
    doc.touchpoints[b].flags.pain_point = false;
    for (card, e) in [(a, 1), (b, -2), (a, 2), (b, -1)] {
        doc.touchpoints[card].emotion = e;
        let changed = Changed::cards(vec![card, b], Fields::EMOTION | Fields::FLAGS);
        let kept = scorer.score(&doc, &changed).clone();
        assert_eq!(kept, score(&doc), "card {card} at {e:+}");
    }
}
