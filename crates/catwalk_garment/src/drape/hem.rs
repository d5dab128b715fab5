//! How far the legs can stride inside a narrow hem.
//!
//! A skirt's or a dress's hem is one loop of cloth round both legs. Walking opens the legs
//! front to back, and once the loop round the two legs is longer than the hem, the legs
//! lift the hem instead: a maxi pencil dress rode up to the knees within two strides. A
//! model in such a dress takes shorter steps, and so does [`WalkCycle::within_hem`].
//!
//! The loop round two legs of radius `r` whose axes are `d` apart at the hem is
//! `2d + 2πr` long; the legs stay `w` apart side to side, so a swing of `±a` about the
//! hips, `L` above the hem, opens them `2 L sin a` front to back and
//! `d = √((2 L sin a)² + w²)`. The largest swing whose loop fits in [`HEM_SLACK`] of the
//! hem's girth is the walk's hip amplitude (never more than the walk's own, never less
//! than [`MIN_HIP_AMPLITUDE_DEG`]); the knees bend less in the same proportion.
//!
//! A body that stands with its feet wide apart may not fit its legs in a narrow loop even
//! standing still; the walk then brings the legs in towards one line
//! ([`WalkCycle::adduction`], as on a runway) as far as the loop needs and the ankles
//! allow ([`LEG_CLEARANCE_M`] between them, at most [`MAX_ADDUCTION_DEG`]), and the swing is
//! worked out for legs that far apart.
//!
//! A skirt with walking slits is open below the slits' top: its first closed loop is there
//! ([`HemLoop::above`]), higher up, where the legs open less for the same stride.

use std::f32::consts::PI;

use catwalk_cloth::glam::{Vec2, Vec3};

use super::body::{CapsuleBody, Shape};
use super::walk::WalkCycle;

/// The lowest closed loop of a garment at rest, seen from above.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HemLoop {
    /// Length of the loop round the lowest vertices (their convex hull), m.
    pub girth: f32,
    /// Its height above the floor, m.
    pub height: f32,
}

/// Vertices within this height of the lowest belong to the hem, m.
pub const HEM_BAND_M: f32 = 0.02;
/// The share of the hem's girth the loop round the legs may take: the rest is for the
/// hem's own folds and the cloth's thickness.
pub const HEM_SLACK: f32 = 0.9;
/// The least room left between the legs brought in, at the loop and at the ankles, m.
pub const LEG_CLEARANCE_M: f32 = 0.01;
/// The furthest each leg turns in, degrees.
pub const MAX_ADDUCTION_DEG: f32 = 10.0;
/// The shortest step, as the hips' swing amplitude, degrees.
pub const MIN_HIP_AMPLITUDE_DEG: f32 = 6.0;

impl HemLoop {
    /// The hem of a garment whose vertices at rest are `positions`: the convex hull, seen
    /// from above, of the vertices within [`HEM_BAND_M`] of the lowest. `None` for an
    /// empty garment. Only a hem that is one loop round both legs (a skirt's, a dress's)
    /// holds the legs: trousers' legs each have their own.
    pub fn of(positions: &[Vec3]) -> Option<Self> {
        Self::above(positions, 0.0)
    }

    /// The loop `rise` metres above the lowest vertex (the top of a skirt's walking slits):
    /// the convex hull of the vertices from half [`HEM_BAND_M`] below that height to
    /// [`HEM_BAND_M`] above it. `None` for
    /// an empty garment or one that does not reach that high.
    pub fn above(positions: &[Vec3], rise: f32) -> Option<Self> {
        let height = positions.iter().map(|p| p.y).reduce(f32::min)? + rise.max(0.0);
        let band: Vec<Vec2> = positions
            .iter()
            .filter(|p| p.y >= height - 0.5 * HEM_BAND_M && p.y <= height + HEM_BAND_M)
            .map(|p| Vec2::new(p.x, p.z))
            .collect();
        if band.is_empty() {
            return None;
        }
        Some(HemLoop {
            girth: hull_perimeter(band),
            height,
        })
    }
}

