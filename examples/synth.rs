//! Writes a synthetic canvas (the one every benchmark uses) to a file, to open big canvases
//! in the app and feel their speed: press F12 there for the frame-time readout.
//!
//! Run: `cargo run --release --example synth -- [touchpoints] [seed] [OUT.json]`
//! (defaults: 20000, 1, `synthetic-20000.json`).

use stagecraft::synth::{SynthSpec, canvas};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(Ok(20_000), |a| a.parse())?;
    let seed: u64 = args.next().map_or(Ok(1), |a| a.parse())?;
    let out = args.next().unwrap_or_else(|| format!("synthetic-{n}.json"));
    let doc = canvas(&SynthSpec::new(n, seed));
    stagecraft::io::save_json(&doc, std::path::Path::new(&out))?;
    println!(
        "{out}: {} touchpoints, {} flows, {} stages, {} lanes",
        doc.touchpoints.len(),
        doc.flows.len(),
        doc.stages.len(),
        doc.lanes.len()
    );
    Ok(())
}
