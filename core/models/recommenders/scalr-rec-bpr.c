/* scalr-rec-bpr.c — `bpr`: BPR-MF (Rendle, Freudenthaler, Gantner & Schmidt-Thieme 2009).
 *
 * SGD on triples (u, i, j): (u, i) an entry of the weighted matrix drawn in proportion to its
 * weight (alias tables, O(1) per draw), so a synthetic event of weight w counts w times as
 * often as a real one; j an item not in u's row, uniform (rejection). With
 * x̂_uij = x_uᵀ(y_i − y_j) + b_i − b_j and g = σ(−x̂_uij), a step ascends
 * ln σ(x̂_uij) − reg (‖x_u‖² + ‖y_i‖² + ‖y_j‖² + b_i² + b_j²) / 2. The item bias b (as in most
 * BPR implementations, e.g. Cornac's) lets popularity be learnt without spending factors.
 * Scores x_uᵀy_i + b_i (sgemm over a batch).
 *
 * Threads: a stratified schedule (DSGD, Gemulla et al. 2011). Users are cut into P groups
 * (balanced by events, greedily, once) and items into P groups (at random, afresh every
 * epoch, from the seed), which makes P × P blocks of the matrix. An epoch runs P strata;
 * stratum s holds the blocks (p, (p + s) mod P), which share no user and no item, so they run
 * in parallel without touching the same rows. A block makes its share of the epoch's steps
 * (∝ its weight) from its own RNG stream, continued from epoch to epoch: the model is a
 * function of the data, the seed and P — the same for any thread count. The recommender takes
 * P = bpr.blocks, lowered so that a group holds at least 1024 users and 1024 items (so small
 * data, MovieLens-small for one, stays sequential and unchanged). What is not exact: the
 * negative j is drawn from the positive's item group of the epoch (uniform over its items not
 * in u's row), not from every item; the groups change every epoch, so every pair of items
 * meets in some epochs. P = 1 is the classic sequential BPR, negatives from
 * every item, one stream (the model this file made before it had threads). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-limits.h"
#include "scalr-alias.h"
#include "scalr-blas.h"
#include "scalr-bpr-private.h"
#include "scalr-ials.h"
#include "scalr-parallel.h"
#include "scalr-simd.h"
#include "scalr-recommenders-mf-private.h"
#include "scalr-topk.h"

static const ScalrParam bpr_params[] = {
  { "downstream", "bpr.factors", SCALR_PARAM_INT, "64", 1, 1024, NULL,
    "bpr: number of latent factors k", "bpr", NULL, "16,32,64,128" },
  { "downstream", "bpr.lr", SCALR_PARAM_DOUBLE, "0.05", 1e-6, 10, NULL,
    "bpr: SGD learning rate", "bpr", NULL, "0.005..0.2 log" },
  { "downstream", "bpr.reg", SCALR_PARAM_DOUBLE, "0.0025", 0, 10, NULL,
    "bpr: L2 regularisation of the factors and item biases a step touches", "bpr", NULL, "0.0001..0.1 log" },
  { "downstream", "bpr.epochs", SCALR_PARAM_INT, "20", 1, 10000, NULL,
    "bpr: epochs of SGD (an epoch is as many sampled triples as there are events)", "bpr" },
  { "downstream", "bpr.blocks", SCALR_PARAM_INT, SCALR_BPR_DEFAULT_BLOCKS_STR, 1, 256, NULL,
    "bpr: at most this many user and item groups in the parallel schedule, each of at least 1024 "
    "users and 1024 items (P² blocks, P at a time; negatives from the positive's item group, which "
    "changes every epoch; 1: sequential BPR). The model depends on it, not on the thread count", "bpr" },
  { NULL }
};

/* ---- the plan: groups and blocks ------------------------------------------------------------ */

struct _ScalrBprSampler {
  const ScalrCsr *m;            /* borrowed */
  guint           P;
  guint64         seed;
  guint32        *user_group;   /* n_rows: fixed */
  guint32        *item_group;   /* n_cols: this epoch's */
  guint32        *group_items;  /* n_cols: the items of each group, ascending */
  guint32        *group_start;  /* P + 1 */
  guint64        *block_start;  /* P² + 1: entries of block b = p·P + q */
  guint32        *user, *item;  /* nnz: entries in block order (matrix order within a block) */
  float          *prob;         /* nnz: alias tables, one per block */
  guint32        *alias;        /* nnz: block-local */
  double         *weight;       /* P²: the blocks' total weights */
  double          total;
};

