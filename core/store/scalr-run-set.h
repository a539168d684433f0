/* scalr-run-set.h — several runs read together: which config keys differ between them,
 * which runs differ in exactly one key (so a line may join them), how the store's runs fall
 * into groups (a sweep, a search, replicates, hand-picked), and names for runs.
 *
 * A ScalrRunSet parses the resolved config of each run once; every run's config has every
 * key (the store keeps the resolved text), so "equal except @key" compares all other keys. */
#pragma once

#include "scalr-config.h"
#include "scalr-store.h"

G_BEGIN_DECLS

typedef struct _ScalrRunSet ScalrRunSet;

/* Copies what it needs of @runs (n ≥ 0). A run whose config text does not parse has no
 * values (every key reads as NULL and differs from every other run's). */
ScalrRunSet *scalr_run_set_new        (const ScalrRunInfo *const *runs, guint n) G_GNUC_WARN_UNUSED_RESULT;
void         scalr_run_set_free       (ScalrRunSet *set);
guint        scalr_run_set_get_n      (const ScalrRunSet *set);
gint64       scalr_run_set_get_id     (const ScalrRunSet *set, guint index);
/* The value of "group.key" in run @index (borrowed; NULL when absent). */
const char  *scalr_run_set_get_value  (const ScalrRunSet *set, guint index, const char *dotted_key);
/* "group.key" names whose values are not all equal, in the order of the first run's
 * config (char*, owned array). */
GPtrArray   *scalr_run_set_dup_differing_keys (const ScalrRunSet *set) G_GNUC_WARN_UNUSED_RESULT;
/* Whether runs @a and @b have equal values for every key except @dotted_key (NULL: every
 * key). */
gboolean     scalr_run_set_equal_except (const ScalrRunSet *set, guint a, guint b, const char *dotted_key);

/* Runs along one key. A line joins runs whose configs are equal in every other key and
 * that take at least two different values of the key, ordered by the key's value; of runs
 * with identical configs the newest stands on the line and the others are loose. Every run
 * is on exactly one line or loose. */
typedef struct {
  char      *key;       /* "group.key" */
  guint      n_runs;    /* of the set */
  gboolean   numeric;   /* every run's value is a finite number */
  gboolean   integer;   /* … and an integer */
  double    *x;         /* per run: the value as a number (NaN when not numeric) */
  GPtrArray *lines;     /* GArray of guint run indices, ascending in x (or in text order) */
  GArray    *loose;     /* guint: runs on no line, in run order */
  GArray    *ticks;     /* double: the distinct numeric values, ascending (empty when not numeric) */
} ScalrRunSeries;

ScalrRunSeries *scalr_run_set_series  (const ScalrRunSet *set, const char *dotted_key) G_GNUC_WARN_UNUSED_RESULT;
void            scalr_run_series_free (ScalrRunSeries *series);
/* Runs on lines (not loose). */
guint           scalr_run_series_n_connected (const ScalrRunSeries *series);

/* The key to draw runs against: the first of @preferred ("a.b,c.d", e.g. a sweep's keys;
 * may be NULL) that differs between the runs, else the differing key that puts most runs on
 * lines (numeric keys first, then config order). NULL when every key is equal or n < 2. */
char        *scalr_run_set_pick_key   (const ScalrRunSet *set, const char *preferred) G_GNUC_WARN_UNUSED_RESULT;

/* How the store's runs fall into groups, newest first: each stored group with its runs (by
 * id ascending), for the finished runs of @runs (ScalrRunInfo*; others are skipped). Groups
 * without finished runs are left out. */
typedef struct {
  const ScalrGroupInfo *group;   /* borrowed from @groups */
  GArray               *run_ids; /* gint64, ascending */
  gint64                newest;  /* the largest run id */
  char                 *label;   /* "Sweep over sampler.user_ratio · 4 runs" */
} ScalrRunGroupView;

GPtrArray   *scalr_run_groups_collect (GPtrArray *runs, GPtrArray *groups) G_GNUC_WARN_UNUSED_RESULT;

/* A short name for a run of @config that says what it is: "embmap · per_user ×2 · sparse
 * users" (owned). */
char        *scalr_run_name_for_config (const ScalrConfig *config) G_GNUC_WARN_UNUSED_RESULT;

/* Does @info match the search @query? Every whitespace-separated word of @query must occur
 * (ignoring case) in the run's id ("#12" or "12"), name, dataset, status, tags, note or
 * generator / strategy; an empty query matches everything. */
gboolean     scalr_run_info_matches   (const ScalrRunInfo *info, const char *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrRunSet, scalr_run_set_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrRunSeries, scalr_run_series_free)

G_END_DECLS
