/* test-split.c — the evaluation split: hand-checked tiny cases, the partition and no-leakage
 * properties on MovieLens, determinism, and every error path. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "scalr-csr.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-import.h"
#include "scalr-split.h"
#include "test-util.h"

/* Users by first appearance: u1=0 u2=1 u3=2 u4=3. Target items (domain T) by first
 * appearance: p=0 q=1 r=2 s=3; source items x, y.
 *   u1: source x; target p@40 q@10 r@30 s@20   (by time: q s r p)
 *   u2: source x; target p@1 q@2
 *   u3: no source; target p q r, all @5         (ties broken by item: p q r)
 *   u4: source x y; no target events */
static const char *tiny_events =
  "user,item,rating,timestamp,domain\n"
  "u1,x,5,1,S\n"
  "u1,p,1,40,T\nu1,q,2,10,T\nu1,r,3,30,T\nu1,s,4,20,T\n"
  "u2,x,3,1,S\nu2,p,5,1,T\nu2,q,4,2,T\n"
  "u3,p,2,5,T\nu3,q,3,5,T\nu3,r,4,5,T\n"
  "u4,x,1,1,S\nu4,y,2,1,S\n";

enum { TRAIN = 0, VALID = 1, TEST = 2, DROPPED = 3 };

static ScalrDataset *
load_tiny (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *ev = test_write_file (dir, "events.csv", tiny_events, -1);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, ev, NULL);
  g_autoptr (GError) error = NULL;
  ScalrDataset *d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  test_rm_rf (dir);
  return d;
}

static ScalrDomains *
tiny_domains (ScalrDataset *d)
{
  g_autoptr (GError) error = NULL;
  ScalrDomains *dom = scalr_domains_new (d, "domain:S", "domain:T", NULL, &error);
  g_assert_no_error (error);
  return dom;
}

static void
assert_row (const ScalrCsr *m, guint row, guint n, const guint32 *cols)
{
  g_assert_cmpuint (scalr_csr_row_len (m, row), ==, n);
  for (guint k = 0; k < n; k++)
    g_assert_cmpuint (m->indices[m->indptr[row] + k], ==, cols[k]);
}

static void
assert_assignment (ScalrSplit *s, const guint8 *expected, guint n)
{
  const ScalrCsr *t = scalr_domains_get_target (scalr_split_get_domains (s))->matrix;
  g_assert_cmpuint (t->nnz, ==, n);
  const guint8 *a = scalr_split_get_assignment (s);
  for (guint k = 0; k < n; k++)
    if (a[k] != expected[k])
      g_error ("assignment[%u] = %u, expected %u", k, a[k], expected[k]);
}

static void
assert_counts (ScalrSplit *s, guint64 train, guint64 valid, guint64 test, guint64 dropped,
               guint tested, guint sparse, guint cold)
{
  ScalrSplitCounts c;
  scalr_split_get_counts (s, &c);
  g_assert_cmpuint (c.train_events, ==, train);
  g_assert_cmpuint (c.valid_events, ==, valid);
  g_assert_cmpuint (c.test_events, ==, test);
  g_assert_cmpuint (c.dropped_events, ==, dropped);
  g_assert_cmpuint (c.tested_users, ==, tested);
  g_assert_cmpuint (c.sparse_users, ==, sparse);
  g_assert_cmpuint (c.cold_users, ==, cold);
  g_assert_cmpuint (scalr_split_get_train (s)->nnz, ==, train);
  g_assert_cmpuint (scalr_split_get_valid (s)->nnz, ==, valid);
  g_assert_cmpuint (scalr_split_get_test (s)->nnz, ==, test);
}

