/* test-eval.c — ranking metrics, top-K selection, weighted matrices, Platt scaling, and
 * lifts recomputed from the stored per-user vectors. */
#include "config.h"

#define SCALR_TEST_WITH_STORE

#include "scalr-registry.h"

#include <math.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-eval.h"
#include "scalr-eval-private.h"
#include "scalr-import.h"
#include "scalr-pipeline.h"
#include "scalr-parallel.h"
#include "scalr-rng.h"
#include "scalr-bootstrap.h"
#include "scalr-stats.h"
#include "scalr-topk.h"
#include "scalr-store.h"
#include "test-util.h"

static void
test_rank_metrics (void)
{
  /* Ranked 5, 2, 9, 1; held out {1, 2, 7}. By hand:
   * K=1: no hit.  K=2: item 2 at rank 2 → recall 1/3, precision 1/2, MRR 1/2,
   *      NDCG = (1/log2 3) / (1 + 1/log2 3) = 0.386853.
   * K=4: items 2 and 1 at ranks 2 and 4 → recall 2/3, precision 1/2, MRR 1/2,
   *      NDCG = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/log2 4) = 0.498194. */
  const guint32 ranked[] = { 5, 2, 9, 1 };
  const guint32 test[] = { 1, 2, 7 };
  const guint ks[] = { 1, 2, 4 };
  double m[SCALR_N_RANK_METRICS][SCALR_MAX_KS];
  scalr_eval_rank_metrics (ranked, 4, test, 3, ks, 3, m);
  for (guint mt = 0; mt < SCALR_N_RANK_METRICS; mt++)
    g_assert_cmpfloat (m[mt][0], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_RECALL][1], 1.0 / 3, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_PRECISION][1], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_MRR][1], 0.5, 1e-6);
  g_assert_cmpfloat (m[SCALR_METRIC_HIT][1], ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_NDCG][1], 0.386853, 1e-5);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_RECALL][2], 2.0 / 3, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_PRECISION][2], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_NDCG][2], 0.498194, 1e-5);
  /* A perfect list: NDCG 1 at every K. */
  const guint32 perfect[] = { 1, 2, 7, 9 };
  scalr_eval_rank_metrics (perfect, 4, test, 3, ks, 3, m);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_NDCG][k], 1.0, 1e-6);
  g_assert_cmpfloat (m[SCALR_METRIC_MRR][0], ==, 1.0f);
  /* A short list (fewer than K items ranked) and no held-out items. */
  scalr_eval_rank_metrics (perfect, 1, test, 3, ks, 3, m);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_RECALL][2], 1.0 / 3, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_PRECISION][2], 0.25, 1e-6);
  scalr_eval_rank_metrics (perfect, 4, NULL, 0, ks, 3, m);
  g_assert_cmpfloat (m[SCALR_METRIC_RECALL][2], ==, 0.0f);
  g_assert_cmpfloat (m[SCALR_METRIC_NDCG][2], ==, 0.0f);
}

static void
test_top_k (void)
{
  const float s[] = { 0.1f, NAN, 3.0f, 3.0f, -INFINITY, 2.0f, -1.0f };
  guint32 out[8];
  g_assert_cmpuint (scalr_eval_top_k (s, 7, 3, out), ==, 3);
  g_assert_cmpuint (out[0], ==, 2);   /* ties: the lower index first */
  g_assert_cmpuint (out[1], ==, 3);
  g_assert_cmpuint (out[2], ==, 5);
  g_assert_cmpuint (scalr_eval_top_k (s, 7, 8, out), ==, 5);   /* NaN and -inf never ranked */
  g_assert_cmpuint (out[3], ==, 0);
  g_assert_cmpuint (out[4], ==, 6);
  g_assert_cmpuint (scalr_eval_top_k (s, 7, 0, out), ==, 0);
  /* The full ordering helper: descending, ties by lower index. */
  const double keys[] = { 1.0, 3.0, 3.0, 0.0 };
  guint32 order[4];
  scalr_argsort_desc (keys, 4, order);
  g_assert_cmpuint (order[0], ==, 1);
  g_assert_cmpuint (order[1], ==, 2);
  g_assert_cmpuint (order[2], ==, 0);
  g_assert_cmpuint (order[3], ==, 3);
  /* Against a full sort on random scores. */
  ScalrRng rng;
  scalr_rng_init (&rng, 7, 1, 0);
  g_autofree float *r = g_new (float, 5000);
  for (guint i = 0; i < 5000; i++)
    r[i] = (float) scalr_rng_below (&rng, 1000);   /* many ties */
  guint32 top[50];
  scalr_eval_top_k (r, 5000, 50, top);
  for (guint a = 1; a < 50; a++)
    g_assert_true (r[top[a - 1]] > r[top[a]] || (r[top[a - 1]] == r[top[a]] && top[a - 1] < top[a]));
  guint better = 0;
  for (guint i = 0; i < 5000; i++)
    better += r[i] > r[top[49]] || (r[i] == r[top[49]] && i < top[49]);
  g_assert_cmpuint (better, ==, 49);
}

/* Salted ties: a strictly larger score still ranks first, tied scores come in an order the
 * salt chooses (the same salt, the same order; other salts, other orders; never item-id order
 * for every salt), NaN and -inf never, and all-equal scores give a permutation of the items. */
