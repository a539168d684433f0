/* test-stats.c — special functions, paired tests, bootstrap lift and Holm, checked
 * against closed forms, hand computation, published tables and SciPy 1.10.1 (Debian 12).
 * Every expected number says where it comes from. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "scalr-rng.h"
#include "scalr-stats.h"
#include "test-util.h"

/* ---- incomplete beta ------------------------------------------------------------ */

static void
test_incbeta_closed_forms (void)
{
  /* I_x(1, 1) = x (uniform CDF). */
  g_assert_cmpfloat_with_epsilon (scalr_stats_incbeta (1, 1, 0.5), 0.5, 1e-14);
  g_assert_cmpfloat_with_epsilon (scalr_stats_incbeta (1, 1, 0.2), 0.2, 1e-14);
  g_assert_cmpfloat_with_epsilon (scalr_stats_incbeta (1, 1, 0.9), 0.9, 1e-14);
  /* I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b (integrate a t^(a−1)). */
  const double xs[] = { 0.05, 0.3, 0.5, 0.7, 0.95 };
  const double as[] = { 0.5, 2, 3.5, 10 };
  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    for (guint j = 0; j < G_N_ELEMENTS (as); j++)
      {
        g_assert_cmpfloat_with_epsilon (scalr_stats_incbeta (as[j], 1, xs[i]), pow (xs[i], as[j]), 1e-12);
        g_assert_cmpfloat_with_epsilon (scalr_stats_incbeta (1, as[j], xs[i]),
                                        1.0 - pow (1.0 - xs[i], as[j]), 1e-12);
      }
  /* I_0.3(2, 3): for integer a, b, I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a), so by hand
   * 1 − (0.7^4 + 4 · 0.3 · 0.7^3) = 1 − (0.2401 + 0.4116) = 0.3483 (SciPy betainc: 0.3483). */
  g_assert_cmpfloat_with_epsilon (scalr_stats_incbeta (2, 3, 0.3), 0.3483, 1e-12);
  /* Larger parameters run the continued fraction for many terms.
   * SciPy betainc(30, 40, 0.45) = 0.6447480085585666, betainc(2.5, 0.5, 0.2) = 0.006566271827563008. */
  g_assert_cmpfloat_with_epsilon (scalr_stats_incbeta (30, 40, 0.45), 0.6447480085585666, 1e-12);
  g_assert_cmpfloat_with_epsilon (scalr_stats_incbeta (2.5, 0.5, 0.2), 0.006566271827563008, 1e-14);
  /* Ends and bad parameters. */
  g_assert_cmpfloat (scalr_stats_incbeta (2, 3, 0.0), ==, 0.0);
  g_assert_cmpfloat (scalr_stats_incbeta (2, 3, 1.0), ==, 1.0);
  g_assert_true (isnan (scalr_stats_incbeta (0, 3, 0.5)));
  g_assert_true (isnan (scalr_stats_incbeta (2, -1, 0.5)));
  g_assert_true (isnan (scalr_stats_incbeta (2, 3, NAN)));
}

static void
test_incbeta_symmetry (void)
{
  /* I_x(a, b) = 1 − I_{1−x}(b, a), on both sides of the switch x = (a + 1)/(a + b + 2). */
  const double params[][2] = { { 2, 3 }, { 0.5, 2.5 }, { 5, 0.5 }, { 30, 40 }, { 1.5, 1.5 } };
  for (guint k = 0; k < G_N_ELEMENTS (params); k++)
    for (double x = 0.05; x < 1.0; x += 0.1)
      {
        double a = params[k][0], b = params[k][1];
        double lhs = scalr_stats_incbeta (a, b, x);
        double rhs = 1.0 - scalr_stats_incbeta (b, a, 1.0 - x);
        g_assert_cmpfloat_with_epsilon (lhs, rhs, 1e-12);
        g_assert_cmpfloat (lhs, >=, 0.0);
        g_assert_cmpfloat (lhs, <=, 1.0);
      }
  /* Monotone in x. */
  double prev = 0.0;
  for (double x = 0.01; x < 1.0; x += 0.01)
    {
      double v = scalr_stats_incbeta (3, 7, x);
      g_assert_cmpfloat (v, >=, prev);
      prev = v;
    }
}

/* ---- t and normal CDF ----------------------------------------------------------- */

