/* scalr-store-eval.c — the downstream evaluation of a run in the store. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-eval.h"
#include "scalr-fault.h"
#include "scalr-store-private.h"
#include "scalr-text.h"

static void
bind_double (sqlite3_stmt *st, int col, double v)
{
  if (isfinite (v))
    sqlite3_bind_double (st, col, v);
  else
    sqlite3_bind_null (st, col);   /* SQLite cannot hold NaN: NULL means "not defined" */
}

/* The prepared statements of one evaluation's rows. */
typedef struct {
  gint64        run_id;
  sqlite3_stmt *met, *lift, *um, *recs;
  guint         seg_users[SCALR_N_SEGMENTS];
} EvalWriter;

/* The aggregate rows of one model × variant × metric × K, one per segment. */
static int
write_metric_rows (EvalWriter *w, const ScalrEvalResult *res, const ScalrModelEval *me, ScalrMetric mt, guint ki,
                   guint k)
{
  int rc = SQLITE_DONE;
  for (ScalrSegment s = 0; s < SCALR_N_SEGMENTS && rc == SQLITE_DONE; s++)
    {
      sqlite3_reset (w->met);
      sqlite3_bind_int64 (w->met, 1, w->run_id);
      sqlite3_bind_text (w->met, 2, me->model, -1, SQLITE_STATIC);
      sqlite3_bind_text (w->met, 3, scalr_variant_to_string (me->variant), -1, SQLITE_STATIC);
      sqlite3_bind_text (w->met, 4, scalr_segment_to_string (s), -1, SQLITE_STATIC);
      sqlite3_bind_text (w->met, 5, scalr_metric_to_string (mt), -1, SQLITE_STATIC);
      sqlite3_bind_int (w->met, 6, (int) k);
      bind_double (w->met, 7, scalr_eval_aggregate (res, me, mt, ki, s));
      sqlite3_bind_int (w->met, 8, (int) w->seg_users[s]);
      rc = sqlite3_step (w->met);
    }
  return rc;
}

/* The per-user vector of one model × variant × metric × K (every metric but coverage). */
static int
write_user_vector (EvalWriter *w, const ScalrEvalResult *res, const ScalrModelEval *me, ScalrMetric mt, guint ki,
                   guint k)
{
  if (mt == SCALR_METRIC_COVERAGE || me->values[mt][ki] == NULL)
    return SQLITE_DONE;
  sqlite3_reset (w->um);
  sqlite3_bind_int64 (w->um, 1, w->run_id);
  sqlite3_bind_text (w->um, 2, me->model, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->um, 3, scalr_variant_to_string (me->variant), -1, SQLITE_STATIC);
  sqlite3_bind_text (w->um, 4, scalr_metric_to_string (mt), -1, SQLITE_STATIC);
  sqlite3_bind_int (w->um, 5, (int) k);
  sqlite3_bind_blob64 (w->um, 6, res->users, (guint64) res->n_users * 4, SQLITE_STATIC);
  sqlite3_bind_blob64 (w->um, 7, me->values[mt][ki], (guint64) res->n_users * 8, SQLITE_STATIC);
  return sqlite3_step (w->um);
}

