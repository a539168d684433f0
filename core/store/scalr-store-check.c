/* scalr-store-check.c — what a blob, row or document read from the store must be before
 * anything uses it: one validator per kind, and the check of a whole run. A bit flipped in a
 * stored run (SQLite's integrity check cannot see it) becomes a DAMAGED error naming the run
 * and the first fault, never an out-of-range read. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "scalr-store-private.h"

gboolean
_scalr_check_text (ScalrStore *store, gint64 run_id, sqlite3_stmt *st, int col, gboolean nullable,
                   const char *what, GError **error)
{
  int type = sqlite3_column_type (st, col);
  if (type == SQLITE_NULL && nullable)
    return TRUE;
  const char *t = (const char *) sqlite3_column_text (st, col);
  if (type != SQLITE_TEXT || t == NULL || (!nullable && t[0] == '\0')
      || !g_utf8_validate (t, sqlite3_column_bytes (st, col), NULL)
      || (int) strlen (t) != sqlite3_column_bytes (st, col))
    return _scalr_store_damaged (store, run_id, error, "%s is not a text", what);
  return TRUE;
}

gboolean
_scalr_check_number (ScalrStore *store, gint64 run_id, sqlite3_stmt *st, int col, const char *what,
                     GError **error)
{
  int type = sqlite3_column_type (st, col);
  if (type == SQLITE_NULL)
    return TRUE;   /* undefined */
  if ((type != SQLITE_FLOAT && type != SQLITE_INTEGER) || !isfinite (sqlite3_column_double (st, col)))
    return _scalr_store_damaged (store, run_id, error, "%s is not a finite number", what);
  return TRUE;
}

gboolean
_scalr_check_synthetic (ScalrStore *store, gint64 run_id, const ScalrSyntheticEvents *ev,
                        const ScalrRunCheck *shape, GError **error)
{
  for (guint64 k = 0; k < ev->n; k++)
    {
      if (ev->user[k] >= shape->n_users)
        return _scalr_store_damaged (store, run_id, error, "synthetic event %" G_GUINT64_FORMAT " names user %u; "
                                     "the dataset has %u users", k + 1, ev->user[k], shape->n_users);
      if (ev->item[k] >= shape->n_target_items)
        return _scalr_store_damaged (store, run_id, error, "synthetic event %" G_GUINT64_FORMAT " names target item %u; "
                                     "the run has %u target items", k + 1, ev->item[k], shape->n_target_items);
      if (k > 0 && (ev->user[k] < ev->user[k - 1] || (ev->user[k] == ev->user[k - 1] && ev->item[k] <= ev->item[k - 1])))
        return _scalr_store_damaged (store, run_id, error, "synthetic event %" G_GUINT64_FORMAT " is out of (user, item) "
                                     "order", k + 1);
      if (!(ev->prob[k] >= 0.0f && ev->prob[k] <= 1.0f))
        return _scalr_store_damaged (store, run_id, error, "synthetic event %" G_GUINT64_FORMAT " has probability %g, "
                                     "not in [0, 1]", k + 1, ev->prob[k]);
      if (!(isfinite (ev->weight[k]) && ev->weight[k] >= 0.0f))
        return _scalr_store_damaged (store, run_id, error, "synthetic event %" G_GUINT64_FORMAT " has weight %g, "
                                     "not a finite non-negative number", k + 1, ev->weight[k]);
      if (ev->count[k] == 0)
        return _scalr_store_damaged (store, run_id, error, "synthetic event %" G_GUINT64_FORMAT " was drawn 0 times",
                                     k + 1);
    }
  return TRUE;
}

gboolean
_scalr_check_users (ScalrStore *store, gint64 run_id, const char *what, const guint32 *users, guint n,
                    const ScalrRunCheck *shape, GError **error)
{
  for (guint i = 0; i < n; i++)
    {
      if (users[i] >= shape->n_users)
        return _scalr_store_damaged (store, run_id, error, "%s name user %u at position %u; the dataset has %u users",
                                     what, users[i], i + 1, shape->n_users);
      if (i > 0 && users[i] <= users[i - 1])
        return _scalr_store_damaged (store, run_id, error, "%s list their users out of order at position %u",
                                     what, i + 1);
    }
  return TRUE;
}

gboolean
_scalr_check_user_values (ScalrStore *store, gint64 run_id, const char *what, const double *values, guint n,
                          GError **error)
{
  for (guint i = 0; i < n; i++)
    if (isinf (values[i]))   /* NaN is a stored "undefined for this user" */
      return _scalr_store_damaged (store, run_id, error, "%s hold %g at position %u, not a finite number",
                                   what, values[i], i + 1);
  return TRUE;
}

