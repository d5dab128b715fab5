//! Synthetic training and evaluation data for the shape regressor, rendered from the body
//! model itself: random bodies over the whole range (both sexes, ages 16 to 80, BMI 17 to
//! 40, with local variations), posed with the arms away from the body, seen by a pinhole
//! camera from the front and the side, with augmentation for clothing, matting errors,
//! camera pitch and pose. Training and held-out sets draw poses and cameras from disjoint
//! bands, so the held-out set shows poses and cameras the regressor never saw.

use glam::{Quat, Vec3};

use super::mask::Mask;
use super::silhouette::{from_binary, normalise};
use crate::fit::FIT_LOCAL_CHANGES;
use crate::model::{AGE_YOUNG_ADULT, BodyModel, BodyParams, Phenotype, RestBody};
use crate::render::{Camera, render_silhouette};
use crate::skeleton::Pose;
use crate::skinning::pose_body;

/// Which set a sample belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Training: arms 18-23 or 28-33 degrees, camera 2.6-3.0 or 3.4-3.8 m away.
    Train,
    /// Held out: arms 23-28 or 33-36 degrees, camera 2.3-2.6 or 3.0-3.4 m away.
    HeldOut,
}

/// A small deterministic random generator (SplitMix64), so a seed names a data set.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
    /// Uniform over the union of two intervals of equal weight.
    pub fn bands(&mut self, a: (f64, f64), b: (f64, f64)) -> f64 {
        if self.unit() < 0.5 {
            self.range(a.0, a.1)
        } else {
            self.range(b.0, b.1)
        }
    }
}

/// Anny's age parameter for an age in years: MakeHuman's anchors (child = 11 years at 1/3,
/// young adult = 25 years at 2/3, old = 90 years at 1), linear between them.
pub fn age_parameter(years: f64) -> f64 {
    if years <= 25.0 {
        1.0 / 3.0 + (years - 11.0) / 14.0 / 3.0
    } else {
        AGE_YOUNG_ADULT + (years - 25.0) / 65.0 / 3.0
    }
}

/// Volume of a closed triangle mesh (m³), by the divergence theorem.
pub fn volume(vertices: &[Vec3], triangles: &[[u32; 3]]) -> f64 {
    let six: f64 = triangles
        .iter()
        .map(|t| {
            let [a, b, c] = t.map(|i| vertices[i as usize].as_dvec3());
            a.dot(b.cross(c))
        })
        .sum();
    (six / 6.0).abs()
}

/// Standing height of a rest body (m): crown above the floor.
pub fn stature(body: &RestBody) -> f64 {
    let (lo, hi) = body
        .vertices
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v.y), hi.max(v.y))
        });
    f64::from(hi - lo)
}

/// Body mass index with Anny's density (980 kg/m³).
pub fn bmi(body: &RestBody, triangles: &[[u32; 3]]) -> f64 {
    let h = stature(body);
    volume(&body.vertices, triangles) * 980.0 / (h * h)
}

/// Draws body parameters: gender mostly near male or female, age 16-80 years, uniform
/// muscle, weight, height and proportions, local changes ~ N(0, 0.3).
pub fn random_params(rng: &mut Rng) -> BodyParams {
    let gender = if rng.unit() < 0.85 {
        if rng.unit() < 0.5 {
            rng.range(0.0, 0.1)
        } else {
            rng.range(0.9, 1.0)
        }
    } else {
        rng.unit()
    };
    let phenotype = Phenotype {
        gender,
        age: age_parameter(rng.range(16.0, 80.0)),
        muscle: rng.unit(),
        weight: rng.unit(),
        height: rng.unit(),
        proportions: rng.unit(),
        cupsize: rng.unit(),
    };
    let local = FIT_LOCAL_CHANGES
        .iter()
        .map(|name| ((*name).to_string(), (0.3 * rng.normal()).clamp(-0.9, 0.9)))
        .collect();
    BodyParams { phenotype, local }
}