static void
test_tiny_temporal (void)
{
  g_autoptr (ScalrDataset) d = load_tiny ();
  g_autoptr (ScalrDomains) dom = tiny_domains (d);
  g_autoptr (GError) error = NULL;
  ScalrSplitOptions o = { SCALR_SPLIT_TEMPORAL, 0.25, 0.25, 3, 0.0, 0, 1 };
  g_autoptr (ScalrSplit) s = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);

  g_assert_true (scalr_split_get_domains (s) == dom);
  g_assert_cmpuint (scalr_split_get_n_users (s), ==, 4);
  g_assert_cmpuint (scalr_split_get_n_target_items (s), ==, 4);
  g_assert_cmpuint (scalr_split_get_n_source_items (s), ==, 2);
  g_assert_true (scalr_split_get_source (s) == scalr_domains_get_source (dom)->matrix);
  g_assert_cmpfloat (scalr_split_get_options (s)->test_fraction, ==, 0.25);

  /* u1 (4 events): round(0.25·4) = 1 test, the latest (p@40), 1 valid, the next (r@30).
   * u2 (2 < 3 events): untested, all train. u3 (3 events): test r, valid q (ties by item). */
  assert_assignment (s, (const guint8[]) { TEST, TRAIN, VALID, TRAIN,  TRAIN, TRAIN,  TRAIN, VALID, TEST }, 9);
  const ScalrCsr *train = scalr_split_get_train (s), *valid = scalr_split_get_valid (s), *test = scalr_split_get_test (s);
  assert_row (train, 0, 2, (guint32[]) { 1, 3 });
  assert_row (valid, 0, 1, (guint32[]) { 2 });
  assert_row (test, 0, 1, (guint32[]) { 0 });
  assert_row (train, 1, 2, (guint32[]) { 0, 1 });
  assert_row (valid, 1, 0, NULL);
  assert_row (test, 1, 0, NULL);
  assert_row (train, 2, 1, (guint32[]) { 0 });
  assert_row (valid, 2, 1, (guint32[]) { 1 });
  assert_row (test, 2, 1, (guint32[]) { 2 });
  assert_row (train, 3, 0, NULL);
  /* Ratings follow their events. */
  g_assert_cmpfloat (train->values[train->indptr[0] + 1], ==, 4.0f);   /* u1-s */
  g_assert_cmpfloat (test->values[test->indptr[0]], ==, 1.0f);          /* u1-p */
  g_assert_cmpfloat (valid->values[valid->indptr[2]], ==, 3.0f);        /* u3-q */
  g_assert_true (scalr_csr_is_valid (train) && scalr_csr_is_valid (valid) && scalr_csr_is_valid (test));
  g_assert_cmpuint (train->n_rows, ==, 4);
  g_assert_cmpuint (train->n_cols, ==, 4);

  const guint8 *f = scalr_split_get_user_flags (s);
  g_assert_cmpuint (f[0], ==, SCALR_USER_HAS_SOURCE | SCALR_USER_OVERLAP | SCALR_USER_TESTED);
  g_assert_cmpuint (f[1], ==, SCALR_USER_HAS_SOURCE | SCALR_USER_OVERLAP);
  g_assert_cmpuint (f[2], ==, SCALR_USER_TESTED);
  g_assert_cmpuint (f[3], ==, SCALR_USER_HAS_SOURCE | SCALR_USER_COLD);
  assert_counts (s, 5, 2, 2, 0, 2, 0, 1);
  ScalrSplitCounts c;
  scalr_split_get_counts (s, &c);
  g_assert_cmpuint (c.users, ==, 4);
  g_assert_cmpuint (c.source_users, ==, 3);
  g_assert_cmpuint (c.overlap_users, ==, 2);
}

/* min_target_events 2: u2 (2 events) is tested; 1 test + 1 valid would leave no training
 * event, so validation shrinks to 0. */
static void
test_tiny_keeps_one_train (void)
{
  g_autoptr (ScalrDataset) d = load_tiny ();
  g_autoptr (ScalrDomains) dom = tiny_domains (d);
  g_autoptr (GError) error = NULL;
  ScalrSplitOptions o = { SCALR_SPLIT_TEMPORAL, 0.25, 0.25, 2, 0.0, 0, 1 };
  g_autoptr (ScalrSplit) s = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  assert_assignment (s, (const guint8[]) { TEST, TRAIN, VALID, TRAIN,  TRAIN, TEST,  TRAIN, VALID, TEST }, 9);
  assert_counts (s, 4, 2, 3, 0, 3, 0, 1);

  /* test 0.6, valid 0.3 of 4 events: round(2.4) = 2 test, round(1.2) = 1 valid, 1 train.
   * Of u3's 3 events: round(1.8) = 2 test, round(0.9) = 1 valid would leave none: valid 0. */
  ScalrSplitOptions big = { SCALR_SPLIT_TEMPORAL, 0.6, 0.3, 3, 0.0, 0, 1 };
  g_autoptr (ScalrSplit) s2 = scalr_split_new (dom, &big, &error);
  g_assert_no_error (error);
  assert_assignment (s2, (const guint8[]) { TEST, TRAIN, TEST, VALID,  TRAIN, TRAIN,  TRAIN, TEST, TEST }, 9);

  /* The random protocol holds out the same numbers of events. */
  big.protocol = SCALR_SPLIT_RANDOM;
  g_autoptr (ScalrSplit) s3 = scalr_split_new (dom, &big, &error);
  g_assert_no_error (error);
  const ScalrCsr *train = scalr_split_get_train (s3), *valid = scalr_split_get_valid (s3), *test = scalr_split_get_test (s3);
  g_assert_cmpuint (scalr_csr_row_len (test, 0), ==, 2);
  g_assert_cmpuint (scalr_csr_row_len (valid, 0), ==, 1);
  g_assert_cmpuint (scalr_csr_row_len (train, 0), ==, 1);
  g_assert_cmpuint (scalr_csr_row_len (train, 1), ==, 2);
  g_assert_cmpuint (scalr_csr_row_len (test, 2), ==, 2);
  g_assert_cmpuint (scalr_csr_row_len (valid, 2), ==, 0);
  g_assert_cmpuint (scalr_csr_row_len (train, 2), ==, 1);
}

