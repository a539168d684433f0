/* fuzz-events.h — shared by the event-file targets (fuzz-tsv, fuzz-csv, fuzz-inter,
 * fuzz-items): read the input with the reader, import it, and check what comes back. */
#pragma once

#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-idmap.h"
#include "scalr-import.h"
#include "scalr-reader.h"

#include "fuzz-common.h"

/* The items file of the fixed fixture: ids 1…5 of the usual seeds, with categories. */
static const char fuzz_items_text[] =
  "movieId\ttitle\tyear\tgenres\n"
  "1\tToy Story\t1995\tAdventure|Animation|Comedy\n"
  "2\t\"Quoted\" Title\t\t(no genres listed)\n"
  "31\tDangerous Minds\t1995\tDrama\n"
  "u\tOdd id\t2000\tComedy|Drama\n"
  "i\tAnother\t\tHorror\n";

/* Reads every record of @data in @format, touching every byte of every field. */
static inline void
fuzz_read_all (const uint8_t *data, size_t size, ScalrFormat format)
{
  g_autoptr (ScalrReader) r = scalr_reader_new_for_data ((const char *) data, size, "fuzz", format);
  guint64 last_line = 0;
  for (;;)
    {
      const ScalrField *f;
      guint n = 0;
      g_autoptr (GError) error = NULL;
      if (!scalr_reader_next (r, &f, &n, &error))
        {
          fuzz_check (error != NULL && error->domain == SCALR_READER_ERROR, "reader failed without an error");
          break;
        }
      fuzz_check (error == NULL, "reader succeeded with an error set");
      if (n == 0)
        break;
      guint64 line = scalr_reader_get_line (r);
      fuzz_check (line > last_line, "line %" G_GUINT64_FORMAT " after %" G_GUINT64_FORMAT, line, last_line);
      last_line = line;
      fuzz_check (scalr_reader_get_format (r) != SCALR_FORMAT_AUTO, "format still auto after a record");
      guint sum = 0;
      for (guint k = 0; k < n; k++)
        {
          fuzz_check (f[k].len <= SCALR_READER_MAX_RECORD, "field of %zu bytes", (size_t) f[k].len);
          for (gsize j = 0; j < f[k].len; j++)
            sum += (guchar) f[k].str[j];
          double x;
          gint64 i;
          if (scalr_field_to_double (&f[k], &x))
            fuzz_check (isfinite (x), "non-finite double accepted");
          (void) scalr_field_to_int64 (&f[k], &i);
          g_autofree char *s = scalr_field_dup (&f[k]);
          fuzz_check (strlen (s) == f[k].len, "field with a NUL byte");
        }
      (void) sum;
      fuzz_check (scalr_reader_get_offset (r) <= size, "offset past the end");
    }
}

