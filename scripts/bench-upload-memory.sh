#!/usr/bin/env bash
# Peak RSS of `dealreg run` in upload size (issue 12; BENCHMARKS.md, "Memory in upload size").
#
#   scripts/bench-upload-memory.sh [DEALREG] [ROWS...]
#   MODE=ledger scripts/bench-upload-memory.sh ...   (with a new SQLite ledger; MODE=outbox: and an outbox too)
#
# One generated upload of distinct accounts (`Brand1234 Systems`, own domain, Austin, US-TX,
# partner P-NORTHWIND) per row count, run against the samples' snapshot and policy; prints
# rows, peak RSS (KiB, from /usr/bin/time -v) and wall time. Outputs go to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dealreg=${1:-.build/release/dealreg}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000 100000)
work=$(mktemp -d /tmp/bench-upload-memory.XXXXXX)
trap 'rm -rf "$work"' EXIT
for rows in "${sizes[@]}"; do
    upload="$work/bench-$rows.csv"
    awk -v n="$rows" 'BEGIN {
        print "partner_id,account_name,account_domain,deal_value,expected_close_date,contact_email,city,region,country"
        for (i = 1; i <= n; i++)
            printf "P-NORTHWIND,Brand%d Systems,brand%d.example,\"$12,000\",2027-03-01,sales@brand%d.example,Austin,TX,US\n", i, i, i
    }' > "$upload"
    rm -rf "$work/out" "$work/ledger.sqlite"* "$work/outbox"
    extra=()
    case "${MODE:-run}" in
        run) ;;
        ledger) extra=(--ledger "$work/ledger.sqlite") ;;
        outbox) extra=(--ledger "$work/ledger.sqlite" --outbox "$work/outbox") ;;
        *) echo "bench-upload-memory.sh: MODE is run, ledger or outbox" >&2; exit 2 ;;
    esac
    /usr/bin/time -v "$dealreg" run "${extra[@]}" --snapshot samples/snapshot.csv --partners samples/partners.csv \
        --policy samples/policy.yaml --as-of 2026-11-23 --quiet --out "$work/out" "$upload" \
        > "$work/stdout" 2> "$work/time" || { cat "$work/time" >&2; exit 1; }
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/time")
    printf '%s %s rows\tpeak RSS %s KiB (%.0f MiB)\twall %s\n' "${MODE:-run}" "$rows" "$rss" "$(echo "$rss / 1024" | bc -l)" "$wall"
done
