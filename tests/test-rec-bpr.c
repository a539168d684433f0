/* test-rec-bpr.c — BPR-MF: the sequential fit (one SGD step and two checked by hand, training
 * AUC, positives ∝ weight, determinism), the parallel schedule (two blocks checked by hand,
 * the groups, every block's triples inside its groups, the same model for 1, 2 and 3
 * threads, still learning) and the error paths. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "recommenders/scalr-bpr-private.h"
#include "recommenders/scalr-recommenders-mf-private.h"
#include "scalr-csr.h"
#include "scalr-ials.h"
#include "scalr-parallel.h"
#include "scalr-rng.h"
#include "test-csr.h"
#include "test-util.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static gboolean
row_has (const ScalrCsr *m, guint u, guint32 i)
{
  for (guint64 e = m->indptr[u]; e < m->indptr[u + 1]; e++)
    if (m->indices[e] == i)
      return TRUE;
  return FALSE;
}

/* ---- the sequential fit ------------------------------------------------------------------- */

/* Two taste groups: users 0…19 hold 5 of items 0…9, users 20…39 hold 5 of items 10…19. */
static ScalrCsr *
two_groups (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (21);
  float d[40 * 20] = { 0 };
  for (guint u = 0; u < 40; u++)
    {
      guint base = u < 20 ? 0 : 10, n = 0;
      while (n < 5)
        {
          guint i = base + (guint) g_rand_int_range (rand, 0, 10);
          if (d[u * 20 + i] == 0)
            {
              d[u * 20 + i] = 1;
              n++;
            }
        }
    }
  return test_csr_from_dense (40, 20, d);
}

/* AUC over every user's (positive, negative) pairs of the training matrix. */
static double
train_auc (const ScalrRecommenderClass *klass, gpointer model, const ScalrCsr *m)
{
  g_autofree float *s = g_new (float, m->n_cols);
  double good = 0.0, pairs = 0.0;
  for (guint32 u = 0; u < m->n_rows; u++)
    {
      klass->score (model, m, &u, 1, s);
      for (guint i = 0; i < m->n_cols; i++)
        if (row_has (m, u, i))
          for (guint j = 0; j < m->n_cols; j++)
            if (!row_has (m, u, j))
              {
                good += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
                pairs += 1.0;
              }
    }
  return good / pairs;
}

static double
bpr_auc_blocks (const ScalrCsr *m, guint factors, double lr, guint epochs, guint64 seed, guint blocks)
{
  ScalrBprOptions o = { factors, lr, 0.0025, epochs, seed, blocks, 0 };
  /* Through the recommender vtable's model layout: U, V, bias. */
  g_autofree float *U = NULL, *V = NULL, *B = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (_scalr_bpr_fit (m, &o, &U, &V, &B, NULL, NULL, &error));
  g_assert_no_error (error);
  double good = 0.0, pairs = 0.0;
  for (guint u = 0; u < m->n_rows; u++)
    for (guint i = 0; i < m->n_cols; i++)
      if (row_has (m, u, i))
        for (guint j = 0; j < m->n_cols; j++)
          if (!row_has (m, u, j))
            {
              double si = test_dot (U + u * factors, V + i * factors, factors) + B[i];
              double sj = test_dot (U + u * factors, V + j * factors, factors) + B[j];
              good += si > sj ? 1.0 : si == sj ? 0.5 : 0.0;
              pairs += 1.0;
            }
  return good / pairs;
}

static double
bpr_auc (const ScalrCsr *m, guint factors, double lr, guint epochs, guint64 seed)
{
  return bpr_auc_blocks (m, factors, lr, epochs, seed, 1);
}