/* The split holds a reference to its domains (and they to the dataset): the caller may drop
 * its references first, in any order, and the split still reads them (ASan would see a
 * use after free). */
static void
test_owns_domains (void)
{
  ScalrDataset *d = load_tiny ();
  ScalrDomains *dom = tiny_domains (d);
  g_autoptr (GError) error = NULL;
  ScalrSplitOptions o = { SCALR_SPLIT_TEMPORAL, 0.25, 0.25, 2, 0.0, 0, 1 };
  g_autoptr (ScalrSplit) s = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  scalr_dataset_unref (d);
  scalr_domains_unref (dom);
  g_assert_true (scalr_split_get_domains (s) == dom);
  assert_assignment (s, (const guint8[]) { TEST, TRAIN, VALID, TRAIN,  TRAIN, TEST,  TRAIN, VALID, TEST }, 9);
  g_assert_cmpuint (scalr_split_get_source (s)->nnz, ==, 4);
  g_assert_cmpuint (scalr_dataset_get_n_events (scalr_domains_get_dataset (scalr_split_get_domains (s))), ==, 13);
  /* Two splits share one domains object; the second outlives the first. */
  ScalrSplit *other = scalr_split_new (scalr_split_get_domains (s), &o, &error);
  g_assert_no_error (error);
  g_clear_pointer (&s, scalr_split_free);
  g_assert_cmpuint (scalr_split_get_n_target_items (other), ==, 4);
  scalr_split_free (other);
}

static void
test_tiny_sparse (void)
{
  g_autoptr (ScalrDataset) d = load_tiny ();
  g_autoptr (ScalrDomains) dom = tiny_domains (d);
  g_autoptr (GError) error = NULL;
  /* Candidates (tested overlap users): u1, u2 — not u3 (no source), not u4 (no target).
   * All sparse, keeping 1: u1 keeps its earliest training event q@10, drops s and its
   * validation event r; its test event p stays. u2 keeps p, its only training event. */
  ScalrSplitOptions o = { SCALR_SPLIT_TEMPORAL, 0.25, 0.25, 2, 1.0, 1, 1 };
  g_autoptr (ScalrSplit) s = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  assert_assignment (s, (const guint8[]) { TEST, TRAIN, DROPPED, DROPPED,  TRAIN, TEST,  TRAIN, VALID, TEST }, 9);
  assert_counts (s, 3, 1, 3, 2, 3, 2, 1);
  const guint8 *f = scalr_split_get_user_flags (s);
  g_assert_cmpuint (f[0], ==, SCALR_USER_HAS_SOURCE | SCALR_USER_OVERLAP | SCALR_USER_TESTED | SCALR_USER_SPARSE);
  g_assert_cmpuint (f[1], ==, SCALR_USER_HAS_SOURCE | SCALR_USER_OVERLAP | SCALR_USER_TESTED | SCALR_USER_SPARSE);
  g_assert_cmpuint (f[2], ==, SCALR_USER_TESTED);

  /* Keep 0: both become cold. */
  o.sparse_keep = 0;
  g_autoptr (ScalrSplit) cold = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  assert_assignment (cold, (const guint8[]) { TEST, DROPPED, DROPPED, DROPPED,  DROPPED, TEST,  TRAIN, VALID, TEST }, 9);
  assert_counts (cold, 1, 1, 3, 4, 3, 2, 3);
  f = scalr_split_get_user_flags (cold);
  g_assert_true (f[0] & f[1] & SCALR_USER_COLD);
  assert_row (scalr_split_get_train (cold), 0, 0, NULL);

  /* Half of 2 candidates: exactly one sparse user, whichever the seed. */
  o.sparse_fraction = 0.5;
  for (guint64 seed = 0; seed < 20; seed++)
    {
      o.seed = seed;
      g_autoptr (ScalrSplit) half = scalr_split_new (dom, &o, &error);
      g_assert_no_error (error);
      f = scalr_split_get_user_flags (half);
      g_assert_cmpuint (((f[0] & SCALR_USER_SPARSE) != 0) + ((f[1] & SCALR_USER_SPARSE) != 0), ==, 1);
      g_assert_false (f[2] & SCALR_USER_SPARSE);
    }

  /* NULL options are the defaults: min_target_events 5 tests nobody here. */
  g_autoptr (ScalrSplit) none = scalr_split_new (dom, NULL, &error);
  g_assert_null (none);
  test_assert_error_contains (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_NO_TEST, "min_target_events = 5", "most any user has is 4");
}

