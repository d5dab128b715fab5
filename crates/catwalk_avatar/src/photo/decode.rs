//! Reading a photo safely: the file size, the declared dimensions and the decoder's memory
//! are all bounded before any pixel is decoded, so a tiny file that declares a gigapixel
//! image (a decompression bomb) is refused instead of exhausting memory. Camera rotation
//! (EXIF orientation) is applied, so a phone photo comes out upright.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits, RgbImage};

use super::error::{CaptureError, View};

/// Bounds on what [`decode_photo`] accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeLimits {
    /// Largest file accepted, bytes.
    pub max_file_bytes: usize,
    /// Largest side accepted, pixels.
    pub max_side: u32,
    /// Most memory the decoder may allocate, bytes.
    pub max_alloc: u64,
    /// Smallest shorter side accepted, pixels.
    pub min_short_side: u32,
}

impl Default for DecodeLimits {
    /// Up to 64 MB files and 12,000 px sides (phones make at most ~8,000); at least 320 px.
    fn default() -> Self {
        DecodeLimits {
            max_file_bytes: 64 * 1024 * 1024,
            max_side: 12_000,
            max_alloc: 12_000 * 9_000 * 4,
            min_short_side: 320,
        }
    }
}

/// Decodes a JPEG or PNG photo into RGB, within `limits`.
pub fn decode_photo(
    bytes: &[u8],
    view: View,
    limits: &DecodeLimits,
) -> Result<RgbImage, CaptureError> {
    if bytes.len() > limits.max_file_bytes {
        return Err(CaptureError::TooLarge {
            view,
            detail: format!(
                "the file has {} bytes, more than {}",
                bytes.len(),
                limits.max_file_bytes
            ),
            max_side: limits.max_side,
        });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| CaptureError::Unreadable {
            view,
            detail: e.to_string(),
        })?;
    if reader.format().is_none() {
        return Err(CaptureError::Unreadable {
            view,
            detail: "not a JPEG or PNG image".into(),
        });
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| classify(e, view, limits))?;
    let (width, height) = decoder.dimensions();
    if width > limits.max_side || height > limits.max_side {
        return Err(CaptureError::TooLarge {
            view,
            detail: format!("it declares {width}x{height} px"),
            max_side: limits.max_side,
        });
    }
    if decoder.total_bytes() > limits.max_alloc {
        return Err(CaptureError::TooLarge {
            view,
            detail: format!(
                "{width}x{height} px need {} bytes to decode",
                decoder.total_bytes()
            ),
            max_side: limits.max_side,
        });
    }
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    decoder_limits.max_alloc = Some(limits.max_alloc);
    decoder
        .set_limits(decoder_limits)
        .map_err(|e| classify(e, view, limits))?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| classify(e, view, limits))?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let rgb = image.into_rgb8();
    if rgb.width().min(rgb.height()) < limits.min_short_side {
        return Err(CaptureError::PhotoTooSmall {
            view,
            width: rgb.width(),
            height: rgb.height(),
            min_short_side: limits.min_short_side,
        });
    }
    Ok(rgb)
}

/// Sorts a decoder error into "too large", "truncated" or "unreadable".
fn classify(error: ImageError, view: View, limits: &DecodeLimits) -> CaptureError {
    let detail = error.to_string();
    match &error {
        ImageError::Limits(_) => CaptureError::TooLarge {
            view,
            detail,
            max_side: limits.max_side,
        },
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            CaptureError::Truncated { view, detail }
        }
        _ if looks_truncated(&detail) => CaptureError::Truncated { view, detail },
        _ => CaptureError::Unreadable { view, detail },
    }
}

/// Decoders report early ends of data in their own words.
fn looks_truncated(detail: &str) -> bool {
    let lower = detail.to_ascii_lowercase();
    [
        "eof",
        "end of file",
        "unexpected end",
        "truncated",
        "not enough data",
        "no more data",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}
