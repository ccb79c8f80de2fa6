"""dealreg's file contract for the peer baselines (peer-rapidfuzz.py, peer-splink.py): reading a
labeled data set and writing results files that ../shared/eval/score.py accepts."""
import argparse
import csv
import glob
import os


def read(path):
    """Rows of a CSV file as dicts with trimmed, lower-case column names."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


def arguments(default_threshold):
    """DATASET OUTDIR [--threshold T], parsed."""
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("outdir")
    ap.add_argument("--threshold", type=float, default=default_threshold)
    return ap.parse_args()


def blocking_snapshot(dataset):
    """The snapshot's deals that block a registration (open or registered)."""
    return [r for r in read(os.path.join(dataset, "snapshot.csv"))
            if r.get("status", "open").lower() in ("open", "registered", "")]


def uploads(dataset):
    """(file name, rows) of every upload, in file-name order."""
    return [(os.path.basename(p), read(p)) for p in sorted(glob.glob(os.path.join(dataset, "uploads", "*.csv")))]


def write_results(outdir, upload_name, rows, columns):
    """OUTDIR/<stem>.results.csv with the given columns."""
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, os.path.splitext(upload_name)[0] + ".results.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
