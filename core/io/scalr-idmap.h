/* scalr-idmap.h — string ids to dense ids (0..n-1 in order of first appearance) and back.
 *
 * An open-addressing hash table (16-byte slots, at most 3/4 full, keys of up to 8 bytes
 * inline) over one string arena: 30 to 50 bytes per id beyond the names themselves, and
 * no per-id allocation. */
#pragma once

#include "scalr-types.h"

G_BEGIN_DECLS

ScalrIdMap  *scalr_id_map_new      (void) G_GNUC_WARN_UNUSED_RESULT;
void         scalr_id_map_free     (ScalrIdMap *map);

/* Returns the dense id of @key (@len bytes, need not be NUL-terminated), adding it if new.
 * *added (may be NULL) says whether it was new. */
ScalrId      scalr_id_map_intern   (ScalrIdMap *map, const char *key, gsize len, gboolean *added);
/* Interns @n keys (@keys[k] of @lens[k] bytes) in order, exactly as @n calls of
 * scalr_id_map_intern would, and writes their ids to @out_ids. Faster for many keys: the
 * table is probed for later keys while earlier ones are interned. */
void         scalr_id_map_intern_many (ScalrIdMap        *map,
                                       const char *const *keys,
                                       const gsize       *lens,
                                       gsize              n,
                                       ScalrId           *out_ids);
/* Returns TRUE and sets *out_id when @key is known. */
gboolean     scalr_id_map_lookup   (const ScalrIdMap *map, const char *key, gsize len, ScalrId *out_id);
/* The name of @id (borrowed, NUL-terminated). */
const char  *scalr_id_map_get_name (const ScalrIdMap *map, ScalrId id);
guint        scalr_id_map_get_size (const ScalrIdMap *map);
/* Bytes held by the map (arena, offsets, table), for memory accounting. */
gsize        scalr_id_map_get_memory (const ScalrIdMap *map);

/* All names, NUL-separated, in id order (borrowed), and its length in bytes. */
const char  *scalr_id_map_get_arena (const ScalrIdMap *map, gsize *len);
/* Rebuilds a map from a NUL-separated arena (as from get_arena). Returns NULL if two names
 * repeat or the arena is not NUL-terminated. */
ScalrIdMap  *scalr_id_map_new_from_arena (const char *arena, gsize len) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrIdMap, scalr_id_map_free)

G_END_DECLS
