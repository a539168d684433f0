/* scalr-config.h — experiment configuration: a GKeyFile checked against parameter tables.
 *
 * Every key of every group is described by a ScalrParam (type, default, range, help) in one
 * table per component; the GUI builds its forms from the same tables. A config always holds a
 * value for every key (defaults fill the gaps), so the text it writes is the fully resolved
 * configuration a run is stored with. Unknown groups or keys and bad values are errors that
 * name the file and line (or the --set argument), the key, the value and what is allowed. */
#pragma once

#include <json-glib/json-glib.h>

#include "scalr-types.h"

G_BEGIN_DECLS

#define SCALR_CONFIG_ERROR (scalr_config_error_quark ())
GQuark scalr_config_error_quark (void);

typedef enum {
  SCALR_CONFIG_ERROR_IO,
  SCALR_CONFIG_ERROR_PARSE,        /* not a key file */
  SCALR_CONFIG_ERROR_UNKNOWN_KEY,  /* or an unknown group */
  SCALR_CONFIG_ERROR_BAD_VALUE,
  SCALR_CONFIG_ERROR_DUPLICATE_KEY, /* a key given twice in a file */
  SCALR_CONFIG_ERROR_TOO_LARGE,     /* a file over SCALR_CONFIG_MAX_BYTES */
  SCALR_CONFIG_ERROR_USAGE,         /* a malformed --set or --grid argument (bad usage) */
} ScalrConfigError;

/* A config file is read up to this size (an endless input stops with an error). */
#define SCALR_CONFIG_MAX_BYTES (1u << 20)

typedef enum {
  SCALR_PARAM_INT,
  SCALR_PARAM_DOUBLE,
  SCALR_PARAM_BOOL,
  SCALR_PARAM_CHOICE,   /* one of `choices` ("a|b|c") */
  SCALR_PARAM_LIST,     /* comma-separated, each one of `choices` */
  SCALR_PARAM_STRING,
  SCALR_PARAM_RULE,     /* a domain rule (checked by the parameter's `check`, see scalr-domains.h) */
  SCALR_PARAM_INT_LIST, /* comma-separated integers, each in min…max */
} ScalrParamType;

typedef struct {
  const char     *group;
  const char     *key;
  ScalrParamType  type;
  const char     *def;       /* default, as text */
  double          min, max;  /* INT / DOUBLE range */
  const char     *choices;   /* CHOICE / LIST values; INT / DOUBLE: words also allowed ("auto", "none") */
  const char     *help;      /* one line */
  const char     *model;     /* applies only when the group's selector — its `model` or `strategy`
                              * key, or its `models` list — is (or holds) this (NULL: always) */
  /* Optional further check of a value that passed the type's check (a rule's syntax, …).
   * On error returns FALSE and sets @error with a message without the key. */
  gboolean      (*check)    (const char *value, GError **error);
  /* The default search range of `scalr tune` ("lo..hi", "lo..hi log" or "a,b,c"); NULL:
   * not searched unless a [tune] group names the key. */
  const char     *tune;
} ScalrParam;

/* The tables of every component, in order, NULL-terminated. The config module knows no
 * component: the registry (core/pipeline/scalr-registry.h, scalr_registry_init) assembles the
 * tables and hands them over here; asking before that is a programmer error. */
void              scalr_config_set_tables (const ScalrParam *const *tables);
const ScalrParam *const *scalr_config_get_tables (void);
/* The parameter of group.key, or NULL. */
const ScalrParam *scalr_config_lookup_param (const char *group, const char *key);
/* Checks @value against @param. On error returns FALSE with a message naming the key, the
 * value and what is allowed (without a location prefix). */
gboolean          scalr_param_check (const ScalrParam *param, const char *value, GError **error);
/* Every key of the registered tables with its default, allowed values and help, by group:
 * what `scalr config` prints (text) and `scalr config --json` (an array of objects with
 * key, default, allowed, model, help). */
char             *scalr_config_describe      (void) G_GNUC_WARN_UNUSED_RESULT;
JsonNode         *scalr_config_describe_json (void) G_GNUC_WARN_UNUSED_RESULT;
/* "an integer in 0…1000", "one of per_event, per_user, topk", … (owned). */
char             *scalr_param_describe_allowed (const ScalrParam *param);
/* A title for people from the key: "samples_per_event" → "Samples per event",
 * "ials.factors" → "iALS: factors", "l2" → "L2" (owned). */
