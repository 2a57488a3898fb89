//! Export end to end: PNG size, DPI, content and the canvas riding inside; SVG as XML; PDF
//! pages; damaged and hostile PNGs refused with clear messages; the CLI's export command.

use stagecraft::export::{self, ExportOptions, Format, Orientation, Paper, Tiles};
use stagecraft::io;
use stagecraft::model::Document;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const UNICODE_TITLE: &str = "Zażółć gęślą jaźń — café crème";

/// A small but complete café journey: themes, flags, a top task, flows with a loop back.
fn cafe() -> Document {
    let json = serde_json::json!({
        "format": "stagecraft", "version": 1,
        "title": UNICODE_TITLE,
        "persona": {"name": "Camille, commuter", "goal": "a good coffee in under five minutes"},
        "stages": [
            {"id": "discover", "name": "Discover", "moment": "ZMOT"},
            {"id": "choose", "name": "Choose", "moment": "FMOT"},
            {"id": "visit", "name": "Experience", "moment": "SMOT"},
            {"id": "share", "name": "Share", "moment": "UMOT"}
        ],
        "lanes": [
            {"id": "web", "name": "Web & app", "kind": "digital"},
            {"id": "store", "name": "Café", "kind": "physical"},
            {"id": "staff", "name": "Barista & phone", "kind": "human"},
            {"id": "back", "name": "Backstage", "kind": "backstage"}
        ],
        "themes": [
            {"id": "warm", "name": "Warm welcome", "color": "#e07a5f", "tone": ["warm"], "intent": {"feel": "at home"}},
            {"id": "craft", "name": "Craft & care", "color": "#3d5a80", "tone": ["precise"]},
            {"id": "local", "name": "Local roots", "color": "#81b29a"}
        ],
        "touchpoints": [
            {"id": "t1", "title": "Finds the café on a map", "stage": "discover", "lane": "web", "themes": ["local"], "emotion": 1, "department": "Marketing"},
            {"id": "t2", "title": "Sees the chalkboard: «Żurek dnia»", "stage": "discover", "lane": "store", "themes": ["craft"]},
            {"id": "t3", "title": "Orders ahead in the app", "stage": "choose", "lane": "web", "themes": ["craft"], "emotion": -1,
             "flags": {"pain_point": true}, "top_task": {"task": "order my usual", "steps": 9, "max_steps": 5}, "department": "IT"},
            {"id": "t4", "title": "Queue at the counter", "stage": "choose", "lane": "store", "emotion": -2, "flags": {"pain_point": true}},
            {"id": "t5", "title": "Barista remembers name and usual order", "stage": "visit", "lane": "staff", "themes": ["warm"], "emotion": 2, "flags": {"magic_moment": true}},
            {"id": "t6", "title": "Latte art with the shop's logo", "stage": "visit", "lane": "store", "themes": ["warm", "craft"], "emotion": 2, "flags": {"memorabilia": true}},
            {"id": "t7", "title": "Milk delivered at 6 am", "stage": "visit", "lane": "back", "themes": ["local"], "actor": "employee", "department": "Supply"},
            {"id": "t8", "title": "Posts a photo of the cup", "stage": "share", "lane": "web", "themes": ["warm"], "emotion": 2}
        ],
        "flows": [
            {"id": "f1", "from": "t1", "to": "t3"},
            {"id": "f2", "from": "t3", "to": "t5", "label": "pick-up"},
            {"id": "f3", "from": "t4", "to": "t5"},
            {"id": "f4", "from": "t5", "to": "t6"},
            {"id": "f5", "from": "t6", "to": "t8"},
            {"id": "f6", "from": "t8", "to": "t1"}
        ]
    });
    io::load_str("cafe.json", &json.to_string())
        .expect("the test canvas is valid")
        .document
}

fn a3_300_landscape() -> ExportOptions {
    ExportOptions {
        paper: Paper::A3,
        orientation: Orientation::Landscape,
        dpi: 300.0,
        ..ExportOptions::default()
    }
}

struct Decoded {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    dpi: Option<f32>,
}

fn decode(bytes: &[u8]) -> Decoded {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG the png crate reads");
    let dpi = reader.info().pixel_dims.and_then(|d| {
        (d.unit == png::Unit::Meter && d.xppu == d.yppu).then_some(d.xppu as f32 * 0.0254)
    });
    let mut buf = vec![0; reader.output_buffer_size().expect("sized")];
    let frame = reader.next_frame(&mut buf).expect("pixels decode");
    assert_eq!(frame.color_type, png::ColorType::Rgb);
    buf.truncate(frame.buffer_size());
    Decoded {
        width: frame.width,
        height: frame.height,
        rgb: buf,
        dpi,
    }
}

