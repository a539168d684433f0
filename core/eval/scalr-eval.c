/* scalr-eval.c — downstream training, full-ranking evaluation, pointwise NE/AUC, lifts. */
#include "config.h"

#include "scalr-eval.h"
#include "scalr-eval-private.h"

#include <math.h>
#include <string.h>

#include "scalr-blas.h"
#include "scalr-limits.h"
#include "scalr-parallel.h"
#include "scalr-progress.h"
#include "scalr-rng.h"
#include "scalr-topk.h"

const ScalrParam scalr_downstream_params[] = {
  { "downstream", "enabled", SCALR_PARAM_BOOL, "true", 0, 0, NULL,
    "Train and evaluate downstream models (false: stop after the synthetic-data diagnostics)", NULL },
  { "downstream", "models", SCALR_PARAM_LIST, "pop,itemknn,ials,bpr,ease", 0, 0, NULL /* the registered models (the registry fills it in) */,
    "Downstream recommenders trained on each variant", NULL },
  { "downstream", "variants", SCALR_PARAM_LIST, "baseline,augmented", 0, 0, "baseline|augmented|synthetic_only",
    "Training sets: real only, real + synthetic, synthetic only", NULL },
  { "downstream", "seed", SCALR_PARAM_INT, "42", 0, 9007199254740991.0, NULL,
    "Seed of model initialisation and sampling", NULL },
  { NULL }
};

const ScalrParam scalr_eval_params[] = {
  { "eval", "k", SCALR_PARAM_INT_LIST, "10,20,50", 1, 1000, NULL,
    "Cut-offs K of the ranking metrics (comma-separated, at most 8)", NULL },
  { "eval", "negatives", SCALR_PARAM_INT, "50", 1, 10000, NULL,
    "Sampled negatives per held-out positive for NE and AUC", NULL },
  { "eval", "bootstrap", SCALR_PARAM_INT, "1000", 0, 100000, NULL,
    "Paired bootstrap resamples for the lift confidence intervals (0: none)", NULL },
  { "eval", "level", SCALR_PARAM_DOUBLE, "0.95", 0.5, 0.999, NULL,
    "Confidence level of the intervals", NULL },
  { "eval", "seed", SCALR_PARAM_INT, "42", 0, 9007199254740991.0, NULL,
    "Seed of negative sampling and the bootstrap", NULL },
  { "eval", "replicates", SCALR_PARAM_INT, "1", 1, 100, NULL,
    "Repeat the whole experiment on this many splits (seeds derived from the split, sampler, downstream and eval seeds); lifts are summarised over them", NULL },
  { NULL }
};

const char *
scalr_variant_to_string (ScalrVariant v)
{
  static const char *const n[] = { "baseline", "augmented", "synthetic_only" };
  return (guint) v < G_N_ELEMENTS (n) ? n[v] : "unknown";
}

const char *
scalr_segment_to_string (ScalrSegment s)
{
  static const char *const n[] = { "all", "sparse", "warm" };
  return (guint) s < G_N_ELEMENTS (n) ? n[s] : "unknown";
}

const char *
scalr_metric_to_string (ScalrMetric m)
{
  static const char *const n[] = { "recall", "ndcg", "hit", "mrr", "precision", "coverage", "ne", "auc" };
  return (guint) m < G_N_ELEMENTS (n) ? n[m] : "unknown";
}

gboolean
scalr_metric_higher_is_better (ScalrMetric m)
{
  return m != SCALR_METRIC_NE;
}

gboolean
scalr_metric_is_pointwise (ScalrMetric m)
{
  return m == SCALR_METRIC_NE || m == SCALR_METRIC_AUC;
}

gboolean
scalr_metric_has_lifts (ScalrMetric m)
{
  return m != SCALR_METRIC_COVERAGE && m < SCALR_N_METRICS;
}

gboolean
scalr_segment_from_string (const char *name, ScalrSegment *out)
{
  for (ScalrSegment s = 0; s < SCALR_N_SEGMENTS; s++)
    if (g_strcmp0 (name, scalr_segment_to_string (s)) == 0)
      {
        *out = s;
        return TRUE;
      }
  return FALSE;
}

