#!/bin/sh
# run-perf-bench.sh — the heavy stages in C (bench-perf, and `scalr run`'s generator stage)
# and in NumPy/SciPy (bench/reference_perf.py) on the same planted data in one run, and a
# table of the two with the ratio NumPy/C.
#
# Usage: bench/run-perf-bench.sh [BUILD_DIR] [--threads N] [--reps R] [--stage-reps S] [--skip-ease]
#   BUILD_DIR   a built meson build directory (default: build-rel); this script builds nothing;
#               use --buildtype=release for figures that mean something.
#   --threads   N for the multi-threaded runs and OPENBLAS_NUM_THREADS of the reference
#               (default: the number of processors).
#   --reps      best of R for the cooc build on both sides (default 20: a build takes tens of
#               milliseconds, so fewer are mostly noise on a loaded machine); --stage-reps: best
#               of S for the generator stage and the BPR epoch on both sides (default 2). On a
#               machine shared with other work, the best of several is the figure to read.
# Data: planted 1M events (50k users, 10k source + 10k target items, seed 42), generated
# into $BENCH_DIR/planted-1m (BENCH_DIR defaults to ${TMPDIR:-/tmp}/scalr-bench) when missing;
# matrices and figures in $BENCH_DIR/perf. Needs /usr/bin/python3 with numpy and scipy.
# Takes about 5 minutes on a quiet 2-core machine (EASE on 10k items is most of it).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=build-rel
threads=$(nproc)
skip_ease=""
reps=20
stage_reps=2
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift ;;
    --reps) reps=$2; shift ;;
    --stage-reps) stage_reps=$2; shift ;;
    --skip-ease) skip_ease=--skip-ease ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-perf-bench.sh: unknown option $1" >&2; exit 2 ;;
    *) build=$1 ;;
  esac
  shift
