//! Paths the integration tests share, worked out at run time.
//!
//! Cargo sets `CARGO_MANIFEST_DIR` when it runs a test, so reading it then names the
//! checkout under test even when the binary was built by another checkout sharing the build
//! cache (a path compiled in with `env!` would name that other checkout).

#![allow(dead_code)]

use std::path::PathBuf;

/// This crate's directory in the checkout under test.
pub fn crate_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The workspace root (where `tools/` and `var/` are).
pub fn workspace_dir() -> PathBuf {
    crate_dir().join("../..")
}

/// The two-panel skirt specification the spec, SVG, DXF and mesh tests read.
pub fn skirt_fixture() -> PathBuf {
    crate_dir().join("tests/data/two_panel_skirt_specification.json")
}
