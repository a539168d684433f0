/* scalr-alias.h — Walker/Vose alias tables: O(n) to build, O(1) per draw. */
#pragma once

#include <glib.h>

#include "scalr-rng.h"

G_BEGIN_DECLS

/* Builds the table of @n non-negative weights into @prob and @alias (n each). Returns the
 * total weight (0 when every weight is 0: the table then draws uniformly). */
double scalr_alias_build (const double *weights, guint n, float *prob, guint32 *alias);
/* The same table with the caller's scratch (@scaled, @small, @large: n each), for loops that
 * build many tables. */
double scalr_alias_build_with (const double *weights, guint n, float *prob, guint32 *alias,
                               double *scaled, guint32 *small, guint32 *large);

static inline guint32
scalr_alias_draw (const float *prob, const guint32 *alias, guint n, ScalrRng *rng)
{
  guint64 r = scalr_rng_next (rng);
  guint32 k = (guint32) (((r >> 32) * (guint64) n) >> 32);
  float u = (float) (r & 0xffffff) * 0x1.0p-24f;
  return u < prob[k] ? k : alias[k];
}

G_END_DECLS
