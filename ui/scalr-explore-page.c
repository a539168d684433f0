/* scalr-explore-page.c — sweeps and searches started from the workbench. */
#include "config.h"

#include "scalr-explore-page.h"

struct _ScalrExplorePage {
  GtkWidget  parent_instance;
  GtkWidget *status;
  char      *db_path;
  GCancellable *cancellable;   /* non-NULL while work goes */
};

G_DEFINE_FINAL_TYPE (ScalrExplorePage, scalr_explore_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_RUNNING, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { SIGNAL_RUNS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
scalr_explore_page_set_store (ScalrExplorePage *self, const char *db_path)
{
  g_return_if_fail (SCALR_IS_EXPLORE_PAGE (self));
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
}

gboolean
scalr_explore_page_is_running (ScalrExplorePage *self)
{
  g_return_val_if_fail (SCALR_IS_EXPLORE_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

void
scalr_explore_page_cancel (ScalrExplorePage *self)
{
  g_return_if_fail (SCALR_IS_EXPLORE_PAGE (self));
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
}

static void
scalr_explore_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (object);
  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scalr_explore_page_dispose (GObject *object)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (object);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->status, gtk_widget_unparent);
  G_OBJECT_CLASS (scalr_explore_page_parent_class)->dispose (object);
}

static void
scalr_explore_page_finalize (GObject *object)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (object);
  g_clear_object (&self->cancellable);
  g_free (self->db_path);
  G_OBJECT_CLASS (scalr_explore_page_parent_class)->finalize (object);
}

static void
scalr_explore_page_class_init (ScalrExplorePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->get_property = scalr_explore_page_get_property;
  object_class->dispose = scalr_explore_page_dispose;
  object_class->finalize = scalr_explore_page_finalize;
  props[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  /* Runs were added to the store. */
  signals[SIGNAL_RUNS_CHANGED] = g_signal_new ("runs-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "explorepage");
}

static void
scalr_explore_page_init (ScalrExplorePage *self)
{
  self->status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->status), "find-location-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->status), "Explore");
  gtk_widget_set_parent (self->status, GTK_WIDGET (self));
}

GtkWidget *
scalr_explore_page_new (void)
{
  return g_object_new (SCALR_TYPE_EXPLORE_PAGE, NULL);
}
