/* bench-import.c — import benchmark: parse → id maps → dataset → per-domain CSR → store.
 *
 * Runs each phase once, in one process, and reports wall and CPU seconds, events per
 * second, and memory: for each phase the peak RSS of that phase alone (VmHWM after
 * resetting it through /proc/self/clear_refs), the RSS before and after, and bytes per
 * event = (phase peak − RSS before) / events. A reference scan of the same file (read()
 * in 4 MiB blocks + memchr for newlines, after one warm-up pass so both see the page
 * cache) puts the parse rate in proportion. Breakdown passes (reader only; reader +
 * numbers + id maps) run last, so they do not disturb the heap of the main phases. */
#include "config.h"

#include "scalr-registry.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-import.h"
#include "scalr-reader.h"
#include "scalr-store.h"

/* ---- measurement ------------------------------------------------------------------ */

typedef struct {
  const char *key;          /* short name for JSON */
  char       *label;        /* owned: shown in the table */
  gboolean    reference;    /* a reference or breakdown figure, not a pipeline phase */
  double      wall;         /* seconds */
  double      cpu;          /* process CPU seconds (all threads) */
  guint64     units;        /* events processed */
  guint64     rss_before;   /* bytes */
  guint64     peak;         /* bytes: VmHWM of the phase (process peak if it cannot be reset) */
  guint64     rss_after;    /* bytes */
  double      rate_ratio;   /* events/s relative to the raw scan; 0 if not applicable */
} Phase;

typedef struct {
  gint64  t0;
  double  cpu0;
  guint64 rss0;
} PhaseClock;

static gboolean hwm_resettable = TRUE;
static guint64 process_peak = 0;

static double
cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* VmRSS and VmHWM in bytes from /proc/self/status. */
static void
mem_read (guint64 *rss, guint64 *hwm)
{
  *rss = *hwm = 0;
  g_autofree char *text = NULL;
  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return;
  for (char *line = text; line && *line; )
    {
      char *nl = strchr (line, '\n');
      if (g_str_has_prefix (line, "VmRSS:"))
        *rss = g_ascii_strtoull (line + 6, NULL, 10) * 1024;
      else if (g_str_has_prefix (line, "VmHWM:"))
        *hwm = g_ascii_strtoull (line + 6, NULL, 10) * 1024;
      line = nl ? nl + 1 : NULL;
    }
}

/* Resets VmHWM to the current RSS (Linux ≥ 4.0: "5" > /proc/self/clear_refs). */
static void
hwm_reset (void)
{
  if (!hwm_resettable)
    return;
  int fd = open ("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write (fd, "5", 1) != 1)
    hwm_resettable = FALSE;
  if (fd >= 0)
    close (fd);
}

static void
clock_start (PhaseClock *c)
{
  guint64 hwm;
  mem_read (&c->rss0, &hwm);
  process_peak = MAX (process_peak, hwm);
  hwm_reset ();
  c->cpu0 = cpu_seconds ();
  c->t0 = g_get_monotonic_time ();
}

static Phase *
clock_stop (GPtrArray *phases, const PhaseClock *c, const char *key, const char *label,
            gboolean reference, guint64 units)
{
  gint64 t1 = g_get_monotonic_time ();
  double cpu1 = cpu_seconds ();
  Phase *p = g_new0 (Phase, 1);
  p->key = key;
  p->label = g_strdup (label);
  p->reference = reference;
  p->wall = (double) (t1 - c->t0) / 1e6;
  p->cpu = cpu1 - c->cpu0;
  p->units = units;
  p->rss_before = c->rss0;
  mem_read (&p->rss_after, &p->peak);
  process_peak = MAX (process_peak, p->peak);
  g_ptr_array_add (phases, p);
  return p;
}

static void
phase_free (Phase *p)
{
  g_free (p->label);
  g_free (p);
}

static double
phase_rate (const Phase *p)
{
  return p->wall > 0 ? (double) p->units / p->wall : 0;
}

static double
phase_peak_per_event (const Phase *p, guint64 events)
{
  return events ? ((double) p->peak - (double) p->rss_before) / (double) events : 0;
}

static double
phase_rss_per_event (const Phase *p, guint64 events)
{
  return events ? ((double) p->rss_after - (double) p->rss_before) / (double) events : 0;
}

/* ---- reference: raw scan ---------------------------------------------------------- */

static gboolean
raw_scan (const char *path, guint64 *bytes, guint64 *newlines, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv), "%s: %s", path, g_strerror (errsv));
      return FALSE;
    }
  enum { BLOCK = 4 << 20 };
  g_autofree char *buf = g_malloc (BLOCK);
  guint64 nb = 0, nl = 0;
  for (;;)
    {
      ssize_t n = read (fd, buf, BLOCK);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv), "%s: %s", path, g_strerror (errsv));
          return FALSE;
        }
      if (n == 0)
        break;
      nb += (guint64) n;
      const char *p = buf, *end = buf + n;
      while ((p = memchr (p, '\n', (size_t) (end - p))) != NULL)
        {
          nl++;
          p++;
        }
    }
  close (fd);
  *bytes = nb;
  *newlines = nl;
  return TRUE;
}

