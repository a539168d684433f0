/* scalr-run-results.c — one run's results read from the store, and its charts. */
#include "config.h"

#include "scalr-run-results.h"

#include <math.h>
#include <stdlib.h>

#include "scalr-charts.h"
#include "scalr-format.h"
#include "scalr-stats.h"

G_DEFINE_QUARK (scalr-run-results-error-quark, scalr_run_results_error)

static JsonNode *
parse_artifact (ScalrStore *store, gint64 run_id, const char *kind, const char *name, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) bytes = scalr_store_get_artifact (store, run_id, kind, name, &local);
  if (bytes == NULL)
    {
      if (g_error_matches (local, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND))
        return NULL;   /* absent: not an error */
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, SCALR_RUN_RESULTS_ERROR, SCALR_RUN_RESULTS_ERROR_INVALID,
                   "run %" G_GINT64_FORMAT ": the stored %s/%s document does not parse: %s", run_id, kind,
                   name, local->message);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
has_string (GPtrArray *a, const char *s)
{
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), s) == 0)
      return TRUE;
  return FALSE;
}

static int
cmp_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

ScalrRunResults *
scalr_run_results_load (ScalrStore *store, gint64 run_id, gboolean require_finished, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_autoptr (ScalrRunResults) r = g_new0 (ScalrRunResults, 1);
  r->info = scalr_store_get_run (store, run_id, error);
  if (r->info == NULL)
    return NULL;
  if (require_finished && r->info->status != SCALR_RUN_FINISHED)
    {
      g_set_error (error, SCALR_RUN_RESULTS_ERROR, SCALR_RUN_RESULTS_ERROR_NOT_FINISHED,
                   "run %" G_GINT64_FORMAT " is %s, not finished: it has no results to show", run_id,
                   scalr_run_status_to_string (r->info->status));
      return NULL;
    }
  r->config = g_key_file_new ();
  if (r->info->config && !g_key_file_load_from_data (r->config, r->info->config, (gsize) -1, G_KEY_FILE_NONE, NULL))
    {
      g_set_error (error, SCALR_RUN_RESULTS_ERROR, SCALR_RUN_RESULTS_ERROR_INVALID,
                   "run %" G_GINT64_FORMAT ": the stored config does not parse", run_id);
      return NULL;
    }

  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) dnode = parse_artifact (store, run_id, "diagnostics", "synthetic", &local);
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (dnode)
    {
      r->diag = scalr_diagnostics_from_json (dnode, error);
      if (r->diag == NULL)
        return NULL;
    }
  g_autoptr (JsonNode) snode = parse_artifact (store, run_id, "summary", "run", &local);
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (snode && JSON_NODE_HOLDS_OBJECT (snode))
    r->summary = json_object_ref (json_node_get_object (snode));

  g_autoptr (JsonNode) down = parse_artifact (store, run_id, "summary", "downstream", &local);
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  g_autoptr (GStrvBuilder) wb = g_strv_builder_new ();
  JsonObject *dobj = down && JSON_NODE_HOLDS_OBJECT (down) ? json_node_get_object (down) : NULL;
  JsonArray *wa = dobj && json_object_has_member (dobj, "warnings") ? json_object_get_array_member (dobj, "warnings") : NULL;
  for (guint i = 0; wa && i < json_array_get_length (wa); i++)
    g_strv_builder_add (wb, json_array_get_string_element (wa, i));
  r->warnings = g_strv_builder_end (wb);

  r->metrics = scalr_store_get_metrics (store, run_id, error);
  if (r->metrics == NULL)
    return NULL;
  r->lifts = scalr_store_get_lifts (store, run_id, error);
  if (r->lifts == NULL)
    return NULL;

  /* Models in the order of the config, then any others the rows name. */
  r->models = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *models = g_key_file_get_value (r->config, "downstream", "models", NULL);
  g_auto (GStrv) names = models ? g_strsplit (models, ",", -1) : NULL;
  for (guint i = 0; names && names[i]; i++)
    {
      g_strstrip (names[i]);
      gboolean present = FALSE;
      for (guint k = 0; k < r->metrics->len && !present; k++)
        present = g_strcmp0 (g_array_index (r->metrics, ScalrMetricRow, k).model, names[i]) == 0;
      if (present && !has_string (r->models, names[i]))
        g_ptr_array_add (r->models, g_strdup (names[i]));
    }
  r->ks = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < r->metrics->len; k++)
    {
      const ScalrMetricRow *m = &g_array_index (r->metrics, ScalrMetricRow, k);
      if (!has_string (r->models, m->model))
        g_ptr_array_add (r->models, g_strdup (m->model));
      gboolean seen = m->k == 0;
      for (guint j = 0; j < r->ks->len && !seen; j++)
        seen = g_array_index (r->ks, guint, j) == m->k;
      if (!seen)
        g_array_append_val (r->ks, m->k);
    }
  g_array_sort (r->ks, cmp_uint);
  for (guint j = 0; j < r->ks->len; j++)
    {
      guint k = g_array_index (r->ks, guint, j);
      if (r->headline_k == 0 || abs ((int) k - 20) < abs ((int) r->headline_k - 20))
        r->headline_k = k;
    }
  return g_steal_pointer (&r);
}

