/* test-domains.c — domain rules and per-domain matrices on a hand-checked dataset. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "scalr-csr.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-import.h"
#include "test-util.h"

/* Items: a Comedy; b Comedy|Drama; c Drama; d Drama|Action; e Action.
 * Dense item ids by first appearance in the events: a=0 c=1 b=2 e=3 d=4. */
static const char *tiny_items =
  "item\ttitle\tgenres\n"
  "a\tA\tComedy\nb\tB\tComedy|Drama\nc\tC\tDrama\nd\tD\tDrama|Action\ne\tE\tAction\n";
static const char *tiny_events =
  "user\titem\trating\ttimestamp\n"
  "u1\ta\t5\t1\nu1\tc\t4\t2\nu1\tb\t3\t3\nu2\ta\t2\t4\nu2\te\t5\t5\nu3\tc\t1\t6\nu3\td\t5\t7\nu4\td\t4\t8\n";

static ScalrDataset *
load (const char *events, const char *items)
{
  g_autofree char *dir = test_tmpdir_new ();
  const char *name = strchr (events, '\t') ? "events.tsv" : "events.csv";
  g_autofree char *ev = test_write_file (dir, name, events, -1);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, ev, NULL);
  if (items)
    o->items_path = test_write_file (dir, "items.tsv", items, -1);
  g_autoptr (GError) error = NULL;
  ScalrDataset *d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  test_rm_rf (dir);
  return d;
}

static void
assert_row (const ScalrCsr *m, guint row, guint n, const guint32 *cols)
{
  g_assert_cmpuint (scalr_csr_row_len (m, row), ==, n);
  for (guint k = 0; k < n; k++)
    g_assert_cmpuint (m->indices[m->indptr[row] + k], ==, cols[k]);
}

static void
test_parse (void)
{
  struct { const char *in, *canon; } ok[] = {
    { "category:Comedy,!Drama", "category:Comedy,!Drama" },
    { " category : Action|Adventure , ! Drama ", "category:Action|Adventure,!Drama" },
    { "domain:Books|Music", "domain:Books|Music" },
    { "ALL", "all" },
    { "genre:Comedy", "category:Comedy" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (ok); k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrDomainRule) r = scalr_domain_rule_parse (ok[k].in, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (scalr_domain_rule_to_string (r), ==, ok[k].canon);
    }
  struct { const char *in, *msg; } bad[] = {
    { "", "expected 'all'" },
    { "Comedy", "expected 'all'" },
    { "bogus:X", "unknown kind 'bogus'" },
    { "category:", "empty name in term 1" },
    { "category:Comedy,,Drama", "empty name in term 2" },
    { "category:Comedy|", "empty name" },
    { "category:!Drama", "at least one category without '!'" },
    { "domain:!Books", "only allowed in category rules" },
    { "domain:A,B", "one label" },
    { "category:\xff", "UTF-8" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrDomainRule) r = scalr_domain_rule_parse (bad[k].in, &error);
      g_assert_null (r);
      test_assert_error_contains (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE, bad[k].msg);
    }
}

static void
test_category_split (void)
{
  g_autoptr (ScalrDataset) d = load (tiny_events, tiny_items);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDomains) dom = scalr_domains_new (d, "category:Comedy,!Drama", "category:Drama,!Comedy", NULL, &error);
  g_assert_no_error (error);
  const ScalrDomain *s = scalr_domains_get_source (dom);
  const ScalrDomain *t = scalr_domains_get_target (dom);
  /* Source: item a only; u1 and u2 rated it. */
  g_assert_cmpuint (s->n_items, ==, 1);
  g_assert_cmpuint (s->items[0], ==, 0);
  g_assert_cmpuint (s->matrix->nnz, ==, 2);
  assert_row (s->matrix, 0, 1, (guint32[]) { 0 });
  assert_row (s->matrix, 1, 1, (guint32[]) { 0 });
  assert_row (s->matrix, 2, 0, NULL);
  /* Target: c (dataset 1) → 0, d (dataset 4) → 1. */
  g_assert_cmpuint (t->n_items, ==, 2);
  g_assert_cmpuint (t->items[0], ==, 1);
  g_assert_cmpuint (t->items[1], ==, 4);
  assert_row (t->matrix, 0, 1, (guint32[]) { 0 });
  assert_row (t->matrix, 1, 0, NULL);
  assert_row (t->matrix, 2, 2, (guint32[]) { 0, 1 });
  assert_row (t->matrix, 3, 1, (guint32[]) { 1 });
  g_assert_cmpfloat (t->matrix->values[t->matrix->indptr[2] + 1], ==, 5.0f);   /* u3-d */
  g_assert_cmpfloat (t->timestamps[t->matrix->indptr[2] + 1], ==, 7.0);
  g_assert_true (scalr_csr_is_valid (s->matrix) && scalr_csr_is_valid (t->matrix));
  g_assert_cmpuint (scalr_domains_get_n_overlap (dom), ==, 1);   /* u1 */
  g_assert_cmpuint (scalr_domains_get_n_filtered (dom), ==, 0);

  /* A threshold of 3 drops u2-a (2) and u3-c (1). */
  ScalrDomainsOptions opt = { 3.0, 0 };
  g_autoptr (ScalrDomains) dom2 = scalr_domains_new (d, "category:Comedy,!Drama", "category:Drama,!Comedy", &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_domains_get_source (dom2)->matrix->nnz, ==, 1);
  g_assert_cmpuint (scalr_domains_get_target (dom2)->matrix->nnz, ==, 3);
  g_assert_cmpuint (scalr_domains_get_n_filtered (dom2), ==, 2);
}

