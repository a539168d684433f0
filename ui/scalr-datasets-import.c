/* scalr-datasets-import.c — the Datasets page's import form: files, a preview of the first
 * rows with a role per column, and the Import button, which calls
 * scalr_datasets_page_import. */
#include "config.h"

#include "scalr-datasets-page-private.h"

#include <string.h>

#include "scalr-import.h"
#include "scalr-reader.h"

#define PREVIEW_ROWS 10

/* ---- the import form -------------------------------------------------------------- */

/* The role choices: the core's column roles, then "ignore". */
#define ROLE_IGNORE SCALR_N_COLUMN_ROLES

typedef struct {
  ScalrDatasetsPage *page;          /* owned ref */
  GtkWidget         *window;        /* borrowed */
  GtkWidget         *name_row, *events_row, *items_row, *format_row, *items_clear;
  GtkWidget         *preview_grid, *status_label, *import_button;
  char              *events_path, *items_path;
  GPtrArray         *role_dropdowns;   /* GtkWidget*, borrowed */
  GtkNativeDialog   *chooser;          /* owned while open */
  gboolean           choosing_items;
} ImportForm;

static void
import_form_free (ImportForm *f)
{
  if (f->chooser)
    gtk_native_dialog_destroy (f->chooser);
  g_clear_object (&f->chooser);
  g_object_unref (f->page);
  g_free (f->events_path);
  g_free (f->items_path);
  g_ptr_array_unref (f->role_dropdowns);
  g_free (f);
}

static ScalrFormat
form_format (ImportForm *f)
{
  static const ScalrFormat formats[] = { SCALR_FORMAT_AUTO, SCALR_FORMAT_TSV, SCALR_FORMAT_CSV, SCALR_FORMAT_INTER };
  guint k = adw_combo_row_get_selected (ADW_COMBO_ROW (f->format_row));
  return k < G_N_ELEMENTS (formats) ? formats[k] : SCALR_FORMAT_AUTO;
}

static void
form_set_status (ImportForm *f, const char *text, gboolean error)
{
  gtk_label_set_text (GTK_LABEL (f->status_label), text ? text : "");
  gtk_widget_set_visible (f->status_label, text != NULL);
  if (error)
    gtk_widget_add_css_class (f->status_label, "error");
  else
    gtk_widget_remove_css_class (f->status_label, "error");
}

static gboolean check_name (ImportForm *f);

static void
form_update_preview (ImportForm *f)
{
  _scalr_datasets_remove_all_children (f->preview_grid);
  g_ptr_array_set_size (f->role_dropdowns, 0);
  gtk_widget_set_visible (gtk_widget_get_ancestor (f->preview_grid, GTK_TYPE_SCROLLED_WINDOW), f->events_path != NULL);
  if (f->events_path == NULL)
    {
      form_set_status (f, "Choose an events file to see its first rows.", FALSE);
      gtk_widget_set_sensitive (f->import_button, FALSE);
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrReader) reader = scalr_reader_new (f->events_path, form_format (f), &error);
  const ScalrField *fields;
  guint n_fields = 0, n_cols = 0;
  int row = 0;
  while (reader && row <= PREVIEW_ROWS + 1)
    {
      if (!scalr_reader_next (reader, &fields, &n_fields, &error))
        break;
      if (n_fields == 0)
        break;
      if (row == 0)
        {
          n_cols = n_fields;
          /* The roles the importer itself would give the columns. */
          g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          for (guint c = 0; c < n_fields; c++)
            g_ptr_array_add (names, scalr_field_dup (&fields[c]));
          int role_column[SCALR_N_COLUMN_ROLES];
          scalr_import_guess_columns ((const char *const *) names->pdata, n_fields, role_column);
          const char *roles[SCALR_N_COLUMN_ROLES + 2];
          for (guint r = 0; r < SCALR_N_COLUMN_ROLES; r++)
            roles[r] = scalr_column_role_to_string (r);
          roles[ROLE_IGNORE] = "ignore";
          roles[ROLE_IGNORE + 1] = NULL;
          for (guint c = 0; c < n_fields; c++)
            {
              const char *name = g_ptr_array_index (names, c);
              GtkWidget *l = gtk_label_new (name);
              gtk_widget_add_css_class (l, "heading");
              gtk_label_set_xalign (GTK_LABEL (l), 0);
              gtk_grid_attach (GTK_GRID (f->preview_grid), l, (int) c, 0, 1, 1);
              guint role = ROLE_IGNORE;
              for (guint r = 0; r < SCALR_N_COLUMN_ROLES; r++)
                if (role_column[r] == (int) c)
                  role = r;
              GtkWidget *dd = gtk_drop_down_new_from_strings (roles);
              gtk_drop_down_set_selected (GTK_DROP_DOWN (dd), role);
              g_autofree char *tip = g_strdup_printf ("What column %u (%s) holds", c + 1, name);
              gtk_widget_set_tooltip_text (dd, tip);
              gtk_grid_attach (GTK_GRID (f->preview_grid), dd, (int) c, 1, 1, 1);
              g_ptr_array_add (f->role_dropdowns, dd);
            }
          row = 2;
          continue;
        }
      for (guint c = 0; c < MIN (n_fields, n_cols); c++)
        {
          g_autofree char *text = scalr_field_dup (&fields[c]);
          GtkWidget *l = gtk_label_new (text);
          gtk_label_set_xalign (GTK_LABEL (l), 0);
          gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (l), 24);
          gtk_widget_add_css_class (l, "monospace");
          gtk_grid_attach (GTK_GRID (f->preview_grid), l, (int) c, row, 1, 1);
        }
      row++;
      if (row >= PREVIEW_ROWS + 2)
        break;
    }
  if (error)
    {
      form_set_status (f, error->message, TRUE);
      gtk_widget_set_sensitive (f->import_button, n_cols > 0);
      check_name (f);
      return;
    }
  g_autofree char *status = g_strdup_printf ("The first %d rows of %s (format: %s). The importer reads all rows and "
                                             "stops at the first bad line, leaving the store unchanged.",
                                             MAX (row - 2, 0), f->events_path,
                                             reader ? scalr_format_to_string (scalr_reader_get_format (reader)) : "?");
  form_set_status (f, status, FALSE);
  gtk_widget_set_sensitive (f->import_button, n_cols > 0);
  check_name (f);
}

