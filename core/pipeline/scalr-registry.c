/* scalr-registry.c — the component lists and the assembled parameter tables. */
#include "config.h"

#include "scalr-registry.h"

#include <string.h>

#include "scalr-config.h"
#include "scalr-domains.h"
#include "scalr-eval.h"
#include "scalr-sampler.h"
#include "scalr-split.h"
#include "generators/scalr-generators-private.h"
#include "recommenders/scalr-recommenders-mf-private.h"
#include "recommenders/scalr-recommenders-private.h"

/* The built-in components: one line each. */
static const ScalrGeneratorClass *const builtin_generators[] = {
  &scalr_cooc_generator,
  &scalr_ridge_generator,
  &scalr_popularity_generator,
  &scalr_embmap_generator,
};

static const ScalrRecommenderClass *const builtin_recommenders[] = {
  &scalr_pop_recommender,
  &scalr_itemknn_recommender,
  &scalr_ials_recommender,
  &scalr_bpr_recommender,
  &scalr_ease_recommender,
};

static GMutex lock;
/* Every table list ever handed to the config (each still referenced by configs and forms
 * made before a rebuild); never freed. */
static GPtrArray *kept;

/* @table with the choices (and help) of @key replaced; the copy lives as long as the
 * process (configs and forms keep pointers into it). */
static const ScalrParam *
with_choices (const ScalrParam *table, const char *key, const char *choices, const char *help)
{
  guint n = 0;
  while (table[n].group)
    n++;
  ScalrParam *copy = g_new0 (ScalrParam, n + 1);
  memcpy (copy, table, (n + 1) * sizeof *copy);
  for (guint k = 0; k < n; k++)
    if (strcmp (copy[k].key, key) == 0)
      {
        copy[k].choices = choices;
        if (help)
          copy[k].help = help;
      }
  return copy;
}

static const ScalrParam *
generator_common_table (void)
{
  guint n;
  const ScalrGeneratorClass *const *gens = scalr_generator_list (&n);
  GString *choices = g_string_new (NULL), *help = g_string_new ("Stage-1 model: ");
  for (guint k = 0; k < n; k++)
    {
      g_string_append_printf (choices, "%s%s", k ? "|" : "", gens[k]->name);
      g_string_append_printf (help, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ", gens[k]->name);
    }
  return with_choices (scalr_generator_common_params, "model", g_string_free (choices, FALSE),
                       g_string_free (help, FALSE));
}

static const ScalrParam *
downstream_common_table (void)
{
  guint n;
  const ScalrRecommenderClass *const *recs = scalr_recommender_list (&n);
  GString *choices = g_string_new (NULL);
  for (guint k = 0; k < n; k++)
    g_string_append_printf (choices, "%s%s", k ? "|" : "", recs[k]->name);
  return with_choices (scalr_downstream_params, "models", g_string_free (choices, FALSE), NULL);
}

/* Builds and registers the tables from the current component lists (with @lock held). */
static void
rebuild_tables (void)
{
  GPtrArray *tables = g_ptr_array_new ();   /* kept for the life of the process */
  g_ptr_array_add (tables, (gpointer) scalr_dataset_params);
  g_ptr_array_add (tables, (gpointer) scalr_split_params);
  g_ptr_array_add (tables, (gpointer) generator_common_table ());
  guint n;
  const ScalrGeneratorClass *const *gens = scalr_generator_list (&n);
  for (guint k = 0; k < n; k++)
    if (gens[k]->params)
      g_ptr_array_add (tables, (gpointer) gens[k]->params);
  g_ptr_array_add (tables, (gpointer) scalr_sampler_params);
  g_ptr_array_add (tables, (gpointer) downstream_common_table ());
  const ScalrRecommenderClass *const *recs = scalr_recommender_list (&n);
  for (guint k = 0; k < n; k++)
    if (recs[k]->params)
      g_ptr_array_add (tables, (gpointer) recs[k]->params);
  g_ptr_array_add (tables, (gpointer) scalr_eval_params);
  g_ptr_array_add (tables, NULL);
  if (kept == NULL)
    kept = g_ptr_array_new ();
  g_ptr_array_add (kept, tables);
  scalr_config_set_tables ((const ScalrParam *const *) tables->pdata);
}

void
scalr_registry_init (void)
{
  static gsize done;
  if (g_once_init_enter (&done))
    {
      g_mutex_lock (&lock);
      for (guint k = 0; k < G_N_ELEMENTS (builtin_generators); k++)
        scalr_generator_register (builtin_generators[k]);
      for (guint k = 0; k < G_N_ELEMENTS (builtin_recommenders); k++)
        scalr_recommender_register (builtin_recommenders[k]);
      rebuild_tables ();
      g_mutex_unlock (&lock);
      g_once_init_leave (&done, 1);
    }
}

void
scalr_registry_add_generator (const ScalrGeneratorClass *klass)
{
  scalr_registry_init ();
  g_mutex_lock (&lock);
  scalr_generator_register (klass);
  rebuild_tables ();
  g_mutex_unlock (&lock);
}

void
scalr_registry_add_recommender (const ScalrRecommenderClass *klass)
{
  scalr_registry_init ();
  g_mutex_lock (&lock);
  scalr_recommender_register (klass);
  rebuild_tables ();
  g_mutex_unlock (&lock);
}
