/* scalr-stats.c — paired bootstrap, paired t-test, Wilcoxon signed-rank, Holm.
 *
 * Special functions are written here (no GSL): the regularized incomplete beta by
 * Lentz's modified continued fraction (Numerical Recipes §6.4), the t distribution
 * through it, the normal distribution through erfc. */
#include "config.h"

#include "scalr-stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalr-rng.h"

/* ---- special functions ---------------------------------------------------------- */

#define INCBETA_MAX_ITER 300
#define INCBETA_EPS      1e-15
#define INCBETA_TINY     1e-300

/* Continued fraction for I_x(a, b) (NR betacf), evaluated by the modified Lentz method;
 * converges quickly for x < (a + 1) / (a + b + 2). */
static double
incbeta_cf (double a, double b, double x)
{
  double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (fabs (d) < INCBETA_TINY)
    d = INCBETA_TINY;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= INCBETA_MAX_ITER; m++)
    {
      int m2 = 2 * m;
      /* Even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m)). */
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1.0 + aa * d;
      if (fabs (d) < INCBETA_TINY)
        d = INCBETA_TINY;
      c = 1.0 + aa / c;
      if (fabs (c) < INCBETA_TINY)
        c = INCBETA_TINY;
      d = 1.0 / d;
      h *= d * c;
      /* Odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)). */
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1.0 + aa * d;
      if (fabs (d) < INCBETA_TINY)
        d = INCBETA_TINY;
      c = 1.0 + aa / c;
      if (fabs (c) < INCBETA_TINY)
        c = INCBETA_TINY;
      d = 1.0 / d;
      double del = d * c;
      h *= del;
      if (fabs (del - 1.0) < INCBETA_EPS)
        break;
    }
  return h;
}

double
scalr_quantile_sorted (const double *sorted, gsize n, double level)
{
  if (n == 0)
    return NAN;
  double h = (double) (n - 1) * level;
  gsize lo = (gsize) floor (h);
  gsize hi = MIN (lo + 1, n - 1);
  return sorted[lo] + (h - (double) lo) * (sorted[hi] - sorted[lo]);
}

double
scalr_stats_incbeta (double a, double b, double x)
{
  if (isnan (a) || isnan (b) || isnan (x) || a <= 0.0 || b <= 0.0)
    return NAN;
  if (x <= 0.0)
    return 0.0;
  if (x >= 1.0)
    return 1.0;
  /* Front factor x^a (1 − x)^b / (a B(a, b)), in logs. */
  double lbt = lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log1p (-x);
  double bt = exp (lbt);
  /* Symmetry I_x(a, b) = 1 − I_{1−x}(b, a): use the side where the fraction converges. */
  if (x < (a + 1.0) / (a + b + 2.0))
    return bt * incbeta_cf (a, b, x) / a;
  else
    return 1.0 - bt * incbeta_cf (b, a, 1.0 - x) / b;
}

/* Two-sided tail P(|T| ≥ |t|) for Student's t with @df degrees of freedom. */
static double
t_two_sided (double t, double df)
{
  if (isnan (t) || isnan (df) || df <= 0.0)
    return NAN;
  if (isinf (t))
    return 0.0;
  if (isinf (df))
    return erfc (fabs (t) / G_SQRT2);
  return scalr_stats_incbeta (0.5 * df, 0.5, df / (df + t * t));
}

double
scalr_stats_t_cdf (double t, double df)
{
  double tail = 0.5 * t_two_sided (t, df);
  if (isnan (tail))
    return NAN;
  return t > 0.0 ? 1.0 - tail : tail;
}

double
scalr_stats_norm_cdf (double z)
{
  return 0.5 * erfc (-z / G_SQRT2);
}

/* ---- paired t-test -------------------------------------------------------------- */

