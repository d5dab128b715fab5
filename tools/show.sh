#!/usr/bin/env bash
# Sets up and runs a local Catwalk show on embedded defaults: the production backend and the
# show server on SQLite, a demo show of generated designs on generated bodies that starts by
# itself, a few hundred simulated viewers whose ratings and purchase intents reach
# production, and the runway window joined to the show as its organizer. Without a display
# the window opens on a virtual one (Xvfb) and Mesa lavapipe renders it. Extra arguments go
# to `catwalk show` (see `catwalk show --help`; `--no-window` for the terminal only).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/catwalk-target}"
command -v cargo >/dev/null || { echo "cargo is missing: install Rust from https://rustup.rs" >&2; exit 1; }
bash tools/setup.sh
# Everything the tests build too, so the two commands share one build of Bevy (building
# only the binary resolves some dependencies' features differently and rebuilds half of it).
cargo build --workspace --all-targets
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
  XDG_RUNTIME_DIR=$(mktemp -d)
  export XDG_RUNTIME_DIR
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [[ " $* " != *" --no-window "* ]] && [[ " $* " != *" --headless "* ]]; then
  echo "No display: the runway window opens on a virtual display (Xvfb); screenshots (P key, --screenshot) show it."
  exec xvfb-run -a -s "-screen 0 1280x720x24" "$CARGO_TARGET_DIR/debug/catwalk" show "$@"
fi
exec "$CARGO_TARGET_DIR/debug/catwalk" show "$@"
