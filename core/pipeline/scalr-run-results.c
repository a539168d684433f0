/* scalr-run-results.c — one run's results read from the store. */
#include "config.h"

#include "scalr-run-results.h"

#include <math.h>
#include <stdlib.h>

#include "scalr-lift-table.h"
#include "scalr-run-data.h"
#include "scalr-topk.h"

G_DEFINE_QUARK (scalr-run-results-error-quark, scalr_run_results_error)

static gboolean
has_string (GPtrArray *a, const char *s)
{
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), s) == 0)
      return TRUE;
  return FALSE;
}

/* The diagnostics, the run summary and the evaluation's warnings, each when stored. */
static gboolean
load_documents (ScalrRunResults *r, ScalrStore *store, GError **error)
{
  gint64 id = r->info->id;
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) dnode = scalr_run_load_document (store, id, "diagnostics", "synthetic", &local);
  g_autoptr (JsonNode) snode = local ? NULL : scalr_run_load_document (store, id, "summary", "run", &local);
  g_autoptr (JsonNode) down = local ? NULL : scalr_run_load_document (store, id, "summary", "downstream", &local);
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (dnode && (r->diag = scalr_diagnostics_from_json (dnode, error)) == NULL)
    return FALSE;
  if (snode && JSON_NODE_HOLDS_OBJECT (snode))
    r->summary = json_object_ref (json_node_get_object (snode));
  g_autoptr (GStrvBuilder) wb = g_strv_builder_new ();
  JsonObject *dobj = down && JSON_NODE_HOLDS_OBJECT (down) ? json_node_get_object (down) : NULL;
  JsonArray *wa = dobj && json_object_has_member (dobj, "warnings") ? json_object_get_array_member (dobj, "warnings") : NULL;
  for (guint i = 0; wa && i < json_array_get_length (wa); i++)
    g_strv_builder_add (wb, json_array_get_string_element (wa, i));
  r->warnings = g_strv_builder_end (wb);
  return TRUE;
}

/* Models in the order of the config, then any others the rows name; the cut-offs K > 0. */
static void
order_models_and_ks (ScalrRunResults *r)
{
  r->models = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) names = scalr_config_get_list (r->config, "downstream", "models");
  for (guint i = 0; names && names[i]; i++)
    {
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
  g_array_sort (r->ks, scalr_cmp_u32);
  r->headline_k = scalr_headline_k ((const guint *) r->ks->data, r->ks->len);
}

ScalrRunResults *
scalr_run_results_load (ScalrStore *store, gint64 run_id, gboolean require_finished, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_autoptr (ScalrRunResults) r = g_new0 (ScalrRunResults, 1);
  r->info = scalr_store_load_run (store, run_id, error);
  if (r->info == NULL)
    return NULL;
  if (require_finished && r->info->status != SCALR_RUN_FINISHED)
    {
      g_set_error (error, SCALR_RUN_RESULTS_ERROR, SCALR_RUN_RESULTS_ERROR_NOT_FINISHED,
                   "run %" G_GINT64_FORMAT " is %s, not finished: it has no results to show", run_id,
                   scalr_run_status_to_string (r->info->status));
      return NULL;
    }
  /* Every blob, row and document of the run valid, and its checksum matching (DAMAGED). */
  if (!scalr_store_check_run (store, run_id, &r->check, error))
    return NULL;
  if ((r->config = scalr_run_dup_config (r->info, error)) == NULL
      || !load_documents (r, store, error)
      || (r->metrics = scalr_store_load_metrics (store, run_id, error)) == NULL
      || (r->lifts = scalr_store_load_lifts (store, run_id, error)) == NULL)
    return NULL;
  order_models_and_ks (r);
  return g_steal_pointer (&r);
}

void
scalr_run_results_free (ScalrRunResults *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->info, scalr_run_info_free);
  g_clear_pointer (&r->config, scalr_config_free);
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
  if (scalr_config_lookup_param (group, key) == NULL)
    return NULL;
  return g_strdup (scalr_config_get (r->config, group, key));
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
    {
      JsonObject *g = r->summary && json_object_has_member (r->summary, "generator")
                      ? json_object_get_object_member (r->summary, "generator") : NULL;
      gboolean fitted = g && json_object_has_member (g, "temperature_fitted")
                        && json_object_get_boolean_member (g, "temperature_fitted");
      gen = g_strdup_printf ("Generator: %s, τ = %.3g%s", generator_model ? generator_model : "?", tau,
                             g_strcmp0 (generator_temperature, "auto") != 0 ? ""
                             : fitted ? " (fitted on validation users)" : " (undefined: no validation events)");
    }
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
  return scalr_lifts_find ((const ScalrLiftRow *) r->lifts->data, r->lifts->len, model, segment, metric, k,
                           reference);
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