static void
test_t_cdf (void)
{
  /* t table: t_{0.975, 10} = 2.228 (SciPy t.cdf(2.228, 10) = 0.9749941140914443). */
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (2.228, 10), 0.9749941140914443, 1e-10);
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (-2.228, 10), 0.025005885908555667, 1e-10);
  /* Large df → normal: Φ(1.96) = 0.9750021 (normal table; SciPy t.cdf(1.96, 1e6) = 0.9750019662073651). */
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (1.96, 1e6), 0.9750019662073651, 1e-9);
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (1.96, INFINITY), 0.9750021048517795, 1e-12);
  /* Symmetric about 0. */
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (0, 4), 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (0, 1000), 0.5, 1e-15);
  /* Closed forms: df = 1 is Cauchy, F(t) = 1/2 + atan(t)/π, so F(1) = 0.75;
   * df = 2: F(t) = 1/2 + t / (2 √(2 + t²)), F(2) = 1/2 + 1/√6 = 0.908248290463863. */
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (1, 1), 0.75, 1e-14);
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (2, 2), 0.5 + 1.0 / sqrt (6.0), 1e-14);
  /* SciPy t.cdf(-1.5, 3) = 0.11529193262241141. */
  g_assert_cmpfloat_with_epsilon (scalr_stats_t_cdf (-1.5, 3), 0.11529193262241141, 1e-12);
  /* Infinite t. */
  g_assert_cmpfloat (scalr_stats_t_cdf (INFINITY, 3), ==, 1.0);
  g_assert_cmpfloat (scalr_stats_t_cdf (-INFINITY, 3), ==, 0.0);
  g_assert_true (isnan (scalr_stats_t_cdf (1, 0)));
}

static void
test_norm_cdf (void)
{
  /* Normal table: Φ(0) = 0.5, Φ(1.959964) = 0.975, Φ(−1) = 0.158655253931457 (SciPy norm.cdf(-1)). */
  g_assert_cmpfloat_with_epsilon (scalr_stats_norm_cdf (0), 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (scalr_stats_norm_cdf (1.959963984540054), 0.975, 1e-12);
  g_assert_cmpfloat_with_epsilon (scalr_stats_norm_cdf (-1), 0.15865525393145707, 1e-14);
  g_assert_cmpfloat_with_epsilon (scalr_stats_norm_cdf (1) + scalr_stats_norm_cdf (-1), 1.0, 1e-15);
  /* The lower tail keeps its precision far out: Φ(−10) = 7.61985302416047e-24 (SciPy). */
  g_assert_cmpfloat_with_epsilon (scalr_stats_norm_cdf (-10) / 7.61985302416047e-24, 1.0, 1e-10);
}

/* ---- paired t-test -------------------------------------------------------------- */

static void
test_paired_t (void)
{
  /* Differences {1, 1, 2, 0, 2}: mean 1.2, sd √(0.7) = 0.83666, t = 1.2 / (0.83666/√5)
   * = 3.2071, df 4; two-sided p from the t table lies in (0.02, 0.05) (t_{0.975,4} = 2.776,
   * t_{0.99,4} = 3.747). SciPy ttest_rel(y, x): statistic 3.2071349029490923,
   * p 0.032677923336803014. */
  const double x[] = { 1, 2, 3, 4, 5 };
  const double y[] = { 2, 3, 5, 4, 7 };
  double t = 0;
  double p = scalr_stats_paired_t (x, y, 5, &t);
  g_assert_cmpfloat_with_epsilon (t, 1.2 / (sqrt (0.7) / sqrt (5.0)), 1e-12);
  g_assert_cmpfloat_with_epsilon (t, 3.2071349029490923, 1e-12);
  g_assert_cmpfloat_with_epsilon (p, 0.032677923336803014, 1e-12);
  /* Swapping the arms flips the sign of t, not the two-sided p. */
  double p2 = scalr_stats_paired_t (y, x, 5, &t);
  g_assert_cmpfloat_with_epsilon (t, -3.2071349029490923, 1e-12);
  g_assert_cmpfloat_with_epsilon (p2, p, 1e-15);
  /* t_out may be NULL. */
  g_assert_cmpfloat_with_epsilon (scalr_stats_paired_t (x, y, 5, NULL), p, 1e-15);
}

static void
test_paired_t_degenerate (void)
{
  const double x[] = { 1, 2, 3 };
  const double same[] = { 1, 2, 3 };
  const double up[] = { 1.5, 2.5, 3.5 };     /* every difference +0.5, exactly */
  const double down[] = { 0.5, 1.5, 2.5 };   /* every difference −0.5 */
  double t = 42;

  /* All differences 0: no evidence of a difference, p = 1. */
  g_assert_cmpfloat (scalr_stats_paired_t (x, same, 3, &t), ==, 1.0);
  g_assert_cmpfloat (t, ==, 0.0);
  /* All differences equal and non-zero: zero variance, p = 0, t infinite with the sign. */
  g_assert_cmpfloat (scalr_stats_paired_t (x, up, 3, &t), ==, 0.0);
  g_assert_true (isinf (t) && t > 0);
  g_assert_cmpfloat (scalr_stats_paired_t (x, down, 3, &t), ==, 0.0);
  g_assert_true (isinf (t) && t < 0);
  /* Fewer than two pairs: p = 1, t undefined. */
  g_assert_cmpfloat (scalr_stats_paired_t (x, up, 1, &t), ==, 1.0);
  g_assert_true (isnan (t));
  g_assert_cmpfloat (scalr_stats_paired_t (NULL, NULL, 0, &t), ==, 1.0);
}

/* ---- Wilcoxon signed-rank ------------------------------------------------------- */

/* Calls the test with y = x + d, x = 10, 11, 12, … (the differences are exact). */
static double
wilcoxon_d (const double *d, gsize n, double *w)
{
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      x[i] = 10.0 + (double) i;
      y[i] = x[i] + d[i];
    }
  return scalr_stats_wilcoxon (x, y, n, w);
}

