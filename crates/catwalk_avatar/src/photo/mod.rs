//! From a front photo, a side photo and a height to body-model parameters, on the user's
//! own machine: photos are decoded within bounds, matted by MODNet through ONNX Runtime,
//! checked (one whole upright person, arms away from the body), reduced to normalised
//! silhouettes and regressed to body parameters by Catwalk's own shape model. Photos never
//! leave the process and are not written anywhere.
//!
//! # Layout
//! - [`error`]: [`CaptureError`] (retake advice with stable codes) and [`PhotoError`].
//! - [`runtime`]: [`OnnxRuntime`], loading the ONNX Runtime library from a checked path.
//! - [`decode`]: [`decode_photo`], bounded decoding with EXIF orientation.
//! - [`mask`]: [`Mask`], coverage grids and the shape measurements the checks use.
//! - [`matte`]: [`MattingModel`], MODNet person matting.
//! - [`checks`]: [`check_capture`], the capture checks.
//! - [`pipeline`]: [`PhotoPipeline`], the whole path from two photos and a height.
//! - [`silhouette`]: the regressor's normalised silhouette grid.
//! - [`regressor`]: [`ShapeRegressor`], silhouettes + height → body parameters and
//!   measurements.
//! - [`refine`]: [`refine_girths`], the body's girths moved onto the predicted ones.
//! - [`synthetic`]: shaded synthetic photos of a known body, for tests and benchmarks.
//! - [`dataset`]: random bodies, poses, cameras and augmentation for training and
//!   evaluating the regressor.

pub mod checks;
pub mod dataset;
pub mod decode;
pub mod error;
pub mod mask;
pub mod matte;
pub mod pipeline;
pub mod refine;
pub mod regressor;
pub mod runtime;
pub mod silhouette;
pub mod synthetic;

pub use checks::{CheckLimits, check_capture};
pub use decode::{DecodeLimits, decode_photo};
pub use error::{CaptureError, PhotoError, View};
pub use mask::{Figure, Mask, PixelBox};
pub use matte::MattingModel;
pub use pipeline::{Estimate, PhotoPipeline, PipelinePaths};
pub use refine::{Refinement, refine_girths};
pub use regressor::{ShapePrediction, ShapeRegressor};
pub use runtime::OnnxRuntime;