/* ---- breakdown passes: the importer's work, one layer at a time ------------------- */

static int
find_col (const ScalrField *f, guint n, const char *const *names)
{
  for (guint k = 0; names[k]; k++)
    for (guint c = 0; c < n; c++)
      {
        g_autofree char *h = g_ascii_strdown (f[c].str, (gssize) f[c].len);
        char *colon = strrchr (h, ':');
        if (colon)
          *colon = '\0';
        if (g_str_equal (h, names[k]))
          return (int) c;
      }
  return -1;
}

/* Reader only (split records into fields). Returns the record count or -1. */
static gint64
pass_reader (const char *path, ScalrFormat format, GError **error)
{
  g_autoptr (ScalrReader) r = scalr_reader_new (path, format, error);
  if (r == NULL)
    return -1;
  const ScalrField *f;
  guint n;
  gint64 records = 0;
  for (;;)
    {
      if (!scalr_reader_next (r, &f, &n, error))
        return -1;
      if (n == 0)
        break;
      records++;
    }
  return records - 1;   /* the header */
}

/* Reader + UTF-8 checks + numbers + id maps: what the importer does per line, without
 * appending to the dataset builder. Returns the event count or -1. */
static gint64
pass_parse_intern (const char *path, ScalrFormat format, gsize *map_bytes, GError **error)
{
  static const char *const user_names[] = { "user_id", "userid", "user", "uid", NULL };
  static const char *const item_names[] = { "item_id", "itemid", "item", "movieid", "movie_id", "iid", NULL };
  static const char *const rating_names[] = { "rating", "score", NULL };
  static const char *const ts_names[] = { "timestamp", "time", "ts", NULL };
  static const char *const domain_names[] = { "domain", NULL };
  g_autoptr (ScalrReader) r = scalr_reader_new (path, format, error);
  if (r == NULL)
    return -1;
  const ScalrField *f;
  guint n;
  if (!scalr_reader_next (r, &f, &n, error))
    return -1;
  int cu = find_col (f, n, user_names), ci = find_col (f, n, item_names);
  int cr = find_col (f, n, rating_names), ct = find_col (f, n, ts_names), cd = find_col (f, n, domain_names);
  if (cu < 0 || ci < 0)
    {
      g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_HEADER, "%s: no user or item column", path);
      return -1;
    }
  g_autoptr (ScalrIdMap) users = scalr_id_map_new ();
  g_autoptr (ScalrIdMap) items = scalr_id_map_new ();
  g_autoptr (ScalrIdMap) domains = scalr_id_map_new ();
  gint64 events = 0;
  double sink = 0;
  guint64 idsum = 0;
  /* Ids are interned a batch at a time, as the importer does (scalr_id_map_intern_many);
   * keys are copied out of the reader's buffer, which moves. */
  enum { BATCH = 1024 };
  g_autoptr (GByteArray) keys = g_byte_array_new ();
  gsize off[2][BATCH], len[2][BATCH], nb = 0;
  const char *ptr[BATCH];
  ScalrId ids[BATCH];
  for (;;)
    {
      if (!scalr_reader_next (r, &f, &n, error))
        return -1;
      if (n == 0 || nb == BATCH)
        {
          for (int m = 0; m < 2; m++)
            {
              for (gsize k = 0; k < nb; k++)
                ptr[k] = (const char *) keys->data + off[m][k];
              scalr_id_map_intern_many (m == 0 ? users : items, ptr, len[m], nb, ids);
              for (gsize k = 0; k < nb; k++)
                idsum += ids[k];
            }
          nb = 0;
          g_byte_array_set_size (keys, 0);
        }
      if (n == 0)
        break;
      double rating = 1, ts = 0;
      if (!g_utf8_validate_len (f[cu].str, f[cu].len, NULL) || !g_utf8_validate_len (f[ci].str, f[ci].len, NULL)
          || (cr >= 0 && !scalr_field_to_double (&f[cr], &rating))
          || (ct >= 0 && !scalr_field_to_double (&f[ct], &ts)))
        {
          scalr_reader_set_error (r, error, SCALR_READER_ERROR_VALUE, "bad field");
          return -1;
        }
      if (cd >= 0)
        idsum += scalr_id_map_intern (domains, f[cd].str, f[cd].len, NULL);
      off[0][nb] = keys->len;
      len[0][nb] = f[cu].len;
      g_byte_array_append (keys, (const guint8 *) f[cu].str, (guint) f[cu].len);
      off[1][nb] = keys->len;
      len[1][nb] = f[ci].len;
      g_byte_array_append (keys, (const guint8 *) f[ci].str, (guint) f[ci].len);
      nb++;
      sink += rating + ts;
      events++;
    }
  *map_bytes = scalr_id_map_get_memory (users) + scalr_id_map_get_memory (items)
               + scalr_id_map_get_memory (domains);
  if (sink == -1.0 && idsum == 1)   /* keep the work observable */
    g_printerr (" ");
  return events;
}

