/* scalr-plot-private.h — what the scalr-plot-*.c files share: the chart model's structs, the
 * layout and the drawing helpers. Not installed; nothing outside ui/plot includes it. */
#pragma once

#include "scalr-plot.h"

G_BEGIN_DECLS

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
  double   level;             /* of the interval */
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

typedef enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT } Align;

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
  gboolean   forest_short;                          /* … with the lift only */
  double     title_base, subtitle_base;            /* subtitle_base: of its first line */
  char      *sub_lines[2];                          /* the subtitle wrapped (owned) */
  guint      n_sub_lines;
  char      *title_lines[2];                        /* the title wrapped (owned) */
  guint      n_title_lines;
  double     xtitle_base, ytitle_x;
  /* legend */
  guint      n_legend;
  gboolean   legend_row;                            /* entries in rows above the plot */
  guint      leg_lines;                             /* rows the entries wrap into */
  double     leg_x, leg_y, leg_w, leg_h, leg_row_h, leg_swatch;
} Layout;

/* Model (scalr-plot.c). */
Series               *_scalr_plot_get_series (const ScalrPlot *plot, guint i);

/* Style and text (scalr-plot.c). */
const ScalrPlotStyle *_scalr_plot_default_style (void);
ScalrRgb              _scalr_plot_series_rgb (const ScalrPlotStyle *style, int color);
void                  _scalr_plot_set_rgb (cairo_t *cr, ScalrRgb c);
void                  _scalr_plot_set_rgba (cairo_t *cr, ScalrRgb c, double a);
void                  _scalr_plot_prepare_cr (cairo_t *cr, const ScalrPlotStyle *style);
void                  _scalr_plot_set_font (cairo_t *cr, double size, gboolean bold);
double                _scalr_plot_text_width (cairo_t *cr, const char *s);
/* @s shortened with "…" until it fits @max_w (owned). */
char                 *_scalr_plot_fit_text (cairo_t *cr, const char *s, double max_w);
/* Draws @s with its baseline at y, aligned on x. */
void                  _scalr_plot_show_text (cairo_t *cr, const char *s, double x, double y,
                                             Align align);
void                  _scalr_plot_set_dash (cairo_t *cr, gboolean dashed, double lw);

/* Layout (scalr-plot-layout.c). */
void                  _scalr_plot_layout_clear (Layout *L);
double                _scalr_plot_map_t (const Layout *L, guint a, double t);
/* Pixel of data value v on axis a (NaN when unmappable). */
double                _scalr_plot_map_v (const Layout *L, guint a, double v);
/* Computes the layout of @plot at this size; @cr only measures text. */
void                  _scalr_plot_layout_compute (const ScalrPlot *plot, cairo_t *cr, double w,
                                                  double h, const ScalrPlotStyle *style,
                                                  Layout *L);
/* A measuring context with the same font options as drawing. */
cairo_t              *_scalr_plot_scratch_cr (const ScalrPlotStyle *style);
/* "label (unit)", or the label alone (no unit, or "%"); NULL without a label (owned). */
char                 *_scalr_plot_axis_title (const Axis *a);
/* The frame (scalr-plot-frame.c). */
void                  _scalr_plot_draw_grid (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                                             const ScalrPlotStyle *style);
/* Axis lines, left and bottom: drawn before the series so data on the edge stays visible. */
void                  _scalr_plot_draw_axis_lines (cairo_t *cr, const ScalrPlot *plot,
                                                   const Layout *L, const ScalrPlotStyle *style);
void                  _scalr_plot_draw_axes (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                                             const ScalrPlotStyle *style);
void                  _scalr_plot_draw_titles (cairo_t *cr, const ScalrPlot *plot,
                                               const Layout *L, const ScalrPlotStyle *style);

/* Legend (scalr-plot-legend.c). */
guint                 _scalr_plot_legend_count (const ScalrPlot *plot);
/* Rows a legend row needs when wrapped at @avail. */
guint                 _scalr_plot_legend_row_lines (cairo_t *cr, const ScalrPlot *plot,
                                                    const Layout *L, double avail);
void                  _scalr_plot_layout_legend (cairo_t *cr, const ScalrPlot *plot, Layout *L);
void                  _scalr_plot_draw_legend (cairo_t *cr, const ScalrPlot *plot,
                                               const Layout *L, const ScalrPlotStyle *style);

/* Forest plots (scalr-plot-forest.c). */
double                _scalr_plot_forest_row_y (const Layout *L, const ScalrPlot *plot,
                                                double row);
/* "+10.0% [+2.0, +20.0] p<0.001", or the lift only with @full FALSE. */
char                 *_scalr_plot_format_forest_value (const ForestRow *r, gboolean full);
void                  _scalr_plot_draw_forest (cairo_t *cr, const ScalrPlot *plot,
                                               const Layout *L, const ScalrPlotStyle *style);

/* Series drawing (scalr-plot-draw.c). */
double                _scalr_plot_marker_radius (const Layout *L);
void                  _scalr_plot_bar_geometry (const Layout *L, guint n_bar_series,
                                                guint bar_index, guint k, double *x0,
                                                double *x1);
double                _scalr_plot_bar_base (const Layout *L);

G_END_DECLS
