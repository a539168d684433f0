/* scalr-effects.h — which settings matter: over a set of trials (the points of a sweep, the
 * trials of a search), each parameter's values with the objective's mean, spread and range,
 * and the parameters ordered by how far apart their values' means are. Pure functions. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char   *value;     /* the parameter's value (owned) */
  guint   n;         /* trials with this value and a finite objective */
  double  mean;      /* of the objective over them (NaN when n = 0) */
  double  sd;        /* sample standard deviation (NaN when n < 2) */
  double  lo, hi;    /* the range of the objective; for a single trial its own interval
                      * when one was given (else its value) */
} ScalrEffectLevel;

typedef struct {
  char   *key;       /* the parameter (owned) */
  GArray *levels;    /* ScalrEffectLevel, in value order: numeric when every value is a number */
  double  spread;    /* the largest level mean minus the smallest: how much the parameter matters */
  gboolean numeric;
} ScalrEffect;

void       scalr_effect_free (ScalrEffect *effect);

/* @values holds n_trials × n_keys strings, row by row (a trial's value of each key; NULL:
 * the key does not apply); @objective one number per trial (NaN: the trial failed), @lo and
 * @hi (both may be NULL) an interval per trial. Returns one ScalrEffect per key that takes
 * two values or more, the largest spread first (ties: in key order), owned. */
GPtrArray *scalr_effects_compute (guint n_trials, guint n_keys, const char *const *keys,
                                  const char *const *values, const double *objective,
                                  const double *lo, const double *hi) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrEffect, scalr_effect_free)

G_END_DECLS
