//! Horizontal cross-sections of a mesh and their tape girth: the perimeter of the convex
//! hull of the section (a tape spans concavities, e.g. between the breasts or the legs).

use glam::{Vec2, Vec3};

/// The points (x, z) where the plane `y = level` cuts the edges of the given triangles.
pub fn section_points(vertices: &[Vec3], triangles: &[[u32; 3]], level: f32) -> Vec<Vec2> {
    let mut out = Vec::new();
    for t in triangles {
        let p = [
            vertices[t[0] as usize],
            vertices[t[1] as usize],
            vertices[t[2] as usize],
        ];
        for (a, b) in [(p[0], p[1]), (p[1], p[2]), (p[2], p[0])] {
            let (da, db) = (a.y - level, b.y - level);
            if (da < 0.0) != (db < 0.0) {
                let t = da / (da - db);
                let q = a + (b - a) * t;
                out.push(Vec2::new(q.x, q.z));
            }
        }
    }
    out
}

/// Convex hull (counter-clockwise, no repeated end point) of 2-D points, by the monotone chain.
pub fn convex_hull(points: &[Vec2]) -> Vec<Vec2> {
    let mut pts: Vec<Vec2> = points.to_vec();
    pts.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: Vec2, a: Vec2, b: Vec2| (a - o).perp_dot(b - o);
    let mut hull: Vec<Vec2> = Vec::with_capacity(2 * pts.len());
    for &p in &pts {
        while hull.len() >= 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
            hull.pop();
        }
        hull.push(p);
    }
    let lower = hull.len() + 1;
    for &p in pts.iter().rev().skip(1) {
        while hull.len() >= lower && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
            hull.pop();
        }
        hull.push(p);
    }
    hull.pop();
    hull
}

/// Perimeter of a closed polygon.
pub fn perimeter(polygon: &[Vec2]) -> f32 {
    if polygon.len() < 2 {
        return 0.0;
    }
    let mut total = 0.0;
    for i in 0..polygon.len() {
        total += polygon[i].distance(polygon[(i + 1) % polygon.len()]);
    }
    total
}

/// Tape girth (m) of the triangles' section at `level`; 0 if the plane misses them.
pub fn girth(vertices: &[Vec3], triangles: &[[u32; 3]], level: f32) -> f32 {
    perimeter(&convex_hull(&section_points(vertices, triangles, level)))
}

/// The level in `[lo, hi]` where `girth` is largest (`sign` = 1) or smallest (`sign` = -1),
/// sampled every `step` and refined by a parabola through the best sample and its neighbours.
/// Returns (level, girth).
pub fn extreme_girth(
    vertices: &[Vec3],
    triangles: &[[u32; 3]],
    lo: f32,
    hi: f32,
    step: f32,
    sign: f32,
) -> (f32, f32) {
    // Only triangles spanning part of [lo, hi] can be cut.
    let near: Vec<[u32; 3]> = triangles
        .iter()
        .filter(|t| {
            let ys = t.map(|i| vertices[i as usize].y);
            ys.iter().copied().fold(f32::INFINITY, f32::min) <= hi
                && ys.iter().copied().fold(f32::NEG_INFINITY, f32::max) >= lo
        })
        .copied()
        .collect();
    let triangles = &near[..];
    let n = (((hi - lo) / step).ceil() as usize).max(2);
    let levels: Vec<f32> = (0..=n)
        .map(|i| lo + (hi - lo) * i as f32 / n as f32)
        .collect();
    let values: Vec<f32> = levels
        .iter()
        .map(|&y| girth(vertices, triangles, y))
        .collect();
    let mut best = 0;
    for i in 1..values.len() {
        if sign * values[i] > sign * values[best] {
            best = i;
        }
    }
    if best == 0 || best + 1 == values.len() {
        return (levels[best], values[best]);
    }
    let (a, b, c) = (values[best - 1], values[best], values[best + 1]);
    let denom = a - 2.0 * b + c;
    if denom.abs() < 1e-12 {
        return (levels[best], b);
    }
    let h = levels[best + 1] - levels[best];
    let offset = (0.5 * (a - c) / denom).clamp(-1.0, 1.0);
    let level = levels[best] + offset * h;
    (level, girth(vertices, triangles, level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hull_of_a_square_with_inner_points_is_the_square() {
        let pts = [
            Vec2::new(0.0, 0.0),
            Vec2::new(1.0, 0.0),
            Vec2::new(1.0, 1.0),
            Vec2::new(0.0, 1.0),
            Vec2::new(0.5, 0.5),
            Vec2::new(0.2, 0.7),
        ];
        let hull = convex_hull(&pts);
        assert_eq!(hull.len(), 4);
        assert!((perimeter(&hull) - 4.0).abs() < 1e-6);
    }

    #[test]
    fn hull_spans_a_concavity() {
        // A "W" shape: the tape goes straight across the dip.
        let pts = [
            Vec2::new(0.0, 0.0),
            Vec2::new(1.0, 2.0),
            Vec2::new(2.0, 1.0),
            Vec2::new(3.0, 2.0),
            Vec2::new(4.0, 0.0),
        ];
        let hull = convex_hull(&pts);
        assert!(!hull.contains(&Vec2::new(2.0, 1.0)));
    }
}
