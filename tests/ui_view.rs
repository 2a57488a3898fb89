//! The views the canvas shows, driven headless (`egui_kittest)`: the view each sample opens
//! in can be read, headers stay on screen while panning, a narrow window leaves the canvas
//! the room, and clicking a finding brings its cards into view without losing the journey.

use egui::{Key, Pos2, Rect, Vec2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::StagecraftApp;
use stagecraft::model::{Document, TouchpointId};
use stagecraft::scene::style::{CARD_PAD, CARD_TITLE_SIZE};
use stagecraft::scene::{Item, Weight};
use stagecraft::scoring::Target;
use stagecraft::ui::canvas::LEGIBLE_TITLE;

const WIDE: Vec2 = Vec2::new(1600.0, 1000.0);
const NARROW: Vec2 = Vec2::new(1024.0, 700.0);

/// Every canvas in `samples/`, by file name.
fn samples() -> Vec<(String, Document)> {
    let mut paths: Vec<_> = std::fs::read_dir("samples")
        .expect("samples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no samples");
    paths
        .into_iter()
        .map(|p| {
            let doc = stagecraft::io::load_path(&p)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
                .document;
            (p.display().to_string(), doc)
        })
        .collect()
}

fn open(doc: Document, size: Vec2) -> Harness<'static, StagecraftApp> {
    let mut h = Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut StagecraftApp| app.show(ui),
        StagecraftApp::new_with(doc),
    );
    h.run();
    h
}

/// On-screen heights (points) of the card titles the last frame drew: bold lines at a
/// card's left padding (the finding count is bold too, in the corner), from the scene's
/// text sizes and the zoom.
fn title_heights(h: &Harness<StagecraftApp>) -> Vec<f32> {
    let canvas = &h.state().canvas;
    let cards: Vec<_> = canvas.layout().cards().map(|(_, r)| r).collect();
    canvas
        .visible_items()
        .filter_map(|i| match i {
            Item::Text {
                pos,
                size,
                weight: Weight::Bold,
                ..
            } if cards
                .iter()
                .any(|c| c.contains(*pos) && (pos.x - c.min.x - CARD_PAD).abs() < 0.01) =>
            {
                Some(size * canvas.view.zoom)
            }
            _ => None,
        })
        .collect()
}

fn inside(outer: Rect, r: Rect) -> bool {
    outer.expand(0.5).contains_rect(r)
}

#[test]
fn every_sample_opens_with_card_titles_that_can_be_read() {
    for (name, doc) in samples() {
        for size in [WIDE, NARROW] {
            let h = open(doc.clone(), size);
            let canvas = &h.state().canvas;
            let area = canvas.area;
            let zoom = canvas.view.zoom;
            let heights = title_heights(&h);
            assert!(
                heights.len() >= 4,
                "{name} at {size:?}: {} titles on screen at zoom {zoom}",
                heights.len()
            );
            let smallest = heights.iter().copied().fold(f32::INFINITY, f32::min);
            assert!(
                smallest >= LEGIBLE_TITLE - 1e-3,
                "{name} at {size:?}: titles {smallest} points high at zoom {zoom}"
            );
            assert!(
                CARD_TITLE_SIZE * zoom >= LEGIBLE_TITLE - 1e-3,
                "{name} at {size:?}: zoom {zoom}"
            );
            assert!(zoom <= 1.0, "{name} at {size:?}: zoom {zoom} past 100%");
            // From the top-left corner: the first stage's header and the first lane's name.
            let first_stage = canvas
                .stage_header_on_screen(&doc.stages[0].id)
                .expect("first stage");
            let first_lane = canvas
                .lane_header_on_screen(&doc.lanes[0].id)
                .expect("first lane");
            assert!(
                inside(area, first_stage),
                "{name} at {size:?}: {first_stage:?} outside {area:?}"
            );
            assert!(
                inside(area, first_lane),
                "{name} at {size:?}: {first_lane:?} outside {area:?}"
            );
            // The height is used: the grid reaches the bottom of the canvas, or all its
            // height is in view at 100% (or the whole journey is).
            let far = canvas.screen_pos(canvas.layout().bounds().max);
            assert!(
                far.y >= area.max.y - 30.0
                    || (far.y <= area.max.y && (zoom == 1.0 || area.contains(far))),
                "{name} at {size:?}: grid ends at {far:?}, canvas {area:?}"
            );
        }
    }
}

