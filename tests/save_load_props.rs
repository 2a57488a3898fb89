//! Property test (issue 7): saving any valid canvas and loading it back gives the same
//! document, and saving that again gives the same bytes.

use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use serde_json::Value;
use stagecraft::io::{load_str, to_json};
use stagecraft::model::{
    Actor, CellPos, ChannelKind, Color, Cue, Document, Evidence, Extra, Flags, Flow, FlowId,
    Intent, Lane, LaneId, Moment, Persona, PersonaId, Polarity, Sense, Stage, StageId, Theme,
    ThemeId, TopTask, Touchpoint, TouchpointId,
};

/// Any text a designer could type, including quotes, escapes, emoji and control characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ]{0,20}",
        "\\PC{0,16}",
        any::<String>().prop_map(|s| s.chars().take(24).collect()),
    ]
}

/// A valid id, made unique by its index.
fn id(i: usize) -> impl Strategy<Value = String> {
    "[a-zA-Zéż_.-]{0,8}".prop_map(move |base| format!("{base}{i}"))
}

fn kind() -> impl Strategy<Value = ChannelKind> {
    proptest::sample::select(ChannelKind::ALL.to_vec())
}

/// Unknown fields a newer version might have written (never a known field's name).
fn extra() -> impl Strategy<Value = Extra> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,4}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    proptest::collection::btree_map("x_[a-z]{1,6}", value, 0..2)
}

fn stage(i: usize) -> impl Strategy<Value = Stage> {
    (
        id(i),
        text(),
        proptest::option::of(proptest::sample::select(Moment::ALL.to_vec())),
        extra(),
    )
        .prop_map(|(id, name, moment, extra)| Stage {
            id: StageId::new(id),
            name,
            moment,
            extra,
        })
}

fn lane(i: usize) -> impl Strategy<Value = Lane> {
    (id(i), text(), kind(), extra()).prop_map(|(id, name, kind, extra)| Lane {
        id: LaneId::new(id),
        name,
        kind,
        extra,
    })
}

fn theme(i: usize) -> impl Strategy<Value = Theme> {
    (
        id(i),
        text(),
        any::<(u8, u8, u8)>(),
        (text(), text(), text()),
        vec(text(), 0..4),
        extra(),
    )
        .prop_map(
            |(id, name, (r, g, b), (feel, think, share), tone, extra)| Theme {
                id: ThemeId::new(id),
                name,
                color: Color::rgb(r, g, b),
                intent: Intent { feel, think, share },
                tone,
                extra,
            },
        )
}

fn top_task() -> impl Strategy<Value = TopTask> {
    (
        text(),
        proptest::option::of(any::<u32>()),
        proptest::option::of(0.0f64..1e6),
        proptest::option::of(any::<u32>()),
        proptest::option::of(0.0f64..1e6),
    )
        .prop_map(|(task, steps, seconds, max_steps, max_seconds)| TopTask {
            task,
            steps,
            seconds,
            max_steps,
            max_seconds,
        })
}

/// A touchpoint pointing at stage, lane and themes chosen among the given ids.
fn touchpoint(
    i: usize,
    stages: Vec<StageId>,
    lanes: Vec<LaneId>,
    themes: Vec<ThemeId>,
) -> impl Strategy<Value = Touchpoint> {
    let n_themes = themes.len();
    (
        (id(i), text(), text()),
        (
            proptest::sample::select(stages),
            proptest::sample::select(lanes),
        ),
        (0.0f32..=1.0, 0.0f32..=1.0, kind()),
        btree_set(0..n_themes.max(1), 0..=n_themes.min(3)),
        -2i8..=2,
        vec((text(), any::<bool>()), 0..3),
        btree_set(proptest::sample::select(Sense::ALL.to_vec()), 0..5),
        (
            text(),
            any::<bool>(),
            any::<(bool, bool, bool)>(),
            proptest::sample::select(Evidence::ALL.to_vec()),
        ),
        proptest::option::of(top_task()),
        extra(),
    )
        .prop_map(
            move |(
                (id, title, notes),
                (stage, lane),
                (x, y, kind),
                theme_picks,
                emotion,
                cues,
                senses,
                (department, employee, (pain_point, magic_moment, memorabilia), evidence),
                top_task,
                extra,
            )| Touchpoint {
                id: TouchpointId::new(id),
                title,
                notes,
                stage,
                lane,
                position: CellPos { x, y },
                kind,
                themes: theme_picks
                    .into_iter()
                    .filter_map(|k| themes.get(k).cloned())
                    .collect(),
                emotion,
                // Every shape of the persona fields: all (absent), some, and overrides.
                personas: (emotion > 0).then(|| vec![PersonaId::from("p1")]),
                emotions: if emotion < 0 {
                    [(PersonaId::from("p2"), -emotion)].into_iter().collect()
                } else {
                    Default::default()
                },
                cues: cues
                    .into_iter()
                    .map(|(text, positive)| Cue {
                        text,
                        polarity: if positive {
                            Polarity::Positive
                        } else {
                            Polarity::Negative
                        },
                    })
                    .collect(),
                senses,
                department,
                actor: if employee {
                    Actor::Employee
                } else {
                    Actor::Customer
                },
                flags: Flags {
                    pain_point,
                    magic_moment,
                    memorabilia,
                },
                top_task,
                evidence,
                extra,
            },
        )
}

