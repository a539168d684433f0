/* scalr-recommender-error.h — the error domain of model fitting (recommenders and the
 * matrix-factorisation core they share with the embmap generator). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCALR_RECOMMENDER_ERROR (scalr_recommender_error_quark ())
GQuark scalr_recommender_error_quark (void);

typedef enum {
  SCALR_RECOMMENDER_ERROR_UNKNOWN,    /* no model of that name */
  SCALR_RECOMMENDER_ERROR_TOO_LARGE,  /* sizes beyond memory or BLAS limits */
  SCALR_RECOMMENDER_ERROR_NUMERIC,    /* a failed solve */
} ScalrRecommenderError;

G_END_DECLS