done
case "$build" in
  /*) ;;
  *) build="$root/$build" ;;
esac
for exe in bench/bench-perf bench/scalr-planted app/scalr; do
  if [ ! -x "$build/$exe" ]; then
    echo "run-perf-bench.sh: $build/$exe not found; build first: meson setup $build --buildtype=release && ninja -C $build" >&2
    exit 1
  fi
done
if [ -f "$build/meson-info/intro-buildoptions.json" ] \
   && ! grep -q '"name": "buildtype", "value": "release"' "$build/meson-info/intro-buildoptions.json"; then
  echo "run-perf-bench.sh: note: $build is not a release build; figures will be pessimistic" >&2
fi
py=/usr/bin/python3
if ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
  echo "run-perf-bench.sh: $py lacks numpy or scipy (apt-get install python3-numpy python3-scipy)" >&2
  exit 1
fi

bench_dir="${BENCH_DIR:-${TMPDIR:-/tmp}/scalr-bench}"
planted="$bench_dir/planted-1m"
data="$bench_dir/perf"
mkdir -p "$data"
if [ ! -f "$planted/events.tsv" ]; then
  echo "== planted data: $build/bench/scalr-planted -u 50000 -j 10000 -i 10000 -n 1M -s 42 -o $planted" >&2
  "$build/bench/scalr-planted" -u 50000 -j 10000 -i 10000 -n 1M -s 42 -o "$planted" -q
fi

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cargs="--threads $threads --reps $reps --stage-reps $stage_reps $skip_ease"
echo "== C: $build/bench/bench-perf --events $planted/events.tsv --data-dir $data $cargs" >&2
"$build/bench/bench-perf" --events "$planted/events.tsv" --data-dir "$data" $cargs >&2
pargs="--reps $reps --stage-reps $stage_reps $skip_ease"
echo "== NumPy: OPENBLAS_NUM_THREADS=$threads $py $here/reference_perf.py $data $pargs" >&2
OPENBLAS_NUM_THREADS=$threads "$py" "$here/reference_perf.py" "$data" $pargs > "$data/numpy_figures.json"

# The generator stage as `scalr run` times it (its stored stage timing), 1 and N threads.
db="$data/run.db"
rm -f "$db" "$db-wal" "$db-shm" "$data"/run_*.json
"$build/app/scalr" import --db "$db" --name planted-1m --events "$planted/events.tsv" --items "$planted/items.tsv" >/dev/null
for t in 1 "$threads"; do
  r=1
  while [ $r -le "$stage_reps" ]; do
    echo "== scalr run --threads $t (defaults, downstream.enabled=false), $r of $stage_reps" >&2
    "$build/app/scalr" run --db "$db" --threads "$t" --set dataset.name=planted-1m \
      --set dataset.source=domain:source --set dataset.target=domain:target \
      --set downstream.enabled=false --json > "$data/run_${t}_$r.json"
    r=$((r + 1))
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$py" - "$data" "$threads" <<'EOF'
import glob, json, sys
d = sys.argv[1]
c, n = json.load(open(f"{d}/c_figures.json")), json.load(open(f"{d}/numpy_figures.json"))
def stage(t):   # the best generator stage of the scalr runs at t threads
    return min(json.load(open(f))["timings"]["generator"] for f in glob.glob(f"{d}/run_{t}_*.json"))
t = c["threads"]
print()
print(f"Data: planted 1M — {c['users']} users, {c['source_items']} source × {c['target_items']} target items; "
      f"C at 1 and {t} threads, NumPy {n['numpy']} / SciPy {n['scipy']} with OPENBLAS_NUM_THREADS="
      f"{n['openblas_num_threads'] or 'unset'} (SciPy's sparse products are single-threaded).")
print()
rows = []
def row(task, c1, cn, ns, note="", base=None):
    """A line of the table; the ratio is NumPy over @base (default: the C N-thread figure)."""
    f = lambda x: f"{x:9.3f}" if x is not None else "        –"
    base = cn if base is None else base
    ratio = f"{ns / base:7.2f}×" if ns and base else "      –"
    rows.append((task, f(c1), f(cn), f(ns), ratio, note))
row("cooc counts C = SᵀT (vs Xs.T @ Xt)", c["cooc_counts_1t_s"], c["cooc_counts_nt_s"], n["cooc_counts_s"],
    "target ≥ 3×; same pairs and counts: " + ("yes" if n["cooc_counts_match_C"] else "NO"))
row("  the same in CPU seconds, 1 thread each", c["cooc_counts_1t_cpu_s"], None, n["cooc_counts_cpu_s"],
    "per core; the figure least disturbed by other work on the machine", base=c["cooc_counts_1t_cpu_s"])
row("cooc fit (counts, weights, sampling tables)", c["cooc_fit_1t_s"], c["cooc_fit_nt_s"], n["cooc_fit_s"])
row("  the same in CPU seconds, 1 thread each", c["cooc_fit_1t_cpu_s"], None, n["cooc_fit_cpu_s"],
    base=c["cooc_fit_1t_cpu_s"])
row("generator stage (fit + τ), bench-perf", c["generator_1t_s"], c["generator_nt_s"], n["generator_s"],
    f"τ C {c['tau']:.6f}, NumPy {n['tau']:.6f}")
row("generator stage, `scalr run` timing", stage(1), stage(sys.argv[2]), n["generator_s"])
row(f"BPR epoch, k 64, {c['aug_nnz']} events", c["bpr_epoch_blocks_1t_s"], c["bpr_epoch_nt_s"], n["bpr_epoch_s"],
    f"{c['bpr_blocks']} blocks; sequential BPR (1 thread) {c['bpr_epoch_seq_s']:.3f} s; NumPy mini-batch {n['bpr_batch']}")
if "ease_auto_s" in c and "ease_f64_s" in n:
    path = "float" if c["ease_float_used"] else "double (fallback)"
    row(f"EASE {c['ease_items']} items, C {path} vs NumPy float64", None, c["ease_auto_s"], n["ease_f64_s"],
        f"max|B_f − B_d|/max|B_d| {c['ease_rel_diff']:.1e}, 1/κ₁ ≈ {c['ease_rcond']:.2g}")
    row("EASE, C float vs NumPy float32", None, c["ease_auto_s"], n["ease_f32_s"])
    row("EASE, C double vs NumPy float64", None, c["ease_double_s"], n["ease_f64_s"],
        f"Σ|B| (100 rows) rel. diff {n['ease_B_checksum_rel_diff_vs_C']:.1e}")
w = max(len(r[0]) for r in rows)
print(f"{'task':<{w}}  {'C 1 thr s':>9}  {f'C {t} thr s':>9}  {'NumPy s':>9}  {'NumPy/C':>8}  note")
for r in rows:
    print(f"{r[0]:<{w}}  {r[1]}  {r[2]}  {r[3]}  {r[4]:>8}  {r[5]}")
print()
print(f"GEMM at 2048³, {t} threads (GFLOP/s): C sgemm {c['sgemm_gflops']:.1f}, dgemm {c['dgemm_gflops']:.1f} "
      f"(ratio {c['sgemm_gflops'] / c['dgemm_gflops']:.2f}); NumPy sgemm {n['sgemm_gflops']:.1f}, dgemm {n['dgemm_gflops']:.1f}")
EOF
