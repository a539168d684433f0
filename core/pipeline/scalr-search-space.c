/* scalr-search-space.c — `scalr tune`'s search space: the [tune] group of a config file (or
 * the parameter tables' tunable keys), and the seeded draw of each trial's values. */
#include "config.h"

#include "scalr-search-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (scalr-search-error-quark, scalr_search_error)


void
_scalr_search_dim_free (SearchDim *d)
{
  if (d == NULL)
    return;
  g_free (d->name);
  g_strfreev (d->values);
  g_free (d);
}

static gboolean
parse_number (const char *text, double *out)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *end = NULL;
  *out = g_ascii_strtod (t, &end);
  return t[0] != '\0' && end && *end == '\0' && isfinite (*out);
}

SearchDim *
_scalr_search_dim_parse (const ScalrParam *p, const char *spec, GError **error)
{
  g_autoptr (GString) name = g_string_new (NULL);
  g_string_printf (name, "%s.%s", p->group, p->key);
  SearchDim *d = g_new0 (SearchDim, 1);
  d->name = g_strdup (name->str);
  d->param = p;
  d->synthetic = g_strcmp0 (p->group, "downstream") != 0;
  const char *dots = strstr (spec, "..");
  if (dots)
    {
      g_autofree char *lo = g_strndup (spec, (gsize) (dots - spec));
      g_auto (GStrv) tokens = g_strsplit_set (dots + 2, " \t", -1);
      const char *rest[3] = { NULL, NULL, NULL };
      guint n = 0;
      for (guint k = 0; tokens[k]; k++)
        if (tokens[k][0])
          {
            if (n < 3)
              rest[n] = tokens[k];
            n++;
          }
      gboolean ok = (p->type == SCALR_PARAM_INT || p->type == SCALR_PARAM_DOUBLE)
                    && n >= 1 && n <= 2 && parse_number (lo, &d->lo) && parse_number (rest[0], &d->hi)
                    && (n == 1 || g_strcmp0 (rest[1], "log") == 0);
      if (!ok)
        {
          g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC,
                       "%s = '%s': expected 'lo..hi' or 'lo..hi log' with numbers%s", d->name, spec,
                       p->type == SCALR_PARAM_INT || p->type == SCALR_PARAM_DOUBLE ? "" : " (and a numeric key)");
          _scalr_search_dim_free (d);
          return NULL;
        }
      d->range = TRUE;
      d->log = n == 2;
      if (!(d->lo < d->hi) || d->lo < p->min || d->hi > p->max || (d->log && d->lo <= 0))
        {
          g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC,
                       "%s = '%s': expected lo < hi within %g…%g%s", d->name, spec, p->min, p->max,
                       d->log ? " and lo > 0 for a log scale" : "");
          _scalr_search_dim_free (d);
          return NULL;
        }
      return d;
    }
  d->values = g_strsplit (spec, ",", -1);
  for (guint k = 0; d->values[k]; k++)
    {
      g_strstrip (d->values[k]);
      g_autoptr (GError) local = NULL;
      if (!scalr_param_check (p, d->values[k], &local))
        {
          g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "%s = '%s': %s", d->name, spec,
                       local->message);
          _scalr_search_dim_free (d);
          return NULL;
        }
    }
  if (d->values[0] == NULL)
    {
      g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "%s: no value; expected 'a,b,c' or 'lo..hi [log]'",
                   d->name);
      _scalr_search_dim_free (d);
      return NULL;
    }
  return d;
}

char *
_scalr_search_dim_draw (const SearchDim *d, ScalrRng *rng)
{
  if (!d->range)
    return g_strdup (d->values[scalr_rng_below (rng, g_strv_length (d->values))]);
  double u = scalr_rng_uniform (rng);
  double x = d->log ? exp (log (d->lo) + u * (log (d->hi) - log (d->lo))) : d->lo + u * (d->hi - d->lo);
  if (d->param->type == SCALR_PARAM_INT)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) CLAMP (llround (x), (gint64) ceil (d->lo), (gint64) floor (d->hi)));
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, "%.4g", CLAMP (x, d->lo, d->hi));
  return g_strdup (buf);
}

gboolean
_scalr_search_param_applies (const ScalrParam *p, const ScalrConfig *c)
{
  /* A downstream key is searched only as one of a listed model's keys. */
  if (g_strcmp0 (p->group, "downstream") == 0 && p->model == NULL)
    return FALSE;
  if (g_strcmp0 (p->group, "downstream") != 0 && g_strcmp0 (p->group, "generator") != 0
      && g_strcmp0 (p->group, "sampler") != 0)
    return FALSE;
  return scalr_config_param_applies (c, p);
}

