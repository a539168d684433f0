/* scalr-lifts.c — the lift rows of an evaluation: one definition of each metric's value
 * (scalr_eval_aggregate), the strongest baseline, paired tests, every row's bootstrap as
 * one matrix product, Holm, and the reasons when a statistic is undefined. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-bootstrap.h"
#include "scalr-eval-private.h"
#include "scalr-limits.h"
#include "scalr-parallel.h"
#include "scalr-stats.h"

#define CHUNK_USERS 8192   /* users per block of the value matrix V */

static const ScalrMetric lifted[] = { SCALR_METRIC_RECALL, SCALR_METRIC_NDCG, SCALR_METRIC_HIT, SCALR_METRIC_MRR,
                                      SCALR_METRIC_PRECISION, SCALR_METRIC_NE, SCALR_METRIC_AUC };

static const double *
vector_of (const ScalrModelEval *me, ScalrMetric metric, guint ki)
{
  return me->values[metric][metric >= SCALR_N_RANK_METRICS ? 0 : ki];
}

static gboolean
in_segment (const ScalrEvalResult *res, guint k, ScalrSegment seg)
{
  return seg == SCALR_SEGMENT_ALL || res->segment_of[k] == seg;
}

double
scalr_eval_aggregate (const ScalrEvalResult *res, const ScalrModelEval *me, ScalrMetric metric, guint ki,
                      ScalrSegment segment)
{
  g_return_val_if_fail (res != NULL && me != NULL && (guint) segment < SCALR_N_SEGMENTS, NAN);
  if (metric == SCALR_METRIC_COVERAGE)
    return me->coverage[segment][ki];
  if (metric == SCALR_METRIC_NE)
    return me->ne[segment];
  const double *v = vector_of (me, metric, ki);
  if (v == NULL)
    return NAN;
  double sum = 0;
  guint n = 0;
  for (guint k = 0; k < res->n_users; k++)
    if (in_segment (res, k, segment) && isfinite (v[k]))
      {
        sum += v[k];
        n++;
      }
  return n ? sum / n : NAN;
}

void
_scalr_lift_clear (ScalrLift *l)
{
  g_free (l->model);
  g_free (l->baseline_model);
  g_free (l->note);
}

/* ---- comparisons and the bootstrap's value columns ---------------------------------- */

typedef struct {
  const ScalrModelEval *base, *aug;
  ScalrSegment          seg;
  ScalrMetric           metric;
  guint                 ki;
  gboolean              strongest, also_strongest;
  guint                 col_x, col_y;
} Comparison;

/* A column of V: a per-user vector, with the users where @mask (the other vector of the
 * pair, or NULL) is undefined counted as 0, so both columns of a row sum over one user set. */
typedef struct {
  const double *v, *mask;
} Column;

static gboolean
all_finite (GHashTable *cache, const double *v, guint n)
{
  gpointer hit;
  if (g_hash_table_lookup_extended (cache, v, NULL, &hit))
    return GPOINTER_TO_INT (hit);
  gboolean ok = TRUE;
  for (guint k = 0; k < n && ok; k++)
    ok = isfinite (v[k]);
  g_hash_table_insert (cache, (gpointer) v, GINT_TO_POINTER (ok));
  return ok;
}

static guint
column_index (GArray *cols, const double *v, const double *mask)
{
  for (guint c = 0; c < cols->len; c++)
    {
      const Column *x = &g_array_index (cols, Column, c);
      if (x->v == v && x->mask == mask)
        return c;
    }
  Column col = { v, mask };
  g_array_append_val (cols, col);
  return cols->len - 1;
}

static ScalrModelEval *
find_model (ScalrEvalResult *res, const char *name, ScalrVariant variant)
{
  for (guint k = 0; k < res->models->len; k++)
    {
      ScalrModelEval *me = g_ptr_array_index (res->models, k);
      if (me->variant == variant && g_strcmp0 (me->model, name) == 0)
        return me;
    }
  return NULL;
}

static void
add_comparison (ScalrEvalResult *res, GArray *comps, GArray *cols, GHashTable *finite, const ScalrModelEval *base,
                const ScalrModelEval *aug, ScalrSegment seg, ScalrMetric metric, guint ki, gboolean strongest,
                gboolean also)
{
  const double *x = vector_of (base, metric, ki), *y = vector_of (aug, metric, ki);
  gboolean plain = all_finite (finite, x, res->n_users) && all_finite (finite, y, res->n_users);
  Comparison c = { base, aug, seg, metric, ki, strongest, also,
                   column_index (cols, x, plain ? NULL : y), column_index (cols, y, plain ? NULL : x) };
  g_array_append_val (comps, c);
}

