/* scalr-cli-datasets.c — `scalr import`, `scalr datasets`, `scalr stats`. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scalr-cli-common.h"
#include "scalr-dataset.h"
#include "scalr-dataset-stats.h"
#include "scalr-domains.h"
#include "scalr-import.h"
#include "scalr-run-data.h"
#include "scalr-idmap.h"

static void
print_domain_row (const ScalrDomainStats *s)
{
  g_print ("  %-26s %12s %8s %8s %9.5f %7.0f %7.0f\n",
           cli_safe (s->rule ? s->rule : s->name), cli_count (s->events), cli_count (s->users),
           cli_count (s->items), s->density, s->user_activity[3], s->user_activity[5]);
}

static void
print_stats_text (const ScalrDatasetStats *st)
{
  g_print ("dataset %s  (fingerprint %.16s…)\n", cli_safe (st->dataset), st->fingerprint);
  g_print ("  %-26s %12s %8s %8s %9s %7s %7s\n", "domain", "events", "users", "items", "density",
           "median", "p90");
  print_domain_row (&st->all);
  for (guint k = 0; k < st->labels->len; k++)
    print_domain_row (g_ptr_array_index (st->labels, k));
  if (st->has_domains)
    {
      print_domain_row (&st->source);
      print_domain_row (&st->target);
      g_print ("overlap users: %s  (source only %s, target only %s)\n", cli_count (st->overlap_users),
               cli_count (st->source_only_users), cli_count (st->target_only_users));
      if (st->filtered_events)
        g_print ("filtered events (threshold, k-core): %s\n", cli_count (st->filtered_events));
    }
  g_print ("duplicates merged on import: %s;  categories: %u\n", cli_count (st->duplicates), st->n_categories);
  const ScalrDomainStats *top = st->has_domains ? NULL : &st->all;
  const ScalrDomainStats *list[] = { top, st->has_domains ? &st->source : NULL, st->has_domains ? &st->target : NULL };
  for (guint k = 0; k < G_N_ELEMENTS (list); k++)
    {
      const ScalrDomainStats *s = list[k];
      if (s == NULL || s->top_categories->len == 0)
        continue;
      g_print ("top categories (%s):", cli_safe (s->name));
      for (guint c = 0; c < s->top_categories->len && c < 6; c++)
        {
          const ScalrCategoryCount *cc = &g_array_index (s->top_categories, ScalrCategoryCount, c);
          g_print ("%s %s %s", c ? "," : "", cli_safe (cc->name), cli_count (cc->events));
        }
      g_print ("\n");
    }
}

/* What an import made: its statistics, as JSON or text. */
static void
print_import (ScalrStore *store, ScalrDataset *d, gint64 id, const ScalrImportReport *report, gboolean items,
              gboolean json)
{
  g_autoptr (ScalrDatasetStats) st = scalr_dataset_stats_new (d, NULL);
  if (json)
    {
      g_autoptr (JsonNode) node = scalr_dataset_stats_to_json (st);
      JsonObject *obj = json_node_get_object (node);
      json_object_set_int_member (obj, "id", id);
      json_object_set_int_member (obj, "lines", (gint64) report->lines);
      json_object_set_int_member (obj, "items_file_unmatched", (gint64) report->items_file_unmatched);
      json_object_set_int_member (obj, "items_without_metadata", (gint64) report->items_without_meta);
      cli_print_json (node);
      return;
    }
  g_print ("imported '%s' into %s\n", cli_safe (scalr_dataset_get_name (d)), scalr_store_get_path (store));
  g_print ("  %s lines → %s events (%s duplicates merged), %s users, %s items\n",
           cli_count (report->lines), cli_count (scalr_dataset_get_n_events (d)),
           cli_count (scalr_dataset_get_n_duplicates (d)), cli_count (scalr_dataset_get_n_users (d)),
           cli_count (scalr_dataset_get_n_items (d)));
  if (items)
    g_print ("  items file: %s categories; %s rows without events; %s items without a row\n",
             cli_count (st->n_categories), cli_count (report->items_file_unmatched),
             cli_count (report->items_without_meta));
  print_stats_text (st);
}

