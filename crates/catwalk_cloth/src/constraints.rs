//! XPBD constraint sets in flat arrays, stored in colour order, and their projections.
//!
//! Each set keeps one `Vec` per field (structure of arrays). Constraints of one colour share no
//! vertex, so a colour is solved in parallel: corrections are computed from a read-only view
//! of the positions (rayon), then added. The result is bit-identical to a serial Gauss-Seidel
//! sweep over the colour, whatever the thread count — which is also what a GPU kernel that
//! runs one dispatch per colour computes.

use std::ops::Range;

use glam::Vec3;
use rayon::prelude::*;

use crate::coloring::color_constraints;

/// Colours smaller than this are solved serially: rayon's fork-join costs more than the work.
const PARALLEL_MIN: usize = 1024;

/// Vertices per task when a colour's corrections are applied in parallel.
const APPLY_CHUNK: usize = 1024;

/// How a colour's corrections reach the vertices: for every (vertex, constraint) touch, in
/// vertex order, the constraint's slot within its colour and the weight of its correction.
/// Because a vertex is touched at most once per colour, disjoint vertex chunks can apply
/// their corrections in parallel without `unsafe`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScatterPlan {
    vertex: Vec<u32>,
    slot: Vec<u32>,
    weight: Vec<f32>,
    colours: Vec<Range<usize>>,
}

impl ScatterPlan {
    /// Builds the plan from, for each colour, the touches `(vertex, slot, weight)`.
    fn new(per_colour: Vec<Vec<(u32, u32, f32)>>) -> Self {
        let mut plan = ScatterPlan::default();
        for mut touches in per_colour {
            touches.sort_unstable_by_key(|t| t.0);
            let start = plan.vertex.len();
            for (v, slot, w) in touches {
                plan.vertex.push(v);
                plan.slot.push(slot);
                plan.weight.push(w);
            }
            plan.colours.push(start..plan.vertex.len());
        }
        plan
    }

    /// Adds `weight × corrections[slot]` to each touched vertex of colour `colour`, in
    /// parallel over vertex chunks.
    fn apply(&self, colour: usize, pos: &mut [Vec3], corrections: &[Vec3]) {
        let range = self.colours[colour].clone();
        let (vertex, slot, weight) = (
            &self.vertex[range.clone()],
            &self.slot[range.clone()],
            &self.weight[range],
        );
        pos.par_chunks_mut(APPLY_CHUNK)
            .enumerate()
            .for_each(|(chunk_index, chunk)| {
                let base = chunk_index * APPLY_CHUNK;
                let lo = vertex.partition_point(|&v| (v as usize) < base);
                let hi = vertex.partition_point(|&v| (v as usize) < base + chunk.len());
                for e in lo..hi {
                    chunk[vertex[e] as usize - base] += weight[e] * corrections[slot[e] as usize];
                }
            });
    }
}

/// Distance constraints `|x_a - x_b| = rest` with XPBD compliance: stretch, shear and seams.
#[derive(Debug, Clone, Default)]
pub(crate) struct DistanceSet {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
    pub rest: Vec<f32>,
    pub compliance: Vec<f32>,
    pub lambda: Vec<f32>,
    pub colours: Vec<Range<usize>>,
    plan: ScatterPlan,
}

impl DistanceSet {
    /// Builds the set in colour order. Returns the set and, for each input constraint, its
    /// slot in the set.
    pub fn new(
        inv_mass: &[f32],
        pairs: &[[u32; 2]],
        rest: &[f32],
        compliance: &[f32],
    ) -> (Self, Vec<usize>) {
        let (order, colours) = color_constraints(inv_mass.len(), pairs);
        let plan = ScatterPlan::new(
            colours
                .iter()
                .map(|range| {
                    order[range.clone()]
                        .iter()
                        .enumerate()
                        .flat_map(|(k, &i)| {
                            let [a, b] = pairs[i];
                            [
                                (a, k as u32, inv_mass[a as usize]),
                                (b, k as u32, -inv_mass[b as usize]),
                            ]
                        })
                        .collect()
                })
                .collect(),
        );
        let mut slot_of = vec![0usize; pairs.len()];
        for (slot, &i) in order.iter().enumerate() {
            slot_of[i] = slot;
        }
        let set = DistanceSet {
            a: order.iter().map(|&i| pairs[i][0]).collect(),
            b: order.iter().map(|&i| pairs[i][1]).collect(),
            rest: order.iter().map(|&i| rest[i]).collect(),
            compliance: order.iter().map(|&i| compliance[i]).collect(),
            lambda: vec![0.0; pairs.len()],
            colours,
            plan,
        };
        (set, slot_of)
    }

