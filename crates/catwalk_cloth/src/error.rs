//! Errors a caller can get while building or driving a cloth; each message says what to fix.

/// Why a cloth could not be built or a call on it was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClothError {
    /// The rest (pattern) and placed (3D) vertex lists differ in length.
    #[error(
        "the pattern has {rest} rest vertices but {placed} placed vertices; give one 2D rest position and one 3D position per vertex"
    )]
    VertexCountMismatch {
        /// Number of 2D rest positions.
        rest: usize,
        /// Number of 3D placed positions.
        placed: usize,
    },
    /// The mesh has no triangles.
    #[error("the mesh has no triangles; a cloth needs at least one triangle")]
    NoTriangles,
    /// A triangle, seam, pin or attachment names a vertex that does not exist.
    #[error("{what} refers to vertex {index}, but the mesh has only {count} vertices")]
    VertexOutOfRange {
        /// Which input held the bad index ("triangle 4", "seam 2", ...).
        what: String,
        /// The bad index.
        index: u32,
        /// How many vertices the mesh has.
        count: usize,
    },
    /// A triangle has (nearly) zero area in the pattern plane.
    #[error(
        "triangle {triangle} has zero area in the pattern plane; remove it or fix the 2D rest positions"
    )]
    DegenerateTriangle {
        /// Index of the triangle.
        triangle: usize,
    },
    /// A per-triangle warp list of the wrong length.
    #[error(
        "got {got} warp directions for {triangles} triangles; give one per triangle or use uniform_warp"
    )]
    WarpCountMismatch {
        /// Number of warp directions given.
        got: usize,
        /// Number of triangles.
        triangles: usize,
    },
    /// A warp direction of zero length or not finite.
    #[error(
        "the warp direction of triangle {triangle} is zero or not finite; give a unit 2D vector"
    )]
    BadWarp {
        /// Index of the triangle.
        triangle: usize,
    },
    /// An input coordinate is NaN or infinite.
    #[error("vertex {vertex} has a NaN or infinite coordinate; check the pattern and placement")]
    NonFinitePosition {
        /// Index of the vertex.
        vertex: usize,
    },
    /// The same vertex is attached twice.
    #[error("vertex {vertex} is attached twice; attach each vertex to one target")]
    DuplicateAttachment {
        /// Index of the vertex.
        vertex: u32,
    },
    /// A seam joins a vertex to itself.
    #[error("seam {seam} joins vertex {vertex} to itself; a seam needs two different vertices")]
    SelfSeam {
        /// Index of the seam.
        seam: usize,
        /// The vertex.
        vertex: u32,
    },
    /// A fabric parameter is out of its physical range.
    #[error("fabric parameter {name} = {value} is invalid: {hint}")]
    BadFabric {
        /// The parameter name.
        name: &'static str,
        /// The value given.
        value: f32,
        /// What a valid value looks like.
        hint: &'static str,
    },
    /// A solver setting is out of range.
    #[error("solver setting {name} = {value} is invalid: {hint}")]
    BadSettings {
        /// The setting name.
        name: &'static str,
        /// The value given.
        value: f32,
        /// What a valid value looks like.
        hint: &'static str,
    },
    /// Attachment targets of the wrong length.
    #[error(
        "got {got} attachment targets but the cloth has {expected} attachments; pass one target per attachment, in attach order"
    )]
    AttachmentTargetCount {
        /// Number of targets given.
        got: usize,
        /// Number of attachments.
        expected: usize,
    },
    /// A frame time step that is zero, negative or not finite.
    #[error("time step {0} s is invalid; step with a positive, finite dt such as 1/60")]
    BadTimeStep(f32),
    /// A signed-distance grid that cannot be built.
    #[error("cannot build the signed-distance grid: {0}")]
    BadSdf(&'static str),
}
