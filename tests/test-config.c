/* test-config.c — the experiment configuration: the parameter tables, defaults that round-trip,
 * every kind of bad file (with file, line, key, value and the allowed range in the message),
 * --set assignments, the typed getters and the "allowed" descriptions. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "scalr-config.h"
#include "scalr-generator.h"
#include "test-util.h"

/* Every table entry, in table order. */
static GPtrArray *
all_params (void)
{
  GPtrArray *all = g_ptr_array_new ();
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      g_ptr_array_add (all, (gpointer) p);
  return all;
}

static void
test_tables (void)
{
  g_autoptr (GPtrArray) all = all_params ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *const groups[] = { "dataset", "split", "generator", "sampler", "downstream", "eval", NULL };
  guint n_tables = 0;
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    n_tables++;
  /* dataset, split, generator common, cooc, ridge (popularity has none), sampler. */
  g_assert_cmpuint (n_tables, >=, 6);
  g_assert_cmpuint (all->len, >=, 30);
  for (guint k = 0; k < all->len; k++)
    {
      const ScalrParam *p = g_ptr_array_index (all, k);
      g_autofree char *fk = g_strconcat (p->group, ".", p->key, NULL);
      if (!g_hash_table_add (seen, g_strdup (fk)))
        g_error ("%s is in two tables", fk);
      if (!g_strv_contains (groups, p->group))
        g_error ("%s: group not in docs/ARCHITECTURE.md (the config groups)", fk);
      if (p->help == NULL || p->help[0] == '\0')
        g_error ("%s has no help", fk);
      if (p->def == NULL)
        g_error ("%s has no default", fk);
      g_autoptr (GError) error = NULL;
      if (!scalr_param_check (p, p->def, &error))
        g_error ("%s: default '%s' is rejected: %s", fk, p->def, error->message);
      g_assert_true (scalr_config_lookup_param (p->group, p->key) == p);
      if (p->type == SCALR_PARAM_INT || p->type == SCALR_PARAM_DOUBLE)
        g_assert_cmpfloat (p->min, <=, p->max);
      if (p->type == SCALR_PARAM_CHOICE || p->type == SCALR_PARAM_LIST)
        g_assert_nonnull (p->choices);
      if (p->model && strcmp (p->group, "generator") == 0)
        {
          /* A generator-specific key names a registered generator. */
          if (scalr_generator_lookup (p->model) == NULL)
            g_error ("%s applies to model '%s', which is not a generator", fk, p->model);
        }
      g_autofree char *allowed = scalr_param_describe_allowed (p);
      g_assert_cmpuint (strlen (allowed), >, 5);
    }
  g_assert_null (scalr_config_lookup_param ("sampler", "nope"));
  g_assert_null (scalr_config_lookup_param ("nope", "seed"));
  g_assert_nonnull (scalr_config_lookup_param ("generator", "smoothing"));
  g_assert_nonnull (scalr_config_lookup_param ("generator", "l2"));
  /* The model choice lists exactly the registered generators. */
  const ScalrParam *model = scalr_config_lookup_param ("generator", "model");
  g_auto (GStrv) names = g_strsplit (model->choices, "|", -1);
  guint n_gen;
  const ScalrGeneratorClass *const *gens = scalr_generator_list (&n_gen);
  g_assert_cmpuint (g_strv_length (names), ==, n_gen);
  for (guint k = 0; k < n_gen; k++)
    g_assert_true (g_strv_contains ((const char *const *) names, gens[k]->name));
}

