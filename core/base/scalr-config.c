/* scalr-config.c — the experiment configuration and its parameter tables. */
#include "config.h"

#include "scalr-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scalr-text.h"

G_DEFINE_QUARK (scalr-config-error-quark, scalr_config_error)

/* Borrowed for the life of the process (the registry never frees a table it handed over). */
static const ScalrParam *const *registered_tables;
static const ScalrParam *const no_tables[] = { NULL };

void
scalr_config_set_tables (const ScalrParam *const *tables)
{
  g_atomic_pointer_set (&registered_tables, tables);
}

const ScalrParam *const *
scalr_config_get_tables (void)
{
  const ScalrParam *const *t = g_atomic_pointer_get (&registered_tables);
  if (t == NULL)
    {
      g_critical ("scalr: the parameter tables are not registered (call scalr_registry_init () first)");
      return no_tables;
    }
  return t;
}

const ScalrParam *
scalr_config_lookup_param (const char *group, const char *key)
{
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      if (strcmp (p->group, group) == 0 && strcmp (p->key, key) == 0)
        return p;
  return NULL;
}

static gboolean
in_words (const char *words, const char *value)
{
  if (words == NULL)
    return FALSE;
  g_auto (GStrv) w = g_strsplit (words, "|", -1);
  return g_strv_contains ((const char *const *) w, value);
}

static char *
format_number (double x)
{
  if (x >= 9007199254740991.0)
    return g_strdup ("2^53−1");
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", x));
}

const char *
scalr_param_get_selector (const ScalrParam *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  if (p->model == NULL)
    return NULL;
  static const char *const selectors[] = { "model", "models", "strategy" };
  for (guint i = 0; i < G_N_ELEMENTS (selectors); i++)
    if (scalr_config_lookup_param (p->group, selectors[i]))
      return selectors[i];
  return NULL;
}

char *
scalr_param_dup_title (const ScalrParam *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  static const struct { const char *word, *title; } words[] = {
    { "ials", "iALS" }, { "bpr", "BPR" }, { "ease", "EASE" }, { "itemknn", "ItemKNN" }, { "als", "ALS" },
    { "l2", "L2" }, { "k", "K" }, { "kcore", "k-core" }, { "lr", "learning rate" }, { "cg", "CG" },
    { "prob", "probability" }, { "reg", "regularisation" }, { "iters", "iterations" },
  };
  GString *s = g_string_new (NULL);
  g_auto (GStrv) parts = g_strsplit (p->key, ".", 2);
  for (guint part = 0; parts[part]; part++)
    {
      if (part > 0)
        g_string_append (s, ": ");
      g_auto (GStrv) w = g_strsplit (parts[part], "_", -1);
      for (guint i = 0; w[i]; i++)
        {
          const char *text = w[i];
          for (guint k = 0; k < G_N_ELEMENTS (words); k++)
            if (strcmp (w[i], words[k].word) == 0)
              text = words[k].title;
          g_string_append_printf (s, "%s%s", i ? " " : "", text);
        }
    }
  /* Sentence case: the first letter up unless a word of the table starts lower ("iALS"). */
  if (s->len && g_ascii_islower (s->str[0]) && !g_str_has_prefix (s->str, "iALS") && !g_str_has_prefix (s->str, "k-core"))
    s->str[0] = g_ascii_toupper (s->str[0]);
  return g_string_free (s, FALSE);
}

char *
scalr_param_describe_allowed (const ScalrParam *p)
{
  g_autofree char *lo = format_number (p->min), *hi = format_number (p->max);
  g_autofree char *words = NULL;
  if (p->choices && (p->type == SCALR_PARAM_INT || p->type == SCALR_PARAM_DOUBLE))
    {
      g_auto (GStrv) w = g_strsplit (p->choices, "|", -1);
      g_autofree char *joined = g_strjoinv (", ", w);
      words = g_strdup_printf (" or %s", joined);
    }
  switch (p->type)
    {
    case SCALR_PARAM_INT:
      return g_strdup_printf ("an integer in %s…%s%s", lo, hi, words ? words : "");
    case SCALR_PARAM_DOUBLE:
      return g_strdup_printf ("a number in %s…%s%s", lo, hi, words ? words : "");
    case SCALR_PARAM_BOOL:
      return g_strdup ("true or false");
    case SCALR_PARAM_CHOICE:
    case SCALR_PARAM_LIST:
      {
        g_auto (GStrv) w = g_strsplit (p->choices, "|", -1);
        g_autofree char *joined = g_strjoinv (", ", w);
        return g_strdup_printf (p->type == SCALR_PARAM_CHOICE ? "one of %s" : "a comma-separated list of %s", joined);
      }
    case SCALR_PARAM_RULE:
      return g_strdup ("a domain rule: all, domain:LABEL or category:A[|B][,!C]");
    case SCALR_PARAM_INT_LIST:
      return g_strdup_printf ("a comma-separated list of integers in %s…%s", lo, hi);
    case SCALR_PARAM_STRING:
    default:
      return g_strdup ("a non-empty text");
    }
}

