/* scalr-report.h — a stakeholder report of one run, drawn with Cairo (no GTK).
 *
 * PDF (A4 landscape): a title page (dataset, config summary, synthetic-vs-real summary,
 * headline lifts with CIs and Holm-adjusted p-values), then every chart of
 * scalr_run_results_charts one per page, then the metric table at the headline K over as
 * many pages as it needs. PNG and SVG: one file per chart, named STEM-CHART.EXT in the
 * output's folder (STEM: the output's file name without its extension). */
#pragma once

#include "scalr-run-charts.h"

G_BEGIN_DECLS

typedef enum {
  SCALR_REPORT_PDF,
  SCALR_REPORT_PNG,
  SCALR_REPORT_SVG,
} ScalrReportFormat;

/* "pdf", "png", "svg" → the format; FALSE for anything else. */
gboolean scalr_report_format_from_string (const char *text, ScalrReportFormat *out);

/* Writes the report of finished run @run_id. On error returns FALSE and sets @error: the
 * store's SCALR_STORE_ERROR_NOT_FOUND naming the run, SCALR_RUN_RESULTS_ERROR_NOT_FINISHED,
 * or SCALR_PLOT_ERROR_WRITE naming the file; no file of the report is left behind. */
gboolean scalr_report_write (ScalrStore *store, gint64 run_id, const char *path,
                             ScalrReportFormat format, GError **error);

/* The same, also returning the files written (*out_files, owned, NULL-terminated) and the
 * pages of a PDF (*out_pages; for PNG/SVG the number of files). Both optional. */
gboolean scalr_report_write_full (ScalrStore *store, gint64 run_id, const char *path,
                                  ScalrReportFormat format, GStrv *out_files, guint *out_pages,
                                  GError **error);

/* The file a chart goes to for PNG/SVG: DIR/STEM-@chart_id.EXT (owned). */
char    *scalr_report_chart_path (const char *path, const char *chart_id, ScalrReportFormat format)
  G_GNUC_WARN_UNUSED_RESULT;

/* Pages the metric table of @results needs in a PDF report. */
guint    scalr_report_table_pages (const ScalrRunResults *results);

/* What a comparison report shows: the lifts of @segment × @metric@@k against @reference
 * ("strongest" or "own") along config key @key (may be NULL: no chart, the table only). */
typedef struct {
  const char *key, *segment, *metric, *reference;
  guint       k;
} ScalrCompareReport;

/* Writes a PDF comparing finished runs @run_ids (n ≥ 1): a title page (the runs, the key,
 * which runs a line joins and which differ in other keys too), a chart per model along the
 * key, then the table of lifts (both references), over as many pages as they need. On
 * error returns FALSE and sets @error (a run that does not exist or is not finished, or
 * SCALR_PLOT_ERROR_WRITE naming the file); nothing is written then. */
gboolean scalr_report_write_compare (ScalrStore *store, const gint64 *run_ids, guint n,
                                     const ScalrCompareReport *what, const char *path, guint *out_pages,
                                     GError **error);

G_END_DECLS
