//! [`ClothBuilder`]: turns a pattern-space triangle mesh, its 3D placement, warp directions,
//! seams, pins and attachments into a ready-to-step [`Cloth`].
//!
//! Rest lengths, rest angles and masses come from the 2D pattern, never from the 3D placement,
//! so panels placed apart around a body are pulled into shape by the simulation.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use glam::{Vec2, Vec3};

use crate::cloth::{Cloth, EdgeKind, Scratch, SeamSchedule};
use crate::colliders::ColliderPose;
use crate::constraints::{AttachmentSet, BendSet, DistanceSet, TetherSet, hinge_weights};
use crate::error::ClothError;
use crate::fabric::{FabricParams, FabricPreset};
use crate::self_collision::SelfCollision;
use crate::settings::SolverSettings;

/// Edges within this angle of the warp are warp edges, within it of the weft weft edges,
/// anything between is a bias (shear) edge. 22.5° splits the circle evenly.
const AXIS_TOLERANCE_DEG: f32 = 22.5;

/// How the warp direction is given.
#[derive(Debug, Clone)]
enum WarpSpec {
    Uniform(Vec2),
    PerTriangle(Vec<Vec2>),
}

/// Builds a [`Cloth`]. Start from [`ClothBuilder::new`]; every other call is optional.
#[derive(Debug, Clone)]
pub struct ClothBuilder {
    rest: Vec<Vec2>,
    placed: Vec<Vec3>,
    triangles: Vec<[u32; 3]>,
    warp: WarpSpec,
    seams: Vec<[u32; 2]>,
    pins: Vec<u32>,
    attachments: Vec<u32>,
    fabric: FabricParams,
    settings: SolverSettings,
    tethers: bool,
    tether_slack: f32,
    sew_time: f32,
    attachment_compliance: f32,
    self_collision_distance: f32,
}

impl ClothBuilder {
    /// A cloth from a mesh: `rest` holds each vertex in the 2D pattern plane (m), `placed`
    /// its starting 3D position (m), `triangles` index both.
    ///
    /// Defaults: cotton twill, warp along +x of the pattern, tethers on with 1% slack, seams
    /// sewn over 0.5 s, hard attachments, [`SolverSettings::default`].
    pub fn new(rest: Vec<Vec2>, placed: Vec<Vec3>, triangles: Vec<[u32; 3]>) -> Self {
        ClothBuilder {
            rest,
            placed,
            triangles,
            warp: WarpSpec::Uniform(Vec2::X),
            seams: Vec::new(),
            pins: Vec::new(),
            attachments: Vec::new(),
            fabric: FabricPreset::CottonTwill.params(),
            settings: SolverSettings::default(),
            tethers: true,
            tether_slack: 0.01,
            sew_time: 0.5,
            attachment_compliance: 0.0,
            self_collision_distance: 0.0,
        }
    }

    /// One warp direction (in the pattern plane) for every triangle.
    pub fn uniform_warp(mut self, warp: Vec2) -> Self {
        self.warp = WarpSpec::Uniform(warp);
        self
    }

    /// A warp direction per triangle (panels cut on different grains).
    pub fn warp_per_triangle(mut self, warp: Vec<Vec2>) -> Self {
        self.warp = WarpSpec::PerTriangle(warp);
        self
    }

    /// The fabric, from a preset or explicit parameters.
    pub fn fabric(mut self, fabric: impl Into<FabricParams>) -> Self {
        self.fabric = fabric.into();
        self
    }

