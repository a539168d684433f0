/* scalr-plot.c — the chart model, its layout, drawing, hit testing and exports.
 *
 * Layout is a pure function of (plot, size, style): scalr_plot_draw, scalr_plot_map_point
 * and scalr_plot_hit_test all call layout_compute with the same font options, so hovering
 * finds exactly what was painted. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "scalr-plot.h"

G_DEFINE_QUARK (scalr-plot-error-quark, scalr_plot_error)

#define FONT_FAMILY "Sans"
#define BASE_FONT_PX 13.0
#define TITLE_SCALE 1.35

typedef struct {
  char          *label;
  char          *unit;
  char          *hover_name;
  ScalrAxisScale scale;
  double         lo, hi;   /* fixed ends, NaN = automatic */
} Axis;

typedef struct {
  ScalrSeriesKind kind;
  char           *name;     /* NULL: not in the legend */
  int             color;
  gboolean        dashed;
  double          fill;     /* alpha of the area under steps / of a band (0: none) */
  guint           n;        /* points; bins for steps */
  double         *x;        /* n (steps: n + 1 edges; bars: NULL) */
  double         *y;        /* n (band: lo) */
  double         *y2;       /* band: hi, n */
  char          **hover;    /* NULL or n strings (entries may be NULL) */
  char          **notes;    /* NULL or n strings (entries may be NULL) */
} Series;

typedef struct {
  char    *name;
  int      color;
  gboolean filled;
} LegendMarker;

typedef struct {
  char    *label;
  double   lift, lo, hi, p;   /* percent */
  gboolean significant;
} ForestRow;

typedef struct {
  ScalrPlotAxisId axis;
  double          value;
} Reference;

struct _ScalrPlot {
  char      *title;
  char      *subtitle;
  Axis       axes[2];
  GPtrArray *categories;   /* char* (owned), or NULL */
  GPtrArray *series;       /* Series* (owned) */
  GArray    *refs;         /* Reference */
  GArray    *markers;      /* LegendMarker (owned strings) */
  ForestRow *rows;         /* n_rows (owned) */
  guint      n_rows;
};

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

static Series *
get_series (const ScalrPlot *plot, guint i)
{
  return g_ptr_array_index (plot->series, i);
}

void
scalr_plot_series_set_dashed (ScalrPlot *plot, guint series, gboolean dashed)
{
  g_return_if_fail (plot != NULL && series < plot->series->len);
  get_series (plot, series)->dashed = dashed;
}

void
scalr_plot_series_set_fill (ScalrPlot *plot, guint series, double alpha)
{
  g_return_if_fail (plot != NULL && series < plot->series->len);
  get_series (plot, series)->fill = CLAMP (alpha, 0, 1);
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
  Series *s = get_series (plot, series);
  g_strfreev (s->hover);
  s->hover = dup_texts (texts, s->n);
}

void
scalr_plot_series_set_annotations (ScalrPlot *plot, guint series, const char *const *texts)
{
  g_return_if_fail (plot != NULL && series < plot->series->len);
  Series *s = get_series (plot, series);
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
  /* On dark backgrounds the deep blue and black lack contrast: swap blue ↔ sky blue and
   * use white for black, keeping every hue from the same palette. */
  static const guint32 darkp[SCALR_PLOT_N_COLORS] = {
    0x56B4E9, 0xE69F00, 0x009E73, 0xCC79A7, 0x0072B2, 0xD55E00, 0xF0E442, 0xFFFFFF,
  };
  for (guint i = 0; i < SCALR_PLOT_N_COLORS; i++)
    style->series[i] = hex (dark ? darkp[i] : light[i]);
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

static const ScalrPlotStyle *
default_style (void)
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

static ScalrRgb
series_rgb (const ScalrPlotStyle *style, int color)
{
  if (color < 0 || color >= SCALR_PLOT_N_COLORS)
    return style->muted;
  return style->series[color];
}

static void
set_rgb (cairo_t *cr, ScalrRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static void
set_rgba (cairo_t *cr, ScalrRgb c, double a)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, a);
}

/* ---------------------------------------------------------------------------------------- */
/* Text                                                                                     */

static void
prepare_cr (cairo_t *cr, const ScalrPlotStyle *style)
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

static void
set_font (cairo_t *cr, double size, gboolean bold)
{
  cairo_select_font_face (cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

static double
text_width (cairo_t *cr, const char *s)
{
  cairo_text_extents_t e;
  cairo_text_extents (cr, s, &e);
  return e.x_advance;
}

/* @s shortened with "…" until it fits @max_w (owned). */
static char *
fit_text (cairo_t *cr, const char *s, double max_w)
{
  if (text_width (cr, s) <= max_w)
    return g_strdup (s);
  GString *t = g_string_new (s);
  while (t->len > 0)
    {
      const char *end = t->str + t->len;
      const char *prev = g_utf8_find_prev_char (t->str, end);
      g_string_truncate (t, prev ? (gsize) (prev - t->str) : 0);
      g_autofree char *cand = g_strconcat (t->str, "…", NULL);
      if (text_width (cr, cand) <= max_w || t->len == 0)
        {
          g_string_assign (t, cand);
          break;
        }
    }
  return g_string_free (t, FALSE);
}

typedef enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT } Align;

/* Draws @s with its baseline at y, aligned on x. */
static void
show_text (cairo_t *cr, const char *s, double x, double y, Align align)
{
  double w = text_width (cr, s);
  double x0 = align == ALIGN_LEFT ? x : align == ALIGN_CENTER ? x - w / 2 : x - w;
  cairo_move_to (cr, x0, y);
  cairo_show_text (cr, s);
}

/* ---------------------------------------------------------------------------------------- */
/* Layout                                                                                   */

typedef struct {
  ScalrAxisScale scale;
  gboolean       categorical;
  double         tlo, thi;                         /* axis-space range */
  double         step;
  guint          n_ticks;
  double         ticks[SCALR_AXIS_MAX_TICKS];      /* data values */
  char          *labels[SCALR_AXIS_MAX_TICKS];     /* owned */
  gboolean       show[SCALR_AXIS_MAX_TICKS];       /* label drawn */
  guint          n_minor;
  double         minor[SCALR_AXIS_MAX_TICKS];      /* grid-only positions (log axes) */
  double         label_w;                          /* widest shown label */
} AxisLayout;

typedef struct {
  double     w, h, fs, lw, pad, gap;
  double     ascent, descent;                       /* of the base font */
  double     left, right, top, bottom;              /* plot area */
  gboolean   ok;                                    /* the plot area is usable */
  AxisLayout ax[2];
  gboolean   forest;
  double     forest_label_w;                        /* row label column */
  gboolean   forest_values;                         /* value column shown */
  double     title_base, subtitle_base;            /* subtitle_base: of its first line */
  char      *sub_lines[2];                          /* the subtitle wrapped (owned) */
  guint      n_sub_lines;
  double     xtitle_base, ytitle_x;
  /* legend */
  guint      n_legend;
  gboolean   legend_row;                            /* entries in rows above the plot */
  guint      leg_lines;                             /* rows the entries wrap into */
  double     leg_x, leg_y, leg_w, leg_h, leg_row_h, leg_swatch;
} Layout;

static void
layout_clear (Layout *L)
{
  for (guint i = 0; i < 2; i++)
    g_clear_pointer (&L->sub_lines[i], g_free);
  for (guint a = 0; a < 2; a++)
    for (guint i = 0; i < L->ax[a].n_ticks; i++)
      g_clear_pointer (&L->ax[a].labels[i], g_free);
}

static double
map_t (const Layout *L, guint a, double t)
{
  const AxisLayout *ax = &L->ax[a];
  double f = (t - ax->tlo) / (ax->thi - ax->tlo);
  if (a == SCALR_PLOT_AXIS_X)
    return L->left + f * (L->right - L->left);
  return L->bottom - f * (L->bottom - L->top);
}

/* Pixel of data value v on axis a (NaN when unmappable). */
static double
map_v (const Layout *L, guint a, double v)
{
  double t = L->ax[a].categorical ? v : scalr_axis_transform (L->ax[a].scale, v);
  if (!isfinite (t))
    return NAN;
  return map_t (L, a, t);
}

static double
forest_row_y (const Layout *L, const ScalrPlot *plot, double row)
{
  return L->top + (row + 0.5) / MAX (plot->n_rows, 1) * (L->bottom - L->top);
}

static void
include (double *lo, double *hi, double v, ScalrAxisScale scale)
{
  if (!isfinite (v) || (scale != SCALR_AXIS_LINEAR && v <= 0))
    return;
  *lo = MIN (*lo, v);
  *hi = MAX (*hi, v);
}

static void
data_range (const ScalrPlot *plot, guint a, double *lo_out, double *hi_out)
{
  ScalrAxisScale scale = plot->axes[a].scale;
  double lo = INFINITY, hi = -INFINITY;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = get_series (plot, i);
      for (guint k = 0; k < s->n; k++)
        {
          if (a == SCALR_PLOT_AXIS_X)
            {
              if (s->kind == SCALR_SERIES_BARS)
                continue;
              include (&lo, &hi, s->x[k], scale);
              if (s->kind == SCALR_SERIES_STEPS)
                include (&lo, &hi, s->x[k + 1], scale);
            }
          else
            {
              include (&lo, &hi, s->y[k], scale);
              if (s->kind == SCALR_SERIES_BAND)
                include (&lo, &hi, s->y2[k], scale);
              if ((s->kind == SCALR_SERIES_BARS || s->kind == SCALR_SERIES_STEPS)
                  && scale == SCALR_AXIS_LINEAR)
                include (&lo, &hi, 0, scale);
            }
        }
    }
  for (guint i = 0; i < plot->refs->len; i++)
    {
      const Reference *r = &g_array_index (plot->refs, Reference, i);
      if (r->axis == a)
        include (&lo, &hi, r->value, scale);
    }
  if (a == SCALR_PLOT_AXIS_X && plot->rows)
    {
      include (&lo, &hi, 0, scale);
      for (guint i = 0; i < plot->n_rows; i++)
        {
          include (&lo, &hi, plot->rows[i].lift, scale);
          include (&lo, &hi, plot->rows[i].lo, scale);
          include (&lo, &hi, plot->rows[i].hi, scale);
        }
    }
  if (isfinite (plot->axes[a].lo))
    lo = plot->axes[a].lo;
  if (isfinite (plot->axes[a].hi))
    hi = plot->axes[a].hi;
  if (!(lo <= hi) || !isfinite (lo) || !isfinite (hi))
    {
      lo = scale == SCALR_AXIS_LINEAR ? 0 : 1;
      hi = scale == SCALR_AXIS_LINEAR ? 1 : 10;
    }
  *lo_out = lo;
  *hi_out = hi;
}

