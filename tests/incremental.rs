//! What the editor keeps between edits and updates with each one (the layout, the scene
//! element by element, the score) must always equal what a full rebuild gives: after a
//! long random run of every kind of command, with undos and redos mixed in, item for item
//! and finding for finding. Each step asks the editor's change log what changed, as the
//! canvas and the app do, and updates only that. The canvas is laid out with the emotion
//! curve's band, as the app shows it by default (and once without, in the long run), so
//! the curve's layer is compared too.
//!
//! `kind` matches every `Command` variant with no wildcard: a new kind of command does not
//! compile until it is given a generator here, and the run fails unless every kind was
//! applied at least once.

use proptest::prelude::*;
use stagecraft::edit::{Changed, Fields};
use stagecraft::edit::{Clip, Command, Editor, FreshIds, Insertion, Placement};
use stagecraft::model::{
    Actor, CellPos, ChannelKind, Color, Cue, Document, Evidence, Extra, Flow, FlowId, Lane, LaneId,
    Moment, Persona, Polarity, Sense, Stage, StageId, Theme, ThemeId, TopTask, Touchpoint,
    TouchpointId,
};
use stagecraft::scene::curve::curve_points;
use stagecraft::scene::index::Element;
use stagecraft::scene::{
    CanvasOptions, GroupId, Layout, LiveScene, Palette, Point, Rect, build_canvas, layer,
};
use stagecraft::scoring::{Report, Scorer, score};
use stagecraft::synth::{SynthSpec, canvas};

/// Every kind of command, numbered; no wildcard, so a new one must be added here.
fn kind(c: &Command) -> usize {
    match c {
        Command::SetTitle(_) => 0,
        Command::AddPersona(_) | Command::UpdatePersona(_) | Command::RemovePersona(_) => 1,
        Command::AddTouchpoint(_) => 2,
        Command::DeleteTouchpoints(_) => 3,
        Command::MoveTouchpoints(_) => 4,
        Command::UpdateTouchpoint(_) => 5,
        Command::AssignTheme { .. } => 6,
        Command::UnassignTheme { .. } => 7,
        Command::AddFlow(_) => 8,
        Command::DeleteFlows(_) => 9,
        Command::AddStage { .. } => 10,
        Command::UpdateStage(_) => 11,
        Command::MoveStage { .. } => 12,
        Command::DeleteStage(_) => 13,
        Command::AddLane { .. } => 14,
        Command::UpdateLane(_) => 15,
        Command::MoveLane { .. } => 16,
        Command::DeleteLane(_) => 17,
        Command::AddTheme { .. } => 18,
        Command::UpdateTheme(_) => 19,
        Command::MoveTheme { .. } => 20,
        Command::DeleteTheme(_) => 21,
        Command::Insert(_) => 22,
        Command::Merge(_) => 23,
        Command::Reload(_) => 24,
        Command::SetEmotion { .. } => 25,
    }
}

const KINDS: usize = 26;

fn pick<T>(list: &[T], n: u8) -> Option<&T> {
    (!list.is_empty()).then(|| &list[usize::from(n) % list.len()])
}

/// Card edits that leave the lists as they are: what most edits are, and what the
/// incremental paths handle (the rest rebuild).
fn edit_card(doc: &Document, n: u8, a: u8, b: u8) -> Option<Command> {
    let mut c = pick(&doc.touchpoints, n)?.clone();
    match a % 17 {
        0 => c.title = format!("Waits for a slow, rushed reply {b}"),
        1 => c.title = "x".repeat(usize::from(b)),
        2 => c.notes = format!("A call centre, on the phone {b} ").repeat(usize::from(b % 20)),
        3 => c.emotion = i8::try_from(b % 5).unwrap_or(0) - 2,
        4 => c.flags.pain_point = !c.flags.pain_point,
        5 => c.department = format!("Desk {}", b % 3),
        6 => {
            c.position = CellPos {
                x: f32::from(b) / 255.0,
                y: f32::from(a) / 255.0,
            }
        }
        7 => c.themes.clear(),
        15 => {
            c.evidence =
                [Evidence::Observed, Evidence::Reported, Evidence::Assumed][usize::from(b % 3)];
        }
        8 => c.cues.push(Cue {
            text: format!("A cold, slow queue {b}"),
            polarity: if b.is_multiple_of(2) {
                Polarity::Negative
            } else {
                Polarity::Positive
            },
        }),
        9 => {
            let sense = Sense::ALL[usize::from(b) % Sense::ALL.len()];
            if !c.senses.remove(&sense) {
                c.senses.insert(sense);
            }
        }
        10 => {
            c.top_task = match c.top_task {
                Some(_) if b.is_multiple_of(3) => None,
                _ => Some(TopTask {
                    task: format!("Order {b}"),
                    steps: Some(u32::from(b % 9)),
                    max_steps: Some(4),
                    ..TopTask::default()
                }),
            }
        }
        11 => {
            c.actor = match c.actor {
                Actor::Customer => Actor::Employee,
                Actor::Employee => Actor::Customer,
            }
        }
        12 => {
            c.kind = [
                ChannelKind::Digital,
                ChannelKind::Physical,
                ChannelKind::Human,
                ChannelKind::Backstage,
            ][usize::from(b % 4)];
        }
        13 => c.flags.magic_moment = !c.flags.magic_moment,
        14 => c.flags.memorabilia = !c.flags.memorabilia,
        _ => c.lane = pick(&doc.lanes, b)?.id.clone(),
    }
    Some(Command::UpdateTouchpoint(Box::new(c)))
}