static void
test_kcore_and_labels (void)
{
  const char *events =
    "user,item,domain\n"
    "u1,x,S\nu1,y,S\nu2,x,S\nu2,y,S\nu3,x,S\n"
    "u1,p,T\nu1,q,T\nu2,p,T\nu2,q,T\nu3,p,T\n";
  g_autoptr (ScalrDataset) d = load (events, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDomains) plain = scalr_domains_new (d, "domain:S", "domain:T", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_domains_get_n_overlap (plain), ==, 3);
  ScalrDomainsOptions opt = { NAN, 2 };
  g_autoptr (ScalrDomains) core2 = scalr_domains_new (d, "domain:S", "domain:T", &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_domains_get_n_overlap (core2), ==, 2);
  g_assert_cmpuint (scalr_domains_get_n_filtered (core2), ==, 2);   /* u3-x, u3-p */
  g_assert_cmpuint (scalr_domains_get_source (core2)->matrix->nnz, ==, 4);
  /* k = 3 empties the source. */
  opt.kcore = 3;
  g_autoptr (ScalrDomains) core3 = scalr_domains_new (d, "domain:S", "domain:T", &opt, &error);
  g_assert_null (core3);
  /* The filter is blamed, not the rule. */
  test_assert_error_contains (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_FILTERED_EMPTY,
                              "kcore 3 removes all 5 events of the source domain", "lower kcore");
}

/* Ratings are floats: a rating written as 0.7 must pass implicit_threshold = 0.7 (as a
 * double, 0.7 is above the float 0.7 = 0.699999988…). A threshold above every rating is
 * blamed for the empty domain. */
static void
test_threshold_exact (void)
{
  const char *events =
    "user,item,rating,domain\n"
    "u1,x,0.7,S\nu1,p,0.7,T\nu2,x,0.3,S\nu2,q,0.1,T\nu3,y,0.69,S\nu3,p,0.9,T\n";
  g_autoptr (ScalrDataset) d = load (events, NULL);
  g_autoptr (GError) error = NULL;
  ScalrDomainsOptions opt = { 0.7, 0 };
  g_autoptr (ScalrDomains) dom = scalr_domains_new (d, "domain:S", "domain:T", &opt, &error);
  g_assert_no_error (error);
  /* Kept: u1-x 0.7, u1-p 0.7, u3-p 0.9; dropped: u2-x, u2-q, u3-y 0.69. */
  g_assert_cmpuint (scalr_domains_get_source (dom)->matrix->nnz, ==, 1);
  g_assert_cmpuint (scalr_domains_get_target (dom)->matrix->nnz, ==, 2);
  g_assert_cmpuint (scalr_domains_get_n_filtered (dom), ==, 3);
  g_assert_cmpuint (scalr_domains_get_n_overlap (dom), ==, 1);

  opt.threshold = 0.95;
  g_autoptr (ScalrDomains) none = scalr_domains_new (d, "domain:S", "domain:T", &opt, &error);
  g_assert_null (none);
  test_assert_error_contains (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_FILTERED_EMPTY,
                              "implicit_threshold 0.95 removes all 3 events of the source domain",
                              "highest rating there is 0.7", "lower the threshold");
  g_clear_error (&error);
  g_clear_error (&error);
  /* Both domains survive but no user is left in both: the filter is blamed too. */
  g_autoptr (ScalrDataset) d2 = load ("user,item,rating,domain\nu1,x,0.9,S\nu1,p,0.1,T\nu2,y,0.1,S\nu2,q,0.9,T\n", NULL);
  opt.threshold = 0.5;
  g_autoptr (ScalrDomains) apart = scalr_domains_new (d2, "domain:S", "domain:T", &opt, &error);
  g_assert_null (apart);
  test_assert_error_contains (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_FILTERED_EMPTY,
                              "no user has events in both domains (2 did before filtering)");
}

