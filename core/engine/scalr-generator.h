/* scalr-generator.h — stage 1 of SCALR: models of P(target item | a user's source events).
 *
 * A generator is a small vtable (ScalrGeneratorClass), one file per generator in
 * core/engine/generators/, plus one line in the registry (core/pipeline/scalr-registry.c); the config, CLI, store
 * and GUI pick it up from there. Every generator gives raw scores for a batch of users
 * (row-major, users × target items) that become probabilities by a softmax with temperature
 * τ; generators that model a distribution per source item (cooc) also let the sampler draw
 * from P(· | j) directly, as the paper does. Fitting sees only the split's source events and
 * target *training* events. */
#pragma once

#include <gio/gio.h>

#include "scalr-config.h"
#include "scalr-rng.h"
#include "scalr-split.h"

G_BEGIN_DECLS

#define SCALR_GENERATOR_ERROR (scalr_generator_error_quark ())
GQuark scalr_generator_error_quark (void);

typedef enum {
  SCALR_GENERATOR_ERROR_UNKNOWN,   /* no generator of that name */
  SCALR_GENERATOR_ERROR_TOO_LARGE, /* a size beyond memory or BLAS limits */
  SCALR_GENERATOR_ERROR_NUMERIC,   /* a solve that failed (not positive definite …) */
  SCALR_GENERATOR_ERROR_NO_DATA,   /* nothing to fit on (no overlap user with training events) */
} ScalrGeneratorError;

typedef struct _ScalrGeneratorClass ScalrGeneratorClass;

struct _ScalrGeneratorClass {
  const char       *name;
  const char       *summary;
  const ScalrParam *params;          /* group "generator", NULL-terminated; may be NULL */
  /* Fits a model. On error returns NULL and sets @error. */
  gpointer  (*fit)          (ScalrSplit         *split,
                             const ScalrConfig  *config,
                             ScalrProgress      *progress,
                             GCancellable       *cancellable,
                             GError            **error);
  void      (*free_model)   (gpointer model);
  /* Scores of @n users into @out (n × n_target_items). Thread-safe for a fitted model. */
  void      (*score)        (gpointer model, const guint32 *users, guint n, float *out);
  /* Per-source-item distributions (may be NULL). */
  gboolean  (*item_draw)    (gpointer model, guint32 source_item, ScalrRng *rng,
                             guint32 *out_item, float *out_prob);   /* FALSE: nothing to draw */
  /* Optional: @n draws, one per entry of @sources, into @out_items/@out_probs — the same
   * results as @n item_draw calls in order, but free to overlap their memory accesses. */
  void      (*item_draw_batch) (gpointer model, const guint32 *sources, guint n, ScalrRng *rng,
                                guint32 *out_items, float *out_probs);
  guint     (*item_topk)    (gpointer model, guint32 source_item, guint k,
                             guint32 *out_items, float *out_probs);
  float     (*item_prob)    (gpointer model, guint32 source_item, guint32 item);
  guint32   (*item_support) (gpointer model, guint32 source_item, guint32 item);
};

typedef enum {
  SCALR_TEMPERATURE_FIXED,      /* given in the config */
  SCALR_TEMPERATURE_FITTED,     /* auto: fitted on validation users */
  SCALR_TEMPERATURE_UNDEFINED,  /* auto without validation events: τ = 1 used, nothing fitted */
} ScalrTemperatureStatus;

typedef struct {
  const ScalrGeneratorClass *klass;
  gpointer                   model;        /* owned */
  guint                      n_items;      /* target items */
  double                     temperature;  /* τ of the softmax over scores */
  gboolean                   fitted_temperature;  /* status == FITTED */
  ScalrTemperatureStatus     temperature_status;
  double                     valid_log_lik; /* mean log-likelihood of validation events (NAN if none) */
} ScalrGenerator;

/* Adds a generator to the registry (scalr_registry_init registers the built-in ones; a
 * plug-in or a test may add more at start-up, before other threads run). Registering a
 * second class of the same name is a programmer error. */
void                              scalr_generator_register (const ScalrGeneratorClass *klass);
/* The registered generators, in order. */
const ScalrGeneratorClass *const *scalr_generator_list   (guint *n_out);
const ScalrGeneratorClass        *scalr_generator_lookup (const char *name);
/* [generator] keys shared by every generator (model, temperature). */
extern const ScalrParam scalr_generator_common_params[];

/* Fits the generator named by [generator] model and, with temperature=auto, fits τ by
 * maximum likelihood on the split's validation events. On error returns NULL. */
ScalrGenerator *scalr_generator_fit   (ScalrSplit         *split,
                                       const ScalrConfig  *config,
                                       ScalrProgress      *progress,
                                       GCancellable       *cancellable,
                                       GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void            scalr_generator_free  (ScalrGenerator *gen);

/* Probabilities P(i | u) = softmax(score / τ) for @n users into @out (n × n_items). */
void            scalr_generator_probabilities (ScalrGenerator *gen, const guint32 *users, guint n,
                                               float *out);
/* Softmax of one row in place at temperature @tau. */
void            scalr_softmax_row (float *row, guint n, double tau);

/* Mean log-likelihood of the validation events at temperature @tau (over at most
 * @max_users validation users, a seeded choice), NAN when there are none. */
double          scalr_generator_valid_log_lik (ScalrGenerator *gen, ScalrSplit *split, double tau,
                                               guint max_users);

/* One reliability bin: mean prediction, observed rate with its Wilson 95 % interval, pairs. */
typedef struct {
  double  pred, obs, low, high;   /* NAN for an empty bin */
  guint64 count;
} ScalrCalibrationBin;

/* Reliability of the probabilities on validation users, over what a sampler draws from:
 * each validation user's @top_n most probable items they have not trained on. An item gets
 * q = 1 − (1 − p')^n_u, with p' its probability renormalised over the items not trained on
 * and n_u the user's validation events; the observation is whether it is a validation event.
 * The pairs, sorted by q, fill @n_bins bins of equal count (so no bin is the trivial one of
 * a million near-zero pairs); each has its mean q, observed rate, Wilson 95 % interval and
 * count. Returns the expected calibration error Σ_b (count_b / N) · |obs_b − q_b|, NAN when
 * there is no validation user (the bins are then empty). */
double          scalr_generator_calibration (ScalrGenerator *gen, ScalrSplit *split, guint n_bins, guint top_n,
                                             ScalrCalibrationBin *bins, guint max_users);

/* The Wilson score interval of @k successes in @n trials at normal quantile @z (1.96 for
 * 95 %), clamped to [0, 1]; NAN when n = 0. */
void            scalr_wilson_interval (double k, double n, double z, double *lo, double *hi);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrGenerator, scalr_generator_free)

G_END_DECLS
