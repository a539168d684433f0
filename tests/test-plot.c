/* test-plot.c — chart library: ticks, labels, pixels where the data says, hover, exports. */
#include "config.h"

#define SCALR_TEST_WITH_STORE

#include "scalr-registry.h"

#include <math.h>

#include <cairo.h>

#include "scalr-charts.h"
#include "scalr-dataset.h"
#include "scalr-import.h"
#include "scalr-pipeline.h"
#include "scalr-plot.h"
#include "scalr-plot-axis.h"
#include "scalr-report.h"
#include "scalr-run-charts.h"
#include "test-util.h"

#define EPS 1e-12

static void
assert_ticks (const double *got, guint n, const double *want, guint n_want)
{
  if (n != n_want)
    {
      GString *s = g_string_new (NULL);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (s, " %g", got[i]);
      g_error ("expected %u ticks, got %u:%s", n_want, n, s->str);
    }
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (got[i], want[i], EPS * MAX (1, fabs (want[i])));
}

/* ---- axis ---------------------------------------------------------------------------- */

static void
test_nice_number (void)
{
  /* Heckbert: ceiling to 1, 2, 5, 10 (round = FALSE), nearest with thresholds 1.5, 3, 7. */
  g_assert_cmpfloat_with_epsilon (scalr_axis_nice_number (97, FALSE), 100, EPS);
  g_assert_cmpfloat_with_epsilon (scalr_axis_nice_number (1, FALSE), 1, EPS);
  g_assert_cmpfloat_with_epsilon (scalr_axis_nice_number (1.2, FALSE), 2, EPS);
  g_assert_cmpfloat_with_epsilon (scalr_axis_nice_number (0.25, TRUE), 0.2, EPS);
  g_assert_cmpfloat_with_epsilon (scalr_axis_nice_number (3.5, TRUE), 5, EPS);
  g_assert_cmpfloat_with_epsilon (scalr_axis_nice_number (7.5, TRUE), 10, EPS);
  g_assert_cmpfloat_with_epsilon (scalr_axis_nice_number (0.0014, TRUE), 0.001, EPS);
  g_assert_cmpfloat (scalr_axis_nice_number (0, TRUE), ==, 0);
  g_assert_cmpfloat (scalr_axis_nice_number (-3, TRUE), ==, 0);
}

static void
test_nice_ticks (void)
{
  double t[SCALR_AXIS_MAX_TICKS], step;
  guint n;

  /* (0, 1, 5): range nice(1) = 1, step nice(1/4 = 0.25) = 0.2 → 0, 0.2, …, 1. */
  g_assert_true (scalr_axis_nice_ticks (0, 1, 5, t, &n, &step));
  assert_ticks (t, n, (double[]) { 0, 0.2, 0.4, 0.6, 0.8, 1.0 }, 6);
  g_assert_cmpfloat_with_epsilon (step, 0.2, EPS);
  /* The decimal multiples are exact (3·0.2 is 0.6, not 0.6000000000000001). */
  g_assert_cmpfloat (t[3], ==, 0.6);

  /* (0, 97, 6): range nice(97) = 100, step nice(100/5 = 20) = 20 → 0, 20, …, 100. */
  g_assert_true (scalr_axis_nice_ticks (0, 97, 6, t, &n, &step));
  assert_ticks (t, n, (double[]) { 0, 20, 40, 60, 80, 100 }, 6);
  g_assert_cmpfloat (step, ==, 20);

  /* (−3.2, 7.9, 5): range nice(11.1) = 20, step nice(5) = 5 → −5, 0, 5, 10 (loose). */
  g_assert_true (scalr_axis_nice_ticks (-3.2, 7.9, 5, t, &n, &step));
  assert_ticks (t, n, (double[]) { -5, 0, 5, 10 }, 4);

  /* (0.6, 1.4, 5): step 0.2, and 0.6 / 0.2 = 2.9999… must still start at 0.6. */
  g_assert_true (scalr_axis_nice_ticks (0.6, 1.4, 5, t, &n, &step));
  assert_ticks (t, n, (double[]) { 0.6, 0.8, 1.0, 1.2, 1.4 }, 5);

  /* Swapped bounds behave like ordered ones. */
  g_assert_true (scalr_axis_nice_ticks (97, 0, 6, t, &n, NULL));
  g_assert_cmpuint (n, ==, 6);

  /* Zero width: widened around the value; 0 → [0, 1]. */
  g_assert_true (scalr_axis_nice_ticks (0, 0, 5, t, &n, NULL));
  g_assert_cmpfloat (t[0], ==, 0);
  g_assert_cmpfloat (t[n - 1], ==, 1);
  g_assert_true (scalr_axis_nice_ticks (50, 50, 5, t, &n, NULL));
  g_assert_cmpfloat (t[0], <=, 45);
  g_assert_cmpfloat (t[n - 1], >=, 55);

  /* Many ticks stay within the buffer. */
  g_assert_true (scalr_axis_nice_ticks (0, 1e9, 1000, t, &n, NULL));
  g_assert_cmpuint (n, <=, SCALR_AXIS_MAX_TICKS);
  g_assert_cmpuint (n, >=, 2);

  g_assert_false (scalr_axis_nice_ticks (NAN, 1, 5, t, &n, NULL));
  g_assert_cmpuint (n, ==, 0);
  g_assert_false (scalr_axis_nice_ticks (0, INFINITY, 5, t, &n, NULL));
}

