//! A designer's first hour (issue #12), driven headlessly with `egui_kittest`: the Edit
//! menu's clipboard commands and where pasted cards land, arrow nudges and pastes as undo
//! steps through the action queue, messages that do not move the layout, placeholders
//! selected for typing, the legend and the card marks' tooltips, settings kept between
//! runs.

use egui::{Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::StagecraftApp;
use stagecraft::model::{Document, Flow, FlowId, LaneId, StageId, Touchpoint, TouchpointId};
use stagecraft::scene::Point;
use stagecraft::ui::action::{Action, Selection};
use stagecraft::ui::commands::UiCommand;

fn card(id: &str, title: &str, stage: &str, lane: &str) -> Touchpoint {
    Touchpoint::new(
        TouchpointId::from(id),
        title,
        StageId::from(stage),
        LaneId::from(lane),
    )
}

/// The default canvas with two cards in one cell, a flow between them, and a third card.
fn chain() -> Document {
    let mut doc = Document::new_canvas();
    doc.touchpoints
        .push(card("a", "Reads reviews", "discover", "web"));
    doc.touchpoints
        .push(card("b", "Compares prices", "discover", "web"));
    doc.touchpoints
        .push(card("c", "Queue at the counter", "choose", "store"));
    doc.flows.push(Flow {
        id: FlowId::from("f1"),
        from: TouchpointId::from("a"),
        to: TouchpointId::from("b"),
        label: String::new(),
        extra: Default::default(),
    });
    doc
}

fn harness(doc: Document) -> Harness<'static, StagecraftApp> {
    harness_with_app(StagecraftApp::new_with(doc), 0.25)
}

fn harness_with_app(app: StagecraftApp, step_dt: f32) -> Harness<'static, StagecraftApp> {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1600.0, 1000.0))
        .with_step_dt(step_dt)
        .build_ui_state(|ui, app: &mut StagecraftApp| app.show(ui), app);
    h.run();
    h
}

fn act(h: &mut Harness<StagecraftApp>, a: Action) {
    let ctx = h.ctx.clone();
    h.state_mut().apply_action(&ctx, a);
    h.run();
}

fn select(h: &mut Harness<StagecraftApp>, ids: &[&str]) {
    h.state_mut().selection =
        Selection::Cards(ids.iter().map(|&i| TouchpointId::from(i)).collect());
    h.run();
}

fn cell_point(h: &Harness<StagecraftApp>, stage: &str, lane: &str) -> Point {
    let r = h
        .state()
        .canvas
        .layout()
        .cell_rect(&StageId::from(stage), &LaneId::from(lane))
        .expect("cell laid out");
    Point::new(r.min.x + r.width() * 0.75, r.min.y + r.height() * 0.8)
}

fn cell_screen(h: &Harness<StagecraftApp>, stage: &str, lane: &str) -> Pos2 {
    h.state().canvas.screen_pos(cell_point(h, stage, lane))
}

fn card_rect(h: &Harness<StagecraftApp>, id: &TouchpointId) -> stagecraft::scene::Rect {
    h.state()
        .canvas
        .layout()
        .card_rect(id)
        .expect("card laid out")
}

/// What the app put on the system clipboard in the last frame.
fn copied_text(h: &Harness<StagecraftApp>) -> Option<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
}

fn sent(h: &Harness<StagecraftApp>, cmd: &egui::ViewportCommand) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(cmd))
}

/// A menu entry's label: the command's name and its shortcut as this platform writes it.
fn entry(h: &Harness<StagecraftApp>, cmd: UiCommand) -> String {
    match cmd.shortcut_text(&h.ctx) {
        Some(sc) => format!("{} {sc}", cmd.label()),
        None => cmd.label().to_owned(),
    }
}

fn menu_item(h: &mut Harness<StagecraftApp>, cmd: UiCommand) {
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label(&entry(h, cmd)).click();
    h.step();
}

