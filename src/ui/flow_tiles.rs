//! Flow arrows at working zoom, tessellated once per screen tile and reused while the view
//! pans.
//!
//! Flows are the bulk of a frame on a big canvas: thousands of curves and dashes cross the
//! viewport, and egui would flatten and feather every one of them again each frame. They
//! change only with the scene and the zoom, so the plane (in `canvas point × zoom`
//! coordinates, the view offset left out) is cut into square tiles of [`TILE`] points;
//! each tile is tessellated once into a mesh of the flow pieces that *start* in it (see
//! [`Keep::StartingIn`]: no piece is drawn twice where tiles meet), and a frame only copies
//! the meshes of the tiles it sees, shifted by the pan offset, into one shape. A pan step
//! tessellates just the tiles that come into view; tiles far from the view are dropped so
//! memory stays bounded. A new zoom or scene starts over.

use super::canvas::View;
use super::overview::{Keep, WHOLE_CURVE_MAX};
use crate::scene::index::SceneIndex;
use crate::scene::{self, Item, Scene};
use egui::epaint::{Mesh, Shape, Tessellator};
use egui::{Color32, Pos2, Rect, Vec2, pos2};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Side of a tile in screen points. Small enough that a pan step has few new tiles to
/// build, large enough that per-tile overhead (an index query, a mesh) stays small. At
/// least [`WHOLE_CURVE_MAX`], so every piece lies within one tile of its owner.
pub const TILE: f32 = 256.0;

/// Tiles kept beyond the built ones (the visible ones and a ring), in tiles on each side.
/// A tile of a dense canvas holds about a megabyte of triangles: at 100,000 cards, after
/// 100 pan steps, the editor held 479 MB keeping four rings and 446 MB keeping one (with
/// tile buffers shrunk; `cargo run --release --example ui_memory`).
const KEEP_AROUND: i32 = 1;

/// How the flows of one frame are drawn by [`FlowTiles::paint`]: the pieces of each flow
/// that belong to a rectangle (screen points, view offset at zero).
pub type FlowPieces<'a> = dyn Fn(&View, Keep, &Item, &mut Vec<Shape>) + Sync + 'a;

#[derive(Default)]
pub struct FlowTiles {
    /// The zoom the tiles were built at; `None` when there are none (or the scene changed).
    zoom: Option<f32>,
    /// The flows the tiles hold, in scene order (see `FlowTiles::scene_changed`); made
    /// when the first tile is built, dropped with the last (10 MB at 100,000 cards, not
    /// needed while the canvas is zoomed out and drawn without tiles).
    flows_of: Option<Vec<FlowKey>>,
    tiles: FxHashMap<(i32, i32), Tile>,
    /// The visible tiles moved to the screen, shared with the frame's shapes. The frame
    /// drops its reference after tessellation, so it is refilled in place.
    out: Arc<Mesh>,
    /// Reused buffers of tile builds, one per thread.
    buffers: [Buffers; 2],
    /// Tiles built since the last `take_built` (for tests).
    built: usize,
    /// The shift and tile range `out` was filled with; `None` once a tile is built or the
    /// tiles are dropped. A frame with the same key reuses `out` as is.
    filled: Option<(Vec2, [i32; 4])>,
}

/// Buffers of a tile build, reused by the next.
#[derive(Default)]
struct Buffers {
    items: Vec<u32>,
    shapes: Vec<Shape>,
}

/// The flow pieces starting in one tile, in one mesh, with the vertex and index range
/// and the reach of each piece: a tile the view covers is copied whole, a tile at the edge
/// of the view (or next to it, for pieces reaching over) only piece by piece (copying
/// whole edge tiles doubled the triangles of a frame on a dense canvas).
struct Tile {
    rect: Rect,
    mesh: TileMesh,
    pieces: Vec<Piece>,
}