static void
test_log_ticks (void)
{
  double t[SCALR_AXIS_MAX_TICKS];
  guint n;
  g_assert_true (scalr_axis_log_ticks (SCALR_AXIS_LOG10, 1, 5000, 10, t, &n));
  assert_ticks (t, n, (double[]) { 1, 10, 100, 1000, 10000 }, 5);

  g_assert_true (scalr_axis_log_ticks (SCALR_AXIS_LOG10, 0.003, 2, 10, t, &n));
  assert_ticks (t, n, (double[]) { 0.001, 0.01, 0.1, 1, 10 }, 5);

  /* Inside one decade: still two ticks enclosing it. */
  g_assert_true (scalr_axis_log_ticks (SCALR_AXIS_LOG10, 20, 80, 10, t, &n));
  assert_ticks (t, n, (double[]) { 10, 100 }, 2);

  /* 13 decades, at most 5 ticks: every third decade. */
  g_assert_true (scalr_axis_log_ticks (SCALR_AXIS_LOG10, 1, 1e12, 5, t, &n));
  assert_ticks (t, n, (double[]) { 1, 1e3, 1e6, 1e9, 1e12 }, 5);

  g_assert_true (scalr_axis_log_ticks (SCALR_AXIS_LOG2, 1, 100, 10, t, &n));
  assert_ticks (t, n, (double[]) { 1, 2, 4, 8, 16, 32, 64, 128 }, 8);

  g_assert_true (scalr_axis_log_minor_ticks (1, 100, FALSE, t, &n));
  assert_ticks (t, n, (double[]) { 2, 5, 20, 50 }, 4);
  g_assert_true (scalr_axis_log_minor_ticks (1, 10, TRUE, t, &n));
  assert_ticks (t, n, (double[]) { 2, 3, 4, 5, 6, 7, 8, 9 }, 8);

  g_assert_false (scalr_axis_log_ticks (SCALR_AXIS_LOG10, 0, 10, 5, t, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_false (scalr_axis_log_ticks (SCALR_AXIS_LOG10, -1, 10, 5, t, &n));
  g_assert_false (scalr_axis_log_ticks (SCALR_AXIS_LINEAR, 1, 10, 5, t, &n));
}

#define CHECK_STR(expr, want) \
  G_STMT_START { \
    g_autofree char *_s = (expr); \
    g_assert_cmpstr (_s, ==, (want)); \
  } G_STMT_END

static void
test_format (void)
{
  CHECK_STR (scalr_axis_format_number (12345, 5), "12,345");
  CHECK_STR (scalr_axis_format_number (1234567, 100000), "1,234,567");
  CHECK_STR (scalr_axis_format_number (999, 1), "999");
  CHECK_STR (scalr_axis_format_number (0.05, 0.05), "0.05");
  CHECK_STR (scalr_axis_format_number (0.2, 0.2), "0.2");
  CHECK_STR (scalr_axis_format_number (1, 0.2), "1.0");
  CHECK_STR (scalr_axis_format_number (0.75, 0.25), "0.75");
  CHECK_STR (scalr_axis_format_number (1e-17, 0.2), "0");
  CHECK_STR (scalr_axis_format_number (-3, 1), "−3");
  CHECK_STR (scalr_axis_format_number (-12500, 2500), "−12,500");
  CHECK_STR (scalr_axis_format_number (2.5e-4, 5e-5), "2.5e-4");
  CHECK_STR (scalr_axis_format_number (1e-4, 1e-4), "1e-4");
  CHECK_STR (scalr_axis_format_number (NAN, 1), "n/a");

  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LINEAR, 20, 10, "%"), "20%");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LINEAR, 2.5, 0.5, "%"), "2.5%");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LINEAR, 20, 10, "ms"), "20");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 1000, 0, NULL), "1,000");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 100000, 0, NULL), "100,000");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 1e6, 0, NULL), "10⁶");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 0.01, 0, NULL), "0.01");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 1e-4, 0, NULL), "10⁻⁴");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 1e-12, 0, NULL), "10⁻¹²");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 20, 0, NULL), "20");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 0.05, 0, NULL), "0.05");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG10, 5e7, 0, NULL), "5×10⁷");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG2, 1024, 0, NULL), "1,024");
  CHECK_STR (scalr_axis_format_tick (SCALR_AXIS_LOG2, 131072, 0, NULL), "2¹⁷");

  CHECK_STR (scalr_axis_format_exact (431), "431");
  CHECK_STR (scalr_axis_format_exact (1234.5), "1,234.5");
  CHECK_STR (scalr_axis_format_exact (0.123456789), "0.123457");
  CHECK_STR (scalr_axis_format_exact (0.25), "0.25");
  CHECK_STR (scalr_axis_format_exact (1.5e-5), "1.5e-5");
  CHECK_STR (scalr_axis_format_exact (-2), "−2");
  CHECK_STR (scalr_axis_format_exact (NAN), "n/a");

  g_assert_cmpfloat_with_epsilon (scalr_axis_transform (SCALR_AXIS_LOG10, 1000), 3, EPS);
  g_assert_cmpfloat_with_epsilon (scalr_axis_transform (SCALR_AXIS_LOG2, 8), 3, EPS);
  g_assert_true (isnan (scalr_axis_transform (SCALR_AXIS_LOG10, 0)));
  g_assert_cmpfloat_with_epsilon (scalr_axis_untransform (SCALR_AXIS_LOG10, 2), 100, 1e-9);
}

/* ---- pixels -------------------------------------------------------------------------- */

typedef struct {
  cairo_surface_t *surface;
  ScalrPlotStyle   style;
} Canvas;

static void
canvas_draw (Canvas *c, const ScalrPlot *plot, int w, int h)
{
  scalr_plot_style_init (&c->style, FALSE, 1.0);
  c->style.antialias = FALSE;
  c->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (c->surface);
  scalr_plot_draw (plot, cr, w, h, &c->style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (c->surface);
}

static void
canvas_clear (Canvas *c)
{
  g_clear_pointer (&c->surface, cairo_surface_destroy);
}

/* The colour at pixel (x, y) as 0xRRGGBB (opaque surfaces only). */
static guint32
pixel (Canvas *c, double x, double y)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  int w = cairo_image_surface_get_width (c->surface);
  int h = cairo_image_surface_get_height (c->surface);
  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, w);
  g_assert_cmpint (iy, <, h);
  const guint8 *data = cairo_image_surface_get_data (c->surface);
  guint32 v = *(const guint32 *) (data + iy * cairo_image_surface_get_stride (c->surface) + ix * 4);
  g_assert_cmpuint (v >> 24, ==, 0xff);
  return v & 0xffffff;
}

static guint32
rgb_hex (ScalrRgb c)
{
  return ((guint32) lround (c.r * 255) << 16) | ((guint32) lround (c.g * 255) << 8)
         | (guint32) lround (c.b * 255);
}

