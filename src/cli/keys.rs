//! The admin key: from `CATWALK_ADMIN_KEY`, or from a key file that is created with a random
//! key (readable only by its owner) the first time it is needed.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use catwalk_server::AdminKey;
use clap::Args;

/// Where the admin key comes from.
#[derive(Debug, Clone, Args)]
pub struct KeyArgs {
    /// The admin key itself (at least 16 bytes). Prefer the key file in production.
    #[arg(long, env = "CATWALK_ADMIN_KEY", hide_env_values = true)]
    pub admin_key: Option<String>,
    /// File holding the admin key; created with a random key if missing.
    #[arg(long, env = "CATWALK_ADMIN_KEY_FILE", default_value = "var/admin.key")]
    pub admin_key_file: PathBuf,
}

impl KeyArgs {
    /// Loads (or creates) the key.
    pub fn load(&self) -> anyhow::Result<AdminKey> {
        if let Some(k) = &self.admin_key {
            return AdminKey::new(k.as_bytes().to_vec()).context("while reading CATWALK_ADMIN_KEY");
        }
        load_or_create(&self.admin_key_file)
    }
}

fn load_or_create(path: &Path) -> anyhow::Result<AdminKey> {
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("while reading the admin key file {}", path.display()))?;
        let key = text.trim();
        if key.is_empty() {
            bail!(
                "the admin key file {} is empty; delete it to generate a new key",
                path.display()
            );
        }
        return AdminKey::new(key.as_bytes().to_vec())
            .with_context(|| format!("while reading the admin key file {}", path.display()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("while creating {}", dir.display()))?;
    }
    let secret = AdminKey::generate_secret();
    std::fs::write(path, &secret)
        .with_context(|| format!("while writing the admin key file {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    tracing::info!(file = %path.display(), "created a new admin key");
    AdminKey::new(secret.into_bytes()).context("while creating the admin key")
}
