/* scalr-gen-cooc.c — the paper's estimator: per-source-item co-occurrence distributions.
 *
 * On overlap users' training events, C[j,i] = #users with source item j and target item i.
 * P(i | j) = (C[j,i]/π_i^β + α·ρ_i) / (m_j + α), where π is the target training popularity
 * (normalised), ρ ∝ π^(1−β) (normalised), m_j = Σ_i C[j,i]/π_i^β and α the smoothing mass.
 * β = 0 is the paper; β > 0 divides out popularity. C is built by sparse accumulation
 * (Gustavson, multi-threaded: scalr-gen-cooc-counts.c), so the work is Σ_u |S_u|·|T_u| and the
 * memory nnz(C); the rows' weights and alias tables are then made in parallel, row by row,
 * so the model is the same for any thread count. Draws use the mixture: with probability
 * m_j/(m_j+α) from an alias table over row j, else from an alias table over ρ — O(1). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-alias.h"
#include "scalr-gen-cooc-private.h"
#include "scalr-parallel.h"
#include "scalr-generator.h"
#include "scalr-progress.h"
#include "scalr-topk.h"

static const ScalrParam cooc_params[] = {
  { "generator", "smoothing", SCALR_PARAM_DOUBLE, "1", 0, 1e9, NULL,
    "cooc: additive smoothing mass α toward target popularity (in co-occurrence counts)", "cooc", NULL, "0.1..100 log" },
  { "generator", "beta", SCALR_PARAM_DOUBLE, "0", 0, 1, NULL,
    "cooc: divide co-occurrences by target popularity^β (0: the paper; 1: lift-like)", "cooc" },
  { NULL }
};

/* One alias slot: everything a draw needs in one 16-byte load (the draw is bound by
 * memory latency, not arithmetic). */
typedef struct {
  float   aprob;   /* keep this slot with this probability … */
  guint32 alias;   /* … else take this row-local slot */
  guint32 item;    /* the slot's target item */
  float   p;       /* P(item | j), smoothing included */
} CoocEntry;

typedef struct {
  guint     n_src, n_tgt;
  ScalrCoocCounts *counts;   /* owned: C; ptr, idx and support below point into it */
  const guint64 *ptr;   /* n_src + 1 */
  const guint32 *idx;   /* nnz: target items, ascending per row */
  float    *val;        /* nnz: C[j,i] / π_i^β */
  const guint32 *support;   /* nnz: C[j,i] */
  double   *mass;       /* n_src: m_j */
  CoocEntry *ent;       /* nnz: alias tables of the rows with their items and P(i|j) */
  double   *prior;      /* n_tgt: ρ */
  float    *pprob;
  guint32  *palias;
  guint32  *prior_order;/* n_tgt: items by ρ descending */
  double    alpha;
  const ScalrCsr *source;  /* borrowed from the split (users × source items) */
} Cooc;

static void
cooc_free (gpointer data)
{
  Cooc *c = data;
  _scalr_cooc_counts_free (c->counts);
  g_free (c->val);
  g_free (c->mass);
  g_free (c->ent);
  g_free (c->prior);
  g_free (c->pprob);
  g_free (c->palias);
  g_free (c->prior_order);
  g_free (c);
}

/* ---- the fit ---------------------------------------------------------------------------- */

typedef struct {
  Cooc         *c;
  const double *popb;   /* n_tgt: π_i^β (1 when β = 0) */
} RowJob;

typedef struct {
  double  *w, *scaled;
  float   *aprob;
  guint32 *aalias, *small, *large;
} RowScratch;

static gpointer
row_scratch_new (guint thread, gpointer data)
{
  const RowJob *job = data;
  guint n = MAX (job->c->n_tgt, 1);
  RowScratch *s = g_new (RowScratch, 1);
  s->w = g_new (double, n);
  s->scaled = g_new (double, n);
  s->aprob = g_new (float, n);
  s->aalias = g_new (guint32, n);
  s->small = g_new (guint32, n);
  s->large = g_new (guint32, n);
  return s;
}

static void
row_scratch_free (gpointer state, guint thread, gpointer data)
{
  RowScratch *s = state;
  g_free (s->w);
  g_free (s->scaled);
  g_free (s->aprob);
  g_free (s->aalias);
  g_free (s->small);
  g_free (s->large);
  g_free (s);
}

