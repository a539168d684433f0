/* scalr-dataset-private.h — building datasets (importer, store, tests). */
#pragma once

#include "scalr-dataset.h"
#include "scalr-idmap.h"

G_BEGIN_DECLS

typedef struct _ScalrDatasetBuilder ScalrDatasetBuilder;

ScalrDatasetBuilder *_scalr_dataset_builder_new  (void);
void                 _scalr_dataset_builder_free (ScalrDatasetBuilder *builder);
ScalrIdMap          *_scalr_dataset_builder_get_users   (ScalrDatasetBuilder *builder);
ScalrIdMap          *_scalr_dataset_builder_get_items   (ScalrDatasetBuilder *builder);
ScalrIdMap          *_scalr_dataset_builder_get_domains (ScalrDatasetBuilder *builder);
ScalrIdMap          *_scalr_dataset_builder_get_categories (ScalrDatasetBuilder *builder);
guint64              _scalr_dataset_builder_get_n_events (ScalrDatasetBuilder *builder);
/* Appends one event with dense ids. */
void                 _scalr_dataset_builder_add (ScalrDatasetBuilder *builder,
                                                 ScalrId user, ScalrId item, guint8 domain,
                                                 float rating, double timestamp);
/* Makes room for @n_events more events in one step (a hint: adding more still works). */
void                 _scalr_dataset_builder_reserve (ScalrDatasetBuilder *builder,
                                                     guint64 n_events);
void                 _scalr_dataset_builder_set_columns (ScalrDatasetBuilder *builder,
                                                         gboolean has_rating,
                                                         gboolean has_timestamp);
/* Sets metadata of an item already known (title may be NULL; categories are names). */
void                 _scalr_dataset_builder_set_item_meta (ScalrDatasetBuilder *builder,
                                                           ScalrId item, const char *title,
                                                           const char * const *categories,
                                                           guint n_categories);
/* Sorts, merges duplicates, computes the fingerprint. Consumes @builder. */
ScalrDataset        *_scalr_dataset_builder_finish (ScalrDatasetBuilder *builder,
                                                    const char *name,
                                                    GError **error);

/* For the store: the count of duplicates merged when the dataset was first imported. */
void                 _scalr_dataset_set_n_duplicates (ScalrDataset *dataset, guint64 n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrDatasetBuilder, _scalr_dataset_builder_free)

G_END_DECLS
