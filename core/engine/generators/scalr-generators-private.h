/* scalr-generators-private.h — the built-in generator classes, for the registry
 * (core/pipeline/scalr-registry.c) and the tests. */
#pragma once

#include "scalr-generator.h"

G_BEGIN_DECLS

extern const ScalrGeneratorClass scalr_cooc_generator;        /* scalr-gen-cooc.c */
extern const ScalrGeneratorClass scalr_ridge_generator;       /* scalr-gen-ridge.c */
extern const ScalrGeneratorClass scalr_popularity_generator;  /* scalr-gen-popularity.c */
extern const ScalrGeneratorClass scalr_embmap_generator;      /* scalr-gen-embmap.c */

G_END_DECLS
