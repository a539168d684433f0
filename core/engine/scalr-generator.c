/* scalr-generator.c — the generator registry, softmax with temperature, τ by maximum
 * likelihood on validation events, and calibration. */
#include "config.h"

#include "scalr-generator.h"
#include "scalr-generator-private.h"

#include <math.h>
#include <string.h>

#include "scalr-parallel.h"
#include "scalr-progress.h"
#include "scalr-topk.h"

G_DEFINE_QUARK (scalr-generator-error-quark, scalr_generator_error)

/* The registry: filled at start-up by scalr_registry_init (core/pipeline/scalr-registry.c,
 * which holds the one line per generator), read-only afterwards. */
static GPtrArray *generators;   /* const ScalrGeneratorClass *, borrowed */

const ScalrParam scalr_generator_common_params[] = {
  /* choices and help are filled in from the registered generators by the registry */
  { "generator", "model", SCALR_PARAM_CHOICE, "cooc", 0, 0, NULL, "Stage-1 model", NULL },
  { "generator", "temperature", SCALR_PARAM_DOUBLE, "auto", 0.01, 100, "auto",
    "Softmax temperature τ turning scores into probabilities (auto: fitted by maximum likelihood on validation events)", NULL },
  { NULL }
};

void
scalr_generator_register (const ScalrGeneratorClass *klass)
{
  g_return_if_fail (klass != NULL && klass->name != NULL && klass->fit != NULL);
  if (scalr_generator_lookup (klass->name) != NULL)
    {
      g_critical ("scalr: a generator named '%s' is already registered", klass->name);
      return;
    }
  if (generators == NULL)
    generators = g_ptr_array_new ();
  g_ptr_array_add (generators, (gpointer) klass);
}

const ScalrGeneratorClass *const *
scalr_generator_list (guint *n_out)
{
  *n_out = generators ? generators->len : 0;
  return generators ? (const ScalrGeneratorClass *const *) generators->pdata : NULL;
}

const ScalrGeneratorClass *
scalr_generator_lookup (const char *name)
{
  for (guint k = 0; generators && k < generators->len; k++)
    {
      const ScalrGeneratorClass *klass = generators->pdata[k];
      if (g_strcmp0 (klass->name, name) == 0)
        return klass;
    }
  return NULL;
}

void
scalr_softmax_row (float *row, guint n, double tau)
{
  float max = -INFINITY;
  for (guint i = 0; i < n; i++)
    max = MAX (max, row[i]);
  if (!isfinite (max))
    {
      for (guint i = 0; i < n; i++)
        row[i] = 1.0f / (float) n;
      return;
    }
  double inv = 1.0 / tau, sum = 0.0;
  for (guint i = 0; i < n; i++)
    {
      double e = exp ((double) (row[i] - max) * inv);
      row[i] = (float) e;
      sum += e;
    }
  float scale = (float) (1.0 / sum);
  for (guint i = 0; i < n; i++)
    row[i] *= scale;
}

void
scalr_generator_probabilities (ScalrGenerator *gen, const guint32 *users, guint n, float *out)
{
  gen->klass->score (gen->model, users, n, out);
  for (guint r = 0; r < n; r++)
    scalr_softmax_row (out + (gsize) r * gen->n_items, gen->n_items, gen->temperature);
}

/* Validation users: with source events and validation events (the split's validation users,
 * sparse ones included; with the older protocol, tested users' own validation events — sparse
 * users have none there); at most @max, chosen by a seeded key so that the choice depends on
 * nothing but the split seed. */
GArray *
_scalr_generator_validation_users (ScalrSplit *split, guint max)
{
  const ScalrCsr *valid = scalr_split_get_valid (split);
  const guint8 *flags = scalr_split_get_user_flags (split);
  GArray *users = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint u = 0; u < valid->n_rows; u++)
    if (scalr_csr_row_len (valid, u) > 0 && (flags[u] & SCALR_USER_HAS_SOURCE))
      g_array_append_val (users, u);
  if (users->len > max)
    {
      /* Partial Fisher–Yates with a stream of its own, then restore ascending order. */
      ScalrRng rng;
      scalr_rng_init (&rng, scalr_split_get_options (split)->seed, SCALR_STREAM_EVAL, 0);
      guint32 *u = (guint32 *) (void *) users->data;
      for (guint k = 0; k < max; k++)
        {
          guint j = k + scalr_rng_below (&rng, users->len - k);
          guint32 t = u[k];
          u[k] = u[j];
          u[j] = t;
        }
      g_array_set_size (users, max);
    }
  return users;
}