gboolean
scalr_metric_from_string (const char *name, ScalrMetric *out)
{
  for (ScalrMetric m = 0; m < SCALR_N_METRICS; m++)
    if (g_strcmp0 (name, scalr_metric_to_string (m)) == 0)
      {
        *out = m;
        return TRUE;
      }
  return FALSE;
}

const char *
scalr_segment_get_label (ScalrSegment s)
{
  static const char *const n[] = { "All tested users", "Sparse users", "Warm users" };
  G_STATIC_ASSERT (G_N_ELEMENTS (n) == SCALR_N_SEGMENTS);
  return (guint) s < G_N_ELEMENTS (n) ? n[s] : "unknown";
}

const char *
scalr_metric_get_label (ScalrMetric m)
{
  static const char *const n[] = { "Recall", "NDCG", "HitRate", "MRR", "Precision", "Coverage", "NE", "AUC" };
  G_STATIC_ASSERT (G_N_ELEMENTS (n) == SCALR_N_METRICS);
  return (guint) m < G_N_ELEMENTS (n) ? n[m] : "unknown";
}

char *
scalr_metric_label (const char *name, guint k)
{
  ScalrMetric m;
  const char *label = scalr_metric_from_string (name, &m) ? scalr_metric_get_label (m) : name;
  return k > 0 ? g_strdup_printf ("%s@%u", label, k) : g_strdup (label);
}

gboolean
scalr_metric_name_higher_is_better (const char *name)
{
  ScalrMetric m;
  return !scalr_metric_from_string (name, &m) || scalr_metric_higher_is_better (m);
}

gboolean
scalr_eval_options_from_config (const ScalrConfig *c, ScalrEvalOptions *o, GError **error)
{
  memset (o, 0, sizeof *o);
  o->models = scalr_config_get_list (c, "downstream", "models");
  for (guint k = 0; o->models[k]; k++)
    if (scalr_recommender_lookup (o->models[k]) == NULL)
      {
        g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_UNKNOWN,
                     "[downstream] models: no recommender named '%s'", o->models[k]);
        scalr_eval_options_clear (o);
        return FALSE;
      }
  g_auto (GStrv) variants = scalr_config_get_list (c, "downstream", "variants");
  for (guint k = 0; variants[k]; k++)
    for (ScalrVariant v = 0; v < SCALR_N_VARIANTS; v++)
      if (g_strcmp0 (variants[k], scalr_variant_to_string (v)) == 0)
        o->variants[v] = TRUE;
  g_auto (GStrv) ks = scalr_config_get_list (c, "eval", "k");
  for (guint k = 0; ks[k] && o->n_ks < SCALR_MAX_KS; k++)
    {
      guint v = (guint) g_ascii_strtoull (ks[k], NULL, 10);
      gboolean dup = FALSE;
      for (guint j = 0; j < o->n_ks; j++)
        dup = dup || o->ks[j] == v;
      if (!dup)
        o->ks[o->n_ks++] = v;
    }
  /* Ascending cut-offs. */
  for (guint a = 1; a < o->n_ks; a++)
    for (guint b = a; b > 0 && o->ks[b - 1] > o->ks[b]; b--)
      {
        guint t = o->ks[b];
        o->ks[b] = o->ks[b - 1];
        o->ks[b - 1] = t;
      }
  o->negatives = (guint) scalr_config_get_int (c, "eval", "negatives");
  o->bootstrap = (guint) scalr_config_get_int (c, "eval", "bootstrap");
  o->level = scalr_config_get_double (c, "eval", "level");
  o->seed = (guint64) scalr_config_get_int (c, "eval", "seed");
  return TRUE;
}

void
scalr_eval_options_clear (ScalrEvalOptions *o)
{
  g_clear_pointer (&o->models, g_strfreev);
}

/* ---- matrices --------------------------------------------------------------------- */