/* Everything of one model × variant: aggregates, per-user vectors, the top-K lists. */
static int
write_model (EvalWriter *w, const ScalrEvalResult *res, const ScalrModelEval *me)
{
  int rc = SQLITE_DONE;
  for (ScalrMetric mt = 0; mt < SCALR_N_METRICS && rc == SQLITE_DONE; mt++)
    {
      guint nk = scalr_metric_is_pointwise (mt) ? 1 : res->n_ks;
      for (guint ki = 0; ki < nk && rc == SQLITE_DONE; ki++)
        {
          guint k = scalr_metric_is_pointwise (mt) ? 0 : res->ks[ki];
          rc = write_metric_rows (w, res, me, mt, ki, k);
          if (rc == SQLITE_DONE)
            rc = write_user_vector (w, res, me, mt, ki, k);
        }
    }
  if (rc != SQLITE_DONE)
    return rc;
  sqlite3_reset (w->recs);
  sqlite3_bind_int64 (w->recs, 1, w->run_id);
  sqlite3_bind_text (w->recs, 2, me->model, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->recs, 3, scalr_variant_to_string (me->variant), -1, SQLITE_STATIC);
  sqlite3_bind_int (w->recs, 4, (int) res->max_k);
  sqlite3_bind_blob64 (w->recs, 5, res->users, (guint64) res->n_users * 4, SQLITE_STATIC);
  sqlite3_bind_blob64 (w->recs, 6, me->top_items, (guint64) res->n_users * res->max_k * 4, SQLITE_STATIC);
  sqlite3_bind_blob64 (w->recs, 7, me->top_scores, (guint64) res->n_users * res->max_k * 4, SQLITE_STATIC);
  return sqlite3_step (w->recs);
}

