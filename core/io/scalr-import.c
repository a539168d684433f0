/* scalr-import.c — event and item files → ScalrDataset. */
#include "config.h"

#include "scalr-import.h"

#include <math.h>
#include <string.h>

#include "scalr-dataset-private.h"
#include "scalr-progress.h"

#define COL_USER SCALR_COLUMN_USER
#define COL_ITEM SCALR_COLUMN_ITEM
#define COL_RATING SCALR_COLUMN_RATING
#define COL_TIMESTAMP SCALR_COLUMN_TIMESTAMP
#define COL_DOMAIN SCALR_COLUMN_DOMAIN
#define N_COLS SCALR_N_COLUMN_ROLES

/* The usual names of each role's column, in order of preference: the one list the importer
 * and the import form's preview (scalr_import_guess_columns) use. */
static const char *const col_names[N_COLS] = { "user", "item", "rating", "timestamp", "domain" };
static const char *const user_names[] = { "user_id", "userid", "user", "uid", "reviewerid", "visitorid", "customer_id", NULL };
static const char *const item_names[] = { "item_id", "itemid", "item", "movieid", "movie_id", "iid", "asin", "productid", "product_id", "book_id", "track_id", NULL };
static const char *const rating_names[] = { "rating", "score", "stars", "overall", "value", NULL };
static const char *const timestamp_names[] = { "timestamp", "time", "ts", "datetime", "unixreviewtime", NULL };
static const char *const domain_names[] = { "domain", NULL };
static const char *const *const col_candidates[N_COLS] = { user_names, item_names, rating_names, timestamp_names, domain_names };

static const char *const items_id_names[] = { "item_id", "itemid", "movieid", "movie_id", "item", "id", "asin", "iid", NULL };
static const char *const items_title_names[] = { "title", "movie_title", "name", "item_name", NULL };
static const char *const items_cat_names[] = { "genres", "genre", "categories", "category", "class", "tags", NULL };

ScalrImportOptions *
scalr_import_options_new (void)
{
  ScalrImportOptions *o = g_new0 (ScalrImportOptions, 1);
  o->event_files = g_ptr_array_new ();
  return o;
}

static void
event_file_free (ScalrEventFile *f)
{
  g_free (f->path);
  g_free (f->label);
  g_free (f);
}

void
scalr_import_options_free (ScalrImportOptions *o)
{
  if (o == NULL)
    return;
  g_ptr_array_foreach (o->event_files, (GFunc) (void (*) (void)) event_file_free, NULL);
  g_ptr_array_unref (o->event_files);
  g_free (o->name);
  g_free (o->items_path);
  g_free (o->user_column);
  g_free (o->item_column);
  g_free (o->rating_column);
  g_free (o->timestamp_column);
  g_free (o->domain_column);
  g_free (o->items_id_column);
  g_free (o->items_title_column);
  g_free (o->items_categories_column);
  g_free (o);
}

void
scalr_import_options_add_events (ScalrImportOptions *o, const char *path, const char *label)
{
  ScalrEventFile *f = g_new0 (ScalrEventFile, 1);
  f->path = g_strdup (path);
  f->label = g_strdup (label);
  g_ptr_array_add (o->event_files, f);
}

const char *
scalr_column_role_to_string (ScalrColumnRole role)
{
  return (guint) role < N_COLS ? col_names[role] : "unknown";
}

/* A header name without a RecBole ":type" suffix, stripped and lower-cased. */
static char *
name_base (const char *name, gsize len)
{
  g_autofree char *raw = g_strndup (name, len);
  char *colon = strrchr (raw, ':');
  if (colon)
    *colon = '\0';
  g_strstrip (raw);
  return g_ascii_strdown (raw, -1);
}

static char *
header_base (const ScalrField *f)
{
  return name_base (f->str, f->len);
}

/* The first of @candidates that one of the @n header @bases is, and its column; -1: none. */
static int
find_by_names (char *const *bases, guint n, const char *const *candidates)
{
  for (guint k = 0; candidates[k]; k++)
    for (guint c = 0; c < n; c++)
      if (g_strcmp0 (bases[c], candidates[k]) == 0)
        return (int) c;
  return -1;
}

