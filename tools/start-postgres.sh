#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the catwalk_production integration tests and
# prints its URL on stdout (the only line on stdout):
#
#   export CATWALK_TEST_PG_URL=$(tools/start-postgres.sh)
#   CATWALK_REQUIRE_PG=1 cargo test -p catwalk_production
#
# Installs Debian's `postgresql` package if initdb is missing. Re-running it reuses the
# running cluster. Stop it with: tools/start-postgres.sh --stop
# Settings (environment): CATWALK_PG_DIR (default /tmp/catwalk-pg), CATWALK_PG_PORT
# (default 55432). The cluster trusts local connections and runs with fsync off: tests only.
set -euo pipefail

dir="${CATWALK_PG_DIR:-/tmp/catwalk-pg}"
port="${CATWALK_PG_PORT:-55432}"

bindir=""
for v in 17 16 15 14 13; do
  if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then bindir="/usr/lib/postgresql/$v/bin"; break; fi
done
if [ -z "$bindir" ]; then
  echo "installing postgresql from the Debian packages…" >&2
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq postgresql) >&2
  for v in 17 16 15 14 13; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then bindir="/usr/lib/postgresql/$v/bin"; break; fi
  done
fi
[ -n "$bindir" ] || { echo "no PostgreSQL initdb found after installing" >&2; exit 1; }

# PostgreSQL refuses to run as root; run its tools as the `postgres` user then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
  exit 0
fi

mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >&2
fi
if ! as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >&2
fi
for _ in $(seq 1 60); do
  if "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -q; then
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    exit 0
  fi
  sleep 0.5
done
echo "PostgreSQL did not become ready; see $dir/server.log" >&2
exit 1
