/* test-dataset-stats.c — descriptive statistics, checked by hand on a tiny dataset. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "scalr-dataset.h"
#include "scalr-dataset-stats.h"
#include "scalr-domains.h"
#include "scalr-import.h"
#include "test-util.h"

static void
test_quantile (void)
{
  const double v[] = { 1, 2, 3, 4 };
  g_assert_cmpfloat_with_epsilon (scalr_quantile_sorted (v, 4, 0.25), 1.75, 1e-12);
  g_assert_cmpfloat_with_epsilon (scalr_quantile_sorted (v, 4, 0.5), 2.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (scalr_quantile_sorted (v, 4, 0.9), 3.7, 1e-12);
  g_assert_cmpfloat (scalr_quantile_sorted (v, 4, 0.0), ==, 1.0);
  g_assert_cmpfloat (scalr_quantile_sorted (v, 4, 1.0), ==, 4.0);
  g_assert_cmpfloat (scalr_quantile_sorted (v, 1, 0.5), ==, 1.0);
  g_assert_true (isnan (scalr_quantile_sorted (v, 0, 0.5)));
}

static void
test_tiny (void)
{
  /* u1: 3 events, u2: 2, u3: 2, u4: 1.  Items a(2) c(2) b(1) e(1) d(2). */
  const char *events =
    "user\titem\nu1\ta\nu1\tc\nu1\tb\nu2\ta\nu2\te\nu3\tc\nu3\td\nu4\td\n";
  const char *items =
    "item\ttitle\tgenres\na\tA\tComedy\nb\tB\tComedy|Drama\nc\tC\tDrama\nd\tD\tDrama|Action\ne\tE\tAction\n";
  g_autofree char *dir = test_tmpdir_new ();
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("tiny");
  g_autofree char *ev = test_write_file (dir, "e.tsv", events, -1);
  scalr_import_options_add_events (o, ev, NULL);
  o->items_path = test_write_file (dir, "i.tsv", items, -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrDomains) dom = scalr_domains_new (d, "category:Comedy,!Drama", "category:Drama,!Comedy", NULL, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrDatasetStats) st = scalr_dataset_stats_new (d, dom);

  g_assert_cmpuint (st->all.events, ==, 8);
  g_assert_cmpuint (st->all.users, ==, 4);
  g_assert_cmpuint (st->all.items, ==, 5);
  g_assert_cmpfloat_with_epsilon (st->all.density, 8.0 / 20.0, 1e-12);
  /* Activity 1, 2, 2, 3: min 1, p25 1.75, median 2, p75 2.25, max 3. */
  g_assert_cmpfloat (st->all.user_activity[0], ==, 1.0);
  g_assert_cmpfloat_with_epsilon (st->all.user_activity[2], 1.75, 1e-12);
  g_assert_cmpfloat (st->all.user_activity[3], ==, 2.0);
  g_assert_cmpfloat_with_epsilon (st->all.user_activity[4], 2.25, 1e-12);
  g_assert_cmpfloat (st->all.user_activity[6], ==, 3.0);
  /* Histogram by powers of two: [1,2) 1 user, [2,4) 3 users. */
  g_assert_cmpuint (st->all.activity_hist[0], ==, 1);
  g_assert_cmpuint (st->all.activity_hist[1], ==, 3);
  /* Drama: b, c, c, d, d = 5 events; Comedy: a, a, b = 3; Action: e, d, d = 3. */
  g_assert_cmpuint (st->all.top_categories->len, ==, 3);
  const ScalrCategoryCount *top = &g_array_index (st->all.top_categories, ScalrCategoryCount, 0);
  g_assert_cmpstr (top->name, ==, "Drama");
  g_assert_cmpuint (top->events, ==, 5);
  /* Ties are broken by name: Action before Comedy. */
  g_assert_cmpstr (g_array_index (st->all.top_categories, ScalrCategoryCount, 1).name, ==, "Action");

  /* Domains: source = a (u1, u2); target = c (u1, u3), d (u3, u4). */
  g_assert_true (st->has_domains);
  g_assert_cmpuint (st->source.events, ==, 2);
  g_assert_cmpuint (st->source.users, ==, 2);
  g_assert_cmpuint (st->target.events, ==, 4);
  g_assert_cmpuint (st->target.users, ==, 3);
  g_assert_cmpuint (st->target.items, ==, 2);
  g_assert_cmpfloat_with_epsilon (st->target.density, 4.0 / 6.0, 1e-12);
  g_assert_cmpuint (st->overlap_users, ==, 1);
  g_assert_cmpuint (st->source_only_users, ==, 1);
  g_assert_cmpuint (st->target_only_users, ==, 2);

  g_autoptr (JsonNode) node = scalr_dataset_stats_to_json (st);
  JsonObject *obj = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (obj, "events"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (obj, "users"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (obj, "items"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (obj, "overlap_users"), ==, 1);
  JsonObject *tgt = json_object_get_object_member (obj, "target");
  g_assert_cmpint (json_object_get_int_member (tgt, "events"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (tgt, "users"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (tgt, "items"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (tgt, "rule"), ==, "category:Drama,!Comedy");
  test_rm_rf (dir);
}

static void
test_labels (void)
{
  const char *events = "user,item,domain\na,x,Books\na,y,Movies\nb,y,Movies\n";
  g_autofree char *dir = test_tmpdir_new ();
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  g_autofree char *ev = test_write_file (dir, "e.csv", events, -1);
  scalr_import_options_add_events (o, ev, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrDatasetStats) st = scalr_dataset_stats_new (d, NULL);
  g_assert_cmpuint (st->labels->len, ==, 2);
  ScalrDomainStats *books = g_ptr_array_index (st->labels, 0);
  ScalrDomainStats *movies = g_ptr_array_index (st->labels, 1);
  g_assert_cmpstr (books->name, ==, "Books");
  g_assert_cmpuint (books->events, ==, 1);
  g_assert_cmpuint (movies->events, ==, 2);
  g_assert_cmpuint (movies->users, ==, 2);
  g_assert_cmpuint (movies->items, ==, 1);
  g_assert_cmpuint (st->all.events, ==, 3);
  g_assert_false (st->has_domains);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/dataset-stats/quantile", test_quantile);
  g_test_add_func ("/scalr/dataset-stats/tiny", test_tiny);
  g_test_add_func ("/scalr/dataset-stats/labels", test_labels);
  return g_test_run ();
}
