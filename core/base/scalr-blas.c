/* scalr-blas.c — checked wrappers of BLAS and LAPACK. */
#include "config.h"

#include "scalr-blas.h"

#include "scalr-parallel.h"

#include <cblas.h>
#include <lapacke.h>
#include <limits.h>
#include <stdarg.h>

#include "scalr-limits.h"

G_DEFINE_QUARK (scalr-blas-error-quark, scalr_blas_error)

gboolean
scalr_blas_check_dims (const char *what, GError **error, guint n, ...)
{
  va_list ap;
  va_start (ap, n);
  gboolean ok = TRUE;
  for (guint k = 0; k < n && ok; k++)
    {
      gsize d = va_arg (ap, gsize);
      if (d > INT_MAX)
        {
          g_set_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE,
                       "%s: dimension %" G_GSIZE_FORMAT " exceeds the BLAS limit of %d", what, d, INT_MAX);
          ok = FALSE;
        }
    }
  va_end (ap);
  return ok;
}

gpointer
scalr_blas_alloc0 (const char *what, gsize rows, gsize cols, gsize elem_size, GError **error)
{
  gsize bytes;
  if (!g_size_checked_mul (&bytes, rows, cols) || !g_size_checked_mul (&bytes, bytes, elem_size))
    {
      g_set_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE,
                   "%s: %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " elements overflow the address space",
                   what, rows, cols);
      return NULL;
    }
  /* Every large dense buffer is checked against the memory budget before it is touched. */
  if (!scalr_limits_check_memory (what, bytes, NULL, error))
    return NULL;
  gpointer p = g_try_malloc0 (MAX (bytes, 1));
  if (p == NULL)
    g_set_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE,
                 "%s: cannot allocate %.1f MiB (%" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT ")",
                 what, bytes / 1048576.0, rows, cols);
  return p;
}

gboolean
scalr_sgemm (gboolean ta, gboolean tb, gsize m, gsize n, gsize k, float alpha, const float *a, gsize lda,
             const float *b, gsize ldb, float beta, float *c, gsize ldc, GError **error)
{
  if (!scalr_blas_check_dims ("sgemm", error, 6, m, n, k, lda, ldb, ldc))
    return FALSE;
  if (m == 0 || n == 0)
    return TRUE;
  guint threads = scalr_parallel_blas_begin ();
  cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
               (int) m, (int) n, (int) k, alpha, a, (int) lda, b, (int) ldb, beta, c, (int) ldc);
  scalr_parallel_blas_end (threads);
  return TRUE;
}

gboolean
scalr_dgemm (gboolean ta, gboolean tb, gsize m, gsize n, gsize k, double alpha, const double *a, gsize lda,
             const double *b, gsize ldb, double beta, double *c, gsize ldc, GError **error)
{
  if (!scalr_blas_check_dims ("dgemm", error, 6, m, n, k, lda, ldb, ldc))
    return FALSE;
  if (m == 0 || n == 0)
    return TRUE;
  guint threads = scalr_parallel_blas_begin ();
  cblas_dgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
               (int) m, (int) n, (int) k, alpha, a, (int) lda, b, (int) ldb, beta, c, (int) ldc);
  scalr_parallel_blas_end (threads);
  return TRUE;
}

static gboolean
posv_result (lapack_int info, gsize n, GError **error)
{
  if (info == 0)
    return TRUE;
  if (info > 0)
    g_set_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_NOT_POSDEF,
                 "Cholesky: the %" G_GSIZE_FORMAT "×%" G_GSIZE_FORMAT " matrix is not positive definite "
                 "(leading minor %d); increase the regularisation", n, n, (int) info);
  else
    g_set_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_FAILED, "LAPACK posv: argument %d is invalid", (int) -info);
  return FALSE;
}

gboolean
scalr_dposv (gsize n, gsize nrhs, double *a, double *b, GError **error)
{
  if (!scalr_blas_check_dims ("dposv", error, 2, n, nrhs))
    return FALSE;
  if (n == 0)
    return TRUE;
  guint threads = scalr_parallel_blas_begin ();
  lapack_int info = LAPACKE_dposv (LAPACK_ROW_MAJOR, 'L', (lapack_int) n, (lapack_int) nrhs, a,
                                   (lapack_int) n, b, (lapack_int) MAX (nrhs, 1));
  scalr_parallel_blas_end (threads);
  return posv_result (info, n, error);
}

gboolean
scalr_sposv (gsize n, gsize nrhs, float *a, float *b, GError **error)
{
  if (!scalr_blas_check_dims ("sposv", error, 2, n, nrhs))
    return FALSE;
  if (n == 0)
    return TRUE;
  guint threads = scalr_parallel_blas_begin ();
  lapack_int info = LAPACKE_sposv (LAPACK_ROW_MAJOR, 'L', (lapack_int) n, (lapack_int) nrhs, a,
                                   (lapack_int) n, b, (lapack_int) MAX (nrhs, 1));
  scalr_parallel_blas_end (threads);
  return posv_result (info, n, error);
}