/* Scores of the validation users (owned, n × n_items), batches in parallel. */
typedef struct {
  ScalrGenerator *gen;
  const guint32  *users;
  gsize           n;
  float          *scores;
} ScoreJob;

#define SCORE_BATCH 256

static gboolean
score_batches (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  ScoreJob *job = data;
  for (guint64 b = first; b < last; b++)
    {
      gsize s = b * SCORE_BATCH;
      job->gen->klass->score (job->gen->model, job->users + s, (guint) MIN (SCORE_BATCH, job->n - s),
                              job->scores + s * job->gen->n_items);
    }
  return TRUE;
}

static float *
validation_scores (ScalrGenerator *gen, GArray *users)
{
  gsize n = users->len;
  float *scores = g_new (float, MAX (n * gen->n_items, 1));
  ScoreJob job = { gen, (const guint32 *) (void *) users->data, n, scores };
  ScalrParallelOptions po = { .chunk = 1, .schedule = SCALR_PARALLEL_DYNAMIC };
  scalr_parallel_for ((n + SCORE_BATCH - 1) / SCORE_BATCH, score_batches, &job, &po, NULL);
  return scores;
}

/* Per validation user at one τ: the row maximum and log Σ_i exp((s_i − max)/τ) (NAN when
 * the row has no finite score), users in parallel. */
typedef struct {
  const float *scores;
  guint        n_items;
  double       tau;
  float       *max;
  double      *log_z;
} LseJob;

static gboolean
lse_rows (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  LseJob *job = data;
  guint n_items = job->n_items;
  for (guint64 r = first; r < last; r++)
    {
      const float *row = job->scores + r * n_items;
      float max = -INFINITY;
      for (guint i = 0; i < n_items; i++)
        max = MAX (max, row[i]);
      job->max[r] = max;
      if (!isfinite (max))
        {
          job->log_z[r] = NAN;
          continue;
        }
      double sum = 0.0;
      for (guint i = 0; i < n_items; i++)
        sum += exp ((double) (row[i] - max) / job->tau);
      job->log_z[r] = log (sum);
    }
  return TRUE;
}

/* The mean log-likelihood: the rows' normalisers in parallel, then the events' terms summed
 * in order in this thread, so the value does not depend on the thread count. */
static double
log_lik_at (ScalrGenerator *gen, ScalrSplit *split, GArray *users, const float *scores, double tau)
{
  const ScalrCsr *valid = scalr_split_get_valid (split);
  guint n_items = gen->n_items;
  g_autofree float *max = g_new (float, MAX (users->len, 1));
  g_autofree double *log_z = g_new (double, MAX (users->len, 1));
  LseJob job = { scores, n_items, tau, max, log_z };
  ScalrParallelOptions po = { .chunk = 16, .schedule = SCALR_PARALLEL_DYNAMIC };
  scalr_parallel_for (users->len, lse_rows, &job, &po, NULL);
  double total = 0.0;
  guint64 count = 0;
  for (guint r = 0; r < users->len; r++)
    {
      if (!isfinite (max[r]))
        continue;
      const float *row = scores + (gsize) r * n_items;
      guint32 u = g_array_index (users, guint32, r);
      for (guint64 k = valid->indptr[u]; k < valid->indptr[u + 1]; k++)
        {
          double s = (double) (row[valid->indices[k]] - max[r]) / tau;
          total += isfinite (s) ? s - log_z[r] : -50.0;   /* a zero-probability event: floor at e^-50 */
          count++;
        }
    }
  return count ? total / (double) count : NAN;
}

double
scalr_generator_valid_log_lik (ScalrGenerator *gen, ScalrSplit *split, double tau, guint max_users)
{
  g_autoptr (GArray) users = _scalr_generator_validation_users (split, max_users);
  g_array_sort (users, scalr_cmp_u32);
  if (users->len == 0)
    return NAN;
  g_autofree float *scores = validation_scores (gen, users);
  return log_lik_at (gen, split, users, scores, tau);
}