/// A command of kind `k` on `doc`, from three random numbers; `None` when the document
/// has nothing for it to work on.
fn command(doc: &Document, k: usize, a: u8, b: u8, c: u8) -> Option<Command> {
    let mut ids = FreshIds::new(doc);
    let card = |n| pick(&doc.touchpoints, n).map(|t| t.id.clone());
    Some(match k {
        0 => Command::SetTitle(format!("Journey {a}")),
        // Personas: added, renamed, removed (taking them off cards), in turn.
        1 => match (b % 3, pick(&doc.personas, a)) {
            (1, Some(p)) => Command::UpdatePersona(Persona {
                name: format!("P{c}"),
                ..p.clone()
            }),
            (2, Some(p)) => Command::RemovePersona(p.id.clone()),
            _ => Command::AddPersona(Persona::new(
                stagecraft::model::PersonaId::new(ids.next("persona")),
                format!("P{a}"),
                stagecraft::model::next_persona_color(&doc.personas),
            )),
        },
        2 => Command::AddTouchpoint(Box::new(Touchpoint::new(
            TouchpointId::new(ids.next("tp")),
            "A new card",
            pick(&doc.stages, a)?.id.clone(),
            pick(&doc.lanes, b)?.id.clone(),
        ))),
        3 => Command::DeleteTouchpoints(vec![card(a)?]),
        4 => Command::MoveTouchpoints(vec![Placement {
            id: card(a)?,
            stage: pick(&doc.stages, b)?.id.clone(),
            lane: pick(&doc.lanes, c)?.id.clone(),
            position: CellPos {
                x: f32::from(c) / 255.0,
                y: f32::from(b % 4) / 3.0,
            },
        }]),
        5 => edit_card(doc, a, b, c)?,
        6 => Command::AssignTheme {
            theme: pick(&doc.themes, a)?.id.clone(),
            touchpoints: vec![card(b)?, card(c)?],
        },
        7 => Command::UnassignTheme {
            theme: pick(&doc.themes, a)?.id.clone(),
            touchpoints: vec![card(b)?],
        },
        8 => Command::AddFlow(Flow {
            id: FlowId::new(ids.next("flow")),
            from: card(a)?,
            to: card(b)?,
            label: if c.is_multiple_of(2) {
                String::new()
            } else {
                format!("then {c}")
            },
            extra: Extra::new(),
        }),
        9 => Command::DeleteFlows(vec![pick(&doc.flows, a)?.id.clone()]),
        10 => Command::AddStage {
            index: usize::from(a),
            stage: Stage {
                id: StageId::new(ids.next("stage")),
                name: "New stage".into(),
                moment: None,
                extra: Extra::new(),
            },
        },
        11 => Command::UpdateStage(Stage {
            name: format!("Stage {b}"),
            moment: [None, Some(Moment::Zmot), Some(Moment::Fmot)][usize::from(b % 3)],
            ..pick(&doc.stages, a)?.clone()
        }),
        12 => Command::MoveStage {
            id: pick(&doc.stages, a)?.id.clone(),
            to: usize::from(b),
        },
        13 => Command::DeleteStage(pick(&doc.stages, a)?.id.clone()),
        14 => Command::AddLane {
            index: usize::from(a),
            lane: Lane {
                id: LaneId::new(ids.next("lane")),
                ..pick(&doc.lanes, b)?.clone()
            },
        },
        15 => Command::UpdateLane(Lane {
            name: format!("Lane {b}"),
            ..pick(&doc.lanes, a)?.clone()
        }),
        16 => Command::MoveLane {
            id: pick(&doc.lanes, a)?.id.clone(),
            to: usize::from(b),
        },
        17 => Command::DeleteLane(pick(&doc.lanes, a)?.id.clone()),
        18 => Command::AddTheme {
            index: usize::from(a),
            theme: Theme {
                id: ThemeId::new(ids.next("theme")),
                name: "Warmth".into(),
                color: Color::rgb(a, b, c),
                intent: Default::default(),
                tone: vec!["warm".into()],
                extra: Extra::new(),
            },
        },
        19 => Command::UpdateTheme(Theme {
            color: Color::rgb(c, b, a),
            ..pick(&doc.themes, a)?.clone()
        }),
        20 => Command::MoveTheme {
            id: pick(&doc.themes, a)?.id.clone(),
            to: usize::from(b),
        },
        21 => Command::DeleteTheme(pick(&doc.themes, a)?.id.clone()),
        22 => {
            let clip = Clip::copy(doc, &[card(a)?, card(b)?].into());
            let (ins, _): (Insertion, _) = clip.to_insertion(doc);
            Command::Insert(Box::new(ins))
        }
        23 | 24 => {
            let mut other = doc.clone();
            let tp = other
                .touchpoints
                .get_mut(usize::from(a) % doc.touchpoints.len().max(1))?;
            tp.title = format!("Merged {b}");
            if k == 23 {
                Command::Merge(Box::new(other))
            } else {
                Command::Reload(Box::new(other))
            }
        }
        25 => Command::SetEmotion {
            card: card(a)?,
            // Half of them for a persona, when there is one.
            persona: if c.is_multiple_of(2) {
                pick(&doc.personas, c).map(|p| p.id.clone())
            } else {
                None
            },
            emotion: i8::try_from(b % 5).unwrap_or(0) - 2,
        },
        _ => return None,
    })
}