fn new_cards(h: &Harness<StagecraftApp>, before: &Document) -> Vec<Touchpoint> {
    h.state()
        .doc()
        .touchpoints
        .iter()
        .filter(|t| before.touchpoint(&t.id).is_none())
        .cloned()
        .collect()
}

#[test]
fn the_edit_menu_names_each_clipboard_command_with_its_shortcut() {
    let mut h = harness(chain());
    select(&mut h, &["a"]);
    h.get_by_label("Edit").click();
    h.run();
    for cmd in [
        UiCommand::Undo,
        UiCommand::Redo,
        UiCommand::Cut,
        UiCommand::Copy,
        UiCommand::Paste,
        UiCommand::Duplicate,
        UiCommand::Delete,
        UiCommand::SelectAll,
    ] {
        let label = entry(&h, cmd);
        assert!(cmd.shortcut().is_some(), "{label}: has a shortcut");
        assert!(h.query_by_label(&label).is_some(), "{label}: in the menu");
    }
}

#[test]
fn edit_menu_copy_then_paste_puts_the_copy_after_the_cards_of_its_cell() {
    let mut h = harness(chain());
    let before = h.state().doc().clone();
    select(&mut h, &["a", "b"]);
    menu_item(&mut h, UiCommand::Copy);
    let text = copied_text(&h).expect("the cards went to the clipboard");
    h.run();
    menu_item(&mut h, UiCommand::Paste);
    assert!(
        sent(&h, &egui::ViewportCommand::RequestPaste),
        "Paste asks the platform for the clipboard"
    );
    h.run();
    // The platform answers with the clipboard's text.
    h.event(egui::Event::Paste(text));
    h.run();
    let new = new_cards(&h, &before);
    assert_eq!(new.len(), 2, "both cards pasted");
    let layout = h.state().canvas.layout();
    for tp in &new {
        assert_eq!((tp.stage.as_str(), tp.lane.as_str()), ("discover", "web"));
        let slot = layout.card_slot(&tp.id).expect("laid out");
        assert!(
            slot >= 2,
            "after both originals, not between them: slot {slot}"
        );
        for orig in ["a", "b"] {
            assert!(
                !card_rect(&h, &tp.id).intersects(card_rect(&h, &TouchpointId::from(orig))),
                "no overlap with {orig}"
            );
        }
    }
    let new_ids: Vec<_> = new.iter().map(|t| t.id.clone()).collect();
    let doc = h.state().doc();
    let copied_flow = doc
        .flows
        .iter()
        .find(|f| new_ids.contains(&f.from))
        .expect("the flow came along");
    assert!(new_ids.contains(&copied_flow.to), "between the copies");
    assert_eq!(h.state().selection, Selection::Cards(new_ids));
    // One undo step takes the whole paste back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc(), &before);
}

#[test]
fn paste_lands_in_the_cell_under_the_pointer() {
    let mut h = harness(chain());
    let before = h.state().doc().clone();
    select(&mut h, &["a", "c"]);
    h.event(egui::Event::Copy);
    h.step();
    let text = copied_text(&h).expect("copied");
    h.run();
    h.hover_at(cell_screen(&h, "experience", "web"));
    h.run();
    h.event(egui::Event::Paste(text));
    h.run();
    let new = new_cards(&h, &before);
    assert_eq!(new.len(), 2);
    // "a" goes where the pointer is; "c" keeps its distance (one stage on, one lane down).
    assert_eq!(
        (new[0].stage.as_str(), new[0].lane.as_str()),
        ("experience", "web")
    );
    assert_eq!(
        (new[1].stage.as_str(), new[1].lane.as_str()),
        ("share", "store")
    );
}

#[test]
fn cut_copies_and_removes_and_one_undo_brings_the_cards_back() {
    let mut h = harness(chain());
    let before = h.state().doc().clone();
    select(&mut h, &["c"]);
    menu_item(&mut h, UiCommand::Cut);
    assert!(copied_text(&h).is_some_and(|t| t.contains("Queue at the counter")));
    h.run();
    assert!(
        h.state()
            .doc()
            .touchpoint(&TouchpointId::from("c"))
            .is_none()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc(), &before);
}

