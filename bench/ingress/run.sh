#!/bin/bash
# bench/ingress/run.sh — throughput and peak memory of the "Dynamics 365 to
# Campaign" workflow, beside the sandbox's raw rate for the same writes.
#
#  1. A release build of its own (CC_BENCH_BUILD_DIR, default under $TMPDIR).
#  2. For each contact count: a fresh standalone sandbox on 127.0.0.1 with
#     that many contacts (service-protection limits lifted), then
#     bench-ingress runs the real workflow until every contact is a
#     Campaign profile: records/s, peak RSS, and the CPU time per record of
#     the engine and of the sandbox.
#  3. The raw rate: wrk sends the same request the workflow's initial load
#     sends for each record — a profile POST (new records are created
#     first, looked up only when Campaign refuses) — at the same
#     concurrency, to a fresh sandbox.
#
#  4. The floor of the engine's HTTP stack: bench-http-floor sends the same
#     POST from as many threads, each with a libsoup session of its own, and
#     nothing else; its CPU time per request is the part of the engine's
#     per-record time that libsoup takes.
#     Then CC_BENCH_ROUNDS - 1 more rounds of a first load of the first
#     count (no updates) and both floors: CPU time on a shared machine
#     moves by ±10 % from run to run, so the summary gives each round's
#     ratio and their median.
#
# Each workflow run also changes a tenth of the contacts in Dynamics 365
# after the first load and waits until they are written again: the line
# gives the Campaign API calls per record of the first load and of
# updates, as the sandbox counted them. Then a first load of 3000
# contacts under a cap of CC_BENCH_CAP calls per second: the share of the
# cap the engine used while there was work.
#
#  5. Service latency: the sandbox adds CC_BENCH_LATENCY_MS (100) to every
#     request (--latency-ms), as a remote service would, and the workflow
#     runs at the same concurrency, at 64 and at 256 writes in flight: its
#     CPU per record, and its rate against the ceiling concurrency /
#     latency, with the most threads the process had.
#
# The summary at the end gives every figure as a ratio to its floor or
# ceiling measured in this run.
#
# Usage: bench/ingress/run.sh [CONTACTS…]        default: 100000
# Environment: CC_BENCH_CONCURRENCY (8), CC_BENCH_DURATION (wrk, 10s),
# CC_BENCH_CAP (200), CC_BENCH_LATENCY_MS (100; 0 skips step 5),
# CC_BENCH_LATENCY_CONTACTS (20000: at 256 in flight; a half at 64, a
# fortieth at the base concurrency), CC_BENCH_ROUNDS (3: rounds of the
# first load's CPU per record against libsoup's floor).
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${CC_BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/cc-bench-ingress}
concurrency=${CC_BENCH_CONCURRENCY:-8}
duration=${CC_BENCH_DURATION:-10s}
cap=${CC_BENCH_CAP:-200}
latency=${CC_BENCH_LATENCY_MS:-100}
latency_contacts=${CC_BENCH_LATENCY_CONTACTS:-20000}
rounds=${CC_BENCH_ROUNDS:-3}
[ $# -gt 0 ] || set -- 100000

for tool in wrk curl meson ninja; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done

if [ ! -f "$build/build.ninja" ]; then
  meson setup --buildtype=release "$build" "$src" >/dev/null
fi
ninja -C "$build" bench/ingress/bench-ingress bench/ingress/bench-http-floor \
  src/sandbox/campaign-connector-sandbox >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/cc-bench-ingress.XXXXXX")
pid=
stop_sandbox () {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  pid=
}
trap 'stop_sandbox; rm -rf "$work"' EXIT

# start_sandbox CONTACTS [LATENCY_MS]
start_sandbox () {
  "$build/src/sandbox/campaign-connector-sandbox" --dataverse-port 0 --campaign-port 0 \
    --contacts "$1" --memberships 0 --events 0 --latency-ms "${2:-0}" \
    --max-requests 2000000000 --max-concurrent 100000 >"$work/urls" &
  pid=$!
  for _ in $(seq 1 1200); do
    [ "$(wc -l <"$work/urls")" -ge 2 ] && break
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: the sandbox did not start" >&2; exit 1; }
    sleep 0.1
  done
  dataverse=$(awk '$1 == "dataverse" { print $2 }' "$work/urls")
  campaign=$(awk '$1 == "campaign" { print $2 }' "$work/urls")
}

# An IMS access token of the running sandbox's Campaign.
campaign_token () {
  curl -sf "$campaign/ims/token/v3" \
    --data-urlencode grant_type=client_credentials --data-urlencode client_id=sandbox-api-key \
    --data-urlencode client_secret=sandbox-secret --data-urlencode scope=openid,AdobeID \
    | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'
}

# floors SUFFIX: libsoup alone sending the same POST, both ways, on the
# running sandbox: floor-threads$SUFFIX.json and floor-async$SUFFIX.json.
floors () {
  local ticks_before

  echo "== libsoup alone: profile POST, $concurrency threads with a session each"
  ticks_before=$(sandbox_ticks)
  "$build/bench/ingress/bench-http-floor" --campaign "$campaign" --token "$token" \
    --requests 100000 --concurrency "$concurrency" | tee "$work/floor-threads$1.json"
  echo "sandbox CPU per request: $(( ($(sandbox_ticks) - ticks_before) * 1000000 / $(getconf CLK_TCK) / 100000 )) µs"
  echo "== libsoup alone: profile POST, one thread with $concurrency in flight"
  "$build/bench/ingress/bench-http-floor" --campaign "$campaign" --token "$token" \
    --requests 100000 --concurrency "$concurrency" --async | tee "$work/floor-async$1.json"
}

# floor_of SUFFIX: the lower of the two, in µs per request.
floor_of () {
  awk -v a="$(field client_cpu_us_per_request "$work/floor-threads$1.json")" \
      -v b="$(field client_cpu_us_per_request "$work/floor-async$1.json")" \
      'BEGIN { print (a < b ? a : b) }'
}

# user + system time of the sandbox process so far, in clock ticks
sandbox_ticks () {
  awk '{ print $14 + $15 }' "/proc/$pid/stat"
}

# field NAME FILE: a number from the last JSON line of FILE
field () {
  tail -n1 "$2" | sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p"
}

ratio () {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

echo "== machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
echo "== write concurrency: $concurrency"

for n in "$@"; do
  start_sandbox "$n"
  echo "== workflow, $n contacts"
  ticks_before=$(sandbox_ticks)
  "$build/bench/ingress/bench-ingress" --dataverse "$dataverse" --campaign "$campaign" \
    --contacts "$n" --concurrency "$concurrency" --updates $(( n / 10 )) | tee "$work/load-$n.json"
  echo "sandbox CPU per record: $(( ($(sandbox_ticks) - ticks_before) * 1000000 / $(getconf CLK_TCK) / n )) µs (serving the pages and the writes)"
  stop_sandbox
done

# The API allowance: a first load under a cap of calls per second.
start_sandbox 3000
echo "== workflow under a cap of $cap Campaign API calls per second, 3000 contacts"
"$build/bench/ingress/bench-ingress" --dataverse "$dataverse" --campaign "$campaign" \
  --contacts 3000 --concurrency "$concurrency" --max-calls-per-second "$cap"
stop_sandbox

# The raw rate: the same request per record, straight from wrk.
start_sandbox 1000
token=$(campaign_token)
cat >"$work/create.lua" <<LUA
-- Each record: one profile POST, as the initial load sends it.
local n = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["X-Api-Key"] = "sandbox-api-key"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cache-Control"] = "no-cache"
local tag = math.random(1, 1e9)
request = function ()
  n = n + 1
  return wrk.format(nil, nil, nil,
    '{"externalId":"raw-' .. tag .. '-' .. n .. '","firstName":"Raw","lastName":"Bench ' .. n ..
    '","email":"raw.' .. tag .. '.' .. n .. '@example.com","birthDate":"1980-10-24",' ..
    '"phone":"+49 30 1234567","mobilePhone":"+49 170 1234567"}')
end
LUA
echo "== raw sandbox rate: profile POST per record, $concurrency connections, $duration"
ticks_before=$(sandbox_ticks)
wrk -t1 -c"$concurrency" -d"$duration" --latency -s "$work/create.lua" \
  "$campaign/sandbox-org/campaign/profileAndServicesExt/profile" | tee "$work/wrk.txt"
sent=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$work/wrk.txt")
echo "sandbox CPU per request: $(( ($(sandbox_ticks) - ticks_before) * 1000000 / $(getconf CLK_TCK) / sent )) µs"

# The floor: libsoup alone sending the same POST (round 1).
floors ""
stop_sandbox

# CPU time moves by ±10 % from run to run on a shared machine: more rounds
# of a first load of the first count of contacts (no updates), each
# beside both floors again, so that the summary can give the median of
# the rounds' ratios (of an even number, the higher of the middle two).
for r in $(seq 2 "$rounds"); do
  start_sandbox "$1"
  echo "== round $r: workflow, $1 contacts"
  "$build/bench/ingress/bench-ingress" --dataverse "$dataverse" --campaign "$campaign" \
    --contacts "$1" --concurrency "$concurrency" --updates 0 | tee "$work/load-$1-$r.json"
  stop_sandbox
  start_sandbox 1000
  token=$(campaign_token)
  floors "-$r"
  stop_sandbox
done

# Service latency: CC_BENCH_LATENCY_MS on every request.
if [ "$latency" -gt 0 ]; then
  for c in "$concurrency" 64 256; do
    case $c in
      256) m=$latency_contacts ;;
      64) m=$(( latency_contacts / 2 )) ;;
      *) m=$(( latency_contacts / 40 )) ;;
    esac
    start_sandbox "$m" "$latency"
    echo "== workflow, $m contacts, $latency ms on every request, $c in flight"
    "$build/bench/ingress/bench-ingress" --dataverse "$dataverse" --campaign "$campaign" \
      --contacts "$m" --concurrency "$c" --latency-ms "$latency" | tee "$work/latency-$c.json"
    stop_sandbox
  done
