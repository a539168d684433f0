/* scalr-pipeline.c — runs the SCALR stages for one config and stores what they make. */
#include "config.h"

#include "scalr-pipeline.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-eval.h"
#include "scalr-fault.h"
#include "scalr-progress.h"
#include "scalr-store.h"

struct _ScalrPipelineCache {
  char           *split_key;      /* [dataset] + [split] text of what is cached */
  ScalrDataset   *dataset;
  ScalrDomains   *domains;
  ScalrSplit     *split;          /* borrows domains */
  char           *gen_key;        /* + [generator] */
  ScalrGenerator *generator;
  double          ece;
  double          bin_pred[SCALR_CALIBRATION_BINS], bin_obs[SCALR_CALIBRATION_BINS];
  guint64         bin_count[SCALR_CALIBRATION_BINS];
  char           *eval_key;       /* [dataset] + [split] + [downstream] + [eval] */
  ScalrEvalCache *eval_cache;
};

struct _ScalrPipeline {
  char               *db_path;
  ScalrConfig        *config;     /* owned copy */
  char               *run_name;
  guint               n_threads;
  ScalrPipelineCache *cache;      /* borrowed, may be NULL */
  ScalrStoreBusyFunc  busy_func;
  gpointer            busy_data;
  gint64              group_id;   /* 0: none */
};

void
scalr_pipeline_set_group (ScalrPipeline *p, gint64 group_id)
{
  p->group_id = group_id;
}

void
scalr_pipeline_set_busy_func (ScalrPipeline *p, ScalrStoreBusyFunc func, gpointer data)
{
  p->busy_func = func;
  p->busy_data = data;
}

ScalrPipelineCache *
scalr_pipeline_cache_new (void)
{
  return g_new0 (ScalrPipelineCache, 1);
}

static void
cache_clear_split (ScalrPipelineCache *cache)
{
  g_clear_pointer (&cache->eval_cache, scalr_eval_cache_free);
  g_clear_pointer (&cache->eval_key, g_free);
  g_clear_pointer (&cache->generator, scalr_generator_free);
  g_clear_pointer (&cache->gen_key, g_free);
  g_clear_pointer (&cache->split, scalr_split_free);
  g_clear_pointer (&cache->domains, scalr_domains_free);
  g_clear_pointer (&cache->dataset, scalr_dataset_unref);
  g_clear_pointer (&cache->split_key, g_free);
}

void
scalr_pipeline_cache_free (ScalrPipelineCache *cache)
{
  if (cache == NULL)
    return;
  cache_clear_split (cache);
  g_free (cache);
}

void
scalr_pipeline_set_cache (ScalrPipeline *p, ScalrPipelineCache *cache)
{
  p->cache = cache;
}

