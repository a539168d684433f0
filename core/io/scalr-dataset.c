/* scalr-dataset.c — normalised events, id maps and item metadata. */
#include "config.h"

#include "scalr-dataset-private.h"
#include "scalr-sha256.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (scalr-dataset-error-quark, scalr_dataset_error)

struct _ScalrDataset {
  gint        ref_count;
  char       *name;
  ScalrIdMap *users;        /* owned */
  ScalrIdMap *items;        /* owned */
  ScalrIdMap *domains;      /* owned: labels, "" when there is no domain column */
  ScalrIdMap *categories;   /* owned */
  guint64     n_events;
  guint64    *user_ptr;     /* owned, n_users + 1 */
  ScalrId    *item;         /* owned */
  guint8     *domain;       /* owned */
  float      *rating;       /* owned */
  double     *timestamp;    /* owned */
  guint64     n_duplicates;
  gboolean    has_rating;
  gboolean    has_timestamp;
  gboolean    has_meta;
  char      **titles;       /* owned, n_items entries (NULL entries allowed) */
  guint32    *cat_ptr;      /* owned, n_items + 1 */
  guint32    *cat_ids;      /* owned */
  char        fingerprint[65];
};

struct _ScalrDatasetBuilder {
  ScalrIdMap *users, *items, *domains, *categories;
  guint64     n, cap;
  ScalrId    *user;
  ScalrId    *item;
  guint8     *domain;
  float      *rating;
  double     *timestamp;
  gboolean    has_rating, has_timestamp, has_meta;
  GPtrArray  *titles;       /* char*, indexed by item; grows on demand */
  GPtrArray  *item_cats;    /* GArray<guint32>*, indexed by item */
};

/* ---- builder ---------------------------------------------------------------------- */

ScalrDatasetBuilder *
_scalr_dataset_builder_new (void)
{
  ScalrDatasetBuilder *b = g_new0 (ScalrDatasetBuilder, 1);
  b->users = scalr_id_map_new ();
  b->items = scalr_id_map_new ();
  b->domains = scalr_id_map_new ();
  b->categories = scalr_id_map_new ();
  b->titles = g_ptr_array_new_with_free_func (g_free);
  b->item_cats = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  b->has_rating = b->has_timestamp = TRUE;
  return b;
}

void
_scalr_dataset_builder_free (ScalrDatasetBuilder *b)
{
  if (b == NULL)
    return;
  g_clear_pointer (&b->users, scalr_id_map_free);
  g_clear_pointer (&b->items, scalr_id_map_free);
  g_clear_pointer (&b->domains, scalr_id_map_free);
  g_clear_pointer (&b->categories, scalr_id_map_free);
  g_free (b->user);
  g_free (b->item);
  g_free (b->domain);
  g_free (b->rating);
  g_free (b->timestamp);
  g_ptr_array_unref (b->titles);
  g_ptr_array_unref (b->item_cats);
  g_free (b);
}

ScalrIdMap *_scalr_dataset_builder_get_users (ScalrDatasetBuilder *b) { return b->users; }
ScalrIdMap *_scalr_dataset_builder_get_items (ScalrDatasetBuilder *b) { return b->items; }
ScalrIdMap *_scalr_dataset_builder_get_domains (ScalrDatasetBuilder *b) { return b->domains; }
ScalrIdMap *_scalr_dataset_builder_get_categories (ScalrDatasetBuilder *b) { return b->categories; }
guint64 _scalr_dataset_builder_get_n_events (ScalrDatasetBuilder *b) { return b->n; }

void
_scalr_dataset_builder_set_columns (ScalrDatasetBuilder *b, gboolean has_rating, gboolean has_timestamp)
{
  b->has_rating = has_rating;
  b->has_timestamp = has_timestamp;
}

static void
builder_set_capacity (ScalrDatasetBuilder *b, guint64 cap)
{
  b->cap = cap;
  /* Large reallocs are served by mremap: no copy, no double peak. */
  b->user = g_renew (ScalrId, b->user, b->cap);
  b->item = g_renew (ScalrId, b->item, b->cap);
  b->domain = g_renew (guint8, b->domain, b->cap);
  b->rating = g_renew (float, b->rating, b->cap);
  b->timestamp = g_renew (double, b->timestamp, b->cap);
}