#[test]
fn edit_menu_duplicate_and_select_all() {
    let mut h = harness(chain());
    menu_item(&mut h, UiCommand::SelectAll);
    h.run();
    assert_eq!(h.state().selection.cards().len(), 3);
    menu_item(&mut h, UiCommand::Duplicate);
    h.run();
    assert_eq!(h.state().doc().touchpoints.len(), 6);
    assert!(stagecraft::model::validate(h.state().doc()).is_empty());
}

#[test]
fn arrow_nudge_and_paste_are_queued_actions_and_single_undo_steps() {
    let mut h = harness(chain());
    let before = h.state().doc().clone();
    select(&mut h, &["a", "b"]);
    act(
        &mut h,
        Action::Nudge {
            stages: 1,
            lanes: 0,
        },
    );
    let moved = |h: &Harness<StagecraftApp>, id: &str| {
        h.state()
            .doc()
            .touchpoint(&TouchpointId::from(id))
            .expect("card")
            .stage
            .clone()
    };
    assert_eq!(moved(&h, "a"), StageId::from("choose"));
    assert_eq!(moved(&h, "b"), StageId::from("choose"));
    assert_eq!(h.state().editor().undo_label(), Some("move cards"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc(), &before, "one undo moves both back");

    // The arrow key queues the same action.
    h.key_press(Key::ArrowDown);
    h.run();
    assert_ne!(h.state().doc(), &before);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc(), &before);

    let ids = std::iter::once(TouchpointId::from("c")).collect();
    let text = stagecraft::edit::Clip::copy(&before, &ids).to_text();
    let at = cell_point(&h, "share", "store");
    act(&mut h, Action::Paste { text, at: Some(at) });
    let new = new_cards(&h, &before);
    assert_eq!(new.len(), 1);
    assert_eq!(
        (new[0].stage.as_str(), new[0].lane.as_str()),
        ("share", "store")
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc(), &before, "one undo takes the paste back");
}

fn field_rect(h: &Harness<StagecraftApp>, label: &str) -> egui::Rect {
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, label)
        .rect()
}

#[test]
fn a_message_appearing_or_going_moves_no_field() {
    let mut h = harness(chain());
    select(&mut h, &["a"]);
    let title = field_rect(&h, "Title");
    let canvas = h.state().canvas.area;
    act(&mut h, Action::Notify("Saved /tmp/journey.json".into()));
    assert!(
        h.query_by_label("Saved /tmp/journey.json").is_some(),
        "shown"
    );
    assert_eq!(field_rect(&h, "Title"), title, "the inspector did not move");
    assert_eq!(h.state().canvas.area, canvas, "nor the canvas");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().banner.is_none(), "dismissed");
    assert_eq!(field_rect(&h, "Title"), title, "nor when it goes");
    // A click aimed at the title field lands there, message or not.
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title")
        .click();
    h.run();
    h.key_press(Key::End);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title")
        .type_text(" (online)");
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(
        h.state()
            .doc()
            .touchpoint(&TouchpointId::from("a"))
            .expect("a")
            .title,
        "Reads reviews (online)"
    );
}

#[test]
fn notes_fade_in_input_time_and_errors_stay_until_dismissed() {
    let mut h = harness(chain());
    act(&mut h, Action::Notify("Saved".into()));
    // 0.25 s of input time per frame: well past the note's time.
    let frames = (stagecraft::ui::toast::NOTE_SECONDS / 0.25) as usize + 2;
    for _ in 0..frames {
        h.step();
    }
    assert!(h.state().banner.is_none(), "the note faded");
    h.state_mut().banner = Some(stagecraft::app::Banner::error("Could not save"));
    for _ in 0..frames * 3 {
        h.step();
    }
    assert!(h.state().banner.is_some(), "the error stays");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().banner.is_none());
}

