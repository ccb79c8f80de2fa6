#!/usr/bin/env python3
"""Precision and recall of duplicate detection on a generated world (scripts/gen-data),
from its truth.csv and the results dealreg wrote.

    python3 scripts/bench-quality.py bench-data/100k bench-data/100k/out [--kinds] [--examples N]

Prints one line (bench.sh puts it in a table cell): recall, precision and the new accounts
flagged or wrongly declined as before, then the three numbers a user sees: duplicates
approved, wrong declines among the non-duplicates, and the review load (rows sent to
needs_review). --kinds adds one line per truth kind (duplicate:family:*, new:chain_site, …);
--examples N prints up to N rows of each kind of error.
"""
import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("world")
parser.add_argument("out")
parser.add_argument("--kinds", action="store_true")
parser.add_argument("--examples", type=int, default=0)
args = parser.parse_args()
world, out = Path(args.world), Path(args.out)
truth = {(r["file"], int(r["row_number"])): r for r in csv.DictReader((world / "truth.csv").open(encoding="utf-8"))}
conflict = {"duplicate_existing_deal", "possible_duplicate", "already_registered", "direct_account", "duplicate_in_batch",
            "existing_customer"}
counts = Counter()
by_kind = defaultdict(Counter)
errors = defaultdict(list)


def group(kind):
    """duplicate:family:typo → duplicate:family; duplicate:typo → duplicate; new:chain_site stays."""
    parts = kind.split(":")
    if parts[0] == "duplicate":
        return "duplicate:" + parts[1] if len(parts) > 2 else ("duplicate:chain_site" if parts[1:] == ["chain_site"] else "duplicate")
    return kind


for results in sorted(out.glob("*.results.csv")):
    name = results.name.replace(".results.csv", ".csv")
    for row in csv.DictReader(results.open(encoding="utf-8-sig")):
        t = truth[(name, int(row["row_number"]))]
        codes = set(row["reason_codes"].split(";"))
        flagged = bool(codes & conflict)
        declined = row["decision"] == "declined"
        counts["rows"] += 1
        counts["review"] += row["decision"] == "needs_review"
        k = by_kind[group(t["kind"])]
        k["rows"] += 1
        k["approved"] += row["decision"] == "approved"
        k["review"] += row["decision"] == "needs_review"
        k["declined"] += declined
        k["flagged"] += flagged
        where = (name, row["row_number"], t["kind"], t["deal_id"], row.get("account_name", ""), row["decision"],
                 row["reason_codes"], row["matched_record"], row["match_score"], row.get("match_evidence", ""))
        if t["kind"].startswith("duplicate"):
            counts["dup"] += 1
            counts["dup_flagged"] += flagged
            counts["dup_approved"] += row["decision"] == "approved"
            counts["dup_right_deal"] += row["matched_record"] == t["deal_id"]
            counts["dup_auto"] += declined and flagged
            counts["dup_auto_right"] += declined and row["matched_record"] == t["deal_id"]
            k["right_deal"] += row["matched_record"] == t["deal_id"]
            if not flagged:
                errors[group(t["kind"]) + " missed"].append(where)
            elif declined and row["matched_record"] != t["deal_id"]:
                errors[group(t["kind"]) + " declined against another deal"].append(where)
        elif t["kind"].startswith("new"):
            counts["new"] += 1
            counts["new_flagged"] += flagged
            counts["new_auto_declined"] += declined and flagged
            if declined and flagged:
                errors[t["kind"] + " wrongly declined"].append(where)
            elif flagged:
                errors[t["kind"] + " sent to review"].append(where)
recall = counts["dup_flagged"] / max(counts["dup"], 1)
auto = counts["dup_auto"] + counts["new_auto_declined"]
precision = counts["dup_auto_right"] / max(auto, 1)
print(f"duplicates {counts['dup']}: {counts['dup_flagged']} caught (recall {recall:.3f}), "
      f"{counts['dup_right_deal']} matched to the right deal; "
      f"auto-declined as duplicates {auto}, of them right {counts['dup_auto_right']} (precision {precision:.3f}); "
      f"new accounts {counts['new']}: {counts['new_flagged']} flagged, {counts['new_auto_declined']} wrongly declined; "
      f"user: {counts['dup_approved']} duplicates approved, {counts['new_auto_declined']} wrong declines of "
      f"{counts['new']} non-duplicates, review load {counts['review']} of {counts['rows']} rows "
      f"({counts['review'] / max(counts['rows'], 1):.1%})")
if args.kinds:
    for kind in sorted(by_kind):
        k = by_kind[kind]
        right = f", right deal {k['right_deal']}" if kind.startswith("duplicate") else ""
        print(f"  {kind}: {k['rows']} rows: approved {k['approved']}, review {k['review']}, declined {k['declined']}, "
              f"flagged {k['flagged']}{right}")
if args.examples:
    for what in sorted(errors):
        print(f"{what}: {len(errors[what])}")
        for e in errors[what][:args.examples]:
            print("   ", " | ".join(str(x) for x in e))
