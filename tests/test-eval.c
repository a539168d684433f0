/* test-eval.c — ranking metrics, top-K selection, weighted matrices, Platt scaling, and
 * lifts recomputed from the stored per-user vectors. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-eval.h"
#include "scalr-import.h"
#include "scalr-pipeline.h"
#include "scalr-rng.h"
#include "scalr-stats.h"
#include "scalr-topk.h"
#include "scalr-store.h"
#include "test-util.h"

static void
test_rank_metrics (void)
{
  /* Ranked 5, 2, 9, 1; held out {1, 2, 7}. By hand:
   * K=1: no hit.  K=2: item 2 at rank 2 → recall 1/3, precision 1/2, MRR 1/2,
   *      NDCG = (1/log2 3) / (1 + 1/log2 3) = 0.386853.
   * K=4: items 2 and 1 at ranks 2 and 4 → recall 2/3, precision 1/2, MRR 1/2,
   *      NDCG = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/log2 4) = 0.498194. */
  const guint32 ranked[] = { 5, 2, 9, 1 };
  const guint32 test[] = { 1, 2, 7 };
  const guint ks[] = { 1, 2, 4 };
  double m[SCALR_N_RANK_METRICS][SCALR_MAX_KS];
  scalr_eval_rank_metrics (ranked, 4, test, 3, ks, 3, m);
  for (guint mt = 0; mt < SCALR_N_RANK_METRICS; mt++)
    g_assert_cmpfloat (m[mt][0], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_RECALL][1], 1.0 / 3, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_PRECISION][1], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_MRR][1], 0.5, 1e-6);
  g_assert_cmpfloat (m[SCALR_METRIC_HIT][1], ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_NDCG][1], 0.386853, 1e-5);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_RECALL][2], 2.0 / 3, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_PRECISION][2], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_NDCG][2], 0.498194, 1e-5);
  /* A perfect list: NDCG 1 at every K. */
  const guint32 perfect[] = { 1, 2, 7, 9 };
  scalr_eval_rank_metrics (perfect, 4, test, 3, ks, 3, m);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_NDCG][k], 1.0, 1e-6);
  g_assert_cmpfloat (m[SCALR_METRIC_MRR][0], ==, 1.0f);
  /* A short list (fewer than K items ranked) and no held-out items. */
  scalr_eval_rank_metrics (perfect, 1, test, 3, ks, 3, m);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_RECALL][2], 1.0 / 3, 1e-6);
  g_assert_cmpfloat_with_epsilon (m[SCALR_METRIC_PRECISION][2], 0.25, 1e-6);
  scalr_eval_rank_metrics (perfect, 4, NULL, 0, ks, 3, m);
  g_assert_cmpfloat (m[SCALR_METRIC_RECALL][2], ==, 0.0f);
  g_assert_cmpfloat (m[SCALR_METRIC_NDCG][2], ==, 0.0f);
}