gboolean
_scalr_check_recs (ScalrStore *store, gint64 run_id, const char *what, guint max_k, guint n_users,
                   const guint32 *items, const float *scores, const ScalrRunCheck *shape, GError **error)
{
  for (guint u = 0; u < n_users; u++)
    {
      gboolean ended = FALSE;
      for (guint r = 0; r < max_k; r++)
        {
          gsize at = (gsize) u * max_k + r;
          if (items[at] == G_MAXUINT32)   /* no item at this rank: neither at any later one */
            {
              ended = TRUE;
              continue;
            }
          if (ended)
            return _scalr_store_damaged (store, run_id, error, "%s have item %u after the end of list %u",
                                         what, items[at], u + 1);
          if (items[at] >= shape->n_target_items)
            return _scalr_store_damaged (store, run_id, error, "%s name target item %u in list %u; the run has %u target items",
                                         what, items[at], u + 1, shape->n_target_items);
          if (!isfinite (scores[at]))
            return _scalr_store_damaged (store, run_id, error, "%s give item %u of list %u the score %g",
                                         what, items[at], u + 1, scores[at]);
        }
    }
  return TRUE;
}

/* ---- documents ---------------------------------------------------------------------- */

typedef enum { NUM, NUM_OR_NULL, INT, STR, BOOL, OBJ, ARR, ANY } Kind;