static void
test_top_k_salted (void)
{
  const float s[] = { 0.1f, NAN, 3.0f, 3.0f, -INFINITY, 2.0f, -1.0f };
  guint32 out[8];
  g_assert_cmpuint (scalr_top_k_salted (s, 7, 8, 12345u, out), ==, 5);
  g_assert_true ((out[0] == 2 && out[1] == 3) || (out[0] == 3 && out[1] == 2));
  g_assert_cmpuint (out[2], ==, 5);
  g_assert_cmpuint (out[3], ==, 0);
  g_assert_cmpuint (out[4], ==, 6);
  g_assert_cmpuint (scalr_top_k_salted (s, 7, 0, 1u, out), ==, 0);
  enum { N = 1000, K = 200 };
  g_autofree float *flat = g_new0 (float, N);
  guint32 a[N], b[N], c[K];
  g_assert_cmpuint (scalr_top_k_salted (flat, N, N, 99u, a), ==, N);
  gboolean seen[N] = { FALSE };
  for (guint i = 0; i < N; i++)
    {
      g_assert_cmpuint (a[i], <, N);
      g_assert_false (seen[a[i]]);
      seen[a[i]] = TRUE;
    }
  g_assert_cmpuint (scalr_top_k_salted (flat, N, N, 99u, b), ==, N);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  guint moved = 0, in_id_order = 0;
  for (guint32 salt = 1; salt <= 16; salt++)
    {
      scalr_top_k_salted (flat, N, K, salt * 2654435761u, c);
      moved += memcmp (c, a, sizeof c) != 0;
      guint low = 0;   /* how many of the top K are among the K lowest ids */
      for (guint i = 0; i < K; i++)
        low += c[i] < K;
      in_id_order += low == K;
      g_assert_cmpuint (low, <, K / 2);   /* about K²/N = 40 expected */
    }
  g_assert_cmpuint (moved, ==, 16);
  g_assert_cmpuint (in_id_order, ==, 0);
}

/* The keyed accumulator: the same entries in any push order give the same list; ties by
 * lower index; non-finite keys and k = 0 keep nothing; a k past the entries keeps them all;
 * more than 128 entries (scalr_top_k's own storage) work the same. */
static void
test_keyed_top_k (void)
{
  const double key[] = { 2.0, 5.0, 2.0, NAN, 7.0, 5.0, INFINITY, -1.0 };
  const guint32 want[] = { 4, 1, 5, 0, 2 };   /* 7; 5 (1 before 5); 2 (0 before 2) */
  const guint orders[][8] = { { 0, 1, 2, 3, 4, 5, 6, 7 }, { 7, 6, 5, 4, 3, 2, 1, 0 },
                              { 2, 5, 3, 0, 7, 1, 6, 4 } };
  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      ScalrKeyed store[5];
      ScalrTopK t;
      scalr_top_k_init (&t, store, 5);
      for (guint a = 0; a < 8; a++)
        scalr_top_k_push (&t, key[orders[o][a]], orders[o][a]);
      g_assert_cmpuint (scalr_top_k_finish (&t), ==, 5);
      for (guint a = 0; a < 5; a++)
        {
          g_assert_cmpuint (store[a].index, ==, want[a]);
          g_assert_cmpfloat (store[a].key, ==, key[want[a]]);
        }
    }
  ScalrKeyed store[10];
  ScalrTopK t;
  scalr_top_k_init (&t, store, 10);
  for (guint a = 0; a < 8; a++)
    scalr_top_k_push (&t, key[a], a);
  g_assert_cmpuint (scalr_top_k_finish (&t), ==, 6);   /* NaN and +inf left out */
  g_assert_cmpuint (store[5].index, ==, 7);
  scalr_top_k_init (&t, store, 0);
  scalr_top_k_push (&t, 1.0, 0);
  g_assert_cmpuint (scalr_top_k_finish (&t), ==, 0);

  /* scalr_top_k with k = 300 (its own storage allocated) against k = 100 (on the stack):
   * the first 100 agree. */
  g_autofree float *r = g_new (float, 1100);   /* the block-scan lengths below too */
  for (guint i = 0; i < 1000; i++)
    r[i] = (float) ((i * 7919u) % 211u);   /* many ties */
  guint32 big[300], small[100];
  g_assert_cmpuint (scalr_top_k (r, 1000, 300, big), ==, 300);
  g_assert_cmpuint (scalr_top_k (r, 1000, 100, small), ==, 100);
  for (guint a = 0; a < 100; a++)
    g_assert_cmpuint (big[a], ==, small[a]);

  /* The block scan (blocks of 32 below the weakest kept value skipped) against selection
   * by hand: ties at the threshold, NaN, ±inf, a length that is no multiple of 32, rising
   * values (the threshold moves in every block). Expected: the k best by (value desc, index
   * asc) among the finite values, found here by repeated maximum. */
  const guint lens[] = { 31, 32, 33, 1000, 1027 };
  for (guint li = 0; li < G_N_ELEMENTS (lens); li++)
    for (guint pattern = 0; pattern < 4; pattern++)
      {
        guint n = lens[li], k = 20;
        for (guint i = 0; i < n; i++)
          r[i] = pattern == 0 ? (float) ((i * 7919u) % 5u)
               : pattern == 1 ? (float) i
               : pattern == 2 ? (float) ((i * 31u) % 97u) / 4.0f
                              : 0.0f;
        if (pattern == 3)   /* the 20 best one per block, the weakest in the first block: the
                             * floor must be the 20th block maximum exactly, +inf not counted */
          for (guint q = 0; q < k && q * 32 + 5 < n; q++)
            r[q * 32 + 5] = 100.0f + (float) q;
        if (pattern == 3 && n > 700)
          r[n - 40] = INFINITY;   /* in a block of its own */
        r[n / 3] = NAN;
        r[n / 2] = INFINITY;
        r[n - 1] = -INFINITY;
        guint32 got[20], expect[20];
        g_autofree gboolean *taken = g_new0 (gboolean, n);
        guint nw = 0;
        for (; nw < k; nw++)
          {
            gint best = -1;
            for (guint i = 0; i < n; i++)
              if (!taken[i] && isfinite (r[i]) && (best < 0 || r[i] > r[best]))
                best = (gint) i;
            if (best < 0)
              break;
            taken[best] = TRUE;
            expect[nw] = (guint32) best;
          }
        g_assert_cmpuint (scalr_top_k (r, n, k, got), ==, nw);
        for (guint a = 0; a < nw; a++)
          g_assert_cmpuint (got[a], ==, expect[a]);
        /* Salted: ties at the threshold can win, so the scan must not skip them. The
         * reference is the full salted order (k = n: the heap is never full, nothing is
         * skipped), cut to k. */
        g_autofree guint32 *full = g_new (guint32, n);
        guint nf = scalr_top_k_salted (r, n, n, 0xC0FFEEu, full);
        g_assert_cmpuint (scalr_top_k_salted (r, n, k, 0xC0FFEEu, got), ==, MIN (nf, k));
        for (guint a = 0; a < MIN (nf, k); a++)
          g_assert_cmpuint (got[a], ==, full[a]);
      }

  /* The comparators. */
  double d[] = { 3.0, -1.0, 2.5, -1.0 };
  qsort (d, 4, sizeof (double), scalr_cmp_double);
  g_assert_cmpfloat (d[0], ==, -1.0);
  g_assert_cmpfloat (d[2], ==, 2.5);
  g_assert_cmpfloat (d[3], ==, 3.0);
  guint32 u[] = { G_MAXUINT32, 0, 7, 7 };
  qsort (u, 4, sizeof (guint32), scalr_cmp_u32);
  g_assert_cmpuint (u[0], ==, 0);
  g_assert_cmpuint (u[1], ==, 7);
  g_assert_cmpuint (u[3], ==, G_MAXUINT32);
}

