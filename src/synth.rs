//! Synthetic canvases of any size, for benchmarks and tests: realistic in shape (many
//! stages with the four moments of truth, channel and backstage lanes, 3–8 themes carried
//! in bands along the journey, departments by channel, varied titles, emotions, cues,
//! senses, some top tasks, flows mostly between neighbours plus a few long-range ones and
//! one UMOT → ZMOT loop), always valid, and deterministic for a given seed.
//!
//! The generator uses its own small PRNG (`SplitMix64`) so that the canvases do not change
//! when a dependency is upgraded: benchmark numbers stay comparable over time.

use crate::model::{
    Actor, CellPos, ChannelKind, Color, Cue, Document, Extra, Flags, Flow, FlowId, Intent, Lane,
    LaneId, Moment, Persona, Polarity, Sense, Stage, StageId, Theme, ThemeId, TopTask, Touchpoint,
    TouchpointId,
};
use std::collections::BTreeSet;

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthSpec {
    pub touchpoints: usize,
    /// Flows per touchpoint (default 2.0); negative or non-finite values mean none.
    pub flows_per_touchpoint: f32,
    pub seed: u64,
}

impl Default for SynthSpec {
    fn default() -> Self {
        Self {
            touchpoints: 1_000,
            flows_per_touchpoint: 2.0,
            seed: 1,
        }
    }
}

impl SynthSpec {
    /// `touchpoints` cards, two flows per card, the given seed.
    pub fn new(touchpoints: usize, seed: u64) -> Self {
        Self {
            touchpoints,
            seed,
            ..Self::default()
        }
    }
}

/// `SplitMix64`: tiny, fast, good enough for test data, and stable forever.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the modulo bias is irrelevant for test data.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in 0..1.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const STAGE_NAMES: &[&str] = &[
    "Discover", "Research", "Compare", "Choose", "Buy", "Prepare", "Arrive", "Onboard", "Use",
    "Get help", "Renew", "Share",
];

const CHANNELS: &[(&str, ChannelKind, &[&str])] = &[
    ("Web", ChannelKind::Digital, &["Marketing", "Product", "IT"]),
    ("App", ChannelKind::Digital, &["Product", "IT"]),
    (
        "Store",
        ChannelKind::Physical,
        &["Store operations", "Sales"],
    ),
    ("Phone", ChannelKind::Human, &["Customer support", "Sales"]),
    (
        "E-mail",
        ChannelKind::Digital,
        &["Marketing", "Customer support"],
    ),
    ("Delivery", ChannelKind::Physical, &["Logistics"]),
    ("Social media", ChannelKind::Digital, &["Marketing"]),
    ("Counter staff", ChannelKind::Human, &["Store operations"]),
    ("Chat", ChannelKind::Digital, &["Customer support"]),
    ("Events", ChannelKind::Physical, &["Marketing", "Sales"]),
];

const BACKSTAGE: &[(&str, &[&str])] = &[
    ("Backstage: systems", &["IT", "Finance"]),
    ("Backstage: operations", &["Logistics", "Store operations"]),
];

/// Theme name, tone keywords, feel, colour.
const THEMES: &[(&str, &[&str], &str, Color)] = &[
    (
        "Warm welcome",
        &["warm", "personal"],
        "expected and known",
        Color::rgb(0xe4, 0x57, 0x2e),
    ),
    (
        "Effortless",
        &["simple", "fast"],
        "that nothing stands in the way",
        Color::rgb(0x29, 0x80, 0xb9),
    ),
    (
        "Local craft",
        &["authentic", "local"],
        "close to the makers",
        Color::rgb(0x8e, 0x6c, 0x3a),
    ),
    (
        "Calm confidence",
        &["calm", "reassuring"],
        "safe and looked after",
        Color::rgb(0x2e, 0x8b, 0x57),
    ),
    (
        "Playful discovery",
        &["playful", "fun"],
        "curious and surprised",
        Color::rgb(0xc0, 0x39, 0x8b),
    ),
    (
        "Quiet luxury",
        &["premium", "refined"],
        "treated as someone special",
        Color::rgb(0x4b, 0x3f, 0x72),
    ),
    (
        "Open book",
        &["transparent", "honest"],
        "that nothing is hidden",
        Color::rgb(0xf3, 0x9c, 0x12),
    ),
    (
        "Green by default",
        &["sustainable"],
        "part of something good",
        Color::rgb(0x27, 0xae, 0x60),
    ),
];