/* Golden-section search of log τ in [log 0.02, log 50] for the largest likelihood. */
static double
fit_temperature (ScalrGenerator *gen, ScalrSplit *split, double *out_ll, GCancellable *cancellable)
{
  g_autoptr (GArray) users = _scalr_generator_validation_users (split, 2000);
  g_array_sort (users, scalr_cmp_u32);
  if (users->len == 0)
    {
      *out_ll = NAN;
      return 1.0;
    }
  g_autofree float *scores = validation_scores (gen, users);
  const double phi = (sqrt (5.0) - 1.0) / 2.0;
  double a = log (0.02), b = log (50.0);
  double c = b - phi * (b - a), d = a + phi * (b - a);
  double fc = log_lik_at (gen, split, users, scores, exp (c));
  double fd = log_lik_at (gen, split, users, scores, exp (d));
  for (int it = 0; it < 40 && b - a > 1e-4 && !g_cancellable_is_cancelled (cancellable); it++)
    {
      if (fc > fd)
        {
          b = d; d = c; fd = fc;
          c = b - phi * (b - a);
          fc = log_lik_at (gen, split, users, scores, exp (c));
        }
      else
        {
          a = c; c = d; fc = fd;
          d = a + phi * (b - a);
          fd = log_lik_at (gen, split, users, scores, exp (d));
        }
    }
  double tau = exp ((a + b) / 2.0);
  *out_ll = log_lik_at (gen, split, users, scores, tau);
  return tau;
}

ScalrGenerator *
scalr_generator_fit (ScalrSplit *split, const ScalrConfig *config, ScalrProgress *progress,
                     GCancellable *cancellable, GError **error)
{
  const char *name = scalr_config_get (config, "generator", "model");
  const ScalrGeneratorClass *klass = scalr_generator_lookup (name);
  if (klass == NULL)
    {
      g_set_error (error, SCALR_GENERATOR_ERROR, SCALR_GENERATOR_ERROR_UNKNOWN,
                   "[generator] model = '%s': no such generator", name);
      return NULL;
    }
  scalr_progress_update (progress, "generator", 0.0, "fitting %s", klass->name);
  gpointer model = klass->fit (split, config, progress, cancellable, error);
  if (model == NULL)
    return NULL;
  ScalrGenerator *gen = g_new0 (ScalrGenerator, 1);
  gen->klass = klass;
  gen->model = model;
  gen->n_items = scalr_split_get_n_target_items (split);
  double tau = scalr_config_get_double (config, "generator", "temperature");
  if (isnan (tau))
    {
      scalr_progress_update (progress, "generator", 0.9, "fitting the temperature on validation events");
      gen->temperature = fit_temperature (gen, split, &gen->valid_log_lik, cancellable);
      gen->fitted_temperature = isfinite (gen->valid_log_lik);
      gen->temperature_status = gen->fitted_temperature ? SCALR_TEMPERATURE_FITTED : SCALR_TEMPERATURE_UNDEFINED;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          scalr_generator_free (gen);
          return NULL;
        }
    }
  else
    {
      gen->temperature = tau;
      gen->valid_log_lik = scalr_generator_valid_log_lik (gen, split, tau, 2000);
    }
  scalr_progress_update (progress, "generator", 1.0, "%s fitted (τ = %.3g)", klass->name, gen->temperature);
  return gen;
}

void
scalr_generator_free (ScalrGenerator *gen)
{
  if (gen == NULL)
    return;
  if (gen->model)
    gen->klass->free_model (gen->model);
  g_free (gen);
}

void
scalr_wilson_interval (double k, double n, double z, double *lo, double *hi)
{
  if (!(n > 0))
    {
      *lo = *hi = NAN;
      return;
    }
  double p = k / n, z2 = z * z;
  double denom = 1.0 + z2 / n;
  double centre = (p + z2 / (2.0 * n)) / denom;
  double half = z / denom * sqrt (p * (1.0 - p) / n + z2 / (4.0 * n * n));
  *lo = MAX (0.0, centre - half);
  *hi = MIN (1.0, centre + half);
}

typedef struct {
  float  q;
  guint8 hit;
} CalPair;