/// Text typed on the keyboard, going wherever the focus is.
fn type_keys(h: &mut Harness<StagecraftApp>, text: &str) {
    h.event(egui::Event::Text(text.into()));
    h.run();
}

#[test]
fn typing_after_a_double_click_on_a_cell_replaces_the_placeholder_title() {
    let mut h = harness_with_app(StagecraftApp::new_with(chain()), 0.05);
    let p = cell_screen(&h, "experience", "store");
    h.hover_at(p);
    h.run();
    for pressed in [true, false, true, false] {
        h.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.step();
    h.run();
    assert!(h.state().canvas.title_edit.is_some(), "title open");
    type_keys(&mut h, "Tries the sofa");
    h.key_press(Key::Enter);
    h.run();
    let new = h.state().doc().touchpoints.last().expect("added").clone();
    assert_eq!(new.title, "Tries the sofa");
}

#[test]
fn typing_after_adding_a_cue_sets_the_cue_text() {
    let mut h = harness(chain());
    select(&mut h, &["a"]);
    h.get_by_label("+ Positive cue").click();
    h.run();
    type_keys(&mut h, "Smell of fresh coffee");
    h.key_press(Key::Enter);
    h.run();
    let a = h
        .state()
        .doc()
        .touchpoint(&TouchpointId::from("a"))
        .expect("a")
        .clone();
    assert_eq!(a.cues.len(), 1);
    assert_eq!(a.cues[0].text, "Smell of fresh coffee");
    assert_eq!(a.cues[0].polarity, stagecraft::model::Polarity::Positive);
}

#[test]
fn typing_after_adding_a_theme_names_it() {
    let mut h = harness(chain());
    h.get_by_label("+ Theme").click();
    h.run();
    type_keys(&mut h, "Warm welcome");
    h.key_press(Key::Enter);
    h.run();
    let doc = h.state().doc();
    assert_eq!(doc.themes.len(), 1);
    assert_eq!(doc.themes[0].name, "Warm welcome");
    assert_eq!(
        h.state().selection,
        Selection::Theme(doc.themes[0].id.clone())
    );
}

#[test]
fn a_failed_save_says_once_what_failed_and_where() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("gone");
    std::fs::create_dir(&folder).expect("mkdir");
    let path = folder.join("mine.json");
    std::fs::write(&path, stagecraft::io::to_json(&chain())).expect("write");
    let mut h = harness(Document::new_canvas());
    act(&mut h, Action::OpenPath(path.clone()));
    std::fs::remove_dir_all(&folder).expect("rm");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let banner = h.state().banner.clone().expect("an error");
    assert!(banner.error);
    assert_eq!(
        banner.text,
        format!(
            "Could not save {}: the folder does not exist.",
            path.display()
        )
    );
}

#[test]
fn a_title_that_is_a_quotation_is_quoted_once_in_findings() {
    let mut doc = chain();
    doc.touchpoints[0].title = "“The usual, Camille?”".into();
    let report = stagecraft::scoring::score(&doc);
    let texts: Vec<String> = report
        .rules
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.message.clone()))
        .collect();
    let named: Vec<_> = texts.iter().filter(|t| t.contains("The usual")).collect();
    assert!(!named.is_empty(), "some finding names the card: {texts:?}");
    for t in named {
        assert!(t.contains("“The usual, Camille?”"), "{t}");
        assert!(!t.contains("““") && !t.contains("””"), "{t}");
    }
    // And the inspector shows the same text.
    let mut h = harness(doc);
    h.run();
    assert!(h.query_by_label_contains("““The usual").is_none());
}