static void
test_bpr_auc (void)
{
  g_autoptr (ScalrCsr) m = two_groups ();
  double trained = bpr_auc (m, 8, 0.05, 300, 1);
  g_test_message ("training AUC %.3f", trained);
  g_assert_cmpfloat (trained, >, 0.9);
  /* Barely trained, the same measure is near chance: the threshold discriminates. */
  double untrained = bpr_auc (m, 8, 1e-6, 1, 1);
  g_test_message ("untrained AUC %.3f", untrained);
  g_assert_cmpfloat (untrained, <, 0.75);

  /* The vtable (defaults: 64 factors, 20 epochs of 200 triples) learns too, and its scores
   * rank the same way. */
  g_autoptr (GError) error = NULL;
  gpointer model = scalr_bpr_recommender.fit (m, NULL, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  double auc = train_auc (&scalr_bpr_recommender, model, m);
  g_test_message ("vtable training AUC %.3f", auc);
  g_assert_cmpfloat (auc, >, 0.9);
  scalr_bpr_recommender.free_model (model);
}

/* The sampler draws entry e with probability w_e / Σw and negatives outside the row. */
static void
test_bpr_sampler (void)
{
  static const float d[] = {
    1, 0, 2, 0, 0,
    0, 3, 0, 4, 0,
    0, 0, 0, 0, 0,
  };
  g_autoptr (ScalrCsr) m = test_csr_from_dense (3, 5, d);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrBprSampler) s = _scalr_bpr_sampler_new (m, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (_scalr_bpr_sampler_total (s), ==, 10.0);
  ScalrRng rng;
  scalr_rng_init (&rng, 3, SCALR_STREAM_MODEL, 0);
  const guint N = 200000;
  guint count[3 * 5] = { 0 }, neg[5] = { 0 };
  for (guint t = 0; t < N; t++)
    {
      guint32 u, i, j;
      g_assert_true (_scalr_bpr_sampler_draw (s, &rng, &u, &i, &j));
      g_assert_cmpuint (u, <, 2);
      g_assert_true (row_has (m, u, i));
      g_assert_false (row_has (m, u, j));
      g_assert_cmpuint (j, <, 5);
      count[u * 5 + i]++;
      if (u == 0)
        neg[j]++;
    }
  for (guint k = 0; k < 15; k++)
    {
      double p = d[k] / 10.0, mean = N * p, sd = sqrt (N * p * (1 - p));
      if (fabs (count[k] - mean) > 5 * sd + 1e-9)
        g_error ("entry %u: %u draws, expected %.0f ± %.0f", k, count[k], mean, sd);
    }
  /* User 0 (drawn 3/10 of the time): negatives uniform over items 1, 3, 4. */
  double n0 = count[0] + count[2];
  for (guint j = 0; j < 5; j++)
    {
      double p = (j == 1 || j == 3 || j == 4) ? 1.0 / 3 : 0.0;
      double mean = n0 * p, sd = sqrt (n0 * p * (1 - p));
      g_assert_cmpfloat (fabs (neg[j] - mean), <=, 5 * sd);
    }

  /* Zero weights are never drawn; a matrix of only zero weights has nothing to draw. */
  float z[] = { 0, 5, 0, 0 };
  g_autoptr (ScalrCsr) mz = test_csr_from_dense (2, 2, z);
  mz->values[0] = 0.0f;   /* entry (0,1) stored with weight 0 */
  g_autoptr (ScalrBprSampler) sz = _scalr_bpr_sampler_new (mz, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (_scalr_bpr_sampler_total (sz), ==, 0.0);
  guint32 u, i, j;
  g_assert_false (_scalr_bpr_sampler_draw (sz, &rng, &u, &i, &j));
}

static void
test_bpr_determinism (void)
{
  g_autoptr (ScalrCsr) m = test_csr_random (50, 30, 0.1, 8);
  float *U[3] = { NULL }, *V[3] = { NULL }, *B[3] = { NULL };
  const guint64 seeds[3] = { 4, 4, 5 };
  for (guint r = 0; r < 3; r++)
    {
      ScalrBprOptions o = { 6, 0.05, 0.0025, 5, seeds[r] };
      g_autoptr (GError) error = NULL;
      g_assert_true (_scalr_bpr_fit (m, &o, &U[r], &V[r], &B[r], NULL, NULL, &error));
    }
  gsize nu = (gsize) m->n_rows * 6 * sizeof (float), ni = (gsize) m->n_cols * 6 * sizeof (float);
  g_assert_cmpmem (U[0], nu, U[1], nu);
  g_assert_cmpmem (V[0], ni, V[1], ni);
  g_assert_cmpmem (B[0], m->n_cols * sizeof (float), B[1], m->n_cols * sizeof (float));
  g_assert_true (memcmp (V[0], V[2], ni) != 0);
  for (guint r = 0; r < 3; r++)
    {
      g_free (U[r]);
      g_free (V[r]);
      g_free (B[r]);
    }
}

static void
test_bpr_errors (void)
{
  g_autoptr (ScalrCsr) m = two_groups ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  g_cancellable_cancel (cancelled);
  g_assert_null (scalr_bpr_recommender.fit (m, NULL, 1, NULL, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  ScalrCsr huge = { 1000000000u, 1000, 0, NULL, NULL, NULL };
  ScalrBprOptions o = { 1024, 0.05, 0.0025, 1, 1 };
  g_autofree float *U = NULL, *V = NULL, *B = NULL;
  g_assert_false (_scalr_bpr_fit (&huge, &o, &U, &V, &B, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "bpr", "GiB");
  g_clear_error (&error);
  ScalrCsr tall = { G_MAXUINT32, 10, 0, NULL, NULL, NULL };
  g_assert_null (scalr_bpr_recommender.fit (&tall, NULL, 1, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "bpr");
}


/* One SGD step on the triple (u, i, j), written out from the update rule in double. */
static void
hand_step (double *x, double *yi, double *yj, double *bi, double *bj, guint k, double lr, double reg)
{
  double d = *bi - *bj;
  for (guint a = 0; a < k; a++)
    d += x[a] * (yi[a] - yj[a]);
  double g = 1.0 / (1.0 + exp (d));
  for (guint a = 0; a < k; a++)
    {
      double x0 = x[a], p = yi[a], q = yj[a];
      x[a] = x0 + lr * (g * (p - q) - reg * x0);
      yi[a] = p + lr * (g * x0 - reg * p);
      yj[a] = q + lr * (-g * x0 - reg * q);
    }
  *bi += lr * (g - reg * *bi);
  *bj += lr * (-g - reg * *bj);
}

static void
assert_factors (const float *got, const double *want, guint n, const char *what)
{
  for (guint a = 0; a < n; a++)
    if (fabs (got[a] - want[a]) > 1e-6)
      g_error ("%s[%u]: %.9g, expected %.9g", what, a, got[a], want[a]);
}

/* One user holding item 0 of two: every epoch is one step on (0, 0, 1) — the only entry, and
 * item 1 the only negative. Two epochs, from the documented initial factors
 * (N(0, 0.1²): user u from stream (seed, MODEL, u), item i from (seed, MODEL, 2³² + i)). */
static void
test_bpr_hand_sequential (void)
{
  static const float d[] = { 1, 0 };
  g_autoptr (ScalrCsr) m = test_csr_from_dense (1, 2, d);
  const guint k = 3;
  const double lr = 0.1, reg = 0.01;
  float U0[3], V0[6];
  _scalr_mf_init_factors (U0, 1, k, 0.1, 9, 0);
  _scalr_mf_init_factors (V0, 2, k, 0.1, 9, G_GUINT64_CONSTANT (1) << 32);
  double x[3], y0[3], y1[3], b0 = 0, b1 = 0;
  for (guint a = 0; a < k; a++)
    {
      x[a] = U0[a];
      y0[a] = V0[a];
      y1[a] = V0[k + a];
    }
  hand_step (x, y0, y1, &b0, &b1, k, lr, reg);
  hand_step (x, y0, y1, &b0, &b1, k, lr, reg);
  for (guint blocks = 0; blocks <= 1; blocks++)   /* 0 and 1: both sequential */
    {
      ScalrBprOptions o = { k, lr, reg, 2, 9, blocks, 0 };
      g_autofree float *U = NULL, *V = NULL, *B = NULL;
      g_autoptr (GError) error = NULL;
      g_assert_true (_scalr_bpr_fit (m, &o, &U, &V, &B, NULL, NULL, &error));
      g_assert_no_error (error);
      assert_factors (U, x, k, "x_0");
      assert_factors (V, y0, k, "y_0");
      assert_factors (V + k, y1, k, "y_1");
      double bias[2] = { b0, b1 };
      assert_factors (B, bias, 2, "b");
    }
}

/* ---- the parallel schedule ---------------------------------------------------------------- */

/* Two blocks by hand. Users 0 and 1 (one event each) fall in groups 0 and 1 (the least loaded
 * in index order). Four items; a seed whose epoch-0 item groups are {0, 1} and {2, 3} in some
 * order: user 0 holds item 0, user 1 item 2, so the blocks holding events are
 * (0, group of 0) and (1, group of 2), the same stratum (groups differ), one step each
 * (weight 1 of 2, 2 events), and the negatives are forced: item 1 for user 0, item 3 for
 * user 1. */
static void
test_bpr_hand_blocks (void)
{
  static const float d[] = { 1, 0, 0, 0,
                             0, 0, 1, 0 };
  g_autoptr (ScalrCsr) m = test_csr_from_dense (2, 4, d);
  guint32 ug[2], ig[4];
  _scalr_bpr_user_groups (m, 2, ug);
  g_assert_cmpuint (ug[0], ==, 0);
  g_assert_cmpuint (ug[1], ==, 1);
  guint64 seed = 0;
  for (guint64 s = 1; s < 1000 && seed == 0; s++)
    {
      _scalr_bpr_item_groups (4, 2, s, 0, ig);
      if (ig[0] == ig[1] && ig[2] == ig[3] && ig[0] != ig[2] && ig[0] != ug[0])
        seed = s;   /* user 0's block (0, 1) and user 1's (1, 0): stratum 1 */
    }
  g_assert_cmpuint (seed, !=, 0);
  const guint k = 2;
  const double lr = 0.2, reg = 0.05;
  float U0[4], V0[8];
  _scalr_mf_init_factors (U0, 2, k, 0.1, seed, 0);
  _scalr_mf_init_factors (V0, 4, k, 0.1, seed, G_GUINT64_CONSTANT (1) << 32);
  double x[2][2], y[4][2], b[4] = { 0 };
  for (guint a = 0; a < k; a++)
    {
      x[0][a] = U0[a];
      x[1][a] = U0[k + a];
      for (guint i = 0; i < 4; i++)
        y[i][a] = V0[i * k + a];
    }
  hand_step (x[0], y[0], y[1], &b[0], &b[1], k, lr, reg);
  hand_step (x[1], y[2], y[3], &b[2], &b[3], k, lr, reg);
  ScalrBprOptions o = { k, lr, reg, 1, seed, 2, 2 };
  g_autofree float *U = NULL, *V = NULL, *B = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (_scalr_bpr_fit (m, &o, &U, &V, &B, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_factors (U, x[0], k, "x_0");
  assert_factors (U + k, x[1], k, "x_1");
  for (guint i = 0; i < 4; i++)
    assert_factors (V + i * k, y[i], k, "y_i");
  assert_factors (B, b, 4, "b");
}

/* Users balanced by events; items' groups a function of (seed, epoch), changing between
 * epochs; each block's triples lie in its groups; P lowered for small matrices. */
static void
test_bpr_groups_and_blocks (void)
{
  g_autoptr (ScalrCsr) m = test_csr_random (300, 60, 0.1, 5);
  const guint P = 3;
  g_autofree guint32 *ug = g_new (guint32, m->n_rows);
  _scalr_bpr_user_groups (m, P, ug);
  double load[3] = { 0 }, max_row = 0;
  for (guint u = 0; u < m->n_rows; u++)
    {
      double w = 0;
      for (guint64 e = m->indptr[u]; e < m->indptr[u + 1]; e++)
        w += m->values[e];
      load[ug[u]] += w;
      max_row = MAX (max_row, w);
    }
  double lo = MIN (load[0], MIN (load[1], load[2])), hi = MAX (load[0], MAX (load[1], load[2]));
  g_assert_cmpfloat (hi - lo, <=, max_row);

  guint32 a[60], b[60], c[60];
  _scalr_bpr_item_groups (60, P, 11, 0, a);
  _scalr_bpr_item_groups (60, P, 11, 0, b);
  _scalr_bpr_item_groups (60, P, 11, 1, c);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  g_assert_true (memcmp (a, c, sizeof a) != 0);
  guint used[3] = { 0 };
  for (guint i = 0; i < 60; i++)
    {
      g_assert_cmpuint (a[i], <, P);
      used[a[i]]++;
    }
  g_assert_true (used[0] > 0 && used[1] > 0 && used[2] > 0);
  _scalr_bpr_item_groups (60, 1, 11, 4, c);
  for (guint i = 0; i < 60; i++)
    g_assert_cmpuint (c[i], ==, 0);

  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrBprSampler) s = _scalr_bpr_sampler_new_blocks (m, P, 11, 1, &error);
  g_assert_no_error (error);
  const guint32 *sug, *sig;
  g_assert_cmpuint (_scalr_bpr_sampler_get_blocks (s, &sug, &sig), ==, P);
  g_assert_cmpmem (sug, m->n_rows * sizeof (guint32), ug, m->n_rows * sizeof (guint32));
  _scalr_bpr_item_groups (60, P, 11, 1, c);
  g_assert_cmpmem (sig, sizeof c, c, sizeof c);
  ScalrRng rng;
  scalr_rng_init (&rng, 1, SCALR_STREAM_MODEL, 0);
  for (guint p = 0; p < P; p++)
    for (guint q = 0; q < P; q++)
      for (guint t = 0; t < 500; t++)
        {
          guint32 u, i, j;
          if (!_scalr_bpr_sampler_draw_block (s, p, q, &rng, &u, &i, &j))
            continue;
          g_assert_cmpuint (sug[u], ==, p);
          g_assert_cmpuint (sig[i], ==, q);
          g_assert_cmpuint (sig[j], ==, q);
          g_assert_true (row_has (m, u, i));
          g_assert_false (row_has (m, u, j));
        }

  /* At least 1024 users and items per group, at most bpr.blocks. */
  ScalrCsr shape = { 3500, 5000, 0, NULL, NULL, NULL };
  g_assert_cmpuint (_scalr_bpr_effective_blocks (&shape, 16), ==, 3);
  shape.n_rows = 1023;
  g_assert_cmpuint (_scalr_bpr_effective_blocks (&shape, 16), ==, 1);
  shape.n_rows = 100000;
  g_assert_cmpuint (_scalr_bpr_effective_blocks (&shape, 16), ==, 4);
  shape.n_cols = 20000;
  g_assert_cmpuint (_scalr_bpr_effective_blocks (&shape, 16), ==, 16);
  g_assert_cmpuint (_scalr_bpr_effective_blocks (&shape, 4), ==, 4);
  shape.n_cols = 2047;
  g_assert_cmpuint (_scalr_bpr_effective_blocks (&shape, 16), ==, 1);
}

/* The same model for 1, 2 and 3 threads and for a repeated run; another seed or P differs. */
static void
test_bpr_threads (void)
{
  g_autoptr (ScalrCsr) m = test_csr_random (400, 120, 0.08, 12);
  const guint k = 8;
  struct { guint64 seed; guint blocks, threads; } runs[] = {
    { 3, 4, 1 }, { 3, 4, 2 }, { 3, 4, 3 }, { 3, 4, 2 }, { 4, 4, 2 }, { 3, 3, 2 },
  };
  float *U[6], *V[6], *B[6];
  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      ScalrBprOptions o = { k, 0.05, 0.0025, 4, runs[r].seed, runs[r].blocks, runs[r].threads };
      g_autoptr (GError) error = NULL;
      g_assert_true (_scalr_bpr_fit (m, &o, &U[r], &V[r], &B[r], NULL, NULL, &error));
      g_assert_no_error (error);
    }
  gsize nu = (gsize) m->n_rows * k * sizeof (float), ni = (gsize) m->n_cols * k * sizeof (float);
  for (guint r = 1; r < 4; r++)
    {
      g_assert_cmpmem (U[0], nu, U[r], nu);
      g_assert_cmpmem (V[0], ni, V[r], ni);
      g_assert_cmpmem (B[0], m->n_cols * sizeof (float), B[r], m->n_cols * sizeof (float));
    }
  g_assert_true (memcmp (V[0], V[4], ni) != 0);
  g_assert_true (memcmp (V[0], V[5], ni) != 0);
  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_free (U[r]);
      g_free (V[r]);
      g_free (B[r]);
    }
}

/* The schedule still learns the two tastes: groups of negatives, but every epoch new ones. */
static void
test_bpr_blocks_learn (void)
{
  g_autoptr (ScalrCsr) m = two_groups ();
  double seq = bpr_auc_blocks (m, 8, 0.05, 300, 1, 1);
  double par = bpr_auc_blocks (m, 8, 0.05, 300, 1, 2);
  g_test_message ("training AUC: sequential %.3f, two blocks %.3f", seq, par);
  g_assert_cmpfloat (par, >, 0.9);
  g_assert_cmpfloat (fabs (par - seq), <, 0.05);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scalr/rec/bpr/hand-sequential", test_bpr_hand_sequential);
  g_test_add_func ("/scalr/rec/bpr/auc", test_bpr_auc);
  g_test_add_func ("/scalr/rec/bpr/sampler", test_bpr_sampler);
  g_test_add_func ("/scalr/rec/bpr/determinism", test_bpr_determinism);
  g_test_add_func ("/scalr/rec/bpr/errors", test_bpr_errors);
  g_test_add_func ("/scalr/rec/bpr/hand-blocks", test_bpr_hand_blocks);
  g_test_add_func ("/scalr/rec/bpr/groups-and-blocks", test_bpr_groups_and_blocks);
  g_test_add_func ("/scalr/rec/bpr/threads", test_bpr_threads);
  g_test_add_func ("/scalr/rec/bpr/blocks-learn", test_bpr_blocks_learn);
  return g_test_run ();
}