/// Asserts the things every exported A3 300 dpi landscape PNG of `doc` must satisfy.
fn check_a3_png(name: &str, doc: &Document, bytes: &[u8]) {
    let img = decode(bytes);
    assert_eq!(
        (img.width, img.height),
        (4961, 3508),
        "{name}: A3 landscape at 300 dpi"
    );
    let dpi = img.dpi.expect("pHYs chunk present");
    assert!((dpi - 300.0).abs() < 0.01, "{name}: pHYs says {dpi} dpi");
    // Not blank: plenty of ink and several distinct colours.
    let pixels = img.rgb.chunks_exact(3);
    let total = pixels.len();
    let ink = pixels.clone().filter(|p| p != &[255, 255, 255]).count();
    assert!(
        ink * 20 > total,
        "{name}: only {ink} of {total} pixels are not white"
    );
    let colours: HashSet<&[u8]> = img.rgb.chunks_exact(3).step_by(7).collect();
    assert!(colours.len() > 50, "{name}: only {} colours", colours.len());
    // The canvas travels inside and comes back identical.
    let loaded = io::load_bytes(&format!("{name}.png"), bytes).expect("the PNG opens as a canvas");
    assert_eq!(&loaded.document, doc, "{name}: embedded canvas differs");
}

#[test]
fn png_a3_300_dpi_has_size_dpi_ink_and_the_canvas_inside() {
    let doc = cafe();
    let pngs = export::render_png(&doc, &a3_300_landscape()).expect("exports");
    assert_eq!(pngs.len(), 1);
    check_a3_png("cafe", &doc, &pngs[0]);
}

#[test]
fn every_sample_exports_to_a3_png() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let entries = std::fs::read_dir(&dir).expect("the samples/ folder exists");
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 4,
        "the four bundled samples, found {files:?}"
    );
    for file in files {
        let doc = io::load_path(&file).expect("samples are valid").document;
        let pngs = export::render_png(&doc, &a3_300_landscape()).expect("exports");
        check_a3_png(&file.display().to_string(), &doc, &pngs[0]);
    }
}

#[test]
fn every_text_on_the_page_has_glyphs_in_the_embedded_font() {
    let doc = cafe();
    let pages = export::pages_for(&doc, &a3_300_landscape()).expect("composes");
    let mut seen_title = false;
    for layer in &pages[0].layers {
        for item in &layer.scene.items {
            if let stagecraft::scene::Item::Text { text, weight, .. } = item {
                seen_title |= text == UNICODE_TITLE;
                let missing = stagecraft::scene::text::missing_glyphs(text, *weight);
                assert!(missing.is_empty(), "{text:?} needs glyphs {missing:?}");
            }
        }
    }
    assert!(seen_title, "the Polish and French title is drawn whole");
}

#[test]
fn svg_is_xml_with_searchable_text_and_the_canvas() {
    let doc = cafe();
    let svgs = export::render_svg(&doc, &a3_300_landscape()).expect("exports");
    let svg = &svgs[0];
    let xml = resvg::usvg::roxmltree::Document::parse(svg).expect("the SVG parses as XML");
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("420mm"));
    assert_eq!(root.attribute("height"), Some("297mm"));
    let texts: Vec<String> = xml
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect();
    assert!(texts.iter().any(|t| t == UNICODE_TITLE), "title as text");
    assert!(texts.iter().any(|t| t == "Orders ahead in the app"));
    let meta = xml
        .descendants()
        .find(|n| n.has_tag_name("metadata"))
        .and_then(|n| n.text())
        .expect("the canvas rides in <metadata>");
    let back = io::load_str("meta", meta).expect("the metadata is a canvas");
    assert_eq!(back.document, doc);
    // resvg reads it too.
    assert!(export::raster::parse_svg(svg).is_ok());
    // The SVG file itself opens as the canvas (Open, drag and drop, `check`, `score`).
    let reopened = io::load_bytes("cafe.svg", svg.as_bytes()).expect("the SVG opens");
    assert_eq!(reopened.document, doc);
    // An SVG from elsewhere, or one whose canvas is cut, is refused with a message.
    let foreign = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>"#;
    let err = io::load_bytes("logo.svg", foreign.as_bytes())
        .expect_err("no canvas")
        .to_string();
    assert!(
        err.starts_with("logo.svg:1:1: this SVG carries no canvas"),
        "{err}"
    );
    let cut = &svg[..svg.find("</metadata>").expect("metadata") - 10];
    let err = io::load_bytes("cut.svg", cut.as_bytes())
        .expect_err("cut")
        .to_string();
    assert!(err.contains("cut short"), "{err}");
}