/* Rows [first, last): weights C/π^β, the row's mass and alias table, each slot's P(i|j). */
static gboolean
fill_rows (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  const RowJob *job = data;
  RowScratch *sc = state;
  Cooc *c = job->c;
  for (guint64 j = first; j < last; j++)
    {
      guint64 s = c->ptr[j];
      guint n = (guint) (c->ptr[j + 1] - s);
      for (guint k = 0; k < n; k++)
        {
          double v = (double) c->support[s + k] / job->popb[c->idx[s + k]];
          c->val[s + k] = (float) v;
          sc->w[k] = v;
        }
      c->mass[j] = scalr_alias_build_with (sc->w, n, sc->aprob, sc->aalias, sc->scaled, sc->small, sc->large);
      double denom = c->mass[j] + c->alpha;
      for (guint k = 0; k < n; k++)
        {
          guint32 item = c->idx[s + k];
          c->ent[s + k] = (CoocEntry) { sc->aprob[k], sc->aalias[k], item,
                                        (float) (denom > 0 ? (c->val[s + k] + c->alpha * c->prior[item]) / denom : c->prior[item]) };
        }
    }
  return TRUE;
}

static gpointer
cooc_fit (ScalrSplit *split, const ScalrConfig *config, ScalrProgress *progress,
          GCancellable *cancellable, GError **error)
{
  const ScalrCsr *S = scalr_split_get_source (split);
  const ScalrCsr *T = scalr_split_get_train (split);
  double beta = scalr_config_get_double (config, "generator", "beta");
  Cooc *c = g_new0 (Cooc, 1);
  c->n_src = S->n_cols;
  c->n_tgt = T->n_cols;
  c->alpha = scalr_config_get_double (config, "generator", "smoothing");
  c->source = S;

  /* Target popularity over all training events. */
  c->prior = g_new0 (double, MAX (c->n_tgt, 1));
  g_autofree double *pop = g_new0 (double, MAX (c->n_tgt, 1));
  for (guint64 k = 0; k < T->nnz; k++)
    pop[T->indices[k]] += 1.0;
  double total = (double) MAX (T->nnz, 1);
  double prior_sum = 0.0;
  for (guint i = 0; i < c->n_tgt; i++)
    {
      pop[i] /= total;
      c->prior[i] = pop[i] > 0 ? pow (pop[i], 1.0 - beta) : 0.0;
      prior_sum += c->prior[i];
    }
  if (prior_sum <= 0)
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NO_DATA,
                   "cooc: the target domain has no training events");
      cooc_free (c);
      return NULL;
    }
  for (guint i = 0; i < c->n_tgt; i++)
    c->prior[i] /= prior_sum;
  c->pprob = g_new (float, MAX (c->n_tgt, 1));
  c->palias = g_new (guint32, MAX (c->n_tgt, 1));
  scalr_alias_build (c->prior, c->n_tgt, c->pprob, c->palias);
  c->prior_order = g_new (guint32, MAX (c->n_tgt, 1));
  scalr_argsort_desc (c->prior, c->n_tgt, c->prior_order);

  guint64 pairs = 0;
  for (guint u = 0; u < S->n_rows; u++)
    if (scalr_csr_row_len (T, u) > 0)
      pairs += scalr_csr_row_len (S, u);
  if (pairs == 0)
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NO_DATA,
                   "cooc: no user has both source events and target training events");
      cooc_free (c);
      return NULL;
    }

  /* C = SᵀT; each co-occurring pair costs about 36 bytes in the finished model. */
  scalr_progress_update (progress, "generator", 0.05, "co-occurrences of %u source items", c->n_src);
  c->counts = _scalr_cooc_counts_new (S, T, 0, 36, cancellable, error);
  if (c->counts == NULL)
    {
      cooc_free (c);
      return NULL;
    }
  c->ptr = c->counts->ptr;
  c->idx = c->counts->idx;
  c->support = c->counts->count;
  guint64 nnz = c->counts->nnz;
  c->val = g_new (float, MAX (nnz, 1));
  c->mass = g_new0 (double, MAX (c->n_src, 1));
  c->ent = g_new (CoocEntry, MAX (nnz, 1));
  g_autofree double *popb = g_new (double, MAX (c->n_tgt, 1));
  for (guint i = 0; i < c->n_tgt; i++)
    popb[i] = beta > 0 ? pow (pop[i], beta) : 1.0;
  RowJob rj = { c, popb };
  ScalrParallelOptions po = { .chunk = 64, .schedule = SCALR_PARALLEL_DYNAMIC, .cancellable = cancellable,
                              .thread_init = row_scratch_new, .thread_finish = row_scratch_free };
  if (!scalr_parallel_for (c->n_src, fill_rows, &rj, &po, error))
    {
      cooc_free (c);
      return NULL;
    }
  scalr_progress_update (progress, "generator", 0.85, "cooc: %" G_GUINT64_FORMAT " co-occurring pairs", nnz);
  return c;
}

