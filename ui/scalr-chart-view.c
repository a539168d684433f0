/* scalr-chart-view.c — a GtkWidget that paints a ScalrPlot with the same drawing code as
 * the exports. Colours follow libadwaita's dark mode. */
#include "config.h"

#include "scalr-chart-view.h"

#include <adwaita.h>

struct _ScalrChartView {
  GtkWidget  parent_instance;
  ScalrPlot *plot;        /* owned */
  char      *empty_text;  /* owned */
  double     font_scale;
  double     hover_x, hover_y;
  GtkWidget *popover;     /* the context menu */
  GtkWidget *presenting;  /* the presentation window borrowing our plot, or NULL */
};

G_DEFINE_FINAL_TYPE (ScalrChartView, scalr_chart_view, GTK_TYPE_WIDGET)

static void
style_of (ScalrChartView *self, ScalrPlotStyle *style)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  scalr_plot_style_init (style, dark, self->font_scale);
}

static void
scalr_chart_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  ScalrChartView *self = SCALR_CHART_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  if (w <= 1 || h <= 1)
    return;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  ScalrPlotStyle style;
  style_of (self, &style);
  if (self->plot)
    scalr_plot_draw (self->plot, cr, w, h, &style);
  else if (self->empty_text)
    {
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 14 * self->font_scale);
      cairo_text_extents_t ext;
      cairo_text_extents (cr, self->empty_text, &ext);
      cairo_set_source_rgba (cr, style.dark ? 1 : 0, style.dark ? 1 : 0, style.dark ? 1 : 0, 0.55);
      cairo_move_to (cr, (w - ext.width) / 2 - ext.x_bearing, h / 2.0);
      cairo_show_text (cr, self->empty_text);
    }
  cairo_destroy (cr);
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer data)
{
  ScalrChartView *self = SCALR_CHART_VIEW (widget);
  if (self->plot == NULL)
    return FALSE;
  ScalrPlotStyle style;
  style_of (self, &style);
  g_autofree char *text = NULL;
  if (!scalr_plot_hit_test (self->plot, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                            &style, x, y, &text))
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_dark_changed (GObject *manager, GParamSpec *pspec, ScalrChartView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
save_response (GtkNativeDialog *dialog, int response, ScalrChartView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (!scalr_chart_view_export (self, path, &error))
        {
          /* Errors go to the window's banner when it has one. */
          GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
          if (root)
            gtk_widget_activate_action (root, "win.show-error", "s", error->message);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrChartView *self = SCALR_CHART_VIEW (widget);
  if (self->plot == NULL)
    return;
  const char *ext = g_variant_get_string (param, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new ("Export chart", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                              GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");
  g_autofree char *name = g_strdup_printf ("chart.%s", ext);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
present_action (GtkWidget *widget, const char *action, GVariant *param)
{
  scalr_chart_view_present (SCALR_CHART_VIEW (widget));
}

static void
on_right_click (GtkGestureClick *gesture, int n_press, double x, double y, ScalrChartView *self)
{
  if (self->plot == NULL)
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
scalr_chart_view_dispose (GObject *object)
{
  ScalrChartView *self = SCALR_CHART_VIEW (object);
  if (self->presenting)
    gtk_window_destroy (GTK_WINDOW (self->presenting));
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (), on_dark_changed, self);
  G_OBJECT_CLASS (scalr_chart_view_parent_class)->dispose (object);
}

static void
scalr_chart_view_finalize (GObject *object)
{
  ScalrChartView *self = SCALR_CHART_VIEW (object);
  g_clear_pointer (&self->plot, scalr_plot_free);
  g_free (self->empty_text);
  G_OBJECT_CLASS (scalr_chart_view_parent_class)->finalize (object);
}

static void
scalr_chart_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  ScalrChartView *self = SCALR_CHART_VIEW (widget);
  if (self->popover)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
scalr_chart_view_class_init (ScalrChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = scalr_chart_view_dispose;
  object_class->finalize = scalr_chart_view_finalize;
  widget_class->snapshot = scalr_chart_view_snapshot;
  widget_class->size_allocate = scalr_chart_view_size_allocate;
  gtk_widget_class_install_action (widget_class, "chart.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "chart.present", NULL, present_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "chart.present", NULL);
  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
scalr_chart_view_init (ScalrChartView *self)
{
  self->font_scale = 1.0;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 280, 220);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, "Chart (empty)", -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.present", FALSE);
  g_signal_connect (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (on_dark_changed), self);

  g_autoptr (GMenu) menu = g_menu_new ();
  g_menu_append (menu, "Export as PNG…", "chart.export::png");
  g_menu_append (menu, "Export as SVG…", "chart.export::svg");
  g_menu_append (menu, "Export as PDF…", "chart.export::pdf");
  g_menu_append (menu, "Present (F11)", "chart.present");
  self->popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  GtkGesture *click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_right_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
scalr_chart_view_new (void)
{
  return g_object_new (SCALR_TYPE_CHART_VIEW, NULL);
}

/* The chart's accessible name (its title) and description (subtitle and what it shows). */
static void
update_accessible (ScalrChartView *self)
{
  if (self->plot == NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->empty_text ? self->empty_text : "Chart (empty)",
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "", -1);
      return;
    }
  const char *title = scalr_plot_get_title (self->plot);
  const char *sub = scalr_plot_get_subtitle (self->plot);
  g_autofree char *summary = scalr_plot_dup_summary (self->plot);
  g_autofree char *desc = g_strdup_printf ("%s%s%s", sub ? sub : "", sub && *summary ? ". " : "", summary);
  g_autofree char *label = g_strdup_printf ("Chart: %s", title ? title : "untitled");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc, -1);
}

void
scalr_chart_view_set_plot (ScalrChartView *self, ScalrPlot *plot)
{
  /* A presentation window borrows the plot: close it before the plot goes. */
  if (self->presenting)
    gtk_window_destroy (GTK_WINDOW (self->presenting));
  g_clear_pointer (&self->plot, scalr_plot_free);
  self->plot = plot;
  /* Nothing to export or present without a chart. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.export", plot != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.present", plot != NULL);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const ScalrPlot *
scalr_chart_view_get_plot (ScalrChartView *self)
{
  return self->plot;
}

void
scalr_chart_view_set_empty_text (ScalrChartView *self, const char *text)
{
  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
scalr_chart_view_set_font_scale (ScalrChartView *self, double scale)
{
  self->font_scale = scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
scalr_chart_view_export (ScalrChartView *self, const char *path, GError **error)
{
  g_return_val_if_fail (self->plot != NULL, FALSE);
  ScalrPlotStyle style;
  scalr_plot_style_init (&style, FALSE, 1.0);   /* exports are light: paper and slides */
  if (g_str_has_suffix (path, ".svg"))
    return scalr_plot_save_svg (self->plot, path, 1200, 800, &style, error);
  if (g_str_has_suffix (path, ".pdf"))
    {
      const ScalrPlot *plots[] = { self->plot };
      return scalr_plot_save_pdf (plots, 1, path, 842, 595, &style, error);
    }
  /* PNGs go on slides: 1600 px wide, type sized for it, as tall as the chart needs. */
  return scalr_plot_save_png_fitted (self->plot, path, 1600, error);
}

/* Presentation: a full-screen window with its own view sharing nothing but a copy-free
 * pointer to the plot (the view is destroyed before the plot can change). */
static void
on_present_close (GtkWidget *window, gpointer data)
{
  ScalrChartView *view = data;
  /* The big view borrowed our plot: take it back before it is finalized. */
  ScalrChartView *big = g_object_get_data (G_OBJECT (window), "view");
  big->plot = NULL;
  if (view->presenting == window)
    view->presenting = NULL;
  g_object_unref (view);
}

static gboolean
on_present_key (GtkEventControllerKey *ctl, guint keyval, guint keycode, GdkModifierType state, GtkWindow *window)
{
  if (keyval == GDK_KEY_Escape || keyval == GDK_KEY_F11)
    {
      gtk_window_destroy (window);
      return TRUE;
    }
  return FALSE;
}

void
scalr_chart_view_present (ScalrChartView *self)
{
  if (self->plot == NULL)
    return;
  GtkWidget *window = gtk_window_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_title (GTK_WINDOW (window), "Presentation");
  /* Where full-screen is refused (no window manager), still a projector-sized window. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  ScalrChartView *big = SCALR_CHART_VIEW (scalr_chart_view_new ());
  big->plot = self->plot;            /* borrowed, see on_present_close */
  big->font_scale = 1.8;
  update_accessible (big);
  /* How to leave, in a corner (the window may be full-screen, without decorations). */
  GtkWidget *overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (big));
  GtkWidget *hint = gtk_label_new ("Esc or F11 to leave");
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_widget_set_halign (hint, GTK_ALIGN_END);
  gtk_widget_set_valign (hint, GTK_ALIGN_END);
  gtk_widget_set_margin_end (hint, 12);
  gtk_widget_set_margin_bottom (hint, 8);
  gtk_widget_set_can_target (hint, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), hint);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  g_object_set_data (G_OBJECT (window), "view", big);
  if (self->presenting)
    gtk_window_destroy (GTK_WINDOW (self->presenting));
  self->presenting = window;
  g_signal_connect (window, "destroy", G_CALLBACK (on_present_close), g_object_ref (self));
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_present_key), window);
  gtk_widget_add_controller (window, keys);
  gtk_window_fullscreen (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
}
