/* scalr-eval-private.h — shared between scalr-eval.c, scalr-eval-model.c, scalr-lifts.c and scalr-eval-dist.c. */
#pragma once

#include "scalr-eval.h"

G_BEGIN_DECLS

/* The lift rows of @res from its model evaluations (README, "Statistics"):
 *  - per segment with at least one user (all, sparse, warm), metric (recall, ndcg, hit,
 *    mrr, precision at each K, NE, AUC) and K, the strongest baseline is the real-only
 *    model with the best scalr_eval_aggregate (ties: the first in [downstream] models);
 *  - per augmented model one row against its own baseline, and one against the strongest
 *    baseline unless that is its own (then the own row has also_strongest);
 *  - lift = Σy/Σx − 1, paired t and Wilcoxon (scalr-stats.h) over the users of the segment
 *    where both values are defined; the bootstrap of every row at once (scalr-bootstrap.h);
 *  - Holm over every row with a defined Wilcoxon p (the family: all rows of the run).
 * Undefined statistics are NAN with the reason in the row's note; res->warnings says what
 * the experiment cannot support. On error (cancelled, a BLAS limit, the memory budget)
 * returns FALSE and sets @error. */
gboolean _scalr_eval_compute_lifts (ScalrEvalResult *res, const ScalrEvalOptions *options,
                                    GCancellable *cancellable, GError **error);
void     _scalr_lift_clear         (ScalrLift *lift);

/* TRUE when @x is in the ascending @v[0..n). */
gboolean _scalr_in_sorted (const guint32 *v, guint n, guint32 x);

/* Sets the bits of user @u's train, valid and test items in @known (n_items bits) and returns
 * the sum of those rows' lengths. */
guint64  _scalr_eval_mark_known (const ScalrCsr *train, const ScalrCsr *valid, const ScalrCsr *test, guint u,
                                 guint64 *known);
/* scalr_eval_sample_negatives with the user's known items marked by _scalr_eval_mark_known
 * (the evaluation keeps one bitmap per thread): a bit test per draw. */
guint    _scalr_eval_sample_negatives_known (ScalrRng *rng, const guint64 *known, guint64 n_known, guint n_items,
                                             guint count, guint32 *out);

/* Trains @klass on @variant's matrix and evaluates it: ranking metrics of @res's test users
 * against their test events (unless @res has none), ranking metrics of its validation users
 * against their validation events, Platt scaling per segment fitted on the validation users
 * of that segment, NE and AUC of the test users, coverage. Appends the ScalrModelEval to
 * @res->models (also on error). On error (the model failed, cancelled) returns FALSE and
 * sets @error. */
gboolean _scalr_eval_model (ScalrEvalResult            *res,
                            ScalrSplit                 *split,
                            const ScalrSyntheticEvents *synthetic,
                            const ScalrConfig          *config,
                            const ScalrEvalOptions     *options,
                            const ScalrRecommenderClass *klass,
                            ScalrVariant                variant,
                            ScalrProgress              *progress,
                            GCancellable               *cancellable,
                            GError                    **error);
void     _scalr_model_eval_free (ScalrModelEval *me);

/* Users are scored in batches of this many; an MPI rank evaluates its block of
 * scalr_dist_block (n_users + n_valid_users, SCALR_EVAL_BATCH) of the entries (the test
 * users, then the validation users), so its batches are those of a whole run. */
#define SCALR_EVAL_BATCH 256

/* Under MPI, after each rank evaluated the entries of its block: every rank receives every
 * user's values (me->values, me->valid_values), ranked lists (top_items, top_scores) and
 * pointwise arrays (@pointwise: test scores, test labels, validation scores, validation
 * labels — GPtrArrays of one GArray per test or validation user, float scores and guint8
 * labels), so what follows is computed from all users, alike on every rank. A collective;
 * one process: nothing to do. On error (another rank failed) returns FALSE and sets @error. */
gboolean _scalr_eval_share_users (const ScalrEvalResult *res, ScalrModelEval *me,
                                  GPtrArray *const pointwise[4], GError **error);

G_END_DECLS