ScalrCsr *
scalr_eval_weighted_matrix (ScalrSplit *split, const ScalrSyntheticEvents *syn, ScalrVariant variant)
{
  const ScalrCsr *T = scalr_split_get_train (split);
  gboolean real = variant != SCALR_VARIANT_SYNTHETIC_ONLY;
  gboolean fake = variant != SCALR_VARIANT_BASELINE && syn != NULL;
  guint64 cap = (real ? T->nnz : 0) + (fake ? syn->n : 0);
  ScalrCsr *m = scalr_csr_new (T->n_rows, T->n_cols, cap, TRUE);
  guint64 w = 0, s = 0;
  for (guint u = 0; u < T->n_rows; u++)
    {
      guint64 a = real ? T->indptr[u] : 0, ae = real ? T->indptr[u + 1] : 0;
      while (fake && s < syn->n && syn->user[s] < u)
        s++;
      guint64 b = s, be = s;
      while (fake && be < syn->n && syn->user[be] == u)
        be++;
      s = be;
      /* Merge two sorted rows. */
      while (a < ae || b < be)
        {
          if (b >= be || (a < ae && T->indices[a] < syn->item[b]))
            {
              m->indices[w] = T->indices[a++];
              m->values[w++] = 1.0f;
            }
          else if (a >= ae || syn->item[b] < T->indices[a])
            {
              m->indices[w] = syn->item[b];
              m->values[w++] = syn->weight[b++];
            }
          else
            {
              m->indices[w] = T->indices[a++];
              m->values[w++] = 1.0f + syn->weight[b++];
            }
        }
      m->indptr[u + 1] = w;
    }
  m->nnz = w;
  return m;
}

/* ---- per-list metrics ------------------------------------------------------------- */

guint
scalr_eval_top_k (const float *scores, guint n, guint k, guint32 *out)
{
  return scalr_top_k (scores, n, k, out);
}

