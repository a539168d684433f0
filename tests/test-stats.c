/* test-stats.c — special functions, paired differences and ties, paired tests and Holm, checked
 * against closed forms, hand computation, published tables and SciPy 1.10.1 (Debian 12's,
 * /usr/bin/python3). Every expected number says where it comes from; SciPy constants come
 * with the command that printed them. The bootstrap is tested in test-bootstrap.c. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

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

  /* Large degrees of freedom (a lift row over hundreds of thousands of users): two-sided
   * tails 2 F(−|t|), to 1e-11 (before log B(a, b) was computed without the cancellation of
   * lgamma at large a, they were off by 3e-10).
   * /usr/bin/python3 -c 'from scipy import stats; print([repr(2*stats.t.sf(t, df)) for t, df in
   *   [(2.5,500000),(0.7,200000),(5.0,700000),(12.0,450000),(1.3,5000)]])'
   * → 0.012419648353549737 0.4839281186475054 5.734412096772504e-07 3.594695328462199e-33
   *   0.19366089361872058 */
  const double big[][3] = { { 2.5, 500000, 0.012419648353549737 }, { 0.7, 200000, 0.4839281186475054 },
                            { 5.0, 700000, 5.734412096772504e-07 }, { 12.0, 450000, 3.594695328462199e-33 },
                            { 1.3, 5000, 0.19366089361872058 } };
  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    {
      double p = 2.0 * scalr_stats_t_cdf (-big[i][0], big[i][1]);
      g_assert_cmpfloat (fabs (p / big[i][2] - 1.0), <, 1e-11);
    }
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

/* ---- paired differences and ties ----------------------------------------------- */

static void
test_paired_differences (void)
{
  /* 0.3 − 0.2 and 0.1 − 0 are the same difference; in double the first is
   * 0.09999999999999998. Both take the group's smallest value, with their own sign. */
  const double x[] = { 0.2, 0.0, 0.1, 0.3, 0.5 };
  const double y[] = { 0.3, 0.1, 0.0, 0.1 + 0.2, 0.25 };
  double d[5];
  g_assert_cmpfloat (0.3 - 0.2, !=, 0.1);   /* the reason for the convention */
  scalr_stats_paired_differences (x, y, 5, d);
  g_assert_cmpfloat (d[0], ==, 0.3 - 0.2);
  g_assert_cmpfloat (d[1], ==, 0.3 - 0.2);
  g_assert_cmpfloat (d[2], ==, -(0.3 - 0.2));
  /* (0.1 + 0.2) − 0.3 = 5.6e-17 is within 1e-9 · 0.3 of 0: a zero difference. */
  g_assert_cmpfloat (d[3], ==, 0.0);
  g_assert_cmpfloat (d[4], ==, -0.25);

  /* Groups start at their smallest value and do not chain: a, a (1 + 0.6e-9) and
   * a (1 + 1.2e-9) are two groups ({a, a (1 + 0.6e-9)} and the third on its own). */
  const double z[] = { 0, 0, 0 };
  const double a = 0.125;
  const double w[] = { a, a * (1 + 0.6e-9), a * (1 + 1.2e-9) };
  scalr_stats_paired_differences (z, w, 3, d);
  g_assert_cmpfloat (d[0], ==, a);
  g_assert_cmpfloat (d[1], ==, a);
  g_assert_cmpfloat (d[2], ==, a * (1 + 1.2e-9));
  scalr_stats_paired_differences (NULL, NULL, 0, NULL);
}

static void
test_status_and_label (void)
{
  g_assert_cmpstr (scalr_stats_status_to_string (SCALR_STATS_OK), ==, "");
  g_assert_cmpstr (scalr_stats_status_to_string (SCALR_STATS_TOO_FEW), ==, "fewer than 2 users");
  g_assert_cmpstr (scalr_stats_status_to_string (SCALR_STATS_ALL_ZERO), ==, "every paired difference is 0");
  const double levels[] = { 0.9, 0.95, 0.999, 0.5 };
  const char *labels[] = { "90 % CI", "95 % CI", "99.9 % CI", "50 % CI" };
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autofree char *l = scalr_stats_ci_label (levels[i]);
      g_assert_cmpstr (l, ==, labels[i]);
    }
  g_autofree char *none = scalr_stats_ci_label (NAN);
  g_assert_cmpstr (none, ==, "CI");
}

/* ---- paired t-test -------------------------------------------------------------- */