/// One rendered sample.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The parameters that made the body.
    pub params: BodyParams,
    /// The rest body.
    pub rest: RestBody,
    /// Stature, cm.
    pub height_cm: f64,
    /// BMI.
    pub bmi: f64,
    /// Normalised front silhouette.
    pub front: Mask,
    /// Normalised side silhouette.
    pub side: Mask,
}

/// How a sample is posed and photographed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shot {
    /// Arms away from the body, degrees.
    pub arms_degrees: f32,
    /// Legs apart, degrees each.
    pub legs_degrees: f32,
    /// Camera distance, m.
    pub distance: f32,
    /// Camera height above the floor as a share of the person's height.
    pub camera_height: f32,
    /// Turn of the body about the vertical axis, degrees.
    pub yaw_degrees: f32,
}

impl Shot {
    /// Draws a shot from the bands of `split`.
    pub fn random(rng: &mut Rng, split: Split) -> Shot {
        let (arms, distance) = match split {
            Split::Train => (
                rng.bands((18.0, 23.0), (28.0, 33.0)),
                rng.bands((2.6, 3.0), (3.4, 3.8)),
            ),
            Split::HeldOut => (
                rng.bands((23.0, 28.0), (33.0, 36.0)),
                rng.bands((2.3, 2.6), (3.0, 3.4)),
            ),
        };
        Shot {
            arms_degrees: arms as f32,
            legs_degrees: rng.range(0.0, 4.0) as f32,
            distance: distance as f32,
            camera_height: rng.range(0.4, 0.65) as f32,
            yaw_degrees: rng.range(-4.0, 4.0) as f32,
        }
    }
}

/// Augmentation strengths (0 = none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Augment {
    /// Loose clothing: up to this many pixels added around the torso and hips.
    pub clothing_px: u32,
    /// Matting error: the boundary moved in or out by up to this many pixels.
    pub matte_px: u32,
}

/// The capture pose of a shot: each upper arm turned in the frontal plane to
/// `arms_degrees` from vertical (the rest pose holds them at about 42 degrees with the
/// forearms bent forward), the forearms straightened along the upper arms, and the legs
/// opened by `legs_degrees` each.
pub fn shot_pose(model: &BodyModel, rest: &RestBody, shot: &Shot) -> Pose {
    let skeleton = &model.skeleton;
    let mut pose = Pose::rest(skeleton);
    let joint = |name: &str| skeleton.index(name).map(|i| rest.joints[i]);
    for (side, sign) in [("L", 1.0f32), ("R", -1.0f32)] {
        let (Some(shoulder), Some(elbow), Some(wrist)) = (
            joint(&format!("upperarm01.{side}")),
            joint(&format!("lowerarm01.{side}")),
            joint(&format!("wrist.{side}")),
        ) else {
            continue;
        };
        let upper = (elbow - shoulder).normalize_or(Vec3::NEG_Y);
        let rest_angle = (sign * upper.x).atan2(-upper.y);
        let turn = shot.arms_degrees.to_radians() - rest_angle;
        pose.set(
            skeleton,
            &format!("upperarm01.{side}"),
            Quat::from_rotation_z(sign * turn),
        );
        let fore = (wrist - elbow).normalize_or(upper);
        pose.set(
            skeleton,
            &format!("lowerarm01.{side}"),
            Quat::from_rotation_arc(fore, upper),
        );
        pose.set(
            skeleton,
            &format!("upperleg01.{side}"),
            Quat::from_rotation_z(sign * shot.legs_degrees.to_radians()),
        );
    }
    pose
}

/// Renders `params` as one sample: front and side photos' silhouettes of `width` x
/// `height` pixels, augmented, normalised.
pub fn render_sample(
    model: &BodyModel,
    params: &BodyParams,
    shot: &Shot,
    augment: &Augment,
    rng: &mut Rng,
    width: u32,
    height: u32,
) -> Option<Sample> {
    let rest = model.build(params).ok()?;
    let stature_m = stature(&rest) as f32;
    let (views_vertices, camera) = shot_views(model, &rest, shot);
    let [turned, side_vertices] = &views_vertices;
    let mut views = Vec::with_capacity(2);
    for vertices in [turned, side_vertices] {
        let silhouette = render_silhouette(
            vertices,
            &model.triangles,
            &camera,
            width as usize,
            height as usize,
        );
        let mut mask = from_binary(silhouette.width, silhouette.height, &silhouette.pixels)?;
        augment_mask(&mut mask, augment, rng);
        let figure = *mask.figures().first()?;
        views.push(normalise(&mask, &figure));
    }
    let side = views.pop()?;
    let front = views.pop()?;
    Some(Sample {
        params: params.clone(),
        bmi: bmi(&rest, &model.triangles),
        height_cm: f64::from(stature_m) * 100.0,
        rest,
        front,
        side,
    })
}

