/* scalr-csr.c — compressed sparse rows. */
#include "config.h"

#include "scalr-csr.h"

#include <string.h>

ScalrCsr *
scalr_csr_new (guint n_rows, guint n_cols, guint64 nnz, gboolean with_values)
{
  ScalrCsr *m = g_new0 (ScalrCsr, 1);
  m->n_rows = n_rows;
  m->n_cols = n_cols;
  m->nnz = nnz;
  m->indptr = g_new0 (guint64, (gsize) n_rows + 1);
  m->indices = g_new (guint32, MAX (nnz, 1));
  m->values = with_values ? g_new (float, MAX (nnz, 1)) : NULL;
  return m;
}

void
scalr_csr_free (ScalrCsr *m)
{
  if (m == NULL)
    return;
  g_free (m->indptr);
  g_free (m->indices);
  g_free (m->values);
  g_free (m);
}

ScalrCsr *
scalr_csr_copy (const ScalrCsr *m)
{
  ScalrCsr *c = scalr_csr_new (m->n_rows, m->n_cols, m->nnz, m->values != NULL);
  memcpy (c->indptr, m->indptr, ((gsize) m->n_rows + 1) * sizeof (guint64));
  memcpy (c->indices, m->indices, m->nnz * sizeof (guint32));
  if (m->values)
    memcpy (c->values, m->values, m->nnz * sizeof (float));
  return c;
}

guint64 *
scalr_csr_col_counts (const ScalrCsr *m)
{
  guint64 *counts = g_new0 (guint64, MAX (m->n_cols, 1));
  for (guint64 k = 0; k < m->nnz; k++)
    counts[m->indices[k]]++;
  return counts;
}

ScalrCsr *
scalr_csr_transpose (const ScalrCsr *m)
{
  ScalrCsr *t = scalr_csr_new (m->n_cols, m->n_rows, m->nnz, m->values != NULL);
  for (guint64 k = 0; k < m->nnz; k++)
    t->indptr[m->indices[k] + 1]++;
  for (guint c = 0; c < m->n_cols; c++)
    t->indptr[c + 1] += t->indptr[c];
  g_autofree guint64 *cursor = g_memdup2 (t->indptr, ((gsize) m->n_cols + 1) * sizeof (guint64));
  /* Rows visited in order, so each column's entries come out sorted by row. */
  for (guint r = 0; r < m->n_rows; r++)
    for (guint64 k = m->indptr[r]; k < m->indptr[r + 1]; k++)
      {
        guint64 dst = cursor[m->indices[k]]++;
        t->indices[dst] = r;
        if (m->values)
          t->values[dst] = m->values[k];
      }
  return t;
}

guint
scalr_csr_count_nonempty_rows (const ScalrCsr *m)
{
  guint n = 0;
  for (guint r = 0; r < m->n_rows; r++)
    n += m->indptr[r + 1] > m->indptr[r];
  return n;
}

gboolean
scalr_csr_is_valid (const ScalrCsr *m)
{
  if (m->indptr[0] != 0 || m->indptr[m->n_rows] != m->nnz)
    return FALSE;
  for (guint r = 0; r < m->n_rows; r++)
    {
      if (m->indptr[r + 1] < m->indptr[r])
        return FALSE;
      for (guint64 k = m->indptr[r]; k < m->indptr[r + 1]; k++)
        {
          if (m->indices[k] >= m->n_cols)
            return FALSE;
          if (k > m->indptr[r] && m->indices[k] <= m->indices[k - 1])
            return FALSE;
        }
    }
  return TRUE;
}
