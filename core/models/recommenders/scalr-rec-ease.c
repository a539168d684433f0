/* scalr-rec-ease.c — EASE^R (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data",
 * WWW 2019) on the weighted matrix X (users × items):
 *
 *   G = XᵀX + λI,  P = G⁻¹,  B_ij = −P_ij / P_jj  (i ≠ j),  B_jj = 0,  scores = x_u B.
 *
 * G is a dense items × items matrix (only its lower triangle is built): light users are added
 * sparsely (|u|² updates each), heavy users through dense blocks of rows and syrk, whichever
 * costs less. P comes from Cholesky (potrf + potri) in place; B is then written as floats
 * over the same buffer, so the peak memory is 8·items² bytes.
 *
 * Precision (ease.precision): the float path (sgemm-class kernels, about twice the speed of
 * double here) builds G in float, scales it to a unit diagonal (Jacobi: G' = D^-½ G D^-½),
 * keeps a copy, factors G' and asks LAPACK for its condition estimate; with `auto` it falls
 * back to the double path (G built again in double, unscaled) when 1/κ₁(G') <
 * SCALR_EASE_FLOAT_MIN_RCOND, when G' is not positive definite in float, or when the residual
 * max_j ‖G' p'_j − e_j‖∞ over 8 sampled columns of P' = G'⁻¹ exceeds
 * SCALR_EASE_FLOAT_MAX_RESIDUAL. Scores are sums of rows of B for light users and one sgemm
 * over a dense block for heavy users. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-limits.h"
#include "scalr-blas.h"
#include "scalr-progress.h"
#include "scalr-recommenders-private.h"
#include "scalr-simd.h"

static const ScalrParam ease_params[] = {
  { "downstream", "ease.l2", SCALR_PARAM_DOUBLE, "500", 1e-3, 1e12, NULL,
    "ease: L2 regularisation λ added to the diagonal of the item Gram matrix", "ease", NULL, "10..5000 log" },
  { "downstream", "ease.max_items", SCALR_PARAM_INT, "30000", 10, 100000, NULL,
    "ease: refuse matrices with more items (memory 8·items² bytes, time cubic in items)", "ease" },
  { "downstream", "ease.precision", SCALR_PARAM_CHOICE, "auto", 0, 0, "auto|float|double",
    "ease: the inverse in float (about twice as fast) or double; auto: float when its condition "
    "estimate and residual check pass, else double", "ease" },
  { NULL }
};

#define DENSE_BLOCK_ROWS 64

typedef struct {
  guint    n_items;
  guint    dense_score_min_len;  /* users with at least this many events: sgemm */
  float   *B;                    /* owned, n_items × n_items, row-major */
  gboolean single;               /* B came through the float inverse */
  double   rcond;                /* float path: LAPACK's 1/κ₁(G) estimate (NAN: not tried) */
  double   residual;             /* float path: max ‖G p_j − e_j‖∞ over sampled j (NAN: not reached) */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ease, ease_free)

static inline float
weight_at (const ScalrCsr *m, guint64 a)
{
  return m->values ? m->values[a] : 1.0f;
}

/* The lower triangle of G = XᵀX (before λ), in double or in float: light users sparsely
 * (|u|² updates), heavy users (≥ @dense_min events) through dense blocks of rows and syrk.
 * One definition for both precisions, so the two Grams cannot drift apart. */
#define DEFINE_GRAM(NAME, T, SYRK)                                                               \
static gboolean                                                                                   \
NAME##_flush (const ScalrCsr *m, const guint32 *block, guint nb, T *X, T *G, gsize I, GError **error) \
{                                                                                                 \
  if (nb == 0)                                                                                    \
    return TRUE;                                                                                  \
  for (guint k = 0; k < nb; k++)                                                                  \
    for (guint64 a = m->indptr[block[k]]; a < m->indptr[block[k] + 1]; a++)                      \
      X[(gsize) k * I + m->indices[a]] = (T) weight_at (m, a);                                    \
  gboolean ok = SYRK (I, nb, 1, X, I, 1, G, I, error);                                            \
  for (guint k = 0; k < nb; k++)                                                                  \
    for (guint64 a = m->indptr[block[k]]; a < m->indptr[block[k] + 1]; a++)                      \
      X[(gsize) k * I + m->indices[a]] = 0;                                                       \
  return ok;                                                                                      \
}                                                                                                 \
                                                                                                  \
