#!/bin/sh
# run-store-check-bench.sh — what the checks of a stored run cost: a planted data set (200k
# events, 20k users by default) imported once, one run with two downstream models, then
# bench-store-check (scalr_store_check_run on a fresh connection: every part's SHA-256 and
# every blob validated) against SHA-256 of the same bytes alone, in C (GChecksum) and in
# Python (hashlib, OpenSSL), with the ratios; and the wall time of `scalr show` (which checks).
#
# Usage: bench/run-store-check-bench.sh [BUILD_DIR] [USERS EVENTS]
#   BUILD_DIR  a built meson build directory (default: build; use --buildtype=release)
# Environment: BENCH_DIR holds the data and the store (default: ${TMPDIR:-/tmp}/scalr-bench-check).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
users=${2:-20000}
events=${3:-200k}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/scalr-bench-check}
mkdir -p "$dir"
db="$dir/store-$users-$events.db"
if [ ! -f "$db" ]; then
  "$build/bench/scalr-planted" --users "$users" --events "$events" --source-items 4000 --target-items 2000 \
    --out-dir "$dir/data-$users-$events" >/dev/null
  "$build/app/scalr" import --db "$db" --name planted --events "$dir/data-$users-$events/events.tsv" \
    --items "$dir/data-$users-$events/items.tsv" >/dev/null 2>&1
  "$build/app/scalr" run --db "$db" --yes --set dataset.name=planted --set dataset.source=domain:source \
    --set dataset.target=domain:target --set downstream.models=pop,itemknn --set eval.bootstrap=100 >/dev/null 2>&1
fi
c_json=$("$build/bench/bench-store-check" --db "$db" --run 1 --reps 5)
echo "$c_json"
/usr/bin/python3 - "$c_json" "$build/app/scalr" "$db" <<'PY'
import hashlib, json, subprocess, sys, time
c = json.loads(sys.argv[1])
buf = bytes(c["bytes"])
best = 1e9
for _ in range(5):
    t = time.perf_counter()
    hashlib.sha256(buf).hexdigest()
    best = min(best, time.perf_counter() - t)
show = 1e9
for _ in range(3):
    t = time.perf_counter()
    subprocess.run([sys.argv[2], "show", "--db", sys.argv[3], "1"], check=True, stdout=subprocess.DEVNULL)
    show = min(show, time.perf_counter() - t)
print(json.dumps({"python_sha256_seconds": round(best, 4),
                  "check_over_python_sha256": round(c["check_seconds"] / best, 2),
                  "glib_sha256_over_python": round(c["sha256_seconds"] / best, 2),
                  "scalr_show_seconds": round(show, 3)}))
PY
