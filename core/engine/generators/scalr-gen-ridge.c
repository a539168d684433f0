/* scalr-gen-ridge.c — a cross-domain linear model: W = (XᵀX + λI)⁻¹ XᵀY on overlap users'
 * training events, X the binary source rows and Y the binary target training rows; a user's
 * scores are x_u W, computed in batches with sgemm. The Gram matrix is accumulated sparsely
 * (Σ_u |S_u|²), solved by Cholesky (LAPACK posv). At most `max_source_items` source items
 * (the most popular) are used, which bounds the J×J system. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-blas.h"
#include "scalr-generator.h"
#include "scalr-limits.h"
#include "scalr-progress.h"

static const ScalrParam ridge_params[] = {
  { "generator", "l2", SCALR_PARAM_DOUBLE, "500", 1e-6, 1e12, NULL,
    "ridge: L2 regularisation λ of the source→target linear map", "ridge", NULL, "10..5000 log" },
  { "generator", "max_source_items", SCALR_PARAM_INT, "10000", 10, 100000, NULL,
    "ridge: use at most this many source items (the most popular) — the solve is cubic in it", "ridge" },
  { NULL }
};

typedef struct {
  guint     n_src, n_tgt, n_cols;   /* n_cols: source items kept */
  gint32   *col_of;                 /* n_src: column in W, or -1 */
  float    *W;                      /* n_cols × n_tgt */
  const ScalrCsr *source;           /* borrowed */
} Ridge;

static void
ridge_free (gpointer data)
{
  Ridge *r = data;
  g_free (r->col_of);
  g_free (r->W);
  g_free (r);
}

static gint
cmp_count_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  const guint64 *cnt = data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  if (cnt[x] != cnt[y])
    return cnt[x] > cnt[y] ? -1 : 1;
  return x < y ? -1 : (x > y);
}

/* Keeps the @max_cols source items held by most fitting users (those with source events and
 * target training events) as the model's columns; returns the number of fitting users. */
static guint
choose_columns (Ridge *r, const ScalrCsr *S, const ScalrCsr *T, guint max_cols)
{
  g_autofree guint64 *cnt = g_new0 (guint64, MAX (r->n_src, 1));
  guint n_fit = 0;
  for (guint u = 0; u < S->n_rows; u++)
    if (scalr_csr_row_len (T, u) > 0 && scalr_csr_row_len (S, u) > 0)
      {
        n_fit++;
        for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
          cnt[S->indices[a]]++;
      }
  g_autofree guint32 *order = g_new (guint32, MAX (r->n_src, 1));
  for (guint j = 0; j < r->n_src; j++)
    order[j] = j;
  g_qsort_with_data (order, (gint) r->n_src, sizeof (guint32), cmp_count_desc, cnt);
  for (guint j = 0; j < r->n_src; j++)
    r->col_of[j] = -1;
  for (guint k = 0; k < r->n_src && k < max_cols && cnt[order[k]] > 0; k++)
    r->col_of[order[k]] = (gint32) r->n_cols++;
  return n_fit;
}

/* Accumulates G = XᵀX (J × J) and B = XᵀY (J × I) over the @n_fit fitting users. On
 * cancellation returns FALSE. */