static void
form_set_path (ImportForm *f, gboolean items, const char *path)
{
  if (items)
    {
      g_free (f->items_path);
      f->items_path = g_strdup (path);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (f->items_row), path ? path : "None: category rules need one");
      gtk_widget_set_visible (f->items_clear, path != NULL);
      return;
    }
  g_free (f->events_path);
  f->events_path = g_strdup (path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->events_row), path ? path : "Required");
  const char *name = gtk_editable_get_text (GTK_EDITABLE (f->name_row));
  if (path && (name == NULL || *name == '\0'))
    {
      g_autofree char *base = scalr_import_default_name (path);   /* what scalr import would name it */
      gtk_editable_set_text (GTK_EDITABLE (f->name_row), base);
    }
  form_update_preview (f);
}

static void
on_form_chooser_response (GtkNativeDialog *dialog, int response, ImportForm *f)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path)
        form_set_path (f, f->choosing_items, path);
    }
  g_clear_object (&f->chooser);
}

static void
form_choose (ImportForm *f, gboolean items)
{
  if (f->chooser)
    return;
  f->choosing_items = items;
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (items ? "Choose an Items File" : "Choose an Events File",
                                                               GTK_WINDOW (f->window), GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               "_Open", "_Cancel");
  g_autoptr (GtkFileFilter) text = gtk_file_filter_new ();
  gtk_file_filter_set_name (text, "Tables (*.tsv, *.csv, *.inter, *.item, *.txt)");
  const char *patterns[] = { "*.tsv", "*.csv", "*.inter", "*.item", "*.txt", "*.dat" };
  for (guint k = 0; k < G_N_ELEMENTS (patterns); k++)
    gtk_file_filter_add_pattern (text, patterns[k]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), text);
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, "All files");
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  f->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_form_chooser_response), f);
  gtk_native_dialog_show (f->chooser);
}

static void
on_choose_events (GtkButton *b, ImportForm *f)
{
  form_choose (f, FALSE);
}

static void
on_choose_items (GtkButton *b, ImportForm *f)
{
  form_choose (f, TRUE);
}

static void
on_clear_items (GtkButton *b, ImportForm *f)
{
  form_set_path (f, TRUE, NULL);
}

static void
on_use_sample (GtkButton *b, ImportForm *f)
{
  g_autofree char *events = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-small", "ratings.tsv", NULL);
  g_autofree char *items = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-small", "movies.tsv", NULL);
  gtk_editable_set_text (GTK_EDITABLE (f->name_row), "movielens-small");
  form_set_path (f, TRUE, items);
  form_set_path (f, FALSE, events);
}

