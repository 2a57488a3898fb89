//! The blocks under the canvas on an exported page: the themes and card marks legend, the
//! score summary with what to fix first, laid out in columns (or one under the other on a
//! narrow page).

use super::*;
use crate::model::{Document, Evidence};
use crate::scene::canvas::{FlagMark, evidence_mark, flag_mark};
use crate::scene::style::{FLOW_WIDTH, Palette};
use crate::scene::text::{self, Weight};
use crate::scene::{Detail, Item, Point, Rect, Scene};
use crate::scoring::{Report, Severity};

/// Themes with their colours and intent.
pub(super) fn themes_column(doc: &Document, width: f32, p: &Palette) -> (Vec<Item>, f32) {
    let mut items = vec![heading(0.0, 0.0, "ORCHESTRATION THEMES", p)];
    let mut y = text::line_height(HEADING_SIZE) + 6.0;
    let row_h = text::line_height(BODY_SIZE) + 5.0;
    if doc.themes.is_empty() {
        items.push(text(
            Point::new(0.0, y),
            "No themes yet",
            BODY_SIZE,
            Weight::Regular,
            p.muted_text,
        ));
        return (items, y + row_h);
    }
    // Two sub-columns when there is room and many themes.
    let sub_cols = if width > 520.0 && doc.themes.len() > 4 {
        2
    } else {
        1
    };
    let col_w = (width - (sub_cols as f32 - 1.0) * GAP) / sub_cols as f32;
    let shown = doc.themes.len().min(MAX_LEGEND_THEMES);
    let per_col = shown.div_ceil(sub_cols);
    for (i, theme) in doc.themes.iter().take(shown).enumerate() {
        let (c, r) = (i / per_col, i % per_col);
        let x = c as f32 * (col_w + GAP);
        let ty = y + r as f32 * row_h;
        let sw = 14.0;
        items.push(Item::Rect {
            rect: Rect::from_min_size(Point::new(x, ty + 2.0), sw, sw),
            radius: 3.0,
            fill: p.theme(theme),
            stroke: None,
            detail: Detail::Always,
        });
        let name_x = x + sw + 8.0;
        let name = text::ellipsize(&theme.name, BODY_SIZE, Weight::Bold, col_w - sw - 8.0);
        let name_w = text::measure(&name, BODY_SIZE, Weight::Bold);
        items.push(text(
            Point::new(name_x, ty),
            name,
            BODY_SIZE,
            Weight::Bold,
            p.text,
        ));
        let mut detail = Vec::new();
        if !theme.intent.feel.trim().is_empty() {
            detail.push(theme.intent.feel.trim().to_owned());
        }
        if !theme.tone.is_empty() {
            detail.push(theme.tone.join(", "));
        }
        let rest_w = col_w - sw - 8.0 - name_w - 8.0;
        if !detail.is_empty() && rest_w > 40.0 {
            items.push(text(
                Point::new(name_x + name_w + 8.0, ty + 1.0),
                text::ellipsize(&detail.join(" · "), SMALL_SIZE, Weight::Regular, rest_w),
                SMALL_SIZE,
                Weight::Regular,
                p.muted_text,
            ));
        }
    }
    y += per_col as f32 * row_h;
    if doc.themes.len() > shown {
        items.push(text(
            Point::new(0.0, y),
            format!("+ {} more themes", doc.themes.len() - shown),
            SMALL_SIZE,
            Weight::Regular,
            p.muted_text,
        ));
        y += row_h;
    }
    (items, y)
}

