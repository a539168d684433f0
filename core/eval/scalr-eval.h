/* scalr-eval.h — stage 2 evaluation (the evaluation protocol, docs/ARCHITECTURE.md):
 * downstream models trained on the variants of the target training matrix, full-ranking
 * metrics per user, pointwise NE and AUC with Platt scaling, and lifts with confidence
 * intervals and p-values.
 *
 * Variants: baseline (real training events, weight 1), augmented (real + synthetic events
 * with their weights), synthetic_only. Full ranking scores every target item and excludes
 * each user's real training positives (not the synthetic ones). Metrics at every K: recall
 * (hits / |test_u|), ndcg, hit, mrr, precision (hits / K), and catalogue coverage of the
 * top-K lists (an aggregate, no per-user value). Segments: all tested users, sparse (the
 * simulated sparse users) and warm (the others). Pointwise: each test positive against
 * `negatives` sampled non-interacted items of the same user; scores become probabilities
 * by Platt scaling fitted on validation events built the same way; NE = log loss / entropy
 * of the base rate (pooled over a segment's pairs), AUC per user. Every aggregate other than
 * NE and coverage is the mean of the per-user vector kept (scalr_eval_aggregate). Lifts:
 * scalr-eval-private.h and README "Statistics". */
#pragma once

#include <gio/gio.h>

#include "scalr-config.h"
#include "scalr-recommender.h"
#include "scalr-rng.h"
#include "scalr-split.h"
#include "scalr-synthetic.h"

G_BEGIN_DECLS

typedef enum { SCALR_VARIANT_BASELINE, SCALR_VARIANT_AUGMENTED, SCALR_VARIANT_SYNTHETIC_ONLY, SCALR_N_VARIANTS } ScalrVariant;
typedef enum { SCALR_SEGMENT_ALL, SCALR_SEGMENT_SPARSE, SCALR_SEGMENT_WARM, SCALR_N_SEGMENTS } ScalrSegment;
typedef enum {
  SCALR_METRIC_RECALL, SCALR_METRIC_NDCG, SCALR_METRIC_HIT, SCALR_METRIC_MRR, SCALR_METRIC_PRECISION,
  SCALR_N_RANK_METRICS,
  SCALR_METRIC_COVERAGE = SCALR_N_RANK_METRICS,   /* aggregate only */
  SCALR_METRIC_NE,                                /* pointwise, K = 0 */
  SCALR_METRIC_AUC,                               /* pointwise, K = 0 */
  SCALR_N_METRICS
} ScalrMetric;

/* The names stored with every row ("baseline", "sparse", "recall", …) and back; the one
 * list of metrics and segments: front ends iterate the enums. from_string returns FALSE for
 * an unknown name. No failure otherwise. */
const char *scalr_variant_to_string   (ScalrVariant v);
const char *scalr_segment_to_string   (ScalrSegment s);
const char *scalr_metric_to_string    (ScalrMetric m);
gboolean    scalr_segment_from_string (const char *name, ScalrSegment *out);
gboolean    scalr_metric_from_string  (const char *name, ScalrMetric *out);
/* For people: "All tested users", "Sparse users", "Warm users"; "Recall", "NDCG", "HitRate",
 * "MRR", "Precision", "Coverage", "NE", "AUC". */
const char *scalr_segment_get_label   (ScalrSegment s);
const char *scalr_metric_get_label    (ScalrMetric m);
/* "Recall@20" for a stored row's metric name and K ("NE" for K = 0; an unknown name as it
 * is). Owned. No failure. */
char       *scalr_metric_label        (const char *name, guint k) G_GNUC_WARN_UNUSED_RESULT;
/* Pointwise metrics (NE, AUC) are stored with K = 0; lifts are computed for every metric but
 * coverage (an aggregate of the whole list). */
gboolean    scalr_metric_is_pointwise (ScalrMetric m);
gboolean    scalr_metric_has_lifts    (ScalrMetric m);
/* TRUE when a larger value is better (FALSE for NE); by stored name (TRUE for an unknown one). */
gboolean    scalr_metric_higher_is_better      (ScalrMetric m);
gboolean    scalr_metric_name_higher_is_better (const char *name);

