/* test-idmap.c — string ↔ dense id maps. */
#include "config.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scalr/idmap/intern", test_intern);
  g_test_add_func ("/scalr/idmap/grow", test_grow);
  g_test_add_func ("/scalr/idmap/arena", test_arena);
  return g_test_run ();
}