static void
on_format_changed (GObject *row, GParamSpec *pspec, ImportForm *f)
{
  form_update_preview (f);
}

char *
scalr_datasets_page_dup_name_problem (ScalrDatasetsPage *page, const char *name)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (page), NULL);
  if (name == NULL || *name == '\0')
    return g_strdup ("Give the dataset a name.");
  g_auto (GStrv) taken = scalr_datasets_page_dup_names (page);
  if (g_strv_contains ((const char *const *) taken, name))
    return g_strdup_printf ("The store already has a dataset named ‘%s’ (it is in the list on the left). "
                            "Choose another name.", name);
  return NULL;
}

/* A taken name marks the row, says so and keeps Import insensitive; TRUE when it is. */
static gboolean
check_name (ImportForm *f)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->name_row))));
  g_autofree char *problem = *name ? scalr_datasets_page_dup_name_problem (f->page, name) : NULL;
  if (problem == NULL)
    {
      gtk_widget_remove_css_class (f->name_row, "error");
      return FALSE;
    }
  gtk_widget_add_css_class (f->name_row, "error");
  form_set_status (f, problem, TRUE);
  gtk_widget_set_sensitive (f->import_button, FALSE);
  return TRUE;
}

/* Checked as it is typed. */
static void
on_name_changed (GtkEditable *editable, ImportForm *f)
{
  gboolean was = gtk_widget_has_css_class (f->name_row, "error");
  if (!check_name (f) && was)
    form_update_preview (f);   /* the status and Import's sensitivity as they were */
}

