//! Particle self-collision on a hashed grid (as in NvCloth, Flex and Ten Minute Physics): two
//! vertices closer than the collision distance are pushed apart, unless they are neighbours
//! in the pattern (within that distance along the rest mesh, seams included), so layered
//! parts of a garment do not pass through each other.
//!
//! Laid out for the GPU kernels in `shaders/cloth/self_collide.wgsl`, which do the same: once
//! per substep each vertex lists its close vertices (the [`MAX_CLOSE`] smallest indices, in
//! ascending order); each iteration every vertex sums its pushes from its list against the
//! positions as they were (Jacobi), then all vertices move at once.

use glam::{IVec3, Vec2, Vec3};
use rayon::prelude::*;

/// Close vertices a vertex keeps per substep (the smallest indices when there are more).
pub(crate) const MAX_CLOSE: usize = 16;

/// Vertices handled per rayon task.
const CHUNK: usize = 1024;

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
    /// Close vertices of each vertex found at the start of the substep:
    /// `close[v * MAX_CLOSE..][..close_count[v]]`, ascending.
    pub close: Vec<u32>,
    pub close_count: Vec<u32>,
    /// Each vertex's push in the current iteration.
    delta: Vec<Vec3>,
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
            close: vec![0; n * MAX_CLOSE],
            close_count: vec![0; n],
            delta: vec![Vec3::ZERO; n],
        }
    }

    /// Whether self-collision is on.
    pub fn enabled(&self) -> bool {
        self.distance > 0.0
    }

    /// The excluded neighbours as a compressed row list: start offsets (one per vertex, plus
    /// the end), then the sorted neighbour indices.
    #[cfg(feature = "gpu")]
    pub fn exclusions(&self) -> (&[u32], &[u32]) {
        (&self.exclude_start, &self.exclude)
    }

    /// Close pairs (each once, smaller index first) found at the start of the last substep.
    pub fn pair_count(&self) -> usize {
        self.close_count
            .iter()
            .enumerate()
            .map(|(a, &count)| {
                let list = &self.close[a * MAX_CLOSE..][..count as usize];
                list.iter().filter(|&&b| b as usize > a).count()
            })
            .sum()
    }

    fn excluded(&self, a: u32, b: u32) -> bool {
        let range =
            self.exclude_start[a as usize] as usize..self.exclude_start[a as usize + 1] as usize;
        self.exclude[range].binary_search(&b).is_ok()
    }

    /// Lists, for every vertex, the non-neighbouring vertices within `query` of it (not both
    /// pinned): the [`MAX_CLOSE`] smallest indices, ascending.
    pub fn find_close(&mut self, pos: &[Vec3], inv_mass: &[f32], query: f32) {
        let n = pos.len();
        let buckets = (2 * n).max(1);
        // Counting sort of vertices by bucket.
        self.bucket_start.clear();
        self.bucket_start.resize(buckets + 1, 0);
        for &p in pos {
            self.bucket_start[bucket(cell_of(p, query), buckets) + 1] += 1;
        }
        for i in 0..buckets {
            self.bucket_start[i + 1] += self.bucket_start[i];
        }
        self.sorted.clear();
        self.sorted.resize(n, 0);
        let mut fill: Vec<u32> = self.bucket_start[..buckets].to_vec();
        for (v, &p) in pos.iter().enumerate() {
            let b = bucket(cell_of(p, query), buckets);
            self.sorted[fill[b] as usize] = v as u32;
            fill[b] += 1;
        }
        let mut close = std::mem::take(&mut self.close);
        let mut close_count = std::mem::take(&mut self.close_count);
        close.resize(n * MAX_CLOSE, 0);
        close_count.resize(n, 0);
        let this = &*self;
        close
            .par_chunks_mut(MAX_CLOSE)
            .zip(close_count.par_iter_mut())
            .enumerate()
            .with_min_len(CHUNK)
            .for_each(|(a, (list, count))| {
                *count = this.close_to(a, pos, inv_mass, query, buckets, list) as u32;
            });
        self.close = close;
        self.close_count = close_count;
    }

    /// Fills `list` with vertex `a`'s close vertices; returns how many.
    fn close_to(
        &self,
        a: usize,
        pos: &[Vec3],
        inv_mass: &[f32],
        query: f32,
        buckets: usize,
        list: &mut [u32],
    ) -> usize {
        let pa = pos[a];
        let cell = cell_of(pa, query);
        let query2 = query * query;
        let mut count = 0;
        for dz in -1..=1 {
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let b = bucket(cell + IVec3::new(dx, dy, dz), buckets);
                    let range = self.bucket_start[b] as usize..self.bucket_start[b + 1] as usize;
                    for &other in &self.sorted[range] {
                        // Hash collisions are filtered by the distance test.
                        if other as usize == a
                            || (inv_mass[a] <= 0.0 && inv_mass[other as usize] <= 0.0)
                            || pa.distance_squared(pos[other as usize]) > query2
                            || self.excluded(a as u32, other)
                        {
                            continue;
                        }
                        count = insert_sorted(list, count, other);
                    }
                }
            }
        }
        count
    }

    /// One Jacobi pass: every free vertex is pushed out to the collision distance from each
    /// vertex on its list (its share `w_a / (w_a + w_b)` of the pair's correction, summed in
    /// list order against the positions before the pass); then all move together.
    pub fn solve(&mut self, pos: &mut [Vec3], inv_mass: &[f32]) {
        let distance = self.distance;
        let (close, close_count) = (&self.close, &self.close_count);
        let read: &[Vec3] = pos;
        self.delta
            .par_iter_mut()
            .enumerate()
            .with_min_len(CHUNK)
            .for_each(|(a, delta)| {
                *delta = push(
                    a,
                    read,
                    inv_mass,
                    &close[a * MAX_CLOSE..][..close_count[a] as usize],
                    distance,
                );
            });
        pos.par_iter_mut()
            .zip(self.delta.par_iter())
            .with_min_len(CHUNK)
            .for_each(|(p, &d)| *p += d);
    }
}

