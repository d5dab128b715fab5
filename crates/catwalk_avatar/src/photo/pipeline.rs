//! The whole photo path: two photo files and a height in, body parameters, the rest body and
//! its measurements out. Models are loaded once ([`PhotoPipeline::load`]); each estimate
//! decodes, mattes (front and side in parallel), checks, normalises, regresses, tunes the
//! height parameter so the body is exactly as tall as the person said, and moves the body's
//! girths onto the ones the regressor's measurement head predicted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::checks::{CheckLimits, check_capture};
use super::decode::{DecodeLimits, decode_photo};
use super::error::{PhotoError, View};
use super::mask::Mask;
use super::matte::{MattingModel, default_modnet_path};
use super::refine::refine_girths;
use super::regressor::{ShapePrediction, ShapeRegressor, default_regressor_path};
use super::runtime::{OnnxRuntime, default_library_path};
use super::silhouette::normalise;
use crate::measure::{Landmarks, Measurements, measure};
use crate::model::{BodyModel, BodyParams, RestBody};

/// The default matting resolution (longer side, pixels).
pub const DEFAULT_MATTE_LONG_SIDE: u32 = 352;

/// Where the pipeline's files are, and the matting resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelinePaths {
    /// The ONNX Runtime library.
    pub onnx_runtime: PathBuf,
    /// The MODNet matting model.
    pub matting: PathBuf,
    /// Catwalk's shape regressor.
    pub regressor: PathBuf,
    /// The longer side, in pixels, photos are matted at (a multiple of 32). MODNet's cost
    /// grows with the pixel count: on this project's 2-core reference machine about 0.5 s
    /// per photo at 512 and 0.25 s at 352 (see BENCHMARKS.md).
    pub matte_long_side: u32,
}

impl Default for PipelinePaths {
    /// The set-up script's locations, or the `CATWALK_ORT_LIB` / `CATWALK_MODNET` overrides.
    fn default() -> Self {
        PipelinePaths {
            onnx_runtime: default_library_path(),
            matting: default_modnet_path(),
            regressor: default_regressor_path(),
            matte_long_side: std::env::var("CATWALK_MATTE_SIZE")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_MATTE_LONG_SIDE),
        }
    }
}

/// How long each stage of one estimate took.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    /// Decoding both photos.
    pub decode: Duration,
    /// Matting both photos (in parallel).
    pub matte: Duration,
    /// Checks and normalisation.
    pub silhouettes: Duration,
    /// The regressor.
    pub regress: Duration,
    /// Building the body, matching the height, measuring.
    pub body: Duration,
}

/// What the photos say about the person.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// Body parameters.
    pub params: BodyParams,
    /// The body in its rest pose.
    pub rest: RestBody,
    /// Its tailoring measurements.
    pub measurements: Measurements,
    /// The normalised silhouettes the regressor saw (front, side).
    pub silhouettes: (Mask, Mask),
    /// Stage timings.
    pub times: StageTimes,
}

/// Loaded models and limits.
#[derive(Debug)]
pub struct PhotoPipeline {
    matting: MattingModel,
    regressor: ShapeRegressor,
    /// Decoding bounds.
    pub decode_limits: DecodeLimits,
    /// Capture-check thresholds.
    pub check_limits: CheckLimits,
}

/// Heights the photo path accepts, cm.
pub const HEIGHT_RANGE_CM: (f32, f32) = (140.0, 205.0);

impl PhotoPipeline {
    /// Loads ONNX Runtime, MODNet (two sessions of one thread: the two photos run in
    /// parallel) and the regressor.
    pub fn load(paths: &PipelinePaths) -> Result<PhotoPipeline, PhotoError> {
        let runtime = OnnxRuntime::load(&paths.onnx_runtime)?;
        Ok(PhotoPipeline {
            matting: MattingModel::load(&runtime, &paths.matting, paths.matte_long_side, 1, 2)?,
            regressor: ShapeRegressor::load(&runtime, &paths.regressor)?,
            decode_limits: DecodeLimits::default(),
            check_limits: CheckLimits::default(),
        })
    }

    /// Decodes, mattes, checks and normalises one photo.
    pub fn silhouette(&self, bytes: &[u8], view: View) -> Result<Mask, PhotoError> {
        let photo = decode_photo(bytes, view, &self.decode_limits)?;
        let matte = self.matting.matte(&photo)?;
        let figure = check_capture(&matte, view, &self.check_limits)?;
        Ok(normalise(&matte, &figure))
    }