void
scalr_import_guess_columns (const char *const *header, guint n, int columns[SCALR_N_COLUMN_ROLES])
{
  g_autoptr (GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  for (guint c = 0; c < n; c++)
    g_ptr_array_add (bases, name_base (header[c], strlen (header[c])));
  for (int r = 0; r < N_COLS; r++)
    columns[r] = find_by_names ((char *const *) bases->pdata, n, col_candidates[r]);
}

/* Finds a column by explicit spec (name or 1-based position) or by candidate names.
 * Returns -1 when absent; sets @error (and returns -2) when an explicit spec is not there. */
static int
find_column (ScalrReader *reader, const ScalrField *header, guint n, const char *spec,
             const char *const *candidates, const char *what, GError **error)
{
  if (spec != NULL)
    {
      gint64 pos;
      ScalrField sf = { spec, strlen (spec) };
      if (scalr_field_to_int64 (&sf, &pos))
        {
          if (pos < 1 || pos > n)
            {
              scalr_reader_set_error (reader, error, SCALR_READER_ERROR_HEADER,
                                      "%s column %s is out of range: the header has %u columns",
                                      what, spec, n);
              return -2;
            }
          return (int) pos - 1;
        }
      g_autofree char *want = g_ascii_strdown (spec, -1);
      for (guint c = 0; c < n; c++)
        {
          g_autofree char *base = header_base (&header[c]);
          g_autofree char *full = g_ascii_strdown (header[c].str, (gssize) header[c].len);
          if (g_strcmp0 (base, want) == 0 || g_strcmp0 (full, want) == 0)
            return (int) c;
        }
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_HEADER,
                              "no column named '%s' for the %s in the header", spec, what);
      return -2;
    }
  g_autoptr (GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  for (guint c = 0; c < n; c++)
    g_ptr_array_add (bases, header_base (&header[c]));
  return find_by_names ((char *const *) bases->pdata, n, candidates);
}

static char *
candidates_text (const char *const *candidates)
{
  return g_strjoinv (", ", (char **) candidates);
}

/* g_utf8_validate_len, answered without it for the common case of plain ASCII (bytes
 * 1..127; a NUL byte is invalid for both). */
static inline gboolean
text_valid (const char *str, gsize len)
{
  guint8 bad = 0;
  for (gsize k = 0; k < len; k++)
    bad |= (guint8) ((guint8) str[k] - 1u) >= 0x7f;
  return !bad || g_utf8_validate_len (str, len, NULL);
}

static gboolean
check_text (ScalrReader *reader, const ScalrField *f, const char *what, GError **error)
{
  if (f->len == 0)
    {
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_VALUE,
                              "empty %s; expected a non-empty id", what);
      return FALSE;
    }
  if (!text_valid (f->str, f->len))
    {
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_UTF8,
                              "%s is not valid UTF-8; expected UTF-8 text", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_number (ScalrReader *reader, const ScalrField *f, const char *what, double *out, GError **error)
{
  if (scalr_field_to_double (f, out))
    return TRUE;
  g_autofree char *shown = g_strndup (f->str, MIN (f->len, 40));
  if (!g_utf8_validate (shown, -1, NULL))
    {
      g_free (shown);
      shown = g_strdup ("(invalid UTF-8)");
    }
  scalr_reader_set_error (reader, error, SCALR_READER_ERROR_VALUE,
                          "%s '%s' is not a finite number; expected a number such as 4.5",
                          what, shown);
  return FALSE;
}

/* Timestamps are whole seconds (Unix time; larger units of the same kind, such as
 * milliseconds, pass too) stored exactly in a double: an integer, or a number with no
 * fraction ("881250949.0", "8.8125e8"), of magnitude at most 2^53. */
#define TIMESTAMP_MAX 9007199254740992.0   /* 2^53 */

static gboolean
parse_timestamp (ScalrReader *reader, const ScalrField *f, double *out, GError **error)
{
  gint64 i;
  if (scalr_field_to_int64 (f, &i))
    {
      *out = (double) i;
      if (i >= -(gint64) TIMESTAMP_MAX && i <= (gint64) TIMESTAMP_MAX)
        return TRUE;
    }
  else if (!parse_number (reader, f, "timestamp", out, error))
    return FALSE;
  else if (fabs (*out) <= TIMESTAMP_MAX && *out == floor (*out))
    return TRUE;
  g_autofree char *shown = g_strndup (f->str, MIN (f->len, 40));
  scalr_reader_set_error (reader, error, SCALR_READER_ERROR_VALUE,
                          "timestamp '%s%s' is not a whole number of seconds within ±2^53; "
                          "expected Unix time in seconds such as 881250949",
                          shown, f->len > 40 ? "…" : "");
  return FALSE;
}

char *
scalr_import_default_name (const char *path)
{
  char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');
  if (dot && dot != base)
    *dot = '\0';
  return base;
}

static char *
default_label (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strchr (base, '.');
  if (dot && dot != base)
    *dot = '\0';
  return g_strdup (base);
}

/* Events read and checked but not yet interned: the id maps are probed a batch at a
 * time (scalr_id_map_intern_many), in file order, so dense ids are the same as when
 * each line is interned as it is read. The keys are copied: the reader's buffer moves. */
enum { BATCH = 256 };

typedef struct {
  char       *keys;   /* owned: user and item key bytes */
  gsize       keys_len, keys_cap;
  gsize       n;
  gsize       user_off[BATCH], user_len[BATCH], item_off[BATCH], item_len[BATCH];
  guint8      domain[BATCH];
  float       rating[BATCH];
  double      timestamp[BATCH];
  const char *ptr[BATCH];   /* scratch for flushing */
  ScalrId     user[BATCH];
  ScalrId     item[BATCH];
} EventBatch;

static void
event_batch_free (EventBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->keys);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EventBatch, event_batch_free)

/* Copies @len bytes into the batch and returns their offset. */
static inline gsize
event_batch_add_key (EventBatch *batch, const char *str, gsize len)
{
  if (G_UNLIKELY (batch->keys_cap - batch->keys_len < len))
    {
      batch->keys_cap = MAX (batch->keys_cap * 2, batch->keys_len + len);
      batch->keys = g_realloc (batch->keys, batch->keys_cap);
    }
  gsize off = batch->keys_len;
  memcpy (batch->keys + off, str, len);
  batch->keys_len += len;
  return off;
}

static void
event_batch_flush (EventBatch *batch, ScalrDatasetBuilder *b)
{
  if (batch->n == 0)
    return;
  const char *base = batch->keys;
  for (gsize k = 0; k < batch->n; k++)
    batch->ptr[k] = base + batch->user_off[k];
  scalr_id_map_intern_many (_scalr_dataset_builder_get_users (b), batch->ptr, batch->user_len,
                            batch->n, batch->user);
  for (gsize k = 0; k < batch->n; k++)
    batch->ptr[k] = base + batch->item_off[k];
  scalr_id_map_intern_many (_scalr_dataset_builder_get_items (b), batch->ptr, batch->item_len,
                            batch->n, batch->item);
  for (gsize k = 0; k < batch->n; k++)
    _scalr_dataset_builder_add (b, batch->user[k], batch->item[k], batch->domain[k],
                                batch->rating[k], batch->timestamp[k]);
  batch->n = 0;
  batch->keys_len = 0;
}

/* The columns of an events file, found in its header: col[c] is a field index or -1. */
typedef struct {
  int  col[N_COLS];
  guint n_header;
} EventColumns;

/* Reads the header of @reader and finds the columns (explicit specs first, then the usual
 * names). On error (empty file, a spec that names no column, no user or item column, one
 * column for both) returns FALSE and sets @error naming the file. */
static gboolean
read_event_header (ScalrReader *reader, const ScalrImportOptions *o, const char *path,
                   EventColumns *cols, GError **error)
{
  const ScalrField *fields;
  guint n;
  if (!scalr_reader_next (reader, &fields, &n, error))
    return FALSE;
  if (n == 0)
    {
      g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_EMPTY,
                   "%s: empty file; expected a header row and events", path);
      return FALSE;
    }
  cols->n_header = n;
  const char *specs[N_COLS] = { o->user_column, o->item_column, o->rating_column,
                                o->timestamp_column, o->domain_column };
  for (int c = 0; c < N_COLS; c++)
    {
      cols->col[c] = find_column (reader, fields, n, specs[c], col_candidates[c], col_names[c], error);
      if (cols->col[c] == -2)
        return FALSE;
    }
  if (cols->col[COL_USER] < 0 || cols->col[COL_ITEM] < 0)
    {
      int c = cols->col[COL_USER] < 0 ? COL_USER : COL_ITEM;
      g_autofree char *cands = candidates_text (col_candidates[c]);
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_HEADER,
                              "no %s column in the header; expected one named %s, or pass --%s-column NAME|N",
                              col_names[c], cands, col_names[c]);
      return FALSE;
    }
  if (cols->col[COL_USER] == cols->col[COL_ITEM])
    {
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_HEADER,
                              "the user and item columns are the same column");
      return FALSE;
    }
  return TRUE;
}

