//! A card: its shadow and body, the theme stripe, title and notes wrapped to the card,
//! the emotion dot, evidence mark, department, flag marks and the finding marker, and on
//! a poster that asks for it, hatching over a card whose evidence is assumed. Built at
//! full colour; a card outside a highlighted theme is faded afterwards (see
//! `live::Dimming`).

use super::shapes::{centered_text, rect_item, text_item};
use crate::model::{Actor, Evidence, ThemeId, Touchpoint};
use crate::scene::geom::{Point, Rect, Rgba};
use crate::scene::style::{
    CARD_META_SIZE, CARD_PAD, CARD_RADIUS, CARD_TITLE_LINES, CARD_TITLE_SIZE, FLAG_R, Palette,
    THEME_STRIPE_H,
};
use crate::scene::text::{self, Weight};
use crate::scene::{Detail, Item};

/// The theme colours of a document, by theme id.
pub(super) type ThemeColors = crate::IdMap<ThemeId, Rgba>;

/// Top of the theme stripe, from the card's top.
const STRIPE_TOP: f32 = 8.0;
/// Space between the stripe and the title.
const STRIPE_TITLE_GAP: f32 = 5.0;
/// Space between two themes' segments of the stripe.
const STRIPE_GAP: f32 = 3.0;
/// Room the stripe leaves for the finding marker on the top-right corner.
const MARKER_ROOM: f32 = 10.0;
/// The emotion dot at the start of the bottom row.
const EMOTION_R: f32 = 5.0;
/// Space between two flag marks.
const MARK_GAP: f32 = 4.0;
/// Radius of the evidence mark on a card, beside the emotion dot.
pub const EVIDENCE_R: f32 = 5.0;
/// Centre of the evidence mark from a card's padded left edge, right of the emotion dot.
pub const EVIDENCE_X: f32 = 19.0;
/// Where the department starts, after the evidence mark, and the least room it needs.
const META_INSET: f32 = EVIDENCE_X + EVIDENCE_R + 5.0;
const MIN_META_W: f32 = 24.0;
/// Hatching over an assumed card: kept in from the corners, lines apart, their width and
/// how strongly they show (a share of the border colour).
const HATCH_INSET: f32 = CARD_RADIUS / 2.0;
const HATCH_GAP: f32 = 9.0;
const HATCH_WIDTH: f32 = 1.0;
const HATCH_ALPHA: f32 = 0.7;
/// The finding marker: its centre in from the top-right corner, radius and ring.
const MARKER_INSET: f32 = 4.0;
const MARKER_R: f32 = 9.0;
const MARKER_RING: f32 = 1.5;

/// The marks a card can carry, drawn the same on cards and in the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlagMark {
    PainPoint,
    MagicMoment,
    Memorabilia,
    TopTask,
}

impl FlagMark {
    pub const ALL: [FlagMark; 4] = [
        FlagMark::PainPoint,
        FlagMark::MagicMoment,
        FlagMark::Memorabilia,
        FlagMark::TopTask,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FlagMark::PainPoint => "Pain point",
            FlagMark::MagicMoment => "Magic moment",
            FlagMark::Memorabilia => "Memorabilia",
            FlagMark::TopTask => "Top task",
        }
    }

    fn color(self, p: &Palette) -> Rgba {
        match self {
            FlagMark::PainPoint => p.pain_point,
            FlagMark::MagicMoment => p.magic_moment,
            FlagMark::Memorabilia => p.memorabilia,
            FlagMark::TopTask => p.top_task,
        }
    }

    /// The marks a touchpoint carries, in drawing order.
    pub fn of(tp: &Touchpoint) -> Vec<FlagMark> {
        let mut out = Vec::new();
        if tp.flags.pain_point {
            out.push(FlagMark::PainPoint);
        }
        if tp.flags.magic_moment {
            out.push(FlagMark::MagicMoment);
        }
        if tp.flags.memorabilia {
            out.push(FlagMark::Memorabilia);
        }
        if tp.top_task.is_some() {
            out.push(FlagMark::TopTask);
        }
        out
    }
}

