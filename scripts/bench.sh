#!/usr/bin/env bash
# Throughput and memory of dealreg on generated worlds (scripts/gen-data), release build.
#     scripts/bench.sh [SNAPSHOT_SIZE ...]        default: 10000 100000 1000000
#     RUNS=3 THREADS=2 scripts/bench.sh 2000      (runs per size; worker threads, default all cores)
# Prints the machine, then one table row per run: snapshot load+index seconds, rows/s
# read+decided, total wall seconds, peak RSS, the CSV reader's MB/s on the world's
# snapshot file, and precision/recall against the world's truth. Data goes to
# bench-data/ (ignored by git). Record results in BENCHMARKS.md with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
runs=${RUNS:-3}
threads=${THREADS:-$(nproc)}
swift build -c release --product dealreg >/dev/null
swift build -c release --product csv-bench >/dev/null
dealreg=.build/release/dealreg
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;" \
  "$($dealreg --version), ICU headers $(pkg-config --modversion icu-uc 2>/dev/null || echo unknown), $threads threads," \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"
echo "| snapshot | upload rows | run | snapshot load+index s | read+decide rows/s | total wall s | peak RSS MiB | CSV read MB/s | quality |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for size in "${sizes[@]}"; do
  world=bench-data/$size
  [ -f "$world/truth.csv" ] || python3 scripts/gen-data --snapshot "$size" --out "$world"
  for run in $(seq 1 "$runs"); do
    rm -rf "$world/out"
    /usr/bin/time -v "$dealreg" run --threads "$threads" --snapshot "$world/snapshot.csv" --partners "$world/partners.csv" \
      --policy "$world/policy.yaml" --as-of 2026-11-23 --out "$world/out" --quiet --timings "$world"/uploads/*.csv \
      2> "$world/time.txt"
    snapshot=$(grep -o 'snapshot [0-9.]* s' "$world/time.txt" | awk '{print $2}')
    rate=$(grep -o '[0-9]* rows/s' "$world/time.txt" | awk '{print $1}')
    rows=$(grep -o '; [0-9]* rows' "$world/time.txt" | awk '{print $2}')
    wall=$(grep 'Elapsed (wall clock)' "$world/time.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$world/time.txt" | awk '{printf "%.0f", $NF/1024}')
    csv=$(.build/release/csv-bench "$world/snapshot.csv" | grep -o '[0-9.]* MB/s$' | awk '{print $1}')
    quality=$(python3 scripts/bench-quality.py "$world" "$world/out")
    echo "| $size | $rows | $run | $snapshot | $rate | $wall | $rss | $csv | $quality |"
  done
done
