//! [`GpuCloth`]: one [`Cloth`], or a batch of several (one per garment), uploaded to the GPU
//! once and stepped there by the kernels in `shaders/cloth/`, in the same order as the CPU
//! substep (step.rs): predict; self-collision lists; per iteration attachments, tethers,
//! bending colours, distance colours, Chebyshev, self-collision, collisions near colliders;
//! a full collision pass; velocities with friction. A batch packs its members one after the
//! other (layout.rs), so twelve garments cost about as many dispatches as one, and each
//! member collides with its own colliders, keeps its own fabric values and clock, and steps
//! exactly as it would alone.

use std::num::NonZeroU64;
use std::sync::Arc;

use glam::Vec3;
use wgpu::util::DeviceExt;

use crate::cloth::Cloth;
use crate::colliders::{ColliderPose, ColliderSet};
use crate::gpu::GpuError;
use crate::gpu::buffers::{self, Bytes, COLLIDER_BYTES, attachment_records};
use crate::gpu::kernel::{Kernel, KernelBuilder, Pipelines};
use crate::gpu::layout::{self, MemberRange};
use crate::sdf::SdfGrid;
use crate::self_collision::MAX_CLOSE;
use crate::settings::SolverSettings;

/// The kernels, as one WGSL module: shared declarations first.
const SHADER: &str = concat!(
    include_str!("../../../../shaders/cloth/common.wgsl"),
    include_str!("../../../../shaders/cloth/integrate.wgsl"),
    include_str!("../../../../shaders/cloth/constraints.wgsl"),
    include_str!("../../../../shaders/cloth/collide.wgsl"),
    include_str!("../../../../shaders/cloth/self_collide.wgsl"),
);

/// Threads per workgroup (`WORKGROUP_SIZE` in common.wgsl).
const WORKGROUP_SIZE: u32 = 64;

/// Colliders (spheres + capsules + planes) the collider buffer holds at first; it grows to
/// the next power of two when a frame brings more (a body with hand, foot and segmented leg
/// capsules has about 80).
const INITIAL_COLLIDERS: usize = 64;

/// Most colliders one cloth takes: every vertex tests every collider near it each iteration.
pub const MAX_COLLIDERS: usize = 4096;

/// Bytes of the WGSL `Params` uniform.
pub(crate) const PARAMS_BYTES: u64 = 80;

/// Bytes of one WGSL `Member` record.
const MEMBER_BYTES: usize = 64;

/// Bytes of one WGSL `SdfGrid` record.
const SDF_GRID_BYTES: usize = 32;

/// Bytes of one WGSL `Pass` record.
const PASS_BYTES: u64 = 32;

/// One dispatch's slice: its entry in the pass table and how many threads it needs.
#[derive(Debug, Clone, Copy)]
struct Slice {
    entry: u32,
    count: u32,
}

/// The kernels of one substep.
#[derive(Debug)]
struct Kernels {
    wind: Kernel,
    predict: Kernel,
    chebyshev: Kernel,
    update_velocities: Kernel,
    distances: Kernel,
    bends: Kernel,
    tethers: Kernel,
    attachments: Kernel,
    sew_seams: Kernel,
    collide_near: Kernel,
    collide_all: Kernel,
    hash_insert: Kernel,
    find_close: Kernel,
    self_collide_push: Kernel,
    self_collide_apply: Kernel,
}

/// The buffers the collision kernels bind, kept to rebuild those kernels when the
/// signed-distance grids change.
#[derive(Debug)]
struct CollisionBuffers {
    vel: wgpu::Buffer,
    clearance: wgpu::Buffer,
    sdf_grids: wgpu::Buffer,
    sdf_values: wgpu::Buffer,
    /// Colliders the collider buffer holds.
    collider_capacity: usize,
    /// The grids now uploaded (compared by identity).
    sdf_source: Vec<Arc<SdfGrid>>,
}

/// An asynchronous read-back under way: the staging buffer's mapping result arrives here.
type PendingRead = Arc<std::sync::Mutex<Option<Result<(), wgpu::BufferAsyncError>>>>;

/// One cloth of a batch: where its records lie and what changes per frame.
#[derive(Debug)]
struct Member {
    range: MemberRange,
    damping: f32,
    thickness: f32,
    friction: f32,
    sew_time: f32,
    self_distance: f32,
    attachment_from: Vec<Vec3>,
    attachment_to: Vec<Vec3>,
    attachment_compliance: f32,
    /// Collider pose at the end of the previous frame.
    pose_start: ColliderPose,
    time: f32,
}