void
_scalr_dataset_builder_reserve (ScalrDatasetBuilder *b, guint64 n_events)
{
  if (b->cap - b->n < n_events)
    builder_set_capacity (b, b->n + n_events);
}

void
_scalr_dataset_builder_add (ScalrDatasetBuilder *b, ScalrId user, ScalrId item, guint8 domain,
                            float rating, double timestamp)
{
  if (G_UNLIKELY (b->n == b->cap))
    builder_set_capacity (b, b->cap ? b->cap * 2 : 4096);
  b->user[b->n] = user;
  b->item[b->n] = item;
  b->domain[b->n] = domain;
  b->rating[b->n] = rating;
  b->timestamp[b->n] = timestamp;
  b->n++;
}

void
_scalr_dataset_builder_set_item_meta (ScalrDatasetBuilder *b, ScalrId item, const char *title,
                                      const char * const *categories, guint n_categories)
{
  while (b->titles->len <= item)
    {
      g_ptr_array_add (b->titles, NULL);
      g_ptr_array_add (b->item_cats, g_array_new (FALSE, FALSE, sizeof (guint32)));
    }
  g_free (g_ptr_array_index (b->titles, item));
  g_ptr_array_index (b->titles, item) = g_strdup (title);
  GArray *cats = g_ptr_array_index (b->item_cats, item);
  g_array_set_size (cats, 0);
  for (guint c = 0; c < n_categories; c++)
    {
      guint32 id = scalr_id_map_intern (b->categories, categories[c], strlen (categories[c]), NULL);
      gboolean dup = FALSE;
      for (guint k = 0; k < cats->len; k++)
        dup = dup || g_array_index (cats, guint32, k) == id;
      if (!dup)
        g_array_append_val (cats, id);
    }
  b->has_meta = TRUE;
}

/* Moves @col (n elements of @size bytes) into user-major order: a stable counting sort
 * by user, one column at a time so that the peak is one extra column. */
static gpointer
scatter_column (gpointer col, gsize size, const ScalrId *user, guint64 n,
                const guint64 *user_ptr, guint64 *cursor, guint n_users)
{
  memcpy (cursor, user_ptr, n_users * sizeof (guint64));
  guint8 *dst = g_malloc (MAX (n, 1) * size);
  const guint8 *src = col;
  switch (size)
    {
    case 1:
      for (guint64 e = 0; e < n; e++)
        dst[cursor[user[e]]++] = src[e];
      break;
    case 4:
      for (guint64 e = 0; e < n; e++)
        ((guint32 *) (void *) dst)[cursor[user[e]]++] = ((const guint32 *) col)[e];
      break;
    case 8:
      for (guint64 e = 0; e < n; e++)
        ((guint64 *) (void *) dst)[cursor[user[e]]++] = ((const guint64 *) col)[e];
      break;
    default:
      g_assert_not_reached ();
    }
  g_free (col);
  return dst;
}

/* Moves @col (n elements of @size bytes) to the places @pos (a permutation of 0..n-1). */
static gpointer
place_column (gpointer col, gsize size, const guint32 *pos, guint64 n)
{
  guint8 *dst = g_malloc (MAX (n, 1) * size);
  switch (size)
    {
    case 1:
      for (guint64 e = 0; e < n; e++)
        dst[pos[e]] = ((const guint8 *) col)[e];
      break;
    case 4:
      for (guint64 e = 0; e < n; e++)
        ((guint32 *) (void *) dst)[pos[e]] = ((const guint32 *) col)[e];
      break;
    case 8:
      for (guint64 e = 0; e < n; e++)
        ((guint64 *) (void *) dst)[pos[e]] = ((const guint64 *) col)[e];
      break;
    default:
      g_assert_not_reached ();
    }
  g_free (col);
  return dst;
}

/* One event of a user's row, packed for sorting: (domain, item) in one key, then the
 * timestamp, then the position in the row (file order: the stable tie-break). */