static ScalrPlot *
make_line_plot (void)
{
  ScalrPlot *plot = scalr_plot_new ("Lines");
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, "rank", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "count", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis_hover_name (plot, SCALR_PLOT_AXIS_X, "rank");
  scalr_plot_set_axis_hover_name (plot, SCALR_PLOT_AXIS_Y, "events");
  double x[] = { 0, 1, 2, 3, 4 };
  double real[] = { 100, 300, 200, 800, 500 };
  double syn[] = { 50, 120, 431, 90, 60 };
  scalr_plot_add_line (plot, "real", SCALR_PLOT_COLOR_REAL, 5, x, real);
  scalr_plot_add_line (plot, "synthetic", SCALR_PLOT_COLOR_SYNTHETIC, 5, x, syn);
  return plot;
}

static void
test_draw_line (void)
{
  g_autoptr (ScalrPlot) plot = make_line_plot ();
  Canvas c = { 0 };
  canvas_draw (&c, plot, 400, 300);
  g_assert_cmphex (rgb_hex (c.style.series[0]), ==, 0x0072B2);
  g_assert_cmphex (rgb_hex (c.style.series[1]), ==, 0xD55E00);

  double px, py;
  /* Middle vertices of each series: the series colour, not hidden by the legend. */
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 2, 200, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), ==, rgb_hex (c.style.series[0]));
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 2, 431, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), ==, rgb_hex (c.style.series[1]));
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 3, 800, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), ==, rgb_hex (c.style.series[0]));
  /* The data lands inside the surface, ordered like the data. */
  double x0, y0, x4, y4;
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 0, 100, &x0, &y0));
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 4, 500, &x4, &y4));
  g_assert_cmpfloat (x0, <, px);
  g_assert_cmpfloat (px, <, x4);
  g_assert_cmpfloat (y4, <, y0);   /* larger values are higher up */
  g_assert_cmpfloat (x0, >, 20);
  g_assert_cmpfloat (x4, <, 400);
  /* Far from every series (x = 0.5, y = 750; the y ticks are 0, 200, …): background. */
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 0.5, 750, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), ==, 0xFFFFFF);
  /* The corner of the surface is background too. */
  g_assert_cmphex (pixel (&c, 399, 299), ==, 0xFFFFFF);
  /* A log axis cannot map 0. */
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "count", NULL, SCALR_AXIS_LOG10);
  g_assert_false (scalr_plot_map_point (plot, 400, 300, &c.style, 1, 0, &px, &py));
  canvas_clear (&c);
}

static void
test_draw_dark (void)
{
  g_autoptr (ScalrPlot) plot = make_line_plot ();
  ScalrPlotStyle style;
  scalr_plot_style_init (&style, TRUE, 1.8);
  style.antialias = FALSE;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 600);
  cairo_t *cr = cairo_create (s);
  scalr_plot_draw (plot, cr, 800, 600, &style);
  cairo_destroy (cr);
  Canvas c = { s, style };
  double px, py;
  g_assert_true (scalr_plot_map_point (plot, 800, 600, &style, 2, 431, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), ==, rgb_hex (style.series[1]));
  g_assert_cmphex (pixel (&c, 799, 599), ==, rgb_hex (style.background));
  g_assert_cmphex (rgb_hex (style.background), !=, 0xFFFFFF);
  canvas_clear (&c);
}

static ScalrPlot *
make_bar_plot (void)
{
  ScalrPlot *plot = scalr_plot_new ("Bars");
  const char *cats[] = { "1", "2", "3" };
  scalr_plot_set_categories (plot, 3, cats);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, "popularity bucket", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "share of events", "%", SCALR_AXIS_LINEAR);
  scalr_plot_set_axis_hover_name (plot, SCALR_PLOT_AXIS_X, "bucket");
  double real[] = { 10, 40, 25 };
  double syn[] = { 30, 20, 50 };
  scalr_plot_add_bars (plot, "real", SCALR_PLOT_COLOR_REAL, 3, real);
  scalr_plot_add_bars (plot, "synthetic", SCALR_PLOT_COLOR_SYNTHETIC, 3, syn);
  return plot;
}

static void
test_draw_bars (void)
{
  g_autoptr (ScalrPlot) plot = make_bar_plot ();
  Canvas c = { 0 };
  canvas_draw (&c, plot, 400, 300);
  double px, py;
  /* Two series share each category: series 0 centred at k − 0.2, series 1 at k + 0.2. */
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 1 - 0.2, 20, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), ==, rgb_hex (c.style.series[0]));
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 1 + 0.2, 10, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), ==, rgb_hex (c.style.series[1]));
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 2 + 0.2, 45, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), ==, rgb_hex (c.style.series[1]));
  /* Above a bar's top: not the bar colour. */
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 1 + 0.2, 27, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), !=, rgb_hex (c.style.series[1]));
  /* Between groups (x = 1.5): no bar. */
  g_assert_true (scalr_plot_map_point (plot, 400, 300, &c.style, 1.5, 3, &px, &py));
  g_assert_cmphex (pixel (&c, px, py), !=, rgb_hex (c.style.series[0]));
  g_assert_cmphex (pixel (&c, px, py), !=, rgb_hex (c.style.series[1]));
  canvas_clear (&c);
}

static const ScalrForestRow forest_rows[] = {
  { "itemknn · all · Recall@20", 0.05, 0.01, 0.09, 0.012, TRUE, 0.95 },
  { "ials · sparse · NDCG@20", -0.02, -0.05, 0.01, 0.31, FALSE, 0.95 },
  { "ease · cold · Recall@20", 0.10, 0.02, 0.20, 0.0004, TRUE, 0.95 },
};