fi

# Every figure against its floor or ceiling of this run.
first=$1
cpu=$(field engine_cpu_us_per_record "$work/load-$first.json")
echo "== summary"
ratios=
for r in $(seq 1 "$rounds"); do
  suffix=$([ "$r" -eq 1 ] || echo "-$r")
  round_cpu=$(field engine_cpu_us_per_record "$work/load-$first$suffix.json")
  round_floor=$(floor_of "$suffix")
  ratios="$ratios $(ratio "$round_cpu" "$round_floor")"
  echo "round $r: engine CPU per record, first load of $first, $concurrency in flight: $round_cpu µs" \
    "= $(ratio "$round_cpu" "$round_floor") × libsoup's floor ($round_floor µs; threads" \
    "$(field client_cpu_us_per_request "$work/floor-threads$suffix.json"), async" \
    "$(field client_cpu_us_per_request "$work/floor-async$suffix.json"))"
done
echo "engine CPU per record against libsoup's floor, median of $rounds rounds:" \
  "$(echo $ratios | tr ' ' '\n' | sort -n | awk '{ r[NR] = $1 } END { print r[int(NR / 2) + 1] }') ×" \
  "(rounds:$ratios; target ≤ 1.5)"
echo "Campaign API calls per record: first load $(field campaign_calls_per_record_first_load "$work/load-$first.json")," \
  "updates $(field campaign_calls_per_record_update "$work/load-$first.json") (target 1.00)"
