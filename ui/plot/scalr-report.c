/* scalr-report.c — the PDF/PNG/SVG report of a run (Cairo only). */
#include "config.h"

#include "scalr-report.h"
#include "scalr-report-private.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "scalr-charts.h"
#include "scalr-format.h"
#include "scalr-lift-table.h"
#include "scalr-output.h"
#include "scalr-run-charts.h"
#include "scalr-stats.h"

/* Metric table layout. */
#define TABLE_TOP 96.0
#define TABLE_ROW_H 14.0
#define TABLE_HEADER_H 20.0
#define TABLE_BOTTOM 36.0   /* room for the note under the table */
#define TABLE_ROWS_PER_PAGE ((guint) ((PAGE_H - TABLE_TOP - TABLE_HEADER_H - TABLE_BOTTOM - FOOTER_H) / TABLE_ROW_H))
/* Chart files. */
#define PNG_W 1600
#define SVG_W 1200.0
#define SVG_H 800.0

gboolean
scalr_report_format_from_string (const char *text, ScalrReportFormat *out)
{
  if (g_ascii_strcasecmp (text, "pdf") == 0)
    *out = SCALR_REPORT_PDF;
  else if (g_ascii_strcasecmp (text, "png") == 0)
    *out = SCALR_REPORT_PNG;
  else if (g_ascii_strcasecmp (text, "svg") == 0)
    *out = SCALR_REPORT_SVG;
  else
    return FALSE;
  return TRUE;
}

char *
scalr_report_chart_path (const char *path, const char *chart_id, ScalrReportFormat format)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');
  if (dot && dot != base)
    *dot = '\0';
  const char *ext = format == SCALR_REPORT_SVG ? "svg" : format == SCALR_REPORT_PNG ? "png" : "pdf";
  g_autofree char *name = g_strdup_printf ("%s-%s.%s", base, chart_id, ext);
  return g_build_filename (dir, name, NULL);
}

/* ---- drawing helpers ------------------------------------------------------------------ */

