/* scalr-plot.c — the chart model (building a ScalrPlot), the style and the text helpers the
 * other scalr-plot-*.c files share.
 *
 * Layout is a pure function of (plot, size, style): scalr_plot_draw, scalr_plot_map_point
 * and scalr_plot_hit_test all call _scalr_plot_layout_compute with the same font options, so
 * hovering finds exactly what was painted. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-plot-private.h"

G_DEFINE_QUARK (scalr-plot-error-quark, scalr_plot_error)

/* ---------------------------------------------------------------------------------------- */
/* Model                                                                                    */

static void
series_free (gpointer data)
{
  Series *s = data;
  g_free (s->name);
  g_free (s->x);
  g_free (s->y);
  g_free (s->y2);
  g_strfreev (s->hover);
  g_strfreev (s->notes);
  g_free (s);
}

ScalrPlot *
scalr_plot_new (const char *title)
{
  ScalrPlot *plot = g_new0 (ScalrPlot, 1);
  plot->title = g_strdup (title);
  for (guint a = 0; a < 2; a++)
    {
      plot->axes[a].scale = SCALR_AXIS_LINEAR;
      plot->axes[a].lo = NAN;
      plot->axes[a].hi = NAN;
    }
  plot->series = g_ptr_array_new_with_free_func (series_free);
  plot->refs = g_array_new (FALSE, FALSE, sizeof (Reference));
  plot->markers = g_array_new (FALSE, FALSE, sizeof (LegendMarker));
  return plot;
}

void
scalr_plot_free (ScalrPlot *plot)
{
  if (!plot)
    return;
  g_free (plot->title);
  g_free (plot->subtitle);
  for (guint a = 0; a < 2; a++)
    {
      g_free (plot->axes[a].label);
      g_free (plot->axes[a].unit);
      g_free (plot->axes[a].hover_name);
    }
  g_clear_pointer (&plot->categories, g_ptr_array_unref);
  g_ptr_array_unref (plot->series);
  g_array_unref (plot->refs);
  for (guint i = 0; i < plot->markers->len; i++)
    g_free (g_array_index (plot->markers, LegendMarker, i).name);
  g_array_unref (plot->markers);
  for (guint i = 0; i < plot->n_rows; i++)
    g_free (plot->rows[i].label);
  g_free (plot->rows);
  g_free (plot);
}

void
scalr_plot_set_title (ScalrPlot *plot, const char *title)
{
  g_return_if_fail (plot != NULL);
  g_free (plot->title);
  plot->title = g_strdup (title);
}

const char *
scalr_plot_get_title (const ScalrPlot *plot)
{
  g_return_val_if_fail (plot != NULL, NULL);
  return plot->title;
}

const char *
scalr_plot_get_subtitle (const ScalrPlot *plot)
{
  g_return_val_if_fail (plot != NULL, NULL);
  return plot->subtitle;
}

char *
scalr_plot_dup_summary (const ScalrPlot *plot)
{
  g_return_val_if_fail (plot != NULL, NULL);
  GString *s = g_string_new (NULL);
  if (plot->rows)
    {
      for (guint r = 0; r < plot->n_rows; r++)
        {
          g_autofree char *v = _scalr_plot_format_forest_value (&plot->rows[r], TRUE);
          g_string_append_printf (s, "%s%s: %s%s", r ? "; " : "", plot->rows[r].label, v,
                                  plot->rows[r].significant ? ", significant" : "");
        }
      return g_string_free (s, FALSE);
    }
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *se = g_ptr_array_index (plot->series, i);
      if (se->name == NULL)
        continue;
      g_string_append_printf (s, "%s%s (%u %s)", s->len ? ", " : "", se->name, se->n,
                              se->kind == SCALR_SERIES_BARS ? "bars" : se->kind == SCALR_SERIES_STEPS ? "bins" : "points");
    }
  if (plot->axes[0].label && plot->axes[1].label)
    g_string_append_printf (s, "%s%s against %s", s->len ? "; " : "", plot->axes[1].label, plot->axes[0].label);
  return g_string_free (s, FALSE);
}

void
scalr_plot_set_subtitle (ScalrPlot *plot, const char *subtitle)
{
  g_return_if_fail (plot != NULL);
  g_free (plot->subtitle);
  plot->subtitle = g_strdup (subtitle);
}

