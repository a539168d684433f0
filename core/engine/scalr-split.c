/* scalr-split.c — the evaluation protocol's split of the target domain (docs/ARCHITECTURE.md).
 *
 * One pass over the users of the target matrix writes one byte per target event (train,
 * valid, test, dropped); a second pass picks the sparse users among the tested overlap users
 * and drops their surplus training and their validation events; a third builds the three
 * users × target-items matrices from the assignment. Every random choice uses a stream of
 * its own per (seed, purpose, user), so the split depends on nothing but the data, the
 * options and the seed — not on the order users are visited in. Memory: the assignment
 * (1 byte per event), the three output matrices, and scratch arrays as long as the longest
 * user row; nothing is allocated per event or per user. */
#include "config.h"

#include "scalr-split.h"
#include "scalr-split-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalr-domains.h"
#include "scalr-rng.h"

G_DEFINE_QUARK (scalr-split-error-quark, scalr_split_error)

/* [split]: the evaluation protocol (docs/ARCHITECTURE.md). */
const ScalrParam scalr_split_params[] = {
  { "split", "protocol", SCALR_PARAM_CHOICE, "random", 0, 0, "random|temporal",
    "Hold out events at random (seeded) or the latest by timestamp", NULL },
  { "split", "test_fraction", SCALR_PARAM_DOUBLE, "0.2", 0.01, 0.9, NULL,
    "Share of each tested user's target events held out for testing", NULL },
  { "split", "valid_users", SCALR_PARAM_DOUBLE, "0.25", 0.0, 0.9, NULL,
    "Share of the held-out users made validation users (sparse and warm alike): what fits or selects anything reads only them", NULL },
  { "split", "valid_fraction", SCALR_PARAM_DOUBLE, "0", 0.0, 0.9, NULL,
    "Older protocol, kept for stored runs: a validation share of every tested user's own events (needs valid_users = 0)", NULL },
  { "split", "min_target_events", SCALR_PARAM_INT, "5", 2, 1000000, NULL,
    "Users with fewer target events are not tested (all their events train)", NULL },
  { "split", "sparse_fraction", SCALR_PARAM_DOUBLE, "0.3", 0.0, 1.0, NULL,
    "Share of tested overlap users made sparse (cross-domain cold-start simulation)", NULL },
  { "split", "sparse_keep", SCALR_PARAM_INT, "0", 0, 1000000, NULL,
    "Target training events a sparse user keeps (0: cold)", NULL },
  { "split", "seed", SCALR_PARAM_INT, "42", 0, 9007199254740991.0, NULL,
    "Seed of the split and the sparse-user choice", NULL },
  { NULL }
};

enum {
  PART_TRAIN = 0,
  PART_VALID = 1,
  PART_TEST = 2,
  PART_DROPPED = 3,
};

struct _ScalrSplit {
  ScalrDomains     *domains;      /* a reference */
  ScalrSplitOptions options;
  guint             n_users;
  ScalrCsr         *train;        /* owned */
  ScalrCsr         *valid;        /* owned */
  ScalrCsr         *test;         /* owned */
  guint8           *flags;        /* owned, n_users */
  guint8           *assignment;   /* owned, target nnz */
  ScalrSplitCounts  counts;
};

/* An event of one user's row: its position in the row and its timestamp. */
typedef struct {
  double  ts;
  guint32 pos;
} TimedPos;

/* By timestamp, ties by position (= by item id, rows being sorted by item). */
static int
cmp_timed_pos (const void *a, const void *b)
{
  const TimedPos *x = a, *y = b;
  if (x->ts < y->ts)
    return -1;
  if (x->ts > y->ts)
    return 1;
  return (x->pos > y->pos) - (x->pos < y->pos);
}

typedef struct {
  guint64 key;
  guint32 user;
} Candidate;

static int
cmp_candidate (const void *a, const void *b)
{
  const Candidate *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->user > y->user) - (x->user < y->user);
}

