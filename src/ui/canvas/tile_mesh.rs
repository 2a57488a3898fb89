//! How a flow tile keeps its triangles between frames: compactly (5 bytes a vertex, the
//! colour applied when copied), or as the egui mesh it was built as when that does not fit.

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Vec2, pos2};

/// One flow's pieces within a tile: a run of its mesh's vertices and indices.
pub(super) struct Piece {
    /// The flow it is part of: its place in `FlowTiles::flows_of`.
    pub(super) flow: u32,
    pub(super) bounds: egui::Rect,
    pub(super) vertices: std::ops::Range<u32>,
    pub(super) indices: std::ops::Range<u32>,
}

/// A tile's triangles, stored compactly: a tile lives for many frames, and on a dense
/// canvas kept tiles as egui vertices (20 bytes: position, uv, colour) are most of the
/// editor's memory. Here a vertex takes 5 bytes: its position relative to the tile in steps of
/// [`STEP`] points as two `i16`, and its cover, the share of its flow's colour it shows
/// (255 on the line, 0 at the edge of its anti-aliasing fringe). The colour is the flow's,
/// applied when the tile is copied to the screen, so a flow that only changes colour (a
/// theme highlighted fades the others) keeps its tiles. The uv, the same for every vertex
/// of a flow (the font texture's white texel), is kept once. Positions are rounded to 1/32
/// of a point, a sixteenth of a pixel even on a 2× screen. A tile whose triangles do not
/// fit (a vertex beyond the `i16` range, a piece of more than 65,536 vertices, uvs that
/// differ, a colour that is not a share of its flow's) keeps the egui mesh as it is.
pub(super) enum TileMesh {
    Compact {
        uv: Pos2,
        pos: Vec<[i16; 2]>,
        cover: Vec<u8>,
        /// Each piece's indices, counted from the piece's first vertex.
        indices: Vec<u16>,
    },
    Full(Mesh),
}

/// `color` showing `cover` / 255 of itself (premultiplied, so every channel scales).
fn covered(color: Color32, cover: u8) -> Color32 {
    match cover {
        255 => color,
        0 => Color32::TRANSPARENT,
        c => {
            let [r, g, b, a] = color.to_array();
            let f = |x: u8| ((u16::from(x) * u16::from(c) + 127) / 255) as u8;
            Color32::from_rgba_premultiplied(f(r), f(g), f(b), f(a))
        }
    }
}

/// The cover that makes `base` look like `drawn`, if `drawn` is a share of `base` (within
/// rounding, per channel).
fn cover_of(drawn: Color32, base: Color32) -> Option<u8> {
    if drawn == Color32::TRANSPARENT {
        return Some(0);
    }
    if base.a() == 0 {
        return None;
    }
    let c = ((u32::from(drawn.a()) * 255 + u32::from(base.a()) / 2) / u32::from(base.a())).min(255);
    let c = c as u8;
    let again = covered(base, c).to_array();
    let close = drawn
        .to_array()
        .iter()
        .zip(again)
        .all(|(&x, y)| x.abs_diff(y) <= 2);
    close.then_some(c)
}

/// Position step of a compact tile vertex, in points.
const STEP: f32 = 1.0 / 32.0;

impl TileMesh {
    /// `colors` holds each piece's flow colour (see [`FlowKey::color`]).
    pub(super) fn new(mesh: Mesh, pieces: &[Piece], colors: &[Color32], origin: Pos2) -> Self {
        let uv = mesh.vertices.first().map_or(Pos2::ZERO, |v| v.uv);
        let to_step = |v: f32| {
            let s = (v / STEP).round();
            // In range, so the cast is exact.
            (f32::from(i16::MIN)..=f32::from(i16::MAX))
                .contains(&s)
                .then_some(s as i16)
        };
        let mut pos = Vec::with_capacity(mesh.vertices.len());
        for v in &mesh.vertices {
            let p = v.pos - origin;
            match (to_step(p.x), to_step(p.y)) {
                (Some(x), Some(y)) if v.uv == uv => pos.push([x, y]),
                _ => return TileMesh::Full(mesh),
            }
        }
        let mut indices = Vec::with_capacity(mesh.indices.len());
        for p in pieces {
            let first = p.vertices.start;
            for &k in &mesh.indices[p.indices.start as usize..p.indices.end as usize] {
                match k.checked_sub(first).and_then(|k| u16::try_from(k).ok()) {
                    Some(k) => indices.push(k),
                    None => return TileMesh::Full(mesh),
                }
            }
        }
        let mut cover = Vec::with_capacity(mesh.vertices.len());
        for (p, &base) in pieces.iter().zip(colors) {
            for v in &mesh.vertices[p.vertices.start as usize..p.vertices.end as usize] {
                match cover_of(v.color, base) {
                    Some(c) => cover.push(c),
                    None => return TileMesh::Full(mesh),
                }
            }
        }
        if cover.len() != pos.len() {
            return TileMesh::Full(mesh);
        }
        TileMesh::Compact {
            uv,
            pos,
            cover,
            indices,
        }
    }