static gboolean
bad_value (const ScalrParam *p, const char *value, GError **error)
{
  g_autofree char *allowed = scalr_param_describe_allowed (p);
  g_autofree char *shown = scalr_text_shorten (value, SCALR_TEXT_MESSAGE_MAX);
  g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE,
               "[%s] %s = '%s': expected %s", p->group, p->key, shown, allowed);
  return FALSE;
}

static gboolean
check_type (const ScalrParam *p, const char *value, GError **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value));
  /* A line break (or another control character) could not be written back as one
   * key=value line: the resolved config would not load again. */
  for (const char *c = v; *c; c++)
    if ((guchar) *c < 0x20 && *c != '\t')
      return bad_value (p, value, error);
  switch (p->type)
    {
    case SCALR_PARAM_INT:
      {
        if (in_words (p->choices, v))
          return TRUE;
        char *end = NULL;
        gint64 x = g_ascii_strtoll (v, &end, 10);
        if (v[0] == '\0' || *end != '\0' || (double) x < p->min || (double) x > p->max)
          return bad_value (p, value, error);
        return TRUE;
      }
    case SCALR_PARAM_DOUBLE:
      {
        if (in_words (p->choices, v))
          return TRUE;
        char *end = NULL;
        double x = g_ascii_strtod (v, &end);
        if (v[0] == '\0' || *end != '\0' || !isfinite (x) || x < p->min || x > p->max)
          return bad_value (p, value, error);
        return TRUE;
      }
    case SCALR_PARAM_BOOL:
      if (in_words ("true|false|1|0|yes|no", v))
        return TRUE;
      return bad_value (p, value, error);
    case SCALR_PARAM_CHOICE:
      if (in_words (p->choices, v))
        return TRUE;
      return bad_value (p, value, error);
    case SCALR_PARAM_LIST:
      {
        g_auto (GStrv) items = g_strsplit (v, ",", -1);
        if (items[0] == NULL)
          return bad_value (p, value, error);
        for (guint k = 0; items[k]; k++)
          if (!in_words (p->choices, g_strstrip (items[k])))
            return bad_value (p, value, error);
        /* A repeated entry (a model trained twice, doubling its place in the Holm family) is
         * an error, not silently dropped: the user meant something else. */
        for (guint k = 0; items[k]; k++)
          for (guint j = 0; j < k; j++)
            if (strcmp (items[j], items[k]) == 0)
              {
                g_autofree char *shown = scalr_text_shorten (value, SCALR_TEXT_MESSAGE_MAX);
                g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE,
                             "[%s] %s = '%s': '%s' is listed twice; expected each at most once", p->group, p->key,
                             shown, items[k]);
                return FALSE;
              }
        return TRUE;
      }
    case SCALR_PARAM_INT_LIST:
      {
        g_auto (GStrv) items = g_strsplit (v, ",", -1);
        if (items[0] == NULL || g_strv_length (items) > 8)
          return bad_value (p, value, error);
        for (guint k = 0; items[k]; k++)
          {
            char *item = g_strstrip (items[k]), *end = NULL;
            gint64 x = g_ascii_strtoll (item, &end, 10);
            if (item[0] == '\0' || *end != '\0' || (double) x < p->min || (double) x > p->max)
              return bad_value (p, value, error);
          }
        return TRUE;
      }
    case SCALR_PARAM_RULE:
      if (v[0] == '\0')
        return bad_value (p, value, error);
      return TRUE;
    case SCALR_PARAM_STRING:
    default:
      if (v[0] == '\0' || !g_utf8_validate (v, -1, NULL))
        return bad_value (p, value, error);
      return TRUE;
    }
}

