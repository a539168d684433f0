/* scalr-idmap.c — open-addressing string → dense id map. */
#include "config.h"

#include "scalr-idmap.h"

#include <string.h>

struct _ScalrIdMap {
  GByteArray *arena;     /* owned: names, each NUL-terminated, in id order */
  GArray     *offsets;   /* guint64 offset of each name in the arena */
  GArray     *hashes;    /* guint32 hash of each name (speeds up probing and rehash) */
  guint32    *slots;     /* owned: 0 = empty, else id + 1 */
  guint32     mask;      /* table size - 1 (a power of two) */
  guint       n;
};

static inline guint32
hash_bytes (const char *key, gsize len)
{
  guint64 h = 0x9E3779B97F4A7C15ull ^ (len * 0xff51afd7ed558ccdull);
  while (len >= 8)
    {
      guint64 k;
      memcpy (&k, key, 8);
      h ^= k * 0xc4ceb9fe1a85ec53ull;
      h = (h << 29 | h >> 35) * 0x9E3779B97F4A7C15ull;
      key += 8;
      len -= 8;
    }
  if (len > 0)
    {
      guint64 k = 0;
      memcpy (&k, key, len);
      h ^= k * 0xc4ceb9fe1a85ec53ull;
      h = (h << 29 | h >> 35) * 0x9E3779B97F4A7C15ull;
    }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return (guint32) h;
}

ScalrIdMap *
scalr_id_map_new (void)
{
  ScalrIdMap *self = g_new0 (ScalrIdMap, 1);
  self->arena = g_byte_array_new ();
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->hashes = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->mask = 1023;
  self->slots = g_new0 (guint32, self->mask + 1);
  return self;
}

void
scalr_id_map_free (ScalrIdMap *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->arena);
  g_array_unref (self->offsets);
  g_array_unref (self->hashes);
  g_free (self->slots);
  g_free (self);
}

static inline gboolean
name_equal (const ScalrIdMap *self, guint32 id, const char *key, gsize len)
{
  guint64 off = g_array_index (self->offsets, guint64, id);
  const char *name = (const char *) self->arena->data + off;
  return memcmp (name, key, len) == 0 && name[len] == '\0';
}

static void
grow (ScalrIdMap *self)
{
  guint32 new_mask = self->mask * 2 + 1;
  guint32 *slots = g_new0 (guint32, (gsize) new_mask + 1);
  const guint32 *hashes = (const guint32 *) (void *) self->hashes->data;
  for (guint32 id = 0; id < self->n; id++)
    {
      guint32 s = hashes[id] & new_mask;
      while (slots[s] != 0)
        s = (s + 1) & new_mask;
      slots[s] = id + 1;
    }
  g_free (self->slots);
  self->slots = slots;
  self->mask = new_mask;
}

gboolean
scalr_id_map_lookup (const ScalrIdMap *self, const char *key, gsize len, ScalrId *out_id)
{
  guint32 h = hash_bytes (key, len);
  const guint32 *hashes = (const guint32 *) (void *) self->hashes->data;
  for (guint32 s = h & self->mask;; s = (s + 1) & self->mask)
    {
      guint32 v = self->slots[s];
      if (v == 0)
        return FALSE;
      if (hashes[v - 1] == h && name_equal (self, v - 1, key, len))
        {
          *out_id = v - 1;
          return TRUE;
        }
    }
}

ScalrId
scalr_id_map_intern (ScalrIdMap *self, const char *key, gsize len, gboolean *added)
{
  guint32 h = hash_bytes (key, len);
  const guint32 *hashes = (const guint32 *) (void *) self->hashes->data;
  guint32 s = h & self->mask;
  for (;; s = (s + 1) & self->mask)
    {
      guint32 v = self->slots[s];
      if (v == 0)
        break;
      if (hashes[v - 1] == h && name_equal (self, v - 1, key, len))
        {
          if (added)
            *added = FALSE;
          return v - 1;
        }
    }
  g_assert (self->n < G_MAXUINT32 - 1);
  guint32 id = self->n++;
  guint64 off = self->arena->len;
  g_byte_array_append (self->arena, (const guint8 *) key, (guint) len);
  g_byte_array_append (self->arena, (const guint8 *) "", 1);
  g_array_append_val (self->offsets, off);
  g_array_append_val (self->hashes, h);
  self->slots[s] = id + 1;
  if ((guint64) self->n * 2 > self->mask)
    grow (self);
  if (added)
    *added = TRUE;
  return id;
}

const char *
scalr_id_map_get_name (const ScalrIdMap *self, ScalrId id)
{
  g_return_val_if_fail (id < self->n, NULL);
  return (const char *) self->arena->data + g_array_index (self->offsets, guint64, id);
}

guint
scalr_id_map_get_size (const ScalrIdMap *self)
{
  return self->n;
}

gsize
scalr_id_map_get_memory (const ScalrIdMap *self)
{
  return self->arena->len + (gsize) self->n * (sizeof (guint64) + sizeof (guint32))
         + ((gsize) self->mask + 1) * sizeof (guint32);
}

const char *
scalr_id_map_get_arena (const ScalrIdMap *self, gsize *len)
{
  *len = self->arena->len;
  return (const char *) self->arena->data;
}

ScalrIdMap *
scalr_id_map_new_from_arena (const char *arena, gsize len)
{
  g_autoptr (ScalrIdMap) self = scalr_id_map_new ();
  if (len > 0 && arena[len - 1] != '\0')
    return NULL;
  gsize pos = 0;
  while (pos < len)
    {
      gsize n = strlen (arena + pos);
      gboolean added = FALSE;
      scalr_id_map_intern (self, arena + pos, n, &added);
      if (!added)
        return NULL;
      pos += n + 1;
    }
  return g_steal_pointer (&self);
}
