#!/usr/bin/env bash
# Runs dealreg on every labeled development set in the file contract and prints the scorer's
# numbers: ../shared/eval/*/ (shipped beside the project) and quality/eval/*/ (built here from
# public packages: see each folder's README for the source and the labeling rule).
#
#   scripts/eval-dev.sh [DEALREG_BINARY]      # default: swift build -c release, .build/release/dealreg
#
# QUALITY.md records the results beside peer runs (scripts/peer-rapidfuzz.py, scripts/peer-splink.py).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-}
if [ -z "$binary" ]; then
  swift build -c release >/dev/null
  binary=.build/release/dealreg
fi
scorer=../shared/eval/score.py
[ -f "$scorer" ] || { echo "eval-dev.sh: no scorer at $scorer" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for dataset in ../shared/eval/*/ quality/eval/*/; do
  [ -f "$dataset/truth.csv" ] || continue
  name=$(basename "$dataset")
  "$binary" run --snapshot "$dataset/snapshot.csv" --partners "$dataset/partners.csv" --as-of 2026-11-23 \
    --quiet --out "$out/$name" "$dataset"/uploads/*.csv
  echo "== $name"
  python3 "$scorer" "$out/$name" "$dataset"
done
