//! The layout: every card in its cell without overlap, slot order, column and row sizes,
//! hit testing, and updates equal to a layout computed afresh.

use super::*;
use crate::model::Touchpoint;

fn doc_with(cards_per_cell: &[(usize, usize, usize)]) -> Document {
    let mut doc = Document::new_canvas();
    let mut n = 0;
    for &(s, l, count) in cards_per_cell {
        for k in 0..count {
            n += 1;
            let mut tp = Touchpoint::new(
                TouchpointId::new(format!("tp-{n}")),
                format!("Card {n}"),
                doc.stages[s].id.clone(),
                doc.lanes[l].id.clone(),
            );
            // Reverse document order inside the cell, to check the sort.
            tp.position = CellPos {
                x: 0.5,
                y: 1.0 - k as f32 / 10.0,
            };
            doc.touchpoints.push(tp);
        }
    }
    doc
}

#[test]
fn every_card_in_its_cell_without_overlap() {
    let doc = doc_with(&[(0, 0, 1), (0, 1, 5), (1, 1, 2), (3, 3, 9), (2, 0, 3)]);
    let layout = Layout::compute(&doc);
    assert_eq!(layout.card_count(), doc.touchpoints.len());
    let rects: Vec<Rect> = doc
        .touchpoints
        .iter()
        .map(|tp| {
            let r = layout.card_rect(&tp.id).expect("laid out");
            let cell = layout.cell_rect(&tp.stage, &tp.lane).expect("cell");
            assert!(
                cell.contains(r.min) && cell.contains(r.max),
                "{} at {r:?} outside its cell {cell:?}",
                tp.id
            );
            r
        })
        .collect();
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            assert!(!a.intersects(*b), "{a:?} overlaps {b:?}");
        }
    }
    // Cells, headers and bounds tile without gaps.
    let b = layout.bounds();
    assert_eq!(b.min, Point::new(0.0, 0.0));
    let last_stage = &doc.stages[3].id;
    let last_lane = &doc.lanes[3].id;
    assert_eq!(
        layout.cell_rect(last_stage, last_lane).map(|r| r.max),
        Some(b.max)
    );
}

#[test]
fn cards_are_ordered_by_position_then_id() {
    let doc = doc_with(&[(0, 0, 3)]);
    let layout = Layout::compute(&doc);
    // tp-3 has the smallest y, so it takes the first slot (top-left).
    let first = layout
        .card_rect(&TouchpointId::from("tp-3"))
        .expect("laid out");
    let last = layout
        .card_rect(&TouchpointId::from("tp-1"))
        .expect("laid out");
    assert!(first.min.y < last.min.y || first.min.x < last.min.x);
    let cell = layout
        .cell_rect(&doc.stages[0].id, &doc.lanes[0].id)
        .expect("cell");
    assert_eq!(
        first.min,
        Point::new(cell.min.x + CELL_PAD, cell.min.y + CELL_PAD)
    );
}

#[test]
fn busiest_cell_sizes_its_stage_and_lane() {
    let doc = doc_with(&[(1, 2, 9)]);
    let layout = Layout::compute(&doc);
    let wide = layout.stage_header(&doc.stages[1].id).expect("stage");
    let narrow = layout.stage_header(&doc.stages[0].id).expect("stage");
    assert!((wide.width() - grid_extent(3, CARD_W)).abs() < 1e-3);
    assert!((narrow.width() - grid_extent(1, CARD_W)).abs() < 1e-3);
    let tall = layout.lane_header(&doc.lanes[2].id).expect("lane");
    assert!((tall.height() - grid_extent(3, CARD_H)).abs() < 1e-3);
}

#[test]
fn hit_finds_cards_handles_headers_and_cells() {
    let doc = doc_with(&[(1, 1, 2)]);
    let layout = Layout::compute(&doc);
    let id = TouchpointId::from("tp-1");
    let r = layout.card_rect(&id).expect("laid out");
    assert_eq!(layout.hit(r.center()), Hit::Card(id.clone()));
    assert_eq!(
        layout.hit(Point::new(r.max.x + 2.0, r.center().y)),
        Hit::CardHandle(id.clone())
    );
    let sh = layout.stage_header(&doc.stages[2].id).expect("stage");
    assert_eq!(
        layout.hit(sh.center()),
        Hit::StageHeader(doc.stages[2].id.clone())
    );
    let lh = layout.lane_header(&doc.lanes[3].id).expect("lane");
    assert_eq!(
        layout.hit(lh.center()),
        Hit::LaneHeader(doc.lanes[3].id.clone())
    );
    let cell = layout
        .cell_rect(&doc.stages[0].id, &doc.lanes[2].id)
        .expect("cell");
    match layout.hit(Point::new(cell.max.x - 1.0, cell.min.y + 1.0)) {
        Hit::Cell { stage, lane, pos } => {
            assert_eq!(
                (stage, lane),
                (doc.stages[0].id.clone(), doc.lanes[2].id.clone())
            );
            assert!(pos.x > 0.9 && pos.y < 0.1, "{pos:?}");
        }
        other => panic!("expected a cell, got {other:?}"),
    }
    assert_eq!(layout.hit(Point::new(5.0, 5.0)), Hit::Empty, "the corner");
    assert_eq!(layout.hit(Point::new(-5.0, 100.0)), Hit::Empty);
    let b = layout.bounds();
    assert_eq!(
        layout.hit(Point::new(b.max.x + 1.0, b.center().y)),
        Hit::Empty
    );
    assert!(
        layout
            .cell_at(Point::new(b.max.x + 1.0, b.center().y))
            .is_none()
    );
}