/* C'[j,i] (0 when absent), by binary search in row j. */
static inline double
row_value (const Cooc *c, guint32 j, guint32 i, guint32 *support)
{
  guint64 lo = c->ptr[j], hi = c->ptr[j + 1];
  while (lo < hi)
    {
      guint64 mid = (lo + hi) / 2;
      if (c->idx[mid] < i)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < c->ptr[j + 1] && c->idx[lo] == i)
    {
      if (support)
        *support = c->support[lo];
      return c->val[lo];
    }
  if (support)
    *support = 0;
  return 0.0;
}

static float
cooc_item_prob (gpointer data, guint32 j, guint32 i)
{
  const Cooc *c = data;
  double denom = c->mass[j] + c->alpha;
  if (denom <= 0)
    return (float) c->prior[i];
  return (float) ((row_value (c, j, i, NULL) + c->alpha * c->prior[i]) / denom);
}

static guint32
cooc_item_support (gpointer data, guint32 j, guint32 i)
{
  guint32 s;
  row_value (data, j, i, &s);
  return s;
}

static gboolean
cooc_item_draw (gpointer data, guint32 j, ScalrRng *rng, guint32 *out_item, float *out_prob)
{
  const Cooc *c = data;
  double m = c->mass[j];
  guint64 s = c->ptr[j];
  guint n = (guint) (c->ptr[j + 1] - s);
  if (n > 0 && m > 0 && scalr_rng_uniform (rng) * (m + c->alpha) < m)
    {
      /* From the row: item and probability sit in the slot, no search needed. */
      guint64 r = scalr_rng_next (rng);
      guint32 k = (guint32) (((r >> 32) * (guint64) n) >> 32);
      float u = (float) (r & 0xffffff) * 0x1.0p-24f;
      const CoocEntry *e = &c->ent[s + k];
      if (u >= e->aprob)
        e = &c->ent[s + e->alias];
      *out_item = e->item;
      *out_prob = e->p;
      return TRUE;
    }
  guint32 item = scalr_alias_draw (c->pprob, c->palias, c->n_tgt, rng);
  *out_item = item;
  *out_prob = cooc_item_prob (data, j, item);
  return TRUE;
}

/* Draws in blocks: a first pass decides each draw's slot and prefetches it, a second reads
 * the slot and prefetches its alias when taken, a third resolves — so a block's cache
 * misses overlap instead of following one another. Consumes the stream exactly as
 * cooc_item_draw does, draw by draw, so the results are identical. */
static void
cooc_item_draw_batch (gpointer data, const guint32 *js, guint n, ScalrRng *rng, guint32 *out_items, float *out_probs)
{
  const Cooc *c = data;
  enum { BLOCK = 64 };
  guint64 slot[BLOCK];
  float u[BLOCK];
  for (guint b = 0; b < n; b += BLOCK)
    {
      guint nb = MIN (BLOCK, n - b);
      for (guint i = 0; i < nb; i++)
        {
          guint32 j = js[b + i];
          double m = c->mass[j];
          guint64 s = c->ptr[j];
          guint rn = (guint) (c->ptr[j + 1] - s);
          if (rn > 0 && m > 0 && scalr_rng_uniform (rng) * (m + c->alpha) < m)
            {
              guint64 r = scalr_rng_next (rng);
              guint32 k = (guint32) (((r >> 32) * (guint64) rn) >> 32);
              u[i] = (float) (r & 0xffffff) * 0x1.0p-24f;
              slot[i] = s + k;
              __builtin_prefetch (&c->ent[s + k]);
            }
          else
            {
              guint32 item = scalr_alias_draw (c->pprob, c->palias, c->n_tgt, rng);
              out_items[b + i] = item;
              out_probs[b + i] = cooc_item_prob (data, j, item);
              slot[i] = G_MAXUINT64;
            }
        }
      for (guint i = 0; i < nb; i++)
        if (slot[i] != G_MAXUINT64 && u[i] >= c->ent[slot[i]].aprob)
          {
            slot[i] = c->ptr[js[b + i]] + c->ent[slot[i]].alias;
            __builtin_prefetch (&c->ent[slot[i]]);
          }
      for (guint i = 0; i < nb; i++)
        if (slot[i] != G_MAXUINT64)
          {
            out_items[b + i] = c->ent[slot[i]].item;
            out_probs[b + i] = c->ent[slot[i]].p;
          }
    }
}

