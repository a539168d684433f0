/* test-tuning.c — reading a tuned run's trials and selection and a replicated run's spread
 * (scalr-tuning.h), from documents written here by hand in the format `scalr tune` and
 * [eval] replicates store: values, undefined numbers, the model chosen, every error path;
 * and from what core's scalr tune really stores. */
#include "config.h"

#define SCALR_TEST_WITH_STORE

#include <math.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-dataset-private.h"
#include "scalr-idmap.h"
#include "scalr-registry.h"
#include "scalr-run-data.h"
#include "scalr-search.h"
#include "scalr-store.h"
#include "scalr-tuning.h"
#include "test-util.h"

/* Two models, a space of two keys, three trials (trial 0 the base config); ease's augmented
 * selection (trial 2, 0.31 on validation) beats pop's (trial 0, 0.20); a null is undefined. */
static const char *const tuning_doc =
  "{\"objective\": \"recall@20\", \"segment\": \"sparse\", \"method\": \"random search\", \"seed\": 42,"
  " \"trials_requested\": 3, \"time_budget\": null, \"default_space\": false, \"wall_seconds\": 12.5,"
  " \"space\": [{\"key\": \"sampler.samples_per_event\", \"role\": \"augmented only\", \"values\": [\"1\", \"2\", \"4\"]},"
  "             {\"key\": \"downstream.ease_lambda\", \"role\": \"baseline and augmented\", \"low\": 10, \"high\": 1000,"
  "              \"scale\": \"log\"}],"
  " \"shared\": {\"generator_fits\": 1},"
  " \"trials\": ["
  "   {\"trial\": 0, \"params\": {\"sampler.samples_per_event\": \"1\", \"downstream.ease_lambda\": \"100\"},"
  "    \"seconds\": 2.0, \"validation\": {\"pop\": {\"baseline\": 0.18, \"augmented\": 0.20},"
  "                                      \"ease\": {\"baseline\": 0.22, \"augmented\": 0.25}}},"
  "   {\"trial\": 1, \"params\": {\"sampler.samples_per_event\": \"4\", \"downstream.ease_lambda\": \"31.6\"},"
  "    \"seconds\": 3, \"validation\": {\"pop\": {\"baseline\": 0.18, \"augmented\": null},"
  "                                    \"ease\": {\"baseline\": 0.21, \"augmented\": 0.27}}},"
  "   {\"trial\": 2, \"params\": {\"sampler.samples_per_event\": \"2\"},"
  "    \"seconds\": 4.5, \"validation\": {\"ease\": {\"baseline\": 0.23, \"augmented\": 0.31}}}],"
  " \"selected\": {"
  "   \"pop\": {\"baseline\": {\"trial\": 0, \"validation\": 0.18, \"test\": 0.17,"
  "                           \"default\": {\"validation\": 0.18, \"test\": 0.17}},"
  "            \"augmented\": {\"trial\": 0, \"validation\": 0.20, \"test\": 0.19,"
  "                            \"default\": {\"validation\": 0.20, \"test\": 0.19}}},"
  "   \"ease\": {\"baseline\": {\"trial\": 2, \"validation\": 0.23, \"test\": 0.215,"
  "                            \"default\": {\"validation\": 0.22, \"test\": 0.21}},"
  "             \"augmented\": {\"trial\": 2, \"validation\": 0.31, \"test\": 0.26, \"sampler_temperature\": 0.5,"
  "                             \"default\": {\"validation\": 0.25, \"test\": null}}}}}";

static ScalrTuning *
parse_tuning (const char *text, GError **error)
{
  g_autoptr (JsonNode) root = json_from_string (text, NULL);
  g_assert_nonnull (root);
  return scalr_tuning_new_from_json (root, error);
}

