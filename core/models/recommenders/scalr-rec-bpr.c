/* scalr-rec-bpr.c — `bpr`: BPR-MF (Rendle, Freudenthaler, Gantner & Schmidt-Thieme 2009).
 *
 * SGD on triples (u, i, j): (u, i) an entry of the weighted matrix drawn in proportion to its
 * weight (one alias table over all entries, O(1) per draw), so a synthetic event of weight w
 * counts w times as often as a real one; j an item not in u's row, uniform (rejection). With
 * x̂_uij = x_uᵀ(y_i − y_j) + b_i − b_j and g = σ(−x̂_uij), a step ascends
 * ln σ(x̂_uij) − reg (‖x_u‖² + ‖y_i‖² + ‖y_j‖² + b_i² + b_j²) / 2. The item bias b (as in most
 * BPR implementations, e.g. Cornac's) lets popularity be learnt without spending factors.
 * One RNG stream, one thread: a result is a function of the seed. Scores x_uᵀy_i + b_i
 * (sgemm over a batch). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-limits.h"
#include "scalr-alias.h"
#include "scalr-blas.h"
#include "scalr-bpr-private.h"
#include "scalr-ials.h"
#include "scalr-recommenders-mf-private.h"

static const ScalrParam bpr_params[] = {
  { "downstream", "bpr.factors", SCALR_PARAM_INT, "64", 1, 1024, NULL,
    "bpr: number of latent factors k", "bpr", NULL, "16,32,64,128" },
  { "downstream", "bpr.lr", SCALR_PARAM_DOUBLE, "0.05", 1e-6, 10, NULL,
    "bpr: SGD learning rate", "bpr", NULL, "0.005..0.2 log" },
  { "downstream", "bpr.reg", SCALR_PARAM_DOUBLE, "0.0025", 0, 10, NULL,
    "bpr: L2 regularisation of the factors and item biases a step touches", "bpr", NULL, "0.0001..0.1 log" },
  { "downstream", "bpr.epochs", SCALR_PARAM_INT, "20", 1, 10000, NULL,
    "bpr: epochs of SGD (an epoch is as many sampled triples as there are events)", "bpr" },
  { NULL }
};

/* ---- the sampler -------------------------------------------------------------------------- */

struct _ScalrBprSampler {
  const ScalrCsr *m;       /* borrowed */
  guint32         n;       /* entries in the table (0: nothing to draw) */
  float          *prob;    /* n */
  guint32        *alias;   /* n */
  guint32        *row_of;  /* n: the entry's row */
  double          total;
};

void
_scalr_bpr_sampler_free (ScalrBprSampler *s)
{
  if (s == NULL)
    return;
  g_free (s->prob);
  g_free (s->alias);
  g_free (s->row_of);
  g_free (s);
}

ScalrBprSampler *
_scalr_bpr_sampler_new (const ScalrCsr *m, GError **error)
{
  if (m->nnz > G_MAXUINT32)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "bpr: %" G_GUINT64_FORMAT " events exceed the sampler's limit of %u",
                   m->nnz, G_MAXUINT32);
      return NULL;
    }
  if (!scalr_limits_check_memory ("bpr's positive sampler", scalr_limits_mul (m->nnz, 20),
                                  "train on fewer events (fewer synthetic events: [sampler] samples_per_event or user_ratio)", error))
    return NULL;
  g_autoptr (ScalrBprSampler) s = g_new0 (ScalrBprSampler, 1);
  s->m = m;
  if (m->nnz == 0)
    return g_steal_pointer (&s);
  gsize n = (gsize) m->nnz;
  g_autofree double *w = g_try_new (double, n);
  s->prob = g_try_new (float, n);
  s->alias = g_try_new (guint32, n);
  s->row_of = g_try_new (guint32, n);
  if (w == NULL || s->prob == NULL || s->alias == NULL || s->row_of == NULL)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "bpr: cannot allocate the sampler of %" G_GSIZE_FORMAT " events (%.1f MiB)",
                   n, n * 20.0 / 1048576.0);
      return NULL;
    }
  for (guint r = 0; r < m->n_rows; r++)
    for (guint64 e = m->indptr[r]; e < m->indptr[r + 1]; e++)
      {
        s->row_of[e] = r;
        w[e] = m->values ? MAX ((double) m->values[e], 0.0) : 1.0;
      }
  s->total = scalr_alias_build (w, (guint) n, s->prob, s->alias);
  if (s->total > 0.0)
    s->n = (guint32) n;
  return g_steal_pointer (&s);
}