/// The marks a card can carry, the emotion scale and the arrow styles, in two short
/// columns so the footer stays low.
pub(super) fn marks_column(p: &Palette) -> (Vec<Item>, f32, f32) {
    let mut items = vec![heading(0.0, 0.0, "MARKS", p)];
    let row_h = text::line_height(BODY_SIZE) + 5.0;
    let top = text::line_height(HEADING_SIZE) + 6.0;
    let r = 8.0;
    let mid = |y: f32| y + text::line_height(BODY_SIZE) / 2.0;
    let label = |items: &mut Vec<Item>, x: f32, y: f32, s: &str| -> f32 {
        items.push(text(
            Point::new(x, y),
            s,
            BODY_SIZE,
            Weight::Regular,
            p.text,
        ));
        x + text::measure(s, BODY_SIZE, Weight::Regular)
    };
    // First column: the flags.
    let mut first_w: f32 = 0.0;
    let mut y = top;
    for mark in FlagMark::ALL {
        items.extend(flag_mark(mark, Point::new(r, mid(y)), r, p, 1.0));
        first_w = first_w.max(label(&mut items, 2.0 * r + 8.0, y, mark.label()));
        y += row_h;
    }
    let first_h = y;
    // Second column: emotion, arrows, finding marker.
    let x0 = first_w + 28.0;
    let mut second_w: f32 = 0.0;
    let mut y = top;
    for e in -2i8..=2 {
        items.push(Item::Circle {
            center: Point::new(x0 + 5.0 + f32::from(e + 2) * 12.0, mid(y)),
            radius: 5.0,
            fill: p.emotion(e),
            stroke: None,
            detail: Detail::Always,
        });
    }
    second_w = second_w.max(label(
        &mut items,
        x0 + 64.0,
        y,
        "Emotion, negative to positive",
    ));
    y += row_h;
    for (dashed, name) in [(false, "Flow"), (true, "Loop back to an earlier stage")] {
        let cy = mid(y);
        items.push(Item::Curve {
            from: Point::new(x0, cy),
            ctrl1: Point::new(x0 + 15.0, cy),
            ctrl2: Point::new(x0 + 30.0, cy),
            to: Point::new(x0 + 46.0, cy),
            width: FLOW_WIDTH,
            color: p.flow,
            arrow_head: true,
            dashed,
            detail: Detail::Always,
        });
        second_w = second_w.max(label(&mut items, x0 + 64.0, y, name));
        y += row_h;
    }
    for (i, e) in Evidence::ALL.into_iter().enumerate() {
        items.extend(evidence_mark(
            e,
            Point::new(x0 + 6.0 + i as f32 * 16.0, mid(y)),
            6.0,
            p,
            1.0,
        ));
    }
    second_w = second_w.max(label(
        &mut items,
        x0 + 64.0,
        y,
        "Evidence: observed, reported, assumed",
    ));
    y += row_h;
    let c = Point::new(x0 + 8.0, mid(y));
    items.push(Item::Circle {
        center: c,
        radius: 8.0,
        fill: p.finding,
        stroke: None,
        detail: Detail::Readable,
    });
    items.push(text(
        Point::new(
            c.x - text::measure("2", SMALL_SIZE, Weight::Bold) / 2.0,
            c.y - text::line_height(SMALL_SIZE) / 2.0,
        ),
        "2",
        SMALL_SIZE,
        Weight::Bold,
        p.on_accent,
    ));
    second_w = second_w.max(label(&mut items, x0 + 64.0, y, "Findings on a card"));
    y += row_h;
    (items, second_w, first_h.max(y))
}

/// The coherence total and the top findings.
pub(super) fn summary_column(
    doc: &Document,
    report: &Report,
    width: f32,
    p: &Palette,
) -> (Vec<Item>, f32) {
    let mut items = vec![heading(0.0, 0.0, "COHERENCE", p)];
    let mut y = text::line_height(HEADING_SIZE) + 4.0;
    if report.rules.is_empty() {
        items.push(text(
            Point::new(0.0, y),
            "Not scored",
            BODY_SIZE,
            Weight::Regular,
            p.muted_text,
        ));
        return (items, y + text::line_height(BODY_SIZE));
    }
    let total = report.total.to_string();
    let big = 30.0;
    let tw = text::measure(&total, big, Weight::Bold);
    let color = match report.total {
        0..=49 => p.pain_point,
        50..=74 => p.magic_moment,
        _ => p.emotion(2),
    };
    items.push(text(Point::new(0.0, y), total, big, Weight::Bold, color));
    items.push(text(
        Point::new(
            tw + 6.0,
            y + text::baseline(big) - text::baseline(BODY_SIZE),
        ),
        "/ 100",
        BODY_SIZE,
        Weight::Regular,
        p.muted_text,
    ));
    let rules_line = {
        let applied: Vec<_> = report.rules.iter().filter(|r| r.score.is_some()).collect();
        format!(
            "{} rules applied, {} not applicable",
            applied.len(),
            report.rules.len() - applied.len()
        )
    };
    let x = tw + 6.0 + text::measure("/ 100", BODY_SIZE, Weight::Regular) + 14.0;
    if width - x > 60.0 {
        items.push(text(
            Point::new(x, y + text::baseline(big) - text::baseline(SMALL_SIZE)),
            text::ellipsize(&rules_line, SMALL_SIZE, Weight::Regular, width - x),
            SMALL_SIZE,
            Weight::Regular,
            p.muted_text,
        ));
    }
    y += text::line_height(big) + 4.0;
    if !doc.touchpoints.is_empty() {
        items.push(text(
            Point::new(0.0, y),
            text::ellipsize(
                &format!("Evidence: {}", doc.assumed_share()),
                BODY_SIZE,
                Weight::Regular,
                width,
            ),
            BODY_SIZE,
            Weight::Regular,
            p.text,
        ));
        y += text::line_height(BODY_SIZE) + 4.0;
    }
    // The engine orders findings by what matters most.
    let total_findings: usize = report.rules.iter().map(|r| r.findings.len()).sum();
    let findings = report.top_findings(MAX_FINDINGS);
    if findings.is_empty() {
        items.push(text(
            Point::new(0.0, y),
            "No findings: every rule passes.",
            BODY_SIZE,
            Weight::Regular,
            p.text,
        ));
        y += text::line_height(BODY_SIZE);
    }
    let lh = text::line_height(BODY_SIZE);
    for (rule, f) in &findings {
        let dot = match f.severity {
            Severity::Problem => p.pain_point,
            Severity::Warning => p.magic_moment,
            Severity::Info => p.top_task,
        };
        items.push(Item::Circle {
            center: Point::new(4.0, y + lh / 2.0),
            radius: 4.0,
            fill: dot,
            stroke: None,
            detail: Detail::Always,
        });
        let line = format!("{}: {}", rule.title, f.message);
        for l in text::wrap(&line, BODY_SIZE, Weight::Regular, width - 14.0, 2) {
            items.push(text(
                Point::new(14.0, y),
                l,
                BODY_SIZE,
                Weight::Regular,
                p.text,
            ));
            y += lh;
        }
        y += 3.0;
    }
    if total_findings > findings.len() {
        items.push(text(
            Point::new(14.0, y),
            format!(
                "+ {} more findings in the inspector",
                total_findings - findings.len()
            ),
            SMALL_SIZE,
            Weight::Regular,
            p.muted_text,
        ));
        y += text::line_height(SMALL_SIZE);
    }
    // The fixes that gain most, each tried on a copy of the canvas.
    let fixes = if doc.touchpoints.len() <= FIXES_UP_TO {
        crate::scoring::fixes(doc, report, MAX_FIXES)
    } else {
        Vec::new()
    };
    if !fixes.is_empty() {
        y += 6.0;
        items.push(heading(0.0, y, "FIX FIRST", p));
        y += text::line_height(HEADING_SIZE) + 4.0;
        for fix in &fixes {
            let line = format!("+{}  {}", fix.gain, fix.message);
            for l in text::wrap(&line, BODY_SIZE, Weight::Regular, width - 14.0, 2) {
                items.push(text(
                    Point::new(14.0, y),
                    l,
                    BODY_SIZE,
                    Weight::Regular,
                    p.text,
                ));
                y += lh;
            }
            y += 3.0;
        }
    }
    (items, y)
}

