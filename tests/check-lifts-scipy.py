#!/usr/bin/python3
"""Recomputes every stored lift row of a run with SciPy and compares.

Two ways to call it:

  check-lifts-scipy.py PER_USER.tsv LIFTS.tsv [--rtol R] [--report]
      compares the files written by `scalr export RUN --per-user F --lifts G`;
  check-lifts-scipy.py --scalr PATH --data DIR [--keep DIR]
      the end-to-end test (meson test runs it): imports MovieLens from DIR into a new store,
      runs a small experiment, exports it and compares (exit 0 when every row agrees).

For each lift row, x = the baseline model's per-user values and y = the augmented model's,
over the users of the row's segment where both are defined (NA rows are left out), and:
  lift       = sum(y) / sum(x) - 1                     (a ratio of means; NE included: its
                                                        per-user values are summed log losses)
  p_t        = scipy.stats.ttest_rel(y, x).pvalue
  p_wilcoxon = scipy.stats.wilcoxon(d').pvalue         (defaults: zero_method='wilcox',
                                                        correction=False, mode='auto')
  p_holm     = Holm over every row with a defined p_wilcoxon (written out below, by hand)
where d' are the paired differences y - x snapped the way SCALR documents it (README,
"Statistics"): d is 0 when |d| <= 1e-9 max(|x|, |y|); the non-zero |d| are sorted and grouped,
a group starting at its smallest value a and taking every next value <= a (1 + 1e-9), and each
member takes the value a (its sign kept). Degenerate rows, by the same convention: no pair or
every d' = 0 -> p_t and p_wilcoxon undefined; every d' equal and non-zero -> p_t = 0.
The CI is not recomputed here (the bootstrap's weights are SCALR's own stream; tests/test-stats.c
checks it by hand).
"""

import argparse
import csv
import math
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import scipy
from scipy import stats

TIE_TOL = 1e-9


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def num(s):
    return math.nan if s in ("NA", "", None) else float(s)


def snap(x, y):
    """The paired differences y - x with SCALR's tie and zero convention."""
    d = y - x
    scale = np.maximum(np.abs(x), np.abs(y))
    d[np.abs(d) <= TIE_TOL * scale] = 0.0
    nz = np.flatnonzero(d)
    order = nz[np.argsort(np.abs(d[nz]), kind="stable")]
    start = None
    for i in order:
        a = abs(d[i])
        if start is None or a - start > TIE_TOL * start:
            start = a
        d[i] = math.copysign(start, d[i])
    return d


def recompute(x, y):
    n = len(x)
    out = {"n_users": n, "lift": math.nan, "p_t": math.nan, "p_wilcoxon": math.nan,
           "base_mean": math.nan, "aug_mean": math.nan}
    if n == 0:
        return out
    out["base_mean"], out["aug_mean"] = float(np.mean(x)), float(np.mean(y))
    sx = float(np.sum(x))
    out["lift"] = float(np.sum(y)) / sx - 1.0 if sx != 0.0 else math.nan
    d = snap(x, y)
    if n < 2 or not np.any(d):
        return out          # p_t and p_wilcoxon undefined (SciPy: nan, or ValueError)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if np.all(d == d[0]):
            out["p_t"] = 0.0
        else:
            out["p_t"] = float(stats.ttest_rel(y, x).pvalue)
        out["p_wilcoxon"] = float(stats.wilcoxon(d).pvalue)
    return out


def holm(ps):
    """Holm's step-down adjustment; NaN entries are not in the family and stay NaN."""
    idx = sorted((p, i) for i, p in enumerate(ps) if not math.isnan(p))
    m = len(idx)
    adj = [math.nan] * len(ps)
    running = 0.0
    for j, (p, i) in enumerate(idx):
        running = max(running, min(1.0, (m - j) * p))
        adj[i] = running
    return adj


def agree(a, b, rtol):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= 1e-300 + rtol * max(abs(a), abs(b))


