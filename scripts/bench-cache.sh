#!/usr/bin/env bash
# The identity cache (issue 16) on a generated world: no cache, cold cache, warm cache, and warm
# after 1 % of the snapshot's rows changed; snapshot phase and wall time, peak RSS, cache size, and
# whether every result file is byte-identical to the run without a cache.
#     DEALREG=.build/release/dealreg scripts/bench-cache.sh [SNAPSHOT_SIZE]   (default 100000)
# The world is bench-data/SIZE (scripts/gen-data defaults; generated when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100000}
dealreg=${DEALREG:-.build/release/dealreg}
threads=${THREADS:-$(nproc)}
world=${BENCH_DATA:-bench-data}/$size
if [ ! -f "$world/truth.csv" ]; then
  python3 scripts/gen-data --snapshot "$size" --out "$world"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# 1 % of the rows changed: every 100th deal's account renamed (and so normalized again).
python3 - "$world/snapshot.csv" "$work/snapshot-1pct.csv" <<'EOF'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f, open(sys.argv[2], 'w', newline='', encoding='utf-8') as out:
    reader = csv.reader(f)
    writer = csv.writer(out)
    header = next(reader)
    writer.writerow(header)
    name = header.index('account_name')
    for i, row in enumerate(reader):
        if i % 100 == 0:
            row[name] = row[name] + ' Labs'
        writer.writerow(row)
EOF
echo "machine: $(nproc) cores, $(uname -srm); $($dealreg --version); commit $(git rev-parse --short HEAD); $threads threads; world $world"
echo "| run | snapshot s | total wall s | peak RSS MiB | cache file MB | results |"
echo "|---|---:|---:|---:|---:|---|"
one() {  # name snapshot cache-args...
  local name=$1 snapshot=$2
  shift 2
  /usr/bin/time -v "$dealreg" run --threads "$threads" --snapshot "$snapshot" --partners "$world/partners.csv" \
    --policy "$world/policy.yaml" --as-of 2026-11-23 --out "$work/out-$name" --quiet --timings "$@" "$world"/uploads/*.csv \
    2> "$work/time-$name.txt"
  local snap wall rss size same
  snap=$(grep -o 'snapshot [0-9.]* s' "$work/time-$name.txt" | awk '{print $2}')
  wall=$(grep 'Elapsed (wall clock)' "$work/time-$name.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$work/time-$name.txt" | awk '{printf "%.0f", $NF/1024}')
  size=$( [ $# -gt 0 ] && [ -f "$work/cache/identity-cache.bin" ] && stat -c %s "$work/cache/identity-cache.bin" | awk '{printf "%.1f", $1/1e6}' || echo -)
  local reference=$work/out-none
  case $name in warm-1pct*|none-1pct) reference=$work/out-none-1pct ;; esac
  if [ "$name" = none ] || [ "$name" = none-1pct ]; then same="reference"
  elif diff -rq "$reference" "$work/out-$name" >/dev/null; then same="byte-identical"
  else same="**DIFFERENT**"; fi
  grep -i 'warning' "$work/time-$name.txt" | head -3 >&2 || true
  echo "| $name | $snap | $wall | $rss | $size | $same |"
}
one none "$world/snapshot.csv"
one cold "$world/snapshot.csv" --cache "$work/cache"
one warm "$world/snapshot.csv" --cache "$work/cache"
one warm-again "$world/snapshot.csv" --cache "$work/cache"
one none-1pct "$work/snapshot-1pct.csv"
one warm-1pct "$work/snapshot-1pct.csv" --cache "$work/cache"
