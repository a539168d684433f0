/* test-cooc.c — the co-occurrence build (C = SᵀT): the tiny split's counts by hand, a seeded
 * random case against the definition for 1, 2, 3 and 7 threads — a narrow target catalogue
 * (the one-level bitmap) and a wide one (the summary level) —, the memory and cancellation
 * errors; and on MovieLens, the whole cooc generator — counts, weights, alias tables, the
 * fitted temperature and its log-likelihood — identical for 1 and 3 threads. */
#include "config.h"

#include "generators/scalr-gen-cooc-private.h"
#include "scalr-limits.h"
#include "scalr-parallel.h"
#include "scalr-registry.h"
#include "test-tiny.h"

static void
assert_counts_equal (const ScalrCoocCounts *a, const ScalrCoocCounts *b)
{
  g_assert_cmpuint (a->n_rows, ==, b->n_rows);
  g_assert_cmpuint (a->n_cols, ==, b->n_cols);
  g_assert_cmpuint (a->nnz, ==, b->nnz);
  g_assert_cmpmem (a->ptr, (a->n_rows + 1) * sizeof (guint64), b->ptr, (b->n_rows + 1) * sizeof (guint64));
  g_assert_cmpmem (a->idx, a->nnz * sizeof (guint32), b->idx, b->nnz * sizeof (guint32));
  g_assert_cmpmem (a->count, a->nnz * sizeof (guint32), b->count, b->nnz * sizeof (guint32));
}

/* The counts of test-tiny.h's comment: a: p 3, q 1, r 1; b: p 1, q 1, r 1; c: none (u5 has
 * no target training events; z no source events). */
static void
test_tiny (void)
{
  Tiny t;
  tiny_open (&t);
  const ScalrCsr *S = scalr_split_get_source (t.split), *T = scalr_split_get_train (t.split);
  for (guint threads = 1; threads <= 3; threads++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrCoocCounts) c = _scalr_cooc_counts_new (S, T, threads, 36, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (c->n_rows, ==, 3);
      g_assert_cmpuint (c->n_cols, ==, N_TINY_ITEMS);
      g_assert_cmpuint (c->nnz, ==, 6);
      const guint64 ptr[] = { 0, 3, 6, 6 };
      const guint32 idx[] = { TP, TQ, TR, TP, TQ, TR }, count[] = { 3, 1, 1, 1, 1, 1 };
      g_assert_cmpmem (c->ptr, sizeof ptr, ptr, sizeof ptr);
      g_assert_cmpmem (c->idx, sizeof idx, idx, sizeof idx);
      g_assert_cmpmem (c->count, sizeof count, count, sizeof count);
    }
  tiny_close (&t);
}

/* A seeded random users × items matrix with the given density (values NULL). */
static ScalrCsr *
random_matrix (guint rows, guint cols, double density, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GArray) idx = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint64 *ptr = g_new0 (guint64, rows + 1);
  for (guint r = 0; r < rows; r++)
    {
      /* A few heavy rows, most light: row r keeps each column with a density that varies. */
      double d = density * (r % 17 == 0 ? 8.0 : 1.0);
      for (guint c = 0; c < cols; c++)
        if (g_rand_double (rand) < d)
          g_array_append_val (idx, c);
      ptr[r + 1] = idx->len;
    }
  ScalrCsr *m = scalr_csr_new (rows, cols, idx->len, FALSE);
  memcpy (m->indptr, ptr, (rows + 1) * sizeof (guint64));
  memcpy (m->indices, idx->data, idx->len * sizeof (guint32));
  g_assert_true (scalr_csr_is_valid (m));
  return m;
}

/* Against the definition, counted here user by user into a dense table, for U users, J
 * source and I target items. */
static void
check_random_against_definition (guint U, guint J, guint I, double d_src, double d_tgt, guint64 min_pairs)
{
  g_autoptr (ScalrCsr) S = random_matrix (U, J, d_src, 1);
  g_autoptr (ScalrCsr) T = random_matrix (U, I, d_tgt, 2);
  /* Some users without target events, some without source events. */
  g_autofree guint32 *dense = g_new0 (guint32, (gsize) J * I);
  for (guint u = 0; u < U; u++)
    for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
      for (guint64 b = T->indptr[u]; b < T->indptr[u + 1]; b++)
        dense[(gsize) S->indices[a] * I + T->indices[b]]++;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrCoocCounts) one = _scalr_cooc_counts_new (S, T, 1, 36, NULL, &error);
  g_assert_no_error (error);
  guint64 k = 0;
  for (guint j = 0; j < J; j++)
    {
      g_assert_cmpuint (one->ptr[j], ==, k);
      for (guint i = 0; i < I; i++)
        if (dense[(gsize) j * I + i])
          {
            g_assert_cmpuint (one->idx[k], ==, i);
            g_assert_cmpuint (one->count[k], ==, dense[(gsize) j * I + i]);
            k++;
          }
    }
  g_assert_cmpuint (one->nnz, ==, k);
  g_assert_cmpuint (k, >, min_pairs);
  const guint threads[] = { 2, 3, 7 };
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      g_autoptr (ScalrCoocCounts) c = _scalr_cooc_counts_new (S, T, threads[t], 36, NULL, &error);
      g_assert_no_error (error);
      assert_counts_equal (one, c);
    }
}

