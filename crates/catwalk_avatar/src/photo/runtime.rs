//! Loading ONNX Runtime from an explicit, checked path.
//!
//! Catwalk never lets `ort` search for the library on its own: a missing library could make
//! the first call hang or panic. [`OnnxRuntime::load`] checks that the file exists, loads it
//! (which checks the version), and builds the one ONNX Runtime environment a process may
//! have. The library comes from the PyPI `onnxruntime` 1.31.1 wheel, unpacked by
//! `tools/fetch-onnx.sh` into `var/onnxruntime/`; `CATWALK_ORT_LIB` points elsewhere.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::error::PhotoError;

/// The environment variable naming the ONNX Runtime library.
pub const ORT_LIB_ENV: &str = "CATWALK_ORT_LIB";

/// The library file name the set-up script provides.
pub const ORT_LIB_NAME: &str = "libonnxruntime.so.1.31.1";

/// The library path to use: `CATWALK_ORT_LIB` if set, else `var/onnxruntime/` in the workspace
/// ([`crate::workspace::workspace_file`]).
pub fn default_library_path() -> PathBuf {
    match std::env::var_os(ORT_LIB_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => crate::workspace::workspace_file(&Path::new("var/onnxruntime").join(ORT_LIB_NAME)),
    }
}

/// A loaded ONNX Runtime: proof that the library and its environment are ready.
#[derive(Debug, Clone, Copy)]
pub struct OnnxRuntime {
    _private: (),
}

/// The one environment of this process (ONNX Runtime allows one), once built.
static ENVIRONMENT: OnceLock<ort::environment::Environment> = OnceLock::new();
/// Serialises first-time loading so two threads do not race to build the environment.
static LOADING: Mutex<()> = Mutex::new(());

impl OnnxRuntime {
    /// Loads the library at `path` (checked first) and builds the environment. Loading again
    /// is cheap; once a library is loaded, later calls reuse it whatever path they name.
    pub fn load(path: &Path) -> Result<OnnxRuntime, PhotoError> {
        if ENVIRONMENT.get().is_some() {
            return Ok(OnnxRuntime { _private: () });
        }
        let _guard = LOADING
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if ENVIRONMENT.get().is_some() {
            return Ok(OnnxRuntime { _private: () });
        }
        let fail = |detail: String| PhotoError::Runtime {
            path: path.to_path_buf(),
            detail,
        };
        let meta =
            std::fs::metadata(path).map_err(|e| fail(format!("the file is not there ({e})")))?;
        if !meta.is_file() {
            return Err(fail("it is not a file".into()));
        }
        if meta.len() < 1024 * 1024 {
            return Err(fail(format!(
                "it is only {} bytes, too small to be ONNX Runtime",
                meta.len()
            )));
        }
        let builder = ort::init_from(path).map_err(|e| fail(e.to_string()))?;
        let environment = builder
            .with_name("catwalk")
            .build()
            .map_err(|e| fail(e.to_string()))?;
        // The lock above makes this the only writer.
        let _ = ENVIRONMENT.set(environment);
        tracing::info!(path = %path.display(), "ONNX Runtime loaded");
        Ok(OnnxRuntime { _private: () })
    }

    /// Loads from [`default_library_path`].
    pub fn load_default() -> Result<OnnxRuntime, PhotoError> {
        OnnxRuntime::load(&default_library_path())
    }

    /// Opens a model file as a session with `threads` intra-op threads.
    pub fn session(
        &self,
        model: &Path,
        threads: usize,
        hint: &'static str,
    ) -> Result<ort::session::Session, PhotoError> {
        let fail = |detail: String| PhotoError::Model {
            path: model.to_path_buf(),
            detail,
            hint,
        };
        if !model.is_file() {
            return Err(fail("the file is not there".into()));
        }
        let environment = ENVIRONMENT
            .get()
            .ok_or_else(|| fail("ONNX Runtime is not loaded".into()))?;
        let builder =
            ort::session::Session::builder(environment).map_err(|e| fail(e.to_string()))?;
        let mut builder = builder
            .with_intra_threads(threads.max(1))
            .map_err(|e| fail(e.to_string()))?;
        builder
            .commit_from_file(model)
            .map_err(|e| fail(e.to_string()))
    }
}