    /// One Gauss-Seidel sweep over the colours in order. (The builder colours constraints in
    /// vertex order, so on meshes numbered from their pinned edge the sweep runs away from
    /// the anchors; alternating the order was measured to stretch more.)
    pub fn solve(
        &mut self,
        pos: &mut [Vec3],
        inv_mass: &[f32],
        inv_h2: f32,
        scratch: &mut Vec<Vec3>,
    ) {
        for (c, range) in self.colours.iter().enumerate() {
            let n = range.len();
            let (a, b) = (&self.a[range.clone()], &self.b[range.clone()]);
            let (rest, compliance) = (&self.rest[range.clone()], &self.compliance[range.clone()]);
            let lambda = &mut self.lambda[range.clone()];
            if n >= PARALLEL_MIN {
                scratch.resize(n, Vec3::ZERO);
                let view: &[Vec3] = pos;
                scratch[..n]
                    .par_iter_mut()
                    .zip(lambda.par_iter_mut())
                    .enumerate()
                    .with_min_len(256)
                    .for_each(|(k, (out, lam))| {
                        let (ia, ib) = (a[k] as usize, b[k] as usize);
                        *out = distance_correction(
                            view[ia],
                            view[ib],
                            inv_mass[ia],
                            inv_mass[ib],
                            rest[k],
                            compliance[k] * inv_h2,
                            lam,
                        );
                    });
                self.plan.apply(c, pos, &scratch[..n]);
            } else {
                for k in 0..n {
                    let (ia, ib) = (a[k] as usize, b[k] as usize);
                    let p = distance_correction(
                        pos[ia],
                        pos[ib],
                        inv_mass[ia],
                        inv_mass[ib],
                        rest[k],
                        compliance[k] * inv_h2,
                        &mut lambda[k],
                    );
                    pos[ia] += inv_mass[ia] * p;
                    pos[ib] -= inv_mass[ib] * p;
                }
            }
        }
    }
}

/// The XPBD update of one distance constraint: returns `p` with `Δx_a = w_a p`,
/// `Δx_b = -w_b p`, and accumulates the multiplier.
#[inline]
fn distance_correction(
    pa: Vec3,
    pb: Vec3,
    wa: f32,
    wb: f32,
    rest: f32,
    alpha_tilde: f32,
    lambda: &mut f32,
) -> Vec3 {
    let d = pa - pb;
    let len = d.length();
    let w = wa + wb;
    if len < 1e-9 || w <= 0.0 {
        return Vec3::ZERO;
    }
    let c = len - rest;
    let dl = (-c - alpha_tilde * *lambda) / (w + alpha_tilde);
    *lambda += dl;
    d * (dl / len)
}

/// Isometric bending hinges (Bergou et al. 2006): for the two triangles on an interior edge,
/// the vector `c = Σ k_i x_i` (a discrete mean-curvature normal) is zero while the hinge is
/// as flat as the pattern. Its gradient is constant, so the XPBD update is exact in one step.
#[derive(Debug, Clone, Default)]
pub(crate) struct BendSet {
    pub v: Vec<[u32; 4]>,
    pub k: Vec<[f32; 4]>,
    /// `w_i k_i` per hinge vertex.
    pub wk: Vec<[f32; 4]>,
    /// `Σ w_i k_i²` per hinge.
    pub wkk: Vec<f32>,
    pub compliance: Vec<f32>,
    pub lambda: Vec<Vec3>,
    pub colours: Vec<Range<usize>>,
    plan: ScatterPlan,
}