gboolean
_scalr_in_sorted (const guint32 *v, guint n, guint32 x)
{
  guint lo = 0, hi = n;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (v[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < n && v[lo] == x;
}

void
scalr_eval_rank_metrics (const guint32 *ranked, guint n_ranked, const guint32 *test, guint n_test,
                         const guint *ks, guint n_ks, double out[SCALR_N_RANK_METRICS][SCALR_MAX_KS])
{
  for (guint ki = 0; ki < n_ks; ki++)
    {
      guint k = ks[ki];
      guint hits = 0, first = 0;
      double dcg = 0.0, idcg = 0.0;
      for (guint r = 0; r < MIN (k, n_ranked); r++)
        if (_scalr_in_sorted (test, n_test, ranked[r]))
          {
            hits++;
            dcg += 1.0 / log2 (r + 2.0);
            if (first == 0)
              first = r + 1;
          }
      for (guint r = 0; r < MIN (k, n_test); r++)
        idcg += 1.0 / log2 (r + 2.0);
      out[SCALR_METRIC_RECALL][ki] = n_test ? (double) hits / (double) n_test : 0.0;
      out[SCALR_METRIC_NDCG][ki] = idcg > 0 ? dcg / idcg : 0.0;
      out[SCALR_METRIC_HIT][ki] = hits > 0 ? 1.0 : 0.0;
      out[SCALR_METRIC_MRR][ki] = first ? 1.0 / (double) first : 0.0;
      out[SCALR_METRIC_PRECISION][ki] = (double) hits / (double) k;
    }
}

/* ---- Platt scaling ---------------------------------------------------------------- */

/* The Newton step's sums over fixed chunks of PLATT_CHUNK pairs, each chunk into its own
 * slot and the slots added in chunk order: the same sums for any thread count. */
#define PLATT_CHUNK 65536
enum { PLATT_G0, PLATT_G1, PLATT_H00, PLATT_H01, PLATT_H11, PLATT_N_SUMS };

typedef struct {
  const float  *s;
  const guint8 *y;
  gsize         n;
  double        mean, sd, a, b;
  double       *part;   /* PLATT_N_SUMS per chunk */
} PlattJob;

static gboolean
platt_chunks (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  const PlattJob *job = data;
  for (guint64 c = first; c < last; c++)
    {
      double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
      gsize hi = MIN ((gsize) (c + 1) * PLATT_CHUNK, job->n);
      for (gsize i = (gsize) c * PLATT_CHUNK; i < hi; i++)
        {
          double z = (job->s[i] - job->mean) / job->sd;
          double p = 1.0 / (1.0 + exp (-(job->a * z + job->b)));
          double r = p - job->y[i];
          double w = p * (1 - p);
          g0 += r * z;
          g1 += r;
          h00 += w * z * z;
          h01 += w * z;
          h11 += w;
        }
      double *out = job->part + c * PLATT_N_SUMS;
      out[PLATT_G0] = g0, out[PLATT_G1] = g1, out[PLATT_H00] = h00, out[PLATT_H01] = h01, out[PLATT_H11] = h11;
    }
  return TRUE;
}

/* Newton steps on job's pairs from (job->a, job->b) until a step moves less than @tol (or
 * the Hessian is singular); FALSE when it ended on a non-finite point. */
static gboolean
platt_newton (PlattJob *job, double tol)
{
  guint64 n_chunks = (job->n + PLATT_CHUNK - 1) / PLATT_CHUNK;
  ScalrParallelOptions po = { .chunk = 1, .schedule = SCALR_PARALLEL_DYNAMIC };
  for (int it = 0; it < 50; it++)
    {
      scalr_parallel_for (n_chunks, platt_chunks, job, &po, NULL);   /* no cancellable: no failure */
      double sum[PLATT_N_SUMS] = { 0, 0, 1e-6, 0, 1e-6 };
      for (guint64 c = 0; c < n_chunks; c++)
        for (guint q = 0; q < PLATT_N_SUMS; q++)
          sum[q] += job->part[c * PLATT_N_SUMS + q];
      double g0 = sum[PLATT_G0] + 1e-6 * job->a, g1 = sum[PLATT_G1] + 1e-6 * job->b;
      double h00 = sum[PLATT_H00], h01 = sum[PLATT_H01], h11 = sum[PLATT_H11];
      double det = h00 * h11 - h01 * h01;
      if (det <= 0)
        break;
      double da = (h11 * g0 - h01 * g1) / det, db = (h00 * g1 - h01 * g0) / det;
      job->a -= da;
      job->b -= db;
      if (fabs (da) + fabs (db) < tol)
        break;
    }
  return isfinite (job->a) && isfinite (job->b);
}

/* A start for the full fit: every PLATT_SUB_EVERY-th block of PLATT_SUB_BLOCK pairs (whole
 * users' runs of positives and negatives, from across the data) fitted to a looser
 * tolerance; the full fit then needs two or three passes over every pair instead of eight
 * to ten. Below PLATT_SUB_MIN pairs the full fit starts from zero. */
#define PLATT_SUB_BLOCK 4096
#define PLATT_SUB_EVERY 16
#define PLATT_SUB_MIN   (4 * PLATT_CHUNK * PLATT_SUB_EVERY)

static void
platt_start (PlattJob *job)
{
  if (job->n < PLATT_SUB_MIN)
    return;
  gsize n_blocks = (job->n + PLATT_SUB_BLOCK - 1) / PLATT_SUB_BLOCK, cap = 0;
  for (gsize bl = 0; bl < n_blocks; bl += PLATT_SUB_EVERY)
    cap += MIN (PLATT_SUB_BLOCK, job->n - bl * PLATT_SUB_BLOCK);
  g_autofree float *s = g_new (float, cap);
  g_autofree guint8 *y = g_new (guint8, cap);
  gsize m = 0;
  for (gsize bl = 0; bl < n_blocks; bl += PLATT_SUB_EVERY)
    {
      gsize at = bl * PLATT_SUB_BLOCK, len = MIN (PLATT_SUB_BLOCK, job->n - at);
      memcpy (s + m, job->s + at, len * sizeof (float));
      memcpy (y + m, job->y + at, len);
      m += len;
    }
  g_autofree double *part = g_new0 (double, ((m + PLATT_CHUNK - 1) / PLATT_CHUNK) * PLATT_N_SUMS);
  PlattJob sub = { s, y, m, job->mean, job->sd, 0, 0, part };
  if (platt_newton (&sub, 1e-6))
    job->a = sub.a, job->b = sub.b;
}

/* Fits P(y = 1 | s) = σ(a·s + b) by Newton's method on the log loss (a tiny ridge keeps it
 * defined on separable data). Scores are standardised inside for stability; each step's
 * sums run on the policy's threads. */
void
scalr_eval_platt_fit (const float *s, const guint8 *y, gsize n, double *a_out, double *b_out)
{
  double mean = 0, var = 0;
  for (gsize i = 0; i < n; i++)
    mean += s[i];
  mean = n ? mean / (double) n : 0;
  for (gsize i = 0; i < n; i++)
    var += (s[i] - mean) * (s[i] - mean);
  double sd = n > 1 && var > 0 ? sqrt (var / (double) (n - 1)) : 1.0;
  guint64 n_chunks = (n + PLATT_CHUNK - 1) / PLATT_CHUNK;
  g_autofree double *part = g_new0 (double, MAX (n_chunks, 1) * PLATT_N_SUMS);
  PlattJob job = { s, y, n, mean, sd, 0, 0, part };
  platt_start (&job);
  if (!platt_newton (&job, 1e-9) && (job.a != 0 || job.b != 0))
    {
      job.a = job.b = 0;   /* the start led astray: the plain fit from zero */
      platt_newton (&job, 1e-9);
    }
  /* Back to raw scores: a·(s − mean)/sd + b. */
  *a_out = job.a / sd;
  *b_out = job.b - job.a * mean / sd;
}

/* ---- the run ---------------------------------------------------------------------- */

gboolean
scalr_eval_result_compute_lifts (ScalrEvalResult *res, const ScalrEvalOptions *o, GCancellable *cancellable,
                                 GError **error)
{
  return _scalr_eval_compute_lifts (res, o, cancellable, error);
}

void
scalr_model_eval_free (ScalrModelEval *me)
{
  if (me)
    _scalr_model_eval_free (me);
}

void
scalr_eval_result_free (ScalrEvalResult *res)
{
  if (res == NULL)
    return;
  g_free (res->users);
  g_free (res->segment_of);
  g_free (res->valid_users);
  g_free (res->valid_segment_of);
  g_ptr_array_unref (res->models);
  g_array_unref (res->lifts);
  g_clear_pointer (&res->warnings, g_ptr_array_unref);
  g_free (res);
}

double
scalr_eval_valid_mean (const ScalrEvalResult *res, const ScalrModelEval *me, ScalrMetric metric, guint ki,
                       ScalrSegment segment)
{
  if (metric >= SCALR_N_RANK_METRICS || ki >= res->n_ks || me->valid_values[metric][ki] == NULL)
    return NAN;
  const double *v = me->valid_values[metric][ki];
  double sum = 0;
  guint n = 0;
  for (guint k = 0; k < res->n_valid_users; k++)
    if ((segment == SCALR_SEGMENT_ALL || res->valid_segment_of[k] == segment) && isfinite (v[k]))
      {
        sum += v[k];
        n++;
      }
  return n ? sum / n : NAN;
}

struct _ScalrEvalCache {
  GHashTable *baselines;   /* model name → ScalrModelEval* (owned) */
};

ScalrEvalCache *
scalr_eval_cache_new (void)
{
  ScalrEvalCache *cache = g_new0 (ScalrEvalCache, 1);
  cache->baselines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) _scalr_model_eval_free);
  return cache;
}

