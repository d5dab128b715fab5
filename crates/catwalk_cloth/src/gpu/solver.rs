//! [`GpuCloth`]: a [`Cloth`] uploaded to the GPU once and stepped there by the kernels in
//! `shaders/cloth/`, in the same order as the CPU substep (step.rs): predict; self-collision
//! lists; per iteration attachments, tethers, bending colours, distance colours, Chebyshev,
//! self-collision, collisions near colliders; a full collision pass; velocities with friction.

use std::num::NonZeroU64;
use std::sync::Arc;

use glam::Vec3;
use wgpu::util::DeviceExt;

use crate::cloth::Cloth;
use crate::colliders::{ColliderPose, ColliderSet};
use crate::gpu::GpuError;
use crate::gpu::buffers::{self, Bytes, COLLIDER_BYTES, attachment_records, triangle_fans};
use crate::gpu::kernel::{Kernel, KernelBuilder};
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

/// Colliders (spheres + capsules + planes) the collider buffer holds.
pub const MAX_COLLIDERS: usize = 64;

/// Bytes of the WGSL `Params` uniform.
pub(crate) const PARAMS_BYTES: u64 = 112;

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
    module: wgpu::ShaderModule,
    pass_layout: wgpu::BindGroupLayout,
    vel: wgpu::Buffer,
    clearance: wgpu::Buffer,
    sdf_grids: wgpu::Buffer,
    sdf_values: wgpu::Buffer,
    /// The grids now uploaded (compared by identity).
    sdf_source: Vec<Arc<SdfGrid>>,
}

/// A cloth simulated on the GPU. Its state lives in storage buffers between frames; each
/// [`GpuCloth::step`] writes only the collider poses and the frame's scalars, and
/// [`GpuCloth::read_positions`] copies positions back on demand.
#[derive(Debug)]
pub struct GpuCloth {
    device: wgpu::Device,
    queue: wgpu::Queue,
    vertex_count: u32,
    settings: SolverSettings,
    damping: f32,
    thickness: f32,
    friction: f32,
    params: wgpu::Buffer,
    pass_group: wgpu::BindGroup,
    pass_stride: u32,
    pos: wgpu::Buffer,
    contacts: wgpu::Buffer,
    distance_lambda: wgpu::Buffer,
    hinge_lambda: wgpu::Buffer,
    colliders: wgpu::Buffer,
    attachments: wgpu::Buffer,
    attachment_lambda: wgpu::Buffer,
    attachment_vertex: Vec<u32>,
    attachment_from: Vec<Vec3>,
    attachment_to: Vec<Vec3>,
    attachment_compliance: f32,
    seam_count: u32,
    sew_time: f32,
    staging: wgpu::Buffer,
    cell_head: wgpu::Buffer,
    self_distance: f32,
    bucket_count: u32,
    collision: CollisionBuffers,
    kernels: Kernels,
    vertices: Slice,
    tethers: Slice,
    distance_colours: Vec<Slice>,
    bend_colours: Vec<Slice>,
    substeps: Vec<Slice>,
    iterations: Vec<Slice>,
    pose_start: ColliderPose,
    time: f32,
}