static gboolean
accumulate (const Ridge *r, const ScalrCsr *S, const ScalrCsr *T, guint n_fit, double *G, double *B,
            ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  gsize J = r->n_cols, I = r->n_tgt;
  g_autofree guint32 *cols = g_new (guint32, MAX (J, 1));
  guint done = 0;
  for (guint u = 0; u < S->n_rows; u++)
    {
      /* Exactly the n_fit users counted by choose_columns (the progress stays within its total). */
      if (scalr_csr_row_len (T, u) == 0 || scalr_csr_row_len (S, u) == 0)
        continue;
      guint nc = 0;
      for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
        if (r->col_of[S->indices[a]] >= 0)
          cols[nc++] = (guint32) r->col_of[S->indices[a]];
      for (guint x = 0; x < nc; x++)
        {
          double *grow = G + (gsize) cols[x] * J;
          for (guint y = 0; y < nc; y++)
            grow[cols[y]] += 1.0;
          double *brow = B + (gsize) cols[x] * I;
          for (guint64 b = T->indptr[u]; b < T->indptr[u + 1]; b++)
            brow[T->indices[b]] += 1.0;
        }
      if ((++done & 255) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          scalr_progress_update (progress, "generator", 0.3 * done / n_fit, "ridge: Gram matrix, %u of %u users", done, n_fit);
        }
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* W = (G + λI)⁻¹ B by Cholesky, into r->W (floats). On error (memory, a matrix that is not
 * positive definite, cancellation right after the solve) returns FALSE. */
static gboolean
solve (Ridge *r, double *G, double *B, double l2, ScalrProgress *progress, GCancellable *cancellable,
       GError **error)
{
  gsize J = r->n_cols, I = r->n_tgt;
  g_autoptr (GError) local = NULL;
  for (gsize j = 0; j < J; j++)
    G[j * J + j] += l2;
  scalr_progress_update (progress, "generator", 0.35, "ridge: Cholesky solve of %" G_GSIZE_FORMAT "×%" G_GSIZE_FORMAT
                         " with %" G_GSIZE_FORMAT " right-hand sides", J, J, I);
  if (!scalr_dposv (J, I, G, B, &local))
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NUMERIC, "ridge: %s", local->message);
      return FALSE;
    }
  /* The solve is one LAPACK call and cannot stop midway; stop right after it. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  r->W = scalr_blas_alloc0 ("ridge weights", J, MAX (I, 1), sizeof (float), &local);
  if (r->W == NULL)
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_TOO_LARGE, "%s", local->message);
      return FALSE;
    }
  for (gsize k = 0; k < J * I; k++)
    r->W[k] = (float) B[k];
  return TRUE;
}

static gpointer
ridge_fit (ScalrSplit *split, const ScalrConfig *config, ScalrProgress *progress,
           GCancellable *cancellable, GError **error)
{
  const ScalrCsr *S = scalr_split_get_source (split);
  const ScalrCsr *T = scalr_split_get_train (split);
  double l2 = scalr_config_get_double (config, "generator", "l2");
  guint max_cols = (guint) scalr_config_get_int (config, "generator", "max_source_items");

  g_autoptr (GError) local = NULL;
  Ridge *r = g_new0 (Ridge, 1);
  r->n_src = S->n_cols;
  r->n_tgt = T->n_cols;
  r->source = S;
  r->col_of = g_new (gint32, MAX (r->n_src, 1));
  guint n_fit = choose_columns (r, S, T, max_cols);
  if (n_fit == 0)
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NO_DATA,
                   "ridge: no user has both source events and target training events");
      ridge_free (r);
      return NULL;
    }
  gsize J = r->n_cols, I = r->n_tgt;
  /* The J×J Gram matrix, the J×I right-hand sides (doubles) and the J×I float weights. */
  guint64 need = scalr_limits_add (scalr_limits_mul ((guint64) J * 8, J), scalr_limits_mul ((guint64) J * 12, MAX (I, 1)));
  g_autofree char *hint = g_strdup_printf ("lower [generator] max_source_items (now %u, %" G_GSIZE_FORMAT
                                           " source items kept)", max_cols, J);
  if (!scalr_limits_check_memory ("ridge", need, hint, error))
    {
      ridge_free (r);
      return NULL;
    }
  g_autofree double *G = scalr_blas_alloc0 ("ridge Gram matrix", J, J, sizeof (double), &local);
  g_autofree double *B = G ? scalr_blas_alloc0 ("ridge cross-domain matrix", J, MAX (I, 1), sizeof (double), &local) : NULL;
  if (B == NULL)
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_TOO_LARGE,
                   "%s; lower [generator] max_source_items", local->message);
      ridge_free (r);
      return NULL;
    }
  if (!accumulate (r, S, T, n_fit, G, B, progress, cancellable, error)
      || !solve (r, G, B, l2, progress, cancellable, error))
    {
      ridge_free (r);
      return NULL;
    }
  return r;
}

/* Scores x_u W for a batch: the binary source rows as a dense block, one sgemm. */
static void
ridge_score (gpointer data, const guint32 *users, guint n, float *out)
{
  const Ridge *r = data;
  gsize J = r->n_cols, I = r->n_tgt;
  const ScalrCsr *S = r->source;
  if (J == 0)
    {
      memset (out, 0, (gsize) n * I * sizeof (float));
      return;
    }
  g_autofree float *X = g_new0 (float, (gsize) n * J);
  for (guint k = 0; k < n; k++)
    for (guint64 a = S->indptr[users[k]]; a < S->indptr[users[k] + 1]; a++)
      if (r->col_of[S->indices[a]] >= 0)
        X[(gsize) k * J + (gsize) r->col_of[S->indices[a]]] = 1.0f;
  g_autoptr (GError) error = NULL;
  /* The sizes were checked when W was allocated; n is a small batch. */
  if (!scalr_sgemm (FALSE, FALSE, n, I, J, 1.0f, X, J, r->W, I, 0.0f, out, I, &error))
    g_critical ("ridge: %s", error->message);
}

const ScalrGeneratorClass scalr_ridge_generator = {
  .name = "ridge",
  .summary = "Cross-domain ridge regression from source to target items (closed form, Cholesky)",
  .params = ridge_params,
  .fit = ridge_fit,
  .free_model = ridge_free,
  .score = ridge_score,
};
