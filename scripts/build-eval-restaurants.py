#!/usr/bin/env python3
"""Build quality/eval/restaurants-dev/: a labeled development set in dealreg's file contract
(the same as ../shared/eval/hwvendors-dev), from the Fodor's/Zagat restaurant records that ship
inside the py_entitymatching source distribution.

Get the archive (sdist only; nothing is installed):

    pip download --no-deps py-entitymatching==0.4.2 -d /tmp/pem   # only an sdist exists for 0.4.2
    # -> /tmp/pem/py-entitymatching-0.4.2.tar.gz
    #    sha256 3656a8ab0bdce297ed3ae13c890c0091deeae79367aad44e3f84effd44b60f7f

Build:

    python3 scripts/build-eval-restaurants.py /tmp/pem/py-entitymatching-0.4.2.tar.gz \
        [--out quality/eval/restaurants-dev]

The archive members read (py_entitymatching/datasets/end-to-end/restaurants/):
zagats.csv (331 rows) -> snapshot.csv, fodors.csv (533 rows) -> uploads/p-na1.csv and
uploads/p-na2.csv, matches_fodors_zagats.csv (112 published fodors_id,zagats_id pairs) ->
truth.csv. The labeling rule is the published match file and nothing else: a Fodor's row is a
duplicate of the Zagat deal it is paired with there; every other row is new. Names, addresses,
cities and phones are copied verbatim; only the deal bookkeeping (ids, owners, values, dates,
products) is synthetic, drawn from a fixed seed, so the output is byte-identical on every run.
"""
import argparse
import csv
import hashlib
import io
import os
import random
import re
import sys
import tarfile
import zipfile
from collections import Counter
from datetime import date, timedelta

MEMBER_DIR = "py_entitymatching/datasets/end-to-end/restaurants/"
SEED = 20261104
SNAPSHOT_COLS = ["deal_id", "account_name", "account_domain", "address", "city", "postal_code",
                 "country", "phone", "owner_type", "owner_id", "status", "created_on", "expires_on",
                 "deal_value", "last_activity_on"]
UPLOAD_COLS = ["partner_id", "partner_reference", "account_name", "account_domain", "contact_name",
               "contact_email", "address", "city", "postal_code", "country", "phone", "deal_value",
               "currency", "expected_close_date", "product"]
TRUTH_COLS = ["upload_file", "row_number", "expected_match", "expected_decision", "expected_reason",
              "kind", "entity", "noise"]
PRODUCTS = ["Core Platform", "Support Plus", "Edge Gateway", "Cloud Backup", "Analytics Add-on"]
UPLOADERS = ["P-NA1", "P-NA2"]
INCUMBENTS = ["P-INC1", "P-INC2", "P-INC3"]

# Words too common to make two restaurant names look alike (articles, prepositions and generic
# venue words), ignored when deciding whether a non-duplicate is a hard negative.
GENERIC = set("""a an and the of at on in by to for y & n de du des la le les el il lo da di del
della dei los las cafe caffe restaurant ristorante grill grille bar bistro house room kitchen club
dining inn deli diner pizza pizzeria steak steakhouse tavern cantina trattoria oyster fish seafood
brasserie bakery coffee shop tea lounge garden palace new""".split())


def read_members(archive):
    names = {"zagats.csv", "fodors.csv", "matches_fodors_zagats.csv"}
    out = {}
    if archive.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as z:
            for n in z.namelist():
                base = n.rsplit("/", 1)[-1]
                if MEMBER_DIR in n and base in names:
                    out[base] = z.read(n)
    else:
        with tarfile.open(archive) as t:
            for m in t.getmembers():
                base = m.name.rsplit("/", 1)[-1]
                if MEMBER_DIR in m.name and base in names and m.isfile():
                    out[base] = t.extractfile(m).read()
    missing = names - set(out)
    if missing:
        sys.exit(f"build-eval-restaurants: {sorted(missing)} not found under {MEMBER_DIR} in {archive}")
    return {k: list(csv.DictReader(io.StringIO(v.decode("utf-8")))) for k, v in out.items()}


def squash(s):
    """Lowercase, every non-alphanumeric removed: 'steak house  the' == 'steakhouse, the'."""
    return re.sub(r"[^a-z0-9]", "", s.lower())


def words(name, drop_parens=False):
    s = name.lower()
    if drop_parens:  # Zagat's location qualifiers: "mortons of chicago (las vegas)"
        s = re.sub(r"\([^)]*\)", " ", s)
    return {w for w in re.findall(r"[a-z0-9]+", s) if len(w) >= 3 and w not in GENERIC}


def phone_key(p):
    d = re.sub(r"\D", "", p)
    return d[:10] if len(d) >= 10 else ""


STREET_ABBR = {"street": "st", "avenue": "ave", "boulevard": "blvd", "blv": "blvd", "road": "rd",
               "drive": "dr", "place": "pl", "south": "s", "north": "n", "east": "e", "west": "w"}


def street_key(addr):
    """House number and the next two street words: '3570 las vegas blvd. s' -> '3570 las vegas'."""
    toks = [STREET_ABBR.get(t, t) for t in re.findall(r"[a-z0-9]+", addr.lower())]
    if not toks or not toks[0].isdigit():
        return ""
    return " ".join(toks[:3])


