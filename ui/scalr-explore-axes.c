/* scalr-explore-axes.c — the keys and values of a sweep on the Explore page: one row per
 * key (a searchable dropdown of the parameter tables' keys, the values typed, each row
 * removable), and the grid they describe (core's scalr-sweep.h checks every value). */
#include "config.h"

#include "scalr-explore-page-private.h"

#include "scalr-search.h"

/* ---- the axes of a sweep -------------------------------------------------------------- */

typedef struct {
  ScalrExplorePage *page;   /* borrowed: the page owns its rows */
  GtkWidget *row, *key_dropdown, *values_entry, *remove;
  GPtrArray *keys;   /* char* "group.key" the dropdown offers (owned) */
} AxisRow;

/* The row's widgets stop calling back (a dropdown notifies as it is torn down). */
static void
axis_row_disconnect (AxisRow *a)
{
  g_signal_handlers_disconnect_by_data (a->key_dropdown, a);
  g_signal_handlers_disconnect_by_data (a->values_entry, a->page);
  g_signal_handlers_disconnect_by_data (a->remove, a);
}

void
_scalr_explore_axis_row_free (gpointer data)
{
  AxisRow *a = data;
  g_ptr_array_unref (a->keys);
  g_free (a);
}

static const char *
axis_key (const AxisRow *a)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (a->key_dropdown));
  return i < a->keys->len ? g_ptr_array_index (a->keys, i) : NULL;
}

/* "group.key=values" of an axis, or NULL when its values are empty. */
static char *
axis_spec (const AxisRow *a)
{
  g_autofree char *values = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (a->values_entry))));
  if (axis_key (a) == NULL || values[0] == '\0')
    return NULL;
  return g_strdup_printf ("%s=%s", axis_key (a), values);
}

static void
on_axis_changed (ScalrExplorePage *self)
{
  _scalr_explore_page_update_form (self);
}

static void
on_key_chosen (GObject *dropdown, GParamSpec *pspec, AxisRow *a)
{
  const char *key = axis_key (a);
  const char *dot = key ? strchr (key, '.') : NULL;
  if (dot)
    {
      g_autofree char *group = g_strndup (key, (gsize) (dot - key));
      const ScalrParam *p = scalr_config_lookup_param (group, dot + 1);
      g_autofree char *allowed = p ? scalr_param_describe_allowed (p) : NULL;
      g_autofree char *hint = p ? g_strdup_printf ("values, e.g. %s, … (%s)", p->def, allowed) : NULL;
      gtk_entry_set_placeholder_text (GTK_ENTRY (a->values_entry), hint);
      gtk_widget_set_tooltip_text (a->values_entry, p ? p->help : NULL);
    }
  if (!a->page->disposed)
    _scalr_explore_page_update_form (a->page);
}

static void remove_axis (ScalrExplorePage *self, AxisRow *a);

static void
on_remove_axis (GtkButton *button, AxisRow *a)
{
  remove_axis (a->page, a);
}

/* Every key of the parameter tables but the dataset's: what a sweep may vary. */
static GPtrArray *
sweepable_keys (void)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      if (g_strcmp0 (p->group, "dataset") != 0)
        g_ptr_array_add (keys, g_strdup_printf ("%s.%s", p->group, p->key));
  return keys;
}

static AxisRow *
add_axis (ScalrExplorePage *self, const char *key, const char *values)
{
  AxisRow *a = g_new0 (AxisRow, 1);
  a->page = self;
  a->keys = sweepable_keys ();
  a->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (a->row), FALSE);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  g_ptr_array_add (a->keys, NULL);
  a->key_dropdown = gtk_drop_down_new_from_strings ((const char *const *) a->keys->pdata);
  g_ptr_array_set_size (a->keys, a->keys->len - 1);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (a->key_dropdown), TRUE);
  GtkExpression *expr = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (GTK_DROP_DOWN (a->key_dropdown), expr);
  gtk_expression_unref (expr);
  gtk_accessible_update_property (GTK_ACCESSIBLE (a->key_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, "Key to sweep", -1);
  for (guint i = 0; key && i < a->keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a->keys, i), key) == 0)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (a->key_dropdown), i);
  a->values_entry = gtk_entry_new ();
  gtk_widget_set_hexpand (a->values_entry, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (a->values_entry), 8);
  gtk_editable_set_text (GTK_EDITABLE (a->values_entry), values ? values : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (a->values_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, "Values", -1);
  GtkWidget *remove = a->remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, "Do not sweep this key");
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove this key", -1);
  gtk_box_append (GTK_BOX (box), a->key_dropdown);
  gtk_box_append (GTK_BOX (box), a->values_entry);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (a->row), box);
  gtk_list_box_append (GTK_LIST_BOX (self->axis_list), a->row);
  g_signal_connect (a->key_dropdown, "notify::selected", G_CALLBACK (on_key_chosen), a);
  g_signal_connect_swapped (a->values_entry, "changed", G_CALLBACK (on_axis_changed), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_axis), a);
  g_ptr_array_add (self->axes, a);
  on_key_chosen (NULL, NULL, a);
  return a;
}

static void
remove_axis (ScalrExplorePage *self, AxisRow *a)
{
  axis_row_disconnect (a);
  gtk_list_box_remove (GTK_LIST_BOX (self->axis_list), a->row);
  g_ptr_array_remove (self->axes, a);
  _scalr_explore_page_update_form (self);
}

static void
on_add_axis (GtkButton *button, ScalrExplorePage *self)
{
  add_axis (self, NULL, NULL);
  _scalr_explore_page_update_form (self);
}

void
_scalr_explore_page_setup_axes (ScalrExplorePage *self)
{
  /* A first axis to fill in: the paper's "more synthetic data" ablation. */
  add_axis (self, "sampler.samples_per_event", "0, 1, 2, 4");
  g_signal_connect (self->add_axis_button, "clicked", G_CALLBACK (on_add_axis), self);
}

void
_scalr_explore_page_disconnect_axes (ScalrExplorePage *self)
{
  for (guint i = 0; self->axes && i < self->axes->len; i++)
    axis_row_disconnect (g_ptr_array_index (self->axes, i));
}

/* The grid the form describes, or NULL with @error saying what is wrong. */
ScalrGrid *
_scalr_explore_page_form_grid (ScalrExplorePage *self, GError **error)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  guint n = 0;
  for (guint i = 0; i < self->axes->len; i++)
    {
      g_autofree char *spec = axis_spec (g_ptr_array_index (self->axes, i));
      if (spec)
        {
          g_strv_builder_add (b, spec);
          n++;
        }
    }
  g_auto (GStrv) specs = g_strv_builder_end (b);
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Give a key some values to sweep.");
      return NULL;
    }
  return scalr_grid_new ((const char *const *) specs, error);
}
