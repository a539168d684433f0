/* test-rec-ease.c — EASE's float path: on a seeded 900 × 120 weighted matrix the float and
 * double inverses give B within the stated tolerance and both satisfy the stationarity
 * condition; `auto` takes float there, falls back to double (bit for bit the double model)
 * on an ill-conditioned Gram matrix, and reports the condition estimate and residual; the
 * config key reaches the fit; the float BLAS wrappers against hand values. */
#include "config.h"

#include <math.h>

#include "recommenders/scalr-recommenders-private.h"
#include "scalr-blas.h"
#include "scalr-config.h"
#include "scalr-registry.h"
#include "test-util.h"

/* The tolerance the float path is held to here: |B_float − B_double| ≤ 1e-5 · max |B_double|
 * (the matrix's condition estimate κ₁ is about 1.2·10³, so κ·ε_float ≈ 7·10⁻⁵ is the
 * worst-case bound; the observed difference is about 5·10⁻⁷ of max |B|). */
#define FLOAT_TOL 1e-5

enum { NU = 900, NI = 120 };

/* Users draw 3…30 items, half-integer weights 0.5…3 (synthetic-like). */
static ScalrCsr *
weighted_matrix (guint32 seed, gboolean twin_columns)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree float *w = g_new0 (float, (gsize) NU * NI);
  for (guint u = 0; u < NU; u++)
    {
      guint n = (guint) g_rand_int_range (rand, 3, 31);
      for (guint t = 0; t < n; t++)
        {
          guint i = (guint) MIN (g_rand_double (rand) * g_rand_double (rand) * NI, NI - 1);   /* skewed */
          w[(gsize) u * NI + i] = 0.5f * (float) g_rand_int_range (rand, 1, 7);
        }
      if (twin_columns)   /* item 1 a copy of item 0: XᵀX is singular */
        w[(gsize) u * NI + 1] = w[(gsize) u * NI + 0];
    }
  guint64 nnz = 0;
  for (gsize k = 0; k < (gsize) NU * NI; k++)
    nnz += w[k] != 0.0f;
  ScalrCsr *m = scalr_csr_new (NU, NI, nnz, TRUE);
  guint64 e = 0;
  for (guint u = 0; u < NU; u++)
    {
      for (guint i = 0; i < NI; i++)
        if (w[(gsize) u * NI + i] != 0.0f)
          {
            m->indices[e] = i;
            m->values[e] = w[(gsize) u * NI + i];
            e++;
          }
      m->indptr[u + 1] = e;
    }
  return m;
}

