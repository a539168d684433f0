/* scalr-domains.c — domain rules and the per-domain matrices of an experiment. */
#include "config.h"

#include "scalr-domains.h"

#include <math.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-idmap.h"

G_DEFINE_QUARK (scalr-domain-error-quark, scalr_domain_error)

static gboolean
check_rule (const char *value, GError **error)
{
  g_autoptr (ScalrDomainRule) rule = scalr_domain_rule_parse (value, error);
  return rule != NULL;
}

/* [dataset]: which stored dataset and which two domains. */
const ScalrParam scalr_dataset_params[] = {
  { "dataset", "name", SCALR_PARAM_STRING, "movielens-small", 0, 0, NULL,
    "Name of the dataset in the store (scalr datasets lists them)", NULL },
  { "dataset", "source", SCALR_PARAM_RULE, "category:Comedy,!Drama", 0, 0, NULL,
    "Source domain rule: all | domain:LABEL | category:A[|B][,!C]", NULL, check_rule },
  { "dataset", "target", SCALR_PARAM_RULE, "category:Drama,!Comedy", 0, 0, NULL,
    "Target domain rule (must not share events with the source)", NULL, check_rule },
  { "dataset", "implicit_threshold", SCALR_PARAM_DOUBLE, "none", -1e9, 1e9, "none",
    "Keep only events rated at least this (none: every event is a positive)", NULL },
  { "dataset", "kcore", SCALR_PARAM_INT, "0", 0, 1000, NULL,
    "Keep users and items with at least this many events in each domain (0: off)", NULL },
  { NULL }
};

typedef enum { RULE_ALL, RULE_DOMAIN, RULE_CATEGORY } RuleKind;

typedef struct {
  gboolean negate;
  GStrv    alternatives;   /* owned: any of these ("or") */
} Term;

struct _ScalrDomainRule {
  RuleKind kind;
  GArray  *terms;          /* Term; all must hold ("and") */
  char    *text;           /* canonical form */
};

static void
term_clear (Term *t)
{
  g_strfreev (t->alternatives);
}

void
scalr_domain_rule_free (ScalrDomainRule *rule)
{
  if (rule == NULL)
    return;
  g_array_unref (rule->terms);
  g_free (rule->text);
  g_free (rule);
}

const char *
scalr_domain_rule_to_string (const ScalrDomainRule *rule)
{
  return rule->text;
}

/* Term @k of @rule (the text between commas): an optional '!' (category rules only) and
 * names joined by '|', none empty. On error returns FALSE naming the rule @text and the term. */
static gboolean
parse_term (const ScalrDomainRule *rule, const char *text, char *t, guint k, Term *term, GError **error)
{
  t = g_strstrip (t);
  if (t[0] == '!')
    {
      term->negate = TRUE;
      t = g_strstrip (t + 1);
    }
  if (rule->kind == RULE_DOMAIN && term->negate)
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE,
                   "domain rule '%s': '!' is only allowed in category rules", text);
      return FALSE;
    }
  term->alternatives = g_strsplit (t, "|", -1);
  gboolean empty = term->alternatives[0] == NULL;
  for (guint a = 0; term->alternatives[a]; a++)
    empty |= g_strstrip (term->alternatives[a])[0] == '\0';
  if (empty)
    {
      term_clear (term);
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE,
                   "domain rule '%s': empty name in term %u; expected a %s name",
                   text, k + 1, rule->kind == RULE_DOMAIN ? "domain" : "category");
      return FALSE;
    }
  return TRUE;
}

