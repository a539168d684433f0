/* scalr-run-set.c — runs read together: differing keys, lines along one key, groups,
 * names and search. */
#include "config.h"

#include "scalr-run-set.h"

#include <math.h>
#include <string.h>

typedef struct {
  gint64      id;
  GPtrArray  *keys;     /* char* "group.key", config order */
  GHashTable *values;   /* "group.key" → value (both owned by the table) */
} SetRun;

struct _ScalrRunSet {
  GArray *runs;   /* SetRun */
};

static void
set_run_clear (SetRun *r)
{
  g_clear_pointer (&r->keys, g_ptr_array_unref);
  g_clear_pointer (&r->values, g_hash_table_unref);
}

static void
parse_config (SetRun *r, const char *text)
{
  r->keys = g_ptr_array_new_with_free_func (g_free);
  r->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  if (text == NULL || !g_key_file_load_from_data (kf, text, (gsize) -1, G_KEY_FILE_NONE, NULL))
    return;
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  for (guint g = 0; groups[g]; g++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);
      for (guint k = 0; keys && keys[k]; k++)
        {
          char *dotted = g_strdup_printf ("%s.%s", groups[g], keys[k]);
          char *value = g_key_file_get_value (kf, groups[g], keys[k], NULL);
          if (!g_hash_table_contains (r->values, dotted))
            g_ptr_array_add (r->keys, g_strdup (dotted));
          g_hash_table_replace (r->values, dotted, value);
        }
    }
}

ScalrRunSet *
scalr_run_set_new (const ScalrRunInfo *const *runs, guint n)
{
  g_return_val_if_fail (runs != NULL || n == 0, NULL);
  ScalrRunSet *set = g_new0 (ScalrRunSet, 1);
  set->runs = g_array_sized_new (FALSE, TRUE, sizeof (SetRun), n);
  g_array_set_clear_func (set->runs, (GDestroyNotify) set_run_clear);
  for (guint i = 0; i < n; i++)
    {
      SetRun r = { .id = runs[i]->id };
      parse_config (&r, runs[i]->config);
      g_array_append_val (set->runs, r);
    }
  return set;
}

void
scalr_run_set_free (ScalrRunSet *set)
{
  if (set == NULL)
    return;
  g_array_unref (set->runs);
  g_free (set);
}

guint
scalr_run_set_get_n (const ScalrRunSet *set)
{
  return set->runs->len;
}

gint64
scalr_run_set_get_id (const ScalrRunSet *set, guint index)
{
  g_return_val_if_fail (index < set->runs->len, 0);
  return g_array_index (set->runs, SetRun, index).id;
}

const char *
scalr_run_set_get_value (const ScalrRunSet *set, guint index, const char *dotted_key)
{
  g_return_val_if_fail (index < set->runs->len, NULL);
  return g_hash_table_lookup (g_array_index (set->runs, SetRun, index).values, dotted_key);
}

static gboolean
key_differs (const ScalrRunSet *set, const char *key)
{
  const char *first = scalr_run_set_get_value (set, 0, key);
  for (guint i = 1; i < set->runs->len; i++)
    if (g_strcmp0 (first, scalr_run_set_get_value (set, i, key)) != 0)
      return TRUE;
  return FALSE;
}

GPtrArray *
scalr_run_set_dup_differing_keys (const ScalrRunSet *set)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < set->runs->len; i++)
    {
      GPtrArray *keys = g_array_index (set->runs, SetRun, i).keys;
      for (guint k = 0; k < keys->len; k++)
        {
          const char *key = g_ptr_array_index (keys, k);
          if (!g_hash_table_add (seen, (gpointer) key))
            continue;
          if (key_differs (set, key))
            g_ptr_array_add (out, g_strdup (key));
        }
    }
  return out;
}

gboolean
scalr_run_set_equal_except (const ScalrRunSet *set, guint a, guint b, const char *dotted_key)
{
  g_return_val_if_fail (a < set->runs->len && b < set->runs->len, FALSE);
  const SetRun *x = &g_array_index (set->runs, SetRun, a), *y = &g_array_index (set->runs, SetRun, b);
  if (g_hash_table_size (x->values) == 0 || g_hash_table_size (y->values) == 0)
    return a == b;
  if (x->keys->len != y->keys->len)
    return FALSE;
  for (guint k = 0; k < x->keys->len; k++)
    {
      const char *key = g_ptr_array_index (x->keys, k);
      if (dotted_key && strcmp (key, dotted_key) == 0)
        continue;
      if (!g_hash_table_contains (y->values, key)
          || g_strcmp0 (g_hash_table_lookup (x->values, key), g_hash_table_lookup (y->values, key)) != 0)
        return FALSE;
    }
  return TRUE;
}

