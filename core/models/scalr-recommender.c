/* scalr-recommender.c — the registry of downstream recommenders: filled at start-up by
 * scalr_registry_init (core/pipeline/scalr-registry.c holds the one line per model),
 * read-only afterwards. */
#include "config.h"

#include "scalr-recommender.h"

static GPtrArray *recommenders;   /* const ScalrRecommenderClass *, borrowed */

void
scalr_recommender_register (const ScalrRecommenderClass *klass)
{
  g_return_if_fail (klass != NULL && klass->name != NULL && klass->fit != NULL);
  if (scalr_recommender_lookup (klass->name) != NULL)
    {
      g_critical ("scalr: a recommender named '%s' is already registered", klass->name);
      return;
    }
  if (recommenders == NULL)
    recommenders = g_ptr_array_new ();
  g_ptr_array_add (recommenders, (gpointer) klass);
}

const ScalrRecommenderClass *const *
scalr_recommender_list (guint *n_out)
{
  *n_out = recommenders ? recommenders->len : 0;
  return recommenders ? (const ScalrRecommenderClass *const *) recommenders->pdata : NULL;
}

const ScalrRecommenderClass *
scalr_recommender_lookup (const char *name)
{
  for (guint k = 0; recommenders && k < recommenders->len; k++)
    {
      const ScalrRecommenderClass *klass = recommenders->pdata[k];
      if (g_strcmp0 (klass->name, name) == 0)
        return klass;
    }
  return NULL;
}
