/* scalr-recommenders-mf-private.h — the matrix-factorisation recommenders, for the registry
 * (scalr-recommender.c) and the tests. */
#pragma once

#include "scalr-recommender.h"

G_BEGIN_DECLS

extern const ScalrRecommenderClass scalr_ials_recommender;   /* scalr-rec-ials.c */
extern const ScalrRecommenderClass scalr_bpr_recommender;    /* scalr-rec-bpr.c */

G_END_DECLS