/// A designer restyling the poster in a vector editor finds it in named groups: one
/// `<g id="card-ID">` per card (holding that card's title), one per flow, and the layers.
#[test]
fn svg_has_named_groups_for_layers_and_every_card() {
    let doc = io::load_path(Path::new("samples/hotel-stay.json"))
        .expect("sample")
        .document;
    let svgs = export::render_svg(&doc, &a3_300_landscape()).expect("exports");
    let xml = resvg::usvg::roxmltree::Document::parse(&svgs[0]).expect("XML");
    let groups: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("id").is_some())
        .collect();
    let ids: HashSet<&str> = groups.iter().filter_map(|g| g.attribute("id")).collect();
    assert_eq!(ids.len(), groups.len(), "ids are unique");
    for layer in [
        "lane-bands",
        "stages",
        "lanes",
        "flows",
        "cards",
        "title",
        "legend-themes",
        "legend-marks",
        "summary",
    ] {
        assert!(ids.contains(layer), "layer {layer} in {ids:?}");
    }
    let cards = groups
        .iter()
        .find(|g| g.attribute("id") == Some("cards"))
        .expect("cards");
    for tp in &doc.touchpoints {
        let id = format!("card-{}", tp.id);
        let card = groups
            .iter()
            .find(|g| g.attribute("id") == Some(id.as_str()))
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!(card.parent(), Some(*cards), "{id} sits in the cards layer");
        // The card's first line of title is drawn inside its own group.
        let first_word = tp.title.split_whitespace().next().expect("title");
        let text: String = card
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert!(text.contains(first_word), "{id}: {text:?}");
    }
    for flow in &doc.flows {
        assert!(
            ids.contains(format!("flow-{}", flow.id).as_str()),
            "{}",
            flow.id
        );
    }
    // The same groups when the text is written as outlines (for print shops).
    let mut opts = a3_300_landscape();
    opts.text_as_paths = true;
    let outlined = export::render_svg(&doc, &opts).expect("exports");
    let xml = resvg::usvg::roxmltree::Document::parse(&outlined[0]).expect("XML");
    let outlined_ids: HashSet<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(outlined_ids, ids, "text as paths keeps the groups");
}

/// The emotion curve is its own group, `<g id="emotion-curve">`, holding one group per
/// persona, `emotion-curve-PERSONA_ID`, each with one `emotion-point-PERSONA_ID-CARD_ID`
/// group per customer-facing card of that persona's journey, in journey order.
#[test]
fn svg_has_the_emotion_curve_with_one_point_per_guest_card_in_journey_order() {
    let doc = io::load_path(Path::new("samples/hotel-stay.json"))
        .expect("sample")
        .document;
    assert_eq!(doc.personas.len(), 2, "the two-persona sample");
    let svgs = export::render_svg(&doc, &a3_300_landscape()).expect("exports");
    let xml = resvg::usvg::roxmltree::Document::parse(&svgs[0]).expect("XML");
    let curve = xml
        .descendants()
        .find(|n| n.has_tag_name("g") && n.attribute("id") == Some("emotion-curve"))
        .expect("an emotion-curve group");
    let journey: Vec<usize> = stagecraft::model::journey::guest_cards(&doc);
    let lines: Vec<&str> = curve
        .children()
        .filter_map(|n| n.attribute("id"))
        .filter(|id| {
            id.starts_with("emotion-curve-")
                && !["emotion-curve-labels", "emotion-curve-lines"].contains(id)
        })
        .collect();
    let expected_lines: Vec<String> = doc
        .personas
        .iter()
        .map(|p| format!("emotion-curve-{}", p.id))
        .collect();
    assert_eq!(
        lines, expected_lines,
        "one line per persona, in their order"
    );
    let mut total = 0;
    for persona in &doc.personas {
        let group = curve
            .children()
            .find(|n| n.attribute("id") == Some(&format!("emotion-curve-{}", persona.id)))
            .expect("the persona's line");
        let prefix = format!("emotion-point-{}-", persona.id);
        let points: Vec<&str> = group
            .children()
            .filter_map(|n| n.attribute("id"))
            .filter_map(|id| id.strip_prefix(prefix.as_str()))
            .collect();
        let expected: Vec<&str> = journey
            .iter()
            .map(|&i| &doc.touchpoints[i])
            .filter(|t| t.concerns(&persona.id))
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(points, expected, "{}", persona.id);
        assert!(
            points.len() >= 12 && !points.contains(&"pillow-to-hk"),
            "customer-facing cards only: {points:?}"
        );
        total += points.len();
    }
    assert!(
        total < journey.len() * 2,
        "some cards concern one persona only"
    );
    // Each line is drawn in its persona's colour.
    let first = &doc.personas[0];
    assert!(
        svgs[0].contains(&first.color.to_hex()),
        "the line's colour {}",
        first.color.to_hex()
    );
    // The scale and the labels of peaks and valleys are text in the group.
    let text: String = curve
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(text.contains("Emotion") && text.contains("+2"), "{text}");
    assert!(text.contains("Key card"), "the valley is labelled: {text}");

    let mut hidden = a3_300_landscape();
    hidden.emotion_curve = false;
    let svg = &export::render_svg(&doc, &hidden).expect("exports")[0];
    assert!(!svg.contains("id=\"emotion-curve\""));
}

