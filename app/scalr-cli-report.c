/* scalr-cli-report.c — `scalr report`: a run's charts as a PDF report, or PNG/SVG files.
 * Built only with the GUI libraries (Cairo). */
#include "config.h"

#include "scalr-cli-common.h"
#include "scalr-report.h"

int
cmd_report (int argc, char **argv)
{
  g_autofree char *db = NULL, *out = NULL, *format_text = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output file (PDF) or file-name stem (PNG/SVG)", "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, "pdf (default), png or svg", "FORMAT" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN - write a run's report: charts and metrics");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "PDF: a title page (dataset, config, headline lifts with CIs and p-values), every chart\n"
    "one per page, then the metric table. PNG/SVG: one file per chart, named\n"
    "STEM-CHART.png next to --out (e.g. --out plots/run3.png writes plots/run3-activity.png …).\n\n"
    "Examples:\n"
    "  scalr report 3 --out run3.pdf\n"
    "  scalr report 3 --out slides/run3.svg --format svg\n");
  if (!cli_parse (ctx, &argc, &argv, "report"))
    return EXIT_USAGE;
  gint64 run_id = 0;
  if (!cli_run_id_arg ("report", argc, argv, &run_id))
    return EXIT_USAGE;
  ScalrReportFormat format = SCALR_REPORT_PDF;
  if (format_text && !scalr_report_format_from_string (format_text, &format))
    {
      g_printerr ("scalr report: unknown --format '%s'; use pdf, png or svg\n", format_text);
      return EXIT_USAGE;
    }
  if (out == NULL)
    {
      g_printerr ("scalr report: give the output file with --out FILE\n");
      return EXIT_USAGE;
    }
  g_autoptr (ScalrStore) store = cli_open_store (db, SCALR_STORE_OPEN_READER);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  ScalrRunCheck check;
  g_autoptr (ScalrRunInfo) info = scalr_store_load_run (store, run_id, &error);
  if (info == NULL || !scalr_store_check_run (store, run_id, &check, &error))
    return cli_fail ("report", error);
  if (info->status == SCALR_RUN_FINISHED)
    cli_note_unverified ("report", run_id, check.has_checksum);
  g_auto (GStrv) files = NULL;
  guint pages = 0;
  if (!scalr_report_write_full (store, run_id, out, format, &files, &pages, &error))
    return cli_fail ("report", error);
  if (format == SCALR_REPORT_PDF)
    g_printerr ("wrote %s (%u pages)\n", out, pages);
  else
    {
      g_printerr ("wrote %u chart%s:\n", pages, pages == 1 ? "" : "s");
      for (guint i = 0; files[i]; i++)
        g_printerr ("  %s\n", files[i]);
    }
  return EXIT_OK;
}