double
scalr_stats_paired_t (const double *x, const double *y, gsize n, double *t_out)
{
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), NAN);

  if (t_out)
    *t_out = NAN;
  if (n < 2)
    return 1.0;

  /* All differences equal: the variance is exactly 0 (test it exactly, not through a
   * rounded standard deviation). */
  double d0 = y[0] - x[0];
  gboolean all_equal = TRUE;
  for (gsize i = 1; i < n && all_equal; i++)
    all_equal = (y[i] - x[i]) == d0;
  if (all_equal)
    {
      if (d0 == 0.0)
        {
          if (t_out)
            *t_out = 0.0;
          return 1.0;
        }
      if (t_out)
        *t_out = d0 > 0.0 ? INFINITY : -INFINITY;
      return 0.0;
    }

  /* Welford: mean and sum of squared deviations in one stable pass. */
  double mean = 0.0, m2 = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double d = y[i] - x[i];
      double delta = d - mean;
      mean += delta / (double) (i + 1);
      m2 += delta * (d - mean);
    }
  double df = (double) (n - 1);
  double sd = sqrt (m2 / df);
  double t = mean / (sd / sqrt ((double) n));
  if (t_out)
    *t_out = t;
  return t_two_sided (t, df);
}

/* ---- Wilcoxon signed-rank ------------------------------------------------------- */

#define WILCOXON_EXACT_MAX 50

typedef struct {
  double abs;
  gboolean positive;
} SignedAbs;

static int
cmp_signed_abs (const void *a, const void *b)
{
  double x = ((const SignedAbs *) a)->abs, y = ((const SignedAbs *) b)->abs;
  return (x > y) - (x < y);
}

/* Exact two-sided p of W+ = @w for @n untied non-zero differences: the null distribution
 * counts the subsets of {1..n} with each sum (one bit per rank, each sign equally
 * likely), built by dynamic programming over the ranks. Counts ≤ 2^50 are exact in
 * doubles. */
static double
wilcoxon_exact_p (gsize n, double w)
{
  gsize max_sum = n * (n + 1) / 2;
  g_autofree double *count = g_new0 (double, max_sum + 1);
  count[0] = 1.0;
  for (gsize r = 1; r <= n; r++)
    {
      gsize top = r * (r + 1) / 2;
      for (gsize s = top; s >= r; s--)
        count[s] += count[s - r];
    }
  gsize wi = (gsize) w;  /* W+ is an integer without ties */
  double total = ldexp (1.0, (int) n);
  double lower = 0.0, upper = 0.0;
  for (gsize s = 0; s <= max_sum; s++)
    {
      if (s <= wi)
        lower += count[s];
      if (s >= wi)
        upper += count[s];
    }
  return MIN (1.0, 2.0 * MIN (lower, upper) / total);
}

double
scalr_stats_wilcoxon (const double *x, const double *y, gsize n, double *w_out)
{
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), NAN);

  g_autofree SignedAbs *v = g_new (SignedAbs, MAX (n, 1));
  gsize m = 0;
  for (gsize i = 0; i < n; i++)
    {
      double d = y[i] - x[i];
      if (d == 0.0)
        continue;  /* Wilcoxon's method: zero differences are dropped */
      v[m].abs = fabs (d);
      v[m].positive = d > 0.0;
      m++;
    }
  if (w_out)
    *w_out = 0.0;
  if (m == 0)
    return 1.0;

  qsort (v, m, sizeof *v, cmp_signed_abs);

  /* Average ranks over tie groups; W+ and the tie term Σ (t³ − t). */
  double w_plus = 0.0, tie_term = 0.0;
  gboolean ties = FALSE;
  for (gsize i = 0; i < m;)
    {
      gsize j = i + 1;
      while (j < m && v[j].abs == v[i].abs)
        j++;
      double rank = 0.5 * ((double) (i + 1) + (double) j);  /* ranks i+1 .. j */
      double t = (double) (j - i);
      if (j - i > 1)
        {
          ties = TRUE;
          tie_term += t * t * t - t;
        }
      for (gsize k = i; k < j; k++)
        if (v[k].positive)
          w_plus += rank;
      i = j;
    }
  if (w_out)
    *w_out = w_plus;

  if (m <= WILCOXON_EXACT_MAX && !ties)
    return wilcoxon_exact_p (m, w_plus);

  double dm = (double) m;
  double mean = dm * (dm + 1.0) / 4.0;
  double var = dm * (dm + 1.0) * (2.0 * dm + 1.0) / 24.0 - tie_term / 48.0;
  /* Continuity correction of 0.5 toward the mean (never past it). */
  double dev = MAX (0.0, fabs (w_plus - mean) - 0.5);
  double z = dev / sqrt (var);
  return MIN (1.0, erfc (z / G_SQRT2));  /* 2 (1 − Φ(z)) */
}