static gboolean
node_is (JsonNode *n, Kind kind)
{
  if (kind == ANY)
    return TRUE;
  if (kind == OBJ)
    return JSON_NODE_HOLDS_OBJECT (n);
  if (kind == ARR)
    return JSON_NODE_HOLDS_ARRAY (n);
  if (kind == NUM_OR_NULL && JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType t = json_node_get_value_type (n);
  switch (kind)
    {
    case NUM: case NUM_OR_NULL: return t == G_TYPE_DOUBLE || t == G_TYPE_INT64;
    case INT:  return t == G_TYPE_INT64 && json_node_get_int (n) >= 0;
    case STR:  return t == G_TYPE_STRING;
    case BOOL: return t == G_TYPE_BOOLEAN;
    default:   return FALSE;
    }
}

typedef struct {
  const char *name;
  Kind        kind;
} Member;

/* The first of @spec's members that @o holds with another kind (NULL: none); members not
 * in @spec are not the readers' business here. */
static const char *
members_typed (JsonObject *o, const Member *spec, guint n)
{
  for (guint k = 0; k < n; k++)
    {
      JsonNode *m = json_object_get_member (o, spec[k].name);
      if (m && !node_is (m, spec[k].kind))
        return spec[k].name;
    }
  return NULL;
}

/* The member @name of @o when it is an object (NULL: absent or not an object). */
static JsonObject *
object_member (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* summary/run: the split's and the sampler's counts, the generator's model and τ, the
 * alignment's divergences, as the readers take them. Returns the first member that is not
 * what they expect (NULL: none). */
static const char *
summary_run_fault (JsonObject *o)
{
  static const Member split[] = {
    { "users", INT }, { "source_users", INT }, { "overlap_users", INT }, { "tested_users", INT },
    { "sparse_users", INT }, { "cold_users", INT }, { "valid_users", INT }, { "train_events", INT },
    { "valid_events", INT }, { "test_events", INT }, { "dropped_events", INT }, { "source_events", INT },
    { "source_items", INT }, { "target_items", INT },
  };
  static const Member generator[] = {
    { "model", STR }, { "temperature", NUM_OR_NULL }, { "temperature_fitted", BOOL },
    { "temperature_status", STR }, { "valid_log_lik", NUM_OR_NULL },
  };
  static const Member sampler[] = {
    { "users", INT }, { "draws", INT }, { "below_min_prob", INT }, { "below_support", INT }, { "seen", INT },
    { "capped", INT }, { "aligned_out", INT }, { "temperature", NUM_OR_NULL }, { "temperature_status", STR },
  };
  static const Member alignment[] = {
    { "bucket_jsd_before", NUM_OR_NULL }, { "jsd_before", NUM_OR_NULL }, { "jsd_after", NUM_OR_NULL },
  };
  static const struct { const char *name; const Member *spec; guint n; } groups[] = {
    { "split", split, G_N_ELEMENTS (split) }, { "generator", generator, G_N_ELEMENTS (generator) },
    { "sampler", sampler, G_N_ELEMENTS (sampler) }, { "alignment", alignment, G_N_ELEMENTS (alignment) },
  };
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    if (json_object_has_member (o, groups[g].name))
      {
        JsonObject *m = object_member (o, groups[g].name);
        if (m == NULL)
          return groups[g].name;
        const char *bad = members_typed (m, groups[g].spec, groups[g].n);
        if (bad)
          return bad;
      }
  return NULL;
}

/* summary/downstream: counts, the models' rows and the warnings as the readers take them. */
static const char *
summary_downstream_fault (JsonObject *o)
{
  const struct { const char *name; Kind kind; } spec[] = {
    { "evaluated_users", INT }, { "models", ARR }, { "ci_level", NUM_OR_NULL }, { "bootstrap", INT },
    { "bootstrap_seconds", NUM_OR_NULL }, { "warnings", ARR },
  };
  for (guint k = 0; k < G_N_ELEMENTS (spec); k++)
    {
      JsonNode *n = json_object_get_member (o, spec[k].name);
      if (n && !node_is (n, spec[k].kind))
        return spec[k].name;
    }
  JsonNode *w = json_object_get_member (o, "warnings");
  for (guint i = 0; w && i < json_array_get_length (json_node_get_array (w)); i++)
    if (!node_is (json_array_get_element (json_node_get_array (w), i), STR))
      return "warnings";
  JsonNode *m = json_object_get_member (o, "models");
  for (guint i = 0; m && i < json_array_get_length (json_node_get_array (m)); i++)
    {
      JsonNode *row = json_array_get_element (json_node_get_array (m), i);
      if (!JSON_NODE_HOLDS_OBJECT (row))
        return "models";
      JsonObject *r = json_node_get_object (row);
      JsonNode *model = json_object_get_member (r, "model"), *variant = json_object_get_member (r, "variant");
      if (!model || !variant || !node_is (model, STR) || !node_is (variant, STR))
        return "models";
    }
  return NULL;
}

static gboolean
check_document (ScalrStore *store, gint64 run_id, const char *kind, const char *name, GBytes *data,
                GError **error)
{
  gsize len;
  const char *text = g_bytes_get_data (data, &len);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (len > G_MAXSSIZE || !json_parser_load_from_data (parser, text ? text : "", (gssize) len, &local))
    return _scalr_store_damaged (store, run_id, error, "its %s/%s document does not parse (%s)", kind, name,
                                 local ? local->message : "too large");
  JsonNode *root = json_parser_get_root (parser);
  gboolean known = strcmp (kind, "diagnostics") == 0
                   || (strcmp (kind, "summary") == 0 && (strcmp (name, "run") == 0 || strcmp (name, "downstream") == 0));
  if (root == NULL || (!JSON_NODE_HOLDS_OBJECT (root) && (known || !JSON_NODE_HOLDS_ARRAY (root))))
    return _scalr_store_damaged (store, run_id, error, "its %s/%s document is not a JSON %s", kind, name,
                                 known ? "object" : "object or array");
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;   /* a document of another kind: its reader checks its members */
  JsonObject *o = json_node_get_object (root);
  const char *fault = NULL;
  if (strcmp (kind, "diagnostics") == 0)
    {
      g_autoptr (ScalrDiagnostics) d = scalr_diagnostics_from_json (root, &local);
      if (d == NULL)
        return _scalr_store_damaged (store, run_id, error, "its %s/%s document: %s", kind, name, local->message);
    }
  else if (strcmp (kind, "summary") == 0 && strcmp (name, "run") == 0)
    fault = summary_run_fault (o);
  else if (strcmp (kind, "summary") == 0 && strcmp (name, "downstream") == 0)
    fault = summary_downstream_fault (o);
  if (fault)
    return _scalr_store_damaged (store, run_id, error, "its %s/%s document has an ill-typed member '%s'", kind,
                                 name, fault);
  return TRUE;
}

gboolean
_scalr_check_artifact (ScalrStore *store, gint64 run_id, const char *kind, const char *name,
                       const char *content_type, GBytes *data, const ScalrRunCheck *shape, GError **error)
{
  if (g_strcmp0 (content_type, "application/json") == 0)
    return check_document (store, run_id, kind, name, data, error);
  if (g_strcmp0 (kind, "split") == 0 && g_strcmp0 (name, "assignment") == 0)
    {
      gsize len;
      const guint8 *a = g_bytes_get_data (data, &len);
      if (shape->has_checksum && len != shape->n_target_events)
        return _scalr_store_damaged (store, run_id, error, "its split assignment holds %" G_GSIZE_FORMAT
                                     " target events; it had %" G_GUINT64_FORMAT, len, shape->n_target_events);
      for (gsize k = 0; k < len; k++)
        if (a[k] > 3)   /* train, valid, test, dropped */
          return _scalr_store_damaged (store, run_id, error, "its split assignment puts target event %"
                                       G_GSIZE_FORMAT " in part %u (train, valid, test, dropped: 0–3)", k + 1, a[k]);
    }
  return TRUE;
}

/* ---- a whole run -------------------------------------------------------------------- */

typedef struct {
  ScalrStore *store;
  gint64      run_id;
  guint32    *users;      /* the first vector's users: every vector and list names the same */
  guint       n_users;
  gboolean    have_users, mismatch;
} SameUsers;

static void
same_users (SameUsers *s, const guint32 *users, guint n)
{
  if (!s->have_users)
    {
      s->users = n ? g_memdup2 (users, (gsize) n * 4) : NULL;
      s->n_users = n;
      s->have_users = TRUE;
    }
  else if (!s->mismatch && (n != s->n_users || memcmp (users, s->users, (gsize) n * 4) != 0))
    s->mismatch = TRUE;
}

static void
user_metrics_cb (const char *model, const char *variant, const char *metric, guint k, const guint32 *users,
                 const double *values, guint n, gpointer data)
{
  same_users (data, users, n);
}

static void
recs_cb (const char *model, const char *variant, guint max_k, const guint32 *users, guint n_users,
         const guint32 *items, const float *scores, gpointer data)
{
  same_users (data, users, n_users);
}

/* Every artifact of the run, through the validating getter. */
static gboolean
check_artifacts (ScalrStore *store, gint64 run_id, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT kind, name FROM run_artifacts WHERE run_id = ? ORDER BY kind, name", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      g_autofree char *kind = g_strdup ((const char *) sqlite3_column_text (st, 0));
      g_autofree char *name = g_strdup ((const char *) sqlite3_column_text (st, 1));
      if (kind == NULL || name == NULL)
        return _scalr_store_damaged (store, run_id, error, "an artifact has no kind or name");
      g_autoptr (GBytes) b = scalr_store_load_artifact (store, run_id, kind, name, error);
      if (b == NULL)
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "reading run artifacts", error);
      return FALSE;
    }
  return TRUE;
}

