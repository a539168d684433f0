/* scalr-gen-embmap-private.h — the fitted `embmap` model, for the tests and diagnostics. */
#pragma once

#include "scalr-generator.h"

G_BEGIN_DECLS

typedef struct {
  guint    n_users, n_tgt, k;
  float   *Us;         /* n_users × k: iALS user factors of the source matrix */
  float   *Ut;         /* n_users × k: iALS user factors of the target training matrix */
  float   *Vt;         /* n_tgt × k: iALS item factors of the target training matrix */
  float   *M;          /* k × k: the ridge map, M = (UsᵀUs + λI)⁻¹ UsᵀUt over fit_users */
  guint32 *fit_users;  /* n_fit, ascending: users with source and target training events */
  guint    n_fit;
  double   l2;         /* λ of the map */
} ScalrEmbmap;

extern const ScalrGeneratorClass scalr_embmap_generator;

G_END_DECLS
