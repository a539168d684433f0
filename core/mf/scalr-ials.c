/* scalr-ials.c — weighted implicit ALS (Hu, Koren & Volinsky 2008) solved row by
 * row with a few conjugate-gradient steps warm-started from the previous factors (Takács,
 * Pilászy & Tikk 2011).
 *
 * For user u, A_u = YᵀY + Σ_{i∈u} (c_ui − 1) y_i y_iᵀ + λI and b_u = Σ_{i∈u} c_ui y_i. YᵀY is
 * computed once per half-iteration (one sgemm), and A_u v is applied implicitly as
 * (YᵀY + λI) v + Σ_{i∈u} (c_ui − 1)(y_iᵀv) y_i, so a row costs O(steps · (k² + |u|·k)) and no
 * k × k matrix is formed per row. Rows are shared among threads in chunks (scalr_parallel_for);
 * each row reads only the fixed other side, so the result does not depend on the thread count.
 * Scores are X_batch Yᵀ (sgemm). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-limits.h"
#include "scalr-blas.h"
#include "scalr-dist.h"
#include "scalr-ials.h"
#include "scalr-parallel.h"
#include "scalr-simd.h"
#include "scalr-recommender-error.h"

/* Rows handed to a thread at a time. */
#define CHUNK 64

/* ---- shared helpers --------------------------------------------------------------------- */

gboolean
_scalr_mf_check_sizes (const char *what, guint n_users, guint n_items, guint factors, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (factors == 0)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "%s: the number of factors must be positive", what);
      return FALSE;
    }
  if (!scalr_blas_check_dims (what, &local, 3, (gsize) n_users, (gsize) n_items, (gsize) factors))
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "%s", local->message);
      return FALSE;
    }
  /* User and item factors, their gathered copies and per-thread k×k scratch. */
  guint64 need = scalr_limits_add (scalr_limits_mul ((guint64) n_users + n_items, (guint64) factors * 8),
                                   scalr_limits_mul ((guint64) factors * factors * 8, 2 + scalr_parallel_get_threads ()));
  g_autofree char *hint = g_strdup_printf ("lower the %s factors (now %u; %u users, %u items)", what, factors,
                                           n_users, n_items);
  if (!scalr_limits_check_memory (what, need, hint, &local))
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "%s", local->message);
      return FALSE;
    }
  /* Headroom below BLAS's int for row arithmetic (row × factors offsets, batches). */
  if (MAX (n_users, n_items) > G_MAXINT / 2)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "%s: %u users and %u items exceed the limit of %d rows", what, n_users, n_items, G_MAXINT / 2);
      return FALSE;
    }
  gsize rows = (gsize) n_users + n_items, bytes;
  if (!g_size_checked_mul (&bytes, rows, factors) || !g_size_checked_mul (&bytes, bytes, sizeof (float)))
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE,
                   "%s: %u users and %u items × %u factors overflow the address space",
                   what, n_users, n_items, factors);
      return FALSE;
    }
  return TRUE;
}

void
_scalr_mf_init_factors (float *f, guint n_rows, guint factors, double std, guint64 seed, guint64 stream_base)
{
  for (guint r = 0; r < n_rows; r++)
    {
      ScalrRng rng;
      scalr_rng_init (&rng, seed, SCALR_STREAM_MODEL, stream_base + r);
      float *row = f + (gsize) r * factors;
      for (guint k = 0; k < factors; k++)
        row[k] = (float) (std * _scalr_mf_normal (&rng));
    }
}

void
_scalr_mf_score (const float *user_factors, const float *item_factors, guint n_items, guint factors,
                 const guint32 *users, guint n, float *out)
{
  if (n == 0)
    return;
  g_autofree float *X = g_new (float, (gsize) n * factors);
  for (guint r = 0; r < n; r++)
    memcpy (X + (gsize) r * factors, user_factors + (gsize) users[r] * factors, factors * sizeof (float));
  g_autoptr (GError) error = NULL;
  /* Dimensions were checked when the model was fitted; n is a batch. */
  if (!scalr_sgemm (FALSE, TRUE, n, n_items, factors, 1.0f, X, factors, item_factors, factors,
                    0.0f, out, n_items, &error))
    g_critical ("mf score: %s", error->message);
}

