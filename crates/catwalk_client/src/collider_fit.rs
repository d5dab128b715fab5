//! The capsule body fitted to the avatar's own mesh where a body drafted from measurements
//! leaves it bare: the chest between the bust and the shoulders, the slopes of the
//! shoulders in front of and behind the shoulder capsules, and the taper of the arms and
//! legs.
//!
//! A garment lies on the colliders, not on the mesh the audience sees, so wherever the mesh
//! stands out of the colliders it shows through the garment. The torso fits add capsules
//! to the chest bone, sized from the mesh's vertices skinned to the torso (the back below
//! the shoulder blades can be skinned to the pelvis, so both torso bones count); the limb
//! fit splits each arm and leg capsule into segments as thick as the limb is along them.

use catwalk_garment::BodyMeasurements;
use catwalk_garment::drape::body::{BodyShape, BoneRole, Shape};
use catwalk_garment::drape::{CapsuleBody, DrapeError};
use catwalk_garment::programs::top::SHOULDER_DROP_CM;
use glam::Vec3;

use crate::rig::{MIN_SLICE_VERTICES, SLICE_BAND_M};

/// Whether `bone` of `body` is a torso bone.
fn is_torso(body: &CapsuleBody, bone: u16) -> bool {
    body.bones()
        .get(usize::from(bone))
        .is_some_and(|b| b.role == BoneRole::Torso)
}

/// `body` with slices fitted to the mesh's own sections added to the chest, from its highest
/// slice up to just under the shoulder points. The capsule torso stops at the bust and only
/// the two shoulder capsules stand above it, so a top lay straight from the shoulders to
/// the bust and the upper back, which stands out behind that line, showed through it.
/// Each added slice is rows of capsules along x, side by side from the back to the front of
/// the chest's vertices in a band round its height, each row as wide as the mesh at its
/// depth, all [`SLICE_INSET_M`] inside the mesh.
pub fn fill_upper_chest(
    body: &CapsuleBody,
    vertices: &[Vec3],
    joints: &[[u16; 4]],
    sheet: &BodyMeasurements,
) -> Result<CapsuleBody, DrapeError> {
    let Some(chest) = body.bone("chest") else {
        return Ok(body.clone());
    };
    let mut shapes: Vec<BodyShape> = body.shapes().to_vec();
    let highest = shapes
        .iter()
        .filter(|s| s.bone == chest)
        .filter_map(|s| match s.shape {
            Shape::Capsule(c) if (c.a.y - c.b.y).abs() < 1e-4 => Some(c.a.y),
            _ => None,
        })
        .fold(f32::NEG_INFINITY, f32::max);
    let shoulder_point_y = ((sheet.shoulder_height() - SHOULDER_DROP_CM) / 100.0) as f32;
    if !highest.is_finite() {
        return Ok(body.clone());
    }
    let mut y = highest + UPPER_CHEST_SPACING_M;
    while y < shoulder_point_y - UPPER_CHEST_TOP_GAP_M {
        let band: Vec<Vec3> = vertices
            .iter()
            .zip(joints)
            .filter(|(v, j)| is_torso(body, j[0]) && (v.y - y).abs() < SLICE_BAND_M)
            .map(|(v, _)| *v)
            .collect();
        if band.len() >= MIN_SLICE_VERTICES {
            let back = band.iter().map(|v| v.z).fold(f32::INFINITY, f32::min);
            let front = band.iter().map(|v| v.z).fold(f32::NEG_INFINITY, f32::max);
            // Rows of capsules from back to front, no more than a radius apart, each as wide
            // as the mesh is at its depth: the outline follows the section's own, and stays
            // under the shoulder points.
            let radius = ((front - back) * 0.5 - SLICE_INSET_M)
                .min(UPPER_CHEST_ROW_RADIUS_M)
                .min(shoulder_point_y - y)
                .max(MIN_CHEST_RADIUS_M);
            let (first, last) = (
                back + SLICE_INSET_M + radius,
                front - SLICE_INSET_M - radius,
            );
            let rows = if last > first {
                ((last - first) / radius).ceil() as usize + 1
            } else {
                1
            };
            for r in 0..rows {
                let z = if rows == 1 {
                    (front + back) * 0.5
                } else {
                    first + (last - first) * r as f32 / (rows - 1) as f32
                };
                let (left, right) = band
                    .iter()
                    .filter(|v| (v.z - z).abs() <= radius)
                    .fold((f32::INFINITY, f32::NEG_INFINITY), |(l, h), v| {
                        (l.min(v.x), h.max(v.x))
                    });
                if !left.is_finite() {
                    continue;
                }
                let mid = (left + right) * 0.5;
                let half = ((right - left) * 0.5 - SLICE_INSET_M - radius).max(0.0);
                shapes.push(BodyShape {
                    bone: chest,
                    shape: Shape::Capsule(catwalk_cloth::Capsule {
                        a: Vec3::new(mid - half, y, z),
                        b: Vec3::new(mid + half, y, z),
                        radius,
                    }),
                });
            }
        }
        y += UPPER_CHEST_SPACING_M;
    }
    CapsuleBody::new(body.bones().to_vec(), shapes)
}

