#!/usr/bin/env python3
"""A plain name matcher as a peer baseline for score.py: cleanco-normalised names compared with
rapidfuzz token_sort_ratio.

    pip install rapidfuzz cleanco
    python3 scripts/peer-rapidfuzz.py DATASET_DIR OUTDIR [--threshold 90]
    python3 ../shared/eval/score.py OUTDIR DATASET_DIR

DATASET_DIR holds snapshot.csv and uploads/*.csv (dealreg's contract). For each upload file it
writes OUTDIR/<stem>.results.csv with row_number, registration_id, decision, reason_codes,
matched_record (plus match_score). Upload files are read in name order and rows in file order.
A row whose best snapshot score (open/registered deals only) is >= threshold is declined with
duplicate_existing_deal and the best deal; otherwise, if it scores >= threshold against a row
approved earlier in the batch (the first claim wins), it is declined with duplicate_in_batch and
that row's registration_id; otherwise it is approved and becomes a claim. Only names are used.
"""
import re

from cleanco import basename
from rapidfuzz import fuzz, process

from peer_contract import arguments, blocking_snapshot, uploads, write_results


def norm(name):
    s = basename(name or "")
    s = re.sub(r"[^\w\s]", " ", s.lower())
    return " ".join(s.split())


def best(query, names, keys, threshold):
    if not names:
        return None
    hit = process.extractOne(query, names, scorer=fuzz.token_sort_ratio, score_cutoff=threshold)
    return (keys[hit[2]], hit[1]) if hit else None


def main():
    a = arguments(default_threshold=90)
    snap = blocking_snapshot(a.dataset)
    snap_names = [norm(r["account_name"]) for r in snap]
    snap_ids = [r["deal_id"] for r in snap]
    claim_names, claim_ids = [], []
    seq = 0
    for name, rows in uploads(a.dataset):
        out = []
        for i, r in enumerate(rows, start=1):
            seq += 1
            reg = f"RF-{seq:06d}"
            q = norm(r["account_name"])
            hit = best(q, snap_names, snap_ids, a.threshold)
            if hit:
                dec, code, rec, score = "declined", "duplicate_existing_deal", hit[0], hit[1]
            else:
                hit = best(q, claim_names, claim_ids, a.threshold)
                if hit:
                    dec, code, rec, score = "declined", "duplicate_in_batch", hit[0], hit[1]
                else:
                    dec, code, rec, score = "approved", "registered", "", ""
                    claim_names.append(q)
                    claim_ids.append(reg)
            out.append({"row_number": i, "registration_id": reg, "decision": dec, "reason_codes": code,
                        "matched_record": rec, "match_score": f"{score:.1f}" if score != "" else ""})
        write_results(a.outdir, name, out, ["row_number", "registration_id", "decision", "reason_codes",
                                            "matched_record", "match_score"])


if __name__ == "__main__":
    main()