#define SCALR_MAX_KS 8   /* [eval] k holds at most this many cut-offs (checked by the config) */

extern const ScalrParam scalr_downstream_params[];
extern const ScalrParam scalr_eval_params[];

/* One model × variant: the per-user vectors over the evaluated users, in double (a tie
 * such as 0.3 − 0.2 = 0.1 − 0 must survive to the paired tests). */
typedef struct {
  char        *model;         /* owned */
  ScalrVariant variant;
  /* values[metric][k_index][user_index]; NE and AUC use k_index 0 only; NAN = undefined
   * for that user (AUC without a negative). NE's per-user value is the user's summed log
   * loss over its test pairs divided by the pooled normaliser of all evaluated users
   * (pairs per user × base-rate entropy, the same for every model): its mean over all
   * users is the pooled NE, and any segment's ratio of sums is the pooled NE's ratio. */
  double      *values[SCALR_N_METRICS][SCALR_MAX_KS];
  /* valid_values[metric][k_index][validation user index]: ranking metrics of the validation
   * users against their validation events (what selection reads) */
  double      *valid_values[SCALR_N_RANK_METRICS][SCALR_MAX_KS];
  double       coverage[SCALR_N_SEGMENTS][SCALR_MAX_KS];
  /* Platt scaling per segment, fitted on that segment's validation users and applied to its
   * test users (ALL: pooled over every validation user, reported only); NAN when the
   * segment has no validation events, and then its users' NE is undefined */
  double       platt_a[SCALR_N_SEGMENTS], platt_b[SCALR_N_SEGMENTS];
  double       ne[SCALR_N_SEGMENTS];   /* the NE of a segment: pooled log loss / base-rate entropy */
  double       fit_seconds, eval_seconds;
  guint32     *top_items;     /* n_users × max_k: the ranked lists (target item ids) */
  float       *top_scores;    /* n_users × max_k */
} ScalrModelEval;

/* One comparison: an augmented model against a real-only model on one segment, metric and
 * K. Each comparison is one row: a model whose own baseline is the strongest baseline has
 * one row (reference own, also_strongest TRUE), not two. */
typedef struct {
  char        *model;
  ScalrSegment segment;
  ScalrMetric  metric;
  guint        k;              /* 0 for NE, AUC */
  gboolean     strongest;      /* against the strongest baseline of the segment (else own) */
  gboolean     also_strongest; /* an own row whose baseline is also the strongest */
  char        *baseline_model; /* the baseline compared with */
  double       base_mean, aug_mean;   /* the metrics table's values (scalr_eval_aggregate) */
  double       lift, ci_low, ci_high;
  double       level;          /* the CI's level ([eval] level) */
  double       p_t, p_wilcoxon, p_holm;
  guint        n_users;
  char        *note;           /* why a statistic is undefined (NULL when all are defined) */
} ScalrLift;

struct _ScalrEvalResult {
  guint      n_users;          /* evaluated (test) users; 0 for a validation-only evaluation */
  guint32   *users;            /* owned, ascending */
  guint8    *segment_of;       /* owned: SCALR_SEGMENT_SPARSE or _WARM per evaluated user */
  guint      n_valid_users;    /* users with validation events (the split's validation users) */
  guint32   *valid_users;      /* owned, ascending */
  guint8    *valid_segment_of; /* owned */
  guint      n_ks;
  guint      ks[SCALR_MAX_KS];
  guint      max_k;
  GPtrArray *models;           /* ScalrModelEval* */
  GArray    *lifts;            /* ScalrLift */
  guint      n_bootstrap;
  double     level;            /* of the confidence intervals */
  double     bootstrap_seconds;/* the matrix bootstrap of all lift rows */
  GPtrArray *warnings;         /* char*: what the experiment cannot support, and why */
};

