#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each, JOBS at a time (default 2), and prints per
# target the executions, the time and the crashes. Builds the targets first
# (build-fuzzers.sh, build-fuzz/).
#   tests/fuzz/run-fuzzers.sh SECONDS [TARGET…]
# Each target starts from its seeds (corpus/TARGET and regressions/TARGET) minimised into
# the work dir ($FUZZ_WORKDIR, default build-fuzz/fuzz-work/TARGET/corpus, kept between runs);
# the seeds in the source tree are not changed. An input that crashes, leaks, times out
# (-timeout=10) or runs out of memory (-rss_limit_mb=2048) is copied to
# regressions/TARGET/, where the normal suite's fuzz tests run it from then on: fix the
# bug, then run this again. After a crash the target is restarted for the time left (at
# most 5 crashes per target). Exits 1 when anything crashed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [TARGET…]" >&2
  exit 2
fi
SECONDS_PER_TARGET=$1
shift
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(tsv csv inter items rule config set grid)
fi
JOBS=${JOBS:-2}
BUILD=${FUZZ_BUILD:-build-fuzz}
WORK=${FUZZ_WORKDIR:-$BUILD/fuzz-work}
MAX_CRASHES=5

bash tests/fuzz/build-fuzzers.sh "$BUILD"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# The targets write their input files here (tests/fuzz/fuzz-common.h); removed at the end.
SHM_BASE=/dev/shm
[ -d "$SHM_BASE" ] && [ -w "$SHM_BASE" ] || SHM_BASE=${TMPDIR:-/tmp}
SCALR_FUZZ_TMPDIR=$(mktemp -d "$SHM_BASE/scalr-fuzz-run.XXXXXX")
export SCALR_FUZZ_TMPDIR
trap 'rm -rf "$SCALR_FUZZ_TMPDIR"' EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly

FUZZ_ARGS=(-max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

# Runs one target; writes $WORK/T/summary (one line) and $WORK/T/crashes (their paths).
fuzz_one () {
  local t=$1 exe="$ROOT/$BUILD/tests/fuzz/fuzz-$1" dir="$WORK/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  rm -f "$dir"/run-*.log "$dir/crashes"
  : > "$dir/crashes"
  local seeds=("$ROOT/tests/fuzz/corpus/$t")
  [ -d "$ROOT/tests/fuzz/regressions/$t" ] && seeds+=("$ROOT/tests/fuzz/regressions/$t")
  # Minimise the seeds (and the corpus of earlier runs) into a fresh corpus dir.
  rm -rf "$dir/corpus.new"
  mkdir -p "$dir/corpus.new"
  "$exe" -merge=1 "${FUZZ_ARGS[@]}" "$dir/corpus.new" "$dir/corpus" "${seeds[@]}" > "$dir/merge.log" 2>&1 || true
  if [ -n "$(ls -A "$dir/corpus.new")" ]; then
    rm -rf "$dir/corpus"
    mv "$dir/corpus.new" "$dir/corpus"
  else
    rm -rf "$dir/corpus.new"   # the merge itself crashed: keep what there was
  fi
  local start=$SECONDS execs=0 crashes=0 run=0
  while :; do
    local left=$((SECONDS_PER_TARGET - (SECONDS - start)))
    [ "$left" -gt 0 ] || break
    run=$((run + 1))
    local log="$dir/run-$run.log" status=0
    "$exe" "${FUZZ_ARGS[@]}" -max_total_time="$left" -artifact_prefix="$dir/artifacts/" \
      "$dir/corpus" "${seeds[@]}" > "$log" 2>&1 || status=$?
    local n
    n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    execs=$((execs + ${n:-0}))
    [ "$status" -eq 0 ] && break
    local artifact
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    crashes=$((crashes + 1))
    if [ -n "$artifact" ] && [ -f "$artifact" ]; then
      mkdir -p "$ROOT/tests/fuzz/regressions/$t"
      cp "$artifact" "$ROOT/tests/fuzz/regressions/$t/"
      echo "$ROOT/tests/fuzz/regressions/$t/$(basename "$artifact")  (log: $log)" >> "$dir/crashes"
    else
      echo "(no input written; log: $log)" >> "$dir/crashes"
      break
    fi
    [ "$crashes" -lt "$MAX_CRASHES" ] || break
  done
  local elapsed=$((SECONDS - start))
  local size
  size=$(find "$dir/corpus" -type f | wc -l)
  printf '%-7s %10d executions in %5d s (%d/s), %d crashes, corpus %d inputs\n' \
    "$t" "$execs" "$elapsed" "$((execs / (elapsed > 0 ? elapsed : 1)))" "$crashes" "$size" > "$dir/summary"
}

echo "fuzz: ${#TARGETS[@]} targets, $SECONDS_PER_TARGET s each, $JOBS at a time; work dir $WORK"
running=0
for t in "${TARGETS[@]}"; do
  if [ ! -x "$BUILD/tests/fuzz/fuzz-$t" ]; then
    echo "fuzz: no target '$t'" >&2
    exit 2
  fi
  if [ "$running" -ge "$JOBS" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  echo "fuzz: $t started ($(date +%H:%M:%S))"
  fuzz_one "$t" &
  running=$((running + 1))
done
wait || true

echo
echo "target       executions      time              crashes"
status=0
for t in "${TARGETS[@]}"; do
  cat "$WORK/$t/summary" 2>/dev/null || echo "$t: no summary (see $WORK/$t)"
  if [ -s "$WORK/$t/crashes" ]; then
    sed 's/^/    crash: /' "$WORK/$t/crashes"
    status=1
  fi
done
exit $status
