#!/usr/bin/env bash
# Writes a man page (roff, section 1) for dealreg from the binary's own help text, so it cannot
# drift from the commands: scripts/make-man.sh [PATH/TO/dealreg] > dealreg.1
# (argument-parser's generate-manual plugin would do the same, but it needs a build of its own
# tool; this works from an installed binary, offline.)
set -euo pipefail
dealreg=${1:-.build/release/dealreg}
version=$("$dealreg" --version)
escape() { sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'; }
subcommands() { "$dealreg" "$@" --help | awk '/^SUBCOMMANDS:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ && seen {exit} on {seen=1}'; }

echo ".TH DEALREG 1 \"\" \"$version\" \"User Commands\""
echo ".SH NAME"
echo "dealreg \\- $("$dealreg" --help | awk 'NR == 1 {sub(/^OVERVIEW: /, "")} /^$/ {exit} {printf "%s%s", sep, $0; sep = " "}' | escape)"
echo ".SH SYNOPSIS"
echo ".B dealreg"
echo ".I COMMAND"
echo "[options]"
echo ".SH DESCRIPTION"
echo ".nf"
"$dealreg" --help | escape
echo ".fi"
echo ".SH COMMANDS"
for command in $(subcommands); do
  [ "$command" = help ] && continue
  echo ".SS dealreg $command"
  echo ".nf"
  "$dealreg" "$command" --help | escape
  echo ".fi"
  for sub in $(subcommands "$command"); do
    [ "$sub" = help ] && continue
    echo ".SS dealreg $command $sub"
    echo ".nf"
    "$dealreg" "$command" "$sub" --help | escape
    echo ".fi"
  done
done
echo ".SH FILES"
echo "Schemas of every CSV file: \\fBdealreg schema NAME\\fR. The README describes the nightly batch, the ledger, emails and exit codes."
echo ".SH EXIT STATUS"
echo "0 ran; 1 a ledger command refused; 64 usage; 65 unusable input; 66 missing file; 73 cannot write; 75 ledger busy;"
echo "with \\fB--strict\\fR, 2 when a batch rejected files to inbox/rejected."
