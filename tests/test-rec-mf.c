/* test-rec-mf.c — the matrix-factorisation models: iALS (exact reconstruction, monotone loss,
 * CG against Cholesky, weights, determinism across seeds and thread counts) and the embmap
 * generator (a planted two-taste split, the map's normal equations, fitting through
 * scalr_generator_fit), with their error paths. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>
#include <string.h>

#include "generators/scalr-gen-embmap-private.h"
#include "scalr-ials.h"
#include "recommenders/scalr-recommenders-mf-private.h"
#include "scalr-blas.h"
#include "scalr-config.h"
#include "scalr-csr.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-generator.h"
#include "scalr-idmap.h"
#include "scalr-import.h"
#include "scalr-progress.h"
#include "scalr-split.h"
#include "test-csr.h"
#include "test-util.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static double
weight_of (const ScalrCsr *m, guint64 e)
{
  return m->values ? m->values[e] : 1.0;
}

/* The iALS loss, computed here from its definition (dense, double). */
static double
ials_loss (const ScalrCsr *m, const float *U, const float *V, const ScalrIalsOptions *o)
{
  guint k = o->factors;
  double loss = 0.0;
  for (guint u = 0; u < m->n_rows; u++)
    {
      guint64 e = m->indptr[u];
      for (guint i = 0; i < m->n_cols; i++)
        {
          double pred = test_dot (U + (gsize) u * k, V + (gsize) i * k, k);
          if (e < m->indptr[u + 1] && m->indices[e] == i)
            {
              double c = 1.0 + o->alpha * weight_of (m, e);
              loss += c * (1.0 - pred) * (1.0 - pred);
              e++;
            }
          else
            loss += pred * pred;
        }
    }
  double reg = 0.0;
  for (gsize x = 0; x < (gsize) m->n_rows * k; x++)
    reg += (double) U[x] * U[x];
  for (gsize x = 0; x < (gsize) m->n_cols * k; x++)
    reg += (double) V[x] * V[x];
  return loss + o->reg * reg;
}

/* ---- iALS --------------------------------------------------------------------------------- */

/* With as many factors as items and λ → 0 the model can reproduce P exactly. */
static void
test_ials_exact (void)
{
  static const float d[] = {
    1, 1, 0, 0,
    0, 1, 1, 0,
    1, 0, 0, 1,
    0, 0, 1, 1,
    1, 1, 1, 0,
  };
  g_autoptr (ScalrCsr) m = test_csr_from_dense (5, 4, d);
  ScalrIalsOptions o = { 4, 1.0, 1e-4, 60, 4, 3, 1 };
  g_autofree float *U = NULL, *V = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (_scalr_ials_fit (m, &o, &U, &V, NULL, "test", 0, 1, NULL, &error));
  g_assert_no_error (error);
  for (guint u = 0; u < 5; u++)
    for (guint i = 0; i < 4; i++)
      {
        double x = test_dot (U + u * 4, V + i * 4, 4);
        if (d[u * 4 + i] != 0)
          g_assert_cmpfloat (x, >, 0.9);
        else
          g_assert_cmpfloat (fabs (x), <, 0.1);
      }
  /* One factor cannot reproduce it (the check above is not vacuous). */
  ScalrIalsOptions o1 = o;
  o1.factors = 1;
  g_autofree float *U1 = NULL, *V1 = NULL;
  g_assert_true (_scalr_ials_fit (m, &o1, &U1, &V1, NULL, "test", 0, 1, NULL, &error));
  double worst = 0.0;
  for (guint u = 0; u < 5; u++)
    for (guint i = 0; i < 4; i++)
      worst = MAX (worst, fabs (d[u * 4 + i] - test_dot (U1 + u, V1 + i, 1)));
  g_test_message ("one factor: worst reconstruction error %.3f", worst);
  g_assert_cmpfloat (worst, >, 0.1);
}