/* ---- series ------------------------------------------------------------------------- */

static gboolean
parse_number (const char *s, double *out)
{
  if (s == NULL || s[0] == '\0')
    return FALSE;
  char *end = NULL;
  double v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static int
cmp_str_ptr (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Everything but @key, sorted, as one string: runs with equal signatures are equal except
 * in @key. An unparsed config gets a signature of its own. */
static char *
signature (const SetRun *r, const char *key)
{
  if (g_hash_table_size (r->values) == 0)
    return g_strdup_printf ("\x01unparsed %" G_GINT64_FORMAT, r->id);
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  for (guint k = 0; k < r->keys->len; k++)
    if (strcmp (g_ptr_array_index (r->keys, k), key) != 0)
      g_ptr_array_add (keys, g_ptr_array_index (r->keys, k));
  g_ptr_array_sort (keys, cmp_str_ptr);
  GString *s = g_string_new (NULL);
  for (guint k = 0; k < keys->len; k++)
    g_string_append_printf (s, "%s=%s\n", (char *) g_ptr_array_index (keys, k),
                            (char *) g_hash_table_lookup (r->values, g_ptr_array_index (keys, k)));
  return g_string_free (s, FALSE);
}

typedef struct {
  const ScalrRunSet    *set;
  const ScalrRunSeries *series;
} SortCtx;

static int
cmp_on_line (gconstpointer a, gconstpointer b, gpointer data)
{
  const SortCtx *c = data;
  guint i = *(const guint *) a, j = *(const guint *) b;
  if (c->series->numeric)
    {
      double x = c->series->x[i], y = c->series->x[j];
      if (x != y)
        return x < y ? -1 : 1;
    }
  else
    {
      int r = g_strcmp0 (scalr_run_set_get_value (c->set, i, c->series->key),
                         scalr_run_set_get_value (c->set, j, c->series->key));
      if (r)
        return r;
    }
  return i < j ? -1 : i > j;
}

static int
cmp_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* One bucket of runs equal except @key: a line of the newest run per distinct value when
 * there are two values or more; the rest loose. */
static void
place_bucket (const ScalrRunSet *set, ScalrRunSeries *s, GArray *bucket)
{
  g_autoptr (GHashTable) newest = g_hash_table_new (g_str_hash, g_str_equal);   /* value → index */
  for (guint b = 0; b < bucket->len; b++)
    {
      guint i = g_array_index (bucket, guint, b);
      const char *v = scalr_run_set_get_value (set, i, s->key);
      gpointer prev;
      if (v == NULL)
        continue;
      if (!g_hash_table_lookup_extended (newest, v, NULL, &prev)
          || scalr_run_set_get_id (set, GPOINTER_TO_UINT (prev)) < scalr_run_set_get_id (set, i))
        g_hash_table_insert (newest, (gpointer) v, GUINT_TO_POINTER (i));
    }
  GArray *line = g_array_new (FALSE, FALSE, sizeof (guint));
  if (g_hash_table_size (newest) >= 2)
    {
      GHashTableIter it;
      gpointer value;
      g_hash_table_iter_init (&it, newest);
      while (g_hash_table_iter_next (&it, NULL, &value))
        {
          guint i = GPOINTER_TO_UINT (value);
          g_array_append_val (line, i);
        }
      SortCtx ctx = { set, s };
      g_array_sort_with_data (line, cmp_on_line, &ctx);
    }
  for (guint b = 0; b < bucket->len; b++)
    {
      guint i = g_array_index (bucket, guint, b);
      gboolean on_line = FALSE;
      for (guint q = 0; q < line->len && !on_line; q++)
        on_line = g_array_index (line, guint, q) == i;
      if (!on_line)
        g_array_append_val (s->loose, i);
    }
  if (line->len)
    g_ptr_array_add (s->lines, line);
  else
    g_array_unref (line);
}

ScalrRunSeries *
scalr_run_set_series (const ScalrRunSet *set, const char *dotted_key)
{
  g_return_val_if_fail (set != NULL && dotted_key != NULL, NULL);
  guint n = set->runs->len;
  ScalrRunSeries *s = g_new0 (ScalrRunSeries, 1);
  s->key = g_strdup (dotted_key);
  s->n_runs = n;
  s->x = g_new (double, MAX (n, 1));
  s->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  s->loose = g_array_new (FALSE, FALSE, sizeof (guint));
  s->ticks = g_array_new (FALSE, FALSE, sizeof (double));
  s->numeric = n > 0;
  s->integer = n > 0;
  for (guint i = 0; i < n; i++)
    {
      if (!parse_number (scalr_run_set_get_value (set, i, dotted_key), &s->x[i]))
        {
          s->x[i] = NAN;
          s->numeric = s->integer = FALSE;
        }
      else if (s->x[i] != floor (s->x[i]))
        s->integer = FALSE;
    }
  /* Buckets of runs equal except the key, in order of their first run. */
  g_autoptr (GHashTable) by_sig = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) buckets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < n; i++)
    {
      char *sig = signature (&g_array_index (set->runs, SetRun, i), dotted_key);
      GArray *bucket = g_hash_table_lookup (by_sig, sig);
      if (bucket == NULL)
        {
          bucket = g_array_new (FALSE, FALSE, sizeof (guint));
          g_ptr_array_add (buckets, bucket);
          g_hash_table_insert (by_sig, sig, bucket);
        }
      else
        g_free (sig);
      g_array_append_val (bucket, i);
    }
  for (guint b = 0; b < buckets->len; b++)
    place_bucket (set, s, g_ptr_array_index (buckets, b));
  g_array_sort (s->loose, cmp_uint);
  if (s->numeric)
    {
      for (guint i = 0; i < n; i++)
        {
          gboolean seen = FALSE;
          for (guint t = 0; t < s->ticks->len && !seen; t++)
            seen = g_array_index (s->ticks, double, t) == s->x[i];
          if (!seen)
            g_array_append_val (s->ticks, s->x[i]);
        }
      g_array_sort (s->ticks, cmp_double);
    }
  return s;
}

