/* scalr-cli-common.c — shared presentation helpers of the CLI. */
#include "config.h"

#include "scalr-cli-common.h"

#include "scalr-parallel.h"
#include "scalr-run-data.h"
#include "scalr-text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static gboolean progress_drawn;

void
cli_report_busy (const char *path, double waited, gpointer data)
{
  g_printerr ("scalr: %s is locked by another process; waiting (up to the busy timeout)…\n", path);
}

ScalrStore *
cli_open_store (const char *db, ScalrStoreFlags flags)
{
  g_autofree char *path = db ? g_strdup (db) : scalr_store_default_path ();
  g_autoptr (GError) error = NULL;
  ScalrStore *store = scalr_store_open (path, flags, &error);
  if (store == NULL)
    {
      g_autofree char *msg = scalr_text_escape (error->message);
      g_printerr ("scalr: %s\n", msg);
      return NULL;
    }
  scalr_store_set_busy_func (store, cli_report_busy, NULL);
  guint n = scalr_store_get_n_marked_interrupted (store);
  if (n > 0)
    g_printerr ("scalr: %u unfinished run%s marked interrupted\n", n, n == 1 ? "" : "s");
  return store;
}

static void
draw_progress (const char *stage, double fraction, const char *message, gpointer data)
{
  g_autofree char *msg = g_strndup (message, 60);
  fprintf (stderr, "\r\033[K%-10s %3.0f%%  %s", stage, fraction * 100.0, msg);
  fflush (stderr);
  progress_drawn = TRUE;
}

ScalrProgress *
cli_progress_new (void)
{
  if (!isatty (STDERR_FILENO))
    return NULL;
  return scalr_progress_new (draw_progress, NULL, NULL);
}

void
cli_progress_done (void)
{
  if (progress_drawn)
    fprintf (stderr, "\r\033[K");
  progress_drawn = FALSE;
}

void
cli_print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

const char *
cli_count (guint64 n)
{
  static char bufs[8][32];   /* the CLI prints from one thread */
  static guint which;
  char *out = bufs[which++ % 8];
  char digits[32];
  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, n);
  gsize len = strlen (digits), w = 0;
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        out[w++] = ',';
      out[w++] = digits[i];
    }
  out[w] = '\0';
  return out;
}

void
cli_note_unverified (const char *command, gint64 run_id, gboolean has_checksum)
{
  if (!has_checksum)
    g_printerr ("scalr %s: note: run %" G_GINT64_FORMAT " has no checksum (stored before schema 6): its results "
                "are checked for validity but cannot be verified against alteration\n", command, run_id);
}

int
cli_fail (const char *command, const GError *error)
{
  cli_progress_done ();
  /* Messages quote user values (names, paths, config values): never raw control characters. */
  g_autofree char *msg = scalr_text_escape (error->message);
  if (g_error_matches (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_USAGE))
    {
      g_printerr ("scalr %s: %s\nTry 'scalr %s --help'.\n", command, msg, command);
      return EXIT_USAGE;
    }
  g_printerr ("scalr %s: %s\n", command, msg);
  return EXIT_ERROR;
}

const char *
cli_safe (const char *text)
{
  static char *bufs[8];   /* the CLI prints from one thread */
  static guint which;
  char **slot = &bufs[which++ % 8];
  g_free (*slot);
  *slot = scalr_text_escape (text);
  return *slot;
}

gboolean
cli_parse (GOptionContext *ctx, int *argc, char ***argv, const char *command)
{
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      g_printerr ("scalr %s: %s\nTry 'scalr %s --help'.\n", command, error->message, command);
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_threads (const char *command, const char *text, guint *out)
{
  g_autoptr (GError) error = NULL;
  *out = 0;
  if ((text != NULL && !scalr_parallel_parse_threads ("--threads", text, out, &error))
      || !scalr_parallel_check_environment (&error))
    {
      g_printerr ("scalr %s: %s\nTry 'scalr %s --help'.\n", command, error->message, command);
      return FALSE;
    }
  return TRUE;
}

ScalrConfig *
path_config (const char *path, char **sets, GError **error)
{
  g_autoptr (ScalrConfig) c = path ? scalr_config_new_from_file (path, error) : scalr_config_new ();
  if (c == NULL)
    return NULL;
  for (guint k = 0; sets && sets[k]; k++)
    if (!scalr_config_set_assignment (c, sets[k], error))
      return NULL;
  return g_steal_pointer (&c);
}

gboolean
cli_parse_run_id (const char *text, gint64 *out)
{
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll (text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || v <= 0 || errno == ERANGE)
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
cli_run_id_arg (const char *command, int argc, char **argv, gint64 *out)
{
  if (argc == 2 && cli_parse_run_id (argv[1], out))
    return TRUE;
  if (argc == 2)
    g_printerr ("scalr %s: '%s' is not a valid run id; expected a positive integer (scalr runs lists them)\n",
                command, cli_safe (argv[1]));
  else
    g_printerr ("scalr %s: expected one RUN id (a positive integer; scalr runs lists them)\n", command);
  return FALSE;
}

gboolean
cli_check_estimate (const char *command, const char *db, ScalrConfig *const *configs, guint n_runs, gboolean yes)
{
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_autoptr (ScalrStore) store = scalr_store_open (db, SCALR_STORE_OPEN_READER, NULL);
  if (store == NULL)
    return TRUE;
  /* One estimate per config, each standing for n_runs / n_configs runs. */
  guint n_configs = 0;
  while (configs[n_configs])
    n_configs++;
  g_auto (ScalrEstimate) total = { 0 };
  for (guint k = 0; k < n_configs; k++)
    {
      g_auto (ScalrEstimate) e = { 0 };
      if (!scalr_estimate_run (store, configs[k], 1, &e, NULL))
        return TRUE;
      double share = (double) n_runs / n_configs;
      total.seconds += e.seconds * share;
      total.store_bytes += (guint64) (e.store_bytes * share);
      if (total.slowest == NULL)
        total.slowest = g_steal_pointer (&e.slowest);
    }
  total.n_runs = n_runs;
  gboolean confirm = scalr_estimate_needs_confirmation (&total);
  if (total.seconds < 60 && total.store_bytes < (100u << 20) && !confirm)
    return TRUE;
  g_autofree char *text = scalr_estimate_describe (&total);
  g_printerr ("scalr %s: estimate: %s\n", command, text);
  if (!confirm || yes)
    return TRUE;
  g_printerr ("scalr %s: that is past the start-up threshold (%.0f min or %s); add --yes to start it, "
              "or lower the settings named above\n", command, SCALR_ESTIMATE_CONFIRM_SECONDS / 60,
              "2 GiB in the store");
  return FALSE;
}

const char *
cli_format_number (const char *format, double v)
{
  static char bufs[8][64];   /* the CLI prints from one thread */
  static guint which;
  char *out = bufs[which++ % 8];
  if (!isfinite (v))
    return "—";
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_snprintf (out, sizeof bufs[0], format, v);
#pragma GCC diagnostic pop
  return out;
}

JsonObject *
cli_lift_json (const ScalrLiftRow *l)
{
  return scalr_lift_row_to_json (l);
}
