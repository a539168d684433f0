/* fuzz-rule.c — domain rules: scalr_domain_rule_parse (whose canonical form must parse to
 * itself), then scalr_domains_new on a small fixed dataset with domain labels and item
 * categories. An input with a line break gives the source rule before it and the target
 * rule after it; otherwise the input is tried as the source and as the target beside
 * fixed rules. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-import.h"

#include "fuzz-common.h"

static ScalrDataset *dataset;   /* owned: the fixture, made once */

static const char events_text[] =
  "user\titem\trating\ttimestamp\tdomain\n"
  "u1\t1\t4\t10\tMovies\n"
  "u1\t2\t3\t11\tMovies\n"
  "u1\tb1\t5\t12\tBooks\n"
  "u2\t1\t2\t13\tMovies\n"
  "u2\t31\t5\t14\tMovies\n"
  "u2\tb2\t4\t15\tBooks\n"
  "u3\tu\t1\t16\tMovies\n"
  "u3\tb1\t3\t17\tBooks\n"
  "u3\t31\t4\t18\tMovies\n"
  "u4\tb2\t5\t19\tBooks\n"
  "u4\t1\t5\t20\tBooks\n";

static const char items_text[] =
  "id\ttitle\tgenres\n"
  "1\tToy Story\tComedy|Animation\n"
  "2\tNo genres\t(no genres listed)\n"
  "31\tDangerous Minds\tDrama\n"
  "u\tBoth\tComedy|Drama\n"
  "b1\tA novel\tFiction\n"
  "b2\tA sad novel\tFiction|Drama\n";

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  g_autofree char *events = fuzz_write_file ("events.tsv", events_text, sizeof events_text - 1);
  g_autofree char *items = fuzz_write_file ("items.tsv", items_text, sizeof items_text - 1);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, events, NULL);
  o->items_path = g_strdup (items);
  g_autoptr (GError) error = NULL;
  dataset = scalr_import_dataset (o, NULL, NULL, &error);
  fuzz_check (dataset != NULL, "fixture: %s", error->message);
  return 0;
}

static void
check_domain (const ScalrDomain *dom, guint n_users)
{
  guint n_items = scalr_dataset_get_n_items (dataset);
  fuzz_check (dom->matrix->n_rows == n_users && dom->matrix->n_cols == dom->n_items, "shape");
  fuzz_check (dom->matrix->nnz > 0 && dom->n_items > 0 && dom->n_items <= n_items, "sizes");
  fuzz_check (dom->matrix->indptr[0] == 0 && dom->matrix->indptr[n_users] == dom->matrix->nnz, "indptr");
  for (guint u = 0; u < n_users; u++)
    for (guint64 e = dom->matrix->indptr[u]; e < dom->matrix->indptr[u + 1]; e++)
      {
        fuzz_check (dom->matrix->indices[e] < dom->n_items, "column");
        if (e > dom->matrix->indptr[u])
          fuzz_check (dom->matrix->indices[e - 1] < dom->matrix->indices[e], "row order");
      }
  for (guint i = 0; i < dom->n_items; i++)
    fuzz_check (dom->items[i] < n_items, "item map");
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDomainRule) rule = scalr_domain_rule_parse (dom->rule, &error);
  fuzz_check (rule != NULL, "stored rule '%s' does not parse", dom->rule);
}

static void
resolve (const char *source, const char *target)
{
  const ScalrDomainsOptions options[] = { SCALR_DOMAINS_OPTIONS_INIT, { 3.0, 2 } };
  for (guint k = 0; k < G_N_ELEMENTS (options); k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrDomains) d = scalr_domains_new (dataset, source, target, &options[k], &error);
      if (d == NULL)
        {
          fuzz_check (error != NULL, "domains failed without an error");
          continue;
        }
      fuzz_check (error == NULL, "domains succeeded with an error set");
      guint n_users = scalr_domains_get_n_users (d);
      fuzz_check (n_users == scalr_dataset_get_n_users (dataset), "users");
      fuzz_check (scalr_domains_get_n_overlap (d) > 0 && scalr_domains_get_n_overlap (d) <= n_users, "overlap");
      check_domain (scalr_domains_get_source (d), n_users);
      check_domain (scalr_domains_get_target (d), n_users);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDomainRule) rule = scalr_domain_rule_parse (text, &error);
  if (rule == NULL)
    fuzz_check (error != NULL && error->domain == SCALR_DOMAIN_ERROR, "refused without a domain error");
  else
    {
      const char *canon = scalr_domain_rule_to_string (rule);
      g_autoptr (GError) again_error = NULL;
      g_autoptr (ScalrDomainRule) again = scalr_domain_rule_parse (canon, &again_error);
      fuzz_check (again != NULL, "canonical form '%s' does not parse: %s", canon, again_error->message);
      fuzz_check (strcmp (canon, scalr_domain_rule_to_string (again)) == 0, "canonical '%s' becomes '%s'",
                  canon, scalr_domain_rule_to_string (again));
    }

  char *nl = strchr (text, '\n');
  if (nl != NULL)
    {
      *nl = '\0';
      resolve (text, nl + 1);
    }
  else
    {
      resolve (text, "domain:Books");
      resolve ("category:Drama,!Comedy", text);
    }
  return 0;
}