/* The key=value text of @groups, for cache keys. */
static char *
config_key (const ScalrConfig *c, const char *const *groups)
{
  g_autoptr (GString) s = g_string_new (NULL);
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      if (g_strv_contains (groups, p->group))
        g_string_append_printf (s, "%s.%s=%s\n", p->group, p->key, scalr_config_get (c, p->group, p->key));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

ScalrPipeline *
scalr_pipeline_new (const char *db_path, const ScalrConfig *config, const char *run_name)
{
  ScalrPipeline *p = g_new0 (ScalrPipeline, 1);
  p->db_path = g_strdup (db_path);
  p->config = scalr_config_copy (config);
  p->run_name = g_strdup (run_name);
  return p;
}

void
scalr_pipeline_free (ScalrPipeline *p)
{
  if (p == NULL)
    return;
  g_free (p->db_path);
  scalr_config_free (p->config);
  g_free (p->run_name);
  g_free (p);
}

void
scalr_pipeline_set_threads (ScalrPipeline *p, guint n)
{
  p->n_threads = n;
}

void
scalr_split_options_from_config (const ScalrConfig *c, ScalrSplitOptions *o)
{
  o->protocol = g_strcmp0 (scalr_config_get (c, "split", "protocol"), "temporal") == 0
                ? SCALR_SPLIT_TEMPORAL : SCALR_SPLIT_RANDOM;
  o->test_fraction = scalr_config_get_double (c, "split", "test_fraction");
  o->valid_fraction = scalr_config_get_double (c, "split", "valid_fraction");
  o->min_target_events = (guint) scalr_config_get_int (c, "split", "min_target_events");
  o->sparse_fraction = scalr_config_get_double (c, "split", "sparse_fraction");
  o->sparse_keep = (guint) scalr_config_get_int (c, "split", "sparse_keep");
  o->seed = (guint64) scalr_config_get_int (c, "split", "seed");
}

static ScalrDomains *
build_domains (ScalrDataset *d, const ScalrConfig *c, GError **error)
{
  ScalrDomainsOptions opt = SCALR_DOMAINS_OPTIONS_INIT;
  opt.threshold = scalr_config_get_double (c, "dataset", "implicit_threshold");
  opt.kcore = (guint) scalr_config_get_int (c, "dataset", "kcore");
  return scalr_domains_new (d, scalr_config_get (c, "dataset", "source"),
                            scalr_config_get (c, "dataset", "target"), &opt, error);
}

gboolean
scalr_pipeline_rebuild_split (ScalrStore *store, const ScalrConfig *c, ScalrDomains **out_domains,
                              ScalrSplit **out_split, GError **error)
{
  g_autoptr (ScalrDataset) d = scalr_store_load_dataset (store, scalr_config_get (c, "dataset", "name"), NULL, error);
  if (d == NULL)
    return FALSE;
  g_autoptr (ScalrDomains) domains = build_domains (d, c, error);
  if (domains == NULL)
    return FALSE;
  ScalrSplitOptions so;
  scalr_split_options_from_config (c, &so);
  ScalrSplit *split = scalr_split_new (domains, &so, error);
  if (split == NULL)
    return FALSE;
  *out_domains = g_steal_pointer (&domains);
  *out_split = split;
  return TRUE;
}

/* ---- JSON summaries --------------------------------------------------------------- */

static GBytes *
json_bytes (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, node);
  gsize len;
  char *text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static double
finite_or_zero (double x)
{
  return isfinite (x) ? x : 0.0;
}

/* JSON has no NaN: an undefined number is null (never 0). */
static void
add_number (JsonBuilder *b, double x)
{
  if (isfinite (x))
    json_builder_add_double_value (b, x);
  else
    json_builder_add_null_value (b);
}

static JsonNode *
summary_json (ScalrSplit *split, ScalrGenerator *gen, const ScalrSamplerReport *rep,
              double jsd_before, double jsd_after, double bucket_jsd_before, gboolean aligned)
{
  ScalrSplitCounts sc;
  scalr_split_get_counts (split, &sc);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "split");
  json_builder_begin_object (b);
#define INT_MEMBER(name, value) json_builder_set_member_name (b, name); json_builder_add_int_value (b, (gint64) (value))
#define DBL_MEMBER(name, value) json_builder_set_member_name (b, name); add_number (b, value)
  INT_MEMBER ("users", sc.users);
  INT_MEMBER ("source_users", sc.source_users);
  INT_MEMBER ("overlap_users", sc.overlap_users);
  INT_MEMBER ("tested_users", sc.tested_users);
  INT_MEMBER ("sparse_users", sc.sparse_users);
  INT_MEMBER ("cold_users", sc.cold_users);
  INT_MEMBER ("train_events", sc.train_events);
  INT_MEMBER ("valid_events", sc.valid_events);
  INT_MEMBER ("test_events", sc.test_events);
  INT_MEMBER ("dropped_events", sc.dropped_events);
  INT_MEMBER ("source_events", scalr_split_get_source (split)->nnz);
  INT_MEMBER ("source_items", scalr_split_get_n_source_items (split));
  INT_MEMBER ("target_items", scalr_split_get_n_target_items (split));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "generator");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, gen->klass->name);
  DBL_MEMBER ("temperature", gen->temperature);
  json_builder_set_member_name (b, "temperature_fitted");
  json_builder_add_boolean_value (b, gen->fitted_temperature);
  DBL_MEMBER ("valid_log_lik", gen->valid_log_lik);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "sampler");
  json_builder_begin_object (b);
  INT_MEMBER ("users", rep->users);
  INT_MEMBER ("draws", rep->draws);
  INT_MEMBER ("below_min_prob", rep->below_min_prob);
  INT_MEMBER ("below_support", rep->below_support);
  INT_MEMBER ("seen", rep->seen);
  INT_MEMBER ("capped", rep->capped);
  INT_MEMBER ("aligned_out", rep->aligned_out);
  json_builder_end_object (b);
  if (aligned)
    {
      json_builder_set_member_name (b, "alignment");
      json_builder_begin_object (b);
      DBL_MEMBER ("bucket_jsd_before", bucket_jsd_before);
      DBL_MEMBER ("jsd_before", jsd_before);
      DBL_MEMBER ("jsd_after", jsd_after);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
#undef INT_MEMBER
#undef DBL_MEMBER
  return json_builder_get_root (b);
}

