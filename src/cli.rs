//! The command-line commands, as functions the binary and the tests both call.

use crate::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `stagecraft export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Canvas files to export.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output file, one per input, in the same order; the extension picks the format (.json).
    #[arg(short, long = "output")]
    pub output: Vec<PathBuf>,
}

/// `stagecraft check FILE...`
pub fn check(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for file in files {
        match io::load_path(file) {
            Ok(loaded) => {
                for w in &loaded.warnings {
                    eprintln!("{w}");
                }
                println!("{}: ok", file.display());
            }
            Err(e) => {
                eprintln!("{e}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn export_one(input: &Path, output: &Path) -> Result<(), String> {
    let loaded = io::load_path(input).map_err(|e| e.to_string())?;
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => io::save_json(&loaded.document, output).map_err(|e| e.to_string()),
        _ => Err(format!(
            "{}: unknown output format; use a .json extension",
            output.display()
        )),
    }
}

/// `stagecraft export FILE... -o OUT...`
pub fn export(args: &ExportArgs) -> ExitCode {
    if args.output.len() != args.files.len() {
        eprintln!(
            "expected one -o OUTPUT per input file ({} inputs, {} outputs)",
            args.files.len(),
            args.output.len()
        );
        return ExitCode::from(2);
    }
    let mut ok = true;
    for (input, output) in args.files.iter().zip(&args.output) {
        match export_one(input, output) {
            Ok(()) => println!("{} -> {}", input.display(), output.display()),
            Err(e) => {
                eprintln!("{e}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Arguments of `stagecraft score`.
#[derive(clap::Args, Debug)]
pub struct ScoreArgs {
    /// The canvas to score (any file `check` accepts).
    pub file: PathBuf,
    /// Print the report as JSON (`score`, `rules[]` with `findings[]`) instead of text.
    #[arg(long)]
    pub json: bool,
    /// List every finding; by default the text lists at most 10 per rule.
    #[arg(long)]
    pub all: bool,
}

/// Findings listed per rule in the text report unless `--all` is given.
pub const SCORE_TEXT_LIMIT: usize = 10;

/// `stagecraft score FILE [--json] [--all]`: exit 0 with the report on stdout, 1 when the
/// file cannot be opened (errors on stderr).
pub fn score(args: &ScoreArgs) -> ExitCode {
    let loaded = match io::load_path(&args.file) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    let report = crate::scoring::score(&loaded.document);
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("cannot write the report as JSON: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let limit = (!args.all).then_some(SCORE_TEXT_LIMIT);
        print!(
            "{}",
            crate::scoring::render_text(&report, &args.file.display().to_string(), limit)
        );
    }
    ExitCode::SUCCESS
}

/// `stagecraft [FILE]`: the desktop app, on the start screen or with `file` open (a file
/// that fails to open shows its error in the app, over the start screen).
pub fn open_app(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Stagecraft")
            .with_app_id("stagecraft")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Stagecraft",
        options,
        Box::new(move |_cc| Ok(Box::new(crate::app::StagecraftApp::new(file)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stagecraft: could not open a window: {e}");
            ExitCode::FAILURE
        }
    }
}
