/* scalr-eval-model.c — one downstream model × variant: training, full ranking of the test
 * users (and of the validation users, against their own held-out events), Platt scaling per
 * segment on validation users, NE and AUC of the test users, catalogue coverage.
 *
 * Who is read where: a test user's ranking and pointwise data come from the test matrix; a
 * validation user's from the validation matrix. Platt scaling — the one fitted parameter —
 * reads validation users only, per segment (sparse, warm), and is applied to the test users
 * of the same segment; a segment without validation events has no Platt scaling and so no
 * NE (undefined, not a fallback fitted on test events). */
#include "config.h"

#include "scalr-eval-private.h"

#include <math.h>
#include <string.h>

#include "scalr-dist.h"
#include "scalr-parallel.h"
#include "scalr-progress.h"
#include "scalr-rng.h"
#include "scalr-topk.h"

typedef struct {
  const ScalrRecommenderClass *klass;
  gpointer          model;
  const ScalrCsr   *matrix;
  ScalrSplit       *split;
  const ScalrEvalOptions *opt;
  ScalrEvalResult  *res;
  ScalrModelEval   *me;
  guint             n_items;
  guint32          *entries;       /* res->users then res->valid_users (owned) */
  guint             n_entries;
  guint             first_batch;   /* this rank's batches: [first_batch, first_batch + n) */
  guint             batch;
  /* pointwise data: per test user (test events) and per validation user (validation events) */
  GPtrArray        *test_s, *test_y, *valid_s, *valid_y;   /* GArray per user */
  ScalrProgress    *progress;      /* this model's part of the stage; reported by the caller */
} EvalJob;

/* Each held-out positive of @u in @part, then its sampled negatives, into (s, y). */
static void
pointwise (EvalJob *job, ScalrRng *rng, const ScalrCsr *part, guint32 u, const float *row, guint32 *negs,
           guint64 *known, GArray *s, GArray *y)
{
  const ScalrCsr *rows[3] = { scalr_split_get_train (job->split), scalr_split_get_valid (job->split),
                              scalr_split_get_test (job->split) };
  /* The user's known items as bits (cleared again below): one test per drawn negative. */
  guint64 n_known = _scalr_eval_mark_known (rows[0], rows[1], rows[2], u, known);
  /* Room for every positive and its negatives at once, trimmed to what was drawn. */
  guint n_pos = (guint) scalr_csr_row_len (part, u), neg = job->opt->negatives;
  g_array_set_size (s, (gsize) n_pos * (1 + neg));
  g_array_set_size (y, (gsize) n_pos * (1 + neg));
  float *sv = (float *) (void *) s->data;
  guint8 *yv = (guint8 *) y->data;
  gsize at = 0;
  for (guint64 k = part->indptr[u]; k < part->indptr[u + 1]; k++)
    {
      sv[at] = row[part->indices[k]];
      yv[at++] = 1;
      guint nn = _scalr_eval_sample_negatives_known (rng, known, n_known, job->n_items, neg, negs);
      for (guint q = 0; q < nn; q++)
        {
          sv[at] = row[negs[q]];
          yv[at++] = 0;
        }
    }
  g_array_set_size (s, at);
  g_array_set_size (y, at);
  for (guint r = 0; r < 3; r++)
    for (guint64 k = rows[r]->indptr[u]; k < rows[r]->indptr[u + 1]; k++)
      known[rows[r]->indices[k] >> 6] = 0;
}