static void
test_paired_t (void)
{
  /* Differences {1, 1, 2, 0, 2}: mean 1.2, sd √(0.7) = 0.83666, t = 1.2 / (0.83666/√5)
   * = 3.2071, df 4; two-sided p from the t table lies in (0.02, 0.05) (t_{0.975,4} = 2.776,
   * t_{0.99,4} = 3.747).
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.ttest_rel([2,3,5,4,7],[1,2,3,4,5]))'
   * → statistic 3.2071349029490923, pvalue 0.032677923336803014 */
  const double x[] = { 1, 2, 3, 4, 5 };
  const double y[] = { 2, 3, 5, 4, 7 };
  ScalrStatsTest t;
  scalr_stats_paired_t (x, y, 5, &t);
  g_assert_cmpint (t.status, ==, SCALR_STATS_OK);
  g_assert_cmpfloat_with_epsilon (t.statistic, 1.2 / (sqrt (0.7) / sqrt (5.0)), 1e-12);
  g_assert_cmpfloat_with_epsilon (t.statistic, 3.2071349029490923, 1e-12);
  g_assert_cmpfloat_with_epsilon (t.p, 0.032677923336803014, 1e-12);
  /* Swapping the arms flips the sign of t, not the two-sided p. */
  ScalrStatsTest t2;
  scalr_stats_paired_t (y, x, 5, &t2);
  g_assert_cmpfloat_with_epsilon (t2.statistic, -3.2071349029490923, 1e-12);
  g_assert_cmpfloat_with_epsilon (t2.p, t.p, 1e-15);

  /* Float-derived values: x = {0.2, 0.1, 0, 0, 0, 0.5}, y = {0.3, 0, 0.2, 0.3, 0.4, 0.5}.
   * /usr/bin/python3 -c 'from scipy import stats; r = stats.ttest_rel([0.3,0,0.2,0.3,0.4,0.5],
   *   [0.2,0.1,0,0,0,0.5]); print(repr(r.statistic), repr(r.pvalue))'
   * → 1.9639610121239315 0.10674552235509217 */
  const double fx[] = { 0.2, 0.1, 0.0, 0.0, 0.0, 0.5 };
  const double fy[] = { 0.3, 0.0, 0.2, 0.3, 0.4, 0.5 };
  scalr_stats_paired_t (fx, fy, 6, &t);
  g_assert_cmpfloat_with_epsilon (t.statistic, 1.9639610121239315, 1e-12);
  g_assert_cmpfloat_with_epsilon (t.p, 0.10674552235509217, 1e-12);
}

static void
test_paired_t_degenerate (void)
{
  const double x[] = { 1, 2, 3 };
  const double same[] = { 1, 2, 3 };
  const double up[] = { 1.5, 2.5, 3.5 };     /* every difference +0.5, exactly */
  const double down[] = { 0.5, 1.5, 2.5 };   /* every difference −0.5 */
  ScalrStatsTest t;

  /* All differences 0: t is 0/0, undefined (SciPy: nan), never p = 1.
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.ttest_rel([1,2,3],[1,2,3]))' → nan, nan */
  scalr_stats_paired_t (x, same, 3, &t);
  g_assert_true (isnan (t.p) && isnan (t.statistic));
  g_assert_cmpint (t.status, ==, SCALR_STATS_ALL_ZERO);
  /* All differences equal and non-zero: zero variance, p = 0, t infinite with the sign.
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.ttest_rel([1.5,2.5,3.5],[1,2,3]))' → inf, 0.0 */
  scalr_stats_paired_t (x, up, 3, &t);
  g_assert_cmpfloat (t.p, ==, 0.0);
  g_assert_true (isinf (t.statistic) && t.statistic > 0);
  scalr_stats_paired_t (x, down, 3, &t);
  g_assert_cmpfloat (t.p, ==, 0.0);
  g_assert_true (isinf (t.statistic) && t.statistic < 0);
  /* Equal by the tie convention only (0.3 − 0.2 and 0.1 − 0): the same as exactly equal.
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.ttest_rel([0.1,0.1],[0,0]))' → inf, 0.0 */
  const double fx[] = { 0.2, 0.0 }, fy[] = { 0.3, 0.1 };
  scalr_stats_paired_t (fx, fy, 2, &t);
  g_assert_cmpfloat (t.p, ==, 0.0);
  g_assert_true (isinf (t.statistic));
  /* Fewer than two pairs: undefined. */
  scalr_stats_paired_t (x, up, 1, &t);
  g_assert_true (isnan (t.p) && isnan (t.statistic));
  g_assert_cmpint (t.status, ==, SCALR_STATS_TOO_FEW);
  scalr_stats_paired_t (NULL, NULL, 0, &t);
  g_assert_true (isnan (t.p));
  g_assert_cmpint (t.status, ==, SCALR_STATS_NO_PAIRS);
}

