//! Flow arrows at working zoom, tessellated once per screen tile and reused while the view
//! pans.
//!
//! Flows are the bulk of a frame on a big canvas: thousands of curves and dashes cross the
//! viewport, and egui would flatten and feather every one of them again each frame. They
//! change only with the scene and the zoom, so the plane (in `canvas point × zoom`
//! coordinates, the view offset left out) is cut into square tiles of [`TILE`] points;
//! each tile is tessellated once into a mesh of the flow pieces that *start* in it (see
//! [`Keep::StartingIn`]: no piece is drawn twice where tiles meet). Each tile the view sees
//! is copied, shifted by the pan offset and in its flows' colours, into a mesh of its own
//! that stays on screen while neither the view nor the tile changes: an edit that moves a
//! few flows copies only the tiles they cross. A pan step tessellates just the tiles that
//! come into view; tiles far from the view are dropped so memory stays bounded. A new
//! zoom or scene starts over.

use super::clip::{Keep, WHOLE_CURVE_MAX};
use super::flow_key::{Changes, FlowKey, flow_keys};
use super::tile_mesh::{Piece, TileMesh, to_u32};
use super::view::View;
use crate::edit::Edits;
use crate::scene::index::Element;
use crate::scene::{self, Item, LiveScene, layer};
use egui::epaint::{Mesh, Shape, Tessellator};
use egui::{Color32, Pos2, Rect, Vec2, pos2};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Side of a tile in screen points. Small enough that a pan step has few new tiles to
/// build, large enough that per-tile overhead (an index query, a mesh) stays small. At
/// least [`WHOLE_CURVE_MAX`], so every piece lies within one tile of its owner.
pub const TILE: f32 = 256.0;

/// Tiles kept beyond the built ones (the visible ones and a ring), in tiles on each side.
/// A tile of a dense canvas holds a lot of triangles, and a long pan would otherwise keep
/// every tile it passed (`cargo run --release --example ui_memory` measures it).
const KEEP_AROUND: i32 = 1;

/// How the flows of one frame are drawn by [`FlowTiles::paint`]: the pieces of each flow
/// that belong to a rectangle (screen points, view offset at zero).
/// that belong to a rectangle (screen points, view offset at zero), at a share of their
/// colour.
pub type FlowPieces<'a> = dyn Fn(&View, Keep, &Item, f32, &mut Vec<Shape>) + Sync + 'a;

#[derive(Default)]
pub struct FlowTiles {
    /// The zoom the tiles were built at; `None` when there are none (or the scene changed).
    zoom: Option<f32>,
    /// The flows the tiles hold, by index in the document (see `flows_changed`); made
    /// when the first tile is built, dropped with the last (not needed while the canvas is
    /// zoomed out and drawn without tiles, and sizeable on a big canvas).
    flows_of: Option<Vec<Option<FlowKey>>>,
    tiles: FxHashMap<(i32, i32), Tile>,
    /// Reused buffers of tile builds, one per thread.
    buffers: [Buffers; 2],
    /// Tiles built since the last `take_built` (for tests).
    #[cfg(any(test, feature = "test-hooks"))]
    built: usize,
    /// Tiles copied to the screen since the last `take_copied` (for tests).
    #[cfg(any(test, feature = "test-hooks"))]
    copied: usize,
    /// The tiles (columns and rows, inclusive) the last frame drew; the others keep no
    /// screen copy.
    range: Option<[i32; 4]>,
}

/// Buffers of a tile build, reused by the next.
#[derive(Default)]
struct Buffers {
    items: Vec<Element>,
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
    /// Flows that changed since the tile was built (ascending, by index in the document):
    /// their pieces are made again, the others kept, when the tile is next shown.
    stale: Vec<u32>,
    /// The tile as drawn: in its flows' own colours, and faded for a highlighted theme.
    /// The first is kept while a theme is highlighted, so that clearing the highlight
    /// copies nothing when the view did not move.
    shown: [ScreenCopy; 2],
}

