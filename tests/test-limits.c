/* test-limits.c — every stage under a small memory budget (SCALR_MEMORY_LIMIT_MB): each
 * estimates before it allocates and refuses with a message naming what to lower; the run is
 * marked failed with that message (never killed, never left running). */
#include "config.h"

#define SCALR_TEST_WITH_STORE

#include "scalr-dataset.h"
#include "scalr-import.h"
#include "scalr-limits.h"
#include "scalr-pipeline.h"
#include "scalr-registry.h"
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
  g_setenv ("SCALR_MEMORY_LIMIT_MB", "0", TRUE);   /* 0: the default budget */
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

typedef struct {
  const char *name;
  const char *limit_mb;
  const char *sets[6];      /* group.key=value */
  const char *what, *hint;  /* in the message */
} Case;

/* On MovieLens Comedy → Drama (668 overlap users, ~1,600 source and ~1,900 target items):
 * each case fits every stage before it within the budget and fails at the one named. */
static const Case cases[] = {
  { "cooc", "2", { "generator.model=cooc", NULL }, "cooc's co-occurrence table", "use fewer source items" },
  { "ridge", "8", { "generator.model=ridge", "generator.max_source_items=100000", NULL }, "ridge", "max_source_items" },
  { "embmap", "1", { "generator.model=embmap", "generator.factors=512", NULL }, "source iALS", "factors" },
  { "sampler", "8", { "generator.model=popularity", "sampler.samples_per_event=1000", NULL }, "the sampler", "lower" },
  { "ease", "16", { "generator.model=popularity", "sampler.strategy=topk", "downstream.models=ease", NULL }, "ease", "ease.max_items" },
  { "ials", "16", { "generator.model=popularity", "sampler.strategy=topk", "downstream.models=ials", "downstream.ials.factors=1024", NULL }, "ials", "factors" },
  { "bpr", "16", { "generator.model=popularity", "sampler.strategy=topk", "downstream.models=bpr", "downstream.bpr.factors=1024", NULL }, "bpr", "factors" },
  { "itemknn", "16", { "generator.model=popularity", "sampler.strategy=topk", "downstream.models=itemknn", "downstream.itemknn.neighbors=10000", NULL }, "itemknn", "itemknn.neighbors" },
  { "evaluation", "16", { "generator.model=popularity", "sampler.strategy=topk", "downstream.models=pop", "eval.negatives=10000", NULL }, "the evaluation", "lower [eval] negatives" },
};

static void
test_stage (Fixture *f, gconstpointer data)
{
  const Case *k = data;
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  for (guint s = 0; k->sets[s]; s++)
    if (!scalr_config_set_assignment (c, k->sets[s], &error))
      g_error ("%s: %s", k->sets[s], error->message);
  g_setenv ("SCALR_MEMORY_LIMIT_MB", k->limit_mb, TRUE);
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (f->db, c, k->name);
  gint64 id = 0;
  g_assert_false (scalr_pipeline_run (p, NULL, NULL, &id, &error));
  g_setenv ("SCALR_MEMORY_LIMIT_MB", "0", TRUE);   /* 0: the default budget */
  g_assert_nonnull (error);
  if (strstr (error->message, k->what) == NULL || strstr (error->message, "memory budget") == NULL
      || strstr (error->message, k->hint) == NULL)
    g_error ("%s: expected '%s … memory budget … %s', got: %s", k->name, k->what, k->hint, error->message);
  /* The run is failed, with the message, not running. */
  g_assert_cmpint (id, >, 0);
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_clear_error (&error);
  g_autoptr (ScalrRunInfo) r = scalr_store_load_run (s, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->status, ==, SCALR_RUN_FAILED);
  g_assert_nonnull (strstr (r->error, "memory budget"));
}

/* The allocation helper refuses past the budget and reports a refused allocation. */
static void
test_alloc (void)
{
  g_setenv ("SCALR_MEMORY_LIMIT_MB", "1", TRUE);
  g_autoptr (GError) error = NULL;
  g_autofree char *small = scalr_limits_alloc0 ("a small buffer", 1000, 8, "lower X", &error);
  g_assert_no_error (error);
  g_assert_nonnull (small);
  g_assert_cmpint (small[7999], ==, 0);
  g_autofree char *big = scalr_limits_alloc0 ("a big buffer", 1u << 20, 8, "lower X", &error);
  g_assert_null (big);
  test_assert_error_contains (error, SCALR_LIMITS_ERROR, SCALR_LIMITS_ERROR_MEMORY, "a big buffer needs 8.0",
                              "memory budget", "lower X");
  g_clear_error (&error);
  /* Sizes that overflow saturate instead of wrapping to something small. */
  g_assert_cmpuint (scalr_limits_mul (G_MAXUINT64 / 2, 3), ==, G_MAXUINT64);
  g_assert_cmpuint (scalr_limits_add (G_MAXUINT64 - 1, 3), ==, G_MAXUINT64);
  g_autofree char *huge = scalr_limits_alloc0 ("a huge buffer", G_MAXUINT64 / 4, 8, "lower Y", &error);
  g_assert_null (huge);
  test_assert_error_contains (error, SCALR_LIMITS_ERROR, SCALR_LIMITS_ERROR_MEMORY, "a huge buffer", "lower Y");
  g_setenv ("SCALR_MEMORY_LIMIT_MB", "0", TRUE);   /* 0: the default budget */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/limits/alloc", test_alloc);
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *path = g_strdup_printf ("/scalr/limits/stage/%s", cases[k].name);
      g_test_add (path, Fixture, &cases[k], setup, test_stage, teardown);
    }
  return g_test_run ();
}
