/* scalr-rec-itemknn.c — item-based k nearest neighbours with cosine similarity on the
 * weighted matrix:
 *
 *   sim(i, j) = Σ_u w_ui w_uj / (‖w_i‖ ‖w_j‖ + shrink),  i ≠ j,
 *
 * keeping the N most similar items of each item (similarity descending, ties by item index),
 * and scoring  score(u, i) = Σ_{j ∈ u's history} w_uj · sim(j, i)  over j's neighbour list.
 *
 * The similarities of item i come from sparse accumulation: for every user u of item i
 * (a row of the transpose) and every item j of u, acc[j] += w_ui w_uj — Σ_u |u|² work in
 * all, never a dense items × items matrix. Items are fitted in parallel (scalr_parallel_for,
 * blocks of 16 to the next free thread); each item's list depends only on the data (a fixed accumulation
 * order and a total order for the top-N), so the model is the same for any thread count. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalr-limits.h"
#include "scalr-parallel.h"
#include "scalr-progress.h"
#include "scalr-topk.h"
#include "scalr-recommenders-private.h"

static const ScalrParam itemknn_params[] = {
  { "downstream", "itemknn.neighbors", SCALR_PARAM_INT, "100", 1, 10000, NULL,
    "itemknn: neighbours kept per item (the most similar ones)", "itemknn", NULL, "10,20,50,100,200" },
  { "downstream", "itemknn.shrink", SCALR_PARAM_DOUBLE, "10", 0, 1e9, NULL,
    "itemknn: added to the cosine denominator; damps similarities built on few users", "itemknn", NULL, "0..100" },
  { NULL }
};

#define ITEMS_PER_BLOCK 16

typedef struct {
  guint    n_items;
  guint64 *indptr;   /* owned, n_items + 1 */
  guint32 *nbr;      /* owned, indptr[n_items] */
  float   *sim;      /* owned, indptr[n_items] */
} ItemKnn;

static void
itemknn_free (gpointer data)
{
  ItemKnn *k = data;
  if (k == NULL)
    return;
  g_free (k->indptr);
  g_free (k->nbr);
  g_free (k->sim);
  g_free (k);
}

typedef struct {
  const ScalrCsr *m;        /* users × items */
  const ScalrCsr *t;        /* items × users */
  const double   *norms;    /* n_items */
  guint           neighbors;
  double          shrink;
  /* Per item results, written by the one worker that fits the item. */
  guint          *len;
  guint32       **items;
  float         **sims;
  ScalrProgress  *progress;
} Job;

/* A thread's accumulator: acc[j] is valid for the item i when stamp[j] == i. */
typedef struct {
  double  *acc;
  guint32 *stamp;
  guint32 *touched;
  ScalrKeyed *best;   /* the top-N's storage */
} Scratch;

static gpointer
scratch_new (guint thread, gpointer data)
{
  Job *job = data;
  guint n_items = job->m->n_cols;
  Scratch *s = g_new (Scratch, 1);
  s->acc = g_new (double, MAX (n_items, 1));
  s->stamp = g_new (guint32, MAX (n_items, 1));
  s->touched = g_new (guint32, MAX (n_items, 1));
  s->best = g_new (ScalrKeyed, MIN (job->neighbors, MAX (n_items, 1)));
  for (guint j = 0; j < n_items; j++)
    s->stamp[j] = G_MAXUINT32;
  return s;
}

static void
scratch_free (gpointer state, guint thread, gpointer data)
{
  Scratch *s = state;
  g_free (s->acc);
  g_free (s->stamp);
  g_free (s->touched);
  g_free (s->best);
  g_free (s);
}

