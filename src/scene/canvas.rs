//! Builds the canvas scene from a document and its layout: headers, lanes, cells, flows and
//! cards with their themes, emotion and flags.
//!
//! The same function draws the editor's canvas and the exported pages. Costs are linear in
//! the document (lookup tables for themes and findings are built once per call).

use super::geom::{Point, Rect, Rgba};
use super::layout::Layout;
use super::style::{
    CAPTION_SIZE, CARD_META_SIZE, CARD_PAD, CARD_RADIUS, CARD_TITLE_LINES, CARD_TITLE_SIZE,
    DIM_FACTOR, FLAG_R, FLOW_WIDTH, GRID_WIDTH, LANE_HEADER_W, LANE_TITLE_SIZE, Palette,
    STAGE_HEADER_H, STAGE_TITLE_SIZE, THEME_STRIPE_H,
};
use super::text::{self, Weight};
use super::{Detail, Group, GroupId, Item, Scene, begin};
use crate::model::{Actor, ChannelKind, Document, Evidence, ThemeId, Touchpoint, TouchpointId};
use crate::scoring::{Report, Target};
// Keys are ids of this document, hashed 100,000s of times per rebuild (see `IdMap`).
use crate::IdMap as HashMap;

/// What to draw besides the document itself.
#[derive(Clone, Copy, Debug)]
pub struct CanvasOptions<'a> {
    pub palette: &'a Palette,
    /// The coherence report, for finding markers on the cards it names.
    pub report: Option<&'a Report>,
    /// When set, cards that do not express this theme (and their flows) are dimmed.
    pub highlight_theme: Option<&'a ThemeId>,
    /// Whether to draw a marker with the number of findings on cards a finding names.
    pub finding_markers: bool,
    /// Whether to hatch the cards whose evidence is assumed (a poster option).
    pub hatch_assumed: bool,
}

impl<'a> CanvasOptions<'a> {
    /// The canvas alone: no report, no highlighted theme, no finding markers.
    pub fn plain(palette: &'a Palette) -> Self {
        Self {
            palette,
            report: None,
            highlight_theme: None,
            finding_markers: false,
            hatch_assumed: false,
        }
    }
}

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

/// Radius of the evidence mark on a card, beside the emotion dot.
pub const EVIDENCE_R: f32 = 5.0;

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

/// Text left-aligned at `pos` (top-left of the line box).
fn text_item(pos: Point, text: String, size: f32, weight: Weight, color: Rgba) -> Item {
    Item::Text {
        pos,
        text,
        size,
        weight,
        color,
        detail: Detail::Readable,
    }
}

/// Text centred on `center` (both axes).
pub(crate) fn centered_text(
    center: Point,
    text: &str,
    size: f32,
    weight: Weight,
    color: Rgba,
) -> Item {
    let w = text::measure(text, size, weight);
    let h = text::line_height(size);
    text_item(
        Point::new(center.x - w / 2.0, center.y - h / 2.0),
        text.to_owned(),
        size,
        weight,
        color,
    )
}

fn rect_item(rect: Rect, radius: f32, fill: Rgba, stroke: Option<(f32, Rgba)>) -> Item {
    Item::Rect {
        rect,
        radius,
        fill,
        stroke,
        detail: Detail::Always,
    }
}

fn hline(x0: f32, x1: f32, y: f32, width: f32, color: Rgba) -> Item {
    Item::Line {
        points: vec![Point::new(x0, y), Point::new(x1, y)],
        width,
        color,
        detail: Detail::Always,
    }
}

fn vline(x: f32, y0: f32, y1: f32, width: f32, color: Rgba) -> Item {
    Item::Line {
        points: vec![Point::new(x, y0), Point::new(x, y1)],
        width,
        color,
        detail: Detail::Always,
    }
}

/// The short name of a moment's meaning ("discovery").
fn moment_caption(m: crate::model::Moment) -> &'static str {
    let d = m.description();
    d.rsplit(": ").next().unwrap_or(d)
}

/// Draws the whole canvas: the grid with its headers, flows, and cards.
pub fn build_canvas(doc: &Document, layout: &Layout, opts: &CanvasOptions) -> Scene {
    rebuild_canvas(doc, layout, opts, Vec::new())
}

/// [`build_canvas`] into the buffer of a scene that is no longer needed (its items are
/// dropped first). The editor rebuilds the scene on every edit: at 100,000 cards a
/// million items, 48 MB plus their texts. Built anew while the old scene still lived, the
/// two coexisted: 309 MB resident after ten rebuilds against 228 MB this way
/// (`cargo run --release --example rebuild`, and `FRESH=1` for the old way).
pub fn rebuild_canvas(
    doc: &Document,
    layout: &Layout,
    opts: &CanvasOptions,
    items: Vec<Item>,
) -> Scene {
    let two = doc.touchpoints.len() >= PARALLEL_CARDS && crate::two_cores();
    build_into(doc, layout, opts, items, two)
}