void
set_rgb (cairo_t *cr, ScalrRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

void
set_font (cairo_t *cr, double size, gboolean bold)
{
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

double
text_width (cairo_t *cr, const char *s)
{
  cairo_text_extents_t e;
  cairo_text_extents (cr, s, &e);
  return e.x_advance;
}

/* Draws @s with its baseline at y; shortened with "…" to fit @max_w (≤ 0: no limit). */
void
draw_text (cairo_t *cr, double x, double y, const char *s, Align align, double max_w)
{
  g_autofree char *fit = g_strdup (s);
  if (max_w > 0 && text_width (cr, fit) > max_w)
    {
      glong n = g_utf8_strlen (fit, -1);
      while (n > 1)
        {
          n--;
          g_autofree char *head = g_utf8_substring (s, 0, n);
          g_free (fit);
          fit = g_strconcat (head, "…", NULL);
          if (text_width (cr, fit) <= max_w)
            break;
        }
    }
  double w = text_width (cr, fit);
  double x0 = align == ALIGN_RIGHT ? x - w : align == ALIGN_CENTER ? x - w / 2 : x;
  cairo_move_to (cr, x0, y);
  cairo_show_text (cr, fit);
}

/* Draws @s left-aligned from baseline @y, word-wrapped to @max_w, at most @max_lines lines
 * @line_h apart (the last shortened with "…" if the text goes on); returns the baseline of
 * the last line drawn. */
double
draw_wrapped (cairo_t *cr, double x, double y, const char *s, double max_w, double line_h, guint max_lines)
{
  g_auto (GStrv) words = g_strsplit (s, " ", -1);
  g_autoptr (GString) line = g_string_new (NULL);
  guint n = 0, i = 0;
  while (words[i] && n + 1 < max_lines)
    {
      g_autofree char *next = line->len ? g_strdup_printf ("%s %s", line->str, words[i]) : g_strdup (words[i]);
      if (line->len && text_width (cr, next) > max_w)
        {
          draw_text (cr, x, y + n++ * line_h, line->str, ALIGN_LEFT, max_w);
          g_string_truncate (line, 0);
          continue;
        }
      g_string_assign (line, next);
      i++;
    }
  for (; words[i]; i++)
    g_string_append_printf (line, "%s%s", line->len ? " " : "", words[i]);
  draw_text (cr, x, y + n * line_h, line->str, ALIGN_LEFT, max_w);
  return y + n * line_h;
}

void
draw_footer (cairo_t *cr, const ScalrPlotStyle *style, const char *left, guint page, guint n_pages)
{
  set_font (cr, 8.5, FALSE);
  set_rgb (cr, style->muted);
  draw_text (cr, MARGIN, PAGE_H - 14, left, ALIGN_LEFT, PAGE_W / 2);
  g_autofree char *num = g_strdup_printf ("%u / %u", page, n_pages);
  draw_text (cr, PAGE_W - MARGIN, PAGE_H - 14, num, ALIGN_RIGHT, 0);
}

void
hline (cairo_t *cr, ScalrRgb c, double x0, double x1, double y, double width)
{
  set_rgb (cr, c);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

/* Numbers read the same as on screen: the one formatter (scalr-format.h). */
#define fmt_value scalr_format_metric
#define fmt_count scalr_format_count

/* ---- title page ----------------------------------------------------------------------- */

/* The title, the run and a rule; returns the y below. */
static double
draw_title_block (cairo_t *cr, const ScalrRunResults *r, const ScalrPlotStyle *style)
{
  double x = MARGIN, y = MARGIN + 8, w = PAGE_W - 2 * MARGIN;
  set_font (cr, 11, TRUE);
  set_rgb (cr, style->series[SCALR_PLOT_COLOR_BLUE]);
  draw_text (cr, x, y, "SCALR WORKBENCH · RUN REPORT", ALIGN_LEFT, 0);
  y += 34;
  g_autofree char *title = scalr_run_results_dup_title (r);
  set_font (cr, 26, TRUE);
  set_rgb (cr, style->foreground);
  draw_text (cr, x, y, title, ALIGN_LEFT, w);
  y += 22;
  g_autofree char *finished = r->info->finished_at ? g_strndup (r->info->finished_at, 16) : g_strdup (SCALR_FORMAT_MISSING);
  g_strdelimit (finished, "T", ' ');
  g_autofree char *sub = g_strdup_printf ("Dataset %s · finished %s UTC · seed %" G_GUINT64_FORMAT " · code %s",
                                          r->info->dataset, finished, r->info->seed,
                                          r->info->code_version ? r->info->code_version : "?");
  set_font (cr, 11.5, FALSE);
  set_rgb (cr, style->muted);
  draw_text (cr, x, y, sub, ALIGN_LEFT, w);
  y += 12;
  hline (cr, style->grid, x, x + w, y, 1);
  return y + 24;
}

/* Synthetic vs real in "Label: value" lines (owned, NULL-terminated). */
static GStrv
synthetic_lines (const ScalrRunResults *r)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  const ScalrDiagnostics *d = r->diag;
  if (d == NULL)
    {
      g_strv_builder_add (b, "Diagnostics: none stored for this run");
      return g_strv_builder_end (b);
    }
  g_autofree char *ev = fmt_count (d->events), *us = fmt_count (d->users);
  g_autofree char *cov = scalr_format_percent (d->coverage, 1), *rcov = scalr_format_percent (d->real_coverage, 1);
  g_autofree char *gini = scalr_format_fixed (d->gini, 3), *rgini = scalr_format_fixed (d->real_gini, 3);
  g_autofree char *jsd = fmt_value (d->jsd), *bjsd = fmt_value (d->bucket_jsd);
  g_autofree char *ap = fmt_value (d->all.precision), *ar = fmt_value (d->all.recall);
  g_autofree char *ah = scalr_format_percent (d->all.hit_rate, 1);
  g_autofree char *sp = fmt_value (d->sparse.precision), *sr = fmt_value (d->sparse.recall);
  g_autofree char *sh = scalr_format_percent (d->sparse.hit_rate, 1);
  g_autofree char *l1 = g_strdup_printf ("Volume: %s synthetic events for %s users", ev, us);
  g_autofree char *l2 = g_strdup_printf ("Items: coverage %s (real %s) · Gini %s (real %s) · JSD %s · bucket JSD %s",
                                         cov, rcov, gini, rgini, jsd, bjsd);
  g_autofree char *l3 = g_strdup_printf ("Held-out: all users precision %s, recall %s, hit rate %s · sparse users "
                                         "precision %s, recall %s, hit rate %s", ap, ar, ah, sp, sr, sh);
  g_strv_builder_add_many (b, l1, l2, l3, NULL);
  g_autofree char *tau = scalr_format_value (d->temperature, 3);
  if (d->n_calibration > 0 && isfinite (d->ece))
    {
      g_autofree char *ece = scalr_format_value (d->ece, 2);
      g_autofree char *l4 = g_strdup_printf ("Calibration: ECE %s, τ = %s", ece, tau);
      g_strv_builder_add (b, l4);
    }
  else
    {
      g_autofree char *l4 = g_strdup_printf ("Calibration: ECE — (undefined: no validation events), τ = %s", tau);
      g_strv_builder_add (b, l4);
    }
  return g_strv_builder_end (b);
}

/* A heading and "Label: value" lines, the label in bold; returns the y below. */
static double
draw_block (cairo_t *cr, const char *heading, const char *const *lines, double y, const ScalrPlotStyle *style)
{
  double x = MARGIN, w = PAGE_W - 2 * MARGIN;
  set_font (cr, 12.5, TRUE);
  set_rgb (cr, style->foreground);
  draw_text (cr, x, y, heading, ALIGN_LEFT, 0);
  y += 17;
  for (guint i = 0; lines[i]; i++)
    {
      const char *colon = strstr (lines[i], ": ");
      set_rgb (cr, style->foreground);
      if (colon)
        {
          g_autofree char *label = g_strndup (lines[i], (gsize) (colon - lines[i]));
          set_font (cr, 10, TRUE);
          draw_text (cr, x, y, label, ALIGN_LEFT, 0);
          set_font (cr, 10, FALSE);
          draw_text (cr, x + 76, y, colon + 2, ALIGN_LEFT, w - 76);
        }
      else
        {
          set_font (cr, 10, FALSE);
          draw_text (cr, x, y, lines[i], ALIGN_LEFT, w);
        }
      y += 14.5;
    }
  return y + 12;
}

/* One headline row: against the strongest real-only model, then the own baseline. */
static void
draw_headline_row (cairo_t *cr, const ScalrLiftRow *l, const ScalrLiftRow *own, const char *users, double y,
                   const double *cx, const ScalrPlotStyle *style)
{
  double x = MARGIN;
  gboolean sig = isfinite (l->p_holm) && l->p_holm < SCALR_SIGNIFICANCE_LEVEL;
  g_autofree char *base = fmt_value (l->base_mean), *aug = fmt_value (l->aug_mean);
  g_autofree char *lift = scalr_format_lift (l->lift), *ci = scalr_format_lift_ci (l->ci_low, l->ci_high);
  g_autofree char *ph = scalr_format_p (l->p_holm);
  g_autofree char *own_lift = own ? scalr_format_lift (own->lift) : g_strdup (SCALR_FORMAT_MISSING);
  ScalrRgb accent = style->series[l->lift >= 0 ? SCALR_PLOT_COLOR_BLUE : SCALR_PLOT_COLOR_VERMILLION];
  set_font (cr, 10, FALSE);
  set_rgb (cr, style->foreground);
  draw_text (cr, x + cx[0], y, users, ALIGN_LEFT, 0);
  draw_text (cr, x + cx[1], y, l->model, ALIGN_LEFT, 90);
  draw_text (cr, x + cx[2], y, l->baseline_model, ALIGN_LEFT, 90);
  draw_text (cr, x + cx[3], y, base, ALIGN_RIGHT, 0);
  draw_text (cr, x + cx[4], y, aug, ALIGN_RIGHT, 0);
  set_font (cr, 10, sig);
  if (sig)
    set_rgb (cr, accent);
  draw_text (cr, x + cx[5], y, lift, ALIGN_RIGHT, 0);
  set_font (cr, 10, FALSE);
  set_rgb (cr, style->foreground);
  draw_text (cr, x + cx[6], y, ci, ALIGN_RIGHT, 0);
  draw_text (cr, x + cx[7], y, ph, ALIGN_RIGHT, 0);
  set_rgb (cr, style->muted);
  draw_text (cr, x + cx[8], y, own_lift, ALIGN_RIGHT, 0);
}

/* The headline: per segment (sparse users first), each model against the strongest
 * real-only model of the segment, its own-baseline lift in the last column. */
static void
draw_headline (cairo_t *cr, const ScalrRunResults *r, double y, const ScalrPlotStyle *style)
{
  double x = MARGIN, w = PAGE_W - 2 * MARGIN;
  hline (cr, style->grid, x, x + w, y - 8, 1);
  guint k = r->headline_k;
  set_font (cr, 12.5, TRUE);
  set_rgb (cr, style->foreground);
  if (k == 0 || r->lifts->len == 0)
    {
      draw_text (cr, x, y + 10, "Headline lifts", ALIGN_LEFT, 0);
      set_font (cr, 10, FALSE);
      set_rgb (cr, style->muted);
      draw_text (cr, x, y + 28, "This run has no downstream evaluation.", ALIGN_LEFT, w);
      return;
    }
  g_autofree char *ml = scalr_metric_label ("recall", k);
  g_autofree char *head = g_strdup_printf ("Headline: %s, each model with synthetic events against the strongest "
                                           "real-only model", ml);
  draw_text (cr, x, y + 10, head, ALIGN_LEFT, w);
  y += 32;
  g_autofree char *ci_head = scalr_stats_ci_label (scalr_run_results_level (r));
  const char *cols[] = { "Users", "Model", "Strongest", "Baseline", "Augmented", "Lift", ci_head, "p (Holm)", "vs own" };
  const double cx[] = { 0, 74, 170, 330, 410, 480, 590, 660, w };
  set_font (cr, 9.5, TRUE);
  set_rgb (cr, style->muted);
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    draw_text (cr, x + cx[c], y, cols[c], c < 3 ? ALIGN_LEFT : ALIGN_RIGHT, 0);
  y += 5;
  hline (cr, style->grid, x, x + w, y, 1);
  y += 14;
  const char *segments[] = { "sparse", "all" };
  double bottom = PAGE_H - MARGIN - FOOTER_H;
  guint skipped = 0;
  for (guint s = 0; s < G_N_ELEMENTS (segments); s++)
    for (guint m = 0, shown = 0; m < r->models->len; m++)
      {
        const char *model = g_ptr_array_index (r->models, m);
        const ScalrLiftRow *l = scalr_run_results_lift (r, model, segments[s], "recall", k, "strongest");
        if (l == NULL)
          continue;
        if (y > bottom - 16)
          {
            skipped++;
            continue;
          }
        const ScalrLiftRow *own = scalr_run_results_lift (r, model, segments[s], "recall", k, "own");
        draw_headline_row (cr, l, own, shown++ == 0 ? (s == 0 ? "sparse" : "all tested") : "", y, cx, style);
        y += 14.5;
      }
  set_font (cr, 9, FALSE);
  set_rgb (cr, style->muted);
  g_autofree char *note = g_strdup_printf ("%s%sLift = augmented / baseline − 1; paired bootstrap CI over users, not "
                                           "adjusted for multiple comparisons; bold: significant after Holm's adjustment "
                                           "(p < 0.05). The own-baseline lift flatters for cold users.",
                                           skipped ? "More rows in the lift charts. " : "", "");
  draw_wrapped (cr, x, MIN (y + 6, bottom + 10), note, w, 11.5, 2);
}

static void
draw_title_page (cairo_t *cr, const ScalrRunResults *r, const ScalrPlotStyle *style)
{
  double y = draw_title_block (cr, r, style);
  g_auto (GStrv) config = scalr_run_results_config_lines (r);
  g_auto (GStrv) synth = synthetic_lines (r);
  y = draw_block (cr, "Configuration", (const char *const *) config, y, style);
  y = draw_block (cr, "Synthetic vs real", (const char *const *) synth, y, style);
  draw_headline (cr, r, y + 4, style);
}

/* ---- metric table --------------------------------------------------------------------- */

typedef struct {
  const char *segment, *model, *variant;
} TableRow;

static GArray *
table_rows (const ScalrRunResults *r)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (TableRow));
  for (ScalrSegment s = 0; s < SCALR_N_SEGMENTS; s++)
    for (guint m = 0; m < r->models->len; m++)
      for (ScalrVariant v = 0; v < SCALR_N_VARIANTS; v++)
        {
          const char *model = g_ptr_array_index (r->models, m);
          const char *segment = scalr_segment_to_string (s), *variant = scalr_variant_to_string (v);
          gboolean any = FALSE;
          for (guint i = 0; i < r->metrics->len && !any; i++)
            {
              const ScalrMetricRow *row = &g_array_index (r->metrics, ScalrMetricRow, i);
              any = g_strcmp0 (row->segment, segment) == 0 && g_strcmp0 (row->model, model) == 0
                    && g_strcmp0 (row->variant, variant) == 0;
            }
          if (any)
            {
              TableRow t = { segment, model, variant };
              g_array_append_val (rows, t);
            }
        }
  return rows;
}

