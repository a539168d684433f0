/* scalr-stats.c — paired differences with their ties, paired t-test, Wilcoxon
 * signed-rank (both as SciPy 1.10's defaults), Holm.
 *
 * Special functions are written here (no GSL): the regularized incomplete beta by
 * Lentz's modified continued fraction (Numerical Recipes §6.4), the t distribution
 * through it, the normal distribution through erfc. */
#include "config.h"

#include "scalr-stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* lgamma without the global signgam it writes (the lift rows run on several threads; every
 * argument here is positive, so the sign is not needed). */
static double
log_gamma (double x)
{
  int sign;
  return lgamma_r (x, &sign);
}

/* lgamma(x) − ((x − ½) log x − x + ½ log 2π), Stirling's series for x ≥ 100 (error below
 * 1e-21 there). */
static double
stirling_delta (double x)
{
  double x2 = 1.0 / (x * x);
  return (1.0 / 12 - x2 * (1.0 / 360 - x2 * (1.0 / 1260 - x2 / 1680))) / x;
}

/* log B(a, b). With one argument large (a t-test over many users: a = df/2, b = ½),
 * lgamma(a + b) − lgamma(a) cancels two numbers near a log a and loses about log10(a log a)
 * digits; written with log1p and Stirling's corrections it keeps full precision. */
static double
log_beta (double a, double b)
{
  double big = MAX (a, b), small = MIN (a, b);
  if (big < 100.0 || small >= 100.0)
    return log_gamma (a) + log_gamma (b) - log_gamma (a + b);
  /* lgamma(big) − lgamma(big + small)
   *   = −(big − ½) log1p(small/big) − small log(big + small) + small + δ(big) − δ(big + small). */
  double diff = -(big - 0.5) * log1p (small / big) - small * log (big + small) + small
                + stirling_delta (big) - stirling_delta (big + small);
  return log_gamma (small) + diff;
}

/* I_x(a, b) with y = 1 − x given separately, so that a caller who knows y more precisely
 * than 1 − x rounds to (a t tail: x = df/(df + t²), y = t²/(df + t²)) keeps its digits. */
static double
incbeta_xy (double a, double b, double x, double y)
{
  /* Front factor x^a y^b / B(a, b), in logs; each log from the side that is not near 1. */
  double lx = x < 0.5 ? log (x) : log1p (-y);
  double ly = y < 0.5 ? log (y) : log1p (-x);
  double bt = exp (-log_beta (a, b) + a * lx + b * ly);
  /* Symmetry I_x(a, b) = 1 − I_y(b, a): use the side where the fraction converges. */
  if (x < (a + 1.0) / (a + b + 2.0))
    return bt * incbeta_cf (a, b, x) / a;
  else
    return 1.0 - bt * incbeta_cf (b, a, y) / b;
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
  return incbeta_xy (a, b, x, 1.0 - x);
}

/* Two-sided tail P(|T| ≥ |t|) for Student's t with @df degrees of freedom:
 * I_{df/(df+t²)}(df/2, 1/2). */
static double
t_two_sided (double t, double df)
{
  if (isnan (t) || isnan (df) || df <= 0.0)
    return NAN;
  if (isinf (t))
    return 0.0;
  if (isinf (df))
    return erfc (fabs (t) / G_SQRT2);
  if (t == 0.0)
    return 1.0;
  double t2 = t * t;
  return incbeta_xy (0.5 * df, 0.5, df / (df + t2), t2 / (df + t2));
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

/* ---- paired differences and their ties ---------------------------------------- */

const char *
scalr_stats_status_to_string (ScalrStatsStatus status)
{
  switch (status)
    {
    case SCALR_STATS_OK: return "";
    case SCALR_STATS_NO_PAIRS: return "no user with both values defined";
    case SCALR_STATS_TOO_FEW: return "fewer than 2 users";
    case SCALR_STATS_ALL_ZERO: return "every paired difference is 0";
    case SCALR_STATS_ZERO_BASELINE: return "the baseline's mean is 0";
    case SCALR_STATS_NO_RESAMPLES: return "no bootstrap ([eval] bootstrap = 0)";
    case SCALR_STATS_FEW_RESAMPLES: return "the baseline's mean was 0 in most bootstrap resamples";
    }
  return "unknown";
}

typedef struct {
  double abs;
  gsize  index;
} AbsIndex;

static int
cmp_abs_index (const void *a, const void *b)
{
  const AbsIndex *x = a, *y = b;
  if (x->abs != y->abs)
    return (x->abs > y->abs) - (x->abs < y->abs);
  return (x->index > y->index) - (x->index < y->index);
}

void
scalr_stats_paired_differences (const double *x, const double *y, gsize n, double *d)
{
  g_return_if_fail (n == 0 || (x != NULL && y != NULL && d != NULL));

  g_autofree AbsIndex *v = g_new (AbsIndex, MAX (n, 1));
  gsize m = 0;
  for (gsize i = 0; i < n; i++)
    {
      d[i] = y[i] - x[i];
      if (fabs (d[i]) <= SCALR_STATS_TIE_TOL * MAX (fabs (x[i]), fabs (y[i])))
        d[i] = 0.0;
      else
        v[m++] = (AbsIndex) { fabs (d[i]), i };
    }
  qsort (v, m, sizeof *v, cmp_abs_index);
  double start = 0.0;
  for (gsize k = 0; k < m; k++)
    {
      if (k == 0 || v[k].abs - start > SCALR_STATS_TIE_TOL * start)
        start = v[k].abs;
      d[v[k].index] = copysign (start, d[v[k].index]);
    }
}

static void
test_init (ScalrStatsTest *out)
{
  out->p = NAN;
  out->statistic = NAN;
  out->exact = FALSE;
  out->status = SCALR_STATS_OK;
}

/* ---- paired t-test -------------------------------------------------------------- */

void
scalr_stats_paired_t (const double *x, const double *y, gsize n, ScalrStatsTest *out)
{
  g_return_if_fail (out != NULL);
  test_init (out);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  if (n < 2)
    {
      out->status = n == 0 ? SCALR_STATS_NO_PAIRS : SCALR_STATS_TOO_FEW;
      return;
    }
  /* Degenerate cases are decided on the differences with the tie convention: all 0 is
   * SciPy's 0/0, all equal a zero variance. */
  g_autofree double *d = g_new (double, n);
  scalr_stats_paired_differences (x, y, n, d);
  gboolean all_equal = TRUE;
  for (gsize i = 1; i < n && all_equal; i++)
    all_equal = d[i] == d[0];
  if (all_equal && d[0] == 0.0)
    {
      out->status = SCALR_STATS_ALL_ZERO;
      return;
    }
  if (all_equal)
    {
      out->statistic = d[0] > 0.0 ? INFINITY : -INFINITY;
      out->p = 0.0;
      return;
    }

  /* Otherwise the raw differences, in two passes as NumPy's mean and var(ddof=1). */
  double mean = 0.0;
  for (gsize i = 0; i < n; i++)
    mean += y[i] - x[i];
  mean /= (double) n;
  double ss = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double e = (y[i] - x[i]) - mean;
      ss += e * e;
    }
  double df = (double) (n - 1);
  double t = mean / sqrt (ss / df / (double) n);
  out->statistic = t;
  out->p = t_two_sided (t, df);
}