/* ---- the fingerprint, recomputed through the public API ---------------------------
 * This mirrors compute_fingerprint() in core/scalr-dataset.c; the result is compared
 * with the dataset's own, so the timing is of the same work. */

static char *
recompute_fingerprint (ScalrDataset *d)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint n_users = scalr_dataset_get_n_users (d);
  guint n_items = scalr_dataset_get_n_items (d);
  const char *tag = "scalr-dataset-v1";
  g_checksum_update (sum, (const guchar *) tag, (gssize) strlen (tag) + 1);
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  enum { REC = 4 + 4 + 1 + 4 + 8, PER = 4096 };
  g_autofree guint8 *buf = g_malloc (REC * PER);
  guint fill = 0;
  for (guint u = 0; u < n_users; u++)
    for (guint64 k = ev.user_ptr[u]; k < ev.user_ptr[u + 1]; k++)
      {
        guint8 *p = buf + (gsize) fill * REC;
        guint32 uu = GUINT32_TO_LE (u), ii = GUINT32_TO_LE (ev.item[k]);
        guint32 rr;
        guint64 tt;
        memcpy (&rr, &ev.rating[k], 4);
        memcpy (&tt, &ev.timestamp[k], 8);
        rr = GUINT32_TO_LE (rr);
        tt = GUINT64_TO_LE (tt);
        memcpy (p, &uu, 4);
        memcpy (p + 4, &ii, 4);
        p[8] = ev.domain[k];
        memcpy (p + 9, &rr, 4);
        memcpy (p + 13, &tt, 8);
        if (++fill == PER)
          {
            g_checksum_update (sum, buf, (gssize) fill * REC);
            fill = 0;
          }
      }
  if (fill)
    g_checksum_update (sum, buf, (gssize) fill * REC);
  ScalrIdMap *maps[] = { scalr_dataset_get_users (d), scalr_dataset_get_items (d),
                         scalr_dataset_get_domains (d), scalr_dataset_get_categories (d) };
  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      gsize len;
      const char *arena = scalr_id_map_get_arena (maps[m], &len);
      guint64 len_le = GUINT64_TO_LE ((guint64) len);
      g_checksum_update (sum, (const guchar *) &len_le, 8);
      g_checksum_update (sum, (const guchar *) arena, (gssize) len);
    }
  gboolean meta = scalr_dataset_has_item_metadata (d);
  guint8 flags = (guint8) ((scalr_dataset_has_ratings (d) ? 1 : 0) | (scalr_dataset_has_timestamps (d) ? 2 : 0)
                           | (meta ? 4 : 0));
  g_checksum_update (sum, &flags, 1);
  if (meta)
    for (guint i = 0; i < n_items; i++)
      {
        const char *t = scalr_dataset_get_item_title (d, i);
        if (t == NULL)
          t = "";
        g_checksum_update (sum, (const guchar *) t, (gssize) strlen (t) + 1);
        guint nc;
        const guint32 *cats = scalr_dataset_get_item_categories (d, i, &nc);
        guint32 nc_le = GUINT32_TO_LE (nc);
        g_checksum_update (sum, (const guchar *) &nc_le, 4);
        for (guint c = 0; c < nc; c++)
          {
            guint32 cc = GUINT32_TO_LE (cats[c]);
            g_checksum_update (sum, (const guchar *) &cc, 4);
          }
      }
  return g_strdup (g_checksum_get_string (sum));
}