/* ---- iALS --------------------------------------------------------------------------------- */

gboolean
_scalr_ials_init (const ScalrCsr *m, const ScalrIalsOptions *o, float **user_factors, float **item_factors,
                  GError **error)
{
  if (!_scalr_mf_check_sizes ("ials", m->n_rows, m->n_cols, o->factors, error))
    return FALSE;
  g_autoptr (GError) local = NULL;
  g_autofree float *U = scalr_blas_alloc0 ("ials user factors", MAX (m->n_rows, 1), o->factors, sizeof (float), &local);
  g_autofree float *V = U ? scalr_blas_alloc0 ("ials item factors", MAX (m->n_cols, 1), o->factors, sizeof (float), &local) : NULL;
  if (V == NULL)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "%s", local->message);
      return FALSE;
    }
  _scalr_mf_init_factors (U, m->n_rows, o->factors, 0.01, o->seed, 0);
  _scalr_mf_init_factors (V, m->n_cols, o->factors, 0.01, o->seed, G_GUINT64_CONSTANT (1) << 32);
  *user_factors = g_steal_pointer (&U);
  *item_factors = g_steal_pointer (&V);
  return TRUE;
}

typedef struct {
  const ScalrCsr         *rows;
  const float            *other;
  float                  *self;
  const double           *gram;    /* k × k: OᵀO + λI */
  const ScalrIalsOptions *o;
  double                  from, span;   /* progress */
  guint64                 lo;      /* this rank's first row (0 in one process) */
} HalfJob;

/* Σ_a y[a] v[a] with four independent partial sums (the additions do not wait on each
 * other: about 4× faster than one running sum; the order is fixed, so results are too). */
static inline double
dot_fd (const float *y, const double *v, guint k)
{
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  guint a = 0;
  for (; a + 4 <= k; a += 4)
    {
      s0 += (double) y[a] * v[a];
      s1 += (double) y[a + 1] * v[a + 1];
      s2 += (double) y[a + 2] * v[a + 2];
      s3 += (double) y[a + 3] * v[a + 3];
    }
  for (; a < k; a++)
    s0 += (double) y[a] * v[a];
  return (s0 + s1) + (s2 + s3);
}

/* A row's factor rows of the other side, gathered once into one contiguous block (with
 * their confidence weights) and reused by the residual and every CG step: the four passes
 * then stream through memory instead of missing the cache on every event (the other side's
 * factors are larger than the cache on MovieLens-20M-sized data). Rows too long for the
 * block use the factors in place. Both paths do the same arithmetic in the same order. */
#define GATHER_MAX_FLOATS (4u << 20)

typedef struct {
  double *work;    /* 4 k: x, r, p, Ap */
  float  *ybuf;    /* gathered factor rows */
  double *cbuf;    /* α·w per gathered row */
  gsize   cap;     /* rows ybuf/cbuf hold */
} RowScratch;

/* The row's e-th other-side factor vector and α·w, gathered or in place. */
typedef struct {
  const float  *base;     /* gathered block, or NULL */
  const double *c;
  const float  *other;    /* in place */
  const guint32 *idx;
  const float  *values;
  double        alpha;
  guint         k;
} RowView;

static inline const float *
row_y (const RowView *rv, guint64 i)
{
  return rv->base ? rv->base + i * rv->k : rv->other + (gsize) rv->idx[i] * rv->k;
}

static inline double
row_c (const RowView *rv, guint64 i)
{
  if (rv->base)
    return rv->c[i];
  return rv->alpha * (rv->values ? MAX ((double) rv->values[i], 0.0) : 1.0);
}

/* v ↦ (OᵀO + λI) v + Σ_{i∈row} (c_i − 1)(o_iᵀv) o_i over the row's n entries (n = 0: the
 * dense part only). The dense product runs over rows of the symmetric Gram matrix
 * (out += v[b]·G[b,:]), so every out[a] is its own accumulator. */
SCALR_VECTOR_CLONES static void
apply_a (const HalfJob *job, const RowView *rv, guint64 n, const double *v, double *out)
{
  guint k = job->o->factors;
  memset (out, 0, k * sizeof (double));
  for (guint b = 0; b < k; b++)
    {
      const double *g = job->gram + (gsize) b * k;
      double vb = v[b];
      for (guint a = 0; a < k; a++)
        out[a] += g[a] * vb;
    }
  for (guint64 e = 0; e < n; e++)
    {
      const float *y = row_y (rv, e);
      double d = row_c (rv, e) * dot_fd (y, v, k);
      for (guint a = 0; a < k; a++)
        out[a] += d * (double) y[a];
    }
}

