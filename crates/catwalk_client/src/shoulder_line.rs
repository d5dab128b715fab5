//! The shoulder height a top is drafted for, measured on the avatar's own mesh.
//!
//! A top's shoulder seam runs from the neck point ([`neck_half_width_cm`] from centre, at
//! the shoulder height) down [`SHOULDER_DROP_CM`] to the shoulder point (half the shoulder
//! width from centre). The capsule body the garment drapes on lies just under that line.
//! Shoulders differ by several centimetres between people of one height, so the line is
//! fitted to the mesh instead of assumed: across the inner part of each shoulder (from just
//! outside the neck to [`SHOULDER_SPAN`] of the way to the shoulder point, clear of the
//! arm), the top of the mesh is taken in 1 cm wide vertical slabs, and each slab says where
//! the seam's neck point must be for the seam to pass [`CLEARANCE_CM`] above it. The
//! median of those is the shoulder height.

use catwalk_garment::programs::top::{SHOULDER_DROP_CM, neck_half_width_cm};
use glam::Vec3;

/// How far above the mesh's shoulder the drafted seam runs (cm): the capsule under it sits
/// that much lower at the neck, so the collider's top meets the visible shoulder.
pub const CLEARANCE_CM: f64 = 1.0;
/// The part of the way from the neck point to the shoulder point that is sampled.
pub const SHOULDER_SPAN: f64 = 0.7;
/// Fewest slabs with mesh in them for a measurement to count.
const MIN_SAMPLES: usize = 6;

/// Where the body is measured: its girths and the levels bounding the shoulders (cm).
#[derive(Debug, Clone, Copy)]
pub struct ShoulderFrame {
    /// Bust girth.
    pub bust: f64,
    /// Shoulder width, shoulder point to shoulder point.
    pub shoulder_width: f64,
    /// Bust level: the shoulders are above it.
    pub bust_level: f64,
    /// Mid-neck level: the shoulders are below it.
    pub neck_level: f64,
}

/// The shoulder height (cm, floor to the seam's neck point) fitted to `vertices` (m, feet
/// on y = 0, torso centred on x = 0), or `None` when too few slabs hold mesh between the
/// bust and the neck (not a standing body).
pub fn measure_shoulder_height(vertices: &[Vec3], frame: &ShoulderFrame) -> Option<f64> {
    let neck_x = neck_half_width_cm(frame.bust);
    let shoulder_x = frame.shoulder_width / 2.0;
    let span = shoulder_x - neck_x;
    if span <= 2.0 {
        return None;
    }
    let first = neck_x + 1.5;
    let last = neck_x + SHOULDER_SPAN * span;
    let slabs = ((last - first).floor() as usize) + 1;
    let mut estimates = Vec::with_capacity(2 * slabs);
    for side in [1.0, -1.0] {
        for k in 0..slabs {
            let x = first + k as f64;
            let top = vertices
                .iter()
                .map(|v| (f64::from(v.x) * 100.0 * side, f64::from(v.y) * 100.0))
                .filter(|&(vx, vy)| {
                    (vx - x).abs() <= 0.5 && vy > frame.bust_level && vy < frame.neck_level
                })
                .map(|(_, vy)| vy)
                .fold(f64::NEG_INFINITY, f64::max);
            if top.is_finite() {
                let along = (x - neck_x) / span;
                estimates.push(top + SHOULDER_DROP_CM * along + CLEARANCE_CM);
            }
        }
    }
    if estimates.len() < MIN_SAMPLES {
        return None;
    }
    estimates.sort_by(f64::total_cmp);
    Some(estimates[estimates.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: ShoulderFrame = ShoulderFrame {
        bust: 100.0,
        shoulder_width: 40.0,
        bust_level: 125.0,
        neck_level: 155.0,
    };

    /// A grid of points on the plane of a shoulder line `hps` high at the neck point,
    /// sloping `drop` cm down to the shoulder point, plus a torso below it.
    fn shoulders(hps: f64, drop: f64) -> Vec<Vec3> {
        let neck_x = neck_half_width_cm(FRAME.bust);
        let span = FRAME.shoulder_width / 2.0 - neck_x;
        let mut v = Vec::new();
        for i in 0..=200 {
            let x = i as f64 * 0.15;
            let top = if x < neck_x {
                hps + 8.0 // the neck rises above the shoulders
            } else {
                hps - drop * (x - neck_x) / span
            };
            for j in 0..40 {
                let y = 110.0 + (top - 110.0) * j as f64 / 39.0;
                for side in [1.0, -1.0] {
                    v.push(Vec3::new(
                        (side * x / 100.0) as f32,
                        (y / 100.0) as f32,
                        0.0,
                    ));
                }
            }
        }
        v
    }

    #[test]
    fn recovers_a_drafted_shoulder_line() {
        let got =
            measure_shoulder_height(&shoulders(145.0, SHOULDER_DROP_CM), &FRAME).expect("measured");
        let want = 145.0 + CLEARANCE_CM;
        assert!((got - want).abs() < 0.3, "{got} vs {want}");
    }

    #[test]
    fn higher_shoulders_measure_higher() {
        let low = measure_shoulder_height(&shoulders(140.0, 6.0), &FRAME).expect("low");
        let high = measure_shoulder_height(&shoulders(147.0, 6.0), &FRAME).expect("high");
        assert!((high - low - 7.0).abs() < 0.3, "{low} → {high}");
    }

    #[test]
    fn no_shoulders_no_measurement() {
        let legs: Vec<Vec3> = (0..500)
            .map(|i| Vec3::new(0.1, i as f32 * 0.002, 0.0))
            .collect();
        assert_eq!(measure_shoulder_height(&legs, &FRAME), None);
    }
}