static void
test_errors (void)
{
  g_autoptr (ScalrDataset) d = load (tiny_events, tiny_items);
  g_autoptr (ScalrDataset) bare = load (tiny_events, NULL);
  struct {
    ScalrDataset *d;
    const char *src, *tgt;
    int code;
    const char *msg1, *msg2;
  } cases[] = {
    { d, "category:Comdy", "category:Drama", SCALR_DOMAIN_ERROR_UNKNOWN_CATEGORY, "unknown category 'Comdy'", "Comedy, " },
    { d, "category:Comedy,!Comedy", "category:Drama", SCALR_DOMAIN_ERROR_EMPTY, "source rule", "selects no events" },
    { d, "category:Comedy", "category:Drama", SCALR_DOMAIN_ERROR_OVERLAP, "share 1 events", "item 'b'" },
    { d, "category:Action,!Drama", "category:Drama,!Comedy,!Action", SCALR_DOMAIN_ERROR_NO_OVERLAP_USERS, "no user has events in both", "category:Action,!Drama" },
    { d, "domain:Books", "all", SCALR_DOMAIN_ERROR_UNKNOWN_DOMAIN, "unknown domain 'Books'", "(none)" },
    { bare, "category:Comedy", "category:Drama", SCALR_DOMAIN_ERROR_NO_METADATA, "needs item categories", "--items" },
    { d, "category:Comedy", "nonsense", SCALR_DOMAIN_ERROR_PARSE, "target rule", "nonsense" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrDomains) dom = scalr_domains_new (cases[k].d, cases[k].src, cases[k].tgt, NULL, &error);
      g_assert_null (dom);
      test_assert_error_contains (error, SCALR_DOMAIN_ERROR, cases[k].code, cases[k].msg1, cases[k].msg2);
    }
}

static void
test_movielens_split (void)
{
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, ratings, NULL);
  o->items_path = g_strdup (movies);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrDomains) dom = scalr_domains_new (d, "category:Comedy,!Drama", "category:Drama,!Comedy", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_domains_get_source (dom)->matrix->nnz, ==, 27595);
  g_assert_cmpuint (scalr_domains_get_target (dom)->matrix->nnz, ==, 34321);
  g_assert_cmpuint (scalr_domains_get_n_overlap (dom), ==, 668);
  g_assert_true (scalr_csr_is_valid (scalr_domains_get_target (dom)->matrix));
}

static void
test_csr_transpose (void)
{
  /* [[0 1 1] [0 0 0] [1 0 1]] with values 1..4 */
  g_autoptr (ScalrCsr) m = scalr_csr_new (3, 3, 4, TRUE);
  guint64 ptr[] = { 0, 2, 2, 4 };
  guint32 idx[] = { 1, 2, 0, 2 };
  float val[] = { 1, 2, 3, 4 };
  memcpy (m->indptr, ptr, sizeof ptr);
  memcpy (m->indices, idx, sizeof idx);
  memcpy (m->values, val, sizeof val);
  g_assert_true (scalr_csr_is_valid (m));
  g_autoptr (ScalrCsr) t = scalr_csr_transpose (m);
  g_assert_true (scalr_csr_is_valid (t));
  assert_row (t, 0, 1, (guint32[]) { 2 });
  assert_row (t, 1, 1, (guint32[]) { 0 });
  assert_row (t, 2, 2, (guint32[]) { 0, 2 });
  g_assert_cmpfloat (t->values[t->indptr[2] + 1], ==, 4.0f);
  g_autofree guint64 *cc = scalr_csr_col_counts (m);
  g_assert_cmpuint (cc[2], ==, 2);
  g_assert_cmpuint (scalr_csr_count_nonempty_rows (m), ==, 2);
  m->indices[1] = 1;   /* a repeated column breaks the invariant */
  g_assert_false (scalr_csr_is_valid (m));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/domains/parse", test_parse);
  g_test_add_func ("/scalr/domains/category-split", test_category_split);
  g_test_add_func ("/scalr/domains/kcore-and-labels", test_kcore_and_labels);
  g_test_add_func ("/scalr/domains/errors", test_errors);
  g_test_add_func ("/scalr/domains/threshold-exact", test_threshold_exact);
  g_test_add_func ("/scalr/domains/movielens", test_movielens_split);
  g_test_add_func ("/scalr/domains/csr-transpose", test_csr_transpose);
  return g_test_run ();
}
