/* test-rec-basic.c — the pop, itemknn and ease recommenders against values computed by hand
 * on a tiny weighted matrix, their error paths (size limit, cancellation), and on a seeded
 * random 2000 × 500 matrix: brute-force similarities and top-N lists, thread-count
 * independence, EASE's stationarity condition and agreement of its sparse and dense paths. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "recommenders/scalr-recommenders-private.h"
#include "scalr-blas.h"
#include "scalr-progress.h"
#include "scalr-rng.h"
#include "test-util.h"

/* The tiny matrix: 4 users × 3 items, weights including a synthetic-like 0.5 and a 2, and a
 * fifth user without events (cold).
 *          i0   i1   i2
 *   u0      1    .    1
 *   u1      1    1    .
 *   u2    0.5    .    1
 *   u3      .    1    2
 *   u4      .    .    .
 * Columns: c0 = (1, 1, .5, 0, 0), c1 = (0, 1, 0, 1, 0), c2 = (1, 0, 1, 2, 0).
 * ‖c0‖ = 1.5, ‖c1‖ = √2, ‖c2‖ = √6; c0·c1 = 1, c0·c2 = 1.5, c1·c2 = 2. */
enum { N_U = 5, N_I = 3 };
static const float tiny_w[N_U][N_I] = {
  { 1, 0, 1 }, { 1, 1, 0 }, { 0.5f, 0, 1 }, { 0, 1, 2 }, { 0, 0, 0 },
};

/* A CSR matrix from a dense row-major array (zeros are absent entries). */
static ScalrCsr *
csr_from_dense (guint rows, guint cols, const float *w, gboolean with_values)
{
  guint64 nnz = 0;
  for (gsize k = 0; k < (gsize) rows * cols; k++)
    nnz += w[k] != 0.0f;
  ScalrCsr *m = scalr_csr_new (rows, cols, nnz, with_values);
  guint64 a = 0;
  for (guint u = 0; u < rows; u++)
    {
      for (guint i = 0; i < cols; i++)
        if (w[(gsize) u * cols + i] != 0.0f)
          {
            m->indices[a] = i;
            if (with_values)
              m->values[a] = w[(gsize) u * cols + i];
            a++;
          }
      m->indptr[u + 1] = a;
    }
  g_assert_true (scalr_csr_is_valid (m));
  return m;
}

static ScalrCsr *
tiny_matrix (void)
{
  return csr_from_dense (N_U, N_I, &tiny_w[0][0], TRUE);
}

/* Scores of every user of @m (n_rows × n_cols, owned). */
static float *
score_all (const ScalrRecommenderClass *klass, gpointer model, const ScalrCsr *m)
{
  g_autofree guint32 *users = g_new (guint32, m->n_rows);
  for (guint u = 0; u < m->n_rows; u++)
    users[u] = u;
  float *out = g_new (float, (gsize) m->n_rows * m->n_cols);
  /* Poison: score must overwrite every entry. */
  for (gsize k = 0; k < (gsize) m->n_rows * m->n_cols; k++)
    out[k] = NAN;
  klass->score (model, m, users, m->n_rows, out);
  return out;
}

static void
assert_close (double got, double want, double eps, const char *what, guint a, guint b)
{
  if (!(fabs (got - want) <= eps))
    g_error ("%s[%u,%u] = %.9g, expected %.9g", what, a, b, got, want);
}

/* ---- the classes -------------------------------------------------------------------- */

static void
test_classes (void)
{
  const ScalrRecommenderClass *classes[] = { &scalr_pop_recommender, &scalr_itemknn_recommender, &scalr_ease_recommender };
  const char *names[] = { "pop", "itemknn", "ease" };
  const guint n_params[] = { 0, 2, 3 };
  for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
    {
      const ScalrRecommenderClass *k = classes[c];
      g_assert_cmpstr (k->name, ==, names[c]);
      g_assert_nonnull (k->summary);
      g_assert_nonnull (k->fit);
      g_assert_nonnull (k->free_model);
      g_assert_nonnull (k->score);
      guint n = 0;
      for (const ScalrParam *p = k->params; p && p->group; p++, n++)
        {
          g_autofree char *prefix = g_strconcat (k->name, ".", NULL);
          g_assert_cmpstr (p->group, ==, "downstream");
          g_assert_true (g_str_has_prefix (p->key, prefix));
          g_assert_cmpstr (p->model, ==, k->name);
          g_assert_nonnull (p->help);
          g_autoptr (GError) error = NULL;
          g_assert_true (scalr_param_check (p, p->def, &error));
          g_assert_no_error (error);
        }
      g_assert_cmpuint (n, ==, n_params[c]);
    }
  g_assert_null (scalr_pop_recommender.params);
  g_assert_cmpstr (scalr_itemknn_recommender.params[0].key, ==, "itemknn.neighbors");
  g_assert_cmpstr (scalr_itemknn_recommender.params[0].def, ==, "100");
  g_assert_cmpstr (scalr_itemknn_recommender.params[1].key, ==, "itemknn.shrink");
  g_assert_cmpstr (scalr_itemknn_recommender.params[1].def, ==, "10");
  g_assert_cmpstr (scalr_ease_recommender.params[0].key, ==, "ease.l2");
  g_assert_cmpstr (scalr_ease_recommender.params[0].def, ==, "500");
  g_assert_cmpstr (scalr_ease_recommender.params[1].key, ==, "ease.max_items");
  g_assert_cmpstr (scalr_ease_recommender.params[1].def, ==, "30000");
  g_assert_cmpfloat (scalr_ease_recommender.params[1].max, ==, 100000);
  g_assert_cmpstr (scalr_ease_recommender.params[2].key, ==, "ease.precision");
  g_assert_cmpstr (scalr_ease_recommender.params[2].def, ==, "auto");
  g_assert_cmpstr (scalr_ease_recommender.params[2].choices, ==, "auto|float|double");
  g_assert_cmpuint (SCALR_RECOMMENDER_ERROR, !=, 0);
  g_assert_cmpstr (g_quark_to_string (SCALR_RECOMMENDER_ERROR), ==, "scalr-recommender-error-quark");
}

