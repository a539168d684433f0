/* scalr-idmap.c — open-addressing string → dense id map.
 *
 * Each slot is 16 bytes: a tag (31 bits of hash and the key's kind), the id, and either
 * the key itself (keys of at most 8 bytes, padded) or the offset of the key in the arena.
 * A lookup of a short key therefore touches one slot and nothing else; a long key adds
 * one read of the arena. The arena keeps every name in id order for get_name/get_arena. */
#include "config.h"

#include "scalr-idmap.h"

#include <string.h>

/* The two low bits of a tag say what a slot's word holds. */
enum {
  KIND_SHORT = 0,   /* a key of 0..7 bytes, zero-padded, its length in byte 7 */
  KIND_EIGHT = 1,   /* a key of exactly 8 bytes */
  KIND_LONG  = 2,   /* a longer key: its arena offset (low 48 bits) and length (high 16 bits,
                     * LONG_LEN_MAX for any length from LONG_LEN_MAX up) */
  KIND_MASK  = 3,
};

#define LONG_LEN_MAX 0xffffu
#define LONG_OFF_MASK ((G_GUINT64_CONSTANT (1) << 48) - 1)

typedef struct {
  guint32 tag;    /* (hash & ~KIND_MASK) | kind */
  guint32 id1;    /* 0 = empty, else id + 1 */
  guint64 word;   /* see the kinds above */
} Slot;

struct _ScalrIdMap {
  GByteArray *arena;     /* owned: names, each NUL-terminated, in id order */
  GArray     *offsets;   /* guint64 offset of each name in the arena */
  Slot       *slots;     /* owned, mask + 1 entries */
  guint32     mask;      /* table size - 1 (a power of two) */
  guint       n;
};

/* A key prepared for probing: its tag and, for short keys, its inline word. */
typedef struct {
  guint32 tag;
  guint64 word;
} Key;

static inline guint64
mix64 (guint64 h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

static inline guint64
hash_long (const char *key, gsize len)
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
  return mix64 (h);
}

static inline void
key_prepare (Key *k, const char *key, gsize len)
{
  if (len <= 8)
    {
      char buf[8] = { 0 };
      memcpy (buf, key, len);
      if (len < 8)
        buf[7] = (char) len;
      memcpy (&k->word, buf, 8);
      guint64 h = mix64 (k->word ^ 0x9E3779B97F4A7C15ull);
      k->tag = ((guint32) (h >> 32) & ~(guint32) KIND_MASK) | (len < 8 ? KIND_SHORT : KIND_EIGHT);
    }
  else
    {
      k->word = (guint64) MIN (len, LONG_LEN_MAX) << 48;
      k->tag = ((guint32) (hash_long (key, len) >> 32) & ~(guint32) KIND_MASK) | KIND_LONG;
    }
}

/* The home slot of a tag: the hash bits above the kind. */
static inline guint32
tag_home (guint32 tag, guint32 mask)
{
  return (tag >> 2) & mask;
}

ScalrIdMap *
scalr_id_map_new (void)
{
  ScalrIdMap *self = g_new0 (ScalrIdMap, 1);
  self->arena = g_byte_array_new ();
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->mask = 255;
  self->slots = g_new0 (Slot, self->mask + 1);
  return self;
}

void
scalr_id_map_free (ScalrIdMap *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->arena);
  g_array_unref (self->offsets);
  g_free (self->slots);
  g_free (self);
}

static inline gboolean
slot_matches (const ScalrIdMap *self, const Slot *slot, const Key *k, const char *key, gsize len)
{
  if (slot->tag != k->tag)
    return FALSE;
  if ((k->tag & KIND_MASK) != KIND_LONG)
    return slot->word == k->word;
  if ((slot->word & ~LONG_OFF_MASK) != k->word)
    return FALSE;   /* another length */
  const char *name = (const char *) self->arena->data + (slot->word & LONG_OFF_MASK);
  /* Equal length fields mean equal lengths, except from LONG_LEN_MAX up: then make sure
   * the name is not shorter than the key before comparing @len bytes. */
  if (len >= LONG_LEN_MAX && memchr (name, '\0', len) != NULL)
    return FALSE;
  return memcmp (name, key, len) == 0 && name[len] == '\0';
}

