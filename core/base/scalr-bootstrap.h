/* scalr-bootstrap.h — the paired bootstrap of a lift by Poisson(1) user weights.
 *
 * Resample b gives user u the weight w_b(u) ~ Poisson(1), a function of (seed, b, u) alone,
 * where u is the user's dense dataset id: every lift row of a run (and of any run with the
 * same [eval] seed) sees the same resamples, whichever other rows are computed, so identical
 * comparisons get identical intervals. A row's resampled lift is
 *   lift_b = Σ_u w_b(u) y_u / Σ_u w_b(u) x_u − 1
 * over the row's users (x the baseline's, y the augmented model's per-user values), and the
 * interval is the percentile interval of the lift_b at the level (type-7 quantiles at
 * (1 − level)/2 and (1 + level)/2). Resamples whose Σ w x is 0 have no lift and are left out;
 * with fewer than half the resamples left, the interval is undefined.
 *
 * Many rows at once: the sums Σ_u w_b(u) v_u of every value column v are one product
 * W (resamples × users) · V (users × columns), computed by blocks of users through the BLAS
 * wrapper (scalr_bootstrap_accumulate). */
#pragma once

#include <gio/gio.h>

#include "scalr-stats.h"

G_BEGIN_DECLS

/* The Poisson(1) weight of dataset user @user in resample @b: a uniform from a hash of
 * (seed, b, user) (splitmix64) turned into a count by inverting the Poisson(1) CDF. */
guint    scalr_bootstrap_weight (guint64 seed, guint b, guint32 user);

/* w[b · ldw + i] = scalr_bootstrap_weight (seed, b0 + b, users[i]) for b < nb, i < n. */
void     scalr_bootstrap_weights (guint64 seed, guint b0, guint nb, const guint32 *users, gsize n,
                                  double *w, gsize ldw);

/* sums (n_boot × n_cols, row-major, leading dimension @n_cols) += W · V, where W holds the
 * weights of @users (n) in resamples 0 … n_boot − 1 and V is n × n_cols (row-major, leading
 * dimension @n_cols). Blocks of users, one dgemm each. On error (a dimension past what BLAS
 * takes, or @cancellable cancelled between blocks) returns FALSE and sets @error; @sums
 * then holds a partial sum. */
gboolean scalr_bootstrap_accumulate (guint64 seed, guint n_boot, const guint32 *users, gsize n,
                                     const double *v, gsize n_cols, double *sums,
                                     GCancellable *cancellable, GError **error);

/* The percentile interval from the per-resample sums of the baseline (@sx) and augmented
 * (@sy) columns, read at sx[b · stride] and sy[b · stride] for b < n_boot. Returns
 * SCALR_STATS_OK with *lo ≤ *hi, or the reason it is undefined (n_boot 0, or fewer than half
 * the resamples with Σ w x ≠ 0) with NAN bounds. 0 < @level < 1. */
ScalrStatsStatus scalr_bootstrap_interval (const double *sx, const double *sy, gsize stride, guint n_boot,
                                           double level, double *lo, double *hi);

/* One row by itself (the definition above, without BLAS; for tests and small jobs):
 * x, y and the users' dense ids, n pairs. Undefined (NAN bounds, the reason returned) with
 * fewer than 2 pairs, n_boot 0, or too few resamples with a lift. */
ScalrStatsStatus scalr_bootstrap_lift (const double *x, const double *y, const guint32 *users, gsize n,
                                       guint n_boot, double level, guint64 seed, double *lo, double *hi);

G_END_DECLS