/* ---- lift and its bootstrap ----------------------------------------------------- */

double
scalr_stats_lift (const double *x, const double *y, gsize n)
{
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), NAN);

  double sx = 0.0, sy = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      sx += x[i];
      sy += y[i];
    }
  if (n == 0 || sx == 0.0)
    return NAN;
  return sy / sx - 1.0;  /* the 1/n of both means cancels */
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

gboolean
scalr_stats_bootstrap_lift (const double *x, const double *y, gsize n, guint n_boot,
                            double level, guint64 seed, double *lo, double *hi)
{
  g_return_val_if_fail (lo != NULL && hi != NULL, FALSE);
  *lo = *hi = NAN;
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), FALSE);
  g_return_val_if_fail (level > 0.0 && level < 1.0, FALSE);
  g_return_val_if_fail (n <= G_MAXUINT32, FALSE);

  if (n == 0 || n_boot == 0)
    return FALSE;

  ScalrRng rng;
  scalr_rng_init (&rng, seed, SCALR_STREAM_BOOTSTRAP, 0);

  g_autofree double *lifts = g_new (double, n_boot);
  guint n_ok = 0;
  for (guint b = 0; b < n_boot; b++)
    {
      double sx = 0.0, sy = 0.0;
      for (gsize k = 0; k < n; k++)
        {
          guint32 i = scalr_rng_below (&rng, (guint32) n);
          sx += x[i];
          sy += y[i];
        }
      if (sx == 0.0)
        continue;  /* baseline mean 0: no lift for this resample */
      lifts[n_ok++] = sy / sx - 1.0;
    }
  if (2 * (guint64) n_ok < (guint64) n_boot || n_ok == 0)
    return FALSE;

  qsort (lifts, n_ok, sizeof *lifts, cmp_double);
  double alpha = 1.0 - level;
  *lo = scalr_quantile_sorted (lifts, n_ok, 0.5 * alpha);
  *hi = scalr_quantile_sorted (lifts, n_ok, 1.0 - 0.5 * alpha);
  return TRUE;
}

/* ---- Holm ----------------------------------------------------------------------- */

typedef struct {
  double p;
  gsize index;
} IndexedP;

static int
cmp_indexed_p (const void *a, const void *b)
{
  const IndexedP *x = a, *y = b;
  if (x->p != y->p)
    return (x->p > y->p) - (x->p < y->p);
  return (x->index > y->index) - (x->index < y->index);
}

void
scalr_stats_holm (const double *p, gsize n, double *adjusted)
{
  g_return_if_fail (n == 0 || (p != NULL && adjusted != NULL));

  g_autofree IndexedP *s = g_new (IndexedP, MAX (n, 1));
  gsize m = 0;
  for (gsize i = 0; i < n; i++)
    if (!isnan (p[i]))
      {
        s[m].p = p[i];
        s[m].index = i;
        m++;
      }
  /* Read everything before writing, so @adjusted may be @p. */
  for (gsize i = 0; i < n; i++)
    if (isnan (p[i]))
      adjusted[i] = NAN;

  qsort (s, m, sizeof *s, cmp_indexed_p);
  double running = 0.0;
  for (gsize j = 0; j < m; j++)
    {
      double a = MIN (1.0, (double) (m - j) * s[j].p);  /* (m − j + 1) p_(j), 1-based j */
      running = MAX (running, a);
      adjusted[s[j].index] = running;
    }
}
