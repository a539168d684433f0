/* test-ui.c — the workbench window under a real display (Xvfb in the test script).
 *
 * Opens the window on a temporary store, imports MovieLens through the Datasets page's
 * import code path, runs a small experiment through win.run (the Runs page), reviews it,
 * and cancels a second run. Waits iterate the default main context with a time limit, so
 * the GUI's worker threads and idle sources run as in the application. Every test is
 * skipped, with the reason, when no display can be opened. */
#include "config.h"

#include "scalr-registry.h"

#include <adwaita.h>

#include "test-util.h"

#include "scalr-compare-page.h"
#include "scalr-configure-page.h"
#include "scalr-pipeline.h"
#include "scalr-datasets-page.h"
#include "scalr-explore-page.h"
#include "scalr-run-item.h"
#include "scalr-runs-page.h"
#include "scalr-store.h"
#include "scalr-window.h"
#if __has_include("scalr-review-page.h")
#include "scalr-review-page.h"
#define HAVE_REVIEW_PAGE 1
#endif

static char *display_error;   /* why there is no display, or NULL */

typedef struct {
  char        *dir;
  char        *db;
  ScalrWindow *win;
  char        *export_path;   /* borrowed, for exports_written */
  gboolean     destroyed;     /* the window closed itself (quitting) */
} Fixture;

typedef gboolean (*Cond) (Fixture *f);

