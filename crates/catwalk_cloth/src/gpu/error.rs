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
    /// More colliders than the collider buffer was sized for.
    #[error(
        "{got} colliders exceed the GPU cloth's capacity of {capacity}; build the GpuCloth with a larger collider capacity"
    )]
    TooManyColliders {
        /// Colliders given.
        got: usize,
        /// Capacity of the collider buffer.
        capacity: usize,
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
