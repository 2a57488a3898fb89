//! Personas in the editor, driven as a user would, headless (`egui_kittest`): add a
//! persona, name it, give it a picture from a PNG file (typed path: the test machine has
//! no file dialog), a bad picture refused with a message; on a card, a persona's emotion
//! changed and undone, and a persona taken out of the card's journey.

use egui::accesskit::Role;
use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use stagecraft::app::StagecraftApp;
use stagecraft::model::{Document, PERSONA_COLORS, Persona, PersonaId, Touchpoint, TouchpointId};
use stagecraft::ui::action::Selection;

fn harness(doc: Document) -> Harness<'static, StagecraftApp> {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1600.0, 1000.0))
        .with_step_dt(0.25)
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_with(doc),
        );
    h.run();
    h
}

fn one_card() -> Document {
    let mut doc = Document::new_canvas();
    let mut tp = Touchpoint::new(
        TouchpointId::from("a"),
        "Reads reviews",
        "discover".into(),
        "web".into(),
    );
    tp.emotion = 1;
    doc.touchpoints.push(tp);
    doc
}

/// A small PNG, written where the test can point at it.
fn write_png(path: &std::path::Path) {
    let img = image::RgbaImage::from_fn(40, 30, |x, y| {
        image::Rgba([(x * 6) as u8, (y * 8) as u8, 180, 255])
    });
    img.save(path).expect("png written");
}

fn type_into(h: &mut Harness<StagecraftApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
    h.key_press(Key::Escape);
    h.run();
}

#[test]
fn add_a_persona_name_it_and_give_it_a_picture_from_a_png() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = dir.path().join("sam.png");
    write_png(&png);
    let not_a_picture = dir.path().join("notes.png");
    std::fs::write(&not_a_picture, "these are notes, not a picture").expect("written");

    let mut h = harness(one_card());
    assert!(h.state().doc().personas.is_empty());
    h.get_by_label("Add persona").click();
    h.run();
    h.run();
    let personas = &h.state().doc().personas;
    assert_eq!(personas.len(), 1);
    assert_eq!(personas[0].name, "Persona 1");
    assert_eq!(personas[0].color, PERSONA_COLORS[0]);
    assert_eq!(h.state().editor().undo_label(), Some("add persona"));

    type_into(&mut h, "Persona 1 name", "Sam, on business");
    assert_eq!(h.state().doc().personas[0].name, "Sam, on business");

    // A file that is not a picture: a message, and the document is unchanged.
    let before = h.state().doc().clone();
    type_into(
        &mut h,
        "Persona 1 picture file",
        &not_a_picture.display().to_string(),
    );
    h.get_by_label("Set picture of persona 1").click();
    h.run();
    h.run();
    assert_eq!(h.state().doc(), &before, "a failed pick changes nothing");
    assert!(
        h.query_by_label_contains("not a PNG or JPEG").is_some(),
        "the reason is shown"
    );

    // The PNG: stored as a small PNG thumbnail inside the document, one undo step.
    type_into(&mut h, "Persona 1 picture file", &png.display().to_string());
    h.get_by_label("Set picture of persona 1").click();
    h.run();
    h.run();
    let persona = &h.state().doc().personas[0];
    let picture = persona.picture.as_deref().expect("a picture");
    assert!(picture.starts_with("data:image/png;base64,"));
    let (w, hgt, _) = stagecraft::io::picture::picture_pixels(picture).expect("decodes");
    assert_eq!((w, hgt), (96, 96));
    assert!(stagecraft::model::validate(h.state().doc()).is_empty());
    assert!(h.query_by_label("Picture of Sam, on business").is_some());
    // The saved file carries it.
    let json = stagecraft::io::to_json(h.state().doc());
    assert!(json.contains("\"picture\": \"data:image/png;base64,"));

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().doc().personas[0].picture,
        None,
        "undo takes it off"
    );
    assert_eq!(h.state().doc().personas[0].name, "Sam, on business");
}

fn two_personas() -> Document {
    let mut doc = one_card();
    doc.personas = vec![
        Persona::new(PersonaId::from("sam"), "Sam", PERSONA_COLORS[0]),
        Persona::new(PersonaId::from("kim"), "Kim", PERSONA_COLORS[1]),
    ];
    doc
}