void
scalr_run_series_free (ScalrRunSeries *s)
{
  if (s == NULL)
    return;
  g_free (s->key);
  g_free (s->x);
  g_ptr_array_unref (s->lines);
  g_array_unref (s->loose);
  g_array_unref (s->ticks);
  g_free (s);
}

guint
scalr_run_series_n_connected (const ScalrRunSeries *s)
{
  guint n = 0;
  for (guint l = 0; l < s->lines->len; l++)
    n += ((GArray *) g_ptr_array_index (s->lines, l))->len;
  return n;
}

char *
scalr_run_set_pick_key (const ScalrRunSet *set, const char *preferred)
{
  if (set->runs->len < 2)
    return NULL;
  g_autoptr (GPtrArray) keys = scalr_run_set_dup_differing_keys (set);
  if (keys->len == 0)
    return NULL;
  g_auto (GStrv) pref = preferred ? g_strsplit (preferred, ",", -1) : NULL;
  for (guint p = 0; pref && pref[p]; p++)
    for (guint k = 0; k < keys->len; k++)
      if (g_strcmp0 (g_strstrip (pref[p]), g_ptr_array_index (keys, k)) == 0)
        return g_strdup (pref[p]);
  const char *best = NULL;
  guint best_n = 0;
  gboolean best_numeric = FALSE;
  for (guint k = 0; k < keys->len; k++)
    {
      g_autoptr (ScalrRunSeries) s = scalr_run_set_series (set, g_ptr_array_index (keys, k));
      guint c = scalr_run_series_n_connected (s);
      if (best == NULL || c > best_n || (c == best_n && s->numeric && !best_numeric))
        {
          best = g_ptr_array_index (keys, k);
          best_n = c;
          best_numeric = s->numeric;
        }
    }
  return g_strdup (best);
}

/* ---- groups --------------------------------------------------------------------------- */

static void
group_view_free (ScalrRunGroupView *v)
{
  g_array_unref (v->run_ids);
  g_free (v->label);
  g_free (v);
}

static int
cmp_view_newest_first (gconstpointer a, gconstpointer b)
{
  const ScalrRunGroupView *x = *(ScalrRunGroupView **) a, *y = *(ScalrRunGroupView **) b;
  return x->newest > y->newest ? -1 : x->newest < y->newest;
}