ScalrDomainRule *
scalr_domain_rule_parse (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_autoptr (ScalrDomainRule) rule = g_new0 (ScalrDomainRule, 1);
  rule->terms = g_array_new (FALSE, TRUE, sizeof (Term));
  g_array_set_clear_func (rule->terms, (GDestroyNotify) term_clear);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE,
                   "domain rule is not valid UTF-8");
      return NULL;
    }
  g_autofree char *copy = g_strstrip (g_strdup (text));
  if (g_ascii_strcasecmp (copy, "all") == 0 || g_strcmp0 (copy, "*") == 0)
    {
      rule->kind = RULE_ALL;
      rule->text = g_strdup ("all");
      return g_steal_pointer (&rule);
    }
  char *colon = strchr (copy, ':');
  if (colon == NULL)
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE,
                   "domain rule '%s': expected 'all', 'domain:LABEL' or 'category:NAME[,!NAME…]'", text);
      return NULL;
    }
  *colon = '\0';
  g_strstrip (copy);
  if (g_ascii_strcasecmp (copy, "domain") == 0)
    rule->kind = RULE_DOMAIN;
  else if (g_ascii_strcasecmp (copy, "category") == 0 || g_ascii_strcasecmp (copy, "genre") == 0)
    rule->kind = RULE_CATEGORY;
  else
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE,
                   "domain rule '%s': unknown kind '%s'; expected 'domain' or 'category'", text, copy);
      return NULL;
    }
  g_auto (GStrv) terms = g_strsplit (colon + 1, ",", -1);
  if (terms[0] == NULL)
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE,
                   "domain rule '%s': empty name in term 1; expected a %s name",
                   text, rule->kind == RULE_DOMAIN ? "domain" : "category");
      return NULL;
    }
  g_autoptr (GString) canon = g_string_new (rule->kind == RULE_DOMAIN ? "domain:" : "category:");
  gboolean any_positive = FALSE;
  for (guint k = 0; terms[k]; k++)
    {
      Term term = { FALSE, NULL };
      if (!parse_term (rule, text, terms[k], k, &term, error))
        return NULL;
      any_positive = any_positive || !term.negate;
      if (k > 0)
        g_string_append_c (canon, ',');
      if (term.negate)
        g_string_append_c (canon, '!');
      g_autofree char *joined = g_strjoinv ("|", term.alternatives);
      g_string_append (canon, joined);
      g_array_append_val (rule->terms, term);
    }
  if (rule->kind == RULE_DOMAIN && rule->terms->len != 1)
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE,
                   "domain rule '%s': expected one label or labels joined by '|'", text);
      return NULL;
    }
  if (!any_positive)
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_PARSE,
                   "domain rule '%s': expected at least one category without '!'", text);
      return NULL;
    }
  rule->text = g_string_free (g_steal_pointer (&canon), FALSE);
  return g_steal_pointer (&rule);
}

/* ---- resolving rules against a dataset -------------------------------------------- */

/* Which domain labels and which items a rule admits. */
typedef struct {
  gboolean *labels;   /* owned, n_labels */
  gboolean *items;    /* owned, n_items */
} RuleMask;

static void
rule_mask_clear (RuleMask *m)
{
  g_free (m->labels);
  g_free (m->items);
}

