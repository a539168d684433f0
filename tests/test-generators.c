/* test-generators.c — stage 1: the cooc, ridge and popularity generators against values
 * computed by hand on a tiny split (see test-tiny.h), softmax and temperature, τ by maximum
 * likelihood and calibration on MovieLens, the alias tables, the RNG streams and the BLAS
 * wrapper's size checks. */
#include "config.h"

#include "scalr-registry.h"

#include <limits.h>
#include <math.h>

#include "scalr-alias.h"
#include "scalr-blas.h"
#include "scalr-rng.h"
#include "test-tiny.h"

/* Draws for frequency checks. The empirical frequency of an item of probability p has
 * standard deviation sqrt(p(1−p)/N) ≤ 0.0011 at N = 200 000; we allow 5 of them
 * (a false alarm rate below 1e-6 per check), which still catches an error of 0.006. */
#define N_DRAWS 200000

static void
assert_freq (guint64 count, double p, const char *what)
{
  double f = (double) count / N_DRAWS;
  double tol = 5.0 * sqrt (p * (1.0 - p) / N_DRAWS) + 1e-12;
  if (fabs (f - p) > tol)
    g_error ("%s: frequency %.5f, expected %.5f ± %.5f", what, f, p, tol);
}

/* P(·|j) of @gen as a vector. */
static void
item_probs (ScalrGenerator *g, guint32 j, double *out)
{
  for (guint i = 0; i < N_TINY_ITEMS; i++)
    out[i] = g->klass->item_prob (g->model, j, i);
}

static void
assert_vec (const double *got, const double *want, guint n, double eps, const char *what)
{
  for (guint i = 0; i < n; i++)
    if (!(fabs (got[i] - want[i]) <= eps))
      g_error ("%s[%u] = %.9g, expected %.9g", what, i, got[i], want[i]);
}

/* exp of the scores of one user. */
static void
score_exp (ScalrGenerator *g, guint32 u, double *out)
{
  float row[N_TINY_ITEMS];
  g->klass->score (g->model, &u, 1, row);
  for (guint i = 0; i < N_TINY_ITEMS; i++)
    out[i] = exp ((double) row[i]);
}

/* ---- cooc --------------------------------------------------------------------------- */

static void
test_cooc_probabilities (void)
{
  Tiny t;
  tiny_open (&t);
  double p[N_TINY_ITEMS];

  /* α = 0, β = 0: P(i|j) = C[j,i] / Σ_i C[j,i]; a row without co-occurrences (c) falls back
   * to the training popularity π = (4, 3, 2, 0)/9. */
  {
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "0", "beta", "0", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    g_assert_true (g->klass == scalr_generator_lookup ("cooc"));
    g_assert_cmpuint (g->n_items, ==, N_TINY_ITEMS);
    g_assert_cmpfloat (g->temperature, ==, 1.0);
    g_assert_false (g->fitted_temperature);
    g_assert_true (isnan (g->valid_log_lik));   /* no validation events */
    item_probs (g, SA, p);
    assert_vec (p, (double[]) { 3 / 5., 1 / 5., 1 / 5., 0 }, 4, 1e-6, "P(.|a), α=0");
    item_probs (g, SB, p);
    assert_vec (p, (double[]) { 1 / 3., 1 / 3., 1 / 3., 0 }, 4, 1e-6, "P(.|b), α=0");
    item_probs (g, SC, p);
    assert_vec (p, (double[]) { 4 / 9., 3 / 9., 2 / 9., 0 }, 4, 1e-6, "P(.|c), α=0");
    /* Support = C[j,i]. */
    const guint32 support[3][4] = { { 3, 1, 1, 0 }, { 1, 1, 1, 0 }, { 0, 0, 0, 0 } };
    for (guint j = 0; j < 3; j++)
      for (guint i = 0; i < N_TINY_ITEMS; i++)
        g_assert_cmpuint (g->klass->item_support (g->model, j, i), ==, support[j][i]);
    /* Scores: log of the mean of P(·|j) over the user's source items; no source: π.
     * u5 = (P(·|b) + π)/2 = (7/18, 1/3, 5/18, 0). */
    score_exp (g, U5, p);
    assert_vec (p, (double[]) { 7 / 18., 1 / 3., 5 / 18., 0 }, 4, 1e-6, "cooc score u5, α=0");
    score_exp (g, UZ, p);
    assert_vec (p, (double[]) { 4 / 9., 3 / 9., 2 / 9., 0 }, 4, 1e-6, "cooc score z, α=0");
  }

  /* α = 1, β = 0: P(i|j) = (C[j,i] + α π_i) / (m_j + α).
   *   a: ((3 + 4/9), (1 + 3/9), (1 + 2/9), 0) / 6 = (31, 12, 11, 0)/54
   *   b: ((1 + 4/9), (1 + 3/9), (1 + 2/9), 0) / 4 = (13, 12, 11, 0)/36
   *   c: (0 + π)/1 = π */
  {
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", "beta", "0", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    item_probs (g, SA, p);
    assert_vec (p, (double[]) { 31 / 54., 12 / 54., 11 / 54., 0 }, 4, 1e-6, "P(.|a), α=1");
    item_probs (g, SB, p);
    assert_vec (p, (double[]) { 13 / 36., 12 / 36., 11 / 36., 0 }, 4, 1e-6, "P(.|b), α=1");
    item_probs (g, SC, p);
    assert_vec (p, (double[]) { 4 / 9., 3 / 9., 2 / 9., 0 }, 4, 1e-6, "P(.|c), α=1");
    /* Smoothing does not change the support. */
    g_assert_cmpuint (g->klass->item_support (g->model, SA, TP), ==, 3);
    g_assert_cmpuint (g->klass->item_support (g->model, SA, TS), ==, 0);
    /* u2 = (P(·|a) + P(·|b))/2 = (101, 60, 55, 0)/216; u5 = (P(·|b) + π)/2 = (29, 24, 19, 0)/72;
     * u1 = P(·|a). */
    score_exp (g, U2, p);
    assert_vec (p, (double[]) { 101 / 216., 60 / 216., 55 / 216., 0 }, 4, 1e-6, "cooc score u2");
    score_exp (g, U5, p);
    assert_vec (p, (double[]) { 29 / 72., 24 / 72., 19 / 72., 0 }, 4, 1e-6, "cooc score u5");
    score_exp (g, U1, p);
    assert_vec (p, (double[]) { 31 / 54., 12 / 54., 11 / 54., 0 }, 4, 1e-6, "cooc score u1");
    /* A batch scores like one user at a time. */
    const guint32 users[3] = { U5, U2, U1 };
    float batch[3 * N_TINY_ITEMS];
    g->klass->score (g->model, users, 3, batch);
    g_assert_cmpfloat_with_epsilon (exp (batch[N_TINY_ITEMS + TP]), 101 / 216., 1e-6);
    g_assert_true (isinf (batch[TS]) && batch[TS] < 0);
    /* At τ = 1 the probabilities are the mixture itself. */
    float probs[N_TINY_ITEMS];
    guint32 u = U2;
    scalr_generator_probabilities (g, &u, 1, probs);
    g_assert_cmpfloat_with_epsilon (probs[TP], 101 / 216., 1e-6);
    g_assert_cmpfloat_with_epsilon (probs[TR], 55 / 216., 1e-6);
    g_assert_cmpfloat (probs[TS], ==, 0.0f);
  }

  /* α = 2: a = ((3 + 8/9), (1 + 6/9), (1 + 4/9), 0) / 7 = (35, 15, 13, 0)/63. */
  {
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "2", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    item_probs (g, SA, p);
    assert_vec (p, (double[]) { 35 / 63., 15 / 63., 13 / 63., 0 }, 4, 1e-6, "P(.|a), α=2");
  }

  /* β = 1: C[j,i]/π_i: a = (3·9/4, 1·9/3, 1·9/2) = (27/4, 3, 9/2), m_a = 57/4;
   * b = (9/4, 3, 9/2), m_b = 39/4. ρ ∝ π^0 on the items with training events = 1/3 each.
   *   α = 0: a = (27, 12, 18, 0)/57 = (9, 4, 6, 0)/19;  b = (9, 12, 18, 0)/39 = (3, 4, 6, 0)/13
   *   α = 1: a = (27/4 + 1/3, 3 + 1/3, 9/2 + 1/3, 0)/(61/4) = (85, 40, 58, 0)/183 */
  {
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "0", "beta", "1", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    item_probs (g, SA, p);
    assert_vec (p, (double[]) { 9 / 19., 4 / 19., 6 / 19., 0 }, 4, 1e-6, "P(.|a), β=1");
    item_probs (g, SB, p);
    assert_vec (p, (double[]) { 3 / 13., 4 / 13., 6 / 13., 0 }, 4, 1e-6, "P(.|b), β=1");
    item_probs (g, SC, p);
    assert_vec (p, (double[]) { 1 / 3., 1 / 3., 1 / 3., 0 }, 4, 1e-6, "P(.|c), β=1");
    g_assert_cmpuint (g->klass->item_support (g->model, SA, TP), ==, 3);
  }
  {
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", "beta", "1", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    item_probs (g, SA, p);
    assert_vec (p, (double[]) { 85 / 183., 40 / 183., 58 / 183., 0 }, 4, 1e-6, "P(.|a), α=1 β=1");
    /* β = 1 moves mass from the popular p to the rarer r relative to β = 0. */
    g_assert_cmpfloat (p[TP], <, 31 / 54.);
    g_assert_cmpfloat (p[TR], >, 11 / 54.);
  }
  tiny_close (&t);
}

