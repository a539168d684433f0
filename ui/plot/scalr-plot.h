/* scalr-plot.h — a small chart model painted with Cairo (no GTK, no Pango).
 *
 * A ScalrPlot holds everything one chart shows — title, subtitle, two axes, series, a forest
 * plot's rows, legend entries — copied in when it is built, so drawing only reads prepared
 * arrays. scalr_plot_draw paints it into any cairo_t at any size: the GUI widget, a PNG, an SVG
 * or a PDF page all come from the same function. Text uses Cairo's toy API ("Sans"), with hint
 * metrics off so layout is the same on every surface (and hit tests agree with what was drawn).
 *
 * Coordinates: width and height are in user units of the cairo_t (pixels for images and
 * widgets, points for PDF/SVG). */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "scalr-plot-axis.h"

G_BEGIN_DECLS

#define SCALR_PLOT_ERROR (scalr_plot_error_quark ())
GQuark scalr_plot_error_quark (void);

typedef enum {
  SCALR_PLOT_ERROR_WRITE,    /* the file could not be created or written */
  SCALR_PLOT_ERROR_CAIRO,    /* Cairo failed (out of memory, invalid size) */
} ScalrPlotError;

typedef struct _ScalrPlot ScalrPlot;

typedef enum {
  SCALR_PLOT_AXIS_X,
  SCALR_PLOT_AXIS_Y,
} ScalrPlotAxisId;

typedef enum {
  SCALR_SERIES_LINE,      /* polyline through (x, y); breaks at NaN / non-positive on log axes */
  SCALR_SERIES_POINTS,    /* markers at (x, y) */
  SCALR_SERIES_BARS,      /* one bar per category; several bar series are grouped side by side */
  SCALR_SERIES_STEPS,     /* histogram outline: n bins between n + 1 edges */
  SCALR_SERIES_BAND,      /* filled area between lo and hi (a confidence band) */
} ScalrSeriesKind;

/* Series colours index the Okabe–Ito palette of the style (colour-blind safe). */
typedef enum {
  SCALR_PLOT_COLOR_NEUTRAL = -1,   /* the style's muted foreground (reference lines, diagonals) */
  SCALR_PLOT_COLOR_BLUE = 0,       /* real data, by convention */
  SCALR_PLOT_COLOR_VERMILLION,     /* synthetic data, by convention */
  SCALR_PLOT_COLOR_GREEN,
  SCALR_PLOT_COLOR_PURPLE,
  SCALR_PLOT_COLOR_SKY,
  SCALR_PLOT_COLOR_ORANGE,
  SCALR_PLOT_COLOR_YELLOW,
  SCALR_PLOT_COLOR_BLACK,
  SCALR_PLOT_N_COLORS
} ScalrPlotColor;

#define SCALR_PLOT_COLOR_REAL      SCALR_PLOT_COLOR_BLUE
#define SCALR_PLOT_COLOR_SYNTHETIC SCALR_PLOT_COLOR_VERMILLION

typedef struct {
  double r, g, b;   /* 0..1 */
} ScalrRgb;

typedef struct {
  double   font_scale;   /* 1.0 on screen, about 1.8 for a projector */
  gboolean dark;
  gboolean antialias;   /* FALSE paints without antialiasing (pixel-exact tests) */
  ScalrRgb foreground, muted, background, grid, panel;
  ScalrRgb series[SCALR_PLOT_N_COLORS];
} ScalrPlotStyle;

/* Fills @style with the light or dark palette and the given font scale (> 0). */
void scalr_plot_style_init (ScalrPlotStyle *style, gboolean dark, double font_scale);

/* A forest-plot row; lift, lo and hi are relative lifts (0.05 = +5%), drawn in percent.
 * lo/hi may be NaN (no interval); p may be NaN. @level is the interval's confidence level
 * (0.95 → "95 % CI"); 0 or NaN leaves it unnamed ("CI"). */
typedef struct {
  const char *label;
  double      lift, lo, hi, p;
  gboolean    significant;
  double      level;
} ScalrForestRow;

ScalrPlot *scalr_plot_new  (const char *title) G_GNUC_WARN_UNUSED_RESULT;
void       scalr_plot_free (ScalrPlot *plot);

void scalr_plot_set_title    (ScalrPlot *plot, const char *title);
/* The title and subtitle (borrowed; may be NULL): a chart's accessible name and description. */
const char *scalr_plot_get_title    (const ScalrPlot *plot);
const char *scalr_plot_get_subtitle (const ScalrPlot *plot);
/* A plain-text summary of what the chart shows (series and their sizes, or the forest rows
 * with their values), for assistive technologies (owned). */
char       *scalr_plot_dup_summary  (const ScalrPlot *plot) G_GNUC_WARN_UNUSED_RESULT;
/* The height that fits the content at @width with @style (NULL: default): a forest plot's
 * rows, else 5/8 of the width. */
double      scalr_plot_get_natural_height (const ScalrPlot *plot, double width, const ScalrPlotStyle *style);
void scalr_plot_set_subtitle (ScalrPlot *plot, const char *subtitle);
/* The axis title is "label (unit)", except for unit "%", which the tick labels carry. */
void scalr_plot_set_axis       (ScalrPlot *plot, ScalrPlotAxisId axis, const char *label,
                                const char *unit, ScalrAxisScale scale);
/* A fixed range; NaN at either end keeps that end automatic. */
void scalr_plot_set_axis_range (ScalrPlot *plot, ScalrPlotAxisId axis, double lo, double hi);
/* The word for the axis quantity in default hover texts ("rank 12: synthetic 431 events"
 * has x name "rank" and y name "events"); defaults to the axis label. */