/* Every comparison of the run, in a stable order (segment, metric, K, model). */
static void
list_comparisons (ScalrEvalResult *res, const guint seg_users[SCALR_N_SEGMENTS], GArray *comps, GArray *cols)
{
  g_autoptr (GHashTable) finite = g_hash_table_new (NULL, NULL);
  for (ScalrSegment s = 0; s < SCALR_N_SEGMENTS; s++)
    for (guint mi = 0; mi < G_N_ELEMENTS (lifted) && seg_users[s] > 0; mi++)
      {
        ScalrMetric metric = lifted[mi];
        guint nk = metric >= SCALR_N_RANK_METRICS ? 1 : res->n_ks;
        for (guint ki = 0; ki < nk; ki++)
          {
            /* The strongest real-only model of this segment, metric and K. */
            ScalrModelEval *best = NULL;
            double best_value = NAN;
            for (guint k = 0; k < res->models->len; k++)
              {
                ScalrModelEval *me = g_ptr_array_index (res->models, k);
                if (me->variant != SCALR_VARIANT_BASELINE)
                  continue;
                double v = scalr_eval_aggregate (res, me, metric, ki, s);
                if (isfinite (v) && (best == NULL || (scalr_metric_higher_is_better (metric) ? v > best_value : v < best_value)))
                  best = me, best_value = v;
              }
            for (guint k = 0; k < res->models->len; k++)
              {
                ScalrModelEval *aug = g_ptr_array_index (res->models, k);
                if (aug->variant != SCALR_VARIANT_AUGMENTED)
                  continue;
                ScalrModelEval *own = find_model (res, aug->model, SCALR_VARIANT_BASELINE);
                if (own)
                  add_comparison (res, comps, cols, finite, own, aug, s, metric, ki, FALSE, own == best);
                if (best && best != own)
                  add_comparison (res, comps, cols, finite, best, aug, s, metric, ki, TRUE, FALSE);
              }
          }
      }
}

/* sums[s] (n_boot × n_cols) = W · V over the users of segment s, for sparse and warm; all
 * is their sum (the weights of a user do not depend on its segment). */
static gboolean
bootstrap_sums (const ScalrEvalResult *res, const ScalrEvalOptions *o, GArray *cols, double *sums[SCALR_N_SEGMENTS],
                GCancellable *cancellable, GError **error)
{
  guint C = cols->len, B = o->bootstrap;
  gsize chunk = MIN (CHUNK_USERS, MAX (res->n_users, 1));
  g_autofree double *v = g_new (double, chunk * C);
  g_autofree guint32 *uids = g_new (guint32, chunk);
  const ScalrSegment parts[] = { SCALR_SEGMENT_SPARSE, SCALR_SEGMENT_WARM };
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      gsize r = 0;
      for (guint k = 0; k <= res->n_users; k++)
        {
          if (r == chunk || (k == res->n_users && r > 0))
            {
              if (!scalr_bootstrap_accumulate (o->seed, B, uids, r, v, C, sums[parts[p]], cancellable, error))
                return FALSE;
              r = 0;
            }
          if (k == res->n_users || res->segment_of[k] != parts[p])
            continue;
          for (guint c = 0; c < C; c++)
            {
              const Column *col = &g_array_index (cols, Column, c);
              double x = col->v[k];
              v[r * C + c] = isfinite (x) && (col->mask == NULL || isfinite (col->mask[k])) ? x : 0.0;
            }
          uids[r++] = res->users[k];
        }
    }
  for (gsize i = 0; i < (gsize) B * C; i++)
    sums[SCALR_SEGMENT_ALL][i] = sums[SCALR_SEGMENT_SPARSE][i] + sums[SCALR_SEGMENT_WARM][i];
  return TRUE;
}

/* ---- one row ------------------------------------------------------------------------ */

static void
note_add (GString *note, const char *what, ScalrStatsStatus status)
{
  if (status == SCALR_STATS_OK)
    return;
  g_string_append_printf (note, "%s%s undefined: %s", note->len ? "; " : "", what,
                          scalr_stats_status_to_string (status));
}

