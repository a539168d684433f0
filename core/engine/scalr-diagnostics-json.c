/* scalr-diagnostics-json.c — ScalrDiagnostics ↔ JSON, versioned.
 *
 * One table describes every member: its name, where it lives in ScalrDiagnostics, its type,
 * the version that introduced it and whether it may be absent. The writer and the reader both
 * walk the table, so a new diagnostic is a struct field and a table line (with `since` set to
 * a new SCALR_DIAGNOSTICS_VERSION). json-glib's own serialisation needs GObject properties,
 * which a struct of fixed arrays does not have; the table plays their part.
 *
 * Versions: 1 — the documents stored before there was a version (no "version" member; the
 * later ones of them may hold calibration.top_n and the bins' low/high);
 * 2 — "version", "target_items", calibration.top_n and the bins' low and high.
 *
 * Reading: a member introduced after the document's version may be absent, and so may an
 * optional one in any version; an absent member takes its "not stored" value (0, an empty
 * array, NaN for a number). Any other absent member is an error naming it. Members the table
 * does not know (a newer version's) are ignored. Numbers that are not finite are written as
 * null and read back as NaN (also in arrays). Without calibration bins the ECE, and a
 * log-likelihood of exactly 0, are read as NaN: writers before undefined numbers were null
 * put 0 there for "undefined". */
#include "config.h"

#include "scalr-format.h"
#include "scalr-synthetic.h"
#include "scalr-synthetic-private.h"

#include <math.h>
#include <stddef.h>

#define ACTIVITY_BINS 24

typedef enum {
  M_U64,          /* guint64 */
  M_UINT,         /* guint */
  M_DOUBLE,       /* double (null: NaN) */
  M_DOUBLES,      /* double[max] with its length at len_offset (a guint) */
  M_U64S,         /* guint64[max], a fixed array (shorter documents leave the rest 0) */
  M_OBJECT,       /* a nested object: sub, at offset */
  M_CATEGORIES,   /* the category mix (names and two share arrays) */
  M_CALIB_BINS,   /* calibration bins (pred, obs, count) */
} MemberKind;

enum {
  OPTIONAL   = 1 << 0,   /* may be absent in any version */
  WRITE_ONLY = 1 << 1,   /* written for readers of the JSON, never read back */
};

typedef struct _Member Member;
struct _Member {
  const char   *name;
  MemberKind    kind;
  gsize         offset;       /* into the enclosing struct */
  guint         since;        /* the version that introduced it */
  guint         flags;
  guint         max;          /* arrays: capacity */
  gsize         len_offset;   /* M_DOUBLES: the guint that holds the length */
  const char   *pair;         /* M_DOUBLES: the member read before that shares the length */
  const Member *sub;          /* M_OBJECT */
};

#define D(f) offsetof (ScalrDiagnostics, f)
#define H(f) offsetof (ScalrHeldOutMatch, f)

static const Member match_members[] = {
  { "users", M_UINT, H (users), 1, 0 },
  { "synthetic", M_U64, H (synthetic), 1, 0 },
  { "held_out", M_U64, H (held_out), 1, 0 },
  { "hits", M_U64, H (hits), 1, 0 },
  { "precision", M_DOUBLE, H (precision), 1, 0 },
  { "recall", M_DOUBLE, H (recall), 1, 0 },
  { "hit_rate", M_DOUBLE, H (hit_rate), 1, 0 },
  { NULL }
};

/* The calibration object's members live in ScalrDiagnostics itself (offset 0). */
static const Member calibration_members[] = {
  { "bins", M_CALIB_BINS, 0, 1, 0, SCALR_CALIBRATION_BINS },
  { "top_n", M_UINT, D (calib_top_n), 2, 0 },
  { "ece", M_DOUBLE, D (ece), 1, 0 },
  { "temperature", M_DOUBLE, D (temperature), 1, 0 },
  { "valid_log_lik", M_DOUBLE, D (valid_log_lik), 1, 0 },
  { NULL }
};