/// Cloth simulated on the GPU: one [`Cloth`] ([`GpuCloth::new`]) or a batch of several
/// ([`GpuCloth::batch`]) stepped together. Its state lives in storage buffers between
/// frames; each step writes only the collider poses, the attachment targets and the frame's
/// scalars, and [`GpuCloth::read_positions`] copies positions back on demand.
#[derive(Debug)]
pub struct GpuCloth {
    device: wgpu::Device,
    queue: wgpu::Queue,
    vertex_count: u32,
    settings: SolverSettings,
    members: Vec<Member>,
    pipelines: Pipelines,
    params: wgpu::Buffer,
    member_records: wgpu::Buffer,
    pass_group: wgpu::BindGroup,
    pass_stride: u32,
    pos: wgpu::Buffer,
    prev: wgpu::Buffer,
    contacts: wgpu::Buffer,
    distance_lambda: wgpu::Buffer,
    hinge_lambda: wgpu::Buffer,
    colliders: wgpu::Buffer,
    attachments: wgpu::Buffer,
    attachment_lambda: wgpu::Buffer,
    attachment_vertex: Vec<u32>,
    seam_count: u32,
    staging: wgpu::Buffer,
    /// A read-back asked for with [`GpuCloth::request_positions`], not yet taken.
    pending: Option<PendingRead>,
    cell_head: wgpu::Buffer,
    bucket_count: u32,
    collision: CollisionBuffers,
    kernels: Kernels,
    vertices: Slice,
    tethers: Slice,
    distance_colours: Vec<Slice>,
    bend_colours: Vec<Slice>,
    substeps: Vec<Slice>,
    iterations: Vec<Slice>,
}

impl GpuCloth {
    /// Uploads `cloth` (its current state, constraints and settings) to `device`. Use the
    /// renderer's device and queue to share buffers with rendering, or [`crate::gpu::GpuContext`].
    pub fn new(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        cloth: &Cloth,
    ) -> Result<Self, GpuError> {
        Self::batch(device, queue, &[cloth])
    }

    /// Uploads several cloths as one batch, stepped together by [`GpuCloth::step_batch`]:
    /// member `m` is `cloths[m]`. They must share the substeps, iterations and Chebyshev
    /// factor; fabric values, colliders and clocks stay their own.
    pub fn batch(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        cloths: &[&Cloth],
    ) -> Result<Self, GpuError> {
        let pipelines = Pipelines::new(device, SHADER, PASS_BYTES);
        Self::build(device, queue, cloths, pipelines)
    }

    /// A new batch of `cloths` on this one's device, reusing its compiled pipelines: only
    /// buffers and bind groups are made (for a runway whose garments come and go; carry the
    /// walking ones over with [`GpuCloth::carry_over`]).
    pub fn batch_like(&self, cloths: &[&Cloth]) -> Result<Self, GpuError> {
        Self::build(&self.device, &self.queue, cloths, self.pipelines.clone())
    }

