/* scalr-bpr-private.h — BPR-MF (Rendle et al. 2009) internals shared with the tests and the
 * benchmarks: the groups and blocks of the parallel schedule, the triple sampler and the SGD
 * fit (see scalr-rec-bpr.c for the schedule and what it changes). */
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
  guint    blocks;    /* at most P user and item groups (0 or 1: sequential BPR); see
                       * _scalr_bpr_effective_blocks */
  guint    n_threads; /* 0: the thread policy; the model does not depend on it */
} ScalrBprOptions;

/* The default of [downstream] bpr.blocks. */
#define SCALR_BPR_DEFAULT_BLOCKS 16
#define SCALR_BPR_DEFAULT_BLOCKS_STR "16"

/* Users and items a group keeps at least. */
#define SCALR_BPR_MIN_GROUP 1024

#define SCALR_BPR_OPTIONS_INIT { 64, 0.05, 0.0025, 20, 0, SCALR_BPR_DEFAULT_BLOCKS, 0 }

/* P for @m: @blocks, lowered so that every group can hold SCALR_BPR_MIN_GROUP users and items
 * (at least 1, at most 256). The recommender fits with it; _scalr_bpr_fit takes o->blocks as
 * it is. */
guint            _scalr_bpr_effective_blocks (const ScalrCsr *m, guint blocks);

/* The users' groups: in index order, each to the least loaded of @blocks groups (ties: the
 * lower group), loads being the summed weights of their entries. Fills @group (n_rows). */
void             _scalr_bpr_user_groups   (const ScalrCsr *m, guint blocks, guint32 *group);
/* The items' groups of @epoch: uniform at random over @blocks groups from (@seed, @epoch)
 * (a hash of the item; all 0 for one block). Fills @group (n_items). */
void             _scalr_bpr_item_groups   (guint n_items, guint blocks, guint64 seed, guint epoch,
                                           guint32 *group);

/* Positives ∝ weight: an alias table over the entries of each of the blocks² blocks
 * (negative weights count as 0), negatives from the positive's item group. */
typedef struct _ScalrBprSampler ScalrBprSampler;

/* Builds the sampler of @m (borrowed: it must outlive the sampler) with @blocks groups, items
 * grouped as in @epoch of @seed. On error (more than 2³² − 1 entries, no memory) returns NULL
 * and sets SCALR_RECOMMENDER_ERROR_TOO_LARGE. */
ScalrBprSampler *_scalr_bpr_sampler_new_blocks (const ScalrCsr *m, guint blocks, guint64 seed,
                                                guint epoch, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* P and the groups (borrowed; either may be NULL). */
guint            _scalr_bpr_sampler_get_blocks (const ScalrBprSampler *s, const guint32 **user_group,
                                                const guint32 **item_group);
/* A triple of block (@p, @q): (u, i) ∝ weight among the entries of user group p and item
 * group q, j uniform over the items of group q not in u's row (at most 64 tries). FALSE when
 * the block has no weight or no negative was found. */
gboolean         _scalr_bpr_sampler_draw_block (const ScalrBprSampler *s, guint p, guint q, ScalrRng *rng,
                                                guint32 *u, guint32 *i, guint32 *j);
/* The one-block sampler: positives over every entry, negatives over every item. */
ScalrBprSampler *_scalr_bpr_sampler_new   (const ScalrCsr *m, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void             _scalr_bpr_sampler_free  (ScalrBprSampler *s);
/* Total weight (0: nothing to draw). */
double           _scalr_bpr_sampler_total (const ScalrBprSampler *s);
/* A triple of a one-block sampler: (u, i) an entry drawn ∝ weight, j uniform over the items
 * not in u's row (rejection, at most 64 tries). FALSE when the sampler is empty or no
 * negative was found. */
gboolean         _scalr_bpr_sampler_draw  (const ScalrBprSampler *s, ScalrRng *rng,
                                           guint32 *u, guint32 *i, guint32 *j);

/* SGD on about o->epochs × nnz triples: each epoch groups the items afresh
 * (_scalr_bpr_item_groups) and runs the P strata in order, the blocks of a stratum in
 * parallel; block b = p·P + q draws its triples from its stream (seed, MODEL, 2⁶³ + b),
 * continued across epochs, and makes round(nnz · w_b / Σw) steps per epoch. The result is a function of the data, the seed and P, not of the thread count; with
 * P = 1 it is the sequential BPR of one stream. Factors start N(0, 0.1²) (users: stream
 * (seed, MODEL, u), items: (seed, MODEL, 2³² + i)), biases at 0. On error (TOO_LARGE,
 * cancellation) returns FALSE, sets @error and the outputs are untouched; on success they are
 * owned (g_free). */
gboolean         _scalr_bpr_fit           (const ScalrCsr *m, const ScalrBprOptions *o,
                                           float **user_factors, float **item_factors,
                                           float **item_bias, ScalrProgress *progress,
                                           GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrBprSampler, _scalr_bpr_sampler_free)

G_END_DECLS