/* Fills the ticks of axis a for about @target ticks (without labels). */
static void
axis_ticks (const ScalrPlot *plot, Layout *L, guint a, guint target)
{
  AxisLayout *ax = &L->ax[a];
  for (guint i = 0; i < ax->n_ticks; i++)
    g_clear_pointer (&ax->labels[i], g_free);
  ax->n_ticks = 0;
  ax->n_minor = 0;
  ax->step = 0;
  ax->scale = plot->axes[a].scale;
  ax->categorical = FALSE;

  if (a == SCALR_PLOT_AXIS_X && plot->categories && !plot->rows)
    {
      ax->categorical = TRUE;
      ax->scale = SCALR_AXIS_LINEAR;
      ax->tlo = -0.5;
      ax->thi = plot->categories->len - 0.5;
      ax->n_ticks = MIN (plot->categories->len, SCALR_AXIS_MAX_TICKS);
      for (guint i = 0; i < ax->n_ticks; i++)
        {
          ax->ticks[i] = i;
          ax->labels[i] = g_strdup (g_ptr_array_index (plot->categories, i));
        }
      return;
    }
  if (a == SCALR_PLOT_AXIS_Y && plot->rows)
    {
      ax->categorical = TRUE;
      ax->scale = SCALR_AXIS_LINEAR;
      ax->tlo = -0.5;
      ax->thi = MAX (plot->n_rows, 1) - 0.5;
      return;   /* rows are labelled by the forest drawing */
    }

  double lo, hi;
  data_range (plot, a, &lo, &hi);
  gboolean fixed_lo = isfinite (plot->axes[a].lo), fixed_hi = isfinite (plot->axes[a].hi);
  const char *unit = plot->axes[a].unit;
  if (ax->scale == SCALR_AXIS_LINEAR)
    {
      scalr_axis_nice_ticks (lo, hi, target, ax->ticks, &ax->n_ticks, &ax->step);
      /* Loose labelling (the end ticks enclose the data) unless that wastes more than a
       * fifth of the axis at an end: then the data range plus a 4% margin there. */
      double tlo = fixed_lo ? lo : ax->ticks[0];
      double thi = fixed_hi ? hi : ax->ticks[ax->n_ticks - 1];
      double span = thi - tlo, margin = (hi - lo) * 0.04;
      if (!fixed_lo && lo - tlo > span * 0.2 && margin > 0)
        tlo = lo - margin;
      if (!fixed_hi && thi - hi > span * 0.2 && margin > 0)
        thi = hi + margin;
      if (thi <= tlo)
        thi = tlo + 1;
      ax->tlo = tlo;
      ax->thi = thi;
      /* Drop ticks outside a fixed range. */
      guint k = 0;
      for (guint i = 0; i < ax->n_ticks; i++)
        if (ax->ticks[i] >= tlo - ax->step * 1e-6 && ax->ticks[i] <= thi + ax->step * 1e-6)
          ax->ticks[k++] = ax->ticks[i];
      ax->n_ticks = k;
    }
  else
    {
      /* Whole decades (powers) enclosing the data, unless that wastes more than 15%
       * of the axis at an end: then the data range with a small margin (attempt 0), falling
       * back to the enclosing powers when fewer than two labels would remain (attempt 1). */
      double dlo = scalr_axis_transform (ax->scale, lo), dhi = scalr_axis_transform (ax->scale, hi);
      for (guint attempt = 0; attempt < 2; attempt++)
        {
          scalr_axis_log_ticks (ax->scale, lo, hi, target, ax->ticks, &ax->n_ticks);
          /* The powers next to the data (not the possibly coarser tick stride). */
          double elo = floor (dlo + 1e-9), ehi = ceil (dhi - 1e-9);
          if (ehi <= elo)
            ehi = elo + 1;
          double span = ehi - elo, margin = MAX (dhi - dlo, 0.3) * 0.04;
          double tlo = elo, thi = ehi;
          if (fixed_lo)
            tlo = dlo;
          else if (attempt == 0 && dlo - elo > span * 0.15)
            tlo = dlo - margin;
          if (fixed_hi)
            thi = dhi;
          else if (attempt == 0 && ehi - dhi > span * 0.15)
            thi = dhi + margin;
          if (thi <= tlo)
            thi = tlo + 1;
          ax->tlo = tlo;
          ax->thi = thi;
          guint k = 0;
          for (guint i = 0; i < ax->n_ticks; i++)
            {
              double t = scalr_axis_transform (ax->scale, ax->ticks[i]);
              if (t >= tlo - 1e-9 && t <= thi + 1e-9)
                ax->ticks[k++] = ax->ticks[i];
            }
          ax->n_ticks = k;
          /* Labelled 2·10^k and 5·10^k when the axis spans few decades. */
          if (ax->scale == SCALR_AXIS_LOG10 && thi - tlo <= 3.01
              && (k < 2 || ax->ticks[1] / ax->ticks[0] <= 10.0001))
            {
              double minor[SCALR_AXIS_MAX_TICKS];
              guint n_minor = 0;
              if (scalr_axis_log_minor_ticks (pow (10, tlo), pow (10, thi), FALSE, minor, &n_minor)
                  && ax->n_ticks + n_minor <= SCALR_AXIS_MAX_TICKS)
                {
                  /* Merge, ascending. */
                  double all[SCALR_AXIS_MAX_TICKS];
                  guint i = 0, j = 0, m = 0;
                  while (i < ax->n_ticks || j < n_minor)
                    {
                      if (j >= n_minor || (i < ax->n_ticks && ax->ticks[i] < minor[j]))
                        all[m++] = ax->ticks[i++];
                      else
                        all[m++] = minor[j++];
                    }
                  memcpy (ax->ticks, all, sizeof (double) * m);
                  ax->n_ticks = m;
                }
            }
          if (ax->n_ticks >= 2 || fixed_lo || fixed_hi)
            break;
        }
      double tlo = ax->tlo, thi = ax->thi;
      if (ax->scale == SCALR_AXIS_LOG10)
        scalr_axis_log_minor_ticks (pow (10, tlo), pow (10, thi), TRUE, ax->minor, &ax->n_minor);
    }
  for (guint i = 0; i < ax->n_ticks; i++)
    ax->labels[i] = scalr_axis_format_tick (ax->scale, ax->ticks[i], ax->step, unit);
}

static gboolean
is_decade (double v)
{
  double t = log10 (v);
  return fabs (t - round (t)) < 1e-9;
}

/* Decides which labels show on axis a without colliding: all when they fit; else on a log
 * axis the decades only; else every k-th label. Needs the plot area set. */
