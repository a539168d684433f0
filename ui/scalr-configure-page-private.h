/* scalr-configure-page-private.h — what the Configure page's files share
 * (scalr-configure-page.c: the page, presets, files, reset with undo, the run name and the
 * "repeats run N" hint; scalr-configure-rows.c: one row per parameter, its editor, its
 * changed-from-default marker and reset, relevance and search). */
#pragma once

#include "scalr-configure-page.h"

G_BEGIN_DECLS

typedef struct {
  const ScalrParam *param;    /* static table entry */
  GtkWidget        *row;      /* owned by its group */
  GtkWidget        *editor;   /* entry, spin button or switch; NULL for combo rows and toggles */
  GPtrArray        *toggles;  /* GtkToggleButton* per choice of a LIST parameter (models), or NULL */
  GtkWidget        *changed;  /* the changed-from-default marker */
  GtkWidget        *reset;    /* resets the row to its default */
  GtkWidget        *group;    /* the AdwPreferencesGroup (borrowed) */
  char             *allowed;  /* owned */
  char             *haystack; /* what search matches: title, key, help (casefolded) */
  char             *error;    /* owned; NULL while valid */
} ParamRow;

struct _ScalrConfigurePage {
  AdwBin       parent_instance;
  /* template */
  GtkWidget   *prefs, *status_label, *search_entry, *preset_button;
  GtkWidget   *name_entry, *repeat_row, *repeat_button, *no_match;

  ScalrConfig *config;        /* owned */
  GPtrArray   *rows;          /* ParamRow*, table order */
  GPtrArray   *groups;        /* AdwPreferencesGroup* (borrowed) */
  GStrv        datasets;      /* the store's dataset names */
  gboolean     updating;      /* fields are being set from the config */
  GtkNativeDialog *chooser;   /* owned while open */
  char        *db_path;
  GCancellable *repeat_cancellable;
  guint        repeat_timeout;
  gint64       repeat_run_id;
  GPtrArray   *presets;       /* ScalrPreset* */
};

/* scalr-configure-rows.c */
void      _scalr_configure_page_build_forms     (ScalrConfigurePage *self);
void      _scalr_configure_page_load_all_fields (ScalrConfigurePage *self);
void      _scalr_configure_page_load_field      (ScalrConfigurePage *self, ParamRow *r);
ParamRow *_scalr_configure_page_find_row        (ScalrConfigurePage *self, const char *group, const char *key);
/* Relevance, search and the changed markers of every row; the status line. */
void      _scalr_configure_page_refresh_rows    (ScalrConfigurePage *self);
void      _scalr_configure_page_fill_datasets   (ScalrConfigurePage *self);
void      _scalr_param_row_free                 (gpointer row);

/* scalr-configure-page.c */
/* A key changed (NULL, NULL: the whole config): rows, status, repeat hint, "changed". */
void      _scalr_configure_page_changed         (ScalrConfigurePage *self, const char *group, const char *key);

G_END_DECLS
