#!/bin/sh
# run-downstream-bench.sh — bench-downstream (C) and bench/reference_numpy.py (NumPy) on the
# same planted data in one run, and a table of the two with the ratio NumPy/C.
#
# Usage: bench/run-downstream-bench.sh [BUILD_DIR] [--machine-env] [-- BENCH_DOWNSTREAM_ARGS…]
#   BUILD_DIR      a built meson build directory (default: build); this script builds nothing;
#                  for meaningful figures use --buildtype=release.
#   --machine-env  keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE as this machine sets them. By
#                  default both are unset for the two benchmark commands (and only for them),
#                  so that OpenBLAS picks its kernel for this processor; either way the C side
#                  and NumPy run under the same environment, and each reports its kernel.
#   after --       passed to bench-downstream (--users, --items, --events, --threads,
#                  --ease-items, --eval-users, --k, --batch, --skip-ease …); the reference
#                  takes the same parameters from the C side's c_figures.json.
# Environment: BENCH_DIR (default ${TMPDIR:-/tmp}/scalr-bench): the data go to
# $BENCH_DIR/downstream and are reused when they hold the same parameters.
# Needs Debian's python3-numpy and python3-scipy (/usr/bin/python3); python3-threadpoolctl
# for NumPy's kernel name. Memory: EASE on 20k items needs about 10 GiB in NumPy.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=build
keep_env=0
while [ $# -gt 0 ]; do
  case "$1" in
    --machine-env) keep_env=1 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-downstream-bench.sh: unknown option $1" >&2; exit 2 ;;
    *) build=$1 ;;
  esac
  shift
done
case "$build" in
  /*) ;;
  *) build="$root/$build" ;;
esac
bench="$build/bench/bench-downstream"
if [ ! -x "$bench" ]; then
  echo "run-downstream-bench.sh: $bench not found; build first: meson setup $build --buildtype=release && ninja -C $build" >&2
  exit 1
fi
if [ -f "$build/meson-info/intro-buildoptions.json" ] \
   && ! grep -q '"name": "buildtype", "value": "release"' "$build/meson-info/intro-buildoptions.json"; then
  echo "run-downstream-bench.sh: note: $build is not a release build; figures will be pessimistic" >&2
fi
py=/usr/bin/python3
if ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
  echo "run-downstream-bench.sh: $py lacks numpy or scipy (apt-get install python3-numpy python3-scipy)" >&2
  exit 1
fi

data="${BENCH_DIR:-${TMPDIR:-/tmp}/scalr-bench}/downstream"
mkdir -p "$data"
if [ "$keep_env" = 1 ]; then
  run() { "$@"; }
  env_note="machine environment (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}) for both"
else
  run() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }
  env_note="OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for both commands"
fi

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== C: $bench --data-dir $data $*" >&2
run "$bench" --data-dir "$data" "$@" >&2
c_json="$data/c_figures.json"
echo "== NumPy: $py $here/reference_numpy.py $data" >&2
np_json="$data/numpy_figures.json"
run "$py" "$here/reference_numpy.py" "$data" > "$np_json"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$py" - "$c_json" "$np_json" "$env_note" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
n = json.load(open(sys.argv[2]))
env_note = sys.argv[3]

def ratio(a, b):
    return f"{a / b:6.2f}×" if a and b else "     –"

print()
print(f"Data: {c['users']} users × {c['items']} items, {c['train_nnz']} train + {c['test_nnz']} test events; "
      f"{c['threads']} threads on each side.")
print(f"BLAS: C side OpenBLAS kernel {c['blas_core']}; NumPy {n['numpy']} / SciPy {n['scipy']} on "
      f"{n.get('blas_library', '?')} kernel {n['blas_core']}; {env_note}.")
print()
rows = []
def row(task, cs, ns, note=""):
    rows.append((task, f"{cs:9.2f}" if cs is not None else "        –",
                 f"{ns:9.2f}" if ns is not None else "        –",
                 ratio(ns, cs) if cs is not None and ns is not None else "     –", note))

ex = " (NumPy time EXTRAPOLATED from a subset of rows)" if n.get("ials_extrapolated") else ""
row(f"iALS epoch, k={c['factors']}, 3 CG steps", c["ials_epoch_s"], n["ials_epoch_s"],
    "target ≥3×" + ex)
row("  users half", c["ials_users_s"], n["ials_users_s"])
row("  items half", c["ials_items_s"], n["ials_items_s"])
if "ease_fit_s" in c and "ease_fit_s" in n:
    row(f"EASE fit, {c['ease_items']} items, λ={c['ease_l2']:g}", c["ease_fit_s"], n["ease_fit_s"],
        "ONE BIG LAPACK CALL (the inverse): ≥3× not expected")
    row("  NumPy: Gram XᵀX (scipy.sparse)", None, n["ease_gram_s"])
    row("  NumPy: np.linalg.inv", None, n["ease_inv_s"], "LU inverse (C: Cholesky potrf+potri)")
    row("  NumPy: B = −P/diag(P)", None, n["ease_B_s"])
row(f"eval {c['eval_users']} users, K={c['k']}", c["eval_s"], n["eval_s"],
    f"target ≥3×; users/s C {c['eval_users_per_s']:.0f}, NumPy {n['eval_users_per_s']:.0f}")
row("  GEMM part (sgemm scores)", c["eval_gemm_s"], n["eval_gemm_s"],
    f"GFLOP/s C {c['eval_gemm_gflops']:.1f} = {c['eval_gemm_peak_fraction']:.2f} of peak; "
    f"NumPy {n['eval_gemm_gflops']:.1f} = {n['eval_gemm_peak_fraction']:.2f} of its peak")
row("  mask + top-K + metrics", c["eval_rest_s"], n["eval_rest_s"])
w = max(len(r[0]) for r in rows)
print(f"{'task':<{w}}  {'C s':>9}  {'NumPy s':>9}  {'NumPy/C':>7}  note")
for r in rows:
    print(f"{r[0]:<{w}}  {r[1]}  {r[2]}  {r[3]:>7}  {r[4]}")
print()
print(f"sgemm peak, same run (GFLOP/s; best of 2048³, 4096³, scoring shape): "
      f"C {c['sgemm_peak_gflops']:.1f} ({c['sgemm_2048_gflops']:.1f}, {c['sgemm_4096_gflops']:.1f}, {c['sgemm_shape_gflops']:.1f}); "
      f"NumPy {n['sgemm_peak_gflops']:.1f} ({n['sgemm_2048_gflops']:.1f}, {n['sgemm_4096_gflops']:.1f}, {n['sgemm_shape_gflops']:.1f})")
print(f"iALS: NumPy {n['ials_cg']}")
checks = [f"iALS factors vs C: U rel. diff {n.get('ials_U_rel_diff_vs_C', float('nan')):.2g}, "
          f"V {n.get('ials_V_rel_diff_vs_C', float('nan')):.2g}"]
if "ease_B_checksum_rel_diff_vs_C" in n:
    checks.append(f"EASE Σ|B| (first 100 rows) rel. diff {n['ease_B_checksum_rel_diff_vs_C']:.2g}")
checks.append(f"recall@{c['k']} C {c['recall']:.5f} / NumPy {n['recall']:.5f}, "
              f"NDCG@{c['k']} C {c['ndcg']:.5f} / NumPy {n['ndcg']:.5f}")
print("Same work: " + "; ".join(checks))
EOF