void
scalr_run_results_free (ScalrRunResults *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->info, scalr_run_info_free);
  g_clear_pointer (&r->config, g_key_file_free);
  g_clear_pointer (&r->diag, scalr_diagnostics_free);
  g_clear_pointer (&r->summary, json_object_unref);
  g_clear_pointer (&r->metrics, g_array_unref);
  g_clear_pointer (&r->lifts, g_array_unref);
  g_clear_pointer (&r->models, g_ptr_array_unref);
  g_clear_pointer (&r->ks, g_array_unref);
  g_clear_pointer (&r->warnings, g_strfreev);
  g_free (r);
}

char *
scalr_run_results_dup_config (const ScalrRunResults *r, const char *group, const char *key)
{
  return g_key_file_get_value (r->config, group, key, NULL);
}

char *
scalr_run_results_dup_title (const ScalrRunResults *r)
{
  if (r->info->name && r->info->name[0])
    return g_strdup_printf ("Run %" G_GINT64_FORMAT " · %s", r->info->id, r->info->name);
  return g_strdup_printf ("Run %" G_GINT64_FORMAT, r->info->id);
}

static double
summary_double (const ScalrRunResults *r, const char *object, const char *member)
{
  if (r->summary == NULL || !json_object_has_member (r->summary, object))
    return NAN;
  JsonObject *o = json_object_get_object_member (r->summary, object);
  if (o == NULL || !json_object_has_member (o, member) || json_object_get_null_member (o, member))
    return NAN;
  return json_object_get_double_member (o, member);
}

GStrv
scalr_run_results_config_lines (const ScalrRunResults *r)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
#define CFG(g, k) g_autofree char *g##_##k = scalr_run_results_dup_config (r, #g, #k)
  CFG (dataset, source);
  CFG (dataset, target);
  CFG (generator, model);
  CFG (generator, temperature);
  CFG (sampler, strategy);
  CFG (sampler, samples_per_event);
  CFG (sampler, user_ratio);
  CFG (sampler, k);
  CFG (sampler, weight);
  CFG (sampler, weight_mode);
  CFG (sampler, align);
  CFG (sampler, targets);
  CFG (split, protocol);
  CFG (split, test_fraction);
  CFG (split, sparse_fraction);
  CFG (split, sparse_keep);
  CFG (downstream, models);
  CFG (eval, k);
  CFG (eval, bootstrap);