/* MovieLens Comedy → Drama, loaded once. */
static ScalrDataset *ml_dataset;
static ScalrDomains *ml_domains;

static ScalrDomains *
movielens (void)
{
  if (ml_domains)
    return ml_domains;
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, ratings, NULL);
  o->items_path = g_strdup (movies);
  g_autoptr (GError) error = NULL;
  ml_dataset = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  ml_domains = scalr_domains_new (ml_dataset, "category:Comedy,!Drama", "category:Drama,!Comedy", NULL, &error);
  g_assert_no_error (error);
  return ml_domains;
}

static gboolean
row_contains (const ScalrCsr *m, guint row, guint32 col)
{
  for (guint64 k = m->indptr[row]; k < m->indptr[row + 1]; k++)
    if (m->indices[k] == col)
      return TRUE;
  return FALSE;
}

static gboolean
rows_equal (const ScalrCsr *a, const ScalrCsr *b, guint row)
{
  guint64 n = scalr_csr_row_len (a, row);
  if (n != scalr_csr_row_len (b, row))
    return FALSE;
  return memcmp (a->indices + a->indptr[row], b->indices + b->indptr[row], n * sizeof (guint32)) == 0;
}

/* Every property of a split that does not depend on the seed. */
static void
check_partition (ScalrSplit *s)
{
  ScalrDomains *dom = scalr_split_get_domains (s);
  const ScalrDomain *tgt = scalr_domains_get_target (dom);
  const ScalrCsr *T = tgt->matrix, *S = scalr_domains_get_source (dom)->matrix;
  const ScalrCsr *parts[3] = { scalr_split_get_train (s), scalr_split_get_valid (s), scalr_split_get_test (s) };
  const guint8 *a = scalr_split_get_assignment (s);
  const guint8 *f = scalr_split_get_user_flags (s);
  const ScalrSplitOptions *o = scalr_split_get_options (s);
  guint64 per_part[4] = { 0 };

  for (guint p = 0; p < 3; p++)
    {
      g_assert_true (scalr_csr_is_valid (parts[p]));
      g_assert_cmpuint (parts[p]->n_rows, ==, T->n_rows);
      g_assert_cmpuint (parts[p]->n_cols, ==, T->n_cols);
    }
  for (guint u = 0; u < T->n_rows; u++)
    {
      /* Partition: walking the user's target events in order, each one is the next entry
       * of exactly the part it is assigned to (with its rating), or dropped; and at the end
       * every part's row is used up. So no event is lost or duplicated. */
      guint64 cursor[3] = { parts[0]->indptr[u], parts[1]->indptr[u], parts[2]->indptr[u] };
      for (guint64 e = T->indptr[u]; e < T->indptr[u + 1]; e++)
        {
          g_assert_cmpuint (a[e], <=, 3);
          per_part[a[e]]++;
          if (a[e] == 3)
            continue;
          const ScalrCsr *m = parts[a[e]];
          guint64 k = cursor[a[e]]++;
          g_assert_cmpuint (k, <, m->indptr[u + 1]);
          g_assert_cmpuint (m->indices[k], ==, T->indices[e]);
          g_assert_cmpfloat (m->values[k], ==, T->values[e]);
        }
      for (guint p = 0; p < 3; p++)
        g_assert_cmpuint (cursor[p], ==, parts[p]->indptr[u + 1]);

      /* No leakage, straight from the matrices: no (user, item) of valid or test is in train,
       * nor in both valid and test. */
      for (guint p = 1; p < 3; p++)
        for (guint64 k = parts[p]->indptr[u]; k < parts[p]->indptr[u + 1]; k++)
          {
            if (row_contains (parts[0], u, parts[p]->indices[k]))
              g_error ("leak: user %u item %u is in train and in %s", u, parts[p]->indices[k], p == 1 ? "valid" : "test");
            if (p == 2)
              g_assert_false (row_contains (parts[1], u, parts[p]->indices[k]));
          }

      /* Flags against the data. */
      guint64 n = scalr_csr_row_len (T, u);
      gboolean has_source = scalr_csr_row_len (S, u) > 0;
      g_assert_cmpint (!!(f[u] & SCALR_USER_HAS_SOURCE), ==, has_source);
      g_assert_cmpint (!!(f[u] & SCALR_USER_OVERLAP), ==, has_source && n > 0);
      /* Users who hold out events: test users, or validation users (disjoint). */
      gboolean held = (f[u] & (SCALR_USER_TESTED | SCALR_USER_VALIDATION)) != 0;
      g_assert_false ((f[u] & SCALR_USER_TESTED) && (f[u] & SCALR_USER_VALIDATION));
      g_assert_cmpint (held, ==, n >= o->min_target_events);
      g_assert_cmpint (!!(f[u] & SCALR_USER_TESTED), ==, scalr_csr_row_len (parts[2], u) > 0);
      if (f[u] & SCALR_USER_VALIDATION)
        g_assert_cmpuint (scalr_csr_row_len (parts[1], u), >, 0);
      g_assert_cmpint (!!(f[u] & SCALR_USER_COLD), ==, scalr_csr_row_len (parts[0], u) == 0);
      if (f[u] & SCALR_USER_SPARSE)
        g_assert_true (held && (f[u] & SCALR_USER_OVERLAP));

      /* Sizes of a validation user (their test share is their validation events). */
      if ((f[u] & SCALR_USER_VALIDATION) && !(f[u] & SCALR_USER_SPARSE))
        {
          guint64 nt = MAX (1, (guint64) round (o->test_fraction * n));
          g_assert_cmpuint (scalr_csr_row_len (parts[1], u), ==, nt);
          g_assert_cmpuint (scalr_csr_row_len (parts[0], u), ==, n - nt);
        }
      /* Sizes of a tested, non-sparse user. */
      if ((f[u] & SCALR_USER_TESTED) && !(f[u] & SCALR_USER_SPARSE))
        {
          guint64 nt = MAX (1, (guint64) round (o->test_fraction * n));
          guint64 nv = o->valid_fraction > 0 ? MAX (1, (guint64) round (o->valid_fraction * n)) : 0;
          if (nt + nv >= n)
            nv = n - 1 - nt;
          g_assert_cmpuint (scalr_csr_row_len (parts[2], u), ==, nt);
          g_assert_cmpuint (scalr_csr_row_len (parts[1], u), ==, nv);
          g_assert_cmpuint (scalr_csr_row_len (parts[0], u), ==, n - nt - nv);
        }
      if (!held)
        g_assert_cmpuint (scalr_csr_row_len (parts[0], u), ==, n);
    }
  g_assert_cmpuint (per_part[0] + per_part[1] + per_part[2] + per_part[3], ==, T->nnz);
  ScalrSplitCounts c;
  scalr_split_get_counts (s, &c);
  g_assert_cmpuint (c.train_events, ==, per_part[0]);
  g_assert_cmpuint (c.valid_events, ==, per_part[1]);
  g_assert_cmpuint (c.test_events, ==, per_part[2]);
  g_assert_cmpuint (c.dropped_events, ==, per_part[3]);
  g_assert_cmpuint (c.users, ==, T->n_rows);
}

