//! [`GpuError`]: why the GPU solver could not start or step, with what to do about it.

/// Why a GPU device could not be opened or the GPU solver rejected a call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GpuError {
    /// No GPU adapter at all (no Vulkan driver, not even a software one).
    #[error(
        "no GPU adapter found; install a Vulkan driver (on Debian/Ubuntu the software one: `apt-get install mesa-vulkan-drivers`)"
    )]
    NoAdapter,
    /// The adapter exists but refused to open a device.
    #[error("the GPU adapter `{adapter}` refused to open a device: {reason}")]
    RequestDevice {
        /// Adapter name.
        adapter: String,
        /// wgpu's message.
        reason: String,
    },
    /// More colliders than one GPU cloth takes ([`crate::gpu::MAX_COLLIDERS`]).
    #[error(
        "{got} colliders exceed the GPU cloth's limit of {capacity}; merge small colliders or give the cloth only those near it"
    )]
    TooManyColliders {
        /// Colliders given.
        got: usize,
        /// The most colliders one cloth takes.
        capacity: usize,
    },
    /// A batch of no cloths.
    #[error("a GPU cloth batch needs at least one cloth")]
    EmptyBatch,
    /// Batch members with different substeps, iterations or Chebyshev factor.
    #[error(
        "batch member {member} has other substeps, iterations or Chebyshev factor than member 0; give every cloth of a batch the same solver settings"
    )]
    MixedSettings {
        /// The first member that differs.
        member: usize,
    },
    /// A member index past the batch.
    #[error("no batch member {member}: the batch has {count}")]
    NoSuchMember {
        /// Index asked for.
        member: usize,
        /// Members in the batch.
        count: usize,
    },
    /// A member carried over from another batch is not the same cloth.
    #[error(
        "cannot carry a cloth of {from} vertices over into a member of {vertices}; carry each garment into its own place in the new batch"
    )]
    CarryOverMismatch {
        /// Vertices of the receiving member.
        vertices: usize,
        /// Vertices of the member carried over.
        from: usize,
    },
    /// Collider sets given for a different number of members.
    #[error("got {got} collider sets for a batch of {expected}; give one per member, in order")]
    ColliderSetCount {
        /// Sets given.
        got: usize,
        /// Members in the batch.
        expected: usize,
    },
    /// Attachment targets given for a different number of attachments.
    #[error(
        "got {got} attachment targets for {expected} attachments; give one target per attached vertex, in builder order"
    )]
    AttachmentTargetCount {
        /// Targets given.
        got: usize,
        /// Attachments in the cloth.
        expected: usize,
    },
    /// The time step is not a positive finite number of seconds.
    #[error("time step {0} s is not usable; pass a positive, finite frame time such as 1/60")]
    BadTimeStep(f32),
    /// Waiting for the GPU or mapping a read-back buffer failed.
    #[error("reading results back from the GPU failed: {0}")]
    Readback(String),
}