/// [`rebuild_canvas`], on two threads if `two`.
fn build_into(
    doc: &Document,
    layout: &Layout,
    opts: &CanvasOptions,
    mut items: Vec<Item>,
    two: bool,
) -> Scene {
    let p = opts.palette;
    let bounds = layout.bounds();
    items.clear();
    items.reserve(16 + doc.touchpoints.len() * ITEMS_PER_CARD + doc.flows.len());
    let mut groups = Vec::with_capacity(8 + doc.touchpoints.len() + doc.flows.len());
    begin(&mut groups, 0, GroupId::Layer("background"));
    items.push(rect_item(bounds, 0.0, p.background, None));
    grid(doc, layout, p, &mut items, &mut groups);
    super::curve::curve_items(doc, layout, p, &mut items, &mut groups);

    let theme_colors: HashMap<&ThemeId, Rgba> =
        doc.themes.iter().map(|t| (&t.id, p.theme(t))).collect();
    let mut findings: HashMap<&TouchpointId, usize> = HashMap::default();
    if opts.finding_markers
        && let Some(report) = opts.report
    {
        for f in report.rules.iter().flat_map(|r| &r.findings) {
            for t in &f.targets {
                if let Target::Touchpoint(id) = t {
                    *findings.entry(id).or_default() += 1;
                }
            }
        }
    }
    let dimmed = |tp: &Touchpoint| opts.highlight_theme.is_some_and(|h| !tp.themes.contains(h));
    // Only needed to dim flows while a theme is highlighted: per laid-out card.
    let mut dim_slot = Vec::new();
    if opts.highlight_theme.is_some() {
        dim_slot = vec![false; doc.touchpoints.len()];
        for (i, tp) in doc.touchpoints.iter().enumerate() {
            if let Some(c) = layout.card_slot_at(i) {
                dim_slot[c] = dimmed(tp);
            }
        }
    }

    // Labels are placed once the flows are drawn, on top of the cards (see `flow_labels`).
    let mut labels: Vec<LabelJob> = Vec::new();
    let mut flows = |items: &mut Vec<Item>, groups: &mut Vec<Group>| {
        begin(groups, items.len(), GroupId::Layer("flows"));
        for (f, flow) in doc.flows.iter().enumerate() {
            let (Some(a), Some(b)) = (layout.card_slot(&flow.from), layout.card_slot(&flow.to))
            else {
                continue;
            };
            let (Some(ra), Some(rb)) = (layout.slot_rect(a), layout.slot_rect(b)) else {
                continue;
            };
            let dim = dim_slot.get(a) == Some(&true) || dim_slot.get(b) == Some(&true);
            let alpha = if dim { DIM_FACTOR } else { 1.0 };
            begin(groups, items.len(), GroupId::Flow(index(f)));
            let curve = flow_items(ra, rb, bounds.max.y, p, alpha, items);
            if !flow.label.trim().is_empty() {
                labels.push(LabelJob {
                    flow: f,
                    curve,
                    alpha,
                });
            }
        }
    };
    // What a card's items need that takes work (wrapped texts, lookups by id), its
    // texts and colours put in `batch`; `None` for a card that is not laid out.
    let prepare = |i: usize, batch: &mut Batch| -> Option<CardPrep> {
        let tp = &doc.touchpoints[i];
        let rect = layout.card_rect_at(i)?;
        let colors = batch.colors.len();
        batch.colors.extend(
            tp.themes
                .iter()
                .filter_map(|t| theme_colors.get(t).copied()),
        );
        Some(CardPrep {
            rect,
            texts: card_texts(tp, rect, batch),
            alpha: if dimmed(tp) { DIM_FACTOR } else { 1.0 },
            findings: findings.get(&tp.id).copied().unwrap_or(0),
            colors: colors..batch.colors.len(),
            hatch: opts.hatch_assumed && tp.evidence == Evidence::Assumed,
        })
    };
    let n = doc.touchpoints.len();
    if two {
        // Wrapping the cards' texts is half the cost of their items, and needs nothing
        // from the items before: a helper wraps them, in card order, while this thread
        // draws the flows, and hands them over in batches that this thread then turns
        // into items. The items are made here only, in order, into the one list: no
        // second list of a million items to copy (or to keep resident). Their strings are
        // allocated here too: strings from the helper's heap, living on in the scene after
        // the thread ended, kept 20 MB more resident after a few edits at 100,000 cards.
        let (tx, rx) = std::sync::mpsc::channel::<(Batch, Vec<Option<CardPrep>>)>();
        std::thread::scope(|s| {
            let helper = std::thread::Builder::new()
                .name("scene".to_owned())
                .spawn_scoped(s, move || {
                    for start in (0..n).step_by(BATCH_CARDS) {
                        let mut batch = Batch::default();
                        let preps = (start..(start + BATCH_CARDS).min(n))
                            .map(|i| prepare(i, &mut batch))
                            .collect();
                        if tx.send((batch, preps)).is_err() {
                            return;
                        }
                    }
                });
            flows(&mut items, &mut groups);
            begin(&mut groups, items.len(), GroupId::Layer("cards"));
            let mut next = 0;
            if helper.is_ok() {
                // Ends when the helper is done (or has panicked: the join below says so).
                for (batch, preps) in rx {
                    for prep in preps {
                        if let Some(prep) = prep {
                            begin(&mut groups, items.len(), GroupId::Card(index(next)));
                            card_items(&doc.touchpoints[next], prep, &batch, p, &mut items);
                        }
                        next += 1;
                    }
                }
            }
            // Cards the helper did not reach (no thread to be had) are done here.
            let mut batch = Batch::default();
            for i in next..n {
                batch.clear();
                if let Some(prep) = prepare(i, &mut batch) {
                    begin(&mut groups, items.len(), GroupId::Card(index(i)));
                    card_items(&doc.touchpoints[i], prep, &batch, p, &mut items);
                }
            }
            if let Ok(helper) = helper {
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
        });
    } else {
        flows(&mut items, &mut groups);
        begin(&mut groups, items.len(), GroupId::Layer("cards"));
        let mut batch = Batch::default();
        for i in 0..n {
            batch.clear();
            if let Some(prep) = prepare(i, &mut batch) {
                begin(&mut groups, items.len(), GroupId::Card(index(i)));
                card_items(&doc.touchpoints[i], prep, &batch, p, &mut items);
            }
        }
    }
    flow_labels(doc, layout, &labels, p, &mut items, &mut groups);
    Scene {
        bounds,
        items,
        groups,
    }
}

/// A flow label waiting to be placed: the flow (index in the document), its curve, and
/// its fading.
struct LabelJob {
    flow: usize,
    curve: [Point; 4],
    alpha: f32,
}

/// Widest line of a flow label before it wraps.
const LABEL_W: f32 = 180.0;

/// Where along a flow its label may sit, best first: the middle, then farther out.
const LABEL_T: [f32; 17] = [
    0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9,
];

/// Flow labels, whole (wrapped, never cut short), each centred on its flow at the first
/// spot along it that covers no card and no label placed before it, inside the grid. A
/// label with no free spot sits at the middle of its flow. Drawn after the cards, so that
/// no card ever hides one.
fn flow_labels(
    doc: &Document,
    layout: &Layout,
    jobs: &[LabelJob],
    p: &Palette,
    items: &mut Vec<Item>,
    groups: &mut Vec<Group>,
) {
    if jobs.is_empty() {
        return;
    }
    begin(groups, items.len(), GroupId::Layer("flow-labels"));
    let grid = layout.bounds();
    let inside = Rect::from_min_max(
        Point::new(grid.min.x + LANE_HEADER_W, grid.min.y + STAGE_HEADER_H),
        grid.max,
    );
    let lh = text::line_height(CAPTION_SIZE);
    let mut placed = Placed::default();
    for job in jobs {
        let label = doc.flows[job.flow].label.trim();
        let mut lines = text::wrap(label, CAPTION_SIZE, Weight::Regular, LABEL_W, 0);
        if lines.len() > 1 {
            // Lines of even length rather than a full line and a last word alone.
            let total = text::measure(label, CAPTION_SIZE, Weight::Regular);
            let even = total / lines.len() as f32 + 0.1 * LABEL_W;
            let balanced = text::wrap(label, CAPTION_SIZE, Weight::Regular, even, 0);
            if balanced.len() == lines.len() {
                lines = balanced;
            }
        }
        let w = lines
            .iter()
            .map(|l| text::measure(l, CAPTION_SIZE, Weight::Regular))
            .fold(0.0, f32::max);
        let size = (w + 8.0, lines.len() as f32 * lh + 2.0);
        let [from, c1, c2, to] = job.curve;
        // On the curve, or just above or below it (the label then reads as its caption).
        let lift = size.1 / 2.0 + 4.0;
        let at = |t: f32, dy: f32| {
            Rect::from_center_size(
                super::cubic_point(from, c1, c2, to, t).offset(0.0, dy),
                size.0,
                size.1,
            )
        };
        let free = |r: &Rect| {
            inside.contains(r.min)
                && inside.contains(r.max)
                && !layout.overlaps_card(*r)
                && !placed.overlaps(r)
        };
        let back = [0.0, -lift, lift]
            .into_iter()
            .flat_map(|dy| LABEL_T.iter().map(move |&t| (t, dy)))
            .map(|(t, dy)| at(t, dy))
            .find(free)
            .unwrap_or_else(|| at(0.5, 0.0));
        placed.add(back);
        begin(groups, items.len(), GroupId::FlowLabel(index(job.flow)));
        items.push(Item::Rect {
            rect: back,
            radius: 3.0,
            fill: p.background.faded(0.9 * job.alpha),
            stroke: None,
            detail: Detail::Readable,
        });
        for (k, line) in lines.iter().enumerate() {
            let center = Point::new(back.center().x, back.min.y + 1.0 + (k as f32 + 0.5) * lh);
            items.push(centered_text(
                center,
                line,
                CAPTION_SIZE,
                Weight::Regular,
                p.muted_text.faded(job.alpha),
            ));
        }
    }
}

/// Label rectangles placed so far, filed by the 256-unit squares they touch, so that a
/// new label is checked against its neighbours only.
#[derive(Default)]
struct Placed {
    squares: HashMap<(i32, i32), Vec<Rect>>,
}

impl Placed {
    const SQUARE: f32 = 256.0;

    fn squares(r: &Rect) -> impl Iterator<Item = (i32, i32)> {
        let cell = |v: f32| (v / Self::SQUARE).floor() as i32;
        let (x0, x1, y0, y1) = (cell(r.min.x), cell(r.max.x), cell(r.min.y), cell(r.max.y));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn overlaps(&self, r: &Rect) -> bool {
        Self::squares(r).any(|k| {
            self.squares
                .get(&k)
                .is_some_and(|list| list.iter().any(|o| o.intersects(*r)))
        })
    }

    fn add(&mut self, r: Rect) {
        for k in Self::squares(&r) {
            self.squares.entry(k).or_default().push(r);
        }
    }
}

/// An element's index as a group records it (documents hold far fewer than 2³² cards).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Cards from which the scene is built on two threads (below, a thread costs more than
/// it saves).
const PARALLEL_CARDS: usize = 4_000;

/// Cards whose texts the helper hands over at a time.
const BATCH_CARDS: usize = 1_024;

/// Items a card usually makes (shadow, body, stripe, title and note lines, marks...).
const ITEMS_PER_CARD: usize = 10;

/// The wrapped lines and theme colours of a run of cards, side by side.
#[derive(Default)]
struct Batch {
    text: String,
    /// Byte ranges of `text`, one per line.
    lines: Vec<std::ops::Range<usize>>,
    colors: Vec<Rgba>,
}

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.lines.clear();
        self.colors.clear();
    }

    fn push_line(&mut self, line: &str) {
        let start = self.text.len();
        self.text.push_str(line);
        self.lines.push(start..self.text.len());
    }

    fn line(&self, i: usize) -> String {
        self.lines
            .get(i)
            .and_then(|r| self.text.get(r.clone()))
            .unwrap_or_default()
            .to_owned()
    }
}

