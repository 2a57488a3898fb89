//! The calibration set of the coherence score: designed canvases (the samples), the same
//! canvases with one flaw injected at a time and with several at once, and randomised
//! copies (same cards, with their themes, emotions and cues shuffled among them by a
//! seeded generator). `tests/calibration.rs` asserts on it what `docs/SCORING.md` promises
//! (a serious flaw costs at least 10 points, four put a good journey below 60, a small
//! imperfection at most 3, a random copy lands far below its original), and
//! `examples/calibrate.rs` prints the table the documentation shows.
//!
//! No egui; the flaws are plain edits of a [`Document`], written to work on any canvas
//! that has the parts they touch (each returns `false` when the canvas has none).

use crate::model::{Cue, Document, Moment, Polarity, ThemeId, TopTask, TouchpointId};

/// A flaw a designer could leave in a journey, injected by editing the document.
#[derive(Clone, Copy, Debug)]
pub struct Flaw {
    /// Short name for tables ("no UMOT stage").
    pub name: &'static str,
    /// Whether the docs promise it costs at least 10 points on its own.
    pub serious: bool,
    /// Edits the canvas; `false` when the canvas has nothing to spoil this way.
    pub inject: fn(&mut Document) -> bool,
}

/// Every flaw of the calibration set, serious ones first.
pub const FLAWS: [Flaw; 9] = [
    Flaw {
        name: "no UMOT stage (no sharing, no loop)",
        serious: true,
        inject: no_umot,
    },
    Flaw {
        name: "a -2 ending",
        serious: true,
        inject: negative_ending,
    },
    Flaw {
        name: "four negative cues left",
        serious: true,
        inject: four_negative_cues,
    },
    Flaw {
        name: "half the customer cards off-theme",
        serious: true,
        inject: half_off_theme,
    },
    Flaw {
        name: "a top task at 12 steps (budget 5)",
        serious: true,
        inject: slow_top_task,
    },
    Flaw {
        name: "no senses engaged",
        serious: false,
        inject: no_senses,
    },
    Flaw {
        name: "a broken hand-off",
        serious: false,
        inject: broken_hand_off,
    },
    Flaw {
        name: "no loop from UMOT to ZMOT",
        serious: false,
        inject: no_loop,
    },
    Flaw {
        name: "one card without a theme",
        serious: false,
        inject: one_unthemed,
    },
];

/// The four serious flaws the issue combined: a -2 ending, four negative cues, no senses,
/// the slow top task.
pub const FOUR_AT_ONCE: [usize; 4] = [1, 2, 5, 4];

/// Indices of the guest's cards in front of the stage: the customer's, or the employee's
/// in a journey with no customer card (as the scoring rules read it).
fn facing(doc: &Document) -> Vec<usize> {
    use crate::model::{Actor, ChannelKind};
    let of = |actor: Actor| -> Vec<usize> {
        doc.touchpoints
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                let lane = doc.lanes.iter().find(|l| l.id == t.lane).map(|l| l.kind);
                t.actor == actor
                    && t.kind != ChannelKind::Backstage
                    && lane != Some(ChannelKind::Backstage)
            })
            .map(|(i, _)| i)
            .collect()
    };
    let customers = of(Actor::Customer);
    if customers.is_empty() {
        of(Actor::Employee)
    } else {
        customers
    }
}

fn stage_index(doc: &Document, tp: usize) -> Option<usize> {
    doc.stages
        .iter()
        .position(|s| s.id == doc.touchpoints[tp].stage)
}

/// Removes the UMOT stages with their cards and the flows that touch them.
fn no_umot(doc: &mut Document) -> bool {
    let gone: Vec<_> = doc
        .stages
        .iter()
        .filter(|s| s.moment == Some(Moment::Umot))
        .map(|s| s.id.clone())
        .collect();
    if gone.is_empty() {
        return false;
    }
    let cards: Vec<TouchpointId> = doc
        .touchpoints
        .iter()
        .filter(|t| gone.contains(&t.stage))
        .map(|t| t.id.clone())
        .collect();
    doc.touchpoints.retain(|t| !gone.contains(&t.stage));
    doc.flows
        .retain(|f| !cards.contains(&f.from) && !cards.contains(&f.to));
    doc.stages.retain(|s| !gone.contains(&s.id));
    true
}

/// Removes the flows from a UMOT card to a ZMOT card.
fn no_loop(doc: &mut Document) -> bool {
    let moment = |doc: &Document, id: &TouchpointId| {
        doc.touchpoints
            .iter()
            .find(|t| t.id == *id)
            .and_then(|t| doc.stages.iter().find(|s| s.id == t.stage))
            .and_then(|s| s.moment)
    };
    let before = doc.flows.len();
    let keep: Vec<bool> = doc
        .flows
        .iter()
        .map(|f| {
            !(moment(doc, &f.from) == Some(Moment::Umot)
                && moment(doc, &f.to) == Some(Moment::Zmot))
        })
        .collect();
    let mut keep = keep.into_iter();
    doc.flows.retain(|_| keep.next().unwrap_or(true));
    doc.flows.len() < before
}

/// The customer cards of the last stage that holds any fall to -2.
fn negative_ending(doc: &mut Document) -> bool {
    let cards = facing(doc);
    let Some(last) = cards.iter().filter_map(|&tp| stage_index(doc, tp)).max() else {
        return false;
    };
    for tp in cards {
        if stage_index(doc, tp) == Some(last) {
            doc.touchpoints[tp].emotion = -2;
        }
    }
    true
}