void scalr_plot_set_axis_hover_name (ScalrPlot *plot, ScalrPlotAxisId axis, const char *name);
/* Makes the x axis categorical: category k sits at x = k; bar series need this. */
void scalr_plot_set_categories (ScalrPlot *plot, guint n, const char *const *labels);

/* Adding a series copies the arrays and returns its index (for the series_set_* calls).
 * @name NULL keeps it out of the legend. */
guint scalr_plot_add_line   (ScalrPlot *plot, const char *name, ScalrPlotColor color,
                             guint n, const double *x, const double *y);
guint scalr_plot_add_points (ScalrPlot *plot, const char *name, ScalrPlotColor color,
                             guint n, const double *x, const double *y);
/* n ≤ the number of categories; value k is the bar of category k. */
guint scalr_plot_add_bars   (ScalrPlot *plot, const char *name, ScalrPlotColor color,
                             guint n, const double *values);
/* @edges has n_bins + 1 ascending values, @counts n_bins. */
guint scalr_plot_add_steps  (ScalrPlot *plot, const char *name, ScalrPlotColor color,
                             guint n_bins, const double *edges, const double *counts);
guint scalr_plot_add_band   (ScalrPlot *plot, const char *name, ScalrPlotColor color,
                             guint n, const double *x, const double *lo, const double *hi);
void  scalr_plot_series_set_dashed (ScalrPlot *plot, guint series, gboolean dashed);
/* Fills the area under a steps series or inside a band with the series colour at @alpha
 * (0..1; steps default to 0, outline only; bands to 0.22). */
void  scalr_plot_series_set_fill (ScalrPlot *plot, guint series, double alpha);
/* Per-point hover texts (n strings, copied) replacing the default "x: series y". */
void  scalr_plot_series_set_hover_texts (ScalrPlot *plot, guint series, const char *const *texts);
/* Small per-point labels drawn next to the points where they fit (NULL entries: none). */
void  scalr_plot_series_set_annotations (ScalrPlot *plot, guint series, const char *const *texts);
/* A dashed reference line at x = value (axis X) or y = value (axis Y). */
void  scalr_plot_add_reference (ScalrPlot *plot, ScalrPlotAxisId axis, double value);
/* An extra legend entry: a filled marker (@filled) or a hollow one, in @color. */
void  scalr_plot_add_legend_marker (ScalrPlot *plot, const char *name, ScalrPlotColor color,
                                    gboolean filled);
/* Makes this a forest plot: one row per entry (copied), top to bottom; x is the lift in
 * percent, a reference line marks 0, significant rows have filled markers. */
void  scalr_plot_set_forest (ScalrPlot *plot, guint n, const ScalrForestRow *rows);

guint scalr_plot_get_n_series (const ScalrPlot *plot);

/* Paints @plot into the rectangle (0, 0, width, height) of @cr (saved and restored);
 * @style NULL means the light style at scale 1. */
void     scalr_plot_draw (const ScalrPlot *plot, cairo_t *cr, double width, double height,
                          const ScalrPlotStyle *style);

/* Where data point (x, y) lands when drawn at this size and style, in the same units as
 * draw. For a forest plot, x is the lift in percent and y the row index; for categorical x,
 * category k is at x = k (bar series s of m sits at k − 0.4 + (s + 0.5)·0.8/m). Returns FALSE when a coordinate cannot be mapped (a
 * non-positive value on a log axis, or a plot area too small). */
gboolean scalr_plot_map_point (const ScalrPlot *plot, double width, double height,
                               const ScalrPlotStyle *style, double x, double y,
                               double *px, double *py);

/* Hover: finds the data item under (x, y) of a plot drawn at width × height with @style —
 * the nearest line/point vertex within a few pixels, else the bar, histogram bin, band or
 * forest row under the pointer — and returns TRUE with *text (owned) describing it with
 * exact values ("rank 12: synthetic 431 events"). Returns FALSE (*text = NULL) when nothing
 * is there. @style NULL is the default style; pass the one used to draw, since the font
 * scale changes the layout. */
gboolean scalr_plot_hit_test (const ScalrPlot *plot, double width, double height,
                              const ScalrPlotStyle *style, double x, double y, char **text);

/* The style of exported images for slides: light, type scaled by @width / 1000 (a
 * 1600-px-wide PNG reads like 26-px text on a 1000-px screen). */
void     scalr_plot_style_init_for_width (ScalrPlotStyle *style, double width);

/* Exports. On error return FALSE and set @error (SCALR_PLOT_ERROR_WRITE naming the path
 * when the file cannot be created or written; the file is not left half-written). PNG
 * sizes are pixels; SVG and PDF sizes are points. */
gboolean scalr_plot_save_png (const ScalrPlot *plot, const char *path, int width, int height,
                              const ScalrPlotStyle *style, GError **error);
/* A PNG @width pixels wide, type sized for slides (scalr_plot_style_init_for_width), the
 * canvas as tall as the content needs (scalr_plot_get_natural_height). */
gboolean scalr_plot_save_png_fitted (const ScalrPlot *plot, const char *path, int width, GError **error);
gboolean scalr_plot_save_svg (const ScalrPlot *plot, const char *path, double width,
                              double height, const ScalrPlotStyle *style, GError **error);
/* One page per plot, in order (n ≥ 1). */
gboolean scalr_plot_save_pdf (const ScalrPlot *const *plots, guint n, const char *path,
                              double width, double height, const ScalrPlotStyle *style,
                              GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrPlot, scalr_plot_free)

G_END_DECLS
