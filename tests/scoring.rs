//! The coherence rules, one by one: a coherent canvas, and for each rule a variant with
//! its flaw, checking the rule's score drops, its finding names the right element, and the
//! total falls. Then not-applicable rules, determinism, robustness, and the CLI.

use stagecraft::model::{
    Actor, ChannelKind, Color, Cue, Document, Evidence, Extra, Flow, FlowId, Intent, Polarity,
    Sense, Theme, ThemeId, TopTask, Touchpoint, TouchpointId,
};
use stagecraft::scoring::{Report, RuleResult, Severity, Target, score};
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------------------
// A small coherent canvas: two themes on every card, four moments, a loop, a peak, a
// positive end, rich senses on physical cards, a souvenir at the end, one task in budget.

const WARM: &str = "warm-welcome";
const EFFORTLESS: &str = "effortless";

fn theme(id: &str, name: &str, tone: &[&str]) -> Theme {
    Theme {
        id: ThemeId::from(id),
        name: name.to_owned(),
        color: Color::rgb(200, 80, 40),
        intent: Intent::default(),
        tone: tone.iter().map(|t| (*t).to_owned()).collect(),
        extra: Extra::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn card(
    id: &str,
    title: &str,
    stage: &str,
    lane: &str,
    emotion: i8,
    department: &str,
    senses: &[Sense],
) -> Touchpoint {
    let mut tp = Touchpoint::new(TouchpointId::from(id), title, stage.into(), lane.into());
    tp.kind = match lane {
        "store" => ChannelKind::Physical,
        "people" => ChannelKind::Human,
        "backstage" => ChannelKind::Backstage,
        _ => ChannelKind::Digital,
    };
    tp.themes = vec![ThemeId::from(WARM), ThemeId::from(EFFORTLESS)];
    tp.emotion = emotion;
    tp.department = department.to_owned();
    tp.senses = senses.iter().copied().collect::<BTreeSet<_>>();
    tp.cues.push(Cue {
        text: "Greeted by name".to_owned(),
        polarity: Polarity::Positive,
    });
    tp
}

fn flow(id: &str, from: &str, to: &str) -> Flow {
    Flow {
        id: FlowId::from(id),
        from: from.into(),
        to: to.into(),
        label: String::new(),
        extra: Extra::new(),
    }
}

use Sense::{Hearing, Sight, Smell, Taste, Touch};

fn coherent() -> Document {
    let mut doc = Document::new_canvas();
    doc.title = "Coffee shop".to_owned();
    doc.themes = vec![
        theme(WARM, "Warm welcome", &["warm", "personal"]),
        theme(EFFORTLESS, "Effortless", &["simple"]),
    ];
    let mut cards = vec![
        card(
            "d-web",
            "Read reviews",
            "discover",
            "web",
            1,
            "Marketing",
            &[Sight],
        ),
        card(
            "d-store",
            "Window display",
            "discover",
            "store",
            1,
            "Store",
            &[Sight, Smell, Hearing],
        ),
        card(
            "c-web",
            "Order ahead",
            "choose",
            "web",
            1,
            "Product",
            &[Sight],
        ),
        card(
            "c-people",
            "Barista suggests",
            "choose",
            "people",
            1,
            "Store",
            &[Sight, Hearing, Taste],
        ),
        card(
            "e-store",
            "First sip",
            "experience",
            "store",
            2,
            "Store",
            &[Taste, Smell, Touch],
        ),
        card(
            "e-people",
            "Name on the cup",
            "experience",
            "people",
            1,
            "Store",
            &[Sight, Hearing, Touch],
        ),
        card(
            "e-back",
            "Roast fresh beans",
            "experience",
            "backstage",
            0,
            "Operations",
            &[],
        ),
        card(
            "s-store",
            "Take-home beans",
            "share",
            "store",
            2,
            "Store",
            &[Smell, Touch, Sight],
        ),
        card(
            "s-web",
            "Post a photo",
            "share",
            "web",
            2,
            "Marketing",
            &[Sight],
        ),
    ];
    cards[6].actor = Actor::Employee;
    cards[4].flags.magic_moment = true;
    cards[7].flags.memorabilia = true;
    cards[2].top_task = Some(TopTask {
        task: "order my usual".to_owned(),
        steps: Some(3),
        seconds: Some(20.0),
        max_steps: Some(4),
        max_seconds: Some(30.0),
    });
    doc.touchpoints = cards;
    doc.flows = vec![
        flow("f1", "d-web", "c-web"),
        flow("f2", "d-store", "c-people"),
        flow("f3", "c-web", "e-store"),
        flow("f4", "c-people", "e-people"),
        flow("f5", "e-back", "e-store"),
        flow("f6", "e-store", "s-store"),
        flow("f7", "e-people", "s-store"),
        flow("f8", "s-store", "s-web"),
        flow("f9", "s-web", "d-web"),
    ];
    assert_eq!(stagecraft::model::validate(&doc), vec![]);
    doc
}

fn tp<'a>(doc: &'a mut Document, id: &str) -> &'a mut Touchpoint {
    doc.touchpoints
        .iter_mut()
        .find(|t| t.id.as_str() == id)
        .expect("card exists")
}

fn rule<'a>(report: &'a Report, id: &str) -> &'a RuleResult {
    report
        .rule(id)
        .unwrap_or_else(|| panic!("rule {id} missing"))
}

fn rule_score(doc: &Document, id: &str) -> Option<u8> {
    rule(&score(doc), id).score
}

