//! The canvas scene as drawn: titles, themes, flows and marks where they belong, labels
//! whole and clear of cards, dimming for a highlighted theme.

use super::*;
use crate::model::{Color, Flow, FlowId, Theme, ThemeId, Touchpoint};
use crate::scene::{GroupId, Item, Point, Rect, Rgba};

/// Every flow label of every sample is drawn whole (its lines give back the label),
/// on top of the cards, and on no card: the samples leave a free spot along each flow.
#[test]
fn flow_labels_are_whole_and_sit_on_no_card() {
    for name in [
        "coffee-shop",
        "hotel-stay",
        "employee-onboarding",
        "omnichannel-retail",
    ] {
        let path = format!("{}/samples/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let doc = crate::io::load_path(std::path::Path::new(&path))
            .expect("sample")
            .document;
        let layout = Layout::compute(&doc);
        let scene = build_canvas(&doc, &layout, &CanvasOptions::plain(&Palette::light()));
        let start = |id: &GroupId| scene.groups.iter().position(|g| g.id == *id);
        let cards = start(&GroupId::Layer("cards")).expect("cards");
        let labels = start(&GroupId::Layer("flow-labels"));
        for (f, flow) in doc.flows.iter().enumerate() {
            let Some(g) = start(&GroupId::FlowLabel(u32::try_from(f).expect("few"))) else {
                assert!(
                    flow.label.trim().is_empty(),
                    "{name}: {} has a label",
                    flow.id
                );
                continue;
            };
            assert!(
                labels.is_some_and(|l| l > cards && g > l),
                "labels after the cards"
            );
            let from = scene.groups[g].start;
            let to = scene
                .groups
                .get(g + 1)
                .map_or(scene.items.len(), |n| n.start);
            let Item::Rect { rect, .. } = &scene.items[from] else {
                panic!("{name}: label {} has no background", flow.id);
            };
            assert!(
                !layout.overlaps_card(*rect),
                "{name}: label {} on a card",
                flow.id
            );
            let words: Vec<&str> = scene.items[from + 1..to]
                .iter()
                .filter_map(|i| match i {
                    Item::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .flat_map(str::split_whitespace)
                .collect();
            let whole: Vec<&str> = flow.label.split_whitespace().collect();
            assert_eq!(words, whole, "{name}: label {} drawn whole", flow.id);
        }
    }
}

/// A label whose flow crosses cards everywhere still gets drawn, at the middle, and
/// `overlaps_card` sees the cards it covers.
#[test]
fn overlaps_card_finds_the_cards_a_rectangle_touches() {
    let path = format!("{}/samples/hotel-stay.json", env!("CARGO_MANIFEST_DIR"));
    let doc = crate::io::load_path(std::path::Path::new(&path))
        .expect("sample")
        .document;
    let layout = Layout::compute(&doc);
    for (_, r) in layout.cards() {
        assert!(layout.overlaps_card(Rect::from_center_size(r.center(), 4.0, 4.0)));
        assert!(layout.overlaps_card(Rect::from_center_size(r.max, 2.0, 2.0)));
    }
    let b = layout.bounds();
    assert!(!layout.overlaps_card(Rect::from_min_size(b.min, 10.0, 10.0)));
    assert!(!layout.overlaps_card(Rect::from_min_size(b.max, 10.0, 10.0)));
}

fn sample() -> Document {
    let mut doc = Document::new_canvas();
    doc.title = "Zażółć gęślą jaźń — café crème".into();
    doc.themes.push(Theme {
        id: ThemeId::from("warm"),
        name: "Warm welcome".into(),
        color: Color::rgb(0xe0, 0x7a, 0x5f),
        intent: Default::default(),
        tone: vec![],
        extra: Default::default(),
    });
    let mut a = Touchpoint::new(
        "a".into(),
        "Finds the café on a map",
        "discover".into(),
        "web".into(),
    );
    a.themes.push(ThemeId::from("warm"));
    a.flags.pain_point = true;
    let b = Touchpoint::new(
        "b".into(),
        "Orders at the counter",
        "choose".into(),
        "store".into(),
    );
    doc.touchpoints = vec![a, b];
    doc.flows.push(Flow {
        id: FlowId::from("f1"),
        from: "a".into(),
        to: "b".into(),
        label: String::new(),
        extra: Default::default(),
    });
    doc
}

#[test]
fn canvas_draws_titles_themes_flows_and_marks() {
    let doc = sample();
    let mut doc = doc;
    // A loop from the last card back to the first, routed below the cards.
    doc.flows.push(Flow {
        id: FlowId::from("back"),
        from: "b".into(),
        to: "a".into(),
        label: "again".into(),
        extra: Default::default(),
    });
    doc.touchpoints[1].lane = "backstage".into();
    let layout = Layout::compute(&doc);
    let palette = Palette::light();
    let scene = build_canvas(
        &doc,
        &layout,
        &CanvasOptions {
            palette: &palette,
            report: None,
            highlight_theme: None,
            finding_markers: true,
            hatch_assumed: false,
        },
    );
    assert_eq!(scene.bounds, layout.bounds());
    let texts: Vec<&str> = scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    for expected in ["Discover", "ZMOT", "Web & app", "Orders at the counter"] {
        assert!(
            texts.contains(&expected),
            "{expected} missing from {texts:?}"
        );
    }
    let warm = Rgba::rgb(0xe0, 0x7a, 0x5f);
    assert!(
        scene
            .items
            .iter()
            .any(|i| matches!(i, Item::Rect { fill, .. } if *fill == warm))
    );
    assert!(
        scene
            .items
            .iter()
            .any(|i| matches!(i, Item::Circle { fill, .. } if *fill == palette.pain_point))
    );
    assert_eq!(
        scene
            .items
            .iter()
            .filter(|i| matches!(
                i,
                Item::Curve {
                    arrow_head: true,
                    ..
                }
            ))
            .count(),
        2
    );
    assert!(
        scene.items.iter().any(|i| matches!(
            i,
            Item::Curve {
                dashed: true,
                arrow_head: true,
                ..
            }
        )),
        "the loop back is dashed"
    );
    // Every item stays within the grid; curves are sampled (their control points may
    // lie outside, the curve itself must not).
    let grid = layout.bounds().expand(1.0);
    for item in &scene.items {
        let points: Vec<Point> = match item {
            Item::Curve {
                from,
                ctrl1,
                ctrl2,
                to,
                ..
            } => (0..=20)
                .map(|i| crate::scene::cubic_point(*from, *ctrl1, *ctrl2, *to, i as f32 / 20.0))
                .collect(),
            other => vec![other.bounds().min, other.bounds().max],
        };
        for pt in points {
            assert!(grid.contains(pt), "{item:?} leaves the grid at {pt:?}");
        }
    }
}

#[test]
fn card_texts_stay_inside_their_cards() {
    let mut doc = sample();
    doc.touchpoints[1].title = "A very long title that goes on and on about the barista who remembers everything you ever ordered".into();
    doc.touchpoints[1].department = "Operations and customer service".into();
    doc.touchpoints[0].notes =
        "Most people find us through the map app; reviews mention the wait and the smile.".into();
    doc.touchpoints[1].flags.magic_moment = true;
    doc.touchpoints[1].flags.memorabilia = true;
    let layout = Layout::compute(&doc);
    let palette = Palette::light();
    let scene = build_canvas(&doc, &layout, &CanvasOptions::plain(&palette));
    for id in ["a", "b"] {
        let card = layout.card_rect(&id.into()).expect("laid out");
        let inside: Vec<Rect> = scene
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { .. } if card.contains(i.bounds().center()) => Some(i.bounds()),
                _ => None,
            })
            .collect();
        assert!(inside.len() >= 3, "title lines and department or notes");
        for (i, a) in inside.iter().enumerate() {
            assert!(
                card.contains(a.min) && card.contains(a.max),
                "{a:?} leaves {card:?}"
            );
            for b in &inside[i + 1..] {
                assert!(!a.intersects(*b), "text boxes overlap: {a:?} {b:?}");
            }
        }
    }
}

#[test]
fn highlighting_a_theme_dims_the_other_cards() {
    let doc = sample();
    let layout = Layout::compute(&doc);
    let palette = Palette::light();
    let warm = ThemeId::from("warm");
    let scene = build_canvas(
        &doc,
        &layout,
        &CanvasOptions {
            highlight_theme: Some(&warm),
            ..CanvasOptions::plain(&palette)
        },
    );
    let title_alpha = |t: &str| {
        scene.items.iter().find_map(|i| match i {
            Item::Text { text, color, .. } if text == t => Some(color.a),
            _ => None,
        })
    };
    assert_eq!(title_alpha("Finds the café on a map"), Some(255));
    assert!(title_alpha("Orders at the counter").is_some_and(|a| a < 128));
    // The flow from the warm card to the other one fades with the other one.
    let flow_alpha = |scene: &Scene| {
        scene.items.iter().find_map(|i| match i {
            Item::Curve {
                color,
                arrow_head: true,
                ..
            } => Some(color.a),
            _ => None,
        })
    };
    let plain = build_canvas(&doc, &layout, &CanvasOptions::plain(&palette));
    let (Some(faded), Some(full)) = (flow_alpha(&scene), flow_alpha(&plain)) else {
        panic!("no flow drawn");
    };
    assert!(faded < full / 2, "{faded} against {full}");
}
