//! Typed measurements to fit: the JSON a person types (centimetres), with the accepted
//! ranges and the consistency checks that reject impossible input with a clear message.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::FitError;
use crate::measure::{MEASUREMENT_NAMES, Measurements};
use crate::model::AGE_MIN;

/// Accepted range (cm) of each measurement, in [`MEASUREMENT_NAMES`] order.
pub const MEASUREMENT_RANGES: [(f64, f64); 10] = [
    (130.0, 215.0),
    (60.0, 170.0),
    (55.0, 160.0),
    (45.0, 170.0),
    (65.0, 180.0),
    (28.0, 60.0),
    (30.0, 90.0),
    (50.0, 105.0),
    (22.0, 60.0),
    (35.0, 100.0),
];

/// Gender of the body to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// Female body (gender phenotype 1).
    Female,
    /// Male body (gender phenotype 0).
    Male,
}

/// Typed measurements (cm) to fit; only `gender` and `height` are required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurementTargets {
    /// `"female"` or `"male"`.
    pub gender: Gender,
    /// Age phenotype (1/3 child … 2/3 young adult … 1 old); default young adult.
    #[serde(default)]
    pub age: Option<f64>,
    /// Stature (cm).
    pub height: f64,
    /// Bust / chest girth (cm).
    #[serde(default)]
    pub bust: Option<f64>,
    /// Under-bust girth (cm).
    #[serde(default)]
    pub underbust: Option<f64>,
    /// Natural-waist girth (cm).
    #[serde(default)]
    pub waist: Option<f64>,
    /// Hip girth (cm).
    #[serde(default)]
    pub hip: Option<f64>,
    /// Shoulder width (cm).
    #[serde(default)]
    pub shoulder_width: Option<f64>,
    /// Arm length (cm).
    #[serde(default)]
    pub arm_length: Option<f64>,
    /// Inseam (cm).
    #[serde(default)]
    pub inseam: Option<f64>,
    /// Neck girth (cm).
    #[serde(default)]
    pub neck: Option<f64>,
    /// Thigh girth (cm).
    #[serde(default)]
    pub thigh: Option<f64>,
}

/// Why a measurement file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MeasurementFileError {
    /// The file could not be read.
    #[error("cannot read the measurements {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said (in the message, not a separate cause).
        error: std::io::Error,
    },
    /// The file is not a measurement object.
    #[error(
        "the measurements {} are not valid: {error}; give a JSON object in centimetres with \
         at least \"gender\" and \"height\" (see examples/measurements.json)",
        path.display()
    )]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where the JSON went wrong (in the message, not a separate cause).
        error: serde_json::Error,
    },
}

impl MeasurementTargets {
    /// Reads targets from a JSON file in centimetres (the `catwalk avatar --measurements`
    /// format). Ranges are checked when fitting ([`MeasurementTargets::validate`]).
    pub fn read_json(path: &Path) -> Result<MeasurementTargets, MeasurementFileError> {
        let text = std::fs::read_to_string(path).map_err(|error| MeasurementFileError::Read {
            path: path.to_path_buf(),
            error,
        })?;
        serde_json::from_str(&text).map_err(|error| MeasurementFileError::Parse {
            path: path.to_path_buf(),
            error,
        })
    }

    /// Targets matching every measurement of `m`.
    pub fn from_measurements(gender: Gender, m: &Measurements) -> Self {
        Self {
            gender,
            age: None,
            height: m.height,
            bust: Some(m.bust),
            underbust: Some(m.underbust),
            waist: Some(m.waist),
            hip: Some(m.hip),
            shoulder_width: Some(m.shoulder_width),
            arm_length: Some(m.arm_length),
            inseam: Some(m.inseam),
            neck: Some(m.neck),
            thigh: Some(m.thigh),
        }
    }

    /// The targets in [`MEASUREMENT_NAMES`] order (`None` = not given).
    pub fn to_array(&self) -> [Option<f64>; 10] {
        [
            Some(self.height),
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

    /// Checks ranges and consistency; the error names the measurement and what to fix.
    pub fn validate(&self) -> Result<(), FitError> {
        for ((name, value), (lo, hi)) in MEASUREMENT_NAMES
            .iter()
            .zip(self.to_array())
            .zip(MEASUREMENT_RANGES)
        {
            if let Some(v) = value
                && !(v.is_finite() && (lo..=hi).contains(&v))
            {
                return Err(FitError::OutOfRange {
                    name: (*name).to_string(),
                    value: v,
                    min: lo,
                    max: hi,
                });
            }
        }
        if let Some(age) = self.age
            && !(age.is_finite() && (AGE_MIN..=1.0).contains(&age))
        {
            return Err(FitError::Inconsistent(format!(
                "age {age} is outside [{AGE_MIN:.3}, 1] (2/3 = young adult)"
            )));
        }
        let h = self.height;
        if let (Some(b), Some(u)) = (self.bust, self.underbust)
            && u > b
        {
            return Err(FitError::Inconsistent(format!(
                "under-bust {u} cm is larger than bust {b} cm; the under-bust is measured below the breast and is the smaller"
            )));
        }
        if let Some(i) = self.inseam
            && !(0.35 * h..=0.56 * h).contains(&i)
        {
            return Err(FitError::Inconsistent(format!(
                "inseam {i} cm is not between 35 % and 56 % of the height {h} cm; measure crotch to floor"
            )));
        }
        if let Some(a) = self.arm_length
            && !(0.25 * h..=0.45 * h).contains(&a)
        {
            return Err(FitError::Inconsistent(format!(
                "arm length {a} cm is not between 25 % and 45 % of the height {h} cm; measure shoulder point to wrist"
            )));
        }
        if let (Some(w), Some(hip)) = (self.waist, self.hip)
            && (w > 1.6 * hip || hip > 2.2 * w)
        {
            return Err(FitError::Inconsistent(format!(
                "waist {w} cm and hip {hip} cm are too far apart for a human body; check the units (cm)"
            )));
        }
        if let (Some(n), Some(w)) = (self.neck, self.waist)
            && n > w
        {
            return Err(FitError::Inconsistent(format!(
                "neck {n} cm is larger than waist {w} cm; check the values"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_reads_and_bad_files_say_what_to_fix() {
        let example = crate::workspace::workspace_file(Path::new("examples/measurements.json"));
        let t = MeasurementTargets::read_json(&example).expect("the example reads");
        assert_eq!(
            (t.gender, t.height, t.waist),
            (Gender::Female, 168.0, Some(72.0))
        );

        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("none.json");
        let e = MeasurementTargets::read_json(&missing).expect_err("missing");
        assert!(matches!(e, MeasurementFileError::Read { .. }), "{e}");
        assert!(e.to_string().contains("none.json"), "{e}");

        let typo = dir.path().join("typo.json");
        std::fs::write(&typo, r#"{"gender": "female", "height": 168, "wasit": 70}"#)
            .expect("write");
        let e = MeasurementTargets::read_json(&typo).expect_err("unknown field");
        let text = e.to_string();
        assert!(matches!(e, MeasurementFileError::Parse { .. }), "{text}");
        assert!(
            text.contains("typo.json") && text.contains("wasit"),
            "{text}"
        );
        assert!(text.contains("examples/measurements.json"), "{text}");
    }
}
