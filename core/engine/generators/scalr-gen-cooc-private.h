/* scalr-gen-cooc-private.h — the co-occurrence counts of the cooc generator, for the
 * generator itself, the tests and the benchmarks. */
#pragma once

#include <gio/gio.h>

#include "scalr-csr.h"

G_BEGIN_DECLS

/* C[j,i] = the number of users with source item j and target item i, as sorted rows. */
typedef struct {
  guint    n_rows;   /* source items */
  guint    n_cols;   /* target items */
  guint64  nnz;
  guint64 *ptr;      /* owned, n_rows + 1 */
  guint32 *idx;      /* owned, nnz: target items, ascending within a row */
  guint32 *count;    /* owned, nnz: ≥ 1 */
} ScalrCoocCounts;

/* C = Sᵀ T for @source (users × source items) and @target (users × target items, the same
 * users), on @n_threads threads (0: the thread policy); the result does not depend on the
 * thread count. Every pair is checked against the memory budget at @bytes_per_pair (what
 * the finished model will hold per pair). On error (SCALR_LIMITS_ERROR_MEMORY,
 * cancellation) returns NULL and sets @error. */
ScalrCoocCounts *_scalr_cooc_counts_new  (const ScalrCsr *source, const ScalrCsr *target, guint n_threads,
                                          guint64 bytes_per_pair, GCancellable *cancellable,
                                          GError **error) G_GNUC_WARN_UNUSED_RESULT;
void             _scalr_cooc_counts_free (ScalrCoocCounts *counts);

/* The counts inside a fitted cooc model (borrowed). */
const ScalrCoocCounts *_scalr_cooc_get_counts (gpointer model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrCoocCounts, _scalr_cooc_counts_free)

G_END_DECLS