    fn build(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        cloths: &[&Cloth],
        pipelines: Pipelines,
    ) -> Result<Self, GpuError> {
        let Some(first) = cloths.first() else {
            return Err(GpuError::EmptyBatch);
        };
        let settings = first.settings;
        for (m, cloth) in cloths.iter().enumerate() {
            let s = &cloth.settings;
            if (s.substeps, s.iterations, s.chebyshev_rho.to_bits())
                != (
                    settings.substeps,
                    settings.iterations,
                    settings.chebyshev_rho.to_bits(),
                )
            {
                return Err(GpuError::MixedSettings { member: m });
            }
        }
        let packed = layout::pack(cloths);
        let n = packed.vertex_count;
        let storage = wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_DST
            | wgpu::BufferUsages::COPY_SRC;
        let init = |label: &str, mut bytes: Vec<u8>| {
            // wgpu rejects zero-sized bindings: keep one padded record in empty lists.
            if bytes.is_empty() {
                bytes.resize(64, 0);
            }
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: &bytes,
                usage: storage,
            })
        };
        let pos = init("cloth pos", packed.pos.clone());
        let prev = init("cloth prev", packed.prev);
        let vel = init("cloth vel", packed.vel);
        let older = init("cloth older", packed.pos.clone());
        let before = init("cloth before", packed.pos);
        let contacts = init("cloth contacts", vec![0; n * 32]);
        let force = init("cloth force", vec![0; n * 16]);
        let triangles = init("cloth triangles", packed.triangles);
        let vertex_triangle_start =
            init("cloth vertex triangle start", packed.vertex_triangle_start);
        let vertex_triangles = init("cloth vertex triangles", packed.vertex_triangles);
        let clearance = init("cloth clearance", packed.clearance);
        let colliders = init(
            "cloth colliders",
            vec![0; INITIAL_COLLIDERS * COLLIDER_BYTES],
        );
        let sdf_grids = init("cloth sdf grids", Vec::new());
        let sdf_values = init("cloth sdf values", Vec::new());
        let member_records = init("cloth members", vec![0; cloths.len() * MEMBER_BYTES]);
        // Self-collision: the hash table has twice as many buckets as vertices, as on the CPU.
        let bucket_count = (2 * n).max(1) as u32;
        let cell_head = init("cloth cell head", vec![0; bucket_count as usize * 4]);
        let cell_next = init("cloth cell next", vec![0; n * 4]);
        let close = init("cloth close", vec![0; n * MAX_CLOSE * 4]);
        let close_count = init("cloth close count", vec![0; n * 4]);
        let self_delta = init("cloth self delta", vec![0; n * 16]);
        let exclude_start = init("cloth exclude start", packed.exclude_start);
        let exclude = init("cloth exclude", packed.exclude);
        let distances = init("cloth distances", packed.distances);
        let distance_lambda = init("cloth distance lambda", vec![0; packed.distance_count * 4]);
        let hinges = init("cloth hinges", packed.hinges);
        let hinge_lambda = init("cloth hinge lambda", vec![0; packed.hinge_count * 16]);
        let tethers = init("cloth tethers", packed.tethers);
        let seams = init("cloth seams", packed.seams);
        let attachment_count = packed.attachment_vertex.len();
        let attachments = init("cloth attachments", vec![0; attachment_count * 32]);
        let attachment_lambda = init("cloth attachment lambda", vec![0; attachment_count * 16]);

        // The pass table: one 32-byte record per dispatch kind, at the uniform alignment.
        let pass_stride = device.limits().min_uniform_buffer_offset_alignment.max(32);
        let mut table = Bytes::default();
        let mut entries = 0u32;
        let mut add = |offset: u32, count: u32, extrapolate: u32, t0: f32, t1: f32, omega: f32| {
            table.u32(offset).u32(count).u32(extrapolate).u32(0);
            table.f32(t0).f32(t1).f32(omega).f32(0.0);
            table.pad_to(pass_stride as usize);
            entries += 1;
            Slice {
                entry: entries - 1,
                count,
            }
        };
        let n32 = n as u32;
        let vertices = add(0, n32, 0, 0.0, 0.0, 1.0);
        let tether_slice = add(0, packed.tether_count as u32, 0, 0.0, 0.0, 1.0);
        let colours =
            |ranges: &[std::ops::Range<usize>],
             add: &mut dyn FnMut(u32, u32, u32, f32, f32, f32) -> Slice| {
                ranges
                    .iter()
                    .map(|r| add(r.start as u32, r.len() as u32, 0, 0.0, 0.0, 1.0))
                    .collect::<Vec<_>>()
            };
        let distance_colours = colours(&packed.distance_colours, &mut add);
        let bend_colours = colours(&packed.bend_colours, &mut add);
        let substeps = (0..settings.substeps)
            .map(|s| {
                let t0 = s as f32 / settings.substeps as f32;
                let t1 = (s + 1) as f32 / settings.substeps as f32;
                add(0, n32, 0, t0, t1, 1.0)
            })
            .collect();
        let mut omega = 1.0f32;
        let iterations = (0..settings.iterations)
            .map(|k| {
                omega = chebyshev_weight(k, settings.chebyshev_rho, omega);
                add(0, n32, u32::from(k >= 1), 0.0, 0.0, omega)
            })
            .collect();
        let passes = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("cloth pass table"),
            contents: &table.0,
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let params = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("cloth params"),
            size: PARAMS_BYTES,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let staging = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("cloth readback"),
            size: pos.size(),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });

        let pass_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("cloth pass"),
            layout: &pipelines.pass_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: &passes,
                    offset: 0,
                    size: NonZeroU64::new(PASS_BYTES),
                }),
            }],
        });
        let builder = KernelBuilder {
            device,
            pipelines: &pipelines,
            params: &params,
        };
        const RW: bool = false;
        const RO: bool = true;
        let mr = &member_records;
        let kernels = Kernels {
            wind: builder.build(
                "accumulate_wind",
                &[
                    (1, &pos, RW),
                    (3, &vel, RW),
                    (17, &force, RW),
                    (18, &triangles, RO),
                    (19, &vertex_triangle_start, RO),
                    (20, &vertex_triangles, RO),
                ],
            ),
            predict: builder.build(
                "predict",
                &[
                    (17, &force, RW),
                    (1, &pos, RW),
                    (2, &prev, RW),
                    (3, &vel, RW),
                    (4, &older, RW),
                    (5, &before, RW),
                    (30, mr, RO),
                ],
            ),
            chebyshev: builder.build(
                "chebyshev",
                &[
                    (1, &pos, RW),
                    (4, &older, RW),
                    (5, &before, RW),
                    (6, &contacts, RW),
                ],
            ),
            update_velocities: builder.build(
                "update_velocities",
                &[
                    (1, &pos, RW),
                    (2, &prev, RW),
                    (3, &vel, RW),
                    (6, &contacts, RW),
                    (30, mr, RO),
                ],
            ),
            distances: builder.build(
                "solve_distances",
                &[
                    (1, &pos, RW),
                    (9, &distances, RW),
                    (10, &distance_lambda, RW),
                ],
            ),
            bends: builder.build(
                "solve_bends",
                &[(1, &pos, RW), (11, &hinges, RO), (12, &hinge_lambda, RW)],
            ),
            tethers: builder.build("solve_tethers", &[(1, &pos, RW), (13, &tethers, RO)]),
            attachments: builder.build(
                "solve_attachments",
                &[
                    (1, &pos, RW),
                    (15, &attachments, RO),
                    (16, &attachment_lambda, RW),
                ],
            ),
            sew_seams: builder.build(
                "sew_seams",
                &[(9, &distances, RW), (14, &seams, RO), (30, mr, RO)],
            ),
            collide_near: collide_kernel(
                &builder,
                "collide_near",
                [&pos, &contacts, &colliders, mr],
                (&vel, &clearance, &sdf_grids, &sdf_values),
            ),
            collide_all: collide_kernel(
                &builder,
                "collide_all",
                [&pos, &contacts, &colliders, mr],
                (&vel, &clearance, &sdf_grids, &sdf_values),
            ),
            hash_insert: builder.build(
                "hash_insert",
                &[(1, &pos, RW), (21, &cell_head, RW), (22, &cell_next, RW)],
            ),
            find_close: builder.build(
                "find_close",
                &[
                    (1, &pos, RW),
                    (21, &cell_head, RW),
                    (22, &cell_next, RW),
                    (23, &close, RW),
                    (24, &close_count, RW),
                    (25, &exclude_start, RO),
                    (26, &exclude, RO),
                    (30, mr, RO),
                ],
            ),
            self_collide_push: builder.build(
                "self_collide_push",
                &[
                    (1, &pos, RW),
                    (23, &close, RW),
                    (24, &close_count, RW),
                    (27, &self_delta, RW),
                    (30, mr, RO),
                ],
            ),
            self_collide_apply: builder.build(
                "self_collide_apply",
                &[(1, &pos, RW), (27, &self_delta, RW)],
            ),
        };
        let members = cloths
            .iter()
            .zip(&packed.members)
            .map(|(cloth, &range)| Member {
                range,
                damping: cloth.fabric.damping,
                thickness: cloth.fabric.thickness,
                friction: cloth.fabric.friction,
                sew_time: cloth.seams.sew_time,
                self_distance: cloth.self_collision.distance,
                attachment_from: cloth.attachments.from.clone(),
                attachment_to: cloth.attachments.to.clone(),
                attachment_compliance: cloth.attachments.compliance,
                pose_start: ColliderPose::default(),
                time: cloth.time,
            })
            .collect();
        Ok(GpuCloth {
            device: device.clone(),
            queue: queue.clone(),
            vertex_count: n32,
            settings,
            members,
            pipelines,
            params,
            member_records,
            pass_group,
            pass_stride,
            pos,
            prev,
            contacts,
            distance_lambda,
            hinge_lambda,
            colliders,
            attachments,
            attachment_lambda,
            attachment_vertex: packed.attachment_vertex,
            seam_count: packed.seam_count as u32,
            staging,
            pending: None,
            cell_head,
            bucket_count,
            collision: CollisionBuffers {
                vel,
                clearance,
                sdf_grids,
                sdf_values,
                collider_capacity: INITIAL_COLLIDERS,
                sdf_source: Vec::new(),
            },
            kernels,
            vertices,
            tethers: tether_slice,
            distance_colours,
            bend_colours,
            substeps,
            iterations,
        })
    }

    /// Vertices on the GPU (all members).
    pub fn vertex_count(&self) -> usize {
        self.vertex_count as usize
    }

    /// Cloths in the batch (1 for [`GpuCloth::new`]).
    pub fn member_count(&self) -> usize {
        self.members.len()
    }

    /// Simulated time of the first member, s.
    pub fn time(&self) -> f32 {
        self.members[0].time
    }

    /// Simulated time of member `member`, s.
    pub fn member_time(&self, member: usize) -> Option<f32> {
        self.members.get(member).map(|m| m.time)
    }

    /// Moves the attachment targets (the first member's), as
    /// [`Cloth::set_attachment_targets`].
    pub fn set_attachment_targets(&mut self, targets: &[Vec3]) -> Result<(), GpuError> {
        self.set_member_attachment_targets(0, targets)
    }

    /// Moves member `member`'s attachment targets, in its builder's order.
    pub fn set_member_attachment_targets(
        &mut self,
        member: usize,
        targets: &[Vec3],
    ) -> Result<(), GpuError> {
        let count = self.members.len();
        let m = self
            .members
            .get_mut(member)
            .ok_or(GpuError::NoSuchMember { member, count })?;
        if targets.len() != m.attachment_to.len() {
            return Err(GpuError::AttachmentTargetCount {
                got: targets.len(),
                expected: m.attachment_to.len(),
            });
        }
        m.attachment_to.copy_from_slice(targets);
        Ok(())
    }

    /// Advances the cloth by `dt` seconds on the GPU (queued; returns without waiting). Move
    /// the colliders to their end-of-frame poses first, as for [`Cloth::step`]. For a batch,
    /// use [`GpuCloth::step_batch`].
    pub fn step(&mut self, dt: f32, colliders: &ColliderSet) -> Result<(), GpuError> {
        self.step_batch(dt, &[colliders])
    }

    /// Advances every member by `dt` seconds on the GPU (queued; returns without waiting),
    /// member `m` against `colliders[m]` at its end-of-frame pose.
    pub fn step_batch(&mut self, dt: f32, colliders: &[&ColliderSet]) -> Result<(), GpuError> {
        if !(dt.is_finite() && dt > 0.0) {
            return Err(GpuError::BadTimeStep(dt));
        }
        if colliders.len() != self.members.len() {
            return Err(GpuError::ColliderSetCount {
                got: colliders.len(),
                expected: self.members.len(),
            });
        }
        let targets: Vec<&ColliderPose> = colliders.iter().map(|c| c.current()).collect();
        let count: usize = targets
            .iter()
            .map(|t| t.spheres.len() + t.capsules.len() + t.planes.len())
            .sum();
        if count > MAX_COLLIDERS {
            return Err(GpuError::TooManyColliders {
                got: count,
                capacity: MAX_COLLIDERS,
            });
        }
        self.reserve_colliders(count);
        let sdfs: Vec<Arc<SdfGrid>> = targets
            .iter()
            .flat_map(|t| t.sdfs.iter().cloned())
            .collect();
        self.upload_sdfs(&sdfs);

        let s = &self.settings;
        let h = dt / s.substeps as f32;
        let mut collider_bytes = Vec::with_capacity(count * COLLIDER_BYTES);
        let mut records = Bytes::default();
        let mut attachment_bytes = Vec::new();
        let (mut collider_start, mut sdf_start) = (0u32, 0u32);
        let (mut any_collider, mut widest_query) = (false, 0.0f32);
        for (m, target) in self.members.iter_mut().zip(&targets) {
            if !m.pose_start.same_shapes(target) || m.time == 0.0 {
                m.pose_start.clone_from(target);
            }
            collider_bytes.extend(buffers::colliders(&m.pose_start, target));
            let colliders =
                (target.spheres.len() + target.capsules.len() + target.planes.len()) as u32;
            let sdf_count = target.sdfs.len() as u32;
            any_collider |= colliders + sdf_count > 0;
            let query = SELF_QUERY_FACTOR * m.self_distance;
            widest_query = widest_query.max(query);
            let r = &m.range;
            records
                .u32(r.vertex_start)
                .u32(r.vertex_count)
                .u32(collider_start)
                .u32(colliders)
                .u32(sdf_start)
                .u32(sdf_count)
                .u32(0)
                .u32(0)
                .f32((-m.damping * h).exp())
                .f32(m.thickness)
                .f32(m.friction)
                .f32(m.self_distance)
                .f32(query)
                .f32(m.time)
                .f32(m.sew_time)
                .f32(0.0);
            let start = r.attachment_start as usize;
            let vertices = &self.attachment_vertex[start..start + r.attachment_count as usize];
            attachment_bytes.extend(attachment_records(
                vertices,
                &m.attachment_from,
                &m.attachment_to,
                m.attachment_compliance,
            ));
            collider_start += colliders;
            sdf_start += sdf_count;
        }
        if !collider_bytes.is_empty() {
            self.queue.write_buffer(&self.colliders, 0, &collider_bytes);
        }
        self.queue.write_buffer(&self.member_records, 0, &records.0);
        if !attachment_bytes.is_empty() {
            self.queue
                .write_buffer(&self.attachments, 0, &attachment_bytes);
        }
        let wind_coefficient = 0.5 * s.wind.air_density * s.wind.drag_coefficient;
        // The CPU skips the wind pass in still air; so does the GPU (the forces stay zero).
        let windy = s.wind.velocity != Vec3::ZERO && wind_coefficient != 0.0;
        let mut params = Bytes::default();
        params
            .vec4(s.gravity, h)
            .f32(1.0 / h)
            .f32(1.0 / (h * h))
            .f32(s.max_speed)
            .f32(dt)
            .u32(self.vertex_count)
            .u32(self.attachment_vertex.len() as u32)
            .u32(self.seam_count)
            .u32(self.members.len() as u32)
            .vec4(s.wind.velocity, wind_coefficient)
            .f32(widest_query)
            .u32(self.bucket_count)
            .u32(0)
            .u32(0);
        debug_assert_eq!(params.0.len() as u64, PARAMS_BYTES);
        self.queue.write_buffer(&self.params, 0, &params.0);
        let seams = self.seam_count;
        let attached = self.attachment_vertex.len() as u32;

        let collide = any_collider;
        let self_collide = widest_query > 0.0;
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("cloth step"),
            });
        for substep in &self.substeps {
            encoder.clear_buffer(&self.contacts, 0, None);
            encoder.clear_buffer(&self.distance_lambda, 0, None);
            encoder.clear_buffer(&self.hinge_lambda, 0, None);
            encoder.clear_buffer(&self.attachment_lambda, 0, None);
            if self_collide {
                encoder.clear_buffer(&self.cell_head, 0, None);
            }
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("cloth substep"),
                timestamp_writes: None,
            });
            let k = &self.kernels;
            // The kernel bound last: consecutive dispatches of one kernel (its colours) bind
            // it once.
            let mut bound = None;
            let per_substep = |count| Slice {
                entry: substep.entry,
                count,
            };
            self.dispatch(&mut pass, &mut bound, &k.sew_seams, per_substep(seams));
            if windy {
                self.dispatch(&mut pass, &mut bound, &k.wind, self.vertices);
            }
            self.dispatch(&mut pass, &mut bound, &k.predict, self.vertices);
            if self_collide {
                self.dispatch(&mut pass, &mut bound, &k.hash_insert, self.vertices);
                self.dispatch(&mut pass, &mut bound, &k.find_close, self.vertices);
            }
            for &iteration in &self.iterations {
                self.dispatch(&mut pass, &mut bound, &k.attachments, per_substep(attached));
                self.dispatch(&mut pass, &mut bound, &k.tethers, self.tethers);
                for &colour in &self.bend_colours {
                    self.dispatch(&mut pass, &mut bound, &k.bends, colour);
                }
                for &colour in &self.distance_colours {
                    self.dispatch(&mut pass, &mut bound, &k.distances, colour);
                }
                if self.settings.chebyshev_rho > 0.0 {
                    self.dispatch(&mut pass, &mut bound, &k.chebyshev, iteration);
                }
                if self_collide {
                    self.dispatch(&mut pass, &mut bound, &k.self_collide_push, self.vertices);
                    self.dispatch(&mut pass, &mut bound, &k.self_collide_apply, self.vertices);
                }
                if collide {
                    self.dispatch(&mut pass, &mut bound, &k.collide_near, *substep);
                }
            }
            if collide {
                self.dispatch(&mut pass, &mut bound, &k.collide_all, *substep);
            }
            self.dispatch(&mut pass, &mut bound, &k.update_velocities, self.vertices);
        }
        self.queue.submit([encoder.finish()]);
        for (m, target) in self.members.iter_mut().zip(&targets) {
            m.pose_start.clone_from(target);
            m.attachment_from.clone_from(&m.attachment_to);
            m.time += dt;
        }
        Ok(())
    }

    /// Uploads the colliders' signed-distance grids when they are not the ones on the GPU
    /// already, and rebinds the collision kernels to them (grids are static: once per body).
    fn upload_sdfs(&mut self, sdfs: &[Arc<SdfGrid>]) {
        let c = &mut self.collision;
        let same = c.sdf_source.len() == sdfs.len()
            && c.sdf_source
                .iter()
                .zip(sdfs)
                .all(|(a, b)| Arc::ptr_eq(a, b));
        if same {
            return;
        }
        let (records, values) = sdf_records(sdfs);
        let init = |label: &str, mut bytes: Vec<u8>| {
            if bytes.is_empty() {
                bytes.resize(64, 0);
            }
            self.device
                .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some(label),
                    contents: &bytes,
                    usage: wgpu::BufferUsages::STORAGE,
                })
        };
        c.sdf_grids = init("cloth sdf grids", records);
        c.sdf_values = init("cloth sdf values", values);
        c.sdf_source = sdfs.to_vec();
        self.rebind_collision();
    }

    /// Grows the collider buffer to hold `count` colliders (to the next power of two) and
    /// rebinds the collision kernels to it; the poses are written by every step.
    fn reserve_colliders(&mut self, count: usize) {
        if count <= self.collision.collider_capacity {
            return;
        }
        let capacity = count.next_power_of_two().min(MAX_COLLIDERS);
        self.colliders = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("cloth colliders"),
            size: (capacity * COLLIDER_BYTES) as u64,
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_DST
                | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        self.collision.collider_capacity = capacity;
        self.rebind_collision();
    }

    /// Rebuilds the two collision kernels' bind groups after a collision buffer changed.
    fn rebind_collision(&mut self) {
        let c = &self.collision;
        let builder = KernelBuilder {
            device: &self.device,
            pipelines: &self.pipelines,
            params: &self.params,
        };
        let others = (&c.vel, &c.clearance, &c.sdf_grids, &c.sdf_values);
        let core = [
            &self.pos,
            &self.contacts,
            &self.colliders,
            &self.member_records,
        ];
        self.kernels.collide_near = collide_kernel(&builder, "collide_near", core, others);
        self.kernels.collide_all = collide_kernel(&builder, "collide_all", core, others);
    }

    fn dispatch<'k>(
        &self,
        pass: &mut wgpu::ComputePass<'_>,
        bound: &mut Option<&'k Kernel>,
        kernel: &'k Kernel,
        slice: Slice,
    ) {
        if slice.count == 0 {
            return;
        }
        if !bound.is_some_and(|b| std::ptr::eq(b, kernel)) {
            pass.set_pipeline(&kernel.pipeline);
            pass.set_bind_group(0, &kernel.bind_group, &[]);
            *bound = Some(kernel);
        }
        pass.set_bind_group(1, &self.pass_group, &[slice.entry * self.pass_stride]);
        pass.dispatch_workgroups(slice.count.div_ceil(WORKGROUP_SIZE), 1, 1);
    }

    /// Blocks until every queued step has run on the GPU (for benchmarks; a renderer never
    /// needs to wait).
    pub fn wait(&self) -> Result<(), GpuError> {
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map(|_| ())
            .map_err(|err| GpuError::Readback(err.to_string()))
    }

    /// Asks for the positions after the steps queued so far, without waiting; take them with
    /// [`GpuCloth::take_member_positions`] a frame or so later. Does nothing while an earlier
    /// request is still under way (a renderer then keeps drawing the positions it has).
    pub fn request_positions(&mut self) {
        if self.pending.is_some() {
            return;
        }
        let bytes = u64::from(self.vertex_count) * 16;
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("cloth async readback"),
            });
        encoder.copy_buffer_to_buffer(&self.pos, 0, &self.staging, 0, bytes);
        self.queue.submit([encoder.finish()]);
        let slot = PendingRead::default();
        let arrived = Arc::clone(&slot);
        self.staging
            .slice(..bytes)
            .map_async(wgpu::MapMode::Read, move |result| {
                if let Ok(mut arrived) = arrived.lock() {
                    *arrived = Some(result);
                }
            });
        self.pending = Some(slot);
    }

    /// The positions asked for by [`GpuCloth::request_positions`], per member, once the GPU
    /// has them (checks without blocking); `Ok(None)` while they are not there yet or none
    /// were asked for.
    pub fn take_member_positions(&mut self) -> Result<Option<Vec<Vec<Vec3>>>, GpuError> {
        let Some(slot) = &self.pending else {
            return Ok(None);
        };
        self.device
            .poll(wgpu::PollType::Poll)
            .map_err(|err| GpuError::Readback(err.to_string()))?;
        let arrived = slot
            .lock()
            .map_err(|err| GpuError::Readback(err.to_string()))?
            .take();
        let Some(result) = arrived else {
            return Ok(None);
        };
        self.pending = None;
        result.map_err(|err| GpuError::Readback(err.to_string()))?;
        let bytes = u64::from(self.vertex_count) * 16;
        let slice = self.staging.slice(..bytes);
        let all = buffers::read_points(&slice.get_mapped_range());
        self.staging.unmap();
        Ok(Some(self.split_members(&all)))
    }

    /// Positions of all members, split per member.
    fn split_members(&self, all: &[Vec3]) -> Vec<Vec<Vec3>> {
        self.members
            .iter()
            .map(|m| {
                let start = m.range.vertex_start as usize;
                all[start..start + m.range.vertex_count as usize].to_vec()
            })
            .collect()
    }

    /// Waits for the queued steps and copies the vertex positions back, m (every member's,
    /// one after the other). Waits for an asynchronous request under way first.
    pub fn read_positions(&mut self) -> Result<Vec<Vec3>, GpuError> {
        if let Some(slot) = self.pending.take() {
            self.device
                .poll(wgpu::PollType::wait_indefinitely())
                .map_err(|err| GpuError::Readback(err.to_string()))?;
            // A mapped staging buffer is free again once it is unmapped.
            let mapped = slot.lock().is_ok_and(|r| matches!(*r, Some(Ok(()))));
            if mapped {
                self.staging.unmap();
            }
        }
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("cloth readback"),
            });
        let bytes = u64::from(self.vertex_count) * 16;
        encoder.copy_buffer_to_buffer(&self.pos, 0, &self.staging, 0, bytes);
        self.queue.submit([encoder.finish()]);
        let slice = self.staging.slice(..bytes);
        let (tx, rx) = std::sync::mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |result| {
            // The receiver waits below; a send error only means it gave up.
            let _ = tx.send(result);
        });
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|err| GpuError::Readback(err.to_string()))?;
        rx.recv()
            .map_err(|err| GpuError::Readback(err.to_string()))?
            .map_err(|err| GpuError::Readback(err.to_string()))?;
        let points = buffers::read_points(&slice.get_mapped_range());
        self.staging.unmap();
        Ok(points)
    }

    /// Waits for the queued steps and copies each member's vertex positions back, m.
    pub fn read_member_positions(&mut self) -> Result<Vec<Vec<Vec3>>, GpuError> {
        let all = self.read_positions()?;
        Ok(self.split_members(&all))
    }

    /// Takes over member `from_member` of `from` (another batch on the same device) as member
    /// `member` of this one: its positions, velocities, clearance, clock, attachment targets
    /// and collider pose, copied on the GPU. Use it when a garment joins or leaves a runway
    /// batch: build the new batch from the cloths, then carry the garments already walking
    /// over. Both members must be the same cloth (the same vertex count).
    pub fn carry_over(
        &mut self,
        member: usize,
        from: &GpuCloth,
        from_member: usize,
    ) -> Result<(), GpuError> {
        let count = self.members.len();
        let source = from
            .members
            .get(from_member)
            .ok_or(GpuError::NoSuchMember {
                member: from_member,
                count: from.members.len(),
            })?;
        let m = self
            .members
            .get_mut(member)
            .ok_or(GpuError::NoSuchMember { member, count })?;
        if m.range.vertex_count != source.range.vertex_count
            || m.attachment_to.len() != source.attachment_to.len()
        {
            return Err(GpuError::CarryOverMismatch {
                vertices: m.range.vertex_count as usize,
                from: source.range.vertex_count as usize,
            });
        }
        m.time = source.time;
        m.pose_start.clone_from(&source.pose_start);
        m.attachment_from.clone_from(&source.attachment_from);
        m.attachment_to.clone_from(&source.attachment_to);
        let (to_start, from_start) = (m.range.vertex_start, source.range.vertex_start);
        let n = u64::from(m.range.vertex_count);
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("cloth carry over"),
            });
        let pairs = [
            (&from.pos, &self.pos, 16),
            (&from.prev, &self.prev, 16),
            (&from.collision.vel, &self.collision.vel, 16),
            (&from.collision.clearance, &self.collision.clearance, 4),
        ];
        for (src, dst, stride) in pairs {
            encoder.copy_buffer_to_buffer(
                src,
                u64::from(from_start) * stride,
                dst,
                u64::from(to_start) * stride,
                n * stride,
            );
        }
        self.queue.submit([encoder.finish()]);
        Ok(())
    }
}