static gsize
domain_bytes (const ScalrDomain *dom)
{
  const ScalrCsr *m = dom->matrix;
  return ((gsize) m->n_rows + 1) * sizeof (guint64)
         + m->nnz * (sizeof (guint32) + (m->values ? sizeof (float) : 0) + sizeof (double))
         + (gsize) dom->n_items * sizeof (ScalrId);
}

/* ---- options ---------------------------------------------------------------------- */

static char *opt_events = NULL;
static char *opt_items = NULL;
static char *opt_db = NULL;
static char *opt_source = NULL;
static char *opt_target = NULL;
static char *opt_format = NULL;
static char *opt_name = NULL;
static gboolean opt_json = FALSE;
static gboolean opt_keep_db = FALSE;
static gboolean opt_no_breakdown = FALSE;
static gboolean opt_no_store = FALSE;

static const GOptionEntry entries[] = {
  { "events", 'e', 0, G_OPTION_ARG_FILENAME, &opt_events, "Events file (required)", "FILE" },
  { "items", 'i', 0, G_OPTION_ARG_FILENAME, &opt_items, "Items file (title, categories)", "FILE" },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Store file to create (must not exist; default: a temporary file, removed)", "PATH" },
  { "source", 0, 0, G_OPTION_ARG_STRING, &opt_source, "Source domain rule (default domain:source when the events have that label)", "RULE" },
  { "target", 0, 0, G_OPTION_ARG_STRING, &opt_target, "Target domain rule (default domain:target)", "RULE" },
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "Events format: auto (default), tsv, csv, inter", "FORMAT" },
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name, "Dataset name (default bench)", "NAME" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON instead of the table", NULL },
  { "keep-db", 0, 0, G_OPTION_ARG_NONE, &opt_keep_db, "Keep the store file", NULL },
  { "no-breakdown", 0, 0, G_OPTION_ARG_NONE, &opt_no_breakdown, "Skip the reader / id-map breakdown passes", NULL },
  { "no-store", 0, 0, G_OPTION_ARG_NONE, &opt_no_store, "Skip the store write and load", NULL },
  G_OPTION_ENTRY_NULL
};

/* ---- the run ---------------------------------------------------------------------- */

typedef struct {
  guint64   file_bytes;
  guint64   lines;          /* data lines (events before merging duplicates) */
  guint64   n_events;       /* after merging */
  guint64   n_duplicates;
  guint     n_users, n_items;
  gsize     dataset_memory;
  char     *fingerprint;    /* owned */
  gboolean  fingerprint_match;
  char     *source_rule;    /* owned */
  char     *target_rule;    /* owned */
  guint64   source_nnz, target_nnz;
  guint     source_items, target_items, n_overlap;
  gsize     domains_memory;
  guint64   db_bytes;
  char     *db_path;        /* owned */
  double    raw_cold_wall;
  gsize     parse_map_bytes;
  /* derived */
  double    parse_csr_rate;
  double    parse_csr_peak_per_event;
  double    steady_per_event;
} Summary;

static void
summary_clear (Summary *s)
{
  g_free (s->fingerprint);
  g_free (s->source_rule);
  g_free (s->target_rule);
  g_free (s->db_path);
}

static guint64
file_size (const char *path)
{
  GStatBuf st;
  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

static void
remove_store (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  for (guint k = 0; k < G_N_ELEMENTS (suffixes); k++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[k], NULL);
      g_unlink (p);
    }
}

static Phase *
find_phase (GPtrArray *phases, const char *key)
{
  for (guint k = 0; k < phases->len; k++)
    {
      Phase *p = g_ptr_array_index (phases, k);
      if (g_str_equal (p->key, key))
        return p;
    }
  return NULL;
}