/* Domain labels of a domain column: the last label seen and its id (labels repeat from line
 * to line). */
typedef struct {
  char  *label;   /* owned */
  gsize  len;
  guint  id;
} LabelCache;

/* The domain id of a line's label. On error (not text, too many labels) returns FALSE. */
static gboolean
line_domain (ScalrReader *reader, const ScalrField *fd, ScalrIdMap *domains, LabelCache *cache,
             guint8 *out, GError **error)
{
  if (!check_text (reader, fd, "domain", error))
    return FALSE;
  if (cache->label == NULL || fd->len != cache->len || memcmp (fd->str, cache->label, fd->len) != 0)
    {
      g_free (cache->label);
      cache->id = scalr_id_map_intern (domains, fd->str, fd->len, NULL);
      cache->label = g_strndup (fd->str, fd->len);
      cache->len = fd->len;
    }
  if (cache->id >= SCALR_DATASET_MAX_DOMAINS)
    {
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_VALUE,
                              "more than %d distinct domain labels", SCALR_DATASET_MAX_DOMAINS);
      return FALSE;
    }
  *out = (guint8) cache->id;
  return TRUE;
}

/* The rating and timestamp of a line (1 and 0 without their columns). On error (not a number,
 * a rating beyond float, a timestamp that is not whole seconds) returns FALSE. */