def check(per_user_path, lifts_path, rtol, report):
    vectors, segment_of = {}, {}
    for r in read_tsv(per_user_path):
        key = (r["model"], r["variant"], r["metric"], int(r["k"]))
        vectors.setdefault(key, {})[r["user"]] = num(r["value"])
        segment_of[r["user"]] = r["segment"]
    rows = read_tsv(lifts_path)
    mine = []
    for r in rows:
        k = int(r["k"])
        xs = vectors.get((r["baseline_model"], "baseline", r["metric"], k), {})
        ys = vectors.get((r["model"], "augmented", r["metric"], k), {})
        users = [u for u in xs if u in ys and (r["segment"] == "all" or segment_of[u] == r["segment"])
                 and math.isfinite(xs[u]) and math.isfinite(ys[u])]
        x = np.array([xs[u] for u in users], dtype=np.float64)
        y = np.array([ys[u] for u in users], dtype=np.float64)
        mine.append(recompute(x, y))
    for m, p in zip(mine, holm([m["p_wilcoxon"] for m in mine])):
        m["p_holm"] = p

    columns = ["lift", "p_t", "p_wilcoxon", "p_holm", "base_mean", "aug_mean"]
    bad_rows, bad_cols, worst = 0, {c: 0 for c in columns + ["n_users"]}, {}
    for r, m in zip(rows, mine):
        bad = []
        if int(r["n_users"]) != m["n_users"]:
            bad.append("n_users")
        for c in columns:
            # NE's base and augmented means are the pooled NE of the segment (the metrics
            # table), not the mean of the per-user log losses.
            if c in ("base_mean", "aug_mean") and r["metric"] == "ne":
                continue
            stored = num(r[c])
            if not agree(stored, m[c], rtol):
                bad.append(c)
                if c.startswith("p_") and stored > 0 and m[c] > 0:
                    worst[c] = max(worst.get(c, 1.0), stored / m[c], m[c] / stored)
        for c in bad:
            bad_cols[c] += 1
        if any(c in ("lift", "p_t", "p_wilcoxon", "p_holm") for c in bad):
            bad_rows += 1
        if bad and not report:
            print("# disagrees: %s %s %s@%s vs %s (%s): %s" % (
                r["model"], r["segment"], r["metric"], r["k"], r["baseline_model"], r["reference"],
                ", ".join("%s stored %s, SciPy %r" % (c, r[c], m[c]) for c in bad)))
    flips = sum(1 for r, m in zip(rows, mine)
                if (num(r["p_holm"]) < 0.05) != (m["p_holm"] < 0.05))
    print("# SciPy %s: %d of %d lift rows disagree (rtol %g) in lift or a p-value; per column %s; "
          "largest p ratio %s; Holm significance (0.05) flips: %d"
          % (scipy.__version__, bad_rows, len(rows), rtol,
             {c: v for c, v in bad_cols.items() if v},
             {c: round(v, 2) for c, v in worst.items()}, flips))
    return bad_rows == 0 and bad_cols["n_users"] == 0


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stdout.write("# %s\n# exit %d\n%s" % (" ".join(cmd), r.returncode, r.stderr))
        sys.exit(1)
    return r.stdout


def end_to_end(scalr, data, keep):
    work = keep or tempfile.mkdtemp(prefix="scalr-scipy-")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "e2e.db")
    if os.path.exists(db):
        os.remove(db)
    run([scalr, "import", "--db", db, "--name", "movielens-small",
         "--events", os.path.join(data, "ratings.tsv"), "--items", os.path.join(data, "movies.tsv")])
    # Small and fast: three models, two cut-offs, few resamples; sparse users included, so
    # the sparse segment has many exact zeros (cold users' baseline misses) and float ties.
    run([scalr, "run", "--db", db, "--json",
         "--set", "downstream.models=pop,itemknn,ease", "--set", "eval.k=10,20",
         "--set", "eval.bootstrap=100", "--set", "eval.level=0.9",
         "--set", "sampler.strategy=per_user", "--set", "sampler.temperature=0.03",
         "--set", "sampler.targets=sparse"])
    pu, li = os.path.join(work, "per-user.tsv"), os.path.join(work, "lifts.tsv")
    run([scalr, "export", "1", "--db", db, "--per-user", pu, "--lifts", li])
    rows = read_tsv(li)
    ok = check(pu, li, 1e-9, False)
    levels = {r.get("level") for r in rows}
    if levels != {"0.9"}:
        print("# the lifts' stored CI level is %s, not 0.9" % sorted(map(str, levels)))
        ok = False
    keys = [(r["model"], r["segment"], r["metric"], r["k"], r["baseline_model"]) for r in rows]
    if len(set(keys)) != len(keys):
        print("# the lifts hold the same comparison twice")
        ok = False
    print("1..1")
    print("%s 1 /scalr/e2e/lifts-match-scipy" % ("ok" if ok else "not ok"))
    if ok and not keep:
        shutil.rmtree(work, ignore_errors=True)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("per_user", nargs="?")
    ap.add_argument("lifts", nargs="?")
    ap.add_argument("--rtol", type=float, default=1e-9)
    ap.add_argument("--report", action="store_true", help="print the counts only")
    ap.add_argument("--scalr")
    ap.add_argument("--data")
    ap.add_argument("--keep", help="work in this directory and keep it")
    a = ap.parse_args()
    if a.scalr:
        sys.exit(0 if end_to_end(a.scalr, a.data, a.keep) else 1)
    if not (a.per_user and a.lifts):
        ap.error("give PER_USER.tsv LIFTS.tsv, or --scalr and --data")
    sys.exit(0 if check(a.per_user, a.lifts, a.rtol, a.report) else 1)


if __name__ == "__main__":
    main()
