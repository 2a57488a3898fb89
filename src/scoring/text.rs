//! The report as plain text for a terminal: the total, one line per rule, and the
//! findings indented under their rule with severity and fix.

use super::{Report, Target};
use std::fmt::Write as _;

/// Renders `report`; `title` heads it (a file name, say). At most `limit` findings are
/// listed per rule (all when `None`), followed by a count of the rest.
pub fn render_text(report: &Report, title: &str, limit: Option<usize>) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let _ = writeln!(out, "{title}: coherence {}/100", report.total);
    for rule in &report.rules {
        let score = rule
            .score
            .map_or_else(|| "n/a".to_owned(), |s| s.to_string());
        let _ = writeln!(out, "  {score:>3}  w{:<3} {}", rule.weight, rule.title);
        let shown = limit.unwrap_or(usize::MAX);
        for f in rule.findings.iter().take(shown) {
            let _ = writeln!(out, "         {:<8} {}", f.severity.label(), f.message);
            if !f.targets.is_empty() {
                let names: Vec<String> = f.targets.iter().map(target_text).collect();
                let _ = writeln!(out, "                  at: {}", names.join(", "));
            }
            let _ = writeln!(out, "                  fix: {}", f.fix);
        }
        if rule.findings.len() > shown {
            let _ = writeln!(
                out,
                "         … and {} more findings (use --all or --json to see them)",
                rule.findings.len() - shown
            );
        }
    }
    out
}

fn target_text(t: &Target) -> String {
    match t {
        Target::Touchpoint(id) => format!("touchpoint {id}"),
        Target::Stage(id) => format!("stage {id}"),
        Target::Lane(id) => format!("lane {id}"),
        Target::Theme(id) => format!("theme {id}"),
        Target::Flow(id) => format!("flow {id}"),
    }
}
