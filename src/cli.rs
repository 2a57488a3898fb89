//! The command-line commands, as functions the binary and the tests both call.

use crate::{export, io};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `stagecraft export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Canvas files to export (.json, or .png exported by Stagecraft).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output file, one per input, in the same order; the extension picks the format
    /// (.png, .svg, .pdf or .json).
    #[arg(short, long = "output")]
    pub output: Vec<PathBuf>,
    /// Write each export into this folder, named after its input (instead of -o).
    #[arg(long, conflicts_with = "output")]
    pub out_dir: Option<PathBuf>,
    /// Format for --out-dir: png, svg, pdf or json.
    #[arg(long, default_value = "png", requires = "out_dir")]
    pub format: String,
    /// Paper: A4, A3, A2, Letter, Tabloid, or fit (the page fits the canvas).
    #[arg(long, default_value = "A3")]
    pub paper: export::Paper,
    /// Raster resolution of PNGs, 96 to 600.
    #[arg(long, default_value_t = 300.0)]
    pub dpi: f32,
    /// Landscape paper (default: follow the canvas's shape).
    #[arg(long, conflicts_with = "portrait")]
    pub landscape: bool,
    /// Portrait paper.
    #[arg(long)]
    pub portrait: bool,
    /// Canvas scale: page pixels (1/96 inch) per canvas unit. Default: fit the paper.
    #[arg(long)]
    pub scale: Option<f32>,
    /// Margins in millimetres.
    #[arg(long, default_value_t = 10.0)]
    pub margin: f32,
    /// Leave out the legend (themes, marks).
    #[arg(long)]
    pub no_legend: bool,
    /// Leave out the title block and the coherence summary.
    #[arg(long)]
    pub no_summary: bool,
    /// Cut into sheets: `COLSxROWS` (like 2x2), or auto (enough sheets for --scale, default 1).
    #[arg(long, num_args = 0..=1, default_missing_value = "auto")]
    pub tiles: Option<export::Tiles>,
    /// Overlap between tiles in millimetres.
    #[arg(long, default_value_t = 10.0)]
    pub overlap: f32,
    /// Use the dark palette (for slides).
    #[arg(long)]
    pub dark: bool,
    /// SVG: write text as outlines instead of text with the fonts embedded (for renderers
    /// that ignore embedded fonts, such as librsvg, and for print shops).
    #[arg(long)]
    pub text_as_paths: bool,
    /// Hatch the cards whose evidence is assumed (not observed nor reported).
    #[arg(long)]
    pub hatch_assumed: bool,
    /// Leave out the emotion curve under the stage headers.
    #[arg(long)]
    pub no_emotion_curve: bool,
}

impl ExportArgs {
    /// The export options these arguments ask for.
    pub fn options(&self) -> export::ExportOptions {
        export::ExportOptions {
            paper: self.paper,
            orientation: if self.landscape {
                export::Orientation::Landscape
            } else if self.portrait {
                export::Orientation::Portrait
            } else {
                export::Orientation::Auto
            },
            dpi: self.dpi,
            scale: self.scale,
            margin_mm: self.margin,
            legend: !self.no_legend,
            summary: !self.no_summary,
            tiles: self.tiles.unwrap_or_default(),
            overlap_mm: self.overlap,
            dark: self.dark,
            text_as_paths: self.text_as_paths,
            hatch_assumed: self.hatch_assumed,
            emotion_curve: !self.no_emotion_curve,
        }
    }

    /// (input, output) pairs, or a message when -o and the inputs do not match.
    pub fn jobs(&self) -> Result<Vec<(PathBuf, PathBuf)>, String> {
        if let Some(dir) = &self.out_dir {
            let ext = self.format.to_ascii_lowercase();
            if !["png", "svg", "pdf", "json"].contains(&ext.as_str()) {
                return Err(format!(
                    "unknown --format {:?}; expected png, svg, pdf or json",
                    self.format
                ));
            }
            let mut seen = std::collections::HashSet::new();
            return self
                .files
                .iter()
                .map(|input| {
                    let stem = input
                        .file_stem()
                        .map_or_else(|| "canvas".into(), |s| s.to_string_lossy().into_owned());
                    let out = dir.join(format!("{stem}.{ext}"));
                    if !seen.insert(out.clone()) {
                        return Err(format!(
                            "two inputs would both be written to {}; rename one or use -o",
                            out.display()
                        ));
                    }
                    Ok((input.clone(), out))
                })
                .collect();
        }
        if self.output.len() != self.files.len() {
            return Err(format!(
                "expected one -o OUTPUT per input file ({} inputs, {} outputs), or --out-dir DIR",
                self.files.len(),
                self.output.len()
            ));
        }
        Ok(self
            .files
            .iter()
            .cloned()
            .zip(self.output.iter().cloned())
            .collect())
    }
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

fn export_one(
    input: &Path,
    output: &Path,
    opts: &export::ExportOptions,
) -> Result<Vec<PathBuf>, String> {
    let loaded = io::load_path(input).map_err(|e| e.to_string())?;
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() == Some("json") {
        return io::save_json(&loaded.document, output)
            .map(|()| vec![output.to_owned()])
            .map_err(|e| e.to_string());
    }
    let Some(format) = export::Format::from_path(output) else {
        return Err(format!(
            "{}: unknown output format; use .png, .svg, .pdf or .json",
            output.display()
        ));
    };
    export::export_to_path(&loaded.document, output, format, opts, &mut |_| true)
        .map_err(|e| format!("{}: {e}", output.display()))
}

/// `stagecraft export FILE... (-o OUT... | --out-dir DIR) [options]`
pub fn export(args: &ExportArgs) -> ExitCode {
    let jobs = match args.jobs() {
        Ok(jobs) => jobs,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let opts = args.options();
    if let Err(e) = opts.validate() {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    if let Some(dir) = &args.out_dir
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut ok = true;
    for (input, output) in &jobs {
        match export_one(input, output, &opts) {
            Ok(files) => {
                for f in files {
                    println!("{} -> {}", input.display(), f.display());
                }
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

/// Fixes listed in `stagecraft score --json`, best first.
pub const SCORE_JSON_FIXES: usize = 10;

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
        // The report, and the fixes that would gain most, best first.
        let fixes = crate::scoring::fixes(&loaded.document, &report, SCORE_JSON_FIXES);
        let json = serde_json::to_value(&report).and_then(|mut value| {
            if let Some(map) = value.as_object_mut() {
                map.insert("fixes".to_owned(), serde_json::to_value(&fixes)?);
            }
            serde_json::to_string_pretty(&value)
        });
        match json {
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

/// Arguments of `stagecraft diff`.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The older copy.
    pub old: PathBuf,
    /// The newer copy.
    pub new: PathBuf,
    /// Print the changes as JSON (see docs/MERGE.md) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Opens a canvas for `diff` or `merge`, printing its warnings; `None` (the error
/// printed) when it cannot be opened.
fn open_for_merge(path: &Path) -> Option<crate::model::Document> {
    match io::load_path(path) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("{w}");
            }
            Some(loaded.document)
        }
        Err(e) => {
            eprintln!("{e}");
            None
        }
    }
}

/// The diff with the two files' names, as `diff --json` prints it.
#[derive(serde::Serialize)]
struct DiffJson<'a> {
    old_file: String,
    new_file: String,
    equal: bool,
    #[serde(flatten)]
    diff: &'a crate::merge::Diff,
}

/// `stagecraft diff OLD NEW [--json]`: the changes on stdout; exit 0 when the canvases are
/// equal, 1 when they differ, 2 when one cannot be opened (like `diff`).
pub fn diff(args: &DiffArgs) -> ExitCode {
    let (Some(old), Some(new)) = (open_for_merge(&args.old), open_for_merge(&args.new)) else {
        return ExitCode::from(2);
    };
    let diff = crate::merge::diff(&old, &new);
    if args.json {
        let out = DiffJson {
            old_file: args.old.display().to_string(),
            new_file: args.new.display().to_string(),
            equal: diff.is_empty(),
            diff: &diff,
        };
        match serde_json::to_string_pretty(&out) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("cannot write the changes as JSON: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", diff.render_text());
    }
    if diff.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Arguments of `stagecraft merge`.
#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The common ancestor of the two copies (git's %O). An empty file means there is
    /// none (both sides created the canvas).
    pub base: PathBuf,
    /// Our copy (git's %A).
    pub ours: PathBuf,
    /// Their copy (git's %B).
    pub theirs: PathBuf,
    /// Where to write the merged canvas (may be OURS, as the git driver does).
    #[arg(short, long = "output")]
    pub output: PathBuf,
    /// Which side a conflict is resolved to: ours or theirs.
    #[arg(long, default_value = "ours")]
    pub prefer: crate::merge::Side,
    /// The name to show for OUT in messages (git's %P: the canvas's path in the
    /// repository, where OUT is a temporary file).
    #[arg(long)]
    pub name: Option<String>,
}

/// `stagecraft merge BASE OURS THEIRS -o OUT [--prefer ours|theirs]`: writes the merge,
/// canonical, to OUT; conflicts and repairs on stderr, one a line. Exit 0 on a clean
/// merge, 1 with conflicts (OUT is still written, resolved to `--prefer`), 2 when an input
/// cannot be opened or OUT cannot be written.
pub fn merge(args: &MergeArgs) -> ExitCode {
    let base = match std::fs::metadata(&args.base) {
        // git passes an empty ancestor when both branches added the file.
        Ok(m) if m.is_file() && m.len() == 0 => Some(crate::model::Document::default()),
        _ => open_for_merge(&args.base),
    };
    let (Some(base), Some(ours), Some(theirs)) = (
        base,
        open_for_merge(&args.ours),
        open_for_merge(&args.theirs),
    ) else {
        return ExitCode::from(2);
    };
    let outcome = crate::merge::merge(&base, &ours, &theirs, args.prefer);
    let out = args
        .name
        .clone()
        .unwrap_or_else(|| args.output.display().to_string());
    let problems = crate::model::validate(&outcome.doc);
    if let Some(p) = problems.first() {
        // The merge keeps every limit by design; should it ever fail to, OUT is left alone.
        eprintln!(
            "{out}: the merged canvas is not valid ({} at {}); nothing was written",
            p.message, p.path
        );
        return ExitCode::from(2);
    }
    if let Err(e) = io::save_json(&outcome.doc, &args.output) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    for note in &outcome.notes {
        eprintln!("{out}: note: {note}");
    }
    for conflict in &outcome.conflicts {
        eprintln!("{out}: conflict: {conflict}");
    }
    if outcome.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Arguments of `stagecraft push`.
#[derive(clap::Args, Debug)]
pub struct PushArgs {
    /// The canvas to bring into the room (any file `check` accepts).
    pub file: PathBuf,
    /// The room: ws://HOST:PORT/ROOM.
    pub url: String,
    /// Seconds to wait for the server before giving up.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
}

/// `stagecraft push FILE URL`: a new room takes the canvas as it is; a room that holds one
/// gets the file's changes merged into it by the rules of `stagecraft merge` (three-way
/// when this machine kept the version both descend from, else two-way: nothing deleted),
/// the room's values winning conflicts, so that colleagues' changes are never overwritten.
/// Conflicts and notes on stderr; the room's address on the last line of stdout. Exit 0
/// when clean, 1 with conflicts (the room's values kept), 2 on an error.
pub fn push(args: &PushArgs) -> ExitCode {
    let address: crate::live::RoomAddress = match args.url.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("stagecraft push: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(doc) = open_for_merge(&args.file) else {
        return ExitCode::from(2);
    };
    let base: Option<crate::live::BaseFinder> =
        crate::history::VersionStore::open_default().map(|store| {
            Box::new(
                move |room: &crate::model::Lineage, file: &crate::model::Lineage| {
                    store.find_base(room, file)
                },
            ) as crate::live::BaseFinder
        });
    let within = std::time::Duration::from_secs(args.timeout);
    let name = args.file.display();
    match crate::live::push(&address, doc, base, within) {
        Ok(outcome) => {
            if outcome.new_room {
                eprintln!("{name}: a new room, which takes the canvas as it is");
            } else {
                eprintln!(
                    "{name}: merged into the room's canvas ({}); conflicts keep the room's values (ours: the room, theirs: {name})",
                    if outcome.three_way {
                        "three-way, from the version both descend from"
                    } else {
                        "two-way: no common version on this machine, nothing deleted"
                    }
                );
            }
            for note in &outcome.notes {
                eprintln!("{name}: note: {note}");
            }
            for conflict in &outcome.conflicts {
                eprintln!("{name}: conflict: {conflict}");
            }
            println!("{address}");
            if outcome.conflicts.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("stagecraft push: {address}: {e}");
            ExitCode::from(2)
        }
    }
}

/// Arguments of `stagecraft pull`.
#[derive(clap::Args, Debug)]
pub struct PullArgs {
    /// The room: ws://HOST:PORT/ROOM.
    pub url: String,
    /// Where to write the room's canvas (canonical JSON).
    #[arg(short, long = "output")]
    pub output: PathBuf,
    /// Seconds to wait for the server before giving up.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
}

/// `stagecraft pull URL -o FILE`: writes the room's current canvas, with a version stamped
/// into its lineage (in the room too) and kept in this machine's history, so that a later
/// `push` of the edited file merges three-way. Exit 0 when written, 2 on an error (the
/// server unreachable, an empty room, a file that cannot be written).
pub fn pull(args: &PullArgs) -> ExitCode {
    let address: crate::live::RoomAddress = match args.url.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("stagecraft pull: {e}");
            return ExitCode::from(2);
        }
    };
    let within = std::time::Duration::from_secs(args.timeout);
    match crate::live::pull_stamped(&address, within) {
        Ok(doc) => match io::save_json(&doc, &args.output) {
            Ok(()) => {
                // The version a later push of this file merges against.
                if let Some(store) = crate::history::VersionStore::open_default()
                    && let Err(e) = store.record(&doc, &io::to_json(&doc))
                {
                    eprintln!(
                        "{}: note: its version could not be kept for a later push ({e})",
                        args.output.display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("stagecraft pull: {address}: {e}");
            ExitCode::from(2)
        }
    }
}