/* Iterates the main context until @cond holds or @seconds pass; returns whether it held. */
static gboolean
wait_for (Fixture *f, Cond cond, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  while (!cond (f))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  if (display_error)
    return;
  f->dir = test_tmpdir_new ();
  f->db = g_build_filename (f->dir, "store.db", NULL);
  f->win = scalr_window_new (NULL, f->db, NULL);
  g_object_ref_sink (f->win);
  gtk_window_present (GTK_WINDOW (f->win));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (display_error)
    return;
  /* libadwaita 1.2 frees a toast whose show animation is still running when its overlay goes
   * (the animation's "done" then touches freed memory): let the last toast finish showing. */
  for (int k = 0; !f->destroyed && k < 40; k++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  if (!f->destroyed)
    gtk_window_destroy (GTK_WINDOW (f->win));
  /* Let cancelled workers finish and their callbacks run before the files go. */
  for (int k = 0; k < 50; k++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  g_object_unref (f->win);
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { if (display_error) { g_test_skip (display_error); return; } } G_STMT_END

static ScalrDatasetsPage *
datasets_page (Fixture *f)
{
  return SCALR_DATASETS_PAGE (scalr_window_get_datasets_page (f->win));
}

static ScalrRunsPage *
runs_page (Fixture *f)
{
  return SCALR_RUNS_PAGE (scalr_window_get_runs_page (f->win));
}

static ScalrConfigurePage *
configure_page (Fixture *f)
{
  return SCALR_CONFIGURE_PAGE (scalr_window_get_configure_page (f->win));
}

static gboolean
window_loaded (Fixture *f)
{
  return scalr_window_is_loaded (f->win);
}

static gboolean
movielens_shown (Fixture *f)
{
  return !scalr_datasets_page_is_busy (datasets_page (f))
         && scalr_datasets_page_get_n_datasets (datasets_page (f)) == 1
         && scalr_datasets_page_get_shown_events (datasets_page (f)) > 0;
}

static gboolean
error_shown (Fixture *f)
{
  return scalr_window_get_error (f->win) != NULL && !scalr_datasets_page_is_busy (datasets_page (f));
}

static gboolean
run_done (Fixture *f)
{
  return !scalr_runs_page_is_running (runs_page (f)) && !scalr_runs_page_is_refreshing (runs_page (f));
}

/* win.run estimated the run's cost and started it. */
static gboolean
run_started (Fixture *f)
{
  return !scalr_window_is_starting (f->win) && scalr_runs_page_is_running (runs_page (f));
}

static gboolean
compare_written (Fixture *f)
{
  return !scalr_compare_page_is_writing (SCALR_COMPARE_PAGE (scalr_window_get_compare_page (f->win)));
}

static gboolean
run_stopped (Fixture *f)
{
  return !scalr_runs_page_is_running (runs_page (f));
}

static gboolean
exports_written (Fixture *f)
{
  g_assert_true (g_str_has_suffix (f->export_path, ".tsv"));
  g_autofree char *metrics = g_strdup_printf ("%.*s-metrics.tsv", (int) (strlen (f->export_path) - 4), f->export_path);
  return g_file_test (f->export_path, G_FILE_TEST_EXISTS) && g_file_test (metrics, G_FILE_TEST_EXISTS);
}

#ifdef HAVE_REVIEW_PAGE
static gboolean
review_loaded (Fixture *f)
{
  return scalr_review_page_is_loaded (SCALR_REVIEW_PAGE (scalr_window_get_review_page (f->win)));
}
#endif

static ScalrRunItem *
find_run (Fixture *f, gint64 id)
{
  GListModel *m = scalr_runs_page_get_model (runs_page (f));
  for (guint k = 0; k < g_list_model_get_n_items (m); k++)
    {
      ScalrRunItem *item = g_list_model_get_item (m, k);
      if (scalr_run_item_get_id (item) == id)
        return item;
      g_object_unref (item);
    }
  return NULL;
}

static void
import_movielens (Fixture *f)
{
  g_autofree char *events = test_movielens_path ("ratings.tsv");
  g_autofree char *items = test_movielens_path ("movies.tsv");
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("movielens-small");
  scalr_import_options_add_events (o, events, NULL);
  o->items_path = g_strdup (items);
  g_assert_true (scalr_datasets_page_import (datasets_page (f), o));
  g_assert_true (wait_for (f, movielens_shown, 30));
}

static void find_wide (GtkWidget *w, int limit, GString *out, guint depth);

/* Every page fits a window @width pixels wide: the window's minimum width (the leaflet
 * folded when it must) is at most @width. On failure, says which widgets force the width. */
static void
assert_pages_fit (Fixture *f, int width)
{
  const char *pages[] = { "datasets", "configure", "runs", "review", "compare", "explore" };
  for (guint k = 0; k < G_N_ELEMENTS (pages); k++)
    {
      scalr_window_show_page (f->win, pages[k]);
      for (int i = 0; i < 20; i++)
        g_main_context_iteration (NULL, FALSE);
      int min = 0, nat = 0;
      gtk_widget_measure (GTK_WIDGET (f->win), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      g_test_message ("page %s: window minimum width %d px (natural %d)", pages[k], min, nat);
      if (min > width)
        {
          g_autoptr (GString) wide = g_string_new (NULL);
          find_wide (GTK_WIDGET (f->win), width - 200, wide, 0);
          g_error ("page %s: the window's minimum width is %d px, more than %d:\n%s", pages[k], min, width, wide->str);
        }
    }
}

/* The window opens on an empty store: the Datasets page says what to do, no runs. */
static void
test_window_empty (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (wait_for (f, window_loaded, 10));
  g_assert_cmpstr (scalr_window_get_visible_page (f->win), ==, "datasets");
  g_assert_cmpuint (scalr_datasets_page_get_n_datasets (datasets_page (f)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (scalr_runs_page_get_model (runs_page (f))), ==, 0);
  g_assert_cmpstr (scalr_window_get_error (f->win), ==, NULL);
  g_assert_true (g_file_test (f->db, G_FILE_TEST_EXISTS));
  /* Every page fits half a 1920-px screen (and so 1024 px). */
  assert_pages_fit (f, 960);
  /* Every page is reachable. */
  const char *pages[] = { "configure", "runs", "review", "compare", "explore", "datasets" };
  for (guint k = 0; k < G_N_ELEMENTS (pages); k++)
    {
      scalr_window_show_page (f->win, pages[k]);
      g_assert_cmpstr (scalr_window_get_visible_page (f->win), ==, pages[k]);
    }
  /* Nothing to act on: without a dataset Run is insensitive, without a finished run Export. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->win), "run"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->win), "export"));
  /* A run started anyway (without the action) fails with a message in the banner. */
  g_autoptr (ScalrConfig) c = scalr_configure_page_dup_config (configure_page (f));
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_runs_page_start_run (runs_page (f), c, NULL, &error));
  g_assert_true (wait_for (f, run_done, 20));
  g_assert_nonnull (scalr_window_get_error (f->win));
  g_assert_nonnull (strstr (scalr_window_get_error (f->win), "movielens-small"));
}

/* Walks @w's tree for an AdwPreferencesRow titled @title. */
static GtkWidget *
find_row (GtkWidget *w, const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (w) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), title) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *r = find_row (c, title);
      if (r)
        return r;
    }
  return NULL;
}

static GtkWidget *
find_editable (GtkWidget *w)
{
  if (GTK_IS_ENTRY (w) || GTK_IS_SPIN_BUTTON (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *r = find_editable (c);
      if (r)
        return r;
    }
  return NULL;
}

/* The forms come from the parameter tables, check as you type, follow the model, and
 * presets fill them. */
static void
test_configure (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  ScalrConfigurePage *cp = configure_page (f);
  GtkWidget *page = GTK_WIDGET (cp);
  GtkWidget *row = find_row (page, "Test fraction");
  g_assert_nonnull (row);
  GtkWidget *entry = find_editable (row);
  g_assert_nonnull (entry);
  g_assert_null (scalr_configure_page_get_error (cp));
  gtk_editable_set_text (GTK_EDITABLE (entry), "2");
  g_assert_nonnull (scalr_configure_page_get_error (cp));
  g_assert_nonnull (strstr (scalr_configure_page_get_error (cp), "test_fraction"));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "test_fraction"));
  /* The config keeps the last valid value. */
  g_autoptr (ScalrConfig) c1 = scalr_configure_page_dup_config (cp);
  g_assert_cmpfloat (scalr_config_get_double (c1, "split", "test_fraction"), ==, 0.2);
  gtk_editable_set_text (GTK_EDITABLE (entry), "0.25");
  g_assert_null (scalr_configure_page_get_error (cp));
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_autoptr (ScalrConfig) c2 = scalr_configure_page_dup_config (cp);
  g_assert_cmpfloat (scalr_config_get_double (c2, "split", "test_fraction"), ==, 0.25);

  /* Model-specific parameters follow the model. */
  GtkWidget *smoothing = find_row (page, "Smoothing"), *l2 = find_row (page, "L2");
  GtkWidget *ials = find_row (page, "iALS: factors");
  g_assert_true (smoothing && l2 && ials);
  g_assert_true (gtk_widget_get_visible (smoothing));
  g_assert_false (gtk_widget_get_visible (l2));
  g_assert_true (scalr_configure_page_set_value (cp, "generator", "model", "ridge", NULL));
  g_assert_false (gtk_widget_get_visible (smoothing));
  g_assert_true (gtk_widget_get_visible (l2));
  g_assert_true (gtk_widget_get_visible (ials));
  g_assert_true (scalr_configure_page_set_value (cp, "downstream", "models", "pop,ease", NULL));
  g_assert_false (gtk_widget_get_visible (ials));

  /* Presets keep the dataset group. */
  g_assert_true (scalr_configure_page_set_value (cp, "dataset", "target", "category:Drama", NULL));
  g_assert_true (scalr_configure_page_apply_preset (cp, "top1-ablation", NULL));
  g_autoptr (ScalrConfig) c3 = scalr_configure_page_dup_config (cp);
  g_assert_cmpstr (scalr_config_get (c3, "sampler", "strategy"), ==, "topk");
  g_assert_cmpint (scalr_config_get_int (c3, "sampler", "k"), ==, 1);
  g_assert_cmpstr (scalr_config_get (c3, "generator", "model"), ==, "cooc");
  g_assert_cmpstr (scalr_config_get (c3, "dataset", "target"), ==, "category:Drama");
  g_assert_cmpfloat (scalr_config_get_double (c3, "split", "test_fraction"), ==, 0.2);
  g_assert_true (scalr_configure_page_apply_preset (cp, "quick-demo", NULL));
  g_autoptr (ScalrConfig) c4 = scalr_configure_page_dup_config (cp);
  g_assert_cmpstr (scalr_config_get (c4, "downstream", "models"), ==, "pop,ease");
  g_assert_cmpint (scalr_config_get_int (c4, "eval", "bootstrap"), ==, 200);
  g_assert_cmpstr (scalr_config_get (c4, "sampler", "strategy"), ==, "per_event");

  /* Save and load round-trip; a bad file is an error naming the file, nothing changes. */
  g_autofree char *path = g_build_filename (f->dir, "saved.ini", NULL);
  g_assert_true (scalr_configure_page_save_file (cp, path, NULL));
  g_assert_true (scalr_configure_page_apply_preset (cp, "defaults", NULL));
  g_assert_true (scalr_configure_page_load_file (cp, path, NULL));
  g_autoptr (ScalrConfig) c5 = scalr_configure_page_dup_config (cp);
  g_assert_cmpint (scalr_config_get_int (c5, "eval", "bootstrap"), ==, 200);
  g_autofree char *bad = test_write_file (f->dir, "bad.ini", "[eval]\nbootstrap = -3\n", -1);
  g_autoptr (GError) error = NULL;
  g_assert_false (scalr_configure_page_load_file (cp, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad.ini"));
  g_autoptr (ScalrConfig) c6 = scalr_configure_page_dup_config (cp);
  g_assert_cmpint (scalr_config_get_int (c6, "eval", "bootstrap"), ==, 200);
}

/* Import (and a failing import), a small run, its review, and a cancelled run. */
static void
test_import_run_cancel (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (wait_for (f, window_loaded, 10));
  import_movielens (f);
  g_assert_cmpstr (scalr_datasets_page_get_selected (datasets_page (f)), ==, "movielens-small");
  g_assert_cmpuint (scalr_datasets_page_get_shown_events (datasets_page (f)), ==, 100004);
  g_assert_cmpstr (scalr_datasets_page_get_events_text (datasets_page (f)), ==, "100,004");
  g_assert_cmpstr (scalr_window_get_error (f->win), ==, NULL);

  /* A taken name is caught in the form, in the workbench's words. */
  g_autofree char *taken = scalr_datasets_page_dup_name_problem (datasets_page (f), "movielens-small");
  g_assert_nonnull (strstr (taken, "already has a dataset named ‘movielens-small’"));
  g_assert_null (strstr (taken, "scalr"));
  g_autofree char *free_name = scalr_datasets_page_dup_name_problem (datasets_page (f), "another");
  g_assert_null (free_name);
  /* A bad line stops the import with the file and line in the banner; nothing is added. */
  g_autofree char *bad = test_write_file (f->dir, "bad.tsv", "user\titem\trating\n1\t2\t4\n1\t3\tfour\n", -1);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("bad");
  scalr_import_options_add_events (o, bad, NULL);
  g_assert_true (scalr_datasets_page_import (datasets_page (f), o));
  g_assert_true (wait_for (f, error_shown, 20));
  g_assert_nonnull (strstr (scalr_window_get_error (f->win), "bad.tsv:3"));
  {
    g_autoptr (ScalrStore) store = scalr_store_open (f->db, SCALR_STORE_OPEN_DEFAULT, NULL);
    g_autoptr (GPtrArray) list = scalr_store_list_datasets (store, NULL);
    g_assert_cmpuint (list->len, ==, 1);
  }

  /* A small run through win.run: the quick demo with popularity only. */
  ScalrConfigurePage *cp = configure_page (f);
  g_assert_true (scalr_configure_page_apply_preset (cp, "quick-demo", NULL));
  g_assert_true (scalr_configure_page_set_value (cp, "downstream", "models", "pop", NULL));
  g_assert_true (scalr_configure_page_set_value (cp, "eval", "bootstrap", "50", NULL));
  g_action_group_activate_action (G_ACTION_GROUP (f->win), "run", NULL);
  g_assert_true (wait_for (f, run_started, 10));
  g_assert_cmpstr (scalr_window_get_visible_page (f->win), ==, "runs");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->win), "run"));
  g_assert_true (wait_for (f, run_done, 40));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->win), "run"));
  gint64 id = scalr_runs_page_get_current_run_id (runs_page (f));
  g_assert_cmpint (id, >, 0);
  g_autoptr (ScalrRunItem) item = find_run (f, id);
  g_assert_nonnull (item);
  g_assert_cmpint (scalr_run_item_get_status (item), ==, SCALR_RUN_FINISHED);
  g_assert_cmpstr (scalr_run_item_get_dataset (item), ==, "movielens-small");
  g_assert_cmpstr (scalr_run_item_get_generator (item), ==, "cooc");
  g_assert_cmpstr (scalr_run_item_get_lift_text (item), !=, "–");
  g_assert_nonnull (strstr (scalr_run_item_get_lift_text (item), "pop"));

  /* Export (what Ctrl+E does after its file chooser): synthetic events with the original
   * ids, and the metrics beside them. */
  g_autofree char *export_path = g_build_filename (f->dir, "run-synthetic.tsv", NULL);
  f->export_path = export_path;
  scalr_runs_page_export_run (runs_page (f), id, export_path);
  g_assert_true (wait_for (f, exports_written, 20));
  g_autofree char *exported = NULL;
  g_assert_true (g_file_get_contents (export_path, &exported, NULL, NULL));
  g_assert_true (g_str_has_prefix (exported, "user\titem\tprobability\tweight\tcount\n"));
  g_assert_cmpuint (strlen (exported), >, 1000);
  /* One implementation: the files are byte for byte what `scalr export` writes. */
  g_autofree char *gui_metrics_path = g_build_filename (f->dir, "run-synthetic-metrics.tsv", NULL);
  g_autofree char *gui_metrics = NULL;
  g_assert_true (g_file_get_contents (gui_metrics_path, &gui_metrics, NULL, NULL));
  g_assert_true (g_str_has_prefix (gui_metrics, "model\tvariant\tsegment\tmetric\tk\tvalue\tn_users\n"));
  g_autofree char *cli_syn = g_build_filename (f->dir, "cli-synthetic.tsv", NULL);
  g_autofree char *cli_met = g_build_filename (f->dir, "cli-metrics.tsv", NULL);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *argv[] = { g_getenv ("SCALR_CLI"), "export", "--db", f->db, id_text, "--synthetic", cli_syn,
                         "--metrics", cli_met, NULL };
  int status = -1;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *cli_syn_text = NULL, *cli_met_text = NULL;
  g_assert_true (g_file_get_contents (cli_syn, &cli_syn_text, NULL, NULL));
  g_assert_true (g_file_get_contents (cli_met, &cli_met_text, NULL, NULL));
  g_assert_cmpstr (exported, ==, cli_syn_text);
  g_assert_cmpstr (gui_metrics, ==, cli_met_text);

