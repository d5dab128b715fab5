//! Body measurements that garment programs are drafted from, each with a documented range.
//! Values are parsed once into [`BodyMeasurements`]; a program never sees an unchecked body.

use serde::{Deserialize, Serialize};

use crate::programs::params::{ParamError, ParamRange};

/// Height, floor to crown (cm).
pub const HEIGHT: ParamRange = ParamRange::new("height", 120.0, 210.0, "cm");
/// Bust girth at the fullest point (cm).
pub const BUST: ParamRange = ParamRange::new("bust", 60.0, 160.0, "cm");
/// Natural waist girth (cm).
pub const WAIST: ParamRange = ParamRange::new("waist", 45.0, 160.0, "cm");
/// Hip girth at the fullest point (cm).
pub const HIPS: ParamRange = ParamRange::new("hips", 65.0, 170.0, "cm");
/// Shoulder width, shoulder point to shoulder point across the back (cm).
pub const SHOULDER_WIDTH: ParamRange = ParamRange::new("shoulder_width", 28.0, 55.0, "cm");
/// Arm length, shoulder point to wrist (cm).
pub const ARM_LENGTH: ParamRange = ParamRange::new("arm_length", 40.0, 75.0, "cm");
/// Inseam, crotch to floor (cm).
pub const INSEAM: ParamRange = ParamRange::new("inseam", 55.0, 100.0, "cm");
/// Waist height, floor to natural waist (cm).
pub const WAIST_HEIGHT: ParamRange = ParamRange::new("waist_height", 60.0, 130.0, "cm");
/// Hip depth, natural waist down to the fullest hip line (cm).
pub const HIP_DEPTH: ParamRange = ParamRange::new("hip_depth", 12.0, 30.0, "cm");
/// Shoulder height, floor to the high point of the shoulder where it meets the neck (cm).
pub const SHOULDER_HEIGHT: ParamRange = ParamRange::new("shoulder_height", 90.0, 185.0, "cm");
/// The shoulder height assumed when a sheet does not give one, as a fraction of the height
/// (anthropometric tables put the neck-shoulder point near 0.82 of stature).
pub const DEFAULT_SHOULDER_HEIGHT_RATIO: f64 = 0.818;
/// The shoulder heights accepted, as fractions of the height.
pub const SHOULDER_HEIGHT_RATIOS: (f64, f64) = (0.76, 0.9);

/// A measurement sheet as a person or a size chart writes it (cm), not yet checked.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeasurementSheet {
    /// See [`HEIGHT`].
    pub height: f64,
    /// See [`BUST`].
    pub bust: f64,
    /// See [`WAIST`].
    pub waist: f64,
    /// See [`HIPS`].
    pub hips: f64,
    /// See [`SHOULDER_WIDTH`].
    pub shoulder_width: f64,
    /// See [`ARM_LENGTH`].
    pub arm_length: f64,
    /// See [`INSEAM`].
    pub inseam: f64,
    /// See [`WAIST_HEIGHT`].
    pub waist_height: f64,
    /// See [`HIP_DEPTH`].
    pub hip_depth: f64,
    /// See [`SHOULDER_HEIGHT`]; without it, [`DEFAULT_SHOULDER_HEIGHT_RATIO`] of the height.
    /// A body measured from a mesh gives it: shoulders vary by several centimetres between
    /// people of one height, and a top drafted for lower shoulders than the body's lets the
    /// body show through at the neckline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shoulder_height: Option<f64>,
}

impl MeasurementSheet {
    /// An average adult body (height 172 cm), useful for previews and tests.
    pub const AVERAGE: MeasurementSheet = MeasurementSheet {
        height: 172.0,
        bust: 100.0,
        waist: 84.0,
        hips: 103.5,
        shoulder_width: 36.5,
        arm_length: 54.0,
        inseam: 78.0,
        waist_height: 106.0,
        hip_depth: 20.0,
        shoulder_height: None,
    };
}

/// Why a measurement sheet was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeasurementError {
    /// One value is outside its range.
    #[error(transparent)]
    OutOfRange(#[from] ParamError),
    /// The values contradict each other.
    #[error("{0}")]
    Inconsistent(String),
}

/// Checked body measurements (cm).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "MeasurementSheet", into = "MeasurementSheet")]
pub struct BodyMeasurements(MeasurementSheet);

impl BodyMeasurements {
    /// Checks every value against its range and the values against each other.
    pub fn new(sheet: MeasurementSheet) -> Result<Self, MeasurementError> {
        let s = sheet;
        for (range, value) in [
            (HEIGHT, s.height),
            (BUST, s.bust),
            (WAIST, s.waist),
            (HIPS, s.hips),
            (SHOULDER_WIDTH, s.shoulder_width),
            (ARM_LENGTH, s.arm_length),
            (INSEAM, s.inseam),
            (WAIST_HEIGHT, s.waist_height),
            (HIP_DEPTH, s.hip_depth),
        ] {
            range.check(value)?;
        }
        if let Some(h) = s.shoulder_height {
            SHOULDER_HEIGHT.check(h)?;
            let (lo, hi) = SHOULDER_HEIGHT_RATIOS;
            if h < lo * s.height || h > hi * s.height {
                return Err(MeasurementError::Inconsistent(format!(
                    "shoulder_height {h} cm is not between {:.0}% and {:.0}% of height {} cm; \
                     it is measured from the floor to where the shoulder meets the neck \
                     (leave it out to assume {:.1}% of the height)",
                    lo * 100.0,
                    hi * 100.0,
                    s.height,
                    DEFAULT_SHOULDER_HEIGHT_RATIO * 100.0
                )));
            }
        }
        if s.waist_height >= 0.75 * s.height || s.waist_height <= 0.45 * s.height {
            return Err(MeasurementError::Inconsistent(format!(
                "waist_height {} cm is not between 45% and 75% of height {} cm; \
                 waist height is measured from the floor to the natural waist",
                s.waist_height, s.height
            )));
        }
        if s.inseam >= s.waist_height {
            return Err(MeasurementError::Inconsistent(format!(
                "inseam {} cm must be shorter than waist_height {} cm",
                s.inseam, s.waist_height
            )));
        }
        if s.hip_depth >= s.waist_height - s.inseam + 15.0 {
            return Err(MeasurementError::Inconsistent(format!(
                "hip_depth {} cm puts the hip line below the crotch (waist_height {} cm, \
                 inseam {} cm); hip depth is measured from the natural waist down",
                s.hip_depth, s.waist_height, s.inseam
            )));
        }
        Ok(Self(sheet))
    }