const VERBS: &[&str] = &[
    "Search",
    "Compare",
    "Read",
    "Watch",
    "Book",
    "Pay for",
    "Receive",
    "Unpack",
    "Try",
    "Ask about",
    "Return",
    "Review",
    "Share",
    "Track",
    "Renew",
    "Pick up",
    "Choose",
];

const OBJECTS: &[&str] = &[
    "reviews",
    "the offer",
    "delivery options",
    "a table",
    "the order",
    "the welcome pack",
    "opening hours",
    "the loyalty card",
    "a refund",
    "the product video",
    "a gift card",
    "the invoice",
    "a photo of the visit",
    "the tasting menu",
    "spare parts",
];

const QUALIFIERS: &[&str] = &[
    "on the phone",
    "in the app while commuting",
    "at the counter, with a barista who remembers the usual order",
    "after a friend's recommendation on social media",
    "with a personalised follow-up e-mail that includes care instructions and a voucher for the next visit",
];

const NOTES: &[&str] = &[
    "Observed in the March field study.",
    "Staff say this is where most questions come from.",
    "Survey: guests mention this spontaneously.",
    "Owned by a different team than the step before.",
];

const POSITIVE_CUES: &[&str] = &[
    "Smiling staff",
    "Smell of fresh coffee",
    "Handwritten note",
    "Clear next step",
    "Greeted by name",
    "Soft music",
];

const NEGATIVE_CUES: &[&str] = &[
    "Long queue",
    "Broken link",
    "Cold automated voice",
    "Hidden fees",
    "Sticky counter",
    "Confusing form",
];

