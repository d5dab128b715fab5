//! The GLB container: a JSON chunk describing nodes, mesh, skin and accessors, and a BIN
//! chunk holding the arrays, each 4-byte aligned.

use std::path::PathBuf;

use glam::{Mat4, Vec3};
use serde_json::{Value, json};

use crate::model::{BodyModel, RestBody};

/// Why a .glb could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GlbError {
    /// The body does not belong to the model (vertex or joint counts differ): build it with
    /// the same model.
    #[error(
        "the body has {got} {what} but the model has {expected}; build the body with this model"
    )]
    Mismatch {
        /// Vertices or joints.
        what: &'static str,
        /// The body's count.
        got: usize,
        /// The model's count.
        expected: usize,
    },
    /// The file could not be written: check the folder exists and is writable.
    #[error("could not write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

const ARRAY_BUFFER: u32 = 34962;
const ELEMENT_ARRAY_BUFFER: u32 = 34963;
const FLOAT: u32 = 5126;
const UNSIGNED_SHORT: u32 = 5123;
const UNSIGNED_INT: u32 = 5125;

struct Builder {
    bin: Vec<u8>,
    views: Vec<Value>,
    accessors: Vec<Value>,
}

impl Builder {
    fn push(&mut self, bytes: &[u8], target: Option<u32>) -> usize {
        while !self.bin.len().is_multiple_of(4) {
            self.bin.push(0);
        }
        let mut view =
            json!({ "buffer": 0, "byteOffset": self.bin.len(), "byteLength": bytes.len() });
        if let Some(t) = target {
            view["target"] = json!(t);
        }
        self.bin.extend_from_slice(bytes);
        self.views.push(view);
        self.views.len() - 1
    }

    fn accessor(&mut self, view: usize, component: u32, count: usize, ty: &str) -> usize {
        self.accessors.push(json!({
            "bufferView": view, "componentType": component, "count": count, "type": ty,
        }));
        self.accessors.len() - 1
    }
}

fn f32_bytes(values: impl Iterator<Item = f32>) -> Vec<u8> {
    values.flat_map(f32::to_le_bytes).collect()
}

/// Area-weighted vertex normals (unit length; +Y where a vertex has no area).
pub fn vertex_normals(vertices: &[Vec3], triangles: &[[u32; 3]]) -> Vec<Vec3> {
    let mut n = vec![Vec3::ZERO; vertices.len()];
    for t in triangles {
        let [a, b, c] = t.map(|i| vertices[i as usize]);
        let face = (b - a).cross(c - a);
        for &i in t {
            n[i as usize] += face;
        }
    }
    n.into_iter()
        .map(|v| v.try_normalize().unwrap_or(Vec3::Y))
        .collect()
}