#undef CFG
  g_autofree char *domains = g_strdup_printf ("Domains: %s → %s", dataset_source ? dataset_source : "?",
                                              dataset_target ? dataset_target : "?");
  g_strv_builder_add (b, domains);
  double tau = summary_double (r, "generator", "temperature");
  g_autofree char *gen = NULL;
  if (isfinite (tau))
    gen = g_strdup_printf ("Generator: %s, τ = %.3g%s", generator_model ? generator_model : "?", tau,
                           g_strcmp0 (generator_temperature, "auto") == 0 ? " (fitted)" : "");
  else
    gen = g_strdup_printf ("Generator: %s", generator_model ? generator_model : "?");
  g_strv_builder_add (b, gen);
  g_autofree char *amount = NULL;
  if (g_strcmp0 (sampler_strategy, "per_event") == 0)
    amount = g_strdup_printf ("%s per source event", sampler_samples_per_event);
  else if (g_strcmp0 (sampler_strategy, "per_user") == 0)
    amount = g_strdup_printf ("ratio %s", sampler_user_ratio);
  else
    amount = g_strdup_printf ("top-%s", sampler_k);
  g_autofree char *sampler = g_strdup_printf ("Sampler: %s (%s), λ = %s (%s), align %s, targets %s",
                                              sampler_strategy, amount, sampler_weight, sampler_weight_mode,
                                              sampler_align, sampler_targets);
  g_strv_builder_add (b, sampler);
  double test = g_ascii_strtod (split_test_fraction ? split_test_fraction : "nan", NULL);
  double sparse = g_ascii_strtod (split_sparse_fraction ? split_sparse_fraction : "nan", NULL);
  g_autofree char *split = g_strdup_printf ("Split: %s, %.0f%% test; %.0f%% of overlap users sparse (keep %s)",
                                            split_protocol, 100 * test, 100 * sparse, split_sparse_keep);
  g_strv_builder_add (b, split);
  g_auto (GStrv) model_list = g_strsplit (downstream_models ? downstream_models : "", ",", -1);
  g_autofree char *models = g_strjoinv (", ", model_list);
  g_autofree char *eval = g_strdup_printf ("Models: %s; K = %s; %s bootstrap resamples", models, eval_k,
                                           eval_bootstrap);
  g_strv_builder_add (b, eval);
  return g_strv_builder_end (b);
}

double
scalr_run_results_metric (const ScalrRunResults *r, const char *model, const char *variant,
                          const char *segment, const char *metric, guint k)
{
  for (guint i = 0; i < r->metrics->len; i++)
    {
      const ScalrMetricRow *m = &g_array_index (r->metrics, ScalrMetricRow, i);
      if (m->k == k && g_strcmp0 (m->model, model) == 0 && g_strcmp0 (m->variant, variant) == 0
          && g_strcmp0 (m->segment, segment) == 0 && g_strcmp0 (m->metric, metric) == 0)
        return m->value;
    }
  return NAN;
}

const ScalrLiftRow *
scalr_run_results_lift (const ScalrRunResults *r, const char *model, const char *segment,
                        const char *metric, guint k, const char *reference)
{
  for (guint i = 0; i < r->lifts->len; i++)
    {
      const ScalrLiftRow *l = &g_array_index (r->lifts, ScalrLiftRow, i);
      if (l->k == k && g_strcmp0 (l->model, model) == 0 && g_strcmp0 (l->segment, segment) == 0
          && g_strcmp0 (l->metric, metric) == 0 && scalr_lift_row_is_reference (l, reference))
        return l;
    }
  return NULL;
}

double
scalr_run_results_level (const ScalrRunResults *r)
{
  g_return_val_if_fail (r != NULL, NAN);
  return r->lifts->len > 0 ? g_array_index (r->lifts, ScalrLiftRow, 0).level : NAN;
}


gboolean
scalr_run_results_has_segment (const ScalrRunResults *r, const char *segment)
{
  for (guint i = 0; i < r->lifts->len; i++)
    if (g_strcmp0 (g_array_index (r->lifts, ScalrLiftRow, i).segment, segment) == 0)
      return TRUE;
  return FALSE;
}

char *
scalr_metric_label (const char *metric, guint k)
{
  static const struct { const char *id, *label; } names[] = {
    { "recall", "Recall" }, { "ndcg", "NDCG" }, { "hit", "HitRate" }, { "mrr", "MRR" },
    { "precision", "Precision" }, { "coverage", "Coverage" }, { "ne", "NE" }, { "auc", "AUC" },
  };
  const char *label = metric;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (names[i].id, metric) == 0)
      label = names[i].label;
  return k > 0 ? g_strdup_printf ("%s@%u", label, k) : g_strdup (label);
}

gboolean
scalr_metric_is_higher_better (const char *metric)
{
  return g_strcmp0 (metric, "ne") != 0;
}

static const char *
segment_words (const char *segment)
{
  if (g_strcmp0 (segment, "all") == 0)
    return "all tested users";
  if (g_strcmp0 (segment, "sparse") == 0)
    return "sparse users";
  if (g_strcmp0 (segment, "warm") == 0)
    return "warm users";
  return segment;
}

