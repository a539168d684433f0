/* test-bootstrap.c — Poisson(1) user weights, the W · V product against the definition,
 * and the percentile interval, by hand on tiny inputs. */
#include "config.h"

#include <math.h>

#include "scalr-bootstrap.h"
#include "scalr-rng.h"
#include "test-util.h"
#include "scalr-topk.h"

static void
test_weights (void)
{
  /* A function of (seed, resample, user) only. */
  g_assert_cmpuint (scalr_bootstrap_weight (42, 3, 17), ==, scalr_bootstrap_weight (42, 3, 17));
  const guint32 users[] = { 5, 17, 2, 900000 };
  double w[3 * 4];
  scalr_bootstrap_weights (42, 2, 3, users, 4, w, 4);
  for (guint b = 0; b < 3; b++)
    for (guint i = 0; i < 4; i++)
      g_assert_cmpfloat (w[b * 4 + i], ==, (double) scalr_bootstrap_weight (42, 2 + b, users[i]));

  /* Poisson(1): P(0) = P(1) = e⁻¹ = 0.3679, P(2) = e⁻¹/2 = 0.1839, mean 1, variance 1.
   * Over 10⁶ (resample, user) cells the frequencies are within 5 standard errors
   * (√(p (1 − p) / 10⁶) ≤ 0.0005) and the moments within 0.005. */
  const guint n = 1000000;
  guint count[4] = { 0 };
  double sum = 0, sum2 = 0;
  for (guint c = 0; c < n; c++)
    {
      guint v = scalr_bootstrap_weight (7, c % 1000, c / 1000);
      count[MIN (v, 3)]++;
      sum += v;
      sum2 += (double) v * v;
    }
  g_assert_cmpfloat (fabs (count[0] / (double) n - exp (-1.0)), <, 0.0025);
  g_assert_cmpfloat (fabs (count[1] / (double) n - exp (-1.0)), <, 0.0025);
  g_assert_cmpfloat (fabs (count[2] / (double) n - exp (-1.0) / 2), <, 0.002);
  double mean = sum / n;
  g_assert_cmpfloat (fabs (mean - 1.0), <, 0.005);
  g_assert_cmpfloat (fabs (sum2 / n - mean * mean - 1.0), <, 0.005);
  /* Another seed, other weights. */
  guint differ = 0;
  for (guint u = 0; u < 100; u++)
    differ += scalr_bootstrap_weight (7, 0, u) != scalr_bootstrap_weight (8, 0, u);
  g_assert_cmpuint (differ, >, 30);
}

static void
test_lift_by_hand (void)
{
  /* The definition spelled out: resample b gives user u the weight w_b(u); its lift is
   * Σ w y / Σ w x − 1; the interval is the type-7 quantiles of the sorted lifts. With 4
   * resamples at level 0.5 the quantiles 0.25 and 0.75 sit at h = 0.75 and 2.25. */
  const double x[] = { 1, 2, 3, 4, 5 };
  const double y[] = { 2, 1, 5, 4, 9 };
  const guint32 users[] = { 10, 11, 12, 13, 14 };
  double lifts[4];
  guint n_ok = 0;
  for (guint b = 0; b < 4; b++)
    {
      double sx = 0, sy = 0;
      for (guint i = 0; i < 5; i++)
        {
          double w = scalr_bootstrap_weight (1234, b, users[i]);
          sx += w * x[i];
          sy += w * y[i];
        }
      g_assert_cmpfloat (sx, >, 0);   /* (this seed leaves no resample empty) */
      lifts[n_ok++] = sy / sx - 1.0;
    }
  qsort (lifts, 4, sizeof (double), scalr_cmp_double);
  g_assert_cmpfloat (lifts[0], <, lifts[3]);
  double want_lo = lifts[0] + 0.75 * (lifts[1] - lifts[0]);
  double want_hi = lifts[2] + 0.25 * (lifts[3] - lifts[2]);
  double lo, hi;
  g_assert_cmpint (scalr_bootstrap_lift (x, y, users, 5, 4, 0.5, 1234, &lo, &hi), ==, SCALR_STATS_OK);
  g_assert_cmpfloat_with_epsilon (lo, want_lo, 1e-15);
  g_assert_cmpfloat_with_epsilon (hi, want_hi, 1e-15);

  /* A user's weights do not depend on the other users: the same pairs in another order
   * (users permuted with their values) give the same interval. */
  const double xr[] = { 5, 4, 3, 2, 1 }, yr[] = { 9, 4, 5, 1, 2 };
  const guint32 ur[] = { 14, 13, 12, 11, 10 };
  double lo2, hi2;
  g_assert_cmpint (scalr_bootstrap_lift (xr, yr, ur, 5, 4, 0.5, 1234, &lo2, &hi2), ==, SCALR_STATS_OK);
  g_assert_cmpfloat_with_epsilon (lo2, lo, 1e-15);
  g_assert_cmpfloat_with_epsilon (hi2, hi, 1e-15);
}