static gboolean                                                                                   \
NAME (const ScalrCsr *m, gsize I, guint dense_min, T *G, ScalrProgress *progress,                 \
      GCancellable *cancellable, GError **error)                                                  \
{                                                                                                 \
  g_autoptr (GError) local = NULL;                                                                \
  g_autofree T *X = NULL;                                                                         \
  guint32 block[DENSE_BLOCK_ROWS];                                                                \
  guint nb = 0;                                                                                   \
  for (guint u = 0; u < m->n_rows; u++)                                                           \
    {                                                                                             \
      guint64 lo = m->indptr[u], hi = m->indptr[u + 1];                                           \
      if (hi - lo >= dense_min)                                                                   \
        {                                                                                         \
          if (X == NULL && (X = scalr_blas_alloc0 ("ease dense rows", DENSE_BLOCK_ROWS, I, sizeof (T), &local)) == NULL) \
            {                                                                                     \
              g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "%s", local->message); \
              return FALSE;                                                                       \
            }                                                                                     \
          block[nb++] = u;                                                                        \
          if (nb == DENSE_BLOCK_ROWS && !NAME##_flush (m, block, nb, X, G, I, &local))            \
            {                                                                                     \
              g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "ease: %s", local->message); \
              return FALSE;                                                                       \
            }                                                                                     \
          nb %= DENSE_BLOCK_ROWS;                                                                 \
        }                                                                                         \
      else                                                                                        \
        /* Indices are sorted: (p, q ≤ p) is the lower triangle. */                               \
        for (guint64 p = lo; p < hi; p++)                                                         \
          {                                                                                       \
            T wp = (T) weight_at (m, p);                                                          \
            T *grow = G + (gsize) m->indices[p] * I;                                              \
            for (guint64 q = lo; q <= p; q++)                                                     \
              grow[m->indices[q]] += wp * (T) weight_at (m, q);                                   \
          }                                                                                       \
      if ((u & 1023) == 1023)                                                                     \
        {                                                                                         \
          if (g_cancellable_set_error_if_cancelled (cancellable, error))                          \
            return FALSE;                                                                         \
          scalr_progress_update (progress, "downstream", 0.3 * (u + 1.0) / m->n_rows,             \
                                 "ease: Gram matrix, %u of %u users", u + 1, m->n_rows);          \
        }                                                                                         \
    }                                                                                             \
  if (!NAME##_flush (m, block, nb, X, G, I, &local))                                              \
    {                                                                                             \
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "ease: %s", local->message); \
      return FALSE;                                                                               \
    }                                                                                             \
  return TRUE;                                                                                    \
}

DEFINE_GRAM (gram_double, double, scalr_dsyrk_lower)
DEFINE_GRAM (gram_float, float, scalr_ssyrk_lower)

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

/* ---- the inverse in double ---------------------------------------------------------------- */

/* B from G (double, lower triangle, λ added) through P = G⁻¹ in double; B is written as
 * floats over the same buffer: float row i occupies bytes [4·i·I, 4·(i+1)·I), inside double
 * rows 0…i, which are read already. Takes @G_owned; returns it realloc'ed to I² floats, or
 * NULL (freed) with @error. */
static float *
weights_double (double *G_owned, gsize I, ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  g_autofree double *G = G_owned;
  g_autoptr (GError) local = NULL;
  scalr_progress_update (progress, "downstream", 0.35, "ease: Cholesky inverse of %" G_GSIZE_FORMAT "×%" G_GSIZE_FORMAT
                         " in double", I, I);
  if (!scalr_dpoinv (I, G, &local))
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_NUMERIC, "ease: %s", local->message);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
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
  return g_realloc (g_steal_pointer (&G), MAX (I * I * sizeof (float), 1));
}

