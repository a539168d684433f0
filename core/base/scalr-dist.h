/* scalr-dist.h — the one wrapper around MPI: ranks, blocks of users, collectives, and the
 * agreement that stops every rank when one fails.
 *
 * Built without MPI (meson -Dmpi=disabled), or with MPI but not started by a launcher
 * (mpirun sets OMPI_COMM_WORLD_SIZE; a PMIx launcher PMIX_RANK; SCALR_MPI=1 forces it),
 * every function is its single-process version: rank 0 of 1, collectives copy or do
 * nothing. So no other file needs an #ifdef, and the GUI and the tests, which never call
 * scalr_dist_init, run as before.
 *
 * Collectives are called from the thread that called scalr_dist_init (MPI_THREAD_FUNNELED),
 * by every rank in the same order. Each one that can follow a failure starts with
 * scalr_dist_agree: the failure protocol is
 *   - compute code calls scalr_dist_agree (NULL) before a collective and returns FALSE at
 *     once on a local error (no collective after it);
 *   - the top level (the pipeline) announces a local error with scalr_dist_agree (&error);
 *     that call meets the agreement of whatever collective the other ranks reached next, so
 *     every rank stops at the same point and the lowest failing rank's message reaches all
 *     (SCALR_DIST_ERROR_REMOTE, "rank R: MESSAGE"); an error already agreed is not announced
 *     again (scalr_dist_error_is_agreed).
 * A rank that dies (SIGKILL, a crash) ends the whole job through the launcher; the store is
 * then as after any killed run (the run is marked interrupted at the next open).
 *
 * Counts and sizes are 64-bit; messages over 1 GiB go in pieces (MPI counts are int). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCALR_DIST_ERROR (scalr_dist_error_quark ())
GQuark scalr_dist_error_quark (void);

typedef enum {
  SCALR_DIST_ERROR_REMOTE,   /* another rank failed; the message names it */
  SCALR_DIST_ERROR_INIT,     /* MPI could not start */
} ScalrDistError;

/* Starts MPI when a launcher started this process (see above); otherwise does nothing.
 * Call once from main before anything else uses this module. On error returns FALSE and
 * sets SCALR_DIST_ERROR_INIT. */
gboolean scalr_dist_init      (int *argc, char ***argv, GError **error);
/* Ends MPI if scalr_dist_init started it. */
void     scalr_dist_finalize  (void);
/* TRUE when MPI runs (even with one rank). */
gboolean scalr_dist_active    (void);
guint    scalr_dist_rank      (void);
guint    scalr_dist_size      (void);
gboolean scalr_dist_is_root   (void);
/* Ranks on this node (1 without MPI). The thread policy does not divide by it: every rank
 * keeps one process's threads and OpenBLAS count, so its BLAS results are one process's. */
guint    scalr_dist_local_size (void);

/* This rank's block [*lo, *hi) of [0, @n): the rank-th of size() consecutive blocks, cut at
 * multiples of @align (≥ 1) so a block's inner batches are those of a whole run; blocks
 * differ by at most @align (the last ranks may get less, or nothing). */
void     scalr_dist_block     (guint64 n, guint64 align, guint64 *lo, guint64 *hi);
/* The same for any @rank. */
void     scalr_dist_block_of  (guint64 n, guint64 align, guint rank, guint64 *lo, guint64 *hi);

/* Agreement (see above). @error NULL or unset: this rank is fine; set: this rank failed
 * and announces it (the error stays as it is on this rank). Returns TRUE when every rank
 * was fine; else FALSE, and on a rank that was fine @error is set to
 * SCALR_DIST_ERROR_REMOTE with the lowest failing rank's message. */
gboolean scalr_dist_agree     (GError **error);
/* TRUE when @error is the result of an agreement (do not announce it again). */
gboolean scalr_dist_error_is_agreed (const GError *error);

void     scalr_dist_barrier   (void);
/* @bytes at @buf from rank @root to every rank (same @bytes everywhere). */
void     scalr_dist_bcast     (gpointer buf, guint64 bytes, guint root);
/* Rank 0's string to every rank: returns a new copy (NULL stays NULL). */
char    *scalr_dist_bcast_string (const char *text) G_GNUC_WARN_UNUSED_RESULT;
/* Each rank gives @bytes at @mine (sizes may differ); returns the blocks of ranks 0…size−1
 * concatenated (owned, g_free; never NULL) and their total in *@total. With @sizes non-NULL
 * it receives size() block sizes (owned). */
gpointer scalr_dist_allgatherv (gconstpointer mine, guint64 bytes, guint64 *total,
                                guint64 **sizes) G_GNUC_WARN_UNUSED_RESULT;
/* @data holds @n rows of @row_bytes; this rank computed its rows of
 * scalr_dist_block (@n, @align); afterwards every rank holds every row. */
void     scalr_dist_allgather_rows (gpointer data, guint64 n, guint64 row_bytes, guint64 align);
/* Element-wise sums over ranks, identical on every rank. Integers are exact; doubles are
 * added in rank order 0…size−1 (the same result for the same blocks). */
void     scalr_dist_sum_u64    (guint64 *v, guint64 n);
void     scalr_dist_sum_double (double *v, guint64 n);
/* Stops every rank now with @message on stderr (printed by the calling rank). */
G_NORETURN void scalr_dist_abort (const char *message);

/* Peak resident set of this process in bytes (getrusage), for the benchmarks' per-rank
 * report; 0 when unknown. */
guint64  scalr_dist_peak_rss  (void);

G_END_DECLS