char             *scalr_param_dup_title (const ScalrParam *param) G_GNUC_WARN_UNUSED_RESULT;
/* The key of the group that decides whether @param applies ("model", "models" or
 * "strategy"), or NULL when it always applies. */
const char       *scalr_param_get_selector (const ScalrParam *param);

typedef struct _ScalrConfig ScalrConfig;

ScalrConfig *scalr_config_new            (void) G_GNUC_WARN_UNUSED_RESULT;
ScalrConfig *scalr_config_copy           (const ScalrConfig *config) G_GNUC_WARN_UNUSED_RESULT;
/* Reads and checks a file / text; @name is used in messages. A key given twice, a file over
 * SCALR_CONFIG_MAX_BYTES or starting with a byte-order mark is an error. Linear in the size.
 * On error returns NULL. */
ScalrConfig *scalr_config_new_from_file  (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The bytes of a config file, read up to one byte past SCALR_CONFIG_MAX_BYTES (so that the
 * size check sees an endless input stop); NUL-terminated, *len without the NUL. On error
 * (cannot open or read, a directory) returns NULL and sets @error (SCALR_CONFIG_ERROR_IO). */
char        *scalr_config_read_file      (const char *path, gsize *len, GError **error) G_GNUC_WARN_UNUSED_RESULT;
ScalrConfig *scalr_config_new_from_data  (const char *data, gssize len, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void         scalr_config_free           (ScalrConfig *config);

/* Sets one key from "group.key=value" (the CLI's --set). On error nothing changes. */
gboolean     scalr_config_set_assignment (ScalrConfig *config, const char *assignment, GError **error);
/* Parses a --grid spec "group.key=v1,v2,…" (values split at ';' for LIST keys), each value
 * checked against the key's parameter; 1 to 1000 values. On success the out-arguments are
 * owned by the caller; on error returns FALSE, sets @error and leaves them NULL. */
gboolean     scalr_config_parse_grid     (const char *spec, char **group, char **key, GStrv *values,
                                          GError **error);
/* Sets group/key to value after checking it. On error nothing changes. */
gboolean     scalr_config_set            (ScalrConfig *config, const char *group, const char *key,
                                          const char *value, GError **error);

/* Values (the config always has every key; the string is borrowed until that key is set
 * again). Asking for a key no table has is a programmer error. get_double returns NAN for a word such as "auto" or "none". */
const char  *scalr_config_get            (const ScalrConfig *config, const char *group, const char *key);
gint64       scalr_config_get_int        (const ScalrConfig *config, const char *group, const char *key);
double       scalr_config_get_double     (const ScalrConfig *config, const char *group, const char *key);
gboolean     scalr_config_get_bool       (const ScalrConfig *config, const char *group, const char *key);
/* LIST values, split (owned). */
GStrv        scalr_config_get_list       (const ScalrConfig *config, const char *group, const char *key);
/* Whether @param matters under @config: its group's selector (scalr_param_get_selector)
 * has, or its `models` list holds, the param's `model`. */
gboolean     scalr_config_param_applies  (const ScalrConfig *config, const ScalrParam *param);
/* Whether group.key holds its default value. */
gboolean     scalr_config_is_default     (const ScalrConfig *config, const char *group, const char *key);

/* A component's parameter: group/key of @config when the registered tables include the key;
 * else (@config NULL, or tables without the component's, as in tests and benchmarks that call
 * a component directly) the default in @params, the component's own table. The key must be
 * in @params when the config does not know it (a programmer error otherwise). The string is
 * borrowed like scalr_config_get's; _double is NAN for a word such as "auto". No failure. */
const char  *scalr_config_get_or_default        (const ScalrConfig *config, const ScalrParam *params,
                                                 const char *group, const char *key);
double       scalr_config_get_or_default_double (const ScalrConfig *config, const ScalrParam *params,
                                                 const char *group, const char *key);
gint64       scalr_config_get_or_default_int    (const ScalrConfig *config, const ScalrParam *params,
                                                 const char *group, const char *key);

/* The resolved configuration as key-file text (every key, table order). */
char        *scalr_config_to_data        (const ScalrConfig *config) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrConfig, scalr_config_free)

G_END_DECLS
