/* scalr-stats.h — the statistics behind a lift: paired bootstrap confidence intervals,
 * paired t-test, Wilcoxon signed-rank test, Holm adjustment. Pure functions on arrays. */
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

/* Two-sided paired t-test on the differences y − x (n pairs). Returns the p-value
 * (1 when n < 2; 0 or 1 when every difference is equal: 1 if they are all 0, else 0);
 * *t_out (may be NULL) gets the statistic (NAN when n < 2; 0 when every difference is 0;
 * ±INFINITY when every difference is the same non-zero value). */
double scalr_stats_paired_t  (const double *x, const double *y, gsize n, double *t_out);

/* Two-sided Wilcoxon signed-rank test on y − x: zero differences are dropped (Wilcoxon's
 * method), tied |differences| get average ranks. Exact distribution for n ≤ 50 non-zero
 * differences without ties, else the normal approximation with the tie correction of the
 * variance and a continuity correction of 0.5 toward the mean (never past it). Returns
 * the p-value (1 when no non-zero difference); *w_out (may be NULL) gets W+ (the sum of
 * positive ranks). */
double scalr_stats_wilcoxon  (const double *x, const double *y, gsize n, double *w_out);

/* Relative lift of means, mean(y)/mean(x) − 1 (NAN when mean(x) is 0). */
double scalr_stats_lift      (const double *x, const double *y, gsize n);

/* Paired bootstrap of the lift: @n_boot resamples of the n pairs (with replacement, the
 * stream (seed, SCALR_STREAM_BOOTSTRAP, 0): each resample draws n indices with
 * scalr_rng_below and takes Σy/Σx − 1), percentile interval at @level (0.95 → 2.5% and
 * 97.5%; linear interpolation between order statistics, type 7). Deterministic for a seed.
 * Resamples whose baseline mean is 0 are skipped. Returns FALSE when n or @n_boot is 0 or
 * fewer than half the resamples give a lift (then the bounds are NAN). 0 < @level < 1. */
gboolean scalr_stats_bootstrap_lift (const double *x, const double *y, gsize n, guint n_boot,
                                     double level, guint64 seed, double *lo, double *hi);

/* Holm–Bonferroni step-down adjustment of @n p-values, written to @adjusted in the input
 * order (@adjusted may be @p); NAN entries are ignored (not counted in m) and left NAN. */
void   scalr_stats_holm      (const double *p, gsize n, double *adjusted);

G_END_DECLS
