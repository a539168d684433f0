/* scalr.c — the `scalr` command-line entry point: dispatches to a subcommand. */
#include "config.h"

#include "scalr-registry.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "scalr-cli-common.h"
#include "scalr-dist.h"
#include "scalr-version.h"

static const ScalrCommand commands[] = {
  { "import",   "Import an events file (and an items file) as a dataset", cmd_import, TRUE },
  { "datasets", "List the datasets in the store", cmd_datasets, TRUE },
  { "stats",    "Statistics of a dataset and of a source/target domain pair", cmd_stats, TRUE },
  { "run",      "Run SCALR on a config: split, generate, sample, diagnose", cmd_run },
  { "sweep",    "One run per point of a grid over config keys; lift against the swept values", cmd_sweep },
  { "tune",     "Choose settings on validation users, evaluate the choice once on test users", cmd_tune },
  { "runs",     "List the runs in the store", cmd_runs, TRUE },
  { "config",   "The config keys: type, default, allowed values, help", cmd_config, TRUE },
  { "show",     "Show a run: config, split, synthetic events, diagnostics", cmd_show, TRUE },
  { "export",   "Export a run's synthetic events or split (TSV, original ids)", cmd_export, TRUE },
#ifdef SCALR_HAVE_REPORT
  { "report",   "Write a run's report: PDF with every chart and the metric table, or PNG/SVG", cmd_report, TRUE },
#endif
};

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: scalr COMMAND [OPTIONS]\n\n"
           "SCALR Workbench: synthetic cross-domain recommendation data and what it does.\n\n"
           "Commands:\n");
  for (guint k = 0; k < G_N_ELEMENTS (commands); k++)
    fprintf (out, "  %-10s %s\n", commands[k].name, commands[k].summary);
  fprintf (out,
           "\nEvery command takes --db FILE (default: %s/scalr-workbench/scalr.db)\n"
           "and --help. Run 'scalr COMMAND --help' for its options.\n",
           g_get_user_data_dir ());
}

static void
print_nothing (const char *text)
{
}

/* Runs @cmd on this rank (or, for a root-only command under mpirun, on rank 0 while the
 * others wait for its exit status). */
static int
dispatch (const ScalrCommand *cmd, int argc, char **argv)
{
  if (!cmd->root_only || scalr_dist_size () == 1)
    return cmd->func (argc, argv);
  gint32 status = scalr_dist_is_root () ? cmd->func (argc, argv) : 0;
  scalr_dist_bcast (&status, sizeof status, 0);
  return status;
}

static int
run_main (int argc, char **argv)
{
  /* Past a file size limit, let write() fail (and SQLite report "disk full") rather than
   * the process die. */
  signal (SIGXFSZ, SIG_IGN);
  /* A FIFO or pipe whose reader has gone: a write error with the path, not a silent death. */
  signal (SIGPIPE, SIG_IGN);
  if (argc < 2)
    {
      usage (stderr);
      return EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("scalr %s (%s)\n", PACKAGE_VERSION, SCALR_CODE_VERSION);
      return EXIT_OK;
    }
  for (guint k = 0; k < G_N_ELEMENTS (commands); k++)
    if (strcmp (argv[1], commands[k].name) == 0)
      {
        /* The subcommand sees argv[0] = "scalr CMD" style: shift by one. */
        g_autofree char *prog = g_strdup_printf ("scalr %s", commands[k].name);
        argv[1] = prog;
        return dispatch (&commands[k], argc - 1, argv + 1);
      }
  fprintf (stderr, "scalr: unknown command '%s'\n\n", argv[1]);
  usage (stderr);
  return EXIT_USAGE;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_set_prgname ("scalr");
  /* Under mpirun: MPI starts here; rank 0 alone prints (and writes the store), the others
   * keep only GLib's warnings on stderr. */
  g_autoptr (GError) error = NULL;
  if (!scalr_dist_init (&argc, &argv, &error))
    {
      g_printerr ("scalr: %s\n", error->message);
      return EXIT_ERROR;
    }
  if (!scalr_dist_is_root ())
    {
      g_set_print_handler (print_nothing);
      g_set_printerr_handler (print_nothing);
      if (freopen ("/dev/null", "w", stdout) == NULL)
        g_warning ("rank %u: stdout stays open", scalr_dist_rank ());
    }
  scalr_registry_init ();
  int status = run_main (argc, argv);
  fflush (stdout);
  scalr_dist_finalize ();
  return status;
}
