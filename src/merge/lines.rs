//! Line-by-line three-way merge of long texts (a card's notes, the persona's goal, a
//! theme's intents), as `diff3` does it.
//!
//! Each side is compared with the base line by line (a longest common subsequence). Lines
//! the base and both sides share unchanged are fixed points; between two fixed points, a
//! stretch changed on one side only takes that side's lines, a stretch changed the same
//! way on both sides is taken once, and a stretch changed differently on both is a
//! conflict. So two edits merge when at least one unchanged line separates them, as in
//! git; edits to the same or neighbouring lines do not.

/// Most cells of the comparison table for one pair of texts (after their common start
/// and end are set aside). Past it the texts are not merged line by line: the field is a
/// conflict, as if the edits overlapped. Real notes have tens of lines.
pub const MAX_TABLE_CELLS: usize = 4_000_000;

/// The merge of `ours` and `theirs`, both edited from `base`, or `None` when their edits
/// overlap (or the texts are too long to compare).
pub fn merge_lines(base: &str, ours: &str, theirs: &str) -> Option<String> {
    if ours == theirs || base == theirs {
        return Some(ours.to_owned());
    }
    if base == ours {
        return Some(theirs.to_owned());
    }
    // Split at every newline and joined back with newlines, which gives back each text
    // exactly; a last line without a newline is then the same line as with one, so
    // adding a line at the end does not touch the line before it.
    let o: Vec<&str> = base.split('\n').collect();
    let a: Vec<&str> = ours.split('\n').collect();
    let b: Vec<&str> = theirs.split('\n').collect();
    let in_a = matching(&o, &a)?;
    let in_b = matching(&o, &b)?;
    let mut out: Vec<&str> = Vec::with_capacity(a.len().max(b.len()));
    // The last fixed point passed, as (base, ours, theirs) line counts before it.
    let (mut po, mut pa, mut pb) = (0, 0, 0);
    let fixed = (0..o.len())
        .filter_map(|i| Some((i, in_a[i]?, in_b[i]?)))
        .chain(std::iter::once((o.len(), a.len(), b.len())));
    for (io, ia, ib) in fixed {
        let (chunk_o, chunk_a, chunk_b) = (&o[po..io], &a[pa..ia], &b[pb..ib]);
        let take = if chunk_a == chunk_o || chunk_a == chunk_b {
            chunk_b
        } else if chunk_b == chunk_o {
            chunk_a
        } else {
            return None;
        };
        out.extend(take.iter().copied());
        if io < o.len() {
            out.push(o[io]);
        }
        (po, pa, pb) = (io + 1, ia + 1, ib + 1);
    }
    Some(out.join("\n"))
}

/// For each line of `base`, the line of `side` it is matched with in a longest common
/// subsequence of lines, or `None` when it was changed or deleted. `None` overall when
/// the texts are too long to compare.
fn matching(base: &[&str], side: &[&str]) -> Option<Vec<Option<usize>>> {
    let mut out = vec![None; base.len()];
    let start = base.iter().zip(side).take_while(|(x, y)| x == y).count();
    for (i, slot) in out.iter_mut().enumerate().take(start) {
        *slot = Some(i);
    }
    let end = base[start..]
        .iter()
        .rev()
        .zip(side[start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (bo, so) = (base.len() - end, side.len() - end);
    for k in 0..end {
        out[bo + k] = Some(so + k);
    }
    let (x, y) = (&base[start..bo], &side[start..so]);
    if x.is_empty() || y.is_empty() {
        return Some(out);
    }
    let (n, m) = (x.len(), y.len());
    if (n + 1).checked_mul(m + 1)? > MAX_TABLE_CELLS {
        return None;
    }
    // lcs[i][j]: longest common subsequence of x[i..] and y[j..].
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if x[i] == y[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if x[i] == y[j] {
            out[start + i] = Some(start + j);
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "Greet by name\nOffer water\nAsk about the trip\nShow the room\n";

    #[test]
    fn edits_on_lines_apart_merge() {
        let ours = "Greet by name, smiling\nOffer water\nAsk about the trip\nShow the room\n";
        let theirs = "Greet by name\nOffer water\nAsk about the trip\nShow the room and the view\nWish a good stay";
        assert_eq!(
            merge_lines(BASE, ours, theirs).as_deref(),
            Some(
                "Greet by name, smiling\nOffer water\nAsk about the trip\nShow the room and the view\nWish a good stay"
            )
        );
    }

    #[test]
    fn additions_and_deletions_apart_merge() {
        let ours = "Offer water\nAsk about the trip\nShow the room\n";
        let theirs =
            "Greet by name\nOffer water\nAsk about the trip\nShow the room\nCarry the bags\n";
        assert_eq!(
            merge_lines(BASE, ours, theirs).as_deref(),
            Some("Offer water\nAsk about the trip\nShow the room\nCarry the bags\n")
        );
    }

    #[test]
    fn the_same_edit_on_both_sides_is_taken_once() {
        let both = "Greet by name\nOffer tea\nAsk about the trip\nShow the room\n";
        let theirs = "Greet by name\nOffer tea\nAsk about the trip\nShow the suite\n";
        assert_eq!(
            merge_lines(BASE, both, theirs).as_deref(),
            Some("Greet by name\nOffer tea\nAsk about the trip\nShow the suite\n")
        );
    }

    #[test]
    fn overlapping_or_touching_edits_do_not_merge() {
        let ours = "Greet by name\nOffer tea\nAsk about the trip\nShow the room\n";
        let theirs = "Greet by name\nOffer coffee\nAsk about the trip\nShow the room\n";
        assert_eq!(merge_lines(BASE, ours, theirs), None);
        // Neighbouring lines, no unchanged line between them.
        let theirs = "Greet by name\nOffer water\nAsk how the trip was\nShow the room\n";
        assert_eq!(merge_lines(BASE, ours, theirs), None);
    }

    #[test]
    fn texts_without_a_common_line_merge_only_when_one_side_kept_the_base() {
        assert_eq!(merge_lines("a", "b", "a").as_deref(), Some("b"));
        assert_eq!(merge_lines("a", "b", "c"), None);
        assert_eq!(merge_lines("", "x\n", "").as_deref(), Some("x\n"));
    }

    #[test]
    fn a_line_added_after_a_last_line_without_newline_merges() {
        assert_eq!(
            merge_lines("a\nb", "a\nb\nc", "x\nb").as_deref(),
            Some("x\nb\nc")
        );
    }
}
