#!/usr/bin/env python3
"""Precision and recall of duplicate detection on a generated world (scripts/gen-data),
from its truth.csv and the results dealreg wrote.

    python3 scripts/bench-quality.py bench-data/100k bench-data/100k/out
"""
import csv
import sys
from collections import Counter
from pathlib import Path

world, out = Path(sys.argv[1]), Path(sys.argv[2])
truth = {(r["file"], int(r["row_number"])): r for r in csv.DictReader((world / "truth.csv").open(encoding="utf-8"))}
conflict = {"duplicate_existing_deal", "possible_duplicate", "already_registered", "direct_account", "duplicate_in_batch",
            "existing_customer"}
counts = Counter()
for results in sorted(out.glob("*.results.csv")):
    name = results.name.replace(".results.csv", ".csv")
    for row in csv.DictReader(results.open(encoding="utf-8-sig")):
        t = truth[(name, int(row["row_number"]))]
        codes = set(row["reason_codes"].split(";"))
        flagged = bool(codes & conflict)
        if t["kind"].startswith("duplicate"):
            counts["dup"] += 1
            counts["dup_flagged"] += flagged
            counts["dup_right_deal"] += row["matched_record"] == t["deal_id"]
            counts["dup_auto"] += row["decision"] == "declined" and flagged
            counts["dup_auto_right"] += row["decision"] == "declined" and row["matched_record"] == t["deal_id"]
        elif t["kind"] == "new":
            counts["new"] += 1
            counts["new_flagged"] += flagged
            counts["new_auto_declined"] += row["decision"] == "declined" and flagged
recall = counts["dup_flagged"] / max(counts["dup"], 1)
auto = counts["dup_auto"] + counts["new_auto_declined"]
precision = counts["dup_auto_right"] / max(auto, 1)
print(f"duplicates {counts['dup']}: {counts['dup_flagged']} caught (recall {recall:.3f}), "
      f"{counts['dup_right_deal']} matched to the right deal; "
      f"auto-declined as duplicates {auto}, of them right {counts['dup_auto_right']} (precision {precision:.3f}); "
      f"new accounts {counts['new']}: {counts['new_flagged']} flagged, {counts['new_auto_declined']} wrongly declined")
