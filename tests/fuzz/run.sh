#!/bin/sh
# run.sh [SECONDS] [TARGET…] — builds the fuzz targets with clang,
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer (in
# _build-fuzz, or $CC_FUZZ_BUILD), then runs each TARGET (default: all)
# for SECONDS (default 600), one after another, and prints one line of
# results per target. A GLib-CRITICAL or warning counts as a crash.
#
# What a run finds (new inputs, crashes) stays in <build>/fuzz-results/
# <target>/: corpus/ (inputs that reached new code), crashes/, log. A
# crash is fixed and its input added to corpus/<target>/ here, which the
# regular test suite replays (README.md).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${CC_FUZZ_BUILD:-$src/_build-fuzz}
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-config odata batch campaign journal token dbus}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized
fi
ninja -C "$build" $(for t in $targets; do printf 'tests/fuzz/fuzz-%s ' "$t"; done)

results=$build/fuzz-results
mkdir -p "$results"
# The D-Bus target's engine keeps its configuration and database in a
# temporary folder: in memory where there is one.
[ -d /dev/shm ] && export TMPDIR=/dev/shm
status=0
for t in $targets; do
  work=$results/$t
  mkdir -p "$work/corpus" "$work/crashes"
  failed=0
  if ! G_SLICE=always-malloc \
       ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1 \
       UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
       LSAN_OPTIONS=suppressions=$src/build-aux/lsan.supp:print_suppressions=0 \
       "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
         -max_len=65536 -dict="$here/json.dict" -print_final_stats=1 \
         -artifact_prefix="$work/crashes/" "$work/corpus" "$here/corpus/$t" \
         > "$work/log" 2>&1
  then
    status=1
    failed=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
  crashes=$(find "$work/crashes" -type f | wc -l)
  # A run that failed and saved no input still found something: say so.
  [ "$failed" = 1 ] && [ "$crashes" = 0 ] && crashes="1 (no input saved: see $work/log)"
  printf '%-9s %4ss  %10s executions  coverage %6s edges  %6s features  corpus %5s  crashes %s\n' \
    "$t" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
    "$(find "$work/corpus" -type f | wc -l)" "$crashes"
done
exit $status
