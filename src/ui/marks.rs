//! What the card marks mean, in the app itself (the printed poster has a legend; the
//! screen had none): a tooltip over each mark of a card (findings badge, pain point,
//! magic moment, memorabilia, top task, emotion dot, evidence mark), the full title over a card whose
//! title is cut, and a legend panel in a canvas corner (View → Legend) with the poster
//! legend's wording: the marks, and the themes' colours.
//!
//! Geometry comes from the card layout in `scene::canvas` (where the marks are drawn);
//! the icons are the same `scene::flag_mark` items the canvas and the poster draw.

use super::canvas::CanvasState;
use super::tokens::scene_color;
use crate::model::Evidence;
use crate::model::{Document, Touchpoint};
use crate::scene::canvas::{EVIDENCE_R, EVIDENCE_X, evidence_mark};
use crate::scene::style::{CARD_PAD, CARD_TITLE_LINES, CARD_TITLE_SIZE, FLAG_R};
use crate::scene::{self, FlagMark, Hit, Item, Palette, Point, Weight};
use crate::scoring::{Report, Target};
use egui::{Align2, Pos2, Rect, RichText, Sense, Stroke, Ui, Vec2, pos2, vec2};

/// Themes listed in the legend before "+ N more themes" (as on the poster).
const LEGEND_THEMES: usize = 12;
/// Findings listed in a badge's tooltip.
const TIP_FINDINGS: usize = 5;
/// Below this zoom the marks are not drawn, so nothing is explained.
const MIN_TIP_ZOOM: f32 = 0.25;

/// What the pointer is over on a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardSpot {
    /// The findings badge on the top-right corner, with the number it shows.
    Findings(usize),
    Mark(FlagMark),
    Emotion,
    /// The evidence mark beside the emotion dot.
    Evidence,
    /// The title, when it is cut with an ellipsis.
    CutTitle,
}

/// The middle of a card's bottom row (as `scene::canvas` places it).
fn bottom_row_y(rect: scene::Rect) -> f32 {
    rect.max.y - CARD_PAD - FLAG_R + 1.0
}

fn near(p: Point, c: Point, r: f32) -> bool {
    let (dx, dy) = (p.x - c.x, p.y - c.y);
    dx * dx + dy * dy <= r * r
}

/// Whether a card shows its title cut (the title is wrapped in at most three lines, the
/// last ending in an ellipsis when it does not fit).
pub fn title_is_cut(tp: &Touchpoint, rect: scene::Rect) -> bool {
    let width = rect.width() - 2.0 * CARD_PAD;
    let lines = scene::wrap(
        &tp.title,
        CARD_TITLE_SIZE,
        Weight::Bold,
        width,
        CARD_TITLE_LINES,
    );
    lines.last().is_some_and(|l| l.ends_with('…')) && !tp.title.trim_end().ends_with('…')
}

/// The spot of the card `tp`, laid out at `rect`, under the canvas point `p`.
pub fn card_spot(
    tp: &Touchpoint,
    rect: scene::Rect,
    p: Point,
    findings: usize,
) -> Option<CardSpot> {
    if findings > 0 && near(p, Point::new(rect.max.x - 4.0, rect.min.y + 4.0), 10.0) {
        return Some(CardSpot::Findings(findings));
    }
    let row = bottom_row_y(rect);
    let mut x = rect.max.x - CARD_PAD - FLAG_R;
    for mark in FlagMark::of(tp).into_iter().rev() {
        if near(p, Point::new(x, row), FLAG_R + 1.5) {
            return Some(CardSpot::Mark(mark));
        }
        x -= 2.0 * FLAG_R + 4.0;
    }
    if near(p, Point::new(rect.min.x + CARD_PAD + 5.0, row), 7.0) {
        return Some(CardSpot::Emotion);
    }
    if near(
        p,
        Point::new(rect.min.x + CARD_PAD + EVIDENCE_X, row),
        EVIDENCE_R + 2.0,
    ) {
        return Some(CardSpot::Evidence);
    }
    let in_title = p.y >= rect.min.y && p.y < row - FLAG_R && rect.contains(p);
    (in_title && title_is_cut(tp, rect)).then_some(CardSpot::CutTitle)
}

/// How many findings name the card (what its badge shows), and their messages.
pub fn card_findings<'r>(report: &'r Report, tp: &Touchpoint) -> Vec<&'r str> {
    report
        .rules
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| {
            f.targets
                .iter()
                .any(|t| matches!(t, Target::Touchpoint(id) if *id == tp.id))
        })
        .map(|f| f.message.as_str())
        .collect()
}

fn emotion_word(e: i8) -> &'static str {
    match e {
        i8::MIN..=-2 => "very negative",
        -1 => "negative",
        0 => "neutral",
        1 => "positive",
        _ => "delighted",
    }
}

