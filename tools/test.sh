#!/usr/bin/env bash
# Sets up and runs every check Catwalk has: formatting, clippy with warnings as errors, and
# all tests of the workspace. This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/catwalk-target}"
command -v cargo >/dev/null || { echo "cargo is missing: install Rust from https://rustup.rs" >&2; exit 1; }
bash tools/setup.sh
# A throw-away PostgreSQL cluster: the production backend's tests run on it and on SQLite.
CATWALK_TEST_PG_URL=$(bash tools/start-postgres.sh)
export CATWALK_TEST_PG_URL CATWALK_REQUIRE_PG=1
# The production pages are tested in headless Chromium (installed by setup-system.sh).
export CATWALK_REQUIRE_BROWSER=1
# The runway client's render test runs on Mesa lavapipe (installed by setup-system.sh).
export CATWALK_REQUIRE_GPU=1
# Mesa's Vulkan loader wants a runtime directory; without one it prints harmless errors.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
  XDG_RUNTIME_DIR=$(mktemp -d)
  export XDG_RUNTIME_DIR
fi
echo "== format"
cargo fmt --all -- --check
echo "== clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== tests"
cargo test --workspace