/* One entry: a test user (e < n_users) or a validation user. */
static void
eval_entry (EvalJob *job, guint e, float *row, guint32 *negs, guint64 *known, guint32 *scratch_top)
{
  ScalrEvalResult *res = job->res;
  ScalrModelEval *me = job->me;
  const ScalrCsr *train = scalr_split_get_train (job->split);
  gboolean is_test = e < res->n_users;
  guint idx = is_test ? e : e - res->n_users;
  guint32 u = job->entries[e];
  const ScalrCsr *part = is_test ? scalr_split_get_test (job->split) : scalr_split_get_valid (job->split);
  /* Pointwise data before masking: raw scores of held-out items vs negatives. Test and
   * validation negatives come from streams of their own. */
  ScalrRng rng;
  scalr_rng_init (&rng, job->opt->seed, SCALR_STREAM_EVAL, is_test ? u : (guint64) u | (G_GUINT64_CONSTANT (1) << 32));
  pointwise (job, &rng, part, u, row, negs, known, g_ptr_array_index (is_test ? job->test_s : job->valid_s, idx),
             g_ptr_array_index (is_test ? job->test_y : job->valid_y, idx));
  /* Full ranking without the real training positives. */
  for (guint64 k = train->indptr[u]; k < train->indptr[u + 1]; k++)
    row[train->indices[k]] = -INFINITY;
  guint32 *top = is_test ? me->top_items + (gsize) idx * res->max_k : scratch_top;
  /* Ties in a user's ranking (a user without events, or equal popularity) in an order of that
   * user's own, the same for every model and variant of the run. */
  ScalrRng ties;
  scalr_rng_init (&ties, job->opt->seed, SCALR_STREAM_EVAL_TIES, u);
  guint32 tie_salt = (guint32) (scalr_rng_next (&ties) >> 32);
  guint got = scalr_top_k_salted (row, job->n_items, res->max_k, tie_salt, top);
  if (is_test)
    for (guint k = 0; k < res->max_k; k++)
      {
        me->top_scores[(gsize) idx * res->max_k + k] = k < got ? row[top[k]] : -INFINITY;
        if (k >= got)
          top[k] = G_MAXUINT32;
      }
  double m[SCALR_N_RANK_METRICS][SCALR_MAX_KS];
  scalr_eval_rank_metrics (top, got, part->indices + part->indptr[u], (guint) scalr_csr_row_len (part, u),
                           res->ks, res->n_ks, m);
  for (guint mt = 0; mt < SCALR_N_RANK_METRICS; mt++)
    for (guint ki = 0; ki < res->n_ks; ki++)
      (is_test ? me->values : me->valid_values)[mt][ki][idx] = m[mt][ki];
}

typedef struct {
  float   *scores;   /* batch × n_items */
  guint32 *negs, *top;
  guint64 *known;    /* n_items bits, all clear between entries */
} EvalScratch;

static gpointer
eval_scratch_new (guint thread, gpointer data)
{
  EvalJob *job = data;
  EvalScratch *sc = g_new (EvalScratch, 1);
  sc->scores = g_new (float, (gsize) job->batch * job->n_items);
  sc->negs = g_new (guint32, MAX (job->opt->negatives, 1));
  sc->top = g_new (guint32, MAX (job->res->max_k, 1));
  sc->known = g_new0 (guint64, job->n_items / 64 + 1);
  return sc;
}

static void
eval_scratch_free (gpointer state, guint thread, gpointer data)
{
  EvalScratch *sc = state;
  g_free (sc->scores);
  g_free (sc->negs);
  g_free (sc->top);
  g_free (sc->known);
  g_free (sc);
}

static void
eval_progress (guint64 done, guint64 n, gpointer data)
{
  EvalJob *job = data;
  guint64 lo = (guint64) job->first_batch * job->batch;
  guint entries = (guint) MIN (lo + done * job->batch, (guint64) job->n_entries);
  scalr_progress_update (job->progress, "train", 0.8 + 0.2 * entries / MAX (job->n_entries, 1),
                         "%s: ranking for %u of %u users", job->klass->name, entries, job->n_entries);
}

/* This rank's batches [first, last) (counted from job->first_batch): score, pointwise data,
 * full ranking, metrics. Every entry's results go to its own slots, so the outcome does not
 * depend on the thread count. */
static gboolean
eval_batches (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  EvalJob *job = data;
  EvalScratch *sc = state;
  for (guint64 b = first; b < last; b++)
    {
      guint at = (job->first_batch + (guint) b) * job->batch, nb = MIN (job->batch, job->n_entries - at);
      job->klass->score (job->model, job->matrix, job->entries + at, nb, sc->scores);
      for (guint r = 0; r < nb; r++)
        eval_entry (job, at + r, sc->scores + (gsize) r * job->n_items, sc->negs, sc->known, sc->top);
    }
  return TRUE;
}