static void
test_wilcoxon_exact_small (void)
{
  double w = -1;
  /* n = 5, all positive: W+ = 1+2+3+4+5 = 15, the single largest of 2^5 equally likely
   * sign patterns, so P(W+ ≥ 15) = 1/32 and p = 2/32 = 0.0625 (SciPy wilcoxon: 0.0625). */
  const double pos[] = { 0.3, 1.1, 2.0, 0.7, 5.0 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (pos, 5, &w), 0.0625, 1e-15);
  g_assert_cmpfloat (w, ==, 15.0);
  /* All negative: W+ = 0, the same p by symmetry. */
  const double neg[] = { -0.3, -1.1, -2.0, -0.7, -5.0 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (neg, 5, &w), 0.0625, 1e-15);
  g_assert_cmpfloat (w, ==, 0.0);
  /* {1, −2, 3, 4, 5}: rank 2 negative, W+ = 13, W− = 2. Subsets of {1..5} with sum ≤ 2:
   * {}, {1}, {2} → P(W− ≤ 2) = 3/32, p = 6/32 = 0.1875 (SciPy wilcoxon: 0.1875). */
  const double one_neg[] = { 1, -2, 3, 4, 5 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (one_neg, 5, &w), 0.1875, 1e-15);
  g_assert_cmpfloat (w, ==, 13.0);
  /* One pair: p = 2 · min(1, 1/2) = 1. */
  const double single[] = { 3 };
  g_assert_cmpfloat (wilcoxon_d (single, 1, &w), ==, 1.0);
  g_assert_cmpfloat (w, ==, 1.0);
}

static void
test_wilcoxon_exact_table (void)
{
  double w;
  /* Published critical values of the signed-rank test (e.g. Wilcoxon, Katti & Wilcox
   * 1963; any textbook table): n = 10, two-sided α = 0.05 → T_crit = 8, i.e.
   * P(W ≤ 8) ≤ 0.025 < P(W ≤ 9). Counting subsets of {1..10}: 25 sum to ≤ 8 and 33 to ≤ 9,
   * so p(T = 8) = 50/1024 = 0.048828125 and p(T = 9) = 66/1024 = 0.064453125
   * (SciPy wilcoxon(method='exact'): 0.048828125 and 0.064453125). */
  const double t8[] = { 1, 2, 3, 4, 5, 6, 7, -8, 9, 10 };
  double p8 = wilcoxon_d (t8, 10, &w);
  g_assert_cmpfloat (w, ==, 55.0 - 8.0);
  g_assert_cmpfloat_with_epsilon (p8, 50.0 / 1024.0, 1e-15);
  g_assert_cmpfloat (p8, <=, 0.05);
  const double t9[] = { 1, 2, 3, 4, 5, 6, 7, 8, -9, 10 };
  double p9 = wilcoxon_d (t9, 10, &w);
  g_assert_cmpfloat (w, ==, 55.0 - 9.0);
  g_assert_cmpfloat_with_epsilon (p9, 66.0 / 1024.0, 1e-15);
  g_assert_cmpfloat (p9, >, 0.05);

  /* n = 50 (the largest exact case): negatives at ranks 1, 5, …, 49 (sum 325), W+ = 950.
   * SciPy wilcoxon(method='exact'): 0.0021224348550905603. */
  double d50[50];
  for (int i = 0; i < 50; i++)
    d50[i] = (i + 1) * (i % 4 == 0 ? -1.0 : 1.0);
  double p50 = wilcoxon_d (d50, 50, &w);
  g_assert_cmpfloat (w, ==, 950.0);
  g_assert_cmpfloat_with_epsilon (p50, 0.0021224348550905603, 1e-14);
}