/// Encodes a rest body of `model` as GLB bytes.
pub fn encode_glb(model: &BodyModel, body: &RestBody, name: &str) -> Result<Vec<u8>, GlbError> {
    let nv = model.vertex_count();
    let nj = model.skeleton.len();
    if body.vertices.len() != nv {
        return Err(GlbError::Mismatch {
            what: "vertices",
            got: body.vertices.len(),
            expected: nv,
        });
    }
    if body.joints.len() != nj {
        return Err(GlbError::Mismatch {
            what: "joints",
            got: body.joints.len(),
            expected: nj,
        });
    }
    let mut b = Builder {
        bin: Vec::new(),
        views: Vec::new(),
        accessors: Vec::new(),
    };

    let (mut lo, mut hi) = (Vec3::splat(f32::INFINITY), Vec3::splat(f32::NEG_INFINITY));
    for p in &body.vertices {
        lo = lo.min(*p);
        hi = hi.max(*p);
    }
    let v = b.push(
        &f32_bytes(body.vertices.iter().flat_map(|p| p.to_array())),
        Some(ARRAY_BUFFER),
    );
    let position = b.accessor(v, FLOAT, nv, "VEC3");
    b.accessors[position]["min"] = json!(lo.to_array());
    b.accessors[position]["max"] = json!(hi.to_array());

    let normals = vertex_normals(&body.vertices, &model.triangles);
    let v = b.push(
        &f32_bytes(normals.iter().flat_map(|p| p.to_array())),
        Some(ARRAY_BUFFER),
    );
    let normal = b.accessor(v, FLOAT, nv, "VEC3");

    // Influences: zero weights get joint 0, so no joint repeats with a non-zero weight.
    let mut joint_bytes = Vec::with_capacity(nv * 8);
    let mut weight_values = Vec::with_capacity(nv * 4);
    for (j, w) in model.skin_joints.iter().zip(&model.skin_weights) {
        let total: f32 = w.iter().sum();
        for k in 0..4 {
            let (joint, weight) = if w[k] > 0.0 {
                (j[k], w[k] / total)
            } else {
                (0, 0.0)
            };
            joint_bytes.extend_from_slice(&joint.to_le_bytes());
            weight_values.push(weight);
        }
    }
    let v = b.push(&joint_bytes, Some(ARRAY_BUFFER));
    let joints0 = b.accessor(v, UNSIGNED_SHORT, nv, "VEC4");
    let v = b.push(&f32_bytes(weight_values.into_iter()), Some(ARRAY_BUFFER));
    let weights0 = b.accessor(v, FLOAT, nv, "VEC4");

    let index_bytes: Vec<u8> = model
        .triangles
        .iter()
        .flat_map(|t| t.iter().flat_map(|i| i.to_le_bytes()))
        .collect();
    let v = b.push(&index_bytes, Some(ELEMENT_ARRAY_BUFFER));
    let indices = b.accessor(v, UNSIGNED_INT, model.triangles.len() * 3, "SCALAR");

    let ibm: Vec<f32> = body
        .joints
        .iter()
        .flat_map(|h| Mat4::from_translation(-*h).to_cols_array())
        .collect();
    let v = b.push(&f32_bytes(ibm.into_iter()), None);
    let inverse_bind = b.accessor(v, FLOAT, nj, "MAT4");

    // Nodes: 0 = the skinned mesh, 1.. = joints (joint i is node 1 + i, the root joint
    // node 1); both roots are in the scene.
    let mut nodes = vec![json!({ "name": name, "mesh": 0, "skin": 0 })];
    for i in 0..nj {
        let parent_head = model.skeleton.parents[i].map_or(Vec3::ZERO, |p| body.joints[p]);
        let t = body.joints[i] - parent_head;
        let mut node = json!({ "name": model.skeleton.names[i], "translation": t.to_array() });
        let children: Vec<usize> = (0..nj)
            .filter(|&c| model.skeleton.parents[c] == Some(i))
            .map(|c| c + 1)
            .collect();
        if !children.is_empty() {
            node["children"] = json!(children);
        }
        nodes.push(node);
    }

    while !b.bin.len().is_multiple_of(4) {
        b.bin.push(0);
    }
    let gltf = json!({
        "asset": { "version": "2.0", "generator": "catwalk_avatar" },
        "scene": 0,
        "scenes": [{ "name": name, "nodes": [0, 1] }],
        "nodes": nodes,
        "meshes": [{
            "name": name,
            "primitives": [{
                "attributes": {
                    "POSITION": position, "NORMAL": normal,
                    "JOINTS_0": joints0, "WEIGHTS_0": weights0,
                },
                "indices": indices,
                "mode": 4,
            }],
        }],
        "skins": [{
            "name": format!("{name}-rig"),
            "inverseBindMatrices": inverse_bind,
            "skeleton": 1,
            "joints": (0..nj).map(|i| i + 1).collect::<Vec<_>>(),
        }],
        "accessors": b.accessors,
        "bufferViews": b.views,
        "buffers": [{ "byteLength": b.bin.len() }],
    });
    let mut json_bytes = serde_json::to_vec(&gltf).unwrap_or_default();
    while !json_bytes.len().is_multiple_of(4) {
        json_bytes.push(b' ');
    }
    let total = 12 + 8 + json_bytes.len() + 8 + b.bin.len();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"glTF");
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&(json_bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(b"JSON");
    out.extend_from_slice(&json_bytes);
    out.extend_from_slice(&(b.bin.len() as u32).to_le_bytes());
    out.extend_from_slice(b"BIN\0");
    out.extend_from_slice(&b.bin);
    Ok(out)
}