static gboolean
run (GPtrArray *phases, Summary *s, GError **error)
{
  ScalrFormat format = SCALR_FORMAT_AUTO;
  if (opt_format && !scalr_format_from_string (opt_format, &format, error))
    return FALSE;
  PhaseClock c;

  /* Reference: warm-up pass (loads the page cache, as the importer will see it), then timed. */
  guint64 bytes = 0, newlines = 0;
  gint64 t_cold = g_get_monotonic_time ();
  if (!raw_scan (opt_events, &bytes, &newlines, error))
    return FALSE;
  s->raw_cold_wall = (double) (g_get_monotonic_time () - t_cold) / 1e6;
  clock_start (&c);
  if (!raw_scan (opt_events, &bytes, &newlines, error))
    return FALSE;
  Phase *raw = clock_stop (phases, &c, "raw_scan", "raw read 4 MiB + memchr (reference)", TRUE,
                           newlines > 0 ? newlines - 1 : 0);
  s->file_bytes = bytes;
  if (opt_items)
    {
      guint64 ib, il;
      if (!raw_scan (opt_items, &ib, &il, error))   /* warm the items file too */
        return FALSE;
    }

  /* (a) parse → id maps → normalised dataset (fingerprint included). */
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup (opt_name ? opt_name : "bench");
  o->format = format;
  scalr_import_options_add_events (o, opt_events, NULL);
  o->items_path = g_strdup (opt_items);
  ScalrImportReport report;
  clock_start (&c);
  g_autoptr (ScalrDataset) d = scalr_import_dataset_full (o, NULL, NULL, &report, error);
  if (d == NULL)
    return FALSE;
  s->lines = report.lines;
  raw->units = report.lines;   /* the same unit for the ratio */
  Phase *pa = clock_stop (phases, &c, "import", "(a) import: parse -> id maps -> dataset", FALSE, report.lines);
  s->n_events = scalr_dataset_get_n_events (d);
  s->n_duplicates = scalr_dataset_get_n_duplicates (d);
  s->n_users = scalr_dataset_get_n_users (d);
  s->n_items = scalr_dataset_get_n_items (d);
  s->dataset_memory = scalr_dataset_get_memory (d);
  s->fingerprint = g_strdup (scalr_dataset_get_fingerprint (d));

  /* (b) the fingerprint (part of (a)), recomputed the same way and compared. */
  clock_start (&c);
  g_autofree char *fp = recompute_fingerprint (d);
  clock_stop (phases, &c, "fingerprint", "(b) fingerprint, recomputed (within a)", TRUE, s->n_events);
  s->fingerprint_match = g_str_equal (fp, s->fingerprint);

  /* (c) per-domain CSR. */
  ScalrIdMap *labels = scalr_dataset_get_domains (d);
  ScalrId id;
  s->source_rule = g_strdup (opt_source ? opt_source
                             : scalr_id_map_lookup (labels, "source", 6, &id) ? "domain:source" : NULL);
  s->target_rule = g_strdup (opt_target ? opt_target
                             : scalr_id_map_lookup (labels, "target", 6, &id) ? "domain:target" : NULL);
  Phase *pc = NULL;
  if (s->source_rule && s->target_rule)
    {
      clock_start (&c);
      g_autoptr (ScalrDomains) doms = scalr_domains_new (d, s->source_rule, s->target_rule, NULL, error);
      if (doms == NULL)
        return FALSE;
      pc = clock_stop (phases, &c, "domains", "(c) domains: per-domain CSR", FALSE, s->n_events);
      const ScalrDomain *src = scalr_domains_get_source (doms), *tgt = scalr_domains_get_target (doms);
      s->source_nnz = src->matrix->nnz;
      s->target_nnz = tgt->matrix->nnz;
      s->source_items = src->n_items;
      s->target_items = tgt->n_items;
      s->n_overlap = scalr_domains_get_n_overlap (doms);
      s->domains_memory = domain_bytes (src) + domain_bytes (tgt);
      guint64 rss, hwm;
      mem_read (&rss, &hwm);
      s->steady_per_event = ((double) rss - (double) pa->rss_before) / (double) MAX (s->lines, 1);
    }
  else if (!opt_json)
    g_printerr ("bench-import: no --source/--target rules and no source/target domain labels; skipping (c)\n");

  double t_ac = pa->wall + (pc ? pc->wall : 0);
  s->parse_csr_rate = t_ac > 0 ? (double) s->lines / t_ac : 0;
  guint64 peak_ac = MAX (pa->peak, pc ? pc->peak : 0);
  s->parse_csr_peak_per_event = ((double) peak_ac - (double) pa->rss_before) / (double) MAX (s->lines, 1);

  /* (d) store write on a fresh file, (e) load back. */
  if (!opt_no_store)
    {
      g_autofree char *tmpdir = NULL;
      if (opt_db)
        {
          if (g_file_test (opt_db, G_FILE_TEST_EXISTS))
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                           "%s exists; the benchmark writes a fresh store: remove it or choose another --db", opt_db);
              return FALSE;
            }
          s->db_path = g_strdup (opt_db);
        }
      else
        {
          tmpdir = g_dir_make_tmp ("bench-import-XXXXXX", error);
          if (tmpdir == NULL)
            return FALSE;
          s->db_path = g_build_filename (tmpdir, "bench.db", NULL);
        }
      gboolean ok;
      {
        clock_start (&c);
        g_autoptr (ScalrStore) store = scalr_store_open (s->db_path, SCALR_STORE_OPEN_DEFAULT, error);
        ok = store != NULL && scalr_store_add_dataset (store, d, opt_events, opt_items,
                                                       scalr_format_to_string (format), NULL, error);
        clock_stop (phases, &c, "store_write", "(d) store write: open + add_dataset", FALSE, s->n_events);
        if (ok)
          {
            g_autofree char *wal = g_strconcat (s->db_path, "-wal", NULL);
            s->db_bytes = file_size (s->db_path) + file_size (wal);
            clock_start (&c);
            g_clear_pointer (&store, scalr_store_close);
            clock_stop (phases, &c, "store_close", "    store close (WAL checkpoint)", TRUE, s->n_events);
          }
      }
      if (ok)
        {
          clock_start (&c);
          g_autoptr (ScalrStore) store = scalr_store_open (s->db_path, SCALR_STORE_OPEN_DEFAULT, error);
          g_autoptr (ScalrDataset) back = store ? scalr_store_load_dataset (store, o->name, NULL, error) : NULL;
          ok = back != NULL;
          clock_stop (phases, &c, "store_load", "(e) store load: open + load_dataset (+ verify)", FALSE, s->n_events);
          if (ok && !g_str_equal (scalr_dataset_get_fingerprint (back), s->fingerprint))
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "the loaded dataset has another fingerprint");
              ok = FALSE;
            }
        }
      if (!opt_keep_db)
        {
          remove_store (s->db_path);
          if (tmpdir)
            g_rmdir (tmpdir);
        }
      if (!ok)
        return FALSE;
    }

  /* Breakdown: the reader alone, then the reader with numbers and id maps. */
  if (!opt_no_breakdown)
    {
      g_clear_pointer (&d, scalr_dataset_unref);
      clock_start (&c);
      gint64 nr = pass_reader (opt_events, format, error);
      if (nr < 0)
        return FALSE;
      clock_stop (phases, &c, "reader_only", "    breakdown: reader only (fields)", TRUE, (guint64) nr);
      clock_start (&c);
      gint64 np = pass_parse_intern (opt_events, format, &s->parse_map_bytes, error);
      if (np < 0)
        return FALSE;
      clock_stop (phases, &c, "reader_intern", "    breakdown: reader + numbers + id maps", TRUE, (guint64) np);
    }

  double raw_rate = phase_rate (raw);
  for (guint k = 0; k < phases->len; k++)
    {
      Phase *p = g_ptr_array_index (phases, k);
      p->rate_ratio = raw_rate > 0 ? phase_rate (p) / raw_rate : 0;
    }
  return TRUE;
}

