/* scalr-stats.h — the statistics behind a lift: paired t-test, Wilcoxon signed-rank test
 * (both as SciPy 1.10's defaults, with a stated tie convention), Holm adjustment. Pure
 * functions on arrays of finite values. The bootstrap is in scalr-bootstrap.h. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The @level quantile (0..1) of @n sorted values, by linear interpolation (R type 7);
 * NAN when n is 0. */
double scalr_quantile_sorted (const double *sorted, gsize n, double level);

/* Regularized incomplete beta I_x(a, b) and Student's t CDF, for p-values. */
double scalr_stats_incbeta   (double a, double b, double x);
double scalr_stats_t_cdf     (double t, double df);
/* Standard normal CDF. */
double scalr_stats_norm_cdf  (double z);

/* Why a statistic is undefined (its value is then NAN). */
typedef enum {
  SCALR_STATS_OK,
  SCALR_STATS_NO_PAIRS,        /* no pair with both values defined */
  SCALR_STATS_TOO_FEW,         /* fewer pairs than the statistic needs (t: 2, bootstrap: 2) */
  SCALR_STATS_ALL_ZERO,        /* every paired difference is 0 */
  SCALR_STATS_ZERO_BASELINE,   /* the baseline's mean is 0, so a relative lift is not defined */
  SCALR_STATS_NO_RESAMPLES,    /* [eval] bootstrap = 0 */
  SCALR_STATS_FEW_RESAMPLES,   /* fewer than half the resamples had a baseline mean above 0 */
} ScalrStatsStatus;

/* A short English reason ("every paired difference is 0"); "" for SCALR_STATS_OK. */
const char *scalr_stats_status_to_string (ScalrStatsStatus status);

/* The tie and zero convention of the paired tests (README, "Statistics"): per-user metrics
 * are rationals or sums computed in double, so equal differences such as 0.3 − 0.2 and
 * 0.1 − 0 can differ in the last bits. A difference d = y − x is 0 when
 * |d| ≤ SCALR_STATS_TIE_TOL · max(|x|, |y|); the non-zero |d| are sorted and grouped, a
 * group starting at its smallest value a and taking every next value ≤ a (1 + tol); every
 * member of a group takes the value a (with its own sign). */
#define SCALR_STATS_TIE_TOL 1e-9

/* Writes the n differences y − x with the convention above into @d (may not alias x or y). */
void   scalr_stats_paired_differences (const double *x, const double *y, gsize n, double *d);

typedef struct {
  double           p;          /* two-sided p-value; NAN when undefined */
  double           statistic;  /* t, or W+ (the sum of the positive ranks) */
  gboolean         exact;      /* Wilcoxon: the exact null distribution (else normal) */
  ScalrStatsStatus status;     /* why p is NAN, or SCALR_STATS_OK */
} ScalrStatsTest;

/* Two-sided paired t-test of y against x, as scipy.stats.ttest_rel(y, x) (SciPy 1.10):
 * t = mean(d) / √(var(d) / n) with var on n − 1 degrees of freedom, d = y − x. Undefined
 * (p NAN) with fewer than 2 pairs (SCALR_STATS_TOO_FEW, or _NO_PAIRS for 0) and when every
 * difference is 0 by the tie convention (_ALL_ZERO; SciPy's 0/0); when every difference is
 * the same non-zero value (by the convention) t = ±∞ and p = 0. */
void   scalr_stats_paired_t  (const double *x, const double *y, gsize n, ScalrStatsTest *out);

/* Two-sided Wilcoxon signed-rank test of y against x exactly as SciPy 1.10's default
 * scipy.stats.wilcoxon(y, x) (zero_method='wilcox', correction=False, mode='auto'), on the
 * differences of scalr_stats_paired_differences:
 *  - n ≤ 50 pairs and no zero difference: the exact null distribution of W+ over n ranks,
 *    at ⌊W+⌋ (SciPy 1.10 does so even when |d| tie: average ranks make W+ a half-integer);
 *    p = 2 min(P(W ≤ w), P(W ≥ w)), capped at 1;
 *  - otherwise (n > 50, or a zero difference): zeros dropped (Wilcoxon's method), m non-zero
 *    differences ranked with average ranks, T = min(W+, W−), z = (T − m(m+1)/4) / σ with
 *    σ² = (m(m+1)(2m+1) − ½ Σ t(t² − 1)) / 24 over the tie groups of size t, no continuity
 *    correction, p = 2 (1 − Φ(|z|)).
 * Undefined with no pair (_NO_PAIRS) or when every difference is 0 (_ALL_ZERO; SciPy raises).
 * statistic is W+. */
void   scalr_stats_wilcoxon  (const double *x, const double *y, gsize n, ScalrStatsTest *out);

/* Relative lift of means, mean(y)/mean(x) − 1 (NAN when n or mean(x) is 0). */
double scalr_stats_lift      (const double *x, const double *y, gsize n);

/* "95 % CI" for @level 0.95, "99.9 % CI" for 0.999 (owned); "CI" when @level is not in
 * (0, 1). Every printed interval is labelled by its stored level through this. */
char  *scalr_stats_ci_label  (double level) G_GNUC_WARN_UNUSED_RESULT;

/* Holm–Bonferroni step-down adjustment of @n p-values, written to @adjusted in the input
 * order (@adjusted may be @p); NAN entries are ignored (not counted in m) and left NAN. */
void   scalr_stats_holm      (const double *p, gsize n, double *adjusted);

G_END_DECLS