static void
test_defaults_round_trip (void)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GPtrArray) all = all_params ();
  for (guint k = 0; k < all->len; k++)
    {
      const ScalrParam *p = g_ptr_array_index (all, k);
      g_assert_cmpstr (scalr_config_get (c, p->group, p->key), ==, p->def);
    }
  g_autofree char *text = scalr_config_to_data (c);
  /* Every key appears once as key=value, each group header once. */
  for (guint k = 0; k < all->len; k++)
    {
      const ScalrParam *p = g_ptr_array_index (all, k);
      g_autofree char *line = g_strdup_printf ("\n%s=%s\n", p->key, p->def);
      g_assert_nonnull (strstr (text, line));
    }
  g_assert_true (g_str_has_prefix (text, "[dataset]\n"));
  const char *gen = strstr (text, "[generator]");
  g_assert_nonnull (gen);
  g_assert_null (strstr (gen + 1, "[generator]"));

  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) back = scalr_config_new_from_data (text, -1, "resolved.ini", &error);
  g_assert_no_error (error);
  g_autofree char *again = scalr_config_to_data (back);
  g_assert_cmpstr (again, ==, text);

  /* A changed config round-trips too (including a value with spaces and a word). */
  g_assert_true (scalr_config_set (c, "dataset", "name", "my data set", &error));
  g_assert_true (scalr_config_set (c, "generator", "temperature", "0.25", &error));
  g_assert_true (scalr_config_set (c, "dataset", "implicit_threshold", "3.5", &error));
  g_assert_true (scalr_config_set (c, "split", "seed", "9007199254740991", &error));
  g_assert_no_error (error);
  g_autofree char *changed = scalr_config_to_data (c);
  g_autoptr (ScalrConfig) back2 = scalr_config_new_from_data (changed, (gssize) strlen (changed), "x", &error);
  g_assert_no_error (error);
  g_autofree char *changed2 = scalr_config_to_data (back2);
  g_assert_cmpstr (changed2, ==, changed);
  g_assert_cmpstr (scalr_config_get (back2, "dataset", "name"), ==, "my data set");
  g_assert_cmpint (scalr_config_get_int (back2, "split", "seed"), ==, G_GINT64_CONSTANT (9007199254740991));

  /* Copies are deep. */
  g_autoptr (ScalrConfig) copy = scalr_config_copy (c);
  g_assert_true (scalr_config_set (c, "sampler", "k", "7", &error));
  g_assert_cmpint (scalr_config_get_int (copy, "sampler", "k"), ==, 1);
  g_assert_cmpint (scalr_config_get_int (c, "sampler", "k"), ==, 7);

  /* An empty file is the defaults. */
  g_autoptr (ScalrConfig) empty = scalr_config_new_from_data ("", 0, "empty.ini", &error);
  g_assert_no_error (error);
  g_autoptr (ScalrConfig) fresh = scalr_config_new ();
  g_autofree char *t1 = scalr_config_to_data (empty), *t2 = scalr_config_to_data (fresh);
  g_assert_cmpstr (t1, ==, t2);
}