fn names(report: &Report, rule_id: &str, target: &Target) -> bool {
    rule(report, rule_id)
        .findings
        .iter()
        .any(|f| f.targets.contains(target))
}

fn card_target(id: &str) -> Target {
    Target::Touchpoint(TouchpointId::from(id))
}

/// The flawed variant lowers `rule_id` and the total, and a finding of that rule names
/// `target`.
fn assert_flaw(flawed: &Document, rule_id: &str, target: &Target) {
    let good = score(&coherent());
    let bad = score(flawed);
    let (g, b) = (rule(&good, rule_id).score, rule(&bad, rule_id).score);
    assert!(
        b < g,
        "{rule_id}: flawed scores {b:?}, coherent {g:?}\n{:#?}",
        rule(&bad, rule_id)
    );
    assert!(
        names(&bad, rule_id, target),
        "{rule_id}: no finding names {target:?}: {:#?}",
        rule(&bad, rule_id).findings
    );
    assert!(
        !names(&good, rule_id, target),
        "{rule_id}: the coherent canvas already names {target:?}"
    );
    assert!(
        bad.total < good.total,
        "{rule_id}: total {} not below {}",
        bad.total,
        good.total
    );
}

#[test]
fn the_coherent_canvas_scores_full_marks_with_no_findings_that_matter() {
    let report = score(&coherent());
    for r in &report.rules {
        assert_eq!(r.score, Some(100), "{}: {:#?}", r.id, r.findings);
    }
    assert_eq!(report.total, 100);
    // Only informative notes may remain (senses engaged nowhere, say).
    assert!(
        report
            .rules
            .iter()
            .flat_map(|r| &r.findings)
            .all(|f| f.severity == Severity::Info)
    );
    // Each rule's cap: the most it can take off the total on its own (docs/SCORING.md).
    let caps: Vec<(&str, u32)> = report.rules.iter().map(|r| (r.id, r.weight)).collect();
    assert_eq!(
        caps,
        vec![
            ("theme_alignment", 40),
            ("theme_continuity", 20),
            ("consistent_tone", 30),
            ("moments_of_truth", 30),
            ("negative_cues", 30),
            ("emotional_arc", 45),
            ("senses", 10),
            ("memorabilia", 10),
            ("hand_offs", 20),
            ("top_tasks", 45),
        ]
    );
    assert!(report.rules.iter().all(|r| r.lost == 0 && r.penalty == 0.0));
}

#[test]
fn theme_alignment_names_the_card_with_no_theme() {
    let mut doc = coherent();
    tp(&mut doc, "c-people").themes.clear();
    assert_flaw(&doc, "theme_alignment", &card_target("c-people"));
    // 1 of 8.5 cards off-theme (the employee card counts half): 40 / 8.5 = 4.7 of 40.
    assert_eq!(rule_score(&doc, "theme_alignment"), Some(88));
}

#[test]
fn theme_alignment_without_any_theme_scores_zero() {
    let mut doc = coherent();
    for t in &mut doc.touchpoints {
        t.themes.clear();
    }
    doc.themes.clear();
    let report = score(&doc);
    let r = rule(&report, "theme_alignment");
    assert_eq!(r.score, Some(0));
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].severity, Severity::Problem);
    assert_eq!(rule(&report, "theme_continuity").score, None);
    assert_eq!(rule(&report, "consistent_tone").score, None);
}

#[test]
fn theme_continuity_names_the_stage_a_theme_drops_out_of() {
    let mut doc = coherent();
    for id in ["c-web", "c-people"] {
        tp(&mut doc, id).themes.retain(|t| t.as_str() != EFFORTLESS);
    }
    assert_flaw(&doc, "theme_continuity", &Target::Stage("choose".into()));
    let report = score(&doc);
    assert!(names(
        &report,
        "theme_continuity",
        &Target::Theme(EFFORTLESS.into())
    ));
    assert!(!names(
        &report,
        "theme_continuity",
        &Target::Theme(WARM.into())
    ));
}

#[test]
fn theme_continuity_names_the_channel_a_theme_never_reaches() {
    let mut doc = coherent();
    for id in ["d-store", "e-store", "s-store"] {
        tp(&mut doc, id).themes.retain(|t| t.as_str() != WARM);
    }
    assert_flaw(&doc, "theme_continuity", &Target::Lane("store".into()));
}

#[test]
fn theme_continuity_flags_a_theme_on_no_card() {
    let mut doc = coherent();
    doc.themes.push(theme("unused", "Forgotten", &[]));
    assert_flaw(&doc, "theme_continuity", &Target::Theme("unused".into()));
}

#[test]
fn consistent_tone_names_the_card_whose_words_clash() {
    let mut doc = coherent();
    tp(&mut doc, "c-web").title = "Automated order form".to_owned();
    assert_flaw(&doc, "consistent_tone", &card_target("c-web"));
    let report = score(&doc);
    let f = &rule(&report, "consistent_tone").findings[0];
    assert!(f.targets.contains(&Target::Theme(WARM.into())));
    assert!(f.message.contains("automated") && f.message.contains("warm"));
    // One clashing card of nine themed: 60 / 9 = 6.7 of 30.
    assert_eq!(rule(&report, "consistent_tone").score, Some(78));
}

#[test]
fn consistent_tone_reads_notes_and_cues_but_only_for_the_card_themes() {
    let mut doc = coherent();
    tp(&mut doc, "e-people").notes = "Cold and rushed at peak time".to_owned();
    assert_flaw(&doc, "consistent_tone", &card_target("e-people"));
    // The same words on a card that does not carry the warm theme do not clash.
    let mut doc = coherent();
    let card = tp(&mut doc, "e-people");
    card.notes = "Cold and rushed at peak time".to_owned();
    card.themes = vec![EFFORTLESS.into()];
    assert_eq!(rule_score(&doc, "consistent_tone"), Some(100));
}

