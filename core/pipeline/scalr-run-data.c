/* scalr-run-data.c — a stored run's config, documents and JSON view. */
#include "config.h"

#include "scalr-run-data.h"

#include <math.h>

#include "scalr-format.h"
#include "scalr-synthetic.h"

G_DEFINE_QUARK (scalr-run-data-error-quark, scalr_run_data_error)

ScalrConfig *
scalr_run_dup_config (const ScalrRunInfo *run, GError **error)
{
  g_return_val_if_fail (run != NULL, NULL);
  g_autofree char *name = g_strdup_printf ("run %" G_GINT64_FORMAT "'s stored config", run->id);
  return scalr_config_new_from_data (run->config ? run->config : "", -1, name, error);
}

JsonNode *
scalr_run_load_document (ScalrStore *store, gint64 run_id, const char *kind, const char *name, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) bytes = scalr_store_load_artifact (store, run_id, kind, name, &local);
  if (bytes == NULL)
    {
      if (!g_error_matches (local, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;   /* absent: not an error */
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, SCALR_RUN_DATA_ERROR, SCALR_RUN_DATA_ERROR_INVALID,
                   "run %" G_GINT64_FORMAT ": the stored %s/%s document does not parse: %s", run_id, kind,
                   name, local->message);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
scalr_config_to_json (const ScalrConfig *config)
{
  JsonObject *root = json_object_new ();
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      {
        if (!json_object_has_member (root, p->group))
          json_object_set_object_member (root, p->group, json_object_new ());
        json_object_set_string_member (json_object_get_object_member (root, p->group), p->key,
                                       scalr_config_get (config, p->group, p->key));
      }
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

JsonObject *
scalr_metric_row_to_json (const ScalrMetricRow *m)
{
  JsonObject *row = json_object_new ();
  json_object_set_string_member (row, "model", m->model);
  json_object_set_string_member (row, "variant", m->variant);
  json_object_set_string_member (row, "segment", m->segment);
  json_object_set_string_member (row, "metric", m->metric);
  json_object_set_int_member (row, "k", m->k);
  scalr_format_json_number (row, "value", m->value);
  json_object_set_int_member (row, "n_users", m->n_users);
  return row;
}

JsonObject *
scalr_lift_row_to_json (const ScalrLiftRow *l)
{
  JsonObject *row = json_object_new ();
  json_object_set_string_member (row, "model", l->model);
  json_object_set_string_member (row, "segment", l->segment);
  json_object_set_string_member (row, "metric", l->metric);
  json_object_set_int_member (row, "k", l->k);
  json_object_set_string_member (row, "reference", l->reference);
  json_object_set_boolean_member (row, "also_strongest", l->also_strongest);
  json_object_set_string_member (row, "baseline_model", l->baseline_model);
  scalr_format_json_number (row, "base_mean", l->base_mean);
  scalr_format_json_number (row, "aug_mean", l->aug_mean);
  scalr_format_json_number (row, "lift", l->lift);
  scalr_format_json_number (row, "ci_low", l->ci_low);
  scalr_format_json_number (row, "ci_high", l->ci_high);
  scalr_format_json_number (row, "level", l->level);
  scalr_format_json_number (row, "p_t", l->p_t);
  scalr_format_json_number (row, "p_wilcoxon", l->p_wilcoxon);
  scalr_format_json_number (row, "p_holm", l->p_holm);
  json_object_set_int_member (row, "n_users", l->n_users);
  if (l->note)
    json_object_set_string_member (row, "note", l->note);
  else
    json_object_set_null_member (row, "note");
  return row;
}

JsonObject *
scalr_run_info_to_json (const ScalrRunInfo *r)
{
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "run_id", r->id);
  json_object_set_string_member (o, "name", r->name);
  json_object_set_string_member (o, "status", scalr_run_status_to_string (r->status));
  json_object_set_string_member (o, "dataset", r->dataset);
  json_object_set_string_member (o, "fingerprint", r->fingerprint);
  json_object_set_int_member (o, "seed", (gint64) r->seed);
  json_object_set_string_member (o, "code_version", r->code_version);
  json_object_set_string_member (o, "created_at", r->created_at);
  json_object_set_string_member (o, "finished_at", r->finished_at);
  json_object_set_string_member (o, "error", r->error);
  if (r->group_id > 0)
    json_object_set_int_member (o, "group_id", r->group_id);
  else
    json_object_set_null_member (o, "group_id");
  json_object_set_string_member (o, "note", r->note);
  json_object_set_string_member (o, "tags", r->tags);
  return o;
}

/* The stored diagnostics (@node, taken) through the one reader and writer: undefined numbers
 * as null also in documents stored before they were (version 1). The store has validated
 * the document, so it reads; one that does not is passed through as stored. */
static JsonNode *
diagnostics_through_reader (JsonNode *node)
{
  g_autoptr (ScalrDiagnostics) d = scalr_diagnostics_from_json (node, NULL);
  if (d == NULL)
    return node;
  json_node_unref (node);
  return scalr_diagnostics_to_json (d);
}

/* timings, the summary's members, synthetic and downstream: what the stages stored. */
static gboolean
add_stored_documents (JsonObject *o, ScalrStore *store, gint64 run_id, GError **error)
{
  g_autoptr (GPtrArray) stages = NULL;
  g_autoptr (GArray) secs = NULL;
  if (!scalr_store_load_timings (store, run_id, &stages, &secs, error))
    return FALSE;
  JsonObject *timings = json_object_new ();
  for (guint k = 0; k < stages->len; k++)
    json_object_set_double_member (timings, g_ptr_array_index (stages, k), g_array_index (secs, double, k));
  json_object_set_object_member (o, "timings", timings);

  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) summary = scalr_run_load_document (store, run_id, "summary", "run", &local);
  if (summary && JSON_NODE_HOLDS_OBJECT (summary))
    {
      JsonObject *s = json_node_get_object (summary);
      g_autoptr (GList) members = json_object_get_members (s);
      for (GList *l = members; l; l = l->next)
        json_object_set_member (o, l->data, json_node_copy (json_object_get_member (s, l->data)));
    }
  JsonNode *diag = local ? NULL : scalr_run_load_document (store, run_id, "diagnostics", "synthetic", &local);
  if (diag)
    json_object_set_member (o, "synthetic", diagnostics_through_reader (diag));
  JsonNode *down = local ? NULL : scalr_run_load_document (store, run_id, "summary", "downstream", &local);
  if (down)
    json_object_set_member (o, "downstream", down);
  /* What `scalr tune` and replicated runs add. */
  const char *const extra[] = { "tuning", "replicates" };
  for (guint k = 0; k < G_N_ELEMENTS (extra) && local == NULL; k++)
    {
      JsonNode *node = scalr_run_load_document (store, run_id, "summary", extra[k], &local);
      if (node)
        json_object_set_member (o, extra[k], node);
    }
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_rows (JsonObject *o, ScalrStore *store, gint64 run_id, GError **error)
{
  g_autoptr (GArray) metrics = scalr_store_load_metrics (store, run_id, error);
  g_autoptr (GArray) lifts = metrics ? scalr_store_load_lifts (store, run_id, error) : NULL;
  if (lifts == NULL)
    return FALSE;
  JsonArray *ma = json_array_new ();
  for (guint k = 0; k < metrics->len; k++)
    json_array_add_object_element (ma, scalr_metric_row_to_json (&g_array_index (metrics, ScalrMetricRow, k)));
  json_object_set_array_member (o, "metrics", ma);
  JsonArray *la = json_array_new ();
  for (guint k = 0; k < lifts->len; k++)
    json_array_add_object_element (la, scalr_lift_row_to_json (&g_array_index (lifts, ScalrLiftRow, k)));
  json_object_set_array_member (o, "lifts", la);
  return TRUE;
}

JsonNode *
scalr_run_to_json (ScalrStore *store, gint64 run_id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_autoptr (ScalrRunInfo) r = scalr_store_load_run (store, run_id, error);
  g_autoptr (ScalrConfig) c = r ? scalr_run_dup_config (r, error) : NULL;
  ScalrRunCheck check;
  if (c == NULL || !scalr_store_check_run (store, run_id, &check, error))
    return NULL;
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, scalr_run_info_to_json (r));
  JsonObject *o = json_node_get_object (root);
  /* "verified": its checksum matched; "none": finished before schema 6, or not finished. */
  json_object_set_string_member (o, "checksum", check.has_checksum ? "verified" : "none");
  json_object_set_member (o, "config", scalr_config_to_json (c));
  if (!add_stored_documents (o, store, run_id, error) || !add_rows (o, store, run_id, error))
    return NULL;
  return g_steal_pointer (&root);
}

JsonObject *
scalr_dataset_info_to_json (const ScalrDatasetInfo *i)
{
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "id", i->id);
  json_object_set_string_member (o, "name", i->name);
  json_object_set_int_member (o, "events", (gint64) i->n_events);
  json_object_set_int_member (o, "users", i->n_users);
  json_object_set_int_member (o, "items", i->n_items);
  json_object_set_int_member (o, "duplicates_merged", (gint64) i->n_duplicates);
  json_object_set_string_member (o, "created_at", i->created_at);
  json_object_set_string_member (o, "events_source", i->events_source);
  json_object_set_string_member (o, "items_source", i->items_source);
  json_object_set_string_member (o, "fingerprint", i->fingerprint);
  return o;
}

double
scalr_json_get_number (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NAN;
  GType t = json_node_get_value_type (n);
  return t == G_TYPE_DOUBLE || t == G_TYPE_INT64 ? json_node_get_double (n) : NAN;
}