/* Platt scaling per segment on the validation users of that segment (ALL: pooled over every
 * validation user, reported only). NAN where the segment has no positive and negative. */
static void
fit_platt (EvalJob *job)
{
  ScalrEvalResult *res = job->res;
  ScalrModelEval *me = job->me;
  for (guint g = 0; g < SCALR_N_SEGMENTS; g++)
    {
      g_autoptr (GArray) all_s = g_array_new (FALSE, FALSE, sizeof (float));
      g_autoptr (GArray) all_y = g_array_new (FALSE, FALSE, 1);
      guint npos = 0;
      for (guint k = 0; k < res->n_valid_users; k++)
        if (g == SCALR_SEGMENT_ALL || res->valid_segment_of[k] == g)
          {
            GArray *vs = g_ptr_array_index (job->valid_s, k), *vy = g_ptr_array_index (job->valid_y, k);
            g_array_append_vals (all_s, vs->data, vs->len);
            g_array_append_vals (all_y, vy->data, vy->len);
            for (guint q = 0; q < vy->len; q++)
              npos += vy->data[q] != 0;
          }
      me->platt_a[g] = me->platt_b[g] = NAN;
      if (npos > 0 && npos < all_y->len)
        scalr_eval_platt_fit ((const float *) (void *) all_s->data, (const guint8 *) all_y->data, all_s->len,
                              &me->platt_a[g], &me->platt_b[g]);
    }
}

/* One test user's AUC, positives and summed log loss under the Platt scaling of their segment
 * (left alone when that segment has none): each user into its own slots, so the sums
 * pointwise_metrics makes from them in user order do not depend on the thread count. */
typedef struct {
  EvalJob *job;
  guint   *n_pos;   /* per test user */
} PointwiseJob;

static gboolean
pointwise_users (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  PointwiseJob *pj = data;
  ScalrEvalResult *res = pj->job->res;
  ScalrModelEval *me = pj->job->me;
  for (guint64 k = first; k < last; k++)
    {
      GArray *ts = g_ptr_array_index (pj->job->test_s, k), *ty = g_ptr_array_index (pj->job->test_y, k);
      const float *s = (const float *) (void *) ts->data;
      const guint8 *y = (const guint8 *) ty->data;
      me->values[SCALR_METRIC_AUC][0][k] = scalr_eval_auc (s, y, ts->len);
      double a = me->platt_a[res->segment_of[k]], b = me->platt_b[res->segment_of[k]];
      guint npos = 0;
      if (isfinite (a) && isfinite (b))
        me->values[SCALR_METRIC_NE][0][k] = scalr_eval_log_loss (s, y, ts->len, a, b, &npos);
      else
        for (guint q = 0; q < ts->len; q++)
          npos += y[q] != 0;
      pj->n_pos[k] = npos;
    }
  return TRUE;
}

/* NE and AUC from each test user's (score, label) pairs under the Platt scaling of their
 * segment: per-user AUC, per-user summed log loss scaled by the pooled normaliser of all
 * users (see ScalrModelEval), and the pooled NE of each segment. A user whose segment has no
 * Platt scaling has no NE, and neither has that segment nor "all". */