typedef struct {
  guint64 key;   /* domain << 32 | item */
  double  ts;
  guint32 idx;
} SortRec;

static inline gboolean
rec_less (const SortRec *x, const SortRec *y)
{
  if (x->key != y->key)
    return x->key < y->key;
  if (x->ts != y->ts)
    return x->ts < y->ts;
  return x->idx < y->idx;
}

/* The order is total (idx breaks every tie), so any correct sort gives the same result:
 * insertion sort for short rows, else a merge sort through @tmp (n / 2 records). */
static void
sort_recs (SortRec *r, SortRec *tmp, guint64 n)
{
  if (n <= 24)
    {
      for (guint64 k = 1; k < n; k++)
        {
          SortRec x = r[k];
          guint64 j = k;
          while (j > 0 && rec_less (&x, &r[j - 1]))
            {
              r[j] = r[j - 1];
              j--;
            }
          r[j] = x;
        }
      return;
    }
  guint64 h = n / 2;
  sort_recs (r, tmp, h);
  sort_recs (r + h, tmp, n - h);
  if (!rec_less (&r[h], &r[h - 1]))
    return;
  memcpy (tmp, r, h * sizeof *r);
  guint64 a = 0, b = h, w = 0;
  while (a < h && b < n)
    r[w++] = rec_less (&r[b], &tmp[a]) ? r[b++] : tmp[a++];
  while (a < h)
    r[w++] = tmp[a++];
}

static inline gboolean
event_less (const ScalrDataset *d, guint64 a, guint64 b)
{
  if (d->domain[a] != d->domain[b])
    return d->domain[a] < d->domain[b];
  return d->item[a] < d->item[b];
}

/* Sorts each user's events by (domain, item, timestamp, file order), then keeps the last
 * event of each (domain, item) run: the latest. */
static void
sort_and_merge (ScalrDataset *d, guint n_users)
{
  guint64 max_deg = 0;
  for (guint u = 0; u < n_users; u++)
    max_deg = MAX (max_deg, d->user_ptr[u + 1] - d->user_ptr[u]);
  g_autofree SortRec *recs = g_new (SortRec, MAX (max_deg, 1));
  g_autofree SortRec *tmp = g_new (SortRec, MAX (max_deg / 2, 1));
  g_autofree float *t_rat = g_new (float, MAX (max_deg, 1));

  guint64 w = 0;
  for (guint u = 0; u < n_users; u++)
    {
      guint64 s = d->user_ptr[u], e = d->user_ptr[u + 1];
      guint64 deg = e - s;
      d->user_ptr[u] = w;
      /* Fast path: already strictly increasing (no duplicates, sorted input). */
      gboolean sorted = TRUE;
      for (guint64 k = s + 1; k < e && sorted; k++)
        sorted = event_less (d, k - 1, k);
      if (sorted)
        {
          if (w != s)
            {
              memmove (d->item + w, d->item + s, deg * sizeof *d->item);
              memmove (d->domain + w, d->domain + s, deg * sizeof *d->domain);
              memmove (d->rating + w, d->rating + s, deg * sizeof *d->rating);
              memmove (d->timestamp + w, d->timestamp + s, deg * sizeof *d->timestamp);
            }
          w += deg;
          continue;
        }
      for (guint64 k = 0; k < deg; k++)
        {
          recs[k].key = (guint64) d->domain[s + k] << 32 | d->item[s + k];
          recs[k].ts = d->timestamp[s + k];
          recs[k].idx = (guint32) k;
        }
      memcpy (t_rat, d->rating + s, deg * sizeof *t_rat);
      sort_recs (recs, tmp, deg);
      /* w <= s: the row is rewritten from the copies only. */
      for (guint64 k = 0; k < deg; k++)
        {
          if (k + 1 < deg && recs[k + 1].key == recs[k].key)
            {
              d->n_duplicates++;
              continue;   /* a later event of the same (domain, item) follows */
            }
          d->item[w] = (ScalrId) recs[k].key;
          d->domain[w] = (guint8) (recs[k].key >> 32);
          d->rating[w] = t_rat[recs[k].idx];
          d->timestamp[w] = recs[k].ts;
          w++;
        }
    }
  d->user_ptr[n_users] = w;
  d->n_events = w;
}