static void
axis_thin (cairo_t *cr, Layout *L, guint a)
{
  AxisLayout *ax = &L->ax[a];
  double size[SCALR_AXIS_MAX_TICKS], pos[SCALR_AXIS_MAX_TICKS];
  double min_gap = a == SCALR_PLOT_AXIS_X ? L->fs * 0.9 : L->fs * 0.35;
  double line_h = L->ascent + L->descent;
  for (guint i = 0; i < ax->n_ticks; i++)
    {
      size[i] = a == SCALR_PLOT_AXIS_X ? text_width (cr, ax->labels[i]) : line_h;
      pos[i] = map_v (L, a, ax->ticks[i]);
    }
  gboolean log_minor_present = FALSE;
  if (ax->scale == SCALR_AXIS_LOG10)
    for (guint i = 0; i < ax->n_ticks; i++)
      log_minor_present |= !is_decade (ax->ticks[i]);

  for (guint pass = 0; pass < 2 + ax->n_ticks; pass++)
    {
      /* pass 0: everything; pass 1: decades only (log10 with minors); pass ≥ 1: stride. */
      guint stride = 1;
      gboolean decades_only = FALSE;
      if (log_minor_present)
        {
          decades_only = pass >= 1;
          stride = pass >= 1 ? pass : 1;
        }
      else
        stride = pass + 1;
      double last_end = -INFINITY;
      gboolean fits = TRUE;
      guint idx = 0;
      for (guint i = 0; i < ax->n_ticks; i++)
        {
          ax->show[i] = FALSE;
          if (decades_only && !is_decade (ax->ticks[i]))
            continue;
          gboolean take = (idx++ % stride) == 0;
          if (!take)
            continue;
          if (!isfinite (pos[i]))
            continue;
          /* Screen order is ascending for x, descending for y. */
          double start = a == SCALR_PLOT_AXIS_X ? pos[i] - size[i] / 2 : -(pos[i]) - size[i] / 2;
          if (start < last_end + min_gap)
            {
              fits = FALSE;
              break;
            }
          last_end = start + size[i];
          ax->show[i] = TRUE;
        }
      if (fits)
        break;
    }
  ax->label_w = 0;
  for (guint i = 0; i < ax->n_ticks; i++)
    if (ax->show[i])
      ax->label_w = MAX (ax->label_w, text_width (cr, ax->labels[i]));
}

static char *
axis_title (const Axis *a)
{
  if (!a->label)
    return NULL;
  if (a->unit && *a->unit && strcmp (a->unit, "%") != 0)
    return g_strdup_printf ("%s (%s)", a->label, a->unit);
  return g_strdup (a->label);
}

static guint
legend_count (const ScalrPlot *plot)
{
  guint n = plot->markers->len;
  for (guint i = 0; i < plot->series->len; i++)
    if (get_series (plot, i)->name)
      n++;
  return n;
}

static const char *
legend_name (const ScalrPlot *plot, guint k)
{
  for (guint i = 0; i < plot->series->len; i++)
    if (get_series (plot, i)->name && k-- == 0)
      return get_series (plot, i)->name;
  return g_array_index (plot->markers, LegendMarker, k).name;
}

static char *
format_forest_value (const ForestRow *r)
{
  g_autofree char *lift = isfinite (r->lift) ? g_strdup_printf ("%+.2f%%", r->lift)
                                             : g_strdup ("n/a");
  g_autofree char *ci = isfinite (r->lo) && isfinite (r->hi)
                          ? g_strdup_printf ("[%.2f, %.2f]", r->lo, r->hi) : g_strdup ("");
  g_autofree char *p = !isfinite (r->p) ? g_strdup ("")
                       : r->p < 0.001 ? g_strdup ("p<0.001") : g_strdup_printf ("p=%.3f", r->p);
  GString *s = g_string_new (lift);
  if (*ci)
    g_string_append_printf (s, " %s", ci);
  if (*p)
    g_string_append_printf (s, "  %s", p);
  /* True minus signs. */
  GString *out = g_string_new (NULL);
  for (const char *c = s->str; *c; c++)
    if (*c == '-')
      g_string_append (out, "\xe2\x88\x92");
    else
      g_string_append_c (out, *c);
  g_string_free (s, TRUE);
  return g_string_free (out, FALSE);
}

/* Counts series items (vertices, bar rectangles, histogram tops, forest rows) inside the
 * rectangle: how much data a legend box there would hide. */
static guint
data_in_rect (const ScalrPlot *plot, const Layout *L, double x0, double y0, double x1, double y1)
{
  guint hits = 0;
  double m = L->fs * 0.3;
  x0 -= m;
  y0 -= m;
  x1 += m;
  y1 += m;
#define INSIDE(px, py) ((px) >= x0 && (px) <= x1 && (py) >= y0 && (py) <= y1)
  guint n_bar_series = 0, bar_index = 0;
  for (guint i = 0; i < plot->series->len; i++)
    n_bar_series += get_series (plot, i)->kind == SCALR_SERIES_BARS;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = get_series (plot, i);
      switch (s->kind)
        {
        case SCALR_SERIES_LINE:
        case SCALR_SERIES_POINTS:
        case SCALR_SERIES_BAND:
          for (guint k = 0; k < s->n; k++)
            {
              double px = map_v (L, 0, s->x[k]);
              if (INSIDE (px, map_v (L, 1, s->y[k])))
                hits++;
              if (s->kind == SCALR_SERIES_BAND && INSIDE (px, map_v (L, 1, s->y2[k])))
                hits++;
              /* Segments that cross the box count too: sample them every few pixels. */
              if (k + 1 < s->n && s->kind == SCALR_SERIES_LINE)
                {
                  double py = map_v (L, 1, s->y[k]);
                  double qx = map_v (L, 0, s->x[k + 1]), qy = map_v (L, 1, s->y[k + 1]);
                  if (!isfinite (px) || !isfinite (py) || !isfinite (qx) || !isfinite (qy))
                    continue;
                  guint steps = (guint) MIN (2000, hypot (qx - px, qy - py) / 4) + 1;
                  for (guint j = 1; j < steps; j++)
                    {
                      double f = j / (double) steps;
                      if (INSIDE (px + f * (qx - px), py + f * (qy - py)))
                        {
                          hits++;
                          break;
                        }
                    }
                }
            }
          break;
        case SCALR_SERIES_BARS:
          {
            double gw = 0.8 / MAX (n_bar_series, 1);
            for (guint k = 0; k < s->n; k++)
              {
                double bx0 = map_t (L, 0, k - 0.4 + bar_index * gw);
                double bx1 = map_t (L, 0, k - 0.4 + (bar_index + 1) * gw);
                double top = map_v (L, 1, s->y[k]);
                if (isfinite (top) && bx1 >= x0 && bx0 <= x1 && top <= y1 && L->bottom >= y0)
                  hits += 3;
              }
            bar_index++;
          }
          break;
        case SCALR_SERIES_STEPS:
          for (guint k = 0; k < s->n; k++)
            {
              double py = map_v (L, 1, s->y[k]);
              double a = map_v (L, 0, s->x[k]), b = map_v (L, 0, s->x[k + 1]);
              if (isfinite (py) && py >= y0 && py <= y1 && b >= x0 && a <= x1)
                hits++;
              else if (isfinite (py) && py < y0 && b >= x0 && a <= x1 && s->y[k] > 0)
                hits++;   /* the bin rises through the box */
            }
          break;
        }
    }
  for (guint r = 0; r < plot->n_rows; r++)
    {
      double py = forest_row_y (L, plot, r);
      const ForestRow *row = &plot->rows[r];
      double a = map_v (L, 0, isfinite (row->lo) ? row->lo : row->lift);
      double b = map_v (L, 0, isfinite (row->hi) ? row->hi : row->lift);
      if (py >= y0 && py <= y1 && b >= x0 && a <= x1)
        hits++;
    }
#undef INSIDE
  return hits;
}

/* Width of legend entry k in a legend row, including the space after it. */
static double
legend_entry_w (cairo_t *cr, const ScalrPlot *plot, const Layout *L, guint k)
{
  return L->leg_swatch + L->fs * 0.5 + text_width (cr, legend_name (plot, k)) + L->fs * 1.2;
}

/* Rows a legend row needs when wrapped at @avail. */
static guint
legend_row_lines (cairo_t *cr, const ScalrPlot *plot, const Layout *L, double avail)
{
  guint lines = 1;
  double x = 0;
  for (guint k = 0; k < L->n_legend; k++)
    {
      double ew = legend_entry_w (cr, plot, L, k);
      if (x > 0 && x + ew - L->fs * 1.2 > avail)
        {
          lines++;
          x = 0;
        }
      x += ew;
    }
  return lines;
}

static void
layout_legend (cairo_t *cr, const ScalrPlot *plot, Layout *L)
{
  L->n_legend = legend_count (plot);
  if (L->n_legend == 0)
    return;
  set_font (cr, L->fs, FALSE);
  L->leg_row_h = (L->ascent + L->descent) * 1.35;
  L->leg_swatch = L->fs * 1.7;
  double max_w = 0, total_w = 0;
  for (guint k = 0; k < L->n_legend; k++)
    {
      double tw = text_width (cr, legend_name (plot, k));
      max_w = MAX (max_w, tw);
      total_w += L->leg_swatch + L->fs * 0.5 + tw + L->fs * 1.2;
    }
  double inner = L->fs * 0.6;
  if (L->legend_row)
    {
      /* One line right-aligned over the plot when it fits, else wrapped from the margin
       * (leg_y was set by layout_pass). */
      total_w -= L->fs * 1.2;
      L->leg_w = MIN (total_w, L->w - 2 * L->pad);
      L->leg_h = L->leg_lines * L->leg_row_h;
      L->leg_x = L->leg_lines == 1 ? MAX (L->pad, L->right - total_w) : L->pad;
      return;
    }
  L->leg_w = inner * 2 + L->leg_swatch + L->fs * 0.5 + max_w;
  L->leg_h = inner * 2 + L->n_legend * L->leg_row_h;
  double inset = L->fs * 0.6;
  /* Corners in order of preference: top right, top left, bottom right, bottom left. */
  double xs[4] = { L->right - inset - L->leg_w, L->left + inset, L->right - inset - L->leg_w,
                   L->left + inset };
  double ys[4] = { L->top + inset, L->top + inset, L->bottom - inset - L->leg_h,
                   L->bottom - inset - L->leg_h };
  guint best = 0, best_hits = G_MAXUINT;
  for (guint c = 0; c < 4; c++)
    {
      guint hits = data_in_rect (plot, L, xs[c], ys[c], xs[c] + L->leg_w, ys[c] + L->leg_h);
      if (hits < best_hits)
        {
          best_hits = hits;
          best = c;
        }
    }
  L->leg_x = xs[best];
  L->leg_y = ys[best];
  /* Covering data everywhere: ask for a legend row above the plot instead, if it fits. */
  if (best_hits > 0 && total_w <= L->right - L->left)
    L->legend_row = TRUE;
}