static void
fill_row (const ScalrEvalResult *res, const ScalrEvalOptions *o, const Comparison *c, double *const sums[SCALR_N_SEGMENTS],
          guint n_cols, double *x, double *y, ScalrLift *l)
{
  const double *xv = vector_of (c->base, c->metric, c->ki), *yv = vector_of (c->aug, c->metric, c->ki);
  guint n = 0;
  for (guint k = 0; k < res->n_users; k++)
    if (in_segment (res, k, c->seg) && isfinite (xv[k]) && isfinite (yv[k]))
      {
        x[n] = xv[k];
        y[n] = yv[k];
        n++;
      }
  l->model = g_strdup (c->aug->model);
  l->segment = c->seg;
  l->metric = c->metric;
  l->k = c->metric >= SCALR_N_RANK_METRICS ? 0 : res->ks[c->ki];
  l->strongest = c->strongest;
  l->also_strongest = c->also_strongest;
  l->baseline_model = g_strdup (c->base->model);
  l->n_users = n;
  l->base_mean = scalr_eval_aggregate (res, c->base, c->metric, c->ki, c->seg);
  l->aug_mean = scalr_eval_aggregate (res, c->aug, c->metric, c->ki, c->seg);
  l->lift = scalr_stats_lift (x, y, n);
  l->level = o->level;
  ScalrStatsStatus lift_status = n == 0 ? SCALR_STATS_NO_PAIRS : isnan (l->lift) ? SCALR_STATS_ZERO_BASELINE : SCALR_STATS_OK;
  ScalrStatsStatus ci_status;
  l->ci_low = l->ci_high = NAN;
  if (lift_status != SCALR_STATS_OK)
    ci_status = SCALR_STATS_OK;   /* said once, for the lift */
  else if (n < 2)
    ci_status = SCALR_STATS_TOO_FEW;
  else if (o->bootstrap == 0)
    ci_status = SCALR_STATS_NO_RESAMPLES;
  else
    ci_status = scalr_bootstrap_interval (sums[c->seg] + c->col_x, sums[c->seg] + c->col_y, n_cols, o->bootstrap,
                                          o->level, &l->ci_low, &l->ci_high);
  ScalrStatsTest t, w;
  scalr_stats_paired_t (x, y, n, &t);
  scalr_stats_wilcoxon (x, y, n, &w);
  l->p_t = t.p;
  l->p_wilcoxon = w.p;
  l->p_holm = NAN;
  g_autoptr (GString) note = g_string_new (NULL);
  note_add (note, "lift", lift_status);
  if (lift_status != SCALR_STATS_NO_PAIRS)
    {
      note_add (note, "CI", ci_status);
      if (t.status == w.status)
        note_add (note, "p-values", t.status);
      else
        {
          note_add (note, "p (t)", t.status);
          note_add (note, "p (Wilcoxon)", w.status);
        }
    }
  l->note = note->len ? g_string_free (g_steal_pointer (&note), FALSE) : NULL;
}

typedef struct {
  const ScalrEvalResult  *res;
  const ScalrEvalOptions *o;
  GArray                 *comps;
  double *const          *sums;
  guint                   n_cols;
  ScalrLift              *out;    /* one slot per comparison, zeroed */
} RowsJob;

typedef struct {
  double *x, *y;
} RowsScratch;

static gpointer
rows_scratch_new (guint thread, gpointer data)
{
  const RowsJob *job = data;
  RowsScratch *sc = g_new (RowsScratch, 1);
  sc->x = g_new (double, MAX (job->res->n_users, 1));
  sc->y = g_new (double, MAX (job->res->n_users, 1));
  return sc;
}

static void
rows_scratch_free (gpointer state, guint thread, gpointer data)
{
  RowsScratch *sc = state;
  g_free (sc->x);
  g_free (sc->y);
  g_free (sc);
}

static gboolean
fill_rows (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  const RowsJob *job = data;
  RowsScratch *sc = state;
  for (guint64 i = first; i < last; i++)
    fill_row (job->res, job->o, &g_array_index (job->comps, Comparison, i), job->sums, job->n_cols, sc->x, sc->y,
              &job->out[i]);
  return TRUE;
}

/* ---- the rows, Holm and the warnings ------------------------------------------------ */