/// The PNG shows the curve: each point that carries no mark is a dot in its emotion's
/// colour, where the scene puts it; without the curve the canvas is the band shorter.
#[test]
fn png_shows_the_emotion_curve_points_in_their_colours() {
    let doc = io::load_path(Path::new("samples/coffee-shop.json"))
        .expect("sample")
        .document;
    let opts = ExportOptions {
        paper: Paper::Fit,
        scale: Some(1.0),
        margin_mm: 0.0,
        legend: false,
        summary: false,
        dpi: 96.0,
        ..ExportOptions::default()
    };
    let img = decode(&export::render_png(&doc, &opts).expect("exports")[0]);
    let layout = stagecraft::scene::Layout::compute_with(&doc, true);
    let palette = stagecraft::scene::Palette::light();
    let points = stagecraft::scene::curve::curve_points(&doc, &layout);
    assert!(points.len() >= 10);
    let mut checked = 0;
    for c in &points {
        let tp = &doc.touchpoints[c.card];
        if tp.flags.pain_point || tp.flags.magic_moment {
            continue;
        }
        let (x, y) = (c.center.x.round() as usize, c.center.y.round() as usize);
        let at = (y * img.width as usize + x) * 3;
        let got = &img.rgb[at..at + 3];
        // The point's own emotion: the card's, or its persona's.
        let want = palette.emotion(c.emotion);
        let close = got
            .iter()
            .zip([want.r, want.g, want.b])
            .all(|(&g, w)| g.abs_diff(w) <= 24);
        assert!(close, "{}: {got:?} is not {want:?}", tp.id);
        checked += 1;
    }
    assert!(checked >= 5, "{checked} points checked");
    let flat = decode(
        &export::render_png(
            &doc,
            &ExportOptions {
                emotion_curve: false,
                ..opts
            },
        )
        .expect("exports")[0],
    );
    assert_eq!(
        img.height - flat.height,
        stagecraft::scene::style::CURVE_BAND_H as u32
    );
}

/// Counts `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

#[test]
fn pdf_has_one_page_or_one_per_tile_with_embedded_font() {
    let doc = cafe();
    let one = export::render_pdf(&doc, &a3_300_landscape()).expect("exports");
    assert!(one.starts_with(b"%PDF"));
    assert_eq!(pdf_pages(&one), 1);
    let needle = b"/FontFile2";
    assert!(
        one.windows(needle.len()).any(|w| w == needle),
        "text is text, with the font embedded"
    );

    let tiled = ExportOptions {
        paper: Paper::A4,
        tiles: Tiles::Grid { cols: 3, rows: 2 },
        ..a3_300_landscape()
    };
    let pdf = export::render_pdf(&doc, &tiled).expect("exports");
    assert!(pdf.starts_with(b"%PDF"));
    let sheets = export::pages_for(&doc, &tiled).expect("composes").len();
    assert!(
        (3..=6).contains(&sheets),
        "{sheets} sheets: whole rows of 3"
    );
    assert_eq!(pdf_pages(&pdf), sheets, "a page per printed sheet");
}

/// The PDF is tagged (a structure tree with one described figure per sheet, so screen
/// readers and reflow get the journey in words), has an outline entry per sheet, and
/// names its journey, persona and themes in the document information.
#[test]
fn pdf_is_tagged_with_an_outline_and_document_information() {
    let doc = cafe();
    let tiled = ExportOptions {
        paper: Paper::A4,
        tiles: Tiles::Grid { cols: 2, rows: 2 },
        ..a3_300_landscape()
    };
    let pdf = export::render_pdf(&doc, &tiled).expect("exports");
    let sheets = export::pages_for(&doc, &tiled).expect("composes").len();
    let count = |needle: &[u8]| pdf.windows(needle.len()).filter(|w| *w == needle).count();
    assert_eq!(count(b"/Marked true"), 1, "MarkInfo: a tagged PDF");
    assert_eq!(
        count(b"/StructTreeRoot"),
        2,
        "the catalog's entry and the root's type"
    );
    assert_eq!(count(b"/S /Document"), 1);
    assert_eq!(
        count(b"/S /Figure"),
        sheets,
        "one described figure per sheet"
    );
    assert_eq!(count(b"/Alt "), sheets);
    assert_eq!(
        count(b" BDC"),
        sheets,
        "each sheet's drawing is marked content"
    );
    assert_eq!(count(b"/MCID 0"), sheets);
    assert_eq!(count(b"/StructParents "), sheets);
    assert_eq!(count(b"/Type /Outlines"), 1);
    assert_eq!(count(b"/Dest ["), sheets, "an outline entry per sheet");
    assert_eq!(count(b"/Subject "), 1, "the persona");
    assert_eq!(count(b"/Keywords "), 1, "the themes");
    assert_eq!(
        count(b"/Lang (en)"),
        1 + sheets,
        "the document's language, and each figure's English description"
    );
    let info = export::pdf::PdfInfo::of(&doc);
    assert_eq!(info.subject, "Camille, commuter");
    assert!(info.keywords.contains("Warm welcome"), "{}", info.keywords);
    assert!(
        info.description
            .contains("4 stages (Discover, Choose, Experience, Share)")
    );
}