static void
test_interval (void)
{
  /* Sums by hand: resamples (sx, sy) = (2, 3), (4, 4), (0, 1), (1, 3): lifts 0.5, 0, —, 2.
   * Sorted {0, 0.5, 2}; level 0.5 → quantiles 0.25 (h = 0.5: 0.25) and 0.75 (h = 1.5: 1.25). */
  const double sx[] = { 2, 4, 0, 1 }, sy[] = { 3, 4, 1, 3 };
  double lo, hi;
  g_assert_cmpint (scalr_bootstrap_interval (sx, sy, 1, 4, 0.5, &lo, &hi), ==, SCALR_STATS_OK);
  g_assert_cmpfloat_with_epsilon (lo, 0.25, 1e-15);
  g_assert_cmpfloat_with_epsilon (hi, 1.25, 1e-15);
  /* A stride: the same numbers interleaved with others. */
  const double m[] = { 2, 3, 9, 4, 4, 9, 0, 1, 9, 1, 3, 9 };
  g_assert_cmpint (scalr_bootstrap_interval (m, m + 1, 3, 4, 0.5, &lo, &hi), ==, SCALR_STATS_OK);
  g_assert_cmpfloat_with_epsilon (lo, 0.25, 1e-15);
  /* Three of four resamples without a baseline: fewer than half have a lift. */
  const double sx0[] = { 0, 0, 0, 1 };
  g_assert_cmpint (scalr_bootstrap_interval (sx0, sy, 1, 4, 0.5, &lo, &hi), ==, SCALR_STATS_FEW_RESAMPLES);
  g_assert_true (isnan (lo) && isnan (hi));
  g_assert_cmpint (scalr_bootstrap_interval (sx, sy, 1, 0, 0.5, &lo, &hi), ==, SCALR_STATS_NO_RESAMPLES);
  g_assert_true (isnan (lo) && isnan (hi));
}

static void
test_lift_degenerate (void)
{
  double lo = 0, hi = 0;
  const guint32 users[] = { 1, 2, 3, 4 };
  /* Every resample has Σy/Σx = 2: both bounds are exactly 1. */
  const double x[] = { 1, 1, 1, 1 }, y[] = { 2, 2, 2, 2 };
  g_assert_cmpint (scalr_bootstrap_lift (x, y, users, 4, 200, 0.95, 7, &lo, &hi), ==, SCALR_STATS_OK);
  g_assert_cmpfloat (lo, ==, 1.0);
  g_assert_cmpfloat (hi, ==, 1.0);
  /* Baseline all zeros: no resample has a lift. */
  const double zero[] = { 0, 0, 0, 0 };
  g_assert_cmpint (scalr_bootstrap_lift (zero, y, users, 4, 200, 0.95, 1, &lo, &hi), ==, SCALR_STATS_FEW_RESAMPLES);
  g_assert_true (isnan (lo) && isnan (hi));
  /* One user: a one-point bootstrap says nothing; no pairs; no resamples. */
  g_assert_cmpint (scalr_bootstrap_lift (x, y, users, 1, 200, 0.95, 1, &lo, &hi), ==, SCALR_STATS_TOO_FEW);
  g_assert_true (isnan (lo) && isnan (hi));
  g_assert_cmpint (scalr_bootstrap_lift (NULL, NULL, NULL, 0, 200, 0.95, 1, &lo, &hi), ==, SCALR_STATS_NO_PAIRS);
  g_assert_cmpint (scalr_bootstrap_lift (x, y, users, 4, 0, 0.95, 1, &lo, &hi), ==, SCALR_STATS_NO_RESAMPLES);
  g_assert_true (isnan (lo) && isnan (hi));
}

/* A noisy paired sample: baseline metric in [0, 1), augmented = baseline · 1.1 + noise. */
static void
make_sample (gsize n, guint64 seed, double *x, double *y, guint32 *users)
{
  ScalrRng rng;
  scalr_rng_init (&rng, seed, 1000, 0);
  for (gsize i = 0; i < n; i++)
    {
      x[i] = scalr_rng_uniform (&rng);
      y[i] = MAX (0.0, 1.1 * x[i] + 0.2 * (scalr_rng_uniform (&rng) - 0.5));
      users[i] = (guint32) (3 * i + 1);
    }
}

