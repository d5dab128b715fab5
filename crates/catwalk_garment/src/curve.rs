//! Edge geometry in the panel plane: straight lines, circular arcs and quadratic and cubic
//! Bézier curves, with points, tangents, lengths and polylines, all in centimetres.

use std::f64::consts::TAU;

use glam::DVec2;

/// How many segments [`Curve::length`] flattens a curved edge into. At 512 segments the
/// length of any edge a garment uses is exact to far below a tenth of a millimetre.
const LENGTH_SEGMENTS: usize = 512;

/// One edge of a panel outline in absolute panel coordinates (cm).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Curve {
    /// A straight segment.
    Line {
        /// Start point.
        from: DVec2,
        /// End point.
        to: DVec2,
    },
    /// A circular arc.
    Arc {
        /// The circle's centre.
        center: DVec2,
        /// The circle's radius.
        radius: f64,
        /// Angle of the start point seen from the centre (radians).
        start_angle: f64,
        /// Signed sweep (radians): positive is counter-clockwise.
        sweep: f64,
    },
    /// A quadratic Bézier curve.
    Quadratic {
        /// Start point.
        from: DVec2,
        /// Control point.
        control: DVec2,
        /// End point.
        to: DVec2,
    },
    /// A cubic Bézier curve.
    Cubic {
        /// Start point.
        from: DVec2,
        /// First control point.
        control1: DVec2,
        /// Second control point.
        control2: DVec2,
        /// End point.
        to: DVec2,
    },
}

impl Curve {
    /// The point at parameter `t` in `0..=1` (not arc-length uniform for Béziers).
    pub fn point(&self, t: f64) -> DVec2 {
        match *self {
            Curve::Line { from, to } => from.lerp(to, t),
            Curve::Arc {
                center,
                radius,
                start_angle,
                sweep,
            } => {
                let a = start_angle + sweep * t;
                center + radius * DVec2::new(a.cos(), a.sin())
            }
            Curve::Quadratic { from, control, to } => {
                let u = 1.0 - t;
                u * u * from + 2.0 * u * t * control + t * t * to
            }
            Curve::Cubic {
                from,
                control1,
                control2,
                to,
            } => {
                let u = 1.0 - t;
                u * u * u * from
                    + 3.0 * u * u * t * control1
                    + 3.0 * u * t * t * control2
                    + t * t * t * to
            }
        }
    }

    /// The start point.
    pub fn start(&self) -> DVec2 {
        self.point(0.0)
    }

    /// The end point.
    pub fn end(&self) -> DVec2 {
        self.point(1.0)
    }

    /// Whether the curve is a straight line.
    pub fn is_line(&self) -> bool {
        matches!(self, Curve::Line { .. })
    }

    /// The curve's length in cm.
    pub fn length(&self) -> f64 {
        match *self {
            Curve::Line { from, to } => from.distance(to),
            Curve::Arc { radius, sweep, .. } => radius * sweep.abs(),
            _ => polyline_length(&self.polyline_by_parameter(LENGTH_SEGMENTS)),
        }
    }

    /// `segments + 1` points at equal steps of the curve parameter.
    pub fn polyline_by_parameter(&self, segments: usize) -> Vec<DVec2> {
        let n = segments.max(1);
        (0..=n).map(|i| self.point(i as f64 / n as f64)).collect()
    }

    /// A polyline through the curve whose segments are at most `max_segment` cm long (and
    /// short enough to follow the curve closely). Includes both end points.
    pub fn flatten(&self, max_segment: f64) -> Vec<DVec2> {
        if self.is_line() {
            return vec![self.start(), self.end()];
        }
        let n = (self.length() / max_segment.max(1e-6)).ceil().max(8.0) as usize;
        self.polyline_by_parameter(n)
    }

    /// `segments + 1` points spaced equally by arc length, from start to end inclusive.
    ///
    /// Two stitched edges resampled with the same count have vertices that meet one to one.
    pub fn resample(&self, segments: usize) -> Vec<DVec2> {
        let n = segments.max(1);
        if let Curve::Line { .. } | Curve::Arc { .. } = self {
            return self.polyline_by_parameter(n);
        }
        let dense = self.polyline_by_parameter(LENGTH_SEGMENTS.max(n * 16));
        resample_polyline(&dense, n)
    }
}

/// The length of a polyline.
pub fn polyline_length(points: &[DVec2]) -> f64 {
    points.windows(2).map(|w| w[0].distance(w[1])).sum()
}

/// `segments + 1` points spaced equally by arc length along an open polyline.
pub fn resample_polyline(points: &[DVec2], segments: usize) -> Vec<DVec2> {
    let n = segments.max(1);
    let total = polyline_length(points);
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(n + 1);
    out.push(first);
    let mut seg = 0usize;
    let mut walked = 0.0;
    for k in 1..n {
        let target = total * k as f64 / n as f64;
        while seg + 1 < points.len() - 1 && walked + points[seg].distance(points[seg + 1]) < target
        {
            walked += points[seg].distance(points[seg + 1]);
            seg += 1;
        }
        let len = points[seg].distance(points[seg + 1]);
        let t = if len > 0.0 {
            ((target - walked) / len).clamp(0.0, 1.0)
        } else {
            0.0
        };
        out.push(points[seg].lerp(points[seg + 1], t));
    }
    out.push(last);
    out
}