static void
test_wilcoxon_normal (void)
{
  double w;
  /* Ties (and zeros) force the normal approximation. d has 14 non-zero values; |d| ranks:
   * 1,1,1 → 2; 2,2,2,2 → 5.5; 3,3 → 8.5; 4 → 10; 5 → 11; 6 → 12; 7,7 → 13.5.
   * W− = 2 + 5.5 + 8.5 = 16, W+ = 105 − 16 = 89. Mean 14·15/4 = 52.5; variance
   * 14·15·29/24 − (24 + 60 + 6 + 6)/48 = 253.75 − 2 = 251.75; z = (36.5 − 0.5)/√251.75.
   * SciPy wilcoxon(d, zero_method='wilcox', correction=True, method='approx'):
   * p = 0.023273643170742195. */
  const double d[] = { 1, 1, 2, 2, 2, -3, 4, 5, 0, 6, 7, 7, -1, 0, 3, -2 };
  double p = wilcoxon_d (d, G_N_ELEMENTS (d), &w);
  g_assert_cmpfloat (w, ==, 89.0);
  g_assert_cmpfloat_with_epsilon (p, 2.0 * (1.0 - scalr_stats_norm_cdf (36.0 / sqrt (251.75))), 1e-12);
  g_assert_cmpfloat_with_epsilon (p, 0.023273643170742195, 1e-12);

  /* n = 51 > 50 without ties also uses the normal approximation: negatives at ranks
   * 1, 5, …, 49 (sum 325), W+ = 1326 − 325 = 1001.
   * SciPy wilcoxon(method='approx', correction=True): 0.0015586021802853137. */
  double d51[51];
  for (int i = 0; i < 51; i++)
    d51[i] = (i + 1) * (i % 4 == 0 ? -1.0 : 1.0);
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (d51, 51, &w), 0.0015586021802853137, 1e-12);
  g_assert_cmpfloat (w, ==, 1001.0);

  /* n = 60: negatives at every third rank 1, 4, …, 58; W+ = 1240.
   * SciPy wilcoxon(method='approx', correction=True): 0.016901653275967522. */
  double d60[60];
  for (int i = 0; i < 60; i++)
    d60[i] = (i + 1) * (i % 3 ? 1.0 : -1.0);
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (d60, 60, &w), 0.016901653275967522, 1e-12);
  g_assert_cmpfloat (w, ==, 1240.0);
}

static void
test_wilcoxon_zeros (void)
{
  double w = -1;
  /* Zero differences are dropped: {0, 0, 1, 2, 3, 4, 5} is the n = 5 all-positive case,
   * p = 2/32 (not 2/128 as it would be if the zeros counted as ranks). */
  const double d[] = { 0, 1, 0, 2, 3, 4, 5 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (d, 7, &w), 0.0625, 1e-15);
  g_assert_cmpfloat (w, ==, 15.0);
  /* No non-zero difference at all: p = 1, W+ = 0. */
  const double zeros[] = { 0, 0, 0 };
  w = -1;
  g_assert_cmpfloat (wilcoxon_d (zeros, 3, &w), ==, 1.0);
  g_assert_cmpfloat (w, ==, 0.0);
  g_assert_cmpfloat (scalr_stats_wilcoxon (NULL, NULL, 0, NULL), ==, 1.0);
}

/* ---- lift and bootstrap --------------------------------------------------------- */