/* The neighbour list of item @i. */
static void
fit_item (Job *job, Scratch *sc, guint i)
{
  const ScalrCsr *m = job->m, *t = job->t;
  double *acc = sc->acc;
  guint32 *stamp = sc->stamp, *touched = sc->touched;
  guint nt = 0;
  for (guint64 a = t->indptr[i]; a < t->indptr[i + 1]; a++)
    {
      guint32 u = t->indices[a];
      double wu = t->values ? (double) t->values[a] : 1.0;
      for (guint64 c = m->indptr[u]; c < m->indptr[u + 1]; c++)
        {
          guint32 j = m->indices[c];
          if (j == i)
            continue;
          if (stamp[j] != i)
            {
              stamp[j] = i;
              acc[j] = 0.0;
              touched[nt++] = j;
            }
          acc[j] += wu * (m->values ? (double) m->values[c] : 1.0);
        }
    }
  ScalrTopK top;
  scalr_top_k_init (&top, sc->best, MIN (job->neighbors, MAX (m->n_cols, 1)));
  for (guint k = 0; k < nt; k++)
    {
      guint32 j = touched[k];
      double den = job->norms[i] * job->norms[j] + job->shrink;
      double sim = den > 0.0 ? acc[j] / den : 0.0;
      if (sim > 0.0)
        scalr_top_k_push (&top, sim, j);
    }
  guint nh = scalr_top_k_finish (&top);
  job->len[i] = nh;
  job->items[i] = g_new (guint32, MAX (nh, 1));
  job->sims[i] = g_new (float, MAX (nh, 1));
  for (guint k = 0; k < nh; k++)
    {
      job->items[i][k] = sc->best[k].index;
      job->sims[i][k] = (float) sc->best[k].key;
    }
}

static gboolean
fit_items (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  for (guint64 i = first; i < last; i++)
    fit_item (data, state, (guint) i);
  return TRUE;
}