/* Word-wraps @text into at most two lines of @max_w (the second shortened with "…" if it
 * still does not fit); a "·" separator never starts or ends a line. */
static void
wrap_subtitle (cairo_t *cr, const char *text, double max_w, Layout *L)
{
  for (guint i = 0; i < 2; i++)
    g_clear_pointer (&L->sub_lines[i], g_free);
  set_font (cr, L->fs, FALSE);
  L->n_sub_lines = 1;
  if (text_width (cr, text) <= max_w)
    {
      L->sub_lines[0] = g_strdup (text);
      return;
    }
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  GString *line = g_string_new (NULL);
  guint i = 0;
  for (; words[i]; i++)
    {
      if (!*words[i])
        continue;
      g_autofree char *cand = line->len ? g_strconcat (line->str, " ", words[i], NULL)
                                        : g_strdup (words[i]);
      if (line->len && text_width (cr, cand) > max_w)
        break;
      g_string_assign (line, cand);
    }
  /* Trim a dangling separator. */
  g_strchomp (line->str);
  line->len = strlen (line->str);
  if (g_str_has_suffix (line->str, "·"))
    {
      g_string_truncate (line, line->len - strlen ("·"));
      g_strchomp (line->str);
    }
  L->sub_lines[0] = g_string_free (line, FALSE);
  GString *rest = g_string_new (NULL);
  for (; words[i]; i++)
    {
      if (!*words[i] || (rest->len == 0 && strcmp (words[i], "·") == 0))
        continue;
      if (rest->len)
        g_string_append_c (rest, ' ');
      g_string_append (rest, words[i]);
    }
  if (rest->len)
    {
      L->sub_lines[1] = fit_text (cr, rest->str, max_w);
      L->n_sub_lines = 2;
    }
  g_string_free (rest, TRUE);
}

static void
layout_pass (const ScalrPlot *plot, cairo_t *cr, Layout *L)
{
  const Axis *xa = &plot->axes[SCALR_PLOT_AXIS_X];
  const Axis *ya = &plot->axes[SCALR_PLOT_AXIS_Y];
  double fs = L->fs, pad = L->pad, gap = L->gap;
  double line_h = L->ascent + L->descent;

  /* Top: title, subtitle, legend row. */
  double y = pad;
  L->title_base = L->subtitle_base = 0;
  if (plot->title && *plot->title)
    {
      y += fs * TITLE_SCALE * 0.95;
      L->title_base = y;
      y += fs * TITLE_SCALE * 0.3;
    }
  if (plot->subtitle && *plot->subtitle)
    {
      wrap_subtitle (cr, plot->subtitle, L->w - 2 * pad, L);
      y += fs * 0.35 + L->ascent * 0.95;
      L->subtitle_base = y;
      y += L->descent + (L->n_sub_lines - 1) * line_h * 1.15;
    }
  y += fs * 0.9;
  if (L->legend_row && L->n_legend > 0)
    {
      L->leg_lines = legend_row_lines (cr, plot, L, L->w - 2 * pad);
      L->leg_y = y - fs * 0.4;
      y += L->leg_lines * L->leg_row_h + fs * 0.4;
    }
  /* Room for the top y tick label's upper half. */
  L->top = y + (plot->rows ? 0 : line_h * 0.5);

  /* Bottom: x tick labels, x title. */
  g_autofree char *xt = axis_title (xa);
  L->bottom = L->h - pad - gap - line_h;
  if (xt)
    L->bottom -= line_h * 1.1 + gap * 0.5;
  L->xtitle_base = L->h - pad - L->descent;

  /* Left: y title, y tick labels (or forest row labels). */
  g_autofree char *yt = axis_title (ya);
  double y_title_w = yt && !plot->rows ? line_h * 1.1 + gap : 0;
  L->ytitle_x = pad + L->ascent;
  if (plot->rows)
    {
      double maxw = 0;
      for (guint r = 0; r < plot->n_rows; r++)
        {
          set_font (cr, fs, plot->rows[r].significant);
          maxw = MAX (maxw, text_width (cr, plot->rows[r].label));
        }
      L->forest_label_w = MIN (maxw, L->w * 0.4);
      L->left = pad + L->forest_label_w + gap * 1.5;
      set_font (cr, fs, FALSE);
    }
  else
    {
      /* Y ticks for the current height estimate. */
      guint target = (guint) CLAMP ((L->bottom - L->top) / (fs * 3.2), 2, 10);
      axis_ticks (plot, L, SCALR_PLOT_AXIS_Y, target);
      double maxw = 0;
      for (guint i = 0; i < L->ax[1].n_ticks; i++)
        maxw = MAX (maxw, text_width (cr, L->ax[1].labels[i]));
      L->left = pad + y_title_w + maxw + gap;
    }

  /* Right: a value column for forest plots when it fits, else a padding. */
  L->right = L->w - pad;
  L->forest_values = FALSE;
  if (plot->rows)
    {
      double vw = 0;
      for (guint r = 0; r < plot->n_rows; r++)
        {
          g_autofree char *v = format_forest_value (&plot->rows[r]);
          set_font (cr, fs, plot->rows[r].significant);
          vw = MAX (vw, text_width (cr, v));
        }
      set_font (cr, fs, FALSE);
      if (L->right - L->left - vw - gap * 1.5 >= L->w * 0.35)
        {
          L->forest_values = TRUE;
          L->right -= vw + gap * 1.5;
        }
      axis_ticks (plot, L, SCALR_PLOT_AXIS_Y, 2);
      /* Rows no taller than about three lines of text; the axis follows the last row. */
      double max_h = MAX (plot->n_rows, 1) * line_h * 4.2;
      if (L->bottom - L->top > max_h)
        {
          double shift = L->bottom - L->top - max_h;
          L->bottom -= shift;
          L->xtitle_base -= shift;
        }
    }

  L->ok = L->right - L->left > 20 && L->bottom - L->top > 20;
  if (!L->ok)
    return;

  /* X ticks: the largest count whose labels do not collide. */
  /* Log axes offer every power and let axis_thin drop what collides. */
  guint target = plot->axes[0].scale == SCALR_AXIS_LINEAR
                   ? (guint) CLAMP ((L->right - L->left) / (fs * 4.5), 2, 12)
                   : (guint) CLAMP ((L->right - L->left) / (fs * 2.5), 2, 30);
  for (;; target--)
    {
      axis_ticks (plot, L, SCALR_PLOT_AXIS_X, target);
      AxisLayout *ax = &L->ax[0];
      double total = 0;
      for (guint i = 0; i < ax->n_ticks; i++)
        total += text_width (cr, ax->labels[i]) + fs * 1.2;
      if (total <= L->right - L->left || target <= 2 || ax->categorical
          || ax->scale != SCALR_AXIS_LINEAR)
        break;
    }
  axis_thin (cr, L, SCALR_PLOT_AXIS_X);
  /* Keep the last x label inside the page: pull the right edge in if it would overflow. */
  AxisLayout *xl = &L->ax[0];
  for (guint i = xl->n_ticks; i-- > 0;)
    if (xl->show[i])
      {
        double end = map_v (L, 0, xl->ticks[i]) + text_width (cr, xl->labels[i]) / 2;
        if (end > L->w - pad * 0.5)
          {
            L->right -= end - (L->w - pad * 0.5);
            axis_thin (cr, L, SCALR_PLOT_AXIS_X);
          }
        break;
      }
  if (!plot->rows)
    {
      guint ytarget = (guint) CLAMP ((L->bottom - L->top) / (fs * 3.2), 2, 10);
      axis_ticks (plot, L, SCALR_PLOT_AXIS_Y, ytarget);
      axis_thin (cr, L, SCALR_PLOT_AXIS_Y);
    }
}

