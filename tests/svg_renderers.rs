//! Exported SVGs look the same in tools no one here wrote, on a machine without Noto Sans:
//! each sample's SVG (fonts embedded) in headless Chromium, and its `--text-as-paths` SVG
//! in librsvg's `rsvg-convert`, against Stagecraft's own PNG of the same A3 page at 96 dpi.
//!
//! The measure: pixels where some channel differs by more than half (128). Both renderers
//! anti-alias differently from resvg, and Chromium places glyphs on its own sub-pixel grid,
//! so a faithful render still differs along glyph edges: about 1,300 of the page's 1.8
//! million pixels in Chromium, 0 with outlines in librsvg. The threshold, 6,000 (0.34%),
//! leaves room for that and for renderer versions; the same SVG with its fonts left out
//! differs by about 28,000, so a lost font always fails. Font hinting is turned off in the
//! test's font configuration: it is a screen setting, not part of the file.
//!
//! CI installs `chromium`, `librsvg2-bin` and `fonts-dejavu-core` and sets
//! `STAGECRAFT_REQUIRE_RENDERERS=1`; elsewhere a missing renderer skips with a note.

use stagecraft::export::{self, ExportOptions, Paper};
use std::path::{Path, PathBuf};
use std::process::Command;

const THRESHOLD: usize = 6_000;
/// A font that is not Noto Sans, so that the browser has something to fall back to.
const FALLBACK_FONTS: &str = "/usr/share/fonts/truetype/dejavu";

fn required() -> bool {
    std::env::var_os("STAGECRAFT_REQUIRE_RENDERERS").is_some()
}

fn samples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"))
            .expect("samples")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
    v.sort();
    v
}

fn options() -> ExportOptions {
    ExportOptions {
        paper: Paper::A3,
        dpi: 96.0,
        ..ExportOptions::default()
    }
}

/// A font configuration without Noto Sans (only the fallback fonts), hinting off.
fn font_config(dir: &Path) -> Option<PathBuf> {
    if !Path::new(FALLBACK_FONTS).is_dir() {
        return None;
    }
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            r#"<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{FALLBACK_FONTS}</dir>
  <cachedir>{}</cachedir>
  <match target="font">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>false</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintnone</const></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
  </match>
</fontconfig>
"#,
            dir.join("cache").display()
        ),
    )
    .ok()?;
    Some(conf)
}

/// RGB pixels of a PNG, whatever its colour type (alpha over white).
fn pixels(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("sized")];
    let frame = reader.next_frame(&mut buf).expect("decodes");
    let channels = frame.color_type.samples();
    let rgb = buf[..frame.buffer_size()]
        .chunks(channels)
        .flat_map(|px| {
            let (rgb, a) = match channels {
                1 | 2 => ([px[0]; 3], if channels == 2 { px[1] } else { 255 }),
                _ => (
                    [px[0], px[1], px[2]],
                    if channels == 4 { px[3] } else { 255 },
                ),
            };
            rgb.map(|c| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8)
        })
        .collect();
    (frame.width, frame.height, rgb)
}

fn differing(a: &(u32, u32, Vec<u8>), b: &(u32, u32, Vec<u8>)) -> usize {
    assert_eq!((a.0, a.1), (b.0, b.1), "same page size");
    a.2.chunks(3)
        .zip(b.2.chunks(3))
        .filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 127))
        .count()
}

fn chromium(svg: &Path, out: &Path, conf: &Path, size: (u32, u32)) -> Option<Vec<u8>> {
    let profile = out.with_extension("profile");
    let status = Command::new("chromium")
        .env("FONTCONFIG_FILE", conf)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg(format!("--screenshot={}", out.display()))
        .arg(format!("file://{}", svg.display()))
        .output()
        .ok()?;
    let _ = status;
    std::fs::read(out).ok()
}

fn rsvg(svg: &Path, out: &Path, conf: &Path, size: (u32, u32)) -> Option<Vec<u8>> {
    Command::new("rsvg-convert")
        .env("FONTCONFIG_FILE", conf)
        .args([
            "-b",
            "white",
            "-w",
            &size.0.to_string(),
            "-h",
            &size.1.to_string(),
            "-o",
        ])
        .arg(out)
        .arg(svg)
        .output()
        .ok()?;
    std::fs::read(out).ok()
}