static void
test_cooc_topk (void)
{
  Tiny t;
  tiny_open (&t);
  guint32 items[8];
  float probs[8];
  {
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    /* Most probable first; s (probability 0) is never a candidate. */
    guint n = g->klass->item_topk (g->model, SA, 4, items, probs);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpuint (items[0], ==, TP);
    g_assert_cmpuint (items[1], ==, TQ);
    g_assert_cmpuint (items[2], ==, TR);
    g_assert_cmpfloat_with_epsilon (probs[0], 31 / 54., 1e-6);
    g_assert_cmpfloat_with_epsilon (probs[2], 11 / 54., 1e-6);
    n = g->klass->item_topk (g->model, SB, 1, items, probs);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpuint (items[0], ==, TP);
    g_assert_cmpfloat_with_epsilon (probs[0], 13 / 36., 1e-6);
    /* c has no co-occurrences: its items are the smoothing's, by popularity. */
    n = g->klass->item_topk (g->model, SC, 8, items, probs);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpuint (items[0], ==, TP);
    g_assert_cmpuint (items[1], ==, TQ);
    g_assert_cmpuint (items[2], ==, TR);
    g_assert_cmpfloat_with_epsilon (probs[1], 3 / 9., 1e-6);
  }
  {
    /* α = 0: only the row; ties by item id (b: p, q, r at 1/3 each). The empty row c
     * still has its probabilities (π), so it has candidates too. */
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "0", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    guint n = g->klass->item_topk (g->model, SB, 2, items, probs);
    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpuint (items[0], ==, TP);
    g_assert_cmpuint (items[1], ==, TQ);
    n = g->klass->item_topk (g->model, SA, 8, items, probs);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpuint (items[0], ==, TP);
    g_assert_cmpuint (items[1], ==, TQ);   /* q and r tie at 1/5: q has the smaller id */
    n = g->klass->item_topk (g->model, SC, 2, items, probs);
    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpuint (items[0], ==, TP);
    g_assert_cmpfloat_with_epsilon (probs[0], 4 / 9., 1e-6);
  }
  {
    /* A large α lets a popular item outside a row beat the row: for b with α = 10,
     * P(p|b) = (1 + 40/9)/13 = 49/117 and P(r|b) = (1 + 20/9)/13 = 29/117. Here every item
     * is in b's row, so use β = 1 where ρ is flat instead: a with α = 100 gives
     * (27/4 + 100/3, 3 + 100/3, 9/2 + 100/3)/(57/4 + 100), order p, r, q. */
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "100", "beta", "1", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    guint n = g->klass->item_topk (g->model, SA, 3, items, probs);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpuint (items[0], ==, TP);
    g_assert_cmpuint (items[1], ==, TR);
    g_assert_cmpuint (items[2], ==, TQ);
    g_assert_cmpfloat_with_epsilon (probs[1], (4.5 + 100 / 3.) / (57 / 4. + 100), 1e-6);
  }
  tiny_close (&t);
}

/* One source item of a user who co-occurs only with r makes the smoothing items outside the
 * row compete: x is seen with r by one user; p, q, s are outside x's row. */
