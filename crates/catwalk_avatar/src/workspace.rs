//! Finding files of the Catwalk workspace (assets, models, the set-up scripts' `var/`) at
//! run time.
//!
//! A path compiled in from `CARGO_MANIFEST_DIR` is wrong as soon as the binary runs from
//! another checkout (a build cache shared between clones, an installed binary), so the
//! working directory and its ancestors are searched first, then the executable's
//! ancestors, and the compiled-in workspace last.

use std::path::{Path, PathBuf};

/// The workspace this crate was compiled in.
fn compiled_workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `relative` (e.g. `models/shape_regressor.onnx`) in the first workspace that has it:
/// the working directory or an ancestor, the executable's ancestors, then the workspace
/// this crate was compiled in. When none has it, the compiled-in path, for the error
/// message.
pub fn workspace_file(relative: &Path) -> PathBuf {
    let cwd = std::env::current_dir().ok();
    let exe = std::env::current_exe().ok();
    let roots = cwd
        .iter()
        .flat_map(|d| d.ancestors())
        .chain(exe.iter().flat_map(|e| e.ancestors().skip(1)));
    for root in roots {
        let candidate = root.join(relative);
        if candidate.exists() {
            return candidate;
        }
    }
    compiled_workspace().join(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_this_workspace_is_found_and_a_missing_one_names_the_compiled_in_path() {
        let found = workspace_file(Path::new("crates/catwalk_avatar/Cargo.toml"));
        assert!(found.is_file(), "{}", found.display());
        let missing = workspace_file(Path::new("no/such/file.bin"));
        assert!(!missing.exists());
        assert!(missing.ends_with("no/such/file.bin"));
        assert!(missing.starts_with(compiled_workspace()));
    }
}