impl BendSet {
    /// Builds the set in colour order. Inverse masses are folded into per-hinge weights
    /// (pins are fixed at build time), so the sweep does not look them up.
    pub fn new(inv_mass: &[f32], hinges: &[[u32; 4]], k: &[[f32; 4]], compliance: &[f32]) -> Self {
        let (order, colours) = color_constraints(inv_mass.len(), hinges);
        let wk: Vec<[f32; 4]> = order
            .iter()
            .map(|&i| {
                let mut wk = [0.0; 4];
                for ((out, &v), &ki) in wk.iter_mut().zip(&hinges[i]).zip(&k[i]) {
                    *out = inv_mass[v as usize] * ki;
                }
                wk
            })
            .collect();
        let plan = ScatterPlan::new(
            colours
                .iter()
                .map(|range| {
                    (range.clone())
                        .flat_map(|slot| {
                            let k = (slot - range.start) as u32;
                            let (vertices, weights) = (hinges[order[slot]], wk[slot]);
                            (0..4).map(move |corner| (vertices[corner], k, weights[corner]))
                        })
                        .collect()
                })
                .collect(),
        );
        BendSet {
            plan,
            v: order.iter().map(|&i| hinges[i]).collect(),
            k: order.iter().map(|&i| k[i]).collect(),
            wkk: order
                .iter()
                .zip(&wk)
                .map(|(&i, wk)| wk.iter().zip(&k[i]).map(|(a, b)| a * b).sum())
                .collect(),
            wk,
            compliance: order.iter().map(|&i| compliance[i]).collect(),
            lambda: vec![Vec3::ZERO; hinges.len()],
            colours,
        }
    }

    /// One Gauss-Seidel sweep over the colours in order.
    pub fn solve(&mut self, pos: &mut [Vec3], inv_h2: f32, scratch: &mut Vec<Vec3>) {
        for (c, range) in self.colours.iter().enumerate() {
            let n = range.len();
            let (v, k, wk) = (
                &self.v[range.clone()],
                &self.k[range.clone()],
                &self.wk[range.clone()],
            );
            let (wkk, compliance) = (&self.wkk[range.clone()], &self.compliance[range.clone()]);
            let lambda = &mut self.lambda[range.clone()];
            if n >= PARALLEL_MIN {
                scratch.resize(n, Vec3::ZERO);
                let view: &[Vec3] = pos;
                scratch[..n]
                    .par_iter_mut()
                    .zip(lambda.par_iter_mut())
                    .enumerate()
                    .with_min_len(256)
                    .for_each(|(j, (out, lam))| {
                        *out = bend_correction(
                            view,
                            &v[j],
                            &k[j],
                            wkk[j],
                            compliance[j] * inv_h2,
                            lam,
                        );
                    });
                self.plan.apply(c, pos, &scratch[..n]);
            } else {
                for j in 0..n {
                    let dl = bend_correction(
                        pos,
                        &v[j],
                        &k[j],
                        wkk[j],
                        compliance[j] * inv_h2,
                        &mut lambda[j],
                    );
                    for (&vi, &wki) in v[j].iter().zip(&wk[j]) {
                        pos[vi as usize] += wki * dl;
                    }
                }
            }
        }
    }
}

/// The XPBD update of one bending hinge: returns `Δλ` with `Δx_i = w_i k_i Δλ`.
/// `wkk` is `Σ w_i k_i²`.
#[inline]
fn bend_correction(
    pos: &[Vec3],
    v: &[u32; 4],
    k: &[f32; 4],
    wkk: f32,
    alpha_tilde: f32,
    lambda: &mut Vec3,
) -> Vec3 {
    let c = k[0] * pos[v[0] as usize]
        + k[1] * pos[v[1] as usize]
        + k[2] * pos[v[2] as usize]
        + k[3] * pos[v[3] as usize];
    let denom = wkk + alpha_tilde;
    if denom <= 0.0 {
        return Vec3::ZERO;
    }
    let dl = (-c - alpha_tilde * *lambda) / denom;
    *lambda += dl;
    dl
}