guint
scalr_report_table_pages (const ScalrRunResults *r)
{
  g_autoptr (GArray) rows = table_rows (r);
  if (rows->len == 0)
    return 0;
  return (rows->len + TABLE_ROWS_PER_PAGE - 1) / TABLE_ROWS_PER_PAGE;
}

static void
draw_table_page (cairo_t *cr, const ScalrRunResults *r, GArray *rows, guint first, guint page,
                 guint n_table_pages, const ScalrPlotStyle *style)
{
  double x = MARGIN, w = PAGE_W - 2 * MARGIN;
  guint k = r->headline_k;
  g_autofree char *title = n_table_pages > 1
    ? g_strdup_printf ("Metrics at K = %u (page %u of %u)", k, page + 1, n_table_pages)
    : g_strdup_printf ("Metrics at K = %u", k);
  set_font (cr, 18, TRUE);
  set_rgb (cr, style->foreground);
  draw_text (cr, x, MARGIN + 10, title, ALIGN_LEFT, w);
  set_font (cr, 10, FALSE);
  set_rgb (cr, style->muted);
  draw_text (cr, x, MARGIN + 30,
             "Full ranking over all target items, excluding each user's real training positives; "
             "NE (lower is better) and AUC are pointwise.", ALIGN_LEFT, w);
  const double col0[] = { 0, 64, 150 };
  double first_metric = 250, step = (w - first_metric) / SCALR_N_METRICS;
  double y = TABLE_TOP;
  set_font (cr, 9.5, TRUE);
  set_rgb (cr, style->muted);
  draw_text (cr, x + col0[0], y, "Users", ALIGN_LEFT, 0);
  draw_text (cr, x + col0[1], y, "Model", ALIGN_LEFT, 0);
  draw_text (cr, x + col0[2], y, "Variant", ALIGN_LEFT, 0);
  for (ScalrMetric c = 0; c < SCALR_N_METRICS; c++)
    draw_text (cr, x + first_metric + (c + 1) * step, y, scalr_metric_get_label (c), ALIGN_RIGHT, 0);
  y += 6;
  hline (cr, style->foreground, x, x + w, y, 0.8);
  y += TABLE_HEADER_H - 6;
  guint last = MIN (rows->len, first + TABLE_ROWS_PER_PAGE);
  for (guint i = first; i < last; i++)
    {
      const TableRow *t = &g_array_index (rows, TableRow, i);
      gboolean new_segment = i == first || g_strcmp0 (t->segment, g_array_index (rows, TableRow, i - 1).segment) != 0;
      gboolean new_model = new_segment || g_strcmp0 (t->model, g_array_index (rows, TableRow, i - 1).model) != 0;
      if (i > first && new_segment)
        hline (cr, style->muted, x, x + w, y - TABLE_ROW_H + 4.5, 0.6);
      else if (i > first && new_model)
        hline (cr, style->grid, x, x + w, y - TABLE_ROW_H + 4.5, 0.6);
      gboolean aug = g_strcmp0 (t->variant, "augmented") == 0;
      set_font (cr, 10, new_segment);
      set_rgb (cr, style->foreground);
      if (new_segment)
        draw_text (cr, x + col0[0], y, t->segment, ALIGN_LEFT, 0);
      set_font (cr, 10, FALSE);
      if (new_model)
        draw_text (cr, x + col0[1], y, t->model, ALIGN_LEFT, 85);
      set_rgb (cr, aug ? style->foreground : style->muted);
      draw_text (cr, x + col0[2], y, t->variant, ALIGN_LEFT, 140);
      for (ScalrMetric c = 0; c < SCALR_N_METRICS; c++)
        {
          guint kk = scalr_metric_is_pointwise (c) ? 0 : k;
          const char *metric = scalr_metric_to_string (c);
          double v = scalr_run_results_metric (r, t->model, t->variant, t->segment, metric, kk);
          /* An augmented value better than its baseline is bold. */
          gboolean better = FALSE;
          if (aug)
            {
              double b = scalr_run_results_metric (r, t->model, "baseline", t->segment, metric, kk);
              better = isfinite (v) && isfinite (b)
                       && (scalr_metric_higher_is_better (c) ? v > b : v < b);
            }
          set_font (cr, 10, better);
          set_rgb (cr, better ? style->series[SCALR_PLOT_COLOR_BLUE] : aug ? style->foreground : style->muted);
          g_autofree char *s = fmt_value (v);
          draw_text (cr, x + first_metric + (c + 1) * step, y, s, ALIGN_RIGHT, 0);
        }
      y += TABLE_ROW_H;
    }
  set_font (cr, 9, FALSE);
  set_rgb (cr, style->muted);
  draw_text (cr, x, PAGE_H - FOOTER_H - 14, "Bold blue: the augmented model beats its own baseline on that metric.", ALIGN_LEFT, w);
}