#[test]
fn consistent_tone_names_the_channel_where_a_theme_feels_different() {
    let mut doc = coherent();
    for id in ["c-people", "e-people"] {
        tp(&mut doc, id).emotion = -1;
    }
    // Store averages +1.7, staff -1: a spread over 2 points for both themes, 6 each of 30.
    assert_flaw(&doc, "consistent_tone", &Target::Lane("people".into()));
    assert_eq!(rule_score(&doc, "consistent_tone"), Some(60));
}

#[test]
fn moments_of_truth_names_the_empty_moment() {
    let mut doc = coherent();
    doc.touchpoints.retain(|t| t.stage.as_str() != "choose");
    doc.flows.retain(|f| {
        !["c-web", "c-people"].contains(&f.from.as_str())
            && !["c-web", "c-people"].contains(&f.to.as_str())
    });
    assert_flaw(&doc, "moments_of_truth", &Target::Stage("choose".into()));
    // A missing moment costs 15 of 30.
    assert_eq!(rule_score(&doc, "moments_of_truth"), Some(50));
}

#[test]
fn moments_of_truth_wants_a_loop_from_sharing_to_discovery() {
    let mut doc = coherent();
    doc.flows.retain(|f| f.id.as_str() != "f9");
    assert_flaw(&doc, "moments_of_truth", &Target::Stage("share".into()));
    // No loop costs 6 of 30.
    assert_eq!(rule_score(&doc, "moments_of_truth"), Some(80));
}

#[test]
fn moments_of_truth_reports_a_moment_no_stage_carries() {
    let mut doc = coherent();
    doc.stages[1].moment = None;
    let report = score(&doc);
    let r = rule(&report, "moments_of_truth");
    assert_eq!(r.score, Some(50));
    assert!(r.findings.iter().any(|f| f.message.contains("FMOT")));
}

#[test]
fn negative_cues_names_the_card_that_keeps_one() {
    let mut doc = coherent();
    tp(&mut doc, "e-store").cues.push(Cue {
        text: "Long queue".to_owned(),
        polarity: Polarity::Negative,
    });
    assert_flaw(&doc, "negative_cues", &card_target("e-store"));
    // 4 for the negative cue, 3 more because it sits on a card at +2 (the emotion ignores
    // it): 7 of 30.
    assert_eq!(rule_score(&doc, "negative_cues"), Some(77));
}

#[test]
fn emotional_arc_names_a_negative_ending() {
    let mut doc = coherent();
    tp(&mut doc, "s-web").emotion = -1;
    assert_flaw(&doc, "emotional_arc", &card_target("s-web"));
    let report = score(&doc);
    let f = &rule(&report, "emotional_arc").findings;
    // The ending, then the fall from +2 to -1 along f8 that nobody marked a pain point.
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Problem);
    assert!(f[0].message.contains("ends on a negative note"));
    assert!(f[1].targets.contains(&Target::Flow("f8".into())));
    // 20 for the end + 4 for the fall, of 45.
    assert_eq!(rule(&report, "emotional_arc").score, Some(47));
}

#[test]
fn emotional_arc_flags_a_flat_ending_less_than_a_negative_one() {
    let mut flat = coherent();
    tp(&mut flat, "s-web").emotion = 0;
    let mut negative = coherent();
    tp(&mut negative, "s-web").emotion = -1;
    // A flat end costs 8 of 45.
    assert_eq!(rule_score(&flat, "emotional_arc"), Some(82));
    assert!(rule_score(&negative, "emotional_arc") < rule_score(&flat, "emotional_arc"));
}

#[test]
fn emotional_arc_names_a_valley_with_no_recovery() {
    let mut doc = coherent();
    // The last stage's store card becomes a pain point: nothing later lifts the guest,
    // and its flow leads to a card at +2... so cut that flow to leave it unrecovered.
    let card = tp(&mut doc, "s-store");
    card.emotion = -2;
    card.flags.pain_point = true;
    doc.flows.retain(|f| f.id.as_str() != "f8");
    assert_flaw(&doc, "emotional_arc", &card_target("s-store"));
    // The same valley (marked, so it is no unannounced fall) followed by a recovering flow
    // is fine.
    let mut recovered = coherent();
    tp(&mut recovered, "e-people").emotion = -2;
    tp(&mut recovered, "e-people").flags.pain_point = true;
    assert_eq!(rule_score(&recovered, "emotional_arc"), Some(100));
}

#[test]
fn emotional_arc_wants_a_peak() {
    let mut doc = coherent();
    for t in &mut doc.touchpoints {
        t.emotion = t.emotion.min(1);
        t.flags.magic_moment = false;
    }
    let report = score(&doc);
    let r = rule(&report, "emotional_arc");
    // No peak costs 12 of 45.
    assert_eq!(r.score, Some(73));
    assert!(r.findings[0].message.starts_with("No peak"));
    // The best candidate (first card at +1) is named.
    assert!(r.findings[0].targets.contains(&card_target("d-web")));
}

#[test]
fn senses_names_the_physical_card_that_engages_too_few() {
    let mut doc = coherent();
    tp(&mut doc, "e-people").senses = BTreeSet::from([Hearing]);
    assert_flaw(&doc, "senses", &card_target("e-people"));
}