/* Keys a search may not vary: what is measured, who is measured, and what is compared. */
static gboolean
searchable (const ScalrParam *p)
{
  static const char *const fixed[] = { "downstream.enabled", "downstream.models", "downstream.variants", NULL };
  g_autofree char *name = g_strdup_printf ("%s.%s", p->group, p->key);
  return (g_strcmp0 (p->group, "generator") == 0 || g_strcmp0 (p->group, "sampler") == 0
          || g_strcmp0 (p->group, "downstream") == 0)
         && !g_strv_contains (fixed, name);
}

static gboolean
parse_objective (ScalrTuneSpec *spec, const char *value, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (value, "@", 2);
  double k = 0;
  for (ScalrMetric m = 0; parts[0] && parts[1] && m < SCALR_N_RANK_METRICS; m++)
    if (g_strcmp0 (parts[0], scalr_metric_to_string (m)) == 0 && parse_number (parts[1], &k) && k >= 1
        && k == floor (k))
      {
        spec->metric = m;
        spec->k = (guint) k;
        return TRUE;
      }
  g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC,
               "objective = '%s': expected METRIC@K with a ranking metric (recall, ndcg, hit, mrr, precision) "
               "and K one of [eval] k", value);
  return FALSE;
}

/* One `key = value` line of [tune]. */
static gboolean
tune_line (ScalrTuneSpec *spec, const char *key, const char *value, GError **error)
{
  double x;
  if (g_strcmp0 (key, "objective") == 0)
    return parse_objective (spec, value, error);
  if (g_strcmp0 (key, "segment") == 0)
    {
      for (ScalrSegment s = 0; s < SCALR_N_SEGMENTS; s++)
        if (g_strcmp0 (value, scalr_segment_to_string (s)) == 0)
          {
            spec->segment = s;
            return TRUE;
          }
      g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "segment = '%s': expected sparse, warm or all", value);
      return FALSE;
    }
  if (g_strcmp0 (key, "trials") == 0 || g_strcmp0 (key, "seed") == 0 || g_strcmp0 (key, "time_budget") == 0)
    {
      double max = g_strcmp0 (key, "trials") == 0 ? 10000 : g_strcmp0 (key, "seed") == 0 ? 9007199254740991.0 : 1e7;
      if (!parse_number (value, &x) || x < (g_strcmp0 (key, "trials") == 0 ? 1 : 0) || x > max
          || (g_strcmp0 (key, "time_budget") != 0 && x != floor (x)))
        {
          g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "%s = '%s': expected %s up to %g", key, value,
                       g_strcmp0 (key, "time_budget") == 0 ? "seconds" : "an integer", max);
          return FALSE;
        }
      if (key[0] == 't' && key[1] == 'r')
        spec->trials = (guint) x;
      else if (key[0] == 's')
        spec->seed = (guint64) x;
      else
        spec->time_budget = x;
      return TRUE;
    }
  const char *dot = strchr (key, '.');
  g_autofree char *group = dot ? g_strndup (key, (gsize) (dot - key)) : NULL;
  const ScalrParam *p = dot ? scalr_config_lookup_param (group, dot + 1) : NULL;
  if (p == NULL || !searchable (p))
    {
      g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC,
                   "unknown key '%s'; expected objective, segment, trials, seed, time_budget or a [generator], "
                   "[sampler] or [downstream] model key (scalr config lists them)", key);
      return FALSE;
    }
  for (guint k = 0; k < spec->dims->len; k++)
    if (g_strcmp0 (((SearchDim *) g_ptr_array_index (spec->dims, k))->name, key) == 0)
      {
        g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "%s is given twice", key);
        return FALSE;
      }
  SearchDim *d = _scalr_search_dim_parse (p, value, error);
  if (d == NULL)
    return FALSE;
  g_ptr_array_add (spec->dims, d);
  return TRUE;
}

/* Splits @text into the base config's text (the [tune] lines blanked, so that line numbers
 * stay) and the [tune] lines, parsed into @spec. */