char *
scalr_config_describe (void)
{
  GString *out = g_string_new (NULL);
  const char *group = NULL;
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      {
        g_autofree char *allowed = scalr_param_describe_allowed (p);
        if (group == NULL || strcmp (group, p->group) != 0)
          {
            g_string_append_printf (out, "%s[%s]\n", group ? "\n" : "", p->group);
            group = p->group;
          }
        const char *sel = scalr_param_get_selector (p);
        g_autofree char *when = sel ? g_strdup_printf ("; when %s %s %s", sel, strcmp (sel, "models") == 0 ? "has" : "is",
                                                       p->model) : g_strdup ("");
        g_string_append_printf (out, "  %-22s = %-26s %s%s%s%s\n      %s\n", p->key, p->def, allowed, when,
                                p->tune ? "; tuned over " : "", p->tune ? p->tune : "", p->help);
      }
  return g_string_free (out, FALSE);
}

JsonNode *
scalr_config_describe_json (void)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      {
        g_autofree char *allowed = scalr_param_describe_allowed (p);
        g_autofree char *full = g_strdup_printf ("%s.%s", p->group, p->key);
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "key");
        json_builder_add_string_value (b, full);
        json_builder_set_member_name (b, "default");
        json_builder_add_string_value (b, p->def);
        json_builder_set_member_name (b, "allowed");
        json_builder_add_string_value (b, allowed);
        json_builder_set_member_name (b, "model");
        json_builder_add_string_value (b, p->model);
        json_builder_set_member_name (b, "help");
        json_builder_add_string_value (b, p->help);
        json_builder_set_member_name (b, "tune");
        json_builder_add_string_value (b, p->tune);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

gboolean
scalr_param_check (const ScalrParam *p, const char *value, GError **error)
{
  if (!check_type (p, value, error))
    return FALSE;
  if (p->check == NULL)
    return TRUE;
  g_autofree char *v = g_strstrip (g_strdup (value));
  g_autoptr (GError) local = NULL;
  if (!p->check (v, &local))
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE,
                   "[%s] %s: %s", p->group, p->key, local->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- the config ------------------------------------------------------------------- */

struct _ScalrConfig {
  GHashTable *values;   /* owned: "group.key" → value, for every key of every table */
};

static char *
full_key (const char *group, const char *key)
{
  return g_strconcat (group, ".", key, NULL);
}

static void
put (ScalrConfig *c, const char *group, const char *key, const char *value)
{
  g_hash_table_replace (c->values, full_key (group, key), g_strdup (value));
}

ScalrConfig *
scalr_config_new (void)
{
  ScalrConfig *c = g_new0 (ScalrConfig, 1);
  c->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      put (c, p->group, p->key, p->def);
  return c;
}

void
scalr_config_free (ScalrConfig *c)
{
  if (c == NULL)
    return;
  g_hash_table_unref (c->values);
  g_free (c);
}

ScalrConfig *
scalr_config_copy (const ScalrConfig *c)
{
  ScalrConfig *copy = scalr_config_new ();
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, c->values);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_hash_table_replace (copy->values, g_strdup (k), g_strdup (v));
  return copy;
}

static gboolean
has_group (const char *group)
{
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      if (strcmp (p->group, group) == 0)
        return TRUE;
  return FALSE;
}

/* The keys of @group, or with @group NULL the groups, comma-separated. */
static char *
known_keys (const char *group)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      {
        const char *name = group ? p->key : p->group;
        if (group && strcmp (p->group, group) != 0)
          continue;
        gboolean seen = FALSE;
        for (guint k = 0; k < names->len && !seen; k++)
          seen = strcmp (g_ptr_array_index (names, k), name) == 0;
        if (!seen)
          g_ptr_array_add (names, (gpointer) name);
      }
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static ScalrConfig *
parse_error (GError **error, int code, const char *name, guint line, const char *format, ...) G_GNUC_PRINTF (5, 6);

static ScalrConfig *
parse_error (GError **error, int code, const char *name, guint line, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *what = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, SCALR_CONFIG_ERROR, code, "%s:%u: %s", name, line, what);
  return NULL;
}

