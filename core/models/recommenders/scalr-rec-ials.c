/* scalr-rec-ials.c — `ials`: the downstream recommender over the iALS core (core/mf/scalr-ials.h):
 * reads its hyperparameters, fits user and item factors, scores by X Yᵀ. */
#include "config.h"

#include "scalr-ials.h"
#include "scalr-recommenders-mf-private.h"

static const ScalrParam ials_params[] = {
  { "downstream", "ials.factors", SCALR_PARAM_INT, "64", 1, 1024, NULL,
    "ials: number of latent factors k", "ials", NULL, "16,32,64,128" },
  { "downstream", "ials.alpha", SCALR_PARAM_DOUBLE, "10", 0, 1e6, NULL,
    "ials: confidence per unit of event weight, c = 1 + α·w", "ials", NULL, "1..50 log" },
  { "downstream", "ials.reg", SCALR_PARAM_DOUBLE, "0.1", 0, 1e6, NULL,
    "ials: L2 regularisation λ of user and item factors", "ials", NULL, "0.01..100 log" },
  { "downstream", "ials.iters", SCALR_PARAM_INT, "10", 1, 1000, NULL,
    "ials: alternating iterations (users, then items)", "ials" },
  { "downstream", "ials.cg_steps", SCALR_PARAM_INT, "3", 1, 100, NULL,
    "ials: conjugate-gradient steps per row update (warm-started)", "ials" },
  { NULL }
};

typedef struct {
  guint  n_users, n_items, k;
  float *U;   /* n_users × k */
  float *V;   /* n_items × k */
} IalsModel;

static void
ials_free (gpointer data)
{
  IalsModel *model = data;
  g_free (model->U);
  g_free (model->V);
  g_free (model);
}

static gpointer
ials_fit (const ScalrCsr *matrix, const ScalrConfig *config, guint64 seed, ScalrProgress *progress,
          GCancellable *cancellable, GError **error)
{
  ScalrIalsOptions o = SCALR_IALS_OPTIONS_INIT;
  o.factors = (guint) scalr_config_get_or_default_int (config, ials_params, "downstream", "ials.factors");
  o.alpha = scalr_config_get_or_default_double (config, ials_params, "downstream", "ials.alpha");
  o.reg = scalr_config_get_or_default_double (config, ials_params, "downstream", "ials.reg");
  o.iters = (guint) scalr_config_get_or_default_int (config, ials_params, "downstream", "ials.iters");
  o.cg_steps = (guint) scalr_config_get_or_default_int (config, ials_params, "downstream", "ials.cg_steps");
  o.seed = seed;
  IalsModel *model = g_new0 (IalsModel, 1);
  model->n_users = matrix->n_rows;
  model->n_items = matrix->n_cols;
  model->k = o.factors;
  if (!_scalr_ials_fit (matrix, &o, &model->U, &model->V, progress, "downstream", 0.0, 1.0, cancellable, error))
    {
      ials_free (model);
      return NULL;
    }
  return model;
}

static void
ials_score (gpointer data, const ScalrCsr *matrix, const guint32 *users, guint n, float *out)
{
  const IalsModel *model = data;
  (void) matrix;
  _scalr_mf_score (model->U, model->V, model->n_items, model->k, users, n, out);
}

const ScalrRecommenderClass scalr_ials_recommender = {
  .name = "ials",
  .summary = "Weighted implicit ALS (Hu, Koren & Volinsky 2008) with a conjugate-gradient solver",
  .params = ials_params,
  .fit = ials_fit,
  .free_model = ials_free,
  .score = ials_score,
};
