/* scalr-gen-cooc-counts.c — the co-occurrence build: C = Sᵀ T as sorted rows of counts.
 *
 * Gustavson, row by row: for source item j, each user u of j (a row of Sᵀ; users without
 * target training events are left out of Sᵀ) adds T's row u into a dense per-thread counter,
 * and marks the target items in a two-level bitmap (one bit per item, one summary bit per
 * 64 items), so that the row comes out in ascending order without a sort, in
 * O(n_tgt / 4096 + the row's pairs). Rows are shared among threads in blocks
 * (scalr_parallel_for, DYNAMIC); each thread appends its rows to its own buffer, and the rows
 * are then gathered in row order. Counts are integers and every row depends on the data
 * only, so the result is the same for any thread count. */
#include "config.h"

#include <string.h>

#include "scalr-gen-cooc-private.h"
#include "scalr-limits.h"
#include "scalr-parallel.h"

#define ROWS_PER_CHUNK 8
#define GATHER_ROWS 512

void
_scalr_cooc_counts_free (ScalrCoocCounts *c)
{
  if (c == NULL)
    return;
  g_free (c->ptr);
  g_free (c->idx);
  g_free (c->count);
  g_free (c);
}

/* A thread's rows, appended as they are made. */
typedef struct {
  guint32 *idx, *count;
  guint64  len, cap;
} RowBuf;

typedef struct {
  guint32 *acc;       /* n_tgt counters, zero between rows */
  guint64 *bits;      /* n_words: target items touched in this row */
  guint64 *summary;   /* n_summary: words of bits that are non-zero */
  RowBuf   buf;
} Scratch;

typedef struct {
  const ScalrCsr *T;
  guint64        *st_ptr;     /* n_src + 1: Sᵀ restricted to users with target events … */
  guint64        *st_off;     /* … each entry the user's row of T: offset … */
  guint32        *st_len;     /* … and length (so a step costs one fetch, not two) */
  guint64         flops;      /* Σ over Sᵀ of the T rows' lengths */
  guint           n_src, n_tgt, n_words, n_summary;
  guint32        *row_len;    /* n_src */
  guint64        *row_off;    /* n_src: offset in the thread's buffer */
  guint8         *row_thread; /* n_src */
  RowBuf          bufs[SCALR_PARALLEL_MAX_THREADS];   /* per thread, kept for the gather */
  guint           n_threads;
  guint64         pairs;      /* atomic: pairs made so far */
  guint64         bytes_per_pair;
  /* the gather */
  ScalrCoocCounts *out;
} Job;

static const char memory_what[] = "cooc's co-occurrence table";
static const char memory_hint[] = "use fewer source items or users (e.g. [dataset] kcore), or the ridge generator";

static void
buf_reserve (RowBuf *b, guint64 more)
{
  if (b->len + more <= b->cap)
    return;
  b->cap = MAX (b->len + more, MAX (2 * b->cap, 1 << 14));
  b->idx = g_renew (guint32, b->idx, b->cap);
  b->count = g_renew (guint32, b->count, b->cap);
}

static gpointer
scratch_new (guint thread, gpointer data)
{
  Job *job = data;
  Scratch *s = g_new0 (Scratch, 1);
  s->acc = g_new0 (guint32, MAX (job->n_tgt, 1));
  s->bits = g_new0 (guint64, MAX (job->n_words, 1));
  s->summary = g_new0 (guint64, MAX (job->n_summary, 1));
  /* About a thread's share of the pairs (at most the steps): few reallocations. */
  buf_reserve (&s->buf, MIN (job->flops, job->flops / job->n_threads + job->flops / 8) + job->n_tgt);
  return s;
}

/* Keeps the thread's rows for the gather; frees the rest. */
static void
scratch_finish (gpointer state, guint thread, gpointer data)
{
  Job *job = data;
  Scratch *s = state;
  job->bufs[thread] = s->buf;
  g_free (s->acc);
  g_free (s->bits);
  g_free (s->summary);
  g_free (s);
}


/* Row j of C into the thread's buffer. The users' rows of T are scattered in memory and
 * short (a few items each), so the loop is bound by fetching them: each row is prefetched
 * PREFETCH users ahead (Sᵀ is one array, so the look-ahead runs on into the next rows of C). */
#define PREFETCH 8

static void
count_row (Job *job, Scratch *s, guint j, guint thread)
{
  const guint32 *ti = job->T->indices;
  const guint64 *off = job->st_off;
  const guint32 *len = job->st_len;
  guint32 *acc = s->acc;
  guint64 *bits = s->bits, *summary = s->summary;
  guint64 lo = job->st_ptr[j], hi = job->st_ptr[j + 1], end = job->st_ptr[job->n_src];
  buf_reserve (&s->buf, job->n_tgt);   /* a row holds at most every target item */
  for (guint64 a = lo; a < hi; a++)
    {
      if (a + PREFETCH < end)
        __builtin_prefetch (ti + off[a + PREFETCH]);
      const guint32 *items = ti + off[a];
      guint32 n = len[a];
      for (guint32 b = 0; b < n; b++)
        {
          guint32 i = items[b];
          acc[i]++;
          bits[i >> 6] |= G_GUINT64_CONSTANT (1) << (i & 63);
          summary[i >> 12] |= G_GUINT64_CONSTANT (1) << ((i >> 6) & 63);
        }
    }
  RowBuf *out = &s->buf;
  guint64 start = out->len, w = start;
  for (guint sw = 0; sw < job->n_summary; sw++)
    {
      guint64 sum = summary[sw];
      summary[sw] = 0;
      while (sum)
        {
          guint wi = sw * 64 + (guint) __builtin_ctzll (sum);
          sum &= sum - 1;
          guint64 word = bits[wi];
          bits[wi] = 0;
          while (word)
            {
              guint32 i = wi * 64 + (guint32) __builtin_ctzll (word);
              word &= word - 1;
              out->idx[w] = i;
              out->count[w] = acc[i];
              acc[i] = 0;
              w++;
            }
        }
    }
  out->len = w;
  job->row_len[j] = (guint32) (w - start);
  job->row_off[j] = start;
  job->row_thread[j] = (guint8) thread;
}

