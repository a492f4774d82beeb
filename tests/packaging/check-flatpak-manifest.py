#!/usr/bin/env python3
"""The Flatpak manifest parses and says what the app is and needs.

flatpak-builder cannot run offline (the runtime cannot be fetched), so this
checks the manifest's content instead: the build itself is the meson build
the other tests already run.
"""
import json
import sys

APP_ID = "io.github.campaignconnector.CampaignConnector"

def fail(msg):
    print(f"flatpak manifest: {msg}", file=sys.stderr)
    sys.exit(1)

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    try:
        m = json.load(f)
    except json.JSONDecodeError as e:
        fail(f"not valid JSON: {e}")

if m.get("id") != APP_ID:
    fail(f"id is {m.get('id')!r}, expected {APP_ID!r}")
if m.get("command") != "campaign-connector":
    fail(f"command is {m.get('command')!r}, expected 'campaign-connector'")
if m.get("runtime") != "org.gnome.Platform" or m.get("sdk") != "org.gnome.Sdk":
    fail("runtime/sdk must be org.gnome.Platform / org.gnome.Sdk")

args = m.get("finish-args", [])
required = {
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--talk-name=org.freedesktop.secrets",
    f"--own-name={APP_ID}",
}
missing = required - set(args)
if missing:
    fail(f"finish-args lack {sorted(missing)}")
allowed = required | {"--share=ipc", "--device=dri"}
extra = set(args) - allowed
if extra:
    fail(f"finish-args grant more than the app needs: {sorted(extra)}")
if any(a.startswith("--filesystem") for a in args):
    fail("the app needs no filesystem access")

modules = m.get("modules", [])
app_mod = [mod for mod in modules if isinstance(mod, dict) and mod.get("name") == "campaign-connector"]
if not app_mod:
    fail("no module named campaign-connector")
if app_mod[-1].get("buildsystem") != "meson":
    fail("the app module must build with meson")
if modules[-1] is not app_mod[-1]:
    fail("the app module must be the last module")
print("ok: manifest", path)