/* One `key = value` line of [@group] at @line: known, given once, valid. */
static gboolean
parse_assignment (ScalrConfig *c, GHashTable *seen, const char *name, guint line, const char *group,
                  char *l, char *eq, GError **error)
{
  *eq = '\0';
  const char *key = g_strstrip (l);
  const char *value = eq + 1;
  while (*value == ' ' || *value == '\t')
    value++;
  const ScalrParam *p = scalr_config_lookup_param (group, key);
  if (p == NULL)
    {
      g_autofree char *known = known_keys (group);
      g_autofree char *shown = scalr_text_shorten (key, SCALR_TEXT_MESSAGE_MAX);
      parse_error (error, SCALR_CONFIG_ERROR_UNKNOWN_KEY, name, line, "[%s] unknown key '%s'; expected one of %s",
                   group, shown, known);
      return FALSE;
    }
  /* A key given twice is an error naming both lines: which one the user meant is unknown,
   * and a value that is never used must not go unchecked. */
  g_autofree char *full = full_key (p->group, p->key);
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (seen, full));
  if (first != 0)
    {
      parse_error (error, SCALR_CONFIG_ERROR_DUPLICATE_KEY, name, line,
                   "[%s] %s is given twice (first on line %u); keep one of the two lines", group, key, first);
      return FALSE;
    }
  g_hash_table_insert (seen, g_steal_pointer (&full), GUINT_TO_POINTER (line));
  g_autoptr (GError) local = NULL;
  if (!scalr_param_check (p, value, &local))
    {
      parse_error (error, SCALR_CONFIG_ERROR_BAD_VALUE, name, line, "%s", local->message);
      return FALSE;
    }
  g_autofree char *stripped = g_strstrip (g_strdup (value));
  put (c, p->group, p->key, stripped);
  return TRUE;
}

/* The key-file text, one pass over its lines ([group], key=value, # comments, blank lines):
 * linear in the size, each error located at its line. */
static ScalrConfig *
parse_text (char *text, const char *name, GError **error)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = NULL;
  guint line = 0;
  for (char *next = text; next != NULL;)
    {
      char *l = next;
      char *nl = strchr (l, '\n');
      if (nl)
        *nl = '\0';
      next = nl ? nl + 1 : NULL;
      line++;
      l = g_strstrip (l);
      if (l[0] == '\0' || l[0] == '#')
        continue;
      if (l[0] == '[')
        {
          char *close = strchr (l, ']');
          if (close == NULL || close == l + 1 || close[1] != '\0')
            return parse_error (error, SCALR_CONFIG_ERROR_PARSE, name, line,
                                "a group line is [NAME]; expected a key file ([group] and key=value lines)");
          *close = '\0';
          if (!has_group (l + 1))
            {
              g_autofree char *known = known_keys (NULL);
              g_autofree char *shown = scalr_text_shorten (l + 1, SCALR_TEXT_MESSAGE_MAX);
              return parse_error (error, SCALR_CONFIG_ERROR_UNKNOWN_KEY, name, line,
                                  "unknown group [%s]; expected one of %s", shown, known);
            }
          g_free (group);
          group = g_strdup (l + 1);
          continue;
        }
      char *eq = strchr (l, '=');
      if (group == NULL || eq == NULL || eq == l)
        return parse_error (error, SCALR_CONFIG_ERROR_PARSE, name, line,
                            group == NULL ? "a key before the first [group]; expected a key file ([group] and key=value lines)"
                                          : "not a key=value line; expected a key file ([group] and key=value lines)");
      if (!parse_assignment (c, seen, name, line, group, l, eq, error))
        return NULL;
    }
  return g_steal_pointer (&c);
}

ScalrConfig *
scalr_config_new_from_data (const char *data, gssize len, const char *name, GError **error)
{
  gsize n = len < 0 ? strlen (data) : (gsize) len;
  if (n > SCALR_CONFIG_MAX_BYTES)
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_TOO_LARGE,
                   "%s: larger than %u KiB; a config is a few dozen key=value lines (is it the right file?)",
                   name, SCALR_CONFIG_MAX_BYTES >> 10);
      return NULL;
    }
  if (n >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_PARSE,
                   "%s:1: starts with a UTF-8 byte-order mark (BOM, as some editors write); "
                   "save the file as UTF-8 without a BOM", name);
      return NULL;
    }
  if (memchr (data, '\0', n) != NULL || !g_utf8_validate (data, (gssize) n, NULL))
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_PARSE,
                   "%s: not UTF-8 text; expected a key file ([group] and key=value lines)", name);
      return NULL;
    }
  g_autofree char *text = g_strndup (data, n);
  return parse_text (text, name, error);
}

