/* test-tiny.h — the hand-checkable cross-domain dataset and the MovieLens split shared by
 * test-generators.c and test-sampler.c. */
#pragma once

#include <math.h>

#include "scalr-config.h"
#include "scalr-csr.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-generator.h"
#include "scalr-import.h"
#include "scalr-split.h"
#include "test-util.h"

/* Users by first appearance: u1=0 u2=1 u3=2 u4=3 u5=4 z=5. Source items a=0 b=1 c=2,
 * target items p=0 q=1 r=2 s=3 (both by first appearance).
 *   u1: source a;    target p q
 *   u2: source a b;  target p r
 *   u3: source b;    target q
 *   u4: source a;    target p
 *   u5: source b c;  no target events (cold)
 *   z:  no source;   target p@1 q@2 r@3 s@4
 * With the temporal split of tiny_split (min_target_events 4, test 0.2, no validation, no
 * sparse users) only z is tested: its latest event s is the test event, everything else
 * trains. Training popularity: p 4, q 3, r 2, s 0 (9 events).
 * Co-occurrences C[j,i] (overlap users with training events):
 *   a: p 3 (u1 u2 u4), q 1 (u1), r 1 (u2)      m_a = 5
 *   b: p 1 (u2),       q 1 (u3), r 1 (u2)      m_b = 3     (u5 has no training events)
 *   c: none                                     m_c = 0 */
static const char *tiny_events =
  "user,item,rating,timestamp,domain\n"
  "u1,a,5,1,S\nu1,p,4,1,T\nu1,q,3,2,T\n"
  "u2,a,5,1,S\nu2,b,4,1,S\nu2,p,3,1,T\nu2,r,2,2,T\n"
  "u3,b,5,1,S\nu3,q,4,1,T\n"
  "u4,a,3,1,S\nu4,p,3,1,T\n"
  "u5,b,2,1,S\nu5,c,2,1,S\n"
  "z,p,1,1,T\nz,q,2,2,T\nz,r,3,3,T\nz,s,4,4,T\n";

enum { U1, U2, U3, U4, U5, UZ, N_TINY_USERS };
enum { SA, SB, SC };
enum { TP, TQ, TR, TS, N_TINY_ITEMS };

typedef struct {
  ScalrDataset *dataset;
  ScalrDomains *domains;
  ScalrSplit   *split;
} Tiny;

static inline ScalrDataset *
tiny_load (const char *events)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *ev = test_write_file (dir, "events.csv", events, -1);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, ev, NULL);
  g_autoptr (GError) error = NULL;
  ScalrDataset *d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  test_rm_rf (dir);
  return d;
}

static inline void
tiny_open_full (Tiny *t, const char *events, const ScalrSplitOptions *o)
{
  g_autoptr (GError) error = NULL;
  t->dataset = tiny_load (events);
  t->domains = scalr_domains_new (t->dataset, "domain:S", "domain:T", NULL, &error);
  g_assert_no_error (error);
  t->split = scalr_split_new (t->domains, o, &error);
  g_assert_no_error (error);
}

static inline void
tiny_open (Tiny *t)
{
  ScalrSplitOptions o = { SCALR_SPLIT_TEMPORAL, 0.2, 0.0, 4, 0.0, 0, 1 };
  tiny_open_full (t, tiny_events, &o);
  /* The split the comment above describes. */
  const ScalrCsr *train = scalr_split_get_train (t->split);
  g_assert_cmpuint (scalr_split_get_n_users (t->split), ==, N_TINY_USERS);
  g_assert_cmpuint (scalr_split_get_n_target_items (t->split), ==, N_TINY_ITEMS);
  g_assert_cmpuint (scalr_split_get_n_source_items (t->split), ==, 3);
  g_assert_cmpuint (train->nnz, ==, 9);
  g_assert_cmpuint (scalr_split_get_test (t->split)->nnz, ==, 1);
  g_assert_cmpuint (scalr_split_get_valid (t->split)->nnz, ==, 0);
  static const guint32 rows[N_TINY_USERS][3] = { { TP, TQ }, { TP, TR }, { TQ }, { TP }, { 0 }, { TP, TQ, TR } };
  static const guint lens[N_TINY_USERS] = { 2, 2, 1, 1, 0, 3 };
  for (guint u = 0; u < N_TINY_USERS; u++)
    {
      g_assert_cmpuint (scalr_csr_row_len (train, u), ==, lens[u]);
      for (guint k = 0; k < lens[u]; k++)
        g_assert_cmpuint (train->indices[train->indptr[u] + k], ==, rows[u][k]);
    }
  const ScalrCsr *S = scalr_split_get_source (t->split);
  g_assert_cmpuint (S->nnz, ==, 7);
  g_assert_cmpuint (scalr_csr_row_len (S, U2), ==, 2);
  g_assert_cmpuint (S->indices[S->indptr[U5] + 1], ==, SC);
  const guint8 *f = scalr_split_get_user_flags (t->split);
  g_assert_cmpuint (f[U5], ==, SCALR_USER_HAS_SOURCE | SCALR_USER_COLD);
  g_assert_cmpuint (f[UZ], ==, SCALR_USER_TESTED);
  g_assert_cmpuint (f[U1], ==, SCALR_USER_HAS_SOURCE | SCALR_USER_OVERLAP);
}

static inline void
tiny_close (Tiny *t)
{
  g_clear_pointer (&t->split, scalr_split_free);
  g_clear_pointer (&t->domains, scalr_domains_unref);
  g_clear_pointer (&t->dataset, scalr_dataset_unref);
}

/* A config with [generator] model and temperature and more key/value pairs (NULL-ended). */
static inline ScalrConfig *
gen_config (const char *model, const char *temperature, ...)
{
  ScalrConfig *c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  scalr_config_set (c, "generator", "model", model, &error);
  g_assert_no_error (error);
  scalr_config_set (c, "generator", "temperature", temperature, &error);
  g_assert_no_error (error);
  va_list ap;
  va_start (ap, temperature);
  const char *key;
  while ((key = va_arg (ap, const char *)) != NULL)
    {
      const char *value = va_arg (ap, const char *);
      const char *dot = strchr (key, '.');
      g_autofree char *group = dot ? g_strndup (key, (gsize) (dot - key)) : g_strdup ("generator");
      scalr_config_set (c, group, dot ? dot + 1 : key, value, &error);
      g_assert_no_error (error);
    }
  va_end (ap);
  return c;
}

static inline ScalrGenerator *
gen_fit (ScalrSplit *split, const ScalrConfig *c)
{
  g_autoptr (GError) error = NULL;
  ScalrGenerator *g = scalr_generator_fit (split, c, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g);
  return g;
}

/* MovieLens Comedy → Drama, loaded once per test program. */
static ScalrDataset *ml_dataset;
static ScalrDomains *ml_domains;

static inline ScalrDomains *
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

static inline void
movielens_free (void)
{
  g_clear_pointer (&ml_domains, scalr_domains_unref);
  g_clear_pointer (&ml_dataset, scalr_dataset_unref);
}

/* The default protocol (0.2 test, 0.1 validation, min 5, 30% sparse users, cold). */
static inline ScalrSplit *
movielens_split (void)
{
  g_autoptr (GError) error = NULL;
  ScalrSplitOptions o = SCALR_SPLIT_OPTIONS_INIT;
  ScalrSplit *s = scalr_split_new (movielens (), &o, &error);
  g_assert_no_error (error);
  return s;
}
