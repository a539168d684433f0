/* scalr-report-compare.c — a PDF comparing several runs (what the Compare page shows): the
 * runs and what is joined, a chart per model along the key, the table of lifts. */
#include "config.h"

#include "scalr-report.h"
#include "scalr-report-private.h"

#include <cairo-pdf.h>
#include <math.h>
#include <string.h>

#include "scalr-charts.h"
#include "scalr-compare-chart.h"
#include "scalr-format.h"
#include "scalr-lift-table.h"
#include "scalr-output.h"
#include "scalr-run-set.h"

#define ROW_H 14.0
#define TABLE_TOP (MARGIN + 56)
#define ROWS_PER_PAGE ((guint) ((PAGE_H - TABLE_TOP - MARGIN - FOOTER_H - 20) / ROW_H))

typedef struct {
  const ScalrCompareReport *what;
  GPtrArray      *runs;     /* ScalrRunResults*, by id */
  GPtrArray      *models;   /* char* */
  ScalrRunSet    *set;
  ScalrRunSeries *series;   /* NULL without a key */
} Compare;

static void
compare_clear (Compare *c)
{
  g_clear_pointer (&c->series, scalr_run_series_free);
  g_clear_pointer (&c->set, scalr_run_set_free);
  g_clear_pointer (&c->models, g_ptr_array_unref);
  g_clear_pointer (&c->runs, g_ptr_array_unref);
}

static gboolean
compare_load (Compare *c, ScalrStore *store, const gint64 *ids, guint n, GError **error)
{
  c->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_run_results_free);
  c->models = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) infos = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      ScalrRunResults *r = scalr_run_results_load (store, ids[i], TRUE, error);
      if (r == NULL)
        return FALSE;
      g_ptr_array_add (c->runs, r);
      g_ptr_array_add (infos, r->info);
      for (guint m = 0; m < r->models->len; m++)
        {
          const char *model = g_ptr_array_index (r->models, m);
          gboolean seen = FALSE;
          for (guint x = 0; x < c->models->len && !seen; x++)
            seen = strcmp (g_ptr_array_index (c->models, x), model) == 0;
          if (!seen)
            g_ptr_array_add (c->models, g_strdup (model));
        }
    }
  c->set = scalr_run_set_new ((const ScalrRunInfo *const *) infos->pdata, infos->len);
  if (c->what->key)
    c->series = scalr_run_set_series (c->set, c->what->key);
  return TRUE;
}

static ScalrPlot *
model_chart (const Compare *c, const char *model)
{
  const ScalrCompareReport *w = c->what;
  g_autofree char *ml = scalr_metric_label (w->metric, w->k);
  g_autofree char *title = g_strdup_printf ("%s: %s %s along %s", model, ml,
                                            scalr_metric_name_higher_is_better (w->metric) ? "lift" : "reduction", w->key);
  return scalr_compare_chart_new (title, c->runs, c->set, c->series, w->key, model, w->segment, w->metric, w->k,
                                  w->reference);
}