/// What a mark means, as its tooltip says it.
pub fn mark_meaning(mark: FlagMark) -> &'static str {
    match mark {
        FlagMark::PainPoint => "Pain point: here the experience hurts",
        FlagMark::MagicMoment => "Magic moment: a moment designed to delight",
        FlagMark::Memorabilia => "Memorabilia: something the customer keeps or takes away",
        FlagMark::TopTask => "Top task: what the customer came to do",
    }
}

/// The tooltip text for a spot of a card.
pub fn spot_text(spot: CardSpot, tp: &Touchpoint, report: &Report) -> String {
    match spot {
        CardSpot::Findings(n) => {
            let messages = card_findings(report, tp);
            let mut text = match n {
                1 => "1 finding on this card (Coherence, in the inspector):".to_owned(),
                n => format!("{n} findings on this card (Coherence, in the inspector):"),
            };
            for m in messages.iter().take(TIP_FINDINGS) {
                text.push_str("\n• ");
                text.push_str(m);
            }
            if messages.len() > TIP_FINDINGS {
                text.push_str(&format!("\n… and {} more", messages.len() - TIP_FINDINGS));
            }
            text
        }
        CardSpot::Mark(FlagMark::TopTask) => match &tp.top_task {
            Some(task) if !task.task.trim().is_empty() => {
                format!("Top task: “{}”", task.task.trim())
            }
            _ => mark_meaning(FlagMark::TopTask).to_owned(),
        },
        CardSpot::Mark(mark) => mark_meaning(mark).to_owned(),
        CardSpot::Emotion => format!("Emotion: {}", emotion_word(tp.emotion)),
        CardSpot::Evidence => tp.evidence.description().to_owned(),
        CardSpot::CutTitle => tp.title.clone(),
    }
}

/// Shows the tooltip of the card spot under a still pointer on the canvas. Call inside
/// the canvas's panel, after the canvas.
pub fn card_hover_ui(ui: &Ui, st: &CanvasState, doc: &Document, report: &Report) {
    let ctx = ui.ctx();
    let Some(pos) = ctx.pointer_hover_pos() else {
        return;
    };
    let delay = ctx.global_style().interaction.tooltip_delay;
    let idle =
        ctx.input(|i| !i.pointer.any_down() && i.pointer.time_since_last_movement() >= delay);
    if !st.content_area().contains(pos)
        || st.view.zoom < MIN_TIP_ZOOM
        || st.gesture != Default::default()
        || st.title_edit.is_some()
        || ctx.layer_id_at(pos) != Some(ui.layer_id())
    {
        return;
    }
    let p = st.view.to_canvas(st.area, pos);
    let Hit::Card(id) = st.layout().hit(p) else {
        return;
    };
    let (Some(tp), Some(rect)) = (doc.touchpoint(&id), st.layout().card_rect(&id)) else {
        return;
    };
    let findings = card_findings(report, tp).len();
    let Some(spot) = card_spot(tp, rect, p, findings) else {
        return;
    };
    if !idle {
        // Shown once the pointer rests, like every tooltip.
        ctx.request_repaint_after(std::time::Duration::from_secs_f32(delay));
        return;
    }
    egui::Tooltip::always_open(
        ctx.clone(),
        ui.layer_id(),
        egui::Id::unique("card-mark-tip"),
        egui::PopupAnchor::Pointer,
    )
    .gap(14.0)
    .show(|ui| ui.label(spot_text(spot, tp, report)));
}

/// Paints scene items drawn around the canvas point (0, 0), one canvas unit a point,
/// centred on `at` (the flag icons).
fn paint_icon(painter: &egui::Painter, items: &[Item], at: Pos2) {
    let to = |p: Point| at + vec2(p.x, p.y);
    for item in items {
        match item {
            Item::Circle {
                center,
                radius,
                fill,
                stroke,
                ..
            } => {
                painter.circle_filled(to(*center), *radius, scene_color(*fill));
                if let Some((w, c)) = stroke {
                    painter.circle_stroke(to(*center), *radius, Stroke::new(*w, scene_color(*c)));
                }
            }
            Item::Line {
                points,
                width,
                color,
                ..
            } => {
                let pts: Vec<Pos2> = points.iter().map(|p| to(*p)).collect();
                painter.add(egui::Shape::line(
                    pts,
                    Stroke::new(*width, scene_color(*color)),
                ));
            }
            Item::Rect {
                rect,
                radius,
                fill,
                stroke,
                ..
            } => {
                let r = Rect::from_min_max(to(rect.min), to(rect.max));
                painter.rect_filled(r, *radius, scene_color(*fill));
                if let Some((w, c)) = stroke {
                    painter.rect_stroke(
                        r,
                        *radius,
                        Stroke::new(*w, scene_color(*c)),
                        egui::StrokeKind::Middle,
                    );
                }
            }
            Item::Text {
                pos,
                text,
                size,
                color,
                ..
            } => {
                painter.text(
                    to(*pos),
                    Align2::LEFT_TOP,
                    text,
                    super::tokens::bold(*size),
                    scene_color(*color),
                );
            }
            Item::Curve { .. } => {}
        }
    }
}