#[test]
fn a_sample_opened_from_the_start_screen_opens_legible() {
    let samples = stagecraft::ui::files::find_samples();
    let first = samples.first().expect("bundled samples").clone();
    let mut h = Harness::builder().with_size(NARROW).build_ui_state(
        |ui, app: &mut StagecraftApp| app.show(ui),
        StagecraftApp::new_start(samples),
    );
    h.run();
    h.get_by_label(&stagecraft::ui::files::pretty_name(&first.name))
        .click();
    h.run();
    let zoom = h.state().canvas.view.zoom;
    assert!(
        CARD_TITLE_SIZE * zoom >= LEGIBLE_TITLE - 1e-3,
        "zoom {zoom}"
    );
    assert!(zoom <= 1.0);
}

/// Space+drag, repeated, until the content has moved by about `by`.
fn pan(h: &mut Harness<StagecraftApp>, by: Vec2) {
    let area = h.state().canvas.area;
    let max = area.size() * 0.6;
    let mut left = by;
    h.key_down(Key::Space);
    h.run();
    while left.length() > 1.0 {
        let step = vec2(left.x.clamp(-max.x, max.x), left.y.clamp(-max.y, max.y));
        let from = area.center() - step / 2.0;
        let to = from + step;
        let before = h.state().canvas.view.offset;
        h.hover_at(from);
        h.run();
        h.drag_at(from);
        h.run();
        for t in [0.25, 0.5, 0.75, 1.0] {
            h.hover_at(from + step * t);
            h.run();
        }
        h.drop_at(to);
        h.run();
        let moved = h.state().canvas.view.offset - before;
        assert!(moved.length() > 1.0, "space+drag pans");
        left -= step;
    }
    h.key_up(Key::Space);
    h.run();
}

#[test]
fn stage_and_lane_names_stay_on_screen_after_a_pan() {
    for (name, doc) in samples() {
        for size in [WIDE, NARROW] {
            let mut h = open(doc.clone(), size);
            let offset0 = h.state().canvas.view.offset;
            let bounds = h.state().canvas.layout().bounds();
            let zoom = h.state().canvas.view.zoom;
            // Towards the far corner of the journey, leaving some of it on screen.
            let area = h.state().canvas.area;
            let far = h.state().canvas.screen_pos(bounds.max);
            let by = vec2(
                -(far.x - area.max.x).max(0.0) - area.width() * 0.3,
                -(far.y - area.max.y).max(0.0) - area.height() * 0.3,
            );
            pan(&mut h, by);
            let canvas = &h.state().canvas;
            let moved = canvas.view.offset - offset0;
            assert!(
                moved.x < -300.0 && moved.y < -200.0,
                "{name} at {size:?}: panned by {moved:?} (zoom {zoom})"
            );
            let pins = canvas.pins();
            assert!(
                pins.row.is_some() && pins.column.is_some(),
                "{name} at {size:?}: {pins:?}"
            );
            let area = canvas.area;
            let mut stages_seen = 0;
            for s in &doc.stages {
                let r = canvas
                    .stage_header_on_screen(&s.id)
                    .expect("stage laid out");
                // A stage scrolled off sideways is gone; the others keep their header at
                // the top edge.
                if r.max.x <= area.min.x || r.min.x >= area.max.x {
                    continue;
                }
                stages_seen += 1;
                assert!(
                    (r.min.y - area.min.y).abs() < 0.5 && r.max.y <= area.max.y,
                    "{name} at {size:?}: stage {} header at {r:?}, canvas {area:?}",
                    s.id
                );
            }
            let mut lanes_seen = 0;
            for l in &doc.lanes {
                let r = canvas.lane_header_on_screen(&l.id).expect("lane laid out");
                if r.max.y <= area.min.y || r.min.y >= area.max.y {
                    continue;
                }
                lanes_seen += 1;
                assert!(
                    (r.min.x - area.min.x).abs() < 0.5 && r.max.x <= area.max.x,
                    "{name} at {size:?}: lane {} header at {r:?}, canvas {area:?}",
                    l.id
                );
            }
            assert!(stages_seen > 0 && lanes_seen > 0, "{name} at {size:?}");
            // A click on a pinned lane name selects that lane.
            let lane = doc
                .lanes
                .iter()
                .rev()
                .find(|l| {
                    canvas
                        .lane_header_on_screen(&l.id)
                        .is_some_and(|r| inside(area, r) && r.min.y > area.min.y + 80.0)
                })
                .map(|l| (l.id.clone(), canvas.lane_header_on_screen(&l.id)));
            if let Some((id, Some(r))) = lane {
                let p = r.center();
                h.hover_at(p);
                h.run();
                h.drag_at(p);
                h.drop_at(p);
                h.run();
                assert_eq!(
                    h.state().selection,
                    stagecraft::ui::action::Selection::Lane(id),
                    "{name} at {size:?}"
                );
            }
        }
    }
}

