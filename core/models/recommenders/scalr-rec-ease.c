/* scalr-rec-ease.c — EASE^R (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data",
 * WWW 2019) on the weighted matrix X (users × items):
 *
 *   G = XᵀX + λI,  P = G⁻¹,  B_ij = −P_ij / P_jj  (i ≠ j),  B_jj = 0,  scores = x_u B.
 *
 * G is a dense items × items matrix of doubles (only its lower triangle is built): light
 * users are added sparsely (|u|² updates each), heavy users through dense blocks of rows and
 * dsyrk, whichever costs less. P comes from Cholesky (potrf + potri) in place; B is then
 * written as floats over the same buffer, so the peak memory is 8·items² bytes. Scores are
 * sums of rows of B for light users and one sgemm over a dense block for heavy users. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-limits.h"
#include "scalr-blas.h"
#include "scalr-progress.h"
#include "scalr-recommenders-private.h"

static const ScalrParam ease_params[] = {
  { "downstream", "ease.l2", SCALR_PARAM_DOUBLE, "500", 1e-3, 1e12, NULL,
    "ease: L2 regularisation λ added to the diagonal of the item Gram matrix", "ease", NULL, "10..5000 log" },
  { "downstream", "ease.max_items", SCALR_PARAM_INT, "30000", 10, 100000, NULL,
    "ease: refuse matrices with more items (memory 8·items² bytes, time cubic in items)", "ease" },
  { NULL }
};

#define DENSE_BLOCK_ROWS 64

typedef struct {
  guint  n_items;
  guint  dense_score_min_len;  /* users with at least this many events: sgemm */
  float *B;                    /* owned, n_items × n_items, row-major */
} Ease;

static void
ease_free (gpointer data)
{
  Ease *e = data;
  if (e == NULL)
    return;
  g_free (e->B);
  g_free (e);
}

static inline float
weight_at (const ScalrCsr *m, guint64 a)
{
  return m->values ? m->values[a] : 1.0f;
}

/* Adds the lower triangle of X_bᵀ X_b for the @nb users of @block (dense rows in @X, which
 * is zeroed again afterwards). */
static gboolean
flush_dense (const ScalrCsr *m, const guint32 *block, guint nb, double *X, double *G, gsize I, GError **error)
{
  if (nb == 0)
    return TRUE;
  for (guint k = 0; k < nb; k++)
    for (guint64 a = m->indptr[block[k]]; a < m->indptr[block[k] + 1]; a++)
      X[(gsize) k * I + m->indices[a]] = weight_at (m, a);
  gboolean ok = scalr_dsyrk_lower (I, nb, 1.0, X, I, 1.0, G, I, error);
  for (guint k = 0; k < nb; k++)
    for (guint64 a = m->indptr[block[k]]; a < m->indptr[block[k] + 1]; a++)
      X[(gsize) k * I + m->indices[a]] = 0.0;
  return ok;
}

/* Sets the error for @n_items items (beyond @max_items, the BLAS limits or the address space). */
static void
set_too_large (guint n_items, guint max_items, GError **error)
{
  gsize bytes;
  gboolean fits = g_size_checked_mul (&bytes, n_items, n_items) && g_size_checked_mul (&bytes, bytes, sizeof (double));
  if (n_items > max_items && fits)
    g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                 "ease: %u items exceed the limit ease.max_items = %u; the %u × %u item matrix would "
                 "need %.1f GiB of memory (and time cubic in the items) — raise [downstream] "
                 "ease.max_items if the machine has it, or use itemknn", n_items, max_items, n_items,
                 n_items, bytes / 1073741824.0);
  else
    g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                 "ease: %u items (limit ease.max_items = %u): the %u × %u item matrix is beyond the "
                 "address space and the 32-bit dimensions of BLAS; use itemknn", n_items, max_items,
                 n_items, n_items);
}