static char *
split_tune_group (ScalrTuneSpec *spec, const char *text, const char *name, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_tune = FALSE;
  for (guint n = 0; lines[n]; n++)
    {
      g_autofree char *t = g_strstrip (g_strdup (lines[n]));
      if (t[0] == '[')
        in_tune = g_strcmp0 (t, "[tune]") == 0;
      if (!in_tune)
        continue;
      lines[n][0] = '\0';
      if (t[0] == '\0' || t[0] == '#' || t[0] == ';' || t[0] == '[')
        continue;
      char *eq = strchr (t, '=');
      g_autoptr (GError) local = NULL;
      if (eq == NULL)
        g_set_error (&local, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "'%s': expected key = value", t);
      else
        {
          *eq = '\0';
          g_strstrip (t);
          g_strstrip (eq + 1);
          tune_line (spec, t, eq + 1, &local);
        }
      if (local)
        {
          g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "%s:%u: [tune] %s", name, n + 1, local->message);
          return NULL;
        }
    }
  return g_strjoinv ("\n", lines);
}

/* Without [tune] dimensions: every tunable key of the tables that applies to the base config. */
static void
default_space (ScalrTuneSpec *spec)
{
  spec->default_space = TRUE;
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      if (p->tune && searchable (p) && _scalr_search_param_applies (p, spec->config))
        {
          g_autoptr (GError) error = NULL;
          SearchDim *d = _scalr_search_dim_parse (p, p->tune, &error);
          if (d == NULL)
            g_error ("scalr: the tune range of %s.%s is malformed: %s", p->group, p->key, error->message);
          g_ptr_array_add (spec->dims, d);
        }
}

/* The spec of @text (a config file's text named @name in messages; NULL: defaults). */
static ScalrTuneSpec *
spec_new (const char *text, const char *name, const char *const *sets, GError **error)
{
  g_autoptr (ScalrTuneSpec) spec = g_new0 (ScalrTuneSpec, 1);
  spec->dims = g_ptr_array_new_with_free_func ((GDestroyNotify) _scalr_search_dim_free);
  spec->metric = SCALR_METRIC_RECALL;
  spec->k = 20;
  spec->segment = SCALR_SEGMENT_SPARSE;
  spec->trials = 24;
  spec->seed = 42;
  if (text)
    {
      g_autofree char *rest = split_tune_group (spec, text, name, error);
      if (rest == NULL)
        return NULL;
      spec->config = scalr_config_new_from_data (rest, (gssize) strlen (rest), name, error);
    }
  else
    spec->config = scalr_config_new ();
  if (spec->config == NULL)
    return NULL;
  for (guint k = 0; sets && sets[k]; k++)
    if (!scalr_config_set_assignment (spec->config, sets[k], error))
      return NULL;
  if (spec->dims->len == 0)
    default_space (spec);
  return g_steal_pointer (&spec);
}

ScalrTuneSpec *
scalr_tune_spec_new_from_file (const char *path, const char *const *sets, GError **error)
{
  if (path == NULL)
    return spec_new (NULL, NULL, sets, error);
  gsize len = 0;
  g_autofree char *text = scalr_config_read_file (path, &len, error);
  if (text == NULL)
    return NULL;
  if (len > SCALR_CONFIG_MAX_BYTES)
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_TOO_LARGE, "%s: larger than %u bytes; expected a config file",
                   path, SCALR_CONFIG_MAX_BYTES);
      return NULL;
    }
  if (strlen (text) != len)
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_PARSE, "%s: holds NUL bytes; expected a text config file", path);
      return NULL;
    }
  return spec_new (text, path, sets, error);
}

ScalrTuneSpec *
scalr_tune_spec_new_from_data (const char *text, const char *name, GError **error)
{
  g_return_val_if_fail (text != NULL && name != NULL, NULL);
  return spec_new (text, name, NULL, error);
}

void
scalr_tune_spec_free (ScalrTuneSpec *spec)
{
  if (spec == NULL)
    return;
  g_clear_pointer (&spec->config, scalr_config_free);
  g_clear_pointer (&spec->dims, g_ptr_array_unref);
  g_free (spec);
}

void
scalr_tune_spec_set_trials (ScalrTuneSpec *spec, guint trials)
{
  if (trials > 0)
    spec->trials = trials;
}

void
scalr_tune_spec_set_seed (ScalrTuneSpec *spec, guint64 seed)
{
  spec->seed = seed;
}

void
scalr_tune_spec_set_time_budget (ScalrTuneSpec *spec, double seconds)
{
  if (seconds > 0)
    spec->time_budget = seconds;
}

const ScalrConfig *
scalr_tune_spec_get_config (const ScalrTuneSpec *spec)
{
  return spec->config;
}

guint
scalr_tune_spec_get_trials (const ScalrTuneSpec *spec)
{
  return spec->trials;
}