/* ---- writing -------------------------------------------------------------------------- */

cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
write_pdf (const ScalrRunResults *r, GPtrArray *charts, const char *path, guint *out_pages, GError **error)
{
  ScalrPlotStyle style;
  scalr_plot_style_init (&style, FALSE, 1.0);
  g_autoptr (GArray) rows = table_rows (r);
  guint n_table = scalr_report_table_pages (r);
  guint n_pages = 1 + charts->len + n_table;
  g_autofree char *title = scalr_run_results_dup_title (r);
  g_autofree char *footer = g_strdup_printf ("SCALR Workbench · %s · dataset %s", title, r->info->dataset);

  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  g_autofree char *doc_title = g_strdup_printf ("SCALR report: %s", title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, doc_title);
  cairo_t *cr = cairo_create (surface);
  guint page = 1;
  draw_title_page (cr, r, &style);
  draw_footer (cr, &style, footer, page++, n_pages);
  cairo_show_page (cr);
  for (guint i = 0; i < charts->len; i++)
    {
      /* The page's margins (15.5 mm) around the chart. */
      cairo_save (cr);
      cairo_translate (cr, MARGIN, MARGIN * 0.75);
      scalr_plot_draw (g_ptr_array_index (charts, i), cr, PAGE_W - 2 * MARGIN, PAGE_H - 1.75 * MARGIN - FOOTER_H, &style);
      cairo_restore (cr);
      draw_footer (cr, &style, footer, page++, n_pages);
      cairo_show_page (cr);
    }
  for (guint t = 0; t < n_table; t++)
    {
      draw_table_page (cr, r, rows, t * TABLE_ROWS_PER_PAGE, t, n_table, &style);
      draw_footer (cr, &style, footer, page++, n_pages);
      cairo_show_page (cr);
    }
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_CAIRO, "Cannot write the report to “%s”: %s",
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  if (!scalr_output_write_file (path, bytes->data, bytes->len, &local))
    {
      g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, "Report not written: %s", local->message);
      return FALSE;
    }
  if (out_pages)
    *out_pages = n_pages;
  return TRUE;
}

