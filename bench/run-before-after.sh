#!/bin/sh
# run-before-after.sh — the same public commands on two builds (e.g. an older commit and this
# one) on the same planted data: the stage timings of `scalr run` (generator, sampler, and the
# BPR and EASE fits of the downstream stage) and bench-engine's cooc build, and whether the
# synthetic events are byte-identical.
#
# Usage: bench/run-before-after.sh OLD_BUILD NEW_BUILD [-- SCALR_RUN_ARGS…]
#   An older build, for instance:
#     git worktree add /tmp/scalr-before 5fd11f1
#     meson setup /tmp/scalr-before/build-rel /tmp/scalr-before --buildtype=release
#     ninja -C /tmp/scalr-before/build-rel
#   SCALR_RUN_ARGS go to both `scalr run`s (e.g. --threads 2 for a build that has it).
# Data: planted 1M as in run-perf-bench.sh ($BENCH_DIR/planted-1m). Each build runs the
# defaults with [downstream] models=bpr,ease and [eval] bootstrap=0 (the fits are timed; the
# bootstrap is another engineer's). About 3 minutes per build on a quiet 2-core machine.
set -eu

if [ $# -lt 2 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
old=$1
new=$2
shift 2
[ "${1:-}" = "--" ] && shift
bench_dir="${BENCH_DIR:-${TMPDIR:-/tmp}/scalr-bench}"
planted="$bench_dir/planted-1m"
out="$bench_dir/before-after"
mkdir -p "$out"
if [ ! -f "$planted/events.tsv" ]; then
  "$new/bench/scalr-planted" -u 50000 -j 10000 -i 10000 -n 1M -s 42 -o "$planted" -q
fi
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for side in old new; do
  eval build=\$$side
  db="$out/$side.db"
  rm -f "$db" "$db-wal" "$db-shm"
  "$build/app/scalr" import --db "$db" --name planted-1m --events "$planted/events.tsv" --items "$planted/items.tsv" >/dev/null
  echo "== $side: $build/app/scalr run --set downstream.models=bpr,ease --set eval.bootstrap=0 $*" >&2
  "$build/app/scalr" run --db "$db" --set dataset.name=planted-1m --set dataset.source=domain:source \
    --set dataset.target=domain:target --set downstream.models=bpr,ease --set eval.bootstrap=0 "$@" \
    --json > "$out/$side.json"
  "$build/app/scalr" export --db "$db" 1 --synthetic "$out/$side-synthetic.tsv" >/dev/null
  echo "== $side: $build/bench/bench-engine --events $planted/events.tsv --no-ridge --sampler-reps 3" >&2
  "$build/bench/bench-engine" --events "$planted/events.tsv" --no-ridge --sampler-reps 3 > "$out/$side-engine.txt"
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if cmp -s "$out/old-synthetic.tsv" "$out/new-synthetic.tsv"; then same=yes; else same=NO; fi

/usr/bin/python3 - "$out" "$same" <<'EOF'
import json, re, sys
out, same = sys.argv[1], sys.argv[2]
runs = {s: json.load(open(f"{out}/{s}.json")) for s in ("old", "new")}
def engine(side):
    text = open(f"{out}/{side}-engine.txt").read()
    m = re.search(r"cooc build: ([0-9.]+) s", text)
    return float(m.group(1)) if m else None
def fit(run, model, variant):
    for m in run["downstream"]["models"]:
        if m["model"] == model and m["variant"] == variant:
            return m["fit_seconds"]
rows = [("bench-engine cooc build (fit + τ=1 log-likelihood)", engine("old"), engine("new"))]
for stage in ("generator", "calibration", "sampler", "downstream"):
    rows.append((f"scalr run stage: {stage}", runs["old"]["timings"][stage], runs["new"]["timings"][stage]))
for model in ("bpr", "ease"):
    for variant in ("baseline", "augmented"):
        rows.append((f"  {model} fit, {variant}", fit(runs["old"], model, variant), fit(runs["new"], model, variant)))
w = max(len(r[0]) for r in rows)
print()
print(f"{'':<{w}}  {'before s':>9}  {'after s':>9}  {'before/after':>12}")
for name, a, b in rows:
    print(f"{name:<{w}}  {a:9.3f}  {b:9.3f}  {a / b:11.2f}×")
def metric(run, model, variant, name, k=20):
    for m in run["metrics"]:
        if (m["model"], m["variant"], m["segment"], m["metric"], m["k"]) == (model, variant, "all", name, k):
            return m["value"]
print()
print(f"synthetic events byte-identical: {same}; τ before {runs['old']['generator']['temperature']!r}, "
      f"after {runs['new']['generator']['temperature']!r}")
for model in ("bpr", "ease"):
    for variant in ("baseline", "augmented"):
        vals = [metric(runs[s], model, variant, "recall") for s in ("old", "new")]
        nd = [metric(runs[s], model, variant, "ndcg") for s in ("old", "new")]
        print(f"{model} {variant}: Recall@20 {vals[0]:.4f} → {vals[1]:.4f}, NDCG@20 {nd[0]:.4f} → {nd[1]:.4f}")
EOF