static char *
known_names (ScalrIdMap *map, guint limit)
{
  g_autoptr (GString) s = g_string_new (NULL);
  guint n = scalr_id_map_get_size (map);
  for (guint i = 0; i < n && i < limit; i++)
    {
      const char *name = scalr_id_map_get_name (map, i);
      g_string_append_printf (s, "%s%s", i ? ", " : "", name[0] ? name : "(none)");
    }
  if (n > limit)
    g_string_append_printf (s, ", … (%u in all)", n);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
rule_resolve (const ScalrDomainRule *rule, const char *role, ScalrDataset *d, RuleMask *out, GError **error)
{
  ScalrIdMap *labels = scalr_dataset_get_domains (d);
  ScalrIdMap *cats = scalr_dataset_get_categories (d);
  guint n_labels = scalr_id_map_get_size (labels);
  guint n_items = scalr_dataset_get_n_items (d);
  out->labels = g_new (gboolean, MAX (n_labels, 1));
  out->items = g_new (gboolean, MAX (n_items, 1));
  for (guint l = 0; l < n_labels; l++)
    out->labels[l] = rule->kind != RULE_DOMAIN;
  for (guint i = 0; i < n_items; i++)
    out->items[i] = TRUE;

  if (rule->kind == RULE_DOMAIN)
    {
      const Term *t = &g_array_index (rule->terms, Term, 0);
      for (guint a = 0; t->alternatives[a]; a++)
        {
          ScalrId id;
          const char *name = t->alternatives[a];
          if (!scalr_id_map_lookup (labels, name, strlen (name), &id))
            {
              g_autofree char *known = known_names (labels, 20);
              g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_UNKNOWN_DOMAIN,
                           "%s rule '%s': unknown domain '%s'; the dataset has: %s",
                           role, rule->text, name, known);
              return FALSE;
            }
          out->labels[id] = TRUE;
        }
    }
  else if (rule->kind == RULE_CATEGORY)
    {
      if (!scalr_dataset_has_item_metadata (d))
        {
          g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_NO_METADATA,
                       "%s rule '%s' needs item categories; import the dataset with an items file (--items)",
                       role, rule->text);
          return FALSE;
        }
      /* Resolve names to category ids first, so unknown names are reported. */
      GArray *terms = rule->terms;
      g_autofree GArray **ids = g_new0 (GArray *, terms->len);
      gboolean ok = TRUE;
      for (guint k = 0; k < terms->len && ok; k++)
        {
          const Term *t = &g_array_index (terms, Term, k);
          ids[k] = g_array_new (FALSE, FALSE, sizeof (guint32));
          for (guint a = 0; t->alternatives[a]; a++)
            {
              ScalrId id;
              const char *name = t->alternatives[a];
              if (!scalr_id_map_lookup (cats, name, strlen (name), &id))
                {
                  g_autofree char *known = known_names (cats, 40);
                  g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_UNKNOWN_CATEGORY,
                               "%s rule '%s': unknown category '%s'; the items have: %s",
                               role, rule->text, name, known);
                  ok = FALSE;
                  break;
                }
              g_array_append_val (ids[k], id);
            }
        }
      for (guint i = 0; i < n_items && ok; i++)
        {
          guint nc;
          const guint32 *ic = scalr_dataset_get_item_categories (d, i, &nc);
          gboolean keep = TRUE;
          for (guint k = 0; k < terms->len && keep; k++)
            {
              const Term *t = &g_array_index (terms, Term, k);
              gboolean any = FALSE;
              for (guint a = 0; a < ids[k]->len && !any; a++)
                for (guint c = 0; c < nc && !any; c++)
                  any = ic[c] == g_array_index (ids[k], guint32, a);
              keep = t->negate ? !any : any;
            }
          out->items[i] = keep;
        }
      for (guint k = 0; k < terms->len; k++)
        if (ids[k])
          g_array_unref (ids[k]);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* ---- domains ---------------------------------------------------------------------- */

struct _ScalrDomains {
  gint          ref_count; /* atomic */
  ScalrDataset *dataset;   /* owned reference */
  ScalrDomain   source;
  ScalrDomain   target;
  guint         n_overlap;
  guint64       n_filtered;
};

static void
domain_clear (ScalrDomain *dom)
{
  g_clear_pointer (&dom->matrix, scalr_csr_free);
  g_clear_pointer (&dom->timestamps, g_free);
  g_clear_pointer (&dom->items, g_free);
  g_clear_pointer (&dom->rule, g_free);
}