#[test]
fn dark_mode_and_panel_choices_are_kept_for_the_next_start() {
    use stagecraft::ui::settings::SettingsStore;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("settings.json");
    let mut app = StagecraftApp::new_with(chain());
    app.use_settings(SettingsStore::at(&file));
    let mut h = harness_with_app(app, 0.25);
    assert!(!h.state().is_dark());
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Dark mode").click();
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Touchpoints and themes").click();
    h.run();
    assert!(h.state().is_dark());
    assert!(!h.state().show_palette);
    assert!(file.exists(), "written when a choice changes");
    drop(h);

    let mut next = StagecraftApp::new_with(chain());
    next.use_settings(SettingsStore::at(&file));
    let h = harness_with_app(next, 0.25);
    assert!(h.state().is_dark(), "dark again after a restart");
    assert!(!h.state().show_palette, "the hidden palette stays hidden");
    assert!(h.state().show_inspector);
}

#[test]
fn panels_hidden_by_a_narrow_window_are_not_remembered_as_a_choice() {
    use stagecraft::ui::settings::SettingsStore;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("settings.json");
    let mut app = StagecraftApp::new_with(chain());
    app.use_settings(SettingsStore::at(&file));
    let mut h = Harness::builder()
        .with_size(Vec2::new(900.0, 700.0))
        .build_ui_state(|ui, app: &mut StagecraftApp| app.show(ui), app);
    h.run();
    assert!(!h.state().show_palette, "a narrow window hides the panels");
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Dark mode").click();
    h.run();
    drop(h);
    let mut next = StagecraftApp::new_with(chain());
    next.use_settings(SettingsStore::at(&file));
    let h = harness_with_app(next, 0.25);
    assert!(h.state().is_dark());
    assert!(
        h.state().show_palette && h.state().show_inspector,
        "a wide window shows them again"
    );
}

#[test]
fn save_as_offers_the_last_folder_used_never_the_working_directory() {
    use stagecraft::ui::settings::SettingsStore;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = StagecraftApp::new_with(chain());
    app.use_settings(SettingsStore::at(dir.path().join("settings.json")));
    let fresh = app.suggested_path();
    assert!(
        fresh.is_absolute() || fresh.parent().is_none_or(|p| p.as_os_str().is_empty()),
        "{}",
        fresh.display()
    );
    let mut h = harness_with_app(app, 0.25);
    let folder = dir.path().join("journeys");
    std::fs::create_dir(&folder).expect("mkdir");
    let path = folder.join("mine.json");
    std::fs::write(&path, stagecraft::io::to_json(&chain())).expect("write");
    act(&mut h, Action::OpenPath(path));
    act(&mut h, Action::Ui(UiCommand::New));
    let offered = h.state().suggested_path();
    assert_eq!(
        offered
            .parent()
            .map(|p| std::fs::canonicalize(p).expect("exists")),
        Some(std::fs::canonicalize(&folder).expect("exists")),
        "{}",
        offered.display()
    );
    assert!(offered.is_absolute());
    drop(h);
    // Remembered for the next start, too.
    let mut next = StagecraftApp::new_with(Document::new_canvas());
    next.use_settings(SettingsStore::at(dir.path().join("settings.json")));
    assert!(
        next.suggested_path()
            .starts_with(std::fs::canonicalize(&folder).expect("exists"))
    );
}

/// Rests the pointer at `pos` long enough for a tooltip.
fn rest_at(h: &mut Harness<StagecraftApp>, pos: Pos2) {
    h.hover_at(pos);
    for _ in 0..6 {
        h.step();
    }
}

const LONG_TITLE: &str =
    "Asks the barista whether the oat milk is organic and whether the cups can be recycled at home";

fn marked() -> Document {
    let mut doc = chain();
    doc.touchpoints[0].flags.pain_point = true;
    doc.touchpoints[0].flags.magic_moment = true;
    doc.touchpoints[2].title = LONG_TITLE.into();
    doc
}