    /// Solver settings (substeps, iterations, gravity, wind).
    pub fn settings(mut self, settings: SolverSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Seams: pairs of vertices pulled together over the sew time, then held.
    pub fn seams(mut self, seams: impl IntoIterator<Item = [u32; 2]>) -> Self {
        self.seams.extend(seams);
        self
    }

    /// How long seams take to close, s (0 closes them at once).
    pub fn sew_time(mut self, seconds: f32) -> Self {
        self.sew_time = seconds.max(0.0);
        self
    }

    /// Vertices fixed at their placed position.
    pub fn pins(mut self, vertices: impl IntoIterator<Item = u32>) -> Self {
        self.pins.extend(vertices);
        self
    }

    /// Vertices attached to moving targets, in order; move the targets each frame with
    /// [`Cloth::set_attachment_targets`]. Targets start at the placed positions.
    pub fn attachments(mut self, vertices: impl IntoIterator<Item = u32>) -> Self {
        self.attachments.extend(vertices);
        self
    }

    /// Compliance of attachments, m/N (0 = hard).
    pub fn attachment_compliance(mut self, compliance: f32) -> Self {
        self.attachment_compliance = compliance.max(0.0);
        self
    }

    /// Turns on self-collision: non-neighbouring vertices are kept at least `distance` (m)
    /// apart. About the rest edge length works; 0 turns it off (the default).
    pub fn self_collision(mut self, distance: f32) -> Self {
        self.self_collision_distance = distance.max(0.0);
        self
    }

    /// Long-range tethers from pins and attachments (on by default), with the allowed stretch
    /// beyond the rest-space geodesic distance (0.01 = 1%).
    pub fn tethers(mut self, enabled: bool, slack: f32) -> Self {
        self.tethers = enabled;
        self.tether_slack = slack.max(0.0);
        self
    }

    /// Validates the input and builds the cloth: masses, classified stretch edges, bending
    /// hinges, seams, tethers, all coloured for the parallel solver.
    pub fn build(self) -> Result<Cloth, ClothError> {
        let n = self.rest.len();
        self.validate()?;
        let warps = self.triangle_warps()?;

        // Masses from the rest (pattern) area.
        let mut mass = vec![0.0f32; n];
        let mut tri_area = Vec::with_capacity(self.triangles.len());
        for (t, tri) in self.triangles.iter().enumerate() {
            let [a, b, c] = tri.map(|i| self.rest[i as usize]);
            let area = 0.5 * (b - a).perp_dot(c - a).abs();
            if area < 1e-12 {
                return Err(ClothError::DegenerateTriangle { triangle: t });
            }
            tri_area.push(area);
            for &v in tri {
                mass[v as usize] += area * self.fabric.density / 3.0;
            }
        }
        let mut inv_mass: Vec<f32> = mass
            .iter()
            .map(|&m| if m > 0.0 { 1.0 / m } else { 0.0 })
            .collect();
        for &p in &self.pins {
            inv_mass[p as usize] = 0.0;
        }

        // Unique edges with their adjacent triangles (BTreeMap: deterministic order).
        let mut edge_tris: BTreeMap<[u32; 2], Vec<(usize, u32)>> = BTreeMap::new();
        for (t, tri) in self.triangles.iter().enumerate() {
            for k in 0..3 {
                let (a, b, opposite) = (tri[k], tri[(k + 1) % 3], tri[(k + 2) % 3]);
                edge_tris
                    .entry([a.min(b), a.max(b)])
                    .or_default()
                    .push((t, opposite));
            }
        }

        let cos_axis = AXIS_TOLERANCE_DEG.to_radians().cos();
        let sin_axis = AXIS_TOLERANCE_DEG.to_radians().sin();
        let mut edges = Vec::with_capacity(edge_tris.len());
        let mut edge_rest = Vec::with_capacity(edge_tris.len());
        let mut edge_kind = Vec::with_capacity(edge_tris.len());
        let mut edge_compliance = Vec::with_capacity(edge_tris.len());
        let mut hinges = Vec::new();
        let mut hinge_k = Vec::new();
        let mut hinge_compliance = Vec::new();
        for (&[a, b], tris) in &edge_tris {
            let d = self.rest[b as usize] - self.rest[a as usize];
            let len = d.length();
            let warp = tris
                .iter()
                .map(|&(t, _)| warps[t])
                .fold(Vec2::ZERO, |acc, w| acc + w.abs())
                .normalize_or(Vec2::X);
            let along = (d / len).dot(warp).abs();
            let (kind, compliance) = if along >= cos_axis {
                (EdgeKind::Warp, self.fabric.warp_compliance())
            } else if along <= sin_axis {
                (EdgeKind::Weft, self.fabric.weft_compliance())
            } else {
                (EdgeKind::Shear, self.fabric.shear_compliance())
            };
            edges.push([a, b]);
            edge_rest.push(len);
            edge_kind.push(kind);
            edge_compliance.push(compliance);
            if let [(t0, o0), (t1, o1)] = tris[..] {
                let r = |i: u32| self.rest[i as usize];
                hinges.push([a, b, o0, o1]);
                hinge_k.push(hinge_weights(r(a), r(b), r(o0), r(o1)));
                hinge_compliance.push(self.fabric.bending_compliance(tri_area[t0] + tri_area[t1]));
            }
        }

        // Seams join the distance set with a rest length that shrinks to zero.
        let mut pairs = edges.clone();
        let mut rests = edge_rest.clone();
        let mut compliances = edge_compliance.clone();
        let mut seam_initial = Vec::with_capacity(self.seams.len());
        for &[a, b] in &self.seams {
            let d0 = self.placed[a as usize].distance(self.placed[b as usize]);
            pairs.push([a, b]);
            rests.push(d0);
            compliances.push(0.0);
            seam_initial.push(d0);
        }
        let (distances, slot_of) = DistanceSet::new(&inv_mass, &pairs, &rests, &compliances);
        let seams = SeamSchedule {
            slot: slot_of[edges.len()..].to_vec(),
            initial: seam_initial,
            sew_time: self.sew_time,
        };
        let bends = BendSet::new(&inv_mass, &hinges, &hinge_k, &hinge_compliance);

        let tethers = if self.tethers {
            self.tethers_from_anchors(&edges)
        } else {
            TetherSet::default()
        };
        let attachments = AttachmentSet {
            vertex: self.attachments.clone(),
            from: self
                .attachments
                .iter()
                .map(|&v| self.placed[v as usize])
                .collect(),
            to: self
                .attachments
                .iter()
                .map(|&v| self.placed[v as usize])
                .collect(),
            compliance: self.attachment_compliance,
            lambda: vec![Vec3::ZERO; self.attachments.len()],
        };

        let self_collision = SelfCollision::new(
            self.self_collision_distance,
            &self.rest,
            &edges,
            &self.seams,
        );

        Ok(Cloth {
            pos: self.placed.clone(),
            prev: self.placed.clone(),
            vel: vec![Vec3::ZERO; n],
            inv_mass,
            mass,
            rest: self.rest,
            triangles: self.triangles,
            edges,
            edge_rest,
            edge_kind,
            distances,
            seams,
            bends,
            tethers,
            attachments,
            self_collision,
            fabric: self.fabric,
            settings: self.settings,
            time: 0.0,
            scratch: Scratch {
                corrections: Vec::new(),
                near: Vec::new(),
                near_offsets: Vec::new(),
                near_capsules: Vec::new(),
                capsule_motion: Vec::new(),
                clearance: vec![0.0; n],
                older: Vec::new(),
                before: Vec::new(),
                contacts: vec![crate::step::Contact::NONE; n],
                force: vec![Vec3::ZERO; n],
                pose_start: ColliderPose::default(),
                pose_from: ColliderPose::default(),
                pose_to: ColliderPose::default(),
            },
        })
    }

    fn validate(&self) -> Result<(), ClothError> {
        let n = self.rest.len();
        if self.placed.len() != n {
            return Err(ClothError::VertexCountMismatch {
                rest: n,
                placed: self.placed.len(),
            });
        }
        if self.triangles.is_empty() {
            return Err(ClothError::NoTriangles);
        }
        for (i, (r, p)) in self.rest.iter().zip(&self.placed).enumerate() {
            if !r.is_finite() || !p.is_finite() {
                return Err(ClothError::NonFinitePosition { vertex: i });
            }
        }
        let check = |what: String, index: u32| {
            if (index as usize) < n {
                Ok(())
            } else {
                Err(ClothError::VertexOutOfRange {
                    what,
                    index,
                    count: n,
                })
            }
        };
        for (t, tri) in self.triangles.iter().enumerate() {
            for &v in tri {
                check(format!("triangle {t}"), v)?;
            }
        }
        for (s, &[a, b]) in self.seams.iter().enumerate() {
            check(format!("seam {s}"), a)?;
            check(format!("seam {s}"), b)?;
            if a == b {
                return Err(ClothError::SelfSeam { seam: s, vertex: a });
            }
        }
        for (i, &p) in self.pins.iter().enumerate() {
            check(format!("pin {i}"), p)?;
        }
        let mut attached = vec![false; n];
        for (i, &v) in self.attachments.iter().enumerate() {
            check(format!("attachment {i}"), v)?;
            if std::mem::replace(&mut attached[v as usize], true) {
                return Err(ClothError::DuplicateAttachment { vertex: v });
            }
        }
        self.fabric.validate()?;
        self.settings.validate()
    }

    fn triangle_warps(&self) -> Result<Vec<Vec2>, ClothError> {
        let warps = match &self.warp {
            WarpSpec::Uniform(w) => vec![*w; self.triangles.len()],
            WarpSpec::PerTriangle(ws) => {
                if ws.len() != self.triangles.len() {
                    return Err(ClothError::WarpCountMismatch {
                        got: ws.len(),
                        triangles: self.triangles.len(),
                    });
                }
                ws.clone()
            }
        };
        warps
            .into_iter()
            .enumerate()
            .map(|(t, w)| {
                if w.is_finite() && w.length() > 1e-6 {
                    Ok(w.normalize())
                } else {
                    Err(ClothError::BadWarp { triangle: t })
                }
            })
            .collect()
    }

    /// Tethers from every pin and attachment. A multi-source label-correcting search over
    /// the rest-space edge graph (seams are zero-length edges) finds each vertex's nearest
    /// anchor; the distance is measured as a straight line in the pattern from the anchor, or
    /// from the seam vertex where the path last crossed a seam, so it is the true geodesic on
    /// a panel that is convex between the two points instead of the longer zig-zag along
    /// edges. Each reached free vertex gets one tether to its anchor.
    fn tethers_from_anchors(&self, edges: &[[u32; 2]]) -> TetherSet {
        let n = self.rest.len();
        let anchors: Vec<u32> = self.pins.iter().chain(&self.attachments).copied().collect();
        if anchors.is_empty() {
            return TetherSet::default();
        }
        let mut adjacency: Vec<Vec<(u32, bool)>> = vec![Vec::new(); n];
        for &[a, b] in edges {
            adjacency[a as usize].push((b, false));
            adjacency[b as usize].push((a, false));
        }
        for &[a, b] in &self.seams {
            adjacency[a as usize].push((b, true));
            adjacency[b as usize].push((a, true));
        }
        // Per vertex: distance, anchor, and the straight-line reference (point, offset).
        let mut dist = vec![f32::INFINITY; n];
        let mut source = vec![u32::MAX; n];
        let mut reference = vec![(Vec2::ZERO, 0.0f32); n];
        // Distances as integer micrometres so the heap can order them.
        let key = |d: f32| (d * 1e6) as u64;
        let mut heap = BinaryHeap::new();
        for &a in &anchors {
            dist[a as usize] = 0.0;
            source[a as usize] = a;
            reference[a as usize] = (self.rest[a as usize], 0.0);
            heap.push(Reverse((0u64, a)));
        }
        while let Some(Reverse((k, v))) = heap.pop() {
            if k > key(dist[v as usize]) {
                continue;
            }
            let (ref_point, ref_offset) = reference[v as usize];
            for &(u, is_seam) in &adjacency[v as usize] {
                let (candidate, new_reference) = if is_seam {
                    let d = dist[v as usize];
                    (d, (self.rest[u as usize], d))
                } else {
                    let d = ref_offset + ref_point.distance(self.rest[u as usize]);
                    (d, (ref_point, ref_offset))
                };
                if candidate + 1e-7 < dist[u as usize] {
                    dist[u as usize] = candidate;
                    source[u as usize] = source[v as usize];
                    reference[u as usize] = new_reference;
                    heap.push(Reverse((key(candidate), u)));
                }
            }
        }
        let mut is_anchor = vec![false; n];
        for &a in &anchors {
            is_anchor[a as usize] = true;
        }
        let mut tethers = TetherSet::default();
        for v in 0..n {
            if is_anchor[v] || source[v] == u32::MAX || dist[v] <= 0.0 {
                continue;
            }
            tethers.vertex.push(v as u32);
            tethers.anchor.push(source[v]);
            tethers.max_len.push(dist[v] * (1.0 + self.tether_slack));
        }
        tethers
    }
}