void
_scalr_bpr_sampler_free (ScalrBprSampler *s)
{
  if (s == NULL)
    return;
  g_free (s->user_group);
  g_free (s->item_group);
  g_free (s->group_items);
  g_free (s->group_start);
  g_free (s->block_start);
  g_free (s->user);
  g_free (s->item);
  g_free (s->prob);
  g_free (s->alias);
  g_free (s->weight);
  g_free (s);
}

static inline double
entry_weight (const ScalrCsr *m, guint64 e)
{
  return m->values ? MAX ((double) m->values[e], 0.0) : 1.0;
}

void
_scalr_bpr_user_groups (const ScalrCsr *m, guint P, guint32 *group)
{
  P = MAX (P, 1);
  g_autofree double *load = g_new0 (double, P);
  for (guint u = 0; u < m->n_rows; u++)
    {
      guint best = 0;
      for (guint g = 1; g < P; g++)
        if (load[g] < load[best])
          best = g;
      group[u] = best;
      for (guint64 e = m->indptr[u]; e < m->indptr[u + 1]; e++)
        load[best] += entry_weight (m, e);
    }
}

void
_scalr_bpr_item_groups (guint n_items, guint P, guint64 seed, guint epoch, guint32 *group)
{
  P = MAX (P, 1);
  guint64 key = seed ^ ((guint64) epoch + 1) * G_GUINT64_CONSTANT (0xD1B54A32D192ED03);
  for (guint i = 0; i < n_items; i++)
    {
      guint64 x = key ^ (guint64) i * G_GUINT64_CONSTANT (0x8CB92BA72F3D8DD7);
      group[i] = P == 1 ? 0 : (guint32) (((scalr_splitmix64 (&x) >> 32) * P) >> 32);
    }
}

/* The blocks of @epoch: its item groups, the entries by block (a stable counting sort, so
 * matrix order within a block) and an alias table per block. */
static void
sampler_regroup (ScalrBprSampler *s, guint epoch, double *w)
{
  const ScalrCsr *m = s->m;
  guint P = s->P;
  gsize nb = (gsize) P * P;
  _scalr_bpr_item_groups (m->n_cols, P, s->seed, epoch, s->item_group);
  memset (s->group_start, 0, (P + 1) * sizeof (guint32));
  for (guint i = 0; i < m->n_cols; i++)
    s->group_start[s->item_group[i] + 1]++;
  for (guint g = 0; g < P; g++)
    s->group_start[g + 1] += s->group_start[g];
  g_autofree guint32 *gcur = g_memdup2 (s->group_start, P * sizeof (guint32));
  for (guint i = 0; i < m->n_cols; i++)
    s->group_items[gcur[s->item_group[i]]++] = i;

  memset (s->block_start, 0, (nb + 1) * sizeof (guint64));
  for (guint u = 0; u < m->n_rows; u++)
    for (guint64 e = m->indptr[u]; e < m->indptr[u + 1]; e++)
      s->block_start[(gsize) s->user_group[u] * P + s->item_group[m->indices[e]] + 1]++;
  for (gsize b = 0; b < nb; b++)
    s->block_start[b + 1] += s->block_start[b];
  g_autofree guint64 *bcur = g_memdup2 (s->block_start, nb * sizeof (guint64));
  for (guint u = 0; u < m->n_rows; u++)
    for (guint64 e = m->indptr[u]; e < m->indptr[u + 1]; e++)
      {
        guint64 d = bcur[(gsize) s->user_group[u] * P + s->item_group[m->indices[e]]]++;
        s->user[d] = u;
        s->item[d] = m->indices[e];
        w[d] = entry_weight (m, e);
      }
  s->total = 0.0;
  for (gsize b = 0; b < nb; b++)
    {
      guint64 lo = s->block_start[b];
      s->weight[b] = scalr_alias_build (w + lo, (guint) (s->block_start[b + 1] - lo), s->prob + lo, s->alias + lo);
      s->total += s->weight[b];
    }
}

