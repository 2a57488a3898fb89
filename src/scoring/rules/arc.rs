//! Emotional arc: the peak-end rule says people remember a journey by its most intense
//! moment and by its end. A coherent journey has a peak (a magic moment), ends on a
//! positive note, and recovers from its deep valleys.
//!
//! Only customer-facing cards count (employees and backstage have their own journeys).
//! Journey order is the stage order, then flows: the *end* is the cards of the last stage
//! that holds a customer card, keeping those with no flow onward within that stage
//! (a flow back to an earlier stage, such as a UMOT to ZMOT loop, does not count as
//! onward); the *destination* is every customer card of that last stage. A *peak* is a
//! card at +2, or a magic moment at +1 or more (a flag on a card that leaves people
//! indifferent is no peak). A *deep valley* is a card at -2, or a pain point at -1 or
//! below; it *recovers* when the journey lifts the guest from it: a customer card at +1 or
//! more within three flows onward (never back to an earlier stage), or, when no flow leads
//! on from it, among the cards of the next stage that holds customer cards.
//!
//! Two checks keep the arc honest: a card whose flag says the opposite of its emotion (a
//! pain point at +1 or more, a magic moment at 0 or less), and a *sudden fall* (a flow
//! between two customer cards dropping 3 points or more onto a card nobody marked a pain
//! point).
//!
//! Penalty = 12 without a peak + 20 when the end's mean emotion is below 0 (8 when below
//! +0.5) + 10 when the destination's mean is below 0 + 8 per valley without recovery (at
//! most three) + 4 per contradicting flag and 4 per sudden fall (at most three each), at
//! most 45. Not applicable without customer-facing cards in a stage.
//!
//! With personas, each persona's journey is scored on its own: the customer-facing cards
//! that concern it, at the emotion they leave it with. The rule's penalty is the mean of
//! the personas' penalties (personas whose journey has no card do not count), and with
//! two personas or more each finding starts with the persona it is about ("For Sam: …").

use super::{Findings, Meta, emotion_part, finding, part};
use crate::edit::Fields;
use crate::scoring::context::{Context, OUTSIDE};
use crate::scoring::{RuleResult, Severity};

pub(super) const META: Meta = Meta {
    id: "emotional_arc",
    title: "Emotional arc",
    rationale: "Peak-end rule: people remember the best moment and the end, so build a peak, end high, and recover from every low.",
    weight: 45,
};

/// Mean emotion of the end below which the ending counts as neutral rather than positive.
pub(crate) const POSITIVE_END: f64 = 0.5;
/// Points lost without a peak.
pub(crate) const NO_PEAK: f64 = 12.0;
/// Points lost for an end below 0, and for one below [`POSITIVE_END`].
pub(crate) const NEGATIVE_END: f64 = 20.0;
pub(crate) const FLAT_END: f64 = 8.0;
/// Points lost when the destination stage as a whole leaves guests below 0.
pub(crate) const NEGATIVE_DESTINATION: f64 = 10.0;
/// Points lost per valley without recovery, counted for at most [`MAX_VALLEYS`].
pub(crate) const PER_VALLEY: f64 = 8.0;
pub(crate) const MAX_VALLEYS: u32 = 3;
/// Points per flag contradicting its card's emotion, and per unmarked sudden fall, each
/// counted for at most [`MAX_SUDDEN`].
pub(crate) const PER_CONTRADICTION: f64 = 4.0;
pub(crate) const MAX_SUDDEN: u32 = 3;
/// A fall along one flow, in emotion points, that a pain point flag should announce.
pub(crate) const SUDDEN_FALL: i8 = 3;
/// Flows followed onward from a valley to find its recovery.
pub(crate) const RECOVERY_STEPS: usize = 3;

/// The fields of a card that what [`Journey`] keeps depends on: all the rule reads but
/// the stage.
pub(super) const KEPT_READS: Fields = Fields::FACING_FACT.or(Fields::EMOTION).or(Fields::FLAGS);

/// What the arc finds in one journey without reading a stage: its cards, and among them
/// its peaks, deep valleys and contradicting flags, and the flows that fall. Kept between
/// runs while no card's facing, emotions or flags change ([`KEPT_READS`]), so that a card
/// moved reads again only the stages: on a big canvas, finding these was most of the rule.
/// Cards are listed whether laid out or not (a card whose stage is gone is left out
/// where they are read).
#[derive(Clone, Debug, Default)]
pub(crate) struct Journey {
    /// The journey's customer-facing cards (ascending), and those of them at a peak, in a
    /// deep valley, or flagged against their emotion.
    cards: Vec<u32>,
    peaks: Vec<u32>,
    valleys: Vec<u32>,
    contradictions: Vec<u32>,
    /// The links (positions in the context's) whose flow falls suddenly onto a card not
    /// marked a pain point.
    falls: Vec<u32>,
    /// How many cards and links there were: a journey kept for other lists is not read.
    sizes: (usize, usize),
}

