/* scalr-tuning.c — a tuned run's trials and selection, a replicated run's spread. */
#include "config.h"

#include "scalr-tuning.h"

#include "scalr-run-data.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (scalr-tuning-error-quark, scalr_tuning_error)

/* ---- reading members ------------------------------------------------------------------ */

static gboolean
fail (GError **error, const char *doc, const char *member, const char *expected)
{
  g_set_error (error, SCALR_TUNING_ERROR, SCALR_TUNING_ERROR_FORMAT, "%s: member \"%s\": expected %s", doc, member,
               expected);
  return FALSE;
}

/* A number member: null → NaN; absent → @fallback when @optional, else an error. */
static gboolean
get_number (JsonObject *o, const char *member, gboolean optional, double fallback, double *out, const char *doc,
            GError **error)
{
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL)
    {
      *out = fallback;
      return optional || fail (error, doc, member, "a number");
    }
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *out = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || (json_node_get_value_type (n) != G_TYPE_DOUBLE
                                     && json_node_get_value_type (n) != G_TYPE_INT64))
    return fail (error, doc, member, "a number or null");
  *out = json_node_get_double (n);
  return TRUE;
}

static const char *
get_string (JsonObject *o, const char *member, const char *doc, GError **error)
{
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      fail (error, doc, member, "a string");
      return NULL;
    }
  return json_node_get_string (n);
}

static JsonObject *
get_object (JsonObject *o, const char *member, const char *doc, GError **error)
{
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    {
      fail (error, doc, member, "an object");
      return NULL;
    }
  return json_node_get_object (n);
}

static JsonArray *
get_array (JsonObject *o, const char *member, const char *doc, GError **error)
{
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    {
      fail (error, doc, member, "an array");
      return NULL;
    }
  return json_node_get_array (n);
}

static JsonObject *
element_object (JsonArray *a, guint i, const char *doc, const char *member, GError **error)
{
  JsonNode *n = json_array_get_element (a, i);
  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      fail (error, doc, member, "an array of objects");
      return NULL;
    }
  return json_node_get_object (n);
}

/* ---- tuning ----------------------------------------------------------------------------- */

static void
trial_free (ScalrTuningTrial *t)
{
  g_strfreev (t->values);
  g_free (t->validation);
  g_free (t);
}

void
scalr_tuning_free (ScalrTuning *t)
{
  if (t == NULL)
    return;
  g_free (t->objective);
  g_free (t->segment);
  g_strfreev (t->keys);
  g_strfreev (t->models);
  g_clear_pointer (&t->trials, g_ptr_array_unref);
  g_free (t->selected);
  g_free (t);
}

guint
scalr_tuning_get_n_models (const ScalrTuning *t)
{
  return g_strv_length (t->models);
}

gint
scalr_tuning_find_model (const ScalrTuning *t, const char *model)
{
  for (guint m = 0; t->models[m]; m++)
    if (g_strcmp0 (t->models[m], model) == 0)
      return (gint) m;
  return -1;
}

gint
scalr_tuning_best_model (const ScalrTuning *t)
{
  gint best = -1;
  for (guint m = 0; t->models[m]; m++)
    {
      double v = t->selected[2 * m + 1].validation;
      if (isfinite (v) && (best < 0 || v > t->selected[2 * best + 1].validation))
        best = (gint) m;
    }
  return best;
}