impl WalkCycle {
    /// This walk with its hip swing cut to what `hem` lets the legs of `body` open to (see
    /// the module docs). A hem above the hips, or a body without leg bones, leaves the walk
    /// as it is.
    pub fn within_hem(self, body: &CapsuleBody, hem: &HemLoop) -> Self {
        let (Some(left), Some(right)) = (
            leg_at(body, "left", hem.height),
            leg_at(body, "right", hem.height),
        ) else {
            return self;
        };
        let hips = 0.5 * (left.hip_height + right.hip_height);
        let below_hips = hips - hem.height;
        if below_hips <= 0.0 {
            return self;
        }
        let radius = left.radius.max(right.radius);
        let apart = (left.x - right.x).abs();
        let loop_apart = 0.5 * (HEM_SLACK * hem.girth - 2.0 * PI * radius);
        let amplitude_at = |apart: f32| {
            let open = (loop_apart * loop_apart - apart * apart).max(0.0).sqrt();
            (open / (2.0 * below_hips)).clamp(0.0, 1.0).asin()
        };
        if amplitude_at(apart) >= self.hip_amplitude {
            return self;
        }
        // Bring the legs in: as far as the full swing needs, no further than the loop's and
        // the ankles' room allows.
        let full_open = 2.0 * below_hips * self.hip_amplitude.sin();
        let wanted = (loop_apart * loop_apart - full_open * full_open)
            .max(0.0)
            .sqrt();
        let mut adduction = ((apart - wanted).max(0.0) / (2.0 * below_hips)).atan();
        let room_here = (apart - 2.0 * radius - LEG_CLEARANCE_M).max(0.0);
        adduction = adduction.min((0.5 * room_here / below_hips).atan());
        if let (Some(l), Some(r)) = (leg_at(body, "left", 0.0), leg_at(body, "right", 0.0)) {
            let ankles = (l.x - r.x).abs();
            let room = (ankles - 2.0 * l.radius.max(r.radius) - LEG_CLEARANCE_M).max(0.0);
            adduction = adduction.min((0.5 * room / hips).atan());
        }
        adduction = adduction.clamp(0.0, MAX_ADDUCTION_DEG.to_radians());
        let amplitude = amplitude_at(apart - 2.0 * below_hips * adduction.tan());
        let hip_amplitude = amplitude
            .max(MIN_HIP_AMPLITUDE_DEG.to_radians())
            .min(self.hip_amplitude);
        // The knee bends less in a short step: a bent knee swings the foot back and opens
        // the legs at the hem as much as the hips do.
        let knee_flexion = self.knee_flexion * hip_amplitude / self.hip_amplitude.max(1e-6);
        WalkCycle {
            hip_amplitude,
            knee_flexion,
            adduction,
            ..self
        }
    }

    /// How long a step of this walk is compared with `reference`'s (the ratio of the
    /// sines of their hip amplitudes): a walk of shorter steps takes them faster to keep
    /// the same speed.
    pub fn step_ratio(&self, reference: &WalkCycle) -> f32 {
        self.hip_amplitude.sin() / reference.hip_amplitude.sin().max(1e-6)
    }
}

/// One leg at a height: where its axis is across the body, its radius there, and the
/// height of its hip joint.
struct LegSection {
    x: f32,
    radius: f32,
    hip_height: f32,
}

/// The section of the leg on `side` at `height` (clamped to the leg's capsules), from the
/// capsules of its thigh and shin bones.
fn leg_at(body: &CapsuleBody, side: &str, height: f32) -> Option<LegSection> {
    let thigh = body.bone(&format!("thigh_{side}"))?;
    let shin = body.bone(&format!("shin_{side}"))?;
    let capsules: Vec<_> = body
        .shapes()
        .iter()
        .filter(|s| s.bone == thigh || s.bone == shin)
        .filter_map(|s| match s.shape {
            Shape::Capsule(c) => Some(c),
            Shape::Sphere(_) => None,
        })
        .collect();
    let lowest = capsules.iter().map(|c| c.a.y.min(c.b.y)).reduce(f32::min)?;
    let y = height.max(lowest);
    let c = capsules
        .iter()
        .min_by(|a, b| span_distance(a, y).total_cmp(&span_distance(b, y)))?;
    let t = if (c.b.y - c.a.y).abs() > 1e-6 {
        ((y - c.a.y) / (c.b.y - c.a.y)).clamp(0.0, 1.0)
    } else {
        0.5
    };
    Some(LegSection {
        x: c.a.lerp(c.b, t).x,
        radius: c.radius,
        hip_height: body.bones()[thigh].joint.y,
    })
}