/* ---- Wilcoxon signed-rank ------------------------------------------------------- */

/* The test with y = x + d, x = 10, 11, 12, … (the differences are exact); returns p. */
static double
wilcoxon_d (const double *d, gsize n, ScalrStatsTest *out)
{
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree double *y = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      x[i] = 10.0 + (double) i;
      y[i] = x[i] + d[i];
    }
  scalr_stats_wilcoxon (x, y, n, out);
  return out->p;
}

static void
test_wilcoxon_exact_small (void)
{
  ScalrStatsTest w;
  /* n = 5, all positive: W+ = 1+2+3+4+5 = 15, the single largest of 2^5 equally likely
   * sign patterns, so P(W+ ≥ 15) = 1/32 and p = 2/32.
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.wilcoxon([0.3,1.1,2.0,0.7,5.0]).pvalue)' → 0.0625 */
  const double pos[] = { 0.3, 1.1, 2.0, 0.7, 5.0 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (pos, 5, &w), 0.0625, 1e-15);
  g_assert_cmpfloat (w.statistic, ==, 15.0);
  g_assert_true (w.exact);
  /* All negative: W+ = 0, the same p by symmetry. */
  const double neg[] = { -0.3, -1.1, -2.0, -0.7, -5.0 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (neg, 5, &w), 0.0625, 1e-15);
  g_assert_cmpfloat (w.statistic, ==, 0.0);
  /* {1, −2, 3, 4, 5}: rank 2 negative, W+ = 13, W− = 2. Subsets of {1..5} with sum ≤ 2:
   * {}, {1}, {2} → P(W− ≤ 2) = 3/32, p = 6/32.
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.wilcoxon([1,-2,3,4,5]).pvalue)' → 0.1875 */
  const double one_neg[] = { 1, -2, 3, 4, 5 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (one_neg, 5, &w), 0.1875, 1e-15);
  g_assert_cmpfloat (w.statistic, ==, 13.0);
  /* One pair: p = 2 · min(1, 1/2) = 1.
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.wilcoxon([3]).pvalue)' → 1.0 */
  const double single[] = { 3 };
  g_assert_cmpfloat (wilcoxon_d (single, 1, &w), ==, 1.0);
  g_assert_cmpfloat (w.statistic, ==, 1.0);
}

static void
test_wilcoxon_exact_table (void)
{
  ScalrStatsTest w;
  /* Published critical values of the signed-rank test (e.g. Wilcoxon, Katti & Wilcox
   * 1963): n = 10, two-sided α = 0.05 → T_crit = 8, i.e. P(W ≤ 8) ≤ 0.025 < P(W ≤ 9).
   * Counting subsets of {1..10}: 25 sum to ≤ 8 and 33 to ≤ 9, so p(T = 8) = 50/1024 and
   * p(T = 9) = 66/1024.
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.wilcoxon([1,2,3,4,5,6,7,-8,9,10]).pvalue,
   *   stats.wilcoxon([1,2,3,4,5,6,7,8,-9,10]).pvalue)' → 0.048828125 0.064453125 */
  const double t8[] = { 1, 2, 3, 4, 5, 6, 7, -8, 9, 10 };
  double p8 = wilcoxon_d (t8, 10, &w);
  g_assert_cmpfloat (w.statistic, ==, 55.0 - 8.0);
  g_assert_cmpfloat_with_epsilon (p8, 50.0 / 1024.0, 1e-15);
  const double t9[] = { 1, 2, 3, 4, 5, 6, 7, 8, -9, 10 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (t9, 10, &w), 66.0 / 1024.0, 1e-15);

  /* n = 50 (the largest exact case): negatives at ranks 1, 5, …, 49 (sum 325), W+ = 950.
   * /usr/bin/python3 -c 'from scipy import stats; print(repr(stats.wilcoxon([(i+1)*(-1 if i%4==0 else 1)
   *   for i in range(50)]).pvalue))' → 0.0021224348550905603 */
  double d50[50];
  for (int i = 0; i < 50; i++)
    d50[i] = (i + 1) * (i % 4 == 0 ? -1.0 : 1.0);
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (d50, 50, &w), 0.0021224348550905603, 1e-14);
  g_assert_cmpfloat (w.statistic, ==, 950.0);
  g_assert_true (w.exact);
}

