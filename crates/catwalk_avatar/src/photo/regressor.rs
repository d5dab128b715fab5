//! Catwalk's own body-shape regressor (`models/shape_regressor.onnx`, trained by
//! `tools/shape_regressor/train.py` on bodies rendered from the body model; see
//! models/README.md): normalised front and side silhouettes plus height in, body-model
//! parameters out.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::error::PhotoError;
use super::mask::Mask;
use super::runtime::OnnxRuntime;
use super::silhouette::{GRID_COLS, GRID_ROWS};
use crate::fit::FIT_LOCAL_CHANGES;
use crate::model::{BodyParams, Phenotype};

/// What to do when the model is missing.
const HINT: &str = "The model is committed at models/shape_regressor.onnx; restore it with `git checkout models/`, or retrain it (models/README.md).";

/// The phenotype outputs, in order, before the local changes ([`FIT_LOCAL_CHANGES`]).
pub const PHENOTYPE_OUTPUTS: [&str; 7] = [
    "gender",
    "age",
    "muscle",
    "weight",
    "height",
    "proportions",
    "cupsize",
];

/// The committed model's path in the workspace.
pub fn default_regressor_path() -> PathBuf {
    crate::workspace::workspace_file(Path::new("models/shape_regressor.onnx"))
}

/// Number of parameters the regressor outputs.
pub fn output_count() -> usize {
    PHENOTYPE_OUTPUTS.len() + FIT_LOCAL_CHANGES.len()
}

/// Names of the regressor's outputs, in order.
pub fn output_names() -> Vec<String> {
    PHENOTYPE_OUTPUTS
        .iter()
        .chain(FIT_LOCAL_CHANGES.iter())
        .map(|s| (*s).to_string())
        .collect()
}

/// Body parameters as the regressor's output vector, in [`output_names`] order.
pub fn params_to_vector(params: &BodyParams) -> Vec<f32> {
    let p = &params.phenotype;
    let mut out = vec![
        p.gender,
        p.age,
        p.muscle,
        p.weight,
        p.height,
        p.proportions,
        p.cupsize,
    ];
    out.extend(
        FIT_LOCAL_CHANGES
            .iter()
            .map(|name| params.local.get(*name).copied().unwrap_or(0.0)),
    );
    out.into_iter().map(|v| v as f32).collect()
}

/// The inverse of [`params_to_vector`]; values are clamped into their ranges.
pub fn vector_to_params(values: &[f32]) -> BodyParams {
    let v = |i: usize| f64::from(values.get(i).copied().unwrap_or(0.0));
    let phenotype = Phenotype {
        gender: v(0),
        age: v(1),
        muscle: v(2),
        weight: v(3),
        height: v(4),
        proportions: v(5),
        cupsize: v(6),
    }
    .clamped();
    let local = FIT_LOCAL_CHANGES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (
                (*name).to_string(),
                v(PHENOTYPE_OUTPUTS.len() + i).clamp(-1.0, 1.0),
            )
        })
        .collect();
    BodyParams { phenotype, local }
}

/// What the regressor says about one person.
#[derive(Debug, Clone)]
pub struct ShapePrediction {
    /// Body parameters (the body before its height is matched).
    pub params: BodyParams,
    /// The measurement head's tailoring measurements (cm, in
    /// [`crate::measure::MEASUREMENT_NAMES`] order, the height entry set to the typed height),
    /// when the model has that head.
    pub measurements: Option<[f64; 10]>,
}

/// A loaded shape regressor.
pub struct ShapeRegressor {
    session: Mutex<ort::session::Session>,
}

impl std::fmt::Debug for ShapeRegressor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShapeRegressor")
    }
}

impl ShapeRegressor {
    /// Loads the regressor from `path`.
    pub fn load(runtime: &OnnxRuntime, path: &Path) -> Result<ShapeRegressor, PhotoError> {
        let session = runtime.session(path, 1, HINT)?;
        Ok(ShapeRegressor {
            session: Mutex::new(session),
        })
    }

    /// Body parameters (and measurements, when the model has the head) for normalised
    /// `front` and `side` silhouettes of a person `height_cm` tall.
    pub fn predict(
        &self,
        front: &Mask,
        side: &Mask,
        height_cm: f32,
    ) -> Result<ShapePrediction, PhotoError> {
        let fail = |detail: String| PhotoError::Inference {
            model: "shape",
            detail,
        };
        for (name, m) in [("front", front), ("side", side)] {
            if m.width() != GRID_COLS || m.height() != GRID_ROWS {
                return Err(fail(format!(
                    "the {name} silhouette is {}x{}, expected {GRID_COLS}x{GRID_ROWS}",
                    m.width(),
                    m.height()
                )));
            }
        }
        let shape = [1usize, 1, GRID_ROWS as usize, GRID_COLS as usize];
        let tensor = |m: &Mask| {
            ort::value::Tensor::from_array((shape, m.coverage().to_vec()))
                .map_err(|e| fail(e.to_string()))
        };
        let inputs = ort::inputs![
            "front" => tensor(front)?,
            "side" => tensor(side)?,
            "height_cm" => ort::value::Tensor::from_array(([1usize, 1], vec![height_cm])).map_err(|e| fail(e.to_string()))?,
        ];
        let mut session = self
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let outputs = session.run(inputs).map_err(|e| fail(e.to_string()))?;
        let (_, values) = outputs["params"]
            .try_extract_tensor::<f32>()
            .map_err(|e| fail(e.to_string()))?;
        if values.len() != output_count() {
            return Err(fail(format!(
                "expected {} parameters, got {}; the model does not match this version of Catwalk",
                output_count(),
                values.len()
            )));
        }
        let params = vector_to_params(values);
        let measurements = match outputs.get("measurements") {
            None => None,
            Some(head) => {
                let (_, m) = head
                    .try_extract_tensor::<f32>()
                    .map_err(|e| fail(e.to_string()))?;
                if m.len() != 9 {
                    return Err(fail(format!(
                        "expected 9 measurements from the head, got {}; the model does not match this version of Catwalk",
                        m.len()
                    )));
                }
                let mut all = [f64::from(height_cm); 10];
                for (slot, v) in all[1..].iter_mut().zip(m) {
                    *slot = f64::from(*v);
                }
                Some(all)
            }
        };
        Ok(ShapePrediction {
            params,
            measurements,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_survive_the_output_vector() {
        let mut params = BodyParams::average(0.3);
        params.phenotype.weight = 0.8;
        params.local.insert("measure-waist-circ".into(), -0.4);
        let back = vector_to_params(&params_to_vector(&params));
        assert!((back.phenotype.weight - 0.8).abs() < 1e-6);
        assert!((back.phenotype.gender - 0.3).abs() < 1e-6);
        assert!((back.local["measure-waist-circ"] + 0.4).abs() < 1e-6);
        assert_eq!(back.local.len(), FIT_LOCAL_CHANGES.len());
        assert_eq!(output_names().len(), output_count());
    }

    #[test]
    fn out_of_range_outputs_are_clamped() {
        let mut values = vec![0.5f32; output_count()];
        values[3] = 1.7;
        values[PHENOTYPE_OUTPUTS.len()] = -3.0;
        let params = vector_to_params(&values);
        assert_eq!(params.phenotype.weight, 1.0);
        assert_eq!(params.local[FIT_LOCAL_CHANGES[0]], -1.0);
    }
}
