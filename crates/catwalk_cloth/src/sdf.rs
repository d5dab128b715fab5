//! A signed-distance grid for a static body mesh: distances sampled on a regular grid,
//! read back with trilinear interpolation; negative inside. Built from a closed triangle
//! mesh (brute-force distance, sign from the generalized winding number) or from a function.

use glam::{UVec3, Vec3};

use crate::colliders::SurfacePoint;
use crate::error::ClothError;

/// Signed distances on a regular grid of `dims` samples spaced `cell` apart from `origin`.
#[derive(Debug, Clone, PartialEq)]
pub struct SdfGrid {
    origin: Vec3,
    cell: f32,
    dims: UVec3,
    values: Vec<f32>,
}

impl SdfGrid {
    /// Samples `distance` at every grid point.
    pub fn from_fn(
        origin: Vec3,
        cell: f32,
        dims: UVec3,
        distance: impl Fn(Vec3) -> f32,
    ) -> Result<Self, ClothError> {
        if !(cell.is_finite() && cell > 0.0) || dims.min_element() < 2 || !origin.is_finite() {
            return Err(ClothError::BadSdf(
                "use a positive cell size, a finite origin and at least 2 samples per axis",
            ));
        }
        let count = dims.x as usize * dims.y as usize * dims.z as usize;
        if count > 64 << 20 {
            return Err(ClothError::BadSdf(
                "the grid has more than 64 M samples; use a larger cell size",
            ));
        }
        let mut values = Vec::with_capacity(count);
        for z in 0..dims.z {
            for y in 0..dims.y {
                for x in 0..dims.x {
                    values.push(distance(origin + cell * UVec3::new(x, y, z).as_vec3()));
                }
            }
        }
        Ok(SdfGrid {
            origin,
            cell,
            dims,
            values,
        })
    }

    /// The signed distance field of a closed triangle mesh, on a grid of spacing `cell` that
    /// covers the mesh's bounding box grown by `padding`. Cost: samples × triangles.
    pub fn from_triangle_mesh(
        vertices: &[Vec3],
        triangles: &[[u32; 3]],
        cell: f32,
        padding: f32,
    ) -> Result<Self, ClothError> {
        if triangles.is_empty() {
            return Err(ClothError::BadSdf("the body mesh has no triangles"));
        }
        let mut corners = Vec::with_capacity(triangles.len());
        for tri in triangles {
            let mut abc = [Vec3::ZERO; 3];
            for (slot, &i) in abc.iter_mut().zip(tri) {
                *slot = *vertices.get(i as usize).ok_or(ClothError::BadSdf(
                    "a body triangle refers to a missing vertex",
                ))?;
            }
            corners.push(abc);
        }
        let (mut lo, mut hi) = (Vec3::splat(f32::INFINITY), Vec3::splat(f32::NEG_INFINITY));
        for abc in &corners {
            for &p in abc {
                lo = lo.min(p);
                hi = hi.max(p);
            }
        }
        let origin = lo - Vec3::splat(padding.max(0.0));
        let extent = hi + Vec3::splat(padding.max(0.0)) - origin;
        let dims = (extent / cell).ceil().as_uvec3() + UVec3::ONE;
        Self::from_fn(origin, cell, dims.max(UVec3::splat(2)), |p| {
            let unsigned = corners
                .iter()
                .map(|&[a, b, c]| closest_on_triangle(p, a, b, c).distance_squared(p))
                .fold(f32::INFINITY, f32::min)
                .sqrt();
            let winding: f32 = corners
                .iter()
                .map(|&[a, b, c]| solid_angle(p, a, b, c))
                .sum::<f32>()
                / (4.0 * std::f32::consts::PI);
            if winding.abs() > 0.5 {
                -unsigned
            } else {
                unsigned
            }
        })
    }

    /// Signed distance at `p`, m. Outside the grid, the distance to the grid box is added
    /// to the value at the nearest point of the box.
    pub fn distance(&self, p: Vec3) -> f32 {
        let max = self.origin + self.cell * (self.dims - UVec3::ONE).as_vec3();
        let clamped = p.clamp(self.origin, max);
        self.trilinear(clamped) + p.distance(clamped)
    }

    /// Signed distance and outward normal (the normalized gradient) at `p`.
    pub fn surface(&self, p: Vec3) -> SurfacePoint {
        let e = 0.5 * self.cell;
        let gradient = Vec3::new(
            self.distance(p + Vec3::X * e) - self.distance(p - Vec3::X * e),
            self.distance(p + Vec3::Y * e) - self.distance(p - Vec3::Y * e),
            self.distance(p + Vec3::Z * e) - self.distance(p - Vec3::Z * e),
        );
        SurfacePoint {
            distance: self.distance(p),
            normal: gradient.normalize_or(Vec3::Y),
        }
    }

    /// Grid origin, m.
    pub fn origin(&self) -> Vec3 {
        self.origin
    }

    /// Sample spacing, m.
    pub fn cell(&self) -> f32 {
        self.cell
    }

    /// Samples per axis.
    pub fn dims(&self) -> UVec3 {
        self.dims
    }