/* Per model × variant: timings and the Platt scaling fitted on validation; the CI level,
 * the bootstrap's resamples and time, and the warnings of the evaluation. */
static JsonNode *
models_json (const ScalrEvalResult *eval)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "evaluated_users");
  json_builder_add_int_value (b, eval->n_users);
  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint k = 0; k < eval->models->len; k++)
    {
      const ScalrModelEval *me = g_ptr_array_index (eval->models, k);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, me->model);
      json_builder_set_member_name (b, "variant");
      json_builder_add_string_value (b, scalr_variant_to_string (me->variant));
      json_builder_set_member_name (b, "fit_seconds");
      json_builder_add_double_value (b, me->fit_seconds);
      json_builder_set_member_name (b, "eval_seconds");
      json_builder_add_double_value (b, me->eval_seconds);
      json_builder_set_member_name (b, "platt_a");
      add_number (b, me->platt_a);
      json_builder_set_member_name (b, "platt_b");
      add_number (b, me->platt_b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "ci_level");
  json_builder_add_double_value (b, eval->level);
  json_builder_set_member_name (b, "bootstrap");
  json_builder_add_int_value (b, eval->n_bootstrap);
  json_builder_set_member_name (b, "bootstrap_seconds");
  json_builder_add_double_value (b, eval->bootstrap_seconds);
  /* What the experiment cannot support, and why (also printed by scalr show and run). */
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint k = 0; k < eval->warnings->len; k++)
    json_builder_add_string_value (b, g_ptr_array_index (eval->warnings, k));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- running ---------------------------------------------------------------------- */

typedef struct {
  ScalrStore *store;
  gint64      run_id;
  GTimer     *timer;
  const char *stage;
} StageClock;

static void
stage_begin (StageClock *clk, const char *stage)
{
  char point[64];
  g_snprintf (point, sizeof point, "stage:%s", stage);
  scalr_fault_point (point);
  clk->stage = stage;
  g_timer_start (clk->timer);
}

static gboolean
stage_end (StageClock *clk, GError **error)
{
  return scalr_store_add_timing (clk->store, clk->run_id, clk->stage, g_timer_elapsed (clk->timer, NULL), error);
}