/// The arc from `from` to `to` with the given radius, as GarmentCode describes it:
/// `large_arc` picks the longer of the two arcs, `right` makes the arc bulge to the right of
/// the direction from `from` to `to` (y up). `None` when the radius is shorter than half
/// the chord, or the end points coincide.
pub fn arc_from_endpoints(
    from: DVec2,
    to: DVec2,
    radius: f64,
    large_arc: bool,
    right: bool,
) -> Option<Curve> {
    let chord = to - from;
    let d = chord.length();
    if d <= 1e-9 || !radius.is_finite() || radius < d / 2.0 * (1.0 - 1e-9) {
        return None;
    }
    let half = (d / 2.0).min(radius);
    let h = (radius * radius - half * half).max(0.0).sqrt();
    let left = chord.perp() / d;
    let sign = if right != large_arc { 1.0 } else { -1.0 };
    let center = (from + to) / 2.0 + left * h * sign;
    let small = 2.0 * (half / radius).clamp(-1.0, 1.0).asin();
    let magnitude = if large_arc { TAU - small } else { small };
    let sweep = if right { magnitude } else { -magnitude };
    let r = from - center;
    Some(Curve::Arc {
        center,
        radius,
        start_angle: r.y.atan2(r.x),
        sweep,
    })
}

/// GarmentCode's edge-local coordinates to panel coordinates: `x` runs along the chord
/// (0 at `from`, 1 at `to`), `y` along the chord turned 90° to the left, both in units of
/// the chord length.
pub fn relative_to_absolute(from: DVec2, to: DVec2, rel: DVec2) -> DVec2 {
    let chord = to - from;
    from + rel.x * chord + rel.y * chord.perp()
}

/// The inverse of [`relative_to_absolute`]. The chord must not be degenerate.
pub fn absolute_to_relative(from: DVec2, to: DVec2, point: DVec2) -> DVec2 {
    let chord = to - from;
    let len2 = chord.length_squared().max(1e-18);
    let v = point - from;
    DVec2::new(v.dot(chord) / len2, v.dot(chord.perp()) / len2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_circle_has_length_pi_r() {
        let arc = arc_from_endpoints(
            DVec2::new(-1.0, 0.0),
            DVec2::new(1.0, 0.0),
            1.0,
            false,
            true,
        )
        .expect("valid arc");
        assert!((arc.length() - std::f64::consts::PI).abs() < 1e-9);
        assert!((arc.end() - DVec2::new(1.0, 0.0)).length() < 1e-9);
    }

    #[test]
    fn right_arc_bulges_to_the_right_of_travel() {
        // Travelling +x, "right" is -y.
        for large in [false, true] {
            let arc = arc_from_endpoints(
                DVec2::new(-1.0, 0.0),
                DVec2::new(1.0, 0.0),
                1.5,
                large,
                true,
            )
            .expect("valid arc");
            assert!(arc.point(0.5).y < 0.0, "large={large}");
            assert!((arc.end() - DVec2::new(1.0, 0.0)).length() < 1e-9);
            let left = arc_from_endpoints(
                DVec2::new(-1.0, 0.0),
                DVec2::new(1.0, 0.0),
                1.5,
                large,
                false,
            )
            .expect("valid arc");
            assert!(left.point(0.5).y > 0.0, "large={large}");
            assert!((left.end() - DVec2::new(1.0, 0.0)).length() < 1e-9);
        }
    }

    #[test]
    fn arc_shorter_than_chord_is_rejected() {
        assert!(arc_from_endpoints(DVec2::ZERO, DVec2::new(4.0, 0.0), 1.0, false, true).is_none());
    }

    #[test]
    fn relative_coordinates_round_trip() {
        let (a, b) = (DVec2::new(1.0, 2.0), DVec2::new(5.0, -1.0));
        let p = DVec2::new(3.3, 0.7);
        let back = relative_to_absolute(a, b, absolute_to_relative(a, b, p));
        assert!((back - p).length() < 1e-12);
        // y is to the left of the chord
        assert!(relative_to_absolute(DVec2::ZERO, DVec2::X, DVec2::new(0.5, 0.2)).y > 0.0);
    }

    #[test]
    fn resampled_cubic_is_equally_spaced() {
        let c = Curve::Cubic {
            from: DVec2::ZERO,
            control1: DVec2::new(0.0, 10.0),
            control2: DVec2::new(10.0, 10.0),
            to: DVec2::new(10.0, 0.0),
        };
        let pts = c.resample(10);
        assert_eq!(pts.len(), 11);
        // Equal arc-length steps: every step's chord is within 3% of the others (the chord
        // of a step shrinks slightly where the curve bends more).
        let chords: Vec<f64> = pts.windows(2).map(|w| w[0].distance(w[1])).collect();
        let (lo, hi) = chords
            .iter()
            .fold((f64::MAX, 0.0f64), |(lo, hi), &c| (lo.min(c), hi.max(c)));
        assert!(hi / lo < 1.03, "chords {chords:?}");
        assert!((chords.iter().sum::<f64>() - c.length()).abs() < 0.01 * c.length());
    }

    #[test]
    fn quadratic_length_matches_closed_form() {
        // A symmetric parabola y = x^2 on [-1, 1]: control at (0, -1).
        let q = Curve::Quadratic {
            from: DVec2::new(-1.0, 1.0),
            control: DVec2::new(0.0, -1.0),
            to: DVec2::new(1.0, 1.0),
        };
        let exact = 5f64.sqrt() + (2.0 + 5f64.sqrt()).ln() / 2.0;
        assert!((q.length() - exact).abs() < 1e-4);
    }
}