fn indexed<T: std::fmt::Debug + 'static>(
    n: usize,
    f: impl Fn(usize) -> BoxedStrategy<T>,
) -> BoxedStrategy<Vec<T>> {
    (0..n).map(f).collect::<Vec<_>>().boxed()
}

/// Any valid canvas, small enough to keep the test fast.
fn document() -> impl Strategy<Value = Document> {
    (1..5usize, 1..5usize, 0..4usize, 0..12usize)
        .prop_flat_map(|(ns, nl, nt, np)| {
            (
                indexed(ns, |i| stage(i).boxed()),
                indexed(nl, |i| lane(i).boxed()),
                indexed(nt, |i| theme(i).boxed()),
                Just(np),
            )
        })
        .prop_flat_map(|(stages, lanes, themes, np)| {
            let stage_ids: Vec<StageId> = stages.iter().map(|s| s.id.clone()).collect();
            let lane_ids: Vec<LaneId> = lanes.iter().map(|l| l.id.clone()).collect();
            let theme_ids: Vec<ThemeId> = themes.iter().map(|t| t.id.clone()).collect();
            let cards = indexed(np, move |i| {
                touchpoint(i, stage_ids.clone(), lane_ids.clone(), theme_ids.clone()).boxed()
            });
            (
                (text(), text(), text()),
                Just(stages),
                Just(lanes),
                Just(themes),
                cards,
                extra(),
            )
        })
        .prop_flat_map(|(head, stages, lanes, themes, touchpoints, extra)| {
            let n = touchpoints.len();
            let flows = if n == 0 {
                Just(Vec::new()).boxed()
            } else {
                vec((0..n, 0..n, text()), 0..n * 2).boxed()
            };
            (
                Just((head, stages, lanes, themes, touchpoints, extra)),
                flows,
            )
        })
        .prop_map(
            |(((title, name, goal), stages, lanes, themes, touchpoints, extra), flows)| {
                let flows = flows
                    .into_iter()
                    .enumerate()
                    .map(|(i, (a, b, label))| Flow {
                        id: FlowId::new(format!("flow-{i}")),
                        from: touchpoints[a].id.clone(),
                        to: touchpoints[b].id.clone(),
                        label,
                        extra: Extra::new(),
                    })
                    .collect();
                Document {
                    title,
                    personas: vec![
                        Persona {
                            goal,
                            ..Persona::new("p1".into(), name, Color::rgb(1, 2, 3))
                        },
                        Persona::new("p2".into(), "Two", Color::rgb(4, 5, 6)),
                    ],
                    stages,
                    lanes,
                    themes,
                    touchpoints,
                    flows,
                    lineage: Default::default(),
                    extra,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn save_then_load_gives_the_same_document(doc in document()) {
        prop_assert_eq!(stagecraft::model::validate(&doc), vec![]);
        let text = to_json(&doc);
        let loaded = load_str("prop.json", &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let unknown = doc.extra.len()
            + doc.stages.iter().map(|s| s.extra.len()).sum::<usize>()
            + doc.lanes.iter().map(|l| l.extra.len()).sum::<usize>()
            + doc.themes.iter().map(|t| t.extra.len()).sum::<usize>()
            + doc.touchpoints.iter().map(|t| t.extra.len()).sum::<usize>();
        // One warning per unknown field, up to the cap and a summary line.
        let cap = stagecraft::io::MAX_DIAGNOSTICS;
        prop_assert_eq!(loaded.warnings.len(), if unknown > cap { cap + 1 } else { unknown });
        prop_assert_eq!(&loaded.document, &doc);
        prop_assert_eq!(to_json(&loaded.document), text);
    }
}