/// A step of the run: a command of some kind (most of them card edits, which the
/// incremental paths handle), an undo, or a redo.
#[derive(Clone, Debug)]
enum Step {
    Command(usize, u8, u8, u8),
    Undo,
    Redo,
}

fn step() -> impl Strategy<Value = Step> {
    let n = any::<u8>;
    prop_oneof![
        6 => (prop_oneof![Just(4_usize), Just(5), Just(6), Just(7), Just(25)], n(), n(), n())
            .prop_map(|(k, a, b, c)| Step::Command(k, a, b, c)),
        3 => (0..KINDS, n(), n(), n()).prop_map(|(k, a, b, c)| Step::Command(k, a, b, c)),
        1 => Just(Step::Undo),
        1 => Just(Step::Redo),
    ]
}

/// What the editor keeps between edits, updated with the change log as the canvas and
/// the app do: the layout, the scene, and the scorer with its report.
struct Kept {
    /// Whether the canvas is laid out with the emotion curve's band.
    curve: bool,
    revision: u64,
    layout: Layout,
    scene: LiveScene,
    scorer: Scorer,
    report: Report,
}

impl Kept {
    fn new(ed: &Editor, palette: &Palette, curve: bool) -> Self {
        let mut scorer = Scorer::default();
        let report = scorer.score(ed.doc(), &Changed::everything()).clone();
        let layout = Layout::compute_with(ed.doc(), curve);
        let scene = LiveScene::build(ed.doc(), &layout, palette, Some(&report));
        Kept {
            curve,
            revision: ed.revision(),
            layout,
            scene,
            scorer,
            report,
        }
    }

    /// Follows the editor to its revision now; whether the canvas had to start over.
    fn follow(&mut self, ed: &Editor, palette: &Palette) -> bool {
        let changed = ed.change_log().since(self.revision, ed.revision());
        self.revision = ed.revision();
        let doc = ed.doc();
        self.report = self.scorer.score(doc, &changed).clone();
        let report = Some(&self.report);
        if self
            .scene
            .follow_tail(doc, &mut self.layout, &changed, report)
            .is_some()
            || self
                .scene
                .follow_splice(doc, &mut self.layout, &changed, report)
                .is_some()
        {
            return false;
        }
        if !changed.everything
            && let Some(moved) = self.layout.update(doc, &changed.cards)
        {
            let report = Some(&self.report);
            self.scene
                .update(doc, &self.layout, &changed, &moved, report);
            return false;
        }
        self.layout = Layout::compute_with(doc, self.curve);
        self.scene = LiveScene::build(doc, &self.layout, palette, Some(&self.report));
        true
    }
}