static void
test_platt (void)
{
  /* Labels drawn with P(y=1 | s) = σ(2s − 1): the fit recovers a ≈ 2, b ≈ −1. */
  const gsize n = 200000;
  g_autofree float *s = g_new (float, n);
  g_autofree guint8 *y = g_new (guint8, n);
  ScalrRng rng;
  scalr_rng_init (&rng, 3, 1, 0);
  for (gsize i = 0; i < n; i++)
    {
      s[i] = (float) (scalr_rng_uniform (&rng) * 4.0 - 2.0);
      double p = 1.0 / (1.0 + exp (-(2.0 * s[i] - 1.0)));
      y[i] = scalr_rng_uniform (&rng) < p;
    }
  double a, b;
  scalr_eval_platt_fit (s, y, n, &a, &b);
  g_assert_cmpfloat_with_epsilon (a, 2.0, 0.05);
  g_assert_cmpfloat_with_epsilon (b, -1.0, 0.05);
  /* The Newton sums run in fixed chunks: the same fit, bit for bit, on 1 and 3 threads. */
  double a1, b1, a3, b3;
  guint before = scalr_parallel_push_threads (1);
  scalr_eval_platt_fit (s, y, n, &a1, &b1);
  scalr_parallel_pop_threads (before);
  before = scalr_parallel_push_threads (3);
  scalr_eval_platt_fit (s, y, n, &a3, &b3);
  scalr_parallel_pop_threads (before);
  g_assert_true (a1 == a3 && b1 == b3 && a1 == a && b1 == b);
  /* Separable data stays finite. */
  const float s2[] = { -1, -0.5, 0.5, 1 };
  const guint8 y2[] = { 0, 0, 1, 1 };
  scalr_eval_platt_fit (s2, y2, 4, &a, &b);
  g_assert_true (isfinite (a) && isfinite (b) && a > 0);
}

/* Past PLATT_SUB_MIN pairs the fit starts from a fit on a subsample: the answer is still the
 * full fit's. Data from integer hashes that NumPy reproduces exactly; the constants from
 *   /usr/bin/python3 (SciPy 1.10, NumPy 1.24): s_i = float32((i·2654435761 mod 2^32)/2^32·4 − 2),
 *   y_i = [(i·2246822519 + 12345 mod 2^32)/2^32 < σ(2 s_i − 1)], n = 4.5M;
 *   scipy.optimize.minimize (trust-exact, exact gradient and Hessian) of the summed log loss:
 *   a = 1.9998987716063992, b = −0.9999156706499375, 1,711,075 positives. */
static void
test_platt_large (void)
{
  const gsize n = 4500000;
  g_autofree float *s = g_new (float, n);
  g_autofree guint8 *y = g_new (guint8, n);
  gsize pos = 0;
  for (gsize i = 0; i < n; i++)
    {
      guint32 hs = (guint32) ((guint64) i * 2654435761u), hu = (guint32) ((guint64) i * 2246822519u + 12345u);
      s[i] = (float) ((double) hs / 4294967296.0 * 4.0 - 2.0);
      double p = 1.0 / (1.0 + exp (-(2.0 * (double) s[i] - 1.0)));
      y[i] = (double) hu / 4294967296.0 < p;
      pos += y[i];
    }
  g_assert_cmpuint (pos, ==, 1711075);
  double a, b;
  scalr_eval_platt_fit (s, y, n, &a, &b);
  g_assert_cmpfloat_with_epsilon (a, 1.9998987716063992, 1e-7);
  g_assert_cmpfloat_with_epsilon (b, -0.9999156706499375, 1e-7);
}