/* ---- pop ---------------------------------------------------------------------------- */

static gpointer
fit_class (const ScalrRecommenderClass *k, const ScalrCsr *m)
{
  g_autoptr (ScalrConfig) config = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  gpointer model = k->fit (m, config, 42, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

static void
test_pop (void)
{
  g_autoptr (ScalrCsr) m = tiny_matrix ();
  gpointer model = fit_class (&scalr_pop_recommender, m);
  const float want[N_I] = { 2.5f, 2.0f, 4.0f };   /* column sums */
  g_autofree float *s = score_all (&scalr_pop_recommender, model, m);
  for (guint u = 0; u < N_U; u++)   /* the same for every user, the cold one too */
    for (guint i = 0; i < N_I; i++)
      assert_close (s[u * N_I + i], want[i], 1e-6, "pop", u, i);
  guint n;
  const float *v = _scalr_pop_get_scores (model, &n);
  g_assert_cmpuint (n, ==, N_I);
  g_assert_cmpfloat (v[2], ==, 4.0f);
  scalr_pop_recommender.free_model (model);

  /* Without values every entry weighs 1: counts (3, 2, 3). */
  g_autoptr (ScalrCsr) b = csr_from_dense (N_U, N_I, &tiny_w[0][0], FALSE);
  model = fit_class (&scalr_pop_recommender, b);
  g_autofree float *sb = score_all (&scalr_pop_recommender, model, b);
  for (guint i = 0; i < N_I; i++)
    assert_close (sb[i], (float[]) { 3, 2, 3 }[i], 0, "pop binary", 0, i);
  scalr_pop_recommender.free_model (model);

  /* A weight-2 entry counts as two users with weight 1: u3's (i2, 2) → two rows with i2. */
  static const float split[6][N_I] = {
    { 1, 0, 1 }, { 1, 1, 0 }, { 0.5f, 0, 1 }, { 0, 1, 1 }, { 0, 0, 1 }, { 0, 0, 0 },
  };
  g_autoptr (ScalrCsr) d = csr_from_dense (6, N_I, &split[0][0], TRUE);
  model = fit_class (&scalr_pop_recommender, d);
  g_autofree float *sd = score_all (&scalr_pop_recommender, model, d);
  for (guint i = 0; i < N_I; i++)
    assert_close (sd[i], want[i], 1e-6, "pop split weight", 0, i);
  scalr_pop_recommender.free_model (model);
}

/* ---- itemknn ------------------------------------------------------------------------ */

static gpointer
knn_fit (const ScalrCsr *m, guint neighbors, double shrink, guint threads)
{
  ScalrItemKnnOptions o = { .neighbors = neighbors, .shrink = shrink, .n_threads = threads };
  g_autoptr (GError) error = NULL;
  gpointer model = _scalr_itemknn_fit (m, &o, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

/* Asserts that item @i's neighbour list is @want_items with @want_sims. */
static void
assert_neighbors (gpointer model, guint i, guint n, const guint32 *want_items, const double *want_sims)
{
  const guint32 *items;
  const float *sims;
  guint got = _scalr_itemknn_get_neighbors (model, i, &items, &sims);
  if (got != n)
    g_error ("item %u has %u neighbours, expected %u", i, got, n);
  for (guint k = 0; k < n; k++)
    {
      if (items[k] != want_items[k])
        g_error ("item %u: neighbour %u is %u, expected %u", i, k, items[k], want_items[k]);
      assert_close (sims[k], want_sims[k], 1e-6, "sim", i, items[k]);
    }
}

static void
test_itemknn_similarities (void)
{
  g_autoptr (ScalrCsr) m = tiny_matrix ();
  double s01 = 1 / (1.5 * sqrt (2)), s02 = 1.5 / (1.5 * sqrt (6)), s12 = 2 / (sqrt (2) * sqrt (6));
  /* 0.4714, 0.4082, 0.5774 */
  gpointer k0 = knn_fit (m, 100, 0.0, 1);
  assert_neighbors (k0, 0, 2, (guint32[]) { 1, 2 }, (double[]) { s01, s02 });
  assert_neighbors (k0, 1, 2, (guint32[]) { 2, 0 }, (double[]) { s12, s01 });
  assert_neighbors (k0, 2, 2, (guint32[]) { 1, 0 }, (double[]) { s12, s02 });

  /* Shrink 1 damps the pair with the smaller norms most: 0's nearest becomes 2. */
  double t01 = 1 / (1.5 * sqrt (2) + 1), t02 = 1.5 / (1.5 * sqrt (6) + 1), t12 = 2 / (sqrt (12) + 1);
  g_assert_cmpfloat (t02, >, t01);
  gpointer k1 = knn_fit (m, 100, 1.0, 1);
  assert_neighbors (k1, 0, 2, (guint32[]) { 2, 1 }, (double[]) { t02, t01 });
  assert_neighbors (k1, 1, 2, (guint32[]) { 2, 0 }, (double[]) { t12, t01 });
  assert_neighbors (k1, 2, 2, (guint32[]) { 1, 0 }, (double[]) { t12, t02 });

  /* N = 1 keeps the nearest only. */
  gpointer n1 = knn_fit (m, 1, 0.0, 1);
  assert_neighbors (n1, 0, 1, (guint32[]) { 1 }, (double[]) { s01 });
  assert_neighbors (n1, 1, 1, (guint32[]) { 2 }, (double[]) { s12 });
  assert_neighbors (n1, 2, 1, (guint32[]) { 1 }, (double[]) { s12 });
  gpointer n1s = knn_fit (m, 1, 1.0, 1);
  assert_neighbors (n1s, 0, 1, (guint32[]) { 2 }, (double[]) { t02 });

  /* Scores: Σ_{j ∈ history} w_uj sim(j, i) over j's list. Full lists, shrink 0: */
  double S[N_I][N_I] = { { 0, s01, s02 }, { s01, 0, s12 }, { s02, s12, 0 } };
  g_autofree float *sc = score_all (&scalr_itemknn_recommender, k0, m);
  for (guint u = 0; u < N_U; u++)
    for (guint i = 0; i < N_I; i++)
      {
        double want = 0;
        for (guint j = 0; j < N_I; j++)
          want += tiny_w[u][j] * S[j][i];
        assert_close (sc[u * N_I + i], want, 1e-6, "itemknn score", u, i);
      }
  /* Spelled out for u3 (i1 w 1, i2 w 2): (2·s02 + s01, 2·s12, s12). */
  assert_close (sc[3 * N_I + 0], 2 * s02 + s01, 1e-6, "u3", 3, 0);
  assert_close (sc[3 * N_I + 1], 2 * s12, 1e-6, "u3", 3, 1);
  assert_close (sc[3 * N_I + 2], s12, 1e-6, "u3", 3, 2);
  /* N = 1 (lists 0→1, 1→2, 2→1): u3 gets nothing for i0, 2·s12 for i1 and s12 for i2;
   * u0 (i0, i2) gets s01 + s12 for i1 and nothing else. */
  g_autofree float *s1 = score_all (&scalr_itemknn_recommender, n1, m);
  assert_close (s1[3 * N_I + 0], 0, 0, "u3 N=1", 3, 0);
  assert_close (s1[3 * N_I + 1], 2 * s12, 1e-6, "u3 N=1", 3, 1);
  assert_close (s1[3 * N_I + 2], s12, 1e-6, "u3 N=1", 3, 2);
  assert_close (s1[0 * N_I + 0], 0, 0, "u0 N=1", 0, 0);
  assert_close (s1[0 * N_I + 1], s01 + s12, 1e-6, "u0 N=1", 0, 1);
  assert_close (s1[0 * N_I + 2], 0, 0, "u0 N=1", 0, 2);
  for (guint i = 0; i < N_I; i++)   /* the cold user */
    assert_close (s1[4 * N_I + i], 0, 0, "cold", 4, i);

  /* Weights matter: scaling every weight by 3 keeps the cosines (shrink 0) and scales the
   * scores by 3; with shrink the similarities grow toward the unshrunk ones. */
  float w3[N_U][N_I];
  for (guint u = 0; u < N_U; u++)
    for (guint i = 0; i < N_I; i++)
      w3[u][i] = 3 * tiny_w[u][i];
  g_autoptr (ScalrCsr) m3 = csr_from_dense (N_U, N_I, &w3[0][0], TRUE);
  gpointer k3 = knn_fit (m3, 100, 0.0, 1);
  assert_neighbors (k3, 0, 2, (guint32[]) { 1, 2 }, (double[]) { s01, s02 });
  g_autofree float *sc3 = score_all (&scalr_itemknn_recommender, k3, m3);
  for (guint k = 0; k < N_U * N_I; k++)
    assert_close (sc3[k], 3 * sc[k], 1e-5, "scaled score", k / N_I, k % N_I);
  gpointer k3s = knn_fit (m3, 100, 1.0, 1);
  assert_neighbors (k3s, 1, 2, (guint32[]) { 2, 0 },
                    (double[]) { 18 / (9 * sqrt (12) + 1), 9 / (9 * 1.5 * sqrt (2) + 1) });
  /* Without values (all weights 1) the cosines change: c0 = (1,1,1), c2 = (1,0,1,1). */
  g_autoptr (ScalrCsr) b = csr_from_dense (N_U, N_I, &tiny_w[0][0], FALSE);
  gpointer kb = knn_fit (b, 100, 0.0, 1);
  assert_neighbors (kb, 0, 2, (guint32[]) { 2, 1 }, (double[]) { 2 / 3., 1 / (sqrt (3) * sqrt (2)) });

  for (gpointer *p = (gpointer[]) { k0, k1, n1, n1s, k3, k3s, kb, NULL }; *p; p++)
    scalr_itemknn_recommender.free_model (*p);
}

/* The class reads its parameters from the config (defaults: 100 neighbours, shrink 10). */
static void
test_itemknn_config (void)
{
  g_autoptr (ScalrCsr) m = tiny_matrix ();
  g_autoptr (ScalrConfig) config = scalr_config_new ();
  guint want_n = 100;
  double want_shrink = 10;
  if (scalr_config_lookup_param ("downstream", "itemknn.neighbors") != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (scalr_config_set (config, "downstream", "itemknn.neighbors", "1", &error));
      g_assert_true (scalr_config_set (config, "downstream", "itemknn.shrink", "1", &error));
      g_assert_no_error (error);
      want_n = 1;
      want_shrink = 1;
    }
  else
    g_test_message ("the config does not know [downstream] itemknn.* yet: checking the defaults");
  g_autoptr (GError) error = NULL;
  gpointer a = scalr_itemknn_recommender.fit (m, config, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  gpointer b = knn_fit (m, want_n, want_shrink, 1);
  for (guint i = 0; i < N_I; i++)
    {
      const guint32 *ia, *ib;
      const float *sa, *sb;
      guint na = _scalr_itemknn_get_neighbors (a, i, &ia, &sa);
      guint nb = _scalr_itemknn_get_neighbors (b, i, &ib, &sb);
      g_assert_cmpuint (na, ==, nb);
      g_assert_cmpmem (ia, na * sizeof *ia, ib, nb * sizeof *ib);
      g_assert_cmpmem (sa, na * sizeof *sa, sb, nb * sizeof *sb);
    }
  /* Shrink 10 (the default) gives 1 / (1.5√2 + 10) for (0, 1). */
  if (want_shrink == 10)
    {
      const guint32 *ia;
      const float *sa;
      _scalr_itemknn_get_neighbors (a, 0, &ia, &sa);
      g_assert_cmpuint (ia[1], ==, 1);
      assert_close (sa[1], 1 / (1.5 * sqrt (2) + 10), 1e-6, "default shrink", 0, 1);
    }
  scalr_itemknn_recommender.free_model (a);
  scalr_itemknn_recommender.free_model (b);
}

/* ---- ease --------------------------------------------------------------------------- */

static gpointer
ease_fit (const ScalrCsr *m, double l2, guint gram_min, guint score_min)
{
  ScalrEaseOptions o = { .l2 = l2, .max_items = 30000, .dense_gram_min_len = gram_min, .dense_score_min_len = score_min };
  g_autoptr (GError) error = NULL;
  gpointer model = _scalr_ease_fit (m, &o, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

/* B by hand for the 3-item matrix @w (N_U × 3): G = XᵀX + λI, P = adj(G) / det(G),
 * B_ij = −P_ij / P_jj, B_jj = 0. The determinant cancels in the ratio: B_ij = −adj_ij / adj_jj. */
static void
ease_closed_form (const float w[N_U][N_I], double l2, double B[N_I][N_I])
{
  double G[3][3] = { { 0 } };
  for (guint u = 0; u < N_U; u++)
    for (guint i = 0; i < 3; i++)
      for (guint j = 0; j < 3; j++)
        G[i][j] += (double) w[u][i] * w[u][j];
  for (guint i = 0; i < 3; i++)
    G[i][i] += l2;
  /* adj(G)_ij = cofactor C_ji; G is symmetric so adj is too. */
  double A[3][3];
  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      {
        guint r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
        A[i][j] = G[r0][c0] * G[r1][c1] - G[r0][c1] * G[r1][c0];   /* cyclic indices carry the sign */
      }
  /* Sanity of the adjugate: G · adj(G) = det(G) I. */
  double det = G[0][0] * A[0][0] + G[0][1] * A[1][0] + G[0][2] * A[2][0];
  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      {
        double x = G[i][0] * A[0][j] + G[i][1] * A[1][j] + G[i][2] * A[2][j];
        assert_close (x, i == j ? det : 0, 1e-9 * fabs (det), "G adj(G)", i, j);
      }
  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      B[i][j] = i == j ? 0 : -A[i][j] / A[j][j];
}

static double
frobenius (const float *B, guint n)
{
  double s = 0;
  for (gsize k = 0; k < (gsize) n * n; k++)
    s += (double) B[k] * B[k];
  return sqrt (s);
}

static void
test_ease_closed_form (void)
{
  g_autoptr (ScalrCsr) m = tiny_matrix ();
  double norms[3];
  const double lambdas[3] = { 1.0, 10.0, 1000.0 };
  for (guint l = 0; l < 3; l++)
    {
      double B[N_I][N_I];
      ease_closed_form (tiny_w, lambdas[l], B);
      /* Every path: sparse / dense Gram × sparse / dense scoring. */
      for (guint path = 0; path < 4; path++)
        {
          gpointer e = ease_fit (m, lambdas[l], path & 1 ? 1 : G_MAXUINT, path & 2 ? 1 : G_MAXUINT);
          guint n;
          const float *Bm = _scalr_ease_get_weights (e, &n);
          g_assert_cmpuint (n, ==, N_I);
          for (guint i = 0; i < N_I; i++)
            {
              g_assert_cmpfloat (Bm[i * N_I + i], ==, 0.0f);
              for (guint j = 0; j < N_I; j++)
                assert_close (Bm[i * N_I + j], B[i][j], 1e-5, "B", i, j);
            }
          g_autofree float *s = score_all (&scalr_ease_recommender, e, m);
          for (guint u = 0; u < N_U; u++)
            for (guint i = 0; i < N_I; i++)
              {
                double want = 0;
                for (guint j = 0; j < N_I; j++)
                  want += tiny_w[u][j] * B[j][i];
                assert_close (s[u * N_I + i], want, 1e-5, "ease score", u, i);
              }
          norms[l] = frobenius (Bm, N_I);
          scalr_ease_recommender.free_model (e);
        }
    }
  /* λ = 1 by hand, first row: B_01 and B_02 are not small (λ comparable to the Gram). */
  g_assert_cmpfloat (norms[0], >, 0.3);
  /* A larger λ shrinks B. */
  g_assert_cmpfloat (norms[1], <, norms[0]);
  g_assert_cmpfloat (norms[2], <, norms[1]);
  g_assert_cmpfloat (norms[2], <, 0.01);

  /* Two items, independently: G = [[a, b], [b, c]] gives B_01 = b / a and B_10 = b / c.
   * Columns (1, 1, .5, 0) and (1, 0, 1, 2): a = 2.25 + λ, b = 1.5, c = 6 + λ. */
  static const float two[4][2] = { { 1, 1 }, { 1, 0 }, { 0.5f, 1 }, { 0, 2 } };
  g_autoptr (ScalrCsr) m2 = csr_from_dense (4, 2, &two[0][0], TRUE);
  gpointer e2 = ease_fit (m2, 0.5, 0, 0);
  const float *B2 = _scalr_ease_get_weights (e2, NULL);
  assert_close (B2[0], 0, 0, "B2", 0, 0);
  assert_close (B2[1], 1.5 / 2.75, 1e-6, "B2", 0, 1);
  assert_close (B2[2], 1.5 / 6.5, 1e-6, "B2", 1, 0);
  assert_close (B2[3], 0, 0, "B2", 1, 1);
  scalr_ease_recommender.free_model (e2);
}

/* EASE sees XᵀX only: a user whose weights are scaled by √2 equals that user twice, and the
 * weights matter (all-ones gives a different B). */
static void
test_ease_weights (void)
{
  static const float twice[6][N_I] = {
    { 1, 0, 1 }, { 1, 1, 0 }, { 0.5f, 0, 1 }, { 0, 1, 2 }, { 0, 1, 2 }, { 0, 0, 0 },
  };
  float scaled[N_U][N_I];
  memcpy (scaled, tiny_w, sizeof scaled);
  scaled[3][1] = (float) G_SQRT2;
  scaled[3][2] = (float) (2 * G_SQRT2);
  g_autoptr (ScalrCsr) a = csr_from_dense (6, N_I, &twice[0][0], TRUE);
  g_autoptr (ScalrCsr) b = csr_from_dense (N_U, N_I, &scaled[0][0], TRUE);
  g_autoptr (ScalrCsr) ones = csr_from_dense (N_U, N_I, &tiny_w[0][0], FALSE);
  g_autoptr (ScalrCsr) plain = tiny_matrix ();
  gpointer ea = ease_fit (a, 2.0, 0, 0), eb = ease_fit (b, 2.0, 0, 0);
  gpointer eo = ease_fit (ones, 2.0, 0, 0), ep = ease_fit (plain, 2.0, 0, 0);
  const float *Ba = _scalr_ease_get_weights (ea, NULL), *Bb = _scalr_ease_get_weights (eb, NULL);
  const float *Bo = _scalr_ease_get_weights (eo, NULL), *Bp = _scalr_ease_get_weights (ep, NULL);
  double diff_ab = 0, diff_op = 0, diff_pa = 0;
  for (guint k = 0; k < N_I * N_I; k++)
    {
      diff_ab = MAX (diff_ab, fabs (Ba[k] - Bb[k]));
      diff_op = MAX (diff_op, fabs (Bo[k] - Bp[k]));
      diff_pa = MAX (diff_pa, fabs (Bp[k] - Ba[k]));
    }
  g_assert_cmpfloat (diff_ab, <, 1e-6);
  g_assert_cmpfloat (diff_op, >, 0.01);
  g_assert_cmpfloat (diff_pa, >, 0.01);
  /* All-ones B by hand, too. */
  float onesw[N_U][N_I];
  for (guint u = 0; u < N_U; u++)
    for (guint i = 0; i < N_I; i++)
      onesw[u][i] = tiny_w[u][i] != 0;
  double B[N_I][N_I];
  ease_closed_form (onesw, 2.0, B);
  for (guint k = 0; k < N_I * N_I; k++)
    assert_close (Bo[k], B[k / N_I][k % N_I], 1e-5, "B ones", k / N_I, k % N_I);
  for (gpointer *p = (gpointer[]) { ea, eb, eo, ep, NULL }; *p; p++)
    scalr_ease_recommender.free_model (*p);
}

/* ---- errors ------------------------------------------------------------------------- */

static void
test_ease_too_large (void)
{
  g_autoptr (GError) error = NULL;
  /* 11 items against a limit of 10. */
  g_autoptr (ScalrCsr) m = scalr_csr_new (2, 11, 0, TRUE);
  ScalrEaseOptions o = { .l2 = 1, .max_items = 10 };
  g_assert_null (_scalr_ease_fit (m, &o, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                              "11 items", "ease.max_items = 10", "GiB");
  g_clear_error (&error);
  o.max_items = 11;
  gpointer e = _scalr_ease_fit (m, &o, NULL, NULL, &error);
  g_assert_no_error (error);
  scalr_ease_recommender.free_model (e);

  /* Through the class: the default limit 30000, checked before allocating 7 GB. */
  g_autoptr (ScalrCsr) big = scalr_csr_new (1, 30001, 0, FALSE);
  g_autoptr (ScalrConfig) config = scalr_config_new ();
  g_assert_null (scalr_ease_recommender.fit (big, config, 1, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                              "30001 items", "ease.max_items = 30000", "6.7 GiB");
  g_clear_error (&error);

  /* Beyond BLAS's int and the address space, even with the limit lifted. */
  g_autoptr (ScalrCsr) huge = scalr_csr_new (1, 3000000000u, 0, FALSE);
  o.max_items = G_MAXUINT;
  g_assert_null (_scalr_ease_fit (huge, &o, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                              "3000000000 items", "BLAS");
}

static void
cancel_on_progress (const char *stage, double fraction, const char *message, gpointer data)
{
  (void) stage;
  (void) fraction;
  (void) message;
  g_cancellable_cancel (data);
}

static void
test_cancel (void)
{
  g_autoptr (ScalrCsr) m = tiny_matrix ();
  g_autoptr (ScalrConfig) config = scalr_config_new ();
  const ScalrRecommenderClass *classes[] = { &scalr_pop_recommender, &scalr_itemknn_recommender, &scalr_ease_recommender };
  for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
    {
      /* Cancelled before. */
      g_autoptr (GCancellable) cancel = g_cancellable_new ();
      g_cancellable_cancel (cancel);
      g_autoptr (GError) error = NULL;
      g_assert_null (classes[c]->fit (m, config, 1, NULL, cancel, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);

      /* Cancelled during the fit, at its first progress report (not pop: one pass). */
      if (classes[c] == &scalr_pop_recommender)
        continue;
      g_autoptr (GCancellable) later = g_cancellable_new ();
      g_autoptr (ScalrProgress) progress = scalr_progress_new (cancel_on_progress, later, NULL);
      g_assert_null (classes[c]->fit (m, config, 1, progress, later, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
}

typedef struct {
  double last;
  guint  calls;
} Seen;

static void
record_progress (const char *stage, double fraction, const char *message, gpointer data)
{
  Seen *s = data;
  g_assert_cmpstr (stage, ==, "downstream");
  g_assert_nonnull (message);
  g_assert_cmpfloat (fraction, >=, s->last);
  s->last = fraction;
  s->calls++;
}

static void
test_progress (void)
{
  g_autoptr (ScalrCsr) m = tiny_matrix ();
  g_autoptr (ScalrConfig) config = scalr_config_new ();
  const ScalrRecommenderClass *classes[] = { &scalr_pop_recommender, &scalr_itemknn_recommender, &scalr_ease_recommender };
  for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
    {
      Seen seen = { 0 };
      g_autoptr (ScalrProgress) progress = scalr_progress_new (record_progress, &seen, NULL);
      g_autoptr (GError) error = NULL;
      gpointer model = classes[c]->fit (m, config, 1, progress, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (seen.calls, >=, 2);
      g_assert_cmpfloat (seen.last, ==, 1.0);
      classes[c]->free_model (model);
    }
}

/* ---- medium: 2000 users × 500 items, seeded ----------------------------------------- */

enum { MU = 2000, MI = 500 };

/* Each user gets 1…40 draws of items 0…449 with power-law-ish popularity, weights 1 or a
 * synthetic 0.5 or 0.25; users with at most 3 draws take them from the rare items 450…499
 * instead (so those co-occur with fewer than N items); every 97th user gets 100…249 draws
 * (the dense paths of EASE). */
static ScalrCsr *
medium_matrix (float **dense_out)
{
  float *w = g_new0 (float, (gsize) MU * MI);
  ScalrRng rng;
  for (guint u = 0; u < MU; u++)
    {
      scalr_rng_init (&rng, 7, SCALR_STREAM_MODEL, u);
      guint len = u % 97 == 0 ? 100 + scalr_rng_below (&rng, 150) : 1 + scalr_rng_below (&rng, 40);
      for (guint k = 0; k < len; k++)
        {
          double x = scalr_rng_uniform (&rng);
          guint i = len <= 3 ? 450 + scalr_rng_below (&rng, 50) : MIN ((guint) (450 * x * x), 449);
          double r = scalr_rng_uniform (&rng);
          w[(gsize) u * MI + i] = r < 0.7 ? 1.0f : r < 0.9 ? 0.5f : 0.25f;
        }
    }
  ScalrCsr *m = csr_from_dense (MU, MI, w, TRUE);
  *dense_out = w;
  return m;
}

static void
test_medium_itemknn (void)
{
  g_autofree float *w = NULL;
  g_autoptr (ScalrCsr) m = medium_matrix (&w);
  const guint N = 20;
  const double shrink = 5;
  /* Brute force, dense: dots and norms. */
  g_autofree double *dot = g_new0 (double, (gsize) MI * MI);
  g_autofree double *nrm = g_new0 (double, MI);
  for (guint u = 0; u < MU; u++)
    for (guint64 a = m->indptr[u]; a < m->indptr[u + 1]; a++)
      {
        guint i = m->indices[a];
        nrm[i] += (double) m->values[a] * m->values[a];
        for (guint64 b = m->indptr[u]; b < m->indptr[u + 1]; b++)
          dot[(gsize) i * MI + m->indices[b]] += (double) m->values[a] * m->values[b];
      }
  for (guint i = 0; i < MI; i++)
    nrm[i] = sqrt (nrm[i]);

  gpointer k1 = knn_fit (m, N, shrink, 1);
  guint full = 0, shorter = 0;
  for (guint i = 0; i < MI; i++)
    {
      guint cooc = 0;
      for (guint j = 0; j < MI; j++)
        cooc += j != i && dot[(gsize) i * MI + j] > 0;
      const guint32 *items;
      const float *sims;
      guint n = _scalr_itemknn_get_neighbors (k1, i, &items, &sims);
      g_assert_cmpuint (n, ==, MIN (N, cooc));
      full += n == N;
      shorter += n < N;
      float kept_min = INFINITY;
      for (guint k = 0; k < n; k++)
        {
          g_assert_cmpuint (items[k], !=, i);
          double want = dot[(gsize) i * MI + items[k]] / (nrm[i] * nrm[items[k]] + shrink);
          assert_close (sims[k], want, 1e-6, "medium sim", i, items[k]);
          if (k > 0)   /* sorted: similarity descending, ties by item */
            g_assert_true (sims[k] < sims[k - 1] || (sims[k] == sims[k - 1] && items[k] > items[k - 1]));
          kept_min = MIN (kept_min, sims[k]);
        }
      /* Nothing left out is more similar than what was kept. */
      for (guint j = 0; j < MI; j++)
        {
          gboolean kept = FALSE;
          for (guint k = 0; k < n && !kept; k++)
            kept = items[k] == j;
          if (!kept && j != i)
            g_assert_cmpfloat ((float) (dot[(gsize) i * MI + j] / (nrm[i] * nrm[j] + shrink)), <=, kept_min);
        }
    }
  /* The data exercise both cases. */
  g_assert_cmpuint (full, >, 50);
  g_assert_cmpuint (shorter, >, 10);

  /* Any thread count gives the same model, bit for bit. */
  for (guint threads = 2; threads <= 5; threads += 3)
    {
      gpointer kt = knn_fit (m, N, shrink, threads);
      for (guint i = 0; i < MI; i++)
        {
          const guint32 *ia, *ib;
          const float *sa, *sb;
          guint na = _scalr_itemknn_get_neighbors (k1, i, &ia, &sa);
          guint nb = _scalr_itemknn_get_neighbors (kt, i, &ib, &sb);
          g_assert_cmpuint (na, ==, nb);
          g_assert_cmpmem (ia, na * sizeof *ia, ib, nb * sizeof *ib);
          g_assert_cmpmem (sa, na * sizeof *sa, sb, nb * sizeof *sb);
        }
      scalr_itemknn_recommender.free_model (kt);
    }

  /* Scores from the lists, for a sample of users, in one batch. */
  guint32 users[] = { 0, 1, 97, 500, 1999 };
  g_autofree float *out = g_new (float, G_N_ELEMENTS (users) * MI);
  scalr_itemknn_recommender.score (k1, m, users, G_N_ELEMENTS (users), out);
  for (guint k = 0; k < G_N_ELEMENTS (users); k++)
    {
      g_autofree double *want = g_new0 (double, MI);
      for (guint j = 0; j < MI; j++)
        {
          const guint32 *items;
          const float *sims;
          guint n = _scalr_itemknn_get_neighbors (k1, j, &items, &sims);
          for (guint q = 0; q < n; q++)
            want[items[q]] += (double) w[(gsize) users[k] * MI + j] * sims[q];
        }
      for (guint i = 0; i < MI; i++)
        assert_close (out[k * MI + i], want[i], 1e-4, "medium score", users[k], i);
    }
  scalr_itemknn_recommender.free_model (k1);
}

static void
test_medium_ease (void)
{
  g_autofree float *w = NULL;
  g_autoptr (ScalrCsr) m = medium_matrix (&w);
  const double l2 = 50;
  /* Automatic paths, all sparse, all dense. */
  gpointer ea = ease_fit (m, l2, 0, 0);
  gpointer es = ease_fit (m, l2, G_MAXUINT, G_MAXUINT);
  gpointer ed = ease_fit (m, l2, 1, 1);
  const float *B = _scalr_ease_get_weights (ea, NULL);

  /* Stationarity (Steck 2019): G B = XᵀX − diag(μ), so (G B)_ij = (XᵀX)_ij for i ≠ j. */
  g_autofree double *XtX = g_new0 (double, (gsize) MI * MI);
  for (guint u = 0; u < MU; u++)
    for (guint64 a = m->indptr[u]; a < m->indptr[u + 1]; a++)
      for (guint64 b = m->indptr[u]; b < m->indptr[u + 1]; b++)
        XtX[(gsize) m->indices[a] * MI + m->indices[b]] += (double) m->values[a] * m->values[b];
  double gmax = 0;
  for (gsize k = 0; k < (gsize) MI * MI; k++)
    gmax = MAX (gmax, XtX[k]);
  double worst = 0;
  for (guint i = 0; i < MI; i++)
    for (guint j = 0; j < MI; j++)
      {
        if (i == j)
          {
            g_assert_cmpfloat (B[(gsize) i * MI + j], ==, 0.0f);
            continue;
          }
        double gb = l2 * B[(gsize) i * MI + j];
        for (guint k = 0; k < MI; k++)
          gb += XtX[(gsize) i * MI + k] * B[(gsize) k * MI + j];
        worst = MAX (worst, fabs (gb - XtX[(gsize) i * MI + j]));
      }
  g_test_message ("max |(G B)_ij − (XᵀX)_ij| = %g (max G %g)", worst, gmax);
  g_assert_cmpfloat (worst, <, 1e-4 * gmax);

  /* Paths agree; scores are finite and match x_u B. */
  const float *Bs = _scalr_ease_get_weights (es, NULL), *Bd = _scalr_ease_get_weights (ed, NULL);
  for (gsize k = 0; k < (gsize) MI * MI; k++)
    {
      assert_close (Bs[k], B[k], 1e-5, "B sparse vs auto", (guint) (k / MI), (guint) (k % MI));
      assert_close (Bd[k], B[k], 1e-5, "B dense vs auto", (guint) (k / MI), (guint) (k % MI));
    }
  g_autofree float *sa = score_all (&scalr_ease_recommender, ea, m);
  g_autofree float *ss = score_all (&scalr_ease_recommender, es, m);
  g_autofree float *sd = score_all (&scalr_ease_recommender, ed, m);
  for (guint u = 0; u < MU; u += 37)
    {
      for (guint i = 0; i < MI; i++)
        {
          double want = 0;
          for (guint j = 0; j < MI; j++)
            want += (double) w[(gsize) u * MI + j] * B[(gsize) j * MI + i];
          assert_close (sa[(gsize) u * MI + i], want, 1e-4, "medium ease score", u, i);
        }
    }
  for (gsize k = 0; k < (gsize) MU * MI; k++)
    {
      g_assert_true (isfinite (sa[k]));
      assert_close (ss[k], sa[k], 1e-4, "sparse scores", (guint) (k / MI), (guint) (k % MI));
      assert_close (sd[k], sa[k], 1e-4, "dense scores", (guint) (k / MI), (guint) (k % MI));
    }
  for (gpointer *p = (gpointer[]) { ea, es, ed, NULL }; *p; p++)
    scalr_ease_recommender.free_model (*p);
}

/* The BLAS additions: dpoinv against a hand inverse, dsyrk's lower triangle. */
static void
test_blas_additions (void)
{
  g_autoptr (GError) error = NULL;
  /* [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]] / 8; the upper triangle is ignored on input. */
  double a[4] = { 4, 999, 2, 3 };
  g_assert_true (scalr_dpoinv (2, a, &error));
  g_assert_no_error (error);
  double want[4] = { 3 / 8., -2 / 8., -2 / 8., 4 / 8. };
  for (guint k = 0; k < 4; k++)
    assert_close (a[k], want[k], 1e-12, "inverse", k / 2, k % 2);
  double bad[4] = { 1, 0, 2, 1 };   /* [[1, 2], [2, 1]]: indefinite */
  g_assert_false (scalr_dpoinv (2, bad, &error));
  g_assert_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_NOT_POSDEF);
  g_clear_error (&error);
  /* C = AᵀA for A = [[1, 2], [3, 4], [5, 6]] (3 × 2): [[35, 44], [44, 56]]; upper untouched. */
  double A[6] = { 1, 2, 3, 4, 5, 6 }, C[4] = { 1, -7, 1, 1 };
  g_assert_true (scalr_dsyrk_lower (2, 3, 1.0, A, 2, 1.0, C, 2, &error));
  g_assert_no_error (error);
  assert_close (C[0], 36, 0, "syrk", 0, 0);
  assert_close (C[1], -7, 0, "syrk", 0, 1);
  assert_close (C[2], 45, 0, "syrk", 1, 0);
  assert_close (C[3], 57, 0, "syrk", 1, 1);
  g_assert_false (scalr_dsyrk_lower ((gsize) G_MAXINT + 1, 1, 1.0, A, 2, 0.0, C, 2, &error));
  g_assert_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/rec/classes", test_classes);
  g_test_add_func ("/scalr/rec/pop", test_pop);
  g_test_add_func ("/scalr/rec/itemknn/similarities", test_itemknn_similarities);
  g_test_add_func ("/scalr/rec/itemknn/config", test_itemknn_config);
  g_test_add_func ("/scalr/rec/ease/closed-form", test_ease_closed_form);
  g_test_add_func ("/scalr/rec/ease/weights", test_ease_weights);
  g_test_add_func ("/scalr/rec/ease/too-large", test_ease_too_large);
  g_test_add_func ("/scalr/rec/cancel", test_cancel);
  g_test_add_func ("/scalr/rec/progress", test_progress);
  g_test_add_func ("/scalr/rec/medium/itemknn", test_medium_itemknn);
  g_test_add_func ("/scalr/rec/medium/ease", test_medium_ease);
  g_test_add_func ("/scalr/rec/blas", test_blas_additions);
  return g_test_run ();
}