/// Items drawing a flag mark as a round icon of radius `r` centred on `center`, built from
/// primitives (no icon font): "!" for a pain point, a sparkle for a magic moment, a gift
/// for memorabilia, a tick for a top task.
pub fn flag_mark(
    mark: FlagMark,
    center: Point,
    r: f32,
    palette: &Palette,
    alpha: f32,
) -> Vec<Item> {
    let fill = mark.color(palette).faded(alpha);
    let ink = palette.on_accent.faded(alpha);
    let d = Detail::Readable;
    let c = center;
    let w = (r * 0.2).max(1.0);
    let mut items = vec![Item::Circle {
        center: c,
        radius: r,
        fill,
        stroke: None,
        detail: d,
    }];
    let line = |pts: &[(f32, f32)]| Item::Line {
        points: pts
            .iter()
            .map(|(x, y)| Point::new(c.x + x * r, c.y + y * r))
            .collect(),
        width: w,
        color: ink,
        detail: d,
    };
    match mark {
        FlagMark::PainPoint => {
            items.push(line(&[(0.0, -0.55), (0.0, 0.15)]));
            items.push(Item::Circle {
                center: Point::new(c.x, c.y + 0.5 * r),
                radius: w * 0.75,
                fill: ink,
                stroke: None,
                detail: d,
            });
        }
        FlagMark::MagicMoment => {
            items.push(line(&[(0.0, -0.6), (0.0, 0.6)]));
            items.push(line(&[(-0.6, 0.0), (0.6, 0.0)]));
            items.push(line(&[(-0.35, -0.35), (0.35, 0.35)]));
            items.push(line(&[(-0.35, 0.35), (0.35, -0.35)]));
        }
        FlagMark::Memorabilia => {
            items.push(Item::Rect {
                rect: Rect::from_min_max(
                    Point::new(c.x - 0.5 * r, c.y - 0.3 * r),
                    Point::new(c.x + 0.5 * r, c.y + 0.55 * r),
                ),
                radius: 0.0,
                fill: Rgba::TRANSPARENT,
                stroke: Some((w, ink)),
                detail: d,
            });
            items.push(line(&[(0.0, -0.3), (0.0, 0.55)]));
            items.push(line(&[(-0.35, -0.6), (0.0, -0.3), (0.35, -0.6)]));
        }
        FlagMark::TopTask => {
            items.push(line(&[(-0.45, 0.0), (-0.12, 0.35), (0.48, -0.35)]));
        }
    }
    items
}

/// Items drawing the mark of a card's evidence, a small ring of radius `r` centred on
/// `center`: an eye's pupil for observed, a speech bubble's tail for reported, a question
/// mark for assumed.
pub fn evidence_mark(
    evidence: Evidence,
    center: Point,
    r: f32,
    palette: &Palette,
    alpha: f32,
) -> Vec<Item> {
    let ink = palette.muted_text.faded(alpha);
    let d = Detail::Readable;
    let w = (r * 0.22).max(0.8);
    let mut items = vec![Item::Circle {
        center,
        radius: r,
        fill: palette.card_fill.faded(alpha),
        stroke: Some((w, ink)),
        detail: d,
    }];
    match evidence {
        Evidence::Observed => items.push(Item::Circle {
            center,
            radius: r * 0.45,
            fill: ink,
            stroke: None,
            detail: d,
        }),
        Evidence::Reported => {
            items.push(Item::Line {
                points: vec![
                    Point::new(center.x - r * 0.5, center.y + r * 0.85),
                    Point::new(center.x - r * 1.05, center.y + r * 1.3),
                    Point::new(center.x - r * 0.15, center.y + r * 0.98),
                ],
                width: w,
                color: ink,
                detail: d,
            });
            for dx in [-0.4, 0.0, 0.4] {
                items.push(Item::Circle {
                    center: Point::new(center.x + dx * r, center.y),
                    radius: r * 0.14,
                    fill: ink,
                    stroke: None,
                    detail: d,
                });
            }
        }
        Evidence::Assumed => items.push(centered_text(
            Point::new(center.x, center.y + r * 0.05),
            "?",
            r * 1.7,
            Weight::Bold,
            ink,
        )),
    }
    items
}

