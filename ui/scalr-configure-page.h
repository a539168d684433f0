/* scalr-configure-page.h — the Configure page: forms generated from the parameter tables
 * ([dataset] [split] [generator] [sampler] [downstream] [eval]) with readable titles, a
 * search, changed-from-default markers and per-row reset, validated as you type; presets
 * from data/presets; config files; Reset with Undo; the name of the next run and a hint
 * when the configuration repeats a stored run. */
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
/* The first invalid field's message ("group.key: …") of a key that applies, or NULL when
 * every such field is valid. */
const char  *scalr_configure_page_get_error (ScalrConfigurePage *page);
/* Sets one key and its field. On error returns FALSE and sets @error; nothing changes. */
gboolean     scalr_configure_page_set_value (ScalrConfigurePage *page, const char *group,
                                             const char *key, const char *value, GError **error);
/* Applies a preset by id (a file of data/presets without ".ini": "paper", "quick-demo",
 * "sparse-users", "top1-ablation"), or "defaults"; the [dataset] group is kept and a toast
 * offers Undo. On error (no such preset, a file that does not load) returns FALSE and sets
 * @error; nothing changes. */
gboolean     scalr_configure_page_apply_preset (ScalrConfigurePage *page, const char *preset, GError **error);
/* The presets the menu lists (ScalrPreset*, borrowed; may be NULL when none were found). */
GPtrArray   *scalr_configure_page_get_presets (ScalrConfigurePage *page);
/* Replaces the configuration with a file's. On error returns FALSE and sets @error (with the
 * file, line, key and value); nothing changes. */
gboolean     scalr_configure_page_load_file (ScalrConfigurePage *page, const char *path, GError **error);
/* Writes the resolved configuration. On error returns FALSE and sets @error. */
gboolean     scalr_configure_page_save_file (ScalrConfigurePage *page, const char *path, GError **error);
/* The store's datasets, for the dataset chooser (copied). */
void         scalr_configure_page_set_datasets (ScalrConfigurePage *page, const char *const *names);
/* The store the "repeats run N" hint looks in. */
void         scalr_configure_page_set_store (ScalrConfigurePage *page, const char *db_path);
/* The name typed for the next run, or NULL (then the run is named from its config). */
char        *scalr_configure_page_dup_run_name (ScalrConfigurePage *page) G_GNUC_WARN_UNUSED_RESULT;
void         scalr_configure_page_set_run_name (ScalrConfigurePage *page, const char *name);
/* A run of this configuration started: the name field empties. */
void         scalr_configure_page_run_started (ScalrConfigurePage *page);
/* The stored run the configuration repeats, shown as a hint (0: none); and whether that is
 * still being looked up (for tests). */
gint64       scalr_configure_page_get_repeated_run (ScalrConfigurePage *page);
gboolean     scalr_configure_page_is_checking (ScalrConfigurePage *page);

G_END_DECLS