/// The journeys' [`Journey`], by journey: the cards' own emotions (no personas), or each
/// persona's.
#[derive(Clone, Debug, Default)]
pub(crate) struct Journeys(Vec<Option<Journey>>);

impl Journeys {
    fn take(&mut self, k: usize) -> Option<Journey> {
        self.0.get_mut(k).and_then(Option::take)
    }

    fn put(&mut self, k: usize, journey: Journey) {
        if self.0.len() <= k {
            self.0.resize(k + 1, None);
        }
        self.0[k] = Some(journey);
    }
}

fn narrow(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Journey {
    /// What `journey` (each card's emotion in it, [`OUTSIDE`] where it is not part of it)
    /// holds.
    fn of(cx: &Context, journey: &[i8]) -> Self {
        let concerns = |tp: usize| journey.get(tp).is_some_and(|&e| e != OUTSIDE);
        let cards: Vec<u32> = (0..cx.len())
            .filter(|&tp| cx.facing[tp] && concerns(tp))
            .map(narrow)
            .collect();
        let those = |keep: &dyn Fn(i8, crate::model::Flags) -> bool| {
            cards
                .iter()
                .copied()
                .filter(|&tp| keep(journey[tp as usize], cx.flags[tp as usize]))
                .collect()
        };
        let peaks = those(&|e, f| is_peak(e, f.magic_moment));
        let valleys = those(&|e, f| is_deep(e, f.pain_point));
        let contradictions = those(&|e, f| contradiction(e, f).is_some());
        let falls = cx
            .links
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let (a, b) = (l.from, l.to);
                cx.facing[a]
                    && cx.facing[b]
                    && concerns(a)
                    && concerns(b)
                    && !cx.flags[b].pain_point
                    && journey[a].saturating_sub(journey[b]) >= SUDDEN_FALL
            })
            .map(|(k, _)| narrow(k))
            .collect();
        Journey {
            cards,
            peaks,
            valleys,
            contradictions,
            falls,
            sizes: (cx.len(), cx.links.len()),
        }
    }
}

/// A peak: a card at +2, or a magic moment at +1 or more.
fn is_peak(e: i8, magic_moment: bool) -> bool {
    e >= 2 || (magic_moment && e >= 1)
}

/// A deep valley: a card at -2, or a pain point at -1 or below.
fn is_deep(e: i8, pain_point: bool) -> bool {
    e <= -2 || (pain_point && e <= -1)
}

/// What a card's flag says against its emotion, if it does.
fn contradiction(e: i8, f: crate::model::Flags) -> Option<&'static str> {
    if f.pain_point && e >= 1 {
        Some("marked a pain point but leaves people at")
    } else if f.magic_moment && e <= 0 {
        Some("marked a magic moment but leaves people at")
    } else {
        None
    }
}

pub(super) fn check(cx: &Context) -> RuleResult {
    let personas = &cx.doc.personas;
    if personas.is_empty() {
        return match arc(cx, 0, cx.journey_of(None), None) {
            Some((penalty, findings)) => META.result(Some(penalty), findings.finish()),
            None => META.result(None, vec![]),
        };
    }
    let mut total = 0.0;
    let mut scored = 0u32;
    let mut all = Vec::new();
    for (k, persona) in personas.iter().enumerate() {
        let who = (personas.len() > 1).then(|| (k, persona.display_name()));
        let Some((penalty, findings)) = arc(cx, k, cx.journey_of(Some(k)), who) else {
            continue;
        };
        total += penalty;
        scored += 1;
        all.extend(findings.finish());
    }
    if scored == 0 {
        return META.result(None, vec![]);
    }
    META.result(Some(total / f64::from(scored)), all)
}

/// Which of the arc's findings a key names (see [`Findings::push_keyed`]).
const VALLEY: u32 = 1;
const CONTRADICTION: u32 = 2;
const FALL: u32 = 3;

/// One journey's penalty and findings: `journey` is each card's emotion in it, [`OUTSIDE`]
/// for a card that is not part of it, and `slot` its place among the journeys the rule
/// keeps ([`Journey`]); `who`, the persona it is (by position and name) when the findings
/// say whose journey they are about. `None` when the journey has no customer-facing card.
fn arc<'a>(
    cx: &Context<'a, '_>,
    slot: usize,
    journey: &[i8],
    who: Option<(usize, &str)>,
) -> Option<(f64, Findings<'a>)> {
    let kept = cx.memos().and_then(|m| m.borrow_mut().arc.take(slot));
    let held = kept
        .filter(|j| j.sizes == (cx.len(), cx.links.len()))
        .unwrap_or_else(|| Journey::of(cx, journey));
    let scored = arc_of(cx, &held, journey, who);
    if let Some(m) = cx.memos() {
        m.borrow_mut().arc.put(slot, held);
    }
    scored
}