/// Diagonal hatching inside `rect`, lines `gap` apart, kept clear of rounded corners by
/// `inset`.
pub fn hatch_lines(rect: Rect, inset: f32, gap: f32, width: f32, color: Rgba) -> Vec<Item> {
    let (x0, y0) = (rect.min.x + inset, rect.min.y + inset);
    let (x1, y1) = (rect.max.x - inset, rect.max.y - inset);
    if x1 <= x0 || y1 <= y0 || gap <= 0.0 {
        return Vec::new();
    }
    // Lines x + y = c, from the top-left corner to the bottom-right one.
    let mut items = Vec::new();
    let mut c = x0 + y0 + gap;
    while c < x1 + y1 {
        let a = Point::new((c - y0).min(x1), c - (c - y0).min(x1));
        let b = Point::new(c - (c - x0).min(y1), (c - x0).min(y1));
        items.push(Item::Line {
            points: vec![a, b],
            width,
            color,
            detail: Detail::Readable,
        });
        c += gap;
    }
    items
}

/// Top of a card's title, below its theme stripe.
fn title_top(rect: Rect) -> f32 {
    rect.min.y + STRIPE_TOP + THEME_STRIPE_H + STRIPE_TITLE_GAP
}

/// Middle of a card's bottom row (emotion dot, evidence mark, department, flag marks).
fn bottom_row_y(rect: Rect) -> f32 {
    rect.max.y - CARD_PAD - FLAG_R + 1.0
}

/// A card's title lines, then its notes lines in the room the title leaves above the
/// bottom row.
fn card_texts(tp: &Touchpoint, rect: Rect) -> (Vec<String>, Vec<String>) {
    let width = rect.width() - 2.0 * CARD_PAD;
    let title = if tp.title.trim().is_empty() {
        "(untitled)"
    } else {
        &tp.title
    };
    let title = text::wrap(
        title,
        CARD_TITLE_SIZE,
        Weight::Bold,
        width,
        CARD_TITLE_LINES,
    );
    // Added line by line, as `card_items` places them, so both agree to the last bit.
    let mut below_title = title_top(rect);
    for _ in &title {
        below_title += text::line_height(CARD_TITLE_SIZE);
    }
    let notes = tp.notes.trim();
    let room = bottom_row_y(rect) - FLAG_R - 3.0 - (below_title + 1.0);
    let lines = (room / text::line_height(CARD_META_SIZE)).floor().max(0.0) as usize;
    let notes = if !notes.is_empty() && lines > 0 {
        text::wrap(notes, CARD_META_SIZE, Weight::Regular, width, lines)
    } else {
        Vec::new()
    };
    (title, notes)
}

/// The items of card `tp` laid out in `rect`, named by `findings` findings, into `items`;
/// hatched when `hatch_assumed` is set and its evidence is assumed.
pub(super) fn card_items(
    tp: &Touchpoint,
    rect: Rect,
    findings: u32,
    hatch_assumed: bool,
    theme_colors: &ThemeColors,
    p: &Palette,
    items: &mut Vec<Item>,
) {
    items.push(Item::Rect {
        rect: rect.translate(0.0, 2.0),
        radius: CARD_RADIUS,
        fill: p.card_shadow,
        stroke: None,
        detail: Detail::Readable,
    });
    let employee = tp.actor == Actor::Employee;
    let border = if employee {
        p.visibility_line
    } else {
        p.card_border
    };
    items.push(rect_item(
        rect,
        CARD_RADIUS,
        p.card_fill,
        Some((1.0, border)),
    ));
    if hatch_assumed && tp.evidence == Evidence::Assumed {
        let color = p.card_border.faded(HATCH_ALPHA);
        items.extend(hatch_lines(
            rect,
            HATCH_INSET,
            HATCH_GAP,
            HATCH_WIDTH,
            color,
        ));
    }
    stripe_items(tp, rect, findings > 0, theme_colors, p, items);
    text_items(tp, rect, p, items);
    bottom_row_items(tp, rect, p, items);
    if findings > 0 {
        marker_items(rect, findings, p, items);
    }
}