static int
cmp_cal_pair (const void *a, const void *b)
{
  const CalPair *x = a, *y = b;
  if (x->q != y->q)
    return x->q < y->q ? -1 : 1;
  return (x->hit > y->hit) - (x->hit < y->hit);
}

/* One validation user's top-N pairs (q, hit) appended to @pairs. */
static void
calibration_user (ScalrGenerator *gen, ScalrSplit *split, guint32 u, guint top_n, float *p, guint8 *mark,
                  guint32 *top, GArray *pairs)
{
  const ScalrCsr *train = scalr_split_get_train (split);
  const ScalrCsr *valid = scalr_split_get_valid (split);
  guint n_items = gen->n_items;
  scalr_generator_probabilities (gen, &u, 1, p);
  double seen = 0.0;
  for (guint64 k = train->indptr[u]; k < train->indptr[u + 1]; k++)
    {
      mark[train->indices[k]] = 1;
      seen += p[train->indices[k]];
    }
  for (guint64 k = valid->indptr[u]; k < valid->indptr[u + 1]; k++)
    mark[valid->indices[k]] |= 2;
  double n_u = (double) scalr_csr_row_len (valid, u);
  double norm = seen < 1.0 ? 1.0 / (1.0 - seen) : 0.0;
  /* The user's N most probable items they have not trained on. */
  for (guint i = 0; i < n_items; i++)
    if (mark[i] & 1)
      p[i] = -INFINITY;
  guint got = scalr_top_k (p, n_items, MIN (top_n, n_items), top);
  for (guint r = 0; r < got; r++)
    {
      guint32 i = top[r];
      CalPair cp = { (float) (1.0 - pow (1.0 - MIN (1.0, p[i] * norm), n_u)), (mark[i] & 2) ? 1 : 0 };
      g_array_append_val (pairs, cp);
    }
  for (guint64 k = train->indptr[u]; k < train->indptr[u + 1]; k++)
    mark[train->indices[k]] = 0;
  for (guint64 k = valid->indptr[u]; k < valid->indptr[u + 1]; k++)
    mark[valid->indices[k]] = 0;
}

double
scalr_generator_calibration (ScalrGenerator *gen, ScalrSplit *split, guint n_bins, guint top_n,
                             ScalrCalibrationBin *bins, guint max_users)
{
  memset (bins, 0, n_bins * sizeof *bins);
  for (guint b = 0; b < n_bins; b++)
    bins[b].pred = bins[b].obs = bins[b].low = bins[b].high = NAN;
  g_autoptr (GArray) users = _scalr_generator_validation_users (split, max_users);
  g_array_sort (users, scalr_cmp_u32);
  if (users->len == 0 || n_bins == 0)
    return NAN;
  guint n_items = gen->n_items;
  g_autofree float *p = g_new (float, n_items);
  g_autofree guint8 *mark = g_new0 (guint8, n_items);
  g_autofree guint32 *top = g_new (guint32, MAX (top_n, 1));
  g_autoptr (GArray) pairs = g_array_new (FALSE, FALSE, sizeof (CalPair));
  for (guint r = 0; r < users->len; r++)
    calibration_user (gen, split, g_array_index (users, guint32, r), top_n, p, mark, top, pairs);
  guint64 total = pairs->len;
  if (total == 0)
    return NAN;
  /* Equal-count bins over the sorted predictions (the last takes the remainder). */
  qsort (pairs->data, pairs->len, sizeof (CalPair), cmp_cal_pair);
  const CalPair *cp = (const CalPair *) (void *) pairs->data;
  double ece = 0.0;
  for (guint b = 0; b < n_bins; b++)
    {
      guint64 first = total * b / n_bins, last = total * (b + 1) / n_bins;
      double sq = 0.0, hits = 0.0;
      for (guint64 k = first; k < last; k++)
        {
          sq += cp[k].q;
          hits += cp[k].hit;
        }
      guint64 n = last - first;
      bins[b].count = n;
      if (n == 0)
        continue;
      bins[b].pred = sq / (double) n;
      bins[b].obs = hits / (double) n;
      scalr_wilson_interval (hits, (double) n, 1.959963984540054, &bins[b].low, &bins[b].high);
      ece += (double) n / (double) total * fabs (bins[b].obs - bins[b].pred);
    }
  return ece;
}
