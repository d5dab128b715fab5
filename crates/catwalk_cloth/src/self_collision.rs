//! Particle self-collision on a hashed grid (as in NvCloth, Flex and Ten Minute Physics): two
//! vertices closer than the collision distance are pushed apart, unless they are neighbours
//! in the pattern (within that distance along the rest mesh, seams included), so layered
//! parts of a garment do not pass through each other.

use glam::{IVec3, Vec2, Vec3};

/// Self-collision state: the distance, the excluded neighbours and the per-substep pairs.
#[derive(Debug, Clone, Default)]
pub(crate) struct SelfCollision {
    /// Minimum distance between two non-neighbouring vertices, m (0 = off).
    pub distance: f32,
    /// Neighbours of each vertex in the rest mesh (CSR: `exclude[start[v]..start[v + 1]]`).
    exclude_start: Vec<u32>,
    exclude: Vec<u32>,
    /// Hash table: for each bucket the range of `sorted` holding its vertices.
    bucket_start: Vec<u32>,
    sorted: Vec<u32>,
    /// Close pairs found at the start of the substep.
    pub pairs: Vec<[u32; 2]>,
}

impl SelfCollision {
    /// Prepares self-collision at `distance`, excluding vertex pairs whose rest-mesh path
    /// (edges and seams) is shorter than twice the distance.
    pub fn new(distance: f32, rest: &[Vec2], edges: &[[u32; 2]], seams: &[[u32; 2]]) -> Self {
        let n = rest.len();
        if distance <= 0.0 {
            return SelfCollision::default();
        }
        let mut adjacency: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
        for &[a, b] in edges {
            let len = rest[a as usize].distance(rest[b as usize]);
            adjacency[a as usize].push((b, len));
            adjacency[b as usize].push((a, len));
        }
        for &[a, b] in seams {
            adjacency[a as usize].push((b, 0.0));
            adjacency[b as usize].push((a, 0.0));
        }
        let reach = 2.0 * distance;
        let mut exclude_start = Vec::with_capacity(n + 1);
        let mut exclude = Vec::new();
        let mut best = vec![f32::INFINITY; n];
        let mut touched = Vec::new();
        let mut stack = Vec::new();
        for v in 0..n {
            exclude_start.push(exclude.len() as u32);
            // Bounded search from v (label-correcting; the neighbourhoods are tiny).
            best[v] = 0.0;
            touched.push(v);
            stack.push(v as u32);
            while let Some(u) = stack.pop() {
                let du = best[u as usize];
                for &(w, len) in &adjacency[u as usize] {
                    let d = du + len;
                    if d < reach && d < best[w as usize] {
                        if best[w as usize].is_infinite() {
                            touched.push(w as usize);
                        }
                        best[w as usize] = d;
                        stack.push(w);
                    }
                }
            }
            let first = exclude.len();
            for &t in &touched {
                if t != v {
                    exclude.push(t as u32);
                }
                best[t] = f32::INFINITY;
            }
            exclude[first..].sort_unstable();
            touched.clear();
        }
        exclude_start.push(exclude.len() as u32);
        SelfCollision {
            distance,
            exclude_start,
            exclude,
            bucket_start: Vec::new(),
            sorted: Vec::new(),
            pairs: Vec::new(),
        }
    }

    /// Whether self-collision is on.
    pub fn enabled(&self) -> bool {
        self.distance > 0.0
    }

    fn excluded(&self, a: u32, b: u32) -> bool {
        let range =
            self.exclude_start[a as usize] as usize..self.exclude_start[a as usize + 1] as usize;
        self.exclude[range].binary_search(&b).is_ok()
    }

    /// Finds every pair of free, non-neighbouring vertices within `query` of each other.
    pub fn find_pairs(&mut self, pos: &[Vec3], inv_mass: &[f32], query: f32) {
        let n = pos.len();
        let buckets = (2 * n).max(1);
        let cell_of = |p: Vec3| (p / query).floor().as_ivec3();
        let hash = |c: IVec3| {
            let h = (c.x.wrapping_mul(92_837_111))
                ^ (c.y.wrapping_mul(689_287_499))
                ^ (c.z.wrapping_mul(283_923_481));
            (h.unsigned_abs() as usize) % buckets
        };
        // Counting sort of vertices by bucket.
        self.bucket_start.clear();
        self.bucket_start.resize(buckets + 1, 0);
        for &p in pos {
            self.bucket_start[hash(cell_of(p)) + 1] += 1;
        }
        for i in 0..buckets {
            self.bucket_start[i + 1] += self.bucket_start[i];
        }
        self.sorted.clear();
        self.sorted.resize(n, 0);
        let mut fill: Vec<u32> = self.bucket_start[..buckets].to_vec();
        for (v, &p) in pos.iter().enumerate() {
            let b = hash(cell_of(p));
            self.sorted[fill[b] as usize] = v as u32;
            fill[b] += 1;
        }
        self.pairs.clear();
        let query2 = query * query;
        for (a, &pa) in pos.iter().enumerate() {
            let cell = cell_of(pa);
            for dz in -1..=1 {
                for dy in -1..=1 {
                    for dx in -1..=1 {
                        let b = hash(cell + IVec3::new(dx, dy, dz));
                        for &other in &self.sorted
                            [self.bucket_start[b] as usize..self.bucket_start[b + 1] as usize]
                        {
                            // Each pair once, from its smaller index; hash collisions are
                            // filtered by the distance test.
                            if other as usize <= a
                                || (inv_mass[a] <= 0.0 && inv_mass[other as usize] <= 0.0)
                                || pa.distance_squared(pos[other as usize]) > query2
                                || self.excluded(a as u32, other)
                            {
                                continue;
                            }
                            self.pairs.push([a as u32, other]);
                        }
                    }
                }
            }
        }
        // Neighbouring cells can share a bucket: drop the duplicates.
        self.pairs.sort_unstable();
        self.pairs.dedup();
    }

    /// Pushes each close pair apart to the collision distance (Gauss-Seidel, in pair order).
    pub fn solve(&self, pos: &mut [Vec3], inv_mass: &[f32]) {
        for &[a, b] in &self.pairs {
            let (a, b) = (a as usize, b as usize);
            let w = inv_mass[a] + inv_mass[b];
            let d = pos[a] - pos[b];
            let len = d.length();
            if w <= 0.0 || len >= self.distance || len < 1e-9 {
                continue;
            }
            let correction = d * ((self.distance - len) / (len * w));
            pos[a] += inv_mass[a] * correction;
            pos[b] -= inv_mass[b] * correction;
        }
    }
}
