#!/usr/bin/env bash
# CSV read throughput: dealreg's reader vs CSV.swift on the same generated file.
#     scripts/bench-csv.sh [MEGABYTES]    (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-100}
mkdir -p bench-data
file=bench-data/csv-${size_mb}mb.csv
if [ ! -f "$file" ]; then
  python3 - "$file" "$size_mb" <<'PY'
import random, sys
path, megabytes = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
values = ["Fourth Coffee", "Contoso, Ltd.", "Müller GmbH", "ソニー株式会社", 'say "hi"', "12500", "2027-03-31",
          "https://www.example.com/x", "notes\nwith newline"]
def cell(v):
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v
with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("partner_id,account_name,account_domain,deal_value,expected_close_date,contact_email,country,notes\r\n")
    while f.tell() < megabytes * 1_000_000:
        row = [f"P-{rng.randint(1, 50)}", rng.choice(values), "example.com", str(rng.randint(1000, 900000)),
               "2027-03-31", "a@example.com", "DE", rng.choice(values)]
        f.write(",".join(cell(v) for v in row) + "\r\n")
PY
fi
swift build -c release --product csv-bench >/dev/null
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
for run in 1 2 3; do .build/release/csv-bench "$file"; done
.build/release/csv-bench "$file" --reference