#[test]
fn memorabilia_names_an_early_souvenir() {
    let mut doc = coherent();
    tp(&mut doc, "s-store").flags.memorabilia = false;
    tp(&mut doc, "d-store").flags.memorabilia = true;
    assert_flaw(&doc, "memorabilia", &card_target("d-store"));
    // Early only: 4 of 10; none: 8 of 10.
    assert_eq!(rule_score(&doc, "memorabilia"), Some(60));
    tp(&mut doc, "d-store").flags.memorabilia = false;
    assert_eq!(rule_score(&doc, "memorabilia"), Some(20));
    assert!(names(
        &score(&doc),
        "memorabilia",
        &Target::Stage("share".into())
    ));
}

#[test]
fn hand_offs_names_the_flow_between_departments_with_nothing_shared() {
    let mut doc = coherent();
    tp(&mut doc, "e-back").themes = vec![WARM.into()];
    tp(&mut doc, "e-store").themes = vec![EFFORTLESS.into()];
    assert_flaw(&doc, "hand_offs", &Target::Flow("f5".into()));
    let report = score(&doc);
    assert!(names(&report, "hand_offs", &card_target("e-back")));
    // Same hand-off inside one department (case and spaces aside) is no hand-off.
    tp(&mut doc, "e-back").department = " store ".to_owned();
    assert_eq!(rule_score(&doc, "hand_offs"), Some(100));
}

/// Past 32 themes, two themes can fold onto the same bit of a card's packed theme set:
/// the hand-off rule must still tell them apart (theme 0 and theme 32 are not one theme).
#[test]
fn hand_offs_tells_apart_themes_beyond_thirty_two() {
    let mut doc = coherent();
    let extra: Vec<Theme> = (0..40)
        .map(|i| theme(&format!("x{i}"), &format!("Extra {i}"), &[]))
        .collect();
    // Theme indices: WARM 0, EFFORTLESS 1, x0 2 ... x30 32, x31 33.
    doc.themes.extend(extra);
    tp(&mut doc, "e-back").themes = vec![WARM.into()];
    tp(&mut doc, "e-store").themes = vec!["x30".into()];
    assert_flaw(&doc, "hand_offs", &Target::Flow("f5".into()));
    // Theme 33 shares its bit with EFFORTLESS (1) and with nothing on the other card.
    tp(&mut doc, "e-store").themes = vec!["x31".into(), "x30".into()];
    assert_flaw(&doc, "hand_offs", &Target::Flow("f5".into()));
    // The same far theme on both ends is shared.
    tp(&mut doc, "e-back").themes = vec!["x30".into()];
    assert!(!names(
        &score(&doc),
        "hand_offs",
        &Target::Flow("f5".into())
    ));
}

#[test]
fn hand_offs_names_an_isolated_card() {
    let mut doc = coherent();
    let mut lonely = card(
        "lonely",
        "Loyalty leaflet",
        "choose",
        "store",
        1,
        "Marketing",
        &[Sight, Touch, Smell],
    );
    lonely.flags = Default::default();
    doc.touchpoints.push(lonely);
    assert_flaw(&doc, "hand_offs", &card_target("lonely"));
    // One isolated card: 3 of 20.
    assert_eq!(rule_score(&doc, "hand_offs"), Some(85));
}

#[test]
fn top_tasks_names_the_task_over_budget() {
    let mut doc = coherent();
    if let Some(task) = &mut tp(&mut doc, "c-web").top_task {
        task.steps = Some(8);
    }
    assert_flaw(&doc, "top_tasks", &card_target("c-web"));
    // 8 steps for a budget of 4: 25 × (1 − 4/8) = 12.5 of 45.
    assert_eq!(rule_score(&doc, "top_tasks"), Some(72));
}

#[test]
fn rules_that_do_not_apply_say_so_and_stay_out_of_the_total() {
    let mut doc = coherent();
    for t in &mut doc.touchpoints {
        t.top_task = None;
        t.cues.clear();
    }
    let report = score(&doc);
    assert_eq!(rule(&report, "top_tasks").score, None);
    assert_eq!(rule(&report, "negative_cues").score, None);
    assert_eq!(
        report.total, 100,
        "n/a rules count neither as pass nor fail"
    );

    // A budgetless task is noted but does not make the rule apply.
    if let Some(t) = doc.touchpoints.first_mut() {
        t.top_task = Some(TopTask {
            task: "find opening hours".to_owned(),
            ..TopTask::default()
        });
    }
    let report = score(&doc);
    let r = rule(&report, "top_tasks");
    assert_eq!(r.score, None);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].severity, Severity::Info);

    // Digital-only journeys: senses do not apply.
    let mut digital = coherent();
    digital.touchpoints.retain(|t| t.lane.as_str() == "web");
    assert_eq!(rule_score(&digital, "senses"), None);
}

#[test]
fn an_empty_canvas_has_no_applicable_rule_and_scores_zero() {
    let report = score(&Document::new_canvas());
    assert!(
        report.rules.iter().all(|r| r.score.is_none()),
        "{report:#?}"
    );
    assert_eq!(report.total, 0);
    assert_eq!(report.rules.len(), 10);
}