typedef struct {
  char   **models;       /* owned NULL-terminated */
  gboolean variants[SCALR_N_VARIANTS];
  guint    ks[SCALR_MAX_KS];
  guint    n_ks;
  guint    negatives;
  guint    bootstrap;
  double   level;
  guint64  seed;
  guint    n_threads;    /* 0: the thread policy (scalr-parallel.h) */
} ScalrEvalOptions;

/* Reads [downstream] and [eval]. On error returns FALSE (an unknown model name). */
gboolean scalr_eval_options_from_config (const ScalrConfig *config, ScalrEvalOptions *options, GError **error);
void     scalr_eval_options_clear       (ScalrEvalOptions *options);

/* The weighted training matrix of a variant: real training events weigh 1, synthetic
 * events their weight (summed where a pair is both). @synthetic may be NULL (no synthetic
 * events). Returns a new matrix. */
ScalrCsr *scalr_eval_weighted_matrix (ScalrSplit *split, const ScalrSyntheticEvents *synthetic,
                                      ScalrVariant variant) G_GNUC_WARN_UNUSED_RESULT;

/* Trains every model on every variant, evaluates and computes the lifts. On error (a model
 * failed, cancelled) returns NULL and sets @error. */
ScalrEvalResult *scalr_eval_run (ScalrSplit                 *split,
                                 const ScalrSyntheticEvents *synthetic,
                                 const ScalrConfig          *config,
                                 ScalrProgress              *progress,
                                 GCancellable               *cancellable,
                                 GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
void             scalr_eval_result_free (ScalrEvalResult *result);

/* A cache of baseline evaluations (they depend on the split, [downstream] and [eval] only,
 * not on the synthetic events): a sweep shares them across its grid points. The caller
 * keeps the cache for one split and one [downstream]/[eval] configuration. */
typedef struct _ScalrEvalCache ScalrEvalCache;
ScalrEvalCache  *scalr_eval_cache_new  (void) G_GNUC_WARN_UNUSED_RESULT;
void             scalr_eval_cache_free (ScalrEvalCache *cache);
/* As scalr_eval_run, reusing (and filling) @cache for the baseline variant (may be NULL). */
ScalrEvalResult *scalr_eval_run_cached (ScalrSplit                 *split,
                                        const ScalrSyntheticEvents *synthetic,
                                        const ScalrConfig          *config,
                                        ScalrEvalCache             *cache,
                                        ScalrProgress              *progress,
                                        GCancellable               *cancellable,
                                        GError                    **error) G_GNUC_WARN_UNUSED_RESULT;

/* Step by step (what `scalr tune` uses): a result with the split's validation users and,
 * unless @validation_only, its test users, and no model yet. */
ScalrEvalResult *scalr_eval_result_new   (ScalrSplit *split, const ScalrEvalOptions *options,
                                          gboolean validation_only) G_GNUC_WARN_UNUSED_RESULT;
/* Trains and evaluates recommender @model on @variant with the hyperparameters of @config
 * and appends its ScalrModelEval to @result->models. On error (unknown model, the model
 * failed, cancelled) returns FALSE and sets @error; a partial entry may have been appended. */
gboolean         scalr_eval_add_model    (ScalrEvalResult            *result,
                                          ScalrSplit                 *split,
                                          const ScalrSyntheticEvents *synthetic,
                                          const ScalrConfig          *config,
                                          const ScalrEvalOptions     *options,
                                          const char                 *model,
                                          ScalrVariant                variant,
                                          ScalrProgress              *progress,
                                          GCancellable               *cancellable,
                                          GError                    **error);
/* A deep copy of @model, an entry of @result (for caches and for assembling results). */
ScalrModelEval  *scalr_model_eval_copy   (const ScalrEvalResult *result, const ScalrModelEval *model) G_GNUC_WARN_UNUSED_RESULT;
void             scalr_model_eval_free   (ScalrModelEval *model);
/* The lift rows of every augmented model of @result (README, "Statistics"). On error
 * (cancelled, a BLAS limit, the memory budget) returns FALSE and sets @error. */
gboolean         scalr_eval_result_compute_lifts (ScalrEvalResult *result, const ScalrEvalOptions *options,
                                                  GCancellable *cancellable, GError **error);
/* The mean of a ranking metric over the validation users of a segment (NAN when it has
 * none, or for a metric that is not a ranking metric): the validation score. */
double           scalr_eval_valid_mean   (const ScalrEvalResult *result, const ScalrModelEval *model,
                                          ScalrMetric metric, guint k_index, ScalrSegment segment);

/* Metrics of one ranked list against the sorted test items (exposed for tests):
 * fills out[metric][k_index] for the rank metrics. */
void             scalr_eval_rank_metrics (const guint32 *ranked, guint n_ranked, const guint32 *test,
                                          guint n_test, const guint *ks, guint n_ks,
                                          double out[SCALR_N_RANK_METRICS][SCALR_MAX_KS]);
/* Indices of the @k largest finite scores, best first (ties by lower index): a partial
 * selection, not a full sort. Returns how many were found. */
guint            scalr_eval_top_k (const float *scores, guint n, guint k, guint32 *out);

/* Platt scaling: fits P(y = 1 | s) = σ(a·s + b) to @n (score, label) pairs by Newton's
 * method on the log loss (scores standardised inside; a 1e-6 ridge keeps separable data
 * finite). */
void             scalr_eval_platt_fit (const float *scores, const guint8 *labels, gsize n,
                                       double *a, double *b);

/* The one value of a metric for a model and segment — what the metrics table stores, what
 * a lift row's base_mean/aug_mean show and what picks the strongest baseline: catalogue
 * coverage for coverage, the pooled NE of the segment for NE (SCALR's and the paper's NE:
 * total log loss over the segment's test pairs / (pairs × base-rate entropy); not a mean of
 * per-user NEs, which would weigh a user with 2 test events like one with 200), and the
 * mean of the per-user values (over users where it is defined) for every other metric.
 * NAN when undefined. */
double           scalr_eval_aggregate (const ScalrEvalResult *result, const ScalrModelEval *model,
                                       ScalrMetric metric, guint k_index, ScalrSegment segment);

/* ---- pointwise pieces (exposed for tests) ---- */

/* Up to @count negatives for user @u, written to @out: uniform target items (scalr_rng_below
 * over @n_items) not in the user's train, valid or test rows, at most 20 · count draws.
 * Returns how many were found (0 when the user knows every item). */
guint            scalr_eval_sample_negatives (ScalrRng *rng, const ScalrCsr *train, const ScalrCsr *valid,
                                              const ScalrCsr *test, guint u, guint n_items, guint count,
                                              guint32 *out);
/* A user's AUC over its (score, label) pairs: the share of (positive, negative) pairs with the
 * positive scored higher, ties counting ½. NAN without a positive or a negative. */
double           scalr_eval_auc (const float *scores, const guint8 *labels, guint n);
/* The summed log loss of @n pairs under Platt scaling σ(a·s + b), each probability clamped
 * to [1e-12, 1 − 1e-12]; *n_pos (may be NULL) gets the number of positives. */
double           scalr_eval_log_loss (const float *scores, const guint8 *labels, guint n, double a, double b,
                                      guint *n_pos);
/* Normalised entropy: @loss / @pairs / H(@positives / @pairs), H the binary entropy in nats.
 * NAN when @pairs is 0 or the base rate is 0 or 1. */
double           scalr_eval_ne (double loss, double positives, double pairs);
/* Catalogue coverage: distinct items among the first @k of the lists (n_users × max_k,
 * G_MAXUINT32 = none) of the users of @segment (segment_of[u] is SPARSE or WARM; ALL takes
 * every user), over @n_items. 0 when n_items is 0. */
double           scalr_eval_coverage (const guint32 *top_items, guint n_users, guint max_k, guint k,
                                      const guint8 *segment_of, ScalrSegment segment, guint n_items);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrEvalResult, scalr_eval_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrEvalCache, scalr_eval_cache_free)

G_END_DECLS