/* The runs, one line each, marked joined or not. */
static void
draw_title_page (cairo_t *cr, const Compare *c, const ScalrPlotStyle *style)
{
  const ScalrCompareReport *w = c->what;
  double x = MARGIN, y = MARGIN + 8, width = PAGE_W - 2 * MARGIN;
  set_font (cr, 11, TRUE);
  set_rgb (cr, style->series[SCALR_PLOT_COLOR_BLUE]);
  draw_text (cr, x, y, "SCALR WORKBENCH · COMPARISON", ALIGN_LEFT, 0);
  y += 34;
  g_autofree char *title = w->key ? g_strdup_printf ("%u runs along %s", c->runs->len, w->key)
                                  : g_strdup_printf ("%u runs", c->runs->len);
  set_font (cr, 24, TRUE);
  set_rgb (cr, style->foreground);
  draw_text (cr, x, y, title, ALIGN_LEFT, width);
  y += 22;
  g_autofree char *ml = scalr_metric_label (w->metric, w->k);
  g_autofree char *sub = g_strdup_printf ("%s, %s users, against the %s baseline", ml, w->segment,
                                          strcmp (w->reference, "own") == 0 ? "own" : "strongest real-only");
  set_font (cr, 11.5, FALSE);
  set_rgb (cr, style->muted);
  draw_text (cr, x, y, sub, ALIGN_LEFT, width);
  y += 12;
  hline (cr, style->grid, x, x + width, y, 1);
  y += 26;
  g_autoptr (GHashTable) joined = g_hash_table_new (NULL, NULL);
  for (guint l = 0; c->series && l < c->series->lines->len; l++)
    {
      GArray *line = g_ptr_array_index (c->series->lines, l);
      for (guint j = 0; j < line->len; j++)
        g_hash_table_add (joined, GUINT_TO_POINTER (g_array_index (line, guint, j) + 1));
    }
  double bottom = PAGE_H - MARGIN - FOOTER_H - 30;
  for (guint i = 0; i < c->runs->len && y < bottom; i++)
    {
      const ScalrRunResults *r = g_ptr_array_index (c->runs, i);
      g_autofree char *t = scalr_run_results_dup_title (r);
      const char *v = w->key ? scalr_run_set_get_value (c->set, i, w->key) : NULL;
      set_font (cr, 10, TRUE);
      set_rgb (cr, style->foreground);
      draw_text (cr, x, y, t, ALIGN_LEFT, width * 0.55);
      set_font (cr, 10, FALSE);
      g_autofree char *val = v ? g_strdup_printf ("= %s", v) : g_strdup ("");
      draw_text (cr, x + width * 0.56, y, val, ALIGN_LEFT, width * 0.14);
      gboolean on_line = g_hash_table_contains (joined, GUINT_TO_POINTER (i + 1));
      set_rgb (cr, on_line ? style->foreground : style->muted);
      draw_text (cr, x + width * 0.72, y, !w->key ? "" : on_line ? "joined" : "not joined: other keys differ too",
                 ALIGN_LEFT, width * 0.28);
      y += 15;
    }
  set_font (cr, 9, FALSE);
  set_rgb (cr, style->muted);
  draw_text (cr, x, PAGE_H - MARGIN - FOOTER_H, "A line joins runs whose configurations are equal in every key but the "
             "one drawn along; the others are grey points.", ALIGN_LEFT, width);
}

static void
draw_table_page (cairo_t *cr, const Compare *c, guint first, const ScalrPlotStyle *style)
{
  const ScalrCompareReport *w = c->what;
  double x = MARGIN, width = PAGE_W - 2 * MARGIN;
  set_font (cr, 18, TRUE);
  set_rgb (cr, style->foreground);
  g_autofree char *ml = scalr_metric_label (w->metric, w->k);
  g_autofree char *title = g_strdup_printf ("Lifts: %s, %s users", ml, w->segment);
  draw_text (cr, x, MARGIN + 10, title, ALIGN_LEFT, width);
  const char *cols[] = { "Run", w->key ? w->key : "", "Model", "vs strongest", "CI", "p (Holm)", "vs own", "Baseline → augmented" };
  const double cx[] = { 0, 200, 300, 440, 530, 590, 660, width };
  double y = TABLE_TOP;
  set_font (cr, 9.5, TRUE);
  set_rgb (cr, style->muted);
  for (guint k = 0; k < G_N_ELEMENTS (cols); k++)
    draw_text (cr, x + cx[k], y, cols[k], k < 3 ? ALIGN_LEFT : ALIGN_RIGHT, k == 1 ? 95 : 0);
  y += 6;
  hline (cr, style->foreground, x, x + width, y, 0.8);
  y += ROW_H;
  guint row = 0;
  for (guint i = 0; i < c->runs->len; i++)
    for (guint m = 0; m < c->models->len; m++, row++)
      {
        if (row < first || row >= first + ROWS_PER_PAGE)
          continue;
        const ScalrRunResults *r = g_ptr_array_index (c->runs, i);
        const char *model = g_ptr_array_index (c->models, m);
        const ScalrLiftRow *s = scalr_run_results_lift (r, model, w->segment, w->metric, w->k, "strongest");
        const ScalrLiftRow *o = scalr_run_results_lift (r, model, w->segment, w->metric, w->k, "own");
        g_autofree char *t = scalr_run_results_dup_title (r);
        const char *v = w->key ? scalr_run_set_get_value (c->set, i, w->key) : "";
        g_autofree char *sl = s ? scalr_format_lift (s->lift) : g_strdup (SCALR_FORMAT_MISSING);
        g_autofree char *ci = s ? scalr_format_lift_ci (s->ci_low, s->ci_high) : g_strdup (SCALR_FORMAT_MISSING);
        g_autofree char *p = s ? scalr_format_p (s->p_holm) : g_strdup (SCALR_FORMAT_MISSING);
        g_autofree char *ol = o ? scalr_format_lift (o->lift) : g_strdup (SCALR_FORMAT_MISSING);
        g_autofree char *b = s ? scalr_format_metric (s->base_mean) : NULL, *a = s ? scalr_format_metric (s->aug_mean) : NULL;
        g_autofree char *means = s ? g_strdup_printf ("%s → %s", b, a) : g_strdup (SCALR_FORMAT_MISSING);
        gboolean sig = s && isfinite (s->p_holm) && s->p_holm < SCALR_SIGNIFICANCE_LEVEL;
        set_font (cr, 10, FALSE);
        set_rgb (cr, style->foreground);
        draw_text (cr, x + cx[0], y, m == 0 ? t : "", ALIGN_LEFT, 195);
        draw_text (cr, x + cx[1], y, m == 0 && v ? v : "", ALIGN_LEFT, 95);
        draw_text (cr, x + cx[2], y, model, ALIGN_LEFT, 90);
        set_font (cr, 10, sig);
        if (sig)
          set_rgb (cr, style->series[s->lift >= 0 ? SCALR_PLOT_COLOR_BLUE : SCALR_PLOT_COLOR_VERMILLION]);
        draw_text (cr, x + cx[3], y, sl, ALIGN_RIGHT, 0);
        set_font (cr, 10, FALSE);
        set_rgb (cr, style->foreground);
        draw_text (cr, x + cx[4], y, ci, ALIGN_RIGHT, 0);
        draw_text (cr, x + cx[5], y, p, ALIGN_RIGHT, 0);
        set_rgb (cr, style->muted);
        draw_text (cr, x + cx[6], y, ol, ALIGN_RIGHT, 0);
        draw_text (cr, x + cx[7], y, means, ALIGN_RIGHT, 0);
        y += ROW_H;
      }
  set_font (cr, 9, FALSE);
  set_rgb (cr, style->muted);
  draw_text (cr, x, PAGE_H - FOOTER_H - 14, "Paired bootstrap CIs over users, not adjusted for multiple comparisons; "
             "bold: significant after Holm's adjustment within the run (p < 0.05).", ALIGN_LEFT, width);
}