static gboolean
check_options (const ScalrSplitOptions *o, GError **error)
{
  if (o->protocol != SCALR_SPLIT_RANDOM && o->protocol != SCALR_SPLIT_TEMPORAL)
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_INVALID,
                   "split protocol %d is unknown; must be random or temporal", (int) o->protocol);
      return FALSE;
    }
  /* Written so that NaN fails every range check. */
  if (!(o->test_fraction > 0.0 && o->test_fraction < 1.0))
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_INVALID,
                   "test_fraction %g is out of range; must be in (0, 1)", o->test_fraction);
      return FALSE;
    }
  if (!(o->valid_fraction >= 0.0 && o->valid_fraction < 1.0))
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_INVALID,
                   "valid_fraction %g is out of range; must be in [0, 1)", o->valid_fraction);
      return FALSE;
    }
  if (!(o->valid_users >= 0.0 && o->valid_users < 1.0))
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_INVALID,
                   "valid_users %g is out of range; must be in [0, 1)", o->valid_users);
      return FALSE;
    }
  if (o->valid_users > 0.0 && o->valid_fraction > 0.0)
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_INVALID,
                   "valid_users %g and valid_fraction %g cannot both be set: validation users "
                   "replace the older per-user validation events (set valid_fraction = 0)",
                   o->valid_users, o->valid_fraction);
      return FALSE;
    }
  if (!(o->test_fraction + o->valid_fraction < 1.0))
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_INVALID,
                   "test_fraction + valid_fraction = %g is out of range; must be < 1 "
                   "(test_fraction %g, valid_fraction %g)",
                   o->test_fraction + o->valid_fraction, o->test_fraction, o->valid_fraction);
      return FALSE;
    }
  if (!(o->sparse_fraction >= 0.0 && o->sparse_fraction <= 1.0))
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_INVALID,
                   "sparse_fraction %g is out of range; must be in [0, 1]", o->sparse_fraction);
      return FALSE;
    }
  if (o->min_target_events < 2)
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_INVALID,
                   "min_target_events %u is out of range; must be at least 2 "
                   "(a tested user needs one training and one test event)", o->min_target_events);
      return FALSE;
    }
  return TRUE;
}

/* How many of a tested user's n events go to test and to validation: at least one test event,
 * at least one validation event when valid_fraction > 0, and always one training event
 * (validation shrinks first). n ≥ 2. */
static void
held_out_sizes (const ScalrSplitOptions *o, guint64 n, guint64 *n_test, guint64 *n_valid)
{
  guint64 t = MAX (1, (guint64) round (o->test_fraction * (double) n));
  guint64 v = o->valid_fraction > 0.0 ? MAX (1, (guint64) round (o->valid_fraction * (double) n)) : 0;
  if (t + v > n - 1)
    v = t < n - 1 ? n - 1 - t : 0;
  if (t > n - 1)
    t = n - 1;
  *n_test = t;
  *n_valid = v;
}

/* Fills tp[0..n) with the row's events sorted by (timestamp, item). */
static void
sort_by_time (TimedPos *tp, const double *ts, guint64 n)
{
  for (guint64 k = 0; k < n; k++)
    {
      tp[k].ts = ts[k];
      tp[k].pos = (guint32) k;
    }
  qsort (tp, n, sizeof (TimedPos), cmp_timed_pos);
}

/* Partial Fisher–Yates: afterwards perm[0..k) is a uniform random k-subset of perm[0..n),
 * in random order. */
static void
partial_shuffle (guint32 *perm, guint64 n, guint64 k, ScalrRng *rng)
{
  for (guint64 i = 0; i < k && i + 1 < n; i++)
    {
      guint64 j = i + scalr_rng_below (rng, (guint32) (n - i));
      guint32 tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
}

/* Builds the users × items matrix of the events assigned to @part. */
static ScalrCsr *
build_part (const ScalrCsr *t, const guint8 *assignment, guint8 part, guint64 nnz)
{
  ScalrCsr *m = scalr_csr_new (t->n_rows, t->n_cols, nnz, t->values != NULL);
  guint64 w = 0;
  for (guint u = 0; u < t->n_rows; u++)
    {
      for (guint64 e = t->indptr[u]; e < t->indptr[u + 1]; e++)
        if (assignment[e] == part)
          {
            m->indices[w] = t->indices[e];
            if (m->values)
              m->values[w] = t->values[e];
            w++;
          }
      m->indptr[u + 1] = w;
    }
  g_assert (w == nnz);
  return m;
}

/* Validation users: within the sparse users and within the other held-out users, the
 * round(valid_users · n) with the smallest first draw of their VALID_USERS stream. Their
 * test events become validation events and they stop being tested. Fails when no test user
 * would be left. */
static gboolean
choose_validation_users (const ScalrCsr *T, const ScalrSplitOptions *o, guint8 *flags, guint8 *assignment,
                         guint n_users, guint *n_tested, GError **error)
{
  g_autofree Candidate *cand = g_new (Candidate, MAX (*n_tested, 1));
  guint n_valid = 0;
  for (guint stratum = 0; stratum < 2; stratum++)
    {
      guint8 want = stratum ? SCALR_USER_SPARSE : 0;
      guint n = 0;
      for (guint u = 0; u < n_users; u++)
        if ((flags[u] & SCALR_USER_TESTED) && (flags[u] & SCALR_USER_SPARSE) == want)
          {
            ScalrRng rng;
            scalr_rng_init (&rng, o->seed, SCALR_STREAM_VALID_USERS, u);
            cand[n].key = scalr_rng_next (&rng);
            cand[n].user = u;
            n++;
          }
      qsort (cand, n, sizeof (Candidate), cmp_candidate);
      guint take = (guint) round (o->valid_users * (double) n);
      for (guint k = 0; k < take; k++)
        {
          guint u = cand[k].user;
          flags[u] = (guint8) ((flags[u] & ~SCALR_USER_TESTED) | SCALR_USER_VALIDATION);
          for (guint64 e = T->indptr[u]; e < T->indptr[u + 1]; e++)
            if (assignment[e] == PART_TEST)
              assignment[e] = PART_VALID;
        }
      n_valid += take;
    }
  if (n_valid >= *n_tested)
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_NO_TEST,
                   "valid_users = %g leaves no test user (of %u users with held-out events); lower valid_users",
                   o->valid_users, *n_tested);
      return FALSE;
    }
  *n_tested -= n_valid;
  return TRUE;
}

