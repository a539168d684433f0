/* scalr-window.h — the main window of the workbench. */
#pragma once

#include <adwaita.h>

#include "scalr-store.h"

G_BEGIN_DECLS

#define SCALR_TYPE_WINDOW (scalr_window_get_type ())
G_DECLARE_FINAL_TYPE (ScalrWindow, scalr_window, SCALR, WINDOW, AdwApplicationWindow)

/* @db_path: the store; @dataset: the dataset to show first (may be NULL). */
ScalrWindow *scalr_window_new (AdwApplication *app, const char *db_path, const char *dataset);
/* Shows an error banner (no modal dialog). */
void         scalr_window_show_error (ScalrWindow *self, const char *message);
/* TRUE once the store has been read (for tests). */
gboolean     scalr_window_is_loaded (ScalrWindow *self);

G_END_DECLS