/// The largest radius of the capsules an added chest slice is built of, m.
const UPPER_CHEST_ROW_RADIUS_M: f32 = 0.04;
/// Height between the slices [`fill_upper_chest`] adds, m.
const UPPER_CHEST_SPACING_M: f32 = 0.03;
/// How far below the shoulder points the highest added chest slice stays, m: above it the
/// shoulder capsules shape the line a top's shoulder seam lies on.
const UPPER_CHEST_TOP_GAP_M: f32 = 0.03;
/// How far inside the mesh an added chest slice stays, m.
const SLICE_INSET_M: f32 = 0.005;
/// The thinnest chest slice added, m.
const MIN_CHEST_RADIUS_M: f32 = 0.03;

/// `body` with a row of capsules added behind (and in front of) each shoulder capsule
/// where the mesh's shoulder is deeper than it: the shoulder capsules run along the top of
/// the shoulder, and the slope of the upper back behind them showed through a top. Each
/// added capsule runs parallel to its shoulder capsule, [`SLICE_INSET_M`] inside the mesh's
/// back (or front), with its ends lowered to stay under the mesh's top there.
pub fn fill_shoulders(
    body: &CapsuleBody,
    vertices: &[Vec3],
    joints: &[[u16; 4]],
) -> Result<CapsuleBody, DrapeError> {
    let Some(chest) = body.bone("chest") else {
        return Ok(body.clone());
    };
    let mut shapes: Vec<BodyShape> = body.shapes().to_vec();
    let sloped: Vec<_> = body
        .shapes()
        .iter()
        .filter(|s| s.bone == chest)
        .filter_map(|s| match s.shape {
            Shape::Capsule(c) if (c.a.y - c.b.y).abs() > 1e-3 => Some(c),
            _ => None,
        })
        .collect();
    for c in sloped {
        let r = c.radius;
        let (x0, x1) = (c.a.x.min(c.b.x), c.a.x.max(c.b.x));
        let (y0, y1) = (c.a.y.min(c.b.y) - r, c.a.y.max(c.b.y) + 2.0 * r);
        let near: Vec<Vec3> = vertices
            .iter()
            .zip(joints)
            .filter(|(v, j)| {
                is_torso(body, j[0]) && (x0..=x1).contains(&v.x) && (y0..=y1).contains(&v.y)
            })
            .map(|(v, _)| *v)
            .collect();
        if near.len() < MIN_SLICE_VERTICES {
            continue;
        }
        let back = near.iter().map(|v| v.z).fold(f32::INFINITY, f32::min);
        let front = near.iter().map(|v| v.z).fold(f32::NEG_INFINITY, f32::max);
        for z in [back + SLICE_INSET_M + r, front - SLICE_INSET_M - r] {
            if (z - c.a.z).abs() < 0.5 * r {
                continue;
            }
            // The mesh's top along this row, at each end of the capsule.
            let top_at = |x: f32| {
                near.iter()
                    .filter(|v| (v.x - x).abs() < SHOULDER_END_BAND_M && (v.z - z).abs() < 0.5 * r)
                    .map(|v| v.y)
                    .reduce(f32::max)
            };
            let (Some(ta), Some(tb)) = (top_at(c.a.x), top_at(c.b.x)) else {
                continue;
            };
            let a = Vec3::new(c.a.x, (ta - SLICE_INSET_M - r).min(c.a.y), z);
            let b = Vec3::new(c.b.x, (tb - SLICE_INSET_M - r).min(c.b.y), z);
            shapes.push(BodyShape {
                bone: chest,
                shape: Shape::Capsule(catwalk_cloth::Capsule { a, b, radius: r }),
            });
        }
    }
    CapsuleBody::new(body.bones().to_vec(), shapes)
}