static void
test_tuning_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrTuning) t = parse_tuning (tuning_doc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->objective, ==, "recall@20");
  g_assert_cmpstr (t->segment, ==, "sparse");
  g_assert_cmpuint (t->trials_requested, ==, 3);
  g_assert_cmpfloat (t->wall_seconds, ==, 12.5);
  g_assert_cmpuint (g_strv_length (t->keys), ==, 2);
  g_assert_cmpstr (t->keys[1], ==, "downstream.ease_lambda");
  g_assert_cmpuint (scalr_tuning_get_n_models (t), ==, 2);
  g_assert_cmpstr (t->models[0], ==, "pop");
  g_assert_cmpint (scalr_tuning_find_model (t, "ease"), ==, 1);
  g_assert_cmpint (scalr_tuning_find_model (t, "mf"), ==, -1);
  g_assert_cmpuint (t->trials->len, ==, 3);
  const ScalrTuningTrial *t1 = g_ptr_array_index (t->trials, 1), *t2 = g_ptr_array_index (t->trials, 2);
  g_assert_cmpuint (t1->index, ==, 1);
  g_assert_cmpstr (t1->values[0], ==, "4");
  g_assert_cmpstr (t1->values[1], ==, "31.6");
  g_assert_cmpfloat (t1->seconds, ==, 3.0);            /* an integer reads as a number */
  g_assert_cmpfloat (t1->validation[0], ==, 0.18);     /* pop baseline */
  g_assert_true (isnan (t1->validation[1]));           /* pop augmented: null */
  g_assert_cmpfloat (t1->validation[3], ==, 0.27);     /* ease augmented */
  g_assert_null (t2->values[1]);                       /* the trial has no such key */
  g_assert_true (isnan (t2->validation[0]) && isnan (t2->validation[1]));   /* pop absent */
  const ScalrTuningChoice *ea = &t->selected[3];
  g_assert_cmpint (ea->trial, ==, 2);
  g_assert_cmpfloat (ea->validation, ==, 0.31);
  g_assert_cmpfloat (ea->test, ==, 0.26);
  g_assert_cmpfloat (ea->default_validation, ==, 0.25);
  g_assert_true (isnan (ea->default_test));
  g_assert_cmpint (scalr_tuning_best_model (t), ==, 1);
}

/* Each required member missing or of the wrong type: an error naming it, no result. */
static void
test_tuning_errors (void)
{
  static const struct { const char *from, *to, *member; } cases[] = {
    { "\"objective\": \"recall@20\"", "\"objective\": 20", "objective" },
    { "\"segment\": \"sparse\"", "\"sigment\": \"sparse\"", "segment" },
    { "\"space\": [", "\"spice\": [", "space" },
    { "\"trials\": [", "\"trials\": {\"x\": [", "trials" },
    { "\"selected\": {", "\"chosen\": {", "selected" },
    { "\"wall_seconds\": 12.5", "\"wall_seconds\": \"12.5\"", "wall_seconds" },
    { "\"seconds\": 3,", "\"seconds\": true,", "seconds" },
    { "\"augmented\": {\"trial\": 2, \"validation\": 0.31", "\"augmented\": {\"validation\": 0.31", "trial" },
    { "\"params\": {\"sampler.samples_per_event\": \"2\"}", "\"params\": [\"2\"]", "params" },
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (GString) doc = g_string_new (tuning_doc);
      g_assert_cmpuint (g_string_replace (doc, cases[c].from, cases[c].to, 1), ==, 1);
      /* "trials": {"x": [ … needs its brace closed to stay JSON. */
      if (g_str_has_prefix (cases[c].to, "\"trials\": {"))
        g_string_replace (doc, "}}}],", "}}}]},", 1);
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrTuning) t = parse_tuning (doc->str, &error);
      g_assert_null (t);
      g_assert_error (error, SCALR_TUNING_ERROR, SCALR_TUNING_ERROR_FORMAT);
      g_autofree char *named = g_strdup_printf ("\"%s\"", cases[c].member);
      g_assert_nonnull (strstr (error->message, named));
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) array = json_from_string ("[1]", NULL);
  g_assert_null (scalr_tuning_new_from_json (array, &error));
  g_assert_error (error, SCALR_TUNING_ERROR, SCALR_TUNING_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_null (scalr_tuning_new_from_json (NULL, &error));
  g_assert_error (error, SCALR_TUNING_ERROR, SCALR_TUNING_ERROR_FORMAT);
}

static const char *const replicates_doc =
  "{\"replicates\": 3, \"split_seeds\": [1, 2, 3], \"rows\": ["
  " {\"model\": \"ease\", \"segment\": \"sparse\", \"metric\": \"recall\", \"k\": 20, \"reference\": \"strongest\","
  "  \"lifts\": [{\"lift\": 0.1, \"ci_low\": 0.0, \"ci_high\": 0.2, \"p_holm\": 0.04, \"baseline_model\": \"pop\"},"
  "             {\"lift\": null}, {\"lift\": 0.3}],"
  "  \"mean_lift\": 0.2, \"sd_lift\": 0.1414, \"min_lift\": 0.1, \"max_lift\": 0.3, \"ci_above_zero\": 1,"
  "  \"ci_below_zero\": 0, \"defined\": 2},"
  " {\"model\": \"ease\", \"segment\": \"sparse\", \"metric\": \"recall\", \"k\": 20, \"reference\": \"own\","
  "  \"lifts\": [], \"mean_lift\": null, \"sd_lift\": null, \"min_lift\": null, \"max_lift\": null, \"defined\": 0}]}";

