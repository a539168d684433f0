/* scalr-ials.h — the weighted implicit ALS core (Hu, Koren & Volinsky 2008) with a
 * conjugate-gradient solver (Takács, Pilászy & Tikk 2011), shared by the `ials` recommender,
 * the `embmap` generator, the benchmarks and the tests; plus the size checks and the
 * initialisation that every matrix-factorisation model uses.
 *
 * Loss: Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ (Σ‖x_u‖² + Σ‖y_i‖²), p_ui = 1 on the matrix's
 * entries and 0 elsewhere, c_ui = 1 + α·w_ui (w the entry's value, 1 when values are NULL;
 * negative weights count as 0). Factors are row-major float arrays (rows × factors). Every
 * row's update reads only the other side, so results do not depend on the thread count. */
#pragma once

#include <gio/gio.h>

#include "scalr-csr.h"
#include "scalr-progress.h"
#include "scalr-config.h"
#include "scalr-recommender-error.h"
#include "scalr-rng.h"

G_BEGIN_DECLS

typedef struct {
  guint    factors;     /* k */
  double   alpha;       /* confidence per unit of weight */
  double   reg;         /* λ */
  guint    iters;       /* alternating (user, item) iterations */
  guint    cg_steps;    /* conjugate-gradient steps per row update */
  guint64  seed;        /* initialisation */
  guint    n_threads;   /* 0: the thread policy (scalr-parallel.h) */
  /* Progress within an iteration (set by _scalr_ials_fit; NULL: none): rows done move the
   * fraction from @progress_from over @progress_span. */
  ScalrProgress *progress;
  const char    *progress_stage;
  double         progress_from, progress_span;
} ScalrIalsOptions;

#define SCALR_IALS_OPTIONS_INIT { 64, 10.0, 0.1, 10, 3, 0, 0 }

/* Checks, before anything is allocated, that @n_users × @factors and @n_items × @factors
 * float arrays fit the address space and the memory budget (scalr-limits.h, the one memory
 * check), and that the dimensions fit BLAS. On error returns FALSE and sets
 * SCALR_RECOMMENDER_ERROR_TOO_LARGE naming @what. */
gboolean _scalr_mf_check_sizes  (const char *what, guint n_users, guint n_items, guint factors,
                                 GError **error);

/* A standard normal draw (Box–Muller). */
static inline double
_scalr_mf_normal (ScalrRng *rng)
{
  double u1 = scalr_rng_uniform (rng), u2 = scalr_rng_uniform (rng);
  return sqrt (-2.0 * log (1.0 - u1)) * cos (2.0 * G_PI * u2);
}

/* Fills @n_rows × @factors values N(0, @std²); row r from its own stream
 * (seed, SCALR_STREAM_MODEL, @stream_base + r). */
void     _scalr_mf_init_factors (float *f, guint n_rows, guint factors, double std, guint64 seed,
                                 guint64 stream_base);

/* Allocates and initialises user (n_rows × k) and item (n_cols × k) factors of @m, N(0, 0.01²),
 * user row u from stream (seed, MODEL, u), item row i from (seed, MODEL, 2³² + i).
 * On error (sizes) returns FALSE, sets @error and allocates nothing. */
gboolean _scalr_ials_init       (const ScalrCsr *m, const ScalrIalsOptions *o,
                                 float **user_factors, float **item_factors, GError **error);

/* One half-iteration: updates every row r of @self (rows->n_rows × k) with o->cg_steps CG
 * steps warm-started from its current value, solving
 *   (OᵀO + Σ_{i∈r} (c_ri − 1) o_i o_iᵀ + λI) x_r = Σ_{i∈r} c_ri o_i
 * with @other = O (rows->n_cols × k) fixed. Under MPI a collective: each rank updates the
 * rows of its block (scalr_dist_block with 64-row alignment) and every rank then holds every
 * row, the same as in one process. On cancellation or a BLAS error returns FALSE;
 * rows may then be partly updated. */
gboolean _scalr_ials_half       (const ScalrCsr *rows, const float *other, float *self,
                                 const ScalrIalsOptions *o, GCancellable *cancellable, GError **error);

/* One iteration: users given items, then items given users. @mt is the transpose of @m. */
gboolean _scalr_ials_epoch      (const ScalrCsr *m, const ScalrCsr *mt, float *user_factors,
                                 float *item_factors, const ScalrIalsOptions *o,
                                 GCancellable *cancellable, GError **error);

/* Initialises and runs o->iters iterations, reporting progress under @stage between
 * @from and @to. On error (TOO_LARGE, cancellation) returns FALSE, sets @error and the
 * outputs are untouched; on success they are owned by the caller (g_free). */
gboolean _scalr_ials_fit        (const ScalrCsr *m, const ScalrIalsOptions *o,
                                 float **user_factors, float **item_factors,
                                 ScalrProgress *progress, const char *stage, double from, double to,
                                 GCancellable *cancellable, GError **error);

/* out (n × n_items) = rows @users of @user_factors times item_factorsᵀ (one sgemm). */
void     _scalr_mf_score        (const float *user_factors, const float *item_factors, guint n_items,
                                 guint factors, const guint32 *users, guint n, float *out);

G_END_DECLS
