/* scalr-recommender-error.c — the error domain of the downstream recommenders. */
#include "config.h"

#include "scalr-recommender-error.h"

G_DEFINE_QUARK (scalr-recommender-error-quark, scalr_recommender_error)