static void
test_top_k (void)
{
  const float s[] = { 0.1f, NAN, 3.0f, 3.0f, -INFINITY, 2.0f, -1.0f };
  guint32 out[8];
  g_assert_cmpuint (scalr_eval_top_k (s, 7, 3, out), ==, 3);
  g_assert_cmpuint (out[0], ==, 2);   /* ties: the lower index first */
  g_assert_cmpuint (out[1], ==, 3);
  g_assert_cmpuint (out[2], ==, 5);
  g_assert_cmpuint (scalr_eval_top_k (s, 7, 8, out), ==, 5);   /* NaN and -inf never ranked */
  g_assert_cmpuint (out[3], ==, 0);
  g_assert_cmpuint (out[4], ==, 6);
  g_assert_cmpuint (scalr_eval_top_k (s, 7, 0, out), ==, 0);
  /* The full ordering helper: descending, ties by lower index. */
  const double keys[] = { 1.0, 3.0, 3.0, 0.0 };
  guint32 order[4];
  scalr_argsort_desc (keys, 4, order);
  g_assert_cmpuint (order[0], ==, 1);
  g_assert_cmpuint (order[1], ==, 2);
  g_assert_cmpuint (order[2], ==, 0);
  g_assert_cmpuint (order[3], ==, 3);
  /* Against a full sort on random scores. */
  ScalrRng rng;
  scalr_rng_init (&rng, 7, 1, 0);
  g_autofree float *r = g_new (float, 5000);
  for (guint i = 0; i < 5000; i++)
    r[i] = (float) scalr_rng_below (&rng, 1000);   /* many ties */
  guint32 top[50];
  scalr_eval_top_k (r, 5000, 50, top);
  for (guint a = 1; a < 50; a++)
    g_assert_true (r[top[a - 1]] > r[top[a]] || (r[top[a - 1]] == r[top[a]] && top[a - 1] < top[a]));
  guint better = 0;
  for (guint i = 0; i < 5000; i++)
    better += r[i] > r[top[49]] || (r[i] == r[top[49]] && i < top[49]);
  g_assert_cmpuint (better, ==, 49);
}

static void
test_platt (void)
{
  /* Labels drawn with P(y=1 | s) = σ(2s − 1): the fit recovers a ≈ 2, b ≈ −1. */
  const gsize n = 200000;
  g_autofree float *s = g_new (float, n);
  g_autofree guint8 *y = g_new (guint8, n);
  ScalrRng rng;
  scalr_rng_init (&rng, 3, 1, 0);
  for (gsize i = 0; i < n; i++)
    {
      s[i] = (float) (scalr_rng_uniform (&rng) * 4.0 - 2.0);
      double p = 1.0 / (1.0 + exp (-(2.0 * s[i] - 1.0)));
      y[i] = scalr_rng_uniform (&rng) < p;
    }
  double a, b;
  scalr_eval_platt_fit (s, y, n, &a, &b);
  g_assert_cmpfloat_with_epsilon (a, 2.0, 0.05);
  g_assert_cmpfloat_with_epsilon (b, -1.0, 0.05);
  /* Separable data stays finite. */
  const float s2[] = { -1, -0.5, 0.5, 1 };
  const guint8 y2[] = { 0, 0, 1, 1 };
  scalr_eval_platt_fit (s2, y2, 4, &a, &b);
  g_assert_true (isfinite (a) && isfinite (b) && a > 0);
}