/// The curve's stages an edit left to draw: those that meet a part of the canvas are
/// drawn when it is shown, as a fresh scene draws them there; the others, drawn after,
/// stay within the bounds they were indexed at while waiting.
fn check_shown(
    scene: &mut LiveScene,
    rebuilt: &LiveScene,
    doc: &Document,
    layout: &Layout,
) -> Result<(), TestCaseError> {
    let b = layout.bounds();
    let part = Rect::from_min_max(b.min, b.center());
    scene.show(doc, layout, part);
    let mut found = Vec::new();
    rebuilt.index().query(part, &mut found);
    for &e in found.iter().filter(|e| e.layer() == layer::CURVE) {
        prop_assert_eq!(scene.items(e), rebuilt.items(e), "{:?} shown", e);
    }
    let elements = scene.curve().elements();
    let waiting: Vec<Rect> = (0..elements)
        .map(|e| scene.index().bounds(Element::new(layer::CURVE, e)))
        .collect();
    scene.draw_all(doc, layout);
    for (e, was) in waiting.into_iter().enumerate() {
        let now = scene.index().bounds(Element::new(layer::CURVE, e));
        prop_assert!(was.contains_rect(now), "{e}: {now:?} drawn outside {was:?}");
    }
    Ok(())
}

/// The report kept equals a fresh score, rule for rule and finding for finding.
fn check_report(kept: &Report, doc: &Document) -> Result<(), TestCaseError> {
    let fresh = score(doc);
    prop_assert_eq!(kept.rules.len(), fresh.rules.len());
    for (a, b) in kept.rules.iter().zip(&fresh.rules) {
        prop_assert_eq!(a.findings.len(), b.findings.len(), "rule {}", a.id);
        for (fa, fb) in a.findings.iter().zip(&b.findings) {
            prop_assert_eq!(fa, fb, "rule {}", a.id);
        }
        prop_assert_eq!(a, b);
    }
    prop_assert_eq!(kept, &fresh);
    Ok(())
}

fn check(kept: &mut Kept, doc: &Document, palette: &Palette) -> Result<(), TestCaseError> {
    check_report(&kept.report, doc)?;
    let fresh = Layout::compute_with(doc, kept.curve);
    prop_assert!(
        kept.layout == fresh,
        "the layout kept is not the one computed afresh"
    );
    let rebuilt = LiveScene::build(doc, &fresh, palette, Some(&kept.report));
    check_shown(&mut kept.scene, &rebuilt, doc, &fresh)?;
    let (kept, report) = (&*kept, &kept.report);
    // The spatial index finds what a fresh scene's finds, in the whole canvas and in
    // each quarter of it.
    let b = fresh.bounds();
    let c = b.center();
    let views = [
        b,
        Rect::from_min_max(b.min, c),
        Rect::from_min_max(c, b.max),
        Rect::from_min_max(Point::new(c.x, b.min.y), Point::new(b.max.x, c.y)),
        Rect::from_min_max(Point::new(b.min.x, c.y), Point::new(c.x, b.max.y)),
    ];
    for view in views {
        let found = |scene: &LiveScene| {
            let mut out = Vec::new();
            scene.index().query(view, &mut out);
            out.sort_unstable_by_key(|e| (e.layer(), e.index()));
            out.dedup();
            out
        };
        prop_assert_eq!(found(&kept.scene), found(&rebuilt), "index in {:?}", view);
    }
    let mut themes = vec![None];
    themes.extend(doc.themes.first().map(|t| Some(&t.id)));
    for highlight in themes {
        let opts = CanvasOptions {
            palette,
            report: Some(report),
            highlight_theme: highlight,
            finding_markers: true,
            hatch_assumed: false,
        };
        let built = build_canvas(doc, &fresh, &opts);
        let curve_layer = built
            .groups
            .iter()
            .any(|g| g.id == GroupId::Layer("emotion-curve"));
        prop_assert_eq!(
            curve_layer,
            kept.curve,
            "the curve's layer is drawn when shown"
        );
        let dimming = highlight.map(|t| kept.scene.dimming(t));
        let kept = kept.scene.flatten(dimming.as_ref());
        prop_assert_eq!(
            kept.items.len(),
            built.items.len(),
            "highlight {:?}",
            highlight
        );
        for (i, (a, b)) in kept.items.iter().zip(&built.items).enumerate() {
            prop_assert_eq!(a, b, "item {} (highlight {:?})", i, highlight);
        }
        prop_assert_eq!(&kept.groups, &built.groups);
        prop_assert_eq!(kept.bounds, built.bounds);
    }
    Ok(())
}