#ifdef HAVE_REVIEW_PAGE
  scalr_window_show_run (f->win, id);
  g_assert_cmpstr (scalr_window_get_visible_page (f->win), ==, "review");
  g_assert_true (wait_for (f, review_loaded, 20));
  g_assert_cmpuint (scalr_review_page_get_n_charts (SCALR_REVIEW_PAGE (scalr_window_get_review_page (f->win))), >=, 4);
  /* With a run to show, every page still fits half a 1920-px screen. */
  assert_pages_fit (f, 960);
#else
  g_test_message ("the Review page is not built: its charts are not checked");
#endif

  /* Cancel a run right after it starts: it stops within a second or two and the store
   * marks it cancelled. */
  g_action_group_activate_action (G_ACTION_GROUP (f->win), "run", NULL);
  g_assert_true (wait_for (f, run_started, 10));
  gint64 t0 = g_get_monotonic_time ();
  scalr_runs_page_cancel (runs_page (f));
  g_assert_true (wait_for (f, run_stopped, 20));
  double took = (g_get_monotonic_time () - t0) / 1e6;
  g_test_message ("the cancelled run stopped after %.3f s", took);
  g_assert_cmpfloat (took, <, 2.0);
  g_assert_true (wait_for (f, run_done, 20));
  gint64 id2 = scalr_runs_page_get_current_run_id (runs_page (f));
  g_assert_cmpint (id2, >, id);
  g_autoptr (ScalrStore) store = scalr_store_open (f->db, SCALR_STORE_OPEN_DEFAULT, NULL);
  g_autoptr (ScalrRunInfo) info = scalr_store_load_run (store, id2, NULL);
  g_assert_nonnull (info);
  g_assert_cmpint (info->status, ==, SCALR_RUN_CANCELLED);
  g_autoptr (ScalrRunItem) item2 = find_run (f, id2);
  g_assert_nonnull (item2);
  g_assert_cmpint (scalr_run_item_get_status (item2), ==, SCALR_RUN_CANCELLED);
  g_assert_cmpstr (scalr_run_item_get_lift_text (item2), ==, "–");
}