#[test]
fn resting_on_a_card_mark_says_what_it_means() {
    let mut h = harness(marked());
    let a = TouchpointId::from("a");
    let r = card_rect(&h, &a);
    // The bottom row: marks from the right, the magic moment last.
    let row = r.max.y - 10.0 - 8.0 + 1.0;
    let magic = h
        .state()
        .canvas
        .screen_pos(Point::new(r.max.x - 10.0 - 8.0, row));
    rest_at(&mut h, magic);
    assert!(
        h.query_by_label_contains("Magic moment: ").is_some(),
        "magic moment explained"
    );
    let pain = h
        .state()
        .canvas
        .screen_pos(Point::new(r.max.x - 10.0 - 8.0 - 20.0, row));
    rest_at(&mut h, pain);
    assert!(h.query_by_label_contains("Pain point: ").is_some());
    assert!(
        h.query_by_label_contains("Magic moment: ").is_none(),
        "one at a time"
    );
}

#[test]
fn resting_on_a_findings_badge_lists_the_findings() {
    let mut h = harness(marked());
    let report = h.state().report().clone();
    let (tp, n) = h
        .state()
        .doc()
        .touchpoints
        .iter()
        .map(|t| {
            (
                t.clone(),
                stagecraft::ui::marks::card_findings(&report, t).len(),
            )
        })
        .find(|(_, n)| *n > 0)
        .expect("some card has findings");
    let r = card_rect(&h, &tp.id);
    let badge = h
        .state()
        .canvas
        .screen_pos(Point::new(r.max.x - 4.0, r.min.y + 4.0));
    rest_at(&mut h, badge);
    let says = if n == 1 {
        "1 finding on this card".to_owned()
    } else {
        format!("{n} findings on this card")
    };
    assert!(h.query_by_label_contains(&says).is_some(), "{says}");
}

#[test]
fn resting_on_a_cut_title_shows_it_whole() {
    let mut h = harness(marked());
    let c = TouchpointId::from("c");
    let r = card_rect(&h, &c);
    let tp = h.state().doc().touchpoint(&c).expect("c").clone();
    assert!(
        stagecraft::ui::marks::title_is_cut(&tp, r),
        "the card cuts it"
    );
    let title = h
        .state()
        .canvas
        .screen_pos(Point::new(r.center().x, r.min.y + 30.0));
    // The inspector may show it too (in its list of assumed steps): the tooltip adds one.
    let before = h.query_all_by_label(LONG_TITLE).count();
    rest_at(&mut h, title);
    assert_eq!(
        h.query_all_by_label(LONG_TITLE).count(),
        before + 1,
        "whole title on hover"
    );
}

#[test]
fn view_legend_shows_the_marks_and_theme_colours_and_hides_again() {
    let mut doc = marked();
    doc.themes.push(stagecraft::model::Theme {
        id: stagecraft::model::ThemeId::from("warm"),
        name: "Warm welcome".into(),
        color: stagecraft::model::Color::rgb(0xd9, 0x48, 0x3b),
        intent: Default::default(),
        tone: Vec::new(),
        extra: Default::default(),
    });
    let mut h = harness(doc);
    assert!(
        h.query_by_label("Findings on a card").is_none(),
        "hidden at first"
    );
    let labels = [
        "Pain point",
        "Magic moment",
        "Memorabilia",
        "Top task",
        "Findings on a card",
        "Emotion, negative to positive",
        "Loop back to an earlier stage",
        "ORCHESTRATION THEMES",
        "Warm welcome",
    ];
    let before: Vec<usize> = labels
        .iter()
        .map(|l| h.query_all_by_label(l).count())
        .collect();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Legend").click();
    h.run();
    assert!(h.state().show_legend);
    for (label, n) in labels.iter().zip(before) {
        assert_eq!(
            h.query_all_by_label(label).count(),
            n + 1,
            "{label} in the legend"
        );
    }
    // Inside the canvas, in its top-right corner.
    let area = h.state().canvas.area;
    let row = h.get_by_label("Findings on a card").rect();
    assert!(area.contains(row.center()), "{row:?} in {area:?}");
    assert!(row.center().x > area.center().x && row.center().y < area.center().y);
    h.get_by_label("×").click();
    h.run();
    assert!(!h.state().show_legend);
    assert!(h.query_by_label("Findings on a card").is_none());
}