static void
on_form_import (GtkButton *b, ImportForm *f)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->name_row))));
  g_autofree char *problem = scalr_datasets_page_dup_name_problem (f->page, name);
  if (problem)
    {
      form_set_status (f, problem, TRUE);
      gtk_widget_grab_focus (f->name_row);
      return;
    }
  if (f->events_path == NULL)
    {
      form_set_status (f, "Choose an events file.", TRUE);
      return;
    }
  int col[ROLE_IGNORE];
  for (guint r = 0; r < ROLE_IGNORE; r++)
    col[r] = 0;
  for (guint c = 0; c < f->role_dropdowns->len; c++)
    {
      guint role = gtk_drop_down_get_selected (GTK_DROP_DOWN (g_ptr_array_index (f->role_dropdowns, c)));
      if (role >= ROLE_IGNORE)
        continue;
      if (col[role])
        {
          g_autofree char *msg = g_strdup_printf ("Columns %d and %u are both marked ‘%s’; choose one.", col[role], c + 1,
                                                  scalr_column_role_to_string (role));
          form_set_status (f, msg, TRUE);
          return;
        }
      col[role] = (int) c + 1;
    }
  if (f->role_dropdowns->len && (col[SCALR_COLUMN_USER] == 0 || col[SCALR_COLUMN_ITEM] == 0))
    {
      form_set_status (f, "Mark one column as ‘user’ and one as ‘item’.", TRUE);
      return;
    }
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup (name);
  scalr_import_options_add_events (o, f->events_path, NULL);
  o->items_path = g_strdup (f->items_path);
  o->format = form_format (f);
  char **targets[SCALR_N_COLUMN_ROLES] = { [SCALR_COLUMN_USER] = &o->user_column, [SCALR_COLUMN_ITEM] = &o->item_column,
                                           [SCALR_COLUMN_RATING] = &o->rating_column,
                                           [SCALR_COLUMN_TIMESTAMP] = &o->timestamp_column,
                                           [SCALR_COLUMN_DOMAIN] = &o->domain_column };
  for (guint r = 0; r < ROLE_IGNORE; r++)
    if (col[r])
      *targets[r] = g_strdup_printf ("%d", col[r]);
  ScalrDatasetsPage *page = f->page;
  if (!scalr_datasets_page_import (page, o))
    {
      form_set_status (f, "Another import is still running; wait for it to finish.", TRUE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static void
on_form_cancel (GtkButton *b, ImportForm *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static GtkWidget *
suffix_button (const char *label, GCallback cb, ImportForm *f)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  g_signal_connect (b, "clicked", cb, f);
  return b;
}

void
scalr_datasets_page_open_import_dialog (ScalrDatasetsPage *self)
{
  g_return_if_fail (SCALR_IS_DATASETS_PAGE (self));
  ImportForm *f = g_new0 (ImportForm, 1);
  f->page = g_object_ref (self);
  f->role_dropdowns = g_ptr_array_new ();
  f->window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "Import Dataset");
  gtk_window_set_modal (GTK_WINDOW (f->window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (f->window), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 860, 720);
  g_object_set_data_full (G_OBJECT (f->window), "import-form", f, (GDestroyNotify) import_form_free);

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  GtkWidget *cancel = gtk_button_new_with_mnemonic ("_Cancel");
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_form_cancel), f);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  f->import_button = gtk_button_new_with_mnemonic ("_Import");
  gtk_widget_add_css_class (f->import_button, "suggested-action");
  gtk_widget_set_sensitive (f->import_button, FALSE);
  g_signal_connect (f->import_button, "clicked", G_CALLBACK (on_form_import), f);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), f->import_button);
  gtk_box_append (GTK_BOX (box), header);

  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_start (content, 24);
  gtk_widget_set_margin_end (content, 24);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 24);

  GtkWidget *files = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (files), "Files");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (files),
    "TSV, CSV or RecBole .inter with a header row. The items file (id, title, categories separated by |) enables category rules.");
  f->name_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->name_row), "Dataset name");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), f->name_row);
  g_signal_connect (f->name_row, "changed", G_CALLBACK (on_name_changed), f);
  f->events_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->events_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->events_row), "Events file");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->events_row), "Required");
  adw_action_row_add_suffix (ADW_ACTION_ROW (f->events_row), suffix_button ("_Choose…", G_CALLBACK (on_choose_events), f));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), f->events_row);
  f->items_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->items_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->items_row), "Items file (optional)");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->items_row), "None: category rules need one");
  f->items_clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (f->items_clear, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (f->items_clear, "Import without an items file");
  gtk_widget_add_css_class (f->items_clear, "flat");
  gtk_widget_set_visible (f->items_clear, FALSE);
  g_signal_connect (f->items_clear, "clicked", G_CALLBACK (on_clear_items), f);
  adw_action_row_add_suffix (ADW_ACTION_ROW (f->items_row), f->items_clear);
  adw_action_row_add_suffix (ADW_ACTION_ROW (f->items_row), suffix_button ("C_hoose…", G_CALLBACK (on_choose_items), f));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), f->items_row);
  f->format_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->format_row), "Format");
  const char *formats[] = { "Automatic", "TSV", "CSV", "RecBole .inter", NULL };
  g_autoptr (GtkStringList) fmodel = gtk_string_list_new (formats);
  adw_combo_row_set_model (ADW_COMBO_ROW (f->format_row), G_LIST_MODEL (fmodel));
  g_signal_connect (f->format_row, "notify::selected", G_CALLBACK (on_format_changed), f);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), f->format_row);
  g_autofree char *sample = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-small", "ratings.tsv", NULL);
  if (g_file_test (sample, G_FILE_TEST_EXISTS))
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Sample data");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "MovieLens ml-latest-small: 100,004 ratings of 9,066 movies with genres (GroupLens)");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix_button ("Use _Sample", G_CALLBACK (on_use_sample), f));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), row);
    }
  gtk_box_append (GTK_BOX (content), files);

  GtkWidget *preview = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (preview), "Preview and Columns");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (preview),
    "Choose what each column holds; one user and one item column are required.");
  GtkWidget *frame = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (frame), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (frame), TRUE);
  gtk_widget_add_css_class (frame, "card");
  f->preview_grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (f->preview_grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (f->preview_grid), 4);
  gtk_widget_set_margin_start (f->preview_grid, 12);
  gtk_widget_set_margin_end (f->preview_grid, 12);
  gtk_widget_set_margin_top (f->preview_grid, 10);
  gtk_widget_set_margin_bottom (f->preview_grid, 10);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (frame), f->preview_grid);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (preview), frame);
  f->status_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (f->status_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (f->status_label), 0);
  gtk_label_set_selectable (GTK_LABEL (f->status_label), TRUE);
  gtk_widget_set_margin_top (f->status_label, 8);
  gtk_widget_add_css_class (f->status_label, "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (preview), f->status_label);
  gtk_box_append (GTK_BOX (content), preview);

  GtkWidget *clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), clamp);
  gtk_box_append (GTK_BOX (box), scroll);
  adw_window_set_content (ADW_WINDOW (f->window), box);
  form_update_preview (f);
  gtk_window_present (GTK_WINDOW (f->window));
}