static gboolean
count_rows (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  Job *job = data;
  Scratch *s = state;
  guint64 before = s->buf.len;
  for (guint64 j = first; j < last; j++)
    count_row (job, s, (guint) j, thread);
  guint64 pairs = __atomic_add_fetch (&job->pairs, s->buf.len - before, __ATOMIC_RELAXED);
  return scalr_limits_check_memory (memory_what, pairs * job->bytes_per_pair, memory_hint, error);
}

static gboolean
gather_rows (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  Job *job = data;
  ScalrCoocCounts *c = job->out;
  for (guint64 j = first; j < last; j++)
    {
      const RowBuf *b = &job->bufs[job->row_thread[j]];
      guint64 n = job->row_len[j];
      memcpy (c->idx + c->ptr[j], b->idx + job->row_off[j], n * sizeof (guint32));
      memcpy (c->count + c->ptr[j], b->count + job->row_off[j], n * sizeof (guint32));
    }
  return TRUE;
}

/* Sᵀ over the users that have target events: items × users, users ascending; each entry
 * holds where the user's row of T is. */
static void
transpose_source (Job *job, const ScalrCsr *S)
{
  const ScalrCsr *T = job->T;
  job->st_ptr = g_new0 (guint64, (gsize) job->n_src + 1);
  for (guint u = 0; u < S->n_rows; u++)
    if (T->indptr[u + 1] > T->indptr[u])
      for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
        job->st_ptr[S->indices[a] + 1]++;
  for (guint j = 0; j < job->n_src; j++)
    job->st_ptr[j + 1] += job->st_ptr[j];
  guint64 n = job->st_ptr[job->n_src];
  job->st_off = g_new (guint64, MAX (n, 1));
  job->st_len = g_new (guint32, MAX (n, 1));
  g_autofree guint64 *cursor = g_memdup2 (job->st_ptr, (gsize) job->n_src * sizeof (guint64) + sizeof (guint64));
  for (guint u = 0; u < S->n_rows; u++)
    {
      guint64 t0 = T->indptr[u], tn = T->indptr[u + 1] - t0;
      if (tn == 0)
        continue;
      for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
        {
          guint64 d = cursor[S->indices[a]]++;
          job->st_off[d] = t0;
          job->st_len[d] = (guint32) tn;   /* a row of T has at most n_tgt < 2³² items */
        }
      job->flops += tn * (S->indptr[u + 1] - S->indptr[u]);
    }
}

static void
job_clear (Job *job)
{
  g_free (job->st_ptr);
  g_free (job->st_off);
  g_free (job->st_len);
  g_free (job->row_len);
  g_free (job->row_off);
  g_free (job->row_thread);
  for (guint t = 0; t < SCALR_PARALLEL_MAX_THREADS; t++)
    {
      g_free (job->bufs[t].idx);
      g_free (job->bufs[t].count);
    }
}

ScalrCoocCounts *
_scalr_cooc_counts_new (const ScalrCsr *S, const ScalrCsr *T, guint n_threads, guint64 bytes_per_pair,
                        GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (S != NULL && T != NULL && S->n_rows == T->n_rows, NULL);
  Job job = { 0 };   /* 8 KiB of per-thread buffer records */
  job.T = T;
  job.n_src = S->n_cols;
  job.n_tgt = T->n_cols;
  job.n_words = (job.n_tgt + 63) / 64;
  job.n_summary = (job.n_words + 63) / 64;
  job.bytes_per_pair = bytes_per_pair;
  transpose_source (&job, S);
  job.row_len = g_new (guint32, MAX (job.n_src, 1));
  job.row_off = g_new (guint64, MAX (job.n_src, 1));
  job.row_thread = g_new (guint8, MAX (job.n_src, 1));
  job.n_threads = scalr_parallel_resolve_threads (n_threads);

  ScalrParallelOptions po = { .n_threads = n_threads, .chunk = ROWS_PER_CHUNK, .schedule = SCALR_PARALLEL_DYNAMIC,
                              .cancellable = cancellable, .thread_init = scratch_new,
                              .thread_finish = scratch_finish };
  if (!scalr_parallel_for (job.n_src, count_rows, &job, &po, error))
    {
      job_clear (&job);
      return NULL;
    }
  g_autoptr (ScalrCoocCounts) c = g_new0 (ScalrCoocCounts, 1);
  c->n_rows = job.n_src;
  c->n_cols = job.n_tgt;
  c->ptr = g_new (guint64, (gsize) job.n_src + 1);
  c->ptr[0] = 0;
  for (guint j = 0; j < job.n_src; j++)
    c->ptr[j + 1] = c->ptr[j] + job.row_len[j];
  c->nnz = c->ptr[job.n_src];
  c->idx = g_new (guint32, MAX (c->nnz, 1));
  c->count = g_new (guint32, MAX (c->nnz, 1));
  job.out = c;
  ScalrParallelOptions pg = { .n_threads = n_threads, .chunk = GATHER_ROWS, .schedule = SCALR_PARALLEL_STATIC };
  gboolean ok = scalr_parallel_for (job.n_src, gather_rows, &job, &pg, error);
  job_clear (&job);
  return ok ? g_steal_pointer (&c) : NULL;
}