/* Allocates the sampler with the arrays of @P groups, the users' groups made; NULL (and
 * *w NULL) when memory is short. */
static ScalrBprSampler *
sampler_alloc (const ScalrCsr *m, guint P, guint64 seed, double **w, GError **error)
{
  if (m->nnz > G_MAXUINT32)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "bpr: %" G_GUINT64_FORMAT " events exceed the sampler's limit of %u",
                   m->nnz, G_MAXUINT32);
      return NULL;
    }
  /* Per entry: its user, item, alias probability and slot, and its weight while the tables
   * are built. */
  if (!scalr_limits_check_memory ("bpr's positive sampler", scalr_limits_mul (m->nnz, 24),
                                  "train on fewer events (fewer synthetic events: [sampler] samples_per_event or user_ratio)", error))
    return NULL;
  gsize n = (gsize) m->nnz, nb = (gsize) P * P;
  g_autoptr (ScalrBprSampler) s = g_new0 (ScalrBprSampler, 1);
  s->m = m;
  s->P = P;
  s->seed = seed;
  s->user_group = g_try_new (guint32, MAX (m->n_rows, 1));
  s->item_group = g_try_new (guint32, MAX (m->n_cols, 1));
  s->group_items = g_try_new (guint32, MAX (m->n_cols, 1));
  s->user = g_try_new (guint32, MAX (n, 1));
  s->item = g_try_new (guint32, MAX (n, 1));
  s->prob = g_try_new (float, MAX (n, 1));
  s->alias = g_try_new (guint32, MAX (n, 1));
  *w = g_try_new (double, MAX (n, 1));
  if (s->user_group == NULL || s->item_group == NULL || s->group_items == NULL || s->user == NULL
      || s->item == NULL || s->prob == NULL || s->alias == NULL || *w == NULL)
    {
      g_clear_pointer (w, g_free);
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "bpr: cannot allocate the sampler of %" G_GSIZE_FORMAT " events (%.1f MiB)",
                   n, n * 24.0 / 1048576.0);
      return NULL;
    }
  s->group_start = g_new0 (guint32, P + 1);
  s->block_start = g_new0 (guint64, nb + 1);
  s->weight = g_new0 (double, nb);
  _scalr_bpr_user_groups (m, P, s->user_group);
  return g_steal_pointer (&s);
}

ScalrBprSampler *
_scalr_bpr_sampler_new_blocks (const ScalrCsr *m, guint blocks, guint64 seed, guint epoch, GError **error)
{
  g_autofree double *w = NULL;
  ScalrBprSampler *s = sampler_alloc (m, CLAMP (blocks, 1, 256), seed, &w, error);
  if (s)
    sampler_regroup (s, epoch, w);
  return s;
}

ScalrBprSampler *
_scalr_bpr_sampler_new (const ScalrCsr *m, GError **error)
{
  return _scalr_bpr_sampler_new_blocks (m, 1, 0, 0, error);
}

guint
_scalr_bpr_sampler_get_blocks (const ScalrBprSampler *s, const guint32 **user_group, const guint32 **item_group)
{
  if (user_group)
    *user_group = s->user_group;
  if (item_group)
    *item_group = s->item_group;
  return s->P;
}

double
_scalr_bpr_sampler_total (const ScalrBprSampler *s)
{
  return s->total > 0.0 ? s->total : 0.0;
}

static gboolean
row_contains (const ScalrCsr *m, guint row, guint32 item)
{
  guint64 lo = m->indptr[row], hi = m->indptr[row + 1];
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      if (m->indices[mid] < item)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < m->indptr[row + 1] && m->indices[lo] == item;
}

/* A triple from block @b: (u, i) ∝ weight among the block's entries, j uniform over the
 * items of i's group not in u's row (at most 64 tries). */