static void
test_draw_forest (void)
{
  g_autoptr (ScalrPlot) plot = scalr_charts_forest (NULL, forest_rows, 3);
  Canvas c = { 0 };
  canvas_draw (&c, plot, 600, 300);
  guint32 blue = rgb_hex (c.style.series[SCALR_PLOT_COLOR_BLUE]);
  double lo_x, hi_x, lift_x, y;
  /* Row 0: the whisker spans lo..hi = 1%..9% on the x axis (in percent). */
  g_assert_true (scalr_plot_map_point (plot, 600, 300, &c.style, 1, 0, &lo_x, &y));
  g_assert_true (scalr_plot_map_point (plot, 600, 300, &c.style, 9, 0, &hi_x, NULL));
  g_assert_true (scalr_plot_map_point (plot, 600, 300, &c.style, 5, 0, &lift_x, NULL));
  int first = -1, last = -1;
  for (int x = 0; x < 600; x++)
    if (pixel (&c, x, y) == blue)
      {
        if (first < 0)
          first = x;
        last = x;
      }
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpfloat (fabs (first - lo_x), <=, 2.5);
  g_assert_cmpfloat (fabs (last - hi_x), <=, 2.5);
  /* Significant: a filled marker at the lift. */
  g_assert_cmphex (pixel (&c, lift_x, y), ==, blue);
  /* Row 1 is not significant: a hollow marker (background inside), a muted whisker. */
  double x1, y1;
  g_assert_true (scalr_plot_map_point (plot, 600, 300, &c.style, -2, 1, &x1, &y1));
  g_assert_cmphex (pixel (&c, x1, y1), ==, rgb_hex (c.style.background));
  g_assert_true (scalr_plot_map_point (plot, 600, 300, &c.style, -4.5, 1, &x1, &y1));
  g_assert_cmphex (pixel (&c, x1, y1), ==, rgb_hex (c.style.muted));
  /* Rows go top to bottom. */
  double y2;
  g_assert_true (scalr_plot_map_point (plot, 600, 300, &c.style, 0, 2, NULL, &y2));
  g_assert_cmpfloat (y, <, y1);
  g_assert_cmpfloat (y1, <, y2);
  canvas_clear (&c);
}

/* ---- hover --------------------------------------------------------------------------- */

/* Parallel coordinates: a line per trial with a finite objective (the failed one is left
 * out) plus the axes' end labels; trial 2 (the best) sits at the top of the objective axis
 * and at the bottom of user_ratio (its lowest value). An effect: a range bar per value and
 * the means. */
static void
test_explore_charts (void)
{
  const char *keys[] = { "sampler.user_ratio", "generator.model" };
  const char *values[] = { "2", "cooc", "0.5", "ridge", "1", "cooc", "4", "ridge" };
  double obj[] = { 0.1, 0.4, -0.05, NAN };
  g_autoptr (ScalrPlot) p = scalr_charts_parallel (NULL, 2, keys, 4, values, obj, "lift", TRUE);
  g_assert_cmpuint (scalr_plot_get_n_series (p), ==, 3 + 1);
  double px_best, py_best, px_low, py_low;
  g_assert_true (scalr_plot_map_point (p, 800, 500, NULL, 2, 1.0, &px_best, &py_best));
  g_assert_true (scalr_plot_map_point (p, 800, 500, NULL, 2, 0.0, &px_low, &py_low));
  g_assert_cmpfloat (py_best, <, py_low);
  char *text = NULL;
  g_assert_true (scalr_plot_hit_test (p, 800, 500, NULL, px_best, py_best, &text));
  g_assert_nonnull (strstr (text, "trial 2: user_ratio=0.5 model=ridge → +40.0%"));
  g_free (text);
  double obj2[] = { 0.1, 0.4, -0.05, 0.2 };
  g_autoptr (GPtrArray) effects = scalr_effects_compute (4, 2, keys, values, obj2, NULL, NULL);
  g_autoptr (ScalrPlot) e = scalr_charts_effect (g_ptr_array_index (effects, 0), "lift", TRUE);
  g_assert_nonnull (e);
  guint levels = ((const ScalrEffect *) g_ptr_array_index (effects, 0))->levels->len;
  g_assert_cmpuint (scalr_plot_get_n_series (e), ==, levels + 1);
}

