//! Culling and level of detail on a big canvas, checked on the shapes the real app emits
//! in a headless egui frame (no timing here: speed is in `cargo bench --bench frame`).

use egui::epaint::Shape;
use egui::{Pos2, RawInput, Rect, vec2};
use stagecraft::app::StagecraftApp;
use stagecraft::edit::{Command, Placement};
use stagecraft::model::CellPos;
use stagecraft::scene::style::{CARD_H, CARD_W};
use stagecraft::scene::style::{LANE_HEADER_W, STAGE_HEADER_H};
use stagecraft::synth::{SynthSpec, canvas};
use stagecraft::ui::action::{Action, Selection};
use stagecraft::ui::canvas::{OVERVIEW_ZOOM, visible_canvas_rect};

fn run(ctx: &egui::Context, app: &mut StagecraftApp) -> Vec<egui::epaint::ClippedShape> {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0))),
        ..RawInput::default()
    };
    let mut out = ctx.run_ui(input, |ui| app.show(ui));
    // No renderer here to take the font atlas uploads.
    out.textures_delta.clear();
    out.shapes
}

fn flatten(shape: &Shape, out: &mut Vec<Shape>) {
    match shape {
        Shape::Vec(v) => v.iter().for_each(|s| flatten(s, out)),
        s => out.push(s.clone()),
    }
}

fn shapes(clipped: &[egui::epaint::ClippedShape]) -> Vec<Shape> {
    let mut out = Vec::new();
    for c in clipped {
        flatten(&c.shape, &mut out);
    }
    out
}

/// An app on a 2,000-card canvas, after the first frames (fonts, caches, zoom to fit).
fn app_with_canvas() -> (egui::Context, StagecraftApp) {
    let ctx = egui::Context::default();
    // egui marks widget-id clashes with a 🔥 the UI fonts lack; do not let that panic.
    ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
    let mut app = StagecraftApp::new_with(canvas(&SynthSpec::new(2_000, 3)));
    for _ in 0..2 {
        run(&ctx, &mut app);
    }
    (ctx, app)
}

/// The app at 100% on the middle of the canvas, its flow tiles built (the zoom held for a
/// frame), and how many were built.
fn app_with_tiles() -> (egui::Context, StagecraftApp, usize) {
    let (ctx, mut app) = app_with_canvas();
    zoom_on_middle(&mut app, 1.0);
    run(&ctx, &mut app);
    run(&ctx, &mut app);
    let built = app.canvas.flow_tiles_built();
    (ctx, app, built)
}

fn zoom_on_middle(app: &mut StagecraftApp, zoom: f32) {
    let b = app.canvas.layout().bounds();
    app.canvas.view.zoom = zoom;
    app.canvas.view.offset = app.canvas.area.size() / 2.0 - vec2(b.center().x, b.center().y) * zoom;
}

/// Screen rectangles of card bodies: egui rect shapes with a card's size at this zoom.
fn card_shapes(shapes: &[Shape], zoom: f32) -> Vec<Rect> {
    shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect(r)
                if (r.rect.width() - CARD_W * zoom).abs() < 0.5
                    && (r.rect.height() - CARD_H * zoom).abs() < 0.5 =>
            {
                Some(r.rect)
            }
            _ => None,
        })
        .collect()
}

#[test]
fn no_card_outside_the_viewport_is_drawn() {
    let (ctx, mut app) = app_with_canvas();
    zoom_on_middle(&mut app, 1.0);
    let out = shapes(&run(&ctx, &mut app));
    let area = app.canvas.area;
    let cards = card_shapes(&out, 1.0);
    // The viewport shows a few dozen of the 2,000 cards. Each card draws its body and
    // its shadow (a card-sized rect 2 units lower), each culled on its own.
    let viewport = visible_canvas_rect(&app.canvas.view, area);
    let in_view = app
        .canvas
        .layout()
        .cards()
        .filter(|(_, r)| r.intersects(viewport))
        .count();
    let shadows_in_view = app
        .canvas
        .layout()
        .cards()
        .filter(|(_, r)| r.translate(0.0, 2.0).intersects(viewport))
        .count();
    assert!(in_view > 10 && in_view < 200, "{in_view} cards in view");
    assert_eq!(
        cards.len(),
        in_view + shadows_in_view,
        "only the visible cards are drawn"
    );
    for r in &cards {
        assert!(
            r.intersects(area),
            "card drawn off screen at {r:?} (area {area:?})"
        );
    }

    // The elements the canvas kept (cards, flows, grid items) are exactly those meeting
    // the viewport.
    assert!(app.canvas.visible_bounds().all(|b| b.intersects(viewport)));
    let kept = app.canvas.visible_bounds().count();
    app.canvas.set_naive_paint(true);
    run(&ctx, &mut app);
    let reference = app.canvas.visible_bounds().count();
    assert_eq!(kept, reference, "index and full scan agree");
}

