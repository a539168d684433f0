/* test-csr.h — small matrices for the recommender tests: a CSR from a dense array, a seeded
 * random one, a float dot product in double. */
#pragma once

#include <glib.h>

#include "scalr-csr.h"

/* A CSR of the non-zero entries of a dense rows × cols array (values kept). */
static inline ScalrCsr *
test_csr_from_dense (guint rows, guint cols, const float *d)
{
  guint64 nnz = 0;
  for (gsize k = 0; k < (gsize) rows * cols; k++)
    nnz += d[k] != 0.0f;
  ScalrCsr *m = scalr_csr_new (rows, cols, nnz, TRUE);
  guint64 e = 0;
  for (guint r = 0; r < rows; r++)
    {
      for (guint c = 0; c < cols; c++)
        if (d[(gsize) r * cols + c] != 0.0f)
          {
            m->indices[e] = c;
            m->values[e] = d[(gsize) r * cols + c];
            e++;
          }
      m->indptr[r + 1] = e;
    }
  g_assert_true (scalr_csr_is_valid (m));
  return m;
}

/* A seeded random matrix: each entry present with probability @density, weight 1…3. */
static inline ScalrCsr *
test_csr_random (guint rows, guint cols, double density, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree float *d = g_new0 (float, (gsize) rows * cols);
  for (gsize k = 0; k < (gsize) rows * cols; k++)
    if (g_rand_double (rand) < density)
      d[k] = (float) g_rand_int_range (rand, 1, 4);
  return test_csr_from_dense (rows, cols, d);
}

static inline double
test_dot (const float *a, const float *b, guint k)
{
  double s = 0.0;
  for (guint x = 0; x < k; x++)
    s += (double) a[x] * b[x];
  return s;
}
