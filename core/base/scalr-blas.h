/* scalr-blas.h — the one place that calls BLAS and LAPACK.
 *
 * OpenBLAS and LAPACKE take 32-bit ints: every wrapper checks its dimensions against
 * INT_MAX and the allocation sizes against overflow first, and returns a GError instead of
 * crashing. Row-major layout throughout; leading dimensions are explicit. Every call runs
 * with OpenBLAS set to the thread policy's count and restores the count after
 * (scalr-parallel.h): the policy's threads outside a parallel region, one inside. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCALR_BLAS_ERROR (scalr_blas_error_quark ())
GQuark scalr_blas_error_quark (void);

typedef enum {
  SCALR_BLAS_ERROR_TOO_LARGE,   /* a dimension above INT_MAX or a size that overflows */
  SCALR_BLAS_ERROR_NOT_POSDEF,  /* Cholesky found the matrix not positive definite */
  SCALR_BLAS_ERROR_FAILED,      /* any other LAPACK failure */
} ScalrBlasError;

/* Checks that every one of the @n dimensions (gsize varargs) fits an int. */
gboolean scalr_blas_check_dims (const char *what, GError **error, guint n, ...);

/* Allocates rows × cols elements of @elem_size zeroed, or sets @error naming @what. */
gpointer scalr_blas_alloc0 (const char *what, gsize rows, gsize cols, gsize elem_size, GError **error);

/* C (m × n) = alpha · op(A) · op(B) + beta · C, row-major. */
gboolean scalr_sgemm (gboolean trans_a, gboolean trans_b, gsize m, gsize n, gsize k,
                      float alpha, const float *a, gsize lda, const float *b, gsize ldb,
                      float beta, float *c, gsize ldc, GError **error);
gboolean scalr_dgemm (gboolean trans_a, gboolean trans_b, gsize m, gsize n, gsize k,
                      double alpha, const double *a, gsize lda, const double *b, gsize ldb,
                      double beta, double *c, gsize ldc, GError **error);

/* Solves A X = B for symmetric positive definite A (n × n, overwritten by its Cholesky
 * factor) and B (n × nrhs, overwritten by X), row-major. */
gboolean scalr_dposv (gsize n, gsize nrhs, double *a, double *b, GError **error);
gboolean scalr_sposv (gsize n, gsize nrhs, float *a, float *b, GError **error);

/* C (n × n) = alpha · Aᵀ A + beta · C, updating only the lower triangle of C (row-major;
 * A is k × n with leading dimension @lda). The upper triangle is left as it is. */
gboolean scalr_dsyrk_lower (gsize n, gsize k, double alpha, const double *a, gsize lda,
                            double beta, double *c, gsize ldc, GError **error);

gboolean scalr_ssyrk_lower (gsize n, gsize k, float alpha, const float *a, gsize lda,
                            float beta, float *c, gsize ldc, GError **error);

/* The Cholesky factor of a symmetric positive definite A (n × n, row-major, lower triangle
 * read) in place, in float, and LAPACK's estimate of its reciprocal condition number in the
 * 1-norm (@anorm: ‖A‖₁). On error (SCALR_BLAS_ERROR_NOT_POSDEF) returns FALSE. */
gboolean scalr_spotrf_rcond (gsize n, float *a, double anorm, double *rcond, GError **error);
/* The inverse from scalr_spotrf_rcond's factor, in place; both triangles hold it. */
gboolean scalr_spotri_full  (gsize n, float *a, GError **error);

/* Inverts a symmetric positive definite A (n × n, row-major, only the lower triangle is
 * read) in place by Cholesky (LAPACK potrf + potri, without a transposed copy); on success
 * both triangles hold the inverse. On error (SCALR_BLAS_ERROR_NOT_POSDEF: not positive
 * definite) returns FALSE and A holds garbage. */
gboolean scalr_dpoinv (gsize n, double *a, GError **error);

G_END_DECLS