static void
pointwise_metrics (EvalJob *job)
{
  ScalrEvalResult *res = job->res;
  ScalrModelEval *me = job->me;
  g_autofree guint *n_pos = g_new (guint, MAX (res->n_users, 1));
  PointwiseJob pj = { job, n_pos };
  ScalrParallelOptions po = { .n_threads = job->opt->n_threads, .chunk = 1024, .schedule = SCALR_PARALLEL_DYNAMIC };
  scalr_parallel_for (res->n_users, pointwise_users, &pj, &po, NULL);   /* no cancellable: no failure */
  double loss[SCALR_N_SEGMENTS] = { 0 }, pos[SCALR_N_SEGMENTS] = { 0 }, cnt[SCALR_N_SEGMENTS] = { 0 };
  gboolean undefined[SCALR_N_SEGMENTS] = { FALSE };
  double all_pairs = 0, all_pos = 0;
  guint with_pairs = 0;
  double *ne = me->values[SCALR_METRIC_NE][0];
  for (guint k = 0; k < res->n_users; k++)
    {
      guint len = ((GArray *) g_ptr_array_index (job->test_s, k))->len;
      ScalrSegment seg = (ScalrSegment) res->segment_of[k];
      all_pairs += len;
      all_pos += n_pos[k];
      with_pairs += len > 0;
      if (!isfinite (me->platt_a[seg]) || !isfinite (me->platt_b[seg]))
        {
          ne[k] = NAN;
          undefined[seg] = undefined[SCALR_SEGMENT_ALL] = TRUE;
          continue;
        }
      double l = ne[k];
      ne[k] = len ? l : NAN;   /* scaled below */
      ScalrSegment segs[2] = { SCALR_SEGMENT_ALL, seg };
      for (guint g = 0; g < 2; g++)
        {
          loss[segs[g]] += l;
          pos[segs[g]] += n_pos[k];
          cnt[segs[g]] += len;
        }
    }
  for (guint g = 0; g < SCALR_N_SEGMENTS; g++)
    me->ne[g] = undefined[g] ? NAN : scalr_eval_ne (loss[g], pos[g], cnt[g]);
  /* NE(all) = Σ l / (Σ pairs · H) is the mean, over the users with pairs, of l / scale with
   * scale = Σ pairs / users · H: counts only, so the same for every model of the run. */
  double inv_h = scalr_eval_ne (all_pairs, all_pos, all_pairs);
  double scale = with_pairs > 0 && isfinite (inv_h) ? all_pairs / with_pairs / inv_h : NAN;
  for (guint k = 0; k < res->n_users; k++)
    ne[k] = isfinite (scale) ? ne[k] / scale : NAN;
}

/* Catalogue coverage of the test users' top-K lists per segment. */
static void
coverage (EvalJob *job)
{
  ScalrEvalResult *res = job->res;
  for (guint g = 0; g < SCALR_N_SEGMENTS; g++)
    for (guint ki = 0; ki < res->n_ks; ki++)
      job->me->coverage[g][ki] = scalr_eval_coverage (job->me->top_items, res->n_users, res->max_k, res->ks[ki],
                                                      res->segment_of, g, job->n_items);
}

static ScalrModelEval *
model_eval_alloc (ScalrEvalResult *res, const char *name, ScalrVariant variant)
{
  ScalrModelEval *me = g_new0 (ScalrModelEval, 1);
  me->model = g_strdup (name);
  me->variant = variant;
  for (guint mt = 0; mt < SCALR_N_METRICS; mt++)
    for (guint ki = 0; ki < res->n_ks; ki++)
      {
        if (mt < SCALR_N_RANK_METRICS || (ki == 0 && mt != SCALR_METRIC_COVERAGE))
          me->values[mt][ki] = g_new0 (double, MAX (res->n_users, 1));
        if (mt < SCALR_N_RANK_METRICS)
          me->valid_values[mt][ki] = g_new0 (double, MAX (res->n_valid_users, 1));
      }
  me->top_items = g_new (guint32, MAX ((gsize) res->n_users * res->max_k, 1));
  me->top_scores = g_new (float, MAX ((gsize) res->n_users * res->max_k, 1));
  for (guint g = 0; g < SCALR_N_SEGMENTS; g++)
    me->platt_a[g] = me->platt_b[g] = me->ne[g] = NAN;
  return me;
}

static GPtrArray *
per_user_arrays (guint n, guint elem)
{
  GPtrArray *a = g_ptr_array_new_full (n, (GDestroyNotify) g_array_unref);
  for (guint k = 0; k < n; k++)
    g_ptr_array_add (a, g_array_new (FALSE, FALSE, elem));
  return a;
}

