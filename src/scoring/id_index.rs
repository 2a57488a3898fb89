//! Card id -> card index for resolving flow ends on a big canvas, and the prefetch hint its
//! lookups (and the hand-off rule's) use: a cold score of 100,000 cards looks up 400,000
//! flow ends at random, and waits on memory for each (BENCHMARKS.md, issue #16, says why
//! this table is kept rather than a hash map).

use super::context::idx;

/// How many random accesses ahead the resolving loops ask for memory: enough to cover a
/// trip to memory with the work of the items in between, few enough to stay in cache.
pub(crate) const AHEAD: usize = 16;

/// Asks for the cache line holding `x` without waiting for it. At 100,000 cards the
/// tables flow ends are looked up in outgrow the core's cache, and the lookups are at
/// random; fetching a few ahead overlaps their trips to memory instead of paying them one
/// after the other.
#[inline(always)]
pub(crate) fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it never faults and reads nothing into the program,
    // and the pointer comes from a reference anyway.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(x).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Card id -> card index, for resolving flow ends: an open-addressing table whose 16-byte
/// slots hold an id's length and first 8 bytes next to its card index, so an id of up to
/// 8 bytes ("tp-12345") is found and verified with one memory access; the rest of longer
/// ids is compared in one arena holding every id's bytes in card order. A hash map of
/// `&str` instead reads a string somewhere in the document's heap on every key compare,
/// and this step (400,000 lookups at 100,000 cards) was bound by those cache misses.
pub(crate) struct IdIndex {
    slots: Vec<Slot>,
    mask: usize,
    arena: Vec<u8>,
    /// Id `i` is `arena[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// Seeded at random, as [`IdMap`]s are: the slots an id may take cannot be known in
    /// advance, so no file can pile its ids onto one run of slots.
    hasher: foldhash::fast::RandomState,
}

/// One id in the table; `index` is the card index + 1, 0 for an empty slot.
#[derive(Clone, Copy, Default)]
struct Slot {
    head: u64,
    len: u32,
    index: u32,
}