/* ---- output ----------------------------------------------------------------------- */

#define TARGET_PARSE_CSR_RATE 3e6
#define TARGET_BYTES_PER_EVENT 48.0
#define TARGET_STORE_RATE 1e6

static void
print_text (GPtrArray *phases, const Summary *s)
{
  g_print ("SCALR import benchmark: %s\n", opt_events);
  g_print ("  file %.1f MB, %" G_GUINT64_FORMAT " lines -> %" G_GUINT64_FORMAT " events (%" G_GUINT64_FORMAT
           " duplicates merged), %u users, %u items\n",
           (double) s->file_bytes / 1e6, s->lines, s->n_events, s->n_duplicates, s->n_users, s->n_items);
  g_print ("  raw read, first pass (cache warm-up): %.3f s\n", s->raw_cold_wall);
  g_print ("  memory: RSS before each phase, the phase's own peak (VmHWM reset per phase%s),\n"
           "  and B/ev = (phase peak - RSS before) / events; 'kept' = (RSS after - before) / events\n\n",
           hwm_resettable ? "" : ": NOT available, process peak shown");
  g_print ("%-48s %8s %8s %9s %7s %9s %9s %8s %8s\n",
           "phase", "wall s", "cpu s", "M ev/s", "x raw", "RSS0 MiB", "peak MiB", "B/ev", "kept B/ev");
  for (guint k = 0; k < phases->len; k++)
    {
      const Phase *p = g_ptr_array_index (phases, k);
      guint64 denom = g_str_equal (p->key, "raw_scan") || g_str_equal (p->key, "import")
                      || g_str_has_prefix (p->key, "reader") ? s->lines : s->n_events;
      g_print ("%-48s %8.3f %8.3f %9.3f %7.3f %9.1f %9.1f %8.1f %8.1f\n",
               p->label, p->wall, p->cpu, phase_rate (p) / 1e6, p->rate_ratio,
               (double) p->rss_before / 1048576.0, (double) p->peak / 1048576.0,
               phase_peak_per_event (p, denom), phase_rss_per_event (p, denom));
    }
  const Phase *pa = find_phase (phases, "import"), *pb = find_phase (phases, "fingerprint");
  const Phase *pr = find_phase (phases, "reader_only"), *pi = find_phase (phases, "reader_intern");
  if (pa && pb && pi)
    {
      double rest = pa->wall - pi->wall - pb->wall;
      g_print ("%-48s %8.3f   (import - reader/numbers/id maps - fingerprint)\n",
               "    derived: builder + user-major sort + merge", rest);
    }
  if (pr && pi)
    g_print ("%-48s %8.3f   (reader + numbers + id maps - reader)\n",
             "    derived: numbers + UTF-8 + id maps", pi->wall - pr->wall);

  g_print ("\n  dataset: scalr_dataset_get_memory %.1f MiB = %.1f B/event; fingerprint %s (recomputed: %s)\n",
           (double) s->dataset_memory / 1048576.0, (double) s->dataset_memory / (double) MAX (s->n_events, 1),
           s->fingerprint, s->fingerprint_match ? "match" : "MISMATCH");
  if (s->source_rule && s->source_nnz + s->target_nnz > 0)
    g_print ("  domains: source %s: %" G_GUINT64_FORMAT " events, %u items; target %s: %" G_GUINT64_FORMAT
             " events, %u items; %u overlap users; CSR %.1f MiB = %.1f B/event\n",
             s->source_rule, s->source_nnz, s->source_items, s->target_rule, s->target_nnz, s->target_items,
             s->n_overlap, (double) s->domains_memory / 1048576.0,
             (double) s->domains_memory / (double) MAX (s->source_nnz + s->target_nnz, 1));
  if (s->parse_map_bytes)
    g_print ("  id maps alone (users + items + labels): %.1f MiB = %.1f B/event\n",
             (double) s->parse_map_bytes / 1048576.0, (double) s->parse_map_bytes / (double) MAX (s->lines, 1));
  if (s->db_path)
    g_print ("  store: %s, %.1f MB (db + WAL after the write) = %.1f B/event%s\n", s->db_path,
             (double) s->db_bytes / 1e6, (double) s->db_bytes / (double) MAX (s->n_events, 1),
             opt_keep_db ? "" : " (removed)");
  g_print ("  process peak RSS: %.1f MiB\n\n", (double) process_peak / 1048576.0);

  const Phase *pd = find_phase (phases, "store_write");
  g_print ("targets (2-core machine):\n");
  g_print ("  parse + CSR (a + c), one core   %6.2f M events/s   target >= 3.00   %s\n",
           s->parse_csr_rate / 1e6, s->parse_csr_rate >= TARGET_PARSE_CSR_RATE ? "ok" : "BELOW");
  g_print ("  peak memory during a + c        %6.1f B/event       target <= 48     %s\n",
           s->parse_csr_peak_per_event, s->parse_csr_peak_per_event <= TARGET_BYTES_PER_EVENT ? "ok" : "ABOVE");
  g_print ("  kept after a + c (dataset+CSR)  %6.1f B/event\n", s->steady_per_event);
  if (pd)
    g_print ("  store write (d)                 %6.2f M events/s   target >= 1.00   %s\n",
             phase_rate (pd) / 1e6, phase_rate (pd) >= TARGET_STORE_RATE ? "ok" : "BELOW");
}