static void
test_movielens_partition (gconstpointer data)
{
  ScalrDomains *dom = movielens ();
  ScalrSplitProtocol protocol = GPOINTER_TO_INT (data);
  const ScalrCsr *T = scalr_domains_get_target (dom)->matrix, *S = scalr_domains_get_source (dom)->matrix;
  for (guint keep = 0; keep <= 3; keep += 3)
    {
      g_autoptr (GError) error = NULL;
      ScalrSplitOptions o = { protocol, 0.2, 0.1, 5, 0.3, keep, 7 };
      g_autoptr (ScalrSplit) s = scalr_split_new (dom, &o, &error);
      g_assert_no_error (error);
      o.sparse_fraction = 0.0;
      g_autoptr (ScalrSplit) dense = scalr_split_new (dom, &o, &error);
      g_assert_no_error (error);
      check_partition (s);
      check_partition (dense);

      /* Eligible users counted from the data, not from the flags. */
      guint eligible = 0, sparse = 0;
      for (guint u = 0; u < T->n_rows; u++)
        eligible += scalr_csr_row_len (S, u) > 0 && scalr_csr_row_len (T, u) >= 5;
      const guint8 *f = scalr_split_get_user_flags (s);
      const ScalrCsr *train = scalr_split_get_train (s), *valid = scalr_split_get_valid (s), *test = scalr_split_get_test (s);
      const ScalrCsr *dtrain = scalr_split_get_train (dense), *dvalid = scalr_split_get_valid (dense), *dtest = scalr_split_get_test (dense);
      for (guint u = 0; u < T->n_rows; u++)
        {
          g_assert_false (scalr_split_get_user_flags (dense)[u] & SCALR_USER_SPARSE);
          /* Test events never change; a sparse user's training set is a subset of the dense
           * split's, at most keep long, and they have no validation events. */
          g_assert_true (rows_equal (test, dtest, u));
          if (f[u] & SCALR_USER_SPARSE)
            {
              sparse++;
              g_assert_cmpuint (scalr_csr_row_len (train, u), ==, MIN (keep, scalr_csr_row_len (dtrain, u)));
              g_assert_cmpuint (scalr_csr_row_len (valid, u), ==, 0);
              for (guint64 k = train->indptr[u]; k < train->indptr[u + 1]; k++)
                g_assert_true (row_contains (dtrain, u, train->indices[k]));
              if (keep == 0)
                g_assert_true (f[u] & SCALR_USER_COLD);
            }
          else
            {
              g_assert_true (rows_equal (train, dtrain, u));
              g_assert_true (rows_equal (valid, dvalid, u));
            }
        }
      g_assert_cmpuint (eligible, >, 600);
      g_assert_cmpuint (sparse, ==, (guint) round (0.3 * eligible));
      ScalrSplitCounts c;
      scalr_split_get_counts (s, &c);
      g_assert_cmpuint (c.sparse_users, ==, sparse);
      g_assert_cmpuint (c.overlap_users, ==, scalr_domains_get_n_overlap (dom));
      g_assert_cmpuint (c.dropped_events, >, 0);
    }
}

