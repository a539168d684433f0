/* scalr-csr.h — compressed sparse rows: a users × items matrix with optional float values. */
#pragma once

#include "scalr-types.h"

G_BEGIN_DECLS

struct _ScalrCsr {
  guint     n_rows;
  guint     n_cols;
  guint64   nnz;
  guint64  *indptr;    /* owned, n_rows + 1 */
  guint32  *indices;   /* owned, nnz; sorted within each row */
  float    *values;    /* owned, nnz, or NULL when every value is 1 */
};

/* Allocates a matrix with room for @nnz entries; indptr zeroed. */
ScalrCsr *scalr_csr_new        (guint n_rows, guint n_cols, guint64 nnz, gboolean with_values) G_GNUC_WARN_UNUSED_RESULT;
void      scalr_csr_free       (ScalrCsr *csr);
ScalrCsr *scalr_csr_copy       (const ScalrCsr *csr) G_GNUC_WARN_UNUSED_RESULT;
/* The transpose (items × users), rows sorted. */
ScalrCsr *scalr_csr_transpose  (const ScalrCsr *csr) G_GNUC_WARN_UNUSED_RESULT;
static inline guint64 scalr_csr_row_len (const ScalrCsr *csr, guint row)
{
  return csr->indptr[row + 1] - csr->indptr[row];
}
/* Entries per column (n_cols counts, owned by the caller). */
guint64  *scalr_csr_col_counts (const ScalrCsr *csr) G_GNUC_WARN_UNUSED_RESULT;
/* Number of rows with at least one entry. */
guint     scalr_csr_count_nonempty_rows (const ScalrCsr *csr);
/* Checks the invariants (monotone indptr, sorted unique in-range indices). */
gboolean  scalr_csr_is_valid   (const ScalrCsr *csr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrCsr, scalr_csr_free)

G_END_DECLS
