/* scalr-synthetic-private.h — the diagnostics computed from plain matrices, for tests.
 *
 * scalr_diagnostics_new gathers these inputs from a split; tests build them by hand. */
#pragma once

#include "scalr-synthetic.h"

G_BEGIN_DECLS

typedef struct {
  const ScalrSyntheticEvents *events;   /* valid for train's shape */
  const ScalrCsr   *train;              /* users × target items: real training events */
  const ScalrCsr   *test;               /* users × target items: held-out test events, or NULL */
  const guint8     *user_flags;         /* train->n_rows SCALR_USER_* flags, or NULL (then a user
                                         * is tested when it has test events; nobody is sparse) */
  const ScalrCsr   *item_categories;    /* target items × categories, or NULL (no metadata) */
  const char *const *category_names;    /* item_categories->n_cols names */
  guint             n_buckets;          /* 0..SCALR_MAX_BUCKETS */
} ScalrDiagnosticsInput;

ScalrDiagnostics *_scalr_diagnostics_compute (const ScalrDiagnosticsInput *in) G_GNUC_WARN_UNUSED_RESULT;
/* Zeroed diagnostics with empty category arrays (for the JSON reader). */
ScalrDiagnostics *_scalr_diagnostics_alloc   (void) G_GNUC_WARN_UNUSED_RESULT;

/* Rank–frequency points of @n counts sorted ascending: ranks (from 1, by descending count)
 * of the positive counts, up to SCALR_CURVE_POINTS log-spaced ones including the first and
 * the last. Returns the number of points written to @rank and @count. */
guint             _scalr_rank_frequency (const double *sorted_asc, gsize n,
                                         double rank[SCALR_CURVE_POINTS],
                                         double count[SCALR_CURVE_POINTS]);

/* Overlap of synthetic pairs with test events: hits = |a ∩ b| of two sorted id lists. */
guint64           _scalr_sorted_intersection (const guint32 *a, gsize na,
                                              const guint32 *b, gsize nb);

G_END_DECLS