#[test]
fn the_coherent_canvas_beats_every_combined_flaw() {
    let mut doc = coherent();
    tp(&mut doc, "s-web").emotion = -2;
    tp(&mut doc, "c-people").themes.clear();
    let report = score(&doc);
    assert!(report.total < score(&coherent()).total);
    // The arc's findings first (the -2 end, the valley the loop back to discovery does not
    // recover, the unmarked fall onto it), then the card with no theme.
    let top = report.top_findings(4);
    assert_eq!(top[0].0.id, "emotional_arc");
    assert_eq!(top[0].1.severity, Severity::Problem);
    assert_eq!(top[1].0.id, "emotional_arc");
    assert_eq!(top[1].1.severity, Severity::Problem);
    assert_eq!(top[2].0.id, "emotional_arc");
    assert_eq!(top[3].0.id, "theme_alignment");
    let on_card: Vec<_> = report
        .findings_for_touchpoint(&TouchpointId::from("c-people"))
        .collect();
    assert_eq!(on_card.len(), 1);
    assert!(on_card[0].message.contains("Barista suggests"));
}

#[test]
fn dangling_references_do_not_panic() {
    let mut doc = coherent();
    doc.touchpoints[0].stage = "ghost".into();
    doc.touchpoints[1].lane = "ghost".into();
    doc.touchpoints[2].themes.push("ghost".into());
    doc.touchpoints[3].emotion = 100;
    doc.flows.push(flow("dangling", "nowhere", "d-web"));
    doc.flows.push(flow("self", "d-web", "d-web"));
    let report = score(&doc);
    assert!(report.total <= 100);
}

