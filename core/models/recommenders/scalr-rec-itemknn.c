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
 * all, never a dense items × items matrix. Items are fitted in parallel, in blocks handed out
 * by an atomic counter; each item's list depends only on the data (a fixed accumulation
 * order and a total order for the top-N), so the model is the same for any thread count. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalr-limits.h"
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
#define MAX_AUTO_THREADS 8

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
  gint            next_block;  /* atomic */
  gint            done;        /* atomic: items fitted */
  ScalrProgress  *progress;
  GThread        *reporter;    /* the one thread that reports progress (monotone fractions) */
  GCancellable   *cancellable;
} Job;

static gpointer
itemknn_worker (gpointer data)
{
  Job *job = data;
  const ScalrCsr *m = job->m, *t = job->t;
  guint n_items = m->n_cols;
  guint n_blocks = (n_items + ITEMS_PER_BLOCK - 1) / ITEMS_PER_BLOCK;
  g_autofree double *acc = g_new (double, MAX (n_items, 1));
  g_autofree guint32 *stamp = g_new (guint32, MAX (n_items, 1));
  g_autofree guint32 *touched = g_new (guint32, MAX (n_items, 1));
  guint keep = MIN (job->neighbors, MAX (n_items, 1));
  g_autofree ScalrKeyed *best = g_new (ScalrKeyed, keep);
  for (guint j = 0; j < n_items; j++)
    stamp[j] = G_MAXUINT32;

  for (;;)
    {
      guint b = (guint) g_atomic_int_add (&job->next_block, 1);
      if (b >= n_blocks || g_cancellable_is_cancelled (job->cancellable))
        break;
      guint i_end = MIN ((b + 1) * ITEMS_PER_BLOCK, n_items);
      for (guint i = b * ITEMS_PER_BLOCK; i < i_end; i++)
        {
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
          scalr_top_k_init (&top, best, keep);
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
              job->items[i][k] = best[k].index;
              job->sims[i][k] = (float) best[k].key;
            }
        }
      g_atomic_int_add (&job->done, (gint) (i_end - b * ITEMS_PER_BLOCK));
      if (g_thread_self () == job->reporter)
        {
          guint done = (guint) g_atomic_int_get (&job->done);
          scalr_progress_update (job->progress, "downstream", 0.1 + 0.85 * done / MAX (n_items, 1),
                                 "itemknn: neighbours of %u of %u items", done, n_items);
        }
    }
  return NULL;
}

gpointer
_scalr_itemknn_fit (const ScalrCsr *m, const ScalrItemKnnOptions *opt, ScalrProgress *progress,
                    GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (m != NULL && opt != NULL, NULL);
  g_return_val_if_fail (opt->neighbors >= 1 && opt->shrink >= 0.0, NULL);
  g_return_val_if_fail (m->n_cols < G_MAXINT32 / ITEMS_PER_BLOCK * ITEMS_PER_BLOCK, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  guint n_items = m->n_cols;
  /* Neighbour lists (item and similarity) twice at the end (per item, then packed), the
   * transposed matrix and per-thread accumulators. */
  guint64 lists = scalr_limits_mul ((guint64) MIN (opt->neighbors, MAX (n_items, 1)) * 16, n_items);
  guint64 need = scalr_limits_add (scalr_limits_add (lists, scalr_limits_mul (m->nnz, 8)),
                                   scalr_limits_mul ((guint64) n_items * 24, 1 + g_get_num_processors ()));
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
    .progress = progress, .reporter = g_thread_self (), .cancellable = cancellable,
  };
  guint n_threads = opt->n_threads ? opt->n_threads : MIN (g_get_num_processors (), MAX_AUTO_THREADS);
  guint n_blocks = (n_items + ITEMS_PER_BLOCK - 1) / ITEMS_PER_BLOCK;
  n_threads = MAX (1, MIN (n_threads, n_blocks));
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  for (guint k = 1; k < n_threads; k++)
    {
      g_autoptr (GError) local = NULL;
      GThread *th = g_thread_try_new ("scalr-itemknn", itemknn_worker, &job, &local);
      if (th == NULL)
        break;   /* fewer threads: the same result, later */
      g_ptr_array_add (threads, th);
    }
  itemknn_worker (&job);
  for (guint k = 0; k < threads->len; k++)
    g_thread_join (g_ptr_array_index (threads, k));

  ItemKnn *knn = NULL;
  if (!g_cancellable_set_error_if_cancelled (cancellable, error))
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
  const char *env = g_getenv ("SCALR_THREADS");
  if (env != NULL)
    opt.n_threads = (guint) CLAMP (g_ascii_strtoll (env, NULL, 10), 0, 256);
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