gpointer
_scalr_ease_fit (const ScalrCsr *m, const ScalrEaseOptions *opt, ScalrProgress *progress,
                 GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (m != NULL && opt != NULL, NULL);
  g_return_val_if_fail (opt->l2 > 0.0, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  gsize I = m->n_cols;
  if (I > opt->max_items)
    {
      set_too_large (m->n_cols, opt->max_items, error);
      return NULL;
    }
  g_autoptr (GError) local = NULL;
  gsize bytes;
  if (!scalr_blas_check_dims ("ease", &local, 2, I, I)
      || !g_size_checked_mul (&bytes, I, I) || !g_size_checked_mul (&bytes, bytes, sizeof (double)))
    {
      set_too_large (m->n_cols, opt->max_items, error);
      return NULL;
    }
  /* The I×I Gram matrix (doubles, inverted in place) and a block of dense rows. */
  guint64 need = scalr_limits_add (bytes, scalr_limits_mul ((guint64) DENSE_BLOCK_ROWS * 8, I));
  g_autofree char *hint = g_strdup_printf ("lower [downstream] ease.max_items (the target domain has %" G_GSIZE_FORMAT
                                           " items) or use itemknn", I);
  if (!scalr_limits_check_memory ("ease", need, hint, error))
    return NULL;
  guint dense_gram = opt->dense_gram_min_len ? opt->dense_gram_min_len : MAX ((guint) I / 16, 128u);
  guint dense_score = opt->dense_score_min_len ? opt->dense_score_min_len : MAX ((guint) I / 16, 64u);

  scalr_progress_update (progress, "downstream", 0.0, "ease: Gram matrix of %" G_GSIZE_FORMAT " items (%.1f MiB)",
                         I, bytes / 1048576.0);
  g_autofree double *G = scalr_blas_alloc0 ("ease Gram matrix", I, I, sizeof (double), &local);
  g_autofree double *X = NULL;
  g_autofree guint32 *block = g_new (guint32, DENSE_BLOCK_ROWS);
  guint nb = 0;
  if (G == NULL)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "%s; lower [downstream] ease.max_items or use itemknn", local->message);
      return NULL;
    }

  for (guint u = 0; u < m->n_rows; u++)
    {
      guint64 lo = m->indptr[u], hi = m->indptr[u + 1];
      if (hi - lo >= dense_gram)
        {
          if (X == NULL && (X = scalr_blas_alloc0 ("ease dense rows", DENSE_BLOCK_ROWS, I, sizeof (double), &local)) == NULL)
            {
              g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "%s", local->message);
              return NULL;
            }
          block[nb++] = u;
          if (nb == DENSE_BLOCK_ROWS)
            {
              if (!flush_dense (m, block, nb, X, G, I, &local))
                {
                  g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "ease: %s", local->message);
                  return NULL;
                }
              nb = 0;
            }
        }
      else
        /* Indices are sorted: (p, q ≤ p) is the lower triangle. */
        for (guint64 p = lo; p < hi; p++)
          {
            double wp = weight_at (m, p);
            double *grow = G + (gsize) m->indices[p] * I;
            for (guint64 q = lo; q <= p; q++)
              grow[m->indices[q]] += wp * weight_at (m, q);
          }
      if ((u & 1023) == 1023)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          scalr_progress_update (progress, "downstream", 0.3 * (u + 1.0) / m->n_rows,
                                 "ease: Gram matrix, %u of %u users", u + 1, m->n_rows);
        }
    }
  if (!flush_dense (m, block, nb, X, G, I, &local))
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "ease: %s", local->message);
      return NULL;
    }
  g_clear_pointer (&X, g_free);
  for (gsize j = 0; j < I; j++)
    G[j * I + j] += opt->l2;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  scalr_progress_update (progress, "downstream", 0.35, "ease: Cholesky inverse of %" G_GSIZE_FORMAT "×%" G_GSIZE_FORMAT,
                         I, I);
  if (!scalr_dpoinv (I, G, &local))
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_NUMERIC, "ease: %s", local->message);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* B = −P / diag(P) column-wise, as floats written over P row by row: float row i occupies
   * bytes [4·i·I, 4·(i+1)·I), inside double rows 0…i, which are read already. */
  scalr_progress_update (progress, "downstream", 0.95, "ease: weights");
  g_autofree double *diag = g_new (double, MAX (I, 1));
  g_autofree double *rowd = g_new (double, MAX (I, 1));
  g_autofree float *rowf = g_new (float, MAX (I, 1));
  for (gsize j = 0; j < I; j++)
    diag[j] = G[j * I + j];
  guint8 *buf = (guint8 *) G;
  for (gsize i = 0; i < I; i++)
    {
      memcpy (rowd, buf + i * I * sizeof (double), I * sizeof (double));
      for (gsize j = 0; j < I; j++)
        rowf[j] = (float) (-rowd[j] / diag[j]);
      rowf[i] = 0.0f;
      memcpy (buf + i * I * sizeof (float), rowf, I * sizeof (float));
    }
  Ease *e = g_new0 (Ease, 1);
  e->n_items = (guint) I;
  e->dense_score_min_len = dense_score;
  e->B = g_realloc (g_steal_pointer (&G), MAX (I * I * sizeof (float), 1));
  scalr_progress_update (progress, "downstream", 1.0, "ease: done");
  return e;
}