static void
test_replicates (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = json_from_string (replicates_doc, NULL);
  g_autoptr (GPtrArray) rows = scalr_replicate_rows_new_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  const ScalrReplicateRow *r = scalr_replicate_rows_find (rows, "ease", "sparse", "recall", 20, "strongest");
  g_assert_true (r == g_ptr_array_index (rows, 0));
  g_assert_cmpuint (r->lifts->len, ==, 3);
  g_assert_true (isnan (g_array_index (r->lifts, double, 1)));
  g_assert_cmpfloat (r->mean, ==, 0.2);
  g_assert_cmpfloat (r->min, ==, 0.1);
  g_assert_cmpfloat (r->max, ==, 0.3);
  g_assert_cmpuint (r->defined, ==, 2);
  g_assert_cmpuint (r->ci_above_zero, ==, 1);
  const ScalrReplicateRow *own = scalr_replicate_rows_find (rows, "ease", "sparse", "recall", 20, "own");
  g_assert_true (isnan (own->mean) && isnan (own->sd));
  g_assert_cmpuint (own->ci_above_zero, ==, 0);        /* absent: 0 */
  g_assert_null (scalr_replicate_rows_find (rows, "ease", "sparse", "recall", 10, "own"));
  g_assert_null (scalr_replicate_rows_find (NULL, "ease", "sparse", "recall", 20, "own"));

  static const struct { const char *from, *to, *member; } cases[] = {
    { "\"rows\": [", "\"rose\": [", "rows" },
    { "\"k\": 20, \"reference\": \"own\"", "\"k\": \"20\", \"reference\": \"own\"", "k" },
    { "\"model\": \"ease\", \"segment\": \"sparse\", \"metric\": \"recall\", \"k\": 20, \"reference\": \"own\"",
      "\"model\": \"ease\", \"segment\": \"sparse\", \"metric\": \"recall\", \"k\": 20", "reference" },
    { "\"lifts\": [],", "\"lifts\": [3],", "lifts" },
    { "\"mean_lift\": 0.2", "\"mean_lift\": [0.2]", "mean_lift" },
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (GString) doc = g_string_new (replicates_doc);
      g_assert_cmpuint (g_string_replace (doc, cases[c].from, cases[c].to, 1), ==, 1);
      g_autoptr (JsonNode) bad = json_from_string (doc->str, NULL);
      g_assert_nonnull (bad);
      g_autoptr (GError) e = NULL;
      g_assert_null (scalr_replicate_rows_new_from_json (bad, &e));
      g_assert_error (e, SCALR_TUNING_ERROR, SCALR_TUNING_ERROR_FORMAT);
      g_autofree char *named = g_strdup_printf ("\"%s\"", cases[c].member);
      g_assert_nonnull (strstr (e->message, named));
    }
}

/* Through the store: a run with both artifacts reads back; a run without says not found; a
 * stored document that is not JSON is a format error naming the run. */
static void
test_load (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrDatasetBuilder) b = _scalr_dataset_builder_new ();
  ScalrId u = scalr_id_map_intern (_scalr_dataset_builder_get_users (b), "u", 1, NULL);
  ScalrId i = scalr_id_map_intern (_scalr_dataset_builder_get_items (b), "i", 1, NULL);
  _scalr_dataset_builder_add (b, u, i, 0, 1.0f, 0.0);
  g_autoptr (ScalrDataset) d = _scalr_dataset_builder_finish (g_steal_pointer (&b), "tiny", &error);
  gint64 ds = 0, tuned = 0, plain = 0, broken = 0;
  g_assert_true (scalr_store_add_dataset (s, d, "a", NULL, "tsv", &ds, &error));
  g_assert_true (scalr_store_create_run (s, ds, "tune", "[x]\n", 1, "fp", &tuned, &error));
  g_assert_true (scalr_store_create_run (s, ds, "plain", "[x]\n", 1, "fp", &plain, &error));
  g_assert_true (scalr_store_create_run (s, ds, "broken", "[x]\n", 1, "fp", &broken, &error));
  g_autoptr (GBytes) tb = g_bytes_new_static (tuning_doc, strlen (tuning_doc));
  g_autoptr (GBytes) rb = g_bytes_new_static (replicates_doc, strlen (replicates_doc));
  g_autoptr (GBytes) junk = g_bytes_new_static ("{not json", 9);
  g_assert_true (scalr_store_put_artifact (s, tuned, "summary", "tuning", "application/json", tb, &error));
  g_assert_true (scalr_store_put_artifact (s, tuned, "summary", "replicates", "application/json", rb, &error));
  g_assert_true (scalr_store_put_artifact (s, broken, "summary", "tuning", "application/json", junk, &error));
  g_assert_no_error (error);

  g_autoptr (ScalrTuning) t = scalr_tuning_load (s, tuned, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->trials->len, ==, 3);
  g_autoptr (GPtrArray) rows = scalr_replicate_rows_load (s, tuned, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);

  g_assert_null (scalr_tuning_load (s, plain, &error));
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (scalr_replicate_rows_load (s, plain, &error));
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (scalr_tuning_load (s, broken, &error));
  /* The store's own check of a JSON artifact finds it first: the run is damaged. */
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_DAMAGED);
  g_autofree char *named = g_strdup_printf ("run %" G_GINT64_FORMAT " is damaged: its summary/tuning", broken);
  g_assert_nonnull (strstr (error->message, named));
  g_clear_pointer (&s, scalr_store_close);
  test_rm_rf (dir);
}

