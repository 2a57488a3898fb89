//! The guest's journey through a canvas: which cards the guest lives, in which order.
//!
//! The guest is the customer on a channel that is not backstage; in a journey with no
//! such card (an employee's onboarding, say) it is the employee in front of the stage, as
//! the coherence rules read it (`scoring::context`). Journey order is the stage order,
//! then the lane order, then the card's place in its cell (as the layout orders a cell),
//! then document order: stable, and the same on screen and on paper.

use super::{Actor, ChannelKind, Document, Touchpoint};
use std::collections::HashMap;

/// The indices in `doc.touchpoints` of the cards the guest lives, in journey order.
/// Cards in a stage or lane that does not exist are left out.
pub fn guest_cards(doc: &Document) -> Vec<usize> {
    let stage: HashMap<&str, usize> = doc
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .rev()
        .collect();
    let lane: HashMap<&str, (usize, ChannelKind)> = doc
        .lanes
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), (i, l.kind)))
        .rev()
        .collect();
    let placed = |tp: &Touchpoint| {
        let s = stage.get(tp.stage.as_str())?;
        let l = lane.get(tp.lane.as_str())?;
        Some((*s, *l))
    };
    let in_front = |tp: &Touchpoint, actor: Actor| {
        placed(tp).is_some_and(|(_, (_, kind))| front_actor(tp, kind) == Some(actor))
    };
    let guest = if doc.touchpoints.iter().any(|t| in_front(t, Actor::Customer)) {
        Actor::Customer
    } else {
        Actor::Employee
    };
    let mut cards: Vec<Place> = doc
        .touchpoints
        .iter()
        .enumerate()
        .filter(|(_, t)| in_front(t, guest))
        .filter_map(|(i, t)| {
            let (stage, (lane, _)) = placed(t)?;
            Some(Place::of(stage, lane, t, i))
        })
        .collect();
    cards.sort_by(Place::order);
    cards.into_iter().map(|c| c.index).collect()
}

/// Whom a card on a lane of kind `lane` is in front of the stage for: its actor, unless
/// it or its lane is backstage.
pub fn front_actor(tp: &Touchpoint, lane: ChannelKind) -> Option<Actor> {
    (tp.kind != ChannelKind::Backstage && lane != ChannelKind::Backstage).then_some(tp.actor)
}

/// Where a placed card comes in the journey.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub stage: usize,
    pub lane: usize,
    pub y: f32,
    pub x: f32,
    /// Its index in `doc.touchpoints`.
    pub index: usize,
}

impl Place {
    /// Card `index` (`tp`), placed in stage `stage` and lane `lane` (indices).
    pub fn of(stage: usize, lane: usize, tp: &Touchpoint, index: usize) -> Self {
        Place {
            stage,
            lane,
            y: tp.position.y,
            x: tp.position.x,
            index,
        }
    }

    /// Journey order: by stage, lane, place in the cell (top to bottom, left to right),
    /// then document order.
    pub fn order(&self, other: &Self) -> std::cmp::Ordering {
        (self.stage, self.lane)
            .cmp(&(other.stage, other.lane))
            .then(self.y.total_cmp(&other.y))
            .then(self.x.total_cmp(&other.x))
            .then(self.index.cmp(&other.index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{StageId, TouchpointId};

    fn card(id: &str, stage: &str, lane: &str) -> Touchpoint {
        Touchpoint::new(
            TouchpointId::from(id),
            id,
            StageId::from(stage),
            lane.into(),
        )
    }

    #[test]
    fn the_guest_journey_follows_stages_then_lanes_and_skips_backstage() {
        let mut doc = Document::new_canvas();
        let mut staff = card("staff", "discover", "store");
        staff.actor = Actor::Employee;
        doc.touchpoints = vec![
            card("share", "share", "web"),
            card("back", "choose", "backstage"),
            card("store", "discover", "store"),
            card("web", "discover", "web"),
            staff,
            card("lost", "nowhere", "web"),
        ];
        let ids: Vec<&str> = guest_cards(&doc)
            .into_iter()
            .map(|i| doc.touchpoints[i].id.as_str())
            .collect();
        assert_eq!(ids, ["web", "store", "share"]);
    }

    #[test]
    fn without_customers_the_employee_is_the_guest() {
        let mut doc = Document::new_canvas();
        let mut a = card("a", "choose", "store");
        a.actor = Actor::Employee;
        let mut b = card("b", "choose", "backstage");
        b.actor = Actor::Employee;
        doc.touchpoints = vec![a, b];
        assert_eq!(guest_cards(&doc), [0]);
    }
}
