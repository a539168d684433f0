/* test-search.c — honest selection: nothing that fits or selects reads a test user's
 * held-out events (changing them leaves every fit, validation score, selection and
 * synthetic event bit-identical); `scalr tune`'s spec, trials and stored run; replicates;
 * sweep grids. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "scalr-eval.h"
#include "scalr-import.h"
#include "scalr-pipeline.h"
#include "scalr-rng.h"
#include "scalr-sampler.h"
#include "scalr-search.h"
#include "scalr-split-private.h"
#include "scalr-store.h"
#include "test-tiny.h"

/* A copy of @split's test matrix with every test event moved to another item the user has
 * no event on (seeded), so that every test user's held-out items change. */
static ScalrCsr *
scrambled_test (ScalrSplit *split, guint64 seed)
{
  const ScalrCsr *tr = scalr_split_get_train (split), *va = scalr_split_get_valid (split), *te = scalr_split_get_test (split);
  guint n_items = te->n_cols;
  ScalrCsr *m = scalr_csr_new (te->n_rows, n_items, te->nnz, te->values != NULL);
  g_autofree guint8 *mark = g_new0 (guint8, n_items);
  guint64 w = 0;
  for (guint u = 0; u < te->n_rows; u++)
    {
      const ScalrCsr *parts[3] = { tr, va, te };
      for (guint p = 0; p < 3; p++)
        for (guint64 k = parts[p]->indptr[u]; k < parts[p]->indptr[u + 1]; k++)
          mark[parts[p]->indices[k]] = 1;
      ScalrRng rng;
      scalr_rng_init (&rng, seed, 99, u);
      guint64 n = scalr_csr_row_len (te, u);
      for (guint64 k = 0; k < n; k++)
        {
          guint32 i;
          do
            i = scalr_rng_below (&rng, n_items);
          while (mark[i]);
          mark[i] = 2;
        }
      for (guint i = 0; i < n_items; i++)   /* sorted row */
        if (mark[i] == 2)
          {
            m->indices[w] = i;
            if (m->values)
              m->values[w] = 1.0f;
            w++;
          }
      m->indptr[u + 1] = w;
      for (guint p = 0; p < 3; p++)
        for (guint64 k = parts[p]->indptr[u]; k < parts[p]->indptr[u + 1]; k++)
          mark[parts[p]->indices[k]] = 0;
      for (guint i = 0; i < n_items; i++)
        mark[i] = 0;
    }
  g_assert_cmpuint (w, ==, te->nnz);
  return m;
}

static void
assert_same_events (const ScalrSyntheticEvents *a, const ScalrSyntheticEvents *b)
{
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpuint (a->draws, ==, b->draws);
  g_assert_cmpmem (a->user, a->n * 4, b->user, b->n * 4);
  g_assert_cmpmem (a->item, a->n * 4, b->item, b->n * 4);
  g_assert_cmpmem (a->prob, a->n * 4, b->prob, b->n * 4);
  g_assert_cmpmem (a->weight, a->n * 4, b->weight, b->n * 4);
}

static char *
write_spec (const char *dir, const char *text)
{
  return test_write_file (dir, "tune.ini", text, -1);
}

static const char *honest_spec =
  "[generator]\nmodel=ridge\n"
  "[sampler]\nstrategy=per_user\n"
  "[downstream]\nmodels=pop,itemknn\n"
  "[eval]\nbootstrap=0\n"
  "[tune]\ntrials=3\nobjective=recall@20\nsegment=sparse\n"
  "generator.l2 = 10..5000 log\n"
  "sampler.weight = 0.1..1 log\n"
  "downstream.itemknn.neighbors = 10,50,100\n";

/* The split, then one pass of everything that fits or selects, on the split as it is and
 * with every test user's held-out events changed: bit-identical. */
