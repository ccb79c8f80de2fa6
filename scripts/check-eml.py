#!/usr/bin/env python3
"""Parses .eml files with Python's standard MIME parser and prints what a mail client would show,
as JSON lines: decoded headers, the text body, whether there is an HTML body, and each attachment's
decoded file name, content type and SHA-256. Used by the tests and scripts/mail-integration.sh.

    python3 scripts/check-eml.py MESSAGE.eml [...]
"""
import email
import email.policy
import hashlib
import json
import sys


def describe(data):
    message = email.message_from_bytes(data, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        "from": str(message["From"]), "to": str(message["To"]), "subject": str(message["Subject"]),
        "date": str(message["Date"]), "message_id": str(message["Message-ID"]),
        "header_names": list(message.keys()),
        "defects": [type(d).__name__ for d in message.defects],
        "text": text.get_content() if text else None,
        "html": html.get_content() if html else None,
        "attachments": [{"filename": part.get_filename(), "content_type": part.get_content_type(),
                         "sha256": hashlib.sha256(part.get_payload(decode=True)).hexdigest()}
                        for part in message.iter_attachments()],
    }


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, "rb") as handle:
            print(json.dumps(describe(handle.read()), ensure_ascii=False))