static void
add_warnings (ScalrEvalResult *res, const guint seg_users[SCALR_N_SEGMENTS])
{
  if (res->n_users < 2)
    g_ptr_array_add (res->warnings,
                     g_strdup_printf ("the experiment has %u tested user%s: no confidence interval or p-value "
                                      "can be computed (they need at least 2)", res->n_users, res->n_users == 1 ? "" : "s"));
  for (ScalrSegment s = SCALR_SEGMENT_SPARSE; s < SCALR_N_SEGMENTS; s++)
    if (seg_users[s] == 0 && res->n_users > 0)
      g_ptr_array_add (res->warnings, g_strdup_printf ("no %s users among the tested users: no lifts for that segment",
                                                       scalr_segment_to_string (s)));
  /* One line per distinct reason, with how many rows it concerns. */
  g_autoptr (GHashTable) count = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  for (guint k = 0; k < res->lifts->len; k++)
    {
      const ScalrLift *l = &g_array_index (res->lifts, ScalrLift, k);
      if (l->note == NULL)
        continue;
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (count, l->note));
      if (n == 0)
        g_ptr_array_add (order, l->note);
      g_hash_table_insert (count, l->note, GUINT_TO_POINTER (n + 1));
    }
  for (guint k = 0; k < order->len; k++)
    {
      const char *why = g_ptr_array_index (order, k);
      g_ptr_array_add (res->warnings, g_strdup_printf ("%u of %u lift rows: %s", GPOINTER_TO_UINT (g_hash_table_lookup (count, why)),
                                                       res->lifts->len, why));
    }
}

gboolean
_scalr_eval_compute_lifts (ScalrEvalResult *res, const ScalrEvalOptions *o, GCancellable *cancellable, GError **error)
{
  guint seg_users[SCALR_N_SEGMENTS] = { res->n_users, 0, 0 };
  for (guint k = 0; k < res->n_users; k++)
    seg_users[res->segment_of[k]]++;
  g_autoptr (GArray) comps = g_array_new (FALSE, FALSE, sizeof (Comparison));
  g_autoptr (GArray) cols = g_array_new (FALSE, FALSE, sizeof (Column));
  list_comparisons (res, seg_users, comps, cols);

  /* The bootstrap of every row: per segment a resamples × columns matrix of sums. */
  guint C = cols->len, B = o->bootstrap;
  guint64 bytes = (guint64) B * C * 8 * SCALR_N_SEGMENTS + (guint64) CHUNK_USERS * (C * 8 + 4)
                  + (guint64) B * 1024 * 8;
  if (!scalr_limits_check_memory ("the bootstrap", bytes, "lower [eval] bootstrap", error))
    return FALSE;
  double *sums[SCALR_N_SEGMENTS] = { NULL };
  for (guint s = 0; s < SCALR_N_SEGMENTS; s++)
    sums[s] = g_new0 (double, MAX ((gsize) B * C, 1));
  g_autoptr (GTimer) timer = g_timer_new ();
  gboolean ok = B == 0 || C == 0 || bootstrap_sums (res, o, cols, sums, cancellable, error);
  res->bootstrap_seconds = g_timer_elapsed (timer, NULL);

  /* The rows on the policy's threads (each row its own slot: the same rows for any count). */
  guint n_done = res->lifts->len;
  g_array_set_size (res->lifts, n_done + comps->len);
  ScalrLift *slots = comps->len ? (ScalrLift *) (void *) res->lifts->data + n_done : NULL;
  if (slots)
    memset (slots, 0, comps->len * sizeof (ScalrLift));
  RowsJob job = { res, o, comps, sums, C, slots };
  ScalrParallelOptions po = { .chunk = 1, .schedule = SCALR_PARALLEL_DYNAMIC, .cancellable = cancellable,
                              .thread_init = rows_scratch_new, .thread_finish = rows_scratch_free };
  if (ok && !scalr_parallel_for (comps->len, fill_rows, &job, &po, error))
    ok = FALSE;
  if (!ok)
    {
      for (guint i = n_done; i < res->lifts->len; i++)
        _scalr_lift_clear (&g_array_index (res->lifts, ScalrLift, i));
      g_array_set_size (res->lifts, n_done);
    }
  for (guint s = 0; s < SCALR_N_SEGMENTS; s++)
    g_free (sums[s]);
  if (!ok)
    return FALSE;

  /* Holm over the family: every row with a defined Wilcoxon p (each comparison is one row). */
  g_autofree double *p = g_new (double, MAX (res->lifts->len, 1));
  for (guint k = 0; k < res->lifts->len; k++)
    p[k] = g_array_index (res->lifts, ScalrLift, k).p_wilcoxon;
  scalr_stats_holm (p, res->lifts->len, p);
  for (guint k = 0; k < res->lifts->len; k++)
    g_array_index (res->lifts, ScalrLift, k).p_holm = p[k];
  add_warnings (res, seg_users);
  return TRUE;
}