/* 9,000 targets: 141 words of bitmap, scanned word by word. */
static void
test_random_against_definition (void)
{
  check_random_against_definition (700, 150, 9000, 0.03, 0.002, 1000);
}

/* 70,000 targets: 1,094 words, past the 1,024 where the summary level takes over (18
 * summary words, rows spread over several). */
static void
test_random_wide_against_definition (void)
{
  check_random_against_definition (400, 40, 70000, 0.05, 0.0003, 1000);
}

static void
test_errors (void)
{
  Tiny t;
  tiny_open (&t);
  const ScalrCsr *S = scalr_split_get_source (t.split), *T = scalr_split_get_train (t.split);
  /* A pair that would cost more than the budget: the memory error, before anything is kept. */
  g_autoptr (GError) error = NULL;
  g_assert_null (_scalr_cooc_counts_new (S, T, 2, scalr_limits_memory_budget (), NULL, &error));
  test_assert_error_contains (error, SCALR_LIMITS_ERROR, SCALR_LIMITS_ERROR_MEMORY,
                              "cooc's co-occurrence table needs", "ridge generator");
  g_clear_error (&error);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_cancellable_cancel (cancel);
  g_assert_null (_scalr_cooc_counts_new (S, T, 2, 36, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  tiny_close (&t);
}

/* The whole generator on MovieLens: the same model and τ for one thread and for three. */
static void
test_generator_threads (void)
{
  g_autoptr (ScalrSplit) split = movielens_split ();
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "auto", "smoothing", "1", NULL);
  guint before = scalr_parallel_push_threads (1);
  g_autoptr (ScalrGenerator) g1 = gen_fit (split, c);
  scalr_parallel_push_threads (3);
  g_autoptr (ScalrGenerator) g3 = gen_fit (split, c);
  scalr_parallel_pop_threads (before);
  g_assert_true (g1->fitted_temperature && g3->fitted_temperature);
  g_assert_cmpmem (&g1->temperature, sizeof (double), &g3->temperature, sizeof (double));
  g_assert_cmpmem (&g1->valid_log_lik, sizeof (double), &g3->valid_log_lik, sizeof (double));
  const ScalrCoocCounts *a = _scalr_cooc_get_counts (g1->model), *b = _scalr_cooc_get_counts (g3->model);
  assert_counts_equal (a, b);
  g_assert_cmpuint (a->nnz, >, 10000);
  /* Every pair's probability and support, and the draws of one stream. */
  for (guint j = 0; j < a->n_rows; j++)
    for (guint64 k = a->ptr[j]; k < a->ptr[j + 1]; k += 7)
      {
        float p1 = g1->klass->item_prob (g1->model, j, a->idx[k]), p3 = g3->klass->item_prob (g3->model, j, a->idx[k]);
        g_assert_cmpmem (&p1, sizeof p1, &p3, sizeof p3);
        g_assert_cmpuint (g1->klass->item_support (g1->model, j, a->idx[k]), ==, a->count[k]);
      }
  ScalrRng r1, r3;
  scalr_rng_init (&r1, 5, SCALR_STREAM_SAMPLER, 0);
  scalr_rng_init (&r3, 5, SCALR_STREAM_SAMPLER, 0);
  for (guint t = 0; t < 20000; t++)
    {
      guint32 j = t % a->n_rows, i1, i3;
      float p1, p3;
      g_assert_true (g1->klass->item_draw (g1->model, j, &r1, &i1, &p1));
      g_assert_true (g3->klass->item_draw (g3->model, j, &r3, &i3, &p3));
      g_assert_cmpuint (i1, ==, i3);
      g_assert_cmpmem (&p1, sizeof p1, &p3, sizeof p3);
    }
  g_clear_pointer (&split, scalr_split_free);
  movielens_free ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/cooc/tiny", test_tiny);
  g_test_add_func ("/scalr/cooc/random-against-definition", test_random_against_definition);
  g_test_add_func ("/scalr/cooc/random-wide-against-definition", test_random_wide_against_definition);
  g_test_add_func ("/scalr/cooc/errors", test_errors);
  g_test_add_func ("/scalr/cooc/generator-threads", test_generator_threads);
  return g_test_run ();
}
