#!/bin/sh
# run-bootstrap-bench.sh — the lift bootstrap: bench-bootstrap (C: the blocked W · V product
# through the BLAS wrapper, and the per-row index resampling it replaced) and the same
# product in NumPy (/usr/bin/python3: Poisson weights by numpy.random, W @ V by blocks of
# users) on the same sizes, with the ratio NumPy / C.
#
# Usage: bench/run-bootstrap-bench.sh [BUILD_DIR] [-- BENCH_BOOTSTRAP_ARGS…]
#   BUILD_DIR  a built meson build directory (default: build; use --buildtype=release)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
c_json=$("$build/bench/bench-bootstrap" "$@")
echo "$c_json"
/usr/bin/python3 - "$c_json" <<'PY'
import json, sys, time
import numpy as np
c = json.loads(sys.argv[1])
n, C, B = c["users"], c["columns"], c["resamples"]
rng = np.random.default_rng(1)
v = np.where(rng.random((n, C)) < 0.6, 0.0, rng.random((n, C)))
t = time.perf_counter()
sums = np.zeros((B, C))
for i0 in range(0, n, 1024):
    w = rng.poisson(1.0, (B, min(1024, n - i0))).astype(np.float64)
    sums += w @ v[i0:i0 + 1024]
t_np = time.perf_counter() - t
print(json.dumps({"numpy_seconds": round(t_np, 3), "numpy_over_c": round(t_np / c["matrix_seconds"], 2),
                  "per_row_over_matrix": c["per_row_over_matrix"]}))
PY
