/* test-pipeline.c — a whole SCALR run through the store: results, determinism,
 * cancellation and failure leave the right status and nothing half-written. */
#include "config.h"

#define SCALR_TEST_WITH_STORE

#include "scalr-registry.h"

#include <math.h>
#include <sqlite3.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-import.h"
#include "scalr-pipeline.h"
#include "scalr-progress.h"
#include "scalr-store.h"
#include "test-util.h"

typedef struct {
  char *dir;
  char *db;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->dir = test_tmpdir_new ();
  f->db = g_build_filename (f->dir, "s.db", NULL);
  test_store_add_movielens (f->db);
  g_autoptr (GError) error = NULL;
}

static void
teardown (Fixture *f, gconstpointer data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static ScalrRunInfo *
get_run (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_assert_no_error (error);
  ScalrRunInfo *r = scalr_store_load_run (s, id, &error);
  g_assert_no_error (error);
  return r;
}

static ScalrSyntheticEvents *
get_synthetic (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  ScalrSyntheticEvents *ev = scalr_store_load_synthetic (s, id, &error);
  g_assert_no_error (error);
  return ev;
}

/* The engine tests skip the downstream models (test_default_run covers them). */
static ScalrConfig *
engine_config (void)
{
  ScalrConfig *c = scalr_config_new ();
  g_assert_true (scalr_config_set (c, "downstream", "enabled", "false", NULL));
  return c;
}

static gint64
run_config (Fixture *f, ScalrConfig *c, guint threads, GError **error)
{
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (f->db, c, "test");
  scalr_pipeline_set_threads (p, threads);
  gint64 id = 0;
  scalr_pipeline_run (p, NULL, NULL, &id, error);
  return id;
}

static void
test_default_run (Fixture *f, gconstpointer data)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  gint64 id = run_config (f, c, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_autoptr (ScalrRunInfo) r = get_run (f, id);
  g_assert_cmpint (r->status, ==, SCALR_RUN_FINISHED);
  g_assert_cmpuint (r->seed, ==, 42);
  /* The stored config is the fully resolved one: it parses back to the same text. */
  g_autoptr (ScalrConfig) back = scalr_config_new_from_data (r->config, -1, "stored", &error);
  g_assert_no_error (error);
  g_autofree char *t1 = scalr_config_to_data (c), *t2 = scalr_config_to_data (back);
  g_assert_cmpstr (t1, ==, t2);

  g_autoptr (ScalrSyntheticEvents) ev = get_synthetic (f, id);
  g_assert_cmpuint (ev->n, >, 1000);
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_autoptr (GBytes) diag = scalr_store_load_artifact (s, id, "diagnostics", "synthetic", &error);
  g_assert_no_error (error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (diag, NULL), (gssize) g_bytes_get_size (diag), NULL));
  g_autoptr (ScalrDiagnostics) dg = scalr_diagnostics_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dg->events, ==, ev->n);
  g_assert_cmpuint (dg->draws, ==, ev->draws);
  g_assert_cmpfloat (dg->temperature, >, 0.0);
  g_assert_cmpuint (dg->n_calibration, ==, SCALR_CALIBRATION_BINS);

  /* Every stage left a timing. */
  g_autoptr (GPtrArray) stages = NULL;
  g_autoptr (GArray) secs = NULL;
  g_assert_true (scalr_store_load_timings (s, id, &stages, &secs, &error));
  /* load split generator calibration sampler diagnostics store downstream results */
  g_assert_cmpuint (stages->len, ==, 9);
  g_assert_cmpstr (g_ptr_array_index (stages, 0), ==, "load");
  g_assert_cmpstr (g_ptr_array_index (stages, 8), ==, "results");

  /* Metrics: 5 models × 2 variants × 3 segments × (6 metrics × 3 K + NE + AUC). Lifts, one
   * row per comparison, per segment × (5 rank metrics × 3 K + NE + AUC): 5 against the own
   * baseline (one of them, the strongest model's, also the strongest) and 4 against the
   * strongest baseline. */
  g_autoptr (GArray) metrics = scalr_store_load_metrics (s, id, &error);
  g_autoptr (GArray) lifts = scalr_store_load_lifts (s, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (metrics->len, ==, 5 * 2 * 3 * (6 * 3 + 2));
  g_assert_cmpuint (lifts->len, ==, (5 + 4) * 3 * (5 * 3 + 2));
  guint n_also = 0, n_strongest = 0;
  for (guint k = 0; k < lifts->len; k++)
    {
      const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, k);
      if (l->also_strongest)
        {
          g_assert_cmpstr (l->reference, ==, "own");
          g_assert_cmpstr (l->baseline_model, ==, l->model);
          g_assert_true (scalr_lift_row_is_reference (l, "strongest"));
          n_also++;
        }
      if (g_strcmp0 (l->reference, "strongest") == 0)
        {
          g_assert_cmpstr (l->baseline_model, !=, l->model);   /* else it would be the own row */
          n_strongest++;
        }
      g_assert_cmpfloat (l->level, ==, 0.95);
    }
  g_assert_cmpuint (n_also, ==, 3 * (5 * 3 + 2));
  g_assert_cmpuint (n_strongest, ==, 4 * 3 * (5 * 3 + 2));
  for (guint k = 0; k < lifts->len; k++)
    {
      const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, k);
      /* A lift has its interval around it and p-values in [0, 1], Holm never below the raw p. */
      if (isfinite (l->lift) && isfinite (l->ci_low))
        {
          g_assert_cmpfloat (l->ci_low, <=, l->lift + 1e-9);
          g_assert_cmpfloat (l->ci_high, >=, l->lift - 1e-9);
        }
      if (isfinite (l->p_holm))
        g_assert_cmpfloat (l->p_holm, >=, l->p_wilcoxon - 1e-12);
      g_assert_cmpfloat (l->n_users, >, 0);
    }

  /* No synthetic pair is in its user's training set (exclude_seen = true), and the
   * rebuilt split is the stored one. */
  g_autoptr (ScalrDomains) domains = NULL;
  g_autoptr (ScalrSplit) split = NULL;
  g_assert_true (scalr_pipeline_rebuild_split (s, back, &domains, &split, &error));
  g_autoptr (GBytes) assign = scalr_store_load_artifact (s, id, "split", "assignment", &error);
  g_assert_cmpmem (g_bytes_get_data (assign, NULL), g_bytes_get_size (assign),
                   scalr_split_get_assignment (split), scalr_domains_get_target (domains)->matrix->nnz);
  const ScalrCsr *train = scalr_split_get_train (split);
  for (guint64 k = 0; k < ev->n; k++)
    for (guint64 t = train->indptr[ev->user[k]]; t < train->indptr[ev->user[k] + 1]; t++)
      g_assert_cmpuint (train->indices[t], !=, ev->item[k]);
  g_assert_true (scalr_synthetic_events_is_valid (ev, scalr_split_get_n_users (split), scalr_split_get_n_target_items (split)));
  g_clear_pointer (&split, scalr_split_free);
}