/// A tile's pieces that the view shows, on the screen, in their flows' colours; shared
/// with the frame's shapes, which let go of it after tessellation, so it is refilled in
/// place.
#[derive(Default)]
struct ScreenCopy {
    mesh: Arc<Mesh>,
    /// The pan shift and visible rectangle it was filled for; `None` when its pieces or
    /// their colours changed since.
    filled_for: Option<(Vec2, Rect)>,
}

impl Tile {
    fn new(rect: Rect, mesh: TileMesh, pieces: Vec<Piece>) -> Self {
        Tile {
            rect,
            mesh,
            pieces,
            stale: Vec::new(),
            shown: Default::default(),
        }
    }

    /// The tile as drawn (`faded` while a theme is highlighted) through a view that shows
    /// `seen` of the plane, shifted to the screen by `shift`, filled again only when that
    /// or the tile changed (then `copied` counts it).
    fn shown(
        &mut self,
        faded: bool,
        color: &dyn Fn(u32) -> Color32,
        seen: Rect,
        shift: Vec2,
        copied: &mut usize,
    ) -> &Arc<Mesh> {
        let copy = &mut self.shown[usize::from(faded)];
        if copy.filled_for != Some((shift, seen)) {
            *copied += 1;
            copy.filled_for = Some((shift, seen));
            // egui has let go of the last frame's copy unless it is still on screen.
            if Arc::get_mut(&mut copy.mesh).is_none() {
                copy.mesh = Arc::default();
            }
            let out = Arc::make_mut(&mut copy.mesh);
            out.clear();
            let whole = seen.contains_rect(self.rect);
            for p in self
                .pieces
                .iter()
                .filter(|p| whole || p.bounds.intersects(seen))
            {
                self.mesh
                    .append_piece(out, p, self.rect.min, shift, color(p.flow));
            }
        }
        &copy.mesh
    }

    /// Forgets the screen copies (the tile left the view, or its flows' colours changed).
    fn hide(&mut self) {
        self.shown = Default::default();
    }
}

/// The index a piece of a removed flow takes: no flow has it, so it is dropped as stale.
const GONE: u32 = u32::MAX;

/// Flows changed in a tile beyond which it is built again rather than patched.
const MAX_STALE_FLOWS: usize = 64;

impl FlowTiles {
    /// Drops every tile: the scene changed.
    pub fn invalidate(&mut self) {
        self.zoom = None;
        self.tiles.clear();
        self.range = None;
        self.flows_of = None;
    }

    /// The flows at `flows` (indices in the document) were drawn anew: drops the tiles that
    /// show a flow that changed. Most edits (a title, notes, an emotion, a cue) leave every
    /// flow where it was, and a moved card moves the flows of its cell and little else, and
    /// rebuilding every tile on screen is the slowest part of a frame on a big canvas.
    /// When very many moved, all tiles go.
    pub fn flows_changed(&mut self, scene: &LiveScene, flows: &[usize]) {
        self.follow_flows(scene, None, flows);
    }

    /// As [`FlowTiles::flows_changed`], after flows were added at the end of the list or
    /// removed from its end (from index `from` on): a tile keeps its pieces of the other
    /// flows, and those of the tail's (where they were, or are now) are made again.
    pub fn follow_tail(&mut self, scene: &LiveScene, from: usize, flows: &[usize]) {
        self.follow_flows(scene, Some(from), flows);
    }