/* Validation users: disjoint from test users, the same share of sparse and of warm users,
 * their held-out events (sparse ones included) are the validation matrix; the held-out
 * choice is the older protocol's with valid_fraction = 0, and valid_users = 0 is exactly
 * the older split. */
static void
test_movielens_validation_users (gconstpointer data)
{
  ScalrDomains *dom = movielens ();
  ScalrSplitProtocol protocol = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  ScalrSplitOptions o = { protocol, 0.2, 0.0, 5, 0.3, 0, 7, 0.25 };
  g_autoptr (ScalrSplit) s = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  o.valid_users = 0.0;
  g_autoptr (ScalrSplit) none = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  check_partition (s);
  const guint8 *f = scalr_split_get_user_flags (s), *fn = scalr_split_get_user_flags (none);
  const ScalrCsr *valid = scalr_split_get_valid (s), *test = scalr_split_get_test (s);
  const ScalrCsr *ntest = scalr_split_get_test (none), *train = scalr_split_get_train (s), *ntrain = scalr_split_get_train (none);
  g_assert_cmpuint (scalr_split_get_valid (none)->nnz, ==, 0);
  guint n[2][2] = { { 0, 0 }, { 0, 0 } };   /* [sparse][validation] */
  for (guint u = 0; u < valid->n_rows; u++)
    {
      gboolean v = (f[u] & SCALR_USER_VALIDATION) != 0, t = (f[u] & SCALR_USER_TESTED) != 0;
      g_assert_false (v && t);
      /* Flags other than tested/validation, and the training events, are those of the split
       * without validation users; a validation user's validation events are what a test user's
       * test events would be. */
      g_assert_cmpuint (f[u] & ~(SCALR_USER_TESTED | SCALR_USER_VALIDATION), ==, fn[u] & ~SCALR_USER_TESTED);
      g_assert_cmpint (v || t, ==, (fn[u] & SCALR_USER_TESTED) != 0);
      g_assert_true (rows_equal (train, ntrain, u));
      if (v)
        {
          g_assert_cmpuint (scalr_csr_row_len (test, u), ==, 0);
          g_assert_cmpuint (scalr_csr_row_len (valid, u), >, 0);
          g_assert_cmpuint (scalr_csr_row_len (valid, u), ==, scalr_csr_row_len (ntest, u));
          for (guint64 k = valid->indptr[u]; k < valid->indptr[u + 1]; k++)
            g_assert_true (row_contains (ntest, u, valid->indices[k]));
        }
      else
        {
          g_assert_cmpuint (scalr_csr_row_len (valid, u), ==, 0);
          g_assert_true (rows_equal (test, ntest, u));
        }
      if (v || t)
        n[(f[u] & SCALR_USER_SPARSE) != 0][v]++;
    }
  for (guint sp = 0; sp < 2; sp++)
    {
      g_assert_cmpuint (n[sp][1], ==, (guint) round (0.25 * (n[sp][0] + n[sp][1])));
      g_assert_cmpuint (n[sp][1], >, 20);
    }
  ScalrSplitCounts c;
  scalr_split_get_counts (s, &c);
  g_assert_cmpuint (c.valid_users, ==, n[0][1] + n[1][1]);
  g_assert_cmpuint (c.valid_sparse_users, ==, n[1][1]);
  g_assert_cmpuint (c.tested_users, ==, n[0][0] + n[1][0]);

  /* valid_users = 0 with the older per-user validation events is the older split: the
   * assignment differs from the one with valid_fraction = 0 only where validation events
   * were taken from training. */
  ScalrSplitOptions legacy = { protocol, 0.2, 0.1, 5, 0.3, 0, 7, 0.0 };
  g_autoptr (ScalrSplit) l = scalr_split_new (dom, &legacy, &error);
  g_assert_no_error (error);
  const guint8 *fl = scalr_split_get_user_flags (l);
  for (guint u = 0; u < valid->n_rows; u++)
    g_assert_false (fl[u] & SCALR_USER_VALIDATION);
  g_assert_cmpuint (scalr_split_get_valid (l)->nnz, >, 0);
}