static gboolean
line_values (ScalrReader *reader, const ScalrField *fields, const EventColumns *cols,
             double *rating, double *ts, GError **error)
{
  *rating = 1.0;
  *ts = 0.0;
  if (cols->col[COL_RATING] >= 0 && !parse_number (reader, &fields[cols->col[COL_RATING]], "rating", rating, error))
    return FALSE;
  if (fabs (*rating) > G_MAXFLOAT)
    {
      /* Ratings are stored as floats: a larger one would become infinite. */
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_VALUE,
                              "rating %g is out of range; expected a number such as 4.5", *rating);
      return FALSE;
    }
  return cols->col[COL_TIMESTAMP] < 0 || parse_timestamp (reader, &fields[cols->col[COL_TIMESTAMP]], ts, error);
}

/* The domain of the events of a file without a domain column: its label when several files
 * are imported, else "". On error (too many domains) returns FALSE. */
static gboolean
file_domain (const ScalrEventFile *file, gboolean label_events, ScalrIdMap *domains, guint8 *out,
             GError **error)
{
  const char *label = label_events ? file->label : "";
  guint id = scalr_id_map_intern (domains, label, strlen (label), NULL);
  if (id >= SCALR_DATASET_MAX_DOMAINS)
    {
      g_set_error (error, SCALR_DATASET_ERROR, SCALR_DATASET_ERROR_TOO_LARGE,
                   "%s: too many domains; at most %d are supported", file->path, SCALR_DATASET_MAX_DOMAINS);
      return FALSE;
    }
  *out = (guint8) id;
  return TRUE;
}

/* After the first batch, sizes the builder for the whole file at the bytes per line seen so
 * far: growing by doubling leaves holes in the heap. */
static void
reserve_for_file (ScalrReader *reader, ScalrDatasetBuilder *b, guint64 data_start)
{
  if (scalr_reader_get_size (reader) == 0)
    return;
  guint64 seen = scalr_reader_get_offset (reader) - data_start;
  guint64 rest = scalr_reader_get_size (reader) - MIN (scalr_reader_get_size (reader),
                                                      scalr_reader_get_offset (reader));
  if (seen > 0)
    _scalr_dataset_builder_reserve (b, BATCH + rest * BATCH / seen + rest * BATCH / seen / 32);
}

