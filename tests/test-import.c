/* test-import.c — importing event and item files into datasets, and every bad input. */
#include "config.h"

#include "scalr-registry.h"

#include "scalr-dataset.h"
#include "scalr-idmap.h"
#include "scalr-import.h"
#include "test-util.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = test_tmpdir_new ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
}

static ScalrDataset *
import_text (Fixture *f, const char *name, const char *text, gssize len, const char *items, GError **error)
{
  g_autofree char *path = test_write_file (f->dir, name, text, len);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("t");
  scalr_import_options_add_events (o, path, NULL);
  if (items)
    o->items_path = test_write_file (f->dir, "items.tsv", items, -1);
  return scalr_import_dataset (o, NULL, NULL, error);
}

/* Finds the event of (user, item) and returns its index, or -1. */
static gint64
find_event (ScalrDataset *d, const char *user, const char *item)
{
  ScalrId u, i;
  if (!scalr_id_map_lookup (scalr_dataset_get_users (d), user, strlen (user), &u)
      || !scalr_id_map_lookup (scalr_dataset_get_items (d), item, strlen (item), &i))
    return -1;
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  for (guint64 e = ev.user_ptr[u]; e < ev.user_ptr[u + 1]; e++)
    if (ev.item[e] == i)
      return (gint64) e;
  return -1;
}

static void
test_movielens (Fixture *f, gconstpointer data)
{
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("ml");
  scalr_import_options_add_events (o, ratings, NULL);
  o->items_path = g_strdup (movies);
  g_autoptr (GError) error = NULL;
  ScalrImportReport report;
  g_autoptr (ScalrDataset) d = scalr_import_dataset_full (o, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_dataset_get_n_events (d), ==, 100004);
  g_assert_cmpuint (scalr_dataset_get_n_users (d), ==, 671);
  g_assert_cmpuint (scalr_dataset_get_n_items (d), ==, 9066);
  g_assert_cmpuint (scalr_dataset_get_n_duplicates (d), ==, 0);
  g_assert_cmpuint (report.lines, ==, 100004);
  g_assert_cmpuint (report.items_without_meta, ==, 0);
  g_assert_cmpuint (scalr_id_map_get_size (scalr_dataset_get_categories (d)), ==, 19);
  /* First line of ratings.tsv: 1 31 2.5 1260759144. */
  gint64 e = find_event (d, "1", "31");
  g_assert_cmpint (e, >=, 0);
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  g_assert_cmpfloat (ev.rating[e], ==, 2.5f);
  g_assert_cmpfloat (ev.timestamp[e], ==, 1260759144.0);
  ScalrId toy;
  g_assert_true (scalr_id_map_lookup (scalr_dataset_get_items (d), "1", 1, &toy));
  g_assert_cmpstr (scalr_dataset_get_item_title (d, toy), ==, "Toy Story (1995)");
  guint nc;
  const guint32 *cats = scalr_dataset_get_item_categories (d, toy, &nc);
  g_assert_cmpuint (nc, ==, 5);   /* Adventure|Animation|Children|Comedy|Fantasy */
  g_assert_cmpstr (scalr_id_map_get_name (scalr_dataset_get_categories (d), cats[3]), ==, "Comedy");
  g_assert_cmpuint (strlen (scalr_dataset_get_fingerprint (d)), ==, 64);
}

static void
test_duplicates (Fixture *f, gconstpointer data)
{
  /* (u1, i1) three times: the latest (t=20, rating 5) is kept. (u2, i2) twice with equal
   * timestamps: the last in file order (rating 2) is kept. */
  const char *text =
    "user\titem\trating\ttimestamp\n"
    "u1\ti1\t3\t10\n"
    "u2\ti2\t1\t7\n"
    "u1\ti1\t5\t20\n"
    "u1\ti0\t4\t1\n"
    "u1\ti1\t4\t15\n"
    "u2\ti2\t2\t7\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = import_text (f, "dup.tsv", text, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_dataset_get_n_events (d), ==, 3);
  g_assert_cmpuint (scalr_dataset_get_n_duplicates (d), ==, 3);
  /* Dense ids in order of first appearance. */
  g_assert_cmpstr (scalr_id_map_get_name (scalr_dataset_get_users (d), 0), ==, "u1");
  g_assert_cmpstr (scalr_id_map_get_name (scalr_dataset_get_items (d), 2), ==, "i0");
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  /* u1's events sorted by item id: i1 (id 0), i0 (id 2). */
  g_assert_cmpuint (ev.user_ptr[1], ==, 2);
  g_assert_cmpuint (ev.item[0], ==, 0);
  g_assert_cmpuint (ev.item[1], ==, 2);
  g_assert_cmpfloat (ev.rating[find_event (d, "u1", "i1")], ==, 5.0f);
  g_assert_cmpfloat (ev.timestamp[find_event (d, "u1", "i1")], ==, 20.0);
  g_assert_cmpfloat (ev.rating[find_event (d, "u2", "i2")], ==, 2.0f);
}