gboolean
scalr_dsyrk_lower (gsize n, gsize k, double alpha, const double *a, gsize lda, double beta, double *c,
                   gsize ldc, GError **error)
{
  if (!scalr_blas_check_dims ("dsyrk", error, 4, n, k, lda, ldc))
    return FALSE;
  if (n == 0)
    return TRUE;
  guint threads = scalr_parallel_blas_begin ();
  cblas_dsyrk (CblasRowMajor, CblasLower, CblasTrans, (int) n, (int) k, alpha, a, (int) lda, beta, c, (int) ldc);
  scalr_parallel_blas_end (threads);
  return TRUE;
}

gboolean
scalr_ssyrk_lower (gsize n, gsize k, float alpha, const float *a, gsize lda, float beta, float *c,
                   gsize ldc, GError **error)
{
  if (!scalr_blas_check_dims ("ssyrk", error, 4, n, k, lda, ldc))
    return FALSE;
  if (n == 0)
    return TRUE;
  guint threads = scalr_parallel_blas_begin ();
  cblas_ssyrk (CblasRowMajor, CblasLower, CblasTrans, (int) n, (int) k, alpha, a, (int) lda, beta, c, (int) ldc);
  scalr_parallel_blas_end (threads);
  return TRUE;
}

static gboolean
potrf_result (const char *what, lapack_int info, gsize n, GError **error)
{
  if (info > 0)
    {
      g_set_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_NOT_POSDEF,
                   "Cholesky: the %" G_GSIZE_FORMAT "×%" G_GSIZE_FORMAT " matrix is not positive definite "
                   "(leading minor %d); increase the regularisation", n, n, (int) info);
      return FALSE;
    }
  if (info < 0)
    {
      g_set_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_FAILED, "LAPACK %s: argument %d is invalid", what, (int) -info);
      return FALSE;
    }
  return TRUE;
}

/* Mirrors the lower triangle of a row-major n × n matrix into the upper one, in tiles. */
#define MIRROR_LOWER(T, a, n) \
  G_STMT_START { \
    const gsize tile_ = 64; \
    for (gsize bi = 0; bi < (n); bi += tile_) \
      for (gsize bj = bi; bj < (n); bj += tile_) \
        for (gsize i = bi; i < MIN (bi + tile_, (n)); i++) \
          for (gsize j = MAX (bj, i + 1); j < MIN (bj + tile_, (n)); j++) \
            (a)[i * (n) + j] = (a)[j * (n) + i]; \
  } G_STMT_END

gboolean
scalr_spotrf_rcond (gsize n, float *a, double anorm, double *rcond, GError **error)
{
  if (!scalr_blas_check_dims ("spotrf", error, 1, n))
    return FALSE;
  *rcond = 1.0;
  if (n == 0)
    return TRUE;
  float rc = 0.0f;
  guint threads = scalr_parallel_blas_begin ();
  lapack_int info = LAPACKE_spotrf (LAPACK_COL_MAJOR, 'U', (lapack_int) n, a, (lapack_int) n);
  if (info == 0)
    info = LAPACKE_spocon (LAPACK_COL_MAJOR, 'U', (lapack_int) n, a, (lapack_int) n, (float) anorm, &rc);
  scalr_parallel_blas_end (threads);
  *rcond = rc;
  return potrf_result ("spotrf/spocon", info, n, error);
}

gboolean
scalr_spotri_full (gsize n, float *a, GError **error)
{
  if (!scalr_blas_check_dims ("spotri", error, 1, n))
    return FALSE;
  if (n == 0)
    return TRUE;
  guint threads = scalr_parallel_blas_begin ();
  lapack_int info = LAPACKE_spotri (LAPACK_COL_MAJOR, 'U', (lapack_int) n, a, (lapack_int) n);
  scalr_parallel_blas_end (threads);
  if (!potrf_result ("spotri", info, n, error))
    return FALSE;
  MIRROR_LOWER (float, a, n);
  return TRUE;
}

gboolean
scalr_dpoinv (gsize n, double *a, GError **error)
{
  gsize n2;
  if (!scalr_blas_check_dims ("dpotri", error, 1, n))
    return FALSE;
  if (!g_size_checked_mul (&n2, n, n))
    {
      g_set_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE,
                   "dpotri: %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " elements overflow the address space", n, n);
      return FALSE;
    }
  if (n == 0)
    return TRUE;
  /* The row-major lower triangle is the column-major upper one: LAPACKE's column-major
   * interface works in place, where its row-major one would transpose a full copy. */
  guint threads = scalr_parallel_blas_begin ();
  lapack_int info = LAPACKE_dpotrf (LAPACK_COL_MAJOR, 'U', (lapack_int) n, a, (lapack_int) n);
  if (info == 0)
    info = LAPACKE_dpotri (LAPACK_COL_MAJOR, 'U', (lapack_int) n, a, (lapack_int) n);
  scalr_parallel_blas_end (threads);
  if (!potrf_result ("potrf/potri", info, n, error))
    return FALSE;
  MIRROR_LOWER (double, a, n);
  return TRUE;
}
