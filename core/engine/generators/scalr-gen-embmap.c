/* scalr-gen-embmap.c — EMCDR-style embedding and mapping (Man, Shen, Jin & Cheng 2017).
 *
 * Each domain is factorised on its own with weighted implicit ALS (core/mf/scalr-ials.h):
 * the source matrix (every user × source items) and the target training matrix (every user ×
 * target items), both binary (weight 1). A ridge map M (k × k) from source user factors to
 * target user factors is fitted on the users with both source events and target training
 * events, M = (UsᵀUs + λI)⁻¹ UsᵀUt (Cholesky), and user u's scores are (u_s M) · V_tᵀ — one
 * sgemm for the mapping and one for the scores per batch. A user without source events has
 * source factors near 0 and so near-uniform scores. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-blas.h"
#include "scalr-gen-embmap-private.h"
#include "scalr-generator.h"
#include "scalr-progress.h"
#include "scalr-ials.h"

static const ScalrParam embmap_params[] = {
  { "generator", "factors", SCALR_PARAM_INT, "32", 1, 512, NULL,
    "embmap: latent factors k of each domain's iALS", "embmap", NULL, "16,32,64" },
  { "generator", "als_alpha", SCALR_PARAM_DOUBLE, "10", 0, 1e6, NULL,
    "embmap: iALS confidence per event, c = 1 + α", "embmap" },
  { "generator", "als_reg", SCALR_PARAM_DOUBLE, "0.1", 0, 1e6, NULL,
    "embmap: iALS L2 regularisation of the factors", "embmap" },
  { "generator", "als_iters", SCALR_PARAM_INT, "10", 1, 1000, NULL,
    "embmap: iALS iterations per domain", "embmap" },
  { "generator", "map_l2", SCALR_PARAM_DOUBLE, "1", 1e-9, 1e9, NULL,
    "embmap: L2 regularisation λ of the source→target factor map", "embmap", NULL, "0.01..100 log" },
  { NULL }
};

/* Conjugate-gradient steps per iALS row update. */
#define EMBMAP_CG_STEPS 3

static void
embmap_free (gpointer data)
{
  ScalrEmbmap *e = data;
  g_free (e->Us);
  g_free (e->Ut);
  g_free (e->Vt);
  g_free (e->M);
  g_free (e->fit_users);
  g_free (e);
}

/* Re-raises an iALS or BLAS error in the generator's domain, prefixed by @what (may be NULL);
 * cancellation stays G_IO_ERROR_CANCELLED. Takes @local. */
static void
propagate (GError **error, GError *local, const char *what)
{
  if (local->domain == SCALR_RECOMMENDER_ERROR || local->domain == SCALR_BLAS_ERROR)
    {
      gboolean numeric = (local->domain == SCALR_RECOMMENDER_ERROR && local->code == SCALR_RECOMMENDER_ERROR_NUMERIC)
                      || (local->domain == SCALR_BLAS_ERROR && local->code != SCALR_BLAS_ERROR_TOO_LARGE);
      g_set_error (error, SCALR_GENERATOR_ERROR,
                   numeric ? SCALR_GENERATOR_ERROR_NUMERIC : SCALR_GENERATOR_ERROR_TOO_LARGE,
                   "embmap: %s%s%s", what ? what : "", what ? ": " : "", local->message);
      g_error_free (local);
    }
  else
    g_propagate_error (error, local);
}

/* The map M (k × k): the ridge normal equations in double over the fitting users,
 * (Xsᵀ Xs + λI) M = Xsᵀ Xt. On error (memory, BLAS) returns FALSE and sets @error. */
static gboolean
fit_map (ScalrEmbmap *e, ScalrProgress *progress, GError **error)
{
  guint k = e->k;
  scalr_progress_update (progress, "generator", 0.9, "embmap: ridge map %u×%u on %u users", k, k, e->n_fit);
  g_autofree double *Xs = scalr_blas_alloc0 ("embmap source factors of the fitting users", e->n_fit, k, sizeof (double), error);
  g_autofree double *Xt = Xs ? scalr_blas_alloc0 ("embmap target factors of the fitting users", e->n_fit, k, sizeof (double), error) : NULL;
  if (Xt == NULL)
    return FALSE;
  for (guint r = 0; r < e->n_fit; r++)
    for (guint a = 0; a < k; a++)
      {
        gsize src = (gsize) e->fit_users[r] * k + a;
        Xs[(gsize) r * k + a] = e->Us[src];
        Xt[(gsize) r * k + a] = e->Ut[src];
      }
  g_autofree double *A = g_new0 (double, (gsize) k * k);
  g_autofree double *B = g_new0 (double, (gsize) k * k);
  if (!scalr_dgemm (TRUE, FALSE, k, k, e->n_fit, 1.0, Xs, k, Xs, k, 0.0, A, k, error)
      || !scalr_dgemm (TRUE, FALSE, k, k, e->n_fit, 1.0, Xs, k, Xt, k, 0.0, B, k, error))
    return FALSE;
  for (guint a = 0; a < k; a++)
    A[(gsize) a * k + a] += e->l2;
  if (!scalr_dposv (k, k, A, B, error))
    return FALSE;
  e->M = g_new (float, (gsize) k * k);
  for (gsize a = 0; a < (gsize) k * k; a++)
    e->M[a] = (float) B[a];
  return TRUE;
}