/// What a card's items are made from, besides the card and its [`Batch`].
struct CardPrep {
    rect: Rect,
    texts: CardTexts,
    alpha: f32,
    /// Findings that name the card.
    findings: usize,
    /// Colours of its (existing) themes in the batch, in its order.
    colors: std::ops::Range<usize>,
    /// Whether to hatch it (assumed evidence, on a poster that asks for it).
    hatch: bool,
}

/// Where a card's title lines, then its notes lines, are in its [`Batch`].
struct CardTexts {
    first: usize,
    title: usize,
    notes: usize,
}

/// Top of a card's title, below its theme stripe.
fn title_top(rect: Rect) -> f32 {
    rect.min.y + 8.0 + THEME_STRIPE_H + 5.0
}

/// Centre of the evidence mark from a card's padded left edge, right of the emotion dot.
pub const EVIDENCE_X: f32 = 19.0;

/// Middle of a card's bottom row (emotion dot, evidence mark, department, flag marks).
fn bottom_row_y(rect: Rect) -> f32 {
    rect.max.y - CARD_PAD - FLAG_R + 1.0
}

/// Wraps a card's title, then its notes into the room the title leaves above the bottom
/// row, into `batch`.
fn card_texts(tp: &Touchpoint, rect: Rect, batch: &mut Batch) -> CardTexts {
    let width = rect.width() - 2.0 * CARD_PAD;
    let title = if tp.title.trim().is_empty() {
        "(untitled)"
    } else {
        &tp.title
    };
    let first = batch.lines.len();
    let title = text::wrap(
        title,
        CARD_TITLE_SIZE,
        Weight::Bold,
        width,
        CARD_TITLE_LINES,
    );
    // Added line by line, as `card_items` places them, so both agree to the last bit.
    let mut below_title = title_top(rect);
    for line in &title {
        batch.push_line(line);
        below_title += text::line_height(CARD_TITLE_SIZE);
    }
    let notes = tp.notes.trim();
    let room = bottom_row_y(rect) - FLAG_R - 3.0 - (below_title + 1.0);
    let lines = (room / text::line_height(CARD_META_SIZE)).floor().max(0.0) as usize;
    let mut notes_lines = 0;
    if !notes.is_empty() && lines > 0 {
        for line in text::wrap(notes, CARD_META_SIZE, Weight::Regular, width, lines) {
            batch.push_line(&line);
            notes_lines += 1;
        }
    }
    CardTexts {
        first,
        title: title.len(),
        notes: notes_lines,
    }
}

