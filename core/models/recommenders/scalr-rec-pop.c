/* scalr-rec-pop.c — weighted popularity: the score of item i is Σ_u w_ui, the same for every
 * user (the honest bar for cold users, docs/ARCHITECTURE.md, the evaluation protocol). */
#include "config.h"

#include <string.h>

#include "scalr-progress.h"
#include "scalr-recommenders-private.h"

typedef struct {
  guint  n_items;
  float *scores;   /* owned, n_items */
} Pop;

static void
pop_free (gpointer data)
{
  Pop *p = data;
  if (p == NULL)
    return;
  g_free (p->scores);
  g_free (p);
}

static gpointer
pop_fit (const ScalrCsr *m, const ScalrConfig *config, guint64 seed, ScalrProgress *progress,
         GCancellable *cancellable, GError **error)
{
  (void) config;
  (void) seed;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  scalr_progress_update (progress, "downstream", 0.0, "pop: counting %" G_GUINT64_FORMAT " events", m->nnz);
  /* Sums in double: 20M weights of 1 are exact, and small synthetic weights are not lost. */
  g_autofree double *sum = g_new0 (double, MAX (m->n_cols, 1));
  for (guint64 k = 0; k < m->nnz; k++)
    sum[m->indices[k]] += m->values ? (double) m->values[k] : 1.0;
  Pop *p = g_new0 (Pop, 1);
  p->n_items = m->n_cols;
  p->scores = g_new (float, MAX (m->n_cols, 1));
  for (guint i = 0; i < m->n_cols; i++)
    p->scores[i] = (float) sum[i];
  scalr_progress_update (progress, "downstream", 1.0, "pop: done");
  return p;
}

static void
pop_score (gpointer data, const ScalrCsr *m, const guint32 *users, guint n, float *out)
{
  const Pop *p = data;
  (void) m;
  (void) users;
  for (guint k = 0; k < n; k++)
    memcpy (out + (gsize) k * p->n_items, p->scores, (gsize) p->n_items * sizeof (float));
}

const float *
_scalr_pop_get_scores (gpointer model, guint *n_items)
{
  const Pop *p = model;
  if (n_items)
    *n_items = p->n_items;
  return p->scores;
}

const ScalrRecommenderClass scalr_pop_recommender = {
  .name = "pop",
  .summary = "Weighted popularity: every user gets the items with the largest total weight",
  .params = NULL,
  .fit = pop_fit,
  .free_model = pop_free,
  .score = pop_score,
};
