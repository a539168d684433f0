#!/usr/bin/python3
"""reference_numpy.py — the NumPy reference for bench-downstream: the same iALS epoch, EASE
fit and full-ranking evaluation on the files that bench-downstream wrote, timed the way a
typical NumPy/SciPy implementation does the work.

    /usr/bin/python3 bench/reference_numpy.py DATA_DIR [--threads 2] [--ease-items 20000]
        [--ease-l2 500] [--eval-users 100000] [--k 50] [--batch 256] [--skip-ease]
        [--ials-max-seconds 600]

The parameters default to the C side's run (DATA_DIR/c_figures.json), else to the values shown.

Run it with Debian's python3-numpy and python3-scipy (/usr/bin/python3). It prints one JSON
object (figures, the BLAS kernel in use, and the comparison with the C side's checksums in
DATA_DIR/c_figures.json) on stdout; progress goes to stderr.

(a) iALS, one epoch, the vectorised conjugate-gradient form of the C code (not a per-row
    np.linalg.solve loop): for every row, A x = x (OᵀO + λI) + Σ_i α (o_iᵀx) o_i, with the
    per-event dots computed on gathered rows (np.einsum) and the sums as a scipy CSR × dense
    product; rows are processed in chunks of about 2M events (memory), each chunk doing all
    its CG steps with its gathered rows. Float32 throughout (the C code accumulates in
    double). It starts from the C side's initial factors (ials_U0/V0.bin) and reports how far
    its result is from the C side's (ials_U1/V1.bin). If the first chunks show that a half
    would take longer than --ials-max-seconds, the remaining rows are not run: the half's time
    is extrapolated by events processed and the output says so ("extrapolated": true).
(b) EASE (Steck 2019, the author's NumPy code): G = XᵀX (scipy.sparse, float64) → dense,
    G += λI, P = np.linalg.inv(G), B = P / (−diag P), diag(B) = 0; on the same most-popular
    items as the C side (counts descending, ids ascending).
(c) evaluation of the same users (the first --eval-users with a test row) with the C side's
    factors after its epoch (ials_U1/V1.bin), in batches: U[b] @ V.T (the GEMM part, timed
    apart), train items set to −inf, np.argpartition top-K then a sort of the K, recall@K and
    NDCG@K as the C side defines them.
(d) the sgemm peak in this process (the same shapes as the C side), for the GEMM fraction.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp

try:
    import threadpoolctl
except ImportError:  # python3-threadpoolctl is optional: then the kernel is not reported
    threadpoolctl = None


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def blas_info():
    if threadpoolctl is None:
        return {"blas_core": "unknown (no threadpoolctl)"}
    for info in threadpoolctl.threadpool_info():
        if info.get("user_api") == "blas":
            return {"blas_core": info.get("architecture"), "blas_library": info.get("filepath"),
                    "blas_version": info.get("version"), "blas_threads": info.get("num_threads")}
    return {"blas_core": "unknown"}


def load(data_dir):
    with open(os.path.join(data_dir, "meta.json")) as f:
        meta = json.load(f)
    n_users, n_items = meta["users"], meta["items"]

    def csr(prefix):
        indptr = np.fromfile(os.path.join(data_dir, prefix + "_indptr.bin"), dtype="<i8")
        indices = np.fromfile(os.path.join(data_dir, prefix + "_indices.bin"), dtype="<i4")
        assert indptr.shape[0] == n_users + 1 and indptr[-1] == indices.shape[0]
        data = np.ones(indices.shape[0], dtype=np.float32)
        return sp.csr_matrix((data, indices, indptr), shape=(n_users, n_items))

    return meta, csr("train"), csr("test")


def load_factors(data_dir, name, rows, k):
    f = np.fromfile(os.path.join(data_dir, name), dtype="<f4")
    return f.reshape(rows, k)


# ---- (a) iALS -----------------------------------------------------------------------------

def ials_half(R, other, self_, alpha, reg, cg_steps, max_seconds, chunk_events=1 << 21):
    """Updates self_ (rows × k) in place with cg_steps CG steps per row, warm-started.

    R: CSR rows × other-rows (values 1). Returns (seconds, extrapolated, rows_done)."""
    t0 = time.perf_counter()
    k = other.shape[1]
    gram = other.T @ other + reg * np.eye(k, dtype=np.float32)   # OᵀO + λI (sgemm)
    indptr, indices = R.indptr, R.indices
    n = R.shape[0]
    nnz = indptr[-1]
    start, done_events = 0, 0
    extrapolated = False
    while start < n:
        # rows [start, end): about chunk_events events
        end = int(np.searchsorted(indptr, indptr[start] + chunk_events, side="right")) - 1
        end = min(max(end, start + 1), n)
        lo, hi = indptr[start], indptr[end]
        nr = end - start
        lens = np.diff(indptr[start:end + 1])
        rowid = np.repeat(np.arange(nr), lens)
        idx = indices[lo:hi]
        Yg = other[idx]                                   # events × k
        sub = sp.csr_matrix((np.ones(hi - lo, dtype=np.float32), idx, indptr[start:end + 1] - lo),
                            shape=(nr, other.shape[0]))

        def sparse_part(v):
            d = alpha * np.einsum("ij,ij->i", Yg, v[rowid])   # α (o_iᵀ v_row) per event
            sub.data = d
            return sub @ other                                  # Σ_i d_i o_i per row

        x = self_[start:end].copy()
        # r = b − A x, b = (1 + α) Σ_i o_i
        sub.data = np.full(hi - lo, 1.0 + alpha, dtype=np.float32)
        b = sub @ other
        r = b - (x @ gram + sparse_part(x))
        p = r.copy()
        rs = np.einsum("ij,ij->i", r, r)
        active = rs > 0
        for _ in range(cg_steps):
            Ap = p @ gram + sparse_part(p)
            pap = np.einsum("ij,ij->i", p, Ap)
            active &= pap > 0
            step = np.where(active, rs / np.where(active, pap, 1), 0).astype(np.float32)
            x += step[:, None] * p
            r -= step[:, None] * Ap
            rs_new = np.einsum("ij,ij->i", r, r)
            beta = np.where(active, rs_new / np.where(rs > 0, rs, 1), 0).astype(np.float32)
            p = r + beta[:, None] * p
            rs = np.where(active, rs_new, rs)
            active &= rs > 0
        self_[start:end] = x
        done_events += hi - lo
        start = end
        elapsed = time.perf_counter() - t0
        if start < n and done_events > 0 and elapsed * nnz / done_events > max_seconds:
            extrapolated = True
            break
    elapsed = time.perf_counter() - t0
    if extrapolated:
        return elapsed * nnz / done_events, True, start
    return elapsed, False, n


def rel_diff(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-30))


# ---- (b) EASE -----------------------------------------------------------------------------

def ease_columns(train, n_keep):
    counts = np.asarray(train.getnnz(axis=0))
    order = np.lexsort((np.arange(counts.shape[0]), -counts))   # counts desc, ids asc
    return np.sort(order[:n_keep])


def ease_fit(X, l2):
    t0 = time.perf_counter()
    G = (X.T @ X).toarray()
    t_gram = time.perf_counter() - t0
    diag = np.diag_indices(G.shape[0])
    G[diag] += l2
    t1 = time.perf_counter()
    P = np.linalg.inv(G)
    t_inv = time.perf_counter() - t1
    del G
    t2 = time.perf_counter()
    B = P / (-np.diag(P))
    B[diag] = 0
    t_b = time.perf_counter() - t2
    return B, t_gram, t_inv, t_b


# ---- (c) evaluation -----------------------------------------------------------------------

def evaluate(U, V, train, test, users, k, batch):
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    idcg_cum = np.concatenate(([0.0], np.cumsum(disc)))
    recall = np.empty(users.shape[0])
    ndcg = np.empty(users.shape[0])
    t_gemm = 0.0
    VT = np.ascontiguousarray(V.T)
    t0 = time.perf_counter()
    for s in range(0, users.shape[0], batch):
        ub = users[s:s + batch]
        g0 = time.perf_counter()
        scores = U[ub] @ VT                                   # batch × items (sgemm)
        t_gemm += time.perf_counter() - g0
        tr = train[ub]
        scores[np.repeat(np.arange(ub.shape[0]), np.diff(tr.indptr)), tr.indices] = -np.inf
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        ps = np.take_along_axis(scores, part, axis=1)
        top = np.take_along_axis(part, np.argsort(-ps, axis=1, kind="stable"), axis=1)
        te = test[ub]
        n_test = np.diff(te.indptr)
        in_test = np.zeros(scores.shape, dtype=bool)
        in_test[np.repeat(np.arange(ub.shape[0]), n_test), te.indices] = True
        hit = np.take_along_axis(in_test, top, axis=1)
        recall[s:s + batch] = hit.sum(1) / n_test
        ndcg[s:s + batch] = (hit * disc).sum(1) / idcg_cum[np.minimum(n_test, k)]
    t_eval = time.perf_counter() - t0
    return t_eval, t_gemm, float(recall.mean()), float(ndcg.mean())


def sgemm_rate(m, k, n, trans_b):
    rng = np.random.default_rng(0)
    a = rng.random((m, k), dtype=np.float32)
    b = rng.random((n, k) if trans_b else (k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        np.matmul(a, b.T if trans_b else b, out=c)
        best = max(best, 2.0 * m * n * k / (time.perf_counter() - t0) / 1e9)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir")
    # Defaults: the C side's run (DATA_DIR/c_figures.json) when present, else these.
    ap.add_argument("--threads", type=int)
    ap.add_argument("--factors", type=int)
    ap.add_argument("--ease-items", type=int)
    ap.add_argument("--ease-l2", type=float)
    ap.add_argument("--skip-ease", action="store_true")
    ap.add_argument("--eval-users", type=int)
    ap.add_argument("--k", type=int)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--ials-max-seconds", type=float, default=600.0,
                    help="extrapolate an iALS half that would take longer than this")
    a = ap.parse_args()
    c_fig = {}
    try:
        with open(os.path.join(a.data_dir, "c_figures.json")) as f:
            c_fig = json.load(f)
    except OSError:
        pass
    for name, default in (("threads", 2), ("factors", 64), ("ease_items", 20000), ("ease_l2", 500.0),
                          ("eval_users", 100000), ("k", 50), ("batch", 256)):
        if getattr(a, name) is None:
            setattr(a, name, type(default)(c_fig.get(name, default)))
    if c_fig and "ease_fit_s" not in c_fig:
        a.skip_ease = True

    limiter = threadpoolctl.threadpool_limits(limits=a.threads, user_api="blas") if threadpoolctl else None
    out = {"side": "NumPy", "numpy": np.__version__, "scipy": scipy.__version__, "threads": a.threads,
           "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
           "openblas_l2_size": os.environ.get("OPENBLAS_L2_SIZE", "")}
    out.update(blas_info())
    meta, train, test = load(a.data_dir)
    n_users, n_items, k = meta["users"], meta["items"], a.factors
    out.update(users=n_users, items=n_items, train_nnz=int(train.nnz), test_nnz=int(test.nnz))

    # (a) iALS
    U = load_factors(a.data_dir, "ials_U0.bin", n_users, k).copy()
    V = load_factors(a.data_dir, "ials_V0.bin", n_items, k).copy()
    trainT = train.T.tocsr()
    trainT.sort_indices()
    log("ials: users …")
    t_users, ex_u, done_u = ials_half(train, V, U, 10.0, 0.1, 3, a.ials_max_seconds)
    log(f"ials: users {t_users:.1f} s; items …")
    if ex_u:
        # Rows not run keep the C side's result so that the item half sees the same input.
        U1c = load_factors(a.data_dir, "ials_U1.bin", n_users, k)
        U[done_u:] = U1c[done_u:]
    t_items, ex_i, done_i = ials_half(trainT, U, V, 10.0, 0.1, 3, a.ials_max_seconds)
    out.update(ials_cg="vectorised CG over all rows (chunks of ~2M events), float32, 3 steps",
               ials_epoch_s=t_users + t_items, ials_users_s=t_users, ials_items_s=t_items,
               ials_extrapolated=bool(ex_u or ex_i), ials_users_rows_run=int(done_u),
               ials_items_rows_run=int(done_i))
    try:
        U1 = load_factors(a.data_dir, "ials_U1.bin", n_users, k)
        V1 = load_factors(a.data_dir, "ials_V1.bin", n_items, k)
        out["ials_U_rel_diff_vs_C"] = rel_diff(U[:done_u], U1[:done_u])
        out["ials_V_rel_diff_vs_C"] = rel_diff(V[:done_i], V1[:done_i])
    except (OSError, ValueError):
        pass
    del U, V, trainT
    log(f"ials: epoch {t_users + t_items:.1f} s")

    # (b) EASE
    if not a.skip_ease:
        cols = ease_columns(train, min(a.ease_items, n_items))
        X = train[:, cols].astype(np.float64)
        log(f"ease: {cols.shape[0]} items, {X.nnz} events …")
        B, t_gram, t_inv, t_b = ease_fit(X, a.ease_l2)
        out.update(ease_items=int(cols.shape[0]), ease_nnz=int(X.nnz), ease_fit_s=t_gram + t_inv + t_b,
                   ease_gram_s=t_gram, ease_inv_s=t_inv, ease_B_s=t_b,
                   ease_B_first100_sum_abs=float(np.abs(B[:100]).sum()))
        if "ease_B_first100_sum_abs" in c_fig:
            out["ease_B_checksum_rel_diff_vs_C"] = abs(out["ease_B_first100_sum_abs"] / c_fig["ease_B_first100_sum_abs"] - 1)
        del B, X
        log(f"ease: {out['ease_fit_s']:.1f} s")

    # (c) evaluation with the C side's factors after its epoch
    U1 = load_factors(a.data_dir, "ials_U1.bin", n_users, k)
    V1 = load_factors(a.data_dir, "ials_V1.bin", n_items, k)
    tested = np.flatnonzero(np.diff(test.indptr) > 0)[:a.eval_users]
    log(f"eval: {tested.shape[0]} users …")
    t_eval, t_gemm, recall, ndcg = evaluate(U1, V1, train, test, tested, a.k, a.batch)
    gflops = 2.0 * tested.shape[0] * n_items * k / t_gemm / 1e9
    out.update(eval_users=int(tested.shape[0]), k=a.k, batch=a.batch, eval_s=t_eval,
               eval_users_per_s=tested.shape[0] / t_eval, eval_gemm_s=t_gemm, eval_gemm_gflops=gflops,
               eval_rest_s=t_eval - t_gemm, recall=recall, ndcg=ndcg)

    # (d) peak
    p2048 = sgemm_rate(2048, 2048, 2048, False)
    p4096 = sgemm_rate(4096, 4096, 4096, False)
    pshape = sgemm_rate(a.batch, k, n_items, True)
    peak = max(p2048, p4096, pshape)
    out.update(sgemm_2048_gflops=p2048, sgemm_4096_gflops=p4096, sgemm_shape_gflops=pshape,
               sgemm_peak_gflops=peak, eval_gemm_peak_fraction=gflops / peak)
    out.update(blas_info())
    del limiter
    print(json.dumps(out))


if __name__ == "__main__":
    main()