static void
test_hit_test (void)
{
  g_autoptr (ScalrPlot) plot = make_line_plot ();
  char *text = NULL;
  double px, py;
  g_assert_true (scalr_plot_map_point (plot, 400, 300, NULL, 2, 431, &px, &py));
  g_assert_true (scalr_plot_hit_test (plot, 400, 300, NULL, px + 3, py - 2, &text));
  g_assert_cmpstr (text, ==, "rank 2: synthetic 431 events");
  g_clear_pointer (&text, g_free);
  /* Nearest wins: between real (3, 800) and nothing else. */
  g_assert_true (scalr_plot_map_point (plot, 400, 300, NULL, 3, 800, &px, &py));
  g_assert_true (scalr_plot_hit_test (plot, 400, 300, NULL, px, py + 1, &text));
  g_assert_cmpstr (text, ==, "rank 3: real 800 events");
  g_clear_pointer (&text, g_free);
  /* Nothing within a few pixels. */
  g_assert_true (scalr_plot_map_point (plot, 400, 300, NULL, 0.5, 750, &px, &py));
  g_assert_false (scalr_plot_hit_test (plot, 400, 300, NULL, px, py, &text));
  g_assert_null (text);
  g_assert_false (scalr_plot_hit_test (plot, 400, 300, NULL, -50, -50, &text));

  /* Bars: inside the bar. */
  g_autoptr (ScalrPlot) bars = make_bar_plot ();
  g_assert_true (scalr_plot_map_point (bars, 400, 300, NULL, 1 - 0.2, 20, &px, &py));
  g_assert_true (scalr_plot_hit_test (bars, 400, 300, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "bucket 2: real 40%");
  g_clear_pointer (&text, g_free);

  /* Forest rows. */
  g_autoptr (ScalrPlot) forest = scalr_charts_forest (NULL, forest_rows, 3);
  g_assert_true (scalr_plot_map_point (forest, 600, 300, NULL, 10, 2, &px, &py));
  g_assert_true (scalr_plot_hit_test (forest, 600, 300, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "ease · cold · Recall@20: lift +10.0% [+2.0, +20.0] (95 % CI, not adjusted for "
                             "multiple comparisons), Holm-adjusted p < 0.001, significant");
  g_clear_pointer (&text, g_free);
}

/* ---- exports ------------------------------------------------------------------------- */

static guint
count_pdf_pages (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  guint pages = 0;
  const char *key = "/Type /Page";
  gsize klen = strlen (key);
  for (gsize i = 0; i + klen < len; i++)
    if (memcmp (data + i, key, klen) == 0 && data[i + klen] != 's')
      pages++;
  return pages;
}

static void
test_exports (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autoptr (ScalrPlot) a = make_line_plot ();
  g_autoptr (ScalrPlot) b = make_bar_plot ();
  g_autoptr (ScalrPlot) f = scalr_charts_forest (NULL, forest_rows, 3);
  g_autoptr (GError) error = NULL;

  g_autofree char *png = g_build_filename (dir, "chart.png", NULL);
  g_assert_true (scalr_plot_save_png (a, png, 321, 123, NULL, &error));
  g_assert_no_error (error);
  cairo_surface_t *img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 321);
  g_assert_cmpint (cairo_image_surface_get_height (img), ==, 123);
  cairo_surface_destroy (img);

  g_autofree char *svg = g_build_filename (dir, "chart.svg", NULL);
  g_assert_true (scalr_plot_save_svg (b, svg, 500, 250, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *svg_text = NULL;
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (svg_text, "<?xml"));
  g_assert_nonnull (strstr (svg_text, "width=\"500pt\""));
  g_assert_nonnull (strstr (svg_text, "height=\"250pt\""));

  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  const ScalrPlot *plots[] = { a, b, f };
  g_assert_true (scalr_plot_save_pdf (plots, 3, pdf, 842, 595, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_pdf_pages (pdf), ==, 3);
  g_assert_true (scalr_plot_save_pdf (plots, 1, pdf, 842, 595, NULL, &error));
  g_assert_cmpuint (count_pdf_pages (pdf), ==, 1);

  /* Overwriting an existing file works. */
  g_assert_true (scalr_plot_save_png (b, png, 200, 100, NULL, &error));
  img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 200);
  cairo_surface_destroy (img);
  test_rm_rf (dir);
}

static void
test_export_errors (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autoptr (ScalrPlot) a = make_line_plot ();
  const ScalrPlot *plots[] = { a, a };
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "chart.png", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (scalr_plot_save_png (a, missing, 400, 300, NULL, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, missing,
                              "does not exist");
  g_clear_error (&error);
  g_assert_false (scalr_plot_save_svg (a, missing, 400, 300, NULL, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, missing);
  g_clear_error (&error);
  g_assert_false (scalr_plot_save_pdf (plots, 2, missing, 400, 300, NULL, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, missing);
  g_clear_error (&error);

  /* A path whose "folder" is a regular file. */
  g_autofree char *file = test_write_file (dir, "plain", "x", -1);
  g_autofree char *under_file = g_build_filename (file, "chart.png", NULL);
  g_assert_false (scalr_plot_save_png (a, under_file, 400, 300, NULL, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, under_file);
  g_clear_error (&error);

  /* The target is a directory: g_file_set_contents cannot replace it. */
  g_assert_false (scalr_plot_save_png (a, dir, 400, 300, NULL, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, dir);
  g_clear_error (&error);

  /* Sizes Cairo cannot make. */
  g_autofree char *ok_path = g_build_filename (dir, "x.png", NULL);
  g_assert_false (scalr_plot_save_png (a, ok_path, 0, 300, NULL, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_CAIRO, "size");
  g_clear_error (&error);
  g_assert_false (g_file_test (ok_path, G_FILE_TEST_EXISTS));

  /* Nothing half-written was left behind. */
  GDir *d = g_dir_open (dir, 0, NULL);
  guint entries = 0;
  while (g_dir_read_name (d))
    entries++;
  g_dir_close (d);
  g_assert_cmpuint (entries, ==, 1);   /* just "plain" */
  test_rm_rf (dir);
}

/* ---- charts -------------------------------------------------------------------------- */

static void
fill_diagnostics (ScalrDiagnostics *d)
{
  memset (d, 0, sizeof *d);
  d->events = 48210;
  d->users = 604;
  d->real_events = 80512;
  d->real_users = 671;
  d->coverage = 0.31;
  d->real_coverage = 0.58;
  d->gini = 0.81;
  d->real_gini = 0.72;
  d->jsd = 0.083;
  d->n_real_curve = 60;
  d->n_curve = 50;
  for (guint i = 0; i < d->n_real_curve; i++)
    {
      double r = round (pow (9066.0, i / (double) (d->n_real_curve - 1)));
      d->real_curve_rank[i] = r;
      d->real_curve_count[i] = MAX (1, round (341 * pow (r, -0.85)));
    }
  for (guint i = 0; i < d->n_curve; i++)
    {
      double r = round (pow (2800.0, i / (double) (d->n_curve - 1)));
      d->curve_rank[i] = r;
      d->curve_count[i] = MAX (1, round (620 * pow (r, -1.05)));
    }
  static const guint64 real_act[] = { 0, 0, 0, 0, 131, 152, 140, 118, 74, 39, 13, 4 };
  static const guint64 syn_act[] = { 0, 0, 0, 12, 40, 96, 151, 149, 97, 43, 12, 4 };
  for (guint b = 0; b < G_N_ELEMENTS (real_act); b++)
    {
      d->real_activity[b] = real_act[b];
      d->activity[b] = syn_act[b];
    }
  d->n_buckets = 10;
  double syn_share[] = { 0.19, 0.15, 0.12, 0.11, 0.095, 0.085, 0.075, 0.065, 0.06, 0.05 };
  for (guint b = 0; b < 10; b++)
    {
      d->real_bucket_share[b] = 0.1;
      d->bucket_share[b] = syn_share[b];
    }
  d->bucket_jsd = 0.0123;
  d->n_calibration = 10;
  static const double pred[] = { 0.004, 0.012, 0.025, 0.041, 0.06, 0.085, 0.11, 0.15, 0, 0.31 };
  static const double obs[] = { 0.003, 0.010, 0.019, 0.036, 0.048, 0.081, 0.09, 0.14, 0, 0.22 };
  static const guint64 cnt[] = { 51234, 20111, 9012, 4210, 2105, 998, 431, 120, 0, 14 };
  for (guint b = 0; b < 10; b++)
    {
      d->calib_pred[b] = pred[b];
      d->calib_obs[b] = obs[b];
      d->calib_count[b] = cnt[b];
    }
  d->ece = 0.0071;
  d->temperature = 0.85;
}

static const ScalrForestRow many_rows[] = {
  { "pop · all · Recall@20", 0.004, -0.012, 0.021, 0.61, FALSE },
  { "itemknn · all · Recall@20", 0.031, 0.012, 0.049, 0.002, TRUE },
  { "ials · all · Recall@20", 0.018, -0.004, 0.041, 0.11, FALSE },
  { "ials · sparse users · NDCG@20 (vs strongest)", 0.142, 0.061, 0.225, 0.0001, TRUE },
  { "bpr · cold · Recall@20", -0.046, -0.081, -0.011, 0.009, TRUE },
  { "ease · warm · NDCG@20", 0.007, NAN, NAN, NAN, FALSE },
};

static void
render_check (const ScalrPlot *plot, const char *dir, const char *name)
{
  g_autoptr (GError) error = NULL;
  ScalrPlotStyle normal, big, dark;
  scalr_plot_style_init (&normal, FALSE, 1.0);
  scalr_plot_style_init (&big, FALSE, 1.8);
  scalr_plot_style_init (&dark, TRUE, 1.0);
  g_autofree char *a = g_strdup_printf ("%s/%s.png", dir, name);
  g_autofree char *b = g_strdup_printf ("%s/%s-projector.png", dir, name);
  g_autofree char *c = g_strdup_printf ("%s/%s-dark.png", dir, name);
  g_autofree char *s = g_strdup_printf ("%s/%s-small.png", dir, name);
  g_assert_true (scalr_plot_save_png (plot, a, 1200, 800, &normal, &error));
  g_assert_true (scalr_plot_save_png (plot, b, 1200, 800, &big, &error));
  g_assert_true (scalr_plot_save_png (plot, c, 1200, 800, &dark, &error));
  g_assert_true (scalr_plot_save_png (plot, s, 480, 320, &normal, &error));
  g_assert_no_error (error);
}

static void
test_charts (void)
{
  ScalrDiagnostics d;
  fill_diagnostics (&d);
  const char *env_dir = g_getenv ("SCALR_PLOT_CHECK_DIR");
  g_autofree char *tmp = env_dir ? NULL : test_tmpdir_new ();
  const char *dir = env_dir ? env_dir : tmp;
  g_mkdir_with_parents (dir, 0755);

  g_autoptr (ScalrPlot) rf = scalr_charts_rank_frequency (&d);
  g_autoptr (ScalrPlot) act = scalr_charts_activity (&d);
  g_autoptr (ScalrPlot) buckets = scalr_charts_buckets (&d);
  g_autoptr (ScalrPlot) rel = scalr_charts_reliability (&d);
  g_autoptr (ScalrPlot) forest = scalr_charts_forest (NULL, many_rows, G_N_ELEMENTS (many_rows));
  double sx[] = { 0.25, 0.5, 1, 2, 4, 8 };
  double sl[] = { 0.002, 0.009, 0.017, 0.024, 0.028, 0.030 };
  double slo[] = { -0.011, -0.003, 0.006, 0.012, 0.015, 0.016 };
  double shi[] = { 0.015, 0.021, 0.029, 0.036, 0.041, 0.044 };
  g_autoptr (ScalrPlot) sweep = scalr_charts_sweep (NULL, "synthetic ratio", 6, sx, sl, slo, shi,
                                                    0.9, TRUE);
  g_assert_nonnull (rf);
  g_assert_nonnull (act);
  g_assert_nonnull (buckets);
  g_assert_nonnull (rel);
  g_assert_nonnull (forest);
  g_assert_nonnull (sweep);

  /* Hover texts with exact values. */
  char *text = NULL;
  double px, py;
  g_assert_true (scalr_plot_map_point (rf, 1200, 800, NULL, d.curve_rank[20], d.curve_count[20],
                                       &px, &py));
  g_assert_true (scalr_plot_hit_test (rf, 1200, 800, NULL, px, py, &text));
  g_autofree char *want = g_strdup_printf ("rank %g: synthetic %g events", d.curve_rank[20],
                                           d.curve_count[20]);
  g_assert_cmpstr (text, ==, want);
  g_clear_pointer (&text, g_free);
  /* Activity bin [8, 16) holds 118 real users. */
  g_assert_true (scalr_plot_map_point (act, 1200, 800, NULL, 192, 118, &px, &py));
  g_assert_true (scalr_plot_hit_test (act, 1200, 800, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "128–255 events: real 118 users");
  g_clear_pointer (&text, g_free);
  /* Lower in the same bin, under both outlines: the series whose top is nearer (real 118,
   * not synthetic 149); above the real outline only synthetic's column remains. */
  g_assert_true (scalr_plot_map_point (act, 1200, 800, NULL, 192, 60, &px, &py));
  g_assert_true (scalr_plot_hit_test (act, 1200, 800, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "128–255 events: real 118 users");
  g_clear_pointer (&text, g_free);
  g_assert_true (scalr_plot_map_point (act, 1200, 800, NULL, 192, 140, &px, &py));
  g_assert_true (scalr_plot_hit_test (act, 1200, 800, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "128–255 events: synthetic 149 users");
  g_clear_pointer (&text, g_free);
  g_assert_true (scalr_plot_map_point (rel, 1200, 800, NULL, 0.31, 0.22, &px, &py));
  g_assert_true (scalr_plot_hit_test (rel, 1200, 800, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "bin 10: predicted 0.31, observed 0.22 (14 pairs)");
  g_clear_pointer (&text, g_free);
  /* With Wilson intervals (as the pipeline stores them): the hover names the bin's. */
  ScalrDiagnostics dw = d;
  for (guint b = 0; b < SCALR_CALIBRATION_BINS; b++)
    {
      dw.calib_low[b] = MAX (0.0, dw.calib_obs[b] - 0.05);
      dw.calib_high[b] = MIN (1.0, dw.calib_obs[b] + 0.05);
    }
  g_autoptr (ScalrPlot) relw = scalr_charts_reliability (&dw);
  g_assert_true (scalr_plot_map_point (relw, 1200, 800, NULL, 0.31, 0.22, &px, &py));
  g_assert_true (scalr_plot_hit_test (relw, 1200, 800, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "bin 10: predicted 0.31, observed 0.22 [95% 0.17, 0.27] (14 pairs)");
  g_clear_pointer (&text, g_free);
  g_assert_true (scalr_plot_map_point (buckets, 1200, 800, NULL, 0.2, 10, &px, &py));
  g_assert_true (scalr_plot_hit_test (buckets, 1200, 800, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "bucket 1: synthetic 19% of events");
  g_clear_pointer (&text, g_free);
  g_assert_true (scalr_plot_map_point (sweep, 1200, 800, NULL, 2, 2.4, &px, &py));
  g_assert_true (scalr_plot_hit_test (sweep, 1200, 800, NULL, px, py, &text));
  g_assert_cmpstr (text, ==, "synthetic ratio 2: lift +2.4% (90 % CI 1.2% to 3.6%)");
  g_clear_pointer (&text, g_free);

  render_check (rf, dir, "rank-frequency");
  render_check (act, dir, "activity");
  render_check (buckets, dir, "buckets");
  render_check (rel, dir, "reliability");
  render_check (forest, dir, "forest");
  render_check (sweep, dir, "sweep");

  /* Skipped charts. */
  d.n_calibration = 0;
  g_assert_null (scalr_charts_reliability (&d));
  d.n_buckets = 0;
  g_assert_null (scalr_charts_buckets (&d));
  /* Empty diagnostics still draw. */
  ScalrDiagnostics empty;
  memset (&empty, 0, sizeof empty);
  g_autoptr (ScalrPlot) e1 = scalr_charts_rank_frequency (&empty);
  g_autoptr (ScalrPlot) e2 = scalr_charts_activity (&empty);
  g_autoptr (ScalrPlot) e3 = scalr_charts_forest (NULL, NULL, 0);
  Canvas c = { 0 };
  canvas_draw (&c, e1, 300, 200);
  canvas_clear (&c);
  canvas_draw (&c, e2, 300, 200);
  canvas_clear (&c);
  canvas_draw (&c, e3, 300, 200);
  canvas_clear (&c);
  /* Tiny sizes draw without trouble (no plot area). */
  canvas_draw (&c, rf, 30, 20);
  canvas_clear (&c);
  g_assert_false (scalr_plot_hit_test (rf, 30, 20, NULL, 10, 10, &text));

  if (tmp)
    test_rm_rf (tmp);
}

/* ---- report -------------------------------------------------------------------------- */

/* A real small run: MovieLens imported into a temporary store, two downstream models and a
 * short bootstrap (the report does not care how precise the intervals are). */
static gint64
make_report_run (const char *db)
{
  test_store_add_movielens (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_assert_true (scalr_config_set_assignment (c, "downstream.models=pop,ease", &error));
  g_assert_true (scalr_config_set_assignment (c, "eval.bootstrap=50", &error));
  g_assert_no_error (error);
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (db, c, "report test");
  gint64 id = 0;
  g_assert_true (scalr_pipeline_run (p, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gboolean
png_has_ink (const char *path, int want_w, int want_h)
{
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, want_w);
  g_assert_cmpint (cairo_image_surface_get_height (img), ==, want_h);
  cairo_surface_flush (img);
  const guint8 *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  guint dark = 0;
  for (int y = 0; y < want_h; y += 2)
    for (int x = 0; x < want_w; x += 2)
      {
        guint32 px = *(const guint32 *) (data + y * stride + x * 4);
        if (((px >> 16) & 0xff) < 128 && ((px >> 8) & 0xff) < 128 && (px & 0xff) < 128)
          dark++;
      }
  cairo_surface_destroy (img);
  return dark > 100;   /* text, axes and data, not a blank page */
}

static guint
count_files (const char *dir, const char *suffix)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, suffix);
  g_dir_close (d);
  return n;
}

static void
test_report (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  gint64 id = make_report_run (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (db, SCALR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  /* What the report will show, read independently. */
  g_autoptr (ScalrRunResults) r = scalr_run_results_load (store, id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r->diag);
  g_assert_cmpuint (r->models->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (r->models, 0), ==, "pop");
  g_assert_cmpstr (g_ptr_array_index (r->models, 1), ==, "ease");
  g_assert_cmpuint (r->headline_k, ==, 20);
  g_auto (GStrv) ids = NULL;
  g_autoptr (GPtrArray) charts = scalr_run_charts_all (r, &ids);
  /* rank–frequency, activity, buckets, reliability (cooc is calibrated), the category mix,
   * lifts on sparse users and on all users, each against the strongest and the own
   * baseline. */
  g_assert_cmpuint (charts->len, ==, 9);
  g_assert_cmpuint (g_strv_length (ids), ==, 9);
  g_assert_cmpstr (ids[0], ==, "rank-frequency");
  g_assert_cmpstr (ids[4], ==, "categories");
  g_assert_cmpstr (ids[5], ==, "lift-sparse");
  g_assert_cmpstr (ids[6], ==, "lift-sparse-own");
  g_assert_cmpstr (ids[8], ==, "lift-all-own");
  /* 3 segments × 2 models × 2 variants fit one table page. */
  g_assert_cmpuint (scalr_report_table_pages (r), ==, 1);

  /* The forest and the lookups it is built from. */
  g_autoptr (ScalrPlot) forest = scalr_run_charts_forest (r, "all", "recall", 20, "strongest");
  g_assert_nonnull (forest);
  const ScalrLiftRow *own = scalr_run_results_lift (r, "ease", "all", "recall", 20, "own");
  g_assert_nonnull (own);
  g_assert_cmpstr (own->baseline_model, ==, "ease");
  g_assert_null (scalr_run_charts_forest (r, "all", "recall", 7, "own"));   /* no such K */
  g_assert_true (isnan (scalr_run_results_metric (r, "ease", "baseline", "all", "recall", 7)));
  g_assert_cmpfloat (scalr_run_results_metric (r, "ease", "baseline", "all", "recall", 20), ==, own->base_mean);

  /* PDF: title page + every chart + the table page. */
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_auto (GStrv) files = NULL;
  guint pages = 0;
  g_assert_true (scalr_report_write_full (store, id, pdf, SCALR_REPORT_PDF, &files, &pages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pages, ==, 1 + charts->len + 1);
  g_assert_cmpuint (count_pdf_pages (pdf), ==, 1 + charts->len + 1);
  g_assert_cmpstr (files[0], ==, pdf);

  /* PNG: one file per chart, named STEM-CHART.png next to the output. */
  g_autofree char *png_dir = g_build_filename (dir, "png", NULL);
  g_assert_cmpint (g_mkdir (png_dir, 0755), ==, 0);
  g_autofree char *png = g_build_filename (png_dir, "run.png", NULL);
  g_assert_true (scalr_report_write (store, id, png, SCALR_REPORT_PNG, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (png_dir, ".png"), ==, charts->len);
  for (guint i = 0; ids[i]; i++)
    {
      g_autofree char *chart = scalr_report_chart_path (png, ids[i], SCALR_REPORT_PNG);
      g_autofree char *want = g_strdup_printf ("run-%s.png", ids[i]);
      g_autofree char *base = g_path_get_basename (chart);
      g_assert_cmpstr (base, ==, want);
      /* Slide-sized: 1600 px wide, as tall as the chart needs. */
      ScalrPlotStyle slide;
      scalr_plot_style_init_for_width (&slide, 1600);
      int want_h = (int) scalr_plot_get_natural_height (g_ptr_array_index (charts, i), 1600, &slide);
      g_assert_true (png_has_ink (chart, 1600, want_h));
    }
  /* SVG likewise (the output's extension does not matter: the format decides). */
  g_autofree char *svg_dir = g_build_filename (dir, "svg", NULL);
  g_assert_cmpint (g_mkdir (svg_dir, 0755), ==, 0);
  g_autofree char *svg = g_build_filename (svg_dir, "slides.pdf", NULL);
  g_assert_true (scalr_report_write (store, id, svg, SCALR_REPORT_SVG, &error));
  g_assert_cmpuint (count_files (svg_dir, ".svg"), ==, charts->len);
  g_assert_cmpuint (count_files (svg_dir, ".pdf"), ==, 0);

  /* A run that does not exist: an error naming it, no file. */
  g_autofree char *none = g_build_filename (dir, "none.pdf", NULL);
  g_assert_false (scalr_report_write (store, 999, none, SCALR_REPORT_PDF, &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND, "999");
  g_clear_error (&error);
  g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));

  /* A run that has not finished has nothing to report. */
  g_autoptr (ScalrDatasetInfo) info = scalr_store_load_dataset_info (store, "movielens-small", &error);
  g_assert_no_error (error);
  gint64 pending = 0;
  g_assert_true (scalr_store_create_run (store, info->id, "unfinished", r->info->config, 1, info->fingerprint,
                                         &pending, &error));
  g_assert_no_error (error);
  g_assert_false (scalr_report_write (store, pending, none, SCALR_REPORT_PDF, &error));
  g_autofree char *pending_s = g_strdup_printf ("run %" G_GINT64_FORMAT, pending);
  test_assert_error_contains (error, SCALR_RUN_RESULTS_ERROR, SCALR_RUN_RESULTS_ERROR_NOT_FINISHED, pending_s,
                              "not finished");
  g_clear_error (&error);
  g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));

  /* Unwritable places: a missing folder, a "folder" that is a file, a directory as the
   * target. Errors name the path; nothing is left behind. */
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "r.pdf", NULL);
  g_assert_false (scalr_report_write (store, id, missing, SCALR_REPORT_PDF, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, missing, "does not exist");
  g_clear_error (&error);
  g_autofree char *file = test_write_file (dir, "plain", "x", -1);
  g_autofree char *under_file = g_build_filename (file, "r.pdf", NULL);
  g_assert_false (scalr_report_write (store, id, under_file, SCALR_REPORT_PDF, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, under_file);
  g_clear_error (&error);
  g_assert_false (scalr_report_write (store, id, png_dir, SCALR_REPORT_PDF, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, png_dir);
  g_clear_error (&error);
  g_autofree char *png_missing = g_build_filename (dir, "no-such-dir", "r.png", NULL);
  g_assert_false (scalr_report_write (store, id, png_missing, SCALR_REPORT_PNG, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, "no-such-dir");
  g_clear_error (&error);
  /* A PNG set that fails half way removes what it wrote: make the 3rd chart's name a
   * directory. */
  g_autofree char *half_dir = g_build_filename (dir, "half", NULL);
  g_assert_cmpint (g_mkdir (half_dir, 0755), ==, 0);
  g_autofree char *half = g_build_filename (half_dir, "r.png", NULL);
  g_autofree char *blocker = scalr_report_chart_path (half, ids[2], SCALR_REPORT_PNG);
  g_assert_cmpint (g_mkdir (blocker, 0755), ==, 0);
  g_assert_false (scalr_report_write (store, id, half, SCALR_REPORT_PNG, &error));
  test_assert_error_contains (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, blocker);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (half_dir, ".png"), ==, 1);   /* just the blocking directory */

  /* Formats by name. */
  ScalrReportFormat fmt;
  g_assert_true (scalr_report_format_from_string ("SVG", &fmt));
  g_assert_cmpint (fmt, ==, SCALR_REPORT_SVG);
  g_assert_false (scalr_report_format_from_string ("jpeg", &fmt));

  scalr_store_close (g_steal_pointer (&store));
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/plot/axis/nice-number", test_nice_number);
  g_test_add_func ("/scalr/plot/axis/nice-ticks", test_nice_ticks);
  g_test_add_func ("/scalr/plot/axis/log-ticks", test_log_ticks);
  g_test_add_func ("/scalr/plot/axis/format", test_format);
  g_test_add_func ("/scalr/plot/draw/line", test_draw_line);
  g_test_add_func ("/scalr/plot/draw/dark-projector", test_draw_dark);
  g_test_add_func ("/scalr/plot/draw/bars", test_draw_bars);
  g_test_add_func ("/scalr/plot/draw/forest", test_draw_forest);
  g_test_add_func ("/scalr/plot/explore-charts", test_explore_charts);
  g_test_add_func ("/scalr/plot/hit-test", test_hit_test);
  g_test_add_func ("/scalr/plot/export/files", test_exports);
  g_test_add_func ("/scalr/plot/export/errors", test_export_errors);
  g_test_add_func ("/scalr/plot/charts", test_charts);
  g_test_add_func ("/scalr/plot/report", test_report);
  return g_test_run ();
}