static void
test_honesty (void)
{
  ScalrSplitOptions so = SCALR_SPLIT_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrSplit) a = scalr_split_new (movielens (), &so, &error);
  g_autoptr (ScalrSplit) b = scalr_split_new (movielens (), &so, &error);
  g_assert_no_error (error);
  _scalr_split_replace_test (b, scrambled_test (b, 7));
  g_assert_cmpint (memcmp (scalr_split_get_test (a)->indices, scalr_split_get_test (b)->indices,
                           scalr_split_get_test (a)->nnz * 4), !=, 0);

  const char *models[] = { "cooc", "ridge", "embmap", "popularity" };
  for (guint g = 0; g < G_N_ELEMENTS (models); g++)
    {
      g_autoptr (ScalrConfig) c = gen_config (models[g], "auto", NULL);
      g_assert_true (scalr_config_set (c, "sampler", "strategy", "per_user", NULL));
      g_autoptr (ScalrGenerator) ga = gen_fit (a, c);
      g_autoptr (ScalrGenerator) gb = gen_fit (b, c);
      /* The fitted generator: τ, its likelihood and every probability. */
      g_assert_cmpmem (&ga->temperature, sizeof (double), &gb->temperature, sizeof (double));
      g_assert_cmpmem (&ga->valid_log_lik, sizeof (double), &gb->valid_log_lik, sizeof (double));
      guint n_items = ga->n_items, n_users = scalr_split_get_n_users (a);
      g_autofree float *pa = g_new (float, (gsize) 64 * n_items), *pb = g_new (float, (gsize) 64 * n_items);
      for (guint u0 = 0; u0 < n_users; u0 += 64)
        {
          guint32 users[64];
          guint n = MIN (64, n_users - u0);
          for (guint k = 0; k < n; k++)
            users[k] = u0 + k;
          scalr_generator_probabilities (ga, users, n, pa);
          scalr_generator_probabilities (gb, users, n, pb);
          g_assert_cmpmem (pa, (gsize) n * n_items * 4, pb, (gsize) n * n_items * 4);
        }
      /* Calibration, the sampler's τ and the synthetic events. */
      ScalrCalibrationBin ca[SCALR_CALIBRATION_BINS], cb[SCALR_CALIBRATION_BINS];
      double ea = scalr_generator_calibration (ga, a, SCALR_CALIBRATION_BINS, 50, ca, 1000);
      double eb = scalr_generator_calibration (gb, b, SCALR_CALIBRATION_BINS, 50, cb, 1000);
      g_assert_cmpmem (&ea, sizeof ea, &eb, sizeof eb);
      g_assert_cmpmem (ca, sizeof ca, cb, sizeof cb);
      ScalrSamplerOptions o;
      g_assert_true (scalr_sampler_options_from_config (c, &o, &error));
      ScalrSamplerAuto aa, ab;
      g_assert_true (scalr_sampler_choose_temperature (ga, a, &o, &aa, NULL, &error));
      g_assert_true (scalr_sampler_choose_temperature (gb, b, &o, &ab, NULL, &error));
      g_assert_cmpint (aa.status, ==, SCALR_AUTO_CHOSEN);
      g_assert_cmpmem (&aa, sizeof aa, &ab, sizeof ab);
      o.temperature = aa.temperature;
      g_autoptr (ScalrSyntheticEvents) xa = scalr_sampler_run (ga, a, &o, NULL, NULL, NULL, &error);
      g_autoptr (ScalrSyntheticEvents) xb = scalr_sampler_run (gb, b, &o, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_same_events (xa, xb);
    }

  /* The search: every trial's validation scores, the selection. */
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *path = write_spec (dir, honest_spec);
  g_autoptr (ScalrTuneSpec) spec = scalr_tune_spec_new_from_file (path, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrTuneTrials) ta = scalr_tune_trials_run (spec, a, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrTuneTrials) tb = scalr_tune_trials_run (spec, b, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_tune_trials_get_n (ta), ==, 3);
  g_assert_cmpuint (scalr_tune_trials_get_n (tb), ==, 3);
  const char *rec[] = { "pop", "itemknn" };
  for (guint m = 0; m < 2; m++)
    for (ScalrVariant v = SCALR_VARIANT_BASELINE; v <= SCALR_VARIANT_AUGMENTED; v++)
      {
        for (guint t = 0; t < 3; t++)
          {
            double x = scalr_tune_trials_get_score (ta, t, rec[m], v), y = scalr_tune_trials_get_score (tb, t, rec[m], v);
            g_assert_true (isfinite (x));
            g_assert_cmpmem (&x, sizeof x, &y, sizeof y);
          }
        g_assert_cmpint (scalr_tune_trials_get_selected (ta, rec[m], v), ==, scalr_tune_trials_get_selected (tb, rec[m], v));
      }
  /* The trials' synthetic events too. */
  for (guint t = 0; t < 3; t++)
    {
      g_autoptr (ScalrSyntheticEvents) xa = scalr_tune_trials_dup_events (ta, t, NULL, &error);
      g_autoptr (ScalrSyntheticEvents) xb = scalr_tune_trials_dup_events (tb, t, NULL, &error);
      g_assert_no_error (error);
      assert_same_events (xa, xb);
    }

  /* Not vacuous: what is measured on test users does move. */
  g_autoptr (ScalrConfig) c = scalr_config_copy (scalr_tune_spec_get_config (spec));
  g_assert_true (scalr_config_set (c, "downstream", "models", "pop", NULL));
  g_autoptr (ScalrEvalResult) ra = scalr_eval_run (a, NULL, c, NULL, NULL, &error);
  g_autoptr (ScalrEvalResult) rb = scalr_eval_run (b, NULL, c, NULL, NULL, &error);
  g_assert_no_error (error);
  const ScalrModelEval *ma = g_ptr_array_index (ra->models, 0), *mb = g_ptr_array_index (rb->models, 0);
  g_assert_cmpfloat (scalr_eval_aggregate (ra, ma, SCALR_METRIC_RECALL, 1, SCALR_SEGMENT_ALL), !=,
                     scalr_eval_aggregate (rb, mb, SCALR_METRIC_RECALL, 1, SCALR_SEGMENT_ALL));
  /* … while the validation users' scores and the Platt scaling do not. */
  g_assert_cmpmem (ma->valid_values[SCALR_METRIC_RECALL][1], ra->n_valid_users * 4,
                   mb->valid_values[SCALR_METRIC_RECALL][1], rb->n_valid_users * 4);
  g_assert_cmpmem (ma->platt_a, sizeof ma->platt_a, mb->platt_a, sizeof mb->platt_a);
  test_rm_rf (dir);
}

