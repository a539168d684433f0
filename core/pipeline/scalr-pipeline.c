/* scalr-pipeline.c — runs the SCALR stages for one config and stores what they make. */
#include "config.h"

#include "scalr-pipeline.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "scalr-dataset.h"
#include "scalr-dist.h"
#include "scalr-domains.h"
#include "scalr-eval.h"
#include "scalr-fault.h"
#include "scalr-format.h"
#include "scalr-parallel.h"
#include "scalr-progress.h"
#include "scalr-store.h"

struct _ScalrPipelineCache {
  char           *split_key;      /* [dataset] + [split] text of what is cached */
  ScalrDataset   *dataset;
  ScalrDomains   *domains;
  ScalrSplit     *split;          /* holds a reference to domains */
  char           *gen_key;        /* + [generator] */
  ScalrGenerator *generator;
  double          ece;
  ScalrCalibrationBin bins[SCALR_CALIBRATION_BINS];
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
  ScalrPipelineHooks  hooks;
};

void
scalr_pipeline_set_group (ScalrPipeline *p, gint64 group_id)
{
  p->group_id = group_id;
}

void
scalr_pipeline_set_hooks (ScalrPipeline *p, const ScalrPipelineHooks *hooks)
{
  if (hooks)
    p->hooks = *hooks;
  else
    memset (&p->hooks, 0, sizeof p->hooks);
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
  g_clear_pointer (&cache->domains, scalr_domains_unref);
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
  o->valid_users = scalr_config_get_double (c, "split", "valid_users");
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

/* JSON has no NaN: an undefined number is null (never 0). */
static const char *
temperature_status (ScalrTemperatureStatus s)
{
  return s == SCALR_TEMPERATURE_FITTED ? "fitted on validation users"
         : s == SCALR_TEMPERATURE_UNDEFINED ? "undefined: no validation events (τ = 1 used)" : "fixed";
}

/* sampler.temperature: the τ used and, for auto, the hit rate of each candidate. */
static void
sampler_temperature_json (JsonBuilder *b, const ScalrSamplerAuto *a)
{
  json_builder_set_member_name (b, "temperature");
  json_builder_add_double_value (b, a->temperature);
  json_builder_set_member_name (b, "temperature_status");
  json_builder_add_string_value (b, scalr_sampler_auto_status_to_string (a->status));
  if (a->status != SCALR_AUTO_CHOSEN && a->status != SCALR_AUTO_CHOSEN_ALL_USERS)
    return;
  json_builder_set_member_name (b, "temperature_auto");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "criterion");
  json_builder_add_string_value (b, "hit rate of the draws on validation users; largest τ within one standard error of the best");
  json_builder_set_member_name (b, "users");
  json_builder_add_int_value (b, a->users);
  json_builder_set_member_name (b, "best_hit_rate");
  scalr_format_json_add_number (b, a->best_hit_rate);
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  for (guint t = 0; t < SCALR_AUTO_TAUS; t++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tau");
      json_builder_add_double_value (b, a->taus[t]);
      json_builder_set_member_name (b, "hit_rate");
      scalr_format_json_add_number (b, a->hit_rate[t]);
      json_builder_set_member_name (b, "pairs");
      json_builder_add_int_value (b, (gint64) a->pairs[t]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static JsonNode *
summary_json (ScalrSplit *split, ScalrGenerator *gen, const ScalrSamplerReport *rep, const ScalrSamplerAuto *sauto,
              double jsd_before, double jsd_after, double bucket_jsd_before, gboolean aligned)
{
  ScalrSplitCounts sc;
  scalr_split_get_counts (split, &sc);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "split");
  json_builder_begin_object (b);
#define INT_MEMBER(name, value) json_builder_set_member_name (b, name); json_builder_add_int_value (b, (gint64) (value))
#define DBL_MEMBER(name, value) json_builder_set_member_name (b, name); scalr_format_json_add_number (b, value)
  INT_MEMBER ("users", sc.users);
  INT_MEMBER ("source_users", sc.source_users);
  INT_MEMBER ("overlap_users", sc.overlap_users);
  INT_MEMBER ("tested_users", sc.tested_users);
  INT_MEMBER ("sparse_users", sc.sparse_users);
  INT_MEMBER ("cold_users", sc.cold_users);
  INT_MEMBER ("valid_users", sc.valid_users);
  INT_MEMBER ("valid_sparse_users", sc.valid_sparse_users);
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
  json_builder_set_member_name (b, "temperature_status");
  json_builder_add_string_value (b, temperature_status (gen->temperature_status));
  json_builder_set_member_name (b, "valid_log_lik");
  scalr_format_json_add_number (b, gen->valid_log_lik);
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
  sampler_temperature_json (b, sauto);
  json_builder_end_object (b);
  INT_MEMBER ("ranks", scalr_dist_size ());
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
      json_builder_set_member_name (b, "platt");
      json_builder_begin_object (b);
      for (ScalrSegment g = 0; g < SCALR_N_SEGMENTS; g++)
        {
          json_builder_set_member_name (b, scalr_segment_to_string (g));
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "a");
          scalr_format_json_add_number (b, me->platt_a[g]);
          json_builder_set_member_name (b, "b");
          scalr_format_json_add_number (b, me->platt_b[g]);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
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

/* The sampler over this rank's block of users (all users in one process); under MPI the
 * blocks are put together in rank order — ascending users, so every rank then holds the
 * events of a whole run — and the reports summed. On error returns NULL. */
static ScalrSyntheticEvents *
sample_shard (ScalrGenerator *gen, ScalrSplit *split, ScalrSamplerOptions *opt, ScalrSamplerReport *rep,
              ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  guint64 lo, hi;
  scalr_dist_block (scalr_split_get_n_users (split), SCALR_SAMPLER_USER_BLOCK, &lo, &hi);
  opt->user_block = scalr_dist_size () > 1;
  opt->user_begin = (guint) lo;
  opt->user_end = (guint) hi;
  g_autoptr (ScalrSyntheticEvents) mine = scalr_sampler_run (gen, split, opt, rep, progress, cancellable, error);
  if (mine == NULL || scalr_dist_size () == 1)
    return g_steal_pointer (&mine);
  if (!scalr_dist_agree (error))
    return NULL;
  guint64 r[7] = { rep->draws, rep->below_min_prob, rep->below_support, rep->seen, rep->capped,
                   rep->aligned_out, rep->users };
  scalr_dist_sum_u64 (r, G_N_ELEMENTS (r));
  *rep = (ScalrSamplerReport) { r[0], r[1], r[2], r[3], r[4], r[5], (guint) r[6] };
  return scalr_synthetic_events_allgather (mine);
}

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

/* Rank 0 alone writes the store (the other ranks hold it read-only). */
static gboolean
stage_end (StageClock *clk, GError **error)
{
  char point[64];
  g_snprintf (point, sizeof point, "stage:%s", clk->stage);
  if (!scalr_fault_error (point, error))
    return FALSE;
  if (!scalr_dist_is_root ())
    return TRUE;
  return scalr_store_add_timing (clk->store, clk->run_id, clk->stage, g_timer_elapsed (clk->timer, NULL), error);
}

/* Loads the dataset and splits it into @cache (timing "load" and "split" on @clk when given). */
static gboolean
load_split (ScalrPipelineCache *cache, ScalrStore *store, const ScalrConfig *c, const char *split_key,
            ScalrProgress *progress, GCancellable *cancellable, StageClock *clk, GError **error)
{
  cache_clear_split (cache);
  scalr_progress_update (progress, "load", 0.0, "loading dataset '%s'", scalr_config_get (c, "dataset", "name"));
  cache->dataset = scalr_store_load_dataset (store, scalr_config_get (c, "dataset", "name"), cancellable, error);
  if (cache->dataset == NULL || (clk && !stage_end (clk, error)))
    return FALSE;
  if (clk)
    stage_begin (clk, "split");
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
  return TRUE;
}

ScalrSplit *
scalr_pipeline_cache_get_split (ScalrPipelineCache *cache, ScalrStore *store, const ScalrConfig *c,
                                ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  g_autofree char *split_key = config_key (c, (const char *[]) { "dataset", "split", NULL });
  if (g_strcmp0 (cache->split_key, split_key) != 0
      && !load_split (cache, store, c, split_key, progress, cancellable, NULL, error))
    return NULL;
  return cache->split;
}

/* Replicates 1 … n−1 of the run's config: each its own split, generator, sampler and
 * evaluation (nothing of theirs stored but their lifts), summarised with replicate 0's. */
static gboolean
run_replicates (ScalrPipeline *p, ScalrPipelineCache *cache, ScalrStore *store, gint64 run_id,
                const ScalrEvalResult *first, guint n, ScalrProgress *progress, GCancellable *cancellable,
                GError **error)
{
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_eval_result_free);
  g_autofree guint64 *seeds = g_new (guint64, n);
  seeds[0] = (guint64) scalr_config_get_int (p->config, "split", "seed");
  g_ptr_array_add (results, NULL);   /* replicate 0: @first (borrowed) */
  for (guint r = 1; r < n; r++)
    {
      g_autoptr (ScalrConfig) c = scalr_replicate_config (p->config, r);
      seeds[r] = (guint64) scalr_config_get_int (c, "split", "seed");
      scalr_progress_update (progress, "replicates", (double) (r - 1) / (n - 1), "replicate %u of %u", r + 1, n);
      ScalrSplitOptions so;
      scalr_split_options_from_config (c, &so);
      g_autoptr (ScalrSplit) split = scalr_split_new (cache->domains, &so, error);
      if (split == NULL)
        return FALSE;
      g_autoptr (ScalrGenerator) gen = scalr_generator_fit (split, c, NULL, cancellable, error);
      if (gen == NULL)
        return FALSE;
      ScalrSamplerOptions opt;
      if (!scalr_sampler_options_from_config (c, &opt, error))
        return FALSE;
      if (isnan (opt.temperature))
        {
          ScalrSamplerAuto sauto;
          if (!scalr_sampler_choose_temperature (gen, split, &opt, &sauto, cancellable, error))
            return FALSE;
          opt.temperature = sauto.temperature;
        }
      ScalrSamplerReport rrep;
      g_autoptr (ScalrSyntheticEvents) events = sample_shard (gen, split, &opt, &rrep, NULL, cancellable, error);
      if (events == NULL)
        return FALSE;
      if (opt.align != SCALR_ALIGN_NONE)
        {
          ScalrSyntheticEvents *aligned = scalr_sampler_align (events, split, &opt, NULL);
          scalr_synthetic_events_free (events);
          events = aligned;
        }
      ScalrEvalResult *res = scalr_eval_run (split, events, c, NULL, cancellable, error);
      if (res == NULL)
        return FALSE;
      g_ptr_array_add (results, res);
    }
  results->pdata[0] = (gpointer) first;
  g_autoptr (JsonNode) node = scalr_replicates_json (results, seeds);
  results->pdata[0] = NULL;
  g_autoptr (GBytes) bytes = json_bytes (node);
  return !scalr_dist_is_root ()
         || scalr_store_put_artifact (store, run_id, "summary", "replicates", "application/json", bytes, error);
}

/* One run through the stages: what they share. */
typedef struct {
  ScalrPipeline      *p;
  const ScalrConfig  *c;
  ScalrStore         *store;
  gint64              run_id;
  StageClock          clk;
  ScalrPipelineCache *cache;     /* the sweep's, or the run's own */
  ScalrProgress      *progress;
  GCancellable       *cancellable;
} Run;

/* load, split (unless the cache holds them), and the generator and its calibration (unless
 * cached); the evaluation cache for this [downstream] + [eval]. */
static gboolean
prepare (Run *r, GError **error)
{
  const ScalrConfig *c = r->c;
  ScalrPipelineCache *cache = r->cache;
  g_autofree char *split_key = config_key (c, (const char *[]) { "dataset", "split", NULL });
  g_autofree char *gen_key = config_key (c, (const char *[]) { "dataset", "split", "generator", NULL });
  g_autofree char *eval_key = config_key (c, (const char *[]) { "dataset", "split", "downstream", "eval", NULL });
  stage_begin (&r->clk, "load");
  if (g_strcmp0 (cache->split_key, split_key) != 0)
    {
      if (!load_split (cache, r->store, c, split_key, r->progress, r->cancellable, &r->clk, error))
        return FALSE;
    }
  else
    scalr_progress_update (r->progress, "split", 1.0, "dataset and split shared with the previous run");
  if (!stage_end (&r->clk, error) || g_cancellable_set_error_if_cancelled (r->cancellable, error))
    return FALSE;
  if (g_strcmp0 (cache->gen_key, gen_key) != 0)
    {
      g_clear_pointer (&cache->gen_key, g_free);
      g_clear_pointer (&cache->generator, scalr_generator_free);
      stage_begin (&r->clk, "generator");
      cache->generator = scalr_generator_fit (cache->split, c, r->progress, r->cancellable, error);
      if (cache->generator == NULL || !stage_end (&r->clk, error))
        return FALSE;
      stage_begin (&r->clk, "calibration");
      scalr_progress_update (r->progress, "calibration", 0.0, "reliability on validation users");
      cache->ece = scalr_generator_calibration (cache->generator, cache->split, SCALR_CALIBRATION_BINS,
                                                SCALR_CALIBRATION_TOP_N, cache->bins, 1000);
      if (!stage_end (&r->clk, error) || g_cancellable_set_error_if_cancelled (r->cancellable, error))
        return FALSE;
      cache->gen_key = g_strdup (gen_key);
    }
  if (g_strcmp0 (cache->eval_key, eval_key) != 0)
    {
      g_clear_pointer (&cache->eval_cache, scalr_eval_cache_free);
      cache->eval_cache = scalr_eval_cache_new ();
      g_free (cache->eval_key);
      cache->eval_key = g_strdup (eval_key);
    }
  return TRUE;
}

/* sampler (its τ chosen on validation users when auto), align: the synthetic events, aligned
 * when asked (the diagnostics before alignment stored); *jsd_before and *bucket_jsd_before
 * are NaN without alignment. */
static ScalrSyntheticEvents *
sample (Run *r, ScalrSamplerOptions *opt, ScalrSamplerAuto *sauto, ScalrSamplerReport *rep,
        double *jsd_before, double *bucket_jsd_before, GError **error)
{
  ScalrSplit *split = r->cache->split;
  ScalrGenerator *gen = r->cache->generator;
  stage_begin (&r->clk, "sampler");
  if (!scalr_sampler_options_from_config (r->c, opt, error))
    return NULL;
  *sauto = (ScalrSamplerAuto) { .status = SCALR_AUTO_FIXED, .temperature = opt->temperature };
  if (isnan (opt->temperature))
    {
      scalr_progress_update (r->progress, "sampler", 0.0, "choosing the sampler's τ on validation users");
      if (!scalr_sampler_choose_temperature (gen, split, opt, sauto, r->cancellable, error))
        return NULL;
      opt->temperature = sauto->temperature;
    }
  g_autoptr (ScalrSyntheticEvents) events = sample_shard (gen, split, opt, rep, r->progress, r->cancellable, error);
  if (events == NULL || !stage_end (&r->clk, error))
    return NULL;
  *jsd_before = *bucket_jsd_before = NAN;
  if (opt->align == SCALR_ALIGN_NONE)
    return g_steal_pointer (&events);
  stage_begin (&r->clk, "align");
  scalr_progress_update (r->progress, "align", 0.0, "bucket-wise downsampling");
  g_autoptr (ScalrDiagnostics) before = scalr_diagnostics_new (events, split, opt->align_buckets);
  *jsd_before = before->jsd;
  *bucket_jsd_before = before->bucket_jsd;
  g_autoptr (JsonNode) node = scalr_diagnostics_to_json (before);
  g_autoptr (GBytes) bytes = json_bytes (node);
  g_autoptr (ScalrSyntheticEvents) aligned = scalr_sampler_align (events, split, opt, rep);
  if ((scalr_dist_is_root ()
       && !scalr_store_put_artifact (r->store, r->run_id, "diagnostics", "before-alignment", "application/json", bytes, error))
      || !stage_end (&r->clk, error))
    return NULL;
  return g_steal_pointer (&aligned);
}

/* diagnostics: synthetic vs real, with the generator's calibration and temperature. */
static ScalrDiagnostics *
diagnose (Run *r, const ScalrSyntheticEvents *events, const ScalrSamplerOptions *opt, GError **error)
{
  const ScalrPipelineCache *cache = r->cache;
  stage_begin (&r->clk, "diagnostics");
  scalr_progress_update (r->progress, "diagnostics", 0.0, "synthetic vs real");
  g_autoptr (ScalrDiagnostics) diag = scalr_diagnostics_new (events, cache->split, opt->align_buckets);
  diag->n_calibration = isnan (cache->ece) ? 0 : SCALR_CALIBRATION_BINS;
  for (guint b = 0; b < SCALR_CALIBRATION_BINS; b++)
    {
      diag->calib_pred[b] = cache->bins[b].pred;
      diag->calib_obs[b] = cache->bins[b].obs;
      diag->calib_low[b] = cache->bins[b].low;
      diag->calib_high[b] = cache->bins[b].high;
      diag->calib_count[b] = cache->bins[b].count;
    }
  diag->ece = cache->ece;
  diag->calib_top_n = SCALR_CALIBRATION_TOP_N;
  diag->temperature = cache->generator->temperature;
  diag->valid_log_lik = cache->generator->valid_log_lik;
  if (!stage_end (&r->clk, error) || g_cancellable_set_error_if_cancelled (r->cancellable, error))
    return NULL;
  return g_steal_pointer (&diag);
}

/* store: the synthetic events, the diagnostics, the run summary and the split's assignment. */
static gboolean
store_synthetic (Run *r, const ScalrSyntheticEvents *events, const ScalrDiagnostics *diag,
                 const ScalrSamplerOptions *opt, const ScalrSamplerAuto *sauto, const ScalrSamplerReport *rep,
                 double jsd_before, double bucket_jsd_before, GError **error)
{
  ScalrSplit *split = r->cache->split;
  stage_begin (&r->clk, "store");
  scalr_progress_update (r->progress, "store", 0.0, "writing %" G_GUINT64_FORMAT " synthetic events", events->n);
  g_autoptr (JsonNode) dnode = scalr_diagnostics_to_json (diag);
  g_autoptr (GBytes) dbytes = json_bytes (dnode);
  g_autoptr (JsonNode) snode = summary_json (split, r->cache->generator, rep, sauto, jsd_before, diag->jsd,
                                             bucket_jsd_before, opt->align != SCALR_ALIGN_NONE);
  g_autoptr (GBytes) sbytes = json_bytes (snode);
  guint64 n_target = scalr_domains_get_target (r->cache->domains)->matrix->nnz;
  g_autoptr (GBytes) assignment = g_bytes_new (scalr_split_get_assignment (split), n_target);
  if ((scalr_dist_is_root ()
       && (!scalr_store_put_synthetic (r->store, r->run_id, events, error)
           || !scalr_store_put_artifact (r->store, r->run_id, "diagnostics", "synthetic", "application/json", dbytes, error)
           || !scalr_store_put_artifact (r->store, r->run_id, "summary", "run", "application/json", sbytes, error)
           || !scalr_store_put_artifact (r->store, r->run_id, "split", "assignment", "application/octet-stream", assignment, error)))
      || !stage_end (&r->clk, error))
    return FALSE;
  scalr_progress_update (r->progress, "store", 1.0, "synthetic events stored");
  return TRUE;
}

/* downstream (the hooks' evaluation when set), replicates, results. */
static gboolean
evaluate (Run *r, const ScalrSyntheticEvents *events, GError **error)
{
  ScalrPipeline *p = r->p;
  ScalrSplit *split = r->cache->split;
  stage_begin (&r->clk, "downstream");
  g_autoptr (ScalrEvalResult) eval = p->hooks.evaluate
    ? p->hooks.evaluate (split, events, r->c, p->hooks.data, r->progress, r->cancellable, error)
    : scalr_eval_run_cached (split, events, r->c, r->cache->eval_cache, r->progress, r->cancellable, error);
  if (eval == NULL || !stage_end (&r->clk, error))
    return FALSE;
  guint n_replicates = (guint) scalr_config_get_int (r->c, "eval", "replicates");
  if (n_replicates > 1 && p->hooks.evaluate == NULL)
    {
      stage_begin (&r->clk, "replicates");
      if (!run_replicates (p, r->cache, r->store, r->run_id, eval, n_replicates, r->progress, r->cancellable, error)
          || !stage_end (&r->clk, error))
        return FALSE;
    }
  stage_begin (&r->clk, "results");
  scalr_progress_update (r->progress, "results", 0.0, "writing metrics and lifts");
  g_autoptr (JsonNode) mnode = models_json (eval);
  g_autoptr (GBytes) mbytes = json_bytes (mnode);
  if ((scalr_dist_is_root ()
       && (!scalr_store_put_eval (r->store, r->run_id, eval, error)
           || !scalr_store_put_artifact (r->store, r->run_id, "summary", "downstream", "application/json", mbytes, error)
           || (p->hooks.store_extra && !p->hooks.store_extra (r->store, r->run_id, eval, p->hooks.data, error))))
      || !stage_end (&r->clk, error))
    return FALSE;
  scalr_progress_update (r->progress, "results", 1.0, "done");
  return TRUE;
}

static gboolean
run_stages (ScalrPipeline *p, ScalrStore *store, gint64 run_id, ScalrProgress *progress,
            GCancellable *cancellable, GError **error)
{
  g_autoptr (GTimer) timer = g_timer_new ();
  /* The cache (a sweep's) keeps what does not change between grid points. */
  g_autoptr (ScalrPipelineCache) own_cache = p->cache ? NULL : scalr_pipeline_cache_new ();
  Run r = { p, p->config, store, run_id, { store, run_id, timer, NULL }, p->cache ? p->cache : own_cache,
            progress, cancellable };
  if (!prepare (&r, error))
    return FALSE;
  ScalrSamplerOptions opt;
  ScalrSamplerAuto sauto;
  ScalrSamplerReport rep;
  double jsd_before, bucket_jsd_before;
  g_autoptr (ScalrSyntheticEvents) events = sample (&r, &opt, &sauto, &rep, &jsd_before, &bucket_jsd_before, error);
  g_autoptr (ScalrDiagnostics) diag = events ? diagnose (&r, events, &opt, error) : NULL;
  if (diag == NULL
      || !store_synthetic (&r, events, diag, &opt, &sauto, &rep, jsd_before, bucket_jsd_before, error))
    return FALSE;
  if (!scalr_config_get_bool (r.c, "downstream", "enabled"))
    return TRUE;
  return evaluate (&r, events, error);
}

/* Rank 0 opens the store and creates the run (in its group, if any); under MPI the other ranks learn the run id
 * (or rank 0's error) and open the store read-only. On error returns NULL. */
static ScalrStore *
open_run (ScalrPipeline *p, gint64 *run_id, GError **error)
{
  g_autoptr (ScalrStore) store = NULL;
  g_autoptr (GError) local = NULL;
  *run_id = 0;
  if (scalr_dist_is_root ())
    {
      store = scalr_store_open (p->db_path, SCALR_STORE_OPEN_DEFAULT, &local);
      if (store != NULL)
        scalr_store_set_busy_func (store, p->busy_func, p->busy_data);
      const char *name = scalr_config_get (p->config, "dataset", "name");
      g_autoptr (ScalrDatasetInfo) info = store ? scalr_store_load_dataset_info (store, name, &local) : NULL;
      g_autofree char *text = scalr_config_to_data (p->config);
      guint64 seed = (guint64) scalr_config_get_int (p->config, "split", "seed");
      if (info != NULL
          && scalr_store_create_run (store, info->id, p->run_name, text, seed, info->fingerprint, run_id, &local)
          && p->group_id > 0 && !scalr_store_set_run_group (store, *run_id, p->group_id, &local))
        {
          /* The run exists but cannot join its group: it is failed, not left running. */
          scalr_store_finish_run (store, *run_id, SCALR_RUN_FAILED, local->message, NULL);
          *run_id = 0;
        }
    }
  if (!scalr_dist_agree (&local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  scalr_dist_bcast (run_id, sizeof *run_id, 0);
  if (!scalr_dist_is_root ())
    store = scalr_store_open (p->db_path, SCALR_STORE_OPEN_READ_ONLY, error);
  return g_steal_pointer (&store);
}

gboolean
scalr_pipeline_run (ScalrPipeline *p, ScalrProgress *progress, GCancellable *cancellable,
                    gint64 *out_run_id, GError **error)
{
  if (out_run_id)
    *out_run_id = 0;
  gint64 run_id;
  g_autoptr (GError) local = NULL;
  g_autoptr (ScalrStore) store = open_run (p, &run_id, &local);
  if (run_id == 0)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (out_run_id)
    *out_run_id = run_id;

  /* Every stage run from this thread uses the pipeline's thread count. Every rank ends with
   * one agreement: the last one when all went well, else the announcement of its error,
   * which meets the other ranks at their next collective. */
  guint threads_before = scalr_parallel_push_threads (p->n_threads);
  gboolean ok = store != NULL && run_stages (p, store, run_id, progress, cancellable, &local);
  scalr_parallel_pop_threads (threads_before);
  if (ok && scalr_dist_agree (&local))
    return !scalr_dist_is_root () || scalr_store_finish_run (store, run_id, SCALR_RUN_FINISHED, NULL, error);
  if (!scalr_dist_error_is_agreed (local))
    scalr_dist_agree (&local);
  if (!scalr_dist_is_root ())
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  gboolean cancelled = g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_autoptr (GError) finish_error = NULL;
  if (!scalr_store_finish_run (store, run_id, cancelled ? SCALR_RUN_CANCELLED : SCALR_RUN_FAILED,
                               cancelled ? "cancelled by the user" : local->message, &finish_error))
    g_prefix_error (&local, "(and the run could not be marked: %s) ", finish_error->message);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}