impl IdIndex {
    pub(crate) fn new<'i>(ids: impl ExactSizeIterator<Item = &'i str> + Clone) -> Self {
        let n = ids.len();
        // At most 80% full: linear probing then stays within a cache line or two, and the
        // table stays small (2 MB for 100,000 cards).
        let size = (n + n / 4).next_power_of_two().max(16);
        let mut me = Self {
            slots: vec![Slot::default(); size],
            mask: size - 1,
            arena: Vec::with_capacity(ids.clone().map(str::len).sum()),
            starts: Vec::with_capacity(n + 1),
            hasher: foldhash::fast::RandomState::default(),
        };
        for id in ids {
            me.starts.push(idx(me.arena.len()));
            me.arena.extend_from_slice(id.as_bytes());
        }
        me.starts.push(idx(me.arena.len()));
        // Slots are filled at random: each id's place is worked out `AHEAD` ids early and
        // its slot fetched meanwhile (see `prefetch`).
        let mut ahead = [(0usize, 0u64, 0u32); AHEAD];
        for (i, a) in ahead.iter_mut().enumerate().take(n) {
            *a = me.place(me.id(i));
            prefetch(&me.slots[a.0]);
        }
        for i in 0..n {
            let (mut pos, head, len) = ahead[i % AHEAD];
            if i + AHEAD < n {
                let later = me.place(me.id(i + AHEAD));
                prefetch(&me.slots[later.0]);
                ahead[i % AHEAD] = later;
            }
            let new = Slot {
                head,
                len,
                index: idx(i + 1),
            };
            loop {
                let slot = me.slots[pos];
                if slot.index == 0 {
                    me.slots[pos] = new;
                    break;
                }
                if me.matches(slot, head, len, me.id(i)) {
                    // A repeated id (a file that fails validation): the first card that
                    // has it is the one found, as the canvas's layout finds it.
                    break;
                }
                pos = (pos + 1) & me.mask;
            }
        }
        me
    }

    /// First slot to probe, the id's first 8 bytes (zero-padded) and its length.
    fn place(&self, id: &[u8]) -> (usize, u64, u32) {
        use std::hash::BuildHasher;
        let head = match id.first_chunk::<8>() {
            Some(h) => *h,
            None => {
                let mut h = [0u8; 8];
                for (d, &b) in h.iter_mut().zip(id) {
                    *d = b;
                }
                h
            }
        };
        // Truncation is the point: the low bits pick the slot.
        #[allow(clippy::cast_possible_truncation)]
        let pos = self.hasher.hash_one(id) as usize & self.mask;
        (pos, u64::from_le_bytes(head), idx(id.len()))
    }

    /// Whether the (non-empty) `slot` holds `id`, whose head and length are given.
    fn matches(&self, slot: Slot, head: u64, len: u32, id: &[u8]) -> bool {
        slot.head == head
            && slot.len == len
            && (len <= 8 || {
                let i = slot.index as usize - 1;
                let (s, e) = (self.starts[i] as usize, self.starts[i + 1] as usize);
                self.arena.get(s + 8..e) == id.get(8..)
            })
    }

    fn id(&self, i: usize) -> &[u8] {
        &self.arena[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The index of the first card with id `id`.
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        let id = id.as_bytes();
        let (pos, head, len) = self.place(id);
        self.probe(pos, head, len, id)
    }

    /// Looks up each id of `ids` in turn, calling `found` with the answers in order. Same
    /// answers as [`Self::get`], but each id's slot is asked of memory [`AHEAD`] ids before
    /// it is probed.
    pub(crate) fn get_each<'s>(
        &self,
        ids: impl Iterator<Item = &'s str>,
        mut found: impl FnMut(Option<usize>),
    ) {
        type Pending<'s> = (&'s [u8], usize, u64, u32);
        let mut ring: [Pending<'s>; AHEAD] = [(&[], 0, 0, 0); AHEAD];
        let (mut next, mut filled) = (0usize, 0usize);
        for id in ids {
            let id = id.as_bytes();
            let (pos, head, len) = self.place(id);
            prefetch(&self.slots[pos]);
            if filled == AHEAD {
                let (id, pos, head, len) = ring[next];
                found(self.probe(pos, head, len, id));
            } else {
                filled += 1;
            }
            ring[next] = (id, pos, head, len);
            next = (next + 1) % AHEAD;
        }
        // The ring's oldest entry is `filled` places behind `next`.
        for k in 0..filled {
            let (id, pos, head, len) = ring[(next + AHEAD - filled + k) % AHEAD];
            found(self.probe(pos, head, len, id));
        }
    }

    /// The longest run of consecutive filled slots: what the slowest lookup may probe.
    #[cfg(test)]
    fn longest_run(&self) -> usize {
        let (mut longest, mut run) = (0, 0);
        // Twice round, for a run that wraps past the end.
        for slot in self.slots.iter().chain(&self.slots) {
            run = if slot.index == 0 { 0 } else { run + 1 };
            longest = longest.max(run);
        }
        longest.min(self.slots.len())
    }

    /// Probes from slot `pos` for `id`, whose head and length are given.
    fn probe(&self, mut pos: usize, head: u64, len: u32, id: &[u8]) -> Option<usize> {
        loop {
            let slot = self.slots[pos];
            if slot.index == 0 {
                return None;
            }
            if self.matches(slot, head, len, id) {
                return Some(slot.index as usize - 1);
            }
            pos = (pos + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_index_finds_every_id_and_nothing_else() {
        let ids = [
            "tp-1",
            "tp-12345",       // exactly 8 bytes: held whole in the slot
            "tp-123456789",   // longer: the rest is compared in the arena
            "tp-123456780",   // same first 8 bytes and length as the one above
            "",               // not a valid id, but scoring must cope
            "é-ünïcode-long", // non-ASCII
        ];
        let index = IdIndex::new(ids.iter().copied());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), Some(i), "{id:?}");
        }
        for missing in ["tp-2", "tp-1234567", "tp-1234567890", "tp-12345678", "TP-1"] {
            assert_eq!(index.get(missing), None, "{missing:?}");
        }
    }

    /// `get_each` answers in order, like `get` one by one, however many ids it is given
    /// against the length of its look-ahead ring.
    #[test]
    fn id_index_get_each_answers_like_get_in_order() {
        let ids: Vec<String> = (0..100).map(|i| format!("card-{i}")).collect();
        let index = IdIndex::new(ids.iter().map(String::as_str));
        for count in [0, 1, AHEAD - 1, AHEAD, AHEAD + 1, 3 * AHEAD + 5] {
            // Found ids, missing ids and repeats, in a scrambled order.
            let asked: Vec<String> = (0..count)
                .map(|k| format!("card-{}", (k * 37) % 130))
                .collect();
            let mut answers = Vec::new();
            index.get_each(asked.iter().map(String::as_str), |a| answers.push(a));
            let expected: Vec<Option<usize>> = asked.iter().map(|id| index.get(id)).collect();
            assert_eq!(answers, expected, "{count} ids");
            assert!(expected.iter().any(Option::is_none) || count < 4);
        }
    }

    /// A file can hold ids chosen so that a hash with fixed keys (`FxHash`) puts them all in
    /// one slot: 820 such ids would fill a run of 820 slots, and every lookup would walk
    /// it (at 100,000 ids, minutes). The table's hash is seeded per process, so the same
    /// ids spread like any others (at 40% full, runs of 10 to 20 slots; 128 or more has
    /// odds far below one in a billion).
    #[test]
    fn id_index_spreads_ids_crafted_to_collide_under_a_fixed_hash() {
        use std::hash::BuildHasher;
        let mut ids = Vec::new();
        let mut k = 0u64;
        while ids.len() < 820 {
            let id = format!("tp-{k}");
            if rustc_hash::FxBuildHasher.hash_one(id.as_bytes()) & 2047 == 0 {
                ids.push(id);
            }
            k += 1;
        }
        let index = IdIndex::new(ids.iter().map(String::as_str));
        assert_eq!(index.slots.len(), 2048);
        let run = index.longest_run();
        assert!(run < 128, "a run of {run} filled slots");
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), Some(i));
        }
    }

    #[test]
    fn id_index_answers_the_first_card_of_a_repeated_id() {
        let ids = ["a", "b", "a", "long-repeated-id", "long-repeated-id"];
        let index = IdIndex::new(ids.iter().copied());
        assert_eq!(index.get("a"), Some(0));
        assert_eq!(index.get("b"), Some(1));
        assert_eq!(index.get("long-repeated-id"), Some(3));
    }

    #[test]
    fn id_index_survives_a_full_neighbourhood() {
        // Many ids in a small table: probing wraps around and still finds each one.
        let ids: Vec<String> = (0..1000).map(|i| format!("x{i}")).collect();
        let index = IdIndex::new(ids.iter().map(String::as_str));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), Some(i));
        }
        assert_eq!(index.get("x1000"), None);
    }
}