/// Half the width of the strip of mesh an added shoulder capsule's end is fitted to, m.
const SHOULDER_END_BAND_M: f32 = 0.015;

/// `body` with each arm and leg capsule split into [`LIMB_SEGMENTS`] capsules along it; on
/// the legs the ends between segments move to the middle of the leg's sections (a shin's
/// flesh is behind the tibia: on the bone's axis the calf stood 1.7 cm out of its capsule
/// and through trousers; the arms' sections are centred within 7 mm, and their first
/// segment sets the A-pose the sleeves are placed for),
/// each as thick as the limb's own vertices along it (their
/// [`LIMB_RADIUS_QUANTILE`] distance from the axis, less [`SLICE_INSET_M`]). A capsule of one
/// radius drafted from the girths was 1.5 cm inside the top of the upper arm, where the
/// deltoid showed through sleeves, 1 cm outside the wrist, and inside the calf, which
/// showed through slim trousers. A thigh segment stays [`THIGH_GAP_M`] clear of the other
/// thigh's axis less its radius, so the crotch seam of trousers has room between the legs
/// even where the mesh's thighs touch.
pub fn fit_limbs(
    body: &CapsuleBody,
    vertices: &[Vec3],
    joints: &[[u16; 4]],
) -> Result<CapsuleBody, DrapeError> {
    let limb = |bone: usize| {
        let b = &body.bones()[bone];
        b.role == BoneRole::Limb
            && ["upper_arm", "forearm", "thigh", "shin"]
                .iter()
                .any(|n| b.name.starts_with(n))
    };
    // The other thigh's capsules, for each thigh bone.
    let thigh_axes = |bone: usize| -> Vec<catwalk_cloth::Capsule> {
        let name = &body.bones()[bone].name;
        let other = match name.as_str() {
            "thigh_left" => body.bone("thigh_right"),
            "thigh_right" => body.bone("thigh_left"),
            _ => None,
        };
        body.shapes()
            .iter()
            .filter(|s| Some(s.bone) == other)
            .filter_map(|s| match s.shape {
                Shape::Capsule(c) => Some(c),
                Shape::Sphere(_) => None,
            })
            .collect()
    };
    let mut shapes = Vec::with_capacity(body.shapes().len() + 16);
    for s in body.shapes() {
        let Shape::Capsule(c) = s.shape else {
            shapes.push(*s);
            continue;
        };
        if !limb(s.bone) {
            shapes.push(*s);
            continue;
        }
        // This bone's vertices along the capsule: parameter and offset from the axis.
        let around: Vec<(f32, Vec3)> = vertices
            .iter()
            .zip(joints)
            .filter(|(_, j)| usize::from(j[0]) == s.bone)
            .filter_map(|(v, _)| {
                let t = c.closest_parameter(*v);
                (t > 0.0 && t < 1.0).then(|| (t, *v - c.a.lerp(c.b, t)))
            })
            .collect();
        let name = &body.bones()[s.bone].name;
        let (thigh, leg) = (name.starts_with("thigh"), name.starts_with("shin"));
        let ends: Vec<Vec3> = (0..=LIMB_SEGMENTS)
            .map(|k| {
                let t = k as f32 / LIMB_SEGMENTS as f32;
                let inner = k > 0 && k < LIMB_SEGMENTS;
                let off = if inner && (thigh || leg) {
                    section_offset(&around, t, thigh, c.radius)
                } else {
                    Vec3::ZERO
                };
                c.a.lerp(c.b, t) + off
            })
            .collect();
        // Distances of the vertices from their segment's axis, by segment.
        let mut by_segment = vec![Vec::new(); LIMB_SEGMENTS];
        for (t, off) in &around {
            let k = ((t * LIMB_SEGMENTS as f32) as usize).min(LIMB_SEGMENTS - 1);
            let v = c.a.lerp(c.b, *t) + *off;
            let segment = catwalk_cloth::Capsule {
                a: ends[k],
                b: ends[k + 1],
                radius: 0.0,
            };
            by_segment[k].push(v.distance(segment.a.lerp(segment.b, segment.closest_parameter(v))));
        }
        let other_thigh = thigh_axes(s.bone);
        for (k, mut d) in by_segment.into_iter().enumerate() {
            let (a, b) = (ends[k], ends[k + 1]);
            let mut radius = if d.len() >= MIN_SLICE_VERTICES {
                d.sort_by(f32::total_cmp);
                let quantile = if leg {
                    SHIN_RADIUS_QUANTILE
                } else {
                    LIMB_RADIUS_QUANTILE
                };
                let q = d[((d.len() - 1) as f32 * quantile) as usize];
                (q - SLICE_INSET_M).max(MIN_LIMB_RADIUS_M)
            } else {
                c.radius
            };
            // Half the room to the other thigh's axis, less half the gap.
            for o in &other_thigh {
                let room = [a, b]
                    .iter()
                    .map(|p| p.distance(o.a.lerp(o.b, o.closest_parameter(*p))))
                    .fold(f32::INFINITY, f32::min);
                radius = radius
                    .min(0.5 * (room - THIGH_GAP_M))
                    .max(MIN_LIMB_RADIUS_M);
            }
            shapes.push(BodyShape {
                bone: s.bone,
                shape: Shape::Capsule(catwalk_cloth::Capsule { a, b, radius }),
            });
        }
    }
    CapsuleBody::new(body.bones().to_vec(), shapes)
}