static gpointer
embmap_fit (ScalrSplit *split, const ScalrConfig *config, ScalrProgress *progress,
            GCancellable *cancellable, GError **error)
{
  const ScalrCsr *S = scalr_split_get_source (split);
  const ScalrCsr *T = scalr_split_get_train (split);
  guint64 seed = scalr_split_get_options (split)->seed;
  ScalrIalsOptions o = SCALR_IALS_OPTIONS_INIT;
  o.factors = (guint) scalr_config_get_int (config, "generator", "factors");
  o.alpha = scalr_config_get_double (config, "generator", "als_alpha");
  o.reg = scalr_config_get_double (config, "generator", "als_reg");
  o.iters = (guint) scalr_config_get_int (config, "generator", "als_iters");
  o.cg_steps = EMBMAP_CG_STEPS;
  double l2 = scalr_config_get_double (config, "generator", "map_l2");
  guint k = o.factors;
  GError *local = NULL;

  g_autoptr (GArray) fit = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint u = 0; u < S->n_rows; u++)
    if (scalr_csr_row_len (S, u) > 0 && scalr_csr_row_len (T, u) > 0)
      g_array_append_val (fit, u);
  if (fit->len == 0)
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NO_DATA,
                   "embmap: no user has both source events and target training events");
      return NULL;
    }
  /* Sizes first, so that nothing is allocated for a model that cannot fit. */
  if (!_scalr_mf_check_sizes ("source iALS", S->n_rows, S->n_cols, k, &local)
      || !_scalr_mf_check_sizes ("target iALS", T->n_rows, T->n_cols, k, &local))
    {
      propagate (error, local, NULL);
      return NULL;
    }

  /* Binary views of both matrices: the same rows, every value 1. */
  ScalrCsr Sb = *S, Tb = *T;
  Sb.values = NULL;
  Tb.values = NULL;

  ScalrEmbmap *e = g_new0 (ScalrEmbmap, 1);
  e->n_users = S->n_rows;
  e->n_tgt = T->n_cols;
  e->k = k;
  e->l2 = l2;
  e->n_fit = fit->len;
  e->fit_users = (guint32 *) (void *) g_array_free (g_steal_pointer (&fit), FALSE);

  g_autofree float *Vs = NULL;
  o.seed = seed;
  if (!_scalr_ials_fit (&Sb, &o, &e->Us, &Vs, progress, "generator", 0.0, 0.45, cancellable, &local))
    {
      propagate (error, local, "source factorisation");
      embmap_free (e);
      return NULL;
    }
  g_clear_pointer (&Vs, g_free);
  guint64 x = seed;
  o.seed = scalr_splitmix64 (&x);   /* another stream for the target domain */
  if (!_scalr_ials_fit (&Tb, &o, &e->Ut, &e->Vt, progress, "generator", 0.45, 0.9, cancellable, &local))
    {
      propagate (error, local, "target factorisation");
      embmap_free (e);
      return NULL;
    }

  if (!fit_map (e, progress, &local))
    {
      propagate (error, local, "map");
      embmap_free (e);
      return NULL;
    }
  return e;
}

/* Scores (u_s M) V_tᵀ for a batch: gather, map (sgemm), score (sgemm). */
static void
embmap_score (gpointer data, const guint32 *users, guint n, float *out)
{
  const ScalrEmbmap *e = data;
  guint k = e->k;
  if (n == 0)
    return;
  g_autofree float *X = g_new (float, (gsize) n * k);
  g_autofree float *Z = g_new (float, (gsize) n * k);
  for (guint r = 0; r < n; r++)
    memcpy (X + (gsize) r * k, e->Us + (gsize) users[r] * k, k * sizeof (float));
  g_autoptr (GError) error = NULL;
  /* Dimensions were checked when the model was fitted; n is a batch. */
  if (!scalr_sgemm (FALSE, FALSE, n, k, k, 1.0f, X, k, e->M, k, 0.0f, Z, k, &error)
      || !scalr_sgemm (FALSE, TRUE, n, e->n_tgt, k, 1.0f, Z, k, e->Vt, k, 0.0f, out, e->n_tgt, &error))
    g_critical ("embmap: %s", error->message);
}

const ScalrGeneratorClass scalr_embmap_generator = {
  .name = "embmap",
  .summary = "EMCDR-style: iALS factors of each domain and a ridge map from source to target user factors",
  .params = embmap_params,
  .fit = embmap_fit,
  .free_model = embmap_free,
  .score = embmap_score,
};