#[test]
fn panning_changes_which_cards_are_drawn() {
    let (ctx, mut app) = app_with_canvas();
    zoom_on_middle(&mut app, 1.0);
    let area = app.canvas.area;
    let before = card_shapes(&shapes(&run(&ctx, &mut app)), 1.0);
    app.canvas.view.offset.x -= area.width();
    let after = card_shapes(&shapes(&run(&ctx, &mut app)), 1.0);
    assert!(!before.is_empty() && !after.is_empty());
    for r in &after {
        assert!(r.intersects(area));
    }
}

#[test]
fn level_of_detail_switches_at_the_documented_zoom() {
    let (ctx, mut app) = app_with_canvas();
    let texts = |s: &[Shape]| s.iter().filter(|s| matches!(s, Shape::Text(_))).count();
    // Flows drawn as egui curves or paths (the full level of detail).
    let curves = |s: &[Shape]| {
        s.iter()
            .filter(|s| matches!(s, Shape::CubicBezier(_) | Shape::Path(_)))
            .count()
    };
    let biggest_mesh_quads = |s: &[Shape]| {
        s.iter()
            .filter_map(|s| match s {
                Shape::Mesh(m) => Some(m.indices.len() / 6),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    };

    // Just above the threshold: cards are egui rect shapes, flows egui curves.
    let above = OVERVIEW_ZOOM * 1.04;
    zoom_on_middle(&mut app, above);
    let out = shapes(&run(&ctx, &mut app));
    assert!(card_shapes(&out, above).len() > 50);
    assert!(curves(&out) > 50, "{} curves", curves(&out));

    // Just below: one overview mesh holds the canvas; no card shapes, no curve shapes.
    let below = OVERVIEW_ZOOM * 0.96;
    zoom_on_middle(&mut app, below);
    let out = shapes(&run(&ctx, &mut app));
    assert!(card_shapes(&out, below).is_empty());
    // The headers pinned to the canvas's edges keep their grid lines (a few shapes).
    let area = app.canvas.area;
    let bands = [
        egui::Rect::from_min_max(
            area.min - egui::vec2(2.0, 2.0),
            egui::pos2(area.max.x, area.min.y + STAGE_HEADER_H * below + 2.0),
        ),
        egui::Rect::from_min_max(
            area.min - egui::vec2(2.0, 2.0),
            egui::pos2(area.min.x + LANE_HEADER_W * below + 2.0, area.max.y),
        ),
    ];
    // On the canvas only: the panels' widgets (a collapsing header's arrow is a path) are
    // not flows.
    let flows: Vec<Shape> = out
        .iter()
        .filter(|s| area.intersects(s.visual_bounding_rect()))
        .filter(|s| {
            !bands
                .iter()
                .any(|b| b.contains_rect(s.visual_bounding_rect()))
        })
        .cloned()
        .collect();
    assert_eq!(curves(&flows), 0);
    let mesh_quads = biggest_mesh_quads(&out);
    assert!(mesh_quads > 1000, "{mesh_quads} quads in the overview");

    // Card titles (13 pt) are drawn in full from 6 screen points up: zoom 0.46. Below,
    // each card keeps one title line in larger type (22 pt), from zoom 0.27.
    let sizes = |s: &[Shape]| -> Vec<f32> {
        s.iter()
            .filter_map(|s| match s {
                Shape::Text(t) => t.galley.job.sections.first().map(|x| x.format.font_id.size),
                _ => None,
            })
            .collect()
    };
    let count_at =
        |sizes: &[f32], size: f32| sizes.iter().filter(|&&s| (s - size).abs() < 0.01).count();
    let text_zoom = 6.0 / 13.0;
    let z = text_zoom * 1.05;
    zoom_on_middle(&mut app, z);
    let above = sizes(&shapes(&run(&ctx, &mut app)));
    assert!(count_at(&above, 13.0 * z) > 50, "full titles above 0.46");
    assert_eq!(
        count_at(&above, 22.0 * z),
        0,
        "no compact titles above 0.46"
    );
    let z = text_zoom * 0.95;
    zoom_on_middle(&mut app, z);
    let below = sizes(&shapes(&run(&ctx, &mut app)));
    assert_eq!(count_at(&below, 13.0 * z), 0, "no full titles below 0.46");
    assert!(
        count_at(&below, 22.0 * z) > 50,
        "one title line per card below 0.46"
    );
    let z = 6.0 / 22.0 * 0.95;
    zoom_on_middle(&mut app, z);
    let far = sizes(&shapes(&run(&ctx, &mut app)));
    assert_eq!(count_at(&far, 22.0 * z), 0, "no title lines below 0.27");
    assert!(
        texts(&shapes(&run(&ctx, &mut app))) < 100,
        "only header names far out"
    );
}

/// The vertices of the flow meshes the canvas adds at working zoom (a mesh per flow tile;
/// nothing else on the canvas is a mesh at that zoom).
fn flow_mesh_vertices(shapes: &[Shape]) -> usize {
    shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Mesh(m) => Some(m.vertices.len()),
            _ => None,
        })
        .sum()
}