/* What scalr tune stores reads back: a two-trial search with two replicates on MovieLens;
 * the reader's trials, space and selection are the document's (the selected trial's
 * validation score is that trial's, the best of the trials), and each replicate row's
 * summary is its lifts'. */
static void
test_from_tune (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  test_store_add_movielens (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrTuneSpec) spec = scalr_tune_spec_new_from_data (
    "[downstream]\nmodels=pop,itemknn\n[eval]\nbootstrap=20\nreplicates=2\n"
    "[tune]\ntrials=2\ndownstream.itemknn.neighbors = 10,50\nsampler.weight = 0.1..1 log\n", "the test", &error);
  g_assert_no_error (error);
  gint64 run = 0;
  g_assert_true (scalr_tune_run (db, spec, 0, NULL, NULL, NULL, &run, &error));
  g_assert_no_error (error);
  g_autoptr (ScalrStore) s = scalr_store_open (db, SCALR_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (ScalrTuning) t = scalr_tuning_load (s, run, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->objective, ==, "recall@20");
  g_assert_cmpstr (t->segment, ==, "sparse");
  g_assert_cmpuint (t->trials_requested, ==, 2);
  g_assert_cmpuint (g_strv_length (t->keys), ==, 2);
  g_assert_true (g_strv_contains ((const char *const *) t->keys, "downstream.itemknn.neighbors"));
  g_assert_true (g_strv_contains ((const char *const *) t->keys, "sampler.weight"));
  g_assert_cmpuint (scalr_tuning_get_n_models (t), ==, 2);
  gint knn = scalr_tuning_find_model (t, "itemknn");
  g_assert_cmpint (knn, >=, 0);
  g_assert_cmpuint (t->trials->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const ScalrTuningTrial *tr = g_ptr_array_index (t->trials, i);
      g_assert_cmpuint (tr->index, ==, i);
      for (guint k = 0; k < 2; k++)
        g_assert_nonnull (tr->values[k]);
      g_assert_true (isfinite (tr->validation[2 * knn + 1]));
    }
  for (guint v = 0; v < 2; v++)
    {
      const ScalrTuningChoice *c = &t->selected[2 * knn + v];
      g_assert_cmpint (c->trial, >=, 0);
      g_assert_cmpint (c->trial, <, 2);
      const ScalrTuningTrial *chosen = g_ptr_array_index (t->trials, (guint) c->trial);
      g_assert_cmpfloat (c->validation, ==, chosen->validation[2 * knn + v]);
      for (guint i = 0; i < 2; i++)
        g_assert_cmpfloat (c->validation, >=, ((ScalrTuningTrial *) g_ptr_array_index (t->trials, i))->validation[2 * knn + v]);
      const ScalrTuningTrial *first = g_ptr_array_index (t->trials, 0);
      g_assert_cmpfloat (c->default_validation, ==, first->validation[2 * knn + v]);
      g_assert_true (c->test > 0 && c->test < 1);
    }
  g_assert_cmpint (scalr_tuning_best_model (t), >=, 0);
  g_autoptr (GPtrArray) rows = scalr_replicate_rows_load (s, run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      const ScalrReplicateRow *r = g_ptr_array_index (rows, i);
      g_assert_cmpuint (r->lifts->len, ==, 2);
      double a = g_array_index (r->lifts, double, 0), b = g_array_index (r->lifts, double, 1);
      guint defined = isfinite (a) + isfinite (b);
      g_assert_cmpuint (r->defined, ==, defined);
      if (defined == 2)
        {
          g_assert_cmpfloat_with_epsilon (r->mean, (a + b) / 2, 1e-12);
          g_assert_cmpfloat (r->min, ==, MIN (a, b));
          g_assert_cmpfloat (r->max, ==, MAX (a, b));
        }
    }
  g_assert_nonnull (scalr_replicate_rows_find (rows, "itemknn", "sparse", "recall", 20, "own"));
  g_clear_pointer (&s, scalr_store_close);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/tuning/from-tune", test_from_tune);
  g_test_add_func ("/scalr/tuning/parse", test_tuning_parse);
  g_test_add_func ("/scalr/tuning/errors", test_tuning_errors);
  g_test_add_func ("/scalr/tuning/replicates", test_replicates);
  g_test_add_func ("/scalr/tuning/load", test_load);
  return g_test_run ();
}
