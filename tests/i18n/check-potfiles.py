#!/usr/bin/env python3
"""Every source file with translatable strings is listed in po/POTFILES.in,
and every listed file exists."""
import os
import re
import sys

root = sys.argv[1]
potfiles_path = os.path.join(root, "po", "POTFILES.in")
with open(potfiles_path, encoding="utf-8") as f:
    listed = {l.strip() for l in f if l.strip() and not l.startswith("#")}

C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext)\s*\(\s*"')
UI_MARK = re.compile(r'translatable="yes"')

needed = set()
for top in ("src", "data"):
    for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
        for name in files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            try:
                text = open(path, encoding="utf-8").read()
            except (UnicodeDecodeError, OSError):
                continue
            if name.endswith((".c", ".h")) and C_MARK.search(text):
                needed.add(rel)
            elif name.endswith(".ui") and UI_MARK.search(text):
                needed.add(rel)
            elif name.endswith((".desktop.in", ".metainfo.xml.in", ".gschema.xml")):
                needed.add(rel)

ok = True
for rel in sorted(needed - listed):
    print(f"po/POTFILES.in lacks {rel}, which has translatable strings", file=sys.stderr)
    ok = False
for rel in sorted(listed):
    if not os.path.exists(os.path.join(root, rel)):
        print(f"po/POTFILES.in lists {rel}, which does not exist", file=sys.stderr)
        ok = False
print(f"{len(needed)} files with translatable strings, {len(listed)} listed")
sys.exit(0 if ok else 1)