static gpointer
fit (const ScalrCsr *m, double l2, ScalrEasePrecision precision)
{
  ScalrEaseOptions o = { .l2 = l2, .max_items = 30000, .precision = precision };
  g_autoptr (GError) error = NULL;
  gpointer model = _scalr_ease_fit (m, &o, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

/* max over i ≠ j of |(G B)_ij − (XᵀX)_ij| relative to max XᵀX (Steck 2019: G B = XᵀX − diag). */
static double
stationarity (const ScalrCsr *m, const float *B, double l2)
{
  g_autofree double *XtX = g_new0 (double, (gsize) NI * NI);
  for (guint u = 0; u < NU; u++)
    for (guint64 a = m->indptr[u]; a < m->indptr[u + 1]; a++)
      for (guint64 b = m->indptr[u]; b < m->indptr[u + 1]; b++)
        XtX[(gsize) m->indices[a] * NI + m->indices[b]] += (double) m->values[a] * m->values[b];
  double gmax = 0, worst = 0;
  for (gsize k = 0; k < (gsize) NI * NI; k++)
    gmax = MAX (gmax, XtX[k]);
  for (guint i = 0; i < NI; i++)
    for (guint j = 0; j < NI; j++)
      if (i != j)
        {
          double gb = l2 * B[(gsize) i * NI + j];
          for (guint k = 0; k < NI; k++)
            gb += XtX[(gsize) i * NI + k] * B[(gsize) k * NI + j];
          worst = MAX (worst, fabs (gb - XtX[(gsize) i * NI + j]));
        }
  return worst / gmax;
}

static void
test_float_matches_double (void)
{
  g_autoptr (ScalrCsr) m = weighted_matrix (3, FALSE);
  const double l2 = 20;
  gpointer ed = fit (m, l2, SCALR_EASE_PRECISION_DOUBLE);
  gpointer ef = fit (m, l2, SCALR_EASE_PRECISION_FLOAT);
  gpointer ea = fit (m, l2, SCALR_EASE_PRECISION_AUTO);
  double rcond_d, rcond, resid;
  g_assert_false (_scalr_ease_get_precision (ed, &rcond_d, NULL));
  g_assert_true (isnan (rcond_d));
  g_assert_true (_scalr_ease_get_precision (ef, NULL, NULL));
  g_assert_true (_scalr_ease_get_precision (ea, &rcond, &resid));
  g_test_message ("float path: 1/κ₁ ≈ %.3g, residual %.3g", rcond, resid);
  g_assert_cmpfloat (rcond, >=, SCALR_EASE_FLOAT_MIN_RCOND);
  g_assert_cmpfloat (resid, <=, SCALR_EASE_FLOAT_MAX_RESIDUAL);
  const float *Bd = _scalr_ease_get_weights (ed, NULL), *Bf = _scalr_ease_get_weights (ef, NULL);
  const float *Ba = _scalr_ease_get_weights (ea, NULL);
  double bmax = 0, diff = 0;
  for (gsize k = 0; k < (gsize) NI * NI; k++)
    {
      bmax = MAX (bmax, fabs (Bd[k]));
      diff = MAX (diff, fabs ((double) Bf[k] - Bd[k]));
      g_assert_cmpfloat (Ba[k], ==, Bf[k]);
    }
  g_test_message ("max |B_float − B_double| = %.3g (max |B| %.3g)", diff, bmax);
  g_assert_cmpfloat (diff, <=, FLOAT_TOL * bmax);
  g_assert_cmpfloat (diff, >, 0.0);   /* really two paths */
  double sd = stationarity (m, Bd, l2), sf = stationarity (m, Bf, l2);
  g_test_message ("stationarity: double %.3g, float %.3g", sd, sf);
  g_assert_cmpfloat (sd, <, 1e-5);
  g_assert_cmpfloat (sf, <, 1e-4);
  for (gpointer *p = (gpointer[]) { ed, ef, ea, NULL }; *p; p++)
    scalr_ease_recommender.free_model (*p);
}

/* Twin columns and a small λ: κ₁ ≈ 10⁶, beyond the float path; auto solves in double and
 * gives exactly the double model. Forced float is not checked. */
static void
test_fallback (void)
{
  g_autoptr (ScalrCsr) m = weighted_matrix (4, TRUE);
  const double l2 = 0.01;
  gpointer ed = fit (m, l2, SCALR_EASE_PRECISION_DOUBLE);
  gpointer ea = fit (m, l2, SCALR_EASE_PRECISION_AUTO);
  gpointer ef = fit (m, l2, SCALR_EASE_PRECISION_FLOAT);
  double rcond;
  g_assert_false (_scalr_ease_get_precision (ea, &rcond, NULL));
  g_test_message ("twin columns: float path's 1/κ₁ ≈ %.3g", rcond);
  g_assert_cmpfloat (rcond, <, SCALR_EASE_FLOAT_MIN_RCOND);
  g_assert_cmpmem (_scalr_ease_get_weights (ea, NULL), (gsize) NI * NI * sizeof (float),
                   _scalr_ease_get_weights (ed, NULL), (gsize) NI * NI * sizeof (float));
  g_assert_true (_scalr_ease_get_precision (ef, &rcond, NULL));
  g_assert_cmpfloat (rcond, <, SCALR_EASE_FLOAT_MIN_RCOND);
  for (gpointer *p = (gpointer[]) { ed, ea, ef, NULL }; *p; p++)
    scalr_ease_recommender.free_model (*p);
}

/* [downstream] ease.precision reaches the fit; a bad value is refused by the config. */
static void
test_config_key (void)
{
  g_autoptr (ScalrCsr) m = weighted_matrix (5, FALSE);
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  const char *values[] = { "double", "float", "auto" };
  const gboolean single[] = { FALSE, TRUE, TRUE };
  for (guint k = 0; k < G_N_ELEMENTS (values); k++)
    {
      g_assert_true (scalr_config_set (c, "downstream", "ease.precision", values[k], &error));
      g_assert_no_error (error);
      gpointer e = scalr_ease_recommender.fit (m, c, 1, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (_scalr_ease_get_precision (e, NULL, NULL), ==, single[k]);
      scalr_ease_recommender.free_model (e);
    }
  g_assert_false (scalr_config_set (c, "downstream", "ease.precision", "half", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "'half'", "auto");
}

/* The float wrappers: ssyrk's lower triangle, potrf's condition estimate, potri's inverse. */
static void
test_float_blas (void)
{
  g_autoptr (GError) error = NULL;
  /* C = AᵀA for A = [[1, 2], [3, 4], [5, 6]]: [[35, 44], [44, 56]]; the upper triangle kept. */
  float A[6] = { 1, 2, 3, 4, 5, 6 }, C[4] = { 0, -7, 0, 0 };
  g_assert_true (scalr_ssyrk_lower (2, 3, 1.0f, A, 2, 0.0f, C, 2, &error));
  g_assert_cmpfloat (C[0], ==, 35);
  g_assert_cmpfloat (C[2], ==, 44);
  g_assert_cmpfloat (C[3], ==, 56);
  g_assert_cmpfloat (C[1], ==, -7);
  /* [[4, 2], [2, 3]]: ‖·‖₁ = 6, inverse [[3, −2], [−2, 4]] / 8 with ‖·‖₁ = 6/8, so
   * 1/κ₁ = 1/(6 · 6/8) = 2/9 (LAPACK's estimate is exact for 2 × 2). */
  float a[4] = { 4, 999, 2, 3 };
  double rcond;
  g_assert_true (scalr_spotrf_rcond (2, a, 6.0, &rcond, &error));
  g_assert_cmpfloat (fabs (rcond - 2.0 / 9.0), <, 1e-6);
  g_assert_true (scalr_spotri_full (2, a, &error));
  const float want[4] = { 3 / 8.f, -2 / 8.f, -2 / 8.f, 4 / 8.f };
  for (guint k = 0; k < 4; k++)
    g_assert_cmpfloat (fabs (a[k] - want[k]), <, 1e-6);
  float bad[4] = { 1, 0, 2, 1 };
  g_assert_false (scalr_spotrf_rcond (2, bad, 3.0, &rcond, &error));
  g_assert_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_NOT_POSDEF);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/rec/ease/float-matches-double", test_float_matches_double);
  g_test_add_func ("/scalr/rec/ease/fallback", test_fallback);
  g_test_add_func ("/scalr/rec/ease/config-key", test_config_key);
  g_test_add_func ("/scalr/rec/ease/float-blas", test_float_blas);
  return g_test_run ();
}