static void
test_wilcoxon_exact_ties (void)
{
  ScalrStatsTest w;
  /* SciPy 1.10's mode='auto' keeps the exact distribution when |d| tie (no zeros, n ≤ 50)
   * and reads it at ⌊W+⌋. d = {1, −1, 2, 3, 4}: ranks 1.5, 1.5, 3, 4, 5, W+ = 13.5 → 13:
   * P(W ≥ 13) = P(W ≤ 2) = 3/32, p = 6/32. The other way round W+ = 1.5 → 1: P(W ≤ 1) = 2/32,
   * p = 4/32 — not symmetric, as in SciPy.
   * /usr/bin/python3 -c 'from scipy import stats; print(stats.wilcoxon([1,-1,2,3,4]).pvalue,
   *   stats.wilcoxon([-1,1,-2,-3,-4]).pvalue)' → 0.1875 0.125 */
  const double d[] = { 1, -1, 2, 3, 4 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (d, 5, &w), 0.1875, 1e-15);
  g_assert_cmpfloat (w.statistic, ==, 13.5);
  g_assert_true (w.exact);
  const double e[] = { -1, 1, -2, -3, -4 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (e, 5, &w), 0.125, 1e-15);
}

static void
test_wilcoxon_normal (void)
{
  ScalrStatsTest w;
  /* Zeros force the normal approximation (SciPy 1.10, mode='auto'). d has 14 non-zero
   * values; |d| ranks: 1,1,1 → 2; 2,2,2,2 → 5.5; 3,3 → 8.5; 4 → 10; 5 → 11; 6 → 12;
   * 7,7 → 13.5. W− = 2 + 5.5 + 8.5 = 16, W+ = 105 − 16 = 89, T = 16. Mean 14·15/4 = 52.5;
   * σ² = (14·15·29 − ½ (24 + 60 + 6 + 6)) / 24 = 251.75; z = −36.5/√251.75, no continuity
   * correction.
   * /usr/bin/python3 -c 'from scipy import stats; print(repr(stats.wilcoxon([1,1,2,2,2,-3,4,5,0,6,7,7,-1,0,3,-2]).pvalue))'
   * → 0.021424139983881464 */
  const double d[] = { 1, 1, 2, 2, 2, -3, 4, 5, 0, 6, 7, 7, -1, 0, 3, -2 };
  double p = wilcoxon_d (d, G_N_ELEMENTS (d), &w);
  g_assert_cmpfloat (w.statistic, ==, 89.0);
  g_assert_false (w.exact);
  g_assert_cmpfloat_with_epsilon (p, 2.0 * scalr_stats_norm_cdf (-36.5 / sqrt (251.75)), 1e-12);
  g_assert_cmpfloat_with_epsilon (p, 0.021424139983881464, 1e-12);

  /* n = 51 > 50 without ties: normal. Negatives at ranks 1, 5, …, 49 (sum 325), W+ = 1001.
   * /usr/bin/python3 -c 'from scipy import stats; print(repr(stats.wilcoxon([(i+1)*(-1 if i%4==0 else 1)
   *   for i in range(51)]).pvalue))' → 0.0015336918338196097 */
  double d51[51];
  for (int i = 0; i < 51; i++)
    d51[i] = (i + 1) * (i % 4 == 0 ? -1.0 : 1.0);
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (d51, 51, &w), 0.0015336918338196097, 1e-12);
  g_assert_cmpfloat (w.statistic, ==, 1001.0);

  /* n = 60: negatives at every third rank 1, 4, …, 58; W+ = 1240.
   * /usr/bin/python3 -c 'from scipy import stats; print(repr(stats.wilcoxon([(i+1)*(1 if i%3 else -1)
   *   for i in range(60)]).pvalue))' → 0.016733071607703435 */
  double d60[60];
  for (int i = 0; i < 60; i++)
    d60[i] = (i + 1) * (i % 3 ? 1.0 : -1.0);
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (d60, 60, &w), 0.016733071607703435, 1e-12);
  g_assert_cmpfloat (w.statistic, ==, 1240.0);
}

