/* scalr-bootstrap.c — Poisson(1) user weights, the blocked W · V product and the
 * percentile interval (scalr-bootstrap.h). */
#include "config.h"

#include "scalr-bootstrap.h"
#include "scalr-topk.h"

#include <math.h>
#include <stdlib.h>

#include "scalr-blas.h"
#include "scalr-parallel.h"
#include "scalr-rng.h"

#define BLOCK_USERS 1024   /* users per dgemm: W block 8 KiB per resample */

static inline guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* The key of resample @b: everything but the user. */
static inline guint64
resample_key (guint64 seed, guint b)
{
  guint64 x = seed ^ ((guint64) SCALR_STREAM_BOOTSTRAP * 0xD1B54A32D192ED03ull);
  guint64 k = scalr_splitmix64 (&x);
  return mix64 (k ^ (((guint64) b + 1) * 0x8CB92BA72F3D8DD7ull));
}

#define POISSON_MAX 40

/* F(k) = e⁻¹ Σ_{j ≤ k} 1/j!, the Poisson(1) CDF, summed in this order into the caller's
 * table (40 terms: cheaper than any shared lazily built one, and no state between threads). */
static void
cdf_fill (double cdf_out[POISSON_MAX])
{
  double p = 0.36787944117144233;   /* e⁻¹ */
  double cdf = p;
  for (guint k = 0; k < POISSON_MAX; k++)
    {
      cdf_out[k] = cdf;
      p /= (double) (k + 1);
      cdf += p;
    }
}

/* Poisson(1) by inversion: the number of CDF values at or below a uniform u from a hash of
 * (resample key, user). Branch-free for the first eight (P(w ≥ 8) ≈ 1e-5). */
static inline guint
poisson1 (const double *cdf, guint64 key, guint32 user)
{
  guint64 h = mix64 (key ^ ((guint64) user * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull));
  double u = (double) (h >> 11) * 0x1.0p-53;
  guint k = (u >= cdf[0]) + (u >= cdf[1]) + (u >= cdf[2]) + (u >= cdf[3])
            + (u >= cdf[4]) + (u >= cdf[5]) + (u >= cdf[6]) + (u >= cdf[7]);
  while (G_UNLIKELY (k >= 8) && k < POISSON_MAX && u >= cdf[k])
    k++;
  return k;
}

guint
scalr_bootstrap_weight (guint64 seed, guint b, guint32 user)
{
  double cdf[POISSON_MAX];
  cdf_fill (cdf);
  return poisson1 (cdf, resample_key (seed, b), user);
}

void
scalr_bootstrap_weights (guint64 seed, guint b0, guint nb, const guint32 *users, gsize n, double *w, gsize ldw)
{
  g_return_if_fail (n == 0 || nb == 0 || (users != NULL && w != NULL && ldw >= n));
  double cdf[POISSON_MAX];
  cdf_fill (cdf);
  for (guint b = 0; b < nb; b++)
    {
      guint64 key = resample_key (seed, b0 + b);
      double *row = w + (gsize) b * ldw;
      for (gsize i = 0; i < n; i++)
        row[i] = (double) poisson1 (cdf, key, users[i]);
    }
}

typedef struct {
  guint64        seed;
  const guint32 *users;
  gsize          n;
  double        *w;
} WeightJob;

static gboolean
weight_rows (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  WeightJob *j = data;
  scalr_bootstrap_weights (j->seed, (guint) first, (guint) (last - first), j->users, j->n, j->w + first * j->n, j->n);
  return TRUE;
}

/* The n_boot × n block of weights, 64 resamples at a time on the policy's threads (each
 * resample's row depends on (seed, resample, user) only). */
static void
weights_parallel (guint64 seed, guint n_boot, const guint32 *users, gsize n, double *w)
{
  WeightJob job = { seed, users, n, w };
  ScalrParallelOptions po = { .chunk = 64, .schedule = SCALR_PARALLEL_DYNAMIC };
  scalr_parallel_for (n_boot, weight_rows, &job, &po, NULL);
}