#[test]
fn scoring_is_deterministic_on_large_synthetic_canvases() {
    use stagecraft::synth::{SynthSpec, canvas};
    let doc = canvas(&SynthSpec::new(5_000, 11));
    let a = score(&doc);
    assert_eq!(a, score(&doc.clone()));
    // A synthetic canvas is realistic in shape but its emotions, cues and tasks are drawn
    // at random: it lands far below a designed journey, yet not at zero, and every rule
    // applies.
    assert!((5..50).contains(&a.total), "total {}", a.total);
    assert!(
        a.rules.iter().all(|r| r.score.is_some()),
        "{:?}",
        a.rules.iter().map(|r| (r.id, r.score)).collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------
// `stagecraft score`

fn stagecraft(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_stagecraft"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn saved(doc: &Document) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("canvas.json");
    stagecraft::io::save_json(doc, &path).expect("saved");
    (dir, path)
}

#[test]
fn score_json_has_the_documented_shape() {
    let mut doc = coherent();
    tp(&mut doc, "s-web").emotion = -2;
    let (_dir, path) = saved(&doc);
    let out = stagecraft(&["score".as_ref(), path.as_os_str(), "--json".as_ref()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["score"], u64::from(score(&doc).total));
    let rules = json["rules"].as_array().expect("rules array");
    assert_eq!(rules.len(), 10);
    for r in rules {
        assert!(r["id"].is_string() && r["title"].is_string() && r["weight"].is_u64());
        assert!(r["score"].is_u64() || r["score"].is_null());
        for f in r["findings"].as_array().expect("findings array") {
            assert!(f["message"].is_string() && f["targets"].is_array());
        }
    }
    let arc = rules
        .iter()
        .find(|r| r["id"] == "emotional_arc")
        .expect("arc rule");
    assert_eq!(
        arc["findings"][0]["targets"][0],
        serde_json::json!({"kind": "touchpoint", "id": "s-web"})
    );
}

#[test]
fn score_text_lists_rules_and_indented_findings() {
    let mut doc = coherent();
    tp(&mut doc, "e-store").cues.push(Cue {
        text: "Long queue".to_owned(),
        polarity: Polarity::Negative,
    });
    for t in &mut doc.touchpoints {
        t.top_task = None;
        // Observed: the messages then carry no note about assumed steps.
        t.evidence = Evidence::Observed;
    }
    let (_dir, path) = saved(&doc);
    let out = stagecraft(&["score".as_ref(), path.as_os_str()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let total = score(&doc).total;
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.ends_with(&format!("coherence {total}/100"))),
        "{text}"
    );
    assert!(text.contains("   77  w30  Negative cues\n"), "{text}");
    assert!(text.contains("  n/a  w45  Top tasks\n"), "{text}");
    assert!(
        text.contains(
            "         problem  Negative cue left in place at “First sip”: “Long queue”\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("                  at: touchpoint e-store\n"),
        "{text}"
    );
    assert!(
        text.contains("                  fix: Remove what causes it"),
        "{text}"
    );
}

#[test]
fn score_text_caps_findings_per_rule_unless_all() {
    let mut doc = coherent();
    for i in 0..15 {
        let mut c = card(
            &format!("x{i}"),
            "Leaflet",
            "choose",
            "web",
            1,
            "Marketing",
            &[],
        );
        c.themes.clear();
        doc.touchpoints.push(c);
    }
    let (_dir, path) = saved(&doc);
    let capped =
        String::from_utf8(stagecraft(&["score".as_ref(), path.as_os_str()]).stdout).expect("UTF-8");
    assert!(capped.contains("… and 5 more findings"), "{capped}");
    let all = String::from_utf8(
        stagecraft(&["score".as_ref(), path.as_os_str(), "--all".as_ref()]).stdout,
    )
    .expect("UTF-8");
    assert!(!all.contains("more findings"));
    assert_eq!(all.matches("“Leaflet” expresses no theme").count(), 15);
}

#[test]
fn score_refuses_a_broken_file_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{\"format\": \"stagecraft\",").expect("written");
    let out = stagecraft(&["score".as_ref(), path.as_os_str()]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.json:1:"), "{err}");
}

#[test]
fn findings_are_capped_per_rule_but_the_score_counts_them_all() {
    use stagecraft::scoring::MAX_FINDINGS_PER_RULE;
    let mut doc = coherent();
    let extra = MAX_FINDINGS_PER_RULE + 200;
    for i in 0..extra {
        let mut c = card(
            &format!("x{i}"),
            "Leaflet",
            "choose",
            "web",
            1,
            "Marketing",
            &[],
        );
        c.themes.clear();
        doc.touchpoints.push(c);
    }
    let report = score(&doc);
    let r = rule(&report, "theme_alignment");
    assert_eq!(r.findings.len(), MAX_FINDINGS_PER_RULE + 1);
    let last = r.findings.last().expect("summary");
    assert_eq!(last.severity, Severity::Info);
    assert!(
        last.message.contains("200 more findings"),
        "{}",
        last.message
    );
    // 9 themed cards of 1,209.
    assert_eq!(r.score, Some(1));
    // Document order: the first listed is the first unthemed card.
    assert!(r.findings[0].targets.contains(&card_target("x0")));
}

// ---------------------------------------------------------------------------------------
// The samples shipped in samples/.

fn samples() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn score_prints_a_report_for_every_sample() {
    let files = samples();
    assert!(files.len() >= 4, "{files:?}");
    for file in files {
        let doc = stagecraft::io::load_path(&file)
            .expect("sample loads")
            .document;
        let expected = score(&doc);
        let out = stagecraft(&["score".as_ref(), file.as_os_str()]);
        assert!(out.status.success(), "{}", file.display());
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.ends_with(&format!(": coherence {}/100", expected.total)),
            "{first}"
        );
        for r in &expected.rules {
            assert!(
                text.contains(&format!(" {}\n", r.title)),
                "{}: {}",
                file.display(),
                r.title
            );
        }
        let json = stagecraft(&["score".as_ref(), file.as_os_str(), "--json".as_ref()]);
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
        assert_eq!(value["score"], u64::from(expected.total));
    }
}

#[test]
fn the_flawed_retail_sample_shows_its_flaws_under_the_right_rules() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/omnichannel-retail.json");
    let doc = stagecraft::io::load_path(&path)
        .expect("sample loads")
        .document;
    let report = score(&doc);
    let has = |rule_id: &str, severity: Severity, target: Target, words: &str| {
        rule(&report, rule_id).findings.iter().any(|f| {
            f.severity == severity && f.targets.contains(&target) && f.message.contains(words)
        })
    };
    // The off-theme touchpoint.
    assert!(has(
        "theme_alignment",
        Severity::Warning,
        card_target("newsletter-popup"),
        "expresses no theme"
    ));
    // The negative ending (the last customer card tells friends to shop elsewhere).
    assert!(has(
        "emotional_arc",
        Severity::Problem,
        card_target("tells-friends"),
        "ends on a negative note"
    ));
    // Negative cues left in place.
    assert!(has(
        "negative_cues",
        Severity::Problem,
        card_target("price-mismatch"),
        "Negative cue left in place"
    ));
    assert!(has(
        "negative_cues",
        Severity::Problem,
        card_target("call-centre"),
        "on hold"
    ));
    // A hand-off between departments with no shared theme.
    assert!(has(
        "hand_offs",
        Severity::Warning,
        Target::Flow("flow-4".into()),
        "from E-commerce"
    ));
    // Top tasks over budget.
    assert!(has(
        "top_tasks",
        Severity::Problem,
        card_target("return-store"),
        "over budget: 9 steps (budget 4)"
    ));
    assert!(!has(
        "top_tasks",
        Severity::Problem,
        card_target("click-collect"),
        "over budget"
    ));
    // It is the least coherent sample.
    for other in samples() {
        if other != path {
            let d = stagecraft::io::load_path(&other)
                .expect("sample loads")
                .document;
            assert!(score(&d).total > report.total, "{}", other.display());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Issue #14: rules that read the journey as a designer does. Each test fails on the rules
// as they were (noted in each).

/// A card added to the coherent canvas, customer-facing, with no cue.
fn extra(id: &str, title: &str, stage: &str, lane: &str, emotion: i8) -> Touchpoint {
    let mut c = card(id, title, stage, lane, emotion, "Store", &[]);
    c.cues.clear();
    c
}

/// Before: a valley counted as recovered by any +1 card in a later stage, even in another
/// part of the journey with no flow between them.
#[test]
fn a_valley_recovers_only_along_the_journey() {
    let mut doc = coherent();
    let mut lost = extra("lost", "Order lost in the system", "experience", "web", -2);
    lost.flags.pain_point = true;
    let stuck = extra("stuck", "Chases the order by e-mail", "share", "web", -1);
    doc.touchpoints.extend([lost, stuck]);
    doc.flows.push(flow("g1", "c-web", "lost"));
    doc.flows.push(flow("g2", "lost", "stuck"));
    let report = score(&doc);
    assert!(
        rule(&report, "emotional_arc")
            .findings
            .iter()
            .any(|f| f.message.contains("deep valley") && f.targets.contains(&card_target("lost"))),
        "{:#?}",
        rule(&report, "emotional_arc").findings
    );
    // With a flow on to the take-home beans (+2), it recovers.
    doc.flows.push(flow("g3", "lost", "s-store"));
    let report = score(&doc);
    assert!(!names(&report, "emotional_arc", &card_target("lost")));
}

/// Before: only the final cards counted, so a destination mostly at -2 ending on a card at
/// 0 lost 15 points of the arc for a flat end.
#[test]
fn the_destination_stage_weighs_in_the_arc() {
    let mut doc = coherent();
    let c = tp(&mut doc, "s-store");
    c.emotion = -2;
    c.flags.pain_point = true;
    let mut also = extra("s-people", "Nobody says goodbye", "share", "people", -2);
    also.flags.pain_point = true;
    doc.touchpoints.push(also);
    doc.flows.push(flow("g1", "e-people", "s-people"));
    doc.flows.push(flow("g2", "s-people", "s-web"));
    tp(&mut doc, "s-web").emotion = 0;
    let report = score(&doc);
    let arc = rule(&report, "emotional_arc");
    let destination = arc
        .findings
        .iter()
        .find(|f| f.message.contains("destination"))
        .unwrap_or_else(|| panic!("{:#?}", arc.findings));
    assert_eq!(destination.severity, Severity::Problem);
    assert!(destination.targets.contains(&card_target("s-store")));
    assert!(destination.targets.contains(&card_target("s-people")));
    // Flat end (8) + destination below 0 (10) + two valleys nothing lifts (16), of 45.
    assert!(arc.score < Some(30), "{:?}", arc.score);
}

/// Before: a magic moment flag made a peak even on a card that leaves people at 0.
#[test]
fn a_peak_needs_a_positive_emotion() {
    let mut doc = coherent();
    for t in &mut doc.touchpoints {
        t.emotion = t.emotion.min(1);
        t.flags.magic_moment = false;
    }
    let c = tp(&mut doc, "e-store");
    c.emotion = 0;
    c.flags.magic_moment = true;
    let report = score(&doc);
    let arc = rule(&report, "emotional_arc");
    assert!(
        arc.findings
            .iter()
            .any(|f| f.message.starts_with("No peak"))
    );
    assert!(arc.findings.iter().any(|f| {
        f.message.contains("marked a magic moment") && f.targets.contains(&card_target("e-store"))
    }));
    // At +1 the magic moment is a peak.
    tp(&mut doc, "e-store").emotion = 1;
    let report = score(&doc);
    assert!(
        !rule(&report, "emotional_arc")
            .findings
            .iter()
            .any(|f| f.message.starts_with("No peak"))
    );
}

/// Before: only each channel's mean emotion was compared, so a channel swinging from +2 to
/// -1 between two cards of a theme looked consistent.
#[test]
fn consistent_tone_hears_a_swing_inside_one_channel() {
    let mut doc = coherent();
    tp(&mut doc, "d-store").emotion = -1;
    let report = score(&doc);
    let tone = rule(&report, "consistent_tone");
    let swing = tone
        .findings
        .iter()
        .find(|f| f.message.contains("swings"))
        .unwrap_or_else(|| panic!("{:#?}", tone.findings));
    assert!(swing.targets.contains(&Target::Lane("store".into())));
    assert!(swing.targets.contains(&card_target("d-store")));
    assert!(tone.score < Some(100));
    // Marked a pain point, the low card is the arc's business, not a swing.
    tp(&mut doc, "d-store").flags.pain_point = true;
    assert!(
        !rule(&score(&doc), "consistent_tone")
            .findings
            .iter()
            .any(|f| f.message.contains("swings"))
    );
}

/// Before: every card on a human channel counted as bodily presence (a phone call flagged
/// for engaging one sense), and each card on its own (a poster by a counter that smells of
/// coffee flagged for sight only).
#[test]
fn senses_count_presence_in_body() {
    let mut doc = coherent();
    let mut call = extra("call", "Calls to change the order", "discover", "people", 1);
    call.senses = BTreeSet::from([Hearing]);
    let mut poster = extra("poster", "Poster of the roastery", "experience", "store", 1);
    poster.senses = BTreeSet::from([Sight]);
    doc.touchpoints.extend([call, poster]);
    doc.flows.push(flow("g1", "call", "d-web"));
    doc.flows.push(flow("g2", "poster", "e-store"));
    let report = score(&doc);
    assert!(!names(&report, "senses", &card_target("call")));
    assert!(!names(&report, "senses", &card_target("poster")));
    assert_eq!(rule(&report, "senses").score, Some(100));
    // The same poster alone in the street is a visit that engages sight only.
    tp(&mut doc, "poster").stage = "discover".into();
    tp(&mut doc, "d-store").lane = "web".into();
    assert!(names(&score(&doc), "senses", &card_target("poster")));
}

/// An employee's journey (no customer card in front of the stage) has an arc, senses and
/// souvenirs too: the employee is its guest. Before, those rules did not apply.
#[test]
fn an_employee_journey_is_read_for_its_employee() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/employee-onboarding.json");
    let doc = stagecraft::io::load_path(&path)
        .expect("sample loads")
        .document;
    let report = score(&doc);
    for id in ["emotional_arc", "senses", "memorabilia"] {
        assert!(rule(&report, id).score.is_some(), "{id}");
    }
}

/// The clash lexicon reads English, French and Polish, ignoring case and accents and
/// matching inflected forms. Before, only English words clashed.
#[test]
fn consistent_tone_reads_english_french_and_polish() {
    let cases = [
        (
            "Long wait at the counter, a cold and robotic greeting",
            ["fast"],
            ["warm"],
        ),
        (
            "Longue attente au comptoir, un accueil froid et robotique",
            ["rapide"],
            ["chaleureux"],
        ),
        (
            "Długie czekanie przy ladzie, zimne i bezosobowe powitanie",
            ["szybki"],
            ["ciepły"],
        ),
    ];
    for (text, quick, warm) in cases {
        let mut doc = coherent();
        doc.themes = vec![
            theme(WARM, "Warm welcome", &warm),
            theme(EFFORTLESS, "Quick service", &quick),
        ];
        tp(&mut doc, "c-people").title = text.to_owned();
        let report = score(&doc);
        let clashes: Vec<_> = rule(&report, "consistent_tone")
            .findings
            .iter()
            .filter(|f| {
                f.message.contains("clashes") && f.targets.contains(&card_target("c-people"))
            })
            .collect();
        assert_eq!(clashes.len(), 2, "{text}: {clashes:#?}");
        // The same words under tones they do not contradict clash with nothing.
        doc.themes = vec![
            theme(WARM, "Warm welcome", &["premium"]),
            theme(EFFORTLESS, "Quick service", &["green"]),
        ];
        assert_eq!(rule_score(&doc, "consistent_tone"), Some(100), "{text}");
    }
    // Accents and case do not matter; a word of another language's stem does not clash in
    // an English sentence ("attend" is French for wait).
    let mut doc = coherent();
    doc.themes = vec![
        theme(WARM, "Warm welcome", &["CHALEUREUX"]),
        theme(EFFORTLESS, "Quick service", &["Rapide"]),
    ];
    tp(&mut doc, "c-people").title = "The staff attend to every guest with a smile".to_owned();
    assert_eq!(rule_score(&doc, "consistent_tone"), Some(100));
    tp(&mut doc, "c-people").title = "Un accueil FROID".to_owned();
    assert!(rule_score(&doc, "consistent_tone") < Some(100));
}

// ---------------------------------------------------------------------------------------
// The next best fix.

/// Every fix listed gains exactly what it says: applied to a copy and rescored, the total
/// rises by its gain; fixes come best first.
#[test]
fn each_fix_gains_what_it_says_when_applied_and_rescored() {
    let mut docs: Vec<Document> = samples()
        .iter()
        .map(|p| stagecraft::io::load_path(p).expect("sample loads").document)
        .collect();
    let mut flawed = coherent();
    tp(&mut flawed, "e-store").cues.push(Cue {
        text: "Sticky table".to_owned(),
        polarity: Polarity::Negative,
    });
    tp(&mut flawed, "s-web").emotion = -1;
    docs.push(flawed);
    for doc in &docs {
        let report = score(doc);
        let fixes = stagecraft::scoring::fixes(doc, &report, 10);
        assert!(!fixes.is_empty(), "{}", doc.title);
        for f in &fixes {
            let after = score(&f.applied_to(doc));
            assert_eq!(
                i32::from(after.total) - i32::from(report.total),
                i32::from(f.gain),
                "{}: {}",
                doc.title,
                f.message
            );
            assert!(f.gain >= 1 && !f.targets.is_empty());
        }
        assert!(fixes.windows(2).all(|w| w[0].gain >= w[1].gain));
    }
    // On the coherent canvas with a -1 ending and a negative cue, lifting the end comes
    // first, removing the cue next.
    let doc = docs.last().expect("flawed");
    let fixes = stagecraft::scoring::fixes(doc, &score(doc), 10);
    assert!(fixes[0].message.contains("leave guests glad"), "{fixes:#?}");
    assert!(fixes[0].targets.contains(&card_target("s-web")));
    assert!(fixes.iter().any(|f| {
        f.message
            .starts_with("Remove the negative cue “Sticky table”")
    }));
}

#[test]
fn score_json_lists_fixes_best_first() {
    let mut doc = coherent();
    tp(&mut doc, "e-store").cues.push(Cue {
        text: "Sticky table".to_owned(),
        polarity: Polarity::Negative,
    });
    let (_dir, path) = saved(&doc);
    let out = stagecraft(&["score".as_ref(), path.as_os_str(), "--json".as_ref()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let fixes = json["fixes"].as_array().expect("fixes array");
    assert!(!fixes.is_empty());
    let gains: Vec<u64> = fixes.iter().filter_map(|f| f["gain"].as_u64()).collect();
    assert_eq!(gains.len(), fixes.len());
    assert!(gains.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(
        fixes[0]["targets"][0],
        serde_json::json!({"kind": "touchpoint", "id": "e-store"})
    );
    assert!(
        fixes[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Sticky table"))
    );
    // Each rule says how many points of the total it costs.
    let lost: u64 = json["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["lost"].as_u64())
        .sum();
    assert_eq!(lost, 100 - json["score"].as_u64().expect("score"));
}

/// A finding about one card says when that card is assumed, and only then; the score does
/// not change with evidence.
#[test]
fn a_finding_on_an_assumed_card_says_so() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/omnichannel-retail.json");
    let mut doc = stagecraft::io::load_path(&path)
        .expect("sample loads")
        .document;
    let report = score(&doc);
    let mut seen = [false, false];
    for f in report.rules.iter().flat_map(|r| &r.findings) {
        let [Target::Touchpoint(id)] = f.targets.as_slice() else {
            continue;
        };
        let assumed = doc.touchpoint(id).expect("card").evidence == Evidence::Assumed;
        assert_eq!(
            f.message
                .ends_with("(an assumed step: not yet observed or reported)"),
            assumed,
            "{}",
            f.message
        );
        seen[usize::from(assumed)] = true;
    }
    assert_eq!(seen, [true, true], "the sample has findings on both kinds");
    for tp in &mut doc.touchpoints {
        tp.evidence = Evidence::Observed;
    }
    let observed = score(&doc);
    assert_eq!(observed.total, report.total);
    assert!(
        observed
            .rules
            .iter()
            .flat_map(|r| &r.findings)
            .all(|f| !f.message.contains("assumed")),
        "no note once every step is observed"
    );
}
