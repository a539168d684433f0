/* scalr-dataset-stats.h — descriptive statistics of a dataset and of its two domains. */
#pragma once

#include <json-glib/json-glib.h>

#include "scalr-types.h"
#include "scalr-csr.h"
#include "scalr-stats.h"   /* scalr_quantile_sorted */

G_BEGIN_DECLS

#define SCALR_N_QUANTILES 7
/* Quantile levels of the activity summaries: min, p10, p25, median, p75, p90, max. */
extern const double scalr_quantile_levels[SCALR_N_QUANTILES];

#define SCALR_ACTIVITY_BINS 24   /* bin b holds users with activity in [2^b, 2^(b+1)) */

typedef struct {
  char    *name;        /* owned: "all", "source", "target" or a domain label */
  char    *rule;        /* owned: the rule text, or NULL */
  guint64  events;
  guint    users;       /* users with at least one event */
  guint    items;       /* items with at least one event */
  double   density;     /* events / (users × items) */
  double   user_activity[SCALR_N_QUANTILES];   /* events per user, over users with events */
  double   item_popularity[SCALR_N_QUANTILES]; /* events per item, over items with events */
  guint64  activity_hist[SCALR_ACTIVITY_BINS];
  GArray  *top_categories;   /* ScalrCategoryCount, most events first, at most 10 */
} ScalrDomainStats;

typedef struct {
  char    *name;        /* owned: category name */
  guint64  events;
} ScalrCategoryCount;

struct _ScalrDatasetStats {
  char             *dataset;       /* owned: dataset name */
  char             *fingerprint;   /* owned */
  guint64           duplicates;    /* merged on import */
  guint             n_categories;
  gboolean          has_ratings;
  gboolean          has_timestamps;
  ScalrDomainStats  all;
  GPtrArray        *labels;        /* ScalrDomainStats*: one per domain label (empty if a single unlabeled domain) */
  gboolean          has_domains;   /* source/target below are set */
  ScalrDomainStats  source;
  ScalrDomainStats  target;
  guint             overlap_users;
  guint             source_only_users;
  guint             target_only_users;
  guint64           filtered_events;
};

/* Statistics of @dataset; with @domains (may be NULL) also of the two domains. */
ScalrDatasetStats *scalr_dataset_stats_new     (ScalrDataset *dataset,
                                                ScalrDomains *domains) G_GNUC_WARN_UNUSED_RESULT;
void               scalr_dataset_stats_free    (ScalrDatasetStats *stats);
JsonNode          *scalr_dataset_stats_to_json (const ScalrDatasetStats *stats) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrDatasetStats, scalr_dataset_stats_free)

G_END_DECLS