void
scalr_eval_cache_free (ScalrEvalCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_unref (cache->baselines);
  g_free (cache);
}

ScalrModelEval *
scalr_model_eval_copy (const ScalrEvalResult *res, const ScalrModelEval *me)
{
  ScalrModelEval *c = g_memdup2 (me, sizeof *me);
  c->model = g_strdup (me->model);
  for (guint mt = 0; mt < SCALR_N_METRICS; mt++)
    for (guint ki = 0; ki < SCALR_MAX_KS; ki++)
      {
        c->values[mt][ki] = me->values[mt][ki] ? g_memdup2 (me->values[mt][ki], MAX (res->n_users, 1) * sizeof (double)) : NULL;
        if (mt < SCALR_N_RANK_METRICS)
          c->valid_values[mt][ki] = me->valid_values[mt][ki]
                                    ? g_memdup2 (me->valid_values[mt][ki], MAX (res->n_valid_users, 1) * sizeof (double)) : NULL;
      }
  c->top_items = g_memdup2 (me->top_items, MAX ((gsize) res->n_users * res->max_k, 1) * sizeof (guint32));
  c->top_scores = g_memdup2 (me->top_scores, MAX ((gsize) res->n_users * res->max_k, 1) * sizeof (float));
  return c;
}

ScalrEvalResult *
scalr_eval_run (ScalrSplit *split, const ScalrSyntheticEvents *syn, const ScalrConfig *c,
                ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  return scalr_eval_run_cached (split, syn, c, NULL, progress, cancellable, error);
}