/// The posed body's vertices as the front and the side camera see them (the body is
/// turned a quarter for the side view), and the pinhole camera of the shot.
pub fn shot_views(model: &BodyModel, rest: &RestBody, shot: &Shot) -> ([Vec<Vec3>; 2], Camera) {
    let stature_m = stature(rest) as f32;
    let posed = pose_body(model, rest, &shot_pose(model, rest, shot));
    let yaw = Quat::from_rotation_y(shot.yaw_degrees.to_radians());
    let front: Vec<Vec3> = posed.vertices.iter().map(|&v| yaw * v).collect();
    let side_turn = Quat::from_rotation_y(std::f32::consts::FRAC_PI_2);
    let side: Vec<Vec3> = front.iter().map(|&v| side_turn * v).collect();
    let eye_y = shot.camera_height * stature_m;
    let target = Vec3::new(0.0, 0.5 * stature_m, 0.0);
    let camera = Camera::pinhole(
        Vec3::new(0.0, eye_y, shot.distance),
        target,
        fov_for(stature_m, shot.distance),
    );
    ([front, side], camera)
}

/// A field of view that frames a person of `stature` at `distance` with some margin.
fn fov_for(stature: f32, distance: f32) -> f32 {
    (2.0 * (0.62 * stature / distance).atan()).to_degrees()
}

/// Applies clothing and matting augmentation to a binary mask.
fn augment_mask(mask: &mut Mask, augment: &Augment, rng: &mut Rng) {
    let Some(figure) = mask.figures().first().copied() else {
        return;
    };
    let b = figure.bounds;
    if augment.clothing_px > 0 {
        let grow = (rng.unit() * f64::from(augment.clothing_px + 1)) as u32;
        let band = (
            b.y0 + (0.2 * b.height() as f32) as u32,
            b.y0 + (0.55 * b.height() as f32) as u32,
        );
        for _ in 0..grow {
            dilate_rows(mask, band.0, band.1);
        }
    }
    if augment.matte_px > 0 {
        let steps =
            (rng.unit() * f64::from(2 * augment.matte_px + 1)) as i32 - augment.matte_px as i32;
        for _ in 0..steps.unsigned_abs() {
            if steps > 0 {
                dilate_rows(mask, 0, mask.height());
            } else {
                erode(mask);
            }
        }
    }
}

/// Grows the foreground by one pixel (4-neighbourhood) within rows `y0..y1`.
fn dilate_rows(mask: &mut Mask, y0: u32, y1: u32) {
    let source = mask.clone();
    for y in y0..y1.min(mask.height()) {
        for x in 0..mask.width() {
            if !source.is_set(x, y)
                && (source.is_set(x.wrapping_sub(1), y)
                    || source.is_set(x + 1, y)
                    || source.is_set(x, y.wrapping_sub(1))
                    || source.is_set(x, y + 1))
            {
                mask.set(x, y, 1.0);
            }
        }
    }
}

/// Shrinks the foreground by one pixel (4-neighbourhood).
fn erode(mask: &mut Mask) {
    let source = mask.clone();
    for y in 0..mask.height() {
        for x in 0..mask.width() {
            if source.is_set(x, y)
                && !(source.is_set(x.wrapping_sub(1), y)
                    && source.is_set(x + 1, y)
                    && source.is_set(x, y.wrapping_sub(1))
                    && source.is_set(x, y + 1))
            {
                mask.set(x, y, 0.0);
            }
        }
    }
}
