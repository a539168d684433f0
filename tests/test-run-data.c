/* test-run-data.c — what the core reads back from a stored run for every front end: the
 * export files (CLI and GUI), the number formats they use, and their errors. */
#include "config.h"

#define SCALR_TEST_WITH_STORE

#include "scalr-registry.h"

#include <math.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-export.h"
#include "scalr-format.h"
#include "scalr-idmap.h"
#include "scalr-import.h"
#include "scalr-output.h"
#include "scalr-pipeline.h"
#include "scalr-run-data.h"
#include "scalr-run-results.h"
#include "scalr-store.h"
#include "test-util.h"

/* One store with MovieLens and one finished run (pop only), made once for all tests. */
static char *dir, *db;
static gint64 run_id;

static void
make_store (void)
{
  dir = test_tmpdir_new ();
  db = g_build_filename (dir, "s.db", NULL);
  test_store_add_movielens (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_assert_true (scalr_config_set (c, "downstream", "models", "pop", &error));
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (db, c, "for export");
  g_assert_true (scalr_pipeline_run (p, NULL, NULL, &run_id, &error));
  g_assert_no_error (error);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static guint
count_lines (const char *text)
{
  guint n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* The numbers as the files write them, against values checked by hand (and by Python's
 * repr, the shortest round-trip form: /usr/bin/python3 -c 'print(repr(1/3), repr(2**-30))'). */
static void
test_formats (void)
{
  g_autoptr (GString) s = g_string_new (NULL);
  const double v[] = { 0.5, 1.0 / 3, 0.1, 1e21, -2.5e-7, 1.0 / 1073741824, NAN, INFINITY, -INFINITY, 0.0 };
  for (guint k = 0; k < G_N_ELEMENTS (v); k++)
    {
      scalr_format_tsv_number (s, v[k]);
      g_string_append_c (s, ' ');
    }
  g_assert_cmpstr (s->str, ==, "0.5 0.3333333333333333 0.1 1e+21 -2.5e-07 9.313225746154785e-10 NA NA NA 0 ");
  g_string_truncate (s, 0);
  const float f[] = { 0.1f, 1.0f / 3, 0.0234375f, NAN };
  for (guint k = 0; k < G_N_ELEMENTS (f); k++)
    {
      scalr_format_tsv_float (s, f[k]);
      g_string_append_c (s, ' ');
    }
  /* The shortest that reads back as the same float: 0.1f is 0.100000001490116…, written 0.1
   * (as NumPy prints float32: /usr/bin/python3 -c 'import numpy as np; print(np.float32(1/3))'). */
  g_assert_cmpstr (s->str, ==, "0.1 0.33333334 0.0234375 NA ");
  g_string_truncate (s, 0);
  scalr_format_tsv_field (s, "a\tb\nc\rd");
  scalr_format_tsv_field (s, NULL);
  g_assert_cmpstr (s->str, ==, "a b c d");
  g_autoptr (JsonObject) o = json_object_new ();
  scalr_format_json_number (o, "x", 0.25);
  scalr_format_json_number (o, "y", NAN);
  g_assert_cmpfloat (json_object_get_double_member (o, "x"), ==, 0.25);
  g_assert_true (json_object_get_null_member (o, "y"));
}

/* Every file of a finished run: the header, one row per stored record, ids as imported. */
static void
test_export_files (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, SCALR_STORE_OPEN_READER, &error);
  g_autoptr (ScalrExport) e = scalr_export_open (s, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalr_export_get_run (e)->id, ==, run_id);

  g_autofree char *syn = g_build_filename (dir, "syn.tsv", NULL);
  guint64 n = 0;
  g_assert_true (scalr_export_synthetic (e, syn, &n, &error));
  g_autoptr (ScalrSyntheticEvents) ev = scalr_store_load_synthetic (s, run_id, &error);
  g_assert_cmpuint (n, ==, ev->n);
  g_autofree char *text = read_text (syn);
  g_assert_true (g_str_has_prefix (text, "user\titem\tprobability\tweight\tcount\n"));
  g_assert_cmpuint (count_lines (text), ==, ev->n + 1);
  /* The first row is the first stored pair, with the original ids and the exact float. */
  g_auto (GStrv) lines = g_strsplit (text, "\n", 3);
  g_auto (GStrv) cols = g_strsplit (lines[1], "\t", -1);
  g_assert_cmpuint (g_strv_length (cols), ==, 5);
  ScalrSplit *split = scalr_export_get_split (e);
  ScalrDomains *dom = scalr_split_get_domains (split);
  ScalrDataset *d = scalr_domains_get_dataset (dom);
  g_assert_cmpstr (cols[0], ==, scalr_id_map_get_name (scalr_dataset_get_users (d), ev->user[0]));
  g_assert_cmpstr (cols[1], ==, scalr_id_map_get_name (scalr_dataset_get_items (d),
                                                       scalr_domains_get_target (dom)->items[ev->item[0]]));
  g_assert_cmpfloat ((float) g_ascii_strtod (cols[2], NULL), ==, ev->prob[0]);
  g_assert_cmpuint (g_ascii_strtoull (cols[4], NULL, 10), ==, ev->count[0]);

  /* The split: four files; the events of the three parts add up to the target domain's. */
  g_autofree char *sd = g_build_filename (dir, "split", NULL);
  g_assert_true (scalr_export_split (e, sd, &n, &error));
  ScalrSplitCounts sc;
  scalr_split_get_counts (split, &sc);
  g_assert_cmpuint (n, ==, sc.train_events + sc.valid_events + sc.test_events);
  const char *parts[] = { "train.tsv", "valid.tsv", "test.tsv", "sparse_users.tsv" };
  const guint64 rows[] = { sc.train_events, sc.valid_events, sc.test_events, sc.sparse_users };
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autofree char *path = g_build_filename (sd, parts[p], NULL);
      g_autofree char *t = read_text (path);
      g_assert_true (g_str_has_prefix (t, p < 3 ? "user\titem\trating\n" : "user\n"));
      g_assert_cmpuint (count_lines (t), ==, rows[p] + 1);
    }

  /* Metrics and lifts: a row per stored row, the columns named as `scalr export` names them. */
  g_autoptr (GArray) metrics = scalr_store_load_metrics (s, run_id, &error);
  g_autoptr (GArray) lifts = scalr_store_load_lifts (s, run_id, &error);
  g_autofree char *mp = g_build_filename (dir, "metrics.tsv", NULL);
  g_autofree char *lp = g_build_filename (dir, "lifts.tsv", NULL);
  g_assert_true (scalr_export_metrics (e, mp, &n, &error));
  g_assert_cmpuint (n, ==, metrics->len);
  g_assert_true (scalr_export_lifts (e, lp, &n, &error));
  g_assert_cmpuint (n, ==, lifts->len);
  g_autofree char *mt = read_text (mp), *lt = read_text (lp);
  g_assert_true (g_str_has_prefix (mt, "model\tvariant\tsegment\tmetric\tk\tvalue\tn_users\n"));
  g_assert_true (g_str_has_prefix (lt, "model\tsegment\tmetric\tk\treference\tbaseline_model\tbase_mean\taug_mean\t"
                                       "lift\tci_low\tci_high\tp_t\tp_wilcoxon\tp_holm\tn_users\tlevel\t"
                                       "also_strongest\tnote\n"));
  g_auto (GStrv) lrows = g_strsplit (lt, "\n", -1);
  for (guint k = 1; lrows[k] && lrows[k][0]; k++)
    {
      g_auto (GStrv) c = g_strsplit (lrows[k], "\t", -1);
      g_assert_cmpuint (g_strv_length (c), ==, 18);   /* an empty note is still a field */
    }
  g_assert_null (strstr (mt, "nan"));
  g_assert_null (strstr (lt, "nan"));

  g_autofree char *rp = g_build_filename (dir, "recs.tsv", NULL);
  g_autofree char *pp = g_build_filename (dir, "per-user.tsv", NULL);
  g_assert_true (scalr_export_recs (e, rp, &n, &error));
  g_assert_cmpuint (n, >, 0);
  g_autofree char *rt = read_text (rp);
  g_assert_true (g_str_has_prefix (rt, "user\tvariant\tmodel\trank\titem\tscore\n"));
  g_assert_cmpuint (count_lines (rt), ==, n + 1);
  g_assert_true (scalr_export_per_user (e, pp, &n, &error));
  g_assert_cmpuint (n, >, 0);
  g_autofree char *pt = read_text (pp);
  g_assert_true (g_str_has_prefix (pt, "user\tsegment\tmodel\tvariant\tmetric\tk\tvalue\n"));
  g_assert_nonnull (strstr (pt, "\tsparse\tpop\tbaseline\trecall\t"));
  g_assert_no_error (error);
}

/* A run that did not finish, a split that does not rebuild to the stored one, and files that
 * cannot be written: each an error, and no file left half-written. */
static void
test_export_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_autoptr (ScalrExport) none = scalr_export_open (s, 9999, &error);
  g_assert_null (none);
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_autoptr (ScalrRunInfo) run = scalr_store_load_run (s, run_id, &error);
  gint64 failed;
  g_assert_true (scalr_store_create_run (s, run->dataset_id, "broken", run->config, 1, run->fingerprint, &failed, &error));
  g_assert_true (scalr_store_finish_run (s, failed, SCALR_RUN_FAILED, "on purpose", &error));
  g_autoptr (ScalrExport) f = scalr_export_open (s, failed, &error);
  g_assert_null (f);
  test_assert_error_contains (error, SCALR_EXPORT_ERROR, SCALR_EXPORT_ERROR_NOT_FINISHED, "is failed, not finished");
  g_clear_error (&error);

  /* A finished run whose stored assignment differs in one event (what another code version's
   * split would look like), and one that has none. */
  g_autoptr (GBytes) good = scalr_store_load_artifact (s, run_id, "split", "assignment", &error);
  gsize len;
  g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (good, &len), g_bytes_get_size (good));
  bad[len / 2] = bad[len / 2] == 0 ? 2 : 0;
  g_autoptr (GBytes) bad_bytes = g_bytes_new (bad, len);
  gint64 other;
  g_assert_true (scalr_store_create_run (s, run->dataset_id, "other", run->config, 1, run->fingerprint, &other, &error));
  g_assert_true (scalr_store_finish_run (s, other, SCALR_RUN_FINISHED, NULL, &error));
  g_autoptr (ScalrExport) no_assignment = scalr_export_open (s, other, &error);
  g_assert_null (no_assignment);
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (scalr_store_put_artifact (s, other, "split", "assignment", "application/octet-stream", bad_bytes, &error));
  g_autoptr (ScalrExport) changed = scalr_export_open (s, other, &error);
  g_assert_null (changed);
  test_assert_error_contains (error, SCALR_EXPORT_ERROR, SCALR_EXPORT_ERROR_SPLIT_CHANGED,
                              "differs from the stored one", "code version");
  g_clear_error (&error);

  /* Unwritable targets: a directory for a file, a file for the split's directory. The file
   * that existed is unchanged. */
  g_autoptr (ScalrExport) e = scalr_export_open (s, run_id, &error);
  g_assert_no_error (error);
  g_assert_false (scalr_export_metrics (e, dir, NULL, &error));
  g_assert_true (error != NULL && error->domain == SCALR_OUTPUT_ERROR);
  g_clear_error (&error);
  g_autofree char *file = test_write_file (dir, "not-a-dir", "keep\n", -1);
  g_assert_false (scalr_export_split (e, file, NULL, &error));
  g_assert_error (error, SCALR_EXPORT_ERROR, SCALR_EXPORT_ERROR_DIRECTORY);
  g_clear_error (&error);
  g_autofree char *kept = read_text (file);
  g_assert_cmpstr (kept, ==, "keep\n");
}

