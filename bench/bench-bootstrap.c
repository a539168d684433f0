/* bench-bootstrap.c — the lift bootstrap: every row's resampled sums as one blocked W · V
 * product (scalr_bootstrap_accumulate) against the per-row index resampling it replaced
 * (B × n uniform indices per row, as scalr_stats_bootstrap_lift did up to 5fd11f1).
 *
 *   bench-bootstrap [--users N] [--columns C] [--rows R] [--resamples B] [--per-row-rows R0]
 *
 * Prints one JSON object: the sizes, the seconds of each method (the per-row method is run on
 * R0 rows and scaled to R, said as "per_row_extrapolated"), and their ratio. The NumPy
 * reference of the same product is bench/run-bootstrap-bench.sh's second half. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "scalr-blas.h"
#include "scalr-bootstrap.h"
#include "scalr-parallel.h"
#include "scalr-rng.h"

/* The replaced method for one row: B resamples of n indices, Σy/Σx − 1 each, sorted. */
static double
per_row (const double *x, const double *y, gsize stride, gsize n, guint B, guint64 seed)
{
  ScalrRng rng;
  scalr_rng_init (&rng, seed, SCALR_STREAM_BOOTSTRAP, 0);
  double check = 0;
  for (guint b = 0; b < B; b++)
    {
      double sx = 0, sy = 0;
      for (gsize k = 0; k < n; k++)
        {
          guint32 i = scalr_rng_below (&rng, (guint32) n);
          sx += x[i * stride];
          sy += y[i * stride];
        }
      check += sx != 0 ? sy / sx - 1 : 0;
    }
  return check;
}

int
main (int argc, char **argv)
{
  int users = 81187, columns = 36, rows = 51, resamples = 1000, per_row_rows = 2;
  GOptionEntry entries[] = {
    { "users", 0, 0, G_OPTION_ARG_INT, &users, "Evaluated users (default 81187: planted 300k users, 3M events)", "N" },
    { "columns", 0, 0, G_OPTION_ARG_INT, &columns, "Per-user value columns (default 36)", "C" },
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows, "Lift rows (default 51)", "R" },
    { "resamples", 0, 0, G_OPTION_ARG_INT, &resamples, "Bootstrap resamples (default 1000)", "B" },
    { "per-row-rows", 0, 0, G_OPTION_ARG_INT, &per_row_rows, "Rows timed with the per-row method (default 2)", "R0" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- the lift bootstrap, matrix vs per row");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || users < 2 || columns < 2 || rows < 1 || resamples < 1
      || per_row_rows < 1)
    {
      g_printerr ("bench-bootstrap: %s\n", error ? error->message : "sizes must be positive (users, columns ≥ 2)");
      return 2;
    }
  gsize n = (gsize) users, C = (gsize) columns;
  guint B = (guint) resamples;
  g_autofree double *v = g_new (double, n * C);
  g_autofree guint32 *uid = g_new (guint32, n);
  ScalrRng rng;
  scalr_rng_init (&rng, 1, 1000, 0);
  for (gsize i = 0; i < n; i++)
    {
      uid[i] = (guint32) (3 * i + 1);
      for (gsize c = 0; c < C; c++)
        v[i * C + c] = scalr_rng_uniform (&rng) < 0.6 ? 0.0 : scalr_rng_uniform (&rng);   /* many zeros, as recall */
    }
  /* The thread policy (SCALR_THREADS, else every processor) for the weights and the dgemm. */

  /* The matrix method: all columns' sums, then R intervals from pairs of columns. */
  g_autoptr (GTimer) t = g_timer_new ();
  g_autofree double *sums = g_new0 (double, (gsize) B * C);
  if (!scalr_bootstrap_accumulate (42, B, uid, n, v, C, sums, NULL, &error))
    {
      g_printerr ("bench-bootstrap: %s\n", error->message);
      return 1;
    }
  double t_acc = g_timer_elapsed (t, NULL);
  double lo, hi, check = 0;
  for (int r = 0; r < rows; r++)
    {
      gsize cx = (gsize) r % C, cy = ((gsize) r + 1) % C;
      scalr_bootstrap_interval (sums + cx, sums + cy, C, B, 0.95, &lo, &hi);
      check += isfinite (lo) ? lo : 0;
    }
  double t_matrix = g_timer_elapsed (t, NULL);

  /* The per-row method on R0 rows, scaled to R. */
  g_timer_start (t);
  double check_rows = 0;
  g_autofree double *xr = g_new (double, n), *yr = g_new (double, n);
  for (int r = 0; r < per_row_rows; r++)
    {
      /* The replaced code copied a row's pairs into two contiguous arrays first. */
      for (gsize i = 0; i < n; i++)
        xr[i] = v[i * C + (gsize) r % C], yr[i] = v[i * C + ((gsize) r + 1) % C];
      check_rows += per_row (xr, yr, 1, n, B, 42 ^ (guint64) r);
    }
  double t_rows = g_timer_elapsed (t, NULL) * rows / per_row_rows;

  printf ("{\"users\": %zu, \"columns\": %zu, \"rows\": %d, \"resamples\": %u, \"threads\": %u,\n"
          " \"matrix_seconds\": %.3f, \"matrix_accumulate_seconds\": %.3f, \"accumulate_gflops\": %.2f,\n"
          " \"per_row_seconds\": %.3f, \"per_row_extrapolated\": %s, \"per_row_over_matrix\": %.1f,\n"
          " \"checksums\": [%.6g, %.6g]}\n",
          n, C, rows, B, scalr_parallel_get_threads (), t_matrix, t_acc, 2.0 * B * n * C / t_acc / 1e9, t_rows,
          per_row_rows < rows ? "true" : "false", t_rows / t_matrix, check, check_rows);
  return 0;
}