/* One user's row of a CSR with @n items (the other rows empty). */
static ScalrCsr *
one_row (guint n_rows, guint n_cols, guint row, const guint32 *items, guint n)
{
  ScalrCsr *m = scalr_csr_new (n_rows, n_cols, n, FALSE);
  for (guint r = 0; r < n_rows; r++)
    m->indptr[r + 1] = m->indptr[r] + (r == row ? n : 0);
  for (guint k = 0; k < n; k++)
    m->indices[k] = items[k];
  m->nnz = n;
  return m;
}

static void
test_negatives (void)
{
  /* 6 items; user 1 has trained 0 and 1, validates 2, tests 3: its negatives are 4 and 5. */
  const guint32 tr[] = { 0, 1 }, va[] = { 2 }, te[] = { 3 };
  g_autoptr (ScalrCsr) train = one_row (2, 6, 1, tr, 2);
  g_autoptr (ScalrCsr) valid = one_row (2, 6, 1, va, 1);
  g_autoptr (ScalrCsr) test = one_row (2, 6, 1, te, 1);
  g_assert_true (scalr_csr_is_valid (train) && scalr_csr_is_valid (valid) && scalr_csr_is_valid (test));
  ScalrRng rng;
  scalr_rng_init (&rng, 1, SCALR_STREAM_EVAL, 1);
  guint32 out[50];
  guint n = scalr_eval_sample_negatives (&rng, train, valid, test, 1, 6, 50, out);
  /* 50 wanted: with 1000 tries and P(hit) = 1/3 per draw all 50 are found. */
  g_assert_cmpuint (n, ==, 50);
  guint seen[6] = { 0 };
  for (guint k = 0; k < n; k++)
    seen[out[k]]++;
  g_assert_cmpuint (seen[0] + seen[1] + seen[2] + seen[3], ==, 0);
  g_assert_cmpuint (seen[4], >, 0);
  g_assert_cmpuint (seen[5], >, 0);
  /* The same stream gives the same negatives (every model of a run sees the same pairs). */
  ScalrRng again;
  scalr_rng_init (&again, 1, SCALR_STREAM_EVAL, 1);
  guint32 out2[50];
  g_assert_cmpuint (scalr_eval_sample_negatives (&again, train, valid, test, 1, 6, 50, out2), ==, 50);
  g_assert_cmpmem (out, sizeof out, out2, sizeof out2);
  /* The evaluation's form, the known items as bits: the same draws, the same negatives. */
  guint64 known = 0xf;   /* items 0-3 */
  scalr_rng_init (&again, 1, SCALR_STREAM_EVAL, 1);
  g_assert_cmpuint (_scalr_eval_sample_negatives_known (&again, &known, 4, 6, 50, out2), ==, 50);
  g_assert_cmpmem (out, sizeof out, out2, sizeof out2);
  guint64 every = 0x3f;
  g_assert_cmpuint (_scalr_eval_sample_negatives_known (&again, &every, 6, 6, 5, out2), ==, 0);
  /* A user who knows every item has no negatives; one with none known draws from all. */
  const guint32 all[] = { 0, 1, 2, 3, 4, 5 };
  g_autoptr (ScalrCsr) full = one_row (2, 6, 1, all, 6);
  g_assert_cmpuint (scalr_eval_sample_negatives (&rng, full, valid, test, 1, 6, 5, out), ==, 0);
  g_assert_cmpuint (scalr_eval_sample_negatives (&rng, train, valid, test, 0, 6, 5, out), ==, 5);
}

static void
test_auc_ne (void)
{
  /* Positives scored 0.9 and 0.5, negatives 0.1, 0.5, 0.3: 0.9 beats all three (3), 0.5
   * beats 0.1 and 0.3 and ties 0.5 (2.5): AUC = 5.5 / 6. */
  const float s[] = { 0.9f, 0.1f, 0.5f, 0.5f, 0.3f };
  const guint8 y[] = { 1, 0, 1, 0, 0 };
  g_assert_cmpfloat_with_epsilon (scalr_eval_auc (s, y, 5), 5.5 / 6.0, 1e-15);
  /* Without a negative or without a positive: undefined. */
  const guint8 pos[] = { 1, 1 }, neg[] = { 0, 0 };
  g_assert_true (isnan (scalr_eval_auc (s, pos, 2)));
  g_assert_true (isnan (scalr_eval_auc (s, neg, 2)));

  /* Log loss under σ(1 · s + 0): (s = 0, y = 1) costs −log σ(0) = log 2; (s = 2, y = 0)
   * costs −log(1 − σ(2)) = log(1 + e²). */
  const float s2[] = { 0.0f, 2.0f };
  const guint8 y2[] = { 1, 0 };
  guint n_pos = 9;
  double loss = scalr_eval_log_loss (s2, y2, 2, 1.0, 0.0, &n_pos);
  g_assert_cmpfloat_with_epsilon (loss, log (2.0) + log1p (exp (2.0)), 1e-14);
  g_assert_cmpuint (n_pos, ==, 1);
  /* Probabilities are clamped to [1e-12, 1 − 1e-12]: a sure wrong answer costs
   * −log(1 − (1 − 1e-12)) ≈ 27.631 (1 − 1e-12 rounds in double, so not quite −log 1e-12). */
  const float s3[] = { 100.0f };
  const guint8 y3[] = { 0 };
  g_assert_cmpfloat_with_epsilon (scalr_eval_log_loss (s3, y3, 1, 1.0, 0.0, NULL), -log1p (-(1.0 - 1e-12)), 1e-12);
  g_assert_cmpfloat_with_epsilon (scalr_eval_log_loss (s3, y3, 1, 1.0, 0.0, NULL), 27.631, 1e-3);

  /* NE = loss / pairs / H(base rate): base rate 1/2, H = log 2, NE = (log 2 + log(1 + e²)) / (2 log 2). */
  g_assert_cmpfloat_with_epsilon (scalr_eval_ne (loss, 1, 2), loss / 2 / log (2.0), 1e-15);
  /* Predicting the base rate everywhere gives NE = 1: 1 positive in 4 pairs at p = 1/4. */
  double h = -(0.25 * log (0.25) + 0.75 * log (0.75));
  g_assert_cmpfloat_with_epsilon (scalr_eval_ne (4 * h, 1, 4), 1.0, 1e-15);
  /* Pooled, not a mean of per-user NEs: user A has 1 pair (1 positive, loss log 2 → NE
   * undefined alone), user B 3 pairs (1 positive). Pooled: 2 positives in 4 pairs. */
  g_assert_true (isnan (scalr_eval_ne (log (2.0), 1, 1)));
  g_assert_cmpfloat_with_epsilon (scalr_eval_ne (log (2.0) + 3 * h, 2, 4), (log (2.0) + 3 * h) / 4 / log (2.0), 1e-15);
  g_assert_true (isnan (scalr_eval_ne (1.0, 0, 3)));
  g_assert_true (isnan (scalr_eval_ne (0.0, 0, 0)));
}