/* The JSON view of a run (scalr show --json): the run's members, its config by group, its
 * stored documents, and rows whose undefined numbers are null. */
static void
test_run_json (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, SCALR_STORE_OPEN_READER, &error);
  g_autoptr (JsonNode) node = scalr_run_to_json (s, run_id, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (o, "run_id"), ==, run_id);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "finished");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "for export");
  g_assert_true (json_object_get_null_member (o, "group_id"));   /* in no group */
  g_assert_true (json_object_get_null_member (o, "note"));
  g_assert_true (json_object_get_null_member (o, "tags"));
  JsonObject *cfg = json_object_get_object_member (o, "config");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cfg, "downstream"), "models"), ==, "pop");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cfg, "split"), "seed"), ==, "42");
  g_assert_true (json_object_has_member (o, "timings"));
  g_assert_true (json_object_has_member (o, "split"));       /* from the run summary */
  g_assert_true (json_object_has_member (o, "synthetic"));   /* the stored diagnostics */
  g_autoptr (GArray) metrics = scalr_store_load_metrics (s, run_id, &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "metrics")), ==, metrics->len);
  g_autoptr (JsonObject) nan_row = scalr_lift_row_to_json (&(ScalrLiftRow) { .model = (char *) "m",
      .segment = (char *) "all", .metric = (char *) "recall", .reference = (char *) "own",
      .baseline_model = (char *) "m", .k = 20, .lift = NAN, .p_holm = 0.5, .level = 0.95 });
  g_assert_true (json_object_get_null_member (nan_row, "lift"));
  g_assert_true (json_object_get_null_member (nan_row, "note"));
  g_assert_cmpfloat (json_object_get_double_member (nan_row, "p_holm"), ==, 0.5);
  g_assert_true (isnan (scalr_json_get_number (nan_row, "lift")));
  g_assert_true (isnan (scalr_json_get_number (nan_row, "absent")));
  g_assert_true (isnan (scalr_json_get_number (nan_row, "model")));
  g_assert_cmpfloat (scalr_json_get_number (nan_row, "level"), ==, 0.95);

  g_autoptr (JsonNode) none = scalr_run_to_json (s, 9999, &error);
  g_assert_null (none);
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
}

