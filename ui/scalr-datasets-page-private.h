/* scalr-datasets-page-private.h — what the Datasets page's files share: the instance
 * struct and a few helpers (scalr-datasets-page.c: listing, rules, the import thread;
 * scalr-datasets-stats.c: the statistics; scalr-datasets-venn.c: the two-set diagram;
 * scalr-datasets-import.c: the import form). */
#pragma once

#include "scalr-datasets-page.h"

#include "scalr-dataset.h"
#include "scalr-dataset-stats.h"
#include "scalr-progress-relay.h"

G_BEGIN_DECLS

struct _ScalrDatasetsPage {
  AdwBin        parent_instance;
  /* template */
  GtkWidget    *import_revealer, *import_spinner, *import_label, *import_bar;
  GtkWidget    *stack, *empty_page, *dataset_list;
  GtkWidget    *title_label, *subtitle_label, *cards_box;
  GtkWidget    *source_entry, *target_entry, *use_button, *rule_error;
  GtkWidget    *domain_table, *charts_box, *venn, *activity_chart;
  GtkWidget    *categories_hint, *category_box;
  /* cards */
  GtkWidget    *card_value[4], *card_caption[4];

  char         *db_path;
  char         *pending_select;     /* select after the next listing */
  GPtrArray    *infos;              /* ScalrDatasetInfo*, as listed */
  char         *selected;           /* name of the selected dataset */
  ScalrDataset *dataset;            /* loaded selected dataset (NULL until loaded) */
  GCancellable *list_cancellable;   /* non-NULL while listing */
  GCancellable *stats_cancellable;  /* non-NULL while computing statistics */
  guint         stats_serial;
  guint         rules_timeout;
  gboolean      importing;
  gboolean      disposed;
  ScalrProgressRelay *import_relay;
  GtkWidget    *focus_rule;         /* the rule entry categories go to */
  GdkModifierType click_state;      /* modifiers of the last press on a category */
  guint64       shown_events;
  gboolean      selecting;          /* rows are being rebuilt */

  /* two-set diagram, prepared when the statistics arrive */
  gboolean      venn_valid;
  guint         venn_source, venn_target, venn_overlap;
  double        venn_rs, venn_rt, venn_d;   /* radii and centre distance, unit scale */
};

/* scalr-datasets-page.c */
void  _scalr_datasets_remove_all_children      (GtkWidget *parent);
void  _scalr_datasets_page_show_error          (ScalrDatasetsPage *self, const char *message);

/* scalr-datasets-stats.c */
/* Computes the selected dataset's statistics in a thread, then fills the page. */
void  _scalr_datasets_page_load_stats          (ScalrDatasetsPage *self);
void  _scalr_datasets_page_clear_details       (ScalrDatasetsPage *self);

/* scalr-datasets-venn.c */
void  _scalr_datasets_page_prepare_venn        (ScalrDatasetsPage *self, const ScalrDatasetStats *st);
/* The GtkDrawingArea draw function of the diagram; @data is the page. */
void  _scalr_datasets_page_venn_draw           (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data);

G_END_DECLS