def write_csv(path, cols, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive", help="py-entitymatching-0.4.2.tar.gz (or a wheel holding the same files)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "quality", "eval", "restaurants-dev"))
    args = ap.parse_args()
    sha = hashlib.sha256(open(args.archive, "rb").read()).hexdigest()
    data = read_members(args.archive)
    zagats, fodors, matches = data["zagats.csv"], data["fodors.csv"], data["matches_fodors_zagats.csv"]

    # Published labels: one Zagat id per Fodor's id and vice versa (checked, not assumed).
    f2z = {}
    for m in matches:
        f2z[m["fodors_id"].strip()] = m["zagats_id"].strip()
    zids = {z["id"] for z in zagats}
    fids = {f["id"] for f in fodors}
    assert len(f2z) == len(matches) == len(set(f2z.values())), "match file is not one-to-one"
    assert all(a in fids and b in zids for a, b in f2z.items()), "match file names unknown ids"
    dropped = [r for r in zagats + fodors if not r["name"].strip()]
    assert not dropped, f"rows without a name: {dropped}"

    rng = random.Random(SEED)
    os.makedirs(os.path.join(args.out, "uploads"), exist_ok=True)

    # Snapshot: every Zagat record is an open deal of an incumbent partner.
    deal_of = {}
    snapshot = []
    for z in sorted(zagats, key=lambda r: int(r["id"])):
        deal_id = f"ZAG-{int(z['id']):03d}"
        deal_of[z["id"]] = deal_id
        snapshot.append({"deal_id": deal_id, "account_name": z["name"], "account_domain": "",
                         "address": z["addr"], "city": z["city"], "postal_code": "", "country": "US",
                         "phone": z["phone"], "owner_type": "partner", "owner_id": rng.choice(INCUMBENTS),
                         "status": "open", "created_on": "2026-11-04", "expires_on": "2028-12-31",
                         "deal_value": str(rng.randint(5, 499) * 1000), "last_activity_on": "2026-11-04"})
    write_csv(os.path.join(args.out, "snapshot.csv"), SNAPSHOT_COLS, snapshot)

    partners = [{"partner_id": p, "name": f"Partner {p}", "tier": "gold", "territories": "US;CA",
                 "email": f"{p.lower()}@partners.example", "max_active": "10000000"} for p in UPLOADERS]
    partners += [{"partner_id": p, "name": f"Incumbent {p}", "tier": "silver", "territories": "",
                  "email": f"{p.lower()}@partners.example", "max_active": "10000000"} for p in INCUMBENTS]
    write_csv(os.path.join(args.out, "partners.csv"), ["partner_id", "name", "tier", "territories",
                                                       "email", "max_active"], partners)

    # Hard-negative evidence from the snapshot side.
    snap_words = set().union(*(words(z["name"], drop_parens=True) for z in zagats))
    snap_phones = {phone_key(z["phone"]) for z in zagats} - {""}
    snap_streets = {street_key(z["addr"]) for z in zagats} - {""}

    # Uploads: the Fodor's records in a seeded random order, each given to one of two partners.
    order = sorted(fodors, key=lambda r: int(r["id"]))
    rng.shuffle(order)
    files = {p: [] for p in UPLOADERS}
    truth = {p: [] for p in UPLOADERS}
    close0 = date(2027, 1, 4)
    for i, f in enumerate(order, start=1):
        p = UPLOADERS[rng.random() < 0.5]
        close = close0 + timedelta(days=rng.randint(0, 360))
        files[p].append({"partner_id": p, "partner_reference": f"REF-{i:05d}", "account_name": f["name"],
                         "account_domain": "", "contact_name": "", "contact_email": "",
                         "address": f["addr"], "city": f["city"], "postal_code": "", "country": "US",
                         "phone": f["phone"], "deal_value": str(rng.randint(5, 95) * 1000),
                         "currency": "USD", "expected_close_date": close.isoformat(),
                         "product": rng.choice(PRODUCTS)})
        zid = f2z.get(f["id"])
        if zid is not None:
            z = next(r for r in zagats if r["id"] == zid)
            kind = "same_name" if squash(z["name"]) == squash(f["name"]) else "name_variant"
            t = {"expected_match": deal_of[zid], "expected_decision": "declined",
                 "expected_reason": "duplicate_existing_deal", "kind": kind, "entity": deal_of[zid],
                 "noise": f"fodors:{f['id']}~zagats:{zid}"}
        else:
            hard = (bool(words(f["name"]) & snap_words) or phone_key(f["phone"]) in snap_phones
                    or street_key(f["addr"]) in snap_streets)
            t = {"expected_match": "", "expected_decision": "approved", "expected_reason": "",
                 "kind": "hard_negative" if hard else "new", "entity": f"FOD-{int(f['id']):04d}",
                 "noise": f"fodors:{f['id']}"}
        t["upload_file"] = f"{p.lower()}.csv"
        t["row_number"] = str(len(files[p]))
        truth[p].append(t)
    for p in UPLOADERS:
        write_csv(os.path.join(args.out, "uploads", f"{p.lower()}.csv"), UPLOAD_COLS, files[p])
    all_truth = truth[UPLOADERS[0]] + truth[UPLOADERS[1]]
    write_csv(os.path.join(args.out, "truth.csv"), TRUTH_COLS, all_truth)

    c = Counter(t["kind"] for t in all_truth)
    print(f"archive sha256 {sha}")
    print(f"snapshot={len(snapshot)} uploads=" + ",".join(f"{p.lower()}.csv:{len(files[p])}" for p in UPLOADERS)
          + f" duplicates_existing={sum(t['expected_reason'] == 'duplicate_existing_deal' for t in all_truth)}"
          + " duplicates_in_batch=0 kinds=" + ",".join(f"{k}:{v}" for k, v in sorted(c.items())))


if __name__ == "__main__":
    main()
