#!/usr/bin/env bash
# ./dev bench http: wrk against our /healthz and home page and, in the same run on
# the same machine, against Debian's nginx serving a static file of the same size.
# Ends with: BENCH http healthz_rps=… nginx_rps=… ratio=… home_p99_ms=…
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WORK=$(mktemp -d /tmp/bespoke-bench-http.XXXXXX)
SERVER_PID="" NGINX_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# free_port, wait_for, town_db
source scripts/lib.sh
rps() { awk '/^Requests\/sec:/ {print $2}'; }
p99_ms() {
  awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
                     else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
                     printf "%.3f\n", v }'
}

DB=$(town_db) || exit 1

PORT=$(free_port)
build/bespoke serve --listen "127.0.0.1:$PORT" --db "$DB" 2>"$WORK/bespoke.log" &
SERVER_PID=$!
wait_for "http://127.0.0.1:$PORT/readyz"

# nginx serves a file as large as our /healthz body.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/www" "$WORK/nginx"
chmod 755 "$WORK" "$WORK/www"  # nginx's workers run as nobody, also when we are root
curl -fsS "http://127.0.0.1:$PORT/healthz" >"$WORK/www/healthz"
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/plain;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
wait_for "http://127.0.0.1:$NGINX_PORT/healthz"

echo "warming up" >&2
wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$PORT/" >/dev/null
echo "wrk -t2 -c$CONNECTIONS -d$DURATION: bespoke /healthz" >&2
HEALTHZ=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$PORT/healthz" | tee /dev/stderr | rps)
echo "wrk -t2 -c$CONNECTIONS -d$DURATION: nginx static file of the same size" >&2
NGINX=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$NGINX_PORT/healthz" | tee /dev/stderr | rps)
echo "wrk -t2 -c$CONNECTIONS -d$DURATION --latency: bespoke home page" >&2
HOME_OUT=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT/" | tee /dev/stderr)
HOME_P99=$(echo "$HOME_OUT" | p99_ms)
HOME_RPS=$(echo "$HOME_OUT" | rps)
if echo "$HOME_OUT" | grep -qE 'Non-2xx|Socket errors'; then
  echo "errors during the home page run" >&2
fi
RATIO=$(awk -v a="$HEALTHZ" -v b="$NGINX" 'BEGIN { printf "%.2f", a / b }')
echo "BENCH http healthz_rps=$HEALTHZ nginx_rps=$NGINX ratio=$RATIO home_rps=$HOME_RPS home_p99_ms=$HOME_P99"