static void
test_coverage (void)
{
  /* Three users' top-3 lists over 10 items (G_MAXUINT32: a short list); user 0 sparse. */
  const guint32 top[] = { 1, 2, 3,   1, 4, G_MAXUINT32,   5, 6, 7 };
  const guint8 seg[] = { SCALR_SEGMENT_SPARSE, SCALR_SEGMENT_WARM, SCALR_SEGMENT_WARM };
  /* K = 2, all users: {1, 2} ∪ {1, 4} ∪ {5, 6} = 5 distinct items of 10. */
  g_assert_cmpfloat (scalr_eval_coverage (top, 3, 3, 2, seg, SCALR_SEGMENT_ALL, 10), ==, 0.5);
  /* K = 3: sparse {1, 2, 3} = 3; warm {1, 4} ∪ {5, 6, 7} = 5. */
  g_assert_cmpfloat (scalr_eval_coverage (top, 3, 3, 3, seg, SCALR_SEGMENT_SPARSE, 10), ==, 0.3);
  g_assert_cmpfloat (scalr_eval_coverage (top, 3, 3, 3, seg, SCALR_SEGMENT_WARM, 10), ==, 0.5);
  /* K past the lists' length counts what is there; no items: 0. */
  g_assert_cmpfloat (scalr_eval_coverage (top, 3, 3, 50, seg, SCALR_SEGMENT_ALL, 10), ==, 0.7);
  g_assert_cmpfloat (scalr_eval_coverage (top, 3, 3, 3, seg, SCALR_SEGMENT_ALL, 0), ==, 0.0);
}

typedef struct {
  char *dir, *db;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->dir = test_tmpdir_new ();
  f->db = g_build_filename (f->dir, "s.db", NULL);
  test_store_add_movielens (f->db);
  g_autoptr (GError) error = NULL;
}

static void
teardown (Fixture *f, gconstpointer data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static void
test_weighted_matrix (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (ScalrDomains) domains = NULL;
  g_autoptr (ScalrSplit) split = NULL;
  g_assert_true (scalr_pipeline_rebuild_split (store, c, &domains, &split, &error));
  const ScalrCsr *T = scalr_split_get_train (split);
  /* Synthetic: user 0 gets its first training item (weight 0.5) and an item it lacks. */
  guint32 u = 0;
  while (scalr_csr_row_len (T, u) == 0)
    u++;
  guint32 have = T->indices[T->indptr[u]], lack = 0;
  /* The smallest item not in the user's training row. */
  for (guint64 k = T->indptr[u]; k < T->indptr[u + 1] && T->indices[k] == lack; k++)
    lack++;
  g_autoptr (ScalrSyntheticEvents) ev = scalr_synthetic_events_new (2);
  ev->user[0] = ev->user[1] = u;
  ev->item[0] = MIN (have, lack);
  ev->item[1] = MAX (have, lack);
  ev->weight[0] = ev->item[0] == have ? 0.5f : 0.25f;
  ev->weight[1] = ev->item[1] == have ? 0.5f : 0.25f;
  ev->count[0] = ev->count[1] = 1;
  g_autoptr (ScalrCsr) base = scalr_eval_weighted_matrix (split, ev, SCALR_VARIANT_BASELINE);
  g_autoptr (ScalrCsr) aug = scalr_eval_weighted_matrix (split, ev, SCALR_VARIANT_AUGMENTED);
  g_autoptr (ScalrCsr) syn = scalr_eval_weighted_matrix (split, ev, SCALR_VARIANT_SYNTHETIC_ONLY);
  g_assert_cmpuint (base->nnz, ==, T->nnz);
  g_assert_cmpuint (aug->nnz, ==, T->nnz + 1);
  g_assert_cmpuint (syn->nnz, ==, 2);
  g_assert_true (scalr_csr_is_valid (aug) && scalr_csr_is_valid (syn));
  for (guint64 k = aug->indptr[u]; k < aug->indptr[u + 1]; k++)
    {
      if (aug->indices[k] == have)
        g_assert_cmpfloat (aug->values[k], ==, 1.5f);   /* real 1 + synthetic 0.5 */
      else if (aug->indices[k] == lack)
        g_assert_cmpfloat (aug->values[k], ==, 0.25f);
      else
        g_assert_cmpfloat (aug->values[k], ==, 1.0f);
    }
  g_clear_pointer (&split, scalr_split_free);
}

typedef struct {
  const char *model, *variant, *metric;
  guint k;
  GArray *users, *values;
} Want;

static void
grab (const char *model, const char *variant, const char *metric, guint k, const guint32 *users,
      const double *values, guint n, gpointer data)
{
  Want *w = data;
  if (g_strcmp0 (model, w->model) || g_strcmp0 (variant, w->variant) || g_strcmp0 (metric, w->metric) || k != w->k)
    return;
  g_array_append_vals (w->users, users, n);
  g_array_append_vals (w->values, values, n);
}

static GArray *
user_vector (ScalrStore *store, gint64 run, const char *model, const char *variant, const char *metric, guint k, GArray **users)
{
  Want w = { model, variant, metric, k, g_array_new (FALSE, FALSE, 4), g_array_new (FALSE, FALSE, 8) };
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_store_foreach_user_metrics (store, run, grab, &w, &error));
  *users = w.users;
  return w.values;
}