/// Capsules each arm and leg bone is split into.
pub const LIMB_SEGMENTS: usize = 3;
/// Which of a limb segment's vertex distances from the axis its radius is set to (the
/// section is not round: the median would leave the fuller side bare, the maximum would
/// stand off the rest).
pub const LIMB_RADIUS_QUANTILE: f32 = 0.75;
/// The same for the shins, whose calves bulge behind: at the 75 % quantile the back of the
/// calf showed through slim trousers.
pub const SHIN_RADIUS_QUANTILE: f32 = 0.9;
/// The widest a section's centre is moved off the bone's axis, as a share of the bone
/// capsule's radius.
const MAX_SECTION_OFFSET: f32 = 0.5;
/// The thinnest limb capsule, m.
const MIN_LIMB_RADIUS_M: f32 = 0.015;
/// The least room between the two thighs' capsules, m: two layers of trousers and the
/// crotch seam between them.
pub const THIGH_GAP_M: f32 = 0.015;

/// Which of a hand's or foot's vertex distances from its axis its capsule's radius is set
/// to: hands and feet are flat, so a round capsule as thick as their middle.
const EXTREMITY_RADIUS_QUANTILE: f32 = 0.5;
/// How far along a hand or a foot its capsule reaches: its ends are at these quantiles of
/// its vertices along its length (1 − q at the heel or wrist, q at the toes or fingertips).
const EXTREMITY_LENGTH_QUANTILE: f32 = 0.95;
/// The thickest hand or foot capsule, m.
const MAX_EXTREMITY_RADIUS_M: f32 = 0.035;

