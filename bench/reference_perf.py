#!/usr/bin/python3
"""reference_perf.py — the NumPy/SciPy reference for bench-perf: the same co-occurrence build,
cooc fit, generator stage, BPR epoch and EASE on the matrices bench-perf wrote, done the way
a typical vectorised NumPy/SciPy implementation does the work.

    /usr/bin/python3 bench/reference_perf.py DATA_DIR [--reps 3] [--stage-reps 1] [--bpr-batch 4096]
        [--skip-ease]

Run it with Debian's python3-numpy and python3-scipy (/usr/bin/python3), OPENBLAS_NUM_THREADS
set to bench-perf's thread count (run-perf-bench.sh does both). SciPy's sparse products are
single-threaded; NumPy's dense BLAS calls use OpenBLAS's threads. It prints one JSON object
on stdout (figures, and checks against bench-perf's c_figures.json); progress on stderr.

(a) the co-occurrence counts: C = Xs.T @ Xt (scipy.sparse CSR, float32 ones), best of --reps.
(b) the cooc fit: (a), then target popularity and the smoothed prior, C / π^β, the row masses,
    P(i|j) = (C'[j,i] + α ρ_i) / (m_j + α) for every pair, and per-row cumulative sums for
    inverse-CDF draws (NumPy's usual stand-in for alias tables): the same model.
(c) the generator stage: (b), then the scores of the same 2,000 validation users
    (log P(i|u), P(·|u) the mean of P(·|j) over the user's source items, as a sparse product)
    and τ by the same golden-section search over log τ, each evaluation a vectorised
    log-sum-exp over the users × items block; τ compared with the C side's.
(d) one BPR epoch on the augmented matrix: nnz triples in mini-batches of --bpr-batch
    (positives ∝ weight by searchsorted on the cumulative weights, negatives uniform with
    rejection against the sorted (user, item) keys, the gradient vectorised, updates of
    repeated rows summed by sort + np.add.reduceat — np.add.at is 4–5× slower here). Mini-batch
    SGD is not the C side's step-by-step SGD; it is how NumPy code does BPR.
(e) EASE (Steck 2019, the author's NumPy code): G = XᵀX (scipy.sparse) → dense float64,
    G += λI, P = np.linalg.inv(G), B = P / (−diag P), diag(B) = 0; and the same in float32.
(f) sgemm and dgemm at 2048³ in this process.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load(d):
    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(d, "c_figures.json")) as f:
        cfig = json.load(f)
    n_users = meta["users"]

    def csr(prefix, n_cols, values=False):
        indptr = np.fromfile(os.path.join(d, prefix + "_indptr.bin"), dtype="<i8")
        indices = np.fromfile(os.path.join(d, prefix + "_indices.bin"), dtype="<i4")
        assert indptr.shape[0] == n_users + 1 and indptr[-1] == indices.shape[0]
        data = (np.fromfile(os.path.join(d, prefix + "_values.bin"), dtype="<f4") if values
                else np.ones(indices.shape[0], dtype=np.float32))
        return sp.csr_matrix((data, indices, indptr), shape=(n_users, n_cols))

    S = csr("source", meta["source_items"])
    T = csr("train", meta["target_items"])
    V = csr("valid", meta["target_items"])
    A = csr("aug", meta["target_items"], values=True)
    vu = np.fromfile(os.path.join(d, "valid_users.bin"), dtype="<i4")
    return meta, cfig, S, T, V, A, vu


def best_of(reps, fn, cpu=None):
    """The best wall time of @reps calls (and, into the list @cpu, the best CPU time)."""
    best, best_cpu, out = math.inf, math.inf, None
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    if cpu is not None:
        cpu.append(best_cpu)
    return best, out


# ---- (b) the cooc fit ------------------------------------------------------------------------

def cooc_fit(S, T, alpha, beta):
    C = (S.T @ T).tocsr()
    n_tgt = T.shape[1]
    pop = np.bincount(T.indices, minlength=n_tgt) / max(T.nnz, 1)
    prior = np.where(pop > 0, pop ** (1.0 - beta), 0.0)
    prior /= prior.sum()
    val = C.data.astype(np.float64) / (pop[C.indices] ** beta if beta > 0 else 1.0)
    lens = np.diff(C.indptr)
    rows = np.repeat(np.arange(C.shape[0]), lens)
    mass = np.bincount(rows, weights=val, minlength=C.shape[0])
    denom = mass + alpha
    p = (val + alpha * prior[C.indices]) / denom[rows]
    cum = np.cumsum(val)
    start = np.concatenate(([0.0], cum))[C.indptr[:-1]]
    cdf = cum - np.repeat(start, lens)          # per-row cumulative weights
    return C, val, mass, denom, prior, p.astype(np.float32), cdf


# ---- (c) scores and τ ----------------------------------------------------------------------

def cooc_scores(S, C, val, denom, prior, alpha, users):
    Sv = S[users]
    W = sp.csr_matrix((val / np.repeat(denom, np.diff(C.indptr)), C.indices, C.indptr), shape=C.shape)
    acc = (Sv @ W).toarray()
    prior_w = Sv @ (alpha / denom)
    deg = np.diff(Sv.indptr).astype(np.float64)
    empty = deg == 0
    prior_w[empty], deg[empty] = 1.0, 1.0
    P = (acc + prior_w[:, None] * prior[None, :]) / deg[:, None]
    with np.errstate(divide="ignore"):
        return np.where(P > 0, np.log(P), -np.inf).astype(np.float32)


def log_lik(scores, valid, users, tau):
    m = scores.max(axis=1)
    x = (scores - m[:, None]).astype(np.float64) / tau
    lse = np.log(np.exp(x).sum(axis=1))
    rows = valid[users]
    r = np.repeat(np.arange(users.shape[0]), np.diff(rows.indptr))
    s = (scores[r, rows.indices] - m[r]).astype(np.float64) / tau
    terms = np.where(np.isfinite(s), s - lse[r], -50.0)
    return terms.mean() if terms.size else math.nan


def fit_tau(scores, valid, users):
    phi = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = math.log(0.02), math.log(50.0)
    c, d = b - phi * (b - a), a + phi * (b - a)
    fc, fd = log_lik(scores, valid, users, math.exp(c)), log_lik(scores, valid, users, math.exp(d))
    it = 0
    while it < 40 and b - a > 1e-4:
        if fc > fd:
            b, d, fd = d, c, fc
            c = b - phi * (b - a)
            fc = log_lik(scores, valid, users, math.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + phi * (b - a)
            fd = log_lik(scores, valid, users, math.exp(d))
        it += 1
    tau = math.exp((a + b) / 2.0)
    return tau, log_lik(scores, valid, users, tau)


# ---- (d) BPR -------------------------------------------------------------------------------

def bpr_epoch(A, k, lr, reg, batch, seed):
    rng = np.random.default_rng(seed)
    n_users, n_items = A.shape
    U = (rng.standard_normal((n_users, k)) * 0.1).astype(np.float32)
    V = (rng.standard_normal((n_items, k)) * 0.1).astype(np.float32)
    b = np.zeros(n_items, dtype=np.float32)
    w = np.maximum(A.data.astype(np.float64), 0.0)
    cw = np.cumsum(w)
    total = cw[-1]
    row_of = np.repeat(np.arange(n_users), np.diff(A.indptr))
    keys = row_of.astype(np.int64) * n_items + A.indices        # sorted: CSR order

    def add_rows(M, idx, delta):
        order = np.argsort(idx, kind="stable")
        s = idx[order]
        starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
        M[s[starts]] += np.add.reduceat(delta[order], starts, axis=0)

    t0 = time.perf_counter()
    for start in range(0, A.nnz, batch):
        n = min(batch, A.nnz - start)
        e = np.minimum(np.searchsorted(cw, rng.random(n) * total, side="right"), A.nnz - 1)
        u, i = row_of[e], A.indices[e]
        j = rng.integers(0, n_items, n)
        for _ in range(8):   # rejection: j must not be in u's row
            kj = u.astype(np.int64) * n_items + j
            pos = np.minimum(np.searchsorted(keys, kj), keys.shape[0] - 1)
            bad = keys[pos] == kj
            if not bad.any():
                break
            j[bad] = rng.integers(0, n_items, int(bad.sum()))
        xu, yi, yj = U[u], V[i], V[j]
        d = np.einsum("ij,ij->i", xu, yi - yj) + b[i] - b[j]
        g = (1.0 / (1.0 + np.exp(np.minimum(d, 80.0)))).astype(np.float32)[:, None]
        add_rows(U, u, lr * (g * (yi - yj) - reg * xu))
        add_rows(V, i, lr * (g * xu - reg * yi))
        add_rows(V, j, lr * (-g * xu - reg * yj))
        gb = g[:, 0]
        add_rows(b[:, None], i, (lr * (gb - reg * b[i]))[:, None])
        add_rows(b[:, None], j, (lr * (-gb - reg * b[j]))[:, None])
    return time.perf_counter() - t0


# ---- (e) EASE, (f) GEMM --------------------------------------------------------------------

def ease(A, l2, dtype):
    t0 = time.perf_counter()
    X = A.astype(dtype)
    G = (X.T @ X).toarray()
    diag = np.diag_indices(G.shape[0])
    G[diag] += l2
    P = np.linalg.inv(G)
    del G
    B = P / (-np.diag(P))
    B[diag] = 0
    return time.perf_counter() - t0, B


def gemm_rate(dtype, n=2048):
    rng = np.random.default_rng(0)
    a = rng.random((n, n)).astype(dtype)
    c = np.empty((n, n), dtype=dtype)
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        np.matmul(a, a, out=c)
        best = max(best, 2.0 * n ** 3 / (time.perf_counter() - t0) / 1e9)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--stage-reps", type=int, default=1, help="best of this many generator stages and BPR epochs")
    ap.add_argument("--bpr-batch", type=int, default=4096)
    ap.add_argument("--skip-ease", action="store_true")
    a = ap.parse_args()
    meta, cfig, S, T, V, A, vu = load(a.data_dir)
    alpha, beta = meta["smoothing"], meta["beta"]
    out = {"side": "NumPy/SciPy", "numpy": np.__version__, "scipy": scipy.__version__,
           "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS", "")}

    cpu = []
    t, C = best_of(a.reps, lambda: S.T @ T, cpu)
    out.update(cooc_counts_s=t, cooc_counts_cpu_s=cpu[0], cooc_nnz=int(C.nnz),
               cooc_count_sum=int(round(float(C.data.sum()))))
    out["cooc_counts_match_C"] = (out["cooc_nnz"] == cfig["cooc_nnz"] and out["cooc_count_sum"] == cfig["cooc_count_sum"])
    log(f"(a) Xs.T @ Xt: {t:.4f} s, {C.nnz} pairs")

    cpu = []
    t, fit = best_of(a.reps, lambda: cooc_fit(S, T, alpha, beta), cpu)
    out.update(cooc_fit_s=t, cooc_fit_cpu_s=cpu[0])
    log(f"(b) cooc fit: {t:.4f} s")

    def generator():
        C, val, mass, denom, prior, p, cdf = cooc_fit(S, T, alpha, beta)
        scores = cooc_scores(S, C, val, denom, prior, alpha, vu)
        return fit_tau(scores, V, vu)
    t, (tau, ll) = best_of(a.stage_reps, generator)
    out.update(generator_s=t, tau=tau, valid_log_lik=ll, tau_rel_diff_vs_C=abs(tau / cfig["tau"] - 1.0))
    log(f"(c) generator stage: {out['generator_s']:.3f} s, τ = {tau:.6f} (C {cfig['tau']:.6f})")

    out["bpr_epoch_s"] = min(bpr_epoch(A, 64, 0.05, 0.0025, a.bpr_batch, 42) for _ in range(a.stage_reps))
    out["bpr_batch"] = a.bpr_batch
    log(f"(d) bpr epoch: {out['bpr_epoch_s']:.3f} s")

    if not a.skip_ease and "ease_double_s" in cfig:
        t64, B = ease(A, 500.0, np.float64)
        out.update(ease_f64_s=t64, ease_B_first100_sum_abs=float(np.abs(B[:100]).sum()))
        out["ease_B_checksum_rel_diff_vs_C"] = abs(out["ease_B_first100_sum_abs"] / cfig["ease_B_first100_sum_abs"] - 1)
        del B
        log(f"(e) ease float64: {t64:.2f} s")
        t32, B = ease(A, 500.0, np.float32)
        out["ease_f32_s"] = t32
        del B
        log(f"(e) ease float32: {t32:.2f} s")

    out.update(sgemm_gflops=gemm_rate(np.float32), dgemm_gflops=gemm_rate(np.float64))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