/// One legend row: a drawing `icon_w` wide, then its label.
fn legend_row(ui: &mut Ui, icon_w: f32, label: &str, paint: impl FnOnce(&egui::Painter, Rect)) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(vec2(icon_w, 18.0), Sense::hover());
        paint(ui.painter(), rect);
        ui.label(label);
    });
}

fn legend_heading(ui: &mut Ui, text: &str) {
    ui.add_space(4.0);
    ui.label(RichText::new(text).strong().size(super::tokens::SMALL_SIZE));
}

/// The legend in the top-right corner of the canvas `area`, with the poster legend's
/// wording; returns true when its close button was clicked.
pub fn legend_ui(ctx: &egui::Context, area: Rect, doc: &Document, dark: bool) -> bool {
    let p = if dark {
        Palette::dark()
    } else {
        Palette::light()
    };
    let mut close = false;
    egui::Area::new(egui::Id::unique("canvas-legend"))
        .order(egui::Order::Middle)
        .pivot(Align2::RIGHT_TOP)
        .fixed_pos(area.right_top() + vec2(-12.0, 12.0))
        .constrain_to(area)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(300.0);
                ui.horizontal(|ui| {
                    ui.label(RichText::new("Legend").strong());
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .small_button("×")
                            .on_hover_text("Hide the legend (View → Legend)")
                            .clicked()
                        {
                            close = true;
                        }
                    });
                });
                legend_heading(ui, "MARKS");
                // Icons in a column as wide as the emotion scale, labels aligned after it.
                let w = 64.0;
                for mark in FlagMark::ALL {
                    legend_row(ui, w, mark.label(), |painter, r| {
                        let items = scene::flag_mark(mark, Point::default(), 8.0, &p, 1.0);
                        paint_icon(painter, &items, pos2(r.min.x + 9.0, r.center().y));
                    });
                }
                legend_row(ui, w, "Findings on a card", |painter, r| {
                    let c = pos2(r.min.x + 9.0, r.center().y);
                    painter.circle_filled(c, 8.0, scene_color(p.finding));
                    painter.text(
                        c,
                        Align2::CENTER_CENTER,
                        "2",
                        super::tokens::regular(10.0),
                        scene_color(p.on_accent),
                    );
                });
                legend_row(
                    ui,
                    w,
                    "Evidence: observed, reported, assumed",
                    |painter, r| {
                        for (i, e) in Evidence::ALL.into_iter().enumerate() {
                            let items = evidence_mark(e, Point::default(), 6.0, &p, 1.0);
                            paint_icon(
                                painter,
                                &items,
                                pos2(r.min.x + 6.0 + i as f32 * 16.0, r.center().y),
                            );
                        }
                    },
                );
                legend_row(ui, w, "Emotion, negative to positive", |painter, r| {
                    for e in -2i8..=2 {
                        let x = r.min.x + 5.0 + f32::from(e + 2) * 12.0;
                        painter.circle_filled(
                            pos2(x, r.center().y),
                            5.0,
                            scene_color(p.emotion(e)),
                        );
                    }
                });
                for (dashed, name) in [(false, "Flow"), (true, "Loop back to an earlier stage")] {
                    legend_row(ui, w, name, |painter, r| {
                        let (a, b) = (
                            pos2(r.min.x, r.center().y),
                            pos2(r.min.x + 46.0, r.center().y),
                        );
                        let stroke = Stroke::new(2.0, scene_color(p.flow));
                        if dashed {
                            painter.extend(egui::Shape::dashed_line(&[a, b], stroke, 5.0, 4.0));
                        } else {
                            painter.line_segment([a, b], stroke);
                        }
                        let head = [b, b + vec2(-7.0, -4.0), b + vec2(-7.0, 4.0)];
                        painter.add(egui::Shape::convex_polygon(
                            head.to_vec(),
                            scene_color(p.flow),
                            Stroke::NONE,
                        ));
                    });
                }
                legend_heading(ui, "ORCHESTRATION THEMES");
                if doc.themes.is_empty() {
                    ui.label(RichText::new("No themes yet").color(super::tokens::muted(ui)));
                }
                for theme in doc.themes.iter().take(LEGEND_THEMES) {
                    legend_row(ui, w, &theme.name, |painter, r| {
                        let swatch = Rect::from_center_size(
                            pos2(r.min.x + 9.0, r.center().y),
                            Vec2::splat(14.0),
                        );
                        painter.rect_filled(swatch, 3.0, scene_color(p.theme(theme)));
                    });
                }
                if doc.themes.len() > LEGEND_THEMES {
                    ui.label(
                        RichText::new(format!(
                            "+ {} more themes",
                            doc.themes.len() - LEGEND_THEMES
                        ))
                        .color(super::tokens::muted(ui)),
                    );
                }
            });
        });
    close
}