static void
test_good_file (void)
{
  const char *text =
    "# an experiment\n"
    "[split]\n"
    "test_fraction = 0.25\n"
    "protocol=temporal\n"
    "\n"
    "[generator]\n"
    "model = ridge\n"
    "temperature = auto\n"
    "l2 = 1e3\n"
    "[sampler]\n"
    "exclude_seen = no\n"
    "strategy = per_user  \n"
    "[dataset]\n"
    "implicit_threshold = none\n"
    "source = category: Action | Adventure , !Drama\n"
    "[split]\n"
    "seed = 7\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) c = scalr_config_new_from_data (text, -1, "good.ini", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (scalr_config_get_double (c, "split", "test_fraction"), ==, 0.25);
  g_assert_cmpstr (scalr_config_get (c, "split", "protocol"), ==, "temporal");
  g_assert_cmpint (scalr_config_get_int (c, "split", "seed"), ==, 7);
  g_assert_cmpstr (scalr_config_get (c, "generator", "model"), ==, "ridge");
  g_assert_cmpstr (scalr_config_get (c, "generator", "temperature"), ==, "auto");
  g_assert_true (isnan (scalr_config_get_double (c, "generator", "temperature")));
  g_assert_true (isnan (scalr_config_get_double (c, "dataset", "implicit_threshold")));
  g_assert_cmpfloat (scalr_config_get_double (c, "generator", "l2"), ==, 1000.0);
  g_assert_false (scalr_config_get_bool (c, "sampler", "exclude_seen"));
  g_assert_cmpstr (scalr_config_get (c, "sampler", "strategy"), ==, "per_user");   /* stripped */
  /* Untouched keys keep their defaults. */
  g_assert_cmpfloat (scalr_config_get_double (c, "split", "valid_fraction"), ==, 0.0);
  g_assert_cmpfloat (scalr_config_get_double (c, "split", "valid_users"), ==, 0.25);
  g_assert_cmpint (scalr_config_get_int (c, "sampler", "samples_per_event"), ==, 1);
  g_assert_true (scalr_config_get_bool (c, "sampler", "exclude_seen") == FALSE);

  /* Bool spellings. */
  const struct { const char *text; gboolean value; } bools[] = {
    { "true", TRUE }, { "false", FALSE }, { "1", TRUE }, { "0", FALSE }, { "yes", TRUE }, { "no", FALSE },
    { " true ", TRUE },
  };
  for (guint k = 0; k < G_N_ELEMENTS (bools); k++)
    {
      g_assert_true (scalr_config_set (c, "sampler", "exclude_seen", bools[k].text, &error));
      g_assert_no_error (error);
      g_assert_cmpint (scalr_config_get_bool (c, "sampler", "exclude_seen"), ==, bools[k].value);
    }
  const char *bad_bools[] = { "on", "TRUE", "2", "", "yess" };
  for (guint k = 0; k < G_N_ELEMENTS (bad_bools); k++)
    {
      g_clear_error (&error);
      g_assert_false (scalr_config_set (c, "sampler", "exclude_seen", bad_bools[k], &error));
      test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE,
                                  "exclude_seen", "true or false");
    }
  /* The last value stayed. */
  g_assert_true (scalr_config_get_bool (c, "sampler", "exclude_seen"));

  /* Temperature: a word or a number in range. */
  g_clear_error (&error);
  g_assert_true (scalr_config_set (c, "generator", "temperature", "0.5", &error));
  g_assert_cmpfloat (scalr_config_get_double (c, "generator", "temperature"), ==, 0.5);
  g_assert_true (scalr_config_set (c, "generator", "temperature", "auto", &error));
  g_assert_true (isnan (scalr_config_get_double (c, "generator", "temperature")));
  g_assert_false (scalr_config_set (c, "generator", "temperature", "Auto", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE,
                              "temperature", "'Auto'", "a number in 0.01…100 or auto");
  g_clear_error (&error);
  g_assert_false (scalr_config_set (c, "generator", "temperature", "0", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "0.01…100");
  g_clear_error (&error);
  /* "none" is not a word temperature allows. */
  g_assert_false (scalr_config_set (c, "generator", "temperature", "none", &error));
  g_assert_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE);
  g_assert_true (isnan (scalr_config_get_double (c, "generator", "temperature")));
}

/* Loads @text as "exp.ini" and checks the error code and every substring. */
#define assert_bad_file(text, code, ...) \
  G_STMT_START { \
    g_autoptr (GError) _e = NULL; \
    g_autoptr (ScalrConfig) _c = scalr_config_new_from_data ((text), -1, "exp.ini", &_e); \
    g_assert_null (_c); \
    test_assert_error_contains (_e, SCALR_CONFIG_ERROR, (code), __VA_ARGS__); \
  } G_STMT_END