/* The diagnostics count the events and draws stored (when both are there). */
static gboolean
check_counts (ScalrStore *store, gint64 run_id, const ScalrSyntheticEvents *ev, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) b = scalr_store_load_artifact (store, run_id, "diagnostics", "synthetic", &local);
  if (b == NULL)
    {
      if (g_error_matches (local, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (b, &len);
  if (!json_parser_load_from_data (parser, text, (gssize) len, NULL))
    return _scalr_store_damaged (store, run_id, error, "its diagnostics do not parse");
  g_autoptr (ScalrDiagnostics) d = scalr_diagnostics_from_json (json_parser_get_root (parser), NULL);
  if (d == NULL)
    return _scalr_store_damaged (store, run_id, error, "its diagnostics do not read");
  if (d->events != ev->n || d->draws != ev->draws)
    return _scalr_store_damaged (store, run_id, error, "its diagnostics count %" G_GUINT64_FORMAT " synthetic events ("
                                 "%" G_GUINT64_FORMAT " draws); %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT ") are stored",
                                 d->events, d->draws, ev->n, ev->draws);
  return TRUE;
}

gboolean
scalr_store_check_run (ScalrStore *store, gint64 run_id, ScalrRunCheck *out, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  ScalrRunCheck shape;
  if (!_scalr_store_run_shape (store, run_id, &shape, error))
    return FALSE;
  for (ScalrRunPart p = 0; p < SCALR_RUN_N_PARTS; p++)
    if (!_scalr_store_verify_part (store, run_id, p, error))
      return FALSE;
  if (!check_artifacts (store, run_id, error))
    return FALSE;
  g_autoptr (ScalrSyntheticEvents) ev = scalr_store_load_synthetic (store, run_id, error);
  if (ev == NULL || !check_counts (store, run_id, ev, error))
    return FALSE;
  g_autoptr (GArray) metrics = scalr_store_load_metrics (store, run_id, error);
  if (metrics == NULL)
    return FALSE;
  g_autoptr (GArray) lifts = scalr_store_load_lifts (store, run_id, error);
  if (lifts == NULL)
    return FALSE;
  SameUsers su = { store, run_id, NULL, 0, FALSE, FALSE };
  gboolean ok = scalr_store_foreach_user_metrics (store, run_id, user_metrics_cb, &su, error)
                && scalr_store_foreach_recs (store, run_id, recs_cb, &su, error);
  if (ok && su.mismatch)
    ok = _scalr_store_damaged (store, run_id, error, "its per-user values and top-K lists do not name the same "
                               "evaluated users");
  g_free (su.users);
  if (!ok)
    return FALSE;
  if (out)
    *out = shape;
  return TRUE;
}
