/* scalr-recommenders-private.h — the recommender classes (for the registry) and the
 * explicit-parameter entry points behind them (for tests and benchmarks). */
#pragma once

#include "scalr-recommender.h"

G_BEGIN_DECLS

extern const ScalrRecommenderClass scalr_pop_recommender;
extern const ScalrRecommenderClass scalr_itemknn_recommender;
extern const ScalrRecommenderClass scalr_ease_recommender;

/* ---- pop ---------------------------------------------------------------------------- */

/* The popularity vector (n_items Σ_u w_ui), borrowed. */
const float *_scalr_pop_get_scores (gpointer model, guint *n_items);

/* ---- itemknn ------------------------------------------------------------------------ */

typedef struct {
  guint  neighbors;  /* N: neighbours kept per item, ≥ 1 */
  double shrink;     /* ≥ 0 */
  guint  n_threads;  /* fit threads; 0: the thread policy (scalr-parallel.h) */
} ScalrItemKnnOptions;

/* Fits item-kNN with explicit options; the class's fit reads them from the config
 * (n_threads = 0: the thread policy). On error (only cancellation) returns NULL and sets
 * @error. */
gpointer _scalr_itemknn_fit (const ScalrCsr *matrix, const ScalrItemKnnOptions *options,
                             ScalrProgress *progress, GCancellable *cancellable, GError **error);
/* The neighbours of @item, by similarity descending then item ascending (borrowed);
 * returns their number. */
guint    _scalr_itemknn_get_neighbors (gpointer model, guint item, const guint32 **items, const float **sims);

/* ---- ease --------------------------------------------------------------------------- */

typedef enum {
  SCALR_EASE_PRECISION_AUTO,     /* float, checked; double when the check fails */
  SCALR_EASE_PRECISION_FLOAT,    /* float, unchecked */
  SCALR_EASE_PRECISION_DOUBLE,
} ScalrEasePrecision;

/* The float path's checks (scalr-rec-ease.c): LAPACK's reciprocal condition estimate of G
 * in the 1-norm must be at least this (κ₁ ≤ 10⁴, so κ·ε_float ≤ 6·10⁻⁴) … */
#define SCALR_EASE_FLOAT_MIN_RCOND 1e-4
/* … and max_j ‖G p_j − e_j‖∞ over the sampled columns at most this. */
#define SCALR_EASE_FLOAT_MAX_RESIDUAL 1e-3

typedef struct {
  double l2;                  /* λ > 0 */
  guint  max_items;
  /* Users with at least this many events enter the Gram matrix through dense blocks and
   * dsyrk, the others through sparse accumulation; 0: automatic. G_MAXUINT: all sparse. */
  guint  dense_gram_min_len;
  /* Users with at least this many events are scored with sgemm, the others by sparse sums
   * of rows of B; 0: automatic, G_MAXUINT: all sparse. 1: all sgemm. */
  guint  dense_score_min_len;
  ScalrEasePrecision precision;
} ScalrEaseOptions;

gpointer     _scalr_ease_fit (const ScalrCsr *matrix, const ScalrEaseOptions *options,
                              ScalrProgress *progress, GCancellable *cancellable, GError **error);
/* TRUE when B came through the float inverse; the float path's condition estimate and
 * residual (NAN where it did not get that far; either pointer may be NULL). */
gboolean     _scalr_ease_get_precision (gpointer model, double *rcond, double *residual);
/* B (n_items × n_items, row-major), borrowed. */
const float *_scalr_ease_get_weights (gpointer model, guint *n_items);

G_END_DECLS
