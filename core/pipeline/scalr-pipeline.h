/* scalr-pipeline.h — one SCALR run from a config: dataset → domains → split → generator →
 * sampler → (alignment) → diagnostics → store, with progress (stage, fraction, message) and
 * a GCancellable. The CLI runs it in the foreground, the GUI in a GTask thread; it opens its
 * own store connection so it may run in any thread.
 *
 * A run is created `running` once its dataset is found; it ends `finished`, `failed` (with
 * the message) or `cancelled`. What a stage stored stays stored. */
#pragma once

#include <gio/gio.h>

#include "scalr-config.h"
#include "scalr-eval.h"
#include "scalr-generator.h"
#include "scalr-sampler.h"
#include "scalr-split.h"
#include "scalr-store.h"
#include "scalr-synthetic.h"

G_BEGIN_DECLS

typedef struct _ScalrPipeline ScalrPipeline;

ScalrPipeline *scalr_pipeline_new      (const char *db_path, const ScalrConfig *config,
                                        const char *run_name) G_GNUC_WARN_UNUSED_RESULT;
void           scalr_pipeline_free     (ScalrPipeline *pipeline);
/* Called when the run's store connection waits for another process's lock. */
void           scalr_pipeline_set_busy_func (ScalrPipeline *pipeline, ScalrStoreBusyFunc func, gpointer data);
/* The run joins group @group_id of the store (a sweep, a search …; 0: none). When it cannot
 * (no such group), the run is stored as failed and scalr_pipeline_run returns FALSE with the
 * store's error and no run id. */
void           scalr_pipeline_set_group (ScalrPipeline *pipeline, gint64 group_id);
/* Threads of every stage of this pipeline's runs (0: the thread policy: SCALR_THREADS, else
 * one per processor; see scalr-parallel.h). */
void           scalr_pipeline_set_threads (ScalrPipeline *pipeline, guint n_threads);

/* What a series of runs (a sweep) shares: the dataset and split while [dataset] and [split]
 * do not change, the fitted generator while [generator] does not, the baseline models while
 * [downstream] and [eval] do not. Use from one thread at a time. */
typedef struct _ScalrPipelineCache ScalrPipelineCache;
ScalrPipelineCache *scalr_pipeline_cache_new  (void) G_GNUC_WARN_UNUSED_RESULT;
void                scalr_pipeline_cache_free (ScalrPipelineCache *cache);
/* Runs of @pipeline use @cache (borrowed; NULL: nothing is shared). */
void                scalr_pipeline_set_cache  (ScalrPipeline *pipeline, ScalrPipelineCache *cache);

/* What `scalr tune` changes in a run (all optional): @evaluate replaces the downstream
 * evaluation (it returns the result to store, or NULL with @error set); @store_extra writes
 * further artifacts of the run before it is marked finished. A pipeline with an @evaluate
 * hook runs no replicates of its own (the hook's owner does). */
typedef struct {
  ScalrEvalResult *(*evaluate)    (ScalrSplit *split, const ScalrSyntheticEvents *events, const ScalrConfig *config,
                                   gpointer data, ScalrProgress *progress, GCancellable *cancellable, GError **error);
  gboolean         (*store_extra) (ScalrStore *store, gint64 run_id, const ScalrEvalResult *result, gpointer data,
                                   GError **error);
  gpointer           data;
} ScalrPipelineHooks;
void           scalr_pipeline_set_hooks (ScalrPipeline *pipeline, const ScalrPipelineHooks *hooks);

/* The split of @config through @cache (loaded, or shared while [dataset] and [split] do not
 * change; borrowed from the cache). On error returns NULL and sets @error. */
ScalrSplit    *scalr_pipeline_cache_get_split (ScalrPipelineCache *cache, ScalrStore *store, const ScalrConfig *config,
                                               ScalrProgress *progress, GCancellable *cancellable, GError **error);

/* Replicate @r of @base: r = 0 is @base; r ≥ 1 has the split, sampler, downstream and eval
 * seeds derived from (seed, r) — a new split, new draws, new model initialisations. */
ScalrConfig   *scalr_replicate_config (const ScalrConfig *base, guint r) G_GNUC_WARN_UNUSED_RESULT;
/* Per-replicate lifts and their summary per row (model, segment, metric, K, reference):
 * {"replicates": N, "seeds": [...], "rows": [{model, segment, metric, k, reference,
 * lifts: [{lift, ci_low, ci_high, p_holm, baseline_model}], mean_lift, sd_lift, min_lift,
 * max_lift, ci_above_zero, ci_below_zero, defined}]} — undefined numbers are null. */
JsonNode      *scalr_replicates_json (GPtrArray *results, const guint64 *split_seeds) G_GNUC_WARN_UNUSED_RESULT;

/* Runs every stage. *out_run_id is set as soon as the run exists (0 before), also when the
 * run then fails. On error returns FALSE and sets @error (G_IO_ERROR_CANCELLED when
 * cancelled). */
gboolean       scalr_pipeline_run      (ScalrPipeline  *pipeline,
                                        ScalrProgress  *progress,
                                        GCancellable   *cancellable,
                                        gint64         *out_run_id,
                                        GError        **error);

/* Builds the domains and the split of a stored run's config again (deterministic), for
 * exports. The dataset is loaded from @store. On error returns FALSE. The caller frees
 * the split before the domains. */
gboolean       scalr_pipeline_rebuild_split (ScalrStore         *store,
                                             const ScalrConfig  *config,
                                             ScalrDomains      **out_domains,
                                             ScalrSplit        **out_split,
                                             GError            **error);

/* The split options of a config. */
void           scalr_split_options_from_config (const ScalrConfig *config, ScalrSplitOptions *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrPipeline, scalr_pipeline_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrPipelineCache, scalr_pipeline_cache_free)

G_END_DECLS
