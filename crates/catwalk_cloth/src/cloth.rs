//! The [`Cloth`]: simulation state in flat arrays (positions, previous positions, velocities,
//! inverse masses) plus its coloured constraint sets, and read access for renderers and tests.

use glam::{Vec2, Vec3};

use crate::colliders::ColliderPose;
use crate::constraints::{AttachmentSet, BendSet, DistanceSet, TetherSet};
use crate::error::ClothError;
use crate::fabric::FabricParams;
use crate::self_collision::SelfCollision;
use crate::settings::SolverSettings;

/// Which material direction a mesh edge runs along in the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Along the warp (lengthwise grain).
    Warp,
    /// Along the weft (crosswise grain).
    Weft,
    /// On the bias: resists shear.
    Shear,
}

/// Seams: their slots in the distance set and their starting gaps.
#[derive(Debug, Clone, Default)]
pub(crate) struct SeamSchedule {
    pub slot: Vec<usize>,
    pub initial: Vec<f32>,
    pub sew_time: f32,
}

/// Reused buffers so a step does not allocate.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    pub corrections: Vec<Vec3>,
    pub near: Vec<u32>,
    /// For each vertex in `near`, the capsules it may touch during the substep: indices
    /// into `near_capsules` from `near_offsets[k]` to `near_offsets[k + 1]`.
    pub near_offsets: Vec<u32>,
    pub near_capsules: Vec<u32>,
    /// How far each capsule's ends move over the substep, m.
    pub capsule_motion: Vec<f32>,
    /// Distance to the nearest collider after the last full collision pass (0 = unknown).
    pub clearance: Vec<f32>,
    pub older: Vec<Vec3>,
    pub before: Vec<Vec3>,
    pub contacts: Vec<crate::step::Contact>,
    pub force: Vec<Vec3>,
    /// Collider pose at the end of this cloth's previous step.
    pub pose_start: ColliderPose,
    pub pose_from: ColliderPose,
    pub pose_to: ColliderPose,
}

/// Counts describing a built cloth (for logs and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClothStats {
    /// Vertices.
    pub vertices: usize,
    /// Triangles.
    pub triangles: usize,
    /// Distance constraints (stretch, shear and seams).
    pub distance_constraints: usize,
    /// Colours of the distance constraints.
    pub distance_colours: usize,
    /// Bending hinges.
    pub bend_constraints: usize,
    /// Colours of the bending hinges.
    pub bend_colours: usize,
    /// Tethers.
    pub tethers: usize,
    /// Attachments.
    pub attachments: usize,
    /// Self-collision pairs found in the last substep.
    pub self_collision_pairs: usize,
}

/// A simulated piece of cloth. Build one with [`crate::ClothBuilder`], advance it with
/// [`Cloth::step`], read [`Cloth::positions`].
#[derive(Debug, Clone)]
pub struct Cloth {
    pub(crate) pos: Vec<Vec3>,
    pub(crate) prev: Vec<Vec3>,
    pub(crate) vel: Vec<Vec3>,
    pub(crate) inv_mass: Vec<f32>,
    pub(crate) mass: Vec<f32>,
    pub(crate) rest: Vec<Vec2>,
    pub(crate) triangles: Vec<[u32; 3]>,
    pub(crate) edges: Vec<[u32; 2]>,
    pub(crate) edge_rest: Vec<f32>,
    pub(crate) edge_kind: Vec<EdgeKind>,
    pub(crate) distances: DistanceSet,
    pub(crate) seams: SeamSchedule,
    pub(crate) bends: BendSet,
    pub(crate) tethers: TetherSet,
    pub(crate) attachments: AttachmentSet,
    pub(crate) self_collision: SelfCollision,
    pub(crate) fabric: FabricParams,
    pub(crate) settings: SolverSettings,
    pub(crate) time: f32,
    pub(crate) scratch: Scratch,
}

impl Cloth {
    /// Current vertex positions, m.
    pub fn positions(&self) -> &[Vec3] {
        &self.pos
    }

    /// Current vertex velocities, m/s.
    pub fn velocities(&self) -> &[Vec3] {
        &self.vel
    }

    /// Vertex masses, kg (pinned vertices keep their mass here; see [`Cloth::inverse_masses`]).
    pub fn masses(&self) -> &[f32] {
        &self.mass
    }

    /// Inverse masses, 1/kg; zero for pinned vertices.
    pub fn inverse_masses(&self) -> &[f32] {
        &self.inv_mass
    }

    /// Rest positions in the pattern plane, m.
    pub fn rest_positions(&self) -> &[Vec2] {
        &self.rest
    }

    /// Triangles (vertex indices).
    pub fn triangles(&self) -> &[[u32; 3]] {
        &self.triangles
    }

    /// Unique mesh edges (vertex index pairs, smaller first).
    pub fn edges(&self) -> &[[u32; 2]] {
        &self.edges
    }

    /// Rest length of each edge of [`Cloth::edges`], m.
    pub fn edge_rest_lengths(&self) -> &[f32] {
        &self.edge_rest
    }

    /// Material direction of each edge of [`Cloth::edges`].
    pub fn edge_kinds(&self) -> &[EdgeKind] {
        &self.edge_kind
    }

    /// The seams: the vertex pairs pulled together and then held, in the order given to the
    /// builder.
    pub fn seam_pairs(&self) -> Vec<[u32; 2]> {
        self.seams
            .slot
            .iter()
            .map(|&s| [self.distances.a[s], self.distances.b[s]])
            .collect()
    }

    /// The vertices attached to moving targets, in the order of
    /// [`Cloth::set_attachment_targets`].
    pub fn attached_vertices(&self) -> &[u32] {
        &self.attachments.vertex
    }

    /// Number of vertices.
    pub fn vertex_count(&self) -> usize {
        self.pos.len()
    }

    /// Simulated time since the cloth was built, s.
    pub fn time(&self) -> f32 {
        self.time
    }

    /// The fabric parameters.
    pub fn fabric(&self) -> &FabricParams {
        &self.fabric
    }

    /// The solver settings.
    pub fn settings(&self) -> &SolverSettings {
        &self.settings
    }

    /// Replaces the solver settings (e.g. to change the wind) after validating them.
    pub fn set_settings(&mut self, settings: SolverSettings) -> Result<(), ClothError> {
        settings.validate()?;
        self.settings = settings;
        Ok(())
    }

    /// Sets where each attachment's target will be at the end of the next step, in the order
    /// the attachments were given to the builder.
    pub fn set_attachment_targets(&mut self, targets: &[Vec3]) -> Result<(), ClothError> {
        if targets.len() != self.attachments.to.len() {
            return Err(ClothError::AttachmentTargetCount {
                got: targets.len(),
                expected: self.attachments.to.len(),
            });
        }
        self.attachments.to.copy_from_slice(targets);
        Ok(())
    }

    /// Counts of vertices, constraints and colours.
    pub fn stats(&self) -> ClothStats {
        ClothStats {
            vertices: self.pos.len(),
            triangles: self.triangles.len(),
            distance_constraints: self.distances.a.len(),
            distance_colours: self.distances.colours.len(),
            bend_constraints: self.bends.v.len(),
            bend_colours: self.bends.colours.len(),
            tethers: self.tethers.vertex.len(),
            attachments: self.attachments.vertex.len(),
            self_collision_pairs: self.self_collision.pair_count(),
        }
    }
}