/// The cotangent weights `k` of a hinge on edge (x0, x1) with opposite vertices x2 and x3,
/// from the 2D rest positions. `Σ k_i x_i = 0` for any flat placement of the rest shape.
pub(crate) fn hinge_weights(
    x0: glam::Vec2,
    x1: glam::Vec2,
    x2: glam::Vec2,
    x3: glam::Vec2,
) -> [f32; 4] {
    let cot = |apex: glam::Vec2, p: glam::Vec2, q: glam::Vec2| {
        let (u, v) = (p - apex, q - apex);
        let cross = u.perp_dot(v).abs().max(1e-12);
        u.dot(v) / cross
    };
    let c0a = cot(x0, x1, x2);
    let c1a = cot(x1, x0, x2);
    let c0b = cot(x0, x1, x3);
    let c1b = cot(x1, x0, x3);
    [c1a + c1b, c0a + c0b, -(c0a + c1a), -(c0b + c1b)]
}

/// Long-range attachments (Kim et al. 2012): a free vertex may not move farther from its
/// nearest anchor than the rest-space geodesic distance times `1 + slack`.
#[derive(Debug, Clone, Default)]
pub(crate) struct TetherSet {
    pub vertex: Vec<u32>,
    pub anchor: Vec<u32>,
    pub max_len: Vec<f32>,
}

impl TetherSet {
    /// Projects every tether (one per vertex; anchors are never tethered, so order does not
    /// matter).
    pub fn solve(&self, pos: &mut [Vec3]) {
        for ((&v, &a), &max_len) in self.vertex.iter().zip(&self.anchor).zip(&self.max_len) {
            let d = pos[v as usize] - pos[a as usize];
            let len = d.length();
            if len > max_len {
                pos[v as usize] -= d * ((len - max_len) / len);
            }
        }
    }
}

/// Soft attachments of vertices to moving targets (a waistband to the hips).
#[derive(Debug, Clone, Default)]
pub(crate) struct AttachmentSet {
    pub vertex: Vec<u32>,
    pub from: Vec<Vec3>,
    pub to: Vec<Vec3>,
    pub compliance: f32,
    pub lambda: Vec<Vec3>,
}

impl AttachmentSet {
    /// Pulls each attached vertex toward its target interpolated at `t` across the frame.
    pub fn solve(&mut self, pos: &mut [Vec3], inv_mass: &[f32], t: f32, inv_h2: f32) {
        let alpha_tilde = self.compliance * inv_h2;
        for i in 0..self.vertex.len() {
            let v = self.vertex[i] as usize;
            let w = inv_mass[v];
            if w <= 0.0 {
                continue;
            }
            let target = self.from[i].lerp(self.to[i], t);
            let c = pos[v] - target;
            let dl = (-c - alpha_tilde * self.lambda[i]) / (w + alpha_tilde);
            self.lambda[i] += dl;
            pos[v] += w * dl;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::Vec2;

    #[test]
    fn hinge_weights_vanish_on_any_flat_placement() {
        let (x0, x1, x2, x3) = (
            Vec2::new(0.1, 0.0),
            Vec2::new(1.0, 0.2),
            Vec2::new(0.3, 0.9),
            Vec2::new(0.8, -0.7),
        );
        let k = hinge_weights(x0, x1, x2, x3);
        assert!(k.iter().sum::<f32>().abs() < 1e-5);
        // Rotated and lifted into 3D, still flat: c = 0.
        let lift = |p: Vec2| Vec3::new(p.x, 0.5 * p.y, 0.866 * p.y) + Vec3::splat(3.0);
        let c: Vec3 = [x0, x1, x2, x3]
            .iter()
            .zip(k)
            .map(|(&p, ki)| ki * lift(p))
            .sum();
        assert!(c.length() < 1e-4, "c = {c}");
        // Folded about the edge: c is not zero.
        let fold = |p: Vec3| Vec3::new(p.x, p.y, p.z + 0.5);
        let c_folded = k[0] * lift(x0) + k[1] * lift(x1) + k[2] * fold(lift(x2)) + k[3] * lift(x3);
        assert!(c_folded.length() > 0.1);
    }

    #[test]
    fn one_distance_projection_with_zero_compliance_restores_the_rest_length() {
        let mut lambda = 0.0;
        let (pa, pb) = (Vec3::ZERO, Vec3::new(2.0, 0.0, 0.0));
        let p = distance_correction(pa, pb, 1.0, 1.0, 1.0, 0.0, &mut lambda);
        let (na, nb) = (pa + p, pb - p);
        assert!(((na - nb).length() - 1.0).abs() < 1e-6);
    }
}