/// `body` with a capsule for each hand and foot along its length (heel to toes, wrist to
/// fingertips: the main axis of the vertices past the wrist or ankle), on the forearm or
/// shin bone that carries them. Without them a
/// dress's skirt went through the hands hanging beside it and a trouser hem through the
/// feet. A foot's capsule stays above the floor.
pub fn fit_extremities(
    body: &CapsuleBody,
    vertices: &[Vec3],
    joints: &[[u16; 4]],
) -> Result<CapsuleBody, DrapeError> {
    let mut shapes = body.shapes().to_vec();
    for (bone, b) in body.bones().iter().enumerate() {
        let foot = b.name.starts_with("shin");
        if !(foot || b.name.starts_with("forearm")) {
            continue;
        }
        // The bone's capsule that ends farthest from its joint ends at the wrist or ankle.
        let Some(end) = body
            .shapes()
            .iter()
            .filter(|s| s.bone == bone)
            .filter_map(|s| match s.shape {
                Shape::Capsule(c) => Some(c),
                Shape::Sphere(_) => None,
            })
            .max_by(|x, y| x.b.distance(b.joint).total_cmp(&y.b.distance(b.joint)))
        else {
            continue;
        };
        let along = (end.b - end.a).normalize_or_zero();
        let beyond: Vec<Vec3> = vertices
            .iter()
            .zip(joints)
            .filter(|(v, j)| usize::from(j[0]) == bone && (**v - end.b).dot(along) > 0.0)
            .map(|(v, _)| *v)
            .collect();
        if beyond.len() < MIN_SLICE_VERTICES {
            continue;
        }
        let centre = beyond.iter().copied().sum::<Vec3>() / beyond.len() as f32;
        let Some(dir) = principal_axis(&beyond, centre, centre - end.b) else {
            continue;
        };
        let quantile = |mut d: Vec<f32>, q: f32| {
            d.sort_by(f32::total_cmp);
            d[((d.len() - 1) as f32 * q) as usize]
        };
        let along: Vec<f32> = beyond.iter().map(|v| (*v - centre).dot(dir)).collect();
        let (from, to) = (
            quantile(along.clone(), 1.0 - EXTREMITY_LENGTH_QUANTILE),
            quantile(along, EXTREMITY_LENGTH_QUANTILE),
        );
        let radius = quantile(
            beyond
                .iter()
                .map(|v| {
                    let t = (*v - centre).dot(dir).clamp(from, to);
                    v.distance(centre + dir * t)
                })
                .collect(),
            EXTREMITY_RADIUS_QUANTILE,
        )
        .clamp(MIN_LIMB_RADIUS_M, MAX_EXTREMITY_RADIUS_M);
        // The caps reach the ends.
        let (from, to) = (from + radius, to - radius);
        if to <= from {
            continue;
        }
        let (mut a, mut tip) = (centre + dir * from, centre + dir * to);
        if foot {
            a.y = a.y.max(radius);
            tip.y = tip.y.max(radius);
        }
        shapes.push(BodyShape {
            bone,
            shape: Shape::Capsule(catwalk_cloth::Capsule { a, b: tip, radius }),
        });
    }
    CapsuleBody::new(body.bones().to_vec(), shapes)
}

/// The direction along which `points` spread most about `centre` (power iteration on their
/// covariance, started from `hint`), or `None` when they do not spread.
fn principal_axis(points: &[Vec3], centre: Vec3, hint: Vec3) -> Option<Vec3> {
    let mut cov = glam::Mat3::ZERO;
    for p in points {
        let d = *p - centre;
        cov += glam::Mat3::from_cols(d * d.x, d * d.y, d * d.z);
    }
    let mut dir = hint.try_normalize().unwrap_or(Vec3::Y);
    for _ in 0..32 {
        dir = (cov * dir).try_normalize()?;
    }
    // Point it away from the joint, as the hint does.
    Some(if dir.dot(hint) < 0.0 { -dir } else { dir })
}

/// How far the middle of a limb's section at parameter `t` lies off the bone's axis: the
/// mean offset of the vertices within half a segment of it (none when there are too few),
/// at most [`MAX_SECTION_OFFSET`] of `radius`. A thigh keeps its sideways place, so the
/// room between the thighs stays as the crotch seam needs it.
fn section_offset(around: &[(f32, Vec3)], t: f32, thigh: bool, radius: f32) -> Vec3 {
    let half = 0.5 / LIMB_SEGMENTS as f32;
    let (sum, n) = around
        .iter()
        .filter(|(u, _)| (u - t).abs() < half)
        .fold((Vec3::ZERO, 0usize), |(sum, n), (_, off)| {
            (sum + *off, n + 1)
        });
    if n < MIN_SLICE_VERTICES {
        return Vec3::ZERO;
    }
    let mut off = sum / n as f32;
    if thigh {
        off.x = 0.0;
    }
    off.clamp_length_max(MAX_SECTION_OFFSET * radius)
}