gboolean
scalr_report_write_full (ScalrStore *store, gint64 run_id, const char *path, ScalrReportFormat format,
                         GStrv *out_files, guint *out_pages, GError **error)
{
  g_return_val_if_fail (store != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_autoptr (ScalrRunResults) r = scalr_run_results_load (store, run_id, TRUE, error);
  if (r == NULL)
    return FALSE;
  g_auto (GStrv) ids = NULL;
  g_autoptr (GPtrArray) charts = scalr_run_charts_all (r, &ids);
  if (format == SCALR_REPORT_PDF)
    {
      if (!write_pdf (r, charts, path, out_pages, error))
        return FALSE;
      if (out_files)
        {
          char *files[] = { (char *) path, NULL };
          *out_files = g_strdupv (files);
        }
      return TRUE;
    }
  ScalrPlotStyle style;
  scalr_plot_style_init (&style, FALSE, 1.0);
  g_autoptr (GStrvBuilder) written = g_strv_builder_new ();
  g_autoptr (GPtrArray) done = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < charts->len; i++)
    {
      char *file = scalr_report_chart_path (path, ids[i], format);
      const ScalrPlot *plot = g_ptr_array_index (charts, i);
      /* PNGs for slides: the canvas fitted to the chart, type sized for the width. */
      gboolean ok = format == SCALR_REPORT_PNG ? scalr_plot_save_png_fitted (plot, file, PNG_W, error)
                                              : scalr_plot_save_svg (plot, file, SVG_W, SVG_H, &style, error);
      if (!ok)
        {
          /* No partial report: remove the files already written. */
          for (guint j = 0; j < done->len; j++)
            g_unlink (g_ptr_array_index (done, j));
          g_free (file);
          return FALSE;
        }
      g_ptr_array_add (done, file);
    }
  if (out_files)
    {
      for (guint j = 0; j < done->len; j++)
        g_strv_builder_add (written, g_ptr_array_index (done, j));
      *out_files = g_strv_builder_end (written);
    }
  if (out_pages)
    *out_pages = done->len;
  return TRUE;
}

gboolean
scalr_report_write (ScalrStore *store, gint64 run_id, const char *path, ScalrReportFormat format, GError **error)
{
  return scalr_report_write_full (store, run_id, path, format, NULL, NULL, error);
}
