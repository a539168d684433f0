/* scalr-search.c — `scalr tune`: seeded random search on validation users, selection per
 * model and variant, one evaluation of the selection on test users, stored as one run.
 *
 * A trial draws one value per dimension (trial 0: the base config). For every downstream
 * model m it scores, on validation users only, the baseline with the trial's m-keys and the
 * augmented variant with the trial's m-keys plus its generator and sampler keys: both
 * variants of a model get the same trials over the same model space. What does not change
 * is computed once: the split, one generator per distinct generator config, one sampler run
 * per distinct generator + sampler config, one baseline score per distinct model config. */
#include "config.h"

#include "scalr-search-private.h"
#include "scalr-format.h"

#include <math.h>
#include <string.h>

#include "scalr-dist.h"
#include "scalr-domains.h"
#include "scalr-generator.h"
#include "scalr-parallel.h"
#include "scalr-sampler.h"
#include "scalr-store.h"

typedef struct {
  char  **values;      /* one per dimension (owned) */
  double *score;       /* n_models × 2: baseline, augmented (validation) */
  double  seconds;
} Trial;

struct _ScalrTuneTrials {
  const ScalrTuneSpec *spec;       /* borrowed */
  ScalrConfig      *base;          /* owned copy */
  ScalrSplit       *split;         /* borrowed */
  ScalrEvalOptions  opt;
  guint             k_index, n_models;
  GPtrArray        *trials;        /* Trial* */
  GHashTable       *generators;    /* generator key → ScalrGenerator* */
  GHashTable       *events;        /* sampler key → ScalrSyntheticEvents* */
  GHashTable       *sampler_tau;   /* sampler key → double* (the τ sampled with) */
  GHashTable       *baselines;     /* model key → double* (validation score) */
  gint             *selected;      /* n_models × 2 */
  ScalrEvalResult  *defaults;      /* trial 0 (the base config) on test users, for reference */
  double            wall_seconds;
  guint             generator_fits, sampler_runs, baseline_fits, augmented_fits;
};

static void
trial_free (Trial *t)
{
  g_strfreev (t->values);
  g_free (t->score);
  g_free (t);
}

void
scalr_tune_trials_free (ScalrTuneTrials *tr)
{
  if (tr == NULL)
    return;
  g_clear_pointer (&tr->base, scalr_config_free);
  scalr_eval_options_clear (&tr->opt);
  g_clear_pointer (&tr->trials, g_ptr_array_unref);
  g_clear_pointer (&tr->generators, g_hash_table_unref);
  g_clear_pointer (&tr->events, g_hash_table_unref);
  g_clear_pointer (&tr->sampler_tau, g_hash_table_unref);
  g_clear_pointer (&tr->baselines, g_hash_table_unref);
  g_free (tr->selected);
  g_clear_pointer (&tr->defaults, scalr_eval_result_free);
  g_free (tr);
}

guint
scalr_tune_trials_get_n (const ScalrTuneTrials *tr)
{
  return tr->trials->len;
}

static gint
model_index (const ScalrTuneTrials *tr, const char *model)
{
  for (guint m = 0; m < tr->n_models; m++)
    if (g_strcmp0 (tr->opt.models[m], model) == 0)
      return (gint) m;
  return -1;
}

double
scalr_tune_trials_get_score (const ScalrTuneTrials *tr, guint t, const char *model, ScalrVariant v)
{
  gint m = model_index (tr, model);
  if (m < 0 || t >= tr->trials->len || v > SCALR_VARIANT_AUGMENTED)
    return NAN;
  return ((Trial *) g_ptr_array_index (tr->trials, t))->score[m * 2 + v];
}

gint
scalr_tune_trials_get_selected (const ScalrTuneTrials *tr, const char *model, ScalrVariant v)
{
  gint m = model_index (tr, model);
  return m < 0 || v > SCALR_VARIANT_AUGMENTED ? -1 : tr->selected[m * 2 + v];
}