/// How far `y` is from the height range of capsule `c` (0 inside it).
fn span_distance(c: &catwalk_cloth::Capsule, y: f32) -> f32 {
    let (lo, hi) = (c.a.y.min(c.b.y), c.a.y.max(c.b.y));
    (lo - y).max(y - hi).max(0.0)
}

/// The perimeter of the convex hull of `points` (Andrew's monotone chain).
fn hull_perimeter(mut points: Vec<Vec2>) -> f32 {
    points.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    points.dedup();
    if points.len() < 3 {
        return match points.as_slice() {
            [a, b] => 2.0 * a.distance(*b),
            _ => 0.0,
        };
    }
    let cross = |o: Vec2, a: Vec2, b: Vec2| (a - o).perp_dot(b - o);
    let mut hull: Vec<Vec2> = Vec::with_capacity(2 * points.len());
    for pass in 0..2 {
        let start = hull.len();
        let ordered: Box<dyn Iterator<Item = &Vec2>> = if pass == 0 {
            Box::new(points.iter())
        } else {
            Box::new(points.iter().rev())
        };
        for &p in ordered {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull.iter()
        .zip(hull.iter().cycle().skip(1))
        .map(|(a, b)| a.distance(*b))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::BodyMeasurements;

    fn ring(radius: f32, height: f32, centre: Vec2) -> Vec<Vec3> {
        (0..48)
            .map(|k| {
                let a = k as f32 / 48.0 * 2.0 * PI;
                Vec3::new(
                    centre.x + radius * a.cos(),
                    height,
                    centre.y + radius * a.sin(),
                )
            })
            .collect()
    }

    #[test]
    fn the_hem_loop_is_the_lowest_ring() {
        let mut garment = ring(0.15, 0.1, Vec2::ZERO);
        garment.extend(ring(0.3, 0.5, Vec2::ZERO));
        let hem = HemLoop::of(&garment).expect("hem");
        assert!((hem.height - 0.1).abs() < 1e-6);
        assert!((hem.girth - 2.0 * PI * 0.15).abs() < 0.005, "{}", hem.girth);
        assert!(HemLoop::of(&[]).is_none());
    }

    #[test]
    fn a_loop_higher_up_is_found_above_the_hem() {
        let mut skirt = ring(0.2, 0.1, Vec2::ZERO);
        skirt.extend(ring(0.25, 0.4, Vec2::ZERO));
        let slit_top = HemLoop::above(&skirt, 0.3).expect("loop");
        assert!((slit_top.height - 0.4).abs() < 1e-5);
        assert!(
            (slit_top.girth - 2.0 * PI * 0.25).abs() < 0.02,
            "{slit_top:?}"
        );
        assert!(HemLoop::above(&skirt, 0.5).is_none(), "no cloth that high");
    }

    #[test]
    fn a_narrow_ankle_length_hem_shortens_the_step() {
        let body = CapsuleBody::from_measurements(&BodyMeasurements::average());
        let walk = WalkCycle::default();
        // A pencil hem 90 cm round at the ankle.
        let pencil = HemLoop {
            girth: 0.9,
            height: 0.08,
        };
        let short = walk.within_hem(&body, &pencil);
        assert!(short.hip_amplitude < 0.6 * walk.hip_amplitude, "{short:?}");
        assert!(short.hip_amplitude >= MIN_HIP_AMPLITUDE_DEG.to_radians() - 1e-6);
        assert!(short.step_ratio(&walk) < 0.6);
        assert!(short.knee_flexion < 0.6 * walk.knee_flexion);
        // The same hem at the knee, and a full circle hem at the ankle, let the legs open
        // further.
        let at_knee = walk.within_hem(
            &body,
            &HemLoop {
                height: 0.5,
                ..pencil
            },
        );
        assert!(at_knee.hip_amplitude > short.hip_amplitude);
        let circle = walk.within_hem(
            &body,
            &HemLoop {
                girth: 3.0,
                ..pencil
            },
        );
        assert_eq!(circle, walk);
        // A top's hem, above the hips, does not touch the walk.
        let top = walk.within_hem(
            &body,
            &HemLoop {
                girth: 0.9,
                height: 1.0,
            },
        );
        assert_eq!(top, walk);
    }

    /// `body` with each leg turned out by `angle` at the hip, as an avatar standing with its
    /// feet wide apart.
    fn wide_stance(body: &CapsuleBody, angle: f32) -> CapsuleBody {
        use catwalk_cloth::glam::Affine3A;
        let mut bones = body.bones().to_vec();
        let mut shapes = body.shapes().to_vec();
        for (side, sign) in [("left", 1.0), ("right", -1.0)] {
            let thigh = body.bone(&format!("thigh_{side}")).expect("thigh");
            let shin = body.bone(&format!("shin_{side}")).expect("shin");
            let hip = bones[thigh].joint;
            let out = Affine3A::from_translation(hip)
                * Affine3A::from_rotation_z(sign * angle)
                * Affine3A::from_translation(-hip);
            bones[shin].joint = out.transform_point3(bones[shin].joint);
            for s in shapes
                .iter_mut()
                .filter(|s| s.bone == thigh || s.bone == shin)
            {
                s.shape = s.shape.transformed(&out);
            }
        }
        CapsuleBody::new(bones, shapes).expect("body")
    }

    #[test]
    fn legs_that_stand_too_wide_for_the_loop_are_brought_in_but_not_crossed() {
        let body = wide_stance(
            &CapsuleBody::from_measurements(&BodyMeasurements::average()),
            5f32.to_radians(),
        );
        let walk = WalkCycle::default();
        let (left, right) = (
            leg_at(&body, "left", 0.6).expect("leg"),
            leg_at(&body, "right", 0.6).expect("leg"),
        );
        // A loop just long enough to go round the legs standing: no room to stride.
        let standing = 2.0 * (left.x - right.x).abs() + 2.0 * PI * left.radius.max(right.radius);
        let tight = HemLoop {
            girth: standing / HEM_SLACK,
            height: 0.6,
        };
        let brought_in = walk.within_hem(&body, &tight);
        assert!(brought_in.adduction > 0.0, "{brought_in:?}");
        assert!(brought_in.adduction <= MAX_ADDUCTION_DEG.to_radians() + 1e-6);
        assert!(
            brought_in.hip_amplitude > MIN_HIP_AMPLITUDE_DEG.to_radians(),
            "{brought_in:?}"
        );
        // Posed, the ankles come closer together but keep their clearance.
        let ankles = |w: &WalkCycle| {
            let pose = w.pose(&body, 10.0 * w.stride_period).expect("pose");
            let at = |side: &str| {
                let shin = body.bone(&format!("shin_{side}")).expect("shin");
                let lowest = body
                    .shapes()
                    .iter()
                    .filter(|s| s.bone == shin)
                    .filter_map(|s| match s.shape {
                        Shape::Capsule(c) => Some(if c.a.y < c.b.y { c.a } else { c.b }),
                        Shape::Sphere(_) => None,
                    })
                    .reduce(|p, q| if p.y < q.y { p } else { q })
                    .expect("shin capsule");
                pose.bones[shin].transform_point3(lowest).x
            };
            (at("left") - at("right")).abs()
        };
        let (wide, narrow) = (ankles(&walk), ankles(&brought_in));
        assert!(narrow < wide - 0.01, "ankles {wide} -> {narrow}");
        let shin_radius = leg_at(&body, "left", 0.0).expect("leg").radius;
        assert!(narrow >= 2.0 * shin_radius, "ankles cross: {narrow}");
        // A loop with room for the full stride leaves the stance alone.
        let roomy = walk.within_hem(
            &body,
            &HemLoop {
                girth: 3.0,
                ..tight
            },
        );
        assert_eq!(roomy.adduction, 0.0);
    }

    #[test]
    fn the_loop_round_the_open_legs_fits_in_the_hem() {
        let body = CapsuleBody::from_measurements(&BodyMeasurements::average());
        let hem = HemLoop {
            girth: 1.0,
            height: 0.1,
        };
        let walk = WalkCycle::default().within_hem(&body, &hem);
        let (left, right) = (
            leg_at(&body, "left", hem.height).expect("leg"),
            leg_at(&body, "right", hem.height).expect("leg"),
        );
        let below = 0.5 * (left.hip_height + right.hip_height) - hem.height;
        let open = 2.0 * below * walk.hip_amplitude.sin();
        let side = (left.x - right.x).abs() - 2.0 * below * walk.adduction.tan();
        let apart = (open * open + side * side).sqrt();
        let loop_length = 2.0 * apart + 2.0 * PI * left.radius.max(right.radius);
        assert!(
            (loop_length - HEM_SLACK * hem.girth).abs() < 1e-3,
            "{loop_length} vs {}",
            HEM_SLACK * hem.girth
        );
    }
}
