/* scalr-workbench.c — the GUI entry point: options, then the main window. */
#include "config.h"

#include "scalr-registry.h"

#include <adwaita.h>
#include <locale.h>

#include "scalr-store.h"
#include "scalr-window.h"

static char *opt_db;
static char *opt_dataset;

static void
on_activate (GApplication *app, gpointer data)
{
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (win == NULL)
    {
      g_autofree char *db = opt_db ? g_strdup (opt_db) : scalr_store_default_path ();
      win = GTK_WINDOW (scalr_window_new (ADW_APPLICATION (app), db, opt_dataset));
    }
  gtk_window_present (win);
}

static void
on_quit (GSimpleAction *action, GVariant *param, gpointer app)
{
  /* Closing asks a window first while a run goes (it cancels the run and closes once it
   * stopped); the application ends with its last window. */
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  for (GList *w = windows; w; w = w->next)
    gtk_window_close (GTK_WINDOW (w->data));
  g_list_free (windows);
}

static void
on_startup (GApplication *app, gpointer data)
{
  /* AdwApplication loads style.css and style-dark.css from the resource base path
   * (/org/scalr/Workbench) itself, the dark one only in dark mode. */
  static const GActionEntry app_actions[] = {
    { "quit", on_quit, NULL, NULL, NULL },
  };
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  const char *quit[] = { "<Control>q", NULL };
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  scalr_registry_init ();
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Experiment store (default: the user data directory)", "DB" },
    { "dataset", 0, 0, G_OPTION_ARG_STRING, &opt_dataset, "Dataset to show first", "NAME" },
    { NULL }
  };
  g_autoptr (AdwApplication) app = adw_application_new (SCALR_APP_ID, G_APPLICATION_NON_UNIQUE);
  g_application_add_main_option_entries (G_APPLICATION (app), entries);
  g_signal_connect (app, "startup", G_CALLBACK (on_startup), NULL);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
