#!/usr/bin/env bash
# Threshold calibration (issue 14) on the labeled development sets, run as shadow-mode quarters:
# each set's uploads decided in shadow mode into a fresh ledger, every row then "reviewed" by a
# simulated reviewer who follows the set's truth labels (a duplicate is rejected with
# --duplicate-of its expected match, written straight into the ledger's registration row as
# `review reject --duplicate-of` would; every other row approved), and `dealreg report`'s
# calibration printed: the shares of duplicates approved and different accounts declined at each
# threshold, their 95 % bounds, and the thresholds it suggests for a 1 % target.
#   scripts/calibrate-dev.sh [DEALREG_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/dealreg}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'shadow_mode: true\n' >"$work/shadow.yaml"
for dataset in ../shared/eval/*/ quality/eval/*/; do
  [ -f "$dataset/truth.csv" ] || continue
  name=$(basename "$dataset")
  "$binary" run --snapshot "$dataset/snapshot.csv" --partners "$dataset/partners.csv" --policy "$work/shadow.yaml" \
    --as-of 2026-11-23 --quiet --ledger "$work/$name.sqlite" --out "$work/$name" "$dataset"/uploads/*.csv
  python3 - "$work/$name.sqlite" "$dataset" <<'PY'
import csv, os, sqlite3, sys
ledger, dataset = sys.argv[1], sys.argv[2]
truth = {(t["upload_file"], int(t["row_number"])): t
         for t in csv.DictReader(open(os.path.join(dataset, "truth.csv"), encoding="utf-8-sig"))}
db = sqlite3.connect(ledger)
for rid, upload, row in db.execute("SELECT id, source_file, source_row FROM registration").fetchall():
    t = truth[(upload, row)]
    if t["expected_reason"] in ("duplicate_existing_deal", "duplicate_in_batch"):
        db.execute("UPDATE registration SET status='rejected', decision='declined', human_decision='declined', duplicate_of=?,"
                   " reviewed_by='simulated', reviewed_on='2026-11-24' WHERE id=?", (t["expected_match"] or "in-batch", rid))
    else:
        db.execute("UPDATE registration SET status='approved', decision='approved', human_decision='approved',"
                   " reviewed_by='simulated', reviewed_on='2026-11-24' WHERE id=?", (rid,))
db.commit()
PY
  "$binary" report --ledger "$work/$name.sqlite" --format json --out "$work/$name.json" >/dev/null
  python3 - "$work/$name.json" "$name" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["calibration"]
points = {p["threshold"]: p for p in c["points"]}
pct = lambda v: "-" if v is None else f"{100 * v:.2f} %"
print(f"== {sys.argv[2]}: {c['judged']} judged ({c['duplicates']} duplicates); suggested for 1 %: "
      f"review_score {c['suggested_review_score']}, duplicate_score {c['suggested_duplicate_score']}")
for t in (30, 50, 70, 80, 90, 95):
    p = points[t]
    print(f"  {t:3d}: duplicates approved {pct(p['duplicates_approved'])} (<= {pct(p['duplicates_approved_upper95'])}), "
          f"different declined {pct(p['different_declined'])} (<= {pct(p['different_declined_upper95'])})")
PY
done