ScalrPlot *
scalr_run_results_forest (const ScalrRunResults *r, const char *segment, const char *metric, guint k,
                          const char *reference)
{
  g_return_val_if_fail (r != NULL && segment != NULL && metric != NULL && reference != NULL, NULL);
  gboolean flip = !scalr_metric_is_higher_better (metric);
  gboolean strongest = g_strcmp0 (reference, "strongest") == 0;
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (ScalrForestRow));
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  for (guint m = 0; m < r->models->len; m++)
    {
      const char *model = g_ptr_array_index (r->models, m);
      const ScalrLiftRow *l = scalr_run_results_lift (r, model, segment, metric, k, reference);
      if (l == NULL)
        continue;
      /* One row per comparison: an own row may also be the strongest baseline's. */
      char *label = l->also_strongest ? g_strdup_printf ("%s (own = the strongest)", model)
                    : strongest && g_strcmp0 (l->baseline_model, model) != 0
                      ? g_strdup_printf ("%s (vs %s)", model, l->baseline_model)
                    : g_strdup (model);
      g_ptr_array_add (labels, label);
      ScalrForestRow row = {
        .label = label,
        .lift = flip ? -l->lift : l->lift,
        .lo = flip ? -l->ci_high : l->ci_low,
        .hi = flip ? -l->ci_low : l->ci_high,
        .p = l->p_holm,
        .significant = isfinite (l->p_holm) && l->p_holm < SCALR_SIGNIFICANCE_LEVEL,
        .level = l->level,
      };
      g_array_append_val (rows, row);
    }
  if (rows->len == 0)
    return NULL;
  g_autofree char *mlabel = scalr_metric_label (metric, k);
  const char *against = strongest ? "against the strongest real-only model" : "against each model's own baseline";
  g_autofree char *title = flip ? g_strdup_printf ("%s reduction, %s, %s (right is better)", mlabel,
                                                   segment_words (segment), against)
                                : g_strdup_printf ("%s lift, %s, %s", mlabel, segment_words (segment), against);
  ScalrPlot *plot = scalr_charts_forest (title, (const ScalrForestRow *) rows->data, rows->len);
  g_autofree char *ci = scalr_stats_ci_label (scalr_run_results_level (r));
  g_autofree char *sub = g_strdup_printf ("augmented vs baseline: relative lift with its paired-bootstrap %s "
                                          "(not adjusted for multiple comparisons); filled: significant after Holm "
                                          "adjustment (p < 0.05)%s", ci,
                                          strongest ? "" : " · for cold users a personalised baseline is near "
                                                           "random: this flatters");
  scalr_plot_set_subtitle (plot, sub);
  return plot;
}

GPtrArray *
scalr_run_results_charts (const ScalrRunResults *r, GStrv *out_ids)
{
  g_return_val_if_fail (r != NULL, NULL);
  GPtrArray *plots = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_plot_free);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  if (r->diag)
    {
      g_ptr_array_add (plots, scalr_charts_rank_frequency (r->diag));
      g_strv_builder_add (ids, "rank-frequency");
      g_ptr_array_add (plots, scalr_charts_activity (r->diag));
      g_strv_builder_add (ids, "activity");
      ScalrPlot *p = scalr_charts_buckets (r->diag);
      if (p)
        {
          g_ptr_array_add (plots, p);
          g_strv_builder_add (ids, "buckets");
        }
      p = scalr_charts_reliability (r->diag);
      if (p)
        {
          g_ptr_array_add (plots, p);
          g_strv_builder_add (ids, "reliability");
        }
    }
  if (r->diag)
    {
      ScalrPlot *p = scalr_charts_category_mix (r->diag);
      if (p)
        {
          g_ptr_array_add (plots, p);
          g_strv_builder_add (ids, "categories");
        }
    }
  /* The honest reading first: sparse users against the strongest real-only model. */
  static const struct { const char *segment, *reference, *id; } forests[] = {
    { "sparse", "strongest", "lift-sparse" }, { "sparse", "own", "lift-sparse-own" },
    { "all", "strongest", "lift-all" }, { "all", "own", "lift-all-own" },
  };
  for (guint f = 0; f < G_N_ELEMENTS (forests) && r->headline_k > 0; f++)
    {
      ScalrPlot *p = scalr_run_results_forest (r, forests[f].segment, "recall", r->headline_k, forests[f].reference);
      if (p)
        {
          g_ptr_array_add (plots, p);
          g_strv_builder_add (ids, forests[f].id);
        }
    }
  if (out_ids)
    *out_ids = g_strv_builder_end (ids);
  return plots;
}