ScalrEvalResult *
scalr_eval_result_new (ScalrSplit *split, const ScalrEvalOptions *o, gboolean validation_only)
{
  ScalrEvalResult *res = g_new0 (ScalrEvalResult, 1);
  res->models = g_ptr_array_new_with_free_func ((GDestroyNotify) _scalr_model_eval_free);
  res->lifts = g_array_new (FALSE, TRUE, sizeof (ScalrLift));
  g_array_set_clear_func (res->lifts, (GDestroyNotify) _scalr_lift_clear);
  res->warnings = g_ptr_array_new_with_free_func (g_free);
  res->n_ks = o->n_ks;
  memcpy (res->ks, o->ks, sizeof res->ks);
  res->max_k = o->n_ks ? o->ks[o->n_ks - 1] : 10;
  res->n_bootstrap = o->bootstrap;
  res->level = o->level;
  const guint8 *flags = scalr_split_get_user_flags (split);
  const ScalrCsr *valid = scalr_split_get_valid (split);
  guint n_users = scalr_split_get_n_users (split);
  res->users = g_new (guint32, MAX (n_users, 1));
  res->segment_of = g_new (guint8, MAX (n_users, 1));
  res->valid_users = g_new (guint32, MAX (n_users, 1));
  res->valid_segment_of = g_new (guint8, MAX (n_users, 1));
  for (guint u = 0; u < n_users; u++)
    {
      guint8 seg = (flags[u] & SCALR_USER_SPARSE) ? SCALR_SEGMENT_SPARSE : SCALR_SEGMENT_WARM;
      if ((flags[u] & SCALR_USER_TESTED) && !validation_only)
        {
          res->segment_of[res->n_users] = seg;
          res->users[res->n_users++] = u;
        }
      if (scalr_csr_row_len (valid, u) > 0)
        {
          res->valid_segment_of[res->n_valid_users] = seg;
          res->valid_users[res->n_valid_users++] = u;
        }
    }
  return res;
}

gboolean
scalr_eval_add_model (ScalrEvalResult *res, ScalrSplit *split, const ScalrSyntheticEvents *syn, const ScalrConfig *c,
                      const ScalrEvalOptions *o, const char *model, ScalrVariant variant, ScalrProgress *progress,
                      GCancellable *cancellable, GError **error)
{
  const ScalrRecommenderClass *klass = scalr_recommender_lookup (model);
  if (klass == NULL)
    {
      g_set_error (error, SCALR_RECOMMENDER_ERROR, SCALR_RECOMMENDER_ERROR_UNKNOWN,
                   "[downstream] models: no recommender named '%s'", model);
      return FALSE;
    }
  return _scalr_eval_model (res, split, variant == SCALR_VARIANT_BASELINE ? NULL : syn, c, o, klass, variant,
                            progress, cancellable, error);
}

/* The evaluation's estimate: kept per model × variant, the per-user metric vectors and the
 * top-K lists; while one model is evaluated, the pointwise NE/AUC data (every held-out event
 * with `negatives` sampled negatives, a float score and a byte label each, in arrays grown by
 * doubling) and each thread's block of scores. */
