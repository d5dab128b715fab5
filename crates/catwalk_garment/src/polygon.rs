//! Closed polylines in the panel plane: signed area, point containment, distance to the
//! outline, self-intersection and the outward offset used for seam allowances.

use glam::DVec2;

/// The tolerance (cm) below which two points are the same point.
pub const POINT_EPS: f64 = 1e-6;

/// Signed area of a closed polygon (cm²); positive when counter-clockwise (y up).
/// The last point is joined back to the first.
pub fn signed_area(points: &[DVec2]) -> f64 {
    let n = points.len();
    (0..n)
        .map(|i| points[i].perp_dot(points[(i + 1) % n]))
        .sum::<f64>()
        / 2.0
}

/// Whether `p` lies inside the closed polygon (even-odd rule).
pub fn contains(points: &[DVec2], p: DVec2) -> bool {
    let n = points.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (points[i], points[(i + 1) % n]);
        if (a.y > p.y) != (b.y > p.y) {
            let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x);
            if p.x < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Distance from `p` to the segment `a`–`b`.
pub fn distance_to_segment(p: DVec2, a: DVec2, b: DVec2) -> f64 {
    let ab = b - a;
    let len2 = ab.length_squared();
    let t = if len2 > 0.0 {
        ((p - a).dot(ab) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * t)
}

/// Distance from `p` to the closed polygon's outline.
pub fn distance_to_outline(points: &[DVec2], p: DVec2) -> f64 {
    let n = points.len();
    (0..n)
        .map(|i| distance_to_segment(p, points[i], points[(i + 1) % n]))
        .fold(f64::INFINITY, f64::min)
}

/// Whether the closed segments `a1`–`a2` and `b1`–`b2` touch or cross.
pub fn segments_intersect(a1: DVec2, a2: DVec2, b1: DVec2, b2: DVec2) -> bool {
    let d1 = (a2 - a1).perp_dot(b1 - a1);
    let d2 = (a2 - a1).perp_dot(b2 - a1);
    let d3 = (b2 - b1).perp_dot(a1 - b1);
    let d4 = (b2 - b1).perp_dot(a2 - b1);
    let eps = 1e-12;
    if ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps))
        && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
    {
        return true;
    }
    let on = |p: DVec2, q: DVec2, r: DVec2, d: f64| {
        d.abs() <= eps
            && r.x >= p.x.min(q.x) - eps
            && r.x <= p.x.max(q.x) + eps
            && r.y >= p.y.min(q.y) - eps
            && r.y <= p.y.max(q.y) + eps
    };
    on(a1, a2, b1, d1) || on(a1, a2, b2, d2) || on(b1, b2, a1, d3) || on(b1, b2, a2, d4)
}

/// The first pair of non-neighbouring segments of a closed polygon that touch or cross,
/// as indices of their first points; `None` when the outline is simple.
pub fn first_self_intersection(points: &[DVec2]) -> Option<(usize, usize)> {
    let n = points.len();
    if n < 3 {
        return None;
    }
    let boxes: Vec<(DVec2, DVec2)> = (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            (a.min(b), a.max(b))
        })
        .collect();
    for i in 0..n {
        for j in (i + 2)..n {
            if i == 0 && j == n - 1 {
                continue; // neighbours across the closing point
            }
            let ((amin, amax), (bmin, bmax)) = (boxes[i], boxes[j]);
            if amax.x < bmin.x || bmax.x < amin.x || amax.y < bmin.y || bmax.y < amin.y {
                continue;
            }
            if segments_intersect(
                points[i],
                points[(i + 1) % n],
                points[j],
                points[(j + 1) % n],
            ) {
                return Some((i, j));
            }
        }
    }
    None
}

/// The outline moved outward by `distance` cm, with mitred corners (a mitre longer than
/// four times the distance is cut back to that length so sharp points stay bounded).
/// Works for either winding; the input must be a simple polygon.
pub fn offset_outward(points: &[DVec2], distance: f64) -> Vec<DVec2> {
    let n = points.len();
    if n < 3 || distance == 0.0 {
        return points.to_vec();
    }
    // For a counter-clockwise outline the outward normal of a->b is (b-a) turned right.
    let ccw = signed_area(points) > 0.0;
    let outward = |a: DVec2, b: DVec2| {
        let d = (b - a).normalize_or_zero();
        if ccw {
            DVec2::new(d.y, -d.x)
        } else {
            DVec2::new(-d.y, d.x)
        }
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let prev = points[(i + n - 1) % n];
        let cur = points[i];
        let next = points[(i + 1) % n];
        let n1 = outward(prev, cur);
        let n2 = outward(cur, next);
        let bisector = (n1 + n2).normalize_or_zero();
        let cos_half = bisector.dot(n1);
        if bisector == DVec2::ZERO || cos_half < 0.25 {
            // Hairpin or very sharp corner: bevel with two points.
            out.push(cur + n1 * distance);
            out.push(cur + n2 * distance);
        } else {
            out.push(cur + bisector * (distance / cos_half));
        }
    }
    out
}

/// Removes consecutive duplicates (and a closing duplicate of the first point).
pub fn dedup_closed(points: &mut Vec<DVec2>) {
    points.dedup_by(|b, a| a.distance(*b) < POINT_EPS);
    while points.len() > 1
        && points
            .first()
            .zip(points.last())
            .is_some_and(|(f, l)| f.distance(*l) < POINT_EPS)
    {
        points.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Vec<DVec2> {
        vec![
            DVec2::new(0.0, 0.0),
            DVec2::new(10.0, 0.0),
            DVec2::new(10.0, 10.0),
            DVec2::new(0.0, 10.0),
        ]
    }

    #[test]
    fn area_sign_follows_winding() {
        assert!((signed_area(&square()) - 100.0).abs() < 1e-12);
        let mut cw = square();
        cw.reverse();
        assert!((signed_area(&cw) + 100.0).abs() < 1e-12);
    }

    #[test]
    fn bow_tie_is_self_intersecting() {
        let bow = vec![
            DVec2::new(0.0, 0.0),
            DVec2::new(10.0, 10.0),
            DVec2::new(10.0, 0.0),
            DVec2::new(0.0, 10.0),
        ];
        assert!(first_self_intersection(&bow).is_some());
        assert!(first_self_intersection(&square()).is_none());
    }

    #[test]
    fn offset_square_grows_by_the_distance() {
        for winding in [false, true] {
            let mut sq = square();
            if winding {
                sq.reverse();
            }
            let off = offset_outward(&sq, 1.0);
            assert!((signed_area(&off).abs() - 144.0).abs() < 1e-9);
            for p in off {
                assert!((distance_to_outline(&square(), p) - 2f64.sqrt()).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn containment() {
        assert!(contains(&square(), DVec2::new(5.0, 5.0)));
        assert!(!contains(&square(), DVec2::new(15.0, 5.0)));
    }
}