static void
fit_progress (guint64 done, guint64 n, gpointer data)
{
  Job *job = data;
  scalr_progress_update (job->progress, "downstream", 0.1 + 0.85 * done / MAX (n, 1),
                         "itemknn: neighbours of %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " items", done, n);
}

gpointer
_scalr_itemknn_fit (const ScalrCsr *m, const ScalrItemKnnOptions *opt, ScalrProgress *progress,
                    GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (m != NULL && opt != NULL, NULL);
  g_return_val_if_fail (opt->neighbors >= 1 && opt->shrink >= 0.0, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  guint n_items = m->n_cols;
  /* Neighbour lists (item and similarity) twice at the end (per item, then packed), the
   * transposed matrix and per-thread accumulators. */
  guint64 lists = scalr_limits_mul ((guint64) MIN (opt->neighbors, MAX (n_items, 1)) * 16, n_items);
  guint64 need = scalr_limits_add (scalr_limits_add (lists, scalr_limits_mul (m->nnz, 8)),
                                   scalr_limits_mul ((guint64) n_items * 24, 1 + scalr_parallel_resolve_threads (opt->n_threads)));
  g_autofree char *hint = g_strdup_printf ("lower [downstream] itemknn.neighbors (now %u; %u items)", opt->neighbors,
                                           n_items);
  if (!scalr_limits_check_memory ("itemknn", need, hint, error))
    return NULL;
  scalr_progress_update (progress, "downstream", 0.0, "itemknn: transposing %u × %u (%" G_GUINT64_FORMAT " events)",
                         m->n_rows, n_items, m->nnz);
  g_autoptr (ScalrCsr) t = scalr_csr_transpose (m);
  g_autofree double *norms = g_new0 (double, MAX (n_items, 1));
  for (guint i = 0; i < n_items; i++)
    {
      double s = 0.0;
      for (guint64 a = t->indptr[i]; a < t->indptr[i + 1]; a++)
        {
          double w = t->values ? (double) t->values[a] : 1.0;
          s += w * w;
        }
      norms[i] = sqrt (s);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  Job job = {
    .m = m, .t = t, .norms = norms, .neighbors = opt->neighbors, .shrink = opt->shrink,
    .len = g_new0 (guint, MAX (n_items, 1)),
    .items = g_new0 (guint32 *, MAX (n_items, 1)),
    .sims = g_new0 (float *, MAX (n_items, 1)),
    .progress = progress,
  };
  ScalrParallelOptions po = { .n_threads = opt->n_threads, .chunk = ITEMS_PER_BLOCK,
                              .schedule = SCALR_PARALLEL_DYNAMIC, .cancellable = cancellable,
                              .thread_init = scratch_new, .thread_finish = scratch_free,
                              .progress = fit_progress };
  ItemKnn *knn = NULL;
  if (scalr_parallel_for (n_items, fit_items, &job, &po, error))
    {
      knn = g_new0 (ItemKnn, 1);
      knn->n_items = n_items;
      knn->indptr = g_new (guint64, (gsize) n_items + 1);
      knn->indptr[0] = 0;
      for (guint i = 0; i < n_items; i++)
        knn->indptr[i + 1] = knn->indptr[i] + job.len[i];
      guint64 total = knn->indptr[n_items];
      knn->nbr = g_new (guint32, MAX (total, 1));
      knn->sim = g_new (float, MAX (total, 1));
      for (guint i = 0; i < n_items; i++)
        {
          memcpy (knn->nbr + knn->indptr[i], job.items[i], job.len[i] * sizeof (guint32));
          memcpy (knn->sim + knn->indptr[i], job.sims[i], job.len[i] * sizeof (float));
        }
      scalr_progress_update (progress, "downstream", 1.0, "itemknn: %" G_GUINT64_FORMAT " neighbours of %u items",
                             total, n_items);
    }
  for (guint i = 0; i < n_items; i++)
    {
      g_free (job.items[i]);
      g_free (job.sims[i]);
    }
  g_free (job.items);
  g_free (job.sims);
  g_free (job.len);
  return knn;
}

static gpointer
itemknn_fit (const ScalrCsr *m, const ScalrConfig *config, guint64 seed, ScalrProgress *progress,
             GCancellable *cancellable, GError **error)
{
  (void) seed;
  ScalrItemKnnOptions opt = {
    .neighbors = (guint) scalr_config_get_or_default_int (config, itemknn_params, "downstream", "itemknn.neighbors"),
    .shrink = scalr_config_get_or_default_double (config, itemknn_params, "downstream", "itemknn.shrink"),
    .n_threads = 0,
  };
  return _scalr_itemknn_fit (m, &opt, progress, cancellable, error);
}

/* Σ over the history of each user of w_uj times j's neighbour row. */
static void
itemknn_score (gpointer data, const ScalrCsr *m, const guint32 *users, guint n, float *out)
{
  const ItemKnn *knn = data;
  gsize I = knn->n_items;
  memset (out, 0, (gsize) n * I * sizeof (float));
  for (guint k = 0; k < n; k++)
    {
      float *row = out + (gsize) k * I;
      guint32 u = users[k];
      for (guint64 a = m->indptr[u]; a < m->indptr[u + 1]; a++)
        {
          guint32 j = m->indices[a];
          float w = m->values ? m->values[a] : 1.0f;
          for (guint64 b = knn->indptr[j]; b < knn->indptr[j + 1]; b++)
            row[knn->nbr[b]] += w * knn->sim[b];
        }
    }
}

guint
_scalr_itemknn_get_neighbors (gpointer model, guint item, const guint32 **items, const float **sims)
{
  const ItemKnn *knn = model;
  g_return_val_if_fail (item < knn->n_items, 0);
  if (items)
    *items = knn->nbr + knn->indptr[item];
  if (sims)
    *sims = knn->sim + knn->indptr[item];
  return (guint) (knn->indptr[item + 1] - knn->indptr[item]);
}

const ScalrRecommenderClass scalr_itemknn_recommender = {
  .name = "itemknn",
  .summary = "Item-based nearest neighbours: cosine similarity of item columns (with shrinkage), top-N per item",
  .params = itemknn_params,
  .fit = itemknn_fit,
  .free_model = itemknn_free,
  .score = itemknn_score,
};
