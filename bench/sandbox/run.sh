#!/bin/bash
# bench/sandbox/run.sh — request rates of the standalone sandbox under wrk:
#   (a) GET of one 5000-row contacts page (Prefer: odata.maxpagesize=5000)
#       from a Dataverse emulator seeded with 100,000 contacts;
#   (b) a profile PATCH on the Campaign emulator.
# Both run against 127.0.0.1 for a bounded time. The sandbox is built in
# release mode in its own build directory (CC_BENCH_BUILD_DIR, default under
# $TMPDIR), so a developer's debug build is left alone.
#
# Usage: bench/sandbox/run.sh [DURATION]        e.g. 10s (the default)
# Environment: CC_BENCH_THREADS (wrk threads, 1), CC_BENCH_CONNECTIONS (8).
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
duration=${1:-10s}
build=${CC_BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/cc-bench-sandbox}
threads=${CC_BENCH_THREADS:-1}
connections=${CC_BENCH_CONNECTIONS:-8}

for tool in wrk curl meson ninja; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done

if [ ! -f "$build/build.ninja" ]; then
  meson setup --buildtype=release "$build" "$src" >/dev/null
fi
ninja -C "$build" src/sandbox/campaign-connector-sandbox >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/cc-bench-sandbox.XXXXXX")
pid=
cleanup () {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Service protection off the path: the benchmark measures the emulator,
# not the limits it enforces.
"$build/src/sandbox/campaign-connector-sandbox" --dataverse-port 0 --campaign-port 0 \
  --contacts 100000 --max-requests 2000000000 --max-concurrent 100000 >"$work/urls" &
pid=$!
for _ in $(seq 1 600); do
  [ "$(wc -l <"$work/urls")" -ge 2 ] && break
  kill -0 "$pid" 2>/dev/null || { echo "run.sh: the sandbox did not start" >&2; exit 1; }
  sleep 0.1
done
dataverse=$(awk '$1 == "dataverse" { print $2 }' "$work/urls")
campaign=$(awk '$1 == "campaign" { print $2 }' "$work/urls")
[ -n "$dataverse" ] && [ -n "$campaign" ] || { echo "run.sh: no sandbox URLs" >&2; exit 1; }

token_of () {
  sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'
}

dv_token=$(curl -sf "$dataverse/sandbox-tenant/oauth2/v2.0/token" \
  --data-urlencode grant_type=client_credentials --data-urlencode client_id=sandbox-client \
  --data-urlencode client_secret=sandbox-secret --data-urlencode "scope=$dataverse/.default" | token_of)
ims_token=$(curl -sf "$campaign/ims/token/v3" \
  --data-urlencode grant_type=client_credentials --data-urlencode client_id=sandbox-api-key \
  --data-urlencode client_secret=sandbox-secret --data-urlencode scope=openid,AdobeID | token_of)

# The profile the PATCH benchmark updates.
curl -sf -o /dev/null -X POST "$campaign/sandbox-org/campaign/profileAndServicesExt/profile" \
  -H "Authorization: Bearer $ims_token" -H "X-Api-Key: sandbox-api-key" -H "Content-Type: application/json" \
  -d '{"externalId":"bench-profile","email":"bench.profile@example.com","firstName":"Bench"}'

cat >"$work/get.lua" <<LUA
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer $dv_token"
wrk.headers["Accept"] = "application/json"
wrk.headers["OData-MaxVersion"] = "4.0"
wrk.headers["OData-Version"] = "4.0"
wrk.headers["Prefer"] = "odata.maxpagesize=5000"
LUA

cat >"$work/patch.lua" <<LUA
wrk.method = "PATCH"
wrk.headers["Authorization"] = "Bearer $ims_token"
wrk.headers["X-Api-Key"] = "sandbox-api-key"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cache-Control"] = "no-cache"
local n = 0
request = function ()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"lastName":"Bench ' .. n .. '","denyListEmail":' .. tostring(n % 2 == 0) .. '}')
end
LUA

select='$select=contactid,firstname,lastname,emailaddress1,birthdate,telephone1,mobilephone,donotemail,donotbulkemail'
page_bytes=$(curl -sf -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $dv_token" \
  -H "Prefer: odata.maxpagesize=5000" "$dataverse/api/data/v9.2/contacts?$select")

echo "== machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
echo "== (a) Dataverse GET contacts, 5000 rows per page ($page_bytes bytes), 100,000 seeded"
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/get.lua" \
  "$dataverse/api/data/v9.2/contacts?$select"
# wrk stops (a) with a page request still in flight on every connection;
# the single sandbox thread builds those pages (some 50 ms each) although
# their clients are gone. Started at once, (b) would queue its first
# requests behind them, and wrk's correction for coordinated omission
# turns that one stall into about 1 % of its samples. Wait until cheap
# requests are answered promptly again: several in a row, since a new
# connection can be served before the pages still queued.
prompt=0
for _ in $(seq 1 100); do
  took=$(curl -sf -o /dev/null -w '%{time_total}' \
    -H "Authorization: Bearer $ims_token" -H "X-Api-Key: sandbox-api-key" \
    "$campaign/sandbox-org/campaign/profileAndServicesExt/profile/bench-profile") || took=1
  if awk -v t="$took" 'BEGIN { exit !(t < 0.02) }'; then
    prompt=$((prompt + 1))
    [ "$prompt" -ge 5 ] && break
  else
    prompt=0
  fi
  sleep 0.05
done

echo "== (b) Campaign PATCH profileAndServicesExt/profile/bench-profile"
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/patch.lua" \
  "$campaign/sandbox-org/campaign/profileAndServicesExt/profile/bench-profile"