fn start() -> Document {
    let mut doc = canvas(&SynthSpec::new(60, 9));
    for (k, f) in doc.flows.iter_mut().enumerate() {
        if k % 5 == 0 {
            f.label = format!("on to step {k}");
        }
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn what_is_kept_between_edits_equals_a_full_rebuild(
        steps in proptest::collection::vec(step(), 1..80)
    ) {
        let palette = Palette::light();
        let mut ed = Editor::new(start());
        let mut kept = Kept::new(&ed, &palette, true);
        for s in &steps {
            match *s {
                Step::Command(k, a, b, c) => {
                    if let Some(cmd) = command(ed.doc(), k, a, b, c) {
                        let _ = ed.apply(cmd);
                    }
                }
                Step::Undo => { ed.undo(); }
                Step::Redo => { ed.redo(); }
            }
            kept.follow(&ed, &palette);
            check(&mut kept, ed.doc(), &palette)?;
        }
    }
}

/// One long run through every kind of command, with undos and redos: every kind is
/// applied, most steps take the incremental path, and what is kept stays equal to a full
/// rebuild throughout.
#[test]
fn every_kind_of_command_is_followed() {
    for curve in [true, false] {
        every_kind_of_command_is_followed_with(curve);
    }
}

fn every_kind_of_command_is_followed_with(curve: bool) {
    let palette = Palette::light();
    let mut ed = Editor::new(start());
    let layout = Layout::compute_with(ed.doc(), true);
    assert!(
        !curve_points(ed.doc(), &layout).is_empty(),
        "the curve has points to follow"
    );
    let mut kept = Kept::new(&ed, &palette, curve);
    let mut applied = [0_usize; KINDS];
    let (mut incremental, mut rebuilt) = (0, 0);
    let mut fields = Fields::default();
    let mut seed = 0x9e37_79b9_u32;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed >> 8) as u8
    };
    for round in 0..400 {
        let k = if round % 3 == 0 {
            round / 3 % KINDS
        } else {
            [4, 5, 6, 7][round % 4]
        };
        let (a, b, c) = (next(), next(), next());
        if let Some(cmd) = command(ed.doc(), k, a, b, c) {
            let kind = kind(&cmd);
            if ed.apply(cmd) == Ok(true) {
                applied[kind] += 1;
            }
        }
        if round % 7 == 3 {
            ed.undo();
        }
        if round % 11 == 5 {
            ed.redo();
        }
        let changed = ed.change_log().since(kept.revision, ed.revision());
        fields |= changed.fields;
        if kept.follow(&ed, &palette) {
            rebuilt += 1;
        } else {
            incremental += 1;
        }
        check(&mut kept, ed.doc(), &palette).expect("kept equals rebuilt");
    }
    for (k, n) in applied.iter().enumerate() {
        assert!(*n > 0, "no command of kind {k} was applied (curve {curve})");
    }
    assert!(
        incremental > 2 * rebuilt,
        "{incremental} incremental, {rebuilt} rebuilt (curve {curve})"
    );
    // Every field a card can be edited in was edited in place (all but its id and the
    // unknown fields a file may carry, which no command sets).
    let edited = fields | Fields::ID | Fields::EXTRA;
    assert_eq!(
        edited,
        Fields::ALL,
        "a card field the run never edited in place"
    );
}

/// Many edits of every field of cards in place, each followed by a rescore that runs
/// only the rules reading what changed: the report stays a fresh score's, finding for
/// finding. (Card edits are where rules are skipped; a rule missing a field it reads fails
/// here.)
#[test]
fn card_edits_rescore_like_a_fresh_score() {
    for seed in [3, 11] {
        let mut ed = Editor::new(canvas(&SynthSpec::new(120, seed)));
        let mut scorer = Scorer::default();
        let mut revision = ed.revision();
        scorer.score(ed.doc(), &Changed::everything());
        let mut state = 0x2545_f491_u32 ^ u32::try_from(seed).unwrap_or(0);
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 8) as u8
        };
        for step in 0..700 {
            let (n, a, b) = (next(), next(), next());
            if let Some(cmd) = edit_card(ed.doc(), n, a, b) {
                let _ = ed.apply(cmd);
            }
            if step % 97 == 13 {
                ed.undo();
            }
            let changed = ed.change_log().since(revision, ed.revision());
            revision = ed.revision();
            let kept = scorer.score(ed.doc(), &changed);
            check_report(kept, ed.doc()).expect("rescored like a fresh score");
        }
    }
}
