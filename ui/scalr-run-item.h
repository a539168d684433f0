/* scalr-run-item.h — one run of the store, as an item of the Runs page's GListModel. */
#pragma once

#include <glib-object.h>

#include "scalr-store.h"

G_BEGIN_DECLS

#define SCALR_TYPE_RUN_ITEM (scalr_run_item_get_type ())
G_DECLARE_FINAL_TYPE (ScalrRunItem, scalr_run_item, SCALR, RUN_ITEM, GObject)

/* Copies what it needs from @info. @generator (the config's generator.model) and
 * @lift_text (the headline lift, "–" when none) may be NULL. */
ScalrRunItem  *scalr_run_item_new           (const ScalrRunInfo *info,
                                             const char         *generator,
                                             const char         *lift_text,
                                             const char         *lift_detail) G_GNUC_WARN_UNUSED_RESULT;

gint64          scalr_run_item_get_id        (ScalrRunItem *item);
const char     *scalr_run_item_get_name      (ScalrRunItem *item);
ScalrRunStatus  scalr_run_item_get_status    (ScalrRunItem *item);
const char     *scalr_run_item_get_dataset   (ScalrRunItem *item);
const char     *scalr_run_item_get_generator (ScalrRunItem *item);
/* ISO 8601 UTC as stored. */
const char     *scalr_run_item_get_created   (ScalrRunItem *item);
/* "2026-05-01 14:03" in local time (owned). */
char           *scalr_run_item_format_created (ScalrRunItem *item) G_GNUC_WARN_UNUSED_RESULT;
const char     *scalr_run_item_get_lift_text (ScalrRunItem *item);
/* What the headline lift measures (for a tooltip); may be NULL. */
const char     *scalr_run_item_get_lift_detail (ScalrRunItem *item);
/* The failure message; NULL unless failed or cancelled. */
const char     *scalr_run_item_get_error     (ScalrRunItem *item);

G_END_DECLS