/// Header row, lane column, lane bands, grid lines and the line of visibility.
fn grid(
    doc: &Document,
    layout: &Layout,
    p: &Palette,
    items: &mut Vec<Item>,
    groups: &mut Vec<Group>,
) {
    let bounds = layout.bounds();
    // Lane bands first, so grid lines lie on top of them.
    begin(groups, items.len(), GroupId::Layer("lane-bands"));
    super::curve::band_fill(layout, p, items);
    for (i, lane) in doc.lanes.iter().enumerate() {
        let Some(h) = layout.lane_header(&lane.id) else {
            continue;
        };
        let fill = if lane.kind == ChannelKind::Backstage {
            p.backstage_band
        } else {
            p.band[i % 2]
        };
        items.push(rect_item(
            Rect::from_min_max(
                Point::new(LANE_HEADER_W, h.min.y),
                Point::new(bounds.max.x, h.max.y),
            ),
            0.0,
            fill,
            None,
        ));
    }
    begin(groups, items.len(), GroupId::Layer("grid-lines"));
    for s in &doc.stages {
        let Some(h) = layout.stage_header(&s.id) else {
            continue;
        };
        items.push(vline(
            h.max.x,
            STAGE_HEADER_H,
            bounds.max.y,
            GRID_WIDTH,
            p.grid_line,
        ));
    }
    for lane in &doc.lanes {
        let Some(h) = layout.lane_header(&lane.id) else {
            continue;
        };
        items.push(hline(
            LANE_HEADER_W,
            bounds.max.x,
            h.max.y,
            GRID_WIDTH,
            p.grid_line,
        ));
    }

    begin(groups, items.len(), GroupId::Layer("stages"));
    header_row_items(doc, layout, p, items);
    begin(groups, items.len(), GroupId::Layer("lanes"));
    lane_column_items(doc, layout, p, items);
    begin(groups, items.len(), GroupId::Layer("frame"));
    items.push(vline(
        LANE_HEADER_W,
        STAGE_HEADER_H,
        bounds.max.y,
        GRID_WIDTH,
        p.grid_line,
    ));
    items.push(rect_item(
        bounds,
        0.0,
        Rgba::TRANSPARENT,
        Some((GRID_WIDTH, p.grid_line)),
    ));
}

