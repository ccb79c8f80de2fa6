#!/usr/bin/env python3
"""Faults a nightly batch the way an unlucky night would, then checks that nothing was lost.

    python3 scripts/fault-test.py [DEALREG_BINARY]      # default: .build/debug/dealreg

1. kill -9 at seeded random moments of `dealreg batch --outbox` (12 files x 300 rows),
   then a clean rerun;
2. a full disk: the output folder and the outbox on a 2 MB tmpfs (only where this user may
   mount one; otherwise reported as skipped), then a rerun with room.

After each, the invariants: every row decided exactly once (ledger rows = result rows, row
for row), every file archived, every email owed in the outbox exactly once (one per
partner per file), nothing owed left undelivered. Exit 0 when all hold.
"""
import csv
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/dealreg"))
PARTNERS = ["P-NORTHWIND", "P-COASTAL", "P-SAKURA", "P-ALPINE"]
FILES, ROWS = 12, 300


def make_inbox(folder, seed):
    rng = random.Random(seed)
    inbox = os.path.join(folder, "inbox")
    os.makedirs(inbox)
    for number in range(FILES):
        lines = ["partner_id,account_name,account_domain,deal_value,expected_close_date,country,city,contact_name,contact_email"]
        for row in range(ROWS):
            account = rng.randrange(FILES * ROWS // 3)
            lines.append(f"{PARTNERS[rng.randrange(4)]},Account {account} Systems,account{account}.example,{1000 + row},"
                         f"2027-03-31,US,Seattle,Pat,pat@account{account}.example")
        path = os.path.join(inbox, f"upload-{number:02d}.csv")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        os.utime(path, (1_790_000_000 + number, 1_790_000_000 + number))


def batch(folder, out, outbox, wait=60):
    return [BINARY, "batch", "--inbox", os.path.join(folder, "inbox"), "--archive", os.path.join(folder, "archive"),
            "--out", out, "--outbox", outbox, "--snapshot", "samples/snapshot.csv", "--partners", "samples/partners.csv",
            "--ledger", os.path.join(folder, "ledger.sqlite"), "--as-of", "2026-11-23", "--wait", str(wait), "--quiet"]


def check(folder, out, outbox, label):
    problems = []
    db = sqlite3.connect(os.path.join(folder, "ledger.sqlite"))
    rows = db.execute("SELECT source_file, source_row, decision FROM registration").fetchall()
    if len(rows) != FILES * ROWS or len({(f, r) for f, r, _ in rows}) != FILES * ROWS:
        problems.append(f"{len(rows)} ledger rows for {FILES * ROWS} uploaded")
    owed = db.execute("SELECT COUNT(*) FROM owed WHERE kind = 'email' AND delivered_on IS NULL").fetchone()[0]
    if owed:
        problems.append(f"{owed} emails still owed")
    recorded = {(f, r): d for f, r, d in rows}
    for number in range(FILES):
        stem = f"upload-{number:02d}"
        path = os.path.join(out, f"{stem}.results.csv")
        if not os.path.exists(path):
            problems.append(f"{stem}.results.csv missing")
            continue
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for result in csv.DictReader(handle):
                if recorded.get((f"{stem}.csv", int(result["row_number"]))) != result["decision"]:
                    problems.append(f"{stem} row {result['row_number']}: results and ledger disagree")
                    break
    archived = os.listdir(os.path.join(folder, "archive")) if os.path.isdir(os.path.join(folder, "archive")) else []
    if len(archived) != FILES:
        problems.append(f"{len(archived)} of {FILES} files archived")
    emails = [name for name in os.listdir(outbox) if name.endswith(".eml")] if os.path.isdir(outbox) else []
    if len(emails) != FILES * len(PARTNERS) or len(set(emails)) != len(emails):
        problems.append(f"{len(emails)} emails in the outbox for {FILES * len(PARTNERS)} owed")
    status = "ok" if not problems else "FAILED: " + "; ".join(problems[:5])
    print(f"fault-test: {label}: {status}")
    return not problems


def kill_test(seed):
    folder = tempfile.mkdtemp(prefix="dealreg-fault-")
    make_inbox(folder, seed)
    out, outbox = os.path.join(folder, "out"), os.path.join(folder, "outbox")
    rng = random.Random(seed)
    for _ in range(4):
        process = subprocess.Popen(batch(folder, out, outbox), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 2.5))
        process.kill()
        process.wait()
    final = subprocess.run(batch(folder, out, outbox), cwd=ROOT, capture_output=True, text=True)
    if final.returncode != 0:
        print(f"fault-test: kill -9: the rerun failed ({final.returncode}): {final.stderr.strip()}")
        return False
    ok = check(folder, out, outbox, f"kill -9 at 4 random moments (seed {seed}), then a rerun")
    shutil.rmtree(folder, ignore_errors=True)
    return ok


def full_disk_test():
    folder = tempfile.mkdtemp(prefix="dealreg-fault-")
    small = os.path.join(folder, "small")
    os.makedirs(small)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small], capture_output=True)
    if mounted.returncode != 0:
        print("fault-test: full disk: skipped (this user cannot mount a tmpfs here)")
        shutil.rmtree(folder, ignore_errors=True)
        return True
    try:
        make_inbox(folder, 7)
        full = subprocess.run(batch(folder, os.path.join(small, "out"), os.path.join(small, "outbox")), cwd=ROOT,
                              capture_output=True, text=True)
        ok = full.returncode == 73 and "no space left" in full.stderr.lower()
        leftovers = [n for n in os.listdir(os.path.join(small, "out")) if n.endswith(".results.csv")] \
            if os.path.isdir(os.path.join(small, "out")) else []
        if not ok or leftovers:
            print(f"fault-test: full disk: expected exit 73 naming the full disk and no result committed; got "
                  f"{full.returncode} ({full.stderr.strip()[:200]}), {len(leftovers)} result files")
            return False
        out, outbox = os.path.join(folder, "out"), os.path.join(folder, "outbox")
        rerun = subprocess.run(batch(folder, out, outbox), cwd=ROOT, capture_output=True, text=True)
        if rerun.returncode != 0:
            print(f"fault-test: full disk: the rerun with room failed: {rerun.stderr.strip()}")
            return False
        return check(folder, out, outbox, "a full disk (2 MB tmpfs), then a rerun with room")
    finally:
        subprocess.run(["umount", small], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    results = [kill_test(seed) for seed in (1, 2, 3)] + [full_disk_test()]
    sys.exit(0 if all(results) else 1)