static void
test_cooc_topk_outside_row (void)
{
  Tiny t;
  ScalrSplitOptions o = { SCALR_SPLIT_TEMPORAL, 0.2, 0.0, 4, 0.0, 0, 1 };
  tiny_open_full (&t,
                  "user,item,rating,timestamp,domain\n"
                  "u1,x,1,1,S\nu1,r,1,1,T\n"
                  "z,p,1,1,T\nz,q,1,2,T\nz,p2,1,3,T\nz,s,1,4,T\n"
                  "y,p,1,1,T\ny,q,1,2,T\ny,p2,1,3,T\ny,s,1,4,T\n",
                  &o);
  /* Target items r=0 p=1 q=2 p2=3 s=4; training: r 1, p 2, q 2, p2 2 (s is z's and y's test
   * event): π = (1, 2, 2, 2, 0)/7. α = 10: P(r|x) = (1 + 10/7)/11 = 17/77,
   * P(p|x) = P(q|x) = P(p2|x) = (20/7)/11 = 20/77. */
  g_assert_cmpuint (scalr_split_get_train (t.split)->nnz, ==, 7);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "10", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  guint32 items[8];
  float probs[8];
  guint n = g->klass->item_topk (g->model, 0, 2, items, probs);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (items[0], ==, 1);
  g_assert_cmpuint (items[1], ==, 2);
  g_assert_cmpfloat_with_epsilon (probs[0], 20 / 77., 1e-6);
  n = g->klass->item_topk (g->model, 0, 8, items, probs);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (items[3], ==, 0);
  g_assert_cmpfloat_with_epsilon (probs[3], 17 / 77., 1e-6);
  double sum = 0;
  for (guint k = 0; k < n; k++)
    sum += probs[k];
  g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-6);
  tiny_close (&t);
}

static void
test_cooc_draw (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  const struct { guint32 j; double p[N_TINY_ITEMS]; } cases[] = {
    { SA, { 31 / 54., 12 / 54., 11 / 54., 0 } },
    { SB, { 13 / 36., 12 / 36., 11 / 36., 0 } },
    { SC, { 4 / 9., 3 / 9., 2 / 9., 0 } },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      ScalrRng rng;
      scalr_rng_init (&rng, 5, SCALR_STREAM_SAMPLER, k);
      guint64 count[N_TINY_ITEMS] = { 0 };
      for (guint d = 0; d < N_DRAWS; d++)
        {
          guint32 item = G_MAXUINT32;
          float prob = -1;
          g_assert_true (g->klass->item_draw (g->model, cases[k].j, &rng, &item, &prob));
          g_assert_cmpuint (item, <, N_TINY_ITEMS);
          /* The probability returned is the item's P(i|j). */
          g_assert_cmpfloat_with_epsilon (prob, cases[k].p[item], 1e-6);
          count[item]++;
        }
      g_assert_cmpuint (count[TS], ==, 0);
      for (guint i = 0; i < N_TINY_ITEMS; i++)
        assert_freq (count[i], cases[k].p[i], "cooc draw");
    }
  tiny_close (&t);
}

/* ---- softmax -------------------------------------------------------------------------- */

static void
test_softmax (void)
{
  /* log p at τ: p^(1/τ) / Σ p^(1/τ). p = (101, 60, 55, 0)/216. */
  const double p[4] = { 101 / 216., 60 / 216., 55 / 216., 0 };
  const double taus[] = { 1.0, 0.5, 2.0, 0.1 };
  double prev_max = 0;
  for (guint k = 0; k < G_N_ELEMENTS (taus); k++)
    {
      float row[4];
      for (guint i = 0; i < 4; i++)
        row[i] = p[i] > 0 ? (float) log (p[i]) : -INFINITY;
      scalr_softmax_row (row, 4, taus[k]);
      double z = 0;
      for (guint i = 0; i < 3; i++)
        z += pow (p[i], 1 / taus[k]);
      for (guint i = 0; i < 3; i++)
        g_assert_cmpfloat_with_epsilon (row[i], pow (p[i], 1 / taus[k]) / z, 1e-6);
      g_assert_cmpfloat (row[3], ==, 0.0f);
      if (k == 1)
        {
          /* τ = 0.5 squares: 101² / (101² + 60² + 55²) = 10201/16826. */
          g_assert_cmpfloat_with_epsilon (row[0], 10201 / 16826., 1e-6);
          g_assert_cmpfloat (row[0], >, prev_max);   /* sharper than τ = 1 */
        }
      if (k == 2)
        g_assert_cmpfloat (row[0], <, 101 / 216.);   /* flatter */
      prev_max = row[0];
    }
  /* Shifts do not matter; large scores do not overflow. */
  float a[3] = { 1000.0f, 1001.0f, 999.0f }, b[3] = { 0.0f, 1.0f, -1.0f };
  scalr_softmax_row (a, 3, 1.0);
  scalr_softmax_row (b, 3, 1.0);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat_with_epsilon (a[i], b[i], 1e-6);
  g_assert_cmpfloat_with_epsilon (b[1], exp (1) / (1 + exp (1) + exp (-1)), 1e-6);
  /* A huge τ is almost uniform; no finite score at all gives the uniform distribution. */
  float c[3] = { 0.0f, 1.0f, -1.0f };
  scalr_softmax_row (c, 3, 1e6);
  g_assert_cmpfloat_with_epsilon (c[0], 1 / 3., 1e-5);
  float d[4] = { -INFINITY, -INFINITY, -INFINITY, -INFINITY };
  scalr_softmax_row (d, 4, 1.0);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (d[i], ==, 0.25f);
}

/* ---- popularity ----------------------------------------------------------------------- */

