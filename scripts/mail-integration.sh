#!/usr/bin/env bash
# End-to-end mail check: runs the samples into an outbox, delivers it with a real MTA
# client (msmtp) to a real SMTP server (aiosmtpd) on loopback, and checks what arrived
# with Python's MIME parser: every message, its headers, and each attachment byte for
# byte equal to the partner file it was made from.
#     scripts/mail-integration.sh          (needs msmtp and the aiosmtpd Python package)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v msmtp >/dev/null || { echo "msmtp is not installed (apt-get install msmtp)"; exit 1; }
python3 -c "import aiosmtpd" 2>/dev/null || { echo "aiosmtpd is not installed (pip install aiosmtpd)"; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$work/maildir" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

swift build -q --product dealreg
dealreg=$(swift build --show-bin-path)/dealreg
"$dealreg" run --snapshot samples/snapshot.csv --partners samples/partners.csv --policy samples/policy.yaml \
  --as-of 2026-11-23 --out "$work/out" --outbox "$work/outbox" --quiet samples/*-2026-*.csv

cat > "$work/msmtprc" <<RC
account local
host 127.0.0.1
port $port
auth off
tls off
from partners@example.com
account default : local
RC
chmod 600 "$work/msmtprc"
"$dealreg" send --outbox "$work/outbox" --sendmail "msmtp -C $work/msmtprc -t"

python3 - "$work" <<'PY'
import hashlib, json, mailbox, pathlib, subprocess, sys
work = pathlib.Path(sys.argv[1])
sent = sorted((work / "outbox" / "sent").glob("*.eml"))
waiting = list((work / "outbox").glob("*.eml"))
arrived = [m.as_bytes() for m in mailbox.Maildir(work / "maildir", create=False)]
assert not waiting, f"undelivered: {waiting}"
assert len(arrived) == len(sent) > 0, f"{len(arrived)} arrived, {len(sent)} sent"
partner_files = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in (work / "out").glob("*.partner*.csv")}
sys.path.insert(0, "scripts")
from importlib import import_module
check = import_module("check-eml")
recipients = []
for raw in arrived:
    mail = check.describe(raw)
    assert not mail["defects"], mail["defects"]
    assert mail["html"] and "<table" in mail["html"], "no HTML body"
    assert len(mail["attachments"]) == 1
    assert "Auto-Submitted" in mail["header_names"], mail["header_names"]
    assert mail["date"] != "Mon, 23 Nov 2026 00:00:00 +0000", "dated when sent, not midnight of --as-of"
    digest = mail["attachments"][0]["sha256"]
    assert digest in partner_files, f"attachment of {mail['to']} matches no partner file"
    recipients.append(mail["to"])
print(f"mail-integration: {len(arrived)} messages delivered over SMTP and parsed; attachments identical to their files")
print("  to: " + "; ".join(sorted(recipients)))
PY