static void
test_movielens_determinism (void)
{
  ScalrDomains *dom = movielens ();
  const ScalrCsr *T = scalr_domains_get_target (dom)->matrix;
  const double *ts = scalr_domains_get_target (dom)->timestamps;
  g_autoptr (GError) error = NULL;
  ScalrSplitOptions o = { SCALR_SPLIT_RANDOM, 0.2, 0.1, 5, 0.3, 1, 42 };
  g_autoptr (ScalrSplit) a = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrSplit) b = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  o.seed = 43;
  g_autoptr (ScalrSplit) c = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (scalr_split_get_assignment (a), T->nnz, scalr_split_get_assignment (b), T->nnz);
  g_assert_cmpmem (scalr_split_get_user_flags (a), T->n_rows, scalr_split_get_user_flags (b), T->n_rows);
  g_assert_true (memcmp (scalr_split_get_assignment (a), scalr_split_get_assignment (c), T->nnz) != 0);
  g_assert_true (memcmp (scalr_split_get_user_flags (a), scalr_split_get_user_flags (c), T->n_rows) != 0);
  /* Without sparse users too: the held-out events themselves depend on the seed. */
  o.sparse_fraction = 0.0;
  g_autoptr (ScalrSplit) d1 = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  o.seed = 42;
  g_autoptr (ScalrSplit) d2 = scalr_split_new (dom, &o, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (scalr_split_get_assignment (d1), scalr_split_get_assignment (d2), T->nnz) != 0);

  /* Random held-out events are spread over the user's history: their mean relative rank by
   * time is near 1/2 (the latest would give 1, the first positions of the row about 0). */
  const guint8 *as = scalr_split_get_assignment (a);
  double sum = 0;
  guint64 n_test = 0;
  for (guint u = 0; u < T->n_rows; u++)
    {
      guint64 n = scalr_csr_row_len (T, u);
      for (guint64 e = T->indptr[u]; e < T->indptr[u + 1]; e++)
        if (as[e] == TEST)
          {
            guint64 rank = 0;
            for (guint64 x = T->indptr[u]; x < T->indptr[u + 1]; x++)
              rank += ts[x] < ts[e] || (ts[x] == ts[e] && x < e);
            sum += (double) rank / (double) (n - 1);
            n_test++;
          }
    }
  g_assert_cmpuint (n_test, >, 5000);
  g_assert_cmpfloat_with_epsilon (sum / n_test, 0.5, 0.03);

  /* Temporal: per user, every train event ≤ every valid event ≤ every test event in time;
   * without sparse users the seed does not matter. */
  ScalrSplitOptions t = { SCALR_SPLIT_TEMPORAL, 0.2, 0.1, 5, 0.3, 2, 42 };
  g_autoptr (ScalrSplit) ts1 = scalr_split_new (dom, &t, &error);
  g_assert_no_error (error);
  const guint8 *at = scalr_split_get_assignment (ts1);
  guint checked = 0;
  for (guint u = 0; u < T->n_rows; u++)
    {
      double max_ts[4] = { -INFINITY, -INFINITY, -INFINITY, -INFINITY };
      double min_ts[4] = { INFINITY, INFINITY, INFINITY, INFINITY };
      for (guint64 e = T->indptr[u]; e < T->indptr[u + 1]; e++)
        {
          max_ts[at[e]] = MAX (max_ts[at[e]], ts[e]);
          min_ts[at[e]] = MIN (min_ts[at[e]], ts[e]);
        }
      g_assert_cmpfloat (max_ts[TRAIN], <=, min_ts[TEST]);
      g_assert_cmpfloat (max_ts[TRAIN], <=, min_ts[VALID]);
      g_assert_cmpfloat (max_ts[VALID], <=, min_ts[TEST]);
      checked += min_ts[TEST] < INFINITY && max_ts[TRAIN] > -INFINITY;
    }
  g_assert_cmpuint (checked, >, 400);
  t.sparse_fraction = 0.0;
  g_autoptr (ScalrSplit) ts2 = scalr_split_new (dom, &t, &error);
  g_assert_no_error (error);
  t.seed = 1234;
  g_autoptr (ScalrSplit) ts3 = scalr_split_new (dom, &t, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (scalr_split_get_assignment (ts2), T->nnz, scalr_split_get_assignment (ts3), T->nnz);
}