#[test]
fn panning_tessellates_only_the_flow_tiles_coming_into_view() {
    let (ctx, mut app) = app_with_canvas();
    zoom_on_middle(&mut app, 1.0);
    run(&ctx, &mut app);
    // The zoom held for a frame: the visible tiles (and a ring around them) are built.
    run(&ctx, &mut app);
    let first = app.canvas.flow_tiles_built();
    let area = app.canvas.area;
    let tile = stagecraft::ui::canvas::TILE;
    let cols = (area.width() / tile).ceil() as usize + 3;
    let rows = (area.height() / tile).ceil() as usize + 3;
    assert!(
        first >= cols * rows - cols - rows,
        "{first} tiles built at first"
    );
    let still = flow_mesh_vertices(&shapes(&run(&ctx, &mut app)));
    assert!(still > 1000, "flows are drawn from the tiles");
    assert_eq!(
        app.canvas.flow_tiles_built(),
        0,
        "a still frame builds nothing"
    );
    // A pan step within the tile ring builds nothing; one past a tile edge builds at most
    // a column of tiles.
    let mut built = 0;
    for _ in 0..20 {
        app.canvas.view.offset.x -= 37.0;
        run(&ctx, &mut app);
        let now = app.canvas.flow_tiles_built();
        assert!(now <= rows, "{now} tiles built in one pan step");
        built += now;
    }
    assert!(
        built > 0 && built <= 3 * rows,
        "{built} tiles built over 740 points of pan"
    );
    // A few steps back: the tiles there are kept, nothing is rebuilt.
    let here = flow_mesh_vertices(&shapes(&run(&ctx, &mut app)));
    app.canvas.view.offset.x += 3.0 * 37.0;
    run(&ctx, &mut app);
    assert_eq!(app.canvas.flow_tiles_built(), 0);
    app.canvas.view.offset.x -= 3.0 * 37.0;
    assert_eq!(flow_mesh_vertices(&shapes(&run(&ctx, &mut app))), here);
    assert_eq!(app.canvas.flow_tiles_built(), 0);
}

#[test]
fn an_edit_that_moves_no_flow_keeps_the_flow_tiles_and_one_that_does_rebuilds_them() {
    let (ctx, mut app, built) = app_with_tiles();
    assert!(built > 0);
    let drawn = flow_mesh_vertices(&shapes(&run(&ctx, &mut app)));
    // A new title: the scene is rebuilt, every flow stays where it was.
    let mut card = app.doc().touchpoints[1_000].clone();
    let id = card.id.clone();
    card.title = "A new title".to_owned();
    app.apply_action(
        &ctx,
        Action::Edit(Command::UpdateTouchpoint(Box::new(card))),
    );
    assert_eq!(app.doc().touchpoints[1_000].title, "A new title");
    assert_eq!(flow_mesh_vertices(&shapes(&run(&ctx, &mut app))), drawn);
    assert_eq!(
        app.canvas.flow_tiles_built(),
        0,
        "no tile rebuilt for a title"
    );
    // Deleting a card takes its flows away: the tiles are built again.
    app.apply_action(&ctx, Action::Edit(Command::DeleteTouchpoints(vec![id])));
    run(&ctx, &mut app);
    assert!(
        app.canvas.flow_tiles_built() > 0,
        "tiles rebuilt after a delete"
    );
}

