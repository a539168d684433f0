/* scalr-search-private.h — what the search files share (scalr-search-space.c parses and
 * samples the space, scalr-search.c runs the trials, scalr-sweep.c the grid). */
#pragma once

#include "scalr-rng.h"
#include "scalr-search.h"

G_BEGIN_DECLS

/* One dimension of the search space. */
typedef struct {
  char             *name;       /* "group.key" */
  const ScalrParam *param;      /* borrowed from the tables */
  gboolean          range;      /* lo..hi (else values) */
  gboolean          log;
  double            lo, hi;
  GStrv             values;
  gboolean          synthetic;  /* a [generator] or [sampler] key: matters only to augmented variants */
} SearchDim;

struct _ScalrTuneSpec {
  ScalrConfig *config;          /* the base config (owned) */
  GPtrArray   *dims;            /* SearchDim* (owned) */
  gboolean     default_space;   /* the dims came from the parameter tables */
  ScalrMetric  metric;
  guint        k;
  ScalrSegment segment;
  guint        trials;
  guint64      seed;
  double       time_budget;     /* seconds, 0: none */
};

void      _scalr_search_dim_free (SearchDim *dim);
/* Parses "a,b,c" or "lo..hi [log]" for @param into a new dim; on error returns NULL and
 * sets @error with a message without location. */
SearchDim *_scalr_search_dim_parse (const ScalrParam *param, const char *spec, GError **error);
/* The value of @dim at trial @t ≥ 1 (owned), drawn from (seed, SCALR_STREAM_TUNE, t); trial
 * 0 is the base config's value. */
char     *_scalr_search_dim_draw (const SearchDim *dim, ScalrRng *rng);
/* TRUE when @param applies to the base config: a downstream model key of a listed model, a
 * generator key of the configured generator, a sampler key of the configured strategy. */
gboolean  _scalr_search_param_applies (const ScalrParam *param, const ScalrConfig *config);

G_END_DECLS