static void
test_ials_loss_monotone (void)
{
  g_autoptr (ScalrCsr) m = test_csr_random (40, 25, 0.15, 11);
  g_autoptr (ScalrCsr) mt = scalr_csr_transpose (m);
  ScalrIalsOptions o = { 6, 10.0, 0.1, 0, 3, 5, 2 };
  g_autofree float *U = NULL, *V = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (_scalr_ials_init (m, &o, &U, &V, &error));
  double prev = ials_loss (m, U, V, &o), first = prev;
  for (guint it = 0; it < 15; it++)
    {
      g_assert_true (_scalr_ials_epoch (m, mt, U, V, &o, NULL, &error));
      g_assert_no_error (error);
      double loss = ials_loss (m, U, V, &o);
      if (!(loss <= prev * (1.0 + 1e-6)))
        g_error ("iteration %u: loss rose from %.8g to %.8g", it, prev, loss);
      prev = loss;
    }
  /* Σ c over observed entries is the loss at factors ≈ 0; the model must do far better. */
  g_test_message ("loss %.4g -> %.4g", first, prev);
  g_assert_cmpfloat (prev, <, 0.5 * first);
}

/* One user half-update with many CG steps equals the direct Cholesky solve of
 * (VᵀV + Σ (c−1) v vᵀ + λI) x = Σ c v. */
static void
test_ials_cg_vs_cholesky (void)
{
  g_autoptr (ScalrCsr) m = test_csr_random (12, 10, 0.3, 5);
  ScalrIalsOptions o = { 5, 4.0, 0.5, 0, 60, 9, 1 };
  guint k = o.factors;
  g_autofree float *U = NULL, *V = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (_scalr_ials_init (m, &o, &U, &V, &error));
  /* Item factors of a realistic size (init is N(0, 0.01²)). */
  for (gsize x = 0; x < (gsize) m->n_cols * k; x++)
    V[x] *= 50.0f;
  g_autofree float *Ucg = g_memdup2 (U, (gsize) m->n_rows * k * sizeof (float));
  g_assert_true (_scalr_ials_half (m, V, Ucg, &o, NULL, &error));
  ScalrIalsOptions o1 = o;
  o1.cg_steps = 1;
  g_autofree float *U1 = g_memdup2 (U, (gsize) m->n_rows * k * sizeof (float));
  g_assert_true (_scalr_ials_half (m, V, U1, &o1, NULL, &error));

  double worst_cg = 0.0, worst_one = 0.0;
  for (guint u = 0; u < m->n_rows; u++)
    {
      double A[5 * 5] = { 0 }, b[5] = { 0 };
      for (guint i = 0; i < m->n_cols; i++)
        for (guint a = 0; a < k; a++)
          for (guint c = 0; c < k; c++)
            A[a * k + c] += (double) V[i * k + a] * V[i * k + c];
      for (guint a = 0; a < k; a++)
        A[a * k + a] += o.reg;
      for (guint64 e = m->indptr[u]; e < m->indptr[u + 1]; e++)
        {
          const float *v = V + (gsize) m->indices[e] * k;
          double c1 = o.alpha * weight_of (m, e);
          for (guint a = 0; a < k; a++)
            {
              b[a] += (1.0 + c1) * v[a];
              for (guint c = 0; c < k; c++)
                A[a * k + c] += c1 * v[a] * v[c];
            }
        }
      g_assert_true (scalr_dposv (k, 1, A, b, &error));
      g_assert_no_error (error);
      for (guint a = 0; a < k; a++)
        {
          worst_cg = MAX (worst_cg, fabs (Ucg[u * k + a] - b[a]));
          worst_one = MAX (worst_one, fabs (U1[u * k + a] - b[a]));
        }
    }
  g_test_message ("CG vs Cholesky: %.3g (60 steps), %.3g (1 step)", worst_cg, worst_one);
  g_assert_cmpfloat (worst_cg, <, 1e-4);
  /* One step from the random start is not the solution: the comparison discriminates. */
  g_assert_cmpfloat (worst_one, >, 1e-3);
}