/// The Chebyshev weight for iteration `k` (as `chebyshev_weight` in step.rs).
fn chebyshev_weight(k: u32, rho: f32, previous: f32) -> f32 {
    match k {
        0 => 1.0,
        1 => 2.0 / (2.0 - rho * rho),
        _ => 4.0 / (4.0 - rho * rho * previous),
    }
}

/// The hash cell size for self-collision as a multiple of the collision distance (the CPU
/// substep's query: pairs found once per substep, with slack for the motion during it).
const SELF_QUERY_FACTOR: f32 = 1.5;

/// A collision kernel: positions, contacts, colliders and members, then velocities
/// (collide_near only), clearance and the signed-distance grids.
fn collide_kernel(
    builder: &KernelBuilder<'_>,
    entry: &str,
    [pos, contacts, colliders, members]: [&wgpu::Buffer; 4],
    (vel, clearance, sdf_grids, sdf_values): (
        &wgpu::Buffer,
        &wgpu::Buffer,
        &wgpu::Buffer,
        &wgpu::Buffer,
    ),
) -> Kernel {
    let mut storage = vec![
        (1, pos, false),
        (6, contacts, false),
        (7, clearance, false),
        (8, colliders, true),
        (28, sdf_grids, true),
        (29, sdf_values, true),
        (30, members, true),
    ];
    if entry == "collide_near" {
        storage.push((3, vel, false));
    }
    builder.build(entry, &storage)
}

/// WGSL `SdfGrid` records and the samples of all grids, one after the other.
fn sdf_records(grids: &[Arc<SdfGrid>]) -> (Vec<u8>, Vec<u8>) {
    let mut records = Bytes::default();
    let mut values = Bytes::default();
    let mut offset = 0u32;
    for grid in grids {
        let dims = grid.dims();
        records.vec4(grid.origin(), grid.cell());
        records.u32(dims.x).u32(dims.y).u32(dims.z).u32(offset);
        for &v in grid.values() {
            values.f32(v);
        }
        offset += grid.values().len() as u32;
    }
    debug_assert_eq!(records.0.len(), grids.len() * SDF_GRID_BYTES);
    (records.0, values.0)
}