/// The vertices of a frame's flow meshes in the order drawn, positions rounded to 1/100 pt.
fn flow_mesh(shapes: &[Shape]) -> Vec<(i64, i64, [u8; 4])> {
    let meshes = shapes.iter().filter_map(|s| match s {
        Shape::Mesh(m) => Some(m),
        _ => None,
    });
    let vertices: Vec<_> = meshes
        .flat_map(|m| &m.vertices)
        .map(|v| {
            let r = |x: f32| (x * 100.0).round() as i64;
            (r(v.pos.x), r(v.pos.y), v.color.to_array())
        })
        .collect();
    assert!(!vertices.is_empty(), "a flow mesh");
    vertices
}

/// The flow mesh of the same view with every tile built afresh (panning ten screens away
/// drops the tiles here, coming back builds them again), and how many tiles that built.
fn fresh_flow_mesh(
    ctx: &egui::Context,
    app: &mut StagecraftApp,
) -> (Vec<(i64, i64, [u8; 4])>, usize) {
    let view = app.canvas.view;
    app.canvas.view.offset.x -= 10.0 * app.canvas.area.width();
    run(ctx, app);
    app.canvas.view = view;
    app.canvas.flow_tiles_built();
    let fresh = flow_mesh(&shapes(&run(ctx, app)));
    (fresh, app.canvas.flow_tiles_built())
}

/// The laid-out cards, nearest the middle of the view first.
fn nearest_the_middle(app: &StagecraftApp) -> Vec<&stagecraft::model::Touchpoint> {
    let (view, area, layout) = (app.canvas.view, app.canvas.area, app.canvas.layout());
    let on_screen = |id| {
        let c = layout.card_rect(id).expect("laid out").center();
        area.min + vec2(c.x, c.y) * view.zoom + view.offset
    };
    let mut near: Vec<_> = app
        .doc()
        .touchpoints
        .iter()
        .filter(|t| layout.card_rect(&t.id).is_some())
        .collect();
    near.sort_by(|a, b| {
        let d = |id| (on_screen(id) - area.center()).length();
        d(&a.id).total_cmp(&d(&b.id))
    });
    near
}

#[test]
fn after_a_card_moves_only_tiles_its_flows_cross_are_rebuilt_and_the_flows_are_right() {
    let (ctx, mut app, all) = app_with_tiles();
    // The card drawn nearest the middle of the view, moved to the first stage.
    let doc = app.doc();
    let card = nearest_the_middle(&app)[0];
    let place = Placement {
        id: card.id.clone(),
        stage: doc.stages[0].id.clone(),
        lane: card.lane.clone(),
        position: CellPos::default(),
    };
    // A still frame copies no tile to the screen again.
    run(&ctx, &mut app);
    app.canvas.flow_tiles_copied();
    run(&ctx, &mut app);
    assert_eq!(
        app.canvas.flow_tiles_copied(),
        0,
        "a still frame copies nothing"
    );
    app.apply_action(&ctx, Action::Edit(Command::MoveTouchpoints(vec![place])));
    let after = flow_mesh(&shapes(&run(&ctx, &mut app)));
    let rebuilt = app.canvas.flow_tiles_built();
    assert!(
        rebuilt > 0 && rebuilt < all,
        "{rebuilt} of {all} tiles rebuilt"
    );
    // Only the tiles the move changed are copied again; the others stay as drawn.
    let copied = app.canvas.flow_tiles_copied();
    assert!(
        copied > 0 && copied <= rebuilt,
        "{copied} tiles copied to the screen, {rebuilt} rebuilt"
    );
    let (fresh, built) = fresh_flow_mesh(&ctx, &mut app);
    assert!(built >= all / 2);
    assert_eq!(after.len(), fresh.len());
    assert!(
        after == fresh,
        "flows drawn from kept tiles differ from a fresh build"
    );
}