static void
test_deterministic (Fixture *f, gconstpointer data)
{
  g_autoptr (ScalrConfig) c = engine_config ();
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_config_set (c, "sampler", "strategy", "per_user", &error));
  gint64 a = run_config (f, c, 1, &error);
  gint64 b = run_config (f, c, 3, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrSyntheticEvents) ea = get_synthetic (f, a);
  g_autoptr (ScalrSyntheticEvents) eb = get_synthetic (f, b);
  g_assert_cmpuint (ea->n, ==, eb->n);
  g_assert_cmpmem (ea->user, ea->n * 4, eb->user, eb->n * 4);
  g_assert_cmpmem (ea->item, ea->n * 4, eb->item, eb->n * 4);
  g_assert_cmpmem (ea->weight, ea->n * 4, eb->weight, eb->n * 4);
  g_assert_true (scalr_config_set (c, "sampler", "seed", "7", &error));
  gint64 d = run_config (f, c, 1, &error);
  g_autoptr (ScalrSyntheticEvents) ed = get_synthetic (f, d);
  g_assert_true (ed->n != ea->n || memcmp (ea->item, ed->item, ea->n * 4) != 0);
}

static void
cancel_at_sampler (const char *stage, double fraction, const char *message, gpointer data)
{
  if (g_strcmp0 (stage, "sampler") == 0)
    g_cancellable_cancel (data);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (ScalrConfig) c = engine_config ();
  g_autoptr (GError) error = NULL;
  gint64 done = run_config (f, c, 1, &error);
  g_assert_no_error (error);

  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (ScalrProgress) progress = scalr_progress_new (cancel_at_sampler, cancel, NULL);
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (f->db, c, "to cancel");
  gint64 id = 0;
  g_assert_false (scalr_pipeline_run (p, progress, cancel, &id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (id, >, done);
  g_autoptr (ScalrRunInfo) r = get_run (f, id);
  g_assert_cmpint (r->status, ==, SCALR_RUN_CANCELLED);
  g_assert_cmpstr (r->error, ==, "cancelled by the user");
  /* The run finished before is intact. */
  g_autoptr (ScalrRunInfo) before = get_run (f, done);
  g_assert_cmpint (before->status, ==, SCALR_RUN_FINISHED);
  g_autoptr (ScalrSyntheticEvents) ev = get_synthetic (f, done);
  g_assert_cmpuint (ev->n, >, 0);
  g_autoptr (ScalrSyntheticEvents) none = get_synthetic (f, id);
  g_assert_cmpuint (none->n, ==, 0);
}

static void
test_failures (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* No such dataset: no run is created. */
  g_autoptr (ScalrConfig) c = engine_config ();
  g_assert_true (scalr_config_set (c, "dataset", "name", "nope", &error));
  gint64 id = run_config (f, c, 1, &error);
  g_assert_cmpint (id, ==, 0);
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND, "'nope'");
  g_clear_error (&error);

  /* Domains that select nothing: the run exists and is marked failed with the message. */
  g_autoptr (ScalrConfig) c2 = engine_config ();
  g_assert_true (scalr_config_set (c2, "dataset", "source", "category:Comedy,!Comedy", &error));
  id = run_config (f, c2, 1, &error);
  g_assert_cmpint (id, >, 0);
  test_assert_error_contains (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_EMPTY, "selects no events");
  g_autoptr (ScalrRunInfo) r = get_run (f, id);
  g_assert_cmpint (r->status, ==, SCALR_RUN_FAILED);
  g_assert_nonnull (strstr (r->error, "selects no events"));
  g_clear_error (&error);

  /* A split nobody can be tested on. */
  g_autoptr (ScalrConfig) c3 = engine_config ();
  g_assert_true (scalr_config_set (c3, "split", "min_target_events", "100000", &error));
  id = run_config (f, c3, 1, &error);
  g_assert_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_NO_TEST);
  g_autoptr (ScalrRunInfo) r3 = get_run (f, id);
  g_assert_cmpint (r3->status, ==, SCALR_RUN_FAILED);
}