static double *
gram_double_new (const ScalrCsr *m, gsize I, double l2, guint dense_min, ScalrProgress *progress,
                 GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree double *G = scalr_blas_alloc0 ("ease Gram matrix", I, I, sizeof (double), &local);
  if (G == NULL)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "%s; lower [downstream] ease.max_items or use itemknn", local->message);
      return NULL;
    }
  if (!gram_double (m, I, dense_min, G, progress, cancellable, error))
    return NULL;
  for (gsize j = 0; j < I; j++)
    G[j * I + j] += l2;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&G);
}

/* ---- the inverse in float, checked ------------------------------------------------------- */

/* max over a few columns j of ‖G p_j − e_j‖∞, in double, with G the lower triangle of @g and
 * P = @p (both triangles): one pass over the triangle for every sampled column at once. */
static double
residual (const float *g, const float *p, gsize I)
{
  enum { S = 8 };
  guint ns = (guint) MIN ((gsize) S, I);
  gsize col[S];
  for (guint k = 0; k < ns; k++)
    col[k] = (2 * k + 1) * I / (2 * ns);
  g_autofree double *r = g_new0 (double, (gsize) ns * MAX (I, 1));
  for (gsize i = 0; i < I; i++)
    {
      const float *gi = g + i * I;
      for (guint k = 0; k < ns; k++)
        {
          const float *pk = p + col[k] * I;   /* column col[k] of P = its row (symmetric) */
          double acc = 0.0, pi = pk[i];
          for (gsize l = 0; l < i; l++)
            {
              acc += (double) gi[l] * pk[l];
              r[(gsize) k * I + l] += (double) gi[l] * pi;
            }
          r[(gsize) k * I + i] += acc + (double) gi[i] * pi;
        }
    }
  double worst = 0.0;
  for (guint k = 0; k < ns; k++)
    for (gsize i = 0; i < I; i++)
      worst = MAX (worst, fabs (r[(gsize) k * I + i] - (i == col[k] ? 1.0 : 0.0)));
  return worst;
}

/* B through a float Gram and a float Cholesky inverse. Returns NULL with @error unset when
 * the check fails and @fallback allows double (what it found in @why); NULL with @error set
 * on a real error. The buffer holds the working matrix and a copy of G (8·I² bytes in all,
 * as the double Gram). */