gboolean
_scalr_eval_model (ScalrEvalResult *res, ScalrSplit *split, const ScalrSyntheticEvents *syn, const ScalrConfig *c,
                   const ScalrEvalOptions *o, const ScalrRecommenderClass *klass, ScalrVariant variant,
                   ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  ScalrModelEval *me = model_eval_alloc (res, klass->name, variant);
  g_ptr_array_add (res->models, me);

  g_autoptr (ScalrCsr) matrix = scalr_eval_weighted_matrix (split, syn, variant);
  g_autoptr (GTimer) timer = g_timer_new ();
  /* The fit takes the first 80 % of this model's part, ranking the users the rest. */
  g_autoptr (ScalrProgress) fit_progress = scalr_progress_new_part (progress, "train", 0.0, 0.8);
  gpointer model = klass->fit (matrix, c, o->seed, fit_progress, cancellable, error);
  if (model == NULL)
    {
      g_prefix_error (error, "%s (%s): ", klass->name, scalr_variant_to_string (variant));
      return FALSE;
    }
  me->fit_seconds = g_timer_elapsed (timer, NULL);
  g_timer_start (timer);

  EvalJob job = { 0 };
  job.klass = klass;
  job.model = model;
  job.matrix = matrix;
  job.split = split;
  job.opt = o;
  job.res = res;
  job.me = me;
  job.n_items = matrix->n_cols;
  job.n_entries = res->n_users + res->n_valid_users;
  job.entries = g_new (guint32, MAX (job.n_entries, 1));
  if (res->n_users)
    memcpy (job.entries, res->users, res->n_users * sizeof (guint32));
  if (res->n_valid_users)
    memcpy (job.entries + res->n_users, res->valid_users, res->n_valid_users * sizeof (guint32));
  job.batch = SCALR_EVAL_BATCH;
  guint64 lo, hi;   /* this rank's entries (all of them in one process) */
  scalr_dist_block (job.n_entries, job.batch, &lo, &hi);
  job.first_batch = (guint) (lo / job.batch);
  guint64 n_batches = lo < hi ? (hi + job.batch - 1) / job.batch - job.first_batch : 0;
  job.progress = progress;
  job.test_s = per_user_arrays (res->n_users, sizeof (float));
  job.test_y = per_user_arrays (res->n_users, 1);
  job.valid_s = per_user_arrays (res->n_valid_users, sizeof (float));
  job.valid_y = per_user_arrays (res->n_valid_users, 1);
  /* Batches of entries on the policy's threads (BLAS runs one thread inside each). */
  ScalrParallelOptions po = { .n_threads = o->n_threads, .chunk = 1, .schedule = SCALR_PARALLEL_DYNAMIC,
                              .cancellable = cancellable, .thread_init = eval_scratch_new,
                              .thread_finish = eval_scratch_free, .progress = eval_progress };
  gboolean ran = scalr_parallel_for (n_batches, eval_batches, &job, &po, error);
  klass->free_model (model);

  gboolean ok = ran && _scalr_eval_share_users (res, me, (GPtrArray *[4]) { job.test_s, job.test_y, job.valid_s, job.valid_y }, error);
  if (ok)
    {
      fit_platt (&job);
      pointwise_metrics (&job);
      coverage (&job);
    }
  me->eval_seconds = g_timer_elapsed (timer, NULL);
  g_free (job.entries);
  g_ptr_array_unref (job.test_s);
  g_ptr_array_unref (job.test_y);
  g_ptr_array_unref (job.valid_s);
  g_ptr_array_unref (job.valid_y);
  return ok;
}

void
_scalr_model_eval_free (ScalrModelEval *me)
{
  g_free (me->model);
  for (guint mt = 0; mt < SCALR_N_METRICS; mt++)
    for (guint ki = 0; ki < SCALR_MAX_KS; ki++)
      {
        g_free (me->values[mt][ki]);
        if (mt < SCALR_N_RANK_METRICS)
          g_free (me->valid_values[mt][ki]);
      }
  g_free (me->top_items);
  g_free (me->top_scores);
  g_free (me);
}