/// The PDF names the language the canvas is written in, so that a screen reader reads a
/// French or Polish journey with the right voice.
#[test]
fn pdf_language_is_the_canvas_language() {
    let written_in = |title: &str, cards: &[&str]| {
        let mut doc = cafe();
        doc.title = title.to_owned();
        for (tp, text) in doc.touchpoints.iter_mut().zip(cards.iter().cycle()) {
            tp.title = (*text).to_owned();
            tp.notes.clear();
        }
        export::pdf::PdfInfo::of(&doc).lang
    };
    assert_eq!(export::pdf::PdfInfo::of(&cafe()).lang, Some("en"));
    assert_eq!(
        written_in(
            "Le café du matin",
            &[
                "Longue attente au comptoir",
                "Un accueil chaleureux et rapide"
            ]
        ),
        Some("fr")
    );
    assert_eq!(
        written_in(
            "Poranna kawa",
            &["Długie czekanie przy ladzie", "Ciepłe i szybkie powitanie"]
        ),
        Some("pl")
    );
    assert_eq!(
        written_in("", &["Kiosk", "Menu"]),
        None,
        "too few words to tell"
    );
}

#[test]
fn tiles_are_sheets_with_crop_marks() {
    let doc = cafe();
    let opts = ExportOptions {
        paper: Paper::A4,
        orientation: Orientation::Portrait,
        dpi: 96.0,
        tiles: Tiles::Grid { cols: 2, rows: 2 },
        ..ExportOptions::default()
    };
    let pngs = export::render_png(&doc, &opts).expect("exports");
    // Only sheets that hold part of the poster are printed (see the test below).
    assert_eq!(
        pngs.len(),
        export::pages_for(&doc, &opts).expect("composes").len()
    );
    assert!(pngs.len() <= 4);
    for bytes in &pngs {
        let img = decode(bytes);
        assert_eq!(
            (img.width, img.height),
            (794, 1123),
            "A4 portrait at 96 dpi"
        );
        // A crop mark: dark pixels in the top-left margin, on the printable area's edge.
        let margin = (10.0 * 96.0 / 25.4) as usize; // 37 px
        let at = |x: usize, y: usize| &img.rgb[(y * img.width as usize + x) * 3..][..3];
        let dark_in_corner = (2..margin - 8).any(|x| {
            at(x, margin).iter().all(|&c| c < 128) || at(x, margin + 1).iter().all(|&c| c < 128)
        });
        assert!(dark_in_corner, "crop mark in the top-left margin");
        assert_eq!(at(3, 3), [255, 255, 255], "the sheet's corner stays white");
        // Each tile still carries the whole canvas.
        assert_eq!(
            io::load_bytes("tile.png", bytes).expect("opens").document,
            doc
        );
    }
    // Auto tiling at scale 2 needs more than one sheet.
    let auto = ExportOptions {
        tiles: Tiles::Auto,
        scale: Some(2.0),
        ..opts
    };
    let pages = export::pages_for(&doc, &auto).expect("composes");
    assert!(pages.len() >= 4, "{} sheets", pages.len());
}

/// Every printed sheet holds part of the poster, its label and assembly map stay clear of
/// the crop marks, and the map marks this sheet among all of them.
#[test]
fn tiled_sheets_all_print_something_and_their_labels_miss_the_crop_marks() {
    use stagecraft::scene::Item;
    let doc = cafe();
    for (paper, orientation, cols, rows) in [
        (Paper::A4, Orientation::Portrait, 2, 2),
        (Paper::A4, Orientation::Landscape, 3, 3),
        (Paper::A3, Orientation::Portrait, 1, 3),
    ] {
        let opts = ExportOptions {
            paper,
            orientation,
            dpi: 96.0,
            tiles: Tiles::Grid { cols, rows },
            ..ExportOptions::default()
        };
        let pages = export::pages_for(&doc, &opts).expect("composes");
        assert!(!pages.is_empty() && pages.len() <= cols * rows);
        let sheets = pages.len();
        for page in &pages {
            let (r, c) = page.tile.expect("a tile");
            // Poster content inside this sheet's printable area (layers other than the
            // first, the paper, and the last, the marks).
            let area = page.layers[0]
                .clip
                .expect("tiles clip to the printable area");
            let holds = page.layers[1..page.layers.len() - 1].iter().any(|l| {
                l.scene.items.iter().any(|item| {
                    let b = item.bounds();
                    let on_sheet = stagecraft::scene::Rect::from_min_max(
                        stagecraft::scene::Point::new(
                            b.min.x * l.scale + l.offset.x,
                            b.min.y * l.scale + l.offset.y,
                        ),
                        stagecraft::scene::Point::new(
                            b.max.x * l.scale + l.offset.x,
                            b.max.y * l.scale + l.offset.y,
                        ),
                    );
                    on_sheet.intersects(area)
                })
            });
            assert!(holds, "sheet {r},{c} of {sheets} prints nothing");
            let marks = &page.layers.last().expect("marks").scene.items;
            let lines: Vec<_> = marks
                .iter()
                .filter(|i| matches!(i, Item::Line { .. }))
                .map(Item::bounds)
                .collect();
            let texts: Vec<_> = marks
                .iter()
                .filter_map(|i| match i {
                    Item::Text { text, .. } => Some((text.clone(), i.bounds())),
                    _ => None,
                })
                .collect();
            assert_eq!(lines.len(), 8, "two strokes at each corner");
            assert_eq!(texts.len(), 1);
            let (label, text_box) = &texts[0];
            assert!(
                label.contains(&stagecraft::export::sheet_code(r, c)),
                "{label}"
            );
            for line in &lines {
                assert!(
                    !line.expand(0.5).intersects(*text_box),
                    "a crop mark crosses the label {label:?}"
                );
            }
            let map: Vec<_> = marks
                .iter()
                .filter_map(|i| match i {
                    Item::Rect { fill, .. } => Some(fill.a > 0),
                    _ => None,
                })
                .collect();
            assert_eq!(map.len(), sheets, "one box per printed sheet");
            assert_eq!(map.iter().filter(|f| **f).count(), 1, "this sheet filled");
        }
    }
    assert_eq!(stagecraft::export::sheet_code(0, 0), "A1");
    assert_eq!(stagecraft::export::sheet_code(27, 3), "AB4");
}