static float *
weights_float (const ScalrCsr *m, gsize I, double l2, guint dense_min, gboolean fallback, Ease *e,
               ScalrProgress *progress, GCancellable *cancellable, GString *why, GError **error)
{
  g_autoptr (GError) local = NULL;
  gsize n2 = I * I;
  g_autofree float *W = scalr_blas_alloc0 ("ease Gram matrix", 2 * I, I, sizeof (float), &local);
  if (W == NULL)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "%s; lower [downstream] ease.max_items or use itemknn", local->message);
      return NULL;
    }
  float *G = W + n2;   /* the copy kept for the residual */
  if (!gram_float (m, I, dense_min, W, progress, cancellable, error))
    return NULL;
  /* λI, then Jacobi scaling: the factored matrix is D^-½ G D^-½ (unit diagonal, D = diag G),
   * whose condition is what float precision has to carry — popularity spreads G's diagonal
   * over orders of magnitude, and that spread alone would fail the check below at a million
   * users (planted 20M: every float inverse refused, then done again in double). P = D^-½
   * P' D^-½ is put back in the weights. Then the 1-norm (row sums of |G'| over the
   * symmetric matrix) and the copy. */
  g_autofree double *scale = g_new (double, MAX (I, 1));
  for (gsize i = 0; i < I; i++)
    {
      W[i * I + i] += (float) l2;
      scale[i] = W[i * I + i] > 0.0f ? 1.0 / sqrt ((double) W[i * I + i]) : 1.0;
    }
  for (gsize i = 0; i < I; i++)
    for (gsize j = 0; j <= i; j++)
      W[i * I + j] = (float) ((double) W[i * I + j] * scale[i] * scale[j]);
  g_autofree double *rowsum = g_new0 (double, MAX (I, 1));
  for (gsize i = 0; i < I; i++)
    {
      for (gsize j = 0; j < i; j++)
        {
          double v = fabs ((double) W[i * I + j]);
          rowsum[i] += v;
          rowsum[j] += v;
        }
      rowsum[i] += fabs ((double) W[i * I + i]);
    }
  double anorm = 0.0;
  for (gsize i = 0; i < I; i++)
    anorm = MAX (anorm, rowsum[i]);
  memcpy (G, W, n2 * sizeof (float));
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  scalr_progress_update (progress, "downstream", 0.35, "ease: Cholesky inverse of %" G_GSIZE_FORMAT "×%" G_GSIZE_FORMAT
                         " in float", I, I);
  if (!scalr_spotrf_rcond (I, W, anorm, &e->rcond, &local))
    {
      if (fallback && g_error_matches (local, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_NOT_POSDEF))
        {
          g_string_printf (why, "not positive definite in float");
          return NULL;
        }
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_NUMERIC, "ease: %s", local->message);
      return NULL;
    }
  if (fallback && e->rcond < SCALR_EASE_FLOAT_MIN_RCOND)
    {
      g_string_printf (why, "condition number about %.3g in the 1-norm", 1.0 / e->rcond);
      return NULL;
    }
  if (!scalr_spotri_full (I, W, &local))
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_NUMERIC, "ease: %s", local->message);
      return NULL;
    }
  e->residual = residual (G, W, I);
  if (fallback && !(e->residual <= SCALR_EASE_FLOAT_MAX_RESIDUAL))
    {
      g_string_printf (why, "residual ‖G p − e‖∞ = %.3g", e->residual);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  scalr_progress_update (progress, "downstream", 0.95, "ease: weights");
  /* B_ij = −P_ij / P_jj = −(s_i P'_ij) / (s_j P'_jj) with s = diag(D^-½). */
  g_autofree double *diag = g_new (double, MAX (I, 1));
  for (gsize j = 0; j < I; j++)
    diag[j] = scale[j] * (double) W[j * I + j];
  for (gsize i = 0; i < I; i++)
    {
      float *row = W + i * I;
      for (gsize j = 0; j < I; j++)
        row[j] = (float) (-scale[i] * (double) row[j] / diag[j]);
      row[i] = 0.0f;
    }
  return g_realloc (g_steal_pointer (&W), MAX (n2 * sizeof (float), 1));
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

  g_autoptr (Ease) e = g_new0 (Ease, 1);
  e->n_items = (guint) I;
  e->dense_score_min_len = dense_score;
  e->rcond = NAN;
  e->residual = NAN;
  scalr_progress_update (progress, "downstream", 0.0, "ease: Gram matrix of %" G_GSIZE_FORMAT " items (%.1f MiB)",
                         I, bytes / 1048576.0);
  if (opt->precision != SCALR_EASE_PRECISION_DOUBLE)
    {
      g_autoptr (GString) why = g_string_new (NULL);
      e->B = weights_float (m, I, opt->l2, dense_gram, opt->precision == SCALR_EASE_PRECISION_AUTO, e,
                            progress, cancellable, why, error);
      if (e->B == NULL && (why->len == 0 || (error && *error)))
        return NULL;
      e->single = e->B != NULL;
      if (e->B == NULL)
        scalr_progress_update (progress, "downstream", 0.35, "ease: float inverse refused (%s); solving in double", why->str);
    }
  if (e->B == NULL)
    {
      double *G = gram_double_new (m, I, opt->l2, dense_gram, progress, cancellable, error);
      if (G == NULL || (e->B = weights_double (G, I, progress, cancellable, error)) == NULL)
        return NULL;
    }
  scalr_progress_update (progress, "downstream", 1.0, "ease: done (%s)", e->single ? "float" : "double");
  return g_steal_pointer (&e);
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
  const char *precision = scalr_config_get_or_default (config, ease_params, "downstream", "ease.precision");
  opt.precision = g_str_equal (precision, "float") ? SCALR_EASE_PRECISION_FLOAT
                  : g_str_equal (precision, "double") ? SCALR_EASE_PRECISION_DOUBLE : SCALR_EASE_PRECISION_AUTO;
  return _scalr_ease_fit (m, &opt, progress, cancellable, error);
}

SCALR_VECTOR_CLONES static void
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

gboolean
_scalr_ease_get_precision (gpointer model, double *rcond, double *res)
{
  const Ease *e = model;
  if (rcond)
    *rcond = e->rcond;
  if (res)
    *res = e->residual;
  return e->single;
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