ScalrDomains *
scalr_domains_ref (ScalrDomains *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
scalr_domains_unref (ScalrDomains *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  domain_clear (&self->source);
  domain_clear (&self->target);
  scalr_dataset_unref (self->dataset);
  g_free (self);
}

ScalrDataset *scalr_domains_get_dataset (ScalrDomains *self) { return self->dataset; }
const ScalrDomain *scalr_domains_get_source (ScalrDomains *self) { return &self->source; }
const ScalrDomain *scalr_domains_get_target (ScalrDomains *self) { return &self->target; }
guint scalr_domains_get_n_users (ScalrDomains *self) { return self->source.matrix->n_rows; }
guint scalr_domains_get_n_overlap (ScalrDomains *self) { return self->n_overlap; }
guint64 scalr_domains_get_n_filtered (ScalrDomains *self) { return self->n_filtered; }

/* Iteratively drops events of users or items with fewer than @k kept events. */
static guint64
kcore_filter (const ScalrEvents *ev, const gint8 *member, gint8 side, guint n_users, guint n_items,
              guint k, guint8 *alive)
{
  g_autofree guint64 *udeg = g_new (guint64, MAX (n_users, 1));
  g_autofree guint64 *ideg = g_new (guint64, MAX (n_items, 1));
  guint64 dropped = 0;
  gboolean changed = TRUE;
  while (changed)
    {
      changed = FALSE;
      memset (udeg, 0, n_users * sizeof (guint64));
      memset (ideg, 0, n_items * sizeof (guint64));
      for (guint u = 0; u < n_users; u++)
        for (guint64 e = ev->user_ptr[u]; e < ev->user_ptr[u + 1]; e++)
          if (member[e] == side && alive[e])
            {
              udeg[u]++;
              ideg[ev->item[e]]++;
            }
      for (guint u = 0; u < n_users; u++)
        for (guint64 e = ev->user_ptr[u]; e < ev->user_ptr[u + 1]; e++)
          if (member[e] == side && alive[e] && (udeg[u] < k || ideg[ev->item[e]] < k))
            {
              alive[e] = FALSE;
              dropped++;
              changed = TRUE;
            }
    }
  return dropped;
}

typedef struct {
  guint32 col;
  float   value;
  double  ts;
} Entry;

static gint
cmp_entry (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;
  if (x->col != y->col)
    return x->col < y->col ? -1 : 1;
  return x->ts < y->ts ? -1 : (x->ts > y->ts);
}

/* The error for a domain that its rule selects but the filters empty: the filter is blamed,
 * not the rule. */
static void
filtered_empty_error (const char *role, const ScalrEvents *ev, const gint8 *member, gint8 side, float threshold,
                      const ScalrDomainsOptions *options, GError **error)
{
  guint64 selected = 0, above = 0;
  float max_rating = -G_MAXFLOAT;
  for (guint64 e = 0; e < ev->n_events; e++)
    if (member[e] == side)
      {
        selected++;
        above += !isnan (options->threshold) && ev->rating[e] >= threshold;
        max_rating = MAX (max_rating, ev->rating[e]);
      }
  if (!isnan (options->threshold) && above == 0)
    g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_FILTERED_EMPTY,
                 "implicit_threshold %g removes all %" G_GUINT64_FORMAT " events of the %s domain (the highest "
                 "rating there is %g); lower the threshold", options->threshold, selected, role, max_rating);
  else
    g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_FILTERED_EMPTY,
                 "kcore %u removes all %" G_GUINT64_FORMAT " events of the %s domain%s; lower kcore",
                 options->kcore, selected, role, isnan (options->threshold) ? "" : " (after the threshold)");
}