/* The working state of one split: the target matrix, each event's part, each user's flags,
 * and scratch rows as long as the longest user row. */
typedef struct {
  const ScalrSplitOptions *o;
  const ScalrCsr          *S, *T;
  const double            *timestamps;   /* of the target events */
  gboolean                 temporal;
  guint8                  *assignment;   /* T->nnz parts, all PART_TRAIN at first */
  guint8                  *flags;        /* n_users */
  guint32                 *perm;         /* max_row */
  TimedPos                *tp;           /* max_row, temporal only */
} Work;

/* Pass 1: flags source and overlap users, and holds out test and validation events of every
 * user with at least min_target_events target events. Returns the number of tested users. */
static guint
hold_out (Work *w)
{
  const ScalrSplitOptions *o = w->o;
  const ScalrCsr *T = w->T;
  guint n_tested = 0;
  for (guint u = 0; u < T->n_rows; u++)
    {
      guint64 n = scalr_csr_row_len (T, u);
      guint64 base = T->indptr[u];
      if (scalr_csr_row_len (w->S, u) > 0)
        w->flags[u] |= SCALR_USER_HAS_SOURCE | (n > 0 ? SCALR_USER_OVERLAP : 0);
      if (n < o->min_target_events)
        continue;
      guint64 n_test, n_valid;
      held_out_sizes (o, n, &n_test, &n_valid);
      if (w->temporal)
        {
          sort_by_time (w->tp, w->timestamps + base, n);
          for (guint64 k = 0; k < n_test; k++)
            w->assignment[base + w->tp[n - 1 - k].pos] = PART_TEST;
          for (guint64 k = n_test; k < n_test + n_valid; k++)
            w->assignment[base + w->tp[n - 1 - k].pos] = PART_VALID;
        }
      else
        {
          ScalrRng rng;
          scalr_rng_init (&rng, o->seed, SCALR_STREAM_SPLIT, u);
          for (guint64 k = 0; k < n; k++)
            w->perm[k] = (guint32) k;
          partial_shuffle (w->perm, n, n_test + n_valid, &rng);
          for (guint64 k = 0; k < n_test; k++)
            w->assignment[base + w->perm[k]] = PART_TEST;
          for (guint64 k = n_test; k < n_test + n_valid; k++)
            w->assignment[base + w->perm[k]] = PART_VALID;
        }
      w->flags[u] |= SCALR_USER_TESTED;
      n_tested++;
    }
  return n_tested;
}

/* Makes @u sparse: it keeps sparse_keep of its training events (random: a subset drawn from
 * its SPARSE stream after the key; temporal: the earliest); the other training events and
 * every validation event are dropped. */
