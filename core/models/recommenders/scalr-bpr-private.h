/* scalr-bpr-private.h — BPR-MF (Rendle et al. 2009) internals shared with the tests and the
 * benchmarks: the triple sampler and the SGD fit. */
#pragma once

#include <gio/gio.h>

#include "scalr-csr.h"
#include "scalr-progress.h"
#include "scalr-rng.h"

G_BEGIN_DECLS

typedef struct {
  guint    factors;
  double   lr;        /* SGD learning rate */
  double   reg;       /* L2 on the factors and biases touched by a step */
  guint    epochs;    /* an epoch is nnz triples */
  guint64  seed;
} ScalrBprOptions;

#define SCALR_BPR_OPTIONS_INIT { 64, 0.05, 0.0025, 20, 0 }

/* Positives ∝ weight: an alias table over every entry of the matrix (negative weights count
 * as 0), plus each entry's row. */
typedef struct _ScalrBprSampler ScalrBprSampler;

/* Builds the sampler of @m (borrowed: it must outlive the sampler). On error (more than
 * 2³² − 1 entries, no memory) returns NULL and sets SCALR_RECOMMENDER_ERROR_TOO_LARGE. */
ScalrBprSampler *_scalr_bpr_sampler_new   (const ScalrCsr *m, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void             _scalr_bpr_sampler_free  (ScalrBprSampler *s);
/* Total weight (0: nothing to draw). */
double           _scalr_bpr_sampler_total (const ScalrBprSampler *s);
/* A triple: (u, i) an entry drawn ∝ weight, j uniform over the items not in u's row
 * (rejection, at most 64 tries). FALSE when the sampler is empty or no negative was found. */
gboolean         _scalr_bpr_sampler_draw  (const ScalrBprSampler *s, ScalrRng *rng,
                                           guint32 *u, guint32 *i, guint32 *j);

/* SGD on o->epochs × nnz triples from one stream (seed, MODEL, 2⁶³), single-threaded, so the
 * result is a function of the seed. Factors start N(0, 0.1²) (users: stream (seed, MODEL, u),
 * items: (seed, MODEL, 2³² + i)), biases at 0. On error (TOO_LARGE, cancellation) returns
 * FALSE, sets @error and the outputs are untouched; on success they are owned (g_free). */
gboolean         _scalr_bpr_fit           (const ScalrCsr *m, const ScalrBprOptions *o,
                                           float **user_factors, float **item_factors,
                                           float **item_bias, ScalrProgress *progress,
                                           GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrBprSampler, _scalr_bpr_sampler_free)

G_END_DECLS