/// Four negative cues (in words that clash with no tone) on four customer cards.
fn four_negative_cues(doc: &mut Document) -> bool {
    let cards = facing(doc);
    if cards.is_empty() {
        return false;
    }
    let texts = [
        "Sticky table",
        "Overflowing bin by the door",
        "Flickering light",
        "Torn leaflet",
    ];
    for (k, text) in texts.iter().enumerate() {
        let tp = cards[(k * cards.len()) / texts.len()];
        doc.touchpoints[tp].cues.push(Cue {
            text: (*text).to_owned(),
            polarity: Polarity::Negative,
        });
    }
    true
}

/// Every other customer card loses its themes.
fn half_off_theme(doc: &mut Document) -> bool {
    let cards = facing(doc);
    for &tp in cards.iter().step_by(2) {
        doc.touchpoints[tp].themes.clear();
    }
    !cards.is_empty()
}

/// The first customer card becomes a top task at 12 steps against a budget of 5.
fn slow_top_task(doc: &mut Document) -> bool {
    let Some(&tp) = facing(doc).first() else {
        return false;
    };
    doc.touchpoints[tp].top_task = Some(TopTask {
        task: "find what I came for".to_owned(),
        steps: Some(12),
        max_steps: Some(5),
        ..TopTask::default()
    });
    true
}

fn no_senses(doc: &mut Document) -> bool {
    for t in &mut doc.touchpoints {
        t.senses.clear();
    }
    true
}

/// A flow within one department whose cards share no theme becomes a hand-off: its
/// receiving card (one with no other flow inside its department) passes to an outside
/// partner. Nothing else changes, so exactly one broken hand-off is added.
fn broken_hand_off(doc: &mut Document) -> bool {
    let find = |id: &TouchpointId| doc.touchpoints.iter().position(|t| t.id == *id);
    let dept = |tp: usize| doc.touchpoints[tp].department.trim().to_lowercase();
    let pick = doc.flows.iter().enumerate().find_map(|(k, f)| {
        let (a, b) = (find(&f.from)?, find(&f.to)?);
        let (ta, tb) = (&doc.touchpoints[a], &doc.touchpoints[b]);
        let inside = !dept(a).is_empty() && dept(a) == dept(b);
        let shared = ta.themes.iter().any(|t| tb.themes.contains(t));
        let alone = doc.flows.iter().enumerate().all(|(j, g)| {
            j == k
                || !(g.from == tb.id || g.to == tb.id)
                || [&g.from, &g.to]
                    .iter()
                    .filter_map(|id| find(id))
                    .filter(|&o| o != b)
                    .all(|o| dept(o) != dept(b))
        });
        (inside && !shared && !ta.themes.is_empty() && !tb.themes.is_empty() && alone).then_some(b)
    });
    let Some(b) = pick else {
        return false;
    };
    doc.touchpoints[b].department = "Outside partner".to_owned();
    true
}

/// One customer card, whose stage and lane hold another card with the same themes and whose
/// flows stay within its department, loses its themes (so that the flaw is the card alone:
/// not a theme's thread, not a hand-off between departments, which are flaws of their own).
fn one_unthemed(doc: &mut Document) -> bool {
    let cards = facing(doc);
    let dept = |id: &TouchpointId| {
        doc.touchpoints
            .iter()
            .find(|t| t.id == *id)
            .map(|t| t.department.trim().to_lowercase())
    };
    let pick = cards.iter().copied().find(|&tp| {
        let t = &doc.touchpoints[tp];
        let inside = doc
            .flows
            .iter()
            .all(|f| (f.from != t.id && f.to != t.id) || dept(&f.from) == dept(&f.to));
        inside
            && !t.themes.is_empty()
            && doc.touchpoints.iter().enumerate().any(|(o, u)| {
                o != tp
                    && u.stage == t.stage
                    && u.lane == t.lane
                    && t.themes.iter().all(|th| u.themes.contains(th))
            })
    });
    let Some(tp) = pick.or_else(|| cards.first().copied()) else {
        return false;
    };
    doc.touchpoints[tp].themes.clear();
    true
}

/// `SplitMix64`, as in `synth`: stable, so the calibration does not move with a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        usize::try_from(z % n.max(1) as u64).unwrap_or(0)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The same canvas with its cards' themes, emotions and cues assigned at random (seeded):
/// each card carries as many themes as before, drawn from the canvas's themes; its emotion
/// is drawn from -2..=+2; its cues keep their words with a polarity drawn at random. The
/// material stays (cards, stages, lanes, flows, departments, senses, flags), the
/// designer's choices go. (Shuffling the designer's own emotions among the cards would
/// keep a mostly positive journey mostly positive; drawing them is what "assigned at
/// random" means.)
pub fn randomised(doc: &Document, seed: u64) -> Document {
    let mut out = doc.clone();
    let mut rng = Rng(seed);
    let themes: Vec<ThemeId> = out.themes.iter().map(|t| t.id.clone()).collect();
    for t in &mut out.touchpoints {
        let want = t.themes.len().min(themes.len());
        let mut pool = themes.clone();
        rng.shuffle(&mut pool);
        t.themes = pool.into_iter().take(want).collect();
        t.emotion = i8::try_from(rng.below(5)).unwrap_or(0) - 2;
        for cue in &mut t.cues {
            cue.polarity = if rng.below(2) == 0 {
                Polarity::Positive
            } else {
                Polarity::Negative
            };
        }
    }
    out
}

/// Seeds of the randomised copies in the calibration set.
pub const RANDOM_SEEDS: std::ops::Range<u64> = 1..21;

/// The samples the calibration calls designed (the retail sample maps a journey as it is
/// today, flaws and all, so it is in the table but not a baseline).
pub const DESIGNED: [&str; 3] = ["coffee-shop", "hotel-stay", "employee-onboarding"];