static gboolean
run_stages (ScalrPipeline *p, ScalrStore *store, gint64 run_id, ScalrProgress *progress,
            GCancellable *cancellable, GError **error)
{
  const ScalrConfig *c = p->config;
  g_autoptr (GTimer) timer = g_timer_new ();
  StageClock clk = { store, run_id, timer, NULL };

  /* The cache (a sweep's) keeps what does not change between grid points. */
  ScalrPipelineCache *cache = p->cache;
  g_autofree char *split_key = config_key (c, (const char *[]) { "dataset", "split", NULL });
  g_autofree char *gen_key = config_key (c, (const char *[]) { "dataset", "split", "generator", NULL });
  g_autofree char *eval_key = config_key (c, (const char *[]) { "dataset", "split", "downstream", "eval", NULL });
  g_autoptr (ScalrPipelineCache) own_cache = NULL;
  if (cache == NULL)
    cache = own_cache = scalr_pipeline_cache_new ();

  stage_begin (&clk, "load");
  if (g_strcmp0 (cache->split_key, split_key) != 0)
    {
      cache_clear_split (cache);
      scalr_progress_update (progress, "load", 0.0, "loading dataset '%s'", scalr_config_get (c, "dataset", "name"));
      cache->dataset = scalr_store_load_dataset (store, scalr_config_get (c, "dataset", "name"), cancellable, error);
      if (cache->dataset == NULL || !stage_end (&clk, error))
        return FALSE;
      stage_begin (&clk, "split");
      scalr_progress_update (progress, "split", 0.0, "selecting the domains");
      cache->domains = build_domains (cache->dataset, c, error);
      if (cache->domains == NULL)
        return FALSE;
      ScalrSplitOptions so;
      scalr_split_options_from_config (c, &so);
      scalr_progress_update (progress, "split", 0.5, "holding out validation and test events");
      cache->split = scalr_split_new (cache->domains, &so, error);
      if (cache->split == NULL)
        return FALSE;
      cache->split_key = g_strdup (split_key);
    }
  else
    scalr_progress_update (progress, "split", 1.0, "dataset and split shared with the previous run");
  if (!stage_end (&clk, error))
    return FALSE;
  ScalrDomains *domains = cache->domains;
  ScalrSplit *split = cache->split;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (g_strcmp0 (cache->gen_key, gen_key) != 0)
    {
      g_clear_pointer (&cache->gen_key, g_free);
      g_clear_pointer (&cache->generator, scalr_generator_free);
      stage_begin (&clk, "generator");
      cache->generator = scalr_generator_fit (split, c, progress, cancellable, error);
      if (cache->generator == NULL || !stage_end (&clk, error))
        return FALSE;
      stage_begin (&clk, "calibration");
      scalr_progress_update (progress, "calibration", 0.0, "reliability on validation users");
      cache->ece = scalr_generator_calibration (cache->generator, split, SCALR_CALIBRATION_BINS, cache->bin_pred,
                                                cache->bin_obs, cache->bin_count, 1000);
      if (!stage_end (&clk, error) || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      cache->gen_key = g_strdup (gen_key);
    }
  ScalrGenerator *gen = cache->generator;
  double ece = cache->ece;
  const double *bin_pred = cache->bin_pred, *bin_obs = cache->bin_obs;
  const guint64 *bin_count = cache->bin_count;
  if (g_strcmp0 (cache->eval_key, eval_key) != 0)
    {
      g_clear_pointer (&cache->eval_cache, scalr_eval_cache_free);
      cache->eval_cache = scalr_eval_cache_new ();
      g_free (cache->eval_key);
      cache->eval_key = g_strdup (eval_key);
    }

  stage_begin (&clk, "sampler");
  ScalrSamplerOptions opt;
  if (!scalr_sampler_options_from_config (c, &opt, error))
    return FALSE;
  opt.n_threads = p->n_threads;
  ScalrSamplerReport rep;
  g_autoptr (ScalrSyntheticEvents) events = scalr_sampler_run (gen, split, &opt, &rep, progress, cancellable, error);
  if (events == NULL || !stage_end (&clk, error))
    return FALSE;

  double jsd_before = NAN, bucket_jsd_before = NAN;
  if (opt.align != SCALR_ALIGN_NONE)
    {
      stage_begin (&clk, "align");
      scalr_progress_update (progress, "align", 0.0, "bucket-wise downsampling");
      g_autoptr (ScalrDiagnostics) before = scalr_diagnostics_new (events, split, opt.align_buckets);
      jsd_before = before->jsd;
      bucket_jsd_before = before->bucket_jsd;
      g_autoptr (JsonNode) node = scalr_diagnostics_to_json (before);
      g_autoptr (GBytes) bytes = json_bytes (node);
      ScalrSyntheticEvents *aligned = scalr_sampler_align (events, split, &opt, &rep);
      scalr_synthetic_events_free (events);
      events = aligned;
      if (!scalr_store_put_artifact (store, run_id, "diagnostics", "before-alignment", "application/json", bytes, error)
          || !stage_end (&clk, error))
        return FALSE;
    }

  stage_begin (&clk, "diagnostics");
  scalr_progress_update (progress, "diagnostics", 0.0, "synthetic vs real");
  g_autoptr (ScalrDiagnostics) diag = scalr_diagnostics_new (events, split, opt.align_buckets);
  diag->n_calibration = isnan (ece) ? 0 : SCALR_CALIBRATION_BINS;
  for (guint b = 0; b < SCALR_CALIBRATION_BINS; b++)
    {
      diag->calib_pred[b] = bin_pred[b];
      diag->calib_obs[b] = bin_obs[b];
      diag->calib_count[b] = bin_count[b];
    }
  diag->ece = finite_or_zero (ece);
  diag->temperature = gen->temperature;
  diag->valid_log_lik = finite_or_zero (gen->valid_log_lik);
  if (!stage_end (&clk, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  stage_begin (&clk, "store");
  scalr_progress_update (progress, "store", 0.0, "writing %" G_GUINT64_FORMAT " synthetic events", events->n);
  g_autoptr (JsonNode) dnode = scalr_diagnostics_to_json (diag);
  g_autoptr (GBytes) dbytes = json_bytes (dnode);
  g_autoptr (JsonNode) snode = summary_json (split, gen, &rep, jsd_before, diag->jsd, bucket_jsd_before, opt.align != SCALR_ALIGN_NONE);
  g_autoptr (GBytes) sbytes = json_bytes (snode);
  ScalrSplitCounts sc;
  scalr_split_get_counts (split, &sc);
  guint64 n_target = scalr_domains_get_target (domains)->matrix->nnz;
  g_autoptr (GBytes) assignment = g_bytes_new (scalr_split_get_assignment (split), n_target);
  if (!scalr_store_put_synthetic (store, run_id, events, error)
      || !scalr_store_put_artifact (store, run_id, "diagnostics", "synthetic", "application/json", dbytes, error)
      || !scalr_store_put_artifact (store, run_id, "summary", "run", "application/json", sbytes, error)
      || !scalr_store_put_artifact (store, run_id, "split", "assignment", "application/octet-stream", assignment, error)
      || !stage_end (&clk, error))
    return FALSE;
  scalr_progress_update (progress, "store", 1.0, "synthetic events stored");

  if (!scalr_config_get_bool (c, "downstream", "enabled"))
    return TRUE;
  stage_begin (&clk, "downstream");
  g_autoptr (ScalrEvalResult) eval = scalr_eval_run_cached (split, events, c, cache->eval_cache, progress, cancellable, error);
  if (eval == NULL || !stage_end (&clk, error))
    return FALSE;
  stage_begin (&clk, "results");
  scalr_progress_update (progress, "results", 0.0, "writing metrics and lifts");
  g_autoptr (JsonNode) mnode = models_json (eval);
  g_autoptr (GBytes) mbytes = json_bytes (mnode);
  if (!scalr_store_put_eval (store, run_id, eval, error)
      || !scalr_store_put_artifact (store, run_id, "summary", "downstream", "application/json", mbytes, error)
      || !stage_end (&clk, error))
    return FALSE;
  scalr_progress_update (progress, "results", 1.0, "done");
  return TRUE;
}

gboolean
scalr_pipeline_run (ScalrPipeline *p, ScalrProgress *progress, GCancellable *cancellable,
                    gint64 *out_run_id, GError **error)
{
  if (out_run_id)
    *out_run_id = 0;
  g_autoptr (ScalrStore) store = scalr_store_open (p->db_path, SCALR_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  scalr_store_set_busy_func (store, p->busy_func, p->busy_data);
  const char *name = scalr_config_get (p->config, "dataset", "name");
  g_autoptr (ScalrDatasetInfo) info = scalr_store_get_dataset_info (store, name, error);
  if (info == NULL)
    return FALSE;
  g_autofree char *text = scalr_config_to_data (p->config);
  gint64 run_id;
  guint64 seed = (guint64) scalr_config_get_int (p->config, "split", "seed");
  if (!scalr_store_create_run (store, info->id, p->run_name, text, seed, info->fingerprint, &run_id, error))
    return FALSE;
  if (out_run_id)
    *out_run_id = run_id;
  g_autoptr (GError) group_error = NULL;
  if (p->group_id > 0 && !scalr_store_set_run_group (store, run_id, p->group_id, &group_error))
    {
      scalr_store_finish_run (store, run_id, SCALR_RUN_FAILED, group_error->message, NULL);
      g_propagate_error (error, g_steal_pointer (&group_error));
      return FALSE;
    }

  g_autoptr (GError) local = NULL;
  if (run_stages (p, store, run_id, progress, cancellable, &local))
    return scalr_store_finish_run (store, run_id, SCALR_RUN_FINISHED, NULL, error);

  gboolean cancelled = g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_autoptr (GError) finish_error = NULL;
  if (!scalr_store_finish_run (store, run_id, cancelled ? SCALR_RUN_CANCELLED : SCALR_RUN_FAILED,
                               cancelled ? "cancelled by the user" : local->message, &finish_error))
    g_prefix_error (&local, "(and the run could not be marked: %s) ", finish_error->message);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}