static void
compute_fingerprint (ScalrDataset *d)
{
  g_autoptr (ScalrSha256) sum = scalr_sha256_new ();
  guint n_users = scalr_id_map_get_size (d->users);
  guint n_items = scalr_id_map_get_size (d->items);
  const char *tag = "scalr-dataset-v1";
  scalr_sha256_update (sum, tag, strlen (tag) + 1);

  /* Events in canonical order, packed little-endian into a buffer. */
  enum { REC = 4 + 4 + 1 + 4 + 8, PER = 4096 };
  g_autofree guint8 *buf = g_malloc (REC * PER);
  guint fill = 0;
  for (guint u = 0; u < n_users; u++)
    for (guint64 k = d->user_ptr[u]; k < d->user_ptr[u + 1]; k++)
      {
        guint8 *p = buf + (gsize) fill * REC;
        guint32 uu = GUINT32_TO_LE (u), ii = GUINT32_TO_LE (d->item[k]);
        guint32 rr;
        guint64 tt;
        memcpy (&rr, &d->rating[k], 4);
        memcpy (&tt, &d->timestamp[k], 8);
        rr = GUINT32_TO_LE (rr);
        tt = GUINT64_TO_LE (tt);
        memcpy (p, &uu, 4);
        memcpy (p + 4, &ii, 4);
        p[8] = d->domain[k];
        memcpy (p + 9, &rr, 4);
        memcpy (p + 13, &tt, 8);
        if (++fill == PER)
          {
            scalr_sha256_update (sum, buf, fill * REC);
            fill = 0;
          }
      }
  if (fill)
    scalr_sha256_update (sum, buf, fill * REC);

  /* Names: id maps fix what the dense ids mean. */
  ScalrIdMap *maps[] = { d->users, d->items, d->domains, d->categories };
  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      gsize len;
      const char *arena = scalr_id_map_get_arena (maps[m], &len);
      guint64 len_le = GUINT64_TO_LE ((guint64) len);
      scalr_sha256_update (sum, &len_le, 8);
      scalr_sha256_update (sum, arena, len);
    }
  /* Item metadata: categories define domains, titles are shown. */
  guint8 flags = (guint8) ((d->has_rating ? 1 : 0) | (d->has_timestamp ? 2 : 0) | (d->has_meta ? 4 : 0));
  scalr_sha256_update (sum, &flags, 1);
  if (d->has_meta)
    for (guint i = 0; i < n_items; i++)
      {
        const char *t = d->titles[i] ? d->titles[i] : "";
        scalr_sha256_update (sum, t, strlen (t) + 1);
        guint32 nc = GUINT32_TO_LE (d->cat_ptr[i + 1] - d->cat_ptr[i]);
        scalr_sha256_update (sum, &nc, 4);
        for (guint32 c = d->cat_ptr[i]; c < d->cat_ptr[i + 1]; c++)
          {
            guint32 cc = GUINT32_TO_LE (d->cat_ids[c]);
            scalr_sha256_update (sum, &cc, 4);
          }
      }
  g_autofree char *hex = scalr_sha256_hex (sum);
  g_strlcpy (d->fingerprint, hex, sizeof d->fingerprint);
}