/* Builds one domain's CSR from the events with member[e] == side and alive[e]. */
static gboolean
build_domain (ScalrDomain *dom, const char *role, const ScalrDomainRule *rule, const ScalrEvents *ev,
              const gint8 *member, gint8 side, const guint8 *alive, guint n_users, guint n_items,
              const ScalrDomainsOptions *options, float threshold, GError **error)
{
  g_autofree guint32 *local = g_new (guint32, MAX (n_items, 1));
  for (guint i = 0; i < n_items; i++)
    local[i] = G_MAXUINT32;
  guint64 nnz = 0;
  for (guint64 e = 0; e < ev->n_events; e++)
    if (member[e] == side && alive[e])
      {
        local[ev->item[e]] = 0;
        nnz++;
      }
  gboolean any_selected = FALSE;
  for (guint64 e = 0; e < ev->n_events && !any_selected && nnz == 0; e++)
    any_selected = member[e] == side;
  if (nnz == 0 && any_selected)
    {
      filtered_empty_error (role, ev, member, side, threshold, options, error);
      return FALSE;
    }
  if (nnz == 0)
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_EMPTY,
                   "%s rule '%s' selects no events%s", role, scalr_domain_rule_to_string (rule),
                   "; check the rule against the categories or domain labels (scalr stats NAME)");
      return FALSE;
    }
  guint n_local = 0;
  for (guint i = 0; i < n_items; i++)
    if (local[i] == 0)
      local[i] = n_local++;
  dom->n_items = n_local;
  dom->items = g_new (ScalrId, MAX (n_local, 1));
  for (guint i = 0; i < n_items; i++)
    if (local[i] != G_MAXUINT32)
      dom->items[local[i]] = i;
  dom->rule = g_strdup (scalr_domain_rule_to_string (rule));

  ScalrCsr *m = scalr_csr_new (n_users, n_local, nnz, TRUE);
  dom->matrix = m;
  dom->timestamps = g_new (double, MAX (nnz, 1));
  g_autoptr (GArray) row = g_array_new (FALSE, FALSE, sizeof (Entry));
  guint64 w = 0;
  for (guint u = 0; u < n_users; u++)
    {
      g_array_set_size (row, 0);
      for (guint64 e = ev->user_ptr[u]; e < ev->user_ptr[u + 1]; e++)
        if (member[e] == side && alive[e])
          {
            Entry en = { local[ev->item[e]], ev->rating[e], ev->timestamp[e] };
            g_array_append_val (row, en);
          }
      gboolean sorted = TRUE;
      for (guint k = 1; k < row->len && sorted; k++)
        sorted = g_array_index (row, Entry, k - 1).col < g_array_index (row, Entry, k).col;
      if (!sorted)
        g_array_sort (row, cmp_entry);
      for (guint k = 0; k < row->len; k++)
        {
          const Entry *en = &g_array_index (row, Entry, k);
          if (k + 1 < row->len && g_array_index (row, Entry, k + 1).col == en->col)
            continue;   /* same item under two labels: keep the latest */
          m->indices[w] = en->col;
          m->values[w] = en->value;
          dom->timestamps[w] = en->ts;
          w++;
        }
      m->indptr[u + 1] = w;
    }
  m->nnz = w;
  return TRUE;
}

/* Users with events in both domains before any filter. */
static guint
count_overlap (const ScalrEvents *ev, const gint8 *member, guint n_users)
{
  guint n = 0;
  for (guint u = 0; u < n_users; u++)
    {
      gboolean s = FALSE, t = FALSE;
      for (guint64 e = ev->user_ptr[u]; e < ev->user_ptr[u + 1]; e++)
        {
          s |= member[e] == 0;
          t |= member[e] == 1;
        }
      n += s && t;
    }
  return n;
}

