/* scalr-chart-view.h — a widget showing one ScalrPlot: hover shows exact values, the
 * context menu exports PNG/SVG/PDF, F11 or "Present" shows it full-screen in large type. */
#pragma once

#include <gtk/gtk.h>

#include "scalr-plot.h"

G_BEGIN_DECLS

#define SCALR_TYPE_CHART_VIEW (scalr_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (ScalrChartView, scalr_chart_view, SCALR, CHART_VIEW, GtkWidget)

GtkWidget       *scalr_chart_view_new        (void);
/* Takes ownership of @plot (may be NULL: an empty state with @empty_text). */
void             scalr_chart_view_set_plot   (ScalrChartView *view, ScalrPlot *plot);
const ScalrPlot *scalr_chart_view_get_plot   (ScalrChartView *view);
void             scalr_chart_view_set_empty_text (ScalrChartView *view, const char *text);
/* Font scale of the drawing (1.0; about 1.8 in presentation mode). */
void             scalr_chart_view_set_font_scale (ScalrChartView *view, double scale);
/* Opens a full-screen window with the plot in large type (Escape or F11 closes it). */
void             scalr_chart_view_present    (ScalrChartView *view);
/* Writes the plot as PNG, SVG or PDF by the file's extension. */
gboolean         scalr_chart_view_export     (ScalrChartView *view, const char *path, GError **error);

G_END_DECLS
