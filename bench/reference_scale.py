#!/usr/bin/python3
"""reference_scale.py — the NumPy/SciPy reference of the scale benchmark's heavy stages, on
the split of the C side's run (written by bench-scale-dump), timed the way a vectorised
NumPy/SciPy implementation does the work.

    /usr/bin/python3 bench/reference_scale.py DUMP_DIR RUN_JSON [--eval-users 50000]
        [--max-seconds 300]

RUN_JSON is `scalr show RUN --json` of the C side's run: the reference takes its parameters
(factors, iterations, CG steps, α, λ, EASE's λ and item cap, K, resamples) from there.
It prints one JSON object of seconds per stage on stdout (progress on stderr):

  generator   cooc: C = S_oᵀ T_o over overlap users (SciPy sparse product, int32), then
              P(i|j) = (C + α·π) / (m_j + α) as a normalised sparse matrix
  sampler     per_event, K = 1: one draw per source event of every user from the mixture
              (inverse CDF on the row's cumulative sums by np.searchsorted)
  ials        `iters` epochs of bench/reference_numpy.py's vectorised CG (float32) on the
              real training matrix; epochs past the first are counted at the first's time
  ease        bench/reference_numpy.py's EASE (the author's NumPy code, np.linalg.inv) on
              the same most popular items as the C side
  eval        full ranking with the iALS factors for every evaluated user (U Vᵀ, training
              items masked, np.argpartition top-K; the pointwise part is not done), measured
              on --eval-users users and scaled to all
  bootstrap   the lifts' paired bootstrap as one product: Poisson(1) weights (users × B,
              float32) times per-user differences (users × rows)

A stage whose measured part shows it would take longer than --max-seconds is extrapolated
from that part (said in "extrapolated")."""
import argparse
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_numpy as ref  # noqa: E402


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def csr(d, name, rows, cols):
    indptr = np.fromfile(os.path.join(d, name + "_indptr.bin"), dtype="<i8")
    indices = np.fromfile(os.path.join(d, name + "_indices.bin"), dtype="<i4")
    return sp.csr_matrix((np.ones(indices.shape[0], dtype=np.float32), indices, indptr), shape=(rows, cols))


