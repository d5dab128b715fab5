//! Binary glTF 2.0 (.glb) export of a skinned body: one mesh (positions with min/max,
//! normals, `JOINTS_0` as u16, normalised `WEIGHTS_0`, u32 indices), a skin whose joints form
//! one hierarchy under the scene's root node, and inverse bind matrices. Metres, Y up,
//! +Z forward.

mod glb;

use std::path::Path;

pub use glb::{GlbError, encode_glb, vertex_normals};

use crate::model::{BodyModel, RestBody};

/// Writes a rest body of `model` as a rigged .glb file.
pub fn write_glb(
    path: &Path,
    model: &BodyModel,
    body: &RestBody,
    name: &str,
) -> Result<(), GlbError> {
    let bytes = encode_glb(model, body, name)?;
    std::fs::write(path, bytes).map_err(|source| GlbError::Io {
        path: path.to_path_buf(),
        source,
    })
}