#[test]
fn highlighting_a_theme_recolours_the_kept_flow_tiles_as_a_fresh_build_would() {
    let (ctx, mut app, built) = app_with_tiles();
    assert!(built > 0);
    let plain = flow_mesh(&shapes(&run(&ctx, &mut app)));
    let theme = app.doc().themes[0].id.clone();
    app.apply_action(&ctx, Action::Select(Selection::Theme(theme)));
    let highlighted = flow_mesh(&shapes(&run(&ctx, &mut app)));
    assert_eq!(
        app.canvas.flow_tiles_built(),
        0,
        "no tile rebuilt for a highlight"
    );
    assert_ne!(highlighted, plain, "flows of other themes fade");
    let (fresh, built) = fresh_flow_mesh(&ctx, &mut app);
    assert!(built > 0);
    assert_eq!(highlighted.len(), fresh.len());
    let close = |a: &(i64, i64, [u8; 4]), b: &(i64, i64, [u8; 4])| {
        a.0 == b.0 && a.1 == b.1 && a.2.iter().zip(b.2).all(|(x, y)| x.abs_diff(y) <= 2)
    };
    let off = highlighted
        .iter()
        .zip(&fresh)
        .filter(|(a, b)| !close(a, b))
        .count();
    assert_eq!(off, 0, "vertices differing from a fresh build");
    // Cleared: back to the colours before, still without a rebuild.
    app.apply_action(&ctx, Action::Select(Selection::None));
    let cleared = flow_mesh(&shapes(&run(&ctx, &mut app)));
    assert_eq!(app.canvas.flow_tiles_built(), 0);
    let off = cleared
        .iter()
        .zip(&plain)
        .filter(|(a, b)| !close(a, b))
        .count();
    assert_eq!((cleared.len(), off), (plain.len(), 0));
}

#[test]
fn clearing_a_highlight_shows_the_tiles_as_they_were_without_copying_them_again() {
    let (ctx, mut app, built) = app_with_tiles();
    assert!(built > 0);
    let plain = flow_mesh(&shapes(&run(&ctx, &mut app)));
    app.canvas.flow_tiles_copied();
    let theme = app.doc().themes[0].id.clone();
    app.apply_action(&ctx, Action::Select(Selection::Theme(theme)));
    let highlighted = flow_mesh(&shapes(&run(&ctx, &mut app)));
    assert_ne!(highlighted, plain, "flows of other themes fade");
    assert!(
        app.canvas.flow_tiles_copied() > 0,
        "the faded tiles are copied"
    );
    app.apply_action(&ctx, Action::Select(Selection::None));
    let cleared = flow_mesh(&shapes(&run(&ctx, &mut app)));
    assert_eq!(
        app.canvas.flow_tiles_copied(),
        0,
        "the tiles in their own colours were kept through the highlight"
    );
    assert!(cleared == plain, "the flows look as before the highlight");
    // One theme, then another in the same view: the second one's colours, not the
    // first's kept copies.
    let first = app.doc().themes[0].id.clone();
    app.apply_action(&ctx, Action::Select(Selection::Theme(first)));
    run(&ctx, &mut app);
    let theme = app.doc().themes[1].id.clone();
    app.apply_action(&ctx, Action::Select(Selection::Theme(theme)));
    let second = flow_mesh(&shapes(&run(&ctx, &mut app)));
    let (fresh, _) = fresh_flow_mesh(&ctx, &mut app);
    let close = |a: &(i64, i64, [u8; 4]), b: &(i64, i64, [u8; 4])| {
        a.0 == b.0 && a.1 == b.1 && a.2.iter().zip(b.2).all(|(x, y)| x.abs_diff(y) <= 2)
    };
    assert_eq!(second.len(), fresh.len());
    assert!(second.iter().zip(&fresh).all(|(a, b)| close(a, b)));
    // After a pan, the copies kept are for the old view: the tiles are copied again, and
    // clearing draws them as a fresh view would.
    app.canvas.view.offset.x -= 37.0;
    run(&ctx, &mut app);
    app.apply_action(&ctx, Action::Select(Selection::None));
    let moved = flow_mesh(&shapes(&run(&ctx, &mut app)));
    assert!(app.canvas.flow_tiles_copied() > 0);
    let (fresh, _) = fresh_flow_mesh(&ctx, &mut app);
    assert!(
        moved == fresh,
        "after a pan, the cleared flows are those of a fresh build"
    );
}

