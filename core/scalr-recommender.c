/* scalr-recommender.c — the registry of downstream recommenders. */
#include "config.h"

#include "scalr-recommender.h"

#include "recommenders/scalr-recommenders-mf-private.h"
#include "recommenders/scalr-recommenders-private.h"

/* The registry: one line per recommender. */
static const ScalrRecommenderClass *const recommenders[] = {
  &scalr_pop_recommender,
  &scalr_itemknn_recommender,
  &scalr_ials_recommender,
  &scalr_bpr_recommender,
  &scalr_ease_recommender,
};

const ScalrRecommenderClass *const *
scalr_recommender_list (guint *n_out)
{
  *n_out = G_N_ELEMENTS (recommenders);
  return recommenders;
}

const ScalrRecommenderClass *
scalr_recommender_lookup (const char *name)
{
  for (guint k = 0; k < G_N_ELEMENTS (recommenders); k++)
    if (g_strcmp0 (recommenders[k]->name, name) == 0)
      return recommenders[k];
  return NULL;
}
