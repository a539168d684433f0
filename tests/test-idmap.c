/* test-idmap.c — string ↔ dense id maps. */
#include "config.h"

#include "scalr-registry.h"

#include "scalr-idmap.h"
#include "test-util.h"

static void
test_intern (void)
{
  g_autoptr (ScalrIdMap) m = scalr_id_map_new ();
  gboolean added;
  g_assert_cmpuint (scalr_id_map_intern (m, "b", 1, &added), ==, 0);
  g_assert_true (added);
  g_assert_cmpuint (scalr_id_map_intern (m, "a", 1, &added), ==, 1);
  g_assert_cmpuint (scalr_id_map_intern (m, "bxyz", 1, &added), ==, 0);   /* only 1 byte counts */
  g_assert_false (added);
  g_assert_cmpuint (scalr_id_map_intern (m, "", 0, &added), ==, 2);        /* empty is a name too */
  g_assert_cmpuint (scalr_id_map_get_size (m), ==, 3);
  g_assert_cmpstr (scalr_id_map_get_name (m, 1), ==, "a");
  ScalrId id = 99;
  g_assert_true (scalr_id_map_lookup (m, "a", 1, &id));
  g_assert_cmpuint (id, ==, 1);
  g_assert_false (scalr_id_map_lookup (m, "ab", 2, &id));
}

static void
test_grow (void)
{
  g_autoptr (ScalrIdMap) m = scalr_id_map_new ();
  for (guint k = 0; k < 50000; k++)
    {
      char key[32];
      int len = g_snprintf (key, sizeof key, "user-%u", k * 7919u);
      g_assert_cmpuint (scalr_id_map_intern (m, key, (gsize) len, NULL), ==, k);
    }
  for (guint k = 0; k < 50000; k += 97)
    {
      char key[32];
      int len = g_snprintf (key, sizeof key, "user-%u", k * 7919u);
      ScalrId id;
      g_assert_true (scalr_id_map_lookup (m, key, (gsize) len, &id));
      g_assert_cmpuint (id, ==, k);
      g_assert_cmpstr (scalr_id_map_get_name (m, k), ==, key);
    }
}

static void
test_arena (void)
{
  g_autoptr (ScalrIdMap) m = scalr_id_map_new ();
  scalr_id_map_intern (m, "x", 1, NULL);
  scalr_id_map_intern (m, "héllo", strlen ("héllo"), NULL);
  scalr_id_map_intern (m, "z", 1, NULL);
  gsize len;
  const char *arena = scalr_id_map_get_arena (m, &len);
  g_assert_cmpuint (len, ==, 2 + strlen ("héllo") + 1 + 2);
  g_autoptr (ScalrIdMap) copy = scalr_id_map_new_from_arena (arena, len);
  g_assert_nonnull (copy);
  g_assert_cmpuint (scalr_id_map_get_size (copy), ==, 3);
  g_assert_cmpstr (scalr_id_map_get_name (copy, 1), ==, "héllo");
  /* Repeated names or a missing terminator are refused. */
  g_assert_null (scalr_id_map_new_from_arena ("a\0b\0a\0", 6));
  g_assert_null (scalr_id_map_new_from_arena ("a\0b", 3));
}

/* Keys around the 8-byte inline limit, with shared prefixes, and an 8-byte key whose last
 * byte equals a short key's length marker: all distinct, all found again. */