/// Checks that the tiles built since the last look are some, and fewer than half of `all`.
fn few_tiles_rebuilt(app: &mut StagecraftApp, all: usize) {
    let rebuilt = app.canvas.flow_tiles_built();
    assert!(
        rebuilt > 0 && rebuilt < all / 2,
        "{rebuilt} of {all} tiles rebuilt"
    );
}

/// Checks that the flows `drawn` from kept tiles are those a fresh build draws.
fn same_as_a_fresh_build(
    ctx: &egui::Context,
    app: &mut StagecraftApp,
    drawn: &[(i64, i64, [u8; 4])],
) {
    let (fresh, _) = fresh_flow_mesh(ctx, app);
    assert!(
        drawn == fresh.as_slice(),
        "flows drawn from kept tiles differ from a fresh build"
    );
}

#[test]
fn an_arrow_drawn_or_undone_rebuilds_only_the_tiles_it_crosses_and_the_flows_are_right() {
    let (ctx, mut app, all) = app_with_tiles();
    // The two cards drawn nearest the middle of the view, in different cells.
    let near = nearest_the_middle(&app);
    let from = near[0];
    let to = near
        .iter()
        .find(|t| (t.stage.clone(), t.lane.clone()) != (from.stage.clone(), from.lane.clone()))
        .expect("a card in another cell");
    let flow = stagecraft::model::Flow {
        id: stagecraft::model::FlowId::new("drawn-in-the-test"),
        from: from.id.clone(),
        to: to.id.clone(),
        label: String::new(),
        extra: Default::default(),
    };
    let before = flow_mesh(&shapes(&run(&ctx, &mut app)));
    app.canvas.flow_tiles_built();
    app.apply_action(&ctx, Action::Edit(Command::AddFlow(flow)));
    let drawn = flow_mesh(&shapes(&run(&ctx, &mut app)));
    few_tiles_rebuilt(&mut app, all);
    assert!(drawn.len() > before.len(), "the new arrow is drawn");
    same_as_a_fresh_build(&ctx, &mut app, &drawn);
    // Undone: the arrow is the last flow, removed from the end of the list.
    app.apply_action(&ctx, Action::Ui(stagecraft::ui::commands::UiCommand::Undo));
    let undone = flow_mesh(&shapes(&run(&ctx, &mut app)));
    few_tiles_rebuilt(&mut app, all);
    assert!(undone == before, "undone, the flows are as they were");
}

/// A card deleted from inside the list (its flows with it) keeps the tiles it does not
/// cross: the tiles' pieces follow the flows to their new places. Undone, the card and its
/// flows come back, and the flows drawn are a fresh build's both times.
#[test]
fn a_card_deleted_or_undone_rebuilds_only_the_tiles_its_flows_cross_and_the_flows_are_right() {
    let (ctx, mut app, all) = app_with_tiles();
    let gone = nearest_the_middle(&app)[0].id.clone();
    let at = app.doc().touchpoints.iter().position(|t| t.id == gone);
    assert!(
        at.is_some_and(|i| i + 1 < app.doc().touchpoints.len()),
        "the card is inside the list"
    );
    let before = flow_mesh(&shapes(&run(&ctx, &mut app)));
    app.canvas.flow_tiles_built();
    app.apply_action(&ctx, Action::Edit(Command::DeleteTouchpoints(vec![gone])));
    let deleted = flow_mesh(&shapes(&run(&ctx, &mut app)));
    few_tiles_rebuilt(&mut app, all);
    assert!(deleted.len() < before.len(), "the card's flows are gone");
    same_as_a_fresh_build(&ctx, &mut app, &deleted);
    app.apply_action(&ctx, Action::Ui(stagecraft::ui::commands::UiCommand::Undo));
    let undone = flow_mesh(&shapes(&run(&ctx, &mut app)));
    few_tiles_rebuilt(&mut app, all);
    assert!(undone == before, "undone, the flows are as they were");
}