    /// As [`FlowTiles::flows_changed`], after flows were removed or inserted inside the
    /// list (`edits`): the tiles' pieces and keys move to their flows' new places, the
    /// pieces of flows removed go, and those of the flows inserted or drawn again
    /// (`flows`, indices now) are made again.
    pub fn follow_splice(&mut self, scene: &LiveScene, edits: &Edits, flows: &[usize]) {
        let (Some(zoom), Some(keys)) = (self.zoom, self.flows_of.as_mut()) else {
            self.invalidate();
            return;
        };
        let m = scene.flow_count();
        if !edits.fits(keys.len(), m) {
            self.invalidate();
            return;
        }
        let map = edits.map(keys.len());
        let now_of = |f: u32| map.get(f as usize).copied().flatten().map_or(GONE, to_u32);
        let mut changes = Changes::default();
        let mut now_keys = vec![None; m];
        for (old, key) in keys.iter().enumerate() {
            match map[old].filter(|&now| now < m) {
                Some(now) => {
                    now_keys[now] = key.map(|k| FlowKey {
                        flow: to_u32(now),
                        ..k
                    });
                }
                // Its pieces are found where it was, and dropped as stale.
                None => changes.add(key.map(|k| FlowKey { flow: GONE, ..k }), None),
            }
        }
        for t in self.tiles.values_mut() {
            for p in &mut t.pieces {
                p.flow = now_of(p.flow);
            }
            for f in &mut t.stale {
                *f = now_of(*f);
            }
            t.stale.sort_unstable();
            t.stale.dedup();
        }
        for &f in edits.inserted.iter().chain(flows) {
            let now = scene.flow(f).and_then(|item| FlowKey::of(f, item));
            let was = now_keys.get(f).copied().flatten();
            changes.add(was, now);
            if let Some(key) = now_keys.get_mut(f) {
                *key = now;
            }
        }
        *keys = now_keys;
        if changes.moved.len() > MAX_CHANGED_FLOWS * 2 {
            self.invalidate();
            return;
        }
        self.drop_changed(zoom, &changes);
    }

    /// Marks stale, in the tiles they cross, the flows at `flows` that changed and (with
    /// `tail`) those removed or added from that index on; all tiles go when too many did.
    fn follow_flows(&mut self, scene: &LiveScene, tail: Option<usize>, flows: &[usize]) {
        let (Some(zoom), Some(keys)) = (self.zoom, self.flows_of.as_mut()) else {
            // No tiles to keep.
            self.invalidate();
            return;
        };
        let mut changes = Changes::default();
        let from = match tail {
            Some(from) => {
                let from = from.min(keys.len());
                for was in keys.drain(from..) {
                    changes.add(was, None);
                }
                for f in from..scene.flow_count() {
                    let now = scene.flow(f).and_then(|item| FlowKey::of(f, item));
                    changes.add(None, now);
                    keys.push(now);
                }
                from
            }
            None => keys.len(),
        };
        if keys.len() != scene.flow_count() {
            self.invalidate();
            return;
        }
        for &f in flows.iter().filter(|&&f| f < from) {
            let now = scene.flow(f).and_then(|item| FlowKey::of(f, item));
            changes.add(keys[f], now);
            keys[f] = now;
        }
        if changes.moved.len() > MAX_CHANGED_FLOWS * 2 {
            self.invalidate();
            return;
        }
        self.drop_changed(zoom, &changes);
    }

    /// Flows faded or shown whole (a theme highlighted, another one, or none). Compact
    /// tiles take their flows' colours when copied to the screen, so only their faded
    /// copies go (the copies in the flows' own colours stay right); full meshes, with
    /// their colours built in, are dropped. Nothing here passes over the flows: on a big
    /// canvas a highlight fades most of them, and only those on screen are drawn.
    pub fn faded(&mut self) {
        self.tiles
            .retain(|_, t| matches!(t.mesh, TileMesh::Compact { .. }));
        for t in self.tiles.values_mut() {
            t.shown[1] = ScreenCopy::default();
        }
    }

