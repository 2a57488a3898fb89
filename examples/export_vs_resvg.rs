//! The PNG export against resvg rendering the SVG Stagecraft writes for the same page, side
//! by side in one run, alternating so that both see the same machine load.
//!
//! Run: `cargo run --release --example export_vs_resvg -- [touchpoints] [rounds]`
//! (defaults: 1,000 touchpoints, 7 rounds). Prints each round and the medians. With
//! `ONLY=ours`, runs only the export (for profiling it). With `SAVE=file.png`, also writes
//! our PNG there (to compare the pixels of two builds).
//!
//! "Ours" is the whole export as the app and CLI do it: score, compose, draw, encode the
//! PNG. "resvg" is what the `resvg` command does with our SVG file: parse it (usvg, text
//! shaped into outlines), render it with tiny-skia, encode the PNG (`Pixmap::encode_png`).
//! Both at A3 landscape, 300 dpi (4961×3508 px).

use resvg::tiny_skia;
use stagecraft::export::{self, ExportOptions, Orientation, Paper, raster};
use stagecraft::synth::{SynthSpec, canvas};
use std::time::Instant;

/// CPU time of the whole process (all threads) so far, in ms: wall time on this shared
/// VM mostly measures the neighbours, CPU time what the work costs.
fn cpu_ms() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(Ok(1_000), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(7), |a| a.parse())?;
    let doc = canvas(&SynthSpec::new(n, 7));
    let opts = ExportOptions {
        paper: Paper::A3,
        orientation: Orientation::Landscape,
        dpi: 300.0,
        ..ExportOptions::default()
    };
    // resvg's input: the SVG file the export writes for the page.
    let svg = export::render_svg(&doc, &opts)?.remove(0);
    let pages = export::pages_for(&doc, &opts)?;
    let (w, h) = raster::pixel_size(&pages[0], opts.dpi);
    let (kx, ky) = (w as f32 / pages[0].width, h as f32 / pages[0].height);

    let only_ours = std::env::var("ONLY").is_ok_and(|v| v == "ours");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut ours_cpu, mut theirs_cpu) = (Vec::new(), Vec::new());
    for round in 0..=rounds {
        let (t, c) = (Instant::now(), cpu_ms());
        let png = export::render_png(&doc, &opts)?;
        let a = t.elapsed().as_secs_f64() * 1e3;
        let a_cpu = cpu_ms() - c;
        if round == 0
            && let Ok(path) = std::env::var("SAVE")
        {
            std::fs::write(path, &png[0])?;
        }
        if only_ours {
            println!("round {round}: ours {a:.0} ms");
            continue;
        }
        let (t, c) = (Instant::now(), cpu_ms());
        let tree = raster::parse_svg(&svg)?;
        let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or("pixmap")?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(kx, ky),
            &mut pixmap.as_mut(),
        );
        let encoded = pixmap.encode_png()?;
        let b = t.elapsed().as_secs_f64() * 1e3;
        let b_cpu = cpu_ms() - c;
        // Round 0 warms caches (glyph outlines, fonts) for both and is not counted.
        if round > 0 {
            println!(
                "round {round}: ours {a:.0} ms wall, {a_cpu:.0} ms CPU ({} KB); resvg {b:.0} ms wall, {b_cpu:.0} ms CPU ({} KB); wall ratio {:.2}",
                png[0].len() / 1024,
                encoded.len() / 1024,
                a / b
            );
            ours.push(a);
            theirs.push(b);
            ours_cpu.push(a_cpu);
            theirs_cpu.push(b_cpu);
        }
    }
    if only_ours {
        return Ok(());
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (a, b) = (median(&mut ours), median(&mut theirs));
    let (ac, bc) = (median(&mut ours_cpu), median(&mut theirs_cpu));
    println!(
        "{n} touchpoints, A3 300 dpi, medians of {rounds}: ours {a:.0} ms wall / {ac:.0} ms CPU, resvg {b:.0} ms wall / {bc:.0} ms CPU; ratio {:.2} wall, {:.2} CPU",
        a / b,
        ac / bc
    );
    Ok(())
}
