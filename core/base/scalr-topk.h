/* scalr-topk.h — partial top-k selection (a size-k min-heap; O(n log k), never a full sort). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Indices of the @k largest finite values of @scores, largest first (ties: lower index
 * first). Returns how many were found (fewer than k when fewer values are finite). */
guint scalr_top_k (const float *scores, guint n, guint k, guint32 *out);

/* Fills @out with 0..n-1 ordered by @keys descending (ties: lower index first): a full
 * ordering, for the few tables that need one (popularity rankings). */
void  scalr_argsort_desc (const double *keys, guint n, guint32 *out);

G_END_DECLS