static void
test_errors (void)
{
  g_autoptr (ScalrDataset) d = load_tiny ();
  g_autoptr (ScalrDomains) dom = tiny_domains (d);
  /* Each case changes one field (two for the sum) of the valid options in def. */
  const ScalrSplitOptions def = { SCALR_SPLIT_RANDOM, 0.25, 0.25, 2, 0.5, 1, 1 };
  struct {
    ScalrSplitOptions o;
    int code;
    const char *msg1, *msg2;
  } cases[] = {
    { { SCALR_SPLIT_RANDOM, 0.0, 0.25, 2, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "test_fraction 0 ", "(0, 1)" },
    { { SCALR_SPLIT_RANDOM, 1.0, 0.25, 2, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "test_fraction 1 ", "(0, 1)" },
    { { SCALR_SPLIT_RANDOM, NAN, 0.25, 2, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "test_fraction nan", "(0, 1)" },
    { { SCALR_SPLIT_RANDOM, 0.25, -0.1, 2, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "valid_fraction -0.1", "[0, 1)" },
    { { SCALR_SPLIT_RANDOM, 0.25, 1.0, 2, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "valid_fraction 1 ", "[0, 1)" },
    { { SCALR_SPLIT_RANDOM, 0.6, 0.4, 2, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "test_fraction + valid_fraction = 1 ", "must be < 1" },
    { { SCALR_SPLIT_RANDOM, 0.25, 0.25, 2, -0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "sparse_fraction -0.5", "[0, 1]" },
    { { SCALR_SPLIT_RANDOM, 0.25, 0.25, 2, 1.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "sparse_fraction 1.5", "[0, 1]" },
    { { SCALR_SPLIT_RANDOM, 0.25, 0.25, 1, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "min_target_events 1 ", "at least 2" },
    { { SCALR_SPLIT_RANDOM, 0.25, 0.25, 0, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "min_target_events 0 ", "at least 2" },
    { { 7, 0.25, 0.25, 2, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_INVALID, "protocol 7", "random or temporal" },
    { { SCALR_SPLIT_TEMPORAL, 0.25, 0.25, 5, 0.5, 1, 1 }, SCALR_SPLIT_ERROR_NO_TEST,
      "no user has at least min_target_events = 5", "lower min_target_events" },
    { { SCALR_SPLIT_RANDOM, 0.25, 0.25, 2, 0.5, 1, 1, 0.2 }, SCALR_SPLIT_ERROR_INVALID,
      "valid_users 0.2 and valid_fraction 0.25 cannot both be set", "set valid_fraction = 0" },
    { { SCALR_SPLIT_RANDOM, 0.25, 0.0, 2, 0.5, 1, 1, 1.0 }, SCALR_SPLIT_ERROR_INVALID, "valid_users 1 ", "[0, 1)" },
    { { SCALR_SPLIT_RANDOM, 0.25, 0.0, 2, 0.5, 1, 1, 0.9 }, SCALR_SPLIT_ERROR_NO_TEST,
      "valid_users = 0.9 leaves no test user", "lower valid_users" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrSplit) s = scalr_split_new (dom, &cases[k].o, &error);
      g_assert_null (s);
      test_assert_error_contains (error, SCALR_SPLIT_ERROR, cases[k].code, cases[k].msg1, cases[k].msg2);
    }
  /* The unchanged defaults are valid. */
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrSplit) ok = scalr_split_new (dom, &def, &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/split/tiny/temporal", test_tiny_temporal);
  g_test_add_func ("/scalr/split/tiny/keeps-one-train", test_tiny_keeps_one_train);
  g_test_add_func ("/scalr/split/tiny/sparse", test_tiny_sparse);
  g_test_add_func ("/scalr/split/owns-domains", test_owns_domains);
  g_test_add_data_func ("/scalr/split/movielens/partition-random", GINT_TO_POINTER (SCALR_SPLIT_RANDOM), test_movielens_partition);
  g_test_add_data_func ("/scalr/split/movielens/partition-temporal", GINT_TO_POINTER (SCALR_SPLIT_TEMPORAL), test_movielens_partition);
  g_test_add_func ("/scalr/split/movielens/determinism", test_movielens_determinism);
  g_test_add_data_func ("/scalr/split/movielens/validation-users/random", GINT_TO_POINTER (SCALR_SPLIT_RANDOM),
                        test_movielens_validation_users);
  g_test_add_data_func ("/scalr/split/movielens/validation-users/temporal", GINT_TO_POINTER (SCALR_SPLIT_TEMPORAL),
                        test_movielens_validation_users);
  g_test_add_func ("/scalr/split/errors", test_errors);
  int ret = g_test_run ();
  g_clear_pointer (&ml_domains, scalr_domains_unref);
  g_clear_pointer (&ml_dataset, scalr_dataset_unref);
  return ret;
}