ScalrDataset *
_scalr_dataset_builder_finish (ScalrDatasetBuilder *b, const char *name, GError **error)
{
  g_autoptr (ScalrDatasetBuilder) owned = b;
  if (b->n == 0)
    {
      g_set_error (error, SCALR_DATASET_ERROR, SCALR_DATASET_ERROR_EMPTY,
                   "no events: expected at least one data line after the header");
      return NULL;
    }
  if (scalr_id_map_get_size (b->domains) > SCALR_DATASET_MAX_DOMAINS)
    {
      g_set_error (error, SCALR_DATASET_ERROR, SCALR_DATASET_ERROR_TOO_LARGE,
                   "%u domain labels; at most %d are supported",
                   scalr_id_map_get_size (b->domains), SCALR_DATASET_MAX_DOMAINS);
      return NULL;
    }

  ScalrDataset *d = g_new0 (ScalrDataset, 1);
  d->ref_count = 1;
  d->name = g_strdup (name);
  d->users = g_steal_pointer (&b->users);
  d->items = g_steal_pointer (&b->items);
  d->domains = g_steal_pointer (&b->domains);
  d->categories = g_steal_pointer (&b->categories);
  d->has_rating = b->has_rating;
  d->has_timestamp = b->has_timestamp;
  d->has_meta = b->has_meta;
  if (scalr_id_map_get_size (d->domains) == 0)
    scalr_id_map_intern (d->domains, "", 0, NULL);

  guint n_users = scalr_id_map_get_size (d->users);
  guint64 n = b->n;
  d->user_ptr = g_new0 (guint64, (gsize) n_users + 1);
  for (guint64 e = 0; e < n; e++)
    d->user_ptr[b->user[e] + 1]++;
  for (guint u = 0; u < n_users; u++)
    d->user_ptr[u + 1] += d->user_ptr[u];
  if (n <= G_MAXUINT32)
    {
      /* Each event's place in user-major order, computed once (over b->user), then
       * each column moved there: a stable counting sort by user. */
      g_autofree guint32 *cursor = g_new (guint32, MAX (n_users, 1));
      for (guint u = 0; u < n_users; u++)
        cursor[u] = (guint32) d->user_ptr[u];
      guint32 *pos = b->user;
      for (guint64 e = 0; e < n; e++)
        pos[e] = cursor[pos[e]]++;
      g_clear_pointer (&cursor, g_free);
      d->item = place_column (g_steal_pointer (&b->item), 4, pos, n);
      d->domain = place_column (g_steal_pointer (&b->domain), 1, pos, n);
      d->rating = place_column (g_steal_pointer (&b->rating), 4, pos, n);
      d->timestamp = place_column (g_steal_pointer (&b->timestamp), 8, pos, n);
    }
  else
    {
      g_autofree guint64 *cursor = g_new (guint64, MAX (n_users, 1));
      d->item = scatter_column (g_steal_pointer (&b->item), 4, b->user, n, d->user_ptr, cursor, n_users);
      d->domain = scatter_column (g_steal_pointer (&b->domain), 1, b->user, n, d->user_ptr, cursor, n_users);
      d->rating = scatter_column (g_steal_pointer (&b->rating), 4, b->user, n, d->user_ptr, cursor, n_users);
      d->timestamp = scatter_column (g_steal_pointer (&b->timestamp), 8, b->user, n, d->user_ptr, cursor, n_users);
    }
  g_clear_pointer (&b->user, g_free);

  sort_and_merge (d, n_users);
  if (d->n_events < n)
    {
      d->item = g_renew (ScalrId, d->item, d->n_events);
      d->domain = g_renew (guint8, d->domain, d->n_events);
      d->rating = g_renew (float, d->rating, d->n_events);
      d->timestamp = g_renew (double, d->timestamp, d->n_events);
    }

  guint n_items = scalr_id_map_get_size (d->items);
  d->titles = g_new0 (char *, (gsize) n_items + 1);
  d->cat_ptr = g_new0 (guint32, (gsize) n_items + 1);
  guint64 n_cat = 0;
  for (guint i = 0; i < n_items && i < b->item_cats->len; i++)
    n_cat += ((GArray *) g_ptr_array_index (b->item_cats, i))->len;
  d->cat_ids = g_new (guint32, MAX (n_cat, 1));
  for (guint i = 0; i < n_items; i++)
    {
      d->cat_ptr[i + 1] = d->cat_ptr[i];
      if (i < b->titles->len)
        {
          d->titles[i] = g_steal_pointer (&g_ptr_array_index (b->titles, i));
          GArray *cats = g_ptr_array_index (b->item_cats, i);
          if (cats->len > 0)
            memcpy (d->cat_ids + d->cat_ptr[i], cats->data, cats->len * sizeof (guint32));
          d->cat_ptr[i + 1] += cats->len;
        }
    }
  compute_fingerprint (d);
  return d;
}

/* ---- dataset ---------------------------------------------------------------------- */