ScalrDomains *
scalr_domains_new (ScalrDataset *d, const char *source_rule, const char *target_rule,
                   const ScalrDomainsOptions *options, GError **error)
{
  g_return_val_if_fail (d != NULL && source_rule != NULL && target_rule != NULL, NULL);
  ScalrDomainsOptions defaults = SCALR_DOMAINS_OPTIONS_INIT;
  if (options == NULL)
    options = &defaults;

  g_autoptr (ScalrDomainRule) src = NULL, tgt = NULL;
  g_autoptr (GError) local_error = NULL;
  if ((src = scalr_domain_rule_parse (source_rule, &local_error)) == NULL
      || (tgt = scalr_domain_rule_parse (target_rule, &local_error)) == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s rule: ",
                                  src == NULL ? "source" : "target");
      return NULL;
    }
  RuleMask ms = { 0 }, mt = { 0 };
  if (!rule_resolve (src, "source", d, &ms, error) || !rule_resolve (tgt, "target", d, &mt, error))
    {
      rule_mask_clear (&ms);
      rule_mask_clear (&mt);
      return NULL;
    }

  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  guint n_users = scalr_dataset_get_n_users (d);
  guint n_items = scalr_dataset_get_n_items (d);
  g_autofree gint8 *member = g_new (gint8, MAX (ev.n_events, 1));
  g_autofree guint8 *alive = g_new (guint8, MAX (ev.n_events, 1));  /* 0 or 1 */
  guint64 both = 0, both_example = 0, filtered = 0;
  /* Ratings are stored as 32-bit floats (the store's format and every dataset's fingerprint
   * depend on it): the threshold is rounded to float the same way the importer rounds a
   * rating, so a rating written as 0.7 passes implicit_threshold = 0.7 exactly. */
  float threshold = isnan (options->threshold) ? NAN : (float) options->threshold;
  for (guint64 e = 0; e < ev.n_events; e++)
    {
      gboolean s = ms.labels[ev.domain[e]] && ms.items[ev.item[e]];
      gboolean t = mt.labels[ev.domain[e]] && mt.items[ev.item[e]];
      if (s && t)
        {
          if (both++ == 0)
            both_example = e;
        }
      member[e] = s ? 0 : t ? 1 : -1;
      alive[e] = isnan (options->threshold) || ev.rating[e] >= threshold;
      if (!alive[e] && member[e] >= 0)
        filtered++;
    }
  rule_mask_clear (&ms);
  rule_mask_clear (&mt);
  if (both > 0)
    {
      const char *item = scalr_id_map_get_name (scalr_dataset_get_items (d), ev.item[both_example]);
      const char *title = scalr_dataset_has_item_metadata (d) ? scalr_dataset_get_item_title (d, ev.item[both_example]) : NULL;
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_OVERLAP,
                   "source '%s' and target '%s' share %" G_GUINT64_FORMAT " events (e.g. item '%s'%s%s%s); "
                   "make the rules exclusive, e.g. category:Comedy,!Drama and category:Drama,!Comedy",
                   scalr_domain_rule_to_string (src), scalr_domain_rule_to_string (tgt), both, item,
                   title ? ", " : "", title ? title : "", "");
      return NULL;
    }
  if (options->kcore > 1)
    {
      filtered += kcore_filter (&ev, member, 0, n_users, n_items, options->kcore, alive);
      filtered += kcore_filter (&ev, member, 1, n_users, n_items, options->kcore, alive);
    }

  g_autoptr (ScalrDomains) self = g_new0 (ScalrDomains, 1);
  self->ref_count = 1;
  self->dataset = scalr_dataset_ref (d);
  self->n_filtered = filtered;
  if (!build_domain (&self->source, "source", src, &ev, member, 0, alive, n_users, n_items, options, threshold, error)
      || !build_domain (&self->target, "target", tgt, &ev, member, 1, alive, n_users, n_items, options, threshold, error))
    return NULL;
  for (guint u = 0; u < n_users; u++)
    self->n_overlap += scalr_csr_row_len (self->source.matrix, u) > 0
                       && scalr_csr_row_len (self->target.matrix, u) > 0;
  guint unfiltered_overlap = self->n_overlap == 0 && filtered > 0 ? count_overlap (&ev, member, n_users) : 0;
  if (unfiltered_overlap > 0)
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_FILTERED_EMPTY,
                   "after implicit_threshold and kcore no user has events in both domains (%u did before "
                   "filtering); lower the threshold or kcore", unfiltered_overlap);
      return NULL;
    }
  if (self->n_overlap == 0)
    {
      g_set_error (error, SCALR_DOMAIN_ERROR, SCALR_DOMAIN_ERROR_NO_OVERLAP_USERS,
                   "no user has events in both source '%s' and target '%s'; cross-domain "
                   "generation needs overlap users (are the user ids of the two files the same kind?)",
                   scalr_domain_rule_to_string (src), scalr_domain_rule_to_string (tgt));
      return NULL;
    }
  return g_steal_pointer (&self);
}