#[test]
fn a_narrow_window_hides_the_side_panels_until_the_user_shows_them() {
    let (_, doc) = samples().remove(0);
    let mut h = open(doc.clone(), NARROW);
    assert!(!h.state().show_palette && !h.state().show_inspector);
    assert!(
        h.state().canvas.area.width() > 1000.0,
        "the canvas takes the window"
    );
    h.get_by_label("Panels").click();
    h.run();
    assert!(h.state().show_palette && h.state().show_inspector);
    h.run();
    assert!(
        h.state().show_palette && h.state().show_inspector,
        "the user's choice holds"
    );
    let h = open(doc, WIDE);
    assert!(h.state().show_palette && h.state().show_inspector);
}

/// Canvas rectangles of the cards a finding names.
fn targets(h: &Harness<StagecraftApp>, targets: &[Target]) -> Vec<Rect> {
    let canvas = &h.state().canvas;
    targets
        .iter()
        .filter_map(|t| match t {
            Target::Touchpoint(id) => canvas.card_screen_rect(id),
            _ => None,
        })
        .collect()
}

fn click_finding(h: &mut Harness<StagecraftApp>, message: &str) {
    // The inspector lists "Fix first" and the points each rule costs above the findings:
    // bring the finding into view, as a user scrolls to it.
    h.query_all_by_label(message)
        .next()
        .unwrap_or_else(|| panic!("finding {message:?} listed"))
        .scroll_to_me();
    h.run();
    h.query_all_by_label(message)
        .next()
        .unwrap_or_else(|| panic!("finding {message:?} listed"))
        .click();
    h.run();
}

