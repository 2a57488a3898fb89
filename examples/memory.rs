//! Resident memory with a big canvas open: loads a synthetic canvas from a file (default
//! 100,000 touchpoints), then builds what the editor keeps (layout, scene, spatial index,
//! coherence report) and prints VmRSS/VmHWM from /proc/self/status (Linux).
//!
//! Run: `cargo run --release --example memory -- [touchpoints]`.

use stagecraft::scene::{Layout, LiveScene, Palette};
use stagecraft::synth::{SynthSpec, canvas};

fn status(label: &str) {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .map_or("?".to_owned(), |l| l[name.len()..].trim().to_owned())
    };
    println!(
        "{label:<40} VmRSS {:>12}   VmHWM {:>12}",
        field("VmRSS:"),
        field("VmHWM:")
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("stagecraft-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("big.json");
    {
        let doc = canvas(&SynthSpec::new(n, 1));
        stagecraft::io::save_json(&doc, &path)?;
    }
    status("start (file written, generator dropped)");
    let doc = stagecraft::io::load_path(&path)?.document;
    status(&format!("document loaded ({n} touchpoints)"));
    let layout = Layout::compute(&doc);
    status("+ layout");
    let report = stagecraft::scoring::score(&doc);
    status("+ report");
    let palette = Palette::light();
    let scene = LiveScene::build(&doc, &layout, &palette, Some(&report));
    status("+ scene and spatial index (as the editor keeps them)");
    let flat = scene.flatten(None);
    status(&format!(
        "+ the scene flattened ({} items, as exports draw it)",
        flat.items.len()
    ));
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