static void
test_wilcoxon_float_ties (void)
{
  ScalrStatsTest w;
  /* Per-user metrics x = {0.2, 0.1, 0, 0, 0, 0.5}, y = {0.3, 0, 0.2, 0.3, 0.4, 0.5}: the
   * differences 0.3 − 0.2 = 0.09999999999999998 and 0 − 0.1 = −0.1 are one tie group, and
   * the last pair is a zero (so the normal approximation). Tied: ranks 1.5, 1.5, 3, 4, 5,
   * W+ = 13.5, T = 1.5, σ² = (330 − ½ · 6) / 24. SciPy on the differences as the convention
   * makes them, and (for contrast) on the raw ones:
   * /usr/bin/python3 -c 'from scipy import stats; print(repr(stats.wilcoxon([0.09999999999999998,
   *   -0.09999999999999998,0.2,0.3,0.4,0]).pvalue))' → 0.10405923452892792
   * /usr/bin/python3 -c 'from scipy import stats; print(repr(stats.wilcoxon([0.3,0,0.2,0.3,0.4,0.5],
   *   [0.2,0.1,0,0,0,0.5]).pvalue))' → 0.13801073756865956 (the tie lost) */
  const double x[] = { 0.2, 0.1, 0.0, 0.0, 0.0, 0.5 };
  const double y[] = { 0.3, 0.0, 0.2, 0.3, 0.4, 0.5 };
  scalr_stats_wilcoxon (x, y, 6, &w);
  g_assert_cmpfloat_with_epsilon (w.p, 0.10405923452892792, 1e-12);
  g_assert_cmpfloat (w.statistic, ==, 13.5);
  g_assert_false (w.exact);
  g_assert_cmpfloat (fabs (w.p - 0.13801073756865956), >, 0.01);
}

static void
test_wilcoxon_zeros (void)
{
  ScalrStatsTest w;
  /* With zeros SciPy 1.10 switches to the normal approximation even for n ≤ 50, and drops
   * the zeros: {0, 1, 0, 2, 3, 4, 5} is m = 5, T = 0, z = −7.5/√13.75.
   * /usr/bin/python3 -c 'from scipy import stats; print(repr(stats.wilcoxon([0,1,0,2,3,4,5]).pvalue))'
   * → 0.043114446783075355 */
  const double d[] = { 0, 1, 0, 2, 3, 4, 5 };
  g_assert_cmpfloat_with_epsilon (wilcoxon_d (d, 7, &w), 0.043114446783075355, 1e-12);
  g_assert_cmpfloat (w.statistic, ==, 15.0);
  g_assert_false (w.exact);
  /* Every difference 0: undefined (SciPy raises "zero_method 'wilcox' … do not work if x - y
   * is zero for all elements"), never p = 1. */
  const double zeros[] = { 0, 0, 0 };
  g_assert_true (isnan (wilcoxon_d (zeros, 3, &w)));
  g_assert_cmpint (w.status, ==, SCALR_STATS_ALL_ZERO);
  scalr_stats_wilcoxon (NULL, NULL, 0, &w);
  g_assert_true (isnan (w.p));
  g_assert_cmpint (w.status, ==, SCALR_STATS_NO_PAIRS);
}

/* ---- lift ----------------------------------------------------------------------- */

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
  g_test_add_func ("/scalr/stats/paired-differences", test_paired_differences);
  g_test_add_func ("/scalr/stats/status-and-label", test_status_and_label);
  g_test_add_func ("/scalr/stats/paired-t", test_paired_t);
  g_test_add_func ("/scalr/stats/paired-t/degenerate", test_paired_t_degenerate);
  g_test_add_func ("/scalr/stats/wilcoxon/exact-small", test_wilcoxon_exact_small);
  g_test_add_func ("/scalr/stats/wilcoxon/exact-table", test_wilcoxon_exact_table);
  g_test_add_func ("/scalr/stats/wilcoxon/exact-ties", test_wilcoxon_exact_ties);
  g_test_add_func ("/scalr/stats/wilcoxon/normal", test_wilcoxon_normal);
  g_test_add_func ("/scalr/stats/wilcoxon/float-ties", test_wilcoxon_float_ties);
  g_test_add_func ("/scalr/stats/wilcoxon/zeros", test_wilcoxon_zeros);
  g_test_add_func ("/scalr/stats/lift", test_lift);
  g_test_add_func ("/scalr/stats/holm", test_holm);
  g_test_add_func ("/scalr/stats/holm/nan-and-cap", test_holm_nan_and_cap);
  return g_test_run ();
}
