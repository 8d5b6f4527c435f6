#!/usr/bin/env bash
# Times `bespoke demo --scale nation` (≈5M residents) into a fresh SQLite file.
# Target: under 180 s on 2 cores. Ends with one line:
#   BENCH demo nation_s=<seconds> residents=<n>
# Usage: bench/demo.sh [path/to/bespoke]   (default: build/bespoke)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-}
if [[ -z $bin ]]; then
  for candidate in build/bespoke; do
    [[ -x $candidate ]] && bin=$candidate && break
  done
fi
[[ -n $bin && -x $bin ]] || { echo "bench/demo.sh: build the program first (./dev build)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s.%N)
"$bin" demo --scale nation --seed 1 --db "$tmp/nation.db" --threads "$(nproc)" </dev/null
end=$(date +%s.%N)

residents=$(sqlite3 "$tmp/nation.db" "SELECT COUNT(*) FROM resident")
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
size=$(du -h "$tmp/nation.db" | cut -f1)
echo "nation.db: $size"
echo "BENCH demo nation_s=$seconds residents=$residents"
