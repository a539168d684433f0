/* scalr-recommender.h — stage 2 of SCALR: downstream recommenders on one weighted
 * user × item matrix (real target training events weight 1, synthetic events their weight).
 *
 * A recommender is a small vtable, one file per model in core/models/recommenders/, plus one line
 * in the registry (core/pipeline/scalr-registry.c). Hyperparameters live in group [downstream] under
 * the model's prefix ("ials.factors", "ease.l2", …) in the model's parameter table. Scoring
 * is batched: a fitted model writes scores for a batch of users (row-major, users × items),
 * and must be thread-safe for concurrent score calls. */
#pragma once

#include <gio/gio.h>

#include "scalr-config.h"
#include "scalr-csr.h"
#include "scalr-recommender-error.h"

G_BEGIN_DECLS


typedef struct _ScalrRecommenderClass ScalrRecommenderClass;

struct _ScalrRecommenderClass {
  const char       *name;
  const char       *summary;
  const ScalrParam *params;   /* group "downstream", keys "NAME.key", NULL-terminated; may be NULL */
  /* Fits on @matrix (users × items; values = weights, NULL values mean 1). @seed seeds any
   * randomness (initialisation, sampling). On error returns NULL and sets @error. */
  gpointer (*fit)        (const ScalrCsr     *matrix,
                          const ScalrConfig  *config,
                          guint64             seed,
                          ScalrProgress      *progress,
                          GCancellable       *cancellable,
                          GError            **error);
  void     (*free_model) (gpointer model);
  /* Scores of @n users into @out (n × n_items); higher is better. @matrix is the one the
   * model was fitted on (user histories for item-based models). Thread-safe. */
  void     (*score)      (gpointer model, const ScalrCsr *matrix, const guint32 *users, guint n, float *out);
};

/* Adds a recommender to the registry (scalr_registry_init registers the built-in ones; a
 * plug-in or a test may add more at start-up). A second class of one name is a programmer
 * error. */
void                                scalr_recommender_register (const ScalrRecommenderClass *klass);
/* The registered recommenders, in order. */
const ScalrRecommenderClass *const *scalr_recommender_list   (guint *n_out);
const ScalrRecommenderClass        *scalr_recommender_lookup (const char *name);

G_END_DECLS