    /// This tile's pieces that `keep` accepts (`pieces`, in flow order) merged in flow
    /// order with the pieces of `fresh` (`fresh_pieces`, in flow order, flows of their
    /// own): the tile a fresh build makes when only those flows changed. `None` unless
    /// both are compact alike (a full mesh is built again instead).
    pub(super) fn merge(
        &self,
        pieces: &[Piece],
        keep: impl Fn(&Piece) -> bool,
        fresh: &TileMesh,
        fresh_pieces: &[Piece],
    ) -> Option<(TileMesh, Vec<Piece>)> {
        let (
            TileMesh::Compact {
                uv,
                pos,
                cover,
                indices,
            },
            TileMesh::Compact {
                uv: fresh_uv,
                pos: fresh_pos,
                cover: fresh_cover,
                indices: fresh_indices,
            },
        ) = (self, fresh)
        else {
            return None;
        };
        if uv != fresh_uv && !fresh_pieces.is_empty() {
            return None;
        }
        let kept = pieces.iter().filter(|p| keep(p)).map(|p| (p, false));
        let added = fresh_pieces.iter().map(|p| (p, true));
        let mut all: Vec<(&Piece, bool)> = kept.chain(added).collect();
        // Stable: pieces of one flow stay in the order they were made.
        all.sort_by_key(|(p, _)| p.flow);
        let mut out_pos = Vec::with_capacity(pos.len() + fresh_pos.len());
        let mut out_cover = Vec::with_capacity(out_pos.capacity());
        let mut out_indices = Vec::with_capacity(indices.len() + fresh_indices.len());
        let mut out_pieces = Vec::with_capacity(all.len());
        for (p, is_fresh) in all {
            let (pos, cover, indices) = if is_fresh {
                (fresh_pos, fresh_cover, fresh_indices)
            } else {
                (pos, cover, indices)
            };
            let v = p.vertices.start as usize..p.vertices.end as usize;
            let i = p.indices.start as usize..p.indices.end as usize;
            let (v0, i0) = (to_u32(out_pos.len()), to_u32(out_indices.len()));
            out_pos.extend_from_slice(&pos[v.clone()]);
            out_cover.extend_from_slice(&cover[v]);
            out_indices.extend_from_slice(&indices[i]);
            out_pieces.push(Piece {
                flow: p.flow,
                bounds: p.bounds,
                vertices: v0..to_u32(out_pos.len()),
                indices: i0..to_u32(out_indices.len()),
            });
        }
        let mesh = TileMesh::Compact {
            uv: *uv,
            pos: out_pos,
            cover: out_cover,
            indices: out_indices,
        };
        Some((mesh, out_pieces))
    }

    /// Appends one piece's triangles, with the tile's `origin` placed at `origin + shift`,
    /// in `color` (its flow's colour now; a full mesh keeps the colours it was built in).
    pub(super) fn append_piece(
        &self,
        out: &mut Mesh,
        piece: &Piece,
        origin: Pos2,
        shift: Vec2,
        color: Color32,
    ) {
        let base = to_u32(out.vertices.len());
        let first = piece.vertices.start;
        let v = piece.vertices.start as usize..piece.vertices.end as usize;
        let i = piece.indices.start as usize..piece.indices.end as usize;
        match self {
            TileMesh::Compact {
                uv,
                pos,
                cover,
                indices,
            } => {
                let o = origin + shift;
                out.vertices
                    .extend(pos[v.clone()].iter().zip(&cover[v]).map(|(&[x, y], &c)| {
                        egui::epaint::Vertex {
                            pos: pos2(o.x + f32::from(x) * STEP, o.y + f32::from(y) * STEP),
                            uv: *uv,
                            color: covered(color, c),
                        }
                    }));
                out.indices
                    .extend(indices[i].iter().map(|&k| u32::from(k) + base));
            }
            TileMesh::Full(part) => {
                out.vertices.extend(part.vertices[v].iter().map(|x| {
                    let mut x = *x;
                    x.pos += shift;
                    x
                }));
                out.indices
                    .extend(part.indices[i].iter().map(|&k| k - first + base));
            }
        }
    }
}

pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Rect, vec2};

    /// A mesh of two pieces (a quad, then a triangle) around `origin`, and its pieces.
    fn two_pieces(origin: Pos2, far: f32) -> (Mesh, Vec<Piece>) {
        let mut m = Mesh::default();
        let o = origin.to_vec2();
        m.add_colored_rect(
            Rect::from_min_max(pos2(-10.3, 5.01), pos2(300.77, 6.5)).translate(o),
            Color32::RED,
        );
        let base = to_u32(m.vertices.len());
        // Full colour, a fringe vertex (transparent) and one at a third of the colour.
        let third = covered(Color32::BLUE, 85);
        for (p, c) in [
            (pos2(0.0, 0.0), Color32::BLUE),
            (pos2(far, 1.0), Color32::TRANSPARENT),
            (pos2(2.0, 200.0), third),
        ] {
            m.colored_vertex(p + o, c);
        }
        m.add_triangle(base, base + 1, base + 2);
        let pieces = vec![
            Piece {
                flow: 0,
                bounds: Rect::EVERYTHING,
                vertices: 0..4,
                indices: 0..6,
            },
            Piece {
                flow: 1,
                bounds: Rect::EVERYTHING,
                vertices: 4..7,
                indices: 6..9,
            },
        ];
        (m, pieces)
    }

    const COLORS: [Color32; 2] = [Color32::RED, Color32::BLUE];

    #[test]
    fn compact_tiles_give_back_the_triangles_they_were_given() {
        let origin = pos2(512.0, -256.0);
        let (mesh, pieces) = two_pieces(origin, 40.0);
        let tile = TileMesh::new(mesh.clone(), &pieces, &COLORS, origin);
        assert!(matches!(tile, TileMesh::Compact { .. }));
        let shift = vec2(-100.0, 37.5);
        let mut out = Mesh::default();
        // Something already in the output: indices must count from after it.
        out.colored_vertex(Pos2::ZERO, Color32::WHITE);
        for p in &pieces {
            tile.append_piece(&mut out, p, origin, shift, COLORS[p.flow as usize]);
        }
        assert_eq!(out.vertices.len(), 1 + mesh.vertices.len());
        for (got, want) in out.vertices[1..].iter().zip(&mesh.vertices) {
            assert!(
                (got.pos - (want.pos + shift)).length() <= STEP,
                "{got:?} vs {want:?}"
            );
            assert_eq!((got.uv, got.color), (want.uv, want.color));
        }
        let want: Vec<u32> = mesh.indices.iter().map(|k| k + 1).collect();
        assert_eq!(out.indices, want);
        // The same tile in other colours: each vertex shows the same share of the new one.
        out.clear();
        let faded = Color32::from_rgba_unmultiplied(0, 128, 0, 60);
        tile.append_piece(&mut out, &pieces[1], origin, shift, faded);
        let colors: Vec<Color32> = out.vertices.iter().map(|v| v.color).collect();
        assert_eq!(
            colors,
            vec![faded, Color32::TRANSPARENT, covered(faded, 85)]
        );
    }

    #[test]
    fn a_colour_that_is_no_share_of_its_flows_keeps_the_full_mesh() {
        let (mut mesh, pieces) = two_pieces(Pos2::ZERO, 40.0);
        mesh.vertices[5].color = Color32::GREEN;
        let tile = TileMesh::new(mesh.clone(), &pieces, &COLORS, Pos2::ZERO);
        assert!(matches!(tile, TileMesh::Full(_)));
        let mut out = Mesh::default();
        // A full mesh keeps its own colours, whatever colour is asked for.
        tile.append_piece(&mut out, &pieces[1], Pos2::ZERO, Vec2::ZERO, Color32::RED);
        assert_eq!(out.vertices[1].color, Color32::GREEN);
    }

    #[test]
    fn covers_round_trip_within_a_step() {
        let bases = [
            Color32::RED,
            Color32::from_rgba_unmultiplied(90, 90, 100, 255),
            Color32::from_rgba_unmultiplied(90, 90, 100, 64),
        ];
        for base in bases {
            for c in 0..=255u8 {
                let drawn = covered(base, c);
                let back = cover_of(drawn, base).expect("a share");
                let again = covered(base, back).to_array();
                let near = drawn
                    .to_array()
                    .iter()
                    .zip(again)
                    .all(|(&x, y)| x.abs_diff(y) <= 1);
                assert!(near, "{base:?} {c}");
            }
        }
        assert_eq!(cover_of(Color32::GREEN, Color32::RED), None);
    }

    #[test]
    fn a_tile_out_of_compact_range_keeps_its_mesh_exactly() {
        let origin = pos2(0.0, 0.0);
        // 2,000 points from the tile: beyond what an i16 of 1/32 points holds.
        let (mesh, pieces) = two_pieces(origin, 2_000.0);
        let tile = TileMesh::new(mesh.clone(), &pieces, &COLORS, origin);
        assert!(matches!(tile, TileMesh::Full(_)));
        let mut out = Mesh::default();
        tile.append_piece(&mut out, &pieces[1], origin, vec2(1.0, 2.0), COLORS[1]);
        assert_eq!(out.vertices[1].pos, pos2(2_001.0, 3.0));
        assert_eq!(out.indices, vec![0, 1, 2]);
    }
}