static const Member members[] = {
  { "events", M_U64, D (events), 1, 0 },
  { "draws", M_U64, D (draws), 1, 0 },
  { "users", M_UINT, D (users), 1, 0 },
  { "real_events", M_U64, D (real_events), 1, 0 },
  { "real_users", M_UINT, D (real_users), 1, 0 },
  { "target_items", M_UINT, D (target_items), 2, 0 },
  { "coverage", M_DOUBLE, D (coverage), 1, 0 },
  { "real_coverage", M_DOUBLE, D (real_coverage), 1, 0 },
  { "gini", M_DOUBLE, D (gini), 1, 0 },
  { "real_gini", M_DOUBLE, D (real_gini), 1, 0 },
  { "jsd", M_DOUBLE, D (jsd), 1, 0 },
  { "precision", M_DOUBLE, D (all.precision), 1, WRITE_ONLY },
  { "recall", M_DOUBLE, D (all.recall), 1, WRITE_ONLY },
  { "curve_rank", M_DOUBLES, D (curve_rank), 1, 0, SCALR_CURVE_POINTS, D (n_curve) },
  { "curve_count", M_DOUBLES, D (curve_count), 1, 0, SCALR_CURVE_POINTS, D (n_curve), "curve_rank" },
  { "real_curve_rank", M_DOUBLES, D (real_curve_rank), 1, 0, SCALR_CURVE_POINTS, D (n_real_curve) },
  { "real_curve_count", M_DOUBLES, D (real_curve_count), 1, 0, SCALR_CURVE_POINTS, D (n_real_curve), "real_curve_rank" },
  { "activity", M_U64S, D (activity), 1, 0, ACTIVITY_BINS },
  { "real_activity", M_U64S, D (real_activity), 1, 0, ACTIVITY_BINS },
  { "bucket_share", M_DOUBLES, D (bucket_share), 1, 0, SCALR_MAX_BUCKETS, D (n_buckets) },
  { "real_bucket_share", M_DOUBLES, D (real_bucket_share), 1, 0, SCALR_MAX_BUCKETS, D (n_buckets), "bucket_share" },
  { "bucket_jsd", M_DOUBLE, D (bucket_jsd), 1, 0 },
  { "categories", M_CATEGORIES, 0, 1, OPTIONAL },
  { "all", M_OBJECT, D (all), 1, 0, 0, 0, NULL, match_members },
  { "sparse", M_OBJECT, D (sparse), 1, 0, 0, 0, NULL, match_members },
  { "calibration", M_OBJECT, 0, 1, OPTIONAL, 0, 0, NULL, calibration_members },
  { NULL }
};

G_STATIC_ASSERT (G_N_ELEMENTS (((ScalrDiagnostics *) NULL)->activity) == ACTIVITY_BINS);

#define AT(base, off, type) ((type *) ((char *) (base) + (off)))
#define AT_C(base, off, type) ((const type *) ((const char *) (base) + (off)))

/* ---- writing ------------------------------------------------------------------------ */

static void
add_u64 (JsonBuilder *b, guint64 v)
{
  json_builder_add_int_value (b, (gint64) MIN (v, (guint64) G_MAXINT64));
}

static void write_members (JsonBuilder *b, const Member *table, gconstpointer base, const ScalrDiagnostics *d);