fn skip(what: &str) {
    assert!(!required(), "{what} is not installed");
    eprintln!("skipped: {what} is not installed");
}

/// The SVG as Stagecraft writes it, without its embedded fonts: what the old export was.
fn without_fonts(svg: &str) -> String {
    match (svg.find("<style>"), svg.find("</style>\n")) {
        (Some(a), Some(b)) => format!("{}{}", &svg[..a], &svg[b + "</style>\n".len()..]),
        _ => svg.to_owned(),
    }
}

#[test]
fn chromium_draws_the_svg_with_its_embedded_fonts_as_stagecraft_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(conf) = font_config(dir.path()) else {
        return skip("fonts-dejavu-core");
    };
    for (i, sample) in samples().iter().enumerate() {
        let doc = stagecraft::io::load_path(sample).expect("loads").document;
        let ours = pixels(&export::render_png(&doc, &options()).expect("png")[0]);
        let svg = export::render_svg(&doc, &options()).expect("svg").remove(0);
        assert!(svg.contains("@font-face"), "fonts embedded");
        let with = dir.path().join(format!("s{i}.svg"));
        let bare = dir.path().join(format!("s{i}-bare.svg"));
        std::fs::write(&with, &svg).expect("write");
        std::fs::write(&bare, without_fonts(&svg)).expect("write");
        let size = (ours.0, ours.1);
        let Some(shot) = chromium(&with, &dir.path().join(format!("s{i}.png")), &conf, size) else {
            return skip("chromium");
        };
        let good = differing(&ours, &pixels(&shot));
        let shot = chromium(
            &bare,
            &dir.path().join(format!("s{i}-bare.png")),
            &conf,
            size,
        )
        .expect("chromium ran before");
        let bad = differing(&ours, &pixels(&shot));
        eprintln!(
            "{}: {good} pixels differ (fonts left out: {bad})",
            sample.display()
        );
        assert!(
            good < THRESHOLD,
            "{}: {good} pixels differ",
            sample.display()
        );
        assert!(
            bad > THRESHOLD,
            "{}: the control differs by only {bad}",
            sample.display()
        );
    }
}

#[test]
fn librsvg_draws_the_text_as_paths_svg_as_stagecraft_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(conf) = font_config(dir.path()) else {
        return skip("fonts-dejavu-core");
    };
    let paths = ExportOptions {
        text_as_paths: true,
        ..options()
    };
    for (i, sample) in samples().iter().enumerate() {
        let doc = stagecraft::io::load_path(sample).expect("loads").document;
        let ours = pixels(&export::render_png(&doc, &options()).expect("png")[0]);
        let size = (ours.0, ours.1);
        let outlined = export::render_svg(&doc, &paths).expect("svg").remove(0);
        assert!(!outlined.contains("<text"), "no text left as text");
        let file = dir.path().join(format!("p{i}.svg"));
        std::fs::write(&file, &outlined).expect("write");
        let Some(shot) = rsvg(&file, &dir.path().join(format!("p{i}.png")), &conf, size) else {
            return skip("rsvg-convert");
        };
        let good = differing(&ours, &pixels(&shot));
        // The control: text left as text, which librsvg draws in a fallback font.
        let text = without_fonts(&export::render_svg(&doc, &options()).expect("svg")[0]);
        let file = dir.path().join(format!("t{i}.svg"));
        std::fs::write(&file, &text).expect("write");
        let shot = rsvg(&file, &dir.path().join(format!("t{i}.png")), &conf, size).expect("ran");
        let bad = differing(&ours, &pixels(&shot));
        eprintln!(
            "{}: {good} pixels differ (text as text: {bad})",
            sample.display()
        );
        assert!(
            good < THRESHOLD,
            "{}: {good} pixels differ",
            sample.display()
        );
        assert!(
            bad > THRESHOLD,
            "{}: the control differs by only {bad}",
            sample.display()
        );
        // The outlined SVG still carries the canvas.
        assert_eq!(
            stagecraft::io::load_bytes("p.svg", outlined.as_bytes())
                .expect("opens as a canvas")
                .document,
            doc
        );
    }
}