int
cmd_import (int argc, char **argv)
{
  g_autofree char *db = NULL, *name = NULL, *items = NULL, *format = NULL, *labels = NULL;
  g_auto (GStrv) events = NULL;
  g_autofree char *ucol = NULL, *icol = NULL, *rcol = NULL, *tcol = NULL, *dcol = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, "Dataset name (default: the events file's base name)", "NAME" },
    { "events", 'e', 0, G_OPTION_ARG_FILENAME_ARRAY, &events, "Events file (repeat for one file per domain)", "FILE" },
    { "labels", 0, 0, G_OPTION_ARG_STRING, &labels, "Domain labels of the events files, comma-separated (default: file base names)", "A,B" },
    { "items", 'i', 0, G_OPTION_ARG_FILENAME, &items, "Items file: id, title, categories separated by '|'", "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "tsv, csv, inter or auto (default)", "FORMAT" },
    { "user-column", 0, 0, G_OPTION_ARG_STRING, &ucol, "User column: header name or 1-based position", "COL" },
    { "item-column", 0, 0, G_OPTION_ARG_STRING, &icol, "Item column", "COL" },
    { "rating-column", 0, 0, G_OPTION_ARG_STRING, &rcol, "Rating column", "COL" },
    { "timestamp-column", 0, 0, G_OPTION_ARG_STRING, &tcol, "Timestamp column", "COL" },
    { "domain-column", 0, 0, G_OPTION_ARG_STRING, &dcol, "Domain label column", "COL" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the statistics as JSON", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- import an interaction dataset into the store");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "Examples:\n"
    "  scalr import --name ml --events ratings.tsv --items movies.tsv\n"
    "  scalr import --name amazon --events books.csv --events movies.csv --labels Books,Movies\n");
  if (!cli_parse (ctx, &argc, &argv, "import"))
    return EXIT_USAGE;
  if (events == NULL || events[0] == NULL)
    {
      g_printerr ("scalr import: --events FILE is required\nTry 'scalr import --help'.\n");
      return EXIT_USAGE;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  g_auto (GStrv) label_list = labels ? g_strsplit (labels, ",", -1) : NULL;
  if (label_list && g_strv_length (label_list) != g_strv_length (events))
    {
      g_printerr ("scalr import: %u labels for %u events files; give one label per file\n",
                  g_strv_length (label_list), g_strv_length (events));
      return EXIT_USAGE;
    }
  for (guint k = 0; events[k]; k++)
    scalr_import_options_add_events (o, events[k], label_list ? label_list[k] : NULL);
  if (name == NULL)
    name = scalr_import_default_name (events[0]);
  o->name = g_strdup (name);
  o->items_path = g_strdup (items);
  if (format && !scalr_format_from_string (format, &o->format, &error))
    return cli_fail ("import", error);
  o->user_column = g_strdup (ucol);
  o->item_column = g_strdup (icol);
  o->rating_column = g_strdup (rcol);
  o->timestamp_column = g_strdup (tcol);
  o->domain_column = g_strdup (dcol);

  /* Open the store first: a locked or broken store fails before the long parse. */
  g_autoptr (ScalrStore) store = cli_open_store (db, SCALR_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (ScalrProgress) progress = cli_progress_new ();
  ScalrImportReport report;
  g_autoptr (ScalrDataset) d = scalr_import_dataset_full (o, progress, NULL, &report, &error);
  if (d == NULL)
    return cli_fail ("import", error);
  g_autofree char *sources = g_strjoinv (",", events);
  gint64 id;
  scalr_progress_update (progress, "store", 0.5, "writing %s events", cli_count (scalr_dataset_get_n_events (d)));
  if (!scalr_store_add_dataset (store, d, sources, items, scalr_format_to_string (o->format), &id, &error))
    return cli_fail ("import", error);
  cli_progress_done ();

  print_import (store, d, id, &report, items != NULL, json);
  return EXIT_OK;
}

int
cmd_datasets (int argc, char **argv)
{
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[NAME] - list the datasets in the store (exit status 1 when NAME is not there)");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cli_parse (ctx, &argc, &argv, "datasets"))
    return EXIT_USAGE;
  if (argc > 2)
    {
      g_printerr ("scalr datasets: one dataset name at most\nTry 'scalr datasets --help'.\n");
      return EXIT_USAGE;
    }
  g_autoptr (ScalrStore) store = cli_open_store (db, SCALR_STORE_OPEN_READER);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = scalr_store_list_datasets (store, &error);
  if (list == NULL)
    return cli_fail ("datasets", error);
  if (argc == 2)
    {
      /* Only the one asked for: scripts test for a dataset by the exit status. */
      for (guint k = list->len; k-- > 0;)
        if (g_strcmp0 (((ScalrDatasetInfo *) g_ptr_array_index (list, k))->name, argv[1]) != 0)
          g_ptr_array_remove_index (list, k);
      if (list->len == 0)
        {
          g_set_error (&error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND, "%s: no dataset '%s'",
                       scalr_store_get_path (store), cli_safe (argv[1]));
          return cli_fail ("datasets", error);
        }
    }
  if (json)
    {
      g_autoptr (JsonArray) arr = json_array_new ();
      for (guint k = 0; k < list->len; k++)
        json_array_add_object_element (arr, scalr_dataset_info_to_json (g_ptr_array_index (list, k)));
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (root, arr);
      cli_print_json (root);
      return EXIT_OK;
    }
  if (list->len == 0)
    {
      g_print ("no datasets in %s; add one with: scalr import --name NAME --events FILE [--items FILE]\n",
               scalr_store_get_path (store));
      return EXIT_OK;
    }
  g_print ("%-4s %-24s %12s %9s %9s  %-20s %s\n", "id", "name", "events", "users", "items", "imported", "source");
  for (guint k = 0; k < list->len; k++)
    {
      ScalrDatasetInfo *i = g_ptr_array_index (list, k);
      g_print ("%-4" G_GINT64_FORMAT " %-24s %12s %9s %9s  %-20.19s %s\n", i->id, cli_safe (i->name),
               cli_count (i->n_events), cli_count (i->n_users), cli_count (i->n_items), i->created_at,
               cli_safe (i->events_source));
    }
  return EXIT_OK;
}

int
cmd_stats (int argc, char **argv)
{
  g_autofree char *db = NULL, *source = NULL, *target = NULL, *config = NULL;
  double threshold = NAN;
  int kcore = 0;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Take the dataset and domains from a config's [dataset] group", "FILE" },
    { "source", 's', 0, G_OPTION_ARG_STRING, &source, "Source domain rule, e.g. category:Comedy,!Drama", "RULE" },
    { "target", 't', 0, G_OPTION_ARG_STRING, &target, "Target domain rule, e.g. category:Drama,!Comedy", "RULE" },
    { "threshold", 0, 0, G_OPTION_ARG_DOUBLE, &threshold, "Keep events rated at least this (implicit feedback)", "X" },
    { "kcore", 0, 0, G_OPTION_ARG_INT, &kcore, "Keep users and items with at least K events per domain", "K" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("NAME - statistics of a dataset and of two domains");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "Domain rules: all | domain:LABEL[|LABEL] | category:NAME[|NAME][,!NAME…]\n"
    "  ',' is 'and', '|' is 'or', '!' negates.  Example (MovieLens genre split):\n"
    "  scalr stats movielens-small --source 'category:Comedy,!Drama' --target 'category:Drama,!Comedy'\n");
  if (!cli_parse (ctx, &argc, &argv, "stats"))
    return EXIT_USAGE;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = argc >= 2 ? g_strdup (argv[1]) : NULL;
  if (config)
    {
      /* The same bounded, checked reader as `scalr run` (an endless or hostile file stops). */
      g_autoptr (ScalrConfig) c = scalr_config_new_from_file (config, &error);
      if (c == NULL)
        return cli_fail ("stats", error);
      if (name == NULL)
        name = g_strdup (scalr_config_get (c, "dataset", "name"));
      if (source == NULL)
        source = g_strdup (scalr_config_get (c, "dataset", "source"));
      if (target == NULL)
        target = g_strdup (scalr_config_get (c, "dataset", "target"));
      if (isnan (threshold))
        threshold = scalr_config_get_double (c, "dataset", "implicit_threshold");
      if (kcore == 0)
        kcore = (int) scalr_config_get_int (c, "dataset", "kcore");
    }
  if (name == NULL || argc > 2)
    {
      g_printerr ("scalr stats: expected one dataset NAME\nTry 'scalr stats --help'.\n");
      return EXIT_USAGE;
    }
  if ((source == NULL) != (target == NULL))
    {
      g_printerr ("scalr stats: give both --source and --target, or neither\n");
      return EXIT_USAGE;
    }
  if (kcore < 0)
    {
      g_printerr ("scalr stats: --kcore must be 0 or more, not %d\n", kcore);
      return EXIT_USAGE;
    }
  g_autoptr (ScalrStore) store = cli_open_store (db, SCALR_STORE_OPEN_READER);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (ScalrDataset) d = scalr_store_load_dataset (store, name, NULL, &error);
  if (d == NULL)
    return cli_fail ("stats", error);
  g_autoptr (ScalrDomains) domains = NULL;
  if (source)
    {
      ScalrDomainsOptions opt = { threshold, (guint) kcore };
      domains = scalr_domains_new (d, source, target, &opt, &error);
      if (domains == NULL)
        return cli_fail ("stats", error);
    }
  g_autoptr (ScalrDatasetStats) st = scalr_dataset_stats_new (d, domains);
  if (json)
    {
      g_autoptr (JsonNode) node = scalr_dataset_stats_to_json (st);
      cli_print_json (node);
    }
  else
    print_stats_text (st);
  return EXIT_OK;
}