void
scalr_plot_set_axis (ScalrPlot *plot, ScalrPlotAxisId axis, const char *label, const char *unit,
                     ScalrAxisScale scale)
{
  g_return_if_fail (plot != NULL && (axis == SCALR_PLOT_AXIS_X || axis == SCALR_PLOT_AXIS_Y));
  Axis *a = &plot->axes[axis];
  g_free (a->label);
  g_free (a->unit);
  a->label = g_strdup (label);
  a->unit = g_strdup (unit);
  a->scale = scale;
}

void
scalr_plot_set_axis_range (ScalrPlot *plot, ScalrPlotAxisId axis, double lo, double hi)
{
  g_return_if_fail (plot != NULL && (axis == SCALR_PLOT_AXIS_X || axis == SCALR_PLOT_AXIS_Y));
  plot->axes[axis].lo = lo;
  plot->axes[axis].hi = hi;
}

void
scalr_plot_set_axis_hover_name (ScalrPlot *plot, ScalrPlotAxisId axis, const char *name)
{
  g_return_if_fail (plot != NULL && (axis == SCALR_PLOT_AXIS_X || axis == SCALR_PLOT_AXIS_Y));
  g_free (plot->axes[axis].hover_name);
  plot->axes[axis].hover_name = g_strdup (name);
}

void
scalr_plot_set_categories (ScalrPlot *plot, guint n, const char *const *labels)
{
  g_return_if_fail (plot != NULL && (n == 0 || labels != NULL));
  g_clear_pointer (&plot->categories, g_ptr_array_unref);
  if (n == 0)
    return;
  plot->categories = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (plot->categories, g_strdup (labels[i] ? labels[i] : ""));
}

static double *
dup_doubles (const double *v, guint n)
{
  return v ? g_memdup2 (v, sizeof (double) * MAX (n, 1)) : NULL;
}

static guint
add_series (ScalrPlot *plot, ScalrSeriesKind kind, const char *name, ScalrPlotColor color,
            guint n, const double *x, guint nx, const double *y, const double *y2)
{
  Series *s = g_new0 (Series, 1);
  s->kind = kind;
  s->name = g_strdup (name);
  s->color = color;
  s->fill = kind == SCALR_SERIES_BAND ? 0.22 : 0;
  s->n = n;
  s->x = n ? dup_doubles (x, nx) : NULL;
  s->y = n ? dup_doubles (y, n) : NULL;
  s->y2 = n ? dup_doubles (y2, n) : NULL;
  g_ptr_array_add (plot->series, s);
  return plot->series->len - 1;
}

guint
scalr_plot_add_line (ScalrPlot *plot, const char *name, ScalrPlotColor color, guint n,
                     const double *x, const double *y)
{
  g_return_val_if_fail (plot != NULL && (n == 0 || (x && y)), 0);
  return add_series (plot, SCALR_SERIES_LINE, name, color, n, x, n, y, NULL);
}

guint
scalr_plot_add_points (ScalrPlot *plot, const char *name, ScalrPlotColor color, guint n,
                       const double *x, const double *y)
{
  g_return_val_if_fail (plot != NULL && (n == 0 || (x && y)), 0);
  return add_series (plot, SCALR_SERIES_POINTS, name, color, n, x, n, y, NULL);
}

guint
scalr_plot_add_bars (ScalrPlot *plot, const char *name, ScalrPlotColor color, guint n,
                     const double *values)
{
  g_return_val_if_fail (plot != NULL && (n == 0 || values), 0);
  g_return_val_if_fail (plot->categories != NULL && n <= plot->categories->len, 0);
  return add_series (plot, SCALR_SERIES_BARS, name, color, n, NULL, 0, values, NULL);
}

guint
scalr_plot_add_steps (ScalrPlot *plot, const char *name, ScalrPlotColor color, guint n_bins,
                      const double *edges, const double *counts)
{
  g_return_val_if_fail (plot != NULL && (n_bins == 0 || (edges && counts)), 0);
  return add_series (plot, SCALR_SERIES_STEPS, name, color, n_bins, edges, n_bins + 1, counts,
                     NULL);
}

guint
scalr_plot_add_band (ScalrPlot *plot, const char *name, ScalrPlotColor color, guint n,
                     const double *x, const double *lo, const double *hi)
{
  g_return_val_if_fail (plot != NULL && (n == 0 || (x && lo && hi)), 0);
  return add_series (plot, SCALR_SERIES_BAND, name, color, n, x, n, lo, hi);
}

