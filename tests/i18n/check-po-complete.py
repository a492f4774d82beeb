#!/usr/bin/env python3
"""Every string of the sources is translated in every language.

Regenerates the template from po/POTFILES.in with xgettext, the way the
build's campaign-connector-pot target does (meson's glib preset), into a
temporary directory, so that a string added to the sources since the
last update-po is caught too. Then msgcmp checks each po/<lang>.po
against it: a msgid that is missing from a catalog, untranslated or
fuzzy there fails the test.

Usage: check-po-complete.py SOURCE_ROOT
"""
import os
import subprocess
import sys
import tempfile

# meson's i18n.gettext(preset: 'glib') passes these to xgettext.
GLIB_PRESET = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]

root = os.path.abspath(sys.argv[1])
podir = os.path.join(root, "po")
with open(os.path.join(podir, "LINGUAS"), encoding="utf-8") as f:
    languages = [w for line in f if not line.startswith("#") for w in line.split()]
if not languages:
    sys.exit("po/LINGUAS names no language")

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, "campaign-connector.pot")
    subprocess.run(
        ["xgettext", "--package-name=campaign-connector", "-D", root,
         "-f", os.path.join(podir, "POTFILES.in"), "-o", pot] + GLIB_PRESET,
        cwd=root, check=True)
    # The template must hold the strings of every kind of source, or the
    # comparison below would prove nothing.
    with open(pot, encoding="utf-8") as f:
        text = f.read()
    count = text.count("\nmsgid ") - 1
    print(f"{count} messages in the regenerated template")
    for needle in ('msgctxt "status"\nmsgid "Running"',     # C source
                   'msgctxt "column"\nmsgid "Backlog"',     # .ui file
                   'msgid "Data Sync"',                     # desktop file
                   'msgid "First release."'):               # metainfo
        if needle not in text:
            sys.exit(f"the regenerated template lacks {needle!r}")

    failed = []
    for lang in languages:
        po = os.path.join(podir, lang + ".po")
        # Without --use-untranslated/--use-fuzzy, msgcmp counts an
        # untranslated or fuzzy entry as missing too.
        result = subprocess.run(["msgcmp", po, pot],
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(f"po/{lang}.po lacks strings of the sources:", file=sys.stderr)
            print(result.stderr, file=sys.stderr)
            failed.append(lang)
        else:
            print(f"po/{lang}.po: every string translated")
sys.exit(1 if failed else 0)
