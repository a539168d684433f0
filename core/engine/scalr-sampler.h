/* scalr-sampler.h — turns a generator's probabilities into synthetic target events.
 *
 * Strategies: per_event (K draws with replacement per source event, from P(· | j) where the
 * generator has per-source-item distributions, else from P(· | u) — the paper), per_user
 * (a budget B_u = ratio·|S_u| or drawn from the real target activity distribution, taken
 * without replacement by Gumbel-top-k from P^(1/τ)), topk (deterministic: the k most
 * probable items per source event, or per user for user-level generators; k = 1 is the
 * paper's Top-1 ablation). Filters: min_prob, min_support (co-occurrence count, per-event
 * strategies of cooc), exclude items of the user's real target training set, a cap per user
 * (most probable kept), which users get events (all with source events, sparse, cold).
 * Every user has an RNG stream derived from the seed, so the output is the same for a seed
 * whatever the number of threads. Alignment (bucket-wise downsampling) is a separate step. */
#pragma once

#include <gio/gio.h>

#include "scalr-config.h"
#include "scalr-generator.h"
#include "scalr-synthetic.h"

G_BEGIN_DECLS

typedef enum { SCALR_SAMPLE_PER_EVENT, SCALR_SAMPLE_PER_USER, SCALR_SAMPLE_TOPK } ScalrSampleStrategy;
typedef enum { SCALR_BUDGET_RATIO, SCALR_BUDGET_MATCH } ScalrBudgetMode;
typedef enum { SCALR_TARGETS_ALL, SCALR_TARGETS_SPARSE, SCALR_TARGETS_COLD } ScalrTargets;
typedef enum { SCALR_ALIGN_NONE, SCALR_ALIGN_POPULARITY, SCALR_ALIGN_CATEGORY } ScalrAlign;
typedef enum { SCALR_WEIGHT_CONSTANT, SCALR_WEIGHT_PROBABILITY } ScalrWeightMode;

typedef struct {
  ScalrSampleStrategy strategy;
  guint            samples_per_event;  /* K */
  ScalrBudgetMode  budget;
  double           user_ratio;
  guint            k;
  double           temperature;        /* per_user: draws from P^(1/τ) */
  double           min_prob;
  guint            min_support;
  gboolean         exclude_seen;
  guint            max_per_user;       /* 0: no cap */
  ScalrTargets     targets;
  ScalrAlign       align;
  guint            align_buckets;
  double           weight;             /* λ */
  ScalrWeightMode  weight_mode;
  guint64          seed;
  guint            n_threads;          /* 0: the thread policy (scalr-parallel.h) */
} ScalrSamplerOptions;

extern const ScalrParam scalr_sampler_params[];

/* Reads [sampler]. Never fails for a checked config; returns FALSE with @error otherwise. */
gboolean              scalr_sampler_options_from_config (const ScalrConfig   *config,
                                                         ScalrSamplerOptions *options,
                                                         GError             **error);

typedef struct {
  guint64 draws;            /* draws made (before filters; per_user and user-level topk
                             * filter the candidates first, so nothing of theirs is counted
                             * in seen / below_min_prob) */
  guint64 below_min_prob;   /* dropped by min_prob */
  guint64 below_support;    /* dropped by min_support */
  guint64 seen;             /* dropped: already in the user's training set */
  guint64 capped;           /* dropped by max_per_user */
  guint64 aligned_out;      /* dropped by alignment */
  guint   users;            /* users that were sampled for */
} ScalrSamplerReport;

/* Samples. On error (cancelled) returns NULL and sets @error. @report may be NULL. */
ScalrSyntheticEvents *scalr_sampler_run   (ScalrGenerator            *generator,
                                           ScalrSplit                *split,
                                           const ScalrSamplerOptions *options,
                                           ScalrSamplerReport        *report,
                                           ScalrProgress             *progress,
                                           GCancellable              *cancellable,
                                           GError                   **error) G_GNUC_WARN_UNUSED_RESULT;

/* Bucket-wise downsampling: each synthetic pair is kept with the probability that makes the
 * synthetic share of its bucket (item popularity buckets, or the item's first category)
 * match the real training share, the most under-represented bucket keeping everything.
 * Deterministic per user (seeded). Returns a new set; @report->aligned_out is updated. */
ScalrSyntheticEvents *scalr_sampler_align (const ScalrSyntheticEvents *events,
                                           ScalrSplit                 *split,
                                           const ScalrSamplerOptions  *options,
                                           ScalrSamplerReport         *report) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