/// The header row: one dark band across the grid (the corner above the lane column
/// included), the stages' names and their moments of truth. Public so that the editor can
/// pin a copy of it at the top of the canvas while the grid is scrolled down.
pub fn header_row_items(doc: &Document, layout: &Layout, p: &Palette, items: &mut Vec<Item>) {
    let bounds = layout.bounds();
    items.push(rect_item(
        Rect::from_min_max(
            Point::new(0.0, 0.0),
            Point::new(bounds.max.x, STAGE_HEADER_H),
        ),
        0.0,
        p.stage_header_fill,
        None,
    ));
    items.push(text_item(
        Point::new(
            16.0,
            STAGE_HEADER_H - 16.0 - text::line_height(CAPTION_SIZE),
        ),
        "CHANNELS".to_owned(),
        CAPTION_SIZE,
        Weight::Bold,
        p.stage_header_caption,
    ));
    let stages_w = text::measure("STAGES", CAPTION_SIZE, Weight::Bold);
    items.push(text_item(
        Point::new(LANE_HEADER_W - 16.0 - stages_w, 14.0),
        "STAGES".to_owned(),
        CAPTION_SIZE,
        Weight::Bold,
        p.stage_header_caption,
    ));
    for s in &doc.stages {
        let Some(h) = layout.stage_header(&s.id) else {
            continue;
        };
        let inner = h.width() - 32.0;
        items.push(vline(
            h.min.x,
            10.0,
            STAGE_HEADER_H - 10.0,
            GRID_WIDTH,
            p.stage_header_caption.faded(0.35),
        ));
        items.push(text_item(
            Point::new(h.min.x + 16.0, 10.0),
            text::ellipsize(&s.name, STAGE_TITLE_SIZE, Weight::Bold, inner),
            STAGE_TITLE_SIZE,
            Weight::Bold,
            p.stage_header_text,
        ));
        if let Some(m) = s.moment {
            let color = p.moment(m);
            // A strip in the moment's colour ties the column to its moment of truth.
            items.push(rect_item(
                Rect::from_min_max(
                    Point::new(h.min.x, STAGE_HEADER_H - 4.0),
                    Point::new(h.max.x, STAGE_HEADER_H),
                ),
                0.0,
                color,
                None,
            ));
            let label = m.label();
            let bw = text::measure(label, CAPTION_SIZE, Weight::Bold) + 12.0;
            let bh = text::line_height(CAPTION_SIZE) + 2.0;
            let badge = Rect::from_min_size(Point::new(h.min.x + 16.0, 40.0), bw, bh);
            items.push(Item::Rect {
                rect: badge,
                radius: bh / 2.0,
                fill: color,
                stroke: None,
                detail: Detail::Readable,
            });
            items.push(centered_text(
                badge.center(),
                label,
                CAPTION_SIZE,
                Weight::Bold,
                p.text_on(color),
            ));
            let caption_w = inner - bw - 8.0;
            if caption_w > 20.0 {
                items.push(text_item(
                    Point::new(badge.max.x + 8.0, badge.min.y + 1.0),
                    text::ellipsize(moment_caption(m), CAPTION_SIZE, Weight::Regular, caption_w),
                    CAPTION_SIZE,
                    Weight::Regular,
                    p.stage_header_caption,
                ));
            }
        }
    }
}

/// The lane column: each lane's name and kind, and the line of visibility above the first
/// backstage lane that follows a visible one (it runs across the whole grid). Public so
/// that the editor can pin a copy at the left of the canvas while the grid is scrolled.
pub fn lane_column_items(doc: &Document, layout: &Layout, p: &Palette, items: &mut Vec<Item>) {
    let bounds = layout.bounds();
    let mut previous_visible = false;
    for lane in &doc.lanes {
        let Some(h) = layout.lane_header(&lane.id) else {
            continue;
        };
        items.push(rect_item(h, 0.0, p.lane_header_fill, None));
        items.push(hline(0.0, LANE_HEADER_W, h.max.y, GRID_WIDTH, p.grid_line));
        let lines = text::wrap(
            &lane.name,
            LANE_TITLE_SIZE,
            Weight::Bold,
            LANE_HEADER_W - 32.0,
            2,
        );
        let lh = text::line_height(LANE_TITLE_SIZE);
        let mut y = h.min.y + 16.0;
        for line in lines {
            items.push(text_item(
                Point::new(16.0, y),
                line,
                LANE_TITLE_SIZE,
                Weight::Bold,
                p.lane_header_text,
            ));
            y += lh;
        }
        items.push(text_item(
            Point::new(16.0, y + 2.0),
            lane.kind.label().to_owned(),
            CAPTION_SIZE,
            Weight::Regular,
            p.lane_header_caption,
        ));
        let backstage = lane.kind == ChannelKind::Backstage;
        if backstage && previous_visible {
            // The line of visibility: what the customer sees is above, backstage below.
            items.push(Item::Curve {
                from: Point::new(0.0, h.min.y),
                ctrl1: Point::new(bounds.max.x / 3.0, h.min.y),
                ctrl2: Point::new(bounds.max.x * 2.0 / 3.0, h.min.y),
                to: Point::new(bounds.max.x, h.min.y),
                width: 1.5,
                color: p.visibility_line,
                arrow_head: false,
                dashed: true,
                detail: Detail::Always,
            });
            let caption = "line of visibility";
            let cw = text::measure(caption, CAPTION_SIZE, Weight::Regular);
            items.push(text_item(
                Point::new(
                    LANE_HEADER_W - 10.0 - cw,
                    h.min.y - text::line_height(CAPTION_SIZE) - 3.0,
                ),
                caption.to_owned(),
                CAPTION_SIZE,
                Weight::Regular,
                p.lane_header_caption,
            ));
        }
        previous_visible = !backstage;
    }
}

