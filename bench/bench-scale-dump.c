/* bench-scale-dump.c — writes a stored run's split as binary CSR files for the NumPy/SciPy
 * reference of the scale benchmark (bench/reference_scale.py): the same source events and
 * target training and test events the run used, rebuilt from its config (deterministic).
 *
 *   bench-scale-dump --db STORE --run RUN --out DIR
 *
 * DIR gets meta.json (users, source_items, target_items, nnz of each matrix) and
 * {source,train,test}_{indptr,indices}.bin (little-endian int64 row pointers, int32 column
 * indices; the layout of bench/reference_numpy.py). */
#include "config.h"

#include "scalr-registry.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "scalr-domains.h"
#include "scalr-pipeline.h"
#include "scalr-store.h"

static gboolean
write_csr (const char *dir, const char *name, const ScalrCsr *m, GError **error)
{
  g_autofree char *ip = g_strdup_printf ("%s/%s_indptr.bin", dir, name);
  g_autofree char *ix = g_strdup_printf ("%s/%s_indices.bin", dir, name);
  g_autofree gint64 *ptr = g_new (gint64, (gsize) m->n_rows + 1);
  for (guint r = 0; r <= m->n_rows; r++)
    ptr[r] = (gint64) m->indptr[r];
  return g_file_set_contents (ip, (const char *) ptr, (gssize) (((gsize) m->n_rows + 1) * sizeof (gint64)), error)
         && g_file_set_contents (ix, (const char *) m->indices, (gssize) (m->nnz * sizeof (guint32)), error);
}

int
main (int argc, char **argv)
{
  scalr_registry_init ();
  g_autofree char *db = NULL, *out = NULL;
  gint64 run_id = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store", "DB" },
    { "run", 0, 0, G_OPTION_ARG_INT64, &run_id, "Run whose split is written", "RUN" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Output directory (created)", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- a run's split as CSR files for the NumPy reference");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || db == NULL || out == NULL || run_id <= 0)
    {
      g_printerr ("bench-scale-dump: %s\n", error ? error->message : "--db, --run and --out are required");
      return 2;
    }
  g_autoptr (ScalrStore) store = scalr_store_open (db, SCALR_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (ScalrRunInfo) run = store ? scalr_store_load_run (store, run_id, &error) : NULL;
  g_autoptr (ScalrConfig) config = run ? scalr_config_new_from_data (run->config, -1, "run config", &error) : NULL;
  ScalrDomains *domains = NULL;
  ScalrSplit *split = NULL;
  if (config == NULL || !scalr_pipeline_rebuild_split (store, config, &domains, &split, &error)
      || g_mkdir_with_parents (out, 0755) != 0)
    {
      g_printerr ("bench-scale-dump: %s\n", error ? error->message : "cannot create the output directory");
      return 1;
    }
  const ScalrCsr *S = scalr_split_get_source (split), *T = scalr_split_get_train (split), *X = scalr_split_get_test (split);
  g_autofree char *meta = g_strdup_printf (
    "{\"users\": %u, \"source_items\": %u, \"target_items\": %u, \"items\": %u,"
    " \"source_nnz\": %" G_GUINT64_FORMAT ", \"train_nnz\": %" G_GUINT64_FORMAT ", \"test_nnz\": %" G_GUINT64_FORMAT "}\n",
    S->n_rows, S->n_cols, T->n_cols, T->n_cols, S->nnz, T->nnz, X->nnz);
  g_autofree char *meta_path = g_build_filename (out, "meta.json", NULL);
  gboolean ok = write_csr (out, "source", S, &error) && write_csr (out, "train", T, &error)
                && write_csr (out, "test", X, &error) && g_file_set_contents (meta_path, meta, -1, &error);
  scalr_split_free (split);
  scalr_domains_unref (domains);
  if (!ok)
    {
      g_printerr ("bench-scale-dump: %s\n", error->message);
      return 1;
    }
  return 0;
}
