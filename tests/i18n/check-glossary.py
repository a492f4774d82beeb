#!/usr/bin/env python3
"""The catalogs use the glossary's words (docs/glossary.md).

"Words of the window": the string with that context is translated with
exactly the word of the language's column. "Terms inside sentences": at
least one translation of a string that names the term (ignoring case,
and a hyphen against a space) contains the language's word. A term no
string names is not checked. Product names stay as they are in every
translation.

Usage: check-glossary.py SOURCE_ROOT
"""
import ast
import os
import re
import subprocess
import sys
import tempfile

PRODUCTS = ["Microsoft Dynamics 365", "Dynamics 365", "Adobe Campaign Standard",
            "Adobe Campaign", "Campaign"]


def read_tables(path):
    """The glossary's tables, by the heading above each: a list of
    dicts (column name → cell) per heading."""
    tables = {}
    heading = None
    header = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("## "):
                heading, header = line[3:].strip(), None
            elif line.startswith("|") and heading is not None:
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if header is None:
                    header = cells
                elif not all(set(c) <= set("-:") for c in cells):
                    tables.setdefault(heading, []).append(dict(zip(header, cells)))
            else:
                header = None
    return tables


def read_catalog(po, tmp):
    """(msgctxt or None, msgid) → msgstr of a compiled @po."""
    mo = os.path.join(tmp, os.path.basename(po) + ".mo")
    subprocess.run(["msgfmt", "-o", mo, po], check=True)
    # msgunfmt writes the compiled catalog back one entry per line pair,
    # without wrapping, which is easy to read here.
    text = subprocess.run(["msgunfmt", "--no-wrap", mo], check=True,
                          capture_output=True, text=True).stdout
    entries = {}
    for block in text.split("\n\n"):
        ctx = msgid = msgstr = None
        for line in block.splitlines():
            if line.startswith("msgctxt "):
                ctx = ast.literal_eval(line[8:])
            elif line.startswith("msgid "):
                msgid = ast.literal_eval(line[6:])
            elif line.startswith("msgstr "):
                msgstr = ast.literal_eval(line[7:])
            elif line.startswith("msgstr[0] "):
                msgstr = ast.literal_eval(line[10:])
        if msgid:
            entries[(ctx, msgid)] = msgstr
    return entries


def term_pattern(english):
    """The English term without its explanation in brackets, as a
    pattern that takes a hyphen for a space."""
    term = re.sub(r"\s*\(.*\)$", "", english)
    return re.compile(r"[ -]".join(re.escape(w) for w in term.split()), re.IGNORECASE)


def check_words(lang, words, entries):
    for row in words:
        key = (row["Context"] or None, row["English"])
        got = entries.get(key)
        if got != row[lang]:
            yield (f"{lang}: {key[1]!r} ({key[0] or 'no context'}) is {got!r}, "
                   f"the glossary says {row[lang]!r}")


def check_terms(lang, terms, entries):
    for row in terms:
        pattern = term_pattern(row["English"])
        naming = [s for (_, msgid), s in entries.items() if pattern.search(msgid)]
        if naming and not any(row[lang].lower() in (s or "").lower() for s in naming):
            yield (f"{lang}: none of the {len(naming)} strings naming {row['English']!r} "
                   f"uses {row[lang]!r}, e.g. {naming[0]!r}")


def check_products(lang, entries):
    # Product names are kept: a msgid naming one has it in its msgstr.
    for (ctx, msgid), msgstr in entries.items():
        for name in PRODUCTS:
            if name in msgid:
                if name not in (msgstr or ""):
                    yield f"{lang}: {msgid!r} loses the name {name!r}: {msgstr!r}"
                break


def main():
    root = sys.argv[1]
    tables = read_tables(os.path.join(root, "docs", "glossary.md"))
    words = tables.get("Words of the window", [])
    terms = tables.get("Terms inside sentences", [])
    if not words or not terms:
        print("docs/glossary.md: no \"Words of the window\" or \"Terms inside sentences\" table",
              file=sys.stderr)
        return 1
    with open(os.path.join(root, "po", "LINGUAS"), encoding="utf-8") as f:
        langs = [l.strip() for l in f if l.strip() and not l.startswith("#")]

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in langs:
            if lang not in words[0]:
                failures.append(f"{lang}: the glossary has no column for it")
                continue
            entries = read_catalog(os.path.join(root, "po", lang + ".po"), tmp)
            failures += check_words(lang, words, entries)
            failures += check_terms(lang, terms, entries)
            failures += check_products(lang, entries)

    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{len(words)} words and {len(terms)} terms in {len(langs)} languages, "
          f"{len(failures)} mismatches")
    return 1 if failures else 0


sys.exit(main())
