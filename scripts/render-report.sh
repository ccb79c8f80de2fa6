#!/usr/bin/env bash
# The program report as an ops lead sees it (issue 14): a ledger built from the samples over five
# nights in three weeks, the last two in shadow mode and their queue worked by a person, rendered by `dealreg report
# --format html`, opened in headless Chromium (Debian's `chromium`), screenshotted and checked:
#   - the browser logs no console error and no failed load (the page needs no network);
#   - the rendered DOM holds the report's sections and its inline SVG charts with drawn marks;
#   - the screenshot is not blank (a share of its pixels is ink, in more than one colour).
# Usage: DEALREG=.build/debug/dealreg bash scripts/render-report.sh [OUT_DIR]
# Leaves report.html, report.png, dom.html and chromium.log in OUT_DIR (default: a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."

dealreg=${DEALREG:-.build/debug/dealreg}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -x "$dealreg" ] || { echo "render-report: $dealreg is not built (swift build first)" >&2; exit 66; }
[ -n "$browser" ] || { echo "render-report: chromium is not installed (apt-get install chromium)" >&2; exit 69; }
out=${1:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ledger="$work/ledger.sqlite"

# Five nights over three weeks: each sample upload decided on its own night, so the weekly trends
# have several points and the leaderboard several partners. The last two nights run in shadow mode
# (every row to review with its would-be decision), as a rollout does before trusting the rules.
mkdir -p "$work/shadow"
cp samples/direct_accounts.csv samples/blocked.csv "$work/shadow/"
sed 's/^shadow_mode: false/shadow_mode: true/' samples/policy.yaml >"$work/shadow/policy.yaml"
grep -q '^shadow_mode: true' "$work/shadow/policy.yaml"
night=0
for upload in samples/northwind-2026-11-20.csv samples/alpine-2026-11-21.csv samples/sakura-2026-11-21.csv \
              samples/fieldforce-2026-11-22.csv samples/northwind-sites-2026-11-22.csv; do
  day=$(date -u -d "2026-11-09 + $((night * 4)) days" +%F)
  policy=samples/policy.yaml
  [ "$night" -ge 3 ] && policy="$work/shadow/policy.yaml"
  "$dealreg" run --ledger "$ledger" --snapshot samples/snapshot.csv --partners samples/partners.csv \
    --policy "$policy" --as-of "$day" --out "$work/out-$night" --quiet "$upload"
  night=$((night + 1))
done
# People work the queue: a row the rules took for a duplicate is declined, the rest approved (or,
# where approving would clash with another registration, declined too). These are the judgements
# the report's override counts and threshold calibration learn from.
"$dealreg" review list --ledger "$ledger" --policy samples/policy.yaml --format csv >"$work/queue.csv"
python3 - "$work/queue.csv" >"$work/judgements.txt" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    duplicate = any(code.startswith("duplicate_") or code in ("possible_duplicate", "already_registered")
                    for code in row["reason_codes"].split(";"))
    print(row["id"], "reject" if duplicate else "approve", row["matched_record"] or "-")
PY
judged=0
while read -r id action record; do
  if [ "$action" = approve ] && "$dealreg" review approve "$id" --note "Checked with the account executive" --ledger "$ledger" \
       --policy samples/policy.yaml --snapshot samples/snapshot.csv --partners samples/partners.csv >/dev/null 2>&1; then
    judged=$((judged + 1)); continue
  fi
  duplicate=()
  [ "$action" = reject ] && [ "$record" != - ] && duplicate=(--duplicate-of "$record")
  "$dealreg" review reject "$id" --note "Registered by another partner" "${duplicate[@]}" --ledger "$ledger" \
    --policy samples/policy.yaml >/dev/null
  judged=$((judged + 1))
done <"$work/judgements.txt"
echo "render-report: $judged review(s) judged"

"$dealreg" report --ledger "$ledger" --format html --out "$out/report.html"

# --no-sandbox: CI runs as root, where Chromium's sandbox cannot start. --enable-logging=stderr
# prints every console message and load failure ("CONSOLE", "ERROR:") to the log checked below.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check
       --disable-extensions --disable-background-networking --enable-logging=stderr --v=0
       --user-data-dir="$work/profile" --window-size=1280,2600)
"$browser" "${flags[@]}" --screenshot="$out/report.png" "file://$(realpath "$out/report.html")" 2>"$out/chromium.log" >/dev/null
"$browser" "${flags[@]}" --dump-dom "file://$(realpath "$out/report.html")" >"$out/dom.html" 2>>"$out/chromium.log"

python3 - "$out" <<'PY'
import re, sys
from pathlib import Path
from PIL import Image

out = Path(sys.argv[1])
log = (out / "chromium.log").read_text(errors="replace")
# Console messages from the page, and resources it failed to load, are defects; Chromium's own
# noise about the machine (no D-Bus, no GPU) is not the page's.
page_errors = [line for line in log.splitlines()
               if "CONSOLE" in line or "net::ERR_" in line or "Uncaught" in line or "Failed to load resource" in line]
assert not page_errors, "the report logged errors in Chromium:\n" + "\n".join(page_errors)

dom = (out / "dom.html").read_text()
for heading in ["Registrations per week", "Reasons", "Review queue ageing", "Partner leaderboard", "Overridden decisions",
                "Threshold calibration"]:
    assert re.search(re.escape(heading), dom, re.I), f"the rendered report has no '{heading}' section"
svgs = re.findall(r"<svg\b.*?</svg>", dom, re.S)
marks = sum(len(re.findall(r"<(rect|path|polyline|circle|line)\b", svg)) for svg in svgs)
assert len(svgs) >= 4 and marks >= 10, f"the charts did not draw: {len(svgs)} svg, {marks} marks"
assert "<polyline" in dom, "the calibration chart has no lines (no judged registrations?)"

image = Image.open(out / "report.png").convert("RGB")
width, height = image.size
assert width >= 1000 and height >= 1000, image.size
pixels = list(image.resize((width // 4, height // 4)).tobytes())
pixels = list(zip(pixels[0::3], pixels[1::3], pixels[2::3]))
ink = [p for p in pixels if sum(p) < 720]
colours = {(r // 32, g // 32, b // 32) for r, g, b in ink}
share = len(ink) / len(pixels)
assert share > 0.01, f"the screenshot is nearly blank ({share:.2%} ink)"
assert len(colours) >= 4, f"the screenshot has {len(colours)} colours: the charts did not draw"
print(f"report rendered in Chromium: {len(svgs)} charts, {marks} marks, {share:.1%} ink in {len(colours)} colour groups, "
      f"{width}x{height} screenshot, no console errors")
PY