/// The café canvas's first page on A4 at 120 dpi, and that DPI: a page of a few bands.
fn a4_page_at_120_dpi() -> (export::Page, f32) {
    let opts = ExportOptions {
        paper: Paper::A4,
        dpi: 120.0,
        ..a3_300_landscape()
    };
    let mut pages = export::pages_for(&cafe(), &opts).expect("composes");
    (pages.swap_remove(0), opts.dpi)
}

/// Saying no to the progress callback stops the export with `Cancelled`, bands still
/// being drawn on the other core included, and nothing is written after that band.
#[test]
fn cancelling_a_png_export_stops_it_after_the_band_in_hand() {
    let (page, dpi) = a4_page_at_120_dpi();
    for stop_after in [1, 3] {
        let mut out = Vec::new();
        let (mut seen, mut total) = (0, 0);
        let result = export::raster::write_png_with_bands(
            &page,
            dpi,
            None,
            &mut out,
            300_000,
            &mut |done, n| {
                (seen, total) = (done, n);
                done < stop_after
            },
        );
        assert!(
            matches!(result, Err(export::ExportError::Cancelled)),
            "{result:?}"
        );
        assert_eq!(seen, stop_after, "no band reported after the one cancelled");
        assert!(total > stop_after, "{total} bands");
    }
}

#[test]
fn bands_cut_in_different_places_give_the_same_image() {
    let (page, dpi) = a4_page_at_120_dpi();
    let render = |band_bytes: usize| {
        let mut out = Vec::new();
        let mut bands = 0;
        export::raster::write_png_with_bands(
            &page,
            dpi,
            None,
            &mut out,
            band_bytes,
            &mut |_, n| {
                bands = n;
                true
            },
        )
        .expect("renders");
        (decode(&out), bands)
    };
    // When memory allows, a few bands per core (handed out in turn, so that both cores
    // stay busy); with little memory, many more, cut elsewhere: no seam may show in either.
    let (whole, one) = render(usize::MAX / 2);
    let (banded, many) = render(300_000);
    assert!(one <= 8, "{one} bands");
    assert!(many >= 4 * one, "{many} bands against {one}");
    assert_eq!((whole.width, whole.height), (banded.width, banded.height));
    let differing = whole
        .rgb
        .chunks_exact(3)
        .zip(banded.rgb.chunks_exact(3))
        .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 8))
        .count();
    let (mut minx, mut miny, mut maxx, mut maxy) = (u32::MAX, u32::MAX, 0, 0);
    for (i, (a, b)) in whole
        .rgb
        .chunks_exact(3)
        .zip(banded.rgb.chunks_exact(3))
        .enumerate()
    {
        if a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 8) {
            let (x, y) = (i as u32 % whole.width, i as u32 / whole.width);
            (minx, miny, maxx, maxy) = (minx.min(x), miny.min(y), maxx.max(x), maxy.max(y));
        }
    }
    assert!(
        differing * 10_000 < whole.rgb.len() / 3,
        "{differing} pixels differ in {minx},{miny}..{maxx},{maxy}"
    );
}

#[test]
fn damaged_truncated_foreign_and_bomb_pngs_are_refused_clearly() {
    let doc = cafe();
    let opts = ExportOptions {
        paper: Paper::A4,
        dpi: 96.0,
        ..ExportOptions::default()
    };
    let good = export::render_png(&doc, &opts).expect("exports").remove(0);
    assert!(io::load_bytes("good.png", &good).is_ok());

    // The iTXt chunk directly follows IHDR (8 + 25 bytes): flip bytes inside its data.
    let mut flipped = good.clone();
    for b in &mut flipped[33 + 8 + 20..33 + 8 + 24] {
        *b ^= 0x5a;
    }
    let err = io::load_bytes("flipped.png", &flipped)
        .expect_err("refused")
        .to_string();
    assert!(
        err.starts_with("flipped.png:1:1: ") && err.contains("damaged"),
        "{err}"
    );

    let err = io::load_bytes("cut.png", &good[..good.len() / 2])
        .expect_err("refused")
        .to_string();
    assert!(err.contains("truncated"), "{err}");

    // A PNG from elsewhere: no Stagecraft chunk.
    let mut foreign = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut foreign, 2, 2);
        enc.set_color(png::ColorType::Rgb);
        let mut w = enc.write_header().expect("header");
        w.write_image_data(&[200; 12]).expect("data");
    }
    let err = io::load_bytes("photo.png", &foreign)
        .expect_err("refused")
        .to_string();
    assert!(err.contains("no Stagecraft canvas"), "{err}");

    // A chunk with a valid checksum whose compressed text is garbage.
    let mut data = b"stagecraft\0\x01\x00\0\0".to_vec();
    data.extend_from_slice(&[0x78, 0x9c, 0xff, 0xff, 0xff, 0x00, 0x13]);
    let corrupt = splice_chunk(&foreign, b"iTXt", &data);
    let err = io::load_bytes("corrupt.png", &corrupt)
        .expect_err("refused")
        .to_string();
    assert!(err.contains("corrupt") && err.contains("inflate"), "{err}");

    // A zip bomb: a small chunk that inflates past the file size limit.
    let bomb_text = " ".repeat(io::png_chunk::MAX_JSON_BYTES + 1024);
    let bomb = io::png_chunk::embed_canvas_json(&foreign, &bomb_text).expect("embeds");
    drop(bomb_text);
    assert!(
        bomb.len() < 1_000_000,
        "the bomb is small: {} bytes",
        bomb.len()
    );
    let err = io::load_bytes("bomb.png", &bomb)
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("more than") && err.contains("refused"),
        "{err}"
    );
}