/* Queues one checked event; interns the pending ones first when they could reach the id
 * limit, so that the check is exact. On error (more than 2^32 ids) returns FALSE. */
static gboolean
queue_event (ScalrReader *reader, EventBatch *batch, ScalrDatasetBuilder *b, const ScalrField *fu,
             const ScalrField *fi, guint8 dom, double rating, double ts, GError **error)
{
  ScalrIdMap *users = _scalr_dataset_builder_get_users (b);
  ScalrIdMap *items = _scalr_dataset_builder_get_items (b);
  if ((guint64) MAX (scalr_id_map_get_size (users), scalr_id_map_get_size (items)) + batch->n
      >= G_MAXUINT32 - 2)
    event_batch_flush (batch, b);
  if (scalr_id_map_get_size (users) >= G_MAXUINT32 - 2 || scalr_id_map_get_size (items) >= G_MAXUINT32 - 2)
    {
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_VALUE, "more than 2^32 distinct ids");
      return FALSE;
    }
  gsize k = batch->n++;
  batch->user_off[k] = event_batch_add_key (batch, fu->str, fu->len);
  batch->user_len[k] = fu->len;
  batch->item_off[k] = event_batch_add_key (batch, fi->str, fi->len);
  batch->item_len[k] = fi->len;
  batch->domain[k] = dom;
  batch->rating[k] = (float) rating;
  batch->timestamp[k] = ts;
  return TRUE;
}

static gboolean
read_events_file (const ScalrImportOptions *o, const ScalrEventFile *file, gboolean label_events,
                  ScalrDatasetBuilder *b, ScalrProgress *progress, guint file_index,
                  GCancellable *cancellable, ScalrImportReport *report, gboolean *has_rating,
                  gboolean *has_ts, GError **error)
{
  g_autoptr (ScalrReader) reader = scalr_reader_new (file->path, o->format, error);
  EventColumns cols;
  if (reader == NULL || !read_event_header (reader, o, file->path, &cols, error))
    return FALSE;
  *has_rating = *has_rating && cols.col[COL_RATING] >= 0;
  *has_ts = *has_ts && cols.col[COL_TIMESTAMP] >= 0;
  ScalrIdMap *domains = _scalr_dataset_builder_get_domains (b);
  guint8 file_dom = 0;
  if (cols.col[COL_DOMAIN] < 0 && !file_domain (file, label_events, domains, &file_dom, error))
    return FALSE;

  guint64 lines = 0;
  guint64 data_start = scalr_reader_get_offset (reader);
  g_autoptr (EventBatch) batch = g_new0 (EventBatch, 1);
  LabelCache labels = { NULL, 0, 0 };
  gboolean ok = TRUE;
  for (;;)
    {
      const ScalrField *fields;
      guint n;
      if (!(ok = scalr_reader_next (reader, &fields, &n, error)) || n == 0)
        break;
      if (n != cols.n_header)
        {
          scalr_reader_set_error (reader, error, SCALR_READER_ERROR_COLUMNS,
                                  "%u fields; expected %u as in the header", n, cols.n_header);
          ok = FALSE;
          break;
        }
      const ScalrField *fu = &fields[cols.col[COL_USER]], *fi = &fields[cols.col[COL_ITEM]];
      double rating, ts;
      guint8 dom = file_dom;
      if (!(ok = check_text (reader, fu, "user id", error) && check_text (reader, fi, "item id", error)
                 && line_values (reader, fields, &cols, &rating, &ts, error)
                 && (cols.col[COL_DOMAIN] < 0
                     || line_domain (reader, &fields[cols.col[COL_DOMAIN]], domains, &labels, &dom, error))
                 && queue_event (reader, batch, b, fu, fi, dom, rating, ts, error)))
        break;
      if (batch->n == BATCH)
        {
          if (lines + 1 == BATCH)
            reserve_for_file (reader, b, data_start);
          event_batch_flush (batch, b);
        }
      if ((++lines & 0xffff) == 0)
        {
          if (!(ok = !g_cancellable_set_error_if_cancelled (cancellable, error)))
            break;
          guint64 size = scalr_reader_get_size (reader);
          double frac = size ? (double) scalr_reader_get_offset (reader) / (double) size : 0.0;
          scalr_progress_update (progress, "import", (file_index + frac * 0.9) / o->event_files->len,
                                 "%s: %" G_GUINT64_FORMAT " events", file->path, lines);
        }
    }
  g_free (labels.label);
  if (!ok)
    return FALSE;
  event_batch_flush (batch, b);
  if (lines == 0)
    {
      g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_EMPTY,
                   "%s: header only; expected events after the header row", file->path);
      return FALSE;
    }
  if (report)
    report->lines += lines;
  return TRUE;
}