/* ---- Wilcoxon signed-rank ------------------------------------------------------- */

#define WILCOXON_EXACT_MAX 50   /* SciPy 1.10's mode='auto': exact for n ≤ 50 pairs */

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

/* Exact two-sided p at W+ = @w (an integer) for @n ranks 1..n: the null distribution
 * counts the subsets of {1..n} with each sum (one bit per rank, each sign equally likely),
 * built by dynamic programming over the ranks. Counts ≤ 2^50 are exact in doubles. */
static double
wilcoxon_exact_p (gsize n, gsize w)
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
  double total = ldexp (1.0, (int) n);
  double lower = 0.0, upper = 0.0;
  for (gsize s = 0; s <= max_sum; s++)
    {
      if (s <= w)
        lower += count[s];
      if (s >= w)
        upper += count[s];
    }
  return MIN (1.0, 2.0 * MIN (lower, upper) / total);
}

void
scalr_stats_wilcoxon (const double *x, const double *y, gsize n, ScalrStatsTest *out)
{
  g_return_if_fail (out != NULL);
  test_init (out);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  if (n == 0)
    {
      out->status = SCALR_STATS_NO_PAIRS;
      return;
    }
  g_autofree double *d = g_new (double, n);
  scalr_stats_paired_differences (x, y, n, d);
  g_autofree SignedAbs *v = g_new (SignedAbs, n);
  gsize m = 0;
  for (gsize i = 0; i < n; i++)
    if (d[i] != 0.0)
      v[m++] = (SignedAbs) { fabs (d[i]), d[i] > 0.0 };
  if (m == 0)
    {
      out->status = SCALR_STATS_ALL_ZERO;
      return;
    }
  qsort (v, m, sizeof *v, cmp_signed_abs);

  /* Average ranks over tie groups; W+ and the tie term Σ t (t² − 1). */
  double w_plus = 0.0, tie_term = 0.0;
  for (gsize i = 0; i < m;)
    {
      gsize j = i + 1;
      while (j < m && v[j].abs == v[i].abs)
        j++;
      double rank = 0.5 * ((double) (i + 1) + (double) j);  /* ranks i+1 .. j */
      double t = (double) (j - i);
      tie_term += t * (t * t - 1.0);
      for (gsize k = i; k < j; k++)
        if (v[k].positive)
          w_plus += rank;
      i = j;
    }
  out->statistic = w_plus;

  /* SciPy 1.10, mode='auto': exact for n ≤ 50 unless a difference is zero. */
  out->exact = n <= WILCOXON_EXACT_MAX && m == n;
  if (out->exact)
    {
      out->p = wilcoxon_exact_p (m, (gsize) floor (w_plus));
      return;
    }
  double dm = (double) m;
  double w_minus = dm * (dm + 1.0) / 2.0 - w_plus;
  double mean = dm * (dm + 1.0) / 4.0;
  double var = (dm * (dm + 1.0) * (2.0 * dm + 1.0) - 0.5 * tie_term) / 24.0;
  double z = (MIN (w_plus, w_minus) - mean) / sqrt (var);
  out->p = erfc (fabs (z) / G_SQRT2);   /* 2 (1 − Φ(|z|)) */
}

/* ---- lift ----------------------------------------------------------------------- */

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

char *
scalr_stats_ci_label (double level)
{
  if (!(level > 0.0 && level < 1.0))
    return g_strdup ("CI");
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (num, sizeof num, "%.4g", 100.0 * level);
  return g_strdup_printf ("%s %% CI", num);
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