static void
test_bad_files (void)
{
  /* Unknown group: its header line, and the known groups. */
  assert_bad_file ("[split]\nseed=1\n\n[sampling]\nk=2\n", SCALR_CONFIG_ERROR_UNKNOWN_KEY,
                   "exp.ini:4:", "[sampling]", "dataset, split, generator, sampler");
  /* Unknown key: its line, the group's keys. */
  assert_bad_file ("[sampler]\nk=2\n# comment = 3\nsamples_per_evnt = 4\n", SCALR_CONFIG_ERROR_UNKNOWN_KEY,
                   "exp.ini:4:", "[sampler]", "'samples_per_evnt'", "samples_per_event");
  /* A key that exists in another group is unknown here. */
  assert_bad_file ("[dataset]\nname=x\n[split]\nname=y\n", SCALR_CONFIG_ERROR_UNKNOWN_KEY,
                   "exp.ini:4:", "'name'", "test_fraction");
  /* Bad int, with the key, the value and the range. */
  assert_bad_file ("[dataset]\nkcore = 2.5\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "[dataset] kcore", "'2.5'", "expected an integer in 0…1000");
  assert_bad_file ("[dataset]\n\n\nkcore = ten\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:4:", "kcore", "'ten'", "an integer in 0…1000");
  assert_bad_file ("[dataset]\nkcore = 1001\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "'1001'", "0…1000");
  assert_bad_file ("[dataset]\nkcore = -1\n", SCALR_CONFIG_ERROR_BAD_VALUE, "exp.ini:2:", "'-1'");
  assert_bad_file ("[dataset]\nkcore =\n", SCALR_CONFIG_ERROR_BAD_VALUE, "exp.ini:2:", "kcore", "''");
  assert_bad_file ("[split]\nseed = 99999999999999999999\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "seed", "0…2^53−1");
  assert_bad_file ("[split]\nseed = 9007199254740992\n", SCALR_CONFIG_ERROR_BAD_VALUE, "exp.ini:2:", "seed");
  /* Bad double and out of range doubles. */
  assert_bad_file ("[split]\nprotocol=random\ntest_fraction = 0.2x\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:3:", "[split] test_fraction", "'0.2x'", "a number in 0.01…0.9");
  assert_bad_file ("[split]\ntest_fraction = 0.95\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "'0.95'", "0.01…0.9");
  assert_bad_file ("[split]\ntest_fraction = nan\n", SCALR_CONFIG_ERROR_BAD_VALUE, "exp.ini:2:", "'nan'");
  assert_bad_file ("[split]\ntest_fraction = inf\n", SCALR_CONFIG_ERROR_BAD_VALUE, "exp.ini:2:", "'inf'");
  assert_bad_file ("[dataset]\nimplicit_threshold = auto\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "'auto'", "or none");
  /* Bad choice. */
  assert_bad_file ("[sampler]\nstrategy = per_item\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "[sampler] strategy", "'per_item'", "one of per_event, per_user, topk");
  assert_bad_file ("[generator]\nmodel = emb\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "model", "'emb'", "one of cooc, ridge, popularity");
  /* Bad domain rule: the rule parser's message, with the location and the key. */
  assert_bad_file ("[dataset]\nname = ml\nsource = genre\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:3:", "[dataset] source", "'genre'", "domain:LABEL");
  assert_bad_file ("[dataset]\ntarget = category:!Drama\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "target", "category:!Drama");
  assert_bad_file ("[dataset]\ntarget = colour:red\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "target", "colour");
  /* Bad bool. */
  assert_bad_file ("[sampler]\nexclude_seen = maybe\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:2:", "exclude_seen", "'maybe'", "true or false");
  /* Empty string. */
  assert_bad_file ("[dataset]\nname =   \n", SCALR_CONFIG_ERROR_BAD_VALUE, "exp.ini:2:", "name", "non-empty");
  /* The line of a key in the group that has the error, not of the same key elsewhere. */
  assert_bad_file ("[sampler]\nseed = 1\n[split]\nseed = -4\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:4:", "[split] seed", "'-4'");
  /* A key given twice is an error naming both lines, whichever value is valid (the first
   * value was never checked when the last one silently won). */
  assert_bad_file ("[sampler]\nk = 1\nk = 0\n", SCALR_CONFIG_ERROR_DUPLICATE_KEY, "exp.ini:3:", "[sampler] k",
                   "twice", "line 2");
  assert_bad_file ("[sampler]\nk = 0\nk = 1\n", SCALR_CONFIG_ERROR_BAD_VALUE, "exp.ini:2:", "[sampler] k", "'0'");
  assert_bad_file ("[sampler]\nk = 2\n[split]\nseed=1\n[sampler]\n k=3\n", SCALR_CONFIG_ERROR_DUPLICATE_KEY,
                   "exp.ini:6:", "[sampler] k", "first on line 2");
  /* A group given twice: keys of both parts are checked and located. */
  assert_bad_file ("[sampler]\nk = 1\n[split]\nseed=1\n[sampler]\nweight = -1\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:6:", "weight", "'-1'", "0…1000");
  /* Windows line ends and indentation do not move line numbers. */
  assert_bad_file ("[sampler]\r\n  k = 1\r\n\r\n  min_prob = 2\r\n", SCALR_CONFIG_ERROR_BAD_VALUE,
                   "exp.ini:4:", "min_prob", "'2'", "0…1");

  /* Not a key file at all: the offending line. */
  assert_bad_file ("[sampler]\nk = 1\nthis is not a key\n", SCALR_CONFIG_ERROR_PARSE,
                   "exp.ini:3:", "key file");
  assert_bad_file ("k = 1\n[sampler]\n", SCALR_CONFIG_ERROR_PARSE, "exp.ini:1:", "key file");
  assert_bad_file ("[sampler\nk = 1\n", SCALR_CONFIG_ERROR_PARSE, "exp.ini:1:", "key file");

  /* Not text. */
  {
    g_autoptr (GError) e = NULL;
    g_autoptr (ScalrConfig) c = scalr_config_new_from_data ("[split]\nseed=1\0\n", 16, "nul.ini", &e);
    g_assert_null (c);
    test_assert_error_contains (e, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_PARSE, "nul.ini");
    g_clear_error (&e);
    g_autoptr (ScalrConfig) c2 = scalr_config_new_from_data ("[split]\nseed=\xff\n", -1, "latin1.ini", &e);
    g_assert_null (c2);
    test_assert_error_contains (e, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_PARSE, "latin1.ini", "UTF-8");
  }
}

static void
test_files (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *good = test_write_file (dir, "good.ini", "[sampler]\nsamples_per_event = 4\n", -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) c = scalr_config_new_from_file (good, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalr_config_get_int (c, "sampler", "samples_per_event"), ==, 4);

  g_autofree char *bad = test_write_file (dir, "bad.ini", "[sampler]\n\nsamples_per_event = 4000\n", -1);
  g_autoptr (ScalrConfig) c2 = scalr_config_new_from_file (bad, &error);
  g_assert_null (c2);
  g_autofree char *prefix = g_strdup_printf ("%s:3:", bad);
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, prefix,
                              "samples_per_event", "'4000'", "an integer in 0…1000");
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (dir, "missing.ini", NULL);
  g_autoptr (ScalrConfig) c3 = scalr_config_new_from_file (missing, &error);
  g_assert_null (c3);
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_IO, "missing.ini");
  test_rm_rf (dir);
}

static void
test_set_assignment (void)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_config_set_assignment (c, "sampler.samples_per_event=4", &error));
  g_assert_no_error (error);
  g_assert_cmpint (scalr_config_get_int (c, "sampler", "samples_per_event"), ==, 4);
  g_assert_true (scalr_config_set_assignment (c, " generator . model = ridge ", &error));
  g_assert_cmpstr (scalr_config_get (c, "generator", "model"), ==, "ridge");
  g_assert_true (scalr_config_set_assignment (c, "dataset.source=category:A|B,!C", &error));
  g_assert_cmpstr (scalr_config_get (c, "dataset", "source"), ==, "category:A|B,!C");
  /* A value may hold '=' and '.' (a rule or a name). */
  g_assert_true (scalr_config_set_assignment (c, "dataset.name=ml=1.0", &error));
  g_assert_cmpstr (scalr_config_get (c, "dataset", "name"), ==, "ml=1.0");
  g_assert_no_error (error);

  g_autofree char *before = scalr_config_to_data (c);
  const struct { const char *text; int code; const char *subs[4]; } bad[] = {
    { "sampler.samples_per_event", SCALR_CONFIG_ERROR_USAGE, { "GROUP.KEY=VALUE", "'sampler.samples_per_event'" } },
    { "samples_per_event=4", SCALR_CONFIG_ERROR_USAGE, { "GROUP.KEY=VALUE" } },
    { ".k=4", SCALR_CONFIG_ERROR_USAGE, { "GROUP.KEY=VALUE" } },
    { "sampler.=4", SCALR_CONFIG_ERROR_USAGE, { "GROUP.KEY=VALUE" } },
    { "name=a.b", SCALR_CONFIG_ERROR_USAGE, { "GROUP.KEY=VALUE" } },
    { "sampler.kk=4", SCALR_CONFIG_ERROR_UNKNOWN_KEY, { "--set sampler.kk=4", "'kk'", "samples_per_event" } },
    { "sampling.k=4", SCALR_CONFIG_ERROR_UNKNOWN_KEY, { "[sampling]", "dataset, split" } },
    { "sampler.k=0", SCALR_CONFIG_ERROR_BAD_VALUE, { "--set sampler.k=0", "[sampler] k", "'0'", "an integer in 1…1000" } },
    { "sampler.k=", SCALR_CONFIG_ERROR_BAD_VALUE, { "[sampler] k", "''" } },
    { "sampler.strategy=best", SCALR_CONFIG_ERROR_BAD_VALUE, { "'best'", "one of per_event, per_user, topk" } },
    { "generator.temperature=-1", SCALR_CONFIG_ERROR_BAD_VALUE, { "'-1'", "0.01…100 or auto" } },
    { "dataset.source=nothing", SCALR_CONFIG_ERROR_BAD_VALUE, { "source", "'nothing'" } },
    { "dataset.name=a\nb", SCALR_CONFIG_ERROR_BAD_VALUE, { "[dataset] name" } },
    /* A model listed twice would be trained twice and counted twice in the Holm family. */
    { "downstream.models=pop,ease,pop", SCALR_CONFIG_ERROR_BAD_VALUE, { "[downstream] models", "'pop' is listed twice" } },
    { "downstream.models=ease, ease", SCALR_CONFIG_ERROR_BAD_VALUE, { "'ease' is listed twice" } },
  };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autoptr (GError) e = NULL;
      if (scalr_config_set_assignment (c, bad[k].text, &e))
        g_error ("'%s' was accepted", bad[k].text);
      g_assert_error (e, SCALR_CONFIG_ERROR, bad[k].code);
      for (guint s = 0; s < G_N_ELEMENTS (bad[k].subs) && bad[k].subs[s]; s++)
        if (strstr (e->message, bad[k].subs[s]) == NULL)
          g_error ("'%s': message '%s' lacks '%s'", bad[k].text, e->message, bad[k].subs[s]);
    }
  /* Nothing changed, and what is written still loads. */
  g_autofree char *after = scalr_config_to_data (c);
  g_assert_cmpstr (after, ==, before);
  g_autoptr (ScalrConfig) back = scalr_config_new_from_data (after, -1, "after", &error);
  g_assert_no_error (error);
}

static void
test_getters (void)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  /* Defaults through the typed getters. */
  g_assert_cmpint (scalr_config_get_int (c, "split", "seed"), ==, 42);
  g_assert_cmpint (scalr_config_get_int (c, "split", "min_target_events"), ==, 5);
  g_assert_cmpfloat (scalr_config_get_double (c, "split", "test_fraction"), ==, 0.2);
  g_assert_true (isnan (scalr_config_get_double (c, "generator", "temperature")));   /* auto */
  g_assert_true (isnan (scalr_config_get_double (c, "dataset", "implicit_threshold")));   /* none */
  g_assert_cmpfloat (scalr_config_get_double (c, "generator", "smoothing"), ==, 1.0);
  g_assert_true (scalr_config_get_bool (c, "sampler", "exclude_seen"));
  g_assert_cmpstr (scalr_config_get (c, "sampler", "strategy"), ==, "per_event");

  g_assert_true (scalr_config_set (c, "dataset", "implicit_threshold", "-2.5", &error));
  g_assert_cmpfloat (scalr_config_get_double (c, "dataset", "implicit_threshold"), ==, -2.5);
  g_assert_true (scalr_config_set (c, "generator", "l2", "1e-3", &error));
  g_assert_cmpfloat (scalr_config_get_double (c, "generator", "l2"), ==, 1e-3);
  g_assert_true (scalr_config_set (c, "sampler", "max_per_user", " 12 ", &error));
  g_assert_cmpint (scalr_config_get_int (c, "sampler", "max_per_user"), ==, 12);
  g_assert_cmpstr (scalr_config_get (c, "sampler", "max_per_user"), ==, "12");
  g_assert_true (scalr_config_set (c, "split", "seed", "9007199254740991", &error));
  g_assert_cmpint (scalr_config_get_int (c, "split", "seed"), ==, G_GINT64_CONSTANT (9007199254740991));
  g_assert_no_error (error);

  /* get_list on a text value splits at commas and strips. */
  g_assert_true (scalr_config_set (c, "dataset", "name", " a , b,c ", &error));
  g_auto (GStrv) list = scalr_config_get_list (c, "dataset", "name");
  g_assert_cmpuint (g_strv_length (list), ==, 3);
  g_assert_cmpstr (list[0], ==, "a");
  g_assert_cmpstr (list[1], ==, "b");
  g_assert_cmpstr (list[2], ==, "c");

  /* Unknown keys through scalr_config_set: UNKNOWN_KEY, nothing changes. */
  g_assert_false (scalr_config_set (c, "split", "seeds", "1", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_UNKNOWN_KEY, "[split]", "'seeds'", "seed");
  g_clear_error (&error);
  g_assert_false (scalr_config_set (c, "results", "k", "1", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_UNKNOWN_KEY, "[results]", "'k'");
  g_clear_error (&error);
  /* [eval] k is a list of integers in 1…1000, at most 8. */
  g_assert_true (scalr_config_set (c, "eval", "k", "5, 10,50", &error));
  g_assert_false (scalr_config_set (c, "eval", "k", "10,0", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "[eval] k", "integers in 1…1000");
  g_clear_error (&error);
  g_assert_false (scalr_config_set (c, "eval", "k", "1,2,3,4,5,6,7,8,9", &error));
  g_assert_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE);
}

static void
test_get_unknown_key (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (ScalrConfig) c = scalr_config_new ();
      (void) scalr_config_get (c, "sampler", "nope");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*value != NULL*");
}

static void
test_describe (void)
{
  const struct { const char *group, *key, *text; } cases[] = {
    { "dataset", "kcore", "an integer in 0…1000" },
    { "split", "test_fraction", "a number in 0.01…0.9" },
    { "split", "seed", "an integer in 0…2^53−1" },
    { "generator", "temperature", "a number in 0.01…100 or auto" },
    { "dataset", "implicit_threshold", "a number in -1e+09…1e+09 or none" },
    { "sampler", "strategy", "one of per_event, per_user, topk" },
    { "sampler", "exclude_seen", "true or false" },
    { "dataset", "name", "a non-empty text" },
    { "dataset", "source", "a domain rule: all, domain:LABEL or category:A[|B][,!C]" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const ScalrParam *p = scalr_config_lookup_param (cases[k].group, cases[k].key);
      g_assert_nonnull (p);
      g_autofree char *d = scalr_param_describe_allowed (p);
      g_assert_cmpstr (d, ==, cases[k].text);
    }
  /* A list parameter (no table has one yet). */
  const ScalrParam list = { "eval", "metrics", SCALR_PARAM_LIST, "recall,ndcg", 0, 0, "recall|ndcg|mrr", "h", NULL };
  g_autofree char *d = scalr_param_describe_allowed (&list);
  g_assert_cmpstr (d, ==, "a comma-separated list of recall, ndcg, mrr");
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_param_check (&list, "recall, mrr", &error));
  g_assert_true (scalr_param_check (&list, "ndcg", &error));
  g_assert_no_error (error);
  g_assert_false (scalr_param_check (&list, "recall,,mrr", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "[eval] metrics", "'recall,,mrr'",
                              "a comma-separated list of recall, ndcg, mrr");
  g_clear_error (&error);
  g_assert_false (scalr_param_check (&list, "auc", &error));
  g_assert_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (scalr_param_check (&list, "", &error));
  g_assert_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE);
  g_clear_error (&error);

  /* Check boundaries: inclusive, both ends. */
  const ScalrParam *tf = scalr_config_lookup_param ("split", "test_fraction");
  g_assert_true (scalr_param_check (tf, "0.01", NULL));
  g_assert_true (scalr_param_check (tf, "0.9", NULL));
  g_assert_false (scalr_param_check (tf, "0.0099", NULL));
  g_assert_false (scalr_param_check (tf, "0.9000001", NULL));
  g_assert_false (scalr_param_check (tf, "", NULL));
  const ScalrParam *kc = scalr_config_lookup_param ("dataset", "kcore");
  g_assert_true (scalr_param_check (kc, "0", NULL));
  g_assert_true (scalr_param_check (kc, "1000", NULL));
  g_assert_true (scalr_param_check (kc, "+7", NULL));
  g_assert_false (scalr_param_check (kc, "0x10", NULL));
  g_assert_false (scalr_param_check (kc, "1e2", NULL));
  /* A long value is shortened in the message; invalid UTF-8 is escaped, not echoed raw. */
  g_autofree char *longv = g_strnfill (500, '9');
  g_assert_false (scalr_param_check (kc, longv, &error));
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_clear_error (&error);
  g_assert_false (scalr_param_check (kc, "\xff\xfe", &error));
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "'\\xff\\xfe'");
}

/* An endless input stops at the size limit; a large config (20,000 lines) parses in linear
 * time (the GKeyFile-based parser took about a minute: it searched the text per key). */
static void
test_endless_and_large (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) z = scalr_config_new_from_file ("/dev/zero", &error);
  g_assert_null (z);
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_TOO_LARGE, "/dev/zero", "larger than 1024 KiB");
  g_clear_error (&error);

  /* Just over the limit as text. */
  g_autofree char *big = g_malloc (SCALR_CONFIG_MAX_BYTES + 2);
  memset (big, '#', SCALR_CONFIG_MAX_BYTES + 1);
  big[SCALR_CONFIG_MAX_BYTES + 1] = '\0';
  g_autoptr (ScalrConfig) b = scalr_config_new_from_data (big, -1, "big.ini", &error);
  g_assert_null (b);
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_TOO_LARGE, "big.ini");
  g_clear_error (&error);
  /* At the limit it is read (a comment line). */
  big[SCALR_CONFIG_MAX_BYTES] = '\0';
  g_autoptr (ScalrConfig) at = scalr_config_new_from_data (big, -1, "at.ini", &error);
  g_assert_no_error (error);
  g_assert_nonnull (at);

  /* 20,000 lines: 19,999 comments and blank lines around one key per group, then a repeated
   * key at the very end — found, with both lines. */
  g_autoptr (GString) s = g_string_new ("[sampler]\nk = 3\n");
  for (guint i = 0; i < 19996; i++)
    g_string_append (s, i % 2 ? "# a comment = 1\n" : "\n");
  g_string_append (s, "[sampler]\nk = 4\n");
  g_autoptr (ScalrConfig) dup = scalr_config_new_from_data (s->str, (gssize) s->len, "long.ini", &error);
  g_assert_null (dup);
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_DUPLICATE_KEY, "long.ini:20000:",
                              "first on line 2");
  g_clear_error (&error);
  /* 20,000 repeated group lines with distinct valid content load. */
  g_autoptr (GString) t = g_string_new (NULL);
  for (guint i = 0; i < 20000; i++)
    g_string_append (t, "[sampler]\n");
  g_string_append (t, "k = 7\n");
  g_autoptr (ScalrConfig) many = scalr_config_new_from_data (t->str, (gssize) t->len, "groups.ini", &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalr_config_get_int (many, "sampler", "k"), ==, 7);
}