Series *
_scalr_plot_get_series (const ScalrPlot *plot, guint i)
{
  return g_ptr_array_index (plot->series, i);
}

void
scalr_plot_series_set_dashed (ScalrPlot *plot, guint series, gboolean dashed)
{
  g_return_if_fail (plot != NULL && series < plot->series->len);
  _scalr_plot_get_series (plot, series)->dashed = dashed;
}

void
scalr_plot_series_set_fill (ScalrPlot *plot, guint series, double alpha)
{
  g_return_if_fail (plot != NULL && series < plot->series->len);
  _scalr_plot_get_series (plot, series)->fill = CLAMP (alpha, 0, 1);
}

static char **
dup_texts (const char *const *texts, guint n)
{
  if (!texts)
    return NULL;
  char **out = g_new0 (char *, n + 1);
  /* NULL entries are kept as empty strings so the vector stays NULL-terminated at n. */
  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (texts[i] ? texts[i] : "");
  return out;
}

void
scalr_plot_series_set_hover_texts (ScalrPlot *plot, guint series, const char *const *texts)
{
  g_return_if_fail (plot != NULL && series < plot->series->len);
  Series *s = _scalr_plot_get_series (plot, series);
  g_strfreev (s->hover);
  s->hover = dup_texts (texts, s->n);
}

void
scalr_plot_series_set_annotations (ScalrPlot *plot, guint series, const char *const *texts)
{
  g_return_if_fail (plot != NULL && series < plot->series->len);
  Series *s = _scalr_plot_get_series (plot, series);
  g_strfreev (s->notes);
  s->notes = dup_texts (texts, s->n);
}

void
scalr_plot_add_reference (ScalrPlot *plot, ScalrPlotAxisId axis, double value)
{
  g_return_if_fail (plot != NULL);
  Reference r = { axis, value };
  g_array_append_val (plot->refs, r);
}

void
scalr_plot_add_legend_marker (ScalrPlot *plot, const char *name, ScalrPlotColor color,
                              gboolean filled)
{
  g_return_if_fail (plot != NULL && name != NULL);
  LegendMarker m = { g_strdup (name), color, filled };
  g_array_append_val (plot->markers, m);
}

void
scalr_plot_set_forest (ScalrPlot *plot, guint n, const ScalrForestRow *rows)
{
  g_return_if_fail (plot != NULL && (n == 0 || rows != NULL));
  for (guint i = 0; i < plot->n_rows; i++)
    g_free (plot->rows[i].label);
  g_free (plot->rows);
  plot->rows = g_new0 (ForestRow, MAX (n, 1));
  plot->n_rows = n;
  for (guint i = 0; i < n; i++)
    {
      plot->rows[i].label = g_strdup (rows[i].label ? rows[i].label : "");
      plot->rows[i].lift = rows[i].lift * 100;
      plot->rows[i].lo = rows[i].lo * 100;
      plot->rows[i].hi = rows[i].hi * 100;
      plot->rows[i].p = rows[i].p;
      plot->rows[i].significant = rows[i].significant;
      plot->rows[i].level = rows[i].level;
    }
}

guint
scalr_plot_get_n_series (const ScalrPlot *plot)
{
  g_return_val_if_fail (plot != NULL, 0);
  return plot->series->len;
}

/* ---------------------------------------------------------------------------------------- */
/* Style                                                                                    */

static ScalrRgb
hex (guint32 v)
{
  return (ScalrRgb) { ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0 };
}