static guint
cooc_item_topk (gpointer data, guint32 j, guint k, guint32 *out_items, float *out_probs)
{
  const Cooc *c = data;
  guint64 s = c->ptr[j];
  guint n = (guint) (c->ptr[j + 1] - s);
  g_autofree ScalrKeyed *best = g_new (ScalrKeyed, MAX (k, 1));
  ScalrTopK top;
  scalr_top_k_init (&top, best, k);
  for (guint a = 0; a < n; a++)
    scalr_top_k_push (&top, cooc_item_prob (data, j, c->idx[s + a]), c->idx[s + a]);
  /* Items outside the row have probability α·ρ_i/(m+α) (ρ_i itself for a row with no
   * co-occurrences and α = 0, as cooc_item_prob says): the first k of them by ρ. Items with
   * ρ_i = 0 have probability 0 and are never candidates (a draw never returns them). */
  gboolean outside = c->alpha > 0 || c->mass[j] + c->alpha <= 0;
  guint extra = 0;
  for (guint r = 0; r < c->n_tgt && extra < k && outside; r++)
    {
      guint32 i = c->prior_order[r];
      if (c->prior[i] <= 0.0)
        break;
      guint32 sup;
      if (row_value (c, j, i, &sup) == 0.0 && sup == 0)
        {
          scalr_top_k_push (&top, cooc_item_prob (data, j, i), i);
          extra++;
        }
    }
  guint out = scalr_top_k_finish (&top);
  for (guint a = 0; a < out; a++)
    {
      out_items[a] = best[a].index;
      out_probs[a] = (float) best[a].key;
    }
  return out;
}

/* log P(i | u) with P(· | u) the mean of P(· | j) over the user's source items. */
static void
cooc_score (gpointer data, const guint32 *users, guint n, float *out)
{
  const Cooc *c = data;
  g_autofree double *acc = g_new (double, MAX (c->n_tgt, 1));
  for (guint r = 0; r < n; r++)
    {
      guint32 u = users[r];
      float *row = out + (gsize) r * c->n_tgt;
      const ScalrCsr *S = c->source;
      guint64 deg = scalr_csr_row_len (S, u);
      double prior_w = 0.0;
      memset (acc, 0, c->n_tgt * sizeof (double));
      for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
        {
          guint32 j = S->indices[a];
          double denom = c->mass[j] + c->alpha;
          if (denom <= 0)
            {
              prior_w += 1.0;
              continue;
            }
          for (guint64 b = c->ptr[j]; b < c->ptr[j + 1]; b++)
            acc[c->idx[b]] += c->val[b] / denom;
          prior_w += c->alpha / denom;
        }
      if (deg == 0)
        prior_w = 1.0, deg = 1;
      for (guint i = 0; i < c->n_tgt; i++)
        {
          double p = (acc[i] + prior_w * c->prior[i]) / (double) deg;
          row[i] = p > 0 ? (float) log (p) : -INFINITY;
        }
    }
}

const ScalrCoocCounts *
_scalr_cooc_get_counts (gpointer model)
{
  return ((const Cooc *) model)->counts;
}

const ScalrGeneratorClass scalr_cooc_generator = {
  .name = "cooc",
  .summary = "Per-source-item co-occurrence distributions with smoothing (the paper's estimator)",
  .params = cooc_params,
  .fit = cooc_fit,
  .free_model = cooc_free,
  .score = cooc_score,
  .item_draw = cooc_item_draw,
  .item_draw_batch = cooc_item_draw_batch,
  .item_topk = cooc_item_topk,
  .item_prob = cooc_item_prob,
  .item_support = cooc_item_support,
};