/* Computes the layout of @plot at this size; @cr only measures text. */
static void
layout_compute (const ScalrPlot *plot, cairo_t *cr, double w, double h,
                const ScalrPlotStyle *style, Layout *L)
{
  memset (L, 0, sizeof *L);
  L->w = w;
  L->h = h;
  L->fs = BASE_FONT_PX * style->font_scale;
  L->lw = MAX (2.0, 2.0 * style->font_scale);
  L->pad = L->fs;
  L->gap = L->fs * 0.6;
  L->forest = plot->rows != NULL;
  set_font (cr, L->fs, FALSE);
  cairo_font_extents_t fe;
  cairo_font_extents (cr, &fe);
  L->ascent = fe.ascent;
  L->descent = fe.descent;

  L->n_legend = legend_count (plot);
  if (L->n_legend)
    {
      cairo_save (cr);
      set_font (cr, L->fs, FALSE);
      L->leg_row_h = (L->ascent + L->descent) * 1.35;
      cairo_restore (cr);
    }
  /* Forest plots keep their legend in a row above the rows (rows fill the whole area). */
  L->legend_row = plot->rows != NULL && L->n_legend > 0;
  layout_pass (plot, cr, L);
  /* The y labels depend on the height, the left margin on the y labels: settle once more. */
  if (L->ok)
    layout_pass (plot, cr, L);
  if (L->ok && L->n_legend)
    {
      gboolean was_row = L->legend_row;
      layout_legend (cr, plot, L);
      if (L->legend_row && !was_row)
        {
          layout_pass (plot, cr, L);
          if (L->ok)
            layout_legend (cr, plot, L);
        }
    }
  set_font (cr, L->fs, FALSE);
}

/* A measuring context with the same font options as drawing. */
static cairo_t *
scratch_cr (const ScalrPlotStyle *style)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (s);
  cairo_surface_destroy (s);
  prepare_cr (cr, style);
  return cr;
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing                                                                                  */

static void
set_dash (cairo_t *cr, gboolean dashed, double lw)
{
  if (dashed)
    {
      double d[2] = { lw * 3, lw * 2 };
      cairo_set_dash (cr, d, 2, 0);
    }
  else
    cairo_set_dash (cr, NULL, 0, 0);
}

static void draw_axis_lines (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                             const ScalrPlotStyle *style);

static void
draw_grid (cairo_t *cr, const ScalrPlot *plot, const Layout *L, const ScalrPlotStyle *style)
{
  cairo_set_line_width (cr, 1.0);
  /* Minor grid (log10): fainter. */
  for (guint a = 0; a < 2; a++)
    {
      const AxisLayout *ax = &L->ax[a];
      set_rgba (cr, style->grid, 0.55);
      for (guint i = 0; i < ax->n_minor; i++)
        {
          double p = map_v (L, a, ax->minor[i]);
          if (!isfinite (p))
            continue;
          if (a == 0)
            {
              cairo_move_to (cr, round (p) + 0.5, L->top);
              cairo_line_to (cr, round (p) + 0.5, L->bottom);
            }
          else
            {
              cairo_move_to (cr, L->left, round (p) + 0.5);
              cairo_line_to (cr, L->right, round (p) + 0.5);
            }
        }
      cairo_stroke (cr);
    }
  set_rgb (cr, style->grid);
  for (guint a = 0; a < 2; a++)
    {
      const AxisLayout *ax = &L->ax[a];
      if (ax->categorical)
        continue;
      for (guint i = 0; i < ax->n_ticks; i++)
        {
          double p = map_v (L, a, ax->ticks[i]);
          if (!isfinite (p))
            continue;
          if (a == 0)
            {
              cairo_move_to (cr, round (p) + 0.5, L->top);
              cairo_line_to (cr, round (p) + 0.5, L->bottom);
            }
          else
            {
              cairo_move_to (cr, L->left, round (p) + 0.5);
              cairo_line_to (cr, L->right, round (p) + 0.5);
            }
        }
    }
  cairo_stroke (cr);
}

static void
draw_band (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c)
{
  /* Contiguous runs of finite points. */
  guint k = 0;
  while (k < s->n)
    {
      guint start = k;
      while (k < s->n && isfinite (map_v (L, 0, s->x[k])) && isfinite (map_v (L, 1, s->y[k]))
             && isfinite (map_v (L, 1, s->y2[k])))
        k++;
      if (k - start >= 2)
        {
          for (guint i = start; i < k; i++)
            cairo_line_to (cr, map_v (L, 0, s->x[i]), map_v (L, 1, s->y2[i]));
          for (guint i = k; i-- > start;)
            cairo_line_to (cr, map_v (L, 0, s->x[i]), map_v (L, 1, s->y[i]));
          cairo_close_path (cr);
          set_rgba (cr, c, s->fill);
          cairo_fill (cr);
        }
      k++;
    }
}

static void
draw_line (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c)
{
  gboolean pen = FALSE;
  for (guint k = 0; k < s->n; k++)
    {
      double px = map_v (L, 0, s->x[k]), py = map_v (L, 1, s->y[k]);
      if (!isfinite (px) || !isfinite (py))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, px, py);
      else
        cairo_move_to (cr, px, py);
      pen = TRUE;
    }
  set_rgb (cr, c);
  cairo_set_line_width (cr, L->lw);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  set_dash (cr, s->dashed, L->lw);
  cairo_stroke (cr);
  set_dash (cr, FALSE, 0);
}

static double
marker_radius (const Layout *L)
{
  return MAX (3.5, L->fs * 0.32);
}

static void
draw_points (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c,
             const ScalrPlotStyle *style)
{
  double r = marker_radius (L);
  for (guint k = 0; k < s->n; k++)
    {
      double px = map_v (L, 0, s->x[k]), py = map_v (L, 1, s->y[k]);
      if (!isfinite (px) || !isfinite (py))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, px, py, r, 0, 2 * G_PI);
    }
  set_rgb (cr, c);
  cairo_fill_preserve (cr);
  set_rgb (cr, style->background);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

static void
bar_geometry (const Layout *L, guint n_bar_series, guint bar_index, guint k, double *x0,
              double *x1)
{
  double gw = 0.8 / MAX (n_bar_series, 1);
  double a = map_t (L, 0, k - 0.4 + bar_index * gw);
  double b = map_t (L, 0, k - 0.4 + (bar_index + 1) * gw);
  double inset = MIN (1.0, (b - a) * 0.1);
  *x0 = a + inset;
  *x1 = b - inset;
}

static double
bar_base (const Layout *L)
{
  if (L->ax[1].scale == SCALR_AXIS_LINEAR && L->ax[1].tlo <= 0 && L->ax[1].thi >= 0)
    return map_t (L, 1, 0);
  return L->bottom;
}

static void
draw_bars (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c, guint n_bar_series,
           guint bar_index)
{
  double base = bar_base (L);
  for (guint k = 0; k < s->n; k++)
    {
      double top = map_v (L, 1, s->y[k]);
      if (!isfinite (top))
        continue;
      double x0, x1;
      bar_geometry (L, n_bar_series, bar_index, k, &x0, &x1);
      cairo_rectangle (cr, x0, MIN (top, base), x1 - x0, fabs (base - top));
    }
  set_rgb (cr, c);
  cairo_fill (cr);
}

static void
draw_steps (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c)
{
  double base = bar_base (L);
  gboolean pen = FALSE;
  double first_x = NAN, last_x = NAN;
  for (guint k = 0; k < s->n; k++)
    {
      double a = map_v (L, 0, s->x[k]), b = map_v (L, 0, s->x[k + 1]);
      double py = map_v (L, 1, s->y[k]);
      if (!isfinite (py))
        py = base;
      if (!isfinite (a) || !isfinite (b))
        continue;
      if (!pen)
        {
          cairo_move_to (cr, a, base);
          first_x = a;
          pen = TRUE;
        }
      cairo_line_to (cr, a, py);
      cairo_line_to (cr, b, py);
      last_x = b;
    }
  if (!pen)
    return;
  cairo_line_to (cr, last_x, base);
  if (s->fill > 0)
    {
      cairo_path_t *path = cairo_copy_path (cr);
      cairo_close_path (cr);
      set_rgba (cr, c, s->fill);
      cairo_fill (cr);
      cairo_append_path (cr, path);
      cairo_path_destroy (path);
    }
  (void) first_x;
  set_rgb (cr, c);
  cairo_set_line_width (cr, L->lw);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  set_dash (cr, s->dashed, L->lw);
  cairo_stroke (cr);
  set_dash (cr, FALSE, 0);
}

static void
draw_annotations (cairo_t *cr, const Layout *L, const Series *s, const ScalrPlotStyle *style,
                  GArray *placed)
{
  if (!s->notes || (s->kind != SCALR_SERIES_LINE && s->kind != SCALR_SERIES_POINTS))
    return;
  set_font (cr, L->fs * 0.8, FALSE);
  set_rgb (cr, style->muted);
  double h = (L->ascent + L->descent) * 0.8;
  for (guint k = 0; k < s->n; k++)
    {
      if (!s->notes[k] || !*s->notes[k])
        continue;
      double px = map_v (L, 0, s->x[k]), py = map_v (L, 1, s->y[k]);
      if (!isfinite (px) || !isfinite (py))
        continue;
      double w = text_width (cr, s->notes[k]);
      /* Above the point, or below when there is no room above. */
      double r = marker_radius (L) + L->fs * 0.3;
      double cand_y[2] = { py - r - h, py + r };
      for (guint c = 0; c < 2; c++)
        {
          double x0 = px - w / 2, y0 = cand_y[c], x1 = px + w / 2, y1 = y0 + h;
          if (x0 < L->left || x1 > L->right || y0 < L->top || y1 > L->bottom)
            continue;
          gboolean clash = FALSE;
          for (guint i = 0; i < placed->len && !clash; i += 4)
            {
              double *q = &g_array_index (placed, double, i);
              clash = !(x1 + 2 < q[0] || x0 > q[2] + 2 || y1 < q[1] || y0 > q[3]);
            }
          if (clash)
            continue;
          double rect[4] = { x0, y0, x1, y1 };
          g_array_append_vals (placed, rect, 4);
          /* A halo in the background colour keeps the label readable over lines. */
          cairo_move_to (cr, x0, y0 + h * 0.78);
          cairo_text_path (cr, s->notes[k]);
          set_rgb (cr, style->background);
          cairo_set_line_width (cr, MAX (3.0, L->fs * 0.25));
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          cairo_stroke (cr);
          set_rgb (cr, style->muted);
          cairo_move_to (cr, x0, y0 + h * 0.78);
          cairo_show_text (cr, s->notes[k]);
          break;
        }
    }
  set_font (cr, L->fs, FALSE);
}

