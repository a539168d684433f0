/* scalr-topk.h — the one keyed top-k order (a size-k min-heap for pushed candidates, a
 * buffered scan for dense arrays; never a full sort), the orderings built on it, and the
 * shared qsort comparators.
 *
 * Two ways in, one order: candidates pushed one at a time go through ScalrTopK (item-kNN's
 * neighbour lists, cooc's per-source-item top-k); a dense score array goes through
 * scalr_top_k / scalr_top_k_salted (the evaluation's ranked lists, the sampler's Gumbel and
 * deterministic top-k), which scan it into a candidate buffer cut by quickselect. The order
 * is total: a larger key first, on equal keys the lower index first — so the result never
 * depends on the order in which candidates are pushed. */
#pragma once

#include <math.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double  key;
  guint32 index;
} ScalrKeyed;

/* A top-k accumulator over caller-provided storage of k entries. */
typedef struct {
  ScalrKeyed *heap;   /* heap[0..len): a min-heap under the order, heap[0] the weakest kept */
  guint       len;
  guint       k;
} ScalrTopK;

/* Starts an empty selection of at most @k entries in @storage (room for @k entries). */
static inline void
scalr_top_k_init (ScalrTopK *t, ScalrKeyed *storage, guint k)
{
  t->heap = storage;
  t->len = 0;
  t->k = k;
}

/* a ranks before b: larger key, then lower index. */
static inline gboolean
scalr_keyed_before (double ka, guint32 ia, double kb, guint32 ib)
{
  return ka > kb || (ka == kb && ia < ib);
}

void  _scalr_top_k_insert (ScalrTopK *t, double key, guint32 index);

/* Offers (@key, @index); a key that is not finite is never kept. No failure. */
static inline void
scalr_top_k_push (ScalrTopK *t, double key, guint32 index)
{
  if (!isfinite (key) || t->k == 0)
    return;
  if (t->len == t->k && !scalr_keyed_before (key, index, t->heap[0].key, t->heap[0].index))
    return;
  _scalr_top_k_insert (t, key, index);
}

/* Sorts the kept entries in place, best first, and returns how many there are (≤ k). The
 * accumulator is empty afterwards (the sorted entries stay in the storage). No failure. */
guint scalr_top_k_finish (ScalrTopK *t);

/* Indices of the @k largest finite values of @scores, largest first (ties: lower index
 * first), into @out (room for @k). Returns how many were found (fewer than k when fewer
 * values are finite). No failure. */
guint scalr_top_k (const float *scores, guint n, guint k, guint32 *out);

/* As scalr_top_k, but values that tie are ordered by a permutation of the indices that @salt
 * chooses (a bijection of 32-bit integers) instead of by index: with a salt per user, a model
 * that gives many items one score (a user without events: every score 0) ranks them in an
 * order of its own for each user rather than in item-id order, which on most catalogues is
 * correlated with popularity and would credit the model with what it does not know. The same
 * salt gives the same order; salt 0 is not special. No failure. */
guint scalr_top_k_salted (const float *scores, guint n, guint k, guint32 salt, guint32 *out);

/* Fills @out with 0..n-1 ordered by @keys descending (ties: lower index first): a full
 * ordering, for the few tables that need one (popularity rankings). No failure. */
void  scalr_argsort_desc (const double *keys, guint n, guint32 *out);

/* qsort comparators, ascending: doubles (NaN compares equal to everything; callers sort
 * finite values) and unsigned 32-bit integers. */
int   scalr_cmp_double (const void *a, const void *b);
int   scalr_cmp_u32    (const void *a, const void *b);

G_END_DECLS