static void
test_alignment (Fixture *f, gconstpointer data)
{
  g_autoptr (ScalrConfig) c = engine_config ();
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_config_set (c, "sampler", "align", "popularity", &error));
  gint64 id = run_config (f, c, 2, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_autoptr (GBytes) before = scalr_store_load_artifact (s, id, "diagnostics", "before-alignment", &error);
  g_autoptr (GBytes) after = scalr_store_load_artifact (s, id, "diagnostics", "synthetic", &error);
  g_assert_no_error (error);
  g_autoptr (JsonParser) p1 = json_parser_new (), p2 = json_parser_new ();
  json_parser_load_from_data (p1, g_bytes_get_data (before, NULL), (gssize) g_bytes_get_size (before), NULL);
  json_parser_load_from_data (p2, g_bytes_get_data (after, NULL), (gssize) g_bytes_get_size (after), NULL);
  g_autoptr (ScalrDiagnostics) d1 = scalr_diagnostics_from_json (json_parser_get_root (p1), &error);
  g_autoptr (ScalrDiagnostics) d2 = scalr_diagnostics_from_json (json_parser_get_root (p2), &error);
  g_assert_no_error (error);
  /* Alignment matches the bucket shares (downsampling can only remove events). */
  g_assert_cmpfloat (d2->bucket_jsd, <, d1->bucket_jsd / 10.0);
  g_assert_cmpuint (d2->events, <, d1->events);
}