/// A deterministic, valid canvas for `spec`.
pub fn canvas(spec: &SynthSpec) -> Document {
    let mut rng = Rng(spec.seed ^ 0x5eed_ca11_ab1e);
    let n = spec.touchpoints;

    // Stages: about sqrt(n) / 2.5, between 4 and 40; the four moments spread along them.
    let stage_count = ((n as f64).sqrt() / 2.5).round().clamp(4.0, 40.0) as usize;
    let moment_at = |s: usize| {
        if s == 0 {
            Some(Moment::Zmot)
        } else if s == stage_count / 3 {
            Some(Moment::Fmot)
        } else if s == 2 * stage_count / 3 {
            Some(Moment::Smot)
        } else if s == stage_count - 1 {
            Some(Moment::Umot)
        } else {
            None
        }
    };
    // Stage names follow a typical journey; with more stages than names, each phase is
    // split into numbered steps ("Use 1", "Use 2").
    let mut stages: Vec<Stage> = Vec::with_capacity(stage_count);
    for s in 0..stage_count {
        let base = STAGE_NAMES[s * STAGE_NAMES.len() / stage_count];
        let name = if stage_count > STAGE_NAMES.len() {
            let step = 1 + stages.iter().filter(|st| st.name.starts_with(base)).count();
            format!("{base} {step}")
        } else {
            base.to_owned()
        };
        stages.push(Stage {
            id: StageId::new(format!("stage-{s}")),
            name,
            moment: moment_at(s),
            extra: Extra::new(),
        });
    }

    // Lanes: 4 to 10 channels by size, then one or two backstage lanes.
    let channels = (4 + n / 5_000).min(CHANNELS.len());
    let backstage = if n >= 5_000 { 2 } else { 1 };
    let mut lane_departments: Vec<&[&str]> = Vec::new();
    let mut lanes = Vec::new();
    for (name, kind, departments) in &CHANNELS[..channels] {
        lane_departments.push(departments);
        lanes.push((*name, *kind));
    }
    for (name, departments) in &BACKSTAGE[..backstage] {
        lane_departments.push(departments);
        lanes.push((*name, ChannelKind::Backstage));
    }
    let lanes: Vec<Lane> = lanes
        .into_iter()
        .enumerate()
        .map(|(i, (name, kind))| Lane {
            id: LaneId::new(format!("lane-{i}")),
            name: name.to_owned(),
            kind,
            extra: Extra::new(),
        })
        .collect();

    // Themes: 3 to 8.
    let theme_count = 3 + rng.below(6);
    let themes: Vec<Theme> = THEMES[..theme_count]
        .iter()
        .enumerate()
        .map(|(i, (name, tone, feel, color))| Theme {
            id: ThemeId::new(format!("theme-{i}")),
            name: (*name).to_owned(),
            color: *color,
            intent: Intent {
                feel: format!("People feel {feel}"),
                think: format!("{name} is how this company works"),
                share: format!("A story about the {} moment", name.to_lowercase()),
            },
            tone: tone.iter().map(|t| (*t).to_owned()).collect(),
            extra: Extra::new(),
        })
        .collect();

    let mut touchpoints = Vec::with_capacity(n);
    for i in 0..n {
        // Cards in journey order: stage-major, so index neighbours are journey neighbours.
        let s = i * stage_count / n;
        let l = rng.below(lanes.len());
        let kind = lanes[l].kind;
        let mut title = format!("{} {}", rng.pick(VERBS), rng.pick(OBJECTS));
        if rng.chance(0.35) {
            title.push(' ');
            let qualifier: &str = rng.pick::<&str>(QUALIFIERS);
            title.push_str(qualifier);
        }
        let mut tp = Touchpoint::new(
            TouchpointId::new(format!("tp-{i}")),
            title,
            stages[s].id.clone(),
            lanes[l].id.clone(),
        );
        tp.position = CellPos {
            x: 0.05 + 0.9 * rng.unit() as f32,
            y: 0.05 + 0.9 * rng.unit() as f32,
        };
        tp.kind = kind;
        tp.actor = if kind == ChannelKind::Backstage || rng.chance(0.03) {
            Actor::Employee
        } else {
            Actor::Customer
        };
        if rng.chance(0.3) {
            tp.notes = (*rng.pick(NOTES)).to_owned();
        }
        // Themes: a band theme by position in the journey, sometimes a second one.
        if rng.chance(0.88) {
            let band = s * theme_count / stage_count;
            tp.themes.push(themes[band].id.clone());
            if rng.chance(0.3) {
                let other = rng.below(theme_count);
                if other != band {
                    tp.themes.push(themes[other].id.clone());
                }
            }
        }
        tp.emotion = match rng.below(100) {
            0..=3 => -2,
            4..=15 => -1,
            16..=45 => 0,
            46..=83 => 1,
            _ => 2,
        };
        tp.flags = Flags {
            pain_point: tp.emotion <= -1 && rng.chance(0.5),
            magic_moment: tp.emotion == 2 && rng.chance(0.4),
            memorabilia: rng.chance(if s * 4 >= stage_count * 3 { 0.05 } else { 0.01 }),
        };
        for _ in 0..rng.below(3) {
            let negative = rng.chance(0.12);
            tp.cues.push(Cue {
                text: (*rng.pick(if negative {
                    NEGATIVE_CUES
                } else {
                    POSITIVE_CUES
                }))
                .to_owned(),
                polarity: if negative {
                    Polarity::Negative
                } else {
                    Polarity::Positive
                },
            });
        }
        tp.senses = match kind {
            ChannelKind::Physical | ChannelKind::Human => {
                let mut senses = BTreeSet::new();
                for _ in 0..1 + rng.below(4) {
                    senses.insert(*rng.pick(&Sense::ALL));
                }
                senses
            }
            ChannelKind::Digital => {
                let mut senses = BTreeSet::from([Sense::Sight]);
                if rng.chance(0.3) {
                    senses.insert(Sense::Hearing);
                }
                senses
            }
            ChannelKind::Backstage => BTreeSet::new(),
        };
        tp.department = (*rng.pick(lane_departments[l])).to_owned();
        if rng.chance(0.04) {
            let steps = 2 + rng.below(10) as u32;
            let seconds = 20.0 + (rng.below(300) as f64);
            tp.top_task = Some(TopTask {
                task: format!("{} {}", rng.pick(VERBS), rng.pick(OBJECTS)).to_lowercase(),
                steps: Some(steps),
                seconds: Some(seconds),
                max_steps: Some(8),
                max_seconds: Some(240.0),
            });
        }
        touchpoints.push(tp);
    }

    // Flows: the UMOT -> ZMOT loop first, then mostly forward to near neighbours.
    let per = f64::from(spec.flows_per_touchpoint);
    let flow_count = if per.is_finite() && per > 0.0 && n >= 2 {
        (per * n as f64).round() as usize
    } else {
        0
    };
    let mut flows = Vec::with_capacity(flow_count);
    for k in 0..flow_count {
        let (from, to) = if k == 0 {
            (n - 1, 0)
        } else {
            let from = rng.below(n);
            let to = if rng.chance(0.92) {
                (from + 1 + rng.below(3)).min(n - 1)
            } else {
                rng.below(n)
            };
            if to == from {
                (from, (from + 1) % n)
            } else {
                (from, to)
            }
        };
        flows.push(Flow {
            id: FlowId::new(format!("flow-{k}")),
            from: touchpoints[from].id.clone(),
            to: touchpoints[to].id.clone(),
            label: String::new(),
            extra: Extra::new(),
        });
    }

    Document {
        title: format!("Synthetic journey ({n} touchpoints, seed {})", spec.seed),
        personas: vec![Persona {
            goal: "Get what they came for, and enjoy it".to_owned(),
            ..Persona::new(
                crate::model::PersonaId::from("persona-1"),
                "Sam, a regular",
                crate::model::PERSONA_COLORS[0],
            )
        }],
        stages,
        lanes,
        themes,
        touchpoints,
        flows,
        lineage: Default::default(),
        extra: Extra::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate;

    #[test]
    fn canvases_are_valid_for_many_sizes_and_seeds() {
        for n in [0, 1, 2, 3, 7, 50, 1_000] {
            for seed in [0, 1, 42] {
                let doc = canvas(&SynthSpec::new(n, seed));
                assert_eq!(validate(&doc), vec![], "n={n} seed={seed}");
                assert_eq!(doc.touchpoints.len(), n);
            }
        }
    }

    #[test]
    fn same_seed_same_canvas_other_seed_other_canvas() {
        let a = canvas(&SynthSpec::new(300, 7));
        assert_eq!(a, canvas(&SynthSpec::new(300, 7)));
        assert_ne!(a, canvas(&SynthSpec::new(300, 8)));
    }

    #[test]
    fn shape_is_realistic() {
        let doc = canvas(&SynthSpec::new(10_000, 3));
        assert_eq!(doc.flows.len(), 20_000);
        assert!(doc.stages.len() >= 12, "{} stages", doc.stages.len());
        for m in Moment::ALL {
            assert_eq!(
                doc.stages.iter().filter(|s| s.moment == Some(m)).count(),
                1,
                "{m:?}"
            );
        }
        assert!((3..=8).contains(&doc.themes.len()));
        assert!(doc.lanes.iter().any(|l| l.kind == ChannelKind::Backstage));
        assert!(doc.lanes.iter().any(|l| l.kind.is_physical()));
        let departments: BTreeSet<&str> = doc
            .touchpoints
            .iter()
            .map(|t| t.department.as_str())
            .collect();
        assert!(departments.len() >= 5);
        // Flows mostly between neighbours: most go forward by at most 3 cards.
        let index = |id: &TouchpointId| id.as_str()[3..].parse::<usize>().expect("tp-N");
        let near = doc
            .flows
            .iter()
            .filter(|f| {
                let (a, b) = (index(&f.from), index(&f.to));
                b > a && b - a <= 3
            })
            .count();
        assert!(near * 10 > doc.flows.len() * 8, "{near} near flows");
        let long_titles = doc
            .touchpoints
            .iter()
            .filter(|t| t.title.len() > 60)
            .count();
        assert!(long_titles > 0 && long_titles < doc.touchpoints.len() / 2);
    }

    #[test]
    fn flow_density_follows_the_spec() {
        let mut spec = SynthSpec::new(100, 1);
        spec.flows_per_touchpoint = 0.5;
        assert_eq!(canvas(&spec).flows.len(), 50);
        spec.flows_per_touchpoint = f32::NAN;
        assert_eq!(canvas(&spec).flows.len(), 0);
    }
}