/* ---- many runs: Compare, the lift table, run management, quitting ------------------- */

/* Runs @config with @name in group @group (0: none) through the core pipeline, as a sweep
 * point of the GUI or the CLI would; returns the run id. */
static gint64
run_config (Fixture *f, const char *const *sets, const char *name, gint64 group, ScalrPipelineCache *cache)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  const char *quick[] = { "downstream.models=pop", "eval.bootstrap=20", "eval.k=10,20", NULL };
  for (guint i = 0; quick[i]; i++)
    g_assert_true (scalr_config_set_assignment (c, quick[i], &error));
  for (guint i = 0; sets && sets[i]; i++)
    g_assert_true (scalr_config_set_assignment (c, sets[i], &error));
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (f->db, c, name);
  scalr_pipeline_set_group (p, group);
  if (cache)
    scalr_pipeline_set_cache (p, cache);
  gint64 id = 0;
  g_assert_true (scalr_pipeline_run (p, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

typedef struct {
  gint64 sweep[3], other, group;
} ManyRuns;

/* A sweep over sampler.samples_per_event (0, 1, 2), stored as a group, and one more run
 * that differs from the sweep's point 1 in the generator too. */
static void
make_many_runs (Fixture *f, ManyRuns *m)
{
  import_movielens (f);
  g_autoptr (ScalrStore) store = scalr_store_open (f->db, 0, NULL);
  g_assert_true (scalr_store_create_group (store, SCALR_GROUP_SWEEP, NULL, "sampler.samples_per_event", &m->group, NULL));
  g_autoptr (ScalrPipelineCache) cache = scalr_pipeline_cache_new ();
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *set = g_strdup_printf ("sampler.samples_per_event=%u", i);
      const char *sets[] = { set, NULL };
      m->sweep[i] = run_config (f, sets, set, m->group, cache);
    }
  const char *other[] = { "sampler.samples_per_event=1", "generator.model=popularity", NULL };
  m->other = run_config (f, other, "the popularity control", 0, NULL);
}

static ScalrComparePage *
compare_page (Fixture *f)
{
  return SCALR_COMPARE_PAGE (scalr_window_get_compare_page (f->win));
}

static gboolean
compare_loaded (Fixture *f)
{
  return scalr_compare_page_is_loaded (compare_page (f));
}

static gboolean
connected_exactly (GArray *got, const gint64 *want, guint n)
{
  if (got->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < got->len && !found; j++)
        found = g_array_index (got, gint64, j) == want[i];
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* Compare joins only runs that differ in the swept key: the sweep's three runs are on a
 * line, the run that also changes the generator is not. */
static void
test_compare_connects (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (wait_for (f, window_loaded, 10));
  ManyRuns m;
  make_many_runs (f, &m);
  ScalrComparePage *cp = compare_page (f);
  scalr_window_refresh_runs (f->win);
  scalr_window_show_page (f->win, "compare");
  g_assert_true (wait_for (f, compare_loaded, 30));
  /* The latest group is preselected: the sweep (the other run is in no group). */
  g_assert_cmpint (scalr_compare_page_get_group (cp), ==, m.group);
  g_assert_cmpstr (scalr_compare_page_get_key (cp), ==, "sampler.samples_per_event");
  g_autoptr (GArray) c1 = scalr_compare_page_dup_connected (cp);
  g_assert_true (connected_exactly (c1, m.sweep, 3));
  g_assert_cmpuint (scalr_compare_page_get_n_charts (cp), ==, 1);   /* one model: pop */

  /* All four picked by hand: the key that joins most runs is still samples_per_event, and
   * the popularity control (also a different generator) stands alone. */
  gint64 all[] = { m.sweep[0], m.sweep[1], m.sweep[2], m.other };
  scalr_compare_page_pick_runs (cp, all, 4);
  g_assert_cmpint (scalr_compare_page_get_group (cp), ==, 0);
  g_assert_cmpstr (scalr_compare_page_get_key (cp), ==, "sampler.samples_per_event");
  g_autoptr (GArray) c2 = scalr_compare_page_dup_connected (cp);
  g_assert_true (connected_exactly (c2, m.sweep, 3));
  /* Two runs that differ in two keys: nothing is joined. */
  gint64 two[] = { m.sweep[0], m.other };
  scalr_compare_page_pick_runs (cp, two, 2);
  g_autoptr (GArray) c3 = scalr_compare_page_dup_connected (cp);
  g_assert_cmpuint (c3->len, ==, 0);
  /* The comparison report. */
  g_autofree char *pdf = g_build_filename (f->dir, "compare.pdf", NULL);
  scalr_compare_page_pick_runs (cp, all, 4);
  scalr_compare_page_write_report (cp, pdf);
  g_assert_true (wait_for (f, compare_written, 30));
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (scalr_window_get_error (f->win), ==, NULL);
  /* With runs, groups and tables filled in, every page still fits half a 1920-px screen. */
  assert_pages_fit (f, 960);
}

static gboolean
review_idle (Fixture *f)
{
  ScalrReviewPage *rp = SCALR_REVIEW_PAGE (scalr_window_get_review_page (f->win));
  return scalr_review_page_is_loaded (rp) && !scalr_review_page_is_exporting (rp);
}

/* Runs the CLI; returns its exit status. */
static int
run_cli (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) (g_getenv ("SCALR_CLI") ? g_getenv ("SCALR_CLI") : "scalr"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  int wait = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                NULL, NULL, &wait, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (wait, NULL) ? 0 : 1;
}

static char *
read_file (const char *path)
{
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  return text;
}

/* The GUI's lift table export is `scalr export --lifts`, byte for byte (TSV and CSV), and
 * Copy puts lines of that same file on the clipboard. */
static void
test_lift_export (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (wait_for (f, window_loaded, 10));
  import_movielens (f);
  const char *sets[] = { "downstream.models=pop,itemknn", NULL };
  gint64 id = run_config (f, sets, "two models", 0, NULL);
  scalr_window_show_run (f->win, id);
  g_assert_true (wait_for (f, review_loaded, 20));
  ScalrReviewPage *rp = SCALR_REVIEW_PAGE (scalr_window_get_review_page (f->win));
  g_autofree char *run = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *exts[] = { "tsv", "csv" };
  for (guint e = 0; e < G_N_ELEMENTS (exts); e++)
    {
      g_autofree char *gui = g_strdup_printf ("%s/gui-lifts.%s", f->dir, exts[e]);
      g_autofree char *cli = g_strdup_printf ("%s/cli-lifts.%s", f->dir, exts[e]);
      scalr_review_page_export_lifts (rp, gui);
      g_assert_true (wait_for (f, review_idle, 20));
      const char *args[] = { "export", "--db", f->db, run, "--lifts", cli, NULL };
      g_assert_cmpint (run_cli (args), ==, 0);
      g_autofree char *a = read_file (gui), *b = read_file (cli);
      g_assert_cmpuint (strlen (a), >, 200);
      g_assert_cmpstr (a, ==, b);
    }
  /* Copy: the rows the selectors pick (sparse users, Recall@20 by default), each a line
   * of the export; the header the same. */
  g_autofree char *shown = scalr_review_page_dup_shown_lifts (rp);
  g_autofree char *cli = g_strdup_printf ("%s/cli-lifts.tsv", f->dir);
  g_autofree char *full = read_file (cli);
  g_auto (GStrv) lines = g_strsplit (shown, "\n", -1);
  /* header, 2 models × 2 references (an own row that is also the strongest once) */
  g_assert_cmpuint (g_strv_length (lines), >=, 4);
  g_assert_true (g_str_has_prefix (full, lines[0]));
  for (guint i = 1; lines[i] && lines[i][0]; i++)
    {
      for (guint j = 1; j < i; j++)
        g_assert_cmpstr (lines[i], !=, lines[j]);   /* no row twice */
      g_autofree char *needle = g_strdup_printf ("\n%s\n", lines[i]);
      g_assert_nonnull (strstr (full, needle));
      g_assert_nonnull (strstr (lines[i], "\tsparse\trecall\t20\t"));
    }
}

static gboolean
runs_listed (Fixture *f)
{
  return !scalr_runs_page_is_refreshing (runs_page (f));
}

/* Rename, tag and note a run; search finds it by each; delete it and undo. */
static void
test_manage_runs (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (wait_for (f, window_loaded, 10));
  import_movielens (f);
  gint64 a = run_config (f, NULL, NULL, 0, NULL);
  const char *sets[] = { "generator.model=popularity", NULL };
  gint64 b = run_config (f, sets, NULL, 0, NULL);
  ScalrRunsPage *rp = runs_page (f);
  scalr_runs_page_refresh (rp);
  g_assert_true (wait_for (f, runs_listed, 20));
  g_assert_cmpuint (g_list_model_get_n_items (scalr_runs_page_get_model (rp)), ==, 2);
  g_autoptr (ScalrRunItem) ia = find_run (f, a);
  /* Unnamed runs of the pipeline are named by the caller; the Runs page names its own. */
  g_assert_true (scalr_runs_page_edit_run (rp, a, "  cold start  ", "paper, cold", "τ from the paper"));
  g_assert_true (wait_for (f, runs_listed, 20));
  g_autoptr (ScalrRunItem) ia2 = find_run (f, a);
  g_assert_cmpstr (scalr_run_item_get_name (ia2), ==, "cold start");
  g_assert_cmpstr (scalr_run_item_get_info (ia2)->tags, ==, "paper,cold");
  g_assert_cmpstr (scalr_run_item_get_info (ia2)->note, ==, "τ from the paper");
  const char *queries[] = { "cold", "PAPER", "τ", "cold cooc" };
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      scalr_runs_page_set_search (rp, queries[q]);
      g_assert_cmpuint (g_list_model_get_n_items (scalr_runs_page_get_shown (rp)), ==, 1);
    }
  scalr_runs_page_set_search (rp, "popularity");
  g_assert_cmpuint (g_list_model_get_n_items (scalr_runs_page_get_shown (rp)), ==, 1);
  scalr_runs_page_set_search (rp, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (scalr_runs_page_get_shown (rp)), ==, 2);
  /* The headline is the honest one: sparse users, against the strongest baseline. */
  g_assert_nonnull (strstr (scalr_run_item_get_lift_detail (ia2), "strongest real-only model"));
  g_assert_nonnull (strstr (scalr_run_item_get_lift_detail (ia2), "sparse users"));

  /* Delete with Undo: gone from the list (kept in the store's trash), then back. */
  g_assert_true (scalr_runs_page_delete_run (rp, b));
  g_assert_true (wait_for (f, runs_listed, 20));
  g_autoptr (ScalrRunItem) gone = find_run (f, b);
  g_assert_null (gone);
  {
    g_autoptr (ScalrStore) store = scalr_store_open (f->db, 0, NULL);
    g_autoptr (ScalrRunInfo) trashed = scalr_store_load_run (store, b, NULL);
    g_assert_true (trashed->trashed);
  }
  scalr_runs_page_undo_delete (rp, b);
  g_assert_true (wait_for (f, runs_listed, 20));
  g_autoptr (ScalrRunItem) back = find_run (f, b);
  g_assert_nonnull (back);
  (void) ia;
}

/* gtk_window_destroy hides the window and drops GTK's reference (the fixture keeps one). */
static gboolean
window_gone (Fixture *f)
{
  f->destroyed = !gtk_widget_get_visible (GTK_WIDGET (f->win));
  return f->destroyed;
}

/* Closing the window while a run goes asks; choosing to quit cancels the run (the store
 * marks it cancelled) and then closes. Keep Running keeps it going. */
static void
test_quit_during_run (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (wait_for (f, window_loaded, 10));
  import_movielens (f);
  g_action_group_activate_action (G_ACTION_GROUP (f->win), "run", NULL);
  g_assert_true (wait_for (f, run_started, 10));
  gtk_window_close (GTK_WINDOW (f->win));
  GtkWidget *dialog = scalr_window_get_quit_dialog (f->win);
  g_assert_nonnull (dialog);
  g_assert_false (window_gone (f));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_assert_null (scalr_window_get_quit_dialog (f->win));
  g_assert_true (scalr_runs_page_is_running (runs_page (f)));
  gtk_window_close (GTK_WINDOW (f->win));
  dialog = scalr_window_get_quit_dialog (f->win);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  g_assert_true (wait_for (f, window_gone, 20));
  g_autoptr (ScalrStore) store = scalr_store_open (f->db, SCALR_STORE_OPEN_DEFAULT, NULL);
  g_autoptr (GPtrArray) runs = scalr_store_list_runs (store, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (((ScalrRunInfo *) g_ptr_array_index (runs, 0))->status, ==, SCALR_RUN_CANCELLED);
}

static gboolean
repeat_checked (Fixture *f)
{
  return !scalr_configure_page_is_checking (configure_page (f));
}

static ScalrExplorePage *
explore_page (Fixture *f)
{
  return SCALR_EXPLORE_PAGE (scalr_window_get_explore_page (f->win));
}

static gboolean
explore_running (Fixture *f)
{
  return scalr_explore_page_is_running (explore_page (f));
}

static gboolean
explore_two_done (Fixture *f)
{
  return !explore_running (f) && scalr_explore_page_get_n_trials (explore_page (f)) == 2;
}

static gboolean
explore_one_trial (Fixture *f)
{
  return scalr_explore_page_get_n_trials (explore_page (f)) >= 1 || !explore_running (f);
}

static gboolean
explore_idle (Fixture *f)
{
  return !explore_running (f);
}

static gboolean
two_runs_listed (Fixture *f)
{
  return !scalr_runs_page_is_refreshing (runs_page (f))
         && g_list_model_get_n_items (scalr_runs_page_get_model (runs_page (f))) >= 2;
}

static gboolean
selection_shown (Fixture *f)
{
  return scalr_explore_page_get_n_trials (explore_page (f)) == 2
         && strlen (scalr_explore_page_get_selection_text (explore_page (f))) > 0;
}

static gboolean
search_shown (Fixture *f)
{
  return strstr (scalr_explore_page_get_selection_text (explore_page (f)), "Stored as run") != NULL
         && strstr (scalr_explore_page_get_selection_text (explore_page (f)), "trial 2, Recall@20 0.1500") == NULL;
}

/* The runs of group @group in the store. */
static guint
runs_in_group (Fixture *f, gint64 group, GArray *ids, ScalrRunStatus *statuses)
{
  g_autoptr (ScalrStore) store = scalr_store_open (f->db, SCALR_STORE_OPEN_READ_ONLY, NULL);
  g_autoptr (GPtrArray) runs = scalr_store_list_runs (store, NULL);
  guint n = 0;
  for (guint i = 0; i < runs->len; i++)
    {
      const ScalrRunInfo *r = g_ptr_array_index (runs, i);
      if (r->group_id != group)
        continue;
      if (ids)
        g_array_append_val (ids, r->id);
      if (statuses)
        statuses[n] = r->status;
      n++;
    }
  return n;
}

/* A sweep started from the Explore page: its runs appear one by one, then as one store group
 * of kind sweep; the Runs page shows the group beside each; Compare opens on it with the two
 * runs joined. Cancelling a second sweep keeps what finished and leaves the run going
 * cancelled. A tuned run's trials and its validation-vs-test selection are read back. */
static void
test_explore_sweep (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (wait_for (f, window_loaded, 10));
  import_movielens (f);
  ScalrConfigurePage *cfg = configure_page (f);
  g_assert_true (scalr_configure_page_set_value (cfg, "downstream", "models", "pop", NULL));
  g_assert_true (scalr_configure_page_set_value (cfg, "eval", "bootstrap", "20", NULL));
  scalr_window_show_page (f->win, "explore");
  ScalrExplorePage *ep = explore_page (f);
  g_autoptr (GError) error = NULL;
  const char *bad[] = { "sampler.no_such_key=1,2", NULL };
  g_assert_false (scalr_explore_page_start_sweep (ep, bad, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  const char *specs[] = { "sampler.samples_per_event=0,1", NULL };
  g_assert_true (scalr_explore_page_start_sweep (ep, specs, &error));
  g_assert_no_error (error);
  g_assert_true (explore_running (f));
  g_assert_false (scalr_explore_page_start_sweep (ep, specs, &error));   /* one at a time */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  gboolean two = wait_for (f, explore_two_done, 180);
  if (!two)
    g_error ("the sweep: running %d, %u trials, error %s", explore_running (f), scalr_explore_page_get_n_trials (ep),
             scalr_window_get_error (f->win));
  gint64 group = scalr_explore_page_get_group (ep);
  g_assert_cmpint (group, >, 0);

  /* The store: both runs finished, in one sweep group recording the key. */
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ScalrRunStatus st[4];
  g_assert_cmpuint (runs_in_group (f, group, ids, st), ==, 2);
  g_assert_cmpint (st[0], ==, SCALR_RUN_FINISHED);
  g_assert_cmpint (st[1], ==, SCALR_RUN_FINISHED);
  {
    g_autoptr (ScalrStore) store = scalr_store_open (f->db, SCALR_STORE_OPEN_READ_ONLY, NULL);
    g_autoptr (ScalrGroupInfo) gi = scalr_store_load_group (store, group, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gi->kind, ==, SCALR_GROUP_SWEEP);
    g_assert_cmpstr (gi->keys, ==, "sampler.samples_per_event");
  }
  /* The Runs page lists them with their group. */
  g_assert_true (wait_for (f, two_runs_listed, 30));
  g_autofree char *label = g_strdup_printf ("sweep #%" G_GINT64_FORMAT, group);
  GListModel *model = scalr_runs_page_get_model (runs_page (f));
  guint in_group = 0;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (ScalrRunItem) it = g_list_model_get_item (model, i);
      in_group += g_strcmp0 (scalr_run_item_get_group_label (it), label) == 0;
    }
  g_assert_cmpuint (in_group, ==, 2);
  /* Compare opens on the new group, the two runs joined along the swept key. */
  scalr_window_show_page (f->win, "compare");
  g_assert_true (wait_for (f, compare_loaded, 30));
  ScalrComparePage *cp = compare_page (f);
  g_assert_cmpint (scalr_compare_page_get_group (cp), ==, group);
  g_assert_cmpstr (scalr_compare_page_get_key (cp), ==, "sampler.samples_per_event");
  g_autoptr (GArray) joined = scalr_compare_page_dup_connected (cp);
  g_assert_true (connected_exactly (joined, (const gint64 *) ids->data, 2));

  /* Cancel: a three-point sweep stopped after its first point. */
  const char *more[] = { "sampler.samples_per_event=2,3,4", NULL };
  g_assert_true (scalr_explore_page_start_sweep (ep, more, &error));
  g_assert_true (wait_for (f, explore_one_trial, 180));
  scalr_explore_page_cancel (ep);
  g_assert_true (wait_for (f, explore_idle, 60));
  gint64 group2 = scalr_explore_page_get_group (ep);
  g_assert_cmpint (group2, >, group);
  guint n2 = runs_in_group (f, group2, NULL, st);
  g_assert_cmpuint (n2, >=, 1);
  g_assert_cmpuint (n2, <=, 3);
  g_assert_cmpint (st[0], ==, SCALR_RUN_FINISHED);
  if (n2 > 1)
    g_assert_cmpint (st[n2 - 1], ==, SCALR_RUN_CANCELLED);
  g_assert_cmpuint (scalr_explore_page_get_n_trials (ep), <, 3);

  /* A tuned run's trials: a tuning document (the format scalr tune stores) put on a run. */
  static const char tuning[] =
    "{\"objective\": \"recall@20\", \"segment\": \"sparse\", \"trials_requested\": 2,"
    " \"space\": [{\"key\": \"sampler.samples_per_event\"}],"
    " \"trials\": [{\"trial\": 0, \"params\": {\"sampler.samples_per_event\": \"1\"}, \"seconds\": 1,"
    "               \"validation\": {\"pop\": {\"baseline\": 0.10, \"augmented\": 0.12}}},"
    "              {\"trial\": 1, \"params\": {\"sampler.samples_per_event\": \"3\"}, \"seconds\": 2,"
    "               \"validation\": {\"pop\": {\"baseline\": 0.10, \"augmented\": 0.15}}}],"
    " \"selected\": {\"pop\": {\"baseline\": {\"trial\": 0, \"validation\": 0.10, \"test\": 0.09},"
    "                         \"augmented\": {\"trial\": 1, \"validation\": 0.15, \"test\": 0.11,"
    "                                         \"default\": {\"validation\": 0.12, \"test\": 0.10}}}}}";
  gint64 tuned = g_array_index (ids, gint64, 0);
  {
    g_autoptr (ScalrStore) store = scalr_store_open (f->db, 0, NULL);
    g_autoptr (GBytes) b = g_bytes_new_static (tuning, sizeof tuning - 1);
    g_assert_true (scalr_store_put_artifact (store, tuned, "summary", "tuning", "application/json", b, &error));
  }
  scalr_explore_page_show_tuning (ep, tuned);
  g_assert_true (wait_for (f, selection_shown, 20));
  const char *sel = scalr_explore_page_get_selection_text (ep);
  g_assert_nonnull (strstr (sel, "trial 2, Recall@20 0.1500 on validation users"));
  g_assert_nonnull (strstr (sel, "confirmed once on test users: 0.1100"));

  /* A search started from the page: core's scalr tune, two trials on validation users, one
   * stored run whose tuning the page reads back (what main's scalr tune writes). */
  g_assert_true (scalr_explore_page_start_search (ep, 2, &error));
  g_assert_no_error (error);
  g_assert_true (explore_running (f));
  g_assert_true (wait_for (f, explore_idle, 240));
  g_assert_true (wait_for (f, search_shown, 30));
  g_assert_cmpuint (scalr_explore_page_get_n_trials (ep), ==, 2);
  sel = scalr_explore_page_get_selection_text (ep);
  g_assert_nonnull (strstr (sel, "on validation users"));
  g_assert_nonnull (strstr (sel, "confirmed once on test users"));
  {
    g_autoptr (ScalrStore) store = scalr_store_open (f->db, SCALR_STORE_OPEN_READ_ONLY, NULL);
    g_autoptr (GPtrArray) all = scalr_store_list_runs (store, &error);
    g_assert_no_error (error);
    const ScalrRunInfo *last = g_ptr_array_index (all, all->len - 1);
    g_assert_cmpint (last->status, ==, SCALR_RUN_FINISHED);
    g_autofree char *stored = g_strdup_printf ("Stored as run %" G_GINT64_FORMAT ".", last->id);
    g_assert_nonnull (strstr (sel, stored));
    g_autoptr (GBytes) t = scalr_store_load_artifact (store, last->id, "summary", "tuning", &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (scalr_window_get_error (f->win), ==, NULL);
}

/* A configuration that repeats a stored run says so on the Configure page. */
static void
test_repeat_hint (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (wait_for (f, window_loaded, 10));
  import_movielens (f);
  ScalrConfigurePage *cp = configure_page (f);
  g_assert_true (scalr_configure_page_set_value (cp, "downstream", "models", "pop", NULL));
  g_assert_true (scalr_configure_page_set_value (cp, "eval", "bootstrap", "20", NULL));
  g_assert_true (wait_for (f, repeat_checked, 10));
  g_assert_cmpint (scalr_configure_page_get_repeated_run (cp), ==, 0);
  scalr_configure_page_set_run_name (cp, "named at start");
  g_action_group_activate_action (G_ACTION_GROUP (f->win), "run", NULL);
  g_assert_true (wait_for (f, run_started, 10));
  g_assert_true (wait_for (f, run_done, 60));
  gint64 id = scalr_runs_page_get_current_run_id (runs_page (f));
  g_autoptr (ScalrRunItem) item = find_run (f, id);
  g_assert_cmpstr (scalr_run_item_get_name (item), ==, "named at start");
  g_assert_true (scalr_configure_page_set_value (cp, "eval", "bootstrap", "20", NULL));
  g_assert_true (wait_for (f, repeat_checked, 10));
  g_assert_cmpint (scalr_configure_page_get_repeated_run (cp), ==, id);
  g_assert_true (scalr_configure_page_set_value (cp, "eval", "bootstrap", "21", NULL));
  g_assert_true (wait_for (f, repeat_checked, 10));
  g_assert_cmpint (scalr_configure_page_get_repeated_run (cp), ==, 0);
}

/* The widest widgets under @w whose minimum width is above @limit, deepest first (what
 * forces the width), as text for a failure message. */
static void
find_wide (GtkWidget *w, int limit, GString *out, guint depth)
{
  int min = 0, nat = 0;
  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  if (min <= limit || !gtk_widget_get_visible (w))
    return;
  gboolean child_wide = FALSE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      int cmin = 0;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &cmin, NULL, NULL, NULL);
      if (cmin > limit && gtk_widget_get_visible (c))
        {
          child_wide = TRUE;
          find_wide (c, limit, out, depth + 1);
        }
    }
  if (!child_wide)
    {
      g_string_append_printf (out, "  %s (%s) min %d at depth %u\n", G_OBJECT_TYPE_NAME (w),
                              gtk_widget_get_css_name (w), min, depth);
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        {
          int cmin = 0;
          gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &cmin, NULL, NULL, NULL);
          g_string_append_printf (out, "    child %s (%s) min %d visible %d\n", G_OBJECT_TYPE_NAME (c),
                                  gtk_widget_get_css_name (c), cmin, gtk_widget_get_visible (c));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  if (!gtk_init_check ())
    display_error = g_strdup_printf ("no X server: cannot open display '%s' (run the tests under xvfb-run)",
                                     g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "");
  else
    adw_init ();
  g_test_add ("/scalr/ui/window-empty", Fixture, NULL, fixture_setup, test_window_empty, fixture_teardown);
  g_test_add ("/scalr/ui/configure", Fixture, NULL, fixture_setup, test_configure, fixture_teardown);
  g_test_add ("/scalr/ui/import-run-cancel", Fixture, NULL, fixture_setup, test_import_run_cancel, fixture_teardown);
  g_test_add ("/scalr/ui/compare-connects", Fixture, NULL, fixture_setup, test_compare_connects, fixture_teardown);
  g_test_add ("/scalr/ui/lift-export", Fixture, NULL, fixture_setup, test_lift_export, fixture_teardown);
  g_test_add ("/scalr/ui/manage-runs", Fixture, NULL, fixture_setup, test_manage_runs, fixture_teardown);
  g_test_add ("/scalr/ui/quit-during-run", Fixture, NULL, fixture_setup, test_quit_during_run, fixture_teardown);
  g_test_add ("/scalr/ui/repeat-hint", Fixture, NULL, fixture_setup, test_repeat_hint, fixture_teardown);
  g_test_add ("/scalr/ui/explore-sweep", Fixture, NULL, fixture_setup, test_explore_sweep, fixture_teardown);
  int status = g_test_run ();
  g_free (display_error);
  return status;
}