typedef struct {
  char *dir, *db;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->dir = test_tmpdir_new ();
  f->db = g_build_filename (f->dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("movielens-small");
  scalr_import_options_add_events (o, ratings, NULL);
  o->items_path = g_strdup (movies);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_assert_true (scalr_store_add_dataset (s, d, "r", "m", "tsv", NULL, &error));
}

static void
teardown (Fixture *f, gconstpointer data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static void
test_weighted_matrix (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (ScalrDomains) domains = NULL;
  g_autoptr (ScalrSplit) split = NULL;
  g_assert_true (scalr_pipeline_rebuild_split (store, c, &domains, &split, &error));
  const ScalrCsr *T = scalr_split_get_train (split);
  /* Synthetic: user 0 gets its first training item (weight 0.5) and an item it lacks. */
  guint32 u = 0;
  while (scalr_csr_row_len (T, u) == 0)
    u++;
  guint32 have = T->indices[T->indptr[u]], lack = 0;
  /* The smallest item not in the user's training row. */
  for (guint64 k = T->indptr[u]; k < T->indptr[u + 1] && T->indices[k] == lack; k++)
    lack++;
  g_autoptr (ScalrSyntheticEvents) ev = scalr_synthetic_events_new (2);
  ev->user[0] = ev->user[1] = u;
  ev->item[0] = MIN (have, lack);
  ev->item[1] = MAX (have, lack);
  ev->weight[0] = ev->item[0] == have ? 0.5f : 0.25f;
  ev->weight[1] = ev->item[1] == have ? 0.5f : 0.25f;
  ev->count[0] = ev->count[1] = 1;
  g_autoptr (ScalrCsr) base = scalr_eval_weighted_matrix (split, ev, SCALR_VARIANT_BASELINE);
  g_autoptr (ScalrCsr) aug = scalr_eval_weighted_matrix (split, ev, SCALR_VARIANT_AUGMENTED);
  g_autoptr (ScalrCsr) syn = scalr_eval_weighted_matrix (split, ev, SCALR_VARIANT_SYNTHETIC_ONLY);
  g_assert_cmpuint (base->nnz, ==, T->nnz);
  g_assert_cmpuint (aug->nnz, ==, T->nnz + 1);
  g_assert_cmpuint (syn->nnz, ==, 2);
  g_assert_true (scalr_csr_is_valid (aug) && scalr_csr_is_valid (syn));
  for (guint64 k = aug->indptr[u]; k < aug->indptr[u + 1]; k++)
    {
      if (aug->indices[k] == have)
        g_assert_cmpfloat (aug->values[k], ==, 1.5f);   /* real 1 + synthetic 0.5 */
      else if (aug->indices[k] == lack)
        g_assert_cmpfloat (aug->values[k], ==, 0.25f);
      else
        g_assert_cmpfloat (aug->values[k], ==, 1.0f);
    }
  g_clear_pointer (&split, scalr_split_free);
}

typedef struct {
  const char *model, *variant, *metric;
  guint k;
  GArray *users, *values;
} Want;

static void
grab (const char *model, const char *variant, const char *metric, guint k, const guint32 *users,
      const double *values, guint n, gpointer data)
{
  Want *w = data;
  if (g_strcmp0 (model, w->model) || g_strcmp0 (variant, w->variant) || g_strcmp0 (metric, w->metric) || k != w->k)
    return;
  g_array_append_vals (w->users, users, n);
  g_array_append_vals (w->values, values, n);
}

static GArray *
user_vector (ScalrStore *store, gint64 run, const char *model, const char *variant, const char *metric, guint k, GArray **users)
{
  Want w = { model, variant, metric, k, g_array_new (FALSE, FALSE, 4), g_array_new (FALSE, FALSE, 8) };
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_store_foreach_user_metrics (store, run, grab, &w, &error));
  *users = w.users;
  return w.values;
}

/* Every stored aggregate and lift is recomputable from the stored per-user vectors. */
static void
test_recompute_from_user_vectors (Fixture *f, gconstpointer data)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_config_set (c, "downstream", "models", "pop,itemknn", &error));
  g_assert_true (scalr_config_set (c, "eval", "bootstrap", "200", &error));
  g_assert_true (scalr_config_set (c, "sampler", "samples_per_event", "2", &error));
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (f->db, c, "eval");
  gint64 run = 0;
  g_assert_true (scalr_pipeline_run (p, NULL, NULL, &run, &error));
  g_assert_no_error (error);
  g_autoptr (ScalrStore) store = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrDomains) domains = NULL;
  g_autoptr (ScalrSplit) split = NULL;
  g_assert_true (scalr_pipeline_rebuild_split (store, c, &domains, &split, &error));
  const guint8 *flags = scalr_split_get_user_flags (split);
  g_autoptr (GArray) metrics = scalr_store_get_metrics (store, run, &error);
  g_autoptr (GArray) lifts = scalr_store_get_lifts (store, run, &error);

  g_autoptr (GArray) ub = NULL, ua = NULL;
  g_autoptr (GArray) base = user_vector (store, run, "itemknn", "baseline", "recall", 20, &ub);
  g_autoptr (GArray) aug = user_vector (store, run, "itemknn", "augmented", "recall", 20, &ua);
  g_assert_cmpuint (base->len, >, 100);
  g_assert_cmpmem (ub->data, ub->len * 4, ua->data, ua->len * 4);
  /* Sparse segment: the users flagged sparse. */
  g_autofree double *x = g_new (double, base->len), *y = g_new (double, base->len);
  guint n = 0;
  for (guint k = 0; k < base->len; k++)
    {
      guint32 u = g_array_index (ub, guint32, k);
      g_assert_true (flags[u] & SCALR_USER_TESTED);
      if (flags[u] & SCALR_USER_SPARSE)
        {
          x[n] = g_array_index (base, double, k);
          y[n] = g_array_index (aug, double, k);
          n++;
        }
    }
  double mx = 0, my = 0;
  for (guint k = 0; k < n; k++)
    mx += x[k], my += y[k];
  mx /= n, my /= n;
  gboolean found_metric = FALSE, found_lift = FALSE;
  for (guint k = 0; k < metrics->len; k++)
    {
      const ScalrMetricRow *m = &g_array_index (metrics, ScalrMetricRow, k);
      if (!g_strcmp0 (m->model, "itemknn") && !g_strcmp0 (m->variant, "baseline") && !g_strcmp0 (m->segment, "sparse")
          && !g_strcmp0 (m->metric, "recall") && m->k == 20)
        {
          g_assert_cmpfloat_with_epsilon (m->value, mx, 1e-12);
          g_assert_cmpuint (m->n_users, ==, n);
          found_metric = TRUE;
        }
    }
  for (guint k = 0; k < lifts->len; k++)
    {
      const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, k);
      if (!g_strcmp0 (l->model, "itemknn") && !g_strcmp0 (l->segment, "sparse") && !g_strcmp0 (l->metric, "recall")
          && l->k == 20 && !g_strcmp0 (l->reference, "own"))
        {
          ScalrStatsTest t, w;
          scalr_stats_paired_t (x, y, n, &t);
          scalr_stats_wilcoxon (x, y, n, &w);
          g_assert_cmpfloat_with_epsilon (l->lift, my / mx - 1.0, 1e-12);
          g_assert_cmpfloat (l->p_t, ==, t.p);
          g_assert_cmpfloat (l->p_wilcoxon, ==, w.p);
          g_assert_cmpfloat (l->level, ==, 0.95);
          g_assert_cmpfloat (l->p_holm, >=, l->p_wilcoxon);
          g_assert_cmpfloat (l->ci_low, <=, l->lift);
          g_assert_cmpfloat (l->ci_high, >=, l->lift);
          found_lift = TRUE;
        }
      /* The strongest baseline of a segment is the best real-only model there. */
      if (!g_strcmp0 (l->reference, "strongest") && !g_strcmp0 (l->metric, "recall") && l->k == 20)
        {
          double best = -1;
          const char *best_model = NULL;
          for (guint q = 0; q < metrics->len; q++)
            {
              const ScalrMetricRow *m = &g_array_index (metrics, ScalrMetricRow, q);
              if (!g_strcmp0 (m->variant, "baseline") && !g_strcmp0 (m->segment, l->segment)
                  && !g_strcmp0 (m->metric, "recall") && m->k == 20 && m->value > best)
                best = m->value, best_model = m->model;
            }
          g_assert_cmpstr (l->baseline_model, ==, best_model);
          g_assert_cmpfloat (l->base_mean, ==, best);
        }
    }
  g_assert_true (found_metric && found_lift);
  /* Top-K lists never hold a user's training positives. */
  g_clear_pointer (&split, scalr_split_free);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/eval/rank-metrics", test_rank_metrics);
  g_test_add_func ("/scalr/eval/top-k", test_top_k);
  g_test_add_func ("/scalr/eval/platt", test_platt);
  g_test_add ("/scalr/eval/weighted-matrix", Fixture, NULL, setup, test_weighted_matrix, teardown);
  g_test_add ("/scalr/eval/recompute", Fixture, NULL, setup, test_recompute_from_user_vectors, teardown);
  return g_test_run ();
}
