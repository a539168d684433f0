/* scalr-configure-page.h — the Configure page: forms generated from the parameter tables
 * ([dataset] [split] [generator] [sampler] [downstream] [eval]), validated as you type,
 * presets, and config files. */
#pragma once

#include <adwaita.h>

#include "scalr-config.h"

G_BEGIN_DECLS

#define SCALR_TYPE_CONFIGURE_PAGE (scalr_configure_page_get_type ())
G_DECLARE_FINAL_TYPE (ScalrConfigurePage, scalr_configure_page, SCALR, CONFIGURE_PAGE, AdwBin)

GtkWidget   *scalr_configure_page_new (void);
/* A copy of the configuration (every key; the last valid value of a key whose field holds
 * an invalid text). */
ScalrConfig *scalr_configure_page_dup_config (ScalrConfigurePage *page) G_GNUC_WARN_UNUSED_RESULT;
/* The first invalid field's message ("group.key: …"), or NULL when every field is valid. */
const char  *scalr_configure_page_get_error (ScalrConfigurePage *page);
/* Sets one key and its field. On error returns FALSE and sets @error; nothing changes. */
gboolean     scalr_configure_page_set_value (ScalrConfigurePage *page, const char *group,
                                             const char *key, const char *value, GError **error);
/* Presets: "paper" (cooc, per_event K=1), "top1" (cooc, topk k=1), "quick" (pop and ease,
 * 200 bootstrap resamples), "defaults". The [dataset] group is kept. Unknown names are ignored. */
void         scalr_configure_page_apply_preset (ScalrConfigurePage *page, const char *preset);
/* Replaces the configuration with a file's. On error returns FALSE and sets @error (with the
 * file, line, key and value); nothing changes. */
gboolean     scalr_configure_page_load_file (ScalrConfigurePage *page, const char *path, GError **error);
/* Writes the resolved configuration. On error returns FALSE and sets @error. */
gboolean     scalr_configure_page_save_file (ScalrConfigurePage *page, const char *path, GError **error);

G_END_DECLS