    /// Estimates the body of a person `height_cm` tall from the bytes of a front and a side
    /// photo (JPEG or PNG).
    pub fn estimate(
        &self,
        model: &BodyModel,
        landmarks: &Landmarks,
        front: &[u8],
        side: &[u8],
        height_cm: f32,
    ) -> Result<Estimate, PhotoError> {
        let (lo, hi) = HEIGHT_RANGE_CM;
        if !(lo..=hi).contains(&height_cm) {
            return Err(PhotoError::Height {
                height_cm,
                min: lo,
                max: hi,
            });
        }
        let mut times = StageTimes::default();
        let started = Instant::now();
        let (front_photo, side_photo) = (
            decode_photo(front, View::Front, &self.decode_limits)?,
            decode_photo(side, View::Side, &self.decode_limits)?,
        );
        times.decode = started.elapsed();
        let started = Instant::now();
        let (front_matte, side_matte) = std::thread::scope(|scope| {
            let side = scope.spawn(|| self.matting.matte(&side_photo));
            let front = self.matting.matte(&front_photo);
            let side = side.join().unwrap_or_else(|_| {
                Err(PhotoError::Inference {
                    model: "matting",
                    detail: "the side-photo thread panicked".into(),
                })
            });
            (front, side)
        });
        let (front_matte, side_matte) = (front_matte?, side_matte?);
        times.matte = started.elapsed();
        let started = Instant::now();
        let front_figure = check_capture(&front_matte, View::Front, &self.check_limits)?;
        let side_figure = check_capture(&side_matte, View::Side, &self.check_limits)?;
        let silhouettes = (
            normalise(&front_matte, &front_figure),
            normalise(&side_matte, &side_figure),
        );
        times.silhouettes = started.elapsed();
        let started = Instant::now();
        let prediction = self
            .regressor
            .predict(&silhouettes.0, &silhouettes.1, height_cm)?;
        times.regress = started.elapsed();
        let started = Instant::now();
        let (params, rest, measurements) =
            body_from_prediction(model, landmarks, prediction, height_cm)?;
        times.body = started.elapsed();
        Ok(Estimate {
            params,
            rest,
            measurements,
            silhouettes,
            times,
        })
    }
}

/// Builds the body a prediction describes: its parameters, the height matched to
/// `height_cm`, and (when the model predicted measurements) its girths moved onto the
/// predicted ones ([`refine_girths`]).
pub fn body_from_prediction(
    model: &BodyModel,
    landmarks: &Landmarks,
    prediction: ShapePrediction,
    height_cm: f32,
) -> Result<(BodyParams, RestBody, Measurements), PhotoError> {
    let height = f64::from(height_cm);
    let (params, rest) = match_height(model, prediction.params, height)?;
    match prediction.measurements {
        Some(predicted) => {
            let (params, rest, m, _) =
                refine_girths(model, landmarks, (params, rest), &predicted, height)?;
            Ok((params, rest, m))
        }
        None => {
            let (m, _) = measure(landmarks, &rest).map_err(|e| PhotoError::Body(e.to_string()))?;
            Ok((params, rest, m))
        }
    }
}

/// Tunes the height phenotype (secant steps, at most 8 builds) until the body's stature is
/// `height_cm` within 1 mm, or as close as the parameter's range allows.
pub fn match_height(
    model: &BodyModel,
    mut params: BodyParams,
    height_cm: f64,
) -> Result<(BodyParams, RestBody), PhotoError> {
    let build = |p: &BodyParams| model.build(p).map_err(|e| PhotoError::Body(e.to_string()));
    let stature = |body: &RestBody| super::dataset::stature(body) * 100.0;
    let mut rest = build(&params)?;
    let mut prev: Option<(f64, f64)> = None;
    for _ in 0..8 {
        let h = stature(&rest);
        let error = h - height_cm;
        if error.abs() < 0.1 {
            break;
        }
        let x = params.phenotype.height;
        // About 0.55 cm per 0.01 of the parameter for adults; refined by the secant.
        let slope = match prev {
            Some((px, ph)) if (x - px).abs() > 1e-6 => ((h - ph) / (x - px)).max(1.0),
            _ => 55.0,
        };
        prev = Some((x, h));
        let next = (x - error / slope).clamp(0.0, 1.0);
        if (next - x).abs() < 1e-7 {
            break;
        }
        params.phenotype.height = next;
        rest = build(&params)?;
    }
    Ok((params, rest))
}