static char *
group_label (const ScalrGroupInfo *g, guint n)
{
  g_autofree char *what = NULL;
  switch (g->kind)
    {
    case SCALR_GROUP_SWEEP:
      what = g->keys ? g_strdup_printf ("Sweep over %s", g->keys) : g_strdup ("Sweep");
      break;
    case SCALR_GROUP_TUNE:
      what = g_strdup ("Search");
      break;
    case SCALR_GROUP_REPLICATES:
      what = g_strdup ("Replicates");
      break;
    default:
      what = g_strdup ("Hand-picked");
    }
  if (g->name && g->name[0])
    return g_strdup_printf ("%s: %s · %u run%s", what, g->name, n, n == 1 ? "" : "s");
  return g_strdup_printf ("%s · %u run%s", what, n, n == 1 ? "" : "s");
}

GPtrArray *
scalr_run_groups_collect (GPtrArray *runs, GPtrArray *groups)
{
  g_return_val_if_fail (runs != NULL && groups != NULL, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) group_view_free);
  for (guint g = 0; g < groups->len; g++)
    {
      const ScalrGroupInfo *group = g_ptr_array_index (groups, g);
      ScalrRunGroupView *v = g_new0 (ScalrRunGroupView, 1);
      v->group = group;
      v->run_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint r = 0; r < runs->len; r++)
        {
          const ScalrRunInfo *info = g_ptr_array_index (runs, r);
          if (info->group_id == group->id && info->status == SCALR_RUN_FINISHED && !info->trashed)
            g_array_append_val (v->run_ids, info->id);
        }
      if (v->run_ids->len == 0)
        {
          group_view_free (v);
          continue;
        }
      for (guint i = 0; i < v->run_ids->len; i++)
        v->newest = MAX (v->newest, g_array_index (v->run_ids, gint64, i));
      v->label = group_label (group, v->run_ids->len);
      g_ptr_array_add (out, v);
    }
  g_ptr_array_sort (out, cmp_view_newest_first);
  return out;
}

/* ---- names and search ----------------------------------------------------------------- */

char *
scalr_run_name_for_config (const ScalrConfig *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  const char *strategy = scalr_config_get (c, "sampler", "strategy");
  GString *s = g_string_new (scalr_config_get (c, "generator", "model"));
  if (g_strcmp0 (strategy, "per_event") == 0)
    g_string_append_printf (s, " · per_event ×%s", scalr_config_get (c, "sampler", "samples_per_event"));
  else if (g_strcmp0 (strategy, "per_user") == 0)
    {
      if (g_strcmp0 (scalr_config_get (c, "sampler", "user_budget"), "match") == 0)
        g_string_append (s, " · per_user matched");
      else
        g_string_append_printf (s, " · per_user ×%s", scalr_config_get (c, "sampler", "user_ratio"));
    }
  else
    g_string_append_printf (s, " · top-%s", scalr_config_get (c, "sampler", "k"));
  const char *targets = scalr_config_get (c, "sampler", "targets");
  if (g_strcmp0 (targets, "all") != 0)
    g_string_append_printf (s, " · %s users", targets);
  if (g_strcmp0 (scalr_config_get (c, "sampler", "align"), "none") != 0)
    g_string_append_printf (s, " · aligned by %s", scalr_config_get (c, "sampler", "align"));
  return g_string_free (s, FALSE);
}

gboolean
scalr_run_info_matches (const ScalrRunInfo *info, const char *query)
{
  g_return_val_if_fail (info != NULL, FALSE);
  if (query == NULL)
    return TRUE;
  g_autofree char *low = g_utf8_casefold (query, -1);
  g_auto (GStrv) words = g_strsplit_set (low, " \t", -1);
  gboolean any = FALSE;
  for (guint w = 0; words[w]; w++)
    any |= words[w][0] != '\0';
  if (!any)
    return TRUE;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *gen = NULL, *strategy = NULL;
  if (info->config && g_key_file_load_from_data (kf, info->config, (gsize) -1, G_KEY_FILE_NONE, NULL))
    {
      gen = g_key_file_get_value (kf, "generator", "model", NULL);
      strategy = g_key_file_get_value (kf, "sampler", "strategy", NULL);
    }
  g_autofree char *hay = g_strdup_printf ("#%" G_GINT64_FORMAT " %s\n%s\n%s\n%s\n%s\n%s\n%s\n%s", info->id,
                                          info->name ? info->name : "", info->dataset ? info->dataset : "",
                                          scalr_run_status_to_string (info->status), info->tags ? info->tags : "",
                                          info->note ? info->note : "", gen ? gen : "", strategy ? strategy : "",
                                          info->error ? info->error : "");
  g_autofree char *fold = g_utf8_casefold (hay, -1);
  for (guint w = 0; words[w]; w++)
    if (words[w][0] && strstr (fold, words[w]) == NULL)
      return FALSE;
  return TRUE;
}