static void
print_json (GPtrArray *phases, const Summary *s)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
#define STR(k, v) G_STMT_START { json_builder_set_member_name (b, k); json_builder_add_string_value (b, v); } G_STMT_END
#define INT(k, v) G_STMT_START { json_builder_set_member_name (b, k); json_builder_add_int_value (b, (gint64) (v)); } G_STMT_END
#define DBL(k, v) G_STMT_START { json_builder_set_member_name (b, k); json_builder_add_double_value (b, (v)); } G_STMT_END
#define BOOL(k, v) G_STMT_START { json_builder_set_member_name (b, k); json_builder_add_boolean_value (b, (v)); } G_STMT_END
  json_builder_begin_object (b);
  STR ("events_file", opt_events);
  if (opt_items)
    STR ("items_file", opt_items);
  INT ("file_bytes", s->file_bytes);
  INT ("lines", s->lines);
  INT ("events", s->n_events);
  INT ("duplicates", s->n_duplicates);
  INT ("users", s->n_users);
  INT ("items", s->n_items);
  DBL ("raw_first_pass_seconds", s->raw_cold_wall);
  BOOL ("phase_peak_resettable", hwm_resettable);
  json_builder_set_member_name (b, "phases");
  json_builder_begin_array (b);
  for (guint k = 0; k < phases->len; k++)
    {
      const Phase *p = g_ptr_array_index (phases, k);
      guint64 denom = g_str_equal (p->key, "raw_scan") || g_str_equal (p->key, "import")
                      || g_str_has_prefix (p->key, "reader") ? s->lines : s->n_events;
      json_builder_begin_object (b);
      STR ("phase", p->key);
      g_autofree char *label = g_strstrip (g_strdup (p->label));
      STR ("label", label);
      BOOL ("reference", p->reference);
      DBL ("wall_seconds", p->wall);
      DBL ("cpu_seconds", p->cpu);
      INT ("events", p->units);
      DBL ("events_per_second", phase_rate (p));
      DBL ("ratio_to_raw_scan", p->rate_ratio);
      INT ("rss_before_bytes", p->rss_before);
      INT ("peak_rss_bytes", p->peak);
      INT ("rss_after_bytes", p->rss_after);
      DBL ("peak_bytes_per_event", phase_peak_per_event (p, denom));
      DBL ("kept_bytes_per_event", phase_rss_per_event (p, denom));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "dataset");
  json_builder_begin_object (b);
  INT ("memory_bytes", s->dataset_memory);
  DBL ("memory_bytes_per_event", (double) s->dataset_memory / (double) MAX (s->n_events, 1));
  STR ("fingerprint", s->fingerprint);
  BOOL ("fingerprint_recomputed_matches", s->fingerprint_match);
  json_builder_end_object (b);
  if (s->source_rule && s->target_rule)
    {
      json_builder_set_member_name (b, "domains");
      json_builder_begin_object (b);
      STR ("source_rule", s->source_rule);
      STR ("target_rule", s->target_rule);
      INT ("source_events", s->source_nnz);
      INT ("target_events", s->target_nnz);
      INT ("source_items", s->source_items);
      INT ("target_items", s->target_items);
      INT ("overlap_users", s->n_overlap);
      INT ("csr_bytes", s->domains_memory);
      json_builder_end_object (b);
    }
  if (s->db_path)
    {
      json_builder_set_member_name (b, "store");
      json_builder_begin_object (b);
      STR ("path", s->db_path);
      INT ("bytes_after_write", s->db_bytes);
      BOOL ("kept", opt_keep_db);
      json_builder_end_object (b);
    }
  INT ("process_peak_rss_bytes", process_peak);
  const Phase *pd = find_phase (phases, "store_write");
  json_builder_set_member_name (b, "targets");
  json_builder_begin_object (b);
  DBL ("parse_csr_events_per_second", s->parse_csr_rate);
  BOOL ("parse_csr_ok", s->parse_csr_rate >= TARGET_PARSE_CSR_RATE);
  DBL ("parse_csr_peak_bytes_per_event", s->parse_csr_peak_per_event);
  BOOL ("memory_ok", s->parse_csr_peak_per_event <= TARGET_BYTES_PER_EVENT);
  DBL ("kept_bytes_per_event", s->steady_per_event);
  if (pd)
    {
      DBL ("store_write_events_per_second", phase_rate (pd));
      BOOL ("store_write_ok", phase_rate (pd) >= TARGET_STORE_RATE);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
#undef STR
#undef INT
#undef DBL
#undef BOOL
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

int
main (int argc, char **argv)
{
  scalr_registry_init ();
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- import benchmark");
  g_option_context_set_summary (ctx,
    "Times parse -> id maps -> dataset (scalr_import_dataset), the per-domain CSR\n"
    "(scalr_domains_new), the store write and the store load, with events/s and peak RSS\n"
    "per phase, against a raw read of the same file.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 2;
    }
  if (opt_events == NULL || (opt_source == NULL) != (opt_target == NULL))
    {
      g_printerr ("bench-import: give --events FILE, and --source and --target together\n");
      return 2;
    }
  g_autoptr (GPtrArray) phases = g_ptr_array_new_with_free_func ((GDestroyNotify) phase_free);
  Summary s = { 0 };
  int status = 0;
  if (!run (phases, &s, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      status = 1;
    }
  else if (opt_json)
    print_json (phases, &s);
  else
    print_text (phases, &s);
  summary_clear (&s);
  return status;
}
