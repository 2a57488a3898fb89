//! The `stagecraft` command: opens the app, or runs a command on canvas files.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Stagecraft: sketch customer and employee journeys, orchestrate them under themes, and
/// see how coherent they are.
#[derive(Parser)]
#[command(name = "stagecraft", version, about)]
struct Cli {
    /// A canvas to open in the app (.json, or a .png exported by Stagecraft).
    file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate canvas files; exit 0 when all are valid, 1 otherwise (errors on stderr).
    Check {
        /// Files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Re-save canvases in another form; the format follows the output's extension.
    Export(stagecraft::cli::ExportArgs),
    /// Score a canvas's coherence: the total, each rule, and findings with fixes.
    Score(stagecraft::cli::ScoreArgs),
    /// Show what changed between two copies of a canvas, and how the score moved; exit 0
    /// when they are equal, 1 when they differ, 2 on an error.
    Diff(stagecraft::cli::DiffArgs),
    /// Merge two colleagues' copies of a canvas by id (a three-way merge, also usable as a
    /// git merge driver); exit 0 when clean, 1 with conflicts, 2 on an error.
    Merge(stagecraft::cli::MergeArgs),
    /// Bring a canvas into a live room (ws://HOST:PORT/ROOM): a new room takes it as it
    /// is, an existing one gets its changes merged (the room's values win conflicts);
    /// prints the room's address last; exit 0 when clean, 1 with conflicts, 2 on an error.
    Push(stagecraft::cli::PushArgs),
    /// Write a live room's current canvas to a file; exit 0, or 2 on an error.
    Pull(stagecraft::cli::PullArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { files }) => stagecraft::cli::check(&files),
        Some(Command::Export(args)) => stagecraft::cli::export(&args),
        Some(Command::Score(args)) => stagecraft::cli::score(&args),
        Some(Command::Diff(args)) => stagecraft::cli::diff(&args),
        Some(Command::Merge(args)) => stagecraft::cli::merge(&args),
        Some(Command::Push(args)) => stagecraft::cli::push(&args),
        Some(Command::Pull(args)) => stagecraft::cli::pull(&args),
        None => stagecraft::cli::open_app(cli.file),
    }
}