ScalrConfig *
scalr_tune_trials_dup_config (const ScalrTuneTrials *tr, guint t, ScalrVariant v)
{
  ScalrConfig *c = scalr_config_copy (tr->base);
  const Trial *trial = g_ptr_array_index (tr->trials, t);
  for (guint d = 0; d < tr->spec->dims->len; d++)
    {
      const SearchDim *dim = g_ptr_array_index (tr->spec->dims, d);
      if (v == SCALR_VARIANT_BASELINE && dim->synthetic)
        continue;
      gboolean ok = scalr_config_set (c, dim->param->group, dim->param->key, trial->values[d], NULL);
      g_assert (ok);
    }
  return c;
}

/* The values of @groups' keys that apply to @c (a generator's keys only for its model). */
static void
append_keys (GString *s, const ScalrConfig *c, const char *group, const char *model)
{
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      if (g_strcmp0 (p->group, group) == 0 && (p->model == NULL || model == NULL || g_strcmp0 (p->model, model) == 0))
        g_string_append_printf (s, "%s.%s=%s\n", p->group, p->key, scalr_config_get (c, p->group, p->key));
}

static char *
generator_key (const ScalrConfig *c)
{
  GString *s = g_string_new (NULL);
  append_keys (s, c, "generator", scalr_config_get (c, "generator", "model"));
  return g_string_free (s, FALSE);
}

static char *
sampler_key (const ScalrConfig *c)
{
  GString *s = g_string_new (NULL);
  append_keys (s, c, "generator", scalr_config_get (c, "generator", "model"));
  append_keys (s, c, "sampler", NULL);
  return g_string_free (s, FALSE);
}

static char *
baseline_key (const ScalrConfig *c, const char *model)
{
  GString *s = g_string_new (model);
  g_string_append_c (s, '\n');
  append_keys (s, c, "downstream", model);
  return g_string_free (s, FALSE);
}

/* The synthetic events of @c (generator and sampler shared across trials). */
static const ScalrSyntheticEvents *
trial_events (ScalrTuneTrials *tr, const ScalrConfig *c, GCancellable *cancellable, GError **error)
{
  g_autofree char *skey = sampler_key (c);
  const ScalrSyntheticEvents *cached = g_hash_table_lookup (tr->events, skey);
  if (cached)
    return cached;
  g_autofree char *gkey = generator_key (c);
  ScalrGenerator *gen = g_hash_table_lookup (tr->generators, gkey);
  if (gen == NULL)
    {
      gen = scalr_generator_fit (tr->split, c, NULL, cancellable, error);
      if (gen == NULL)
        return NULL;
      g_hash_table_insert (tr->generators, g_strdup (gkey), gen);
      tr->generator_fits++;
    }
  ScalrSamplerOptions o;
  if (!scalr_sampler_options_from_config (c, &o, error))
    return NULL;
  o.n_threads = tr->opt.n_threads;
  if (isnan (o.temperature))
    {
      ScalrSamplerAuto a;
      if (!scalr_sampler_choose_temperature (gen, tr->split, &o, &a, cancellable, error))
        return NULL;
      o.temperature = a.temperature;
    }
  ScalrSyntheticEvents *ev = scalr_sampler_run (gen, tr->split, &o, NULL, NULL, cancellable, error);
  if (ev == NULL)
    return NULL;
  if (o.align != SCALR_ALIGN_NONE)
    {
      ScalrSyntheticEvents *aligned = scalr_sampler_align (ev, tr->split, &o, NULL);
      scalr_synthetic_events_free (ev);
      ev = aligned;
    }
  tr->sampler_runs++;
  g_hash_table_insert (tr->events, g_strdup (skey), ev);
  g_hash_table_insert (tr->sampler_tau, g_strdup (skey), g_memdup2 (&o.temperature, sizeof (double)));
  return ev;
}

ScalrSyntheticEvents *
scalr_tune_trials_dup_events (ScalrTuneTrials *tr, guint t, GCancellable *cancellable, GError **error)
{
  g_autoptr (ScalrConfig) c = scalr_tune_trials_dup_config (tr, t, SCALR_VARIANT_AUGMENTED);
  const ScalrSyntheticEvents *ev = trial_events (tr, c, cancellable, error);
  if (ev == NULL)
    return NULL;
  ScalrSyntheticEvents *copy = scalr_synthetic_events_new (ev->n);
  if (ev->n)
    {
      memcpy (copy->user, ev->user, ev->n * sizeof (guint32));
      memcpy (copy->item, ev->item, ev->n * sizeof (guint32));
      memcpy (copy->count, ev->count, ev->n * sizeof (guint32));
      memcpy (copy->prob, ev->prob, ev->n * sizeof (float));
      memcpy (copy->weight, ev->weight, ev->n * sizeof (float));
    }
  copy->draws = ev->draws;
  return copy;
}

