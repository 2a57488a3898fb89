//! The flows resolved to card indices: each flow's ends, and each card's successors.

use super::{Flows, Link, idx};
use crate::model::Document;
use crate::scoring::id_index::{AHEAD, IdIndex, prefetch};

impl Flows {
    pub fn new(doc: &Document) -> Self {
        let n = doc.touchpoints.len();
        let index = IdIndex::new(doc.touchpoints.iter().map(|t| t.id.as_str()));
        let mut links = Vec::with_capacity(doc.flows.len());
        // Both ends of each flow in turn: `from` at even positions, `to` at odd ones.
        let ends = doc
            .flows
            .iter()
            .flat_map(|f| [f.from.as_str(), f.to.as_str()]);
        let mut from = None;
        let mut at = 0usize;
        index.get_each(ends, |end| {
            if at.is_multiple_of(2) {
                from = end;
            } else if let (Some(from), Some(to)) = (from, end)
                && from != to
            {
                links.push(Link {
                    flow: at / 2,
                    from,
                    to,
                });
            }
            at += 1;
        });
        // Per card, flows out and flows in, side by side so that counting a flow's start
        // touches one cache line. The cards are random, so the counters a few links ahead
        // are fetched while this one is counted.
        let mut counts = vec![[0u32; 2]; n];
        for (k, l) in links.iter().enumerate() {
            if let Some(ahead) = links.get(k + AHEAD) {
                prefetch(&counts[ahead.from]);
                prefetch(&counts[ahead.to]);
            }
            counts[l.from][0] += 1;
            counts[l.to][1] += 1;
        }
        let degree = counts.iter().map(|[o, i]| o + i).collect();
        // Successors in compressed form: succ_list[succ_start[i]..succ_start[i+1]].
        let mut succ_start = Vec::with_capacity(n + 1);
        let mut acc = 0u32;
        for [out, _] in &counts {
            succ_start.push(acc);
            acc += out;
        }
        succ_start.push(acc);
        // `counts[i][0]` becomes the next free place in card i's successors.
        for (c, &s) in counts.iter_mut().zip(&succ_start) {
            c[0] = s;
        }
        let mut succ_list = vec![0u32; acc as usize];
        for (k, l) in links.iter().enumerate() {
            if let Some(ahead) = links.get(k + AHEAD) {
                prefetch(&counts[ahead.from]);
            }
            let place = &mut counts[l.from][0];
            succ_list[*place as usize] = idx(l.to);
            *place += 1;
        }
        Self {
            links,
            degree,
            succ_start,
            succ_list,
            ids: index,
        }
    }

    /// The index of the card with id `id` (the first, if two share it).
    pub fn card(&self, id: &str) -> Option<usize> {
        self.ids.get(id)
    }
}