    /// Marks the flows that moved stale in the tiles they pass through (where they were,
    /// or are now: a tile holds the pieces that start in it), and drops the tiles whose
    /// colours are built in (a full mesh) and whose flow changed colour. Compact tiles take
    /// their flows' colours when copied to the screen, which they are again.
    fn drop_changed(&mut self, zoom: f32, changes: &Changes) {
        let Changes { moved, recolored } = changes;
        if moved.is_empty() && recolored.is_empty() {
            return;
        }
        let recolors: Vec<(i32, i32)> = if recolored.len() > MAX_CHANGED_FLOWS {
            self.tiles.keys().copied().collect()
        } else {
            recolored
                .iter()
                .flat_map(|f| self.met_by(f, zoom))
                .collect()
        };
        for key in &recolors {
            let full = self
                .tiles
                .get(key)
                .is_some_and(|t| matches!(t.mesh, TileMesh::Full(_)));
            if full {
                self.tiles.remove(key);
            } else if let Some(t) = self.tiles.get_mut(key) {
                t.hide();
            }
        }
        let mut touched = Vec::new();
        for f in moved {
            for key in self.met_by(f, zoom) {
                if let Some(t) = self.tiles.get_mut(&key) {
                    t.stale.push(f.flow);
                    touched.push(key);
                }
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for key in touched {
            let Some(t) = self.tiles.get_mut(&key) else {
                continue;
            };
            t.stale.sort_unstable();
            t.stale.dedup();
            if t.stale.len() > MAX_STALE_FLOWS {
                self.tiles.remove(&key);
            }
        }
    }

    /// The tiles built that flow `f` may have a piece in: those around the flow's hull
    /// (or, for a flow spanning more tiles than are built, the tiles built) that it meets.
    fn met_by(&self, f: &FlowKey, zoom: f32) -> Vec<(i32, i32)> {
        let hull = f.hull(zoom);
        let ((c0, r0), (c1, r1)) = (tile_of(hull.min), tile_of(hull.max));
        let span = (i64::from(c1) - i64::from(c0) + 1) * (i64::from(r1) - i64::from(r0) + 1);
        let meets = |t: &Tile| f.meets(t.rect, zoom);
        if span <= i64::try_from(self.tiles.len()).unwrap_or(i64::MAX) {
            (c0..=c1)
                .flat_map(|c| (r0..=r1).map(move |r| (c, r)))
                .filter(|key| self.tiles.get(key).is_some_and(meets))
                .collect()
        } else {
            let met = self.tiles.iter().filter(|(_, t)| meets(t));
            met.map(|(key, _)| *key).collect()
        }
    }

    /// Whether tiles exist for this zoom (so drawing from them costs no rebuild).
    pub fn ready_for(&self, zoom: f32) -> bool {
        self.zoom == Some(zoom)
    }

    /// Number of tiles built since the last call.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn take_built(&mut self) -> usize {
        std::mem::take(&mut self.built)
    }

    /// Number of tiles copied to the screen since the last call.
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn take_copied(&mut self) -> usize {
        std::mem::take(&mut self.copied)
    }

    /// Adds the flows that `area` shows through `view` to `painter`, a mesh per tile;
    /// `faded` while a theme is highlighted (`alpha` then says which flows fade).
    #[expect(
        clippy::too_many_arguments,
        reason = "the view, the scene and how flows look are all it draws from"
    )]
    pub fn paint(
        &mut self,
        painter: &egui::Painter,
        view: &View,
        area: Rect,
        scene: &LiveScene,
        faded: bool,
        alpha: &FlowAlpha<'_>,
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
        let range = [c0 - 1, r0 - 1, c1 + 1, r1 + 1];
        let source = Source {
            zoom: view.zoom,
            scene,
            alpha,
            pieces,
        };
        self.build_missing(painter.ctx(), range, &source);
        if self.range != Some(range) {
            self.range = Some(range);
            // Within `k` tiles of the range drawn.
            let near = |&(c, r): &(i32, i32), k: i32| {
                c >= range[0] - k && c <= range[2] + k && r >= range[1] - k && r <= range[3] + k
            };
            // Tiles a little off screen are kept built, without a screen copy.
            self.tiles.retain(|cr, _| near(cr, KEEP_AROUND));
            for (_, t) in self.tiles.iter_mut().filter(|(cr, _)| !near(cr, 0)) {
                t.hide();
            }
        }
        let keys = self.flows_of.as_deref().unwrap_or_default();
        let color = |f: u32| flow_color(keys, alpha, f);
        let (mut drawn, mut copied) = (0, 0);
        for r in range[1]..=range[3] {
            for c in range[0]..=range[2] {
                if let Some(t) = self.tiles.get_mut(&(c, r)) {
                    let mesh = t.shown(faded, &color, seen, shift, &mut copied);
                    if !mesh.is_empty() {
                        add_own_primitive(painter, mesh, drawn);
                        drawn += 1;
                    }
                }
            }
        }
        #[cfg(any(test, feature = "test-hooks"))]
        {
            self.copied += copied;
        }
    }

    /// Builds the tiles of `range` (columns and rows, inclusive) not built yet.
    fn build_missing(&mut self, ctx: &egui::Context, range: [i32; 4], source: &Source) {
        let [c0, r0, c1, r1] = range;
        let cells = (r0..=r1).flat_map(|r| (c0..=c1).map(move |c| (c, r)));
        let missing: Vec<(i32, i32)> = cells
            .clone()
            .filter(|cr| !self.tiles.contains_key(cr))
            .collect();
        let stale: Vec<(i32, i32)> = cells
            .filter(|cr| self.tiles.get(cr).is_some_and(|t| !t.stale.is_empty()))
            .collect();
        if missing.is_empty() && stale.is_empty() {
            return;
        }
        if self.flows_of.is_none() {
            self.flows_of = Some(flow_keys(source.scene));
        }
        // Read here: the helper must not wait on the context's lock.
        let (options, ppp) = (ctx.tessellation_options(|o| *o), ctx.pixels_per_point());
        let tessellator = || {
            let mut t = Tessellator::new(ppp, options, [1, 1], vec![]);
            // Pieces are chosen by tile, not clipped: nothing to cull here.
            t.set_clip_rect(Rect::EVERYTHING);
            t
        };
        let keys = self.flows_of.as_deref().unwrap_or_default();
        let [mine, theirs] = &mut self.buffers;
        let mut patched = 0;
        let mut tess = tessellator();
        for cr in &stale {
            let Some(tile) = self.tiles.get_mut(cr) else {
                continue;
            };
            match patch(tile, source, keys, &mut tess, mine) {
                Some(new) => *tile = new,
                // Its triangles do not patch: built again below.
                None => drop(self.tiles.remove(cr)),
            }
            patched += 1;
        }
        let missing: Vec<(i32, i32)> = missing
            .into_iter()
            .chain(stale.into_iter().filter(|cr| !self.tiles.contains_key(cr)))
            .collect();
        let build_all = |cells: &[(i32, i32)], buffers: &mut Buffers| {
            let mut tess = tessellator();
            let build = |&cr: &(i32, i32)| (cr, build(cr, source, keys, &mut tess, buffers));
            cells.iter().map(build).collect::<Vec<_>>()
        };
        // Two threads build them when there are several (a card move on a big canvas
        // rebuilds dozens).
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
        #[cfg(any(test, feature = "test-hooks"))]
        {
            self.built += built.len() + patched;
        }
        #[cfg(not(any(test, feature = "test-hooks")))]
        let _ = patched;
        self.tiles.extend(built);
    }
}

