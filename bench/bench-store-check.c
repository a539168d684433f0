/* bench-store-check.c — what checking a stored run costs: scalr_store_check_run (every
 * part's SHA-256 against the run's checksums, every blob, row and document validated) on a
 * fresh connection, against SHA-256 alone (GChecksum) over as many bytes in memory: the floor
 * the reads and validators add to. Prints one JSON object.
 *
 * Usage: bench-store-check --db STORE --run N [--reps R] */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>

#include "scalr-store.h"

/* The bytes of a run's results, as the checksums read them. */
static gint64
run_bytes (const char *db, gint64 run)
{
  sqlite3 *c = NULL;
  if (sqlite3_open_v2 (db, &c, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return -1;
  static const char *const sql[] = {
    "SELECT total(length(users) + length(items) + length(probs) + length(weights) + length(counts)) "
    "FROM run_synthetic_chunks WHERE run_id = ?",
    "SELECT total(length(data)) FROM run_artifacts WHERE run_id = ?",
    "SELECT total(length(users) + length(vals)) FROM run_user_metrics WHERE run_id = ?",
    "SELECT total(length(users) + length(items) + length(scores)) FROM run_recs WHERE run_id = ?",
    "SELECT 8 * 7 * count(*) FROM run_metrics WHERE run_id = ?",
    "SELECT 8 * 18 * count(*) FROM run_lifts WHERE run_id = ?",
  };
  gint64 total = 0;
  for (guint k = 0; k < G_N_ELEMENTS (sql); k++)
    {
      sqlite3_stmt *st = NULL;
      sqlite3_prepare_v2 (c, sql[k], -1, &st, NULL);
      sqlite3_bind_int64 (st, 1, run);
      if (sqlite3_step (st) == SQLITE_ROW)
        total += (gint64) sqlite3_column_double (st, 0);
      sqlite3_finalize (st);
    }
  sqlite3_close (c);
  return total;
}

int
main (int argc, char **argv)
{
  g_autofree char *db = NULL;
  gint64 run = 0;
  int reps = 5;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Store", "DB" },
    { "run", 0, 0, G_OPTION_ARG_INT64, &run, "Run id", "N" },
    { "reps", 0, 0, G_OPTION_ARG_INT, &reps, "Repetitions (the best is reported)", "R" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- the cost of checking a stored run");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || db == NULL || run <= 0 || reps < 1)
    {
      fprintf (stderr, "bench-store-check: %s\n", error ? error->message : "give --db and --run");
      return 2;
    }
  gint64 bytes = run_bytes (db, run);
  double best = G_MAXDOUBLE;
  for (int r = 0; r < reps; r++)
    {
      g_autoptr (ScalrStore) s = scalr_store_open (db, SCALR_STORE_OPEN_READ_ONLY, &error);
      if (s == NULL)
        {
          fprintf (stderr, "bench-store-check: %s\n", error->message);
          return 1;
        }
      gint64 t0 = g_get_monotonic_time ();
      ScalrRunCheck check;
      if (!scalr_store_check_run (s, run, &check, &error))
        {
          fprintf (stderr, "bench-store-check: %s\n", error->message);
          return 1;
        }
      best = MIN (best, (g_get_monotonic_time () - t0) / 1e6);
    }
  /* SHA-256 alone over the same number of bytes, in memory. */
  g_autofree guchar *buf = g_malloc0 (MAX (bytes, 1));
  double sha = G_MAXDOUBLE;
  for (int r = 0; r < reps; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      for (gint64 off = 0; off < bytes; off += 1 << 20)
        g_checksum_update (sum, buf + off, MIN (1 << 20, bytes - off));
      (void) g_checksum_get_string (sum);
      sha = MIN (sha, (g_get_monotonic_time () - t0) / 1e6);
    }
  printf ("{\"run\": %" G_GINT64_FORMAT ", \"bytes\": %" G_GINT64_FORMAT ", \"check_seconds\": %.4f, "
          "\"check_mb_per_s\": %.1f, \"sha256_seconds\": %.4f, \"check_over_sha256\": %.2f}\n",
          run, bytes, best, bytes / 1e6 / best, sha, best / MAX (sha, 1e-9));
  return 0;
}