/// Legend and summary side by side (stacked on narrow pages), `width` wide.
pub(super) fn footer_block(
    doc: &Document,
    report: &Report,
    width: f32,
    legend: bool,
    summary: bool,
    p: &Palette,
) -> Option<Scene> {
    if !legend && !summary {
        return None;
    }
    let mut scene = Scene {
        bounds: Rect::from_min_size(Point::default(), width, 0.0),
        items: Vec::new(),
        groups: vec![group("footer-rule")],
    };
    // A hairline separates the canvas from the footer.
    scene.items.push(Item::Line {
        points: vec![Point::new(0.0, 0.0), Point::new(width, 0.0)],
        width: 1.0,
        color: p.grid_line,
        detail: Detail::Always,
    });
    // items, width, height, and the group they make
    let mut blocks: Vec<(Vec<Item>, f32, f32, &'static str)> = Vec::new();
    let narrow = width < 760.0;
    let summary_w = if narrow {
        width
    } else {
        (width * 0.36).clamp(300.0, 520.0)
    };
    if legend {
        let (marks, marks_w, marks_h) = marks_column(p);
        let themes_w = if narrow {
            width
        } else {
            width - marks_w - summary_w * f32::from(u8::from(summary)) - 2.0 * GAP
        };
        let (themes, themes_h) = themes_column(doc, themes_w.max(160.0), p);
        blocks.push((themes, themes_w, themes_h, "legend-themes"));
        blocks.push((marks, marks_w, marks_h, "legend-marks"));
    }
    if summary {
        let (items, h) = summary_column(doc, report, summary_w, p);
        blocks.push((items, summary_w, h, "summary"));
    }
    let mut x = 0.0;
    let mut y = 12.0;
    let mut row_h: f32 = 0.0;
    for (items, w, h, id) in blocks {
        scene.begin_layer(id);
        if narrow && x > 0.0 {
            x = 0.0;
            y += row_h + GAP;
            row_h = 0.0;
        }
        scene.items.extend(
            items
                .into_iter()
                .map(|i| crate::scene::translate_item(i, x, y)),
        );
        row_h = row_h.max(h);
        x += w + GAP;
        if narrow {
            x = width; // force a new row for the next block
        }
    }
    let height = y + row_h;
    scene.bounds = Rect::from_min_size(Point::default(), width, height);
    Some(scene)
}