/// What tiles are built from: the scene, how a flow is cut into pieces, at which zoom.
struct Source<'a> {
    zoom: f32,
    scene: &'a LiveScene,
    alpha: &'a FlowAlpha<'a>,
    pieces: &'a FlowPieces<'a>,
}

/// The share of its colour each flow shows (by index in the document): less than 1 while a
/// theme its cards do not express is highlighted.
pub type FlowAlpha<'a> = dyn Fn(usize) -> f32 + Sync + 'a;

/// Flow `f`'s colour on screen.
fn flow_color(keys: &[Option<FlowKey>], alpha: &FlowAlpha<'_>, f: u32) -> Color32 {
    match keys.get(f as usize).copied().flatten() {
        Some(k) => crate::ui::tokens::scene_color(k.base.faded(alpha(f as usize))),
        None => Color32::TRANSPARENT,
    }
}

/// The rectangle of the plane tile `(c, r)` covers.
fn tile_rect((c, r): (i32, i32)) -> Rect {
    Rect::from_min_size(pos2(c as f32 * TILE, r as f32 * TILE), Vec2::splat(TILE))
}

/// Builds the tile at `(c, r)`: the pieces of the flows that start in it.
fn build(
    cr: (i32, i32),
    source: &Source,
    keys: &[Option<FlowKey>],
    tess: &mut Tessellator,
    buffers: &mut Buffers,
) -> Tile {
    let rect = tile_rect(cr);
    // Items whose bounds meet the tile; a curve's bounds hold all of it.
    let z = source.zoom;
    let canvas = scene::Rect::from_min_max(
        scene::Point::new(rect.min.x / z, rect.min.y / z),
        scene::Point::new(rect.max.x / z, rect.max.y / z),
    );
    source.scene.index().query(canvas, &mut buffers.items);
    let flows = buffers.items.iter().filter(|e| e.layer() == layer::FLOWS);
    let flows: Vec<usize> = flows.map(|e| e.index()).collect();
    let (mesh, pieces, colors) = tessellate(rect, &flows, source, keys, tess, buffers);
    Tile::new(
        rect,
        TileMesh::new(mesh, &pieces, &colors, rect.min),
        pieces,
    )
}

