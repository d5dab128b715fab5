//! The GPU solver: the same XPBD algorithm as [`crate::Cloth::step`], as WGSL compute kernels
//! (`shaders/cloth/*.wgsl` at the repository root) run through wgpu.
//!
//! - [`GpuContext`]: a headless device for tests and tools; a renderer passes its own
//!   device and queue to [`GpuCloth::new`] instead (Bevy's `RenderDevice` wraps a
//!   `wgpu::Device`).
//! - [`GpuCloth`]: the cloth's arrays uploaded once into storage buffers that stay on the GPU;
//!   per frame only the collider poses and a few scalars are written, and
//!   [`GpuCloth::read_positions`] reads positions back when a renderer or test needs them.
//!   [`GpuCloth::batch`] packs several cloths (a runway's garments) into one set of buffers
//!   stepped by the same dispatches, each member against its own colliders.
//!
//! Supported: everything [`crate::Cloth::step`] does. Gravity, wind, damping and the speed
//! limit; coloured distance (stretch, shear) and bending passes with compliance and
//! multipliers; tethers; soft attachments to moving targets; seams closing over the sew time;
//! Chebyshev acceleration; pins; sphere, capsule and plane colliders with thickness,
//! interpolated across substeps, and static signed-distance grids, with friction on
//! velocities; particle self-collision on a hashed grid (built with atomics each substep).

mod buffers;
mod context;
mod error;
mod kernel;
mod layout;
mod solver;

pub use context::GpuContext;
pub use error::GpuError;
pub use solver::{GpuCloth, MAX_COLLIDERS};