/* Scores one trial: each model's baseline (shared across trials with the same model keys)
 * and augmented variant, on validation users. */
static gboolean
score_trial (ScalrTuneTrials *tr, guint t, GCancellable *cancellable, GError **error)
{
  Trial *trial = g_ptr_array_index (tr->trials, t);
  g_autoptr (ScalrConfig) cb = scalr_tune_trials_dup_config (tr, t, SCALR_VARIANT_BASELINE);
  g_autoptr (ScalrConfig) ca = scalr_tune_trials_dup_config (tr, t, SCALR_VARIANT_AUGMENTED);
  const ScalrSyntheticEvents *ev = trial_events (tr, ca, cancellable, error);
  if (ev == NULL)
    return FALSE;
  g_autoptr (ScalrEvalResult) res = scalr_eval_result_new (tr->split, &tr->opt, TRUE);
  const ScalrTuneSpec *s = tr->spec;
  for (guint m = 0; m < tr->n_models; m++)
    {
      const char *model = tr->opt.models[m];
      g_autofree char *bkey = baseline_key (cb, model);
      double *cached = g_hash_table_lookup (tr->baselines, bkey);
      if (cached == NULL)
        {
          if (!scalr_eval_add_model (res, tr->split, NULL, cb, &tr->opt, model, SCALR_VARIANT_BASELINE, NULL, cancellable, error))
            return FALSE;
          double score = scalr_eval_valid_mean (res, g_ptr_array_index (res->models, res->models->len - 1), s->metric,
                                                tr->k_index, s->segment);
          cached = g_memdup2 (&score, sizeof score);
          g_hash_table_insert (tr->baselines, g_strdup (bkey), cached);
          tr->baseline_fits++;
        }
      trial->score[m * 2 + SCALR_VARIANT_BASELINE] = *cached;
      if (!scalr_eval_add_model (res, tr->split, ev, ca, &tr->opt, model, SCALR_VARIANT_AUGMENTED, NULL, cancellable, error))
        return FALSE;
      trial->score[m * 2 + SCALR_VARIANT_AUGMENTED] =
        scalr_eval_valid_mean (res, g_ptr_array_index (res->models, res->models->len - 1), s->metric, tr->k_index,
                               s->segment);
      tr->augmented_fits++;
    }
  return TRUE;
}

/* The best validation score per model and variant (ties: the earlier trial). */
static void
select_best (ScalrTuneTrials *tr)
{
  for (guint q = 0; q < tr->n_models * 2; q++)
    {
      gint best = -1;
      double best_score = NAN;
      for (guint t = 0; t < tr->trials->len; t++)
        {
          double v = ((Trial *) g_ptr_array_index (tr->trials, t))->score[q];
          if (isfinite (v) && (best < 0 || v > best_score))
            best = (gint) t, best_score = v;
        }
      tr->selected[q] = best;
    }
}