static gboolean
check_memory (const ScalrEvalResult *res, ScalrSplit *split, const ScalrEvalOptions *o, guint total, GError **error)
{
  guint64 per_model = scalr_limits_add (scalr_limits_mul (res->n_users, (guint64) res->max_k * 8 + (guint64) SCALR_N_METRICS * res->n_ks * 8),
                                       scalr_limits_mul (res->n_valid_users, (guint64) SCALR_N_RANK_METRICS * res->n_ks * 8));
  guint64 kept = scalr_limits_mul (per_model, MAX (total, 1));
  guint64 heldout = scalr_split_get_test (split)->nnz + scalr_split_get_valid (split)->nnz;
  guint64 pointwise = scalr_limits_mul (scalr_limits_mul (heldout, 1 + (guint64) o->negatives), 10);
  guint n_threads = scalr_parallel_resolve_threads (o->n_threads);
  guint64 scoring = scalr_limits_mul ((guint64) n_threads * 256 * 4, scalr_split_get_train (split)->n_cols);
  guint64 need = scalr_limits_add (scalr_limits_add (kept, pointwise), scoring);
  g_autofree char *k = g_format_size_full (kept, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *p = g_format_size_full (pointwise, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *hint = g_strdup_printf ("lower [eval] negatives (now %u: %s for %" G_GUINT64_FORMAT " held-out events "
                                           "with their negatives), or [eval] k or the number of [downstream] models "
                                           "(%s for %u users × %u model variants)", o->negatives, p, heldout, k,
                                           res->n_users, total);
  return scalr_limits_check_memory ("the evaluation", need, hint, error);
}

ScalrEvalResult *
scalr_eval_run_cached (ScalrSplit *split, const ScalrSyntheticEvents *syn, const ScalrConfig *c,
                       ScalrEvalCache *cache, ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  ScalrEvalOptions o;
  if (!scalr_eval_options_from_config (c, &o, error))
    return NULL;
  g_autoptr (ScalrEvalResult) res = scalr_eval_result_new (split, &o, FALSE);
  guint n_models = g_strv_length (o.models), done = 0, total = 0;
  for (ScalrVariant v = 0; v < SCALR_N_VARIANTS; v++)
    total += o.variants[v] ? n_models : 0;
  if (!check_memory (res, split, &o, total, error))
    {
      scalr_eval_options_clear (&o);
      return NULL;
    }
  for (guint m = 0; o.models[m]; m++)
    for (ScalrVariant v = 0; v < SCALR_N_VARIANTS; v++)
      {
        if (!o.variants[v])
          continue;
        if (v != SCALR_VARIANT_BASELINE && syn == NULL)
          continue;
        scalr_progress_update (progress, "train", (double) done / MAX (total, 1), "%s on %s events",
                               o.models[m], scalr_variant_to_string (v));
        ScalrModelEval *cached = cache && v == SCALR_VARIANT_BASELINE
                                 ? g_hash_table_lookup (cache->baselines, o.models[m]) : NULL;
        if (cached)
          g_ptr_array_add (res->models, scalr_model_eval_copy (res, cached));
        else
          {
            g_autoptr (ScalrProgress) part = scalr_progress_new_part (progress, "train", (double) done / MAX (total, 1),
                                                                      1.0 / MAX (total, 1));
            if (!scalr_eval_add_model (res, split, syn, c, &o, o.models[m], v, part, cancellable, error))
              {
                scalr_eval_options_clear (&o);
                return NULL;
              }
            if (cache && v == SCALR_VARIANT_BASELINE)
              g_hash_table_replace (cache->baselines, g_strdup (o.models[m]),
                                    scalr_model_eval_copy (res, g_ptr_array_index (res->models, res->models->len - 1)));
          }
        done++;
      }
  scalr_progress_update (progress, "lifts", 0.0, "bootstrap and tests");
  gboolean ok = _scalr_eval_compute_lifts (res, &o, cancellable, error);
  scalr_eval_options_clear (&o);
  if (!ok)
    return NULL;
  return g_steal_pointer (&res);
}