/* Checks the invariants of an imported dataset. */
static inline void
fuzz_check_dataset (ScalrDataset *d)
{
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  guint n_users = scalr_dataset_get_n_users (d), n_items = scalr_dataset_get_n_items (d);
  ScalrIdMap *users = scalr_dataset_get_users (d), *items = scalr_dataset_get_items (d);
  ScalrIdMap *domains = scalr_dataset_get_domains (d), *cats = scalr_dataset_get_categories (d);
  fuzz_check (ev.n_events == scalr_dataset_get_n_events (d) && ev.n_events > 0, "events");
  fuzz_check (scalr_id_map_get_size (users) == n_users && scalr_id_map_get_size (items) == n_items, "id maps");
  fuzz_check (ev.user_ptr[0] == 0 && ev.user_ptr[n_users] == ev.n_events, "user_ptr ends");
  guint n_domains = domains ? scalr_id_map_get_size (domains) : 0;
  for (guint u = 0; u < n_users; u++)
    {
      fuzz_check (ev.user_ptr[u] < ev.user_ptr[u + 1], "user %u without events", u);
      const char *name = scalr_id_map_get_name (users, u);
      ScalrId back;
      fuzz_check (scalr_id_map_lookup (users, name, strlen (name), &back) && back == u, "user %u", u);
      for (guint64 e = ev.user_ptr[u]; e < ev.user_ptr[u + 1]; e++)
        {
          fuzz_check (ev.item[e] < n_items, "item id");
          fuzz_check (ev.domain[e] < MAX (n_domains, 1), "domain id");
          fuzz_check (isfinite (ev.rating[e]) && isfinite (ev.timestamp[e]), "rating/timestamp");
          if (e > ev.user_ptr[u])   /* sorted by (domain, item), no duplicates */
            fuzz_check (ev.domain[e - 1] < ev.domain[e]
                        || (ev.domain[e - 1] == ev.domain[e] && ev.item[e - 1] < ev.item[e]), "order");
        }
    }
  for (guint i = 0; i < n_items; i++)
    {
      const char *name = scalr_id_map_get_name (items, i);
      ScalrId back;
      fuzz_check (g_utf8_validate (name, -1, NULL), "item name not UTF-8");
      fuzz_check (scalr_id_map_lookup (items, name, strlen (name), &back) && back == i, "item %u", i);
      if (scalr_dataset_has_item_metadata (d))
        {
          const char *title = scalr_dataset_get_item_title (d, i);
          fuzz_check (title == NULL || g_utf8_validate (title, -1, NULL), "title not UTF-8");
          guint nc = 0;
          const guint32 *c = scalr_dataset_get_item_categories (d, i, &nc);
          for (guint k = 0; k < nc; k++)
            fuzz_check (c[k] < scalr_id_map_get_size (cats), "category id");
        }
    }
  fuzz_check (strlen (scalr_dataset_get_fingerprint (d)) == 64, "fingerprint");
  (void) scalr_dataset_get_memory (d);
}

/* Imports @events_path (and @items_path when not NULL) and checks the result. */
static inline void
fuzz_import (const char *events_path, const char *items_path, ScalrFormat format,
             const char *user_column, const char *item_column)
{
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("fuzz");
  o->format = format;
  scalr_import_options_add_events (o, events_path, NULL);
  o->items_path = g_strdup (items_path);
  o->user_column = g_strdup (user_column);
  o->item_column = g_strdup (item_column);
  ScalrImportReport report;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = scalr_import_dataset_full (o, NULL, NULL, &report, &error);
  if (d == NULL)
    {
      fuzz_check (error != NULL, "import failed without an error");
      return;
    }
  fuzz_check (error == NULL, "import succeeded with an error set");
  fuzz_check (scalr_dataset_get_n_events (d) + scalr_dataset_get_n_duplicates (d) == report.lines,
              "%" G_GUINT64_FORMAT " events + %" G_GUINT64_FORMAT " duplicates != %" G_GUINT64_FORMAT " lines",
              scalr_dataset_get_n_events (d), scalr_dataset_get_n_duplicates (d), report.lines);
  fuzz_check_dataset (d);
}

/* The event-file targets: the reader in @format, then the importer with @format; then
 * either with auto-detection (by @file_name's extension or the content) plus the fixed
 * items file, or with columns by position. One of the two, chosen by the input's size,
 * keeps each run short (every import allocates a 4 MiB read buffer, slow under ASan). */
static inline void
fuzz_events (const uint8_t *data, size_t size, ScalrFormat format, const char *file_name)
{
  fuzz_read_all (data, size, format);
  g_autofree char *path = fuzz_write_file (file_name, data, size);
  fuzz_import (path, NULL, format, NULL, NULL);
  if (size % 2 == 0)
    {
      g_autofree char *items = fuzz_write_file ("items.tsv", fuzz_items_text, sizeof fuzz_items_text - 1);
      fuzz_import (path, items, SCALR_FORMAT_AUTO, NULL, NULL);
    }
  else
    fuzz_import (path, NULL, format, "2", "1");
}