static ScalrTuneTrials *
trials_new (const ScalrTuneSpec *spec, const ScalrConfig *base, ScalrSplit *split, GError **error)
{
  g_autoptr (ScalrTuneTrials) tr = g_new0 (ScalrTuneTrials, 1);
  tr->spec = spec;
  tr->base = scalr_config_copy (base);
  tr->split = split;
  tr->trials = g_ptr_array_new_with_free_func ((GDestroyNotify) trial_free);
  tr->generators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) scalr_generator_free);
  tr->events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) scalr_synthetic_events_free);
  tr->sampler_tau = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tr->baselines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!scalr_eval_options_from_config (base, &tr->opt, error))
    return NULL;
  tr->n_models = g_strv_length (tr->opt.models);
  if (!scalr_config_get_bool (base, "downstream", "enabled") || !tr->opt.variants[SCALR_VARIANT_BASELINE]
      || !tr->opt.variants[SCALR_VARIANT_AUGMENTED])
    {
      g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC,
                   "tuning compares baseline and augmented models: set [downstream] enabled = true and "
                   "variants = baseline,augmented");
      return NULL;
    }
  tr->selected = g_new (gint, MAX (tr->n_models * 2, 1));
  gboolean found = FALSE;
  for (guint ki = 0; ki < tr->opt.n_ks; ki++)
    if (tr->opt.ks[ki] == spec->k)
      tr->k_index = ki, found = TRUE;
  if (!found)
    {
      g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC,
                   "objective %s@%u: K = %u is not one of [eval] k (%s)", scalr_metric_to_string (spec->metric), spec->k,
                   spec->k, scalr_config_get (base, "eval", "k"));
      return NULL;
    }
  const ScalrCsr *valid = scalr_split_get_valid (split);
  const guint8 *flags = scalr_split_get_user_flags (split);
  guint n_valid = 0;
  for (guint u = 0; u < valid->n_rows; u++)
    n_valid += scalr_csr_row_len (valid, u) > 0
               && (spec->segment == SCALR_SEGMENT_ALL
                   || ((flags[u] & SCALR_USER_SPARSE) != 0) == (spec->segment == SCALR_SEGMENT_SPARSE));
  if (n_valid == 0)
    {
      g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_NO_VALIDATION,
                   "no %s validation user has held-out events: tuning selects on validation users only "
                   "(set [split] valid_users > 0)", scalr_segment_to_string (spec->segment));
      return NULL;
    }
  return g_steal_pointer (&tr);
}

static ScalrTuneTrials *
trials_run (const ScalrTuneSpec *spec, const ScalrConfig *base, ScalrSplit *split, guint threads,
            ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  g_autoptr (ScalrTuneTrials) tr = trials_new (spec, base, split, error);
  if (tr == NULL)
    return NULL;
  tr->opt.n_threads = threads;
  g_autoptr (GTimer) wall = g_timer_new ();
  for (guint t = 0; t < spec->trials; t++)
    {
      if (t > 0 && spec->time_budget > 0 && g_timer_elapsed (wall, NULL) >= spec->time_budget)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      scalr_progress_update (progress, "tune", (double) t / spec->trials, "trial %u of %u", t + 1, spec->trials);
      Trial *trial = g_new0 (Trial, 1);
      trial->values = g_new0 (char *, spec->dims->len + 1);
      trial->score = g_new (double, MAX (tr->n_models * 2, 1));
      ScalrRng rng;
      scalr_rng_init (&rng, spec->seed, SCALR_STREAM_TUNE, t);
      for (guint d = 0; d < spec->dims->len; d++)
        {
          const SearchDim *dim = g_ptr_array_index (spec->dims, d);
          trial->values[d] = t == 0 ? g_strdup (scalr_config_get (base, dim->param->group, dim->param->key))
                                    : _scalr_search_dim_draw (dim, &rng);
        }
      g_ptr_array_add (tr->trials, trial);
      g_autoptr (GTimer) timer = g_timer_new ();
      if (!score_trial (tr, t, cancellable, error))
        return NULL;
      trial->seconds = g_timer_elapsed (timer, NULL);
    }
  select_best (tr);
  tr->wall_seconds = g_timer_elapsed (wall, NULL);
  scalr_progress_update (progress, "tune", 1.0, "%u trials", tr->trials->len);
  return g_steal_pointer (&tr);
}

ScalrTuneTrials *
scalr_tune_trials_run (const ScalrTuneSpec *spec, ScalrSplit *split, ScalrProgress *progress,
                       GCancellable *cancellable, GError **error)
{
  return trials_run (spec, spec->config, split, 0, progress, cancellable, error);
}