/// A flow arrow from card `a` to card `b`: forward flows run from the right edge to the
/// left edge; flows within a column run vertically; backward flows (the loop from sharing
/// back to discovery) run below the cards, dashed.
/// A flow's curve from card `a` to card `b`; gives its four control points.
fn flow_items(
    a: Rect,
    b: Rect,
    bottom: f32,
    p: &Palette,
    alpha: f32,
    items: &mut Vec<Item>,
) -> [Point; 4] {
    let color = p.flow.faded(alpha);
    let (from, c1, c2, to, dashed) = if b.min.x >= a.max.x {
        let from = Point::new(a.max.x, a.center().y);
        let to = Point::new(b.min.x, b.center().y);
        let dx = ((to.x - from.x) / 2.0).max(30.0);
        (from, from.offset(dx, 0.0), to.offset(-dx, 0.0), to, false)
    } else if b.max.x <= a.min.x {
        let from = Point::new(a.center().x, a.max.y);
        let to = Point::new(b.center().x, b.max.y);
        let dip = 40.0 + (from.y - to.y).abs() * 0.2;
        // A cubic whose two control points sit at `low` reaches 3/4 of the way down to
        // them: keep that inside the grid so loops never spill onto the legend.
        let deepest = from.y.max(to.y);
        let room = ((bottom - 3.0 - deepest) / 0.75).max(0.0);
        let low = deepest + dip.min(room);
        (
            from,
            Point::new(from.x, low),
            Point::new(to.x, low),
            to,
            true,
        )
    } else if b.min.y >= a.max.y {
        let from = Point::new(a.center().x, a.max.y);
        let to = Point::new(b.center().x, b.min.y);
        let dy = ((to.y - from.y) / 2.0).max(20.0);
        (from, from.offset(0.0, dy), to.offset(0.0, -dy), to, false)
    } else {
        let from = Point::new(a.center().x, a.min.y);
        let to = Point::new(b.center().x, b.max.y);
        let dy = ((from.y - to.y) / 2.0).max(20.0);
        (from, from.offset(0.0, -dy), to.offset(0.0, dy), to, false)
    };
    items.push(Item::Curve {
        from,
        ctrl1: c1,
        ctrl2: c2,
        to,
        width: FLOW_WIDTH,
        color,
        arrow_head: true,
        dashed,
        detail: Detail::Always,
    });
    [from, c1, c2, to]
}