static void
make_sparse (Work *w, guint u)
{
  const ScalrCsr *T = w->T;
  guint64 base = T->indptr[u], n = scalr_csr_row_len (T, u);
  w->flags[u] |= SCALR_USER_SPARSE;
  /* perm[0..n_train): the row positions of the user's training events, in the order they are
   * kept (the first sparse_keep stay). */
  guint64 n_train = 0;
  if (w->temporal)
    {
      sort_by_time (w->tp, w->timestamps + base, n);
      for (guint64 i = 0; i < n; i++)
        if (w->assignment[base + w->tp[i].pos] == PART_TRAIN)
          w->perm[n_train++] = w->tp[i].pos;
    }
  else
    {
      for (guint64 i = 0; i < n; i++)
        if (w->assignment[base + i] == PART_TRAIN)
          w->perm[n_train++] = (guint32) i;
      ScalrRng rng;
      scalr_rng_init (&rng, w->o->seed, SCALR_STREAM_SPARSE, u);
      (void) scalr_rng_next (&rng);   /* the key */
      partial_shuffle (w->perm, n_train, MIN (w->o->sparse_keep, n_train), &rng);
    }
  for (guint64 i = w->o->sparse_keep; i < n_train; i++)
    w->assignment[base + w->perm[i]] = PART_DROPPED;
  for (guint64 i = 0; i < n; i++)
    if (w->assignment[base + i] == PART_VALID)
      w->assignment[base + i] = PART_DROPPED;
}

/* Pass 2: sparse-user simulation. Each tested overlap user gets a key, the first draw of
 * their SPARSE stream; the users with the smallest keys become sparse. Returns how many. */
static guint
simulate_sparse (Work *w)
{
  const guint8 both = SCALR_USER_TESTED | SCALR_USER_OVERLAP;
  guint n_users = w->T->n_rows, n_candidates = 0;
  for (guint u = 0; u < n_users; u++)
    n_candidates += (w->flags[u] & both) == both;
  guint n_sparse = (guint) round (w->o->sparse_fraction * (double) n_candidates);
  if (n_sparse == 0)
    return 0;
  g_autofree Candidate *cand = g_new (Candidate, n_candidates);
  guint c = 0;
  for (guint u = 0; u < n_users; u++)
    if ((w->flags[u] & both) == both)
      {
        ScalrRng rng;
        scalr_rng_init (&rng, w->o->seed, SCALR_STREAM_SPARSE, u);
        cand[c].key = scalr_rng_next (&rng);
        cand[c].user = u;
        c++;
      }
  qsort (cand, n_candidates, sizeof (Candidate), cmp_candidate);
  for (guint k = 0; k < n_sparse; k++)
    make_sparse (w, cand[k].user);
  return n_sparse;
}

/* Pass 3: cold users and the counts. */
static void
count_parts (const Work *w, ScalrSplitCounts *cnt)
{
  const ScalrCsr *T = w->T;
  guint64 per_part[4] = { 0, 0, 0, 0 };
  for (guint64 e = 0; e < T->nnz; e++)
    per_part[w->assignment[e]]++;
  cnt->train_events = per_part[PART_TRAIN];
  cnt->valid_events = per_part[PART_VALID];
  cnt->test_events = per_part[PART_TEST];
  cnt->dropped_events = per_part[PART_DROPPED];
  cnt->users = T->n_rows;
  for (guint u = 0; u < T->n_rows; u++)
    {
      gboolean any_train = FALSE;
      for (guint64 e = T->indptr[u]; e < T->indptr[u + 1] && !any_train; e++)
        any_train = w->assignment[e] == PART_TRAIN;
      if (!any_train)
        w->flags[u] |= SCALR_USER_COLD;
      guint8 f = w->flags[u];
      cnt->source_users += (f & SCALR_USER_HAS_SOURCE) != 0;
      cnt->overlap_users += (f & SCALR_USER_OVERLAP) != 0;
      cnt->tested_users += (f & SCALR_USER_TESTED) != 0;
      cnt->sparse_users += (f & SCALR_USER_SPARSE) != 0;
      cnt->cold_users += (f & SCALR_USER_COLD) != 0;
      cnt->valid_users += (f & SCALR_USER_VALIDATION) != 0;
      cnt->valid_sparse_users += (f & (SCALR_USER_VALIDATION | SCALR_USER_SPARSE))
                                 == (SCALR_USER_VALIDATION | SCALR_USER_SPARSE);
    }
}

