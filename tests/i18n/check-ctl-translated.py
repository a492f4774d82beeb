#!/usr/bin/env python3
"""campaign-connector-ctl speaks the user's language: under
LANG=zh_CN.UTF-8 its errors and usage messages are the Simplified Chinese
ones from the build's catalogs (CC_LOCALEDIR), and under C they are the
English ones (so the Chinese really comes from the translation).

No engine runs on the test's private session bus, which gives the
"engine is not running" error.

Usage: check-ctl-translated.py CTL LOCALEDIR
"""
import os
import subprocess
import sys

ctl, localedir = sys.argv[1], sys.argv[2]
mo = os.path.join(localedir, "zh_CN", "LC_MESSAGES", "campaign-connector.mo")
if not os.path.isfile(mo):
    sys.exit(f"{mo} was not built")


def run(lang, *args):
    env = dict(os.environ)
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    env.pop("LANGUAGE", None)
    env["LANG"] = lang
    env["CC_LOCALEDIR"] = localedir
    result = subprocess.run([ctl] + list(args), capture_output=True,
                            text=True, encoding="utf-8", env=env, timeout=60)
    print(f"$ LANG={lang} campaign-connector-ctl {' '.join(args)}  → {result.returncode}")
    print(result.stdout + result.stderr)
    return result


failures = []


def expect(result, status, text, where="stderr"):
    out = result.stderr if where == "stderr" else result.stdout
    if result.returncode != status:
        failures.append(f"exit status {result.returncode}, expected {status}")
    if text not in out:
        failures.append(f"{text!r} not in {where}: {out!r}")


# No engine on this bus: the error line, translated.
expect(run("zh_CN.UTF-8", "list"), 1,
       "引擎未运行（请使用“campaign-connector --headless”或“campaign-connector”启动）")
expect(run("C.UTF-8", "list"), 1,
       "the engine is not running (start it with “campaign-connector --headless”")

# Wrong usage: told before the bus is even asked.
expect(run("zh_CN.UTF-8"), 2, "哪个命令？")
expect(run("zh_CN.UTF-8", "frobnicate"), 2, "未知命令“frobnicate”")
expect(run("zh_CN.UTF-8", "--help"), 0, "控制在此会话中运行的 Campaign Connector 引擎。",
       where="stdout")

for failure in failures:
    print("FAIL:", failure, file=sys.stderr)
sys.exit(1 if failures else 0)
