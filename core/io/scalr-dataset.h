/* scalr-dataset.h — an imported interaction dataset: id maps, normalised events, item metadata.
 *
 * Events are stored user-major (CSR over users) and, within a user, sorted by
 * (domain label, item); duplicates of (user, item, domain) were merged on import by keeping
 * the latest (largest timestamp; on ties the last in file order). A dataset is immutable
 * once built. */
#pragma once

#include "scalr-types.h"

G_BEGIN_DECLS

#define SCALR_DATASET_ERROR (scalr_dataset_error_quark ())
GQuark scalr_dataset_error_quark (void);

typedef enum {
  SCALR_DATASET_ERROR_EMPTY,        /* no events */
  SCALR_DATASET_ERROR_TOO_LARGE,    /* more ids or domains than the dense id types hold */
  SCALR_DATASET_ERROR_CORRUPT,      /* stored arrays that do not fit together */
} ScalrDatasetError;

#define SCALR_DATASET_MAX_DOMAINS 255

/* The events of a dataset, borrowed views of its arrays. */
typedef struct {
  guint64        n_events;
  const guint64 *user_ptr;   /* n_users + 1 offsets */
  const ScalrId *item;       /* n_events */
  const guint8  *domain;     /* n_events: domain label id (0 when there is no domain column) */
  const float   *rating;     /* n_events: 1.0 when the file had no rating column */
  const double  *timestamp;  /* n_events: 0 when the file had no timestamp column */
} ScalrEvents;

/* Datasets are reference-counted and immutable (but for the name), so threads may share them. */
ScalrDataset *scalr_dataset_ref              (ScalrDataset *dataset);
void          scalr_dataset_unref            (ScalrDataset *dataset);

const char   *scalr_dataset_get_name         (ScalrDataset *dataset);
void          scalr_dataset_set_name         (ScalrDataset *dataset, const char *name);
guint         scalr_dataset_get_n_users      (ScalrDataset *dataset);
guint         scalr_dataset_get_n_items      (ScalrDataset *dataset);
guint64       scalr_dataset_get_n_events     (ScalrDataset *dataset);
guint64       scalr_dataset_get_n_duplicates (ScalrDataset *dataset);
gboolean      scalr_dataset_has_ratings      (ScalrDataset *dataset);
gboolean      scalr_dataset_has_timestamps   (ScalrDataset *dataset);
void          scalr_dataset_get_events       (ScalrDataset *dataset, ScalrEvents *out);

/* Id maps (borrowed). */
ScalrIdMap   *scalr_dataset_get_users        (ScalrDataset *dataset);
ScalrIdMap   *scalr_dataset_get_items        (ScalrDataset *dataset);
ScalrIdMap   *scalr_dataset_get_domains      (ScalrDataset *dataset);
ScalrIdMap   *scalr_dataset_get_categories   (ScalrDataset *dataset);

/* Item metadata (from the optional items file). Title is NULL when unknown. */
gboolean      scalr_dataset_has_item_metadata (ScalrDataset *dataset);
const char   *scalr_dataset_get_item_title   (ScalrDataset *dataset, ScalrId item);
/* Category ids of @item (borrowed), *n_out of them. */
const guint32 *scalr_dataset_get_item_categories (ScalrDataset *dataset, ScalrId item, guint *n_out);

/* Hex SHA-256 over the normalised events, the id maps and the item metadata. */
const char   *scalr_dataset_get_fingerprint  (ScalrDataset *dataset);

/* Bytes held by the dataset's arrays and maps. */
gsize         scalr_dataset_get_memory       (ScalrDataset *dataset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrDataset, scalr_dataset_unref)

G_END_DECLS