static void
grow (ScalrIdMap *self)
{
  g_assert (self->mask < G_MAXUINT32 / 2);
  guint32 new_mask = self->mask * 2 + 1;
  Slot *slots = g_new0 (Slot, (gsize) new_mask + 1);
  for (guint64 s = 0; s <= self->mask; s++)
    {
      const Slot *old = &self->slots[s];
      if (old->id1 == 0)
        continue;
      guint32 t = tag_home (old->tag, new_mask);
      while (slots[t].id1 != 0)
        t = (t + 1) & new_mask;
      slots[t] = *old;
    }
  g_free (self->slots);
  self->slots = slots;
  self->mask = new_mask;
}

/* Returns the slot holding @key, or the empty slot where it would go. */
static inline Slot *
find_slot (const ScalrIdMap *self, const Key *k, const char *key, gsize len)
{
  for (guint32 s = tag_home (k->tag, self->mask);; s = (s + 1) & self->mask)
    {
      Slot *slot = &self->slots[s];
      if (slot->id1 == 0 || slot_matches (self, slot, k, key, len))
        return slot;
    }
}

gboolean
scalr_id_map_lookup (const ScalrIdMap *self, const char *key, gsize len, ScalrId *out_id)
{
  Key k;
  key_prepare (&k, key, len);
  const Slot *slot = find_slot (self, &k, key, len);
  if (slot->id1 == 0)
    return FALSE;
  *out_id = slot->id1 - 1;
  return TRUE;
}

static inline ScalrId
intern_prepared (ScalrIdMap *self, const Key *k, const char *key, gsize len, gboolean *added)
{
  Slot *slot = find_slot (self, k, key, len);
  if (slot->id1 != 0)
    {
      if (added)
        *added = FALSE;
      return slot->id1 - 1;
    }
  g_assert (self->n < G_MAXUINT32 - 1);
  guint32 id = self->n++;
  guint64 off = self->arena->len;
  g_byte_array_append (self->arena, (const guint8 *) key, (guint) len);
  g_byte_array_append (self->arena, (const guint8 *) "", 1);
  g_array_append_val (self->offsets, off);
  slot->tag = k->tag;
  slot->id1 = id + 1;
  if ((k->tag & KIND_MASK) == KIND_LONG)
    {
      g_assert (off <= LONG_OFF_MASK);
      slot->word = k->word | off;
    }
  else
    slot->word = k->word;
  /* At most 3/4 full: probes stay short and a slot costs 16 bytes. */
  if ((guint64) self->n * 4 > ((guint64) self->mask + 1) * 3)
    grow (self);
  if (added)
    *added = TRUE;
  return id;
}

ScalrId
scalr_id_map_intern (ScalrIdMap *self, const char *key, gsize len, gboolean *added)
{
  Key k;
  key_prepare (&k, key, len);
  return intern_prepared (self, &k, key, len, added);
}

void
scalr_id_map_intern_many (ScalrIdMap *self, const char *const *keys, const gsize *lens, gsize n,
                          ScalrId *out_ids)
{
  /* Hash a chunk, then intern it in order while prefetching the home slot of the key
   * AHEAD positions later: the table is much larger than the cache, and the probes of
   * consecutive keys are independent, so their misses overlap. */
  enum { CHUNK = 256, AHEAD = 16 };
  Key k[CHUNK];
  for (gsize base = 0; base < n; base += CHUNK)
    {
      gsize m = MIN ((gsize) CHUNK, n - base);
      for (gsize j = 0; j < m; j++)
        key_prepare (&k[j], keys[base + j], lens[base + j]);
      for (gsize j = 0; j < MIN ((gsize) AHEAD, m); j++)
        __builtin_prefetch (&self->slots[tag_home (k[j].tag, self->mask)]);
      for (gsize j = 0; j < m; j++)
        {
          if (j + AHEAD < m)
            __builtin_prefetch (&self->slots[tag_home (k[j + AHEAD].tag, self->mask)]);
          out_ids[base + j] = intern_prepared (self, &k[j], keys[base + j], lens[base + j], NULL);
        }
    }
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
  return self->arena->len + (gsize) self->n * sizeof (guint64)
         + ((gsize) self->mask + 1) * sizeof (Slot);
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
