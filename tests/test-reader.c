/* test-reader.c — the delimited-text reader. */
#include "config.h"

#include "scalr-registry.h"

#include "scalr-reader.h"

#include <math.h>
#include <string.h>

#include "test-util.h"

static void
expect_record (ScalrReader *r, guint64 line, guint n, ...)
{
  const ScalrField *f;
  guint got;
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_reader_next (r, &f, &got, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (got, ==, n);
  g_assert_cmpuint (scalr_reader_get_line (r), ==, line);
  va_list ap;
  va_start (ap, n);
  for (guint k = 0; k < n; k++)
    {
      const char *want = va_arg (ap, const char *);
      g_autofree char *have = scalr_field_dup (&f[k]);
      g_assert_cmpstr (have, ==, want);
    }
  va_end (ap);
}

static void
expect_end (ScalrReader *r)
{
  const ScalrField *f;
  guint got = 99;
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_reader_next (r, &f, &got, &error));
  g_assert_cmpuint (got, ==, 0);
}

static void
test_tsv_basic (void)
{
  const char *text = "a\tb\n1\t2\r\n\n3\t\n";
  g_autoptr (ScalrReader) r = scalr_reader_new_for_data (text, strlen (text), "t.tsv", SCALR_FORMAT_AUTO);
  expect_record (r, 1, 2, "a", "b");
  expect_record (r, 2, 2, "1", "2");
  expect_record (r, 4, 2, "3", "");   /* blank line 3 skipped; empty last field kept */
  expect_end (r);
  g_assert_cmpint (scalr_reader_get_format (r), ==, SCALR_FORMAT_TSV);
}

static void
test_tsv_keeps_quotes (void)
{
  /* MovieLens titles hold double quotes: TSV must not treat them as quoting. */
  const char *text = "id\ttitle\n1\t\"Great\" Expectations\n";
  g_autoptr (ScalrReader) r = scalr_reader_new_for_data (text, strlen (text), "m.tsv", SCALR_FORMAT_AUTO);
  expect_record (r, 1, 2, "id", "title");
  expect_record (r, 2, 2, "1", "\"Great\" Expectations");
  expect_end (r);
}

static void
test_csv_quotes (void)
{
  const char *text = "id,title\n1,\"Hello, \"\"World\"\"\"\n2,\"multi\nline\"\n3,x,\n";
  g_autoptr (ScalrReader) r = scalr_reader_new_for_data (text, strlen (text), "q.csv", SCALR_FORMAT_AUTO);
  expect_record (r, 1, 2, "id", "title");
  expect_record (r, 2, 2, "1", "Hello, \"World\"");
  expect_record (r, 3, 2, "2", "multi\nline");
  expect_record (r, 5, 3, "3", "x", "");
  expect_end (r);
  g_assert_cmpint (scalr_reader_get_format (r), ==, SCALR_FORMAT_CSV);
}

static void
test_detect (void)
{
  const char *inter = "user_id:token\titem_id:token\n1\t2\n";
  g_autoptr (ScalrReader) a = scalr_reader_new_for_data (inter, strlen (inter), "x", SCALR_FORMAT_AUTO);
  expect_record (a, 1, 2, "user_id:token", "item_id:token");
  g_assert_cmpint (scalr_reader_get_format (a), ==, SCALR_FORMAT_INTER);
  const char *csv = "u,i\n1,2\n";
  g_autoptr (ScalrReader) b = scalr_reader_new_for_data (csv, strlen (csv), "x", SCALR_FORMAT_AUTO);
  expect_record (b, 1, 2, "u", "i");
  g_assert_cmpint (scalr_reader_get_format (b), ==, SCALR_FORMAT_CSV);
  /* An explicit format wins over the content: a comma file read as TSV has one field. */
  g_autoptr (ScalrReader) c = scalr_reader_new_for_data (csv, strlen (csv), "x", SCALR_FORMAT_TSV);
  expect_record (c, 1, 1, "u,i");
}

static void
test_csv_bad_quotes (void)
{
  const char *cases[][2] = {
    { "a,b\n1,\"open\n", "q.csv:2:" },
    { "a,b\n\"x\"y,2\n", "q.csv:2:" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr (ScalrReader) r = scalr_reader_new_for_data (cases[k][0], strlen (cases[k][0]), "q.csv", SCALR_FORMAT_CSV);
      const ScalrField *f;
      guint n;
      g_autoptr (GError) error = NULL;
      g_assert_true (scalr_reader_next (r, &f, &n, &error));
      g_assert_false (scalr_reader_next (r, &f, &n, &error));
      test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_QUOTE, cases[k][1], "quote");
    }
}

static void
test_nul (void)
{
  const char text[] = "a\tb\n1\t2\n3\t\0x\n";
  for (ScalrFormat fmt = SCALR_FORMAT_TSV; fmt <= SCALR_FORMAT_CSV; fmt++)
    {
      g_autoptr (ScalrReader) r = scalr_reader_new_for_data (text, sizeof text - 1, "n.tsv", fmt);
      const ScalrField *f;
      guint n;
      g_autoptr (GError) error = NULL;
      g_assert_true (scalr_reader_next (r, &f, &n, &error));
      g_assert_true (scalr_reader_next (r, &f, &n, &error));
      g_assert_false (scalr_reader_next (r, &f, &n, &error));
      test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_NUL, "n.tsv:3:", "NUL");
    }
}