/// The theme stripe: one segment per theme, in the card's order. It stops short of the
/// finding marker on the top-right corner.
fn stripe_items(
    tp: &Touchpoint,
    rect: Rect,
    marker: bool,
    theme_colors: &ThemeColors,
    p: &Palette,
    items: &mut Vec<Item>,
) {
    let marker_room = if marker { MARKER_ROOM } else { 0.0 };
    let stripe = Rect::from_min_size(
        Point::new(rect.min.x + CARD_PAD, rect.min.y + STRIPE_TOP),
        rect.width() - 2.0 * CARD_PAD - marker_room,
        THEME_STRIPE_H,
    );
    let colors: Vec<Rgba> = tp
        .themes
        .iter()
        .filter_map(|t| theme_colors.get(t).copied())
        .collect();
    let radius = THEME_STRIPE_H / 2.0;
    if colors.is_empty() {
        items.push(rect_item(stripe, radius, p.card_no_theme, None));
        return;
    }
    let n = colors.len() as f32;
    let seg = (stripe.width() - STRIPE_GAP * (n - 1.0)) / n;
    for (i, c) in colors.iter().enumerate() {
        let x = stripe.min.x + i as f32 * (seg + STRIPE_GAP);
        let r = Rect::from_min_size(Point::new(x, stripe.min.y), seg, THEME_STRIPE_H);
        items.push(rect_item(r, radius, *c, None));
    }
}

/// The title, then the notes in the room it leaves, in small muted text.
fn text_items(tp: &Touchpoint, rect: Rect, p: &Palette, items: &mut Vec<Item>) {
    let (title, notes) = card_texts(tp, rect);
    // Lines one below the other from `y`; gives the y below the last.
    let mut lines = |lines: Vec<String>, mut y: f32, size, weight, color| {
        for line in lines {
            let pos = Point::new(rect.min.x + CARD_PAD, y);
            items.push(text_item(pos, line, size, weight, color));
            y += text::line_height(size);
        }
        y
    };
    let y = lines(
        title,
        title_top(rect),
        CARD_TITLE_SIZE,
        Weight::Bold,
        p.text,
    );
    let size = CARD_META_SIZE;
    lines(notes, y + 1.0, size, Weight::Regular, p.muted_text);
}

/// The bottom row: the emotion dot, the evidence mark, the department (or "Employee"),
/// the flag marks.
fn bottom_row_items(tp: &Touchpoint, rect: Rect, p: &Palette, items: &mut Vec<Item>) {
    let row_cy = bottom_row_y(rect);
    items.push(Item::Circle {
        center: Point::new(rect.min.x + CARD_PAD + EMOTION_R, row_cy),
        radius: EMOTION_R,
        fill: p.emotion(tp.emotion),
        stroke: None,
        detail: Detail::Always,
    });
    items.extend(evidence_mark(
        tp.evidence,
        Point::new(rect.min.x + CARD_PAD + EVIDENCE_X, row_cy),
        EVIDENCE_R,
        p,
        1.0,
    ));
    let marks = FlagMark::of(tp);
    let marks_w = marks.len() as f32 * (2.0 * FLAG_R + MARK_GAP);
    let mut x = rect.max.x - CARD_PAD - FLAG_R;
    for mark in marks.iter().rev() {
        items.extend(flag_mark(*mark, Point::new(x, row_cy), FLAG_R, p, 1.0));
        x -= 2.0 * FLAG_R + MARK_GAP;
    }
    let employee = tp.actor == Actor::Employee;
    let meta = match (employee, tp.department.trim()) {
        (true, "") => "Employee".to_owned(),
        (true, d) => format!("Employee · {d}"),
        (false, d) => d.to_owned(),
    };
    let meta_x = rect.min.x + CARD_PAD + META_INSET;
    let meta_w = rect.max.x - CARD_PAD - marks_w - meta_x - 2.0;
    if !meta.is_empty() && meta_w > MIN_META_W {
        items.push(text_item(
            Point::new(meta_x, row_cy - text::line_height(CARD_META_SIZE) / 2.0),
            text::ellipsize(&meta, CARD_META_SIZE, Weight::Regular, meta_w),
            CARD_META_SIZE,
            Weight::Regular,
            p.muted_text,
        ));
    }
}

/// The marker on the top-right corner with the number of findings that name the card.
fn marker_items(rect: Rect, findings: u32, p: &Palette, items: &mut Vec<Item>) {
    let c = Point::new(rect.max.x - MARKER_INSET, rect.min.y + MARKER_INSET);
    items.push(Item::Circle {
        center: c,
        radius: MARKER_R,
        fill: p.finding,
        stroke: Some((MARKER_RING, p.card_fill)),
        detail: Detail::Readable,
    });
    let n = if findings > 9 {
        "9+".to_owned()
    } else {
        findings.to_string()
    };
    items.push(centered_text(
        c,
        &n,
        CARD_META_SIZE,
        Weight::Bold,
        p.on_accent,
    ));
}