#[test]
fn cards_in_keeps_document_order() {
    let doc = doc_with(&[(0, 0, 2), (1, 0, 1)]);
    let layout = Layout::compute(&doc);
    let all = layout.cards_in(layout.bounds());
    let ids: Vec<&str> = all.iter().map(TouchpointId::as_str).collect();
    assert_eq!(ids, ["tp-1", "tp-2", "tp-3"]);
    let one = layout
        .card_rect(&TouchpointId::from("tp-3"))
        .expect("laid out");
    assert_eq!(
        layout.cards_in(one.expand(-10.0)),
        vec![TouchpointId::from("tp-3")]
    );
}

#[test]
fn missing_stage_or_lane_is_left_out() {
    let mut doc = doc_with(&[(0, 0, 1)]);
    doc.touchpoints[0].stage = StageId::from("nowhere");
    let layout = Layout::compute(&doc);
    assert_eq!(layout.card_count(), 0);
    assert!(layout.card_rect(&TouchpointId::from("tp-1")).is_none());
    let empty = Layout::compute(&Document::default());
    assert_eq!(empty.hit(Point::new(10.0, 10.0)), Hit::Empty);
    assert!(empty.bounds().width() > 0.0);
}

/// Cards moved to other cells, to other places in their cell, and edited without
/// moving: the updated layout is the one computed afresh, and says which cards moved
/// and when the grid changed.
#[test]
fn an_updated_layout_is_the_computed_one() {
    let mut doc = crate::synth::canvas(&crate::synth::SynthSpec::new(400, 3));
    let mut layout = Layout::compute(&doc);
    let mut grid_changes = 0;
    for step in 0..300_usize {
        let before = layout.clone();
        let n = doc.touchpoints.len();
        let touched: Vec<usize> = (0..1 + step % 3)
            .map(|k| (step * 37 + k * 101) % n)
            .collect();
        for (k, &i) in touched.iter().enumerate() {
            let tp = &mut doc.touchpoints[i];
            match (step + k) % 4 {
                0 => tp.stage = doc.stages[(step / 3) % doc.stages.len()].id.clone(),
                1 => {
                    tp.position = CellPos {
                        x: 0.0,
                        y: (step % 7) as f32 / 7.0,
                    }
                }
                2 => tp.title = format!("Step {step}"),
                _ => {
                    tp.lane = doc.lanes[step % doc.lanes.len()].id.clone();
                    tp.position = CellPos { x: 1.0, y: 1.0 };
                }
            }
        }
        let change = layout.update(&doc, &touched).expect("cells exist");
        let fresh = Layout::compute(&doc);
        assert!(layout == fresh, "step {step}");
        let moved: Vec<usize> = (0..n)
            .filter(|&i| before.card_rect_at(i) != fresh.card_rect_at(i))
            .collect();
        assert_eq!(change.moved, moved, "step {step}");
        assert_eq!(
            change.grid,
            before.col_x != fresh.col_x || before.row_y != fresh.row_y
        );
        grid_changes += usize::from(change.grid);
    }
    assert!(grid_changes > 0 && grid_changes < 150, "{grid_changes}");
}