/* The columns of an items file (-1: absent; the id defaults to the first column). */
typedef struct {
  int      id, title, categories, year;
  gboolean space_seq;   /* RecBole token_seq categories separate by spaces; others by '|' */
  guint    n_header;
} ItemColumns;

static gboolean
read_items_header (ScalrReader *reader, const ScalrImportOptions *o, ItemColumns *c, GError **error)
{
  const ScalrField *fields;
  guint n;
  if (!scalr_reader_next (reader, &fields, &n, error))
    return FALSE;
  if (n == 0)
    {
      g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_EMPTY,
                   "%s: empty file; expected a header row and items", o->items_path);
      return FALSE;
    }
  static const char *const year_names[] = { "year", "release_year", NULL };
  c->n_header = n;
  if ((c->id = find_column (reader, fields, n, o->items_id_column, items_id_names, "item id", error)) == -2
      || (c->title = find_column (reader, fields, n, o->items_title_column, items_title_names, "title", error)) == -2
      || (c->categories = find_column (reader, fields, n, o->items_categories_column, items_cat_names,
                                       "categories", error)) == -2)
    return FALSE;
  if (c->id < 0)
    c->id = 0;
  c->year = find_column (reader, fields, n, NULL, year_names, "year", error);
  c->space_seq = FALSE;
  if (c->categories >= 0)
    {
      g_autofree char *h = scalr_field_dup (&fields[c->categories]);
      c->space_seq = g_str_has_suffix (h, ":token_seq");
    }
  return TRUE;
}

/* A text field checked for UTF-8 (owned), NULL when empty. On error returns FALSE. */
static gboolean
item_text (ScalrReader *reader, const ScalrField *f, const char *what, char **out, GError **error)
{
  *out = NULL;
  if (f->len == 0)
    return TRUE;
  if (!g_utf8_validate_len (f->str, f->len, NULL))
    {
      scalr_reader_set_error (reader, error, SCALR_READER_ERROR_UTF8,
                              "%s not valid UTF-8; expected UTF-8 text", what);
      return FALSE;
    }
  *out = scalr_field_dup (f);
  return TRUE;
}

/* The title of a row, with " (YEAR)" when a short year column has a value (owned, or NULL). */
static gboolean
item_title (ScalrReader *reader, const ScalrField *fields, const ItemColumns *c, char **out, GError **error)
{
  *out = NULL;
  g_autofree char *title = NULL, *year = NULL;
  if (c->title < 0 || !item_text (reader, &fields[c->title], "title is", &title, error))
    return c->title < 0;
  if (title && c->year >= 0 && fields[c->year].len < 8
      && !item_text (reader, &fields[c->year], "year is", &year, error))
    return FALSE;
  *out = title && year ? g_strdup_printf ("%s (%s)", title, year) : g_steal_pointer (&title);
  return TRUE;
}

/* The categories of a row (owned strings), without empty ones and "(no genres listed)". */
static gboolean
item_categories (ScalrReader *reader, const ScalrField *fields, const ItemColumns *c, GPtrArray *cats,
                 GError **error)
{
  g_autofree char *all = NULL;
  if (c->categories < 0)
    return TRUE;
  if (!item_text (reader, &fields[c->categories], "categories are", &all, error))
    return FALSE;
  if (all == NULL)
    return TRUE;
  g_auto (GStrv) parts = g_strsplit (all, c->space_seq ? " " : "|", -1);
  for (guint k = 0; parts[k]; k++)
    {
      g_strstrip (parts[k]);
      if (parts[k][0] != '\0' && g_strcmp0 (parts[k], "(no genres listed)") != 0)
        g_ptr_array_add (cats, g_strdup (parts[k]));
    }
  return TRUE;
}