static int
write_lift (EvalWriter *w, const ScalrLift *x)
{
  sqlite3_stmt *lift = w->lift;
  sqlite3_reset (lift);
  sqlite3_bind_int64 (lift, 1, w->run_id);
  sqlite3_bind_text (lift, 2, x->model, -1, SQLITE_STATIC);
  sqlite3_bind_text (lift, 3, scalr_segment_to_string (x->segment), -1, SQLITE_STATIC);
  sqlite3_bind_text (lift, 4, scalr_metric_to_string (x->metric), -1, SQLITE_STATIC);
  sqlite3_bind_int (lift, 5, (int) x->k);
  sqlite3_bind_text (lift, 6, x->strongest ? "strongest" : "own", -1, SQLITE_STATIC);
  sqlite3_bind_text (lift, 7, x->baseline_model, -1, SQLITE_STATIC);
  bind_double (lift, 8, x->base_mean);
  bind_double (lift, 9, x->aug_mean);
  bind_double (lift, 10, x->lift);
  bind_double (lift, 11, x->ci_low);
  bind_double (lift, 12, x->ci_high);
  bind_double (lift, 13, x->p_t);
  bind_double (lift, 14, x->p_wilcoxon);
  bind_double (lift, 15, x->p_holm);
  sqlite3_bind_int (lift, 16, (int) x->n_users);
  bind_double (lift, 17, x->level);
  sqlite3_bind_int (lift, 18, x->also_strongest ? 1 : 0);
  if (x->note)
    sqlite3_bind_text (lift, 19, x->note, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (lift, 19);
  return sqlite3_step (lift);
}

static gboolean
write_eval (ScalrStore *store, gint64 run_id, const ScalrEvalResult *res, GError **error)
{
  g_autoptr (sqlite3_stmt) met = _scalr_store_prepare (store,
    "INSERT OR REPLACE INTO run_metrics (run_id, model, variant, segment, metric, k, value, n_users) VALUES (?,?,?,?,?,?,?,?)", error);
  g_autoptr (sqlite3_stmt) lift = met ? _scalr_store_prepare (store,
    "INSERT OR REPLACE INTO run_lifts (run_id, model, segment, metric, k, reference, baseline_model, base_mean, aug_mean, "
    "lift, ci_low, ci_high, p_t, p_wilcoxon, p_holm, n_users, level, also_strongest, note) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error) : NULL;
  g_autoptr (sqlite3_stmt) um = lift ? _scalr_store_prepare (store,
    "INSERT OR REPLACE INTO run_user_metrics (run_id, model, variant, metric, k, users, vals, value_type) "
    "VALUES (?,?,?,?,?,?,?,'float64')", error) : NULL;
  g_autoptr (sqlite3_stmt) recs = um ? _scalr_store_prepare (store,
    "INSERT OR REPLACE INTO run_recs (run_id, model, variant, max_k, users, items, scores) VALUES (?,?,?,?,?,?,?)", error) : NULL;
  if (recs == NULL)
    return FALSE;
  EvalWriter w = { run_id, met, lift, um, recs, { res->n_users, 0, 0 } };
  for (guint k = 0; k < res->n_users; k++)
    w.seg_users[res->segment_of[k]]++;
  int rc = SQLITE_DONE;
  for (guint m = 0; m < res->models->len && rc == SQLITE_DONE; m++)
    rc = write_model (&w, res, g_ptr_array_index (res->models, m));
  scalr_fault_point ("eval-write");   /* metrics written, lifts not yet: inside the transaction */
  for (guint l = 0; l < res->lifts->len && rc == SQLITE_DONE; l++)
    rc = write_lift (&w, &g_array_index (res->lifts, ScalrLift, l));
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "writing evaluation results", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
scalr_store_put_eval (ScalrStore *store, gint64 run_id, const ScalrEvalResult *result, GError **error)
{
  if (!_scalr_store_begin (store, error))
    return FALSE;
  if (!write_eval (store, run_id, result, error) || !_scalr_store_results_changed (store, run_id, error))
    {
      _scalr_store_rollback (store);
      return FALSE;
    }
  return _scalr_store_commit (store, error);
}

static double
col_double (sqlite3_stmt *st, int col)
{
  return sqlite3_column_type (st, col) == SQLITE_NULL ? NAN : sqlite3_column_double (st, col);
}

static char *
col_str (sqlite3_stmt *st, int col)
{
  return g_strdup ((const char *) sqlite3_column_text (st, col));
}

static void
metric_row_clear (ScalrMetricRow *r)
{
  g_free (r->model);
  g_free (r->variant);
  g_free (r->segment);
  g_free (r->metric);
}

static void
lift_row_clear (ScalrLiftRow *r)
{
  g_free (r->model);
  g_free (r->segment);
  g_free (r->metric);
  g_free (r->reference);
  g_free (r->baseline_model);
  g_free (r->note);
}

gboolean
scalr_lift_row_is_reference (const ScalrLiftRow *row, const char *reference)
{
  g_return_val_if_fail (row != NULL && reference != NULL, FALSE);
  return g_strcmp0 (row->reference, reference) == 0
         || (row->also_strongest && g_strcmp0 (reference, "strongest") == 0);
}

/* The CI level of lift rows stored before schema 4: their run's [eval] level (0.95, the
 * default, when the config does not say). */
static double
config_level (ScalrStore *store, gint64 run_id)
{
  g_autoptr (ScalrRunInfo) r = scalr_store_load_run (store, run_id, NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  if (r == NULL || !g_key_file_load_from_data (kf, r->config, (gsize) -1, G_KEY_FILE_NONE, NULL))
    return 0.95;
  g_autoptr (GError) error = NULL;
  double v = g_key_file_get_double (kf, "eval", "level", &error);
  return error || !(v > 0 && v < 1) ? 0.95 : v;
}

static gboolean
known_variant (const char *s)
{
  for (ScalrVariant v = 0; v < SCALR_N_VARIANTS; v++)
    if (g_strcmp0 (s, scalr_variant_to_string (v)) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
known_segment (const char *s)
{
  for (ScalrSegment g = 0; g < SCALR_N_SEGMENTS; g++)
    if (g_strcmp0 (s, scalr_segment_to_string (g)) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
known_metric (const char *s)
{
  for (ScalrMetric m = 0; m < SCALR_N_METRICS; m++)
    if (g_strcmp0 (s, scalr_metric_to_string (m)) == 0)
      return TRUE;
  return FALSE;
}

/* K is 0 for the pointwise metrics, a positive cut-off for the others. */
static gboolean
k_fits (sqlite3_stmt *st, int col, const char *metric)
{
  gboolean pointwise = g_strcmp0 (metric, "ne") == 0 || g_strcmp0 (metric, "auc") == 0;
  sqlite3_int64 k = sqlite3_column_int64 (st, col);
  return sqlite3_column_type (st, col) == SQLITE_INTEGER && (pointwise ? k == 0 : k > 0 && k <= 100000);
}

/* A stored count of users: an integer within the run's users. */
static gboolean
users_fit (sqlite3_stmt *st, int col, const ScalrRunCheck *shape)
{
  sqlite3_int64 n = sqlite3_column_int64 (st, col);
  return sqlite3_column_type (st, col) == SQLITE_INTEGER && n >= 0 && n <= shape->n_users;
}

/* One metrics row: the names known, K as the metric wants it, a finite value or NULL. */
static gboolean
check_metric_row (ScalrStore *store, gint64 run_id, sqlite3_stmt *st, const ScalrRunCheck *shape, guint row,
                  GError **error)
{
  g_autofree char *what = g_strdup_printf ("metrics row %u", row);
  for (int c = 0; c < 4; c++)
    if (!_scalr_check_text (store, run_id, st, c, FALSE, what, error))
      return FALSE;
  const char *variant = (const char *) sqlite3_column_text (st, 1), *segment = (const char *) sqlite3_column_text (st, 2);
  const char *metric = (const char *) sqlite3_column_text (st, 3);
  if (!known_variant (variant) || !known_segment (segment) || !known_metric (metric))
    return _scalr_store_damaged (store, run_id, error, "%s names an unknown variant, segment or metric", what);
  if (!k_fits (st, 4, metric) || !users_fit (st, 6, shape))
    return _scalr_store_damaged (store, run_id, error, "%s has K %lld or %lld users, out of range", what,
                                 (long long) sqlite3_column_int64 (st, 4), (long long) sqlite3_column_int64 (st, 6));
  return _scalr_check_number (store, run_id, st, 5, what, error);
}

/* Every model counts the same users in a segment, and all = sparse + warm. */
static gboolean
check_segment_users (ScalrStore *store, gint64 run_id, GArray *rows, GError **error)
{
  gint64 seg[SCALR_N_SEGMENTS] = { -1, -1, -1 };
  for (guint k = 0; k < rows->len; k++)
    {
      const ScalrMetricRow *r = &g_array_index (rows, ScalrMetricRow, k);
      for (int s = 0; s < SCALR_N_SEGMENTS; s++)
        if (g_strcmp0 (r->segment, scalr_segment_to_string (s)) == 0)
          {
            if (seg[s] >= 0 && seg[s] != r->n_users)
              return _scalr_store_damaged (store, run_id, error, "its metrics count %" G_GINT64_FORMAT " and %u %s users",
                                           seg[s], r->n_users, r->segment);
            seg[s] = r->n_users;
          }
    }
  if (seg[SCALR_SEGMENT_ALL] >= 0 && seg[SCALR_SEGMENT_SPARSE] >= 0 && seg[SCALR_SEGMENT_WARM] >= 0
      && seg[SCALR_SEGMENT_ALL] != seg[SCALR_SEGMENT_SPARSE] + seg[SCALR_SEGMENT_WARM])
    return _scalr_store_damaged (store, run_id, error, "its metrics count %" G_GINT64_FORMAT " users, not %"
                                 G_GINT64_FORMAT " sparse + %" G_GINT64_FORMAT " warm", seg[SCALR_SEGMENT_ALL],
                                 seg[SCALR_SEGMENT_SPARSE], seg[SCALR_SEGMENT_WARM]);
  return TRUE;
}

GArray *
scalr_store_load_metrics (ScalrStore *store, gint64 run_id, GError **error)
{
  ScalrRunCheck shape;
  if (!_scalr_store_verify_part (store, run_id, SCALR_RUN_PART_METRICS, error)
      || !_scalr_store_run_shape (store, run_id, &shape, error))
    return NULL;
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT model, variant, segment, metric, k, value, n_users FROM run_metrics WHERE run_id = ? "
    "ORDER BY model, segment, metric, k, variant", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, run_id);
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (ScalrMetricRow));
  g_array_set_clear_func (rows, (GDestroyNotify) metric_row_clear);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      if (!check_metric_row (store, run_id, st, &shape, rows->len + 1, error))
        return NULL;
      ScalrMetricRow r = { col_str (st, 0), col_str (st, 1), col_str (st, 2), col_str (st, 3),
                           (guint) sqlite3_column_int (st, 4), col_double (st, 5), (guint) sqlite3_column_int (st, 6) };
      g_array_append_val (rows, r);
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "reading metrics", error);
      return NULL;
    }
  if (!check_segment_users (store, run_id, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* One lift row: names, K, numbers finite or NULL, p-values in [0, 1], the CI in order, the
 * level in (0, 1). */
static gboolean
check_lift_row (ScalrStore *store, gint64 run_id, sqlite3_stmt *st, const ScalrRunCheck *shape, guint row,
                GError **error)
{
  g_autofree char *what = g_strdup_printf ("lift row %u", row);
  for (int c = 0; c < 5; c++)
    if (!_scalr_check_text (store, run_id, st, c, FALSE, what, error))
      return FALSE;
  if (!_scalr_check_text (store, run_id, st, 17, TRUE, what, error))
    return FALSE;
  const char *segment = (const char *) sqlite3_column_text (st, 1), *metric = (const char *) sqlite3_column_text (st, 2);
  const char *reference = (const char *) sqlite3_column_text (st, 3);
  if (!known_segment (segment) || !known_metric (metric)
      || (g_strcmp0 (reference, "own") != 0 && g_strcmp0 (reference, "strongest") != 0))
    return _scalr_store_damaged (store, run_id, error, "%s names an unknown segment, metric or reference", what);
  if (!k_fits (st, 5, metric) || !users_fit (st, 14, shape)
      || sqlite3_column_type (st, 16) != SQLITE_INTEGER || (guint64) sqlite3_column_int64 (st, 16) > 1)
    return _scalr_store_damaged (store, run_id, error, "%s has a K, user count or flag out of range", what);
  for (int c = 6; c <= 15; c++)
    if (c != 14 && !_scalr_check_number (store, run_id, st, c, what, error))
      return FALSE;
  for (int c = 11; c <= 13; c++)
    if (sqlite3_column_type (st, c) != SQLITE_NULL && !(col_double (st, c) >= 0 && col_double (st, c) <= 1))
      return _scalr_store_damaged (store, run_id, error, "%s has a p-value of %g", what, col_double (st, c));
  if (col_double (st, 9) > col_double (st, 10))
    return _scalr_store_damaged (store, run_id, error, "%s has its CI upside down [%g, %g]", what,
                                 col_double (st, 9), col_double (st, 10));
  double level = col_double (st, 15);
  if (sqlite3_column_type (st, 15) != SQLITE_NULL && !(level > 0 && level < 1))
    return _scalr_store_damaged (store, run_id, error, "%s has a CI level of %g", what, level);
  return TRUE;
}

GArray *
scalr_store_load_lifts (ScalrStore *store, gint64 run_id, GError **error)
{
  ScalrRunCheck shape;
  if (!_scalr_store_verify_part (store, run_id, SCALR_RUN_PART_LIFTS, error)
      || !_scalr_store_run_shape (store, run_id, &shape, error))
    return NULL;
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT model, segment, metric, reference, baseline_model, k, base_mean, aug_mean, lift, ci_low, ci_high, "
    "p_t, p_wilcoxon, p_holm, n_users, level, also_strongest, note FROM run_lifts WHERE run_id = ? "
    "ORDER BY segment, metric, k, reference, model", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, run_id);
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (ScalrLiftRow));
  g_array_set_clear_func (rows, (GDestroyNotify) lift_row_clear);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      if (!check_lift_row (store, run_id, st, &shape, rows->len + 1, error))
        return NULL;
      ScalrLiftRow r = { col_str (st, 0), col_str (st, 1), col_str (st, 2), col_str (st, 3), col_str (st, 4),
                         (guint) sqlite3_column_int (st, 5), col_double (st, 6), col_double (st, 7), col_double (st, 8),
                         col_double (st, 9), col_double (st, 10), col_double (st, 11), col_double (st, 12),
                         col_double (st, 13), (guint) sqlite3_column_int (st, 14), col_double (st, 15),
                         sqlite3_column_int (st, 16) != 0,
                         sqlite3_column_type (st, 17) == SQLITE_NULL ? NULL : col_str (st, 17) };
      g_array_append_val (rows, r);
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "reading lifts", error);
      return NULL;
    }
  double old_level = NAN;
  for (guint k = 0; k < rows->len; k++)
    {
      ScalrLiftRow *r = &g_array_index (rows, ScalrLiftRow, k);
      if (isnan (r->level))
        {
          if (isnan (old_level))
            old_level = config_level (store, run_id);
          r->level = old_level;
        }
    }
  return g_steal_pointer (&rows);
}

/* The key columns of a per-user vector or a top-K list: "the per-user values of MODEL
 * (VARIANT) METRIC@K" (owned), NULL with @error set when they are not texts as written. */
static char *
vector_name (ScalrStore *store, gint64 run_id, sqlite3_stmt *st, gboolean has_metric, const char *kind,
             GError **error)
{
  for (int c = 0; c < (has_metric ? 3 : 2); c++)
    if (!_scalr_check_text (store, run_id, st, c, FALSE, kind, error))
      return NULL;
  g_autofree char *model = scalr_text_shorten ((const char *) sqlite3_column_text (st, 0), 40);
  const char *variant = (const char *) sqlite3_column_text (st, 1);
  if (!known_variant (variant))
    {
      _scalr_store_damaged (store, run_id, error, "%s of %s name an unknown variant", kind, model);
      return NULL;
    }
  if (!has_metric)
    return g_strdup_printf ("%s of %s (%s)", kind, model, variant);
  const char *metric = (const char *) sqlite3_column_text (st, 2);
  if (!known_metric (metric) || g_strcmp0 (metric, "coverage") == 0 || !k_fits (st, 3, metric))
    {
      _scalr_store_damaged (store, run_id, error, "%s of %s (%s) name an unknown metric or K", kind, model, variant);
      return NULL;
    }
  return g_strdup_printf ("%s of %s (%s) %s@%lld", kind, model, variant, metric, (long long) sqlite3_column_int64 (st, 3));
}

/* The users of a vector or list: valid, and the same in every one of the run's (@first keeps
 * the first seen). */
static gboolean
check_vector_users (ScalrStore *store, gint64 run_id, const char *what, const guint32 *users, guint n,
                    const ScalrRunCheck *shape, GArray *first, GError **error)
{
  if (first->len == 0 && n > 0)
    {
      if (!_scalr_check_users (store, run_id, what, users, n, shape, error))
        return FALSE;
      g_array_append_vals (first, users, n);
      return TRUE;
    }
  if (first->len != n || (n > 0 && memcmp (first->data, users, (gsize) n * 4) != 0))
    return _scalr_check_users (store, run_id, what, users, n, shape, error)
           && _scalr_store_damaged (store, run_id, error, "%s do not name the users the others name", what);
  return TRUE;
}

gboolean
scalr_store_foreach_user_metrics (ScalrStore *store, gint64 run_id, ScalrUserMetricsFunc func, gpointer data,
                                  GError **error)
{
  ScalrRunCheck shape;
  if (!_scalr_store_verify_part (store, run_id, SCALR_RUN_PART_USER_METRICS, error)
      || !_scalr_store_run_shape (store, run_id, &shape, error))
    return FALSE;
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT model, variant, metric, k, users, vals, value_type FROM run_user_metrics WHERE run_id = ? "
    "ORDER BY model, variant, metric, k", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  g_autoptr (GArray) first = g_array_new (FALSE, FALSE, 4);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      g_autofree char *what = vector_name (store, run_id, st, TRUE, "the per-user values", error);
      if (what == NULL)
        return FALSE;
      /* float64 since schema 4; float32 before (widened, as they were computed). */
      const char *type = (const char *) sqlite3_column_text (st, 6);
      gboolean wide = g_strcmp0 (type, "float64") == 0;
      if (!wide && g_strcmp0 (type, "float32") != 0)
        return _scalr_store_damaged (store, run_id, error, "%s have an unknown value type", what);
      int nu = sqlite3_column_bytes (st, 4), nv = sqlite3_column_bytes (st, 5);
      int width = wide ? 8 : 4;
      if (nu % 4 != 0 || (gint64) nv != (gint64) (nu / 4) * width)
        return _scalr_store_damaged (store, run_id, error, "%s hold %d bytes of users and %d of values", what, nu, nv);
      guint n = (guint) nu / 4;
      g_autofree guint32 *users = g_memdup2 (sqlite3_column_blob (st, 4), (gsize) nu);
      g_autofree double *vals = g_new (double, MAX (n, 1));
      if (wide)
        memcpy (vals, sqlite3_column_blob (st, 5), (gsize) nv);
      else
        {
          const float *f = sqlite3_column_blob (st, 5);
          for (guint i = 0; i < n; i++)
            {
              float v;
              memcpy (&v, f + i, sizeof v);
              vals[i] = v;
            }
        }
      if (!check_vector_users (store, run_id, what, users, n, &shape, first, error)
          || !_scalr_check_user_values (store, run_id, what, vals, n, error))
        return FALSE;
      func ((const char *) sqlite3_column_text (st, 0), (const char *) sqlite3_column_text (st, 1),
            (const char *) sqlite3_column_text (st, 2), (guint) sqlite3_column_int (st, 3), users, vals, n, data);
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "reading per-user metrics", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
scalr_store_foreach_recs (ScalrStore *store, gint64 run_id, ScalrRecsFunc func, gpointer data, GError **error)
{
  ScalrRunCheck shape;
  if (!_scalr_store_verify_part (store, run_id, SCALR_RUN_PART_RECS, error)
      || !_scalr_store_run_shape (store, run_id, &shape, error))
    return FALSE;
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT model, variant, max_k, users, items, scores FROM run_recs WHERE run_id = ? ORDER BY variant, model", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  g_autoptr (GArray) first = g_array_new (FALSE, FALSE, 4);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      g_autofree char *what = vector_name (store, run_id, st, FALSE, "the top-K lists", error);
      if (what == NULL)
        return FALSE;
      sqlite3_int64 max_k = sqlite3_column_int64 (st, 2);
      int nu = sqlite3_column_bytes (st, 3), ni = sqlite3_column_bytes (st, 4), ns = sqlite3_column_bytes (st, 5);
      if (max_k <= 0 || max_k > 100000 || nu % 4 != 0 || (gint64) ni != (gint64) nu * max_k || ni != ns)
        return _scalr_store_damaged (store, run_id, error, "%s hold %d bytes of users, %d of items and %d of scores "
                                     "for K = %lld", what, nu, ni, ns, (long long) max_k);
      guint n = (guint) nu / 4;
      g_autofree guint32 *users = g_memdup2 (sqlite3_column_blob (st, 3), (gsize) nu);
      g_autofree guint32 *items = g_memdup2 (sqlite3_column_blob (st, 4), (gsize) ni);
      g_autofree float *scores = g_memdup2 (sqlite3_column_blob (st, 5), (gsize) ns);
      if (!check_vector_users (store, run_id, what, users, n, &shape, first, error)
          || !_scalr_check_recs (store, run_id, what, (guint) max_k, n, items, scores, &shape, error))
        return FALSE;
      func ((const char *) sqlite3_column_text (st, 0), (const char *) sqlite3_column_text (st, 1), (guint) max_k,
            users, n, items, scores, data);
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "reading recommendations", error);
      return FALSE;
    }
  return TRUE;
}