/* Platt scaling per segment: fitted on that segment's validation users; with the older
 * protocol (no sparse validation events) the sparse users' NE is undefined, not fitted on
 * warm users or on test events. */
static void
test_platt_segments (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_assert_true (scalr_config_set (c, "downstream", "models", "pop", NULL));
  g_assert_true (scalr_config_set (c, "eval", "bootstrap", "0", NULL));
  ScalrSplitOptions so = SCALR_SPLIT_OPTIONS_INIT;
  g_autoptr (ScalrSplit) s = scalr_split_new (movielens (), &so, &error);
  g_autoptr (ScalrEvalResult) r = scalr_eval_run (s, NULL, c, NULL, NULL, &error);
  g_assert_no_error (error);
  const ScalrModelEval *me = g_ptr_array_index (r->models, 0);
  for (ScalrSegment g = 0; g < SCALR_N_SEGMENTS; g++)
    {
      g_assert_true (isfinite (me->platt_a[g]));
      g_assert_true (isfinite (me->ne[g]));
    }
  g_assert_cmpfloat (me->platt_a[SCALR_SEGMENT_SPARSE], !=, me->platt_a[SCALR_SEGMENT_WARM]);
  /* Test and validation users are disjoint, sparse ones among both. */
  guint n_sparse_valid = 0;
  for (guint k = 0; k < r->n_valid_users; k++)
    {
      n_sparse_valid += r->valid_segment_of[k] == SCALR_SEGMENT_SPARSE;
      for (guint j = 0; j < r->n_users; j++)
        g_assert_cmpuint (r->users[j], !=, r->valid_users[k]);
    }
  g_assert_cmpuint (n_sparse_valid, >, 20);

  ScalrSplitOptions legacy = { SCALR_SPLIT_RANDOM, 0.2, 0.1, 5, 0.3, 0, 42, 0.0 };
  g_autoptr (ScalrSplit) l = scalr_split_new (movielens (), &legacy, &error);
  g_autoptr (ScalrEvalResult) rl = scalr_eval_run (l, NULL, c, NULL, NULL, &error);
  g_assert_no_error (error);
  me = g_ptr_array_index (rl->models, 0);
  g_assert_true (isnan (me->platt_a[SCALR_SEGMENT_SPARSE]));
  g_assert_true (isnan (me->ne[SCALR_SEGMENT_SPARSE]));
  g_assert_true (isnan (me->ne[SCALR_SEGMENT_ALL]));
  g_assert_true (isfinite (me->ne[SCALR_SEGMENT_WARM]));
  for (guint k = 0; k < rl->n_users; k++)
    g_assert_true (rl->segment_of[k] == SCALR_SEGMENT_SPARSE ? isnan (me->values[SCALR_METRIC_NE][0][k])
                                                             : TRUE);
}