double
_scalr_bpr_sampler_total (const ScalrBprSampler *s)
{
  return s->n ? s->total : 0.0;
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

gboolean
_scalr_bpr_sampler_draw (const ScalrBprSampler *s, ScalrRng *rng, guint32 *u, guint32 *i, guint32 *j)
{
  if (s->n == 0)
    return FALSE;
  guint32 e = scalr_alias_draw (s->prob, s->alias, s->n, rng);
  guint32 user = s->row_of[e];
  const ScalrCsr *m = s->m;
  *u = user;
  *i = m->indices[e];
  if (scalr_csr_row_len (m, user) >= m->n_cols)
    return FALSE;
  for (guint tries = 0; tries < 64; tries++)
    {
      guint32 cand = scalr_rng_below (rng, m->n_cols);
      if (!row_contains (m, user, cand))
        {
          *j = cand;
          return TRUE;
        }
    }
  return FALSE;
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

gboolean
_scalr_bpr_fit (const ScalrCsr *m, const ScalrBprOptions *o, float **user_factors, float **item_factors,
                float **item_bias, ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!_scalr_mf_check_sizes ("bpr", m->n_rows, m->n_cols, o->factors, error))
    return FALSE;
  guint k = o->factors;
  g_autoptr (GError) local = NULL;
  g_autofree float *U = scalr_blas_alloc0 ("bpr user factors", MAX (m->n_rows, 1), k, sizeof (float), &local);
  g_autofree float *V = U ? scalr_blas_alloc0 ("bpr item factors", MAX (m->n_cols, 1), k, sizeof (float), &local) : NULL;
  g_autofree float *B = V ? scalr_blas_alloc0 ("bpr item biases", MAX (m->n_cols, 1), 1, sizeof (float), &local) : NULL;
  if (B == NULL)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "%s", local->message);
      return FALSE;
    }
  g_autoptr (ScalrBprSampler) sampler = _scalr_bpr_sampler_new (m, error);
  if (sampler == NULL)
    return FALSE;
  _scalr_mf_init_factors (U, m->n_rows, k, 0.1, o->seed, 0);
  _scalr_mf_init_factors (V, m->n_cols, k, 0.1, o->seed, G_GUINT64_CONSTANT (1) << 32);

  ScalrRng rng;
  scalr_rng_init (&rng, o->seed, SCALR_STREAM_MODEL, G_GUINT64_CONSTANT (1) << 63);
  float lr = (float) o->lr, reg = (float) o->reg;
  guint64 per_epoch = _scalr_bpr_sampler_total (sampler) > 0 ? m->nnz : 0;
  for (guint ep = 0; ep < o->epochs && per_epoch > 0; ep++)
    {
      for (guint64 t = 0; t < per_epoch; t++)
        {
          if ((t & 0xffff) == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return FALSE;
              scalr_progress_update (progress, "downstream", (ep + (double) t / per_epoch) / o->epochs,
                                     "bpr: epoch %u of %u", ep + 1, o->epochs);
            }
          guint32 u, i, j;
          if (!_scalr_bpr_sampler_draw (sampler, &rng, &u, &i, &j))
            continue;
          bpr_step (U + (gsize) u * k, V + (gsize) i * k, V + (gsize) j * k, B + i, B + j, k, lr, reg);
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