/* Trains and evaluates each model's @variant configuration chosen by @pick into @res. */
static gboolean
evaluate_trials (ScalrTuneTrials *tr, ScalrEvalResult *res, const ScalrEvalResult *reuse, gboolean selected,
                 ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  for (guint m = 0; m < tr->n_models; m++)
    for (ScalrVariant v = SCALR_VARIANT_BASELINE; v <= SCALR_VARIANT_AUGMENTED; v++)
      {
        gint t = selected ? tr->selected[m * 2 + v] : 0;
        t = MAX (t, 0);
        if (reuse && tr->selected[m * 2 + v] == t)   /* the same configuration: copy its evaluation */
          {
            g_ptr_array_add (res->models, scalr_model_eval_copy (reuse, g_ptr_array_index (reuse->models, m * 2 + v)));
            continue;
          }
        scalr_progress_update (progress, "train", (double) (m * 2 + v) / (tr->n_models * 2), "%s (%s) %s",
                               tr->opt.models[m], scalr_variant_to_string (v), selected ? "as selected" : "at defaults");
        g_autoptr (ScalrConfig) c = scalr_tune_trials_dup_config (tr, (guint) t, v);
        const ScalrSyntheticEvents *ev = v == SCALR_VARIANT_AUGMENTED ? trial_events (tr, c, cancellable, error) : NULL;
        if (v == SCALR_VARIANT_AUGMENTED && ev == NULL)
          return FALSE;
        if (!scalr_eval_add_model (res, tr->split, ev, c, &tr->opt, tr->opt.models[m], v, NULL, cancellable, error))
          return FALSE;
      }
  return TRUE;
}

/* The selection evaluated on the test users: per model its selected baseline and
 * augmented configurations, then the lifts. For reference (never for a choice), the base
 * config (trial 0) is evaluated on the test users too: the gain of the search on test users
 * next to its gain on validation users. */
static ScalrEvalResult *
evaluate_selection (ScalrTuneTrials *tr, ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  g_autoptr (ScalrEvalResult) res = scalr_eval_result_new (tr->split, &tr->opt, FALSE);
  if (!evaluate_trials (tr, res, NULL, TRUE, progress, cancellable, error)
      || !scalr_eval_result_compute_lifts (res, &tr->opt, cancellable, error))
    return NULL;
  g_clear_pointer (&tr->defaults, scalr_eval_result_free);
  tr->defaults = scalr_eval_result_new (tr->split, &tr->opt, FALSE);
  if (!evaluate_trials (tr, tr->defaults, res, FALSE, progress, cancellable, error))
    return NULL;
  return g_steal_pointer (&res);
}

/* ---- the tuning artifact -------------------------------------------------------------- */

/* The trial's values: every dimension (@model NULL), or those that matter to @model's
 * variant (its own downstream keys, and the generator and sampler keys when augmented). */
static void
params_json (JsonBuilder *b, const ScalrTuneTrials *tr, guint t, gboolean with_synthetic, const char *model)
{
  const Trial *trial = g_ptr_array_index (tr->trials, t);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  for (guint d = 0; d < tr->spec->dims->len; d++)
    {
      const SearchDim *dim = g_ptr_array_index (tr->spec->dims, d);
      if (!with_synthetic && dim->synthetic)
        continue;
      if (model && !dim->synthetic && dim->param->model && g_strcmp0 (dim->param->model, model) != 0)
        continue;
      json_builder_set_member_name (b, dim->name);
      json_builder_add_string_value (b, trial->values[d]);
    }
  json_builder_end_object (b);
}

/* The objective on @res's test users of model @m's @variant (NAN without @res). */
static double
test_score (const ScalrTuneTrials *tr, const ScalrEvalResult *res, guint m, ScalrVariant v)
{
  for (guint k = 0; res && k < res->models->len; k++)
    {
      const ScalrModelEval *me = g_ptr_array_index (res->models, k);
      if (me->variant == v && g_strcmp0 (me->model, tr->opt.models[m]) == 0)
        return scalr_eval_aggregate (res, me, tr->spec->metric, tr->k_index, tr->spec->segment);
    }
  return NAN;
}

/* selected: per model and variant the trial, its params, its validation score and (with
 * @res) its test score. */
