/* scalr-gen-cooc-counts.c — the co-occurrence build: C = Sᵀ T as sorted rows of counts.
 *
 * Gustavson, row by row: for source item j, each user u of j (a row of Sᵀ; users without
 * target training events are left out of Sᵀ) adds T's row u into a dense per-thread counter,
 * and marks the target items in a bitmap (one bit per item), so that the row comes out in
 * ascending order without a sort, in O(n_tgt / 64 + the row's pairs); past 65,536 targets a
 * second level (one summary bit per 64 items) makes it O(n_tgt / 4096 + the row's pairs).
 * Sᵀ is built in parallel too (users cut into parts, entries in sequential order). Rows are
 * shared among threads in blocks (scalr_parallel_for, DYNAMIC); each thread appends its rows
 * to its own buffer, and the rows are then gathered in row order (with one thread its buffer
 * is the result). Large arrays ask for transparent huge pages before they are first written.
 * Counts are integers and every row depends on the data only, so the result is the same for
 * any thread count. */
#include "config.h"

#include <string.h>
#include <sys/mman.h>

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

/* An entry of Sᵀ: where the user's row of T is, packed into 64 bits — the offset in
 * T->indices (40 bits) and the length (24 bits). A row longer than ST_MAX_LEN items becomes
 * several entries (disjoint pieces: the counts add up the same). */
typedef guint64 StEntry;
#define ST_OFF_BITS 40
#define ST_MAX_LEN ((G_GUINT64_CONSTANT (1) << (64 - ST_OFF_BITS)) - 1)

static inline guint64
st_off (StEntry e)
{
  return e & ((G_GUINT64_CONSTANT (1) << ST_OFF_BITS) - 1);
}

static inline guint32
st_len (StEntry e)
{
  return (guint32) (e >> ST_OFF_BITS);
}

/* The parts the transpose cuts the users into (each part's counts are n_src entries). */
#define TRANSPOSE_MAX_PARTS 16

typedef struct {
  const ScalrCsr *T;
  guint64        *st_ptr;     /* n_src + 1: Sᵀ restricted to users with target events … */
  StEntry        *st;         /* … each entry the user's row of T (one fetch per step, not two) */
  guint64         flops;      /* Σ over Sᵀ of the T rows' lengths */
  guint           n_src, n_tgt, n_words, n_summary;
  gboolean        use_summary;   /* wide catalogues: skip empty words of bits by a summary */
  guint32        *row_len;    /* n_src */
  guint64        *row_off;    /* n_src: offset in the thread's buffer */
  guint8         *row_thread; /* n_src */
  RowBuf          bufs[SCALR_PARALLEL_MAX_THREADS];   /* per thread, kept for the gather */
  guint           n_threads;
  guint64         pairs;      /* atomic: pairs made so far */
  guint64         bytes_per_pair;
  guint64         max_pairs;  /* the budget over bytes_per_pair (the budget is read once) */
  /* the gather */
  ScalrCoocCounts *out;
} Job;

static const char memory_what[] = "cooc's co-occurrence table";
static const char memory_hint[] = "use fewer source items or users (e.g. [dataset] kcore), or the ridge generator";

/* Asks the kernel for huge pages over the 2 MiB-aligned interior of a large allocation not
 * yet touched (with transparent huge pages in `madvise` mode, Debian's default): about 500
 * times fewer page faults while the arrays are first written, which is a third of a cold
 * build here. Only advice: a refusal changes nothing. */
#define HUGE_PAGE (G_GUINT64_CONSTANT (2) << 20)

static void
advise_huge (gpointer p, gsize bytes)
{
#ifdef MADV_HUGEPAGE
  guintptr lo = ((guintptr) p + HUGE_PAGE - 1) & ~(guintptr) (HUGE_PAGE - 1), hi = ((guintptr) p + bytes) & ~(guintptr) (HUGE_PAGE - 1);
  if (bytes >= 2 * HUGE_PAGE && hi > lo)
    (void) madvise ((gpointer) lo, hi - lo, MADV_HUGEPAGE);
#endif
}