static inline gboolean
block_draw (const ScalrBprSampler *s, gsize b, ScalrRng *rng, guint32 *u, guint32 *i, guint32 *j)
{
  guint64 lo = s->block_start[b];
  guint32 n = (guint32) (s->block_start[b + 1] - lo);
  if (n == 0 || !(s->weight[b] > 0.0))
    return FALSE;
  guint64 e = lo + scalr_alias_draw (s->prob + lo, s->alias + lo, n, rng);
  const ScalrCsr *m = s->m;
  guint32 user = s->user[e];
  *u = user;
  *i = s->item[e];
  if (scalr_csr_row_len (m, user) >= m->n_cols)
    return FALSE;
  guint g = s->item_group[*i];
  const guint32 *cands = s->group_items + s->group_start[g];
  guint32 n_cands = s->group_start[g + 1] - s->group_start[g];
  for (guint tries = 0; tries < 64; tries++)
    {
      guint32 cand = cands[scalr_rng_below (rng, n_cands)];
      if (!row_contains (m, user, cand))
        {
          *j = cand;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
_scalr_bpr_sampler_draw (const ScalrBprSampler *s, ScalrRng *rng, guint32 *u, guint32 *i, guint32 *j)
{
  g_return_val_if_fail (s->P == 1, FALSE);
  return block_draw (s, 0, rng, u, i, j);
}

gboolean
_scalr_bpr_sampler_draw_block (const ScalrBprSampler *s, guint p, guint q, ScalrRng *rng,
                               guint32 *u, guint32 *i, guint32 *j)
{
  g_return_val_if_fail (p < s->P && q < s->P, FALSE);
  return block_draw (s, (gsize) p * s->P + q, rng, u, i, j);
}

guint
_scalr_bpr_effective_blocks (const ScalrCsr *m, guint blocks)
{
  guint cap = MIN (m->n_rows, m->n_cols) / SCALR_BPR_MIN_GROUP;
  return CLAMP (MIN (blocks, cap), 1, 256);
}

/* ---- SGD ---------------------------------------------------------------------------------- */

static inline void
bpr_step (float *restrict xu, float *restrict yi, float *restrict yj, float *bi, float *bj,
          guint k, float lr, float reg)
{
  double d = (double) *bi - (double) *bj;
  for (guint a = 0; a < k; a++)
    d += (double) xu[a] * ((double) yi[a] - (double) yj[a]);
  /* g = σ(−x̂) = 1 / (1 + e^x̂); exp overflows to ∞ for a large x̂, and g is then 0. */
  float g = (float) (1.0 / (1.0 + exp (d)));
  for (guint a = 0; a < k; a++)
    {
      float x = xu[a], p = yi[a], q = yj[a];
      xu[a] += lr * (g * (p - q) - reg * x);
      yi[a] += lr * (g * x - reg * p);
      yj[a] += lr * (-g * x - reg * q);
    }
  *bi += lr * (g - reg * *bi);
  *bj += lr * (-g - reg * *bj);
}

typedef struct {
  const ScalrBprSampler *s;
  float          *U, *V, *B;
  guint           k;
  float           lr, reg;
  ScalrRng       *rng;       /* P²: one stream per block, kept across epochs */
  guint64        *steps;     /* P²: steps per epoch */
  guint           stratum;
  GCancellable   *cancellable;
} SgdJob;

/* Software prefetch for the step @ahead steps after the one about to run from @rng, whose
 * entry draw and negative are guessed by assuming that every step between takes two draws
 * (the entry, one negative: the common case — a wrong guess costs one wasted prefetch, never
 * a different result: the steps themselves draw from @rng as before). Each step's chain of
 * dependent loads — alias table, entry, user row and factors — is started in stages, so a
 * step finds its data in the cache instead of waiting for ~6 misses in a row (planted 20M:
 * BPR's steps were memory-latency bound). Stage 1 (PF_FAR steps ahead) the alias slot;
 * stage 2 (PF_MID) the entry's user and item; stage 3 (PF_NEAR) the user's factors and row
 * offset (the item factors, a few MB, stay in the cache; prefetching them too measured
 * slower). */
enum { PF_FAR = 12, PF_MID = 6, PF_NEAR = 2 };

/* Moves @walk on by @steps guessed steps (two draws each), then guesses that step's entry
 * from a copy (@walk stays at the step's start): prefetches its alias slot, or with @read
 * reads the slot and returns the entry. */
static inline guint64
guess_entry (const ScalrBprSampler *s, gsize b, ScalrRng *walk, guint steps, gboolean read)
{
  for (guint q = 0; q < 2 * steps; q++)
    (void) scalr_rng_next (walk);
  ScalrRng g = *walk;
  guint64 lo = s->block_start[b];
  guint32 n = (guint32) (s->block_start[b + 1] - lo);
  guint64 r = scalr_rng_next (&g);
  guint32 k = (guint32) (((r >> 32) * (guint64) n) >> 32);
  if (!read)
    {
      __builtin_prefetch (s->prob + lo + k);
      __builtin_prefetch (s->alias + lo + k);
      return 0;
    }
  float u = (float) (r & 0xffffff) * 0x1.0p-24f;
  return lo + (u < s->prob[lo + k] ? k : s->alias[lo + k]);
}

/* One copy of the stream walked forward: the nearest step first, then the farther ones. */
static inline void
prefetch_steps (const ScalrBprSampler *s, gsize b, const ScalrRng *rng, const float *U, guint k)
{
  ScalrRng walk = *rng;
  guint32 user = s->user[guess_entry (s, b, &walk, PF_NEAR, TRUE)];
  const float *xu = U + (gsize) user * k;
  for (guint a = 0; a < k; a += 16)
    __builtin_prefetch (xu + a, 1);
  __builtin_prefetch (s->m->indptr + user);
  guint64 e = guess_entry (s, b, &walk, PF_MID - PF_NEAR, TRUE);
  __builtin_prefetch (s->user + e);
  __builtin_prefetch (s->item + e);
  guess_entry (s, b, &walk, PF_FAR - PF_MID, FALSE);
}

/* The blocks (p, (p + stratum) mod P) for p in [first, last): disjoint users and items. */
SCALR_VECTOR_CLONES static gboolean
sgd_blocks (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  SgdJob *job = data;
  guint P = job->s->P, k = job->k;
  for (guint64 p = first; p < last; p++)
    {
      gsize b = (gsize) p * P + (p + job->stratum) % P;
      ScalrRng *rng = &job->rng[b];
      gboolean drawable = job->s->block_start[b + 1] > job->s->block_start[b] && job->s->weight[b] > 0.0;
      for (guint64 t = 0; t < job->steps[b]; t++)
        {
          if ((t & 0xffff) == 0xffff && g_cancellable_set_error_if_cancelled (job->cancellable, error))
            return FALSE;
          if (drawable)
            prefetch_steps (job->s, b, rng, job->U, k);
          guint32 u, i, j;
          if (!block_draw (job->s, b, rng, &u, &i, &j))
            continue;
          bpr_step (job->U + (gsize) u * k, job->V + (gsize) i * k, job->V + (gsize) j * k,
                    job->B + i, job->B + j, k, job->lr, job->reg);
        }
    }
  return TRUE;
}

gboolean
_scalr_bpr_fit (const ScalrCsr *m, const ScalrBprOptions *o, float **user_factors, float **item_factors,
                float **item_bias, ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!_scalr_mf_check_sizes ("bpr", m->n_rows, m->n_cols, o->factors, error))
    return FALSE;
  guint k = o->factors, P = CLAMP (o->blocks, 1, 256);
  g_autoptr (GError) local = NULL;
  g_autofree float *U = scalr_blas_alloc0 ("bpr user factors", MAX (m->n_rows, 1), k, sizeof (float), &local);
  g_autofree float *V = U ? scalr_blas_alloc0 ("bpr item factors", MAX (m->n_cols, 1), k, sizeof (float), &local) : NULL;
  g_autofree float *B = V ? scalr_blas_alloc0 ("bpr item biases", MAX (m->n_cols, 1), 1, sizeof (float), &local) : NULL;
  if (B == NULL)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "%s", local->message);
      return FALSE;
    }
  g_autofree double *w = NULL;
  g_autoptr (ScalrBprSampler) sampler = sampler_alloc (m, P, o->seed, &w, error);
  if (sampler == NULL)
    return FALSE;
  _scalr_mf_init_factors (U, m->n_rows, k, 0.1, o->seed, 0);
  _scalr_mf_init_factors (V, m->n_cols, k, 0.1, o->seed, G_GUINT64_CONSTANT (1) << 32);

  gsize nb = (gsize) P * P;
  g_autofree ScalrRng *rng = g_new (ScalrRng, nb);
  g_autofree guint64 *steps = g_new0 (guint64, nb);
  for (gsize b = 0; b < nb; b++)
    scalr_rng_init (&rng[b], o->seed, SCALR_STREAM_MODEL, (G_GUINT64_CONSTANT (1) << 63) + b);
  SgdJob job = { sampler, U, V, B, k, (float) o->lr, (float) o->reg, rng, steps, 0, cancellable };
  ScalrParallelOptions po = { .n_threads = o->n_threads, .chunk = 1, .schedule = SCALR_PARALLEL_DYNAMIC,
                              .cancellable = cancellable };
  for (guint ep = 0; ep < o->epochs; ep++)
    {
      /* The epoch's item groups (one group: the same every epoch); nnz steps, each block's
       * share ∝ its weight (P = 1: exactly nnz). */
      if (ep == 0 || P > 1)
        sampler_regroup (sampler, ep, w);
      double total = _scalr_bpr_sampler_total (sampler);
      if (!(total > 0))
        break;
      for (gsize b = 0; b < nb; b++)
        steps[b] = (guint64) floor ((double) m->nnz * (sampler->weight[b] / total) + 0.5);
      for (guint st = 0; st < P; st++)
        {
          scalr_progress_update (progress, "downstream", (ep + (double) st / P) / o->epochs,
                                 "bpr: epoch %u of %u", ep + 1, o->epochs);
          job.stratum = st;
          if (!scalr_parallel_for (P, sgd_blocks, &job, &po, error))
            return FALSE;
        }
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  *user_factors = g_steal_pointer (&U);
  *item_factors = g_steal_pointer (&V);
  *item_bias = g_steal_pointer (&B);
  return TRUE;
}

/* ---- the recommender ---------------------------------------------------------------------- */

typedef struct {
  guint  n_users, n_items, k;
  float *U;      /* n_users × k */
  float *V;      /* n_items × k */
  float *bias;   /* n_items */
} BprModel;

static void
bpr_free (gpointer data)
{
  BprModel *model = data;
  g_free (model->U);
  g_free (model->V);
  g_free (model->bias);
  g_free (model);
}

static gpointer
bpr_fit (const ScalrCsr *matrix, const ScalrConfig *config, guint64 seed, ScalrProgress *progress,
         GCancellable *cancellable, GError **error)
{
  ScalrBprOptions o = SCALR_BPR_OPTIONS_INIT;
  o.factors = (guint) scalr_config_get_or_default_int (config, bpr_params, "downstream", "bpr.factors");
  o.lr = scalr_config_get_or_default_double (config, bpr_params, "downstream", "bpr.lr");
  o.reg = scalr_config_get_or_default_double (config, bpr_params, "downstream", "bpr.reg");
  o.epochs = (guint) scalr_config_get_or_default_int (config, bpr_params, "downstream", "bpr.epochs");
  o.blocks = _scalr_bpr_effective_blocks (matrix, (guint) scalr_config_get_or_default_int (config, bpr_params, "downstream",
                                                                                           "bpr.blocks"));
  o.seed = seed;
  BprModel *model = g_new0 (BprModel, 1);
  model->n_users = matrix->n_rows;
  model->n_items = matrix->n_cols;
  model->k = o.factors;
  if (!_scalr_bpr_fit (matrix, &o, &model->U, &model->V, &model->bias, progress, cancellable, error))
    {
      bpr_free (model);
      return NULL;
    }
  return model;
}

static void
bpr_score (gpointer data, const ScalrCsr *matrix, const guint32 *users, guint n, float *out)
{
  const BprModel *model = data;
  (void) matrix;
  _scalr_mf_score (model->U, model->V, model->n_items, model->k, users, n, out);
  for (guint r = 0; r < n; r++)
    {
      float *row = out + (gsize) r * model->n_items;
      for (guint i = 0; i < model->n_items; i++)
        row[i] += model->bias[i];
    }
}

const ScalrRecommenderClass scalr_bpr_recommender = {
  .name = "bpr",
  .summary = "BPR-MF (Rendle et al. 2009): pairwise SGD, positives sampled in proportion to their weight",
  .params = bpr_params,
  .fit = bpr_fit,
  .free_model = bpr_free,
  .score = bpr_score,
};