static void
selected_json (JsonBuilder *b, ScalrTuneTrials *tr, const ScalrEvalResult *res)
{
  json_builder_set_member_name (b, "selected");
  json_builder_begin_object (b);
  for (guint m = 0; m < tr->n_models; m++)
    {
      json_builder_set_member_name (b, tr->opt.models[m]);
      json_builder_begin_object (b);
      for (ScalrVariant v = SCALR_VARIANT_BASELINE; v <= SCALR_VARIANT_AUGMENTED; v++)
        {
          gint t = tr->selected[m * 2 + v];
          json_builder_set_member_name (b, scalr_variant_to_string (v));
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "trial");
          json_builder_add_int_value (b, t);
          if (t >= 0)
            params_json (b, tr, (guint) t, v == SCALR_VARIANT_AUGMENTED, tr->opt.models[m]);
          scalr_format_json_member_number (b, "validation", t >= 0 ? ((Trial *) g_ptr_array_index (tr->trials, t))->score[m * 2 + v] : NAN);
          scalr_format_json_member_number (b, "test", test_score (tr, res, m, v));
          json_builder_set_member_name (b, "default");
          json_builder_begin_object (b);
          scalr_format_json_member_number (b, "validation", ((Trial *) g_ptr_array_index (tr->trials, 0))->score[m * 2 + v]);
          scalr_format_json_member_number (b, "test", test_score (tr, tr->defaults, m, v));
          json_builder_end_object (b);
          if (v == SCALR_VARIANT_AUGMENTED && t >= 0)
            {
              g_autoptr (ScalrConfig) c = scalr_tune_trials_dup_config (tr, (guint) t, v);
              g_autofree char *skey = sampler_key (c);
              const double *tau = g_hash_table_lookup (tr->sampler_tau, skey);
              scalr_format_json_member_number (b, "sampler_temperature", tau ? *tau : NAN);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
space_json (JsonBuilder *b, const ScalrTuneSpec *spec)
{
  json_builder_set_member_name (b, "space");
  json_builder_begin_array (b);
  for (guint d = 0; d < spec->dims->len; d++)
    {
      const SearchDim *dim = g_ptr_array_index (spec->dims, d);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, dim->name);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, dim->synthetic ? "augmented only" : "baseline and augmented");
      if (dim->range)
        {
          scalr_format_json_member_number (b, "low", dim->lo);
          scalr_format_json_member_number (b, "high", dim->hi);
          json_builder_set_member_name (b, "scale");
          json_builder_add_string_value (b, dim->log ? "log" : "linear");
        }
      else
        {
          json_builder_set_member_name (b, "values");
          json_builder_begin_array (b);
          for (guint k = 0; dim->values[k]; k++)
            json_builder_add_string_value (b, dim->values[k]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static JsonNode *
tuning_json (ScalrTuneTrials *tr, const ScalrEvalResult *res, GPtrArray *replicate_nodes)
{
  const ScalrTuneSpec *spec = tr->spec;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  g_autofree char *objective = g_strdup_printf ("%s@%u", scalr_metric_to_string (spec->metric), spec->k);
  json_builder_set_member_name (b, "objective");
  json_builder_add_string_value (b, objective);
  json_builder_set_member_name (b, "segment");
  json_builder_add_string_value (b, scalr_segment_to_string (spec->segment));
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, "random search (trial 0: the base config)");
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) spec->seed);
  json_builder_set_member_name (b, "trials_requested");
  json_builder_add_int_value (b, spec->trials);
  scalr_format_json_member_number (b, "time_budget", spec->time_budget > 0 ? spec->time_budget : NAN);
  json_builder_set_member_name (b, "default_space");
  json_builder_add_boolean_value (b, spec->default_space);
  space_json (b, spec);
  scalr_format_json_member_number (b, "wall_seconds", tr->wall_seconds);
  json_builder_set_member_name (b, "shared");
  json_builder_begin_object (b);
  const struct { const char *name; guint n; } counts[] = {
    { "generator_fits", tr->generator_fits }, { "sampler_runs", tr->sampler_runs },
    { "baseline_fits", tr->baseline_fits }, { "augmented_fits", tr->augmented_fits },
  };
  for (guint k = 0; k < G_N_ELEMENTS (counts); k++)
    {
      json_builder_set_member_name (b, counts[k].name);
      json_builder_add_int_value (b, counts[k].n);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "trials");
  json_builder_begin_array (b);
  for (guint t = 0; t < tr->trials->len; t++)
    {
      const Trial *trial = g_ptr_array_index (tr->trials, t);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "trial");
      json_builder_add_int_value (b, t);
      params_json (b, tr, t, TRUE, NULL);
      scalr_format_json_member_number (b, "seconds", trial->seconds);
      json_builder_set_member_name (b, "validation");
      json_builder_begin_object (b);
      for (guint m = 0; m < tr->n_models; m++)
        {
          json_builder_set_member_name (b, tr->opt.models[m]);
          json_builder_begin_object (b);
          scalr_format_json_member_number (b, "baseline", trial->score[m * 2]);
          scalr_format_json_member_number (b, "augmented", trial->score[m * 2 + 1]);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  selected_json (b, tr, res);
  if (replicate_nodes && replicate_nodes->len)
    {
      json_builder_set_member_name (b, "replicate_selections");
      json_builder_begin_array (b);
      for (guint r = 0; r < replicate_nodes->len; r++)
        json_builder_add_value (b, json_node_copy (g_ptr_array_index (replicate_nodes, r)));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- the stored run ------------------------------------------------------------------ */

typedef struct {
  ScalrTuneTrials *trials;          /* replicate 0 */
  GPtrArray       *results;         /* replicates 1…: ScalrEvalResult* (owned) */
  GPtrArray       *selections;      /* replicates 1…: JsonNode* (owned) */
  guint64         *seeds;           /* split seed per replicate */
} TuneRun;

static ScalrEvalResult *
hook_evaluate (ScalrSplit *split, const ScalrSyntheticEvents *events, const ScalrConfig *config, gpointer data,
               ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  TuneRun *run = data;
  return evaluate_selection (run->trials, progress, cancellable, error);
}

static gboolean
put_json (ScalrStore *store, gint64 run_id, const char *name, JsonNode *node, GError **error)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, node);
  gsize len;
  char *text = json_generator_to_data (gen, &len);
  g_autoptr (GBytes) bytes = g_bytes_new_take (text, len);
  return scalr_store_put_artifact (store, run_id, "summary", name, "application/json", bytes, error);
}

static gboolean
hook_store (ScalrStore *store, gint64 run_id, const ScalrEvalResult *result, gpointer data, GError **error)
{
  TuneRun *run = data;
  g_autoptr (JsonNode) tuning = tuning_json (run->trials, result, run->selections);
  if (!put_json (store, run_id, "tuning", tuning, error))
    return FALSE;
  if (run->results->len == 0)
    return TRUE;
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  g_ptr_array_add (all, (gpointer) result);
  for (guint r = 0; r < run->results->len; r++)
    g_ptr_array_add (all, g_ptr_array_index (run->results, r));
  g_autoptr (JsonNode) reps = scalr_replicates_json (all, run->seeds);
  return put_json (store, run_id, "replicates", reps, error);
}

/* Replicate r ≥ 1: the whole search on its own split, its selection evaluated on its test
 * users. */
static gboolean
tune_replicate (TuneRun *run, const ScalrTuneSpec *spec, ScalrDomains *domains, guint r, guint threads,
                ScalrProgress *progress, GCancellable *cancellable, GError **error)
{
  g_autoptr (ScalrConfig) c = scalr_replicate_config (spec->config, r);
  run->seeds[r] = (guint64) scalr_config_get_int (c, "split", "seed");
  ScalrSplitOptions so;
  scalr_split_options_from_config (c, &so);
  g_autoptr (ScalrSplit) split = scalr_split_new (domains, &so, error);
  if (split == NULL)
    return FALSE;
  g_autoptr (ScalrTuneTrials) tr = trials_run (spec, c, split, threads, progress, cancellable, error);
  if (tr == NULL)
    return FALSE;
  ScalrEvalResult *res = evaluate_selection (tr, NULL, cancellable, error);
  if (res == NULL)
    return FALSE;
  g_ptr_array_add (run->results, res);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "replicate");
  json_builder_add_int_value (b, r);
  json_builder_set_member_name (b, "split_seed");
  json_builder_add_int_value (b, (gint64) run->seeds[r]);
  selected_json (b, tr, res);
  json_builder_end_object (b);
  g_ptr_array_add (run->selections, json_builder_get_root (b));
  return TRUE;
}

/* The augmented model whose selection scored best on validation: its config is the run's. */
static ScalrConfig *
headline_config (ScalrTuneTrials *tr)
{
  gint best_m = -1;
  double best = NAN;
  for (guint m = 0; m < tr->n_models; m++)
    {
      gint t = tr->selected[m * 2 + 1];
      double v = t >= 0 ? ((Trial *) g_ptr_array_index (tr->trials, t))->score[m * 2 + 1] : NAN;
      if (isfinite (v) && (best_m < 0 || v > best))
        best_m = (gint) m, best = v;
    }
  gint t = best_m >= 0 ? tr->selected[best_m * 2 + 1] : 0;
  return scalr_tune_trials_dup_config (tr, (guint) MAX (t, 0), SCALR_VARIANT_AUGMENTED);
}

static gboolean
tune_run (const char *db_path, const ScalrTuneSpec *spec, guint threads, ScalrStoreBusyFunc busy_func,
          ScalrProgress *progress, GCancellable *cancellable, gint64 *out_run_id, GError **error)
{
  if (out_run_id)
    *out_run_id = 0;
  g_autoptr (ScalrPipelineCache) cache = scalr_pipeline_cache_new ();
  ScalrSplit *split;
  {
    /* Under mpirun rank 0 alone writes the store. */
    g_autoptr (ScalrStore) store = scalr_store_open (db_path, scalr_dist_is_root () ? SCALR_STORE_OPEN_DEFAULT
                                                              : SCALR_STORE_OPEN_READ_ONLY, error);
    if (store == NULL)
      return FALSE;
    scalr_store_set_busy_func (store, busy_func, NULL);
    split = scalr_pipeline_cache_get_split (cache, store, spec->config, progress, cancellable, error);
    if (split == NULL)
      return FALSE;
  }
  guint n_rep = (guint) scalr_config_get_int (spec->config, "eval", "replicates");
  TuneRun run = { 0 };
  run.results = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_eval_result_free);
  run.selections = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  run.seeds = g_new0 (guint64, n_rep);
  run.seeds[0] = (guint64) scalr_config_get_int (spec->config, "split", "seed");
  gboolean ok = (run.trials = trials_run (spec, spec->config, split, threads, progress, cancellable, error)) != NULL;
  for (guint r = 1; ok && r < n_rep; r++)
    {
      scalr_progress_update (progress, "replicates", (double) r / n_rep, "replicate %u of %u", r + 1, n_rep);
      ok = tune_replicate (&run, spec, scalr_split_get_domains (split), r, threads, progress, cancellable, error);
    }
  if (ok)
    {
      g_autoptr (ScalrConfig) c = headline_config (run.trials);
      g_autofree char *name = g_strdup_printf ("tune %s@%u %s", scalr_metric_to_string (spec->metric), spec->k,
                                               scalr_segment_to_string (spec->segment));
      g_autoptr (ScalrPipeline) p = scalr_pipeline_new (db_path, c, name);
      scalr_pipeline_set_threads (p, threads);
      scalr_pipeline_set_busy_func (p, busy_func, NULL);
      scalr_pipeline_set_cache (p, cache);
      ScalrPipelineHooks hooks = { hook_evaluate, hook_store, &run };
      scalr_pipeline_set_hooks (p, &hooks);
      ok = scalr_pipeline_run (p, progress, cancellable, out_run_id, error);
    }
  scalr_tune_trials_free (run.trials);
  g_ptr_array_unref (run.results);
  g_ptr_array_unref (run.selections);
  g_free (run.seeds);
  return ok;
}

gboolean
scalr_tune_run (const char *db_path, const ScalrTuneSpec *spec, guint threads, ScalrStoreBusyFunc busy_func,
                ScalrProgress *progress, GCancellable *cancellable, gint64 *out_run_id, GError **error)
{
  g_autoptr (GError) local = NULL;
  /* Every stage of the search, in this thread, on @threads (0: the policy). */
  guint threads_before = scalr_parallel_push_threads (threads);
  gboolean ok = tune_run (db_path, spec, threads, busy_func, progress, cancellable, out_run_id, &local);
  scalr_parallel_pop_threads (threads_before);
  if (ok)
    return TRUE;
  /* Under mpirun a trial's error is this rank's alone: announce it, so the other ranks stop
   * at their next exchange (scalr-dist.h); the pipeline's errors are announced already. */
  if (!scalr_dist_error_is_agreed (local))
    scalr_dist_agree (&local);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}