#[test]
fn clicking_a_finding_frames_its_cards_without_zooming_past_100_percent() {
    let hotel = samples()
        .into_iter()
        .find(|(n, _)| n.contains("hotel"))
        .map(|(_, d)| d)
        .expect("the hotel sample");
    let mut h = open(hotel, WIDE);
    let findings: Vec<_> = h
        .state()
        .report()
        .rules
        .iter()
        .flat_map(|r| {
            r.findings
                .iter()
                .take(stagecraft::ui::report::FINDINGS_SHOWN)
        })
        .filter(|f| f.targets.iter().any(|t| matches!(t, Target::Touchpoint(_))))
        .cloned()
        .collect();
    let on_screen = |h: &Harness<StagecraftApp>, f: &stagecraft::scoring::Finding| {
        let content = h.state().canvas.content_area();
        targets(h, &f.targets).iter().all(|r| inside(content, *r))
    };
    let away = findings
        .iter()
        .find(|f| !on_screen(&h, f))
        .expect("a finding about cards out of view")
        .clone();
    click_finding(&mut h, &away.message);
    let zoom = h.state().canvas.view.zoom;
    assert!(zoom <= 1.0, "zoom {zoom}");
    assert!(
        CARD_TITLE_SIZE * zoom >= LEGIBLE_TITLE - 1e-3,
        "still readable: {zoom}"
    );
    assert!(
        on_screen(&h, &away),
        "{:?} framed: {:?} in {:?}",
        away.message,
        targets(&h, &away.targets),
        h.state().canvas.content_area()
    );
    let ids: Vec<TouchpointId> = away
        .targets
        .iter()
        .filter_map(|t| match t {
            Target::Touchpoint(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    assert!(ids.iter().all(|id| h.state().selection.contains_card(id)));

    // A finding whose cards are in view already: the view stays as it is.
    let near = findings
        .iter()
        .find(|f| on_screen(&h, f))
        .expect("a finding about cards in view")
        .clone();
    let view = h.state().canvas.view;
    click_finding(&mut h, &near.message);
    assert_eq!(h.state().canvas.view, view, "{:?}", near.message);
}

#[test]
fn pointer_over_a_pinned_header_still_hits_it() {
    // The header row pinned: a press on a stage name there is not a rubber band.
    let (_, doc) = samples().remove(0);
    let mut h = open(doc, WIDE);
    h.state_mut().canvas.view.offset.y -= 600.0;
    h.run();
    let canvas = &h.state().canvas;
    assert!(canvas.pins().row.is_some());
    let stage = canvas.layout().stages()[1].clone();
    let r = canvas.stage_header_on_screen(&stage).expect("stage");
    let p: Pos2 = r.center();
    h.hover_at(p);
    h.run();
    h.drag_at(p);
    h.drop_at(p);
    h.run();
    assert_eq!(
        h.state().selection,
        stagecraft::ui::action::Selection::Stage(stage)
    );
}

/// Whether the last frame drew the hover handle: a white disc ringed in the accent colour.
fn hover_handle_drawn(h: &Harness<StagecraftApp>) -> bool {
    fn has(shape: &egui::Shape) -> bool {
        match shape {
            egui::Shape::Vec(v) => v.iter().any(has),
            egui::Shape::Circle(c) => {
                c.fill == stagecraft::ui::tokens::HANDLE_FILL
                    && c.stroke.color == stagecraft::ui::tokens::ACCENT
            }
            _ => false,
        }
    }
    h.output().shapes.iter().any(|s| has(&s.shape))
}

#[test]
fn a_card_under_a_pinned_lane_header_is_not_hovered_through_it() {
    // A press on the pinned lane column selects the lane; hovering there must not
    // outline and offer the handle of a card hidden under it.
    let (_, doc) = samples().remove(0);
    let mut h = open(doc, WIDE);
    let z = h.state().canvas.view.zoom;
    let column = stagecraft::scene::style::LANE_HEADER_W * z;
    let area = h.state().canvas.area;
    // Pan sideways by small steps until a card straddles the pinned column's right edge.
    let mut found = None;
    for _ in 0..80 {
        h.state_mut().canvas.view.offset.x -= 12.0;
        h.run();
        let canvas = &h.state().canvas;
        if canvas.pins().column.is_none() {
            continue;
        }
        let edge = area.min.x + column;
        found = canvas.layout().cards().find_map(|(id, _)| {
            let r = canvas.card_screen_rect(id)?;
            (r.min.x < edge - 20.0
                && r.max.x > edge + 40.0
                && r.min.y > area.min.y + 200.0
                && r.max.y < area.max.y)
                .then(|| (id.clone(), r, edge))
        });
        if found.is_some() {
            break;
        }
    }
    let (id, r, edge) = found.expect("a card straddling the pinned lane column");
    h.hover_at(Pos2::new(edge + 20.0, r.center().y));
    h.run();
    h.run();
    assert!(hover_handle_drawn(&h), "{id}: hovered where it shows");
    h.hover_at(Pos2::new(edge - 10.0, r.center().y));
    h.run();
    h.run();
    assert!(
        !hover_handle_drawn(&h),
        "{id}: hovered through the lane header"
    );
}