gboolean
scalr_bootstrap_accumulate (guint64 seed, guint n_boot, const guint32 *users, gsize n, const double *v,
                            gsize n_cols, double *sums, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (n == 0 || n_cols == 0 || n_boot == 0 || (users && v && sums), FALSE);
  if (n == 0 || n_cols == 0 || n_boot == 0)
    return TRUE;
  if (!scalr_blas_check_dims ("the bootstrap", error, 3, (gsize) n_boot, n_cols, (gsize) BLOCK_USERS))
    return FALSE;
  gsize blk = MIN (n, (gsize) BLOCK_USERS);
  g_autofree double *w = scalr_blas_alloc0 ("the bootstrap weights", n_boot, blk, sizeof (double), error);
  if (w == NULL)
    return FALSE;
  for (gsize i0 = 0; i0 < n; i0 += blk)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      gsize nb = MIN (blk, n - i0);
      weights_parallel (seed, n_boot, users + i0, nb, w);
      if (!scalr_dgemm (FALSE, FALSE, n_boot, n_cols, nb, 1.0, w, nb, v + i0 * n_cols, n_cols, 1.0, sums,
                        n_cols, error))
        return FALSE;
    }
  return TRUE;
}

ScalrStatsStatus
scalr_bootstrap_interval (const double *sx, const double *sy, gsize stride, guint n_boot, double level,
                          double *lo, double *hi)
{
  g_return_val_if_fail (lo != NULL && hi != NULL, SCALR_STATS_NO_RESAMPLES);
  *lo = *hi = NAN;
  g_return_val_if_fail (level > 0.0 && level < 1.0, SCALR_STATS_NO_RESAMPLES);
  if (n_boot == 0)
    return SCALR_STATS_NO_RESAMPLES;
  g_autofree double *lifts = g_new (double, n_boot);
  guint n_ok = 0;
  for (guint b = 0; b < n_boot; b++)
    {
      double x = sx[(gsize) b * stride], y = sy[(gsize) b * stride];
      if (x != 0.0)
        lifts[n_ok++] = y / x - 1.0;
    }
  if (n_ok == 0 || 2 * (guint64) n_ok < (guint64) n_boot)
    return SCALR_STATS_FEW_RESAMPLES;
  qsort (lifts, n_ok, sizeof *lifts, scalr_cmp_double);
  double alpha = 1.0 - level;
  *lo = scalr_quantile_sorted (lifts, n_ok, 0.5 * alpha);
  *hi = scalr_quantile_sorted (lifts, n_ok, 1.0 - 0.5 * alpha);
  return SCALR_STATS_OK;
}

ScalrStatsStatus
scalr_bootstrap_lift (const double *x, const double *y, const guint32 *users, gsize n, guint n_boot,
                      double level, guint64 seed, double *lo, double *hi)
{
  g_return_val_if_fail (lo != NULL && hi != NULL, SCALR_STATS_NO_PAIRS);
  *lo = *hi = NAN;
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL && users != NULL), SCALR_STATS_NO_PAIRS);
  if (n == 0)
    return SCALR_STATS_NO_PAIRS;
  if (n < 2)
    return SCALR_STATS_TOO_FEW;
  if (n_boot == 0)
    return SCALR_STATS_NO_RESAMPLES;
  g_autofree double *sums = g_new (double, 2 * (gsize) n_boot);
  double cdf[POISSON_MAX];
  cdf_fill (cdf);
  for (guint b = 0; b < n_boot; b++)
    {
      guint64 key = resample_key (seed, b);
      double sx = 0.0, sy = 0.0;
      for (gsize i = 0; i < n; i++)
        {
          double w = (double) poisson1 (cdf, key, users[i]);
          sx += w * x[i];
          sy += w * y[i];
        }
      sums[2 * b] = sx;
      sums[2 * b + 1] = sy;
    }
  return scalr_bootstrap_interval (sums, sums + 1, 2, n_boot, level, lo, hi);
}