/// [`arc`] from what the journey holds (`held`).
fn arc_of<'a>(
    cx: &Context<'a, '_>,
    held: &Journey,
    journey: &[i8],
    who: Option<(usize, &str)>,
) -> Option<(f64, Findings<'a>)> {
    let doc = cx.doc;
    let concerns = |tp: usize| journey.get(tp).is_some_and(|&e| e != OUTSIDE);
    let emotion = |tp: usize| journey[tp];
    // The journey's cards laid out, from a list of them.
    let laid_out = |list: &'_ [u32]| -> Vec<usize> {
        list.iter()
            .map(|&tp| tp as usize)
            .filter(|&tp| cx.stage_of[tp].is_some())
            .collect()
    };
    // One pass over the cards: each stage's best, the last stage that holds one and the
    // cards there (the destination: the whole last stage, not only its final cards).
    let stages = doc.stages.len();
    let mut best_in_stage = vec![i8::MIN; stages];
    let mut last_stage = None;
    let mut destination: Vec<usize> = Vec::new();
    for &tp in &held.cards {
        let (tp, Some(s)) = (tp as usize, cx.stage_of[tp as usize]) else {
            continue;
        };
        best_in_stage[s] = best_in_stage[s].max(emotion(tp));
        if last_stage < Some(s) {
            last_stage = Some(s);
            destination.clear();
        }
        if last_stage == Some(s) {
            destination.push(tp);
        }
    }
    let last_stage = last_stage?;
    let mut findings = cx.findings();
    if let Some((_, name)) = who {
        findings.prefix(format!("For {name}: "));
    }
    // Findings about one card or flow are keyed, with the persona they are about.
    let persona = who.map_or(0, |(k, _)| part(k + 1));
    let mut penalty = 0.0;

    // The peak.
    let has_peak = held
        .peaks
        .iter()
        .any(|&tp| cx.stage_of[tp as usize].is_some());
    if !has_peak {
        penalty += NO_PEAK;
        // Point at the best candidate: the highest card, first in document order.
        let best = laid_out(&held.cards)
            .into_iter()
            .fold(None::<usize>, |best, tp| match best {
                Some(b) if emotion(b) >= emotion(tp) => Some(b),
                _ => Some(tp),
            });
        findings.push(|| finding(
            Severity::Warning,
            match best {
                Some(b) => format!(
                    "No peak: no touchpoint delights (+2) or is marked a magic moment; the best is {} at {:+}",
                    cx.card(b),
                    emotion(b)
                ),
                None => "No peak: no touchpoint delights (+2) or is marked a magic moment".to_owned(),
            },
            best.map(|b| cx.card_target(b)).into_iter().collect(),
            "Design a magic moment people will remember and share, and mark it on the card.",
        ));
    }

    // The end.
    let in_last = |tp: usize| cx.facing[tp] && cx.stage_of[tp] == Some(last_stage) && concerns(tp);
    let mut ends: Vec<usize> = destination
        .iter()
        .copied()
        .filter(|&tp| !cx.successors(tp).any(in_last))
        .collect();
    if ends.is_empty() {
        ends.clone_from(&destination);
    }
    let end_mean =
        ends.iter().map(|&tp| f64::from(emotion(tp))).sum::<f64>() / ends.len().max(1) as f64;
    let stage_name = crate::scoring::names::quote(&doc.stages[last_stage].name);
    let ending = |mean: f64| match ends.as_slice() {
        [one] => format!("{} at {:+}", cx.card(*one), emotion(*one)),
        _ => format!(
            "{} final touchpoints of {stage_name} average {mean:+.1}",
            ends.len()
        ),
    };
    if end_mean < 0.0 {
        penalty += NEGATIVE_END;
        findings.push(|| finding(
            Severity::Problem,
            format!("The journey ends on a negative note: {}", ending(end_mean)),
            ends.iter()
                .filter(|&&tp| emotion(tp) < 0)
                .map(|&tp| cx.card_target(tp))
                .collect(),
            "People remember the end: fix what hurts here, or add a last touchpoint that leaves them glad (a thank-you, a follow-up, a gift).",
        ));
    } else if end_mean < POSITIVE_END {
        penalty += FLAT_END;
        findings.push(|| {
            finding(
                Severity::Warning,
                format!("The journey ends flat: {}", ending(end_mean)),
                ends.iter()
                    .filter(|&&tp| emotion(tp) <= 0)
                    .map(|&tp| cx.card_target(tp))
                    .collect(),
                "End on a high: make the last touchpoint one people are glad of.",
            )
        });
    }

    let dest_mean = destination
        .iter()
        .map(|&tp| f64::from(emotion(tp)))
        .sum::<f64>()
        / destination.len().max(1) as f64;
    if dest_mean < 0.0 {
        penalty += NEGATIVE_DESTINATION;
        findings.push(|| finding(
            Severity::Problem,
            format!(
                "The destination leaves guests worse off: the {} touchpoints of {stage_name} average {dest_mean:+.1}",
                destination.len()
            ),
            destination
                .iter()
                .filter(|&&tp| emotion(tp) < 0)
                .map(|&tp| cx.card_target(tp))
                .collect(),
            "The last stage is what people take home: fix what hurts there before polishing the last card.",
        ));
    }

    // Valleys and their recovery, following the journey: flows onward, or the next stage.
    // For each stage, the best emotion of the next stage that holds customer cards.
    let mut best_next = vec![i8::MIN; stages];
    let mut next = i8::MIN;
    for s in (0..stages).rev() {
        best_next[s] = next;
        if best_in_stage[s] != i8::MIN {
            next = best_in_stage[s];
        }
    }
    let mut unrecovered = 0u32;
    let mut frontier = Vec::new();
    let mut reached = Vec::new();
    for tp in laid_out(&held.valleys) {
        let e = emotion(tp);
        let onward = |from: usize, to: usize| match (cx.stage_of[from], cx.stage_of[to]) {
            (Some(a), Some(b)) => b >= a,
            _ => false,
        };
        let has_onward = cx.successors(tp).any(|n| onward(tp, n));
        let recovered = if has_onward {
            // Breadth-first, a few flows deep; the cards seen are few.
            frontier.clear();
            reached.clear();
            frontier.push(tp);
            reached.push(tp);
            let mut found = false;
            for _ in 0..RECOVERY_STEPS {
                let now = std::mem::take(&mut frontier);
                for &c in &now {
                    for n in cx.successors(c) {
                        if !onward(c, n) || reached.contains(&n) {
                            continue;
                        }
                        if cx.facing[n] && concerns(n) && emotion(n) >= 1 {
                            found = true;
                        }
                        reached.push(n);
                        frontier.push(n);
                    }
                }
                if found || frontier.is_empty() {
                    break;
                }
            }
            found
        } else {
            cx.stage_of[tp].is_some_and(|s| best_next[s] >= 1)
        };
        if !recovered {
            unrecovered += 1;
            let key = [VALLEY, persona, part(tp), emotion_part(e)];
            findings.push_keyed(key, || finding(
                Severity::Problem,
                format!(
                    "{} is a deep valley ({:+}) and nothing after it lifts the guest back up",
                    cx.card(tp),
                    e
                ),
                vec![cx.card_target(tp)],
                "Add a recovery right after it (an apology, a gesture, a fix) that leaves people at +1 or better.",
            ));
        }
    }
    penalty += PER_VALLEY * f64::from(unrecovered.min(MAX_VALLEYS));
    // Flags that say the opposite of the emotion: a pain point people leave glad of, a
    // magic moment that leaves them cold. One of the two is wrong, and the arc cannot be
    // read until the designer says which.
    let mut contradictions = 0u32;
    for tp in laid_out(&held.contradictions) {
        let e = emotion(tp);
        let Some(what) = contradiction(e, cx.flags[tp]) else {
            continue;
        };
        contradictions += 1;
        let key = [CONTRADICTION, persona, part(tp), emotion_part(e)];
        findings.push_keyed(key, || {
            finding(
                Severity::Warning,
                format!("{} is {what} {e:+}", cx.card(tp)),
                vec![cx.card_target(tp)],
                "Say which is true: change the emotion, or the flag.",
            )
        });
    }
    penalty += PER_CONTRADICTION * f64::from(contradictions.min(MAX_SUDDEN));

    // Falls nobody marked: a flow from one guest card to the next dropping by 3 or more,
    // onto a card that is not marked a pain point.
    let falls = narrow(held.falls.len());
    for &k in &held.falls {
        let l = &cx.links[k as usize];
        let (a, b) = (l.from, l.to);
        let key = [
            FALL,
            persona,
            part(l.flow),
            emotion_part(emotion(a)) << 8 | emotion_part(emotion(b)),
        ];
        findings.push_keyed(key, || finding(
            Severity::Warning,
            format!(
                "The guest falls from {:+} at {} to {:+} at {}, and nobody marked it a pain point",
                emotion(a),
                cx.card(a),
                emotion(b),
                cx.card(b)
            ),
            vec![cx.flow_target(l.flow), cx.card_target(a), cx.card_target(b)],
            "If this hurts, mark it a pain point and design the recovery; if not, correct the emotion.",
        ));
    }
    penalty += PER_CONTRADICTION * f64::from(falls.min(MAX_SUDDEN));

    Some((penalty, findings))
}