    /// The average body of [`MeasurementSheet::AVERAGE`].
    pub fn average() -> Self {
        Self(MeasurementSheet::AVERAGE)
    }

    /// The checked values.
    pub fn sheet(&self) -> &MeasurementSheet {
        &self.0
    }

    /// Height (cm).
    pub fn height(&self) -> f64 {
        self.0.height
    }
    /// Bust girth (cm).
    pub fn bust(&self) -> f64 {
        self.0.bust
    }
    /// Natural waist girth (cm).
    pub fn waist(&self) -> f64 {
        self.0.waist
    }
    /// Hip girth (cm).
    pub fn hips(&self) -> f64 {
        self.0.hips
    }
    /// Shoulder width (cm).
    pub fn shoulder_width(&self) -> f64 {
        self.0.shoulder_width
    }
    /// Arm length (cm).
    pub fn arm_length(&self) -> f64 {
        self.0.arm_length
    }
    /// Inseam (cm).
    pub fn inseam(&self) -> f64 {
        self.0.inseam
    }
    /// Floor to natural waist (cm).
    pub fn waist_height(&self) -> f64 {
        self.0.waist_height
    }
    /// Natural waist to hip line (cm).
    pub fn hip_depth(&self) -> f64 {
        self.0.hip_depth
    }
    /// Floor to the high point of the shoulder (cm): the sheet's value, or
    /// [`DEFAULT_SHOULDER_HEIGHT_RATIO`] of the height when it has none.
    pub fn shoulder_height(&self) -> f64 {
        self.0
            .shoulder_height
            .unwrap_or(DEFAULT_SHOULDER_HEIGHT_RATIO * self.0.height)
    }

    /// Body girth `drop` cm below the natural waist, interpolated linearly from the waist to
    /// the hip line (and held at the hip girth below it).
    pub fn girth_below_waist(&self, drop: f64) -> f64 {
        let t = (drop / self.hip_depth()).clamp(0.0, 1.0);
        self.waist() + (self.hips() - self.waist()) * t
    }
}

impl TryFrom<MeasurementSheet> for BodyMeasurements {
    type Error = MeasurementError;
    fn try_from(sheet: MeasurementSheet) -> Result<Self, MeasurementError> {
        Self::new(sheet)
    }
}

impl From<BodyMeasurements> for MeasurementSheet {
    fn from(b: BodyMeasurements) -> Self {
        b.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_body_is_valid() {
        assert!(BodyMeasurements::new(MeasurementSheet::AVERAGE).is_ok());
    }

    #[test]
    fn out_of_range_waist_names_the_range() {
        let sheet = MeasurementSheet {
            waist: 20.0,
            ..MeasurementSheet::AVERAGE
        };
        let e = BodyMeasurements::new(sheet).expect_err("waist 20 cm is rejected");
        assert_eq!(
            e.to_string(),
            "waist must be between 45 and 160 cm; got 20 cm"
        );
    }

    #[test]
    fn waist_height_above_the_shoulders_is_inconsistent() {
        let sheet = MeasurementSheet {
            waist_height: 129.0,
            ..MeasurementSheet::AVERAGE
        };
        assert!(matches!(
            BodyMeasurements::new(sheet),
            Err(MeasurementError::Inconsistent(_))
        ));
    }

    #[test]
    fn serde_rejects_an_invalid_sheet() {
        let mut v = serde_json::to_value(MeasurementSheet::AVERAGE).expect("serialize");
        v["hips"] = serde_json::json!(500.0);
        let e = serde_json::from_value::<BodyMeasurements>(v).expect_err("hips 500 rejected");
        assert!(e.to_string().contains("hips must be between"), "{e}");
    }

    #[test]
    fn shoulder_height_defaults_to_a_fraction_of_the_height_and_round_trips() {
        let average = BodyMeasurements::average();
        assert!((average.shoulder_height() - 0.818 * 172.0).abs() < 1e-9);
        let text = serde_json::to_string(&MeasurementSheet::AVERAGE).expect("serialize");
        assert!(!text.contains("shoulder_height"), "{text}");
        let measured = MeasurementSheet {
            shoulder_height: Some(146.5),
            ..MeasurementSheet::AVERAGE
        };
        let text = serde_json::to_string(&measured).expect("serialize");
        let back: BodyMeasurements = serde_json::from_str(&text).expect("parse");
        assert_eq!(back.shoulder_height(), 146.5);
    }

    #[test]
    fn shoulder_height_far_from_the_height_is_inconsistent() {
        for h in [120.0, 160.0] {
            let sheet = MeasurementSheet {
                shoulder_height: Some(h),
                ..MeasurementSheet::AVERAGE
            };
            let e = BodyMeasurements::new(sheet).expect_err("rejected");
            assert!(e.to_string().contains("shoulder_height"), "{e}");
            assert!(e.to_string().contains("leave it out"), "{e}");
        }
    }
}