static void
test_domain_column (Fixture *f, gconstpointer data)
{
  /* The same (user, item) in two domains is two events, not a duplicate. */
  const char *text =
    "user_id,item_id,rating,domain\n"
    "a,x,5,Books\n"
    "a,x,4,Movies\n"
    "b,y,3,Movies\n"
    "a,x,2,Books\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = import_text (f, "dom.csv", text, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_dataset_get_n_events (d), ==, 3);
  g_assert_cmpuint (scalr_dataset_get_n_duplicates (d), ==, 1);
  ScalrIdMap *labels = scalr_dataset_get_domains (d);
  g_assert_cmpuint (scalr_id_map_get_size (labels), ==, 2);
  g_assert_cmpstr (scalr_id_map_get_name (labels, 0), ==, "Books");
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  /* a: (Books, x, rating 2 — the later line), (Movies, x, 4). */
  g_assert_cmpuint (ev.domain[0], ==, 0);
  g_assert_cmpfloat (ev.rating[0], ==, 2.0f);
  g_assert_cmpuint (ev.domain[1], ==, 1);
  g_assert_cmpfloat (ev.rating[1], ==, 4.0f);
  g_assert_false (scalr_dataset_has_timestamps (d));
  g_assert_true (scalr_dataset_has_ratings (d));
}

static void
test_two_files (Fixture *f, gconstpointer data)
{
  g_autofree char *books = test_write_file (f->dir, "books.tsv", "user\titem\nu1\tb1\nu2\tb2\n", -1);
  g_autofree char *movies = test_write_file (f->dir, "movies.tsv", "user\titem\nu1\tm1\nu3\tm1\n", -1);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, books, NULL);
  scalr_import_options_add_events (o, movies, "Film");
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  ScalrIdMap *labels = scalr_dataset_get_domains (d);
  g_assert_cmpuint (scalr_id_map_get_size (labels), ==, 2);
  g_assert_cmpstr (scalr_id_map_get_name (labels, 0), ==, "books");   /* the file's base name */
  g_assert_cmpstr (scalr_id_map_get_name (labels, 1), ==, "Film");
  g_assert_cmpuint (scalr_dataset_get_n_users (d), ==, 3);
  g_assert_cmpuint (scalr_dataset_get_n_events (d), ==, 4);
  g_assert_false (scalr_dataset_has_ratings (d));
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  g_assert_cmpfloat (ev.rating[0], ==, 1.0f);   /* implicit feedback */

  /* Two files with one label are refused. */
  g_autoptr (ScalrImportOptions) o2 = scalr_import_options_new ();
  scalr_import_options_add_events (o2, books, "X");
  scalr_import_options_add_events (o2, movies, "X");
  g_autoptr (ScalrDataset) d2 = scalr_import_dataset (o2, NULL, NULL, &error);
  g_assert_null (d2);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_VALUE, "'X'", "movies.tsv");
}

static void
test_inter_and_mapping (Fixture *f, gconstpointer data)
{
  const char *inter =
    "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
    "7\t100\t4.0\t881250949\n"
    "7\t101\t3.5\t881250950\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = import_text (f, "ml.inter", inter, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_dataset_get_n_events (d), ==, 2);
  g_assert_true (scalr_dataset_has_timestamps (d));

  /* Columns by position and by name, on a header with no usual names. */
  g_autofree char *path = test_write_file (f->dir, "odd.tsv", "a\tb\tc\nz\tq\tp\n", -1);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, path, NULL);
  o->user_column = g_strdup ("3");
  o->item_column = g_strdup ("A");
  g_autoptr (ScalrDataset) d2 = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scalr_id_map_get_name (scalr_dataset_get_users (d2), 0), ==, "p");
  g_assert_cmpstr (scalr_id_map_get_name (scalr_dataset_get_items (d2), 0), ==, "z");
}