static void
test_popularity (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("popularity", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  const double pi[4] = { 4 / 9., 3 / 9., 2 / 9., 0 };
  double p[4];
  /* The same for every user, with or without source events. */
  for (guint u = 0; u < N_TINY_USERS; u++)
    {
      score_exp (g, u, p);
      assert_vec (p, pi, 4, 1e-6, "popularity score");
    }
  item_probs (g, SB, p);
  assert_vec (p, pi, 4, 1e-7, "popularity item_prob");
  g_assert_cmpuint (g->klass->item_support (g->model, SA, TS), ==, G_MAXUINT32);
  guint32 items[4];
  float probs[4];
  guint n = g->klass->item_topk (g->model, SA, 4, items, probs);
  g_assert_cmpuint (n, ==, 3);   /* s has no training event */
  g_assert_cmpuint (items[0], ==, TP);
  g_assert_cmpuint (items[1], ==, TQ);
  g_assert_cmpuint (items[2], ==, TR);
  g_assert_cmpfloat_with_epsilon (probs[1], 1 / 3., 1e-7);
  n = g->klass->item_topk (g->model, SA, 2, items, probs);
  g_assert_cmpuint (n, ==, 2);
  ScalrRng rng;
  scalr_rng_init (&rng, 9, SCALR_STREAM_SAMPLER, 0);
  guint64 count[4] = { 0 };
  for (guint d = 0; d < N_DRAWS; d++)
    {
      guint32 item;
      float prob;
      g_assert_true (g->klass->item_draw (g->model, SC, &rng, &item, &prob));
      g_assert_cmpfloat_with_epsilon (prob, pi[item], 1e-7);
      count[item]++;
    }
  g_assert_cmpuint (count[TS], ==, 0);
  for (guint i = 0; i < 4; i++)
    assert_freq (count[i], pi[i], "popularity draw");
  tiny_close (&t);
}

/* ---- ridge ---------------------------------------------------------------------------- */

/* W = (XᵀX + λI)⁻¹ XᵀY for the two fitting source items a, b (c's only user has no training
 * events), solved by Cramer's rule from counts taken from the split's matrices. */
static void
ridge_closed_form (ScalrSplit *split, double l2, double W[2][N_TINY_ITEMS])
{
  const ScalrCsr *S = scalr_split_get_source (split), *T = scalr_split_get_train (split);
  double G[2][2] = { { 0 } }, B[2][N_TINY_ITEMS] = { { 0 } };
  for (guint u = 0; u < S->n_rows; u++)
    {
      if (scalr_csr_row_len (T, u) == 0)
        continue;
      gboolean x[2] = { FALSE, FALSE };
      for (guint64 k = S->indptr[u]; k < S->indptr[u + 1]; k++)
        if (S->indices[k] < 2)
          x[S->indices[k]] = TRUE;
      for (guint r = 0; r < 2; r++)
        {
          for (guint s = 0; s < 2; s++)
            G[r][s] += x[r] && x[s];
          for (guint64 k = T->indptr[u]; k < T->indptr[u + 1]; k++)
            B[r][T->indices[k]] += x[r];
        }
    }
  /* By hand: G = [[3, 1], [1, 2]], B_a = (3, 1, 1, 0), B_b = (1, 1, 1, 0). */
  g_assert_cmpfloat (G[0][0], ==, 3);
  g_assert_cmpfloat (G[0][1], ==, 1);
  g_assert_cmpfloat (G[1][1], ==, 2);
  g_assert_cmpfloat (B[0][0], ==, 3);
  g_assert_cmpfloat (B[1][2], ==, 1);
  G[0][0] += l2;
  G[1][1] += l2;
  double det = G[0][0] * G[1][1] - G[0][1] * G[1][0];
  for (guint i = 0; i < N_TINY_ITEMS; i++)
    {
      W[0][i] = (B[0][i] * G[1][1] - G[0][1] * B[1][i]) / det;
      W[1][i] = (G[0][0] * B[1][i] - B[0][i] * G[1][0]) / det;
    }
}

static void
test_ridge (void)
{
  Tiny t;
  tiny_open (&t);
  const double l2s[] = { 1.0, 0.5, 20.0 };
  for (guint k = 0; k < G_N_ELEMENTS (l2s); k++)
    {
      g_autofree char *l2 = g_strdup_printf ("%g", l2s[k]);
      /* The largest max_source_items is fine: only source items with fitting users become
       * columns (a and b), so the system stays 2×2. */
      g_autoptr (ScalrConfig) c = gen_config ("ridge", "1", "l2", l2, "max_source_items", k == 2 ? "100000" : "10", NULL);
      g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
      g_assert_null (g->klass->item_draw);
      g_assert_null (g->klass->item_topk);
      double W[2][N_TINY_ITEMS];
      ridge_closed_form (t.split, l2s[k], W);
      if (k == 0)
        {
          /* λ = 1: G = [[4, 1], [1, 3]], det 11, W_a = (3 B_a − B_b)/11 = (8, 2, 2, 0)/11,
           * W_b = (4 B_b − B_a)/11 = (1, 3, 3, 0)/11. */
          assert_vec (W[0], (double[]) { 8 / 11., 2 / 11., 2 / 11., 0 }, 4, 1e-12, "W_a by hand");
          assert_vec (W[1], (double[]) { 1 / 11., 3 / 11., 3 / 11., 0 }, 4, 1e-12, "W_b by hand");
        }
      /* Scores x_u W: u1 = W_a, u3 = W_b, u2 = W_a + W_b, u5 = W_b (c has no column),
       * z = 0 (no source events). Batch of every user at once. */
      const guint32 users[N_TINY_USERS] = { U1, U2, U3, U4, U5, UZ };
      float out[N_TINY_USERS * N_TINY_ITEMS];
      g->klass->score (g->model, users, N_TINY_USERS, out);
      for (guint i = 0; i < N_TINY_ITEMS; i++)
        {
          const double want[N_TINY_USERS] = { W[0][i], W[0][i] + W[1][i], W[1][i], W[0][i], W[1][i], 0 };
          for (guint u = 0; u < N_TINY_USERS; u++)
            if (fabs (out[u * N_TINY_ITEMS + i] - want[u]) > 1e-5)
              g_error ("λ=%g: score[%u][%u] = %g, expected %g", l2s[k], u, i, out[u * N_TINY_ITEMS + i], want[u]);
        }
      /* Probabilities at τ = 1: softmax of the scores. */
      guint32 u = U2;
      float prob[N_TINY_ITEMS];
      scalr_generator_probabilities (g, &u, 1, prob);
      double z = 0;
      for (guint i = 0; i < N_TINY_ITEMS; i++)
        z += exp (W[0][i] + W[1][i]);
      g_assert_cmpfloat_with_epsilon (prob[TP], exp (W[0][TP] + W[1][TP]) / z, 1e-6);
      g_assert_cmpfloat_with_epsilon (prob[TS], 1 / z, 1e-6);
    }
  tiny_close (&t);
}

/* ---- errors --------------------------------------------------------------------------- */

static void
test_errors (void)
{
  g_assert_null (scalr_generator_lookup ("nosuch"));
  g_assert_null (scalr_generator_lookup ("Cooc"));
  g_assert_null (scalr_generator_lookup (NULL));
  g_assert_nonnull (scalr_generator_lookup ("cooc"));
  g_assert_nonnull (scalr_generator_lookup ("ridge"));
  g_assert_nonnull (scalr_generator_lookup ("popularity"));
  guint n;
  const ScalrGeneratorClass *const *list = scalr_generator_list (&n);
  g_assert_cmpuint (n, >=, 3);
  for (guint k = 0; k < n; k++)
    {
      g_assert_true (scalr_generator_lookup (list[k]->name) == list[k]);
      g_assert_nonnull (list[k]->fit);
      g_assert_nonnull (list[k]->score);
      g_assert_nonnull (list[k]->free_model);
      g_assert_true ((list[k]->item_draw == NULL) == (list[k]->item_prob == NULL));
    }

  /* No training events at all: every tested user is an overlap user made cold. */
  {
    Tiny t;
    ScalrSplitOptions o = { SCALR_SPLIT_RANDOM, 0.2, 0.0, 2, 1.0, 0, 1 };
    tiny_open_full (&t, "user,item,domain\nu1,a,S\nu1,p,T\nu1,q,T\nu2,a,S\nu2,p,T\nu2,q,T\n", &o);
    g_assert_cmpuint (scalr_split_get_train (t.split)->nnz, ==, 0);
    const char *models[] = { "cooc", "ridge", "popularity" };
    for (guint k = 0; k < G_N_ELEMENTS (models); k++)
      {
        g_autoptr (ScalrConfig) c = gen_config (models[k], "auto", NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (ScalrGenerator) g = scalr_generator_fit (t.split, c, NULL, NULL, &error);
        g_assert_null (g);
        test_assert_error_contains (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NO_DATA, models[k], "training events");
      }
    tiny_close (&t);
  }
  /* Training events, but none of a user with source events: cooc and ridge have nothing to
   * learn from; popularity does not need source events. */
  {
    Tiny t;
    ScalrSplitOptions o = { SCALR_SPLIT_RANDOM, 0.2, 0.0, 2, 1.0, 0, 1 };
    tiny_open_full (&t, "user,item,domain\nu1,a,S\nu1,p,T\nu1,q,T\nz,p,T\nz,q,T\nz,r,T\n", &o);
    g_assert_cmpuint (scalr_split_get_train (t.split)->nnz, ==, 2);
    const char *models[] = { "cooc", "ridge" };
    for (guint k = 0; k < G_N_ELEMENTS (models); k++)
      {
        g_autoptr (ScalrConfig) c = gen_config (models[k], "1", NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (ScalrGenerator) g = scalr_generator_fit (t.split, c, NULL, NULL, &error);
        g_assert_null (g);
        test_assert_error_contains (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NO_DATA, models[k],
                                    "no user has both source events and target training events");
      }
    g_autoptr (ScalrConfig) c = gen_config ("popularity", "1", NULL);
    g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
    g_assert_nonnull (g);
    tiny_close (&t);
  }
  /* Cancelled before fitting. */
  {
    Tiny t;
    tiny_open (&t);
    g_autoptr (GCancellable) cancel = g_cancellable_new ();
    g_cancellable_cancel (cancel);
    g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (ScalrGenerator) g = scalr_generator_fit (t.split, c, NULL, cancel, &error);
    g_assert_null (g);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    tiny_close (&t);
  }
}

static void
test_blas_limits (void)
{
  g_autoptr (GError) error = NULL;
  /* Sizes that overflow: an error, never an abort or a short allocation. */
  g_assert_null (scalr_blas_alloc0 ("test Gram", G_MAXSIZE, 2, sizeof (double), &error));
  test_assert_error_contains (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE, "test Gram", "overflow");
  g_clear_error (&error);
  g_assert_null (scalr_blas_alloc0 ("test Gram", (gsize) 1 << 32, (gsize) 1 << 32, sizeof (double), &error));
  test_assert_error_contains (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE, "test Gram");
  g_clear_error (&error);
  double *ok = scalr_blas_alloc0 ("small", 3, 4, sizeof (double), &error);
  g_assert_no_error (error);
  for (guint k = 0; k < 12; k++)
    g_assert_cmpfloat (ok[k], ==, 0.0);
  g_free (ok);
  g_free (scalr_blas_alloc0 ("empty", 0, 5, sizeof (double), &error));   /* 0 elements is fine */
  g_assert_no_error (error);

  gsize big = (gsize) INT_MAX + 1;
  g_assert_true (scalr_blas_check_dims ("gemm", &error, 3, (gsize) 10, (gsize) INT_MAX, (gsize) 1));
  g_assert_no_error (error);
  /* Dimensions are checked one by one (their product is the allocator's business). */
  g_assert_true (scalr_blas_check_dims ("gemm", &error, 3, (gsize) INT_MAX, (gsize) INT_MAX, (gsize) INT_MAX));
  g_assert_no_error (error);
  g_assert_false (scalr_blas_check_dims ("gemm", &error, 3, (gsize) 10, big, (gsize) 1));
  test_assert_error_contains (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE, "gemm", "2147483648", "2147483647");
  g_clear_error (&error);
  g_assert_false (scalr_blas_check_dims ("gemm", &error, 2, (gsize) 1, G_MAXSIZE));
  g_assert_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE);
  g_clear_error (&error);
  /* The wrappers check before touching any pointer. */
  g_assert_false (scalr_sgemm (FALSE, FALSE, big, 1, 1, 1.0f, NULL, 1, NULL, 1, 0.0f, NULL, 1, &error));
  g_assert_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (scalr_dgemm (FALSE, FALSE, 1, 1, 1, 1.0, NULL, big, NULL, 1, 0.0, NULL, 1, &error));
  g_assert_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (scalr_dposv (big, 1, NULL, NULL, &error));
  g_assert_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (scalr_sposv (2, big, NULL, NULL, &error));
  g_assert_error (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A 2×2 solve by hand: [[4, 1], [1, 3]] X = [[1, 2], [2, 1]] → X = [[1, 5], [7, 2]]/11. */
  double A[4] = { 4, 1, 1, 3 }, B[4] = { 1, 2, 2, 1 };
  g_assert_true (scalr_dposv (2, 2, A, B, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (B[0], 1 / 11., 1e-12);
  g_assert_cmpfloat_with_epsilon (B[1], 5 / 11., 1e-12);
  g_assert_cmpfloat_with_epsilon (B[2], 7 / 11., 1e-12);
  g_assert_cmpfloat_with_epsilon (B[3], 2 / 11., 1e-12);
  /* Not positive definite: an error naming the cause. */
  double N[4] = { 1, 2, 2, 1 }, b[2] = { 1, 1 };
  g_assert_false (scalr_dposv (2, 1, N, b, &error));
  test_assert_error_contains (error, SCALR_BLAS_ERROR, SCALR_BLAS_ERROR_NOT_POSDEF, "positive definite");
  g_clear_error (&error);
  /* sgemm: [1 2; 3 4] · [5; 6] = [17; 39]. */
  float a[4] = { 1, 2, 3, 4 }, x[2] = { 5, 6 }, y[2] = { -1, -1 };
  g_assert_true (scalr_sgemm (FALSE, FALSE, 2, 1, 2, 1.0f, a, 2, x, 1, 0.0f, y, 1, &error));
  g_assert_cmpfloat (y[0], ==, 17.0f);
  g_assert_cmpfloat (y[1], ==, 39.0f);
  g_assert_true (scalr_sgemm (TRUE, FALSE, 2, 1, 2, 1.0f, a, 2, x, 1, 0.0f, y, 1, &error));
  g_assert_cmpfloat (y[0], ==, 23.0f);   /* [1 3; 2 4] · [5; 6] */
  g_assert_cmpfloat (y[1], ==, 34.0f);
}

/* ---- alias tables and RNG ------------------------------------------------------------- */

static void
test_alias (void)
{
  const double w[4] = { 1, 2, 3, 0 };
  float prob[4];
  guint32 alias[4];
  g_assert_cmpfloat (scalr_alias_build (w, 4, prob, alias), ==, 6.0);
  ScalrRng rng;
  scalr_rng_init (&rng, 1, SCALR_STREAM_SAMPLER, 0);
  guint64 count[4] = { 0 };
  for (guint d = 0; d < N_DRAWS; d++)
    {
      guint32 k = scalr_alias_draw (prob, alias, 4, &rng);
      g_assert_cmpuint (k, <, 4);
      count[k]++;
    }
  g_assert_cmpuint (count[3], ==, 0);
  for (guint k = 0; k < 4; k++)
    assert_freq (count[k], w[k] / 6.0, "alias {1,2,3,0}");

  /* Skewed weights with several zeros. */
  const double w2[6] = { 0, 100, 0, 1, 0, 899 };
  float prob2[6];
  guint32 alias2[6];
  g_assert_cmpfloat (scalr_alias_build (w2, 6, prob2, alias2), ==, 1000.0);
  guint64 count2[6] = { 0 };
  for (guint d = 0; d < N_DRAWS; d++)
    count2[scalr_alias_draw (prob2, alias2, 6, &rng)]++;
  g_assert_cmpuint (count2[0] + count2[2] + count2[4], ==, 0);
  for (guint k = 0; k < 6; k++)
    assert_freq (count2[k], w2[k] / 1000.0, "alias skewed");

  /* All zero: uniform, total 0. One item: always it. */
  const double zero[3] = { 0, 0, 0 };
  float prob3[3];
  guint32 alias3[3];
  g_assert_cmpfloat (scalr_alias_build (zero, 3, prob3, alias3), ==, 0.0);
  guint64 count3[3] = { 0 };
  for (guint d = 0; d < N_DRAWS; d++)
    count3[scalr_alias_draw (prob3, alias3, 3, &rng)]++;
  for (guint k = 0; k < 3; k++)
    assert_freq (count3[k], 1 / 3., "alias uniform");
  const double one = 2.5;
  float prob1;
  guint32 alias1;
  g_assert_cmpfloat (scalr_alias_build (&one, 1, &prob1, &alias1), ==, 2.5);
  for (guint d = 0; d < 100; d++)
    g_assert_cmpuint (scalr_alias_draw (&prob1, &alias1, 1, &rng), ==, 0);
  g_assert_cmpfloat (scalr_alias_build (NULL, 0, NULL, NULL), ==, 0.0);
}

static void
test_rng (void)
{
  ScalrRng a, b, c, d;
  scalr_rng_init (&a, 42, SCALR_STREAM_SAMPLER, 7);
  scalr_rng_init (&b, 42, SCALR_STREAM_SAMPLER, 7);
  scalr_rng_init (&c, 42, SCALR_STREAM_SAMPLER, 8);
  scalr_rng_init (&d, 42, SCALR_STREAM_SPLIT, 7);
  guint same_c = 0, same_d = 0;
  for (guint k = 0; k < 1000; k++)
    {
      guint64 x = scalr_rng_next (&a);
      g_assert_cmpuint (x, ==, scalr_rng_next (&b));
      same_c += x == scalr_rng_next (&c);
      same_d += x == scalr_rng_next (&d);
    }
  g_assert_cmpuint (same_c, ==, 0);
  g_assert_cmpuint (same_d, ==, 0);
  /* Another seed, another stream; seed 0 and index 0 are fine. */
  ScalrRng e, f;
  scalr_rng_init (&e, 43, SCALR_STREAM_SAMPLER, 7);
  scalr_rng_init (&f, 0, 0, 0);
  scalr_rng_init (&a, 42, SCALR_STREAM_SAMPLER, 7);
  g_assert_cmpuint (scalr_rng_next (&e), !=, scalr_rng_next (&a));
  g_assert_cmpuint (f.s[0] | f.s[1] | f.s[2] | f.s[3], !=, 0);

  /* uniform in [0, 1), mean 1/2 (std of the mean of 1e5 draws: 0.29/316 ≈ 0.0009);
   * below (n) < n and every value is hit; below (1) is 0. */
  double sum = 0, lo = 1, hi = 0;
  guint64 hits[7] = { 0 };
  for (guint k = 0; k < 100000; k++)
    {
      double u = scalr_rng_uniform (&f);
      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      sum += u;
      lo = MIN (lo, u);
      hi = MAX (hi, u);
      guint32 r = scalr_rng_below (&f, 7);
      g_assert_cmpuint (r, <, 7);
      hits[r]++;
      g_assert_cmpuint (scalr_rng_below (&f, 1), ==, 0);
      g_assert_cmpuint (scalr_rng_below (&f, G_MAXUINT32), <, G_MAXUINT32);
      g_assert_true (isfinite (scalr_rng_gumbel (&f)));
    }
  g_assert_cmpfloat (fabs (sum / 100000 - 0.5), <, 0.005);
  g_assert_cmpfloat (lo, <, 0.001);
  g_assert_cmpfloat (hi, >, 0.999);
  for (guint k = 0; k < 7; k++)
    g_assert_cmpfloat (fabs (hits[k] / 100000.0 - 1 / 7.), <, 5 * sqrt ((1 / 7.) * (6 / 7.) / 100000));
}

/* ---- MovieLens: temperature and calibration ------------------------------------------ */

static void
check_fit_and_calibration (const char *model, const char *extra_key, const char *extra_value)
{
  g_autoptr (ScalrSplit) split = movielens_split ();
  g_autoptr (ScalrConfig) c = gen_config (model, "auto", extra_key, extra_value, NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (split, c);
  g_assert_true (g->fitted_temperature);
  g_assert_true (isfinite (g->temperature));
  g_assert_cmpfloat (g->temperature, >=, 0.02);
  g_assert_cmpfloat (g->temperature, <=, 50.0);
  g_assert_true (isfinite (g->valid_log_lik));
  g_assert_cmpfloat (g->valid_log_lik, <, 0.0);
  double at_fit = scalr_generator_valid_log_lik (g, split, g->temperature, 2000);
  g_assert_cmpfloat_with_epsilon (at_fit, g->valid_log_lik, 1e-9);
  const double taus[] = { 1.0, 0.5, 2.0, 0.1, 10.0, g->temperature * 1.05, g->temperature / 1.05 };
  for (guint k = 0; k < G_N_ELEMENTS (taus); k++)
    {
      double ll = scalr_generator_valid_log_lik (g, split, taus[k], 2000);
      g_assert_true (isfinite (ll));
      if (ll > g->valid_log_lik + 1e-9)
        g_error ("%s: log-likelihood %.6f at τ = %g beats the fitted τ = %g (%.6f)", model, ll, taus[k],
                 g->temperature, g->valid_log_lik);
    }
  g_test_message ("%s: τ = %.4f, mean validation log-likelihood %.4f (τ=1: %.4f)", model, g->temperature,
                  g->valid_log_lik, scalr_generator_valid_log_lik (g, split, 1.0, 2000));

  /* A fixed temperature is used as given, with its log-likelihood. */
  g_autoptr (ScalrConfig) c1 = gen_config (model, "0.5", extra_key, extra_value, NULL);
  g_autoptr (ScalrGenerator) g1 = gen_fit (split, c1);
  g_assert_false (g1->fitted_temperature);
  g_assert_cmpfloat (g1->temperature, ==, 0.5);
  g_assert_cmpfloat_with_epsilon (g1->valid_log_lik, scalr_generator_valid_log_lik (g, split, 0.5, 2000), 1e-9);

  /* Calibration: the bins count each validation user's top-N pairs, in bins of equal count. */
  const ScalrCsr *valid = scalr_split_get_valid (split);
  const guint8 *flags = scalr_split_get_user_flags (split);
  guint64 pairs = 0;
  guint n_valid_users = 0;
  for (guint u = 0; u < valid->n_rows; u++)
    if (scalr_csr_row_len (valid, u) > 0 && (flags[u] & SCALR_USER_HAS_SOURCE))
      {
        pairs += MIN (50, g->n_items - scalr_csr_row_len (scalr_split_get_train (split), u));
        n_valid_users++;
      }
  g_assert_cmpuint (n_valid_users, >, 50);
  g_assert_cmpuint (n_valid_users, <, 2000);   /* so every one of them is used */
  ScalrCalibrationBin bins[10];
  double ece = scalr_generator_calibration (g, split, 10, 50, bins, 100000);
  g_assert_true (isfinite (ece));
  g_assert_cmpfloat (ece, >=, 0.0);
  g_assert_cmpfloat (ece, <=, 1.0);
  guint64 total = 0;
  double ece_again = 0;
  for (guint b = 0; b < 10; b++)
    total += bins[b].count;
  g_assert_cmpuint (total, ==, pairs);
  for (guint b = 0; b < 10; b++)
    {
      /* Equal counts (±1), predictions ascending, the interval around the observed rate. */
      g_assert_cmpuint (bins[b].count, >=, pairs / 10);
      g_assert_cmpuint (bins[b].count, <=, pairs / 10 + 1);
      if (b > 0)
        g_assert_cmpfloat (bins[b].pred, >=, bins[b - 1].pred);
      g_assert_cmpfloat (bins[b].low, <=, bins[b].obs);
      g_assert_cmpfloat (bins[b].high, >=, bins[b].obs);
      ece_again += (double) bins[b].count / total * fabs (bins[b].obs - bins[b].pred);
    }
  g_assert_cmpfloat_with_epsilon (ece, ece_again, 1e-12);
  g_test_message ("%s: ECE %.4f over %" G_GUINT64_FORMAT " top-50 pairs", model, ece, total);

  /* Fewer users: fewer pairs. */
  ScalrCalibrationBin bins10[10];
  double ece10 = scalr_generator_calibration (g, split, 10, 50, bins10, 10);
  g_assert_true (isfinite (ece10));
  guint64 total10 = 0;
  for (guint b = 0; b < 10; b++)
    total10 += bins10[b].count;
  g_assert_cmpuint (total10, ==, 10 * 50);
}

static void
test_movielens_cooc (void)
{
  check_fit_and_calibration ("cooc", "smoothing", "1");
}

static void
test_movielens_ridge (void)
{
  check_fit_and_calibration ("ridge", "max_source_items", "300");
}

static void
test_movielens_popularity (void)
{
  check_fit_and_calibration ("popularity", NULL, NULL);
}

/* Calibration and the validation likelihood by hand. Target items p q r s t:
 *   v: source a; p@1 q@2 r@3 s@4 t@5 — tested (5 events): test t, validation s and r,
 *      training p q
 *   w: source a; p      y: source b; r      x: source b; t      (untested: all training)
 * Training popularity π = (p 2, q 1, r 1, s 0, t 1)/5. With the popularity generator at
 * τ = 1, v's non-training items r, s, t have P = (.2, 0, .2), renormalised over them
 * p' = (.5, 0, .5), and with n_v = 2 validation events q = 1 − (1 − p')² = (.75, 0, .75).
 * Observed: r and s are validation events, t (a test event) is not. Over the top 2 (r, t:
 * ties by index) in 2 bins of one pair each, sorted by (q, hit): t (.75, 0), r (.75, 1):
 * ECE = ½ · .75 + ½ · .25 = 1/2. Over the top 3 in 3 bins: s (0, 1), t, r:
 * ECE = (1 + .75 + .25)/3 = 2/3. */
static void
test_calibration_tiny (void)
{
  Tiny t;
  ScalrSplitOptions o = { SCALR_SPLIT_TEMPORAL, 0.2, 0.4, 5, 0.0, 0, 1 };
  tiny_open_full (&t,
                  "user,item,rating,timestamp,domain\n"
                  "v,a,1,1,S\nv,p,1,1,T\nv,q,1,2,T\nv,r,1,3,T\nv,s,1,4,T\nv,t,1,5,T\n"
                  "w,a,1,1,S\nw,p,1,1,T\ny,b,1,1,S\ny,r,1,1,T\nx,b,1,1,S\nx,t,1,1,T\n",
                  &o);
  g_assert_cmpuint (scalr_split_get_valid (t.split)->nnz, ==, 2);
  g_assert_cmpuint (scalr_split_get_train (t.split)->nnz, ==, 5);
  g_autoptr (ScalrConfig) c = gen_config ("popularity", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  ScalrCalibrationBin bins[3];
  g_assert_cmpfloat_with_epsilon (scalr_generator_calibration (g, t.split, 2, 2, bins, 100), 0.5, 1e-6);
  g_assert_cmpuint (bins[0].count, ==, 1);
  g_assert_cmpuint (bins[1].count, ==, 1);
  g_assert_cmpfloat_with_epsilon (bins[0].pred, 0.75, 1e-6);
  g_assert_cmpfloat (bins[0].obs, ==, 0.0);
  g_assert_cmpfloat (bins[1].obs, ==, 1.0);
  /* Wilson 95 % of 0/1 and 1/1:
   * /usr/bin/python3 -c "from scipy.stats import binomtest as b; print(b(0,1).proportion_ci(method='wilson'), b(1,1).proportion_ci(method='wilson'))" */
  g_assert_cmpfloat (bins[0].low, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (bins[0].high, 0.7934506856227626, 1e-12);
  g_assert_cmpfloat_with_epsilon (bins[1].low, 0.20654931437723745, 1e-12);
  g_assert_cmpfloat (bins[1].high, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (scalr_generator_calibration (g, t.split, 3, 3, bins, 100), 2.0 / 3.0, 1e-6);
  g_assert_cmpfloat (bins[0].pred, ==, 0.0);
  g_assert_cmpfloat (bins[0].obs, ==, 1.0);

  /* Mean log-likelihood of the validation events r (P = .2 at τ = 1) and s (P = 0,
   * floored at e^-50): (log .2 − 50)/2. At τ = 0.5: P(r) = .04/(.16 + 3 · .04) = 1/7. */
  g_assert_cmpfloat_with_epsilon (g->valid_log_lik, (log (0.2) - 50) / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (scalr_generator_valid_log_lik (g, t.split, 0.5, 100), (log (1 / 7.) - 50) / 2, 1e-6);
  /* P(r) = 1/(2^(1/τ) + 3) grows with τ: the fit runs to the upper bound, 50. */
  g_autoptr (ScalrConfig) ca = gen_config ("popularity", "auto", NULL);
  g_autoptr (ScalrGenerator) ga = gen_fit (t.split, ca);
  g_assert_true (ga->fitted_temperature);
  g_assert_cmpfloat (ga->temperature, >, 49.0);
  g_assert_cmpfloat (ga->temperature, <=, 50.0);
  g_assert_cmpfloat_with_epsilon (ga->valid_log_lik, (log (1 / (pow (2, 1 / ga->temperature) + 3)) - 50) / 2, 1e-6);
  tiny_close (&t);
}

/* No validation events (the tiny split): τ stays 1 with auto, calibration has nothing. */
static void
test_no_validation (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "auto", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  g_assert_cmpfloat (g->temperature, ==, 1.0);
  g_assert_true (isnan (g->valid_log_lik));
  g_assert_true (isnan (scalr_generator_valid_log_lik (g, t.split, 1.0, 100)));
  g_assert_false (g->fitted_temperature);
  g_assert_cmpint (g->temperature_status, ==, SCALR_TEMPERATURE_UNDEFINED);
  ScalrCalibrationBin bins[4];
  for (guint b = 0; b < 4; b++)
    bins[b].count = 9;
  g_assert_true (isnan (scalr_generator_calibration (g, t.split, 4, 50, bins, 100)));
  for (guint b = 0; b < 4; b++)
    {
      g_assert_cmpuint (bins[b].count, ==, 0);
      g_assert_true (isnan (bins[b].obs) && isnan (bins[b].low));
    }
  tiny_close (&t);
}

/* Wilson score intervals against SciPy:
 * /usr/bin/python3 -c "from scipy.stats import binomtest as b
 * for k, n in [(3, 10), (17, 50)]: print(b(k, n).proportion_ci(confidence_level=0.95, method='wilson'))" */
static void
test_wilson (void)
{
  const double z = 1.959963984540054;
  double lo, hi;
  scalr_wilson_interval (3, 10, z, &lo, &hi);
  g_assert_cmpfloat_with_epsilon (lo, 0.10779126740630102, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi, 0.6032218525388546, 1e-12);
  scalr_wilson_interval (17, 50, z, &lo, &hi);
  g_assert_cmpfloat_with_epsilon (lo, 0.22436949222500085, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi, 0.47846173949767395, 1e-12);
  scalr_wilson_interval (0, 0, z, &lo, &hi);
  g_assert_true (isnan (lo) && isnan (hi));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/generators/cooc/probabilities", test_cooc_probabilities);
  g_test_add_func ("/scalr/generators/cooc/topk", test_cooc_topk);
  g_test_add_func ("/scalr/generators/cooc/topk-outside-row", test_cooc_topk_outside_row);
  g_test_add_func ("/scalr/generators/cooc/draw", test_cooc_draw);
  g_test_add_func ("/scalr/generators/softmax", test_softmax);
  g_test_add_func ("/scalr/generators/wilson", test_wilson);
  g_test_add_func ("/scalr/generators/popularity", test_popularity);
  g_test_add_func ("/scalr/generators/ridge", test_ridge);
  g_test_add_func ("/scalr/generators/errors", test_errors);
  g_test_add_func ("/scalr/generators/blas-limits", test_blas_limits);
  g_test_add_func ("/scalr/generators/alias", test_alias);
  g_test_add_func ("/scalr/generators/rng", test_rng);
  g_test_add_func ("/scalr/generators/no-validation", test_no_validation);
  g_test_add_func ("/scalr/generators/calibration", test_calibration_tiny);
  g_test_add_func ("/scalr/generators/movielens/cooc", test_movielens_cooc);
  g_test_add_func ("/scalr/generators/movielens/ridge", test_movielens_ridge);
  g_test_add_func ("/scalr/generators/movielens/popularity", test_movielens_popularity);
  int rc = g_test_run ();
  movielens_free ();
  return rc;
}
