/* scalr-dist.c — MPI behind one small interface (see scalr-dist.h). Without MPI, or when no
 * launcher started the process, every function is its one-process version. */
#define _GNU_SOURCE 1   /* sched_setaffinity */
#include "config.h"

#include "scalr-dist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#ifdef SCALR_HAVE_MPI
#include <mpi.h>
#endif

G_DEFINE_QUARK (scalr-dist-error-quark, scalr_dist_error)

/* Pieces of at most 1 GiB: MPI counts are int. */
#define PIECE (G_GUINT64_CONSTANT (1) << 30)

static gboolean active;      /* MPI_Init was called by us */
static guint    rank_, size_ = 1, local_size_ = 1;
static const GError *announced;   /* the local error this rank announced last */

gboolean scalr_dist_active (void) { return active; }
guint    scalr_dist_rank (void) { return rank_; }
guint    scalr_dist_size (void) { return size_; }
gboolean scalr_dist_is_root (void) { return rank_ == 0; }
guint    scalr_dist_local_size (void) { return local_size_; }

static gboolean
launched (void)
{
  return g_getenv ("OMPI_COMM_WORLD_SIZE") != NULL || g_getenv ("PMIX_RANK") != NULL
         || g_strcmp0 (g_getenv ("SCALR_MPI"), "1") == 0;
}

/* Ranks that share a node compute their replicated BLAS/LAPACK work (Grams, Cholesky
 * solves) with as many BLAS threads as one process would (OpenBLAS's results depend on its
 * thread count): a launcher that bound each rank to a core would change them. So the rank
 * may run on every processor of the node; the thread policy (scalr-parallel.h, which reads
 * the processors after this) then gives every rank one process's count, and every BLAS
 * call runs with it. */
static void
unbind (void)
{
  long online = sysconf (_SC_NPROCESSORS_ONLN);
  cpu_set_t set;
  CPU_ZERO (&set);
  for (long c = 0; c < online && c < CPU_SETSIZE; c++)
    CPU_SET (c, &set);
  if (online > 0)
    sched_setaffinity (0, sizeof set, &set);
}