/// The grid cell of `p` for cells of size `query`.
fn cell_of(p: Vec3, query: f32) -> IVec3 {
    (p / query).floor().as_ivec3()
}

/// The hash bucket of a cell (as `bucket_of` in self_collide.wgsl).
fn bucket(c: IVec3, buckets: usize) -> usize {
    let h = (c.x.wrapping_mul(92_837_111))
        ^ (c.y.wrapping_mul(689_287_499))
        ^ (c.z.wrapping_mul(283_923_481));
    (h.unsigned_abs() as usize) % buckets
}

/// Inserts `v` into the ascending `list[..count]`, keeping at most `list.len()` smallest
/// values and no duplicates (neighbouring cells can share a bucket); returns the new count.
fn insert_sorted(list: &mut [u32], count: usize, v: u32) -> usize {
    let at = list[..count].partition_point(|&x| x < v);
    if at < count && list[at] == v {
        return count;
    }
    if at == list.len() {
        return count;
    }
    let count = (count + 1).min(list.len());
    list.copy_within(at..count - 1, at + 1);
    list[at] = v;
    count
}

/// Vertex `a`'s push away from the vertices of `list` (zero for pinned vertices).
fn push(a: usize, pos: &[Vec3], inv_mass: &[f32], list: &[u32], distance: f32) -> Vec3 {
    let wa = inv_mass[a];
    let mut delta = Vec3::ZERO;
    if wa <= 0.0 {
        return delta;
    }
    for &b in list {
        let b = b as usize;
        let w = wa + inv_mass[b];
        let d = pos[a] - pos[b];
        let len = d.length();
        if len >= distance || len < 1e-9 {
            continue;
        }
        delta += d * (wa * (distance - len) / (len * w));
    }
    delta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_lists_keep_the_smallest_indices_in_order_without_duplicates() {
        let mut list = [0u32; 4];
        let mut count = 0;
        for v in [9, 3, 7, 3, 1, 12, 5] {
            count = insert_sorted(&mut list, count, v);
        }
        assert_eq!(&list[..count], &[1, 3, 5, 7]);
    }
}
