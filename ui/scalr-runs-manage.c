/* scalr-runs-manage.c — managing the selected run: rename, tags and note (one dialog),
 * delete with an Undo toast (the run goes to the store's trash; it is purged when the toast
 * goes away without Undo, or at the next start), and export. Every store write runs in a
 * worker thread with its own connection. */
#include "config.h"

#include "scalr-runs-page-private.h"

#include <string.h>

#include "scalr-export.h"
#include "scalr-window.h"

/* Trash older than this at start belongs to no open window's Undo toast. */
#define STALE_TRASH_SECONDS 600.0

/* ---- store writes in a thread ------------------------------------------------------- */

typedef enum { OP_EDIT, OP_TRASH, OP_RESTORE, OP_PURGE, OP_PURGE_STALE } OpKind;

typedef struct {
  OpKind  kind;
  char   *db_path;
  gint64  run_id;
  char   *name, *tags, *note;   /* OP_EDIT */
} OpInput;

static void
op_input_free (OpInput *in)
{
  g_free (in->db_path);
  g_free (in->name);
  g_free (in->tags);
  g_free (in->note);
  g_free (in);
}

static void
op_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  OpInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  gboolean ok = store != NULL;
  switch (in->kind)
    {
    case OP_EDIT:
      ok = ok && scalr_store_rename_run (store, in->run_id, in->name, &error)
           && scalr_store_set_run_tags (store, in->run_id, in->tags, &error)
           && scalr_store_set_run_note (store, in->run_id, in->note, &error);
      break;
    case OP_TRASH:
      ok = ok && scalr_store_trash_run (store, in->run_id, &error);
      break;
    case OP_RESTORE:
      ok = ok && scalr_store_restore_run (store, in->run_id, &error);
      break;
    case OP_PURGE:
      ok = ok && scalr_store_purge_run (store, in->run_id, &error);
      break;
    case OP_PURGE_STALE:
      ok = ok && scalr_store_purge_trashed (store, STALE_TRASH_SECONDS, NULL, &error);
      break;
    }
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void on_deleted_toast_dismissed (AdwToast *toast, ScalrRunsPage *self);
static void on_undo_clicked (AdwToast *toast, ScalrRunsPage *self);

static void
show_deleted_toast (ScalrRunsPage *self, gint64 run_id)
{
  g_autofree char *title = g_strdup_printf ("Run %" G_GINT64_FORMAT " deleted", run_id);
  AdwToast *toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, "_Undo");
  adw_toast_set_timeout (toast, 8);
  g_object_set_data (G_OBJECT (toast), "run-id", GSIZE_TO_POINTER ((gsize) run_id));
  /* AdwToast::button-clicked is libadwaita 1.2. */
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_deleted_toast_dismissed), self, 0);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  if (SCALR_IS_WINDOW (root))
    scalr_window_add_toast (SCALR_WINDOW (root), toast);
  else
    {
      g_object_ref_sink (toast);
      g_object_unref (toast);
    }
}

static void
op_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (source);
  OpInput *in = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  self->ops_going--;
  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      if (!self->disposed && in->kind != OP_PURGE_STALE)
        {
          g_autofree char *msg = g_strdup_printf ("Run %" G_GINT64_FORMAT ": %s", in->run_id, error->message);
          _scalr_runs_page_show_error (self, msg);
        }
      return;
    }
  if (self->disposed || in->kind == OP_PURGE || in->kind == OP_PURGE_STALE)
    return;
  if (in->kind == OP_TRASH)
    show_deleted_toast (self, in->run_id);
  else if (in->kind == OP_RESTORE)
    {
      g_autofree char *msg = g_strdup_printf ("Run %" G_GINT64_FORMAT " restored", in->run_id);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
    }
  scalr_runs_page_refresh (self);
  g_signal_emit (self, _scalr_runs_page_signals[RUNS_SIGNAL_RUNS_CHANGED], 0);
}

static void
start_op (ScalrRunsPage *self, OpInput *in)
{
  in->db_path = g_strdup (self->db_path);
  self->ops_going++;
  g_autoptr (GTask) task = g_task_new (self, NULL, op_done, NULL);
  g_task_set_task_data (task, in, (GDestroyNotify) op_input_free);
  g_task_run_in_thread (task, op_worker);
}

static OpInput *
op_new (OpKind kind, gint64 run_id)
{
  OpInput *in = g_new0 (OpInput, 1);
  in->kind = kind;
  in->run_id = run_id;
  return in;
}

void
_scalr_runs_page_purge_stale_trash (ScalrRunsPage *self)
{
  if (self->db_path)
    start_op (self, op_new (OP_PURGE_STALE, 0));
}

/* ---- delete and undo ------------------------------------------------------------------ */

gboolean
scalr_runs_page_delete_run (ScalrRunsPage *self, gint64 run_id)
{
  g_return_val_if_fail (SCALR_IS_RUNS_PAGE (self), FALSE);
  if (self->db_path == NULL || run_id <= 0
      || (scalr_runs_page_is_running (self) && run_id == scalr_runs_page_get_current_run_id (self)))
    return FALSE;
  start_op (self, op_new (OP_TRASH, run_id));
  return TRUE;
}

void
scalr_runs_page_undo_delete (ScalrRunsPage *self, gint64 run_id)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  if (self->db_path)
    start_op (self, op_new (OP_RESTORE, run_id));
}

static void
on_deleted_toast_dismissed (AdwToast *toast, ScalrRunsPage *self)
{
  if (g_object_get_data (G_OBJECT (toast), "undone") || self->disposed || self->db_path == NULL)
    return;
  gint64 run_id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "run-id"));
  start_op (self, op_new (OP_PURGE, run_id));
}

