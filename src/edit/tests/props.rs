//! The property test: random edits undo to the original and redo to the edited document,
//! and every state the editor reaches saves and opens again, equal.

use super::*;

/// A command described by small numbers, resolved against the document when applied, so
/// that generated sequences stay meaningful as the document changes.
#[derive(Clone, Debug)]
enum Action {
    Add(u8, u8),
    Delete(u8),
    Move(u8, u8, u8),
    Edit(u8, i8, bool),
    /// Writes a generated text into one of a card's text fields (see [`TextField`]).
    Text(u8, TextField, Text),
    Assign(u8, u8),
    Unassign(u8, u8),
    Link(u8, u8),
    Unlink(u8),
    AddStage(u8),
    MoveStage(u8, u8),
    DeleteStage(u8),
    DeleteLane(u8),
    AddTheme,
    DeleteTheme(u8),
    Title(Text),
    Persona(Text, Text),
    RenameStage(u8, Text),
    RenameTheme(u8, Text),
    LabelFlow(u8, Text),
    Duplicate(u8),
}

/// A card's text fields, each with the limit of `docs/FORMAT.md`.
#[derive(Clone, Copy, Debug)]
enum TextField {
    Title,
    Notes,
    Department,
    Cue,
    TopTask,
}

/// Texts of every kind a user can type or paste: empty, short, Unicode (accents, CJK,
/// emoji, right-to-left, combining marks), and exactly at, one past and far past a limit.
#[derive(Clone, Debug)]
enum Text {
    Plain(String),
    /// `n` copies of a multi-byte piece, so bytes and characters differ.
    Repeat(&'static str, usize),
}

impl Text {
    fn make(&self) -> String {
        match self {
            Text::Plain(s) => s.clone(),
            Text::Repeat(piece, n) => piece.repeat(*n),
        }
    }
}

fn text() -> impl Strategy<Value = Text> {
    use crate::model::{MAX_TEXT_CHARS, MAX_TITLE_CHARS};
    let sizes = prop_oneof![
        Just(0usize),
        Just(1),
        Just(MAX_TITLE_CHARS - 1),
        Just(MAX_TITLE_CHARS),
        Just(MAX_TITLE_CHARS + 1),
        Just(2 * MAX_TITLE_CHARS),
        Just(MAX_TEXT_CHARS),
        Just(MAX_TEXT_CHARS + 1),
    ];
    prop_oneof![
        "[a-zA-Z ]{0,12}".prop_map(Text::Plain),
        "\\PC{0,16}".prop_map(Text::Plain),
        Just(Text::Plain("Café ☕ 東京 שלום e\u{301} 👩‍👩‍👧".into())),
        (
            proptest::sample::select(vec!["a", "é", "☕", "東", "👩‍👧", "e\u{301}"]),
            sizes
        )
            .prop_map(|(piece, n)| Text::Repeat(piece, n)),
    ]
}

fn pick<T>(list: &[T], n: u8) -> Option<&T> {
    if list.is_empty() {
        None
    } else {
        list.get(usize::from(n) % list.len())
    }
}

fn resolve(doc: &Document, a: &Action) -> Option<Command> {
    let mut ids = FreshIds::new(doc);
    Some(match *a {
        Action::Add(s, l) => Command::AddTouchpoint(Box::new(Touchpoint::new(
            TouchpointId::new(ids.next("tp")),
            "new",
            pick(&doc.stages, s)?.id.clone(),
            pick(&doc.lanes, l)?.id.clone(),
        ))),
        Action::Delete(n) => {
            Command::DeleteTouchpoints(vec![pick(&doc.touchpoints, n)?.id.clone()])
        }
        Action::Move(n, s, l) => Command::MoveTouchpoints(vec![Placement {
            id: pick(&doc.touchpoints, n)?.id.clone(),
            stage: pick(&doc.stages, s)?.id.clone(),
            lane: pick(&doc.lanes, l)?.id.clone(),
            position: CellPos {
                x: f32::from(s) / 255.0,
                y: f32::from(l) / 255.0,
            },
        }]),
        Action::Edit(n, emotion, flag) => {
            let mut c = pick(&doc.touchpoints, n)?.clone();
            c.emotion = emotion.clamp(-2, 2);
            c.flags.pain_point = flag;
            c.title.push('!');
            Command::UpdateTouchpoint(Box::new(c))
        }
        Action::Text(n, field, ref t) => {
            let mut c = pick(&doc.touchpoints, n)?.clone();
            let t = t.make();
            match field {
                TextField::Title => c.title = t,
                TextField::Notes => c.notes = t,
                TextField::Department => c.department = t,
                TextField::Cue => c.cues.push(crate::model::Cue {
                    text: t,
                    polarity: crate::model::Polarity::Positive,
                }),
                TextField::TopTask => {
                    c.top_task = Some(crate::model::TopTask {
                        task: t,
                        ..Default::default()
                    });
                }
            }
            Command::UpdateTouchpoint(Box::new(c))
        }
        Action::Assign(t, n) => Command::AssignTheme {
            theme: pick(&doc.themes, t)?.id.clone(),
            touchpoints: vec![pick(&doc.touchpoints, n)?.id.clone()],
        },
        Action::Unassign(t, n) => Command::UnassignTheme {
            theme: pick(&doc.themes, t)?.id.clone(),
            touchpoints: vec![pick(&doc.touchpoints, n)?.id.clone()],
        },
        Action::Link(a, b) => Command::AddFlow(Flow {
            id: FlowId::new(ids.next("flow")),
            from: pick(&doc.touchpoints, a)?.id.clone(),
            to: pick(&doc.touchpoints, b)?.id.clone(),
            label: String::new(),
            extra: Extra::new(),
        }),
        Action::Unlink(n) => Command::DeleteFlows(vec![pick(&doc.flows, n)?.id.clone()]),
        Action::AddStage(i) => Command::AddStage {
            index: usize::from(i),
            stage: Stage {
                id: StageId::new(ids.next("stage")),
                name: "S".into(),
                moment: None,
                extra: Extra::new(),
            },
        },
        Action::MoveStage(n, to) => Command::MoveStage {
            id: pick(&doc.stages, n)?.id.clone(),
            to: usize::from(to),
        },
        Action::DeleteStage(n) => Command::DeleteStage(pick(&doc.stages, n)?.id.clone()),
        Action::DeleteLane(n) => Command::DeleteLane(pick(&doc.lanes, n)?.id.clone()),
        Action::AddTheme => Command::AddTheme {
            index: 0,
            theme: theme(&ids.next("theme")),
        },
        Action::DeleteTheme(n) => Command::DeleteTheme(pick(&doc.themes, n)?.id.clone()),
        Action::Title(ref t) => Command::SetTitle(t.make()),
        // A persona added, edited, or (with an empty name) removed.
        Action::Persona(ref name, ref goal) => match doc.personas.first() {
            None => Command::AddPersona(crate::model::Persona {
                goal: goal.make(),
                ..crate::model::Persona::new(
                    crate::model::PersonaId::new(ids.next("persona")),
                    name.make(),
                    crate::model::PERSONA_COLORS[0],
                )
            }),
            Some(p) if name.make().is_empty() => Command::RemovePersona(p.id.clone()),
            Some(p) => Command::UpdatePersona(crate::model::Persona {
                name: name.make(),
                goal: goal.make(),
                ..p.clone()
            }),
        },
        Action::RenameStage(n, ref t) => Command::UpdateStage(Stage {
            name: t.make(),
            ..pick(&doc.stages, n)?.clone()
        }),
        Action::RenameTheme(n, ref t) => {
            let mut theme = pick(&doc.themes, n)?.clone();
            theme.name = t.make();
            theme.tone.push(t.make());
            theme.intent.feel = t.make();
            Command::UpdateTheme(theme)
        }
        Action::LabelFlow(n, ref t) => {
            let f = pick(&doc.flows, n)?;
            Command::AddFlow(Flow {
                id: FlowId::new(ids.next("flow")),
                label: t.make(),
                ..f.clone()
            })
        }
        Action::Duplicate(n) => {
            let id = pick(&doc.touchpoints, n)?.id.clone();
            let clip = Clip::copy(doc, &[id].into());
            Command::Insert(Box::new(clip.to_insertion(doc).0))
        }
    })
}

fn action() -> impl Strategy<Value = Action> {
    let n = any::<u8>;
    prop_oneof![
        (n(), n()).prop_map(|(a, b)| Action::Add(a, b)),
        n().prop_map(Action::Delete),
        (n(), n(), n()).prop_map(|(a, b, c)| Action::Move(a, b, c)),
        (n(), -3i8..3, any::<bool>()).prop_map(|(a, b, c)| Action::Edit(a, b, c)),
        (n(), n()).prop_map(|(a, b)| Action::Assign(a, b)),
        (n(), n()).prop_map(|(a, b)| Action::Unassign(a, b)),
        (n(), n()).prop_map(|(a, b)| Action::Link(a, b)),
        n().prop_map(Action::Unlink),
        n().prop_map(Action::AddStage),
        (n(), n()).prop_map(|(a, b)| Action::MoveStage(a, b)),
        n().prop_map(Action::DeleteStage),
        n().prop_map(Action::DeleteLane),
        Just(Action::AddTheme),
        n().prop_map(Action::DeleteTheme),
        text().prop_map(Action::Title),
        (text(), text()).prop_map(|(a, b)| Action::Persona(a, b)),
        (n(), text()).prop_map(|(a, b)| Action::RenameStage(a, b)),
        (n(), text()).prop_map(|(a, b)| Action::RenameTheme(a, b)),
        (n(), text()).prop_map(|(a, b)| Action::LabelFlow(a, b)),
        (
            n(),
            proptest::sample::select(vec![
                TextField::Title,
                TextField::Notes,
                TextField::Department,
                TextField::Cue,
                TextField::TopTask,
            ]),
            text()
        )
            .prop_map(|(a, b, c)| Action::Text(a, b, c)),
        n().prop_map(Action::Duplicate),
    ]
}

proptest! {
    #[test]
    fn undo_all_restores_and_redo_all_replays(actions in proptest::collection::vec(action(), 0..40)) {
        let original = fixture();
        let mut ed = Editor::new(original.clone());
        let mut steps = 0;
        for a in &actions {
            if let Some(cmd) = resolve(ed.doc(), a) {
                let before = ed.doc().clone();
                match ed.apply(cmd) {
                    Ok(true) => steps += 1,
                    Ok(false) => prop_assert_eq!(ed.doc(), &before),
                    Err(_) => prop_assert_eq!(ed.doc(), &before, "refused commands change nothing"),
                }
                prop_assert!(crate::model::validate(ed.doc()).is_empty(), "{:?}", crate::model::validate(ed.doc()));
                // Every state the editor can reach saves and opens again, equal.
                let saved = crate::io::to_json(ed.doc());
                match crate::io::load_str("edited.json", &saved) {
                    Ok(loaded) => prop_assert_eq!(&loaded.document, ed.doc()),
                    Err(e) => prop_assert!(false, "the editor made a file it cannot open: {}", e),
                }
            }
        }
        let edited = ed.doc().clone();
        for _ in 0..steps {
            prop_assert!(ed.undo());
        }
        prop_assert!(!ed.undo());
        prop_assert_eq!(ed.doc(), &original);
        prop_assert!(!ed.is_dirty());
        for _ in 0..steps {
            prop_assert!(ed.redo());
        }
        prop_assert_eq!(ed.doc(), &edited);
    }
}

#[test]
fn set_emotion_changes_one_card_and_refuses_a_value_off_the_scale() {
    roundtrip(
        Command::SetEmotion {
            card: tp("b"),
            persona: None,
            emotion: -2,
        },
        |d| assert_eq!(d.touchpoint(&tp("b")).map(|t| t.emotion), Some(-2)),
    );
    let mut ed = Editor::new(fixture());
    assert!(
        ed.apply(Command::SetEmotion {
            card: tp("b"),
            persona: None,
            emotion: 3,
        })
        .is_err()
    );
    assert!(
        ed.apply(Command::SetEmotion {
            card: tp("nobody"),
            persona: None,
            emotion: 1,
        })
        .is_err()
    );
    let same = fixture().touchpoints[1].emotion;
    assert_eq!(
        ed.apply(Command::SetEmotion {
            card: tp("b"),
            persona: None,
            emotion: same,
        }),
        Ok(false)
    );
    assert!(!ed.can_undo());
}