char *
scalr_config_read_file (const char *path, gsize *len, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_IO, "%s: cannot open the config: %s", path,
                   g_strerror (errsv));
      return NULL;
    }
  struct stat st;
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      close (fd);
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_IO, "%s: is a directory; expected a config file", path);
      return NULL;
    }
  /* Read at most one byte past the limit: an endless input (/dev/zero, a FIFO that never
   * closes its end after writing enough) stops there. */
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  guint8 buf[65536];
  while (bytes->len <= SCALR_CONFIG_MAX_BYTES)
    {
      ssize_t r = read (fd, buf, MIN (sizeof buf, SCALR_CONFIG_MAX_BYTES + 1 - bytes->len));
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int errsv = errno;
          close (fd);
          g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_IO, "%s: cannot read the config: %s", path,
                       g_strerror (errsv));
          return NULL;
        }
      if (r == 0)
        break;
      g_byte_array_append (bytes, buf, (guint) r);
    }
  close (fd);
  *len = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);   /* NUL-terminated */
  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

ScalrConfig *
scalr_config_new_from_file (const char *path, GError **error)
{
  gsize len;
  g_autofree char *text = scalr_config_read_file (path, &len, error);
  if (text == NULL)
    return NULL;
  return scalr_config_new_from_data (text, (gssize) len, path, error);
}

gboolean
scalr_config_set (ScalrConfig *c, const char *group, const char *key, const char *value, GError **error)
{
  const ScalrParam *p = scalr_config_lookup_param (group, key);
  if (p == NULL)
    {
      gboolean known_group = has_group (group);
      g_autofree char *known = known_keys (known_group ? group : NULL);
      g_autofree char *g = scalr_text_shorten (group, SCALR_TEXT_MESSAGE_MAX);
      g_autofree char *k = scalr_text_shorten (key, SCALR_TEXT_MESSAGE_MAX);
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_UNKNOWN_KEY,
                   known_group ? "[%s] unknown key '%s'; expected one of %s"
                                                       : "unknown group [%s] (key '%s'); expected one of %s",
                   g, k, known);
      return FALSE;
    }
  if (!scalr_param_check (p, value, error))
    return FALSE;
  g_autofree char *stripped = g_strstrip (g_strdup (value));
  put (c, group, key, stripped);
  return TRUE;
}

gboolean
scalr_config_set_assignment (ScalrConfig *c, const char *assignment, GError **error)
{
  const char *eq = strchr (assignment, '=');
  const char *dot = strchr (assignment, '.');
  g_autofree char *shown = scalr_text_shorten (assignment, SCALR_TEXT_MESSAGE_MAX);
  if (eq == NULL || dot == NULL || dot > eq || dot == assignment || dot + 1 == eq)
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_USAGE,
                   "--set '%s': expected GROUP.KEY=VALUE, e.g. sampler.samples_per_event=4", shown);
      return FALSE;
    }
  g_autofree char *group = g_strstrip (g_strndup (assignment, (gsize) (dot - assignment)));
  g_autofree char *key = g_strstrip (g_strndup (dot + 1, (gsize) (eq - dot - 1)));
  g_autoptr (GError) local = NULL;
  if (!scalr_config_set (c, group, key, eq + 1, &local))
    {
      g_set_error (error, SCALR_CONFIG_ERROR, local->code, "--set %s: %s", shown, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
scalr_config_parse_grid (const char *spec, char **group, char **key, GStrv *values, GError **error)
{
  g_return_val_if_fail (spec != NULL && group != NULL && key != NULL && values != NULL, FALSE);
  *group = NULL;
  *key = NULL;
  *values = NULL;
  const char *eq = strchr (spec, '=');
  const char *dot = strchr (spec, '.');
  g_autofree char *shown = scalr_text_shorten (spec, SCALR_TEXT_MESSAGE_MAX);
  if (eq == NULL || dot == NULL || dot > eq || dot == spec || dot + 1 == eq || eq[1] == '\0')
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_USAGE,
                   "--grid '%s': expected GROUP.KEY=V1,V2,…, e.g. sampler.samples_per_event=0,1,2,4,8", shown);
      return FALSE;
    }
  g_autofree char *g = g_strstrip (g_strndup (spec, (gsize) (dot - spec)));
  g_autofree char *k = g_strstrip (g_strndup (dot + 1, (gsize) (eq - dot - 1)));
  const ScalrParam *p = scalr_config_lookup_param (g, k);
  if (p == NULL)
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_UNKNOWN_KEY,
                   "--grid '%s': no key [%s] %s (scalr config lists the keys)", shown, g, k);
      return FALSE;
    }
  /* Lists of values are split at ';' for LIST keys (their values hold commas). */
  gboolean list_key = p->type == SCALR_PARAM_LIST || p->type == SCALR_PARAM_INT_LIST;
  g_auto (GStrv) v = g_strsplit (eq + 1, list_key ? ";" : ",", -1);
  guint n = 0;
  for (guint i = 0; v[i]; i++, n++)
    {
      g_strstrip (v[i]);
      g_autoptr (GError) local = NULL;
      if (!scalr_param_check (p, v[i], &local))
        {
          g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "--grid '%s': %s", shown, local->message);
          return FALSE;
        }
    }
  if (n == 0 || n > 1000)
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE,
                   "--grid '%s': %u values; expected 1 to 1000", shown, n);
      return FALSE;
    }
  *group = g_steal_pointer (&g);
  *key = g_steal_pointer (&k);
  *values = g_steal_pointer (&v);
  return TRUE;
}

