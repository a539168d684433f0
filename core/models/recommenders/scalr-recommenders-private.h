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
  guint  n_threads;  /* fit threads; 0: the number of processors (at most 8) */
} ScalrItemKnnOptions;

/* Fits item-kNN with explicit options; the class's fit reads them from the config
 * (n_threads = 0, or the SCALR_THREADS environment variable when set). On error (only
 * cancellation) returns NULL and sets @error. */
gpointer _scalr_itemknn_fit (const ScalrCsr *matrix, const ScalrItemKnnOptions *options,
                             ScalrProgress *progress, GCancellable *cancellable, GError **error);
/* The neighbours of @item, by similarity descending then item ascending (borrowed);
 * returns their number. */
guint    _scalr_itemknn_get_neighbors (gpointer model, guint item, const guint32 **items, const float **sims);

/* ---- ease --------------------------------------------------------------------------- */

typedef struct {
  double l2;                  /* λ > 0 */
  guint  max_items;
  /* Users with at least this many events enter the Gram matrix through dense blocks and
   * dsyrk, the others through sparse accumulation; 0: automatic. G_MAXUINT: all sparse. */
  guint  dense_gram_min_len;
  /* Users with at least this many events are scored with sgemm, the others by sparse sums
   * of rows of B; 0: automatic, G_MAXUINT: all sparse. 1: all sgemm. */
  guint  dense_score_min_len;
} ScalrEaseOptions;

gpointer     _scalr_ease_fit (const ScalrCsr *matrix, const ScalrEaseOptions *options,
                              ScalrProgress *progress, GCancellable *cancellable, GError **error);
/* B (n_items × n_items, row-major), borrowed. */
const float *_scalr_ease_get_weights (gpointer model, guint *n_items);

G_END_DECLS