def config_value(run, group, key, default):
    try:
        return type(default)(run["config"][group][key])
    except (KeyError, ValueError):
        return default


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dump_dir")
    ap.add_argument("run_json")
    ap.add_argument("--eval-users", type=int, default=50000)
    ap.add_argument("--max-seconds", type=float, default=300.0)
    a = ap.parse_args()
    with open(os.path.join(a.dump_dir, "meta.json")) as f:
        meta = json.load(f)
    with open(a.run_json) as f:
        run = json.load(f)
    n_users = meta["users"]
    S = csr(a.dump_dir, "source", n_users, meta["source_items"])
    T = csr(a.dump_dir, "train", n_users, meta["target_items"])
    X = csr(a.dump_dir, "test", n_users, meta["target_items"])
    out = {"users": n_users, "source_nnz": int(S.nnz), "train_nnz": int(T.nnz), "extrapolated": []}

    # generator: co-occurrences of overlap users, normalised with smoothing
    log("reference: co-occurrences")
    t0 = time.perf_counter()
    overlap = (np.diff(S.indptr) > 0) & (np.diff(T.indptr) > 0)
    So = S[overlap].astype(np.int32)
    To = T[overlap].astype(np.int32)
    C = (So.T @ To).tocsr()
    pop = np.asarray(T.sum(axis=0)).ravel()
    prior = pop / max(pop.sum(), 1)
    alpha = config_value(run, "generator", "smoothing", 1.0)
    mass = np.asarray(C.sum(axis=1)).ravel().astype(np.float64)
    P = C.astype(np.float64)
    P = sp.diags(1.0 / np.maximum(mass + alpha, 1e-300)) @ P
    out["generator"] = time.perf_counter() - t0
    out["cooc_nnz"] = int(C.nnz)

    # sampler: one draw per source event from the mixture
    log("reference: per-event sampling")
    t0 = time.perf_counter()
    rng = np.random.default_rng(42)
    P = P.tocsr()
    P.sort_indices()
    cum = np.cumsum(P.data)                                  # row-local cumulative sums …
    row_start = np.concatenate(([0.0], cum))[P.indptr[:-1]]  # … minus the row's offset
    src = S.indices                                          # the source item of each event
    u = rng.random(src.shape[0])
    keep_row = u < mass[src] / (mass[src] + alpha)
    target = np.empty(src.shape[0], dtype=np.int64)
    j = src[keep_row]
    v = rng.random(j.shape[0]) * (cum[P.indptr[j + 1] - 1] - row_start[j]) + row_start[j]
    pos = np.searchsorted(cum, v, side="right")
    target[keep_row] = P.indices[np.minimum(pos, P.indices.shape[0] - 1)]
    prior_cum = np.cumsum(prior)
    target[~keep_row] = np.searchsorted(prior_cum, rng.random(int((~keep_row).sum())) * prior_cum[-1])
    out["sampler"] = time.perf_counter() - t0
    out["draws"] = int(src.shape[0])

    # iALS on the real training matrix
    k = config_value(run, "downstream", "ials.factors", 64)
    iters = config_value(run, "downstream", "ials.iters", 10)
    steps = config_value(run, "downstream", "ials.cg_steps", 3)
    ials_alpha = config_value(run, "downstream", "ials.alpha", 10.0)
    reg = config_value(run, "downstream", "ials.reg", 0.1)
    log(f"reference: iALS epoch (k = {k})")
    g = np.random.default_rng(0)
    U = (0.01 * g.standard_normal((n_users, k))).astype(np.float32)
    V = (0.01 * g.standard_normal((T.shape[1], k))).astype(np.float32)
    Tt = T.T.tocsr()
    t_u, ex_u, _ = ref.ials_half(T, V, U, ials_alpha, reg, steps, a.max_seconds / 2)
    t_v, ex_v, _ = ref.ials_half(Tt, U, V, ials_alpha, reg, steps, a.max_seconds / 2)
    out["ials_epoch"] = t_u + t_v
    out["ials"] = (t_u + t_v) * iters
    if ex_u or ex_v:
        out["extrapolated"].append("ials")

    # EASE
    max_items = config_value(run, "downstream", "ease.max_items", 30000)
    l2 = config_value(run, "downstream", "ease.l2", 500.0)
    cols = ref.ease_columns(T, min(max_items, T.shape[1]))
    log(f"reference: EASE on {cols.shape[0]} items")
    t0 = time.perf_counter()
    B, t_gram, t_inv, t_b = ref.ease_fit(T[:, cols].astype(np.float64), l2)
    out["ease"] = time.perf_counter() - t0
    out["ease_items"] = int(cols.shape[0])
    del B

    # evaluation: full ranking of the evaluated users (users with test events)
    ks = [int(x) for x in str(run["config"].get("eval", {}).get("k", "10,20,50")).split(",")]
    kmax = max(ks)
    users = np.flatnonzero(np.diff(X.indptr) > 0)
    sample = users[: a.eval_users]
    log(f"reference: evaluation of {sample.shape[0]} of {users.shape[0]} users")
    t_eval, t_gemm, _, _ = ref.evaluate(U, V, T, X, sample, kmax, 256)
    out["eval_per_user"] = t_eval / max(sample.shape[0], 1)
    out["eval"] = out["eval_per_user"] * users.shape[0]
    out["evaluated_users"] = int(users.shape[0])
    if sample.shape[0] < users.shape[0]:
        out["extrapolated"].append("eval")

    # bootstrap: one GEMM of shared Poisson weights and per-user differences
    n_rows = max(len(run.get("lifts", [])), 1)
    n_boot = config_value(run, "eval", "bootstrap", 1000)
    n = users.shape[0]
    log(f"reference: bootstrap of {n_rows} rows × {n_boot} resamples over {n} users")
    t0 = time.perf_counter()
    W = rng.poisson(1.0, size=(n, n_boot)).astype(np.float32)
    D = rng.standard_normal((n, n_rows)).astype(np.float32)
    means = (W.T @ D) / np.maximum(W.sum(axis=0), 1)[:, None]
    np.quantile(means, [0.025, 0.975], axis=0)
    out["bootstrap"] = time.perf_counter() - t0
    out["lift_rows"] = n_rows
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