static void
test_fingerprint (Fixture *f, gconstpointer data)
{
  const char *a = "user\titem\trating\nu\ti\t4\nv\tj\t3\n";
  const char *b = "user,item,rating\nu,i,4\r\nv,j,3\r\n";   /* same events, other format */
  const char *c = "user\titem\trating\nu\ti\t4\nv\tj\t2\n";  /* one rating differs */
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) da = import_text (f, "a.tsv", a, -1, NULL, &error);
  g_autoptr (ScalrDataset) db = import_text (f, "b.csv", b, -1, NULL, &error);
  g_autoptr (ScalrDataset) dc = import_text (f, "c.tsv", c, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scalr_dataset_get_fingerprint (da), ==, scalr_dataset_get_fingerprint (db));
  g_assert_cmpstr (scalr_dataset_get_fingerprint (da), !=, scalr_dataset_get_fingerprint (dc));
}

/* Every bad input: the error names the file, the line where one applies, and what was
 * expected; no dataset comes back. */
typedef struct {
  const char *name;
  const char *file;
  const char *text;
  gssize      len;
  int         code;
  const char *where;
  const char *what;
  const char *what2;   /* optional */
} BadCase;

static void
test_bad_inputs (Fixture *f, gconstpointer data)
{
  static const char nul[] = "user\titem\trating\nu\ti\t4\nu\ti\0\t4\n";
  static const char bad_utf8[] = "user\titem\nu\xff\xfe\ti\n";
  const BadCase cases[] = {
    { "empty", "empty.tsv", "", 0, SCALR_READER_ERROR_EMPTY, "empty.tsv", "empty file" },
    { "header-only", "h.tsv", "user\titem\trating\n", -1, SCALR_READER_ERROR_EMPTY, "h.tsv", "header only" },
    { "columns", "c.tsv", "user\titem\trating\nu\ti\t4\nu\tj\n", -1, SCALR_READER_ERROR_COLUMNS, "c.tsv:3:", "expected 3" },
    { "rating-text", "r.tsv", "user\titem\trating\nu\ti\tfive\n", -1, SCALR_READER_ERROR_VALUE, "r.tsv:2:", "rating 'five'" },
    { "rating-nan", "n.tsv", "user\titem\trating\nu\ti\tNaN\n", -1, SCALR_READER_ERROR_VALUE, "n.tsv:2:", "not a finite number" },
    { "rating-float-range", "f.tsv", "user\titem\trating\nu\ti\t4\nu\tj\t1e39\n", -1, SCALR_READER_ERROR_VALUE, "f.tsv:3:", "rating 1e+39 is out of range" },
    { "timestamp-nan", "t.csv", "user,item,timestamp\nu,i,12\nu,j,nan\n", -1, SCALR_READER_ERROR_VALUE, "t.csv:3:", "timestamp 'nan'" },
    /* Timestamps that are not a plausible whole number of seconds (the first beyond int64,
     * the second within it but beyond what a double holds exactly, then a fraction and a
     * number that only strtod reads as huge). */
    { "timestamp-int64", "t1.tsv", "user\titem\ttimestamp\nu\ti\t12\nu\tj\t99999999999999999999999999\n", -1,
      SCALR_READER_ERROR_VALUE, "t1.tsv:3:", "timestamp '99999999999999999999999999' is not a whole number of seconds" },
    { "timestamp-2^53", "t2.tsv", "user\titem\ttimestamp\nu\ti\t9007199254740993\n", -1,
      SCALR_READER_ERROR_VALUE, "t2.tsv:2:", "within ±2^53" },
    { "timestamp-fraction", "t3.csv", "user,item,timestamp\nu,i,881250949.5\n", -1,
      SCALR_READER_ERROR_VALUE, "t3.csv:2:", "'881250949.5' is not a whole number" },
    { "timestamp-exponent", "t4.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ti\t1e300\n", -1,
      SCALR_READER_ERROR_VALUE, "t4.inter:2:", "'1e300'", "expected Unix time in seconds" },
    { "nul", "z.tsv", nul, sizeof nul - 1, SCALR_READER_ERROR_NUL, "z.tsv:3:", "NUL byte" },
    { "utf8", "u.tsv", bad_utf8, sizeof bad_utf8 - 1, SCALR_READER_ERROR_UTF8, "u.tsv:2:", "user id is not valid UTF-8" },
    { "empty-id", "e.tsv", "user\titem\n\ti\n", -1, SCALR_READER_ERROR_VALUE, "e.tsv:2:", "empty user id" },
    { "no-user-column", "x.tsv", "who\twhat\na\tb\n", -1, SCALR_READER_ERROR_HEADER, "x.tsv:1:", "no user column" },
    { "csv-quote", "q.csv", "user,item\n\"u,i\n", -1, SCALR_READER_ERROR_QUOTE, "q.csv:2:", "quote" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_test_message ("case %s", cases[k].name);
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrDataset) d = import_text (f, cases[k].file, cases[k].text, cases[k].len, NULL, &error);
      g_assert_null (d);
      test_assert_error_contains (error, SCALR_READER_ERROR, cases[k].code, cases[k].where, cases[k].what,
                                  cases[k].what2 ? cases[k].what2 : cases[k].what);
    }
}

