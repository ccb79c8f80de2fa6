#!/usr/bin/env bash
# Measures duplicate detection on the labeled pairs and prints the table recorded in QUALITY.md.
#     scripts/quality.sh [--details]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/make-quality-pairs.py >/dev/null
swift run -c release dealreg evaluate quality/pairs.csv "$@"