/* Items 0 and 1 are symmetric except for user 0's weights: the heavier one scores higher. */
static void
ials_weight_scores (float w0, float w1, float *s0, float *s1)
{
  const float d[] = {
    w0, w1, 0, 0,
    1, 1, 0, 0,
    1, 1, 1, 0,
    0, 0, 1, 1,
    1, 0, 0, 1,
    0, 1, 0, 1,
  };
  g_autoptr (ScalrCsr) m = test_csr_from_dense (6, 4, d);
  g_autoptr (GError) error = NULL;
  gpointer model = scalr_ials_recommender.fit (m, NULL, 4, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  float out[2 * 4];
  const guint32 users[] = { 0, 3 };
  scalr_ials_recommender.score (model, m, users, 2, out);
  *s0 = out[0];
  *s1 = out[1];
  g_test_message ("weights %g, %g: scores %.4f, %.4f", w0, w1, out[0], out[1]);
  /* Scores are the dot products of the factors (batch row 1 is user 3). */
  g_assert_cmpfloat (out[4 + 2], >, out[4 + 0]);
  scalr_ials_recommender.free_model (model);
}

static void
test_ials_weight (void)
{
  float s0, s1;
  ials_weight_scores (1, 10, &s0, &s1);
  g_assert_cmpfloat (s1, >, s0);
  ials_weight_scores (10, 1, &s0, &s1);
  g_assert_cmpfloat (s0, >, s1);
}

static void
test_ials_determinism (void)
{
  /* Enough rows (64 per chunk) and work that the threads really interleave. */
  g_autoptr (ScalrCsr) m = test_csr_random (4000, 300, 0.03, 3);
  gsize nu = (gsize) m->n_rows * 16, ni = (gsize) m->n_cols * 16;
  float *U[4] = { NULL }, *V[4] = { NULL };
  const guint threads[4] = { 1, 2, 3, 1 };
  const guint64 seeds[4] = { 9, 9, 9, 10 };
  for (guint r = 0; r < 4; r++)
    {
      ScalrIalsOptions o = { 16, 10.0, 0.1, 3, 3, seeds[r], threads[r] };
      g_autoptr (GError) error = NULL;
      g_assert_true (_scalr_ials_fit (m, &o, &U[r], &V[r], NULL, "test", 0, 1, NULL, &error));
    }
  for (guint r = 1; r < 3; r++)
    {
      g_assert_cmpmem (U[0], nu * sizeof (float), U[r], nu * sizeof (float));
      g_assert_cmpmem (V[0], ni * sizeof (float), V[r], ni * sizeof (float));
    }
  g_assert_true (memcmp (U[0], U[3], nu * sizeof (float)) != 0);
  for (guint r = 0; r < 4; r++)
    {
      g_free (U[r]);
      g_free (V[r]);
    }
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
test_ials_errors (void)
{
  g_autoptr (ScalrCsr) m = test_csr_random (200, 30, 0.1, 1);
  g_autoptr (GError) error = NULL;

  /* Cancelled before the start. */
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  g_cancellable_cancel (cancelled);
  g_assert_null (scalr_ials_recommender.fit (m, NULL, 1, NULL, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled during the first iteration (from the progress callback), seen by the workers. */
  g_autoptr (GCancellable) later = g_cancellable_new ();
  g_autoptr (ScalrProgress) progress = scalr_progress_new (cancel_on_progress, later, NULL);
  ScalrIalsOptions o = { 8, 10.0, 0.1, 5, 3, 1, 2 };
  g_autofree float *U = NULL, *V = NULL;
  g_assert_false (_scalr_ials_fit (m, &o, &U, &V, progress, "test", 0, 1, later, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (U);
  g_assert_null (V);
  g_clear_error (&error);

  /* Absurd sizes fail before anything is allocated (the fake matrix has no arrays at all:
   * touching them would crash). */
  ScalrCsr huge = { 1000000000u, 1000, 0, NULL, NULL, NULL };
  o.factors = 1024;
  g_assert_false (_scalr_ials_fit (&huge, &o, &U, &V, NULL, "test", 0, 1, NULL, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                              "ials", "GiB");
  g_clear_error (&error);
  ScalrCsr wide = { 10, G_MAXUINT32, 0, NULL, NULL, NULL };
  g_assert_null (scalr_ials_recommender.fit (&wide, NULL, 1, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "ials");
  g_clear_error (&error);
  /* A factor count beyond BLAS's int; the largest sizes that pass every limit but memory. */
  g_assert_false (_scalr_mf_check_sizes ("x", 10, 10, G_MAXUINT32, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "BLAS limit");
  g_clear_error (&error);
  g_assert_false (_scalr_mf_check_sizes ("x", G_MAXINT / 2, G_MAXINT / 2, G_MAXINT, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "GiB");
  g_clear_error (&error);
  g_assert_false (_scalr_mf_check_sizes ("x", 10, 10, 0, &error));
  test_assert_error_contains (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "positive");
  g_clear_error (&error);
  g_assert_true (_scalr_mf_check_sizes ("x", 1000, 1000, 64, &error));
  g_assert_no_error (error);
}

/* ---- embmap ------------------------------------------------------------------------------- */

/* Two taste groups of 15 users: group A holds 3 of the source items a0…a4 and 4 of the
 * target items p0…p4, group B the same with b and q. Every user has both domains. */
static char *
planted_events (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (17);
  GString *s = g_string_new ("user,item,rating,timestamp,domain\n");
  for (guint g = 0; g < 2; g++)
    for (guint n = 0; n < 15; n++)
      {
        const char *src = g == 0 ? "a" : "b", *tgt = g == 0 ? "p" : "q";
        gboolean used[5] = { FALSE };
        for (guint c = 0; c < 3;)
          {
            guint i = (guint) g_rand_int_range (rand, 0, 5);
            if (!used[i])
              {
                used[i] = TRUE;
                c++;
                g_string_append_printf (s, "%c%02u,%s%u,5,%u,S\n", 'A' + g, n, src, i, c);
              }
          }
        memset (used, 0, sizeof used);
        for (guint c = 0; c < 4;)
          {
            guint i = (guint) g_rand_int_range (rand, 0, 5);
            if (!used[i])
              {
                used[i] = TRUE;
                c++;
                g_string_append_printf (s, "%c%02u,%s%u,4,%u,T\n", 'A' + g, n, tgt, i, 10 + c);
              }
          }
      }
  return g_string_free (s, FALSE);
}

typedef struct {
  ScalrDataset *dataset;
  ScalrDomains *domains;
  ScalrSplit   *split;
} Planted;

static void
planted_open (Planted *p, const ScalrSplitOptions *o)
{
  g_autofree char *events = planted_events ();
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *path = test_write_file (dir, "events.csv", events, -1);
  g_autoptr (ScalrImportOptions) io = scalr_import_options_new ();
  scalr_import_options_add_events (io, path, NULL);
  g_autoptr (GError) error = NULL;
  p->dataset = scalr_import_dataset (io, NULL, NULL, &error);
  g_assert_no_error (error);
  test_rm_rf (dir);
  p->domains = scalr_domains_new (p->dataset, "domain:S", "domain:T", NULL, &error);
  g_assert_no_error (error);
  p->split = scalr_split_new (p->domains, o, &error);
  g_assert_no_error (error);
}

static void
planted_close (Planted *p)
{
  g_clear_pointer (&p->split, scalr_split_free);
  g_clear_pointer (&p->domains, scalr_domains_unref);
  g_clear_pointer (&p->dataset, scalr_dataset_unref);
}

static ScalrConfig *
embmap_config (void)
{
  ScalrConfig *c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_config_set (c, "generator", "model", "embmap", &error));
  g_assert_true (scalr_config_set (c, "generator", "factors", "4", &error));
  g_assert_true (scalr_config_set (c, "generator", "als_iters", "15", &error));
  g_assert_no_error (error);
  return c;
}

static void
test_embmap_planted (void)
{
  /* Random split; 30% of the tested overlap users become cold (no target training). */
  ScalrSplitOptions so = { SCALR_SPLIT_RANDOM, 0.25, 0.25, 3, 0.3, 0, 7 };
  Planted p = { NULL };
  planted_open (&p, &so);
  g_assert_true (scalr_generator_lookup ("embmap") == &scalr_embmap_generator);
  g_autoptr (ScalrConfig) config = embmap_config ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrGenerator) gen = scalr_generator_fit (p.split, config, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gen->klass == &scalr_embmap_generator);
  const ScalrEmbmap *e = gen->model;
  g_assert_cmpuint (e->k, ==, 4);

  /* The fitting users are exactly those with source and target training events. */
  const ScalrCsr *S = scalr_split_get_source (p.split), *T = scalr_split_get_train (p.split);
  guint n_fit = 0;
  for (guint u = 0; u < S->n_rows; u++)
    if (scalr_csr_row_len (S, u) > 0 && scalr_csr_row_len (T, u) > 0)
      g_assert_cmpuint (e->fit_users[n_fit++], ==, u);
  g_assert_cmpuint (n_fit, ==, e->n_fit);
  g_assert_cmpuint (n_fit, <, S->n_rows);   /* some users are cold */

  /* Every user's top target item is of their own taste — the cold ones included, whose
   * scores come from the source side alone. */
  ScalrIdMap *users = scalr_dataset_get_users (p.dataset), *items = scalr_dataset_get_items (p.dataset);
  const ScalrDomain *target = scalr_domains_get_target (p.domains);
  const guint8 *flags = scalr_split_get_user_flags (p.split);
  guint n_items = scalr_split_get_n_target_items (p.split), cold = 0;
  g_autofree float *s = g_new (float, n_items);
  for (guint32 u = 0; u < S->n_rows; u++)
    {
      gen->klass->score (gen->model, &u, 1, s);
      guint best = 0;
      for (guint i = 1; i < n_items; i++)
        if (s[i] > s[best])
          best = i;
      const char *uname = scalr_id_map_get_name (users, u);
      const char *iname = scalr_id_map_get_name (items, target->items[best]);
      if ((uname[0] == 'A') != (iname[0] == 'p'))
        g_error ("user %s: top item %s is of the other taste", uname, iname);
      cold += (flags[u] & SCALR_USER_COLD) != 0;
    }
  g_assert_cmpuint (cold, >, 0);

  /* M solves the normal equations (UsᵀUs + λI) M = UsᵀUt over the fitting users. */
  guint k = e->k;
  double A[16] = { 0 }, B[16] = { 0 }, scale = 0.0, worst = 0.0;
  for (guint r = 0; r < e->n_fit; r++)
    {
      const float *xs = e->Us + (gsize) e->fit_users[r] * k, *xt = e->Ut + (gsize) e->fit_users[r] * k;
      for (guint a = 0; a < k; a++)
        for (guint b = 0; b < k; b++)
          {
            A[a * k + b] += (double) xs[a] * xs[b];
            B[a * k + b] += (double) xs[a] * xt[b];
          }
    }
  for (guint a = 0; a < k; a++)
    A[a * k + a] += e->l2;
  for (guint a = 0; a < k; a++)
    for (guint b = 0; b < k; b++)
      {
        double am = 0.0;
        for (guint c = 0; c < k; c++)
          am += A[a * k + c] * e->M[c * k + b];
        worst = MAX (worst, fabs (am - B[a * k + b]));
        scale = MAX (scale, fabs (B[a * k + b]));
      }
  g_test_message ("normal equations: residual %.3g, scale %.3g", worst, scale);
  g_assert_cmpfloat (scale, >, 0.1);
  g_assert_cmpfloat (worst, <, 1e-4 * scale);
  g_assert_cmpfloat (e->l2, ==, 1.0);

  /* Deterministic for the split seed. */
  g_autoptr (ScalrGenerator) again = scalr_generator_fit (p.split, config, NULL, NULL, &error);
  g_assert_no_error (error);
  const ScalrEmbmap *e2 = again->model;
  g_assert_cmpmem (e->M, k * k * sizeof (float), e2->M, k * k * sizeof (float));
  planted_close (&p);
}

static void
test_embmap_errors (void)
{
  ScalrSplitOptions so = { SCALR_SPLIT_RANDOM, 0.25, 0.0, 3, 0.3, 0, 7 };
  Planted p = { NULL };
  planted_open (&p, &so);
  g_autoptr (ScalrConfig) config = embmap_config ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  g_cancellable_cancel (cancelled);
  g_assert_null (scalr_generator_fit (p.split, config, NULL, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* Out-of-range parameters are refused by the config, naming the key. */
  g_assert_false (scalr_config_set (config, "generator", "factors", "100000", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "factors");
  g_clear_error (&error);
  planted_close (&p);

  /* Every overlap user cold: nothing to fit the map on. */
  ScalrSplitOptions all_cold = { SCALR_SPLIT_RANDOM, 0.25, 0.0, 3, 1.0, 0, 7 };
  planted_open (&p, &all_cold);
  g_assert_null (scalr_generator_fit (p.split, config, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_NO_DATA, "embmap");
  planted_close (&p);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/rec/mf/ials/exact", test_ials_exact);
  g_test_add_func ("/scalr/rec/mf/ials/loss-monotone", test_ials_loss_monotone);
  g_test_add_func ("/scalr/rec/mf/ials/cg-vs-cholesky", test_ials_cg_vs_cholesky);
  g_test_add_func ("/scalr/rec/mf/ials/weight", test_ials_weight);
  g_test_add_func ("/scalr/rec/mf/ials/determinism", test_ials_determinism);
  g_test_add_func ("/scalr/rec/mf/ials/errors", test_ials_errors);
  g_test_add_func ("/scalr/rec/mf/embmap/planted", test_embmap_planted);
  g_test_add_func ("/scalr/rec/mf/embmap/errors", test_embmap_errors);
  return g_test_run ();
}
