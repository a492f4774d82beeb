#!/usr/bin/env python3
"""campaign-connector run where its GSettings schema cannot be found (an
uninstalled build started without meson devenv): one line that names the
schema and says what to do, and exit status 1, instead of GLib's abort.

Usage: check-missing-schema.py APP APP_ID
"""
import os
import subprocess
import sys
import tempfile

app, app_id = sys.argv[1], sys.argv[2]
failures = []
with tempfile.TemporaryDirectory() as empty:
    env = dict(os.environ, GSETTINGS_SCHEMA_DIR=empty, XDG_DATA_DIRS=empty)
    for args in ([], ["--sandbox"]):
        run = subprocess.run([app] + args, env=env, capture_output=True, text=True,
                             timeout=60)
        lines = run.stderr.splitlines()
        what = " ".join(["campaign-connector"] + args)
        if run.returncode != 1:
            failures.append(f"{what}: exit status {run.returncode}, not 1")
        if len(lines) != 1:
            failures.append(f"{what}: {len(lines)} lines on stderr, not one: {run.stderr!r}")
        elif app_id not in lines[0] or "meson devenv" not in lines[0]:
            failures.append(f"{what}: the line names neither the schema nor meson devenv: "
                            f"{lines[0]!r}")

for failure in failures:
    print(failure, file=sys.stderr)
sys.exit(1 if failures else 0)
