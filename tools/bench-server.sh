#!/usr/bin/env bash
# Load benchmark of the show server, and of a plain Node `ws` broadcast server under the
# same load for comparison. Writes JSON reports to target-bench/ and prints a summary.
#
#   VIEWERS=10000 SECONDS_MEASURED=30 bash tools/bench-server.sh
#
# Both servers run on this machine with the load generator; the generator spreads its
# connections over 127.0.0.1 and 127.0.0.2.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/catwalk-target}"
VIEWERS="${VIEWERS:-10000}"
MEASURE="${SECONDS_MEASURED:-30}"
WRITE_EVERY_MS="${WRITE_EVERY_MS:-2000}"
LOOK_EVERY_MS="${LOOK_EVERY_MS:-2000}"
OUT="${OUT:-target-bench}"
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; cp "$work/serve.out" /tmp/serve.out 2>/dev/null; rm -rf "$work"' EXIT

cargo build --release -p catwalk --no-default-features
bin="$CARGO_TARGET_DIR/release/catwalk"
(cd tools/ws-broadcast && npm ci --silent --no-audit --no-fund)

load() { # url pid report
  "$bin" loadgen --url "$1" --server-pid "$2" --viewers "$VIEWERS" --seconds "$MEASURE" \
    --look-every-ms "$LOOK_EVERY_MS" --write-every-ms "$WRITE_EVERY_MS" \
    --local-ips 127.0.0.1,127.0.0.2 --admin-key-file "$work/admin.key" --json "$3" >/dev/null
}

echo "== catwalk show server: $VIEWERS viewers, ${MEASURE}s"
RUST_LOG=warn "$bin" serve ${SERVE_ARGS:-} --listen 127.0.0.1:9400 --db "$work/bench.db" \
  --admin-key-file "$work/admin.key" >"$work/serve.out" 2>&1 &
server=$!
sleep 1
load ws://127.0.0.1:9400 "$server" "$OUT/catwalk.json"
kill -TERM "$server"; wait "$server" || true

if [ "${NODE:-1}" = 0 ]; then cat "$OUT/catwalk.json"; exit 0; fi

echo "== node ws baseline: $VIEWERS viewers, ${MEASURE}s"
node tools/ws-broadcast/server.js --port 9401 --looks 200 >"$work/node.out" &
node=$!
sleep 1
load ws://127.0.0.1:9401 "$node" "$OUT/node.json" || true
kill -TERM "$node"; wait "$node" || true

python3 - "$OUT/catwalk.json" "$OUT/node.json" <<'PY'
import json, sys
c, n = (json.load(open(p)) for p in sys.argv[1:3])
rows = [
    ("viewers joined", "viewers_joined", "{:.0f}"),
    ("look-change fan-out p50 (ms)", "fanout_p50_ms", "{:.1f}"),
    ("look-change fan-out p99 (ms)", "fanout_p99_ms", "{:.1f}"),
    ("look changes received before they took effect", "on_time_share", "{:.4f}"),
    ("acked writes per second", "acked_per_sec", "{:.0f}"),
    ("server memory per viewer (KiB)", "server_kib_per_viewer", "{:.1f}"),
    ("every acked write counted once", "reconciled", "{}"),
]
print("| measure | catwalk | node ws | catwalk / node |")
print("|---|---|---|---|")
for label, key, fmt in rows:
    a, b = c.get(key), n.get(key)
    ratio = f"{a / b:.2f}" if isinstance(a, (int, float)) and not isinstance(a, bool) and b else ""
    print(f"| {label} | {fmt.format(a) if a is not None else '-'} | {fmt.format(b) if b is not None else '-'} | {ratio} |")
PY
