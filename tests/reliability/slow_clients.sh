#!/usr/bin/env bash
# Slow-client check (reliability.md §6 item 4): black-box, bounded, with
# Debian's slowhttptest. Starts `bespoke serve` on a free loopback port and runs
# three attacks from 127.0.0.1 against it:
#   slowloris (headers trickled), slow body (POST body trickled), slow read
#   (tiny receive window, reads 32 bytes every 5 s).
# While each attack runs, a legitimate client on another source address
# (127.0.0.2) keeps asking for /healthz: the per-address connection cap must
# stop the attacker, not everyone.
#
# Usage: tests/reliability/slow_clients.sh [path/to/bespoke]   (default build/bespoke)
# Needs: slowhttptest, curl; node or python3 to pick a free port (else it tries).
# Prints one `ok - …` / `not ok - …` line per check, then `N passed, N failed`;
# exits 1 if any check failed, 2 if it could not run at all. Takes ~45 s.
# KEEP_TMP=1 keeps the temporary folder (CSV, HTML reports, server log).
set -uo pipefail

BIN=${1:-build/bespoke}
[[ $BIN == */* ]] || BIN=./$BIN
if [[ ! -x $BIN ]]; then
  echo "slow_clients.sh: no executable at $BIN" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
for tool in slowhttptest curl; do
  command -v "$tool" >/dev/null || { echo "slow_clients.sh: $tool is not installed" >&2; exit 2; }
done

# Server settings under test, and the attack's shape. The environment may
# override the first four, e.g. to see the checks fail (HEADER_TIMEOUT_MS=60000,
# or LEGIT_ADDR=127.0.0.1 to put the legitimate client behind the attacker's cap).
HEADER_TIMEOUT_MS=${HEADER_TIMEOUT_MS:-5000}
BODY_TIMEOUT_MS=${BODY_TIMEOUT_MS:-5000}
PER_ADDRESS=${PER_ADDRESS:-256}
LEGIT_ADDR=${LEGIT_ADDR:-127.0.0.2}
CONNS=400          # attacker's connections: more than PER_ADDRESS, so the cap is hit
RATE=100           # new attack connections per second
LIMIT=20           # slowhttptest's own time limit, seconds
STRONG=200         # an attack "holds" the server in a second when >= this many are connected
PROBE_EVERY=0.25   # seconds between legitimate requests
MIN_RUN=3          # legitimate requests that must succeed in a row while an attack holds

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bespoke-slow.XXXXXX")
SERVER_PID=""
BG_PIDS=()

cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "# kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0
check() {  # check <0|1 (1 = pass)> <description>
  if [[ $1 == 1 ]]; then
    echo "ok - $2"
    PASSED=$((PASSED + 1))
  else
    echo "not ok - $2"
    FAILED=$((FAILED + 1))
  fi
}
finish() {
  echo "$PASSED passed, $FAILED failed"
  [[ $FAILED == 0 ]] && exit 0 || exit 1
}

now() { echo "${EPOCHREALTIME/[.,]/.}"; }  # seconds since the epoch, with microseconds

free_port() {
  if command -v node >/dev/null; then
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  elif command -v python3 >/dev/null; then
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
  else
    echo $((20000 + RANDOM % 40000))
  fi
}

http_code() {  # http_code <url> [curl args…]: the status, or 000
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url" 2>/dev/null || true
}

open_connections() {  # from /metrics, asked from the legitimate address
  curl -s --max-time 2 "${LEGIT[@]}" "$BASE/metrics" 2>/dev/null |
    awk '$1 == "http_open_connections" { print $2; found = 1 } END { if (!found) print "?" }'
}

# --- 1. database and server ----------------------------------------------------
if ! "$BIN" migrate --db "$TMP/t.db" >"$TMP/migrate.log" 2>&1; then
  echo "slow_clients.sh: migrate failed:" >&2
  cat "$TMP/migrate.log" >&2
  exit 2
fi

PORT=""
for _ in 1 2 3 4 5; do
  port=$(free_port)
  "$BIN" serve --listen "127.0.0.1:$port" --db "$TMP/t.db" \
    --header-timeout-ms "$HEADER_TIMEOUT_MS" --body-timeout-ms "$BODY_TIMEOUT_MS" \
    --max-connections-per-address "$PER_ADDRESS" >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do  # up to 10 s for /readyz
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    if [[ $(http_code "http://127.0.0.1:$port/readyz") == 200 ]]; then PORT=$port; break 2; fi
    sleep 0.1
  done
  kill -KILL "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
done
if [[ -z $PORT ]]; then
  echo "slow_clients.sh: the server did not become ready; its log:" >&2
  tail -n 20 "$TMP/server.log" >&2
  exit 2
fi
BASE="http://127.0.0.1:$PORT"
echo "# bespoke at $BASE (pid $SERVER_PID), per-address cap $PER_ADDRESS, header/body deadlines ${HEADER_TIMEOUT_MS}/${BODY_TIMEOUT_MS} ms"

# The legitimate client's own source address. Linux routes all of 127/8 to lo,
# so 127.0.0.2 works without set-up; if not, fall back (and the cap will bite).
LEGIT=(--interface "$LEGIT_ADDR")
if [[ $LEGIT_ADDR != 127.0.0.2 ]]; then
  echo "# the legitimate client sends from $LEGIT_ADDR (LEGIT_ADDR)"
elif [[ $(http_code "$BASE/healthz" "${LEGIT[@]}") != 200 ]]; then
  echo "# cannot send from $LEGIT_ADDR; the legitimate client shares 127.0.0.1 with the attacker"
  LEGIT=()
  LEGIT_ADDR=127.0.0.1
fi

# --- 2 and 3. attacks ------------------------------------------------------------
# Legitimate client: one /healthz every PROBE_EVERY s; lines "<seconds since t0> <ok|fail> <status>".
probe_loop() {  # probe_loop <t0> <out>
  local t0=$1 out=$2 code t
  while :; do
    t=$(now)
    code=$(curl -fsS -o /dev/null -w '%{http_code}' --max-time 2 "${LEGIT[@]}" "$BASE/healthz" 2>/dev/null) || code=${code:-000}
    if [[ $code == 200 ]]; then
      awk -v t="$t" -v t0="$t0" -v c="$code" 'BEGIN { printf "%.3f ok %s\n", t - t0, c }' >>"$out"
    else
      awk -v t="$t" -v t0="$t0" -v c="$code" 'BEGIN { printf "%.3f fail %s\n", t - t0, c }' >>"$out"
    fi
    sleep "$PROBE_EVERY"
  done
}

# csv_column <csv> <header name>: that column, one value a line (header matched case-insensitively).
csv_column() {
  awk -F, -v want="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) { h = tolower($i); gsub(/^ +| +$/, "", h); if (h == tolower(want)) col = i }
              if (!col) exit 3; next }
    { print $col }' "$1"
}

attack() {  # attack <name> <description> <slowhttptest args…>
  local name=$1 what=$2
  shift 2
  local csv="$TMP/$name.csv" probes="$TMP/$name.probes" t0 rc
  : >"$probes"
  t0=$(now)
  timeout 60 slowhttptest "$@" -c "$CONNS" -r "$RATE" -p 3 -l "$LIMIT" -g -o "$TMP/$name" >"$TMP/$name.out" 2>&1 &
  local attacker=$!
  BG_PIDS+=("$attacker")
  probe_loop "$t0" "$probes" &
  local prober=$!
  BG_PIDS+=("$prober")
  wait "$attacker"
  rc=$?
  kill "$prober" 2>/dev/null
  wait "$prober" 2>/dev/null
  local elapsed
  elapsed=$(awk -v t="$(now)" -v t0="$t0" 'BEGIN { printf "%.1f", t - t0 }')
  echo "# $name: $what; slowhttptest exit $rc after ${elapsed} s: $(grep -a -o 'Exit status:.*' "$TMP/$name.out" | sed 's/\x1b\[[0-9;]*m//g' | head -n 1)"

  # 3a. slowhttptest's own probe. Note: it connects from 127.0.0.1 too and counts
  # any answer (a 503 "too many connections from your address" included).
  if [[ ! -s $csv ]]; then
    check 0 "$name: slowhttptest wrote its CSV report"
  else
    local avail
    avail=$(csv_column "$csv" "service available")
    if [[ -z $avail ]]; then
      check 0 "$name: CSV has a \"Service Available\" column"
    else
      local rows zeros
      rows=$(grep -c . <<<"$avail")
      zeros=$(grep -cx '0' <<<"$avail")
      check "$([[ $zeros == 0 ]] && echo 1 || echo 0)" \
        "$name: slowhttptest saw the service available in all $rows seconds ($zeros unavailable)"
    fi
    local peak
    peak=$(csv_column "$csv" connected | sort -n | tail -n 1)
    echo "# $name: peak attack connections $peak; CSV (s,closed,pending,connected,available): $(tail -n +2 "$csv" | tr '\n' ' ')"
  fi

  # 3b. the legitimate client, during the seconds in which the attack held >= STRONG connections.
  local strong_secs=""
  [[ -s $csv ]] && strong_secs=$(awk -F, -v s="$STRONG" '
    NR == 1 { for (i = 1; i <= NF; i++) { h = tolower($i); if (h == "seconds") a = i; if (h == "connected") b = i }; next }
    a && b && $b + 0 >= s { print $a }' "$csv" | tr '\n' ' ')
  local summary
  summary=$(awk -v secs="$strong_secs" '
    BEGIN { n = split(secs, s, " "); for (i = 1; i <= n; i++) strong[s[i]] = 1 }
    { all++; if ($2 == "ok") allok++
      if (!(int($1) in strong)) next
      inwin++
      if ($2 == "ok") { ok++; run++; if (run > best) best = run } else { fail++; run = 0; bad[$3]++ } }
    END { for (c in bad) codes = codes (codes == "" ? "" : ",") bad[c] "x" (c == "000" ? "timeout/refused" : c)
          printf "%d %d %d %d %d %d %s\n", inwin, ok + 0, fail + 0, best + 0, all + 0, allok + 0, (codes == "" ? "none" : codes) }' "$probes")
  local inwin ok fail best all allok codes
  read -r inwin ok fail best all allok codes <<<"$summary"
  check "$([[ $best -ge $MIN_RUN ]] && echo 1 || echo 0)" \
    "$name: legitimate client on $LEGIT_ADDR served while the attack held >= $STRONG connections: $ok/$inwin ok, longest run $best (need $MIN_RUN), failures $fail ($codes); overall $allok/$all"

  # 3c. afterwards: alive, and /healthz 200 again, also for the attacker's address.
  check "$(kill -0 "$SERVER_PID" 2>/dev/null && echo 1 || echo 0)" "$name: server process still alive"
  local waited=0 code=000
  while :; do
    code=$(http_code "$BASE/healthz")
    [[ $code == 200 || $waited -ge 20 ]] && break
    sleep 0.5
    waited=$((waited + 1))
  done
  check "$([[ $code == 200 ]] && echo 1 || echo 0)" \
    "$name: /healthz from 127.0.0.1 is 200 after the attack (status $code, after $(awk -v w="$waited" 'BEGIN { print w / 2 }') s)"
  # The attack's connections are released (bounded wait), so attacks stay independent.
  local open="?"
  for _ in $(seq 1 20); do
    open=$(open_connections)
    [[ $open != "?" && $open -le 5 ]] && break
    sleep 0.5
  done
  check "$([[ $open != "?" && $open -le 5 ]] && echo 1 || echo 0)" \
    "$name: server released the attack's connections (http_open_connections $open)"
}

# "closed" must rise well past the connections refused at the cap (CONNS - PER_ADDRESS):
# only the server's absolute deadline closes admitted slow connections before LIMIT.
check_deadline_closes() {  # check_deadline_closes <name> <deadline description>
  local name=$1 what=$2
  local csv="$TMP/$name.csv"
  [[ -s $csv ]] || { check 0 "$name: server closed the slow connections (no CSV)"; return; }
  local closed_max need
  closed_max=$(csv_column "$csv" closed | sort -n | tail -n 1)
  need=$((CONNS - PER_ADDRESS + PER_ADDRESS / 2))
  # slowhttptest stops early with "No open connections left" when every socket was closed.
  local all_closed=0
  grep -aq 'No open connections left' "$TMP/$name.out" && all_closed=1
  check "$([[ ${closed_max:-0} -ge $need ]] && echo 1 || echo 0)" \
    "$name: server closed the slow connections ($what): closed rose to ${closed_max:-?} of $CONNS (need >= $need), all closed before the ${LIMIT} s limit: $([[ $all_closed == 1 ]] && echo yes || echo no)"
}

attack slowloris "headers trickled, -x 24 every 2 s" \
  -H -i 2 -t GET -u "$BASE/" -x 24
check_deadline_closes slowloris "${HEADER_TIMEOUT_MS} ms absolute header deadline"

attack slow_body "8192-byte POST body trickled, -x 10 every 2 s" \
  -B -i 2 -s 8192 -t POST -u "$BASE/api/v1/feedback" -x 10
check_deadline_closes slow_body "${BODY_TIMEOUT_MS} ms absolute body deadline"

attack slow_read "1-512 byte receive window, 32 bytes read every 5 s, 3 pipelined GETs" \
  -X -w 1 -y 512 -n 5 -z 32 -k 3 -u "$BASE/"

# --- 4. shutdown -------------------------------------------------------------------
kill -TERM "$SERVER_PID"
status=""
for _ in $(seq 1 300); do  # up to 30 s (the server's grace period is 20 s)
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    wait "$SERVER_PID"
    status=$?
    break
  fi
  sleep 0.1
done
if [[ -z $status ]]; then
  check 0 "server exits after SIGTERM (still running after 30 s)"
else
  check "$([[ $status == 0 ]] && echo 1 || echo 0)" "server exits 0 after SIGTERM (exit status $status)"
fi
SERVER_PID=""
finish
