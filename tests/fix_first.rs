//! "Fix first": the fixes that gain most, in the inspector (a click selects what the fix
//! changes) and in the poster's summary (the top three).

use egui::Vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stagecraft::app::StagecraftApp;
use stagecraft::export::{self, ExportOptions};
use stagecraft::model::{Cue, Document, Polarity};
use stagecraft::scoring::{fixes, score};
use stagecraft::ui::action::Selection;

fn sample(name: &str) -> Document {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(format!("{name}.json"));
    stagecraft::io::load_path(&path)
        .expect("sample loads")
        .document
}

/// The coffee shop with one more negative cue, so that removing it is among the top fixes.
fn coffee() -> Document {
    let mut doc = sample("coffee-shop");
    if let Some(t) = doc
        .touchpoints
        .iter_mut()
        .find(|t| t.id.as_str() == "see-you")
    {
        t.cues.push(Cue {
            text: "Door slams behind her".to_owned(),
            polarity: Polarity::Negative,
        });
    }
    doc
}

#[test]
fn clicking_a_fix_first_row_selects_the_cards_it_changes() {
    let doc = coffee();
    let top = fixes(&doc, &score(&doc), 3);
    assert!(!top.is_empty());
    let mut h = Harness::builder()
        .with_size(Vec2::new(1600.0, 1000.0))
        .build_ui_state(
            |ui, app: &mut StagecraftApp| app.show(ui),
            StagecraftApp::new_with(doc),
        );
    h.run();
    h.get_by_label("Fix first");
    // Where the points went: each rule that costs the total says how much.
    let report = score(h.state().doc());
    for rule in report.rules.iter().filter(|r| r.lost > 0) {
        assert!(
            h.query_all_by_label(&format!("-{} pts", rule.lost))
                .next()
                .is_some(),
            "{}",
            rule.id
        );
    }
    for fix in &top {
        // A selected card fills the inspector; with nothing selected it shows the report.
        h.state_mut().selection = Selection::None;
        h.run();
        h.get_by_label(&fix.message).click();
        h.run();
        for t in &fix.targets {
            if let stagecraft::scoring::Target::Touchpoint(id) = t {
                assert!(
                    h.state().selection.contains_card(id),
                    "{}: {:?}",
                    fix.message,
                    h.state().selection
                );
            }
        }
    }
}

#[test]
fn the_poster_summary_lists_the_top_three_fixes() {
    let doc = coffee();
    let top = fixes(&doc, &score(&doc), 3);
    assert_eq!(top.len(), 3);
    let pages = export::pages_for(&doc, &ExportOptions::default()).expect("composes");
    let texts: Vec<String> = pages[0]
        .layers
        .iter()
        .flat_map(|l| &l.scene.items)
        .filter_map(|i| match i {
            stagecraft::scene::Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let all = texts.join(" ");
    assert!(texts.iter().any(|t| t == "FIX FIRST"), "{texts:?}");
    for fix in &top {
        assert!(
            all.contains(&format!("+{}", fix.gain)),
            "{}: {all}",
            fix.message
        );
        // The first words of each fix are on the page (long ones wrap onto a second line).
        let head: String = fix.message.chars().take(20).collect();
        assert!(all.contains(&head), "{head}: {all}");
    }
}