/* [tune] lines: what is accepted, and each error with file and line. */
static void
test_spec (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autoptr (GError) error = NULL;
  /* Defaults: recall@20, sparse, 24 trials, the tables' space for the base config. */
  g_autoptr (ScalrTuneSpec) def = scalr_tune_spec_new_from_file (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (def);
  const struct { const char *text; const char *want; } bad[] = {
    { "[tune]\nnope = 1\n", "tune.ini:2: [tune] unknown key 'nope'" },
    { "[tune]\n\nsplit.seed = 1,2\n", "tune.ini:3: [tune] unknown key 'split.seed'" },
    { "[tune]\ndownstream.models = pop,ease\n", "unknown key 'downstream.models'" },
    { "[tune]\ngenerator.l2 = 10..1\n", "expected lo < hi" },
    { "[tune]\ngenerator.l2 = 0..10 log\n", "lo > 0 for a log scale" },
    { "[tune]\ngenerator.l2 = 10..x\n", "expected 'lo..hi'" },
    { "[tune]\nsampler.strategy = 1..3\n", "and a numeric key" },
    { "[tune]\nsampler.strategy = per_user,nope\n", "sampler.strategy = 'per_user,nope'" },
    { "[tune]\nobjective = ne@20\n", "expected METRIC@K with a ranking metric" },
    { "[tune]\nsegment = cold\n", "expected sparse, warm or all" },
    { "[tune]\ntrials = 0\n", "trials = '0'" },
    { "[tune]\ngenerator.l2 = 10..20\ngenerator.l2 = 1,2\n", "tune.ini:3: [tune] generator.l2 is given twice" },
    { "[tune]\njunk\n", "tune.ini:2: [tune] 'junk': expected key = value" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autofree char *path = write_spec (dir, bad[k].text);
      g_autoptr (GError) e = NULL;
      g_autoptr (ScalrTuneSpec) s = scalr_tune_spec_new_from_file (path, NULL, &e);
      g_assert_null (s);
      test_assert_error_contains (e, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, bad[k].want);
    }
  /* A bad key outside [tune] is the config's error, at its own line. */
  g_autofree char *path = write_spec (dir, "[tune]\ntrials = 2\n[sampler]\nnope = 1\n");
  g_assert_null (scalr_tune_spec_new_from_file (path, NULL, &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_UNKNOWN_KEY, "tune.ini:4:");
  g_clear_error (&error);

  /* K of the objective must be an evaluated cut-off; tuning needs validation users. */
  ScalrSplitOptions so = SCALR_SPLIT_OPTIONS_INIT;
  g_autoptr (ScalrSplit) split = scalr_split_new (movielens (), &so, &error);
  g_free (path);
  path = write_spec (dir, "[tune]\nobjective = ndcg@15\n");
  g_autoptr (ScalrTuneSpec) k15 = scalr_tune_spec_new_from_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (scalr_tune_trials_run (k15, split, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "K = 15 is not one of [eval] k");
  g_clear_error (&error);
  ScalrSplitOptions none = { SCALR_SPLIT_RANDOM, 0.2, 0.0, 5, 0.3, 0, 42, 0.0 };
  g_autoptr (ScalrSplit) nosplit = scalr_split_new (movielens (), &none, &error);
  g_assert_null (scalr_tune_trials_run (def, nosplit, NULL, NULL, &error));
  test_assert_error_contains (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_NO_VALIDATION, "valid_users > 0");
  g_clear_error (&error);
  test_rm_rf (dir);
}

/* Replicate configs derive four seeds; the summary of hand-made lifts. */
static void
test_replicates (void)
{
  g_autoptr (ScalrConfig) base = scalr_config_new ();
  g_autoptr (ScalrConfig) r0 = scalr_replicate_config (base, 0);
  g_autoptr (ScalrConfig) r1 = scalr_replicate_config (base, 1);
  g_autoptr (ScalrConfig) r1b = scalr_replicate_config (base, 1);
  g_autofree char *t0 = scalr_config_to_data (base), *t0b = scalr_config_to_data (r0);
  g_assert_cmpstr (t0, ==, t0b);
  g_autofree char *t1 = scalr_config_to_data (r1), *t1b = scalr_config_to_data (r1b);
  g_assert_cmpstr (t1, ==, t1b);
  const char *seeds[][2] = { { "split", "seed" }, { "sampler", "seed" }, { "downstream", "seed" }, { "eval", "seed" } };
  for (guint k = 0; k < G_N_ELEMENTS (seeds); k++)
    g_assert_cmpint (scalr_config_get_int (r1, seeds[k][0], seeds[k][1]), !=, 42);
  g_assert_cmpstr (scalr_config_get (r1, "generator", "model"), ==, "cooc");

  /* Three replicates of one row: lifts .1, .3, NaN (undefined) with CIs [.05, .2],
   * [-.1, .5]: mean .2, sd √((.1² + .1²)/1) = .141421…, one CI above 0. */
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_eval_result_free);
  const double lift[3] = { 0.1, 0.3, NAN }, lo[3] = { 0.05, -0.1, NAN }, hi[3] = { 0.2, 0.5, NAN };
  for (guint r = 0; r < 3; r++)
    {
      ScalrEvalResult *res = g_new0 (ScalrEvalResult, 1);
      res->models = g_ptr_array_new ();
      res->lifts = g_array_new (FALSE, TRUE, sizeof (ScalrLift));
      ScalrLift l = { .model = "ease", .segment = SCALR_SEGMENT_SPARSE, .metric = SCALR_METRIC_RECALL, .k = 20,
                      .strongest = TRUE, .baseline_model = "pop", .lift = lift[r], .ci_low = lo[r], .ci_high = hi[r],
                      .p_holm = 0.5 };
      g_array_append_val (res->lifts, l);
      g_ptr_array_add (results, res);
    }
  const guint64 split_seeds[3] = { 42, 1, 2 };
  g_autoptr (JsonNode) node = scalr_replicates_json (results, split_seeds);
  JsonObject *o = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (o, "replicates"), ==, 3);
  JsonObject *row = json_array_get_object_element (json_object_get_array_member (o, "rows"), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "reference"), ==, "strongest");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "mean_lift"), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "sd_lift"), sqrt (0.02), 1e-12);
  g_assert_cmpint (json_object_get_int_member (row, "ci_above_zero"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (row, "ci_below_zero"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "defined"), ==, 2);
  JsonObject *third = json_array_get_object_element (json_object_get_array_member (row, "lifts"), 2);
  g_assert_true (json_object_get_null_member (third, "lift"));
  /* The lifts are borrowed strings in this test: clear them before the results go. */
  for (guint r = 0; r < 3; r++)
    {
      ScalrEvalResult *res = g_ptr_array_index (results, r);
      g_array_set_size (res->lifts, 0);
    }
}