gboolean
scalr_report_write_compare (ScalrStore *store, const gint64 *run_ids, guint n, const ScalrCompareReport *what,
                            const char *path, guint *out_pages, GError **error)
{
  g_return_val_if_fail (store != NULL && run_ids != NULL && n > 0 && what != NULL && path != NULL, FALSE);
  g_return_val_if_fail (what->segment && what->metric && what->reference, FALSE);
  Compare c = { .what = what };
  if (!compare_load (&c, store, run_ids, n, error))
    {
      compare_clear (&c);
      return FALSE;
    }
  ScalrPlotStyle style;
  scalr_plot_style_init (&style, FALSE, 1.0);
  guint n_rows = c.runs->len * c.models->len;
  guint n_table = MAX (1, (n_rows + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE);
  guint n_charts = c.series ? c.models->len : 0;
  guint n_pages = 1 + n_charts + n_table, page = 1;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "SCALR comparison");
  cairo_t *cr = cairo_create (surface);
  const char *footer = "SCALR Workbench · comparison";
  draw_title_page (cr, &c, &style);
  draw_footer (cr, &style, footer, page++, n_pages);
  cairo_show_page (cr);
  for (guint m = 0; m < n_charts; m++)
    {
      g_autoptr (ScalrPlot) plot = model_chart (&c, g_ptr_array_index (c.models, m));
      cairo_save (cr);
      cairo_translate (cr, MARGIN, MARGIN * 0.75);
      scalr_plot_draw (plot, cr, PAGE_W - 2 * MARGIN, PAGE_H - 1.75 * MARGIN - FOOTER_H, &style);
      cairo_restore (cr);
      draw_footer (cr, &style, footer, page++, n_pages);
      cairo_show_page (cr);
    }
  for (guint t = 0; t < n_table; t++)
    {
      draw_table_page (cr, &c, t * ROWS_PER_PAGE, &style);
      draw_footer (cr, &style, footer, page++, n_pages);
      cairo_show_page (cr);
    }
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  compare_clear (&c);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_CAIRO, "Cannot write the report to “%s”: %s", path,
                   cairo_status_to_string (status));
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
