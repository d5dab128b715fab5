// Shared declarations of the cloth kernels: the per-frame parameters, the per-pass range, the
// state buffers and the constraint records. The Rust side (`catwalk_cloth::gpu`) concatenates
// this file in front of the kernel files and builds one bind group per kernel holding only the
// bindings that kernel uses, with the binding numbers declared here.
//
// Positions, previous positions and the Chebyshev history are `vec4`s whose `w` is the inverse
// mass (0 = pinned), so every kernel reads a vertex and its weight in one load.

struct Params {
    gravity: vec3<f32>,
    h: f32,
    inv_h: f32,
    inv_h2: f32,
    max_speed: f32,
    // The frame length, s.
    dt: f32,
    // Totals over all members of the batch.
    vertex_count: u32,
    attachment_count: u32,
    seam_count: u32,
    member_count: u32,
    // Uniform wind velocity, m/s, and ½ ρ C_d (0 = no wind).
    wind: vec3<f32>,
    wind_coefficient: f32,
    // Self-collision: the hash cell size (the widest member's query distance) and the hash
    // table's bucket count.
    self_cell: f32,
    bucket_count: u32,
    _pad0: u32,
    _pad1: u32,
}

// One cloth of the batch (a garment): its vertex range, its colliders and signed-distance
// grids (ranges in `colliders` and `sdf_grids`), its fabric's values and its own clock.
struct Member {
    vertex_start: u32,
    vertex_count: u32,
    collider_start: u32,
    collider_count: u32,
    sdf_start: u32,
    sdf_count: u32,
    _pad0: u32,
    _pad1: u32,
    // Velocity kept per substep (exp(-damping h)), collision thickness, friction.
    decay: f32,
    thickness: f32,
    friction: f32,
    // Self-collision distance (0 = off) and the distance within which pairs are listed.
    self_distance: f32,
    self_query: f32,
    // Time at the start of the frame, s, and the time over which seams close.
    time: f32,
    sew_time: f32,
    _pad2: f32,
}

// One entry of the pass table (bound with a dynamic offset): which slice of a constraint list a
// dispatch covers, and the substep / iteration values a kernel needs.
struct Pass {
    offset: u32,
    count: u32,
    extrapolate: u32,
    _pad0: u32,
    t0: f32,
    t1: f32,
    omega: f32,
    _pad1: f32,
}

// A vertex's contact during one substep (all zero = none).
struct Contact {
    normal: vec3<f32>,
    push: f32,
    motion: vec3<f32>,
    _pad: f32,
}

struct Distance {
    a: u32,
    b: u32,
    rest: f32,
    compliance: f32,
}

struct Hinge {
    v: vec4<u32>,
    k: vec4<f32>,
    wk: vec4<f32>,
    wkk: f32,
    compliance: f32,
    _pad0: f32,
    _pad1: f32,
}

struct Tether {
    vertex: u32,
    anchor: u32,
    max_len: f32,
    _pad: f32,
}

// A seam: its slot in the distance list, its starting gap and the member it belongs to.
struct Seam {
    slot: u32,
    initial: f32,
    member: u32,
    _pad: u32,
}

// A vertex attached, with `compliance`, to a target moving from `start` to `end` across the
// frame.
struct Attachment {
    start: vec3<f32>,
    vertex: u32,
    end: vec3<f32>,
    compliance: f32,
}

// A collider at the start (a0, b0) and end (a1, b1) of the frame. a0.w holds the kind
// (0 sphere, 1 capsule, 2 plane); b0.w and b1.w the radius at the start and the end.
// Spheres use a as the centre; planes keep the normal in a1.xyz and the offset in b1.w.
struct Collider {
    a0: vec4<f32>,
    b0: vec4<f32>,
    a1: vec4<f32>,
    b1: vec4<f32>,
}

// A signed-distance grid: `dims` samples spaced `cell` apart from `origin`, stored x-fastest
// from `offset` in `sdf_values`.
struct SdfGrid {
    origin: vec3<f32>,
    cell: f32,
    dims: vec3<u32>,
    offset: u32,
}

const WORKGROUP_SIZE: u32 = 64u;

// Close vertices each vertex keeps per substep (`MAX_CLOSE` in self_collision.rs).
const MAX_CLOSE: u32 = 16u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> pos: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> prev: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> vel: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> older: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> before: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> contacts: array<Contact>;
@group(0) @binding(7) var<storage, read_write> clearance: array<f32>;
@group(0) @binding(8) var<storage, read> colliders: array<Collider>;
@group(0) @binding(9) var<storage, read_write> distances: array<Distance>;
@group(0) @binding(10) var<storage, read_write> distance_lambda: array<f32>;
@group(0) @binding(11) var<storage, read> hinges: array<Hinge>;
@group(0) @binding(12) var<storage, read_write> hinge_lambda: array<vec4<f32>>;
@group(0) @binding(13) var<storage, read> tethers: array<Tether>;

@group(0) @binding(14) var<storage, read> seams: array<Seam>;
@group(0) @binding(15) var<storage, read> attachments: array<Attachment>;
@group(0) @binding(16) var<storage, read_write> attachment_lambda: array<vec4<f32>>;
@group(0) @binding(17) var<storage, read_write> force: array<vec4<f32>>;
// Triangles (xyz = vertices) and, per vertex, the triangles around it in ascending order
// (CSR: `vertex_triangles[vertex_triangle_start[v] .. vertex_triangle_start[v + 1]]`).
@group(0) @binding(18) var<storage, read> triangles: array<vec4<u32>>;
@group(0) @binding(19) var<storage, read> vertex_triangle_start: array<u32>;
@group(0) @binding(20) var<storage, read> vertex_triangles: array<u32>;

// Self-collision: the hash table (per bucket, the last vertex inserted + 1, 0 = empty) and
// per vertex the next one in its bucket; per vertex its close vertices (MAX_CLOSE slots) and
// their count; the excluded rest-mesh neighbours (CSR, sorted); each vertex's push.
@group(0) @binding(21) var<storage, read_write> cell_head: array<atomic<u32>>;
@group(0) @binding(22) var<storage, read_write> cell_next: array<u32>;
@group(0) @binding(23) var<storage, read_write> close: array<u32>;
@group(0) @binding(24) var<storage, read_write> close_count: array<u32>;
@group(0) @binding(25) var<storage, read> exclude_start: array<u32>;
@group(0) @binding(26) var<storage, read> exclude: array<u32>;
@group(0) @binding(27) var<storage, read_write> self_delta: array<vec4<f32>>;
// Signed-distance grids and their samples.
@group(0) @binding(28) var<storage, read> sdf_grids: array<SdfGrid>;
@group(0) @binding(29) var<storage, read> sdf_values: array<f32>;
// The members of the batch, in vertex order.
@group(0) @binding(30) var<storage, read> members: array<Member>;

@group(1) @binding(0) var<uniform> pass_: Pass;

// The member holding vertex i (binary search over the members' vertex ranges).
fn member_of(i: u32) -> u32 {
    var lo = 0u;
    var hi = params.member_count;
    while hi - lo > 1u {
        let mid = (lo + hi) / 2u;
        if members[mid].vertex_start <= i {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

// glam's `lerp`: a (1 - t) + b t.
fn lerp3(a: vec3<f32>, b: vec3<f32>, t: f32) -> vec3<f32> {
    return a * (1.0 - t) + b * t;
}