/* The core's results loader (the review page's, the compare page's and the report's): the
 * config through the config module, models in config order, the headline K; and the run
 * opened again after its diagnostics were replaced by what the code before the version
 * member stored (tests/data/diagnostics-v1.json): it loads, the new member "not stored". */
static void
test_results_loader (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_autoptr (ScalrRunResults) r = scalr_run_results_load (s, run_id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->models->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (r->models, 0), ==, "pop");
  g_assert_cmpuint (r->headline_k, ==, 20);
  g_autofree char *model = scalr_run_results_dup_config (r, "generator", "model");
  g_assert_cmpstr (model, ==, "cooc");
  g_assert_null (scalr_run_results_dup_config (r, "generator", "no_such_key"));
  g_assert_nonnull (r->diag);
  g_assert_cmpuint (r->diag->target_items, >, 0);

  /* A copy of the run whose diagnostics are version 1's, with as many synthetic events as
   * they count (22,232 pairs from 23,516 draws; the store checks that they agree). */
  gint64 old_run;
  g_assert_true (scalr_store_create_run (s, r->info->dataset_id, "old", r->info->config, 42, r->info->fingerprint,
                                         &old_run, &error));
  g_autoptr (ScalrDatasetInfo) info = scalr_store_load_dataset_info (s, r->info->dataset, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrSyntheticEvents) ev = scalr_synthetic_events_new (22232);
  g_assert_cmpuint (ev->n / info->n_items, <, info->n_users);
  for (guint64 k = 0; k < ev->n; k++)
    {
      ev->user[k] = (guint32) (k / info->n_items);
      ev->item[k] = (guint32) (k % info->n_items);
      ev->prob[k] = 0.5f;
      ev->weight[k] = 1.0f;
      ev->count[k] = 1;
    }
  ev->count[0] += 23516 - 22232;
  ev->draws = 23516;
  g_assert_true (scalr_store_put_synthetic (s, old_run, ev, &error));
  g_assert_true (scalr_store_finish_run (s, old_run, SCALR_RUN_FINISHED, NULL, &error));
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "diagnostics-v1.json", NULL);
  g_autofree char *v1 = read_text (path);
  g_autoptr (GBytes) v1_bytes = g_bytes_new (v1, strlen (v1));
  g_assert_true (scalr_store_put_artifact (s, old_run, "diagnostics", "synthetic", "application/json", v1_bytes, &error));
  g_autoptr (ScalrRunResults) old = scalr_run_results_load (s, old_run, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (old->diag->events, ==, 22232);
  g_assert_cmpuint (old->diag->target_items, ==, 0);
  g_assert_cmpuint (old->headline_k, ==, 0);   /* it has no metrics */

  /* A stored document that does not parse is damage naming it (the store checks every
   * document it returns), not an empty chart. */
  g_autoptr (GBytes) junk = g_bytes_new_static ("{\"events\": ", 11);
  g_assert_true (scalr_store_put_artifact (s, old_run, "diagnostics", "synthetic", "application/json", junk, &error));
  g_autoptr (ScalrRunResults) bad = scalr_run_results_load (s, old_run, TRUE, &error);
  g_assert_null (bad);
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_DAMAGED, "diagnostics/synthetic",
                              "does not parse");
}