/* Grids: points in order (last axis fastest), errors. */
static void
test_grid (void)
{
  g_autoptr (GError) error = NULL;
  const char *specs[] = { "sampler.samples_per_event=0,1", "eval.negatives=10,20,30", NULL };
  g_autoptr (ScalrGrid) g = scalr_grid_new (specs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_grid_get_n_points (g), ==, 6);
  const char *none[] = { NULL };
  g_assert_null (scalr_grid_new (none, &error));
  g_assert_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC);
  g_clear_error (&error);
  const char *huge[] = { "eval.negatives=1,2,3,4,5,6,7,8,9,10", "eval.bootstrap=1,2,3,4,5,6,7,8,9,10",
                         "eval.seed=1,2,3,4,5,6,7,8,9,10", "split.seed=1,2,3,4,5,6,7,8,9,10,11", NULL };
  g_assert_null (scalr_grid_new (huge, &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "more than 10,000 points");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/search/spec", test_spec);
  g_test_add_func ("/scalr/search/grid", test_grid);
  g_test_add_func ("/scalr/search/replicates", test_replicates);
  g_test_add_func ("/scalr/search/platt-segments", test_platt_segments);
  g_test_add_func ("/scalr/search/honesty", test_honesty);
  int rc = g_test_run ();
  movielens_free ();
  return rc;
}