impl GpuCloth {
    /// Uploads `cloth` (its current state, constraints and settings) to `device`. Use the
    /// renderer's device and queue to share buffers with rendering, or [`crate::gpu::GpuContext`].
    pub fn new(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        cloth: &Cloth,
    ) -> Result<Self, GpuError> {
        let n = cloth.pos.len();
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
        let inv_mass = &cloth.inv_mass;
        let pos = init("cloth pos", buffers::vertices(&cloth.pos, inv_mass));
        let prev = init("cloth prev", buffers::vertices(&cloth.prev, inv_mass));
        let vel = init("cloth vel", buffers::vertices(&cloth.vel, &vec![0.0; n]));
        let older = init("cloth older", buffers::vertices(&cloth.pos, inv_mass));
        let before = init("cloth before", buffers::vertices(&cloth.pos, inv_mass));
        let contacts = init("cloth contacts", vec![0; n * 32]);
        let force = init("cloth force", vec![0; n * 16]);
        let (triangles, vertex_triangle_start, vertex_triangles) = triangle_fans(cloth);
        let triangles = init("cloth triangles", triangles);
        let vertex_triangle_start = init("cloth vertex triangle start", vertex_triangle_start);
        let vertex_triangles = init("cloth vertex triangles", vertex_triangles);
        let mut clearance = Bytes::default();
        for &c in &cloth.scratch.clearance {
            clearance.f32(c);
        }
        let clearance = init("cloth clearance", clearance.0);
        let colliders = init("cloth colliders", vec![0; MAX_COLLIDERS * COLLIDER_BYTES]);
        let sdf_grids = init("cloth sdf grids", Vec::new());
        let sdf_values = init("cloth sdf values", Vec::new());
        // Self-collision: the hash table has twice as many buckets as vertices, as on the CPU.
        let sc = &cloth.self_collision;
        let bucket_count = (2 * n).max(1) as u32;
        let cell_head = init("cloth cell head", vec![0; bucket_count as usize * 4]);
        let cell_next = init("cloth cell next", vec![0; n * 4]);
        let close = init("cloth close", vec![0; n * MAX_CLOSE * 4]);
        let close_count = init("cloth close count", vec![0; n * 4]);
        let self_delta = init("cloth self delta", vec![0; n * 16]);
        let (start, list) = sc.exclusions();
        let words = |values: &[u32]| {
            let mut b = Bytes::default();
            for &v in values {
                b.u32(v);
            }
            b.0
        };
        let exclude_start = init("cloth exclude start", words(start));
        let exclude = init("cloth exclude", words(list));

        let d = &cloth.distances;
        let mut distances = Bytes::default();
        for k in 0..d.a.len() {
            distances
                .u32(d.a[k])
                .u32(d.b[k])
                .f32(d.rest[k])
                .f32(d.compliance[k]);
        }
        let distances = init("cloth distances", distances.0);
        let distance_lambda = init("cloth distance lambda", vec![0; d.a.len() * 4]);
        let b = &cloth.bends;
        let mut hinges = Bytes::default();
        for j in 0..b.v.len() {
            for &v in &b.v[j] {
                hinges.u32(v);
            }
            for &k in b.k[j].iter().chain(&b.wk[j]) {
                hinges.f32(k);
            }
            hinges.f32(b.wkk[j]).f32(b.compliance[j]).f32(0.0).f32(0.0);
        }
        let hinges = init("cloth hinges", hinges.0);
        let hinge_lambda = init("cloth hinge lambda", vec![0; b.v.len() * 16]);
        let t = &cloth.tethers;
        let mut tethers = Bytes::default();
        for i in 0..t.vertex.len() {
            tethers
                .u32(t.vertex[i])
                .u32(t.anchor[i])
                .f32(t.max_len[i])
                .f32(0.0);
        }
        let tethers = init("cloth tethers", tethers.0);
        let mut seams = Bytes::default();
        for (&slot, &initial) in cloth.seams.slot.iter().zip(&cloth.seams.initial) {
            seams.u32(slot as u32).f32(initial);
        }
        let seams = init("cloth seams", seams.0);
        let at = &cloth.attachments;
        let attachments = init(
            "cloth attachments",
            attachment_records(&at.vertex, &at.from, &at.to),
        );
        let attachment_lambda = init("cloth attachment lambda", vec![0; at.vertex.len() * 16]);

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
        let tether_slice = add(0, t.vertex.len() as u32, 0, 0.0, 0.0, 1.0);
        let colours =
            |ranges: &[std::ops::Range<usize>],
             add: &mut dyn FnMut(u32, u32, u32, f32, f32, f32) -> Slice| {
                ranges
                    .iter()
                    .map(|r| add(r.start as u32, r.len() as u32, 0, 0.0, 0.0, 1.0))
                    .collect::<Vec<_>>()
            };
        let distance_colours = colours(&d.colours, &mut add);
        let bend_colours = colours(&b.colours, &mut add);
        let settings = cloth.settings;
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

        let pass_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("cloth pass"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: true,
                    min_binding_size: NonZeroU64::new(PASS_BYTES),
                },
                count: None,
            }],
        });
        let pass_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("cloth pass"),
            layout: &pass_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: &passes,
                    offset: 0,
                    size: NonZeroU64::new(PASS_BYTES),
                }),
            }],
        });
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("cloth kernels"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let builder = KernelBuilder {
            device,
            module: &module,
            pass_layout: &pass_layout,
            params: &params,
        };
        const RW: bool = false;
        const RO: bool = true;
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
            sew_seams: builder.build("sew_seams", &[(9, &distances, RW), (14, &seams, RO)]),
            collide_near: collide_kernel(
                &builder,
                "collide_near",
                [&pos, &contacts, &colliders],
                (&vel, &clearance, &sdf_grids, &sdf_values),
            ),
            collide_all: collide_kernel(
                &builder,
                "collide_all",
                [&pos, &contacts, &colliders],
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
                ],
            ),
            self_collide_push: builder.build(
                "self_collide_push",
                &[
                    (1, &pos, RW),
                    (23, &close, RW),
                    (24, &close_count, RW),
                    (27, &self_delta, RW),
                ],
            ),
            self_collide_apply: builder.build(
                "self_collide_apply",
                &[(1, &pos, RW), (27, &self_delta, RW)],
            ),
        };
        Ok(GpuCloth {
            device: device.clone(),
            queue: queue.clone(),
            vertex_count: n32,
            settings,
            damping: cloth.fabric.damping,
            thickness: cloth.fabric.thickness,
            friction: cloth.fabric.friction,
            params,
            pass_group,
            pass_stride,
            pos,
            contacts,
            distance_lambda,
            hinge_lambda,
            colliders,
            attachments,
            attachment_lambda,
            attachment_vertex: at.vertex.clone(),
            attachment_from: at.from.clone(),
            attachment_to: at.to.clone(),
            attachment_compliance: at.compliance,
            seam_count: cloth.seams.slot.len() as u32,
            sew_time: cloth.seams.sew_time,
            staging,
            cell_head,
            self_distance: sc.distance,
            bucket_count,
            collision: CollisionBuffers {
                module,
                pass_layout,
                vel,
                clearance,
                sdf_grids,
                sdf_values,
                sdf_source: Vec::new(),
            },
            kernels,
            vertices,
            tethers: tether_slice,
            distance_colours,
            bend_colours,
            substeps,
            iterations,
            pose_start: cloth.scratch.pose_start.clone(),
            time: cloth.time,
        })
    }

    /// Number of vertices.
    pub fn vertex_count(&self) -> usize {
        self.vertex_count as usize
    }

    /// Simulated time since the cloth was built, s.
    pub fn time(&self) -> f32 {
        self.time
    }

    /// Sets where each attachment's target will be at the end of the next step, in the order
    /// the attachments were given to the builder (as [`Cloth::set_attachment_targets`]).
    pub fn set_attachment_targets(&mut self, targets: &[Vec3]) -> Result<(), GpuError> {
        if targets.len() != self.attachment_to.len() {
            return Err(GpuError::AttachmentTargetCount {
                got: targets.len(),
                expected: self.attachment_to.len(),
            });
        }
        self.attachment_to.copy_from_slice(targets);
        Ok(())
    }

    /// Advances the cloth by `dt` seconds on the GPU (queued; returns without waiting). Move
    /// the colliders to their end-of-frame poses first, as for [`Cloth::step`].
    pub fn step(&mut self, dt: f32, colliders: &ColliderSet) -> Result<(), GpuError> {
        if !(dt.is_finite() && dt > 0.0) {
            return Err(GpuError::BadTimeStep(dt));
        }
        let target = colliders.current();
        self.upload_sdfs(&target.sdfs);
        let sdf_count = target.sdfs.len() as u32;
        let count = target.spheres.len() + target.capsules.len() + target.planes.len();
        if count > MAX_COLLIDERS {
            return Err(GpuError::TooManyColliders {
                got: count,
                capacity: MAX_COLLIDERS,
            });
        }
        if !self.pose_start.same_shapes(target) || self.time == 0.0 {
            self.pose_start.clone_from(target);
        }
        if count > 0 {
            self.queue.write_buffer(
                &self.colliders,
                0,
                &buffers::colliders(&self.pose_start, target),
            );
        }
        let s = &self.settings;
        let wind_coefficient = 0.5 * s.wind.air_density * s.wind.drag_coefficient;
        // The CPU skips the wind pass in still air; so does the GPU (the forces stay zero).
        let windy = s.wind.velocity != Vec3::ZERO && wind_coefficient != 0.0;
        let h = dt / s.substeps as f32;
        let mut params = Bytes::default();
        params
            .vec4(s.gravity, h)
            .f32(1.0 / h)
            .f32(1.0 / (h * h))
            .f32((-self.damping * h).exp())
            .f32(s.max_speed)
            .f32(self.thickness)
            .f32(self.friction)
            .u32(self.vertex_count)
            .u32(count as u32)
            .f32(self.time)
            .f32(dt)
            .f32(self.sew_time)
            .f32(self.attachment_compliance)
            .u32(self.attachment_vertex.len() as u32)
            .u32(self.seam_count)
            .u32(0)
            .u32(0)
            .vec4(s.wind.velocity, wind_coefficient)
            .f32(self.self_distance)
            .f32(SELF_QUERY_FACTOR * self.self_distance)
            .u32(self.bucket_count)
            .u32(sdf_count);
        self.queue.write_buffer(&self.params, 0, &params.0);
        if !self.attachment_vertex.is_empty() {
            self.queue.write_buffer(
                &self.attachments,
                0,
                &attachment_records(
                    &self.attachment_vertex,
                    &self.attachment_from,
                    &self.attachment_to,
                ),
            );
        }
        let seams = self.seam_count;
        let attached = self.attachment_vertex.len() as u32;

        let collide = count > 0 || sdf_count > 0;
        let self_collide = self.self_distance > 0.0;
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
            let per_substep = |count| Slice {
                entry: substep.entry,
                count,
            };
            self.dispatch(&mut pass, &k.sew_seams, per_substep(seams));
            if windy {
                self.dispatch(&mut pass, &k.wind, self.vertices);
            }
            self.dispatch(&mut pass, &k.predict, self.vertices);
            if self_collide {
                self.dispatch(&mut pass, &k.hash_insert, self.vertices);
                self.dispatch(&mut pass, &k.find_close, self.vertices);
            }
            for &iteration in &self.iterations {
                self.dispatch(&mut pass, &k.attachments, per_substep(attached));
                self.dispatch(&mut pass, &k.tethers, self.tethers);
                for &colour in &self.bend_colours {
                    self.dispatch(&mut pass, &k.bends, colour);
                }
                for &colour in &self.distance_colours {
                    self.dispatch(&mut pass, &k.distances, colour);
                }
                if self.settings.chebyshev_rho > 0.0 {
                    self.dispatch(&mut pass, &k.chebyshev, iteration);
                }
                if self_collide {
                    self.dispatch(&mut pass, &k.self_collide_push, self.vertices);
                    self.dispatch(&mut pass, &k.self_collide_apply, self.vertices);
                }
                if collide {
                    self.dispatch(&mut pass, &k.collide_near, *substep);
                }
            }
            if collide {
                self.dispatch(&mut pass, &k.collide_all, *substep);
            }
            self.dispatch(&mut pass, &k.update_velocities, self.vertices);
        }
        self.queue.submit([encoder.finish()]);
        self.pose_start.clone_from(target);
        self.attachment_from.clone_from(&self.attachment_to);
        self.time += dt;
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
        let builder = KernelBuilder {
            device: &self.device,
            module: &c.module,
            pass_layout: &c.pass_layout,
            params: &self.params,
        };
        let others = (&c.vel, &c.clearance, &c.sdf_grids, &c.sdf_values);
        let core = [&self.pos, &self.contacts, &self.colliders];
        self.kernels.collide_near = collide_kernel(&builder, "collide_near", core, others);
        self.kernels.collide_all = collide_kernel(&builder, "collide_all", core, others);
    }

    fn dispatch(&self, pass: &mut wgpu::ComputePass<'_>, kernel: &Kernel, slice: Slice) {
        if slice.count == 0 {
            return;
        }
        pass.set_pipeline(&kernel.pipeline);
        pass.set_bind_group(0, &kernel.bind_group, &[]);
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

    /// Waits for the queued steps and copies the vertex positions back, m.
    pub fn read_positions(&self) -> Result<Vec<Vec3>, GpuError> {
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

/// A collision kernel: positions, contacts and colliders, then velocities (collide_near only),
/// clearance and the signed-distance grids.
fn collide_kernel(
    builder: &KernelBuilder<'_>,
    entry: &str,
    [pos, contacts, colliders]: [&wgpu::Buffer; 3],
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