/* Timestamps that are whole numbers in other spellings are read exactly. */
static void
test_timestamps (Fixture *f, gconstpointer data)
{
  const char *text = "user\titem\ttimestamp\n"
                     "u\ta\t881250949.0\n"
                     "u\tb\t8.8125e8\n"
                     "u\tc\t-86400\n"
                     "u\td\t9007199254740992\n"    /* 2^53: the largest exact one */
                     "u\te\t1433221332117\n";     /* milliseconds pass (an integer) */
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = import_text (f, "ts.tsv", text, -1, NULL, &error);
  g_assert_no_error (error);
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  const struct { const char *item; double ts; } want[] = {
    { "a", 881250949.0 }, { "b", 881250000.0 }, { "c", -86400.0 }, { "d", 9007199254740992.0 },
    { "e", 1433221332117.0 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (want); k++)
    {
      gint64 e = find_event (d, "u", want[k].item);
      g_assert_cmpint (e, >=, 0);
      g_assert_cmpfloat (ev.timestamp[e], ==, want[k].ts);
    }
}

/* One rule for the columns' roles: what scalr_import_guess_columns says (the import form's
 * preview) is what the importer takes — the first of a role's usual names, case and RecBole
 * ":type" suffix aside. */
static void
test_guess_columns (Fixture *f, gconstpointer data)
{
  const char *movielens[] = { "userId", "movieId", "rating", "timestamp" };
  int col[SCALR_N_COLUMN_ROLES];
  scalr_import_guess_columns (movielens, 4, col);
  g_assert_cmpint (col[SCALR_COLUMN_USER], ==, 0);
  g_assert_cmpint (col[SCALR_COLUMN_ITEM], ==, 1);
  g_assert_cmpint (col[SCALR_COLUMN_RATING], ==, 2);
  g_assert_cmpint (col[SCALR_COLUMN_TIMESTAMP], ==, 3);
  g_assert_cmpint (col[SCALR_COLUMN_DOMAIN], ==, -1);
  /* Two user-like columns: user_id is preferred to user, whatever their order; "date" and
   * "users" are no usual names (the form once guessed them, the importer never did). */
  const char *two[] = { "x", "user", " User_ID:token ", "item", "date", "users" };
  scalr_import_guess_columns (two, 6, col);
  g_assert_cmpint (col[SCALR_COLUMN_USER], ==, 2);
  g_assert_cmpint (col[SCALR_COLUMN_ITEM], ==, 3);
  g_assert_cmpint (col[SCALR_COLUMN_TIMESTAMP], ==, -1);
  g_assert_cmpstr (scalr_column_role_to_string (SCALR_COLUMN_TIMESTAMP), ==, "timestamp");
  /* The default dataset name (scalr import without --name and the import form). */
  const char *paths[][2] = { { "data/ratings.tsv", "ratings" }, { "a.b.csv", "a.b" }, { ".hidden", ".hidden" },
                             { "noext", "noext" } };
  for (guint k = 0; k < G_N_ELEMENTS (paths); k++)
    {
      g_autofree char *n = scalr_import_default_name (paths[k][0]);
      g_assert_cmpstr (n, ==, paths[k][1]);
    }
  /* The import agrees: its users are column 3's. */
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = import_text (f, "two.tsv", "x\tuser\t User_ID:token \titem\tdate\tusers\n"
                                                       "1\tnot-me\tu7\ti1\t2020\tn\n", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scalr_id_map_get_name (scalr_dataset_get_users (d), 0), ==, "u7");
  g_assert_false (scalr_dataset_has_timestamps (d));
}

/* A UTF-8 byte-order mark (what Excel writes) before the header is skipped in every format
 * and in items files; the first column is found by its name and no id starts with it. */
static void
test_bom (Fixture *f, gconstpointer data)
{
  const struct { const char *name; const char *text; } files[] = {
    { "bom.tsv", "\xef\xbb\xbfuser\titem\trating\nu1\t1\t4\nu2\t2\t3\n" },
    { "bom.csv", "\xef\xbb\xbfuserId,movieId,rating\r\nu1,1,4\r\nu2,2,3\r\n" },
    { "bom.inter", "\xef\xbb\xbfuser_id:token\titem_id:token\trating:float\nu1\t1\t4\nu2\t2\t3\n" },
    { "bom-auto.txt", "\xef\xbb\xbfuser,item,rating\nu1,1,4\nu2,2,3\n" },   /* detected as CSV */
  };
  const char *items = "\xef\xbb\xbfmovieId\ttitle\tgenres\n1\tToy Story\tComedy\n";
  for (guint k = 0; k < G_N_ELEMENTS (files); k++)
    {
      g_test_message ("file %s", files[k].name);
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrDataset) d = import_text (f, files[k].name, files[k].text, -1, items, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (scalr_dataset_get_n_events (d), ==, 2);
      g_assert_cmpstr (scalr_id_map_get_name (scalr_dataset_get_users (d), 0), ==, "u1");
      g_assert_cmpstr (scalr_dataset_get_item_title (d, 0), ==, "Toy Story");
      g_assert_true (scalr_dataset_has_ratings (d));
    }
  /* Only a mark: an empty file. A mark later in the text is data (here part of an id). */
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) none = import_text (f, "only.tsv", "\xef\xbb\xbf", -1, NULL, &error);
  g_assert_null (none);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_EMPTY, "only.tsv", "empty file");
  g_clear_error (&error);
  g_autoptr (ScalrDataset) inner = import_text (f, "inner.tsv", "user\titem\n\xef\xbb\xbfu\ti\n", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scalr_id_map_get_name (scalr_dataset_get_users (inner), 0), ==, "\xef\xbb\xbfu");
}