    /// The samples, x fastest, then y, then z.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    fn value(&self, x: u32, y: u32, z: u32) -> f32 {
        let (nx, ny) = (self.dims.x as usize, self.dims.y as usize);
        self.values[(z as usize * ny + y as usize) * nx + x as usize]
    }

    fn trilinear(&self, p: Vec3) -> f32 {
        let g = (p - self.origin) / self.cell;
        let top = (self.dims - UVec3::splat(2)).as_vec3();
        let base = g.floor().clamp(Vec3::ZERO, top);
        let f = (g - base).clamp(Vec3::ZERO, Vec3::ONE);
        let b = base.as_uvec3();
        let lerp = |a: f32, b: f32, t: f32| a + (b - a) * t;
        let v = |dx, dy, dz| self.value(b.x + dx, b.y + dy, b.z + dz);
        let x00 = lerp(v(0, 0, 0), v(1, 0, 0), f.x);
        let x10 = lerp(v(0, 1, 0), v(1, 1, 0), f.x);
        let x01 = lerp(v(0, 0, 1), v(1, 0, 1), f.x);
        let x11 = lerp(v(0, 1, 1), v(1, 1, 1), f.x);
        lerp(lerp(x00, x10, f.y), lerp(x01, x11, f.y), f.z)
    }
}

/// Closest point to `p` on triangle `abc` (Ericson, Real-Time Collision Detection, 5.1.5).
fn closest_on_triangle(p: Vec3, a: Vec3, b: Vec3, c: Vec3) -> Vec3 {
    let (ab, ac, ap) = (b - a, c - a, p - a);
    let (d1, d2) = (ab.dot(ap), ac.dot(ap));
    if d1 <= 0.0 && d2 <= 0.0 {
        return a;
    }
    let bp = p - b;
    let (d3, d4) = (ab.dot(bp), ac.dot(bp));
    if d3 >= 0.0 && d4 <= d3 {
        return b;
    }
    let vc = d1 * d4 - d3 * d2;
    if vc <= 0.0 && d1 >= 0.0 && d3 <= 0.0 {
        return a + ab * (d1 / (d1 - d3));
    }
    let cp = p - c;
    let (d5, d6) = (ab.dot(cp), ac.dot(cp));
    if d6 >= 0.0 && d5 <= d6 {
        return c;
    }
    let vb = d5 * d2 - d1 * d6;
    if vb <= 0.0 && d2 >= 0.0 && d6 <= 0.0 {
        return a + ac * (d2 / (d2 - d6));
    }
    let va = d3 * d6 - d5 * d4;
    if va <= 0.0 && (d4 - d3) >= 0.0 && (d5 - d6) >= 0.0 {
        return b + (c - b) * ((d4 - d3) / ((d4 - d3) + (d5 - d6)));
    }
    let denom = 1.0 / (va + vb + vc);
    a + ab * (vb * denom) + ac * (vc * denom)
}

/// Signed solid angle of triangle `abc` seen from `p` (Van Oosterom & Strackee 1983).
fn solid_angle(p: Vec3, a: Vec3, b: Vec3, c: Vec3) -> f32 {
    let (a, b, c) = (a - p, b - p, c - p);
    let (la, lb, lc) = (a.length(), b.length(), c.length());
    let numerator = a.dot(b.cross(c));
    let denominator = la * lb * lc + a.dot(b) * lc + b.dot(c) * la + c.dot(a) * lb;
    2.0 * numerator.atan2(denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit cube centred at the origin, outward-facing triangles.
    fn cube() -> (Vec<Vec3>, Vec<[u32; 3]>) {
        let v = (0..8)
            .map(|i| {
                Vec3::new(
                    if i & 1 == 0 { -0.5 } else { 0.5 },
                    if i & 2 == 0 { -0.5 } else { 0.5 },
                    if i & 4 == 0 { -0.5 } else { 0.5 },
                )
            })
            .collect();
        let t = vec![
            [0, 2, 1],
            [1, 2, 3],
            [4, 5, 6],
            [5, 7, 6], // -z, +z
            [0, 1, 4],
            [1, 5, 4],
            [2, 6, 3],
            [3, 6, 7], // -y, +y
            [0, 4, 2],
            [2, 4, 6],
            [1, 3, 5],
            [3, 7, 5], // -x, +x
        ];
        (v, t)
    }

    #[test]
    fn a_cube_mesh_gives_the_cube_distance_field() {
        let (v, t) = cube();
        let grid = SdfGrid::from_triangle_mesh(&v, &t, 0.05, 0.2).expect("grid");
        for (p, expected) in [
            (Vec3::ZERO, -0.5),
            (Vec3::new(0.0, 0.8, 0.0), 0.3),
            (Vec3::new(0.3, 0.0, 0.1), -0.2),
            (Vec3::new(0.0, 0.0, -0.6), 0.1),
        ] {
            let d = grid.distance(p);
            assert!(
                (d - expected).abs() < 0.02,
                "at {p}: {d}, expected {expected}"
            );
        }
        let top = grid.surface(Vec3::new(0.1, 0.55, -0.1));
        assert!(top.normal.dot(Vec3::Y) > 0.95, "normal {}", top.normal);
        // Far outside the grid the distance keeps growing.
        assert!(grid.distance(Vec3::new(0.0, 5.0, 0.0)) > 4.0);
    }
}
