//! Scores a synthetic canvas, for profiling (`perf`, callgrind) and for checking that a
//! change to the engine leaves reports byte-identical.
//!
//! Run: `cargo run --release --example score_synth -- [touchpoints] [seed] [repeats]`;
//! prints the report as JSON (the last of `repeats` scorings) to stdout. With a file name
//! instead (`score_synth samples/hotel-stay.json [repeats]`), scores that canvas, printing
//! what `stagecraft score FILE --json` prints.

use stagecraft::scoring::score;
use stagecraft::synth::{SynthSpec, canvas};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).peekable();
    if let Some(path) = args.next_if(|a| a.ends_with(".json")) {
        let repeats = args.next().map_or(Ok(1), |a| a.parse::<usize>())?.max(1);
        let doc = stagecraft::io::load_path(std::path::Path::new(&path))?.document;
        let mut report = score(&doc);
        for _ in 1..repeats {
            report = score(std::hint::black_box(&doc));
        }
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let mut next = |default: usize| -> Result<usize, std::num::ParseIntError> {
        args.next().map_or(Ok(default), |a| a.parse())
    };
    let n = next(100_000)?;
    let seed = next(1)?;
    let repeats = next(1)?.max(1);
    let doc = canvas(&SynthSpec::new(n, u64::try_from(seed)?));
    let mut report = score(&doc);
    for _ in 1..repeats {
        report = score(std::hint::black_box(&doc));
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