if [ $# -gt 1 ]; then
  last=${!#}
  echo "engine peak RSS, $last vs $first contacts:" \
    "$(ratio "$(field peak_rss_kib "$work/load-$last.json")" "$(field peak_rss_kib "$work/load-$first.json")") (target ≤ 1.10)"
fi
if [ "$latency" -gt 0 ]; then
  # Both while the load is under way (a tenth to nine tenths written): the
  # latency run is short, and what a run costs whatever its size would
  # weigh on its few records.
  steady=$(field engine_cpu_us_per_record_steady "$work/load-$first.json")
  steady_latency=$(field engine_cpu_us_per_record_steady "$work/latency-$concurrency.json")
  echo "engine CPU per record at $latency ms, $concurrency in flight, under way: $steady_latency µs" \
    "= $(ratio "$steady_latency" "$steady") × the figure without latency ($steady µs; target ≤ 1.00);" \
    "whole runs: $(field engine_cpu_us_per_record "$work/latency-$concurrency.json") and $cpu µs"
  for c in 64 256; do
    echo "rate at $latency ms, $c in flight: $(field steady_records_per_second "$work/latency-$c.json") records/s" \
      "= $(field share_of_ceiling "$work/latency-$c.json") of $(field ceiling_records_per_second "$work/latency-$c.json")" \
      "(target ≥ 0.95), $(field peak_threads "$work/latency-$c.json") threads at most (target ≤ 16)"
  done
fi