static const ScalrLiftRow *
find_row (GArray *lifts, const char *model, const char *segment, const char *metric, guint k, const char *reference)
{
  for (guint i = 0; i < lifts->len; i++)
    {
      const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, i);
      if (l->k == k && !g_strcmp0 (l->model, model) && !g_strcmp0 (l->segment, segment) && !g_strcmp0 (l->metric, metric)
          && scalr_lift_row_is_reference (l, reference))
        return l;
    }
  g_error ("no lift %s %s %s@%u %s", model, segment, metric, k, reference);
  return NULL;
}

static double
metric_value (GArray *metrics, const char *model, const char *variant, const char *segment, const char *metric, guint k)
{
  for (guint i = 0; i < metrics->len; i++)
    {
      const ScalrMetricRow *m = &g_array_index (metrics, ScalrMetricRow, i);
      if (m->k == k && !g_strcmp0 (m->model, model) && !g_strcmp0 (m->variant, variant) && !g_strcmp0 (m->segment, segment)
          && !g_strcmp0 (m->metric, metric))
        return m->value;
    }
  g_error ("no metric %s %s %s %s@%u", model, variant, segment, metric, k);
  return NAN;
}

/* Every stored aggregate and lift is recomputable from the stored per-user vectors. */
static void
test_recompute_from_user_vectors (Fixture *f, gconstpointer data)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_config_set (c, "downstream", "models", "pop,itemknn", &error));
  g_assert_true (scalr_config_set (c, "eval", "bootstrap", "200", &error));
  g_assert_true (scalr_config_set (c, "sampler", "samples_per_event", "2", &error));
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (f->db, c, "eval");
  gint64 run = 0;
  g_assert_true (scalr_pipeline_run (p, NULL, NULL, &run, &error));
  g_assert_no_error (error);
  g_autoptr (ScalrStore) store = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrDomains) domains = NULL;
  g_autoptr (ScalrSplit) split = NULL;
  g_assert_true (scalr_pipeline_rebuild_split (store, c, &domains, &split, &error));
  const guint8 *flags = scalr_split_get_user_flags (split);
  g_autoptr (GArray) metrics = scalr_store_load_metrics (store, run, &error);
  g_autoptr (GArray) lifts = scalr_store_load_lifts (store, run, &error);

  g_autoptr (GArray) ub = NULL, ua = NULL;
  g_autoptr (GArray) base = user_vector (store, run, "itemknn", "baseline", "recall", 20, &ub);
  g_autoptr (GArray) aug = user_vector (store, run, "itemknn", "augmented", "recall", 20, &ua);
  g_assert_cmpuint (base->len, >, 100);
  g_assert_cmpmem (ub->data, ub->len * 4, ua->data, ua->len * 4);
  /* Sparse segment: the users flagged sparse. */
  g_autofree double *x = g_new (double, base->len), *y = g_new (double, base->len);
  guint n = 0;
  for (guint k = 0; k < base->len; k++)
    {
      guint32 u = g_array_index (ub, guint32, k);
      g_assert_true (flags[u] & SCALR_USER_TESTED);
      if (flags[u] & SCALR_USER_SPARSE)
        {
          x[n] = g_array_index (base, double, k);
          y[n] = g_array_index (aug, double, k);
          n++;
        }
    }
  double mx = 0, my = 0;
  for (guint k = 0; k < n; k++)
    mx += x[k], my += y[k];
  mx /= n, my /= n;
  gboolean found_metric = FALSE, found_lift = FALSE;
  for (guint k = 0; k < metrics->len; k++)
    {
      const ScalrMetricRow *m = &g_array_index (metrics, ScalrMetricRow, k);
      if (!g_strcmp0 (m->model, "itemknn") && !g_strcmp0 (m->variant, "baseline") && !g_strcmp0 (m->segment, "sparse")
          && !g_strcmp0 (m->metric, "recall") && m->k == 20)
        {
          g_assert_cmpfloat_with_epsilon (m->value, mx, 1e-12);
          g_assert_cmpuint (m->n_users, ==, n);
          found_metric = TRUE;
        }
    }
  for (guint k = 0; k < lifts->len; k++)
    {
      const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, k);
      if (!g_strcmp0 (l->model, "itemknn") && !g_strcmp0 (l->segment, "sparse") && !g_strcmp0 (l->metric, "recall")
          && l->k == 20 && !g_strcmp0 (l->reference, "own"))
        {
          ScalrStatsTest t, w;
          scalr_stats_paired_t (x, y, n, &t);
          scalr_stats_wilcoxon (x, y, n, &w);
          g_assert_cmpfloat_with_epsilon (l->lift, my / mx - 1.0, 1e-12);
          g_assert_cmpfloat (l->p_t, ==, t.p);
          g_assert_cmpfloat (l->p_wilcoxon, ==, w.p);
          g_assert_cmpfloat (l->level, ==, 0.95);
          g_assert_cmpfloat (l->p_holm, >=, l->p_wilcoxon);
          g_assert_cmpfloat (l->ci_low, <=, l->lift);
          g_assert_cmpfloat (l->ci_high, >=, l->lift);
          found_lift = TRUE;
        }
      /* The strongest baseline of a segment is the best real-only model there. */
      if (!g_strcmp0 (l->reference, "strongest") && !g_strcmp0 (l->metric, "recall") && l->k == 20)
        {
          double best = -1;
          const char *best_model = NULL;
          for (guint q = 0; q < metrics->len; q++)
            {
              const ScalrMetricRow *m = &g_array_index (metrics, ScalrMetricRow, q);
              if (!g_strcmp0 (m->variant, "baseline") && !g_strcmp0 (m->segment, l->segment)
                  && !g_strcmp0 (m->metric, "recall") && m->k == 20 && m->value > best)
                best = m->value, best_model = m->model;
            }
          g_assert_cmpstr (l->baseline_model, ==, best_model);
          g_assert_cmpfloat (l->base_mean, ==, best);
        }
    }
  g_assert_true (found_metric && found_lift);

  /* The interval of that row is the bootstrap's definition on its pairs (users by dataset id). */
  g_autofree guint32 *sparse_users = g_new (guint32, n);
  for (guint k = 0, j = 0; k < ub->len; k++)
    if (flags[g_array_index (ub, guint32, k)] & SCALR_USER_SPARSE)
      sparse_users[j++] = g_array_index (ub, guint32, k);
  const ScalrLiftRow *row = find_row (lifts, "itemknn", "sparse", "recall", 20, "own");
  double lo, hi;
  g_assert_cmpint (scalr_bootstrap_lift (x, y, sparse_users, n, 200, 0.95, 42, &lo, &hi), ==, SCALR_STATS_OK);
  g_assert_cmpfloat_with_epsilon (row->ci_low, lo, 1e-12);
  g_assert_cmpfloat_with_epsilon (row->ci_high, hi, 1e-12);

  /* One NE: the table's NE (pooled), the lift row's base and augmented values and the
   * strongest baseline's choice agree; the per-user NE values average to the pooled NE
   * over all users and their ratio of sums is the pooled NE's lift on any segment. */
  g_autoptr (GArray) nu = NULL, na = NULL;
  g_autoptr (GArray) ne_b = user_vector (store, run, "itemknn", "baseline", "ne", 0, &nu);
  g_autoptr (GArray) ne_a = user_vector (store, run, "itemknn", "augmented", "ne", 0, &na);
  double all_b = 0, sp_b = 0, sp_a = 0;
  for (guint k = 0; k < ne_b->len; k++)
    {
      all_b += g_array_index (ne_b, double, k);
      if (flags[g_array_index (nu, guint32, k)] & SCALR_USER_SPARSE)
        sp_b += g_array_index (ne_b, double, k), sp_a += g_array_index (ne_a, double, k);
    }
  double table_all = metric_value (metrics, "itemknn", "baseline", "all", "ne", 0);
  double table_sb = metric_value (metrics, "itemknn", "baseline", "sparse", "ne", 0);
  double table_sa = metric_value (metrics, "itemknn", "augmented", "sparse", "ne", 0);
  g_assert_cmpfloat_with_epsilon (all_b / ne_b->len, table_all, 1e-12 * table_all);
  const ScalrLiftRow *ne_row = find_row (lifts, "itemknn", "sparse", "ne", 0, "own");
  g_assert_cmpfloat (ne_row->base_mean, ==, table_sb);
  g_assert_cmpfloat (ne_row->aug_mean, ==, table_sa);
  g_assert_cmpfloat_with_epsilon (ne_row->lift, table_sa / table_sb - 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (ne_row->lift, sp_a / sp_b - 1.0, 1e-12);
  /* NE: lower is better, so the strongest baseline has the lowest pooled NE. */
  const ScalrLiftRow *ne_best = find_row (lifts, "itemknn", "warm", "ne", 0, "strongest");
  double pop_ne = metric_value (metrics, "pop", "baseline", "warm", "ne", 0);
  double knn_ne = metric_value (metrics, "itemknn", "baseline", "warm", "ne", 0);
  g_assert_cmpstr (ne_best->baseline_model, ==, pop_ne <= knn_ne ? "pop" : "itemknn");

  /* Identical comparisons get identical intervals whichever other rows the run has: the
   * same experiment with itemknn alone. */
  g_assert_true (scalr_config_set (c, "downstream", "models", "itemknn", &error));
  g_autoptr (ScalrPipeline) p2 = scalr_pipeline_new (f->db, c, "eval itemknn");
  gint64 run2 = 0;
  g_assert_true (scalr_pipeline_run (p2, NULL, NULL, &run2, &error));
  g_autoptr (GArray) lifts2 = scalr_store_load_lifts (store, run2, &error);
  g_assert_no_error (error);
  guint same = 0;
  for (guint k = 0; k < lifts->len; k++)
    {
      const ScalrLiftRow *a1 = &g_array_index (lifts, ScalrLiftRow, k);
      if (g_strcmp0 (a1->model, "itemknn") != 0 || g_strcmp0 (a1->reference, "own") != 0)
        continue;
      const ScalrLiftRow *a2 = find_row (lifts2, "itemknn", a1->segment, a1->metric, a1->k, "own");
      g_assert_nonnull (a2);
      g_assert_cmpfloat (a1->lift, ==, a2->lift);
      g_assert_true (a1->p_wilcoxon == a2->p_wilcoxon || (isnan (a1->p_wilcoxon) && isnan (a2->p_wilcoxon)));
      g_assert_true (a1->p_t == a2->p_t || (isnan (a1->p_t) && isnan (a2->p_t)));
      /* The resamples are the same; the sums' rounding may differ in the last bits, as BLAS
       * adds a column in an order that depends on its place among the others. */
      g_assert_cmpint (isnan (a1->ci_low), ==, isnan (a2->ci_low));
      if (!isnan (a1->ci_low))
        {
          g_assert_cmpfloat (fabs (a1->ci_low - a2->ci_low), <=, 1e-13 * fabs (a1->ci_low) + 1e-300);
          g_assert_cmpfloat (fabs (a1->ci_high - a2->ci_high), <=, 1e-13 * fabs (a1->ci_high) + 1e-300);
        }
      same++;
    }
  g_assert_cmpuint (same, ==, 3 * (5 * 3 + 2));
  g_clear_pointer (&split, scalr_split_free);
}

