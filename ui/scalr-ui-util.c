/* scalr-ui-util.c — small widget helpers the pages share. */
#include "config.h"

#include "scalr-ui-util.h"

static void
label_setup (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  int max_chars = GPOINTER_TO_INT (data);
  if (max_chars > 0)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), max_chars);
      /* Squeezed, it still says something ("Run 8 ·…", not "R…"). */
      gtk_label_set_width_chars (GTK_LABEL (label), MIN (max_chars, 7));
    }
  gtk_list_item_set_child (li, label);
}

static void
label_bind (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  GtkStringObject *s = gtk_list_item_get_item (li);
  GtkWidget *label = gtk_list_item_get_child (li);
  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (s));
  gtk_widget_set_tooltip_text (label, gtk_string_object_get_string (s));
}

void
scalr_drop_down_set_short_button (GtkDropDown *dropdown, int max_chars)
{
  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));
  for (int button = 0; button < 2; button++)
    {
      GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
      g_signal_connect (f, "setup", G_CALLBACK (label_setup), GINT_TO_POINTER (button ? max_chars : 0));
      g_signal_connect (f, "bind", G_CALLBACK (label_bind), NULL);
      if (button)
        gtk_drop_down_set_factory (dropdown, f);
      else
        gtk_drop_down_set_list_factory (dropdown, f);
      g_object_unref (f);
    }
  GtkExpression *expr = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (dropdown, expr);
  gtk_expression_unref (expr);
}