fn card_items(tp: &Touchpoint, prep: CardPrep, batch: &Batch, p: &Palette, items: &mut Vec<Item>) {
    let CardPrep {
        rect,
        texts,
        alpha,
        findings,
        colors,
        hatch,
    } = prep;
    let fade = |c: Rgba| c.faded(alpha);
    items.push(Item::Rect {
        rect: rect.translate(0.0, 2.0),
        radius: CARD_RADIUS,
        fill: fade(p.card_shadow),
        stroke: None,
        detail: Detail::Readable,
    });
    let employee = tp.actor == Actor::Employee;
    items.push(rect_item(
        rect,
        CARD_RADIUS,
        fade(p.card_fill),
        Some((
            1.0,
            fade(if employee {
                p.visibility_line
            } else {
                p.card_border
            }),
        )),
    ));

    if hatch {
        items.extend(hatch_lines(
            rect,
            CARD_RADIUS / 2.0,
            9.0,
            1.0,
            fade(p.card_border.faded(0.7)),
        ));
    }

    // Theme stripe: one segment per theme, in the card's order.
    // The stripe stops short of the finding marker on the top-right corner.
    let marker_room = if findings > 0 { 10.0 } else { 0.0 };
    let stripe = Rect::from_min_size(
        Point::new(rect.min.x + CARD_PAD, rect.min.y + 8.0),
        rect.width() - 2.0 * CARD_PAD - marker_room,
        THEME_STRIPE_H,
    );
    let colors = batch.colors.get(colors).unwrap_or_default();
    if colors.is_empty() {
        items.push(rect_item(
            stripe,
            THEME_STRIPE_H / 2.0,
            fade(p.card_no_theme),
            None,
        ));
    } else {
        let gap = 3.0;
        let n = colors.len() as f32;
        let seg = (stripe.width() - gap * (n - 1.0)) / n;
        for (i, c) in colors.iter().enumerate() {
            let x = stripe.min.x + i as f32 * (seg + gap);
            items.push(rect_item(
                Rect::from_min_size(Point::new(x, stripe.min.y), seg, THEME_STRIPE_H),
                THEME_STRIPE_H / 2.0,
                fade(*c),
                None,
            ));
        }
    }

    // Title, then notes in the room it leaves, in small muted text. Lines of the batch
    // one below the other from `y`; gives the y below the last.
    let mut lines = |range: std::ops::Range<usize>, mut y: f32, size, weight, color| {
        for l in range {
            items.push(text_item(
                Point::new(rect.min.x + CARD_PAD, y),
                batch.line(l),
                size,
                weight,
                color,
            ));
            y += text::line_height(size);
        }
        y
    };
    let notes_from = texts.first + texts.title;
    let y = lines(
        texts.first..notes_from,
        title_top(rect),
        CARD_TITLE_SIZE,
        Weight::Bold,
        fade(p.text),
    );
    lines(
        notes_from..notes_from + texts.notes,
        y + 1.0,
        CARD_META_SIZE,
        Weight::Regular,
        fade(p.muted_text),
    );
    let row_cy = bottom_row_y(rect);
    items.push(Item::Circle {
        center: Point::new(rect.min.x + CARD_PAD + 5.0, row_cy),
        radius: 5.0,
        fill: fade(p.emotion(tp.emotion)),
        stroke: None,
        detail: Detail::Always,
    });
    items.extend(evidence_mark(
        tp.evidence,
        Point::new(rect.min.x + CARD_PAD + EVIDENCE_X, row_cy),
        EVIDENCE_R,
        p,
        alpha,
    ));
    let marks = FlagMark::of(tp);
    let marks_w = marks.len() as f32 * (2.0 * FLAG_R + 4.0);
    let mut x = rect.max.x - CARD_PAD - FLAG_R;
    for mark in marks.iter().rev() {
        items.extend(flag_mark(*mark, Point::new(x, row_cy), FLAG_R, p, alpha));
        x -= 2.0 * FLAG_R + 4.0;
    }
    let meta = match (employee, tp.department.trim()) {
        (true, "") => "Employee".to_owned(),
        (true, d) => format!("Employee · {d}"),
        (false, d) => d.to_owned(),
    };
    let meta_x = rect.min.x + CARD_PAD + EVIDENCE_X + EVIDENCE_R + 5.0;
    let meta_w = rect.max.x - CARD_PAD - marks_w - meta_x - 2.0;
    if !meta.is_empty() && meta_w > 24.0 {
        items.push(text_item(
            Point::new(meta_x, row_cy - text::line_height(CARD_META_SIZE) / 2.0),
            text::ellipsize(&meta, CARD_META_SIZE, Weight::Regular, meta_w),
            CARD_META_SIZE,
            Weight::Regular,
            fade(p.muted_text),
        ));
    }

    if findings > 0 {
        let c = Point::new(rect.max.x - 4.0, rect.min.y + 4.0);
        items.push(Item::Circle {
            center: c,
            radius: 9.0,
            fill: fade(p.finding),
            stroke: Some((1.5, fade(p.card_fill))),
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
            fade(p.on_accent),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Color, Flow, FlowId, Theme, ThemeId};

    /// Every flow label of every sample is drawn whole (its lines give back the label),
    /// on top of the cards, and on no card: the samples leave a free spot along each flow.
    #[test]
    fn flow_labels_are_whole_and_sit_on_no_card() {
        for name in [
            "coffee-shop",
            "hotel-stay",
            "employee-onboarding",
            "omnichannel-retail",
        ] {
            let path = format!("{}/samples/{name}.json", env!("CARGO_MANIFEST_DIR"));
            let doc = crate::io::load_path(std::path::Path::new(&path))
                .expect("sample")
                .document;
            let layout = Layout::compute(&doc);
            let scene = build_canvas(&doc, &layout, &CanvasOptions::plain(&Palette::light()));
            let start = |id: &GroupId| scene.groups.iter().position(|g| g.id == *id);
            let cards = start(&GroupId::Layer("cards")).expect("cards");
            let labels = start(&GroupId::Layer("flow-labels"));
            for (f, flow) in doc.flows.iter().enumerate() {
                let Some(g) = start(&GroupId::FlowLabel(u32::try_from(f).expect("few"))) else {
                    assert!(
                        flow.label.trim().is_empty(),
                        "{name}: {} has a label",
                        flow.id
                    );
                    continue;
                };
                assert!(
                    labels.is_some_and(|l| l > cards && g > l),
                    "labels after the cards"
                );
                let from = scene.groups[g].start;
                let to = scene
                    .groups
                    .get(g + 1)
                    .map_or(scene.items.len(), |n| n.start);
                let Item::Rect { rect, .. } = &scene.items[from] else {
                    panic!("{name}: label {} has no background", flow.id);
                };
                assert!(
                    !layout.overlaps_card(*rect),
                    "{name}: label {} on a card",
                    flow.id
                );
                let words: Vec<&str> = scene.items[from + 1..to]
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .flat_map(str::split_whitespace)
                    .collect();
                let whole: Vec<&str> = flow.label.split_whitespace().collect();
                assert_eq!(words, whole, "{name}: label {} drawn whole", flow.id);
            }
        }
    }

    /// A label whose flow crosses cards everywhere still gets drawn, at the middle, and
    /// `overlaps_card` sees the cards it covers.
    #[test]
    fn overlaps_card_finds_the_cards_a_rectangle_touches() {
        let path = format!("{}/samples/hotel-stay.json", env!("CARGO_MANIFEST_DIR"));
        let doc = crate::io::load_path(std::path::Path::new(&path))
            .expect("sample")
            .document;
        let layout = Layout::compute(&doc);
        for (_, r) in layout.cards() {
            assert!(layout.overlaps_card(Rect::from_center_size(r.center(), 4.0, 4.0)));
            assert!(layout.overlaps_card(Rect::from_center_size(r.max, 2.0, 2.0)));
        }
        let b = layout.bounds();
        assert!(!layout.overlaps_card(Rect::from_min_size(b.min, 10.0, 10.0)));
        assert!(!layout.overlaps_card(Rect::from_min_size(b.max, 10.0, 10.0)));
    }

    /// Two threads build the scene a single thread builds, item for item, in order, with a
    /// theme highlighted (dimming) and without, findings or not.
    #[test]
    fn two_threads_build_the_same_scene_as_one() {
        let doc = crate::synth::canvas(&crate::synth::SynthSpec::new(PARALLEL_CARDS + 500, 3));
        let layout = Layout::compute(&doc);
        let report = crate::scoring::score(&doc);
        let palette = Palette::light();
        for highlight in [None, Some(&doc.themes[1].id)] {
            let opts = CanvasOptions {
                palette: &palette,
                report: Some(&report),
                highlight_theme: highlight,
                finding_markers: true,
                hatch_assumed: false,
            };
            let one = build_into(&doc, &layout, &opts, Vec::new(), false);
            // Into a used buffer, as the editor does.
            let used = build_canvas(&doc, &layout, &opts).items;
            let two = build_into(&doc, &layout, &opts, used, true);
            assert!(one.items.len() > doc.touchpoints.len() * 5);
            assert_eq!(one.items.len(), two.items.len());
            assert!(one.items == two.items, "highlight {highlight:?}");
            assert_eq!(one.bounds, two.bounds);
        }
    }

    fn sample() -> Document {
        let mut doc = Document::new_canvas();
        doc.title = "Zażółć gęślą jaźń — café crème".into();
        doc.themes.push(Theme {
            id: ThemeId::from("warm"),
            name: "Warm welcome".into(),
            color: Color::rgb(0xe0, 0x7a, 0x5f),
            intent: Default::default(),
            tone: vec![],
            extra: Default::default(),
        });
        let mut a = Touchpoint::new(
            "a".into(),
            "Finds the café on a map",
            "discover".into(),
            "web".into(),
        );
        a.themes.push(ThemeId::from("warm"));
        a.flags.pain_point = true;
        let b = Touchpoint::new(
            "b".into(),
            "Orders at the counter",
            "choose".into(),
            "store".into(),
        );
        doc.touchpoints = vec![a, b];
        doc.flows.push(Flow {
            id: FlowId::from("f1"),
            from: "a".into(),
            to: "b".into(),
            label: String::new(),
            extra: Default::default(),
        });
        doc
    }

    #[test]
    fn canvas_draws_titles_themes_flows_and_marks() {
        let doc = sample();
        let mut doc = doc;
        // A loop from the last card back to the first, routed below the cards.
        doc.flows.push(Flow {
            id: FlowId::from("back"),
            from: "b".into(),
            to: "a".into(),
            label: "again".into(),
            extra: Default::default(),
        });
        doc.touchpoints[1].lane = "backstage".into();
        let layout = Layout::compute(&doc);
        let palette = Palette::light();
        let scene = build_canvas(
            &doc,
            &layout,
            &CanvasOptions {
                palette: &palette,
                report: None,
                highlight_theme: None,
                finding_markers: true,
                hatch_assumed: false,
            },
        );
        assert_eq!(scene.bounds, layout.bounds());
        let texts: Vec<&str> = scene
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        for expected in ["Discover", "ZMOT", "Web & app", "Orders at the counter"] {
            assert!(
                texts.contains(&expected),
                "{expected} missing from {texts:?}"
            );
        }
        let warm = Rgba::rgb(0xe0, 0x7a, 0x5f);
        assert!(
            scene
                .items
                .iter()
                .any(|i| matches!(i, Item::Rect { fill, .. } if *fill == warm))
        );
        assert!(
            scene
                .items
                .iter()
                .any(|i| matches!(i, Item::Circle { fill, .. } if *fill == palette.pain_point))
        );
        assert_eq!(
            scene
                .items
                .iter()
                .filter(|i| matches!(
                    i,
                    Item::Curve {
                        arrow_head: true,
                        ..
                    }
                ))
                .count(),
            2
        );
        assert!(
            scene.items.iter().any(|i| matches!(
                i,
                Item::Curve {
                    dashed: true,
                    arrow_head: true,
                    ..
                }
            )),
            "the loop back is dashed"
        );
        // Every item stays within the grid; curves are sampled (their control points may
        // lie outside, the curve itself must not).
        let grid = layout.bounds().expand(1.0);
        for item in &scene.items {
            let points: Vec<Point> = match item {
                Item::Curve {
                    from,
                    ctrl1,
                    ctrl2,
                    to,
                    ..
                } => (0..=20)
                    .map(|i| crate::scene::cubic_point(*from, *ctrl1, *ctrl2, *to, i as f32 / 20.0))
                    .collect(),
                other => vec![other.bounds().min, other.bounds().max],
            };
            for pt in points {
                assert!(grid.contains(pt), "{item:?} leaves the grid at {pt:?}");
            }
        }
    }

    #[test]
    fn card_texts_stay_inside_their_cards() {
        let mut doc = sample();
        doc.touchpoints[1].title = "A very long title that goes on and on about the barista who remembers everything you ever ordered".into();
        doc.touchpoints[1].department = "Operations and customer service".into();
        doc.touchpoints[0].notes =
            "Most people find us through the map app; reviews mention the wait and the smile."
                .into();
        doc.touchpoints[1].flags.magic_moment = true;
        doc.touchpoints[1].flags.memorabilia = true;
        let layout = Layout::compute(&doc);
        let palette = Palette::light();
        let scene = build_canvas(&doc, &layout, &CanvasOptions::plain(&palette));
        for id in ["a", "b"] {
            let card = layout.card_rect(&id.into()).expect("laid out");
            let inside: Vec<Rect> = scene
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { .. } if card.contains(i.bounds().center()) => Some(i.bounds()),
                    _ => None,
                })
                .collect();
            assert!(inside.len() >= 3, "title lines and department or notes");
            for (i, a) in inside.iter().enumerate() {
                assert!(
                    card.contains(a.min) && card.contains(a.max),
                    "{a:?} leaves {card:?}"
                );
                for b in &inside[i + 1..] {
                    assert!(!a.intersects(*b), "text boxes overlap: {a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn highlighting_a_theme_dims_the_other_cards() {
        let doc = sample();
        let layout = Layout::compute(&doc);
        let palette = Palette::light();
        let warm = ThemeId::from("warm");
        let scene = build_canvas(
            &doc,
            &layout,
            &CanvasOptions {
                highlight_theme: Some(&warm),
                ..CanvasOptions::plain(&palette)
            },
        );
        let title_alpha = |t: &str| {
            scene.items.iter().find_map(|i| match i {
                Item::Text { text, color, .. } if text == t => Some(color.a),
                _ => None,
            })
        };
        assert_eq!(title_alpha("Finds the café on a map"), Some(255));
        assert!(title_alpha("Orders at the counter").is_some_and(|a| a < 128));
        // The flow from the warm card to the other one fades with the other one.
        let flow_alpha = |scene: &Scene| {
            scene.items.iter().find_map(|i| match i {
                Item::Curve {
                    color,
                    arrow_head: true,
                    ..
                } => Some(color.a),
                _ => None,
            })
        };
        let plain = build_canvas(&doc, &layout, &CanvasOptions::plain(&palette));
        let (Some(faded), Some(full)) = (flow_alpha(&scene), flow_alpha(&plain)) else {
            panic!("no flow drawn");
        };
        assert!(faded < full / 2, "{faded} against {full}");
    }
}