static void
draw_forest (cairo_t *cr, const ScalrPlot *plot, const Layout *L, const ScalrPlotStyle *style)
{
  double row_h = (L->bottom - L->top) / MAX (plot->n_rows, 1);
  /* Zebra rows from the label column to the value column. */
  set_rgb (cr, style->panel);
  for (guint r = 1; r < plot->n_rows; r += 2)
    cairo_rectangle (cr, L->pad * 0.5, L->top + r * row_h, L->w - L->pad, row_h);
  cairo_fill (cr);
  draw_grid (cr, plot, L, style);
  draw_axis_lines (cr, plot, L, style);
  /* Reference line at 0. */
  double zx = map_v (L, 0, 0);
  set_rgb (cr, style->muted);
  cairo_set_line_width (cr, 1.5);
  set_dash (cr, TRUE, 1.5);
  cairo_move_to (cr, zx, L->top);
  cairo_line_to (cr, zx, L->bottom);
  cairo_stroke (cr);
  set_dash (cr, FALSE, 0);

  double cap = MIN (row_h * 0.25, L->fs * 0.45);
  double half = MIN (row_h * 0.3, L->fs * 0.42);
  for (guint r = 0; r < plot->n_rows; r++)
    {
      const ForestRow *row = &plot->rows[r];
      double y = forest_row_y (L, plot, r);
      ScalrRgb c = !row->significant ? style->muted
                   : row->lift >= 0  ? style->series[SCALR_PLOT_COLOR_BLUE]
                                     : style->series[SCALR_PLOT_COLOR_VERMILLION];
      set_rgb (cr, c);
      cairo_set_line_width (cr, L->lw);
      if (isfinite (row->lo) && isfinite (row->hi))
        {
          double a = map_v (L, 0, row->lo), b = map_v (L, 0, row->hi);
          cairo_move_to (cr, a, y);
          cairo_line_to (cr, b, y);
          cairo_move_to (cr, a, y - cap);
          cairo_line_to (cr, a, y + cap);
          cairo_move_to (cr, b, y - cap);
          cairo_line_to (cr, b, y + cap);
          cairo_stroke (cr);
        }
      if (isfinite (row->lift))
        {
          double x = map_v (L, 0, row->lift);
          cairo_rectangle (cr, x - half, y - half, 2 * half, 2 * half);
          if (row->significant)
            cairo_fill (cr);
          else
            {
              cairo_path_t *p = cairo_copy_path (cr);
              set_rgb (cr, style->background);
              cairo_fill (cr);
              cairo_append_path (cr, p);
              cairo_path_destroy (p);
              set_rgb (cr, c);
              cairo_set_line_width (cr, L->lw * 0.9);
              cairo_stroke (cr);
            }
        }
      /* Row label (bold when significant), value column. */
      double base = y + (L->ascent - L->descent) / 2;
      set_font (cr, L->fs, row->significant);
      set_rgb (cr, style->foreground);
      g_autofree char *label = fit_text (cr, row->label, L->forest_label_w);
      show_text (cr, label, L->left - L->gap * 1.5, base, ALIGN_RIGHT);
      if (L->forest_values)
        {
          g_autofree char *v = format_forest_value (row);
          set_rgb (cr, row->significant ? style->foreground : style->muted);
          show_text (cr, v, L->right + L->gap * 1.5, base, ALIGN_LEFT);
        }
      set_font (cr, L->fs, FALSE);
    }
}