static gboolean
read_space (ScalrTuning *t, JsonObject *root, GError **error)
{
  JsonArray *space = get_array (root, "space", "tuning", error);
  if (space == NULL)
    return FALSE;
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (guint d = 0; d < json_array_get_length (space); d++)
    {
      JsonObject *dim = element_object (space, d, "tuning", "space", error);
      const char *key = dim ? get_string (dim, "key", "tuning space", error) : NULL;
      if (key == NULL)
        return FALSE;
      g_strv_builder_add (b, key);
    }
  t->keys = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
read_trial (ScalrTuning *t, JsonObject *o, GError **error)
{
  guint n_models = scalr_tuning_get_n_models (t), n_keys = g_strv_length (t->keys);
  ScalrTuningTrial *tr = g_new0 (ScalrTuningTrial, 1);
  g_ptr_array_add (t->trials, tr);
  tr->index = t->trials->len - 1;
  tr->validation = g_new (double, MAX (2 * n_models, 1));
  tr->values = g_new0 (char *, n_keys + 1);
  JsonObject *params = get_object (o, "params", "tuning trial", error);
  JsonObject *val = params ? get_object (o, "validation", "tuning trial", error) : NULL;
  if (val == NULL || !get_number (o, "seconds", TRUE, NAN, &tr->seconds, "tuning trial", error))
    return FALSE;
  for (guint k = 0; k < n_keys; k++)
    {
      JsonNode *v = json_object_get_member (params, t->keys[k]);
      if (v && JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
        tr->values[k] = g_strdup (json_node_get_string (v));
    }
  for (guint m = 0; m < n_models; m++)
    {
      JsonObject *mo = json_object_has_member (val, t->models[m]) ? get_object (val, t->models[m], "tuning trial", error)
                                                                   : NULL;
      if (mo == NULL && json_object_has_member (val, t->models[m]))
        return FALSE;
      tr->validation[2 * m] = tr->validation[2 * m + 1] = NAN;
      if (mo && (!get_number (mo, "baseline", TRUE, NAN, &tr->validation[2 * m], "tuning trial", error)
                 || !get_number (mo, "augmented", TRUE, NAN, &tr->validation[2 * m + 1], "tuning trial", error)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_choice (JsonObject *variant, ScalrTuningChoice *c, GError **error)
{
  double trial;
  if (!get_number (variant, "trial", FALSE, -1, &trial, "tuning selection", error)
      || !get_number (variant, "validation", TRUE, NAN, &c->validation, "tuning selection", error)
      || !get_number (variant, "test", TRUE, NAN, &c->test, "tuning selection", error))
    return FALSE;
  c->trial = isfinite (trial) ? (gint) trial : -1;
  c->default_validation = c->default_test = NAN;
  JsonNode *def = json_object_get_member (variant, "default");
  if (def && JSON_NODE_HOLDS_OBJECT (def))
    return get_number (json_node_get_object (def), "validation", TRUE, NAN, &c->default_validation, "tuning default",
                       error)
           && get_number (json_node_get_object (def), "test", TRUE, NAN, &c->default_test, "tuning default", error);
  return TRUE;
}

static gboolean
read_selected (ScalrTuning *t, JsonObject *selected, GError **error)
{
  guint n_models = scalr_tuning_get_n_models (t);
  t->selected = g_new0 (ScalrTuningChoice, MAX (2 * n_models, 1));
  static const char *const variants[] = { "baseline", "augmented" };
  for (guint m = 0; m < n_models; m++)
    {
      JsonObject *mo = get_object (selected, t->models[m], "tuning selection", error);
      if (mo == NULL)
        return FALSE;
      for (guint v = 0; v < 2; v++)
        {
          JsonObject *vo = get_object (mo, variants[v], "tuning selection", error);
          if (vo == NULL || !read_choice (vo, &t->selected[2 * m + v], error))
            return FALSE;
        }
    }
  return TRUE;
}

ScalrTuning *
scalr_tuning_new_from_json (JsonNode *root, GError **error)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, "tuning", "(root)", "an object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  g_autoptr (ScalrTuning) t = g_new0 (ScalrTuning, 1);
  t->trials = g_ptr_array_new_with_free_func ((GDestroyNotify) trial_free);
  const char *objective = get_string (o, "objective", "tuning", error);
  const char *segment = objective ? get_string (o, "segment", "tuning", error) : NULL;
  double requested = NAN;
  if (segment == NULL || !get_number (o, "trials_requested", TRUE, NAN, &requested, "tuning", error)
      || !get_number (o, "wall_seconds", TRUE, NAN, &t->wall_seconds, "tuning", error) || !read_space (t, o, error))
    return NULL;
  t->objective = g_strdup (objective);
  t->segment = g_strdup (segment);
  t->trials_requested = isfinite (requested) && requested > 0 ? (guint) requested : 0;
  JsonObject *selected = get_object (o, "selected", "tuning", error);
  JsonArray *trials = selected ? get_array (o, "trials", "tuning", error) : NULL;
  if (trials == NULL)
    return NULL;
  /* The models, in the order the selection lists them. */
  g_autoptr (GStrvBuilder) models = g_strv_builder_new ();
  g_autoptr (GList) names = json_object_get_members (selected);
  for (GList *l = names; l; l = l->next)
    g_strv_builder_add (models, l->data);
  t->models = g_strv_builder_end (models);
  if (!read_selected (t, selected, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (trials); i++)
    {
      JsonObject *tr = element_object (trials, i, "tuning", "trials", error);
      if (tr == NULL || !read_trial (t, tr, error))
        return NULL;
    }
  return g_steal_pointer (&t);
}

/* The JSON of artifact summary/@name of a run (scalr_run_load_document); absent is
 * SCALR_STORE_ERROR_NOT_FOUND here. */
static JsonNode *
load_artifact (ScalrStore *store, gint64 run_id, const char *name, GError **error)
{
  g_autoptr (GError) local = NULL;
  JsonNode *root = scalr_run_load_document (store, run_id, "summary", name, &local);
  if (root == NULL && local == NULL)
    g_set_error (&local, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND, "run %" G_GINT64_FORMAT " has no %s document",
                 run_id, name);
  if (root == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return root;
}

ScalrTuning *
scalr_tuning_load (ScalrStore *store, gint64 run_id, GError **error)
{
  g_autoptr (JsonNode) root = load_artifact (store, run_id, "tuning", error);
  return root ? scalr_tuning_new_from_json (root, error) : NULL;
}

/* ---- replicates -------------------------------------------------------------------------- */

void
scalr_replicate_row_free (ScalrReplicateRow *r)
{
  if (r == NULL)
    return;
  g_free (r->model);
  g_free (r->segment);
  g_free (r->metric);
  g_free (r->reference);
  g_clear_pointer (&r->lifts, g_array_unref);
  g_free (r);
}

static ScalrReplicateRow *
read_replicate_row (JsonObject *o, GError **error)
{
  const char *doc = "replicates row";
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_replicate_row_free);
  ScalrReplicateRow *r = g_new0 (ScalrReplicateRow, 1);
  g_ptr_array_add (keep, r);
  r->lifts = g_array_new (FALSE, FALSE, sizeof (double));
  const char *text[4];
  const char *names[] = { "model", "segment", "metric", "reference" };
  for (guint q = 0; q < 4; q++)
    if ((text[q] = get_string (o, names[q], doc, error)) == NULL)
      return NULL;
  r->model = g_strdup (text[0]);
  r->segment = g_strdup (text[1]);
  r->metric = g_strdup (text[2]);
  r->reference = g_strdup (text[3]);
  double k, defined, above, below;
  if (!get_number (o, "k", FALSE, 0, &k, doc, error) || !get_number (o, "mean_lift", TRUE, NAN, &r->mean, doc, error)
      || !get_number (o, "sd_lift", TRUE, NAN, &r->sd, doc, error)
      || !get_number (o, "min_lift", TRUE, NAN, &r->min, doc, error)
      || !get_number (o, "max_lift", TRUE, NAN, &r->max, doc, error)
      || !get_number (o, "defined", TRUE, 0, &defined, doc, error)
      || !get_number (o, "ci_above_zero", TRUE, 0, &above, doc, error)
      || !get_number (o, "ci_below_zero", TRUE, 0, &below, doc, error))
    return NULL;
  r->k = isfinite (k) && k >= 0 ? (guint) k : 0;
  r->defined = isfinite (defined) ? (guint) defined : 0;
  r->ci_above_zero = isfinite (above) ? (guint) above : 0;
  r->ci_below_zero = isfinite (below) ? (guint) below : 0;
  JsonArray *lifts = get_array (o, "lifts", doc, error);
  if (lifts == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (lifts); i++)
    {
      JsonObject *l = element_object (lifts, i, doc, "lifts", error);
      double v;
      if (l == NULL || !get_number (l, "lift", TRUE, NAN, &v, doc, error))
        return NULL;
      g_array_append_val (r->lifts, v);
    }
  return g_ptr_array_steal_index (keep, 0);
}

GPtrArray *
scalr_replicate_rows_new_from_json (JsonNode *root, GError **error)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, "replicates", "(root)", "an object");
      return NULL;
    }
  JsonArray *rows = get_array (json_node_get_object (root), "rows", "replicates", error);
  if (rows == NULL)
    return NULL;
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_replicate_row_free);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = element_object (rows, i, "replicates", "rows", error);
      ScalrReplicateRow *r = o ? read_replicate_row (o, error) : NULL;
      if (r == NULL)
        return NULL;
      g_ptr_array_add (out, r);
    }
  return g_steal_pointer (&out);
}

GPtrArray *
scalr_replicate_rows_load (ScalrStore *store, gint64 run_id, GError **error)
{
  g_autoptr (JsonNode) root = load_artifact (store, run_id, "replicates", error);
  return root ? scalr_replicate_rows_new_from_json (root, error) : NULL;
}

const ScalrReplicateRow *
scalr_replicate_rows_find (GPtrArray *rows, const char *model, const char *segment, const char *metric, guint k,
                           const char *reference)
{
  for (guint i = 0; rows && i < rows->len; i++)
    {
      const ScalrReplicateRow *r = g_ptr_array_index (rows, i);
      if (r->k == k && g_strcmp0 (r->model, model) == 0 && g_strcmp0 (r->segment, segment) == 0
          && g_strcmp0 (r->metric, metric) == 0 && g_strcmp0 (r->reference, reference) == 0)
        return r;
    }
  return NULL;
}
