/* scalr-window.c — the main window: header bar, error banner, sidebar of pages.
 *
 * The store is read in a GTask worker thread; the main thread only updates widgets. */
#include "config.h"

#include "scalr-window.h"

#include "scalr-dataset.h"
#include "scalr-dataset-stats.h"
#include "scalr-domains.h"
#include "scalr-resources.h"

struct _ScalrWindow {
  AdwApplicationWindow parent_instance;
  GtkWidget *window_title;
  GtkWidget *banner_revealer;
  GtkWidget *banner;
  GtkWidget *banner_label;
  GtkWidget *stack;
  GtkWidget *datasets_page;
  char      *db_path;
  char      *dataset;
  GCancellable *cancellable;
  gboolean   loaded;
};

G_DEFINE_FINAL_TYPE (ScalrWindow, scalr_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct {
  char *db_path;
  char *dataset;
} LoadInput;

typedef struct {
  guint              n_datasets;
  char              *name;
  ScalrDatasetStats *stats;
} LoadResult;

static void
load_input_free (LoadInput *in)
{
  g_free (in->db_path);
  g_free (in->dataset);
  g_free (in);
}

static void
load_result_free (LoadResult *r)
{
  g_free (r->name);
  g_clear_pointer (&r->stats, scalr_dataset_stats_free);
  g_free (r);
}

static void
load_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  LoadInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autoptr (GPtrArray) list = scalr_store_list_datasets (store, &error);
  if (list == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  LoadResult *r = g_new0 (LoadResult, 1);
  r->n_datasets = list->len;
  const char *name = in->dataset;
  if (name == NULL && list->len > 0)
    name = ((ScalrDatasetInfo *) g_ptr_array_index (list, 0))->name;
  if (name)
    {
      g_autoptr (ScalrDataset) d = scalr_store_load_dataset (store, name, cancellable, &error);
      if (d == NULL)
        {
          load_result_free (r);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      r->name = g_strdup (name);
      r->stats = scalr_dataset_stats_new (d, NULL);
    }
  g_task_return_pointer (task, r, (GDestroyNotify) load_result_free);
}

static void
load_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrWindow *self = SCALR_WINDOW (source);
  g_autoptr (GError) error = NULL;
  LoadResult *r = g_task_propagate_pointer (G_TASK (res), &error);
  self->loaded = TRUE;
  if (r == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          scalr_window_show_error (self, error->message);
          adw_status_page_set_title (ADW_STATUS_PAGE (self->datasets_page), "The store could not be read");
          adw_status_page_set_description (ADW_STATUS_PAGE (self->datasets_page), error->message);
        }
      return;
    }
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), self->db_path);
  if (r->stats == NULL)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->datasets_page), "No datasets yet");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->datasets_page),
        "Import one with: scalr import --name NAME --events FILE --items FILE");
    }
  else
    {
      g_autofree char *title = g_strdup_printf ("%s", r->name);
      g_autofree char *desc = g_strdup_printf (
        "%" G_GUINT64_FORMAT " events · %u users · %u items · %u categories\n"
        "%u dataset%s in the store",
        r->stats->all.events, r->stats->all.users, r->stats->all.items, r->stats->n_categories,
        r->n_datasets, r->n_datasets == 1 ? "" : "s");
      adw_status_page_set_title (ADW_STATUS_PAGE (self->datasets_page), title);
      adw_status_page_set_description (ADW_STATUS_PAGE (self->datasets_page), desc);
    }
  load_result_free (r);
}

static void
on_banner_response (GtkInfoBar *bar, int response, ScalrWindow *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), FALSE);
}

void
scalr_window_show_error (ScalrWindow *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->banner_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), TRUE);
}

gboolean
scalr_window_is_loaded (ScalrWindow *self)
{
  return self->loaded;
}

static void
scalr_window_dispose (GObject *object)
{
  ScalrWindow *self = SCALR_WINDOW (object);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_WINDOW);
  G_OBJECT_CLASS (scalr_window_parent_class)->dispose (object);
}

static void
scalr_window_finalize (GObject *object)
{
  ScalrWindow *self = SCALR_WINDOW (object);
  g_clear_object (&self->cancellable);
  g_free (self->db_path);
  g_free (self->dataset);
  G_OBJECT_CLASS (scalr_window_parent_class)->finalize (object);
}

static void
scalr_window_class_init (ScalrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  /* Referencing the bundle links its object file (and so its registering constructor)
   * out of the static library. */
  GResource *bundle = scalr_get_resource ();
  (void) bundle;
  object_class->dispose = scalr_window_dispose;
  object_class->finalize = scalr_window_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, datasets_page);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
scalr_window_init (ScalrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self->banner, "response", G_CALLBACK (on_banner_response), self);
}

ScalrWindow *
scalr_window_new (AdwApplication *app, const char *db_path, const char *dataset)
{
  ScalrWindow *self = g_object_new (SCALR_TYPE_WINDOW, "application", app, NULL);
  self->db_path = g_strdup (db_path);
  self->dataset = g_strdup (dataset);
  LoadInput *in = g_new0 (LoadInput, 1);
  in->db_path = g_strdup (db_path);
  in->dataset = g_strdup (dataset);
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, in, (GDestroyNotify) load_input_free);
  g_task_run_in_thread (task, load_worker);
  return self;
}