#[test]
fn a_persona_emotion_on_a_card_changes_alone_and_undoes_in_one_step() {
    let mut h = harness(two_personas());
    h.state_mut().selection = Selection::Cards(vec![TouchpointId::from("a")]);
    h.run();
    h.get_by_label("Emotion for Kim").focus();
    h.run();
    h.key_press(Key::ArrowLeft);
    h.run();
    h.key_press(Key::ArrowLeft);
    h.run();
    h.key_press(Key::ArrowLeft);
    h.run();
    // Leaving the slider (Tab to the next control) ends the gesture; Escape would cancel it.
    h.key_press(Key::Tab);
    h.run();
    h.run();
    let card = h.state().doc().touchpoints[0].clone();
    assert_eq!(card.emotion, 1, "the card's own emotion stays");
    assert_eq!(card.emotion_for(&PersonaId::from("sam")), 1);
    assert_eq!(card.emotion_for(&PersonaId::from("kim")), -2);
    assert_eq!(h.state().editor().undo_label(), Some("edit emotion"));
    // The toolbar's Undo (the keyboard shortcut goes to the control that has the focus).
    h.get_by_label("Undo").click();
    h.run();
    h.run();
    assert!(
        h.state().doc().touchpoints[0].emotions.is_empty(),
        "one undo step for the whole slider gesture"
    );

    // Taking Kim out of the card's journey.
    h.get_by_label("Concerns Kim").click();
    h.run();
    h.run();
    let card = &h.state().doc().touchpoints[0];
    assert_eq!(card.personas, Some(vec![PersonaId::from("sam")]));
    assert!(!card.concerns(&PersonaId::from("kim")));
    h.get_by_label("Concerns Kim").click();
    h.run();
    h.run();
    assert_eq!(h.state().doc().touchpoints[0].personas, None, "all again");
}

#[test]
fn removing_a_persona_takes_it_off_the_cards_in_one_undo_step() {
    let mut doc = two_personas();
    doc.touchpoints[0]
        .emotions
        .insert(PersonaId::from("kim"), -1);
    let mut h = harness(doc.clone());
    // The section is closed when the canvas has personas: open it.
    assert!(h.query_by_label("Remove persona 2").is_none());
    h.get_by_label("Personas (2)").click();
    h.run();
    h.get_by_label("Remove persona 2").click();
    h.run();
    h.run();
    assert_eq!(h.state().doc().personas.len(), 1);
    assert!(h.state().doc().touchpoints[0].emotions.is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc(), &doc);
}

/// Whatever is selected on the coffee-shop sample (nothing, a card, two cards, a stage, a
/// lane, a theme), nothing the inspector shows starts left of its panel. Its personas have
/// long names ("Camille, graphic designer on her way to the studio"): a card's persona
/// rows once made the inspector wider than its panel, and the canvas covered the left of
/// every field.
#[test]
fn no_inspector_view_of_the_sample_runs_under_the_canvas() {
    let doc = stagecraft::io::load_path(std::path::Path::new("samples/coffee-shop.json"))
        .expect("the sample opens")
        .document;
    let selections = [
        Selection::None,
        Selection::Cards(vec![doc.touchpoints[1].id.clone()]),
        Selection::Cards(vec![
            doc.touchpoints[1].id.clone(),
            doc.touchpoints[2].id.clone(),
        ]),
        Selection::Stage(doc.stages[1].id.clone()),
        Selection::Lane(doc.lanes[1].id.clone()),
        Selection::Theme(doc.themes[0].id.clone()),
    ];
    let mut h = harness(doc);
    for selection in selections {
        h.state_mut().selection = selection.clone();
        for _ in 0..4 {
            h.run();
        }
        let area = h.state().canvas.area;
        let under: Vec<String> = h
            .query_all(By::new().predicate(|n| n.label().is_some_and(|l| !l.is_empty())))
            .filter(|n| {
                let r = n.rect();
                r.min.y > area.min.y && r.max.x > area.max.x + 1.0 && r.min.x < area.max.x - 1.0
            })
            .map(|n| format!("{:?} at {:?}", n.accesskit_node().label(), n.rect()))
            .collect();
        assert!(under.is_empty(), "{selection:?}: {under:#?}");
        // And the inspector is there to be checked.
        let beside = h
            .query_all(By::new().predicate(|n| n.label().is_some_and(|l| !l.is_empty())))
            .filter(|n| n.rect().min.y > area.min.y && n.rect().min.x >= area.max.x)
            .count();
        assert!(
            beside >= 3,
            "{selection:?}: {beside} labelled widgets in the inspector"
        );
    }
}