ScalrDataset *
scalr_dataset_ref (ScalrDataset *d)
{
  g_return_val_if_fail (d != NULL, NULL);
  g_atomic_int_inc (&d->ref_count);
  return d;
}

void
scalr_dataset_unref (ScalrDataset *d)
{
  if (d == NULL || !g_atomic_int_dec_and_test (&d->ref_count))
    return;
  guint n_items = scalr_id_map_get_size (d->items);
  for (guint i = 0; i < n_items; i++)
    g_free (d->titles[i]);
  g_free (d->titles);
  g_free (d->cat_ptr);
  g_free (d->cat_ids);
  g_free (d->name);
  scalr_id_map_free (d->users);
  scalr_id_map_free (d->items);
  scalr_id_map_free (d->domains);
  scalr_id_map_free (d->categories);
  g_free (d->user_ptr);
  g_free (d->item);
  g_free (d->domain);
  g_free (d->rating);
  g_free (d->timestamp);
  g_free (d);
}

const char *scalr_dataset_get_name (ScalrDataset *d) { return d->name; }

void
scalr_dataset_set_name (ScalrDataset *d, const char *name)
{
  g_free (d->name);
  d->name = g_strdup (name);
}

guint scalr_dataset_get_n_users (ScalrDataset *d) { return scalr_id_map_get_size (d->users); }
guint scalr_dataset_get_n_items (ScalrDataset *d) { return scalr_id_map_get_size (d->items); }
guint64 scalr_dataset_get_n_events (ScalrDataset *d) { return d->n_events; }
guint64 scalr_dataset_get_n_duplicates (ScalrDataset *d) { return d->n_duplicates; }
void _scalr_dataset_set_n_duplicates (ScalrDataset *d, guint64 n) { d->n_duplicates = n; }
gboolean scalr_dataset_has_ratings (ScalrDataset *d) { return d->has_rating; }
gboolean scalr_dataset_has_timestamps (ScalrDataset *d) { return d->has_timestamp; }
ScalrIdMap *scalr_dataset_get_users (ScalrDataset *d) { return d->users; }
ScalrIdMap *scalr_dataset_get_items (ScalrDataset *d) { return d->items; }
ScalrIdMap *scalr_dataset_get_domains (ScalrDataset *d) { return d->domains; }
ScalrIdMap *scalr_dataset_get_categories (ScalrDataset *d) { return d->categories; }
gboolean scalr_dataset_has_item_metadata (ScalrDataset *d) { return d->has_meta; }
const char *scalr_dataset_get_fingerprint (ScalrDataset *d) { return d->fingerprint; }

void
scalr_dataset_get_events (ScalrDataset *d, ScalrEvents *out)
{
  out->n_events = d->n_events;
  out->user_ptr = d->user_ptr;
  out->item = d->item;
  out->domain = d->domain;
  out->rating = d->rating;
  out->timestamp = d->timestamp;
}

const char *
scalr_dataset_get_item_title (ScalrDataset *d, ScalrId item)
{
  g_return_val_if_fail (item < scalr_id_map_get_size (d->items), NULL);
  return d->titles[item];
}

const guint32 *
scalr_dataset_get_item_categories (ScalrDataset *d, ScalrId item, guint *n_out)
{
  g_return_val_if_fail (item < scalr_id_map_get_size (d->items), NULL);
  *n_out = d->cat_ptr[item + 1] - d->cat_ptr[item];
  return d->cat_ids + d->cat_ptr[item];
}

gsize
scalr_dataset_get_memory (ScalrDataset *d)
{
  guint n_users = scalr_id_map_get_size (d->users);
  guint n_items = scalr_id_map_get_size (d->items);
  return d->n_events * (sizeof (ScalrId) + 1 + sizeof (float) + sizeof (double))
         + ((gsize) n_users + 1) * sizeof (guint64)
         + ((gsize) n_items + 1) * (sizeof (guint32) + sizeof (char *))
         + scalr_id_map_get_memory (d->users) + scalr_id_map_get_memory (d->items)
         + scalr_id_map_get_memory (d->domains) + scalr_id_map_get_memory (d->categories);
}
