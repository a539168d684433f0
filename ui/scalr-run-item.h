/* scalr-run-item.h — one run of the store, as an item of the Runs page's GListModel. */
#pragma once

#include <glib-object.h>

#include "scalr-store.h"

G_BEGIN_DECLS

#define SCALR_TYPE_RUN_ITEM (scalr_run_item_get_type ())
G_DECLARE_FINAL_TYPE (ScalrRunItem, scalr_run_item, SCALR, RUN_ITEM, GObject)

/* Copies @info. @group_label ("Sweep over sampler.user_ratio"), @lift_text (the headline:
 * sparse users, best model vs the strongest baseline), @own_text (the same model vs its own
 * baseline) and @lift_detail (what the headline measures) may be NULL ("–" is shown). */
ScalrRunItem  *scalr_run_item_new           (const ScalrRunInfo *info,
                                             const char         *group_label,
                                             const char         *lift_text,
                                             const char         *own_text,
                                             const char         *lift_detail) G_GNUC_WARN_UNUSED_RESULT;

/* The run as read from the store (borrowed). */
const ScalrRunInfo *scalr_run_item_get_info (ScalrRunItem *item);
gint64          scalr_run_item_get_id        (ScalrRunItem *item);
const char     *scalr_run_item_get_name      (ScalrRunItem *item);
ScalrRunStatus  scalr_run_item_get_status    (ScalrRunItem *item);
const char     *scalr_run_item_get_dataset   (ScalrRunItem *item);
/* The config's generator.model (NULL when the config does not say). */
const char     *scalr_run_item_get_generator (ScalrRunItem *item);
/* ISO 8601 UTC as stored. */
const char     *scalr_run_item_get_created   (ScalrRunItem *item);
/* "2026-05-01 14:03" in local time (owned). */
char           *scalr_run_item_format_created (ScalrRunItem *item) G_GNUC_WARN_UNUSED_RESULT;
/* "3 min 05 s"; "–" while running (owned). */
char           *scalr_run_item_format_duration (ScalrRunItem *item) G_GNUC_WARN_UNUSED_RESULT;
const char     *scalr_run_item_get_group_label (ScalrRunItem *item);
const char     *scalr_run_item_get_lift_text (ScalrRunItem *item);
const char     *scalr_run_item_get_own_text  (ScalrRunItem *item);
/* What the headline lift measures (for a tooltip); may be NULL. */
const char     *scalr_run_item_get_lift_detail (ScalrRunItem *item);
/* The failure message; NULL unless failed or cancelled. */
const char     *scalr_run_item_get_error     (ScalrRunItem *item);

G_END_DECLS