/* A file-backed read: many lines cross the 4 MiB block boundary; a record of exactly
 * 1 MiB is accepted and one byte more is refused with its line number. */
static void
test_blocks_and_long_lines (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autoptr (GString) s = g_string_new ("user\titem\n");
  for (guint k = 0; k < 400000; k++)
    g_string_append_printf (s, "u%u\ti%u\n", k, k % 977);
  g_string_append_c (s, 'a');
  for (guint k = 1; k < SCALR_READER_MAX_RECORD; k++)
    g_string_append_c (s, 'b');                          /* line 400002: exactly 1 MiB */
  g_string_append (s, "\nlast\tline\n");
  g_autofree char *path = test_write_file (dir, "big.tsv", s->str, (gssize) s->len);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrReader) r = scalr_reader_new (path, SCALR_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  const ScalrField *f;
  guint n;
  guint64 records = 0;
  gboolean saw_long = FALSE;
  for (;;)
    {
      g_assert_true (scalr_reader_next (r, &f, &n, &error));
      if (n == 0)
        break;
      records++;
      if (records == 2)
        g_assert_true (scalr_field_equal (&f[0], "u0") && scalr_field_equal (&f[1], "i0"));
      if (f[0].len == SCALR_READER_MAX_RECORD)
        saw_long = TRUE;
    }
  g_assert_cmpuint (records, ==, 400003);
  g_assert_true (saw_long);
  g_assert_cmpuint (scalr_reader_get_line (r), ==, 400003);

  g_string_truncate (s, 0);
  g_string_append (s, "user\titem\n");
  for (guint k = 0; k <= SCALR_READER_MAX_RECORD; k++)
    g_string_append_c (s, 'x');
  g_string_append (s, "\n");
  g_autofree char *path2 = test_write_file (dir, "long.tsv", s->str, (gssize) s->len);
  g_autoptr (ScalrReader) r2 = scalr_reader_new (path2, SCALR_FORMAT_AUTO, &error);
  g_assert_true (scalr_reader_next (r2, &f, &n, &error));
  g_assert_false (scalr_reader_next (r2, &f, &n, &error));
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_LINE_TOO_LONG, "long.tsv:2:", "1 MiB");
  test_rm_rf (dir);
}

static void
test_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrReader) r = scalr_reader_new ("/nonexistent/ratings.tsv", SCALR_FORMAT_AUTO, &error);
  g_assert_null (r);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_IO, "/nonexistent/ratings.tsv", "cannot open");
  g_clear_error (&error);
  r = scalr_reader_new ("/tmp", SCALR_FORMAT_AUTO, &error);
  g_assert_null (r);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_IO, "not a regular file");
}

static void
test_fields (void)
{
  struct { const char *text; gboolean ok; double value; } d[] = {
    { "4.5", TRUE, 4.5 }, { " 3 ", TRUE, 3.0 }, { "-1e3", TRUE, -1000.0 }, { "1260759144", TRUE, 1260759144.0 },
    { "nan", FALSE, 0 }, { "NaN", FALSE, 0 }, { "inf", FALSE, 0 }, { "1e400", FALSE, 0 }, { "", FALSE, 0 },
    { "abc", FALSE, 0 }, { "4.5x", FALSE, 0 }, { "  ", FALSE, 0 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (d); k++)
    {
      ScalrField f = { d[k].text, strlen (d[k].text) };
      double v = -7;
      g_assert_cmpint (scalr_field_to_double (&f, &v), ==, d[k].ok);
      if (d[k].ok)
        g_assert_cmpfloat (v, ==, d[k].value);
    }
  struct { const char *text; gboolean ok; gint64 value; } i[] = {
    { "0", TRUE, 0 }, { "42", TRUE, 42 }, { "-7", TRUE, -7 }, { "-", FALSE, 0 }, { "4a", FALSE, 0 },
    { "", FALSE, 0 }, { "12345678901234567890", FALSE, 0 },
    { "9223372036854775807", TRUE, G_MAXINT64 }, { "9223372036854775808", FALSE, 0 },
    { "9999999999999999999", FALSE, 0 },   /* 19 digits past G_MAXINT64 (fuzz-tsv) */
  };
  for (guint k = 0; k < G_N_ELEMENTS (i); k++)
    {
      ScalrField f = { i[k].text, strlen (i[k].text) };
      gint64 v = -99;
      g_assert_cmpint (scalr_field_to_int64 (&f, &v), ==, i[k].ok);
      if (i[k].ok)
        g_assert_cmpint (v, ==, i[k].value);
    }
  ScalrFormat fmt;
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_format_from_string ("inter", &fmt, &error));
  g_assert_cmpint (fmt, ==, SCALR_FORMAT_INTER);
  g_assert_false (scalr_format_from_string ("xlsx", &fmt, &error));
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_VALUE, "xlsx", "tsv, csv");
}