#[test]
fn a_layout_following_cards_added_and_removed_at_the_end_is_the_computed_one() {
    // Cells of one to nine cards, so adding and removing cards widens and narrows stages.
    let mut doc = doc_with(&[(0, 0, 3), (0, 1, 1), (1, 2, 4), (2, 0, 9), (3, 3, 2)]);
    let mut layout = Layout::compute(&doc);
    let (mut grid_changes, mut others_moved) = (0, 0);
    for step in 0..120_usize {
        let before = layout.clone();
        let n = doc.touchpoints.len();
        // Grow for a while, then shrink, by one to three cards at the end.
        let grow = (step / 20) % 2 == 0 || n < 4;
        let count = 1 + step % 3;
        let from = if grow {
            for k in 0..count {
                let (s, l) = ((step + k) % 4, (step * 3 + k) % doc.lanes.len());
                let mut tp = Touchpoint::new(
                    TouchpointId::new(format!("added-{step}-{k}")),
                    "Added",
                    doc.stages[s].id.clone(),
                    doc.lanes[l].id.clone(),
                );
                // Somewhere among the cell's cards, so that others move.
                tp.position = CellPos {
                    x: 0.5,
                    y: (step % 10) as f32 / 10.0,
                };
                doc.touchpoints.push(tp);
            }
            n
        } else {
            doc.touchpoints.truncate(n - count);
            n - count
        };
        let change = layout.follow_tail(&doc, from, &[]).expect("cells exist");
        let fresh = Layout::compute(&doc);
        assert!(layout == fresh, "step {step}");
        let moved: Vec<usize> = (0..from)
            .filter(|&i| before.card_rect_at(i) != fresh.card_rect_at(i))
            .collect();
        let reported: Vec<usize> = change.moved.iter().copied().filter(|&i| i < from).collect();
        assert_eq!(reported, moved, "step {step}");
        grid_changes += usize::from(change.grid);
        others_moved += usize::from(!moved.is_empty());
    }
    assert!(
        grid_changes > 0 && others_moved > 0,
        "{grid_changes} {others_moved}"
    );
}

#[test]
fn a_layout_following_cards_deleted_and_put_back_inside_the_list_is_the_computed_one() {
    use crate::edit::Edits;
    let mut doc = doc_with(&[(0, 0, 3), (0, 1, 1), (1, 2, 4), (2, 0, 9), (3, 3, 2)]);
    let mut layout = Layout::compute(&doc);
    let mut taken: Vec<(usize, Touchpoint)> = Vec::new();
    let (mut grid_changes, mut others_moved) = (0, 0);
    for step in 0..150_usize {
        let before = layout.clone();
        let n = doc.touchpoints.len();
        // Delete one or two cards from inside the list for a while, then put them back
        // where they were (as undo does), now and then with a card moved in place.
        let put_back = (step / 12) % 2 == 1 && !taken.is_empty() || n < 4;
        let edits = if put_back {
            let (at, tp) = taken.pop().expect("a card taken");
            doc.touchpoints.insert(at, tp);
            Edits {
                removed: vec![],
                inserted: vec![at],
            }
        } else {
            let mut removed = vec![(step * 7) % (n - 1)];
            if step % 3 == 0 {
                removed.push((removed[0] + 1 + step % 2) % (n - 1));
                removed.sort_unstable();
                removed.dedup();
            }
            // Taken from the back, so that popping puts the first one back first.
            for &at in removed.iter().rev() {
                taken.push((at, doc.touchpoints.remove(at)));
            }
            Edits {
                removed,
                inserted: vec![],
            }
        };
        let map = edits.map(n);
        let mut touched = Vec::new();
        if step % 5 == 0 {
            let i = (step * 11) % doc.touchpoints.len();
            if edits.inserted.binary_search(&i).is_err() {
                let stage = doc.stages[(step / 5) % 4].id.clone();
                doc.touchpoints[i].stage = stage;
                touched.push(i);
            }
        }
        let change = layout
            .follow_splice(&doc, &edits, &touched)
            .expect("the splice is followed");
        let fresh = Layout::compute(&doc);
        assert!(layout == fresh, "step {step}");
        // The cards a fresh layout has elsewhere than the layout before had them.
        let moved = fresh.changes_across(&before, &map).moved;
        assert_eq!(change.moved, moved, "step {step}");
        grid_changes += usize::from(change.grid);
        others_moved += usize::from(!moved.is_empty());
    }
    assert!(
        grid_changes > 0 && others_moved > 0,
        "{grid_changes} {others_moved}"
    );
    // A card put back whose id another card now has: only a fresh layout says which wins.
    let mut dup = doc.touchpoints[0].clone();
    dup.stage = doc.stages[3].id.clone();
    doc.touchpoints.insert(2, dup);
    let before = layout.clone();
    let edits = Edits {
        removed: vec![],
        inserted: vec![2],
    };
    assert!(layout.follow_splice(&doc, &edits, &[]).is_none());
    assert!(layout == before, "nothing changed");
}

#[test]
fn fifty_thousand_cards_lay_out() {
    let mut doc = Document::new_canvas();
    for i in 0..50_000 {
        let s = doc.stages[i % 4].id.clone();
        let l = doc.lanes[(i / 4) % 4].id.clone();
        doc.touchpoints.push(Touchpoint::new(
            TouchpointId::new(format!("tp-{i}")),
            "x",
            s,
            l,
        ));
    }
    let layout = Layout::compute(&doc);
    assert_eq!(layout.card_count(), 50_000);
    let r = layout
        .card_rect(&TouchpointId::from("tp-49999"))
        .expect("laid out");
    assert_eq!(
        layout.hit(r.center()),
        Hit::Card(TouchpointId::from("tp-49999"))
    );
}