static void
test_bom (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) c = scalr_config_new_from_data ("\xef\xbb\xbf[sampler]\nk=2\n", -1, "bom.ini", &error);
  g_assert_null (c);
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_PARSE, "bom.ini:1:", "byte-order mark");
}

/* A 10 MB value and a 60 KB grid spec are cut in messages; control characters escaped. */
static void
test_long_values_cut (void)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  gsize n = 10u << 20;
  g_autofree char *set = g_malloc (n + 1);
  memcpy (set, "sampler.k=", 10);
  memset (set + 10, '9', n - 10);
  set[n] = '\0';
  g_assert_false (scalr_config_set_assignment (c, set, &error));
  g_assert_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE);
  g_assert_cmpuint (strlen (error->message), <, 400);
  g_assert_nonnull (strstr (error->message, "bytes)"));
  g_clear_error (&error);

  g_autoptr (GString) grid = g_string_new ("sampler.k=");
  while (grid->len < 60000)
    g_string_append (grid, "1,");
  g_string_append (grid, "x");
  char *group = NULL, *key = NULL;
  GStrv values = NULL;
  g_assert_false (scalr_config_parse_grid (grid->str, &group, &key, &values, &error));
  g_assert_cmpuint (strlen (error->message), <, 400);
  g_clear_error (&error);

  g_assert_false (scalr_config_set_assignment (c, "sampler.k=\x1b[31mred", &error));
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_nonnull (strstr (error->message, "\\x1b[31mred"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/config/tables", test_tables);
  g_test_add_func ("/scalr/config/defaults-round-trip", test_defaults_round_trip);
  g_test_add_func ("/scalr/config/good-file", test_good_file);
  g_test_add_func ("/scalr/config/bad-files", test_bad_files);
  g_test_add_func ("/scalr/config/files", test_files);
  g_test_add_func ("/scalr/config/set-assignment", test_set_assignment);
  g_test_add_func ("/scalr/config/getters", test_getters);
  g_test_add_func ("/scalr/config/get-unknown-key", test_get_unknown_key);
  g_test_add_func ("/scalr/config/describe", test_describe);
  g_test_add_func ("/scalr/config/endless-and-large", test_endless_and_large);
  g_test_add_func ("/scalr/config/bom", test_bom);
  g_test_add_func ("/scalr/config/long-values-cut", test_long_values_cut);
  return g_test_run ();
}
