//! Tailoring measurements of a rest body, taken as ISO 8559-1 describes them: horizontal
//! girths around the convex hull of the cross-section (as a tape lies), at defined levels.
//!
//! Conventions: metres internally, centimetres in [`Measurements`]; Y up with the feet on
//! the floor (y = 0). Levels:
//! - **height**: floor to the top of the head.
//! - **bust** (chest for men): girth of the torso at the bust-point level (the most forward
//!   point of the breast/pectoral area).
//! - **under-bust**: torso girth just below the breast (the lowest breast vertex, less 5 mm).
//! - **waist**: the natural waist, the smallest torso girth between the hip and under-bust levels.
//! - **hip**: girth (torso and both legs) at the level of the greatest posterior
//!   prominence of the buttocks.
//! - **shoulder width**: straight distance between the two acromion points.
//! - **arm length**: acromion → elbow joint → wrist joint, left arm.
//! - **inseam**: crotch to floor.
//! - **neck**: neck girth at mid-neck (the `neck02` joint level).
//! - **thigh**: the largest left-thigh girth within 8 cm below the crotch.

pub mod landmarks;
pub mod section;

use serde::{Deserialize, Serialize};

pub use landmarks::{Landmarks, MissingBone};

use crate::model::RestBody;

/// Level sampling step for extreme girths (m).
const STEP: f32 = 0.005;

/// A body's tailoring measurements, in centimetres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measurements {
    /// Stature, floor to crown.
    pub height: f64,
    /// Bust (chest) girth.
    pub bust: f64,
    /// Under-bust girth.
    pub underbust: f64,
    /// Natural-waist girth.
    pub waist: f64,
    /// Hip girth at the fullest level.
    pub hip: f64,
    /// Shoulder width, acromion to acromion.
    pub shoulder_width: f64,
    /// Arm length, acromion over the elbow to the wrist.
    pub arm_length: f64,
    /// Inseam, crotch to floor.
    pub inseam: f64,
    /// Neck girth.
    pub neck: f64,
    /// Thigh girth.
    pub thigh: f64,
}

/// The measurement names, in [`Measurements::to_array`] order.
pub const MEASUREMENT_NAMES: [&str; 10] = [
    "height",
    "bust",
    "underbust",
    "waist",
    "hip",
    "shoulder_width",
    "arm_length",
    "inseam",
    "neck",
    "thigh",
];

impl Measurements {
    /// The values in [`MEASUREMENT_NAMES`] order.
    pub fn to_array(&self) -> [f64; 10] {
        [
            self.height,
            self.bust,
            self.underbust,
            self.waist,
            self.hip,
            self.shoulder_width,
            self.arm_length,
            self.inseam,
            self.neck,
            self.thigh,
        ]
    }
}

/// Heights (cm above the floor) where the girths were taken.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Levels {
    /// Bust level.
    pub bust: f64,
    /// Under-bust level.
    pub underbust: f64,
    /// Natural waist level.
    pub waist: f64,
    /// Hip level.
    pub hip: f64,
    /// Crotch level (= inseam).
    pub crotch: f64,
    /// Neck level.
    pub neck: f64,
    /// Thigh level.
    pub thigh: f64,
}

/// Why a body could not be measured: its mesh does not have the expected shape (e.g. it is
/// posed or not a body of this model). Measure the rest body built by the model.
#[derive(Debug, thiserror::Error)]
#[error("could not measure the body: {0}")]
pub struct MeasureError(pub String);

/// Measures a rest body.
pub fn measure(lm: &Landmarks, body: &RestBody) -> Result<(Measurements, Levels), MeasureError> {
    let v = &body.vertices;
    let top = v.iter().map(|p| p.y).fold(f32::NEG_INFINITY, f32::max);
    let crotch = lm
        .midline
        .iter()
        .map(|&i| v[i as usize].y)
        .fold(f32::INFINITY, f32::min);
    if !top.is_finite() || !crotch.is_finite() || crotch <= 0.0 || crotch >= top {
        return Err(MeasureError("no crotch point on the body's midline".into()));
    }
    let breast_lowest = lm
        .breast
        .iter()
        .map(|&i| v[i as usize].y)
        .fold(f32::INFINITY, f32::min);
    let bust_point = lm
        .breast
        .iter()
        .map(|&i| v[i as usize])
        .max_by(|a, b| a.z.total_cmp(&b.z))
        .ok_or_else(|| MeasureError("no breast vertices".into()))?;
    let bust_level = bust_point.y;
    let underbust_level = breast_lowest - 0.005;
    if !(crotch < underbust_level && underbust_level < bust_level) {
        return Err(MeasureError(
            "bust and crotch levels are out of order".into(),
        ));
    }
    let bust = section::girth(v, &lm.torso, bust_level);
    let underbust = section::girth(v, &lm.torso, underbust_level);
    // Hip: at the greatest posterior prominence of the buttocks (the most backward point
    // of torso and legs in the lower half between crotch and under-bust).
    let span = underbust_level - crotch;
    let hip_level = lm
        .lower_body
        .iter()
        .map(|&i| v[i as usize])
        .filter(|p| p.y > crotch + 0.02 && p.y < crotch + 0.5 * span)
        .min_by(|a, b| a.z.total_cmp(&b.z))
        .map(|p| p.y)
        .ok_or_else(|| MeasureError("no buttock point on the midline".into()))?;
    let hip = section::girth(v, &lm.torso_and_legs, hip_level);
    // Natural waist: the smallest torso girth between the hip and the under-bust.
    let (waist_level, waist) = section::extreme_girth(
        v,
        &lm.torso_and_legs,
        (hip_level + 0.03).max(crotch + 0.35 * span),
        underbust_level - 0.01,
        STEP,
        -1.0,
    );
    let neck_level = body.joints[lm.neck_joint].y;
    let neck = section::girth(v, &lm.neck, neck_level);
    let (thigh_level, thigh) =
        section::extreme_girth(v, &lm.left_leg, crotch - 0.08, crotch - 0.01, STEP, 1.0);
    let [al, ar] = lm.acromion.map(|i| v[i as usize]);
    let elbow = body.joints[lm.elbow_joint];
    let wrist = body.joints[lm.wrist_joint];
    let arm = al.distance(elbow) + elbow.distance(wrist);
    for (name, g) in [
        ("bust", bust),
        ("under-bust", underbust),
        ("waist", waist),
        ("hip", hip),
        ("neck", neck),
        ("thigh", thigh),
    ] {
        if g.is_nan() || g <= 0.0 {
            return Err(MeasureError(format!("the {name} section is empty")));
        }
    }
    let cm = |m: f32| f64::from(m) * 100.0;
    Ok((
        Measurements {
            height: cm(top),
            bust: cm(bust),
            underbust: cm(underbust),
            waist: cm(waist),
            hip: cm(hip),
            shoulder_width: cm(al.distance(ar)),
            arm_length: cm(arm),
            inseam: cm(crotch),
            neck: cm(neck),
            thigh: cm(thigh),
        },
        Levels {
            bust: cm(bust_level),
            underbust: cm(underbust_level),
            waist: cm(waist_level),
            hip: cm(hip_level),
            crotch: cm(crotch),
            neck: cm(neck_level),
            thigh: cm(thigh_level),
        },
    ))
}