static void
test_lift (void)
{
  const double x[] = { 1, 1, 1, 1 };
  const double y[] = { 2, 2, 2, 2 };
  /* mean(y)/mean(x) − 1 = 2/1 − 1 = 1. */
  g_assert_cmpfloat (scalr_stats_lift (x, y, 4), ==, 1.0);
  /* x = {1, 3}, y = {3, 3}: 3/2 − 1 = 0.5 (a ratio of means, not a mean of ratios,
   * which would be (2 + 0)/2 = 1). */
  const double x2[] = { 1, 3 }, y2[] = { 3, 3 };
  g_assert_cmpfloat_with_epsilon (scalr_stats_lift (x2, y2, 2), 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (scalr_stats_lift (y2, x2, 2), 2.0 / 3.0 - 1.0, 1e-15);
  /* Baseline mean 0, or no pairs: NAN. */
  const double z[] = { 0, 0, 0, 0 };
  g_assert_true (isnan (scalr_stats_lift (z, y, 4)));
  g_assert_true (isnan (scalr_stats_lift (NULL, NULL, 0)));
}

static void
test_bootstrap_constant (void)
{
  const double x[] = { 1, 1, 1, 1 };
  const double y[] = { 2, 2, 2, 2 };
  double lo = 0, hi = 0;
  /* Every resample has Σy/Σx = 2, so every lift is 1 and so are both bounds. */
  g_assert_true (scalr_stats_bootstrap_lift (x, y, 4, 1000, 0.95, 7, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 1.0);
  g_assert_cmpfloat (hi, ==, 1.0);
}

/* A noisy paired sample: baseline metric in [0, 1), augmented = baseline · 1.1 + noise. */
static void
make_sample (gsize n, guint64 seed, double *x, double *y)
{
  ScalrRng rng;
  scalr_rng_init (&rng, seed, 1000, 0);
  for (gsize i = 0; i < n; i++)
    {
      x[i] = scalr_rng_uniform (&rng);
      y[i] = MAX (0.0, 1.1 * x[i] + 0.2 * (scalr_rng_uniform (&rng) - 0.5));
    }
}

static void
test_bootstrap_noisy (void)
{
  gsize small = 100, large = 10000;
  g_autofree double *x = g_new (double, large);
  g_autofree double *y = g_new (double, large);
  double lo_s, hi_s, lo_l, hi_l;

  make_sample (small, 11, x, y);
  double lift_s = scalr_stats_lift (x, y, small);
  g_assert_true (scalr_stats_bootstrap_lift (x, y, small, 2000, 0.95, 3, &lo_s, &hi_s));
  g_assert_cmpfloat (lo_s, <, lift_s);
  g_assert_cmpfloat (lift_s, <, hi_s);

  make_sample (large, 11, x, y);
  double lift_l = scalr_stats_lift (x, y, large);
  g_assert_true (scalr_stats_bootstrap_lift (x, y, large, 500, 0.95, 3, &lo_l, &hi_l));
  g_assert_cmpfloat (lo_l, <, lift_l);
  g_assert_cmpfloat (lift_l, <, hi_l);
  /* The true lift is about 0.1 (1.1 · mean, the noise averages out); the large sample's
   * interval is near it. */
  g_assert_cmpfloat (fabs (lift_l - 0.1), <, 0.01);
  /* Width shrinks like 1/√n: 100× the pairs → about 10× narrower; require at least 4×. */
  g_assert_cmpfloat ((hi_l - lo_l) * 4.0, <, hi_s - lo_s);

  /* A 50% interval lies inside the 95% one. */
  double lo50, hi50;
  g_assert_true (scalr_stats_bootstrap_lift (x, y, large, 500, 0.5, 3, &lo50, &hi50));
  g_assert_cmpfloat (lo_l, <, lo50);
  g_assert_cmpfloat (hi50, <, hi_l);
}

static void
test_bootstrap_seed (void)
{
  double x[200], y[200];
  make_sample (200, 5, x, y);
  double lo1, hi1, lo2, hi2, lo3, hi3;
  g_assert_true (scalr_stats_bootstrap_lift (x, y, 200, 500, 0.95, 99, &lo1, &hi1));
  g_assert_true (scalr_stats_bootstrap_lift (x, y, 200, 500, 0.95, 99, &lo2, &hi2));
  g_assert_true (scalr_stats_bootstrap_lift (x, y, 200, 500, 0.95, 100, &lo3, &hi3));
  /* Same seed: bit-identical bounds. */
  g_assert_cmpfloat (lo1, ==, lo2);
  g_assert_cmpfloat (hi1, ==, hi2);
  /* Another seed: other resamples, other bounds. */
  g_assert_cmpfloat (lo1, !=, lo3);
  g_assert_cmpfloat (hi1, !=, hi3);
}

static int
cmp_double (const void *a, const void *b)
{
  double u = *(const double *) a, v = *(const double *) b;
  return (u > v) - (u < v);
}

static void
test_bootstrap_by_hand (void)
{
  /* The contract spelled out: resample b draws n indices with scalr_rng_below from the
   * (seed, SCALR_STREAM_BOOTSTRAP, 0) stream, lift_b = Σy/Σx − 1, and the bounds are the
   * type-7 quantiles of the sorted lifts. With 4 resamples at level 0.5 the quantiles
   * 0.25 and 0.75 sit at positions h = 0.75 and 2.25: sorted[0] + 0.75 (sorted[1] − sorted[0])
   * and sorted[2] + 0.25 (sorted[3] − sorted[2]). */
  const double x[] = { 1, 2, 3, 4, 5 };
  const double y[] = { 2, 1, 5, 4, 9 };
  ScalrRng rng;
  scalr_rng_init (&rng, 1234, SCALR_STREAM_BOOTSTRAP, 0);
  double lifts[4];
  for (int b = 0; b < 4; b++)
    {
      double sx = 0, sy = 0;
      for (int k = 0; k < 5; k++)
        {
          guint32 i = scalr_rng_below (&rng, 5);
          sx += x[i];
          sy += y[i];
        }
      lifts[b] = sy / sx - 1.0;
    }
  qsort (lifts, 4, sizeof (double), cmp_double);
  g_assert_cmpfloat (lifts[0], <, lifts[3]);  /* the resamples differ, so interpolation shows */
  double want_lo = lifts[0] + 0.75 * (lifts[1] - lifts[0]);
  double want_hi = lifts[2] + 0.25 * (lifts[3] - lifts[2]);
  double lo, hi;
  g_assert_true (scalr_stats_bootstrap_lift (x, y, 5, 4, 0.5, 1234, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, want_lo, 1e-15);
  g_assert_cmpfloat_with_epsilon (hi, want_hi, 1e-15);
}

static void
test_bootstrap_zero_baseline (void)
{
  const double zero[] = { 0, 0, 0, 0 };
  const double y[] = { 1, 2, 3, 4 };
  double lo = 0, hi = 0;
  /* Baseline all zeros: no resample has a lift → FALSE, NAN bounds. */
  g_assert_false (scalr_stats_bootstrap_lift (zero, y, 4, 200, 0.95, 1, &lo, &hi));
  g_assert_true (isnan (lo));
  g_assert_true (isnan (hi));
  /* No pairs, or no resamples: FALSE. */
  lo = hi = 0;
  g_assert_false (scalr_stats_bootstrap_lift (NULL, NULL, 0, 200, 0.95, 1, &lo, &hi));
  g_assert_true (isnan (lo) && isnan (hi));
  lo = hi = 0;
  g_assert_false (scalr_stats_bootstrap_lift (y, y, 4, 0, 0.95, 1, &lo, &hi));
  g_assert_true (isnan (lo) && isnan (hi));

  /* One non-zero baseline among four: a resample misses it with probability
   * (3/4)^4 ≈ 0.32 < 1/2, so those are skipped and the interval still exists. A kept
   * resample with k copies of the last pair has Σx = k, Σy = 2k + (4 − k), lift 4/k ≥ 1. */
  const double xb[] = { 0, 0, 0, 1 };
  const double yb[] = { 1, 1, 1, 2 };
  g_assert_true (scalr_stats_bootstrap_lift (xb, yb, 4, 1000, 0.95, 1, &lo, &hi));
  g_assert_true (isfinite (lo) && isfinite (hi));
  g_assert_cmpfloat (lo, >=, 1.0);  /* smallest lift: k = 4, 8/4 − 1 */
  g_assert_cmpfloat (lo, <=, hi);
}

/* ---- Holm ----------------------------------------------------------------------- */

static void
test_holm (void)
{
  /* By hand, m = 4: sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06,
   * 0.04·1 = 0.04 → running max 0.06. Back in input order: {0.03, 0.06, 0.06, 0.02}. */
  const double p[] = { 0.01, 0.04, 0.03, 0.005 };
  const double want[] = { 0.03, 0.06, 0.06, 0.02 };
  double adj[4];
  scalr_stats_holm (p, 4, adj);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (adj[i], want[i], 1e-15);

  /* In place (adjusted == p) gives the same. */
  double inplace[] = { 0.01, 0.04, 0.03, 0.005 };
  scalr_stats_holm (inplace, 4, inplace);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (inplace[i], want[i], 1e-15);

  /* Ties: {0.01, 0.01}, m = 2 → both 0.02 whatever their order. */
  const double tie[] = { 0.01, 0.01 };
  double adj_tie[2];
  scalr_stats_holm (tie, 2, adj_tie);
  g_assert_cmpfloat_with_epsilon (adj_tie[0], 0.02, 1e-15);
  g_assert_cmpfloat_with_epsilon (adj_tie[1], 0.02, 1e-15);

  /* One p-value: unchanged. */
  const double one = 0.3;
  double adj_one;
  scalr_stats_holm (&one, 1, &adj_one);
  g_assert_cmpfloat (adj_one, ==, 0.3);
  scalr_stats_holm (NULL, 0, NULL);
}

static void
test_holm_nan_and_cap (void)
{
  /* NAN entries are ignored (m = 2, not 3) and stay NAN: 0.01·2 = 0.02, 0.04·1 = 0.04. */
  const double p[] = { 0.01, NAN, 0.04 };
  double adj[3];
  scalr_stats_holm (p, 3, adj);
  g_assert_cmpfloat_with_epsilon (adj[0], 0.02, 1e-15);
  g_assert_true (isnan (adj[1]));
  g_assert_cmpfloat_with_epsilon (adj[2], 0.04, 1e-15);

  /* Capped at 1: m = 3, sorted 0.02·3 = 0.06, 0.5·2 = 1.0, 0.6·1 = 0.6 → max 1.0. */
  const double big[] = { 0.5, 0.6, 0.02 };
  double adj_big[3];
  scalr_stats_holm (big, 3, adj_big);
  g_assert_cmpfloat (adj_big[0], ==, 1.0);
  g_assert_cmpfloat (adj_big[1], ==, 1.0);
  g_assert_cmpfloat_with_epsilon (adj_big[2], 0.06, 1e-15);
  const double huge[] = { 0.7, 0.9 };
  double adj_huge[2];
  scalr_stats_holm (huge, 2, adj_huge);
  g_assert_cmpfloat (adj_huge[0], ==, 1.0);  /* 0.7·2 = 1.4 → 1 */
  g_assert_cmpfloat (adj_huge[1], ==, 1.0);

  /* All NAN: all stay NAN. */
  const double nans[] = { NAN, NAN };
  double adj_nans[2] = { 0, 0 };
  scalr_stats_holm (nans, 2, adj_nans);
  g_assert_true (isnan (adj_nans[0]) && isnan (adj_nans[1]));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/stats/incbeta/closed-forms", test_incbeta_closed_forms);
  g_test_add_func ("/scalr/stats/incbeta/symmetry", test_incbeta_symmetry);
  g_test_add_func ("/scalr/stats/t-cdf", test_t_cdf);
  g_test_add_func ("/scalr/stats/norm-cdf", test_norm_cdf);
  g_test_add_func ("/scalr/stats/paired-t", test_paired_t);
  g_test_add_func ("/scalr/stats/paired-t/degenerate", test_paired_t_degenerate);
  g_test_add_func ("/scalr/stats/wilcoxon/exact-small", test_wilcoxon_exact_small);
  g_test_add_func ("/scalr/stats/wilcoxon/exact-table", test_wilcoxon_exact_table);
  g_test_add_func ("/scalr/stats/wilcoxon/normal", test_wilcoxon_normal);
  g_test_add_func ("/scalr/stats/wilcoxon/zeros", test_wilcoxon_zeros);
  g_test_add_func ("/scalr/stats/lift", test_lift);
  g_test_add_func ("/scalr/stats/bootstrap/constant", test_bootstrap_constant);
  g_test_add_func ("/scalr/stats/bootstrap/noisy", test_bootstrap_noisy);
  g_test_add_func ("/scalr/stats/bootstrap/seed", test_bootstrap_seed);
  g_test_add_func ("/scalr/stats/bootstrap/by-hand", test_bootstrap_by_hand);
  g_test_add_func ("/scalr/stats/bootstrap/zero-baseline", test_bootstrap_zero_baseline);
  g_test_add_func ("/scalr/stats/holm", test_holm);
  g_test_add_func ("/scalr/stats/holm/nan-and-cap", test_holm_nan_and_cap);
  return g_test_run ();
}