void
scalr_plot_style_init (ScalrPlotStyle *style, gboolean dark, double font_scale)
{
  g_return_if_fail (style != NULL);
  memset (style, 0, sizeof *style);
  style->font_scale = font_scale > 0 ? font_scale : 1.0;
  style->dark = dark;
  style->antialias = TRUE;
  /* Okabe & Ito (2008), "Color Universal Design". */
  static const guint32 light[SCALR_PLOT_N_COLORS] = {
    0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xE69F00, 0xF0E442, 0x000000,
  };
  /* On dark backgrounds every colour keeps its hue, lightened for contrast (a series is the
   * same colour in both themes: blue stays blue, never turns sky blue), and black becomes
   * white. */
  for (guint i = 0; i < SCALR_PLOT_N_COLORS; i++)
    {
      ScalrRgb c = hex (light[i]);
      if (dark && i == SCALR_PLOT_COLOR_BLACK)
        c = hex (0xFFFFFF);
      else if (dark && i != SCALR_PLOT_COLOR_YELLOW)
        {
          const double t = 0.30;   /* toward white */
          /* Kept on 8-bit steps, so an image shows exactly this colour. */
          c.r = round ((c.r + (1 - c.r) * t) * 255) / 255;
          c.g = round ((c.g + (1 - c.g) * t) * 255) / 255;
          c.b = round ((c.b + (1 - c.b) * t) * 255) / 255;
        }
      style->series[i] = c;
    }
  if (dark)
    {
      style->foreground = hex (0xEEEEEE);
      style->muted = hex (0xA6A6A6);
      style->background = hex (0x1E1E1E);
      style->grid = hex (0x363636);
      style->panel = hex (0x262626);
    }
  else
    {
      style->foreground = hex (0x1A1A1A);
      style->muted = hex (0x5C5C5C);
      style->background = hex (0xFFFFFF);
      style->grid = hex (0xE3E3E3);
      style->panel = hex (0xF4F4F4);
    }
}

void
scalr_plot_style_init_for_width (ScalrPlotStyle *style, double width)
{
  scalr_plot_style_init (style, FALSE, CLAMP (width / 1000.0, 0.5, 4.0));
}

const ScalrPlotStyle *
_scalr_plot_default_style (void)
{
  static ScalrPlotStyle style;
  static gsize init = 0;
  if (g_once_init_enter (&init))
    {
      scalr_plot_style_init (&style, FALSE, 1.0);
      g_once_init_leave (&init, 1);
    }
  return &style;
}

ScalrRgb
_scalr_plot_series_rgb (const ScalrPlotStyle *style, int color)
{
  if (color < 0 || color >= SCALR_PLOT_N_COLORS)
    return style->muted;
  return style->series[color];
}

void
_scalr_plot_set_rgb (cairo_t *cr, ScalrRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

void
_scalr_plot_set_rgba (cairo_t *cr, ScalrRgb c, double a)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, a);
}

/* ---------------------------------------------------------------------------------------- */
/* Text                                                                                     */

void
_scalr_plot_prepare_cr (cairo_t *cr, const ScalrPlotStyle *style)
{
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (fo, style->antialias ? CAIRO_ANTIALIAS_GRAY
                                                         : CAIRO_ANTIALIAS_NONE);
  cairo_set_font_options (cr, fo);
  cairo_font_options_destroy (fo);
  cairo_set_antialias (cr, style->antialias ? CAIRO_ANTIALIAS_DEFAULT : CAIRO_ANTIALIAS_NONE);
}

void
_scalr_plot_set_font (cairo_t *cr, double size, gboolean bold)
{
  cairo_select_font_face (cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

double
_scalr_plot_text_width (cairo_t *cr, const char *s)
{
  cairo_text_extents_t e;
  cairo_text_extents (cr, s, &e);
  return e.x_advance;
}

/* @s shortened with "…" until it fits @max_w (owned). */
char *
_scalr_plot_fit_text (cairo_t *cr, const char *s, double max_w)
{
  if (_scalr_plot_text_width (cr, s) <= max_w)
    return g_strdup (s);
  GString *t = g_string_new (s);
  while (t->len > 0)
    {
      const char *end = t->str + t->len;
      const char *prev = g_utf8_find_prev_char (t->str, end);
      g_string_truncate (t, prev ? (gsize) (prev - t->str) : 0);
      g_autofree char *cand = g_strconcat (t->str, "…", NULL);
      if (_scalr_plot_text_width (cr, cand) <= max_w || t->len == 0)
        {
          g_string_assign (t, cand);
          break;
        }
    }
  return g_string_free (t, FALSE);
}

/* Draws @s with its baseline at y, aligned on x. */
void
_scalr_plot_show_text (cairo_t *cr, const char *s, double x, double y, Align align)
{
  double w = _scalr_plot_text_width (cr, s);
  double x0 = align == ALIGN_LEFT ? x : align == ALIGN_CENTER ? x - w / 2 : x - w;
  cairo_move_to (cr, x0, y);
  cairo_show_text (cr, s);
}

void
_scalr_plot_set_dash (cairo_t *cr, gboolean dashed, double lw)
{
  if (dashed)
    {
      double d[2] = { lw * 3, lw * 2 };
      cairo_set_dash (cr, d, 2, 0);
    }
  else
    cairo_set_dash (cr, NULL, 0, 0);
}
