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
  double           temperature;        /* per_user, and per_event from a user-level P(· | u): draws
                                        * from P^(1/τ); NAN: auto (scalr_sampler_choose_temperature) */
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
  const guint8    *only_users;         /* borrowed, n_users flags: sample only these (NULL: all) */
  /* TRUE: sample the users of [user_begin, user_end) only (an MPI rank's shard), rounded
   * out to whole blocks of SCALR_SAMPLER_USER_BLOCK users: each user gets exactly the
   * events of a whole run (the same RNG stream and the same scoring batches). */
  gboolean         user_block;
  guint            user_begin, user_end;
} ScalrSamplerOptions;

#define SCALR_SAMPLER_USER_BLOCK 512

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

/* Samples. A temperature of NAN (auto, not resolved by scalr_sampler_choose_temperature)
 * samples at τ = 1. On error (cancelled) returns NULL and sets @error. @report may be NULL. */
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

/* sampler.temperature = auto (scalr-sampler-auto.c says how it chooses). */
#define SCALR_AUTO_TAUS 9
#define SCALR_AUTO_REPEATS 4
typedef enum {
  SCALR_AUTO_FIXED,             /* a temperature was given */
  SCALR_AUTO_NOT_USED,          /* the strategy does not use the sampler's τ (τ = 1) */
  SCALR_AUTO_NO_VALIDATION,     /* nothing to choose on: undefined, τ = 1 used */
  SCALR_AUTO_CHOSEN,            /* chosen on the targeted validation users */
  SCALR_AUTO_CHOSEN_ALL_USERS,  /* chosen on all validation users (the targeted had none) */
} ScalrSamplerAutoStatus;

typedef struct {
  ScalrSamplerAutoStatus status;
  double  temperature;                 /* the τ to sample with */
  guint   users;                       /* validation users the criterion read */
  guint   chosen;                      /* index into taus (CHOSEN*) */
  double  best_hit_rate;               /* NAN unless CHOSEN* */
  double  taus[SCALR_AUTO_TAUS];
  double  hit_rate[SCALR_AUTO_TAUS];   /* NAN where not measured */
  guint64 pairs[SCALR_AUTO_TAUS], hits[SCALR_AUTO_TAUS];
} ScalrSamplerAuto;

/* TRUE when @options' strategy draws from P^(1/τ) with @gen (per_user; per_event from a
 * user-level distribution). */
gboolean    scalr_sampler_temperature_matters (const ScalrGenerator *gen, const ScalrSamplerOptions *options);
/* Chooses τ for @options on the split's validation users (hit rate of the draws, one-standard-
 * error rule towards the larger τ); reads no test event. Fills @out (status NOT_USED or
 * NO_VALIDATION with τ = 1 when there is nothing to choose). On error (cancelled) returns
 * FALSE and sets @error. */
gboolean    scalr_sampler_choose_temperature (ScalrGenerator            *gen,
                                              ScalrSplit                *split,
                                              const ScalrSamplerOptions *options,
                                              ScalrSamplerAuto          *out,
                                              GCancellable              *cancellable,
                                              GError                   **error);
const char *scalr_sampler_auto_status_to_string (ScalrSamplerAutoStatus status);

G_END_DECLS
