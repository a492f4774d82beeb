#!/usr/bin/env python3
"""Each catalog passes msgfmt --check and is complete: msgfmt --statistics
must report translated messages only (no untranslated, no fuzzy).

Usage: check-po-stats.py MSGFMT PO_FILE
"""
import re
import subprocess
import sys

msgfmt, po = sys.argv[1], sys.argv[2]
result = subprocess.run([msgfmt, "--check", "--statistics", "-o", "/dev/null", po],
                        capture_output=True, text=True, env={"LC_ALL": "C"})
report = result.stderr.strip()
print(report)
if result.returncode != 0:
    sys.exit(f"{po}: msgfmt --check failed")
# e.g. "605 translated messages, 2 fuzzy translations, 1 untranslated message."
translated = re.search(r"(\d+) translated message", report)
if translated is None or int(translated.group(1)) == 0:
    sys.exit(f"{po}: no translated messages")
for kind in ("fuzzy", "untranslated"):
    m = re.search(r"(\d+) " + kind, report)
    if m is not None and int(m.group(1)) != 0:
        sys.exit(f"{po}: {m.group(1)} {kind} messages")
print(f"{po}: {translated.group(1)} translated, 0 fuzzy, 0 untranslated")
