//! What can go wrong between a photo file and a body: each failure has a stable code and
//! advice for the person taking the photo, so a client can show "retake" guidance rather
//! than a guessed body.

use std::path::PathBuf;

/// Which of the two photos a problem was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Facing the camera, arms slightly away from the body.
    Front,
    /// Standing side-on to the camera.
    Side,
}

impl View {
    /// "front" or "side".
    pub fn as_str(self) -> &'static str {
        match self {
            View::Front => "front",
            View::Side => "side",
        }
    }
}

impl std::fmt::Display for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A photo that was rejected rather than guessed from. [`CaptureError::code`] is stable and
/// meant for programs; the `Display` text says what is wrong and how to retake the photo.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CaptureError {
    /// The file is not an image this program can read (or not an image at all).
    #[error(
        "the {view} photo cannot be read ({detail}); use a JPEG or PNG straight from the camera"
    )]
    Unreadable {
        /// Which photo.
        view: View,
        /// What the decoder said.
        detail: String,
    },
    /// The image data ends early: the file was cut off while copying or uploading.
    #[error("the {view} photo is truncated ({detail}); copy the original file again")]
    Truncated {
        /// Which photo.
        view: View,
        /// What the decoder said.
        detail: String,
    },
    /// The image declares more pixels than any camera makes, or its file is too big: decoding
    /// it could exhaust memory (a "decompression bomb"), so it was not decoded.
    #[error(
        "the {view} photo is too large to decode safely ({detail}); use a photo of at most {max_side} px on its longer side"
    )]
    TooLarge {
        /// Which photo.
        view: View,
        /// The size found.
        detail: String,
        /// The largest side accepted, in pixels.
        max_side: u32,
    },
    /// The photo has too few pixels to measure from.
    #[error(
        "the {view} photo is {width}x{height} px, too small to measure from; use at least {min_short_side} px on the shorter side"
    )]
    PhotoTooSmall {
        /// Which photo.
        view: View,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// The smallest shorter side accepted.
        min_short_side: u32,
    },
    /// No person was found.
    #[error(
        "no person found in the {view} photo; stand in the middle of the frame, whole body visible, against a plain background"
    )]
    NoPerson {
        /// Which photo.
        view: View,
    },
    /// More than one person-sized figure was found.
    #[error(
        "{count} people found in the {view} photo; only the person being measured may be in the picture"
    )]
    MultiplePeople {
        /// Which photo.
        view: View,
        /// How many figures were found.
        count: usize,
    },
    /// The figure touches the top of the frame.
    #[error(
        "the head is cut off in the {view} photo; step back or hold the camera lower so there is space above the head"
    )]
    HeadCutOff {
        /// Which photo.
        view: View,
    },
    /// The figure touches the bottom of the frame.
    #[error(
        "the feet are cut off in the {view} photo; step back or tilt the camera so both feet and some floor are visible"
    )]
    FeetCutOff {
        /// Which photo.
        view: View,
    },
    /// In the front photo, no gap was found between the arms and the body.
    #[error(
        "the arms are against the body in the front photo; hold them slightly away from the body (about 20 to 30 degrees) so the waist and hips are visible"
    )]
    ArmsAgainstBody,
    /// The figure's long axis leans too far from vertical.
    #[error(
        "the {view} photo is tilted by {degrees:.0} degrees; hold the camera upright (at most {max_degrees:.0} degrees off) at about waist height"
    )]
    CameraTilt {
        /// Which photo.
        view: View,
        /// How far the figure leans, in degrees.
        degrees: f32,
        /// The most accepted.
        max_degrees: f32,
    },
    /// The figure is too few pixels tall to measure.
    #[error(
        "the person in the {view} photo is only {pixels} px tall; step closer so the body fills most of the frame height (at least {min_pixels} px)"
    )]
    PersonTooSmall {
        /// Which photo.
        view: View,
        /// Height of the figure in pixels.
        pixels: u32,
        /// The least accepted.
        min_pixels: u32,
    },
}

impl CaptureError {
    /// A stable machine-readable code, e.g. `"head_cut_off"`.
    pub fn code(&self) -> &'static str {
        match self {
            CaptureError::Unreadable { .. } => "unreadable",
            CaptureError::Truncated { .. } => "truncated",
            CaptureError::TooLarge { .. } => "too_large",
            CaptureError::PhotoTooSmall { .. } => "photo_too_small",
            CaptureError::NoPerson { .. } => "no_person",
            CaptureError::MultiplePeople { .. } => "multiple_people",
            CaptureError::HeadCutOff { .. } => "head_cut_off",
            CaptureError::FeetCutOff { .. } => "feet_cut_off",
            CaptureError::ArmsAgainstBody => "arms_against_body",
            CaptureError::CameraTilt { .. } => "camera_tilt",
            CaptureError::PersonTooSmall { .. } => "person_too_small",
        }
    }
}

/// Everything the photo pipeline can fail with.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// A photo was rejected; retake it as the message says.
    #[error(transparent)]
    Capture(#[from] CaptureError),
    /// The ONNX Runtime library is missing, unreadable or the wrong version.
    #[error(
        "ONNX Runtime could not be loaded from {path}: {detail}. Run `bash tools/fetch-onnx.sh`, or set CATWALK_ORT_LIB to a libonnxruntime.so of version 1.31"
    )]
    Runtime {
        /// The library path tried.
        path: PathBuf,
        /// Why it failed.
        detail: String,
    },
    /// A model file is missing or not a model ONNX Runtime accepts.
    #[error("the model {path} could not be loaded: {detail}. {hint}")]
    Model {
        /// The model path.
        path: PathBuf,
        /// Why it failed.
        detail: String,
        /// What to do about it.
        hint: &'static str,
    },
    /// Running a model failed (an ONNX Runtime error, or outputs of an unexpected shape).
    #[error("running the {model} model failed: {detail}")]
    Inference {
        /// Which model.
        model: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// The typed height is outside what the photo path supports.
    #[error(
        "a height of {height_cm} cm is outside {min}-{max} cm; type the height in centimetres, e.g. 172"
    )]
    Height {
        /// The height given.
        height_cm: f32,
        /// Least accepted.
        min: f32,
        /// Most accepted.
        max: f32,
    },
    /// Building or measuring the estimated body failed.
    #[error("the estimated body could not be built: {0}")]
    Body(String),
    /// The photo file could not be opened.
    #[error("cannot open {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}