static void
test_lift_noisy (void)
{
  gsize small = 100, large = 10000;
  g_autofree double *x = g_new (double, large);
  g_autofree double *y = g_new (double, large);
  g_autofree guint32 *u = g_new (guint32, large);
  double lo_s, hi_s, lo_l, hi_l;
  make_sample (large, 11, x, y, u);
  double sx = 0, sy = 0;
  for (gsize i = 0; i < small; i++)
    sx += x[i], sy += y[i];
  double lift_s = sy / sx - 1;
  g_assert_cmpint (scalr_bootstrap_lift (x, y, u, small, 2000, 0.95, 3, &lo_s, &hi_s), ==, SCALR_STATS_OK);
  g_assert_cmpfloat (lo_s, <, lift_s);
  g_assert_cmpfloat (lift_s, <, hi_s);
  sx = sy = 0;
  for (gsize i = 0; i < large; i++)
    sx += x[i], sy += y[i];
  double lift_l = sy / sx - 1;
  g_assert_cmpint (scalr_bootstrap_lift (x, y, u, large, 500, 0.95, 3, &lo_l, &hi_l), ==, SCALR_STATS_OK);
  g_assert_cmpfloat (lo_l, <, lift_l);
  g_assert_cmpfloat (lift_l, <, hi_l);
  /* The true lift is about 0.1; 100× the pairs → about 10× narrower; require 4×. */
  g_assert_cmpfloat (fabs (lift_l - 0.1), <, 0.01);
  g_assert_cmpfloat ((hi_l - lo_l) * 4.0, <, hi_s - lo_s);
  /* A 90 % interval lies inside the 95 % one (the same resamples). */
  double lo90, hi90;
  g_assert_cmpint (scalr_bootstrap_lift (x, y, u, large, 500, 0.9, 3, &lo90, &hi90), ==, SCALR_STATS_OK);
  g_assert_cmpfloat (lo_l, <, lo90);
  g_assert_cmpfloat (hi90, <, hi_l);
}

static void
test_accumulate (void)
{
  /* W · V by blocks of users through dgemm equals the sums written out, past a block
   * boundary (2500 users, blocks of 1024) and accumulating into what is there. */
  const gsize n = 2500, C = 3;
  const guint B = 7;
  g_autofree double *v = g_new (double, n * C);
  g_autofree guint32 *users = g_new (guint32, n);
  ScalrRng rng;
  scalr_rng_init (&rng, 5, 1000, 0);
  for (gsize i = 0; i < n; i++)
    {
      users[i] = (guint32) (7 * i + 3);
      for (gsize c = 0; c < C; c++)
        v[i * C + c] = c == 2 ? 0.0 : scalr_rng_uniform (&rng);
    }
  g_autofree double *sums = g_new (double, B * C);
  for (gsize k = 0; k < B * C; k++)
    sums[k] = 1.0;
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_bootstrap_accumulate (99, B, users, n, v, C, sums, NULL, &error));
  g_assert_no_error (error);
  for (guint b = 0; b < B; b++)
    for (gsize c = 0; c < C; c++)
      {
        double want = 1.0;
        for (gsize i = 0; i < n; i++)
          want += scalr_bootstrap_weight (99, b, users[i]) * v[i * C + c];
        g_assert_cmpfloat_with_epsilon (sums[b * C + c], want, 1e-9 * want);
      }
  g_assert_cmpfloat (sums[2], ==, 1.0);   /* a zero column adds nothing */

  /* Cancelled: FALSE with G_IO_ERROR_CANCELLED. */
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_cancellable_cancel (cancel);
  g_assert_false (scalr_bootstrap_accumulate (99, B, users, n, v, C, sums, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Nothing to do is fine. */
  g_assert_true (scalr_bootstrap_accumulate (99, 0, users, n, v, C, sums, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scalr/bootstrap/weights", test_weights);
  g_test_add_func ("/scalr/bootstrap/lift-by-hand", test_lift_by_hand);
  g_test_add_func ("/scalr/bootstrap/interval", test_interval);
  g_test_add_func ("/scalr/bootstrap/degenerate", test_lift_degenerate);
  g_test_add_func ("/scalr/bootstrap/noisy", test_lift_noisy);
  g_test_add_func ("/scalr/bootstrap/accumulate", test_accumulate);
  return g_test_run ();
}
