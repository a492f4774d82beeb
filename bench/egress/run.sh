#!/bin/bash
# bench/egress/run.sh — throughput of the egress workflow (Campaign email
# events into Dynamics 365) against the standalone sandbox, per batch size,
# and the sandbox's raw $batch rate beside it.
#
# Everything is built in release mode in a build directory of its own
# (CC_BENCH_BUILD_DIR, default under $TMPDIR), so a developer's debug
# build is left alone. Each measurement starts a fresh sandbox on
# 127.0.0.1 with the events seeded and the service-protection limits
# lifted.
#
# With CC_BENCH_LATENCY_MS set, the sandbox adds that many ms to every
# request (--latency-ms), as a remote Dynamics 365 would, for the workflow
# and for the raw rate alike.
#
# With CC_BENCH_QUOTA=N/SECONDS, the sandbox enforces its per-user
# request limit instead (N requests per window of SECONDS, for each
# application user, --max-requests/--window), and the workflow runs for
# CC_BENCH_WINDOWS whole windows with each count of CC_BENCH_USERS
# application users in turn: events/s, the ratio between the counts, and
# the share of the users' allowance used (requests the sandbox admitted ÷
# allowed), per user and in all. The batch size is the first of
# CC_BENCH_BATCH_SIZES (100 in this mode), EVENTS is not used.
#
# Usage: bench/egress/run.sh [EVENTS]          200000 by default
# Environment: CC_BENCH_BATCH_SIZES (10,50,100,200,500,1000),
#              CC_BENCH_CONCURRENCY (2), CC_BENCH_CONTACTS (10000),
#              CC_BENCH_LATENCY_MS (0), CC_BENCH_QUOTA (unset; e.g. 50/10),
#              CC_BENCH_WINDOWS (3), CC_BENCH_USERS (1,2).
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
events=${1:-200000}
build=${CC_BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/cc-bench-egress}
sizes=${CC_BENCH_BATCH_SIZES:-10,50,100,200,500,1000}
concurrency=${CC_BENCH_CONCURRENCY:-2}
contacts=${CC_BENCH_CONTACTS:-10000}
latency=${CC_BENCH_LATENCY_MS:-0}
quota=${CC_BENCH_QUOTA:-}
windows=${CC_BENCH_WINDOWS:-3}
users=${CC_BENCH_USERS:-1,2}

quota_args=()
if [ -n "$quota" ]; then
  case "$quota" in
    */*) ;;
    *) echo "run.sh: CC_BENCH_QUOTA is N/SECONDS (requests per window), not “$quota”" >&2; exit 2 ;;
  esac
  sizes=${CC_BENCH_BATCH_SIZES:-100}
  quota_args=(--max-requests "${quota%/*}" --window "${quota#*/}" --windows "$windows"
              --users "$users")
fi

for tool in meson ninja; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done

if [ ! -f "$build/build.ninja" ]; then
  meson setup --buildtype=release "$build" "$src" >/dev/null
fi

sandbox="$build/src/sandbox/campaign-connector-sandbox"
bench="$build/bench/egress/bench-egress"
ninja -C "$build" bench/egress/bench-egress src/sandbox/campaign-connector-sandbox >/dev/null

uptime
"$bench" --sandbox "$sandbox" --events "$events" --contacts "$contacts" \
  --batch-sizes "$sizes" --concurrency "$concurrency" --latency-ms "$latency" \
  "${quota_args[@]}"
uptime