static void
test_bad_long_line (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) s = g_string_new ("user\titem\nu\ti\nu\t");
  for (guint k = 0; k < (2u << 20); k++)
    g_string_append_c (s, 'x');
  g_string_append_c (s, '\n');
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = import_text (f, "long.tsv", s->str, (gssize) s->len, NULL, &error);
  g_assert_null (d);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_LINE_TOO_LONG, "long.tsv:3:", "1 MiB");
}

static void
test_bad_files (Fixture *f, gconstpointer data)
{
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) none = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_null (none);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_IO, "no events file");
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (f->dir, "missing.tsv", NULL);
  scalr_import_options_add_events (o, missing, NULL);
  g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_null (d);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_IO, "missing.tsv", "cannot open");
  g_clear_error (&error);

  /* Explicit columns that are not there. */
  g_autofree char *ok = test_write_file (f->dir, "ok.tsv", "user\titem\nu\ti\n", -1);
  g_autoptr (ScalrImportOptions) o2 = scalr_import_options_new ();
  scalr_import_options_add_events (o2, ok, NULL);
  o2->rating_column = g_strdup ("stars");
  g_autoptr (ScalrDataset) d2 = scalr_import_dataset (o2, NULL, NULL, &error);
  g_assert_null (d2);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_HEADER, "ok.tsv:1:", "'stars'");
  g_clear_error (&error);
  g_free (o2->rating_column);
  o2->rating_column = g_strdup ("9");
  g_autoptr (ScalrDataset) d3 = scalr_import_dataset (o2, NULL, NULL, &error);
  g_assert_null (d3);
  test_assert_error_contains (error, SCALR_READER_ERROR, SCALR_READER_ERROR_HEADER, "out of range", "2 columns");
  g_clear_error (&error);

  /* A cancelled import stops with G_IO_ERROR_CANCELLED. */
  g_autoptr (GString) s = g_string_new ("user\titem\n");
  for (guint k = 0; k < 70000; k++)
    g_string_append_printf (s, "u%u\ti\n", k);
  g_autofree char *big = test_write_file (f->dir, "big.tsv", s->str, (gssize) s->len);
  g_autoptr (ScalrImportOptions) o3 = scalr_import_options_new ();
  scalr_import_options_add_events (o3, big, NULL);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_cancellable_cancel (cancel);
  g_autoptr (ScalrDataset) d4 = scalr_import_dataset (o3, NULL, cancel, &error);
  g_assert_null (d4);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_items_file (Fixture *f, gconstpointer data)
{
  const char *events = "user\titem\nu\t1\nu\t2\nv\t3\n";
  const char *items =
    "movieId\ttitle\tyear\tgenres\n"
    "1\tToy Story\t1995\tComedy|Animation\n"
    "2\t\"Quoted\" Title\t\t(no genres listed)\n"
    "9\tNo events\t2000\tDrama\n"
    "1\tDuplicate row\t1999\tHorror\n";
  g_autoptr (GError) error = NULL;
  g_autofree char *path = test_write_file (f->dir, "ev.tsv", events, -1);
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, path, NULL);
  o->items_path = test_write_file (f->dir, "items.tsv", items, -1);
  ScalrImportReport report;
  g_autoptr (ScalrDataset) d = scalr_import_dataset_full (o, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report.items_file_unmatched, ==, 1);
  g_assert_cmpuint (report.items_without_meta, ==, 1);     /* item 3 */
  g_assert_cmpstr (scalr_dataset_get_item_title (d, 0), ==, "Toy Story (1995)");
  g_assert_cmpstr (scalr_dataset_get_item_title (d, 1), ==, "\"Quoted\" Title");
  g_assert_null (scalr_dataset_get_item_title (d, 2));
  guint nc;
  scalr_dataset_get_item_categories (d, 1, &nc);
  g_assert_cmpuint (nc, ==, 0);
  scalr_dataset_get_item_categories (d, 0, &nc);
  g_assert_cmpuint (nc, ==, 2);   /* the duplicate row's Horror is ignored */
  g_assert_cmpuint (scalr_id_map_get_size (scalr_dataset_get_categories (d)), ==, 2);

  /* Bad items files. */
  const char *bad[][3] = {
    { "movieId\ttitle\tgenres\n1\tA\n", "items.tsv:2:", "expected 3" },
    { "movieId\ttitle\tgenres\n1\tA\xff\tDrama\n", "items.tsv:2:", "UTF-8" },
    { "movieId\ttitle\tyear\tgenres\n1\tA\t\xff\tDrama\n", "items.tsv:2:", "year is not valid UTF-8" },
    { "", "items.tsv", "empty file" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_free (o->items_path);
      o->items_path = test_write_file (f->dir, "items.tsv", bad[k][0], -1);
      g_autoptr (ScalrDataset) d2 = scalr_import_dataset (o, NULL, NULL, &error);
      g_assert_null (d2);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, bad[k][1]));
      g_assert_nonnull (strstr (error->message, bad[k][2]));
      g_clear_error (&error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/scalr/import/movielens", test_movielens);
  ADD ("/scalr/import/duplicates", test_duplicates);
  ADD ("/scalr/import/domain-column", test_domain_column);
  ADD ("/scalr/import/two-files", test_two_files);
  ADD ("/scalr/import/inter-and-mapping", test_inter_and_mapping);
  ADD ("/scalr/import/fingerprint", test_fingerprint);
  ADD ("/scalr/import/bad-inputs", test_bad_inputs);
  ADD ("/scalr/import/timestamps", test_timestamps);
  ADD ("/scalr/import/bom", test_bom);
  ADD ("/scalr/import/guess-columns", test_guess_columns);
  ADD ("/scalr/import/bad-long-line", test_bad_long_line);
  ADD ("/scalr/import/bad-files", test_bad_files);
  ADD ("/scalr/import/items-file", test_items_file);
  return g_test_run ();
}