static void
test_key_lengths (void)
{
  g_autoptr (ScalrIdMap) m = scalr_id_map_new ();
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  for (guint len = 1; len <= 40; len++)
    {
      g_ptr_array_add (keys, g_strnfill (len, 'a'));                 /* prefixes of each other */
      char *k = g_strnfill (len, 'a');
      k[len - 1] = 'b';                                               /* differs in the last byte */
      g_ptr_array_add (keys, k);
      k = g_strnfill (len, 'a');
      k[0] = 'c';                                                     /* differs in the first byte */
      g_ptr_array_add (keys, k);
    }
  g_ptr_array_add (keys, g_strdup ("abcdefg"));         /* 7 bytes: length marker 7 */
  g_ptr_array_add (keys, g_strdup ("abcdefg\x07"));     /* 8 bytes ending in 7 */
  g_ptr_array_add (keys, g_strdup ("abcdefg\x08"));
  g_ptr_array_add (keys, g_strdup ("u966194"));
  g_ptr_array_add (keys, g_strdup ("u9661940"));
  g_ptr_array_add (keys, g_strdup ("u96619400"));
  g_ptr_array_add (keys, g_strdup ("ünïcødé"));
  for (guint k = 0; k < keys->len; k++)
    {
      const char *key = g_ptr_array_index (keys, k);
      gboolean added = FALSE;
      g_assert_cmpuint (scalr_id_map_intern (m, key, strlen (key), &added), ==, k);
      g_assert_true (added);
    }
  g_assert_cmpuint (scalr_id_map_get_size (m), ==, keys->len);
  for (guint k = 0; k < keys->len; k++)
    {
      const char *key = g_ptr_array_index (keys, k);
      gboolean added = TRUE;
      ScalrId id = 0;
      g_assert_cmpuint (scalr_id_map_intern (m, key, strlen (key), &added), ==, k);
      g_assert_false (added);
      g_assert_true (scalr_id_map_lookup (m, key, strlen (key), &id));
      g_assert_cmpuint (id, ==, k);
      g_assert_cmpstr (scalr_id_map_get_name (m, k), ==, key);
      /* A key one byte shorter or longer is another key (or absent). */
      g_autofree char *longer = g_strconcat (key, "a", NULL);
      if (scalr_id_map_lookup (m, longer, strlen (longer), &id))
        g_assert_cmpstr (scalr_id_map_get_name (m, id), ==, longer);
      if (strlen (key) > 1 && scalr_id_map_lookup (m, key, strlen (key) - 1, &id))
        g_assert_cmpuint (strlen (scalr_id_map_get_name (m, id)), ==, strlen (key) - 1);
    }
  ScalrId id;
  g_assert_false (scalr_id_map_lookup (m, "abcdefg\x06", 8, &id));
  g_assert_false (scalr_id_map_lookup (m, "abcdef", 6, &id));

  /* Keys longer than the 16-bit length field: the same field, different lengths. */
  g_autofree char *big1 = g_strnfill (70000, 'x');
  g_autofree char *big2 = g_strnfill (70010, 'x');
  ScalrId b1 = scalr_id_map_intern (m, big1, 70000, NULL);
  g_assert_false (scalr_id_map_lookup (m, big2, 70010, &id));
  ScalrId b2 = scalr_id_map_intern (m, big2, 70010, NULL);
  g_assert_cmpuint (b2, ==, b1 + 1);
  g_assert_true (scalr_id_map_lookup (m, big1, 70000, &id));
  g_assert_cmpuint (id, ==, b1);
  g_assert_false (scalr_id_map_lookup (m, big2, 69999, &id));
}

/* intern_many gives the ids one-by-one interning gives, through many grows. */
static void
test_intern_many (void)
{
  enum { N = 1000000 };
  g_autoptr (ScalrIdMap) one = scalr_id_map_new ();
  g_autoptr (ScalrIdMap) many = scalr_id_map_new ();
  g_autofree char **keys = g_new (char *, 2 * N);
  g_autofree gsize *lens = g_new (gsize, 2 * N);
  g_autofree ScalrId *ids = g_new (ScalrId, 2 * N);
  GRand *rand = g_rand_new_with_seed (7);
  for (guint k = 0; k < 2 * N; k++)
    {
      /* About half repeats; short (inline) and long (arena) keys mixed. */
      guint32 x = g_rand_int_range (rand, 0, N);
      keys[k] = x % 3 == 0 ? g_strdup_printf ("a-rather-long-user-name-%u", x) : g_strdup_printf ("u%u", x);
      lens[k] = strlen (keys[k]);
    }
  g_rand_free (rand);
  for (guint k = 0; k < 2 * N; )
    {
      guint n = MIN (2 * N - k, 1 + k % 3000);   /* batches of varying size */
      scalr_id_map_intern_many (many, (const char *const *) keys + k, lens + k, n, ids + k);
      k += n;
    }
  for (guint k = 0; k < 2 * N; k++)
    g_assert_cmpuint (scalr_id_map_intern (one, keys[k], lens[k], NULL), ==, ids[k]);
  g_assert_cmpuint (scalr_id_map_get_size (one), ==, scalr_id_map_get_size (many));
  g_assert_cmpuint (scalr_id_map_get_size (many), >, N / 2);
  gsize len1, len2;
  const char *a1 = scalr_id_map_get_arena (one, &len1);
  const char *a2 = scalr_id_map_get_arena (many, &len2);
  g_assert_cmpmem (a1, len1, a2, len2);
  /* First appearance order: each id is one more than the largest before it, or repeats. */
  ScalrId next = 0;
  for (guint k = 0; k < 2 * N; k++)
    {
      g_assert_cmpuint (ids[k], <=, next);
      if (ids[k] == next)
        next++;
      g_assert_cmpstr (scalr_id_map_get_name (many, ids[k]), ==, keys[k]);
    }
  for (guint k = 0; k < 2 * N; k++)
    g_free (keys[k]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/idmap/intern", test_intern);
  g_test_add_func ("/scalr/idmap/grow", test_grow);
  g_test_add_func ("/scalr/idmap/arena", test_arena);
  g_test_add_func ("/scalr/idmap/key-lengths", test_key_lengths);
  g_test_add_func ("/scalr/idmap/intern-many", test_intern_many);
  return g_test_run ();
}
