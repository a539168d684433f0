/* scalr-gen-popularity.c — the null control: P(i | u) = target training popularity,
 * the same for every user. Every report shows the real generators against it. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-alias.h"
#include "scalr-generator.h"
#include "scalr-topk.h"

typedef struct {
  guint     n;
  double   *p;        /* n: popularity, normalised */
  float    *logp;     /* n */
  float    *aprob;
  guint32  *aalias;
  guint32  *order;    /* items by popularity descending */
} Popularity;

static void
pop_free (gpointer data)
{
  Popularity *m = data;
  g_free (m->p);
  g_free (m->logp);
  g_free (m->aprob);
  g_free (m->aalias);
  g_free (m->order);
  g_free (m);
}

static gpointer
pop_fit (ScalrSplit *split, const ScalrConfig *config, ScalrProgress *progress,
         GCancellable *cancellable, GError **error)
{
  const ScalrCsr *T = scalr_split_get_train (split);
  if (T->nnz == 0)
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NO_DATA,
                   "popularity: the target domain has no training events");
      return NULL;
    }
  Popularity *m = g_new0 (Popularity, 1);
  m->n = T->n_cols;
  m->p = g_new0 (double, MAX (m->n, 1));
  m->logp = g_new (float, MAX (m->n, 1));
  m->aprob = g_new (float, MAX (m->n, 1));
  m->aalias = g_new (guint32, MAX (m->n, 1));
  m->order = g_new (guint32, MAX (m->n, 1));
  for (guint64 k = 0; k < T->nnz; k++)
    m->p[T->indices[k]] += 1.0;
  for (guint i = 0; i < m->n; i++)
    {
      m->p[i] /= (double) T->nnz;
      m->logp[i] = m->p[i] > 0 ? (float) log (m->p[i]) : -INFINITY;
    }
  scalr_alias_build (m->p, m->n, m->aprob, m->aalias);
  scalr_argsort_desc (m->p, m->n, m->order);
  return m;
}

static void
pop_score (gpointer data, const guint32 *users, guint n, float *out)
{
  const Popularity *m = data;
  for (guint r = 0; r < n; r++)
    memcpy (out + (gsize) r * m->n, m->logp, m->n * sizeof (float));
}

static gboolean
pop_item_draw (gpointer data, guint32 j, ScalrRng *rng, guint32 *out_item, float *out_prob)
{
  const Popularity *m = data;
  guint32 i = scalr_alias_draw (m->aprob, m->aalias, m->n, rng);
  *out_item = i;
  *out_prob = (float) m->p[i];
  return TRUE;
}

static guint
pop_item_topk (gpointer data, guint32 j, guint k, guint32 *out_items, float *out_probs)
{
  const Popularity *m = data;
  /* Only items with training events: the others have probability 0 (never drawn). */
  guint n = 0;
  while (n < MIN (k, m->n) && m->p[m->order[n]] > 0.0)
    n++;
  for (guint a = 0; a < n; a++)
    {
      out_items[a] = m->order[a];
      out_probs[a] = (float) m->p[m->order[a]];
    }
  return n;
}

static float
pop_item_prob (gpointer data, guint32 j, guint32 i)
{
  return (float) ((const Popularity *) data)->p[i];
}

static guint32
pop_item_support (gpointer data, guint32 j, guint32 i)
{
  return G_MAXUINT32;   /* no co-occurrence notion: never filtered by support */
}

const ScalrGeneratorClass scalr_popularity_generator = {
  .name = "popularity",
  .summary = "Null control: target popularity, ignoring the user",
  .params = NULL,
  .fit = pop_fit,
  .free_model = pop_free,
  .score = pop_score,
  .item_draw = pop_item_draw,
  .item_topk = pop_item_topk,
  .item_prob = pop_item_prob,
  .item_support = pop_item_support,
};