/// The tile `old` with the pieces of its stale flows made again: the other pieces are
/// kept as they are, merged in flow order with the new ones, as a fresh build would have
/// them. `None` when the meshes cannot be merged (either is a full mesh).
fn patch(
    old: &Tile,
    source: &Source,
    keys: &[Option<FlowKey>],
    tess: &mut Tessellator,
    buffers: &mut Buffers,
) -> Option<Tile> {
    let flows: Vec<usize> = old.stale.iter().map(|&f| f as usize).collect();
    let (mesh, pieces, colors) = tessellate(old.rect, &flows, source, keys, tess, buffers);
    let fresh = TileMesh::new(mesh, &pieces, &colors, old.rect.min);
    let keep = |p: &Piece| old.stale.binary_search(&p.flow).is_err();
    let (mesh, pieces) = old.mesh.merge(&old.pieces, keep, &fresh, &pieces)?;
    Some(Tile::new(old.rect, mesh, pieces))
}

/// The pieces of the `flows` (ascending, by index in the document) that start in `rect`,
/// tessellated into one mesh, with each piece's flow colour.
fn tessellate(
    rect: Rect,
    flows: &[usize],
    source: &Source,
    keys: &[Option<FlowKey>],
    tess: &mut Tessellator,
    buffers: &mut Buffers,
) -> (Mesh, Vec<Piece>, Vec<Color32>) {
    let base = View {
        offset: Vec2::ZERO,
        zoom: source.zoom,
    };
    buffers.shapes.clear();
    // The flow (its index in the document) each shape belongs to.
    let mut owners: Vec<u32> = Vec::new();
    for &f in flows {
        let (Some(item), Some(Some(_))) = (source.scene.flow(f), keys.get(f)) else {
            continue;
        };
        let keep = Keep::StartingIn(rect);
        (source.pieces)(&base, keep, item, (source.alpha)(f), &mut buffers.shapes);
        owners.resize(buffers.shapes.len(), to_u32(f));
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
            colors.push(flow_color(keys, source.alpha, flow));
        }
    }
    debug_assert!(mesh.is_empty() || rect.expand(TILE).contains_rect(mesh.calc_bounds()));
    // Grown by appending, the buffers may be up to twice what they hold; a tile lives
    // for many frames (`TileMesh::new` copies the vertices out and shrinks the indices).
    pieces.shrink_to_fit();
    (mesh, pieces, colors)
}

/// Adds the `n`th tile's mesh as a primitive of its own. egui merges consecutive shapes
/// with the same clip rectangle into one output mesh grown by appending: hundreds of
/// thousands of flow triangles appended after the grid, then cards appended after them,
/// made it reallocate and copy the whole mesh several times a frame. A clip rectangle a
/// thousandth of a point smaller (the same pixels on screen), and another for the next
/// tile, starts a new output mesh for each tile, which takes it in one exact allocation.
fn add_own_primitive(painter: &egui::Painter, mesh: &Arc<Mesh>, n: usize) {
    let inset = if n.is_multiple_of(2) { 1e-3 } else { 2e-3 };
    let clip = painter.clip_rect().shrink(inset);
    painter.with_clip_rect(clip).add(Shape::Mesh(mesh.clone()));
}

/// The tile holding a point of the plane.
fn tile_of(p: Pos2) -> (i32, i32) {
    // Saturating float-to-int casts: a far-off view only asks for tiles that stay empty.
    ((p.x / TILE).floor() as i32, (p.y / TILE).floor() as i32)
}

/// Flows changed by one rebuild beyond which all tiles are dropped rather than tested.
const MAX_CHANGED_FLOWS: usize = 2_000;

const _: () = assert!(TILE >= WHOLE_CURVE_MAX);