SCALR_VECTOR_CLONES static void
update_row (const HalfJob *job, guint row, RowScratch *sc)
{
  const ScalrIalsOptions *o = job->o;
  const ScalrCsr *m = job->rows;
  guint k = o->factors;
  double *x = sc->work, *r = x + k, *p = r + k, *ap = p + k;
  float *xf = job->self + (gsize) row * k;
  guint64 lo = m->indptr[row], hi = m->indptr[row + 1], n = hi - lo;

  RowView rv = { NULL, NULL, job->other, m->indices + lo, m->values ? m->values + lo : NULL, o->alpha, k };
  if (n > 0 && n * k <= GATHER_MAX_FLOATS)
    {
      if (sc->cap < n)
        {
          sc->cap = MAX (n, 2 * sc->cap);
          sc->ybuf = g_renew (float, sc->ybuf, sc->cap * k);
          sc->cbuf = g_renew (double, sc->cbuf, sc->cap);
        }
      for (guint64 e = 0; e < n; e++)
        {
          if (e + 8 < n)
            __builtin_prefetch (job->other + (gsize) m->indices[lo + e + 8] * k);
          memcpy (sc->ybuf + e * k, job->other + (gsize) m->indices[lo + e] * k, k * sizeof (float));
          sc->cbuf[e] = row_c (&rv, e);
        }
      rv.base = sc->ybuf;
      rv.c = sc->cbuf;
    }

  for (guint a = 0; a < k; a++)
    x[a] = xf[a];
  /* r = b − A x, with b − Σ (c−1)(yᵀx) y = Σ y (c − (c−1) yᵀx). */
  apply_a (job, &rv, 0, x, r);   /* the dense part only */
  for (guint a = 0; a < k; a++)
    r[a] = -r[a];
  for (guint64 e = 0; e < n; e++)
    {
      double c1 = row_c (&rv, e);
      const float *y = row_y (&rv, e);
      double coef = 1.0 + c1 - c1 * dot_fd (y, x, k);
      for (guint a = 0; a < k; a++)
        r[a] += coef * (double) y[a];
    }
  double rs = 0.0;
  for (guint a = 0; a < k; a++)
    {
      p[a] = r[a];
      rs += r[a] * r[a];
    }
  for (guint s = 0; s < o->cg_steps && rs > 0.0; s++)
    {
      apply_a (job, &rv, n, p, ap);
      double pap = 0.0;
      for (guint a = 0; a < k; a++)
        pap += p[a] * ap[a];
      if (!(pap > 0.0))
        break;
      double step = rs / pap, rs_new = 0.0;
      for (guint a = 0; a < k; a++)
        {
          x[a] += step * p[a];
          r[a] -= step * ap[a];
          rs_new += r[a] * r[a];
        }
      double beta = rs_new / rs;
      for (guint a = 0; a < k; a++)
        p[a] = r[a] + beta * p[a];
      rs = rs_new;
    }
  for (guint a = 0; a < k; a++)
    xf[a] = (float) x[a];
}

static gpointer
row_scratch_new (guint thread, gpointer data)
{
  const HalfJob *job = data;
  RowScratch *sc = g_new0 (RowScratch, 1);
  sc->work = g_new (double, 4 * (gsize) job->o->factors);
  return sc;
}

static void
row_scratch_free (gpointer state, guint thread, gpointer data)
{
  RowScratch *sc = state;
  g_free (sc->work);
  g_free (sc->ybuf);
  g_free (sc->cbuf);
  g_free (sc);
}

/* Rows [lo + first, lo + last) of this rank's block. */
static gboolean
update_rows (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  const HalfJob *job = data;
  for (guint64 row = job->lo + first; row < job->lo + last; row++)
    update_row (job, (guint) row, state);
  return TRUE;
}

/* A large k makes one iteration take minutes: report rows, not only iterations (the
 * progress object drops updates closer than 50 ms). */