static void
draw_legend (cairo_t *cr, const ScalrPlot *plot, const Layout *L, const ScalrPlotStyle *style)
{
  if (L->n_legend == 0)
    return;
  set_font (cr, L->fs, FALSE);
  double x = L->leg_x, y = L->leg_y;
  if (!L->legend_row)
    {
      cairo_rectangle (cr, x + 0.5, y + 0.5, L->leg_w, L->leg_h);
      set_rgba (cr, style->background, 0.92);
      cairo_fill_preserve (cr);
      set_rgb (cr, style->grid);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      x += L->fs * 0.6;
      y += L->fs * 0.6;
    }
  guint k = 0;
  for (guint i = 0; i < plot->series->len + plot->markers->len; i++)
    {
      const Series *s = i < plot->series->len ? get_series (plot, i) : NULL;
      const LegendMarker *m = s ? NULL
                                : &g_array_index (plot->markers, LegendMarker,
                                                  i - plot->series->len);
      if (s && !s->name)
        continue;
      const char *name = s ? s->name : m->name;
      ScalrRgb c = series_rgb (style, s ? s->color : m->color);
      double cy = y + L->leg_row_h / 2, sw = L->leg_swatch;
      if (s && (s->kind == SCALR_SERIES_LINE || s->kind == SCALR_SERIES_STEPS))
        {
          set_rgb (cr, c);
          cairo_set_line_width (cr, L->lw);
          set_dash (cr, s->dashed, L->lw);
          cairo_move_to (cr, x, cy);
          cairo_line_to (cr, x + sw, cy);
          cairo_stroke (cr);
          set_dash (cr, FALSE, 0);
        }
      else if (s && s->kind == SCALR_SERIES_POINTS)
        {
          set_rgb (cr, c);
          cairo_arc (cr, x + sw / 2, cy, marker_radius (L), 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else if (s)   /* bars, band: a filled box */
        {
          double bh = L->fs * 0.75;
          cairo_rectangle (cr, x + sw * 0.15, cy - bh / 2, sw * 0.7, bh);
          set_rgba (cr, c, s->kind == SCALR_SERIES_BAND ? MAX (s->fill, 0.15) * 1.3 : 1.0);
          cairo_fill (cr);
        }
      else
        {
          double half = L->fs * 0.38;
          cairo_rectangle (cr, x + sw / 2 - half, cy - half, 2 * half, 2 * half);
          set_rgb (cr, m->filled ? c : style->background);
          cairo_fill_preserve (cr);
          set_rgb (cr, c);
          cairo_set_line_width (cr, L->lw * 0.9);
          cairo_stroke (cr);
        }
      set_rgb (cr, style->foreground);
      show_text (cr, name, x + sw + L->fs * 0.5, cy + (L->ascent - L->descent) / 2, ALIGN_LEFT);
      if (L->legend_row)
        {
          x += legend_entry_w (cr, plot, L, k);
          if (k + 1 < L->n_legend
              && x + legend_entry_w (cr, plot, L, k + 1) - L->fs * 1.2 > L->w - L->pad)
            {
              x = L->leg_x;
              y += L->leg_row_h;
            }
        }
      else
        y += L->leg_row_h;
      k++;
    }
  g_assert (k == L->n_legend);
}

/* Axis lines, left and bottom: drawn before the series so data on the edge stays visible. */
static void
draw_axis_lines (cairo_t *cr, const ScalrPlot *plot, const Layout *L, const ScalrPlotStyle *style)
{
  set_rgb (cr, style->muted);
  cairo_set_line_width (cr, 1.0);
  if (!plot->rows)
    {
      cairo_move_to (cr, round (L->left) + 0.5, L->top);
      cairo_line_to (cr, round (L->left) + 0.5, L->bottom);
    }
  cairo_move_to (cr, L->left, round (L->bottom) + 0.5);
  cairo_line_to (cr, L->right, round (L->bottom) + 0.5);
  cairo_stroke (cr);
}

static void
draw_axes (cairo_t *cr, const ScalrPlot *plot, const Layout *L, const ScalrPlotStyle *style)
{
  set_font (cr, L->fs, FALSE);

  /* Tick marks and labels. */
  double tick = L->fs * 0.3;
  cairo_set_line_width (cr, 1.0);
  set_dash (cr, FALSE, 0);
  const AxisLayout *ax = &L->ax[0];
  for (guint i = 0; i < ax->n_ticks; i++)
    {
      double p = map_v (L, 0, ax->ticks[i]);
      if (!isfinite (p))
        continue;
      set_rgb (cr, style->muted);
      cairo_move_to (cr, round (p) + 0.5, L->bottom);
      cairo_line_to (cr, round (p) + 0.5, L->bottom + tick);
      cairo_stroke (cr);
      if (!ax->show[i])
        continue;
      set_rgb (cr, style->foreground);
      show_text (cr, ax->labels[i], p, L->bottom + L->gap + L->ascent, ALIGN_CENTER);
    }
  ax = &L->ax[1];
  for (guint i = 0; i < ax->n_ticks && !plot->rows; i++)
    {
      double p = map_v (L, 1, ax->ticks[i]);
      if (!isfinite (p))
        continue;
      set_rgb (cr, style->muted);
      cairo_move_to (cr, L->left - tick, round (p) + 0.5);
      cairo_line_to (cr, L->left, round (p) + 0.5);
      cairo_stroke (cr);
      if (!ax->show[i])
        continue;
      set_rgb (cr, style->foreground);
      show_text (cr, ax->labels[i], L->left - L->gap, p + (L->ascent - L->descent) / 2,
                 ALIGN_RIGHT);
    }

  /* Axis titles. */
  set_rgb (cr, style->foreground);
  g_autofree char *xt = axis_title (&plot->axes[0]);
  if (xt)
    {
      g_autofree char *fit = fit_text (cr, xt, L->w - 2 * L->pad);
      double cx = (L->left + L->right) / 2;
      double tw = text_width (cr, fit);
      cx = CLAMP (cx, L->pad + tw / 2, L->w - L->pad - tw / 2);
      show_text (cr, fit, cx, L->xtitle_base, ALIGN_CENTER);
    }
  g_autofree char *yt = axis_title (&plot->axes[1]);
  if (yt && !plot->rows)
    {
      g_autofree char *fit = fit_text (cr, yt, L->bottom - L->top + L->pad);
      cairo_save (cr);
      cairo_translate (cr, L->ytitle_x, (L->top + L->bottom) / 2);
      cairo_rotate (cr, -G_PI / 2);
      show_text (cr, fit, 0, 0, ALIGN_CENTER);
      cairo_restore (cr);
    }
}

static void
draw_titles (cairo_t *cr, const ScalrPlot *plot, const Layout *L, const ScalrPlotStyle *style)
{
  double max_w = L->w - 2 * L->pad;
  if (L->title_base > 0)
    {
      set_font (cr, L->fs * TITLE_SCALE, TRUE);
      set_rgb (cr, style->foreground);
      g_autofree char *t = fit_text (cr, plot->title, max_w);
      show_text (cr, t, L->pad, L->title_base, ALIGN_LEFT);
    }
  if (L->subtitle_base > 0)
    {
      set_font (cr, L->fs, FALSE);
      set_rgb (cr, style->muted);
      for (guint i = 0; i < L->n_sub_lines; i++)
        {
          g_autofree char *t = fit_text (cr, L->sub_lines[i], max_w);
          show_text (cr, t, L->pad, L->subtitle_base + i * (L->ascent + L->descent) * 1.15,
                     ALIGN_LEFT);
        }
    }
  set_font (cr, L->fs, FALSE);
}

void
scalr_plot_draw (const ScalrPlot *plot, cairo_t *cr, double width, double height,
                 const ScalrPlotStyle *style)
{
  g_return_if_fail (plot != NULL && cr != NULL);
  if (!style)
    style = default_style ();
  cairo_save (cr);
  prepare_cr (cr, style);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  set_rgb (cr, style->background);
  cairo_paint (cr);

  Layout L;
  layout_compute (plot, cr, width, height, style, &L);
  draw_titles (cr, plot, &L, style);
  if (!L.ok)
    {
      layout_clear (&L);
      cairo_restore (cr);
      return;
    }

  if (plot->rows)
    draw_forest (cr, plot, &L, style);
  else
    {
      draw_grid (cr, plot, &L, style);
      draw_axis_lines (cr, plot, &L, style);
      /* References under the data. */
      set_rgb (cr, style->muted);
      cairo_set_line_width (cr, 1.5);
      set_dash (cr, TRUE, 1.5);
      for (guint i = 0; i < plot->refs->len; i++)
        {
          const Reference *r = &g_array_index (plot->refs, Reference, i);
          double p = map_v (&L, r->axis, r->value);
          if (!isfinite (p))
            continue;
          if (r->axis == SCALR_PLOT_AXIS_X)
            {
              cairo_move_to (cr, p, L.top);
              cairo_line_to (cr, p, L.bottom);
            }
          else
            {
              cairo_move_to (cr, L.left, p);
              cairo_line_to (cr, L.right, p);
            }
          cairo_stroke (cr);
        }
      set_dash (cr, FALSE, 0);

      cairo_save (cr);
      double m = L.lw;
      cairo_rectangle (cr, L.left - m, L.top - m, L.right - L.left + 2 * m,
                       L.bottom - L.top + 2 * m);
      cairo_clip (cr);
      guint n_bar_series = 0, bar_index = 0;
      for (guint i = 0; i < plot->series->len; i++)
        n_bar_series += get_series (plot, i)->kind == SCALR_SERIES_BARS;
      /* Areas first, then bars, outlines, lines, markers. */
      static const ScalrSeriesKind order[] = {
        SCALR_SERIES_BAND, SCALR_SERIES_BARS, SCALR_SERIES_STEPS, SCALR_SERIES_LINE,
        SCALR_SERIES_POINTS,
      };
      for (guint o = 0; o < G_N_ELEMENTS (order); o++)
        for (guint i = 0; i < plot->series->len; i++)
          {
            const Series *s = get_series (plot, i);
            if (s->kind != order[o])
              continue;
            ScalrRgb c = series_rgb (style, s->color);
            switch (s->kind)
              {
              case SCALR_SERIES_BAND:
                draw_band (cr, &L, s, c);
                break;
              case SCALR_SERIES_BARS:
                draw_bars (cr, &L, s, c, n_bar_series, bar_index++);
                break;
              case SCALR_SERIES_STEPS:
                draw_steps (cr, &L, s, c);
                break;
              case SCALR_SERIES_LINE:
                draw_line (cr, &L, s, c);
                break;
              case SCALR_SERIES_POINTS:
                draw_points (cr, &L, s, c, style);
                break;
              }
          }
      cairo_restore (cr);
      g_autoptr (GArray) placed = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < plot->series->len; i++)
        draw_annotations (cr, &L, get_series (plot, i), style, placed);
    }
  draw_axes (cr, plot, &L, style);
  draw_legend (cr, plot, &L, style);
  layout_clear (&L);
  cairo_restore (cr);
}

gboolean
scalr_plot_map_point (const ScalrPlot *plot, double width, double height,
                      const ScalrPlotStyle *style, double x, double y, double *px, double *py)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  if (!style)
    style = default_style ();
  cairo_t *cr = scratch_cr (style);
  Layout L;
  layout_compute (plot, cr, width, height, style, &L);
  cairo_destroy (cr);
  double ox = map_v (&L, 0, x);
  double oy = plot->rows ? forest_row_y (&L, plot, y) : map_v (&L, 1, y);
  gboolean ok = L.ok && isfinite (ox) && isfinite (oy);
  layout_clear (&L);
  if (px)
    *px = ox;
  if (py)
    *py = oy;
  return ok;
}

/* ---------------------------------------------------------------------------------------- */
/* Hover                                                                                    */

static const char *
axis_word (const ScalrPlot *plot, guint a)
{
  const Axis *ax = &plot->axes[a];
  return ax->hover_name ? ax->hover_name : ax->label ? ax->label : (a == 0 ? "x" : "y");
}

static char *
value_text (const ScalrPlot *plot, guint a, double v)
{
  g_autofree char *s = scalr_axis_format_exact (v);
  const char *unit = plot->axes[a].unit;
  if (unit && strcmp (unit, "%") == 0)
    return g_strconcat (s, "%", NULL);
  return g_steal_pointer (&s);
}

/* "<x word> <x>: <series> <y> <y word>" (or "<category>: …"). */
static char *
default_hover (const ScalrPlot *plot, const Series *s, guint k)
{
  GString *t = g_string_new (NULL);
  if (s->kind == SCALR_SERIES_BARS || (plot->categories && !plot->rows))
    {
      guint cat = s->kind == SCALR_SERIES_BARS ? k : (guint) round (s->x[k]);
      if (plot->categories && cat < plot->categories->len)
        g_string_append_printf (t, "%s %s", axis_word (plot, 0),
                                (char *) g_ptr_array_index (plot->categories, cat));
    }
  else if (s->kind == SCALR_SERIES_STEPS)
    {
      g_autofree char *a = scalr_axis_format_exact (s->x[k]);
      g_autofree char *b = scalr_axis_format_exact (s->x[k + 1]);
      g_string_append_printf (t, "%s %s–%s", axis_word (plot, 0), a, b);
    }
  else
    {
      g_autofree char *xv = value_text (plot, 0, s->x[k]);
      g_string_append_printf (t, "%s %s", axis_word (plot, 0), xv);
    }
  g_string_append (t, ":");
  if (s->name)
    g_string_append_printf (t, " %s", s->name);
  const char *yword = axis_word (plot, 1);
  if (s->kind == SCALR_SERIES_BAND)
    {
      g_autofree char *lo = value_text (plot, 1, s->y[k]);
      g_autofree char *hi = value_text (plot, 1, s->y2[k]);
      g_string_append_printf (t, " %s to %s", lo, hi);
    }
  else
    {
      g_autofree char *yv = value_text (plot, 1, s->y[k]);
      g_string_append_printf (t, " %s", yv);
    }
  const char *unit = plot->axes[1].unit;
  if (!(unit && strcmp (unit, "%") == 0) || plot->axes[1].hover_name)
    g_string_append_printf (t, " %s", yword);
  return g_string_free (t, FALSE);
}