/* The evaluation on 1 and 3 threads: the same metrics and lift rows (ranking batches,
 * Platt's chunked sums and the lift rows each have slots of their own). */
static void
test_threads (Fixture *f, gconstpointer data)
{
  GArray *metrics[2] = { NULL, NULL }, *lifts[2] = { NULL, NULL };
  const guint threads[2] = { 1, 3 };
  for (guint t = 0; t < 2; t++)
    {
      g_autoptr (ScalrConfig) c = scalr_config_new ();
      g_autoptr (GError) error = NULL;
      /* Models whose fits do not call BLAS: an OpenBLAS result depends on its thread count. */
      g_assert_true (scalr_config_set (c, "downstream", "models", "pop,itemknn", &error));
      g_assert_true (scalr_config_set (c, "eval", "bootstrap", "100", &error));
      g_autoptr (ScalrPipeline) p = scalr_pipeline_new (f->db, c, "threads");
      scalr_pipeline_set_threads (p, threads[t]);
      gint64 run = 0;
      g_assert_true (scalr_pipeline_run (p, NULL, NULL, &run, &error));
      g_assert_no_error (error);
      g_autoptr (ScalrStore) store = scalr_store_open (f->db, 0, &error);
      metrics[t] = scalr_store_load_metrics (store, run, &error);
      lifts[t] = scalr_store_load_lifts (store, run, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (metrics[0]->len, ==, metrics[1]->len);
  g_assert_cmpuint (lifts[0]->len, >, 10);
  g_assert_cmpuint (lifts[0]->len, ==, lifts[1]->len);
  for (guint k = 0; k < metrics[0]->len; k++)
    {
      const ScalrMetricRow *a = &g_array_index (metrics[0], ScalrMetricRow, k), *b = &g_array_index (metrics[1], ScalrMetricRow, k);
      if (!((isnan (a->value) && isnan (b->value)) || a->value == b->value))
        g_test_message ("%s %s %s %s %.17g %.17g", a->model, a->variant, a->segment, a->metric, a->value, b->value);
      g_assert_true ((isnan (a->value) && isnan (b->value)) || a->value == b->value);
    }
  for (guint k = 0; k < lifts[0]->len; k++)
    {
      const ScalrLiftRow *a = &g_array_index (lifts[0], ScalrLiftRow, k), *b = &g_array_index (lifts[1], ScalrLiftRow, k);
      const double va[] = { a->lift, a->ci_low, a->ci_high, a->p_t, a->p_wilcoxon, a->p_holm };
      const double vb[] = { b->lift, b->ci_low, b->ci_high, b->p_t, b->p_wilcoxon, b->p_holm };
      for (guint q = 0; q < G_N_ELEMENTS (va); q++)
        {
          /* The CI bounds come from the bootstrap's dgemm, whose last bits follow OpenBLAS's
           * thread count: equal to 1e-12 of the value there, bit for bit elsewhere. */
          gboolean ci = q == 1 || q == 2;
          gboolean same = (isnan (va[q]) && isnan (vb[q])) || va[q] == vb[q]
                          || (ci && fabs (va[q] - vb[q]) <= 1e-12 * fabs (va[q]));
          if (!same)
            g_test_message ("lift row %u (%s %s %s) field %u: %.17g vs %.17g", k, a->model, a->segment, a->metric, q, va[q], vb[q]);
          g_assert_true (same);
        }
    }
  for (guint t = 0; t < 2; t++)
    {
      g_array_unref (metrics[t]);
      g_array_unref (lifts[t]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/eval/rank-metrics", test_rank_metrics);
  g_test_add_func ("/scalr/eval/top-k", test_top_k);
  g_test_add_func ("/scalr/eval/top-k-salted", test_top_k_salted);
  g_test_add_func ("/scalr/eval/keyed-top-k", test_keyed_top_k);
  g_test_add_func ("/scalr/eval/platt", test_platt);
  g_test_add_func ("/scalr/eval/platt-large", test_platt_large);
  g_test_add_func ("/scalr/eval/negatives", test_negatives);
  g_test_add_func ("/scalr/eval/auc-ne", test_auc_ne);
  g_test_add_func ("/scalr/eval/coverage", test_coverage);
  g_test_add ("/scalr/eval/weighted-matrix", Fixture, NULL, setup, test_weighted_matrix, teardown);
  g_test_add ("/scalr/eval/recompute", Fixture, NULL, setup, test_recompute_from_user_vectors, teardown);
  g_test_add ("/scalr/eval/threads", Fixture, NULL, setup, test_threads, teardown);
  return g_test_run ();
}
