#!/bin/bash
# bench/fidelity/dataverse/run.sh — drives the Dataverse emulator with
# dynamics-web-api (a widely used third-party Web API client, pinned in
# package.json and package-lock.json) and fails when the emulator deviates
# from what Microsoft documents: kept-alive connections after 204 answers,
# fetchXml and saved views refused as not implemented, $expand of lookups,
# single-property writes, EntityDefinitions (every property, Keys,
# enumeration filters, required levels), change tokens that expire by
# age, and service protection (a growing Retry-After, how a $batch counts).
#
# It builds campaign-connector-sandbox in a build directory of its own
# (CC_FIDELITY_BUILD_DIR, by default under $TMPDIR) unless CC_SANDBOX names
# a built one, installs the client with npm ci (it needs the npm registry),
# and exits 0 when every check holds, 1 when one deviates, 2 when it cannot
# run.
#
# Usage: bench/fidelity/dataverse/run.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
build=${CC_FIDELITY_BUILD_DIR:-${TMPDIR:-/tmp}/cc-fidelity-sandbox}

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done

sandbox=${CC_SANDBOX:-}
if [ -z "$sandbox" ]; then
  for tool in meson ninja; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
  done
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$src" >/dev/null
  fi
  ninja -C "$build" src/sandbox/campaign-connector-sandbox >/dev/null
  sandbox="$build/src/sandbox/campaign-connector-sandbox"
fi
[ -x "$sandbox" ] || { echo "run.sh: no sandbox at $sandbox" >&2; exit 2; }

cd "$here"
if [ ! -d node_modules/dynamics-web-api ]; then
  npm ci --no-audit --no-fund >/dev/null || { echo "run.sh: npm ci failed" >&2; exit 2; }
fi
exec node check.mjs "$sandbox"