static void
rows_progress (guint64 done, guint64 n, gpointer data)
{
  const HalfJob *job = data;
  if (job->o->progress)
    scalr_progress_update (job->o->progress, job->o->progress_stage, job->from + job->span * done / MAX (n, 1),
                           "ials: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " rows (k = %u)", done, n, job->o->factors);
}

gboolean
_scalr_ials_half (const ScalrCsr *rows, const float *other, float *self, const ScalrIalsOptions *o,
                  GCancellable *cancellable, GError **error)
{
  guint k = o->factors;
  g_autoptr (GError) local = NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  /* OᵀO in float with one sgemm, then λI in double. */
  g_autofree float *gf = g_new0 (float, (gsize) k * k);
  if (rows->n_cols > 0
      && !scalr_sgemm (TRUE, FALSE, k, k, rows->n_cols, 1.0f, other, k, other, k, 0.0f, gf, k, &local))
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_TOO_LARGE, "ials: %s", local->message);
      return FALSE;
    }
  g_autofree double *gram = g_new (double, (gsize) k * k);
  for (gsize a = 0; a < (gsize) k * k; a++)
    gram[a] = gf[a];
  for (guint a = 0; a < k; a++)
    gram[(gsize) a * k + a] += o->reg;

  /* Under MPI a rank updates the rows of its block (each row reads only the other side, so
   * it is the row of a whole run) and then every rank receives every row. */
  guint64 lo, hi;
  scalr_dist_block (rows->n_rows, CHUNK, &lo, &hi);
  HalfJob job = { rows, other, self, gram, o, o->progress_from, o->progress_span, lo };
  ScalrParallelOptions po = { .n_threads = o->n_threads, .chunk = CHUNK, .schedule = SCALR_PARALLEL_DYNAMIC,
                              .cancellable = cancellable, .thread_init = row_scratch_new,
                              .thread_finish = row_scratch_free, .progress = rows_progress };
  if (!scalr_parallel_for (hi - lo, update_rows, &job, &po, error))
    return FALSE;
  if (scalr_dist_size () > 1)
    {
      if (!scalr_dist_agree (error))
        return FALSE;
      scalr_dist_allgather_rows (self, rows->n_rows, (guint64) k * sizeof (float), CHUNK);
    }
  return TRUE;
}

gboolean
_scalr_ials_epoch (const ScalrCsr *m, const ScalrCsr *mt, float *user_factors, float *item_factors,
                   const ScalrIalsOptions *o, GCancellable *cancellable, GError **error)
{
  g_assert (mt->n_rows == m->n_cols && mt->n_cols == m->n_rows);
  /* The user half, then the item half, each half of the iteration's progress span. */
  ScalrIalsOptions users = *o, items = *o;
  users.progress_span = items.progress_span = o->progress_span / 2;
  items.progress_from = o->progress_from + o->progress_span / 2;
  return _scalr_ials_half (m, item_factors, user_factors, &users, cancellable, error)
      && _scalr_ials_half (mt, user_factors, item_factors, &items, cancellable, error);
}

gboolean
_scalr_ials_fit (const ScalrCsr *m, const ScalrIalsOptions *o, float **user_factors, float **item_factors,
                 ScalrProgress *progress, const char *stage, double from, double to,
                 GCancellable *cancellable, GError **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  g_autofree float *U = NULL, *V = NULL;
  if (!_scalr_ials_init (m, o, &U, &V, error))
    return FALSE;
  g_autoptr (ScalrCsr) mt = scalr_csr_transpose (m);
  for (guint it = 0; it < o->iters; it++)
    {
      scalr_progress_update (progress, stage, from + (to - from) * it / o->iters,
                             "ials: iteration %u of %u (%u × %u, k = %u)", it + 1, o->iters,
                             m->n_rows, m->n_cols, o->factors);
      ScalrIalsOptions step = *o;
      step.progress = progress;
      step.progress_stage = stage;
      step.progress_from = from + (to - from) * it / o->iters;
      step.progress_span = (to - from) / o->iters;
      if (!_scalr_ials_epoch (m, mt, U, V, &step, cancellable, error))
        return FALSE;
    }
  *user_factors = g_steal_pointer (&U);
  *item_factors = g_steal_pointer (&V);
  return TRUE;
}
