//! The report as plain text for a terminal: the total, one line per rule, and the
//! findings indented under their rule with severity and fix.

use super::{Report, Target};
use std::fmt::Write as _;

/// Targets named per finding; a finding about hundreds of cards names the first few.
const TARGETS_SHOWN: usize = 8;

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
                let mut names: Vec<String> = f
                    .targets
                    .iter()
                    .take(TARGETS_SHOWN)
                    .map(target_text)
                    .collect();
                if f.targets.len() > TARGETS_SHOWN {
                    names.push(format!("and {} more", f.targets.len() - TARGETS_SHOWN));
                }
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