/// `png` with an extra chunk right after IHDR.
fn splice_chunk(png: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = png[..33].to_vec();
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out.extend_from_slice(&png[33..]);
    out
}

#[test]
fn options_that_cannot_work_are_explained() {
    let doc = cafe();
    let too_big = ExportOptions {
        scale: Some(5.0),
        ..a3_300_landscape()
    };
    let err = export::pages_for(&doc, &too_big)
        .expect_err("does not fit")
        .to_string();
    assert!(err.contains("--tiles"), "{err}");
    let bad_dpi = ExportOptions {
        dpi: 1200.0,
        ..a3_300_landscape()
    };
    let err = export::pages_for(&doc, &bad_dpi)
        .expect_err("refused")
        .to_string();
    assert!(err.contains("96 and 600"), "{err}");
    assert_eq!(Format::from_path(Path::new("x.PDF")), Some(Format::Pdf));
    assert_eq!(Format::from_path(Path::new("x.txt")), None);
}

#[test]
fn fit_paper_without_extras_is_the_canvas_plus_margins() {
    let doc = cafe();
    let layout = stagecraft::scene::Layout::compute_with(&doc, true);
    let opts = ExportOptions {
        paper: Paper::Fit,
        scale: Some(1.0),
        margin_mm: 0.0,
        legend: false,
        summary: false,
        dpi: 192.0,
        ..ExportOptions::default()
    };
    let pages = export::pages_for(&doc, &opts).expect("composes");
    let b = layout.bounds();
    assert!((pages[0].width - b.width()).abs() < 0.01);
    assert!((pages[0].height - b.height()).abs() < 0.01);
    let img = decode(&export::render_png(&doc, &opts).expect("exports")[0]);
    assert_eq!(
        img.width,
        (b.width() * 2.0).round() as u32,
        "192 dpi is twice 96"
    );
}

mod cli {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Args {
        #[command(flatten)]
        export: stagecraft::cli::ExportArgs,
    }

    fn run(args: &[&str]) -> std::process::ExitCode {
        let parsed = Args::try_parse_from(std::iter::once("export").chain(args.iter().copied()))
            .expect("arguments parse");
        stagecraft::cli::export(&parsed.export)
    }

    #[test]
    fn exports_several_inputs_to_a_folder_and_by_extension() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("one.json");
        let b = dir.path().join("two.json");
        io::save_json(&cafe(), &a).expect("saved");
        let mut other = cafe();
        other.title = "Second".into();
        io::save_json(&other, &b).expect("saved");
        let out = dir.path().join("out");
        let (a_s, b_s, out_s) = (
            a.to_string_lossy(),
            b.to_string_lossy(),
            out.to_string_lossy(),
        );
        let code = run(&[
            &a_s,
            &b_s,
            "--out-dir",
            &out_s,
            "--format",
            "pdf",
            "--paper",
            "A4",
        ]);
        assert_eq!(code, std::process::ExitCode::SUCCESS);
        for name in ["one.pdf", "two.pdf"] {
            let bytes = std::fs::read(out.join(name)).expect("written");
            assert!(bytes.starts_with(b"%PDF"), "{name}");
        }

        let png = dir.path().join("x.png");
        let svg = dir.path().join("x.svg");
        let json = dir.path().join("x.json");
        let (png_s, svg_s, json_s) = (
            png.to_string_lossy(),
            svg.to_string_lossy(),
            json.to_string_lossy(),
        );
        let code = run(&[
            &a_s,
            &b_s,
            &a_s,
            "-o",
            &png_s,
            "-o",
            &svg_s,
            "-o",
            &json_s,
            "--dpi",
            "96",
            "--portrait",
            "--no-legend",
        ]);
        assert_eq!(code, std::process::ExitCode::SUCCESS);
        let img = decode(&std::fs::read(&png).expect("png written"));
        assert_eq!(
            (img.width, img.height),
            (1123, 1587),
            "A3 portrait at 96 dpi"
        );
        assert_eq!(io::load_path(&png).expect("reopens").document, cafe());
        assert!(std::fs::read_to_string(&svg).expect("svg").contains("<svg"));
        assert_eq!(io::load_path(&json).expect("json").document, cafe());
        assert!(
            std::fs::read_to_string(&svg)
                .expect("svg")
                .contains("Second")
        );