/* scalr_field_to_double as it was before its fast path: the reference. */
static gboolean
reference_to_double (const char *text, double *out)
{
  gsize len = strlen (text);
  const char *s = text;
  while (len > 0 && *s == ' ')
    s++, len--;
  while (len > 0 && s[len - 1] == ' ')
    len--;
  if (len == 0 || len >= 64)
    return FALSE;
  g_autofree char *tmp = g_strndup (s, len);
  char *endp = NULL;
  double v = g_ascii_strtod (tmp, &endp);
  if (endp != tmp + len || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static void
assert_same_as_reference (const char *text)
{
  ScalrField f = { text, strlen (text) };
  double want = -7, have = -7;
  gboolean ok_want = reference_to_double (text, &want);
  gboolean ok_have = scalr_field_to_double (&f, &have);
  if (ok_want != ok_have || (ok_want && memcmp (&want, &have, sizeof want) != 0))
    g_error ("'%s': expected %d %.17g, got %d %.17g", text, ok_want, want, ok_have, have);
}

static void
test_number_fast_path (void)
{
  static const char *const tricky[] = {
    "0.1", "4.5", "-0", "+0", "-0.0", "1e3", "00012", "1.", ".5", "-.5", "+.5", ".", "-", "+", "+-1",
    "9007199254740992", "9007199254740993", "-9007199254740993", "123456789012345678901234567890",
    "+5", " 7", "7 ", "1,5", "1.5.", "1..5", "0x10", "1262304001", "1262304001.5", "0.30000000000000004",
    "5.000000000000001", "1234567890123456789", "12345678901234567890", "0.0000000000000000001",
    "0000000000000000000001", "3.14159265358979323846", "1e-5", "1E5", "\t7", "7\n", "٣", "1_000",
    "99999999999999999", "0.1234567890123456789", "18446744073709551615", "18446744073709551616",
    "2.5", "1260759144", "4.0", "-1262304001.125",
  };
  for (guint k = 0; k < G_N_ELEMENTS (tricky); k++)
    assert_same_as_reference (tricky[k]);

  /* Exact values, not only agreement. */
  double v;
  ScalrField f = { "4.5", 3 };
  g_assert_true (scalr_field_to_double (&f, &v));
  g_assert_true (v == 4.5);
  f = (ScalrField) { "1262304001", 10 };
  g_assert_true (scalr_field_to_double (&f, &v));
  g_assert_true (v == 1262304001.0);
  f = (ScalrField) { "-0", 2 };
  g_assert_true (scalr_field_to_double (&f, &v));
  g_assert_true (v == 0.0 && signbit (v));
  f = (ScalrField) { "0.1", 3 };
  g_assert_true (scalr_field_to_double (&f, &v));
  g_assert_true (v == 0.1);
  f = (ScalrField) { "4.5", 1 };   /* only the first byte counts */
  g_assert_true (scalr_field_to_double (&f, &v));
  g_assert_true (v == 4.0);

  /* Random short decimals, around the 2^53 and 19-digit limits too. */
  GRand *rand = g_rand_new_with_seed (42);
  static const char alphabet[] = "0123456789012345678901234567890123456789..-+e ";
  for (guint k = 0; k < 200000; k++)
    {
      char text[32];
      guint len = (guint) g_rand_int_range (rand, 1, 24);
      for (guint j = 0; j < len; j++)
        text[j] = alphabet[g_rand_int_range (rand, 0, (gint32) sizeof alphabet - 1)];
      text[len] = '\0';
      assert_same_as_reference (text);
      /* m / 10^f with m near 2^53 */
      guint64 m = (G_GUINT64_CONSTANT (1) << 53) - 1000 + (guint64) g_rand_int_range (rand, 0, 2000);
      guint f10 = (guint) g_rand_int_range (rand, 0, 17);
      g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, m);
      gsize nd = strlen (digits);
      g_autofree char *dec = f10 < nd ? g_strdup_printf ("%.*s.%s", (int) (nd - f10), digits, digits + nd - f10)
                                      : g_strdup_printf ("0.%0*d%s", (int) (f10 - nd), 0, digits);
      assert_same_as_reference (dec);
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/reader/tsv-basic", test_tsv_basic);
  g_test_add_func ("/scalr/reader/tsv-keeps-quotes", test_tsv_keeps_quotes);
  g_test_add_func ("/scalr/reader/csv-quotes", test_csv_quotes);
  g_test_add_func ("/scalr/reader/detect", test_detect);
  g_test_add_func ("/scalr/reader/csv-bad-quotes", test_csv_bad_quotes);
  g_test_add_func ("/scalr/reader/nul", test_nul);
  g_test_add_func ("/scalr/reader/blocks-and-long-lines", test_blocks_and_long_lines);
  g_test_add_func ("/scalr/reader/missing-file", test_missing_file);
  g_test_add_func ("/scalr/reader/fields", test_fields);
  g_test_add_func ("/scalr/reader/number-fast-path", test_number_fast_path);
  return g_test_run ();
}