static void
write_categories (JsonBuilder *b, const ScalrDiagnostics *d)
{
  json_builder_begin_array (b);
  for (guint k = 0; d->category_names && k < d->category_names->len; k++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, g_ptr_array_index (d->category_names, k));
      json_builder_set_member_name (b, "share");
      scalr_format_json_add_number (b, g_array_index (d->category_share, double, k));
      json_builder_set_member_name (b, "real_share");
      scalr_format_json_add_number (b, g_array_index (d->real_category_share, double, k));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
write_calibration_bins (JsonBuilder *b, const ScalrDiagnostics *d)
{
  json_builder_begin_array (b);
  for (guint k = 0; k < MIN (d->n_calibration, SCALR_CALIBRATION_BINS); k++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "pred");
      scalr_format_json_add_number (b, d->calib_pred[k]);
      json_builder_set_member_name (b, "obs");
      scalr_format_json_add_number (b, d->calib_obs[k]);
      json_builder_set_member_name (b, "low");
      scalr_format_json_add_number (b, d->calib_low[k]);
      json_builder_set_member_name (b, "high");
      scalr_format_json_add_number (b, d->calib_high[k]);
      json_builder_set_member_name (b, "count");
      add_u64 (b, d->calib_count[k]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
write_member (JsonBuilder *b, const Member *m, gconstpointer base, const ScalrDiagnostics *d)
{
  json_builder_set_member_name (b, m->name);
  switch (m->kind)
    {
    case M_U64:
      add_u64 (b, *AT_C (base, m->offset, guint64));
      break;
    case M_UINT:
      add_u64 (b, *AT_C (base, m->offset, guint));
      break;
    case M_DOUBLE:
      scalr_format_json_add_number (b, *AT_C (base, m->offset, double));
      break;
    case M_DOUBLES:
      json_builder_begin_array (b);
      for (guint k = 0; k < MIN (*AT_C (base, m->len_offset, guint), m->max); k++)
        scalr_format_json_add_number (b, AT_C (base, m->offset, double)[k]);
      json_builder_end_array (b);
      break;
    case M_U64S:
      json_builder_begin_array (b);
      for (guint k = 0; k < m->max; k++)
        add_u64 (b, AT_C (base, m->offset, guint64)[k]);
      json_builder_end_array (b);
      break;
    case M_OBJECT:
      json_builder_begin_object (b);
      write_members (b, m->sub, AT_C (base, m->offset, char), d);
      json_builder_end_object (b);
      break;
    case M_CATEGORIES:
      write_categories (b, d);
      break;
    case M_CALIB_BINS:
    default:
      write_calibration_bins (b, d);
      break;
    }
}

static void
write_members (JsonBuilder *b, const Member *table, gconstpointer base, const ScalrDiagnostics *d)
{
  for (const Member *m = table; m->name; m++)
    write_member (b, m, base, d);
}

JsonNode *
scalr_diagnostics_to_json (const ScalrDiagnostics *d)
{
  g_return_val_if_fail (d != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SCALR_DIAGNOSTICS_VERSION);
  write_members (b, members, d, d);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- reading ------------------------------------------------------------------------ */

/* Each reader names the member with its path (@ctx, e.g. "all.") in the error. */

static gboolean
ill_typed (GError **error, const char *ctx, const char *name, const char *what)
{
  g_set_error (error, SCALR_SYNTHETIC_ERROR, SCALR_SYNTHETIC_ERROR_INVALID_JSON,
               "Diagnostics: member '%s%s' is not %s", ctx, name, what);
  return FALSE;
}

static gboolean
missing (GError **error, const char *ctx, const char *name)
{
  g_set_error (error, SCALR_SYNTHETIC_ERROR, SCALR_SYNTHETIC_ERROR_INVALID_JSON,
               "Diagnostics: member '%s%s' is missing", ctx, name);
  return FALSE;
}

static gboolean
node_double (JsonNode *n, double *out)
{
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *out = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType t = json_node_get_value_type (n);
  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (n);
  return TRUE;
}

static gboolean
node_u64 (JsonNode *n, guint64 max, guint64 *out)
{
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  gint64 v = json_node_get_int (n);
  if (v < 0 || (guint64) v > max)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

/* An array member of at most @max elements, or NULL with @error set. */
static JsonArray *
node_array (JsonNode *n, const char *ctx, const char *name, guint max, GError **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (json_node_get_array (n)) > max)
    {
      g_autofree char *what = g_strdup_printf ("an array of at most %u elements", max);
      ill_typed (error, ctx, name, what);
      return NULL;
    }
  return json_node_get_array (n);
}

/* The object element @k of @a (named "NAME[k]" in errors), or NULL with @error set. */
static JsonObject *
element_object (JsonArray *a, guint k, const char *ctx, const char *name, GError **error)
{
  JsonNode *n = json_array_get_element (a, k);
  if (JSON_NODE_HOLDS_OBJECT (n))
    return json_node_get_object (n);
  g_autofree char *elem = g_strdup_printf ("%s[%u]", name, k);
  ill_typed (error, ctx, elem, "an object");
  return NULL;
}

static gboolean
member_double (JsonObject *o, const char *ctx, const char *name, double *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n == NULL)
    return missing (error, ctx, name);
  return node_double (n, out) || ill_typed (error, ctx, name, "a number");
}

static gboolean
member_u64 (JsonObject *o, const char *ctx, const char *name, guint64 *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n == NULL)
    return missing (error, ctx, name);
  return node_u64 (n, G_MAXINT64, out) || ill_typed (error, ctx, name, "a non-negative integer");
}

static gboolean
read_categories (JsonNode *n, ScalrDiagnostics *d, GError **error)
{
  JsonArray *a = node_array (n, "", "categories", G_MAXUINT, error);
  if (a == NULL)
    return FALSE;
  for (guint k = 0; k < json_array_get_length (a); k++)
    {
      JsonObject *o = element_object (a, k, "", "categories", error);
      if (o == NULL)
        return FALSE;
      g_autofree char *ctx = g_strdup_printf ("categories[%u].", k);
      JsonNode *name = json_object_get_member (o, "name");
      if (name == NULL)
        return missing (error, ctx, "name");
      if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
        return ill_typed (error, ctx, "name", "a string");
      double share, real_share;
      if (!member_double (o, ctx, "share", &share, error)
          || !member_double (o, ctx, "real_share", &real_share, error))
        return FALSE;
      g_ptr_array_add (d->category_names, g_strdup (json_node_get_string (name)));
      g_array_append_val (d->category_share, share);
      g_array_append_val (d->real_category_share, real_share);
    }
  return TRUE;
}

/* A number member introduced in @since: NaN when a document of an older @version lacks it. */
static gboolean
member_double_since (JsonObject *o, const char *ctx, const char *name, guint since, guint version,
                     double *out, GError **error)
{
  if (version < since && !json_object_has_member (o, name))
    {
      *out = NAN;
      return TRUE;
    }
  return member_double (o, ctx, name, out, error);
}

static gboolean
read_calibration_bins (JsonNode *n, const char *ctx, guint version, ScalrDiagnostics *d, GError **error)
{
  JsonArray *bins = node_array (n, ctx, "bins", SCALR_CALIBRATION_BINS, error);
  if (bins == NULL)
    return FALSE;
  d->n_calibration = json_array_get_length (bins);
  for (guint k = 0; k < d->n_calibration; k++)
    {
      JsonObject *bin = element_object (bins, k, ctx, "bins", error);
      if (bin == NULL)
        return FALSE;
      g_autofree char *bctx = g_strdup_printf ("%sbins[%u].", ctx, k);
      if (!member_double (bin, bctx, "pred", &d->calib_pred[k], error)
          || !member_double (bin, bctx, "obs", &d->calib_obs[k], error)
          || !member_double_since (bin, bctx, "low", 2, version, &d->calib_low[k], error)
          || !member_double_since (bin, bctx, "high", 2, version, &d->calib_high[k], error)
          || !member_u64 (bin, bctx, "count", &d->calib_count[k], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean read_members (JsonObject *o, const Member *table, gpointer base, const char *ctx,
                              guint version, ScalrDiagnostics *d, GError **error);

static gboolean
read_numbers (JsonNode *n, const Member *m, gpointer base, const char *ctx, GError **error)
{
  JsonArray *a = node_array (n, ctx, m->name, m->max, error);
  if (a == NULL)
    return FALSE;
  guint len = json_array_get_length (a);
  for (guint k = 0; k < len; k++)
    {
      JsonNode *e = json_array_get_element (a, k);
      gboolean ok = m->kind == M_DOUBLES ? node_double (e, &AT (base, m->offset, double)[k])
                                         : node_u64 (e, G_MAXINT64, &AT (base, m->offset, guint64)[k]);
      if (!ok)
        return ill_typed (error, ctx, m->name, m->kind == M_DOUBLES ? "an array of numbers"
                                                                   : "an array of non-negative integers");
    }
  if (m->kind != M_DOUBLES)
    return TRUE;
  guint *n_out = AT (base, m->len_offset, guint);
  if (m->pair != NULL && *n_out != len)
    {
      g_set_error (error, SCALR_SYNTHETIC_ERROR, SCALR_SYNTHETIC_ERROR_INVALID_JSON,
                   "Diagnostics: members '%s%s' and '%s%s' differ in length (%u, %u)",
                   ctx, m->pair, ctx, m->name, *n_out, len);
      return FALSE;
    }
  *n_out = len;
  return TRUE;
}

static gboolean
read_member (JsonNode *n, const Member *m, gpointer base, const char *ctx, guint version,
             ScalrDiagnostics *d, GError **error)
{
  guint64 v;
  switch (m->kind)
    {
    case M_U64:
      if (!node_u64 (n, G_MAXINT64, &v))
        return ill_typed (error, ctx, m->name, "a non-negative integer");
      *AT (base, m->offset, guint64) = v;
      return TRUE;
    case M_UINT:
      if (!node_u64 (n, G_MAXUINT, &v))
        return ill_typed (error, ctx, m->name, "an integer in 0..G_MAXUINT");
      *AT (base, m->offset, guint) = (guint) v;
      return TRUE;
    case M_DOUBLE:
      return node_double (n, AT (base, m->offset, double)) || ill_typed (error, ctx, m->name, "a number");
    case M_DOUBLES:
    case M_U64S:
      return read_numbers (n, m, base, ctx, error);
    case M_OBJECT:
      {
        if (!JSON_NODE_HOLDS_OBJECT (n))
          return ill_typed (error, ctx, m->name, "an object");
        g_autofree char *sub_ctx = g_strconcat (ctx, m->name, ".", NULL);
        return read_members (json_node_get_object (n), m->sub, AT (base, m->offset, char), sub_ctx,
                             version, d, error);
      }
    case M_CATEGORIES:
      return read_categories (n, d, error);
    case M_CALIB_BINS:
    default:
      return read_calibration_bins (n, ctx, version, d, error);
    }
}

/* The value of an absent member: NaN for a number ("not stored"); 0 and empty otherwise
 * (the struct starts zeroed). */
static void
set_absent (const Member *m, gpointer base)
{
  if (m->kind == M_DOUBLE)
    *AT (base, m->offset, double) = NAN;
  else if (m->kind == M_OBJECT)
    for (const Member *s = m->sub; s->name; s++)
      set_absent (s, AT (base, m->offset, char));
}

static gboolean
read_members (JsonObject *o, const Member *table, gpointer base, const char *ctx, guint version,
              ScalrDiagnostics *d, GError **error)
{
  for (const Member *m = table; m->name; m++)
    {
      if (m->flags & WRITE_ONLY)
        continue;
      JsonNode *n = json_object_get_member (o, m->name);
      if (n == NULL)
        {
          if (!(m->flags & OPTIONAL) && m->since <= version)
            return missing (error, ctx, m->name);
          set_absent (m, base);
          continue;
        }
      if (!read_member (n, m, base, ctx, version, d, error))
        return FALSE;
    }
  return TRUE;
}

ScalrDiagnostics *
scalr_diagnostics_from_json (JsonNode *node, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SCALR_SYNTHETIC_ERROR, SCALR_SYNTHETIC_ERROR_INVALID_JSON,
                   "Diagnostics: not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (node);
  guint64 version = 1;   /* documents from before the version member */
  JsonNode *vn = json_object_get_member (o, "version");
  if (vn != NULL && (!node_u64 (vn, G_MAXUINT, &version) || version == 0))
    {
      ill_typed (error, "", "version", "a positive integer");
      return NULL;
    }
  g_autoptr (ScalrDiagnostics) d = _scalr_diagnostics_alloc ();
  if (!read_members (o, members, d, "", (guint) version, d, error))
    return NULL;
  /* Without reliability bins there is no ECE, whatever the document says: version 1
   * documents stored before undefined numbers were null wrote 0 for it, and for the
   * log-likelihood, whose mean of exactly 0 (every validation event given probability 1)
   * does not happen. */
  if (d->n_calibration == 0)
    {
      d->ece = NAN;
      if (d->valid_log_lik == 0.0)
        d->valid_log_lik = NAN;
    }
  return g_steal_pointer (&d);
}