        let tiles = dir.path().join("poster.png");
        let tiles_s = tiles.to_string_lossy();
        let code = run(&[
            &a_s, "-o", &tiles_s, "--paper", "A4", "--dpi", "96", "--tiles", "2x1",
        ]);
        assert_eq!(code, std::process::ExitCode::SUCCESS);
        assert!(
            dir.path().join("poster-r1c1.png").exists()
                && dir.path().join("poster-r1c2.png").exists()
        );
    }

    #[test]
    fn refuses_mismatched_outputs_and_unknown_formats() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("one.json");
        io::save_json(&cafe(), &a).expect("saved");
        let a_s = a.to_string_lossy();
        assert_eq!(
            run(&[&a_s, &a_s, "-o", "x.png"]),
            std::process::ExitCode::from(2)
        );
        let bad = dir.path().join("x.bmp");
        assert_eq!(
            run(&[&a_s, "-o", &bad.to_string_lossy()]),
            std::process::ExitCode::FAILURE
        );
        assert!(!bad.exists());
        assert_eq!(
            run(&[&a_s, "-o", "x.png", "--dpi", "50"]),
            std::process::ExitCode::from(2)
        );
    }
}

/// Writes a synthetic canvas of `STAGECRAFT_SYNTH` touchpoints to `target/synth-N.json`, for
/// looking at large exports by hand (`cargo test --test export write_synth -- --ignored`).
#[test]
#[ignore = "a helper for looking at exports, not a check"]
fn write_synth_canvas() {
    let n: usize = std::env::var("STAGECRAFT_SYNTH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let doc = stagecraft::synth::canvas(&stagecraft::synth::SynthSpec::new(n, 7));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/synth-{n}.json"));
    io::save_json(&doc, &path).expect("written");
}

/// The PNG renderer draws the scene's items itself; resvg rendering the SVG of the same
/// page draws the same picture: at 96 and 300 dpi, every sample, only anti-aliasing along
/// edges may differ (a pixel counts when a channel differs by more than half).
#[test]
fn the_png_renderer_draws_what_resvg_draws_from_the_svg() {
    use export::raster::parse_svg;
    use resvg::tiny_skia;
    for name in [
        "coffee-shop",
        "hotel-stay",
        "employee-onboarding",
        "omnichannel-retail",
    ] {
        let doc = io::load_path(Path::new(&format!("samples/{name}.json")))
            .expect("sample")
            .document;
        for dpi in [96.0, 300.0] {
            let opts = ExportOptions {
                dpi,
                ..a3_300_landscape()
            };
            let pages = export::pages_for(&doc, &opts).expect("composes");
            let page = &pages[0];
            let (w, h) = export::raster::pixel_size(page, dpi);
            let (kx, ky) = (w as f32 / page.width, h as f32 / page.height);
            let ours = export::paint::draw_page(page, kx, ky, w, h).expect("pixmap");
            let tree = parse_svg(&export::svg::page_to_svg(page, None, None)).expect("parses");
            let mut theirs = tiny_skia::Pixmap::new(w, h).expect("pixmap");
            let bg = page.background;
            theirs.fill(tiny_skia::Color::from_rgba8(bg.r, bg.g, bg.b, 255));
            resvg::render(
                &tree,
                tiny_skia::Transform::from_scale(kx, ky),
                &mut theirs.as_mut(),
            );
            let differ = ours
                .pixels()
                .iter()
                .zip(theirs.pixels())
                .filter(|(a, b)| {
                    let (a, b) = (a.demultiply(), b.demultiply());
                    [
                        (a.red(), b.red()),
                        (a.green(), b.green()),
                        (a.blue(), b.blue()),
                    ]
                    .iter()
                    .any(|(x, y)| x.abs_diff(*y) > 128)
                })
                .count();
            let share = differ as f64 / f64::from(w * h);
            let ink = ours.pixels().iter().filter(|p| {
                let c = p.demultiply();
                (c.red(), c.green(), c.blue()) != (bg.r, bg.g, bg.b)
            });
            let ink = ink.count() as f64 / f64::from(w * h);
            let slight = ours
                .pixels()
                .iter()
                .zip(theirs.pixels())
                .filter(|(a, b)| a.demultiply().red().abs_diff(b.demultiply().red()) > 16)
                .count();
            eprintln!(
                "{name} at {dpi} dpi: {differ} pixels differ by half, {slight} by 1/16 in red, ink {:.1}%",
                ink * 100.0
            );
            assert!(ink > 0.05, "{name}: the page has ink");
            assert!(share < 0.001, "{name} at {dpi} dpi: {differ} pixels differ");
        }
    }
}