static gboolean
read_items_file (const ScalrImportOptions *o, ScalrDatasetBuilder *b, ScalrImportReport *report,
                 GError **error)
{
  g_autoptr (ScalrReader) reader = scalr_reader_new (o->items_path, SCALR_FORMAT_AUTO, error);
  ItemColumns c;
  if (reader == NULL || !read_items_header (reader, o, &c, error))
    return FALSE;
  ScalrIdMap *items = _scalr_dataset_builder_get_items (b);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  for (;;)
    {
      const ScalrField *fields;
      guint n;
      if (!scalr_reader_next (reader, &fields, &n, error))
        return FALSE;
      if (n == 0)
        break;
      if (n != c.n_header)
        {
          scalr_reader_set_error (reader, error, SCALR_READER_ERROR_COLUMNS,
                                  "%u fields; expected %u as in the header", n, c.n_header);
          return FALSE;
        }
      if (!check_text (reader, &fields[c.id], "item id", error))
        return FALSE;
      ScalrId item;
      if (!scalr_id_map_lookup (items, fields[c.id].str, fields[c.id].len, &item))
        {
          if (report)
            report->items_file_unmatched++;
          continue;
        }
      if (!g_hash_table_add (seen, GUINT_TO_POINTER (item + 1)))
        continue;   /* first row of an item wins */
      g_autofree char *title = NULL;
      g_autoptr (GPtrArray) cats = g_ptr_array_new_with_free_func (g_free);
      if (!item_title (reader, fields, &c, &title, error) || !item_categories (reader, fields, &c, cats, error))
        return FALSE;
      _scalr_dataset_builder_set_item_meta (b, item, title, (const char *const *) cats->pdata, cats->len);
    }
  if (report)
    report->items_without_meta = scalr_id_map_get_size (items) - g_hash_table_size (seen);
  return TRUE;
}

ScalrDataset *
scalr_import_dataset_full (const ScalrImportOptions *o, ScalrProgress *progress,
                           GCancellable *cancellable, ScalrImportReport *report, GError **error)
{
  g_return_val_if_fail (o != NULL, NULL);
  if (report)
    memset (report, 0, sizeof *report);
  if (o->event_files->len == 0)
    {
      g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_IO, "no events file given");
      return NULL;
    }
  g_autoptr (ScalrDatasetBuilder) b = _scalr_dataset_builder_new ();
  gboolean label_events = o->event_files->len > 1;
  gboolean has_rating = TRUE, has_ts = TRUE;
  g_autoptr (GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint f = 0; f < o->event_files->len; f++)
    {
      ScalrEventFile file = *(ScalrEventFile *) g_ptr_array_index (o->event_files, f);
      g_autofree char *label = file.label ? g_strdup (file.label) : default_label (file.path);
      file.label = label;
      if (label_events && !g_hash_table_add (labels, g_strdup (label)))
        {
          g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_VALUE,
                       "%s: domain label '%s' is used by two event files; give each file its own label",
                       file.path, label);
          return NULL;
        }
      if (!read_events_file (o, &file, label_events, b, progress, f, cancellable, report,
                             &has_rating, &has_ts, error))
        return NULL;
    }
  _scalr_dataset_builder_set_columns (b, has_rating, has_ts);
  if (o->items_path && !read_items_file (o, b, report, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  scalr_progress_update (progress, "import", 0.95, "sorting and merging duplicates");
  ScalrDataset *d = _scalr_dataset_builder_finish (g_steal_pointer (&b), o->name, error);
  if (d)
    scalr_progress_update (progress, "import", 1.0, "%" G_GUINT64_FORMAT " events",
                           scalr_dataset_get_n_events (d));
  return d;
}

ScalrDataset *
scalr_import_dataset (const ScalrImportOptions *o, ScalrProgress *progress,
                      GCancellable *cancellable, GError **error)
{
  return scalr_import_dataset_full (o, progress, cancellable, NULL, error);
}