/* A run stored before validation users existed (its config has no valid_users, its split the
 * older per-user validation events): migration 4 → 5 writes valid_users=0 into its config,
 * so that the split rebuilt from it is the stored one. */
static void
test_old_run_migration (Fixture *f, gconstpointer data)
{
  g_autoptr (ScalrConfig) c = engine_config ();
  g_assert_true (scalr_config_set (c, "split", "valid_users", "0", NULL));
  g_assert_true (scalr_config_set (c, "split", "valid_fraction", "0.1", NULL));
  g_autoptr (GError) error = NULL;
  gint64 id = run_config (f, c, 1, &error);
  g_assert_no_error (error);
  /* Make it a version-4 store whose run's config predates the key. */
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  char *err = NULL;
  int rc = sqlite3_exec (db, "UPDATE runs SET config = replace (config, 'valid_users=0' || char (10), ''); "
                             "DROP TABLE run_checksums; DROP INDEX runs_group; ALTER TABLE runs DROP COLUMN trashed_at; "
                             "ALTER TABLE runs DROP COLUMN tags; ALTER TABLE runs DROP COLUMN note; "
                             "ALTER TABLE runs DROP COLUMN group_id; DROP TABLE run_groups; "
                             "PRAGMA user_version = 4;", NULL, NULL, &err);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_close (db);
  {
    g_autoptr (ScalrRunInfo) r = get_run (f, id);   /* opens (and migrates) the store */
    g_assert_nonnull (strstr (r->config, "[split]\nvalid_users=0\n"));
    g_autoptr (ScalrConfig) back = scalr_config_new_from_data (r->config, -1, "stored", &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (scalr_config_get_double (back, "split", "valid_users"), ==, 0.0);
    g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
    g_assert_cmpint (scalr_store_get_schema_version (s), ==, SCALR_STORE_SCHEMA_VERSION);
    g_autoptr (ScalrDomains) domains = NULL;
    g_autoptr (ScalrSplit) split = NULL;
    g_assert_true (scalr_pipeline_rebuild_split (s, back, &domains, &split, &error));
    g_autoptr (GBytes) assign = scalr_store_load_artifact (s, id, "split", "assignment", &error);
    g_assert_cmpmem (g_bytes_get_data (assign, NULL), g_bytes_get_size (assign),
                     scalr_split_get_assignment (split), scalr_domains_get_target (domains)->matrix->nnz);
    g_clear_pointer (&split, scalr_split_free);
  }
  /* Without the migration the default (0.25) would have made another split. */
  g_autoptr (ScalrConfig) now = engine_config ();
  g_assert_true (scalr_config_set (now, "split", "valid_fraction", "0", NULL));
  g_assert_cmpfloat (scalr_config_get_double (now, "split", "valid_users"), ==, 0.25);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/scalr/pipeline/default-run", test_default_run);
  ADD ("/scalr/pipeline/deterministic", test_deterministic);
  ADD ("/scalr/pipeline/cancel", test_cancel);
  ADD ("/scalr/pipeline/failures", test_failures);
  ADD ("/scalr/pipeline/alignment", test_alignment);
  ADD ("/scalr/pipeline/old-run-migration", test_old_run_migration);
  return g_test_run ();
}
