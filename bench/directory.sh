#!/usr/bin/env bash
# ./dev bench directory: the directory search on the nation-scale demo (500k
# services), in-process (build/bench/directory_bench) against the same query
# mix through SQLite (FTS5 + R*Tree) and PostgreSQL (full-text search +
# earthdistance) in the same run, then over HTTP with wrk. Ends with:
#   BENCH directory services=… p50_us=… p99_us=… http_rps=… vs_sqlite=… vs_postgres=… build_s=… bytes_per_service=…
#
# Environment: BENCH_SCALE (nation; town or city for a quick look), BENCH_DB
# (default build/bench-SCALE.db, generated when missing or older than
# build/bespoke), BENCH_QUERIES (1000), BENCH_RUNS (5), BENCH_BASELINE_RUNS (1),
# BENCH_DURATION (10s), BENCH_CONNECTIONS (64).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${BENCH_SCALE:-nation}
DB=${BENCH_DB:-build/bench-$SCALE.db}
BIN=${BESPOKE_BIN:-build/bespoke}
BENCH_BIN=${DIRECTORY_BENCH:-build/bench/directory_bench}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WORK=$(mktemp -d /tmp/bespoke-bench-directory.XXXXXX)
SERVER_PID="" PG_DIR=""
stop_postgres() {
  if [ -n "$PG_DIR" ]; then
    scripts/throwaway-postgres stop "$PG_DIR" >/dev/null 2>&1 || true
    PG_DIR=""
  fi
}
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  fi
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port
source scripts/lib.sh
log() { printf '==> %s\n' "$*" >&2; }

[ -x "$BIN" ] && [ -x "$BENCH_BIN" ] || { echo "bench/directory.sh: build first (./dev build)" >&2; exit 1; }

if [ ! -f "$DB" ] || [ "$BIN" -nt "$DB" ]; then
  log "generating the $SCALE demo into $DB (nation: 2-3 minutes)"
  "$BIN" demo --scale "$SCALE" --seed 1 --db "$DB" --threads "$(nproc)" </dev/null >&2
fi

log "starting a throwaway PostgreSQL cluster"
PG_DIR=$(mktemp -d /tmp/bespoke-bench-pg.XXXXXX)  # not under $WORK: the postgres user must reach it
PG_URL=$(scripts/throwaway-postgres start "$PG_DIR")
# Room for the baseline's tables in shared buffers (the default 128 MB would
# send every larger scan to the kernel's cache), then restart to apply it.
psql -qX "$PG_URL" -c "ALTER SYSTEM SET shared_buffers = '2GB'" -c "ALTER SYSTEM SET work_mem = '64MB'" \
  -c "ALTER SYSTEM SET effective_cache_size = '8GB'" -c "ALTER SYSTEM SET max_wal_size = '8GB'"
PG_CTL=""
for candidate in /usr/lib/postgresql/*/bin/pg_ctl; do [ -x "$candidate" ] && PG_CTL=$candidate; done
if [ "$(id -u)" -eq 0 ]; then
  runuser -u postgres -- "$PG_CTL" -D "$PG_DIR/data" -w -m fast restart >/dev/null
else
  "$PG_CTL" -D "$PG_DIR/data" -w -m fast restart >/dev/null
fi
psql -qX "$PG_URL" -c "CREATE DATABASE bench_directory"
PG_BENCH_URL=${PG_URL/\/postgres\?/\/bench_directory?}

log "in-process: ours, SQLite and PostgreSQL on the same query mix"
"$BENCH_BIN" --db "$DB" --sqlite-out "$WORK/sqlite-baseline.db" --pg "$PG_BENCH_URL" --urls "$WORK/urls.txt" \
  --queries "${BENCH_QUERIES:-1000}" --runs "${BENCH_RUNS:-5}" --baseline-runs "${BENCH_BASELINE_RUNS:-1}" \
  | tee "$WORK/bench.out"
BENCH_LINE=$(grep '^BENCH directory ' "$WORK/bench.out")
stop_postgres
rm -f "$WORK"/sqlite-baseline.db*

log "over HTTP: wrk cycling through the same mix on /api/v1/services"
PORT=$(free_port)
"$BIN" serve --listen "127.0.0.1:$PORT" --db "$DB" 2>"$WORK/bespoke.log" &
SERVER_PID=$!
for _ in $(seq 600); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/readyz" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "bespoke serve stopped:" >&2; tail -n 5 "$WORK/bespoke.log" >&2; break; }
  sleep 0.2
done
BASE="http://127.0.0.1:$PORT"
# The first search builds the server's index: wait for it, and check the endpoint answers.
STATUS=$(curl -s -o "$WORK/first.json" -w '%{http_code}' --max-time 300 "$BASE$(head -n1 "$WORK/urls.txt")" || true)
HTTP_RPS=n/a
if [ "$STATUS" != 200 ]; then
  echo "GET /api/v1/services answered $STATUS (is the endpoint there?); no http_rps" >&2
  head -c 500 "$WORK/first.json" >&2 || true
else
  # Every URL of the mix must be a 200, or the throughput would count errors.
  BAD=0
  while read -r path; do
    code=$(curl -s -o "$WORK/last.json" -w '%{http_code}' "$BASE$path")
    if [ "$code" != 200 ]; then
      BAD=$((BAD + 1))
      [ "$BAD" -le 3 ] && { echo "$code for $path: $(head -c 300 "$WORK/last.json")" >&2; }
    fi
  done < <(head -n 200 "$WORK/urls.txt")
  [ "$BAD" -gt 0 ] && echo "$BAD of the first 200 URLs did not answer 200" >&2
  wrk -t2 -c"$CONNECTIONS" -d2s -s bench/directory.lua "$BASE" -- "$WORK/urls.txt" >/dev/null
  echo "wrk -t2 -c$CONNECTIONS -d$DURATION --latency, cycling through the query mix" >&2
  # Not `tee /dev/stderr`: with stderr sent to a file, that reopens (and truncates) it.
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/directory.lua "$BASE" -- "$WORK/urls.txt" >"$WORK/wrk.out"
  cat "$WORK/wrk.out" >&2
  WRK_OUT=$(cat "$WORK/wrk.out")
  HTTP_RPS=$(echo "$WRK_OUT" | awk '/^Requests\/sec:/ {print $2}')
  if echo "$WRK_OUT" | grep -qE 'Non-2xx|Socket errors'; then
    echo "errors during the wrk run (see above): http_rps counts them" >&2
  fi
fi

echo "${BENCH_LINE/http_rps=pending/http_rps=$HTTP_RPS}"