static void
on_undo_clicked (AdwToast *toast, ScalrRunsPage *self)
{
  /* The toast is dismissed right after its button: mark it so that does not purge. */
  g_object_set_data (G_OBJECT (toast), "undone", GINT_TO_POINTER (1));
  scalr_runs_page_undo_delete (self, (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "run-id")));
}

static void
delete_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (widget);
  g_autoptr (ScalrRunItem) item = _scalr_runs_page_dup_selected (self);
  if (item)
    scalr_runs_page_delete_run (self, scalr_run_item_get_id (item));
}

/* ---- rename, tags and note ------------------------------------------------------------ */

gboolean
scalr_runs_page_edit_run (ScalrRunsPage *self, gint64 run_id, const char *name, const char *tags, const char *note)
{
  g_return_val_if_fail (SCALR_IS_RUNS_PAGE (self), FALSE);
  if (self->db_path == NULL || run_id <= 0)
    return FALSE;
  OpInput *in = op_new (OP_EDIT, run_id);
  in->name = g_strdup (name);
  in->tags = g_strdup (tags);
  in->note = g_strdup (note);
  start_op (self, in);
  return TRUE;
}

static GtkWidget *
labelled_entry (GtkWidget *box, const char *label, const char *text, const char *placeholder)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_widget_add_css_class (l, "caption-heading");
  GtkWidget *e = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (e), text ? text : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (e), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (e), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), e);
  gtk_box_append (GTK_BOX (box), l);
  gtk_box_append (GTK_BOX (box), e);
  return e;
}

static void
on_edit_response (AdwMessageDialog *dialog, const char *response, ScalrRunsPage *self)
{
  self->edit_dialog = NULL;
  if (g_strcmp0 (response, "save") != 0)
    return;
  gint64 run_id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "run-id"));
  GtkWidget *name = g_object_get_data (G_OBJECT (dialog), "name");
  GtkWidget *tags = g_object_get_data (G_OBJECT (dialog), "tags");
  GtkWidget *note = g_object_get_data (G_OBJECT (dialog), "note");
  scalr_runs_page_edit_run (self, run_id, gtk_editable_get_text (GTK_EDITABLE (name)),
                            gtk_editable_get_text (GTK_EDITABLE (tags)), gtk_editable_get_text (GTK_EDITABLE (note)));
}

static void
edit_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (widget);
  g_autoptr (ScalrRunItem) item = _scalr_runs_page_dup_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  if (item == NULL || self->edit_dialog || !GTK_IS_WINDOW (root))
    return;
  const ScalrRunInfo *info = scalr_run_item_get_info (item);
  g_autofree char *heading = g_strdup_printf ("Run %" G_GINT64_FORMAT, info->id);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (root), heading, "Its name, tags and note are kept in the store; "
                                              "search finds runs by any of them.");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *name = labelled_entry (box, "_Name", info->name, "A name that says what the run tests");
  GtkWidget *tags = labelled_entry (box, "_Tags", info->tags, "Comma-separated, e.g. cold-start, paper");
  GtkWidget *note = labelled_entry (box, "N_ote", info->note, "What you learnt from it");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel", "save", "_Save", NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "run-id", GSIZE_TO_POINTER ((gsize) info->id));
  g_object_set_data (G_OBJECT (dialog), "name", name);
  g_object_set_data (G_OBJECT (dialog), "tags", tags);
  g_object_set_data (G_OBJECT (dialog), "note", note);
  g_signal_connect (dialog, "response", G_CALLBACK (on_edit_response), self);
  self->edit_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (name);
}

/* ---- export ----------------------------------------------------------------------- */

typedef struct {
  char  *db_path;
  gint64 run_id;
  char  *path;
} ExportInput;

static void
export_input_free (ExportInput *in)
{
  g_free (in->db_path);
  g_free (in->path);
  g_free (in);
}

static char *
metrics_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  if (dot && (slash == NULL || dot > slash))
    return g_strdup_printf ("%.*s-metrics%s", (int) (dot - path), path, dot);
  return g_strdup_printf ("%s-metrics.tsv", path);
}

/* The synthetic events to @path and the metrics beside it, through the core's export (the
 * same files, columns and checks as `scalr export --synthetic --metrics`). */
static void
export_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ExportInput *in = data;
  GError *error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_READER, &error);
  g_autoptr (ScalrExport) export = store ? scalr_export_open (store, in->run_id, &error) : NULL;
  g_autofree char *mp = metrics_path (in->path);
  if (export == NULL || !scalr_export_synthetic (export, in->path, NULL, &error)
      || !scalr_export_metrics (export, mp, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (source);
  ExportInput *in = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (res), &error);
  if (self->disposed)
    return;
  if (!ok)
    {
      g_autofree char *msg = g_strdup_printf ("Export of run %" G_GINT64_FORMAT " failed: %s", in->run_id, error->message);
      _scalr_runs_page_show_error (self, msg);
      return;
    }
  g_autofree char *base = g_path_get_basename (in->path);
  g_autofree char *msg = g_strdup_printf ("Run %" G_GINT64_FORMAT " exported to %s (and its metrics)", in->run_id, base);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
}

void
scalr_runs_page_export_run (ScalrRunsPage *self, gint64 run_id, const char *path)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  if (self->db_path == NULL)
    return;
  ExportInput *in = g_new0 (ExportInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->run_id = run_id;
  in->path = g_strdup (path);
  g_autoptr (GTask) task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_task_data (task, in, (GDestroyNotify) export_input_free);
  g_task_run_in_thread (task, export_worker);
}

void
_scalr_runs_page_install_manage_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "runs.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "runs.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "runs.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "runs.delete", NULL);
}
