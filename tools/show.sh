#!/usr/bin/env bash
# Sets up and runs a local Catwalk show on embedded defaults: the production backend and the
# show server on SQLite, a demo show that starts by itself, and a few hundred simulated
# viewers whose ratings and purchase intents reach production. Extra arguments go to
# `catwalk show` (see `catwalk show --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/catwalk-target}"
command -v cargo >/dev/null || { echo "cargo is missing: install Rust from https://rustup.rs" >&2; exit 1; }
cargo build -p catwalk
exec "$CARGO_TARGET_DIR/debug/catwalk" show "$@"
