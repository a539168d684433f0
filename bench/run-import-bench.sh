#!/bin/sh
# run-import-bench.sh — planted data (1M events; 20M with --large) + the import benchmark.
#
# Usage: bench/run-import-bench.sh [BUILD_DIR] [--large] [--json]
#   BUILD_DIR  a configured and built meson build directory (default: build); this script
#              builds nothing; for meaningful figures use --buildtype=release.
#   --large    also generate and benchmark 20M events (about 700 MB of TSV, 2 GB of peak RSS)
#   --json     pass --json to bench-import (one JSON document per data set)
# Environment: BENCH_DIR holds the generated data (default: ${TMPDIR:-/tmp}/scalr-bench);
# data already there is reused (the generator is deterministic for a seed).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=build
large=0
json=
for arg in "$@"; do
  case "$arg" in
    --large) large=1 ;;
    --json) json=--json ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-import-bench.sh: unknown option $arg" >&2; exit 2 ;;
    *) build=$arg ;;
  esac
done
case "$build" in
  /*) ;;
  *) build="$root/$build" ;;
esac
planted="$build/bench/scalr-planted"
bench="$build/bench/bench-import"
for exe in "$planted" "$bench"; do
  if [ ! -x "$exe" ]; then
    echo "run-import-bench.sh: $exe not found; build first: meson setup $build --buildtype=release && ninja -C $build" >&2
    exit 1
  fi
done
if [ -f "$build/meson-info/intro-buildoptions.json" ] \
   && ! grep -q '"name": "buildtype", "value": "release"' "$build/meson-info/intro-buildoptions.json"; then
  echo "run-import-bench.sh: note: $build is not a release build; figures will be pessimistic" >&2
fi

data=${BENCH_DIR:-${TMPDIR:-/tmp}/scalr-bench}
mkdir -p "$data"

# generate NAME EVENTS USERS SOURCE_ITEMS TARGET_ITEMS
generate() {
  dir="$data/$1"
  if [ -f "$dir/events.tsv" ] && [ -f "$dir/items.tsv" ] && [ -f "$dir/planted.json" ]; then
    echo "== $1: reusing $dir" >&2
    return 0
  fi
  echo "== $1: generating into $dir" >&2
  "$planted" --events "$2" --users "$3" --source-items "$4" --target-items "$5" --seed 42 --out-dir "$dir"
}

run_bench() {
  echo "== bench-import: $*" >&2
  "$bench" $json "$@"
  echo
}

generate planted-1M 1M 50k 20k 10k
run_bench --events "$data/planted-1M/events.tsv" --items "$data/planted-1M/items.tsv"

if [ "$large" = 1 ]; then
  avail=$(df -Pk "$data" | awk 'NR == 2 { print $4 }')
  if [ ! -f "$data/planted-20M/events.tsv" ] && [ "$avail" -lt 2000000 ]; then
    echo "run-import-bench.sh: less than 2 GB free in $data; skipping 20M" >&2
  else
    generate planted-20M 20M 1M 200k 100k
    run_bench --events "$data/planted-20M/events.tsv" --items "$data/planted-20M/items.tsv"
  fi
fi

ml="$root/data/movielens-small"
if [ -f "$ml/ratings.tsv" ]; then
  run_bench --events "$ml/ratings.tsv" --items "$ml/movies.tsv" \
            --source 'category:Comedy,!Drama' --target 'category:Drama,!Comedy'
else
  echo "run-import-bench.sh: $ml/ratings.tsv not found; skipping MovieLens" >&2
fi