static void
buf_reserve (RowBuf *b, guint64 more)
{
  if (b->len + more <= b->cap)
    return;
  b->cap = MAX (b->len + more, MAX (2 * b->cap, 1 << 14));
  b->idx = g_renew (guint32, b->idx, b->cap);
  b->count = g_renew (guint32, b->count, b->cap);
  advise_huge (b->idx, b->cap * sizeof (guint32));
  advise_huge (b->count, b->cap * sizeof (guint32));
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


/* Adds the T rows of Sᵀ's entries [lo, hi) into the counters. The users' rows of T are
 * scattered in memory and short (a few items each), so the loop is bound by fetching them:
 * each row is prefetched PREFETCH entries ahead (Sᵀ is one array, so the look-ahead runs on
 * into the next rows of C). @summary marks the words of @bits in use (wide catalogues only). */
#define PREFETCH 8

static inline void
add_rows (const StEntry *st, guint64 lo, guint64 hi, guint64 end, const guint32 *ti, guint32 *acc,
          guint64 *bits, guint64 *summary, gboolean use_summary)
{
  for (guint64 a = lo; a < hi; a++)
    {
      if (a + PREFETCH < end)
        __builtin_prefetch (ti + st_off (st[a + PREFETCH]));
      const guint32 *items = ti + st_off (st[a]);
      guint32 n = st_len (st[a]);
      for (guint32 b = 0; b < n; b++)
        {
          guint32 i = items[b];
          acc[i]++;
          bits[i >> 6] |= G_GUINT64_CONSTANT (1) << (i & 63);
          if (use_summary)
            summary[i >> 12] |= G_GUINT64_CONSTANT (1) << ((i >> 6) & 63);
        }
    }
}

/* The items of word @wi of the bitmap, ascending, with their counts; clears the counters. */
static inline guint64
emit_word (guint wi, guint64 word, guint32 *restrict acc, guint32 *restrict idx, guint32 *restrict count,
           guint64 w)
{
  guint32 base = wi * 64;
  while (word)
    {
      guint32 i = base + (guint32) __builtin_ctzll (word);
      word &= word - 1;
      idx[w] = i;
      count[w] = acc[i];
      acc[i] = 0;
      w++;
    }
  return w;
}

/* The row in the bitmap into @idx/@count from @w on, ascending (through the summary on wide
 * catalogues, where most words are empty); clears the bitmap and the counters. Returns the
 * new end. */
static guint64
emit_row (const Job *job, guint32 *restrict acc, guint64 *restrict bits, guint64 *restrict summary,
          guint32 *restrict idx, guint32 *restrict count, guint64 w)
{
  if (job->use_summary)
    {
      for (guint sw = 0; sw < job->n_summary; sw++)
        {
          guint64 sum = summary[sw];
          summary[sw] = 0;
          while (sum)
            {
              guint wi = sw * 64 + (guint) __builtin_ctzll (sum);
              sum &= sum - 1;
              w = emit_word (wi, bits[wi], acc, idx, count, w);
              bits[wi] = 0;
            }
        }
      return w;
    }
  guint n_words = job->n_words;
  for (guint wi = 0; wi < n_words; wi++)
    {
      guint64 word = bits[wi];
      if (word)
        {
          bits[wi] = 0;
          w = emit_word (wi, word, acc, idx, count, w);
        }
    }
  return w;
}

/* Row j of C into the thread's buffer, ascending. */
static void
count_row (Job *job, Scratch *s, guint j, guint thread)
{
  buf_reserve (&s->buf, job->n_tgt);   /* a row holds at most every target item */
  guint64 lo = job->st_ptr[j], hi = job->st_ptr[j + 1], end = job->st_ptr[job->n_src];
  if (job->use_summary)
    add_rows (job->st, lo, hi, end, job->T->indices, s->acc, s->bits, s->summary, TRUE);
  else
    add_rows (job->st, lo, hi, end, job->T->indices, s->acc, s->bits, s->summary, FALSE);
  RowBuf *out = &s->buf;
  guint64 start = out->len;
  guint64 w = emit_row (job, s->acc, s->bits, s->summary, out->idx, out->count, start);
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
  if (pairs <= job->max_pairs)
    return TRUE;
  return scalr_limits_check_memory (memory_what, scalr_limits_mul (pairs, job->bytes_per_pair), memory_hint, error);
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
 * holds where the user's row of T is. Users are cut into parts (contiguous ranges), each
 * counted and then filled by one thread into its own range of every row, so the entries come
 * out in the order a sequential transpose makes. */
typedef struct {
  Job            *job;
  const ScalrCsr *S;
  guint           parts;
  guint32        *cursor;   /* parts × n_src: counts, then each part's next place in a row */
  guint64        *flops;    /* parts */
} Transpose;

static inline guint64
pieces (guint64 len)
{
  return len == 0 ? 0 : (len + ST_MAX_LEN - 1) / ST_MAX_LEN;
}

static gboolean
transpose_count (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  Transpose *tr = data;
  const ScalrCsr *S = tr->S, *T = tr->job->T;
  for (guint64 p = first; p < last; p++)
    {
      guint32 *cnt = tr->cursor + p * tr->job->n_src;
      guint u0 = (guint) ((guint64) S->n_rows * p / tr->parts), u1 = (guint) ((guint64) S->n_rows * (p + 1) / tr->parts);
      for (guint u = u0; u < u1; u++)
        {
          guint64 tn = T->indptr[u + 1] - T->indptr[u], k = pieces (tn);
          for (guint64 a = S->indptr[u]; a < S->indptr[u + 1] && k; a++)
            cnt[S->indices[a]] += (guint32) k;
          tr->flops[p] += tn * (S->indptr[u + 1] - S->indptr[u]);
        }
    }
  return TRUE;
}

static gboolean
transpose_fill (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  Transpose *tr = data;
  const ScalrCsr *S = tr->S, *T = tr->job->T;
  guint64 *ptr = tr->job->st_ptr;
  StEntry *st = tr->job->st;
  for (guint64 p = first; p < last; p++)
    {
      guint32 *cur = tr->cursor + p * tr->job->n_src;
      guint u0 = (guint) ((guint64) S->n_rows * p / tr->parts), u1 = (guint) ((guint64) S->n_rows * (p + 1) / tr->parts);
      for (guint u = u0; u < u1; u++)
        {
          guint64 t0 = T->indptr[u], tn = T->indptr[u + 1] - t0;
          if (tn == 0)
            continue;
          for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
            {
              guint32 j = S->indices[a];
              for (guint64 o = 0; o < tn; o += ST_MAX_LEN)
                st[ptr[j] + cur[j]++] = (t0 + o) | ((MIN (tn - o, ST_MAX_LEN)) << ST_OFF_BITS);
            }
        }
    }
  return TRUE;
}

static void
transpose_source (Job *job, const ScalrCsr *S)
{
  guint n_src = job->n_src;
  Transpose tr = { job, S, MIN (job->n_threads, TRANSPOSE_MAX_PARTS), NULL, NULL };
  tr.parts = MAX (tr.parts, 1);
  tr.cursor = g_new0 (guint32, (gsize) tr.parts * MAX (n_src, 1));
  tr.flops = g_new0 (guint64, tr.parts);
  ScalrParallelOptions po = { .n_threads = job->n_threads, .chunk = 1, .schedule = SCALR_PARALLEL_STATIC };
  scalr_parallel_for (tr.parts, transpose_count, &tr, &po, NULL);
  /* Row j's entries: part 0's users, then part 1's, …; cursor becomes each part's offset. */
  job->st_ptr = g_new (guint64, (gsize) n_src + 1);
  guint64 at = 0;
  for (guint j = 0; j < n_src; j++)
    {
      job->st_ptr[j] = at;
      for (guint p = 0; p < tr.parts; p++)
        {
          guint32 c = tr.cursor[(gsize) p * n_src + j];
          tr.cursor[(gsize) p * n_src + j] = (guint32) (at - job->st_ptr[j]);
          at += c;
        }
    }
  job->st_ptr[n_src] = at;
  for (guint p = 0; p < tr.parts; p++)
    job->flops += tr.flops[p];
  job->st = g_new (StEntry, MAX (at, 1));
  advise_huge (job->st, MAX (at, 1) * sizeof (StEntry));
  scalr_parallel_for (tr.parts, transpose_fill, &tr, &po, NULL);
  g_free (tr.cursor);
  g_free (tr.flops);
}

static void
job_clear (Job *job)
{
  g_free (job->st_ptr);
  g_free (job->st);
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
  /* Sᵀ's packed entries address T->indices in 40 bits (the memory budget stops far sooner). */
  g_return_val_if_fail (T->nnz < (G_GUINT64_CONSTANT (1) << ST_OFF_BITS), NULL);
  Job job = { 0 };   /* 8 KiB of per-thread buffer records */
  job.T = T;
  job.n_src = S->n_cols;
  job.n_tgt = T->n_cols;
  job.n_words = (job.n_tgt + 63) / 64;
  job.n_summary = (job.n_words + 63) / 64;
  job.use_summary = job.n_words > 1024;   /* up to 65,536 targets a row scans its words */
  job.n_threads = scalr_parallel_resolve_threads (n_threads);
  job.bytes_per_pair = MAX (bytes_per_pair, 1);
  job.max_pairs = scalr_limits_memory_budget () / job.bytes_per_pair;
  transpose_source (&job, S);
  job.row_len = g_new (guint32, MAX (job.n_src, 1));
  job.row_off = g_new (guint64, MAX (job.n_src, 1));
  job.row_thread = g_new (guint8, MAX (job.n_src, 1));

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
  if (job.n_threads == 1 && job.bufs[0].len == c->nnz)
    {
      /* One thread made the rows in order: its buffer is C (no gather, no second copy). */
      RowBuf *b = &job.bufs[0];
      c->idx = g_renew (guint32, b->idx, MAX (c->nnz, 1));
      c->count = g_renew (guint32, b->count, MAX (c->nnz, 1));
      b->idx = b->count = NULL;
      job_clear (&job);
      return g_steal_pointer (&c);
    }
  c->idx = g_new (guint32, MAX (c->nnz, 1));
  c->count = g_new (guint32, MAX (c->nnz, 1));
  advise_huge (c->idx, MAX (c->nnz, 1) * sizeof (guint32));
  advise_huge (c->count, MAX (c->nnz, 1) * sizeof (guint32));
  job.out = c;
  ScalrParallelOptions pg = { .n_threads = n_threads, .chunk = GATHER_ROWS, .schedule = SCALR_PARALLEL_STATIC };
  gboolean ok = scalr_parallel_for (job.n_src, gather_rows, &job, &pg, error);
  job_clear (&job);
  return ok ? g_steal_pointer (&c) : NULL;
}