/// A tile's triangles, stored compactly: a tile lives for many frames, and at 100,000
/// cards the kept tiles held about 1 MB each as egui vertices (20 bytes: position, uv,
/// colour). Here a vertex takes 5 bytes: its position relative to the tile in steps of
/// [`STEP`] points as two `i16`, and its cover, the share of its flow's colour it shows
/// (255 on the line, 0 at the edge of its anti-aliasing fringe). The colour is the flow's,
/// applied when the tile is copied to the screen, so a flow that only changes colour (a
/// theme highlighted fades the others) keeps its tiles. The uv, the same for every vertex
/// of a flow (the font texture's white texel), is kept once. Positions are rounded to 1/32
/// of a point, a sixteenth of a pixel even on a 2× screen. A tile whose triangles do not
/// fit (a vertex beyond the `i16` range, a piece of more than 65,536 vertices, uvs that
/// differ, a colour that is not a share of its flow's) keeps the egui mesh as it is.
enum TileMesh {
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
    fn new(mesh: Mesh, pieces: &[Piece], colors: &[Color32], origin: Pos2) -> Self {
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

    /// Appends one piece's triangles, with the tile's `origin` placed at `origin + shift`,
    /// in `color` (its flow's colour now; a full mesh keeps the colours it was built in).
    fn append_piece(
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

/// What tells whether a flow changed, and where it is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
struct FlowKey {
    /// A hash of the flow's geometry, width and dashes (not its colour).
    shape: u64,
    /// Its colour as drawn on screen.
    color: Color32,
    /// Its index in the scene.
    item: u32,
    /// The curve's control points, in canvas points.
    points: [scene::Point; 4],
    /// How far its stroke and arrow head reach from the curve, in canvas points.
    reach: f32,
}

impl FlowKey {
    /// The key of the flow at `index` in the scene (`None` for any other item). The shape
    /// hashes what the tiles hold of it: its geometry, width and dashes. Each step of
    /// FxHash's mixing is a bijection of the running value, so flows that differ in any one
    /// of these numbers never share a shape.
    fn of(index: usize, item: &Item) -> Option<Self> {
        use std::hash::Hasher;
        let Item::Curve {
            from,
            ctrl1,
            ctrl2,
            to,
            width,
            color,
            arrow_head: true,
            dashed,
            ..
        } = item
        else {
            return None;
        };
        let points = [*from, *ctrl1, *ctrl2, *to];
        let mut h = rustc_hash::FxHasher::default();
        for p in points {
            h.write_u64(u64::from(p.x.to_bits()) << 32 | u64::from(p.y.to_bits()));
        }
        h.write_u32(width.to_bits());
        h.write_u8(u8::from(*dashed));
        Some(Self {
            shape: h.finish(),
            color: super::canvas::c32(*color),
            item: u32::try_from(index).unwrap_or(u32::MAX),
            points,
            reach: width / 2.0 + scene::arrow_size(*width) + 1.0,
        })
    }

    /// Whether the flow, drawn at `zoom`, may put a piece into `tile` (a rectangle of the
    /// plane the tiles cut): the curve's control hull is split until its halves clear the
    /// tile or a piece of 1/256 of the curve meets it. A long flow's bounds meet most tiles
    /// on screen; the curve itself crosses only a few.
    fn meets(&self, tile: Rect, zoom: f32) -> bool {
        fn walk(p: [Pos2; 4], r: Rect, depth: u32) -> bool {
            let hull = Rect::from_points(&p);
            if !hull.intersects(r) {
                return false;
            }
            if depth == 0 || r.contains_rect(hull) {
                return true;
            }
            let (a, b) = super::overview::split_cubic(p);
            walk(a, r, depth - 1) || walk(b, r, depth - 1)
        }
        let p = self.points.map(|q| pos2(q.x * zoom, q.y * zoom));
        walk(p, tile.expand(self.reach * zoom), 8)
    }
}

struct Piece {
    /// The flow it is part of: its place in `FlowTiles::flows_of`.
    flow: u32,
    bounds: Rect,
    vertices: std::ops::Range<u32>,
    indices: std::ops::Range<u32>,
}

impl FlowTiles {
    /// Drops every tile: the scene changed.
    pub fn invalidate(&mut self) {
        self.zoom = None;
        self.tiles.clear();
        self.filled = None;
        self.flows_of = None;
    }

    /// The scene was rebuilt: drops the tiles that show a flow that changed. Most edits (a
    /// title, notes, an emotion, a cue) leave every flow where it was, and a moved card
    /// moves the flows of its cell and little else; at 100,000 cards rebuilding all the
    /// tiles on screen took 100 ms. Flows are compared one by one, in scene order; when
    /// their number changed (a flow or a card with flows added or deleted) or very many
    /// changed (a theme highlighted, every flow faded), all tiles go.
    pub fn scene_changed(&mut self, scene: &Scene) {
        let (Some(zoom), Some(old)) = (self.zoom, self.flows_of.take()) else {
            // No tiles to keep.
            self.invalidate();
            return;
        };
        let now = flow_keys(scene);
        let changed = changed_flows(&old, &now);
        self.flows_of = Some(now);
        let Some(Changes { moved, recolored }) = changed else {
            self.invalidate();
            return;
        };
        if moved.is_empty() && recolored.is_empty() {
            return;
        }
        // A tile holds the pieces that start in it: where the flow was, or is now, passes
        // through every tile with a piece of it. Compact tiles take their flows' colours
        // when copied; a full mesh has them built in.
        let many = recolored.len() > MAX_CHANGED_FLOWS;
        self.tiles.retain(|_, t| {
            !moved.iter().any(|f| f.meets(t.rect, zoom))
                && !(matches!(t.mesh, TileMesh::Full(_))
                    && (many || recolored.iter().any(|f| f.meets(t.rect, zoom))))
        });
        self.filled = None;
    }

    /// Whether tiles exist for this zoom (so drawing from them costs no rebuild).
    pub fn ready_for(&self, zoom: f32) -> bool {
        self.zoom == Some(zoom)
    }

    /// Number of tiles built since the last call.
    pub fn take_built(&mut self) -> usize {
        std::mem::take(&mut self.built)
    }

    /// Adds the flows that `area` shows through `view` to `painter`, as one mesh.
    pub fn paint(
        &mut self,
        painter: &egui::Painter,
        view: &View,
        area: Rect,
        index: &SceneIndex,
        scene: &Scene,
        pieces: &FlowPieces<'_>,
    ) {
        if self.zoom != Some(view.zoom) {
            self.invalidate();
            self.zoom = Some(view.zoom);
        }
        let shift = area.min.to_vec2() + view.offset;
        // The visible part of the plane, and the tiles it meets plus one ring: pieces
        // owned by a ring tile may overhang into view.
        let seen = area.translate(-shift);
        let (c0, r0) = tile_of(seen.min);
        let (c1, r1) = tile_of(seen.max);
        let (c0, r0, c1, r1) = (c0 - 1, r0 - 1, c1 + 1, r1 + 1);
        let base = View {
            offset: Vec2::ZERO,
            zoom: view.zoom,
        };
        let missing: Vec<(i32, i32)> = (r0..=r1)
            .flat_map(|r| (c0..=c1).map(move |c| (c, r)))
            .filter(|cr| !self.tiles.contains_key(cr))
            .collect();
        if !missing.is_empty() {
            if self.flows_of.is_none() {
                self.flows_of = Some(flow_keys(scene));
            }
            // Read here: the helper must not wait on the context's lock.
            let ctx = painter.ctx();
            let (options, ppp) = (ctx.tessellation_options(|o| *o), ctx.pixels_per_point());
            let tessellator = || {
                let mut t = Tessellator::new(ppp, options, [1, 1], vec![]);
                // Pieces are chosen by tile, not clipped: nothing to cull here.
                t.set_clip_rect(Rect::EVERYTHING);
                t
            };
            let keys = self.flows_of.as_deref().unwrap_or_default();
            let [mine, theirs] = &mut self.buffers;
            let build_all = |cells: &[(i32, i32)], buffers: &mut Buffers| {
                let mut tess = tessellator();
                cells
                    .iter()
                    .map(|&cr| {
                        (
                            cr,
                            build(&base, cr, index, scene, keys, &mut tess, pieces, buffers),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            // A tile takes milliseconds on a big canvas (a card moved at 100,000 cards
            // rebuilt 45 of them, 195 ms): two threads build them when there are several.
            let built = if missing.len() >= 2 && crate::two_cores() {
                let (a, b) = missing.split_at(missing.len() / 2);
                std::thread::scope(|s| {
                    let helper = std::thread::Builder::new()
                        .name("tiles".to_owned())
                        .spawn_scoped(s, || build_all(b, theirs));
                    let mut built = build_all(a, mine);
                    match helper {
                        Ok(h) => built.extend(
                            h.join()
                                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                        ),
                        // No thread to be had: this one builds the rest.
                        Err(_) => built.extend(build_all(b, mine)),
                    }
                    built
                })
            } else {
                build_all(&missing, mine)
            };
            self.built += built.len();
            self.tiles.extend(built);
            self.filled = None;
        }
        let key = (shift, [c0, r0, c1, r1]);
        if self.filled == Some(key) {
            add_own_primitive(painter, &self.out);
            return;
        }
        self.filled = Some(key);
        let out = Arc::make_mut(&mut self.out);
        out.clear();
        let keys = self.flows_of.as_deref().unwrap_or_default();
        for r in r0..=r1 {
            for c in c0..=c1 {
                let Some(t) = self.tiles.get(&(c, r)) else {
                    continue;
                };
                let whole = seen.contains_rect(t.rect);
                for p in t
                    .pieces
                    .iter()
                    .filter(|p| whole || p.bounds.intersects(seen))
                {
                    let color = keys
                        .get(p.flow as usize)
                        .map_or(Color32::TRANSPARENT, |k| k.color);
                    t.mesh.append_piece(out, p, t.rect.min, shift, color);
                }
            }
        }
        self.tiles.retain(|&(c, r), _| {
            c >= c0 - KEEP_AROUND
                && c <= c1 + KEEP_AROUND
                && r >= r0 - KEEP_AROUND
                && r <= r1 + KEEP_AROUND
        });
        add_own_primitive(painter, &self.out);
    }
}

/// Builds the tile at `(c, r)`: the pieces of the flows that start in it.
#[allow(clippy::too_many_arguments)]
fn build(
    base: &View,
    (c, r): (i32, i32),
    index: &SceneIndex,
    scene: &Scene,
    keys: &[FlowKey],
    tess: &mut Tessellator,
    pieces: &FlowPieces<'_>,
    buffers: &mut Buffers,
) -> Tile {
    let rect = Rect::from_min_size(pos2(c as f32 * TILE, r as f32 * TILE), Vec2::splat(TILE));
    // Items whose bounds meet the tile; a curve's bounds hold all of it.
    let z = base.zoom;
    let canvas = scene::Rect::from_min_max(
        scene::Point::new(rect.min.x / z, rect.min.y / z),
        scene::Point::new(rect.max.x / z, rect.max.y / z),
    );
    index.query(canvas, &mut buffers.items);
    buffers.shapes.clear();
    // The flow (its place in `keys`) each shape belongs to.
    let mut owners: Vec<u32> = Vec::new();
    for &i in &buffers.items {
        let Some(item) = scene.items.get(i as usize).filter(|it| is_flow(it)) else {
            continue;
        };
        // Keys are in scene order, so found by their item index.
        let Ok(flow) = keys.binary_search_by_key(&i, |k| k.item) else {
            continue;
        };
        pieces(base, Keep::StartingIn(rect), item, &mut buffers.shapes);
        owners.resize(buffers.shapes.len(), to_u32(flow));
    }
    let mut mesh = Mesh::default();
    let mut pieces = Vec::with_capacity(buffers.shapes.len());
    let mut colors = Vec::with_capacity(buffers.shapes.len());
    for (shape, flow) in buffers.shapes.drain(..).zip(owners) {
        let (v0, i0) = (mesh.vertices.len(), mesh.indices.len());
        tess.tessellate_shape(shape, &mut mesh);
        if mesh.vertices.len() > v0 {
            let bounds = mesh.vertices[v0..].iter().fold(Rect::NOTHING, |r, v| {
                r.union(Rect::from_min_max(v.pos, v.pos))
            });
            pieces.push(Piece {
                flow,
                bounds,
                vertices: to_u32(v0)..to_u32(mesh.vertices.len()),
                indices: to_u32(i0)..to_u32(mesh.indices.len()),
            });
            colors.push(keys[flow as usize].color);
        }
    }
    debug_assert!(mesh.is_empty() || rect.expand(TILE).contains_rect(mesh.calc_bounds()));
    // Grown by appending, the buffers may be up to twice what they hold; a tile lives
    // for many frames (`TileMesh::new` copies the vertices out and shrinks the indices).
    pieces.shrink_to_fit();
    Tile {
        rect,
        mesh: TileMesh::new(mesh, &pieces, &colors, rect.min),
        pieces,
    }
}

/// Adds the flow mesh as a primitive of its own. egui merges consecutive shapes with the
/// same clip rectangle into one output mesh grown by appending: hundreds of thousands of
/// flow triangles appended after the grid, then cards appended after them, made it
/// reallocate and copy the whole mesh several times a frame. A clip rectangle a thousandth
/// of a point smaller (the same pixels on screen) starts a new output mesh, which takes
/// the flows in one exact allocation.
fn add_own_primitive(painter: &egui::Painter, mesh: &Arc<Mesh>) {
    if mesh.is_empty() {
        return;
    }
    let clip = painter.clip_rect().shrink(1e-3);
    painter.with_clip_rect(clip).add(Shape::Mesh(mesh.clone()));
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The tile holding a point of the plane.
fn tile_of(p: Pos2) -> (i32, i32) {
    // Saturating float-to-int casts: a far-off view only asks for tiles that stay empty.
    ((p.x / TILE).floor() as i32, (p.y / TILE).floor() as i32)
}

/// How the flows differ between two rebuilds (see `changed_flows`).
#[derive(Debug, Default, PartialEq)]
struct Changes {
    /// Flows whose shape changed, both as they were and as they are: a tile may hold a
    /// piece of either.
    moved: Vec<FlowKey>,
    /// Flows whose colour alone changed, as they are now.
    recolored: Vec<FlowKey>,
}

/// The flows that differ between two rebuilds; `None` when their number changed or more
/// than [`MAX_CHANGED_FLOWS`] moved, and every tile must go.
fn changed_flows(old: &[FlowKey], new: &[FlowKey]) -> Option<Changes> {
    if old.len() != new.len() {
        return None;
    }
    let mut changes = Changes::default();
    for (was, is) in old.iter().zip(new) {
        if was.shape != is.shape {
            if changes.moved.len() >= MAX_CHANGED_FLOWS * 2 {
                return None;
            }
            changes.moved.extend([*was, *is]);
        } else if was.color != is.color {
            changes.recolored.push(*is);
        }
    }
    Some(changes)
}

/// The keys of a scene's flows, in scene order.
fn flow_keys(scene: &Scene) -> Vec<FlowKey> {
    scene
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| FlowKey::of(i, item))
        .collect()
}

/// Flows changed by one rebuild beyond which all tiles are dropped rather than tested.
const MAX_CHANGED_FLOWS: usize = 2_000;

/// A flow arrow (the only curves with heads): what the tiles hold.
pub fn is_flow(item: &Item) -> bool {
    matches!(
        item,
        Item::Curve {
            arrow_head: true,
            ..
        }
    )
}

const _: () = assert!(TILE >= WHOLE_CURVE_MAX);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::overview::{curve_clipped, dashed_line_clipped};
    use egui::{Color32, Stroke, vec2};

    fn vertices(shapes: &[Shape]) -> usize {
        shapes
            .iter()
            .map(|s| match s {
                Shape::Mesh(m) => m.vertices.len(),
                Shape::Path(p) => p.points.len(),
                Shape::CubicBezier(_) => 1_000_000,
                _ => 0,
            })
            .sum()
    }

    /// The tiles over a region, row by row.
    fn tiles_over(r: Rect) -> Vec<Rect> {
        let (c0, r0) = tile_of(r.min);
        let (c1, r1) = tile_of(r.max);
        (r0..=r1)
            .flat_map(|row| {
                (c0..=c1).map(move |col| {
                    Rect::from_min_size(
                        pos2(col as f32 * TILE, row as f32 * TILE),
                        Vec2::splat(TILE),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn every_dash_belongs_to_exactly_one_tile() {
        // A long dashed zigzag crossing many tiles, with points on tile edges.
        let points = [
            pos2(-300.0, 10.0),
            pos2(0.0, 256.0),
            pos2(900.0, 512.0),
            pos2(1500.0, -40.0),
        ];
        let stroke = Stroke::new(1.6, Color32::GRAY);
        let everything = Rect::from_min_max(pos2(-2000.0, -2000.0), pos2(4000.0, 4000.0));
        let mut whole = Vec::new();
        dashed_line_clipped(
            &mut whole,
            &points,
            stroke,
            6.0,
            4.0,
            Keep::Meeting(everything),
        );
        let mut tiled = Vec::new();
        for tile in tiles_over(Rect::from_points(&points).expand(20.0)) {
            dashed_line_clipped(
                &mut tiled,
                &points,
                stroke,
                6.0,
                4.0,
                Keep::StartingIn(tile),
            );
        }
        assert!(vertices(&whole) > 1000);
        assert_eq!(vertices(&tiled), vertices(&whole));
    }

    #[test]
    fn long_curves_are_cut_into_pieces_owned_once() {
        let p = [
            pos2(-500.0, 100.0),
            pos2(1500.0, 100.0),
            pos2(1500.0, 900.0),
            pos2(3500.0, 900.0),
        ];
        let stroke = Stroke::new(1.6, Color32::GRAY);
        let mut tiled = Vec::new();
        for tile in tiles_over(Rect::from_points(&p).expand(20.0)) {
            curve_clipped(&mut tiled, p, stroke, Keep::StartingIn(tile));
        }
        // Runs split where the curve crosses into another tile: the pieces (segments) add
        // up to the flattening of the whole curve, each drawn once.
        let segments: usize = tiled
            .iter()
            .map(|s| match s {
                Shape::Path(path) => path.points.len() - 1,
                _ => panic!("a long curve is drawn as runs of segments"),
            })
            .sum();
        let length = (p[1] - p[0]).length() + (p[2] - p[1]).length() + (p[3] - p[2]).length();
        let expected = crate::ui::overview::cubic_segments(p).max((length / 64.0).ceil() as usize);
        assert_eq!(segments, expected);
        // A short curve goes whole to the tile it starts in, and to no other.
        let short = [
            pos2(250.0, 10.0),
            pos2(290.0, 10.0),
            pos2(260.0, 60.0),
            pos2(300.0, 60.0),
        ];
        let owners: Vec<usize> = tiles_over(Rect::from_points(&short).expand(300.0))
            .into_iter()
            .map(|tile| {
                let mut out = Vec::new();
                curve_clipped(&mut out, short, stroke, Keep::StartingIn(tile));
                out.len()
            })
            .filter(|&n| n > 0)
            .collect();
        assert_eq!(owners, vec![1]);
    }

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

    fn flow(from: (f32, f32), to: (f32, f32)) -> Item {
        let p = |(x, y): (f32, f32)| scene::Point::new(x, y);
        Item::Curve {
            from: p(from),
            ctrl1: p(((from.0 + to.0) / 2.0, from.1)),
            ctrl2: p(((from.0 + to.0) / 2.0, to.1)),
            to: p(to),
            width: 1.5,
            color: scene::Rgba::BLACK,
            arrow_head: true,
            dashed: false,
            detail: scene::Detail::Always,
        }
    }

    fn key(item: &Item) -> FlowKey {
        FlowKey::of(0, item).expect("a flow")
    }

    fn tile(c: i32, r: i32) -> Rect {
        Rect::from_min_size(pos2(c as f32 * TILE, r as f32 * TILE), Vec2::splat(TILE))
    }

    #[test]
    fn a_flow_meets_the_tiles_it_crosses_not_all_those_its_bounds_cover() {
        // From the top left to the bottom right of a 4×4-tile square, as an S.
        let f = key(&flow((10.0, 10.0), (1000.0, 1000.0)));
        assert!(f.meets(tile(0, 0), 1.0) && f.meets(tile(3, 3), 1.0));
        assert!(f.meets(tile(1, 0), 1.0), "the S runs along the top first");
        assert!(
            !f.meets(tile(0, 3), 1.0),
            "its bounds cover this corner; the curve does not"
        );
        // At zoom 2 the same flow reaches twice as far on the plane.
        assert!(f.meets(tile(7, 7), 2.0) && !f.meets(tile(7, 7), 1.0));
    }

    #[test]
    fn a_changed_flow_counts_where_it_was_and_where_it_is() {
        let a = key(&flow((0.0, 0.0), (100.0, 0.0)));
        let b = key(&flow((0.0, 600.0), (100.0, 600.0)));
        let moved = key(&flow((0.0, 0.0), (100.0, 900.0)));
        assert_eq!(changed_flows(&[a, b], &[a, b]), Some(Changes::default()));
        let changed = changed_flows(&[a, b], &[moved, b]).expect("one changed");
        assert_eq!(changed.moved, vec![a, moved]);
        assert!(changed.recolored.is_empty());
        // Where it was (tile 0,0 only) is stale too, not just where it now runs.
        assert!(changed.moved.iter().any(|f| f.meets(tile(0, 0), 1.0)));
        assert!(changed.moved.iter().any(|f| f.meets(tile(0, 3), 1.0)));
        // Only faded: a new colour, no move.
        let faded = FlowKey {
            color: Color32::from_black_alpha(60),
            ..b
        };
        let changed = changed_flows(&[a, b], &[a, faded]).expect("one recoloured");
        assert_eq!(changed.moved, vec![]);
        assert_eq!(changed.recolored, vec![faded]);
        assert_eq!(
            changed_flows(&[a, b], &[a]),
            None,
            "a flow deleted: all tiles go"
        );
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

    #[test]
    fn gentle_curves_need_few_segments_and_sharp_ones_more() {
        let straight = [
            pos2(0.0, 0.0),
            pos2(1000.0, 0.0),
            pos2(2000.0, 0.0),
            pos2(3000.0, 0.0),
        ];
        assert_eq!(cubic_segments_of(straight), 2);
        let s_curve = [
            pos2(0.0, 0.0),
            pos2(100.0, 0.0),
            pos2(100.0, 200.0),
            pos2(200.0, 200.0),
        ];
        let n = cubic_segments_of(s_curve);
        assert!((15..=40).contains(&n), "{n}");
        // Ten times the size needs about sqrt(10) times the segments for the same error.
        let big = s_curve.map(|p| pos2(p.x * 10.0, p.y * 10.0));
        let m = cubic_segments_of(big);
        assert!(m > 3 * n && m < 4 * n, "{n} -> {m}");
    }

    fn cubic_segments_of(p: [Pos2; 4]) -> usize {
        crate::ui::overview::cubic_segments(p)
    }
}
