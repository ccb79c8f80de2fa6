#!/usr/bin/env bash
# Throughput and memory of dealreg on generated worlds (scripts/gen-data), release build.
#     scripts/bench.sh [SNAPSHOT_SIZE ...]        default: 10000 100000 1000000
#     RUNS=3 THREADS=2 scripts/bench.sh 2000      (runs per size; worker threads, default all cores)
#     FAMILY_DENSITY=4 scripts/bench.sh 100000    (a dense-family world: gen-data --family-density 4)
#     GEN_ARGS="--plain" scripts/bench.sh 100000  (more gen-data options; --plain: the world before issue 16)
#     DEALREG=/path/to/dealreg CSV_BENCH=/path/to/csv-bench BENCH_DATA=/tmp/worlds scripts/bench.sh
#                                                 (given binaries are used as they are, without a build)
#     BASELINE=0 scripts/bench.sh 100000         (skip the rapidfuzz baseline; BASELINE_MAX=N runs it above 100000 deals)
# Prints the machine, then one table row per run: snapshot load+index seconds, deciding seconds, rows/s
# read+decided, total wall seconds, peak RSS, the CSV reader's MB/s on the world's
# snapshot file, and precision/recall against the world's truth; then, per size, the plain Python
# baseline (scripts/peer-rapidfuzz.py, when rapidfuzz and cleanco are installed) on the same world
# with dealreg's best wall time as a ratio to it. Data goes to
# bench-data/ (ignored by git). Record results in BENCHMARKS.md with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
runs=${RUNS:-3}
threads=${THREADS:-$(nproc)}
if [ -z "${DEALREG:-}" ]; then
  swift build -c release --product dealreg >/dev/null
  swift build -c release --product csv-bench >/dev/null
fi
dealreg=${DEALREG:-.build/release/dealreg}
csvbench=${CSV_BENCH:-.build/release/csv-bench}
data=${BENCH_DATA:-bench-data}
gen_args=(${GEN_ARGS:-})
suffix=""
if [ -n "${FAMILY_DENSITY:-}" ]; then gen_args+=(--family-density "$FAMILY_DENSITY"); fi
# Worlds of other generator options live in their own folders, so a cached world is never the wrong one.
if [ ${#gen_args[@]} -gt 0 ]; then suffix="-$(echo "${gen_args[*]}" | tr -c 'A-Za-z0-9.\n-' '_' | sed 's/^[-_]*//; s/[-_]*$//')"; fi
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;" \
  "$($dealreg --version), ICU headers $(pkg-config --modversion icu-uc 2>/dev/null || echo unknown), $threads threads," \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"
echo "world: scripts/gen-data ${gen_args[*]:-(defaults)}"
echo "| snapshot | upload rows | run | snapshot load+index s | deciding s | read+decide rows/s | total wall s | peak RSS MiB | CSV read MB/s | quality |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
walls=()
baseline_notes=()
for size in "${sizes[@]}"; do
  world=$data/$size$suffix
  # A world is generated again when the generator or its options changed since it was written.
  signature="$(sha1sum scripts/gen-data | cut -c1-12) ${gen_args[*]:-}"
  if [ ! -f "$world/truth.csv" ] || [ "$(cat "$world/generator.txt" 2>/dev/null)" != "$signature" ]; then
    rm -rf "$world"
    python3 scripts/gen-data --snapshot "$size" --out "$world" ${gen_args[@]+"${gen_args[@]}"}
    echo "$signature" > "$world/generator.txt"
  fi
  for run in $(seq 1 "$runs"); do
    rm -rf "$world/out"
    /usr/bin/time -v "$dealreg" run --threads "$threads" --snapshot "$world/snapshot.csv" --partners "$world/partners.csv" \
      --policy "$world/policy.yaml" --as-of 2026-11-23 --out "$world/out" --quiet --timings "$world"/uploads/*.csv \
      2> "$world/time.txt"
    snapshot=$(grep -o 'snapshot [0-9.]* s' "$world/time.txt" | awk '{print $2}')
    deciding=$(grep -o 'deciding [0-9.]* s' "$world/time.txt" | awk '{print $2}')
    rate=$(grep -o '[0-9]* rows/s' "$world/time.txt" | awk '{print $1}')
    rows=$(grep -o '; [0-9]* rows' "$world/time.txt" | awk '{print $2}')
    wall=$(grep 'Elapsed (wall clock)' "$world/time.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$world/time.txt" | awk '{printf "%.0f", $NF/1024}')
    csv=$("$csvbench" "$world/snapshot.csv" | grep -o '[0-9.]* MB/s$' | awk '{print $1}')
    quality=$(python3 scripts/bench-quality.py "$world" "$world/out")
    echo "| $size | $rows | $run | $snapshot | $deciding | $rate | $wall | $rss | $csv | $quality |"
    walls+=("$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')")
  done
  # The plain Python matcher on the same world (issue 16): dealreg's time as a ratio to it.
  if [ "${BASELINE:-1}" = 0 ]; then
    :
  elif ! python3 -c 'import rapidfuzz, cleanco' 2>/dev/null; then
    baseline_notes+=("| $size | baseline skipped: pip install rapidfuzz cleanco |")
  elif [ "$size" -gt "${BASELINE_MAX:-100000}" ]; then
    baseline_notes+=("| $size | baseline skipped: it compares every row with every deal (set BASELINE_MAX to run it) |")
  else
    rm -rf "$world/peer"
    /usr/bin/time -f '%e' -o "$world/peer-time.txt" python3 scripts/peer-rapidfuzz.py "$world" "$world/peer" >/dev/null
    peer_wall=$(tail -1 "$world/peer-time.txt")
    best=$(printf '%s\n' "${walls[@]}" | sort -g | head -1)
    ratio=$(awk -v p="$peer_wall" -v d="$best" 'BEGIN { printf "%.1f", p / d }')
    peer_quality=$(python3 scripts/bench-quality.py "$world" "$world/peer")
    baseline_notes+=("| $size | rapidfuzz baseline ${peer_wall} s wall; dealreg's best ${best} s: ${ratio}× faster; baseline quality: $peer_quality |")
  fi
  walls=()
done
if [ ${#baseline_notes[@]} -gt 0 ]; then
  echo
  echo "baseline: scripts/peer-rapidfuzz.py (cleanco names, rapidfuzz token_sort_ratio ≥ 90, names only), same world"
  echo "| snapshot | side by side |"
  echo "|---:|---|"
  printf '%s\n' "${baseline_notes[@]}"
fi