const char *
scalr_config_get (const ScalrConfig *c, const char *group, const char *key)
{
  g_autofree char *k = full_key (group, key);
  const char *value = g_hash_table_lookup (c->values, k);
  g_return_val_if_fail (value != NULL, NULL);
  return value;
}

gint64
scalr_config_get_int (const ScalrConfig *c, const char *group, const char *key)
{
  return g_ascii_strtoll (scalr_config_get (c, group, key), NULL, 10);
}

double
scalr_config_get_double (const ScalrConfig *c, const char *group, const char *key)
{
  const char *v = scalr_config_get (c, group, key);
  char *end = NULL;
  double x = g_ascii_strtod (v, &end);
  return end == v ? NAN : x;
}

gboolean
scalr_config_get_bool (const ScalrConfig *c, const char *group, const char *key)
{
  return in_words ("true|1|yes", scalr_config_get (c, group, key));
}

GStrv
scalr_config_get_list (const ScalrConfig *c, const char *group, const char *key)
{
  GStrv items = g_strsplit (scalr_config_get (c, group, key), ",", -1);
  for (guint k = 0; items[k]; k++)
    g_strstrip (items[k]);
  return items;
}

gboolean
scalr_config_param_applies (const ScalrConfig *c, const ScalrParam *p)
{
  g_return_val_if_fail (c != NULL && p != NULL, FALSE);
  const char *sel = scalr_param_get_selector (p);
  if (sel == NULL)
    return TRUE;
  if (strcmp (sel, "models") == 0)
    {
      g_auto (GStrv) models = scalr_config_get_list (c, p->group, sel);
      return g_strv_contains ((const char *const *) models, p->model);
    }
  return g_strcmp0 (scalr_config_get (c, p->group, sel), p->model) == 0;
}

gboolean
scalr_config_is_default (const ScalrConfig *c, const char *group, const char *key)
{
  const ScalrParam *p = scalr_config_lookup_param (group, key);
  g_return_val_if_fail (p != NULL, FALSE);
  return g_strcmp0 (scalr_config_get (c, group, key), p->def) == 0;
}

const char *
scalr_config_get_or_default (const ScalrConfig *c, const ScalrParam *params, const char *group,
                             const char *key)
{
  if (c != NULL && scalr_config_lookup_param (group, key) != NULL)
    return scalr_config_get (c, group, key);
  for (const ScalrParam *p = params; p != NULL && p->group != NULL; p++)
    if (strcmp (p->group, group) == 0 && strcmp (p->key, key) == 0)
      return p->def;
  g_error ("scalr_config_get_or_default: no parameter [%s] %s", group, key);
}

double
scalr_config_get_or_default_double (const ScalrConfig *c, const ScalrParam *params, const char *group,
                                    const char *key)
{
  const char *v = scalr_config_get_or_default (c, params, group, key);
  char *end = NULL;
  double x = g_ascii_strtod (v, &end);
  return end == v ? NAN : x;
}

gint64
scalr_config_get_or_default_int (const ScalrConfig *c, const ScalrParam *params, const char *group,
                                 const char *key)
{
  return g_ascii_strtoll (scalr_config_get_or_default (c, params, group, key), NULL, 10);
}

char *
scalr_config_to_data (const ScalrConfig *c)
{
  g_autoptr (GString) s = g_string_new (NULL);
  const char *group = NULL;
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      {
        if (group == NULL || strcmp (group, p->group) != 0)
          {
            g_string_append_printf (s, "%s[%s]\n", group ? "\n" : "", p->group);
            group = p->group;
          }
        g_string_append_printf (s, "%s=%s\n", p->key, scalr_config_get (c, p->group, p->key));
      }
  return g_string_free (g_steal_pointer (&s), FALSE);
}
