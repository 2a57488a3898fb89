//! The editor rescores after every edit keeping the flows it resolved before when the
//! edit leaves them (`scoring::Scorer`, `Editor::links_revision`): its live report must
//! always be the report a fresh `score` gives, whatever the edits, undos and redos. Its
//! canvas likewise keeps its layout and scene across edits, updating what each touched
//! (`Editor::change_log`): they must always be the ones computed afresh, with the theme
//! highlighted or not.

use egui::{Pos2, RawInput, Rect, vec2};
use stagecraft::app::StagecraftApp;
use stagecraft::edit::{Command, Placement};
use stagecraft::model::{CellPos, Extra, Flow, FlowId};
use stagecraft::scene::{CanvasOptions, Layout, Palette, build_canvas};
use stagecraft::scoring::score;
use stagecraft::synth::{SynthSpec, canvas};
use stagecraft::ui::action::{Action, Selection};
use stagecraft::ui::commands::UiCommand;

fn run(ctx: &egui::Context, app: &mut StagecraftApp) {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0))),
        ..RawInput::default()
    };
    let mut out = ctx.run_ui(input, |ui| app.show(ui));
    out.textures_delta.clear();
}

#[test]
fn the_live_report_is_a_fresh_score_after_every_kind_of_edit() {
    let ctx = egui::Context::default();
    ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
    // Big enough to be scored on two threads.
    let mut app = StagecraftApp::new_with(canvas(&SynthSpec::new(2_500, 5)));
    run(&ctx, &mut app);
    let mut steps = 0;
    let mut check = |app: &mut StagecraftApp, what: &str| {
        run(&ctx, app);
        let fresh = score(app.doc());
        let scores = |r: &stagecraft::scoring::Report| -> Vec<Option<u8>> {
            r.rules.iter().map(|r| r.score).collect()
        };
        assert!(
            app.report() == &fresh,
            "after {what}: live {} {:?}, fresh {} {:?}",
            app.report().total,
            scores(app.report()),
            fresh.total,
            scores(&fresh)
        );
        // With the curve band the app shows (View → Emotion curve).
        let layout = Layout::compute_with(app.doc(), app.show_emotion_curve);
        assert!(
            app.canvas.layout() == &layout,
            "after {what}: the canvas shows a stale layout"
        );
        let palette = if app.is_dark() {
            Palette::dark()
        } else {
            Palette::light()
        };
        let highlight = match &app.selection {
            Selection::Theme(t) => Some(t),
            _ => None,
        };
        let opts = CanvasOptions {
            palette: &palette,
            report: Some(app.report()),
            highlight_theme: highlight,
            finding_markers: true,
            hatch_assumed: false,
        };
        let built = build_canvas(app.doc(), &layout, &opts);
        let doc = app.doc().clone();
        assert!(
            app.canvas.scene_flattened(&doc) == built,
            "after {what}: the canvas shows a stale scene"
        );
        steps += 1;
    };
    check(&mut app, "opening");

    let doc = app.doc().clone();
    let mut card = doc.touchpoints[10].clone();
    card.title = "Waits in a slow queue, rushed and confused".into();
    card.emotion = -3;
    app.apply_action(
        &ctx,
        Action::Edit(Command::UpdateTouchpoint(Box::new(card))),
    );
    check(&mut app, "a card edited in place");

    // The same command can move a card: another stage, lane or place in its cell.
    let mut card = app.doc().touchpoints[11].clone();
    card.stage = doc.stages[doc.stages.len() - 1].id.clone();
    app.apply_action(
        &ctx,
        Action::Edit(Command::UpdateTouchpoint(Box::new(card))),
    );
    check(&mut app, "a card edited into another stage");
    let mut card = app.doc().touchpoints[12].clone();
    card.position = CellPos { x: -5.0, y: -5.0 };
    app.apply_action(
        &ctx,
        Action::Edit(Command::UpdateTouchpoint(Box::new(card))),
    );
    check(&mut app, "a card edited to the front of its cell");
    let mut lane = app.doc().lanes[0].clone();
    lane.name = "Renamed lane".into();
    app.apply_action(&ctx, Action::Edit(Command::UpdateLane(lane)));
    check(&mut app, "a lane renamed");
    let last = app.doc().stages.len() - 1;
    let stage = app.doc().stages[last].id.clone();
    app.apply_action(&ctx, Action::Edit(Command::MoveStage { id: stage, to: 0 }));
    check(&mut app, "a stage moved first");

    let place = Placement {
        id: doc.touchpoints[20].id.clone(),
        stage: doc.stages[0].id.clone(),
        lane: doc.lanes[0].id.clone(),
        position: CellPos::default(),
    };
    app.apply_action(&ctx, Action::Edit(Command::MoveTouchpoints(vec![place])));
    check(&mut app, "a card moved");
    let theme = app.doc().themes[1].id.clone();
    app.selection = Selection::Theme(theme);
    check(&mut app, "a theme highlighted");
    let mut card = app.doc().touchpoints[25].clone();
    card.themes.clear();
    app.apply_action(
        &ctx,
        Action::Edit(Command::UpdateTouchpoint(Box::new(card))),
    );
    check(&mut app, "a card's themes cleared while one is highlighted");
    app.selection = Selection::None;
    check(&mut app, "the highlight cleared");

    let flow = Flow {
        id: FlowId::from("flow-new"),
        from: doc.touchpoints[30].id.clone(),
        to: doc.touchpoints[2_000].id.clone(),
        label: String::new(),
        extra: Extra::new(),
    };
    app.apply_action(&ctx, Action::Edit(Command::AddFlow(flow)));
    check(&mut app, "a flow added");

    let gone = vec![
        doc.touchpoints[40].id.clone(),
        doc.touchpoints[41].id.clone(),
    ];
    app.apply_action(&ctx, Action::Edit(Command::DeleteTouchpoints(gone)));
    check(&mut app, "two cards deleted with their flows");

    // A card without flows deleted and another added before the next frame: the lists
    // keep their lengths, only the links revision says the cards changed.
    let doc = app.doc().clone();
    let lonely = doc
        .touchpoints
        .iter()
        .position(|t| !doc.flows.iter().any(|f| f.from == t.id || f.to == t.id))
        .expect("a card without flows");
    let removed = doc.touchpoints[lonely].id.clone();
    app.apply_action(
        &ctx,
        Action::Edit(Command::DeleteTouchpoints(vec![removed])),
    );
    let mut newcomer = doc.touchpoints[lonely].clone();
    newcomer.id = "tp-newcomer".into();
    app.apply_action(
        &ctx,
        Action::Edit(Command::AddTouchpoint(Box::new(newcomer))),
    );
    assert_eq!(app.doc().touchpoints.len(), doc.touchpoints.len());
    assert_eq!(app.doc().flows.len(), doc.flows.len());
    check(&mut app, "a card replaced by another, lengths kept");
    app.apply_action(&ctx, Action::Ui(UiCommand::Undo));
    app.apply_action(&ctx, Action::Ui(UiCommand::Undo));
    check(&mut app, "both undone");

    for what in ["undo (delete)", "undo (flow)", "undo (move)"] {
        app.apply_action(&ctx, Action::Ui(UiCommand::Undo));
        check(&mut app, what);
    }
    app.apply_action(&ctx, Action::Ui(UiCommand::Redo));
    check(&mut app, "redo (move)");
    app.apply_action(&ctx, Action::Ui(UiCommand::Redo));
    check(&mut app, "redo (flow)");
    for what in [
        "undo (flow)",
        "undo (move)",
        "undo (stage moved)",
        "undo (lane renamed)",
    ] {
        app.apply_action(&ctx, Action::Ui(UiCommand::Undo));
        check(&mut app, what);
    }
    for what in ["undo (card to the front)", "undo (card to another stage)"] {
        app.apply_action(&ctx, Action::Ui(UiCommand::Undo));
        check(&mut app, what);
    }
    assert_eq!(steps, 25);
}