static char *
series_hover (const ScalrPlot *plot, const Series *s, guint k)
{
  if (s->hover && s->hover[k] && *s->hover[k])
    return g_strdup (s->hover[k]);
  return default_hover (plot, s, k);
}

static char *
forest_hover (const ForestRow *r)
{
  GString *t = g_string_new (r->label);
  g_autofree char *lift = scalr_axis_format_exact (round (r->lift * 100) / 100);
  g_string_append_printf (t, ": lift %s%s%%", r->lift > 0 ? "+" : "", lift);
  if (isfinite (r->lo) && isfinite (r->hi))
    {
      g_autofree char *lo = scalr_axis_format_exact (round (r->lo * 100) / 100);
      g_autofree char *hi = scalr_axis_format_exact (round (r->hi * 100) / 100);
      g_string_append_printf (t, " (95%% CI %s%% to %s%%)", lo, hi);
    }
  if (isfinite (r->p))
    {
      if (r->p < 0.001)
        g_string_append (t, ", p < 0.001");
      else
        g_string_append_printf (t, ", p = %.3f", r->p);
    }
  g_string_append (t, r->significant ? ", significant" : ", not significant");
  return g_string_free (t, FALSE);
}

gboolean
scalr_plot_hit_test (const ScalrPlot *plot, double width, double height,
                     const ScalrPlotStyle *style, double x, double y, char **text)
{
  g_return_val_if_fail (plot != NULL && text != NULL, FALSE);
  *text = NULL;
  if (!style)
    style = default_style ();
  cairo_t *cr = scratch_cr (style);
  Layout L;
  layout_compute (plot, cr, width, height, style, &L);
  cairo_destroy (cr);
  if (!L.ok)
    {
      layout_clear (&L);
      return FALSE;
    }
  double radius = MAX (8.0, L.fs * 0.7);

  if (plot->rows)
    {
      double row_h = (L.bottom - L.top) / MAX (plot->n_rows, 1);
      for (guint r = 0; r < plot->n_rows; r++)
        {
          const ForestRow *row = &plot->rows[r];
          double cy = forest_row_y (&L, plot, r);
          if (fabs (y - cy) > row_h / 2)
            continue;
          double a = map_v (&L, 0, isfinite (row->lo) ? row->lo : row->lift);
          double b = map_v (&L, 0, isfinite (row->hi) ? row->hi : row->lift);
          gboolean on_label = x >= L.pad * 0.5 && x < L.left;
          gboolean on_values = L.forest_values && x > L.right;
          gboolean on_data = isfinite (a) && isfinite (b) && fabs (y - cy) <= radius
                             && x >= MIN (a, b) - radius && x <= MAX (a, b) + radius;
          if (on_label || on_values || on_data)
            {
              *text = forest_hover (row);
              layout_clear (&L);
              return TRUE;
            }
        }
      layout_clear (&L);
      return FALSE;
    }

  /* Nearest vertex of lines and points. */
  double best = radius;
  const Series *best_s = NULL;
  guint best_k = 0;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = get_series (plot, i);
      if (s->kind != SCALR_SERIES_LINE && s->kind != SCALR_SERIES_POINTS)
        continue;
      for (guint k = 0; k < s->n; k++)
        {
          double px = map_v (&L, 0, s->x[k]), py = map_v (&L, 1, s->y[k]);
          double d = hypot (px - x, py - y);
          if (isfinite (d) && d <= best)
            {
              best = d;
              best_s = s;
              best_k = k;
            }
        }
    }
  if (!best_s && x >= L.left && x <= L.right && y >= L.top && y <= L.bottom)
    {
      /* Bars, histogram bins and bands under the pointer (last drawn wins). */
      guint n_bar_series = 0;
      for (guint i = 0; i < plot->series->len; i++)
        n_bar_series += get_series (plot, i)->kind == SCALR_SERIES_BARS;
      guint bar_index = 0;
      double base = bar_base (&L);
      double best_band = INFINITY, best_step = INFINITY;
      for (guint i = 0; i < plot->series->len; i++)
        {
          const Series *s = get_series (plot, i);
          if (s->kind == SCALR_SERIES_BARS)
            {
              for (guint k = 0; k < s->n; k++)
                {
                  double x0, x1, top = map_v (&L, 1, s->y[k]);
                  bar_geometry (&L, n_bar_series, bar_index, k, &x0, &x1);
                  double y0 = MIN (top, base) - 3, y1 = MAX (top, base);
                  if (x >= x0 && x <= x1 && y >= y0 && y <= y1)
                    {
                      best_s = s;
                      best_k = k;
                    }
                }
              bar_index++;
            }
          else if (s->kind == SCALR_SERIES_STEPS)
            {
              /* Inside a bin's column (below its top, or just above it): the series whose
               * top is nearest the pointer. */
              for (guint k = 0; k < s->n; k++)
                {
                  double a = map_v (&L, 0, s->x[k]), b = map_v (&L, 0, s->x[k + 1]);
                  double top = map_v (&L, 1, s->y[k]);
                  if (!isfinite (a) || !isfinite (b) || !isfinite (top) || x < a || x >= b
                      || y < top - radius || y > MAX (top, base))
                    continue;
                  double d = fabs (y - top);
                  if (d < best_step)
                    {
                      best_step = d;
                      best_s = s;
                      best_k = k;
                    }
                }
            }
          else if (s->kind == SCALR_SERIES_BAND && !best_s)
            {
              for (guint k = 0; k < s->n; k++)
                {
                  double px = map_v (&L, 0, s->x[k]);
                  double lo = map_v (&L, 1, s->y[k]), hi = map_v (&L, 1, s->y2[k]);
                  if (!isfinite (px) || !isfinite (lo) || !isfinite (hi))
                    continue;
                  double dx = fabs (px - x);
                  if (dx <= radius * 2 && dx < best_band && y >= MIN (lo, hi) - radius
                      && y <= MAX (lo, hi) + radius)
                    {
                      best_band = dx;
                      best_s = s;
                      best_k = k;
                    }
                }
            }
        }
    }
  layout_clear (&L);
  if (!best_s)
    return FALSE;
  *text = series_hover (plot, best_s, best_k);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Exports                                                                                  */

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_size (const char *path, double width, double height, double max, GError **error)
{
  if (!(width >= 1 && height >= 1 && width <= max && height <= max))
    {
      g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_CAIRO,
                   "Cannot write chart to “%s”: size %g×%g is outside 1..%g", path, width,
                   height, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_cairo (const char *path, cairo_status_t status, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_CAIRO,
               "Cannot write chart to “%s”: %s", path, cairo_status_to_string (status));
  return FALSE;
}

/* Writes the whole file at once (atomically: a temporary file renamed over @path), so a
 * failure never leaves a half-written chart. */
static gboolean
write_bytes (const char *path, GByteArray *bytes, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE,
                   "Cannot write chart to “%s”: the folder “%s” does not exist", path, dir);
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  if (!g_file_set_contents (path, (const char *) bytes->data, bytes->len, &local))
    {
      g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE,
                   "Cannot write chart to “%s”: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
scalr_plot_save_png (const ScalrPlot *plot, const char *path, int width, int height,
                     const ScalrPlotStyle *style, GError **error)
{
  g_return_val_if_fail (plot != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!check_size (path, width, height, 32767, error))
    return FALSE;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  scalr_plot_draw (plot, cr, width, height, style);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_destroy (surface);
  if (!check_cairo (path, status, error))
    return FALSE;
  return write_bytes (path, bytes, error);
}

gboolean
scalr_plot_save_svg (const ScalrPlot *plot, const char *path, double width, double height,
                     const ScalrPlotStyle *style, GError **error)
{
  g_return_val_if_fail (plot != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!check_size (path, width, height, 1e5, error))
    return FALSE;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width,
                                                                  height);
  cairo_t *cr = cairo_create (surface);
  scalr_plot_draw (plot, cr, width, height, style);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!check_cairo (path, status, error))
    return FALSE;
  return write_bytes (path, bytes, error);
}

gboolean
scalr_plot_save_pdf (const ScalrPlot *const *plots, guint n, const char *path, double width,
                     double height, const ScalrPlotStyle *style, GError **error)
{
  g_return_val_if_fail (plots != NULL && n >= 1 && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  for (guint i = 0; i < n; i++)
    g_return_val_if_fail (plots[i] != NULL, FALSE);
  if (!check_size (path, width, height, 14400, error))
    return FALSE;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, width,
                                                                  height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  if (plots[0]->title)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, plots[0]->title);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  for (guint i = 0; i < n && status == CAIRO_STATUS_SUCCESS; i++)
    {
      scalr_plot_draw (plots[i], cr, width, height, style);
      cairo_show_page (cr);
      status = cairo_status (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!check_cairo (path, status, error))
    return FALSE;
  return write_bytes (path, bytes, error);
}