/* The headline choice (runs list, report, show) and the metric and segment names. */
static void
test_headline_and_names (void)
{
  const guint a[] = { 10, 30 }, b[] = { 5, 50, 20 }, c[] = { 0 }, d[] = { 25, 15, 0 };
  g_assert_cmpuint (scalr_headline_k (a, 2), ==, 10);   /* a tie: the smaller */
  g_assert_cmpuint (scalr_headline_k (b, 3), ==, 20);
  g_assert_cmpuint (scalr_headline_k (c, 1), ==, 0);
  g_assert_cmpuint (scalr_headline_k (d, 3), ==, 15);
  g_assert_cmpuint (scalr_headline_k (NULL, 0), ==, 0);

  /* Sparse users first; the best augmented model at the headline K against the strongest
   * real-only model (its own-baseline row second); a row with an undefined lift is not a
   * candidate; a run without defined sparse rows falls back to all users. */
  g_autoptr (GArray) lifts = g_array_new (FALSE, TRUE, sizeof (ScalrLiftRow));
  const struct { const char *model, *segment, *metric, *ref; guint k; double aug, lift; } rows[] = {
    { "pop", "sparse", "recall", "strongest", 20, 0.10, 0.5 }, { "ials", "sparse", "recall", "strongest", 20, 0.20, 0.1 },
    { "ials", "sparse", "recall", "strongest", 10, 0.90, 0.9 }, { "ials", "sparse", "ndcg", "strongest", 20, 0.95, 0.9 },
    { "ials", "sparse", "recall", "own", 20, 0.99, 0.9 }, { "pop", "all", "recall", "strongest", 20, 0.50, 0.2 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (rows); k++)
    {
      ScalrLiftRow l = { .model = (char *) rows[k].model, .segment = (char *) rows[k].segment,
                         .metric = (char *) rows[k].metric, .reference = (char *) rows[k].ref, .k = rows[k].k,
                         .aug_mean = rows[k].aug, .lift = rows[k].lift };
      g_array_append_val (lifts, l);
    }
  ScalrHeadline h;
  g_assert_true (scalr_lifts_find_headline ((const ScalrLiftRow *) lifts->data, lifts->len, &h));
  g_assert_cmpstr (h.strongest->model, ==, "ials");
  g_assert_cmpstr (h.segment, ==, "sparse");
  g_assert_cmpuint (h.k, ==, 20);
  g_assert_true (h.own == &g_array_index (lifts, ScalrLiftRow, 4));
  g_array_index (lifts, ScalrLiftRow, 1).lift = NAN;
  g_assert_true (scalr_lifts_find_headline ((const ScalrLiftRow *) lifts->data, lifts->len, &h));
  g_assert_cmpstr (h.strongest->model, ==, "pop");   /* the best sparse row is undefined */
  g_assert_null (h.own);
  g_array_index (lifts, ScalrLiftRow, 0).lift = NAN;
  g_assert_true (scalr_lifts_find_headline ((const ScalrLiftRow *) lifts->data, lifts->len, &h));
  g_assert_cmpstr (h.segment, ==, "all");
  g_array_set_size (lifts, 0);
  g_assert_false (scalr_lifts_find_headline (NULL, 0, &h));

  for (ScalrMetric m = 0; m < SCALR_N_METRICS; m++)
    {
      ScalrMetric back;
      g_assert_true (scalr_metric_from_string (scalr_metric_to_string (m), &back));
      g_assert_cmpint (back, ==, m);
    }
  for (ScalrSegment sg = 0; sg < SCALR_N_SEGMENTS; sg++)
    {
      ScalrSegment back;
      g_assert_true (scalr_segment_from_string (scalr_segment_to_string (sg), &back));
      g_assert_cmpint (back, ==, sg);
    }
  ScalrMetric m;
  g_assert_false (scalr_metric_from_string ("foo", &m));
  g_autofree char *l1 = scalr_metric_label ("recall", 20), *l2 = scalr_metric_label ("ne", 0);
  g_autofree char *l3 = scalr_metric_label ("foo", 3);
  g_assert_cmpstr (l1, ==, "Recall@20");
  g_assert_cmpstr (l2, ==, "NE");
  g_assert_cmpstr (l3, ==, "foo@3");
  g_assert_cmpstr (scalr_segment_get_label (SCALR_SEGMENT_SPARSE), ==, "Sparse users");
  g_assert_false (scalr_metric_name_higher_is_better ("ne"));
  g_assert_true (scalr_metric_name_higher_is_better ("auc"));
  g_assert_false (scalr_metric_has_lifts (SCALR_METRIC_COVERAGE));
  g_assert_true (scalr_metric_is_pointwise (SCALR_METRIC_AUC));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  make_store ();
  g_test_add_func ("/scalr/run-data/formats", test_formats);
  g_test_add_func ("/scalr/run-data/export-files", test_export_files);
  g_test_add_func ("/scalr/run-data/export-errors", test_export_errors);
  g_test_add_func ("/scalr/run-data/run-json", test_run_json);
  g_test_add_func ("/scalr/run-data/results-loader", test_results_loader);
  g_test_add_func ("/scalr/run-data/headline-and-names", test_headline_and_names);
  int status = g_test_run ();
  test_rm_rf (dir);
  g_free (dir);
  g_free (db);
  return status;
}
