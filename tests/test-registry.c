/* test-registry.c — adding a component is one class plus one registry call: a dummy
 * generator and a dummy recommender, registered at start-up, appear in the parameter tables,
 * in `scalr config`'s description, are accepted by the config, run through the whole
 * pipeline and land in the store under their names. */
#include "config.h"

#include "scalr-registry.h"

#include <string.h>

#include "scalr-config.h"
#include "scalr-dataset.h"
#include "scalr-import.h"
#include "scalr-pipeline.h"
#include "scalr-split.h"
#include "scalr-store.h"
#include "test-util.h"

/* ---- a dummy generator: every user gets the same scores, item i scoring −i ------------- */

typedef struct { guint n_items; } DummyGen;

static const ScalrParam dummy_gen_params[] = {
  { "generator", "dummy.slope", SCALR_PARAM_DOUBLE, "1", 0, 10, NULL,
    "dummy: how fast the score falls with the item index", "dummy" },
  { NULL }
};

static gpointer
dummy_gen_fit (ScalrSplit *split, const ScalrConfig *config, ScalrProgress *progress,
               GCancellable *cancellable, GError **error)
{
  DummyGen *g = g_new0 (DummyGen, 1);
  g->n_items = scalr_split_get_n_target_items (split);
  g_assert_cmpfloat (scalr_config_get_double (config, "generator", "dummy.slope"), ==, 0.5);
  return g;
}

static void
dummy_gen_score (gpointer model, const guint32 *users, guint n, float *out)
{
  const DummyGen *g = model;
  for (guint r = 0; r < n; r++)
    for (guint i = 0; i < g->n_items; i++)
      out[(gsize) r * g->n_items + i] = -(float) i;
}

static const ScalrGeneratorClass dummy_generator = {
  .name = "dummy",
  .summary = "A test generator",
  .params = dummy_gen_params,
  .fit = dummy_gen_fit,
  .free_model = g_free,
  .score = dummy_gen_score,
};

/* ---- a dummy recommender: scores item i by +i (the reverse of nothing in particular) ---- */

static const ScalrParam dummy_rec_params[] = {
  { "downstream", "backwards.offset", SCALR_PARAM_INT, "0", 0, 100, NULL,
    "backwards: added to every score", "backwards" },
  { NULL }
};

static gpointer
dummy_rec_fit (const ScalrCsr *matrix, const ScalrConfig *config, guint64 seed, ScalrProgress *progress,
               GCancellable *cancellable, GError **error)
{
  guint *n_items = g_new (guint, 1);
  *n_items = matrix->n_cols;
  return n_items;
}

static void
dummy_rec_score (gpointer model, const ScalrCsr *matrix, const guint32 *users, guint n, float *out)
{
  guint n_items = *(const guint *) model;
  for (guint r = 0; r < n; r++)
    for (guint i = 0; i < n_items; i++)
      out[(gsize) r * n_items + i] = (float) i;
}

static const ScalrRecommenderClass dummy_recommender = {
  .name = "backwards",
  .summary = "A test recommender",
  .params = dummy_rec_params,
  .fit = dummy_rec_fit,
  .free_model = g_free,
  .score = dummy_rec_score,
};

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_tables (void)
{
  const ScalrParam *model = scalr_config_lookup_param ("generator", "model");
  g_assert_nonnull (model);
  g_assert_cmpstr (model->choices, ==, "cooc|ridge|popularity|embmap|dummy");
  const ScalrParam *models = scalr_config_lookup_param ("downstream", "models");
  g_assert_cmpstr (models->choices, ==, "pop|itemknn|ials|bpr|ease|backwards");
  g_assert_nonnull (scalr_config_lookup_param ("generator", "dummy.slope"));
  g_assert_nonnull (scalr_config_lookup_param ("downstream", "backwards.offset"));

  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_config_set_assignment (c, "generator.model=dummy", &error));
  g_assert_true (scalr_config_set_assignment (c, "downstream.models=pop,backwards", &error));
  g_assert_no_error (error);
  g_assert_false (scalr_config_set_assignment (c, "generator.model=nosuch", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "dummy");

  g_autofree char *text = scalr_config_describe ();
  g_assert_nonnull (strstr (text, "dummy.slope"));
  g_assert_nonnull (strstr (text, "backwards.offset"));
  g_assert_nonnull (strstr (text, "one of cooc, ridge, popularity, embmap, dummy"));
  g_autofree char *written = scalr_config_to_data (c);
  g_assert_nonnull (strstr (written, "dummy.slope=1"));
}

static void
test_pipeline_and_store (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autoptr (GError) error = NULL;
  {
    g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
    o->name = g_strdup ("movielens-small");
    scalr_import_options_add_events (o, ratings, NULL);
    o->items_path = g_strdup (movies);
    g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
    g_assert_no_error (error);
    g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
    g_assert_true (scalr_store_add_dataset (s, d, "ratings.tsv", "movies.tsv", "tsv", NULL, &error));
  }

  g_autoptr (ScalrConfig) c = scalr_config_new ();
  const char *sets[] = { "generator.model=dummy", "generator.dummy.slope=0.5", "generator.temperature=1",
                         "sampler.strategy=per_user", "downstream.models=pop,backwards",
                         "eval.bootstrap=20", "eval.k=10" };
  for (guint k = 0; k < G_N_ELEMENTS (sets); k++)
    g_assert_true (scalr_config_set_assignment (c, sets[k], &error));
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (db, c, "with dummies");
  gint64 id = 0;
  g_assert_true (scalr_pipeline_run (p, NULL, NULL, &id, &error));
  g_assert_no_error (error);

  g_autoptr (ScalrStore) s = scalr_store_open (db, SCALR_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (ScalrRunInfo) run = scalr_store_load_run (s, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run->status, ==, SCALR_RUN_FINISHED);
  g_assert_nonnull (strstr (run->config, "model=dummy"));
  g_autoptr (GArray) metrics = scalr_store_load_metrics (s, id, &error);
  g_assert_no_error (error);
  guint seen = 0;
  for (guint k = 0; k < metrics->len; k++)
    if (g_strcmp0 (g_array_index (metrics, ScalrMetricRow, k).model, "backwards") == 0)
      seen++;
  g_assert_cmpuint (seen, >, 0);
  g_autoptr (ScalrSyntheticEvents) ev = scalr_store_load_synthetic (s, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ev->n, >, 0);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  scalr_registry_add_generator (&dummy_generator);
  scalr_registry_add_recommender (&dummy_recommender);
  g_test_add_func ("/scalr/registry/tables", test_tables);
  g_test_add_func ("/scalr/registry/pipeline-and-store", test_pipeline_and_store);
  return g_test_run ();
}