gboolean
scalr_dist_init (int *argc, char ***argv, GError **error)
{
#ifdef SCALR_HAVE_MPI
  if (active || !launched ())
    return TRUE;
  /* A rank waiting in a collective (while rank 0 writes the store, say) yields its core to
   * the ranks and threads that work on the same node, unless the user chose otherwise. */
  g_setenv ("OMPI_MCA_mpi_yield_when_idle", "1", FALSE);
  int provided = 0;
  if (MPI_Init_thread (argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    {
      g_set_error (error, SCALR_DIST_ERROR, SCALR_DIST_ERROR_INIT, "MPI could not start (MPI_Init_thread failed)");
      return FALSE;
    }
  active = TRUE;
  int r, s, ls;
  MPI_Comm_rank (MPI_COMM_WORLD, &r);
  MPI_Comm_size (MPI_COMM_WORLD, &s);
  MPI_Comm local;
  MPI_Comm_split_type (MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
  MPI_Comm_size (local, &ls);
  MPI_Comm_free (&local);
  rank_ = (guint) r;
  size_ = (guint) s;
  local_size_ = (guint) MAX (ls, 1);
  if (local_size_ > 1)
    unbind ();
#endif
  return TRUE;
}

void
scalr_dist_finalize (void)
{
#ifdef SCALR_HAVE_MPI
  if (active)
    MPI_Finalize ();
#endif
  active = FALSE;
  rank_ = 0;
  size_ = local_size_ = 1;
}

void
scalr_dist_block_of (guint64 n, guint64 align, guint rank, guint64 *lo, guint64 *hi)
{
  g_return_if_fail (align >= 1 && size_ >= 1);
  guint64 units = (n + align - 1) / align;
  /* units·rank/size without overflow for any realistic unit count (< 2^40 · 2^24). */
  guint64 ulo = (guint64) ((double) units * rank / size_), uhi = (guint64) ((double) units * (rank + 1) / size_);
  if (rank + 1 >= size_)
    uhi = units;
  *lo = MIN (ulo * align, n);
  *hi = MIN (uhi * align, n);
}

void
scalr_dist_block (guint64 n, guint64 align, guint64 *lo, guint64 *hi)
{
  scalr_dist_block_of (n, align, rank_, lo, hi);
}

gboolean
scalr_dist_error_is_agreed (const GError *error)
{
  return error != NULL && ((error->domain == SCALR_DIST_ERROR && error->code == SCALR_DIST_ERROR_REMOTE)
                           || error == announced);
}

gboolean
scalr_dist_agree (GError **error)
{
  gboolean failed = error != NULL && *error != NULL;
  if (!active)
    return !failed;
#ifdef SCALR_HAVE_MPI
  int mine = failed ? (int) rank_ : (int) size_, first = 0;
  MPI_Allreduce (&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if ((guint) first >= size_)
    return TRUE;
  if (failed)
    announced = *error;
  /* The first failing rank's message (bounded: a message is a line or two). */
  char text[4096] = "";
  if ((guint) first == rank_)
    g_strlcpy (text, (*error)->message, sizeof text);
  MPI_Bcast (text, sizeof text, MPI_CHAR, first, MPI_COMM_WORLD);
  text[sizeof text - 1] = '\0';
  if (!failed && error != NULL)
    g_set_error (error, SCALR_DIST_ERROR, SCALR_DIST_ERROR_REMOTE, "rank %d: %s", first, text);
#endif
  return FALSE;
}

void
scalr_dist_barrier (void)
{
#ifdef SCALR_HAVE_MPI
  if (active)
    MPI_Barrier (MPI_COMM_WORLD);
#endif
}

void
scalr_dist_bcast (gpointer buf, guint64 bytes, guint root)
{
#ifdef SCALR_HAVE_MPI
  if (!active || size_ == 1)
    return;
  for (guint64 at = 0; at < bytes; at += PIECE)
    MPI_Bcast ((char *) buf + at, (int) MIN (PIECE, bytes - at), MPI_BYTE, (int) root, MPI_COMM_WORLD);
#endif
}

char *
scalr_dist_bcast_string (const char *text)
{
  gint64 len = text ? (gint64) strlen (text) : -1;
  scalr_dist_bcast (&len, sizeof len, 0);
  if (len < 0)
    return NULL;
  char *copy = g_malloc ((gsize) len + 1);
  if (rank_ == 0)
    memcpy (copy, text, (gsize) len);
  scalr_dist_bcast (copy, (guint64) len, 0);
  copy[len] = '\0';
  return copy;
}

gpointer
scalr_dist_allgatherv (gconstpointer mine, guint64 bytes, guint64 *total, guint64 **sizes)
{
  guint64 *sz = g_new0 (guint64, size_);
  sz[rank_] = bytes;
#ifdef SCALR_HAVE_MPI
  if (active && size_ > 1)
    MPI_Allgather (MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, sz, 1, MPI_UINT64_T, MPI_COMM_WORLD);
#endif
  guint64 sum = 0;
  for (guint r = 0; r < size_; r++)
    sum += sz[r];
  char *out = g_malloc (MAX (sum, 1));
  guint64 at = 0;
  for (guint r = 0; r < size_; r++)
    {
      if (r == rank_ && bytes > 0)
        memcpy (out + at, mine, bytes);
      scalr_dist_bcast (out + at, sz[r], r);
      at += sz[r];
    }
  *total = sum;
  if (sizes)
    *sizes = sz;
  else
    g_free (sz);
  return out;
}

void
scalr_dist_allgather_rows (gpointer data, guint64 n, guint64 row_bytes, guint64 align)
{
  if (!active || size_ == 1)
    return;
  for (guint r = 0; r < size_; r++)
    {
      guint64 lo, hi;
      scalr_dist_block_of (n, align, r, &lo, &hi);
      scalr_dist_bcast ((char *) data + lo * row_bytes, (hi - lo) * row_bytes, r);
    }
}

void
scalr_dist_sum_u64 (guint64 *v, guint64 n)
{
#ifdef SCALR_HAVE_MPI
  if (!active || size_ == 1)
    return;
  for (guint64 at = 0; at < n; at += PIECE / 8)
    MPI_Allreduce (MPI_IN_PLACE, v + at, (int) MIN (PIECE / 8, n - at), MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
#endif
}

void
scalr_dist_sum_double (double *v, guint64 n)
{
#ifdef SCALR_HAVE_MPI
  if (!active || size_ == 1)
    return;
  /* MPI_SUM's order is the library's: gather the pieces and add them in rank order. */
  const guint64 piece = 1 << 20;
  g_autofree double *all = g_new (double, piece * size_);
  for (guint64 at = 0; at < n; at += piece)
    {
      int m = (int) MIN (piece, n - at);
      MPI_Allgather (v + at, m, MPI_DOUBLE, all, m, MPI_DOUBLE, MPI_COMM_WORLD);
      for (int a = 0; a < m; a++)
        {
          double s = all[a];
          for (guint r = 1; r < size_; r++)
            s += all[(gsize) r * m + a];
          v[at + a] = s;
        }
    }
#endif
}

void
scalr_dist_abort (const char *message)
{
  fprintf (stderr, "scalr: %s\n", message);
  fflush (stderr);
#ifdef SCALR_HAVE_MPI
  if (active)
    MPI_Abort (MPI_COMM_WORLD, 1);
#endif
  exit (1);
}

guint64
scalr_dist_peak_rss (void)
{
  struct rusage ru;
  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return 0;
  return (guint64) ru.ru_maxrss * 1024;
}