static gpointer
ease_fit (const ScalrCsr *m, const ScalrConfig *config, guint64 seed, ScalrProgress *progress,
          GCancellable *cancellable, GError **error)
{
  (void) seed;
  ScalrEaseOptions opt = {
    .l2 = scalr_config_get_or_default_double (config, ease_params, "downstream", "ease.l2"),
    .max_items = (guint) scalr_config_get_or_default_int (config, ease_params, "downstream", "ease.max_items"),
  };
  return _scalr_ease_fit (m, &opt, progress, cancellable, error);
}

static void
ease_score (gpointer data, const ScalrCsr *m, const guint32 *users, guint n, float *out)
{
  const Ease *e = data;
  gsize I = e->n_items;
  memset (out, 0, (gsize) n * I * sizeof (float));
  g_autofree guint *dense = g_new (guint, MAX (n, 1));
  guint nd = 0;
  for (guint k = 0; k < n; k++)
    {
      guint32 u = users[k];
      if (scalr_csr_row_len (m, u) >= e->dense_score_min_len)
        {
          dense[nd++] = k;
          continue;
        }
      float *row = out + (gsize) k * I;
      for (guint64 a = m->indptr[u]; a < m->indptr[u + 1]; a++)
        {
          const float *brow = e->B + (gsize) m->indices[a] * I;
          float w = weight_at (m, a);
          for (gsize i = 0; i < I; i++)
            row[i] += w * brow[i];
        }
    }
  if (nd == 0)
    return;
  /* Heavy users: dense blocks of rows, one sgemm each (I was checked against INT_MAX at fit). */
  guint nb = MIN (nd, DENSE_BLOCK_ROWS);
  g_autofree float *Xd = g_new0 (float, (gsize) nb * I);
  g_autofree float *Y = g_new (float, (gsize) nb * I);
  for (guint s = 0; s < nd; s += nb)
    {
      guint cnt = MIN (nb, nd - s);
      memset (Xd, 0, (gsize) nb * I * sizeof (float));
      for (guint k = 0; k < cnt; k++)
        {
          guint32 u = users[dense[s + k]];
          for (guint64 a = m->indptr[u]; a < m->indptr[u + 1]; a++)
            Xd[(gsize) k * I + m->indices[a]] = weight_at (m, a);
        }
      g_autoptr (GError) error = NULL;
      if (!scalr_sgemm (FALSE, FALSE, cnt, I, I, 1.0f, Xd, I, e->B, I, 0.0f, Y, I, &error))
        {
          g_critical ("ease: %s", error->message);
          return;
        }
      for (guint k = 0; k < cnt; k++)
        memcpy (out + (gsize) dense[s + k] * I, Y + (gsize) k * I, I * sizeof (float));
    }
}

const float *
_scalr_ease_get_weights (gpointer model, guint *n_items)
{
  const Ease *e = model;
  if (n_items)
    *n_items = e->n_items;
  return e->B;
}

const ScalrRecommenderClass scalr_ease_recommender = {
  .name = "ease",
  .summary = "EASE^R: closed-form item–item linear autoencoder on the weighted Gram matrix (Cholesky)",
  .params = ease_params,
  .fit = ease_fit,
  .free_model = ease_free,
  .score = ease_score,
};