ScalrSplit *
scalr_split_new (ScalrDomains *domains, const ScalrSplitOptions *options, GError **error)
{
  g_return_val_if_fail (domains != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  ScalrSplitOptions defaults = SCALR_SPLIT_OPTIONS_INIT;
  if (options == NULL)
    options = &defaults;
  if (!check_options (options, error))
    return NULL;

  const ScalrDomain *tgt = scalr_domains_get_target (domains);
  Work w = {
    .o = options,
    .S = scalr_domains_get_source (domains)->matrix,
    .T = tgt->matrix,
    .timestamps = tgt->timestamps,
    .temporal = options->protocol == SCALR_SPLIT_TEMPORAL,
  };
  guint n_users = w.T->n_rows;
  g_assert (w.S->n_rows == n_users);
  g_autofree guint8 *assignment = w.assignment = g_new0 (guint8, MAX (w.T->nnz, 1));   /* all train */
  g_autofree guint8 *flags = w.flags = g_new0 (guint8, MAX (n_users, 1));
  guint64 max_row = 0;
  for (guint u = 0; u < n_users; u++)
    max_row = MAX (max_row, scalr_csr_row_len (w.T, u));
  /* Row positions fit in 32 bits: a user with 2^32 events of one domain would need a
   * matrix with more columns than a ScalrId can number. */
  g_assert (max_row <= G_MAXUINT32);
  g_autofree guint32 *perm = w.perm = g_new (guint32, MAX (max_row, 1));
  g_autofree TimedPos *tp = w.tp = w.temporal ? g_new (TimedPos, MAX (max_row, 1)) : NULL;

  guint n_tested = hold_out (&w);
  if (n_tested == 0)
    {
      g_set_error (error, SCALR_SPLIT_ERROR, SCALR_SPLIT_ERROR_NO_TEST,
                   "no user has at least min_target_events = %u target events (the most any user "
                   "has is %" G_GUINT64_FORMAT "); lower min_target_events",
                   options->min_target_events, max_row);
      return NULL;
    }
  guint n_sparse = simulate_sparse (&w);
  if (options->valid_users > 0.0
      && !choose_validation_users (w.T, options, flags, assignment, n_users, &n_tested, error))
    return NULL;

  g_autoptr (ScalrSplit) self = g_new0 (ScalrSplit, 1);
  self->domains = scalr_domains_ref (domains);
  self->options = *options;
  self->n_users = n_users;
  count_parts (&w, &self->counts);
  g_assert (self->counts.tested_users == n_tested && self->counts.sparse_users == n_sparse);
  self->train = build_part (w.T, assignment, PART_TRAIN, self->counts.train_events);
  self->valid = build_part (w.T, assignment, PART_VALID, self->counts.valid_events);
  self->test = build_part (w.T, assignment, PART_TEST, self->counts.test_events);
  self->flags = g_steal_pointer (&flags);
  self->assignment = g_steal_pointer (&assignment);
  return g_steal_pointer (&self);
}

void
scalr_split_free (ScalrSplit *split)
{
  if (split == NULL)
    return;
  g_clear_pointer (&split->train, scalr_csr_free);
  g_clear_pointer (&split->valid, scalr_csr_free);
  g_clear_pointer (&split->test, scalr_csr_free);
  g_clear_pointer (&split->flags, g_free);
  g_clear_pointer (&split->assignment, g_free);
  g_clear_pointer (&split->domains, scalr_domains_unref);
  g_free (split);
}

ScalrDomains *
scalr_split_get_domains (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, NULL);
  return split->domains;
}

const ScalrSplitOptions *
scalr_split_get_options (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, NULL);
  return &split->options;
}

guint
scalr_split_get_n_users (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, 0);
  return split->n_users;
}

guint
scalr_split_get_n_target_items (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, 0);
  return scalr_domains_get_target (split->domains)->n_items;
}

guint
scalr_split_get_n_source_items (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, 0);
  return scalr_domains_get_source (split->domains)->n_items;
}

const ScalrCsr *
scalr_split_get_source (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, NULL);
  return scalr_domains_get_source (split->domains)->matrix;
}

const ScalrCsr *
scalr_split_get_train (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, NULL);
  return split->train;
}

const ScalrCsr *
scalr_split_get_valid (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, NULL);
  return split->valid;
}

const ScalrCsr *
scalr_split_get_test (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, NULL);
  return split->test;
}

const guint8 *
scalr_split_get_user_flags (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, NULL);
  return split->flags;
}

void
scalr_split_get_counts (ScalrSplit *split, ScalrSplitCounts *out)
{
  g_return_if_fail (split != NULL && out != NULL);
  *out = split->counts;
}

const guint8 *
scalr_split_get_assignment (ScalrSplit *split)
{
  g_return_val_if_fail (split != NULL, NULL);
  return split->assignment;
}

void
_scalr_split_replace_test (ScalrSplit *split, ScalrCsr *test)
{
  g_return_if_fail (split != NULL && test != NULL);
  g_return_if_fail (test->n_rows == split->test->n_rows && test->n_cols == split->test->n_cols);
  scalr_csr_free (split->test);
  split->test = test;
}
