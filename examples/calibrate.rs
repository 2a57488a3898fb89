//! Prints the calibration table of `docs/SCORING.md`: every sample, each designed one with
//! one flaw injected at a time, the four serious flaws together, and randomised copies
//! (themes, emotions and cues shuffled among the cards), with the total and each rule's
//! penalty.
//!
//! ```sh
//! cargo run --example calibrate > /tmp/table.md
//! ```

use stagecraft::calibration::{DESIGNED, FLAWS, FOUR_AT_ONCE, RANDOM_SEEDS, randomised};
use stagecraft::model::Document;
use stagecraft::scoring::{Report, score};

fn load(name: &str) -> Document {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(format!("{name}.json"));
    match stagecraft::io::load_path(&path) {
        Ok(l) => l.document,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

fn row(canvas: &str, flaw: &str, report: &Report) {
    let rules: Vec<String> = report
        .rules
        .iter()
        .map(|r| match r.score {
            Some(_) if r.penalty < 0.05 => "·".to_owned(),
            Some(_) => format!("{:.0}", r.penalty),
            None => "n/a".to_owned(),
        })
        .collect();
    println!(
        "| {canvas} | {flaw} | **{}** | {} |",
        report.total,
        rules.join(" | ")
    );
}

fn main() {
    let heads: Vec<String> = score(&Document::new_canvas())
        .rules
        .iter()
        .map(|r| format!("{} ({})", short(r.id), r.weight))
        .collect();
    println!("| canvas | flaw | total | {} |", heads.join(" | "));
    println!("|---|---|---:|{}", "---:|".repeat(heads.len()));
    let mut names: Vec<&str> = DESIGNED.to_vec();
    names.push("omnichannel-retail");
    for name in names {
        let doc = load(name);
        row(name, "as designed", &score(&doc));
        if !DESIGNED.contains(&name) {
            continue;
        }
        for flaw in FLAWS {
            let mut d = doc.clone();
            if (flaw.inject)(&mut d) {
                row(name, flaw.name, &score(&d));
            }
        }
        let mut d = doc.clone();
        for &i in &FOUR_AT_ONCE {
            (FLAWS[i].inject)(&mut d);
        }
        row(name, "four serious flaws at once", &score(&d));
        let totals: Vec<u8> = RANDOM_SEEDS
            .map(|seed| score(&randomised(&doc, seed)).total)
            .collect();
        let shown = if std::env::var_os("ALL_SEEDS").is_some() {
            100
        } else {
            3
        };
        for seed in RANDOM_SEEDS.take(shown) {
            row(
                name,
                &format!("randomised, seed {seed}"),
                &score(&randomised(&doc, seed)),
            );
        }
        let mean = totals.iter().map(|&t| f64::from(t)).sum::<f64>() / totals.len() as f64;
        println!(
            "| {name} | randomised, {} seeds | mean {mean:.1}, best {} | |",
            totals.len(),
            totals.iter().max().unwrap_or(&0)
        );
    }
}

fn short(id: &str) -> &str {
    match id {
        "theme_alignment" => "align",
        "theme_continuity" => "contin",
        "consistent_tone" => "tone",
        "moments_of_truth" => "moments",
        "negative_cues" => "cues",
        "emotional_arc" => "arc",
        "senses" => "senses",
        "memorabilia" => "memo",
        "hand_offs" => "hand-offs",
        "top_tasks" => "tasks",
        other => other,
    }
}
