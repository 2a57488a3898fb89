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
        tp.actor == actor
            && tp.kind != ChannelKind::Backstage
            && placed(tp).is_some_and(|(_, (_, kind))| kind != ChannelKind::Backstage)
    };
    let guest = if doc.touchpoints.iter().any(|t| in_front(t, Actor::Customer)) {
        Actor::Customer
    } else {
        Actor::Employee
    };
    let mut cards: Vec<(usize, usize, f32, f32, usize)> = doc
        .touchpoints
        .iter()
        .enumerate()
        .filter(|(_, t)| in_front(t, guest))
        .filter_map(|(i, t)| {
            let (s, (l, _)) = placed(t)?;
            Some((s, l, t.position.y, t.position.x, i))
        })
        .collect();
    cards.sort_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then(a.2.total_cmp(&b.2))
            .then(a.3.total_cmp(&b.3))
            .then(a.4.cmp(&b.4))
    });
    cards.into_iter().map(|c| c.4).collect()
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
